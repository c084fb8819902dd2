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
