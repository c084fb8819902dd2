"""Units coded under different codebook versions: compared as they are, but said.

A coder who coded a unit under version 1 could not apply a code version 2 added; agreement counts that
code as absent in their decision, which reads as a disagreement. Renamed and merged codes are not such
gaps: loading the new version moved their decisions to the new ids.

agreement_warnings gathers what agree warns of the units it rests on (this, and thin coders); the HTML
report calls it without loading the rest of agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..store.codebooks import code_moves_since, get_active_codebook, get_codebook, iter_codebook_versions
from .selection import thin_coders

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database


def version_mix(db: Database, coders: list[str], units: Sequence[tuple[str, int]]) -> str | None:
    """A warning naming how many of `units` ((transcript, segment) decided by two or more of `coders`)
    were decided under more than one codebook version, and the active version's codes one of those
    versions lacked; None when none were."""
    if len(iter_codebook_versions(db)) < 2 or not units:
        return None
    marks = ", ".join("?" for _ in coders)
    version = {
        (t, n, coder): v
        for t, n, coder, v in db.execute(
            "SELECT s.transcript_id, s.n, d.coder_id, d.codebook_id FROM decisions d "
            f"JOIN segments s ON s.id = d.segment_id WHERE d.coder_id IN ({marks})",
            list(coders),
        ).fetchall()
    }
    mixed, seen, every = 0, set(), set()
    for t, n in units:
        used = {version[(t, n, c)] for c in coders if (t, n, c) in version}
        every |= used
        if len(used) > 1:
            mixed += 1
            seen |= used
    active = get_active_codebook(db)
    if not mixed:
        return _never_available(db, active, every)
    lacking: list[str] = []
    parents = {c.parent for c in active[1].codes if c.parent} if active else set()
    for v in sorted(x for x in seen if x is not None):
        ids = _applicable(db, v)
        lacking += [
            c.id
            for c in (active[1].codes if active else ())
            if c.id not in parents and c.id not in ids and c.renamed_from not in ids and c.id not in lacking
        ]
    versions = ", ".join(
        str(v) if v is not None else "unknown" for v in sorted(seen, key=lambda x: (x is None, x or 0))
    )
    return (
        f"{mixed:,} of the {len(units):,} units were coded under different codebook versions ({versions}): "
        "a code one version lacks counts as not applied by whoever coded under it"
        + (f" ({', '.join(lacking)})" if lacking else "")
        + ". Recode those units under the active version to compare like with like."
    )


def _applicable(db: Database, version: int) -> set[str]:
    """The ids a coder could apply under `version`, as the versions since name them: its leaf codes (a
    theme heading is not applied; one a later version made a code again was not there to apply), each
    under the id a later rename or merge moved its decisions to."""
    book = get_codebook(db, version)
    if book is None:
        return set()
    heads = {c.parent for c in book.codes if c.parent}
    moves = code_moves_since(db, version)
    return {moves.get(c.id, c.id) for c in book.codes if c.id not in heads}


def _never_available(db: Database, active, used: set) -> str | None:
    """A warning naming the active version's codes that no version the units were coded under had (added
    since, a split's new codes): every coder "agrees" they are absent, which measures nothing."""
    if active is None or not used or None in used or used == {active[0]}:
        return None
    had: set[str] = set()
    for v in used:
        had |= _applicable(db, v)
    parents = {c.parent for c in active[1].codes if c.parent}
    never = [
        c.id
        for c in active[1].codes
        if c.id not in parents and c.id not in had and (c.renamed_from is None or c.renamed_from not in had)
    ]
    if not never:
        return None
    return (
        f"every unit was coded under an earlier codebook version ({', '.join(map(str, sorted(used)))}) that did "
        f"not have {', '.join(never)}: no coder could apply them, so their agreement measures nothing. Recode "
        'the units under the active version ("wei-qual code --coder NAME --recode").'
    )


def agreement_warnings(
    db: Database, coders: list[str], units: list[tuple[str, int]], counts: dict[str, int] | None = None
) -> list[str]:
    """What agree warns about the units an agreement of `coders` rests on (`units`: (transcript, segment)
    decided by two or more of them): units coded under different codebook versions, and, given `counts`
    (units each coder decided), coders who decided few of them, whose pairs weigh as much as any in the
    mean pairwise κ (a report that shows no κ passes none). The HTML report says the same of its chart."""
    found = [version_mix(db, coders, units)]
    if counts is not None:
        found.append(thin_coders(counts, len(units)))
    return [w for w in found if w]
