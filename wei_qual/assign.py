"""Assign transcripts to coders, with a stratified, reproducible double-coded share."""

from __future__ import annotations

import dataclasses
import itertools
import random
import shlex
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .agree.selection import DEFAULT_CONSENSUS as CONSENSUS
from .defaults import DEFAULT_DOUBLE
from .errors import WeiQualError
from .models import study_order
from .store import transaction
from .store.assignments import assigned_transcripts, replace_assignments, save_assignment_plan
from .store.transcripts import get_attributes

MISSING = "(missing)"


@dataclass(frozen=True)
class AssignmentPlan:
    coders: tuple[str, ...]
    plan: dict[str, list[str]]  # transcript -> coders
    double: frozenset[str]  # transcripts coded by two coders
    strata: dict[tuple[str, ...], tuple[int, int]]  # stratum -> (transcripts, double-coded)
    warnings: tuple[str, ...] = ()  # packets out that hold transcripts the plan gives to others


def plan_assignment(
    transcripts: dict[str, tuple[str, ...]], coders: list[str], *, double: float, seed: int = 0
) -> AssignmentPlan:
    """Plan who codes what. `transcripts` maps id -> stratum key. Pure and reproducible for a seed.

    The double-coded count, round(double * N), is split across strata by largest remainder so the
    reliability set mirrors the study's composition; coders get equal loads and pairs rotate.
    """
    if len(set(coders)) != len(coders) or not coders:
        raise WeiQualError("--coders needs distinct coder names, e.g. --coders alice,bob,carol.")
    if not 0 <= double <= 1:
        raise WeiQualError(f"--double {double} is not a share between 0 and 1. Use e.g. --double 0.2.")
    if double > 0 and len(coders) < 2:
        raise WeiQualError("Double coding needs at least two coders. Add coders, or pass --double 0.")
    if not transcripts:
        raise WeiQualError('The project has no transcripts to assign. Run "wei-qual ingest" first.')
    rng = random.Random(seed)
    by_stratum: dict[tuple[str, ...], list[str]] = {}
    for tid in sorted(transcripts):  # text order, as ever: the same seed draws the same plan
        by_stratum.setdefault(transcripts[tid], []).append(tid)
    strata = sorted(by_stratum)

    total = round(double * len(transcripts))
    quotas = {s: double * len(by_stratum[s]) for s in strata}
    counts = {s: int(quotas[s]) for s in strata}
    by_remainder = sorted(strata, key=lambda s: (-(quotas[s] - counts[s]), s))
    for s in by_remainder[: total - sum(counts.values())]:
        counts[s] += 1

    doubles: list[str] = []
    singles: list[str] = []
    for s in strata:
        ids = list(by_stratum[s])
        rng.shuffle(ids)
        doubles += ids[: counts[s]]
        singles += ids[counts[s] :]

    load: Counter[str] = Counter({c: 0 for c in coders})
    pair_use: Counter[tuple[str, str]] = Counter({p: 0 for p in itertools.combinations(coders, 2)})
    plan: dict[str, list[str]] = {}
    for tid in doubles:
        pair = min(pair_use, key=lambda p: (load[p[0]] + load[p[1]], pair_use[p], rng.random()))
        pair_use[pair] += 1
        load.update(pair)
        plan[tid] = list(pair)
    for tid in singles:
        coder = min(coders, key=lambda c: (load[c], rng.random()))
        load[coder] += 1
        plan[tid] = [coder]
    return AssignmentPlan(
        coders=tuple(coders),
        plan={t: plan[t] for t in sorted(plan, key=study_order)},  # listed in study order (P2 before P10)
        double=frozenset(doubles),
        strata={s: (len(by_stratum[s]), counts[s]) for s in strata},
    )


def assign(
    db: Database,
    coders: list[str],
    *,
    double: float = DEFAULT_DOUBLE,
    strata: list[str] = (),
    seed: int = 0,
    actor: str | None = None,
) -> AssignmentPlan:
    """Plan and store the assignment, replacing any earlier one (audited). Raises WeiQualError."""
    # The consensus coder's decisions are written by reconcile: it codes nothing blind.
    if any(c.casefold() == CONSENSUS for c in coders):
        raise WeiQualError(
            f'"{CONSENSUS}" holds the decisions the lead reconciled, not a coder\'s own. '
            "Assign transcripts to the coders who code independently."
        )
    attributes = get_attributes(db)
    known = {name for attrs in attributes.values() for name in attrs}
    for name in strata:
        if name not in known:
            raise WeiQualError(
                f'--strata "{name}" is not an attribute of any transcript. '
                'Set it with "wei-qual ingest --attributes FILE.csv", or choose another.'
            )
    keys = {tid: tuple(attrs.get(name) or MISSING for name in strata) for tid, attrs in attributes.items()}
    result = plan_assignment(keys, list(coders), double=double, seed=seed)
    result = dataclasses.replace(result, warnings=_packets_out(db, result.plan))
    with transaction(db):
        replace_assignments(db, result.plan, set(result.double), actor=actor)
        # How the plan was drawn, for the methods report ("stratified by role and setting, seed 7").
        save_assignment_plan(
            db,
            {
                "coders": list(result.coders),
                "double": double,
                "strata": list(strata),
                "seed": seed,
                "transcripts": len(result.plan),
                "double_coded": len(result.double),
            },
        )
    return result


def _packets_out(db: Database, plan: dict[str, list[str]]) -> tuple[str, ...]:
    """A warning for each coder with a packet out that holds transcripts the new plan gives to others."""
    from .store.packets import packet_coders, packets_out_of

    warnings = []
    leaving = {
        coder: sorted(set(assigned_transcripts(db, coder)) - {t for t, cs in plan.items() if coder in cs})
        for coder in packet_coders(db)
    }
    # Only a packet still out (not merged since it was made, or merged part-way) is coded in yet.
    out = packets_out_of(db, {t for moved in leaving.values() for t in moved})
    for coder, moved in leaving.items():
        moved = [t for t in moved if any(owner == coder for owner, _ in out[t])]
        if moved:
            shown = ", ".join(moved[:5]) + (f" and {len(moved) - 5} more" if len(moved) > 5 else "")
            warnings.append(
                f"{coder} has a packet out holding {shown}, which this assignment no longer gives them: what "
                f"{coder} codes there is still merged as theirs. Once it is merged, make them a new packet for "
                f'their new share ("wei-qual packet --coder {shlex.quote(coder)} -o FILE").'
            )
    return tuple(warnings)
