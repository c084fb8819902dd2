"""Krippendorff's alpha per code for the HTML report's agreement chart.

Computed from the independent coders' decisions the report already holds, on the units
`wei-qual agree` uses: participant segments decided by at least two coders; the value of a code
on a unit is its presence (1) or absence (0). Alpha (nominal) depends only on how many coders gave
each value to each unit, so the `krippendorff` package is called with those value counts directly:
one vectorised call per code, fast on a study-sized project.
"""

from __future__ import annotations

from .data import ReportData, themes_of


def alpha_per_code(data: ReportData, *, themes: bool = False) -> list[tuple[str, str, float | None, int]]:
    """(code id, name, alpha or None when undefined, units) for each code, in codebook order.

    Leaf codes only unless `themes` (a theme is present when any code under it was applied).
    Undefined (None): fewer than one pairable unit, or every value the same (no variation).
    """
    import krippendorff
    import numpy as np

    if not data.with_coders:
        raise ValueError("agreement needs the coders' decisions: load_report_data(..., with_coders=True)")
    parents = themes_of(data.codebook)
    codes = [c for c in data.codebook.codes if themes or c.id not in parents]
    column = {c.id: i for i, c in enumerate(codes)}
    units = [sets for sets in data.coder_codes.values() if len(sets) >= 2]
    # Coders who applied each code on each unit, counted with one bincount over (unit, code) cells.
    cells = [
        u * len(codes) + column[code]
        for u, sets in enumerate(units)
        for applied in sets
        for code in applied
        if code in column
    ]
    present = np.bincount(np.array(cells, dtype=np.int64), minlength=len(units) * len(codes)).reshape(
        len(units), len(codes)
    )
    coders = np.array([len(sets) for sets in units], dtype=np.int64)
    result = []
    for code in codes:
        yes = present[:, column[code.id]]
        no = coders - yes
        alpha = None
        if len(units) and yes.sum() and no.sum():
            counts = np.stack([no, yes], axis=1)
            alpha = float(
                krippendorff.alpha(value_counts=counts, value_domain=[0, 1], level_of_measurement="nominal")
            )
        result.append((code.id, code.name, alpha, len(units)))
    return result
