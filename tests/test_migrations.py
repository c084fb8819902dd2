"""The schema of a new project, idempotent migration, and upgrades from earlier states."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from wei_qual.migrations import APPLICATION_ID, migrations
from wei_qual.store import open_db

EXPECTED = {
    "transcripts": {
        "id": str,
        "source": str,
        "format": str,
        "sha256": str,
        "text": str,
        "ingested_utc": str,
        "roles": str,
        "roles_reason": str,
        "warnings": str,
        "kind": str,
    },
    "attributes": {"id": int, "transcript_id": str, "name": str, "value": str},
    "segments": {
        "id": int,
        "transcript_id": str,
        "n": int,
        "speaker": str,
        "role": str,
        "text": str,
        "start_char": int,
        "end_char": int,
        "start_time": float,
        "end_time": float,
        "label": str,
        "page": int,
        "end_page": int,
        "page_spans": str,
    },
    "codebooks": {
        "id": int,
        "name": str,
        "label": str,
        "yaml": str,
        "sha256": str,
        "active": int,
        "loaded_utc": str,
    },
    "codes": {
        "id": int,
        "codebook_id": int,
        "code": str,
        "name": str,
        "parent": str,
        "position": int,
        "definition": str,
        "include": str,
        "exclude": str,
        "examples": str,
        "atypical_examples": str,
        "color": str,
        "keywords": str,
        "patterns": str,
        "exclude_keywords": str,
        "exclusive": int,
        "renamed_from": str,
        "merged_into": str,
        "draft": int,
    },
    "coders": {"id": str, "created_utc": str},
    "decisions": {
        "id": int,
        "segment_id": int,
        "coder_id": str,
        "codes": str,
        "note": str,
        "rationale": str,
        "codebook_id": int,
        "accepted": str,
        "shown": str,
        "decided_utc": str,
        "revision": int,
        "excerpts": str,
    },
    "suggestions": {
        "id": int,
        "segment_id": int,
        "codebook_id": int,
        "code": str,
        "score": float,
        "evidence": str,
        "engine": str,
        "stale": int,
        "created_utc": str,
        "model_id": int,
    },
    "memos": {
        "id": int,
        "coder_id": str,
        "target_type": str,
        "target_id": str,
        "text": str,
        "created_utc": str,
        "updated_utc": str,
    },
    "audit_log": {
        "id": int,
        "at_utc": str,
        "actor": str,
        "action": str,
        "entity": str,
        "entity_id": str,
        "before": str,
        "after": str,
    },
    "settings": {"key": str, "value": str},
    "assignments": {"id": int, "transcript_id": str, "coder_id": str, "double": int, "assigned_utc": str},
    "speakers": {"id": int, "transcript_id": str, "label": str, "role": str, "reason": str, "given": int},
    "speaker_attributes": {"id": int, "transcript_id": str, "speaker": str, "name": str, "value": str},
    "packet_syncs": {
        "id": int,
        "packet_id": str,
        "transcript_id": str,
        "n": int,
        "coder_id": str,
        "project_revision": int,
        "packet_revision": int,
        "synced_utc": str,
    },
    "packets": {
        "id": str,
        "made_for": str,
        "coder_id": str,
        "made_utc": str,
        "merged_generation": int,
        "merged_log": str,
    },
    "packet_memo_syncs": {
        "id": int,
        "packet_id": str,
        "target_type": str,
        "target_id": str,
        "project_sha256": str,
        "packet_sha256": str,
        "synced_utc": str,
    },
    "learned_models": {
        "id": int,
        "codebook_id": int,
        "source": str,
        "labels": str,
        "too_few": str,
        "examples": str,
        "units": int,
        "units_sha256": str,
        "min_examples": int,
        "seed": int,
        "epochs": int,
        "info": str,
        "config": str,
        "weights": bytes,
        "spacy_version": str,
        "decisions_count": int,
        "decisions_last_utc": str,
        "decisions_revisions": int,
        "seconds": float,
        "trained_utc": str,
    },
    "search_index": {"segment_id": int, "terms": str, "offsets": str},
    "learned_evaluations": {
        "id": int,
        "codebook_id": int,
        "source": str,
        "units_sha256": str,
        "folds": int,
        "seed": int,
        "epochs": int,
        "min_examples": int,
        "min_score": float,
        "result": str,
        "evaluated_utc": str,
    },
}

EXPECTED_FOREIGN_KEYS = {
    "attributes": {("transcript_id", "transcripts", "id")},
    "segments": {("transcript_id", "transcripts", "id")},
    "codes": {("codebook_id", "codebooks", "id")},
    "decisions": {
        ("segment_id", "segments", "id"),
        ("coder_id", "coders", "id"),
        ("codebook_id", "codebooks", "id"),
    },
    "suggestions": {
        ("segment_id", "segments", "id"),
        ("codebook_id", "codebooks", "id"),
        ("model_id", "learned_models", "id"),
    },
    "learned_models": {("codebook_id", "codebooks", "id")},
    "learned_evaluations": {("codebook_id", "codebooks", "id")},
    "memos": {("coder_id", "coders", "id")},
    "assignments": {("transcript_id", "transcripts", "id"), ("coder_id", "coders", "id")},
    "speakers": {("transcript_id", "transcripts", "id")},
    "speaker_attributes": {("transcript_id", "transcripts", "id")},
}


def test_new_project_has_exact_schema(db_path):
    db = Database(db_path)
    tables = set(db.table_names()) - {"_sqlite_migrations"}
    assert tables == set(EXPECTED)
    for name, columns in EXPECTED.items():
        assert db.table(name).columns_dict == columns, name
    for name, fks in EXPECTED_FOREIGN_KEYS.items():
        got = {(fk.column, fk.other_table, fk.other_column) for fk in db.table(name).foreign_keys}
        assert got == fks, name
    unique = {
        (name, tuple(index.columns)) for name in EXPECTED for index in db.table(name).indexes if index.unique
    }
    assert ("decisions", ("segment_id", "coder_id")) in unique  # one decision per segment x coder
    assert ("transcripts", ("sha256",)) in unique  # re-ingest is deduplicated by content
    assert ("segments", ("transcript_id", "n")) in unique
    assert ("speakers", ("transcript_id", "label")) in unique
    assert ("speaker_attributes", ("transcript_id", "speaker", "name")) in unique
    assert ("packet_syncs", ("packet_id", "transcript_id", "n", "coder_id")) in unique
    assert ("packet_memo_syncs", ("packet_id", "target_type", "target_id")) in unique
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_opening_twice_changes_nothing(db_path):
    def snapshot():
        db = Database(db_path)
        schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        applied = db.execute("SELECT name, applied_at FROM _sqlite_migrations ORDER BY id").fetchall()
        settings = db.execute("SELECT * FROM settings").fetchall()
        db.close()
        return schema, applied, settings

    first = snapshot()
    open_db(db_path).close()
    assert snapshot() == first


def test_database_is_owner_only_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "new.db"
    db = open_db(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    db.table("coders").insert({"id": "alice", "created_utc": "2026-01-01T00:00:00Z"})
    # SQLite gives the WAL file the database file's permissions.
    wal = tmp_path / "new.db-wal"
    assert wal.exists() and wal.stat().st_mode & 0o777 == 0o600


def test_audit_log_is_append_only(db):
    db.table("audit_log").insert({"at_utc": "t", "action": "create", "entity": "decision"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")


def _add_transcript(old: Database, *, segment: bool = False) -> None:
    """Transcript p01 ("Hi.") in a project at an older schema step, with its one participant segment."""
    old.table("transcripts").insert(
        {
            "id": "p01",
            "source": "p01.txt",
            "format": "txt",
            "sha256": "abc",
            "text": "Hi.",
            "ingested_utc": "t",
        }
    )
    if segment:
        old.table("segments").insert(
            {
                "transcript_id": "p01",
                "n": 1,
                "role": "participant",
                "text": "Hi.",
                "start_char": 0,
                "end_char": 3,
            }
        )


def test_upgrade_from_first_migration_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_make_audit_log_append_only")
    assert "settings" not in old.table_names()
    _add_transcript(old)
    old.table("audit_log").insert(
        {"at_utc": "t", "action": "ingest", "entity": "transcript", "entity_id": "p01"}
    )
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    assert [r["id"] for r in db.query("SELECT id FROM transcripts")] == ["p01"]
    assert [r["entity_id"] for r in db.query("SELECT entity_id FROM audit_log")] == ["p01"]
    project_id = db.execute("SELECT value FROM settings WHERE key = 'project_id'").fetchone()[0]
    assert len(project_id) == 36  # backfilled uuid4
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log")


def test_upgrade_to_revisions_keeps_decisions_and_sets_application_id(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m005_set_application_id")
    _add_transcript(old, segment=True)
    old.table("coders").insert({"id": "alice", "created_utc": "t"})
    old.table("decisions").insert(
        {"segment_id": 1, "coder_id": "alice", "codes": '["a"]', "note": "kept", "decided_utc": "t"}
    )
    assert old.execute("PRAGMA application_id").fetchone()[0] == 0
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)  # an older project (no application_id yet) is recognised by its migrations table
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    rows = list(db.query("SELECT coder_id, codes, note, revision FROM decisions"))
    assert rows == [{"coder_id": "alice", "codes": '["a"]', "note": "kept", "revision": 1}]
    assert list(db.query("SELECT * FROM packet_syncs")) == []


def test_upgrade_to_speaker_roles_backfills_speakers_from_segments(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m008_add_speaker_roles")
    old.table("transcripts").insert(
        {"id": "p01", "source": "p01.txt", "format": "txt", "sha256": "abc", "text": "x", "ingested_utc": "t"}
    )
    segments = [
        (1, "Interviewer", "interviewer"),
        (2, "P01", "participant"),
        (3, None, "participant"),
        (4, "Interviewer", "interviewer"),
    ]
    for n, speaker, role in segments:
        old.table("segments").insert(
            {
                "transcript_id": "p01",
                "n": n,
                "speaker": speaker,
                "role": role,
                "text": "x",
                "start_char": 0,
                "end_char": 1,
            }
        )
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    row = db.execute("SELECT roles, roles_reason, warnings FROM transcripts").fetchone()
    assert row == ("inferred", "", "[]")
    assert db.execute("SELECT transcript_id, label, role, given FROM speakers ORDER BY id").fetchall() == [
        ("p01", "Interviewer", "interviewer", 0),
        ("p01", "P01", "participant", 0),
    ]
    assert [r[0] for r in db.execute("SELECT role FROM segments ORDER BY n").fetchall()] == [
        "interviewer",
        "participant",
        "participant",
        "interviewer",
    ]


def test_upgrade_adds_model_id_and_keeps_suggestions(tmp_path):
    # m009 rebuilds the suggestions table to add model_id with its foreign key: rows and the unique index stay.
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m009_create_learned_models")
    _add_transcript(old, segment=True)
    old.table("codebooks").insert(
        {"id": 1, "name": "c", "yaml": "", "sha256": "s", "active": 1, "loaded_utc": "t"}
    )
    old.table("suggestions").insert(
        {
            "segment_id": 1,
            "codebook_id": 1,
            "code": "x",
            "score": 0.6,
            "evidence": "[]",
            "engine": "rules",
            "stale": 0,
            "created_utc": "t",
        }
    )
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    rows = db.execute("SELECT segment_id, code, score, engine, model_id FROM suggestions").fetchall()
    assert rows == [(1, "x", 0.6, "rules", None)]
    unique = {tuple(i.columns) for i in db.table("suggestions").indexes if i.unique}
    assert ("segment_id", "codebook_id", "engine", "code") in unique
    assert "learned_models" in db.table_names()


def test_upgrade_to_documents_marks_every_transcript_an_interview(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m010_add_documents")
    _add_transcript(old, segment=True)
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    assert db.execute("SELECT id, kind FROM transcripts").fetchall() == [("p01", "interview")]
    assert db.execute("SELECT n, text, label, page FROM segments").fetchall() == [(1, "Hi.", None, None)]


def test_upgrade_to_end_pages_cites_an_older_document_segment_by_its_start_page(tmp_path):
    from wei_qual.ingest.sections import reference
    from wei_qual.store.transcripts import get_transcript_detail, iter_segment_places

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m018_add_segment_end_pages")
    old.table("transcripts").insert(
        {
            "id": "d01",
            "source": "d01.pdf",
            "format": "pdf",
            "sha256": "x",
            "text": "No one who is violent.",
            "kind": "document",
            "roles": "none",
            "ingested_utc": "2026-03-14T09:32:00Z",
        }
    )
    old.table("segments").insert(
        {
            "transcript_id": "d01",
            "n": 1,
            "role": "document",
            "text": "No one who is violent.",
            "start_char": 0,
            "end_char": 22,
            "label": None,
            "page": 3,
        }
    )
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    # Not known: it may run onto page 4, but the project never said, so it is cited as before.
    assert iter_segment_places(db, turns=False) == {("d01", 1): (None, 3, None)}
    assert reference(*iter_segment_places(db, turns=False)[("d01", 1)], 1) == "p. 3"
    (segment,) = get_transcript_detail(db, "d01")["segments"]
    assert (segment["page"], segment["end_page"]) == (3, None)


def test_upgrade_to_excerpts_drafts_and_search_keeps_decisions_and_codes(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m011_add_decision_excerpts")
    _add_transcript(old, segment=True)
    old.table("codebooks").insert(
        {"name": "c", "label": "1", "yaml": "y", "sha256": "s", "active": 1, "loaded_utc": "t"}
    )
    old.table("codes").insert({"codebook_id": 1, "code": "a", "name": "A", "position": 0, "exclusive": 0})
    old.table("coders").insert({"id": "alice", "created_utc": "t"})
    old.table("decisions").insert(
        {"segment_id": 1, "coder_id": "alice", "codes": '["a"]', "note": "kept", "decided_utc": "t"}
    )
    old.table("memos").insert(
        {"coder_id": "alice", "target_type": "code", "target_id": "a", "text": "m", "created_utc": "t"}
    )
    old.close()
    path.chmod(0o600)  # as a project wei-qual made (not the umask's 0644)

    db = open_db(path)
    assert list(db.query("SELECT coder_id, codes, note, excerpts FROM decisions")) == [
        {
            "coder_id": "alice",
            "codes": '["a"]',
            "note": "kept",
            "excerpts": None,
        }  # no excerpt: the whole turn
    ]
    assert list(db.query("SELECT code, draft FROM codes")) == [{"code": "a", "draft": 0}]
    assert list(db.query("SELECT * FROM search_index")) == []  # built by the first search
    assert ("target_type", "target_id") in {tuple(i.columns) for i in db.table("memos").indexes}
    # A changed or deleted segment drops its index row, so the next search indexes it again.
    db.execute("INSERT INTO search_index (segment_id, terms, offsets) VALUES (1, 'hi\x1fhi', '0 2')")
    db.execute("UPDATE segments SET text = 'Hello.' WHERE id = 1")
    assert list(db.query("SELECT * FROM search_index")) == []


def test_the_reports_find_decisions_with_excerpts_by_index(db_path):
    # A report looks up the few decisions with excerpts; it must not read every decision to find them.
    from wei_qual.store.decisions import iter_excerpts

    db = open_db(db_path)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)  # the SQL as run, parameters filled in
    iter_excerpts(db, coders=["alice", "bob"])
    iter_excerpts(db)
    db.conn.set_trace_callback(None)
    assert len(statements) == 2
    for sql in statements:
        plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        assert "USING INDEX idx_decisions_excerpts" in plan, plan
    db.close()
