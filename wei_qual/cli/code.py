"""Command: code, the blind interactive coding session.

The screens (pure render_* functions) and the loop live in wei_qual.cli.code_screen, loaded when the
command runs; they are re-exported here (`from wei_qual.cli.code import render_screen` works) so
`wei-qual --help` need not compile them or import the session modules.
"""

import shlex
from enum import Enum
from typing import Annotated

import typer
from rich.markup import escape

from ..console import console, err_console, info, on_interrupt, user_errors, warn
from .options import DEFAULT_DB_PATH, DbOption


class Order(str, Enum):
    transcript = "transcript"
    uncertain = "uncertain"


def code_cli(
    coder: Annotated[
        str, typer.Option("--coder", "-c", help="Your coder name; decisions are stored under it.")
    ],
    transcript: Annotated[
        list[str] | None, typer.Option("--transcript", "-t", help="Only this transcript id (repeatable).")
    ] = None,
    include_interviewer: Annotated[
        bool, typer.Option("--include-interviewer", help="Code interviewer turns too.")
    ] = False,
    recode: Annotated[bool, typer.Option("--recode", help="Walk segments you already coded too.")] = False,
    code: Annotated[
        list[str] | None,
        typer.Option(
            "--code",
            help="Walk only the segments your decision holds this code on (repeatable; implies --recode): "
            "a code a later codebook version split or retired, or one whose definition changed.",
        ),
    ] = None,
    order: Annotated[
        Order,
        typer.Option(
            "--order",
            help="transcript: in order, assigned transcripts first. uncertain: the segments the learned model "
            "is least sure of first (for leads building training data, not for a blind reliability sample).",
        ),
    ] = Order.transcript,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="TRANSCRIPT:SEGMENT",
            help="Start at this segment (e.g. P01:12), as the resume command of a --recode walk gives it.",
        ),
    ] = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Code segments one at a time, blind to other coders; every answer is saved at once.

    Type code ids or numbers (prefixes work), +id/-id, a (accept suggestions), Enter (save),
    0 (nothing applies), n (note), m/mt/mc ID (memo), m? (read your memos), # (number sentences),
    x ID 2-3 (mark an excerpt), +new ID "Name" [under THEME] (a new draft code), b (back), s (skip),
    g N / g P02:14 (go to a segment), /WORDS (search forward; /-WORDS back; / and /- again),
    ? (codebook), ! (the last message whole), q (quit).

        \b
        wei-qual code --coder alice --transcript P01
        wei-qual code --coder alice --code csu-admission    # recode what a split code holds
    """
    from ..coders import resolve_coder
    from ..coding import load_session
    from ..packet import packet_session, refuse_another_coder
    from ..store import open_db
    from .code_screen import run_session
    from .line_input import read_line

    with user_errors():
        db = open_db(db_path, create=False)
        refuse_another_coder(db, coder, db_path)
        found = resolve_coder(db, coder, new_ok=True)
        if found.warning:
            warn(found.warning)
        session, context = load_session(
            db,
            found.name,
            transcripts=transcript,
            include_interviewer=include_interviewer,
            recode=recode,
            order=order.value,
            start=start,
            codes=code,
        )
        if order == Order.uncertain:
            warn(
                "--order uncertain shows the segments the learned model is least sure of first. Use it to build "
                "training data, not on the double-coded reliability sample: the model would choose what is coded."
            )
        if session.done:
            coded, total = session.progress()
            info(
                f"Nothing left to code: {session.coder} has coded {coded} of {total} segments. Use --recode to revisit them."
            )
            return
        with packet_session(db):
            try:
                how = run_session(db, session, context, read_line=read_line, out=console)
            except KeyboardInterrupt as ex:  # Ctrl-C mid-save rolls that save back; everything before is kept
                if type(ex) is not KeyboardInterrupt:  # a kill, a closed terminal: its exit status says so
                    on_interrupt(
                        lambda: _killed(session, transcript, include_interviewer, order, code, recode)
                    )
                    raise
                how = "quit"
        session.refresh_progress()  # what the project holds now, another terminal's saves included
    said, left = _ended(session, how, transcript, include_interviewer, order, code, recode)
    if left:
        info(said)
    else:
        err_console.print(escape(said), soft_wrap=True)


def _killed(session, *walk) -> str:
    """What a kill or a closed terminal ends the session with, as q would: the codes on screen not saved,
    where it stopped, and the command that resumes there."""
    from ..session import not_saved_line

    said = _ended(session, "quit", *walk)[0]
    unsaved, item = session.unsaved(), session.current
    if unsaved and item is not None:
        said = f"{not_saved_line(unsaved, item.transcript, item.segment.n)} {said}"
    return said


def _ended(
    session, how: str, transcript, include_interviewer: bool, order, code, recode: bool
) -> tuple[str, bool]:
    """What the session says as it ends (`how`: "quit" or "done"): where it stopped and the command that
    resumes there, or what is left uncoded; and whether anything is left to do."""
    coded, total = session.progress()
    summary = (
        f"Coded {coded} of {total} segments for {session.coder} ({session.saved_count} saved this session)."
    )
    resume = ["wei-qual", "code", "--coder", session.coder]
    for t in transcript or []:
        resume += ["--transcript", t]
    if include_interviewer:
        resume.append("--include-interviewer")
    if order != Order.transcript:  # in transcript order it would start at another segment
        resume += ["--order", order.value]
    for c in code or []:
        resume += ["--code", c]
    if how == "quit" and session.current is not None:
        item = session.current
        if recode or code:  # without it, a walk of coded segments would find "nothing left to code";
            # without --from, it would start again at the first segment
            resume += ["--recode", "--from", f"{item.transcript}:{item.segment.n}"]
        elif not session.resumes_here():  # it started at a segment skipped or passed over (g, /) before
            resume += ["--from", f"{item.transcript}:{item.segment.n}"]
        # with --db when it was given (console.complete_commands): it must run as printed
        return (
            f"Stopped at {item.transcript} segment {item.segment.n}. {summary} "
            f'Resume with "{shlex.join(resume)}".'
        ), True
    if coded < total and not (recode or code):
        # Skipped with s, or passed over by g or a search (the walk ends at its last segment): said, with
        # the command that walks them, so "Session done" is not read as every segment coded.
        left = total - coded
        return (
            f"Session done. {summary} {left} {'segment remains' if left == 1 else 'segments remain'} "
            f"uncoded (skipped, or passed over by g or /): code {'it' if left == 1 else 'them'} with "
            f'"{shlex.join(resume)}".'
        ), True
    return f"Session done. {summary}", False


def __getattr__(name: str):
    """The screens and loop (render_screen, run_session, HIGHLIGHT ...) are loaded on first use."""
    if name.startswith("__"):  # __path__, __wrapped__ ...: probed by import machinery and tools
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import code_screen

    try:
        return getattr(code_screen, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("code", rich_help_panel="Coding")(code_cli)
