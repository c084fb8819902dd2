"""Code rows as reliability matrices: presence (1) or absence (0) of each code row for every coder and
unit, with every coefficient per row and alpha pooled over all (unit, code) values.

A parent code named with --codes gets a "theme" row: present when the parent or any of its descendants
was applied. numpy is imported inside the functions (via wei_qual.reliability).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .result import CodeAgreement, _num
from .selection import Selection, Unit

if TYPE_CHECKING:  # numpy is heavy: keep it out of `wei-qual --help`
    import numpy


def presence_matrices(sel: Selection, units: list[Unit]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """decided[coder, unit] and presence[coder, unit, row] as boolean arrays."""
    import numpy as np

    n_coders, n_units = len(sel.coders), len(units)
    decided = np.zeros((n_coders, n_units), dtype=bool)
    presence = np.zeros((n_coders, n_units, len(sel.rows)), dtype=bool)
    column_of: dict[str, list[int]] = {}
    for j, row in enumerate(sel.rows):
        for member in sel.members[row]:
            column_of.setdefault(member, []).append(j)
    # Flat indices of the true cells, set in one assignment; units share their code-set objects, so
    # each distinct set is turned into row columns once.
    columns: dict[frozenset[str], list[int]] = {}
    n_rows = len(sel.rows)
    on: list[int] = []
    seen: list[int] = []
    for i, coder in enumerate(sel.coders):
        for u, unit in enumerate(units):
            applied = unit.codes[coder]
            if applied is None:
                continue
            seen.append(i * n_units + u)
            js = columns.get(applied)
            if js is None:
                js = columns[applied] = sorted({j for code in applied for j in column_of.get(code, ())})
            if js:
                base = (i * n_units + u) * n_rows
                on.extend(base + j for j in js)
    if seen:
        decided.reshape(-1)[np.array(seen, dtype=np.int64)] = True
    if on:
        presence.reshape(-1)[np.array(on, dtype=np.int64)] = True
    return decided, presence


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
    import numpy as np

    from ..reliability import all_coefficients

    n_coders, n_units = decided.shape
    code_results = []
    for j, row in enumerate(sel.rows):
        matrix = np.where(decided, presence[:, :, j], np.nan)
        stats = all_coefficients(matrix, bootstrap=bootstrap, seed=seed, method=ci_method)
        values = presence[:, :, j][decided]
        prevalence = float(values.mean()) if values.size else math.nan
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
            )
        )
        if on_progress:
            on_progress(1)
    return code_results


def pooled_alpha(sel: Selection, decided: numpy.ndarray, presence: numpy.ndarray) -> float:
    """Alpha over every (unit, code) presence value; nan when there is no unit or no code row."""
    from ..reliability import binary_alpha_from_counts

    if not (decided.shape[1] and sel.rows):
        return math.nan
    # From per-unit counts: the same value as krippendorff_alpha on the pooled matrix, without building
    # a coders x (units x codes) matrix.
    return binary_alpha_from_counts(presence.sum(axis=0), decided.sum(axis=0)[:, None])


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

    if not (bootstrap and decided.shape[1] and sel.rows):
        return None
    return binary_alpha_interval(
        presence.sum(axis=0), decided.sum(axis=0), n=bootstrap, seed=seed, method=ci_method
    )


def _code_reason(stats: dict[str, Any], values, n_units: int, n_coders: int) -> str | None:
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
