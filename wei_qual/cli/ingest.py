"""Command: ingest transcript files and folders into the project."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import err_console, info, user_errors, warn
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption

# Shown in --help without importing the ingest package at startup; a test checks it matches
# wei_qual.ingest.DEFAULT_INTERVIEWER_LABELS.
DEFAULT_LABELS_TEXT = "Interviewer,I,Q,Int,Moderator,Facilitator"


def ingest_cli(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Transcript files (.txt .md .docx .vtt .srt) or folders, searched recursively.",
            metavar="PATH",
            show_default=False,
        ),
    ],
    attributes: Annotated[
        Path | None,
        typer.Option(
            "--attributes",
            dir_okay=False,
            help="CSV with an id column plus participant attributes (role, jurisdiction, setting...).",
        ),
    ] = None,
    interviewer_labels: Annotated[
        str | None,
        typer.Option(
            "--interviewer-labels",
            show_default=False,
            help="Comma-separated speaker labels of interviewer turns (case-insensitive); every other "
            f"speaker is a participant. Default: {DEFAULT_LABELS_TEXT}.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Encoding of text files that are not UTF-8 (or UTF-16 with BOM), e.g. cp1252."
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace a changed transcript even when it has coding decisions "
            "(the dropped decisions are kept in the audit log).",
        ),
    ] = False,
    allow_pii: Annotated[
        bool,
        typer.Option(
            "--allow-pii",
            help="Ingest even when the PII scan finds likely identifiers (recorded in the audit log).",
        ),
    ] = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Ingest transcripts into the project, split into speaker turns (one transaction per file).

    \b
    wei-qual ingest transcripts/ --attributes transcripts/participants.csv --db study.db
    """
    from ..ingest import DEFAULT_INTERVIEWER_LABELS, FAILED, REPLACED, UNCHANGED, expand_paths, ingest_files

    labels = (
        [label.strip() for label in interviewer_labels.split(",") if label.strip()]
        if interviewer_labels is not None
        else DEFAULT_INTERVIEWER_LABELS
    )
    with user_errors():
        db = open_db(db_path)
        total = len(expand_paths(paths)[0])
        if total > 1 and err_console.is_terminal:
            from rich.progress import Progress

            with Progress(console=err_console, transient=True) as progress:
                task = progress.add_task("Ingesting", total=total)
                result = _ingest(
                    ingest_files,
                    db,
                    paths,
                    attributes,
                    encoding,
                    labels,
                    replace,
                    allow_pii,
                    lambda n: progress.advance(task, n),
                )
        else:
            result = _ingest(ingest_files, db, paths, attributes, encoding, labels, replace, allow_pii, None)

    for outcome in result.outcomes:
        if outcome.status == FAILED:
            err_console.print(f"Error: {escape(outcome.message)}", soft_wrap=True)
        elif outcome.status == UNCHANGED:
            info(f"{outcome.path}: unchanged, {outcome.message}.")
        elif outcome.status == REPLACED:
            info(f"{outcome.path}: {outcome.message}.")
    for message in result.warnings:
        warn(message)
    counts = ", ".join(
        f"{result.count(s)} {s}" for s in ("added", REPLACED, UNCHANGED, FAILED) if result.count(s)
    )
    info(
        f"Ingested {result.transcripts} transcript{'s' if result.transcripts != 1 else ''} "
        f"({result.segments:,} segment{'s' if result.segments != 1 else ''}, "
        f"{result.words:,} word{'s' if result.words != 1 else ''}) into {db_path}: {counts or 'no files'}."
    )
    if result.attributes_set:
        info(
            f"Set attributes of {result.attributes_set} transcript{'s' if result.attributes_set != 1 else ''} "
            f"from {attributes}."
        )
    if result.failed:
        raise typer.Exit(1)


def _ingest(ingest_files, db, paths, attributes, encoding, labels, replace, allow_pii, on_progress):
    return ingest_files(
        db,
        paths,
        attributes_csv=attributes,
        encoding=encoding,
        interviewer_labels=labels,
        replace=replace,
        allow_pii=allow_pii,
        on_progress=on_progress,
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("ingest", rich_help_panel="Data")(ingest_cli)
