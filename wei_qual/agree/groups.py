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

    from .matrix import CodeSets

NONE_VALUE = "(none)"


def measure_groups(
    sel: Selection,
    units: list[Unit],
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    sets: CodeSets | None = None,
) -> list[GroupAgreement]:
    """Nominal alpha and percent agreement for each exclusive group of the selection (`sets`:
    matrix.code_sets(sel, units), when the caller has it)."""
    from ..reliability import coded_coefficients
    from .matrix import code_sets

    sets = sets if sets is not None else code_sets(sel, units)
    group_results = []
    for parent, children in sel.groups.items():
        categories, lookup = _group_categories(sets, children)
        values = lookup[sets.ids]  # coder x unit: the value's index among categories, -1 not decided
        none = categories.index(NONE_VALUE) if NONE_VALUE in categories else -1
        # Units two coders decided on which a coder applied one of the group's codes: as a code's count,
        # so one agreed turn and "(none)" everywhere else is "too few", not α 1.000 "reliable".
        applied = ((values >= 0) & (values != none)).any(axis=0) & ((values >= 0).sum(axis=0) >= 2)
        stats = coded_coefficients(
            lookup[sets.ids], categories, bootstrap=bootstrap, seed=seed, method=ci_method
        )
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
                units_applied=int(applied.sum()),
            )
        )
    return group_results


def _group_categories(sets: CodeSets, children: Iterable[str]) -> tuple[list[str], numpy.ndarray]:
    """The group's values seen, sorted (the categories all_coefficients would find), and for each
    distinct set the index of its value (_group_value) among them; -1 for sets.sets[0], not decided.
    The sets fall into few patterns of the children they hold: each pattern's value is worked out once."""
    import numpy as np

    names = sorted(set(children))
    held = [(name, sets.columns[name]) for name in names if name in sets.columns]
    bits = sets.holds[1:, [column for _, column in held]] > 0
    patterns, inverse = np.unique(bits @ (1 << np.arange(len(held), dtype=np.int64)), return_inverse=True)
    values = [
        "+".join(name for b, (name, _) in enumerate(held) if pattern >> b & 1) or NONE_VALUE
        for pattern in patterns.tolist()
    ]
    categories = sorted(set(values))
    index = np.array([categories.index(value) for value in values], dtype=np.int64)
    return categories, np.concatenate([[-1], index[inverse]]).astype(np.int64)


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
