"""The screen and loop of `wei-qual reconcile`.

Same conventions as `wei-qual code`: one line per action, each decision committed at once.
wei_qual.cli.reconcile re-exports these names and loads this module only when the command runs (or a
name is used), so `wei-qual --help` stays fast.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..console import literal
from ..models import brief_attributes, page_span
from ..session import not_saved_line, say_unsaved
from .line_input import Resized, redraw_on_resize, space_turns_pages
from .line_input import quits as _quits
from .paging import MIN_SIZE, WHOLE_MESSAGE, Clamped, PageView, message_key, page_text, unread_said
from .tables import Column, FitTable, SideBySide

if TYPE_CHECKING:
    from ..agree import Disagreement, Selection

HELP_LINE = (
    "Numbers or code ids (prefixes work) toggle codes (+id adds, -id removes) · Enter saves (after every page; asks for a rationale) · "
    "0 nothing applies · r [TEXT] rationale (r - clears it) · m [TEXT] your memo (mt transcript, mc ID code) · "
    "m? memos · s skip · b back · "
    "g N go to · /words search (/ next, /- back) · ? the whole disagreement · q quit"
)
CONTEXT_LINES = 3  # lines of the turn before shown above the segment, as on the coding screen
NOTE_LINES = 2  # lines of each coder's note shown under the codes
MESSAGE_LINES = 3  # lines a notice or a message takes at most on a terminal
SHORT_HELP = (
    "numbers/ids toggle · Enter save · 0 nothing applies · r rationale · m memo · s skip · b back · g go to · "
    "/ search · ? all · q quit"
)
TINY_HELP = "Enter save · 0 none · r rationale · s skip · ? all · q quit"
# TINY_HELP where it still takes one line: with the rule a long turn is saved by (80x24 shows it).
RULE_HELP = "Enter save (after every page) · 0 none · r rationale · s skip · ? all · q quit"
TINIEST_HELP = "Enter save · ? all · q quit"  # one line at 40 columns
WHOLE = "? shows all"  # the key that shows what a small terminal cut, named where it was cut
# The code table of a small terminal: its first rows (numbers stay as they are), the others counted under
# it. 33 codes applied by four coders made a table taller than 80x24 in every shorter form.
TABLE_ROWS = (24, 16, 12, 8, 5, 3, 2, 1)
# The share of the rows a long turn's page wants before the codes give way no more: less than the coding
# screen's, the codes being what the lead decides (at 100x30 a 350-word turn took 13 rows and left 3 codes).
PAGE_SHARE = 0.33


def _speaker(unit) -> str:
    """Who speaks, or for a document's segment its section heading and page (as the coding screen)."""
    if unit.role == "document":
        return " · ".join(
            [unit.label or "Document"] + [x for x in [page_span(unit.page, unit.end_page)] if x]
        )
    return f"{unit.speaker or 'Speaker'} ({unit.role})"


def render_reconcile_screen(
    d: Disagreement,
    sel: Selection,
    *,
    chosen: frozenset[str],
    numbered: list[str],
    rationale: str | None,
    position: int,
    total: int,
    consensus: str,
    message: str | None = None,
    notice: str | None = None,
    page: int | PageView = 0,
    size: tuple[int, int] | None = None,
    previous=None,
    found: Sequence[tuple[int, int]] = (),
    notes: Mapping[str, str] | None = None,
    memos: Mapping[str, str] | None = None,
    settled: bool = False,
    whole: bool = False,
) -> RenderableType:
    """One disagreement: the segment, every coder's codes side by side, the lead's current choice.

    With `size` (the terminal's columns and rows) a long segment is shown a page at a time (`page`, or
    where a PageView is, which records the lines shown), so the codes and the prompt stay on the screen. `previous`: the turn before it (a Segment), shown as
    context as on the coding screen. `notes`: each coder's note on the segment, shown under the codes
    (a few lines each), as a coder writes one for whoever reconciles; `memos`: every memo on the segment
    (the coders' and the lead's), shown the same way (m? shows them whole). `settled`: the choice shown
    is one saved before, so no codes chosen is "nothing applies" saved, not a choice still to make.
    `whole`: everything whole (what `?` shows): the turn before, every code's name, the notes and memos.

    On a small terminal each part cut says so and names the key that shows it whole (`?`): the code
    table keeps its first rows and counts the others (`… 21 more codes (18 disputed, 2 chosen): ? shows
    all`), the choice, notes and memos end in "… ? shows all".
    """
    if whole:
        size = None
    u = d.unit
    # Shown as escapes where the data holds control characters (a transcript id, an attribute from an import):
    # escaped only as written, an ESC counted no width and the header wrapped on the terminal, a row more.
    head = literal(u.transcript, style="bold")
    where = f"   segment {u.segment}   disagreement {position} of {total} (saving as {consensus})"
    bare_head = head.copy().append(where)  # without the attributes: for a small terminal
    # One line at 40 columns: which segment and disagreement, not whose name the save takes.
    narrow_head = head.copy().append(f"  segment {u.segment}  disagreement {position} of {total}")
    attrs = brief_attributes(u.attributes)  # Otter's title and keywords made the header five lines at 80x24
    if attrs:
        head.append_text(literal("  " + "  ".join(f"{k}={v}" for k, v in sorted(attrs.items()))))
    head.append(where)
    # The rule only on a terminal: piped, it would be as wide as the console lets data be.
    top: list[RenderableType] = [Rule(style="dim"), head] if size is not None else [head]
    if previous is not None:  # the turn before (the question answered), dimmed, a few lines at most
        before = literal(f"{_speaker(previous)}: {previous.text}", style="dim")
        top.append(before if whole else Clamped(before, CONTEXT_LINES))
    speaker = literal(f"{_speaker(u)}:", style="bold")
    top.append(speaker)
    text = literal(u.text)  # [inaudible] and [laughs] survive, a control character shows as an escape
    if found:  # the words a search went to, marked as the coding screen marks them
        from .code_screen import SEARCH_HIT, render_segment_text

        text = render_segment_text(u.text, (), found=found)
    parts: list[RenderableType] = []
    table = _code_table(d, sel, numbered, chosen)
    one_line_names = _code_table(d, sel, numbered, chosen, name_lines=1)  # for a small terminal
    parts.append(table)
    extra = sorted(chosen - set(numbered))
    line = Text("Chosen: ")
    if chosen or settled or not any(u.codes[c] for c in sel.coders):
        line.append(", ".join(sorted(chosen)) if chosen else "nothing applies", style="green")
    else:  # Enter does not save "nothing applies" over the coders' codes: 0 does
        line.append('none yet (0 saves "nothing applies")')
    if extra:
        line.append(f"  (added: {', '.join(extra)})")
    parts.append(line)
    shown_notes = [
        literal(f"{coder}'s note: {' '.join(note.split())}", style="cyan")
        for coder, note in (notes or {}).items()
    ]
    shown_memos = [
        literal(f"{coder}'s memo: {' '.join(memo.split())}", style="magenta")
        for coder, memo in (memos or {}).items()
    ]
    if whole:
        parts += [*shown_notes, *shown_memos]
        if rationale:
            parts.append(literal(f"Rationale: {rationale}", style="italic"))
        return Group(*top, text, *parts, Text(HELP_LINE, style="dim"))
    # The notes, and the memos, are one part each: their shorter forms take or give back every one of
    # them at once, never some (a memo left out while the others came back would be silently dropped).
    note_forms = [Group(*(Clamped(x, n, WHOLE) for x in shown_notes)) for n in (NOTE_LINES, 1)]
    memo_forms = [Group(*(Clamped(x, n, WHOLE) for x in shown_memos)) for n in (NOTE_LINES, 1)]
    parts += [form[0] for form in (note_forms, memo_forms) if form[0].renderables]
    said = literal(f"Rationale: {rationale}", style="italic") if rationale else None
    if said is not None:
        parts.append(said)
    help_line = Text(HELP_LINE, style="dim")
    parts.append(help_line)
    passing: list[RenderableType] = []  # they come and go: their lines are taken from the page

    def passing_line(line: str, style: str) -> RenderableType:
        # On a terminal a notice or message takes MESSAGE_LINES at most: at 80x24 a message listing the
        # 37 codes "code" matched took the whole screen, the disagreement and its codes scrolled off.
        shown = Text(line, style=style)
        return shown if size is None else Clamped(shown, MESSAGE_LINES, WHOLE_MESSAGE)

    if notice:  # where `g` or a search went
        passing.append(passing_line(notice, "green"))
    if message:
        passing.append(passing_line(message, "bold red"))
    parts += passing
    # On a small terminal (80x24 with many codes), shorter forms in this order, so the header (where the
    # lead is), the codes, "Chosen:" and the prompt stay on the screen.
    short_help, tiny_help = Text(SHORT_HELP, style="dim"), Text(TINY_HELP, style="dim")
    rule_help = Text(RULE_HELP, style="dim")
    shorter: list[tuple[RenderableType, RenderableType | None]] = [
        (help_line, short_help),
        (table, one_line_names),  # six codes with long names took twelve lines
        (short_help, rule_help),
    ]
    if size is not None and len(RULE_HELP) > size[0]:  # the rule only where it costs no row
        shorter.append((rule_help, tiny_help))
    else:
        tiny_help = rule_help
    shorter.append((head, bare_head))
    shorter += [(forms[0], forms[1]) for forms in (note_forms, memo_forms) if forms[0].renderables]
    said_of_notes: list[RenderableType] = [*note_forms, *memo_forms]  # their forms, the last to go at 40x10
    if said is not None:
        shorter.append((said, Clamped(said, 1, WHOLE)))
    if len(shown_memos) > 1:  # then one line names who wrote them (m? reads them)
        named = literal(f"Memos by {', '.join(memos or {})}: m? reads them.", style="magenta")
        shorter.append((memo_forms[1], named))
        said_of_notes.append(named)
    # Many codes: the names go, then the table keeps its first rows and counts the rest; the choice and
    # the notes take fewer lines, each saying where it was cut.
    no_names = _code_table(d, sel, numbered, chosen, names=False)
    halves = _halves(d, sel, numbered, chosen, range(len(numbered)))  # every code in half the rows, if wide
    shorter += [(one_line_names, no_names), (no_names, halves)]
    cuts = [_cut_table(d, sel, numbered, chosen, rows) for rows in TABLE_ROWS if rows < len(numbered)]
    steps = list(zip([halves, *cuts], cuts))
    few = next((i for i, rows in enumerate(r for r in TABLE_ROWS if r < len(numbered)) if rows < 8), None)
    shorter += steps[:few]  # down to 8 codes, then the choice and notes shorter, then fewer codes
    chosen_line = Clamped(line, 2, WHOLE)
    chosen_one = Clamped(line, 1, WHOLE)
    shorter += [(line, chosen_line), (chosen_line, chosen_one)]
    if len(shown_notes) > 1:  # one line names whose notes there are
        named_notes = literal(f"Notes by {', '.join(notes or {})}: {WHOLE}.", style="cyan")
        shorter.append((note_forms[1], named_notes))
        said_of_notes.append(named_notes)
    last = next((i for i, rows in enumerate(r for r in TABLE_ROWS if r < len(numbered)) if rows < 3), None)
    shorter += steps[few:last] if few is not None else []
    if shown_notes and shown_memos:  # then one line says there are both (60x16: 4 coders' notes, 3 memos)
        note_part = named_notes if len(shown_notes) > 1 else note_forms[1]
        memo_part = named if len(shown_memos) > 1 else memo_forms[1]
        both = literal(
            f"Notes by {len(shown_notes)} coder{'s' if len(shown_notes) != 1 else ''} ({WHOLE}), memos by "
            f"{len(shown_memos)} (m? reads them).",
            style="cyan",
        )
        shorter += [(note_part, both), (memo_part, None)]
        said_of_notes.append(both)
    shorter += steps[last:] if last is not None else []  # then two codes, one, each counting the rest
    # Last, for a terminal near 40x10: the header on one line, the keys on one, and the speaker's line
    # goes (? shows it). At 40x10 the screen took 14 rows, and the header scrolled off at every question.
    shorter += [(bare_head, narrow_head), (tiny_help, Text(TINIEST_HELP, style="dim")), (speaker, None)]
    # A question on two rows at 40x10 (a memo on a long code id) takes the choice's line (? shows it).
    shorter.append((chosen_one, None))
    # The key line stays, as on the coding screen: at 60x16 it was the last part dropped, and the lead was
    # left with no word of the keys that save, skip or quit.
    focus = SEARCH_HIT if found else None  # a long turn opens on the page holding the words found
    return Group(
        *page_text(
            top,
            text,
            parts,
            page=page,
            size=size,
            shorter=shorter,
            focus=focus,
            passing=passing,
            share=PAGE_SHARE,
            before_context=1,  # the help in a line before the question answered goes
            # At 40x10 a message of three lines pushed the header off: cut further, ! shows it whole (not
            # under MIN_SIZE, where the message says the screen does not fit).
            whole_key=message_key(size),
            # then the line saying there are notes or memos (? and m? show them): at 40x10 a dense
            # disagreement has no other line to give for a message
            last=[(part, None) for part in said_of_notes],
        )
    )


def _code_table(
    d: Disagreement,
    sel: Selection,
    numbered: list[str],
    chosen: frozenset[str],
    *,
    name_lines: int | None = None,
    names: bool = True,
    rows: Sequence[int] | None = None,
) -> FitTable:
    """Every coder's codes side by side and the lead's choice; `name_lines`: the lines a code's name takes
    at most (cut with "…"), on a small terminal; `names`: False leaves the names out; `rows`: only those
    rows (indexes of `numbered`, each numbered as in the whole table)."""
    u = d.unit
    table = FitTable(
        Column("#", kind="number"),
        Column("code", kind="id"),
        *([Column("name", priority=1, lines=name_lines)] if names else []),
        *(
            Column(
                coder if u.codes[coder] is not None else f"{coder} (not coded)", min_width=5, justify="center"
            )
            for coder in sel.coders
        ),
        Column("chosen", min_width=6, justify="center"),
    )
    for index in range(len(numbered)) if rows is None else rows:
        number, code = index + 1, numbered[index]
        style = "yellow" if code in d.disputed else None
        marks = ["✓" if (u.codes[c] is not None and code in u.codes[c]) else "" for c in sel.coders]
        known = sel.codebook.code(code)
        name = [Text(known.name if known else "(not in the codebook)")] if names else []
        table.add_row(
            str(number),
            Text(code, style=style),
            *name,
            *marks,
            Text("✓" if code in chosen else "", style="green"),
        )
    return table


def _halves(
    d: Disagreement, sel: Selection, numbered: list[str], chosen: frozenset[str], rows: Sequence[int]
) -> SideBySide:
    """Those rows of the table without names, in two halves side by side where the width holds them (a
    wide terminal), else one under the other."""
    half = (len(rows) + 1) // 2
    return SideBySide(
        _code_table(d, sel, numbered, chosen, names=False, rows=rows[:half]),
        _code_table(d, sel, numbered, chosen, names=False, rows=rows[half:]),
        otherwise=_code_table(d, sel, numbered, chosen, names=False, rows=rows),
    )


def _cut_table(
    d: Disagreement, sel: Selection, numbered: list[str], chosen: frozenset[str], rows: int
) -> Group:
    """`rows` codes of the table, the disputed first (no names; two halves side by side on a wide
    terminal; in the table's order and numbers), and a line counting the others, the disputed and the
    chosen among them, and naming the key that shows them all. The disputed go first because they are
    what the lead decides: at 60x16 the first rows, codes both coders applied, left every disputed one
    off the screen."""
    kept = sorted(sorted(range(len(numbered)), key=lambda i: numbered[i] not in d.disputed)[:rows])
    rest = [code for i, code in enumerate(numbered) if i not in kept]
    said = [
        f"{n} {what}"
        for n, what in ((len(set(rest) & d.disputed), "disputed"), (len(set(rest) & chosen), "chosen"))
        if n
    ]
    counted = f" ({', '.join(said)})" if said else ""
    more = Text(f"… {len(rest)} more code{'s' if len(rest) != 1 else ''}{counted}: {WHOLE}", style="dim")
    return Group(_halves(d, sel, numbered, chosen, kept), more)


class _OnScreen:
    """Where the walk is and what the lead chose on the disagreement shown, against what it showed on
    arrival (the coders' agreed codes, or the choice saved earlier in this run)."""

    def __init__(self) -> None:
        # Saved in this run: index -> (codes, rationale).
        self.decided: dict[int, tuple[frozenset[str], str]] = {}
        self.skipped: set[int] = set()
        self.index = 0
        self.chosen: frozenset[str] = frozenset()
        self.rationale: str | None = None
        self.arrived: tuple[frozenset[str], str | None] = (frozenset(), None)
        self.saving = False  # between the save's start and its being counted

    def arrive(self, index: int, chosen: frozenset[str], rationale: str | None) -> None:
        self.index, self.chosen, self.rationale, self.saving = index, chosen, rationale, False
        self.arrived = (chosen, rationale)

    def unsaved(self) -> str | None:
        """What on screen differs from what it showed on arrival, said as the coding session says it."""
        codes, rationale = self.arrived
        note = ["a rationale"] if (self.rationale or None) != (rationale or None) else []
        return say_unsaved(self.chosen if self.chosen != codes else None, *note, none='"nothing applies"')

    def saved(self) -> None:
        self.decided[self.index] = (self.chosen, self.rationale or "")
        self.arrived, self.saving = (self.chosen, self.rationale), False

    def counts(self, stopped: bool) -> tuple[int, int, bool]:
        return len(self.decided), len(self.skipped - self.decided.keys()), stopped


def run_reconcile(
    db,
    sel: Selection,
    queue: list[Disagreement],
    *,
    consensus: str,
    lead: str,
    read_line: Callable[[str], str | None],
    out: Console,
    closing: Callable[[int, int], str] | None = None,
) -> tuple[int, int, bool]:
    """The loop. Returns (saved, skipped, quit early). `g` and `/WORDS` move through the walk as in the
    coding session; a disagreement saved in this run and gone back to shows the choice saved. Quitting
    (q, Ctrl-D, Ctrl-C) names what was chosen on screen and not saved, as the coding session does. A kill
    or a closed terminal ends the program with the same words, `closing(saved, skipped)` among them: how
    far the walk got and how to resume."""
    walk = _OnScreen()
    try:
        _loop(db, sel, queue, walk, consensus=consensus, lead=lead, read_line=read_line, out=out)
    except _Stopped:
        pass
    except KeyboardInterrupt as ex:
        # Outside a prompt (a screen drawing, a search indexing the project, a save): a save it cut short
        # was rolled back, or committed just before; the project says which, so the count is exact.
        out.print()  # off a line drawn halfway
        _count_cut_save(db, queue, walk, consensus, lead)
        if type(ex) is not KeyboardInterrupt:  # a kill or a closed terminal (cli.Terminated): not Ctrl-C
            if closing is not None:
                from ..console import on_interrupt

                on_interrupt(
                    lambda: " ".join(
                        filter(None, [_unsaved_line(walk, queue), closing(*walk.counts(True)[:2])])
                    )
                )
            raise
    else:
        return walk.counts(False)
    return _stop(walk, queue, out)


def _count_cut_save(db, queue: list[Disagreement], walk: _OnScreen, consensus: str, lead: str) -> None:
    """Count the save an interrupt came in the middle of if the project holds it."""
    if not walk.saving:
        return
    from ..store.decisions import get_decision

    u = queue[walk.index].unit
    stored = get_decision(db, u.transcript, u.segment, consensus)
    if (
        stored is not None
        and stored.codes == walk.chosen
        and stored.rationale == ((walk.rationale or "").strip() or f"chosen by {lead}")
    ):
        walk.saved()


def _unsaved_line(walk: _OnScreen, queue: list[Disagreement]) -> str | None:
    """What was chosen on screen and not saved, or None."""
    unsaved = walk.unsaved()
    if unsaved and walk.index < len(queue):
        u = queue[walk.index].unit
        return not_saved_line(unsaved, u.transcript, u.segment)
    return None


def _stop(walk: _OnScreen, queue: list[Disagreement], out: Console) -> tuple[int, int, bool]:
    """End the walk (q, Ctrl-D, Ctrl-C), naming what was chosen on screen and not saved."""
    unsaved = _unsaved_line(walk, queue)
    if unsaved:
        out.print(Text(unsaved))
    return walk.counts(True)


class _Stopped(Exception):
    """q, or end of input at a prompt (Ctrl-D, Ctrl-C)."""


def _loop(
    db,
    sel: Selection,
    queue: list[Disagreement],
    walk: _OnScreen,
    *,
    consensus: str,
    lead: str,
    read_line: Callable[[str], str | None],
    out: Console,
) -> None:
    from ..agree import (
        CODING_ONLY,
        consensus_problem,
        exclusivity_note,
        is_copy,
        locate_disagreement,
        parse_reconcile_command,
        save_consensus,
        shown_codes,
        takeable,
        toggle_codes,
    )
    from ..coding import LazyTurns
    from ..errors import AgreementError
    from ..search import segment_spans
    from ..session import WalkSearch
    from ..store import is_busy
    from ..store.decisions import get_decision, segment_memos
    from .code_screen import BUSY_SEARCH, say_indexing

    turns = LazyTurns(db)  # each transcript's turns, read when one of its disagreements is shown
    decided, skipped = walk.decided, walk.skipped
    search = WalkSearch(
        len(queue),
        lambda i: queue[i].unit.text,
        key_of=lambda i: (queue[i].unit.transcript, queue[i].unit.segment),
        lookup=lambda words: segment_spans(db, words),  # as `wei-qual search` matches them
    )

    def shown(**view) -> RenderableType:
        """The disagreement as it stands now, on the screen (`view`: its page, size, messages) or whole
        (`?`): one call, so the two never differ in what they show. It reads the loop's variables when
        called: those of the disagreement on screen."""
        return render_reconcile_screen(
            d,
            sel,
            chosen=walk.chosen,
            numbered=numbered,
            rationale=walk.rationale,
            position=position,
            total=len(queue),
            consensus=consensus,
            previous=previous,
            found=search.spans(index) if hit == index else (),
            notes=notes,
            memos=memos,
            settled=settled and walk.chosen == walk.arrived[0],
            **view,
        )

    from .code_screen import _Questions, too_small

    # A question (a rationale, a memo) under the screen drawn again with room for it: printed under the
    # prompt, it scrolled the header (which segment, which disagreement) off a 60x16 terminal.
    ask = _Questions(out, read_line, lambda size: shown(page=view, size=size))
    index, notice, hit = 0, None, None  # hit: the index a search went to (its words are marked)
    views: dict[int, PageView] = {}
    small_said = False  # a terminal under MIN_SIZE is said once, on the first screen drawn on it
    said, reread = "", False  # the last screen's notice and message, for `!`
    while index < len(queue):
        d, position = queue[index], index + 1
        previous = next(
            (a for a, b in itertools.pairwise(turns(d.unit.transcript)) if b.n == d.unit.segment), None
        )
        numbered = shown_codes(d, sel.codebook)
        notes = {  # one lookup per coder, when the disagreement is shown
            c: mine.note
            for c in sel.coders
            if d.unit.codes[c] is not None
            and (mine := get_decision(db, d.unit.transcript, d.unit.segment, c)) is not None
            and mine.note.strip()
        }
        memos = segment_memos(db, d.unit.transcript, d.unit.segment)
        # A code the active codebook no longer has stays listed (marked) but is not chosen for consensus.
        stored = None if index in decided else get_decision(db, d.unit.transcript, d.unit.segment, consensus)
        if index in decided:
            walk.arrive(index, *decided[index])
        elif stored is not None and not is_copy(stored):  # --revisit: opens as an earlier run saved it
            said = "" if stored.rationale == f"chosen by {lead}" else stored.rationale  # none given
            walk.arrive(index, takeable(stored.codes, sel.codebook), said)
        else:
            walk.arrive(index, takeable(d.agreed, sel.codebook), None)
        # Saved before (in this run, or an earlier one walked again): "nothing applies" is a choice made.
        settled = index in decided or (stored is not None and not is_copy(stored))

        message, shown_notice = exclusivity_note(walk.chosen, sel.codebook), notice
        notice = None
        zero_asked = False  # `0` with codes chosen was answered with a question
        # A long segment is shown a page at a time; the pages shown stay read when `b`, `g` or a search
        # comes back to it (views: each disagreement's, for the walk's life).
        view = views.setdefault(index, PageView())
        view.refocus()  # it opens on its first page (or the words a search found), the lines read kept
        moved = None  # where `g` or a search goes
        while moved is None:
            if out.is_terminal:
                out.clear()
            try:
                # A resize until Enter draws the screen again at its new size; space alone pages.
                with redraw_on_resize(), space_turns_pages():
                    size = (out.size.width, out.size.height) if out.is_terminal else None
                    if (
                        size is not None
                        and not small_said
                        and (size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1])
                    ):
                        small_said = True
                        message = f"{message} {too_small(size)}" if message else too_small(size)
                    out.print(shown(message=message, notice=shown_notice, page=view, size=size))
                    line = read_line("> ")
            except Resized:  # what was typed is back on the prompt of the screen drawn again
                continue
            if message or shown_notice or not reread:  # for `!` (again after `!`: the same)
                said = " ".join(x for x in (shown_notice, message) if x)
            message = shown_notice = None
            reread = False
            if line is None:
                raise _Stopped
            if line and not line.strip():  # the next page of a long segment; `-` the page before
                view.forward()
                continue
            if line.strip() == "-":
                view.back()
                continue
            command = parse_reconcile_command(line)
            if command.kind == "said":  # what the last screen said, whole; `0` asked again stays asked
                if said:
                    from .code_screen import _EndOfInput, _show_whole

                    try:
                        _, shown_notice = _show_whole(out, Text(said), read_line, "message")
                    except _EndOfInput:
                        raise _Stopped from None
                    reread = True
                else:
                    message = "There is no message to show (! shows the last one whole)."
                continue
            confirmed, zero_asked = zero_asked, False  # a second 0 right after the question saves
            unsaved = walk.unsaved()
            left = not_saved_line(unsaved, d.unit.transcript, d.unit.segment) if unsaved else None
            if command.kind == "quit":
                raise _Stopped
            if command.kind == "skip":
                skipped.add(index)
                moved, notice = index + 1, left  # said, so a slip of the key is seen
            elif command.kind == "back":  # the disagreement before, as `g N-1`
                if index == 0:
                    message = "This is the first disagreement. Nothing moved."
                else:
                    went = f"Disagreement {index} of {len(queue)}."
                    moved, notice = index - 1, f"{left} {went}" if left else went
            elif command.kind == "elsewhere":
                what = CODING_ONLY[command.text or ""]
                message = (
                    f'"{command.text}" ({what}) is a command of the coding session, not of reconcile, where the '
                    "rationale (r) says why. Nothing changed."
                )
            elif command.kind == "go":
                found = locate_disagreement(queue, command.text or "", index)
                if isinstance(found, str):
                    message = found
                elif found == index:  # the one on screen: what was chosen on it stays
                    shown_notice = f"Disagreement {found + 1} of {len(queue)}."
                else:
                    moved, notice = (
                        found,
                        " ".join(x for x in (left, f"Disagreement {found + 1} of {len(queue)}.") if x),
                    )
            elif command.kind == "search":
                say_indexing(db, out)
                try:
                    got = search.find(command.text, index, backward=bool(command.tokens))
                except Exception as ex:  # a first search indexes the project: another writer may hold it
                    if not is_busy(ex):
                        raise
                    got = BUSY_SEARCH
                if isinstance(got, str):
                    message = got
                elif got.only:
                    hit, shown_notice = index, f"Only this disagreement has {got.words}."
                    view.refocus()  # on the page of the words found, the lines read kept
                else:
                    u = queue[got.index].unit
                    moved, hit = got.index, got.index
                    went = (
                        f"{got.words}: {u.transcript} segment {u.segment}, {got.which}; disagreement "
                        f"{got.index + 1} of {len(queue)}."
                    )
                    notice = f"{left} {went}" if left else went
            elif command.kind == "help":  # the whole disagreement: what a small terminal cut, with the keys
                from .code_screen import _EndOfInput, _show_whole

                try:
                    _, shown_notice = _show_whole(out, shown(whole=True), read_line, "disagreement")
                except _EndOfInput:
                    raise _Stopped from None
            elif command.kind == "toggle":
                try:
                    walk.chosen = toggle_codes(walk.chosen, command.tokens, numbered, sel.codebook)
                except AgreementError as ex:
                    message = str(ex)
                else:
                    message = exclusivity_note(walk.chosen, sel.codebook)  # still two, chosen on arrival
            elif command.kind == "rationale":
                asked = (
                    "Rationale (Enter keeps it, - clears it, q quits): "
                    if walk.rationale
                    else "Rationale (q quits): "
                )
                # Where it would wrap (40 columns), `-` is left out of it: ? names it.
                short = ("Rationale (Enter keeps, q quits): ", None)
                text = command.text if command.text is not None else ask(asked, narrow=short)
                if text is None or (command.text is None and _quits(text)):
                    raise _Stopped
                if (
                    _answered(text) == "-"
                ):  # none, as Enter at the save's question gives: saved "chosen by LEAD"
                    walk.rationale = ""
                    shown_notice = "Rationale cleared: Enter saves the codes with none."
                else:
                    walk.rationale = _answered(text) or walk.rationale
            elif command.kind == "memo":
                message, shown_notice = _memo(db, d.unit, lead, memos, command, numbered, sel.codebook, ask)
            elif command.kind == "memos":
                from .code_screen import _EndOfInput, _show_whole

                listing = render_memos(db, d.unit, numbered)
                if listing is None:  # said on the screen, not on a page of its own to leave with Enter
                    message = (
                        f"No memos on segment {d.unit.transcript}:{d.unit.segment}, its transcript or its codes. "
                        "m, mt and mc ID write yours."
                    )
                    continue
                try:
                    _show_whole(out, listing, read_line, "memos")
                except _EndOfInput:
                    raise _Stopped from None
            elif command.kind in ("save", "nothing"):
                unread = unread_said(view, "Enter" if command.kind == "save" else "0")
                if unread:  # never a consensus on lines not shown: the next page instead
                    message, zero_asked = unread, confirmed
                    continue
                if command.kind == "nothing":
                    if walk.chosen and not confirmed:
                        zero_asked = True
                        message = (
                            f"Chosen: {', '.join(sorted(walk.chosen))}. Enter saves them; type 0 again to save "
                            '"nothing applies" instead.'
                        )
                        continue
                    walk.chosen = frozenset()
                elif (
                    not walk.chosen
                    and any(d.unit.codes[c] for c in sel.coders)
                    and not (settled and walk.arrived[0] == walk.chosen)
                ):
                    # Enter, Enter (save, no rationale) stored "nothing applies" over the coders' codes.
                    message = (
                        'No codes chosen. Choose codes, or type 0 to save "nothing applies" as consensus.'
                    )
                    continue
                problem = consensus_problem(walk.chosen, sel.codebook)
                if problem is not None:  # what import refuses is never saved: export would not import again
                    message = problem
                    continue
                if walk.rationale is None:
                    text = ask(
                        "Rationale (why these codes; Enter for none, q quits): ",
                        narrow=("Rationale (Enter for none, q quits): ", None),
                    )
                    if text is None or _quits(text):  # `q` is quit on every line of this screen
                        raise _Stopped
                    # `-` is none here too, as after r: it was saved as the rationale "-"
                    answer = _answered(text)
                    walk.rationale = "" if answer == "-" else answer
                walk.saving = True  # from here a Ctrl-C asks the project whether the save was committed
                save_consensus(
                    db,
                    d.unit,
                    walk.chosen,
                    walk.rationale,
                    consensus=consensus,
                    actor=lead,
                    confirm=stored is not None and not is_copy(stored),  # kept as it was: said so
                )
                walk.saved()
                moved = index + 1
        index = moved


# At a rationale question a lead types the command out of habit: "r the unit was full" is the rationale
# "the unit was full", not one that starts with "r ".
_RATIONALE_COMMAND = re.compile(r"r\s+")


def _answered(text: str) -> str:
    """The rationale typed at a rationale question, without the `r ` of the command typed out of habit."""
    text = text.strip()
    command = _RATIONALE_COMMAND.match(text)
    return text[command.end() :] if command else text


def _memo(
    db, unit, lead: str, memos: dict[str, str], command, numbered: list[str], codebook, ask
) -> tuple[str | None, str | None]:
    """`m`, `mt`, `mc ID` [TEXT]: the lead's memo on the segment, its transcript or a code (asked for when
    not typed), saved at once and audited, or added to the one the lead wrote before, as the coding
    session's do (the same memos: `wei-qual memos` lists them). Returns (message, notice)."""
    from ..agree import memo_code
    from ..errors import AgreementError
    from ..store import is_busy
    from ..store.decisions import add_to_memo, get_memo

    if command.target == "segment":
        where = f"{unit.transcript}:{unit.segment}"
    elif command.target == "transcript":
        where = unit.transcript
    elif not command.code:
        return "Name the code: mc ID (an id, or a number of the table).", None
    else:
        try:
            where = memo_code(command.code, numbered, codebook)
        except AgreementError as ex:
            return str(ex), None
    before = memos.get(lead) if command.target == "segment" else get_memo(db, lead, command.target, where)
    text = command.text
    if text is None:
        asked = (
            f"Add to your memo on {command.target} {where}" if before else f"Memo on {command.target} {where}"
        )
        # Where it would wrap (40 columns), without the word the header or the id already says.
        short = f"{'Add to memo' if before else 'Memo'} {where} (Enter cancels, q quits): "
        text = ask(f"{asked} (Enter cancels, q quits): ", narrow=(short, None))
        if text is None or _quits(text):  # `q` quits here as at the rationale's question
            raise _Stopped
    if not text.strip():
        return "Memo unchanged.", None
    try:
        memo = add_to_memo(db, lead, command.target, where, text.strip())
    except Exception as ex:
        if not is_busy(ex):
            raise
        return "The project is busy: the memo was NOT saved. Type it again in a moment.", None
    said = "says that already; unchanged" if memo == before else "saved"
    if command.target == "segment":
        memos[lead] = memo
    return None, f"Your memo on {command.target} {where} {said} (as {lead})."


def render_memos(db, unit, numbered: Sequence[str] = ()) -> RenderableType | None:
    """`m?`: every memo on the segment, its transcript and the codes of its table (`numbered`), whole, with
    its author (reconcile comes after the coding: nothing is blind here); None when there is none."""
    from ..store.decisions import memos_on

    rows = [
        (kind, target, coder, text)
        for kind, ids in (
            ("segment", [f"{unit.transcript}:{unit.segment}"]),
            ("transcript", [unit.transcript]),
            ("code", list(numbered)),
        )
        for target, coder, text in memos_on(db, kind, ids)
    ]
    if not rows:
        return None
    table = FitTable(
        Column("on", kind="id"),
        Column("target", kind="id"),
        Column("by", kind="id"),
        Column("memo", kind="prose"),
        title="Memos here",
    )
    for kind, target, coder, text in rows:
        table.add_row(kind, literal(target), literal(coder), literal(text))
    return table
