"""What every report reads: the codes applied to each participant segment under one source.

A source is the consensus coder, one named coder, or a rule over the independent coders
(`majority`: applied by more than half of the coders who decided the segment; `union`: by any).
Interviewer turns are left out of every report: a theme is "raised" by participants (issue #7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import ReportError
from ..models import PARTICIPANT, Codebook
from ..store.codebooks import get_active_codebook
from ..store.decisions import iter_coders, iter_decision_codes
from ..store.transcripts import get_attributes, iter_segments

CONSENSUS = "consensus"  # the coder name reconciliation stores consensus decisions under
MAJORITY = "majority"
UNION = "union"
MISSING = "(missing)"  # group of participants who have no value for a --by attribute

SegmentKey = tuple[str, int]  # (transcript id, 1-based segment number)


@dataclass
class ReportData:
    """The coded participant segments of a project under one source, ready to count."""

    source: str
    codebook: Codebook
    codebook_version: int
    segments: dict[SegmentKey, dict]  # decided participant segments (store rows), in transcript order
    applied: dict[SegmentKey, frozenset[str]]  # codes applied, with every ancestor theme added
    coder_codes: dict[SegmentKey, list[frozenset[str]]]  # independent coders' codes (with ancestors)
    attributes: dict[str, dict[str, str]]  # {transcript: {name: value}}
    coders: list[str]  # independent coders (consensus excluded)
    with_coders: bool = True  # False when coder_codes was not read (see load_report_data)
    participants: list[str] = field(default_factory=list)  # transcripts with a decided segment
    participant_segments: int = 0  # participant segments in the project, decided or not

    def group_of(self, transcript: str, attr: str) -> str:
        """The participant's value of `attr`, or MISSING."""
        value = self.attributes.get(transcript, {}).get(attr)
        return MISSING if value in (None, "") else value

    def group_sizes(self, attr: str) -> dict[str, int]:
        """Participants per value of `attr`, values sorted, MISSING last."""
        sizes: dict[str, int] = {}
        for t in self.participants:
            g = self.group_of(t, attr)
            sizes[g] = sizes.get(g, 0) + 1
        return {k: sizes[k] for k in sorted(sizes, key=lambda v: (v == MISSING, v))}

    def check_attributes(self, attrs: list[str]) -> None:
        """Raise ReportError for an attribute no transcript has."""
        known = sorted({name for values in self.attributes.values() for name in values})
        for attr in attrs:
            if attr not in known:
                listed = ", ".join(known) or "none"
                raise ReportError(
                    f'No transcript has the attribute "{attr}" (known: {listed}). '
                    'Pass one of those to --by, or add it with "wei-qual ingest --attributes".'
                )

    def check_codes(self, codes: list[str]) -> None:
        """Raise ReportError for a code id that is not in the active codebook."""
        for code in codes:
            if self.codebook.code(code) is None:
                raise ReportError(
                    f'Code "{code}" is not in the active codebook "{self.codebook.name}". '
                    'Check the ids with "wei-qual codebook show".'
                )


def ancestors_map(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Each code id -> itself and every ancestor theme (nearest first)."""
    parents = {c.id: c.parent for c in codebook.codes}
    result: dict[str, tuple[str, ...]] = {}
    for code in codebook.codes:
        chain, seen, cur = [], set(), code.id
        while cur is not None and cur in parents and cur not in seen:  # `seen` guards a cyclic tree
            chain.append(cur)
            seen.add(cur)
            cur = parents[cur]
        result[code.id] = tuple(chain)
    return result


def themes_of(codebook: Codebook) -> set[str]:
    """Ids of codes that have children (parent themes)."""
    return {c.parent for c in codebook.codes if c.parent is not None}


def load_report_data(db: Database, *, source: str | None = None, with_coders: bool = False) -> ReportData:
    """Read the project under `source` (None: consensus when it exists). Raises ReportError.

    The independent coders' decisions (for quotes' agreement and the HTML agreement chart) are read
    only when `with_coders` or the source needs them: on a study-sized project they are most of the work.
    """
    active = get_active_codebook(db)
    if active is None:
        raise ReportError('No codebook is loaded in this project. Load one with "wei-qual codebook load".')
    version_id, codebook = active
    known = frozenset(c.id for c in codebook.codes)
    above = {code: chain[1:] for code, chain in ancestors_map(codebook).items()}  # ancestors only
    expanded: dict[frozenset[str], frozenset[str]] = {}

    def with_themes(codes: frozenset[str]) -> frozenset[str]:
        """The codes with every ancestor theme added. Codes missing from the active codebook (older
        versions) are dropped: they have no row. Memoised, as a study has few distinct code sets."""
        result = expanded.get(codes)
        if result is None:
            kept = codes & known
            result = expanded[codes] = kept.union(*(above[c] for c in kept))
        return result

    all_coders = iter_coders(db)
    independent = [c for c in all_coders if c != CONSENSUS]
    rule = source in (MAJORITY, UNION)
    if rule and not independent:
        raise ReportError(
            f"--source {source} needs decisions by independent coders, and this project has none. "
            'Import some with "wei-qual decisions import", or use --source consensus.'
        )
    own = [] if rule else iter_decision_codes(db, coders=[source or CONSENSUS])
    if source is None and not own:
        raise ReportError(
            "This project has no consensus decisions, so the report needs a source. "
            'Choose one with --source CODER|majority|union, or reconcile first with "wei-qual reconcile".'
        )
    source = source or CONSENSUS
    if not rule and not own:
        listed = ", ".join(all_coders) or "none"
        raise ReportError(
            f'No decisions by "{source}" in this project (coders: {listed}). '
            "Pass --source consensus, a coder's name, majority or union."
        )
    others = iter_decision_codes(db, coders=independent) if (rule or with_coders) and independent else []

    participant_rows = {(r["transcript_id"], r["n"]): r for r in iter_segments(db, role=PARTICIPANT)}
    source_codes: dict[SegmentKey, frozenset[str]] = {}
    for transcript, n, _, codes in own:
        key = (transcript, n)
        if key in participant_rows:
            source_codes[key] = with_themes(codes)
    coder_codes: dict[SegmentKey, list[frozenset[str]]] = {}
    raw_codes: dict[SegmentKey, list[frozenset[str]]] = {}
    for transcript, n, _, codes in others:
        key = (transcript, n)
        if key in participant_rows:
            coder_codes.setdefault(key, []).append(with_themes(codes))
            if rule:
                raw_codes.setdefault(key, []).append(codes)

    if rule:
        for key, sets in raw_codes.items():
            counts: dict[str, int] = {}
            for codes in sets:
                for c in codes:
                    counts[c] = counts.get(c, 0) + 1
            # The rule applies to codes as applied; themes follow from the codes that hold, so a
            # theme's count is never above the union of its codes' counts.
            need = 1 if source == UNION else len(sets) // 2 + 1
            source_codes[key] = with_themes(frozenset(c for c, k in counts.items() if k >= need))

    if not source_codes:
        raise ReportError(
            f'No participant segment has a decision from source "{source}". '
            'Code some with "wei-qual code", or pass another --source.'
        )
    ordered = sorted(source_codes)  # transcript id, then segment number
    segments = {key: participant_rows[key] for key in ordered}
    return ReportData(
        source=source,
        codebook=codebook,
        codebook_version=version_id,
        segments=segments,
        applied={key: source_codes[key] for key in ordered},
        coder_codes=coder_codes,
        attributes=get_attributes(db),
        coders=independent,
        with_coders=bool(rule or with_coders),
        participants=sorted({t for t, _ in ordered}),
        participant_segments=len(participant_rows),
    )
