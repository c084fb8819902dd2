"""Command: coders, who is coding and how far each coder got."""

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ..console import console, echo_data, info, user_errors
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, Kind, ListFormat

if TYPE_CHECKING:
    from rich.table import Table


def _percent(coded: int, total: int) -> str:
    return f"{100 * coded / total:.0f}%" if total else "-"


def render_progress(rows: list[dict], *, by_transcript: bool) -> "Table":
    """Coders (x transcripts) with coded / total participant segments. Pure."""
    from rich.table import Table

    table = Table()
    table.add_column("coder")
    if by_transcript:
        table.add_column("transcript")
        table.add_column("assigned")
    for name in ("coded", "total", "done", "nothing applies"):
        table.add_column(name, justify="right")
    with_assignment = not by_transcript and any(r["assigned_transcripts"] for r in rows)
    if with_assignment:
        for name in ("assigned transcripts", "assigned coded", "assigned done"):
            table.add_column(name, justify="right")
    table.add_column("last decision (UTC)")
    for r in rows:
        cells = [Text(r["coder"])] + (
            [Text(r["transcript"]), "yes" if r["assigned"] else ""] if by_transcript else []
        )
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
        cells.append(Text(last[:16].replace("T", " ") if last else "-"))  # minutes are enough on screen
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
        console.print(render_progress(rows, by_transcript=by_transcript))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("coders", rich_help_panel="Coding")(coders_cli)
