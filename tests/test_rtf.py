"""RTF transcripts read as their text reads: fixtures imitating f4's RTF (Windows RichEdit: \\ansicpg1252,
\\'xx escapes, \\par per paragraph, f4 time marks) and Word's (a long header with font, colour and style
tables, an \\info group naming the author, bold labels in groups, \\tab, \\rquote and \\uN escapes); the
PII gate, deid scan and deid redact read the same text, and a bad file is one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.errors import TranscriptError
from wei_qual.ingest import parse_transcript
from wei_qual.store import open_db
from wei_qual.store.transcripts import iter_segments

DATA = Path(__file__).parent / "data"


def _rows(t):
    return [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments]


def test_f4_rtf_reads_with_its_time_marks_and_code_page_characters():
    t = parse_transcript(DATA / "KP11_f4.rtf")
    assert t.format == "rtf"
    assert _rows(t) == [
        (
            "I",
            "interviewer",
            None,
            6.8,
            "Thank you for taking part. Could you describe your role at the crisis unit?",
        ),
        (
            "B",
            "participant",
            6.8,
            17.2,
            "I'm the charge nurse on nights. The unit has twelve beds, and we're usually full by ten.",
        ),
        ("I", "interviewer", 17.2, 21.9, "What happens when the deputies bring someone in?"),
        (
            "B",
            "participant",
            21.9,
            41.5,
            (
                "We check the admission criteria first. If he's been drinking, the policy says the ER clears him "
                "before we can take him, and that's a long wait for everybody (unv.)."
            ),
        ),
        ("I", "interviewer", 41.5, 46.0, "And the café on Main – is that where the co-responders meet?"),
        ("B", "participant", 46.0, 52.4, "Yes, they’re there most mornings. “Coffee first,” they say."),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())


def test_word_rtf_reads_its_paragraphs_and_leaves_its_header_out():
    t = parse_transcript(DATA / "KP12_word.rtf")
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "How do calls reach the co-responder team on a weekend?"),
        (
            "KP12",
            "participant",
            (
                "Through dispatch. On a Saturday night there’s one clinician for the whole county, so the deputies "
                "often can’t wait.\n\nThen it’s the ER by default."
            ),
        ),
        ("Interviewer", "interviewer", "And the stabilization unit?"),
        (
            "KP12",
            "participant",
            (
                "It takes walk-ins, but not anyone who’s been drinking. That’s the rule — we call it the "
                "breathalyzer policy."
            ),
        ),
    ]
    # The author in \info, the font names and the theme data are not text.
    assert "Whitfield" not in t.text and "Calibri" not in t.text and "504b" not in t.text
    assert t.warnings == ()


def test_a_speaker_set_in_bold_with_no_colon_reads_as_in_a_word_file(tmp_path):
    # Word's RTF: the name in a bold group, the turn in a plain one. WordPad's: \\b ... \\b0 in one group.
    t = parse_transcript(DATA / "KP15_word_bold.rtf")
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "How long does a deputy wait with someone at the ER?"),
        (
            "Sgt Rivera",
            "participant",
            "Most nights an hour. The stabilization unit won’t take anyone who’s been drinking, so we sit there.",
        ),
        ("Interviewer", "interviewer", "And on a weekend?"),
        (
            "Sgt Rivera",
            "participant",
            # A word in bold once at a paragraph's start is emphasis: text, as in a Word file.
            (
                "Longer. There’s one clinician for the county, and the breathalyzer rule still holds.\n\n"
                "Never leave them in the car, that’s what the sergeant told us."
            ),
        ),
    ]
    assert (t.roles, t.warnings, t.attributes) == ("inferred", (), {"title": "KP15 interview (fictional)"})
    # \\plain ends bold too, and bold not ended at a paragraph's end runs on into the next, as Word shows it.
    path = tmp_path / "P04.rtf"
    path.write_bytes(
        b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\pard\\plain\\b Interviewer\\plain  Which one?\\par "
        b"\\b Case Manager\\plain  The unit.\\par \\b All of it in bold. \\par Interviewer\\plain  And then?\\par "
        b"\\b Case Manager\\plain  The ER.\\par}"
    )
    assert [(s.speaker, s.text) for s in parse_transcript(path).segments] == [
        ("Interviewer", "Which one?"),
        ("Case Manager", "The unit.\n\nAll of it in bold."),
        ("Interviewer", "And then?"),
        ("Case Manager", "The ER."),
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", '"bad.rtf" is empty (0 bytes). Export the transcript again, or leave the file out.'),
        (
            b"Interviewer: Hello.\n",
            (
                '"bad.rtf" is not an RTF file (it does not start with "{\\rtf"); it may be another format renamed. '
                "Open and save it again as .rtf or .docx, or export the transcript as .txt."
            ),
        ),
        (
            b"{\\rtf1\\ansi\\ansicpg1252 \\pard Interviewer: caf\\'81\\par}",
            (
                '"bad.rtf" holds a character its code page (cp1252) does not define. Open and save it again as '
                ".rtf or .docx, or export the transcript as .txt."
            ),
        ),
        (  # \uc without its number: the parser fails on it (found by fuzzing)
            b"{\\rtf1\\ansi\\uc \\pard Interviewer: Hello.\\par}",
            (
                '"bad.rtf" is not valid RTF (TypeError). Open and save it again as .rtf or .docx, or export the '
                "transcript as .txt."
            ),
        ),
        (
            b"{\\rtf1\\ansi {\\info{\\author Dana Whitfield}}\\pard\\par\\par}",
            '"bad.rtf" contains no text. Export the transcript again, or leave the file out.',
        ),
    ],
)
def test_a_bad_rtf_is_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    Path("bad.rtf").write_bytes(content)
    with pytest.raises(TranscriptError) as raised:
        parse_transcript(Path("bad.rtf"))
    assert str(raised.value) == message


def test_the_gate_and_deid_read_the_text_and_name_the_paragraph(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("KP13.rtf").write_bytes(
        b"{\\rtf1\\ansi\\ansicpg1252 {\\info{\\author Dana Whitfield}}\\pard "
        b"Interviewer: Did you call Officer Maria Lopez at 555-867-5309?\\par\r\n\\par\r\n"
        b"KP13: Yes, from 14 Elm Street.\\par\r\n}"
    )
    result = runner.invoke(app, ["ingest", "KP13.rtf", "--db", "p.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: KP13.rtf: likely identifiers at paragraph 1 (person), paragraph 1 (phone), paragraph 3 "
        '(address). Review with "wei-qual deid scan KP13.rtf --db p.db", redact with "wei-qual deid redact '
        'KP13.rtf -o redacted/KP13.txt --db p.db", or pass --allow-pii. A name the study may keep (the '
        "interviewer's, in the speaker labels) goes on the project's allowlist instead: "
        "\"wei-qual deid allow add 'NAME' --db p.db\", then ingest again."
    )
    scanned = runner.invoke(app, ["deid", "scan", "KP13.rtf"])
    assert scanned.stdout.splitlines() == [
        "KP13.rtf:paragraph 1 person Maria Lopez",
        "KP13.rtf:paragraph 1 phone 555-867-5309",
        "KP13.rtf:paragraph 3 address 14 Elm Street",
    ]  # the author in \info is no part of the text, so not of the scan
    refused = runner.invoke(app, ["deid", "redact", "KP13.rtf", "-o", "KP13_red.rtf"])
    assert refused.exit_code == 1 and refused.stderr == (
        'Error: Redact writes the text of "KP13.rtf", not RTF. Name the output .txt with -o.\n'
    )
    assert runner.invoke(app, ["deid", "redact", "KP13.rtf", "-o", "KP13.txt"]).exit_code == 0
    assert Path("KP13.txt").read_text(encoding="utf-8") == (
        "Interviewer: Did you call Officer [PERSON-1] at [PHONE-1]?\n\nKP13: Yes, from [ADDRESS-1]."
    )  # the text of its turns, as of a .docx or .odt
    assert runner.invoke(app, ["ingest", "KP13.txt", "--db", "p.db"]).exit_code == 0


def test_a_folder_ingest_takes_rtf_files(runner, tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    shutil.copy(DATA / "KP11_f4.rtf", folder)
    db = tmp_path / "p.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    rows = iter_segments(open_db(db))
    assert [(r["speaker"], r["start_time"], r["end_time"]) for r in rows[:2]] == [
        ("I", None, 6.8),
        ("B", 6.8, 17.2),
    ]


def test_a_word_rtf_speaker_table_reads_as_the_word_file_would():
    # Word writes each row's properties (\trowd) before its cells and again before \row; a cell's second
    # paragraph is a \par inside it.
    t = parse_transcript(DATA / "KP14_word_table.rtf")
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        (
            "Interviewer",
            "interviewer",
            4.0,
            "How do deputies choose between the stabilization unit and the ER after midnight?",
        ),
        (
            "KP14",
            "participant",
            12.0,
            (
                "It depends on who’s on. The unit won’t take anyone who’s been drinking, so a breathalyzer "
                "reading decides it.\n\nThen it’s the ER, and a four-hour wait."
            ),
        ),
        ("Interviewer", "interviewer", 62.0, "Has the co-responder pilot changed that?"),
        (
            "KP14",
            "participant",
            69.0,
            "A little. The clinician rides with us on weekdays, so we divert more calls — not at night, though.",
        ),
    ]
    assert t.warnings == ()  # the header row is no turn, and the file is labelled


# LibreOffice's RTF: one \trowd per row, \intbl paragraphs, no group around \row.
_LIBREOFFICE_TABLE = (
    b"{\\rtf1\\ansi\\deff0\\adeflang1025{\\fonttbl{\\f0\\froman\\fprq2\\fcharset0 Liberation Serif;}}"
    b"{\\info{\\creatim\\yr2024\\mo5\\dy2}}\\pard\\plain Interview P03\\par "
    b"\\trowd\\trql\\trleft-55\\ltrrow\\trpaddft3\\trpaddt55\\clbrdrt\\brdrs\\brdrw2\\cellx2000"
    b"\\clbrdrt\\brdrs\\brdrw2\\cellx9000\\pard\\plain\\s20\\intbl Interviewer\\cell"
    b"\\pard\\plain\\s20\\intbl Which is it | the unit or the ER?\\cell\\row\\pard"
    b"\\trowd\\trql\\trleft-55\\ltrrow\\cellx2000\\cellx9000"
    b"\\pard\\plain\\s20\\intbl P03\\cell\\pard\\plain\\s20\\intbl The unit | when it has a bed.\\cell\\row"
    b"\\trowd\\trql\\trleft-55\\ltrrow\\cellx2000\\cellx9000"
    b"\\pard\\plain\\s20\\intbl Interviewer\\cell\\pard\\plain\\s20\\intbl And at night?\\cell\\row"
    b"\\trowd\\trql\\trleft-55\\ltrrow\\cellx2000\\cellx9000"
    b"\\pard\\plain\\s20\\intbl P03\\cell\\pard\\plain\\s20\\intbl The ER, call {PHONE}.\\cell\\row"
    b"\\pard\\plain\\par}"
)


def test_a_libreoffice_rtf_table_keeps_a_bar_in_its_text(tmp_path):
    # striprtf writes a cell's end as "|": a bar in the text is no cell of its own.
    path = tmp_path / "P03.rtf"
    path.write_bytes(_LIBREOFFICE_TABLE.replace(b"{PHONE}", b"the desk"))
    t = parse_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "Which is it | the unit or the ER?"),
        ("P03", "The unit | when it has a bed."),
        ("Interviewer", "And at night?"),
        ("P03", "The ER, call the desk."),
    ]


def test_an_rtf_table_and_the_labelled_paragraphs_after_it_are_read_in_order(tmp_path):
    # The title over the table is its title; a labelled paragraph after it is a turn (it was dropped).
    path = tmp_path / "P03.rtf"
    path.write_bytes(
        _LIBREOFFICE_TABLE.replace(b"{PHONE}", b"the desk").replace(
            b"\\pard\\plain\\par}", b"\\pard\\plain Interviewer: Thanks, that is all.\\par}"
        )
    )
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "P03"] * 2 + ["Interviewer"]
    assert t.segments[-1].text == "Thanks, that is all."
    assert t.attributes == {"title": "Interview P03"}


def test_the_gate_and_deid_name_an_rtf_table_row(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("P03.rtf").write_bytes(_LIBREOFFICE_TABLE.replace(b"{PHONE}", b"555-867-5309"))
    result = runner.invoke(app, ["ingest", "P03.rtf", "--db", "p.db"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: P03.rtf: likely identifiers at table 1, row 4 (phone).")
    scanned = runner.invoke(app, ["deid", "scan", "P03.rtf"])
    assert scanned.stdout.splitlines() == ["P03.rtf:table 1, row 4 phone 555-867-5309"]


# Word's RTF of a transcript reviewed with Track Changes on, as Word writes it: a revision table, each
# run in a group with its revision marks (\deleted with \revauthdel and \revdttmdel, \revised with
# \revauth and \revdttm), a deletion holding \'xx and \uN escapes, and a note set hidden (\v).
TRACKED_RTF = (
    r"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff31507\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}}"
    r"{\*\revtbl {Unknown;}{Dana Whitfield;}}"
    r"{\info{\author Dana Whitfield}}"
    "\n"
    r"\pard\plain \ltrpar\ql \rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid4600157 Interviewer: How long did you wait?\par"
    "\n"
    r"\pard\plain \ltrpar\ql {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid4600157 KP17: We waited }"
    r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \deleted\revauthdel1\revdttmdel1749245312\insrsid4600157\delrsid4600157 "
    r"an hour at the caf\'e9 \u8212\'97 or so}"
    r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \revised\revauth1\revdttm1749245312\insrsid4600157 two hours}"
    r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid4600157  at the unit.}"
    r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \v\insrsid4600157  [check the time with the log]}"
    r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid4600157  Then the ER\rquote s waiting room.\par}"
    "\n"
    r"\pard\plain \ltrpar\ql {\rtlch\fcs1 \af0 \ltrch\fcs0 \insrsid4600157 Interviewer: And then?\par}"
    "\n}"
)


def test_word_rtf_tracked_changes_read_as_accepted_and_hidden_text_left_out(tmp_path):
    # Deleted text was read as present, run into the insertion ("an hour at the café — or sotwo hours"),
    # and a note formatted hidden was read as speech, without a word.
    path = tmp_path / "KP17.rtf"
    path.write_bytes(TRACKED_RTF.encode("ascii"))
    t = parse_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long did you wait?"),
        ("KP17", "We waited two hours at the unit. Then the ER\u2019s waiting room."),
        ("Interviewer", "And then?"),
    ]
    assert [w.kind for w in t.warnings] == ["tracked_changes", "hidden_text"]
    assert "2 tracked changes were read as accepted" in t.warnings[0].message
    assert t.warnings[1].message.startswith("KP17: hidden text in 1 paragraph was left out")


def test_a_line_break_in_an_rtf_is_a_line_break_in_a_paragraph_and_in_a_cell(tmp_path):
    # LibreOffice and Word write Shift+Enter as \line, which striprtf writes as a paragraph's end: a
    # labelled paragraph broke into two there, a cell's line into two paragraphs. Both are now one
    # paragraph with a line break, as in a .docx; a cell's second paragraph (\par in it) stays one.
    answer = b"About two hours.\\line Longer on weekends."
    paragraphs = (
        b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\froman Liberation Serif;}}\\pard\\plain "
        b"Interviewer: How long did you wait?\\par\\pard\\plain {\\loch\nP03: " + answer + b"}\n\\par "
        b"\\pard\\plain Then we drove back.\\par\\pard\\plain Interviewer: Who called?\\par}"
    )
    tabled = (
        _LIBREOFFICE_TABLE.replace(b"Which is it | the unit or the ER?", b"How long did you wait?")
        .replace(
            b"The unit | when it has a bed.", answer + b"\\par\\pard\\plain\\s20\\intbl Then we drove back."
        )
        .replace(b"And at night?", b"Who called?")
        .replace(
            b"\\pard\\plain\\s20\\intbl P03\\cell\\pard\\plain\\s20\\intbl The ER, call {PHONE}.\\cell\\row",
            b"",
        )
    )
    for name, data in (("P03.rtf", paragraphs), ("P03_table.rtf", tabled)):
        path = tmp_path / name
        path.write_bytes(data)
        t = parse_transcript(path)
        assert [(s.speaker, s.text) for s in t.segments] == [
            ("Interviewer", "How long did you wait?"),
            ("P03", "About two hours.\nLonger on weekends.\n\nThen we drove back."),
            ("Interviewer", "Who called?"),
        ], name
