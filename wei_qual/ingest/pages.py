"""Running page heads: lines a page repeats at its top or bottom (a study's name, "CONFIDENTIAL", "Page 3 of
12"), which are no transcript. One rule finds them (find_heads): on a PDF's pages (pdf.running_lines), and
in text made from a PDF (pdftotext, a viewer's "Save as text"), which keeps them among the turns
(running_heads), its pages ending at form feeds or at a line that repeats with a page number.
"""

from __future__ import annotations

import os
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from .boilerplate import is_service_line
from .labels import match_label, match_span, name_alone, strip_markup

HEAD_LINES = 2  # lines at the top and at the bottom of a page that may be a running header or footer
# A page number alone on a line: "7", "Page 7", "Page 7 of 12", "7 / 12", "- 7 -", "p. 7", "vii".
PAGE_NUMBER = re.compile(
    r"(?i:(?:page|p\.?)\s*)?\d{1,4}(?:\s*(?i:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]"
    r"|(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"  # a lower-case roman numeral (front matter pages)
)
# A page number in a longer line: "Crisis Response Study - CONFIDENTIAL      Page 1 of 2".
_PAGE_IN_LINE = re.compile(r"(?i)\bpage\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b")
_DIGITS = re.compile(r"\d+")
_LINE_NUMBER = re.compile(r"[0-9]{1,5}[ \t]+(?=\S)")  # a line number in the margin (Word's, f4's)
SET_APART = 0.5  # points between a running head's type size and the turns' (a 9 point head over 11)
# Text that ends a sentence: a page break after it is a paragraph break too.
_SENTENCE_END = re.compile(r"[.?!…:;\"”’')\]]$")


def head_key(text: str) -> str:
    """A running head's identity: case and spacing ignored, every number the same ("Page 3" = "Page 4")."""
    return _DIGITS.sub("#", " ".join(text.casefold().split()))


class PageHeads(NamedTuple):
    heads: list[int]  # running headers and footers: left out of the turns
    # Lines that repeat on the first or last line of every page (three or more; four in five from five)
    # like a head, but read as the file's speaker labels: kept as turns, and warned about.
    kept_labels: list[int]


def running_heads(lines: list[str], *, service_lines: bool = False) -> PageHeads:
    """The running headers and footers in text made from a PDF (indexes), and the labels kept though placed
    like one (see find_heads).

    Its pages end at form feeds (pdftotext writes one between pages), or, without them, after each line
    that repeats with a page number in it; with form feeds, a page number alone on a page's edge is a head
    too. Service lines (Rev's `Page 3 of 12`) are left to find_boilerplate, which drops them wherever they
    are, unless `service_lines` (a document, which has no such step).
    """
    pages = _pages(lines)
    if len(pages) < 2:
        return PageHeads([], [])
    found = find_heads(lines, pages, numbers=any("\f" in line for line in lines))
    if service_lines:
        return found
    return found._replace(heads=[i for i in found.heads if not is_service_line(lines[i].strip())])


def find_heads(
    lines: Sequence[str],
    pages: list[list[int]],
    *,
    numbers: bool,
    sizes: Sequence[float] | None = None,
    varying: bool = False,
) -> PageHeads:
    """The running heads among these lines, and the labels kept though placed like one: the one rule of
    the PDF reader (pdf.running_lines) and of text made from a PDF (running_heads). `pages` holds each
    page's non-blank lines (indexes); `sizes`, where known, each line's type size.

    A running head is a line among the first or the last HEAD_LINES of a page that recurs there (numbers
    aside) on more than half of the pages, two at least; with `numbers`, a page number alone there is one
    too. But a line that starts a turn is never one: a label of a known form or with a time
    (`Interviewer: Okay.`, Otter's `Dana Whitfield  3:14`, whose time differs from page to page), a
    `Name:` or a name alone (`Marcus Bell` over the answer) of a speaker whose turns start away from the
    pages' edges too, a time alone where times alone start turns elsewhere; a line number before it
    aside. Such a line on the first or last line of every page (four in five, from five pages) is
    placed as a header is: with `sizes`, one set in another type than the lines that start turns
    elsewhere is a head (`Interviewer: Dana Whitfield` in 9 point over each page); else, on three pages
    or more and with no time of its own, it is in kept_labels, to be warned about.

    With `varying` and `sizes` (a PDF document), the first (or last) line of every page, three pages or
    more, is a head too when each is set apart from the body's type and they open with the same words,
    two at least: a policy's running head naming the chapter a page is in ("CSU Policy 04 | Admission",
    then "CSU Policy 04 | Transport"), which recurs only as often as its chapter has pages.
    """
    many = len(pages)
    sides = [(page[:HEAD_LINES], page[-HEAD_LINES:]) for page in pages]
    counts = Counter(
        (side, key)
        for top, bottom in sides
        for side, part in enumerate((top, bottom))
        for key in {head_key(lines[i]) for i in part}
    )
    candidates: dict[int, bool] = {}  # a line placed as a running head -> on every page's first or last line
    for page, (top, bottom) in zip(pages, sides):
        for side, part in enumerate((top, bottom)):
            for i in part:
                text = lines[i].strip()
                n = counts[side, head_key(text)]
                if (n >= 2 and 2 * n > many) or (numbers and PAGE_NUMBER.fullmatch(text)):
                    everywhere = n == many or (many >= 5 and 5 * n >= 4 * many)
                    candidates[i] = everywhere and i in (page[0], page[-1])
    if varying and sizes and many >= 3:
        body = statistics.median([size for size in sizes if size] or [0.0])
        for edge in ([page[0] for page in pages], [page[-1] for page in pages]):
            texts = [" ".join(lines[i].casefold().split()) for i in edge]
            shared = os.path.commonprefix(texts)
            if not all(len(t) == len(shared) or t[len(shared)] == " " for t in texts):
                shared = shared[: shared.rfind(" ") + 1]  # the whole words they all open with
            words = shared.split()
            if len(words) >= 2 and all(sizes[i] and abs(sizes[i] - body) >= SET_APART for i in edge):
                for i in edge:
                    candidates.setdefault(i, True)
    starts = {i: start for i, line in enumerate(lines) if line.strip() and (start := _turn_start(line))}
    # The speakers (and times alone) that start turns away from the pages' edges, and their type size.
    elsewhere = {start.name for i, start in starts.items() if i not in candidates}
    typed = [sizes[i] for i in starts if i not in candidates and sizes[i]] if sizes else []
    usual = statistics.median(typed or [size for size in sizes or () if size] or [0.0])
    # The same time on every page is no turn's ("Recorded 14 March 2024 10:00" over each page).
    same = Counter(" ".join(lines[i].casefold().split()) for i in candidates)
    heads, kept = [], []
    for i, everywhere in sorted(candidates.items()):
        start = starts.get(i)
        if start is not None and start.timed and same[" ".join(lines[i].casefold().split())] >= 2:
            start = _Start(start.name, False, False)
        if start is None or not (start.label or start.name in elsewhere):
            heads.append(i)
        elif not everywhere or start.timed:
            continue
        elif sizes and sizes[i] and abs(sizes[i] - usual) >= SET_APART:
            heads.append(i)  # in a head's type, not the turns'
        elif many >= 3:
            kept.append(i)
    return PageHeads(heads, kept)


class _Start(NamedTuple):
    name: str  # the speaker, case and spacing ignored; "" for a time alone
    # A label in its own right: a known form or timed (`Interviewer: Okay.`, `Dana Whitfield  3:14`); a
    # capitalised `Name:` counts where its name starts turns elsewhere, as a name alone does.
    label: bool
    timed: bool  # the line gives the turn's time (`Dana Whitfield  3:14`, a span alone)


def _turn_start(line: str) -> _Start | None:
    """How the line would start a turn: a speaker label, a name alone on its line, or a timestamp or span
    alone (a line number in the margin before it aside); None for other text."""
    core = line.replace("\f", " ").strip()
    core = strip_markup(core[m.end() :] if (m := _LINE_NUMBER.match(core)) else core)
    label = match_label(core)
    if label is not None:
        timed = label.time is not None or label.lead is not None
        return _Start(" ".join(label.name.casefold().split()), bool(label.name) and label.strong, timed)
    if match_span(core) is not None:
        return _Start("", False, True)
    name = name_alone(core)
    return _Start(" ".join(name.casefold().split()), False, False) if name else None


def _pages(lines: list[str]) -> list[list[int]]:
    """The indexes of each page's non-blank lines (see running_heads); empty pages left out."""
    if any("\f" in line for line in lines):
        ends = set()
        starts = {i for i, line in enumerate(lines) if "\f" in line}
    else:
        # Most transcripts never say "page": one look at the whole text spares a search of every line.
        said = "page" in "\n".join(lines).lower()
        paged = [i for i, line in enumerate(lines) if _PAGE_IN_LINE.search(line)] if said else []
        keys = Counter(head_key(lines[i]) for i in paged)
        ends = {i for i in paged if keys[head_key(lines[i])] >= 2}
        starts = set()
        if not ends:
            return []
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if i in starts:
            before, _, after = line.rpartition("\f")
            if before.strip():  # a page's last line with the form feed after it
                pages[-1].append(i)
            pages.append([])
            if after.strip():
                pages[-1].append(i)
            continue
        if line.strip():
            pages[-1].append(i)
        if i in ends:
            pages.append([])
    return [page for page in pages if page]


def passed_over(lines: list[str], heads: list[int]) -> frozenset[int]:
    """The lines a reader passes over (as if they were not there) for these running heads: the heads, and
    where the page break cut a paragraph (the text before it ends no sentence), the blank lines around
    them, so the paragraph reads on."""
    skip, wanted = set(heads), set(heads)
    i = 0
    while i < len(lines):
        if i not in wanted:
            i += 1
            continue
        j = i
        while j < len(lines) and (j in wanted or not lines[j].strip()):
            j += 1
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        before = lines[k].strip() if k >= 0 else ""
        if before and j < len(lines) and not _SENTENCE_END.search(before):
            skip.update(range(k + 1, j))
        i = j
    return frozenset(skip)
