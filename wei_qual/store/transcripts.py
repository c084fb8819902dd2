"""Transcripts, their segments and participant attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import PARTICIPANT, Segment, Transcript
from . import now_utc


def save_transcript(db: Database, transcript: Transcript) -> None:
    """Insert a transcript with its segments and attributes. Call inside a transaction."""
    db.table("transcripts").insert(
        {
            "id": transcript.id,
            "source": transcript.source,
            "format": transcript.format,
            "sha256": transcript.sha256,
            "text": transcript.text,
            "ingested_utc": now_utc(),
        }
    )
    db.table("segments").insert_all(
        {
            "transcript_id": transcript.id,
            "n": s.n,
            "speaker": s.speaker,
            "role": s.role,
            "text": s.text,
            "start_char": s.start_char,
            "end_char": s.end_char,
            "start_time": s.start_time,
            "end_time": s.end_time,
        }
        for s in transcript.segments
    )
    save_attributes(db, transcript.id, transcript.attributes)


def save_attributes(db: Database, transcript_id: str, attributes: dict[str, str]) -> None:
    """Set (insert or overwrite) attributes of one transcript."""
    for name, value in attributes.items():
        db.execute(
            "INSERT INTO attributes (transcript_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (transcript_id, name) DO UPDATE SET value = excluded.value",
            [transcript_id, name, None if value is None else str(value)],
        )


def delete_transcript(db: Database, transcript_id: str) -> None:
    """Remove a transcript and everything hanging off it. Call inside a transaction."""
    seg_ids = "SELECT id FROM segments WHERE transcript_id = ?"
    db.execute(f"DELETE FROM decisions WHERE segment_id IN ({seg_ids})", [transcript_id])
    db.execute(f"DELETE FROM suggestions WHERE segment_id IN ({seg_ids})", [transcript_id])
    db.execute(
        "DELETE FROM memos WHERE target_type = 'segment' AND target_id IN "
        "(SELECT transcript_id || ':' || n FROM segments WHERE transcript_id = ?)",
        [transcript_id],
    )
    db.execute("DELETE FROM memos WHERE target_type = 'transcript' AND target_id = ?", [transcript_id])
    db.execute("DELETE FROM segments WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM attributes WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM transcripts WHERE id = ?", [transcript_id])


def get_transcript_row(db: Database, transcript_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM transcripts WHERE id = ?", [transcript_id]))
    return rows[0] if rows else None


def get_transcript_by_sha(db: Database, sha256: str) -> dict | None:
    rows = list(db.query("SELECT * FROM transcripts WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def iter_transcript_rows(db: Database) -> list[dict]:
    """Every transcript with segment and word counts, ordered by id (no text)."""
    return list(
        db.query(
            """
            SELECT t.id, t.source, t.format, t.sha256, t.ingested_utc,
                   COUNT(s.id) AS segments,
                   COALESCE(SUM(s.role = 'participant'), 0) AS participant_segments
            FROM transcripts t LEFT JOIN segments s ON s.transcript_id = t.id
            GROUP BY t.id ORDER BY t.id
            """
        )
    )


def get_attributes(db: Database) -> dict[str, dict[str, str]]:
    """Attributes of every transcript: {transcript_id: {name: value}} (transcripts without any included)."""
    result: dict[str, dict[str, str]] = {r["id"]: {} for r in db.query("SELECT id FROM transcripts")}
    for row in db.query("SELECT transcript_id, name, value FROM attributes ORDER BY transcript_id, name"):
        result.setdefault(row["transcript_id"], {})[row["name"]] = row["value"]
    return result


def iter_segments(db: Database, *, transcript_id: str | None = None, role: str | None = None) -> list[dict]:
    """Segment rows (with `id`, `transcript_id`, `n`, ...) in transcript then segment order."""
    clauses, params = [], []
    if transcript_id is not None:
        clauses.append("transcript_id = ?")
        params.append(transcript_id)
    if role is not None:
        clauses.append("role = ?")
        params.append(role)
    where = " AND ".join(clauses) or "1"
    return list(db.query(f"SELECT * FROM segments WHERE {where} ORDER BY transcript_id, n", params))


def segment_from_row(row: dict) -> Segment:
    return Segment(
        n=row["n"],
        speaker=row["speaker"],
        role=row["role"],
        text=row["text"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        start_time=row["start_time"],
        end_time=row["end_time"],
    )


def get_segment_id(db: Database, transcript_id: str, n: int) -> int | None:
    rows = list(db.query("SELECT id FROM segments WHERE transcript_id = ? AND n = ?", [transcript_id, n]))
    return rows[0]["id"] if rows else None


# --- Added for ingest and `transcripts list/show` ---


def transcript_ids(db: Database) -> set[str]:
    return {r["id"] for r in db.query("SELECT id FROM transcripts")}


def get_transcript_attributes(db: Database, transcript_id: str) -> dict[str, str]:
    """Attributes of one transcript, {name: value}."""
    return {
        r["name"]: r["value"]
        for r in db.query(
            "SELECT name, value FROM attributes WHERE transcript_id = ? ORDER BY name", [transcript_id]
        )
    }


def count_segments(db: Database, transcript_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM segments WHERE transcript_id = ?", [transcript_id]).fetchone()[0]


def iter_transcript_summaries(db: Database) -> list[dict]:
    """Every transcript as {id, source, format, sha256, segments, participant_segments, words, attributes}.

    Words are whitespace-separated tokens of the stored text, which equals the sum over its segments.
    """
    attributes = get_attributes(db)
    words = {r["id"]: len((r["text"] or "").split()) for r in db.query("SELECT id, text FROM transcripts")}
    return [
        {
            "id": row["id"],
            "source": row["source"],
            "format": row["format"],
            "sha256": row["sha256"],
            "segments": row["segments"],
            "participant_segments": row["participant_segments"],
            "words": words.get(row["id"], 0),
            "attributes": attributes.get(row["id"], {}),
        }
        for row in iter_transcript_rows(db)
    ]


def get_transcript_detail(db: Database, transcript_id: str) -> dict | None:
    """One transcript as {id, attributes, segments: [{n, speaker, role, text, start_char, end_char,
    start_time, end_time}]} (the `transcripts show --format json` contract), or None if absent."""
    if get_transcript_row(db, transcript_id) is None:
        return None
    keys = ("n", "speaker", "role", "text", "start_char", "end_char", "start_time", "end_time")
    return {
        "id": transcript_id,
        "attributes": get_transcript_attributes(db, transcript_id),
        "segments": [{k: row[k] for k in keys} for row in iter_segments(db, transcript_id=transcript_id)],
    }


def iter_participant_segment_tuples(db: Database) -> list[tuple[int, str, int, str | None, str]]:
    """(id, transcript, n, speaker, text) of every participant segment, in transcript order.

    Plain tuples, unlike iter_segments, which builds a dict of every column per row: the reports read
    every segment of the study."""
    return db.execute(
        "SELECT id, transcript_id, n, speaker, text FROM segments WHERE role = ? ORDER BY transcript_id, n",
        [PARTICIPANT],
    ).fetchall()


def transcript_ids_by_sha256(db: Database) -> dict[str, str]:
    """{sha256: transcript id} of every transcript in the project."""
    return {r["sha256"]: r["id"] for r in db.query("SELECT id, sha256 FROM transcripts")}
