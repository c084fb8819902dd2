"""Inter-rater reliability coefficients over a reliability matrix: a public API of pure functions.

A reliability matrix is a sequence of coders, each a sequence of values aligned by unit (a list, numpy
array, pandas Series, or a DataFrame with one row per coder), with None, NaN, pandas.NA or pandas.NaT for
a missing value. Every coefficient returns a float, or nan when it is undefined (no variation, no unit
rated by two coders, ...): never a fake 1.0. Malformed input raises ReliabilityInputError.

Conventions (documented in docs/python-api.md):
- categories are the distinct values in the matrix (as irrCAC and krippendorff do), unless a function
  takes `categories=`; values are ordered numbers first, then strings;
- Fleiss' kappa, Gwet's AC1, Brennan-Prediger and percent agreement follow Gwet (2014) for missing
  ratings: agreement over units rated by at least two coders, category propensities over every unit
  rated at least once (identical to irrCAC's `CAC` with identity weights);
- Cohen's kappa uses the units both coders rated; linear/quadratic weights use the ranks of the
  categories seen on those units (as statsmodels and scikit-learn do), so a value only one coder gave,
  on a unit the other skipped, does not stretch the weights;
- the ratio level needs values >= 0; integer values must lie within +-2**53 to be compared exactly.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from .defaults import MAX_BOOTSTRAP
from .errors import AgreementError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
WEIGHTS = (None, "linear", "quadratic")
CI_METHODS = ("units", "kalpha")
DEFAULT_BOOTSTRAP = 1000
CI_LEVEL = 0.95
# Draws in which alpha is undefined (no variation drawn): warn above 5%, give no interval above 50%.
UNDEFINED_WARN = 0.05
UNDEFINED_MAX = 0.50
EXACT_INTEGER = 2**53  # beyond this, floats no longer hold every integer
# Resampling units that all hold the same values redraws the same data: every draw is alpha itself, an
# interval of zero width that would read as perfect precision.
SAME_UNITS = "every unit has the same values, so every bootstrap draw gives the same alpha: no interval"
# The pooled alpha's units may differ (one turn holds code A, another code B) and still add the same
# agreements and disagreements: it was said as SAME_UNITS, of units that did not hold the same values.
POOLED_SAME = (
    "every unit adds the same agreements and disagreements to the pooled alpha (on whichever codes), so "
    "every bootstrap draw gives the same alpha: no interval"
)

__all__ = [
    "CI_METHODS",
    "LEVELS",
    "POOLED_SAME",
    "SAME_UNITS",
    "UNDEFINED_MAX",
    "UNDEFINED_WARN",
    "WEIGHTS",
    "BootstrapInterval",
    "ReliabilityInputError",
    "ReliabilityWarning",
    "all_coefficients",
    "binary_alpha_interval",
    "bootstrap_alpha",
    "bootstrap_interval",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
]

Matrix = Sequence[Sequence[Any]]


class ReliabilityInputError(AgreementError, ValueError):
    """The reliability matrix or an argument of a coefficient is malformed."""


class ReliabilityWarning(UserWarning):
    """A coefficient was computed, but with a caveat (e.g. many undefined bootstrap draws)."""


# --------------------------------------------------------------------------- encoding


def _is_missing(value: Any) -> bool:
    """None, NaN (float or numpy), pandas.NA and pandas.NaT are missing; everything else is a value."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    pandas = sys.modules.get("pandas")  # pandas.NA is only possible when pandas is loaded
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def _as_rows(data: Any) -> Any:
    """A pandas DataFrame (one row per coder) or Series rows as plain sequences; anything else unchanged."""
    if hasattr(data, "to_numpy") and not isinstance(data, np.ndarray):
        data = data.to_numpy(dtype=object)
    if isinstance(data, np.ndarray) and data.dtype.kind not in "fiub":
        return [list(row) for row in data] if data.ndim == 2 else data
    return data


def _check_exact(magnitude: float) -> None:
    # Pass integers as ints, not float(int): float(2**53 + 1) rounds to 2**53 and would pass.
    if magnitude > EXACT_INTEGER:
        raise ReliabilityInputError(
            f"Integer values must lie within ±2**53 ({EXACT_INTEGER:,}) to be compared exactly; this matrix has one "
            "beyond. Subtract a baseline or recode the values as smaller numbers."
        )


def _sort_key(value: Any) -> tuple:
    # Numbers (bool included) sort numerically before strings, so mixed domains still have one order.
    if isinstance(value, (int, np.integer)):
        return (0, int(value), "")  # Python compares ints and floats exactly, however large
    if isinstance(value, (float, np.floating)):
        return (0, float(value), "")
    return (1, 0.0, str(value))


class _Encoded:
    """A matrix as category indices (coders x units, -1 = missing) plus the sorted categories."""

    __slots__ = ("_counts", "_pairable", "categories", "codes")

    def __init__(self, codes: np.ndarray, categories: list) -> None:
        self.codes = codes
        self.categories = categories
        self._counts: np.ndarray | None = None
        self._pairable: np.ndarray | None = None

    @property
    def pairable(self) -> np.ndarray:
        """Counts of the units with values from at least two coders: the only ones alpha uses."""
        if self._pairable is None:
            self._pairable = _pairable(self.counts)
        return self._pairable

    @property
    def n_coders(self) -> int:
        return self.codes.shape[0]

    @property
    def counts(self) -> np.ndarray:
        """units x categories: how many coders gave each value to each unit."""
        if self._counts is None:
            m, u = self.codes.shape
            v = max(len(self.categories), 1)
            valid = self.codes >= 0
            unit_index = np.broadcast_to(np.arange(u), (m, u))[valid]
            flat = np.bincount(unit_index * v + self.codes[valid], minlength=u * v)
            self._counts = flat.reshape(u, v).astype(float)
        return self._counts


def _encode(data: Matrix) -> _Encoded:
    """Validate a reliability matrix and encode it; raise ReliabilityInputError when malformed."""
    data = _as_rows(data)
    if isinstance(data, np.ndarray) and data.dtype.kind in "fiub":
        if data.dtype.kind in "iu" and data.size:
            _check_exact(max(int(data.max()), -int(data.min())))  # Python ints: exact, no overflow
        arr = np.asarray(data, dtype=float)
        if arr.ndim != 2 or arr.shape[0] == 0:
            raise ReliabilityInputError(
                f"A reliability matrix needs one row per coder, got an array of shape {arr.shape}."
            )
        mask = ~np.isnan(arr)
        values = arr[mask]
        codes = np.full(arr.shape, -1, dtype=np.int64)
        integer_like = values.size and np.all(values == np.round(values))
        if integer_like:
            _check_exact(float(np.abs(values).max()))
        if integer_like and values.max() - values.min() < 4096:
            # Small integer codes (presence 0/1, ratings): a lookup table instead of sorting.
            low = int(values.min())
            offsets = values.astype(np.int64) - low
            present = np.flatnonzero(np.bincount(offsets))
            lookup = np.full(int(offsets.max()) + 1, -1, dtype=np.int64)
            lookup[present] = np.arange(len(present))
            codes[mask] = lookup[offsets]
            return _Encoded(codes, [v + low for v in present.tolist()])
        categories, inverse = np.unique(values, return_inverse=True)
        codes[mask] = inverse
        return _Encoded(codes, categories.tolist())
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence | np.ndarray):
        raise ReliabilityInputError(
            "A reliability matrix is a list of coders, each a list of values by unit."
        )
    rows = []
    for row in data:
        if hasattr(row, "to_numpy") and not isinstance(row, np.ndarray):  # a pandas Series or array
            row = row.to_numpy(dtype=object)
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence | np.ndarray):
            raise ReliabilityInputError(
                "A reliability matrix is a list of coders, each a list of values by unit."
            )
        rows.append(list(row))
    if not rows:
        raise ReliabilityInputError("A reliability matrix needs at least one coder.")
    n_units = len(rows[0])
    if any(len(r) != n_units for r in rows):
        lengths = sorted({len(r) for r in rows})
        raise ReliabilityInputError(
            f"Every coder needs one value per unit (None when missing), got rows of lengths {lengths}."
        )
    try:
        categories = sorted({v for r in rows for v in r if not _is_missing(v)}, key=_sort_key)
        index: dict[Any, int] = {v: i for i, v in enumerate(categories)}
        codes = np.array(
            [[-1 if _is_missing(v) else index[v] for v in r] for r in rows], dtype=np.int64
        ).reshape(len(rows), n_units)
    except TypeError as ex:
        raise ReliabilityInputError(f"Reliability values must be hashable: {ex}.") from ex
    return _Encoded(codes, categories)


def _check_level(level: str, categories: list) -> np.ndarray:
    """The value domain as floats (category indices for nominal data)."""
    if level not in LEVELS:
        raise ReliabilityInputError(f'Unknown level "{level}". Use one of {", ".join(LEVELS)}.')
    if level == "nominal":
        return np.arange(len(categories), dtype=float)
    if not all(isinstance(c, (int, float, np.integer, np.floating)) for c in categories):
        raise ReliabilityInputError(
            f'The {level} level needs numeric values; use level="nominal" for labels.'
        )
    for c in categories:
        if isinstance(c, (int, np.integer)):
            _check_exact(abs(int(c)))
    domain = np.asarray(categories, dtype=float)
    if level == "ratio" and domain.size and domain.min() < 0:
        raise ReliabilityInputError(
            f"The ratio level needs values of 0 or more (a ratio scale has a true zero), got {domain.min():g}. "
            'Use level="interval" for values that can be negative.'
        )
    return domain


# --------------------------------------------------------------------------- Krippendorff's alpha


def _pairable(counts: np.ndarray) -> np.ndarray:
    """Units with values from at least two coders: the only ones alpha uses."""
    return counts[counts.sum(axis=1) >= 2]


def _alpha_defined(pairable: np.ndarray) -> bool:
    # alpha = 1 - Do/De needs De > 0: at least two distinct values among pairable values.
    return pairable.shape[0] > 0 and int((pairable.sum(axis=0) > 0).sum()) >= 2


def krippendorff_alpha(data: Matrix, level: str = "nominal") -> float:
    """Krippendorff's alpha at level nominal, ordinal, interval or ratio (via the krippendorff package).

    Returns nan when no unit has two values or the pairable values show no variation.
    """
    return _alpha(_encode(data), level)


def _alpha(enc: _Encoded, level: str) -> float:
    domain = _check_level(level, enc.categories)
    pairable = enc.pairable
    if not _alpha_defined(pairable):
        return math.nan
    import krippendorff

    try:
        value = krippendorff.alpha(value_counts=pairable, value_domain=domain, level_of_measurement=level)
    except ValueError as ex:  # translate third-party errors where they arise (STYLE §4)
        raise ReliabilityInputError(f"Krippendorff's alpha cannot be computed: {ex}") from ex
    return float(value)


def _unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Per-unit coincidence matrices (units x V x V) of pairable units: n_c n_k - [c=k] n_c over m_u - 1."""
    m = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    outer -= counts[:, :, None] * np.eye(counts.shape[1])[None]
    return outer / (m - 1)[:, None, None]


def _deltas(domain: np.ndarray, level: str, n_v: np.ndarray) -> np.ndarray:
    """Squared difference function delta^2_ck; for ordinal it depends on the margins n_v (..., V)."""
    if level == "nominal":
        return 1.0 - np.eye(len(domain))
    if level == "interval":
        return np.subtract.outer(domain, domain) ** 2
    if level == "ratio":
        diff, total = np.subtract.outer(domain, domain), np.add.outer(domain, domain)
        return np.divide(diff, total, out=np.zeros_like(diff), where=total != 0) ** 2
    idx = np.arange(len(domain))
    lo, hi = np.minimum.outer(idx, idx), np.maximum.outer(idx, idx)
    cum = np.concatenate([np.zeros(n_v.shape[:-1] + (1,)), np.cumsum(n_v, axis=-1)], axis=-1)
    between = cum[..., hi + 1] - cum[..., lo]
    return (between - (n_v[..., lo] + n_v[..., hi]) / 2) ** 2


def _alpha_from_coincidences(o: np.ndarray, domain: np.ndarray, level: str) -> np.ndarray:
    """alpha for one or many coincidence matrices (..., V, V); nan where De = 0."""
    n_v = o.sum(axis=-1)
    n = n_v.sum(axis=-1)
    delta = _deltas(domain, level, n_v)
    expected = n_v[..., :, None] * n_v[..., None, :] - n_v[..., :, None] * np.eye(len(domain))
    d_o = (o * delta).sum(axis=(-1, -2))
    with np.errstate(divide="ignore", invalid="ignore"):
        d_e = (expected * delta).sum(axis=(-1, -2)) / (n - 1)
        return np.where(d_e > 0, 1.0 - d_o / np.where(d_e > 0, d_e, 1.0), np.nan)


def binary_alpha_from_counts(applied: np.ndarray, decided: np.ndarray) -> float:
    """Nominal alpha of presence/absence values given, per unit, how many coders applied and decided.

    `applied` and `decided` broadcast together (e.g. units x codes and units x 1), so many binary
    variables can be pooled without building their reliability matrix. Equal to krippendorff_alpha
    on the pooled matrix (tested); nan when undefined.
    """
    applied = np.asarray(applied, dtype=float)
    decided = np.broadcast_to(np.asarray(decided, dtype=float), applied.shape)
    pairable = decided >= 2
    a, m = applied[pairable], decided[pairable]
    absent = m - a
    o11 = (a * (a - 1) / (m - 1)).sum()
    o00 = (absent * (absent - 1) / (m - 1)).sum()
    o01 = (a * absent / (m - 1)).sum()
    o = np.array([[o00, o01], [o01, o11]])
    return float(_alpha_from_coincidences(o, np.array([0.0, 1.0]), "nominal"))


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class BootstrapInterval:
    """A 95% bootstrap interval for alpha and how it was obtained.

    `undefined` counts the draws in which alpha is undefined (no variation drawn); they are left out of
    the percentiles. Above UNDEFINED_MAX of the draws there is no interval (low = high = nan) and
    `reason` says why; above UNDEFINED_WARN `reason` carries a warning. When every resampled unit holds
    the same values there is no interval either (reason SAME_UNITS).
    """

    low: float
    high: float
    draws: int
    undefined: int
    method: str
    reason: str | None = None

    @property
    def undefined_share(self) -> float:
        return self.undefined / self.draws if self.draws else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return (self.low, self.high)


_NO_INTERVAL = (math.nan, math.nan)


def _undefined_reason(undefined: int, draws: int) -> str | None:
    share = undefined / draws if draws else 0.0
    if share > UNDEFINED_MAX:
        return (
            f"no interval: alpha is undefined in {undefined} of {draws} bootstrap draws ({share:.1%}), "
            f"more than {UNDEFINED_MAX:.0%}"
        )
    if share > UNDEFINED_WARN:
        return (
            f"alpha is undefined in {undefined} of {draws} bootstrap draws ({share:.1%}); the interval "
            "uses the others and may be too narrow"
        )
    return None


def _percentile_interval(draws: np.ndarray, method: str) -> BootstrapInterval:
    # Draws in which alpha is undefined (no variation drawn) are left out, like kripp.boot's na.rm, but
    # counted: dropping many of them makes the interval misleadingly narrow.
    n = int(draws.size)
    defined = draws[np.isfinite(draws)]
    undefined = n - int(defined.size)
    reason = _undefined_reason(undefined, n)
    if defined.size == 0 or undefined > UNDEFINED_MAX * n:
        return BootstrapInterval(*_NO_INTERVAL, n, undefined, method, reason)
    tail = (1 - CI_LEVEL) / 2 * 100
    low, high = percentiles(defined, [tail, 100 - tail])
    return BootstrapInterval(float(low), float(high), n, undefined, method, reason)


def percentiles(values: np.ndarray, q: list[float]) -> np.ndarray:
    """np.percentile(values, q) of finite values with numpy's default (linear) method, step for step the
    same arithmetic (tested bit for bit): np.percentile costs about ten times more per call, and its first
    call imports numpy.ma, a noticeable part of a fresh `wei-qual agree`."""
    n = values.size
    virtual = (n - 1) * np.true_divide(np.asarray(q, dtype=float), 100)
    previous = np.floor(virtual)
    below = previous.astype(np.intp)
    above = below + 1
    last = virtual >= n - 1
    below[last] = above[last] = -1
    ordered = np.partition(values, sorted({i % n for i in (0, -1, *below.tolist(), *above.tolist())}))
    a, b = ordered[below], ordered[above]
    gamma = virtual - previous
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def _kalpha_interval(draws: np.ndarray) -> BootstrapInterval:
    """The KALPHA macro's order statistics: the trunc(.025 B)-th and (trunc(.975 B) + 1)-th smallest draws.

    Its draws are always defined (the expected disagreement is held at its observed value)."""
    ordered = np.sort(draws)
    b = len(ordered)
    low = ordered[min(max(int(0.025 * b) - 1, 0), b - 1)]
    high = ordered[min(int(0.975 * b), b - 1)]
    return BootstrapInterval(float(low), float(high), b, 0, "kalpha")


def _profiles(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a units x values count matrix and how often each occurs.

    Rows are packed into one integer key (base = max count + 1), which is far faster than
    np.unique(axis=0); falls back to it when the key would overflow.
    """
    base = int(counts.max()) + 1 if counts.size else 1
    if counts.shape[1] * math.log2(max(base, 2)) < 62:
        weights = base ** np.arange(counts.shape[1], dtype=np.int64)
        keys = counts.astype(np.int64) @ weights
        if keys.size and int(keys.max()) < 1 << 20 and int(keys.min()) >= 0:
            # Few small keys (a handful of coders): count them instead of sorting. The distinct keys
            # come out in the same ascending order, and each key is its own profile, digit by digit.
            every = np.bincount(keys)
            present = np.flatnonzero(every)
            return ((present[:, None] // weights) % base).astype(counts.dtype), every[present]
        _, first, freq = np.unique(keys, return_index=True, return_counts=True)
        return counts[first], freq
    return np.unique(counts, axis=0, return_counts=True)


def _bootstrap_units(pairable: np.ndarray, domain: np.ndarray, level: str, n: int, rng) -> np.ndarray:
    # Resampling U units with replacement only matters through how often each distinct unit profile
    # is drawn: a multinomial over the profiles. So each draw is a weighted sum of precomputed per-unit
    # coincidence matrices: (draws x profiles) @ (profiles x V^2), exact and fast.
    profiles, freq = _profiles(pairable)
    per_profile = _unit_coincidences(profiles)
    u, v = pairable.shape[0], len(domain)
    weights = rng.multinomial(u, freq / u, size=n)
    o = (weights @ per_profile.reshape(len(profiles), v * v)).reshape(n, v, v)
    return _alpha_from_coincidences(o, domain, level)


def _bootstrap_kalpha(
    pairable: np.ndarray, domain: np.ndarray, level: str, n: int, n_coders: int, rng
) -> np.ndarray:
    """Hayes & Krippendorff (2007), as in the KALPHA macro (v3.0): resample pairs of values.

    Pairs are drawn from the observed coincidences with De held at its observed value; the number of
    pairs per draw is min(25 x non-zero coincidence cells, (coders - 1) x n / 2), as in the macro.
    """
    o = _unit_coincidences(pairable).sum(axis=0)
    n_v = o.sum(axis=1)
    total = n_v.sum()
    delta = _deltas(domain, level, n_v)
    expected = (np.outer(n_v, n_v) - np.diag(n_v)) / (total - 1)
    d_e = (expected * delta).sum() / total
    upper = np.triu_indices(len(domain))
    # Probability of drawing a pair from cell (c, k), c <= k: off-diagonal cells count twice.
    p = np.where(upper[0] == upper[1], 1.0, 2.0) * o[upper] / total
    p = np.clip(p, 0, None)
    p /= p.sum()
    n_pairs = int(min(25 * np.count_nonzero(o > 1e-12), (n_coders - 1) * total / 2))
    n_pairs = max(n_pairs, 1)
    sums = rng.multinomial(n_pairs, p, size=n) @ delta[upper]
    alphas = np.maximum(1.0 - sums / (d_e * n_pairs), -1.0)
    diagonal = np.diag(o)
    nonzero_diagonal = int(np.count_nonzero(diagonal > 1e-12))
    perfect = alphas == 1.0
    if nonzero_diagonal == 1:
        alphas[perfect] = 0.0
    elif nonzero_diagonal > 1:
        # The macro's correction: as many perfect draws as chance alone would produce,
        # rnd(B x sum_c (o_cc / n) ^ pairs in the data), are set to 0 (all of them when fewer are
        # perfect); the remaining perfect draws stay at 1.
        pairs_in_data = float((pairable.sum(axis=1) * (pairable.sum(axis=1) - 1) / 2).sum())
        # SPSS's RND rounds halves up (Python's round() would round them to even).
        expected_perfect = math.floor(n * float(((diagonal / total) ** pairs_in_data).sum()) + 0.5)
        if expected_perfect > 0:
            to_zero = np.flatnonzero(perfect)[: min(expected_perfect, int(perfect.sum()))]
            alphas[to_zero] = 0.0
    return alphas


def _check_draws(n: Any, method: str) -> None:
    if method not in CI_METHODS:
        raise ReliabilityInputError(
            f'Unknown bootstrap method "{method}". Use one of {", ".join(CI_METHODS)}.'
        )
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ReliabilityInputError(f"The number of bootstrap draws must be a positive integer, got {n!r}.")
    if n > MAX_BOOTSTRAP:
        raise ReliabilityInputError(
            f"The number of bootstrap draws may be at most {MAX_BOOTSTRAP:,}, got {n:,}."
        )


def _bootstrap(
    enc: _Encoded, level: str, n: int, seed: int | None, method: str, defined: bool | None = None
) -> BootstrapInterval:
    """`defined`: _alpha_defined(enc.pairable), when the caller knows it."""
    domain = _check_level(level, enc.categories)
    _check_draws(n, method)
    pairable = enc.pairable
    if not (_alpha_defined(pairable) if defined is None else defined):
        return BootstrapInterval(*_NO_INTERVAL, 0, 0, method, "alpha is undefined, so it has no interval")
    if method == "units" and (pairable == pairable[0]).all():
        return BootstrapInterval(*_NO_INTERVAL, int(n), 0, method, SAME_UNITS)
    rng = np.random.default_rng(seed)
    if method == "units":
        return _percentile_interval(_bootstrap_units(pairable, domain, level, int(n), rng), method)
    return _kalpha_interval(_bootstrap_kalpha(pairable, domain, level, int(n), enc.n_coders, rng))


def bootstrap_interval(
    data: Matrix,
    level: str = "nominal",
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> BootstrapInterval:
    """The 95% bootstrap interval of bootstrap_alpha with its draws, undefined draws and any caveat."""
    return _bootstrap(_encode(data), level, n, seed, method)


def bootstrap_alpha(
    data: Matrix,
    level: str = "nominal",
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> tuple[float, float]:
    """95% percentile bootstrap interval (low, high) for Krippendorff's alpha; (nan, nan) when undefined.

    method="units" resamples the pairable units (those with values from two or more coders) with
    replacement, seeded numpy default_rng(seed), and takes the 2.5th and 97.5th percentiles of the
    defined draws. Draws in which alpha is undefined are counted: above 5% of them a ReliabilityWarning
    is issued, above 50% there is no interval (nan, nan). bootstrap_interval() gives the counts.
    method="kalpha" resamples pairs of values as Hayes & Krippendorff (2007) and the KALPHA macro do,
    with the macro's order statistics for the interval.
    """
    result = bootstrap_interval(data, level, n, seed, method)
    if result.draws and result.reason:  # many undefined draws, or every unit the same (SAME_UNITS)
        warnings.warn(result.reason, ReliabilityWarning, stacklevel=2)
    return result.interval


def presence_interval(
    applied: np.ndarray,
    decided: np.ndarray,
    *,
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
    n_coders: int | None = None,
) -> BootstrapInterval:
    """The bootstrap interval of one code's presence/absence alpha from per-unit counts: how many coders
    applied it (`applied`) and decided the unit (`decided`). The same draws, so the same interval, as
    bootstrap_interval on the coders x units 0/1 matrix with the same seed (both see only these counts);
    `n_coders` (default: the most that decided a unit) matters only to method="kalpha"."""
    applied = np.asarray(applied, dtype=float).reshape(-1, 1)
    return presence_intervals(applied, decided, n=n, seed=seed, method=method, n_coders=n_coders)[0]


def presence_intervals(
    applied: np.ndarray,
    decided: np.ndarray,
    *,
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
    n_coders: int | None = None,
) -> list[BootstrapInterval]:
    """presence_interval of every column of `applied` (units x variables) with the same `decided`, the
    same interval for each (tested); the work common to the variables is done once."""
    applied = np.asarray(applied, dtype=float)
    decided = np.asarray(decided, dtype=float).ravel()
    coders = n_coders if n_coders is not None else (int(decided.max()) if decided.size else 0)
    pairable = decided >= 2
    absent = decided[:, None] - applied
    # _alpha_defined of each variable: pairable units show both values.
    defined = pairable.any() & (absent[pairable] > 0).any(axis=0) & (applied[pairable] > 0).any(axis=0)
    out = []
    for j in range(applied.shape[1]):
        enc = _Encoded(np.empty((coders, 0)), [0.0, 1.0])
        enc._counts = np.stack([absent[:, j], applied[:, j]], axis=1)  # units x (absent, present), C order
        enc._pairable = enc._counts[pairable]
        out.append(_bootstrap(enc, "nominal", n, seed, method, bool(defined[j])))
    return out


def binary_alpha_interval(
    applied: np.ndarray,
    decided: np.ndarray,
    *,
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> BootstrapInterval:
    """Bootstrap interval of binary_alpha_from_counts (alpha pooled over many presence variables).

    `applied` is units x variables (how many coders applied each), `decided` units (x 1): how many
    coders decided each unit. method="units" resamples the units (all their variables together, since
    a segment's codes are not independent of each other); method="kalpha" resamples pairs of values of
    the pooled (unit, variable) matrix as the KALPHA macro does.
    """
    _check_draws(n, method)
    applied = np.asarray(applied, dtype=float)
    if applied.ndim == 1:
        applied = applied[:, None]
    decided = np.broadcast_to(np.asarray(decided, dtype=float).reshape(len(applied), -1), applied.shape)
    keep = decided[:, 0] >= 2
    applied, decided = applied[keep], decided[keep]
    domain = np.array([0.0, 1.0])
    absent = decided - applied
    counts = np.stack([absent.ravel(), applied.ravel()], axis=1)  # (unit, variable) x (absent, applied)
    if not _alpha_defined(counts):
        return BootstrapInterval(*_NO_INTERVAL, 0, 0, method, "alpha is undefined, so it has no interval")
    rng = np.random.default_rng(seed)
    if method == "kalpha":
        n_coders = int(decided.max()) if decided.size else 2
        return _kalpha_interval(_bootstrap_kalpha(counts, domain, "nominal", int(n), n_coders, rng))
    # Each unit's contribution to the pooled coincidences (o00, o01, o11), summed over its variables.
    m1 = decided - 1
    per_unit = np.stack(
        [
            (absent * (absent - 1) / m1).sum(axis=1),
            (applied * absent / m1).sum(axis=1),
            (applied * (applied - 1) / m1).sum(axis=1),
        ],
        axis=1,
    )
    profiles, freq = np.unique(per_unit, axis=0, return_counts=True)
    if len(profiles) == 1:
        return BootstrapInterval(*_NO_INTERVAL, int(n), 0, method, POOLED_SAME)
    u = per_unit.shape[0]
    sums = rng.multinomial(u, freq / u, size=int(n)) @ profiles  # draws x (o00, o01, o11)
    o = np.empty((int(n), 2, 2))
    o[:, 0, 0], o[:, 0, 1], o[:, 1, 0], o[:, 1, 1] = sums[:, 0], sums[:, 1], sums[:, 1], sums[:, 2]
    return _percentile_interval(_alpha_from_coincidences(o, domain, "nominal"), method)


def pooled_binary_alpha(
    applied: np.ndarray,
    decided: np.ndarray,
    *,
    n: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> tuple[float, BootstrapInterval | None]:
    """(binary_alpha_from_counts(applied, decided[:, None]), binary_alpha_interval(applied, decided, ...))
    computed together, value for value (tested): `applied` is units x variables, `decided` how many
    coders decided each unit. The per-(unit, variable) coincidence terms are worked out once for both;
    n=0 gives no interval (None)."""
    applied = np.asarray(applied, dtype=float)
    if applied.ndim == 1:
        applied = applied[:, None]
    decided = np.asarray(decided, dtype=float).reshape(len(applied))
    keep = decided >= 2
    a = applied if keep.all() else applied[keep]  # no copy in the usual case: every unit is pairable
    m = np.broadcast_to(decided[keep][:, None], a.shape)
    absent = m - a
    m1 = np.broadcast_to(decided[keep][:, None] - 1, a.shape)
    # o00, o01, o11 per cell, summed over all cells and over each unit's: one term at a time, each worked
    # out in one array, so that a study at 10x holds one units x codes array of them, not three, nor
    # the steps of one.

    def pairs_within(x):  # x * (x - 1) as (x - 1) * x: the same products
        cells = x - 1
        cells *= x
        return cells

    def over_m1(cells):
        cells /= m1
        return cells

    sums, per_term = [], []
    for term in (
        lambda: over_m1(pairs_within(absent)),
        lambda: over_m1(a * absent),
        lambda: over_m1(pairs_within(a)),
    ):
        cells = term()
        sums.append(cells.ravel().sum())
        if n:  # each unit's, for the draws
            per_term.append(cells.sum(axis=1))
    o00, o01, o11 = sums
    o = np.array([[o00, o01], [o01, o11]])
    alpha = float(_alpha_from_coincidences(o, np.array([0.0, 1.0]), "nominal"))
    if not n:
        return alpha, None
    _check_draws(n, method)
    if not (a.size and (absent > 0).any() and (a > 0).any()):  # _alpha_defined on the pooled counts
        return alpha, BootstrapInterval(
            *_NO_INTERVAL, 0, 0, method, "alpha is undefined, so it has no interval"
        )
    rng = np.random.default_rng(seed)
    domain = np.array([0.0, 1.0])
    if method == "kalpha":
        counts = np.stack([absent.ravel(), a.ravel()], axis=1)
        n_coders = int(m.max()) if m.size else 2
        return alpha, _kalpha_interval(_bootstrap_kalpha(counts, domain, "nominal", int(n), n_coders, rng))
    per_unit = np.stack(per_term, axis=1)
    profiles, freq = _unique_rows(per_unit)
    if len(profiles) == 1:
        return alpha, BootstrapInterval(*_NO_INTERVAL, int(n), 0, method, POOLED_SAME)
    u = per_unit.shape[0]
    sums = rng.multinomial(u, freq / u, size=int(n)) @ profiles  # draws x (o00, o01, o11)
    draws = np.empty((int(n), 2, 2))
    draws[:, 0, 0], draws[:, 0, 1], draws[:, 1, 0], draws[:, 1, 1] = (
        sums[:, 0],
        sums[:, 1],
        sums[:, 1],
        sums[:, 2],
    )
    return alpha, _percentile_interval(_alpha_from_coincidences(draws, domain, "nominal"), method)


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(rows, axis=0, return_counts=True) of a float matrix, in the same (lexicographic) order,
    by ranking each column and sorting one integer key: several times faster on a study's units."""
    key = np.zeros(len(rows), dtype=np.int64)
    span = 1
    for column in rows.T:
        values, rank = np.unique(column, return_inverse=True)
        span *= len(values)
        if span >= 1 << 62:
            return np.unique(rows, axis=0, return_counts=True)
        key = key * len(values) + rank
    _, first, freq = np.unique(key, return_index=True, return_counts=True)
    return rows[first], freq


# --------------------------------------------------------------------------- kappa family


def _agreement_parts(counts: np.ndarray) -> tuple[float, np.ndarray]:
    """(observed agreement pa, category propensities pi_k) as Gwet (2014) defines them with missing data."""
    r = counts.sum(axis=1)
    two = r >= 2
    if not two.any():
        return math.nan, np.zeros(counts.shape[1])
    pa = float(((counts[two] * (counts[two] - 1)).sum(axis=1) / (r[two] * (r[two] - 1))).mean())
    rated = r >= 1
    pi = (counts[rated] / r[rated][:, None]).mean(axis=0)
    return pa, pi


def _chance_corrected(pa: float, pe: float) -> float:
    if math.isnan(pa) or not (1.0 - pe) > 1e-12:
        return math.nan
    return float((pa - pe) / (1.0 - pe))


def percent_agreement(data: Matrix) -> float:
    """Share of agreeing coder pairs per unit, averaged over units rated by at least two coders."""
    return _agreement_parts(_encode(data).counts)[0]


def fleiss_kappa(data: Matrix) -> float:
    """Fleiss' kappa in Gwet's generalisation, which handles missing ratings; nan when undefined."""
    enc = _encode(data)
    pa, pi = _agreement_parts(enc.counts)
    if len(enc.categories) < 2:
        return math.nan
    return _chance_corrected(pa, float((pi**2).sum()))


def _n_categories(enc: _Encoded, categories: Sequence | None) -> int:
    if categories is None:
        return len(enc.categories)
    given = set(categories)
    missing = [c for c in enc.categories if c not in given]
    if missing:
        raise ReliabilityInputError(f"Values {missing!r} are not among the categories given.")
    return len(given)


def gwet_ac1(data: Matrix, *, categories: Sequence | None = None) -> float:
    """Gwet's AC1; `categories` fixes the category set (default: the values observed). nan when undefined."""
    enc = _encode(data)
    q = _n_categories(enc, categories)
    pa, pi = _agreement_parts(enc.counts)
    if q < 2:
        return math.nan
    return _chance_corrected(pa, float((pi * (1 - pi)).sum() / (q - 1)))


def brennan_prediger(data: Matrix, *, categories: Sequence | None = None) -> float:
    """Brennan and Prediger's coefficient (chance agreement 1/q); nan when undefined."""
    enc = _encode(data)
    q = _n_categories(enc, categories)
    pa, _ = _agreement_parts(enc.counts)
    if q < 2:
        return math.nan
    return _chance_corrected(pa, 1.0 / q)


def _cohen(codes: np.ndarray, n_categories: int, weights: str | None) -> float:
    both = (codes[0] >= 0) & (codes[1] >= 0)
    if not both.any():
        return math.nan
    # Categories seen on the units both coders rated, re-ranked 0..k-1: a value one coder gave on a unit
    # the other skipped must not stretch the linear/quadratic weights (statsmodels and scikit-learn
    # build their table from the paired values only).
    seen = np.zeros(n_categories, dtype=bool)
    seen[codes[0][both]] = True
    seen[codes[1][both]] = True
    k = int(seen.sum())
    if k < 2:
        return math.nan
    rank = np.cumsum(seen) - 1
    flat = rank[codes[0][both]] * k + rank[codes[1][both]]
    return _cohen_table(np.bincount(flat, minlength=k * k).reshape(k, k), weights)


def _cohen_table(table: np.ndarray, weights: str | None) -> float:
    """Cohen's kappa from the k x k table (k >= 2) of the categories both coders used on their shared units."""
    k = table.shape[0]
    p = table / table.sum()
    idx = np.arange(k)
    distance = np.abs(np.subtract.outer(idx, idx)).astype(float)
    disagreement = {None: (distance > 0).astype(float), "linear": distance, "quadratic": distance**2}[weights]
    observed = (disagreement * p).sum()
    expected = (disagreement * np.outer(p.sum(axis=1), p.sum(axis=0))).sum()
    if not expected > 1e-12:
        return math.nan
    return float(1.0 - observed / expected)


def cohen_kappa(data: Matrix, weights: str | None = None) -> float:
    """Cohen's kappa for exactly two coders over the units both rated; weights None, "linear" or "quadratic"."""
    if weights not in WEIGHTS:
        raise ReliabilityInputError(f'Unknown weights "{weights}". Use None, "linear" or "quadratic".')
    enc = _encode(data)
    if enc.n_coders != 2:
        raise ReliabilityInputError(f"Cohen's kappa needs exactly two coders, got {enc.n_coders}.")
    return _cohen(enc.codes, len(enc.categories), weights)


def _mean_pairwise_cohen(enc: _Encoded) -> float:
    values = [
        _cohen(enc.codes[[a, b]], len(enc.categories), None) for a, b in combinations(range(enc.n_coders), 2)
    ]
    defined = [v for v in values if not math.isnan(v)]
    return float(np.mean(defined)) if defined else math.nan


# --------------------------------------------------------------------------- everything at once


def all_coefficients(
    data: Matrix,
    *,
    level: str = "nominal",
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
    categories: Sequence | None = None,
) -> dict[str, Any]:
    """Every coefficient for one matrix, encoding it once (what `wei-qual agree` reports per code).

    cohen_kappa is the mean over coder pairs when there are more than two coders (pairs where it is
    undefined are left out). bootstrap=0 gives alpha_ci (nan, nan). alpha_ci_undefined counts the
    bootstrap draws in which alpha was undefined; alpha_ci_reason says when they are many (> 5%; above
    50% alpha_ci is (nan, nan)).
    """
    return _coefficients(
        _encode(data), level=level, bootstrap=bootstrap, seed=seed, method=method, categories=categories
    )


def coded_coefficients(
    codes: np.ndarray,
    categories: list,
    *,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> dict[str, Any]:
    """all_coefficients (nominal) of a matrix already encoded: `codes` is coders x units of indices into
    `categories` (sorted as all_coefficients sorts values; every one occurs), -1 where missing. The
    same values as all_coefficients on the decoded matrix, without looking at every cell in Python."""
    return _coefficients(
        _Encoded(np.asarray(codes, dtype=np.int64), list(categories)),
        level="nominal",
        bootstrap=bootstrap,
        seed=seed,
        method=method,
    )


def _coefficients(
    enc: _Encoded,
    *,
    level: str,
    bootstrap: int,
    seed: int | None,
    method: str,
    categories: Sequence | None = None,
    parts: tuple[float, np.ndarray] | None = None,
    alpha: float | None = None,
    cohen: float | None = None,
    defined: bool | None = None,
) -> dict[str, Any]:
    """all_coefficients of an encoded matrix; `parts`, `alpha`, `cohen` and `defined` (whether alpha is
    defined on the pairable units) when the caller has them."""
    _check_level(level, enc.categories)
    pa, pi = _agreement_parts(enc.counts) if parts is None else parts
    q = len(enc.categories) if categories is None else _n_categories(enc, categories)
    pairable = enc.pairable
    alpha = _alpha(enc, level) if alpha is None else alpha
    ci = _bootstrap(enc, level, bootstrap, seed, method, defined) if bootstrap else None
    if cohen is None:
        cohen = _mean_pairwise_cohen(enc) if enc.n_coders >= 2 else math.nan
    return {
        "n_units": int(pairable.shape[0]),
        "percent_agreement": pa,
        "alpha": alpha,
        "alpha_ci": ci.interval if ci else _NO_INTERVAL,
        "alpha_ci_undefined": ci.undefined if ci else 0,
        "alpha_ci_reason": ci.reason if ci and ci.draws else None,
        "cohen_kappa": cohen,
        "fleiss_kappa": _chance_corrected(pa, float((pi**2).sum())) if len(enc.categories) >= 2 else math.nan,
        "gwet_ac1": _chance_corrected(pa, float((pi * (1 - pi)).sum() / (q - 1))) if q >= 2 else math.nan,
        "brennan_prediger": _chance_corrected(pa, 1.0 / q) if q >= 2 else math.nan,
    }


def presence_coefficients(
    present: np.ndarray,
    decided: np.ndarray,
    *,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    method: str = "units",
) -> list[dict[str, Any]]:
    """all_coefficients of many presence/absence variables rated on the same units, all at once.

    `decided` is coders x units (True where the coder rated the unit), `present` coders x units x
    variables (True where the coder applied the variable; ignored where the unit was not rated). Entry j
    equals all_coefficients(np.where(decided, present[:, :, j], np.nan), ...) value for value (tested):
    the per-unit counts of every variable are built in one pass and the sums over units are the same
    numpy reductions, in the same order, as one variable at a time.
    """
    decided = np.asarray(decided, dtype=bool)
    present = np.asarray(present, dtype=bool) & decided[:, :, None]
    n_coders, n_units = decided.shape
    n_vars = present.shape[2]
    if n_units == 0 or n_coders == 0:
        return [
            all_coefficients(
                np.where(decided, present[:, :, j], np.nan), bootstrap=bootstrap, seed=seed, method=method
            )
            for j in range(n_vars)
        ]
    raters = decided.sum(axis=0)
    r = raters.astype(float)
    two, rated = r >= 2, r >= 1
    r2 = r[two]
    cohens = _pairwise_presence_tables(present, decided)
    results = []
    for j0 in range(0, n_vars, _BLOCK):
        j1 = min(j0 + _BLOCK, n_vars)
        # counts[u, j] = (coders who left variable j off unit u, coders who applied it), floats as in _Encoded.
        applied = present[:, :, j0:j1].sum(axis=0)
        counts = np.empty((n_units, j1 - j0, 2))
        counts[:, :, 0] = raters[:, None] - applied
        counts[:, :, 1] = applied
        has = (counts > 0).any(axis=0)  # variable x (value 0 seen, value 1 seen)
        paired = counts[two]  # the pairable units, the same for every variable
        both_values = (paired > 0).any(axis=0).all(axis=1)  # _alpha_defined of each variable's pairable
        pa_block = coincidences = None
        if paired.shape[0]:
            # Percent agreement per pairable unit, then its mean: one row per variable, reduced like 1-D.
            agreeing = paired * (paired - 1)
            per_unit = np.ascontiguousarray((agreeing[:, :, 0] + agreeing[:, :, 1]).T) / (r2 * (r2 - 1))
            pa_block = per_unit.mean(axis=1)
            # Krippendorff's coincidences unit by unit, as the krippendorff package computes them
            # (c_i c_k - [i = k] c_k over m_u - 1), summed over units in the same order.
            c0, c1, pairs = paired[:, :, 0], paired[:, :, 1], (np.maximum(r2, 2) - 1)[:, None]
            coincidences = np.stack(
                [
                    ((c0 * c0 - c0) / pairs).sum(axis=0),
                    (c0 * c1 / pairs).sum(axis=0),
                    ((c1 * c1 - c1) / pairs).sum(axis=0),
                ],
                axis=1,
            )
        pi_block = (counts[rated] / r[rated][:, None, None]).mean(axis=0) if rated.any() else None
        for b, j in enumerate(range(j0, j1)):
            values = [v for v in (0, 1) if has[b, v]]
            if not values:  # nothing rated: the general path says what is undefined
                results.append(
                    all_coefficients(
                        np.where(decided, present[:, :, j], np.nan),
                        bootstrap=bootstrap,
                        seed=seed,
                        method=method,
                    )
                )
                continue
            enc = _Encoded(np.empty((n_coders, 0), dtype=np.int64), values)
            # C order, as _encode makes them: numpy's sums over units depend on the memory layout.
            enc._counts = np.ascontiguousarray(counts[:, b, values])
            enc._pairable = np.ascontiguousarray(paired[:, b, values])
            parts = (
                (float(pa_block[b]), pi_block[b, values])
                if pa_block is not None
                else (math.nan, np.zeros(len(values)))
            )
            defined = len(values) == 2 and bool(both_values[b])
            alpha = math.nan
            if defined:
                o00, o01, o11 = coincidences[b]
                alpha = _nominal_alpha(np.array([[o00, o01], [o01, o11]]))
            cohen = math.nan
            if n_coders >= 2:
                kappas = [_presence_cohen(table[j]) for table in cohens]
                # Not `defined`: that says whether alpha is, and decides whether it gets an interval.
                kappas = [v for v in kappas if not math.isnan(v)]
                cohen = float(np.mean(kappas)) if kappas else math.nan
            results.append(
                _coefficients(
                    enc,
                    level="nominal",
                    bootstrap=bootstrap,
                    seed=seed,
                    method=method,
                    parts=parts,
                    alpha=alpha,
                    cohen=cohen,
                    defined=defined,
                )
            )
    return results


_BLOCK = 8  # variables whose per-unit counts are held at once (memory stays small at 10x a study)


def _nominal_alpha(o: np.ndarray) -> float:
    """Nominal alpha from a 2 x 2 coincidence matrix, with the krippendorff package's arithmetic."""
    n_v = o.sum(axis=0)
    e = np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum() - 1)
    d = (np.arange(2)[:, None] != np.arange(2)[None, :]).astype(float)
    return float(1 - (o * d).sum() / (e * d).sum())


def _pairwise_presence_tables(present: np.ndarray, decided: np.ndarray) -> list[np.ndarray]:
    """For each pair of coders (in combinations order), variables x 2 x 2 tables of their values on the
    units both rated: [a's value][b's value], 0 = absent, 1 = present."""
    tables = []
    for a, b in combinations(range(decided.shape[0]), 2):
        both = decided[a] & decided[b]
        pa, pb = present[a][both], present[b][both]
        n11 = np.count_nonzero(pa & pb, axis=0)
        n10 = np.count_nonzero(pa, axis=0) - n11
        n01 = np.count_nonzero(pb, axis=0) - n11
        n00 = int(both.sum()) - n11 - n10 - n01
        tables.append(np.stack([n00, n01, n10, n11], axis=1).reshape(-1, 2, 2))
    return tables


def _presence_cohen(table: np.ndarray) -> float:
    """_cohen of one variable from its 2 x 2 table, with the same arithmetic."""
    if not table.any():
        return math.nan  # no unit rated by both
    seen = [bool(table[0].any() or table[:, 0].any()), bool(table[1].any() or table[:, 1].any())]
    if not all(seen):
        return math.nan  # one value only: k < 2
    return _cohen_table(table, None)
