"""A .qdpx as untrusted input: a damaged part (a truncated download, a size that lies) is one line and writes
nothing; times in other zones, without one or out of range are read as UTC, with a warning."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import FIXTURES
from test_qdpx_roundtrip import _project

from wei_qual.cli import app
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project, load_qdpx
from wei_qual.qdpx.vocabulary import UNREADABLE, ZONELESS, utc_time
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("qdpx")
    export_project(_project(folder), folder / "a.qdpx", name="p21")
    return folder / "a.qdpx"


def _break_checksum(src: Path, dst: Path, member: str) -> None:
    """A copy of the zip whose member's CRC-32 (local header and central directory) no longer matches."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as archive:
        local = archive.getinfo(member).header_offset
    central = 0  # the member's central directory entry, found by its name
    while True:
        central = data.index(b"PK\x01\x02", central)
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == member.encode():
            break
        central += 4
    struct.pack_into("<I", data, central + 16, 0xDEADBEEF)
    struct.pack_into("<I", data, local + 14, 0xDEADBEEF)
    dst.write_bytes(bytes(data))


@pytest.mark.parametrize("part", ["project.qde", "source"])
def test_a_damaged_part_is_one_line_and_writes_nothing(runner, tmp_path, exported, part):
    with zipfile.ZipFile(exported) as archive:
        member = (
            part if part == "project.qde" else next(n for n in archive.namelist() if n.startswith("sources/"))
        )
    broken = tmp_path / "broken.qdpx"
    _break_checksum(exported, broken, member)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(broken), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{broken}": part "{member}" cannot be read (it does not unpack to what the archive says it '
            "holds): the file was damaged or changed after it was written. Copy or download the .qdpx again, or "
            "export it again.\n"
        ),
    )
    assert not db.exists()


@pytest.mark.parametrize("cut", ["in a tag", "between elements"])
def test_a_project_qde_cut_short_is_one_line_and_writes_nothing(runner, tmp_path, exported, cut):
    # A project.qde that ends part-way (cut before it was zipped, so every checksum holds) was read as far
    # as it went: lxml's streaming parser with the schema closed the open elements itself, and the
    # sources before the cut were imported as the whole project, exit 0, nothing said.
    with zipfile.ZipFile(exported) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    qde = parts["project.qde"]
    end = qde.index(b"</PlainTextSelection>") + len(b"</PlainTextSelection>")
    parts["project.qde"] = qde[: qde.index(b"<Coding ") + 20] if cut == "in a tag" else qde[:end]
    short = tmp_path / "short.qdpx"
    with zipfile.ZipFile(short, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(short), "--db", str(db)])
    assert result.exit_code == 1 and not db.exists()
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        rf'Error: "{re.escape(str(short))}": project\.qde, line \d+, column \d+: not well-formed XML \(an '
        r"unescaped < or & in text, or a damaged file\)\. Export the project again as REFI-QDA \.qdpx\.",
        line,
    ), line


def _with_times(src: Path, dst: Path, times: list[str]) -> None:
    """A copy whose Coding elements carry these creationDateTime values, in document order."""
    with zipfile.ZipFile(src) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    qde = parts["project.qde"].decode("utf-8")
    stamps = iter(times)
    qde = re.sub(
        r'(<Coding [^>]*creationDateTime=")[^"]*(")', lambda m: m.group(1) + next(stamps) + m.group(2), qde
    )
    assert next(stamps, None) is None
    parts["project.qde"] = qde.encode("utf-8")
    with zipfile.ZipFile(dst, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_times_are_read_as_utc_so_the_latest_coding_is_the_latest(tmp_path, exported):
    with zipfile.ZipFile(exported) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    # alice's codings of segment 2 come first (three excerpts), then bob's of segment 4
    assert len(re.findall(r"<Coding ", qde)) == 4
    # 23:30 at UTC-5 is 04:30 UTC the next day: later than 01:00 UTC, though it sorts before it as text
    _with_times(
        exported,
        tmp_path / "b.qdpx",
        ["2024-05-02T23:30:00-05:00", "2024-05-03T01:00:00Z", "2024-05-02T09:00:00Z", "2024-05-02T12:00:00"],
    )
    report = import_project(open_db(tmp_path / "b.db"), tmp_path / "b.qdpx").to_json()
    times = {d.coder: d.decided_utc for d in iter_decisions(open_db(tmp_path / "b.db"))}
    assert times == {"alice": "2024-05-03T04:30:00Z", "bob": "2024-05-02T12:00:00Z"}
    assert report["warnings"] == [
        (
            "1 timestamp in the file has no time zone and is read as UTC, so it may be off by the other tool's "
            "distance from UTC."
        )
    ]
    # A year before 1 or after 9999 (valid xsd:dateTime) cannot be held: the import's own time, said.
    _with_times(exported, tmp_path / "c.qdpx", ["-0001-05-02T10:00:00Z"] * 3 + ["99999-01-01T00:00:00Z"])
    report = import_project(open_db(tmp_path / "c.db"), tmp_path / "c.qdpx").to_json()
    for d in iter_decisions(open_db(tmp_path / "c.db")):
        assert d.decided_utc and d.decided_utc.startswith(("20", "21")), d.decided_utc
    assert report["warnings"] == [
        (
            "4 timestamps in the file are outside the years 1 to 9999; the decisions and memos that carry one get "
            "the time of the import instead."
        )
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-02T10:00:00Z", ("2024-05-02T10:00:00Z", None)),  # kept as written: an exact round trip
        ("2024-05-02T10:00:00.5+00:00", ("2024-05-02T10:00:00.5+00:00", None)),
        ("2024-05-02T10:00:00.1234567+02:00", ("2024-05-02T08:00:00.1234567Z", None)),  # .NET's 7 digits
        ("2024-12-31T23:30:00-01:00", ("2025-01-01T00:30:00Z", None)),
        ("2024-05-02T24:00:00Z", ("2024-05-03T00:00:00Z", None)),  # xsd's end of the day
        ("2024-05-02T10:00:00", ("2024-05-02T10:00:00Z", ZONELESS)),
        ("0001-01-01T00:30:00+01:00", (None, UNREADABLE)),  # moved before year 1
        ("2023-02-29T10:00:00Z", (None, UNREADABLE)),
        ("", (None, None)),
    ],
)
def test_utc_time(value, expected):
    assert utc_time(value) == expected


def _crafted(tmp_path: Path, source: str, selection: str = "") -> Path:
    """A .qdpx of one text source with these attributes (and one selection with these), stored unpacked so
    a long attribute is no zip bomb."""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="X">\n'
        '<CodeBook><Codes><Code guid="00000000-0000-4000-8000-000000000101" name="k" isCodable="true"/></Codes>'
        '</CodeBook>\n<Sources><TextSource guid="00000000-0000-4000-8000-000000000009" '
        f"{source}>\n"
        + (
            f'<PlainTextSelection guid="00000000-0000-4000-8000-000000000201" {selection}><Coding '
            'guid="00000000-0000-4000-8000-000000000301"><CodeRef targetGUID="00000000-0000-4000-8000-000000000101"/>'
            "</Coding></PlainTextSelection>"
            if selection
            else ""
        )
        + "</TextSource></Sources></Project>"
    )
    path = tmp_path / "crafted.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", "Interviewer: How did it go?\n\nP01: We waited for hours.\n")
    return path


@pytest.mark.parametrize(
    ("source", "selection", "said"),
    [
        # xsd:integer has no bound, int() refuses more than 4,300 digits: it was a traceback
        (
            'name="P01" plainTextPath="internal://a.txt"',
            f'startPosition="2" endPosition="{"9" * 5000}"',
            (
                ", line 5: a selection's endPosition has 5,000 digits, more than any text has characters, so the file is "
                "damaged or was not written by a QDA tool. Export it again."
            ),
        ),
        # the path was repeated whole: one line of 300,000 characters
        (
            f'name="P01" plainTextPath="internal://{"x" * 300_000}.txt"',
            "",
            (
                ': source "P01" refers to (a path of 300,015 characters, not shown), which is not in the archive. '
                "Export the project again with its sources embedded."
            ),
        ),
        # nothing outside the archive is ever read, whatever the path says
        (
            'name="P01" plainTextPath="internal://../../../etc/passwd"',
            "",
            (
                ': source "P01" refers to "internal://../../../etc/passwd", which is not in the archive. Export the '
                "project again with its sources embedded."
            ),
        ),
        (
            'name="P01" plainTextPath="absolute:///etc/passwd"',
            "",
            (
                ': source "P01" refers to "absolute:///etc/passwd", which is not in the archive. Export the project '
                "again with its sources embedded."
            ),
        ),
        # the project file itself: its XML was imported as the transcript's text, read whole past the
        # per-part size limit (a project.qde is streamed and may be 1 GB)
        (
            'name="P01" plainTextPath="internal://project.qde"',
            "",
            (
                ': source "P01" refers to "internal://project.qde", which is not in the archive. Export the '
                "project again with its sources embedded."
            ),
        ),
    ],
    ids=[
        "a position of 5000 digits",
        "a path of 300,000 characters",
        "a path out of the archive",
        "absolute",
        "the project file",
    ],
)
def test_crafted_attributes_are_one_short_line_and_write_nothing(runner, tmp_path, source, selection, said):
    path = _crafted(tmp_path, source, selection)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (1, f'Error: "{path}"{said}\n')
    assert not db.exists()


def test_a_source_name_of_megabytes_is_no_transcript_id(runner, tmp_path):
    # It became the transcript's id, and a line of every message naming the source.
    path = _crafted(tmp_path, f'name="{"N" * 300_000}" plainTextPath="internal://a.txt"')
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    assert (
        "Warning: source 00000000-0000-4000-8000-000000000009's name is 300,000 characters long, too long to be a "
        'transcript id: it becomes transcript "source-1". Rename it with the other tool if it matters.\n'
    ) in result.stderr
    assert len(result.stderr) < 2000
    assert [r[0] for r in open_db(db).execute("SELECT id FROM transcripts")] == ["source-1"]


def test_a_variable_name_of_megabytes_is_no_attribute_name(runner, tmp_path, exported):
    # It became an attribute name, and a line of every message listing the attributes (agree --by's).
    with zipfile.ZipFile(exported) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    qde = parts["project.qde"].decode()
    guid, name = re.search(r'<Variable guid="([^"]+)" name="([^"]+)"', qde).groups()
    parts["project.qde"] = qde.replace(f'name="{name}"', f'name="{"V" * 300_000}"', 1).encode()
    path = tmp_path / "long.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    assert (
        f"Warning: variable {guid}'s name is 300,000 characters long, too long to be an attribute name: it "
        'becomes attribute "variable-1". Rename it with the other tool if it matters.\n'
    ) in result.stderr
    assert len(result.stderr) < 2000
    names = {r[0] for r in open_db(db).execute("SELECT DISTINCT name FROM attributes")}
    assert "variable-1" in names and max(map(len, names)) < 200


def _maxqda_parts() -> dict[str, bytes]:
    """The MAXQDA fixture's parts, as its .qdpx holds them (bare plainTextPath, Sources/ with a capital S)."""
    folder = FIXTURES / "maxqda"
    return {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


def _zipped(tmp_path: Path, parts: dict[str, bytes], name: str = "p.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in parts.items():
            archive.writestr(member, data)
    return path


MAXQDA_TEXT = "Sources/86392BC1-A364-4904-A406-87A7E025EBF7.txt"


@pytest.mark.parametrize("damage", ["not UTF-8", "two parts of one name", "zip bomb", "project file"])
def test_a_part_name_holding_a_line_break_is_shown_escaped_on_one_line(runner, tmp_path, damage):
    # The name of a part was put in the message as it is: "Sources/a\nError: ..." printed a line of its own,
    # which a script reading stderr (or a user) takes for wei-qual's.
    parts = _maxqda_parts()
    forged = "Sources/a\nError: the project is fine.txt"
    parts["project.qde"] = parts["project.qde"].replace(
        b'plainTextPath="86392BC1-A364-4904-A406-87A7E025EBF7.txt"',
        b'plainTextPath="a&#10;Error: the project is fine.txt"',
    )
    text = parts.pop(MAXQDA_TEXT)
    parts[forged] = text + b"\nCaf\xe9\n" if damage == "not UTF-8" else text
    if damage == "two parts of one name":
        parts[forged.replace("fine", "FINE")] = text
    if damage == "zip bomb":
        parts[forged] = text + b" " * (150 << 20)
    if damage == "project file":  # ATLAS.ti 26 names it after the project, which may hold anything
        parts["Co-responder\nError: the project is fine.qde"] = parts.pop("project.qde").replace(
            b"</Project>", b"<"
        )
    path = _zipped(tmp_path, parts)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db)])
    assert result.exit_code == 1 and not db.exists()
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    shown = "Sources/a\\nError: the project is fine.txt"
    assert {
        "not UTF-8": f'"{shown}", line 9: the text is not UTF-8.',
        "two parts of one name": f'two parts named "{shown.replace("fine", "FINE")}"',
        "zip bomb": f'part "{shown}" would unpack to 150 MB',
        "project file": ": Co-responder\\nError: the project is fine.qde, line 45, column 2: not well-formed XML",
    }[damage] in result.stderr


def _decisions(plan) -> list:
    return sorted((d.transcript, d.segment, d.coder, sorted(d.codes), d.excerpts) for d in plan.decisions)


def test_a_source_saved_as_utf16_with_its_bom_reads_as_its_utf8_original(tmp_path):
    # Notepad's "Unicode" (UTF-16 with a BOM), as ingest reads it: it was refused, "line 1: not UTF-8".
    parts = _maxqda_parts()
    original = load_qdpx(_zipped(tmp_path, parts, "utf8.qdpx"))
    parts[MAXQDA_TEXT] = parts[MAXQDA_TEXT].decode("utf-8-sig").encode("utf-16")
    utf16 = load_qdpx(_zipped(tmp_path, parts, "utf16.qdpx"))
    assert [t.text for t in utf16.transcripts] == [t.text for t in original.transcripts]
    assert _decisions(utf16) == _decisions(original) and original.decisions


def test_a_source_in_utf16_without_a_bom_is_refused_not_read_as_nuls(runner, tmp_path):
    # Valid UTF-8 with a NUL after every letter: it was imported as one speakerless segment of NULs, exit 0.
    parts = _maxqda_parts()
    parts[MAXQDA_TEXT] = parts[MAXQDA_TEXT].decode("utf-8-sig").encode("utf-16-le")
    path = _zipped(tmp_path, parts)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{path}": "{MAXQDA_TEXT}", line 1: the text holds NUL characters, so it is not UTF-8 text '
            "(UTF-16 without a byte-order mark, or a binary file). Export the project again (REFI-QDA sources "
            "are UTF-8).\n"
        ),
    )
    assert not db.exists()


@pytest.mark.parametrize(("start", "end"), [("143", "64"), ("-64", "143")])
def test_a_selection_that_is_no_span_is_lost_as_the_tools_not_as_an_edit(runner, tmp_path, start, end):
    # It was "outside its text however its positions are counted (the source was probably edited after
    # coding)": the team went looking for an edit that never happened.
    parts = _maxqda_parts()
    parts["project.qde"] = parts["project.qde"].replace(
        b'startPosition="64" endPosition="143"', f'startPosition="{start}" endPosition="{end}"'.encode()
    )
    path = _zipped(tmp_path, parts)
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    said = (
        'Warning: 1 selection of source "Interview 12" whose positions select no text (a start after its end, or '
        "a position below 0: no edit of the source makes them, so the tool that wrote the file did): "
        f'{start} to {end} ("Clinician" by Morgan Diaz, "Clinician" by Morgan Diaz). The rest of the project is imported; code these '
        "passages again in wei-qual if they still apply.\n"
    )
    assert said in result.stderr and "edited after coding" not in result.stderr
    lost = json.loads(result.stdout)["lost"]
    assert {"what": "codings", "count": 2, "why": said[len("Warning: ") : said.index(". The rest")]} in lost


def _deep_codes(levels: int) -> str:
    return (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{k:012d}" name="Level {k}" isCodable="true">'
            for k in range(levels)
        )
        + "</Code>" * levels
    )


@pytest.mark.parametrize("kind", [".qdpx", ".qdc"])
def test_codes_nested_past_the_xml_readers_depth_are_named_so_not_malformed_xml(runner, tmp_path, kind):
    # libxml2 stops at 256 levels; the message was "not well-formed XML (an unescaped < or & in text ...)",
    # and the user looked for a character to fix. Under 256 levels the code tree's own limit (20) speaks.
    if kind == ".qdpx":
        qde = (
            '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">\n'
            f"<CodeBook><Codes>{_deep_codes(300)}</Codes></CodeBook></Project>"
        )
        path = _zipped(tmp_path, {"project.qde": qde.encode()})
        args, where = (
            ["project", "import", str(path), "--db", str(tmp_path / "new.db")],
            f'"{path}": project.qde',
        )
    else:
        path = tmp_path / "deep.qdc"
        path.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="X">\n'
            f"<Codes>{_deep_codes(300)}</Codes></CodeBook>",
            encoding="utf-8",
        )
        args, where = ["codebook", "import", str(path), "-o", str(tmp_path / "new.yaml")], f'"{path}"'
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert re.fullmatch(
        f"Error: {re.escape(where)}, line 3, column \\d+: elements nested more than 256 levels deep, which no QDA "
        "tool writes, so it was not read. Flatten the code tree in your QDA tool, then export it again.\n",
        result.stderr,
    ), result.stderr


def _codebook_qdpx(tmp_path: Path, codes: int, name: str) -> Path:
    """A codebook-only .qdpx of `codes` codes: themes of four codes each, as a real tree nests them."""
    themes = [
        f'<Code guid="00000000-0000-4000-8000-{t:012d}" name="Theme {t}" isCodable="false">'
        + "".join(
            f'<Code guid="00000000-0000-4000-8001-{t:06d}{k:06d}" name="Code {t}.{k}" isCodable="true"/>'
            for k in range(min(4, codes - 5 * t - 1))
        )
        + "</Code>"
        for t in range((codes + 4) // 5)
    ]
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">'
        f"<CodeBook><Codes>{''.join(themes)}</Codes></CodeBook></Project>"
    )
    return _zipped(tmp_path, {"project.qde": qde.encode()}, name)


def test_a_codebook_of_more_codes_than_the_limit_is_refused_before_it_is_built(runner, tmp_path, monkeypatch):
    # A 6 MB .qdpx of a million codes took minutes and gigabytes (100,000: 20 s, 470 MB); the limit is
    # lowered here so the test stays small.
    monkeypatch.setattr("wei_qual.export.codetree.MAX_CODES", 40)
    db = tmp_path / "ok.db"
    result = runner.invoke(
        app, ["project", "import", str(_codebook_qdpx(tmp_path, 40, "ok.qdpx")), "--db", str(db)]
    )
    assert result.exit_code == 0, result.stderr  # at the limit
    assert open_db(db).execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 40
    path = _codebook_qdpx(tmp_path, 41, "more.qdpx")
    db = tmp_path / "new.db"
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1,
        (
            f'Error: "{path}": the codebook holds 41 codes, more than the 40 a codebook may have here (coders '
            "choose among them by hand, and a real codebook has tens to a few thousand): it was not read. Check "
            "that it is the right file, or export a smaller codebook.\n"
        ),
    )
    assert not db.exists()
