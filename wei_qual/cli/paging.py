"""Long segments on the coding and reconcile screens: shown a page at a time, numbered, so the parts
below them (codes, help, prompt) stay on the screen; and the previous turn cut to a few lines.

A 6,778-word answer once made a 524-line screen whose start had scrolled away before the coder saw it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from .line_input import space_alone

MIN_PAGE_LINES = 4  # a page shows at least this many lines of the segment, however small the terminal
# A turn that is paged gets this share of the rows for a page (the question it answers may take a line of
# it), the parts under it made shorter for it: stopping at MIN_PAGE_LINES, a 300-word turn at 80x24 was
# read 4 or 5 lines at a time.
PAGE_SHARE = 0.45
PROMPT_LINES = 1  # the "> " input line under the screen
RESERVE = 2  # rows a whole text's screen keeps free for a notice or message when it takes longer forms back
# The smallest terminal (columns, rows) on which the screens and their questions keep the header in view.
MIN_SIZE = (40, 10)
WHOLE_MESSAGE = "! shows all"  # the key that shows a notice or message a screen cut (coding and reconcile)


def message_key(size: tuple[int, int] | None) -> str | None:
    """page_text's `whole_key` for a screen of `size`: None under MIN_SIZE, where the screen does not fit
    anyway and the message saying so is not cut."""
    return None if size is not None and (size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]) else WHOLE_MESSAGE


# Lines of a turn a notice or message leaves on the screen, with every other part at its shortest, before it
# is cut (`whole_key`): at 40x10 a message of three lines pushed the header off the top.
CUT_PASSING_BELOW = 2


@dataclass
class PageView:
    """Where a screen is in its long text, kept from one drawing to the next: space moves on from the line
    after the last one shown, `-` back to the page that ends where the one shown starts. Pages used to be
    numbered by a size each drawing worked out again: a notice under the text ("Saved: ...") took a line
    from the page it came with, so the page after it started further on and lines were never shown.

    page_text reads `start` (the first line to show; None: the first page, or the page a search found) or
    `end` (show the page ending before this line), and records what it showed."""

    start: int | None = None
    end: int | None = None
    shown: tuple[int, int] = (0, 0)  # the lines shown last: first, one past the last
    lines: int = 0  # how many lines the text had there
    per_page: int = 0
    number: int = 0  # the number the page shown last was given (0: none yet)
    step: int = 0  # +1 after space, -1 after `-`: the page asked for is numbered from `number`
    # Every line shown so far, of `lines`: Enter and 0 save only a turn whose every page was shown (a
    # code was once saved on page 1 of 3, the coder never having read pages 2 and 3).
    seen: set[int] = field(default_factory=set)

    def record(self, first: int, last: int, lines: int, per_page: int) -> None:
        """Lines `first` to `last` (one past) of a text of `lines` lines were shown, `per_page` a page."""
        if lines != self.lines and self.seen:  # wrapped at another width (resized): the lines read, mapped
            old = self.lines
            self.seen = {
                j
                for j in range(lines)
                if all(i in self.seen for i in range(j * old // lines, -(-(j + 1) * old // lines)))
            }
        self.shown, self.lines, self.per_page = (first, last), lines, per_page
        self.seen.update(range(first, last))

    def unread(self) -> int:
        """How many pages' worth of the turn's lines were never shown (0: all were, or it fits whole)."""
        missing = self.lines - len(self.seen)
        return -(-missing // self.per_page) if missing > 0 and self.per_page else 0

    def to_unread(self) -> None:
        """The page starting at the first line never shown."""
        self.start, self.end, self.step = min(set(range(self.lines)) - self.seen), None, 0

    def refocus(self) -> None:
        """The page a search found (page_text's `focus`), the lines read kept."""
        self.start = self.end = None
        self.step = 0

    def forward(self) -> None:
        """The next page; after the last, the first."""
        last = self.shown[1]
        self.start, self.end, self.step = (last if last < self.lines else 0), None, 1

    def back(self) -> None:
        """The page before; before the first, the last."""
        first, _ = self.shown
        self.start, self.end, self.step = None, (first if first > 0 else self.lines), -1


# Emoji a terminal may draw wider than rich counts them: a skin tone (rich: none; tmux, xterm: two more
# cells), a family joined by ZWJ (rich: 2; a terminal without ZWJ sequences: each member, 8), a flag's
# letters (2 each in some), a text symbol made emoji by VS16 (one more). A line of them laid out at 80
# columns took 82 in tmux: the terminal wrapped it, and the header went off the top of the screen.
_UNSURE_WIDTH = re.compile("[\u200d\ufe0f\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff]")


def _widest(line: str) -> int:
    """The cells `line` takes in a terminal that draws each emoji's parts apart (_UNSURE_WIDTH)."""
    total = 0
    for ch in line:
        if "\U0001f1e6" <= ch <= "\U0001f1ff" or "\U0001f3fb" <= ch <= "\U0001f3ff":
            total += 2
        elif ch == "\ufe0f":
            total += 1
        else:
            total += get_character_cell_size(ch)
    return total


def wrap_lines(text: Text, console: Console, width: int) -> list[Text]:
    """`text` wrapped at `width` columns so that no line is wider in any terminal (_fitted)."""
    return _fitted(text.plain, list(text.wrap(console, width)), console, width)


def _fitted(plain: str, lines: list[Text], console: Console, width: int) -> list[Text]:
    """`lines` (`plain` wrapped at `width`), a line holding emoji a terminal may draw wider (_UNSURE_WIDTH)
    wrapped again, narrower by what they may add; `lines` itself when none is."""
    if plain.isascii() or _UNSURE_WIDTH.search(plain) is None:
        return lines
    fitted: list[Text] = []
    for line in lines:
        extra = _widest(line.plain) - line.cell_len
        if extra > 0 and line.cell_len + extra > width and width - extra >= 2:
            fitted += line.wrap(console, width - extra)
        else:
            fitted.append(line)
    return fitted if len(fitted) != len(lines) else lines


class Clamped:
    """Text wrapped to the width it is drawn at and cut to `lines` lines, ending with "…" when cut, and
    then with `more` (the key that shows it whole, e.g. "? shows all") when given."""

    def __init__(self, text: Text, lines: int, more: str | None = None) -> None:
        self.text, self.lines, self.more = text, lines, more

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wrapped = wrap_lines(self.text, console, options.max_width)
        if len(wrapped) > self.lines:
            wrapped = wrapped[: self.lines]
            last = wrapped[-1]
            tail = Text("…" + (f" {self.more}" if self.more else ""), style="dim" if self.more else "")
            last.truncate(max(options.max_width - tail.cell_len, 1))
            last.rstrip()
            last.append_text(tail)
        yield Text("\n").join(wrapped)


class Cut:
    """Any renderable cut to its first `lines` lines at the width it is drawn at; when cut, the last line
    kept says so with `more` (e.g. "? lists every code")."""

    def __init__(self, renderable: RenderableType, lines: int, more: str) -> None:
        self.renderable, self.lines, self.more = renderable, lines, more

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rendered = console.render_lines(self.renderable, options, pad=False)
        if len(rendered) > self.lines:
            rendered = [*rendered[: self.lines - 1], [Segment(f"… {self.more}", Style(dim=True))]]
        for line in rendered:
            yield from line
            yield Segment.line()


class Kept:
    """A renderable that is the same from one screen to the next (the code list), its lines kept for each
    width it is drawn at: the 48-code list's table took 7 ms to lay out, on every screen, twice."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[list[Segment]]] = {}

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self._lines.get(options.max_width)
        if lines is None:
            lines = self._lines[options.max_width] = console.render_lines(self.renderable, options, pad=False)
        for line in lines:
            yield from line
            yield Segment.line()


def _measuring_console(width: int) -> Console:
    return Console(
        width=width, file=io.StringIO(), color_system=None, force_terminal=False, legacy_windows=False
    )


def _rows(console: Console, parts: Sequence[RenderableType], known: dict) -> int:
    """The rows `parts` take; `known` keeps each part's rows by identity (with the part, so its id is not
    reused): page_text asks again and again while it tries shorter forms, and a screen took 200 ms to
    work out at 80x24 when every part was rendered anew each time."""
    total = 0
    for part in parts:
        seen = known.get(id(part))
        if seen is None:
            seen = known[id(part)] = (part, len(console.render_lines(part, console.options, pad=False)))
        total += seen[1]
    return total


def page_text(
    top: list[RenderableType],
    text: Text,
    bottom: list[RenderableType],
    *,
    page: int | PageView,
    size: tuple[int, int] | None,
    shorter: Sequence[tuple[RenderableType, RenderableType | None]] = (),
    focus: str | None = None,
    passing: Sequence[RenderableType] = (),
    share: float = PAGE_SHARE,
    before_context: int = 0,
    whole_key: str | None = None,
    last: Sequence[tuple[RenderableType, RenderableType | None]] = (),
) -> list[RenderableType]:
    """The screen's parts with the segment `text` between `top` and `bottom`.

    Without `size` (not a terminal) the whole text is shown. When it does not fit in `size` (columns,
    rows) with the other parts and the prompt, it is cut into numbered pages and page `page` (modulo the
    number of pages) is shown under a "page 1/4, space for more" line; a PageView instead says where the
    screen is in the text and gets what was shown (a screen that is drawn again and again). To make room on a small terminal
    the rule and the previous turn (a Clamped part) in `top` are dropped first, then each part named
    in `shorter` (part, shorter form) is replaced by its shorter form (None: left out), in order, until
    the text fits or a page has nearly half the rows (PAGE_SHARE); the
    dropped parts then come back where those shorter forms left room for them. A terminal too small
    even then gets pages of the lines left, one at least. With `focus` (a style in the text), page 0 is
    the first page showing text in that style, and the others count from it. `passing` are parts of
    `bottom` that come and go (a notice, a message): they take their lines from the page, not from the
    parts made shorter, so the code list does not change from one screen to the next. `share`: the share
    of the rows a page wants (PAGE_SHARE; reconcile, whose codes are what the lead decides, wants less).
    `before_context`: how many of the `shorter` forms are taken before the turn before is dropped.
    `whole_key`: the key that shows a notice or message whole (e.g. "! shows all"); given, the `passing`
    parts are cut to two lines, then one, each ending with it, where every shorter form taken still leaves
    the turn fewer than CUT_PASSING_BELOW lines (the screen would be taller than the terminal); then the
    `last` shorter forms, in order, while the turn would still get no line.
    """
    if size is None:  # shown whole
        return [*top, text, *bottom]
    width, height = size
    console = _measuring_console(width)
    wrapped = list(text.wrap(console, width))
    lines = _fitted(text.plain, wrapped, console, width)
    if lines is not wrapped:  # wrapped narrower for emoji: drawn whole as laid out here
        text = Text("\n").join(lines)
    known: dict = {}  # each part's rows (_rows): the parts do not change while the screen is worked out

    def rows(parts: Sequence[RenderableType]) -> int:
        return _rows(console, parts, known)

    def whole() -> bool:  # the text fits as it is
        return rows(top) + len(lines) + rows(bottom) + PROMPT_LINES <= height

    # The page indicator's lines: its longest form, which wraps on a narrow terminal.
    indicator_lines = rows([_indicator(len(lines) - 1, len(lines), width=width, unread=len(lines))])

    def room() -> int:  # lines left for a page of text, under the page indicator
        return height - rows(top) - rows(bottom) - PROMPT_LINES - indicator_lines

    # Lines a page of a paged turn gets before the parts under it are made shorter no more.
    want = max(MIN_PAGE_LINES, int((height - PROMPT_LINES) * share)) - rows(passing)
    first_top, dropped, swapped = top, [], []
    # The first `before_context` shorter forms (the help in a line) are taken before the turn before goes:
    # at 200x50 a reconcile screen left out the question answered to show its help in two lines.
    swaps = [("swap", pair) for pair in shorter]
    steps = [("drop", Rule), *swaps[:before_context], ("drop", Clamped), *swaps[before_context:]]
    for kind, what in steps:
        if whole() or room() >= max(want, MIN_PAGE_LINES):
            break
        if kind == "drop":
            dropped += [p for p in top if isinstance(p, what)]
            top = [p for p in top if not isinstance(p, what)]
        else:
            part, replacement = what
            top, bottom = _swap(top, bottom, part, replacement)
            swapped.append(what)
    for most in [*((2, 1) if whole_key is not None else ()), *last]:
        if whole() or room() >= min(CUT_PASSING_BELOW if isinstance(most, int) else 1, len(lines)):
            break
        if not isinstance(most, int):  # only where the screen would not fit
            top, bottom = _swap(top, bottom, *most)
            continue
        for i, part in enumerate(passing):
            if isinstance(part, Text | Clamped) and rows([part]) > most:
                cut = Clamped(part.text if isinstance(part, Clamped) else part, most, whole_key)
                bottom, passing = _swap([], bottom, part, cut)[1], [*passing[:i], cut, *passing[i + 1 :]]
    paged = not whole()
    if paged:  # the rule comes back only above a whole text: a page keeps its lines for the text
        dropped = [p for p in dropped if isinstance(p, Clamped)]
    # The question answered may take a line of a page: a coder reads the answer against it.
    _put_back(first_top, top, dropped, lambda: room() >= max(want - 1, MIN_PAGE_LINES) if paged else whole())
    if not paged:
        # A shorter form taken on the way to one that made room comes back where the rows still hold it,
        # the last taken first, with RESERVE rows left for a notice or a message (so the parts do not
        # change when one comes): at 200x50 a 33-code table side by side left ten rows empty under the
        # one-line help and notes cut to a line.
        steady = [p for p in bottom if not any(p is q for q in passing)]
        for part, replacement in reversed(swapped):
            if replacement is None or not any(p is replacement for p in (*top, *bottom)):
                continue
            top, bottom = _swap(top, bottom, replacement, part)
            steady = _swap([], steady, replacement, part)[1]
            taken = rows(top) + len(lines) + rows(steady) + PROMPT_LINES
            if not (whole() and taken + RESERVE <= height):
                top, bottom = _swap(top, bottom, part, replacement)
                steady = _swap([], steady, part, replacement)[1]
    per_page = max(room(), 1)
    if whole() or len(lines) <= per_page:
        if isinstance(page, PageView):  # every line is on the screen
            page.record(0, len(lines), len(lines), max(per_page, len(lines)))
        return [*top, text, *bottom]
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    start = 0
    if focus is not None:
        start = next(
            (
                i
                for i, lines_ in enumerate(pages)
                if any(sp.style == focus for ln in lines_ for sp in ln.spans)
            ),
            0,
        )
    if isinstance(page, int):
        current = (start + page) % len(pages)
        return [*top, Text("\n").join(pages[current]), _indicator(current, len(pages), width=width), *bottom]
    first = _first_line(page, start * per_page, per_page, len(lines))
    last = min(first + per_page, len(lines))
    page.start, page.end = first, None
    # Space numbers the page one more than the one shown, `-` one less: numbered as the nearest page of
    # this size, the pages `-` walks back from the last (each ending where the one after starts) were 4, 2,
    # 2, 1 of 4, and a `-` that did turn the page looked as if it had to be typed twice. A page reached
    # otherwise (the first not read, a search, a resize) is numbered as the nearest page; the first page
    # is "page 1" and no other, and the last page is the one that ends the text.
    if page.step and page.number and page.lines == len(lines):
        nearest = page.number + page.step
    else:
        nearest = max(round(first / per_page), 1 if first else 0) + 1
    page.record(first, last, len(lines), per_page)
    number = 1 if first == 0 else len(pages) if last == len(lines) else min(max(nearest, 2), len(pages) - 1)
    page.number, page.step = number, 0
    return [
        *top,
        Text("\n").join(lines[first:last]),
        _indicator(number - 1, len(pages), more=last < len(lines), width=width, unread=page.unread()),
        *bottom,
    ]


def _swap(top: list, bottom: list, part, replacement) -> tuple[list, list]:
    """`top` and `bottom` with `part` replaced by `replacement` (None: left out)."""
    return tuple(  # type: ignore[return-value]
        [replacement if p is part else p for p in parts if p is not part or replacement is not None]
        for parts in (top, bottom)
    )


def _first_line(view: PageView, focused: int, per_page: int, lines: int) -> int:
    """The first line of the page `view` asks for, in a text of `lines` lines cut `per_page` at a time."""
    if view.end is not None:  # back: the page that ends where the one shown before starts
        return max(min(view.end, lines) - per_page, 0)
    if view.start is None:
        return focused
    return view.start if view.start < lines else max(lines - per_page, 0)  # fewer lines now (resized)


def _put_back(first: list[RenderableType], top: list[RenderableType], dropped, fits) -> None:
    """Put back into `top` (in place) the `dropped` parts of `first` where the shorter forms below left
    room for them, as long as `fits()`: the turn before (the question answered; else its first line),
    then the rule. At 80x24 the 40-code list's shorter form made room, and the question was never
    shown."""
    for part in sorted(dropped, key=lambda p: not isinstance(p, Clamped)):
        # Before the first part kept that followed it; the rule stays first (the header after it may have
        # been replaced by its shorter form, which is not in `first`).
        after = first[first.index(part) + 1 :]
        at = next((i for i, q in enumerate(top) if any(q is p for p in after)), len(top))
        at = 0 if part is first[0] else at
        forms = (
            [part, Clamped(part.text, 1, part.more)]
            if isinstance(part, Clamped) and part.lines > 1
            else [part]
        )
        for form in forms:
            top.insert(at, form)
            if fits():
                break
            del top[at]


def _indicator(
    current: int, pages: int, *, more: bool | None = None, width: int | None = None, unread: int = 0
) -> Text:
    """`width`: where the line would wrap, it leaves out "(space, then Enter)" (two rows at 40 columns),
    then shortens what says how many pages were not shown yet (`unread`), then leaves that out."""
    more = "space for more" if (current + 1 < pages if more is None else more) else "space for page 1"
    said = f"page {current + 1}/{pages}, {more}"
    how = "" if space_alone() else " (space, then Enter)"  # space alone: readline binds it (line_input)
    left = (
        [f" · {unread} {'page' if unread == 1 else 'pages'} unread", f" · {unread} unread"] if unread else []
    )
    forms = [said + how + left[0], said + how] if left else [said + how]
    forms += [said + tail for tail in left] + [said]
    return Text(next((f for f in forms if width is None or len(f) <= width), said), style="bold cyan")


def unread_said(view: PageView, key: str) -> str | None:
    """When the turn has pages never shown: moves `view` to the first of them and says why the answer
    given with `key` (Enter, 0) was not saved. None when every page was shown."""
    pages = view.unread()
    if not pages:
        return None
    view.to_unread()
    what = "1 page" if pages == 1 else f"{pages} pages"
    return f"Not saved: {what} not read yet; the next is shown. {key} saves on the last."
