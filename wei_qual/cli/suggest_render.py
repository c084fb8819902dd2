"""Pure renderers of the learned engine's results (suggest train, suggest models, suggest evaluate --folds):
each returns Rich renderables or plain lines, so the tests can check them without running a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from .tables import Column, FitTable

if TYPE_CHECKING:
    from ..suggest.crossval import CrossValidation
    from ..suggest.train import ModelInfo, TrainResult


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def too_few_line(too_few: dict[str, int], min_examples: int) -> str | None:
    """'Too few examples (fewer than 8): code (n), ...' or None when every code has a label."""
    if not too_few:
        return None
    items = ", ".join(f"{escape(code)} ({n})" for code, n in too_few.items())
    return f"Too few examples (fewer than {min_examples} segments), not learned: {items}."


def train_lines(result: TrainResult) -> list[str]:
    f1 = "-" if result.held_out_f1 is None else f"{result.held_out_f1:.3f}"
    lines = [
        (
            f"Trained model {result.model_id} on {result.units} segments of {result.transcripts} transcripts "
            f"(source {escape(result.source)}, codebook version {result.codebook_id}, seed {result.seed}) "
            f"in {result.seconds:.1f} s: {len(result.labels)} codes."
        ),
        (
            f"Held-out micro F1 {f1} on {result.held_out_transcripts} transcripts kept out of training "
            f"(epoch {result.best_epoch} of {result.epochs} kept). Measure it properly with "
            '"wei-qual suggest evaluate --engine learned --folds 5".'
        ),
        "Codes learned (positive segments): "
        + ", ".join(f"{escape(c)} ({n})" for c, n in result.examples.items())
        + ".",
    ]
    few = too_few_line(result.too_few, result.min_examples)
    if few:
        lines.append(few)
    return lines


def render_models(models: list[ModelInfo]) -> FitTable:
    table = FitTable(
        Column("model", kind="number"),
        Column("trained (UTC)", kind="number", priority=2),
        Column("source", kind="id"),
        Column("codebook", kind="number", priority=3),
        Column("codes", kind="number"),
        Column("segments", kind="number"),
        Column("held-out F1", kind="number"),
        Column("seed", kind="number", priority=4),
        Column("status", kind="long", priority=1),
        hint="--wide or --format json",
    )
    for m in models:
        status = "out of date: " + "; ".join(m.stale) if m.stale else "current"
        if m.newest:
            status += " (newest: used by suggest)"
        table.add_row(
            str(m.id),
            m.trained_utc[:16].replace("T", " "),
            m.source,
            str(m.codebook_id),
            str(len(m.labels)),
            str(m.units),
            _fmt(m.held_out_f1),
            str(m.seed),
            status,
        )
    return table


def render_crossval(cv: CrossValidation) -> FitTable:
    """Per code: examples, the model's and the rules' precision, recall, F1 and alpha beside the source.
    On a narrow terminal precision and recall give way first, then alpha; F1 always shows."""
    priority = {"model P": 4, "rules P": 4, "model R": 3, "rules R": 3, "model α": 2, "rules α": 2}
    table = FitTable(
        Column("code", kind="text", min_width=14),
        *(
            Column(name, kind="number", priority=priority.get(name, 0))
            for name in (
                "examples",
                "model P",
                "model R",
                "model F1",
                "rules P",
                "rules R",
                "rules F1",
                "model α",
                "rules α",
            )
        ),
        title=f"Learned engine against {cv.source}, {cv.folds} folds by transcript (rules on the same folds)",
        hint="--wide or --format json",
    )
    rules = {s.code: s for s in cv.rules.codes}
    for s in cv.learned.codes:
        r = rules[s.code]
        code = s.code + ("" if s.code in cv.with_rules else " (no rules)")
        table.add_row(
            code,
            str(cv.examples[s.code]),
            _fmt(s.precision),
            _fmt(s.recall),
            _fmt(s.f1),
            _fmt(r.precision),
            _fmt(r.recall),
            _fmt(r.f1),
            _fmt(cv.learned.alpha.get(s.code)),
            _fmt(cv.rules.alpha.get(s.code)),
        )
    table.add_section()
    m, r = cv.learned.micro, cv.rules.micro
    table.add_row(
        "micro",
        "",
        _fmt(m.precision),
        _fmt(m.recall),
        _fmt(m.f1),
        _fmt(r.precision),
        _fmt(r.recall),
        _fmt(r.f1),
        _fmt(cv.learned.alpha.get("pooled")),
        _fmt(cv.rules.alpha.get("pooled")),
    )
    lm, rm = cv.learned.macro, cv.rules.macro
    table.add_row(
        "macro",
        "",
        *(_fmt(lm[k]) for k in ("precision", "recall", "f1")),
        *(_fmt(rm[k]) for k in ("precision", "recall", "f1")),
        "",
        "",
    )
    return table


def render_folds(cv: CrossValidation) -> FitTable:
    priority = {"training segments": 2, "epoch kept": 3, "seconds": 4}
    table = FitTable(
        *(
            Column(name, kind="number", priority=priority.get(name, 0))
            for name in (
                "fold",
                "test transcripts",
                "test segments",
                "training segments",
                "epoch kept",
                "model F1",
                "rules F1",
                "seconds",
            )
        ),
        title="Folds",
        hint="--wide or --format json",
    )
    for f in cv.fold_info:
        table.add_row(
            str(f["fold"]),
            str(f["test_transcripts"]),
            str(f["test_units"]),
            str(f["train_units"]),
            str(f["best_epoch"]),
            _fmt(f["test_f1"]),
            _fmt(f["rules_test_f1"]),
            f"{f['seconds']:.1f}",
        )
    return table


def render_reliability(cv: CrossValidation) -> FitTable:
    rel = cv.reliability
    table = FitTable(
        *(Column(name, kind="number") for name in ("score", "pairs", "mean score", "applied by the source")),
        title=f"Reliability of the model's scores (Brier {_fmt(rel.brier)}, ECE {_fmt(rel.ece)})",
    )
    for b in rel.bins:
        table.add_row(f"{b.low:.1f}-{b.high:.1f}", str(b.n), _fmt(b.mean_score), _fmt(b.observed))
    return table


def worse_lines(cv: CrossValidation) -> list[str]:
    """Plain statements of where the model does worse than the rules (F1), so nobody has to look for them."""
    rules = {s.code: s for s in cv.rules.codes}
    worse = [
        (s.code, s.f1, rules[s.code].f1)
        for s in cv.learned.codes
        if rules[s.code].f1 is not None and (s.f1 is None or s.f1 < rules[s.code].f1)
    ]
    lines = []
    if worse:
        lines.append(
            "The model does worse than the rules on: "
            + ", ".join(f"{escape(c)} (F1 {_fmt(a)} vs {_fmt(b)})" for c, a, b in worse)
            + "."
        )
    for name in ("f1",):
        if (
            cv.learned.macro[name] is not None
            and cv.rules.macro[name] is not None
            and cv.learned.macro[name] < cv.rules.macro[name]
        ):
            lines.append(
                f"Macro F1 is lower for the model ({_fmt(cv.learned.macro[name])}) than for the rules ({_fmt(cv.rules.macro[name])})."
            )
    if (
        cv.learned.micro.f1 is not None
        and cv.rules.micro.f1 is not None
        and cv.learned.micro.f1 < cv.rules.micro.f1
    ):
        lines.append(
            f"Micro F1 is lower for the model ({_fmt(cv.learned.micro.f1)}) than for the rules ({_fmt(cv.rules.micro.f1)})."
        )
    return lines
