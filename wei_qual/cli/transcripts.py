"""Commands: transcripts list / show / roles / relabel: what is in the project, and who speaks in what role."""

import json
import shlex
from dataclasses import asdict
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import console, echo_data, full_width, info, user_errors, warn
from ..errors import StoreError
from ..models import PARTICIPANT, brief_attributes, clock, page_span
from ..store import get_setting, open_db
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, ListFormat, PagerOption, WideOption, actor_or

if TYPE_CHECKING:
    from .tables import FitTable

transcripts_app = typer.Typer(
    help="List the project's transcripts, show their numbered segments, check and correct speaker roles and the speaker of single turns.",
    no_args_is_help=True,
)

FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def _attrs(attributes: dict[str, str], speakers: dict[str, dict[str, str]] | None = None) -> str:
    """`role=officer, setting=rural`, then each speaker's own: `; Officer: role=officer`."""
    text = ", ".join(f"{k}={v}" for k, v in attributes.items())
    for speaker, values in (speakers or {}).items():
        own = ", ".join(f"{k}={v}" for k, v in values.items())
        text = f"{text}; {speaker}: {own}" if text else f"{speaker}: {own}"
    return text


def render_transcript_list(rows: list[dict], *, hint: str = "--wide or --format json") -> "FitTable":
    """The `transcripts list` table. On a narrow terminal the attributes move under each row, then the
    format and the kind; then the counts that matter least (words, then all segments) are left out, named
    in a footer."""
    from rich.text import Text

    from .tables import Column, FitTable

    # Speakers set as `other` (neither interviewer nor participant), in a column only where some are.
    others = any(r.get("other_speakers") for r in rows)
    table = FitTable(
        Column("id", kind="id"),
        Column("kind", priority=4, min_width=9),
        Column("format", priority=5, min_width=6),
        Column("segments", kind="number", priority=2),
        Column("participant", kind="number"),
        *([Column("other speakers", kind="number")] if others else []),
        Column("words", kind="number", priority=3),
        Column("roles", min_width=8),
        Column("warnings", kind="number"),
        Column("attributes", kind="long", priority=6),
        title=f"{len(rows)} transcript{'s' if len(rows) != 1 else ''}",
        hint=hint,
    )
    for r in rows:
        other = [str(r["other_speakers"]) if r.get("other_speakers") else ""] if others else []
        table.add_row(
            r["id"],
            r.get("kind", "interview"),
            r["format"],
            str(r["segments"]),
            str(r["participant_segments"]),
            *other,
            f"{r['words']:,}",
            Text(r["roles"], style="yellow") if r["roles"] == "review" else r["roles"],
            str(len(r["warnings"])) if r["warnings"] else "",
            _attrs(brief_attributes(r["attributes"]), r.get("speaker_attributes")),
        )
    return table


def render_transcript(detail: dict) -> "FitTable":
    """The `transcripts show` table: one row per numbered segment (a document's: section and page)."""
    from .tables import Column, FitTable

    attrs = _attrs(detail["attributes"], detail.get("speaker_attributes"))
    title = detail["id"] + (f"  ({attrs})" if attrs else "")
    if detail.get("kind") == "document":
        table = FitTable(
            Column("#", kind="number"),
            Column("section", priority=2),
            Column("page", kind="number", priority=1),
            Column("text", kind="prose"),
            title=title + "\ndocument",
            hint="--wide or --format json",
        )
        for s in detail["segments"]:
            page = page_span(s.get("page"), s.get("end_page"), form="") or ""
            table.add_row(str(s["n"]), s.get("label") or "", page, s["text"])
        return table
    if "roles" in detail:
        roles = ", ".join(f"{s['label']} = {s['role']}" for s in detail["speakers"])
        title += f"\nroles {detail['roles']}" + (f": {roles}" if roles else "")
    # A PDF (or laid-out Word) transcript's turns have pages: one over a page break is on both ("1–2").
    paged = any(s.get("page") is not None for s in detail["segments"])
    table = FitTable(
        Column("#", kind="number"),
        Column("speaker", priority=2, min_width=8),
        Column("role", priority=3, min_width=11),
        Column("time", kind="number", priority=1),
        *([Column("page", kind="number", priority=1)] if paged else []),
        Column("text", kind="prose"),
        title=title,
        hint="--wide or --format json",
    )
    for s in detail["segments"]:
        page = [page_span(s.get("page"), s.get("end_page"), form="") or ""] if paged else []
        table.add_row(str(s["n"]), s["speaker"] or "", s["role"], clock(s["start_time"]), *page, s["text"])
    return table


TranscriptId = Annotated[
    str, typer.Argument(metavar="ID", help="Transcript id (see transcripts list).", show_default=False)
]


@transcripts_app.command("list")
def list_cli(
    format: FormatOption = ListFormat.table, wide: WideOption = False, db_path: DbOption = DEFAULT_DB_PATH
) -> None:
    """List the transcripts (interviews and documents) in the project with segment and word counts and attributes.

    \b
    wei-qual transcripts list --format json --db study.db
    """
    from ..store.transcripts import iter_transcript_summaries

    with user_errors():
        rows = iter_transcript_summaries(open_db(db_path, create=False))
    if format == ListFormat.json:
        echo_data(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        info('No transcripts yet. Add some with "wei-qual ingest PATH".')
    else:
        with full_width(wide):
            console.print(render_transcript_list(rows))
        for row in rows:  # the messages name the fix; the table only counts them
            for w in row["warnings"]:
                warn(w["message"])


@transcripts_app.command("show")
def show_cli(
    transcript_id: Annotated[
        str,
        typer.Argument(
            metavar="ID[:N]",
            help="Transcript id (see transcripts list); ID:N (P06:14, as search and memos cite a segment) "
            "shows segment N and the turns around it.",
            show_default=False,
        ),
    ],
    segment: Annotated[
        int | None,
        typer.Option("--segment", min=1, help="Show this segment and the turns around it (as ID:N)."),
    ] = None,
    context: Annotated[
        int | None,
        typer.Option("--context", min=0, help="Turns shown before and after --segment (or ID:N); default 3."),
    ] = None,
    format: FormatOption = ListFormat.table,
    wide: WideOption = False,
    pager: PagerOption = True,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show one transcript's numbered segments: speaker, role, time and text (paged on a terminal).

    \b
    wei-qual transcripts show P01 --db study.db
    wei-qual transcripts show P06:14 --context 5
    """
    from ..store.transcripts import get_transcript_detail, transcript_ids

    with user_errors():
        db = open_db(db_path, create=False)
        detail = get_transcript_detail(db, transcript_id)
        head, colon, number = transcript_id.rpartition(":")
        # "P06:14", copied from a search hit or a memo: the id as typed first (an id may hold a colon).
        if detail is None and colon and number.isdigit() and (detail := get_transcript_detail(db, head)):
            if segment is not None and segment != int(number):
                raise StoreError(f"{transcript_id} and --segment {segment} name two segments: pass one.")
            segment = int(number)
        if detail is None:
            import difflib

            close = difflib.get_close_matches(
                head if colon else transcript_id, transcript_ids(db), n=1, cutoff=0.6
            )
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise StoreError(
                f'Transcript "{transcript_id}" is not in the project{hint}. List them with "wei-qual transcripts list".'
            )
        if context is not None and segment is None:
            raise StoreError(
                f"--context shows the turns around one segment: pass {detail['id']}:N or --segment N with it."
            )
        if segment is not None:
            context = 3 if context is None else context
            numbers = [s["n"] for s in detail["segments"]]
            if segment not in numbers:
                raise StoreError(
                    f'Transcript "{detail["id"]}" has segments {min(numbers, default=0)} to '
                    f"{max(numbers, default=0)}: no segment {segment}."
                )
            detail["segments"] = [s for s in detail["segments"] if abs(s["n"] - segment) <= context]
    if format == ListFormat.json:
        echo_data(json.dumps(detail, ensure_ascii=False, indent=2))
    else:
        from .pager import paged

        with paged(pager), full_width(wide):
            console.print(render_transcript(detail))


def render_roles(view) -> "FitTable":
    """The `transcripts roles` table: each speaker's role, turns, words, questions and why."""
    from rich.text import Text

    from .ingest import speakers_table

    title = f"{view.transcript_id}: roles {view.status}" + (f" ({view.reason})" if view.reason else "")
    table = speakers_table(view.speakers, title=title, hint="--wide or --format json")
    if view.unlabelled:
        table.add_row(
            Text("(no label)", style="italic"),
            view.unlabelled_role or "mixed",
            str(view.unlabelled),
            "",
            "",
            "text outside any labelled turn",
        )
    return table


def _roles_json(view) -> dict:
    return {
        "id": view.transcript_id,
        "roles": view.status,
        "roles_reason": view.reason,
        "speakers": [asdict(s) for s in view.speakers],
        "unlabelled_segments": view.unlabelled,
        "unlabelled_role": view.unlabelled_role,
        "warnings": [{"kind": w.kind, "message": w.message} for w in view.warnings],
    }


class RoleChoice(str, Enum):
    """A role a person gives turns: the unlabelled text's (roles --unlabelled) or a speaker's (relabel --role)."""

    participant = "participant"
    interviewer = "interviewer"
    other = "other"


@transcripts_app.command("roles")
def roles_cli(
    transcript_id: TranscriptId,
    interviewer: Annotated[
        list[str] | None,
        typer.Option("--interviewer", metavar="NAME", help="Make this speaker an interviewer (repeatable)."),
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option("--participant", metavar="NAME", help="Make this speaker a participant (repeatable)."),
    ] = None,
    other: Annotated[
        list[str] | None,
        typer.Option(
            "--other",
            metavar="NAME",
            help="Make this speaker someone who is neither (the radio, a colleague at the door): kept and shown "
            "in context, never coded nor counted as a participant (repeatable).",
        ),
    ] = None,
    unlabelled: Annotated[
        RoleChoice | None,
        typer.Option("--unlabelled", help="Role of the segments with no speaker label (now role review)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Correct even when coded segments move in or out of the coding units (the decisions are "
            "kept and listed in the audit log).",
        ),
    ] = False,
    format: FormatOption = ListFormat.table,
    wide: WideOption = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Show each speaker's role and why; correct roles with --interviewer / --participant / --other (audited).

    \b
    wei-qual transcripts roles P09
    wei-qual transcripts roles P09 --interviewer "Dana Whitfield"
    wei-qual transcripts roles P71 --other "Unknown Speaker"
    """
    from ..ingest.correct import roles_view, set_roles

    correcting = bool(interviewer or participant or other or unlabelled)
    packet_for = None  # viewing a coder's packet: its roles are the lead's to set
    with user_errors():
        db = open_db(db_path, create=False)
        if correcting:
            change = set_roles(
                db,
                transcript_id,
                interviewers=list(interviewer or []),
                participants=list(participant or []),
                others=list(other or []),
                unlabelled=unlabelled.value if unlabelled else None,
                force=force,
                actor=actor_or(actor, "transcripts roles"),
            )
            view = change.view
        else:
            view = roles_view(db, transcript_id)
            packet_for = get_setting(db, "packet_coder") if get_setting(db, "packet_of") else None
    # Said on stderr below, and in the JSON's warnings as every command's JSON holds what was said: a
    # packet that holds this transcript under the roles it had (it was on stderr only).
    packet_notes = [
        f"{coder}'s packet (made {made[:16].replace('T', ' ')} UTC) holds {view.transcript_id} with "
        f"the roles it had then: {coder} codes there under them. When it is merged, the work on the "
        "turns that changed role is named and only participant turns count; after the merge, make "
        f'{coder} a new packet ("wei-qual packet --coder {shlex.quote(coder)} -o FILE --force").'
        for coder, made in (change.packets if correcting else ())
    ]
    if format == ListFormat.json:
        data = _roles_json(view)
        data["warnings"] += [{"kind": "packet", "message": note} for note in packet_notes]
        echo_data(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        with full_width(wide):
            console.print(render_roles(view))
    if correcting:
        if change.changed:
            moved = ""
            if change.moved_segments:
                n, d = change.moved_segments, change.moved_decisions
                moved = f" {n} segment{'s' if n != 1 else ''} moved in or out of the coding units" + (
                    f"; their {d} coding decision{'s' if d != 1 else ''} are kept." if d else "."
                )
            what = ", ".join(f"{label}: {old} -> {new}" for label, (old, new) in change.changed.items())
            info(f"Roles of {view.transcript_id} set ({what}); written to the audit log.{moved}")
            if change.interpreters:
                people = sum(1 for s in view.speakers if s.role == PARTICIPANT)
                names = ", ".join(f'"{label}"' for label in change.interpreters)
                one = len(change.interpreters) == 1
                info(
                    f"{names} {'is an interpreter' if one else 'are interpreters'}: coded and counted from now as "
                    f"{'a participant' if one else 'participants'} of their own, so {view.transcript_id} counts "
                    f"{people} participants in agreement, the reports and the methods passage; their turns are "
                    "not given to the participant they speak for."
                )
        else:
            info(
                f"Roles of {view.transcript_id} confirmed as they were (now given); written to the audit log."
            )
        if change.placeholders:
            names = ", ".join(f'"{name}"' for name in change.placeholders)
            info(
                f"{names} stand{'s' if len(change.placeholders) == 1 else ''} in for a speaker the "
                "transcription did not name: set here only, not remembered as an interviewer for later files."
            )
        for note in packet_notes:
            warn(note)
    for w in view.warnings:
        warn(w.message)
    if not correcting and packet_for is not None and view.warnings:
        info(
            f'This is the packet for "{packet_for}": roles are set in the project it was made from, by the '
            "lead, not here. Code the turns as they are, and tell the lead what the roles should be."
        )


@transcripts_app.command("relabel")
def relabel_cli(
    transcript_id: TranscriptId,
    segment: Annotated[
        list[str],
        typer.Option(
            "--segment",
            metavar="N|N-M",
            help="The turn numbered so in transcripts show, or a range of them (repeatable; 4,7-9 also works).",
            show_default=False,
        ),
    ],
    speaker: Annotated[
        str,
        typer.Option(
            "--speaker",
            metavar="NAME",
            help="The speaker the turns take, with that speaker's role (a label the transcript has).",
            show_default=False,
        ),
    ],
    role: Annotated[
        RoleChoice | None,
        typer.Option(
            "--role", help="Give the turns a speaker the transcript does not have yet, in this role."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Relabel even when coded turns move in or out of the coding units (the decisions are kept "
            "and listed in the audit log).",
        ),
    ] = False,
    format: FormatOption = ListFormat.table,
    wide: WideOption = False,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Give some turns another speaker (a voice the transcription could not place, one person split in two); audited.

    The turns keep their numbers and their coding decisions; turns of one speaker side by side are not
    merged. A re-ingest of the same file keeps the new speakers.

    \b
    wei-qual transcripts relabel P32 --segment 4 --segment 7-9 --speaker "Marcus Bell"
    wei-qual transcripts relabel P32 --segment 12 --speaker "Lena Bell" --role other
    """
    from ..ingest.correct import relabel, spans

    with user_errors():
        change = relabel(
            open_db(db_path, create=False),
            transcript_id,
            segments=segment,
            speaker=speaker,
            role=role.value if role else None,
            force=force,
            actor=actor_or(actor, "transcripts relabel"),
        )
    view = change.view
    packet_notes = [
        f"{coder}'s packet (made {made[:16].replace('T', ' ')} UTC) holds {view.transcript_id} with the "
        f"speakers it had then: {coder} codes there under them. When it is merged, the work on the turns "
        "that changed role is named and only participant turns count; after the merge, make "
        f'{coder} a new packet ("wei-qual packet --coder {shlex.quote(coder)} -o FILE --force").'
        for coder, made in change.packets
    ]
    if format == ListFormat.json:
        data = _roles_json(view)
        data["relabelled"] = [
            {
                "segment": n,
                "speaker_before": was,
                "role_before": was_role,
                "speaker": change.speaker,
                "role": change.role,
            }
            for n, (was, was_role) in change.segments.items()
        ]
        # What the message says, for a script: turns left alone, decisions kept, turns in or out of the units.
        leave = change.role != PARTICIPANT
        data["unchanged"] = change.unchanged
        data["decisions_kept"] = change.decisions
        data["left_units"] = change.moved_segments if leave else []
        data["joined_units"] = [] if leave else change.moved_segments
        data["speakers_dropped"] = change.dropped
        data["warnings"] += [{"kind": "packet", "message": note} for note in packet_notes]
        echo_data(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        with full_width(wide):
            console.print(render_roles(view))
    who = f'"{change.speaker}" ({change.role})'
    if change.unchanged and not change.segments:
        many = len(change.unchanged) != 1
        info(
            f"Segment{'s' if many else ''} {spans(change.unchanged)} of {view.transcript_id} "
            f"{'have' if many else 'has'} the speaker {who} already: nothing changed."
        )
    else:
        turns = sorted(change.segments)
        many = len(turns) != 1
        was = ", ".join(dict.fromkeys(f'"{s}"' if s else "no label" for s, _ in change.segments.values()))
        # Every moved turn goes one way: into the units when the speaker is a participant, else out of them.
        one = len(change.moved_segments) == 1
        leave = change.role != PARTICIPANT  # an interviewer's, another speaker's or a once-heard voice's
        verb = ("leaves" if one else "leave") if leave else ("joins" if one else "join")
        moved = f"{'segment' if one else 'segments'} {spans(change.moved_segments)} {verb} the coding units"
        kept = ""
        if change.decisions:
            kept = (
                f" {'Their' if many else 'Its'} {change.decisions} coding decision"
                f"{'s stay' if change.decisions != 1 else ' stays'} on {'them' if many else 'it'}"
                + (
                    f"; {moved} (the decisions are listed in the audit log)."
                    if change.moved_segments
                    else "."
                )
            )
        elif change.moved_segments:
            kept = f" {moved[0].upper()}{moved[1:]}."
        already = (
            f" Segment{'s' if len(change.unchanged) != 1 else ''} {spans(change.unchanged)} had that speaker "
            "already."
            if change.unchanged
            else ""
        )
        info(
            f"Segment{'s' if many else ''} {spans(turns)} of {view.transcript_id} now "
            f"{'have' if many else 'has'} the speaker {who}, instead of {was}; written to the audit log. "
            f"The segment numbers stay: turns side by side are not merged.{kept}{already}"
        )
        if change.dropped:
            names = ", ".join(f'"{label}"' for label in change.dropped)
            info(f"{names} no longer speak{'s' if len(change.dropped) == 1 else ''} in {view.transcript_id}.")
        for note in packet_notes:
            warn(note)
    for w in view.warnings:
        warn(w.message)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(transcripts_app, name="transcripts", rich_help_panel="Data")
