"""wei_qual.reliability: published values, undefined cases, and property tests against krippendorff,
statsmodels, scikit-learn and the reference implementation of tests/_agreement_reference.py (Gwet's
formulas, written for the tests) on random matrices with missing values."""

from __future__ import annotations

import hashlib
import json
import math
import re
import warnings
from itertools import combinations
from pathlib import Path

import _agreement_reference as ref
import krippendorff
import numpy as np
import pandas as pd
import pytest
from _bootstrap_reference import alpha_draws, assert_percentile_interval
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from wei_qual import reliability as rel
from wei_qual.defaults import MAX_BOOTSTRAP
from wei_qual.errors import AgreementError
from wei_qual.reliability import (
    ReliabilityInputError,
    all_coefficients,
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

# Published values, vendored with their provenance (tests/data/README.md): each fixture names its source.
PUBLISHED = Path(__file__).parent / "data" / "irr-published.json"
PROVENANCE = Path(__file__).parent / "data" / "README.md"
FIXTURES = json.loads(PUBLISHED.read_text(encoding="utf-8"))["fixtures"]


def test_the_published_values_are_the_copy_named_in_the_provenance_note():
    noted = re.search(r"`irr-published.json`: `([0-9a-f]{64})`", PROVENANCE.read_text(encoding="utf-8"))
    assert noted and hashlib.sha256(PUBLISHED.read_bytes()).hexdigest() == noted.group(1)
    assert all(f["source"].strip() for f in FIXTURES)


def _counts_table_as_coders(table: list[list[int]], categories: list) -> list[list]:
    """A subjects x categories count table as a coders x units matrix (rater order is irrelevant)."""
    per_subject = [[c for c, k in zip(categories, row) for _ in range(k)] for row in table]
    raters = max(len(s) for s in per_subject)
    return [[s[i] if i < len(s) else None for s in per_subject] for i in range(raters)]


def _published_value(fixture: dict) -> float:
    metric, fmt = fixture["metric"], fixture["format"]
    if fmt == "coders":
        data = fixture["data"]
    elif fmt == "contingency_table":
        data = fixture["data_as_coders"]
    else:
        assert fmt == "subject_category_counts"
        data = _counts_table_as_coders(fixture["data"], fixture["categories"])
    if metric == "krippendorff_alpha":
        return krippendorff_alpha(data, level=fixture["level"])
    return getattr(rel, metric)(data)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_published_values(fixture):
    assert abs(_published_value(fixture) - fixture["expected"]) <= fixture["tolerance"]


def test_every_published_fixture_is_covered():
    assert {f["metric"] for f in FIXTURES} <= {"krippendorff_alpha", "cohen_kappa", "fleiss_kappa"}
    assert {f["format"] for f in FIXTURES} <= {"coders", "contingency_table", "subject_category_counts"}


def test_contingency_fixtures_match_their_coder_lists():
    for fixture in (f for f in FIXTURES if f["format"] == "contingency_table"):
        a, b = fixture["data_as_coders"]
        cats = fixture["categories"]
        table = [[sum(1 for x, y in zip(a, b) if x == r and y == c) for c in cats] for r in cats]
        assert table == fixture["data"]


def test_cohen_kappa_exact_values_of_the_wikipedia_example():
    a, b = next(f for f in FIXTURES if f["name"] == "wikipedia_cohen_2x2_cohen_kappa")["data_as_coders"]
    assert cohen_kappa([a, b]) == pytest.approx(0.4, abs=1e-12)
    assert percent_agreement([a, b]) == pytest.approx(0.7, abs=1e-12)


def test_krippendorff_2011_example_at_every_level():
    data = FIXTURES[0]["data"]
    assert krippendorff_alpha(data, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(data, "interval") == pytest.approx(0.849, abs=5e-4)
    # Ordinal and ratio values as the krippendorff package computes them for the same data.
    for level in ("ordinal", "ratio"):
        expected = krippendorff.alpha(
            reliability_data=np.array(data, dtype=float), level_of_measurement=level
        )
        assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-12)


def test_labels_work_at_the_nominal_level_and_match_numbers():
    data = FIXTURES[2]["data"]
    labels = [[None if v is None else f"c{v}" for v in row] for row in data]
    assert krippendorff_alpha(labels) == pytest.approx(0.691358, abs=1e-6)
    assert gwet_ac1(labels) == pytest.approx(gwet_ac1(data), abs=1e-12)


# ----------------------------------------------------------------- undefined and malformed input

NOBODY = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, None, 0]]  # every coder agrees the code never applies


@pytest.mark.parametrize(
    "fn", [krippendorff_alpha, fleiss_kappa, gwet_ac1, brennan_prediger], ids=lambda f: f.__name__
)
def test_no_variation_is_undefined_never_a_fake_one(fn):
    assert math.isnan(fn(NOBODY))


def test_no_variation_for_cohen_and_bootstrap():
    assert math.isnan(cohen_kappa(NOBODY[:2]))
    assert math.isnan(cohen_kappa(NOBODY[:2], weights="quadratic"))
    low, high = bootstrap_alpha(NOBODY, n=50)
    assert math.isnan(low) and math.isnan(high)
    assert percent_agreement(NOBODY) == 1.0  # they really do agree; the chance-corrected values do not exist


def test_all_coefficients_of_a_matrix_without_variation():
    result = all_coefficients(NOBODY, bootstrap=50)
    assert result["n_units"] == 4 and result["percent_agreement"] == 1.0
    for key in ("alpha", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "brennan_prediger"):
        assert math.isnan(result[key]), key
    assert all(math.isnan(v) for v in result["alpha_ci"])


def test_no_unit_with_two_coders_is_undefined():
    data = [[1, None, 2], [None, 2, None]]
    for fn in (krippendorff_alpha, percent_agreement, fleiss_kappa, gwet_ac1, brennan_prediger, cohen_kappa):
        assert math.isnan(fn(data)), fn.__name__
    assert all(math.isnan(v) for v in bootstrap_alpha(data, n=20))


def test_one_coder_and_empty_matrices_are_undefined():
    assert math.isnan(krippendorff_alpha([[1, 2, 1]]))
    assert math.isnan(percent_agreement([[], []]))
    assert math.isnan(krippendorff_alpha([[None, None], [None, None]]))


def test_a_fixed_category_set_defines_ac1_and_bp_for_binary_codes():
    data = [[0, 0, 0, 1], [0, 0, 0, 0]]
    assert gwet_ac1(data) == gwet_ac1(data, categories=[0, 1])
    assert brennan_prediger(data, categories=[0, 1, 2]) == pytest.approx((0.75 - 1 / 3) / (1 - 1 / 3))
    with pytest.raises(ReliabilityInputError, match=r"Values \[1\] are not among the categories given"):
        gwet_ac1(data, categories=[0])


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: krippendorff_alpha([[1, 2], [1]]),
            r"Every coder needs one value per unit .* lengths \[1, 2\]",
        ),
        (lambda: krippendorff_alpha([]), "needs at least one coder"),
        (lambda: krippendorff_alpha("abc"), "list of coders"),
        (lambda: krippendorff_alpha([[1, 2]], level="nominl"), 'Unknown level "nominl"'),
        (lambda: krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval"), "needs numeric values"),
        (lambda: cohen_kappa([[1, 2], [1, 2], [1, 1]]), "exactly two coders, got 3"),
        (lambda: cohen_kappa([[1, 2], [1, 2]], weights="cubic"), 'Unknown weights "cubic"'),
        (lambda: bootstrap_alpha([[1, 2], [1, 2]], n=0), "positive integer, got 0"),
        (
            lambda: bootstrap_alpha([[1, 2], [1, 2]], method="jackknife"),
            'Unknown bootstrap method "jackknife"',
        ),
        (lambda: krippendorff_alpha([[[1], [2]], [[1], [2]]]), "must be hashable"),
    ],
)
def test_malformed_input_raises_a_typed_error(call, message):
    with pytest.raises(ReliabilityInputError, match=message) as info:
        call()
    assert isinstance(info.value, AgreementError) and isinstance(info.value, ValueError)


def test_numpy_arrays_and_nan_are_accepted():
    data = np.array(FIXTURES[0]["data"], dtype=float)
    assert krippendorff_alpha(data) == pytest.approx(krippendorff_alpha(FIXTURES[0]["data"]), abs=1e-12)
    assert krippendorff_alpha([[1.0, float("nan"), 2.0], [1.0, 3.0, 2.0]]) == krippendorff_alpha(
        [[1, None, 2], [1, 3, 2]]
    )


# ----------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded_and_brackets_alpha():
    data = FIXTURES[0]["data"]
    for method in ("units", "kalpha"):
        low, high = bootstrap_alpha(data, n=500, seed=7, method=method)
        assert (low, high) == bootstrap_alpha(data, n=500, seed=7, method=method)
        assert -1.0 <= low <= krippendorff_alpha(data) <= high <= 1.0
    assert bootstrap_alpha(data, n=500, seed=7) != bootstrap_alpha(data, n=500, seed=8)


def test_bootstrap_at_every_level():
    data = FIXTURES[0]["data"]
    for level in ("ordinal", "interval", "ratio"):
        for method in ("units", "kalpha"):
            low, high = bootstrap_alpha(data, level=level, n=300, method=method)
            assert -1.0 <= low <= high <= 1.0, (level, method)


def test_units_bootstrap_converges_on_a_large_sample():
    # 2 coders, 2,000 units, 90% agreement on a balanced binary code: alpha ~ 0.8, SE ~ 0.013.
    rng = np.random.default_rng(1)
    a = rng.integers(0, 2, 2000)
    b = np.where(rng.random(2000) < 0.9, a, 1 - a)
    data = np.array([a, b], dtype=float)
    alpha = krippendorff_alpha(data)
    low, high = bootstrap_alpha(data, n=1000, seed=3)
    assert low < alpha < high
    assert 0.03 < high - low < 0.07  # about 4 standard errors wide


@pytest.mark.parametrize("name", ["k2011_4obs_12units_nominal", "k2011_4obs_12units_interval"])
def test_units_interval_agrees_with_a_plain_percentile_bootstrap(name):
    fixture = next(f for f in FIXTURES if f["name"] == name)
    data, level = fixture["data"], fixture["level"]
    alphas, undefined = alpha_draws(data, draws=6000, seed=1, level=level)
    interval = rel.bootstrap_interval(data, level=level, n=2000, seed=4)
    assert_percentile_interval(interval.interval, alphas)
    share = undefined / (len(alphas) + undefined)
    assert abs(interval.undefined / 2000 - share) < 5 * math.sqrt(max(share, 1e-3) / 2000)


def test_units_bootstrap_equals_recomputing_alpha_on_resampled_units():
    # The vectorised draw (a weighted sum of per-unit coincidence matrices) must equal running the
    # krippendorff package on the resampled reliability matrix.
    data = np.array(FIXTURES[0]["data"], dtype=float)
    enc = rel._encode(data)
    pairable_units = np.flatnonzero(enc.counts.sum(axis=1) >= 2)
    per_unit = rel._unit_coincidences(enc.counts[pairable_units])
    rng = np.random.default_rng(0)
    for level in rel.LEVELS:
        domain = rel._check_level(level, enc.categories)
        for _ in range(20):
            pick = rng.integers(0, len(pairable_units), len(pairable_units))
            ours = rel._alpha_from_coincidences(per_unit[pick].sum(axis=0), domain, level)
            resampled = data[:, pairable_units[pick]]
            if len(np.unique(resampled[~np.isnan(resampled)])) < 2:
                assert math.isnan(ours)
                continue
            theirs = krippendorff.alpha(reliability_data=resampled, level_of_measurement=level)
            assert ours == pytest.approx(theirs, abs=1e-9)


def test_kalpha_draws_are_the_macros_worked_by_hand():
    # Worked from the KALPHA macro (Hayes & Krippendorff 2007; macro v3.0) on units (1,1), (2,2), (1,2):
    # - coincidences o11 = o22 = 2, o12 = o21 = 1; n = 6 values; 3 pairs in the data (nprs);
    # - pairs drawn per bootstrap sample: min(25 x 4 non-zero cells, (2 coders - 1) x 6 / 2) = 3;
    # - cell probabilities (pcoinc = 2 o/n - diag(o)/n): 11 -> 1/3, 12 -> 1/3, 22 -> 1/3;
    # - expected disagreement expdis = (e12 + e21) / n = (3 x 3 / 5) x 2 / 6 = 0.6, so a sample with s
    #   disagreeing pairs has alpha = 1 - s / (0.6 x 3): s ~ Binomial(3, 1/3) gives 1, 4/9, -1/9, -2/3
    #   with probabilities 8/27, 12/27, 6/27, 1/27;
    # - both agreeing values occur (nzero = 2), so the correction sets nx = rnd(B x ((2/6)^3 + (2/6)^3))
    #   = rnd(B x 2/27) of the perfect samples to 0: 296 of B = 4,000.
    data = [[1, 2, 1], [1, 2, 2]]
    b = 4000
    enc = rel._encode(data)
    draws = rel._bootstrap_kalpha(
        rel._pairable(enc.counts),
        rel._check_level("nominal", enc.categories),
        "nominal",
        b,
        2,
        np.random.default_rng(123),
    )
    values = {1.0: 8 / 27, 4 / 9: 12 / 27, -1 / 9: 6 / 27, -2 / 3: 1 / 27}
    got = dict(zip(*np.unique(np.round(draws, 12), return_counts=True)))
    assert set(got) == {round(v, 12) for v in values} | {0.0}
    assert got[0.0] == 296  # exactly the corrected perfect samples: no sample is 0 by itself
    for value, p in values.items():
        count = got[round(value, 12)] + (got[0.0] if value == 1.0 else 0)  # zeroed ones were perfect
        assert abs(count - b * p) < 5 * math.sqrt(b * p * (1 - p)), value
    # The macro's interval: the trunc(.025 B)-th = 100th and trunc(.975 B) + 1 = 3,901st smallest. About
    # 148 samples are -2/3 and about 889 stay at 1, so the interval is [-2/3, 1].
    assert bootstrap_alpha(data, n=b, seed=5, method="kalpha") == pytest.approx((-2 / 3, 1.0))


def test_kalpha_correction_rounds_halves_up_as_spss_does():
    # Units (1,1), (2,2): every sample is perfect (no disagreeing pair exists), and the correction zeroes
    # rnd(1,001 x ((2/4)^2 + (2/4)^2)) = rnd(500.5) = 501 of them (SPSS's RND; round-half-even gives 500).
    enc = rel._encode([[1, 2], [1, 2]])
    draws = rel._bootstrap_kalpha(
        rel._pairable(enc.counts), np.arange(2.0), "nominal", 1001, 2, np.random.default_rng(0)
    )
    assert ((draws == 0.0).sum(), (draws == 1.0).sum()) == (501, 500)


def test_kalpha_draws_at_most_25_pairs_per_non_zero_cell():
    # 60 units (1,1), 60 (2,2), 30 (1,2): o11 = o22 = 120, o12 = o21 = 30, n = 300. Pairs per sample:
    # min(25 x 4, (2 - 1) x 300 / 2) = 100, so alpha = 1 - s / (100 expdis) with expdis = 150 / 299 and
    # s ~ Binomial(100, 2 x 30 / 300): on the grid 1 - k x 299 / 15,000, mean 1 - 20 x 299 / 15,000.
    data = [[1] * 60 + [2] * 60 + [1] * 30, [1] * 60 + [2] * 60 + [2] * 30]
    enc = rel._encode(data)
    draws = rel._bootstrap_kalpha(
        rel._pairable(enc.counts),
        rel._check_level("nominal", enc.categories),
        "nominal",
        2000,
        2,
        np.random.default_rng(9),
    )
    k = (1 - draws) * 15000 / 299
    assert np.allclose(k, np.round(k), atol=1e-9)
    sd_of_mean = math.sqrt(100 * 0.2 * 0.8) * 299 / 15000 / math.sqrt(2000)
    assert abs(draws.mean() - (1 - 20 * 299 / 15000)) < 5 * sd_of_mean


def test_kalpha_interval_takes_the_macros_order_statistics():
    # 1,000 distinct draws 0.000 ... 0.999: the 25th smallest is 0.024 and the 976th 0.975 (a percentile
    # with interpolation would give 0.024975 and 0.974025).
    draws = np.random.default_rng(0).permutation(np.arange(1000) / 1000)
    interval = rel._kalpha_interval(draws)
    assert (interval.low, interval.high, interval.draws, interval.method) == (0.024, 0.975, 1000, "kalpha")


def test_kalpha_zeroes_perfect_draws_when_only_one_value_ever_agrees():
    data = [[1, 1, 2, 1], [1, 1, 3, 2]]
    enc = rel._encode(data)
    draws = rel._bootstrap_kalpha(
        rel._pairable(enc.counts),
        rel._check_level("nominal", enc.categories),
        "nominal",
        500,
        2,
        np.random.default_rng(1),
    )
    assert not (draws == 1.0).any() and (draws == 0.0).any()


def test_kalpha_bootstrap_corrects_perfect_draws_like_the_macro():
    # Nearly perfect agreement on two values: many draws see no disagreement at all.
    data = [[1] * 30 + [2] * 30 + [1], [1] * 30 + [2] * 30 + [2]]
    low, high = bootstrap_alpha(data, n=1000, method="kalpha")
    assert 0.8 < low <= high <= 1.0


# ----------------------------------------------------------------- property tests

MISSING = None


@st.composite
def matrices(draw, *, min_coders=2, max_coders=5, values=(1, 2, 3, 4), missing=True):
    coders = draw(st.integers(min_coders, max_coders))
    units = draw(st.integers(2, 25))
    pool = st.sampled_from(values) | st.none() if missing else st.sampled_from(values)
    return [[draw(pool) for _ in range(units)] for _ in range(coders)]


def _as_float(data) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)


def _has_pairable_variation(data) -> bool:
    arr = _as_float(data)
    pairable = arr[:, (~np.isnan(arr)).sum(axis=0) >= 2]
    return len(np.unique(pairable[~np.isnan(pairable)])) >= 2


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(matrices(), st.sampled_from(rel.LEVELS))
def test_alpha_matches_the_krippendorff_package(data, level):
    ours = krippendorff_alpha(data, level=level)
    if not _has_pairable_variation(data):
        assert math.isnan(ours)
        return
    theirs = krippendorff.alpha(reliability_data=_as_float(data), level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


@PROPERTY
@given(matrices(), st.sampled_from(rel.LEVELS))
def test_vectorised_alpha_matches_the_krippendorff_package(data, level):
    enc = rel._encode(data)
    pairable = rel._pairable(enc.counts)
    assume(rel._alpha_defined(pairable))
    ours = rel._alpha_from_coincidences(
        rel._unit_coincidences(pairable).sum(axis=0), rel._check_level(level, enc.categories), level
    )
    theirs = krippendorff.alpha(reliability_data=_as_float(data), level_of_measurement=level)
    assert float(ours) == pytest.approx(theirs, abs=1e-9)


def _has_two_values_and_a_pair(data) -> bool:
    arr = _as_float(data)
    rated = (~np.isnan(arr)).sum(axis=0)
    return len(np.unique(arr[~np.isnan(arr)])) >= 2 and (rated >= 2).any() and (rated >= 1).sum() >= 2


def _same(ours: float, theirs: float) -> bool:
    return (math.isnan(ours) and math.isnan(theirs)) or ours == pytest.approx(theirs, abs=1e-9)


@PROPERTY
@given(matrices())
def test_gwet_fleiss_bp_and_percent_agreement_match_the_reference(data):
    # The reference follows Gwet (2014) one subject at a time in exact fractions. It was checked against
    # irrCAC (Python port of Gwet's R package) on 400 random matrices when irrCAC left the test extras
    # (its pins held numpy back at 1.26): no difference above 1e-9.
    assume(_has_two_values_and_a_pair(data))
    for ours, theirs in (
        (gwet_ac1, ref.gwet_ac1),
        (fleiss_kappa, ref.fleiss_kappa),
        (brennan_prediger, ref.brennan_prediger),
        (percent_agreement, ref.percent_agreement),
    ):
        assert _same(ours(data), theirs(data)), ours.__name__


@PROPERTY
@given(matrices(min_coders=2, max_coders=2, missing=False))
def test_cohen_kappa_matches_the_reference_for_two_complete_coders(data):
    assume(_has_two_values_and_a_pair(data))
    assert _same(cohen_kappa(data), ref.cohen_kappa(*data))


# Gwet's example datasets with the values irrCAC (Gwet's R package) prints for them in its README
# (github.com/kgwet/irrCAC; Gwet, K. L. 2014, Handbook of Inter-Rater Reliability, 4th ed.).
# cac.raw4raters: 4 raters, 12 subjects, categories 1-5, missing ratings (Krippendorff's 2011 data).
RAW4RATERS = FIXTURES[0]["data"]
# distrib.6raters: 15 subjects x 5 categories, the number of the 6 raters choosing each.
DISTRIB6RATERS = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
]  # fmt: skip
# cont3x3abstractors: a 3 x 3 contingency table of two raters (rows: rater 1).
CONT3X3 = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def _table_as_coders(table: list[list[int]]) -> list[list[int]]:
    pairs = [(r, c) for r, row in enumerate(table) for c, k in enumerate(row) for _ in range(k)]
    return [[a for a, _ in pairs], [b for _, b in pairs]]


@pytest.mark.parametrize(
    "data, expected",
    [
        (RAW4RATERS, {"pa": 0.8181818, "ac1": 0.77544, "fleiss": 0.76117, "bp": 0.77273}),
        (
            _counts_table_as_coders(DISTRIB6RATERS, [1, 2, 3, 4, 5]),
            {"pa": 0.5511111, "ac1": 0.4448007, "fleiss": 0.4139265, "bp": 0.4388889},
        ),
        (_table_as_coders(CONT3X3), {"pa": 0.89, "ac1": 0.8493305, "bp": 0.835, "cohen": 0.7964094}),
    ],
    ids=["cac.raw4raters", "distrib.6raters", "cont3x3abstractors"],
)
def test_gwets_published_examples(data, expected):
    ours = {
        "pa": percent_agreement,
        "ac1": gwet_ac1,
        "fleiss": fleiss_kappa,
        "bp": brennan_prediger,
        "cohen": cohen_kappa,
    }
    theirs = {
        "pa": ref.percent_agreement,
        "ac1": ref.gwet_ac1,
        "fleiss": ref.fleiss_kappa,
        "bp": ref.brennan_prediger,
        "cohen": lambda d: ref.cohen_kappa(*d),
    }
    for name, value in expected.items():
        assert ours[name](data) == pytest.approx(value, abs=5e-6), name
        assert theirs[name](data) == pytest.approx(value, abs=5e-6), name


@PROPERTY
@given(matrices(min_coders=2, max_coders=2), st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_matches_statsmodels(data, weights):
    # The table is built over the categories seen on the units both coders rated, as statsmodels and
    # scikit-learn do: a value only one coder gave (on a unit the other skipped) is not a category.
    enc = rel._encode(data)
    both = (enc.codes[0] >= 0) & (enc.codes[1] >= 0)
    paired = sorted(set(enc.codes[0][both]) | set(enc.codes[1][both]))
    assume(len(paired) >= 2)
    rank = {c: i for i, c in enumerate(paired)}
    k = len(paired)
    table = np.zeros((k, k))
    for a, b in zip(enc.codes[0][both], enc.codes[1][both]):
        table[rank[a], rank[b]] += 1
    rows, cols = table.sum(axis=1) / table.sum(), table.sum(axis=0) / table.sum()
    idx = np.arange(k)
    distance = np.abs(np.subtract.outer(idx, idx))
    disagreement = {None: distance > 0, "linear": distance, "quadratic": distance**2}[weights]
    ours = cohen_kappa(data, weights=weights)
    if (disagreement * np.outer(rows, cols)).sum() < 1e-12:
        assert math.isnan(ours)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sm_cohens_kappa(table, wt=weights, return_results=False)
    assert ours == pytest.approx(float(theirs), abs=1e-9)


def test_weighted_kappa_with_missing_values_uses_the_paired_units_only():
    # Coder 1 gave 3 on a unit coder 2 skipped: 3 must not enter the weights. scikit-learn and
    # statsmodels give -0.5 here; building the weights over every value seen gave -0.333.
    assert cohen_kappa([[3, 1, 2], [None, 4, 1]], "linear") == pytest.approx(-0.5)
    assert cohen_kappa_score([1, 2], [4, 1], weights="linear") == pytest.approx(-0.5)


@PROPERTY
@given(matrices(min_coders=2, max_coders=2), st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_matches_scikit_learn_with_missing_values(data, weights):
    both = [(a, b) for a, b in zip(*data) if a is not None and b is not None]
    assume(len({v for pair in both for v in pair}) >= 2)
    first, second = [a for a, _ in both], [b for _, b in both]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = float(cohen_kappa_score(first, second, weights=weights))
    ours = cohen_kappa(data, weights=weights)
    if math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@PROPERTY
@given(matrices(min_coders=2, max_coders=6, missing=False))
def test_fleiss_kappa_matches_statsmodels_on_complete_data(data):
    assume(len({v for row in data for v in row}) >= 2)
    counts, _ = aggregate_raters(np.array(data).T)
    assert fleiss_kappa(data) == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=1e-9)


@PROPERTY
@given(matrices(min_coders=2, max_coders=2))
def test_percent_agreement_of_two_coders_is_the_share_of_matching_units(data):
    pairs = [(a, b) for a, b in zip(*data) if a is not None and b is not None]
    ours = percent_agreement(data)
    if not pairs:
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(sum(a == b for a, b in pairs) / len(pairs), abs=1e-12)


@PROPERTY
@given(matrices(min_coders=3, max_coders=4))
def test_all_coefficients_agrees_with_the_single_functions(data):
    result = all_coefficients(data, bootstrap=50, seed=1)
    for key, fn in [
        ("alpha", krippendorff_alpha),
        ("percent_agreement", percent_agreement),
        ("fleiss_kappa", fleiss_kappa),
        ("gwet_ac1", gwet_ac1),
        ("brennan_prediger", brennan_prediger),
    ]:
        single = fn(data)
        assert (math.isnan(result[key]) and math.isnan(single)) or result[key] == pytest.approx(single), key
    pairwise = [cohen_kappa([data[a], data[b]]) for a, b in combinations(range(len(data)), 2)]
    defined = [k for k in pairwise if not math.isnan(k)]
    if defined:
        assert result["cohen_kappa"] == pytest.approx(sum(defined) / len(defined))
    else:
        assert math.isnan(result["cohen_kappa"])
    # The same interval, without bootstrap_alpha's warning when some drawn data leave alpha undefined.
    assert result["alpha_ci"] == pytest.approx(
        rel.bootstrap_interval(data, n=50, seed=1).interval, nan_ok=True
    )


@PROPERTY
@given(matrices(values=(0, 1)), st.integers(1, 4))
def test_pooled_binary_alpha_from_counts_matches_the_package(data, n_codes):
    # Several binary variables over the same units: pool them as one long reliability matrix.
    rng = np.random.default_rng(len(data[0]))
    arr = _as_float(data)
    decided = ~np.isnan(arr)
    stacks = [np.where(decided, rng.integers(0, 2, arr.shape), np.nan) for _ in range(n_codes - 1)] + [arr]
    pooled = np.concatenate(stacks, axis=1)
    applied = np.stack([np.nansum(m, axis=0) for m in stacks], axis=1)
    ours = rel.binary_alpha_from_counts(applied, decided.sum(axis=0)[:, None])
    theirs = krippendorff_alpha(pooled)
    assert (math.isnan(ours) and math.isnan(theirs)) or ours == pytest.approx(theirs, abs=1e-9)


@PROPERTY
@given(matrices())
def test_labels_and_numbers_give_the_same_nominal_coefficients(data):
    labels = [[None if v is None else f"v{v}" for v in row] for row in data]
    for fn in (krippendorff_alpha, percent_agreement, fleiss_kappa, gwet_ac1, brennan_prediger):
        a, b = fn(data), fn(labels)
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12), fn.__name__


@PROPERTY
@given(matrices(max_coders=4), st.sampled_from(rel.CI_METHODS))
def test_bootstrap_interval_is_ordered_and_bounded(data, method):
    result = rel.bootstrap_interval(data, n=100, seed=0, method=method)
    low, high = result.low, result.high
    if math.isnan(krippendorff_alpha(data)):
        assert math.isnan(low) and math.isnan(high)
    elif result.undefined > rel.UNDEFINED_MAX * result.draws:
        # Too many undefined draws: no interval is given, and the reason says so.
        assert math.isnan(low) and math.isnan(high) and result.reason.startswith("no interval")
    elif result.reason == rel.SAME_UNITS:  # every unit alike: no interval, whatever the draws
        assert math.isnan(low) and math.isnan(high) and method == "units"
    else:
        assert -1.0 - 1e-9 <= low <= high <= 1.0 + 1e-9


# ----------------------------------------------------------------- rigor: missing values, bootstrap, levels


@pytest.mark.parametrize(
    "missing",
    [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float32("nan")],
    ids=["None", "nan", "np.nan", "pd.NA", "pd.NaT", "float32-nan"],
)
def test_every_kind_of_missing_value_is_missing_never_a_category(missing):
    # pd.NA used to be a category of its own: alpha .667 instead of 1.0.
    data = [[1, missing, 2, 2], [1, 3, 2, 2]]
    assert krippendorff_alpha(data) == 1.0
    assert percent_agreement(data) == 1.0
    assert cohen_kappa(data) == 1.0
    assert all_coefficients(data, bootstrap=0)["n_units"] == 3


def test_pandas_frames_series_and_nullable_arrays_are_reliability_matrices():
    expected = krippendorff_alpha([[1, None, 2, 2, 3], [1, 3, 2, 3, 3]])
    frame = pd.DataFrame([[1, pd.NA, 2, 2, 3], [1, 3, 2, 3, 3]])
    nullable = [pd.Series([1, None, 2, 2, 3], dtype="Int64"), pd.array([1, 3, 2, 3, 3], dtype="Int64")]
    assert krippendorff_alpha(frame) == pytest.approx(expected)
    assert krippendorff_alpha(nullable) == pytest.approx(expected)
    assert krippendorff_alpha(frame, level="interval") == pytest.approx(
        krippendorff_alpha([[1, None, 2, 2, 3], [1, 3, 2, 3, 3]], level="interval")
    )


def test_the_units_bootstrap_counts_undefined_draws_and_warns_above_five_percent():
    # One unit out of five holds all the variation: about a third of the resamples miss it, and alpha
    # is undefined in those. They used to be dropped silently, narrowing the interval.
    data = [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0]]
    result = rel.bootstrap_interval(data, n=1000, seed=0)
    assert result.draws == 1000 and 250 < result.undefined < 420  # (4/5)^5 = 33% expected
    assert result.reason.startswith(f"alpha is undefined in {result.undefined} of 1000 bootstrap draws")
    assert not math.isnan(result.low)
    with pytest.warns(rel.ReliabilityWarning, match=r"undefined in \d+ of 1000 bootstrap draws"):
        assert bootstrap_alpha(data, n=1000, seed=0) == result.interval
    coefficients = all_coefficients(data, bootstrap=1000, seed=0)
    assert coefficients["alpha_ci_undefined"] == result.undefined
    assert coefficients["alpha_ci_reason"] == result.reason
    # The KALPHA resampling holds the expected disagreement fixed: its draws are always defined.
    assert rel.bootstrap_interval(data, n=1000, method="kalpha").undefined == 0


def test_no_interval_when_most_draws_are_undefined():
    data = [[0, 1], [0, 1]]  # two units, each without variation: half the resamples draw one of them twice
    result = rel.bootstrap_interval(data, n=1000, seed=1)
    assert result.undefined > 500
    assert math.isnan(result.low) and math.isnan(result.high)
    assert result.reason.startswith("no interval: alpha is undefined in")
    with pytest.warns(rel.ReliabilityWarning):
        assert all(math.isnan(v) for v in bootstrap_alpha(data, n=1000, seed=1))
    assert all(math.isnan(v) for v in all_coefficients(data, bootstrap=1000, seed=1)["alpha_ci"])


def test_few_undefined_draws_give_no_warning():
    data = [[1, 0, 1, 0, 1, 1, 0, 0, 1, 0] * 3, [1, 0, 1, 1, 1, 1, 0, 0, 1, 0] * 3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bootstrap_alpha(data, n=500)
    assert rel.bootstrap_interval(data, n=500).reason is None


def test_the_ratio_level_refuses_negative_values():
    with pytest.raises(ReliabilityInputError, match=r"The ratio level needs values of 0 or more .* got -2\."):
        krippendorff_alpha([[1, -2, 3], [1, 2, 3]], level="ratio")
    with pytest.raises(ReliabilityInputError, match="ratio level"):
        bootstrap_alpha(np.array([[1.0, -0.5], [1.0, 2.0]]), level="ratio")
    assert krippendorff_alpha([[1, -2, 3], [1, -2, 4]], level="interval") > 0.9  # interval accepts them


@pytest.mark.parametrize(
    "data, level",
    [
        (np.array([[1e19, 1.0], [1e19, 2.0]]), "nominal"),  # the numpy fast path: used to raise TypeError
        (np.array([[2**62, 1], [2**62, 2]], dtype=np.int64), "interval"),
        ([[10**400, 1], [1, 2]], "interval"),  # used to raise OverflowError
        ([[2**60, 1], [2**60 + 1, 2]], "ordinal"),  # would be compared as equal floats
    ],
)
def test_integer_values_too_large_to_compare_exactly_are_refused(data, level):
    with pytest.raises(ReliabilityInputError, match=r"Integer values must lie within ±2\*\*53"):
        krippendorff_alpha(data, level=level)


def test_large_labels_stay_fine_at_the_nominal_level():
    assert krippendorff_alpha([[2**60, 2**60 + 1, 1], [2**60, 2**60 + 1, 1]]) == 1.0


# ----------------------------------------------------------------- edges found by mutation testing


def test_one_bootstrap_draw_is_allowed_and_none_is_refused():
    data = FIXTURES[0]["data"]
    assert rel.bootstrap_interval(data, n=1).draws == 1
    with pytest.raises(ReliabilityInputError, match="must be a positive integer, got 0"):
        rel.bootstrap_interval(data, n=0)


def test_undefined_draws_warn_above_five_percent_and_end_the_interval_above_half():
    assert rel._undefined_reason(5, 100) is None  # exactly 5%: no warning
    assert rel._undefined_reason(6, 100) == (
        "alpha is undefined in 6 of 100 bootstrap draws (6.0%); the interval uses the others and may be too narrow"
    )
    assert rel._undefined_reason(50, 100).startswith("alpha is undefined in 50 of 100")  # half: still one
    assert rel._undefined_reason(51, 100) == (
        "no interval: alpha is undefined in 51 of 100 bootstrap draws (51.0%), more than 50%"
    )


@pytest.mark.parametrize("width", [5, 40])  # 40 values of up to 8: too wide to pack into one integer key
def test_unit_profiles_count_every_distinct_row(width):
    counts = np.random.default_rng(width).integers(0, 3, size=(300, width)) * np.arange(1, width + 1) % 9
    profiles, freq = rel._profiles(counts.astype(float))
    assert profiles.shape[1] == width and freq.sum() == 300
    assert sorted(map(tuple, np.repeat(profiles, freq, axis=0))) == sorted(map(tuple, counts.astype(float)))


def test_all_coefficients_without_a_bootstrap_has_no_interval_and_no_undefined_draws():
    result = all_coefficients(FIXTURES[0]["data"], bootstrap=0)
    assert (result["alpha_ci_undefined"], result["alpha_ci_reason"]) == (0, None)
    assert all(math.isnan(x) for x in result["alpha_ci"])


@pytest.mark.parametrize("method", ["units", "kalpha"])
def test_pooled_interval_of_an_undefined_alpha_says_why(method):
    # Nobody applied anything: no variation, so no alpha and no interval.
    interval = rel.binary_alpha_interval(np.zeros((6, 3)), np.full(6, 2), n=100, method=method)
    assert (interval.draws, interval.undefined, interval.method, interval.reason) == (
        0,
        0,
        method,
        "alpha is undefined, so it has no interval",
    )
    assert math.isnan(interval.low) and math.isnan(interval.high)


def test_all_coefficients_with_a_fixed_category_set_uses_it_for_ac1_and_bp():
    # Worked by hand from Gwet (2014): pa = 3/4; propensities pi = (7/8, 1/8, 0) over the 4 units;
    # AC1's chance term is sum pi(1 - pi) / (q - 1) = (14/64) / 2 with q = 3 categories in the scale,
    # so AC1 = (3/4 - 7/64) / (1 - 7/64) = 41/57; Brennan-Prediger (3/4 - 1/3) / (1 - 1/3) = 5/8.
    # With the two values observed (q = 2) they would be 34/50 and 1/2.
    data = [[0, 0, 0, 1], [0, 0, 0, 0]]
    fixed = all_coefficients(data, categories=[0, 1, 2], bootstrap=0)
    assert fixed["gwet_ac1"] == pytest.approx(41 / 57, abs=1e-12)
    assert fixed["brennan_prediger"] == pytest.approx(5 / 8, abs=1e-12)
    assert gwet_ac1(data, categories=[0, 1, 2]) == pytest.approx(41 / 57, abs=1e-12)
    observed = all_coefficients(data, bootstrap=0)
    assert observed["gwet_ac1"] == pytest.approx(34 / 50, abs=1e-12)
    assert observed["brennan_prediger"] == pytest.approx(1 / 2, abs=1e-12)
    # Fleiss' kappa does not depend on the scale: pe = sum pi^2 = 50/64, (48 - 50) / (64 - 50) = -1/7.
    assert fixed["fleiss_kappa"] == observed["fleiss_kappa"] == pytest.approx(-1 / 7, abs=1e-12)


def test_kalpha_draws_below_minus_one_are_set_to_minus_one_as_the_macro_does():
    # KALPHA v3.0: "do if (alpha < -1). compute alpha = -1." Worked from the macro on 20 units, 18 coded
    # (0, 0) and 2 coded (1, 0): o00 = 36, o01 = o10 = 2, n = 40; pairs per sample min(25 x 3 non-zero
    # cells, (2 - 1) x 40 / 2) = 20; expdis = (2 x 38 x 2 / 39) / 40 = 3.8 / 39; a sample with s
    # disagreeing pairs, s ~ Binomial(20, 0.1), has alpha = 1 - s x 39 / 76: below -1 from s = 4 on
    # (P = 0.1330), and those draws are -1. Only value 0 ever agrees, so perfect draws (s = 0) are 0.
    data = [[0] * 18 + [1, 1], [0] * 20]
    enc = rel._encode(data)
    b = 3000
    draws = rel._bootstrap_kalpha(
        rel._pairable(enc.counts), np.arange(2.0), "nominal", b, 2, np.random.default_rng(4)
    )
    p_low = 1 - sum(math.comb(20, s) * 0.1**s * 0.9 ** (20 - s) for s in range(4))
    assert draws.min() == -1.0
    assert abs((draws == -1.0).sum() - b * p_low) < 5 * math.sqrt(b * p_low * (1 - p_low))
    grid = {0.0, -1.0} | {round(1 - s * 39 / 76, 12) for s in (1, 2, 3)}
    assert set(np.round(draws, 12).tolist()) <= grid
    assert bootstrap_alpha(data, n=b, seed=4, method="kalpha")[0] == -1.0


def test_exactly_half_the_draws_undefined_still_gives_an_interval():
    # "More than 50%" ends the interval; at exactly half the defined draws still give one: numpy's
    # percentiles of the defined draws, with the caveat.
    defined = np.linspace(-0.2, 0.8, 50)
    draws = np.concatenate([defined, np.full(50, np.nan)])
    interval = rel._percentile_interval(np.random.default_rng(0).permutation(draws), "units")
    assert interval.undefined == 50
    assert interval.interval == pytest.approx(tuple(np.percentile(defined, [2.5, 97.5])), abs=1e-12)
    assert interval.reason.startswith("alpha is undefined in 50 of 100")
    past = rel._percentile_interval(np.concatenate([defined[:49], np.full(51, np.nan)]), "units")
    assert math.isnan(past.low) and math.isnan(past.high)


def test_the_most_bootstrap_draws_allowed_is_allowed():
    # "at most MAX_BOOTSTRAP": that many is accepted (checked before any draw: no variation here), one
    # more is refused.
    assert rel.bootstrap_interval([[1, 1], [1, 1]], n=MAX_BOOTSTRAP).draws == 0
    with pytest.raises(ReliabilityInputError, match="at most 100,000"):
        rel.bootstrap_interval([[1, 1], [1, 1]], n=MAX_BOOTSTRAP + 1)


@pytest.mark.parametrize(("undefined", "warns"), [(5, False), (6, True)])
def test_bootstrap_alpha_warns_only_above_five_percent_undefined(monkeypatch, undefined, warns):
    reason = rel._undefined_reason(undefined, 100)
    monkeypatch.setattr(
        rel,
        "bootstrap_interval",
        lambda *a, **k: rel.BootstrapInterval(0.1, 0.9, 100, undefined, "units", reason),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert rel.bootstrap_alpha([[1, 2], [1, 2]]) == (0.1, 0.9)
    assert [str(w.message) for w in caught] == ([reason] if warns else [])


# ----------------------------------------------------------------- mutation round 2: what still slipped through


def test_all_coefficients_defaults_are_what_agree_reports():
    # all_coefficients is "what `wei-qual agree` reports per code": its defaults must be agree's (1,000
    # draws, seed 0), or a methods section quoting agree's settings misdescribes a notebook's interval.
    from wei_qual.agree import DEFAULT_BOOTSTRAP

    data = FIXTURES[0]["data"]
    assert DEFAULT_BOOTSTRAP == 1000
    default = all_coefficients(data)
    explicit = all_coefficients(data, bootstrap=1000, seed=0)
    assert default["alpha_ci"] == explicit["alpha_ci"]
    assert rel.bootstrap_interval(data).draws == 1000
    assert bootstrap_alpha(data) == bootstrap_alpha(data, n=1000, seed=0)
    assert default["alpha_ci"] != all_coefficients(data, bootstrap=1000, seed=1)["alpha_ci"]


def test_an_undefined_alpha_has_no_interval_note_of_its_own():
    # The code's reason already says alpha is undefined; an interval note would repeat it on stderr as a
    # bootstrap warning for every unused code.
    result = all_coefficients(NOBODY, bootstrap=50)
    assert (result["alpha_ci_undefined"], result["alpha_ci_reason"]) == (0, None)


@pytest.mark.parametrize("as_array", [False, True])
def test_the_exact_integer_limit_is_two_to_the_53(as_array):
    # 2**53 + 1 is the first integer a float cannot hold: float(2**53 + 1) == 2**53, so it used to pass a
    # check done in floats and then compare equal to 2**53 (interval alpha 1.0 for a disagreement).
    def matrix(top):
        rows = [[top, 1, 5], [2**53, 2, 5]]
        return np.array(rows, dtype=np.int64) if as_array else rows

    # The limit itself is fine.
    assert krippendorff_alpha(matrix(2**53), level="interval") == pytest.approx(1.0)
    for level in ("ordinal", "interval"):
        with pytest.raises(ReliabilityInputError, match=r"±2\*\*53"):
            krippendorff_alpha(matrix(2**53 + 1), level=level)
    if as_array:  # an integer array becomes floats whatever the level: refused even for labels
        with pytest.raises(ReliabilityInputError, match=r"±2\*\*53"):
            krippendorff_alpha(matrix(2**53 + 1))
    else:  # Python ints at the nominal level are labels, compared exactly: still fine
        assert krippendorff_alpha(matrix(2**53 + 1)) < 1.0


def test_pooled_interval_agrees_with_a_plain_bootstrap_of_the_pooled_matrix():
    # pooled_binary_alpha and binary_alpha_interval are tested against each other; this checks both
    # against the definition: resample the units (each with all its codes), pool every (unit, code)
    # presence value of the coders who decided the unit, and recompute alpha with the krippendorff package.
    import random

    rng = np.random.default_rng(11)
    coders, units, codes = 3, 60, 4
    decided = rng.random((coders, units)) > 0.2
    truth = rng.random((units, codes)) < [0.1, 0.3, 0.5, 0.2]
    present = np.where(rng.random((coders, units, codes)) < 0.85, truth, ~truth) & decided[:, :, None]
    applied, raters = present.sum(axis=0).astype(float), decided.sum(axis=0)
    pairable = np.flatnonzero(raters >= 2)
    # coders x (unit, code) values, nan where the coder did not decide the unit
    values = np.where(decided[:, :, None], present, np.nan)
    picker, alphas, choices = random.Random(2), [], pairable.tolist()
    for _ in range(3000):
        pick = [picker.choice(choices) for _ in choices]
        pooled = values[:, pick, :].reshape(coders, -1)
        alphas.append(float(krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")))
    alpha, interval = rel.pooled_binary_alpha(applied, raters, n=2000, seed=3)
    pooled = values[:, pairable, :].reshape(coders, -1)
    assert alpha == pytest.approx(krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal"))
    assert_percentile_interval(interval.interval, alphas)


SAME = [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0]]  # alice applied the code to every unit, bob to none


def test_units_that_all_hold_the_same_values_have_no_interval_and_say_why():
    # Every resample is the same matrix, so every draw is alpha itself: an interval of zero width,
    # (-0.8, -0.8), used to be reported as if alpha were known exactly.
    assert krippendorff_alpha(SAME) == pytest.approx(-0.8)  # 1 - (n - 1) Do / De = 1 - 9 * 10 / 50
    interval = rel.bootstrap_interval(SAME, n=200)
    assert (interval.draws, interval.undefined, interval.reason) == (200, 0, rel.SAME_UNITS)
    assert all(math.isnan(x) for x in interval.interval)
    with pytest.warns(rel.ReliabilityWarning, match="every unit has the same values"):
        assert all(math.isnan(x) for x in bootstrap_alpha(SAME, n=200))
    result = all_coefficients(SAME, bootstrap=200)
    assert result["alpha_ci_reason"] == rel.SAME_UNITS and math.isnan(result["alpha_ci"][0])
    # One unit is the smallest case; the pairs bootstrap (kalpha) redraws pairs and still has an interval.
    assert rel.bootstrap_interval([[1], [0]], n=50).reason == rel.SAME_UNITS
    assert rel.bootstrap_interval(SAME, n=200, method="kalpha").reason is None
    # Two different units: an interval as before.
    assert rel.bootstrap_interval([[1, 1, 0, 1, 1], [0, 0, 0, 0, 0]], n=200).reason is None


def test_pooled_units_that_all_hold_the_same_values_have_no_interval():
    applied, decided = np.array([[1.0, 0.0]] * 4), np.full(4, 2)  # every unit: code 1 by one coder of two
    alpha, interval = rel.pooled_binary_alpha(applied, decided, n=100)
    assert alpha == pytest.approx(rel.binary_alpha_from_counts(applied, decided[:, None]))
    assert interval.reason == rel.POOLED_SAME and math.isnan(interval.low)
    assert rel.binary_alpha_interval(applied, decided, n=100) == interval


def test_pooled_units_that_differ_but_add_the_same_say_so_not_that_they_hold_the_same_values():
    # Two providers' turns, one coded csu-admission by both coders, the other co-responder by both: the
    # units differ, every draw still gives 1.0. It was said as "every unit has the same values".
    applied, decided = np.array([[2.0, 0.0], [0.0, 2.0]]), np.full(2, 2)
    alpha, interval = rel.pooled_binary_alpha(applied, decided, n=100)
    assert alpha == 1.0 and math.isnan(interval.low)
    assert interval.reason == rel.POOLED_SAME and "same values" not in interval.reason
