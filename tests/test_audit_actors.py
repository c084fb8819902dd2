"""Every audit row names who made the change: the --actor given, else the command that made it."""

from __future__ import annotations

import pytest
from test_cli_packets import _project

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import save_decision


def run(runner, *args):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def actors(path, action):
    return [r["actor"] for r in iter_audit(open_db(path)) if r["action"] == action]


@pytest.mark.parametrize("given", [None, "lead"])
def test_the_lead_workflow_is_audited_by_name(runner, tmp_path, given):
    lead = tmp_path / "lead.db"
    _project(lead)
    flag = ["--actor", given] if given else []
    run(runner, "assign", "--coders", "alice,bob", "--double", "0.5", "--seed", "2", *flag, "--db", str(lead))
    packet = tmp_path / "alice.wqp"
    run(runner, "packet", "--coder", "alice", "-o", str(packet), *flag, "--db", str(lead))
    tid = open_db(packet).execute("SELECT id FROM transcripts ORDER BY id").fetchone()[0]
    save_decision(open_db(packet), Decision(tid, 1, "alice", frozenset({"a"})))
    run(runner, "merge", str(packet), *flag, "--db", str(lead))

    assert actors(lead, "assign") == [given or "assign"]
    assert actors(lead, "make") == [given or "packet"]
    # The merge is the lead's act; the decision it brings in stays the coder's own.
    assert actors(lead, "merge") == [given or "alice (packet alice.wqp)"]
    assert actors(lead, "create") == ["alice (packet alice.wqp)"]


@pytest.mark.parametrize("given", [None, "dana"])
def test_ingest_roles_and_allowlist_are_audited_by_name(runner, tmp_path, db_path, given):
    flag = ["--actor", given] if given else []
    transcript = tmp_path / "p01.txt"
    transcript.write_text(
        "Interviewer: What happens on a crisis call?\nP01: We wait for the unit.\n"
        "Interviewer: And then?\nP01: The hospital takes him.\n",
        encoding="utf-8",
    )
    attributes = tmp_path / "participants.csv"
    attributes.write_text("id,role\np01,officer\n", encoding="utf-8")
    run(runner, "ingest", str(transcript), "--attributes", str(attributes), *flag, "--db", str(db_path))
    transcript.write_text(transcript.read_text(encoding="utf-8") + "Interviewer: Thanks.\n", encoding="utf-8")
    run(runner, "ingest", str(transcript), *flag, "--db", str(db_path))
    run(
        runner,
        "transcripts",
        "roles",
        "p01",
        "--participant",
        "Interviewer",
        "--force",
        *flag,
        "--db",
        str(db_path),
    )
    run(runner, "deid", "allow", "add", "Crisis Stabilization Unit", *flag, "--db", str(db_path))
    run(runner, "deid", "allow", "remove", "Crisis Stabilization Unit", *flag, "--db", str(db_path))

    assert actors(db_path, "ingest") == [given or "ingest"]
    assert actors(db_path, "set_attributes") == [given or "ingest"]
    assert actors(db_path, "replace") == [given or "ingest"]
    assert actors(db_path, "set_roles") == [given or "transcripts roles"]
    assert (
        actors(db_path, "deid_allow_add") == actors(db_path, "deid_allow_remove") == [given or "deid allow"]
    )


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        ("le\x1bad", "it holds a control character (U+001B), which a terminal would act on."),
        ("x" * 60, "it is too long for a name: 60 characters, 1 word"),
    ],
)
def test_an_actor_that_could_be_no_name_is_refused_before_anything_is_written(
    runner, tmp_path, actor, reason
):
    # --actor went as it was into the append-only audit log: escape sequences, line breaks, 3,000 chars.
    lead = tmp_path / "lead.db"
    _project(lead)
    before = len(iter_audit(open_db(lead)))
    for args in (
        ["assign", "--coders", "alice,bob"],
        ["codebook", "load", "missing.yaml"],
        ["merge", "x.wqp"],
    ):
        result = runner.invoke(app, [*args, "--actor", actor, "--db", str(lead)])
        assert result.exit_code == 2 and reason in result.stderr
    assert len(iter_audit(open_db(lead))) == before


def test_a_blank_actor_is_the_command(runner, tmp_path):
    lead = tmp_path / "lead.db"
    _project(lead)
    run(runner, "assign", "--coders", "alice,bob", "--actor", "   ", "--db", str(lead))
    assert actors(lead, "assign") == ["assign"]
