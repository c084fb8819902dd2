"""Real export layouts read right (fictional fixtures imitating them): Otter and Teams headers as metadata,
Markdown blockquote labels with cue-timing lines, unnamed caption cues, speakerless .srt paragraphs,
pair interviews, and one fixture per warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wei_qual.ingest import parse_transcript
from wei_qual.ingest.boilerplate import find_boilerplate
from wei_qual.ingest.checks import LONG_TURN_WORDS
from wei_qual.ingest.plain import parse_lines, split_turns

DATA = Path(__file__).parent / "data"


def _rows(t):
    return [(s.n, s.speaker, s.role, s.start_time, s.end_time) for s in t.segments]


def _kinds(t):
    return [w.kind for w in t.warnings]


@pytest.mark.parametrize(
    "name, date, keywords",
    [
        ("KP04_otter_export.txt", "Tue, 1/24 10:03AM", "crisis unit, deputies, beds, transport, follow up"),
        ("KP05_otter_export.docx", "Wed, 2/7 2:15PM", "crisis unit, deputies, beds, follow up"),
    ],
)
def test_otter_header_is_metadata_and_the_named_interviewer_is_found(name, date, keywords):
    t = parse_transcript(DATA / name)
    stem = name.split("_")[0]
    assert t.attributes == {
        "title": f"{stem} follow-up interview (fictional)",
        "date": date,
        "service_keywords": keywords,
    }
    # No header or footer line became a segment: every segment is a labelled turn.
    assert {s.speaker for s in t.segments} == {"Dana Whitfield", stem}
    assert "SUMMARY KEYWORDS" not in t.text and "otter.ai" not in t.text and "SPEAKERS" not in t.text
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        (
            "Dana Whitfield",
            "interviewer",
            f"asks {4 if name.endswith('txt') else 2}/{4 if name.endswith('txt') else 2} questions; speaks first",
        ),
        (stem, "participant", "label is the start of the transcript id"),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())
    assert t.segments[0].start_time == 13.0 and t.segments[1].start_time == 21.0


def test_google_meet_header_and_footer_are_metadata():
    # Google Meet's transcript (a Google Doc, here saved as text): title with date, Attendees and their
    # list, "Transcript", a timestamp line every five minutes, and two footer lines.
    t = parse_transcript(DATA / "KP31_meet.txt")
    assert t.attributes == {"title": "KP31 interview - 2024/03/12 14:02 CDT", "date": "2024/03/12"}
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 0.0),
        ("KP31", "participant", None),
        ("Dana Whitfield", "interviewer", None),
        ("KP31", "participant", 300.0),
        ("Dana Whitfield", "interviewer", None),
        ("KP31", "participant", None),
    ]
    assert t.segments[-1].text == "The ER, if the unit is full."
    assert "Attendees" not in t.text and "Meeting ended" not in t.text and "00:05:00" not in t.text
    assert t.warnings == ()


def test_otter_txt_turns_and_times():
    t = parse_transcript(DATA / "KP04_otter_export.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 13.0),
        ("KP04", "participant", 21.0),
        ("Dana Whitfield", "interviewer", 62.0),
        ("KP04", "participant", 69.0),
        ("Dana Whitfield", "interviewer", 135.0),
        ("KP04", "participant", 140.0),
        ("Dana Whitfield", "interviewer", 220.0),
        ("KP04", "participant", 227.0),
    ]
    assert t.segments[3].text.endswith("finish the question.")  # two paragraphs, one turn


@pytest.mark.parametrize("dash", [" - ", " --> "])
def test_nvivo_transcription_docx_table_with_timespans(tmp_path, dash):
    # NVivo Transcription exports a Word table: Timespan ("0:00:09.2 - 0:00:31.5"), Content, Speaker. A
    # span is the turn's start and end (a caption-style span with "-->" too).
    from docx import Document

    document = Document()
    rows = [
        ("Timespan", "Content", "Speaker"),
        ("0:00:00.0 - 0:00:09.2", "How do crisis calls reach the unit?", "Interviewer"),
        ("0:00:09.2 - 0:00:31.5", "Mostly through dispatch, late at night.", "KP07"),
        ("0:00:31.5 - 0:00:36.0", "Then what happens?", "Interviewer"),
        ("0:00:36.0 - 0:00:52.7", "We wait for a bed.", "KP07"),
        ("0:00:52.7 - 0:01:04.1", "Sometimes until morning.", "KP07"),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text.replace(" - ", dash)
    path = tmp_path / "KP07_nvivo.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", 0.0, 9.2, "How do crisis calls reach the unit?"),
        ("KP07", "participant", 9.2, 31.5, "Mostly through dispatch, late at night."),
        ("Interviewer", "interviewer", 31.5, 36.0, "Then what happens?"),
        ("KP07", "participant", 36.0, 64.1, "We wait for a bed.\n\nSometimes until morning."),
    ]


# KP08_f4.txt as f4/f5 write it: "I:" and "B:" labels, each paragraph closed by a time mark
# `#hh:mm:ss-t#` (tenths after the dash), a mark inside the text "(unv. #00:00:52-2#)".
F4_ROWS = [
    ("I", "interviewer", None, 7.3, "Thank you for taking part. Could you start by describing your role?"),
    (
        "B",
        "participant",
        7.3,
        19.8,
        "Sure. I'm a crisis clinician with the mobile team, I've been there (..) about six years now.",
    ),
    ("I", "interviewer", 19.8, 24.1, "And what does a typical call look like?"),
    (
        "B",
        "participant",
        24.1,
        48.0,
        (
            "Usually dispatch calls us after the deputies are on scene. (...) The wait is the hard part, "
            "sometimes we're forty minutes out in the county.\nThen we ride along to the stabilization unit "
            "if they'll take him."
        ),
    ),
    ("I", "interviewer", 48.0, 48.9, "Mhm."),
    (
        "B",
        "participant",
        48.9,
        58.4,
        "The unit turns people away when they've been drinking (unv.), that's the policy. (lacht)",
    ),
    ("I", "interviewer", 58.4, 62.0, "Okay. And at 3 a.m.?"),
    ("B", "participant", 62.0, 69.5, "At 3 a.m. it's the ER or the jail, honestly."),
]


def test_f4_time_marks_are_times_not_text():
    # A mark closing a paragraph is when it ends, so the next turn starts there; the first turn's start
    # is unknown. The mark inside the text leaves it, and changes no time.
    t = parse_transcript(DATA / "KP08_f4.txt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == F4_ROWS
    assert "#" not in t.text
    assert (t.roles, t.warnings) == ("inferred", ())


def test_f4_time_marks_in_word_paragraphs(tmp_path):
    from docx import Document

    document = Document()
    for line in (DATA / "KP08_f4.txt").read_text(encoding="utf-8").splitlines():
        if line:
            document.add_paragraph(line)
    path = tmp_path / "KP08_f4.docx"
    document.save(path)
    t = parse_transcript(path)
    # Word paragraphs: the continuation line is a paragraph of its own within B's turn.
    rows = [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments]
    assert rows == [(*row[:4], row[4].replace("\n", "\n\n")) for row in F4_ROWS]


@pytest.mark.parametrize(
    "lines, times, text",
    [
        # a mark only inside the text: no end time
        (["B: We waited #00:00:10-0# a long time."], (None, None), "We waited a long time."),
        # a mark alone on the line after the text still closes the turn; a dot for the tenths
        (["B: We waited.", "#00:00:10.5#"], (None, 10.5), "We waited."),
        # a label's own time wins over the mark before it
        (["I: Why? #00:00:03-0#", "", "[00:00:04] B: Beds. #00:00:09-1#"], (4.0, 9.1), "Beds."),
        # no tenths
        (["I: Why? #00:00:03#", "", "B: Beds. #00:01:09#"], (3.0, 69.0), "Beds."),
        # a bracketed timestamp at a paragraph's end is a mark too; one inside the text only leaves it
        (
            ["I: Why? [00:00:03]", "", "B: We went [00:00:40] to the unit. [00:01:09]"],
            (3.0, 69.0),
            "We went to the unit.",
        ),
        # a turn that does not end with a mark gives the next one no start
        (["I: Why? #00:00:03# Tell me.", "", "B: Beds. #00:01:09#"], (None, 69.0), "Beds."),
    ],
)
def test_f4_time_mark_positions(lines, times, text):
    turn = parse_lines(lines).turns[-1]
    assert ((turn.start_time, turn.end_time), turn.text) == (times, text)


def test_other_tools_text_keeps_its_time_marks():
    # A .qdpx source's text is located character by character: its marks stay where they are.
    assert split_turns(["I: Why? #00:00:03-0#"])[0].text == "Why? #00:00:03-0#"


def test_a_table_saved_as_text_reads_as_its_rows():
    # A transcript table (Time, Speaker, Text) pasted into a text file: cells separated by tabs, the
    # header row first, a cell's second paragraph on a line of its own.
    t = parse_transcript(DATA / "KP09_table.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 2.0),
        ("KP09", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 21.0),
        ("KP09", "participant", 26.0),
    ]
    assert t.segments[1].text == (
        "About three years. Before that I was on patrol in the north district.\nWe had no clinician then."
    )
    assert "Speaker" not in t.text and "\t" not in t.text
    assert (t.roles, t.warnings) == ("inferred", ())


@pytest.mark.parametrize(
    "lines",
    [
        # Word's hanging indent: the name, a tab, the turn
        [
            "Interviewer\tWhere do people go?",
            "Officer Diaz\tThe ER, mostly.",
            "Interviewer\tWhy?",
            "Officer Diaz\tBeds.",
        ],
        # a table saved as text with its columns in another order
        [
            "Speaker\tTime\tText",
            "Interviewer\t0:01\tWhere do people go?",
            "Officer Diaz\t0:04\tThe ER, mostly.",
        ],
    ],
)
def test_a_tab_after_the_name_is_a_label(lines):
    turns = parse_lines(lines).turns
    assert [(t.speaker, t.text) for t in turns[:2]] == [
        ("Interviewer", "Where do people go?"),
        ("Officer Diaz", "The ER, mostly."),
    ]


def test_word_hanging_indent_labels(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("Interview with KP10 (fictional)")
    for line in (
        "Interviewer\tWhere do people go?",
        "KP10\tThe ER, mostly.",
        "Interviewer\tWhy?",
        "KP10\tBeds.",
    ):
        document.add_paragraph(line)  # python-docx writes the tab as Word does, a <w:tab/>
    path = tmp_path / "KP10.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "Where do people go?"),
        ("KP10", "participant", "The ER, mostly."),
        ("Interviewer", "interviewer", "Why?"),
        ("KP10", "participant", "Beds."),
    ]
    assert t.warnings == ()


def test_a_tab_after_a_one_off_word_is_text():
    # As with "Name:", a capitalised word that is not a known label form counts only when it recurs.
    turns = parse_lines(
        ["Interviewer: Where do people go?", "", "P07: The ER.", "Honestly\tit depends."]
    ).turns
    assert turns[-1].text == "The ER.\nHonestly\tit depends."


def _word_xml(paragraph, xml: str) -> None:
    """Append runs written as Word writes them (tracked changes, content controls...) to a paragraph."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for element in parse_xml(f"<w:root {w}>{xml}</w:root>"):
        paragraph._p.append(element)


def _tracked_docx(path: Path) -> Path:
    # A transcript reviewed with Track Changes on, as Word saves it: an insertion, a deletion, a move
    # (its old place deleted), and text in an inline content control, a simple field and a text box.
    from docx import Document

    document = Document()
    document.add_paragraph("Interviewer: How long is the wait at the unit?")
    p = document.add_paragraph("KP14: It was about ")
    who = 'w:author="Reviewer" w:date="2024-03-01T10:00:00Z"'
    _word_xml(
        p,
        f'<w:ins w:id="1" {who}><w:r><w:t>two hours</w:t></w:r></w:ins>'
        f'<w:del w:id="2" {who}><w:r><w:delText>an hour</w:delText></w:r></w:del>'
        '<w:r><w:t xml:space="preserve">, at night. </w:t></w:r>'
        f'<w:moveFrom w:id="3" {who}><w:r><w:delText>Always. </w:delText></w:r></w:moveFrom>'
        "<w:sdt><w:sdtContent><w:r><w:t>On weekends</w:t></w:r></w:sdtContent></w:sdt>"
        '<w:r><w:t xml:space="preserve"> longer </w:t></w:r>'
        '<w:fldSimple w:instr=" DATE "><w:r><w:t>(see log)</w:t></w:r></w:fldSimple>'
        "<w:r><w:t>.</w:t></w:r>"
        "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>Figure 2</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>",
    )
    q = document.add_paragraph("Interviewer: Why?")
    _word_xml(q, f'<w:moveTo w:id="4" {who}><w:r><w:t xml:space="preserve"> Always?</w:t></w:r></w:moveTo>')
    document.save(path)
    return path


def test_word_tracked_changes_read_as_accepted_and_said(tmp_path):
    t = parse_transcript(_tracked_docx(tmp_path / "KP14.docx"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long is the wait at the unit?"),
        ("KP14", "It was about two hours, at night. On weekends longer (see log)."),
        ("Interviewer", "Why? Always?"),
    ]
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "tracked_changes",
            (
                "KP14: 4 tracked changes were read as accepted (inserted text kept, deleted text left out). If the "
                "text should read otherwise, accept or reject them in Word or LibreOffice and ingest it again with --replace."
            ),
        )
    ]


def test_word_paragraphs_in_a_block_content_control_and_tracked_table_cells(tmp_path):
    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    first = document.add_paragraph("Interviewer: Where do people go?")
    # A template's content control around a paragraph of the body (python-docx lists only direct ones).
    first._p.addnext(
        parse_xml(
            f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>KP15: The ER, mostly.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        )
    )
    document.add_paragraph("Interviewer: Why?")
    path = tmp_path / "KP15.docx"
    document.save(path)
    assert [(s.speaker, s.text) for s in parse_transcript(path).segments] == [
        ("Interviewer", "Where do people go?"),
        ("KP15", "The ER, mostly."),
        ("Interviewer", "Why?"),
    ]
    table_doc = Document()
    table = table_doc.add_table(rows=3, cols=2)
    for row, (speaker, text) in zip(
        table.rows, [("Speaker", "Text"), ("Interviewer", "Why?"), ("KP16", "Beds ")]
    ):
        row.cells[0].text, row.cells[1].text = speaker, text
    _word_xml(
        table.rows[2].cells[1].paragraphs[0],
        '<w:ins w:id="1" w:author="R"><w:r><w:t>run out.</w:t></w:r></w:ins>',
    )
    path = tmp_path / "KP16.docx"
    table_doc.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [("Interviewer", "Why?"), ("KP16", "Beds run out.")]
    assert [w.kind for w in t.warnings] == ["tracked_changes"]


def test_a_word_document_with_tracked_changes_reads_as_accepted(tmp_path):
    from wei_qual.ingest import parse_document

    t = parse_document(_tracked_docx(tmp_path / "policy.docx"))
    assert "two hours" in t.text and "an hour" not in t.text and "Always. " not in t.text
    # A document's text box is text a reader sees (documents.md): read after its paragraph.
    assert "(see log).\n\nFigure 2" in t.text
    assert [w.kind for w in t.warnings] == ["tracked_changes"]


@pytest.mark.parametrize(
    "lines, turns",
    [
        # a timestamp alone on its line, the label below (a timestamp at the start of every paragraph)
        (
            [
                "0:00:00",
                "Speaker 1: Transcripts start here.",
                "00:00:17",
                "SPEAKER 2:",
                "Then a new person speaks.",
            ],
            [
                ("Speaker 1", 0.0, None, "Transcripts start here."),
                ("SPEAKER 2", 17.0, None, "Then a new person speaks."),
            ],
        ),
        # a span before the label, in brackets with an arrow (Transcribo's Markdown) or -->, or bare with a dash
        (
            [
                "[00:00:15 → 00:01:02] **Chris Moore:** Welcome.",
                "",
                "[00:01:05 --> 00:01:45] Student A: Reading.",
            ],
            [("Chris Moore", 15.0, 62.0, "Welcome."), ("Student A", 65.0, 105.0, "Reading.")],
        ),
        (
            ["00:00:15 - 00:01:02 Chris Moore: Welcome.", "00:01:05 – 00:01:45 Student A: Reading."],
            [("Chris Moore", 15.0, 62.0, "Welcome."), ("Student A", 65.0, 105.0, "Reading.")],
        ),
        # a timestamp and the name alone on a line, the turn below
        (
            [
                "00:00:04 Speaker 1",
                "How long?",
                "",
                "[00:00:09] Dana Whitfield",
                "An hour.",
                "",
                "[00:00:15] Dana Whitfield",
                "Why?",
            ],
            [("Speaker 1", 4.0, None, "How long?"), ("Dana Whitfield", 9.0, None, "An hour.\n\nWhy?")],
        ),
        # a dash between the timestamp and the label
        (
            ["[00:00:04.12] - Speaker 1: How long?", "", "[00:00:09.50] - Speaker 2: An hour."],
            [("Speaker 1", 4.12, None, "How long?"), ("Speaker 2", 9.5, None, "An hour.")],
        ),
        # a cue-timing line with text after it was dropped whole; its label is read, or it is an unnamed cue
        (
            ["00:00:15 --> 00:01:02 Chris Moore: Welcome.", "00:01:05 --> 00:01:45 Student A: Reading."],
            [("Chris Moore", 15.0, 62.0, "Welcome."), ("Student A", 65.0, 105.0, "Reading.")],
        ),
        (
            ["Interviewer: Hi.", "", "00:00:15 --> 00:01:02 Welcome everyone."],
            [("Interviewer", None, None, "Hi."), (None, 15.0, 62.0, "Welcome everyone.")],
        ),
        # WebVTT cue settings after the timing are not text
        (
            ["00:00:15.000 --> 00:01:02.000 align:start position:0%", "Interviewer: Welcome."],
            [("Interviewer", 15.0, 62.0, "Welcome.")],
        ),
        # a paragraph with no speaker, a timestamp before it (a transcript with no labels): its start
        (
            ["[00:00:00] How often do you get crisis calls?", "", "[00:00:08] Most shifts, one or two."],
            [
                (None, 0.0, None, "How often do you get crisis calls?"),
                (None, 8.0, None, "Most shifts, one or two."),
            ],
        ),
        # times in speech stay text
        (
            ["Interviewer: It was 10:30 - 11:00 that night?", "", "P1: 10:30 is late."],
            [
                ("Interviewer", None, None, "It was 10:30 - 11:00 that night?"),
                ("P1", None, None, "10:30 is late."),
            ],
        ),
    ],
)
def test_timestamp_and_span_forms(lines, turns):
    assert [(t.speaker, t.start_time, t.end_time, t.text) for t in parse_lines(lines).turns] == turns


@pytest.mark.parametrize(
    "lines, turns",
    [
        # the speaker's name alone over each turn: plain, in bold (Whisper tools' Markdown), as a heading
        (
            [
                "Dana Whitfield",
                "How long is the wait?",
                "",
                "KP20",
                "About an hour.",
                "",
                "Dana Whitfield",
                "Why?",
            ],
            [
                ("Dana Whitfield", None, "How long is the wait?"),
                ("KP20", None, "About an hour."),
                ("Dana Whitfield", None, "Why?"),
            ],
        ),
        (
            ["**Speaker 1**", "How long?", "", "**Speaker 2**", "An hour.", "", "**Speaker 1**", "Why?"],
            [("Speaker 1", None, "How long?"), ("Speaker 2", None, "An hour."), ("Speaker 1", None, "Why?")],
        ),
        (
            ["# Interview KP21", "", "### Speaker 1", "How long?", "", "### Speaker 2", "An hour."],
            [("Speaker 1", None, "How long?"), ("Speaker 2", None, "An hour.")],
        ),
        # in bold with its time
        (
            ["**Speaker 1** [00:00:04]", "How long?", "", "**Speaker 2 (00:09)**", "An hour."],
            [("Speaker 1", 4.0, "How long?"), ("Speaker 2", 9.0, "An hour.")],
        ),
        # one-word answers and one-off headings alone on a line are no speakers
        (
            ["Okay", "so we start.", "", "Right", "then what.", "", "Okay", "fine.", "", "Right", "sure."],
            [
                (None, None, "Okay\nso we start."),
                (None, None, "Right\nthen what."),
                (None, None, "Okay\nfine."),
                (None, None, "Right\nsure."),
            ],
        ),
        (
            ["Background", "We were on nights.", "", "Transport", "The van comes late."],
            [(None, None, "Background\nWe were on nights."), (None, None, "Transport\nThe van comes late.")],
        ),
        # in a file with labels, a name alone is text
        (
            [
                "Interviewer: Who called?",
                "",
                "P07: The family.",
                "Dana Whitfield",
                "was there too.",
                "",
                "Interviewer: And?",
                "",
                "P07: Dana Whitfield",
                "again.",
            ],
            [
                ("Interviewer", None, "Who called?"),
                ("P07", None, "The family.\nDana Whitfield\nwas there too."),
                ("Interviewer", None, "And?"),
                ("P07", None, "Dana Whitfield\nagain."),
            ],
        ),
    ],
)
def test_a_name_alone_over_each_turn(lines, turns):
    parsed = parse_lines(lines, markdown=True)
    assert [(t.speaker, t.start_time, t.text) for t in parsed.turns] == turns


def test_webex_names_the_speaker_in_the_cue_identifier():
    # Webex's captions: `2 "KP36" (3190456712)` over the cue's timing, the text with no name in it.
    t = parse_transcript(DATA / "KP36_webex.vtt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 0.57, 4.2, "Thanks for joining. How do crisis calls reach you?"),
        (
            "KP36",
            "participant",
            5.1,
            16.0,
            "Mostly through dispatch, after the deputies are on scene. Sometimes the family calls the unit directly.",
        ),
        ("Dana Whitfield", "interviewer", 17.0, 19.4, "And at night?"),
        ("KP36", "participant", 20.1, 24.3, "The ER, if the unit is full."),
    ]
    assert t.warnings == ()


def test_meeting_display_names_in_lower_case_are_speakers():
    # Google Meet shows a user with no name set by the user name ("dkowalski"): it starts every other
    # turn, so it is a speaker, not text of the interviewer's turn.
    t = parse_transcript(DATA / "KP33_meet_usernames.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 0.0),
        ("dkowalski", "participant", None),
        ("Dana Whitfield", "interviewer", None),
        ("dkowalski", "participant", None),
        ("Dana Whitfield", "interviewer", None),
        ("dkowalski", "participant", 300.0),
        ("Dana Whitfield", "interviewer", None),
        ("dkowalski", "participant", None),
    ]
    assert t.segments[1].text.startswith("Busy. I'm on the crisis")
    assert t.warnings == ()


def test_zoom_display_names_with_a_device_a_comma_or_a_degree_are_speakers():
    t = parse_transcript(DATA / "KP35_zoom_display_names.vtt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        (
            "Dr. Dana Whitfield-Lee, PhD",
            "interviewer",
            0.57,
            7.4,
            "Thanks for making the time today. How do crisis calls reach you?",
        ),
        (
            "KP35's iPhone",
            "participant",
            8.1,
            21.6,
            "Mostly through dispatch, late at night. Sometimes the family calls the unit directly.",
        ),
        ("Dr. Dana Whitfield-Lee, PhD", "interviewer", 22.0, 26.9, "And then?"),
        ("KP35's iPhone", "participant", 27.5, 36.35, "We wait for the mobile team."),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        # Amazon Transcribe's speakers, as its JSON converted to text gives them
        [
            "[00:00:00] spk_0: How do calls reach you?",
            "[00:00:08] spk_1: Dispatch.",
            "[00:00:12] spk_0: And then?",
            "[00:00:15] spk_1: We wait.",
            "[00:00:20] spk_0: How long?",
            "[00:00:22] spk_1: An hour.",
        ],
        [
            "spk_0: How do calls reach you?",
            "spk_1: Dispatch.",
            "spk_0: And then?",
            "spk_1: We wait.",
            "spk_0: How long?",
            "spk_1: An hour.",
        ],
        [
            "spk_0\t00:00:00\tHow do calls reach you?",
            "spk_1\t00:00:08\tDispatch.",
            "spk_0\t00:00:12\tAnd then?",
            "spk_1\t00:00:15\tWe wait.",
            "spk_0\t00:00:20\tHow long?",
            "spk_1\t00:00:22\tAn hour.",
        ],
        # names with particles, and family name first (Teams)
        [
            "Dana Whitfield: How do calls reach you?",
            "Ana de la Cruz: Dispatch.",
            "Dana Whitfield: And then?",
            "Ana de la Cruz: We wait.",
            "Dana Whitfield: How long?",
            "Ana de la Cruz: An hour.",
        ],
        [
            "Whitfield, Dana (County DHS)   0:00",
            "How do calls reach you?",
            "Cruz, Ana   0:08",
            "Dispatch.",
            "Whitfield, Dana (County DHS)   0:12",
            "And then?",
            "Cruz, Ana   0:15",
            "We wait.",
            "Whitfield, Dana (County DHS)   0:20",
            "How long?",
            "Cruz, Ana   0:22",
            "An hour.",
        ],
        # the time after a dash, the turn below (Fireflies)
        [
            "Dana Whitfield - 00:00",
            "How do calls reach you?",
            "Ana de la Cruz - 00:08",
            "Dispatch.",
            "Dana Whitfield - 00:12",
            "And then?",
            "Ana de la Cruz - 00:15",
            "We wait.",
            "Dana Whitfield - 00:20",
            "How long?",
            "Ana de la Cruz - 00:22",
            "An hour.",
        ],
    ],
)
def test_speaker_names_that_are_not_capitalised_words(lines):
    turns = parse_lines(lines).turns
    assert [t.text for t in turns] == [
        "How do calls reach you?",
        "Dispatch.",
        "And then?",
        "We wait.",
        "How long?",
        "An hour.",
    ]
    assert len({t.speaker for t in turns}) == 2 and turns[0].speaker != turns[1].speaker


def test_a_lower_case_word_before_a_colon_is_a_speaker_only_when_it_starts_many_turns():
    # A hard-wrapped transcript: "said:" starts three lines of forty turns. It is text.
    lines = []
    for k in range(20):
        lines += ["Interviewer: What happened next?", f"P07: The deputy on shift {k}"]
    for k in (5, 15, 25):
        lines[k] += " turned and"
        lines.insert(k + 1, "said: we wait for the clinician.")
    turns = parse_lines(lines).turns
    assert {t.speaker for t in turns} == {"Interviewer", "P07"} and len(turns) == 40
    assert sum("said: we wait" in t.text for t in turns) == 3
    # Twice is never enough, however short the file.
    turns = parse_lines(["jsmith: Hello.", "Interviewer: Hi.", "jsmith: Bye."]).turns
    assert [t.speaker for t in turns] == [None, "Interviewer"]


def test_a_bold_name_with_no_colon_is_a_label_when_it_recurs(tmp_path):
    from docx import Document

    turns = parse_lines(
        ["**P07** We waited.", "", "**Interviewer** Why?", "", "**P07** Beds.", "", "**Note** the end."]
    ).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("P07", "We waited."),
        ("Interviewer", "Why?"),
        ("P07", "Beds.\n\n**Note** the end."),  # a one-off bold word: text, and a missed_labels warning
    ]
    # In Word: the name in a bold run, a space, the turn in plain runs.
    document = Document()
    document.add_paragraph("KP22 interview (fictional)")
    for who, text in [
        ("Interviewer", "How long?"),
        ("Sgt Rivera", "An hour."),
        ("Interviewer", "Why?"),
        ("Sgt Rivera", "Beds."),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(who).bold = True
        paragraph.add_run(" " + text)
    paragraph = document.add_paragraph()
    paragraph.add_run("Note").bold = True
    paragraph.add_run(" the recorder stopped here.")
    path = tmp_path / "KP22.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "How long?"),
        ("Sgt Rivera", "participant", "An hour."),
        ("Interviewer", "interviewer", "Why?"),
        ("Sgt Rivera", "participant", "Beds.\n\nNote the recorder stopped here."),  # one-off: text as written
    ]
    assert t.warnings == ()


def test_rolling_captions_are_read_with_each_line_once():
    # YouTube's automatic captions: each cue repeats the last line of the one before (with word timings
    # inline), and a 10 ms cue holds the finished line alone.
    t = parse_transcript(DATA / "youtube_auto.vtt")
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        (None, 0.0, 7.0, "so how long is the wait about an hour most nights because the unit is full")
    ]


def test_a_cue_with_a_line_per_speaker_holds_a_turn_of_each():
    t = parse_transcript(DATA / "two_per_cue.srt")
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("DANA", 1.0, 4.0, "How long is the wait at the unit?"),
        ("KP30", 1.0, 4.0, "About an hour, most nights."),
        ("DANA", 4.5, 7.0, "And on weekends?"),
        ("KP30", 7.2, 11.0, "Longer. The unit is full by ten, so the deputies take him to the ER."),
        ("DANA", 7.2, 11.0, "Every time?"),
        ("KP30", 11.5, 13.0, "Most times."),
    ]


def test_line_numbers_are_not_text():
    # A transcript numbered for citing lines, as f4 exports it: a number and a tab before every line,
    # the blank lines numbered too.
    t = parse_transcript(DATA / "KP32_numbered.txt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        (
            "I",
            "interviewer",
            None,
            9.1,
            "Thank you for taking part. Could you describe how a call reaches\nthe crisis unit at night?",
        ),
        (
            "B",
            "participant",
            9.1,
            24.6,
            (
                "Mostly through dispatch. The deputies call ahead, and if the unit\nis full they take him to the ER "
                "instead."
            ),
        ),
        ("I", "interviewer", 24.6, 27.0, "How often is it full?"),
        ("B", "participant", 27.0, 31.2, "Most weekends, by ten."),
    ]
    assert t.warnings == ()


def test_numbers_that_do_not_count_up_are_text():
    turns = parse_lines(
        ["Interviewer: When?", "", "P07: 3 a.m. usually.", "", "Interviewer: And?", "", "P07: 4 came."]
    ).turns
    assert [t.text for t in turns] == ["When?", "3 a.m. usually.", "And?", "4 came."]


@pytest.mark.parametrize(
    "lines",
    [
        [
            "Speaker\u00a01: How long?",
            "Speaker\u00a02: An hour.",
            "Speaker\u00a01: Why?",
        ],  # Word's no-break space
        [
            "Speaker 1\u00a0: How long?",
            "Speaker 2\u202f: An hour.",
            "Speaker 1\u00a0: Why?",
        ],  # French typography
    ],
)
def test_a_no_break_space_in_a_label(lines):
    turns = parse_lines(lines).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Speaker 1", "How long?"),
        ("Speaker 2", "An hour."),
        ("Speaker 1", "Why?"),
    ]


def test_no_break_is_the_table_on_any_line():
    """no_break leaves ASCII lines as they are (speed): right only while NO_BREAK changes no ASCII
    character, which this checks for every one of them, and on random lines with the characters it maps."""
    import random

    from wei_qual.ingest.labels import NO_BREAK, no_break

    assert all(chr(c).translate(NO_BREAK) == chr(c) for c in range(128))
    pieces = ["a", "Speaker 1", ":", " ", "\t", "\u00a0", "\u202f", "\u2007", "\u00ad", "é", "P07"]
    rng = random.Random(7)
    for _ in range(2000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert no_break(line) == line.translate(NO_BREAK)


def test_a_no_break_space_in_a_caption_label(make_transcript):
    cues = ["Speaker\u00a01: How long?", "Speaker\u00a02: An hour.", "Speaker\u00a01: Why?"]
    vtt = "WEBVTT\n\n" + "".join(
        f"00:00:0{i}.000 --> 00:00:0{i}.900\n{cue}\n\n" for i, cue in enumerate(cues, 1)
    )
    t = parse_transcript(make_transcript(vtt, name="z.vtt"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Speaker 1", "How long?"),
        ("Speaker 2", "An hour."),
        ("Speaker 1", "Why?"),
    ]


def test_teams_docx_header_and_transcription_notices_are_dropped():
    t = parse_transcript(DATA / "KP06_teams.docx")
    assert t.attributes == {
        "title": "KP06 interview-20240124_150312-Meeting Recording",
        "date": "January 24, 2024, 3:03PM",
    }
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 3.0),
        ("KP06", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 15.0),
        ("KP06", "participant", 18.0),
    ]
    assert "transcription" not in t.text


def test_markdown_blockquote_labels_with_timing_lines():
    t = parse_transcript(DATA / "p1_interview.md")
    assert t.attributes == {"title": "P1 - January 24, 2024", "date": "January 24, 2024"}
    # Each turn gets the times of the timing line before it (not the next one).
    assert _rows(t) == [
        (1, "Interviewer", "interviewer", 1.0, 6.5),
        (2, "P1", "participant", 7.24, 22.9),
        (3, "Interviewer", "interviewer", 23.24, 29.46),
        (4, "P1", "participant", 30.1, 51.8),
        (5, "Interviewer", "interviewer", 52.0, 55.0),
        (6, "P1", "participant", 55.5, 70.25),
    ]
    assert t.segments[1].text == (
        "Well, I was on nights for most of last year, so it was usually a welfare check.\n"
        "By the time we got there the family had been waiting an hour.\n\nSometimes two."
    )
    assert [s.reason for s in t.speakers] == [
        "a known interviewer label",
        "label is the start of the transcript id",
    ]
    assert t.warnings == ()


def test_timing_lines_without_quotes_give_each_turn_its_own_times(make_transcript):
    # The same interview with the blockquotes removed by hand once gave every turn the NEXT line's time.
    text = (DATA / "p1_interview.md").read_text(encoding="utf-8")
    plain = "\n".join(
        line.lstrip("> ").replace("*", "").replace("_P1:_", "P1:").lstrip("- ") if line.strip() != ">" else ""
        for line in text.splitlines()
    )
    t = parse_transcript(make_transcript(plain, name="p1_plain.md"))
    assert [(s.speaker, s.start_time, s.end_time) for s in t.segments] == [
        ("Interviewer", 1.0, 6.5),
        ("P1", 7.24, 22.9),
        ("Interviewer", 23.24, 29.46),
        ("P1", 30.1, 51.8),
        ("Interviewer", 52.0, 55.0),
        ("P1", 55.5, 70.25),
    ]


@pytest.mark.parametrize(
    "line, speaker, text",
    [
        ("> P1: Well, yes.", "P1", "Well, yes."),
        (">> P1: Nested quote.", "P1", "Nested quote."),
        ("**P1:** Bold.", "P1", "Bold."),
        ("*P1:* Italic.", "P1", "Italic."),
        ("_P1_: Underscore italic.", "P1", "Underscore italic."),
        ("- P1: After a bullet.", "P1", "After a bullet."),
        ("1. P1: After a number.", "P1", "After a number."),
        ("> **P1:** Quoted bold.", "P1", "Quoted bold."),
    ],
)
def test_markdown_label_forms(line, speaker, text):
    turns = parse_lines(["Interviewer: Question?", "", line], markdown=True).turns
    assert [(t.speaker, t.text) for t in turns] == [("Interviewer", "Question?"), (speaker, text)]


def test_zoom_cue_without_a_name_is_its_own_review_segment():
    t = parse_transcript(DATA / "zoom_unnamed.vtt")
    assert _rows(t) == [
        (1, "Interviewer", "interviewer", 1.0, 4.0),
        (2, "P03", "participant", 5.0, 9.0),
        (3, None, "review", 9.2, 14.0),  # two unnamed cues, one segment, never added to P03
        (4, "Interviewer", "interviewer", 15.0, 17.0),
        (5, "P03", "participant", 17.5, 20.0),
    ]
    assert (
        t.segments[2].text
        == "Sometimes the family calls the unit directly. And then we wait for a call back."
    )
    assert (t.roles, t.roles_reason) == ("review", "1 segment has no speaker")
    assert _kinds(t) == ["unlabelled_text"]


def test_a_zoom_voice_heard_once_is_a_turn_of_its_own_as_in_a_text_file():
    # Zoom names every cue; the note-taker asks once ("Sam Okoye: Sorry, can you say that again...").
    # Read as text of no one, the name stayed in the coded text and counted as words, and a .qdpx round
    # trip read it back as a speaker: the counts changed. Read as the .txt reader reads it: a turn of
    # "Sam Okoye", left to review (no participant, not coded) until a person sets the role.
    t = parse_transcript(DATA / "e2e_study" / "P03.vtt")
    third = t.segments[2]
    assert (third.speaker, third.role, third.text) == (
        "Sam Okoye",
        "review",
        "Sorry, can you say that again, how many days?",
    )
    assert [s.n for s in t.segments if s.role == "participant"] == [2, 4, 6, 8, 10]
    assert sum(len(s.text.split()) for s in t.segments) == 198  # no label's words among the text's
    assert any("1 cue that opens with a name heard once (line 17) was read" in w.message for w in t.warnings)


@pytest.mark.parametrize(
    "cue",
    [
        "Note: the line dropped here, about ten seconds.",  # a word that heads a note: no voice
        "Sam Okoye: sorry, can you say that again?",  # words that do not start as a turn does
    ],
)
def test_a_one_off_name_in_zoom_captions_that_is_no_voice_stays_text(make_transcript, cue):
    cues = [
        "Interviewer: Thanks for joining. Could you describe your role?",
        "P31: I run the mobile crisis team for the county.",
        "Interviewer: How do calls reach you?",
        cue,
        "P31: Mostly through dispatch.",
        "Interviewer: And at night?",
        "P31: The deputies call us directly.",
    ]
    body = "".join(
        f"{k}\n00:00:{2 * k:02d}.000 --> 00:00:{2 * k + 1:02d}.000\n{c}\n\n" for k, c in enumerate(cues, 1)
    )
    t = parse_transcript(make_transcript("WEBVTT\n\n" + body, "p31.vtt"))
    fourth = t.segments[3]
    assert (fourth.speaker, fourth.role, fourth.text) == (None, "review", cue)


def test_a_participant_who_rejoins_from_a_phone_is_not_silently_two_participants():
    # The participant's laptop drops after cue 8 and Zoom names the rest "P04's iPhone". Read as two
    # participants with roles "inferred" and no word, every report counted 9 participants in an
    # 8-interview study, the provider group 5, and each percentage of that group moved.
    t = parse_transcript(DATA / "zoom_rejoined_from_phone.vtt")
    assert {s.label: s.role for s in t.speakers} == {
        "Interviewer": "interviewer",
        "P04": "participant",
        "P04's iPhone": "participant",
    }
    assert t.roles == "review"
    assert '"P04\'s iPhone" looks like "P04" on another device or rejoining' in t.roles_reason
    assert "roles_review" in _kinds(t)
    # The same interview on one device: no doubt.
    assert parse_transcript(DATA / "e2e_study" / "P04.vtt").roles == "inferred"


@pytest.mark.parametrize(
    "second",
    ["Dana Whitfield", "P04 Jr", "P041", "P04 Mobile Crisis Team"],
)
def test_a_second_participant_whose_label_only_begins_like_the_first_is_no_device(make_transcript, second):
    from wei_qual.ingest.roles import _device_voices
    from wei_qual.models import Speaker

    speakers = [Speaker("P04", "participant", ""), Speaker(second, "participant", "")]
    assert _device_voices(speakers) == ""
    assert _device_voices([Speaker("P04", "participant", ""), Speaker("P04 (Guest)", "participant", "")])


def test_subtitles_that_name_the_speaker_only_when_it_changes():
    # Happy Scribe's SubRip export (CRLF): a name on the first cue of each turn, none on the cues after
    # it. Those are the named speaker's, not turns of no one (a Zoom file names every cue).
    t = parse_transcript(DATA / "KP37_names_on_change.srt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 0.57, 7.4, "Thanks for joining. How do crisis calls reach you?"),
        (
            "KP37",
            "participant",
            8.1,
            21.6,
            "Mostly through dispatch, after the deputies are on scene. Sometimes the family calls the unit directly.",
        ),
        ("Dana Whitfield", "interviewer", 22.0, 26.9, "And at night?"),
        ("KP37", "participant", 27.5, 45.2, "The ER, if the unit is full. And that can mean four hours."),
    ]
    assert t.warnings == ()


def test_speakerless_srt_becomes_paragraphs_at_pauses_and_150_words():
    t = parse_transcript(DATA / "whisper.srt")
    words = [len(s.text.split()) for s in t.segments]
    # 13 cues 0.2 s apart: a new paragraph once one reaches 150 words; a 3 s pause starts the last one.
    assert words == [160, 47, 28]
    assert [(s.speaker, s.role, s.start_time, s.end_time) for s in t.segments] == [
        (None, "participant", 1.0, 42.8),
        (None, "participant", 43.0, 55.4),
        (None, "participant", 58.6, 67.8),
    ]
    assert t.segments[2].text.startswith("The other thing I would change is transport.")
    assert (t.roles, _kinds(t)) == ("review", ["unlabelled_text"])


def test_pair_interview_has_two_participants():
    t = parse_transcript(DATA / "pair.txt")
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 3),
        ("Officer", "participant", 3),
        ("Clinician", "participant", 3),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())


@pytest.mark.parametrize(
    "name, kinds",
    [
        ("warn_no_participant.txt", ["no_participant", "roles_review"]),
        ("warn_one_segment.md", ["single_segment", "one_speaker", "no_participant", "roles_review"]),
        ("warn_unlabelled.txt", ["unlabelled_text"]),
        # Its one "Sgt Okafor" turn answers no question beside the participant: doubtful too.
        ("warn_missed.md", ["missed_labels", "roles_review"]),
        ("no_labels.txt", ["unlabelled_text"]),
    ],
)
def test_each_degenerate_parse_warns(name, kinds):
    t = parse_transcript(DATA / name)
    assert _kinds(t) == kinds
    for w in t.warnings:
        assert w.message.startswith(f"{t.id}: ")
        assert '"wei-qual ' in w.message  # names the command that fixes or shows it


def test_warning_messages_name_the_fix():
    t = parse_transcript(DATA / "warn_missed.md")
    assert t.warnings[0].message == (
        f'warn_missed: 2 lines look like a missed speaker label (lines 5, 7). Write labels as "Name: text" '
        f'at the start of a line and ingest it again; "wei-qual ingest --dry-run {DATA / "warn_missed.md"}" '
        "shows how the file is read."
    )
    t = parse_transcript(DATA / "warn_unlabelled.txt")
    assert t.warnings[0].message == (
        "warn_unlabelled: 65% of the text is outside any labelled turn (segments 1, 2, role review), all of it "
        "above the first speaker label: a note, a summary or a cover sheet put over the turns? Delete it from the "
        "file and ingest it again; if it is the participant's words, label it, or set their role with "
        '"wei-qual transcripts roles warn_unlabelled --unlabelled participant".'
    )
    assert [s.role for s in t.segments[:2]] == ["review", "review"]


def test_long_turn_warns(make_transcript):
    answer = " ".join(["We waited at the emergency room for a bed."] * 170)  # 1,530 words
    t = parse_transcript(make_transcript(f"Interviewer: What happened?\n\nP07: {answer}\n", name="p07.txt"))
    assert len(t.segments[1].text.split()) > LONG_TURN_WORDS
    assert t.warnings[0].kind == "long_turn"
    assert t.warnings[0].message == (
        "p07: segment 2 has over 1,500 words (up to 1,530); a speaker label may have been missed. "
        'Read it with "wei-qual transcripts show p07".'
    )


def test_a_label_equal_to_the_file_name_counts_even_once(make_transcript):
    t = parse_transcript(
        make_transcript("Interviewer: What happened?\n\nLONG01: We waited.\n", name="LONG01.txt")
    )
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("LONG01", "participant"),
    ]


def test_the_transcript_id_in_lower_case_is_a_label_even_twice(make_transcript):
    # `p01:` in p01.txt was read as text of the interviewer's turn: one segment, no participant.
    text = (
        "Interviewer: How are you?\np01: Fine thanks.\nInterviewer: Crisis calls?\np01: We wait at the ER.\n"
    )
    t = parse_transcript(make_transcript(text, name="p01.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("p01", "participant"),
    ] * 2


@pytest.mark.parametrize(
    "line",
    [
        "Transcribed by https://otter.ai",
        "Transcript by Rev.com",
        "Page 3 of 12",
        "This transcript was exported on Jan 24, 2024 - view latest version here.",
        "Interview 4 (Completed 01/24/24)",
        "Dana Whitfield stopped transcription",
        "Automatically convert your audio files to text with Sonix.",
        "Convert P03_crisis_calls.mp3 to text with Sonix.",
        "Sonix uses cutting-edge artificial intelligence to convert your mp3 files to text.",
        "Transcribed with Descript",
        "Generated by Trint",
        "Visit https://www.temi.com to transcribe your audio",
    ],
)
def test_service_lines_are_dropped_anywhere(line):
    lines = ["Interviewer: Where do you take people?", "", line, "", "P02: To the unit."]
    assert 2 in find_boilerplate(lines, 0).drop
    turns = parse_lines(lines).turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Interviewer", "Where do you take people?"),
        ("P02", "To the unit."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "I read about otter.ai and Rev.com and a dozen other services before we picked one for the unit, honestly.",
        "We transcribed by hand.",
        "Page two of the form is where it goes wrong.",
    ],
)
def test_speech_that_mentions_services_stays(line):
    lines = ["Interviewer: Where do you take people?", "", f"P02: {line}"]
    assert [t.text for t in parse_lines(lines).turns] == ["Where do you take people?", line]


def test_markdown_headings_give_the_title_and_are_dropped():
    lines = ["# P1 - January 24, 2024", "", "## Transcript", "", "Interviewer: Hi?", "", "P1: Hello."]
    parsed = parse_lines(lines, markdown=True)
    assert parsed.metadata == {"title": "P1 - January 24, 2024", "date": "January 24, 2024"}
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "P1"]


def test_a_cover_sheet_table_beside_the_transcript_table_is_no_turns(tmp_path):
    # A cover table (Interview ID | KP40, Interviewer | ...) above a Time/Speaker/Text table gave a
    # participant per row: "Interview ID", "Date", "Duration", each with no warning.
    from docx import Document

    document = Document()
    cover = [
        ("Interview ID", "KP40"),
        ("Date", "14 March 2024"),
        ("Interviewer", "D. Whitfield"),
        ("Duration", "41 min"),
    ]
    table = document.add_table(rows=len(cover), cols=2)
    for row, cells in zip(table.rows, cover):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("")
    turns = [
        ("Time", "Speaker", "Text"),
        ("00:00:04", "Interviewer", "How do calls reach you at night?"),
        ("00:00:09", "KP40", "Dispatch, mostly. Then we wait for the mobile team."),
        ("00:00:31", "Interviewer", "And if they are out?"),
        ("00:00:36", "KP40", "The ER, and a long night."),
    ]
    table = document.add_table(rows=len(turns), cols=3)
    for row, cells in zip(table.rows, turns):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    path = tmp_path / "KP40.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Interviewer", "interviewer", 4.0),
        ("KP40", "participant", 9.0),
        ("Interviewer", "interviewer", 31.0),
        ("KP40", "participant", 36.0),
    ]
    assert _kinds(t) == ["left_out"] and "table 1 left out" in t.warnings[0].message


def _word_table(document, rows):
    """A table as Word writes one (python-docx's add_table: the grid, w:tblGrid, a cell per column)."""
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    return table


def _segments(t):
    return [(s.speaker, s.role, s.text) for s in t.segments]


def test_a_speaker_table_then_labelled_paragraphs_are_read_in_body_order(tmp_path):
    # The table's turns were read and the labelled paragraphs after it dropped without a word (4 segments
    # of 6). A name the table uses labels a paragraph even when it labels only one there.
    from docx import Document

    document = Document()
    _word_table(
        document,
        [
            ("Speaker", "Text"),
            ("Dana Whitfield", "Thanks for joining. What's your role?"),
            ("KP53", "I'm a clinician at the crisis unit, nine years, mostly nights."),
            ("Dana Whitfield", "How do police drop-offs work?"),
            ("KP53", "The deputy calls ahead, then we do a warm handoff."),
        ],
    )
    document.add_paragraph("Dana Whitfield: One last thing. What would you change?")
    document.add_paragraph("KP53: More beds. And a clinician in dispatch.")
    path = tmp_path / "KP53.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s, r) for s, r, _ in _segments(t)] == [
        ("Dana Whitfield", "interviewer"),
        ("KP53", "participant"),
    ] * 3
    assert t.segments[4].text == "One last thing. What would you change?"
    assert t.segments[5].text.endswith("clinician in dispatch.")
    assert t.warnings == ()


def test_paragraphs_between_speaker_tables_keep_their_place(tmp_path):
    # A labelled turn typed between two tables sits between their turns; an unlabelled paragraph after a
    # table is no one's turn (review), never added to the table's last speaker.
    from docx import Document

    document = Document()
    _word_table(
        document, [("Speaker", "Text"), ("Interviewer", "Where do people go?"), ("KP54", "The ER, mostly.")]
    )
    document.add_paragraph("Interviewer: And then?")
    _word_table(
        document, [("Speaker", "Text"), ("KP54", "They wait for a bed."), ("Interviewer", "For how long?")]
    )
    document.add_paragraph("[Recording ends]")
    path = tmp_path / "KP54.docx"
    document.save(path)
    t = parse_transcript(path)
    assert _segments(t) == [
        ("Interviewer", "interviewer", "Where do people go?"),
        ("KP54", "participant", "The ER, mostly."),
        ("Interviewer", "interviewer", "And then?"),
        ("KP54", "participant", "They wait for a bed."),
        ("Interviewer", "interviewer", "For how long?"),
        (None, "review", "[Recording ends]"),
    ]


@pytest.mark.parametrize(
    "first, times",
    [
        (["1", "2", "3", "4", "5", "6"], [None] * 6),
        (["1.", "2.", "3.", "4.", "5.", "6."], [None] * 6),
        (
            ["00:00:04", "00:00:09", "00:00:31", "00:00:36", "00:01:02", "00:01:10"],
            [4.0, 9.0, 31.0, 36.0, 62.0, 70.0],
        ),
    ],
)
def test_a_headerless_table_with_a_row_number_or_time_column(tmp_path, first, times):
    # "1 | Interviewer | Thanks..." with no header row: the numbers were read as the speakers ("1".."6", all
    # participants, the questions coded units). The speakers are the column whose labels recur.
    from docx import Document

    turns = [
        ("Interviewer", "Thanks for joining. What's your role?"),
        ("KP77", "I'm a clinician at the crisis unit, nine years, mostly nights."),
        ("Interviewer", "How do police drop-offs work?"),
        ("KP77", "The deputy calls ahead, then we do a warm handoff."),
        ("Interviewer", "And when you're full?"),
        ("KP77", "They go to the ER and wait there for hours."),
    ]
    document = Document()
    _word_table(document, [(n, speaker, text) for n, (speaker, text) in zip(first, turns)])
    path = tmp_path / "KP77.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        (speaker, "interviewer" if speaker == "Interviewer" else "participant", time, text)
        for (speaker, text), time in zip(turns, times)
    ]
    assert t.roles == "inferred" and t.warnings == ()


def test_a_headerless_table_with_two_label_columns_says_which_it_read(tmp_path):
    # A name and a role column both recur: either could be the speakers, so the choice is said.
    from docx import Document

    document = Document()
    _word_table(
        document,
        [
            ("Dana Whitfield", "Interviewer", "Thanks for joining. What's your role?"),
            ("Sam Ortiz", "Participant", "I'm a clinician at the crisis unit, nine years, mostly nights."),
            ("Dana Whitfield", "Interviewer", "How do police drop-offs work?"),
            ("Sam Ortiz", "Participant", "The deputy calls ahead, then we do a warm handoff."),
        ],
    )
    path = tmp_path / "KP78.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Dana Whitfield", "Sam Ortiz"] * 2
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "speaker_column",
            (
                "KP78: table 1 has no header row, and columns 1 and 2 both hold speaker labels that recur: "
                "column 1 was read as the speakers and column 3 as the text. If that is wrong, give the table a "
                'header row naming its Speaker and Text columns and ingest it again; "wei-qual ingest --dry-run '
                f'{path}" shows how it is read.'
            ),
        )
    ]


@pytest.mark.parametrize("first", ["Interviewer", "Yes"])
def test_a_headerless_table_beside_labelled_paragraphs_is_turns_when_its_speakers_are_theirs(tmp_path, first):
    # The table's speakers label the paragraphs too: its turns go where it stands. A table of Yes | No
    # answers beside them (a form in the transcript) is no one's turns: left out, and said to be.
    from docx import Document

    document = Document()
    document.add_paragraph("Interviewer: Can you hear me?")
    document.add_paragraph("KP79: Yes, fine.")
    other = "No" if first == "Yes" else "KP79"
    _word_table(
        document,
        [
            (first, "Thanks for joining. Did you feel supported on the night?"),
            (other, "The unit was full again, and nobody called us back."),
            (first, "And the crisis team, did they come out?"),
        ],
    )
    document.add_paragraph("KP79: Not that night.")
    path = tmp_path / "KP79.docx"
    document.save(path)
    t = parse_transcript(path)
    if first == "Yes":
        assert [s.speaker for s in t.segments] == ["Interviewer", "KP79"]
        assert t.segments[1].text == "Yes, fine.\n\nNot that night."
        assert _kinds(t) == ["left_out"] and t.warnings[0].message.startswith(
            "KP79: table 1 left out: no header"
        )
    else:
        assert [s.speaker for s in t.segments] == ["Interviewer", "KP79"] * 2 + ["Interviewer", "KP79"]
        assert t.segments[4].text == "And the crisis team, did they come out?"
        assert t.segments[5].text == "Not that night." and t.warnings == ()


def test_a_speaker_table_split_in_two_is_one_transcript(tmp_path):
    # Word splits a table where a paragraph is inserted: the second half has no header row. It was left
    # out, and the warning called it a cover sheet. It goes on from the first: same columns, same speakers
    # (its first row, with no speaker, goes on with the turn the first half ends with).
    from docx import Document

    document = Document()
    _word_table(
        document,
        [
            ("Speaker", "Text"),
            ("Interviewer", "Thanks for joining. What's your role?"),
            ("KP56", "I'm a clinician at the crisis unit, nine years, mostly nights."),
            ("Interviewer", "How do police drop-offs work?"),
            ("KP56", "The deputy calls ahead, then we do a warm handoff."),
        ],
    )
    document.add_paragraph("")
    _word_table(
        document,
        [
            ("", "Most nights, anyway."),
            ("Interviewer", "What would you change?"),
            ("KP56", "More beds, and a clinician in dispatch."),
        ],
    )
    path = tmp_path / "KP56.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s, r) for s, r, _ in _segments(t)] == [
        ("Interviewer", "interviewer"),
        ("KP56", "participant"),
    ] * 3
    assert t.segments[3].text == "The deputy calls ahead, then we do a warm handoff.\n\nMost nights, anyway."
    assert t.segments[5].text == "More beds, and a clinician in dispatch."
    assert t.warnings == ()


def test_a_cover_table_beside_a_split_speaker_table_is_named_a_cover(tmp_path):
    # Only a table that reads as a cover sheet (Key | value rows) is called one; a table of another shape
    # is left out as no turns, and said to be.
    from docx import Document

    document = Document()
    _word_table(
        document, [("Interview ID", "KP57"), ("Date", "14 March 2024"), ("Interviewer", "D. Whitfield")]
    )
    _word_table(
        document,
        [
            ("Speaker", "Text"),
            ("Interviewer", "How do calls reach you?"),
            ("KP57", "Dispatch, mostly, late at night."),
        ],
    )
    _word_table(document, [("Beds", "Monday"), ("Chairs", "Tuesday")])
    path = tmp_path / "KP57.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "KP57"]
    dry = f'"wei-qual ingest --dry-run {path}"'
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "left_out",
            (
                "KP57: table 1 left out: read as a cover sheet (Key | value rows: a date, an id, names), not turns. "
                "If it holds turns, give it a header row naming its Speaker and Text columns and ingest the file "
                f"again; {dry} shows how it is read."
            ),
        ),
        (
            "left_out",
            (
                "KP57: table 3 left out: no header row names its Speaker and Text columns, and its cells do not "
                "show the transcript's speakers beside their words, so it is not read as turns. If it holds turns, "
                f"give it that header row and ingest the file again; {dry} shows how it is read."
            ),
        ),
    ]


def test_word_table_quirks_merged_cells_a_caption_row_and_a_nested_table(tmp_path):
    # As Word saves them: a caption row merged across both columns (w:gridSpan) over the header; a speaker
    # cell merged down over two rows (w:vMerge), whose text python-docx gives again in the lower row; a
    # table inside a cell, whose text python-docx's cell.text leaves out; a note merged across a row.
    from docx import Document

    document = Document()
    table = _word_table(
        document,
        [
            ("", ""),
            ("Speaker", "Text"),
            ("Interviewer", "Where do people wait?"),
            ("KP58", "At the ER, for hours."),
            ("", "Sometimes all night."),
            ("Interviewer", "What are the options?"),
            ("KP58", "These:"),
            ("", ""),
            ("Interviewer", "Thanks."),
        ],
    )
    caption = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    caption.text = "Interview KP58 – 12 March 2024"
    table.rows[3].cells[0].merge(table.rows[4].cells[0])  # the speaker over two rows
    nested = table.rows[6].cells[1].add_table(rows=2, cols=2)
    for row, cells in zip(nested.rows, [("Crisis unit", "12 beds"), ("ER", "2 rooms")]):
        row.cells[0].text, row.cells[1].text = cells
    note = table.rows[7].cells[0].merge(table.rows[7].cells[1])
    note.text = "[Recording paused]"
    path = tmp_path / "KP58.docx"
    document.save(path)
    t = parse_transcript(path)
    assert _segments(t) == [
        ("Interviewer", "interviewer", "Where do people wait?"),
        ("KP58", "participant", "At the ER, for hours.\n\nSometimes all night."),
        ("Interviewer", "interviewer", "What are the options?"),
        ("KP58", "participant", "These:\n\nCrisis unit | 12 beds\n\nER | 2 rooms"),
        (None, "review", "[Recording paused]"),
        ("Interviewer", "interviewer", "Thanks."),
    ]
    assert t.attributes == {"title": "Interview KP58 – 12 March 2024", "date": "12 March 2024"}
    assert t.text.count("12 beds") == 1


def test_a_soft_hyphen_is_no_text():
    from wei_qual.ingest.word import table_turns

    # Word and LibreOffice store U+00AD where a word may break; the PDF reader already dropped it.
    turns = parse_lines(["Interviewer: The stabi\u00adlization unit?", "", "P1: Full by\u00a0ten."]).turns
    assert [t.text for t in turns] == ["The stabilization unit?", "Full by ten."]
    rows = [["Speaker", "Text"], ["Interviewer", "The stabi\u00adlization unit?"], ["P1", "Full."]]
    assert [t.text for t in table_turns([rows])] == ["The stabilization unit?", "Full."]


def test_a_cover_sheet_over_the_turns_is_no_turns():
    # "Participant ID: KP38" was a participant's coded unit, "Interviewer: Maya Lindqvist" an
    # interviewer's turn, and the title and date one `review` segment.
    t = parse_transcript(DATA / "KP38_cover_sheet.txt")
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("KP38", "participant"),
    ] * 3
    assert t.segments[0].text.startswith("Thank you for joining.")
    assert t.attributes == {"title": "Crisis Response Study - Interview Transcript", "date": "12 March 2024"}
    assert _kinds(t) == ["left_out"]
    assert t.warnings[0].message.startswith(
        "KP38_cover_sheet: lines 2, 3, 4, 5, 6 left out: read as a cover sheet"
    )


def test_a_bold_cover_in_markdown_with_a_redacted_name():
    lines = [
        "# Interview 8",
        "",
        "**Date:** 2024-03-14",
        "**Interviewer:** [NAME]",
        "- **Participant ID:** P08",
        "",
        "**Interviewer:** Thanks for making time. What is your role?",
        "",
        "**P08:** I'm a crisis counselor at the stabilization unit.",
    ]
    parsed = parse_lines(lines, markdown=True)
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "P08"]
    assert parsed.cover == [2, 3, 4]
    assert parsed.metadata == {"title": "Interview 8", "date": "2024-03-14"}


def test_a_word_cover_names_who_interviews_whom(tmp_path):
    # Turns labelled with full names: the cover sheet says which of them is the interviewer, where the
    # questions alone would have made the participant (who asks two) the interviewer.
    from docx import Document

    document = Document()
    for key, value in [
        ("Date", "2 April 2024"),
        ("Interviewer", "Maya Lindqvist"),
        ("Interviewee", "Dan Ruiz"),
        ("Agency", "Harlan County Sheriff's Office"),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{key}:").bold = True
        paragraph.add_run(f" {value}")
    for name, text in [
        ("Maya Lindqvist", "Thanks for meeting with me today."),
        ("Dan Ruiz", "Happy to help out. Where do you want to start?"),
        ("Maya Lindqvist", "Wherever you like."),
        ("Dan Ruiz", "The nearest crisis unit is ninety minutes away, so who covers the county?"),
        ("Maya Lindqvist", "That must be hard."),
    ]:
        document.add_paragraph(f"{name}: {text}")
    path = tmp_path / "KP39.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        ("Maya Lindqvist", "interviewer", "named as interviewer on the cover sheet"),
        ("Dan Ruiz", "participant", "named as participant on the cover sheet"),
    ]
    assert len(t.segments) == 5 and t.roles == "inferred"
    assert "paragraphs 1, 2, 3, 4 left out: read as a cover sheet" in t.warnings[0].message


@pytest.mark.parametrize(
    "lines",
    [
        # Two short turns over the rest: no key names anything but a speaker.
        ["Interviewer: Hi.", "P07: Hello.", "", "Interviewer: So, your role?", "P07: Patrol."],
        # A value that asks something is speech, so one cover line is too few.
        ["Date: 12 March 2024", "Interviewer: What do you do?", "P07: Patrol, nights.", "Interviewer: Okay?"],
        # A single word after a speaker key is no name unless the file uses it as a label.
        ["Interviewer: Okay", "Date: fine", "", "Interviewer: So?", "P07: Yes."],
        # Nothing follows: a list of facts, not a cover over a transcript.
        ["Date: 12 March 2024", "Location: Zoom", "Interviewer: Maya Lindqvist"],
    ],
)
def test_what_is_no_cover_sheet(lines):
    parsed = parse_lines(lines)
    assert parsed.cover == []


_TURNS = (
    "\nInterviewer: Thanks for making time today. Can you tell me about your role?\n\n"
    "P07: I've been a patrol officer for eleven years, three on the co-responder car.\n\n"
    "Interviewer: What does a crisis call look like now?\n\nP07: Mostly welfare checks at night.\n"
)


@pytest.mark.parametrize(
    ("cover", "speakers"),
    [
        # A university template: a note running onto a second line, demographics, consent.
        (
            (
                "Crisis Response Study - Interview Transcript\nProject: Crisis Pathways\nInterview ID: P07\n"
                "Date: 12 March 2024\nInterviewer: Maya Lindqvist\nParticipant pseudonym: Officer Grey\n"
                "Role: Patrol constable\nYears of service: 11\nConsent obtained: Yes (verbal, recorded)\n"
                "Notes: Joined from a patrol car during a meal break. Recording paused\n"
                "once (00:21:10) for a radio call; resumed after two minutes.\n"
            ),
            [("Interviewer", "interviewer"), ("P07", "participant")],
        ),
        # Two title lines and a rule over the keys; numbered interviewers; N/A and empty fields.
        (
            (
                "University of Northfield\nSchool of Social Work\n====================\nInterview #: 7\n"
                "Start: 10:05\nEnd: 10:53\nInterviewer 1: Maya Lindqvist, PhD\nInterviewer 2: N/A\nObserver:\n"
                "Interviewee: P07 – Patrol Officer, 11 yrs\nInterpreter: Ana Costa\n"
            ),
            [("Interviewer", "interviewer"), ("P07", "participant")],
        ),
        # Teams-like head lines (title, date, duration) and a cover with speakers only under them.
        (
            (
                "P07 interview - Crisis Pathways\n12 March 2024, 10:05AM\n48m 12s\n\nInterviewer: Maya Lindqvist\n"
                "Participant: P07\n"
            ),
            [("Interviewer", "interviewer"), ("P07", "participant")],
        ),
    ],
)
def test_cover_sheets_as_templates_write_them(make_transcript, cover, speakers):
    # Each of these left cover lines in the turns: a phantom participant ("Interviewee: P07 – Patrol
    # Officer"), an interpreter's name as a coded unit, a note's second line as a review segment.
    t = parse_transcript(make_transcript(cover + _TURNS, name="P07.txt"))
    assert [(s.label, s.role) for s in t.speakers] == speakers
    assert [s.speaker for s in t.segments] == ["Interviewer", "P07"] * 2
    assert t.roles == "inferred" and _kinds(t) == ["left_out"]


def test_the_speakers_a_cover_names_count_even_when_they_speak_once(make_transcript):
    # "Interviewers: Maya Lindqvist and Sam Ortiz": Sam's one question ended up inside P07's coded unit.
    text = (
        "Interview ID: P07\nDate: 12 March 2024\nInterviewers: Maya Lindqvist and Sam Ortiz (SO)\n"
        "Interviewee: P07\n\nMaya Lindqvist: Can you tell me about your role?\n\nP07: Patrol, eleven years.\n\n"
        "SO: And the crisis team, how often do they come out?\n\nP07: Maybe half the time.\n"
    )
    t = parse_transcript(make_transcript(text, name="P07.txt"))
    assert [(s.label, s.role) for s in t.speakers] == [
        ("Maya Lindqvist", "interviewer"),
        ("P07", "participant"),
        ("SO", "interviewer"),
    ]
    assert [s.speaker for s in t.segments] == ["Maya Lindqvist", "P07", "SO", "P07"]


@pytest.mark.parametrize(
    "lines",
    [
        # Speakers named like cover keys: "Site Lead", "Site A", "Project Lead".
        [
            "Site Lead: Morning, everyone.",
            "County Deputy: Morning.",
            "Interviewer: Your roles?",
            "Site Lead: Intake.",
        ],
        ["Site A: Can you hear us?", "Site B: Yes.", "", "Facilitator: Welcome.", "Site A: Thanks."],
        ["Project Lead: Hi.", "Date: fine", "", "Interviewer: So?", "Project Lead: Yes."],
        # A greeting is no name: "Morning Sarah.", "Good Morning Officer Reyes".
        [
            "Date: 3 May 2024",
            "Interviewer: Good Morning Officer Reyes",
            "Participant: Morning Ma'am",
            "",
            "x: y",
        ],
        [
            "Date: 12 March 2024",
            "Interviewer: Morning Sarah.",
            "Participant: Hi Maya.",
            "",
            "Interviewer: Role?",
        ],
    ],
)
def test_turns_that_look_like_cover_lines_stay_turns(lines):
    assert parse_lines(lines).cover == []


def _word_cover(path, *, as_table: bool, turns_table: bool = False):
    from docx import Document

    document = Document()
    cover = [("Date", "12 March 2024"), ("Interviewer", "Maya Lindqvist"), ("Transcriber", "Jordan Okafor")]
    if as_table:
        _word_table(document, cover)
    else:
        for key, value in cover:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{key}:").bold = True
            paragraph.add_run(f" {value}")
    turns = [
        ("Interviewer", "How do crisis calls reach you?"),
        ("KP41", "Dispatch, mostly."),
        ("Interviewer", "And at night?"),
        ("KP41", "The ER."),
    ]
    if turns_table:
        _word_table(document, [("Speaker", "Text"), *turns])
    else:
        for name, text in turns:
            document.add_paragraph(f"{name}: {text}")
    document.save(path)
    return path


@pytest.mark.parametrize(
    "as_table, turns_table, left_out",
    [
        (False, False, "paragraphs 1, 2, 3 left out: read as a cover sheet"),
        (True, False, "table 1 left out: read as a cover sheet"),
        (False, True, "paragraphs 1, 2, 3 left out: read as a cover sheet"),
    ],
)
def test_a_word_cover_is_scanned_for_identifiers_though_no_turn_holds_it(
    tmp_path, as_table, turns_table, left_out
):
    # The gate scans the text of the turns; the cover's lines (and a cover table beside labelled
    # paragraphs, dropped without a word) were in no turn, so the names on them were never reported. A
    # cover in paragraphs over a speaker table was neither turns nor scanned nor said.
    from wei_qual.ingest.word import read_docx

    path = _word_cover(tmp_path / "KP41.docx", as_table=as_table, turns_table=turns_table)
    source = read_docx(path, path.read_bytes())
    assert "Maya Lindqvist" in source.scan_text and "Jordan Okafor" in source.scan_text
    assert source.scan_text.count("12 March 2024") == 1  # the kept date is scanned once, where it is
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "KP41"] * 2
    assert _kinds(t) == ["left_out"]
    assert left_out in t.warnings[0].message


@pytest.mark.parametrize(
    "text",
    [
        # Zoom's saved chat, as a text-based interview leaves it: the message on the next, tab-indented line.
        (
            "14:02:11 From Maria Lopez to Everyone:\n\tCan you tell me about your role?\n"
            "14:02:19 From Dan Kowalski to Everyone:\n\tPatrol, eleven years.\n"
            "14:02:33 From Maria Lopez to Dan Kowalski(Direct Message):\n\tHow often does routing work?\n"
            "14:02:38 From Dan Kowalski to Everyone:\n\tMaybe half the time.\n"
        ),
        # The older chat file: the message on the same line.
        (
            "14:02:11\t From  Maria Lopez : Can you tell me about your role?\n"
            "14:02:19\t From  Dan Kowalski : Patrol, eleven years.\n"
            "14:02:33\t From  Maria Lopez : How often does routing work?\n"
            "14:02:38\t From  Dan Kowalski : Maybe half the time.\n"
        ),
    ],
)
def test_a_zoom_chat_is_read_as_turns(make_transcript, text):
    # It was one segment of "participant" speech, the interviewer's questions in it.
    t = parse_transcript(make_transcript(text, name="chat.txt"))
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Maria Lopez", "interviewer", None),
        ("Dan Kowalski", "participant", None),
    ] * 2
    assert t.segments[1].text == "Patrol, eleven years."


def test_a_rota_read_out_in_a_turn_is_no_zoom_chat(make_transcript):
    # "7:00 From Dispatch to Patrol: ..." in a participant's turn made speakers "Dispatch" and "Patrol",
    # and the times went from the text.
    text = (
        "Interviewer: What did a shift look like?\n\nP11: Long. The rota on the board went:\n"
        "7:00 From Dispatch to Patrol: the handoff.\n09:30:00 From Patrol to County General: the drive.\n\n"
        "Interviewer: And then?\n\nP11: On our own.\n"
    )
    t = parse_transcript(make_transcript(text, name="P11.txt"))
    assert [s.speaker for s in t.segments] == ["Interviewer", "P11", "Interviewer", "P11"]
    assert "7:00 From Dispatch to Patrol: the handoff." in t.segments[1].text


def test_a_labelled_turn_right_after_a_note_is_no_part_of_it(make_transcript):
    # "P21: I have been an officer..." straight after "Notes: recorded on Zoom" was read as the note
    # running on, and the participant's first turn was left out.
    text = (
        "Date of interview: 12 March 2024\nNotes: recorded on Zoom\nP21: I have been an officer for eleven years.\n\n"
        "Interviewer: What changed after that?\n\nP21: Everything changed.\n"
    )
    t = parse_transcript(make_transcript(text, name="P21.txt"))
    assert [s.speaker for s in t.segments] == ["P21", "Interviewer", "P21"]
    assert t.warnings[0].message.startswith("P21: lines 1, 2 left out: read as a cover sheet")


# Two sessions in one file, as teams append a follow-up interview to the first: a rule and a title,
# then the second session's own cover, then its turns. Written with Windows line ends, as Word saves text.
_TWO_SESSIONS = (
    "Crisis Pathways Study – Interview Transcript\n"
    "Date: 12 March 2024\n"
    "Interview ID: P07\n"
    "Interviewer: Maya Lindqvist (ML)\n"
    "Interviewee: P07 – Patrol Officer\n"
    "\n"
    "ML: Thanks for making time today. Can you tell me about your role?\n"
    "\n"
    "P07: I've been a patrol officer for eleven years, three on the co-responder car.\n"
    "\n"
    "ML: What does a crisis call look like now?\n"
    "\n"
    "P07: Mostly welfare checks at night.\n"
    "\n"
    "--------------------------------------------------\n"
    "\n"
    "Follow-up interview\n"
    "Date: 14 March 2024\n"
    "Session: 2\n"
    "Interviewer: Sam Ortiz (SO)\n"
    "Interviewee: P07\n"
    "\n"
    "SO: Last time you mentioned the co-responder car. How often is it out?\n"
    "\n"
    "P07: Three nights a week, when the clinician is on.\n"
    "\n"
    "SO: And the other nights?\n"
    "\n"
    "P07: We wait at the ER.\n"
)


def test_a_second_session_s_cover_is_no_turns(tmp_path):
    # The second cover was read as turns: "Interviewer: Sam Ortiz (SO)" an interviewer's coded unit,
    # "Interviewee: P07" a participant's, the rule, title and date the first session's last answer, and
    # SO, who asks the questions of the second session, a participant.
    path = tmp_path / "P07.txt"
    path.write_bytes(_TWO_SESSIONS.replace("\n", "\r\n").encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("ML", "interviewer", "Thanks for making time today. Can you tell me about your role?"),
        ("P07", "participant", "I've been a patrol officer for eleven years, three on the co-responder car."),
        ("ML", "interviewer", "What does a crisis call look like now?"),
        ("P07", "participant", "Mostly welfare checks at night."),
        ("SO", "interviewer", "Last time you mentioned the co-responder car. How often is it out?"),
        ("P07", "participant", "Three nights a week, when the clinician is on."),
        ("SO", "interviewer", "And the other nights?"),
        ("P07", "participant", "We wait at the ER."),
    ]
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        ("ML", "interviewer", "named as interviewer on the cover sheet"),
        ("P07", "participant", "label is the transcript id"),
        ("SO", "interviewer", "named as interviewer on the cover sheet"),
    ]
    assert t.roles == "inferred"
    # The first session's title and date are the transcript's.
    assert t.attributes == {"title": "Crisis Pathways Study – Interview Transcript", "date": "12 March 2024"}
    dry = f'"wei-qual ingest --dry-run {path}"'
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "left_out",
            (
                "P07: lines 2, 3, 4, 5 left out: read as a cover sheet over the transcript (Key: value lines: a "
                "date, an id, names), not turns. If one of them is a turn, delete the cover from the file and "
                f"ingest it again; {dry} shows how it is read."
            ),
        ),
        (
            "left_out",
            (
                "P07: lines 15 to 21 left out: read as the cover sheet of a later session in the same file (a rule "
                "or title, then Key: value lines: a date, a session, names), not turns. If one of them is a turn, "
                f"delete that cover from the file and ingest it again; {dry} shows how it is read."
            ),
        ),
    ]


def test_a_second_session_s_cover_in_word_paragraphs_is_no_turns(tmp_path):
    # The follow-up appended to the first interview in Word, its cover as bold-keyed paragraphs after a
    # page break: "Interviewer: Sam Ortiz (SO)" and "Interviewee: P07" were turns, SO a participant.
    from docx import Document
    from docx.enum.text import WD_BREAK

    from wei_qual.ingest.word import read_docx

    document = Document()

    def cover(title, fields):
        document.add_paragraph(title)
        for key, value in fields:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{key}:").bold = True
            paragraph.add_run(f" {value}")

    cover(
        "Crisis Pathways Study – Interview Transcript",
        [("Date", "12 March 2024"), ("Interviewer", "Maya Lindqvist (ML)"), ("Interviewee", "P07")],
    )
    for name, text in [
        ("ML", "Thanks for making time today. Can you tell me about your role?"),
        ("P07", "Patrol, eleven years."),
        ("ML", "What does a crisis call look like?"),
        ("P07", "Welfare checks at night."),
    ]:
        document.add_paragraph(f"{name}: {text}")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    cover(
        "Follow-up interview – P07",
        [
            ("Date", "14 March 2024"),
            ("Session", "2"),
            ("Interviewer", "Sam Ortiz (SO)"),
            ("Interviewee", "P07"),
        ],
    )
    for name, text in [
        ("SO", "Last time you mentioned the car. How often is it out?"),
        ("P07", "Three nights a week."),
        ("SO", "And the other nights?"),
        ("P07", "We wait at the ER."),
    ]:
        document.add_paragraph(f"{name}: {text}")
    path = tmp_path / "P07.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("ML", "interviewer"),
        ("P07", "participant"),
    ] * 2 + [
        ("SO", "interviewer"),
        ("P07", "participant"),
    ] * 2
    assert t.segments[3].text == "Welfare checks at night."
    assert [(s.label, s.reason) for s in t.speakers if s.label == "SO"] == [
        ("SO", "named as interviewer on the cover sheet")
    ]
    assert [w.kind for w in t.warnings] == ["left_out", "left_out"]
    assert t.warnings[0].message.startswith("P07: paragraphs 2, 3, 4 left out: read as a cover sheet over")
    assert t.warnings[1].message.startswith(
        "P07: paragraphs 9 to 13 left out: read as the cover sheet of a later session in the same file"
    )
    # The gate still scans the second cover: a name on it is found like any other.
    assert "Sam Ortiz" in read_docx(path, path.read_bytes()).scan_text


def test_covers_that_name_one_label_in_both_roles_decide_no_role(make_transcript):
    # "ML" is the first session's interviewer and, by the second cover, its participant: one label for
    # two people. Either cover's role would be wrong for the other session's turns, so neither decides
    # it, and the roles are left for a person to check.
    text = (
        "Date: 12 March 2024\nInterviewer: Maya Lindqvist (ML)\nInterviewee: P07\n\n"
        "ML: Can you tell me about your role?\n\nP07: Patrol, eleven years.\n\n"
        "ML: And the crisis team?\n\nP07: Half the time.\n\n"
        "-----\nSession 2\nDate: 14 March 2024\nInterviewer: Sam Ortiz (SO)\nInterviewee: Mark Lewis (ML)\n\n"
        "SO: How long have you been a nurse?\n\nML: Nine years, mostly nights.\n\n"
        "SO: And the unit's beds?\n\nML: Never enough.\n"
    )
    t = parse_transcript(make_transcript(text, name="P07.txt"))
    reasons = {s.label: (s.role, s.reason) for s in t.speakers}
    assert reasons["SO"] == ("interviewer", "named as interviewer on the cover sheet")
    assert "cover sheet" not in reasons["ML"][1]
    assert t.roles == "review"
    assert t.roles_reason.startswith(
        'the cover sheets name "ML" interviewer in one session and participant in another, so the role is '
        "wrong for one session's turns: give each person a label of their own"
    )
    assert [w.kind for w in t.warnings] == ["left_out", "left_out", "roles_review"]


@pytest.mark.parametrize(
    "lines",
    [
        # A form read out in a turn: the line before introduces it.
        [
            "Interviewer: What did the form say?",
            "",
            "P07: It said:",
            "",
            "Date: 14 March 2024",
            "Location: County jail",
            "",
            "Interviewer: And then?",
            "",
            "P07: Nothing.",
        ],
        # A greeting is no name, so one cover line is too few.
        [
            "Interviewer: Hi.",
            "",
            "P07: Hello.",
            "",
            "Date: 14 March 2024",
            "Interviewer: Good Morning Officer Reyes",
            "Participant: Morning Ma'am",
            "",
            "Interviewer: Role?",
            "",
            "P07: Patrol.",
        ],
        # "Group" labels the group's turns elsewhere: "Group: B" is the group answering.
        [
            "Facilitator: Welcome back.",
            "",
            "Group: [laughter]",
            "",
            "Facilitator: So, the second round.",
            "",
            "Session: 2",
            "Group: B",
            "",
            "Facilitator: Who starts?",
            "",
            "Group: [laughter]",
        ],
    ],
)
def test_turns_that_look_like_a_later_cover_stay_turns(lines):
    parsed = parse_lines(lines)
    assert parsed.later_covers == []
    said = "\n".join(t.text for t in parsed.turns)
    assert all(line.split(": ", 1)[1] in said for line in lines if line)  # every line is in a turn


def test_a_short_line_over_a_later_cover_stays_in_the_turn_before():
    # Only a rule, a date or a title naming the session sits over a later cover: "And that was it" is
    # the participant's.
    lines = [
        "Interviewer: Anything else?",
        "",
        "P07: No. Nights are long.",
        "",
        "And that was it",
        "",
        "Date: 14 March 2024",
        "Session: 2",
        "Interviewer: Sam Ortiz (SO)",
        "",
        "SO: Welcome back. How was the week?",
        "",
        "P07: Quiet.",
    ]
    parsed = parse_lines(lines)
    assert parsed.later_covers == [[6, 7, 8]]
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "Anything else?"),
        ("P07", "No. Nights are long.\n\nAnd that was it"),
        ("SO", "Welcome back. How was the week?"),
        ("P07", "Quiet."),
    ]
    assert parsed.cover_roles == {"SO": "interviewer"}


def test_a_cover_table_saved_as_text_is_no_turns(tmp_path):
    # Word's "Save as Plain Text" writes a cover table's cells apart by a tab, a row a line, an empty
    # cell as nothing: "Interviewer<tab>Maya Lindqvist (ML)" was a turn, the rest one review segment,
    # and ML a participant.
    text = (
        "Crisis Pathways Study – Interview Transcript\r\n\r\n"
        "Interview ID\tP07\r\nDate\t12 March 2024\r\nInterviewer\tMaya Lindqvist (ML)\r\nCo-interviewer\t\r\n"
        "Interviewee\tP07 – Patrol Officer\r\nLocation\tZoom (video)\r\n\r\n"
        "ML: Thanks for making time today. Can you tell me about your role?\r\n\r\n"
        "P07: Patrol, eleven years.\r\n\r\nML: What does a crisis call look like?\r\n\r\n"
        "P07: Welfare checks at night.\r\n"
    )
    path = tmp_path / "P07.txt"
    path.write_bytes(text.encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [("ML", "interviewer"), ("P07", "participant")] * 2
    assert t.speakers[0].reason == "named as interviewer on the cover sheet"
    assert t.attributes == {"title": "Crisis Pathways Study – Interview Transcript", "date": "12 March 2024"}
    assert [w.kind for w in t.warnings] == ["left_out"]
    assert t.warnings[0].message.startswith(
        "P07: lines 3, 4, 5, 6, 7 and 1 more left out: read as a cover sheet"
    )


@pytest.mark.parametrize(
    "lines",
    [
        # A transcript with a tab after each name (Word's hanging indent).
        [
            "Interviewer\tHow do crisis calls reach you?",
            "P07\tDispatch, mostly.",
            "Interviewer\tAnd at night?",
            "P07\tThe ER.",
        ],
        # Otter's label lines with the speakers renamed, under its title and date.
        [
            "P07 interview",
            "Tue, 1/24 10:03AM • 45:12",
            "",
            "Interviewer  0:04",
            "How do crisis calls reach you?",
            "",
            "Participant 1  0:09",
            "Dispatch, mostly.",
        ],
        # A transcript table saved as text.
        ["Time\tSpeaker\tText", "00:00:04\tInterviewer\tHow do calls reach you?", "00:00:09\tP07\tDispatch."],
        # Two spaces after each name.
        [
            "Interviewer  How do calls reach you at night?",
            "P07  Dispatch, mostly.",
            "Interviewer  And then?",
            "P07  The ER.",
        ],
        # Names alone are no cover: nothing keys a date, a place or an id.
        [
            "Interviewer\tMaya Lindqvist",
            "Participant\tDan Ruiz",
            "",
            "Interviewer\tHow do calls reach you?",
            "Participant\tDispatch.",
        ],
    ],
)
def test_first_lines_in_a_table_s_shape_that_are_no_cover(lines):
    assert parse_lines(lines).cover == []


@pytest.mark.parametrize(("first", "second"), [("0:04", "0:09"), ("[00:00:04]", "[00:00:09]")])
def test_a_name_and_a_time_under_a_cover_is_a_turn_s_label(first, second):
    # Otter's label lines under a cover sheet: "Interviewer  0:04" was read as a cover line (a numbered
    # interviewer, "Interviewer  0", described as "04"), and the question under it lost its speaker.
    lines = [
        "Date: 12 March 2024",
        "Location: Zoom",
        "",
        f"Interviewer  {first}",
        "How do crisis calls reach you?",
        "",
        f"P07  {second}",
        "Dispatch, mostly.",
    ]
    parsed = parse_lines(lines)
    assert parsed.cover == [0, 1]
    assert [(t.speaker, t.start_time, t.text) for t in parsed.turns] == [
        ("Interviewer", 4.0, "How do crisis calls reach you?"),
        ("P07", 9.0, "Dispatch, mostly."),
    ]


def test_times_on_a_cover_table_saved_as_text_are_cover_lines():
    lines = ["Interview ID\tP07", "Start\t10:05", "Duration\t00:48:12", "", "Interviewer: Hello?", "P07: Hi."]
    assert parse_lines(lines).cover == [0, 1, 2]


def _write(tmp_path, name, paragraphs):
    """The paragraphs as a .txt (a blank line between paragraphs, a paragraph's lines kept together, as
    people type them) or as a Word file, a paragraph each line (as Word users type them)."""
    path = tmp_path / name
    if path.suffix == ".docx":
        from docx import Document

        document = Document()
        for paragraph in paragraphs:
            for line in paragraph.split("\n"):
                document.add_paragraph(line)
        document.save(path)
    else:
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


_FORM_READ_ALOUD = [
    "Interviewer: Can you walk me through the paperwork on a hold?",
    (
        "P14: Sure. I actually brought a blank copy of the emergency hold form, the one we fill out on scene. "
        "The top section is just the basics."
    ),
    (
        "Name: that's the person on the hold, first and last.\nDate: the date you initiate it.\n"
        "Time: has to be the exact time, to the minute.\nLocation: where you took custody.\n"
        "Agency: ours, the sheriff's office."
    ),
    (
        "And then the back page is the narrative, which is where it gets hard, because you have to write what "
        "made you believe they were a danger."
    ),
    "Interviewer: How long does that take you?",
    "P14: Twenty minutes if nothing goes wrong.",
]
_CAD_READ_ALOUD = [
    "Interviewer: Can you walk me through what the CAD record showed for that call?",
    "P19: Yeah, I pulled it up before we met. Here is what dispatch had.",
    "Date: March 3rd",
    "Time: 02:14 in the morning",
    "Location: the Shell station on Route 9",
    "Unit: 12, me and my partner",
    "Notes: caller states brother talking about hurting himself, no weapon seen",
    "So that's all we knew going in. No mention of the knife.",
    "Interviewer: And what did you find when you got there?",
    "P19: He had the knife in his waistband. We backed off and called the mobile team.",
]


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
@pytest.mark.parametrize(("name", "paragraphs"), [("P14", _FORM_READ_ALOUD), ("P19", _CAD_READ_ALOUD)])
def test_a_form_read_out_in_a_turn_is_speech(tmp_path, suffix, name, paragraphs):
    # A participant reads out a form's or a record's fields (`Name:`, `Date:`, `Location:`, `Agency:`)
    # after a sentence, then goes on: the block was left out as "the cover sheet of a later session", and
    # about 40 of their words with it. Nothing on it marks a session (no rule or session title, no
    # interviewer, session or interview key), and the same speaker goes on right after it.
    t = parse_transcript(_write(tmp_path, name + suffix, paragraphs))
    said = [p.split(": ", 1)[1] if p.startswith(("Interviewer: ", name + ": ")) else p for p in paragraphs]
    answer = said[1:-2]  # the participant's first answer, the form and what they say after it
    if suffix == ".docx":  # each of the form's lines is a paragraph of its own
        answer = [line for p in answer for line in p.split("\n")]
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", said[0]),
        (name, "participant", "\n\n".join(answer)),
        ("Interviewer", "interviewer", said[-2]),
        (name, "participant", said[-1]),
    ]
    assert [(s.label, s.role) for s in t.speakers] == [("Interviewer", "interviewer"), (name, "participant")]
    assert t.warnings == ()


_TITLE_WITH_DATE = [
    "Interview ID: P07\nDate: 12 March 2024\nInterviewer: Sam Ortiz (SO)\nInterviewee: P07",
    "SO: Thanks for joining. What kind of calls do you get?",
    "P07: Mostly welfare checks at night, and a few calls from the schools.",
    # An empty line (an empty paragraph in Word) over the title.
    "\nFollow-up interview – 14 March 2024\nInterviewer: Sam Ortiz (SO)\nInterviewee: P07",
    "SO: Last time you mentioned the co-responder car. Has anything changed?",
    "P07: They added a second car on weekends, which helps a lot with the waits.",
]


@pytest.mark.parametrize(
    ("suffix", "first", "later"),
    [
        (".txt", "lines 1, 2, 3, 4", "lines 11 to 13"),
        (".docx", "paragraphs 1, 2, 3, 4", "paragraphs 8 to 10"),
    ],
)
def test_a_later_cover_dated_in_its_title_is_no_turns(tmp_path, suffix, first, later):
    # The follow-up's date is only in its title, over its Interviewer and Interviewee lines: the cover
    # was not found, so "Interviewer" and "Interviewee" were speakers ("Sam Ortiz (SO)" and "P07" their
    # words), and the title was in P07's answer, without a word. A date over a cover is cover evidence, in
    # a title too, at the top and later alike.
    t = parse_transcript(_write(tmp_path, "P07" + suffix, _TITLE_WITH_DATE))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("SO", "interviewer", "Thanks for joining. What kind of calls do you get?"),
        ("P07", "participant", "Mostly welfare checks at night, and a few calls from the schools."),
        ("SO", "interviewer", "Last time you mentioned the co-responder car. Has anything changed?"),
        ("P07", "participant", "They added a second car on weekends, which helps a lot with the waits."),
    ]
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        ("SO", "interviewer", "named as interviewer on the cover sheet"),
        ("P07", "participant", "label is the transcript id"),
    ]
    assert t.attributes == {"date": "12 March 2024"}
    assert [w.kind for w in t.warnings] == ["left_out", "left_out"]
    assert t.warnings[0].message.startswith(
        f"P07: {first} left out: read as a cover sheet over the transcript"
    )
    assert t.warnings[1].message.startswith(
        f"P07: {later} left out: read as the cover sheet of a later session in the same file"
    )


@pytest.mark.parametrize(
    ("cover", "turns"),
    [
        # A rule over it marks the session.
        (["-----", "Date: 14 March 2024", "Location: Zoom"], ["Interviewer: Welcome back.", "P07: Thanks."]),
        # Its interviewer speaks once in the file, by the label the cover names.
        (
            ["Date: 14 March 2024", "Interviewer: Sam Ortiz", "Interviewee: P07"],
            ["Sam Ortiz: Welcome back, how are things?", "P07: Fine."],
        ),
        # Time marks start the turns below it.
        (
            ["Session 2", "Date: 14 March 2024", "Location: Zoom"],
            ["[00:00:04] Interviewer: Welcome back.", "[00:00:09] P07: Thanks."],
        ),
    ],
)
def test_a_later_cover_that_marks_its_session_is_no_turns(cover, turns):
    lines = ["Interviewer: How do calls reach you?", "", "P07: Dispatch, mostly.", "", *cover]
    for turn in turns:
        lines += ["", turn]
    parsed = parse_lines(lines)
    assert parsed.later_covers == [list(range(4, 4 + len(cover)))]
    assert [t.text for t in parsed.turns] == [
        "How do calls reach you?",
        "Dispatch, mostly.",
        *(t.split(": ", 1)[1] for t in turns),
    ]


def test_a_title_with_a_date_over_the_first_cover_is_its_evidence():
    lines = [
        "Interview with P07 – 12 March 2024",
        "Interviewer: Maya Lindqvist (ML)",
        "Interviewee: P07",
        "",
        "ML: How do crisis calls reach you?",
        "",
        "P07: Dispatch, mostly.",
    ]
    parsed = parse_lines(lines)
    assert parsed.cover == [1, 2]
    assert parsed.metadata == {"title": "Interview with P07 – 12 March 2024", "date": "12 March 2024"}
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("ML", "How do crisis calls reach you?"),
        ("P07", "Dispatch, mostly."),
    ]
    assert parsed.cover_roles == {"ML": "interviewer", "P07": "participant"}


@pytest.mark.parametrize(
    "block",
    [
        # Nothing marks a session: a date and a place read out at the end of an answer.
        ["Date: 14 March 2024", "Location: County jail"],
        # An interview key on it (a consent form), but the speaker goes on right after it with no label.
        ["Date: 14 March 2024", "Interview ID: P07", "", "That's the sheet I signed, anyway."],
    ],
)
def test_a_block_that_marks_no_session_stays_in_the_turn(block):
    lines = [
        "Interviewer: What did you sign?",
        "",
        "P07: The release. It had the usual.",
        "",
        *block,
        "",
        "Interviewer: And then?",
        "",
        "P07: Nothing.",
    ]
    parsed = parse_lines(lines)
    assert parsed.later_covers == []
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "P07", "Interviewer", "P07"]
    assert parsed.turns[1].text == "\n\n".join(
        ["The release. It had the usual.", "\n".join(block[:2]), *block[3:]]
    )
    # Kept, and said when a turn follows it, since a cover with nothing marking its session looks so.
    assert parsed.unmarked_covers == ([[4, 5]] if len(block) == 2 else [])


@pytest.mark.parametrize(("suffix", "where"), [(".txt", "lines 5 to 6"), (".docx", "paragraphs 3 to 4")])
def test_a_cover_that_marks_no_session_is_kept_and_said(tmp_path, suffix, where):
    # A second session appended with its date and place only: read as the answer's last lines (it could
    # be a record read out), with a warning saying where and how to mark it.
    paragraphs = [
        "Interviewer: How do crisis calls reach you on nights?",
        "P07: Mostly through dispatch. Sometimes the family calls the unit directly.",
        "Date: 14 March 2024\nLocation: Station 3, interview room",
        "Interviewer: Welcome back. Where do you take people?",
        "P07: The stabilization unit if they have a bed.",
    ]
    t = parse_transcript(_write(tmp_path, "P07" + suffix, paragraphs))
    assert [s.speaker for s in t.segments] == ["Interviewer", "P07", "Interviewer", "P07"]
    assert t.segments[1].text.endswith("Location: Station 3, interview room")
    assert [(w.kind, w.message.split(" look like")[0]) for w in t.warnings] == [
        ("missed_labels", f"P07: {where}")
    ]
    assert "put a rule (-----) or a title naming the session (Session 2) over them" in t.warnings[0].message


# NVivo Transcription's text export (and others) write a span alone over each turn, the label or the name
# alone below it: the span went into the turn above as coded text, and its times were lost.
NVIVO_SPANS = (
    "0:00:00.0 - 0:00:05.9\nSpeaker 1\nThanks for joining. What's your role?\n\n"
    "0:00:06.0 - 0:00:11.5\nSpeaker 2\nI'm a deputy, eleven years.\n\n"
    "0:00:12.0 - 0:00:14.9\nSpeaker 1\nHow do crisis calls come in?\n\n"
    "0:00:15.0 - 0:00:21.1\nSpeaker 2\nDispatch, and then we call the mobile team.\n"
)
SPANS_OVER_LABELS = (
    "00:00:00 - 00:00:05\nInterviewer: Thanks for joining. What is your role?\n\n"
    "00:00:06 - 00:00:11\nP78: I am a deputy, eleven years.\n\n"
    "00:00:12 - 00:00:14\nInterviewer: How do crisis calls come in?\n\n"
    "00:00:15 - 00:00:21\nP78: Dispatch, and then we call the mobile team.\n"
)


@pytest.mark.parametrize(
    "text, rows",
    [
        (
            NVIVO_SPANS,
            [
                ("Speaker 1", 0.0, 5.9, "Thanks for joining. What's your role?"),
                ("Speaker 2", 6.0, 11.5, "I'm a deputy, eleven years."),
                ("Speaker 1", 12.0, 14.9, "How do crisis calls come in?"),
                ("Speaker 2", 15.0, 21.1, "Dispatch, and then we call the mobile team."),
            ],
        ),
        (
            SPANS_OVER_LABELS,
            [
                ("Interviewer", 0.0, 5.0, "Thanks for joining. What is your role?"),
                ("P78", 6.0, 11.0, "I am a deputy, eleven years."),
                ("Interviewer", 12.0, 14.0, "How do crisis calls come in?"),
                ("P78", 15.0, 21.0, "Dispatch, and then we call the mobile team."),
            ],
        ),
    ],
)
def test_a_span_alone_over_each_turn_times_it(make_transcript, text, rows):
    t = parse_transcript(make_transcript(text, name="P78.txt"))
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == rows
    assert t.attributes == {} and t.warnings == ()  # the first span is no title either


@pytest.mark.parametrize(
    "lines, turns",
    [
        # a span inside a paragraph is said
        (
            ["Interviewer: When?", "", "P1: The shifts were", "10:30 - 11:00", "and then off."],
            [("Interviewer", None, "When?"), ("P1", None, "The shifts were\n10:30 - 11:00\nand then off.")],
        ),
        # one span starting a paragraph, or a span ending before it starts, is said too
        (
            ["Interviewer: When?", "", "P1: Nights.", "", "22:00 - 23:00", "was the worst hour."],
            [("Interviewer", None, "When?"), ("P1", None, "Nights.\n\n22:00 - 23:00\nwas the worst hour.")],
        ),
        (
            [
                "Interviewer: When?",
                "",
                "P1: Nights.",
                "",
                "23:00 - 07:00",
                "",
                "23:00 - 07:00",
                "",
                "always.",
            ],
            [
                ("Interviewer", None, "When?"),
                ("P1", None, "Nights.\n\n23:00 - 07:00\n\n23:00 - 07:00\n\nalways."),
            ],
        ),
        # spans ending answers, a label below each, that go back in time: no recording's times
        (
            [
                *["Interviewer: The late car?", "", "P1: It ran", "", "15:00 - 23:00", ""],
                *["Interviewer: And the day car?", "", "P1: It ran", "", "07:00 - 15:00", ""],
                "Interviewer: Thanks.",
            ],
            [
                ("Interviewer", None, "The late car?"),
                ("P1", None, "It ran\n\n15:00 - 23:00"),
                ("Interviewer", None, "And the day car?"),
                ("P1", None, "It ran\n\n07:00 - 15:00"),
                ("Interviewer", None, "Thanks."),
            ],
        ),
    ],
)
def test_a_span_in_speech_stays_speech(lines, turns):
    assert [(t.speaker, t.start_time, t.text) for t in parse_lines(lines).turns] == turns


def test_a_schedule_read_out_in_an_answer_stays_the_answer(make_transcript):
    # Two spans start paragraphs of P31's answer: they timed the paragraphs below as turns of no one, and
    # half the answer went to review, out of the participant's words.
    text = (
        "Interviewer: What hours does the co-responder unit cover?\n\n"
        "P31: It changed last year. Now it's three blocks.\n\n"
        "07:00 - 15:00\n\nThat's the day car, one deputy and one clinician.\n\n"
        "15:00 - 23:00\n\nThat's the busiest block, two cars.\n\n"
        "Interviewer: And before the change?\n\nP31: One car, noon to eight.\n"
    )
    t = parse_transcript(make_transcript(text, name="P31.txt"))
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", None, None, "What hours does the co-responder unit cover?"),
        (
            "P31",
            "participant",
            None,
            None,
            (
                "It changed last year. Now it's three blocks.\n\n07:00 - 15:00\n\nThat's the day car, one "
                "deputy and one clinician.\n\n15:00 - 23:00\n\nThat's the busiest block, two cars."
            ),
        ),
        ("Interviewer", "interviewer", None, None, "And before the change?"),
        ("P31", "participant", None, None, "One car, noon to eight."),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())


# pdftotext's output of a transcript with a running header and footer: a form feed starts each page, and
# the header falls in the middle of a turn.
PDFTOTEXT = (
    "Crisis Response Study - CONFIDENTIAL\nTranscript P70\n\n"
    "Interviewer: Thanks for joining. What's your role?\n\n"
    "P70: I'm a deputy, eleven years on patrol. Most of the calls I get now are welfare checks\n"
    "and the policy is that we wait for the clinician if there is no weapon involved.\n\n"
    "Interviewer: How do crisis calls come in?\n\n"
    "P70: Dispatch mostly. Sometimes a family member flags us down on the street and we\n\n"
    "Crisis Response Study - CONFIDENTIAL                                        Page 1 of 2\n"
    "\fCrisis Response Study - CONFIDENTIAL\nTranscript P70\n\n"
    "just take it from there. We call the mobile team and we wait.\n\n"
    "Interviewer: How long?\n\n"
    "P70: An hour, sometimes more.\n\n"
    "Crisis Response Study - CONFIDENTIAL                                        Page 2 of 2\n"
)


@pytest.mark.parametrize("feeds", [True, False])  # pdftotext -nopgbrk writes no form feeds
def test_running_page_heads_in_text_made_from_a_pdf_are_left_out(make_transcript, feeds):
    path = make_transcript(PDFTOTEXT if feeds else PDFTOTEXT.replace("\f", ""), name="P70.txt")
    t = parse_transcript(path)
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "Thanks for joining. What's your role?"),
        (
            "P70",
            (
                "I'm a deputy, eleven years on patrol. Most of the calls I get now are welfare checks\n"
                "and the policy is that we wait for the clinician if there is no weapon involved."
            ),
        ),
        ("Interviewer", "How do crisis calls come in?"),
        (  # the page break cut a sentence: it reads on
            "P70",
            (
                "Dispatch mostly. Sometimes a family member flags us down on the street and we\n"
                "just take it from there. We call the mobile team and we wait."
            ),
        ),
        ("Interviewer", "How long?"),
        ("P70", "An hour, sometimes more."),
    ]
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "left_out",
            (
                "P70: lines 1, 2, 13, 14, 15 and 1 more left out: read as page headers or footers (a line repeated "
                "at the top or bottom of the pages, or with a page number), not turns. If one of them is speech, "
                "delete the page headers from the file and ingest it again; "
                f'"wei-qual ingest --dry-run {path}" shows how it is read.'
            ),
        )
    ]


def test_page_breaks_in_text_keep_what_is_said(make_transcript):
    # Two pages, each opening with the same short turn, a paragraph ending at the break, and a mention of a
    # page: all speech. Only the bare page numbers are left out.
    text = (
        "Interviewer: Okay.\n\nP71: We read page 3 of the policy.\n\nInterviewer: And?\n\n"
        "P71: It says we wait.\n\n1\n"
        "\fInterviewer: Okay.\n\nP71: Then we go.\n\n2\n"
    )
    t = parse_transcript(make_transcript(text, name="P71.txt"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "Okay."),
        ("P71", "We read page 3 of the policy."),
        ("Interviewer", "And?"),
        ("P71", "It says we wait."),
        ("Interviewer", "Okay."),
        ("P71", "Then we go."),
    ]
    assert [w.message.split(" left out")[0] for w in t.warnings] == ["P71: lines 9, 14"]


def test_service_page_footers_are_dropped_as_before_with_no_warning(make_transcript):
    # Rev's footer repeats with its page number, but it is Rev's boilerplate: dropped, its title kept.
    text = (
        "Interview P73 (Completed 03/12/24)\nTranscript by Rev.com\nPage 1 of 2\n\n"
        "Dana Whitfield (00:03):\nThanks for joining. What's your role?\n\n"
        "P73 (00:09):\nI'm a clinician with the mobile crisis team, about four years now.\n\n"
        "Interview P73 (Completed 03/12/24)\nTranscript by Rev.com\nPage 2 of 2\n\n"
        "Dana Whitfield (00:25):\nHow do you work with patrol?\n\nP73 (00:30):\nWe ride together.\n"
    )
    t = parse_transcript(make_transcript(text, name="P73.txt"))
    assert [(s.speaker, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", 3.0),
        ("P73", 9.0),
        ("Dana Whitfield", 25.0),
        ("P73", 30.0),
    ]
    assert (t.attributes, t.warnings) == ({"title": "Interview P73"}, ())


# Speakers' lines that open pages are turns, whatever the page edge: a name alone over each turn, Otter's
# `Name  3:14` (numbers aside, the same line on every page), and typed `Page N` lines that end the pages.
NAMES_ALONE_3_PAGES = (
    "Crisis Response Study - Transcript P71\nInterview with P71, 12 March 2024\n\n"
    "Dana Whitfield\nThanks for joining. What does your unit do?\n\n"
    "Marcus Bell\nWe are the night co-responder car for the east district.\n\n"
    "Dana Whitfield\nHow do calls reach you?\n\nPage 1 of 3\n"
    "\fCrisis Response Study - Transcript P71\n\n"
    "Marcus Bell\nDispatch flags them, and then we decide on the way.\n\n"
    "Dana Whitfield\nWhat happens when the CSU is full?\n\nMarcus Bell\nIt's the ER.\n\n"
    "Dana Whitfield\nAnd how long are you there?\n\nPage 2 of 3\n"
    "\fCrisis Response Study - Transcript P71\n\n"
    "Marcus Bell\nHours, sometimes the whole shift.\n\n"
    "Dana Whitfield\nThank you, that's everything.\n\nPage 3 of 3\n"
)
OTTER_PAGES = (
    "Dana Whitfield  0:02\nThanks for joining. Can you tell me what your unit does?\n\n"
    "Marcus Bell  0:09\nWe are the night shift co-responder unit for the east district. Two deputies and\n"
    "one clinician from county behavioral health.\n\n"
    "Dana Whitfield  0:52\nMm-hmm.\n\n"
    "Marcus Bell  0:58\nFrom six at night until two in the morning, five nights a week, which\n"
    "{break}"
    "Dana Whitfield  3:14\nHow do calls reach you?\n\n"
    "Marcus Bell  3:20\nDispatch flags them.\n\n"
    "Dana Whitfield  3:54\nMm-hmm.\n\n"
    "Marcus Bell  3:58\nIf the caller says anything about suicide, the call taker puts a BH code on it and\n"
    "{break2}"
    "Dana Whitfield  6:40\nWhat happens when the crisis stabilization unit is full?\n\n"
    "Marcus Bell  6:47\nThen it's the ER, and we sit there.\n\n"
    "Dana Whitfield  6:50\nMm-hmm.\n\n"
    "Marcus Bell  6:58\nNobody will take the handoff until the doctor sees them.\n"
    "{end}"
)


@pytest.mark.parametrize(
    "text, turns, times, left_out",
    [
        # the study's title over each page is left out (`Page N of 3` is Rev's form, dropped as before)
        (NAMES_ALONE_3_PAGES, 9, False, "lines 1, 14, 29 left out"),
        (OTTER_PAGES.format(**{"break": "\f", "break2": "\f", "end": ""}), 12, True, None),
        (  # typed page numbers end the pages (no form feeds): only they are left out
            OTTER_PAGES.format(**{"break": "\nPage 1\n\n", "break2": "\nPage 2\n\n", "end": "\nPage 3\n"}),
            12,
            True,
            "lines 14, 28, 42 left out",
        ),
    ],
)
def test_speaker_lines_that_open_pages_are_turns_not_page_heads(
    make_transcript, text, turns, times, left_out
):
    # Each page opens with a speaker's line; read as a running head it was left out, and the answer below
    # it went to the interviewer (silently, on three pages of names alone).
    t = parse_transcript(make_transcript(text, name="P71.txt"))
    assert [s.speaker for s in t.segments] == [("Dana Whitfield", "Marcus Bell")[n % 2] for n in range(turns)]
    assert {s.speaker: s.role for s in t.segments} == {
        "Dana Whitfield": "interviewer",
        "Marcus Bell": "participant",
    }
    assert t.roles == "inferred"
    assert [s.speaker for s in t.segments if s.text.startswith(("Dispatch flags them", "How do calls"))] == [
        "Dana Whitfield",
        "Marcus Bell",
    ]
    assert all(s.start_time is not None for s in t.segments) == times
    assert [w.message.split(": read as")[0].split(": ", 1)[1] for w in t.warnings] == (
        [left_out] if left_out else []
    )


def test_a_speakers_name_over_every_page_is_kept_with_a_warning(make_transcript):
    # The participant's name over every page, where `Marcus Bell:` starts his turns: a header, or his
    # label? It is his label's name, so it is kept (as the lines were read before page heads were) and said.
    text = (
        "Marcus Bell\nDana Whitfield: Thanks for joining. What does your unit do?\n\n"
        "Marcus Bell: We are the night co-responder car for the east district.\n\n"
        "\fMarcus Bell\nDana Whitfield: How do calls reach you?\n\n"
        "Marcus Bell: Dispatch flags them.\n\n"
        "\fMarcus Bell\nDana Whitfield: And the ER?\n\nMarcus Bell: Hours.\n"
    )
    path = make_transcript(text, name="P72.txt")
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        (None, "review", "Marcus Bell"),
        ("Dana Whitfield", "interviewer", "Thanks for joining. What does your unit do?"),
        (
            "Marcus Bell",
            "participant",
            "We are the night co-responder car for the east district.\n\nMarcus Bell",
        ),
        ("Dana Whitfield", "interviewer", "How do calls reach you?"),
        ("Marcus Bell", "participant", "Dispatch flags them.\n\nMarcus Bell"),
        ("Dana Whitfield", "interviewer", "And the ER?"),
        ("Marcus Bell", "participant", "Hours."),
    ]
    assert [(w.kind, w.message) for w in t.warnings if w.kind == "page_heads"] == [
        (
            "page_heads",
            (
                "P72: lines 1, 6, 11 open or close every page as a page header or footer would, but read as "
                "speaker labels used elsewhere in the file, so they were kept as turns. If they are page headers, "
                f'delete them from the file and ingest it again; "wei-qual ingest --dry-run {path}" shows how it '
                "is read."
            ),
        )
    ]


def test_a_running_head_with_the_same_time_on_every_page_is_a_head(make_transcript):
    # `Recorded 14 March 2024 10:00` over each page reads as a timed label (`Name  10:00`), but a turn's
    # time is never the same on every page: it is the pages' header, and the answer it cut reads on.
    text = (
        "Recorded 14 March 2024 10:00\n\nDana Whitfield: How do calls reach you at night?\n\n"
        "Marcus Bell: Dispatch flags them when the caller mentions a crisis, and then\n"
        "\fRecorded 14 March 2024 10:00\n\nwe decide on the way in.\n\nDana Whitfield: And then?\n\n"
        "Marcus Bell: The emergency room.\n"
        "\fRecorded 14 March 2024 10:00\n\nDana Whitfield: Thank you.\n\nMarcus Bell: Sure.\n"
    )
    t = parse_transcript(make_transcript(text, name="P78.txt"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Dana Whitfield", "How do calls reach you at night?"),
        (
            "Marcus Bell",
            "Dispatch flags them when the caller mentions a crisis, and then\nwe decide on the way in.",
        ),
        ("Dana Whitfield", "And then?"),
        ("Marcus Bell", "The emergency room."),
        ("Dana Whitfield", "Thank you."),
        ("Marcus Bell", "Sure."),
    ]
    assert [w.message.split(": read as")[0] for w in t.warnings] == ["P78: lines 1, 6, 13 left out"]


DASH_LABELS = (
    "Interviewer - Thanks for joining. What's your role?\n"
    "Participant - I'm a deputy with the county, eleven years on patrol.\n"
    "Interviewer - How do crisis calls come in?\n"
    "Participant - Dispatch mostly. Sometimes a family member flags us down on the street.\n"
    "Interviewer - What happens at the ER?\n"
    "Participant - We sit there for hours until the person is cleared.\n"
)


@pytest.mark.parametrize("dash", [" - ", " -- ", "—"])  # also a double hyphen, an em dash with no spaces
def test_dash_labels_that_recur_are_labels(make_transcript, dash):
    # It was one unlabelled segment, counted as participant speech, the questions in it.
    t = parse_transcript(make_transcript(DASH_LABELS.replace(" - ", dash), name="p80.txt"))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "Thanks for joining. What's your role?"),
        ("Participant", "participant", "I'm a deputy with the county, eleven years on patrol."),
        ("Interviewer", "interviewer", "How do crisis calls come in?"),
        (
            "Participant",
            "participant",
            "Dispatch mostly. Sometimes a family member flags us down on the street.",
        ),
        ("Interviewer", "interviewer", "What happens at the ER?"),
        ("Participant", "participant", "We sit there for hours until the person is cleared."),
    ]
    assert t.warnings == ()


def test_a_common_word_before_a_dash_is_no_speaker(make_transcript):
    # Two answers go on with "Mostly - ...": Mostly was read as a third speaker, taken as a participant, and
    # the answers were split.
    text = (
        "Interviewer - Thanks for joining. Do you feel the co-responder model works?\n\n"
        "Participant - Honestly, it depends on the night.\n\n"
        "Mostly - when the clinician is free, it works really well.\n\n"
        "Interviewer - And when the clinician is not free?\n\n"
        "Participant - Then we wait, or we take them to the ER ourselves.\n\n"
        "Mostly - the ER, if I'm honest, because the CSU fills up by ten.\n\n"
        "Interviewer - What would you change?\n\n"
        "Participant - Two things.\n\nFirst - more clinicians on nights.\n\n"
        "Second - a CSU that takes people on a hold.\n\n"
        "Interviewer - Thank you.\n"
    )
    t = parse_transcript(make_transcript(text, name="p89.txt"))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "Thanks for joining. Do you feel the co-responder model works?"),
        (
            "Participant",
            "participant",
            "Honestly, it depends on the night.\n\nMostly - when the clinician is free, it works really well.",
        ),
        ("Interviewer", "interviewer", "And when the clinician is not free?"),
        (
            "Participant",
            "participant",
            (
                "Then we wait, or we take them to the ER ourselves.\n\n"
                "Mostly - the ER, if I'm honest, because the CSU fills up by ten."
            ),
        ),
        ("Interviewer", "interviewer", "What would you change?"),
        (
            "Participant",
            "participant",
            "Two things.\n\nFirst - more clinicians on nights.\n\nSecond - a CSU that takes people on a hold.",
        ),
        ("Interviewer", "interviewer", "Thank you."),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())


@pytest.mark.parametrize(
    "lines, turns",
    [
        # dashes in the sentences of a labelled file
        # a word before a dash that goes on in lower case, as a sentence does, among dash labels
        (
            [
                *["Interviewer - Which nights?", "", "Participant - Fridays.", "", "Weekends - we wait.", ""],
                *["Interviewer - And?", "", "Participant - Saturdays.", "", "Weekends - we sit."],
            ],
            [
                ("Interviewer", "Which nights?"),
                ("Participant", "Fridays.\n\nWeekends - we wait."),
                ("Interviewer", "And?"),
                ("Participant", "Saturdays.\n\nWeekends - we sit."),
            ],
        ),
        (
            ["Interviewer: How often?", "P1: Sometimes - not often - we wait.", "Nights - always."],
            [("Interviewer", "How often?"), ("P1", "Sometimes - not often - we wait.\nNights - always.")],
        ),
        # one word before a dash, however often, in a file without labels
        (
            ["Sometimes - not often - we wait.", "", "Sometimes - we go anyway."],
            [(None, "Sometimes - not often - we wait."), (None, "Sometimes - we go anyway.")],
        ),
        # a list in one paragraph of many
        (
            [
                "We had a rota.",
                "",
                "It went:",
                "Monday - patrol",
                "Tuesday - court",
                "Monday - nights",
                "Tuesday - off",
                "",
                "That was it.",
                "",
                "Then it changed.",
                "",
                "Then again.",
            ],
            [
                (None, "We had a rota."),
                (None, "It went:\nMonday - patrol\nTuesday - court\nMonday - nights\nTuesday - off"),
                (None, "That was it."),
                (None, "Then it changed."),
                (None, "Then again."),
            ],
        ),
    ],
)
def test_a_dash_in_speech_stays_speech(lines, turns):
    assert [(t.speaker, t.text) for t in parse_lines(lines).turns] == turns


def test_a_name_and_a_bracketed_time_before_the_text_are_a_label(make_transcript):
    text = (
        "Dana Whitfield [00:00:00] Thanks for joining. What's your role?\n\n"
        "Marcus Bell [00:00:06] I'm a deputy, eleven years.\n\n"
        "Dana Whitfield [00:00:12] How do crisis calls come in?\n\n"
        "Marcus Bell [00:00:15] Dispatch, and then we call the mobile team.\n"
    )
    t = parse_transcript(make_transcript(text, name="p81.txt"))
    assert [(s.speaker, s.start_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", 0.0, "Thanks for joining. What's your role?"),
        ("Marcus Bell", 6.0, "I'm a deputy, eleven years."),
        ("Dana Whitfield", 12.0, "How do crisis calls come in?"),
        ("Marcus Bell", 15.0, "Dispatch, and then we call the mobile team."),
    ]
    assert t.warnings == ()


def test_a_bracketed_time_inside_speech_stays_speech():
    lines = [
        "Interviewer: Who came?",
        "",
        "P07: We waited.",
        "Then Mary [00:02:00] came in with the unit.",
        "",
        "Interviewer: And?",
        "",
        "P07: Okay [00:03:10] so we left.",
    ]
    assert [(t.speaker, t.text) for t in parse_lines(lines).turns] == [
        ("Interviewer", "Who came?"),
        ("P07", "We waited.\nThen Mary came in with the unit."),  # the time mark leaves the text
        ("Interviewer", "And?"),
        ("P07", "Okay so we left."),
    ]


def test_a_time_after_the_label_is_the_turns_time(make_transcript):
    text = (
        "Interviewer: 00:00:03 Thanks for joining. What's your role?\n"
        "P66: 00:00:09 I'm a deputy, eleven years on patrol.\n"
        "Interviewer: 00:00:15 How do crisis calls come in?\n"
        "P66: 00:00:19 Dispatch mostly.\n"
    )
    t = parse_transcript(make_transcript(text, name="P66.txt"))
    assert [(s.speaker, s.start_time, s.text) for s in t.segments] == [
        ("Interviewer", 3.0, "Thanks for joining. What's your role?"),
        ("P66", 9.0, "I'm a deputy, eleven years on patrol."),
        ("Interviewer", 15.0, "How do crisis calls come in?"),
        ("P66", 19.0, "Dispatch mostly."),
    ]
    assert t.warnings == ()


def test_a_time_said_at_the_start_of_a_turn_stays_speech():
    lines = ["Interviewer: When?", "P1: 10:30 is late.", "Interviewer: And after?", "P1: Home by one."]
    assert [(t.speaker, t.start_time, t.text) for t in parse_lines(lines).turns] == [
        ("Interviewer", None, "When?"),
        ("P1", None, "10:30 is late."),
        ("Interviewer", None, "And after?"),
        ("P1", None, "Home by one."),
    ]


def test_a_time_said_after_a_timed_label_stays_speech(make_transcript):
    # Every label has the recording's time after it but one, whose turn starts with the time of a call:
    # written another way (`23:40`, not `00:00:21`) and far out of order, it was taken as 23 minutes in
    # and left the answer.
    text = (
        "Interviewer: 00:00:03 Thanks for doing this. Walk me through the night of the call.\n"
        "P44: 00:00:10 Sure. It was a Saturday, I was on the late car.\n"
        "Interviewer: 00:00:21 When did the call come in?\n"
        "P44: 23:40 - that's when dispatch toned us out.\n"
        "Interviewer: 00:00:35 And when did the mobile team get there?\n"
        "P44: 00:01:02 Not until 01:15, so we sat there over an hour and a half.\n"
    )
    t = parse_transcript(make_transcript(text, name="P44.txt"))
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", 3.0, "Thanks for doing this. Walk me through the night of the call."),
        ("P44", "participant", 10.0, "Sure. It was a Saturday, I was on the late car."),
        ("Interviewer", "interviewer", 21.0, "When did the call come in?"),
        ("P44", "participant", None, "23:40 - that's when dispatch toned us out."),
        ("Interviewer", "interviewer", 35.0, "And when did the mobile team get there?"),
        ("P44", "participant", 62.0, "Not until 01:15, so we sat there over an hour and a half."),
    ]
    assert (t.roles, t.warnings) == ("inferred", ())


@pytest.mark.parametrize(
    "times, taken",
    [
        # written as the others are, but far out of order: said
        (["00:03", "00:10", "00:21", "23:40", "00:35", "01:02"], [3.0, 10.0, 21.0, None, 35.0, 62.0]),
        # overlapping speech goes back a few seconds: still the turns' times
        (["00:00:03", "00:00:10", "00:00:08", "00:00:15"], [3.0, 10.0, 8.0, 15.0]),
    ],
)
def test_times_after_labels_are_taken_in_order(times, taken):
    lines = [f"{('Interviewer', 'P1')[n % 2]}: {time} Words." for n, time in enumerate(times)]
    assert [t.start_time for t in parse_lines(lines).turns] == taken


def test_zoom_saved_captions_keep_no_clock_times(make_transcript):
    # Zoom's "Save captions": the meeting's clock, which was stored as 50,531 seconds into the recording.
    text = (
        "[Dana Whitfield] 14:02:11\nThanks for joining me today. Can you tell me about your role?\n"
        "[Marcus Bell] 14:02:18\nSure. I'm a sergeant on nights.\n"
        "[Dana Whitfield] 14:02:25\nHow do crisis calls come in?\n"
        "[Marcus Bell] 14:02:29\nMostly through dispatch, sometimes a family member flags us down.\n"
    )
    t = parse_transcript(make_transcript(text, name="zoom_cc.txt"))
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", None, None, "Thanks for joining me today. Can you tell me about your role?"),
        ("Marcus Bell", None, None, "Sure. I'm a sergeant on nights."),
        ("Dana Whitfield", None, None, "How do crisis calls come in?"),
        ("Marcus Bell", None, None, "Mostly through dispatch, sometimes a family member flags us down."),
    ]
    assert t.warnings == ()


def test_bracketed_names_over_recording_times_keep_them():
    lines = ["[Speaker 1] 00:00:09", "How long?", "[Speaker 2] 00:00:15", "An hour."]
    assert [(t.speaker, t.start_time) for t in parse_lines(lines).turns] == [
        ("Speaker 1", 9.0),
        ("Speaker 2", 15.0),
    ]


ZOOM_SUFFIXES = """\
WEBVTT

1
00:00:03.510 --> 00:00:07.240
Dana Whitfield (she/her): Thanks for joining me today. What's your role?

2
00:00:08.100 --> 00:00:15.920
Marcus Bell - County Sheriff: I'm a sergeant on nights, fourteen years.

3
00:00:16.410 --> 00:00:19.990
Dana Whitfield (she/her): How do crisis calls come in?

4
00:00:20.500 --> 00:00:27.120
Marcus Bell - County Sheriff: Dispatch mostly. Sometimes walk-ups at the station.

5
00:00:27.500 --> 00:00:29.000
Dana Whitfield (she/her): And then?

6
00:00:29.500 --> 00:00:35.000
Marcus Bell - County Sheriff: We wait for the mobile team.
"""


def test_a_zoom_display_name_with_a_suffix_after_a_dash(make_transcript):
    t = parse_transcript(make_transcript(ZOOM_SUFFIXES, name="p82.vtt"))
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Dana Whitfield (she/her)", 3.51, 7.24, "Thanks for joining me today. What's your role?"),
        ("Marcus Bell - County Sheriff", 8.1, 15.92, "I'm a sergeant on nights, fourteen years."),
        ("Dana Whitfield (she/her)", 16.41, 19.99, "How do crisis calls come in?"),
        ("Marcus Bell - County Sheriff", 20.5, 27.12, "Dispatch mostly. Sometimes walk-ups at the station."),
        ("Dana Whitfield (she/her)", 27.5, 29.0, "And then?"),
        ("Marcus Bell - County Sheriff", 29.5, 35.0, "We wait for the mobile team."),
    ]
    assert t.warnings == ()


def test_a_dash_and_a_colon_once_in_speech_stay_speech():
    lines = ["Interviewer: Which nights?", "", "P1: The worst were", "Fridays - Saturdays: always."]
    assert [(t.speaker, t.text) for t in parse_lines(lines).turns] == [
        ("Interviewer", "Which nights?"),
        ("P1", "The worst were\nFridays - Saturdays: always."),
    ]


CHEVRONS = """\
1
00:00:01,000 --> 00:00:04,000
>> Thanks for joining. What's your role?

2
00:00:04,500 --> 00:00:09,000
>> I'm a deputy with the county,
eleven years on patrol.

3
00:00:09,500 --> 00:00:12,000
>> How do crisis calls come in?

4
00:00:12,500 --> 00:00:16,000
>> Dispatch mostly.
"""


def test_caption_chevrons_start_a_turn(make_transcript):
    # It was one segment: four turns of two people, the >> markers in the text.
    t = parse_transcript(make_transcript(CHEVRONS, name="p83.srt"))
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        (None, 1.0, 4.0, "Thanks for joining. What's your role?"),
        (None, 4.5, 9.0, "I'm a deputy with the county, eleven years on patrol."),
        (None, 9.5, 12.0, "How do crisis calls come in?"),
        (None, 12.5, 16.0, "Dispatch mostly."),
    ]
    assert _kinds(t) == ["unlabelled_text"]  # no one is named: said, and counted as participant speech


def test_caption_chevrons_with_names(make_transcript):
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n&gt;&gt; DANA WHITFIELD: Thanks for joining.\n\n"
        "00:00:04.500 --> 00:00:09.000\n&gt;&gt; MARCUS BELL: Patrol, eleven years.\n"
        "&gt;&gt; DANA WHITFIELD: And calls?\n\n"
        "00:00:09.500 --> 00:00:12.000\n&gt;&gt; MARCUS BELL: Dispatch.\nMostly.\n\n"
        "00:00:12.500 --> 00:00:16.000\n&gt;&gt; And then the unit.\n"
    )
    t = parse_transcript(make_transcript(text, name="p84.vtt"))
    assert [(s.speaker, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("DANA WHITFIELD", 1.0, 4.0, "Thanks for joining."),
        ("MARCUS BELL", 4.5, 9.0, "Patrol, eleven years."),
        ("DANA WHITFIELD", 4.5, 9.0, "And calls?"),
        ("MARCUS BELL", 9.5, 12.0, "Dispatch. Mostly."),
        (None, 12.5, 16.0, "And then the unit."),  # a change to someone unnamed: never the one before's
    ]


@pytest.mark.parametrize(
    "cue",
    [
        "He texted me >> call back >> now.",  # inside a line
        ">> Thanks for joining.",  # once at a line's start
    ],
)
def test_chevrons_in_quoted_text_stay_text(make_transcript, cue):
    text = f"1\n00:00:01,000 --> 00:00:04,000\n{cue}\n\n2\n00:00:04,500 --> 00:00:09,000\nAnd then we went.\n"
    t = parse_transcript(make_transcript(text, name="p85.srt"))
    assert [(s.speaker, s.text) for s in t.segments] == [(None, f"{cue} And then we went.")]


def test_chevrons_quoting_a_message_in_named_captions_stay_text(make_transcript):
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nDana Whitfield: What did the text say?\n\n"
        "00:00:04.500 --> 00:00:09.000\nMarcus Bell: It said\n&gt;&gt; call me back\n&gt;&gt; now\n\n"
        "00:00:09.500 --> 00:00:12.000\nDana Whitfield: And?\n\n"
        "00:00:12.500 --> 00:00:16.000\nMarcus Bell: I called.\n"
    )
    t = parse_transcript(make_transcript(text, name="p86.vtt"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Dana Whitfield", "What did the text say?"),
        ("Marcus Bell", "It said >> call me back >> now"),
        ("Dana Whitfield", "And?"),
        ("Marcus Bell", "I called."),
    ]


def test_chevrons_in_named_captions_start_no_turn_without_a_name(make_transcript):
    # An email read out in a short Zoom file, six of its lines quoted with `>>`: more markers than named
    # lines, so every `>>` started a turn of no one and the names were read as text; no speaker was left.
    text = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n"
        "Dana Whitfield: Thanks for joining. How did the policy change reach you?\n\n"
        "2\n00:00:05.000 --> 00:00:09.000\nMarcus Bell: By email. I have it here, I'll read it.\n\n"
        "3\n00:00:09.500 --> 00:00:14.000\n>> Effective Monday, all BH calls\n>> go to the co-responder unit.\n\n"
        "4\n00:00:14.500 --> 00:00:18.000\n>> Patrol responds only if a weapon\n>> is reported by the caller.\n\n"
        "5\n00:00:18.500 --> 00:00:21.000\n>> Questions to the watch commander.\n>> Lt. Alvarez, Patrol Division\n\n"
        "6\n00:00:22.000 --> 00:00:25.000\nMarcus Bell: That was it. Nobody trained us.\n\n"
        "7\n00:00:26.000 --> 00:00:29.000\nDana Whitfield: What did you think when you read it?\n\n"
        "8\n00:00:30.000 --> 00:00:34.000\nMarcus Bell: Honestly, relief.\n"
    )
    t = parse_transcript(make_transcript(text, name="p87.vtt"))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", "Thanks for joining. How did the policy change reach you?"),
        ("Marcus Bell", "participant", "By email. I have it here, I'll read it."),
        (  # an unnamed cue in named captions: no one's, for review (as before `>>` was read)
            None,
            "review",
            (
                ">> Effective Monday, all BH calls >> go to the co-responder unit. >> Patrol responds only if a "
                "weapon >> is reported by the caller. >> Questions to the watch commander. >> Lt. Alvarez, "
                "Patrol Division"
            ),
        ),
        ("Marcus Bell", "participant", "That was it. Nobody trained us."),
        ("Dana Whitfield", "interviewer", "What did you think when you read it?"),
        ("Marcus Bell", "participant", "Honestly, relief."),
    ]
    assert _kinds(t) == ["unlabelled_text"]


def test_chevrons_with_names_in_named_captions_start_turns(make_transcript):
    # A captioner's `>> NAME:` among Zoom's `Name:` lines starts a turn; a `>>` without a name is text.
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nDana Whitfield: What did the email say?\n\n"
        "00:00:04.500 --> 00:00:09.000\n>> Marcus Bell: It said\n>> effective Monday, all calls go to us.\n\n"
        "00:00:09.500 --> 00:00:12.000\nDana Whitfield: And?\n\n"
        "00:00:12.500 --> 00:00:16.000\n>> Marcus Bell: Nobody trained us.\n"
    )
    t = parse_transcript(make_transcript(text, name="p88.vtt"))
    assert [(s.speaker, s.start_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", 1.0, "What did the email say?"),
        ("Marcus Bell", 4.5, "It said >> effective Monday, all calls go to us."),
        ("Dana Whitfield", 9.5, "And?"),
        ("Marcus Bell", 12.5, "Nobody trained us."),
    ]


# A note-taker sitting in asks once; so does a dispatcher put on the line. In a file whose every
# paragraph opens with a label, their one turn was read as text of the participant's answer, and the
# participant's next turn joined to it: another person's question coded as the participant's words.
SITTING_IN = """\
Interviewer: How do calls reach you?

P14: Dispatch flags them. Then we decide who goes.

{who}: Sorry, could you repeat the name of the unit?

P14: The crisis stabilization unit, on the east side.

Interviewer: And who decides the admission?

P14: The charge nurse, mostly.
"""


def test_a_note_taker_who_speaks_once_is_the_research_teams(make_transcript):
    t = parse_transcript(make_transcript(SITTING_IN.format(who="Note-taker"), "P14.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P14", "participant"),
        ("Note-taker", "interviewer"),
        ("P14", "participant"),
        ("Interviewer", "interviewer"),
        ("P14", "participant"),
    ]
    assert t.roles == "inferred"


def test_a_name_heard_once_as_a_paragraph_between_turns_is_a_turn_of_its_own(make_transcript):
    # Someone who interrupts once: a paragraph of its own between two turns, written as the file's labels
    # are, in a file whose every paragraph is a turn. Read as text, it was coded as P14's words.
    path = make_transcript(SITTING_IN.format(who="Dispatcher"), "P14.txt")
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P14", "participant"),
        ("Dispatcher", "review"),
        ("P14", "participant"),
        ("Interviewer", "interviewer"),
        ("P14", "participant"),
    ]
    said = (
        "P14: 1 line that starts with a name heard once (line 5) was read as a turn of its own, someone who "
        'interrupts once ("Charge Nurse: Sorry, room 3 needs you."): a paragraph of its own between two turns, '
        "written as the labels are, in a file whose every paragraph is a turn. If it is text of the turn before, "
        "delete the blank line before it and ingest it again; "
        f'"wei-qual ingest --dry-run {path}" shows how the file is read.'
    )
    assert [w.message for w in t.warnings if w.kind == "missed_labels"] == [said]  # its role said once: below
    # One heard once who answers no question beside a one-to-one interview is doubtful: the roles are for
    # review, and the turn is no participant's (neither counted nor coded) until a person sets its role.
    assert t.roles == "review" and '"Dispatcher" (1 turn, 9 words' in t.roles_reason
    assert "heard once" in t.roles_reason
    assert [(s.label, s.role) for s in t.speakers if s.label == "Dispatcher"] == [("Dispatcher", "review")]


@pytest.mark.parametrize(
    "line",
    [
        "Question: who pays for the officer's time while they wait?",  # a speaker's own heading word
        "Note: the recording was paused here for two minutes.",  # a transcriber's note
        "Date: It was a Friday, late.",  # a cover's key
        "Dispatcher: sorry, could you repeat the name of the unit?",  # no capital: it goes on
    ],
)
def test_a_heading_word_a_note_or_a_key_heard_once_stays_text(make_transcript, line):
    t = parse_transcript(
        make_transcript(
            SITTING_IN.replace("{who}: Sorry, could you repeat the name of the unit?", line), "P14.txt"
        )
    )
    assert [s.speaker for s in t.segments] == ["Interviewer", "P14", "Interviewer", "P14"]
    assert "interrupts once" not in " ".join(w.message for w in t.warnings)


def test_a_name_heard_once_in_the_middle_of_a_paragraph_is_said_not_a_turn(make_transcript):
    text = SITTING_IN.format(who="Dispatcher").replace("who goes.\n\nDispatcher:", "who goes.\nDispatcher:")
    path = make_transcript(text, "P14.txt")
    t = parse_transcript(path)
    assert "Dispatcher" not in {s.speaker for s in t.segments}
    assert any("heard once is no label" in w.message for w in t.warnings)


def test_a_one_off_label_after_a_line_ending_in_a_colon_is_said(make_transcript):
    text = (
        "Interviewer: How long have you two worked together?\n\n"
        "P81: Me, two years. Let me ask my partner:\n"
        "Deputy Cole: Yes, about a year for me.\n\n"
        "Interviewer: And the mobile team?\n\n"
        "P81: They come out when they can.\n"
    )
    t = parse_transcript(make_transcript(text, "P81.txt"))
    assert any("(line 4)" in w.message and "heard once" in w.message for w in t.warnings)


def test_a_name_heard_once_stays_text_where_paragraphs_are_not_turns(make_transcript):
    # Paragraphs of one long answer: "Example:" opening one of them is the participant's own word.
    text = SITTING_IN.format(who="Dispatcher").replace("\n\nP14: The crisis", "\n\nSo the crisis")
    text += "\nThen it goes back.\n\nAnd then again.\n"
    t = parse_transcript(make_transcript(text, "P14.txt"))
    assert "Dispatcher" not in {s.speaker for s in t.segments}


def test_a_one_off_label_where_turns_have_no_blank_lines_between_is_said(make_transcript):
    # Word saved as text: a turn a line, no blank lines. Deputy Cole's one answer joins P81's turn.
    text = (
        "Interviewer: How long have you two worked together?\n"
        "P81: About two years for me. My partner's been on it longer.\n"
        "Deputy Cole: Almost four years now, since the pilot.\n"
        "Interviewer: And the mobile team?\n"
        "P81: They come out when they can.\n"
    )
    t = parse_transcript(make_transcript(text, "P81.txt"))
    assert any("(line 3)" in w.message and "heard once" in w.message for w in t.warnings)


def test_a_speakers_own_ordering_words_are_not_said_as_labels_heard_once(make_transcript):
    text = (
        "I: What does the policy say?\n\n"
        "R: Three things.\n\n"
        "First: nobody on a hold.\n\n"
        "Second: a clinician signs off.\n\n"
        "Section 4.2: medical clearance before transport.\n\n"
        "Bottom line: we drive them to the ER.\n\n"
        "I: And does that work?\n\n"
        "R: Most nights.\n"
    )
    t = parse_transcript(make_transcript(text, "R12.txt"))
    assert [w.kind for w in t.warnings] == []
    assert [s.speaker for s in t.segments] == ["I", "R", "I", "R"]


_WORD_TURNS = [
    "Interviewer: Thanks for making the time today. How long have you been on the co-responder car?",
    "P12: About eleven years with the sheriff's office, the last two on the car with a clinician.",
    "Interviewer: How do crisis calls usually reach you?",
    "P12: Mostly through dispatch. Sometimes the crisis line transfers a call over to us.",
]


@pytest.mark.parametrize(
    "head",
    [
        # Word's "Save as Plain Text" of a list-styled transcript: no blank line between paragraphs.
        ["Crisis Response Study – Interview Transcript", "P12 – Patrol Sergeant – 21 March 2024", ""],
        ["Crisis Response Study – Interview Transcript", "P12 – Patrol Sergeant – 21 March 2024"],
        ["Crisis Response Study – Interview Transcript", "", "P12 – Patrol Sergeant – 21 March 2024", ""],
        # A title's abbreviation ends no sentence.
        ["Crisis Response Study – Interview Transcript", "P12 – Sgt. Reyes – 21 March 2024"],
    ],
)
def test_a_title_over_a_dated_subtitle_is_the_title_and_date_with_or_without_blank_lines(tmp_path, head):
    # The two lines were one `review` segment, and with it the whole transcript's roles were `review`.
    path = tmp_path / "P12.txt"
    path.write_bytes(("\ufeff" + "\r\n".join([*head, *_WORD_TURNS]) + "\r\n").encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P12", "participant"),
    ] * 2
    assert [s.text for s in t.segments] == [turn.split(": ", 1)[1] for turn in _WORD_TURNS]
    assert t.attributes == {"title": "Crisis Response Study – Interview Transcript", "date": "21 March 2024"}
    assert t.warnings == ()


@pytest.mark.parametrize(
    "said",
    [
        "Okay. So this is the interview on 21 March 2024",  # a sentence in it
        "So on 21 March 2024 we went out to the unit",  # opens with a filler word
    ],
)
def test_a_first_turn_said_without_a_label_is_no_title_even_with_a_date_in_it(tmp_path, said):
    path = tmp_path / "P12.txt"
    path.write_text("\n".join([said, *_WORD_TURNS]) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert (t.segments[0].speaker, t.segments[0].text) == (None, said)
    assert "title" not in t.attributes and "date" not in t.attributes


def test_no_participant_turn_names_the_one_fix_that_always_works(make_transcript):
    # Interviewer and Moderator are interviewer labels with --interviewer-labels too: the warning must
    # not send the user to that option.
    text = "Interviewer: Shall we start?\n\nModerator: Yes, go ahead.\n\nInterviewer: Who is on call?\n"
    path = make_transcript(text, "fg9.txt")
    t = parse_transcript(path)
    said = (
        'fg9: no participant turn ("Interviewer" interviewer, "Moderator" interviewer). Mark the participant '
        'with "wei-qual transcripts roles fg9 --participant NAME".'
    )
    assert [w.message for w in t.warnings if w.kind == "no_participant"] == [said]


@pytest.mark.parametrize("caption", [None, "Crisis Pathways Study – Interview Transcript"])
def test_a_word_cover_table_gives_what_the_same_cover_in_paragraphs_gives(tmp_path, caption):
    # A template's cover table was left out as a cover, but its date and the roles it names were lost:
    # ML, named interviewer on it, was an interviewer only by the turns' evidence.
    from docx import Document

    document = Document()
    rows = [
        ("Interview ID", "P07"),
        ("Date", "12 March 2024"),
        ("Interviewer", "Maya Lindqvist (ML)"),
        ("Interviewee", "P07 – Patrol Officer"),
    ]
    table = _word_table(document, [("", ""), *rows] if caption else rows)
    if caption:  # a title row merged across the table
        table.cell(0, 0).merge(table.cell(0, 1)).text = caption
    document.add_paragraph("ML: Thanks for making time today. Can you tell me about your role?")
    document.add_paragraph("P07: I've been a patrol officer for eleven years.")
    document.add_paragraph("ML: What does a crisis call look like now?")
    document.add_paragraph("P07: Mostly welfare checks at night.")
    path = tmp_path / "crisis_interview_07.docx"
    document.save(path)
    t = parse_transcript(path)
    assert _segments(t) == [
        ("ML", "interviewer", "Thanks for making time today. Can you tell me about your role?"),
        ("P07", "participant", "I've been a patrol officer for eleven years."),
        ("ML", "interviewer", "What does a crisis call look like now?"),
        ("P07", "participant", "Mostly welfare checks at night."),
    ]
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        ("ML", "interviewer", "named as interviewer on the cover sheet"),
        ("P07", "participant", "named as participant on the cover sheet"),
    ]
    assert t.attributes == ({"title": caption} if caption else {}) | {"date": "12 March 2024"}
    assert _kinds(t) == ["left_out"] and "table 1 left out: read as a cover sheet" in t.warnings[0].message


def test_word_cover_tables_that_name_one_label_in_both_roles_decide_no_role(tmp_path):
    # The same two sessions as in paragraphs above, each under a template's cover table: the second
    # table's "Interviewee: Mark Lewis (ML)" was dropped unsaid, and ML stayed the interviewer the first
    # table names, for the second session's answers too.
    from docx import Document

    document = Document()
    _word_table(
        document, [("Date", "12 March 2024"), ("Interviewer", "Maya Lindqvist (ML)"), ("Interviewee", "P07")]
    )
    for line in (
        "ML: Can you tell me about your role?",
        "P07: Patrol, eleven years.",
        "ML: And the crisis team?",
    ):
        document.add_paragraph(line)
    document.add_paragraph("P07: Half the time.")
    document.add_paragraph("Session 2")
    _word_table(
        document,
        [("Date", "14 March 2024"), ("Interviewer", "Sam Ortiz (SO)"), ("Interviewee", "Mark Lewis (ML)")],
    )
    for line in (
        "SO: How long have you been a nurse?",
        "ML: Nine years, mostly nights.",
        "SO: And the beds?",
    ):
        document.add_paragraph(line)
    document.add_paragraph("ML: Never enough.")
    path = tmp_path / "P07.docx"
    document.save(path)
    t = parse_transcript(path)
    reasons = {s.label: (s.role, s.reason) for s in t.speakers}
    assert reasons["SO"] == ("interviewer", "named as interviewer on the cover sheet")
    assert "cover sheet" not in reasons["ML"][1]
    assert t.roles == "review"
    assert t.roles_reason.startswith('the cover sheets name "ML" interviewer in one session and participant')


WORD_TRANSCRIBE_TURNS = [
    "00:00:00 Speaker 1",
    "Thanks for making time today. Can you tell me about your role?",
    "00:00:05 Speaker 2",
    "I'm the director of a crisis stabilization unit in the city. We have sixteen beds.",
    "00:00:11 Speaker 1",
    "What are your admission criteria?",
    "00:00:14 Speaker 2",
    "Eighteen or older, medically stable, and willing to come in voluntarily.",
]


@pytest.mark.parametrize(
    "head", [["Transcript", "Interview 7.m4a"], ["Interview 7.m4a", "Transcript"], ["P07_2026-03-04.mp3"]]
)
def test_word_transcribe_heads_the_turns_with_the_recordings_file_name(tmp_path, head):
    # Word's Transcribe (Microsoft 365) downloads a .docx of paragraphs: the recording's file name over
    # "time Speaker N" paragraphs. The file name is the title, not an unlabelled first turn.
    from docx import Document

    document = Document()
    for line in [*head, *WORD_TRANSCRIBE_TURNS]:
        document.add_paragraph(line)
    path = tmp_path / "KP40_word_transcribe.docx"
    document.save(path)
    t = parse_transcript(path)
    assert _rows(t) == [
        (1, "Speaker 1", "interviewer", 0.0, None),
        (2, "Speaker 2", "participant", 5.0, None),
        (3, "Speaker 1", "interviewer", 11.0, None),
        (4, "Speaker 2", "participant", 14.0, None),
    ]
    assert t.attributes["title"] == next(line for line in head if line != "Transcript")
    assert t.roles == "inferred"


def test_a_recording_name_said_in_a_turn_stays_speech(tmp_path):
    path = tmp_path / "p07.txt"
    path.write_text("I: Which file was it?\n\nP07: Interview 7.m4a\n\nI: Thanks.\n", encoding="utf-8")
    t = parse_transcript(path)
    assert [s.text for s in t.segments] == ["Which file was it?", "Interview 7.m4a", "Thanks."]


_UNDATED_TITLE = ["Crisis Stabilization Unit Study", "Interview with Site B Provider"]


@pytest.mark.parametrize("gap", [[], [""]])
def test_two_undated_title_lines_over_the_turns_are_the_title_and_said(tmp_path, gap):
    # Word's "Save as Plain Text": the two lines were one `review` segment, and the roles `review`.
    path = tmp_path / "P12.txt"
    head = [_UNDATED_TITLE[0], *gap, _UNDATED_TITLE[1], ""]
    path.write_bytes(("\ufeff" + "\r\n".join([*head, *_WORD_TURNS]) + "\r\n").encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("P12", "participant"),
    ] * 2
    assert t.attributes == {"title": "Crisis Stabilization Unit Study – Interview with Site B Provider"}
    lines = "lines 1, 3" if gap else "lines 1, 2"
    assert [(w.kind, w.message) for w in t.warnings] == [
        (
            "left_out",
            (
                f"P12: {lines} left out: read as the title over the transcript (short lines with no "
                'sentence in them, over the first labelled turn: the "title" attribute), not turns. If one of '
                f'them is a turn, label it ("Name: text."), ending it with a full stop, and ingest it again; "wei-qual ingest --dry-run {path}" '
                "shows how it is read."
            ),
        )
    ]
    assert t.roles == "inferred"


def test_two_undated_title_paragraphs_of_a_word_file_are_the_title(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph(_UNDATED_TITLE[0], style="Title")
    document.add_paragraph(_UNDATED_TITLE[1], style="Subtitle")
    for turn in _WORD_TURNS:
        document.add_paragraph(turn)
    path = tmp_path / "P12.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Interviewer", "P12"] * 2
    assert t.attributes["title"] == "Crisis Stabilization Unit Study – Interview with Site B Provider"
    assert [w.kind for w in t.warnings] == ["left_out"] and t.roles == "inferred"


@pytest.mark.parametrize(
    "head",
    [
        ["Before we start I want to say", "that this is hard for me"],  # said, not in title case
        ["Crisis Stabilization Unit Study", "We met at the unit. It was loud"],  # a sentence
        ["Crisis Unit Study", "Interview One", "Site B", "Provider"],  # more lines than a title has
    ],
)
def test_lines_over_the_turns_that_are_no_title_stay_a_review_segment(tmp_path, head):
    path = tmp_path / "P12.txt"
    path.write_text("\n".join([*head, "", *_WORD_TURNS]) + "\n", encoding="utf-8")
    t = parse_transcript(path)
    assert t.segments[0].speaker is None and t.roles == "review"


def test_someone_who_interrupts_once_in_a_word_file_is_a_turn_of_their_own(tmp_path):
    from docx import Document

    document = Document()
    for turn in [
        "Interviewer: Can you walk me through what happens when a patient arrives at the unit?",
        "P07: Usually the officer brings them in through the side door and we screen them at intake.",
        "Charge Nurse: Sorry, room 3 needs you.",
        "P07: Sorry about that. Where was I? Right. We have twelve beds, and on a weekend they fill fast.",
        "Interviewer: What happens when they are full?",
        "P07: Then the officer waits with them. Note: that is not in our policy, it just happens.",
    ]:
        document.add_paragraph(turn)
    path = tmp_path / "P07.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == [
        "Interviewer",
        "P07",
        "Charge Nurse",
        "P07",
        "Interviewer",
        "P07",
    ]
    assert "paragraph 3" in " ".join(w.message for w in t.warnings if w.kind == "missed_labels")
    assert t.roles == "review"  # the nurse answers no question: for a person to settle


def _whisper_captions(segments, fmt: str, *, highlight: bool) -> str:
    """Captions as openai-whisper's writers make them (utils.py, SubtitlesWriter.iterate_result with its
    default line options: a cue per segment; with --highlight_words True a cue per word, the word
    underlined, and a cue with no underline for the pause between two words apart)."""

    def stamp(seconds: float) -> str:
        ms = round(seconds * 1000)
        hours, ms = divmod(ms, 3_600_000)
        minutes, ms = divmod(ms, 60_000)
        secs, ms = divmod(ms, 1000)
        mark = "," if fmt == "srt" else "."
        return f"{hours:02d}:" * (hours > 0 or fmt == "srt") + f"{minutes:02d}:{secs:02d}{mark}{ms:03d}"

    cues = []
    for seg in segments:
        words = [w for w, _, _ in seg]
        words[0] = words[0].strip()  # a subtitle's first word loses its space
        text, last = "".join(words), seg[0][1]
        if not highlight:
            cues.append((seg[0][1], seg[-1][2], text))
            continue
        for i, (_, start, end) in enumerate(seg):
            if stamp(last) != stamp(start):
                cues.append((last, start, text))
            underlined = (
                re.sub(r"^(\s*)(.*)$", r"\1<u>\2</u>", w) if j == i else w for j, w in enumerate(words)
            )
            cues.append((start, end, "".join(underlined)))
            last = end
    if fmt == "srt":
        return "".join(f"{n}\n{stamp(s)} --> {stamp(e)}\n{t}\n\n" for n, (s, e, t) in enumerate(cues, 1))
    return "WEBVTT\n\n" + "".join(f"{stamp(s)} --> {stamp(e)}\n{t}\n\n" for s, e, t in cues)


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_whispers_highlighted_words_are_read_as_its_plain_captions(tmp_path, fmt):
    segments = [  # (word with Whisper's leading space, start, end)
        [(" How", 0.0, 0.3), (" long", 0.3, 0.6), (" have", 0.6, 0.8), (" you", 0.8, 1.0), (" worked", 1.0, 1.4),
         (" nights?", 1.5, 2.0)],
        [(" Going", 2.4, 2.8), (" on", 2.8, 3.0), (" six", 3.0, 3.3), (" years", 3.3, 3.7), (" now.", 3.7, 4.1)],
        [(" Mostly", 8.0, 8.4), (" the", 8.4, 8.5), (" east", 8.5, 8.9), (" side.", 9.2, 9.9)],
        [(" Yeah.", 12.0, 12.4)],
        [(" Yeah.", 12.6, 13.0)],
    ]  # fmt: skip
    got = {}
    for highlight in (True, False):
        path = tmp_path / f"{highlight}.{fmt}"
        path.write_text(_whisper_captions(segments, fmt, highlight=highlight), encoding="utf-8")
        got[highlight] = [(s.text, s.start_time, s.end_time) for s in parse_transcript(path).segments]
    assert "How <u>long</u> have you worked nights?" in (tmp_path / f"True.{fmt}").read_text(encoding="utf-8")
    assert (
        got[True]
        == got[False]
        == [
            ("How long have you worked nights? Going on six years now.", 0.0, 4.1),
            ("Mostly the east side.", 8.0, 9.9),
            ("Yeah. Yeah.", 12.0, 13.0),
        ]
    )


def test_a_pii_refusal_names_a_highlighted_segments_identifier_once(tmp_path, db):
    # Whisper's --highlight_words repeats each segment's text in a cue per word: a name in it was listed
    # once per word, so the refusal's ten places were all the first name's and the second went unnamed.
    from wei_qual.deid import scan_text
    from wei_qual.ingest import ingest_files

    def words(text: str, start: float) -> list[tuple[str, float, float]]:
        return [(f" {w}", start + 0.4 * i, start + 0.4 * (i + 1)) for i, w in enumerate(text.split())]

    segments = [
        words("So the night Daniel Reyes called, he was in crisis.", 0.0),
        words("I sent the co-responder team with Officer Marta Kowalczyk.", 5.0),
        words("Later Daniel Reyes thanked the CSU staff.", 10.0),
    ]
    path = tmp_path / "C12.srt"
    text = _whisper_captions(segments, "srt", highlight=True)
    path.write_text(text, encoding="utf-8")
    message = ingest_files(db, [path]).outcomes[0].message
    places = re.search(r"likely identifiers at (.*?)\. Review", message)[1].split(", ")
    # The first cue of each segment, each name once in it: all three occurrences in view.
    firsts = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("<u>")]
    assert [p.split(":")[0] for p in places] == [str(firsts[0]), str(firsts[1]), str(firsts[2])]
    assert all(p.endswith("(person)") for p in places)
    # The scan itself stays complete: every cue's name is found (deid scan lists them all).
    assert len(scan_text(text)) > 20
