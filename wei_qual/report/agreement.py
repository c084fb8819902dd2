"""Krippendorff's alpha per code for the HTML report's agreement chart.

Computed from the independent coders' decisions the report already holds, on the units
`wei-qual agree` uses: participant segments decided by at least two coders; the value of a code
on a unit is its presence (1) or absence (0). For two values, nominal alpha has a closed form in
counts (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", section C):

    alpha = 1 - (n - 1) * sum_u yes_u * no_u / (m_u - 1) / (n_yes * n_no)

where unit u was decided by m_u coders, yes_u of whom applied the code, n = sum_u m_u and n_yes,
n_no are the totals of yes and no over the units. It needs no coincidence matrix and no numpy, so
all codes take one pass over the units; tests check it equals `wei_qual.agree.measure`.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from .data import ReportData, SegmentKey, paused_gc, themes_of


def double_coded(data: ReportData) -> list[SegmentKey]:
    """The units of the agreement chart: participant segments two or more independent coders decided."""
    return [key for key, sets in data.coder_codes.items() if len(sets) >= 2]


def agreement_note(warning: str) -> str:
    """One of agree's warnings as the HTML report's notes give it: naming the section it is about."""
    return f"agreement per code: {warning}"


def no_agreement_text(coders: list[str]) -> str:
    """Why the report measures no agreement (no segment two independent `coders` decided), lower case as
    a note continues it: a single-coder study is told it has one coder, not that agreement cannot be
    measured "yet"."""
    if not coders:
        return (
            "no independent coder's decisions are stored (only the source's), so agreement between coders "
            "cannot be measured."
        )
    if len(coders) == 1:
        return (
            f"one independent coder ({coders[0]}) decided segments, so none was coded independently by two "
            "coders and agreement between coders cannot be measured."
        )
    names = ", ".join(coders[:-1]) + " and " + coders[-1]
    return (
        f"no participant segment was decided by two of the independent coders ({names}), so agreement "
        "between coders cannot be measured: it needs segments two coders decide (wei-qual assign)."
    )


def units_applied(data: ReportData) -> Counter[str]:
    """code id -> double-coded units any coder applied it to: agree's units_applied, whose count under
    MIN_UNITS_APPLIED makes a code's verdict "too few"."""
    return Counter(
        chain.from_iterable(frozenset().union(*sets) for sets in data.coder_codes.values() if len(sets) >= 2)
    )


@paused_gc(freeze=True)
def alpha_per_code(data: ReportData, *, themes: bool = False) -> list[tuple[str, str, float | None, int]]:
    """(code id, name, alpha or None when undefined, units) for each code, in codebook order.

    Leaf codes only unless `themes` (a theme is present when any code under it was applied).
    Undefined (None): no pairable unit, or every value the same (no variation).
    """
    if not data.with_coders:
        raise ValueError("agreement needs the coders' decisions: load_report_data(..., with_coders=True)")
    parents = themes_of(data.codebook)
    # Agree measures no split code's decisions before recoding (data.with_split_stubs): nor does the chart.
    codes = [c for c in data.codebook.codes if (themes or c.id not in parents) and not c.split_into]
    units = {key: sets for key, sets in data.coder_codes.items() if len(sets) >= 2}
    n = sum(map(len, units.values()))  # pairable values of every code
    yes = Counter(chain.from_iterable(chain.from_iterable(units.values())))  # coders applying each code
    # yes_u * no_u / (m_u - 1) is 1 for every code applied by some but not all coders when m_u <= 3
    # (1 * 1 / 1; 1 * 2 / 2; 2 * 1 / 2): count those codes in one go, and work out larger units.
    agreed = data.agreed_codes
    disagreement: dict[str, float] = Counter(
        chain.from_iterable(
            sets[0].union(*sets[1:]) - agreed[key] for key, sets in units.items() if len(sets) <= 3
        )
    )
    for sets in units.values():
        m = len(sets)
        if m > 3:
            for code, k in Counter(chain.from_iterable(sets)).items():
                if k < m:
                    disagreement[code] = disagreement.get(code, 0) + k * (m - k) / (m - 1)
    result = []
    for code in codes:
        n_yes = yes.get(code.id, 0)
        n_no = n - n_yes
        alpha = None
        if n_yes and n_no:
            alpha = 1 - (n - 1) * disagreement.get(code.id, 0) / (n_yes * n_no)
        result.append((code.id, code.name, alpha, len(units)))
    return result


@paused_gc(freeze=True)
def alpha_intervals(
    data: ReportData, *, bootstrap: int = 1000, seed: int = 0
) -> tuple[dict[str, tuple[float, float] | None], list[tuple[str, str]]]:
    """Each leaf code's 95% bootstrap interval of alpha (percentile, resampling units), or None when
    there is none, and (code, note) for each interval resting on many undefined draws: the same as
    `wei-qual agree --bootstrap N --seed S` gives (same units, same draws; no interval on one unit)."""
    import numpy as np

    from ..reliability import presence_intervals

    parents = themes_of(data.codebook)
    codes = [c.id for c in data.codebook.codes if c.id not in parents and not c.split_into]
    units = [sets for sets in data.coder_codes.values() if len(sets) >= 2]
    if not bootstrap or len(units) < 2:  # one unit resamples to itself: agree gives it no interval
        return dict.fromkeys(codes), []
    column = {code: j for j, code in enumerate(codes)}
    # Units share their code-set objects: each distinct set becomes one row of 0/1 columns, each
    # unit's row is the sum of its coders' set rows (exact small integers in float32).
    index: dict[frozenset[str], int] = {}
    flat = [index.setdefault(codes_, len(index)) for sets in units for codes_ in sets]
    distinct = list(index)
    set_of = np.repeat(np.arange(len(distinct)), [len(codes_) for codes_ in distinct])
    code_of = [column.get(code, len(codes)) for codes_ in distinct for code in codes_]
    holds = np.zeros((len(distinct), len(codes) + 1), dtype=np.float32)  # last column: themes, ignored
    holds[set_of, np.array(code_of, dtype=np.int64)] = 1
    starts = np.cumsum([0, *(len(sets) for sets in units[:-1])])
    applied = np.add.reduceat(holds[np.array(flat, dtype=np.int64)], starts, axis=0)[:, :-1].astype(float)
    decided = np.array([len(sets) for sets in units], dtype=float)
    intervals = presence_intervals(applied, decided, n=bootstrap, seed=seed, n_coders=len(data.coders))
    result: dict[str, tuple[float, float] | None] = {}
    notes = []
    for code, interval in zip(codes, intervals):
        defined = not (np.isnan(interval.low) or np.isnan(interval.high))
        result[code] = (interval.low, interval.high) if defined else None
        if interval.draws and interval.reason:  # agree's ci_note
            notes.append((code, interval.reason))
    return result, notes
