"""Court reporters' `Q.` / `A.` labels, and a file named after a speaker label (`moderator.txt`)."""

from __future__ import annotations

import pytest

from wei_qual.ingest import parse_transcript
from wei_qual.ingest.checks import UNLABELLED_TEXT
from wei_qual.models import INTERVIEWER, PARTICIPANT

# A deposition-style page: numbered lines, indented `Q.`/`A.` with the answer on the same line and
# going on below, no blank lines (as a court reporter's transcript saved as text comes).
COURT = """\
 1        Q.   Officer, how long have you been assigned to the
 2   co-responder unit?
 3        A.   About three years.
 4        Q.   And before that?
 5        A.   Patrol, on nights, mostly the east side. We took
 6   a lot of the welfare checks then.
 7        Q.\tDid you have any crisis intervention training?
 8        A.\tThe forty-hour course, in 2019.
"""

# A research transcriber's: blank lines between turns.
RESEARCH = """\
Q. Can you tell me about the last crisis call you responded to?

A. Sure. It was a welfare check on a man who had stopped taking his medication.

Q. What happened when you arrived?

A. He was in the yard. We waited for the co-responder before we went up to him.
"""


@pytest.mark.parametrize("text", [COURT, RESEARCH], ids=["court", "research"])
def test_q_dot_a_dot_are_the_interviewer_and_the_participant(make_transcript, text):
    t = parse_transcript(make_transcript(text, "depo07.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [("Q", INTERVIEWER), ("A", PARTICIPANT)] * (
        len(t.segments) // 2
    )
    assert len(t.segments) in (4, 6)
    assert UNLABELLED_TEXT not in [w.kind for w in t.warnings]
    first_answer = t.segments[1].text
    assert first_answer.startswith(("About three years.", "Sure. It was"))
    if text is COURT:  # the answer's second line is kept, the line number is not
        assert (
            t.segments[3].text
            == "Patrol, on nights, mostly the east side. We took\na lot of the welfare checks then."
        )


def test_a_dot_in_prose_or_an_outline_stays_text(make_transcript):
    # "A." starting a line of an answer (an outline read out, an initial) is no label: it does not
    # alternate with "Q." through the file.
    path = make_transcript(
        """
        Interviewer: What did the plan cover?

        P1: It had sections.
        A. Scope of the co-responder pilot.
        B. Who gets called first.

        Interviewer: And after that?

        P1: The review.
        A. Monthly meetings.
        A. Lopez chaired them, and Q. Reyes took notes.
        """,
        "p01.txt",
    )
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "P1", "Interviewer", "P1"]
    assert "A. Lopez chaired them" in t.segments[3].text


# One exchange: a follow-up answer e-mailed by the participant, a one-question deposition excerpt.
ONE_EXCHANGE = """\
Q. Why does the unit close at midnight?

A. Nobody could staff it. The county cut the overnight shift in the spring and we never got it back.
"""
ONE_EXCHANGE_COURT = """\
 1        Q.   Officer, why does the unit close at
 2   midnight?
 3        A.   Nobody could staff it. The county cut the
 4   overnight shift in the spring.
"""


@pytest.mark.parametrize("text", [ONE_EXCHANGE, ONE_EXCHANGE_COURT], ids=["paragraphs", "court"])
def test_one_q_then_one_a_opening_paragraphs_are_the_interviewer_and_the_participant(make_transcript, text):
    # One `Q.` followed by one `A.`, each opening a paragraph (or set in, as a court reporter does), is a
    # question and its answer: it used to stay unlabelled, every word counted as participant speech.
    t = parse_transcript(make_transcript(text, "notes.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [("Q", INTERVIEWER), ("A", PARTICIPANT)]
    assert t.segments[1].text.startswith("Nobody could staff it.")
    assert UNLABELLED_TEXT not in [w.kind for w in t.warnings]


@pytest.mark.parametrize(
    "text",
    [
        # Inside a paragraph: initials starting the lines of minutes.
        "The minutes list two people.\nQ. Reyes took the notes and\nA. Lopez chaired the meeting.\n",
        # `A.` before `Q.`: an outline's item and an initial, no question and answer.
        "A. Scope of the pilot.\n\nQ. Reyes wrote it up for the county.\n",
    ],
    ids=["inside-a-paragraph", "answer-first"],
)
def test_one_q_and_one_a_that_are_no_exchange_stay_text(make_transcript, text):
    t = parse_transcript(make_transcript(text, "notes.txt"))
    assert {s.speaker for s in t.segments} == {None}


def test_one_q_and_one_a_read_out_in_a_labelled_turn_stay_its_text(make_transcript):
    # A leaflet's question and answer, read out by the participant between labelled turns: "Q" would be
    # an interviewer turn, left out of the coding.
    text = (
        "Interviewer: What did the county give you?\n\nP19: A leaflet. It has an FAQ on the back:\n\n"
        "Q. Who can be admitted?\n\nA. Any adult in a mental health crisis.\n\n"
        "Interviewer: Is that enough?\n\nP19: No. It doesn't say what happens when they are full.\n"
    )
    t = parse_transcript(make_transcript(text, "p19.txt"))
    assert [s.speaker for s in t.segments] == ["Interviewer", "P19", "Interviewer", "P19"]
    assert "Q. Who can be admitted?\n\nA. Any adult" in t.segments[1].text


FOCUS_GROUP = """\
Moderator: Thanks for joining. Could each of you describe a recent crisis call?

P1: We had one Tuesday. The man was on the bridge and we waited for the clinician.

Moderator: How long did that take?

P2: From our side about forty minutes, because the unit was full.

Moderator: What would have helped?

P1: A bed. Honestly, a bed.
"""


@pytest.mark.parametrize("name", ["moderator.txt", "Moderator.md"])
def test_a_file_named_after_the_moderators_label_keeps_the_moderator(make_transcript, name):
    t = parse_transcript(make_transcript(FOCUS_GROUP, name))
    moderator = next(sp for sp in t.speakers if sp.label == "Moderator")
    assert moderator.role == INTERVIEWER
    assert "the file is named after it" in moderator.reason
    assert {s.role for s in t.segments if s.speaker != "Moderator"} == {PARTICIPANT}


def test_a_file_named_after_an_earlier_interviewer_is_left_to_review():
    from wei_qual.ingest.roles import ROLES_REVIEW, infer_roles

    class Turn:
        def __init__(self, speaker, text):
            self.speaker, self.text = speaker, text

    turns = [
        Turn("Dana", "Thanks for sitting down with me. Tell me about the last call."),
        Turn("Sara", "It was a welfare check, a long one."),
        Turn("Dana", "What happened next?"),
        Turn("Sara", "We waited for the clinician."),
    ]
    # `dana.txt`: Dana interviewed earlier in this project, and the file is named after her.
    result = infer_roles(turns, "dana", known_interviewers=("Interviewer", "Dana"))
    assert result.status == ROLES_REVIEW
    assert '"Dana" is taken as the participant the file is named after' in result.reason


# A research typist's `I.` and `R.` (interviewer, respondent), a tab after the dot, as Word's hanging
# indent leaves them. Before, no label was found: the whole interview, questions too, counted as
# participant speech.
TYPED_I_R = """\
I.\tHow long have you worked on the mobile crisis team?

R.\tFour years. Before that I was at the stabilization unit.

I.\tWhat happens when the unit is full?

R.\tThen it is the emergency department, and the officer waits with them.
And I. Lopez, my supervisor, calls around for a bed.

I.\tWhat would help most?

R.\tA clinician on nights.
"""


@pytest.mark.parametrize("answer", ["R", "P"])
def test_i_dot_r_dot_are_the_interviewer_and_the_participant(make_transcript, answer):
    text = TYPED_I_R.replace("R.\t", f"{answer}.\t")
    t = parse_transcript(make_transcript(text, "clin04.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [("I", INTERVIEWER), (answer, PARTICIPANT)] * 3
    assert t.segments[3].text.endswith("And I. Lopez, my supervisor, calls around for a bed.")
    assert UNLABELLED_TEXT not in [w.kind for w in t.warnings]


def test_i_dot_r_dot_in_a_word_file(tmp_path):
    import docx

    d = docx.Document()
    for line in TYPED_I_R.split("\n\n"):
        d.add_paragraph(line.strip())
    path = tmp_path / "clin05.docx"
    d.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["I", "R"] * 3


def test_an_outline_of_roman_numerals_and_initials_stays_text(make_transcript):
    # "I." once, and "R." once, not alternating through the file: an outline and an initial, text.
    t = parse_transcript(
        make_transcript(
            """\
            Interviewer: What did the plan cover?

            P1: It had sections.
            I. Scope
            II. Method
            R. Lopez wrote most of it.

            Interviewer: Who signed it?

            P1: The chief.
            """,
            "p1.txt",
        )
    )
    assert [s.speaker for s in t.segments] == ["Interviewer", "P1", "Interviewer", "P1"]
    assert "I. Scope\nII. Method\nR. Lopez wrote most of it." in t.segments[1].text
