"""Commands: codebook validate / load / show / versions / diff / export / import."""

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import console, echo_data, err_console, full_width, info, plural, user_errors, warn
from ..errors import shell_path
from ..numbers import whole_number
from ..store import open_db
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, WideOption, confirm, headings_held_message

if TYPE_CHECKING:
    from .tables import FitTable

codebook_app = typer.Typer(help="Validate, load, compare and exchange codebooks.", no_args_is_help=True)


class ShowFormat(str, Enum):
    tree = "tree"
    json = "json"
    md = "md"


class DiffFormat(str, Enum):
    table = "table"
    json = "json"


class ExportFormat(str, Enum):
    md = "md"
    csv = "csv"
    docx = "docx"
    qdc = "qdc"
    yaml = "yaml"


FileArg = Annotated[Path, typer.Argument(help="Codebook YAML file.", dir_okay=False, show_default=False)]
VersionOption = Annotated[
    int | None, typer.Option("--version", min=1, max=10**9, help="Version number (default: the active one).")
]


def _moved(decisions: int, memos: int) -> str:
    """`6 decisions`, `6 decisions and 1 memo`: what a rename or merge moved."""
    said = f"{decisions} decision{'s' if decisions != 1 else ''}"
    return said + (f" and {memos} memo{'s' if memos != 1 else ''}" if memos else "")


def _codes_summary(codebook) -> str:
    """ "32 codes in 8 themes, 1 exclusive group": the codes coders apply (the README's and the codebook
    comments' count), which counted the theme headings as codes too ("40 codes")."""
    themes = len(codebook.children(None))
    groups = len(codebook.exclusive_groups())
    codes = sum(1 for c in codebook.codes if not codebook.children(c.id))
    return (
        f"{codes} code{'s' if codes != 1 else ''} in {themes} theme{'s' if themes != 1 else ''}, "
        f"{groups} exclusive group{'s' if groups != 1 else ''}"
    )


@codebook_app.command("validate")
def validate_cli(path: FileArg) -> None:
    """Check a codebook file and report every problem as FILE:LINE:COLUMN: message (exit 1 if any).

    Draft codes (created while coding, no definition yet) are reported as warnings, not problems.

    \b
    wei-qual codebook validate codebooks/minimal.yaml
    """
    from ..codebook import parse_codebook_file

    with user_errors():
        parsed = parse_codebook_file(path)
    for problem in parsed.problems + parsed.warnings:  # drafts are warnings: a valid codebook may hold them
        err_console.print(str(problem), markup=False, soft_wrap=True)
    if parsed.problems:
        raise typer.Exit(1)
    drafts = sum(1 for code in parsed.codebook.codes if code.draft)
    note = f", {drafts} draft code{'s' if drafts != 1 else ''} to settle" if drafts else ""
    info(f"{path}: valid ({_codes_summary(parsed.codebook)}{note}).")


@codebook_app.command("load")
def load_cli(
    path: FileArg,
    force: Annotated[
        bool,
        typer.Option("--force", help="Load even if codes with decisions are removed (decisions are kept)."),
    ] = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Validate a codebook and make it the project's active version (only if its content changed).

    \b
    wei-qual codebook load codebooks/minimal.yaml --db study.db
    """
    from ..codebook.versions import REACTIVATED, UNCHANGED, load_into_project
    from ..store import removed_if_unused_on_error

    with user_errors():
        db = open_db(db_path)
        with removed_if_unused_on_error(db, db_path):  # a bad codebook leaves no new empty project
            result = load_into_project(db, path, force=force, actor=actor)
    if result.status == UNCHANGED:
        info(f"{path} is unchanged: version {result.version} is already active.")
        return
    for line in result.look_alikes:
        warn(line.replace("warning: ", "", 1))
    for old, n in result.renamed.items():
        info(f'Renamed "{old}" to "{result.targets[old]}": moved {_moved(n, result.memos.get(old, 0))}.')
    for old, n in result.merged.items():
        info(f'Merged "{old}" into "{result.targets[old]}": moved {_moved(n, result.memos.get(old, 0))}.')
    for old, (targets, n) in result.split.items():
        into = ", ".join(f'"{t}"' for t in targets)
        if n:
            warn(
                f'Split "{old}" into {into}: its {plural(n, "decision")} {"keeps" if n == 1 else "keep"} "{old}", which agree leaves out and the '
                f'reports count apart (a row "{old}", before split), until each coder recodes theirs with '
                f'"wei-qual code --coder NAME --code {old}".'
            )
        else:
            info(f'Split "{old}" into {into}: no decision holds it.')
    for old, n in result.forced_removed.items():
        warn(
            f'code "{old}" was removed with --force; its {plural(n, "decision")} {"keeps" if n == 1 else "keep"} the old id. Each coder recodes '
            f'theirs with "wei-qual code --coder NAME --code {old}".'
        )
    if result.headings:
        warn(headings_held_message(result.headings))
    for group, n in result.forced_exclusive.items():
        warn(
            f'exclusive group "{group}": {plural(n, "decision")} {"holds" if n == 1 else "hold"} two of its codes (loaded with --force). Agreement '
            'counts each such pair as a value of its own until the segments are recoded; "wei-qual retrieve '
            'CODE --source union" lists them.'
        )
    for old, new in result.not_moved_back.items():
        warn(
            f'code "{old}" is in this version, but an earlier one moved its decisions and memos to "{new}", and they '
            "stay there: loading a version does not undo a rename or a merge."
        )
    for code, (fields, n) in result.redefined.items():
        warn(
            f'code "{code}": this version rewords its {" and ".join(fields)}; its {plural(n, "decision")} {"was" if n == 1 else "were"} coded under '
            f'the earlier wording. Review them with "wei-qual code --coder NAME --code {code}".'
        )
    for code, n in result.forced_returning.items():
        warn(
            f'code "{code}" has another meaning than before (--force); its {plural(n, "earlier decision")} count{"s" if n == 1 else ""} for it.'
        )
    if result.status == REACTIVATED:
        summary = _codes_summary(result.codebook)
        info(f"{path} matches version {result.version}, which is active again ({summary}).")
    else:
        info(f"Loaded {path} as version {result.version}, now active ({_codes_summary(result.codebook)}).")


@codebook_app.command("show")
def show_cli(
    version: VersionOption = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="tree, json or md.")] = ShowFormat.tree,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show a codebook version: ids, names and how many decisions use each code.

    \b
    wei-qual codebook show --format json --db study.db
    """
    from ..codebook.versions import codebook_json, decision_counts, get_version

    with user_errors():
        db = open_db(db_path, create=False)  # reading must not create an empty project
        number, codebook = get_version(db, version)
        if fmt == ShowFormat.json:
            data = codebook_json(db, number, codebook)
        elif fmt == ShowFormat.tree:
            counts = decision_counts(db)
    if fmt == ShowFormat.json:
        echo_data(json.dumps(data, indent=2, ensure_ascii=False))
    elif fmt == ShowFormat.md:
        from ..export.codebook_md import render_codebook_md

        echo_data(render_codebook_md(codebook))
    else:
        from ..codebook.render import render_tree

        with full_width(wide):
            console.print(render_tree(number, codebook, counts))


@codebook_app.command("versions")
def versions_cli(
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="table or json.")] = DiffFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """List the codebook versions loaded in the project, the active one marked.

    \b
    wei-qual codebook versions --db study.db
    """
    from ..codebook.versions import list_versions

    with user_errors():
        rows = list_versions(open_db(db_path, create=False))
    if fmt == DiffFormat.json:
        echo_data(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        info('No codebook is loaded yet. Run "wei-qual codebook load FILE".')
        return
    from .tables import Column, FitTable

    table = FitTable(
        Column("version", kind="number"),
        Column("active", min_width=6),
        Column("label", kind="id"),
        Column("name", priority=1),
        Column("codes", kind="number"),
        Column("decisions", kind="number"),
        Column("loaded (UTC)", kind="number", priority=2),
        hint="--wide or --format json",
    )
    for r in rows:
        table.add_row(
            str(r["id"]),
            "*" if r["active"] else "",
            r["label"] or "",
            r["name"],
            str(r["codes"]),
            str(r["decisions"]),
            r["loaded_utc"][:19].replace("T", " "),
        )
    with full_width(wide):
        console.print(table)


@codebook_app.command("diff")
def diff_cli(
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="From A to B, version numbers or files: none = previous version to active; one version = it "
            "to active; one file = active to the file."
        ),
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="table or json.")] = DiffFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Compare two codebook versions or files: added, removed, renamed, merged and changed codes, from A to B.

    \b
    wei-qual codebook diff codebooks/study.yaml --db study.db    # what loading the file changes
    wei-qual codebook diff 1 codebooks/study.yaml --db study.db
    """
    from ..codebook.diff import default_refs, diff_codebooks, project_moves, project_splits, resolve_side

    refs = refs or []
    with user_errors():
        needs_db = len(refs) < 2 or any(whole_number(r) is not None for r in refs)
        db = open_db(db_path, create=False) if needs_db else None
        a_ref, b_ref = default_refs(db, refs) if db is not None else refs
        a_side, b_side = resolve_side(db, a_ref), resolve_side(db, b_ref)
        diff = diff_codebooks(
            a_side, b_side, moves=project_moves(db, a_side, b_side), splits=project_splits(db, a_side, b_side)
        )
    if fmt == DiffFormat.json:
        echo_data(json.dumps(diff.to_json(), indent=2, ensure_ascii=False))
    elif diff.empty:
        info(f"No differences between {diff.a.ref} and {diff.b.ref}.")
    else:
        with full_width(wide):
            console.print(render_diff(diff))


def _short(value: object, width: int = 60) -> str:
    text = (
        ", ".join(map(str, value))
        if isinstance(value, (list, tuple))
        else ("" if value is None else str(value))
    )
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_diff(diff) -> "FitTable":
    """One row per change: kind, code, detail."""
    from .tables import Column, FitTable

    table = FitTable(
        Column("change", min_width=7),
        Column("code", kind="id"),
        Column("detail", kind="long", priority=1),
        title=f"From {diff.a.label} to {diff.b.label} (before → after)",
        hint="--wide or --format json",
    )
    for name, (before, after) in diff.codebook.items():
        table.add_row(
            f"{'label' if name == 'version' else name} changed",
            "(codebook)",
            f"{_short(before)} → {_short(after)}",
        )
    for code_id in diff.added:
        table.add_row("added", code_id, diff.b.codebook.code(code_id).name)
    for code_id in diff.removed:
        table.add_row("removed", code_id, diff.a.codebook.code(code_id).name)
    for old, new in diff.renamed:
        table.add_row("renamed", old, f"→ {new}")
    for old, new in diff.merged:
        table.add_row("merged", old, f"into {new}")
    for old, new in diff.split:
        table.add_row("split", old, f"into {', '.join(new)} (its decisions keep it until recoded)")
    for code_id, fields in diff.changed:
        for name, (before, after) in fields.items():
            table.add_row(f"{name} changed", code_id, f"{_short(before)} → {_short(after)}")
    return table


@codebook_app.command("export")
def export_cli(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="md, csv, docx, qdc (REFI-QDA) or yaml (the codebook file format)."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="File to write.")],
    version: VersionOption = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a YAML file someone wrote or edited (its comments are lost)."),
    ] = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Export a codebook version as a Markdown/Word appendix, a CSV table, a REFI-QDA .qdc file or YAML.

    YAML is the codebook file format, draft codes included: edit it and load it again. A YAML file that
    wei-qual did not write as it is (the team's own codebook, with its comments) is not replaced without
    --force.

    \b
    wei-qual codebook export --format qdc -o codebook.qdc --db study.db
    """
    from ..codebook.exchange import export_version

    with user_errors():
        number, warnings = export_version(
            open_db(db_path, create=False), fmt.value, output, version=version, force=force
        )
    for message in warnings:
        warn(message)
    info(f"Wrote codebook version {number} to {output} ({fmt.value}).")


@codebook_app.command("import")
def import_cli(
    source: Annotated[
        Path, typer.Argument(help="REFI-QDA codebook (.qdc).", dir_okay=False, show_default=False)
    ],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="YAML file to write.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a YAML file an earlier import did not write as it is."),
    ] = False,
) -> None:
    """Convert a .qdc codebook (NVivo, ATLAS.ti, MAXQDA, QualCoder) to a wei-qual YAML codebook.

    \b
    wei-qual codebook import exported.qdc -o codebooks/imported.yaml
    """
    from ..codebook.exchange import import_qdc_file

    with user_errors():
        n, warnings = import_qdc_file(source, output, force=force)
    for message in warnings:
        warn(message)
    info(f"Wrote {n} codes to {output}. Check it with: wei-qual codebook validate {shell_path(output)}")


drafts_app = typer.Typer(invoke_without_command=True)  # the help is drafts_cli's, with its examples


@drafts_app.callback()
def drafts_cli(
    ctx: typer.Context,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="table or json.")] = DiffFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Codes created while coding (+new in the session): list them, then complete, merge or drop each.

    Lists the draft codes of the active codebook: who made them, and the segments they are applied to.

    \b
    wei-qual codebook drafts
    wei-qual codebook drafts complete waiting-room --definition "Time spent waiting for a bed."
    wei-qual codebook drafts merge waiting-room csu-delay
    wei-qual codebook drafts drop waiting-room
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..codebook.drafts import list_drafts

    with user_errors():
        drafts = list_drafts(open_db(db_path, create=False))
    if fmt == DiffFormat.json:
        echo_data(json.dumps([d.to_json() for d in drafts], indent=2, ensure_ascii=False))
        return
    if not drafts:
        info("No draft codes: every code of the active codebook has a definition.")
        return
    from ..console import full_width
    from .desk_render import render_drafts

    with full_width(wide):
        console.print(render_drafts(drafts))
    info(
        f"{len(drafts)} draft code{'s' if len(drafts) != 1 else ''}. Settle each with "
        '"wei-qual codebook drafts complete ID --definition TEXT", "merge ID INTO" or "drop ID".'
    )


@drafts_app.command("complete")
def drafts_complete_cli(
    code: Annotated[str, typer.Argument(help="The draft code's id.", show_default=False)],
    definition: Annotated[str, typer.Option("--definition", help="What the code means (required).")],
    name: Annotated[str | None, typer.Option("--name", help="A new name (default: keep it).")] = None,
    include: Annotated[str | None, typer.Option("--include", help="When to apply it.")] = None,
    exclude: Annotated[str | None, typer.Option("--exclude", help="When not to apply it.")] = None,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Complete a draft code with its definition: it becomes a full code in a new codebook version.

    \b
    wei-qual codebook drafts complete waiting-room --definition "Time spent waiting for a bed."
    """
    from ..codebook.drafts import complete_draft

    with user_errors():
        result = complete_draft(
            open_db(db_path, create=False),
            code,
            definition=definition,
            name=name,
            include=include,
            exclude=exclude,
            actor=actor,
        )
    info(f'Completed "{result.code}": codebook version {result.version} is now active.')


@drafts_app.command("merge")
def drafts_merge_cli(
    code: Annotated[str, typer.Argument(help="The draft code's id.", show_default=False)],
    into: Annotated[str, typer.Argument(help="The code its decisions move to.", show_default=False)],
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Merge a draft code into an existing code: its decisions and excerpts carry that code instead.

    \b
    wei-qual codebook drafts merge waiting-room csu-delay
    """
    from ..codebook.drafts import merge_draft

    with user_errors():
        result = merge_draft(open_db(db_path, create=False), code, into, actor=actor)
    info(
        f'Merged "{result.code}" into "{into}": moved {_moved(result.moved, result.memos)}; '
        f"codebook version {result.version} is now active."
    )


@drafts_app.command("drop")
def drafts_drop_cli(
    code: Annotated[str, typer.Argument(help="The draft code's id.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")] = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Drop a draft code: decisions lose it, and a decision that held only it is removed (uncoded again).

    Shows how many decisions change and asks first; --yes skips the question.

    \b
    wei-qual codebook drafts drop waiting-room --yes
    """
    from ..codebook.drafts import drop_counts, drop_draft

    with user_errors():
        db = open_db(db_path, create=False)
        total, only = drop_counts(db, code)
    what = (
        f'Dropping "{code}" takes it out of {total} decision{"s" if total != 1 else ""}'
        + (
            f"; {only} of them hold only this code and are removed, so those segments are uncoded again"
            if only
            else ""
        )
        + "."
    )
    info(what)
    with user_errors():
        if total:
            confirm("Drop it?", yes)
        result = drop_draft(db, code, actor=actor)
    info(f'Dropped "{result.code}": codebook version {result.version} is now active.')


def register(app: typer.Typer) -> None:
    """Add the codebook command group to the main app."""
    codebook_app.add_typer(drafts_app, name="drafts")
    app.add_typer(codebook_app, name="codebook", rich_help_panel="Codebook")
