"""A document's segments: its numbered sections when it numbers them, else its paragraphs. Pure.

Readers give blocks (paragraphs, with a page and whether the source sets them as headings). A block
that starts with a section number is a section start when the number comes after the one before it
(4.1 after 4, 4.2 after 4.1, 5 after 4.2), so a numbered list inside a section ("1. Intoxication") stays
its text:

- `4.2 Exclusion criteria` alone (a short title, no closing period): a heading; the blocks after it,
  up to the next section, are the section's text and the heading is its label;
- `1. Purpose. This memorandum sets out...` (a run-in title): label `1. Purpose`, the rest its text;
- `3.1 The agency shall...` (a sub-numbered clause with no title): label `3.1`, the rest its text.

With two or more numbered sections the document is split by section (unnumbered headings such as
"Signatures" start sections too, and paragraphs before the first section are segments of their own).
Otherwise every paragraph is a segment, labelled with the heading above it (Markdown `#`, a Word
heading style, bold or larger type in a PDF). A heading with no text under it is not a segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import count_words, page_span
from . import lexicon

_NUMBERED = re.compile(
    r"(?:(?:section|sec\.|§)\s*)?(?P<num>\d{1,3}(?:\.\d{1,3}){0,4})(?P<dot>[.)])?\s+(?P<rest>\S.*)",
    re.IGNORECASE | re.DOTALL,
)
# A run-in title starts with a letter (of any script: see _capital), then up to its first period or colon.
_RUN_IN = re.compile(r"(?P<title>[^\W\d_][^.:;!?\n]{0,60}?)[.:]\s+(?P<body>\S.*)", re.DOTALL)
HEADING_WORDS = 12  # a title longer than this is a sentence, not a heading
RUN_IN_WORDS = 8


@dataclass(frozen=True)
class Block:
    """One paragraph of a document as its reader found it."""

    text: str
    where: str  # for messages: "line 12", "paragraph 4", "3:14" (page:line)
    page: int | None = None
    heading: bool = False  # set as a heading by the source (Markdown #, Word heading style, bold in a PDF)
    end_page: int | None = None  # the page of its last line, when a page break falls inside it
    breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a later page starts inside it

    @property
    def last_page(self) -> int | None:
        return self.end_page if self.end_page is not None else self.page


@dataclass
class Section:
    """One segment of a document: its label (section heading, or the heading above a paragraph), the
    pages it starts and ends on, and its paragraphs."""

    label: str | None
    page: int | None
    paragraphs: list[str] = field(default_factory=list)
    number: str | None = None  # "4.2" for a numbered section
    end_page: int | None = None  # the page its text ends on (None: the page it starts on)
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)  # see page_spans

    def add(self, block: Block, text: str) -> None:
        """Add a paragraph of the section's text, read from `block`: the section now ends on its last page."""
        at = sum(len(p) + 2 for p in self.paragraphs)  # where it starts in `text`, after "\n\n"
        self.paragraphs.append(text)
        shift = block.text.rfind(text)  # a run-in title's paragraph is read from after its title
        if block.page is None:
            pass
        elif shift < 0 or not block.breaks:
            self.pieces.append((at, at + len(text), block.page, block.last_page))
        else:
            first = max(((b, p) for b, p in block.breaks if b <= shift), default=(0, block.page))[1]
            cuts = [(b - shift, p) for b, p in block.breaks if 0 < b - shift < len(text)]
            bounds = [0, *(c for c, _ in cuts), len(text)]
            pages = [first, *(p for _, p in cuts)]
            self.pieces += [(at + a, at + b, p, p) for a, b, p in zip(bounds, bounds[1:], pages)]
        last = block.last_page
        if last is not None and (self.end_page is None or last > self.end_page):
            self.end_page = last

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def page_spans(self) -> tuple[tuple[int, int, int, int], ...] | None:
        """(start, end, page, end page) of each stretch of its text on known pages, those on the same pages
        run together, when it runs over more than one page (else None: its page is every word's)."""
        if self.page is None or self.end_page is None or self.end_page <= self.page or not self.pieces:
            return None
        out: list[tuple[int, int, int, int]] = []
        for a, b, p, e in self.pieces:
            if out and out[-1][2:] == (p, e):
                out[-1] = (out[-1][0], b, p, e)
            else:
                out.append((a, b, p, e))
        return tuple(out)


@dataclass(frozen=True)
class _Start:
    """A block that may start a numbered section."""

    number: tuple[int, ...]
    label: str
    body: str  # the text after the heading in the same block ("" for a heading alone)
    titled: bool = True  # False for a clause ("3.1 The agency shall..."): its label is its number alone


def _capital(text: str) -> bool:
    """Whether `text` starts as a title may (lexicon.capital): a letter of a script that has no capitals
    (Hebrew, Arabic, Chinese: `3. מדיניות הקבלה`) counts, which used to be taken for a list item's
    lower-case text, so a Hebrew or Arabic policy was never split by section. A lower-case start
    (`1. persons who...`) is an item of a list in every script that has capitals."""
    return lexicon.capital(text)


def _title_like(text: str, *, styled: bool) -> bool:
    return (
        0 < count_words(text) <= HEADING_WORDS
        and (styled or not text.rstrip().endswith((".", ";", ",", ":")))
        and "\n" not in text.strip()
        and _capital(text)
    )


def section_start(block: Block) -> _Start | None:
    """The section this block would start, if its text begins with a section number (see the module doc)."""
    text = block.text.strip()
    m = _NUMBERED.fullmatch(text)
    if not m:
        return None
    number = tuple(int(x) for x in m["num"].split("."))
    rest = m["rest"].strip()
    if _title_like(rest, styled=block.heading):
        return _Start(number, " ".join(text.split()), "")
    first, _, below = rest.partition("\n")
    if below.strip() and _title_like(first, styled=False):  # the heading on its own line, text below it
        return _Start(number, " ".join(text[: m.start("rest")].split() + first.split()), below.strip())
    run_in = _RUN_IN.fullmatch(rest)
    if run_in and len(run_in["title"].split()) <= RUN_IN_WORDS and _capital(run_in["title"]):
        label = f"{m['num']}{m['dot'] or ''} {run_in['title'].strip()}"
        return _Start(number, label, run_in["body"].strip())
    if len(number) > 1:  # "3.1 The agency shall..."
        return _Start(number, m["num"], rest, titled=False)
    return None  # "1. Persons who are intoxicated...": an item of a list


def follows(previous: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    """Whether a section numbered `number` can come after `previous`: a later number (4.2 -> 4.3, 4.2 -> 5,
    a skipped 4.2 -> 4.4), at most one level deeper (4 -> 4.1). A number that goes back (4.2 -> 1) starts
    a list inside the section, not a section. The first section may have any number."""
    if previous is None:
        return True
    return number > previous and len(number) <= len(previous) + 1


def split_sections(blocks: list[Block]) -> list[Section]:
    """The document's segments (see the module docstring), in order; none without text."""
    starts: dict[int, _Start] = {}
    previous: tuple[int, ...] | None = None
    for i, block in enumerate(blocks):
        start = section_start(block)
        if start is not None and follows(previous, start.number):
            starts[i] = start
            previous = start.number
    if len(starts) >= 2:
        return _by_section(blocks, starts)
    return _by_paragraph(blocks)


def _by_section(blocks: list[Block], starts: dict[int, _Start]) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None  # the numbered (or headed) section text goes to
    heading: str | None = None  # an unnumbered heading before the first section
    titles: dict[tuple[int, ...], str] = {}  # section number -> its titled heading
    for i, block in enumerate(blocks):
        start = starts.get(i)
        if start is not None:
            label = start.label
            if start.titled:
                titles[start.number] = start.label
            else:  # a clause is labelled with the heading of the section it belongs to: "3.1 (3. Roles)"
                parent = next(
                    (
                        titles[start.number[:k]]
                        for k in range(len(start.number) - 1, 0, -1)
                        if start.number[:k] in titles
                    ),
                    None,
                )
                label = f"{start.label} ({parent})" if parent else start.label
            current = Section(label, block.page, number=".".join(map(str, start.number)))
            sections.append(current)
            if start.body:
                current.add(block, start.body)
            continue
        if block.heading and _title_like(block.text, styled=True):
            if current is None:
                heading = block.text.strip()
            else:
                current = Section(block.text.strip(), block.page)
                sections.append(current)
            continue
        if current is None:
            sections.append(_one_block(heading, block))
        else:
            if not current.paragraphs:
                current.page = block.page  # the section's text starts here
            current.add(block, block.text.strip())
    return [s for s in sections if s.paragraphs]


def _by_paragraph(blocks: list[Block]) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    for block in blocks:
        if block.heading and _title_like(block.text, styled=True):
            heading = block.text.strip()
            continue
        sections.append(_one_block(heading, block))
    return sections


def _one_block(heading: str | None, block: Block) -> Section:
    section = Section(heading, block.page)
    section.add(block, block.text.strip())
    return section


def reference(section_label: str | None, page: int | None, end_page: int | None, n: int) -> str:
    """How a report cites a document segment: `§4.2` for a numbered section, else its heading, else its
    pages (`p. 3`, `pp. 3–4` for one that runs onto the next page), else its segment number."""
    if section_label:
        m = _NUMBERED.match(section_label)
        if m:
            return f"§{m['num']}"
        return section_label
    return page_span(page, end_page, form="p.") or f"segment {n}"
