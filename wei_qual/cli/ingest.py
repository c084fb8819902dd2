"""Command: ingest transcript files and folders into the project (or, with --dry-run, show what would be stored)."""

import contextlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import (
    complete_commands,
    console,
    echo_data,
    err_console,
    error,
    info,
    on_interrupt,
    progress_bar,
    user_errors,
    warn,
)
from ..console import plural as _plural
from ..models import clock, page_span
from .options import DEFAULT_DB_PATH, ActorOption, DbOption, ListFormat, actor_or

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ..ingest import FileOutcome, IngestResult
    from ..models import Speaker, Transcript
    from .tables import FitTable

# Shown in --help without importing the ingest package at startup; a test checks it matches
# wei_qual.ingest.DEFAULT_INTERVIEWER_LABELS.
DEFAULT_LABELS_TEXT = (
    "Interviewer, I, Q, Int, Moderator, Facilitator, Co-interviewer, Note-taker, Notetaker, Note taker, "
    "Co-moderator, Comoderator, Assistant moderator, Co-facilitator, Entrevistador, Entrevistadora, "
    "Entrevistador/a, Moderador, Moderadora"
)
PREVIEW_CHARS = 70  # the start of each segment shown by --dry-run
SECTION_WIDTH = 24  # a document's section heading in --dry-run


class Kind(str, Enum):
    interview = "interview"
    document = "document"


def roles_line(t: "Transcript") -> str:
    """One compact line: each speaker's role and why, with turns and words; then the roles status (for a
    document: its segments, by section or paragraph)."""
    if t.kind == "document":
        labelled = sum(s.label is not None for s in t.segments)
        return (
            f"{t.id}: document, {_plural(len(t.segments), 'segment')} ({labelled} with a section heading), "
            f"{_plural(t.words, 'word')}."
        )
    parts = []
    for s in t.speakers:
        parts.append(
            f"{s.label} = {s.role} ({_plural(s.turns, 'turn')}, {_plural(s.words, 'word')}; {s.reason})"
        )
    unlabelled = [seg for seg in t.segments if seg.speaker is None]
    if unlabelled:
        words = sum(seg.words for seg in unlabelled)
        role = unlabelled[0].role
        what = "no speaker labels" if not t.speakers else "no speaker"
        parts.append(f"{_plural(len(unlabelled), 'segment')} with {what} = {role} ({_plural(words, 'word')})")
    status = f"roles {t.roles}" + (f": {t.roles_reason}" if t.roles_reason and t.speakers else "")
    return f"{t.id}: " + "; ".join(parts) + f". {status[0].upper()}{status[1:]}."


def _segment_rows(t: "Transcript") -> list[dict]:
    return [
        {
            "n": s.n,
            "speaker": s.speaker,
            "role": s.role,
            "words": s.words,
            "start_time": s.start_time,
            "end_time": s.end_time,
            "label": s.label,
            "page": s.page,
            "end_page": s.end_page,
            "text": s.text,
        }
        for s in t.segments
    ]


def outcome_json(o: "FileOutcome", *, dry_run: bool) -> dict:
    """One file of the ingest JSON: outcome, roles, speakers, warnings (and, in a dry run, the segments)."""
    out = {
        "path": o.path,
        "status": o.status,
        "transcript": o.transcript_id,
        "segments": o.segments,
        "words": o.words,
        "message": o.message,
        "unscanned": o.unscanned,
        "to_review": o.to_review,
        "read_differently": o.read_differently or None,
    }
    t = o.transcript
    if t is not None:
        out.update(
            {
                "kind": t.kind,
                "format": t.format,
                "roles": t.roles,
                "roles_reason": t.roles_reason,
                "speakers": [asdict(s) for s in t.speakers],
                "unlabelled_segments": sum(s.speaker is None for s in t.segments),
                "attributes": t.attributes,
                "warnings": [{"kind": w.kind, "message": w.message} for w in t.warnings],
            }
        )
        if dry_run:
            out["segment_list"] = _segment_rows(t)
    return out


def result_json(result: "IngestResult", db_path: Path) -> dict:
    return {
        "db": str(db_path),
        "dry_run": result.dry_run,
        "transcripts": result.transcripts,
        "segments": result.segments,
        "words": result.words,
        "outcomes": [outcome_json(o, dry_run=result.dry_run) for o in result.outcomes],
        "warnings": result.warnings,
        "scan_error": result.scan_error,
        "attributes_set": result.attributes_set,
        "attributes_unchanged": result.attributes_unchanged,
        "skipped": [str(p) for p in result.skipped],
    }


def speakers_table(speakers: "Iterable[Speaker]", **table_options) -> "FitTable":
    """Each speaker's role, turns, words, questions and why (the dry run and `transcripts roles`)."""
    from .tables import Column, FitTable

    table = FitTable(
        Column("speaker", min_width=8),
        Column("role", min_width=11),
        Column("turns", kind="number"),
        Column("words", kind="number", priority=2),
        Column("questions", kind="number", priority=1),
        Column("why", kind="long", priority=3),
        **table_options,
    )
    for s in speakers:
        table.add_row(s.label, s.role, str(s.turns), f"{s.words:,}", str(s.questions), s.reason)
    return table


def render_dry_run(o: "FileOutcome") -> "RenderableType":
    """What --dry-run prints for one file: speakers and roles, then every segment (its start), warnings."""
    from rich.console import Group
    from rich.text import Text

    from .tables import Column, FitTable

    t = o.transcript
    assert t is not None
    what = {"would_add": "would be added", "would_replace": "would replace the stored version"}[o.status]
    head = Text(f"{t.id} ({o.path}) {what}: ", style="bold")
    head.append(
        f"{_plural(len(t.segments), 'segment')}, {_plural(t.words, 'word')}, "
        + ("document" if t.kind == "document" else f"roles {t.roles}"),
        style="",
    )
    if t.roles_reason:
        head.append(f" ({t.roles_reason})", style="")
    parts: list = [head]
    if t.attributes:
        parts.append(Text("attributes: " + ", ".join(f"{k}={v}" for k, v in t.attributes.items())))
    if t.speakers:
        parts.append(speakers_table(t.speakers))
    document = t.kind == "document"
    if document:  # a section heading can be long: it folds or moves under the row, the text keeps room
        segments = FitTable(
            Column("#", kind="number"),
            Column("section", kind="text", priority=3),
            Column("page", kind="number", priority=2),
            Column("words", kind="number", priority=1),
            Column("text", kind="prose", priority=4),
        )
    else:  # a PDF (or laid-out Word) transcript's turns have pages (over a page break: "1–2")
        paged = any(s.page is not None for s in t.segments)
        segments = FitTable(
            Column("#", kind="number"),
            Column("speaker", priority=4, min_width=8),
            Column("role", priority=3, min_width=11),
            Column("time", kind="number", priority=2),
            *([Column("page", kind="number", priority=2)] if paged else []),
            Column("words", kind="number", priority=1),
            Column("text", kind="prose", priority=5),
        )
    for s in t.segments:
        preview = " ".join(s.text.split())
        if len(preview) > PREVIEW_CHARS:
            preview = preview[: PREVIEW_CHARS - 1] + "…"
        words = f"{s.words:,}"
        if document:
            page = page_span(s.page, s.end_page, form="") or ""
            segments.add_row(str(s.n), s.label or "", page, words, preview)
        else:
            page = [page_span(s.page, s.end_page, form="") or ""] if paged else []
            segments.add_row(str(s.n), s.speaker or "", s.role, clock(s.start_time), *page, words, preview)
    parts.append(segments)
    for w in t.warnings:
        parts.append(Text(f"Warning: {complete_commands(w.message)}", style="yellow"))
    parts.append(Text(""))
    return Group(*parts)


def _interrupted(done: int, total: int, attributes: Path | None) -> str:
    """What an ingest stopped part-way has kept: each file is stored in its own transaction, and the
    attributes CSV is applied after the last file, so the files stored have none of its columns yet
    (a report by role would leave them out): running the command again finishes it."""
    if done == 0:
        return "no file was stored."
    unset = f", but the attributes of {attributes} are not set yet" if attributes is not None else ""
    return (
        f"the {done} of {total} files read before it are stored or refused, each whole{unset}. Run the same "
        "command again to finish: the files already stored are skipped as unchanged."
    )


def ingest_cli(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Transcript files (.txt .md .docx .odt .rtf .vtt .srt .pdf) or folders, searched recursively; with "
            "--kind document, documents (.pdf .docx .odt .md .txt).",
            metavar="PATH",
            show_default=False,
        ),
    ],
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="interview: speaker turns with roles (a folder's documents/ subfolder is left out); "
            "document: a policy, MOU or protocol, split by numbered section or paragraph, no speakers.",
        ),
    ] = Kind.interview,
    attributes: Annotated[
        Path | None,
        typer.Option(
            "--attributes",
            dir_okay=False,
            help="CSV with an id column plus participant attributes (role, jurisdiction, setting...); an "
            "optional speaker column makes a row apply to one speaker of a pair or group interview. "
            "Documents take the same CSV (e.g. id,jurisdiction,doc_type).",
        ),
    ] = None,
    interviewer_labels: Annotated[
        list[str] | None,
        typer.Option(
            "--interviewer-labels",
            show_default=False,
            help="Comma-separated speaker labels of interviewer turns (case-insensitive; repeatable; a label "
            "holding a comma in double quotes: '\"Whitfield, Dana\",Interviewer'). They add to the default "
            f"interviewer labels ({DEFAULT_LABELS_TEXT}), which stay interviewers; every other speaker is a "
            "participant. Without it, roles are inferred from evidence (the default labels, ids, who asks the "
            "questions).",
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
            help="Replace a changed transcript even when it has coding decisions, and store the new "
            "reading of a file this version reads differently (the dropped decisions are kept in the audit log).",
        ),
    ] = False,
    allow_pii: Annotated[
        bool,
        typer.Option(
            "--allow-pii",
            help="Ingest even when the PII scan finds likely identifiers, or cannot run (recorded in the "
            "audit log).",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print what would be stored (speakers, roles, segments, words, warnings) and write nothing.",
        ),
    ] = False,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="json: the outcome of every file on stdout.")
    ] = ListFormat.table,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Processes that read and scan files while this one stores them (default: the CPUs, "
            "at most 4, for 8 files or more; 1: one process). The outcome is the same.",
        ),
    ] = None,
    actor: ActorOption = None,
    db_path: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Ingest transcripts into the project, split into speaker turns with inferred roles (one transaction per file).

    \b
    wei-qual ingest transcripts/ --attributes transcripts/participants.csv --db study.db
    wei-qual ingest --dry-run interview-12.md
    wei-qual ingest --kind document policies/ --attributes policies/documents.csv
    """
    from ..ingest import FAILED, REPLACED, UNCHANGED, expand_paths, ingest_files
    from ..ingest.roles import split_labels
    from ..store import discard_if_unused, open_db, removed_if_unused_on_error

    with user_errors():
        labels = split_labels(interviewer_labels) if interviewer_labels else None
        # A dry run reads the project when there is one (remembered interviewers, stored versions) and
        # never creates it.
        if not dry_run:
            db = open_db(db_path)
        else:
            db = open_db(db_path, create=False) if db_path.exists() else None
        kwargs = {
            "kind": kind.value,
            "attributes_csv": attributes,
            "encoding": encoding,
            "interviewer_labels": labels,
            "replace": replace,
            "allow_pii": allow_pii,
            "dry_run": dry_run,
            "jobs": jobs,
            "actor": actor_or(actor, "ingest"),
        }
        # A project this command created is removed again when nothing could be stored in it.
        with contextlib.nullcontext() if db is None else removed_if_unused_on_error(db, db_path):
            total = len(expand_paths(paths, kind=kind.value)[0])
            done = [0]  # files stored or refused so far, each in its own transaction
            if not dry_run:
                on_interrupt(lambda: _interrupted(done[0], total, attributes))
            if total > 1 and err_console.is_terminal:
                with progress_bar() as progress:
                    task = progress.add_task("Reading" if dry_run else "Ingesting", total=total)

                    def advance(n: int) -> None:
                        done[0] += n
                        progress.update(task, advance=n, refresh=True)

                    result = ingest_files(db, paths, on_progress=advance, **kwargs)
            else:
                result = ingest_files(
                    db, paths, on_progress=lambda n: done.__setitem__(0, done[0] + n), **kwargs
                )
    removed = db is not None and not result.stored and discard_if_unused(db, db_path)

    if format == ListFormat.json:
        echo_data(json.dumps(result_json(result, db_path), ensure_ascii=False, indent=2))
    elif dry_run:
        for outcome in result.stored:
            console.print(render_dry_run(outcome))
    # A scanner that cannot run refuses every file for one reason: say it once, not once a file.
    gate_closed = result.scan_error is not None and not allow_pii
    refused = [o for o in result.failed if o.unscanned]
    if gate_closed and refused:
        error(_gate_closed_message(result.scan_error, len(refused)))
    for outcome in result.outcomes:
        if outcome.status == FAILED:
            if not (gate_closed and outcome.unscanned):
                error(outcome.message)
        elif outcome.status == UNCHANGED:
            info(f"{outcome.path}: unchanged, {outcome.message}.")
            if outcome.read_differently:
                warn(outcome.read_differently)
        else:
            if outcome.status == REPLACED:
                info(f"{outcome.path}: {outcome.message}.")
            if outcome.transcript is not None and not dry_run:
                info(roles_line(outcome.transcript))
                for w in outcome.transcript.warnings:
                    warn(w.message)
    for message in result.warnings:
        warn(message)
    for folder in result.skipped:
        info(f"{folder}: left out (documents); ingest it with --kind document.")
    unscanned = [o for o in result.stored if o.unscanned]
    if unscanned:
        warn(
            f"The PII scan could not run ({result.scan_error or 'see above'}): "
            f"{_plural(len(unscanned), 'file')} stored unscanned because of --allow-pii (recorded in the "
            'audit log). Scan them with "wei-qual deid scan --project" once the scanner works.'
        )
    reviewed = [o for o in result.outcomes if o.to_review]
    if reviewed:  # names the PII scan leaves to a person ("Grace was there"), which stopped nothing
        from ..deid.commands import scan_command

        others = " (and likewise for the others)" if len(reviewed) > 1 else ""
        info(
            f"{_plural(sum(o.to_review for o in reviewed), 'name')} to review in {_plural(len(reviewed), 'file')}: first "
            "names that are also words or typed in lower case alone, which the scan cannot tell from a word. "
            "See them with "
            f'"{scan_command(reviewed[0].path, encoding)}"{others}; they do not stop ingest.'
        )
    _summary(result, db_path, attributes)
    if removed:
        info(f"Nothing was stored, so no project was created at {db_path}.")
    if result.failed:
        raise typer.Exit(1)


def _gate_closed_message(reason: str, files: int) -> str:
    from ..ingest.gate import REINSTALL

    return (
        f"The PII scan could not run ({reason}), so {_plural(files, 'file')} "
        f"{'was' if files == 1 else 'were'} not ingested. {REINSTALL}, or pass --allow-pii to store "
        f"{'it' if files == 1 else 'them'} unscanned (recorded in the audit log)."
    )


def _summary(result: "IngestResult", db_path: Path, attributes: Path | None) -> None:
    from ..ingest import FAILED, REPLACED, UNCHANGED

    statuses = ("would_add", "would_replace") if result.dry_run else ("added", REPLACED)
    names = {"would_add": "to add", "would_replace": "to replace"}
    counts = ", ".join(
        f"{result.count(s)} {names.get(s, s)}" for s in (*statuses, UNCHANGED, FAILED) if result.count(s)
    )
    flagged = len(result.with_warnings)
    if flagged:
        counts += f"; {flagged} with warnings"
    reread = sum(bool(o.read_differently) for o in result.outcomes)
    if reread:
        counts += f"; {reread} read differently now"
    noun = (
        "document"
        if any(o.transcript and o.transcript.kind == "document" for o in result.stored)
        else "transcript"
    )
    body = (
        f"{_plural(result.transcripts, noun)} ({_plural(result.segments, 'segment')}, "
        f"{_plural(result.words, 'word')})"
    )
    if result.dry_run:
        info(f"Dry run: would ingest {body} into {db_path}: {counts or 'no files'}. Nothing was written.")
    else:
        info(f"Ingested {body} into {db_path}: {counts or 'no files'}.")
    if result.attributes_set:
        # "Set attributes of 9 transcripts" for a sheet of ten read as one row lost: P04's front matter
        # held the same values.
        same = result.attributes_unchanged
        info(
            f"Set attributes of {_plural(result.attributes_set, 'transcript')} from {attributes}"
            + (f" ({same:,} more held the same values already)." if same else ".")
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("ingest", rich_help_panel="Data")(ingest_cli)
