"""Excerpts: the words of a segment that carry a code, as character spans of the segment's text.

The segment stays the unit of coding and agreement; an excerpt only says which words carry the code
(what a quote shows). Pure functions: sentence numbering for the session's `x CODE 2-3`, phrases, the
CSV form `CODE=start:end;...` with its checks, the text of an excerpt, and whether reconcile's copies
still mark the words their coders mark (stale_excerpt_copies, which reads the store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .controls import escape_controls, md_text_escaped
from .models import Decision, Excerpt, copy_coders, merge_spans

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas
    from sqlite_utils import Database

ELLIPSIS = " … "  # joins the spans of one code's excerpt when they are not adjacent

# A sentence ends at . ! ? or … (with closing quotes or brackets) before white space, or at a blank line.
# It starts at the first mark of a run: tried from each, a long run not before white space took time
# growing with its square.
_END = re.compile(r"(?<![.!?\u2026])[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n[ \t]*\n")
_NEXT = re.compile(r"\s*(\S)")
# Words whose full stop does not end a sentence (titles, ranks, Latin abbreviations).
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "sgt",
        "lt",
        "capt",
        "dept",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "approx",
        "cf",
        "al",
        "fig",
        "mt",
        "ft",
    }
)
# ASCII digits, and few enough for SQLite's integers (\d also takes other scripts' digits).
_ITEM = re.compile(r"^(?P<code>[^=:;]+)=(?P<start>-?[0-9]{1,18}):(?P<end>-?[0-9]{1,18})$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a turn as (start, end) spans, leading and trailing white space left out.

    A full stop after a known abbreviation or a single letter ("J.") does not end a sentence, nor one
    followed by a lower-case word ("e.g. the"). Deterministic and spaCy-free, so the session numbers
    sentences instantly and the numbers mean the same everywhere.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group().startswith("."):
            # The word before it (letters, digits, _ and full stops, as [\w.]), read back from it, and the
            # first letter after it: each read once, not from the sentence's start or to the text's end.
            # A word ending a line just before the mark counts too ("e.g" + line break + ".").
            last = m.start() - 1 if m.start() > start and text[m.start() - 1] == "\n" else m.start()
            first = last
            while first > start and (text[first - 1].isalnum() or text[first - 1] in "._"):
                first -= 1
            before = text[first:last].lower().rstrip(".")
            following = _NEXT.match(text, end)
            if (
                before in _ABBREVIATIONS
                or (len(before) == 1 and before.isalpha())
                or (following and following.group(1).islower())
            ):
                continue
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        spans.append((start + lead, end - trail))


def sentence_span(sentences: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """The span from sentence `first` to sentence `last` (1-based, inclusive). Raises ValueError."""
    if not sentences:
        raise ValueError("This turn has no sentences.")
    if first > last:
        first, last = last, first
    if first < 1 or last > len(sentences):
        raise ValueError(f"This turn has sentences 1 to {len(sentences)}; type # to see their numbers.")
    return sentences[first - 1][0], sentences[last - 1][1]


def find_phrase(text: str, phrase: str) -> tuple[list[tuple[int, int]], str | None]:
    """Where a typed phrase occurs in the turn: (spans, problem or None). Case, accents, curly or straight
    quotes, spacing and a control character typed as its visible escape are forgiven (wei_qual.textmatch),
    as the session's search forgives them."""
    from .textmatch import find

    if not phrase.split():
        return [], "The phrase is empty."
    found = find(text, phrase)
    if not found:
        shown = " ".join(escape_controls(phrase).split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        return [], (
            f'"{shown}" is not in this turn (case, accents, quotes and spacing are ignored). Check the '
            "words, or type # to number the sentences and mark them: x ID 2-3."
        )
    return found, None


def normalise(excerpts: Iterable[Excerpt]) -> tuple[Excerpt, ...]:
    """Excerpts sorted, each code's overlapping spans joined: the one form decisions store."""
    by_code: dict[str, list[tuple[int, int]]] = {}
    for e in excerpts:
        by_code.setdefault(e.code, []).append((e.start, e.end))
    return tuple(Excerpt(code, a, b) for code in sorted(by_code) for a, b in merge_spans(by_code[code]))


def stale_excerpts(decision: Decision, found: dict[tuple[str, int, str], tuple]) -> bool:
    """Whether a copy's excerpts differ from those the coders it names mark now for its codes, joined
    (as the copy took them): a coder who narrowed a quote after the copy was made."""
    named = copy_coders(decision.rationale)
    now = normalise(
        e
        for coder in named
        for e in found.get((decision.transcript, decision.segment, coder), ())
        if e.code in decision.codes
    )
    return bool(named) and now != normalise(decision.excerpts)


def stale_excerpt_copies(db: Database, consensus: str) -> int:
    """How many of `consensus`'s copies still have the codes of every coder they name but not the words
    those coders mark for them now (the copies whose codes changed are counted by
    store.decisions.stale_consensus_copies). Every report read from consensus asks it: it lives here, not
    beside reconcile, as importing the agree package cost each report about 25 ms."""
    from .store.decisions import get_decision, iter_copies_with_excerpts, iter_excerpts  # the rest is pure

    copies = iter_copies_with_excerpts(db, consensus)
    found = iter_excerpts(db) if copies else {}
    stale = 0
    for d in copies:
        if not stale_excerpts(d, found):
            continue
        theirs = [get_decision(db, d.transcript, d.segment, c) for c in copy_coders(d.rationale)]
        stale += all(t is not None and t.codes == d.codes for t in theirs)
    return stale


def spans_of(excerpts: Iterable[Excerpt], code: str) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in excerpts if e.code == code]


def excerpt_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The words of the spans, in order, joined by " … " where they are not adjacent."""
    parts = [text[a:b].strip() for a, b in merge_spans(spans)]
    return ELLIPSIS.join(p for p in parts if p)


def format_excerpts(excerpts: Iterable[Excerpt]) -> str:
    """The CSV cell: `CODE=start:end` items separated by ";" (empty when there are none)."""
    return ";".join(f"{e.code}={e.start}:{e.end}" for e in sorted(excerpts))


@dataclass(frozen=True)
class Checked:
    """Excerpts read from a cell or a list, with the problems found (one message each)."""

    excerpts: tuple[Excerpt, ...]
    problems: tuple[str, ...]


def parse_excerpts(
    cell: str, *, codes: Iterable[str], length: int | None, ids: Mapping[str, str] | None = None
) -> Checked:
    """Read and check a CSV `excerpts` cell against the row's codes and the segment's text length.

    `length` is None when the segment is unknown (its own problem is reported elsewhere); `ids`: see
    check_excerpts.
    """
    items = [item.strip() for item in cell.split(";") if item.strip()]
    problems: list[str] = []
    found: list[Excerpt] = []
    for item in items:
        m = _ITEM.match(item.replace(" ", ""))
        if m is None:
            problems.append(
                f'excerpt "{item[:40]}" is not CODE=start:end (character offsets in the segment, e.g. '
                '"csu-refusal=0:42"). Separate several with ";".'
            )
            continue
        found.append(Excerpt(m.group("code"), int(m.group("start")), int(m.group("end"))))
    checked = check_excerpts(found, codes=codes, length=length, ids=ids)
    return Checked(checked.excerpts, tuple(problems) + checked.problems)


def check_excerpts(
    excerpts: Iterable[Excerpt],
    *,
    codes: Iterable[str],
    length: int | None,
    text: str | None = None,
    ids: Mapping[str, str] | None = None,
) -> Checked:
    """Check excerpts against a decision's codes and its segment: every code applied, every span inside
    the segment's text and not empty. With `text`, the quoted words must be the segment's (JSON import).
    `ids` (casefolded id -> id, as an import reads the codes cell) reads an excerpt's code as the codes
    cell's is read: one the codebook renamed or merged since is the new id's, as its code is."""
    applied = set(codes)
    problems: list[str] = []
    kept: list[Excerpt] = []
    for e in excerpts:
        if ids is not None and ids.get(e.code.casefold(), e.code) != e.code:
            e = Excerpt(ids[e.code.casefold()], e.start, e.end)
        before = len(problems)
        if e.code not in applied:
            problems.append(
                f'excerpt for code "{e.code}", which the row does not apply. Add the code to codes, or '
                "remove the excerpt."
            )
        if e.start < 0 or e.end <= e.start:
            problems.append(
                f"excerpt {e.code}={e.start}:{e.end} is empty or reversed. Give start < end "
                "(0 is the segment's first character)."
            )
        elif length is not None and e.end > length:
            problems.append(
                f"excerpt {e.code}={e.start}:{e.end} ends after the segment's text, which has {length} "
                'characters. Check the offsets against "wei-qual transcripts show".'
            )
        if len(problems) == before:
            kept.append(e)
    return Checked(normalise(kept), tuple(problems))


def describe(text: str, start: int, end: int, sentences: list[tuple[int, int]] | None = None) -> str:
    """How the screen names a span: "sentences 2-3" when it is whole sentences, else the words quoted."""
    sentences = split_sentences(text) if sentences is None else sentences
    starts = [i for i, (a, _) in enumerate(sentences, 1) if a == start]
    ends = [i for i, (_, b) in enumerate(sentences, 1) if b == end]
    if starts and ends:
        first, last = starts[0], ends[0]
        return f"sentence {first}" if first == last else f"sentences {first}-{last}"
    words = " ".join(text[start:end].split())
    return f'"{words[:37]}…"' if len(words) > 38 else f'"{words}"'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_SPACES = re.compile(r"\s+")


def md_escape(text: str) -> str:
    """Text for Markdown: characters that would start emphasis, links, HTML or headings are escaped,
    and runs of white space (line breaks too) become one space, so a turn stays one paragraph; control
    characters are shown as escapes (wei_qual.controls), and "&lt;" stays as written."""
    return escape_controls(md_text_escaped(_MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", text))))


# A blank line while a text is escaped: the same length, so the spans stay put, and no white space, so
# md_escape keeps it.
_PARAGRAPH = "\ue000\ue000"
_EDGES = " \t\n\r\x0b\x0c\ue000"
# A paragraph opening with a list marker ("- ", "+ ", "1. ", "2) ") would be a Markdown list item.
_LIST_START = re.compile(r"^( *)([-+]|\d{1,9}[.)])(?= |$)")
# A line of only "-" or "=" (spaces between) is a rule, or turns the line above into a heading.
_RULE = re.compile(r"^( *)([-=])(?=[-= ]*$)")


def md_rule_escaped(line: str) -> str:
    """An escaped line (md_escape) that stays text: "---" and "===" alone are a rule or a heading's
    underline in Markdown, so their first character is escaped."""
    return _RULE.sub(r"\1\\\2", line)


def marked_markdown(text: str, spans: list[tuple[int, int]], *, paragraph: str = " ") -> str:
    """A turn for Markdown with its excerpt spans in bold. Its paragraphs (a document section's clauses)
    are joined by `paragraph`: a space keeps the turn one paragraph; "\n>\n> " keeps them apart in a
    quote, each opening as written (a leading "-" or "1." stays text, not a list)."""
    text = text.replace("\n\n", _PARAGRAPH)
    out, pos = [], 0
    for a, b in merge_spans(spans):
        piece = text[a:b]
        lead, core, trail = (
            piece[: len(piece) - len(piece.lstrip(_EDGES))],
            piece.strip(_EDGES),
            piece[len(piece.rstrip(_EDGES)) :],
        )
        out.append(md_escape(text[pos:a] + lead))
        if core:  # bold cannot span paragraphs: closed before a break and opened again after it
            out.append("**" + md_escape(core).replace(_PARAGRAPH, "**" + _PARAGRAPH + "**") + "**")
        out.append(md_escape(trail))
        pos = b
    out.append(md_escape(text[pos:]))
    parts = [part.replace("\ue000", "").strip() for part in "".join(out).split(_PARAGRAPH)]
    parts = [part for part in parts if part]
    if paragraph == " ":
        return " ".join(parts)
    return paragraph.join(
        parts[:1] + [md_rule_escaped(_LIST_START.sub(r"\1\\\2", part)) for part in parts[1:]]
    )


def marked_html(text: str, spans: list[tuple[int, int]]) -> str:
    """A turn for HTML (escaped, control characters shown as escapes) with its excerpt spans in <mark>.
    Each piece is escaped after the text is cut at the spans, so the marks stay on their characters."""
    import html

    def shown(piece: str) -> str:
        return html.escape(escape_controls(piece))

    out, pos = [], 0
    for a, b in merge_spans(spans):
        out.append(shown(text[pos:a]))
        out.append(f"<mark>{shown(text[a:b])}</mark>")
        pos = b
    out.append(shown(text[pos:]))
    return "".join(out)
