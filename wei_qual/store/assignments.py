"""Which coder codes which transcript."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import in_study_order
from . import get_setting, now_utc, save_setting, write_audit
from .decisions import ensure_coder


def replace_assignments(
    db: Database, plan: dict[str, list[str]], double: set[str], *, actor: str | None
) -> None:
    """Replace the whole assignment with `plan` ({transcript: [coders]}). Call inside a transaction."""
    before = iter_assignments(db)
    db.execute("DELETE FROM assignments")
    now = now_utc()
    for coders in plan.values():
        for coder in coders:
            ensure_coder(db, coder)
    db.table("assignments").insert_all(
        {"transcript_id": tid, "coder_id": coder, "double": int(tid in double), "assigned_utc": now}
        for tid, coders in sorted(plan.items())
        for coder in coders
    )
    write_audit(
        db,
        action="assign",
        entity="assignment",
        actor=actor,
        before=_as_plan(before) or None,
        after={tid: sorted(c) for tid, c in sorted(plan.items())},
    )


def _as_plan(rows: list[dict]) -> dict[str, list[str]]:
    plan: dict[str, list[str]] = {}
    for r in rows:
        plan.setdefault(r["transcript_id"], []).append(r["coder_id"])
    return plan


def iter_assignments(db: Database, *, coder: str | None = None) -> list[dict]:
    """Assignment rows (transcript_id, coder_id, double) ordered by transcript (study order) then coder."""
    where, params = ("coder_id = ?", [coder]) if coder else ("1", [])
    return in_study_order(
        list(
            db.query(
                f"SELECT transcript_id, coder_id, double FROM assignments WHERE {where} "
                "ORDER BY transcript_id, coder_id",
                params,
            )
        ),
        "transcript_id",
    )


def assigned_transcripts(db: Database, coder: str) -> list[str]:
    """Transcript ids assigned to `coder`, in transcript order (empty when nothing is assigned)."""
    return [r["transcript_id"] for r in iter_assignments(db, coder=coder)]


ASSIGNMENT_SETTING = "assignment"  # how the current assignment was drawn (settings table, JSON)


def save_assignment_plan(db: Database, plan: dict) -> None:
    """Record how the current assignment was drawn (share, strata, seed ...). Call inside a transaction."""
    save_setting(db, ASSIGNMENT_SETTING, json.dumps({**plan, "assigned_utc": now_utc()}, sort_keys=True))


def get_assignment_plan(db: Database) -> dict | None:
    """How the current assignment was drawn, or None when `wei-qual assign` has not been used."""
    text = get_setting(db, ASSIGNMENT_SETTING)
    return json.loads(text) if text else None


def waiting_for_second_coder(db: Database, coders: list[str]) -> tuple[int, int]:
    """(participant turns, transcripts) of the transcripts assigned to two coders where only one of
    `coders` has decided the turn so far: double coding not yet complete."""
    if (
        not coders
        or not db.execute("SELECT EXISTS (SELECT 1 FROM assignments WHERE double = 1)").fetchone()[0]
    ):
        return 0, 0
    marks = ", ".join("?" for _ in coders)
    row = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT transcript_id) FROM ("
        " SELECT s.transcript_id FROM decisions d JOIN segments s ON s.id = d.segment_id"
        f" WHERE s.role = 'participant' AND d.coder_id IN ({marks})"
        " AND EXISTS (SELECT 1 FROM assignments a WHERE a.transcript_id = s.transcript_id AND a.double = 1)"
        " GROUP BY d.segment_id HAVING COUNT(DISTINCT d.coder_id) = 1)",
        list(coders),
    ).fetchone()
    return row[0], row[1]
