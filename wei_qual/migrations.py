"""Schema of a wei-qual project, as sqlite-utils migrations.

Never rename, reorder, edit or delete a migration once merged: fix forward with a new one.
Migrations run in registration order; each is recorded in _sqlite_migrations by name.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "wei_qual"

# Optional libraries that sqlite-utils imports at module level only to map their scalar types to column
# types when it infers a schema; wei-qual's schema is declared by its migrations, so it never needs them.
_SQLITE_UTILS_OPTIONAL = ("pandas", "numpy")


def import_sqlite_utils():
    """Import sqlite_utils without letting it import pandas or numpy (unless they are already loaded).

    Setting a module's sys.modules entry to None makes `import` raise ImportError, which sqlite-utils
    handles as "not installed". The entries are removed again at once, so a later `import numpy` (the
    agreement statistics) or `import pandas` (a user's own script) works as usual.
    """
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    hidden = [name for name in _SQLITE_UTILS_OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


class _Migrations:
    """sqlite-utils' Migrations, registered without importing sqlite-utils.

    Opening a project only checks that every migration is recorded (one query); sqlite-utils, which
    imports pandas and numpy when they are installed, is loaded only when a migration has to run.
    """

    def __init__(self, name: str):
        self.name = name
        self._registered: list[tuple[Callable, dict]] = []

    def __call__(self, **options) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            self._registered.append((fn, options))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        return [options.get("name") or fn.__name__ for fn, options in self._registered]

    def pending_names(self, conn) -> list[str]:
        """Names of the migrations not yet applied to this sqlite3 connection's database (reads only)."""
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone():
            return self.names
        done = {
            r[0]
            for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [self.name])
        }
        return [name for name in self.names if name not in done]

    def _real(self):
        real = import_sqlite_utils().Migrations(self.name)
        for fn, options in self._registered:
            real(**options)(fn)
        return real

    def pending(self, db) -> list:
        return self._real().pending(_utils_db(db))

    def applied(self, db) -> list:
        return self._real().applied(_utils_db(db))

    def apply(self, db, *, stop_before: str | Iterable[str] | None = None) -> None:
        self._real().apply(_utils_db(db), stop_before=stop_before)


def _utils_db(db):
    """sqlite-utils' Database for a project connection (store.database.Database) or itself."""
    return getattr(db, "utils", db)


migrations = _Migrations(MIGRATION_SET)
APPLICATION_ID = 0x57454951  # "WEIQ" in the SQLite header: marks a file as a wei-qual project


@migrations()
def m001_initial(db: Database) -> None:
    # Transcripts keep their stored plain text so segments can be quoted by offset.
    db.table("transcripts").create(
        {
            "id": str,
            "source": str,
            "format": str,
            "sha256": str,
            "text": str,
            "ingested_utc": str,
        },
        pk="id",
        not_null={"source", "format", "sha256", "text", "ingested_utc"},
    )
    db.table("transcripts").create_index(["sha256"], unique=True)

    # Participant attributes (case variables): one row per transcript x attribute.
    db.table("attributes").create(
        {"id": int, "transcript_id": str, "name": str, "value": str},
        pk="id",
        not_null={"transcript_id", "name"},
        foreign_keys=[("transcript_id", "transcripts", "id")],
    )
    db.table("attributes").create_index(["transcript_id", "name"], unique=True)

    db.table("segments").create(
        {
            "id": int,
            "transcript_id": str,
            "n": int,
            "speaker": str,
            "role": str,
            "text": str,
            "start_char": int,
            "end_char": int,
            "start_time": float,
            "end_time": float,
        },
        pk="id",
        not_null={"transcript_id", "n", "role", "text", "start_char", "end_char"},
        foreign_keys=[("transcript_id", "transcripts", "id")],
    )
    db.table("segments").create_index(["transcript_id", "n"], unique=True)

    # One row per loaded codebook version; exactly one is active once any is loaded.
    db.table("codebooks").create(
        {
            "id": int,
            "name": str,
            "label": str,
            "yaml": str,
            "sha256": str,
            "active": int,
            "loaded_utc": str,
        },
        pk="id",
        not_null={"name", "yaml", "sha256", "active", "loaded_utc"},
    )
    db.table("codebooks").create_index(["sha256"], unique=True)

    # The parsed codes of each version. `code` is the stable slug; list fields are JSON.
    db.table("codes").create(
        {
            "id": int,
            "codebook_id": int,
            "code": str,
            "name": str,
            "parent": str,
            "position": int,
            "definition": str,
            "include": str,
            "exclude": str,
            "examples": str,
            "atypical_examples": str,
            "color": str,
            "keywords": str,
            "patterns": str,
            "exclusive": int,
            "renamed_from": str,
            "merged_into": str,
        },
        pk="id",
        not_null={"codebook_id", "code", "name", "position", "exclusive"},
        foreign_keys=[("codebook_id", "codebooks", "id")],
    )
    db.table("codes").create_index(["codebook_id", "code"], unique=True)

    db.table("coders").create({"id": str, "created_utc": str}, pk="id", not_null={"created_utc"})

    # One decision per segment x coder. `codes` is a JSON list, "[]" meaning "nothing applies";
    # no row means not yet coded (missing, for agreement).
    db.table("decisions").create(
        {
            "id": int,
            "segment_id": int,
            "coder_id": str,
            "codes": str,
            "note": str,
            "rationale": str,
            "codebook_id": int,
            "accepted": str,
            "shown": str,
            "decided_utc": str,
        },
        pk="id",
        not_null={"segment_id", "coder_id", "codes", "decided_utc"},
        foreign_keys=[
            ("segment_id", "segments", "id"),
            ("coder_id", "coders", "id"),
            ("codebook_id", "codebooks", "id"),
        ],
    )
    db.table("decisions").create_index(["segment_id", "coder_id"], unique=True)
    db.table("decisions").create_index(["coder_id"])

    # Machine proposals, never counted as a coder. Evidence is a JSON list of spans.
    db.table("suggestions").create(
        {
            "id": int,
            "segment_id": int,
            "codebook_id": int,
            "code": str,
            "score": float,
            "evidence": str,
            "engine": str,
            "stale": int,
            "created_utc": str,
        },
        pk="id",
        not_null={"segment_id", "codebook_id", "code", "score", "evidence", "engine", "stale", "created_utc"},
        foreign_keys=[("segment_id", "segments", "id"), ("codebook_id", "codebooks", "id")],
    )
    db.table("suggestions").create_index(["segment_id", "codebook_id", "engine", "code"], unique=True)

    # Free text attached to a segment, transcript or code by a coder.
    db.table("memos").create(
        {
            "id": int,
            "coder_id": str,
            "target_type": str,
            "target_id": str,
            "text": str,
            "created_utc": str,
            "updated_utc": str,
        },
        pk="id",
        not_null={"coder_id", "target_type", "target_id", "text", "created_utc"},
        foreign_keys=[("coder_id", "coders", "id")],
    )
    db.table("memos").create_index(["coder_id", "target_type", "target_id"], unique=True)

    # Every change to decisions, codebooks and transcripts: who, when, what before and after (JSON).
    db.table("audit_log").create(
        {
            "id": int,
            "at_utc": str,
            "actor": str,
            "action": str,
            "entity": str,
            "entity_id": str,
            "before": str,
            "after": str,
        },
        pk="id",
        not_null={"at_utc", "action", "entity"},
    )


@migrations()
def m002_make_audit_log_append_only(db: Database) -> None:
    # The audit log is evidence for a methods section: no UPDATE or DELETE, ever.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


@migrations()
def m003_create_settings(db: Database) -> None:
    # Project-wide settings; project_id identifies this project so packets from another one are refused.
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("settings").insert({"key": "project_id", "value": str(uuid.uuid4())})


@migrations()
def m004_create_assignments(db: Database) -> None:
    # Which coder codes which transcript; `double` marks the double-coded reliability set.
    db.table("assignments").create(
        {"id": int, "transcript_id": str, "coder_id": str, "double": int, "assigned_utc": str},
        pk="id",
        not_null={"transcript_id", "coder_id", "double", "assigned_utc"},
        foreign_keys=[("transcript_id", "transcripts", "id"), ("coder_id", "coders", "id")],
    )
    db.table("assignments").create_index(["transcript_id", "coder_id"], unique=True)


@migrations()
def m005_set_application_id(db: Database) -> None:
    # Marks the file as a wei-qual project, so open_db can refuse (and leave untouched) any other SQLite file.
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migrations()
def m006_add_decision_revision(db: Database) -> None:
    # Every edit of a decision increments its revision, so merge can tell "changed since the last sync"
    # without comparing two machines' clocks (which may disagree, or tie within a millisecond).
    db.table("decisions").add_column("revision", int, not_null_default=1)


@migrations()
def m007_create_packet_syncs(db: Database) -> None:
    # Per packet and decision: both sides' revisions at the last sync (packet made, or merged). A side
    # changed when its revision differs from the recorded one. No foreign keys: segments may be
    # re-ingested, and a stale sync row then simply no longer matches.
    db.table("packet_syncs").create(
        {
            "id": int,
            "packet_id": str,
            "transcript_id": str,
            "n": int,
            "coder_id": str,
            "project_revision": int,
            "packet_revision": int,
            "synced_utc": str,
        },
        pk="id",
        not_null={"packet_id", "transcript_id", "n", "coder_id", "synced_utc"},
    )
    db.table("packet_syncs").create_index(["packet_id", "transcript_id", "n", "coder_id"], unique=True)


@migrations()
def m008_add_speaker_roles(db: Database) -> None:
    # Roles are inferred from evidence and correctable, not assumed from a label list: each transcript
    # keeps how its roles were decided and the warnings its ingest raised, each speaker its role and why.
    transcripts = db.table("transcripts")
    transcripts.add_column("roles", str)  # inferred, given or review
    transcripts.add_column("roles_reason", str)  # why the roles need review
    transcripts.add_column("warnings", str)  # JSON list of {kind, message}
    # Older projects were split by interviewer labels alone: call that inferred, with no warnings.
    db.execute("UPDATE transcripts SET roles = 'inferred', roles_reason = '', warnings = '[]'")

    db.table("speakers").create(
        {"id": int, "transcript_id": str, "label": str, "role": str, "reason": str, "given": int},
        pk="id",
        not_null={"transcript_id", "label", "role", "reason", "given"},
        foreign_keys=[("transcript_id", "transcripts", "id")],
    )
    db.table("speakers").create_index(["transcript_id", "label"], unique=True)
    db.execute(
        "INSERT INTO speakers (transcript_id, label, role, reason, given) "
        "SELECT transcript_id, speaker, MIN(role), 'by interviewer labels (ingested before role inference)', 0 "
        "FROM segments WHERE speaker IS NOT NULL GROUP BY transcript_id, speaker ORDER BY MIN(id)"
    )

    # Attributes of one speaker in one transcript (a pair or group interview): the CSV's `speaker` column.
    db.table("speaker_attributes").create(
        {"id": int, "transcript_id": str, "speaker": str, "name": str, "value": str},
        pk="id",
        not_null={"transcript_id", "speaker", "name"},
        foreign_keys=[("transcript_id", "transcripts", "id")],
    )
    db.table("speaker_attributes").create_index(["transcript_id", "speaker", "name"], unique=True)


@migrations()
def m009_create_learned_models(db: Database) -> None:
    # Models of the learned suggestion engine, kept inside the project (never downloaded, never a separate
    # file): the serialised spaCy pipeline and what it was trained on, so a methods section can cite it.
    db.table("learned_models").create(
        {
            "id": int,
            "codebook_id": int,
            "source": str,
            "labels": str,  # JSON list of the codes it predicts
            "too_few": str,  # JSON {code: positive examples} of codes left out for too few examples
            "examples": str,  # JSON {code: positive examples} of the codes it predicts
            "units": int,
            "units_sha256": str,  # of the training units: (transcript, segment, codes applied)
            "min_examples": int,
            "seed": int,
            "epochs": int,
            "info": str,  # JSON: architecture, held-out scores per epoch, calibration maps
            "config": str,  # the spaCy pipeline's config
            "weights": bytes,  # nlp.to_bytes()
            "spacy_version": str,
            "decisions_count": int,  # the source's decisions at training time (stale marking)
            "decisions_last_utc": str,
            "decisions_revisions": int,  # sum of their revisions: any edit changes it, whatever the clocks
            "seconds": float,
            "trained_utc": str,
        },
        pk="id",
        not_null={
            "codebook_id",
            "source",
            "labels",
            "units",
            "units_sha256",
            "seed",
            "config",
            "weights",
            "trained_utc",
        },
        foreign_keys=[("codebook_id", "codebooks", "id")],
    )
    # Which model made a learned suggestion (NULL for the rules engine).
    db.table("suggestions").add_column("model_id", int, fk="learned_models", fk_col="id")
    # Cross-validations of the learned engine (`suggest evaluate --folds`), kept so the methods report can
    # cite a model's cross-validated figures without training K models again.
    db.table("learned_evaluations").create(
        {
            "id": int,
            "codebook_id": int,
            "source": str,
            "units_sha256": str,  # of the units evaluated: a model trained on the same units matches
            "folds": int,
            "seed": int,
            "epochs": int,
            "min_examples": int,
            "min_score": float,
            "result": str,  # JSON: what `suggest evaluate --folds --format json` prints
            "evaluated_utc": str,
        },
        pk="id",
        not_null={"codebook_id", "source", "units_sha256", "folds", "seed", "result", "evaluated_utc"},
        foreign_keys=[("codebook_id", "codebooks", "id")],
    )


@migrations()
def m010_add_documents(db: Database) -> None:
    # Policy documents are sources beside the interviews: each transcript row says which kind it is
    # (every earlier row is an interview), and a document's segments keep their section heading and the
    # page they start on (also kept for the turns of a PDF transcript).
    db.table("transcripts").add_column("kind", str, not_null_default="interview")
    db.table("segments").add_column("label", str)
    db.table("segments").add_column("page", int)


@migrations()
def m011_add_decision_excerpts(db: Database) -> None:
    # Which words of the segment carry each code: JSON {code: [[start, end], ...]} with character offsets
    # into the segment's text. NULL means no excerpt: the whole turn. The segment stays the unit of agreement.
    db.table("decisions").add_column("excerpts", str)


@migrations()
def m012_add_code_drafts(db: Database) -> None:
    # A code created while coding ("+new" in the session) is a draft until the lead completes, merges or
    # drops it; every codebook version records which of its codes are still drafts.
    db.table("codes").add_column("draft", int, not_null_default=0)


@migrations()
def m013_create_search_index(db: Database) -> None:
    # Keyword-in-context search reads tokens and lemmas made once per segment (spaCy's tokenizer and its
    # English lemma table), so a search needs no spaCy at all. `terms` is "lemma<US>form" per token joined
    # by spaces, `offsets` the tokens' "start end" character offsets into the segment's text. No foreign
    # key: the triggers drop a segment's row when the segment is deleted or its text changes, and the next
    # search indexes it again.
    db.table("search_index").create(
        {"segment_id": int, "terms": str, "offsets": str},
        pk="segment_id",
        not_null={"terms", "offsets"},
    )
    db.execute(
        "CREATE TRIGGER segments_search_delete AFTER DELETE ON segments "
        "BEGIN DELETE FROM search_index WHERE segment_id = old.id; END"
    )
    db.execute(
        "CREATE TRIGGER segments_search_update AFTER UPDATE OF text ON segments "
        "BEGIN DELETE FROM search_index WHERE segment_id = old.id; END"
    )


@migrations()
def m014_index_memo_targets(db: Database) -> None:
    # `wei-qual memos --code/--transcript`, the session's `m?` and the HTML appendix look memos up by target.
    db.table("memos").create_index(["target_type", "target_id"])


@migrations()
def m015_index_decision_excerpts(db: Database) -> None:
    # The reports look up the few decisions with excerpts; without this partial index each report read
    # every decision of its coders to find them (about 20 ms of a majority report on a study).
    db.execute("CREATE INDEX idx_decisions_excerpts ON decisions (coder_id) WHERE excerpts IS NOT NULL")


@migrations()
def m016_create_packets(db: Database) -> None:
    # Which coder each packet was made for: a packet comes back as a file its coder could edit, so merge
    # takes its owner from here, never from the packet (an edited one could name another coder).
    # `made_for` is the name the packet was made with (what it must name); `coder_id` the coder its work
    # goes to, which follows `coders rename` and `coders merge`.
    db.table("packets").create(
        {"id": str, "made_for": str, "coder_id": str, "made_utc": str},
        pk="id",
        not_null={"made_for", "coder_id", "made_utc"},
    )


@migrations()
def m017_packet_memo_syncs_and_generations(db: Database) -> None:
    # A memo's text on both sides at the last sync with a packet (as SHA-256; NULL where a side had none):
    # merge judges a memo's edits against it, as it judges decisions by revisions, never by the clocks
    # of the laptops that wrote them.
    db.table("packet_memo_syncs").create(
        {
            "id": int,
            "packet_id": str,
            "target_type": str,
            "target_id": str,
            "project_sha256": str,
            "packet_sha256": str,
            "synced_utc": str,
        },
        pk="id",
        not_null={"packet_id", "target_type", "target_id", "synced_utc"},
    )
    db.table("packet_memo_syncs").create_index(["packet_id", "target_type", "target_id"], unique=True)
    # How far the packet's own audit log had got when it was last merged: a copy of it that had got less
    # far is an older copy (e-mailed twice, merged in the wrong order), which would undo later work.
    db.table("packets").add_column("merged_generation", int)


@migrations()
def m018_add_segment_end_pages(db: Database) -> None:
    # A document's segment keeps the page it ends on beside the one it starts on, so a section that runs
    # onto the next page is cited as "pages 3–4". NULL in a project made before: read as its start page.
    db.table("segments").add_column("end_page", int)


@migrations()
def m019_add_packet_merged_logs(db: Database) -> None:
    # The packet's own audit log as it was when last merged, one short digest per row: a copy restored
    # from a backup and coded further has a later generation but parts from that history, and merge must
    # take only what was done in it since the parting, not its older rows over the newer ones merged.
    db.table("packets").add_column("merged_log", str)


@migrations()
def m020_add_segment_page_spans(db: Database) -> None:
    # A document segment over two pages or more keeps the stretches of its text on each page (JSON
    # [[start, end, page, end page], ...]), so an excerpt is cited with the pages of its own words, not
    # the section's. NULL on one page, and in a project made before: the segment's pages are cited.
    db.table("segments").add_column("page_spans", str)


@migrations()
def m021_add_code_exclude_keywords(db: Database) -> None:
    # A code's exclude_keywords (JSON list): phrases whose matches do not make suggest propose the code
    # ("jail cell phone" for the keyword "jail"). NULL for none, and in a project made before.
    db.table("codes").add_column("exclude_keywords", str)
