"""Exemplar quotes: the best segments for each code, optionally a few per attribute value.

Preferred, in order: turns that are substantive (25-200 words), complete (end with sentence
punctuation, do not start mid-sentence) and agreed (every independent coder who decided the segment
applied the code); then substantive, then complete, then agreed turns; then length closest to 60 words.
Quotes come from different participants first (a participant is one speaker of one transcript).
Where the source marked an excerpt for the code, the quote is the excerpt, and the preferences above
are judged on its words.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..defaults import DEFAULT_PER_GROUP
from ..errors import ReportError
from ..excerpts import excerpt_text
from ..models import Where, clock, count_words, excerpt_pages, page_span
from .data import ReportData, paused_gc, themes_of
from .matrix import unique_column
from .writers import Table

MIN_WORDS, MAX_WORDS, IDEAL_WORDS = 25, 200, 60
# Also the full-width stops of Chinese and Japanese (`。`, `？`) and the Arabic, Armenian, Ethiopic and
# Devanagari ones, with their closing quotes and brackets (`」`, `）`): a Chinese answer was never complete.
_ENDS_SENTENCE = re.compile(r"[.!?\u2026。！？．؟։።፧।][\"'\u201d\u2019)\]」』）】》]*$")
_STARTS_MID = re.compile(r"^(\.\.\.|\u2026|-|\u2013|\u2014)")


@dataclass
class Quote:
    code: str
    name: str
    group: str | None  # value of the --by attribute, None without --by
    transcript: str
    segment: int
    speaker: str | None
    text: str
    words: int
    agreed: bool  # every independent coder who decided the segment applied the code
    complete: bool
    attributes: dict[str, str] = field(default_factory=dict)  # the speaker's, over the transcript's
    cited_as: str = ""  # the transcript id, plus the speaker when the transcript has several participants
    excerpt: bool = False  # `text` is the excerpt marked for the code, not the whole turn
    shown: tuple[str, ...] = ()  # the attributes the citation names (--by, then --show)
    start_time: float | None = None  # where the turn starts in its recording (a timed file's), to cite it
    level: str = "code"  # "theme" for a code with children, as the theme table says
    page: int | None = None  # the pages of the quote's words (a PDF's or a laid-out Word file's turn)
    end_page: int | None = None

    @property
    def pages(self) -> str | None:
        """ "p. 3", "pp. 3–4" (None: the turn's file has no pages)."""
        return page_span(self.page, self.end_page, form="p.")

    @property
    def cite(self) -> str:
        """Where the quote is in the data, as a paper cites it back: "P06:14", the form `transcripts show`
        and `search` take, then the pages of its words, "P06:14, p. 3", when the turn's file has pages (as
        `search` cites a hit), and "at 0:04:04" when the file timed it (as `retrieve` cites it)."""
        at = clock(self.start_time)
        pages = self.pages
        return (
            f"{self.transcript}:{self.segment}"
            + (f", {pages}" if pages else "")
            + (f"{',' if pages else ''} at {at}" if at else "")
        )

    @property
    def participant(self) -> str:
        """How a paper cites the speaker: the participant id, then the values of the attributes asked
        for ("P03, officer" with --by role); "P10 Officer, officer" in a pair interview."""
        values = [self.attributes[k] for k in self.shown if self.attributes.get(k) not in (None, "")]
        return ", ".join([self.cited_as or self.transcript, *values])


@dataclass
class QuoteSet:
    source: str
    by: str | None
    per_group: int
    quotes: list[Quote]
    show: list[str] = field(default_factory=list)  # attributes named in the Participant column besides --by
    attribute_names: list[str] = field(default_factory=list)  # every participant attribute: CSV/XLSX columns
    empty: list[str] = field(default_factory=list)  # why an asked --code has no quote, to say as a warning
    where: Where = field(default_factory=Where)  # --where: the participants quoted
    where_note: str = ""  # what --where kept, said first in the notes

    def to_json(self) -> dict:
        return {
            "source": self.source,
            **self.where.to_json(),  # where, where_not
            "by": self.by,
            "show": self.show,
            "per_group": self.per_group,
            "quotes": [
                {
                    "code": q.code,
                    "name": q.name,
                    "level": q.level,
                    "group": q.group,
                    "transcript": q.transcript,
                    "segment": q.segment,
                    "speaker": q.speaker,
                    "start_time": q.start_time,
                    "page": q.page,
                    "end_page": q.end_page,
                    "cite": q.cite,
                    "participant": q.participant,
                    "attributes": q.attributes,
                    "words": q.words,
                    "agreed": q.agreed,
                    "complete": q.complete,
                    "excerpt": q.excerpt,
                    "text": q.text,
                }
                for q in self.quotes
            ],
        }

    def data_table(self) -> Table:
        """Every quote with its segment, speaker, every participant attribute (one column each, sorted
        by name, empty when missing; a name clashing with another column gets `attr_`, as in the matrix)
        and the agreed, complete and excerpt flags (0/1)."""
        fixed = (
            ["code", "name"]
            + ([self.by] if self.by else [])
            + ["transcript", "segment", "speaker", "pages", "time"]
        )
        flags = ["words", "agreed", "complete", "excerpt", "text"]
        used = {*fixed, "participant", *flags}
        columns = fixed + ["participant"] + [unique_column(a, used, "attr_") for a in self.attribute_names]
        rows = [
            [q.code, q.name]
            + ([q.group] if self.by else [])
            + [q.transcript, q.segment, q.speaker, page_span(q.page, q.end_page, form="") or None]
            + [clock(q.start_time) or None, q.participant]
            + [q.attributes.get(a) for a in self.attribute_names]
            + [q.words, int(q.agreed), int(q.complete), int(q.excerpt), q.text]
            for q in self.quotes
        ]
        return Table("quotes", self.title(), columns + flags, rows, self._notes())

    def title(self) -> str:
        """ "Exemplar quotes (consensus)", "Exemplar quotes (consensus, where setting=rural)"."""
        return f"Exemplar quotes ({self.source}{f', where {self.where.said()}' if self.where else ''})"

    def _notes(self) -> list[str]:
        agreed = sum(q.agreed for q in self.quotes)
        return [self.where_note] * bool(self.where_note) + [
            (
                f"Source: {self.source}. {agreed} of {len(self.quotes)} quotes are turns every coder who "
                "decided them applied the code to (the agreed column of --format csv or json says which)."
            )
        ]

    def data_tables(self) -> list[Table]:
        return [self.data_table()]

    def display_tables(self) -> list[Table]:
        return [self.display_table()]

    def display_table(self) -> Table:
        """The exemplar-quotes table of a paper: code (or theme), quote, participant (id and the attributes
        asked for) and where the quote is ("P06:14 at 0:04:04", "P21:2, p. 2"), so each can be cited back to its turn."""
        head = self.heading()
        columns = [head] + ([self.by] if self.by else []) + ["Quote", "Participant", "Segment"]
        rows = [
            [q.name] + ([q.group] if self.by else []) + [q.text, q.participant, q.cite] for q in self.quotes
        ]
        return Table(
            "quotes",
            self.title(),
            columns,
            rows,
            self._notes(),
            kinds={
                head: "text",
                "Quote": "prose",
                "Participant": "text",
                "Segment": "id",
                **({self.by: "text"} if self.by else {}),
            },
        )

    def heading(self) -> str:
        """What the rows quote: "Code", "Theme" (every row a theme), or "Code or theme" when they mix."""
        levels = {q.level for q in self.quotes}
        return {frozenset({"theme"}): "Theme", frozenset({"code", "theme"}): "Code or theme"}.get(
            frozenset(levels), "Code"
        )


def is_complete(text: str) -> bool:
    """A whole turn: ends with sentence punctuation and does not start mid-sentence."""
    text = text.strip()
    return bool(_ENDS_SENTENCE.search(text)) and not _STARTS_MID.match(text)


def _pick(ranked: Iterable[int], n: int, participant_of) -> list[int]:
    """The first n candidates in preference order, one per participant before a second from anyone.

    `ranked` gives candidates in preference order, and is read only as far as needed;
    `participant_of(candidate)` names its participant.
    """
    chosen: list[int] = []
    seen: set = set()
    walked: list[int] = []
    for item in ranked:
        walked.append(item)
        participant = participant_of(item)
        if participant not in seen:
            chosen.append(item)
            seen.add(participant)
            if len(chosen) == n:
                return chosen
    taken = set(chosen)
    return chosen + [item for item in walked if item not in taken][: n - len(chosen)]


@paused_gc(freeze=True)
def build_quotes(
    data: ReportData,
    *,
    codes: list[str] | None = None,
    by: str | None = None,
    per_group: int = DEFAULT_PER_GROUP,
    show: list[str] | None = None,
    times: Mapping[tuple[str, int], tuple[float, float | None]] | None = None,
    pages: Mapping[tuple[str, int], tuple[int, int | None, tuple | None]] | None = None,
) -> QuoteSet:
    """Pick up to `per_group` exemplar quotes per code (and per value of `by`). Raises ReportError.

    Without `codes`, every code and theme of the codebook that has a coded segment, in codebook order.
    The Participant column cites the participant id and the values of `by` and of the attributes in
    `show`, in that order. `times`: where timed turns start in their recordings
    (store.transcripts.iter_segment_times), and `pages`: the pages of turns that have them
    (store.transcripts.iter_segment_pages), to cite a quote by.
    """
    if not data.with_coders:
        raise ValueError("quotes need the coders' decisions: load_report_data(..., with_coders=True)")
    if per_group < 1:
        raise ReportError(f"--per-group must be at least 1, not {per_group}. Pass --per-group 1 or more.")
    asked = bool(codes)
    if codes:
        data.check_codes(codes)
        codes = list(dict.fromkeys(codes))
    else:
        codes = [c.id for c in data.codebook.codes]
    if by is not None:
        data.check_attributes([by])
    show = [a for a in dict.fromkeys(show or []) if a != by]
    data.check_attributes(show, "--show")
    shown = tuple(([by] if by else []) + show)
    group_order = list(data.group_sizes(by)) if by else [None]

    names = {c.id: c.name for c in data.codebook.codes}
    parents = themes_of(data.codebook)
    wanted = frozenset(codes)
    group_of = {p: data.group_of(p, by) if by else None for p in data.participants}
    # A study has tens of thousands of coded segments: each candidate is one integer that sorts in
    # preference order (the rank, then the segment's place in transcript order), and Quote objects
    # are built only for the few picked. A candidate is first ranked as if every coder had applied the
    # code, which no other rank comes before; whether they did is looked up only for the candidates that
    # come up in that order (the coders' codes of a few hundred turns, not of every turn).
    keys = list(data.applied)  # in study order (P2 before P10), then segment number: the tie-break
    size = len(keys)
    candidates = {group: {code: [] for code in codes} for group in group_order}  # group -> code -> ranks
    marked: dict[tuple[int, str], tuple[str, bool]] = {}  # (index, code) -> (excerpt text, complete)
    agreed: dict[int, frozenset[str]] = {}  # index -> codes every coder who decided the turn applied

    def ranks(text: str, index: int) -> tuple[int, int, bool]:
        """(rank when agreed, rank otherwise, complete) of a quote's words."""
        words = count_words(text)
        substantive = MIN_WORDS <= words <= MAX_WORDS
        complete = is_complete(text)
        distance = min(abs(words - IDEAL_WORDS), 99_999)
        # Tiers: best (substantive, complete and agreed) first, then substantive, complete, agreed. A
        # candidate's rank when agreed is below its rank otherwise.
        tier = 4 * (not substantive) + 2 * (not complete)
        agreed_rank = ((8 * (not (substantive and complete)) + tier) * 100_000 + distance) * size + index
        other_rank = ((8 + tier + 1) * 100_000 + distance) * size + index
        return agreed_rank, other_rank, complete

    def agreed_on(index: int) -> frozenset[str]:
        common = agreed.get(index)
        if common is None:
            common = agreed[index] = data.agreed_on(keys[index])
        return common

    def words_of(code: str, index: int) -> tuple[str, bool]:
        """The quote's text (the excerpt marked for the code, or the whole turn) and whether it is complete."""
        found = marked.get((index, code))
        if found is not None:
            return found
        text = data.segments[keys[index]]["text"]
        return text.strip(), is_complete(text)

    applied, segments, excerpts = data.applied, data.segments, data.excerpts
    for index, key in enumerate(keys):
        hits = applied[key] & wanted
        if not hits:
            continue
        row = segments[key]
        text = row["text"]
        first = ranks(text, index)[0]
        lists = candidates[group_of[(key[0], row["speaker"])]]  # the participant (data.participant_of)
        if key not in excerpts:  # most turns: every code's quote is the whole turn
            for code in hits:
                lists[code].append(first)
            continue
        for code in hits:
            rank = first
            spans = data.excerpt_spans(key, code)
            if spans:  # the words the coder marked for this code are the quote
                words = excerpt_text(text, spans)
                rank, _, whole = ranks(words, index)
                marked[(index, code)] = (words, whole)
            lists[code].append(rank)

    def in_order(code: str, ranked: list[int]) -> Iterator[int]:
        """The candidates of a code in preference order: the first in the heap is given out when its rank
        is its own, and put back with its rank otherwise when the coders did not all apply the code."""
        heapq.heapify(ranked)
        while ranked:
            item = ranked[0]
            index = item % size
            good, other, _ = ranks(words_of(code, index)[0], index)
            own = good if code in agreed_on(index) else other
            if item == own:
                yield heapq.heappop(ranked)
            else:
                heapq.heapreplace(ranked, own)

    def quote(code: str, item: int) -> Quote:
        index = item % size
        transcript, n = keys[index]
        row = data.segments[keys[index]]
        text, complete = words_of(code, index)
        participant = (transcript, row["speaker"])
        page, end_page, spans = (pages or {}).get((transcript, n), (None, None, None))
        if page is not None and (index, code) in marked:  # the excerpt's own pages, as retrieve cites them
            page, end_page = excerpt_pages(page, end_page, spans, data.excerpt_spans(keys[index], code))
        return Quote(
            code=code,
            name=names[code],
            group=data.group_of(participant, by) if by else None,
            transcript=transcript,
            segment=n,
            speaker=row["speaker"],
            text=text,
            words=count_words(text),
            agreed=code in agreed_on(index),
            complete=complete,
            attributes=dict(data.attributes_of(participant)),
            cited_as=data.label_of(participant),
            excerpt=(index, code) in marked,
            shown=shown,
            start_time=(times or {}).get((transcript, n), (None, None))[0],
            level="theme" if code in parents else "code",
            page=page,
            end_page=end_page,
        )

    def participant_of(item: int):
        return data.participant_of(keys[item % size])

    quotes: list[Quote] = []
    for code in codes:
        for group in group_order:
            ranked = in_order(code, candidates[group][code])
            quotes += [quote(code, item) for item in _pick(ranked, per_group, participant_of)]
    attributes = sorted(
        {name for values in data.attributes.values() for name in values}
        | {name for values in data.speaker_attributes.values() for name in values}
    )
    quoted = {q.code for q in quotes}
    # Nobody kept is said once, not as each asked code's missing quote.
    empty = data.kept_nobody("there is no quote") or [
        _no_quote(data, code) for code in (codes if asked else ()) if code not in quoted
    ]
    return QuoteSet(
        source=data.source,
        by=by,
        per_group=per_group,
        quotes=quotes,
        show=show,
        attribute_names=attributes,
        empty=empty,
        where=data.where,
        where_note=data.where_note(": every quote is one of theirs") if data.where else "",
    )


def _no_quote(data: ReportData, code: str) -> str:
    """Why an asked code has no quote: an empty table read as "nobody raised it" where the coders applied
    it on turns the source (an unreconciled consensus, one coder) did not."""
    coded = sum(any(code in s for s in sets) for sets in data.coder_codes.values())
    # With --where, of the kept participants' turns (ReportData.only keeps the coders' turns of theirs).
    whose = f" of a participant with {data.where.said()}" if data.where else ""
    turn = f"turn{whose}" if data.where else "participant turn"
    if not coded:
        # A code just split off (data.with_split_stubs): its turns may wait, not yet recoded, under the old id.
        parent = next((c.id for c in data.codebook.codes if code in c.split_into), None)
        if parent is not None:
            return (
                f'No quote for "{code}": no coder applied it to a {turn} yet. It is one of the codes "{parent}" '
                f'was split into, whose turns not yet recoded "--code {parent}" quotes.'
            )
        unused = "the code is unused there" if data.where else "the code is unused, not absent from the data"
        return f'No quote for "{code}": no coder applied it to a {turn}, so {unused}.'
    of = (
        f" of {'participants' if coded != 1 else 'a participant'} with {data.where.said()}"
        if data.where
        else ""
    )
    turns = f"{coded:,} {'turn' if data.where else 'participant turn'}{'s' if coded != 1 else ''}{of}"
    return (
        f'No quote for "{code}": {data.source} applied it to no {turn}, though the coders '
        f"applied it on {turns}. Reconcile them, or pass --source union."
    )
