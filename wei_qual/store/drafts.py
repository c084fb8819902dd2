"""Decisions that use given codes, and taking a code out of every decision (dropping a draft code)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from . import write_audit
from .excerpts import excerpts_from_json, excerpts_json


def iter_code_uses(db: Database, codes: list[str], *, with_codes: bool = False) -> dict[str, list[tuple]]:
    """code -> [(transcript, segment, coder)] (plus the decision's codes with `with_codes`), in order."""
    if not codes:
        return {}
    marks = ", ".join("?" for _ in codes)
    out: dict[str, list[tuple]] = {}
    for r in db.query(
        "SELECT j.value AS code, s.transcript_id, s.n, d.coder_id, d.codes FROM decisions d "
        "JOIN segments s ON s.id = d.segment_id, json_each(d.codes) j "
        f"WHERE j.value IN ({marks}) ORDER BY s.transcript_id, s.n, d.coder_id",
        list(codes),
    ):
        item = (r["transcript_id"], r["n"], r["coder_id"])
        out.setdefault(r["code"], []).append((*item, json.loads(r["codes"])) if with_codes else item)
    return out


def delete_code_from_decisions(db: Database, code: str, *, actor: str) -> tuple[int, int]:
    """Take `code` out of every decision; remove a decision that held only it. Each change is audited.

    Returns (decisions changed, of which removed). Call inside a transaction.
    """
    rows = list(
        db.query(
            "SELECT d.id, d.codes, d.accepted, d.shown, d.excerpts, d.note, d.rationale, d.coder_id, "
            "s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id "
            "WHERE EXISTS (SELECT 1 FROM json_each(d.codes) j WHERE j.value = ?) "
            "ORDER BY s.transcript_id, s.n, d.coder_id",
            [code],
        )
    )
    removed = 0
    for row in rows:
        codes = json.loads(row["codes"])
        excerpts = excerpts_from_json(row["excerpts"])
        state = {"codes": sorted(codes), "note": row["note"] or "", "rationale": row["rationale"] or ""}
        if excerpts:
            state["excerpts"] = [[e.code, e.start, e.end] for e in excerpts]
        entity_id = f"{row['transcript_id']}:{row['n']}:{row['coder_id']}"
        left = sorted(c for c in codes if c != code)
        if not left:
            db.execute("DELETE FROM decisions WHERE id = ?", [row["id"]])
            write_audit(
                db, action="delete", entity="decision", entity_id=entity_id, actor=actor, before=state
            )
            removed += 1
            continue
        kept = [e for e in excerpts if e.code != code]
        lists = {
            key: json.dumps(sorted(c for c in json.loads(row[key] or "[]") if c != code))
            for key in ("accepted", "shown")
        }
        db.execute(
            "UPDATE decisions SET codes = ?, accepted = ?, shown = ?, excerpts = ? WHERE id = ?",
            [json.dumps(left), lists["accepted"], lists["shown"], excerpts_json(kept), row["id"]],
        )
        after = {"codes": left, "note": state["note"], "rationale": state["rationale"]}
        if kept:
            after["excerpts"] = [[e.code, e.start, e.end] for e in kept]
        write_audit(
            db,
            action="migrate",
            entity="decision",
            entity_id=entity_id,
            actor=actor,
            before=state,
            after=after,
        )
    return len(rows), removed
