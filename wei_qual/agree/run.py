"""Measuring agreement on a project: select the units, measure every code row and exclusive group,
pool, and repeat per stratum with --by. The --min-alpha gate is below()."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import AgreementError
from ..gcpause import paused_gc
from ..models import spelled_apart
from ..parallel import in_background
from .diagnostics import DEFAULT_BATCH, check_batch, diagnose
from .groups import measure_groups
from .matrix import code_sets, column_sets, measure_codes, pooled, presence_matrices, restricted
from .result import ONE_UNIT, AgreementResult, CodeAgreement, _num, too_few_groups_note
from .selection import (
    Selection,
    Unit,
    idle_note,
    lone_note,
    select,
    single_copies_note,
    thin_coders,
    thin_names,
)
from .strata import attribute_values, strata
from .versions import agreement_warnings

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 0
DEFAULT_CI_METHOD = "units"


@paused_gc(freeze=True)
def measure(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    by: str | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
    ci_method: str = DEFAULT_CI_METHOD,
    include_interviewer: bool = False,
    kind: str = "interview",
    diagnostics: bool = False,
    batch: str = DEFAULT_BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> AgreementResult:
    """Agreement per code, per exclusive group and overall (and per value of attribute `by`), over the
    units of `kind` (interview: participant turns; document; all).

    With `diagnostics`, the result also carries the coder diagnostics (agree.diagnostics) on the same
    units, agreement over time in batches of `batch` units (or "week"). Raises AgreementError for an
    unknown coder, code, transcript or attribute, fewer than two coders, coders with no segment in
    common, a bad batch, or no codebook.
    """
    from ..reliability import CI_METHODS

    if ci_method not in CI_METHODS:
        raise AgreementError(f'Unknown bootstrap method "{ci_method}". Use --ci-method units or kalpha.')
    if bootstrap < 0:
        raise AgreementError(f"--bootstrap must be 0 (no intervals) or a number of draws, got {bootstrap}.")
    if diagnostics:
        batch = check_batch(batch)
    sel = select(
        db,
        coders=coders,
        codes=codes,
        transcripts=transcripts,
        include_interviewer=include_interviewer,
        kind=kind,
    )
    # Checked and read once, here: the strata and the spelling warning below share it.
    values = attribute_values(db, by) if by is not None else None
    measured = start_measuring(
        db,
        sel,
        by=by,
        by_values=values,
        bootstrap=bootstrap,
        seed=seed,
        ci_method=ci_method,
        diagnostics=diagnostics,
        batch=batch,
        on_progress=on_progress,
    )
    result = measured()[0]
    # A value spelled two ways ("Rural", "rural"): one stratum, named. Here, not in start_measuring: the
    # methods passage prints its agreement's warnings in its prose, and says this one among its own.
    spelled = spelled_apart(by, values[1]) if by is not None and values is not None else []
    return dataclasses.replace(result, warnings=[*result.warnings, *spelled]) if spelled else result


def start_measuring(
    db: Database,
    sel: Selection,
    *,
    by: str | None = None,
    by_values: tuple[set[str], dict[str, str]] | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
    ci_method: str = DEFAULT_CI_METHOD,
    diagnostics: bool = False,
    batch: str = DEFAULT_BATCH,
    batch_intervals: bool = True,
    on_progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], Any] | None = None,
) -> Callable[[], tuple[AgreementResult, Any]]:
    """measure() on a selection already made (so a caller that needs it for more than agreement, such
    as the methods passage, reads the decisions once), in two halves: the strata of `by` and the
    diagnostics are measured on the second CPU, when there is one (parallel.in_background), while this
    process measures the whole selection. batch_intervals: see diagnose. by_values: strata.attribute_values
    of `by`, when the caller has read them (else read here, which raises AgreementError for an unknown one).
    The returned function waits for them and gives the result, with that of `meanwhile()`: a caller's
    own work for the second CPU (it must not use the database), None without. A caller with work of
    its own that needs the database (the methods passage) does it before calling that function."""
    options = {"bootstrap": bootstrap, "seed": seed, "ci_method": ci_method}
    if diagnostics:
        batch = check_batch(batch)
    # Every value a participant has is listed: one with no double-coded unit says so, not vanishes.
    values, spellings = (by_values or attribute_values(db, by)) if by is not None else (set(), {})
    parts = strata(sel.units, by, values, spellings) if by is not None else {}
    sets = code_sets(sel, sel.units)  # worked out once, here, for this process and the child
    # The units each coder decided: their code sets there are not set 0 (not decided).
    counts = dict(zip(sel.coders, (sets.ids > 0).sum(axis=1).tolist()))

    def rest():
        subsets = {value: measure_units(sel, units, **options) for value, units in parts.items()}
        # A coder thin in a subset only (carol coded one provider transcript) weighs as much there in
        # its mean κ; one thin overall is named once, above, not again for every subset.
        named = set(thin_names(counts, len(sel.units)))
        for value, units in parts.items():
            there = {c: sum(u.codes.get(c) is not None for u in units) for c in sel.coders if c not in named}
            thin = thin_coders({c: n for c, n in there.items() if n}, len(units))
            # A group on one turn of a subset reads 1.000 there as on the whole: said as at the top.
            few = too_few_groups_note(subsets[value].groups)
            said = [note for note in (thin, few) if note]
            if said:
                subsets[value] = dataclasses.replace(subsets[value], warnings=said)
        found = None
        if diagnostics:
            found = diagnose(sel, sel.units, batch=batch, batch_intervals=batch_intervals, **options)
        return subsets, found, meanwhile() if meanwhile else None

    wait = None
    if parts or diagnostics or meanwhile:
        _import_for_both(groups=bool(sel.groups))
        wait = in_background(rest)
    result = measure_units(sel, sel.units, on_progress=on_progress, **options)
    warnings = agreement_warnings(db, sel.coders, [(u.transcript, u.segment) for u in sel.units], counts)
    if sel.idle:
        warnings.append(idle_note(sel.idle, len(sel.units)) + ".")
    if sel.single_copies:
        warnings.append(single_copies_note(sel.single_copies))
    lone = lone_note(sel.lone, len(sel.units))
    if lone:
        warnings.append(lone)
    if warnings:
        result = dataclasses.replace(result, warnings=warnings)

    def finish() -> tuple[AgreementResult, Any]:
        if wait is None:
            return result, None
        subsets, found, other = wait()
        if on_progress:  # the strata's codes, measured meanwhile
            for subset in subsets.values():
                on_progress(len(subset.codes))
        done = dataclasses.replace(result, by={by: subsets}) if by is not None else result
        return dataclasses.replace(done, diagnostics=found) if diagnostics else done, other

    return finish


def _import_for_both(*, groups: bool) -> None:
    """Import here, before the fork, what both processes then measure with: imported after it, each
    process paid for it again (10 ms of CPU). The coefficients, their bootstraps'
    generator and, for an exclusive group, the krippendorff package its alpha comes from."""
    import numpy.random  # noqa: F401

    from .. import reliability  # noqa: F401

    if groups:
        import krippendorff  # noqa: F401


def measure_units(
    sel: Selection,
    units: list[Unit],
    *,
    bootstrap: int,
    seed: int,
    ci_method: str,
    on_progress: Callable[[int], None] | None = None,
) -> AgreementResult:
    """Agreement of the selection on these units (all of them, or one stratum)."""
    import numpy as np

    n_units = len(units)
    # One unit resamples to itself in every draw: an interval of zero width that says nothing.
    options = {"bootstrap": bootstrap if n_units != 1 else 0, "seed": seed, "ci_method": ci_method}
    sets = code_sets(sel, units)
    decided, presence = presence_matrices(sel, units, sets)
    code_results = measure_codes(sel, decided, presence, on_progress=on_progress, **options)
    group_results = measure_groups(sel, units, sets=sets, **options)
    pooled_value, pooled_ci = pooled(sel, decided, presence, **options)
    defined = [c.alpha for c in code_results if c.alpha is not None]
    reason = None
    if n_units == 0:
        reason = "no unit in this subset was decided by two of the selected coders"
    elif n_units == 1 and bootstrap:
        reason = ONE_UNIT
    return AgreementResult(
        coders=list(sel.coders),
        units=n_units,
        codes=code_results,
        groups=group_results,
        alpha_pooled=_num(pooled_value),
        alpha_mean=float(np.mean(defined)) if defined else None,
        bootstrap=bootstrap,
        seed=seed,
        ci_method=ci_method,
        reason=reason,
        alpha_pooled_ci=(_num(pooled_ci.low), _num(pooled_ci.high)) if pooled_ci else (None, None),
        alpha_pooled_ci_undefined=pooled_ci.undefined if pooled_ci else 0,
        alpha_pooled_ci_note=pooled_ci.reason if pooled_ci and pooled_ci.draws else None,
        transcripts=len({u.transcript for u in units}),
    )


@dataclasses.dataclass(frozen=True)
class PooledAgreement:
    """Pooled alpha over every code row with its bootstrap CI: the part of AgreementResult that the
    methods passage reports for each coder against consensus."""

    units: int
    alpha_pooled: float | None
    alpha_pooled_ci: tuple[float | None, float | None]


@paused_gc(freeze=True)
def measure_pooled(sel: Selection, *, bootstrap: int, seed: int, ci_method: str) -> PooledAgreement:
    """Pooled alpha and its CI over the selection's units: the same values as measure_units gives in
    alpha_pooled and alpha_pooled_ci, without the per-code coefficients and their bootstraps."""
    decided, presence = presence_matrices(sel, sel.units)
    return _pooled_agreement(sel, decided, presence, bootstrap=bootstrap, seed=seed, ci_method=ci_method)


def _pooled_agreement(sel: Selection, decided, presence, **options) -> PooledAgreement:
    value, ci = pooled(sel, decided, presence, **options)
    n_units = decided.shape[1]
    return PooledAgreement(n_units, _num(value), (_num(ci.low), _num(ci.high)) if ci else (None, None))


@paused_gc(freeze=True)
def measure_pairs(
    sel: Selection, coders: list[str], other: str, *, bootstrap: int, seed: int, ci_method: str
) -> dict[str, PooledAgreement]:
    """Each coder against `other` (all of them in sel.coders): measure_pooled(narrow(sel, [coder, other]))
    for every coder who shares a unit with `other`, from one pair of presence matrices of `sel`. The
    pair's units are the units both decided, in the same order, so the values and the draws are the
    same (tested)."""
    decided, presence = presence_matrices(sel, sel.units)
    j = sel.coders.index(other)
    rows = [sel.coders.index(coder) for coder in coders]
    return _against(
        sel, coders, decided[rows], presence[rows], decided[j], presence[j], bootstrap, seed, ci_method
    )


@paused_gc(freeze=True)
def measure_beside(
    sel: Selection, other: str, *, bootstrap: int, seed: int, ci_method: str
) -> dict[str, PooledAgreement]:
    """Each coder of the selection against the coder read beside it (select(beside=other)) on the
    selection's units: measure_pairs of the selection with `other` among its coders, on the same units
    (those two of sel.coders decided), without building a second selection. The same values (tested)."""
    decided, presence = presence_matrices(sel, sel.units)
    beside = sel.beside[other]
    other_decided, other_presence = presence_matrices(sel, sel.units, column_sets([beside], len(beside)))
    options = (bootstrap, seed, ci_method)
    return _against(sel, sel.coders, decided, presence, other_decided[0], other_presence[0], *options)


def _against(sel, coders, decided, presence, other_decided, other_presence, bootstrap, seed, ci_method):
    """Pooled agreement of each coder (rows of `decided` and `presence`) with the other coder."""
    import numpy as np

    found = {}
    for i, coder in enumerate(coders):
        pair_decided = np.stack([decided[i], other_decided])
        keep = pair_decided.sum(axis=0) >= 2
        if keep.any():  # else no unit in common: narrow gives None
            found[coder] = _pooled_agreement(
                sel,
                pair_decided[:, keep],
                np.stack([presence[i], other_presence])[:, keep],
                bootstrap=bootstrap,
                seed=seed,
                ci_method=ci_method,
            )
    return found


def narrow(sel: Selection, coders: list[str]) -> Selection | None:
    """The selection of `coders` (a subset of sel.coders) over the units at least two of them decided,
    as select(coders=coders) would make it from the same decisions; None when there is no such unit.
    Its code sets are taken from sel's (matrix.code_sets, worked out here when they are not yet)."""
    units, kept = [], []
    for i, unit in enumerate(sel.units):
        codes = {c: unit.codes.get(c) for c in coders}
        if sum(v is not None for v in codes.values()) >= 2:
            times = {c: t for c, t in unit.decided_utc.items() if c in codes and codes[c] is not None}
            units.append(
                Unit(
                    unit.transcript,
                    unit.segment,
                    unit.speaker,
                    unit.role,
                    unit.text,
                    unit.attributes,
                    codes,
                    times,
                    unit.label,
                    unit.page,
                    unit.end_page,
                )
            )
            kept.append(i)
    if not units:
        return None
    # The single-coded copies left out were a copier's: without it among `coders`, none is left out.
    copies = sel.single_copies if sel.copiers & set(coders) else 0
    # lone is of the whole selection's coders: a narrower one is not said (lone=()).
    narrowed = dataclasses.replace(sel, coders=list(coders), units=units, single_copies=copies, lone=())
    narrowed.sets = restricted(code_sets(sel, sel.units), [sel.coders.index(c) for c in coders], kept)
    return narrowed


def below(result: AgreementResult, min_alpha: float) -> list[CodeAgreement]:
    """Codes whose alpha is defined and below min_alpha."""
    return [c for c in result.codes if c.alpha is not None and c.alpha < min_alpha]


@dataclasses.dataclass(frozen=True)
class Gate:
    """What --min-alpha found over the whole selection, codes and exclusive groups alike. Each item is
    (scope "code" or "group", name, α, units applied). It fails when an α is below the bar, or reaches it
    on too few units to judge (verdict "too few": 1.000 from one agreed turn vouches for nothing), or
    when nothing had an α to judge. An undefined α is not judged (nobody applied the code: no α exists)."""

    min_alpha: float
    below: list[tuple[str, str, float, int | None]]
    too_few: list[tuple[str, str, float, int | None]]
    undefined: list[tuple[str, str]]
    judged: int  # codes and groups with a defined α

    @property
    def passed(self) -> bool:
        return self.judged > 0 and not self.below and not self.too_few

    def to_dict(self) -> dict[str, Any]:
        def item(scope, name, alpha=None, applied=None, *, with_alpha=True):
            found = {"scope": scope, "name": name}
            if with_alpha:
                found |= {"alpha": alpha, "units_applied": applied}
            return found

        return {
            "min_alpha": self.min_alpha,
            "passed": self.passed,
            "judged": self.judged,
            "below": [item(*i) for i in self.below],
            "too_few": [item(*i) for i in self.too_few],
            "undefined": [item(*i, with_alpha=False) for i in self.undefined],
        }


def gate(result: AgreementResult, min_alpha: float) -> Gate:
    """The --min-alpha gate over the codes and exclusive groups of the whole selection (not its --by
    subsets: fewer units, a less certain α, a gate that would fail by chance)."""
    rows = [("code", c.code, c) for c in result.codes] + [("group", g.group, g) for g in result.groups]
    below_bar, few, undefined = [], [], []
    for scope, name, row in rows:
        if row.alpha is None:
            undefined.append((scope, name))
        elif row.alpha < min_alpha:
            below_bar.append((scope, name, row.alpha, row.units_applied))
        elif row.too_few:
            few.append((scope, name, row.alpha, row.units_applied))
    judged = len(rows) - len(undefined)
    return Gate(min_alpha, below_bar, few, undefined, judged)
