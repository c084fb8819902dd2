"""Exclusive groups: each is one nominal variable, measured with nominal alpha.

A coder's value on a unit is the child applied, "(none)" when no child was applied, and the "+"-joined
children when the coder broke exclusivity (a value of its own).
"""

from __future__ import annotations

import math

from .result import GroupAgreement, _num
from .selection import Selection, Unit

NONE_VALUE = "(none)"


def measure_groups(
    sel: Selection, units: list[Unit], *, bootstrap: int, seed: int, ci_method: str
) -> list[GroupAgreement]:
    """Nominal alpha and percent agreement for each exclusive group of the selection."""
    from ..reliability import all_coefficients

    group_results = []
    for parent, children in sel.groups.items():
        values: dict[frozenset[str] | None, str | None] = {}  # units share their code-set objects

        def value(applied, children=children, values=values):
            got = values.get(applied, values)
            if got is values:
                got = values[applied] = _group_value(applied, children)
            return got

        matrix = [[value(unit.codes[coder]) for unit in units] for coder in sel.coders]
        stats = all_coefficients(matrix, bootstrap=bootstrap, seed=seed, method=ci_method)
        group_results.append(
            GroupAgreement(
                group=parent,
                n_units=stats["n_units"],
                alpha=_num(stats["alpha"]),
                alpha_ci=(_num(stats["alpha_ci"][0]), _num(stats["alpha_ci"][1])),
                percent_agreement=_num(stats["percent_agreement"]),
                reason=_group_reason(matrix, stats["alpha"], len(units)),
                ci_undefined=stats["alpha_ci_undefined"],
                ci_note=stats["alpha_ci_reason"],
            )
        )
    return group_results


def _group_value(applied: frozenset[str] | None, children: list[str]) -> str | None:
    if applied is None:
        return None
    chosen = sorted(set(children) & applied)
    return "+".join(chosen) if chosen else NONE_VALUE


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
