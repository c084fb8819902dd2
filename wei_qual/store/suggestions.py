"""Machine suggestions: stored apart from decisions, replaced per codebook version and engine."""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # json's own C string encoder
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import Evidence, Suggestion, in_study_order
from . import now_utc


def mark_stale(db: Database, active_version_id: int | None) -> int:
    """Flag suggestions made for any codebook version other than the active one; return how many changed.

    Suggestions of the active version are un-flagged, so re-activating an old version revives its own.
    Call whenever the active codebook changes (codebook load) and before computing suggestions.
    """
    if active_version_id is None:
        cur = db.execute("UPDATE suggestions SET stale = 1 WHERE stale = 0")
        return cur.rowcount
    db.execute("UPDATE suggestions SET stale = 0 WHERE stale = 1 AND codebook_id = ?", [active_version_id])
    cur = db.execute(
        "UPDATE suggestions SET stale = 1 WHERE stale = 0 AND codebook_id != ?", [active_version_id]
    )
    return cur.rowcount


# Written only when true (rare): readers take a missing one as false, as in the rows stored before it.
_COUNTERFACTUAL = ', "counterfactual": true'
_EXCLUDED = ', "excluded": true'


def _cue(cue: str | None) -> str:
    return f', "cue": {encode_basestring(cue)}' if cue else ""


def evidence_json(evidence: list[dict]) -> str:
    """The text of json.dumps(evidence, ensure_ascii=False), for evidence dicts as suggest makes them, with
    a false "counterfactual" or "excluded" and a missing "cue" left out.

    About 3x faster than json.dumps: encoding was half the storage time of `suggest` on the study corpus.
    """
    items = (
        evidence_item_json(
            e["start"],
            e["end"],
            e["text"],
            e["source"],
            e.get("negated"),
            e.get("cue"),
            e.get("counterfactual"),
            e.get("excluded"),
        )
        for e in evidence
    )
    return "[" + ", ".join(items) + "]"


def evidence_item_json(
    start: int,
    end: int,
    text: str,
    source: str,
    negated: bool | None,
    cue: str | None = None,
    counterfactual: bool | None = False,
    excluded: bool | None = False,
) -> str:
    """One evidence item as evidence_json writes it; the rules engine writes its items so when they are to be
    stored, without making their dicts."""
    tail = evidence_tail_json(source, negated, cue, counterfactual, excluded)
    return EVIDENCE_ITEM % (start, end, encode_basestring(text), tail)


# An evidence item: its start and end, its text as JSON, and its evidence_tail_json.
EVIDENCE_ITEM = '{"start": %d, "end": %d, "text": %s%s'


def evidence_tail_json(
    source: str,
    negated: bool | None,
    cue: str | None = None,
    counterfactual: bool | None = False,
    excluded: bool | None = False,
) -> str:
    """What evidence_item_json writes after an item's text: one text for most items of a rule (not negated
    nor counterfactual), which the rules engine makes once per rule."""
    return (
        f', "source": {encode_basestring(source)}, "negated": {"true" if negated else "false"}'
        f"{_cue(cue)}{_COUNTERFACTUAL if counterfactual else ''}{_EXCLUDED if excluded else ''}}}"
    )


def replace_suggestions(
    db: Database,
    *,
    codebook_id: int,
    engine: str,
    segment_ids: list[int] | None,
    rows: Iterable[tuple[int, str, float, list[dict]]],
    model_id: int | None = None,
    min_score: float = 0.0,
) -> int:
    """Replace this version and engine's suggestions for `segment_ids` (None: every segment) with `rows`.

    Each row is (segment id, code, score, evidence dicts or their evidence_json text); `model_id` names
    the learned model that made them; `min_score` is the score below which matches were not stored
    (stored_floor). Call inside a transaction. Returns rows written.
    """
    key = _floor_key(codebook_id, engine)
    floor = min_score if segment_ids is None else max(min_score, stored_floor(db, codebook_id, engine))
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, repr(float(floor))])
    if segment_ids is None:
        db.execute("DELETE FROM suggestions WHERE codebook_id = ? AND engine = ?", [codebook_id, engine])
    else:
        db.conn.executemany(
            "DELETE FROM suggestions WHERE codebook_id = ? AND engine = ? AND segment_id = ?",
            [(codebook_id, engine, sid) for sid in segment_ids],
        )
    created = now_utc()
    cur = db.conn.executemany(
        "INSERT INTO suggestions (segment_id, codebook_id, code, score, evidence, engine, stale, created_utc, "
        "model_id) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (
            (
                sid,
                codebook_id,
                code,
                score,
                evidence if isinstance(evidence, str) else evidence_json(evidence),
                engine,
                created,
                model_id,
            )
            for sid, code, score, evidence in rows
        ),
    )
    return cur.rowcount


def _floor_key(codebook_id: int, engine: str) -> str:
    return f"suggest_min_score:{codebook_id}:{engine}"


def stored_floor(db: Database, codebook_id: int, engine: str) -> float:
    """The lowest score this version and engine's suggestions were stored at (`suggest --min-score`; the
    highest of the runs when some covered only some transcripts): below it, nothing is known."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [_floor_key(codebook_id, engine)]).fetchone()
    return float(row[0]) if row else 0.0


def latest_engine(db: Database, codebook_id: int) -> str | None:
    """The engine whose suggestions for this codebook version were stored last, or None."""
    rows = list(
        db.query(
            "SELECT engine FROM suggestions WHERE codebook_id = ? AND stale = 0 "
            "ORDER BY created_utc DESC, id DESC LIMIT 1",
            [codebook_id],
        )
    )
    return rows[0]["engine"] if rows else None


def suggestions_exist(db: Database) -> bool:
    """Whether any suggestion was ever stored, under any codebook version, current or stale."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM suggestions)").fetchone()[0] == 1


def iter_engines(db: Database, codebook_id: int) -> list[str]:
    """The engines with current suggestions for this codebook version, oldest first."""
    return [
        r["engine"]
        for r in db.query(
            "SELECT engine, MIN(created_utc) AS first FROM suggestions WHERE codebook_id = ? AND stale = 0 "
            "GROUP BY engine ORDER BY first, engine",
            [codebook_id],
        )
    ]


def rules_engine(db: Database, codebook_id: int) -> str | None:
    """The rules' engine ("rules" or "rules+MODEL") whose current suggestions for this version were stored
    last, or None."""
    row = db.execute(
        "SELECT engine FROM suggestions WHERE codebook_id = ? AND stale = 0 AND (engine = 'rules' "
        "OR engine LIKE 'rules+%') ORDER BY created_utc DESC, id DESC LIMIT 1",
        [codebook_id],
    ).fetchone()
    return None if row is None else row[0]


def iter_suggestions(
    db: Database,
    *,
    codebook_id: int | None = None,
    engine: str | None = None,
    transcript_ids: list[str] | None = None,
    include_stale: bool = False,
    min_score: float | None = None,
) -> list[tuple[Suggestion, bool]]:
    """(Suggestion, stale) pairs in transcript, segment, descending score, code order."""
    clauses, params = [], []
    if codebook_id is not None:
        clauses.append("g.codebook_id = ?")
        params.append(codebook_id)
    if engine is not None:
        clauses.append("g.engine = ?")
        params.append(engine)
    if transcript_ids:
        clauses.append(f"s.transcript_id IN ({', '.join('?' for _ in transcript_ids)})")
        params.extend(transcript_ids)
    if not include_stale:
        clauses.append("g.stale = 0")
    if min_score is not None:
        clauses.append("g.score >= ?")
        params.append(min_score)
    where = " AND ".join(clauses) or "1"
    sql = (
        "SELECT s.transcript_id, s.n, g.code, g.score, g.evidence, g.engine, g.stale, g.model_id "
        "FROM suggestions g JOIN segments s ON s.id = g.segment_id "
        f"WHERE {where} ORDER BY s.transcript_id, s.n, g.score DESC, g.code, g.engine, g.codebook_id"
    )
    return [
        (
            Suggestion(
                transcript=r["transcript_id"],
                segment=r["n"],
                code=r["code"],
                score=r["score"],
                evidence=tuple(Evidence(**e) for e in json.loads(r["evidence"])),
                engine=r["engine"],
                model_id=r["model_id"],
            ),
            bool(r["stale"]),
        )
        for r in in_study_order(list(db.query(sql, params)), "transcript_id")  # P2 before P10
    ]


def suggested_codes(
    db: Database, *, codebook_id: int, engine: str, min_score: float
) -> dict[tuple[str, int], set[str]]:
    """{(transcript, segment): codes} of the current suggestions of one engine scored min_score or more:
    what iter_suggestions gives for them, without reading each suggestion's evidence."""
    found: dict[tuple[str, int], set[str]] = {}
    for transcript, n, code in db.execute(
        "SELECT s.transcript_id, s.n, g.code FROM suggestions g JOIN segments s ON s.id = g.segment_id "
        "WHERE g.codebook_id = ? AND g.engine = ? AND g.stale = 0 AND g.score >= ?",
        [codebook_id, engine, min_score],
    ).fetchall():
        codes = found.get((transcript, n))
        if codes is None:
            found[(transcript, n)] = {code}
        else:
            codes.add(code)
    return found


def suggested_transcripts(db: Database, *, codebook_id: int, engine: str) -> set[str]:
    """The transcripts with a current suggestion of this engine for this codebook version, at any score."""
    return {
        r[0]
        for r in db.execute(
            "SELECT DISTINCT s.transcript_id FROM suggestions g JOIN segments s ON s.id = g.segment_id "
            "WHERE g.codebook_id = ? AND g.engine = ? AND g.stale = 0",
            [codebook_id, engine],
        ).fetchall()
    }


def move_suggestions(db: Database, old_version: int, new_version: int) -> int:
    """Carry fresh suggestions over to a version that only adds or settles draft codes (the other codes'
    keywords and patterns are unchanged), and flag everything else stale. Returns rows moved."""
    if old_version == new_version:
        return 0
    db.execute(
        "DELETE FROM suggestions WHERE codebook_id = ?", [new_version]
    )  # a reactivated version's old ones
    cur = db.execute(
        "UPDATE suggestions SET codebook_id = ? WHERE codebook_id = ? AND stale = 0",
        [new_version, old_version],
    )
    # And the scores they were stored at.
    for key, value in db.execute(
        "SELECT key, value FROM settings WHERE key LIKE ?", [_floor_key(old_version, "%")]
    ).fetchall():
        engine = key.split(":", 2)[2]
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            [_floor_key(new_version, engine), value],
        )
    mark_stale(db, new_version)
    return cur.rowcount
