"""Helpers for the .qdpx tests: the sample project, zipping fixture folders, comparing two projects."""

from __future__ import annotations

import zipfile
from pathlib import Path

from wei_qual.store import open_db, save_setting

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "transcripts_sample"
FIXTURES = Path(__file__).resolve().parent / "data" / "qdpx"
FIXED_PROJECT_ID = "00000000-0000-4000-8000-000000000042"  # so the sample's GUIDs are stable


def build_sample_project(path: Path, *, documents: bool = False):
    """The bundled fictional sample: ingest, codebook, alice's and bob's decisions, consensus, memos.
    With `documents`, also its two policy documents (a PDF and a .docx) with their attributes, alice's and
    bob's decisions on them, an excerpt and memos on a section and on a document."""
    from wei_qual.agree import accept_agreed
    from wei_qual.codebook import load_into_project
    from wei_qual.decisions_io import import_decisions
    from wei_qual.deid import add_to_project_allowlist, load_allow_file
    from wei_qual.ingest import ingest_files
    from wei_qual.store.decisions import save_memo

    db = open_db(path)
    save_setting(db, "project_id", FIXED_PROJECT_ID)
    add_to_project_allowlist(
        db, load_allow_file(SAMPLE / "allowlist.lst")
    )  # the fictional interviewer's name
    ingest_files(db, [SAMPLE], attributes_csv=SAMPLE / "participants.csv")
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    for coder in ("alice", "bob"):
        import_decisions(db, SAMPLE / "decisions" / f"{coder}.csv")
    if documents:
        from wei_qual.models import Decision, Excerpt
        from wei_qual.store.decisions import save_decision

        folder = SAMPLE / "documents"
        ingest_files(db, [folder], kind="document", attributes_csv=folder / "documents.csv")
        for coder in ("alice", "bob"):
            import_decisions(db, folder / "decisions" / f"{coder}.csv")
        # An excerpt on a section that has paragraphs (3.2 Exclusion criteria), and memos on a section
        # and on a whole document.
        excluded = db.execute(
            "SELECT text FROM segments WHERE transcript_id = 'A_CSU_admission_policy' AND n = 5"
        ).fetchone()[0]
        start = excluded.index("(a)")
        save_decision(
            db,
            Decision(
                "A_CSU_admission_policy",
                5,
                "alice",
                frozenset({"csu-admission"}),
                note="Exclusions are where the police drop-offs fail.",
                decided_utc="2024-05-02T10:00:00Z",
                excerpts=(Excerpt("csu-admission", start, excluded.index("\n", start)),),
            ),
        )
        save_memo(db, "alice", "segment", "B_coresponder_MOU:8", "Welfare checks: compare with P02.")
        save_memo(db, "bob", "transcript", "A_CSU_admission_policy", "The 2023 revision, as given to us.")
    accept_agreed(db, coders=["alice", "bob"], actor="lead")
    save_memo(db, "alice", "segment", "P01:8", "Medical clearance again: compare with P03.")
    save_memo(db, "bob", "transcript", "P06", "Recording starts late; the first minute is missing.")
    save_memo(db, "lead", "code", "csu-admission", "Merge with csu-capacity if kappa stays low.")
    return db


def zip_folder(folder: Path, out: Path) -> Path:
    """A fixture folder (project.qde + sources/) as a .qdpx archive."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file() and file.suffix != ".py":
                archive.write(file, file.relative_to(folder).as_posix())
    return out


def project_snapshot(db) -> dict:
    """Everything the round trip must keep: transcripts, segments, roles, codebook, decisions, attributes, memos."""
    from wei_qual.codebook.versions import get_version
    from wei_qual.store.decisions import iter_decisions
    from wei_qual.store.transcripts import get_attributes, get_transcript_detail

    ids = [r["id"] for r in db.query("SELECT id FROM transcripts ORDER BY id")]
    _, codebook = get_version(db)

    def detail(tid: str) -> dict:
        # A .qdpx carries each speaker's role, not why it was inferred: the reasons are left out.
        d = get_transcript_detail(db, tid)
        d["speakers"] = [(s["label"], s["role"], s["turns"], s["words"]) for s in d["speakers"]]
        del d["roles_reason"]
        # `[p. 3]` says where a document's segment starts, not that it ends there (a project made before
        # segments kept their end page writes it too): it reads back with no end page, cited as page 3 the
        # same. A segment over pages (`[pp. 3–4]`) keeps its end page.
        for s in d["segments"]:
            if s.get("end_page") == s.get("page"):
                s["end_page"] = None
        return d

    return {
        "transcripts": [detail(i) for i in ids],
        "texts": [r["text"] for r in db.query("SELECT text FROM transcripts ORDER BY id")],
        "codebook": codebook,
        "decisions": [
            (
                d.transcript,
                d.segment,
                d.coder,
                sorted(d.codes),
                d.note,
                d.rationale,
                d.decided_utc,
                d.excerpts,
                sorted(d.shown),  # the suggestions shown and taken (a Suggestions note)
                sorted(d.accepted),
            )
            for d in iter_decisions(db)
        ],
        "attributes": get_attributes(db),
        "memos": [
            (r["coder_id"], r["target_type"], r["target_id"], r["text"])
            for r in db.query("SELECT * FROM memos ORDER BY coder_id, target_type, target_id")
        ],
    }
