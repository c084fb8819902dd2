"""Commands: project export / project import, REFI-QDA .qdpx exchange with NVivo, ATLAS.ti, MAXQDA, QualCoder."""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..console import console, echo_data, info, user_errors, warn, with_warnings_said
from ..console import plural as _plural
from ..store import open_db
from .options import DEFAULT_DB_PATH, DbOption, ListFormat

project_app = typer.Typer(
    help="Exchange whole projects with NVivo, ATLAS.ti, MAXQDA and QualCoder (REFI-QDA .qdpx).",
    no_args_is_help=True,
)


class ForTool(str, Enum):
    """The tools `project export --for` counts positions for (the keys of qdpx.layout.COUNTINGS)."""

    standard = "standard"
    nvivo = "nvivo"
    atlas = "atlas"
    maxqda = "maxqda"
    qualcoder = "qualcoder"


@project_app.command("export")
def export_cli(
    output: Annotated[
        Path | None, typer.Argument(dir_okay=False, help="The .qdpx file to write.", show_default=False)
    ] = None,
    output_option: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", dir_okay=False, help="The .qdpx file to write, as every other writer takes it."
        ),
    ] = None,
    coders: Annotated[
        str | None, typer.Option("--coders", help="Comma-separated coders to export (default: all).")
    ] = None,
    include_consensus: Annotated[
        bool,
        typer.Option("--include-consensus/--no-include-consensus", help="Export the consensus coder too."),
    ] = True,
    for_tool: Annotated[
        ForTool,
        typer.Option(
            "--for",
            help="The tool the file is for: selection positions counted as it counts them where an emoji or a "
            "line end makes a difference. standard: code points, \\n line ends. nvivo: NVivo's way (fitted to "
            "NVivo 12.6 for Windows; later versions unverified), \\r\\n as two. atlas, maxqda: an emoji as two "
            "UTF-16 units (unverified), \\r\\n as one (MAXQDA's unverified). qualcoder: UTF-16 units, as its "
            "coding screen's Qt text cursor (read in its code). A warning says when the text holds such characters; "
            "wei-qual's own import reads each back exactly.",
        ),
    ] = ForTool.standard,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Summary as table or json.")
    ] = ListFormat.table,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write the whole project as a REFI-QDA .qdpx for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    \b
    wei-qual project export study.qdpx --db study.db
    wei-qual project export alice-bob.qdpx --coders alice,bob --no-include-consensus
    wei-qual project export for-nvivo.qdpx --for nvivo
    """
    from ..qdpx.export import export_project
    from ..qdpx.layout import COUNTINGS
    from .options import resolve_coder_options

    # `-o FILE` as packet, report and codebook export write: a team typed it here and was told "No such
    # option: -o".
    if output is not None and output_option is not None:
        raise typer.BadParameter("Give the .qdpx file once: as an argument or with -o, not both.")
    output = output if output is not None else output_option
    if output is None:
        raise typer.BadParameter(
            "Name the .qdpx file to write: wei-qual project export study.qdpx (or -o study.qdpx)."
        )
    with user_errors():
        db = open_db(db_path, create=False)
        chosen, _ = resolve_coder_options(db, coders, None)
        result = export_project(
            db,
            output,
            name=Path(db_path).stem,
            coders=chosen,
            include_consensus=include_consensus,
            counting=COUNTINGS[for_tool.value],
        )
    for message in result.warnings:
        warn(message)
    if fmt == ListFormat.json:  # with what else was said (a coder name read in another case)
        echo_data(json.dumps(with_warnings_said(result.to_json()), indent=2, ensure_ascii=False))
        return
    from ..coders import shown_list

    taken = f" ({result.suggested_codings:,} from accepted suggestions)" if result.suggested_codings else ""
    counting = COUNTINGS[result.positions_for]
    tool = "" if counting.key == "standard" else f" for {counting.tool} (positions as it counts them)"
    info(
        f"Wrote {output}{tool}: {_plural(result.transcripts, 'transcript')} ({_plural(result.segments, 'segment')}), "
        f"{_plural(result.codes, 'code')}, {_plural(len(result.coders), 'coder')} "
        f"({shown_list(result.coders) or 'none'}), {_plural(result.codings, 'coding')}{taken} on "
        f"{_plural(result.selections, 'selection')}, {_plural(result.memos, 'memo')}, "
        f"{_plural(result.attributes, 'attribute')} in {_plural(result.cases, 'case')}."
    )


@project_app.command("import")
def import_cli(
    source: Annotated[
        Path, typer.Argument(dir_okay=False, help="The .qdpx file to read.", show_default=False)
    ],
    allow_pii: Annotated[
        bool,
        typer.Option(
            "--allow-pii",
            help="Import even if the PII scan finds likely identifiers, or cannot run (audited).",
        ),
    ] = False,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            metavar="NAME",
            help="Read this source as a document (split by section or paragraph), not an interview: its "
            'name or a pattern ("Policy*") (repeatable).',
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Report as table or json.")
    ] = ListFormat.table,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Read a REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA, QualCoder) into a new, empty project.

    \b
    wei-qual project import from-nvivo.qdpx --db study.db
    wei-qual project import study.qdpx --db copy.db --format json
    wei-qual project import from-nvivo.qdpx --document "CSU policy*" --db study.db
    """
    from ..qdpx.import_ import import_plan, load_qdpx

    db_path = Path(db_path)
    created = not db_path.exists()
    with user_errors():
        # Read and check everything before the project is opened or created.
        plan = load_qdpx(source, as_documents=documents or ())
        try:
            result = import_plan(open_db(db_path), plan, allow_pii=allow_pii)
        except BaseException:
            if created:  # nothing half-written: remove the project this command created
                for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
                    leftover.unlink(missing_ok=True)
            raise
    report = result.to_json()
    for message in report["warnings"]:
        warn(message)
    if result.pii_allowed:
        warn(f"imported despite likely identifiers (--allow-pii, audited): {', '.join(result.pii_allowed)}.")
    if result.unscanned:
        warn(
            f"imported without a PII scan, which could not run (--allow-pii, audited): "
            f'{", ".join(result.unscanned)}. Scan them with "wei-qual deid scan --project" once the scanner works.'
        )
    if fmt == ListFormat.json:  # with the --allow-pii warnings said above: a script must learn them too
        echo_data(json.dumps(with_warnings_said(report), indent=2, ensure_ascii=False))
        return
    console.print(render_report(report))
    info(f"Imported {source} into {db_path}.")


def render_report(report: dict):
    """The import report as a table: what was read, what it became, and what was lost and why."""
    from .tables import Column, FitTable

    table = FitTable(
        Column("part", min_width=8),
        Column("count", kind="number"),
        Column("became", kind="long"),
        title="REFI-QDA import",
    )
    rows = [
        (
            "sources",
            report["sources"],
            f"{_plural(report['transcripts'], 'transcript')}, {_plural(report['segments'], 'segment')}",
        ),
        ("codes", report["codes"], "a new codebook version" if report["codes"] else "no codebook"),
        ("users", report["coders"], "coders"),
        ("codings", report["codings"], _plural(report["decisions"], "decision")),
        ("variables", report["attributes"], "attributes"),
        ("notes", report["memos"], "memos (and decision notes)"),
    ]
    for part, count, became in rows:
        table.add_row(part, f"{count:,}", became)
    for item in report["lost"]:
        table.add_row(f"lost: {item['what']}", f"{item['count']:,}", item["why"])
    return table


def register(app: typer.Typer) -> None:
    """Add the project command group to the main app."""
    app.add_typer(project_app, name="project", rich_help_panel="Exchange")
