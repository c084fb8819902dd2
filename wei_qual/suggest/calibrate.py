"""Calibrating the learned model's probabilities on held-out data, and measuring how well it worked.

One map for every code, fitted on all (segment, code) pairs of the held-out transcripts:

- isotonic regression (pool-adjacent-violators, interpolated linearly between block centres) when the
  held-out pairs hold at least MIN_ISOTONIC positives and negatives: it needs no assumption on the shape
  of the model's errors, and in the bench it roughly halved the Brier score left by Platt scaling;
- else Platt scaling, calibrated = sigmoid(a * logit(p) + b), fitted by Newton's method: two parameters,
  steadier on a small project;
- else (no held-out positive or negative) the model's probability unchanged, marked "none".

Both fit Platt's smoothed targets, (positives + 1) / (positives + 2) and 1 / (negatives + 2), instead of
1 and 0, so a small held-out set cannot push a score to exactly 0 or 1. numpy is imported inside
functions only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EPS = 1e-6  # probabilities are clipped to [EPS, 1 - EPS] before taking the logit
MIN_ISOTONIC = 20  # held-out positives (and negatives) needed for the isotonic map
RELIABILITY_BINS = 10


@dataclass(frozen=True)
class Platt:
    """calibrated = sigmoid(a * logit(p) + b); method "platt", or "none" (a = 1, b = 0: unchanged)."""

    a: float = 1.0
    b: float = 0.0
    method: str = "none"
    n: int = 0  # held-out pairs it was fitted on
    positives: int = 0

    def __call__(self, p: float) -> float:
        return _sigmoid(self.a * _logit(p) + self.b)

    def to_json(self) -> dict:
        return {"method": self.method, "a": self.a, "b": self.b, "n": self.n, "positives": self.positives}


def _logit(p: float) -> float:
    p = min(max(p, EPS), 1.0 - EPS)
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def fit_platt(pairs: Sequence[tuple[float, bool]], *, iterations: int = 100) -> Platt:
    """Fit a and b to (probability, label) pairs by Newton's method on the log loss (Platt 1999, with the
    safeguards of Lin, Lin and Weng 2007: smoothed targets, a tiny ridge, step halving)."""
    import numpy

    positives = sum(1 for _, y in pairs if y)
    negatives = len(pairs) - positives
    if positives == 0 or negatives == 0:
        return Platt(method="none", n=len(pairs), positives=positives)
    hi, lo = (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0)
    p = numpy.clip(numpy.array([p for p, _ in pairs], dtype="float64"), EPS, 1.0 - EPS)
    x = numpy.log(p / (1.0 - p))
    t = numpy.array([hi if y else lo for _, y in pairs], dtype="float64")

    def loss(a: float, b: float) -> float:
        f = a * x + b
        return float(numpy.sum(numpy.logaddexp(0.0, f) - t * f))  # log(1 + e^f) - t f, no overflow

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(iterations):
        q = 1.0 / (1.0 + numpy.exp(-(a * x + b)))
        d, w = q - t, q * (1.0 - q)
        g_a, g_b = float(d @ x), float(d.sum())
        h_aa, h_ab, h_bb = float(w @ (x * x)) + 1e-12, float(w @ x), float(w.sum()) + 1e-12
        det = h_aa * h_bb - h_ab * h_ab
        if (abs(g_a) < 1e-9 and abs(g_b) < 1e-9) or det <= 0:
            break
        step_a, step_b = (h_bb * g_a - h_ab * g_b) / det, (h_aa * g_b - h_ab * g_a) / det
        size = 1.0
        while size > 1e-8:  # halve the Newton step until the loss goes down enough (Armijo)
            new_a, new_b = a - size * step_a, b - size * step_b
            new = loss(new_a, new_b)
            if new <= current - 1e-4 * size * (g_a * step_a + g_b * step_b):
                break
            size /= 2.0
        else:
            break
        a, b, done = new_a, new_b, current - new < 1e-10
        current = new
        if done:
            break
    return Platt(a, b, "platt", len(pairs), positives)


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    n: int
    mean_score: float | None  # mean calibrated score in the bin
    observed: float | None  # share of the bin's (segment, code) pairs that the source applied


@dataclass(frozen=True)
class Reliability:
    bins: list[ReliabilityBin]
    n: int
    brier: float | None  # mean squared difference between score and outcome
    ece: float | None  # expected calibration error: sum over bins of n_bin / n * |mean score - observed|

    def to_json(self) -> dict:
        return {
            "bins": [
                {"low": b.low, "high": b.high, "n": b.n, "mean_score": b.mean_score, "observed": b.observed}
                for b in self.bins
            ],
            "n": self.n,
            "brier": self.brier,
            "ece": self.ece,
        }


def reliability_table(pairs: Iterable[tuple[float, bool]], *, bins: int = RELIABILITY_BINS) -> Reliability:
    """Scores in equal-width bins [0, 0.1), [0.1, 0.2) ... [0.9, 1.0]: how often each bin was right."""
    counts = [[0, 0.0, 0] for _ in range(bins)]  # n, sum of scores, positives
    n, squared = 0, 0.0
    for score, label in pairs:
        i = min(int(score * bins), bins - 1)
        counts[i][0] += 1
        counts[i][1] += score
        counts[i][2] += 1 if label else 0
        n += 1
        squared += (score - (1.0 if label else 0.0)) ** 2
    table, ece = [], 0.0
    for i, (k, total, hits) in enumerate(counts):
        mean = total / k if k else None
        observed = hits / k if k else None
        if k:
            ece += k / n * abs(mean - observed)
        table.append(
            ReliabilityBin(
                round(i / bins, 4),
                round((i + 1) / bins, 4),
                k,
                None if mean is None else round(mean, 4),
                None if observed is None else round(observed, 4),
            )
        )
    return Reliability(table, n, round(squared / n, 4) if n else None, round(ece, 4) if n else None)


@dataclass(frozen=True)
class Isotonic:
    """A monotone map: block centres xs (mean probability) and values ys (mean smoothed target)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    method: str = "isotonic"
    n: int = 0
    positives: int = 0

    def to_json(self) -> dict:
        return {
            "method": self.method,
            "xs": list(self.xs),
            "ys": list(self.ys),
            "n": self.n,
            "positives": self.positives,
        }

    def __call__(self, p: float) -> float:
        import bisect

        xs, ys = self.xs, self.ys
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, p)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


def fit_isotonic(pairs: Sequence[tuple[float, bool]]) -> Isotonic:
    """Pool adjacent violators over the pairs sorted by probability: each block's value is the mean of its
    smoothed targets, and no block is worth more than the next."""
    positives = sum(1 for _, y in pairs if y)
    negatives = len(pairs) - positives
    hi, lo = (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0)
    blocks: list[list[float]] = []  # [sum of x, sum of target, count]
    for p, y in sorted(pairs):
        blocks.append([p, hi if y else lo, 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            x, t, k = blocks.pop()
            blocks[-1][0] += x
            blocks[-1][1] += t
            blocks[-1][2] += k
    xs = tuple(round(b[0] / b[2], 6) for b in blocks)
    ys = tuple(round(b[1] / b[2], 6) for b in blocks)
    return Isotonic(xs, ys, n=len(pairs), positives=positives)


Calibrator = Platt | Isotonic


def fit_calibration(pairs: Sequence[tuple[float, bool]], *, min_isotonic: int = MIN_ISOTONIC) -> Calibrator:
    """The map for held-out (probability, applied?) pairs: isotonic, Platt or none (see the module doc)."""
    positives = sum(1 for _, y in pairs if y)
    negatives = len(pairs) - positives
    if positives >= min_isotonic and negatives >= min_isotonic:
        return fit_isotonic(pairs)
    return fit_platt(pairs)


def calibrator_from_json(data: dict) -> Calibrator:
    if data["method"] == "isotonic":
        return Isotonic(
            tuple(data["xs"]), tuple(data["ys"]), "isotonic", int(data["n"]), int(data["positives"])
        )
    return Platt(
        float(data["a"]), float(data["b"]), str(data["method"]), int(data["n"]), int(data["positives"])
    )
