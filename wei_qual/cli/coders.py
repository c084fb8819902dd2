"""Command: coders, who is coding and how far each coder got."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import console, echo_data, full_width, info, user_errors
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, Kind, ListFormat, WideOption

if TYPE_CHECKING:
    from .tables import FitTable


def _percent(coded: int, total: int) -> str:
    return f"{100 * coded / total:.0f}%" if total else "-"


def render_progress(rows: list[dict], *, by_transcript: bool) -> "FitTable":
    """Coders (x transcripts) with coded / total participant segments. Pure."""
    from .tables import Column, FitTable

    columns = [Column("coder", kind="id")]
    if by_transcript:
        columns += [Column("transcript", kind="id"), Column("assigned", priority=2, min_width=8)]
    columns += [
        Column("coded", kind="number"),
        Column("total", kind="number"),
        Column("done", kind="number"),
        Column("nothing applies", kind="number", priority=3),
    ]
    with_assignment = not by_transcript and any(r["assigned_transcripts"] for r in rows)
    if with_assignment:
        columns += [
            Column("assigned transcripts", kind="number", priority=4),
            Column("assigned coded", kind="number"),
            Column("assigned done", kind="number"),
        ]
    columns.append(Column("last decision (UTC)", kind="number", priority=5))
    table = FitTable(*columns, hint="--wide or --format json")
    for r in rows:
        cells = [r["coder"]] + ([r["transcript"], "yes" if r["assigned"] else ""] if by_transcript else [])
        cells += [
            str(r["coded"]),
            str(r["total"]),
            _percent(r["coded"], r["total"]),
            str(r["nothing_applies"]),
        ]
        if with_assignment:
            cells += [
                str(r["assigned_transcripts"]),
                f"{r['assigned_coded']} of {r['assigned_total']}",
                _percent(r["assigned_coded"], r["assigned_total"]),
            ]
        last = r["last_decided_utc"]
        cells.append(last[:16].replace("T", " ") if last else "-")  # minutes are enough on screen
        table.add_row(*cells)
    return table


def coders_cli(
    by_transcript: Annotated[
        bool, typer.Option("--by-transcript", help="One row per coder and transcript.")
    ] = False,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="Segments counted: interview (participant turns, the default), document, or all.",
        ),
    ] = Kind.interview,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table or json.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List coders with their progress: participant segments (or, with --kind, document segments) coded
    out of all, and of their assignment.

    \b
    wei-qual coders --by-transcript
    """
    from ..store.decisions import iter_coder_progress

    with user_errors():
        rows = iter_coder_progress(
            open_db(db_path, create=False), by_transcript=by_transcript, kind=kind.value
        )
    if fmt == ListFormat.json:
        echo_data(json.dumps(rows, indent=2))
    elif not rows:
        info('No coders yet. Start with "wei-qual code --coder NAME" or "wei-qual decisions import FILE".')
    else:
        with full_width(wide):
            console.print(render_progress(rows, by_transcript=by_transcript))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("coders", rich_help_panel="Coding")(coders_cli)
