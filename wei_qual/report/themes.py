"""Theme tables: segments and participants per code and per parent theme, optionally split by attribute.

A segment counts for a theme when the theme or any of its descendants was applied, and it counts once.
Percentages are of the participants (participant speakers of a transcript with a decided segment: one
per usual interview, two in a pair interview) in the whole study or group. With kind "document" the
documents (with a decided segment) are counted instead, and with "all" both, side by side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain

from ..errors import ReportError
from ..models import DOCUMENT_KIND, INTERVIEW_KIND, Where, value_order
from .data import Participant, ReportData, paused_gc, themes_of
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
    documents: int = 0
    pct_documents: float = 0.0

    def to_json(self, kind: str) -> dict:
        out = {
            "segments": self.segments,
            "participants": self.participants,
            "pct_participants": self.pct_participants,
        }
        if kind != INTERVIEW_KIND:
            out |= {"documents": self.documents, "pct_documents": self.pct_documents}
        return out


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
    documents: int = 0  # documents carrying the code (kind document or all)
    pct_documents: float = 0.0


@dataclass
class ThemeTable:
    source: str
    level: str
    n_participants: int
    groups: dict[str, dict[str, int]]  # {attr: {value: participants}}
    rows: list[ThemeRow]
    n_transcripts: int = 0  # transcripts the participants come from
    kind: str = INTERVIEW_KIND  # interview, document or all
    n_documents: int = 0  # documents with a decided segment (kind document or all)
    document_groups: dict[str, dict[str, int]] = field(default_factory=dict)  # {attr: {value: documents}}
    where: Where = field(default_factory=Where)  # --where: the participants (and documents) counted
    where_note: str = ""  # what --where kept, said first in the notes

    @property
    def counts_participants(self) -> bool:
        return self.kind != DOCUMENT_KIND

    @property
    def counts_documents(self) -> bool:
        return self.kind != INTERVIEW_KIND

    def to_json(self) -> dict:
        """The JSON shape of docs/reports.md: {source, kind, participants, transcripts, groups,
        rows: [{..., by: {ATTR: {VALUE: {...}}}}]}; with kind document or all also documents,
        document_groups and, in each row and group, documents and pct_documents."""
        out = {
            "source": self.source,
            "kind": self.kind,
            **self.where.to_json(),  # where, where_not
            "participants": self.n_participants,
            "transcripts": self.n_transcripts,
            "groups": self.groups,
        }
        if self.counts_documents:
            out |= {"documents": self.n_documents, "document_groups": self.document_groups}
        rows = []
        for r in self.rows:
            row = {
                "code": r.code,
                "name": r.name,
                "parent": r.parent,
                "level": r.level,
                "segments": r.segments,
                "participants": r.participants,
                "pct_participants": r.pct_participants,
            }
            if self.counts_documents:
                row |= {"documents": r.documents, "pct_documents": r.pct_documents}
            row["by"] = {
                attr: {value: count.to_json(self.kind) for value, count in values.items()}
                for attr, values in r.by.items()
            }
            rows.append(row)
        out["rows"] = rows
        return out

    def _units(self) -> list[str]:
        """What the table counts: participants, documents, or both (kind all)."""
        return [
            u
            for u, on in (("participants", self.counts_participants), ("documents", self.counts_documents))
            if on
        ]

    def _group_columns(self) -> list[tuple[str, str, str, str]]:
        """(attr, value, unit, header label with the group size) for every group, in order: each attribute's
        participant groups, then its document groups (`role=officer (n=6)`, `jurisdiction=A documents (n=1)`)."""
        out = []
        for attr in dict.fromkeys([*self.groups, *self.document_groups]):
            for unit in self._units():
                sizes = (self.groups if unit == "participants" else self.document_groups).get(attr, {})
                what = "" if unit == "participants" else " documents"
                out += [(attr, value, unit, f"{attr}={value}{what} (n={n})") for value, n in sizes.items()]
        return out

    def data_table(self) -> Table:
        """Every number in its own column (CSV, XLSX): segments, participants and % (and documents and %
        with kind document or all) overall and per group."""
        groups = self._group_columns()
        units = self._units()
        columns = ["code", "name", "parent", "level", "segments"]
        columns += [c for u in units for c in (u, f"pct_{u}")]
        for _, _, unit, label in groups:
            if unit == "participants":
                columns += [f"{label} segments", f"{label} participants", f"{label} pct_participants"]
            else:
                columns += [f"{label} documents", f"{label} pct_documents"]
        rows = []
        for r in self.rows:
            row = [r.code, r.name, r.parent, r.level, r.segments]
            for u in units:
                row += (
                    [r.participants, r.pct_participants]
                    if u == "participants"
                    else [r.documents, r.pct_documents]
                )
            for attr, value, unit, _ in groups:
                c = r.by[attr][value]
                if unit == "participants":
                    row += [c.segments, c.participants, c.pct_participants]
                else:
                    row += [c.documents, c.pct_documents]
            rows.append(row)
        return Table("themes", self.title(), columns, rows, self._notes())

    def display_table(self) -> Table:
        """The paper layout (terminal, Markdown): "n (%)" of participants (and documents) overall and per group."""
        groups = self._group_columns()
        # Rows are in codebook order, each code right under its theme, so the parent needs no column
        # (it stays in the CSV, JSON and XLSX data).
        columns = ["Code", "Name", "Level", "Segments"]
        if self.counts_participants:
            columns.append(f"Participants ({self.sizes()})")
        if self.counts_documents:
            columns.append(f"Documents (N={self.n_documents})")
        columns += [label for _, _, _, label in groups]
        rows = []
        for r in self.rows:
            row = [r.code, r.name, r.level, r.segments]
            if self.counts_participants:
                row.append(f"{r.participants} ({r.pct_participants}%)")
            if self.counts_documents:
                row.append(f"{r.documents} ({r.pct_documents}%)")
            for attr, value, unit, _ in groups:
                c = r.by[attr][value]
                row.append(
                    f"{c.participants} ({c.pct_participants}%)"
                    if unit == "participants"
                    else f"{c.documents} ({c.pct_documents}%)"
                )
            rows.append(row)
        # On a narrow terminal names and levels move under each code; ids and counts always show.
        return Table(
            "themes",
            self.title(),
            columns,
            rows,
            self._notes(),
            kinds={"Code": "id", "Name": "text", "Level": "text"},
            priority={"Name": 2, "Level": 1},
        )

    def groups_table(self) -> Table:
        """Group sizes as a table of their own (a sheet in XLSX)."""
        if not self.counts_documents:
            rows = [[attr, value, n] for attr, values in self.groups.items() for value, n in values.items()]
            return Table("groups", "Group sizes", ["attribute", "value", "participants"], rows)
        values = {
            (attr, value): None
            for sizes in (self.groups, self.document_groups)
            for attr, counts in sizes.items()
            for value in counts
        }
        rows = [
            [
                attr,
                value,
                self.groups.get(attr, {}).get(value, 0),
                self.document_groups.get(attr, {}).get(value, 0),
            ]
            for attr, value in values
        ]
        return Table("groups", "Group sizes", ["attribute", "value", "participants", "documents"], rows)

    def data_tables(self) -> list[Table]:
        return [self.data_table()] + ([self.groups_table()] if self.groups or self.document_groups else [])

    def display_tables(self) -> list[Table]:
        return [self.display_table()]

    def title(self) -> str:
        """ "Themes (consensus)", "Themes (consensus, where setting=rural)": a filtered table says so."""
        return f"Themes ({self.source}{f', where {self.where.said()}' if self.where else ''})"

    def sizes(self) -> str:
        """`N=120`, or `N=124 in 120 transcripts` when pair or group interviews make them differ."""
        n = f"N={self.n_participants}"
        return n if self.n_participants == self.n_transcripts else f"{n} in {self.n_transcripts} transcripts"

    def _notes(self) -> list[str]:
        counted = []
        if self.counts_participants:
            counted.append(
                f"Participants: {self.n_participants} with a decided segment, in "
                f"{self.n_transcripts} transcript{'s' if self.n_transcripts != 1 else ''} (each participant "
                "speaker of a transcript counts once)."
            )
        if self.counts_documents:
            counted.append(
                f"Documents: {self.n_documents} with a decided segment (a document counts once for a code "
                "when any of its segments carries it)."
            )
        return [self.where_note] * bool(self.where_note) + [
            f"Source: {self.source}. "
            + " ".join(counted)
            + " A theme counts a segment once when it or any code under it was applied."
        ]


@paused_gc(freeze=True)
def build_theme_table(data: ReportData, *, by: list[str] | None = None, level: str = "both") -> ThemeTable:
    """Count segments and participants per code and theme, overall and per attribute value. Raises ReportError."""
    if level not in LEVELS:
        raise ReportError(f'Unknown level "{level}". Pass --level code|theme|both.')
    by = list(dict.fromkeys(by or []))
    data.check_attributes(by)
    parents = themes_of(data.codebook)
    codes = [c for c in data.codebook.codes if level == "both" or (level == "theme") == (c.id in parents)]
    wanted = {c.id for c in codes}
    people_only = [p for p in data.participants if not data.is_document(p)]
    docs_only = [p for p in data.participants if data.is_document(p)]
    if data.documents:
        groups = {attr: _sizes(data, people_only, attr) for attr in by}
        doc_groups = {attr: _sizes(data, docs_only, attr) for attr in by}
    else:  # the usual interview report: exactly as before documents existed
        groups = {attr: data.group_sizes(attr) for attr in by}
        doc_groups = {}
    group_of = {p: {attr: data.group_of(p, attr) for attr in by} for p in data.participants}

    # Count (participant, code) pairs first, then add them up per code and per group: far fewer steps
    # than per segment x code x attribute. Each participant's code sets are counted by one C-level
    # Counter over them all, not a Python step per applied code (the study applies 96,000).
    segments = data.segments
    sets_of: dict[Participant, list[frozenset[str]]] = {}
    for (t, n), applied in data.applied.items():
        who = (t, segments[(t, n)]["speaker"])
        held = sets_of.get(who)
        if held is None:
            sets_of[who] = [applied]
        else:
            held.append(applied)
    per_person = {
        (participant, code): k
        for participant, sets in sets_of.items()
        for code, k in Counter(chain.from_iterable(sets)).items()
    }
    seg_count: dict[str, int] = dict.fromkeys(wanted, 0)
    people: dict[str, int] = dict.fromkeys(wanted, 0)
    docs: dict[str, int] = dict.fromkeys(wanted, 0)
    g_segs: dict[tuple[str, str, str], int] = {}  # (code, attr, value) -> segments
    g_people: dict[tuple[str, str, str], int] = {}  # (code, attr, value) -> participants
    g_docs: dict[tuple[str, str, str], int] = {}  # (code, attr, value) -> documents
    documents = data.documents
    for (participant, code), n_segments in per_person.items():
        if code not in wanted:
            continue
        seg_count[code] += n_segments
        is_doc = participant[0] in documents
        counter, g_counter = (docs, g_docs) if is_doc else (people, g_people)
        counter[code] += 1
        for attr, value in group_of[participant].items():
            key = (code, attr, value)
            g_segs[key] = g_segs.get(key, 0) + n_segments
            g_counter[key] = g_counter.get(key, 0) + 1

    total, n_docs = len(people_only), len(docs_only)
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
            documents=docs[c.id],
            pct_documents=pct(docs[c.id], n_docs),
        )
        for attr in by:
            row.by[attr] = {}
            values = {**groups.get(attr, {}), **doc_groups.get(attr, {})}
            for value in sorted(values, key=value_order):
                key = (c.id, attr, value)
                k, d = g_people.get(key, 0), g_docs.get(key, 0)
                row.by[attr][value] = Count(
                    g_segs.get(key, 0),
                    k,
                    pct(k, groups.get(attr, {}).get(value, 0)),
                    d,
                    pct(d, doc_groups.get(attr, {}).get(value, 0)),
                )
        rows.append(row)
    return ThemeTable(
        source=data.source,
        level=level,
        n_participants=total,
        groups=groups,
        rows=rows,
        n_transcripts=len({t for t, _ in people_only}),
        kind=data.kind,
        n_documents=n_docs,
        document_groups=doc_groups,
        where=data.where,
        # Percentages of the kept participants must not be read as the whole study's.
        where_note=data.where_note(": percentages are of them, not of the whole study") if data.where else "",
    )


def _sizes(data: ReportData, participants: list, attr: str) -> dict[str, int]:
    """Participants (or documents) per value of `attr`, in value_order (numbers by value, MISSING last)."""
    sizes: dict[str, int] = {}
    for p in participants:
        g = data.group_of(p, attr)
        sizes[g] = sizes.get(g, 0) + 1
    return {k: sizes[k] for k in sorted(sizes, key=value_order)}
