"""A straightforward percentile bootstrap of Krippendorff's alpha, written independently of
wei_qual.reliability, to check its intervals against (Python's random module and the krippendorff
package; no shared code, no shared random draws)."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np


def alpha_draws(matrix, *, draws: int, seed: int, level: str = "nominal") -> tuple[list[float], int]:
    """Resample the units rated by two or more coders with replacement and recompute alpha each time.

    Returns (the defined alphas, how many draws had no variation and so no alpha). Labels are mapped
    to numbers in order of first appearance (the krippendorff package takes numbers).
    """
    codes: dict = {}
    rows = [
        [math.nan if v is None else codes.setdefault(v, len(codes)) if isinstance(v, str) else v for v in row]
        for row in matrix
    ]
    data = np.array(rows, dtype=float)
    units = [u for u in range(data.shape[1]) if (~np.isnan(data[:, u])).sum() >= 2]
    rng = random.Random(seed)
    alphas, undefined = [], 0
    for _ in range(draws):
        sample = data[:, [rng.choice(units) for _ in units]]
        if len(set(sample[~np.isnan(sample)].tolist())) < 2:
            undefined += 1
            continue
        alphas.append(float(krippendorff.alpha(reliability_data=sample, level_of_measurement=level)))
    return alphas, undefined


def band(alphas: list[float], low: float, high: float) -> tuple[float, float]:
    """The reference's percentiles (in %) `low` and `high`: where an interval bound may fall."""
    return tuple(float(x) for x in np.percentile(alphas, [low, high]))


def assert_percentile_interval(interval, alphas: list[float]) -> None:
    """A 95% percentile interval from about 2,000 draws lies where the reference puts its 2.5th and 97.5th
    percentiles, give or take Monte Carlo error: between the reference's 1st and 5th, 95th and 99th."""
    lo_band, hi_band = band(alphas, 1, 5), band(alphas, 95, 99)
    low, high = interval
    assert lo_band[0] - 1e-12 <= low <= lo_band[1] + 1e-12, (low, lo_band)
    assert hi_band[0] - 1e-12 <= high <= hi_band[1] + 1e-12, (high, hi_band)
