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


# ----------------------------------------------------------------- edges found by mutation testing


def test_a_decision_reads_back_whole(db):
    from wei_qual.models import Excerpt

    save_transcript(db, _transcript())
    saved = Decision(
        "p01",
        2,
        "alice",
        frozenset({"beds", "transport"}),
        note="check the county",
        accepted=frozenset({"beds"}),
        shown=frozenset({"beds", "jail"}),
        rationale="both raised",
        excerpts=(Excerpt("beds", 0, 6),),
    )
    save_decision(db, saved)
    got = get_decision(db, "p01", 2, "alice")
    assert (got.transcript, got.segment, got.coder, got.codes, got.note) == (
        "p01",
        2,
        "alice",
        frozenset({"beds", "transport"}),
        "check the county",
    )
    assert (got.accepted, got.shown, got.rationale, got.excerpts, got.revision) == (
        frozenset({"beds"}),
        frozenset({"beds", "jail"}),
        "both raised",
        (Excerpt("beds", 0, 6),),
        1,
    )
    assert get_decision(db, "p01", 2, "bob") is None


def test_a_deletion_is_audited_under_whoever_made_it(db):
    save_transcript(db, _transcript())
    for coder in ("alice", "bob"):
        save_decision(db, Decision("p01", 1, coder, frozenset({"beds"})))
    delete_decision(db, "p01", 1, "alice")  # the coder's own
    delete_decision(db, "p01", 1, "bob", actor="lead")  # the lead's, on bob's decision
    deleted = [r for r in iter_audit(db, entity="decision") if r["action"] == "delete"]
    assert [(r["entity_id"], r["actor"]) for r in deleted] == [
        ("p01:1:alice", "alice"),
        ("p01:1:bob", "lead"),
    ]


def test_memo_changes_are_audited_with_the_text_before_and_after(db):
    from wei_qual.store.decisions import save_memo

    save_memo(db, "alice", "segment", "p01:2", "Beds again.")
    save_memo(db, "alice", "segment", "p01:2", "Beds again; compare p03.")
    assert [
        (r["action"], r["entity_id"], r["actor"], r["before"], r["after"])
        for r in iter_audit(db, entity="memo")
    ] == [
        ("create", "segment:p01:2:alice", "alice", None, {"text": "Beds again."}),
        (
            "update",
            "segment:p01:2:alice",
            "alice",
            {"text": "Beds again."},
            {"text": "Beds again; compare p03."},
        ),
    ]


def test_excerpts_are_read_for_the_coders_asked_only(db):
    from wei_qual.models import Excerpt
    from wei_qual.store.decisions import iter_excerpts

    save_transcript(db, _transcript())
    save_decision(db, Decision("p01", 2, "alice", frozenset({"beds"}), excerpts=(Excerpt("beds", 0, 6),)))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"beds"}), excerpts=(Excerpt("beds", 7, 14),)))
    save_decision(db, Decision("p01", 1, "bob", frozenset({"beds"})))  # no excerpt: not listed
    assert iter_excerpts(db, coders=["bob"]) == {("p01", 2, "bob"): (Excerpt("beds", 7, 14),)}
    assert iter_excerpts(db) == {
        ("p01", 2, "alice"): (Excerpt("beds", 0, 6),),
        ("p01", 2, "bob"): (Excerpt("beds", 7, 14),),
    }


def test_bulk_save_counts_updates_and_names_an_unknown_segment(db):
    from wei_qual.store.decisions import save_decisions

    save_transcript(db, _transcript())
    first = [Decision("p01", n, "alice", frozenset({"beds"})) for n in (1, 2)]
    assert save_decisions(db, first) == (2, 0, 0)
    again = [Decision("p01", n, "alice", frozenset({"jail"})) for n in (1, 2)]
    assert save_decisions(db, [*again, Decision("p01", 1, "bob")]) == (1, 2, 0)
    with pytest.raises(DecisionError) as ex:
        save_decisions(db, [Decision("p01", 2, "alice"), Decision("p01", 7, "alice")])
    assert str(ex.value) == 'Transcript "p01" has no segment 7. Check it with "wei-qual transcripts show".'
    assert get_decision(db, "p01", 2, "alice").codes == {"jail"}  # all or nothing


def test_bulk_save_merges_each_decision_with_the_stored_one(db):
    from wei_qual.store.decisions import save_decisions

    save_transcript(db, _transcript())
    save_decision(db, Decision("p01", 1, "alice", frozenset({"beds"}), rationale="the lead asked"))
    seen = []

    def keep_rationale(new, stored):
        seen.append((new.segment, stored.rationale if stored else None))
        return Decision(
            new.transcript, new.segment, new.coder, new.codes, rationale=stored.rationale if stored else ""
        )

    save_decisions(
        db, [Decision("p01", n, "alice", frozenset({"jail"})) for n in (1, 2)], merge=keep_rationale
    )
    assert seen == [(1, "the lead asked"), (2, None)]
    assert get_decision(db, "p01", 1, "alice").rationale == "the lead asked"


def test_the_session_reads_suggestions_with_their_evidence(db):
    from _coding_project import build_project

    from wei_qual.models import Evidence
    from wei_qual.store.decisions import iter_suggestions_for_session
    from wei_qual.store.suggestions import replace_suggestions

    version = build_project(db)
    segment = db.execute("SELECT id FROM segments WHERE transcript_id = 'p01' AND n = 4").fetchone()[0]
    evidence = [
        {
            "start": 0,
            "end": 18,
            "text": "Nobody followed up",
            "source": "keyword:followed up",
            "negated": True,
        },
        {"start": 34, "end": 40, "text": "county", "source": "pattern:0", "negated": False},
    ]
    replace_suggestions(
        db,
        codebook_id=version,
        engine="rules",
        segment_ids=None,
        rows=[(segment, "followup", 0.4, evidence[:1]), (segment, "setting-rural", 0.7, evidence[1:])],
    )
    found = iter_suggestions_for_session(db, version, segment=("p01", 4), engine="rules")
    assert [(s.code, s.score, s.evidence) for s in found[("p01", 4)]] == [
        ("setting-rural", 0.7, (Evidence(34, 40, "county", "pattern:0", negated=False),)),
        ("followup", 0.4, (Evidence(0, 18, "Nobody followed up", "keyword:followed up", negated=True),)),
    ]
    assert iter_suggestions_for_session(db, version, segment=("p01", 4), engine="learned") == {}


def test_decisions_of_one_transcript_and_of_some_coders_in_it(db):
    save_transcript(db, _transcript("p01"))
    save_transcript(db, _transcript("p02"))
    for tid in ("p01", "p02"):
        for coder in ("alice", "bob"):
            save_decision(db, Decision(tid, 2, coder, frozenset({"beds"})))
    # What ingest --replace counts before it replaces a coded transcript.
    assert [(d.transcript, d.coder) for d in iter_decisions(db, transcript_id="p02")] == [
        ("p02", "alice"),
        ("p02", "bob"),
    ]
    assert [(d.transcript, d.coder) for d in iter_decisions(db, coders=["bob"], transcript_id="p01")] == [
        ("p01", "bob")
    ]


def test_a_decision_row_without_accepted_or_shown_lists_reads_as_none_shown(db):
    # The columns may be NULL (a row written by hand or by another tool): nothing was accepted or shown.
    save_transcript(db, _transcript())
    save_decision(db, Decision("p01", 1, "alice", frozenset({"beds"}), accepted=frozenset({"beds"})))
    db.execute("UPDATE decisions SET accepted = NULL, shown = NULL")
    (got,) = iter_decisions(db)
    assert (got.codes, got.accepted, got.shown) == (frozenset({"beds"}), frozenset(), frozenset())


def test_codes_in_decisions_matches_whole_ids_only(db):
    # The string match is only a prefilter: "_" is LIKE's any-character, and "csu" is inside "csu-x".
    from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
    from wei_qual.store.decisions import codes_in_decisions, save_decision
    from wei_qual.store.transcripts import save_transcript

    save_transcript(
        db,
        Transcript("p01", "p01.txt", "txt", "sha", "One.", (Segment(1, "P", PARTICIPANT, "One.", 0, 4),), {}),
    )
    save_decision(db, Decision("p01", 1, "alice", frozenset({"csu-x", "a_b"})))
    assert codes_in_decisions(db, ["csu-x", "csu", "a_b", "aXb", "x"]) == {"csu-x", "a_b"}


def test_a_read_made_twice_is_made_once_until_the_project_changes(db_path):
    # A report's warning and the methods passage's number read consensus's coverage and stale copies;
    # the second read is the first's result while nothing changed, and a new read after any change, by
    # this connection (saved or not yet committed) or committed by another.
    from wei_qual.store.decisions import consensus_coverage

    db = open_db(db_path)
    other = open_db(db_path)
    try:
        save_transcript(db, _transcript())
        save_decision(db, Decision("p01", 1, "alice", frozenset({"a"})))
        selects = []
        db.conn.set_trace_callback(lambda sql: selects.append(sql) if "COUNT(c.segment_id)" in sql else None)
        assert consensus_coverage(db, "consensus") == consensus_coverage(db, "consensus") == (0, 1)
        assert len(selects) == 1
        save_decision(db, Decision("p01", 1, "consensus", frozenset({"a"}), rationale="agreed"))
        assert consensus_coverage(db, "consensus") == (
            1,
            1,
        )  # (turns consensus decided, of those the coders did)
        save_decision(other, Decision("p01", 2, "bob", frozenset({"a"})))
        assert consensus_coverage(db, "consensus") == (1, 2)
        db.conn.execute("BEGIN")
        db.conn.execute("DELETE FROM decisions WHERE coder_id = 'consensus'")
        assert consensus_coverage(db, "consensus") == (0, 2)
        db.conn.execute("ROLLBACK")
        assert len(selects) == 4
    finally:
        db.close()
        other.close()
