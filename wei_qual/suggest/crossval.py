"""`suggest evaluate --engine learned --folds K`: how good the learned engine is on interviews it has not
seen, measured against the source it learns from, next to the rules on the same folds.

Folds are whole transcripts (wei_qual.suggest.folds). In each fold a model is trained exactly as
`suggest train` trains one (on the other folds, with their own held-out transcripts for the epoch and
calibration) and scores the fold's segments. The rules need no training: their suggestions on the same
segments are scored against the same source. Out-of-fold predictions give per code and micro/macro
precision, recall and F1, Krippendorff's alpha of each engine as one more coder beside the source, and a
reliability table of the calibrated scores.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..defaults import DEFAULT_EPOCHS, DEFAULT_FOLDS, DEFAULT_MIN_EXAMPLES, DEFAULT_SEED, EVALUATE_MIN_SCORE
from ..errors import SuggestError
from ..store.learned_models import save_learned_evaluation
from .calibrate import Reliability, reliability_table
from .evaluate import CodeScore, score_sets
from .folds import grouped_folds
from .learned import Predictor, Unit, fit_model
from .train import check_labels, load_training_data

if TYPE_CHECKING:  # pragma: no cover
    from sqlite_utils import Database

FoldCallback = Callable[[int, int, int, int, "float | None"], None]  # fold, folds, epoch, epochs, held-out F1


@dataclass(frozen=True)
class EngineScores:
    codes: list[CodeScore]
    micro: CodeScore
    macro: dict[str, float | None]
    alpha: dict[str, float | None]  # code -> alpha beside the source; "pooled" over every (segment, code)

    def to_json(self) -> dict:
        return {
            "codes": [{"code": s.code, **s.scores(), "alpha": self.alpha.get(s.code)} for s in self.codes],
            "micro": self.micro.scores(),
            "macro": dict(self.macro),
            "alpha_pooled": self.alpha.get("pooled"),
        }


@dataclass(frozen=True)
class CrossValidation:
    source: str
    codebook_id: int
    folds: int
    seed: int
    epochs: int
    min_examples: int
    min_score: float
    units: int
    transcripts: int
    labels: list[str]
    examples: dict[str, int]  # label -> positive segments in the whole source
    too_few: dict[str, int]
    with_rules: list[str]  # labels that have keywords or patterns
    fold_info: list[dict]  # per fold: test transcripts and units, training units, best epoch, F1s, seconds
    learned: EngineScores
    rules: EngineScores
    reliability: Reliability  # of the learned engine's calibrated out-of-fold scores
    units_sha256: str = ""  # of the units evaluated (a model trained on the same units matches)
    evaluation_id: int | None = None  # where it is stored (learned_evaluations), for the methods report

    def to_json(self) -> dict:
        return {
            "evaluation": self.evaluation_id,
            "engine": "learned",
            "source": self.source,
            "codebook_version": self.codebook_id,
            "folds": self.folds,
            "seed": self.seed,
            "epochs": self.epochs,
            "min_examples": self.min_examples,
            "min_score": self.min_score,
            "units": self.units,
            "units_sha256": self.units_sha256,
            "transcripts": self.transcripts,
            "labels": self.labels,
            "examples": self.examples,
            "too_few": self.too_few,
            "codes_with_rules": self.with_rules,
            "fold_details": self.fold_info,
            "learned": self.learned.to_json(),
            "rules": self.rules.to_json(),
            "reliability": self.reliability.to_json(),
        }


def alpha_beside_source(
    predicted: Sequence[set[str] | frozenset[str]], gold: Sequence[frozenset[str]], labels: list[str]
) -> dict[str, float | None]:
    """Nominal alpha per code of (source, engine) as two coders on every unit, and pooled over all codes."""
    import math

    import numpy

    from ..reliability import binary_alpha_from_counts

    applied = numpy.array(
        [[(c in p) + (c in g) for c in labels] for p, g in zip(predicted, gold)], dtype=float
    ).reshape(len(gold), len(labels))
    decided = numpy.full((len(gold), 1), 2.0)

    def value(a: float) -> float | None:
        return None if math.isnan(a) else round(a, 4)

    result = {c: value(binary_alpha_from_counts(applied[:, [j]], decided)) for j, c in enumerate(labels)}
    result["pooled"] = value(binary_alpha_from_counts(applied, decided)) if labels else None
    return result


def engine_scores(
    predicted: Sequence[set[str] | frozenset[str]], gold: Sequence[frozenset[str]], labels: list[str]
) -> EngineScores:
    per_code, micro, macro = score_sets(zip(predicted, gold), labels)
    return EngineScores(per_code, micro, macro, alpha_beside_source(predicted, gold, labels))


def rule_sets(units: Sequence[Unit], codebook, *, min_score: float) -> tuple[list[set[str]], list[str]]:
    """The rules' codes (score >= min_score) for each unit, and the codes that have rules."""
    from .pipeline import build_pipeline
    from .rules import compile_rules

    pipeline = build_pipeline()
    rules = compile_rules(pipeline, codebook)
    found = []
    for unit, doc in zip(units, pipeline.pipe(u.text for u in units)):
        found.append({code for code, score, _ in rules.match(doc, unit.text) if score >= min_score})
    return found, rules.codes


def cross_validate(
    db: Database,
    *,
    source: str | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    epochs: int = DEFAULT_EPOCHS,
    min_examples: int = DEFAULT_MIN_EXAMPLES,
    codes: list[str] | None = None,
    min_score: float = EVALUATE_MIN_SCORE,
    on_progress: FoldCallback | None = None,
) -> CrossValidation:
    """Grouped K-fold cross-validation of the learned engine against `source`, the rules on the same folds.
    The result is stored in the project (learned_evaluations) for the methods report.

    Raises SuggestError (no codebook, too few transcripts for the folds, no code with enough examples).
    """
    data = load_training_data(db, source=source, codes=codes)
    labels, too_few = check_labels(data, min_examples)
    units = data.units
    gold = [u.codes for u in units]
    test_folds = grouped_folds([u.transcript for u in units], folds, seed=seed)
    fewest = data.transcripts - max(len({units[i].transcript for i in test}) for test in test_folds)
    if fewest < 2:  # each fold's model keeps one transcript out to calibrate: it needs two to train on
        raise SuggestError(
            f"With {data.transcripts} transcripts, {folds} folds leave a fold's model fewer than two "
            "transcripts to train and calibrate on. Pass a smaller --folds, or code more transcripts."
        )

    learned_sets: list[set[str]] = [set() for _ in units]
    pairs: list[tuple[float, bool]] = []
    fold_info = []
    for k, test in enumerate(test_folds, start=1):
        started = time.perf_counter()
        test_set = set(test)
        train_units = [u for i, u in enumerate(units) if i not in test_set]

        def progress(epoch: int, total: int, f1: float | None, k: int = k) -> None:
            if on_progress:
                on_progress(k, folds, epoch, total, f1)

        model = fit_model(train_units, labels, seed=seed, epochs=epochs, on_epoch=progress)
        scores = Predictor.from_trained(model).scores([units[i].text for i in test])
        for i, row in zip(test, scores):
            learned_sets[i] = {c for c in labels if row[c] >= min_score}
            pairs.extend((row[c], c in gold[i]) for c in labels)
        fold_gold = [gold[i] for i in test]
        _, micro, _ = score_sets(zip([learned_sets[i] for i in test], fold_gold), labels)
        fold_info.append(
            {
                "fold": k,
                "test_transcripts": len({units[i].transcript for i in test}),
                "test_units": len(test),
                "train_units": len(train_units),
                "best_epoch": model.best_epoch,
                "held_out_f1": model.held_out_f1,
                "test_f1": micro.f1,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )

    found, with_rules = rule_sets(units, data.codebook, min_score=min_score)
    rules_sets = [s & set(labels) for s in found]
    for info, test in zip(fold_info, test_folds):
        _, micro, _ = score_sets(zip([rules_sets[i] for i in test], [gold[i] for i in test]), labels)
        info["rules_test_f1"] = micro.f1
    result = CrossValidation(
        source=data.source,
        codebook_id=data.codebook_id,
        folds=folds,
        seed=seed,
        epochs=epochs,
        min_examples=min_examples,
        min_score=min_score,
        units=len(units),
        transcripts=data.transcripts,
        labels=labels,
        examples={c: data.examples[c] for c in labels},
        too_few=too_few,
        with_rules=[c for c in labels if c in set(with_rules)],
        fold_info=fold_info,
        learned=engine_scores(learned_sets, gold, labels),
        rules=engine_scores(rules_sets, gold, labels),
        reliability=reliability_table(pairs),
        units_sha256=data.sha256(),
    )
    # Kept, so the methods report can cite these figures for a model trained on the same units.
    evaluation_id = save_learned_evaluation(
        db,
        {
            "codebook_id": data.codebook_id,
            "source": data.source,
            "units_sha256": result.units_sha256,
            "folds": folds,
            "seed": seed,
            "epochs": epochs,
            "min_examples": min_examples,
            "min_score": min_score,
            "result": result.to_json(),
        },
    )
    return dataclasses.replace(result, evaluation_id=evaluation_id)
