"""Whole-project reads and bulk writes for REFI-QDA exchange (`wei-qual project export/import`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import Decision, Transcript
from . import now_utc, to_json
from .excerpts import excerpts_from_json, excerpts_json

PROJECT_NAME = "project_name"  # settings key: the name a .qdpx gave the project


def project_times(db: Database) -> tuple[str | None, str | None]:
    """(created, modified): the first and the last audited change, as ISO-8601 UTC text."""
    row = db.execute("SELECT MIN(at_utc), MAX(at_utc) FROM audit_log").fetchone()
    return row[0], row[1]


def content_counts(db: Database) -> dict[str, int]:
    """How many transcripts, codebook versions, decisions and memos the project holds."""
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("transcripts", "codebooks", "decisions", "memos")
    }


def iter_transcript_heads(db: Database) -> list[dict]:
    """Every transcript's id, source, format, kind and ingest time, ordered by id (no text)."""
    return list(
        db.query(
            "SELECT id, source, format, kind, ingested_utc, roles, roles_reason FROM transcripts ORDER BY id"
        )
    )


def iter_segment_speakers(db: Database) -> Iterator[tuple[str, str | None, str]]:
    """(transcript, speaker, role) of every segment, in transcript and segment order, one row at a time."""
    yield from db.execute("SELECT transcript_id, speaker, role FROM segments ORDER BY transcript_id, n")


def iter_given_speakers(db: Database) -> dict[str, list[str]]:
    """Transcript -> the speaker labels whose role a person set (`transcripts roles`, --interviewer-labels)."""
    given: dict[str, list[str]] = {}
    for r in db.query(
        "SELECT transcript_id, label FROM speakers WHERE given = 1 ORDER BY transcript_id, label"
    ):
        given.setdefault(r["transcript_id"], []).append(r["label"])
    return given


def transcript_segments(db: Database, transcript: str) -> list[dict]:
    """Segment rows (n, speaker, role, text, times, label, page, end_page, page_spans: JSON text) of one
    transcript, in order."""
    return list(
        db.query(
            "SELECT n, speaker, role, text, start_time, end_time, label, page, end_page, page_spans FROM segments "
            "WHERE transcript_id = ? ORDER BY n",
            [transcript],
        )
    )


def iter_all_memos(db: Database) -> list[dict]:
    """Every memo (coder_id, target_type, target_id, text, created_utc, updated_utc) in a stable order."""
    return list(
        db.query(
            "SELECT coder_id, target_type, target_id, text, created_utc, updated_utc FROM memos "
            "ORDER BY target_type, target_id, coder_id"
        )
    )


def rationale_coders(db: Database) -> set[str]:
    """Coders every one of whose decisions carries a rationale (what reconcile's consensus writes)."""
    return {
        coder
        for coder, all_have in db.execute(
            "SELECT d.coder_id, MIN(COALESCE(d.rationale, '') != '') FROM decisions d "
            "JOIN segments s ON s.id = d.segment_id GROUP BY d.coder_id"
        )
        if all_have
    }


def iter_lean_decisions(
    db: Database, transcript: str | None = None, parsed: dict[str, frozenset[str]] | None = None
) -> list[Decision]:
    """Every decision (codes, note, rationale, time, codebook version, the suggestions shown and accepted),
    in transcript, segment, coder order; only one transcript's when `transcript` is given (the export reads
    one transcript at a time).

    Each distinct code list's JSON text is parsed once (across calls when they share `parsed`).
    """
    parsed = {} if parsed is None else parsed

    def codes_of(text: str | None) -> frozenset[str]:
        text = text or "[]"
        code_set = parsed.get(text)
        if code_set is None:
            code_set = parsed[text] = frozenset(json.loads(text))
        return code_set

    out = []
    where, args = ("WHERE s.transcript_id = ? ", [transcript]) if transcript is not None else ("", [])
    for tid, n, coder, codes, note, rationale, decided, excerpts, version, accepted, shown in db.execute(
        "SELECT s.transcript_id, s.n, d.coder_id, d.codes, d.note, d.rationale, d.decided_utc, d.excerpts, "
        f"d.codebook_id, d.accepted, d.shown FROM decisions d JOIN segments s ON s.id = d.segment_id {where}"
        "ORDER BY s.transcript_id, s.n, d.coder_id",
        args,
    ):
        out.append(
            Decision(
                tid,
                n,
                coder,
                codes_of(codes),
                note or "",
                codebook_version=version,
                accepted=codes_of(accepted),
                shown=codes_of(shown),
                rationale=rationale or "",
                decided_utc=decided,
                excerpts=excerpts_from_json(excerpts),
            )
        )
    return out


def iter_transcript_evidence(db: Database, transcript: str) -> dict[tuple[int, int, str], list[tuple]]:
    """(segment number, codebook version, code) -> [(engine, score, evidence JSON)] of the suggestions made
    on one transcript's segments, stale ones too (a decision's were made under its own version)."""
    found: dict[tuple[int, int, str], list[tuple]] = {}
    for n, version, code, engine, score, evidence in db.execute(
        "SELECT s.n, g.codebook_id, g.code, g.engine, g.score, g.evidence FROM suggestions g "
        "JOIN segments s ON s.id = g.segment_id WHERE s.transcript_id = ? ORDER BY g.engine, g.score DESC",
        [transcript],
    ):
        found.setdefault((n, version, code), []).append((engine, score, evidence))
    return found


def insert_transcripts(db: Database, transcripts: Iterable[Transcript]) -> None:
    """Insert new transcripts with their segments and attributes, as save_transcript does, in bulk.

    executemany instead of sqlite-utils' insert_all: a study-sized import has tens of thousands of segments.
    """
    now = now_utc()
    items = list(transcripts)
    from .transcripts import INSERT_SEGMENT, INSERT_TRANSCRIPT, segment_rows, transcript_row

    db.conn.executemany(INSERT_TRANSCRIPT, [transcript_row(t, now) for t in items])
    db.conn.executemany(
        "INSERT INTO speakers (transcript_id, label, role, reason, given) VALUES (?, ?, ?, ?, ?)",
        [(t.id, s.label, s.role, s.reason, int(s.given)) for t in items for s in t.speakers],
    )
    db.conn.executemany(INSERT_SEGMENT, [row for t in items for row in segment_rows(t)])
    db.conn.executemany(
        "INSERT INTO attributes (transcript_id, name, value) VALUES (?, ?, ?)",
        [(t.id, k, v) for t in items for k, v in t.attributes.items()],
    )


def insert_speaker_attributes(db: Database, values: dict[tuple[str, str], dict[str, str]]) -> None:
    """Insert the attributes of speakers ({(transcript, speaker): {name: value}}) of new transcripts."""
    db.conn.executemany(
        "INSERT INTO speaker_attributes (transcript_id, speaker, name, value) VALUES (?, ?, ?, ?)",
        [(tid, speaker, k, v) for (tid, speaker), attrs in values.items() for k, v in attrs.items()],
    )


def insert_decisions(db: Database, decisions: Iterable[Decision], *, codebook_id: int, actor: str) -> int:
    """Insert new decisions (none may exist yet) with one audit row each. Call inside a transaction.

    Written in chunks of 20,000 rows, so a study-sized import never holds every row at once."""
    seg_ids = {(r[0], r[1]): r[2] for r in db.execute("SELECT transcript_id, n, id FROM segments")}
    rows, audit = [], []
    count = 0
    now = now_utc()
    as_json: dict[frozenset, str] = {}  # few distinct code sets: encode each once
    for d in decisions:
        codes = as_json.get(d.codes)
        if codes is None:
            codes = as_json[d.codes] = json.dumps(sorted(d.codes), ensure_ascii=False)
        rows.append(
            (
                seg_ids[(d.transcript, d.segment)],
                d.coder,
                codes,
                d.note,
                d.rationale,
                codebook_id,
                _code_list(as_json, d.accepted),
                _code_list(as_json, d.shown),
                d.decided_utc or now,
                excerpts_json(d.excerpts),
            )
        )
        # the same text to_json() gives {"codes", "note", "rationale"} (keys sorted), built without it
        note = json.dumps(d.note, ensure_ascii=False) if d.note else '""'
        rationale = json.dumps(d.rationale, ensure_ascii=False) if d.rationale else '""'
        state = f'{{"codes": {codes}, "note": {note}, "rationale": {rationale}}}'
        if d.excerpts:
            spans = to_json([[e.code, e.start, e.end] for e in d.excerpts])
            state = f'{{"codes": {codes}, "excerpts": {spans}, "note": {note}, "rationale": {rationale}}}'
        audit.append((now, actor, "create", "decision", f"{d.transcript}:{d.segment}:{d.coder}", state))
        if len(rows) == _CHUNK:
            count += _write_decision_rows(db, rows, audit)
            rows, audit = [], []
    return count + _write_decision_rows(db, rows, audit)


_CHUNK = 20_000


def _code_list(as_json: dict[frozenset, str], codes: frozenset[str]) -> str:
    """The stored JSON text of a set of codes, encoded once per distinct set."""
    text = as_json.get(codes)
    if text is None:
        text = as_json[codes] = json.dumps(sorted(codes), ensure_ascii=False)
    return text


def _write_decision_rows(db: Database, rows: list[tuple], audit: list[tuple]) -> int:
    db.conn.executemany(
        "INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id, accepted, shown, "
        "decided_utc, excerpts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany(
        "INSERT INTO audit_log (at_utc, actor, action, entity, entity_id, after) VALUES (?, ?, ?, ?, ?, ?)",
        audit,
    )
    return len(rows)


def insert_memos(db: Database, memos: Iterable[dict], *, actor: str) -> int:
    """Insert memos ({coder, target_type, target_id, text, created_utc, updated_utc}), each audited."""
    now = now_utc()
    rows, audit = [], []
    for m in memos:
        rows.append(
            (
                m["coder"],
                m["target_type"],
                m["target_id"],
                m["text"],
                m.get("created_utc") or now,
                m.get("updated_utc") or m.get("created_utc") or now,
            )
        )
        audit.append(
            (
                now,
                actor,
                "create",
                "memo",
                f"{m['target_type']}:{m['target_id']}:{m['coder']}",
                to_json({"text": m["text"]}),
            )
        )
    db.conn.executemany(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc, updated_utc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany(
        "INSERT INTO audit_log (at_utc, actor, action, entity, entity_id, after) VALUES (?, ?, ?, ?, ?, ?)",
        audit,
    )
    return len(rows)
