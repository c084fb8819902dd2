"""Commands: coders (who is coding and how far each got), coders rename / merge / remove."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import console, echo_data, full_width, info, plural, user_errors
from ..store import open_db
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, Kind, ListFormat, WideOption, confirm

if TYPE_CHECKING:
    from .tables import FitTable


def _percent(coded: int, total: int) -> str:
    return f"{100 * coded / total:.0f}%" if total else "-"


def render_progress(rows: list[dict], *, by_transcript: bool) -> "FitTable":
    """Coders (x transcripts) with coded / total segments (iter_coder_progress). Pure.

    With an assignment plan, "done" is of what each coder was assigned, not of every turn: a coder who
    finished her share read "done 32%" against the whole project beside it."""
    from .tables import Column, FitTable

    with_assignment = not by_transcript and any(r["assigned_transcripts"] for r in rows)
    columns = [Column("coder", kind="id")]
    if by_transcript:
        columns += [Column("transcript", kind="id"), Column("assigned", priority=2, min_width=8)]
    columns.append(Column("coded", kind="number"))
    if not with_assignment:
        columns += [Column("total", kind="number"), Column("done", kind="number")]
    columns.append(Column("nothing applies", kind="number", priority=3))
    if with_assignment:
        columns += [
            Column("assigned transcripts", kind="number", priority=4),
            Column("assigned coded", kind="number"),
            Column("done (of assigned)", kind="number"),
        ]
    columns.append(Column("last decision (UTC)", kind="number", priority=5))
    table = FitTable(*columns, hint="--wide or --format json")
    for r in rows:
        cells = [r["coder"]] + ([r["transcript"], "yes" if r["assigned"] else ""] if by_transcript else [])
        cells.append(str(r["coded"]))
        if not with_assignment:
            cells += [str(r["total"]), _percent(r["coded"], r["total"])]
        cells.append(str(r["nothing_applies"]))
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


coders_app = typer.Typer(invoke_without_command=True)  # the help is coders_cli's, with its examples


@coders_app.callback()
def coders_cli(
    ctx: typer.Context,
    by_transcript: Annotated[
        bool, typer.Option("--by-transcript", help="One row per coder and transcript.")
    ] = False,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="Segments counted: interview (participant turns, and turns with no known speaker, role "
            "review, which the coding session walks too; the default), document, or all.",
        ),
    ] = Kind.interview,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table or json.")] = ListFormat.table,
    wide: WideOption = False,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Who is coding and how far each coder got; rename, merge or remove a coder.

    Lists coders with their progress: interview turns the coding session walks (participant turns, and
    turns with no known speaker, role review; or, with --kind, document segments) coded; "done" is of
    all of them, or, once "wei-qual assign" made a plan, of each coder's assignment. Reports and
    agreement count participant turns only.

    \b
    wei-qual coders --by-transcript
    wei-qual coders rename "Ana " ana
    wei-qual coders merge Ana ana --prefer into
    wei-qual coders remove test-coder --yes
    """
    if ctx.invoked_subcommand is not None:
        return
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


def _counts(counts: dict[str, int]) -> str:
    parts = [f"{counts.get(k, 0)} {k}" for k in ("decisions", "memos", "assignments")]
    return ", ".join(parts)


@coders_app.command("rename")
def rename_cli(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The coder's present name.", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new name.", show_default=False)],
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Rename a coder everywhere (decisions, memos, assignments) in one transaction, audited.

    \b
    wei-qual coders rename "Ana " ana
    """
    from ..coders import rename_coder

    with user_errors():
        result = rename_coder(open_db(db_path, create=False), old, new, actor=actor)
    info(f'Renamed "{result.source}" to "{result.target}": moved {_counts(result.counts)}.')


@coders_app.command("merge")
def merge_cli(
    source: Annotated[
        str, typer.Argument(metavar="FROM", help="The coder to merge away.", show_default=False)
    ],
    target: Annotated[
        str, typer.Argument(metavar="INTO", help="The coder who keeps the work.", show_default=False)
    ],
    prefer: Annotated[
        str | None,
        typer.Option(
            "--prefer",
            metavar="from|into",
            help="Where both coded a segment differently: keep FROM's or INTO's decision (default: refuse).",
        ),
    ] = None,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Merge one coder into another in one transaction, audited; conflicting segments are refused and
    listed unless --prefer says whose decision stays.

    \b
    wei-qual coders merge Ana ana --prefer into
    """
    from ..coders import merge_coders

    with user_errors():
        result = merge_coders(
            open_db(db_path, create=False),
            source,
            target,
            prefer=prefer.lower() if prefer else None,
            actor=actor,
        )
    c = result.counts
    info(
        f'Merged "{result.source}" into "{result.target}": moved {plural(c["decisions"], "decision")}, '
        f"{plural(c['duplicates'], 'identical one')} kept once, {plural(c['memos'], 'memo')}, "
        f"{plural(c['assignments'], 'assignment')}."
    )
    if result.conflicts:
        kept = result.source if prefer and prefer.lower() == "from" else result.target
        listed = ", ".join(f"{t}:{n}" for t, n in result.conflicts[:20])
        info(f"{plural(len(result.conflicts), 'conflicting segment')} kept {kept}'s decision: {listed}.")


@coders_app.command("remove")
def remove_cli(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The coder to remove.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")] = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Remove a coder with their decisions, memos and assignments; asks first (--yes skips the question).
    Every removed decision and memo stays in the audit log.

    \b
    wei-qual coders remove test-coder --yes
    """
    from ..coders import removal_counts, remove_coder_everywhere

    with user_errors():
        db = open_db(db_path, create=False)
        coder, counts = removal_counts(db, name)
        info(f'Coder "{coder}" has {_counts(counts)}.')
        confirm(f'Remove "{coder}" and all of it?', yes)
        result = remove_coder_everywhere(db, coder, actor=actor)
    info(f'Removed "{result.source}" ({_counts(result.counts)}); the audit log keeps what was removed.')


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(coders_app, name="coders", rich_help_panel="Coding")
