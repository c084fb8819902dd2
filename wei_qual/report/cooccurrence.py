"""Code co-occurrence: for each pair of codes, the segments where both apply, and their Jaccard index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import ReportError
from ..models import Where
from .data import ReportData, paused_gc, themes_of
from .themes import LEVELS
from .writers import Fixed, Table

JACCARD_DIGITS = 3
DATA_COLUMNS = ("code_a", "code_b", "segments_both", "segments_a", "segments_b", "jaccard")
DISPLAY_COLUMNS = ("Code A", "Code B", "Segments with both", "Segments with A", "Segments with B", "Jaccard")


@dataclass
class Pair:
    a: str
    b: str
    segments: int  # segments where both apply
    jaccard: float  # both / either, rounded to 3 decimals


@dataclass
class Group:
    """The pairs among the segments of one --by group's participants (`role=officer`)."""

    attribute: str
    value: str
    participants: int
    segments: int  # decided segments of the group's participants
    counts: dict[str, int]  # segments per code
    pairs: list[Pair]

    def label(self) -> str:
        """As the theme table heads a group: `role=officer (n=6)`."""
        return f"{self.attribute}={self.value} (n={self.participants})"

    def to_json(self) -> dict:
        return {
            "attribute": self.attribute,
            "value": self.value,
            "participants": self.participants,
            "segments": self.segments,
            "codes": [{"code": c, "segments": k} for c, k in self.counts.items()],
            "pairs": [vars(p) for p in self.pairs],
        }


@dataclass
class Cooccurrence:
    source: str
    level: str
    min_segments: int
    codes: list[tuple[str, str]]  # (id, name) in codebook order
    counts: dict[str, int]  # segments per code
    both: dict[tuple[str, str], int]  # (a, b) in codebook order -> segments where both apply
    pairs: list[Pair]  # pairs with at least min_segments, most frequent first
    only: list[str] = field(default_factory=list)  # --code: the pairs of these codes only
    warnings: list[str] = field(default_factory=list)  # an asked pair applied together nowhere
    where: Where = field(default_factory=Where)  # --where: the participants counted
    by: list[str] = field(default_factory=list)  # --by attributes
    groups: list[Group] = field(default_factory=list)  # per value of each --by attribute
    participants: int = 0  # participants with a decided segment (after --where)
    segments: int = 0  # their decided segments
    where_note: str = ""  # what --where kept, said first in every table's notes (the XLSX sheets too)

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "level": self.level,
            "min": self.min_segments,
            "only": self.only,
            **self.where.to_json(),  # where, where_not
            "by": self.by,
            "participants": self.participants,
            "segments": self.segments,
            "codes": [{"code": c, "name": n, "segments": self.counts[c]} for c, n in self.codes],
            "pairs": [vars(p) for p in self.pairs],
            "groups": [g.to_json() for g in self.groups],
        }

    def _title(self, group: Group | None = None) -> str:
        which = ""
        if self.only:
            which = f"with {self.only[0]}, " if len(self.only) == 1 else f"among {', '.join(self.only)}, "
        where = f", where {self.where.said()}" if self.where else ""
        return (
            f"Co-occurrence ({self.source}, pairs {which}in at least {self.min_segments} segment"
            f"{'' if self.min_segments == 1 else 's'}{where}){f': {group.label()}' if group else ''}"
        )

    def _pair_rows(self, group: Group | None = None) -> list[list]:
        counts, pairs = (group.counts, group.pairs) if group else (self.counts, self.pairs)
        return [
            [p.a, p.b, p.segments, counts[p.a], counts[p.b], Fixed(p.jaccard, JACCARD_DIGITS)] for p in pairs
        ]

    def _jaccard_note(self) -> str:
        return (
            "Jaccard: segments with both codes over segments with either "
            f"({JACCARD_DIGITS} decimals). Source: {self.source}."
        )

    def pairs_table(self) -> Table:
        """The pairs for R, Stata or a spreadsheet (CSV, XLSX): snake_case column names; with --by, each
        group's pairs too, under `attribute` and `value` (empty on the whole study's rows)."""
        note = (
            f"Pairs of codes applied together to at least {self.min_segments} of the decided participant "
            "segments, most frequent first; segments_a and segments_b: the segments with each code."
        )
        if not self.by:
            return Table(
                "pairs",
                self._title(),
                list(DATA_COLUMNS),
                self._pair_rows(),
                [*self._where(), note, self._jaccard_note()],
            )
        rows = [["", "", *row] for row in self._pair_rows()]
        for g in self.groups:
            rows += [[g.attribute, g.value, *row] for row in self._pair_rows(g)]
        note += (
            " The whole study's pairs first (attribute and value empty), then each group's, counted among "
            "the segments of its participants."
        )
        return Table(
            "pairs",
            self._title(),
            ["attribute", "value", *DATA_COLUMNS],
            rows,
            [*self._where(), note, self._jaccard_note()],
        )

    def _where(self) -> list[str]:
        return [self.where_note] if self.where_note else []

    def groups_table(self) -> Table:
        """Group sizes as a table of their own (a sheet in XLSX), as the theme table has."""
        rows = [[g.attribute, g.value, g.participants, g.segments] for g in self.groups]
        return Table("groups", "Group sizes", ["attribute", "value", "participants", "segments"], rows)

    def display_table(self, group: Group | None = None) -> Table:
        """The pairs for reading (terminal, Markdown, HTML): headers in words."""
        return Table(
            "pairs",
            self._title(group),
            list(DISPLAY_COLUMNS),
            self._pair_rows(group),
            [*self._where(), self._jaccard_note()],
            kinds={"Code A": "id", "Code B": "id"},
            priority={"Segments with A": 2, "Segments with B": 1},
        )

    def data_tables(self) -> list[Table]:
        groups = [self.groups_table()] if self.by else []
        return [self.pairs_table(), *groups, self.matrix_table(), self.jaccard_table()]

    def display_tables(self) -> list[Table]:
        return [self.display_table()] + [self.display_table(g) for g in self.groups]

    def count(self, a: str, b: str) -> int:
        """Segments where both apply (the code's own count on the diagonal)."""
        if a == b:
            return self.counts[a]
        return self.both.get((a, b), self.both.get((b, a), 0))

    def matrix_table(self) -> Table:
        ids = [c for c, _ in self.codes]
        rows = [[a] + [self.count(a, b) for b in ids] for a in ids]
        note = (
            "The decided participant segments where both codes apply; on the diagonal, the segments with "
            f"the code. Source: {self.source}."
        )
        return Table(
            "matrix", "Segments where both codes apply", ["code"] + ids, rows, [*self._where(), note]
        )

    def jaccard_table(self) -> Table:
        ids = [c for c, _ in self.codes]
        rows = [
            [a]
            + [Fixed(_jaccard(self.count(a, b), self.counts[a], self.counts[b]), JACCARD_DIGITS) for b in ids]
            for a in ids
        ]
        return Table("jaccard", "Jaccard index", ["code"] + ids, rows, [*self._where(), self._jaccard_note()])


def _jaccard(both: int, a: int, b: int) -> float:
    either = a + b - both
    return round(both / either, 3) if either else 0.0


def _count(
    applied: Iterable[frozenset[str]], position: dict[str, int]
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Segments per code, and per pair (in codebook order) where both apply."""
    counts = dict.fromkeys(position, 0)
    both: dict[tuple[str, str], int] = {}
    # Segments share code sets (the reader hands out one object per distinct set): count each set
    # once, weighted by how many segments have it.
    for codes, weight in Counter(applied).items():
        present = sorted((c for c in codes if c in position), key=position.__getitem__)
        for i, a in enumerate(present):
            counts[a] += weight
            for b in present[i + 1 :]:
                both[(a, b)] = both.get((a, b), 0) + weight
    return counts, both


def _pairs(
    counts: dict[str, int],
    both: dict[tuple[str, str], int],
    min_segments: int,
    only: list[str],
    position: dict[str, int],
) -> list[Pair]:
    """The pairs in `min_segments` or more segments (with `only`: theirs), most frequent first."""
    pairs = [
        Pair(a, b, k, _jaccard(k, counts[a], counts[b])) for (a, b), k in both.items() if k >= min_segments
    ]
    if len(only) == 1:
        pairs = [p for p in pairs if only[0] in (p.a, p.b)]
    elif only:
        asked = set(only)
        pairs = [p for p in pairs if p.a in asked and p.b in asked]
    pairs.sort(key=lambda p: (-p.segments, -p.jaccard, position[p.a], position[p.b]))
    return pairs


@paused_gc(freeze=True)
def build_cooccurrence(
    data: ReportData,
    *,
    level: str = "code",
    min_segments: int = 1,
    only: list[str] | None = None,
    by: list[str] | None = None,
) -> Cooccurrence:
    """Count co-applied code pairs over the decided segments (of the participants data.where keeps), and
    with `by` within each value of those attributes. `only` (--code): one code keeps the pairs that have
    it, several the pairs among them. Raises ReportError."""
    if level not in LEVELS:
        raise ReportError(f'Unknown level "{level}". Pass --level code|theme|both.')
    if min_segments < 1:
        raise ReportError(f"--min must be at least 1, not {min_segments}. Pass --min 1 or more.")
    by = list(dict.fromkeys(by or []))
    data.check_attributes(by)
    parents = themes_of(data.codebook)
    codes = [
        (c.id, c.name)
        for c in data.codebook.codes
        if level == "both" or (level == "theme") == (c.id in parents)
    ]
    position = {c: i for i, (c, _) in enumerate(codes)}
    only = list(dict.fromkeys(only or []))
    data.check_codes(only)
    for code in only:
        if code not in position:
            fix = "theme or both" if code in parents else "code or both"
            what = "a theme" if code in parents else "not a theme"
            raise ReportError(f'"{code}" is {what}, which --level {level} does not pair: pass --level {fix}.')
    counts, both = _count(data.applied.values(), position)
    pairs = _pairs(counts, both, min_segments, only, position)
    warnings = []
    if data.where and not data.applied:
        warnings += data.kept_nobody("every count is 0")
    elif len(only) > 1:
        # A pair asked for by name that is not listed is said, not left to read as a missing row.
        for i, a in enumerate(only):
            for b in only[i + 1 :]:
                k = both.get((a, b), both.get((b, a), 0))
                if k < min_segments:
                    where = (
                        "no segment"
                        if not k
                        else f"{k:,} segment{'s' if k != 1 else ''}, under --min {min_segments}"
                    )
                    warnings.append(
                        f'"{a}" and "{b}" are applied together on {where} ({a} on {counts[a]:,}, {b} on '
                        f"{counts[b]:,} segments; source {data.source})."
                    )
    groups = [g for attr in by for g in _groups(data, attr, position, min_segments, only)]
    return Cooccurrence(
        data.source,
        level,
        min_segments,
        codes,
        counts,
        both,
        pairs,
        only,
        warnings,
        where=data.where,
        by=by,
        groups=groups,
        participants=len(data.participants),
        segments=len(data.applied),
        where_note=data.where_note(": the segments counted are theirs") if data.where else "",
    )


def _groups(
    data: ReportData, attr: str, position: dict[str, int], min_segments: int, only: list[str]
) -> list[Group]:
    """A Group per value of `attr` (in the theme table's order: numbers by value, then (missing))."""
    group_of = {p: data.group_of(p, attr) for p in data.participants}
    sets: dict[str, list[frozenset[str]]] = {}
    segments = data.segments
    for key, applied in data.applied.items():
        sets.setdefault(group_of[(key[0], segments[key]["speaker"])], []).append(applied)
    out = []
    for value, n in data.group_sizes(attr).items():
        counts, both = _count(sets.get(value, []), position)
        pairs = _pairs(counts, both, min_segments, only, position)
        out.append(Group(attr, value, n, len(sets.get(value, [])), counts, pairs))
    return out
