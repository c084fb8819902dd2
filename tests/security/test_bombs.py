"""Resource bombs, built small in each test: refused in one line, quickly, with bounded memory."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from wei_qual import safeio
from wei_qual.cli import app
from wei_qual.errors import WeiQualError
from wei_qual.safeio import open_zip

LAUGHS = "\n".join(
    ["name: bomb", "version: 1", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + chr(ord('a') + i - 1)] * 9)}]"
        for i in range(1, 9)
    ]
    + ["codes:", "  - id: x", "    name: *i"]
)


def _one_line(result, code=1):
    assert result.exit_code == code, (result.stderr, result.exception)
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_billion_laughs_codebook_is_refused_at_once(runner, tmp_path):
    assert len(LAUGHS.encode()) < 1024
    path = tmp_path / "bomb.yaml"
    path.write_text(LAUGHS)
    started = time.monotonic()
    validate = runner.invoke(app, ["codebook", "validate", str(path)])
    assert _one_line(validate) == (
        f'{path}:4:8: an alias ("*a") is not allowed here; write the value out in full. Codebooks allow no YAML '
        "aliases and at most 64 levels of nesting.\n"
    )
    load = runner.invoke(app, ["codebook", "load", str(path), "--db", str(tmp_path / "p.db")])
    assert _one_line(load).startswith(
        f'Error: Codebook "{path}" has 1 problem; the first: {path}:4:8: an alias'
    )
    assert time.monotonic() - started < 30  # it used to run forever


@pytest.mark.parametrize(
    "text, where",
    [
        ("name: deep\nversion: 1\ncodes: " + "[" * 1000 + "]" * 1000 + "\n", "3:71"),
        (
            "name: deep\nversion: 1\ncodes:\n"
            + "".join(
                f"{'  ' * (2 * i)}- id: c{i}\n{'  ' * (2 * i)}  name: C{i}\n{'  ' * (2 * i)}  children:\n"
                for i in range(400)
            )
            + f"{'  ' * 800}- id: leaf\n{'  ' * 800}  name: Leaf\n",
            "97:127",
        ),
    ],
    ids=["1000 levels of YAML", "400 levels of children"],
)
def test_deep_yaml_is_one_problem_not_a_recursion_error(runner, tmp_path, text, where):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert _one_line(result) == (
        f"{path}:{where}: the YAML is nested more than 64 levels deep. Codebooks allow no YAML aliases and at most "
        "64 levels of nesting.\n"
    )


def test_a_code_tree_deeper_than_twenty_levels_is_refused(runner, tmp_path):
    lines = ["name: deep", "version: 1", "codes:"]
    for i in range(21):
        pad = "  " * (2 * i)
        lines += [f"{pad}- id: c{i}", f"{pad}  name: C{i}", f"{pad}  children:"]
    lines += [f"{'  ' * 42}- id: leaf", f"{'  ' * 42}  name: Leaf"]
    path = tmp_path / "tree.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert (
        _one_line(result)
        == f'{path}:63:79: code "c19": codes are nested more than 20 levels deep. Flatten the tree.\n'
    )


def test_front_matter_bombs_are_one_line(runner, tmp_path):
    (tmp_path / "p1.txt").write_text("---\n" + LAUGHS.replace("codes:", "x:") + "\n---\nInterviewer: Hi.\n")
    result = runner.invoke(app, ["ingest", "p1.txt", "--db", "p.db"])
    assert result.exit_code == 1
    assert (
        'p1.txt", line 5: front matter is not valid YAML (an alias ("*a") is not allowed here'
        in result.stderr
    )


def _qdc_nested(depth: int) -> str:
    opening = "".join(f'<Code guid="{uuid.uuid4()}" name="Level {i}" isCodable="true">' for i in range(depth))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + opening
        + "</Code>" * depth
        + "</Codes></CodeBook>"
    )


def test_a_qdc_with_240_nested_codes_is_one_line(runner, tmp_path):
    (tmp_path / "deep.qdc").write_text(_qdc_nested(240))
    result = runner.invoke(app, ["codebook", "import", "deep.qdc", "-o", "deep.yaml"])
    assert _one_line(result) == (
        'Error: "deep.qdc": codes are nested more than 20 levels deep (at line 2). Flatten the code tree in your '
        "QDA tool, then export it again.\n"
    )
    assert not (tmp_path / "deep.yaml").exists()
    (tmp_path / "ok.qdc").write_text(_qdc_nested(20))
    assert runner.invoke(app, ["codebook", "import", "ok.qdc", "-o", "ok.yaml"]).exit_code == 0


def test_entity_references_in_a_qdc_are_reported(runner, tmp_path):
    (tmp_path / "ent.qdc").write_text(
        '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY org "the agency">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0a4a7c4e-1b2c-4d3e-8f40-5a6b7c8d9e01" '
        'name="A" isCodable="true"><Description>Calls to &org; after hours.</Description></Code></Codes></CodeBook>'
    )
    result = runner.invoke(app, ["codebook", "import", "ent.qdc", "-o", "ent.yaml"])
    assert _one_line(result) == (
        'Error: "ent.qdc" contains 1 XML entity reference ("&name;") declared in its DTD; the text after each '
        "would be lost. Export the codebook again from your QDA tool.\n"
    )


def _docx(document_xml: bytes | None = None, extra: int = 0) -> bytes:
    """A real .docx from python-docx, optionally with its document.xml replaced and extra parts added."""
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How long did you wait?")
    document.add_paragraph("Participant: Two hours at the unit.")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml" and document_xml is not None:
                data = document_xml
            target.writestr(name, data)
        for i in range(extra):
            target.writestr(f"extra/part{i}.xml", b"<x/>")
    return out.getvalue()


def _bomb_xml() -> bytes:
    """document.xml inflating to 3 MB from a few KB: the shape of the 2 GB bomb, small enough for a test."""
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    return head + b" " * 3_000_000 + b"</w:t></w:r></w:p></w:body></w:document>"


@pytest.mark.parametrize("command", [["ingest", "bomb.docx", "--db", "p.db"], ["deid", "scan", "bomb.docx"]])
def test_a_docx_zip_bomb_is_refused_before_it_inflates(runner, tmp_path, command):
    data = _docx(_bomb_xml())
    assert len(data) < 60_000  # python-docx's template, thumbnail included, and the bomb
    (tmp_path / "bomb.docx").write_bytes(data)
    result = runner.invoke(app, command)
    stderr = result.stderr
    assert result.exit_code == 1 and "Traceback" not in stderr
    assert 'bomb.docx": part "word/document.xml" would unpack to 3 MB (' in stderr
    assert "It looks like a zip bomb and was not read." in stderr


@pytest.mark.parametrize("command", [["ingest", "bomb.odt", "--db", "p.db"], ["deid", "scan", "bomb.odt"]])
def test_an_odt_zip_bomb_is_refused_before_it_inflates(runner, tmp_path, command):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml", b"<office:document-content>" + b" " * 3_000_000 + b"</office:document-content>"
        )
    (tmp_path / "bomb.odt").write_bytes(out.getvalue())
    result = runner.invoke(app, command)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert 'bomb.odt": part "content.xml" would unpack to 3 MB (' in result.stderr


def test_member_count_and_size_limits(monkeypatch):
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBERS", 12)
    with pytest.raises(WeiQualError, match=r'"many.docx" holds 2\d files \(limit 12\)'):
        open_zip(_docx(extra=10), what="many.docx")
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBERS", 10_000)
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBER_BYTES", 1000)
    with pytest.raises(WeiQualError, match=r'part "[^"]+" would unpack to'):
        open_zip(_docx(), what="big.docx")
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBER_BYTES", 200 * 2**20)
    monkeypatch.setattr(safeio, "MAX_ZIP_TOTAL_BYTES", 5000)
    with pytest.raises(WeiQualError, match=r'"big.docx" would unpack to \d+ MB in all'):
        open_zip(_docx(), what="big.docx")
    with pytest.raises(WeiQualError, match='"junk.qdpx" is not a readable zip archive'):
        open_zip(b"not a zip", what="junk.qdpx")


def test_a_qdpx_project_qde_is_streamed_so_it_may_pass_the_per_part_limit(monkeypatch, tmp_path):
    """A large project's project.qde (280 MB at 10x the study) is read as a stream, so it may be as large
    as the whole archive may be; any other part keeps the per-part limit, and every part the ratio limit."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.errors import ExportError
    from wei_qual.qdpx.read import read_qdpx

    qdpx = zip_folder(FIXTURES / "sample", tmp_path / "sample.qdpx")  # written by project export
    with zipfile.ZipFile(qdpx) as archive:
        qde_size = archive.getinfo("project.qde").file_size
        biggest_source = max(i.file_size for i in archive.infolist() if i.filename != "project.qde")
    assert qde_size > biggest_source
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBER_BYTES", qde_size - 1)  # project.qde is over it
    assert read_qdpx(qdpx).sources  # read all the same
    monkeypatch.setattr(safeio, "MAX_ZIP_TOTAL_BYTES", qde_size - 1)  # over the whole archive's limit
    with pytest.raises(
        ExportError, match=r'part "project.qde" would unpack to 0 MB \(\d+ times its packed size; '
    ):
        read_qdpx(qdpx)
    monkeypatch.setattr(safeio, "MAX_ZIP_TOTAL_BYTES", 2**30)
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBER_BYTES", biggest_source - 1)  # a source is over it
    with pytest.raises(ExportError, match=r'part "sources/[^"]+" would unpack to'):
        read_qdpx(qdpx)
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b"<Project>" + b" " * 3_000_000 + b"</Project>")
    monkeypatch.setattr(safeio, "MAX_ZIP_MEMBER_BYTES", 200 * 2**20)
    with pytest.raises(
        ExportError, match=r'part "project.qde" would unpack to 3 MB \(\d[\d,]+ times its packed'
    ):
        read_qdpx(bomb)


def test_a_docx_with_entity_references_is_reported_not_truncated(runner, tmp_path):
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY name "Maria">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>Interviewer: Who called?</w:t></w:r></w:p>"
        b"<w:p><w:r><w:t>Participant: &name; called, and then the rest of the answer.</w:t></w:r></w:p>"
        b"</w:body></w:document>"
    )
    (tmp_path / "ent.docx").write_bytes(_docx(xml))
    result = runner.invoke(app, ["ingest", "ent.docx", "--db", "p.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] + "\n" == (
        'Error: "ent.docx" contains 1 XML entity reference ("&name;"), which Word never writes; the text after '
        "each would be lost. Open and re-save it in Word, or export it as .txt.\n"
    )


def test_a_qdpx_zip_bomb_is_refused_before_it_inflates(runner, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "project.qde", b'<?xml version="1.0"?><Project name="x">' + b" " * 3_000_000 + b"</Project>"
        )
    (tmp_path / "bomb.qdpx").write_bytes(buffer.getvalue())
    result = runner.invoke(app, ["project", "import", "bomb.qdpx", "--db", "new.db"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith('Error: "bomb.qdpx": part "project.qde" would unpack to 3 MB (')


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "P33.pdf", "--db", "p.db"],
        ["ingest", "--kind", "document", "P33.pdf", "--db", "p.db"],
        ["deid", "scan", "P33.pdf"],
    ],
)
def test_a_pdf_that_inflates_past_the_memory_bound_is_refused_in_one_line(
    runner, tmp_path, monkeypatch, command
):
    # 250 KB on disk, 128 MiB inflated; the bound is lowered to 32 MiB so that the test stays quick. With
    # no bound, pdfminer inflates it whole (a 3 MB file claims 3 GiB this way).
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))
    from _pdfs import make_inflating_pdf

    from wei_qual.ingest import pdf

    monkeypatch.setattr(pdf, "MAX_MEMORY", 32 * 2**20)
    make_inflating_pdf(tmp_path / "P33.pdf", 128 * 2**20)
    result = runner.invoke(app, command)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        'Error: "P33.pdf" needs more than 32 MiB of memory to read (it may be damaged, or made to inflate '
        "without end). Open and save it again with a PDF viewer, or export the text as .txt or .docx."
    )
    assert not (tmp_path / "p.db").exists() or not _stored(tmp_path / "p.db")
    # The same file inflating to less than the bound is read.
    make_inflating_pdf(tmp_path / "P34.pdf", 2**20)
    lines = pdf.extract_pages(tmp_path / "P34.pdf", (tmp_path / "P34.pdf").read_bytes()).lines
    assert [line.text for line in lines[0]] == ["Interviewer: Hello."]


@pytest.mark.parametrize(
    "command",
    [["ingest", "P35.rtf", "--db", "p.db"], ["deid", "scan", "P35.rtf"]],
)
def test_an_rtf_made_slow_to_parse_is_stopped_by_the_cpu_bound(runner, tmp_path, monkeypatch, command):
    # striprtf's hyperlink pattern is quadratic in a line that opens a field and repeats HYPERLINK "
    # without closing it: 480 KB take about 18 s unbounded, 10 MB hours. The bound is lowered to 1 s so
    # that the test stays quick.
    from wei_qual.ingest import rtf

    monkeypatch.setattr(rtf, "MAX_CPU_SECONDS", 1)
    monkeypatch.chdir(tmp_path)
    Path("P35.rtf").write_text(
        "{\\rtf1\\ansi {\\field{\\*\\fldinst{" + ' HYPERLINK "' * 40_000 + "}", encoding="ascii"
    )
    assert _refused_quickly(runner, command, tmp_path) == (
        'Error: "P35.rtf" took more than 1 s to read (it may be damaged, or made to be slow). Open and save it '
        "again as .rtf or .docx, or export the transcript as .txt."
    )


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "P36.pdf", "--db", "p.db"],
        ["deid", "scan", "P36.pdf"],
        ["ingest", "P36.pdf", "--kind", "document", "--db", "p.db"],
    ],
)
def test_a_pdf_made_slow_to_read_is_stopped_by_the_cpu_bound(runner, tmp_path, monkeypatch, command):
    # 5 KB on disk, a page whose content inflates to a million "q Q" operators (save and restore the
    # graphics state): well inside the memory bound, yet pdfminer takes about 12 s of CPU over it, and
    # a 1 MB file of them hours. The bound is lowered to 1 s and 1 s a page so that the test stays quick.
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent))
    from _pdfs import make_inflating_pdf

    from wei_qual.ingest import pdf

    monkeypatch.setattr(pdf, "CPU_SECONDS", 1)
    monkeypatch.setattr(pdf, "CPU_SECONDS_PER_PAGE", 1)
    monkeypatch.chdir(tmp_path)
    make_inflating_pdf(Path("P36.pdf"), 4 * 2**20, filler=b"q Q ")
    assert _refused_quickly(runner, command, tmp_path) == (
        'Error: "P36.pdf" took more than 1 s, and 1 s a page, to read (it may be damaged, or made to be '
        "slow). Open and save it again with a PDF viewer, or export the text as .txt or .docx."
    )


def _refused_quickly(runner, command: list[str], tmp_path: Path) -> str:
    """The first line of a command run on a file made to be slow: it fails within 10 s, with no
    traceback, and stores nothing."""
    started = time.perf_counter()
    result = runner.invoke(app, command)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "p.db").exists() or not _stored(tmp_path / "p.db")
    return result.stderr.splitlines()[0]


def _stored(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]


# Lines built so that a pattern tried from each of their characters takes time growing with the square of
# their length: each took from 10 s to minutes before its pattern was mended (200,000 characters), and
# takes a fraction of a second now. The bound leaves room for a slow machine.
_SLOW_LINES = {
    "a bare domain tried from each label": "x" + "a." * 100_000 + "@a.com",
    "a hyphenated run tried from each label": "x" + "555-" * 50_000 + "@a.com",
    "emphasis stripped from a title": "Aa " + "**" * 100_000 + " Aa: hi",
    "a Rev title's spaces": "Speaker: " + " " * 200_000 + "x",
    "a Google Meet title's spaces": "Aa " + " " * 200_000 + " Aa: hi",
    # A label's number suffix ("Interviewer 2") was looked for in each split of a run of digits: exponential
    # time, two minutes for these 30 (found by fuzzing the test transcripts).
    "a run of digits inside a label": "Interv" + "9" * 30 + "iewer: How do crisis calls reach you?",
}


@pytest.mark.parametrize("line", list(_SLOW_LINES.values()), ids=list(_SLOW_LINES))
def test_a_line_made_to_be_slow_is_read_and_scanned_in_linear_time(runner, tmp_path, line):
    path = tmp_path / "P37.txt"
    path.write_text(line + "\n\nInterviewer: And then?\n", encoding="utf-8")
    # CPU time, not wall: a quadratic pattern shows in either, and a busy machine stretches only the wall.
    # One file is read in this process (ingest forks workers only for many), so its CPU time is all here.
    started = time.process_time()
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db"), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    scanned = runner.invoke(app, ["deid", "scan", str(path)])
    assert scanned.exit_code in (0, 3) and "Traceback" not in scanned.stderr
    assert time.process_time() - started < 10


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_quote_left_open_in_a_csv_of_megabytes_is_placed_in_linear_time(delimiter):
    # An attributes or decisions CSV whose cell opens a quote and never closes it (or holds a cell over
    # csv's 128 KB field limit) is placed by a second reading of its lines: it went character by character
    # in Python, 25 s for a 90 MB file (under the 100 MB limit) before the one-line error.
    import io

    from wei_qual.spreadsheet import broken_quote

    text = f'id{delimiter}role\nP01{delimiter}officer\nP02{delimiter}"' + "x" * 20_000_000 + "\nP03,y\n"
    started = time.perf_counter()
    assert broken_quote(io.StringIO(text, newline=""), 1, delimiter) == (3, None)
    assert time.perf_counter() - started < 2  # 5 s before
    # Closed, with text after the closing quote: placed at both lines.
    text = f'id{delimiter}role\nP01{delimiter}"of\nfi""cer" x\n'
    assert broken_quote(io.StringIO(text, newline=""), 1, delimiter) == (2, 3)


def test_a_label_of_thousands_of_digits_is_read_without_a_traceback(runner, tmp_path):
    # Python's int() refuses a number of more than 4,300 digits; labels are compared with their numbers read.
    path = tmp_path / "P38.txt"
    path.write_text("Aa " + "1" * 5_000 + " Aa: Hello.\n\nInterviewer: And then?\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text",
    ["." * 40_000 + "x", "one lower-case turn. " * 5_000, "a " * 50_000 + "."],
    ids=["a run of full stops", "full stops before lower-case words", "a long sentence"],
)
def test_sentences_of_a_long_turn_are_numbered_in_linear_time(text):
    # The coding session numbers a turn's sentences for excerpts (on "#", "x CODE 1" and each redraw):
    # each full stop used to read the sentence again from its start, 8.7 s for a 97 KB turn.
    from wei_qual.excerpts import split_sentences

    started = time.perf_counter()
    spans = split_sentences(text)
    assert time.perf_counter() - started < 2
    assert spans == [(0, len(text.strip()))]  # none of these full stops ends a sentence


PIPE_READERS = [
    ["codebook", "validate", "IN.yaml"],
    ["codebook", "load", "IN.yaml", "--db", "lead.db"],
    ["codebook", "import", "IN.qdc", "-o", "out.yaml"],
    ["project", "import", "IN.qdpx", "--db", "copy.db"],
    ["merge", "IN.wqp", "--db", "lead.db"],
    ["decisions", "import", "IN.csv", "--db", "lead.db"],
    ["ingest", "p.txt", "--attributes", "IN.csv", "--db", "lead.db"],
    ["transcripts", "list", "--db", "IN.db"],
]


@pytest.mark.parametrize("kind", ["a named pipe", "a device"])
@pytest.mark.parametrize("args", PIPE_READERS, ids=[" ".join(a[:2]) for a in PIPE_READERS])
def test_a_pipe_or_a_device_is_refused_before_it_is_read(runner, tmp_path, args, kind):
    # A named pipe blocked for ever waiting for a writer; /dev/zero (or a link to it) was read until
    # memory ran out.
    import os

    from _hostile import build_lead

    build_lead(tmp_path / "lead.db").close()
    (tmp_path / "p.txt").write_text("Interviewer: How long?\nParticipant: We waited.\n")
    given = next(a for a in args if a.startswith("IN."))
    if kind == "a named pipe":
        os.mkfifo(tmp_path / given)
    else:
        (tmp_path / given).symlink_to("/dev/zero")
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    if given == "IN.db":
        assert (
            result.stderr
            == f'Error: "{given}" is {kind}, not a project database. Pass a file path with --db.\n'
        )
    else:
        assert result.stderr.splitlines()[-1] == (
            f'Error: "{given}" is {kind}, not a file: it was not read (reading it could wait or run for ever). '
            "Pass a regular file."
        )
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "out.yaml").exists()


def test_a_docx_inside_a_qdpx_is_checked_for_a_zip_bomb_too(runner, tmp_path):
    """NVivo for Mac leaves a source's .txt empty and puts its text in the .docx beside it: that .docx is a
    zip inside the zip, and was unpacked by python-docx without the limits (a 6 MB part inflating to 2 GB)."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from _qdpx_project import FIXTURES, zip_folder

    folder = tmp_path / "nvivo"
    shutil.copytree(FIXTURES / "nvivo", folder)
    source = folder / "sources" / "8e7fddfe-db36-48dc-b464-80c3a4decd90"
    source.with_suffix(".txt").write_bytes(b"")  # as NVivo for Mac writes it
    source.with_suffix(".docx").write_bytes(_docx(_bomb_xml()))
    zip_folder(folder, tmp_path / "mac.qdpx")
    result = runner.invoke(app, ["project", "import", "mac.qdpx", "--db", "new.db"])
    assert _one_line(result).startswith(
        'Error: "mac.qdpx: sources/8e7fddfe-db36-48dc-b464-80c3a4decd90.docx": part "word/document.xml" would '
        "unpack to 3 MB ("
    ), result.stderr
    assert not (tmp_path / "new.db").exists()
