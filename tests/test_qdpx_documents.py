"""Policy documents through a .qdpx: the sample's PDF and .docx documents come back as documents (same
segments, section labels, pages, decisions, excerpts, memos), a second export equals the first, other
tools' files stay interviews unless a source is named with --document, and the PII refusal of a new
project names the allowlist route."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import FIXTURES, SAMPLE, build_sample_project, project_snapshot, zip_folder

from wei_qual.deid import add_to_project_allowlist, load_allow_file
from wei_qual.errors import ExportError
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project, load_qdpx
from wei_qual.store import open_db

DOCUMENTS = ("A_CSU_admission_policy", "B_coresponder_MOU")
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The sample with its documents, exported once for the module."""
    folder = tmp_path_factory.mktemp("documents")
    original = build_sample_project(folder / "a.db", documents=True)
    result = export_project(original, folder / "a.qdpx", name="sample")
    return folder, original, result


def _new_project(path: Path):
    db = open_db(path)
    add_to_project_allowlist(db, load_allow_file(SAMPLE / "allowlist.lst"))  # as the original project has
    return db


def _segments(db, tid: str) -> list[tuple]:
    return [
        tuple(r)
        for r in db.execute(
            "SELECT n, speaker, role, label, page, text, start_char, end_char FROM segments "
            "WHERE transcript_id = ? ORDER BY n",
            [tid],
        )
    ]


def _excerpts(db) -> list[tuple]:
    from wei_qual.store.decisions import iter_decisions

    return [(d.transcript, d.segment, d.coder, d.excerpts) for d in iter_decisions(db) if d.excerpts]


def _canonical_qde(path: Path) -> tuple[str, list[bytes]]:
    """project.qde with GUIDs numbered in order of first appearance and the times that belong to the
    project file (its creation, each source's ingest) left out; and the source texts in that order."""
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        numbered: dict[str, str] = {}
        canonical = _GUID.sub(lambda m: numbered.setdefault(m[0], f"guid-{len(numbered)}"), qde)
        canonical = re.sub(
            r'(<(?:Project|TextSource) [^>]*?) (creation|modified)DateTime="[^"]*"', r"\1", canonical
        )
        canonical = re.sub(
            r'(<(?:Project|TextSource) [^>]*?) (creation|modified)DateTime="[^"]*"', r"\1", canonical
        )
        texts = [
            archive.read(f"sources/{g}.txt") for g in numbered if f"sources/{g}.txt" in archive.namelist()
        ]
    return canonical, texts


def test_the_sample_documents_export_without_warnings_and_read_well_in_other_tools(exported):
    folder, _, result = exported
    assert result.warnings == []
    with zipfile.ZipFile(folder / "a.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
        texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")]
    # Every case says what it is; a document's case has no interviewer labels.
    assert qde.count('name="Source kind"') == 1
    policy = next(t for t in texts if "Crisis Stabilization Unit Admission Policy" in t)
    # Another tool's reader sees each section under its heading, with its page.
    assert policy.startswith("[p. 1] Crisis Stabilization Unit Admission Policy\n\nThis policy is fictional.")
    assert "\n\n[p. 1] 3.2 Exclusion criteria\n\nThe unit does not admit a person who:\n\n(a)" in policy
    assert "\n\n[p. 2] 3.3 Medical clearance\n\n" in policy
    # A selection per coded document segment (all 12 + 13 here), named so the import finds them, and a
    # note on each document that keeps where its segments lie.
    names = re.findall(
        r'<PlainTextSelection [^>]*name="((?:A_CSU_admission_policy|B_coresponder_MOU) [^"]*)"', qde
    )
    assert len([n for n in names if " excerpt" not in n]) == 25
    # An excerpt's selection names the page of its own words.
    assert (
        "A_CSU_admission_policy segment 12" in names
        and "A_CSU_admission_policy segment 5 excerpt, page 1" in names
    )
    assert qde.count('name="wei-qual segments"') == 2


def test_an_uncoded_document_segment_gets_no_selection_and_still_comes_back(exported, tmp_path):
    """ATLAS.ti shows every selection as a quotation: an uncoded section is no selection (no empty
    quotation), and the import finds its bounds in the document's segments note."""
    import sqlite3

    _, original, _ = exported
    (tmp_path / "u.db").touch(mode=0o600)  # a project file is owner-only
    with sqlite3.connect(tmp_path / "u.db") as copy:
        original.conn.backup(copy)
    db = open_db(tmp_path / "u.db")
    ids = "SELECT id FROM segments WHERE transcript_id = 'A_CSU_admission_policy' AND n IN (3, 4)"
    with db.conn:
        db.execute(f"DELETE FROM decisions WHERE segment_id IN ({ids})")
    export_project(db, tmp_path / "u.qdpx", name="sample")
    with zipfile.ZipFile(tmp_path / "u.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert 'name="A_CSU_admission_policy segment 2"' in qde
    assert 'name="A_CSU_admission_policy segment 3"' not in qde
    assert 'name="A_CSU_admission_policy segment 4"' not in qde
    plan = load_qdpx(tmp_path / "u.qdpx")
    assert (
        plan.warnings == []
        and plan.lost == []
        and not any(m["text"].startswith("Where wei-qual") for m in plan.memos)
    )
    (policy,) = [t for t in plan.transcripts if t.id == "A_CSU_admission_policy"]
    want = _segments(original, "A_CSU_admission_policy")
    assert [(s.label, s.page, s.text) for s in policy.segments] == [(w[3], w[4], w[5]) for w in want]


def test_documents_come_back_as_documents_and_a_second_export_is_the_same(exported, tmp_path, runner):
    import json

    from wei_qual.cli import app

    folder, original, _ = exported
    copy = _new_project(tmp_path / "b.db")
    imported = import_project(copy, folder / "a.qdpx")  # no --allow-pii: the sample has no identifiers
    report = imported.to_json()
    assert report["lost"] == [] and report["warnings"] == []
    kinds = dict(copy.execute("SELECT id, kind FROM transcripts").fetchall())
    assert {t: kinds[t] for t in DOCUMENTS} == {t: "document" for t in DOCUMENTS}
    assert sum(k == "interview" for k in kinds.values()) == 10
    for tid in DOCUMENTS:
        assert _segments(copy, tid) == _segments(original, tid)
    assert _segments(copy, "B_coresponder_MOU")[3][3:5] == ("3.1 (3. Roles and responsibilities)", 1)
    before, after = project_snapshot(original), project_snapshot(copy)
    for key in before:
        assert before[key] == after[key], key
    assert _excerpts(copy) == _excerpts(original) != []
    runs = [
        runner.invoke(
            app,
            ["agree", "--kind", "document", "--format", "json", "--db", str(db)],
            catch_exceptions=False,
        )
        for db in (folder / "a.db", tmp_path / "b.db")
    ]
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)

    # The copy exports the same file again: GUIDs aside (the copy is a new project) and the times that
    # belong to the file (the project's creation, each source's import), project.qde and the texts are equal.
    second = export_project(copy, tmp_path / "b.qdpx", name="sample")
    assert second.warnings == []
    assert _canonical_qde(tmp_path / "b.qdpx") == _canonical_qde(folder / "a.qdpx")
    again = _new_project(tmp_path / "c.db")
    import_project(again, tmp_path / "b.qdpx")
    assert project_snapshot(again) == after


def test_a_document_changed_in_another_tool_is_split_as_ingest_splits_text(exported, tmp_path):
    """Without wei-qual's segment selections (a tool that renames or drops them), a source marked as a
    document is split by numbered section from its text, with a warning; its codings still land."""
    folder, original, _ = exported
    with zipfile.ZipFile(folder / "a.qdpx") as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    qde = re.sub(r'name="A_CSU_admission_policy segment (\d+)"', r'name="Quotation \1"', qde)
    # and drops wei-qual's note of where the segments lie
    policy = re.search(r'<TextSource [^>]*name="A_CSU_admission_policy".*?</TextSource>', qde, re.DOTALL)[0]
    kept = set(re.findall(r'<Note guid="([^"]+)" name="wei-qual segments"', qde))
    (note,) = kept & set(re.findall(r'<NoteRef targetGUID="([^"]+)"/>', policy))
    members["project.qde"] = qde.replace(f'<NoteRef targetGUID="{note}"/>', "").encode()
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(edited, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    plan = load_qdpx(edited)
    assert any('"A_CSU_admission_policy" is marked as a document' in w for w in plan.warnings)
    policy = next(t for t in plan.transcripts if t.id == "A_CSU_admission_policy")
    assert policy.kind == "document"
    labels = [s.label for s in policy.segments]
    assert labels == [s[3] for s in _segments(original, "A_CSU_admission_policy")]
    assert [s.text for s in policy.segments] == [s[5] for s in _segments(original, "A_CSU_admission_policy")]
    assert [s.page for s in policy.segments] == [s[4] for s in _segments(original, "A_CSU_admission_policy")]
    coded = {
        (d.segment, d.coder, d.codes) for d in plan.decisions if d.transcript == "A_CSU_admission_policy"
    }
    assert (2, "alice", frozenset({"csu-admission"})) in coded  # on 1 Purpose, as in the original


@pytest.mark.parametrize("name", ["nvivo", "nvivo-mac", "atlasti", "maxqda", "qualcoder"])
def test_other_tools_files_stay_interviews(name, tmp_path):
    plan = load_qdpx(zip_folder(FIXTURES / name, tmp_path / f"{name}.qdpx"))
    assert plan.transcripts and {t.kind for t in plan.transcripts} == {"interview"}
    assert all(s.label is None and s.role != "document" for t in plan.transcripts for s in t.segments)
    assert not any("marked as a document" in w for w in plan.warnings)


NO_LABELS = (
    'source "district_notes.txt" has no speaker labels, so it is read as an interview whose every segment '
    "is participant speech. If it is a document (a policy, a protocol), import it with --document "
    "district_notes.txt."
)


def test_a_source_without_speaker_labels_is_pointed_to_document(tmp_path):
    qualcoder = load_qdpx(zip_folder(FIXTURES / "qualcoder", tmp_path / "qualcoder.qdpx"))
    assert NO_LABELS in qualcoder.warnings
    nvivo = load_qdpx(zip_folder(FIXTURES / "nvivo", tmp_path / "nvivo.qdpx"))  # labelled interviews
    assert not any("no speaker labels" in w for w in nvivo.warnings)


@pytest.mark.parametrize("named", ["district_notes", "district_notes.txt", "district*"])
def test_a_source_named_with_document_is_read_as_a_document_with_its_codings(named, tmp_path):
    path = zip_folder(FIXTURES / "qualcoder", tmp_path / "qualcoder.qdpx")
    interview = load_qdpx(path)
    plan = load_qdpx(path, as_documents=[named])
    (notes,) = plan.transcripts
    assert notes.kind == "document" and {s.role for s in notes.segments} == {"document"}
    # Split by paragraph, as `ingest --kind document` splits the text file; each coding lands on the
    # paragraph that holds it, as it does when the source is read as an interview.
    assert [s.text for s in notes.segments] == [s.text for s in interview.transcripts[0].segments]
    assert [(d.segment, d.coder, d.codes) for d in plan.decisions] == [
        (2, "default", frozenset({"hospital"})),
        (3, "default", frozenset({"crisis-unit"})),
    ]
    assert NO_LABELS not in plan.warnings


def test_document_naming_no_source_is_refused_before_anything_is_written(tmp_path, runner):
    from wei_qual.cli import app

    path = zip_folder(FIXTURES / "nvivo", tmp_path / "nvivo.qdpx")
    message = (
        f'"{path}": --document "Policy*" names no source of the file; its sources are "Interview 11.docx". '
        'Name one of them, or give a pattern such as "Policy*".'
    )
    with pytest.raises(ExportError) as refused:
        load_qdpx(path, as_documents=["Policy*"])
    assert str(refused.value) == message
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--document", "Policy*", "--db", str(db)])
    assert result.exit_code == 1 and result.stderr == f"Error: {message}\n"
    assert not db.exists()

    imported = runner.invoke(
        app,
        [
            "project",
            "import",
            str(zip_folder(FIXTURES / "qualcoder", tmp_path / "q.qdpx")),
            "--document",
            "district_notes",
            "--db",
            str(db),
        ],
    )
    assert imported.exit_code == 0, imported.output
    listed = runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db)])
    assert [(t["id"], t["kind"]) for t in json.loads(listed.stdout)] == [("district_notes", "document")]


def test_a_new_project_is_refused_on_the_sample_interviewer_and_told_the_allowlist_route(
    exported, tmp_path, runner
):
    from wei_qual.cli import app

    folder, _, _ = exported
    new = tmp_path / "new.db"
    refused = runner.invoke(app, ["project", "import", str(folder / "a.qdpx"), "--db", str(new)])
    assert refused.exit_code == 1 and not new.exists()
    message = " ".join(refused.output.split())
    assert f"\"wei-qual deid allow add 'NAME' --db {new}\"" in message
    assert "P09" in message and "Nothing was imported" in message
    assert "Dana" not in message and "Whitfield" not in message  # neither the found name nor the text
    assert len(refused.output.strip().splitlines()) <= 6 and "Traceback" not in refused.output
    # The route works on a project that does not exist yet.
    added = runner.invoke(app, ["deid", "allow", "add", "Dana Whitfield", "--db", str(new)])
    assert added.exit_code == 0, added.output
    imported = runner.invoke(app, ["project", "import", str(folder / "a.qdpx"), "--db", str(new)])
    assert imported.exit_code == 0, imported.output
    # The core message, too, never carries the name.
    with pytest.raises(ExportError) as refusal:
        import_project(open_db(tmp_path / "core.db"), folder / "a.qdpx")
    assert "deid allow add 'NAME'" in str(refusal.value) and "Whitfield" not in str(refusal.value)


def test_export_warns_when_a_heading_would_not_read_back():
    from wei_qual.qdpx.export import _check_document_round_trip
    from wei_qual.qdpx.layout import export_document_text

    def seg(n, label, page, text="Text of the section."):
        return {"n": n, "label": label, "page": page, "text": text}

    fine = [
        seg(1, "Preamble", None),
        seg(2, None, 2),
        seg(3, None, None),
        seg(4, "4.2 Exclusion criteria", 3),
        seg(5, "A heading\non two lines", 3, "Text\n\nin two paragraphs."),
    ]
    text, spans = export_document_text(fine)
    assert _check_document_round_trip("D", text, fine, spans) == []
    for odd in (
        [seg(1, "[p. 4] looks like a page", None)],
        [seg(1, "\nafter a line break", None)],
        [seg(1, "", None)],  # an empty label reads back as none
    ):
        text, spans = export_document_text(odd)
        (warning,) = _check_document_round_trip("D", text, odd, spans)
        assert (
            warning.startswith('document "D": segment 1 will not come back the same')
            and "looks" not in warning
        )


def test_a_section_over_a_page_break_keeps_its_end_page_through_a_qdpx(exported, tmp_path):
    """A section that runs onto the next page is written `[pp. 2–3]` and comes back with its end page;
    `[p. 2]` (what a project made before end pages writes too) comes back with none, cited as page 2."""
    import sqlite3

    _, original, _ = exported
    (tmp_path / "s.db").touch(mode=0o600)
    with sqlite3.connect(tmp_path / "s.db") as copy:
        original.conn.backup(copy)
    db = open_db(tmp_path / "s.db")
    with db.conn:  # 5.2 Follow-up runs from page 2 onto page 3, as in a longer edition of the policy
        db.execute(
            "UPDATE segments SET end_page = 3 WHERE transcript_id = 'A_CSU_admission_policy' AND n = 11"
        )
    result = export_project(db, tmp_path / "s.qdpx", name="sample")
    assert result.warnings == []
    with zipfile.ZipFile(tmp_path / "s.qdpx") as archive:
        texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")]
    policy = next(t for t in texts if "Crisis Stabilization Unit Admission Policy" in t)
    assert "\n\n[pp. 2–3] 5.2 Follow-up\n\n" in policy and "\n\n[p. 2] 5.1 Discharge planning\n\n" in policy
    plan = load_qdpx(tmp_path / "s.qdpx")
    (back,) = [t for t in plan.transcripts if t.id == "A_CSU_admission_policy"]
    assert [(s.n, s.page, s.end_page) for s in back.segments if s.n in (10, 11, 12)] == [
        (10, 2, None),
        (11, 2, 3),
        (12, 3, None),
    ]


def test_document_headings_carry_a_page_range():
    from wei_qual.qdpx.layout import document_heading, read_document_heading, split_document_text

    assert document_heading("4.2 Exclusion criteria", 3, 4) == "[pp. 3–4] 4.2 Exclusion criteria"
    assert document_heading("4.2 Exclusion criteria", 3, 3) == "[p. 3] 4.2 Exclusion criteria"
    assert document_heading(None, 3, None) == "[p. 3]"
    assert read_document_heading("\n\n[pp. 3–4] 4.2 Exclusion criteria\n\n") == (
        "4.2 Exclusion criteria",
        3,
        4,
    )
    assert read_document_heading("[pp. 3-4]") == (None, 3, 4)  # a hyphen, as another tool's user types it
    assert read_document_heading("[p. 3] Referral") == ("Referral", 3, None)
    # Edited in another tool (no segment selections): split from the text, the range kept.
    turns = split_document_text(
        "[p. 3] 4.1 Eligibility\n\nAdults in crisis.\n\n[pp. 3–4] 4.2 Exclusion criteria\n\nNo one who is violent."
    )
    assert [(t.label, t.page, t.end_page) for t in turns] == [
        ("4.1 Eligibility", 3, None),
        ("4.2 Exclusion criteria", 3, 4),
    ]


def test_the_sample_with_documents_exported_for_nvivo_comes_back_exact(exported, tmp_path):
    """--for nvivo writes \\r\\n line ends counted as two, so every position past the first line moves:
    turns, excerpts and the documents' segment selections must all come back where they were."""
    from wei_qual.qdpx.layout import COUNTINGS

    _, original, _ = exported
    result = export_project(original, tmp_path / "n.qdpx", name="sample", counting=COUNTINGS["nvivo"])
    assert result.warnings == []  # the sample has no emoji: nothing to be unsure of
    copy = _new_project(tmp_path / "n.db")
    report = import_project(copy, tmp_path / "n.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    before, after = project_snapshot(original), project_snapshot(copy)
    for key in before:
        assert before[key] == after[key], key
    assert _excerpts(copy) == _excerpts(original) != []
