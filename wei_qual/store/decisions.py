"""Coders, their decisions on segments, and memos. Every change to a decision is audited."""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..errors import DecisionError
from ..models import Decision
from . import now_utc, transaction, write_audit
from .codebooks import get_active_version_id

# Re-exported for callers that only import this module.
__all__ = ["ensure_coder", "save_decision", "get_decision", "iter_decisions", "delete_decision", "iter_coders"]


def ensure_coder(db: Database, coder: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)",
        [coder, now_utc()],
    )


def iter_coders(db: Database) -> list[str]:
    return [r["id"] for r in db.query("SELECT id FROM coders ORDER BY id")]


def _decision_state(d: Decision) -> dict:
    """What the audit log records of a decision."""
    return {"codes": sorted(d.codes), "note": d.note, "rationale": d.rationale}


def _decision_from_row(row: dict) -> Decision:
    return Decision(
        transcript=row["transcript_id"],
        segment=row["n"],
        coder=row["coder_id"],
        codes=frozenset(json.loads(row["codes"])),
        note=row["note"] or "",
        codebook_version=row["codebook_id"],
        accepted=frozenset(json.loads(row["accepted"] or "[]")),
        shown=frozenset(json.loads(row["shown"] or "[]")),
        rationale=row["rationale"] or "",
        decided_utc=row["decided_utc"],
    )


_SELECT = """
    SELECT d.*, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id
"""


def get_decision(db: Database, transcript_id: str, n: int, coder: str) -> Decision | None:
    rows = list(
        db.query(
            _SELECT + " WHERE s.transcript_id = ? AND s.n = ? AND d.coder_id = ?",
            [transcript_id, n, coder],
        )
    )
    return _decision_from_row(rows[0]) if rows else None


def iter_decisions(
    db: Database, *, coders: list[str] | None = None, transcript_id: str | None = None
) -> list[Decision]:
    """Decisions in transcript, segment, coder order, optionally filtered."""
    clauses, params = [], []
    if coders is not None:
        clauses.append(f"d.coder_id IN ({', '.join('?' for _ in coders)})")
        params.extend(coders)
    if transcript_id is not None:
        clauses.append("s.transcript_id = ?")
        params.append(transcript_id)
    where = " AND ".join(clauses) or "1"
    return [
        _decision_from_row(r)
        for r in db.query(_SELECT + f" WHERE {where} ORDER BY s.transcript_id, s.n, d.coder_id", params)
    ]


def save_decision(db: Database, decision: Decision, *, actor: str | None = None) -> bool:
    """Insert or update one decision and audit the change; return False when nothing changed.

    Commits at once unless the caller holds a transaction. Raises DecisionError for an unknown segment.
    """
    with transaction(db):
        rows = list(
            db.query(
                "SELECT id FROM segments WHERE transcript_id = ? AND n = ?",
                [decision.transcript, decision.segment],
            )
        )
        if not rows:
            raise DecisionError(
                f'Transcript "{decision.transcript}" has no segment {decision.segment}. '
                'Check it with "wei-qual transcripts show".'
            )
        segment_id = rows[0]["id"]
        before = get_decision(db, decision.transcript, decision.segment, decision.coder)
        if before is not None and _decision_state(before) == _decision_state(decision):
            return False
        ensure_coder(db, decision.coder)
        version = decision.codebook_version
        if version is None:
            version = get_active_version_id(db)
        db.execute(
            """
            INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id,
                                   accepted, shown, decided_utc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (segment_id, coder_id) DO UPDATE SET
                codes = excluded.codes, note = excluded.note, rationale = excluded.rationale,
                codebook_id = excluded.codebook_id, accepted = excluded.accepted,
                shown = excluded.shown, decided_utc = excluded.decided_utc
            """,
            [
                segment_id,
                decision.coder,
                json.dumps(sorted(decision.codes)),
                decision.note,
                decision.rationale,
                version,
                json.dumps(sorted(decision.accepted)),
                json.dumps(sorted(decision.shown)),
                decision.decided_utc or now_utc(),
            ],
        )
        write_audit(
            db,
            action="update" if before else "create",
            entity="decision",
            entity_id=f"{decision.transcript}:{decision.segment}:{decision.coder}",
            actor=actor or decision.coder,
            before=_decision_state(before) if before else None,
            after=_decision_state(decision),
        )
    return True


def delete_decision(db: Database, transcript_id: str, n: int, coder: str, *, actor: str | None = None) -> bool:
    """Remove a decision (the segment becomes uncoded again) and audit it."""
    with transaction(db):
        before = get_decision(db, transcript_id, n, coder)
        if before is None:
            return False
        db.execute(
            "DELETE FROM decisions WHERE coder_id = ? AND segment_id = "
            "(SELECT id FROM segments WHERE transcript_id = ? AND n = ?)",
            [coder, transcript_id, n],
        )
        write_audit(
            db,
            action="delete",
            entity="decision",
            entity_id=f"{transcript_id}:{n}:{coder}",
            actor=actor or coder,
            before=_decision_state(before),
        )
    return True
