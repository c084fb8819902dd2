"""The writing half of ingest: re-ingest rules, audit rows and the attributes CSV, through the store.

Every change happens inside store.transaction, so a refused or failed file leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import StoreError, TranscriptError, quoted, shell_path
from ..models import INTERVIEWER, OTHER, PARTICIPANT, Transcript
from ..store import transaction, write_audit
from ..store import transcripts as st
from ..store.decisions import iter_decisions
from ..store.packets import packets_out
from . import ADDED, REPLACED, UNCHANGED, FileOutcome
from .attributes import AttributeRow, says_interviewer
from .gate import Scan


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _summary(t: Transcript) -> dict:
    return {
        "kind": t.kind,
        "source": t.source,
        "format": t.format,
        "sha256": t.sha256,
        "segments": len(t.segments),
        "words": t.words,
        "roles": t.roles,
        "speakers": {s.label: s.role for s in t.speakers},
        "warnings": [w.kind for w in t.warnings],
    }


# How a speaker who is no participant is named in a message.
_ROLE_SAID = {INTERVIEWER: "an interviewer", OTHER: "another speaker (role other)"}


def keep_given_roles(db: Database, t: Transcript) -> Transcript:
    """A new version of a transcript keeps the roles a person set on its speakers (`transcripts roles`)."""
    if st.get_transcript_row(db, t.id) is None:
        return t
    given = {s.label: s.role for s in st.iter_speakers(db, t.id) if s.given}
    labels = {s.label for s in t.speakers}
    given = {label: role for label, role in given.items() if label in labels}
    if not given:
        return t
    from .correct import with_roles

    return with_roles(t, given, reason="set with transcripts roles (kept from the earlier version)")


def plan_store(db: Database, t: Transcript, *, replace: bool) -> tuple[str, str]:
    """(ADDED or REPLACED, message) for storing `t`, or raise TranscriptError when it would be refused."""
    existing = st.get_transcript_row(db, t.id)
    if existing is None:
        return ADDED, ""
    if existing["kind"] != t.kind and not replace:
        raise TranscriptError(
            f'"{t.source}": id "{t.id}" is already taken by {_a(existing["kind"])} in the project. Give the '
            f"{t.kind} another id (rename the file), or pass --replace to store it as {_a(t.kind)} instead."
        )
    n = len(iter_decisions(db, transcript_id=t.id))
    # A segment memo is a coder's work on a segment as much as a decision: its segment may be another
    # turn in the new version, so it is dropped with them, never silently.
    memos = len(st.iter_segment_memos(db, t.id))
    work = " and ".join(
        f"{k} {what}{'s' if k != 1 else ''}"
        for k, what in ((n, "coding decision"), (memos, "segment memo"))
        if k
    )
    if work and not replace:
        raise TranscriptError(
            f'"{t.source}": transcript "{t.id}" is already in the project with different content '
            f"and {work}. Pass --replace to replace it (the dropped "
            f"{'decisions' if n else 'memos'}{' and memos' if n and memos else ''} are kept in the audit log)."
        )
    out = [coder for coder, _ in packets_out(db, t.id)]
    if out and not replace:
        raise TranscriptError(
            f'"{t.source}": transcript "{t.id}" is already in the project with different content and is '
            f"in the packets made for {', '.join(out)}: what they code of its earlier text there cannot be "
            "merged onto the new one. Merge their packets first, or pass --replace (their work on it is set "
            "aside when they are merged, kept in the audit log), then make them new packets."
        )
    return REPLACED, f'replaced the earlier version of transcript "{t.id}"' + (
        f" and dropped {work} (kept in the audit log)" if work else ""
    )


def unchanged_outcome(db: Database, t: Transcript, *, replace: bool = False) -> FileOutcome | None:
    """The "unchanged" outcome when the project already holds this exact file content, else None. A file
    this version reads differently from the stored segments is still unchanged (the coding stays on the
    segments it was done on), saying how it differs; with `replace` it is stored anew (None)."""
    same = st.get_transcript_by_sha(db, t.sha256)
    if same is None or (same["id"] == t.id and same["kind"] != t.kind):  # the same file, now another kind
        return None
    if same["id"] != t.id:
        return FileOutcome(
            t.source,
            UNCHANGED,
            same["id"],
            message=f'same content as transcript "{same["id"]}", already in the project',
        )
    change = reading_change(db, t)
    if change and replace:
        return None
    if change:
        n = len(iter_decisions(db, transcript_id=t.id))
        drops = (
            f" (it drops its {n} coding decision{'s' if n != 1 else ''}, kept in the audit log)" if n else ""
        )
        out = [coder for coder, _ in packets_out(db, t.id)]
        # What they code of the reading the packets hold cannot be put on the new reading's turns.
        packets = (
            f" It is in the packets made for {', '.join(out)}: merge them first, since their work on it is set "
            "aside when they are merged after --replace."
            if out
            else ""
        )
        change = (
            f"{t.id}: this file is read differently now ({change}): a newer wei-qual, another --encoding, "
            "other interviewer labels or an attributes CSV naming its interviewer. The project keeps the segments it holds. To store the new reading, "
            f"ingest it again with --replace{drops}; see it first with "
            f'"wei-qual ingest --dry-run --replace {shell_path(t.source)}".{packets}'
        )
    return FileOutcome(
        t.source,
        UNCHANGED,
        t.id,
        message="already in the project with the same content",
        read_differently=change,
    )


def fill_end_pages(
    db: Database, t: Transcript, outcome: FileOutcome, *, actor: str = "ingest"
) -> FileOutcome:
    """A document (or a PDF transcript) stored before segments kept their end page (or the pages of their
    words, page_spans, or kept them coarser than this reading does), ingested again unchanged: what it
    lacks is filled in when this reading gives the same segments, labels and start pages (its coding stays
    on them), and the outcome says so. A Word or .odt transcript stored before its turns had pages (no
    segment has one) is given them all when this reading gives the same segments and labels: the
    outcome is unchanged, so their speakers, roles and texts are the stored ones. Any other outcome is
    returned as it is."""
    if (
        outcome.transcript_id != t.id
        or outcome.read_differently
        or all(s.end_page is None for s in t.segments)
    ):
        return outcome
    with transaction(db):
        stored = db.execute(
            "SELECT n, text, label, page, end_page, page_spans FROM segments WHERE transcript_id = ? ORDER BY n",
            [t.id],
        ).fetchall()
        if [tuple(r[:3]) for r in stored] != [(s.n, s.text, s.label) for s in t.segments]:
            return outcome
        if all(r[3] is None and r[4] is None for r in stored):  # kept no pages at all
            return _fill_pages(db, t, outcome, actor=actor)
        if [r[3] for r in stored] != [s.page for s in t.segments]:
            return outcome
        ends = all(r[4] is None for r in stored)  # kept no end pages: a project made before they were
        if not ends and [r[4] for r in stored] != [s.end_page for s in t.segments]:
            return outcome
        # Kept none, or coarser ones (a .docx paragraph over a page break was one stretch on both pages
        # before the place of its break was read): this reading's are the words' pages.
        spans = [
            (r[0], s.page_spans)
            for r, s in zip(stored, t.segments)
            if s.page_spans and (r[5] is None or json.loads(r[5]) != [list(p) for p in s.page_spans])
        ]
        if not ends and not spans:
            return outcome
        if ends:
            db.conn.executemany(
                "UPDATE segments SET end_page = ? WHERE transcript_id = ? AND n = ?",
                [(s.end_page, t.id, s.n) for s in t.segments],
            )
        db.conn.executemany(
            "UPDATE segments SET page_spans = ? WHERE transcript_id = ? AND n = ?",
            [(json.dumps([list(p) for p in page_spans]), t.id, n) for n, page_spans in spans],
        )
        write_audit(
            db,
            action="update",
            entity="transcript",
            entity_id=t.id,
            actor=actor,
            after={"end_pages": len(stored) if ends else 0, "page_spans": len(spans)},
        )
    said = _runs_over(t)
    filled = (
        "the pages its segments end on were filled in"
        if ends
        else "the pages of its segments' words were filled in"
    )
    return dataclasses.replace(outcome, message=f"{outcome.message}; {filled} ({said})")


def _runs_over(t: Transcript) -> str:
    over = sum(s.end_page is not None and s.page is not None and s.end_page > s.page for s in t.segments)
    return (
        f"{over} of its segments run{'s' if over == 1 else ''} onto a later page"
        if over
        else "none runs onto a later page"
    )


def _fill_pages(db: Database, t: Transcript, outcome: FileOutcome, *, actor: str) -> FileOutcome:
    """Give every segment of a stored transcript that kept no pages the pages this reading gives (inside
    fill_end_pages' transaction, the segments checked to be the same)."""
    db.conn.executemany(
        "UPDATE segments SET page = ?, end_page = ?, page_spans = ? WHERE transcript_id = ? AND n = ?",
        [
            (
                s.page,
                s.end_page,
                json.dumps([list(p) for p in s.page_spans]) if s.page_spans else None,
                t.id,
                s.n,
            )
            for s in t.segments
        ],
    )
    paged = sum(s.page is not None for s in t.segments)
    write_audit(db, action="update", entity="transcript", entity_id=t.id, actor=actor, after={"pages": paged})
    said = f"the pages of its segments were filled in ({_runs_over(t)})"
    return dataclasses.replace(outcome, message=f"{outcome.message}; {said}")


def reading_change(db: Database, t: Transcript) -> str:
    """How this reading of a stored file differs from the segments the project holds ("" when it does
    not): a newer wei-qual, another --encoding or other interviewer labels can read the same bytes anew."""
    # An unlabelled segment's role is left out: `transcripts roles --unlabelled` sets it after ingest.
    stored = [
        (r["speaker"], r["speaker"] and r["role"], r["text"])
        for r in db.query(
            "SELECT speaker, role, text FROM segments WHERE transcript_id = ? ORDER BY n", [t.id]
        )
    ]
    now = [(s.speaker, s.speaker and s.role, s.text) for s in t.segments]
    if stored == now:
        return ""
    if len(stored) != len(now):
        return f"{len(now)} segments where the project holds {len(stored)}"
    changed = sum(a != b for a, b in zip(stored, now))
    return f"{changed} of its {len(now)} segments with another speaker, role or text"


def store_transcript(
    db: Database, t: Transcript, *, replace: bool, scan: Scan, actor: str = "ingest"
) -> FileOutcome:
    """Add, replace or skip one parsed transcript, or raise a WeiQualError. A `scan` that did not pass
    (findings, or no scan at all) was let through by --allow-pii: the audit log records it, with `actor`."""
    try:
        with transaction(db):
            unchanged = unchanged_outcome(db, t, replace=replace)  # checked again under the write lock
            if unchanged is not None:
                return unchanged
            status, message = plan_store(db, t, replace=replace)
            if status == ADDED:
                st.save_transcript(db, t)
                write_audit(
                    db, action="ingest", entity="transcript", entity_id=t.id, actor=actor, after=_summary(t)
                )
            else:
                existing = st.get_transcript_row(db, t.id)
                decisions = iter_decisions(db, transcript_id=t.id)
                before = {
                    "source": existing["source"],
                    "format": existing["format"],
                    "sha256": existing["sha256"],
                    "segments": st.count_segments(db, t.id),
                    "dropped_decisions": [
                        {
                            "segment": d.segment,
                            "coder": d.coder,
                            "codes": sorted(d.codes),
                            "note": d.note,
                            "rationale": d.rationale,
                            "decided_utc": d.decided_utc,
                            "excerpts": [
                                {"code": e.code, "start": e.start, "end": e.end} for e in d.excerpts
                            ],
                        }
                        for d in decisions
                    ],
                    "dropped_memos": st.iter_segment_memos(db, t.id),
                }
                # Case variables survive a content update unless the new file sets them itself; so do
                # the attributes of speakers who are still there.
                attributes = {**st.get_transcript_attributes(db, t.id), **t.attributes}
                labels = {s.label for s in t.speakers}
                speaker_attributes = {
                    speaker: values
                    for (_, speaker), values in st.get_speaker_attributes(db, t.id).items()
                    if speaker in labels
                }
                st.replace_transcript(db, dataclasses.replace(t, attributes=attributes))
                for speaker, values in speaker_attributes.items():
                    st.save_speaker_attributes(db, t.id, speaker, values)
                write_audit(
                    db,
                    action="replace",
                    entity="transcript",
                    entity_id=t.id,
                    actor=actor,
                    before=before,
                    after=_summary(t),
                )
            if not scan.passes:
                write_audit(
                    db,
                    action="allow_pii",
                    entity="transcript",
                    entity_id=t.id,
                    actor=actor,
                    after=scan.audit(),
                )
    except sqlite3.DatabaseError as ex:
        raise StoreError(f'"{t.source}" could not be stored ({ex}). Try again; nothing was written.') from ex
    return FileOutcome(t.source, status, t.id, len(t.segments), t.words, message)


# Ids matching no transcript said one by one; the rest in one line (a wrong file of 100,000 rows was
# 100,000 warnings, 50 s of printing).
MAX_UNMATCHED_LISTED = 20


def _same_names(
    rows: list[AttributeRow],
    csv_name: str,
    db: Database | None,
    batch: dict[str, Transcript],
    warnings: list[str],
) -> list[AttributeRow]:
    """`rows` with a column named as an attribute the project (or a file of the batch) already has but for
    its case (`Role` for `role`, as a sheet's header is retyped) under that attribute's name, said once:
    kept apart, the two were two attributes, and a report by role put the sheet's participants under
    "(missing)"."""
    spelled: dict[str, set[str]] = {}
    for name in [
        *(st.attribute_names(db) if db is not None else []),
        *(k for t in batch.values() for k in t.attributes),
    ]:
        spelled.setdefault(name.casefold(), set()).add(name)
    # Only where the project spells the attribute one way: one already held twice is not guessed at.
    known = {folded: next(iter(names)) for folded, names in spelled.items() if len(names) == 1}
    columns = {name for row in rows for name in row.values}
    renamed = {c: known[c.casefold()] for c in columns if known.get(c.casefold(), c) != c}
    if not renamed:
        return list(rows)
    for column, name in sorted(renamed.items()):
        warnings.append(
            f'"{csv_name}", line {rows[0].header_line}: column {quoted(column)} read as the project\'s attribute {quoted(name)} '
            f"(attribute names ignore case here, as ids do). Name the column {quoted(name)} to silence this."
        )
    return [
        dataclasses.replace(row, values={renamed.get(k, k): v for k, v in row.values.items()})
        if renamed.keys() & row.values.keys()
        else row
        for row in rows
    ]


def apply_attributes(
    db: Database | None,
    rows: list[AttributeRow],
    *,
    csv_name: str,
    batch: dict[str, Transcript] | None = None,
    dry_run: bool = False,
    actor: str = "ingest",
    refused: dict[str, str] | None = None,
) -> tuple[int, list[str], int]:
    """Set CSV attributes on transcripts (and speakers) in the project; return (transcripts whose
    attributes or speakers' attributes changed, warnings, transcripts whose rows changed nothing, their
    values stored already: a Markdown file's front matter gave them). `batch` holds this batch's transcripts (those of a dry run are not stored);
    with `dry_run` only the warnings are worked out. `refused`: the ids (file names without the suffix)
    of files this ingest refused, with their paths."""
    batch = batch or {}
    known = (st.transcript_ids(db) if db is not None else set()) | set(batch)
    warnings: list[str] = []
    rows = _same_names(rows, csv_name, db, batch, warnings)
    # An id typed in another case or accent form (`p07` for `P07`, a keyboard's "ñ" for a Mac's, as a
    # spreadsheet may hold them: models.id_key) is the transcript's, as --transcript and decisions import
    # read it; said, so a near miss is never silent either way.
    # Said once a spelling (a sheet of speaker rows repeats its ids), at its first line.
    spelled = st.as_known_ids([r.transcript_id for r in rows], known)
    respelled: dict[tuple[str, str], list[int]] = {}  # (as typed, as the project has it) -> lines
    for i, (row, tid) in enumerate(zip(rows, spelled)):
        if tid != row.transcript_id:
            respelled.setdefault((row.transcript_id, tid), []).append(row.line)
            rows[i] = dataclasses.replace(row, transcript_id=tid)
    for (typed, tid), lines in respelled.items():
        more = len(lines) - 1
        warnings.append(
            f'"{csv_name}", line {lines[0]}: id {quoted(typed)} read as "{tid}" '
            "(transcript ids ignore case and accent form here)"
            + (f", and on {more:,} more line{'s' if more > 1 else ''}." if more else ".")
        )
    numbered = st.by_number(known)  # ids that are numbers ("001"), which Excel writes as 1
    listed, unlisted = 0, []  # ids matching no transcript said one by one, and the lines of the rest
    for row in rows:
        if row.warning:
            warnings.append(row.warning)
        if row.transcript_id not in known:
            if listed == MAX_UNMATCHED_LISTED:
                unlisted.append(row.line)
                continue
            listed += 1
            path = (refused or {}).get(row.transcript_id)
            if path is not None:
                warnings.append(
                    f'"{csv_name}", line {row.line}: id {quoted(row.transcript_id)} is "{path}", which this ingest '
                    "refused (the error above): once it passes, ingest it again with --attributes, which sets "
                    "its attributes then."
                )
                continue
            same = numbered(row.transcript_id)
            warnings.append(
                f'"{csv_name}", line {row.line}: id {quoted(row.transcript_id)} matches no transcript in the '
                + (
                    f'project, but transcript "{same}" has that number: {st.LEADING_ZEROS}'
                    if same
                    else "project. Check the id, or ingest that transcript first."
                )
            )
            continue
        if row.speaker is None:
            # The file's own front matter (or service header) gave this key another value: the CSV
            # wins, and a participant moves to another --by group, so it is said, not done silently.
            own = batch[row.transcript_id].attributes if row.transcript_id in batch else {}
            for key, value in row.values.items():
                if own.get(key) not in (None, "", value):
                    warnings.append(
                        f'"{csv_name}", line {row.line}: {quoted(key)} of "{row.transcript_id}" is '
                        f"{quoted(value)} here but {quoted(own[key])} in the file itself (its front matter or "
                        f"header); the CSV's value is kept. Correct whichever is wrong."
                    )
            continue
        t = batch.get(row.transcript_id)
        speakers = list(t.speakers) if t is not None else st.iter_speakers(db, row.transcript_id)
        match = next((s for s in speakers if s.label == row.speaker), None)
        if match is None:
            labels = ", ".join(f'"{s.label}"' for s in speakers) or "none"
            warnings.append(
                f'"{csv_name}", line {row.line}: transcript "{row.transcript_id}" has no speaker '
                f"{quoted(row.speaker)} (speakers: {labels}). Write the label as the transcript has it."
            )
        elif says_interviewer(row):
            # The row names the interviewer (ingest read them so): said only when a person set otherwise.
            if match.role != INTERVIEWER:
                said = _ROLE_SAID.get(match.role) or (
                    "a participant" if match.role == PARTICIPANT else "left to review"
                )
                # Kept either way: a person's setting is never overwritten, and an unchanged file's stored
                # roles are its coding units; the sheet changes them only when a person says so.
                how = (
                    "a person set that role, and it is kept"
                    if match.given
                    else "it was stored so, its role inferred from the turns, and it is kept"
                )
                warnings.append(
                    f'"{csv_name}", line {row.line}: speaker "{row.speaker}" of transcript "{row.transcript_id}" '
                    f"has an interviewer's role here but is {said} in the project ({how}: reports count "
                    "their turns as a participant's). If they interviewed, set it with "
                    f'"wei-qual transcripts roles {shlex.quote(row.transcript_id)} --interviewer '
                    f'{shlex.quote(row.speaker)}".'
                )
        elif match.role != PARTICIPANT:
            warnings.append(
                f'"{csv_name}", line {row.line}: speaker "{row.speaker}" of transcript "{row.transcript_id}" '
                f"is {_ROLE_SAID.get(match.role, 'left to review')}, so reports do not use their attributes. Mark them a participant with "
                f'"wei-qual transcripts roles {shlex.quote(row.transcript_id)} --participant {shlex.quote(row.speaker)}".'
            )
    if unlisted:
        warnings.append(
            f'"{csv_name}": {len(unlisted):,} more ids (lines {unlisted[0]:,} to {unlisted[-1]:,}) match no '
            f"transcript in the project, {listed + len(unlisted):,} of its {len(rows):,} rows in all. Check that "
            "it is the right file, and its ids."
        )
    if dry_run or db is None:
        return 0, warnings, 0
    skip = {i for i, row in enumerate(rows) if row.transcript_id not in known}
    changed_ids: set[str] = set()
    matched = {row.transcript_id for i, row in enumerate(rows) if i not in skip}
    with transaction(db):
        for i, row in enumerate(rows):
            if i in skip:
                continue
            if row.speaker is None:
                current = st.get_transcript_attributes(db, row.transcript_id)
            else:
                current = st.get_speaker_attributes(db, row.transcript_id).get(
                    (row.transcript_id, row.speaker), {}
                )
            changed = {k: v for k, v in row.values.items() if current.get(k) != v}
            if not changed:
                continue
            if row.speaker is None:
                st.save_attributes(db, row.transcript_id, changed)
            else:
                st.save_speaker_attributes(db, row.transcript_id, row.speaker, changed)
            write_audit(
                db,
                action="set_attributes",
                entity="transcript",
                entity_id=row.transcript_id,
                actor=actor,
                before={k: current.get(k) for k in changed},
                after=changed if row.speaker is None else {"speaker": row.speaker, **changed},
            )
            changed_ids.add(row.transcript_id)
    return len(changed_ids), warnings, len(matched - changed_ids)
