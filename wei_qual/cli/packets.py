"""Commands: assign, packet, merge (coders on their own laptops)."""

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..console import console, echo_data, err_console, plural, user_errors, warn, with_warnings_said
from ..defaults import DEFAULT_DOUBLE
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, ListFormat, actor_or, checked_actor

PANEL = "Team"


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def assign_cli(
    coders: Annotated[str, typer.Option("--coders", help="Comma-separated coder names.")],
    double: Annotated[
        float, typer.Option("--double", help="Share of transcripts coded by two coders.")
    ] = DEFAULT_DOUBLE,
    strata: Annotated[
        str, typer.Option("--strata", help="Attributes to balance the double-coded set on.")
    ] = "",
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same assignment.")
    ] = 0,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Assign transcripts to coders, with a double-coded share balanced across strata.

    \b
    wei-qual assign --coders alice,bob,carol --double 0.2 --strata role,setting --seed 7
    """
    from ..assign import assign
    from ..coders import resolve_coder, split_coder_list
    from ..models import CONSENSUS_CODER
    from ..store import open_db
    from ..store.decisions import iter_coders
    from .tables import Column, FitTable

    with user_errors():
        db = open_db(db_path, create=False)
        known = iter_coders(db)  # a known coder's name may hold a comma ("Smith, Jane"): one name
        found = [
            resolve_coder(db, name, new_ok=True, option="--coders")
            for name in split_coder_list(coders, known) or []
        ]
        names = [f.name for f in found]
        if CONSENSUS_CODER not in names:  # else assign refuses it, and a warning before would be noise
            for f in found:
                if f.warning:
                    warn(f.warning)
        result = assign(
            db, names, double=double, strata=_split(strata), seed=seed, actor=actor_or(actor, "assign")
        )
    for message in result.warnings:
        warn(message)
    if output_format is ListFormat.json:  # with a coder name read in another case, said above
        data = {
            "coders": list(result.coders),
            "double": sorted(result.double),
            "assignments": result.plan,
            "warnings": list(result.warnings),
        }
        echo_data(json.dumps(with_warnings_said(data), indent=2))
        return
    table = FitTable(
        Column("coder", kind="id"),
        Column("transcripts", kind="number"),
        Column("double-coded", kind="number"),
        title=f"Assignment (seed {seed})",
    )
    for coder in result.coders:
        mine = [t for t, cs in result.plan.items() if coder in cs]
        table.add_row(coder, str(len(mine)), str(sum(t in result.double for t in mine)))
    console.print(table)
    err_console.print(
        f"{len(result.double):,} of {plural(len(result.plan), 'transcript')} "
        f"{'is' if len(result.double) == 1 else 'are'} double-coded across "
        f"{plural(len(result.strata), 'stratum', 'strata')}."
    )


def packet_cli(
    coder: Annotated[str, typer.Option("--coder", "-c", help="The coder the packet is for.")],
    out: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="Packet file to write (.wqp).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file at -o.")] = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Write a self-contained packet of one coder's assigned transcripts, to code offline and blind.

    \b
    wei-qual packet --coder alice -o alice.wqp
    wei-qual code --coder alice --db alice.wqp
    """
    from ..coders import resolve_coder
    from ..packet import make_packet
    from ..store import open_db

    with user_errors():
        db = open_db(db_path, create=False)
        found = resolve_coder(db, coder, new_ok=True, option="--coder")  # unknown: "no assigned transcripts"
        if found.warning and not found.new:
            warn(found.warning)
        coder = found.name
        counts = make_packet(db, coder, out, force=force, actor=actor_or(actor, "packet"))
    err_console.print(
        f"Wrote {escape(str(out))}: {plural(counts['transcripts'], 'transcript')}, "
        f"{plural(counts['segments'], 'segment')} ({counts['to_code']:,} to code), "
        f"{plural(counts['suggestions'], 'suggestion')}, "
        f"{counts['decisions']:,} of {escape(coder)}'s decisions."
    )


class Prefer(str, Enum):
    project = "project"
    packet = "packet"


def merge_cli(
    packets: Annotated[list[Path], typer.Argument(help="Packet files returned by coders.")],
    prefer: Annotated[
        Prefer,
        typer.Option(
            "--prefer",
            help="Whose copy wins when a decision or memo changed in both places since the last sync.",
        ),
    ] = Prefer.project,
    issued_to: Annotated[
        str | None,
        typer.Option(
            "--issued-to",
            metavar="CODER",
            help="For a packet this project has no record of making (an older wei-qual made it): the coder "
            "you gave it to. Merged only if the packet names that coder.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Merge a packet coded under an earlier codebook version even when it uses codes the active "
            "one no longer has (they stay as they are, counted nowhere until recoded).",
        ),
    ] = False,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Name recorded in the audit log for the merge (default: each packet's coder).",
            callback=checked_actor,
        ),
    ] = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Merge coders' packets (decisions and memos) back into the project: all or nothing.

    A packet may hold only the work of the coder it was made for, on their assigned transcripts; anything
    else refuses it.

    \b
    wei-qual merge alice.wqp bob.wqp carol.wqp
    wei-qual merge alice.wqp --prefer packet
    """
    from ..packet import merge_packets
    from ..store import open_db

    with user_errors():
        result = merge_packets(
            open_db(db_path, create=False),
            packets,
            prefer=prefer.value,
            issued_to=issued_to,
            force=force,
            actor=actor,
        )
    for message in result.warnings:
        warn(message)
    err_console.print(
        f"Merged {plural(len(result.packets), 'packet')}: {plural(result.added, 'decision')} added, "
        f"{result.updated:,} updated, {result.unchanged:,} unchanged, {result.kept:,} kept from the project, "
        + (f"{result.deleted:,} deleted (removed in the packet), " if result.deleted else "")
        + plural(result.memos, "memo")
        + (
            f", {plural(result.memos_deleted, 'memo')} deleted (removed in the packet)"
            if result.memos_deleted
            else ""
        )
        + "."
    )
    if result.drafts:
        err_console.print(
            f"Draft codes created while coding in the packets are now in the codebook: {escape(', '.join(result.drafts))}. "
            'Settle them with "wei-qual codebook drafts".',
            soft_wrap=True,
        )
    if result.conflicts:
        if prefer is Prefer.project:
            how = (
                "the project's copy was kept, and the conflict is settled: merging the packet again keeps it. "
                "The coder's copies are in the merge's audit row (packet_copies_set_aside), and in the packet "
                '("wei-qual decisions export --db PACKET"); import one to take it. --prefer packet takes the '
                "coder's copy in a conflict not merged yet"
            )
        else:
            how = "the packet's copy was kept"
        err_console.print(
            escape(
                f"{plural(len(result.conflicts), 'decision or memo', 'decisions or memos')} changed in both places "
                f"since the last sync; {how}:"
            ),
            soft_wrap=True,
        )
        for conflict in result.conflicts:
            console.print(escape(conflict), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("assign", rich_help_panel=PANEL)(assign_cli)
    app.command("packet", rich_help_panel=PANEL)(packet_cli)
    app.command("merge", rich_help_panel=PANEL)(merge_cli)
