"""`wei-qual transcripts roles`: show each speaker's role and why; correct roles in one audited transaction;
refuse moves of coded turns without --force; remember interviewer names for later files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import iter_decisions, save_decision
from wei_qual.store.transcripts import get_interviewer_names, iter_segments

DATA = Path(__file__).parent / "data"


def _ingest(runner, db_path, tmp_path, *names, extra=()):
    for n in names:
        if (DATA / n).exists():
            shutil.copy(DATA / n, tmp_path / n)
    result = runner.invoke(
        app, ["ingest", *names, "--allow-pii", *extra, "--db", str(db_path)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result


def _roles(runner, db_path, *args):
    return runner.invoke(app, ["transcripts", "roles", *args, "--db", str(db_path)])


def _seg_roles(db_path, transcript):
    return [(r["speaker"], r["role"]) for r in iter_segments(open_db(db_path), transcript_id=transcript)]


def test_roles_show_speakers_turns_questions_and_why(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "KP04_otter_export.txt")
    result = _roles(runner, db_path, "KP04_otter_export", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "id": "KP04_otter_export",
        "roles": "inferred",
        "roles_reason": "",
        "speakers": [
            {
                "label": "Dana Whitfield",
                "role": "interviewer",
                "reason": "asks 4/4 questions; speaks first",
                "turns": 4,
                "words": 44,
                "questions": 4,
                "given": False,
            },
            {
                "label": "KP04",
                "role": "participant",
                "reason": "label is the start of the transcript id",
                "turns": 4,
                "words": 117,
                "questions": 0,
                "given": False,
            },
        ],
        "unlabelled_segments": 0,
        "unlabelled_role": None,
        "warnings": [],
    }
    table = _roles(runner, db_path, "KP04_otter_export").stdout
    assert "KP04_otter_export: roles inferred" in table
    assert "Dana Whitfield" in table and "asks 4/4 questions; speaks first" in table


def test_weak_evidence_is_review_and_a_correction_is_given_audited_and_remembered(runner, db_path, tmp_path):
    result = _ingest(runner, db_path, tmp_path, "both_ask.txt")
    assert (
        "Warning: both_ask: speaker roles need review: both speakers ask questions "
        '("Ana" asks 2/4 questions, "Ben" asks 2/4 questions). Check them with "wei-qual transcripts roles '
        f'both_ask --db {db_path}" and correct them with --interviewer NAME or --participant NAME.\n'
    ) in result.stderr
    listed = runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db_path)]).stdout
    assert json.loads(listed)[0]["roles"] == "review"

    result = _roles(runner, db_path, "both_ask", "--interviewer", "ana", "--participant", "Ben")
    assert result.exit_code == 0, result.stderr
    # Neither was taken as the interviewer (both participants) until a person said which.
    assert result.stderr == (
        "Roles of both_ask set (Ana: participant -> interviewer); written to the audit log. 2 segments moved "
        "in or out of the coding units.\n"
    )
    assert _seg_roles(db_path, "both_ask") == [("Ana", "interviewer"), ("Ben", "participant")] * 2
    db = open_db(db_path)
    assert db.execute("SELECT roles, roles_reason, warnings FROM transcripts").fetchone() == (
        "given",
        "",
        "[]",
    )
    audit = [r for r in iter_audit(db, entity="transcript") if r["action"] == "set_roles"]
    assert len(audit) == 1
    assert audit[0]["before"]["roles"] == "review" and audit[0]["after"]["roles"] == "given"
    assert audit[0]["after"]["speakers"] == {"Ana": "interviewer", "Ben": "participant"}
    assert get_interviewer_names(db) == ["Ana"]

    # A later file by the same interviewer comes out right, with no option given.
    (tmp_path / "later.txt").write_text(
        "Ana: Okay, go ahead.\n\nCal: Where do I start? With the unit?\n\nAna: Sure.\n\nCal: Fine.\n",
        encoding="utf-8",
    )
    _ingest(runner, db_path, tmp_path, "later.txt")
    view = json.loads(_roles(runner, db_path, "later", "-f", "json").stdout)
    assert [(s["label"], s["role"], s["reason"]) for s in view["speakers"]] == [
        ("Ana", "interviewer", "an interviewer named earlier in this project"),
        ("Cal", "participant", "answers: asks 1/1 question"),
    ]


def test_moving_coded_turns_is_refused_unless_force_and_decisions_are_kept(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "KP04_otter_export.txt")
    db = open_db(db_path)
    save_decision(db, Decision("KP04_otter_export", 2, "alice", frozenset({"csu-admission"})))
    save_decision(db, Decision("KP04_otter_export", 4, "alice", frozenset()))
    save_decision(db, Decision("KP04_otter_export", 4, "bob", frozenset({"ed-holding"})))
    result = _roles(runner, db_path, "KP04_otter_export", "--interviewer", "KP04")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Transcript "KP04_otter_export": this would move 2 segments with 3 coding decisions out of the '
        "coding units. Pass --force to do it (the decisions are kept and listed in the audit log).\n"
    )
    assert _seg_roles(db_path, "KP04_otter_export")[1] == ("KP04", "participant")  # nothing written

    result = _roles(
        runner,
        db_path,
        "KP04_otter_export",
        "--interviewer",
        "KP04",
        "--participant",
        "Dana Whitfield",
        "--force",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(
        "8 segments moved in or out of the coding units; their 3 coding decisions are kept.\n"
    )
    assert len(iter_decisions(open_db(db_path))) == 3
    audit = next(r for r in iter_audit(open_db(db_path), entity="transcript") if r["action"] == "set_roles")
    assert audit["after"]["moved_decisions"] == [
        {"segment": 2, "coder": "alice", "codes": ["csu-admission"], "note": ""},
        {"segment": 4, "coder": "alice", "codes": [], "note": ""},
        {"segment": 4, "coder": "bob", "codes": ["ed-holding"], "note": ""},
    ]
    # Setting a remembered interviewer as a participant forgets the name.
    assert get_interviewer_names(open_db(db_path)) == ["KP04"]


def test_unlabelled_segments_get_a_role(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "zoom_unnamed.vtt")
    result = _roles(runner, db_path, "zoom_unnamed")
    assert "(no label)" in result.stdout and "review" in result.stdout
    assert result.stderr.startswith("Warning: zoom_unnamed: 47% of the text is outside any labelled turn")
    result = _roles(runner, db_path, "zoom_unnamed", "--unlabelled", "participant")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Roles of zoom_unnamed set ((no label): review -> participant); written to the audit log.\n"
    )
    assert _seg_roles(db_path, "zoom_unnamed")[2] == (None, "participant")
    row = json.loads(runner.invoke(app, ["transcripts", "list", "-f", "json", "--db", str(db_path)]).stdout)[
        0
    ]
    assert (row["roles"], row["warnings"], row["participant_segments"]) == ("given", [], 3)


def test_bad_corrections_are_one_line_errors(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "pair.txt")
    result = _roles(runner, db_path, "pair", "--interviewer", "Sergeant")
    assert (result.exit_code, result.stderr) == (
        1,
        (
            'Error: Transcript "pair" has no speaker "Sergeant" (speakers: "Interviewer", "Officer", '
            f'"Clinician"). Copy the label from "wei-qual transcripts roles pair --db {db_path}".\n'
        ),
    )
    result = _roles(runner, db_path, "pair", "--interviewer", "Officer", "--participant", "officer")
    assert (result.exit_code, result.stderr) == (
        1,
        'Error: Speaker "Officer" is given both --interviewer and --participant. Give it one role.\n',
    )
    result = _roles(runner, db_path, "pair", "--unlabelled", "participant")
    assert result.stderr == (
        'Error: Transcript "pair" has no unlabelled segments, so --unlabelled changes nothing.\n'
    )
    result = _roles(runner, db_path, "nope")
    assert result.stderr == (
        f'Error: Transcript "nope" is not in the project. List them with "wei-qual transcripts list --db {db_path}".\n'
    )
    assert [r["action"] for r in iter_audit(open_db(db_path), entity="transcript")] == ["ingest"]


def test_a_new_version_keeps_the_roles_a_person_set(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "both_ask.txt")
    _roles(runner, db_path, "both_ask", "--interviewer", "Ben", "--participant", "Ana")
    (tmp_path / "both_ask.txt").write_text(
        (DATA / "both_ask.txt").read_text(encoding="utf-8") + "\nAna: One more thing, then.\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["ingest", "both_ask.txt", "--allow-pii", "--db", str(db_path)], catch_exceptions=False
    )
    assert "Ana = participant (3 turns" in result.stderr
    assert "set with transcripts roles (kept from the earlier version)" in result.stderr
    assert _seg_roles(db_path, "both_ask")[:2] == [("Ana", "participant"), ("Ben", "interviewer")]


def test_confirming_roles_changes_no_segment_but_marks_them_given(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path, "both_ask.txt")
    result = _roles(runner, db_path, "both_ask", "--participant", "Ana")
    assert result.stderr.startswith(
        "Roles of both_ask confirmed as they were (now given); written to the audit log.\n"
    )
    db = open_db(db_path)
    assert db.execute("SELECT roles FROM transcripts").fetchone() == ("given",)
    assert _seg_roles(db_path, "both_ask") == [("Ana", "participant"), ("Ben", "participant")] * 2
    assert [r["action"] for r in iter_audit(db, entity="transcript")] == ["ingest", "allow_pii", "set_roles"]


def test_a_services_stand_in_for_a_speaker_is_set_but_never_remembered(runner, db_path, tmp_path):
    # Otter names a voice it cannot tell apart "Unknown Speaker"; in the next file it is someone else.
    otter = (
        "Dana Whitfield  0:02\nHow did the call start?\n\n"
        "Unknown Speaker  0:09\nCan you repeat that?\n\n"
        "Marcus Bell  0:14\nDispatch sent us out on a welfare check, late on a Friday.\n\n"
        "Dana Whitfield  0:31\nWhat happened next?\n\n"
        "Marcus Bell  0:35\nWe called the crisis line and waited for the mobile team.\n"
    )
    (tmp_path / "otter_a.txt").write_text(otter, encoding="utf-8")
    _ingest(runner, db_path, tmp_path, "otter_a.txt")
    result = _roles(
        runner, db_path, "otter_a", "--interviewer", "Unknown Speaker", "--interviewer", "Dana Whitfield"
    )
    assert result.exit_code == 0, result.stderr
    assert (
        '"Unknown Speaker" stands in for a speaker the transcription did not name: set here only, not '
        "remembered as an interviewer for later files.\n"
    ) in result.stderr
    assert ("Unknown Speaker", "interviewer") in _seg_roles(db_path, "otter_a")
    assert get_interviewer_names(open_db(db_path)) == ["Dana Whitfield"]
