"""Transcripts, their segments and participant attributes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import (
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    Segment,
    Speaker,
    Transcript,
    TranscriptWarning,
    count_words,
    id_key,
    in_study_order,
    study_order,
)
from . import get_setting, now_utc, save_setting

INTERVIEWER_NAMES_SETTING = "interviewer_names"  # JSON list: interviewers set with `transcripts roles`


INSERT_TRANSCRIPT = (
    "INSERT INTO transcripts (id, source, format, sha256, text, ingested_utc, roles, roles_reason, warnings, "
    "kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_SEGMENT = (
    "INSERT INTO segments (transcript_id, n, speaker, role, text, start_char, end_char, start_time, end_time, "
    "label, page, end_page, page_spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def transcript_row(t: Transcript, ingested_utc: str) -> tuple:
    """The INSERT_TRANSCRIPT values of one transcript."""
    return (t.id, t.source, t.format, t.sha256, t.text, ingested_utc, t.roles, t.roles_reason,
            warnings_json(t.warnings), t.kind)  # fmt: skip


def segment_rows(t: Transcript) -> list[tuple]:
    """The INSERT_SEGMENT values of a transcript's segments."""
    return [
        (
            t.id,
            s.n,
            s.speaker,
            s.role,
            s.text,
            s.start_char,
            s.end_char,
            s.start_time,
            s.end_time,
            s.label,
            s.page,
            s.end_page,
            json.dumps([list(p) for p in s.page_spans]) if s.page_spans else None,
        )
        for s in t.segments
    ]


def save_transcript(db: Database, transcript: Transcript) -> None:
    """Insert a transcript with its segments and attributes. Call inside a transaction."""
    # Plain INSERTs (not sqlite-utils' insert_all): a study's 20,000 segments in one executemany.
    db.execute(INSERT_TRANSCRIPT, transcript_row(transcript, now_utc()))
    db.executemany(INSERT_SEGMENT, segment_rows(transcript))
    save_attributes(db, transcript.id, transcript.attributes)
    save_speakers(db, transcript.id, transcript.speakers)


def warnings_json(warnings) -> str:
    return json.dumps([{"kind": w.kind, "message": w.message} for w in warnings], ensure_ascii=False)


def _warnings(text: str | None) -> list[TranscriptWarning]:
    return [TranscriptWarning(w["kind"], w["message"]) for w in json.loads(text or "[]")]


def save_speakers(db: Database, transcript_id: str, speakers) -> None:
    """Replace the speaker rows of one transcript (label, role, reason, given). Call inside a transaction."""
    db.execute("DELETE FROM speakers WHERE transcript_id = ?", [transcript_id])
    db.executemany(
        "INSERT INTO speakers (transcript_id, label, role, reason, given) VALUES (?, ?, ?, ?, ?)",
        [(transcript_id, s.label, s.role, s.reason, int(s.given)) for s in speakers],
    )


def iter_speakers(db: Database, transcript_id: str) -> list[Speaker]:
    """The speakers of one transcript in order of first turn, with turn and word counts from the segments."""
    counts = {
        r["speaker"]: r
        for r in db.query(
            "SELECT speaker, COUNT(*) AS turns, MIN(n) AS first FROM segments "
            "WHERE transcript_id = ? AND speaker IS NOT NULL GROUP BY speaker",
            [transcript_id],
        )
    }
    words: dict[str, int] = {}
    for r in db.query(
        "SELECT speaker, text FROM segments WHERE transcript_id = ? AND speaker IS NOT NULL", [transcript_id]
    ):
        words[r["speaker"]] = words.get(r["speaker"], 0) + count_words(r["text"])
    rows = list(
        db.query("SELECT label, role, reason, given FROM speakers WHERE transcript_id = ?", [transcript_id])
    )
    rows.sort(key=lambda r: counts[r["label"]]["first"] if r["label"] in counts else 1 << 30)
    return [
        Speaker(
            r["label"],
            r["role"],
            r["reason"],
            counts[r["label"]]["turns"] if r["label"] in counts else 0,
            words.get(r["label"], 0),
            given=bool(r["given"]),
        )
        for r in rows
    ]


def get_roles(db: Database, transcript_id: str) -> tuple[str, str, list[TranscriptWarning]]:
    """(roles status, reason, warnings) of one transcript."""
    row = db.execute(
        "SELECT roles, roles_reason, warnings FROM transcripts WHERE id = ?", [transcript_id]
    ).fetchone()
    return row[0], row[1] or "", _warnings(row[2])


def save_roles(db: Database, transcript_id: str, *, status: str, reason: str, warnings) -> None:
    """Set a transcript's roles status, its reason and its warnings. Call inside a transaction."""
    db.execute(
        "UPDATE transcripts SET roles = ?, roles_reason = ?, warnings = ? WHERE id = ?",
        [status, reason, warnings_json(warnings), transcript_id],
    )


def set_segment_roles(db: Database, transcript_id: str, roles: dict[int, str]) -> None:
    """Set the role of segments (segment number -> role). Call inside a transaction."""
    for n, role in roles.items():
        db.execute("UPDATE segments SET role = ? WHERE transcript_id = ? AND n = ?", [role, transcript_id, n])


def set_segment_speakers(db: Database, transcript_id: str, speakers: dict[int, tuple[str, str]]) -> None:
    """Set the speaker and role of segments (segment number -> (speaker, role)). Call inside a transaction."""
    db.conn.executemany(
        "UPDATE segments SET speaker = ?, role = ? WHERE transcript_id = ? AND n = ?",
        [(speaker, role, transcript_id, n) for n, (speaker, role) in speakers.items()],
    )


def has_transcript(db: Database, transcript_id: str) -> bool:
    return db.execute("SELECT 1 FROM transcripts WHERE id = ?", [transcript_id]).fetchone() is not None


def get_interviewer_names(db: Database) -> list[str]:
    """Interviewer names the project remembers (set with `transcripts roles --interviewer`)."""
    raw = get_setting(db, INTERVIEWER_NAMES_SETTING)
    try:
        names = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        names = []
    return [n for n in names if isinstance(n, str)]


def save_interviewer_names(db: Database, names: list[str]) -> None:
    save_setting(db, INTERVIEWER_NAMES_SETTING, json.dumps(names, ensure_ascii=False))


def save_speaker_attributes(
    db: Database, transcript_id: str, speaker: str, attributes: dict[str, str]
) -> None:
    """Set (insert or overwrite) attributes of one speaker in one transcript."""
    for name, value in attributes.items():
        db.execute(
            "INSERT INTO speaker_attributes (transcript_id, speaker, name, value) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (transcript_id, speaker, name) DO UPDATE SET value = excluded.value",
            [transcript_id, speaker, name, None if value is None else str(value)],
        )


def get_speaker_attributes(
    db: Database, transcript_id: str | None = None
) -> dict[tuple[str, str], dict[str, str]]:
    """Speaker attributes: {(transcript_id, speaker): {name: value}}."""
    where, params = ("transcript_id = ?", [transcript_id]) if transcript_id is not None else ("1", [])
    result: dict[tuple[str, str], dict[str, str]] = {}
    for row in db.query(
        f"SELECT transcript_id, speaker, name, value FROM speaker_attributes WHERE {where} "
        "ORDER BY transcript_id, speaker, name",
        params,
    ):
        result.setdefault((row["transcript_id"], row["speaker"]), {})[row["name"]] = row["value"]
    return result


def save_attributes(db: Database, transcript_id: str, attributes: dict[str, str]) -> None:
    """Set (insert or overwrite) attributes of one transcript."""
    for name, value in attributes.items():
        db.execute(
            "INSERT INTO attributes (transcript_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (transcript_id, name) DO UPDATE SET value = excluded.value",
            [transcript_id, name, None if value is None else str(value)],
        )


def delete_transcript(db: Database, transcript_id: str) -> None:
    """Remove a transcript and everything hanging off it. Call inside a transaction."""
    seg_ids = "SELECT id FROM segments WHERE transcript_id = ?"
    db.execute(f"DELETE FROM decisions WHERE segment_id IN ({seg_ids})", [transcript_id])
    db.execute(f"DELETE FROM suggestions WHERE segment_id IN ({seg_ids})", [transcript_id])
    db.execute(
        "DELETE FROM memos WHERE target_type = 'segment' AND target_id IN "
        "(SELECT transcript_id || ':' || n FROM segments WHERE transcript_id = ?)",
        [transcript_id],
    )
    db.execute("DELETE FROM memos WHERE target_type = 'transcript' AND target_id = ?", [transcript_id])
    db.execute("DELETE FROM segments WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM attributes WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM speakers WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM speaker_attributes WHERE transcript_id = ?", [transcript_id])
    db.execute("DELETE FROM transcripts WHERE id = ?", [transcript_id])


def iter_segment_memos(db: Database, transcript_id: str) -> list[dict]:
    """The memos on a transcript's segments, in segment order: what replacing the transcript drops."""
    return list(
        db.query(
            "SELECT s.n AS segment, m.coder_id AS coder, m.text, m.created_utc, m.updated_utc FROM memos m "
            "JOIN segments s ON m.target_type = 'segment' AND m.target_id = s.transcript_id || ':' || s.n "
            "WHERE s.transcript_id = ? ORDER BY s.n, m.coder_id",
            [transcript_id],
        )
    )


def replace_transcript(db: Database, transcript: Transcript) -> None:
    """Store a new version of a transcript in place of the old one: everything hanging off the old one
    goes (the caller audits it), but whom it is assigned to and the memos on the whole transcript stay.
    Call inside a transaction."""
    # An assignment names the transcript (a foreign key): kept aside while the old version goes.
    assigned = list(db.query("SELECT * FROM assignments WHERE transcript_id = ?", [transcript.id]))
    db.execute("DELETE FROM assignments WHERE transcript_id = ?", [transcript.id])
    # A memo on the interview is about the interview, not about its segment numbers, which a new
    # version may change: it stays (segment memos go with the decisions, kept in the audit log).
    memos = list(
        db.query("SELECT * FROM memos WHERE target_type = 'transcript' AND target_id = ?", [transcript.id])
    )
    delete_transcript(db, transcript.id)
    save_transcript(db, transcript)
    if assigned:
        db.table("assignments").insert_all(assigned)
    if memos:
        db.table("memos").insert_all(memos)


def get_transcript_row(db: Database, transcript_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM transcripts WHERE id = ?", [transcript_id]))
    return rows[0] if rows else None


def get_transcript_by_sha(db: Database, sha256: str) -> dict | None:
    rows = list(db.query("SELECT * FROM transcripts WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def iter_transcript_rows(db: Database) -> list[dict]:
    """Every transcript with segment and word counts, in study order (no text)."""
    return sorted(
        db.query(
            """
            SELECT t.id, t.kind, t.source, t.format, t.sha256, t.ingested_utc, t.roles, t.warnings,
                   COUNT(s.id) AS segments,
                   COALESCE(SUM(s.role = 'participant'), 0) AS participant_segments,
                   COUNT(DISTINCT CASE WHEN s.role = 'participant' THEN COALESCE(s.speaker, '') END)
                       AS participants,
                   COUNT(DISTINCT CASE WHEN s.role = 'other' THEN COALESCE(s.speaker, '') END)
                       AS other_speakers
            FROM transcripts t LEFT JOIN segments s ON s.transcript_id = t.id
            GROUP BY t.id
            """
        ),
        key=lambda row: study_order(row["id"]),  # P2 before P10, as every listing
    )


def get_attributes(db: Database) -> dict[str, dict[str, str]]:
    """Attributes of every transcript: {transcript_id: {name: value}} (transcripts without any included)."""
    ids = sorted((r[0] for r in db.execute("SELECT id FROM transcripts").fetchall()), key=study_order)
    result: dict[str, dict[str, str]] = {t: {} for t in ids}  # in study order, as every listing
    for row in db.query("SELECT transcript_id, name, value FROM attributes ORDER BY transcript_id, name"):
        result.setdefault(row["transcript_id"], {})[row["name"]] = row["value"]
    return result


def iter_segments(
    db: Database,
    *,
    transcript_id: str | None = None,
    role: str | None = None,
    roles: Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
) -> list[dict]:
    """Segment rows (with `id`, `transcript_id`, `n`, ...) in transcript then segment order; `role` or
    `roles` keep only segments with that role or one of those roles (models.unit_roles); `columns`, only
    those columns and `transcript_id` (suggest reads the ids and texts of a study's segments)."""
    clauses, params = [], []
    if transcript_id is not None:
        clauses.append("transcript_id = ?")
        params.append(transcript_id)
    if role is not None:
        clauses.append("role = ?")
        params.append(role)
    if roles is not None:
        wanted = list(roles)
        clauses.append(f"role IN ({', '.join('?' for _ in wanted)})" if wanted else "0")
        params.extend(wanted)
    where = " AND ".join(clauses) or "1"
    selected = "*" if columns is None else ", ".join(dict.fromkeys(["transcript_id", *columns]))
    return in_study_order(
        list(db.query(f"SELECT {selected} FROM segments WHERE {where} ORDER BY transcript_id, n", params)),
        "transcript_id",
    )


def iter_unit_segments(
    db: Database, *, roles: Iterable[str], texts: bool = True
) -> list[tuple[str, int, str | None, str, str, str | None, int | None, int | None]]:
    """(transcript_id, n, speaker, role, text, label, page, end_page) of the segments with one of these roles, in
    transcript then segment order: plain tuples for agreement's units (a study has tens of thousands).
    texts=False: every text is "" (a caller that never shows them need not hold a study's text)."""
    wanted = list(roles)
    where = f"role IN ({', '.join('?' for _ in wanted)})" if wanted else "0"
    text = "text" if texts else "''"
    return in_study_order(
        db.execute(
            f"SELECT transcript_id, n, speaker, role, {text}, label, page, end_page FROM segments WHERE {where} "
            "ORDER BY transcript_id, n",
            wanted,
        ).fetchall()
    )


def iter_transcript_segments(
    db: Database, transcript_ids: list[str] | None = None
) -> dict[str, list[Segment]]:
    """Every transcript's segments (or those of `transcript_ids`), in transcript then segment order: one
    query of plain tuples (the coding session's start-up reads a whole study's 36,000 turns)."""
    by_transcript: dict[str, list[Segment]] = {}
    where, params = "", []
    if transcript_ids is not None and len(set(transcript_ids)) <= 500:  # more: read all, filter below
        wanted = sorted(set(transcript_ids))
        where, params = f"WHERE transcript_id IN ({', '.join('?' * len(wanted))})", wanted
    rows = db.execute(
        "SELECT transcript_id, n, speaker, role, text, start_char, end_char, start_time, end_time, label, page, "
        f"end_page FROM segments {where} ORDER BY transcript_id, n",
        params,
    ).fetchall()
    keep = set(transcript_ids) if transcript_ids is not None else None
    for transcript_id, *fields in rows:
        if keep is not None and transcript_id not in keep:
            continue
        segments = by_transcript.get(transcript_id)
        if segments is None:
            segments = by_transcript[transcript_id] = []
        segments.append(Segment(*fields))
    return {t: by_transcript[t] for t in sorted(by_transcript, key=study_order)}


def segments_with_role(db: Database, role: str) -> set[tuple[str, int]]:
    """(transcript, n) of every segment with this role (e.g. OTHER, which a project holds few of)."""
    return {(t, n) for t, n in db.execute("SELECT transcript_id, n FROM segments WHERE role = ?", [role])}


def segment_roles(db: Database, transcript_ids: Iterable[str]) -> dict[str, dict[int, str]]:
    """{transcript: {n: role}} of every segment of these transcripts (each id a key, even with no segment)."""
    out: dict[str, dict[int, str]] = {t: {} for t in transcript_ids}
    ids = sorted(out)
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        for t, n, role in db.execute(
            f"SELECT transcript_id, n, role FROM segments WHERE transcript_id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            out[t][n] = role
    return out


def iter_segment_outline(
    db: Database, transcript_ids: list[str] | None = None
) -> dict[str, tuple[list[int], set[int], set[int]]]:
    """Each transcript's segment numbers in order, the numbers of its interviewer turns and those of the
    turns no session walks (models.walked: other speakers', a voice heard once left to review), without any
    text: what a coding session needs to build its queue (a transcript's text is read when it is first
    shown). One aggregate row per transcript: 36,000 rows as Python tuples took most of the start-up."""
    where, params = "", []
    if transcript_ids is not None and len(set(transcript_ids)) <= 500:  # more: read all, filter below
        wanted = sorted(set(transcript_ids))
        where, params = f"WHERE transcript_id IN ({', '.join('?' * len(wanted))})", wanted
    keep = set(transcript_ids) if transcript_ids is not None else None
    outline: dict[str, tuple[list[int], set[int], set[int]]] = {}
    for transcript_id, numbers, interviewer, others in db.execute(
        "SELECT transcript_id, group_concat(n), group_concat(CASE WHEN role = ? THEN n END), "
        # the turns no session walks (models.walked): other speakers', and a voice heard once left to review
        "group_concat(CASE WHEN role = ? OR (role = ? AND speaker IS NOT NULL) THEN n END) "
        f"FROM segments {where} GROUP BY transcript_id ORDER BY transcript_id",
        [INTERVIEWER, OTHER, REVIEW, *params],
    ):
        if keep is None or transcript_id in keep:
            outline[transcript_id] = (
                sorted(map(int, numbers.split(","))),
                set(map(int, interviewer.split(","))) if interviewer else set(),
                set(map(int, others.split(","))) if others else set(),
            )
    return outline


def segment_from_row(row: dict) -> Segment:
    return Segment(
        n=row["n"],
        speaker=row["speaker"],
        role=row["role"],
        text=row["text"],
        start_char=row["start_char"],
        end_char=row["end_char"],
        start_time=row["start_time"],
        end_time=row["end_time"],
        label=row.get("label"),
        page=row.get("page"),
        end_page=row.get("end_page"),
    )


def get_segment_id(db: Database, transcript_id: str, n: int) -> int | None:
    rows = list(db.query("SELECT id FROM segments WHERE transcript_id = ? AND n = ?", [transcript_id, n]))
    return rows[0]["id"] if rows else None


# --- Added for ingest and `transcripts list/show` ---


def transcript_ids(db: Database) -> set[str]:
    return {r["id"] for r in db.query("SELECT id FROM transcripts")}


def get_transcript_attributes(db: Database, transcript_id: str) -> dict[str, str]:
    """Attributes of one transcript, {name: value}."""
    return {
        r["name"]: r["value"]
        for r in db.query(
            "SELECT name, value FROM attributes WHERE transcript_id = ? ORDER BY name", [transcript_id]
        )
    }


def attribute_names(db: Database) -> list[str]:
    """Every attribute name the project's transcripts and speakers have, sorted."""
    return [
        r[0]
        for r in db.execute(
            "SELECT name FROM attributes UNION SELECT name FROM speaker_attributes ORDER BY 1"
        ).fetchall()
    ]


def count_segments(db: Database, transcript_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM segments WHERE transcript_id = ?", [transcript_id]).fetchone()[0]


def iter_transcript_summaries(db: Database) -> list[dict]:
    """Every transcript as {id, kind, source, format, sha256, segments, participant_segments, participants,
    other_speakers, words, roles, warnings, attributes, speaker_attributes}.

    Words are whitespace-separated tokens of the stored text, which equals the sum over its segments.
    Participants are the distinct participant speakers (a speakerless transcript has one); other_speakers
    those set as `other` (neither interviewer nor participant: `transcripts roles --other`).
    """
    attributes = get_attributes(db)
    by_speaker: dict[str, dict[str, dict[str, str]]] = {}
    for (tid, speaker), values in get_speaker_attributes(db).items():
        by_speaker.setdefault(tid, {})[speaker] = values
    words = {r["id"]: count_words(r["text"] or "") for r in db.query("SELECT id, text FROM transcripts")}
    return [
        {
            "id": row["id"],
            "kind": row["kind"],
            "source": row["source"],
            "format": row["format"],
            "sha256": row["sha256"],
            "segments": row["segments"],
            "participant_segments": row["participant_segments"],
            "participants": row["participants"],
            "other_speakers": row["other_speakers"],
            "words": words.get(row["id"], 0),
            "roles": row["roles"],
            "warnings": json.loads(row["warnings"] or "[]"),
            "attributes": attributes.get(row["id"], {}),
            "speaker_attributes": by_speaker.get(row["id"], {}),
        }
        for row in iter_transcript_rows(db)
    ]


def get_transcript_detail(db: Database, transcript_id: str) -> dict | None:
    """One transcript as {id, kind, roles, roles_reason, speakers, warnings, attributes, speaker_attributes,
    segments: [{n, speaker, role, text, start_char, end_char, start_time, end_time, label, page, end_page}]} (the
    `transcripts show --format json` contract), or None if absent. The id as typed is matched as
    resolve_transcript_id matches it; `id` is the project's."""
    transcript_id = resolve_transcript_id(db, transcript_id) or transcript_id
    row = get_transcript_row(db, transcript_id)
    if row is None:
        return None
    keys = ("n", "speaker", "role", "text", "start_char", "end_char", "start_time", "end_time")
    keys += ("label", "page", "end_page")
    status, reason, warnings = get_roles(db, transcript_id)
    return {
        "id": transcript_id,
        "kind": row["kind"],
        "roles": status,
        "roles_reason": reason,
        "speakers": [
            {
                "label": s.label,
                "role": s.role,
                "reason": s.reason,
                "given": s.given,
                "turns": s.turns,
                "words": s.words,
            }
            for s in iter_speakers(db, transcript_id)
        ],
        "warnings": [{"kind": w.kind, "message": w.message} for w in warnings],
        "attributes": get_transcript_attributes(db, transcript_id),
        "speaker_attributes": {
            speaker: values for (_, speaker), values in get_speaker_attributes(db, transcript_id).items()
        },
        "segments": [{k: row[k] for k in keys} for row in iter_segments(db, transcript_id=transcript_id)],
    }


def iter_participant_segment_tuples(
    db: Database, roles: Iterable[str] = (PARTICIPANT,)
) -> list[tuple[int, str, int, str | None, str]]:
    """(id, transcript, n, speaker, text) of every participant segment (or every segment with one of
    `roles`: models.unit_roles), in transcript order.

    Plain tuples, unlike iter_segments, which builds a dict of every column per row: the reports read
    every segment of the study. Not kept for a second read (Database.remembered): the study's whole text
    kept to the end of `report methods` raised its peak at 10x over 1 GiB."""
    wanted = list(roles)
    if wanted == [PARTICIPANT]:  # the usual case: the (role) lookup the index-free plan has always used
        rows = db.execute(
            "SELECT id, transcript_id, n, speaker, text FROM segments WHERE role = ? ORDER BY transcript_id, n",
            [PARTICIPANT],
        ).fetchall()
    else:
        marks = ", ".join("?" for _ in wanted)
        rows = db.execute(
            f"SELECT id, transcript_id, n, speaker, text FROM segments WHERE role IN ({marks}) "
            "ORDER BY transcript_id, n",
            wanted,
        ).fetchall()
    return in_study_order(rows, 1)


def iter_segment_places(
    db: Database, *, turns: bool = True
) -> dict[tuple[str, int], tuple[str | None, int | None, int | None]]:
    """{(transcript id, segment number): (section label, page, end page)} of every document segment and,
    with `turns`, of every turn that has a page (a PDF transcript's, a laid-out Word one's); end page None
    in a project made before segments kept it."""
    where = "t.kind = 'document'" + (" OR s.page IS NOT NULL" if turns else "")
    return {
        (r[0], r[1]): (r[2], r[3], r[4])
        for r in db.execute(
            "SELECT s.transcript_id, s.n, s.label, s.page, s.end_page FROM segments s "
            f"JOIN transcripts t ON t.id = s.transcript_id WHERE {where}"
        ).fetchall()
    }


def iter_segment_times(db: Database) -> dict[tuple[str, int], tuple[float, float | None]]:
    """{(transcript id, segment number): (start, end) seconds} of every turn whose file timed it (a VTT,
    an SRT, an Otter or Teams export), to cite it by."""
    return {
        (t, n): (start, end)
        for t, n, start, end in db.execute(
            "SELECT transcript_id, n, start_time, end_time FROM segments WHERE start_time IS NOT NULL"
        ).fetchall()
    }


def iter_document_page_spans(
    db: Database, transcripts: Collection[str] | None = None
) -> dict[tuple[str, int], tuple[tuple[int, int, int, int], ...]]:
    """{(document id, segment number): the stretches of its text on each page} of the document segments that
    run over more than one page and keep them (models.Segment.page_spans). `transcripts`: of these only."""
    out = {}
    ids = sorted(transcripts) if transcripts is not None else []
    only = f" AND transcript_id IN ({', '.join('?' for _ in ids)})" if transcripts is not None else ""
    for t, n, spans in db.execute(
        f"SELECT transcript_id, n, page_spans FROM segments WHERE page_spans IS NOT NULL{only}", ids
    ):
        read = _page_spans(spans)
        if read is not None:
            out[(t, n)] = read
    return out


def iter_segment_pages(
    db: Database,
) -> dict[tuple[str, int], tuple[int, int | None, tuple[tuple[int, int, int, int], ...] | None]]:
    """{(transcript id, segment number): (page, end page, the stretches of its text on each page)} of every
    segment that has a page (a PDF transcript's turn, a laid-out Word one's, a document's), to cite it
    by; the stretches None on one page (models.excerpt_pages then cites the segment's own pages)."""
    return {
        (t, n): (page, end_page, _page_spans(spans) if spans is not None else None)
        for t, n, page, end_page, spans in db.execute(
            "SELECT transcript_id, n, page, end_page, page_spans FROM segments WHERE page IS NOT NULL"
        )
    }


def _page_spans(stored: str) -> tuple[tuple[int, int, int, int], ...] | None:
    """A segment's page_spans column read back; None when it is not as wei-qual writes it (the segment's
    own pages are cited then)."""
    try:
        return tuple(tuple(int(x) for x in piece[:4]) for piece in json.loads(stored))
    except (TypeError, ValueError):
        return None


def transcript_ingest_times(db: Database) -> dict[str, str]:
    """{transcript id: when it was ingested (UTC ISO text, "" when unknown)}: iter_transcript_rows without
    counting every segment."""
    return {r[0]: r[1] or "" for r in db.execute("SELECT id, ingested_utc FROM transcripts").fetchall()}


def as_known_ids(given: Iterable[str], known: Collection[str]) -> list[str]:
    """Each given transcript id as the project spells it: itself when known, else the one known id equal
    to it ignoring case and how accents are written (`p02` for `P02`, models.id_key); an id matching none
    (or several) is kept as given, for the caller's "unknown transcript" message (see unknown_transcript)."""
    folded: dict[str, list[str]] = {}
    for k in known:
        folded.setdefault(id_key(k), []).append(k)
    out = []
    for t in given:
        same = folded.get(id_key(t), [])
        out.append(t if t in known or len(same) != 1 else same[0])
    return out


# An id as a spreadsheet writes a number it read: 7 for "007", 7.0 from a column of decimals.
_AS_NUMBER = re.compile(r"0*([0-9]{1,20})(?:\.0*)?")
LEADING_ZEROS = (
    "a spreadsheet drops the leading zeros of an id it takes for a number. Write the id as the file names it "
    '(format the column as "Text").'
)


def by_number(known: Iterable[str]) -> Callable[[str], str | None]:
    """A function from an id a spreadsheet may have made a number of ("7", "7.0") to the one known id
    that is that number written with leading zeros ("007"), else None: for the "unknown transcript"
    message (LEADING_ZEROS), never to match it, since 7 may well be another file."""
    numbered: dict[int, list[str]] = {}
    for k in known:
        if k.isdecimal() and k.isascii():
            numbered.setdefault(int(k), []).append(k)

    def find(given: str) -> str | None:
        found = _AS_NUMBER.fullmatch(given) if numbered else None
        same = numbered.get(int(found[1]), []) if found else []
        return same[0] if len(same) == 1 and same[0] != given else None

    return find


def resolve_transcript_id(db: Database, given: str) -> str | None:
    """A transcript id typed by a user as the project spells it (as_known_ids: `p02` for `P02`, a keyboard's
    "ñ" for a Mac's decomposed one), or None when no transcript (or more than one) has it."""
    if db.execute("SELECT 1 FROM transcripts WHERE id = ?", [given]).fetchone():
        return given
    known = transcript_ids(db)
    (found,) = as_known_ids([given], known)
    return found if found in known else None


def unknown_transcript(given: str, known: Iterable[str], option: str = "--transcript") -> str:
    """The message for an unknown transcript id, naming the closest known one."""
    import difflib

    close = difflib.get_close_matches(given, list(known), n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f'Unknown transcript "{given}" given with {option}{hint}. See the ids with "wei-qual transcripts list".'


def transcript_kinds(db: Database) -> dict[str, str]:
    """{transcript id: kind} of every transcript (interview or document)."""
    return {r[0]: r[1] for r in db.execute("SELECT id, kind FROM transcripts").fetchall()}


def transcript_ids_by_sha256(db: Database) -> dict[str, str]:
    """{sha256: transcript id} of every transcript in the project."""
    return {r["sha256"]: r["id"] for r in db.query("SELECT id, sha256 FROM transcripts")}


def iter_segment_tuples(db: Database) -> list[tuple[str, int, str | None, str, str]]:
    """(transcript, n, speaker, role, text) of every segment, in transcript order: the lean read of
    retrieve, which shows the turns around each coded segment."""
    return in_study_order(
        db.execute(
            "SELECT transcript_id, n, speaker, role, text FROM segments ORDER BY transcript_id, n"
        ).fetchall()
    )


def iter_segment_texts(db: Database) -> dict[tuple[str, int], str]:
    """(transcript, n) -> text of every segment: excerpts are checked against it."""
    return {
        (t, n): text for t, n, text in db.execute("SELECT transcript_id, n, text FROM segments").fetchall()
    }


def iter_transcript_segment_tuples(db: Database, transcript_ids: list[str]) -> list[tuple]:
    """(transcript, n, speaker, role, text) of every segment of these transcripts, in transcript order."""
    out: list[tuple] = []
    ids = sorted(set(transcript_ids))
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        out += db.execute(
            "SELECT transcript_id, n, speaker, role, text FROM segments "
            f"WHERE transcript_id IN ({', '.join('?' for _ in chunk)}) ORDER BY transcript_id, n",
            chunk,
        ).fetchall()
    return in_study_order(out)
