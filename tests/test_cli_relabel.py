"""`wei-qual transcripts relabel`: give some turns another speaker (Otter's "Unknown Speaker" turns that are
the interviewer's in some places and the participant's in others) without editing the file: audited,
segment numbers kept, decisions kept, refused for unknown turns and for coded turns leaving the units
without --force; a re-ingest of the same file keeps the new speakers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import iter_decisions, save_decision
from wei_qual.store.transcripts import iter_segments

DATA = Path(__file__).parent / "data"
# Otter's txt export (header, keywords, SPEAKERS, `Name  0:45  ` lines, CRLF, the Transcribed-by line):
# "Unknown Speaker" asks in turns 7 and 12 (Dana's lost voice) and answers in 4 and 9 (Marcus's).
OTTER = "otter_unknown_speaker.txt"


def _ingest(runner, db_path, tmp_path, *extra):
    shutil.copy(DATA / OTTER, tmp_path / "P32.txt")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "P32.txt"), "--allow-pii", *extra, "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.stderr
    return result


def _relabel(runner, db_path, *args):
    return runner.invoke(app, ["transcripts", "relabel", "P32", *args, "--db", str(db_path)])


def _speakers(db_path):
    return [(r["n"], r["speaker"], r["role"]) for r in iter_segments(open_db(db_path), transcript_id="P32")]


def test_ingest_points_at_relabel_for_a_voice_that_is_two_people(runner, db_path, tmp_path):
    err = _ingest(runner, db_path, tmp_path).stderr
    assert "(segments 4, 7, 9, 12) both ask (2) and answer or tell (2)" in err
    assert f'"wei-qual transcripts relabel P32 --segment 4 --speaker NAME --db {db_path}"' in err
    # The roles doubt names this transcript's command, not a placeholder id.
    assert f'"wei-qual transcripts relabel P32 --segment N --speaker NAME --db {db_path}"' in err
    assert "in the file" not in err and "ingest it again" not in err


def test_relabel_gives_the_turns_the_speaker_and_role_audited_and_settles_the_doubt(
    runner, db_path, tmp_path
):
    _ingest(runner, db_path, tmp_path)
    before = _speakers(db_path)
    result = _relabel(runner, db_path, "--segment", "4", "--segment", "9", "--speaker", "marcus bell")
    assert result.exit_code == 0, result.stderr
    assert (
        'Segments 4, 9 of P32 now have the speaker "Marcus Bell" (participant), instead of "Unknown Speaker"; '
        "written to the audit log. The segment numbers stay: turns side by side are not merged."
        in result.stderr
    )
    result = _relabel(runner, db_path, "--segment", "7,12", "--speaker", "Dana Whitfield", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["roles"] == "inferred" and data["roles_reason"] == "" and data["warnings"] == []
    assert [(s["label"], s["role"], s["turns"]) for s in data["speakers"]] == [
        ("Dana Whitfield", "interviewer", 6),
        ("Marcus Bell", "participant", 7),
    ]
    assert data["relabelled"] == [
        {"segment": n, "speaker_before": "Unknown Speaker", "role_before": "participant",
         "speaker": "Dana Whitfield", "role": "interviewer"}
        for n in (7, 12)
    ]  # fmt: skip
    assert '"Unknown Speaker" no longer speaks in P32.' in result.stderr
    # The JSON holds what the message says.
    assert (data["unchanged"], data["decisions_kept"], data["left_units"], data["joined_units"]) == (
        [],
        0,
        [7, 12],
        [],
    )
    assert data["speakers_dropped"] == ["Unknown Speaker"]
    assert "not merged. Segments 7, 12 leave the coding units." in result.stderr
    after = _speakers(db_path)
    assert [n for n, _, _ in after] == [n for n, _, _ in before] == list(range(1, 14))  # nothing merged
    assert after[3] == (4, "Marcus Bell", "participant") and after[8] == (9, "Marcus Bell", "participant")
    assert after[6] == (7, "Dana Whitfield", "interviewer") and after[11] == (
        12,
        "Dana Whitfield",
        "interviewer",
    )
    assert [b for b, a in zip(before, after) if b != a] == [before[i] for i in (3, 6, 8, 11)]
    rows = [r for r in iter_audit(open_db(db_path), entity="transcript") if r["action"] == "relabel"]
    assert [(r["actor"], r["before"]["segments"], r["after"]["segments"]) for r in rows] == [
        ("transcripts relabel",
         {"4": {"speaker": "Unknown Speaker", "role": "participant"},
          "9": {"speaker": "Unknown Speaker", "role": "participant"}},
         {"4": {"speaker": "Marcus Bell", "role": "participant"},
          "9": {"speaker": "Marcus Bell", "role": "participant"}}),
        ("transcripts relabel",
         {"7": {"speaker": "Unknown Speaker", "role": "participant"},
          "12": {"speaker": "Unknown Speaker", "role": "participant"}},
         {"7": {"speaker": "Dana Whitfield", "role": "interviewer"},
          "12": {"speaker": "Dana Whitfield", "role": "interviewer"}}),
    ]  # fmt: skip
    shown = runner.invoke(app, ["transcripts", "show", "P32", "-f", "json", "--db", str(db_path)])
    assert [s["speaker"] for s in json.loads(shown.stdout)["segments"]][3:12] == [
        "Marcus Bell", "Dana Whitfield", "Marcus Bell", "Dana Whitfield", "Marcus Bell",
        "Marcus Bell", "Dana Whitfield", "Marcus Bell", "Dana Whitfield",
    ]  # fmt: skip


def test_unknown_segments_speakers_and_ranges_are_one_line_errors(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path)
    before = _speakers(db_path)
    for args, message in (
        (["--segment", "4", "--segment", "12-14"], 'Transcript "P32" has segments 1 to 13: no segment 14.'),
        (["--segment", "0"], 'Transcript "P32" has segments 1 to 13: no segment 0.'),
        (["--segment", "3-x"], '--segment "3-x" is not a segment number or range'),
        (["--segment", "9-7"], '--segment "9-7" is not a segment number or range'),
    ):
        result = _relabel(runner, db_path, *args, "--speaker", "Marcus Bell")
        assert result.exit_code == 1 and result.stderr.startswith("Error: " + message), result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    result = _relabel(runner, db_path, "--segment", "4", "--speaker", "Lena Bell")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Error: Transcript "P32" has no speaker "Lena Bell" (speakers: "Dana Whitfield", "Marcus Bell", '
        '"Unknown Speaker"). Give one of them, or add --role'
    )
    result = _relabel(runner, db_path, "--segment", "4", "--speaker", "Marcus Bell", "--role", "other")
    assert result.exit_code == 1 and '"Marcus Bell" is participant in P32' in result.stderr
    assert _speakers(db_path) == before
    assert not [r for r in iter_audit(open_db(db_path), entity="transcript") if r["action"] == "relabel"]


def test_a_new_speaker_with_a_role(runner, db_path, tmp_path):
    """Turn 12 asks ("Is there anything else you want to add before we stop?"): the reason worked out again
    from the turns says so, not "answers" as of a participant."""
    _ingest(runner, db_path, tmp_path)
    result = _relabel(runner, db_path, "--segment", "12", "--speaker", "Lena Bell", "--role", "other")
    assert result.exit_code == 0, result.stderr
    assert (12, "Lena Bell", "other") in _speakers(db_path)
    roles = runner.invoke(app, ["transcripts", "roles", "P32", "-f", "json", "--db", str(db_path)])
    lena = [s for s in json.loads(roles.stdout)["speakers"] if s["label"] == "Lena Bell"]
    assert lena == [
        {"label": "Lena Bell", "role": "other", "turns": 1, "reason": "set with transcripts relabel; the turns "
         "as they now are: heard once: asks 1 question, answered by \"Marcus Bell\"; answers none of the "
         "interviewers' questions",
         "words": 11, "questions": 1, "given": True}
    ]  # fmt: skip


def test_coded_turns_keep_their_decisions_and_leave_the_units_only_with_force(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path)
    db = open_db(db_path)
    save_decision(db, Decision("P32", 4, "alice", frozenset({"csu-admission"})))
    save_decision(db, Decision("P32", 7, "alice", frozenset({"jail-fallback"})))
    db.close()
    # A participant's turn given to the participant it is: the decision stays, nothing to force.
    result = _relabel(runner, db_path, "--segment", "4", "--speaker", "Marcus Bell")
    assert result.exit_code == 0, result.stderr
    assert (
        "written to the audit log. The segment numbers stay: turns side by side are not merged. Its 1 coding decision stays on it.\n"
        in result.stderr
    )
    # A coded turn becoming the interviewer's leaves the coding units: refused, then done with --force.
    result = _relabel(runner, db_path, "--segment", "7", "--speaker", "Dana Whitfield")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: Transcript "P32": segment 7 has 1 coding decision and would move out of the coding units as '
        '"Dana Whitfield" (interviewer). Pass --force to relabel them (the decisions are kept and listed in '
        "the audit log).\n"
    )
    assert (7, "Unknown Speaker", "participant") in _speakers(db_path)
    result = _relabel(runner, db_path, "--segment", "7", "--speaker", "Dana Whitfield", "--force")
    assert result.exit_code == 0, result.stderr
    assert (
        "Its 1 coding decision stays on it; segment 7 leaves the coding units (the decisions" in result.stderr
    )
    assert (7, "Dana Whitfield", "interviewer") in _speakers(db_path)
    assert sorted((d.segment, d.coder) for d in iter_decisions(open_db(db_path), transcript_id="P32")) == [
        (4, "alice"),
        (7, "alice"),
    ]
    row = [r for r in iter_audit(open_db(db_path), entity="transcript") if r["action"] == "relabel"][-1]
    assert row["after"]["moved_segments"] == [7]
    assert row["after"]["decisions"] == [
        {"segment": 7, "coder": "alice", "codes": ["jail-fallback"], "note": ""}
    ]


def test_a_reingest_of_the_same_file_keeps_the_relabelled_turns(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path)
    assert _relabel(runner, db_path, "--segment", "4,9", "--speaker", "Marcus Bell").exit_code == 0
    assert (
        _relabel(
            runner, db_path, "--segment", "7", "--segment", "12", "--speaker", "Dana Whitfield"
        ).exit_code
        == 0
    )
    relabelled = _speakers(db_path)
    result = _ingest(runner, db_path, tmp_path)
    assert "unchanged, already in the project with the same content" in result.stderr
    assert "read differently" not in result.stderr
    # Read anew with --replace (as after an upgrade): the relabelled turns are the file's same turns.
    result = _ingest(runner, db_path, tmp_path, "--replace")
    assert "read differently" not in result.stderr
    assert _speakers(db_path) == relabelled


def test_relabel_works_each_speakers_reason_out_again_from_the_turns(runner, db_path, tmp_path):
    _ingest(runner, db_path, tmp_path)

    def why():
        result = runner.invoke(app, ["transcripts", "roles", "P32", "-f", "json", "--db", str(db_path)])
        assert result.exit_code == 0, result.stderr
        return {s["label"]: s["reason"] for s in json.loads(result.stdout)["speakers"]}

    assert why()["Dana Whitfield"] == "asks 4/6 questions; speaks first"
    assert _relabel(runner, db_path, "--segment", "4,9", "--speaker", "Marcus Bell").exit_code == 0
    # "Unknown Speaker" now only asks: the inference says so, and that the role read at ingest stands.
    assert why()["Unknown Speaker"] == (
        'asks 2/6 questions, answered by "Marcus Bell"; answers none, which would make them interviewer: '
        "kept participant until a person sets the role"
    )
    assert _relabel(runner, db_path, "--segment", "7,12", "--speaker", "Dana Whitfield").exit_code == 0
    assert why() == {
        "Dana Whitfield": "asks 6/6 questions; speaks first",
        "Marcus Bell": "answers: asks 0/6 questions",
    }
    # A role a person set stays theirs, and says so, with what the turns now say after it.
    runner.invoke(app, ["transcripts", "roles", "P32", "--participant", "Marcus Bell", "--db", str(db_path)])
    assert _relabel(runner, db_path, "--segment", "13", "--speaker", "Dana Whitfield").exit_code == 0
    assert why()["Marcus Bell"] == (
        "set with transcripts roles; the turns as they now are: answers: asks 0/6 questions"
    )


# Otter's plain export without its header: the participant's partner, heard once from the next room, is
# one more "Unknown Speaker" turn after the participant's own.
PARTNER = """Ruth Okafor  0:02
Okay, we're recording. Can you tell me about your role with the department?

Unknown Speaker  0:09
Sure. I'm a patrol officer, about nine years now, mostly nights on the north side.

Ruth Okafor  0:21
How often do you get crisis calls?

Unknown Speaker  0:25
Most shifts. The crisis unit will refuse him if he's been drinking, so I end up sitting in the ER.

Unknown Speaker  1:02
Sorry, my partner just walked in. He says the hold is the worst part of the job.

Ruth Okafor  1:15
Thanks, that's all my questions.
"""


def test_one_turn_given_a_new_other_speaker_says_so_in_the_singular_and_its_why_has_no_contradiction(
    runner, db_path, tmp_path
):
    (tmp_path / "W01.txt").write_text(PARTNER, encoding="utf-8")
    assert (
        runner.invoke(
            app, ["ingest", str(tmp_path / "W01.txt"), "--allow-pii", "--db", str(db_path)]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app,
        [
            "transcripts",
            "relabel",
            "W01",
            "--segment",
            "5",
            "--speaker",
            "Partner",
            "--role",
            "other",
            "--db",
            str(db_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "not merged. Segment 5 leaves the coding units." in result.stderr
    result = runner.invoke(app, ["transcripts", "roles", "W01", "-f", "json", "--db", str(db_path)])
    why = {s["label"]: s["reason"] for s in json.loads(result.stdout)["speakers"]}
    # A person set the role: the inference's "no participant until a person sets the role" would contradict it.
    assert why["Partner"].startswith("set with transcripts relabel; the turns as they now are: heard once: ")
    assert "until a person sets the role" not in why["Partner"]


def test_a_speaker_name_with_a_control_character_is_refused(runner, db_path, tmp_path):
    # A terminal's colour code pasted into --speaker became a speaker label, carried into every export.
    _ingest(runner, db_path, tmp_path)
    before = _speakers(db_path)
    result = _relabel(runner, db_path, "--segment", "9", "--speaker", "Lena\x1b[31m Bell", "--role", "other")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: --speaker "Lena\\x1b[31m Bell" holds a control character: give the name as plain text.\n'
    )
    assert _speakers(db_path) == before
