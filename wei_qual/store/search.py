"""The search index: one row per segment with its tokens' lemmas, forms and offsets (see migrations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from . import get_setting, save_setting

INDEX_SETTING = "search_index_version"


def index_version(db: Database) -> str | None:
    return get_setting(db, INDEX_SETTING)


def reset_index(db: Database, version: str) -> None:
    """Empty the index (it was made by another tokenizer or lemma table) and record the new version."""
    db.execute("DELETE FROM search_index")
    save_setting(db, INDEX_SETTING, version)


def count_unindexed(db: Database) -> int:
    """Segments without an index row. Rows exist only for existing segments (the triggers drop a deleted
    or changed segment's row), so the difference of two counts is exact, and much cheaper than a join."""
    segments = db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
    return segments - db.execute("SELECT COUNT(*) FROM search_index").fetchone()[0]


def iter_unindexed(db: Database, limit: int, after: int = 0) -> list[tuple[int, str]]:
    """(segment id, text) of up to `limit` segments with no index row yet and an id above `after`.

    A caller indexing batch after batch passes the last id it got, so that each batch starts where the
    last one ended instead of passing over every segment indexed so far (quadratic in the project)."""
    return db.execute(
        "SELECT s.id, s.text FROM segments s LEFT JOIN search_index i ON i.segment_id = s.id "
        "WHERE s.id > ? AND i.segment_id IS NULL ORDER BY s.id LIMIT ?",
        [after, limit],
    ).fetchall()


def save_index_rows(db: Database, rows: list[tuple[int, str, str]]) -> None:
    """(segment id, terms, offsets) rows. Call inside a transaction."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO search_index (segment_id, terms, offsets) VALUES (?, ?, ?)", rows
    )


def iter_index_candidates(
    db: Database,
    literals: tuple[str, ...],
    *,
    role: str | None = None,
    transcripts: list[str] | None = None,
) -> list[tuple]:
    """(transcript, n, speaker, role, text, terms, offsets, label, page, end_page) of the segments whose
    terms contain one of `literals` (an empty one: every segment), in transcript order."""
    where = ["(" + " OR ".join("instr(i.terms, ?) > 0" for _ in literals) + ")"]
    params: list = list(literals)
    if role is not None:
        where.append("s.role = ?")
        params.append(role)
    if transcripts:
        where.append(f"s.transcript_id IN ({', '.join('?' for _ in transcripts)})")
        params += transcripts
    return db.execute(
        "SELECT s.transcript_id, s.n, s.speaker, s.role, s.text, i.terms, i.offsets, s.label, s.page, "
        "s.end_page FROM search_index i "
        f"JOIN segments s ON s.id = i.segment_id WHERE {' AND '.join(where)} ORDER BY s.transcript_id, s.n",
        params,
    ).fetchall()


def count_segments(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
