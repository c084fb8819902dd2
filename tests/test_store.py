"""The store: opening projects, decisions with their audit trail, errors."""

from __future__ import annotations

import pytest

from wei_qual.errors import DecisionError, StoreError
from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import delete_decision, get_decision, iter_decisions, save_decision
from wei_qual.store.transcripts import get_attributes, iter_transcript_rows, save_transcript


def _transcript(tid="p01"):
    text = "First answer.\n\nSecond answer."
    return Transcript(
        id=tid,
        source=f"{tid}.txt",
        format="txt",
        sha256=f"sha-{tid}",
        text=text,
        segments=(
            Segment(1, "P01", PARTICIPANT, "First answer.", 0, 13),
            Segment(2, "P01", PARTICIPANT, "Second answer.", 15, 29),
        ),
        attributes={"role": "officer"},
    )


def test_open_db_refuses_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match='notes.db" is not a wei-qual project database'):
        open_db(bogus)


def test_open_db_refuses_a_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_db(tmp_path / "nope" / "x.db")


def test_save_transcript_and_read_back(db):
    save_transcript(db, _transcript())
    rows = iter_transcript_rows(db)
    assert [(r["id"], r["segments"], r["participant_segments"]) for r in rows] == [("p01", 2, 2)]
    assert get_attributes(db) == {"p01": {"role": "officer"}}


def test_decisions_are_saved_updated_and_audited(db):
    save_transcript(db, _transcript())
    assert save_decision(db, Decision("p01", 1, "alice", frozenset({"b", "a"}), note="hm"))
    assert not save_decision(db, Decision("p01", 1, "alice", frozenset({"a", "b"}), note="hm"))  # unchanged
    assert save_decision(db, Decision("p01", 1, "alice", frozenset()))  # "nothing applies"
    got = get_decision(db, "p01", 1, "alice")
    assert got.codes == frozenset() and got.note == ""
    assert [d.segment for d in iter_decisions(db, coders=["alice"])] == [1]
    assert delete_decision(db, "p01", 1, "alice")
    log = [(r["action"], r["entity_id"], r["before"], r["after"]) for r in iter_audit(db, entity="decision")]
    assert log == [
        ("create", "p01:1:alice", None, {"codes": ["a", "b"], "note": "hm", "rationale": ""}),
        (
            "update",
            "p01:1:alice",
            {"codes": ["a", "b"], "note": "hm", "rationale": ""},
            {"codes": [], "note": "", "rationale": ""},
        ),
        ("delete", "p01:1:alice", {"codes": [], "note": "", "rationale": ""}, None),
    ]


def test_decision_on_unknown_segment_is_an_error(db):
    save_transcript(db, _transcript())
    with pytest.raises(DecisionError, match='Transcript "p01" has no segment 9'):
        save_decision(db, Decision("p01", 9, "alice"))


def test_coder_progress_counts_participant_turns_and_the_coders_assignment(db):
    # Found by mutation testing: the assignment columns and "no decision yet" were never checked.
    from wei_qual.models import INTERVIEWER
    from wei_qual.store.assignments import replace_assignments
    from wei_qual.store.decisions import iter_coder_progress

    for tid in ("t1", "t2"):
        segments = (
            Segment(1, "I", INTERVIEWER, "Q?", 0, 2),
            *(Segment(n, "P", PARTICIPANT, "A.", 0, 2) for n in (2, 3)),
        )
        save_transcript(db, Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", "x", segments))
    replace_assignments(db, {"t1": ["alice"], "t2": ["alice", "bob"]}, {"t2"}, actor="lead")
    save_decision(db, Decision("t1", 2, "alice", frozenset()))
    save_decision(db, Decision("t2", 3, "alice", frozenset({"beds"})))
    save_decision(db, Decision("t1", 1, "bob", frozenset({"beds"})))  # an interviewer turn: not counted
    rows = {r["coder"]: r for r in iter_coder_progress(db)}
    last = rows["alice"].pop("last_decided_utc")
    assert last == max(d.decided_utc for d in iter_decisions(db, coders=["alice"]))
    assert rows["alice"] == {
        "coder": "alice",
        "coded": 2,
        "total": 4,
        "nothing_applies": 1,
        "assigned_transcripts": 2,
        "assigned_coded": 2,
        "assigned_total": 4,
    }
    assert {
        k: rows["bob"][k] for k in ("coded", "last_decided_utc", "assigned_transcripts", "assigned_total")
    } == {
        "coded": 0,
        "last_decided_utc": None,
        "assigned_transcripts": 1,
        "assigned_total": 2,
    }
    by = [
        (r["coder"], r["transcript"], r["coded"], r["assigned"])
        for r in iter_coder_progress(db, by_transcript=True)
    ]
    assert by == [
        ("alice", "t1", 1, True),
        ("alice", "t2", 1, True),
        ("bob", "t1", 0, False),
        ("bob", "t2", 0, True),
    ]
