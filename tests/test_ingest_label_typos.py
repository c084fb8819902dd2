"""A role label typed with a slip in a hand-typed transcript (`Interviwer:`, `Partcipant:` beside
`Interviewer:` and `Participant:`) is that label, said in a warning. Before, each was a speaker of its
own: the interviewer's question under `Interviwer:` was coded as a participant's words, `Partcipant:`
counted as a second participant, and the roles were `inferred` with no doubt raised."""

from __future__ import annotations

import docx
import pytest

from wei_qual.ingest import parse_transcript

TYPED = """\
Interviewer: How long have you worked on the mobile crisis team?

Participant: Four years. Before that I was at the stabilization unit for two.

Interviewer: How do officers reach you on a call?

Partcipant: They call the line, or dispatch sends us with them.

Interviewer: What happens when the unit is full?

Participant: Then it is the emergency department, and the officer waits with them.

Interviwer: What would help most?

Participant: A clinician on nights. We have nobody after eleven.
"""


def _said(t):
    return [w.message for w in t.warnings if w.kind == "label_typos"]


def test_slips_in_role_labels_are_the_labels_they_misspell(make_transcript):
    t = parse_transcript(make_transcript(TYPED, "clin07.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 4),
        ("Participant", "participant", 4),
    ]
    assert [s.speaker for s in t.segments] == ["Interviewer", "Participant"] * 4
    assert t.roles == "inferred"
    assert _said(t) == [
        (
            'clin07: 2 labels read as a slip in typing the role label the file uses, one letter apart: "Partcipant" '
            'as "Participant" (segment 4) and "Interviwer" as "Interviewer" (segment 7). If one is someone else, '
            'give them a label of their own and ingest the file again; "wei-qual ingest --dry-run '
            f'{t.source}" shows how it is read.'
        )
    ]
    assert [w.kind for w in t.warnings] == ["label_typos"]  # not "someone who interrupts once"


def test_a_slip_after_a_turn_of_the_same_speaker_goes_on_with_it(make_transcript):
    text = TYPED.replace(
        "Interviewer: What happens", "Partcipant: And we log the wait.\n\nInterviewer: What happens"
    )
    t = parse_transcript(make_transcript(text, "clin08.txt"))
    assert t.segments[3].speaker == "Participant"
    assert t.segments[3].text == "They call the line, or dispatch sends us with them.\n\nAnd we log the wait."


def test_a_slip_in_a_word_tables_speaker_column(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
    for paragraph in TYPED.strip().split("\n\n"):
        label, said = paragraph.split(": ", 1)
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, said
    path = tmp_path / "clin09.docx"
    d.save(path)
    t = parse_transcript(path)
    assert [s.label for s in t.speakers] == ["Interviewer", "Participant"]
    assert len(_said(t)) == 1


@pytest.mark.parametrize(
    ("asker", "answerer", "once"),
    [
        ("Interviewer", "P07", "Interviewee"),  # two roles, one letter apart
        ("Interviewer", "P1", "P2"),  # two people
        ("Interviewer", "Dana", "Dina"),  # names, not role labels
        ("Interviewer", "Participant", "Participants"),  # several at once
    ],
)
def test_labels_one_letter_apart_that_are_not_slips_stay_apart(make_transcript, asker, answerer, once):
    text = (
        f"{asker}: Where do you take them?\n\n{answerer}: To the unit, mostly.\n\n{asker}: Anything else?\n\n"
        f"{once}: We wait.\n\n{asker}: And at night?\n\n{answerer}: The ER.\n"
    )
    t = parse_transcript(make_transcript(text, "grp01.txt"))
    assert _said(t) == []
    assert [s.speaker for s in t.segments if "We wait." in s.text] != [answerer]
