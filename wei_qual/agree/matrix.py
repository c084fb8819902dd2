"""Code rows as reliability matrices: presence (1) or absence (0) of each code row for every coder and
unit, with every coefficient per row and alpha pooled over all (unit, code) values.

A parent code named with --codes gets a "theme" row: present when the parent or any of its descendants
was applied. numpy is imported inside the functions (via wei_qual.reliability).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from .result import CodeAgreement, _num
from .selection import Selection, Unit

if TYPE_CHECKING:  # numpy is heavy: keep it out of `wei-qual --help`
    import numpy


class _SetIds(dict):
    """code set -> its index, in the order first seen (None, not decided, is 0)."""

    def __missing__(self, key: frozenset[str] | None) -> int:
        n = self[key] = len(self)
        return n


@dataclass(frozen=True)
class CodeSets:
    """The distinct code sets of some units, looked at once each (units share their set objects).

    ids[coder, unit] is the index in `sets` of the codes the coder applied to the unit, 0 where the
    coder did not decide it (sets[0] is None); holds[set, column] is 1 where the set holds the code
    whose column is columns[code] (float32: products with it are BLAS products, exact here)."""

    ids: numpy.ndarray
    sets: list[frozenset[str] | None]
    holds: numpy.ndarray
    columns: dict[str, int]


def code_sets(sel: Selection, units: list[Unit]) -> CodeSets:
    """The selection's code sets on these units (see CodeSets). Those of all its units are worked out
    once per selection and kept on it; a part of its units (a stratum) takes its columns from them."""
    if units is sel.units:
        if sel.sets is None:
            sel.sets = _code_sets(sel.coders, units)
        return sel.sets
    if sel.sets is not None:
        position = {id(unit): i for i, unit in enumerate(sel.units)}
        found = [position.get(id(unit)) for unit in units]
        if None not in found:
            return restricted(sel.sets, list(range(len(sel.coders))), found)
    return _code_sets(sel.coders, units)


def restricted(sets: CodeSets, coders: list[int], units: list[int]) -> CodeSets:
    """The code sets of some coders (rows of sets.ids) on some units (columns): the sets they hold, in
    their order in `sets`, which gives the same matrices and values as working them out afresh."""
    import numpy as np

    ids = sets.ids[np.ix_(coders, units)]
    used = np.union1d([0], ids)  # sorted, so set 0 (not decided) stays 0
    return CodeSets(np.searchsorted(used, ids), [sets.sets[i] for i in used], sets.holds[used], sets.columns)


def _code_sets(coders: list[str], units: list[Unit]) -> CodeSets:
    codes_of = list(map(attrgetter("codes"), units))
    return column_sets([map(itemgetter(coder), codes_of) for coder in coders], len(units))


def column_sets(columns: list[Iterable[frozenset[str] | None]], n_units: int) -> CodeSets:
    """The CodeSets of some coders' codes given as columns: for each coder, their codes on each unit
    (None: not decided), as code_sets gives them for a selection's coders."""
    import numpy as np

    index = _SetIds()
    index[None]  # None (not decided) is set 0
    # Coder by coder over the units, looked up at C speed (map), in the order a nested loop would.
    ids = np.array(
        [list(map(index.__getitem__, column)) for column in columns],
        dtype=np.int64,
    ).reshape(len(columns), n_units)
    distinct = list(index)
    applied = distinct[1:]
    names = sorted(set().union(*applied))
    columns = dict(zip(names, range(len(names))))
    sizes = list(map(len, applied))
    code_of = np.fromiter(map(columns.__getitem__, chain.from_iterable(applied)), np.int64, sum(sizes))
    holds = np.zeros((len(distinct), len(columns)), dtype=np.float32)
    holds[np.repeat(np.arange(1, len(distinct)), sizes), code_of] = 1
    return CodeSets(ids, distinct, holds, columns)


def presence_matrices(
    sel: Selection, units: list[Unit], sets: CodeSets | None = None
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """decided[coder, unit] and presence[coder, unit, row] as boolean arrays (`sets`: code_sets(sel, units))."""
    import numpy as np

    sets = sets if sets is not None else code_sets(sel, units)
    # Which rows each code counts for; the set x row table is the product with which codes each set
    # holds, and every (coder, unit) takes its set's row of it.
    rows_of = np.zeros((len(sets.columns), len(sel.rows)), dtype=np.float32)
    for j, row in enumerate(sel.rows):
        for member in sel.members[row]:
            column = sets.columns.get(member)
            if column is not None:
                rows_of[column, j] = 1
    table = (sets.holds @ rows_of) > 0
    return sets.ids > 0, table[sets.ids]


def measure_codes(
    sel: Selection,
    decided: numpy.ndarray,
    presence: numpy.ndarray,
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    on_progress: Callable[[int], None] | None = None,
) -> list[CodeAgreement]:
    """Every coefficient for each code row; on_progress(1) after each row."""
    from ..reliability import presence_coefficients

    n_coders, n_units = decided.shape
    # Every row's coefficients at once: the same values as all_coefficients on each row's matrix.
    every = presence_coefficients(presence, decided, bootstrap=bootstrap, seed=seed, method=ci_method)
    n_decided = int(decided.sum())
    held = presence & decided[:, :, None]
    applied = held.sum(axis=(0, 1))
    # Units any coder applied the row to, counting only units two coders decided (the ones α compares).
    units_applied = (held.any(axis=0) & (decided.sum(axis=0) >= 2)[:, None]).sum(axis=0)
    code_results = []
    for j, row in enumerate(sel.rows):
        stats = every[j]
        values = _Values(int(applied[j]), n_decided)
        prevalence = values.present / values.size if values.size else math.nan
        code_results.append(
            CodeAgreement(
                code=row,
                n_units=stats["n_units"],
                prevalence=_num(prevalence),
                percent_agreement=_num(stats["percent_agreement"]),
                alpha=_num(stats["alpha"]),
                alpha_ci=(_num(stats["alpha_ci"][0]), _num(stats["alpha_ci"][1])),
                cohen_kappa=_num(stats["cohen_kappa"]),
                fleiss_kappa=_num(stats["fleiss_kappa"]),
                gwet_ac1=_num(stats["gwet_ac1"]),
                brennan_prediger=_num(stats["brennan_prediger"]),
                reason=_code_reason(stats, values, n_units, n_coders),
                ci_undefined=stats["alpha_ci_undefined"],
                ci_note=stats["alpha_ci_reason"],
                units_applied=int(units_applied[j]),
            )
        )
        if on_progress:
            on_progress(1)
    return code_results


def varying_counts(decided: numpy.ndarray, presence: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(present[unit, row], decided[unit]) counts over the rows with variation, the values the pooled α
    pools. A row no coder applied, or every coder applied to every unit, has no α of its own; pooled, it
    adds an agreed value on every unit and pulls α toward 1 the more such codes the codebook has."""
    return _varying(presence.sum(axis=0), decided.sum(axis=0))


def _varying(counts: numpy.ndarray, sizes: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    applied = counts.sum(axis=0)
    varying = (applied > 0) & (applied < sizes.sum())
    return (counts if varying.all() else counts[:, varying]), sizes  # no copy when every row varies


def pooled(
    sel: Selection,
    decided: numpy.ndarray,
    presence: numpy.ndarray,
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
):
    """(pooled_alpha, pooled_interval) computed together: the same values, half the work."""
    # The counts as the floats pooled_binary_alpha works with (small whole numbers, exact): no second copy.
    counts, sizes = presence.sum(axis=0, dtype=float), decided.sum(axis=0)
    return pooled_counts(sel, counts, sizes, bootstrap=bootstrap, seed=seed, ci_method=ci_method)


def pooled_counts(
    sel: Selection, counts: numpy.ndarray, sizes: numpy.ndarray, *, bootstrap: int, seed: int, ci_method: str
):
    """pooled() from the per-unit counts, presence.sum(axis=0) (units x rows) and decided.sum(axis=0):
    a part of the units (a batch) takes its rows of the counts of all, which are the same numbers."""
    from ..reliability import pooled_binary_alpha

    if not (len(sizes) and sel.rows):
        return math.nan, None
    counts, sizes = _varying(counts, sizes)
    if not counts.shape[1]:
        return math.nan, None
    return pooled_binary_alpha(counts, sizes, n=bootstrap, seed=seed, method=ci_method)


def pooled_alpha(sel: Selection, decided: numpy.ndarray, presence: numpy.ndarray) -> float:
    """Alpha over every (unit, code) presence value of the codes with variation (varying_counts); nan
    when there is no unit or no such code."""
    from ..reliability import binary_alpha_from_counts

    counts, sizes = varying_counts(decided, presence) if sel.rows else (None, None)
    if not (decided.shape[1] and sel.rows and counts.shape[1]):
        return math.nan
    # From per-unit counts: the same value as krippendorff_alpha on the pooled matrix, without building
    # a coders x (units x codes) matrix.
    return binary_alpha_from_counts(counts, sizes[:, None])


def pooled_interval(
    sel: Selection,
    decided: numpy.ndarray,
    presence: numpy.ndarray,
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
):
    """The bootstrap interval (wei_qual.reliability.BootstrapInterval) of pooled_alpha, or None when
    there is nothing to resample. Units (segments) are resampled with all their codes together."""
    from ..reliability import binary_alpha_interval

    counts, sizes = varying_counts(decided, presence) if sel.rows else (None, None)
    if not (bootstrap and decided.shape[1] and sel.rows and counts.shape[1]):
        return None
    return binary_alpha_interval(counts, sizes, n=bootstrap, seed=seed, method=ci_method)


class _Values(NamedTuple):
    """A row's presence values over the decided cells, as counts: how many are present, of how many."""

    present: int
    size: int

    def any(self) -> bool:
        return self.present > 0

    def all(self) -> bool:
        return self.present == self.size


def _code_reason(stats: dict[str, Any], values: _Values, n_units: int, n_coders: int) -> str | None:
    if n_units == 0:
        return "no unit was decided by two of the selected coders"
    if values.size and not values.any():
        return "no variation: no coder applied this code"
    if values.size and values.all():
        return "no variation: every coder applied this code to every unit"
    undefined = [
        k
        for k in ("alpha", "cohen_kappa", "fleiss_kappa", "gwet_ac1", "brennan_prediger")
        if math.isnan(stats[k])
    ]
    if undefined == ["cohen_kappa"]:
        return "cohen_kappa undefined: no pair of coders shows variation on the units both decided"
    if undefined:
        return f"{', '.join(undefined)} undefined for this selection"
    return None
