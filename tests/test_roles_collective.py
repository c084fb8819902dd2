"""A label for several people speaking at once (`Both:`, `All:`, `Everyone:`, `Todos:`) is no one speaker:
left to review, neither coded nor counted as a participant until a person sets it. Before, `Both:` after
the interviewer's question was a second participant of a one-to-one interview, with the roles inferred."""

from __future__ import annotations

import pytest

from wei_qual.ingest import parse_transcript


@pytest.mark.parametrize("several", ["Both", "All", "Everyone", "Todos"])
@pytest.mark.parametrize("labels", [None, ["Interviewer"]])
def test_a_label_for_several_at_once_is_no_participant(make_transcript, several, labels):
    text = (
        "Interviewer: Where do you take them?\n\nParticipant: To the unit, mostly.\n\n"
        "Interviewer: Anything else? Shall we stop?\n\n"
        f"{several}: Yes, let's stop. [laughs]\n\nInterviewer: And at night?\n\nParticipant: The ER.\n"
    )
    t = parse_transcript(make_transcript(text, "pair05.txt"), interviewer_labels=labels)
    assert {s.label: s.role for s in t.speakers}[several] == "review"
    assert [s.role for s in t.segments if s.speaker == several] == ["review"]
    assert t.roles == "review"
    assert t.roles_reason.startswith(f'"{several}" speaks for several people at once, no one speaker')


@pytest.mark.parametrize("several", ["Group", "Participants", "Multiple speakers", "All participants"])
@pytest.mark.parametrize("blank", ["\n\n", "\n"])
def test_a_label_for_several_heard_once_mid_interview_is_its_own_turn(make_transcript, several, blank):
    # A focus group answers together once. `Group` and `Participants` are cover keys and `Multiple speakers`
    # has a word in lower case, so the line heard once was read into the interviewer's turn: the group's
    # words were coded as the interviewer's, and nothing said so.
    turns = [
        "Interviewer: Where do you take them after the call?",
        "Officer 1: To the unit, mostly, when it has beds.",
        "Officer 2: Or the ER, if it does not.",
        "Interviewer: Anything else before we stop?",
        f"{several}: No, that is all. [laughs]",
        "Interviewer: And at night?",
        "Officer 1: The ER, always.",
        "Officer 2: Same for me.",
    ]
    t = parse_transcript(make_transcript(blank.join(turns) + "\n", "fg03.txt"))
    assert [(s.speaker, s.text) for s in t.segments][3:6] == [
        ("Interviewer", "Anything else before we stop?"),
        (several, "No, that is all. [laughs]"),
        ("Interviewer", "And at night?"),
    ]
    assert [s.role for s in t.segments if s.speaker == several] == ["review"]
    assert t.roles == "review"
    assert any(
        w.kind == "roles_review"
        and f'"{several}" speaks for several people at once, no one speaker' in w.message
        for w in t.warnings
    )


@pytest.mark.parametrize(
    "cover", ["Group: Patrol officers, night shift\n", "Date: 12 March 2024\nParticipants: 4\n"]
)
def test_a_cover_line_keyed_group_or_participants_above_the_first_turn_is_no_speaker(make_transcript, cover):
    text = f"{cover}\nInterviewer: Welcome, and thanks for coming in.\n\nP1: Happy to help.\n\nInterviewer: Where to?\n\nP1: The unit.\n\nP2: The ER.\n"
    t = parse_transcript(make_transcript(text, "fg04.txt"))
    assert {s.label for s in t.speakers} == {"Interviewer", "P1", "P2"}
