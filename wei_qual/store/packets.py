"""Copy a coder's share of a project into a packet file, and read a packet back.

A packet is an ordinary wei-qual project file with three settings that tie it to its origin:
packet_of (the lead project's project_id), packet_coder and packet_created_utc.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import StoreError
from . import get_setting, now_utc, save_setting, write_audit
from .assignments import iter_assignments

_TRANSCRIPT_TABLES = ("transcripts", "attributes")


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    return list(db.query(sql, list(params)))


def copy_packet(source: Database, target: Database, *, coder: str, transcript_ids: list[str]) -> dict:
    """Copy transcripts, the active codebook, suggestions and `coder`'s own work into `target`.

    Nothing of any other coder is copied, so coding stays blind. Call inside a transaction on target.
    """
    marks = ", ".join("?" for _ in transcript_ids)
    for row in _rows(source, f"SELECT * FROM transcripts WHERE id IN ({marks})", transcript_ids):
        target.table("transcripts").insert(row)
    for row in _rows(
        source,
        f"SELECT transcript_id, name, value FROM attributes WHERE transcript_id IN ({marks})",
        transcript_ids,
    ):
        target.table("attributes").insert(row)
    segment_map: dict[int, int] = {}
    for row in _rows(
        source, f"SELECT * FROM segments WHERE transcript_id IN ({marks}) ORDER BY id", transcript_ids
    ):
        old_id = row.pop("id")
        segment_map[old_id] = target.table("segments").insert(row).last_pk

    active = _rows(source, "SELECT * FROM codebooks WHERE active = 1")
    for row in active:
        target.table("codebooks").insert(row)  # same id, so decisions keep their codebook version
        for code in _rows(source, "SELECT * FROM codes WHERE codebook_id = ?", [row["id"]]):
            code.pop("id")
            target.table("codes").insert(code)

    target.table("coders").insert_all(_rows(source, "SELECT * FROM coders WHERE id = ?", [coder]))
    counts = {
        "transcripts": len(transcript_ids),
        "segments": len(segment_map),
        "suggestions": 0,
        "decisions": 0,
    }
    seg_marks = ", ".join("?" for _ in segment_map) or "NULL"
    seg_ids = list(segment_map)
    if active:
        for row in _rows(
            source,
            f"SELECT * FROM suggestions WHERE codebook_id = ? AND segment_id IN ({seg_marks})",
            [active[0]["id"], *seg_ids],
        ):
            row.pop("id")
            row["segment_id"] = segment_map[row["segment_id"]]
            target.table("suggestions").insert(row)
            counts["suggestions"] += 1
    for row in _rows(
        source,
        f"SELECT * FROM decisions WHERE coder_id = ? AND segment_id IN ({seg_marks})",
        [coder, *seg_ids],
    ):
        row.pop("id")
        row["segment_id"] = segment_map[row["segment_id"]]
        if not active or row["codebook_id"] != active[0]["id"]:
            row["codebook_id"] = None  # that version is not in the packet
        target.table("decisions").insert(row)
        counts["decisions"] += 1
    for row in _rows(source, "SELECT * FROM memos WHERE coder_id = ?", [coder]):
        if _memo_transcript(row) in transcript_ids or row["target_type"] == "code":
            row.pop("id")
            target.table("memos").insert(row)
    for row in iter_assignments(source, coder=coder):
        target.table("assignments").insert({**row, "assigned_utc": now_utc()})
    save_setting(target, "packet_of", get_setting(source, "project_id"))
    save_setting(target, "packet_coder", coder)
    save_setting(target, "packet_created_utc", now_utc())
    return counts


def _memo_transcript(memo: dict) -> str:
    """The transcript a memo belongs to ("p01:12" -> "p01"), or "" for code memos."""
    if memo["target_type"] == "transcript":
        return memo["target_id"]
    if memo["target_type"] == "segment":
        return memo["target_id"].rsplit(":", 1)[0]
    return ""


def read_packet(path: Path) -> dict:
    """Read a packet file without changing it. Raises StoreError for a file that is not a sound packet."""
    from sqlite_utils import Database

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db = Database(conn)
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        settings = {r["key"]: r["value"] for r in db.query("SELECT key, value FROM settings")}
        if "packet_of" not in settings:
            raise StoreError(
                f'"{path}" is a wei-qual project, not a coder packet. Make packets with "wei-qual packet".'
            )
        active = _rows(db, "SELECT id, name, label, sha256 FROM codebooks WHERE active = 1")
        packet = {
            "project_id": settings["packet_of"],
            "packet_id": settings["project_id"],
            "coder": settings.get("packet_coder"),
            "created_utc": settings.get("packet_created_utc", ""),
            "codebook": active[0] if active else None,
            "codebook_codes": [
                r["code"]
                for r in _rows(db, "SELECT code FROM codes WHERE codebook_id = ?", [active[0]["id"]])
            ]
            if active
            else [],
            "transcripts": _rows(db, "SELECT id, sha256 FROM transcripts ORDER BY id"),
            "decisions": _rows(
                db,
                "SELECT t.sha256, s.n, d.coder_id, d.codes, d.note, d.rationale, d.accepted, d.shown, "
                "d.decided_utc, c.sha256 AS codebook_sha FROM decisions d "
                "JOIN segments s ON s.id = d.segment_id JOIN transcripts t ON t.id = s.transcript_id "
                "LEFT JOIN codebooks c ON c.id = d.codebook_id ORDER BY t.id, s.n, d.coder_id",
            ),
            "memos": _rows(
                db, "SELECT coder_id, target_type, target_id, text, created_utc, updated_utc FROM memos"
            ),
        }
        conn.close()
    except (sqlite3.DatabaseError, KeyError) as ex:
        raise StoreError(
            f'"{path}" is not a readable wei-qual packet (corrupt or truncated: {ex}). '
            "Ask the coder for a fresh copy of the file."
        ) from ex
    for d in packet["decisions"]:
        for key in ("codes", "accepted", "shown"):
            d[key] = json.loads(d[key] or "[]")
    return packet


def upsert_memo(db: Database, memo: dict, tid_map: dict[str, str]) -> int:
    """Bring one memo from a packet in, keeping the newer text; return 1 if anything changed."""
    target_id = memo["target_id"]
    if memo["target_type"] == "transcript":
        target_id = tid_map.get(target_id, target_id)
    elif memo["target_type"] == "segment":
        tid, n = target_id.rsplit(":", 1)
        target_id = f"{tid_map.get(tid, tid)}:{n}"
    key = [memo["coder_id"], memo["target_type"], target_id]
    ours = _rows(db, "SELECT * FROM memos WHERE coder_id = ? AND target_type = ? AND target_id = ?", key)
    stamp = memo["updated_utc"] or memo["created_utc"]
    if ours and (
        ours[0]["text"] == memo["text"] or (ours[0]["updated_utc"] or ours[0]["created_utc"]) >= stamp
    ):
        return 0
    db.execute("INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)", [memo["coder_id"], now_utc()])
    db.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc, updated_utc) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (coder_id, target_type, target_id) "
        "DO UPDATE SET text = excluded.text, updated_utc = excluded.updated_utc",
        [*key, memo["text"], memo["created_utc"], stamp],
    )
    write_audit(
        db,
        action="merge",
        entity="memo",
        entity_id=":".join(key),
        actor=memo["coder_id"],
        before={"text": ours[0]["text"]} if ours else None,
        after={"text": memo["text"]},
    )
    return 1


def make_self_contained(db: Database) -> None:
    """Fold the WAL into the main file and leave WAL mode: one self-contained file to hand over."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE")
