"""Real exports, not imitations: NVivo 12.6 for Windows and NVivo 12.7 for Mac projects as the tools wrote
them, and a MAXQDA 24.7 project (trimmed; provenance in tests/data/qdpx/real/README.md). Each coded passage
must land on exactly the text the tool selected: the selected text is worked out here independently, as the
UTF-16 units of the source file (how .NET and Cocoa count), and checked to be whole comments, the way the
coders selected them."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from _qdpx_project import FIXTURES, zip_folder
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project, load_qdpx
from wei_qual.qdpx.layout import COUNTINGS, normalise_text, nvivo_extra, nvivo_unverified
from wei_qual.store import open_db

REAL = FIXTURES / "real"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _selected(folder: Path) -> dict[str, list[str]]:
    """What the tool selected, code name -> the texts of its selections: each selection's positions read as
    UTF-16 units of its source file's text, its line ends then written \\n, as the import stores text."""
    root = ET.parse(folder / "project.qde").getroot()
    names = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    source = root.find("q:Sources/q:TextSource", NS)
    member = source.get("plainTextPath").removeprefix("internal://")
    text = next(folder.glob(f"[Ss]ources/{member}")).read_bytes().decode("utf-8")
    units = text.encode("utf-16-le")
    out = defaultdict(list)
    for sel in source.iterfind("q:PlainTextSelection", NS):
        if sel.find("q:Coding", NS) is None:  # wei-qual's whole-turn selection of a turn coded by excerpts
            continue
        a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
        picked = units[2 * a : 2 * b].decode("utf-16-le")  # raises when a position splits an emoji
        lines = text.replace("\r\n", "\n").split("\n")
        assert picked in lines, f"{a}-{b} is not a whole comment read as UTF-16 units"
        for ref in sel.iterfind("q:Coding/q:CodeRef", NS):
            out[names[ref.get("targetGUID")]].append(picked)
    return {k: sorted(v) for k, v in out.items()}


def _imported(plan) -> dict[str, list[str]]:
    names = {c.id: c.name for c in plan.codebook.codes}
    (transcript,) = plan.transcripts
    out = defaultdict(list)
    for d in plan.decisions:
        turn = transcript.segments[d.segment - 1].text
        for e in d.excerpts:
            out[names[e.code]].append(turn[e.start : e.end])
    return {k: sorted(v) for k, v in out.items()}


@pytest.mark.parametrize(
    ("folder", "selections", "after_emoji"),
    [("nvivo-win-12.6", 10, 10), ("nvivo-mac-12.7", 20, 7)],
)
def test_every_coded_passage_lands_on_the_comment_the_coder_selected(
    tmp_path, folder, selections, after_emoji
):
    expected = _selected(REAL / folder)
    assert sum(map(len, expected.values())) == selections
    # The passages after 🤣🤣🤣 and 😡😡 are where code points and UTF-16 units part: the data decides.
    text = next((REAL / folder).glob("[Ss]ources/*.txt")).read_text(encoding="utf-8")
    first_emoji = text.index("🤣")
    assert sum(text.index(t) > first_emoji for ts in expected.values() for t in ts) == after_emoji
    plan = load_qdpx(zip_folder(REAL / folder, tmp_path / f"{folder}.qdpx"))
    assert _imported(plan) == expected
    assert not [w for w in plan.warnings if "positions" in w or "emoji" in w]


def test_nvivo_windows_text_with_its_line_ends_converted_is_still_read_right(tmp_path):
    # The same export with its text's \r\n turned into \n (an unzipped project kept in git, zipped again):
    # NVivo counted each line end as two, so read as one, every passage after the first line moved onto
    # other words, said only as "emoji counted as code points".
    folder = tmp_path / "converted"
    shutil.copytree(REAL / "nvivo-win-12.6", folder)
    (text_file,) = (folder / "Sources").glob("*.txt")
    text_file.write_bytes(text_file.read_bytes().replace(b"\r\n", b"\n"))
    plan = load_qdpx(zip_folder(folder, tmp_path / "converted.qdpx"))
    assert _imported(plan) == _selected(REAL / "nvivo-win-12.6")
    (said,) = [w for w in plan.warnings if "positions" in w]
    assert said == (
        'source "videos_10_selected": its selections\' positions count each line end as two characters, as a '
        "tool counts \\r\\n (NVivo for Windows), though this text's line ends are single characters (\\n: "
        "converted after the tool wrote the file, by an editor or by git): only so do they fit the text, or cut "
        "fewer words, so they are read that way."
    )


def test_a_text_with_single_line_ends_is_not_read_as_two_on_weak_evidence(tmp_path):
    # One selection that cuts a word either way: no reason to move it.
    from test_qdpx_import import _one_source

    text = "Interviewer: How long?\nP01: Alpha beta gamma delta.\nP01: Epsilon zeta.\n"
    at = text.index("pha beta")
    plan = load_qdpx(_one_source(tmp_path, text, [(at, at + 8)], origin="NVivo 14"))
    (turn,) = [s for s in plan.transcripts[0].segments if "Alpha" in s.text]
    (decision,) = plan.decisions
    (excerpt,) = decision.excerpts
    assert turn.text[excerpt.start : excerpt.end] == "pha beta"
    assert not [w for w in plan.warnings if "positions" in w]


def test_project_import_command_reads_the_real_nvivo_export(tmp_path, monkeypatch):
    # NVivo for Windows wrote this project after importing NVivo for Mac's .qdpx of it (its codes' GUIDs are
    # new, and every coding was made at the same second by the user who imported it): each selection still
    # names who coded it, each coding names the importer. The codings were all Gergo's, silently.
    monkeypatch.chdir(tmp_path)
    qdpx = zip_folder(REAL / "nvivo-win-12.6", tmp_path / "from-nvivo.qdpx")
    result = CliRunner().invoke(
        app, ["project", "import", str(qdpx), "--db", "copy.db", "--allow-pii", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    db = open_db(tmp_path / "copy.db")
    assert {row[0] for row in db.execute("SELECT coder_id FROM decisions")} == {"floriansipos"}
    said = (
        '10 codings by "Gergo" on selections by "floriansipos": NVivo gives every coding of a project it '
        "imports from a .qdpx to the user who imports it, and keeps the selection's user, so each of these "
        "codings is taken as its selection's user's. Check who coded what with \"wei-qual coders\" before "
        "measuring agreement."
    )
    assert said in json.loads(result.stdout)["warnings"]
    assert said.replace('"wei-qual coders"', '"wei-qual coders --db copy.db"') in " ".join(
        result.stderr.split()
    )


def test_our_nvivo_export_puts_each_passage_where_nvivo_counts_it(tmp_path):
    """Imported from NVivo, exported --for nvivo: read as NVivo for Windows counts (verified above: UTF-16
    units of a \\r\\n text), each coded selection is the same comment again; both exports read back into
    wei-qual with the same passages, and validate against Project.xsd as they are written."""
    db = open_db(tmp_path / "a.db")
    import_project(db, zip_folder(REAL / "nvivo-win-12.6", tmp_path / "in.qdpx"), allow_pii=True)
    expected = _selected(REAL / "nvivo-win-12.6")
    for counting in ("nvivo", "standard"):
        out = tmp_path / f"{counting}.qdpx"
        result = export_project(db, out, name="copy", counting=COUNTINGS[counting])
        # 🤣 and 😡 before them are counted as these real exports count them: nothing is unverified.
        assert not [w for w in result.warnings if w.startswith("--for nvivo")]
        if counting == "nvivo":
            shutil.unpack_archive(out, tmp_path / counting, format="zip")
            assert _selected(tmp_path / counting) == expected
        assert _imported(load_qdpx(out)) == expected


@pytest.mark.parametrize(
    ("text", "unverified"),
    [
        ("no emoji", None),
        ("🤣🤣🤣 and 😡😡, as in the real exports", None),
        ("🤦🏼\u200d♀️ joined, ending in U+FE0F: UTF-16 units and the rule agree (7)", None),
        ("☝️ the rule adds nothing after it, nor does UTF-16", None),
        ("the rule counts 👍🏽 as 3, UTF-16 units as 4", 16),
        ("and ❤️ as 3 against 2", 4),
        ("a flag 🇲🇽", 7),
    ],
)
def test_where_our_nvivo_counting_is_unverified(text, unverified):
    assert nvivo_unverified(text) == unverified
    if unverified is not None:  # and there, the two countings do differ after that cluster
        extra, utf16 = nvivo_extra(text), normalise_text(text)[1].astral
        assert extra != utf16


def test_maxqda_24_7_export_sources_sets_and_codebook(tmp_path):
    # A real MAXQDA 24.7 project: a codebook and uncoded sources (no positions to check), `internal://`
    # paths into `sources/`, document groups as Sets of MemberSources, every code codable.
    folder = REAL / "maxqda-24.7"
    qdpx = zip_folder(folder, tmp_path / "maxqda.qdpx")
    plan = load_qdpx(qdpx, as_documents=["ICLS*"])
    texts = {p.name: p.read_text(encoding="utf-8") for p in (folder / "sources").glob("*.txt")}
    assert {t.id: t.attributes for t in plan.transcripts} == {
        "ICLS 2024 3-10": {"ICLS 2024": "true", "ICLS 2025": "false"},
        "ICLS 2025 1007-1015": {"ICLS 2024": "false", "ICLS 2025": "true"},
    }
    for t in plan.transcripts:
        assert t.kind == "document"
        assert plan.scan_texts[t.id] in texts.values()
        assert "Abstract: " in t.segments[1].text
    assert [c.name for c in plan.codebook.codes if c.parent == "assessments"] == [
        "Assessments (general)",
        "ASSMNT - Formative Assessment",
        "ASSMNT - Summative Assessment",
    ]
    assert plan.decisions == [] and plan.lost == []
