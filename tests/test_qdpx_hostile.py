"""A .qdpx as untrusted input: a damaged part (a truncated download, a size that lies) is one line and writes
nothing; times in other zones, without one or out of range are read as UTC, with a warning."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import pytest
from test_qdpx_roundtrip import _project

from wei_qual.cli import app
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
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
    ],
    ids=[
        "a position of 5000 digits",
        "a path of 300,000 characters",
        "a path out of the archive",
        "absolute",
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
