"""Commands: retrieve, search and memos, reading the project's data while writing."""

import json
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import (
    UNBOUNDED_WIDTH,
    console,
    echo_data,
    err_console,
    full_width,
    info,
    plural,
    user_errors,
    warn,
)
from .options import (
    DEFAULT_DB_PATH,
    CodersOption,
    DbOption,
    ExcludeCodersOption,
    Kind,
    OutputOption,
    PagerOption,
    WhereOption,
    WideOption,
    checked_where,
    parse_where_option,
    resolve_coder_options,
    resolve_source,
)


class RetrieveFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"


class ListFormat(str, Enum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


TABLE_LIMIT = 200  # a terminal table of tens of thousands of rows helps nobody and takes minutes to draw
_SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
ListFormatOption = Annotated[
    ListFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table (default), md, csv, json or xlsx (a spreadsheet, with -o) (default: from the -o suffix).",
    ),
]
TranscriptOption = Annotated[
    list[str] | None, typer.Option("--transcript", "-t", help="Only this transcript id (repeatable).")
]


def _format(fmt: Enum | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    """--format, else the -o suffix, else table; raises ReportError for table into a file."""
    from ..errors import ReportError

    if fmt is not None:
        value = fmt.value
    elif output is not None:
        value = _SUFFIXES.get(output.suffix.lower(), "")
        if value and value not in allowed:  # a Word file asked of search or memos: say what they write
            raise ReportError(
                f'"{output}" asks for {value}, which this command does not write. Pass --format '
                f"{'|'.join(a for a in allowed if a != 'table')} (a .csv opens in a spreadsheet)."
            )
        if value not in allowed:
            raise ReportError(
                f'Cannot tell the format of "{output}" from its suffix. Pass --format '
                f"{'|'.join(a for a in allowed if a != 'table')}."
            )
    else:
        value = "table"
    if value == "table" and output is not None:
        raise ReportError(
            f'--format table prints to the terminal and cannot be written to "{output}". Drop -o.'
        )
    if value in ("docx", "xlsx") and output is None:
        what = "a Word file" if value == "docx" else "a spreadsheet"
        raise ReportError(f"--format {value} writes {what}, not text: pass -o FILE.{value}.")
    return value


def _emit(text: str, output: Path | None, what: str) -> None:
    if output is None:
        echo_data(text, nl=not text.endswith("\n"))
        return
    from ..safeio import write_text_atomic

    write_text_atomic(output, text)
    err_console.print(f"Wrote {escape(what)} to {escape(str(output))}", soft_wrap=True)


def _emit_xlsx(write: Callable[[Path], list[str]], output: Path, what: str) -> None:
    """Write a spreadsheet with `write(output)` (atomic, 0600: report.writers.write_xlsx), saying what was
    cut to fit Excel's cells."""
    for message in write(output):  # a turn longer than Excel's cell holds
        warn(f"{output}: {message}.")  # as the reports say it
    err_console.print(f"Wrote {escape(what)} to {escape(str(output))}", soft_wrap=True)


def retrieve_cli(
    codes: Annotated[
        list[str], typer.Argument(metavar="CODE...", help="Codes or themes (a theme: any code under it).")
    ],
    any_code: Annotated[
        bool, typer.Option("--any", help="Segments with any of the codes (default: all of them).")
    ] = False,
    not_codes: Annotated[
        list[str] | None,
        typer.Option("--not", metavar="CODE", help="Leave out segments that have this code (repeatable)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="SOURCE",
            help="Whose codes count: consensus (the default when it has decisions; else union), a CODER's name, "
            "majority or union.",
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="ATTR", help="Group by this participant attribute.")
    ] = None,
    where: WhereOption = None,
    transcript: TranscriptOption = None,
    context: Annotated[
        int, typer.Option("--context", min=0, help="Turns of context shown before and after each segment.")
    ] = 1,
    kind: Annotated[
        Kind,
        typer.Option("--kind", help="Segments of interviews, of documents, or all (the default)."),
    ] = Kind.all,
    coders: CodersOption = None,
    exclude_coders: ExcludeCodersOption = None,
    fmt: Annotated[
        RetrieveFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table (default), md, csv, json, html, docx or xlsx (a Word file or a spreadsheet, with -o) "
            "(default: from the -o suffix).",
        ),
    ] = None,
    output: OutputOption = None,
    pager: PagerOption = True,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List every segment a code was applied to, in context, with who applied it and its excerpt marked.

    \b
    wei-qual retrieve csu-excluded-intoxication --by role --format md -o csu-excluded-intoxication.md
    wei-qual retrieve csu jail-fallback --any --not ed-holding --context 2
    wei-qual retrieve csu-capacity --where setting=rural --where role=officer
    wei-qual retrieve csu-capacity --where role=officer,provider --where setting!=urban
    """
    from ..report.writers import csv_long_cells
    from ..retrieve import check_codes, retrieve
    from ..store import open_db

    with user_errors():
        value = _format(fmt, output, tuple(RetrieveFormat.__members__))
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        check_codes(db, codes, not_codes or [])
        wanted = checked_where(db, wanted)
        notes: list[str] = []
        chosen, left_out = resolve_coder_options(db, coders, exclude_coders, notes)
        resolved = resolve_source(db, source, notes)
        result = retrieve(
            db,
            codes,
            any_code=any_code,
            not_codes=not_codes,
            source=resolved,
            coders=chosen,
            exclude_coders=left_out,
            by=by,
            transcripts=transcript,
            context=context,
            kind=kind.value,
            where=wanted,
        )
        for message in result.warnings:
            warn(message)
        result.warnings = notes + result.warnings
        if value == "table":
            from .desk_render import render_retrieval
            from .pager import paged

            # Unbounded (piped) there is nothing to wrap at: Rich's wrapping of every turn took a third of
            # retrieve's CPU for a code on 2,515 segments of the study, and cut a turn over 10,000 characters.
            with paged(pager):
                console.print(render_retrieval(result), soft_wrap=console.size.width >= UNBOUNDED_WIDTH)
        elif value == "docx":
            from ..safeio import write_bytes_atomic

            write_bytes_atomic(output, result.docx())
            err_console.print(
                f"Wrote {plural(len(result.hits), 'segment')} to {escape(str(output))}", soft_wrap=True
            )
        elif value == "xlsx":
            _emit_xlsx(result.xlsx, output, plural(len(result.hits), "segment"))
        else:
            text = {
                "md": result.markdown,
                "csv": result.csv,
                "html": result.html,
                "json": lambda: json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n",
            }[value]()
            _emit(text, output, plural(len(result.hits), "segment"))
            if value == "csv" and (long := csv_long_cells([[h.text] for h in result.hits])):
                warn(long)
    if result.source_note:
        info(result.source_note)


def search_cli(
    query: Annotated[
        str,
        typer.Argument(
            help='Words to find: "refuse" finds refused and refusing; several words are a phrase; '
            '* and ? are wildcards (refus*); =word matches that form only; | separates alternatives ("refuse | '
            'turn away" finds either, and each hit names the one it matched).'
        ),
    ],
    code: Annotated[
        list[str] | None,
        typer.Option(
            "--code",
            metavar="CODE",
            help="Only segments some coder (consensus included) applied this code to; repeated: any of them.",
        ),
    ] = None,
    not_codes: Annotated[
        list[str] | None,
        typer.Option(
            "--not", metavar="CODE", help="Only segments no coder applied this code to: what was missed."
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help="Only segments of this role: participant, interviewer, review (speaker unknown), other "
            "(someone who is neither, such as the radio) or document (policy documents).",
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="ATTR", help="Group by this participant attribute.")
    ] = None,
    where: WhereOption = None,
    transcript: TranscriptOption = None,
    width: Annotated[int, typer.Option("--width", min=1, help="Characters of context on each side.")] = 40,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="Hits shown in the table (default 200; 0 = all). Other formats hold every hit.",
        ),
    ] = None,
    fmt: ListFormatOption = None,
    output: OutputOption = None,
    wide: WideOption = False,
    pager: PagerOption = True,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Find words in every segment (keyword in context), with the codes already applied to each hit.

    Matching is by spaCy lemma; accents never matter (cafe finds café), nor case, but that a short
    word typed in capitals is the acronym (ER: not "er"). Alternatives are separated by |: there is no
    OR or NOT. The first search indexes the project (a few seconds on a study); later ones reuse it.

    \b
    wei-qual search "say no" --role participant --by role
    wei-qual search "won't take" --not csu-excluded-intoxication
    wei-qual search "refuse | turn away | won't take" --role participant
    wei-qual search "medical clearance" --where role=provider
    """
    from ..search import check_codes, indexing_message, search, unindexed
    from ..store import open_db

    with user_errors():
        value = _format(fmt, output, tuple(ListFormat.__members__))
        db = open_db(db_path, create=False)
        if output is not None:  # before the first search's indexing, which commits
            from ..safeio import check_target

            check_target(output)
        check_codes(db, code, not_codes)  # so is a mistyped code
        todo = unindexed(db)
        options = {
            "codes": code,
            "not_codes": not_codes,
            "role": role,
            "transcripts": transcript,
            "by": by,
            "width": width,
            "where": parse_where_option(where),
        }
        if todo:
            from rich.progress import Progress

            info(indexing_message(db, todo))
            with Progress(console=err_console, transient=True) as bar:
                task = bar.add_task("Indexing", total=todo)
                result = search(db, query, **options, on_progress=lambda k: bar.advance(task, k))
        else:
            result = search(db, query, **options)
        for message in result.warnings:
            warn(message)
        if value == "table":
            from .desk_render import render_search
            from .pager import paged

            shown = TABLE_LIMIT if limit is None else limit
            with paged(pager), full_width(wide):
                console.print(render_search(result, limit=shown or None))
            if shown and len(result.hits) > shown:
                info(
                    f"The table shows the first {shown:,} of {len(result.hits):,} hits: --limit 0 shows all, "
                    "or pass --format csv|md|json (every hit)."
                )
        elif value == "xlsx":
            _emit_xlsx(result.xlsx, output, plural(len(result.hits), "hit"))
        else:
            text = {
                "md": result.markdown,
                "csv": result.csv,
                "json": lambda: json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n",
            }[value]()
            _emit(text, output, f"{len(result.hits)} hit{'s' if len(result.hits) != 1 else ''}")
    info(f"{result.counted()} (matched as: {' '.join(result.words)}).")
    if result.alternatives:
        info(result.counted_each() + ".")


def memos_cli(
    coder: Annotated[
        list[str] | None, typer.Option("--coder", "-c", help="Only this coder's memos (repeatable).")
    ] = None,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            metavar="CODE",
            help="Memos on this code (a theme: its codes) and segment memos where their author applied it.",
        ),
    ] = None,
    transcript: Annotated[
        str | None, typer.Option("--transcript", "-t", help="The transcript's memo and its segments' memos.")
    ] = None,
    width: Annotated[
        int,
        typer.Option(
            "--width",
            min=0,
            help="Characters of a segment memo's passage shown in the table, after its speaker (0: none). "
            "md, csv and json hold the whole passage.",
        ),
    ] = 60,
    fmt: ListFormatOption = None,
    output: OutputOption = None,
    wide: WideOption = False,
    pager: PagerOption = True,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List the memos written on segments, transcripts and codes, with author and time.

    \b
    wei-qual memos --code csu-excluded-intoxication --format md -o memos.md
    """
    from ..coders import resolve_coders
    from ..console import warn
    from ..memos import list_memos, memos_csv, memos_markdown, memos_xlsx
    from ..store import open_db

    with user_errors():
        value = _format(fmt, output, tuple(ListFormat.__members__))
        db = open_db(db_path, create=False)
        coders, warnings = resolve_coders(db, coder, option="--coder")
        for message in warnings:
            warn(message)
        result = list_memos(db, coders=coders, code=code, transcript=transcript)
        for message in result.warnings:
            warn(message)
        result.warnings = warnings + result.warnings
        if value == "table":
            if not result.memos:
                info(
                    "No memos match. They are written in the coding session with m, mt and mc ID, and in reconcile "
                    "with m."
                )
                return
            from .desk_render import render_memos
            from .pager import paged

            with paged(pager), full_width(wide):
                console.print(render_memos(result.memos, width))
        elif value == "xlsx":
            _emit_xlsx(lambda path: memos_xlsx(result, path), output, plural(len(result.memos), "memo"))
        else:
            text = {
                "md": lambda: memos_markdown(result),
                "csv": lambda: memos_csv(result),
                "json": lambda: json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n",
            }[value]()
            _emit(text, output, plural(len(result.memos), "memo"))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("retrieve", rich_help_panel="Analysis")(retrieve_cli)
    app.command("search", rich_help_panel="Analysis")(search_cli)
    app.command("memos", rich_help_panel="Analysis")(memos_cli)
