"""Keyword-in-context search over every segment, with the codes already applied to each hit.

    search(db, "refuse*") -> SearchResult

Matching is by spaCy lemma (see query.py) over an index built once per segment (index.py); each hit is
shown with the words around it in its turn and every coder's codes on that segment, so a lead can find
what the coders missed (`not_codes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..controls import escape_controls
from ..errors import SearchError
from ..excerpts import md_escape
from ..models import (
    DOCUMENT,
    DOCUMENT_KIND,
    MISSING_VALUE,
    ROLES,
    Where,
    by_group,
    clock,
    excerpt_pages,
    group_heading,
    page_span,
    segment_order,
    spelled_apart,
    value_order,
    value_spellings,
    where_values,
)
from ..spreadsheet import csv_text
from ..store.codebooks import code_moves, get_active_codebook, with_split_stubs
from ..store.decisions import codes_in_decisions, iter_segment_codes
from ..store.search import iter_index_candidates
from ..store.transcripts import (
    as_known_ids,
    get_attributes,
    get_speaker_attributes,
    iter_document_page_spans,
    iter_segment_times,
    transcript_kinds,
    unknown_transcript,
)
from .index import ensure_index, indexing_message, unindexed
from .query import AnyOf, Query, parse_query

DEFAULT_WIDTH = 40  # characters of context on each side of a hit
MISSING = MISSING_VALUE  # the group of participants with no value for --by

__all__ = [
    "Hit",
    "SearchResult",
    "ensure_index",
    "indexing_message",
    "parse_query",
    "search",
    "segment_spans",
    "text_spans",
    "unindexed",
]


@dataclass
class Hit:
    transcript: str
    segment: int
    speaker: str | None
    role: str
    start: int  # offsets of the matched words in the segment's text
    end: int
    left: str
    match: str
    right: str
    codes: dict[str, list[str]]  # code -> coders who applied it to the segment
    attributes: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    alternative: str | None = None  # the alternative of "a | b" that matched, as typed (None: one query)
    section: str | None = None  # a document segment's section label
    pages: str | None = None  # the hit's page(s), "3" or "3–4": a document's, a PDF transcript's
    time: str | None = None  # where a timed turn (VTT, SRT, Otter) starts in its recording, "0:04:04"

    def place(self) -> str:
        """ "A_policy:3" with where to cite it: "A_policy:3, section 2 Exclusion criteria, p. 4"."""
        parts = [f"section {self.section}" if self.section else "", f"p. {self.pages}" if self.pages else ""]
        return ", ".join([f"{self.transcript}:{self.segment}", *(p for p in parts if p)])

    def codes_text(self) -> str:
        return "; ".join(f"{c} ({', '.join(who)})" for c, who in self.codes.items())

    def to_json(self) -> dict:
        return {
            "group": self.group,
            "transcript": self.transcript,
            "segment": self.segment,
            "speaker": self.speaker,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "match": self.match,
            "right": self.right,
            "alternative": self.alternative,
            "section": self.section,
            "pages": self.pages,
            "time": self.time,
            "codes": [{"code": c, "coders": who} for c, who in self.codes.items()],
            "attributes": self.attributes,
        }


@dataclass
class SearchResult:
    query: str
    words: list[str]
    hits: list[Hit]
    segments: int  # segments with at least one hit
    by: str | None = None
    filters: dict[str, object] = field(default_factory=dict)
    indexed: int = 0  # segments indexed by this search first
    warnings: list[str] = field(default_factory=list)  # e.g. a --code or --not nobody applied
    left_out: int = 0  # segments holding the words that --code or --not left out
    # "a | b": each alternative as typed with its words as matched (empty for a query without |)
    alternatives: list[tuple[str, list[str]]] = field(default_factory=list)
    where: Where = field(default_factory=Where)  # --where, named in the title

    def title(self) -> str:
        """ "Search: won't take, not coded csu-excluded-intoxication, where role=provider": the filters
        named with the query, so a file shared from `--not CODE` is not read as every mention."""
        f = self.filters
        parts = [f"Search: {self.query}"]
        if f.get("codes"):
            parts.append("coded " + " or ".join(f["codes"]))
        if f.get("not_codes"):
            parts.append("not coded " + " or ".join(f["not_codes"]))
        if f.get("role"):
            parts.append(f"{f['role']} turns" if f["role"] != DOCUMENT else "documents")
        if self.where:
            parts.append("where " + self.where.said())
        if f.get("transcripts"):
            parts.append("in " + ", ".join(f["transcripts"]))
        return ", ".join(parts)

    def counted(self) -> str:
        """ "1 hit in 1 segment", "3 hits in 2 segments": said on stderr and at the head of the Markdown."""
        n, m = len(self.hits), self.segments
        return f"{n} hit{'s' if n != 1 else ''} in {m} segment{'s' if m != 1 else ''}"

    def per_alternative(self) -> list[tuple[str, list[str], int, int]]:
        """(alternative, its words as matched, hits, segments) of each alternative of "a | b"."""
        out = []
        for typed, words in self.alternatives:
            hits = [h for h in self.hits if h.alternative == typed]
            out.append((typed, words, len(hits), len({(h.transcript, h.segment) for h in hits})))
        return out

    def counted_each(self) -> str:
        """ "refuse: 3 hits in 2 segments; turn away: 1 hit in 1 segment" ("" for one query)."""
        return "; ".join(
            f"{typed}: {n} hit{'s' if n != 1 else ''} in {m} segment{'s' if m != 1 else ''}"
            for typed, _, n, m in self.per_alternative()
        )

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "matched_as": self.words,
            "filters": self.filters,
            "warnings": self.warnings,
            "by": self.by,
            "hits": len(self.hits),
            "segments": self.segments,
            "left_out": self.left_out,
            "alternatives": [
                {"query": typed, "matched_as": words, "hits": n, "segments": m}
                for typed, words, n, m in self.per_alternative()
            ],
            "results": [h.to_json() for h in self.hits],
        }

    def csv(self) -> str:
        columns, rows = self.rows()
        return escape_controls(csv_text(columns, rows))  # as every CSV of a report (wei_qual.controls)

    def xlsx(self, path) -> list[str]:
        """The CSV's rows as a spreadsheet (text never a formula), the title and counts on a notes sheet
        with the warnings. Returns what was cut to fit Excel."""
        from ..report.writers import write_listing_xlsx

        columns, rows = self.rows()
        note = f"{self.title()}: {self.counted()} (matched as: {' '.join(self.words)})."
        if self.alternatives:
            note += f" {self.counted_each()}."
        return write_listing_xlsx(path, "hits", self.title(), columns, rows, note, self.warnings)

    def rows(self) -> tuple[list[str], list[list]]:
        """The CSV and XLSX columns and one row per hit."""
        placed = any(h.section or h.pages for h in self.hits)
        timed = any(h.time for h in self.hits)
        columns = [
            *(["group"] if self.by else []),
            "transcript",
            "segment",
            "speaker",
            "role",
            *(["section", "pages"] if placed else []),
            *(["time"] if timed else []),
            "left",
            "match",
            "right",
            *(["alternative"] if self.alternatives else []),
            "codes",
        ]
        rows = [
            [
                *([h.group] if self.by else []),
                h.transcript,
                h.segment,
                h.speaker or "",
                h.role,
                *([h.section or "", h.pages or ""] if placed else []),
                *([h.time or ""] if timed else []),
                h.left,
                h.match,
                h.right,
                *([h.alternative] if self.alternatives else []),
                h.codes_text(),
            ]
            for h in self.hits
        ]
        return columns, rows

    def markdown(self) -> str:
        out = [
            f"# {md_escape(self.title())}",
            "",
            f"{self.counted()} (matched as: {md_escape(' '.join(self.words))}).",
            "",
            *([md_escape(self.counted_each()) + ".", ""] if self.alternatives else []),
            *(line for w in self.warnings for line in (f"*Warning: {md_escape(w)}*", "")),
        ]
        groups: dict[str | None, list[Hit]] = {}
        for h in self.hits:
            groups.setdefault(h.group, []).append(h)
        for group, hits in groups.items():
            if self.by:
                # "(2 hits)": a bare "(2)" under "role: officer" reads as a theme table's participant n
                out += [
                    f"## {md_escape(group_heading(self.by, group))} ({len(hits)} hit{'s' * (len(hits) != 1)})",
                    "",
                ]
            either = self.alternatives
            out += [
                f"| segment | left | match | right |{' alternative |' * bool(either)} codes |",
                f"|---|---:|---|---|{'---|' * bool(either)}---|",
            ]
            for h in hits:
                cells = [
                    md_escape(f"{h.place()} {h.speaker or ''}".strip() + (f", {h.time}" if h.time else "")),
                    md_escape(h.left),
                    f"**{md_escape(h.match)}**",
                    md_escape(h.right),
                    *([md_escape(h.alternative or "")] if either else []),
                    md_escape(h.codes_text() or "—"),
                ]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        return "\n".join(out)


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Up to `width` characters of the turn on each side of a hit, white space made single, cut between
    words: a cut inside a word ("…al clearance" of "medical clearance") read as a word of its own."""
    lo, hi = max(0, start - width * 2), end + width * 2
    left = " ".join(text[lo:start].split())
    right = " ".join(text[end:hi].split())
    if len(left) > width or (lo > 0 and left):
        cut = left[max(0, len(left) - width + 1) :]
        # The kept text starts inside a word when the character before it (in the turn) is no space.
        before = left[len(left) - len(cut) - 1] if len(cut) < len(left) else text[lo - 1]
        if not before.isspace() and not cut[:1].isspace() and " " in cut:
            cut = cut[cut.index(" ") + 1 :]
        left = "…" + cut.lstrip()
    if len(right) > width or (hi < len(text) and right):
        cut = right[: width - 1]
        after = right[len(cut)] if len(cut) < len(right) else text[hi]
        if not after.isspace() and not cut[-1:].isspace() and " " in cut:
            cut = cut[: cut.rindex(" ")]
        right = cut.rstrip() + "…"
    return left, " ".join(text[start:end].split()), right


def check_codes(db: Database, codes: list[str] | None, not_codes: list[str] | None) -> dict[str, set[str]]:
    """{--code or --not code: the ids it stands for (a theme: its codes too)}; raises SearchError for a
    code the active codebook does not have. The command checks before a first search indexes the project
    (seconds on a study), so that a mistyped code costs nothing."""
    active = get_active_codebook(db)
    # A split code's decisions not yet recoded are found under it and its theme, as the reports count them.
    codebook = with_split_stubs(db, active[1]) if active else None
    members: dict[str, set[str]] = {}
    for code in (codes or []) + (not_codes or []):
        if codebook is None or codebook.code(code) is None:
            moved = code_moves(db).get(code)  # its decisions moved there: the old id finds none
            option = "--not" if code in (not_codes or []) else "--code"
            fix = (
                f' A codebook version renamed or merged it into "{moved}": pass {option} {moved}.'
                if moved
                else ' Check the ids with "wei-qual codebook show".'
            )
            near = codebook.did_you_mean(code) if codebook is not None and not moved else ""
            raise SearchError(f'Code "{code}" is not in the active codebook{near}.{fix}')
        members[code] = codebook.descendants(code)
    return members


def search(
    db: Database,
    query: str,
    *,
    codes: list[str] | None = None,
    not_codes: list[str] | None = None,
    role: str | None = None,
    transcripts: list[str] | None = None,
    by: str | None = None,
    width: int = DEFAULT_WIDTH,
    on_progress: Callable[[int], None] | None = None,
    where: Where | dict[str, str] | None = None,
) -> SearchResult:
    """Every place `query` occurs. `codes` keeps segments some coder applied one of these codes to (a
    theme: any code under it); `not_codes` keeps segments no coder applied them to. Raises SearchError."""
    parsed: Query | AnyOf = parse_query(query)
    if role is not None and role not in ROLES:
        raise SearchError(f'--role "{role}" is not one of: {", ".join(ROLES)}.')
    if width < 1:
        raise SearchError(f"--width must be at least 1, not {width}.")
    members = check_codes(db, codes, not_codes)
    used = codes_in_decisions(db, set().union(*members.values())) if members else set()
    # A filter on a code nobody applied keeps nothing (--code) or everything (--not): say so, or "0 hits"
    # reads as "never coded here" and every hit as "missed".
    warnings = [
        f'No coder has applied "{code}"{" or a code under it" if len(members[code]) > 1 else ""} to any '
        f"segment (consensus included), so {option} {code} "
        + ("keeps no segment." if option == "--code" else "leaves no segment out.")
        for option, given in (("--code", codes or []), ("--not", not_codes or []))
        for code in given
        if members[code].isdisjoint(used)
    ]
    warnings += operator_warnings(query)
    attributes = get_attributes(db)
    if transcripts:
        transcripts = as_known_ids(transcripts, attributes)
        unknown = [t for t in transcripts if t not in attributes]
        if unknown:
            raise SearchError(unknown_transcript(unknown[0], attributes))
    if transcripts and role is not None:
        # A document has only document segments and an interview none: "0 hits" would read as "not said".
        kinds = transcript_kinds(db)
        other = [t for t in transcripts if (kinds[t] == DOCUMENT_KIND) != (role == DOCUMENT)]
        if other:
            what = "a document" if kinds[other[0]] == DOCUMENT_KIND else "an interview"
            raise SearchError(
                f'Transcript "{other[0]}" is {what}, which has no {role} segments. Drop --role, or pass '
                + (
                    "--role document."
                    if what == "a document"
                    else "--role participant, interviewer, review or other."
                )
            )
    speaker_attrs = get_speaker_attributes(db)
    try:
        where = where_values(where, [*attributes.values(), *speaker_attrs.values()], by)
    except ValueError as ex:
        raise SearchError(str(ex)) from ex
    # A value spelled two ways ("Rural", "rural") is one group, under one spelling, and said.
    spellings = value_spellings([*attributes.values(), *speaker_attrs.values()], by) if by else {}
    warnings += spelled_apart(by, spellings) if by else []
    indexed = ensure_index(db, on_progress)
    # A word typed in capitals that is also a word ("ER") is found in capitals only: count the places
    # small letters would find too, so the ones left out are said.
    capitals = [w.split()[0] for w in parsed.words if w.endswith(" (in capitals)")]
    loose = parse_query(query.lower()) if capitals else None
    loose_places = 0

    found = []
    places: dict[tuple[str, int], tuple[str | None, int | None, int | None]] = {}
    for t, n, speaker, seg_role, text, terms, offsets, label, page, end_page in iter_index_candidates(
        db, parsed.literals, role=role, transcripts=transcripts
    ):
        for start, end, k in parsed.find_each(terms, offsets, text):
            found.append((t, n, speaker, seg_role, text, start, end, k))
        if loose is not None:
            loose_places += len(loose.find(terms, offsets, text))
        if page is not None or seg_role == DOCUMENT:  # where a hit there is cited (_add_places)
            places[(t, n)] = (label, page, end_page)

    applied: dict[tuple[str, int], dict[str, list[str]]] = {}
    lists: dict[str, list[str]] = {}  # few distinct code lists: parse each JSON text once
    for key, rows in iter_segment_codes(db, {(t, n) for t, n, *_ in found}).items():
        per = applied[key] = {}
        for coder, text in rows:
            applied_codes = lists.get(text)
            if applied_codes is None:
                applied_codes = lists[text] = sorted(json.loads(text))
            for code in applied_codes:
                per.setdefault(code, []).append(coder)
        applied[key] = dict(sorted(per.items()))

    def has(key, code) -> bool:
        return any(c in members[code] for c in applied.get(key, {}))

    if loose_places > len(found):
        more = loose_places - len(found)
        said = ", ".join(capitals)
        warnings.append(
            f"{said} typed in capitals {'is' if len(capitals) == 1 else 'are'} found where written in capitals "
            f'only: typed in small letters, "{query.lower()}" finds {more} more place{"s" if more != 1 else ""}, '
            f'where "{capitals[0].lower()}" may be another word.'
        )
    hits = []
    left_out: set[tuple[str, int]] = set()  # segments with the words that --code or --not left out
    left_by_where: set[tuple[str, int]] = set()
    typed = [q.text.strip() for q in parsed.alternatives] if isinstance(parsed, AnyOf) else None
    for t, n, speaker, seg_role, text, start, end, k in found:
        key = (t, n)
        if (codes and not any(has(key, c) for c in codes)) or (
            not_codes and any(has(key, c) for c in not_codes)
        ):
            left_out.add(key)
            continue
        attrs = {**attributes.get(t, {}), **(speaker_attrs.get((t, speaker), {}) if speaker else {})}
        if where and not where.holds(seg_role, attrs):
            left_by_where.add(key)
            continue
        hits.append(
            Hit(
                t,
                n,
                speaker,
                seg_role,
                start,
                end,
                *_context(text, start, end, width),
                applied.get(key, {}),
                attrs,
                by_group(seg_role, attrs, by, spellings) if by else None,
                typed[k] if typed else None,
            )
        )
    _add_places(db, hits, places)
    if hits:  # a timed turn is cited by where it starts in the recording, as retrieve cites it
        times = iter_segment_times(db)
        for h in hits:
            if (h.transcript, h.segment) in times:
                h.time = clock(times[(h.transcript, h.segment)][0])
    # Transcripts in study order (P2 before P10); with --by, groups as the reports list them: numbers by
    # value (4 before 12), then text, (missing), turns.
    hits.sort(
        key=lambda h: (value_order(h.group) if by else (), segment_order(h.transcript, h.segment), h.start)
    )
    if left_out and not hits and not warnings:  # a code nobody applied is said already
        # "0 hits" read as "nobody said it": the words are there, on segments the filter leaves out.
        n = len(left_out)
        given = [f"--code {c}" for c in codes or []] + [f"--not {c}" for c in not_codes or []]
        why = (
            " (some coder, consensus included, applied the code there)"
            if not codes
            else " (no coder applied the code there)"
            if not not_codes
            else ""
        )
        options = " and ".join(dict.fromkeys(g.split()[0] for g in given))
        warnings.append(
            f"The words are in {n} segment{'s' if n != 1 else ''}, which {' '.join(given)} left out{why}. "
            f"Search without {options} to see {'them' if n != 1 else 'it'}."
        )
    if left_by_where and not hits and not warnings:
        n = len(left_by_where)
        said = where.said()
        warnings.append(
            f"The words are in {n} segment{'s' if n != 1 else ''}, none of them of a participant (or document) "
            f"with {said}. Search without --where to see {'them' if n != 1 else 'it'}."
        )
    return SearchResult(
        query=query,
        words=list(parsed.words),
        hits=hits,
        segments=len({(h.transcript, h.segment) for h in hits}),
        by=by,
        filters={
            "codes": codes,
            "not_codes": not_codes,
            "role": role,
            "transcripts": transcripts,
            **where.to_json(),  # where, where_not
        },
        where=where,
        indexed=indexed,
        warnings=warnings,
        left_out=len(left_out),
        alternatives=[(q.text.strip(), list(q.words)) for q in parsed.alternatives] if typed else [],
    )


_OPERATORS = ("OR", "AND", "NOT")


def operator_warnings(query: str) -> list[str]:
    """What a query typed as for a search engine is read as ("CSU OR ED", "CSU NOT jail", "CSU -jail"):
    words of a phrase, which found nothing and said nothing. An operator counts in capitals only ("the CSU
    or the ER" is a phrase), a minus only before a word."""
    words = query.split()
    if len(words) < 2:
        return []
    said = [w for w in _OPERATORS if w in words]
    minus = [w for w in words if w.startswith("-") and w[1:2].isalnum()]
    out = []
    if said:
        are = "is read as a word" if len(said) == 1 else "are read as words"
        tips = [f"{' and '.join(said)} in capitals {are} of the phrase: search has no OR, AND or NOT."]
        if "OR" in said:
            either = " | ".join(part.strip() for part in " ".join(words).split(" OR "))
            tips.append(f'For either of two words separate them with |: wei-qual search "{either}".')
        if "NOT" in said:
            tips.append(_NOT_TIP)
        out.append(" ".join(tips))
    if minus:
        out.append(
            f'"{minus[0]}" is read as the word "{minus[0][1:]}" of the phrase: search has no NOT. {_NOT_TIP}'
        )
    return out


_NOT_TIP = "To leave out the segments a code was applied to, pass --not CODE."


def _add_places(db: Database, hits: list[Hit], places: dict) -> None:
    """Each hit's section and pages where its segment has them (`places`: a document's, a PDF transcript's
    turn), so a hit in a 40-page policy can be cited: the pages of the hit's own words."""
    if not places or not any((h.transcript, h.segment) in places for h in hits):
        return
    page_spans = iter_document_page_spans(db, {h.transcript for h in hits})
    for h in hits:
        place = places.get((h.transcript, h.segment))
        if place is not None:
            label, page, end_page = place
            first, last = excerpt_pages(
                page, end_page, page_spans.get((h.transcript, h.segment)), [(h.start, h.end)]
            )
            h.section, h.pages = label, page_span(first, last, form="")


def segment_spans(
    db: Database,
    words: str,
    *,
    transcripts: list[str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """Where `words` occur, matched exactly as `search` matches them (the project's index, built first
    when it is not complete): (transcript, n) -> spans of each segment's stored text. The coding and
    reconcile sessions' `/WORDS`. Raises SearchError."""
    parsed = parse_query(words)
    ensure_index(db, on_progress)
    out = {}
    for t, n, _, _, text, terms, offsets, *_ in iter_index_candidates(
        db, parsed.literals, transcripts=transcripts
    ):
        spans = parsed.find(terms, offsets, text)
        if spans:
            out[(t, n)] = spans
    return out


def text_spans(words: str, indexed: list[tuple[str, str, str]]) -> list[list[tuple[int, int]]]:
    """Where `words` occur in each (text, terms, offsets) of `indexed` (index.index_texts of the texts),
    matched as `search` matches them: for texts that are in no project. Raises SearchError."""
    parsed = parse_query(words)
    return [parsed.find(terms, offsets, text) for text, terms, offsets in indexed]
