"""Commands: deid scan, deid redact, deid allow add/list/remove: keep transcripts de-identified."""

import json
import shlex
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import console, echo_data, err_console, info, user_errors, warn
from ..console import plural as _plural
from ..errors import CheckFailed
from ..store import open_db
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, ListFormat, actor_or

PANEL = "Privacy"

deid_app = typer.Typer(help="Find and remove residual identifiers in transcripts.", no_args_is_help=True)
allow_app = typer.Typer(
    help="The project's allowlist of phrases that are not identifiers.", no_args_is_help=True
)
deid_app.add_typer(allow_app, name="allow")


class ScanFormat(str, Enum):
    text = "text"
    json = "json"


AllowOption = Annotated[
    Path | None,
    typer.Option("--allow", dir_okay=False, help="File of phrases to keep, one a line (# comments)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Installed spaCy pipeline whose PERSON entities are added to the rules."),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of text files that are not UTF-8 (or UTF-16 with BOM), e.g. cp1252, as for ingest.",
    ),
]


def _allow_phrases(allow_file: Path | None, db_path: Path, *, project: bool) -> list[str]:
    """Phrases from --allow plus the project setting (when the project exists or --project is given)."""
    from ..deid import load_allow_file, project_allowlist

    phrases = load_allow_file(allow_file) if allow_file else []
    if project or db_path.exists():
        db = open_db(db_path, create=False)
        phrases += project_allowlist(db)
        db.close()
    return phrases


def scan_cli(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Transcript files or folders to scan.", show_default=False)
    ] = None,
    project: Annotated[
        bool, typer.Option("--project", help="Scan the transcripts stored in the project.")
    ] = False,
    allow_file: AllowOption = None,
    model: ModelOption = None,
    encoding: EncodingOption = None,
    fmt: Annotated[
        ScanFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: FILE:LINE:COLUMN category text (FILE:PAGE:LINE:COLUMN for a PDF); json.",
        ),
    ] = ScanFormat.text,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Scan transcripts for likely identifiers; exit 3 when any is found.

    Prints FILE:LINE:COLUMN category text (transcript id instead of FILE with --project; column 0
    marks a speaker label, stored apart from the text, of the segment starting on that line). In a PDF
    the place is PAGE:LINE:COLUMN, the line counted on its page; in a .docx or .rtf, FILE:paragraph N or
    FILE:table R, row N; a name in the file's name, FILE:file name. The study's own
    ids (the transcript id, the file name, labels like P07) are never reported. A folder is read as ingest reads it: hidden and README files, and its documents
    subfolder, are left out. A first name that is a word too, its reading left open ("Grace was there"),
    is marked "(to review)" (JSON "review": true): shown, but no exit 3 and no stop of ingest.
    The text is shown only to you: do not paste this output into shared places.

        \b
        wei-qual deid scan interviews/ --allow keep.txt
        wei-qual deid scan old-exports/ --encoding cp1252
        wei-qual deid scan --project --db study.db --format json
    """
    from ..deid import load_nlp
    from ..deid.commands import redact_command, redacted_path
    from ..deid.files import scan_paths, scan_project
    from ..ingest import skipped_document_folders
    from ..ingest.decode import check_encoding
    from ..store.transcripts import get_transcript_row

    with user_errors():
        if not paths and not project:
            raise typer.BadParameter(
                "Give transcript files to scan, or --project to scan the stored transcripts."
            )
        if paths and project:
            raise typer.BadParameter("Give either transcript files or --project, not both.")
        if project and encoding:
            raise typer.BadParameter("--encoding reads files; the stored transcripts are already text.")
        check_encoding(encoding)
        allow = _allow_phrases(allow_file, db_path, project=project)
        nlp = load_nlp(model) if model else None
        if project:
            db = open_db(db_path, create=False)
            results = scan_project(db, allow=allow, nlp=nlp)
        else:
            results = scan_paths(paths or [], allow=allow, nlp=nlp, encoding=encoding)
            for folder in skipped_document_folders(paths or []):
                info(
                    f'{folder}: left out (documents), as ingest does; scan it with "wei-qual deid scan {folder}".'
                )
    rows = []
    for r in results:
        for i, f in enumerate(r.findings):
            row = {
                "file": r.source,
                "line": f.line,
                "column": f.column,
                "category": f.category,
                "text": f.text,
            }
            if f.review:  # a word-name whose reading is open ("Grace was there"): shown, stops nothing
                row["review"] = True
            if project:  # stored transcripts: which segment, and in its text or its speaker label
                row |= {"segment": r.segments[i], "field": r.fields[i]}
            if r.locations and r.locations[i]:  # a .docx or .rtf: where Word users can find it
                row["location"] = r.locations[i]
            if r.pages and r.pages[i] is not None:  # a PDF: the line is on this page
                row = {"file": r.source, "page": r.pages[i], **{k: v for k, v in row.items() if k != "file"}}
            rows.append(row)
    if fmt is ScanFormat.json:
        echo_data(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            if "location" in row:
                where = row["location"]
            else:
                line = f"{row['page']}:{row['line']}" if "page" in row else str(row["line"])
                where = f"{line}:{row['column']}"
            review = " (to review)" if row.get("review") else ""
            console.print(
                f"{row['file']}:{where} {row['category']}{review} {row['text']}",
                markup=False,
                soft_wrap=True,
            )
    reviews = sum(1 for row in rows if row.get("review"))
    to_review = (
        f'; {_plural(reviews, "name")} to review, marked "to review" (they stop no ingest)' if reviews else ""
    )
    flagged = [r.source for r in results if any(not f.review for f in r.findings)]
    rows = [row for row in rows if not row.get("review")]
    if rows:
        if project:  # stored text is not redacted in place: its source file is, then ingested again
            source = get_transcript_row(db, flagged[0])["source"]
            redact = (
                f'redact the source file with "{redact_command(source)}", then replace the stored transcript '
                f'with "wei-qual ingest {shlex.quote(redacted_path(source))} --replace"'
            )
        else:
            redact = f'redact with "{redact_command(flagged[0], encoding)}"'
        if len(flagged) > 1:
            redact += " (and likewise for each file named above)"
        if any(row.get("location") in ("file name", "transcript id") for row in rows):
            # Redaction keeps the name, which ingest takes as the transcript id.
            redact += "; rename a file whose name is flagged (its name is stored with the transcript)"
        with user_errors():
            raise CheckFailed(
                f"{_plural(len(rows), 'likely identifier')} in {len(flagged)} of {_plural(len(results), 'transcript')}{to_review}. "
                f'Keep false alarms with --allow or "wei-qual deid allow add PHRASE", and {redact}.'
            )
    err_console.print(
        f"No likely identifiers in {_plural(len(results), 'transcript')}{to_review}.",
        markup=False,
        soft_wrap=True,
    )


def redact_cli(
    file: Annotated[
        Path, typer.Argument(help="Transcript file to redact.", dir_okay=False, show_default=False)
    ],
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            "--out",
            help="Where to write the redacted copy.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    key: Annotated[
        Path | None,
        typer.Option(
            "--key", dir_okay=False, help="Write placeholder -> original here (.json or .csv). Sensitive!"
        ),
    ] = None,
    allow_file: AllowOption = None,
    model: ModelOption = None,
    encoding: EncodingOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write a copy of a transcript with each identifier replaced by a consistent placeholder.

    The same name becomes [PERSON-1] everywhere. The input file is never changed. A missing folder of
    the copy or the key is created, readable by you only.

        \b
        wei-qual deid redact P07.txt -o redacted/P07.txt --key ~/secure/P07-key.json
        wei-qual deid redact P08.txt -o redacted/P08.txt --encoding cp1252
    """
    from ..deid import load_nlp
    from ..deid.redact import redact_file
    from ..ingest.decode import check_encoding

    with user_errors():
        check_encoding(encoding)
        allow = _allow_phrases(allow_file, db_path, project=False)
        nlp = load_nlp(model) if model else None
        result = redact_file(file, out, key_path=key, allow=allow, nlp=nlp, encoding=encoding)
    for folder in result.created:
        info(f'Created the folder "{folder}" (readable by you only).')
    err_console.print(
        f"Replaced {_plural(len(result.findings), 'identifier')} with {_plural(result.placeholders, 'placeholder')} in {escape(str(out))}.",
        soft_wrap=True,
    )
    if key is not None:
        warn(
            f'"{key}" maps placeholders back to real identifiers. It is sensitive: store it apart from the '
            "transcripts, readable only by you, and never share it with them."
        )


def allow_add_cli(
    phrases: Annotated[list[str], typer.Argument(help="Words or phrases to keep.", show_default=False)],
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Add phrases that look like identifiers but are not to the project allowlist.

    \b
    wei-qual deid allow add "Crisis Stabilization Unit" "Officer Friendly"
    """
    from ..deid import add_to_project_allowlist
    from ..deid.allowlist import normalise

    with user_errors():
        added = add_to_project_allowlist(open_db(db_path), phrases, actor=actor_or(actor, "deid allow"))
    # The project is named: run without $WEI_QUAL_DB in a new terminal, this is where a second project
    # starts unseen (getting-started.md), and "Added 0" for a phrase already there read as a failure.
    already = len({normalise(p).casefold() for p in phrases}) - len(added)
    err_console.print(
        f'Added {_plural(len(added), "phrase")} to the allowlist of "{db_path}"'
        + (f" ({already:,} {'was' if already == 1 else 'were'} on it already)." if already else "."),
        markup=False,
        soft_wrap=True,
    )


def allow_list_cli(
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table (one phrase a line) or json (a list).")
    ] = ListFormat.table,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Print the project allowlist, one phrase a line.

    \b
    wei-qual deid allow list --db study.db
    wei-qual deid allow list --format json
    """
    from ..deid import project_allowlist

    with user_errors():
        phrases = project_allowlist(open_db(db_path, create=False))
    if fmt == ListFormat.json:
        echo_data(json.dumps(phrases, ensure_ascii=False, indent=2))
        return
    for phrase in phrases:
        console.print(phrase, markup=False, soft_wrap=True)


def allow_remove_cli(
    phrases: Annotated[list[str], typer.Argument(help="Phrases to remove.", show_default=False)],
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Remove phrases from the project allowlist.

    \b
    wei-qual deid allow remove "Officer Friendly"
    """
    from ..deid import remove_from_project_allowlist

    with user_errors():
        removed = remove_from_project_allowlist(
            open_db(db_path, create=False), phrases, actor=actor_or(actor, "deid allow")
        )
    err_console.print(
        f'Removed {_plural(len(removed), "phrase")} from the allowlist of "{db_path}".',
        markup=False,
        soft_wrap=True,
    )


deid_app.command("scan")(scan_cli)
deid_app.command("redact")(redact_cli)
allow_app.command("add")(allow_add_cli)
allow_app.command("list")(allow_list_cli)
allow_app.command("remove")(allow_remove_cli)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(deid_app, name="deid", rich_help_panel=PANEL)
