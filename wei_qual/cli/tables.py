"""FitTable: every table the command line prints, laid out for the width it is printed at.

Build a table from Columns that say what each holds, add rows, print it with console.print:

    table = FitTable(
        Column("code", kind="id"),
        Column("α", kind="number"),
        Column("BP", kind="number", priority=5),
        Column("name", kind="text", priority=1),
        title="Agreement",
        hint="--wide or --format csv",
    )
    table.add_row("csu-admission", "0.812", "0.930", "CSU admission and intake")
    console.print(table)

The rules, the same for every command:

- ids and numbers never wrap and are never cut (kind "id", "number"); their headers may wrap at spaces;
- names fold at spaces (kind "text"), attribute lists and evidence too (kind "long"), transcript text
  wraps (kind "prose");
- when the columns do not fit, the ones with the highest `priority` give way first (0: never): a
  text, long or prose column moves to an indented second line under its row ("name: CSU admission
  and intake"), an id or number column is left out and a footer names it and how to see it (`hint`,
  e.g. "--wide or --format csv");
- if the columns that never give way still do not fit, the rightmost of them move to the second line
  too (the first column, the row's identity, always stays);
- at an unbounded width (output piped to a file or another program, or `--wide`) every column gets
  the width of its content, and only prose wraps, at PROSE_WIDTH.

The width is the console's (wei_qual.console): the terminal's, $COLUMNS when set, unbounded when stdout is
not a terminal. Cells are literal text (a str is never read as Rich markup; pass a rich Text to style a
cell). The layout itself is `plan_layout`, pure and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..console import UNBOUNDED_WIDTH, escape_controls

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.text import Text

KINDS = ("id", "number", "text", "long", "prose")
GAP = 2  # spaces between columns
INDENT = 4  # the second line of a row starts here
PROSE_WIDTH = 100  # transcript text wraps here even when the width is unbounded: a comfortable measure
MIN_WIDTH = {"text": 10, "long": 36, "prose": 30}  # narrower than this, the column moves to the second line
DEFAULT_HINT = "--wide"


@dataclass(frozen=True)
class Column:
    """One column: its header, what it holds (`kind`), and how readily it gives way (`priority`).

    kind: "id" and "number" never wrap (right-justified numbers); "text" (names) folds at spaces;
    "long" (attribute lists, evidence) and "prose" (transcript text) wrap. priority 0 never gives way;
    otherwise the highest gives way first. A text, long or prose column that gives way moves to the
    row's second line; an id or number column is left out, named in the footer. `min_width`: the
    narrowest a text, long or prose column may be before it moves (default MIN_WIDTH[kind]). `lines`: the
    most lines a text, long or prose cell takes in the grid; a longer one is cut, ending in "…" (a screen
    short of rows).
    """

    header: str
    kind: str = "text"
    priority: int = 0
    justify: str | None = None  # left, right or center; default: right for numbers, left for the rest
    min_width: int | None = None
    lines: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; use one of {', '.join(KINDS)}")

    @property
    def rigid(self) -> bool:
        """Ids and numbers: never wrapped, never cut."""
        return self.kind in ("id", "number")


@dataclass(frozen=True)
class Measure:
    """What a column's content needs: `need` the narrowest it can be (its widest id or number, or a
    header word), `natural` the width that shows every cell and the header on one line."""

    need: int
    natural: int


@dataclass(frozen=True)
class Layout:
    """Which columns show in the grid and how wide, which move to the second line, which are left out."""

    widths: dict[int, int]  # column index -> width, in column order
    moved: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(self.widths.values()) + GAP * max(len(self.widths) - 1, 0)


def _span(widths: Iterable[int]) -> int:
    widths = list(widths)
    return sum(widths) + GAP * max(len(widths) - 1, 0)


def plan_layout(columns: Sequence[Column], measures: Sequence[Measure], width: int | None) -> Layout:
    """Fit the columns into `width` (None: unbounded). Pure: see the module docstring for the rules."""
    minimum = {}
    for i, (column, m) in enumerate(zip(columns, measures)):
        if column.rigid:
            minimum[i] = m.need
        else:
            floor = column.min_width or MIN_WIDTH[column.kind]
            minimum[i] = min(m.natural, max(floor, m.need))
    if width is None:
        widths = {
            i: min(m.natural, PROSE_WIDTH) if c.kind == "prose" else m.natural
            for i, (c, m) in enumerate(zip(columns, measures))
        }
        return Layout(widths)
    shown = list(range(len(columns)))
    moved: list[int] = []
    dropped: list[int] = []

    def give_way(i: int) -> None:
        shown.remove(i)
        (dropped if columns[i].rigid else moved).append(i)

    while _span(minimum[i] for i in shown) > width:
        candidates = [i for i in shown if columns[i].priority > 0]
        if candidates:  # the least important first; among equals, the rightmost
            give_way(max(candidates, key=lambda i: (columns[i].priority, i)))
        elif len(shown) > 1:  # the essential columns alone are too wide: the rightmost move down
            i = shown[-1]
            shown.remove(i)
            moved.append(i)
        else:
            break
    widths = {i: minimum[i] for i in shown}
    spare = width - _span(widths.values())
    # Spare room goes first to the content that would wrap (names, lists, prose), then to the headers of
    # ids and numbers (a wrapped header costs a line only once). Within each, water-filling: the
    # smallest wants are met in full first, the widest columns share what is left equally.
    for rigid in (False, True):
        wants = sorted(
            (measures[i].natural - widths[i], i)
            for i in shown
            if columns[i].rigid == rigid and measures[i].natural > widths[i]
        )
        for k, (want, i) in enumerate(wants):
            if spare <= 0:
                break
            give = min(want, spare // (len(wants) - k) or 1)
            widths[i] += give
            spare -= give
    moved.sort()
    dropped.sort()
    return Layout(widths, moved, dropped)


def _words(text: str) -> list[str]:
    return text.split()


def measure_column(column: Column, cells: Iterable[Text]) -> Measure:
    """The narrowest and the natural width of a column, header included (a header wraps at spaces)."""
    from rich.cells import cell_len

    header_words = [cell_len(w) for w in _words(column.header)] or [0]
    need = max(header_words)
    natural = cell_len(column.header)
    for cell in cells:
        lines = cell.plain.split("\n")
        longest = max(cell_len(line) for line in lines)
        natural = max(natural, longest)
        if column.rigid:
            need = max(need, longest)
        else:
            need = max(need, max((cell_len(w) for line in lines for w in _words(line)), default=0))
    return Measure(need, natural)


class FitTable:
    """A table laid out for the width it is printed at (see the module docstring). A Rich renderable."""

    def __init__(
        self,
        *columns: Column,
        title: str | Text | None = None,
        notes: Sequence[str | Text] = (),
        hint: str = DEFAULT_HINT,
    ) -> None:
        self.columns = list(columns)
        self.title = title
        self.notes = list(notes)
        self.hint = hint
        self.rows: list[list[Text]] = []
        self.sections: set[int] = set()  # a rule is drawn before these rows

    def add_row(self, *cells: str | Text | None) -> None:
        """Add a row: one cell per column; str cells are literal text, None an empty cell."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append([_as_text(c) for c in cells])

    def add_section(self) -> None:
        """Draw a rule between the rows added so far and the next one."""
        self.sections.add(len(self.rows))

    def layout(self, width: int | None) -> Layout:
        measures = [measure_column(c, (r[i] for r in self.rows)) for i, c in enumerate(self.columns)]
        return plan_layout(self.columns, measures, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment
        from rich.text import Text

        width = None if options.max_width >= UNBOUNDED_WIDTH else options.max_width
        layout = self.layout(width)
        table_width = layout.width
        line_width = width or max(table_width, 80)
        if self.title:
            title = _as_text(self.title)
            title.stylize("italic")
            yield from _lines(console, title, line_width)
            yield Segment.line()
        shown = list(layout.widths)
        header_cells = [Text(self.columns[i].header, style="bold") for i in shown]
        yield from self._grid_row(console, layout, shown, header_cells, bottom=True)
        rule = Segment("─" * table_width)
        yield rule
        yield Segment.line()
        for n, row in enumerate(self.rows):
            if n in self.sections and n:
                yield rule
                yield Segment.line()
            yield from self._grid_row(console, layout, shown, [row[i] for i in shown])
            if layout.moved:
                yield from self._second_line(console, row, layout.moved, line_width)
        if layout.dropped:
            left_out = ", ".join(self.columns[i].header for i in layout.dropped)
            at = f"at {width} columns" if width else "here"
            yield from _lines(
                console,
                Text(f"Not shown {at}: {left_out}. See every column with {self.hint}.", style="dim"),
                line_width,
            )
        for note in self.notes:
            yield from _lines(console, _as_text(note), line_width)

    def _grid_row(self, console, layout: Layout, shown: list[int], cells: list[Text], *, bottom=False):
        from rich.segment import Segment

        blocks = []
        for i, cell in zip(shown, cells):
            column, w = self.columns[i], layout.widths[i]
            justify = column.justify or ("right" if column.kind == "number" else "left")
            if column.rigid:
                lines = [_justified(line, w, justify) for line in cell.split("\n")]
                if bottom:  # a header: wrap its words
                    lines = [_justified(line, w, justify) for line in cell.wrap(console, w, overflow="fold")]
            else:
                wrapped = list(cell.wrap(console, w, overflow="fold"))
                if column.lines and len(wrapped) > column.lines:  # cut at a space, with room for "…"
                    wrapped = list(cell.wrap(console, max(w - 1, 1), overflow="fold"))[: column.lines]
                    wrapped[-1].rstrip()
                    wrapped[-1].append("…")
                lines = [_justified(line, w, justify) for line in wrapped]
            blocks.append(lines or [_justified(cell.__class__(""), w, justify)])
        height = max((len(b) for b in blocks), default=1)
        for k, block in enumerate(blocks):
            pad = height - len(block)
            filler = [block[0].__class__(" " * layout.widths[shown[k]])] * pad
            blocks[k] = filler + block if bottom else block + filler
        for line_no in range(height):
            line = cells[0].__class__("")
            for k, block in enumerate(blocks):
                if k:
                    line.append(" " * GAP)
                line.append_text(block[line_no])
            line.rstrip()
            yield from line.render(console)
            yield Segment.line()

    def _second_line(self, console, row: list[Text], moved: list[int], width: int):
        from rich.segment import Segment
        from rich.text import Text

        items = []
        room = max(width - INDENT, 20)
        for i in moved:
            if not row[i].plain.strip():
                continue
            item = Text(f"{self.columns[i].header}: ", style="dim")
            item.append_text(row[i])
            most = self.columns[i].lines
            # Cut to the column's `lines` here too: on the second line a code's name cut to one line in
            # the grid took three again, and a screen short of rows overflowed.
            if most and len(item.wrap(console, room, overflow="fold")) > most:
                kept = list(item.wrap(console, max(room - 1, 1), overflow="fold"))[:most]
                for k in kept:
                    k.rstrip()
                kept[-1].append("…")
                item = Text(" ").join(kept)
            items.append(item)
        line = Text("")
        lines: list[Text] = []
        for item in items:
            if line.plain and line.cell_len + GAP + item.cell_len <= room:
                line.append(" " * GAP)
                line.append_text(item)
                continue
            if item.cell_len <= room:  # a short item is never split: it starts the next line
                if line.plain:
                    lines.append(line)
                line = item
                continue
            # Longer than a line (an attribute list, evidence, text): it starts where the line has
            # room and wraps at spaces. Wrapping is greedy, so what is already on the line stays whole.
            if line.plain:
                line.append(" " * GAP)
                line.append_text(item)
                item = line
            wrapped = list(item.wrap(console, room, overflow="fold"))
            lines.extend(wrapped[:-1])
            line = wrapped[-1]
        if line.plain:
            lines.append(line)
        for text in lines:
            out = Text(" " * INDENT)
            out.append_text(text)
            out.rstrip()
            yield from out.render(console)
            yield Segment.line()


def _as_text(value: str | Text | None) -> Text:
    """A literal Text (never markup) with control characters shown as escapes, so widths are right."""
    from rich.text import Text

    if value is None:
        return Text("")
    if isinstance(value, Text):
        if escape_controls(value.plain) == value.plain:
            return value.copy()
        return Text(escape_controls(value.plain), style=value.style)
    return Text(escape_controls(str(value)))


def _justified(line: Text, width: int, justify: str) -> Text:
    line = line.copy()
    line.rstrip()
    pad = width - line.cell_len
    if pad > 0:
        if justify == "right":
            line = line.__class__(" " * pad) + line
        elif justify == "center":
            line = line.__class__(" " * (pad // 2)) + line
            line.append(" " * (pad - pad // 2))
        else:
            line.append(" " * pad)
    return line


def _lines(console, text: Text, width: int):
    from rich.segment import Segment

    for line in text.wrap(console, width, overflow="fold"):
        line.rstrip()
        yield from line.render(console)
        yield Segment.line()


class Heading:
    """A section rule with a title (the demo's, retrieve's groups). Full width on a terminal, 80 columns
    when unbounded (piped, or --wide): a rule as wide as the unbounded width is 10,000 characters."""

    def __init__(self, title: str, style: str = "rule.line") -> None:
        self.title = title
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.rule import Rule
        from rich.text import Text

        width = options.max_width if options.max_width < UNBOUNDED_WIDTH else 80
        yield from console.render(Rule(Text(self.title), style=self.style), options.update_width(width))


class SideBySide:
    """FitTables drawn next to each other (the rows of one long table, cut in parts) when the width
    holds them all, each at its natural width; else `otherwise` (the one table they were cut from). A
    wide terminal then shows a long list of codes in half the rows."""

    def __init__(self, *tables: FitTable, otherwise: FitTable, gap: int = 4) -> None:
        self.tables, self.otherwise, self.gap = tables, otherwise, gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        widths = [t.layout(None).width for t in self.tables]
        if sum(widths) + self.gap * (len(widths) - 1) > options.max_width:
            yield from console.render(self.otherwise, options)
            return
        blocks = [
            console.render_lines(t, options.update_width(w), pad=True) for t, w in zip(self.tables, widths)
        ]
        for row in range(max(len(b) for b in blocks)):
            for k, (block, w) in enumerate(zip(blocks, widths)):
                if k:
                    yield Segment(" " * self.gap)
                yield from block[row] if row < len(block) else [Segment(" " * w)]
            yield Segment.line()
