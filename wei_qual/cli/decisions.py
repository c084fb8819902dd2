"""Commands: decisions import / decisions export, the spreadsheet route in and out (DESIGN §4)."""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import echo_data, err_console, info, user_errors, warn
from ..errors import DecisionError
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, checked_actor

decisions_app = typer.Typer(help="Import and export coding decisions (CSV or JSON).", no_args_is_help=True)


class ImportFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@decisions_app.command("import")
def import_cli(
    file: Annotated[
        Path,
        typer.Argument(dir_okay=False, help="Decisions CSV (transcript,segment,coder,codes,note) or JSON."),
    ],
    coder: Annotated[
        str | None,
        typer.Option(
            "--coder", "-c", help="Store every row under this coder (fills or overrides the column)."
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            metavar="CHAR",
            help="Column separator: comma, semicolon, tab or | (or the character; default: found from the "
            "header row).",
        ),
    ] = None,
    fmt: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="Summary as text on stderr, or json on stdout.")
    ] = ImportFormat.text,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            metavar="NAME",
            help="Who made these changes, for the audit log (default: each row's coder): a lead's corrections.",
            callback=checked_actor,
        ),
    ] = None,
    remove_missing: Annotated[
        bool,
        typer.Option(
            "--remove-missing",
            help="The file is its coders' whole coding of the transcripts it covers: remove their decisions "
            "there that it has no row for (rows deleted in the sheet); audited.",
        ),
    ] = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Import decisions from a CSV file; all or nothing, every problem listed by line.

    Forgiving, and says so: ;- and tab-separated files (European Excel) and a BOM are read, code and
    transcript ids in another case are matched, codes separated with "," are read when each is a code,
    and coder names are trimmed and matched to existing coders whatever their case. Each such reading
    is a warning (and a note in --format json). What cannot be read without losing something is refused
    by line: a quote never closed, a column named twice, a cell beyond the header, a row without its
    codes cell, a coder cell that is no name.

    A row keeps the codebook version it names (the JSON export's codebook_version and codebook_sha256);
    a row naming none gets the active version, and one naming a version the project lacks is refused.

    \b
    wei-qual decisions import alice.csv

    \b
    wei-qual decisions import sheet.csv --coder bob --delimiter semicolon
    """
    from ..decisions_io import import_decisions
    from ..safeio import require_file
    from ..spreadsheet import delimiter_of

    with user_errors():
        if not file.exists():
            raise DecisionError(f'File "{file}" does not exist. Check the path.')
        require_file(file, error=DecisionError)  # a named pipe would block the read
        try:
            sep = delimiter_of(delimiter) if delimiter is not None else None
        except ValueError:
            raise DecisionError(
                f'Unknown --delimiter "{delimiter}". Pass comma, semicolon, tab or "|".'
            ) from None
        db = open_db(db_path, create=False)
        result = import_decisions(
            db, file, coder=coder, delimiter=sep, actor=actor, remove_missing=remove_missing
        )
    for note in result.notes:
        warn(note)
    if fmt == ImportFormat.json:
        echo_data(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    info(
        f"Imported {file}: {result.changed} changed ({result.created} new, {result.updated} updated), "
        f"{result.unchanged} unchanged" + (f", {result.removed} removed." if remove_missing else ".")
    )


@decisions_app.command("export")
def export_cli(
    coder: Annotated[
        list[str] | None, typer.Option("--coder", "-c", help="Only this coder (repeatable).")
    ] = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv (the import format) or json.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", dir_okay=False, help="Write here instead of stdout.")
    ] = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Export decisions as CSV (re-importable) or JSON, to stdout or a file.

    \b
    wei-qual decisions export --coder alice -o alice.csv
    """
    from ..coders import resolve_coders
    from ..decisions_io import export_decisions, refused_message
    from ..safeio import write_text_atomic

    with user_errors():
        db = open_db(db_path, create=False)
        names, warnings = resolve_coders(db, coder, option="--coder")
        for message in warnings:
            warn(message)
        refused: list = []
        text, count = export_decisions(db, coders=names, fmt=fmt.value, refused=refused)
        if refused:  # said before the data, which may go to a pipe
            warn(refused_message(refused))
        if output is None:
            echo_data(text, nl=False)
            return
        write_text_atomic(output, text)
    err_console.print(
        escape(f"Wrote {count} decision{'s' if count != 1 else ''} to {output}."), soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(decisions_app, name="decisions", rich_help_panel="Coding")
