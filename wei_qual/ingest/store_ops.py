"""The writing half of ingest: re-ingest rules, audit rows and the attributes CSV, through the store.

Every change happens inside store.transaction, so a refused or failed file leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import StoreError, TranscriptError
from ..models import Transcript
from ..store import transaction, write_audit
from ..store import transcripts as st
from ..store.decisions import iter_decisions
from . import ADDED, REPLACED, UNCHANGED, FileOutcome
from .attributes import AttributeRow


def _summary(t: Transcript) -> dict:
    return {
        "source": t.source,
        "format": t.format,
        "sha256": t.sha256,
        "segments": len(t.segments),
        "words": t.words,
    }


def unchanged_outcome(db: Database, t: Transcript) -> FileOutcome | None:
    """The "unchanged" outcome when the project already holds this exact file content, else None."""
    same = st.get_transcript_by_sha(db, t.sha256)
    if same is None:
        return None
    message = (
        "already in the project with the same content"
        if same["id"] == t.id
        else f'same content as transcript "{same["id"]}", already in the project'
    )
    return FileOutcome(t.source, UNCHANGED, same["id"], message=message)


def store_transcript(db: Database, t: Transcript, *, replace: bool, pii_findings: list) -> FileOutcome:
    """Add, replace or skip one parsed transcript, or raise a WeiQualError."""
    try:
        with transaction(db):
            unchanged = unchanged_outcome(db, t)  # checked again under the write lock
            if unchanged is not None:
                return unchanged
            existing = st.get_transcript_row(db, t.id)
            if existing is None:
                st.save_transcript(db, t)
                write_audit(db, action="ingest", entity="transcript", entity_id=t.id, after=_summary(t))
                status, message = ADDED, ""
            else:
                decisions = iter_decisions(db, transcript_id=t.id)
                if decisions and not replace:
                    raise TranscriptError(
                        f'"{t.source}": transcript "{t.id}" is already in the project with different content '
                        f"and {len(decisions)} coding decision{'s' if len(decisions) != 1 else ''}. "
                        f"Pass --replace to replace it (the dropped decisions are kept in the audit log)."
                    )
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
                        }
                        for d in decisions
                    ],
                }
                # Case variables survive a content update unless the new file sets them itself.
                attributes = {**st.get_transcript_attributes(db, t.id), **t.attributes}
                st.delete_transcript(db, t.id)
                st.save_transcript(db, dataclasses.replace(t, attributes=attributes))
                write_audit(
                    db,
                    action="replace",
                    entity="transcript",
                    entity_id=t.id,
                    before=before,
                    after=_summary(t),
                )
                status = REPLACED
                n = len(decisions)
                message = f'replaced the earlier version of transcript "{t.id}"' + (
                    f" and dropped {n} coding decision{'s' if n != 1 else ''} (kept in the audit log)"
                    if n
                    else ""
                )
            if pii_findings:
                counts = dict(sorted(Counter(f.category for f in pii_findings).items()))
                write_audit(db, action="allow_pii", entity="transcript", entity_id=t.id, after=counts)
    except sqlite3.DatabaseError as ex:
        raise StoreError(f'"{t.source}" could not be stored ({ex}). Try again; nothing was written.') from ex
    return FileOutcome(t.source, status, t.id, len(t.segments), t.words, message)


def apply_attributes(db: Database, rows: list[AttributeRow], *, csv_name: str) -> tuple[int, list[str]]:
    """Set CSV attributes on transcripts in the project; return (transcripts changed, warnings)."""
    known = st.transcript_ids(db)
    warnings: list[str] = []
    changed_count = 0
    with transaction(db):
        for row in rows:
            if row.transcript_id not in known:
                warnings.append(
                    f'"{csv_name}", line {row.line}: id "{row.transcript_id}" matches no transcript in the '
                    f"project. Check the id, or ingest that transcript first."
                )
                continue
            current = st.get_transcript_attributes(db, row.transcript_id)
            changed = {k: v for k, v in row.values.items() if current.get(k) != v}
            if not changed:
                continue
            st.save_attributes(db, row.transcript_id, changed)
            write_audit(
                db,
                action="set_attributes",
                entity="transcript",
                entity_id=row.transcript_id,
                before={k: current.get(k) for k in changed},
                after=changed,
            )
            changed_count += 1
    return changed_count, warnings
