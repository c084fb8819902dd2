"""Commands: suggest (and suggest evaluate), suggestions list. Thin shells over wei_qual.suggest."""

import contextlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..console import console, echo_data, err_console, full_width, info, user_errors
from ..defaults import DEFAULT_MIN_SCORE, EVALUATE_MIN_SCORE
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, ListFormat, WideOption

if TYPE_CHECKING:
    from .. import suggest as core
    from .tables import FitTable

PANEL = "Coding"

suggest_app = typer.Typer()  # help: suggest_cli's docstring
suggestions_app = typer.Typer(help="Look at stored suggestions.", no_args_is_help=True)

TranscriptOption = Annotated[
    list[str] | None,
    typer.Option("--transcript", "-t", help="Only this transcript id (repeat for several). Default: all."),
]


@suggest_app.callback(invoke_without_command=True)
def suggest_cli(
    ctx: typer.Context,
    transcript: TranscriptOption = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="An installed trained spaCy pipeline (package name). Default: built-in rules."
        ),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option("--min-score", min=0.0, max=1.0, help="Store only suggestions scoring at least this."),
    ] = DEFAULT_MIN_SCORE,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Suggest codes for every participant segment, from the active codebook's keywords and patterns.

    Replaces earlier suggestions of the same codebook version and engine. See them with
    "wei-qual suggestions list"; measure them with "wei-qual suggest evaluate --coder NAME".

        \b
        wei-qual suggest --transcript p01 --transcript p02
    """
    if ctx.invoked_subcommand is not None:
        return
    from .. import suggest as core

    with user_errors(), _progress_bar() as on_progress:
        result = core.run_suggest(
            open_db(db_path),
            transcripts=transcript,
            model=model,
            min_score=min_score,
            on_progress=on_progress,
        )
    console.print(
        f"Stored {result.suggestions} suggestions for {result.segments} participant segments "
        f"({result.words} words, {result.codes} codes with rules, engine {escape(result.engine)}, "
        f"codebook version {result.codebook_id})."
    )
    if result.stale:
        err_console.print(f"Marked {result.stale} suggestions of other codebook versions as stale.")


@contextlib.contextmanager
def _progress_bar() -> "Iterator[core.ProgressCallback | None]":
    """A transient progress bar on stderr, only on a terminal (it would leave blank lines in a pipe)."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("Suggesting"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True
    ) as progress:
        task = progress.add_task("suggest", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


@suggest_app.command("evaluate")
def evaluate_cli(
    coder: Annotated[str, typer.Option("--coder", help="Compare with this coder's decisions.")],
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Count suggestions scoring at least this.")
    ] = EVALUATE_MIN_SCORE,
    engine: Annotated[
        str | None, typer.Option("--engine", help="Suggestions of this engine. Default: the last one run.")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Measure suggestions against one coder: precision, recall and F1 per code, micro and macro.

    Also reports how often codes suggested on screen in the coding session were accepted.

        \b
        wei-qual suggest evaluate --coder alice --min-score 0.5 --format json
    """
    from .. import suggest as core

    with user_errors():
        result = core.evaluate_suggestions(open_db(db_path), coder=coder, min_score=min_score, engine=engine)
    if fmt == ListFormat.json:
        echo_data(json.dumps(result.to_json(), indent=2))
        return
    console.print(
        f"Suggestions ({escape(result.engine)}, score >= {result.min_score:g}) against {escape(coder)} "
        f"on {result.segments} decided segments:"
    )
    with full_width(wide):
        console.print(render_evaluation(result))
    console.print(_acceptance_line(result.acceptance))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_evaluation(result: "core.Evaluation") -> "FitTable":
    from .tables import Column, FitTable

    table = FitTable(
        Column("code", kind="id"),
        *(Column(name, kind="number", priority=1) for name in ("tp", "fp", "fn")),
        *(Column(name, kind="number") for name in ("precision", "recall", "F1")),
        hint="--wide or --format json",
    )
    for s in result.codes:
        table.add_row(s.code, str(s.tp), str(s.fp), str(s.fn), _fmt(s.precision), _fmt(s.recall), _fmt(s.f1))
    m = result.micro
    table.add_section()
    table.add_row("micro", str(m.tp), str(m.fp), str(m.fn), _fmt(m.precision), _fmt(m.recall), _fmt(m.f1))
    table.add_row("macro", "", "", "", *(_fmt(result.macro[k]) for k in ("precision", "recall", "f1")))
    return table


def _acceptance_line(acc: dict) -> str:
    if not acc["shown"]:
        return "No suggestions were shown in this coder's coding sessions."
    return (
        f"Accepted {acc['accepted']} of {acc['shown']} codes suggested on screen "
        f"({acc['rate']:.0%}, {acc['decisions']} decisions)."
    )


def list_cli(
    transcript: TranscriptOption = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="Suggestions of this engine. Default: the last one run.")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", min=0.0, max=1.0, help="Only suggestions scoring at least this."),
    ] = None,
    include_stale: Annotated[
        bool, typer.Option("--include-stale", help="Also list suggestions made for other codebook versions.")
    ] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List stored suggestions with their score and evidence (current codebook version by default).

    \b
    wei-qual suggestions list --transcript p01 --format json
    """
    from .. import suggest as core

    with user_errors():
        items = core.list_suggestions(
            open_db(db_path),
            transcripts=transcript,
            engine=engine,
            include_stale=include_stale,
            min_score=min_score,
        )
    if fmt == ListFormat.json:
        data = []
        for s, stale in items:
            item = {
                "transcript": s.transcript,
                "segment": s.segment,
                "code": s.code,
                "score": s.score,
                "evidence": [core.evidence_to_dict(e) for e in s.evidence],
            }
            if include_stale:
                item["stale"] = stale
            data.append(item)
        echo_data(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not items:
        info('No suggestions. Compute them with "wei-qual suggest".')
        return
    with full_width(wide):
        console.print(render_suggestions(items, include_stale=include_stale))


def render_suggestions(items: list[tuple], *, include_stale: bool = False) -> "FitTable":
    from .tables import Column, FitTable

    columns = [
        Column("transcript", kind="id"),
        Column("segment", kind="number"),
        Column("code", kind="id"),
        Column("score", kind="number"),
        Column("evidence", kind="long", priority=2),
    ]
    if include_stale:
        columns.append(Column("stale", priority=1, min_width=5))
    table = FitTable(*columns, hint="--wide or --format json")
    for s, stale in items:
        evidence = "; ".join(
            f'{"negated " if e.negated else ""}"{e.text}" ({e.source}, {e.start}-{e.end})' for e in s.evidence
        )
        row = [s.transcript, str(s.segment), s.code, f"{s.score:.2f}", evidence]
        table.add_row(*row, *(["yes" if stale else ""] if include_stale else []))
    return table


suggestions_app.command("list")(list_cli)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(suggest_app, name="suggest", rich_help_panel=PANEL)
    app.add_typer(suggestions_app, name="suggestions", rich_help_panel=PANEL)
