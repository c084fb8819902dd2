"""infer_roles: speaker roles from evidence (ids, known labels, who asks the questions), as a pure function."""

from __future__ import annotations

import pytest

from wei_qual.ingest.roles import asks_question, given_roles, infer_roles, leading_part, normalise_id
from wei_qual.ingest.turns import Turn


def turns(*pairs: tuple[str | None, str]) -> list[Turn]:
    return [Turn(speaker, [text]) for speaker, text in pairs]


def roles(result) -> dict[str, tuple[str, str]]:
    return {s.label: (s.role, s.reason) for s in result.speakers}


INTERVIEW = [
    ("Sara Mannheimer", "Thanks for doing this. Can you tell me about your role?"),
    (
        "Jonah Reyes",
        "Sure. I'm a deputy on nights, mostly the east side of the county, for about nine years now.",
    ),
    ("Sara Mannheimer", "How often do crisis calls come in?"),
    ("Jonah Reyes", "A few times a week, more around the holidays. Most of them start as welfare checks."),
    ("Sara Mannheimer", "What happens at the crisis unit?"),
    ("Jonah Reyes", "They ask about drinking and charges first. If there is a charge it is the jail."),
    ("Sara Mannheimer", "Walk me through the last one."),
    ("Jonah Reyes", "Last week, a man on his porch. We waited four hours in the emergency room."),
]


def test_two_named_speakers_the_one_who_asks_is_the_interviewer():
    result = infer_roles(turns(*INTERVIEW), "interview-2024-01-24")
    assert roles(result) == {
        "Sara Mannheimer": ("interviewer", "asks 4/4 questions; speaks first"),
        "Jonah Reyes": ("participant", "answers: asks 0/4 questions"),
    }
    assert (result.status, result.reason) == ("inferred", "")
    assert [(s.turns, s.questions) for s in result.speakers] == [(4, 4), (4, 0)]


def test_a_prompt_without_question_mark_counts_as_a_question():
    assert asks_question("Walk me through the last one.")
    assert asks_question("Okay. So tell me about the unit.")
    assert not asks_question("I would describe it as slow.")
    assert not asks_question("We waited four hours.")


@pytest.mark.parametrize(
    "transcript_id, participant_ids, label, reason",
    [
        ("BSR01", (), "BSR01", "label is the transcript id"),
        ("p01", (), "P1", "label is the transcript id"),  # case and leading zeros ignored
        ("BSR01_transcript_deidentified", (), "BSR01", "label is the start of the transcript id"),
        ("interview-2024-01-24", ("BSR07",), "BSR07", "named as a participant in the attributes CSV"),
    ],
)
def test_ids_name_the_participant_even_when_they_ask(transcript_id, participant_ids, label, reason):
    # The participant asks more than the interviewer here: the id still wins.
    result = infer_roles(
        turns(
            ("Sara Mannheimer", "Thanks. Go ahead."),
            (label, "Do you want the long version? Or the short one?"),
            ("Sara Mannheimer", "Whichever you like."),
            (label, "Why not? We start at the unit, don't we?"),
        ),
        transcript_id,
        participant_ids,
    )
    assert roles(result)[label] == ("participant", reason)
    assert roles(result)["Sara Mannheimer"][0] == "interviewer"


@pytest.mark.parametrize(
    "label",
    [
        "Interviewer",
        "Interviewer 1",
        "Interviewer 2",
        "Interviewer (JD)",
        "I",
        "Q",
        "Int",
        "Moderator",
        "Facilitator",
    ],
)
def test_known_interviewer_labels(label):
    result = infer_roles(turns((label, "Go on."), ("Ana", "We drove him to the unit?")), "x")
    assert roles(result)[label] == ("interviewer", "a known interviewer label")
    assert roles(result)["Ana"][0] == "participant"


def test_names_the_project_remembers_are_interviewers():
    result = infer_roles(
        turns(("Dana Whitfield", "Fine."), ("Ana", "Where was I?")), "x", (), ["Dana Whitfield"]
    )
    assert roles(result)["Dana Whitfield"] == ("interviewer", "an interviewer named earlier in this project")


def test_two_speakers_who_both_ask_need_review():
    result = infer_roles(
        turns(
            ("Ana", "Where do you take people at night?"),
            ("Ben", "The unit. Where would you take them?"),
            ("Ana", "The emergency room, mostly. Why the unit?"),
            ("Ben", "It is closer. Have you tried it?"),
        ),
        "x",
    )
    assert result.status == "review"
    assert result.reason == 'both speakers ask questions ("Ana" asks 2/4 questions, "Ben" asks 2/4 questions)'


def test_three_speakers_without_a_clear_questioner_need_review():
    result = infer_roles(
        turns(
            ("Ana", "Where do you take people?"),
            ("Ben", "The unit. And you?"),
            ("Cal", "The emergency room. Why?"),
            ("Ana", "Because it is open."),
        ),
        "x",
    )
    assert result.status == "review"
    assert result.reason.startswith("no clear questioner among 3 speakers")


def test_group_interview_with_a_clear_questioner():
    result = infer_roles(
        turns(
            ("Facilitator Kim", "What do co-responders change?"),
            ("Ana", "Fewer arrests, I think."),
            ("Ben", "Faster handoffs."),
            ("Facilitator Kim", "And what is missing?"),
            ("Cal", "Night coverage."),
            ("Ana", "Beds."),
            ("Facilitator Kim", "Anything else?"),
            ("Ben", "Follow-up care."),
        ),
        "focus-group-3",
    )
    assert {k: v[0] for k, v in roles(result).items()} == {
        "Facilitator Kim": "interviewer",
        "Ana": "participant",
        "Ben": "participant",
        "Cal": "participant",
    }
    assert result.status == "inferred"


def test_a_participant_who_asks_like_an_interviewer_makes_the_roles_doubtful():
    result = infer_roles(
        turns(
            ("Interviewer", "Tell me about the unit."),
            ("Ana", "Which unit? The one downtown?"),
            ("Interviewer", "Yes."),
            ("Ana", "Do you mean days or nights?"),
            ("Interviewer", "Nights."),
            ("Ana", "Have you been there at night?"),
        ),
        "x",
    )
    assert result.status == "review"
    assert result.reason == '"Ana" also asks questions (3 of 3 turns) beside the interviewer "Interviewer"'


def test_one_speaker_or_no_labels_need_review():
    one = infer_roles(turns(("Ana", "We waited at the unit.")), "x")
    assert (one.status, one.reason, roles(one)) == (
        "review",
        'only one speaker ("Ana")',
        {"Ana": ("participant", "the only speaker")},
    )
    none = infer_roles(turns((None, "We waited at the unit.")), "x")
    assert (none.status, none.reason, none.speakers) == ("review", "no speaker labels", ())
    assert none.role_of(None) == "participant"  # a speakerless file is participant speech
    assert one.role_of(None) == "review"  # unlabelled text among labels: nobody knows who said it


def test_given_roles_follow_the_labels_only():
    result = given_roles(turns(*INTERVIEW), ["Jonah Reyes"])
    assert roles(result) == {
        "Sara Mannheimer": ("participant", "not in --interviewer-labels"),
        "Jonah Reyes": ("interviewer", "in --interviewer-labels"),
    }
    assert result.status == "given" and all(s.given for s in result.speakers)


def test_ids_and_leading_parts():
    assert normalise_id("P01") == normalise_id("p1") == "p1"
    assert leading_part("BSR01_transcript_deidentified") == "BSR01"
    assert leading_part("P1 - interview") == "P1"
    assert leading_part("BSR01") is None  # the whole id is not a part
    assert leading_part("Sara_Mannheimer_interview") is None  # a leading word needs a digit
