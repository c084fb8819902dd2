"""Transcripts in study order in every listing a user reads: P2 before P10 (as text, P10 came first),
S009 before S010 as before; the JSON in the same order as the text."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import CODEBOOKS
from typer.testing import CliRunner

from wei_qual import agree
from wei_qual.cli import app
from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.memos import list_memos
from wei_qual.models import Decision, study_order
from wei_qual.retrieve import retrieve
from wei_qual.search import search
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision, save_memo

IDS = ["P10", "P2", "P1", "S010", "S009"]  # ingested in this order, so no listing gets it for free
STUDY = ["P1", "P2", "P10", "S009", "S010"]


def test_the_sort_key():
    assert sorted(["P10", "P2", "p3", "P1", "S010", "S009", "P01", "A_policy"], key=study_order) == [
        "A_policy",
        "P01",
        "P1",
        "P2",
        "p3",
        "P10",
        "S009",
        "S010",
    ]
    assert sorted(["site2-P10", "site2-P9", "site10-P1"], key=study_order) == [
        "site2-P9",
        "site2-P10",
        "site10-P1",
    ]


@pytest.fixture
def project(tmp_path, make_transcript):
    path = tmp_path / "order.db"
    db = open_db(path)
    for tid in IDS:
        text = f"Interviewer: What happened?\n{tid}: No beds, so the jail took him.\n"
        ingest_files(db, [make_transcript(text, f"{tid}.txt")])
    load_into_project(db, CODEBOOKS / "wei_crisis_response.yaml")
    for tid in IDS:
        for coder in ("alice", "bob"):
            save_decision(db, Decision(tid, 2, coder, frozenset({"csu-capacity"})))
        save_memo(db, "alice", "segment", f"{tid}:2", "Beds again.")
    save_decision(db, Decision("P2", 2, "bob", frozenset({"csu-capacity", "jail-fallback"})))
    save_decision(db, Decision("P10", 2, "bob", frozenset({"csu-capacity", "jail-fallback"})))
    yield db, path
    db.close()


def test_retrieve_search_and_memos_list_transcripts_in_study_order(project):
    db, path = project
    assert [h.transcript for h in retrieve(db, ["csu-capacity"], source="alice").hits] == STUDY
    assert [h.transcript for h in search(db, "beds").hits] == STUDY
    assert [m.transcript for m in list_memos(db).memos] == STUDY
    runner = CliRunner()
    for args, key in (
        (["retrieve", "csu-capacity", "--source", "alice"], "hits"),
        (["search", "beds"], "results"),
        (["memos"], "memos"),
        (["transcripts", "list"], None),
        (["report", "matrix", "--source", "alice"], "rows"),
        (["report", "quotes", "--code", "csu-capacity", "--source", "alice", "--per-group", "5"], "quotes"),
    ):
        out = runner.invoke(app, [*args, "--format", "json", "--db", str(path)], catch_exceptions=False)
        rows = json.loads(out.stdout)[key] if key else json.loads(out.stdout)
        assert [r.get("transcript") or r.get("id") for r in rows] == STUDY, args
        # The text in the same order as the JSON.
        shown = runner.invoke(app, [*args, "--format", "csv", "--db", str(path)]).stdout
        if args[0] != "transcripts":
            assert [row["transcript"] for row in csv.DictReader(io.StringIO(shown))] == STUDY, args


def test_disagreements_are_walked_in_study_order(project):
    db, _ = project
    _, queue = agree.reconcile_queue(db, coders=["alice", "bob"])
    assert [d.unit.transcript for d in queue] == ["P2", "P10"]


def test_the_coding_session_walks_transcripts_in_study_order():
    from wei_qual.models import Segment
    from wei_qual.session import build_queue

    turn = [Segment(1, "R", "participant", "No beds.", 0, 8)]
    queue = build_queue({t: turn for t in IDS})
    assert [item.transcript for item in queue] == STUDY
    assert [item.transcript for item in build_queue({t: turn for t in IDS}, first=["S010"])] == [
        "S010",
        *STUDY[:-1],
    ]


def test_an_assignment_plan_is_listed_in_study_order():
    from wei_qual.assign import plan_assignment

    transcripts = {t: ("officer",) for t in IDS}
    plan = plan_assignment(transcripts, ["alice", "bob"], double=0.4, seed=7)
    assert list(plan.plan) == STUDY
