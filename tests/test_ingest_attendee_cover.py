"""A cover line listing who was at the meeting (`**Participants:** Dana Whitfield, Marcus Bell`, as Zoom,
Otter and tl;dv notes head one) names the speakers, not their study roles: the one who asks the questions is
still the interviewer. Before, every name on it was "named as participant on the cover sheet", the
interviewer too, and all her questions were coded as a participant's, without a word."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app

TURNS = """
**Dana Whitfield:** Thanks for making time today. How long have you been with the county crisis team?

**Marcus Bell:** About six years now. I started on nights and moved to the day rotation after two years.

**Dana Whitfield:** What does a typical call look like for you when you first arrive on scene?

**Marcus Bell:** Usually we get a quick brief from dispatch, then we check in with whoever called.

**Dana Whitfield:** And how do you decide whether to bring in law enforcement?

**Marcus Bell:** It depends on the weapon question. If there's any mention of one, we stage and wait.
"""
BOLD = (
    "# Interview with P11\n\n**Date:** 14 March 2024\n**Participants:** Dana Whitfield, Marcus Bell\n" + TURNS
)
PLAIN = BOLD.replace("**", "").replace("# ", "")


def _speakers(runner, path):
    result = runner.invoke(app, ["ingest", "--dry-run", "--allow-pii", "-f", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    outcome = json.loads(result.stdout)["outcomes"][0]
    assert [w["kind"] for w in outcome["warnings"]] == ["left_out"]  # the cover, as before
    assert outcome["segments"] == 6
    return [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]]


@pytest.mark.parametrize(
    ("text", "name"), [(BOLD, "P11.md"), (PLAIN, "P11.txt")], ids=["bold-md", "plain-txt"]
)
def test_an_attendee_list_leaves_the_roles_to_the_turns(runner, make_transcript, text, name):
    assert _speakers(runner, make_transcript(text, name=name)) == [
        ("Dana Whitfield", "interviewer", "asks 3/3 questions; speaks first"),
        ("Marcus Bell", "participant", "answers: asks 0/3 questions"),
    ]


def test_spanish_attendee_list_too(runner, make_transcript):
    text = PLAIN.replace("Participants:", "Participantes:")
    assert [role for _, role, _ in _speakers(runner, make_transcript(text))] == ["interviewer", "participant"]


@pytest.mark.parametrize("text", [BOLD, PLAIN], ids=["bold-md", "plain-txt"])
def test_roles_the_cover_gives_still_count(runner, make_transcript, text):
    """`Interviewer:` and `Participant:` give roles as before, beside an attendee list or alone."""
    listed = text.replace("Participants:", "Interviewer:").replace(", Marcus Bell", "")
    listed = listed.replace("Interviewer:", "Participant: Marcus Bell\nInterviewer:", 1)
    assert _speakers(runner, make_transcript(listed, name="p11.md")) == [
        ("Dana Whitfield", "interviewer", "named as interviewer on the cover sheet"),
        ("Marcus Bell", "participant", "named as participant on the cover sheet"),
    ]
    both = text.replace("Participants:", "Interviewer: Dana Whitfield\nParticipants:")
    assert _speakers(runner, make_transcript(both, name="p12.md"))[0] == (
        "Dana Whitfield",
        "interviewer",
        "named as interviewer on the cover sheet",
    )


def test_a_participant_named_alone_on_a_plural_key_is_the_participant(runner, make_transcript):
    """One name is no attendee list: `Participants: Marcus Bell` names the participant, as before."""
    text = PLAIN.replace("Participants: Dana Whitfield, Marcus Bell", "Participants: Marcus Bell")
    assert _speakers(runner, make_transcript(text))[1] == (
        "Marcus Bell",
        "participant",
        "named as participant on the cover sheet",
    )


def test_first_names_only(runner, make_transcript):
    """Otter and tl;dv write the names as the labels are, first names alone: ", Marcus" is no letters after a
    name (", PhD"), and before, "Participants: Dana, Marcus" named Dana alone, a participant."""
    text = PLAIN.replace("Dana Whitfield", "Dana").replace("Marcus Bell", "Marcus")
    assert _speakers(runner, make_transcript(text)) == [
        ("Dana", "interviewer", "asks 3/3 questions; speaks first"),
        ("Marcus", "participant", "answers: asks 0/3 questions"),
    ]
    with_letters = text.replace("Participants: Dana, Marcus", "Interviewer: Dana, PhD\nParticipant: Marcus")
    assert [reason for _, _, reason in _speakers(runner, make_transcript(with_letters, name="p02.txt"))] == [
        "named as interviewer on the cover sheet",
        "named as participant on the cover sheet",
    ]
