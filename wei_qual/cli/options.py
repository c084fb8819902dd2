"""Options shared by many commands, as Annotated aliases."""

import shlex
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..console import remember_project_option
from ..store import DEFAULT_DB


def _remember_db(ctx: typer.Context, param: typer.CallbackParam, value: Path | None) -> Path | None:
    """Messages that suggest a command add --db PATH to it when the user gave --db (console.py)."""
    source = ctx.get_parameter_source(param.name)  # Typer's vendored click: compared by name
    given = getattr(source, "name", None) == "COMMANDLINE"
    remember_project_option(str(value) if given and value is not None and value != DEFAULT_DB else None)
    return value


DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        envvar="WEI_QUAL_DB",
        dir_okay=False,
        help="Project database (else $WEI_QUAL_DB, else ./wei-qual.db).",
        show_default=True,
        callback=_remember_db,
    ),
]
DEFAULT_DB_PATH = DEFAULT_DB


OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", dir_okay=False, help="Write to this file instead of stdout.")
]


def checked_actor(value: str | None) -> str | None:
    """--actor as the audit log records it: trimmed, None when blank; a name a coder could not have (a
    control character, a line break, a sentence) is refused, as the value reaches the append-only log."""
    from ..coders import name_problem

    text = (value or "").strip()
    problem = name_problem(text) if text else None
    if problem is not None:
        raise typer.BadParameter(f"it {problem[0]}. Give a name as a coder's would be.")
    return text or None


ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Name recorded in the audit log.", callback=checked_actor)
]


def actor_or(actor: str | None, command: str) -> str:
    """The audit log's actor: the --actor given, else the command's name, so no row is anonymous."""
    return actor or command


WideOption = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Show every column at the width of its content, however narrow the terminal (piped output "
        "always is).",
    ),
]


WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        metavar="ATTR=VALUE",
        help="Only segments of participants (or documents) with this attribute value, e.g. setting=rural; "
        'setting=rural,suburban for either, role!=officer for any other (a value with a comma in "double '
        'quotes"). Repeatable: all of them.',
    ),
]


def parse_where_option(items: list[str] | None):
    """--where options as a models.Where, or raise ReportError: one parser for every command."""
    from ..errors import ReportError
    from ..models import parse_where

    try:
        return parse_where(items or [])
    except ValueError as ex:
        raise ReportError(str(ex)) from None


def checked_where(db, where):
    """`where` with its values as the project writes them, or ReportError for an attribute or a value no
    transcript or speaker has: said before the source's warnings, so the mistyped value is the one line."""
    from ..errors import ReportError
    from ..models import where_values
    from ..store.transcripts import get_attributes, get_speaker_attributes

    if not where:
        return where
    try:
        return where_values(where, [*get_attributes(db).values(), *get_speaker_attributes(db).values()])
    except ValueError as ex:
        raise ReportError(str(ex)) from None


PagerOption = Annotated[
    bool,
    typer.Option("--pager/--no-pager", help="Page the table when stdout is a terminal ($PAGER, else less)."),
]


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class Kind(str, Enum):
    """Which sources a command counts: interviews (participant turns), documents, or both."""

    interview = "interview"
    document = "document"
    all = "all"


KindOption = Annotated[
    Kind,
    typer.Option(
        "--kind",
        help="Units: interview (participant turns, the default), document (document segments) or all (both).",
    ),
]


def split_names(value: str | None) -> list[str] | None:
    """--coders a,b,c -> ["a", "b", "c"] (None when not given)."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


CodersOption = Annotated[
    str | None,
    typer.Option(
        "--coders",
        help="Comma-separated independent coders to use (default: every coder but consensus), as in agree.",
    ),
]
ExcludeCodersOption = Annotated[
    str | None,
    typer.Option(
        "--exclude-coders", help="Comma-separated coders to leave out (e.g. a trainee or a test name)."
    ),
]


def resolve_coder_options(
    db, coders: str | None, exclude: str | None, notes: list[str] | None = None
) -> tuple[list[str] | None, list[str] | None]:
    """--coders and --exclude-coders through the one coder-name normaliser; warnings on stderr (and
    appended to `notes`, for a JSON output). Raises DecisionError for an unknown name (with the closest
    known one)."""
    from ..coders import resolve_coders, split_coder_list
    from ..console import warn
    from ..store.decisions import iter_coders

    known = iter_coders(db) if coders is not None or exclude is not None else []
    chosen, warnings = resolve_coders(db, split_coder_list(coders, known), option="--coders")
    left_out, more = resolve_coders(db, split_coder_list(exclude, known), option="--exclude-coders")
    for message in warnings + more:
        warn(message)
        if notes is not None:
            notes.append(message)
    return chosen, left_out


def consensus_lookalikes(db, notes: list[str] | None = None) -> None:
    """Warn (and note, for a JSON output) about a coder stored as "Consensus" before the consensus coder's
    name was reserved whatever its case: it is counted as an independent coder."""
    from ..coders import consensus_lookalike_warnings
    from ..console import warn
    from ..store.decisions import iter_coders

    for message in consensus_lookalike_warnings(iter_coders(db)):
        warn(message)
        if notes is not None:
            notes.append(message)


def resolve_source(db, source: str | None, notes: list[str] | None = None, where=None) -> str | None:
    """--source: majority and union as they are; a coder's name through the normaliser (with a warning).
    Read from consensus (the default when there is one), a warning says when it has not decided every turn
    the coders decided: the rest would be missing from the counts without a word; so does a warning when
    decisions hold codes the active codebook no longer has, or a coder is named "Consensus". `where`: the
    report's --where (a models.Where), whose N that warning must not give as the whole study's."""
    outside = codes_outside(db, notes)
    consensus_lookalikes(db, notes)
    if source is None or source.strip().lower() in ("majority", "union"):
        if source is None:
            _partial_consensus(db, notes, outside, where=where)
        return source.strip().lower() if source else source
    from ..coders import clean, closest_coder, resolve_coder
    from ..console import warn
    from ..errors import DecisionError, ReportError
    from ..store.decisions import iter_coders

    try:
        found = resolve_coder(db, source, option="--source")
    except DecisionError:
        known = iter_coders(db)
        if clean(source) in known or not known:
            raise
        close = closest_coder(clean(source), known)
        hint = f"; did you mean {close}?" if close else ""
        raise ReportError(
            f'No decisions by "{clean(source)}" in this project (coders: {", ".join(known)}{hint}). '
            "Pass --source consensus, a coder's name, majority or union."
        ) from None
    if found.warning:
        warn(found.warning)
        if notes is not None:
            notes.append(found.warning)
    if is_consensus(db, found.name):
        _partial_consensus(db, notes, outside, found.name, where)
    return found.name


def is_consensus(db, source: str) -> bool:
    """Whether a --source names a consensus: "consensus", or one reconcile stored under another name (--as)."""
    from ..store.decisions import reconciled_coders

    return source == "consensus" or bool(reconciled_coders(db, [source]))


def codes_outside(db, notes: list[str] | None = None) -> dict[str, int]:
    """Warn (and note, for a JSON output) when decisions hold codes the active codebook does not have, or
    has made theme headings: nothing counts them, and a report or an agreement would leave them out
    without a word. Returns them (code -> decisions holding it): reconcile takes neither."""
    from ..console import warn
    from ..store.codebooks import uncodable_codes_held

    outside, headings = uncodable_codes_held(db)
    if outside:
        from ..codebook.versions import declared_splits

        split = declared_splits(db)  # a declared split names what replaces the code
        gone = {code: n for code, n in outside.items() if code not in split}
        if gone:
            message = (
                f"decisions hold codes the active codebook does not have, which nothing counts: {_held(gone)}. "
                'Each coder recodes theirs with "wei-qual code --coder NAME --code CODE" ("wei-qual retrieve '
                'CODE --source union" lists them), or bring the codes back in the codebook.'
            )
            warn(message)
            if notes is not None:
                notes.append(message)
        waiting = {code: n for code, n in outside.items() if code in split}
        if waiting:
            # Counted apart by the reports (report.data.with_split_stubs): the theme keeps them.
            listed = ", ".join(
                f"{code} ({n:,} decision{'s' if n != 1 else ''}, split into {' and '.join(split[code])})"
                for code, n in waiting.items()
            )
            one = next(iter(waiting))
            message = (
                f"decisions hold codes split into others and not yet recoded: {listed}. The reports count "
                f'them in a row of their own ("{one}", named "... (before split)") and in the theme of the '
                "codes it was split into; agree and reconcile leave them out. Each coder recodes theirs with "
                f'"wei-qual code --coder NAME --code {one}" ("wei-qual retrieve {one} --source union" lists '
                "them)."
            )
            warn(message)
            if notes is not None:
                notes.append(message)
    if headings:
        message = headings_held_message(headings)
        warn(message)
        if notes is not None:
            notes.append(message)
    return {**outside, **headings}


def _held(codes: dict[str, int]) -> str:
    return ", ".join(f"{code} ({n:,} decision{'s' if n != 1 else ''})" for code, n in codes.items())


def headings_held_message(headings: dict[str, int]) -> str:
    """What `codebook load`, agree and the reports say of codes with decisions that the active codebook
    made theme headings (gave codes under them): agreement's rows and the reports' counts are leaf codes."""
    listed = ", ".join(f"{code} ({n:,} decision{'s' if n != 1 else ''})" for code, n in headings.items())
    one = next(iter(headings))
    return (
        "decisions hold codes that are theme headings now (the active codebook gives them codes under them, "
        f"and coders apply only those): {listed}. Agree measures no theme heading, the reports count these "
        "decisions in the theme's row and in none of its codes' rows, and reconcile never takes them. "
        f'Each coder recodes theirs with "wei-qual code --coder NAME --recode --code {one}"'
        f"{' (and each other code)' if len(headings) > 1 else ''}, or split the code instead: give the "
        "theme another id and keep the code as a stub with split_into naming its new codes."
    )


def _partial_consensus(
    db, notes: list[str] | None, removed: dict[str, int], consensus: str = "consensus", where=None
) -> None:
    from ..console import warn
    from ..store.decisions import (
        consensus_coverage,
        consensus_gaps,
        consensus_participants,
        stale_consensus_copies,
    )

    named = "" if consensus == "consensus" else f" --as {shlex.quote(consensus)}"
    stale, documents = stale_consensus_copies(db, consensus)
    if stale:  # the reports count participant turns: a document's stale copy is said apart
        also = f" ({documents:,} more on document segments: add --kind document)" if documents else ""
        message = (
            f"{stale:,} {consensus} decision{'s' if stale != 1 else ''} on participant turns "
            f"{'were' if stale != 1 else 'was'} copied from coders' decisions that have changed since, so the "
            "counts there are of codes the coders no longer give. Copy them again and walk the new "
            f'disagreements with "wei-qual reconcile --coder LEAD{named} --accept-agreed --accept-single"'
            f"{also}."
        )
    elif documents:
        message = (
            f"{documents:,} {consensus} decision{'s' if documents != 1 else ''} on document segments "
            f"{'were' if documents != 1 else 'was'} copied from coders' decisions that have changed since. Copy "
            f'{"them" if documents != 1 else "it"} again with "wei-qual reconcile --coder LEAD{named} '
            '--accept-agreed --accept-single --kind document".'
        )
    if stale or documents:
        warn(message)
        if notes is not None:
            notes.append(message)
    from ..excerpts import stale_excerpt_copies

    moved = stale_excerpt_copies(db, consensus)
    if moved:
        # Same codes, other words: the counts hold, the quotes and retrieve's marks are of old words.
        message = (
            f"{moved:,} {consensus} decision{'s were' if moved != 1 else ' was'} copied from coders' decisions "
            "whose excerpts have changed since, so quotes and retrieve mark the words marked then. Copy them "
            f'again with "wei-qual reconcile --coder LEAD{named} --accept-agreed --accept-single".'
        )
        warn(message)
        if notes is not None:
            notes.append(message)

    covered, decided = consensus_coverage(db, consensus)
    if covered and covered < decided:
        gaps = consensus_gaps(db, consensus, removed)
        fixes = []
        if gaps.double:
            fixes.append(
                f"reconcile the {gaps.double:,} double-coded turn{'s' if gaps.double != 1 else ''} "
                f'("wei-qual reconcile --coder LEAD{named}")'
            )
        if gaps.single:
            fixes.append(
                f"take the {gaps.single:,} single-coded turn{'s' if gaps.single != 1 else ''} as coded "
                f'("wei-qual reconcile --coder LEAD{named} --accept-single --no-interactive")'
            )
        if gaps.recode:
            # Reconcile never copies or chooses a removed code: suggesting it for these turns sent the
            # lead round in a circle.
            fixes.append(
                f"recode the {gaps.recode:,} turn{'s' if gaps.recode != 1 else ''} coded with a code the active "
                f'codebook removed or made a theme heading, which reconcile never takes ("wei-qual code --coder NAME --recode")'
            )
        said = ", ".join(fixes[:-1]) + (" and " if len(fixes) > 1 else "") + fixes[-1]
        # A report's N is the participants the source decided a turn of: it shrinks with consensus.
        people, everyone, missing = consensus_participants(db, consensus)
        whom = f"{people:,} participant{'s' if people != 1 else ''} it has decided a turn of (N={people:,})"
        if missing:
            are = "are" if missing != 1 else "is"
            whom += f": {missing:,} of the {everyone:,} the coders decided {are} not among them"
        if where:  # the report's N is of the kept participants: the study's would read as the table's
            whom = (
                f"participants with {where.said()} it has decided a turn of (the report's N; {people:,} in the "
                "whole study" + (f", of the {everyone:,} the coders decided)" if missing else ")")
            )
        message = (
            f"{consensus} has decided {covered:,} of the {decided:,} participant turns the coders decided, and the "
            f"counts leave out the other {decided - covered:,}. Percentages are of the {whom}. "
            + said[:1].upper()
            + said[1:]
            + ", or pass --source majority or union."
        )
        warn(message)
        if notes is not None:
            notes.append(message)


def confirm(question: str, yes: bool) -> None:
    """Ask before a destructive change (--yes skips it). No answer (a script, end of input) changes nothing:
    raises DecisionError naming --yes; "no" exits 1."""
    if yes:
        return
    from ..console import info
    from ..errors import DecisionError

    try:
        answer = typer.confirm(question, default=False, err=True)
    except typer.Abort:
        typer.echo("", err=True)  # end the prompt's line
        raise DecisionError(
            "Nothing changed: pass --yes to go ahead without the question (for scripts)."
        ) from None
    if not answer:
        info("Nothing changed.")
        raise typer.Exit(1)
