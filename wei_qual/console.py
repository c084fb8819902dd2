"""Consoles for data (stdout) and messages (stderr), and the one place that turns errors into exit codes.

Everything printed goes through SafeConsole, which shows control characters from the data (ESC, CSI,
OSC 52 clipboard writes, BEL...) as visible escapes such as \\x1b instead of letting a transcript, a
code name or a file name drive the terminal. Rich markup in data is already escaped by the callers.

The width of the data console: the terminal's, or $COLUMNS when it is set; when stdout is not a terminal
(a pipe or a file) it is unbounded, so tables (wei_qual.cli.tables) take the width of their content
instead of being squeezed into 80 columns; `with full_width():` does the same for `--wide`.
"""

from __future__ import annotations

import contextlib
import errno
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

import typer
from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.segment import Segment
from rich.text import Text

from .controls import escape_controls
from .errors import ProjectWarning, WeiQualError
from .models import plural  # noqa: F401  (the CLI's, from here)

if TYPE_CHECKING:
    from rich.progress import Progress

UNBOUNDED_WIDTH = 10_000  # "as wide as the content": piped output and --wide


class SafeConsole(Console):
    """A Rich console that never writes a control character coming from the data.

    Strings are escaped before Rich lays them out (so widths are right, and BEL or CR show as escapes
    instead of vanishing); anything else, e.g. a Text built by a renderer, is escaped just before it is
    written. Rich's own cursor and style codes travel as control segments or styles and are left alone.
    """

    def __init__(self, *args, fit_when_piped: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("width") is None:
            # Rich fixes the width from $COLUMNS once, at creation; read it at every use instead (the
            # console is made at import, and tests and callers set COLUMNS later).
            self._width = None
        self.fit_when_piped = fit_when_piped
        self.wide = False

    @property
    def size(self) -> ConsoleDimensions:
        """Rich's size, except unbounded for piped data (fit_when_piped) and under full_width()."""
        size = super().size
        if self.wide or (
            self.fit_when_piped
            and self._width is None
            and not self._environ.get("COLUMNS", "").isdigit()
            and not self.is_terminal
        ):
            return ConsoleDimensions(UNBOUNDED_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size

    def render_str(self, text: str, **kwargs):
        return super().render_str(escape_controls(text), **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment
            if segment.control or not segment.text
            else segment._replace(text=escape_controls(segment.text))
            for segment in buffer
        )


def literal(text: str, style: str = "") -> Text:
    """Text from the data (a turn, a note, a memo) for a screen, its control characters shown as escapes
    before Rich lays it out: Rich's Text drops BEL, BS and CR, and counts ESC as no width, so a line
    escaped only when written was longer than the screen, and the marks after it were moved."""
    return Text(escape_controls(text), style=style)


console = SafeConsole(highlight=False, fit_when_piped=True)
err_console = SafeConsole(stderr=True, highlight=False, soft_wrap=True)  # messages stay one line each


# Every command a message suggests is written in double quotes ("wei-qual code --coder alice"), so that
# it can be completed: a user who named the project with --db must be able to run it as printed.
_SUGGESTED = re.compile(r'"(wei-qual(?: [^"]*)?)"')
# The only commands without --db (tests/test_docs.py checks this against the app).
COMMANDS_WITHOUT_DB = ("demo", "codebook validate", "codebook import")
_PROJECT_OPTION: ContextVar[str | None] = ContextVar("project_option", default=None)
# The warnings this command has said on stderr, for its JSON: a script reading only stdout must learn
# what a person reading the terminal was told (DESIGN.md: on stderr and in the JSON).
_SAID: ContextVar[list[str] | None] = ContextVar("said_warnings", default=None)


# What a command interrupted part-way has kept, said by the program as it ends (cli.run): a function,
# called then, so it can count what was done.
_ON_INTERRUPT: ContextVar[Callable[[], str] | None] = ContextVar("on_interrupt", default=None)
INTERRUPTED = (
    "nothing was left half-done: a change under way was rolled back, and an output file is written whole "
    "or not at all."
)


def start_command() -> None:
    """Forget the --db option, the warnings and the interrupt note of a previous command run in this
    process (tests)."""
    _PROJECT_OPTION.set(None)
    _SAID.set([])
    _ON_INTERRUPT.set(None)


def on_interrupt(say: Callable[[], str]) -> None:
    """What this command will have kept if Ctrl-C or a kill ends it from now on (one sentence, no
    transcript text), instead of INTERRUPTED: a command that commits as it goes says how far it got and
    how to finish."""
    _ON_INTERRUPT.set(say)


def interrupted_message(signal_name: str | None) -> str:
    """The one line said when Ctrl-C (signal_name None) or a kill ends a command part-way."""
    say = _ON_INTERRUPT.get()
    what = say() if say is not None else INTERRUPTED
    how = "Interrupted (Ctrl-C)" if signal_name is None else f"Stopped by {signal_name}"
    return complete_commands(f"{how}: {what}")


def with_warnings_said(data: dict) -> dict:
    """`data` with every warning this command said on stderr in its "warnings" list too (those it holds
    already are kept, in their place, and not repeated)."""
    held = list(data.get("warnings") or [])
    known = {w.rstrip(".") for w in held if isinstance(w, str)}
    for message in _SAID.get() or []:
        if message.rstrip(".") not in known:
            held.append(message)
            known.add(message.rstrip("."))
    return {**data, "warnings": held}


def remember_project_option(path: str | None) -> None:
    """The --db PATH given on the command line (None: the default or $WEI_QUAL_DB, which a suggested
    command reaches without being told)."""
    _PROJECT_OPTION.set(path)


def complete_commands(message: str) -> str:
    """Add `--db PATH` to every quoted "wei-qual ..." command of a message that needs it to reach the
    same project (the current command was given --db) and does not say it already."""
    path = _PROJECT_OPTION.get()
    if path is None:
        return message

    def complete(m: re.Match) -> str:
        command = m.group(1)
        words = command.split()
        if "--db" in words or any(" ".join(words[1:]).startswith(c) for c in COMMANDS_WITHOUT_DB):
            return m.group(0)
        if len(words) == 1 or words[1].startswith("-"):  # "wei-qual" or "wei-qual --help"
            return m.group(0)
        return f'"{command} --db {shlex.quote(path)}"'

    return _SUGGESTED.sub(complete, message)


def echo_data(text: str, *, nl: bool = True) -> None:
    """Write data (JSON, CSV, Markdown) to stdout: unchanged into a pipe or file, escaped on a terminal.
    (color=True: click would otherwise take what looks like a terminal colour out of data in a pipe.)"""
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        text = escape_controls(text)
    typer.echo(text, nl=nl, color=True)


@contextlib.contextmanager
def full_width(wide: bool = True) -> Iterator[None]:
    """Lay out what is printed on stdout at the width of its content (`--wide`), whatever the terminal."""
    before = console.wide
    console.wide = wide or before
    try:
        yield
    finally:
        console.wide = before


@contextlib.contextmanager
def _project_warnings() -> Iterator[None]:
    """Print each ProjectWarning raised meanwhile (a project made owner-only as it was opened) as a
    Warning: line, every time; other warnings are shown as Python shows them."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always", ProjectWarning)
        python_shows = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, ProjectWarning):
                warn(str(message))
            else:
                python_shows(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Print a WeiQualError as one escaped line on stderr and exit 1 (or the error's own exit_code).

    A locked, read-only or full project database (SQLite's OperationalError) is a user problem too.
    A ProjectWarning is printed as a warning.
    """
    with _project_warnings():
        try:
            yield
        except WeiQualError as ex:
            err_console.print(f"Error: {escape(complete_commands(str(ex)))}", soft_wrap=True)
            raise typer.Exit(getattr(ex, "exit_code", 1)) from None
        except OSError as ex:  # Python 3.11's Path.exists() and is_dir() raise it for a name too long
            if ex.errno != errno.ENAMETOOLONG:
                raise
            err_console.print(
                "Error: a file or folder name given is longer than this system allows (255 bytes for one name). "
                "Pass a shorter path.",
                soft_wrap=True,
            )
            raise typer.Exit(1) from None
        except Exception as ex:  # only database problems are handled; the rest is re-raised
            from .store import sqlite_error_message

            message = sqlite_error_message(ex)
            if message is None:  # not a database problem, or a bug (an integrity error): show the traceback
                raise
            err_console.print(f"Error: {escape(complete_commands(message))}", soft_wrap=True)
            raise typer.Exit(1) from None


def error(message: str) -> None:
    """Print an error on stderr without exiting (one file of a batch failed). No transcript text."""
    err_console.print(f"Error: {escape(complete_commands(message))}", soft_wrap=True)


def warn(message: str, *, held: bool = False) -> None:
    """Print a warning on stderr, and keep it for the command's JSON (with_warnings_said) unless `held`:
    the JSON holds it in a place of its own (a code's ci_note, a --by subset's warnings). The message
    must not contain transcript text."""
    said = _SAID.get()
    if said is not None and not held:
        said.append(message)
    err_console.print(f"Warning: {escape(complete_commands(message))}", soft_wrap=True)


def info(message: str) -> None:
    """Print a progress or status message on stderr (suggested commands completed with --db)."""
    err_console.print(escape(complete_commands(message)), soft_wrap=True)


def progress_bar(*columns: object) -> Progress:
    """A transient progress bar on stderr (Rich's default columns without `columns`), for a terminal.
    Redraw it with progress.update(task, ..., refresh=True): no thread of Rich's redraws it. The commands
    that show one fork worker processes (wei_qual.parallel), and a child forked while another thread is
    writing to stderr starts with that stream's lock held by a thread it does not have: it hangs for
    ever as it ends (a worker flushes stderr then) or writes there."""
    from rich.progress import Progress

    return Progress(*columns, console=err_console, transient=True, auto_refresh=False)
