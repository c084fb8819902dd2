"""The disagreement listing: every unit on which the selected coders' codes differ; and the turns consensus
decided before a coder decided them otherwise (decided_without)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store.decisions import decided_since_consensus
from .selection import Selection, Unit, select

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database


@dataclass(frozen=True)
class Disagreement:
    """A unit on which the selected coders' codes differ."""

    unit: Unit
    disputed: frozenset[str]  # applied by some deciding coders, not by all
    agreed: frozenset[str]  # applied by every deciding coder


def _compare(unit: Unit, relevant: set[str] | None) -> tuple[frozenset[str], frozenset[str]]:
    sets = [
        codes if relevant is None else codes & relevant for codes in unit.codes.values() if codes is not None
    ]
    union, common = frozenset().union(*sets), frozenset.intersection(*sets)
    return union - common, common


def list_disagreements(
    db: Database,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    transcripts: list[str] | None = None,
    include_interviewer: bool = False,
    kind: str = "interview",
    leave_idle: bool | None = None,
) -> tuple[Selection, list[Disagreement]]:
    """Every unit of `kind` where the selected coders differ (on the selected codes when codes are given);
    `leave_idle` as in select."""
    sel = select(
        db,
        coders=coders,
        codes=codes,
        transcripts=transcripts,
        include_interviewer=include_interviewer,
        kind=kind,
        leave_idle=leave_idle,
    )
    return sel, disagreements_in(sel, codes_given=bool(codes))


def disagreements_in(sel: Selection, *, codes_given: bool = False) -> list[Disagreement]:
    """The disagreements among a selection's units (on its code rows' codes when `codes_given`)."""
    relevant = set().union(*sel.members.values()) if codes_given else None
    units = sel.units
    if relevant is None and sel.sets is not None:  # the code sets are worked out: skip the agreed units
        units = [units[i] for i in disputed_units(sel)]
    out = []
    for unit in units:
        if relevant is None:  # on all codes the coders differ exactly where their sets are not all equal
            decided = [codes for codes in unit.codes.values() if codes is not None]
            if decided.count(decided[0]) == len(decided):
                continue
        disputed, agreed = _compare(unit, relevant)
        if disputed:
            out.append(Disagreement(unit, disputed, agreed))
    return out


def disputed_units(sel: Selection) -> list[int]:
    """The indices of the selection's units on which the deciding coders' codes are not all the same
    (the units of disagreements_in without codes_given), from its code sets (matrix.code_sets): equal
    code sets share one index there, so the coders differ where the indices they decided differ."""
    import numpy as np

    from .matrix import code_sets

    ids = code_sets(sel, sel.units).ids
    decided = ids > 0
    low = np.where(decided, ids, np.iinfo(ids.dtype).max).min(axis=0, initial=np.iinfo(ids.dtype).max)
    high = ids.max(axis=0, initial=0)
    return np.flatnonzero(decided.any(axis=0) & (low != high)).tolist()


def disagreement_rows(sel: Selection, disagreements: list[Disagreement]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the disagreement listing: one column per attribute and per coder."""
    attributes = sorted({name for d in disagreements for name in d.unit.attributes})
    header = ["transcript", "segment", "speaker", *attributes, *sel.coders, "disputed", "text"]
    rows = []
    for d in disagreements:
        u = d.unit
        rows.append(
            [
                u.transcript,
                str(u.segment),
                u.speaker or "",
                *[u.attributes.get(a) or "" for a in attributes],
                *[_codes_text(u.codes[c]) for c in sel.coders],
                ";".join(sorted(d.disputed)),
                u.text,
            ]
        )
    return header, rows


def decided_without(
    db: Database, consensus: str, units: Iterable[Unit] | None = None, coders: Iterable[str] | None = None
) -> list[tuple[str, int, list[str]]]:
    """(transcript, n, coders): the disputes reconcile's lead never saw, the turns consensus decided by
    hand on which those coders' decisions were saved since, otherwise than consensus
    (store.decisions.decided_since_consensus), within `units`, of `coders` (default: every coder; one
    the lead leaves out with --coders is left out here too)."""
    keep = None if units is None else {(u.transcript, u.segment) for u in units}
    names = None if coders is None else set(coders)
    found: dict[tuple[str, int], list[str]] = {}
    for t, n, coder in decided_since_consensus(db, consensus):
        if (keep is None or (t, n) in keep) and (names is None or coder in names):
            found.setdefault((t, n), []).append(coder)
    return [(t, n, coders) for (t, n), coders in found.items()]


def _codes_text(codes: frozenset[str] | None) -> str:
    """A coder's codes as in the decisions CSV: ;-separated; "(nothing)" for an empty decision, "" if undecided."""
    if codes is None:
        return ""
    return ";".join(sorted(codes)) if codes else "(nothing)"
