"""`suggest train` and `suggest models`: train the learned engine on the project's coded participant
segments under one source, store the model in the project, and list stored models with stale marking."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..defaults import DEFAULT_EPOCHS, DEFAULT_MIN_EXAMPLES, DEFAULT_SEED
from ..errors import SuggestError
from ..models import Codebook, split_removed
from ..store.codebooks import get_active_version_id
from ..store.decisions import iter_coders
from ..store.learned_models import (
    decisions_fingerprint,
    get_learned_model,
    iter_learned_models,
    save_learned_model,
)
from .learned import EpochCallback, Unit, fit_model
from .run import require_active_codebook

if TYPE_CHECKING:  # pragma: no cover
    from sqlite_utils import Database

CONSENSUS, MAJORITY, UNION = "consensus", "majority", "union"  # as in the reports (wei_qual.report.data)


@dataclass(frozen=True)
class TrainingData:
    source: str
    codebook_id: int
    codebook: Codebook
    units: list[Unit]  # every participant segment the source decided, in transcript order
    candidates: list[str]  # codes asked for (leaf codes of the active codebook, or --codes), codebook order
    examples: dict[str, int]  # candidate -> segments the source applied it to
    # majority and union: units only one coder decided (their labels are that coder's codes), and who
    single_coded: int = 0
    single_coders: tuple[str, ...] = ()

    @property
    def transcripts(self) -> int:
        return len({u.transcript for u in self.units})

    def split_labels(self, min_examples: int) -> tuple[list[str], dict[str, int]]:
        """(codes with at least min_examples positive segments, {other code: its count})."""
        labels = [c for c in self.candidates if self.examples[c] >= min_examples]
        return labels, {c: self.examples[c] for c in self.candidates if self.examples[c] < min_examples}

    def sha256(self) -> str:
        """Hash of the training units: (transcript, segment, codes applied), in a fixed order."""
        digest = hashlib.sha256()
        for u in sorted(self.units, key=lambda u: (u.transcript, u.n)):
            digest.update(f"{u.transcript}\t{u.n}\t{';'.join(sorted(u.codes))}\n".encode())
        return digest.hexdigest()


def _leaf_codes(codebook: Codebook) -> list[str]:
    parents = {c.parent for c in codebook.codes if c.parent}
    return [c.id for c in codebook.codes if c.id not in parents and not c.merged_into]


def _select_codes(codebook: Codebook, codes: list[str] | None) -> list[str]:
    leaves = _leaf_codes(codebook)
    codes, removed = split_removed(codes or [])
    if not codes:
        return _leave_out(codebook, leaves, removed)
    chosen: list[str] = []
    for code in codes:
        found = codebook.code(code)
        if found is None or found.merged_into:
            raise SuggestError(
                f'Code "{code}" is not in the active codebook{codebook.did_you_mean(code)}. '
                'Check the ids with "wei-qual codebook show".'
            )
        # A theme stands for its codes, all the way down.
        below, stack = [], [code]
        while stack:
            current = stack.pop()
            children = [c.id for c in codebook.children(current)]
            stack.extend(children)
            if not children:
                below.append(current)
        chosen.extend(c for c in below if c in leaves)
    return _leave_out(codebook, [c for c in leaves if c in set(chosen)], removed)


def _leave_out(codebook: Codebook, codes: list[str], removed: list[str]) -> list[str]:
    """`codes` without the "-ID" items of --codes (a theme: its whole group)."""
    left, problem = codebook.leave_out(codes, removed)
    if problem:
        raise SuggestError(problem)
    return left


def load_training_data(
    db: Database, *, source: str | None = None, codes: list[str] | None = None
) -> TrainingData:
    """The participant segments decided under `source` (None: consensus) with the codes applied there.

    `source` means what it means in the reports: consensus, a coder's name, majority or union. Only leaf
    codes are labels; themes follow from their codes. Raises SuggestError or ReportError.
    """
    from ..report.data import load_report_data

    version_id, codebook = require_active_codebook(db)
    if source is None and CONSENSUS not in iter_coders(db):
        raise SuggestError(
            "This project has no consensus decisions, so training needs a source. Choose one with "
            '--source CODER|majority|union, or reconcile first with "wei-qual reconcile".'
        )
    pooled = source in (MAJORITY, UNION)
    data = load_report_data(db, source=source or CONSENSUS)
    candidates = _select_codes(codebook, codes)
    leaves = set(_leaf_codes(codebook))
    units = [
        Unit(
            transcript,
            n,
            data.segments[(transcript, n)]["text"],
            frozenset(c for c in applied if c in leaves),
        )
        for (transcript, n), applied in data.applied.items()
    ]
    counts = Counter(c for u in units for c in u.codes)
    single, single_coders = 0, set()
    if pooled:
        deciders = _deciders(db, list(data.applied))
        for key in data.applied:
            if len(deciders.get(key, ())) == 1:
                single += 1
                single_coders |= deciders[key]
    return TrainingData(
        data.source,
        version_id,
        codebook,
        units,
        candidates,
        {c: counts.get(c, 0) for c in candidates},
        single,
        tuple(sorted(single_coders)),
    )


def _deciders(db: Database, keys: list[tuple[str, int]]) -> dict[tuple[str, int], set[str]]:
    """The independent coders (consensus left out) who decided each of these segments."""
    from ..store.decisions import iter_decision_rows

    wanted = set(keys)
    found: dict[tuple[str, int], set[str]] = {}
    for transcript, n, coder, *_ in iter_decision_rows(db):
        if coder != CONSENSUS and (transcript, n) in wanted:
            found.setdefault((transcript, n), set()).add(coder)
    return found


def _source_coders(source: str) -> list[str] | None:
    """Whose decisions a source reads: None for every independent coder (majority, union)."""
    return None if source in (MAJORITY, UNION) else [source]


@dataclass(frozen=True)
class TrainResult:
    model_id: int
    source: str
    codebook_id: int
    labels: list[str]
    examples: dict[str, int]  # label -> positive segments
    too_few: dict[str, int]  # code left out -> positive segments
    min_examples: int
    units: int
    transcripts: int
    units_sha256: str
    seed: int
    epochs: int
    best_epoch: int
    held_out_f1: float | None
    train_transcripts: int
    held_out_transcripts: int
    seconds: float
    single_coded: int = 0  # majority, union: segments only one coder decided
    single_coders: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        """Said when a majority or union model learned some segments from one coder alone."""
        if not self.single_coded:
            return None
        who = ", ".join(self.single_coders)
        return (
            f"{self.single_coded} of {self.units} segments under {self.source} were decided by one coder only "
            f"({who}): there the model learned that coder's codes, not a {self.source} of coders."
        )

    def to_json(self) -> dict:
        return {
            "model": self.model_id,
            "source": self.source,
            "codebook_version": self.codebook_id,
            "labels": self.labels,
            "examples": self.examples,
            "too_few": self.too_few,
            "min_examples": self.min_examples,
            "units": self.units,
            "transcripts": self.transcripts,
            "units_sha256": self.units_sha256,
            "seed": self.seed,
            "epochs": self.epochs,
            "best_epoch": self.best_epoch,
            "held_out_f1": self.held_out_f1,
            "train_transcripts": self.train_transcripts,
            "held_out_transcripts": self.held_out_transcripts,
            "seconds": self.seconds,
            "single_coded": self.single_coded,
            "single_coders": list(self.single_coders),
            "warnings": [self.warning] if self.warning else [],
        }


def check_labels(data: TrainingData, min_examples: int) -> tuple[list[str], dict[str, int]]:
    labels, too_few = data.split_labels(min_examples)
    if not labels:
        most = max(data.candidates, key=lambda c: data.examples[c], default=None)
        hint = f" (most: {most}, {data.examples[most]})" if most else ""
        raise SuggestError(
            f'No code was applied to at least {min_examples} segments under source "{data.source}"{hint}. '
            "Code more segments, or lower --min-examples."
        )
    return labels, too_few


def train(
    db: Database,
    *,
    source: str | None = None,
    min_examples: int = DEFAULT_MIN_EXAMPLES,
    codes: list[str] | None = None,
    seed: int = DEFAULT_SEED,
    epochs: int = DEFAULT_EPOCHS,
    on_epoch: EpochCallback | None = None,
    actor: str | None = None,
) -> TrainResult:
    """Train the learned engine on the source's decisions and store the model; raises SuggestError."""
    import spacy

    started = time.perf_counter()
    data = load_training_data(db, source=source, codes=codes)
    labels, too_few = check_labels(data, min_examples)
    fingerprint = decisions_fingerprint(db, _source_coders(data.source), exclude=CONSENSUS)
    model = fit_model(data.units, labels, seed=seed, epochs=epochs, on_epoch=on_epoch)
    seconds = round(time.perf_counter() - started, 2)
    sha = data.sha256()
    model_id = save_learned_model(
        db,
        {
            "codebook_id": data.codebook_id,
            "source": data.source,
            "labels": labels,
            "too_few": too_few,
            "examples": {c: data.examples[c] for c in labels},
            "units": len(data.units),
            "units_sha256": sha,
            "min_examples": min_examples,
            "seed": seed,
            "epochs": epochs,
            # The segments it learned from: its suggestions there are the source's decisions, which
            # another coder's blind session must not show (wei_qual.store.learned_models).
            "info": {
                **model.info(),
                "trained_on": sorted([u.transcript, u.n] for u in data.units),
                "single_coded": data.single_coded,
            },
            "config": model.config,
            "weights": model.weights,
            "spacy_version": spacy.__version__,
            "decisions_count": fingerprint[0],
            "decisions_last_utc": fingerprint[1],
            "decisions_revisions": fingerprint[2],
            "seconds": seconds,
        },
        actor=actor,
    )
    return TrainResult(
        model_id,
        data.source,
        data.codebook_id,
        labels,
        {c: data.examples[c] for c in labels},
        too_few,
        min_examples,
        len(data.units),
        data.transcripts,
        sha,
        seed,
        epochs,
        model.best_epoch,
        model.held_out_f1,
        model.train_transcripts,
        model.held_out_transcripts,
        seconds,
        data.single_coded,
        data.single_coders,
    )


def staleness(db: Database, row: dict, active_version: int | None = None) -> list[str]:
    """Why a stored model is out of date (empty: current): another codebook version is active, or the
    source's decisions changed (new, edited or removed) since it was trained."""
    active_version = get_active_version_id(db) if active_version is None else active_version
    reasons = []
    if active_version != row["codebook_id"]:
        reasons.append(
            f"codebook version {active_version} is active, the model learned version {row['codebook_id']}"
        )
    now = decisions_fingerprint(db, _source_coders(row["source"]), exclude=CONSENSUS)
    if now != (row["decisions_count"], row["decisions_last_utc"], row["decisions_revisions"]):
        reasons.append(f'decisions of source "{row["source"]}" changed since training')
    return reasons


@dataclass(frozen=True)
class ModelInfo:
    id: int
    trained_utc: str
    source: str
    codebook_id: int
    labels: list[str]
    too_few: dict[str, int]
    units: int
    units_sha256: str
    seed: int
    epochs: int
    held_out_f1: float | None
    spacy_version: str
    seconds: float | None
    stale: list[str] = field(default_factory=list)  # reasons; empty when current
    newest: bool = False

    def to_json(self) -> dict:
        return {
            "model": self.id,
            "trained_utc": self.trained_utc,
            "source": self.source,
            "codebook_version": self.codebook_id,
            "labels": self.labels,
            "too_few": self.too_few,
            "units": self.units,
            "units_sha256": self.units_sha256,
            "seed": self.seed,
            "epochs": self.epochs,
            "held_out_f1": self.held_out_f1,
            "spacy_version": self.spacy_version,
            "seconds": self.seconds,
            "newest": self.newest,
            "stale": bool(self.stale),
            "stale_reasons": self.stale,
        }


def _info(db: Database, row: dict, active: int | None, newest: bool) -> ModelInfo:
    return ModelInfo(
        row["id"],
        row["trained_utc"],
        row["source"],
        row["codebook_id"],
        row["labels"],
        row["too_few"] or {},
        row["units"],
        row["units_sha256"],
        row["seed"],
        row["epochs"],
        (row["info"] or {}).get("held_out_f1"),
        row["spacy_version"] or "",
        row["seconds"],
        staleness(db, row, active),
        newest,
    )


def list_models(db: Database) -> list[ModelInfo]:
    """Stored models, newest first, each with the reasons it is out of date (if any)."""
    active = get_active_version_id(db)
    rows = iter_learned_models(db)
    return [_info(db, row, active, i == 0) for i, row in enumerate(rows)]


def model_info(db: Database, model_id: int | None = None) -> ModelInfo | None:
    """One stored model (the newest when model_id is None) with its stale reasons, or None."""
    row = get_learned_model(db, model_id)
    if row is None:
        return None
    newest = get_learned_model(db)
    return _info(db, row, get_active_version_id(db), newest is not None and newest["id"] == row["id"])


def learned_disclosures(db: Database, codebook_id: int, engine: str) -> list[dict]:
    """What a methods section must say about each learned model behind an engine's current suggestions
    (suggest.store.learned_models.suggestion_models: the one that made most first), with the segments it
    made them for (`segments` of `of`)."""
    from ..store.learned_models import suggestion_models

    models = suggestion_models(db, codebook_id, engine)
    of = sum(n for _, n in models)
    found = []
    for model_id, segments in models:
        disclosure = learned_disclosure(db, codebook_id, model_id)
        if disclosure is not None:
            found.append({**disclosure, "segments": segments, "of": of})
    return found


def learned_disclosure(db: Database, codebook_id: int, model_id: int) -> dict | None:
    """What a methods section must say about one learned model: how it was made, whether it is out of
    date, and its cross-validated figures (from the newest `suggest evaluate --folds` run on the same units
    and source; None when there is none)."""
    from ..store.learned_models import get_learned_evaluation

    row = get_learned_model(db, model_id)
    if row is None:
        return None
    info = row["info"] or {}
    evaluation = get_learned_evaluation(db, source=row["source"], units_sha256=row["units_sha256"])
    crossval = None
    if evaluation is not None:
        result = evaluation["result"]

        def figures(engine_result: dict) -> dict:
            return {
                "micro": engine_result["micro"],
                "macro": engine_result["macro"],
                "alpha_pooled": engine_result["alpha_pooled"],
            }

        crossval = {
            "evaluated_utc": evaluation["evaluated_utc"],
            "folds": result["folds"],
            "seed": result["seed"],
            "units": result["units"],
            "transcripts": result["transcripts"],
            "min_score": result["min_score"],
            "learned": figures(result["learned"]),
            "rules": figures(result["rules"]),
            "brier": result["reliability"]["brier"],
            "ece": result["reliability"]["ece"],
        }
    return {
        "model": row["id"],
        "trained_utc": row["trained_utc"],
        "source": row["source"],
        "codebook_version": row["codebook_id"],
        "units": row["units"],
        "units_sha256": row["units_sha256"],
        "codes": len(row["labels"]),
        "min_examples": row["min_examples"],
        "seed": row["seed"],
        "epochs": row["epochs"],
        "architecture": info.get("architecture"),
        "calibration": (info.get("calibration") or {}).get("method"),
        "spacy_version": row["spacy_version"],
        "held_out_f1": info.get("held_out_f1"),
        "single_coded": info.get("single_coded") or 0,
        "stale_reasons": staleness(db, row, codebook_id),
        "cross_validation": crossval,
    }
