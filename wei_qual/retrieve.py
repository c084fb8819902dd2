"""Retrieve every segment a code (or any code under a theme) was applied to, in context: the everyday
act of analysis, where reports only pick exemplars.

Whose codes count is the source, as in the reports: the consensus coder, one coder, or a rule over the
independent coders (majority: more than half of the coders who decided the segment; union: any). Each
segment comes with its transcript, number, speaker, attributes, who applied the code, the excerpts
marked for it, and N turns before and after. Several codes mean all of them (or any, with `any_code`);
`not_codes` leaves out segments that have one of those.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .coders import select_coders
from .controls import escape_controls
from .errors import ReportError
from .excerpts import excerpt_text, marked_html, marked_markdown, md_escape, merge_spans
from .models import (
    ALL_KINDS,
    DOCUMENT,
    DOCUMENT_KIND,
    INTERVIEWER,
    KINDS,
    MISSING_VALUE,
    OTHER,
    PARTICIPANT,
    REVIEW,
    Codebook,
    Where,
    brief_attributes,
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
from .report.data import rule_codes
from .spreadsheet import csv_text
from .store.codebooks import (
    count_decisions_by_code,
    earlier_names,
    get_active_codebook,
    get_codebook_merges,
    with_split_stubs,
)
from .store.decisions import (
    codes_in_decisions,
    iter_coders,
    iter_deciders,
    iter_decisions_where_applied,
    iter_excerpts,
)
from .store.transcripts import (
    as_known_ids,
    get_attributes,
    get_speaker_attributes,
    iter_document_page_spans,
    iter_segment_places,
    iter_segment_times,
    iter_transcript_segment_tuples,
    transcript_kinds,
    unknown_transcript,
)

CONSENSUS, MAJORITY, UNION = "consensus", "majority", "union"
DEFAULT_CONTEXT = 1
MISSING = MISSING_VALUE  # the group of participants with no value for --by


@dataclass
class Turn:
    n: int
    speaker: str | None
    role: str
    text: str

    def to_json(self) -> dict:
        return {"segment": self.n, "speaker": self.speaker, "role": self.role, "text": self.text}


@dataclass
class Hit:
    """One retrieved segment."""

    transcript: str
    segment: int
    speaker: str | None
    role: str
    text: str
    attributes: dict[str, str]
    codes: list[str]  # the asked-for codes it has (a theme: itself), in the order asked
    applied_by: dict[str, list[str]]  # asked-for code -> coders whose decision applies it
    excerpts: dict[str, list[tuple[int, int]]]  # asked-for code -> spans of the segment's text
    before: list[Turn] = field(default_factory=list)
    after: list[Turn] = field(default_factory=list)
    group: str | None = None  # the --by value
    label: str | None = None  # a document segment's section label
    page: int | None = None  # a document segment's page, and the page it ends on (None: not known)
    end_page: int | None = None
    page_spans: tuple[tuple[int, int, int, int], ...] | None = None  # its text's pages (models.Segment)
    start_time: float | None = None  # where the turn starts and ends in the recording (a timed file's)
    end_time: float | None = None

    def pages_of(self, spans: list[tuple[int, int]]) -> tuple[int | None, int | None]:
        """The pages of the segment's words in `spans` (the segment's own pages where not known)."""
        return excerpt_pages(self.page, self.end_page, self.page_spans, spans)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Every excerpt span of the asked-for codes, joined where they overlap."""
        return merge_spans(s for spans in self.excerpts.values() for s in spans)

    def to_json(self) -> dict:
        return {
            "group": self.group,
            "transcript": self.transcript,
            "segment": self.segment,
            "speaker": self.speaker,
            "role": self.role,
            "label": self.label,
            "page": self.page,
            "end_page": self.end_page,
            "start_time": self.start_time,
            "end_time": self.end_time,
            "attributes": self.attributes,
            "codes": self.codes,
            "applied_by": self.applied_by,
            "excerpts": [
                {"code": code, "start": a, "end": b, "text": self.text[a:b]}
                | (dict(zip(("page", "end_page"), self.pages_of([(a, b)]))) if self.page is not None else {})
                for code, spans in self.excerpts.items()
                for a, b in spans
            ],
            "text": self.text,
            "before": [t.to_json() for t in self.before],
            "after": [t.to_json() for t in self.after],
        }


@dataclass
class Retrieval:
    codes: list[str]
    names: dict[str, str]
    any_code: bool
    not_codes: list[str]
    source: str
    source_note: str | None
    coders: list[str]  # the independent coders considered
    by: str | None
    context: int
    hits: list[Hit]
    kind: str = ALL_KINDS
    warnings: list[str] = field(default_factory=list)  # e.g. a coder name matched regardless of case
    where: Where = field(default_factory=Where)  # --where: the values the hits have (or have not)
    transcripts: list[str] | None = None  # --transcript, as the project spells the ids (None: all)

    @property
    def participants(self) -> int:
        """Participant speakers with a hit, as the reports count them (a transcript's speaker once)."""
        return len({(h.transcript, h.speaker) for h in self.hits if h.role == PARTICIPANT})

    def others(self) -> dict[str, int]:
        """What the hits hold besides participant turns, counted apart: interviewer turns, turns whose
        speaker is unknown (role review), other speakers' turns (role other: coded before a person set
        the role) and documents (each once)."""
        return {
            "interviewer_turns": sum(h.role == INTERVIEWER for h in self.hits),
            "review_turns": sum(h.role == REVIEW for h in self.hits),
            "other_turns": sum(h.role == OTHER for h in self.hits),
            "documents": len({h.transcript for h in self.hits if h.role == DOCUMENT}),
        }

    def title(self) -> str:
        joined = (" or " if self.any_code else " and ").join(f"{self.names[c]} ({c})" for c in self.codes)
        if self.not_codes:
            joined += ", not " + ", ".join(self.not_codes)
        if self.where:
            joined += ", where " + self.where.said()
        if self.transcripts:  # a file shared from one interview says so, not only the command that made it
            joined += ", in " + ", ".join(self.transcripts)
        return joined

    def summary(self) -> str:
        """ "3 segments from 2 participants and 1 interviewer turn; source alice"."""
        others = self.others()
        parts = [
            _count(n, one)
            for n, one in (
                (others["documents"], "document"),
                (others["interviewer_turns"], "interviewer turn"),
                (others["review_turns"], "turn of unknown speaker"),
                (others["other_turns"], "turn of another speaker"),
            )
            if n
        ]
        if self.participants or not others["documents"]:
            parts.insert(0, _count(self.participants, "participant"))
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{_count(len(self.hits), 'segment')} from {joined}; source {self.source}"

    def groups(self) -> list[tuple[str | None, list[Hit]]]:
        out: dict[str | None, list[Hit]] = {}
        for h in self.hits:
            out.setdefault(h.group, []).append(h)
        return list(out.items())

    def to_json(self) -> dict:
        return {
            "codes": self.codes,
            # the asked codes' names, so a reader of the JSON need not look them up in the codebook
            "names": {c: self.names.get(c, c) for c in (*self.codes, *self.not_codes)},
            "any": self.any_code,
            **self.where.to_json(),  # where, where_not
            "transcripts": self.transcripts,
            "not": self.not_codes,
            "source": self.source,
            "source_note": self.source_note,
            "warnings": self.warnings,
            "coders": self.coders,
            "by": self.by,
            "kind": self.kind,
            "context": self.context,
            "segments": len(self.hits),
            "participants": self.participants,
            **self.others(),
            "hits": [h.to_json() for h in self.hits],
        }

    def csv(self) -> str:
        columns, rows = self.rows()
        return escape_controls(csv_text(columns, rows))  # as every CSV of a report (wei_qual.controls)

    def xlsx(self, path) -> list[str]:
        """The CSV's rows as a spreadsheet for a co-author (text never a formula), with the title, the
        counts and the warnings on a notes sheet. Returns what was cut to fit Excel."""
        from .report.writers import write_listing_xlsx

        columns, rows = self.rows()
        note = f"{self.title()}: {self.summary()}."
        return write_listing_xlsx(path, "segments", self.title(), columns, rows, note, self.warnings)

    def rows(self) -> tuple[list[str], list[list]]:
        """The CSV and XLSX columns and one row per segment."""
        columns = [
            *(["group"] if self.by else []),
            "transcript",
            "segment",
            "speaker",
            "role",
            "section",  # a document segment's section (empty for a turn)
            # its pages, to cite it by: a document's, a turn's with pages (else empty)
            "pages",
            "time",  # a timed turn's start in its recording, 0:04:31 (else empty)
            "attributes",
            "codes",
            "applied_by",
            "excerpt",
            "text",
            "before",
            "after",
        ]
        rows = []
        for h in self.hits:
            rows.append(
                [
                    *([h.group] if self.by else []),
                    h.transcript,
                    h.segment,
                    h.speaker or "",
                    h.role,
                    h.label or "",
                    page_span(h.page, h.end_page, form="") or "",
                    clock(h.start_time),
                    "; ".join(f"{k}={v}" for k, v in sorted(h.attributes.items())),
                    ";".join(h.codes),
                    "; ".join(f"{c}: {', '.join(who)}" for c, who in h.applied_by.items()),
                    excerpt_text(h.text, h.spans) if h.spans else "",
                    h.text,
                    "\n\n".join(_turn_line(t) for t in h.before),
                    "\n\n".join(_turn_line(t) for t in h.after),
                ]
            )
        return columns, rows

    def nothing(self) -> str:
        """Said under an empty answer. Where --where emptied it, "no segment has these codes" was untrue:
        the warning above counts those it left out."""
        if self.where:
            said = self.where.said()
            return f"No segment of a participant (or document) with {said} has these codes under this source."
        return "No segment has these codes under this source."

    def markdown(self) -> str:
        out = [f"# {md_escape(self.title())}", "", f"{md_escape(self.summary())}.", ""]
        if self.source_note:
            out += [f"*{md_escape(self.source_note)}*", ""]
        out += [line for w in self.warnings for line in (f"*Warning: {md_escape(w)}*", "")]
        for group, hits in self.groups():
            if self.by:
                out += [f"## {md_escape(group_heading(self.by, group))} ({group_count(hits)})", ""]
            for h in hits:
                out += [f"### {md_escape(_heading(h))}", "", f"*{md_escape(_about(h))}*", ""]
                for t in h.before:
                    out += [f"> *{md_escape(_turn_line(t))}*", ">"]
                text = marked_markdown(h.text, h.spans, paragraph="\n>\n> ")  # a section's clauses apart
                out.append(f"> **{md_escape(_who(h.speaker, h.role))}:** {text}")
                for t in h.after:
                    out += [">", f"> *{md_escape(_turn_line(t))}*"]
                out.append("")
        if not self.hits:
            out += [f"{md_escape(self.nothing())}", ""]
        return "\n".join(out)

    def docx(self) -> bytes:
        """The Markdown's reading as a Word document, for a paper's working file: headings by group and
        segment, the turns around each in grey italics, the segment's speaker in bold and its excerpt
        in bold. Control characters are shown as escapes (Word's XML cannot hold them)."""
        import io

        import docx  # python-docx: heavy, so only here
        from docx.shared import RGBColor

        grey = RGBColor(0x6B, 0x6B, 0x6B)
        document = docx.Document()
        document.core_properties.title = escape_controls(self.title())
        document.add_heading(escape_controls(self.title()), level=1)
        document.add_paragraph(escape_controls(self.summary()) + ".")
        for note in ([self.source_note] if self.source_note else []) + [
            f"Warning: {w}" for w in self.warnings
        ]:
            document.add_paragraph().add_run(escape_controls(note)).italic = True

        def context(t: Turn) -> None:
            run = document.add_paragraph().add_run(escape_controls(_turn_line(t)))
            run.italic, run.font.color.rgb = True, grey

        for group, hits in self.groups():
            if self.by:
                document.add_heading(
                    escape_controls(f"{group_heading(self.by, group)} ({group_count(hits)})"), 2
                )
            for h in hits:
                document.add_heading(escape_controls(_heading(h)), level=3)
                about = document.add_paragraph().add_run(escape_controls(_about(h)))
                about.italic, about.font.color.rgb = True, grey
                for t in h.before:
                    context(t)
                turn = document.add_paragraph()
                turn.add_run(escape_controls(_who(h.speaker, h.role)) + ": ").bold = True
                pos = 0
                for a, b in merge_spans(h.spans):  # cut at the spans first, then escaped: marks stay put
                    turn.add_run(escape_controls(h.text[pos:a]))
                    turn.add_run(escape_controls(h.text[a:b])).bold = True
                    pos = b
                turn.add_run(escape_controls(h.text[pos:]))
                for t in h.after:
                    context(t)
        if not self.hits:
            document.add_paragraph(escape_controls(self.nothing()))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def html(self) -> str:
        e = html.escape
        parts = [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f"<title>{e(self.title())}</title><style>{CSS}</style></head><body><main>",
            f"<h1>{e(self.title())}</h1>",
            f'<p class="meta">{e(self.summary())}.</p>',
        ]
        if self.source_note:
            parts.append(f'<p class="meta">{e(self.source_note)}</p>')
        parts += [f'<p class="meta">Warning: {e(w)}</p>' for w in self.warnings]
        for group, hits in self.groups():
            if self.by:
                parts.append(f"<h2>{e(group_heading(self.by, group))} ({group_count(hits)})</h2>")
            for h in hits:
                parts.append(
                    f'<section class="hit"><h3>{e(_heading(h))}</h3><p class="meta">{e(_about(h))}</p>'
                )
                parts += [f'<p class="context">{e(_turn_line(t))}</p>' for t in h.before]
                parts.append(
                    f'<p class="turn"><strong>{e(_who(h.speaker, h.role))}:</strong> {marked_html(h.text, h.spans)}</p>'
                )
                parts += [f'<p class="context">{e(_turn_line(t))}</p>' for t in h.after]
                parts.append("</section>")
        if not self.hits:
            parts.append(f"<p>{e(self.nothing())}</p>")
        parts.append("</main></body></html>\n")
        return "\n".join(parts)


CSP = "default-src 'none'; style-src 'unsafe-inline'"
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0; color: #1f2328;
       line-height: 1.5; }
main { max-width: 900px; margin: 0 auto; padding: 24px 32px 64px; }
h2 { border-bottom: 2px solid #d0d7de; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.4rem 0 0.2rem; }
.meta { color: #59636e; font-size: 0.9rem; margin: 0.2rem 0; }
.context { color: #8c959f; margin: 0.3rem 0 0.3rem 1rem; font-size: 0.92rem; }
.turn { margin: 0.4rem 0 0.4rem 1rem; white-space: pre-line; }  /* a section's clauses apart */
mark { background: #fff1a8; }
"""


def group_count(hits: list[Hit]) -> str:
    """A --by group's count for its heading: "4 segments from 2 participants", participants counted as
    the reports count them; a bare "(4)" under "role: officer" read as a theme table's "(n=4)", which
    counts participants. A group with no participant turn: "1 segment"."""
    people = len({(h.transcript, h.speaker) for h in hits if h.role == PARTICIPANT})
    return _count(len(hits), "segment") + (f" from {_count(people, 'participant')}" if people else "")


def _count(n: int, one: str) -> str:
    """ "1 participant", "2 participants", "2 turns of unknown speaker"."""
    if n == 1:
        return f"1 {one}"
    head, _, tail = one.partition(" of ")
    return f"{n:,} {head}s" + (f" of {tail}" if tail else "")


def _who(speaker: str | None, role: str) -> str:
    return "Document" if role == DOCUMENT else f"{speaker or 'Speaker'} ({role})"


def _turn_line(t: Turn) -> str:
    return f"{t.n}. {_who(t.speaker, t.role)}: {t.text}"


def _heading(h: Hit) -> str:
    if h.role == DOCUMENT:  # a document has sections and pages, not speakers
        pages = page_span(h.page, h.end_page)
        first, last = h.pages_of(h.spans)
        if pages and (first, last) != (h.page, h.end_page):  # the excerpts' own words on fewer pages
            pages = f"{page_span(first, last)} (the excerpt; the section is on {pages})"
        where = ", ".join(x for x in (h.label and f"section {h.label}", pages) if x)
        return f"{h.transcript} segment {h.segment}" + (f", {where}" if where else "") + " (document)"
    pages = page_span(h.page, h.end_page)  # a turn with pages (PDF, laid-out Word): over a page break, both
    first, last = h.pages_of(h.spans)
    if pages and (first, last) != (h.page, h.end_page):
        pages = f"{page_span(first, last)} (the excerpt; the turn is on {pages})"
    # A timed turn (VTT, SRT, Otter) is cited by where it starts in the recording, as pages cite a PDF's.
    at = f"at {clock(h.start_time)}" if h.start_time is not None else None
    where = ", ".join(x for x in (pages, at) if x)
    return f"{h.transcript} segment {h.segment}, {_who(h.speaker, h.role)}" + (f", {where}" if where else "")


def _about(h: Hit) -> str:
    # Otter's title and keyword list were a paragraph over every passage; the CSV and JSON keep them.
    attrs = ", ".join(
        f"{k}={v}" for k, v in sorted(brief_attributes(h.attributes).items()) if v not in (None, "")
    )
    coded = "; ".join(f"{c} by {', '.join(who) or 'the source'}" for c, who in h.applied_by.items())
    return " · ".join(x for x in (attrs, coded) if x)


def _around(segments: list[tuple], i: int, step: int, context: int) -> list[Turn]:
    """Up to `context` turns of segment i's transcript before it (step -1) or after it (step 1), the
    nearest first (segments are in transcript order): a context of a billion stops at the transcript's end."""
    out, j = [], i + step
    while len(out) < context and 0 <= j < len(segments) and segments[j][0] == segments[i][0]:
        out.append(Turn(*segments[j][1:]))
        j += step
    return out


def _empty_notes(
    db: Database,
    codes: list[str],
    members: dict[str, set[str]],
    source: str,
    rule: bool,
    deciders: set[str],
    decided: dict,
    hits: list[Hit],
) -> list[str]:
    """Why an answer is empty or short, so that an empty list is not read as a finding: a source that made
    no decision, a code no coder applied anywhere, codes other coders applied but the source did not."""
    if not rule and source not in deciders:
        return [
            (
                f'"{source}" has made no decisions (a memo makes a coder too), so nothing is retrieved. '
                "Pass --source consensus, majority, union or a coder who coded."
            )
        ]
    said = {c for h in hits for c in h.codes}
    used = codes_in_decisions(db, {m for c in codes if c not in said for m in members[c]})
    unused = [c for c in codes if c not in said and members[c].isdisjoint(used)]
    notes = [
        f'No coder has applied "{c}"{" or a code under it" if len(members[c]) > 1 else ""} to any segment '
        "(consensus included): the code is unused, not absent from the data."
        for c in unused
    ]
    asked = set().union(*(members[c] for c in codes))
    source_applied = any(asked & d.get(source, set()) for d in decided.values())
    if not hits and not unused and not rule and not source_applied:
        others = {
            key: sorted(coder for coder, applied in by_coder.items() if asked & applied)
            for key, by_coder in decided.items()
        }
        who = sorted({coder for names in others.values() for coder in names})
        if who:
            notes.append(
                f'"{source}" applied none of these codes; {", ".join(who)} applied them on '
                f"{_count(sum(bool(v) for v in others.values()), 'segment')}: "
                "try --source union, or another coder."
            )
    return notes


def check_codes(
    db: Database, codes: list[str], not_codes: list[str]
) -> tuple[Codebook, list[str], list[str]]:
    """(the active codebook, the asked codes it does not have, warnings about them); raises ReportError for
    a code neither the codebook nor any decision has. The command checks first, so that a mistyped code
    is the one line said, not the last under the source's warnings."""
    active = get_active_codebook(db)
    if active is None:
        raise ReportError(
            'No codebook is loaded in this project. Load one with "wei-qual codebook load FILE".'
        )
    # A split code's decisions not yet recoded are retrieved under it and its theme, as the reports count them.
    codebook = with_split_stubs(db, active[1])
    outside = [code for code in codes + not_codes if codebook.code(code) is None]
    warnings = []
    if outside:
        # A code an earlier version had, still on decisions (removed with --force): listing its
        # segments is how they are recoded.
        held = count_decisions_by_code(db)
        moved = {c.renamed_from: c.id for c in codebook.codes if c.renamed_from} | get_codebook_merges(
            db, active[0]
        )
        for code in outside:
            if not held.get(code):
                now = (
                    f' It was renamed or merged into "{moved[code]}": retrieve that.' if code in moved else ""
                )
                raise ReportError(
                    f'Code "{code}" is not in the active codebook "{codebook.name}"{codebook.did_you_mean(code)}.'
                    + (now or ' Check the ids with "wei-qual codebook show".')
                )
            warnings.append(
                f'"{code}" is not in the active codebook: it is a code of an earlier version, which no report '
                "counts. Recode these segments, or bring the code back in the codebook."
            )
    return codebook, outside, warnings


def retrieve(
    db: Database,
    codes: list[str],
    *,
    any_code: bool = False,
    not_codes: list[str] | None = None,
    source: str | None = None,
    coders: list[str] | None = None,
    exclude_coders: list[str] | None = None,
    by: str | None = None,
    transcripts: list[str] | None = None,
    context: int = DEFAULT_CONTEXT,
    kind: str = ALL_KINDS,
    where: Where | dict[str, str] | None = None,
) -> Retrieval:
    """Every segment with `codes` under `source` (None: consensus when it has decisions, else the union
    of the independent coders, said in `source_note`). Raises ReportError for unknown codes, transcripts,
    attributes or sources. Coder names are resolved by the caller."""
    if not codes:
        raise ReportError("Name at least one code to retrieve, e.g. wei-qual retrieve jail-fallback.")
    if context < 0:
        raise ReportError(f"--context must be 0 or more, not {context}.")
    if kind not in (*KINDS, ALL_KINDS):
        raise ReportError(f'Unknown kind "{kind}". Pass --kind interview, document or all.')
    codes = list(dict.fromkeys(codes))
    not_codes = list(dict.fromkeys(not_codes or []))
    codebook, outside, warnings = check_codes(db, codes, not_codes)
    names = {c.id: c.name for c in codebook.codes} | earlier_names(db, outside)
    members = {c: codebook.descendants(c) for c in codes + not_codes}

    all_coders = iter_coders(db)
    deciders = set(iter_deciders(db))
    # By default the coders who made decisions (a memo author is a coder too, but codes nothing).
    candidates = [c for c in all_coders if c != CONSENSUS and (coders is not None or c in deciders)]
    independent = select_coders(candidates, coders, exclude_coders)
    note = None
    if source is None:
        if CONSENSUS in deciders:
            source = CONSENSUS
        else:
            source = UNION
            note = (
                "No consensus decisions yet, so this shows the union of the independent coders "
                f"({', '.join(independent) or 'none'}). Choose with --source."
            )
    rule = source in (MAJORITY, UNION)
    if rule and not independent:
        raise ReportError(
            f"--source {source} needs decisions by independent coders, and none are selected. "
            'Import some with "wei-qual decisions import", or pass --source with a coder.'
        )
    if not rule and source not in all_coders:
        listed = ", ".join(all_coders) or "none"
        raise ReportError(
            f'No decisions by "{source}" in this project (coders: {listed}). '
            "Pass --source consensus, a coder's name, majority or union."
        )

    readers = sorted(set(independent) | ({source} if not rule else set()))
    decided: dict[tuple[str, int], dict[str, frozenset[str]]] = {}
    # Only the segments where some reader applied an asked code (or one under it) can be hits.
    asked = set().union(*(members[c] for c in codes))
    for t, n, coder, applied in iter_decisions_where_applied(db, asked, readers):
        decided.setdefault((t, n), {})[coder] = applied
    excerpts = iter_excerpts(db, coders=readers)

    attributes = get_attributes(db)
    if transcripts:
        transcripts = as_known_ids(transcripts, attributes)
        unknown = [t for t in transcripts if t not in attributes]
        if unknown:
            raise ReportError(unknown_transcript(unknown[0], attributes))
    speaker_attrs = get_speaker_attributes(db)
    try:
        where = where_values(where, [*attributes.values(), *speaker_attrs.values()], by)
    except ValueError as ex:
        raise ReportError(str(ex)) from ex
    # A value spelled two ways ("Rural", "rural") is one group, under one spelling, and said.
    spellings = value_spellings([*attributes.values(), *speaker_attrs.values()], by) if by else {}
    warnings += spelled_apart(by, spellings) if by else []
    left_by_where = 0
    wanted_transcripts = set(transcripts) if transcripts else None
    if kind != ALL_KINDS:  # interviews or documents only
        kinds = transcript_kinds(db)
        of_kind = {t for t, k in kinds.items() if k == kind}
        # "0 segments" for a document asked for with --kind interview would read as "never coded".
        other = [t for t in transcripts or [] if t not in of_kind]
        if other:
            what = "a document" if kinds[other[0]] == DOCUMENT_KIND else "an interview"
            raise ReportError(
                f'Transcript "{other[0]}" is {what}, and --kind {kind} leaves it out. '
                f"Pass --kind {kinds[other[0]]} or --kind all."
            )
        wanted_transcripts = of_kind if wanted_transcripts is None else wanted_transcripts & of_kind

    def has(applied: frozenset[str], code: str) -> bool:
        return not applied.isdisjoint(members[code])

    def wanted(applied: frozenset[str]) -> list[str]:
        """The asked codes `applied` has, or [] when it is no hit (not all of them, or a --not code)."""
        matched = [c for c in codes if has(applied, c)]
        if not matched or (not any_code and len(matched) < len(codes)):
            return []
        return [] if any(has(applied, c) for c in not_codes) else matched

    segments = iter_transcript_segment_tuples(db, [t for t, _ in decided])
    # A document's sections and pages, and the pages of turns that have them, to cite them by.
    labels = iter_segment_places(db)
    page_spans = iter_document_page_spans(db) if labels else {}
    times = iter_segment_times(db)
    index = {(t, n): i for i, (t, n, *_) in enumerate(segments)}
    hits: list[Hit] = []
    for key, by_coder in decided.items():
        if wanted_transcripts is not None and key[0] not in wanted_transcripts:
            continue
        if rule:
            sets = [by_coder[c] for c in independent if c in by_coder]
            if not sets:
                continue
            # The reports' rule, per code as applied: a theme holds when one of its codes does.
            agreed = rule_codes(sets, union=source == UNION)
        else:
            if source not in by_coder:
                continue
            agreed = by_coder[source]
        matched = wanted(agreed)
        if not matched:
            continue
        i = index.get(key)
        if i is None:
            continue
        t, n, speaker, role, text = segments[i]
        # Who applied the codes that hold (under majority, not a coder's code the others did not give).
        applied_by = {
            c: [
                coder
                for coder in sorted(by_coder)
                if coder in independent and has(by_coder[coder] & agreed, c)
            ]
            or ([source] if not rule else [])
            for c in matched
        }
        spans: dict[str, list[tuple[int, int]]] = {}
        sources = [source] if not rule else [w for c in matched for w in applied_by[c]]
        for c in matched:
            found = [
                (e.start, e.end)
                for coder in dict.fromkeys(sources)
                for e in excerpts.get((t, n, coder), ())
                if e.code in members[c] and (rule is False or (coder in applied_by[c] and e.code in agreed))
            ]
            if found:
                spans[c] = merge_spans(found)
        attrs = {**attributes.get(t, {}), **(speaker_attrs.get((t, speaker), {}) if speaker else {})}
        if where and not where.holds(role, attrs):
            left_by_where += 1
            continue
        before, after = _around(segments, i, -1, context), _around(segments, i, 1, context)
        hits.append(
            Hit(
                t,
                n,
                speaker,
                role,
                text,
                attrs,
                matched,
                applied_by,
                spans,
                before[::-1],
                after,
                group=by_group(role, attrs, by, spellings) if by else None,
                label=labels.get((t, n), (None, None, None))[0],
                page=labels.get((t, n), (None, None, None))[1],
                end_page=labels.get((t, n), (None, None, None))[2],
                page_spans=page_spans.get((t, n)),
                start_time=times.get((t, n), (None, None))[0],
                end_time=times.get((t, n), (None, None))[1],
            )
        )
    in_scope = {k: v for k, v in decided.items() if wanted_transcripts is None or k[0] in wanted_transcripts}
    notes = _empty_notes(db, codes, members, source, rule, deciders, in_scope, hits)
    if source == MAJORITY and not hits and not notes:
        # What majority leaves out is what only half of a segment's coders, or fewer, applied.
        unions = [frozenset().union(*(d[c] for c in independent if c in d)) for d in in_scope.values()]
        if some := sum(bool(wanted(applied)) for applied in unions):
            notes.append(
                "No segment has these codes under --source majority (more than half of a segment's coders), "
                f"but {_count(some, 'segment')} {'has' if some == 1 else 'have'} them from fewer: try --source "
                "union, or a coder."
            )
    if where and not hits and left_by_where:
        said = where.said()
        notes.append(
            f"{_count(left_by_where, 'segment')} {'has' if left_by_where == 1 else 'have'} these codes, "
            f"none of them from a participant (or document) with {said}. Retrieve without --where to see them."
        )
    warnings += notes
    if by:
        # Groups as the reports list them: numbers by value (4 before 12), then text, (missing), turns.
        hits.sort(key=lambda h: (value_order(h.group), segment_order(h.transcript, h.segment)))
    else:
        hits.sort(key=lambda h: segment_order(h.transcript, h.segment))
    return Retrieval(
        codes=codes,
        names=names,
        warnings=warnings,
        any_code=any_code,
        not_codes=not_codes,
        source=source,
        source_note=note,
        coders=independent,
        by=by,
        context=context,
        hits=hits,
        kind=kind,
        where=where,
        transcripts=list(dict.fromkeys(transcripts)) if transcripts else None,
    )
