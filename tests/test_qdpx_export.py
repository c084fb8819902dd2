"""`project export`: the .qdpx holds what the exchange contract promises, and project.qde follows Project.xsd."""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import FIXTURES, ROOT, build_sample_project
from lxml import etree

from wei_qual.errors import ExportError
from wei_qual.export.codetree import Guids
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.layout import export_text, format_time, split_source_text
from wei_qual.store import get_setting, save_setting

NS = {"q": "urn:QDA-XML:project:1.0"}
PROJECT_XSD = ROOT / "wei_qual" / "export" / "schemas" / "Project.xsd"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    db = build_sample_project(folder / "sample.db")
    out = folder / "sample.qdpx"
    result = export_project(db, out, name="sample")
    return db, out, result


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def _root(path: Path):
    return etree.fromstring(_qde(path))


def test_project_qde_validates_against_project_xsd_with_xmlschema_and_lxml(sample):
    import xmlschema

    data = _qde(sample[1])
    xmlschema.XMLSchema(str(PROJECT_XSD)).validate(data)
    etree.XMLSchema(etree.parse(str(PROJECT_XSD))).assertValid(etree.fromstring(data))


def test_archive_layout_mode_and_sources(sample):
    _, out, result = sample
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        texts = {n: archive.read(n) for n in names if n.startswith("sources/")}
    assert len(texts) == 10 and all(n.endswith(".txt") for n in texts)
    assert not any(t.startswith(b"\xef\xbb\xbf") for t in texts.values())  # UTF-8 without BOM
    root = _root(out)
    paths = [s.get("plainTextPath") for s in root.iterfind(".//q:TextSource", NS)]
    assert sorted(p.removeprefix("internal://") for p in paths) == sorted(
        n.removeprefix("sources/") for n in texts
    )
    assert result.transcripts == 10 and result.segments == 353 and result.codes == 40
    assert result.coders == ["alice", "bob", "lead", "consensus"] and result.warnings == []


def test_source_text_has_labels_and_times_and_selections_span_the_segment_text(sample):
    db, out, _ = sample
    root = _root(out)
    guids = Guids.for_project(get_setting(db, "project_id"))
    with zipfile.ZipFile(out) as archive:
        p06 = archive.read(f"sources/{guids.of('source', 'P06')}.txt").decode("utf-8")
        p01 = archive.read(f"sources/{guids.of('source', 'P01')}.txt").decode("utf-8")
    assert p01.startswith("Interviewer: ") and "\n\nP01: " in p01
    assert p06.startswith("[00:00:01.752-00:00:06.002] Interviewer: ")
    segments = {r["n"]: r for r in db.query("SELECT * FROM segments WHERE transcript_id = 'P01'")}
    source = root.find(".//q:TextSource[@name='P01']", NS)
    for sel in source.iterfind("q:PlainTextSelection", NS):
        n = int(sel.get("name").rsplit(" ", 1)[1])
        assert p01[int(sel.get("startPosition")) : int(sel.get("endPosition"))] == segments[n]["text"]


def test_codings_users_notes_and_the_nothing_applies_decisions(sample):
    db, out, result = sample
    root = _root(out)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    assert sorted(users.values()) == ["alice", "bob", "consensus", "lead"]
    codings = root.findall(".//q:PlainTextSelection/q:Coding", NS)
    applied = db.execute("SELECT COUNT(*) FROM decisions d, json_each(d.codes)").fetchone()[0]
    assert len(codings) == result.codings == applied
    alice_p01_8 = json.loads(
        db.execute(
            "SELECT d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
            "WHERE s.transcript_id = 'P01' AND s.n = 8 AND d.coder_id = 'alice'"
        ).fetchone()[0]
    )
    sel = root.find(".//q:PlainTextSelection[@name='P01 segment 8']", NS)
    coded = [c for c in sel.iterfind("q:Coding", NS) if users[c.get("creatingUser")] == "alice"]
    assert len(coded) == len(alice_p01_8)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", c.get("creationDateTime")) for c in coded)
    notes = {n.get("guid"): n for n in root.iterfind(".//q:Note", NS)}
    kinds = sorted(notes[r.get("targetGUID")].get("name") for r in sel.iterfind("q:NoteRef", NS))
    assert kinds == ["Decision note", "Decision note", "Memo"]  # alice's and bob's notes, alice's memo
    rationales = [n for n in notes.values() if n.get("name") == "Rationale"]
    assert (
        len(rationales)
        == db.execute("SELECT COUNT(*) FROM decisions WHERE rationale != ''").fetchone()[0]
        > 0
    )
    empty = db.execute("SELECT COUNT(*) FROM decisions WHERE codes = '[]'").fetchone()[0]
    nothing = [n for n in notes.values() if n.get("name") == "Nothing applies"]
    assert empty and len(nothing) == empty


def test_cases_variables_and_memos(sample):
    _, out, result = sample
    root = _root(out)
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable", NS)}
    assert variables == {
        "date": "Text",  # P09's Otter header
        "jurisdiction": "Text",
        "service_keywords": "Text",
        "title": "Text",
        "role": "Text",
        "setting": "Text",
        "years_experience": "Integer",
        "Speaker label": "Text",
        "Interviewer labels": "Text",
    }
    names = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    case = root.find(".//q:Case[@name='P02']", NS)
    values = {
        names[vv.find("q:VariableRef", NS).get("targetGUID")]: vv[1].text
        for vv in case.iterfind("q:VariableValue", NS)
    }
    assert values["Speaker label"] == "R" and values["Interviewer labels"] == "I"
    assert values["role"] == "provider" and case.find("q:SourceRef", NS) is not None
    assert result.cases == 11 and result.memos == 3  # P10 (a pair) has a case per speaker
    for speaker, role in (("Officer", "officer"), ("Clinician", "provider")):  # the speaker's own attributes
        pair = root.find(f".//q:Case[@name='P10 {speaker}']", NS)
        got = {
            names[vv.find("q:VariableRef", NS).get("targetGUID")]: vv[1].text
            for vv in pair.iterfind("q:VariableValue", NS)
        }
        assert (got["role"], got["setting"], got["Speaker label"]) == (role, "urban", speaker)
    code_note = root.find(".//q:Code/q:NoteRef", NS)
    assert code_note is not None  # the lead's memo on csu-admission


def test_two_exports_give_the_same_bytes_and_guids_follow_the_project(sample, tmp_path):
    db, out, _ = sample
    again = export_project(db, tmp_path / "again.qdpx", name="sample")
    assert Path(again.path).read_bytes() == out.read_bytes()
    guids = Guids.for_project(get_setting(db, "project_id"))
    code = _root(out).find(".//q:Code[@name='CSU admission and intake']", NS)
    assert code.get("guid") == guids.code("csu-admission")


def test_codebook_qdc_and_project_share_the_code_tree(sample, tmp_path, runner):
    from wei_qual.cli import app

    db, out, _ = sample
    db_file = db.conn.execute("PRAGMA database_list").fetchone()[2]
    result = runner.invoke(
        app, ["codebook", "export", "--format", "qdc", "-o", str(tmp_path / "cb.qdc"), "--db", db_file]
    )
    assert result.exit_code == 0, result.output
    qdc_codes = etree.fromstring((tmp_path / "cb.qdc").read_bytes()).find("{urn:QDA-XML:codebook:1.0}Codes")
    qde_codes = _root(out).find("q:CodeBook/q:Codes", NS)
    for el in qde_codes.iter("{*}NoteRef"):  # project-only: code memos
        el.getparent().remove(el)

    def shape(codes):
        return [(etree.QName(e).localname, dict(e.attrib), (e.text or "").strip()) for e in codes.iter()]

    assert shape(qdc_codes) == shape(qde_codes)


def test_coders_and_consensus_options(tmp_path, sample):
    db, _, _ = sample
    only = export_project(db, tmp_path / "a.qdpx", name="s", coders=["alice"], include_consensus=False)
    assert only.coders == ["alice"]
    users = [u.get("name") for u in _root(tmp_path / "a.qdpx").iterfind(".//q:User", NS)]
    assert users == ["alice"]
    with_lead = export_project(db, tmp_path / "b.qdpx", name="s", coders=["bob"])
    assert with_lead.coders == ["bob", "consensus"]
    with pytest.raises(ExportError, match='Unknown coder "zoe" given with --coders'):
        export_project(db, tmp_path / "c.qdpx", name="s", coders=["zoe"])
    assert not (tmp_path / "c.qdpx").exists()


def test_a_speaker_label_ingest_cannot_read_back_is_reported(db, tmp_path):
    from wei_qual.models import Segment, Transcript
    from wei_qual.store.transcripts import save_transcript

    segments = (
        Segment(1, "interviewer", "interviewer", "How do calls reach you?", 0, 23),
        Segment(2, "dr. smith-jones of the county", "participant", "Dispatch, mostly.", 25, 42),
    )
    save_transcript(
        db, Transcript("v1", "v1.vtt", "vtt", "x", "How do calls reach you?\n\nDispatch, mostly.", segments)
    )
    save_setting(db, "project_id", "p")
    result = export_project(db, tmp_path / "v.qdpx", name="v")
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith('transcript "v1": its turns will not split the same way')


def test_format_time_and_layout_round_trip():
    assert (
        format_time(4.1) == "00:00:04.1"
        and format_time(3723.0) == "01:02:03"
        and format_time(0.005) == "00:00:00.005"
    )
    rows = [
        {"speaker": None, "text": "Preamble line\nsecond line", "start_time": None, "end_time": None},
        {"speaker": "Interviewer", "text": "Q?", "start_time": 1.5, "end_time": None},
        {"speaker": "P01", "text": "First.\n\nSecond paragraph.", "start_time": 2.25, "end_time": 9.0},
    ]
    text, spans = export_text(rows)
    turns = split_source_text(text)
    assert [(t.speaker, t.text, t.start_time, t.end_time, t.start, t.end) for t in turns] == [
        (r["speaker"], r["text"], r["start_time"], r["end_time"], a, b) for r, (a, b) in zip(rows, spans)
    ]


def test_the_checked_in_sample_fixture_is_what_the_exporter_writes(sample):
    """tests/data/qdpx/sample/ was written by this exporter from the sample project; times are masked."""
    _, out, _ = sample
    folder = FIXTURES / "sample"
    mask = re.compile(rb'(DateTime="|origin="wei-qual )[^"]*"')
    assert mask.sub(rb"\1*", _qde(out)) == mask.sub(rb"\1*", (folder / "project.qde").read_bytes())
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("sources/"):
                assert archive.read(name) == (folder / name).read_bytes()


def test_export_refuses_a_missing_folder(sample, tmp_path):
    db, _, _ = sample
    with pytest.raises(ExportError) as info:
        export_project(db, tmp_path / "nope" / "x.qdpx", name="s")
    assert (
        str(info.value)
        == f'Folder "{tmp_path / "nope"}" does not exist. Create it, or pass another output path.'
    )


def test_the_streamed_project_qde_is_the_whole_document_pretty_printed(sample):
    """Written part by part, project.qde has the bytes lxml gives the whole tree with pretty_print."""
    data = _qde(sample[1])
    whole = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    assert etree.tostring(whole, xml_declaration=True, encoding="UTF-8", pretty_print=True) == data


def test_the_validating_stream_keeps_no_finished_sources_cases_or_notes(sample):
    """Memory stays bounded: the checking parser drops every finished Case, TextSource and Note."""
    import io

    from wei_qual.qdpx.export import _Validating

    data = _qde(sample[1])
    sink = io.BytesIO()
    checked = _Validating(sink)
    for i in range(0, len(data), 4096):
        checked.write(data[i : i + 4096])
    checked.flush()
    root = checked.parser.close()
    assert sink.getvalue() == data
    root_counts = {tag: len(root.findall(f".//q:{tag}", NS)) for tag in ("Case", "TextSource", "Note")}
    assert root_counts == {"Case": 1, "TextSource": 1, "Note": 1}  # the last of each, emptied
    assert all(len(el) == 0 and not el.attrib for el in root.iterfind(".//q:TextSource", NS))
    full = etree.fromstring(data)
    assert len(full.findall(".//q:TextSource", NS)) == 10 and len(full.findall(".//q:Note", NS)) > 1


def test_a_project_qde_that_would_not_validate_writes_nothing(sample, tmp_path, monkeypatch):
    """An exporter bug found late in the stream (a Note after every source) leaves no file behind."""
    from wei_qual.qdpx import export

    write_part = export._QdeWriter.part

    def broken(self, el, level):
        if el.tag == "Note":
            el.set("colour", "red")  # not an attribute Project.xsd allows on a Note
        write_part(self, el, level)

    monkeypatch.setattr(export._QdeWriter, "part", broken)
    out = tmp_path / "broken.qdpx"
    out.write_bytes(b"the previous export")
    with pytest.raises(ExportError) as info:
        export_project(sample[0], out, name="s")
    assert str(info.value) == (
        "The project.qde does not validate against Project.xsd: Element '{urn:QDA-XML:project:1.0}Note', "
        "attribute 'colour': The attribute 'colour' is not allowed. Please report it."
    )
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.qdpx"]  # no temporary file left


@pytest.mark.parametrize("broken", [False, True])
def test_when_the_validating_child_dies_the_export_is_validated_here(sample, tmp_path, monkeypatch, broken):
    """The child that validates project.qde on the second CPU is killed: the file is written again and
    validated here, to the same bytes, and a part that breaks the schema is still refused."""
    import os
    import signal

    from wei_qual.qdpx import export

    monkeypatch.setattr(export, "_validate_stream", lambda stream: os.kill(os.getpid(), signal.SIGKILL))
    if broken:
        write_part = export._QdeWriter.part

        def broken_part(self, el, level):
            if el.tag == "Note":
                el.set("colour", "red")
            write_part(self, el, level)

        monkeypatch.setattr(export._QdeWriter, "part", broken_part)
    out = tmp_path / "again.qdpx"
    if broken:
        with pytest.raises(ExportError, match="does not validate against Project.xsd: Element"):
            export_project(sample[0], out, name="sample")
        assert list(tmp_path.iterdir()) == []
    else:
        export_project(sample[0], out, name="sample")
        assert out.read_bytes() == sample[1].read_bytes()


def test_a_validating_child_that_hangs_cannot_hang_the_export(sample, tmp_path, monkeypatch):
    """The child that validates project.qde stops reading without dying (asleep on a lock it inherited,
    or stopped): project.qde (380 KB) fills its pipe, the export waits only while the child works, then
    kills it and validates here, to the same bytes, within seconds, and leaves no temporary file."""
    import signal
    import time

    from wei_qual import parallel
    from wei_qual.qdpx import export

    def ring(signum, frame):  # fail rather than hang the suite
        raise TimeoutError("the export is still blocked")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(20)
    monkeypatch.setattr(parallel, "IDLE", 0.3)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    monkeypatch.setattr(export, "_validate_stream", lambda stream: time.sleep(60))
    out = tmp_path / "hung.qdpx"
    start = time.monotonic()
    try:
        export_project(sample[0], out, name="sample")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < 3
    assert out.read_bytes() == sample[1].read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["hung.qdpx"]


@pytest.mark.parametrize(
    "message, retried",
    [
        ("File size too large, try using force_zip64", True),  # zipfile of newer Pythons
        ("File size unexpectedly exceeded ZIP64 limit", True),  # older ones, e.g. Debian's 3.11.2
        ("Compressed size unexpectedly exceeded ZIP64 limit", True),
        ("something else went wrong", False),
    ],
)
def test_every_wording_of_zipfiles_zip64_refusal_leads_to_the_zip64_retry(
    sample, tmp_path, monkeypatch, message, retried
):
    from wei_qual.qdpx import export as qdpx_export

    real, calls = qdpx_export.write_qdpx, []

    def refusing(db, handle, **options):
        calls.append(options.get("force_zip64", False))
        if not options.get("force_zip64"):
            handle.write(b"half an archive")
            raise RuntimeError(message)
        return real(db, handle, **options)

    monkeypatch.setattr(qdpx_export, "write_qdpx", refusing)
    out = tmp_path / "big.qdpx"
    if not retried:
        with pytest.raises(RuntimeError, match=message):
            export_project(sample[0], out, name="sample")
        assert calls == [False] and list(tmp_path.iterdir()) == []  # nothing half-written
        return
    result = export_project(sample[0], out, name="sample")
    assert calls == [False, True] and result.bytes == out.stat().st_size
    with zipfile.ZipFile(out) as big, zipfile.ZipFile(sample[1]) as small:
        assert all(big.read(n) == small.read(n) for n in small.namelist())


def test_a_project_qde_past_the_zip64_limit_is_written_again_with_zip64_headers(
    sample, tmp_path, monkeypatch
):
    """Streamed, project.qde's size is known only at its end: past 2 GiB the archive is rewritten with
    ZIP64 headers (the limit is lowered here), and holds the same files."""
    _, normal, _ = sample
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 100_000)
    out = tmp_path / "big.qdpx"
    result = export_project(sample[0], out, name="sample")
    monkeypatch.undo()
    assert result.bytes == out.stat().st_size and out.read_bytes() != normal.read_bytes()
    with zipfile.ZipFile(out) as big, zipfile.ZipFile(normal) as small:
        assert big.namelist() == small.namelist()
        assert all(big.read(n) == small.read(n) for n in small.namelist())
        assert len(big.read("project.qde")) > 100_000
        assert big.getinfo("project.qde").extra.startswith(b"\x01\x00")  # the ZIP64 extra field
