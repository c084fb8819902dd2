"""`suggest --engine learned|both`: suggestions from the newest trained model, stored like the rules' ones.

- learned: every code of the model scoring at least LEARNED_MIN_SCORE (or --min-score, if higher), with
  its calibrated score, the model id, and as evidence the sentence whose removal lowers the score most;
- both: the rules' and the model's suggestions are each stored under their own engine ("rules",
  "learned"), and merged under engine "both": score 1 - (1 - rules) (1 - learned) per code (the model
  counts as one more piece of evidence, as a rule match does), with both evidences kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..defaults import LEARNED_MIN_SCORE
from ..errors import SuggestError
from ..models import count_words
from ..store import suggestions as suggestion_store
from ..store import transaction
from ..store.learned_models import get_learned_model
from .calibrate import Platt
from .learned import Predictor
from .pipeline import Pipeline, build_pipeline
from .rules import compile_rules
from .run import ProgressCallback, SuggestResult, participant_rows, require_active_codebook, rule_rows
from .train import staleness

if TYPE_CHECKING:  # pragma: no cover
    from sqlite_utils import Database

LEARNED, BOTH, RULES = "learned", "both", "rules"
CHUNK = 512  # segments scored per step (the progress bar moves per chunk)

Row = tuple[int, str, float, list[dict]]  # (segment id, code, score, evidence dicts)


def load_predictor(db: Database, model_id: int | None = None) -> tuple[dict, Predictor]:
    """The stored model (newest by default) loaded for prediction; raises SuggestError when there is none."""
    row = get_learned_model(db, model_id, weights=True)
    if row is None:
        raise SuggestError(
            'No learned model is stored in this project. Train one with "wei-qual suggest train".'
            if model_id is None
            else f'There is no model {model_id}. See the stored ones with "wei-qual suggest models".'
        )
    calibration = (row["info"] or {}).get("calibration") or Platt().to_json()
    return row, Predictor(row["config"], row["weights"], calibration)


def learned_rows(
    predictor: Predictor,
    rows: list[dict],
    *,
    labels: list[str],
    model_id: int,
    min_score: float,
    on_progress: ProgressCallback | None = None,
) -> list[Row]:
    """The model's suggestions for `rows` (segment dicts), with leave-one-sentence-out evidence."""
    out: list[Row] = []
    total = len(rows)
    for start in range(0, total, CHUNK):
        chunk = rows[start : start + CHUNK]
        texts = [r["text"] for r in chunk]
        scores = predictor.scores(texts)
        wanted = [[c for c in labels if s.get(c, 0.0) >= min_score] for s in scores]
        evidence = predictor.evidence(texts, wanted, scores)
        for row, text, codes, score, found in zip(chunk, texts, wanted, scores, evidence):
            for code in codes:
                spans = []
                if code in found:
                    begin, end, drop = found[code]
                    spans.append(
                        {
                            "start": begin,
                            "end": end,
                            "text": text[begin:end],
                            "source": f"model:{model_id}, drop {drop:.2f}",
                            "negated": False,
                        }
                    )
                out.append((row["id"], code, score[code], spans))
        if on_progress:
            on_progress(min(start + CHUNK, total), total)
    return out


def merge_rows(rules: list[Row], learned: list[Row]) -> list[Row]:
    """Per (segment, code): score 1 - (1 - rules) (1 - learned), evidence of both (rules first)."""
    merged: dict[tuple[int, str], tuple[float, list[dict]]] = {}
    for segment_id, code, score, evidence in rules + learned:
        key = (segment_id, code)
        if key in merged:
            before, spans = merged[key]
            merged[key] = (1.0 - (1.0 - before) * (1.0 - score), spans + evidence)
        else:
            merged[key] = (score, list(evidence))
    return [(sid, code, round(score, 4), spans) for (sid, code), (score, spans) in sorted(merged.items())]


def run_learned(
    db: Database,
    *,
    engine: str,
    transcripts: list[str] | None = None,
    model: str | None = None,
    min_score: float = 0.0,
    pipeline: Pipeline | None = None,
    on_progress: ProgressCallback | None = None,
    model_id: int | None = None,
) -> SuggestResult:
    """Store the newest model's suggestions (engine "learned"), or those and the rules' and their merge
    (engine "both"). Raises SuggestError. Nothing is written unless every segment was processed."""
    if engine not in (LEARNED, BOTH):
        raise SuggestError(f'Unknown engine "{engine}". Use rules, learned or both.')
    version_id, codebook = require_active_codebook(db)
    transcripts = list(dict.fromkeys(transcripts or []))
    rows = participant_rows(db, transcripts)
    row, predictor = load_predictor(db, model_id)
    model_id = int(row["id"])
    reasons = tuple(staleness(db, row, version_id))
    # Codes the active codebook no longer has (or has merged away) are not suggested.
    labels = [c for c in predictor.labels if (code := codebook.code(c)) is not None and not code.merged_into]
    floor = max(min_score, LEARNED_MIN_SCORE)

    rules_found: list[Row] = []
    words = sum(count_words(r["text"]) for r in rows)
    rules_engine = RULES
    if engine == BOTH:
        pipeline = pipeline or build_pipeline(model)
        rules_engine = pipeline.engine
        rules_found, _ = rule_rows(rows, pipeline, compile_rules(pipeline, codebook), min_score=min_score)
    found = learned_rows(
        predictor, rows, labels=labels, model_id=model_id, min_score=floor, on_progress=on_progress
    )
    segment_ids = None if not transcripts else [r["id"] for r in rows]
    with transaction(db):
        stale = suggestion_store.mark_stale(db, version_id)
        if engine == BOTH:
            suggestion_store.replace_suggestions(
                db,
                codebook_id=version_id,
                engine=rules_engine,
                segment_ids=segment_ids,
                rows=rules_found,
                min_score=min_score,
            )
        suggestion_store.replace_suggestions(
            db,
            codebook_id=version_id,
            engine=LEARNED,
            segment_ids=segment_ids,
            rows=found,
            model_id=model_id,
            min_score=floor,
        )
        stored = found
        if engine == BOTH:
            # Stored last, so "both" is the engine the coding session and suggestions list show.
            stored = merge_rows(rules_found, found)
            suggestion_store.replace_suggestions(
                db,
                codebook_id=version_id,
                engine=BOTH,
                segment_ids=segment_ids,
                rows=stored,
                model_id=model_id,
                min_score=floor,
            )
    return SuggestResult(
        engine, version_id, len(rows), words, len(stored), len(labels), stale, model_id, reasons
    )
