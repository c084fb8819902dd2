"""How good the stored suggestions are: precision, recall and F1 per code against one coder's
decisions, and how often suggestions shown in the coding session were accepted."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..defaults import EVALUATE_MIN_SCORE
from ..errors import SuggestError
from ..models import Decision
from ..store import suggestions as suggestion_store
from ..store.decisions import iter_interview_code_lists, iter_interview_shown_accepted
from ..store.learned_models import get_learned_model, suggestion_models
from .run import require_active_codebook

if TYPE_CHECKING:  # pragma: no cover
    from sqlite_utils import Database


@dataclass(frozen=True)
class CodeScore:
    code: str
    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None

    def scores(self) -> dict:
        """The counts and rates, without the code id (JSON)."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


@dataclass(frozen=True)
class Evaluation:
    codes: list[CodeScore]
    micro: CodeScore  # code = "micro"
    macro: dict[str, float | None]  # precision, recall, f1: means over codes where defined
    acceptance: dict[str, Any]  # decisions, shown, accepted, rate
    segments: int
    engine: str
    min_score: float
    # Transcripts the coder decided that have no suggestion of this engine for this codebook version
    # (suggest was run with --transcript on others): left out, as their codes would all count as missed.
    left_out: tuple[str, ...] = ()
    left_out_segments: int = 0

    @property
    def warning(self) -> str | None:
        if not self.left_out:
            return None
        names = ", ".join(self.left_out[:5]) + (
            f" and {len(self.left_out) - 5} more" if len(self.left_out) > 5 else ""
        )
        return (
            f"{self.left_out_segments} decided segments of {len(self.left_out)} transcripts ({names}) have no "
            f'{self.engine} suggestions for this codebook version and are not counted. Run "wei-qual suggest" '
            "on every transcript to count them."
        )

    def to_json(self) -> dict:
        return {
            "codes": [{"code": s.code, **s.scores()} for s in self.codes],
            "micro": self.micro.scores(),
            "macro": dict(self.macro),
            "acceptance": dict(self.acceptance),
            "segments": self.segments,
            "left_out_transcripts": list(self.left_out),
            "warnings": [self.warning] if self.warning else [],
        }


def _ratio(num: int, den: int, digits: int | None = 4) -> float | None:
    if den == 0:
        return None
    return num / den if digits is None else round(num / den, digits)


def _ratios(
    tp: int, fp: int, fn: int, digits: int | None = 4
) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1 = 2tp / (2tp + fp + fn); None where the denominator is 0."""
    return _ratio(tp, tp + fp, digits), _ratio(tp, tp + fn, digits), _ratio(2 * tp, 2 * tp + fp + fn, digits)


def score_sets(
    pairs: Iterable[tuple[set[str] | frozenset[str], set[str] | frozenset[str]]], codes: list[str]
) -> tuple[list[CodeScore], CodeScore, dict[str, float | None]]:
    """Per-code, micro and macro scores of (suggested, decided) code sets, one pair per segment.

    Only `codes` are counted. Undefined ratios are None; macro means skip them. Values are rounded
    to 4 decimals after averaging.
    """
    counts = {c: [0, 0, 0] for c in codes}
    for suggested, decided in pairs:
        for code in suggested | decided:  # a code in neither counts nowhere
            count = counts.get(code)
            if count is not None:
                count[0 if code in suggested and code in decided else 1 if code in suggested else 2] += 1
    per_code = [CodeScore(c, *counts[c], *_ratios(*counts[c])) for c in codes]
    totals = [sum(x[i] for x in counts.values()) for i in range(3)]
    micro = CodeScore("micro", *totals, *_ratios(*totals))

    raw = [_ratios(*counts[c], digits=None) for c in codes]
    macro = {}
    for i, name in enumerate(("precision", "recall", "f1")):
        defined = [r[i] for r in raw if r[i] is not None]
        macro[name] = round(sum(defined) / len(defined), 4) if defined else None
    return per_code, micro, macro


def acceptance_rate(decisions: Iterable[Decision]) -> dict[str, Any]:
    """How often codes suggested on screen in the coding session were accepted."""
    return _acceptance((d.shown, d.accepted, 1) for d in decisions)


def _acceptance(counted: Iterable[tuple[frozenset[str], frozenset[str], int]]) -> dict[str, Any]:
    """From (codes shown, codes accepted, how many decisions have them)."""
    n = shown = accepted = 0
    for on_screen, taken, times in counted:
        if on_screen:
            n += times
            shown += times * len(on_screen)
            accepted += times * len(taken & on_screen)
    return {"decisions": n, "shown": shown, "accepted": accepted, "rate": _ratio(accepted, shown)}


def suggestion_acceptance(db: Database, *, coder: str) -> dict[str, Any]:
    """evaluate_suggestions(db, coder=coder).acceptance of a project with suggestions, without scoring
    them: from the codes shown and accepted in the coder's decisions. Raises SuggestError as
    evaluate_suggestions does for a coder without decisions on interview segments."""
    counted = iter_interview_shown_accepted(db, coder)
    if not counted:
        raise SuggestError(_no_decisions(coder))
    return _acceptance(counted)


def _no_decisions(coder: str) -> str:
    return (
        f'Coder "{coder}" has no decisions in this project. Check the name, or code some segments '
        f'with "wei-qual code --coder {shlex.quote(coder)}".'
    )


def _engine_option(engine: str) -> str:
    """The options of `wei-qual suggest` that make this engine's suggestions."""
    if engine.startswith("rules+"):
        return f" --model {shlex.quote(engine.removeprefix('rules+'))}"
    return "" if engine == "rules" else f" --engine {engine}"


def evaluate_suggestions(
    db: Database, *, coder: str, min_score: float = EVALUATE_MIN_SCORE, engine: str | None = None
) -> Evaluation:
    """Compare current suggestions (score >= min_score) with one coder's decisions on interview segments;
    raises SuggestError.

    Counts the codes of the active codebook that have keywords or patterns; for the learned engine the
    model's codes, and for "both" either.
    """
    version_id, codebook = require_active_codebook(db)
    # Interview segments only, as agreement and the reports by default: documents leave the figures alone.
    decisions = iter_interview_code_lists(db, coder)
    if not decisions:
        raise SuggestError(_no_decisions(coder))
    engine = engine or suggestion_store.latest_engine(db, version_id)
    if engine is None:
        raise SuggestError(
            'There are no current suggestions for the active codebook. Run "wei-qual suggest" first.'
        )
    floor = suggestion_store.stored_floor(db, version_id, engine)
    if min_score < floor:
        # Matches scoring between the two were never stored: they would count as not suggested.
        raise SuggestError(
            f"The {engine} suggestions were stored at scores of {floor:g} or more (suggest --min-score), so "
            f'they cannot be measured at {min_score:g}. Pass --min-score {floor:g} or more, or run "wei-qual '
            f'suggest{_engine_option(engine)}" again with a lower --min-score.'
        )
    suggested = suggestion_store.suggested_codes(
        db, codebook_id=version_id, engine=engine, min_score=min_score
    )
    codes = [c.id for c in codebook.codes if not c.merged_into and (c.keywords or c.patterns)]
    if engine in ("learned", "both"):
        # The models' codes (with the rules' too for "both"), in codebook order: every model behind the
        # suggestions, as a run on some transcripts can leave a newer one beside the first.
        learned: set[str] = set()
        for model_id, _ in suggestion_models(db, version_id, engine):
            model = get_learned_model(db, model_id)
            learned |= set(model["labels"]) if model else set()
        rules = set(codes) if engine == "both" else set()
        codes = [c.id for c in codebook.codes if c.id in learned | rules and not c.merged_into]
    covered = suggestion_store.suggested_transcripts(db, codebook_id=version_id, engine=engine)
    left_out = sorted({t for t, *_ in decisions if t not in covered})
    counted = [d for d in decisions if d[0] in covered]
    nothing: set[str] = set()
    pairs = [(suggested.get((t, n), nothing), applied) for t, n, applied, _, _ in counted]
    per_code, micro, macro = score_sets(pairs, codes)
    acceptance = _acceptance((shown, accepted, 1) for *_, shown, accepted in decisions)
    return Evaluation(
        per_code,
        micro,
        macro,
        acceptance,
        len(counted),
        engine,
        min_score,
        tuple(left_out),
        len(decisions) - len(counted),
    )
