"""Reference agreement coefficients, written for the tests from the published formulas.

An independent second implementation to check wei_qual.reliability against: plain Python, one subject
at a time, exact fractions, no numpy, nothing shared with the package's vectorised code. The formulas
are those of Gwet, K. L. (2014), Handbook of Inter-Rater Reliability, 4th ed., Advanced Analytics
(chapter 2 and the raw-ratings formulas with missing ratings; the same as in Gwet's R package irrCAC):

- subjects are the units rated by at least one rater; r_ik is how many raters put subject i in
  category k, r_i how many rated it; the categories are the values observed;
- percent agreement pa is the mean, over the subjects rated at least twice, of
  sum_k r_ik (r_ik - 1) / (r_i (r_i - 1));
- pi_k is the mean, over all subjects, of r_ik / r_i;
- chance agreement pe: Fleiss' kappa sum_k pi_k^2; Gwet's AC1 sum_k pi_k (1 - pi_k) / (q - 1) for q
  categories; Brennan-Prediger 1 / q; each coefficient is (pa - pe) / (1 - pe), undefined when pe = 1;
- Cohen's kappa for two raters (Cohen 1960) over the subjects both rated: pa the share of equal
  ratings, pe = sum_k p1_k p2_k of the two raters' marginal shares.

The published values these must reproduce are in tests/test_reliability.py (irrCAC's README for
Gwet's cac.raw4raters, distrib.6raters and cont3x3abstractors datasets).
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

Matrix = list[list]  # coders x units, None for a missing value


def _subjects(data: Matrix) -> list[Counter]:
    """Per unit rated by at least one coder: how many coders chose each value."""
    units = len(data[0]) if data else 0
    subjects = []
    for u in range(units):
        values = [row[u] for row in data if not _missing(row[u])]
        if values:
            subjects.append(Counter(values))
    return subjects


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent_agreement(data: Matrix) -> float:
    pa = _pa(_subjects(data))
    return math.nan if pa is None else float(pa)


def _pa(subjects: list[Counter]) -> Fraction | None:
    twice = [s for s in subjects if sum(s.values()) >= 2]
    if not twice:
        return None
    total = Fraction(0)
    for s in twice:
        r = sum(s.values())
        total += Fraction(sum(k * (k - 1) for k in s.values()), r * (r - 1))
    return total / len(twice)


def _pi(subjects: list[Counter]) -> dict:
    categories = sorted({value for s in subjects for value in s}, key=repr)
    pi = {}
    for c in categories:
        pi[c] = sum((Fraction(s[c], sum(s.values())) for s in subjects), Fraction(0)) / len(subjects)
    return pi


def _coefficient(pa: Fraction | None, pe: Fraction) -> float:
    if pa is None or pe == 1:
        return math.nan
    return float((pa - pe) / (1 - pe))


def gwet_ac1(data: Matrix) -> float:
    subjects = _subjects(data)
    if not subjects:
        return math.nan
    pi = _pi(subjects)
    q = len(pi)
    if q < 2:
        return math.nan
    pe = sum((p * (1 - p) for p in pi.values()), Fraction(0)) / (q - 1)
    return _coefficient(_pa(subjects), pe)


def fleiss_kappa(data: Matrix) -> float:
    subjects = _subjects(data)
    if not subjects:
        return math.nan
    pe = sum((p * p for p in _pi(subjects).values()), Fraction(0))
    return _coefficient(_pa(subjects), pe)


def brennan_prediger(data: Matrix) -> float:
    subjects = _subjects(data)
    if not subjects:
        return math.nan
    q = len(_pi(subjects))
    if q < 2:
        return math.nan
    return _coefficient(_pa(subjects), Fraction(1, q))


def cohen_kappa(a: list, b: list) -> float:
    pairs = [(x, y) for x, y in zip(a, b) if not _missing(x) and not _missing(y)]
    if not pairs:
        return math.nan
    n = len(pairs)
    pa = Fraction(sum(x == y for x, y in pairs), n)
    first, second = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum((Fraction(first[c] * second[c], n * n) for c in first), Fraction(0))
    return _coefficient(pa, pe)
