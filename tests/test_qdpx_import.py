"""`project import`: fixtures in the shapes NVivo, ATLAS.ti, MAXQDA and QualCoder write, malformed files,
and the lossless round trip wei-qual -> .qdpx -> wei-qual on the sample project."""

from __future__ import annotations

import json
import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import FIXTURES, SAMPLE, build_sample_project, project_snapshot, zip_folder

from wei_qual.deid import add_to_project_allowlist, load_allow_file
from wei_qual.errors import ExportError
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_plan, import_project, load_qdpx
from wei_qual.store import open_db


def _plan(name: str, tmp_path: Path):
    return load_qdpx(zip_folder(FIXTURES / name, tmp_path / f"{name}.qdpx"))


def _decisions(plan) -> list[tuple]:
    return [(d.transcript, d.segment, d.coder, sorted(d.codes), d.note) for d in plan.decisions]


def _lost(plan) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in plan.lost:
        out[x.what] = out.get(x.what, 0) + x.count
    return out


def test_nvivo_lowercase_guids_crlf_bom_codable_parents_cases_and_annotations(tmp_path):
    plan = _plan("nvivo", tmp_path)
    (t,) = plan.transcripts
    assert t.id == "Interview 11"
    assert [(s.n, s.speaker, s.role) for s in t.segments][:2] == [
        (1, "Interviewer", "interviewer"),
        (2, "P11", "participant"),
    ]
    assert (
        t.segments[3].text
        == "Then it is the emergency department, and we sit there for hours.\nSometimes six hours."
    )
    assert t.attributes == {
        "Role": "deputy",
        "Years of service": "12",
        "Rural": "true",
        "case": "Participant 11",
    }
    assert [(c.id, c.parent) for c in plan.codebook.codes] == [
        ("crisis-units", None),
        ("crisis-units-general", "crisis-units"),
        ("no-bed", "crisis-units"),
        ("ed-holding", "crisis-units"),
        ("staffing", None),
        ("repeat-contact", None),
    ]
    assert _decisions(plan) == [
        ("Interview 11", 2, "Alex Morgan", ["staffing"], ""),
        ("Interview 11", 2, "Sam Lee", ["staffing"], ""),
        ("Interview 11", 4, "Alex Morgan", ["crisis-units-general", "ed-holding"], ""),
        ("Interview 11", 5, "Sam Lee", ["repeat-contact"], ""),
        ("Interview 11", 6, "Sam Lee", ["repeat-contact"], ""),
    ]
    assert [(m["coder"], m["target_type"], m["target_id"], m["text"]) for m in plan.memos] == [
        ("Alex Morgan", "segment", "Interview 11:4", "He means the hospital two counties over."),
        # NVivo's own way: an uncoded selection, a Link from the Note to it, the note's text in a .txt
        ("Sam Lee", "segment", "Interview 11:6", "Third call from him this month."),
        ("Alex Morgan", "transcript", "Interview 11", "Called back twice; both visits rural."),
    ]
    assert _lost(plan) == {"code sets": 1, "picture sources": 1, "codings": 2, "notes": 1}
    # "Participant 11" is a case and a node of the code tree (one GUID): its coding of the participant's
    # turns links the case (its attributes above) to the source, and is no code and no decision.
    assert ("codings", 1) in {(x.what, x.count) for x in plan.lost if "NVivo's case nodes" in x.why}
    report = plan.report()
    assert (report["sources"], report["codings"], report["decisions"]) == (2, 8, 5)
    assert (
        "1 selection crossing a turn boundary: its codings apply to every turn they overlap."
        in report["warnings"]
    )
    used = plan.codings_used + sum(x.count for x in plan.lost if x.what == "codings")
    assert used == report["codings"]  # every coding read became part of a decision or is counted as lost


def test_nvivo_for_mac_reads_the_docx_when_the_txt_is_empty(tmp_path):
    plan = _plan("nvivo-mac", tmp_path)
    (t,) = plan.transcripts
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Int", "interviewer"),
        ("Resp", "participant"),
        ("Int", "interviewer"),
        ("Resp", "participant"),
    ]
    assert _decisions(plan) == [
        ("Interview 12", 2, "Jordan Blake", ["co-responder"], ""),
        ("Interview 12", 4, "Jordan Blake", ["jail-as-fallback"], ""),
    ]
    assert t.source.endswith(":sources/C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01.docx")


def test_atlasti_braced_guids_line_ends_counted_once_and_undeclared_users(tmp_path):
    plan = _plan("atlasti", tmp_path)
    assert _decisions(plan) == [
        ("Interview 11", 2, "Riley Chen", ["staffing"], ""),
        ("Interview 11", 2, "user-a1b2c3d4", ["staffing"], ""),
        ("Interview 11", 6, "Riley Chen", ["jail-as-fallback"], ""),
    ]
    assert (
        "1 user referenced but not declared in <Users>: each becomes a coder named after its GUID (user-…)."
        in (plan.warnings)
    )
    assert plan.memos[0]["text"] == "Repeat caller; see interview 4."
    assert _lost(plan) == {"links": 1, "notes": 1}


def test_maxqda_bare_paths_capital_sources_document_variables_and_duplicate_names(tmp_path):
    plan = _plan("maxqda", tmp_path)
    (t,) = plan.transcripts
    # MAXQDA's document groups (Sets of sources) are attributes, true or false; before, they were lost as
    # "code sets" of 0 codes.
    assert t.attributes == {
        "Setting": "urban",
        "Interview date": "2022-10-03",
        "Night shift": "true",
        "Wave 2": "false",
    }
    assert [c.id for c in plan.codebook.codes] == ["responses", "clinician", "clinician-2", "jail"]
    assert '2 codes are named "Clinician": they get the ids clinician, clinician-2.' in plan.warnings
    # \r\n line ends counted as one, as wei-qual writes a file for MAXQDA: read so without a word
    assert not [w for w in plan.warnings if "positions count" in w]
    assert _decisions(plan) == [
        ("Interview 12", 2, "Morgan Diaz", ["clinician", "clinician-2"], ""),
        ("Interview 12", 4, "Morgan Diaz", ["jail"], ""),
    ]
    assert plan.memos[0]["target_id"] == "Interview 12:4"
    assert _lost(plan) == {"PDF sources": 1, "codings": 1}


def test_qualcoder_bom_before_xml_missing_is_codable_and_unlabelled_text(tmp_path):
    plan = _plan("qualcoder", tmp_path)
    (t,) = plan.transcripts
    assert t.id == "district_notes" and [s.speaker for s in t.segments] == [None, None, None]
    assert "1 code has no isCodable attribute; it is read as codable." in plan.warnings
    assert _decisions(plan) == [
        ("district_notes", 2, "default", ["hospital"], ""),
        ("district_notes", 3, "default", ["crisis-unit"], "Fast when a bed is free."),
    ]
    assert t.attributes == {"District": "North", "case": "Sergeant K"}
    # QualCoder's annotation: a Note the source refers to, anchored by a selection inside the note
    assert [(m["target_type"], m["target_id"], m["text"]) for m in plan.memos] == [
        ("segment", "district_notes:1", "Ten a week is the sergeant's estimate.")
    ]


def test_a_codebook_only_project(tmp_path):
    db = open_db(tmp_path / "cb.db")
    result = import_project(db, zip_folder(FIXTURES / "codebook-only", tmp_path / "cb.qdpx"))
    report = result.to_json()
    assert (report["sources"], report["transcripts"], report["codes"], report["lost"]) == (0, 0, 2, [])
    row = db.execute("SELECT name, label FROM codebooks").fetchone()
    assert row == ("Imported from cb.qdpx", "1")


def test_thousands_of_codes(tmp_path):
    codes = "".join(
        f'<Code guid="00000000-0000-4000-8000-{t:06d}000000" name="Theme {t}" isCodable="false">'
        + "".join(
            f'<Code guid="00000000-0000-4000-8000-{t:06d}{k:06d}" name="Code {t}.{k}" isCodable="true"/>'
            for k in range(1, 30)
        )
        + "</Code>"
        for t in range(1, 101)
    )
    folder = tmp_path / "big"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="big">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook></Project>",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "big.db")
    result = import_project(db, zip_folder(folder, tmp_path / "big.qdpx"))
    assert result.to_json()["codes"] == 3000
    assert db.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 3000


def test_round_trip_is_lossless_and_agreement_is_identical(tmp_path, runner):
    from wei_qual.cli import app

    original = build_sample_project(tmp_path / "a.db")
    export_project(original, tmp_path / "a.qdpx", name="sample")
    copy = open_db(tmp_path / "b.db")
    add_to_project_allowlist(copy, load_allow_file(SAMPLE / "allowlist.lst"))  # as the original project has
    result = import_project(copy, tmp_path / "a.qdpx")  # no --allow-pii: the sample has no identifiers
    assert result.to_json()["lost"] == [] and result.to_json()["warnings"] == []
    before, after = project_snapshot(original), project_snapshot(copy)
    for key in before:
        assert before[key] == after[key], key
    runs = [
        runner.invoke(
            app, ["agree", "--format", "json", "--db", str(tmp_path / f"{name}.db")], catch_exceptions=False
        )
        for name in ("a", "b")
    ]
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
    # ... and the copy exports the same project again (same GUIDs aside, as the project id is new)
    export_project(copy, tmp_path / "b.qdpx", name="sample")
    again = open_db(tmp_path / "c.db")
    add_to_project_allowlist(again, load_allow_file(SAMPLE / "allowlist.lst"))
    import_project(again, tmp_path / "b.qdpx")
    assert project_snapshot(again) == after


# ---- malformed input: one line, nothing written ------------------------------------------------------


def _zip(tmp_path: Path, members: dict[str, bytes | str], name: str = "bad.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


QDE_OK = (FIXTURES / "nvivo-mac" / "project.qde").read_text(encoding="utf-8")


def test_malformed_archives_are_refused_with_one_line(tmp_path):
    not_zip = tmp_path / "plain.qdpx"
    not_zip.write_text("hello")
    with pytest.raises(ExportError) as info:
        load_qdpx(not_zip)
    assert str(info.value) == (
        f'"{not_zip}" is not a REFI-QDA project (.qdpx) (not a zip archive). Export the project again as REFI-QDA .qdpx.'
    )
    no_qde = _zip(tmp_path, {"sources/a.txt": "x"})
    with pytest.raises(ExportError, match="holds no project.qde, so it is not a REFI-QDA project"):
        load_qdpx(no_qde)


def test_schema_errors_name_the_line(tmp_path):
    bad = QDE_OK.replace('startPosition="', 'beginning="', 1)
    path = _zip(tmp_path, {"project.qde": bad})
    with pytest.raises(ExportError) as info:
        load_qdpx(path)
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "beginning=" in x)) + 1
    assert str(info.value).startswith(
        f'"{path}": project.qde, line {line}: does not follow the REFI-QDA project schema ('
    )


@pytest.mark.parametrize("valid", [True, False])
def test_a_large_project_qde_validated_by_a_child_reads_the_same(tmp_path, monkeypatch, valid):
    """From a megabyte up, a forked child checks project.qde against the schema while this process reads
    it: a valid file gives the same plan, and one that breaks the schema the same message with its line."""
    from wei_qual import parallel
    from wei_qual.qdpx import read

    folder = tmp_path / "nvivo-mac"
    shutil.copytree(FIXTURES / "nvivo-mac", folder)
    if not valid:
        (folder / "project.qde").write_text(
            QDE_OK.replace('startPosition="', 'beginning="', 1), encoding="utf-8"
        )
    path = zip_folder(folder, tmp_path / "nvivo-mac.qdpx")

    def outcome():
        try:
            return load_qdpx(path).report()
        except ExportError as ex:
            return str(ex)

    here = outcome()
    forked = []
    real = parallel.in_background
    monkeypatch.setattr(parallel, "in_background", lambda task: forked.append(1) or real(task))
    monkeypatch.setattr(read, "_VALIDATE_ELSEWHERE", 0)
    assert outcome() == here and forked == ([1] if parallel.default_jobs() > 1 else [])
    assert ("does not follow the REFI-QDA project schema" in here) != valid


def _edited_after_coding(tmp_path: Path, tool: str, selection: str) -> Path:
    """The tool's fixture with one coded selection past the end of its source however it is counted, as a
    project whose source was shortened after that passage was coded."""
    folder = tmp_path / tool
    shutil.copytree(FIXTURES / tool, folder)
    qde = (folder / "project.qde").read_text(encoding="utf-8")
    qde, n = re.subn(
        rf'(guid="{re.escape(selection)}"[^>]*? startPosition=")(\d+)(" endPosition=")(\d+)',
        lambda m: f"{m[1]}{int(m[2]) + 900}{m[3]}{int(m[4]) + 900}",
        qde,
    )
    assert n == 1
    (folder / "project.qde").write_text(qde, encoding="utf-8")
    return zip_folder(folder, tmp_path / f"{tool}-edited.qdpx")


@pytest.mark.parametrize(
    ("tool", "selection", "lost", "notes"),
    [
        ("nvivo", "08cbced0-d736-44c8-8fd6-eb4d29fe46c8", '1245 to 1339 ("Repeat contact" by Sam Lee)', 0),
        # ATLAS.ti counts a line end as one, NVivo as two: past the end either way. Its quotation's comment
        # goes with it.
        (
            "atlasti",
            "{A1B2C3D4-0000-4000-8000-0000000000E2}",
            '1273 to 1328 ("Jail as fallback" by Riley Chen and 1 note)',
            1,
        ),
    ],
)
def test_a_selection_past_the_end_is_lost_and_the_rest_imported(tool, selection, lost, notes, tmp_path):
    whole = _plan(tool, tmp_path)
    plan = load_qdpx(_edited_after_coding(tmp_path, tool, selection))
    assert [t.text for t in plan.transcripts] == [t.text for t in whole.transcripts]
    assert plan.codings_read == whole.codings_read
    (item,) = [x for x in plan.lost if "outside its text" in x.why]
    gone = {d[:3] for d in _decisions(whole)} - {d[:3] for d in _decisions(plan)}
    assert item.what == "codings" and item.count == 1
    assert sum(x.count for x in plan.lost) == sum(x.count for x in whole.lost) + 1 + notes
    assert lost in item.why and 'source "Interview 11' in item.why
    assert gone and all(d[2] == lost.split(" by ")[1].split(" and")[0].rstrip('")') for d in gone)
    assert any(item.why in w and "The rest of the project is imported" in w for w in plan.warnings)


def test_an_nvivo_case_coding_past_the_end_is_named_as_the_case(tmp_path):
    plan = load_qdpx(_edited_after_coding(tmp_path, "nvivo", "08cbced0-d736-44c8-8fd6-eb4d29fe46ca"))
    (item,) = [x for x in plan.lost if "outside its text" in x.why]
    assert item.why.endswith('986 to 1339 ("case Participant 11" by Alex Morgan)')
    # That coding was all that tied the case, and its attributes, to the source: they are lost, and said.
    assert plan.transcripts[0].attributes == {} and _lost(plan)["cases"] == 1


def test_a_selection_past_the_end_through_the_cli_exits_0_and_says_so(tmp_path, runner):
    from wei_qual.cli import app

    qdpx = _edited_after_coding(tmp_path, "nvivo", "08cbced0-d736-44c8-8fd6-eb4d29fe46c8")
    result = runner.invoke(
        app, ["project", "import", str(qdpx), "--db", str(tmp_path / "n.db"), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    (item,) = [x for x in report["lost"] if "outside its text" in x["why"]]
    assert '1245 to 1339 ("Repeat contact" by Sam Lee)' in item["why"]
    assert '1245 to 1339 ("Repeat contact" by Sam Lee)' in result.stderr


def test_a_missing_file(tmp_path):
    missing = _zip(tmp_path, {"project.qde": QDE_OK}, name="missing.qdpx")
    with pytest.raises(ExportError) as info:
        load_qdpx(missing)
    assert str(info.value) == (
        f'"{missing}": source "Interview 12" refers to "internal://C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01.txt", which is '
        "not in the archive. Export the project again with its sources embedded."
    )


def test_external_entities_and_dtds_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    evil = QDE_OK.replace(
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>\n',
    )
    path = _zip(tmp_path, {"project.qde": evil})
    with pytest.raises(ExportError) as info:
        load_qdpx(path)
    assert "declares a DTD (<!DOCTYPE>)" in str(info.value)
    used = _zip(
        tmp_path, {"project.qde": evil.replace('name="Jordan Blake"', 'name="&x;"')}, name="used.qdpx"
    )
    with pytest.raises(ExportError) as info:
        load_qdpx(used)
    assert "declares a DTD (<!DOCTYPE>)" in str(info.value) and "TOPSECRET" not in str(info.value)


def test_a_non_empty_project_is_refused_and_nothing_changes(tmp_path):
    db = build_sample_project(tmp_path / "full.db")
    before = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    plan = _plan("nvivo-mac", tmp_path)
    with pytest.raises(ExportError) as info:
        import_plan(db, plan)
    assert str(info.value).startswith("The project already holds 10 transcripts, 1 codebook version, ")
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before


def test_the_pii_gate_refuses_and_allow_pii_is_audited(tmp_path):
    folder = tmp_path / "pii"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(
        QDE_OK.replace('richTextPath="internal://C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01.docx" ', "").split(
            "<Sources>"
        )[0]
        + '<Sources><TextSource guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01" name="p" '
        'plainTextPath="internal://p.txt"/></Sources></Project>',
        encoding="utf-8",
    )
    (folder / "sources" / "p.txt").write_text(
        "Interviewer: Who called?\n\nP01: Call me at 555-867-5309 any time.\n"
    )
    path = zip_folder(folder, tmp_path / "pii.qdpx")
    db = open_db(tmp_path / "pii.db")
    with pytest.raises(ExportError) as info:
        import_project(db, path)
    assert "likely identifiers at 3:" in str(info.value) and "555" not in str(info.value)
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0
    result = import_project(db, path, allow_pii=True)
    assert result.pii_allowed == ["p"]
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'allow_pii'").fetchone()[0] == 1


def _twelve_sources(tmp_path: Path, *, identifiers: tuple[int, ...] = ()) -> Path:
    """A .qdpx of twelve interview sources P01-P12 (enough for forked workers); a phone number in those
    numbered in `identifiers`."""
    folder = tmp_path / "study"
    (folder / "sources").mkdir(parents=True)
    head = QDE_OK.replace('richTextPath="internal://C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01.docx" ', "")
    sources = "".join(
        f'<TextSource guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C{n:02d}" name="P{n:02d}" '
        f'plainTextPath="internal://p{n:02d}.txt"/>'
        for n in range(1, 13)
    )
    (folder / "project.qde").write_text(
        head.split("<Sources>")[0] + f"<Sources>{sources}</Sources></Project>", encoding="utf-8"
    )
    for n in range(1, 13):
        said = "Call me at 555-867-5309 any time." if n in identifiers else "The unit took him to the CSU."
        (folder / "sources" / f"p{n:02d}.txt").write_text(f"Interviewer: Who called?\n\nP{n:02d}: {said}\n")
    return zip_folder(folder, tmp_path / "study.qdpx")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_study_sized_import_is_scanned_in_order_by_one_or_more_processes(jobs, tmp_path, monkeypatch):
    # Eight sources or more are split, built and scanned by forked workers: the refusal still names the first source with
    # an identifier, and --allow-pii lets through exactly the flagged ones, in the file's order.
    from wei_qual import parallel

    monkeypatch.setattr(parallel, "default_jobs", lambda: jobs)
    forked = []
    ordered_map = parallel.ordered_map
    monkeypatch.setattr(parallel, "ordered_map", lambda *a, **k: forked.append(a[2]) or ordered_map(*a, **k))
    path = _twelve_sources(tmp_path, identifiers=(4, 9))
    db = open_db(tmp_path / "study.db")
    threads = threading.active_count()
    with pytest.raises(ExportError) as info:
        import_project(db, path)
    assert 'source "P04" has likely identifiers at 3:' in str(info.value)
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0
    # The scan the refusal left unfinished has ended, its pool's threads too: a thread left running would
    # have every later import or ingest of this process (a notebook's) work in one process.
    assert threading.active_count() <= threads
    assert import_project(db, path, allow_pii=True).pii_allowed == ["P04", "P09"]
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 12
    # each import: its sources split and built, then scanned
    assert forked == ([2, 2, 2, 2] if jobs == 2 else [])


def test_an_import_failing_after_its_scan_started_ends_the_scan_and_its_threads(tmp_path, monkeypatch):
    # A teammate's session holds the project's write lock: the import fails after forked workers began
    # scanning. The unfinished scan ends with the error, its pool's threads too: a thread left running
    # would have every later import or ingest of this process (a notebook's) work in one process.
    import sqlite3

    from wei_qual import parallel

    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    path = _twelve_sources(tmp_path)
    db = open_db(tmp_path / "study.db")
    db.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(tmp_path / "study.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    started = []
    ordered_map = parallel.ordered_map
    monkeypatch.setattr(parallel, "ordered_map", lambda *a, **k: started.append(a[2]) or ordered_map(*a, **k))
    threads = threading.active_count()
    try:
        # The error is kept, as a notebook keeps its last one (sys.last_value): the failed import's frames
        # with it, and so, unless ended, the scan.
        with pytest.raises(sqlite3.OperationalError, match="locked") as kept:
            import_project(db, path)
        assert started == [2, 2]  # its sources split and built, then the scan begun
        assert threading.active_count() <= threads, kept
    finally:
        other.rollback()
        other.close()
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0


def test_a_worker_stuck_on_a_source_ends_the_import_naming_it_with_nothing_written(tmp_path, monkeypatch):
    import gc
    import os
    import signal

    from wei_qual import parallel
    from wei_qual.errors import WeiQualError
    from wei_qual.ingest.gate import PiiGate

    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    monkeypatch.setattr(parallel, "IDLE", 0.4)
    # The sources split here: the threads of a pool just ended would have the scan run here too (_alone).
    monkeypatch.setattr(parallel, "map_many", lambda task, items, count, **options: map(task, items))
    parent, scan = os.getpid(), PiiGate.scan

    def stopped_on_p06(self, text, ids, name, **options):  # a worker stopped, or hung without dying
        if name == "P06" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGSTOP)
        return scan(self, text, ids, name, **options)

    monkeypatch.setattr(PiiGate, "scan", stopped_on_p06)
    db = open_db(tmp_path / "study.db")
    # The pool of an import refused earlier, dropped unfinished, ends with its threads; a thread left by
    # another test would have the scan run here (parallel._alone), where it would not be stopped.
    gc.collect()
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    with pytest.raises(WeiQualError, match=r'^Source "P06": its worker process was stuck'):
        import_project(db, _twelve_sources(tmp_path))
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0


def test_a_name_in_a_source_name_is_refused(tmp_path):
    # NVivo and MAXQDA users name sources after the person; the name becomes the transcript id.
    folder = tmp_path / "named"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(
        QDE_OK.replace('richTextPath="internal://C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01.docx" ', "").split(
            "<Sources>"
        )[0]
        + '<Sources><TextSource guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01" name="Interview Maria Lopez" '
        'plainTextPath="internal://p.txt"/></Sources></Project>',
        encoding="utf-8",
    )
    (folder / "sources" / "p.txt").write_text("Interviewer: Who called?\n\nP01: My sister did.\n")
    db = open_db(tmp_path / "named.db")
    with pytest.raises(ExportError) as info:
        import_project(db, zip_folder(folder, tmp_path / "named.qdpx"))
    assert "has likely identifiers at its name (person)" in str(info.value)
    assert db.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0


@pytest.mark.parametrize("name", ["nvivo", "nvivo-mac", "atlasti", "maxqda", "qualcoder", "sample"])
def test_a_valid_file_is_read_as_a_stream_and_gives_what_the_whole_file_gives(name, tmp_path, monkeypatch):
    """project.qde is validated and read as a stream, each source, case and note dropped once read; the
    whole-file reading (still used for the message when a file fails) gives the same project."""
    from wei_qual.qdpx import read
    from wei_qual.qdpx.zipio import open_zip

    qdpx = zip_folder(FIXTURES / name, tmp_path / f"{name}.qdpx")
    with open_zip(qdpx, what=read.WHAT) as archive:
        z = read._Zip(archive, qdpx)
        root = read._parse_xml(z.read("project.qde"), "x")
        quirks: list[str] = []
        read._check_schema(root, "x", quirks)
        whole = read._finish(read._read_project(root, z, qdpx, quirks), qdpx)
    dropped = []
    drop = read._drop
    monkeypatch.setattr(read, "_drop", lambda el: dropped.append(read.local_name(el)) or drop(el))

    def no_whole_file(*args):
        raise AssertionError("a valid file was read whole")

    monkeypatch.setattr(read, "_parse_xml", no_whole_file)
    streamed = read.read_qdpx(qdpx)
    assert streamed == whole
    kinds = {k: dropped.count(k) for k in set(dropped)}
    assert kinds.get("TextSource", 0) == len(whole.sources) and kinds.get("Case", 0) == len(whole.cases)
    assert kinds.get("Note", 0) == len(whole.notes)


def test_a_code_without_is_codable_is_mended_in_the_stream_as_in_the_whole_file(tmp_path, monkeypatch):
    from wei_qual.qdpx import read

    folder = tmp_path / "mended"
    zip_folder(FIXTURES / "sample", tmp_path / "q.qdpx")
    with zipfile.ZipFile(tmp_path / "q.qdpx") as archive:
        archive.extractall(folder)
    qde = (folder / "project.qde").read_text(encoding="utf-8")
    assert qde.count('isCodable="true"') >= 2
    (folder / "project.qde").write_text(qde.replace(' isCodable="true"', "", 2), encoding="utf-8")
    qdpx = zip_folder(folder, tmp_path / "mended.qdpx")
    monkeypatch.setattr(read, "_stream_project", lambda *a: (_ for _ in ()).throw(ValueError("no stream")))
    whole = read.read_qdpx(qdpx)  # the whole-file reading mends the tree before validating it
    monkeypatch.undo()
    monkeypatch.setattr(read, "_parse_xml", lambda *a: (_ for _ in ()).throw(AssertionError("read whole")))
    project = read.read_qdpx(qdpx)
    assert "2 codes have no isCodable attribute; they are read as codable." in project.quirks
    assert project == whole


def _one_source(
    tmp_path: Path,
    text: str,
    spans: list[tuple[int, int]],
    *,
    origin: str = "QualCoder 3.5",
    data: bytes | None = None,
) -> Path:
    """A QualCoder-style .qdpx: one source, one coder, one code per selection (k0, k1, ...); another tool's
    with `origin`, and the source file's bytes as that tool writes them with `data`."""
    codes = "".join(
        f'<Code guid="00000000-0000-4000-8000-0000000001{i:02d}" name="k{i}" isCodable="true"/>'
        for i in range(len(spans))
    )
    selections = "".join(
        f'<PlainTextSelection guid="00000000-0000-4000-8000-0000000002{i:02d}" startPosition="{a}" endPosition="{b}" '
        'creatingUser="00000000-0000-4000-8000-000000000001">'
        f'<Coding guid="00000000-0000-4000-8000-0000000003{i:02d}" creatingUser="00000000-0000-4000-8000-000000000001">'
        f'<CodeRef targetGUID="00000000-0000-4000-8000-0000000001{i:02d}"/></Coding></PlainTextSelection>'
        for i, (a, b) in enumerate(spans)
    )
    source = "00000000-0000-4000-8000-000000000009"
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">'
        '<Users><User guid="00000000-0000-4000-8000-000000000001" name="coder"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        f'<TextSource guid="{source}" name="P01.txt" plainTextPath="internal://{source}.txt">{selections}</TextSource>'
        "</Sources></Project>"
    )
    files = {"project.qde": qde, f"sources/{source}.txt": text.encode() if data is None else data}
    return _zip(tmp_path, files, name="one.qdpx")


def test_a_selection_after_a_label_repeated_inside_the_turn_is_still_its_excerpt(tmp_path):
    # "P01:" twice in a row is one turn of two paragraphs; the turn's text has no second label, so the
    # source's offsets no longer fit it. The selection became a coding of the whole turn, unsaid.
    text = "Interviewer: How long?\n\nP01: Alpha beta gamma.\n\nP01: Second paragraph, Alpha beta again.\n"
    at = text.index("Second")
    twice = text.rindex("Alpha beta")
    whole = (text.index("Alpha"), len(text) - 1)  # both paragraphs, the label between them too: all of it
    plan = load_qdpx(_one_source(tmp_path, text, [(at, at + 6), (twice, twice + 10), whole]))
    (d,) = [d for d in plan.decisions if d.segment == 2]
    turn = plan.transcripts[0].segments[1].text
    assert {e.code: turn[e.start : e.end] for e in d.excerpts} == {"k0": "Second"} and "k2" in d.codes
    # "Alpha beta" is twice in the turn's text: which one was selected cannot be told, so it is the whole
    # turn, and said.
    assert sorted(d.codes) == ["k0", "k1", "k2"]
    assert "1 selection of part of a turn could not be placed in the turn's text" in " ".join(plan.warnings)


def test_an_empty_selection_is_reported_lost_not_made_a_one_character_excerpt(tmp_path):
    text = "Interviewer: How long?\n\nP01: An hour, señor 😀 at least.\n"
    at = text.index("ñ")
    plan = load_qdpx(_one_source(tmp_path, text, [(at, at), (len(text), len(text))]))
    assert plan.decisions == []
    assert {(x.what, x.count, x.why) for x in plan.lost} >= {
        ("codings", 2, "the selection is empty (it selects no text)")
    }


NOTE = '<Note guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D01" name="Memo"><PlainTextContent>First.</PlainTextContent></Note>'
VARIABLE = '<Variable guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D02" name="Role" typeOfVariable="Text"/>'


def test_a_guid_given_twice_or_a_part_stored_twice_is_refused(tmp_path):
    # Which code a coding means, whose work a user's is, which copy of a part is read: none can be told.
    folder = FIXTURES / "nvivo-mac"
    member = "sources/C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01"
    parts = {f"{member}{ext}": (folder / f"{member}{ext}").read_bytes() for ext in (".txt", ".docx")}
    user = '<User guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4CAA" name="Jordan Blake"/>'
    code = 'guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C11"'
    for qde, message in (
        (
            QDE_OK.replace(user, user + user.replace("Jordan Blake", "Someone else")),
            "two users have the GUID",
        ),
        (QDE_OK.replace(code, 'guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C10"'), "two codes have the GUID"),
        # A second note or variable of one GUID silently replaced the first: a memo, or the name of
        # every value of a variable, was lost or changed unsaid.
        (
            QDE_OK.replace("</Sources>", f"</Sources><Notes>{NOTE}{NOTE.replace('First', 'Second')}</Notes>"),
            "two notes have the GUID",
        ),
        (
            QDE_OK.replace(
                "<Sources>", f"<Variables>{VARIABLE}{VARIABLE.replace('Role', 'Age')}</Variables><Sources>"
            ),
            "two variables have the GUID",
        ),
    ):
        path = _zip(tmp_path, {"project.qde": qde, **parts})
        with pytest.raises(ExportError, match=message):
            load_qdpx(path)
    path = tmp_path / "twice.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", QDE_OK)
        for name, data in parts.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr(f"{member}.txt", b"Another text altogether.")
    with pytest.raises(ExportError, match="holds two parts named"):
        load_qdpx(path)


_C01, _C10, _C21 = (f"C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4{x}" for x in ("C01", "C10", "C21"))
_USER = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4CAA"


def _linked_note(qde: str, note: str, target: str) -> str:
    """QDE_OK with a Note and a Link from it to `target`, as NVivo attaches a memo to a passage."""
    return qde.replace(
        "</Sources>",
        f'</Sources><Notes><Note guid="{note}" name="Memo"><PlainTextContent>First.</PlainTextContent></Note>'
        f'</Notes><Links><Link guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D09" originGUID="{note}" '
        f'targetGUID="{target}"/></Links>',
    )


def test_a_guid_shared_across_kinds_is_refused_only_where_a_link_cannot_tell_its_item(tmp_path):
    folder = FIXTURES / "nvivo-mac"
    member = "sources/C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01"
    parts = {f"{member}{ext}": (folder / f"{member}{ext}").read_bytes() for ext in (".txt", ".docx")}
    note = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D01"
    selection = f'PlainTextSelection guid="{_C21}"'
    plan = load_qdpx(_zip(tmp_path, {"project.qde": _linked_note(QDE_OK, note, _C21), **parts}, "ok.qdpx"))
    assert [(m["target_type"], m["target_id"]) for m in plan.memos] == [("segment", "Interview 12:2")]
    # The note went to every item of the GUID: a memo on the segment and another on the transcript (or
    # the code), unsaid.
    for qde, held in (
        (
            _linked_note(QDE_OK.replace(selection, f'PlainTextSelection guid="{_C01}"'), note, _C01),
            "a source and a selection",
        ),
        (
            _linked_note(QDE_OK.replace(selection, f'PlainTextSelection guid="{_C10}"'), note, _C10),
            "a selection and a code",
        ),
        (_linked_note(QDE_OK, _C01, _C21), "a source and a note"),
    ):
        path = _zip(tmp_path, {"project.qde": qde, **parts})
        with pytest.raises(ExportError) as info:
            load_qdpx(path)
        assert str(info.value) == (
            f'"{path}": a Link names the GUID {(_C01 if "source" in held else _C10).lower()}, held by both {held}, '
            "where the REFI-QDA standard makes GUIDs unique, so which item its note belongs to cannot be told. "
            "The file is damaged: export it again."
        )
    # Shared where only references of one kind name it, a GUID is read: a code's equal to the user's (each
    # CodeRef names a code, each creatingUser a user), a selection's equal to its source's with no Link.
    for qde in (
        QDE_OK.replace(f'Code guid="{_C10}"', f'Code guid="{_USER}"').replace(
            f'CodeRef targetGUID="{_C10}"', f'CodeRef targetGUID="{_USER}"'
        ),
        QDE_OK.replace(selection, f'PlainTextSelection guid="{_C01}"'),
    ):
        plan = load_qdpx(_zip(tmp_path, {"project.qde": qde, **parts}, "shared.qdpx"))
        assert _decisions(plan) == [
            ("Interview 12", 2, "Jordan Blake", ["co-responder"], ""),
            ("Interview 12", 4, "Jordan Blake", ["jail-as-fallback"], ""),
        ]


def test_references_to_what_the_file_does_not_hold_are_reported_lost(tmp_path):
    folder = FIXTURES / "nvivo-mac"
    member = "sources/C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01"
    qde = QDE_OK.replace(
        '<CodeRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C10"/></Coding>',
        '<CodeRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C10"/></Coding>'
        '<NoteRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4FFF"/>',
    ).replace(
        "  <Sources>",
        '  <Variables><Variable guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4E02" name="Role" typeOfVariable="Text"/>'
        "</Variables>\n  <Cases>"
        '<Case guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D01" name="Ghost">'
        '<VariableValue><VariableRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4E01"/><IntegerValue>7</IntegerValue>'
        '</VariableValue><SourceRef targetGUID="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4EEE"/></Case></Cases>\n  <Sources>',
    )
    parts = {f"{member}{ext}": (folder / f"{member}{ext}").read_bytes() for ext in (".txt", ".docx")}
    path = _zip(tmp_path, {"project.qde": qde, **parts})
    lost = {(x.what, x.count, x.why) for x in load_qdpx(path).lost}
    assert ("note references", 1, "they name notes the file does not hold") in lost
    assert ("attribute values", 1, "values of variables the file does not declare") in lost
    assert (
        "cases",
        1,
        "cases linked to no text source (or only through codes) carry no attributes here",
    ) in lost


def test_many_codes_of_one_name_or_one_id_are_one_warning_each(tmp_path):
    names = ["Other"] * 4 + ["病院", "😀", "Ärger", "ärger"]
    codes = "".join(
        f'<Code guid="00000000-0000-4000-8000-0000000001{i:02d}" name="{n}" isCodable="true"/>'
        for i, n in enumerate(names)
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="QualCoder 3.5">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook></Project>"
    )
    plan = load_qdpx(_zip(tmp_path, {"project.qde": qde}))
    assert [w for w in plan.warnings if "codes" in w and "ids" in w] == [
        '4 codes are named "Other": they get the ids other, other-2, other-3, other-4.',
        'codes "病院", "😀" make the same id "code": they get the ids code, code-2.',
        'codes "Ärger", "ärger" make the same id "arger": they get the ids arger, arger-2.',
    ]


def test_typed_values_come_back_with_their_type(tmp_path):
    # XML Schema also spells a Boolean 1, an Integer 007 and a Float 3 (or 1E3); they were stored as
    # written, so the project's own export typed them Integer, Text and Integer.
    import shutil

    from lxml import etree

    folder = Path(shutil.copytree(FIXTURES / "maxqda", tmp_path / "typed"))
    qde = (folder / "project.qde").read_text(encoding="utf-8")
    declared = "".join(
        f'<Variable guid="86392BC1-A364-4904-A406-87A7E025EBB{i}" name="{name}" typeOfVariable="{kind}"/>'
        for i, (name, kind) in enumerate([("Consented", "Boolean"), ("Years", "Integer"), ("Hours", "Float")])
    )
    values = "".join(
        f'<VariableValue><VariableRef targetGUID="86392BC1-A364-4904-A406-87A7E025EBB{i}"/>'
        f"<{element}>{text}</{element}></VariableValue>"
        for i, (element, text) in enumerate(
            [("BooleanValue", "1"), ("IntegerValue", "007"), ("FloatValue", "3")]
        )
    )
    qde = qde.replace("  </Variables>", f"    {declared}\n  </Variables>", 1)
    qde = qde.replace("    </TextSource>", f"      {values}\n    </TextSource>", 1)
    (folder / "project.qde").write_text(qde, encoding="utf-8")
    db = open_db(tmp_path / "typed.db")
    import_project(db, zip_folder(folder, tmp_path / "typed.qdpx"), allow_pii=True)
    attributes = db.execute(
        "SELECT name, value FROM attributes WHERE name IN ('Consented', 'Years', 'Hours')"
    )
    assert dict(attributes.fetchall()) == {"Consented": "true", "Years": "7", "Hours": "3.0"}
    out = tmp_path / "again.qdpx"
    export_project(db, out, name="again")
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iter("{urn:QDA-XML:project:1.0}Variable")}
    assert (types["Consented"], types["Years"], types["Hours"]) == ("Boolean", "Integer", "Float")


EMOJI_TURNS = (
    "Interviewer: How was the night shift? 😀\n\n"
    "P01: Cafe\u0301 staff 🙂 were short. We had two 👮 deputies 👮 for the county.\n\n"
    "Interviewer: And then?\n\n"
    "P01: The same man called again 🙁.\n"
)
EMOJI_PICKS = ["staff 🙂 were", "two 👮 deputies", "And then?", "The same man"]


def _nvivo_positions(text: str, picked: str, *, utf16: bool) -> tuple[int, int]:
    """Where NVivo (Windows) puts a selection of `picked` in `text` written with CRLF line ends: a \\r\\n is
    two characters, and an emoji two UTF-16 units when `utf16`."""

    def count(i: int) -> int:
        before = text[:i].replace("\n", "\r\n")
        return len(before.encode("utf-16-le")) // 2 if utf16 else len(before)

    at = text.index(picked)
    return count(at), count(at + len(picked))


@pytest.mark.parametrize("utf16", [True, False])
def test_emoji_counted_as_one_or_as_two_utf16_units_land_on_the_same_words(tmp_path, utf16):
    # A .NET tool counts an emoji as two UTF-16 units; read as code points, every selection after one
    # moved a character per emoji: "two 👮 deputies" became "o 👮 deputies on", and "And then?" a part
    # " then?" of its turn.
    spans = [_nvivo_positions(EMOJI_TURNS, p, utf16=utf16) for p in EMOJI_PICKS]
    data = b"\xef\xbb\xbf" + EMOJI_TURNS.replace("\n", "\r\n").encode()
    plan = load_qdpx(_one_source(tmp_path, EMOJI_TURNS, spans, origin="NVivo 14.24.0 (Windows)", data=data))
    turns = {s.n: s.text for s in plan.transcripts[0].segments}
    got = {(d.segment, e.code): turns[d.segment][e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {(2, "k0"): "staff 🙂 were", (2, "k1"): "two 👮 deputies", (4, "k3"): "The same man"}
    assert [(d.segment, sorted(d.codes)) for d in plan.decisions] == [
        (2, ["k0", "k1"]),
        (3, ["k2"]),
        (4, ["k3"]),
    ]
    # NVivo counts a lone emoji as two (its own way, layout.nvivo_extra, is UTF-16's for these): positions
    # counted so are read without a word; those counted in code points are read so, and said.
    said = [w for w in plan.warnings if "positions count" in w]
    assert said == (
        []
        if utf16
        else [
            (
                'source "P01.txt": its selections\' positions count each emoji as one character per code point '
                "(as Python counts): only so do they fit the text, or cut fewer words, so they are read that way."
            )
        ]
    )


@pytest.mark.parametrize(
    ("origin", "selected", "read_as"),
    [
        ("Dedoose 9.2", " two ", "each as one character per code point"),
        # MAXQDA's file is read as `project export --for maxqda` writes for it: an emoji as two UTF-16 units
        ("MAXQDA 2024", "  two", "each as UTF-16 units count it"),
        # and ATLAS.ti's as `--for atlas` writes for it (it was read as code points)
        ("ATLAS.ti 24.1.0", "  two", "each as UTF-16 units count it"),
    ],
)
def test_emoji_positions_that_fit_both_countings_are_read_the_tools_way_and_said(
    tmp_path, origin, selected, read_as
):
    text = "Interviewer: Hi?\n\nP01: 😀 one  two  three.\n"
    at = text.index("two")
    plan = load_qdpx(_one_source(tmp_path, text, [(at - 1, at + 4)], origin=origin))
    (d,) = plan.decisions
    assert plan.transcripts[0].segments[1].text[d.excerpts[0].start : d.excerpts[0].end] == selected
    assert any(f"they are read {read_as}. Check the coded passages" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("origin", "lines_one", "said"),
    [
        ("ATLAS.ti 23.2.1", True, None),  # as ATLAS.ti is known to count
        ("ATLAS.ti 24.1.0 (Windows)", False, "each line end (\\r\\n) as two characters"),
        # as `project export --for maxqda` writes for MAXQDA (a \r\n as one); a file that counts two is read so
        ("MAXQDA 2022", True, None),
        ("MAXQDA 2022", False, "each line end (\\r\\n) as two characters"),
        # QualCoder's "line endings for MAXQDA" writes \r\n but counts in its own \n text: its way, so
        # nothing to say (it stores \n, so a \r\n in its file comes only from that option)
        ("QualCoder 3.5", True, None),
        ("QualCoder 3.5", False, "each line end (\\r\\n) as two characters"),
    ],
)
def test_line_ends_counted_otherwise_than_the_tool_is_known_to_are_recognised(
    tmp_path, origin, lines_one, said
):
    # A version that counts a \r\n otherwise moved every selection by a character per line above it: on
    # a long transcript, into the next turn.
    text = "".join(f"Interviewer: Question {i}?\n\nP01: Answer number {i} here.\n\n" for i in range(1, 30))
    picks = ["Answer number 3", "Question 17?", "number 28 here"]
    crlf = text.replace("\n", "\r\n")

    def at(i: int) -> int:
        return i if lines_one else len(text[:i].replace("\n", "\r\n"))

    spans = [(at(text.index(p)), at(text.index(p) + len(p))) for p in picks]
    plan = load_qdpx(_one_source(tmp_path, text, spans, origin=origin, data=crlf.encode()))
    turns = {s.n: s.text for s in plan.transcripts[0].segments}
    got = sorted(
        turns[d.segment][e.start : e.end] if d.excerpts else turns[d.segment]
        for d in plan.decisions
        for e in d.excerpts or [None]
    )
    assert got == ["Answer number 3", "Question 17?", "number 28 here"]
    warned = [w for w in plan.warnings if "positions count" in w]
    assert warned == ([] if said is None else [warned[0]]) and (said is None or said in warned[0])


def _cases_on_one_source(
    tmp_path: Path, cases: list[tuple[str, str, str | None]], name: str = "cases.qdpx"
) -> Path:
    """The NVivo for Mac fixture with `cases` (name, Role, speaker label or None) all linked to its one
    source, as a project file does where two interviewees' cases point at one transcript."""
    folder = FIXTURES / "nvivo-mac"
    member = f"sources/{_C01}"
    role, speaker = "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4E02", "C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4E03"

    def value(variable: str, text: str) -> str:
        return f'<VariableValue><VariableRef targetGUID="{variable}"/><TextValue>{text}</TextValue></VariableValue>'

    xml = "".join(
        f'<Case guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4D{n:02d}" name="{name}">{value(role, r)}'
        f'{value(speaker, label) if label else ""}<SourceRef targetGUID="{_C01}"/></Case>'
        for n, (name, r, label) in enumerate(cases)
    )
    qde = QDE_OK.replace(
        "  <Sources>",
        f'  <Variables><Variable guid="{role}" name="Role" typeOfVariable="Text"/>'
        f'<Variable guid="{speaker}" name="Speaker label" typeOfVariable="Text"/></Variables>\n'
        f"  <Cases>{xml}</Cases>\n  <Sources>",
    )
    parts = {f"{member}{ext}": (folder / f"{member}{ext}").read_bytes() for ext in (".txt", ".docx")}
    return _zip(tmp_path, {"project.qde": qde, **parts}, name)


def test_two_cases_on_one_source_are_said_naming_the_source_and_the_cases(runner, tmp_path):
    from wei_qual.cli import app

    # Two interviewees' cases pointing at one transcript made it one interview without a word (the first
    # case's role kept, or, with speaker labels the transcript does not have, their values dropped). The
    # cases are named as every name from a file is (coders.shown_name: a name with spaces, which may be
    # a participant's, is described by its length).
    path = _cases_on_one_source(tmp_path, [("P01", "nurse", None), ("P02", "officer", None)])
    plan = load_qdpx(path)
    assert [t.attributes for t in plan.transcripts] == [{"Role": "nurse", "case": "P01; P02"}]
    shared = [w for w in plan.warnings if "cases" in w]
    assert shared == [
        (
            'source "Interview 12" is linked from 2 cases (P01, P02) and is read as one '
            "interview: the values the cases share are its attributes, and where they differ (Role) the first "
            "case's value is kept. If they are different interviews, give each its own source in the tool that "
            'wrote the file and export again; else check the attributes with "wei-qual transcripts list".'
        )
    ]
    labelled = _cases_on_one_source(
        tmp_path, [("Alex", "nurse", "Alex"), ("Sam", "officer", "Sam")], "labelled.qdpx"
    )
    assert any(
        "2 cases name a speaker the transcript does not have" in w for w in load_qdpx(labelled).warnings
    )
    result = runner.invoke(
        app, ["project", "import", str(path), "--db", str(tmp_path / "p.db"), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert shared[0] in json.loads(result.stdout)["warnings"] and "(P01, P02)" in result.stderr


def test_wei_qual_s_own_cases_of_a_pair_interview_are_not_a_warning(tmp_path):
    path = _cases_on_one_source(tmp_path, [("Int", "lead", "Int"), ("Resp", "nurse", "Resp")])
    plan = load_qdpx(path)
    assert not [w for w in plan.warnings if "cases" in w]
    assert plan.speaker_attributes[("Interview 12", "Resp")] == {"Role": "nurse"}
