"""Speaker roles with more than two speakers, on exports imitated as their tools write them (tests/data,
see its README): a ride-along with two interviewers, focus groups of four officers with a moderator, a
co-moderator or a note-taker, an Otter export whose named interviewer does not speak first, a Zoom
meeting whose host is the study's account, Teams voice tags with an organisation. Each speaker's role,
and the roles doubt on stderr, in the ingest JSON and in `transcripts roles`, where the evidence is weak.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.ingest.roles import infer_roles
from wei_qual.ingest.turns import Turn

DATA = Path(__file__).parent / "data"


def _ingest(runner, tmp_path, name: str):
    """Ingest one fixture for real: its JSON outcome, the stderr, and the database."""
    shutil.copy(DATA / name, tmp_path / name)
    db = tmp_path / "project.db"
    result = runner.invoke(
        app, ["ingest", str(tmp_path / name), "--allow-pii", "--format", "json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.stderr
    (outcome,) = json.loads(result.stdout)["outcomes"]
    return outcome, result.stderr, db


def _roles(outcome) -> list[tuple[str, str]]:
    return [(s["label"], s["role"]) for s in outcome["speakers"]]


@pytest.mark.parametrize(
    ("name", "speakers"),
    [
        # Two interviewers taking turns, an officer and the clinician riding with him both answering.
        (
            "ridealong_two_interviewers.txt",
            [
                ("Interviewer 1", "interviewer"),
                ("Officer Reyes", "participant"),
                ("Jen Alvarez", "participant"),
                ("Interviewer 2", "interviewer"),
            ],
        ),
        # `Int2` asks one follow-up: a team label, so an interviewer though heard once.
        (
            "ridealong_int1_int2.txt",
            [("Int1", "interviewer"), ("KP71", "participant"), ("Int2", "interviewer")],
        ),
        # The participant speaks first ("Is this thing recording already?") and asks back twice; the
        # interviewer once tells her own experience before asking.
        (
            "otter_named_interviewer.txt",
            [("Marcus Bell", "participant"), ("Dana Whitfield", "interviewer")],
        ),
        # The host's display name is the study's Zoom account, no person's name.
        (
            "zoom_host_account_name.vtt",
            [("Crisis Response Study", "interviewer"), ("Tom Brandt", "participant")],
        ),
        # Teams names a guest `Last, First (Organisation)`.
        (
            "teams_voice_org_names.vtt",
            [("Dana Whitfield", "interviewer"), ("Marsh, Lena (County Health)", "participant")],
        ),
        # Four officers under `P1`..`P4`; P2 asks the others once among their answers.
        (
            "focus_group_p_labels.txt",
            [
                ("Moderator", "interviewer"),
                ("P1", "participant"),
                ("P2", "participant"),
                ("P3", "participant"),
                ("P4", "participant"),
            ],
        ),
    ],
)
def test_more_than_two_speakers_of_real_exports_read_right_and_quietly(runner, tmp_path, name, speakers):
    outcome, stderr, _ = _ingest(runner, tmp_path, name)
    assert _roles(outcome) == speakers
    assert (outcome["roles"], outcome["roles_reason"], outcome["warnings"]) == ("inferred", "", [])
    assert "Warning" not in stderr


def test_a_named_co_moderator_s_follow_ups_in_a_focus_group_leave_the_roles_to_review(runner, tmp_path):
    # Priya Raman asks two follow-ups, each answered by an officer, and answers none of the moderator's
    # questions: she was a fifth participant, her questions coded as the group's words, "Roles inferred".
    outcome, stderr, db = _ingest(runner, tmp_path, "focus_group_comoderator.txt")
    assert _roles(outcome)[-1] == ("Priya Raman", "participant")
    reason = (
        '"Priya Raman" asks in each of their 2 turns (answered by "P4" and "P1") and answers none of the '
        "interviewers' questions: a co-moderator's or note-taker's follow-ups, or a member asking the others; "
        "taken as a participant"
    )
    assert (outcome["roles"], outcome["roles_reason"]) == ("review", reason)
    assert [w["kind"] for w in outcome["warnings"]] == ["roles_review"]
    assert reason in " ".join(stderr.split())
    shown = runner.invoke(
        app, ["transcripts", "roles", "focus_group_comoderator", "-f", "json", "--db", str(db)]
    )
    view = json.loads(shown.stdout)
    assert (view["roles"], view["roles_reason"]) == ("review", reason)
    priya = next(s for s in view["speakers"] if s["label"] == "Priya Raman")
    assert priya["reason"] == (
        'asks 2 questions, answered by "P4" and "P1"; answers none of the interviewers\' questions'
    )
    # Set by a person, the doubt is settled.
    set_ = runner.invoke(
        app,
        ["transcripts", "roles", "focus_group_comoderator", "--interviewer", "Priya Raman", "--db", str(db)],
    )
    assert set_.exit_code == 0, set_.stderr
    view = json.loads(
        runner.invoke(
            app, ["transcripts", "roles", "focus_group_comoderator", "-f", "json", "--db", str(db)]
        ).stdout
    )
    assert view["roles"] == "given" and view["warnings"] == []


def test_a_named_follow_up_heard_once_in_a_focus_group_is_left_to_review(runner, tmp_path):
    # Officers under their ranks and names, the moderator under hers, and one question from a colleague
    # sitting in, answered by an officer: counted as a fifth participant with nothing said.
    outcome, stderr, _ = _ingest(runner, tmp_path, "focus_group_named_follow_up.txt")
    assert _roles(outcome) == [
        ("Dana Whitfield", "interviewer"),
        ("Sgt. Diaz", "participant"),
        ("Officer Kim", "participant"),
        ("Officer Lund", "participant"),
        ("Cpl. Ortega", "participant"),
        ("Priya Raman", "review"),
    ]
    reason = (
        '"Priya Raman" is heard once, asking a question answered by "Cpl. Ortega", and answers none of the '
        "interviewers' questions: a co-moderator's or note-taker's follow-up, or a member asking the others; "
        "left to review, no participant nor coded until set"
    )
    assert (outcome["roles"], outcome["roles_reason"]) == ("review", reason)
    assert reason in " ".join(stderr.split())


def test_a_note_taker_label_spaced_is_the_research_team_s(runner, tmp_path):
    # `Note taker:` is a label of a known form as `Note-taker:` is, but was no interviewer label: the
    # note-taker's two follow-ups were a participant's, with nothing said.
    outcome, stderr, _ = _ingest(runner, tmp_path, "focus_group_note_taker.txt")
    assert _roles(outcome)[0] == ("Moderator", "interviewer")
    assert _roles(outcome)[-1] == ("Note taker", "interviewer")
    assert (outcome["roles"], outcome["warnings"]) == ("inferred", [])
    assert "Warning" not in stderr


def test_a_participant_who_asks_in_every_turn_is_not_said_to_answer():
    turns = [
        Turn("Interviewer", ["Thanks for coming in. Tell me about the unit."]),
        Turn("KP09", ["Which unit, the crisis unit or ours?"]),
        Turn("Interviewer", ["The crisis unit."]),
        Turn("KP09", ["Since when, this year or before the new director?"]),
        Turn("Interviewer", ["This year is fine."]),
    ]
    result = infer_roles(turns, "interview")
    assert [(s.label, s.role, s.reason) for s in result.speakers] == [
        ("Interviewer", "interviewer", "a known interviewer label"),
        ("KP09", "participant", "asks 2/3 questions, in all 2 of their turns"),
    ]
