"""Commands: report themes, cooccurrence, quotes, matrix, html, saturation, methods."""

import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..console import (
    console,
    echo_data,
    err_console,
    full_width,
    plural,
    user_errors,
    warn,
    with_warnings_said,
)
from ..defaults import DEFAULT_PER_GROUP, MAX_BOOTSTRAP
from .options import (
    DEFAULT_DB_PATH,
    CodersOption,
    DbOption,
    ExcludeCodersOption,
    Kind,
    OutputOption,
    WhereOption,
    WideOption,
    checked_where,
    parse_where_option,
    resolve_coder_options,
    resolve_source,
)

if TYPE_CHECKING:
    from ..report.writers import Report, Table
    from .tables import FitTable

report_app = typer.Typer(
    help="Theme tables, quotes and exports for the study report.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: Rich's help renderer alone costs ~0.1 s of a 0.3 s start-up budget
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    md = "md"
    json = "json"
    xlsx = "xlsx"


class Level(str, Enum):
    code = "code"
    theme = "theme"
    both = "both"


SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar="SOURCE",
        help="Whose codes to count: consensus (the default, when it has decisions), the NAME reconcile --as "
        "stored consensus under, a CODER's name, majority (more than half of the coders who decided the "
        "segment) or union (any of them).",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: table, or from the -o suffix)."),
]
ByOption = Annotated[
    list[str] | None,
    typer.Option("--by", metavar="ATTR", help="Split by this participant attribute (repeatable)."),
]


_NUMBER_TEXT = re.compile(r"[-+]?[\d.,]+%?(?: \([\d.,]+%\))?|[-+]?[\d.]+[–-][-+]?[\d.]+|–|-|n/a")


def _kind(table: "Table", i: int) -> str:
    column = table.columns[i]
    if column in table.kinds:
        return table.kinds[column]
    values = [r[i] for r in table.rows if r[i] not in (None, "")]
    if values and all(
        isinstance(v, (int, float)) or (isinstance(v, str) and _NUMBER_TEXT.fullmatch(v)) for v in values
    ):
        return "number"  # 12, 0.250, "9 (81.8%)", "0.656–1.000"
    return "id" if i == 0 else "text"


def render_report_table(table: "Table", *, hint: str = "--wide or --format csv") -> "FitTable":
    """A report table for the terminal, laid out for its width (wei_qual.cli.tables)."""
    from ..report.writers import _cell_text
    from .tables import Column, FitTable

    columns = [
        Column(c, kind=_kind(table, i), priority=table.priority.get(c, 0))
        for i, c in enumerate(table.columns)
    ]
    fit = FitTable(*columns, title=table.title or None, notes=table.notes, hint=hint)
    for row in table.rows:
        fit.add_row(*(_cell_text(v) for v in row))
    return fit


def _emit(
    report: "Report",
    fmt: Format | None,
    output: Path | None,
    what: str,
    default: str = "table",
    wide: bool = False,
    warnings: list[str] | None = None,
) -> None:
    """Print or write a report, with the `warnings` already said on stderr (what the numbers leave
    out) in JSON, Markdown and XLSX. Call inside user_errors()."""
    from ..report.writers import csv_long_cells, render_text, resolve_format, write_report

    warnings = warnings or []
    resolved = resolve_format(fmt.value if fmt else None, output, default=default)
    if output is not None:
        for cut in write_report(report, resolved, output, warnings):
            warn(f"{output}: {cut}.")
        err_console.print(f"Wrote {what} to {escape(str(output))}", soft_wrap=True)
    elif resolved == "table":
        with full_width(wide):
            for table in report.display_tables():
                console.print(render_report_table(table))
    else:
        echo_data(render_text(report, resolved, warnings), nl=False)
    if resolved == "csv":
        # The matrix keeps its text cells apart from its million 0/1 flags: only those are looked at.
        long = csv_long_cells(getattr(report, "cells", None) or report.data_tables()[0].rows)
        if long:
            warn(long)
    where = getattr(report, "where", None)
    if resolved == "csv" and where:  # the bare table has no title to name the filter in
        warn(
            f"the CSV does not name its --where {where.said()} (it holds those participants alone): keep "
            "the filter with the file, or write .xlsx, .md or .json, which name it."
        )
    if resolved == "csv" and warnings:
        one = len(warnings) == 1
        said = "warning above: keep it" if one else f"{len(warnings)} warnings above: keep them"
        warn(
            f"the CSV holds the table alone, without the {said} with the file, or write .xlsx, .md or .json, "
            f"which carry {'it' if one else 'them'}."
        )


def _said(data, notes: list[str]):
    """The report data, once what its source leaves unsaid (majority over coders who never decided the
    same turn) is said on stderr and kept in `notes`, for the file."""
    for message in data.warnings:
        warn(message)
        notes.append(message)
    return data


def _spelled(data, by: list[str] | str | None, notes: list[str]):
    """The data, once a --by value the sheet spells several ways (grouped as one) is said on stderr and
    kept in `notes`, for the file."""
    for message in data.spelled_apart([by] if isinstance(by, str) else by or []):
        warn(message)
        notes.append(message)
    return data


def _kept(data, what: str, notes: list[str]):
    """The data --where kept, once a filter that kept no decided segment is said (`what`: what the
    report then shows) on stderr and kept in `notes`, for the file: exit 0, not an error."""
    for message in data.kept_nobody(what):
        warn(message)
        notes.append(message)
    return data


def themes_cli(
    source: SourceOption = None,
    by: ByOption = None,
    level: Annotated[
        Level, typer.Option("--level", help="Rows for codes, parent themes, or both.")
    ] = Level.both,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="interview: participants (the default); document: documents carrying each code; all: both, "
            "side by side.",
        ),
    ] = Kind.interview,
    where: WhereOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    coders: CodersOption = None,
    exclude_coders: ExcludeCodersOption = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Count segments and participants per code and theme, optionally split by attribute.

    With --where, only the participants it keeps are counted, and percentages are of them.

    \b
    wei-qual report themes --by role --by setting

    \b
    wei-qual report themes --source majority --level theme -o themes.xlsx

    \b
    wei-qual report themes --kind document --by jurisdiction

    \b
    wei-qual report themes --where setting=rural --where role=officer --by jurisdiction
    """
    from ..report.data import load_report_data
    from ..report.themes import build_theme_table
    from ..store import open_db

    with user_errors():
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        wanted = checked_where(db, wanted)
        notes: list[str] = []  # said on stderr, and in the file
        chosen, left_out = resolve_coder_options(db, coders, exclude_coders, notes)
        data = load_report_data(
            db,
            source=resolve_source(db, source, notes, wanted),
            kind=kind.value,
            coders=chosen,
            exclude_coders=left_out,
        )
        data = _kept(_said(data, notes).only(wanted), "every count is 0", notes)
        table = build_theme_table(_spelled(data, by, notes), by=by or [], level=level.value)
        _emit(table, output_format, output, "the theme table", wide=wide, warnings=notes)


def cooccurrence_cli(
    min_segments: Annotated[
        int, typer.Option("--min", help="Only pairs applied together in N+ segments.")
    ] = 1,
    source: SourceOption = None,
    level: Annotated[
        Level, typer.Option("--level", help="Pairs of codes, of parent themes, or both.")
    ] = Level.code,
    codes: Annotated[
        list[str] | None,
        typer.Option(
            "--code",
            metavar="ID",
            help="Only the pairs with this code; given twice or more, the pairs among those codes.",
        ),
    ] = None,
    by: ByOption = None,
    where: WhereOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Count the segments where two codes both apply, with the Jaccard index.

    \b
    wei-qual report cooccurrence --min 3
    wei-qual report cooccurrence --code csu-excluded-intoxication --code jail-fallback

    \b
    wei-qual report cooccurrence --by role --where setting=rural -o cooccurrence.xlsx
    """
    from ..report.cooccurrence import build_cooccurrence
    from ..report.data import check_code_ids, load_report_data
    from ..store import open_db

    with user_errors():
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        check_code_ids(db, codes)
        wanted = checked_where(db, wanted)
        notes: list[str] = []
        data = _said(load_report_data(db, source=resolve_source(db, source, notes, wanted)), notes)
        data = data.only(wanted)
        data = _spelled(data, by, notes)
        result = build_cooccurrence(data, level=level.value, min_segments=min_segments, only=codes, by=by)
        for message in result.warnings:
            warn(message)
        notes += result.warnings
        _emit(result, output_format, output, "the co-occurrence table", wide=wide, warnings=notes)


def quotes_cli(
    codes: Annotated[
        list[str] | None,
        typer.Option("--code", metavar="ID", help="Code or theme to quote (repeatable; default: all)."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", metavar="ATTR", help="Pick quotes per value of this attribute.")
    ] = None,
    show: Annotated[
        str | None,
        typer.Option(
            "--show",
            metavar="ATTR,...",
            help="Attributes to name after the participant id in the Participant column, besides --by "
            "(default: none).",
        ),
    ] = None,
    per_group: Annotated[
        int, typer.Option("--per-group", help="Quotes per code (and per group with --by).")
    ] = DEFAULT_PER_GROUP,
    source: SourceOption = None,
    where: WhereOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    coders: CodersOption = None,
    exclude_coders: ExcludeCodersOption = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Pick exemplar quotes: for each code, turns the source applied it to, the best first.

    Best are substantive (25-200 words), complete turns that every coder who decided them applied the
    code to (agreed); then substantive, then complete, then agreed turns, and different participants
    before a second turn of anyone. A turn the coders disputed is quoted only when too few agreed turns
    qualify: with --source consensus or majority, a turn the lead or most coders settled; with union
    or one coder's name, a turn other coders did not code so. The agreed column of --format csv or json
    says which. The Participant column names the participant id and the --by and --show attributes;
    the Segment column cites the turn as transcripts show takes it, with its page in a PDF or a laid-out
    Word file (P21:2, p. 2) and its time in a timed recording (P06:14 at 0:04:04).

    \b
    wei-qual report quotes --code jail-fallback --by role --per-group 2 --format md
    wei-qual report quotes --show role,setting --source union
    wei-qual report quotes --code jail-fallback --where setting=rural --where role=officer
    """
    from ..report.data import check_code_ids, load_report_data
    from ..report.quotes import build_quotes
    from ..store import open_db
    from ..store.transcripts import iter_segment_pages, iter_segment_times
    from .options import split_names

    with user_errors():
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        check_code_ids(db, codes)
        wanted = checked_where(db, wanted)
        notes: list[str] = []
        chosen, left_out = resolve_coder_options(db, coders, exclude_coders, notes)
        data = load_report_data(
            db,
            source=resolve_source(db, source, notes, wanted),
            with_coders=True,
            coders=chosen,
            exclude_coders=left_out,
        )
        data = _spelled(_said(data, notes).only(wanted), by, notes)
        result = build_quotes(
            data,
            codes=codes or None,
            by=by,
            per_group=per_group,
            show=split_names(show),
            times=iter_segment_times(db),
            pages=iter_segment_pages(db),
        )
        for message in result.empty:
            warn(message)
        notes += result.empty
        _emit(result, output_format, output, "the exemplar quotes", wide=wide, warnings=notes)


def matrix_cli(
    source: SourceOption = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="ATTR",
            help="Add a column of each segment's group by this attribute, as the other reports' --by groups "
            "it (repeatable).",
        ),
    ] = None,
    output_format: Annotated[
        Format | None, typer.Option("--format", "-f", help="csv (default), json, xlsx, md or table.")
    ] = None,
    output: OutputOption = None,
    where: WhereOption = None,
    coders: CodersOption = None,
    exclude_coders: ExcludeCodersOption = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write the segment x code matrix (one 0/1 column per code) for R, SPSS or Stata.

    \b
    wei-qual report matrix -o matrix.csv
    wei-qual report matrix --where setting=rural -o rural.csv
    wei-qual report matrix --by role -o matrix.xlsx
    """
    from ..report.data import load_report_data
    from ..report.matrix import build_matrix
    from ..store import open_db

    with user_errors():
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        wanted = checked_where(db, wanted)
        notes: list[str] = []
        chosen, left_out = resolve_coder_options(db, coders, exclude_coders, notes)
        data = load_report_data(
            db, source=resolve_source(db, source, notes, wanted), coders=chosen, exclude_coders=left_out
        )
        data = _kept(_said(data, notes).only(wanted), "the matrix has no row", notes)
        _emit(
            build_matrix(_spelled(data, by, notes), by=by),
            output_format,
            output,
            "the segment x code matrix",
            default="csv",
            wide=wide,
            warnings=notes,
        )


def compare_cli(
    by: Annotated[
        str,
        typer.Option("--by", metavar="ATTR", help="The attribute documents and participants share."),
    ] = "jurisdiction",
    source: SourceOption = None,
    level: Annotated[
        Level, typer.Option("--level", help="Rows for codes, parent themes, or both.")
    ] = Level.both,
    documented_only: Annotated[
        bool, typer.Option("--documented-only", help="Leave out the groups that have no coded document.")
    ] = False,
    output_format: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Compare policy and practice: per code and jurisdiction, the document sections that carry it and
    the share of participants who raised it.

    \b
    wei-qual report compare --by jurisdiction --format md
    wei-qual report compare -o compare.xlsx
    """
    from ..report.compare import build_compare
    from ..report.data import load_report_data
    from ..store import open_db

    with user_errors():
        db = open_db(db_path, create=False)
        notes: list[str] = []
        data = _said(load_report_data(db, source=resolve_source(db, source, notes), kind="all"), notes)
        result = build_compare(
            _spelled(data, by, notes), by=by, level=level.value, documented_only=documented_only
        )
        _emit(result, output_format, output, "the policy and practice table", warnings=notes)


def html_cli(
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="The HTML file to write.")],
    source: SourceOption = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="ATTR", help="Split by this attribute (repeatable; default: role, if present)."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="ATTR",
            help="Add the policy and practice table by this attribute (default: jurisdiction, when documents "
            "are coded and have it; none: leave it out).",
        ),
    ] = None,
    memos: Annotated[
        bool, typer.Option("--memos", help="Add an appendix of the code memos (author and time).")
    ] = False,
    coders: CodersOption = None,
    exclude_coders: ExcludeCodersOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write the study report as one self-contained HTML page (charts inline, no network).

    \b
    wei-qual report html -o report.html --by role --memos
    """
    from ..agree import agreement_warnings
    from ..report.agreement import agreement_note, double_coded
    from ..report.compare import default_compare
    from ..report.data import load_report_data
    from ..report.html import build_html
    from ..report.saturation import saturation_order
    from ..report.writers import write_file
    from ..store import open_db
    from ..store.transcripts import iter_segment_pages, iter_segment_times

    with user_errors():
        db = open_db(db_path, create=False)
        notes: list[str] = []  # said on stderr, and at the top of the page
        chosen, left_out = resolve_coder_options(db, coders, exclude_coders, notes)
        source = resolve_source(db, source, notes)
        data = load_report_data(db, source=source, with_coders=True, coders=chosen, exclude_coders=left_out)
        _spelled(_said(data, notes), by, notes)
        # What agree warns of the agreement the page charts (its α is of no κ: thin coders do not apply).
        for message in agreement_warnings(db, data.coders, double_coded(data)):
            notes.append(agreement_note(message))
            warn(notes[-1])
        order = saturation_order(db, data, "ingest")
        code_memos = None
        if memos:
            from ..memos import list_memos

            code_memos = list_memos(db, kinds=("code",)).memos
        table = default_compare(db, source=source, by=compare)
        said = len(notes)
        page = build_html(
            data,
            by=by or None,
            title=title,
            order=order,
            order_name="ingest",
            compare=table,
            memos=code_memos,
            notes=notes,
            times=iter_segment_times(db),
            pages=iter_segment_pages(db),
        )
        write_file(output, page)
        for message in notes[said:]:  # the agreement chart's own, once the page holds them
            warn(message)
    err_console.print(f"Wrote the report to {escape(str(output))}", soft_wrap=True)


def saturation_cli(
    order: Annotated[
        str,
        typer.Option(
            "--order",
            metavar="ORDER",
            help="Transcript order: ingest (when ingested), coded (the source's first decision on each) "
            "or attribute:NAME (by that attribute, e.g. attribute:date).",
        ),
    ] = "ingest",
    by: ByOption = None,
    run: Annotated[
        int, typer.Option("--run", min=1, help="Saturation: this many transcripts in a row with no new code.")
    ] = 3,
    source: SourceOption = None,
    where: WhereOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show code saturation: the codes each transcript adds first, and where new codes stop coming.

    \b
    wei-qual report saturation --order attribute:years_experience --by role
    wei-qual report saturation --where setting=rural
    """
    from ..report.data import load_report_data
    from ..report.saturation import build_saturation, saturation_order
    from ..store import open_db

    with user_errors():
        wanted = parse_where_option(where)  # a mistyped option first, not under the source's warnings
        db = open_db(db_path, create=False)
        wanted = checked_where(db, wanted)
        notes: list[str] = []
        data = _said(load_report_data(db, source=resolve_source(db, source, notes, wanted)), notes)
        data = _kept(data.only(wanted), "no transcript adds a code", notes)
        ordered = saturation_order(db, data, order)
        result = build_saturation(_spelled(data, by, notes), ordered, order_name=order, by=by or [], run=run)
        _emit(result, output_format, output, "the saturation table", wide=wide, warnings=notes)


class MethodsFormat(str, Enum):
    md = "md"
    json = "json"
    html = "html"


def methods_cli(
    coders: Annotated[
        str | None,
        typer.Option(
            "--coders",
            help="Comma-separated coders whose agreement is reported, and whom a majority or union source "
            "counts (default: all but consensus).",
        ),
    ] = None,
    exclude_coders: ExcludeCodersOption = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="ATTR",
            help="Count participants by this attribute (repeatable; default: role and setting when present). "
            "Reliability is also given per value of the first.",
        ),
    ] = None,
    source: SourceOption = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap", min=0, max=MAX_BOOTSTRAP, help="Bootstrap draws for the 95% CIs of α; 0 disables."
        ),
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the bootstrap.")] = 0,
    output_format: Annotated[
        MethodsFormat | None,
        typer.Option(
            "--format", "-f", help="md (default), json (every value) or html (default: from the -o suffix)."
        ),
    ] = None,
    output: OutputOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write the methods passage: sample, units, double coding, coders, codebook, reliability, reconciliation.

    Every number comes from the functions behind agree, report themes, suggest evaluate and report
    saturation. Bracketed text is for you to fill in.

    \b
    wei-qual report methods --coders alice,bob -o methods.md
    """
    from ..report.methods import build_methods
    from ..report.methods_text import methods_html, methods_markdown
    from ..report.writers import to_json, write_file
    from ..store import open_db

    fmt = output_format.value if output_format else None
    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = {".json": "json", ".html": "html", ".htm": "html"}.get(suffix, "md")
    with user_errors():
        db = open_db(db_path, create=False)
        notes: list[str] = []  # said on stderr as they come, and kept in the JSON's warnings
        chosen, excluded = resolve_coder_options(db, coders, exclude_coders, notes)
        if excluded:  # as agree: the coders given, or the default ones, less these
            from ..agree import default_coders

            chosen = [c for c in (chosen if chosen is not None else default_coders(db)) if c not in excluded]
        result = build_methods(
            db,
            coders=chosen,
            by=by or None,
            source=resolve_source(db, source, notes),
            bootstrap=bootstrap,
            seed=seed,
            batch_intervals=fmt == "json",  # only the JSON shows them
        )
        for message in result.warnings:
            warn(message)
        result.warnings[:0] = notes
        ci_notes = result.agreement.ci_notes() if result.agreement else []
        if ci_notes:  # before the JSON is built, which holds it too
            warn(
                f"{plural(len(ci_notes), 'bootstrap interval')} {'comes' if len(ci_notes) == 1 else 'come'} with a caveat (many draws where α is undefined, or "
                f"none that differ) ({', '.join(name for name, _ in ci_notes[:5])}{', ...' if len(ci_notes) > 5 else ''}); "
                "see ci_note in the JSON (--format json).",
                held=True,
            )
        text = {"md": methods_markdown, "html": methods_html}.get(
            fmt, lambda m: to_json(with_warnings_said(m.to_json()))
        )(result)
        if output is not None:
            write_file(output, text)
    if output is None:
        echo_data(text, nl=False)
    else:
        err_console.print(f"Wrote the methods passage to {escape(str(output))}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `report` and its subcommands to the main app."""
    report_app.command("themes")(themes_cli)
    report_app.command("cooccurrence")(cooccurrence_cli)
    report_app.command("quotes")(quotes_cli)
    report_app.command("matrix")(matrix_cli)
    report_app.command("compare")(compare_cli)
    report_app.command("html")(html_cli)
    report_app.command("saturation")(saturation_cli)
    report_app.command("methods")(methods_cli)
    app.add_typer(report_app, name="report", rich_help_panel="Report")
