"""The wei-qual command line: one module per command group, each a thin shell over core functions.

Heavy libraries (spaCy, numpy, krippendorff, python-docx, openpyxl, lxml) are imported
inside the commands that use them, so `wei-qual --help` stays instant.
"""

import copy
import gc
import os
import sys
from typing import Annotated

_EXCEPTHOOK = sys.excepthook


def _interrupted_starting(kind, value, traceback) -> None:
    """Ctrl-C while the program loads its modules, before run() handles it: one line, not the traceback
    of whichever import it cut (a tenth of a second, more on a busy machine). Nothing was done yet."""
    if not issubclass(kind, KeyboardInterrupt):
        _EXCEPTHOOK(kind, value, traceback)
        return
    try:
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + "Interrupted (Ctrl-C): nothing was done.\n")
    except (OSError, ValueError):  # stderr closed: the exit status says it
        pass


sys.excepthook = _interrupted_starting  # run() puts the default back: from then on it says what happened

# Importing Typer, Rich and the command modules makes some 30,000 objects and no garbage: the cyclic
# collector would only walk them again and again (about a tenth of the start-up every command pays).
# It is paused while they load, and what they made is frozen out of its later passes.
_collecting = gc.isenabled()
gc.disable()

import typer

from .. import __version__, gcpause
from ..console import start_command
from ..store import close_opened
from . import (
    agree,
    code,
    codebook,
    coders,
    coercion,
    decisions,
    deid,
    demo,
    desk,
    ingest,
    packets,
    project,
    reconcile,
    repeats,
    report,
    suggest,
    transcripts,
)

coercion.install()  # options coerced without importing pydantic (see coercion.py)
repeats.install()  # an option given twice is refused (see repeats.py)

app = typer.Typer(
    name="wei-qual",
    help="Code qualitative interview transcripts as a team: ingest, codebook, blind coding, "
    "reliability and theme reports.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: Rich's help renderer alone costs ~0.1 s of a 0.3 s start-up budget
    pretty_exceptions_show_locals=False,  # locals would include transcript text (DESIGN §7)
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wei-qual {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Code qualitative interview transcripts as a team."""
    start_command()  # --db is set again by the command's own option, if it has one


# Order here is the order in --help.
for _module in (
    demo,
    ingest,
    transcripts,
    codebook,
    suggest,
    code,
    coders,
    decisions,
    agree,
    reconcile,
    report,
    desk,
    deid,
    packets,
    project,
):
    _module.register(app)

gc.freeze()
if _collecting:
    gc.enable()


def program(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: with only the command or group they name first.

    Typer builds the options of every command before it runs one, about 15 ms of each start-up. Anything
    but a known command name first (help, --version, a misspelt command that click offers to correct,
    shell completion) gets every command."""
    name = argv[0] if argv else ""
    if "_WEI_QUAL_COMPLETE" in os.environ:
        return app
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not (commands or groups):
        return app
    chosen = copy.copy(app)  # the module's app keeps every command (tests, docs/cli.md)
    chosen.registered_commands, chosen.registered_groups = commands, groups
    return chosen


def run() -> None:
    """The `wei-qual` program: one command, then the process ends."""
    gcpause.FREEZE_IN_THIS_PROCESS = True
    # numpy asks Linux for huge pages for every large array; where the kernel then defragments memory
    # on demand (transparent_hugepage/defrag "madvise", the kernel's default), a page fault can stall on
    # compaction: `agree` at 10x a study spent 2-4 s of system time there (docs/performance.md). Off
    # unless the user set it; read when numpy is first imported.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    # OpenBLAS starts a thread per CPU that spins after each product; ours are small (code sets x codes),
    # so the threads only cost system time and a CPU that a forked child (parallel.in_background) needs.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if any(not arg.isascii() and _undecodable(arg) for arg in sys.argv[1:]):
        # Python keeps bytes that are not UTF-8 as lone surrogates, which nothing can store or print.
        print(
            "Error: an argument is not UTF-8 text (the terminal may use another encoding). Type it again in "
            "a UTF-8 terminal, e.g. with LANG=C.UTF-8.",
            file=sys.stderr,
        )
        sys.exit(1)
    _end_on_signals()
    try:
        if sys.excepthook is _interrupted_starting:  # Ctrl-C is handled below from here on
            sys.excepthook = _EXCEPTHOOK
        program(sys.argv[1:])(prog_name="wei-qual")
    except KeyboardInterrupt:  # before Typer's own handling (which turns Ctrl-C into exit 130)
        _say_interrupted()
        sys.exit(130 if _signalled is None else 128 + _signalled)
    except SystemExit as ex:
        if _signalled is not None or ex.code == 130:  # the exit status says which signal ended the command
            _say_interrupted()
            sys.exit(130 if _signalled is None else 128 + _signalled)
        close_opened()
        _finished()
        raise


def _say_interrupted() -> None:
    """One line on stderr: the command was interrupted, and what it kept (console.on_interrupt)."""
    import signal

    from ..console import err_console, interrupted_message

    name = None if _signalled is None else signal.Signals(_signalled).name
    try:
        if err_console.is_terminal:
            err_console.print()  # off the "^C" the terminal echoed, or a progress line drawn halfway
        err_console.print(interrupted_message(name), markup=False, soft_wrap=True)
    except (KeyboardInterrupt, OSError):  # a second Ctrl-C, or stderr closed: the exit status says it
        pass


def _finished() -> None:
    """The command is done and has said so: a Ctrl-C or a kill while Python tears down (a tenth of a
    second after a large suggest) ended it as killed by the signal, with no word, after its work was
    committed and reported."""
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            # A handler that does nothing, not SIG_IGN, which a process started after this would inherit.
            signal.signal(number, _ignore)


def _ignore(signum, frame) -> None:
    """A signal after the command finished: its work is done and said."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a kill, a closed terminal), raised where the program is, so it ends as it
    ends on Ctrl-C: transactions rolled back, temporary files of unfinished outputs removed."""


_signalled: int | None = None


def _end_on_signals() -> None:
    import signal

    def terminate(signum, frame):
        global _signalled
        _signalled = signum
        signal.signal(signum, signal.SIG_DFL)  # a second one ends the program at once
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:  # not under nohup
            signal.signal(number, terminate)


def _undecodable(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
