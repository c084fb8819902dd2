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
