"""Coder diagnostics for `agree --diagnostics`: what to look at before the reconciliation meeting.

- application rates: how often each coder applies each code, against the other coders pooled, with
  the ratio flagged at 1.5x and above or 0.67x and below ("bob applies stance-supportive 2.1x as often
  as the others");
- boundary confusions: per pair of codes, the units on which one coder applied A (and not B) while
  another applied B (and not A), the confusions a codebook revision should target;
- agreement over time: pooled alpha per batch of N units in coding order, or per ISO week, to show
  whether training worked or drift set in.

Everything is measured on the units and presence matrices that `agree` itself uses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import AgreementError
from ..numbers import whole_number
from ..parallel import in_background
from .matrix import pooled_counts, presence_matrices
from .result import _num
from .selection import Selection, Unit

if TYPE_CHECKING:  # numpy is heavy: keep it out of `wei-qual --help`
    import numpy

HIGH_RATIO = Fraction(3, 2)  # a coder applies a code this many times as often as the others, or more
LOW_RATIO = Fraction(67, 100)  # ... or this share of it, or less (compared exactly, as fractions)
# A coder who decided fewer units than this is not ranked: on a handful of units a rate is noise (3 units
# give a rate of 0, 1/3, 2/3 or 1, so a ratio of 2 or 0 comes from one unit). At 20 units one unit moves a
# rate by .05, and a rate of .2 has a binomial standard error of about .09.
MIN_UNITS = 20
DEFAULT_BATCH = "50"  # units per batch of the agreement-over-time table; or "week"
WEEK = "week"
NO_TIME = "(no time)"


@dataclass(frozen=True)
class CoderRate:
    """How often one coder applied one code, against the other coders pooled, on the agreement units."""

    coder: str
    code: str
    applied: int  # units on which this coder applied the code
    decided: int  # units this coder decided
    rate: float | None
    others_applied: int
    others_decided: int
    others_rate: float | None
    ratio: float | None  # rate / others_rate; None when the others never applied it
    # "more" (ratio >= 1.5, or only this coder applies it), "less" (<= 0.67), or None (also for a coder
    # who decided fewer than MIN_UNITS units: see Diagnostics.too_few)
    flag: str | None


@dataclass(frozen=True)
class Confusion:
    """Units on which one coder's code A met another coder's code B (each applied by one, not the other)."""

    a: str
    b: str
    units: int
    either: int  # units on which some coder applied A or B
    share: float | None  # units / either


@dataclass(frozen=True)
class Batch:
    """Pooled alpha on one batch of units in coding order (or one week)."""

    label: str
    n_units: int
    first_utc: str | None
    last_utc: str | None
    alpha_pooled: float | None
    alpha_pooled_ci: tuple[float | None, float | None]
    ci_undefined: int = 0
    ci_note: str | None = None


@dataclass(frozen=True)
class Diagnostics:
    coders: list[str]
    units: int
    rates: list[CoderRate]
    confusions: list[Confusion]
    batches: list[Batch]
    batch: str  # "50" (units per batch) or "week"

    @property
    def flagged(self) -> list[CoderRate]:
        return [r for r in self.rates if r.flag]

    @property
    def too_few(self) -> dict[str, int]:
        """The coders left out of the flags, each with the units they decided (fewer than MIN_UNITS)."""
        decided = {r.coder: r.decided for r in self.rates}
        return {coder: n for coder, n in decided.items() if n < MIN_UNITS}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/methods.md."""
        return {
            "coders": self.coders,
            "units": self.units,
            "thresholds": {
                "high_ratio": float(HIGH_RATIO),
                "low_ratio": float(LOW_RATIO),
                "min_units": MIN_UNITS,
            },
            "rates": [vars(r) for r in self.rates],
            "too_few_units": self.too_few,
            "confusions": [vars(c) for c in self.confusions],
            "over_time": {
                "batch": self.batch,
                "order": "time of each unit's latest decision by the selected coders",
                "batches": [{**vars(b), "alpha_pooled_ci": list(b.alpha_pooled_ci)} for b in self.batches],
            },
        }


def too_few_sentence(too_few: dict[str, int]) -> str | None:
    """ "carol (3 units) decided too few units to compare (fewer than 20): not ranked." or None."""
    if not too_few:
        return None
    listed = [f"{coder} ({n} unit{'s' if n != 1 else ''})" for coder, n in too_few.items()]
    names = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return (
        f"{names} decided too few units to compare (fewer than {MIN_UNITS}): their application rates are "
        "not flagged."
    )


def rate_sentence(r: CoderRate, noun: str = "units") -> str:
    """ "bob applies wait 1.71x as often as the others (3 of 7 units; others 3 of 12)." `noun`: what
    the units are, where the text names them (the methods passage says turns)."""
    counts = f"{r.applied} of {r.decided} {noun}; others {r.others_applied} of {r.others_decided}"
    if r.ratio is None:
        return f"{r.coder} alone applies {r.code} ({counts})"
    return f"{r.coder} applies {r.code} {r.ratio:.2f}× as often as the others ({counts})"


def check_batch(batch: str) -> str:
    """ "week" or a positive number of units, as text; raise AgreementError otherwise."""
    text = str(batch).strip().lower()
    if text == WEEK or (whole_number(text) or 0) > 0:
        return text
    raise AgreementError(
        f'--batch "{batch}" is neither a number of units nor "week". Pass e.g. --batch 50 or --batch week.'
    )


def diagnose(
    sel: Selection,
    units: list[Unit],
    *,
    batch: str = DEFAULT_BATCH,
    bootstrap: int,
    seed: int,
    ci_method: str,
    batch_intervals: bool = True,
) -> Diagnostics:
    """Application rates, boundary confusions and agreement over time of the selection on these units.

    batch_intervals=False leaves out each batch's bootstrap interval (hundreds of bootstraps on a study),
    for a caller that shows only the batches' alphas (the methods passage)."""
    batch = check_batch(batch)
    decided, presence = presence_matrices(sel, units)
    return Diagnostics(
        coders=list(sel.coders),
        units=len(units),
        rates=application_rates(sel, decided, presence),
        confusions=confusions(sel, decided, presence),
        batches=over_time(
            sel,
            units,
            batch,
            bootstrap=bootstrap if batch_intervals else 0,
            seed=seed,
            ci_method=ci_method,
            matrices=(decided, presence),
        ),
        batch=batch,
    )


def _ratio(part: float, whole: float) -> float | None:
    return float(part / whole) if whole else None


def application_rates(sel: Selection, decided: numpy.ndarray, presence: numpy.ndarray) -> list[CoderRate]:
    """Per coder and code row: the coder's rate against the other coders' pooled rate, flagged, unless
    the coder decided fewer than MIN_UNITS units (the ratio is given, not flagged)."""
    applied = presence.sum(axis=1)  # coders x rows
    n_decided = decided.sum(axis=1)  # coders
    total_applied, total_decided = applied.sum(axis=0), n_decided.sum()
    out = []
    for j, code in enumerate(sel.rows):
        for i, coder in enumerate(sel.coders):
            mine, others = int(applied[i, j]), int(total_applied[j] - applied[i, j])
            rate = _ratio(mine, n_decided[i])
            others_decided = int(total_decided - n_decided[i])
            others_rate = _ratio(others, others_decided)
            ratio = None
            if rate is not None and others_rate:
                exact = Fraction(mine * others_decided, int(n_decided[i]) * others)
                ratio = float(exact)
                flag = "more" if exact >= HIGH_RATIO else "less" if exact <= LOW_RATIO else None
            else:  # the others never applied it: flag the coder who alone does
                flag = "more" if mine and others_decided else None
            if n_decided[i] < MIN_UNITS:
                flag = None
            out.append(
                CoderRate(
                    coder,
                    code,
                    mine,
                    int(n_decided[i]),
                    rate,
                    others,
                    others_decided,
                    others_rate,
                    ratio,
                    flag,
                )
            )
    return out


def confusions(sel: Selection, decided: numpy.ndarray, presence: numpy.ndarray) -> list[Confusion]:
    """Pairs of code rows that met on a unit (one coder's A where another put B), most frequent first."""
    import numpy as np

    n_rows = len(sel.rows)
    applied = presence & decided[:, :, None]  # coders x units x rows
    # A meets B on a unit when one coder applied A and not B, and another B and not A: when the sets of
    # coders who applied each are incomparable (neither holds the other). Each (unit, row) is given its
    # set of coders as a pattern; met[a, b] counts the units whose patterns of A and B are incomparable,
    # one product per pattern p: [A's pattern is p] x [B's pattern is incomparable with p].
    patterns, pattern = _coder_patterns(applied)  # distinct patterns x coders; units x rows: its index
    incomparable = (patterns[:, None, :] & ~patterns[None, :, :]).any(axis=2)
    incomparable &= incomparable.T
    exact = np.float32 if applied.shape[1] < 2**24 else np.float64  # sums of 0/1 are exact below
    met = np.zeros((n_rows, n_rows), dtype=exact)
    for p in np.flatnonzero(incomparable.any(axis=1)):
        met += (pattern == p).astype(exact).T @ incomparable[p][pattern].astype(exact)
    met = np.rint(met).astype(np.int64)
    # Units on which some coder applied A or B: those with A, plus those with B, less those with both.
    anyone = applied.any(axis=0).astype(np.float64)  # units x rows
    with_both = np.rint(anyone.T @ anyone).astype(np.int64)  # exact: sums of 0/1 below 2**53
    alone = np.diag(with_both)
    either = alone[:, None] + alone[None, :] - with_both
    out = [
        Confusion(
            sel.rows[a], sel.rows[b], int(met[a, b]), int(either[a, b]), _ratio(met[a, b], either[a, b])
        )
        for a in range(n_rows)
        for b in range(a + 1, n_rows)
        if met[a, b]
    ]
    return sorted(out, key=lambda c: (-c.units, -(c.share or 0), c.a, c.b))


def _coder_patterns(applied: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(patterns, index): the sets of coders who applied a row on a unit, as a patterns x coders boolean
    array, and for each unit and row the index of its pattern. Up to 8 coders every possible set is a
    pattern (a byte per cell, no sorting); beyond that, the sets that occur."""
    import numpy as np

    n_coders, n_units, n_rows = applied.shape
    if n_coders <= 8:
        index = np.zeros((n_units, n_rows), dtype=np.uint8)
        for x in range(n_coders):
            index |= applied[x].view(np.uint8) << x
        every = np.arange(2**n_coders)
        return (every[:, None] >> np.arange(n_coders) & 1).astype(bool), index
    patterns, index = np.unique(applied.reshape(n_coders, -1).T, axis=0, return_inverse=True)
    return patterns, index.reshape(n_units, n_rows)


def unit_time(unit: Unit) -> str | None:
    """When a unit became comparable: the latest decision on it by the selected coders (ISO UTC text)."""
    times = [t for t in unit.decided_utc.values() if t]
    return max(times) if times else None


def _week(stamp: str | None) -> str:
    if not stamp:
        return NO_TIME
    try:
        day = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return NO_TIME
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def over_time(
    sel: Selection,
    units: list[Unit],
    batch: str,
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    matrices: tuple[numpy.ndarray, numpy.ndarray] | None = None,
) -> list[Batch]:
    """Pooled alpha per batch of units in coding order (ties in transcript and segment order) or per week.

    `matrices`: presence_matrices(sel, units) when the caller has them; each batch takes its units'
    columns from them (the same values as building the batch's own)."""
    import numpy as np

    decided_all, presence_all = matrices if matrices is not None else presence_matrices(sel, units)
    when = list(map(unit_time, units))
    timed = sorted(((t or "", i) for i, t in enumerate(when)))
    order = [i for _, i in timed]
    groups: list[tuple[str, list[int]]] = []  # (label, indices into units)
    if batch == WEEK:
        for i in order:
            label = _week(when[i])
            if groups and groups[-1][0] == label:
                groups[-1][1].append(i)
            else:
                groups.append((label, [i]))
    else:
        size = int(batch)
        for start in range(0, len(order), size):
            part = order[start : start + size]
            last = start + len(part)
            groups.append((f"units {start + 1}–{last}" if last > start + 1 else f"unit {last}", part))

    # Each unit's counts (coders who applied each row, coders who decided it), once for all the batches.
    counts_all, sizes_all = presence_all.sum(axis=0), decided_all.sum(axis=0)

    def measure(part: list[tuple[str, list[int]]]) -> list:
        found = []
        for _, indices in part:
            pick = np.array(indices, dtype=np.int64)
            options = {"bootstrap": bootstrap, "seed": seed, "ci_method": ci_method}
            found.append(pooled_counts(sel, counts_all[pick], sizes_all[pick], **options))
        return found

    # Each batch's interval is its own 1,000 draws (a study has hundreds of batches): the second half
    # of them is measured on the other CPU, when there is one. Every batch seeds its own draws, so the
    # values do not depend on where it is measured.
    half = len(groups) // 2 if bootstrap else 0
    rest = in_background(lambda: measure(groups[half:])) if half else lambda: measure(groups[half:])
    measured = measure(groups[:half]) + rest()
    out = []
    for (label, indices), (value, ci) in zip(groups, measured):
        times = [when[i] for i in indices if when[i]]
        out.append(
            Batch(
                label=label,
                n_units=len(indices),
                first_utc=min(times) if times else None,
                last_utc=max(times) if times else None,
                alpha_pooled=_num(value),
                alpha_pooled_ci=(_num(ci.low), _num(ci.high)) if ci else (None, None),
                ci_undefined=ci.undefined if ci else 0,
                ci_note=ci.reason if ci and ci.draws else None,
            )
        )
    return out
