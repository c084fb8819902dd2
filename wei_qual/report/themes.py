"""Theme tables: segments and participants per code and per parent theme, optionally split by attribute.

A segment counts for a theme when the theme or any of its descendants was applied, and it counts once.
Percentages are of the participants (participant speakers of a transcript with a decided segment: one
per usual interview, two in a pair interview) in the whole study or group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..errors import ReportError
from .data import ReportData, paused_gc, themes_of
from .writers import Table

LEVELS = ("code", "theme", "both")


def pct(part: int, whole: int) -> float:
    """100 * part / whole rounded half-up to one decimal (as papers do), 0.0 for an empty whole."""
    if whole == 0:
        return 0.0
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Count:
    segments: int
    participants: int
    pct_participants: float


@dataclass
class ThemeRow:
    code: str
    name: str
    parent: str | None
    level: str  # "theme" for a code with children, else "code"
    segments: int
    participants: int
    pct_participants: float
    by: dict[str, dict[str, Count]] = field(default_factory=dict)


@dataclass
class ThemeTable:
    source: str
    level: str
    n_participants: int
    groups: dict[str, dict[str, int]]  # {attr: {value: participants}}
    rows: list[ThemeRow]
    n_transcripts: int = 0  # transcripts the participants come from

    def to_json(self) -> dict:
        """The JSON shape of docs/reports.md: {source, participants, transcripts, groups,
        rows: [{..., by: {ATTR: {VALUE: {...}}}}]}."""
        return {
            "source": self.source,
            "participants": self.n_participants,
            "transcripts": self.n_transcripts,
            "groups": self.groups,
            "rows": [
                {
                    "code": r.code,
                    "name": r.name,
                    "parent": r.parent,
                    "level": r.level,
                    "segments": r.segments,
                    "participants": r.participants,
                    "pct_participants": r.pct_participants,
                    "by": {
                        attr: {value: vars(count) for value, count in values.items()}
                        for attr, values in r.by.items()
                    },
                }
                for r in self.rows
            ],
        }

    def _group_columns(self) -> list[tuple[str, str, str]]:
        """(attr, value, header label with the group size) for every group, in order."""
        return [
            (attr, value, f"{attr}={value} (n={n})")
            for attr, values in self.groups.items()
            for value, n in values.items()
        ]

    def data_table(self) -> Table:
        """Every number in its own column (CSV, XLSX): segments, participants and % per group."""
        groups = self._group_columns()
        columns = ["code", "name", "parent", "level", "segments", "participants", "pct_participants"]
        for _, _, label in groups:
            columns += [f"{label} segments", f"{label} participants", f"{label} pct_participants"]
        rows = []
        for r in self.rows:
            row = [r.code, r.name, r.parent, r.level, r.segments, r.participants, r.pct_participants]
            for attr, value, _ in groups:
                c = r.by[attr][value]
                row += [c.segments, c.participants, c.pct_participants]
            rows.append(row)
        return Table("themes", f"Themes ({self.source})", columns, rows, self._notes())

    def display_table(self) -> Table:
        """The paper layout (terminal, Markdown): "n (%)" of participants overall and per group."""
        groups = self._group_columns()
        # Rows are in codebook order, each code right under its theme, so the parent needs no column
        # (it stays in the CSV, JSON and XLSX data).
        columns = ["Code", "Name", "Level", "Segments", f"Participants ({self.sizes()})"]
        columns += [label for _, _, label in groups]
        rows = []
        for r in self.rows:
            row = [
                r.code,
                r.name,
                r.level,
                r.segments,
                f"{r.participants} ({r.pct_participants}%)",
            ]
            for attr, value, _ in groups:
                c = r.by[attr][value]
                row.append(f"{c.participants} ({c.pct_participants}%)")
            rows.append(row)
        # On a narrow terminal names and levels move under each code; ids and counts always show.
        return Table(
            "themes",
            f"Themes ({self.source})",
            columns,
            rows,
            self._notes(),
            kinds={"Code": "id", "Name": "text", "Level": "text"},
            priority={"Name": 2, "Level": 1},
        )

    def groups_table(self) -> Table:
        """Group sizes as a table of their own (a sheet in XLSX)."""
        rows = [[attr, value, n] for attr, values in self.groups.items() for value, n in values.items()]
        return Table("groups", "Group sizes", ["attribute", "value", "participants"], rows)

    def data_tables(self) -> list[Table]:
        return [self.data_table()] + ([self.groups_table()] if self.groups else [])

    def display_tables(self) -> list[Table]:
        return [self.display_table()]

    def sizes(self) -> str:
        """`N=120`, or `N=124 in 120 transcripts` when pair or group interviews make them differ."""
        n = f"N={self.n_participants}"
        return n if self.n_participants == self.n_transcripts else f"{n} in {self.n_transcripts} transcripts"

    def _notes(self) -> list[str]:
        return [
            (
                f"Source: {self.source}. Participants: {self.n_participants} with a decided segment, in "
                f"{self.n_transcripts} transcript{'s' if self.n_transcripts != 1 else ''} (each participant "
                "speaker of a transcript counts once). "
                "A theme counts a segment once when it or any code under it was applied."
            )
        ]


@paused_gc()
def build_theme_table(data: ReportData, *, by: list[str] | None = None, level: str = "both") -> ThemeTable:
    """Count segments and participants per code and theme, overall and per attribute value. Raises ReportError."""
    if level not in LEVELS:
        raise ReportError(f'Unknown level "{level}". Pass --level code|theme|both.')
    by = list(dict.fromkeys(by or []))
    data.check_attributes(by)
    parents = themes_of(data.codebook)
    codes = [c for c in data.codebook.codes if level == "both" or (level == "theme") == (c.id in parents)]
    wanted = {c.id for c in codes}
    groups = {attr: data.group_sizes(attr) for attr in by}
    group_of = {p: {attr: data.group_of(p, attr) for attr in by} for p in data.participants}

    # Count (participant, code) pairs first (a C-level Counter over every applied code), then add
    # them up per code and per group: far fewer steps than per segment x code x attribute.
    segments = data.segments
    per_person = Counter(
        ((t, segments[(t, n)]["speaker"]), code)
        for (t, n), applied in data.applied.items()
        for code in applied
    )
    seg_count: dict[str, int] = dict.fromkeys(wanted, 0)
    people: dict[str, int] = dict.fromkeys(wanted, 0)
    g_segs: dict[tuple[str, str, str], int] = {}  # (code, attr, value) -> segments
    g_people: dict[tuple[str, str, str], int] = {}  # (code, attr, value) -> participants
    for (participant, code), n_segments in per_person.items():
        if code not in wanted:
            continue
        seg_count[code] += n_segments
        people[code] += 1
        for attr, value in group_of[participant].items():
            key = (code, attr, value)
            g_segs[key] = g_segs.get(key, 0) + n_segments
            g_people[key] = g_people.get(key, 0) + 1

    total = len(data.participants)
    rows = []
    for c in codes:
        n_people = people[c.id]
        row = ThemeRow(
            code=c.id,
            name=c.name,
            parent=c.parent,
            level="theme" if c.id in parents else "code",
            segments=seg_count[c.id],
            participants=n_people,
            pct_participants=pct(n_people, total),
        )
        for attr, sizes in groups.items():
            row.by[attr] = {}
            for value, size in sizes.items():
                k = g_people.get((c.id, attr, value), 0)
                row.by[attr][value] = Count(g_segs.get((c.id, attr, value), 0), k, pct(k, size))
        rows.append(row)
    return ThemeTable(
        source=data.source,
        level=level,
        n_participants=total,
        groups=groups,
        rows=rows,
        n_transcripts=data.transcripts,
    )
