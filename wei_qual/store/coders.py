"""Renaming, merging and removing coders: every row that names a coder, each decision change audited.

Call these inside a transaction (wei_qual.coders does); the coders table's foreign keys are honoured by
adding the new name before moving rows and deleting the old name last.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from . import now_utc, write_audit
from .decisions import rename_in_copies
from .excerpts import excerpts_from_json


def _state(row: dict) -> dict:
    """A decision row as the audit log records it (as store.decisions does)."""
    state = {
        "codes": json.loads(row["codes"]),
        "note": row["note"] or "",
        "rationale": row["rationale"] or "",
    }
    excerpts = excerpts_from_json(row["excerpts"])
    if excerpts:
        state["excerpts"] = [[e.code, e.start, e.end] for e in excerpts]
    return state


def _decisions(db: Database, coder: str) -> dict[tuple[str, int], dict]:
    return {
        (r["transcript_id"], r["n"]): r
        for r in db.query(
            "SELECT d.*, s.transcript_id, s.n FROM decisions d JOIN segments s ON s.id = d.segment_id "
            "WHERE d.coder_id = ? ORDER BY s.transcript_id, s.n",
            [coder],
        )
    }


def coder_counts(db: Database, coder: str) -> dict[str, int]:
    """How many decisions, memos and assignments a coder has."""
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE coder_id = ?", [coder]).fetchone()[0]
        for table in ("decisions", "memos", "assignments")
    }


def merge_plan(db: Database, source: str, target: str) -> tuple[list, list, list]:
    """Segments of `source`'s decisions: (moved: target has none, same: target's is equal,
    conflicts: target's differs), each a list of (transcript, n)."""
    theirs, ours = _decisions(db, source), _decisions(db, target)
    moved, same, conflicts = [], [], []
    for key, row in theirs.items():
        other = ours.get(key)
        if other is None:
            moved.append(key)
        elif _state(other) == _state(row):
            same.append(key)
        else:
            conflicts.append(key)
    return moved, same, conflicts


def _add_coder_like(db: Database, new: str, old: str) -> None:
    created = db.execute("SELECT created_utc FROM coders WHERE id = ?", [old]).fetchone()
    db.execute(
        "INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)",
        [new, created[0] if created else now_utc()],
    )


def _delete_decision(db: Database, row: dict, *, actor: str, why: str) -> None:
    db.execute("DELETE FROM decisions WHERE id = ?", [row["id"]])
    write_audit(
        db,
        action="delete",
        entity="decision",
        entity_id=f"{row['transcript_id']}:{row['n']}:{row['coder_id']}",
        actor=actor,
        before={**_state(row), "why": why},
    )


def _move_decision(db: Database, row: dict, new: str, *, actor: str, action: str) -> None:
    db.execute("UPDATE decisions SET coder_id = ? WHERE id = ?", [new, row["id"]])
    write_audit(
        db,
        action=action,
        entity="decision",
        entity_id=f"{row['transcript_id']}:{row['n']}:{new}",
        actor=actor,
        before={"coder": row["coder_id"], **_state(row)},
        after={"coder": new, **_state(row)},
    )


def move_coder(db: Database, source: str, target: str, *, actor: str, prefer: str | None) -> dict[str, int]:
    """Move everything of `source` to `target` (a rename when `target` has nothing yet) and delete
    `source`. Where both decided a segment differently, `prefer` ("from" or "into") says whose decision
    stays; the caller has refused conflicts without it. Memos on the same target are joined, newest
    last. Returns counts of what moved."""
    _add_coder_like(db, target, source)
    action = "rename" if not coder_counts(db, target)["decisions"] else "merge"
    ours = _decisions(db, target)
    counts = {"decisions": 0, "duplicates": 0, "kept_from": 0, "kept_into": 0, "memos": 0, "assignments": 0}
    for key, row in _decisions(db, source).items():
        other = ours.get(key)
        if other is None:
            _move_decision(db, row, target, actor=actor, action=action)
            counts["decisions"] += 1
        elif _state(other) == _state(row):
            _delete_decision(db, row, actor=actor, why=f"the same decision as {target}'s")
            counts["duplicates"] += 1
        elif prefer == "from":
            _delete_decision(db, other, actor=actor, why=f"{source}'s decision preferred (--prefer from)")
            _move_decision(db, row, target, actor=actor, action=action)
            counts["kept_from"] += 1
        else:
            _delete_decision(db, row, actor=actor, why=f"{target}'s decision preferred (--prefer into)")
            counts["kept_into"] += 1
    rename_in_copies(db, source, target)
    for memo in list(db.query("SELECT * FROM memos WHERE coder_id = ? ORDER BY id", [source])):
        mine = list(
            db.query(
                "SELECT * FROM memos WHERE coder_id = ? AND target_type = ? AND target_id = ?",
                [target, memo["target_type"], memo["target_id"]],
            )
        )
        entity_id = f"{memo['target_type']}:{memo['target_id']}:{target}"
        if not mine:
            db.execute("UPDATE memos SET coder_id = ? WHERE id = ?", [target, memo["id"]])
            write_audit(
                db,
                action=action,
                entity="memo",
                entity_id=entity_id,
                actor=actor,
                before={"coder": source, "text": memo["text"]},
                after={"coder": target, "text": memo["text"]},
            )
        else:
            joined = mine[0]["text"]
            if memo["text"].strip() and memo["text"].strip() not in joined:
                joined = f"{joined}\n\n{memo['text']}"  # nothing written is lost
            db.execute(
                "UPDATE memos SET text = ?, updated_utc = ? WHERE id = ?", [joined, now_utc(), mine[0]["id"]]
            )
            db.execute("DELETE FROM memos WHERE id = ?", [memo["id"]])
            write_audit(
                db,
                action="merge",
                entity="memo",
                entity_id=entity_id,
                actor=actor,
                before={"text": mine[0]["text"], "from": memo["text"]},
                after={"text": joined},
            )
        counts["memos"] += 1
    for row in list(db.query("SELECT * FROM assignments WHERE coder_id = ?", [source])):
        mine = db.execute(
            "SELECT id FROM assignments WHERE coder_id = ? AND transcript_id = ?",
            [target, row["transcript_id"]],
        ).fetchone()
        if mine is None:
            db.execute("UPDATE assignments SET coder_id = ? WHERE id = ?", [target, row["id"]])
        else:
            db.execute(
                'UPDATE assignments SET "double" = MAX("double", ?) WHERE id = ?', [row["double"], mine[0]]
            )
            db.execute("DELETE FROM assignments WHERE id = ?", [row["id"]])
        counts["assignments"] += 1
    # Sync records follow the decisions; where the target already has one, the target's stays. A packet
    # made for the source is the target's work now (it still names the source: packets.made_for).
    db.execute("UPDATE OR IGNORE packet_syncs SET coder_id = ? WHERE coder_id = ?", [target, source])
    db.execute("DELETE FROM packet_syncs WHERE coder_id = ?", [source])
    db.execute("UPDATE packets SET coder_id = ? WHERE coder_id = ?", [target, source])
    db.execute("DELETE FROM coders WHERE id = ?", [source])
    return counts


def remove_coder(db: Database, coder: str, *, actor: str) -> dict[str, int]:
    """Delete a coder with their decisions (each kept in the audit log with its content), memos and
    assignments. Returns counts."""
    counts = coder_counts(db, coder)
    for row in _decisions(db, coder).values():
        _delete_decision(db, row, actor=actor, why=f'coder "{coder}" removed')
    for memo in list(db.query("SELECT * FROM memos WHERE coder_id = ?", [coder])):
        db.execute("DELETE FROM memos WHERE id = ?", [memo["id"]])
        write_audit(
            db,
            action="delete",
            entity="memo",
            entity_id=f"{memo['target_type']}:{memo['target_id']}:{coder}",
            actor=actor,
            before={"text": memo["text"]},
        )
    db.execute("DELETE FROM assignments WHERE coder_id = ?", [coder])
    db.execute("DELETE FROM packet_syncs WHERE coder_id = ?", [coder])
    db.execute("DELETE FROM coders WHERE id = ?", [coder])
    return counts
