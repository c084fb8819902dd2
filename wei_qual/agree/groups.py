"""Exclusive groups: each is one nominal variable, measured with nominal alpha.

A coder's value on a unit is the child applied, "(none)" when no child was applied, and the "+"-joined
children when the coder broke exclusivity (a value of its own).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .result import GroupAgreement, _num
from .selection import Selection, Unit

if TYPE_CHECKING:  # numpy is heavy: keep it out of `wei-qual --help`
    import numpy

NONE_VALUE = "(none)"


def measure_groups(
    sel: Selection,
    units: list[Unit],
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    sets: tuple[numpy.ndarray, list] | None = None,
) -> list[GroupAgreement]:
    """Nominal alpha and percent agreement for each exclusive group of the selection (`sets`:
    matrix.code_sets(sel, units), when the caller has it)."""
    import numpy as np

    from ..reliability import coded_coefficients
    from .matrix import code_sets

    ids, distinct = sets if sets is not None else code_sets(sel, units)
    group_results = []
    for parent, children in sel.groups.items():
        # Each distinct code set's value once; the matrix is then category indices (-1: not decided).
        members = frozenset(children)
        values = [_group_value(applied, members) for applied in distinct[1:]]
        categories = sorted(set(values))
        index = {value: i for i, value in enumerate(categories)}
        lookup = np.array([-1, *(index[v] for v in values)], dtype=np.int64)
        stats = coded_coefficients(lookup[ids], categories, bootstrap=bootstrap, seed=seed, method=ci_method)
        group_results.append(
            GroupAgreement(
                group=parent,
                n_units=stats["n_units"],
                alpha=_num(stats["alpha"]),
                alpha_ci=(_num(stats["alpha_ci"][0]), _num(stats["alpha_ci"][1])),
                percent_agreement=_num(stats["percent_agreement"]),
                reason=_group_reason([categories], stats["alpha"], len(units)),  # every value seen
                ci_undefined=stats["alpha_ci_undefined"],
                ci_note=stats["alpha_ci_reason"],
            )
        )
    return group_results


def _group_value(applied: frozenset[str] | None, children: Iterable[str]) -> str | None:
    if applied is None:
        return None
    chosen = applied.intersection(children)
    if not chosen:
        return NONE_VALUE
    return "+".join(sorted(chosen)) if len(chosen) > 1 else next(iter(chosen))


def _group_reason(matrix: list[list[str | None]], alpha: float, n_units: int) -> str | None:
    if n_units == 0:
        return "no unit was decided by two of the selected coders"
    if not math.isnan(alpha):
        return None
    values = {v for row in matrix for v in row if v is not None}
    if values == {NONE_VALUE}:
        return "no variation: no coder applied any code of this group"
    if len(values) == 1:
        return f"no variation: every coder chose {values.pop()} on every unit"
    return "undefined: no variation among units decided by two coders"
