"""The screens and loop of `wei-qual code`, the blind interactive coding session.

Screens are built by pure render_* functions; the loop reads one line per action and saves each
decision (committed at once) before showing the next segment. wei_qual.cli.code re-exports these names
and loads this module only when the command runs (or a name is used), so `wei-qual --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..coding import SessionContext, refresh_codebook
from ..console import literal
from ..controls import escape_with_offsets
from ..excerpts import describe, split_sentences
from ..models import Codebook, brief_attributes, page_span
from ..numbers import whole_number
from ..session import (
    HELP_LINE,
    Ambiguous,
    CodeNotFound,
    CodingSession,
    Notice,
    QueueItem,
    code_headings,
    not_saved_line,
    parse_command,
    resolve_code,
    shown_content,
)
from ..store import is_busy
from ..store.decisions import add_to_memo, get_decision, get_memo, save_decision
from .line_input import Resized, quits, redraw_on_resize, sideways, space_alone, space_turns_pages
from .paging import (
    MIN_SIZE,
    PROMPT_LINES,
    WHOLE_MESSAGE,
    Clamped,
    Cut,
    Kept,
    PageView,
    message_key,
    page_text,
    unread_said,
)

if TYPE_CHECKING:
    from ..models import Decision
    from .tables import FitTable

HIGHLIGHT = "bold underline yellow"
EXCERPT = "reverse"  # the words marked with `x` as a code's excerpt
SEARCH_HIT = "black on bright_cyan"  # the words a search (`/WORDS`) went to
SENTENCE_MARK = "bold cyan"
CONTEXT_LINES = 3  # lines of the previous turn shown above the segment
# Two lines at 80 columns, as the full help takes three.
SHORT_HELP = (
    "codes add · -id remove · a accept · Enter save · 0 nothing applies · n note · m memo · x excerpt · "
    "b back · s skip · g go to · / search · ? codebook · q quit"
)
# A first search indexes the project, which another coder's save may hold past the busy timeout.
BUSY_SEARCH = "The project is busy (another coder or command is writing to it): nothing moved. Search again in a moment."
MESSAGE_LINES = 3  # lines a notice or a message takes at most on a terminal, as on reconcile's screen
TINY_HELP = "Enter save · 0 none · s skip · ? codes, keys · q quit"
# TINY_HELP where it still takes one line: with the rule a long turn is saved by (80x24 shows it).
RULE_HELP = "Enter save (after every page) · 0 none · s skip · ? codes, keys · q quit"


def keys_said() -> str:
    """Heads `?`'s codebook: on a small terminal the screen's help is TINY_HELP, and the other keys (b, g, /,
    n, m, x) were named nowhere in the session."""
    space = "space" if space_alone() else "space, then Enter"
    return (
        f"Keys: {HELP_LINE} · ! the last message whole · {space}: the next page of a long turn (- the page "
        "before) · Enter and 0 save a long turn once every page of it was shown (here or earlier)"
    )


BUSY = (
    "The project is busy: another coder or command is writing to it. Your answer is NOT saved yet and "
    "is still on screen: press Enter to try again."
)


def _speaker(seg) -> str:
    """Who speaks: "P07 (participant)"; for a document's segment, its section heading and page."""
    if seg.role == "document":
        where = [seg.label or "Document"] + [x for x in [page_span(seg.page, seg.end_page)] if x]
        return " · ".join(where)
    return f"{seg.speaker or 'Speaker'} ({seg.role})"


def render_segment_text(
    text: str,
    suggestions,
    excerpts: dict[str, list[tuple[int, int]]] | None = None,
    *,
    numbered: bool = False,
    found: Sequence[tuple[int, int]] = (),
) -> Text:
    """The segment text as literal Text (so [inaudible] stays, and a control character shows as an escape)
    with evidence spans highlighted, the chosen codes' excerpts marked, the words a search `found`
    marked, and with `numbered` a [n] before each sentence (for `x CODE 2-3`)."""
    shown, at = escape_with_offsets(text)  # the offsets are into the stored text
    out = Text(shown)
    for s in suggestions:
        for e in s.evidence:
            if 0 <= e.start < e.end <= len(text) and not e.excluded:  # an excluded phrase is not evidence
                out.stylize("dim strike" if e.negated else HIGHLIGHT, at(e.start), at(e.end))
    for spans in (excerpts or {}).values():
        for a, b in spans:
            if 0 <= a < b <= len(text):
                out.stylize(EXCERPT, at(a), at(b))
    for a, b in found:
        out.stylize(SEARCH_HIT, at(a), at(b))
    if not numbered:
        return out
    starts = [at(a) for a, _ in split_sentences(text)]
    pieces = out.divide(starts)
    numbered_text = Text()
    for i, piece in enumerate(pieces):
        if i:  # piece i starts sentence i (the first piece is what comes before sentence 1)
            numbered_text.append(f"[{i}] ", style=SENTENCE_MARK)
        numbered_text.append_text(piece)
    return numbered_text


class _Flow:
    """Items laid out left to right, wrapping only BETWEEN items (a code id is never split)."""

    def __init__(self, items: list[str | Text], gap: int = 2) -> None:
        self.items = [Text(i) if isinstance(i, str) else i for i in items]
        self.gap = gap

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((i.cell_len for i in self.items), default=0)
        return Measurement(
            widest, sum(i.cell_len for i in self.items) + self.gap * max(len(self.items) - 1, 0)
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text()
        for item in self.items:
            if line.cell_len and line.cell_len + self.gap + item.cell_len > options.max_width:
                yield line
                line = Text()
            if line.cell_len:
                line.append(" " * self.gap)
            line.append_text(item)
        yield line


HEADING_WIDTH = 30  # long theme names are cut so the codes keep the room


COMPACT_HEADING_WIDTH = 18


def render_compact_code_list(codebook: Codebook) -> _Flow:
    """The numbered codes in one flowing block, each theme's codes after its (short) heading: fewer lines
    for a small terminal."""
    items = []
    for parent, codes in code_headings(codebook):
        label = _heading(codebook, parent, COMPACT_HEADING_WIDTH)
        if parent and parent.exclusive:
            label += " (pick one)"
        items.append(Text(label + ":", style="bold"))
        items += [_numbered(n, c) for n, c in codes]
    return _Flow(items)


def _cut(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _heading(codebook: Codebook, parent, width: int) -> str:
    """A block's heading: its theme's name, cut to `width`; a theme under another theme is named after it
    ("Stance › Substance"), the outer name cut first, so a deeper block is not read as a theme of its own."""
    if parent is None:
        return "Other"
    outer = codebook.code(parent.parent) if parent.parent else None
    room = width - len(parent.name) - 3
    if outer is None or room < 4:
        return _cut(parent.name, width)
    return f"{_cut(outer.name, room)} › {parent.name}"


def _numbered(n: int, code) -> Text:
    """ "12 waiting-room*" : a draft code (created while coding, no definition yet) is starred."""
    item = Text(f"{n} {code.id}")
    if code.draft:
        item.append("*", style="yellow")
    return item


def render_code_list(codebook: Codebook, width: int | None = None) -> Table:
    """The numbered list of selectable codes, one block per theme heading; a terminal `width` columns wide
    gives the headings up to a third of it (at 200x50 "Stance toward civilian respon…" was cut with 100
    columns to spare)."""
    room = HEADING_WIDTH if width is None else max(HEADING_WIDTH, min(60, width // 3))
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for parent, items in code_headings(codebook):
        label = _heading(codebook, parent, room)
        if parent and parent.exclusive:
            label += " (pick one)"
        table.add_row(Text(label + ":"), _Flow([_numbered(n, c) for n, c in items]))
    return table


def render_codebook(codebook: Codebook, only: str | None = None) -> FitTable:
    """`?`: the codebook with definitions, include and exclude rules (under each code when narrow);
    `? ID`: only that code, or that theme and its codes."""
    from .tables import Column, FitTable

    numbers = {c.id: n for _, items in code_headings(codebook) for n, c in items}
    table = FitTable(
        Column("#", kind="number"),
        Column("code", kind="id"),
        Column("name", priority=1),
        Column("definition", kind="long", priority=2),
        Column("include", kind="long", priority=3),
        Column("exclude", kind="long", priority=4),
        title=f"Codebook {codebook.name} {codebook.version}".strip(),
    )
    shown = codebook.descendants(only) if only else None
    for c in codebook.codes:
        if shown is not None and c.id not in shown:
            continue
        number = str(numbers[c.id]) if c.id in numbers else ""
        name = c.name + (" (exclusive: pick one)" if c.exclusive else "")
        definition = c.definition or ("(draft: created while coding, no definition yet)" if c.draft else "")
        table.add_row(number, c.id, name, definition, c.include, c.exclude)
    return table


def render_screen(
    session: CodingSession,
    context: SessionContext,
    message: str | None = None,
    notice: str | None = None,
    *,
    page: int | PageView = 0,
    size: tuple[int, int] | None = None,
) -> RenderableType:
    """The whole screen for the current segment. Pure: returns a renderable (a PageView given as `page`
    records the lines shown).

    `message` is a problem with the last input (red); `notice` confirms the last save (green). With
    `size` (the terminal's columns and rows) a segment too long for the screen is shown a page at a time
    (`page`, counted from 0, wraps around; or where a PageView is), so the codes and the prompt stay
    visible below it.
    """
    item: QueueItem | None = session.current
    assert item is not None
    coded, total = session.progress()
    # Otter's title and keyword list are left out: they made the header five lines at 80x24.
    attrs = brief_attributes(context.attributes_of(item.transcript, item.segment.speaker))
    # Shown as escapes where the data holds control characters (a transcript id, an attribute from an import):
    # escaped only as written, an ESC counted no width and the header wrapped on the terminal, a row more.
    head = literal(item.transcript, style="bold")
    where = f"   segment {item.segment.n} of {item.count}   coded {coded} of {total} ({session.coder})"
    bare_head = head.copy().append(where)  # without the attributes: for a tiny terminal
    if attrs:
        head.append_text(literal("  " + "  ".join(f"{k}={v}" for k, v in sorted(attrs.items()))))
    head.append(where)
    # The rule only on a terminal: piped, it would be as wide as the console lets data be.
    top: list[RenderableType] = [Rule(style="dim"), head] if size is not None else [head]
    if item.previous is not None:
        prev = literal(f"{_speaker(item.previous)}: {item.previous.text}", style="dim")
        top.append(Clamped(prev, CONTEXT_LINES))  # the turn above is context: a few lines are enough
    shown = session.shown_suggestions()
    top.append(literal(_speaker(item.segment) + ":", style="bold"))
    bottom: list[RenderableType] = []
    suggested = _suggestions_line(shown, item.segment.text) if shown else None
    if suggested is not None:
        bottom.append(suggested)
    blinded = getattr(session.suggestions, "blinded", None)
    if context.suggestions_note and (suggested is not None or (blinded and blinded(item.key))):
        # Which learned model made them, whether it is out of date, and why it shows nothing here.
        bottom.append(Text(context.suggestions_note, style="dim"))
    chosen = Text("Chosen: ")
    if session.draft.codes:
        sentences = split_sentences(item.segment.text) if session.draft.excerpts else []

        def label(c: str) -> str:
            marks = [
                describe(item.segment.text, a, b, sentences) for a, b in session.draft.excerpts.get(c, [])
            ]
            return (
                c
                + (" (not in the codebook)" if session.codebook.code(c) is None else "")
                # kept from an earlier version, where it was a code: nothing counts a heading's decisions
                + (" (a theme heading now)" if session.codebook.children(c) else "")
                + (" (suggested)" if c in session.draft.accepted else "")
                + (f" [excerpt: {', '.join(marks)}]" if marks else "")
            )

        chosen.append_text(literal(", ".join(label(c) for c in sorted(session.draft.codes)), style="green"))
    else:
        existing = session.decisions.get(item.key)
        if existing is None:
            chosen.append("none yet")
        elif not existing.codes:
            chosen.append("nothing applies (saved)")
        else:  # every code removed: the saved codes stay until 0 saves "nothing applies"
            chosen.append(literal(f"none (saved: {', '.join(sorted(existing.codes))})"))
    bottom.append(chosen)
    # The choice by the code list's numbers, for a small terminal: fourteen codes with long ids took
    # fourteen lines at 80x24, and the code list, the help and most of the turn gave way to them.
    by_number = None
    if session.draft.codes:
        numbers = {c.id: n for n, c in enumerate(session.numbered, start=1)}
        listed = sorted(session.draft.codes, key=lambda c: (numbers.get(c, len(numbers) + 1), c))
        by_number = Text(f"Chosen ({len(listed)}, numbers of the code list): ")
        by_number.append_text(literal(" ".join(str(numbers.get(c, c)) for c in listed), style="green"))
    notes: list[Text] = []  # the note and the memos: cut to a line each on a small terminal
    if session.draft.note:
        notes.append(literal("Note: " + session.draft.note))
    for target_type, target_id in (
        ("segment", f"{item.transcript}:{item.segment.n}"),
        ("transcript", item.transcript),
    ):
        memo = context.memos.get((target_type, target_id))
        if memo:
            notes.append(literal(f"Memo ({target_type}): {memo}", style="italic"))
    bottom += notes
    code_list = _kept_list("full", session.codebook, size[0] if size is not None else None)
    bottom.append(code_list)
    help_line = Text(HELP_LINE, style="dim")
    bottom.append(help_line)
    passing: list[RenderableType] = []  # lines that come and go: they take theirs from a page
    for said, style in ((notice, "green"), (message, "bold red")):
        if said:  # on a terminal, MESSAGE_LINES at most (page_text cuts them further where they must)
            line = Text(said, style=style)
            passing.append(line if size is None else Clamped(line, MESSAGE_LINES, WHOLE_MESSAGE))
    bottom += passing
    text = render_segment_text(
        item.segment.text,
        shown,
        session.draft.excerpts,
        numbered=session.show_sentences,
        found=session.search_spans(),
    )
    # On a small terminal, shorter forms of the parts under the text make room for it, in this order: the
    # header, the speaker, "Chosen:" and the prompt always stay.
    short_help = Text(SHORT_HELP, style="dim")
    shorter: list[tuple[RenderableType, RenderableType | None]] = [(help_line, short_help)]
    long_choice = by_number is not None and size is not None and chosen.cell_len > 2 * size[0]
    if long_choice:  # more than two lines: the numbers first, before any code or help gives way
        shorter.append((chosen, by_number))
    if size is not None:
        compact = _kept_list("compact", session.codebook, None)
        shorter.append((code_list, compact))
        shorter += [(note, Clamped(note, 1)) for note in notes]
        briefs: list[RenderableType] = []
        if suggested is not None:  # without their evidence words, on two lines
            brief = _suggestions_line(shown, item.segment.text, evidence=False)
            briefs = [Clamped(brief, 2, "? shows all"), Clamped(brief, 1, "? shows all")]
            shorter.append((suggested, briefs[0]))
        cuts = [Cut(compact, n, "? lists every code") for n in (8, 4, 2)]
        tiny_help, rule_help = Text(TINY_HELP, style="dim"), Text(RULE_HELP, style="dim")
        # The help in one line before the code list is cut below 8 lines: at 80x24 a long turn then pages
        # half the screen at a time, with most of a 40-code list on screen.
        shorter += [(compact, cuts[0]), (short_help, rule_help)]
        if _rows(rule_help, size[0]) > _rows(tiny_help, size[0]):  # the rule only where it costs no row
            shorter.append((rule_help, tiny_help))
        else:
            tiny_help = rule_help
        # Only where the numbers take fewer lines: "Chosen: csu-refused" on one line became "Chosen (1,
        # numbers of the code list): 2" at 60x16, with the code list cut so far that 2 was not on it.
        if by_number is not None and not long_choice and _rows(by_number, size[0]) < _rows(chosen, size[0]):
            shorter.append((chosen, by_number))
        shorter += [(cuts[0], cuts[1]), (cuts[1], cuts[2])]
        # A tiny terminal (40 x 10): the suggestions on a line, then without them, the codes and the help.
        shorter += [
            *zip(briefs, [*briefs[1:], None]),
            (cuts[-1], None),
            (tiny_help, None),
            (head, bare_head),
        ]
    # A search opens a long turn on the page holding the words it found; space and - page from there.
    focus = SEARCH_HIT if session.search_hit == item.key else None
    return Group(
        *page_text(
            top,
            text,
            bottom,
            page=page,
            size=size,
            shorter=shorter,
            focus=focus,
            passing=passing,
            whole_key=message_key(size),
        )
    )


# The code lists of the codebook on screen, laid out once: (kind, width) -> (codebook, list).
_CODE_LISTS: dict[tuple[str, int | None], tuple[Codebook, Kept]] = {}


def _kept_list(kind: str, codebook: Codebook, width: int | None) -> Kept:
    """The full (or compact) code list of `codebook`, the same object from one screen to the next while the
    codebook is (a new version is a new Codebook), so its lines are laid out once per width."""
    kept = _CODE_LISTS.get((kind, width))
    if kept is None or kept[0] is not codebook:
        made = render_code_list(codebook, width) if kind == "full" else render_compact_code_list(codebook)
        kept = _CODE_LISTS[(kind, width)] = (codebook, Kept(made))
    return kept[1]


def _rows(line: Text, width: int) -> int:
    """The lines `line` takes at `width` columns, at least (it wraps at words)."""
    return max(1, -(-line.cell_len // max(1, width)))


def _suggestions_line(shown, text: str, *, evidence: bool = True) -> Text:
    """ "Suggestions (a accepts all): code 0.93 ("words") · ...", the words that made each one with
    `evidence`."""
    line = Text("Suggestions (a accepts all): ")
    for i, s in enumerate(shown):
        if i:
            line.append(" · ")
        line.append(s.code, style="cyan")
        line.append(f" {s.score:.2f}")
        words = [
            (
                "excluded "
                if e.excluded
                else "not "
                if e.negated
                else "counterfactual "
                if e.counterfactual
                else ""
            )
            + (e.words or " ".join(text[e.start : e.end].split()))
            + (f" (by {e.cue})" if e.negated and e.cue else "")
            for e in s.evidence
        ]
        if words and evidence:
            line.append_text(literal(" (" + ", ".join(f'"{w}"' for w in dict.fromkeys(words)) + ")"))
    return line


class _EndOfInput(Exception):
    """Ctrl-C, Ctrl-D or a closed terminal on a question's line: the session ends as with q."""


Ask = Callable[..., "str | None"]  # ask(prompt, lead=None): a question under the screen (_Questions)


def _ask(ask: Ask, prompt: str, lead: RenderableType | None = None, **narrow) -> str:
    """A question's answer. Ctrl-C or Ctrl-D on it quits, as on the prompt: at `Which one?` or a memo's
    question it used to cancel the question alone, and at the note's it quit. A lone `q` quits too
    (`quits`), as the question says: at `Which one?` it was read as a code and refused."""
    line = ask(prompt, lead, **narrow)
    if line is None or quits(line):
        raise _EndOfInput
    return line.strip()


class _Questions:
    """Asks a question of the segment's screen (`Which one?`, a note's or a memo's text) under that screen,
    drawn again with the rows the question takes (`lead`, the lines that lead to it, and its own line)
    kept free for it: printed under the prompt, the question scrolled the header off a small terminal
    (at 60x16 the coder no longer saw which transcript and segment the answer was for). A resize while
    it waits draws the screen and the question again at the new size, the answer typed kept. Not on a
    terminal, the lead is printed and the line read, as before."""

    def __init__(self, out: Console, read_line: Callable[[str], str | None], draw: Callable) -> None:
        self.out, self.read_line, self.draw = out, read_line, draw

    def __call__(
        self,
        prompt: str,
        lead: RenderableType | None = None,
        narrow: tuple[str, RenderableType | None] | None = None,
    ) -> str | None:
        """`narrow`: the prompt and lead to ask with where `prompt` would wrap (at 40x10 `Which one?`'s took
        five rows, and the header scrolled off)."""
        if not self.out.is_terminal:
            if lead is not None:
                self.out.print(lead)
            return self.read_line(prompt)
        wide = (prompt, lead)
        while True:
            try:
                with redraw_on_resize():
                    width, height = self.out.size.width, self.out.size.height
                    prompt, lead = narrow if narrow is not None and len(wide[0]) > width else wide
                    options = self.out.options.update_width(width)
                    taken = len(self.out.render_lines(lead, options, pad=False)) if lead is not None else 0
                    taken += _rows(Text(prompt), width)  # the question's own line (the prompt's, "> ")
                    # A prompt too long to scroll an answer sideways: the answer wraps, a row kept for it
                    taken += 0 if sideways(prompt, width) else 1
                    self.out.clear()
                    self.out.print(self.draw((width, max(height - taken + PROMPT_LINES, 1))))
                    if lead is not None:
                        self.out.print(lead)
                    return self.read_line(prompt)
            except Resized:  # the answer typed is put back on the question asked again
                continue


def _resolve_ambiguous(session: CodingSession, ops, ask: Ask):
    """Apply code ops, asking which code is meant whenever a prefix matches several. Returns a message."""
    ops = list(ops)
    while True:
        try:
            return session.apply_codes(ops)
        except Ambiguous as amb:
            numbers = {c.id: n for n, c in enumerate(session.numbered, start=1)}
            pick, why = _pick_among(amb, ask, numbers)
            if pick is None:
                return why
            ops = [(op, pick if tok == amb.token else tok) for op, tok in ops]


def too_small(size: tuple[int, int]) -> str:
    """What the first screen on a terminal under MIN_SIZE says, once."""
    return f"This {size[0]}x{size[1]} terminal is under the {MIN_SIZE[0]}x{MIN_SIZE[1]} the screen needs."


WHICH_ONE = "Which one? (number or id, Enter cancels, q quits) "
WHICH_ONE_NARROW = "Which one? (Enter cancels, q quits) "


def _pick_among(amb: Ambiguous, ask: Ask, numbers: dict[str, int]) -> tuple[str | None, str | None]:
    """Ask which of the codes a prefix matched is meant, each shown with its number in the code list (so
    a number means the same code as on the screen): (the code, None), or (None, why nothing is done)."""
    by_number = {numbers[c]: c for c in amb.candidates if c in numbers}
    choices = [f"{numbers[c]} {c}" if c in numbers else c for c in amb.candidates]
    lead = _Flow([literal(f'"{amb.token}" matches several codes:'), *choices])
    # On a narrow terminal the token leads the choices on their line, and the prompt leaves out what the
    # numbers beside them already say.
    narrow = (WHICH_ONE_NARROW, _Flow([literal(f'"{amb.token}":'), *choices]))
    answer = _ask(ask, WHICH_ONE, lead, narrow=narrow)
    if not answer:
        return None, "Cancelled."
    pick = by_number.get(whole_number(answer) or 0) or next(
        (c for c in amb.candidates if c.lower() == answer.lower()), None
    )
    if pick is None:
        return None, f'"{answer}" is not one of the choices. Nothing changed.'
    return pick, None


def run_session(
    db,
    session: CodingSession,
    context: SessionContext,
    *,
    read_line: Callable[[str], str | None],
    out: Console,
) -> str:
    """The loop: one line per action. Returns why it ended ("quit" or "done")."""
    try:
        return _loop(db, session, context, read_line=read_line, out=out)
    except _EndOfInput:
        return _quit(session, out)
    except KeyboardInterrupt as ex:
        if type(ex) is not KeyboardInterrupt:  # a kill or a closed terminal (cli.Terminated): not Ctrl-C
            raise
        # Ctrl-C outside a prompt (a screen drawing, a search indexing the project, a save) ends the session
        # as Ctrl-C at the prompt does; a save it cut short was rolled back, or committed just before.
        out.print()  # off a line drawn halfway
        session.interrupted()
        return _quit(session, out)


def _loop(
    db,
    session: CodingSession,
    context: SessionContext,
    *,
    read_line: Callable[[str], str | None],
    out: Console,
) -> str:
    message: str | None = None
    notice: str | None = None
    keep = False  # after `?`, keep the codebook on the terminal instead of clearing it
    view, shown_key = PageView(), None  # where the screen is in a long turn
    # Each segment's view, for the session's life: back on a turn with `b`, `g` or a search, the pages
    # already shown stay read (a long turn had to be paged through again before Enter saved).
    views: dict[tuple[str, int], PageView] = {}
    retry_nothing = False  # a "nothing applies" answer that could not be saved yet (project busy)
    asked_nothing = False  # `0` with codes on screen was just answered with a question: a second `0` saves
    ask = _Questions(out, read_line, lambda size: render_screen(session, context, page=view, size=size))
    small_said = False  # a terminal under MIN_SIZE is said once, on the first screen drawn on it
    said, reread = "", False  # the last screen's notice and message, for `!`
    while not session.done:
        changed = refresh_codebook(db, session)  # a code created meanwhile is there for every coder
        if changed:
            notice = f"{notice} {changed}" if notice else changed
        if out.is_terminal and not keep:
            out.clear()
        keep = False
        session.refresh_progress()  # one cheap query: another session's saves of this coder count too
        passed = session.pass_coded_elsewhere()  # what that query read: no query of its own
        if passed:
            notice = f"{notice} {passed}" if notice else passed
            if session.done:  # the walk ended on segments coded elsewhere: said before the summary
                out.print(Text(notice))
                break
        if session.current is not None and session.current.key != shown_key:
            shown_key = session.current.key
            view = views.setdefault(shown_key, PageView())
            view.refocus()  # it opens on its first page (or the words a search found), the lines read kept
            session.show_stored()  # decided in another terminal since: shown as saved, one lookup at most
        try:
            # A resize from here until Enter draws the screen again at its new size; space alone pages.
            with redraw_on_resize(), space_turns_pages():
                size = (out.size.width, out.size.height) if out.is_terminal else None
                if size is not None and not small_said and (size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]):
                    small_said = True
                    message = f"{message} {too_small(size)}" if message else too_small(size)
                out.print(render_screen(session, context, message, notice, page=view, size=size))
                line = read_line("> ")
        except Resized:  # what was typed is back on the prompt of the screen drawn again
            continue
        if notice or message or not reread:  # for `!` (again after `!`: the same)
            said = " ".join(part for part in (notice, message) if part)
        message = notice = None
        reread = False
        if line is None:  # end of input (Ctrl-D), Ctrl-C, a closed terminal: same as q
            return _quit(session, out)
        if line and not line.strip():  # space (then Enter): the next page of a long segment
            view.forward()
            continue
        if line.strip() == "-":  # the page before (from the first: the last)
            view.back()
            continue
        command = parse_command(line)
        if command.kind == "said":  # what the last screen said, whole; `0` asked again stays asked
            if said:
                keep, notice = _show_whole(out, Text(said), read_line, "message")
                reread = True
            else:
                message = "There is no message to show (! shows the last one whole)."
            continue
        item = session.current
        assert item is not None
        unsaved = session.unsaved()
        confirmed, asked_nothing = asked_nothing, False
        if command.kind == "quit":
            return _quit(session, out)
        if command.kind in ("skip", "back") and unsaved:  # said, so a slip of the key is seen
            notice = not_saved_line(unsaved, item.transcript, item.segment.n)
        if command.kind == "search":
            say_indexing(db, out)
        if command.kind in ("go", "search"):
            try:
                moved = (
                    session.go_to(command.text or "")
                    if command.kind == "go"
                    else session.search(command.text, backward=command.target == "back")
                )
            except Exception as ex:  # a first search indexes the project: another writer may hold it
                if not is_busy(ex):
                    raise
                moved = BUSY_SEARCH
            if command.kind == "search" and isinstance(moved, Notice):
                view.refocus()  # on the page of the words found, in this turn too (another: a new view)
            if not isinstance(moved, Notice):
                message = moved
            elif unsaved and session.current is not None and session.current.key != item.key:
                notice = f"{not_saved_line(unsaved, item.transcript, item.segment.n)} {moved}"
            else:
                notice = moved
            continue
        if command.kind in ("save", "nothing"):
            unread = unread_said(view, "Enter" if command.kind == "save" else "0")
            if unread:  # never a code (or "nothing applies") on lines not shown: the next page instead
                message, asked_nothing = unread, confirmed
                continue
        if command.kind == "nothing" and session.draft.codes and not confirmed:
            asked_nothing = True
            message = (
                f"Chosen: {', '.join(sorted(session.draft.codes))}. Enter saves them; type 0 again to save "
                '"nothing applies" instead.'
            )
            continue
        if command.kind in ("save", "nothing"):
            nothing = command.kind == "nothing" or (retry_nothing and not session.draft.codes)
            retry_nothing = False
            decision = session.decision(nothing=nothing)
            if isinstance(decision, str):
                message = decision
                continue
            meanwhile = _saved_meanwhile(db, session, item, decision, again="0" if nothing else "Enter")
            if meanwhile is not None:  # another session of this coder (another terminal) saved it
                message = meanwhile
                continue
            try:
                changed = save_decision(db, decision, actor=session.coder)  # committed before the next screen
            except Exception as ex:  # only "busy" is handled here; the rest is re-raised
                if not is_busy(ex):
                    raise
                message, retry_nothing = BUSY, nothing  # the draft stays: Enter saves the same answer
                continue
            session.saved(decision, changed=bool(changed))
            what = "Saved" if changed else "Unchanged"
            notice = f"{what}: {decision.transcript} segment {decision.segment}."
        elif command.kind == "skip":
            session.skip()
        elif command.kind == "back":
            message = session.back()
        elif command.kind == "help":
            only = None
            if command.code:  # `? ID`: that code (a theme: with its codes)
                only, message = _named_code(session, command.code)
                if only is None:
                    continue
            listing = render_codebook(session.codebook, only=only)
            if only is None:  # with what a small screen cuts: every suggestion, every code by number
                listing = Group(*_everything_cut(session, item), listing)
            keep, notice = _show_whole(out, listing, read_line, "codebook")
        elif command.kind == "accept":
            before = set(session.draft.codes)
            message = session.accept_all()
            added = [s.code for s in session.shown_suggestions() if s.code in session.draft.codes - before]
            if added:  # by name: a small screen cut the suggestions' line and showed the codes by number
                notice = f"Added from the suggestions: {', '.join(added)}."
        elif command.kind == "codes":
            message = _resolve_ambiguous(session, command.ops, ask)
        elif command.kind == "sentences":
            session.toggle_sentences()
        elif command.kind == "excerpt":
            message = _excerpt(session, command, ask)
            if isinstance(message, Notice):  # says what was marked: not a problem with the input
                notice, message = message, None
        elif command.kind == "new":
            message, notice = _new_code(db, session, command.text or "", item)
        elif command.kind == "memos":
            keep, notice = _show_whole(out, render_memos_here(session, context), read_line, "memos")
        elif command.kind == "note":
            text = command.text
            if text is None:
                # `q` quits here as on the prompt (it was saved as the note "q")
                text = _ask(ask, "Note (Enter keeps it, - clears it, q quits): ")
            if text == "-":
                session.set_note("")
            elif text:
                session.set_note(text)
        elif command.kind == "memo":
            try:
                message = _memo(db, session, context, command, item, ask)
                if isinstance(message, Notice):
                    notice, message = message, None
            except Exception as ex:
                if not is_busy(ex):
                    raise
                message = "The project is busy: the memo was NOT saved. Type it again in a moment."
    return "done"


def _everything_cut(session: CodingSession, item: QueueItem) -> list[RenderableType]:
    """What heads `?`'s codebook: the keys, this segment's suggestions with their evidence words and every
    code by its number, in a few lines. At 80x24 the screen cut the suggestions after five and the code
    list after ten codes of 48, and nothing showed the rest."""
    parts: list[RenderableType] = [Text(keys_said(), style="dim"), Text()]
    shown = session.shown_suggestions()
    if shown:
        parts += [_suggestions_line(shown, item.segment.text), Text()]
    return [
        *parts,
        Text("Codes by number:", style="bold"),
        render_compact_code_list(session.codebook),
        Text(),
    ]


def say_indexing(db, out: Console) -> None:
    """Before a search of the walk: say that the project's search index is built first (once, seconds on a
    study), so the wait is not read as a hang."""
    from ..search import indexing_message

    message = indexing_message(db)
    if message:
        out.print(Text(message))


def _quit(session: CodingSession, out: Console) -> str:
    """End the session (q, Ctrl-D, Ctrl-C), naming what was chosen on screen and not saved."""
    unsaved, item = session.unsaved(), session.current
    if unsaved and item is not None:
        out.print(Text(not_saved_line(unsaved, item.transcript, item.segment.n)))
    return "quit"


def _named_code(session: CodingSession, token: str) -> tuple[str | None, str | None]:
    """(the code `token` names: any code's id, a theme's too, or a code's number or prefix as typed when
    coding; None and why not)."""
    code = session.codebook.code(token) or session.codebook.code(token.lower())
    if code is not None:
        return code.id, None
    try:
        return resolve_code(token, session.codebook, session.numbered), None
    except CodeNotFound as ex:
        return None, str(ex)
    except Ambiguous as ex:
        return None, f'"{ex.token}" matches several codes: {", ".join(ex.candidates)}.'


def _show_whole(out: Console, listing: RenderableType, read_line, what: str) -> tuple[bool, str | None]:
    """Show a listing (the codebook, the memos) whole on a terminal: through the pager when it is taller
    than the screen (less waits for q), else on a clear screen until Enter; then the segment's screen
    comes back. Returns (whether the screen should keep the listing: not on a terminal, where it is
    printed; a notice for the segment's screen)."""
    from .pager import CommandPager, pager_command

    if not out.is_terminal:
        out.print(listing)
        return True, None
    if len(out.render_lines(listing, out.options, pad=False)) > out.size.height - 2 and pager_command():
        # -K: Ctrl-C leaves less (status 2) and the segment comes back as it was, its codes and note
        # still chosen; it used to end the session, and less, killed, left the terminal without echo.
        pager = CommandPager(less_options="-RXK")
        with out.pager(pager, styles=True):
            out.print(listing)
        if pager.interrupted:
            return False, f"Closed the {what} (Ctrl-C). Nothing on screen was lost; q quits the session."
        return False, None
    out.clear()
    out.print(listing)
    if read_line("Enter returns to the segment ") is None:  # Ctrl-C, Ctrl-D: quit, as on every question
        raise _EndOfInput
    return False, None


def _saved_meanwhile(
    db, session: CodingSession, item: QueueItem, answer: Decision, *, again: str
) -> str | None:
    """A message when the segment's decision in the project is not the one this session knows (another
    session of the same coder saved it since), None when it is the one known. When the answer is the
    known decision unchanged (Enter on a coded segment, the coder's wish being to leave it as it is), the
    project's decision is shown instead, as saved: offering the old one "over it" would have put back what
    the other session replaced, and kept its "(suggested)" marks. Else the answer stays on screen, and
    `again` (the same key) saves it over the other."""
    stored = get_decision(db, item.transcript, item.segment.n, session.coder)
    known = session.decisions.get(item.key)
    if shown_content(stored) == shown_content(known):
        return None
    if known is not None and shown_content(answer) == shown_content(known):
        session.take_stored(stored)
        if stored is None:
            return (
                "Your decision on this segment was removed meanwhile (by another command): shown now uncoded."
            )
        what = ", ".join(sorted(stored.codes)) or "nothing applies"
        return (
            f"Another session of {session.coder} saved this segment meanwhile ({what}): shown now as saved. "
            "Enter keeps it."
        )
    if stored is None:
        session.decisions.pop(item.key, None)
        return (
            f"Your decision on this segment was removed meanwhile (by another command). {again} saves yours; s "
            "leaves it uncoded."
        )
    session.decisions[item.key] = stored
    what = ", ".join(sorted(stored.codes)) or "nothing applies"
    return (
        f"Another session of {session.coder} saved this segment meanwhile ({what}). {again} saves yours over "
        "it; s leaves it as it is."
    )


def _memo(
    db, session: CodingSession, context: SessionContext, command, item: QueueItem, ask: Ask
) -> str | None:
    """`m`, `mt`, `mc ID` (the text after them, or asked for): write this coder's memo on the segment,
    transcript or a code (saved at once), or add to it when there is one: a second `mt` on a later
    segment replaced the transcript memo written on an earlier one."""
    if command.target == "segment":
        target_id = f"{item.transcript}:{item.segment.n}"
    elif command.target == "transcript":
        target_id = item.transcript
    else:
        if not command.code:
            return "Name the code: mc ID."
        target_id, problem = _named_code(session, command.code)
        if target_id is None:
            return problem
    key = (command.target, target_id)
    if context.memos.get(key):  # written earlier: what is typed now is added to it, never replaces it
        question = f"Add to your memo on {command.target} {target_id} (m? reads it; Enter cancels, q quits): "
    else:
        question = f"Memo on {command.target} {target_id} (Enter cancels, q quits): "
    # `q` at the question quits here as on the prompt (it was saved as the memo "q"); `m q` is the memo "q"
    text = command.text or _ask(ask, question)
    if not text:
        return "Memo unchanged."
    known = get_memo(db, session.coder, *key)  # as this session or another of this coder left it
    context.memos[key] = add_to_memo(db, session.coder, command.target, target_id, text)
    if known == context.memos[key]:
        return Notice(f"Your memo on {command.target} {target_id} says that already; unchanged.")
    if known:
        return Notice(f"Added to your memo on {command.target} {target_id}.")
    return None


def _excerpt(session: CodingSession, command, ask: Ask) -> str | None:
    """`x CODE 2-3`: mark the excerpt, asking which code is meant when a prefix matches several."""
    token = command.code
    while True:
        try:
            return session.mark_excerpt(token, command.text or "")
        except Ambiguous as amb:
            numbers = {c.id: n for n, c in enumerate(session.numbered, start=1)}
            pick, why = _pick_among(amb, ask, numbers)
            if pick is None:
                return why
            token = pick


def _new_code(db, session: CodingSession, rest: str, item: QueueItem) -> tuple[str | None, str | None]:
    """`+new ID "Name" [under THEME]`: create a draft code (a new codebook version) and apply it.

    Returns (problem message, notice)."""
    from ..codebook.drafts import create_draft
    from ..errors import CodebookError

    plan = session.plan_new_code(rest)
    if isinstance(plan, str):
        return plan, None
    try:
        made = create_draft(
            db, code_id=plan.id, name=plan.name, parent=plan.parent, actor=session.coder, segment=item.key
        )
    except CodebookError as ex:
        return str(ex), None
    except Exception as ex:  # only "busy" is handled here; the rest is re-raised
        if not is_busy(ex):
            raise
        return "The project is busy: the code was NOT created. Type the +new line again in a moment.", None
    refresh_codebook(db, session)
    problem = session.apply_codes([("+", plan.id)])
    if made.existed:
        return problem, f'"{plan.id}" is already a code; added it.'
    where = f' under "{plan.parent}"' if plan.parent else ""
    return problem, (
        f'Created draft code "{plan.id}"{where} (codebook version {made.version}; the lead completes it later) '
        "and added it."
    )


def render_memos_here(session: CodingSession, context: SessionContext) -> RenderableType:
    """`m?`: this coder's memos on the segment, its transcript and the codes chosen (the session is blind)."""
    item = session.current
    assert item is not None
    targets = [("segment", f"{item.transcript}:{item.segment.n}"), ("transcript", item.transcript)]
    targets += [("code", c) for c in sorted(session.draft.codes)]
    rows = [
        (kind, target, context.memos[(kind, target)])
        for kind, target in targets
        if (kind, target) in context.memos
    ]
    if not rows:
        return Text(
            "No memos of yours on this segment, its transcript or the chosen codes. m, mt and mc ID write one."
        )
    from .tables import Column, FitTable

    table = FitTable(
        Column("on", kind="id"),
        Column("target", kind="id"),
        Column("memo", kind="prose"),
        title="Your memos here",
    )
    for kind, target, text in rows:
        table.add_row(kind, target, text)
    return table
