"""Commands: transcripts list / show, what is in the project."""

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..console import console, echo_data, err_console, user_errors
from ..errors import StoreError
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, ListFormat

if TYPE_CHECKING:
    from rich.table import Table

transcripts_app = typer.Typer(
    help="List the project's transcripts and show their numbered segments.", no_args_is_help=True
)

FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def _attrs(attributes: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in attributes.items())


def _time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def render_transcript_list(rows: list[dict]) -> "Table":
    """The `transcripts list` table (every user-derived string escaped)."""
    from rich.table import Table

    table = Table(title=f"{len(rows)} transcript{'s' if len(rows) != 1 else ''}", title_justify="left")
    for name, justify in (
        ("id", "left"),
        ("format", "left"),
        ("segments", "right"),
        ("participant", "right"),
        ("words", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)
    table.add_column("attributes", overflow="fold", ratio=1)
    for r in rows:
        table.add_row(
            escape(r["id"]),
            r["format"],
            str(r["segments"]),
            str(r["participant_segments"]),
            f"{r['words']:,}",
            escape(_attrs(r["attributes"])),
        )
    return table


def render_transcript(detail: dict) -> "Table":
    """The `transcripts show` table: one row per numbered segment."""
    from rich.table import Table

    title = escape(detail["id"]) + (
        f"  ({escape(_attrs(detail['attributes']))})" if detail["attributes"] else ""
    )
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("speaker")
    table.add_column("role")
    table.add_column("time")
    table.add_column("text", ratio=1)
    for s in detail["segments"]:
        table.add_row(
            str(s["n"]), escape(s["speaker"] or ""), s["role"], _time(s["start_time"]), escape(s["text"])
        )
    return table


@transcripts_app.command("list")
def list_cli(format: FormatOption = ListFormat.table, db_path: DbOption = DEFAULT_DB_PATH) -> None:
    """List the transcripts in the project with segment and word counts and attributes.

    \b
    wei-qual transcripts list --format json --db study.db
    """
    from ..store.transcripts import iter_transcript_summaries

    with user_errors():
        rows = iter_transcript_summaries(open_db(db_path, create=False))
    if format == ListFormat.json:
        echo_data(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        err_console.print('No transcripts yet. Add some with "wei-qual ingest PATH".', markup=False)
    else:
        console.print(render_transcript_list(rows))


@transcripts_app.command("show")
def show_cli(
    transcript_id: Annotated[
        str, typer.Argument(metavar="ID", help="Transcript id (see transcripts list).", show_default=False)
    ],
    format: FormatOption = ListFormat.table,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show one transcript's numbered segments: speaker, role, time and text.

    \b
    wei-qual transcripts show p01 --db study.db
    """
    from ..store.transcripts import get_transcript_detail

    with user_errors():
        detail = get_transcript_detail(open_db(db_path, create=False), transcript_id)
        if detail is None:
            raise StoreError(
                f'Transcript "{transcript_id}" is not in the project. List them with "wei-qual transcripts list".'
            )
    if format == ListFormat.json:
        echo_data(json.dumps(detail, ensure_ascii=False, indent=2))
    else:
        console.print(render_transcript(detail))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(transcripts_app, name="transcripts", rich_help_panel="Data")
