"""Copy a coder's share of a project into a packet file, read a packet back defensively, and keep the
per-packet sync records that merge judges edits by.

A packet is an ordinary wei-qual project file with three settings that tie it to its origin:
packet_of (the lead project's project_id), packet_coder and packet_created_utc. Packets come back from
laptops and by e-mail, so read_packet trusts nothing in them: it opens the file read-only with SQLite's
defensive settings, checks that the schema is exactly the one wei-qual writes before reading a row, and
checks the type of every value it reads.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..controls import LINE_BREAKS, escape_breaks
from ..errors import StoreError
from ..safeio import require_file
from . import get_setting, now_utc, save_setting, transaction
from .assignments import iter_assignments
from .learned_models import get_learned_model, learned_from_others
from .suggestions import rules_engine

SESSION_OPEN = "session_open_utc"  # set while a coding session has the packet open


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    return list(db.query(sql, list(params)))


def copy_packet(source: Database, target: Database, *, coder: str, transcript_ids: list[str]) -> dict:
    """Copy transcripts, the active codebook, suggestions and `coder`'s own work into `target`.

    Nothing of any other coder is copied (decisions, notes, memos), so coding stays blind. Call inside a
    transaction on target. Returns counts and, under "synced", (transcript, n, coder, revision) of every
    decision copied, for record_syncs.
    """
    marks = ", ".join("?" for _ in transcript_ids)
    for row in _rows(source, f"SELECT * FROM transcripts WHERE id IN ({marks})", transcript_ids):
        target.table("transcripts").insert(row)
    for row in _rows(
        source,
        f"SELECT transcript_id, name, value FROM attributes WHERE transcript_id IN ({marks})",
        transcript_ids,
    ):
        target.table("attributes").insert(row)
    # The speakers, their roles and a pair interview's speakers' own attributes: the session shows them.
    for table, columns in (
        ("speakers", "transcript_id, label, role, reason, given"),
        ("speaker_attributes", "transcript_id, speaker, name, value"),
    ):
        for row in _rows(
            source, f"SELECT {columns} FROM {table} WHERE transcript_id IN ({marks})", transcript_ids
        ):
            target.table(table).insert(row)
    segment_map: dict[int, int] = {}
    segment_key: dict[int, tuple[str, int]] = {}
    for row in _rows(
        source, f"SELECT * FROM segments WHERE transcript_id IN ({marks}) ORDER BY id", transcript_ids
    ):
        old_id = row.pop("id")
        segment_map[old_id] = target.table("segments").insert(row).last_pk
        segment_key[old_id] = (row["transcript_id"], row["n"])

    active = _rows(source, "SELECT * FROM codebooks WHERE active = 1")
    for row in active:
        target.table("codebooks").insert(row)  # same id, so decisions keep their codebook version
        for code in _rows(source, "SELECT * FROM codes WHERE codebook_id = ?", [row["id"]]):
            code.pop("id")
            target.table("codes").insert(code)

    target.table("coders").insert_all(_rows(source, "SELECT * FROM coders WHERE id = ?", [coder]))
    counts: dict[str, Any] = {
        "transcripts": len(transcript_ids),
        "segments": len(segment_map),
        "suggestions": 0,
        "decisions": 0,
        "synced": [],
    }
    seg_marks = ", ".join("?" for _ in segment_map) or "NULL"
    seg_ids = list(segment_map)
    if active:
        rows = _rows(
            source,
            # In the order stored: the engine that ran last is the one whose row is newest.
            f"SELECT * FROM suggestions WHERE codebook_id = ? AND segment_id IN ({seg_marks}) ORDER BY id",
            [active[0]["id"], *seg_ids],
        )
        for row in _blind_suggestions(source, rows, coder, segment_key):
            row.pop("id", None)
            row["segment_id"] = segment_map[row["segment_id"]]
            target.table("suggestions").insert(row)
            counts["suggestions"] += 1
    for row in _rows(
        source,
        f"SELECT * FROM decisions WHERE coder_id = ? AND segment_id IN ({seg_marks})",
        [coder, *seg_ids],
    ):
        row.pop("id")
        counts["synced"].append((*segment_key[row["segment_id"]], coder, row["revision"]))
        row["segment_id"] = segment_map[row["segment_id"]]
        if not active or row["codebook_id"] != active[0]["id"]:
            row["codebook_id"] = None  # that version is not in the packet
        target.table("decisions").insert(row)
        counts["decisions"] += 1
    counts["memos_synced"] = []
    for row in _rows(source, "SELECT * FROM memos WHERE coder_id = ?", [coder]):
        if _memo_transcript(row) in transcript_ids or row["target_type"] == "code":
            row.pop("id")
            target.table("memos").insert(row)
            sha = text_sha256(row["text"])
            counts["memos_synced"].append((row["target_type"], row["target_id"], sha, sha))
    for row in iter_assignments(source, coder=coder):
        target.table("assignments").insert({**row, "assigned_utc": now_utc()})
    save_setting(target, "packet_of", get_setting(source, "project_id"))
    save_setting(target, "packet_coder", coder)
    save_setting(target, "packet_created_utc", now_utc())
    return counts


def _blind_suggestions(db: Database, rows: list[dict], coder: str, segment_key: dict) -> list[dict]:
    """Suggestion rows without a learned model's where it learned another coder's decisions (as the coding
    session leaves them out): there "both" gets the rules' own suggestions of the segment instead. No row
    names its model, which stays in the lead's project."""
    hidden: dict[int, frozenset | None] = {}
    for model_id in {r["model_id"] for r in rows if r.get("model_id") is not None}:
        model = get_learned_model(db, model_id)
        hidden[model_id] = learned_from_others(model, coder) if model is not None else None

    def blinded(row: dict) -> bool:
        if row.get("model_id") is None:
            return False
        found = hidden[row["model_id"]]
        return found is None or segment_key[row["segment_id"]] in found

    # A packet carries no model (its weights are megabytes): its rows name none.
    kept = [{**r, "model_id": None} for r in rows if not blinded(r)]
    rules = rules_engine(db, rows[0]["codebook_id"]) if rows else None
    replaced = {r["segment_id"]: r["created_utc"] for r in rows if r["engine"] == "both" and blinded(r)}
    kept += [
        {**r, "engine": "both", "model_id": None, "created_utc": replaced[r["segment_id"]]}
        for r in rows
        if r["segment_id"] in replaced and r["engine"] == rules
    ]
    return kept


def _memo_transcript(memo: dict) -> str:
    """The transcript a memo belongs to ("p01:12" -> "p01"), or "" for code memos."""
    if memo["target_type"] == "transcript":
        return memo["target_id"]
    if memo["target_type"] == "segment":
        return memo["target_id"].rsplit(":", 1)[0]
    return ""


# ------------------------------------------------------------------ sync records (lead project)


def record_packet(db: Database, packet_id: str, coder: str) -> None:
    """Record that the packet `packet_id` was made for (or vouched by the lead as being) `coder`'s."""
    db.execute(
        "INSERT INTO packets (id, made_for, coder_id, made_utc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        [packet_id, coder, coder, now_utc()],
    )


def packet_coders(db: Database) -> list[str]:
    """The coders the project has made packets for (under their names now)."""
    return [r[0] for r in db.execute("SELECT DISTINCT coder_id FROM packets ORDER BY coder_id")]


def packets_out(db: Database, transcript_id: str) -> list[tuple[str, str]]:
    """(coder, made_utc) of each packet still out holding `transcript_id` (see packets_out_of)."""
    return packets_out_of(db, [transcript_id])[transcript_id]


def packets_out_of(db: Database, transcript_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """{transcript: (coder, made_utc) of each packet still out holding it}: the coder's latest packet, made
    holding it, and either not merged since it was made, or merged while the coder had not yet decided
    every turn of it the coding session walks (merged part-way: they go on coding it there). A packet
    merged once its coder had decided all of the transcript is back, however long ago it was made: a
    warning naming it would send the lead after work that is in the project already. Under the name the
    coder has now (renamed or merged into another since). The audit log is read once for them all."""
    latest: dict[str, tuple[int, str, str, list]] = {}  # coder -> (audit id, made, packet id, transcripts)
    merged: dict[str, int] = {}  # packet id -> the audit id of its last merge
    for audit_id, at, action, entity_id, after in db.execute(
        "SELECT id, at_utc, action, entity_id, after FROM audit_log WHERE entity = 'packet' "
        "AND action IN ('make', 'merge') ORDER BY id"
    ):
        done = json.loads(after or "{}")
        if not isinstance(done, dict):
            continue
        if action == "make" and isinstance(done.get("coder"), str):
            latest[done["coder"]] = (audit_id, at, entity_id, done.get("transcripts") or [])
        elif action == "merge" and isinstance(done.get("packet_id"), str):
            merged[done["packet_id"]] = audit_id
    renamed = dict(db.execute("SELECT made_for, coder_id FROM packets").fetchall())
    out: dict[str, list[tuple[str, str]]] = {}
    for transcript_id in transcript_ids:
        found = []
        for coder, (made_id, at, packet_id, held) in latest.items():
            if transcript_id not in held:
                continue
            owner = renamed.get(coder, coder)
            if merged.get(packet_id, 0) > made_id and not _undecided(db, owner, transcript_id):
                continue
            found.append((owner, at))
        out[transcript_id] = sorted(found)
    return out


def _undecided(db: Database, coder: str, transcript_id: str) -> int:
    """How many turns of the transcript a coding session walks (models.walked: no interviewer's, other
    speakers' nor a voice heard once left to review) hold no decision by `coder`."""
    return db.execute(
        "SELECT COUNT(*) FROM segments s WHERE s.transcript_id = ? "
        "AND s.role NOT IN ('interviewer', 'other', 'document') AND NOT (s.role = 'review' AND s.speaker IS NOT NULL) "
        "AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.segment_id = s.id AND d.coder_id = ?)",
        [transcript_id, coder],
    ).fetchone()[0]


def packet_owner(db: Database, packet_id: str) -> tuple[str, str] | None:
    """(the name the packet was made for, the coder its work goes to now: the same unless the coder was
    renamed or merged into another since), or None for a packet this project has no record of."""
    row = db.execute("SELECT made_for, coder_id FROM packets WHERE id = ?", [packet_id]).fetchone()
    return (row[0], row[1]) if row else None


def merged_generation(db: Database, packet_id: str) -> int | None:
    """How far the packet's own audit log had got when it was last merged (None: never merged)."""
    row = db.execute("SELECT merged_generation FROM packets WHERE id = ?", [packet_id]).fetchone()
    return row[0] if row else None


def record_generation(db: Database, packet_id: str, generation: int, log: list[dict] | None = None) -> None:
    """Record how far the packet's audit log had got when merged, and (`log`, read_packet's) its rows'
    digests, which tell a copy that went on from that history from one that parted from it."""
    digests = None if log is None else "".join(row["digest"] for row in log)
    db.execute(
        "UPDATE packets SET merged_generation = ?, merged_log = ? WHERE id = ?",
        [generation, digests, packet_id],
    )


def merged_log(db: Database, packet_id: str) -> list[str] | None:
    """The digests of the packet's audit log rows as last merged, in order (None: never merged, or merged
    before they were kept)."""
    row = db.execute("SELECT merged_log FROM packets WHERE id = ?", [packet_id]).fetchone()
    if row is None or row[0] is None:
        return None
    return [row[0][i : i + LOG_DIGEST] for i in range(0, len(row[0]), LOG_DIGEST)]


LOG_DIGEST = 16  # hex characters of a log row's SHA-256 kept: enough to tell two histories apart


def _log_digest(row: tuple) -> str:
    return hashlib.sha256(repr(tuple(row)).encode("utf-8")).hexdigest()[:LOG_DIGEST]


def get_syncs(db: Database, packet_id: str) -> dict[tuple[str, int, str], tuple[int | None, int | None]]:
    """(transcript, n, coder) -> (project revision, packet revision) at the last sync with a packet."""
    return {
        (r["transcript_id"], r["n"], r["coder_id"]): (r["project_revision"], r["packet_revision"])
        for r in db.query("SELECT * FROM packet_syncs WHERE packet_id = ?", [packet_id])
    }


def record_syncs(
    db: Database, packet_id: str, rows: list[tuple[str, int, str, int | None, int | None]]
) -> None:
    """Record both sides' revisions of decisions at a sync: (transcript, n, coder, project, packet)."""
    now = now_utc()
    db.conn.executemany(
        "INSERT INTO packet_syncs (packet_id, transcript_id, n, coder_id, project_revision, packet_revision, "
        "synced_utc) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (packet_id, transcript_id, n, coder_id) DO UPDATE "
        "SET project_revision = excluded.project_revision, packet_revision = excluded.packet_revision, "
        "synced_utc = excluded.synced_utc",
        [(packet_id, *row, now) for row in rows],
    )


def text_sha256(text: str | None) -> str | None:
    """A memo's text as its sync records hold it (None: no memo on that side)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_memo_syncs(db: Database, packet_id: str) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(target type, target id) -> (the project's memo text, the packet's) as SHA-256 at the last sync."""
    return {
        (r["target_type"], r["target_id"]): (r["project_sha256"], r["packet_sha256"])
        for r in db.query("SELECT * FROM packet_memo_syncs WHERE packet_id = ?", [packet_id])
    }


def record_memo_syncs(
    db: Database, packet_id: str, rows: list[tuple[str, str, str | None, str | None]]
) -> None:
    """Record both sides' memo texts at a sync: (target type, target id, project SHA-256, packet SHA-256)."""
    now = now_utc()
    db.conn.executemany(
        "INSERT INTO packet_memo_syncs (packet_id, target_type, target_id, project_sha256, packet_sha256, "
        "synced_utc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (packet_id, target_type, target_id) DO UPDATE "
        "SET project_sha256 = excluded.project_sha256, packet_sha256 = excluded.packet_sha256, "
        "synced_utc = excluded.synced_utc",
        [(packet_id, *row, now) for row in rows],
    )


def mark_session(db: Database, *, open_: bool) -> None:
    """Note in a packet that a coding session has it open; clear the note when the session ends.

    Clearing never raises: a packet that became read-only or busy must not hide the session's own
    outcome. The note then stays, and merge says the session did not end cleanly (nothing saved is lost).
    """
    if open_:
        with transaction(db):
            save_setting(db, SESSION_OPEN, now_utc())
        return
    try:
        with transaction(db):
            db.execute("DELETE FROM settings WHERE key = ?", [SESSION_OPEN])
    except sqlite3.Error:
        pass


# ------------------------------------------------------------------ reading a packet


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema(conn: sqlite3.Connection) -> dict:
    """What a file's schema is made of: (type, name, table) of every object, trigger SQL, table columns.

    Column lists come from PRAGMA table_xinfo (name, type, not null, default, key, hidden), not from the
    CREATE text, so projects written by different sqlite-utils versions compare equal.
    """
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    objects = {(t, n, tbl) for t, n, tbl, _ in master}
    triggers = {n: sql for t, n, _, sql in master if t == "trigger"}
    plain = {n for t, n, _, sql in master if t == "table" and (sql or "").upper().startswith("CREATE TABLE")}
    tables = {}
    for t, name, _, _ in master:
        if t == "table" and name in plain:  # never a view's or a virtual table's columns: those run code
            tables[name] = [tuple(c)[1:] for c in conn.execute(f"PRAGMA table_xinfo({_quote(name)})")]
    return {"objects": objects, "triggers": triggers, "tables": tables}


@functools.lru_cache(maxsize=8)
def _reference_schema(applied: tuple[str, ...]) -> dict | None:
    """The schema wei-qual writes after exactly the migrations `applied`; None if they are not ours."""
    from ..migrations import migrations
    from .database import Database

    ours = migrations.names
    if list(applied) != ours[: len(applied)]:
        return None
    ref = Database(sqlite3.connect(":memory:"))
    migrations.apply(ref, stop_before=ours[len(applied)] if len(applied) < len(ours) else None)
    return _schema(ref.conn)


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file whose schema is not exactly one wei-qual writes (no views, no foreign triggers...)."""
    refused = StoreError(
        f'"{path}" is not a packet as wei-qual writes it (its database holds tables, views or triggers that '
        "wei-qual does not make), so none of it was read. Ask the coder for a fresh copy of the file."
    )
    master = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    if any(t == "view" for t, _, _ in master):
        raise refused
    migrations_sql = next((sql for t, n, sql in master if t == "table" and n == "_sqlite_migrations"), None)
    if migrations_sql is None or not migrations_sql.upper().startswith("CREATE TABLE"):
        raise refused
    applied = tuple(
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'wei_qual' ORDER BY id"
        )
    )
    reference = _reference_schema(applied)
    if reference is None:
        raise StoreError(
            f'"{path}" was written by a different version of wei-qual (its schema steps are not this '
            'version\'s). Use the same wei-qual version for "packet", "code" and "merge".'
        )
    if _schema(conn) != reference:
        raise refused
    from ..migrations import APPLICATION_ID

    if (
        "m005_set_application_id" in applied
        and conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
    ):
        raise refused


class _Shape:
    """Type checks on values read from a packet: a damaged or forged value is refused, never used."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, table: str, column: str) -> StoreError:
        return StoreError(
            f'"{self.path}" is damaged: a value in column "{column}" of table "{table}" is not what wei-qual '
            "writes. Ask the coder for a fresh copy of the file."
        )

    def text(self, row: dict, table: str, column: str, *, null: bool = False) -> None:
        value = row[column]
        if not (isinstance(value, str) or (null and value is None)):
            raise self.fail(table, column)

    def integer(self, row: dict, table: str, column: str) -> None:
        if not isinstance(row[column], int) or row[column] < 1:
            raise self.fail(table, column)

    def code_list(self, row: dict, table: str, column: str) -> None:
        raw = row[column]
        try:
            value = json.loads(raw) if raw is not None else []
        except (TypeError, ValueError, RecursionError):
            raise self.fail(table, column) from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(table, column)
        row[column] = value

    def excerpts(self, row: dict, table: str, column: str) -> None:
        """A stored excerpts object ({code: [[start, end], ...]}) read into Excerpt tuples."""
        from ..models import Excerpt

        raw = row[column]
        if raw is None:
            row[column] = ()
            return
        try:
            value = json.loads(raw)
        except (TypeError, ValueError, RecursionError):
            raise self.fail(table, column) from None
        ok = isinstance(value, dict) and all(
            isinstance(code, str)
            and isinstance(spans, list)
            and all(
                isinstance(span, list)
                and len(span) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                for span in spans
            )
            for code, spans in value.items()
        )
        if not ok:
            raise self.fail(table, column)
        row[column] = tuple(sorted(Excerpt(code, a, b) for code, spans in value.items() for a, b in spans))


# What merge reads of a packet, at most (its transcripts' text is never read): a coder's packet in a study of
# 120 interviews holds some 40,000 rows and a few MB of notes and memos. Past these, a packet was forged
# or damaged, and reading it would take the machine's memory (about 1.5 KB a row) and minutes.
MAX_PACKET_BYTES = 2 * 1024**3  # the file: PRAGMA quick_check reads every page of it
MAX_PACKET_ROWS = 500_000  # decisions, memos, codes, log rows... in all, as in a decisions file
MAX_PACKET_TEXT = 100_000_000  # characters of all the values read (notes, memos, the log's records)


def _packet_queries(*, has_excerpts: bool, has_drafts: bool) -> dict[str, str]:
    """The queries read_packet reads a packet with, by name; _check_bounds measures the same ones."""
    return {
        "settings": "SELECT key, value FROM settings",
        "active": "SELECT id, name, label, sha256 FROM codebooks WHERE active = 1",
        "decisions": (
            "SELECT t.id AS transcript_id, t.sha256, s.n, d.coder_id, d.codes, d.note, d.rationale, "
            "d.accepted, d.shown, d.decided_utc, d.revision, c.sha256 AS codebook_sha, "
            + ("d.excerpts" if has_excerpts else "NULL AS excerpts")
            + " FROM decisions d "
            "JOIN segments s ON s.id = d.segment_id JOIN transcripts t ON t.id = s.transcript_id "
            "LEFT JOIN codebooks c ON c.id = d.codebook_id ORDER BY t.id, s.n, d.coder_id"
        ),
        "codes": (
            "SELECT c.sha256, k.code, k.name, k.parent, k.exclusive, "
            + ("k.draft" if has_drafts else "0 AS draft")
            + " FROM codes k JOIN codebooks c ON c.id = k.codebook_id WHERE k.merged_into IS NULL "
            "ORDER BY c.id, k.position"
        ),
        "transcripts": "SELECT id, sha256 FROM transcripts ORDER BY id",
        "memos": "SELECT coder_id, target_type, target_id, text, created_utc, updated_utc FROM memos",
        "log": "SELECT id, at_utc, actor, action, entity, entity_id, before, after FROM audit_log ORDER BY id",
    }


def _check_bounds(conn: sqlite3.Connection, path: Path, queries: dict[str, str]) -> None:
    """Refuse a packet whose rows, or the characters of their values, are more than merge reads."""
    # The rows first, from each table's count (the queries' joins are on primary keys: they add none).
    tables = ("settings", "codebooks", "codes", "transcripts", "decisions", "memos", "audit_log")
    rows = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)
    chars = 0
    if rows <= MAX_PACKET_ROWS:
        for sql in queries.values():
            columns = [c[0] for c in conn.execute(f"SELECT * FROM ({sql}) LIMIT 0").description]
            lengths = " + ".join(f"COALESCE(LENGTH({_quote(c)}), 0)" for c in columns)
            chars += int(conn.execute(f"SELECT TOTAL({lengths}) FROM ({sql})").fetchone()[0])
    if rows > MAX_PACKET_ROWS or chars > MAX_PACKET_TEXT:
        held = f"{rows:,} rows" if rows > MAX_PACKET_ROWS else f"{chars:,} characters"
        raise StoreError(
            f'"{path}" holds {held} of settings, codes, decisions, memos and log, more than wei-qual reads from '
            f"a packet ({MAX_PACKET_ROWS:,} rows, {MAX_PACKET_TEXT:,} characters; a real one holds a few "
            "percent of that): it was edited or damaged, and none of it was read. Ask the coder for a fresh "
            "copy of the file."
        )


def _side_file_warnings(path: Path, header: bytes) -> list[str]:
    warnings = []
    for suffix, what in (("-wal", "write-ahead log"), ("-journal", "rollback journal")):
        side = path.with_name(path.name + suffix)
        if side.exists() and side.stat().st_size > 0:
            warnings.append(
                f'"{side.name}" ({what}) sits beside "{path.name}": the packet was not closed cleanly. '
                "Its committed work is read from both files here; if the coder sent only the .wqp, ask them "
                'to open it once with wei-qual (e.g. "wei-qual coders --db FILE") and send it again.'
            )
    if header[18:20] == b"\x02\x02":
        warnings.append(
            f'"{path.name}" was left in WAL mode (written by an older wei-qual): work the coder saved last may '
            f'be in "{path.name}-wal", which is not read unless it sits beside the packet.'
        )
    return warnings


def read_packet(path: Path) -> dict:
    """Read a packet file without changing it. Raises StoreError for a file that is not a sound packet.

    The result holds project_id, packet_id, coder (the owner), created_utc, codebook (its active
    version's sha256 and label), transcripts, decisions, memos, and warnings (journal or WAL beside
    it, a session that did not end cleanly).
    """
    from .database import Database

    path = Path(path)
    if LINE_BREAKS.search(str(path)):  # its name, in every message naming it, would forge a line of its own
        raise StoreError(
            f'"{escape_breaks(str(path))}": the file name holds a line break or a tab, which would start a line '
            "of its own in every message naming it, so none of it was read. Rename the packet and run the "
            "command again."
        )
    if path.is_dir():
        raise StoreError(f'"{path}" is a folder, not a packet. Pass the packet files (.wqp) themselves.')
    # A named pipe would block the read; a huge file take minutes to check.
    require_file(path, error=StoreError, max_bytes=MAX_PACKET_BYTES, what="a packet")
    if not path.is_file():
        raise StoreError(f'"{path}" does not exist. Check the packet path.')
    unreadable = (
        f'"{path}" is not a readable wei-qual packet (corrupt or truncated: {{}}). '
        "Ask the coder for a fresh copy of the file."
    )
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as ex:
        raise StoreError(unreadable.format(ex.strerror)) from ex
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise StoreError(unreadable.format("not an SQLite file"))
    warnings = _side_file_warnings(path, header)
    shape = _Shape(path)
    conn = None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        conn.execute("PRAGMA trusted_schema = OFF")  # no functions or virtual tables run from the schema
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA cell_size_check = ON")
        _check_schema(conn, path)
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        has_excerpts = "excerpts" in {r[1] for r in conn.execute("PRAGMA table_info(decisions)")}
        has_drafts = "draft" in {r[1] for r in conn.execute("PRAGMA table_info(codes)")}
        queries = _packet_queries(has_excerpts=has_excerpts, has_drafts=has_drafts)
        if conn.execute("SELECT 1 FROM settings WHERE key = 'packet_of'").fetchone() is None:
            raise StoreError(
                f'"{path}" is a wei-qual project, not a coder packet. Make packets with "wei-qual packet".'
            )
        _check_bounds(conn, path, queries)  # before a row is held in memory
        db = Database(conn)
        rows = {name: _rows(db, sql) for name, sql in queries.items() if name != "log"}
        settings = {r["key"]: r["value"] for r in rows["settings"]}
        for key in ("packet_of", "packet_coder", "project_id"):
            shape.text(settings, "settings", key)
        active = rows["active"]
        decisions = rows["decisions"]
        packet = {
            "project_id": settings["packet_of"],
            "packet_id": settings["project_id"],
            "coder": settings["packet_coder"],
            "created_utc": settings.get("packet_created_utc", ""),
            "codebook": active[0] if active else None,
            # Every version's live codes: a version made in the packet (a draft code created while
            # coding) is checked against the project's versions by them.
            "codes": rows["codes"],
            "transcripts": rows["transcripts"],
            "decisions": decisions,
            "memos": rows["memos"],
            "warnings": warnings,
            # Its audit log only grows (every saved change adds a row): how far this copy of it got.
            "generation": conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0],
            # ... and which history it holds: a digest per row, with what each decision and memo row changed.
            "log": [
                {
                    "digest": _log_digest(row),
                    "entity": row[4],
                    "entity_id": row[5] if row[4] in ("decision", "memo") else None,
                    "before": row[6] if row[4] in ("decision", "memo") else None,
                }
                for row in conn.execute(queries["log"])
            ],
        }
        if SESSION_OPEN in settings:
            warnings.append(
                f'"{path.name}": a coding session on it did not end cleanly (it was killed or crashed). '
                "Every answer saved before that is in the file and is merged."
            )
    except sqlite3.DatabaseError as ex:
        raise StoreError(unreadable.format(ex)) from ex
    finally:
        if conn is not None:
            conn.close()
    for t in packet["transcripts"]:
        shape.text(t, "transcripts", "id")
        shape.text(t, "transcripts", "sha256")
    for d in decisions:
        for column in ("transcript_id", "sha256", "coder_id", "decided_utc"):
            shape.text(d, "decisions", column)
        for column in ("note", "rationale", "codebook_sha"):
            shape.text(d, "decisions", column, null=True)
        shape.integer(d, "decisions", "n")
        shape.integer(d, "decisions", "revision")
        for column in ("codes", "accepted", "shown"):
            shape.code_list(d, "decisions", column)
        shape.excerpts(d, "decisions", "excerpts")
    for c in packet["codes"]:
        for column in ("sha256", "code", "name"):
            shape.text(c, "codes", column)
        shape.text(c, "codes", "parent", null=True)
        if c["draft"] not in (0, 1) or c["exclusive"] not in (0, 1):
            raise shape.fail("codes", "draft")
    for m in packet["memos"]:
        for column in ("coder_id", "target_type", "target_id", "text", "created_utc"):
            shape.text(m, "memos", column)
        shape.text(m, "memos", "updated_utc", null=True)
    return packet


def memo_target(memo: dict, tid_map: dict[str, str]) -> str:
    """A packet memo's target id in the project: its transcript id mapped by content."""
    target_id = memo["target_id"]
    if memo["target_type"] == "transcript":
        return tid_map.get(target_id, target_id)
    if memo["target_type"] == "segment":
        tid, n = target_id.rsplit(":", 1)
        return f"{tid_map.get(tid, tid)}:{n}"
    return target_id


def upsert_memo(db: Database, memo: dict, tid_map: dict[str, str], *, actor: str) -> int:
    """Bring one memo from a packet in, over the project's text (merge decides whose text wins, by the
    sync records, never by the clocks); return 1 if anything changed."""
    from . import write_audit

    target_id = memo_target(memo, tid_map)
    key = [memo["coder_id"], memo["target_type"], target_id]
    ours = _rows(db, "SELECT * FROM memos WHERE coder_id = ? AND target_type = ? AND target_id = ?", key)
    stamp = memo["updated_utc"] or memo["created_utc"]
    if ours and ours[0]["text"] == memo["text"]:
        return 0
    db.execute("INSERT OR IGNORE INTO coders (id, created_utc) VALUES (?, ?)", [memo["coder_id"], now_utc()])
    db.execute(
        "INSERT INTO memos (coder_id, target_type, target_id, text, created_utc, updated_utc) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (coder_id, target_type, target_id) "
        "DO UPDATE SET text = excluded.text, updated_utc = excluded.updated_utc",
        [*key, memo["text"], memo["created_utc"], stamp],
    )
    write_audit(
        db,
        action="merge",
        entity="memo",
        entity_id=":".join(key),
        actor=actor,
        before={"text": ours[0]["text"]} if ours else None,
        after={"text": memo["text"]},
    )
    return 1


def make_self_contained(db: Database) -> None:
    """Fold the WAL into the main file and leave WAL mode: one self-contained file to hand over."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE")
