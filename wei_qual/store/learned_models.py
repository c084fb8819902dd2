"""Models of the learned suggestion engine, stored in the project, and what stale marking compares."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import PARTICIPANT
from . import now_utc, transaction, write_audit

_JSON = ("labels", "too_few", "examples", "info")
# Everything but the weights: listing models must not read megabytes per model.
_COLUMNS = (
    "id, codebook_id, source, labels, too_few, examples, units, units_sha256, min_examples, seed, epochs, "
    "info, spacy_version, decisions_count, decisions_last_utc, decisions_revisions, seconds, trained_utc"
)


def save_learned_model(db: Database, row: dict[str, Any], *, actor: str | None = None) -> int:
    """Store a trained model (JSON fields given as Python values) and audit it; return its id."""
    stored = {k: json.dumps(v, sort_keys=True) if k in _JSON else v for k, v in row.items()}
    stored.setdefault("trained_utc", now_utc())
    with transaction(db):
        model_id = db.table("learned_models").insert(stored).last_pk
        write_audit(
            db,
            action="train",
            entity="learned_model",
            entity_id=str(model_id),
            actor=actor,
            after={k: row[k] for k in ("codebook_id", "source", "labels", "units", "units_sha256", "seed")},
        )
    return int(model_id)


def _decode(row: dict) -> dict:
    for key in _JSON:
        if key in row and row[key] is not None:
            row[key] = json.loads(row[key])
    return row


def iter_learned_models(db: Database) -> list[dict]:
    """Every stored model, newest first, without its weights."""
    return [_decode(r) for r in db.query(f"SELECT {_COLUMNS} FROM learned_models ORDER BY id DESC")]


def get_learned_model(db: Database, model_id: int | None = None, *, weights: bool = False) -> dict | None:
    """One model (the newest when model_id is None), with its config and weights when asked."""
    columns = _COLUMNS + (", config, weights" if weights else "")
    if model_id is None:
        rows = list(db.query(f"SELECT {columns} FROM learned_models ORDER BY id DESC LIMIT 1"))
    else:
        rows = list(db.query(f"SELECT {columns} FROM learned_models WHERE id = ?", [model_id]))
    return _decode(rows[0]) if rows else None


def decisions_fingerprint(
    db: Database, coders: list[str] | None, *, exclude: str | None = None
) -> tuple[int, str | None, int]:
    """(count, latest decided_utc, sum of revisions) of participant-segment decisions by `coders` (None:
    every coder but `exclude`). A model is out of date when this differs from what it was at training
    time: a decision added or removed changes the count, an edit its revision (and usually its time)."""
    if coders is None:
        where, params = "d.coder_id != ?", [exclude or ""]
    else:
        where, params = f"d.coder_id IN ({', '.join('?' for _ in coders)})", list(coders)
    row = db.execute(
        "SELECT COUNT(*), MAX(d.decided_utc), TOTAL(d.revision) FROM decisions d "
        f"JOIN segments s ON s.id = d.segment_id WHERE s.role = ? AND {where}",
        [PARTICIPANT, *params],
    ).fetchone()
    return int(row[0]), row[1], int(row[2])


def suggestion_models(db: Database, codebook_id: int, engine: str) -> list[tuple[int, int]]:
    """Every model behind the current suggestions of this engine for this codebook version, with the number of
    segments it made them for: most segments first, the newest first on a tie. A run on some transcripts
    (`suggest --transcript`) after a newer model was trained leaves two."""
    return [
        (int(model), int(segments))
        for model, segments in db.execute(
            "SELECT model_id, COUNT(DISTINCT segment_id) FROM suggestions WHERE codebook_id = ? AND engine = ? "
            "AND stale = 0 AND model_id IS NOT NULL GROUP BY model_id ORDER BY 2 DESC, 1 DESC",
            [codebook_id, engine],
        )
    ]


def learned_from_others(row: dict, coder: str) -> frozenset[tuple[str, int]] | None:
    """The segments on which a model's suggestions would show `coder` someone else's decisions: the
    segments it learned from (`info["trained_on"]`) when its source is not this coder, none when it is.
    None means every segment: a model stored before the segments were kept does not say which."""
    if row["source"] == coder:
        return frozenset()
    trained_on = (row.get("info") or {}).get("trained_on")
    if trained_on is None:
        return None
    return frozenset((t, int(n)) for t, n in trained_on)


def iter_learned_scores(db: Database, codebook_id: int, model_id: int) -> dict[tuple[str, int], list[float]]:
    """(transcript, n) -> the model's stored scores there (engine "learned"), for ordering by uncertainty."""
    result: dict[tuple[str, int], list[float]] = {}
    for transcript, n, score in db.execute(
        "SELECT s.transcript_id, s.n, g.score FROM suggestions g JOIN segments s ON s.id = g.segment_id "
        "WHERE g.codebook_id = ? AND g.engine = 'learned' AND g.model_id = ? AND g.stale = 0",
        [codebook_id, model_id],
    ):
        result.setdefault((transcript, n), []).append(score)
    return result


def save_learned_evaluation(db: Database, row: dict[str, Any]) -> int:
    """Store a cross-validation of the learned engine (`result` given as a dict); return its id."""
    stored = {**row, "result": json.dumps(row["result"], sort_keys=True)}
    stored.setdefault("evaluated_utc", now_utc())
    with transaction(db):
        return int(db.table("learned_evaluations").insert(stored).last_pk)


def get_learned_evaluation(db: Database, *, source: str, units_sha256: str) -> dict | None:
    """The newest cross-validation of the same units under the same source, or None."""
    rows = list(
        db.query(
            "SELECT * FROM learned_evaluations WHERE source = ? AND units_sha256 = ? ORDER BY id DESC LIMIT 1",
            [source, units_sha256],
        )
    )
    if not rows:
        return None
    row = rows[0]
    row["result"] = json.loads(row["result"])
    return row
