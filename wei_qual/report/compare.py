"""Policy and practice: a code x group table (e.g. by jurisdiction) of what the documents say and what
participants raise.

For each code (or theme) and each value of the attribute, a cell holds:

- which of that group's documents carry the code, with section references (§4.2, else the heading, page
  or segment number);
- how many of that group's participants raised it, out of how many, and the share;
- a status: `both`, `policy only` (a document carries it, no participant raised it), `practice only`
  (participants raised it, no document carries it), `neither`; `no documents` or `no participants`
  when the group has none coded.

Documents and participants count when they have a decided segment under the report's source; a theme
counts when it or any code under it was applied (as in report themes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ReportError
from ..models import ALL_KINDS, DOCUMENT_KIND, study_order
from .data import MISSING, ReportData, paused_gc, themes_of
from .themes import LEVELS, pct
from .writers import Table

DEFAULT_COMPARE_BY = "jurisdiction"
BOTH, POLICY_ONLY, PRACTICE_ONLY, NEITHER = "both", "policy only", "practice only", "neither"
NO_DOCUMENTS, NO_PARTICIPANTS = "no documents", "no participants"


@dataclass
class Cell:
    """One code in one group: the documents that carry it (with references) and the participants who raised it."""

    documents: dict[str, list[str]]  # document id -> section references, for the documents carrying the code
    n_documents: int  # the group's documents with a decided segment
    participants: int
    n_participants: int  # the group's participants with a decided segment

    @property
    def pct_participants(self) -> float:
        return pct(self.participants, self.n_participants)

    @property
    def status(self) -> str:
        if not self.n_documents:
            return NO_DOCUMENTS
        if not self.n_participants:
            return NO_PARTICIPANTS
        policy, practice = bool(self.documents), bool(self.participants)
        return {(True, True): BOTH, (True, False): POLICY_ONLY, (False, True): PRACTICE_ONLY}.get(
            (policy, practice), NEITHER
        )

    def references(self, *, with_ids: bool) -> str:
        """`§4.2, §4.3` (prefixed by the document id when the group has several documents); "" for none."""
        parts = [
            (f"{doc} " if with_ids else "") + ", ".join(refs)
            for doc, refs in sorted(self.documents.items(), key=lambda item: study_order(item[0]))
        ]
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {
            "documents": [
                {"id": doc, "references": refs}
                for doc, refs in sorted(self.documents.items(), key=lambda item: study_order(item[0]))
            ],
            "carried": bool(self.documents),
            "participants": self.participants,
            "pct_participants": self.pct_participants,
            "status": self.status,
        }


@dataclass
class CompareRow:
    code: str
    name: str
    parent: str | None
    level: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class CompareTable:
    """The code x group table of `wei-qual report compare` (see the module docstring)."""

    source: str
    by: str
    values: list[str]  # the groups, sorted, MISSING last
    documents: dict[str, list[str]]  # group -> its documents' ids
    participants: dict[str, int]  # group -> its participants
    rows: list[CompareRow]

    def to_json(self) -> dict:
        """{source, by, groups: {VALUE: {documents: [ids], participants: n}}, rows: [{code, name, parent,
        level, cells: {VALUE: {documents: [{id, references}], carried, participants, pct_participants,
        status}}}]} (docs/documents.md)."""
        return {
            "source": self.source,
            "by": self.by,
            "groups": {
                v: {"documents": self.documents.get(v, []), "participants": self.participants.get(v, 0)}
                for v in self.values
            },
            "rows": [
                {
                    "code": r.code,
                    "name": r.name,
                    "parent": r.parent,
                    "level": r.level,
                    "cells": {v: c.to_json() for v, c in r.cells.items()},
                }
                for r in self.rows
            ],
        }

    def _notes(self) -> list[str]:
        note = (
            f"Source: {self.source}. Each cell: the sections of the group's documents that carry the code "
            "(— when none does) · participants from the group who raised it, of the group's participants "
            "(%) · policy only / practice only where they diverge. Documents and participants count when "
            "they have a decided segment; a theme counts when it or a code under it was applied."
        )
        return [note]

    def _references(self, cell: Cell, value: str) -> str:
        """A cell's references, each document's prefixed by its id only when the group has several (as
        documents.md shows), in every format."""
        return cell.references(with_ids=len(self.documents.get(value, [])) > 1)

    def display_table(self) -> Table:
        """One row per code, one column per group: "§4.2 · 2/3 (66.7%)" and the status where they diverge."""
        columns = ["Code", "Name", "Level"] + [
            f"{v} ({len(self.documents.get(v, []))} doc., {self.participants.get(v, 0)} part.)"
            for v in self.values
        ]
        rows = []
        for r in self.rows:
            row: list = [r.code, r.name, r.level]
            for v in self.values:
                c = r.cells[v]
                refs = self._references(c, v) or "—"
                text = f"{refs} · {c.participants}/{c.n_participants} ({c.pct_participants}%)"
                if c.status in (POLICY_ONLY, PRACTICE_ONLY):
                    text += f" · {c.status}"
                row.append(text)
            rows.append(row)
        return Table(
            "compare", f"Policy and practice by {self.by} ({self.source})", columns, rows, self._notes()
        )

    def data_table(self) -> Table:
        """One row per code and group, every value in its own column (CSV, XLSX)."""
        columns = [
            "code",
            "name",
            "parent",
            "level",
            self.by,
            "documents",
            "documents_carrying",
            "references",
            "participants",
            "participants_raising",
            "pct_participants",
            "status",
        ]
        rows = []
        for r in self.rows:
            for v in self.values:
                c = r.cells[v]
                rows.append(
                    [
                        r.code,
                        r.name,
                        r.parent,
                        r.level,
                        v,
                        c.n_documents,
                        len(c.documents),
                        self._references(c, v),
                        c.n_participants,
                        c.participants,
                        c.pct_participants,
                        c.status,
                    ]
                )
        return Table(
            "compare", f"Policy and practice by {self.by} ({self.source})", columns, rows, self._notes()
        )

    def groups_table(self) -> Table:
        rows = [
            [
                v,
                ", ".join(self.documents.get(v, [])),
                len(self.documents.get(v, [])),
                self.participants.get(v, 0),
            ]
            for v in self.values
        ]
        return Table("groups", "Groups", [self.by, "document_ids", "documents", "participants"], rows)

    def data_tables(self) -> list[Table]:
        return [self.data_table(), self.groups_table()]

    def display_tables(self) -> list[Table]:
        return [self.display_table()]


@paused_gc(freeze=True)
def build_compare(
    data: ReportData, *, by: str = DEFAULT_COMPARE_BY, level: str = "both", documented_only: bool = False
) -> CompareTable:
    """The code x `by` table of documents and participants. `data` must be read with kind "all" (or
    "document"). With `documented_only`, groups without a coded document are left out. Raises
    ReportError for an unknown attribute or level, or when no document is coded."""
    if level not in LEVELS:
        raise ReportError(f'Unknown level "{level}". Pass --level code|theme|both.')
    data.check_attributes([by])
    documents = [p for p in data.participants if data.is_document(p)]
    if not documents:
        raise ReportError(
            f'No document segment has a decision from source "{data.source}", so there is no policy to compare. '
            'Ingest documents with "wei-qual ingest --kind document" and code them, or pass another --source.'
        )
    people = [p for p in data.participants if not data.is_document(p)]
    group_docs: dict[str, list[str]] = {}
    for doc, _ in documents:
        group_docs.setdefault(data.group_of(doc, by), []).append(doc)
    group_people: dict[str, int] = {}
    for p in people:
        g = data.group_of(p, by)
        group_people[g] = group_people.get(g, 0) + 1
    values = sorted(
        {*group_docs, *({} if documented_only else group_people)}, key=lambda v: (v == MISSING, v)
    )

    # Who carries or raised each code: documents with their segments, participants once each.
    carried: dict[tuple[str, str], dict[str, list[int]]] = {}  # (code, group) -> {document: [segments]}
    raised: dict[tuple[str, str], set] = {}  # (code, group) -> participants
    for (transcript, n), codes in data.applied.items():
        if transcript in data.documents:
            g = data.group_of(transcript, by)
            for code in codes:
                carried.setdefault((code, g), {}).setdefault(transcript, []).append(n)
        else:
            p = data.participant_of((transcript, n))
            g = data.group_of(p, by)
            for code in codes:
                raised.setdefault((code, g), set()).add(p)

    from ..ingest.sections import reference  # the ingest package is not needed by other reports

    parents = themes_of(data.codebook)
    rows = []
    for c in data.codebook.codes:
        if level != "both" and (level == "theme") != (c.id in parents):
            continue
        row = CompareRow(c.id, c.name, c.parent, "theme" if c.id in parents else "code")
        for v in values:
            docs = {
                doc: list(
                    dict.fromkeys(
                        reference(*data.labels.get((doc, n), (None, None, None)), n) for n in sorted(ns)
                    )
                )
                for doc, ns in carried.get((c.id, v), {}).items()
            }
            row.cells[v] = Cell(
                docs, len(group_docs.get(v, [])), len(raised.get((c.id, v), ())), group_people.get(v, 0)
            )
        rows.append(row)
    return CompareTable(data.source, by, values, group_docs, group_people, rows)


def default_compare(
    db, *, source: str | None, by: str | None = None, documented_only: bool = False
) -> CompareTable | None:
    """The policy and practice table the HTML report shows: by `by` (default jurisdiction, when documents
    are coded and have it); None when there are no coded documents, or `by` is "none". Raises
    ReportError for an attribute `by` names that nothing has."""
    from ..store.transcripts import transcript_kinds
    from .data import load_report_data

    if by == "none" or DOCUMENT_KIND not in transcript_kinds(db).values():
        return None
    try:
        data = load_report_data(db, source=source, kind=ALL_KINDS)
    except ReportError:
        if by is not None:
            raise
        return None  # nothing coded under this source: the report has no policy table
    if not any(data.is_document(p) for p in data.participants):
        if by is not None:
            raise ReportError(
                f'No document segment has a decision from source "{data.source}", so --compare has nothing '
                "to compare. Code the documents, or leave out --compare."
            )
        return None
    if by is None:
        known = {name for values in data.attributes.values() for name in values}
        if DEFAULT_COMPARE_BY not in known:
            return None
        by = DEFAULT_COMPARE_BY
    return build_compare(data, by=by, documented_only=documented_only)
