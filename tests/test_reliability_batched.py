"""The batched paths `wei-qual agree` takes give the one-at-a-time values bit for bit: every code row's
coefficients at once (presence_coefficients), an encoded matrix (coded_coefficients), the pooled alpha
with its interval (pooled_binary_alpha), and the faster distinct-row counts (_profiles, _unique_rows).
Compared with ==, not approx: `wei-qual agree` writes the same JSON, byte for byte, as before."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wei_qual import reliability as rel


def _same(a, b) -> bool:
    """Equal, nan equal to nan, tuples compared element by element."""
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


def _presence(seed: int, coders: int, units: int, codes: int, missing: float):
    rng = np.random.default_rng(seed)
    decided = rng.random((coders, units)) >= missing
    # Codes of every prevalence, some never applied, one applied by every coder to every unit.
    rates = np.concatenate([[0.0, 1.0], rng.random(codes - 2) ** 3])
    present = rng.random((coders, units, codes)) < rates
    present |= rng.random((coders, units, codes)) < 0.02  # noise where a coder did not decide: ignored
    return present, decided


@pytest.mark.parametrize("method", ["units", "kalpha"])
@pytest.mark.parametrize(
    ("seed", "coders", "units", "codes", "missing"),
    [
        (1, 3, 400, 12, 0.1),
        (2, 2, 150, 9, 0.0),
        (3, 4, 60, 17, 0.4),
        (4, 3, 5, 10, 0.6),
        (5, 1, 30, 3, 0.0),
        (6, 3, 6000, 10, 0.05),  # long enough for numpy's pairwise sums to differ from plain ones
    ],
)
def test_presence_coefficients_equal_all_coefficients_per_code(seed, coders, units, codes, missing, method):
    present, decided = _presence(seed, coders, units, codes, missing)
    batched = rel.presence_coefficients(present, decided, bootstrap=200, seed=7, method=method)
    assert len(batched) == codes
    for j, got in enumerate(batched):
        want = rel.all_coefficients(
            np.where(decided, present[:, :, j], np.nan), bootstrap=200, seed=7, method=method
        )
        assert got.keys() == want.keys()
        for key in want:
            assert _same(got[key], want[key]), (j, key, got[key], want[key])


def test_presence_coefficients_without_units_or_bootstrap():
    present, decided = _presence(9, 3, 0, 4, 0.0)
    for got in rel.presence_coefficients(present, decided, bootstrap=0):
        assert got["n_units"] == 0 and math.isnan(got["alpha"]) and math.isnan(got["percent_agreement"])
    present, decided = _presence(9, 3, 50, 4, 0.0)
    nothing = np.zeros_like(decided)  # no coder decided anything
    for got, want in zip(
        rel.presence_coefficients(present, nothing, bootstrap=0),
        [rel.all_coefficients(np.full((3, 50), np.nan), bootstrap=0)] * 4,
    ):
        assert all(_same(got[k], want[k]) for k in want)


def test_coded_coefficients_equal_all_coefficients_on_the_decoded_matrix():
    rng = np.random.default_rng(3)
    categories = ["(none)", "hospital", "hospital+jail", "jail"]
    codes = rng.integers(-1, len(categories), size=(3, 300))
    matrix = [[None if c < 0 else categories[c] for c in row] for row in codes]
    got = rel.coded_coefficients(codes, categories, bootstrap=300, seed=2)
    want = rel.all_coefficients(matrix, bootstrap=300, seed=2)
    assert all(_same(got[k], want[k]) for k in want)


@pytest.mark.parametrize("method", ["units", "kalpha"])
@pytest.mark.parametrize(("seed", "missing"), [(1, 0.0), (2, 0.3), (3, 0.7)])
def test_pooled_binary_alpha_equals_alpha_from_counts_and_its_interval(seed, missing, method):
    present, decided = _presence(seed, 3, 500, 15, missing)
    present &= decided[:, :, None]
    applied, raters = present.sum(axis=0), decided.sum(axis=0)
    alpha, interval = rel.pooled_binary_alpha(applied, raters, n=300, seed=5, method=method)
    assert _same(alpha, rel.binary_alpha_from_counts(applied, raters[:, None]))
    assert interval == rel.binary_alpha_interval(applied, raters, n=300, seed=5, method=method)
    assert rel.pooled_binary_alpha(applied, raters, n=0)[1] is None


def test_pooled_binary_alpha_of_no_variation_has_no_interval():
    alpha, interval = rel.pooled_binary_alpha(np.zeros((6, 3)), np.full(6, 2), n=100)
    assert math.isnan(alpha)
    assert interval == rel.binary_alpha_interval(np.zeros((6, 3)), np.full(6, 2), n=100)


@pytest.mark.parametrize("width", [1, 3, 6])
def test_unique_rows_are_numpy_unique_rows_in_the_same_order(width):
    rng = np.random.default_rng(width)
    rows = rng.integers(0, 4, size=(2000, width)) / rng.integers(1, 3, size=(2000, width))
    profiles, freq = rel._unique_rows(rows)
    want, want_freq = np.unique(rows, axis=0, return_counts=True)
    assert np.array_equal(profiles, want) and np.array_equal(freq, want_freq)


@pytest.mark.parametrize("width", [1, 2, 4])
def test_profiles_by_counting_keys_equal_sorting_them(width):
    counts = np.random.default_rng(width).integers(0, 4, size=(3000, width)).astype(float)
    profiles, freq = rel._profiles(counts)
    # The sorted path it replaces: one integer key per row (first column least significant), np.unique.
    keys = counts.astype(np.int64) @ (4 ** np.arange(width, dtype=np.int64))
    _, first, want_freq = np.unique(keys, return_index=True, return_counts=True)
    assert np.array_equal(profiles, counts[first]) and np.array_equal(freq, want_freq)
    assert profiles.dtype == counts.dtype


@pytest.mark.parametrize("size", [1, 2, 3, 7, 40, 41, 999, 1000, 1001])
def test_percentiles_are_numpy_percentile_bit_for_bit(size):
    rng = np.random.default_rng(size)
    for values in (rng.normal(size=size), rng.integers(0, 5, size=size) / 7, np.full(size, 0.3)):
        for q in ([2.5, 97.5], [0, 50, 100], [33.3, 66.7]):
            assert np.array_equal(rel.percentiles(values, q), np.percentile(values, q))
    words = rng.integers(1, 300, size=size)  # the methods passage's quartiles of words per turn
    quartiles = [25, 50, 75]
    assert np.array_equal(rel.percentiles(words.astype(float), quartiles), np.percentile(words, quartiles))


@pytest.mark.parametrize("method", ["units", "kalpha"])
def test_presence_intervals_equal_the_bootstrap_of_each_variables_coder_matrix(method):
    present, decided = _presence(11, 3, 700, 8, 0.2)
    present &= decided[:, :, None]
    applied, raters = present.sum(axis=0).astype(float), decided.sum(axis=0).astype(float)
    got = rel.presence_intervals(applied, raters, n=300, seed=4, method=method, n_coders=3)
    # Each variable on its own: the coders x units 0/1 matrix, undecided cells missing.
    want = [
        rel.bootstrap_interval(np.where(decided, present[:, :, j], np.nan), "nominal", 300, 4, method)
        for j in range(8)
    ]
    assert got == want
    assert rel.presence_interval(applied[:, 5], raters, n=300, seed=4, method=method, n_coders=3) == want[5]
    assert any(math.isnan(i.low) for i in got) and any(not math.isnan(i.low) for i in got)


def test_rotating_pairs_with_no_kappa_still_get_alphas_interval():
    # Three coders double-code in rotating pairs: alice and bob both apply a rare code on their two
    # turns, bob and carol both leave it off theirs. No pair sees both values (every Cohen's kappa is
    # undefined), but the pairable values vary, so alpha (1.0 here) is defined and has an interval: the
    # one all_coefficients gives, and one the plain percentile bootstrap reference brackets.
    decided = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 1, 1]], dtype=bool)
    present = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]], dtype=bool)[:, :, None]
    matrix = np.where(decided, present[:, :, 0], np.nan)
    (batched,) = rel.presence_coefficients(present, decided, bootstrap=400, seed=2)
    assert math.isnan(batched["cohen_kappa"]) and batched["alpha"] == 1.0
    assert batched["alpha_ci"] == (1.0, 1.0)
    # A draw of only alice-bob turns (or only bob-carol ones) has no variation: (1/2)^4 * 2 = 1/8 of them.
    assert 0.05 < batched["alpha_ci_undefined"] / 400 < 0.22
    assert batched["alpha_ci_reason"] and "undefined in" in batched["alpha_ci_reason"]
    one = rel.all_coefficients(matrix, bootstrap=400, seed=2)
    assert all(_same(batched[k], one[k]) for k in one)
