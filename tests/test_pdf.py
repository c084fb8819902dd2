"""PDF transcripts: reading order across pages and across two columns, running heads and page numbers
removed, hyphenation rejoined, turns across page breaks, page:line locations, and the PDFs that are
refused (scans, passwords, damaged files; streams that inflate without end in tests/security). The PDFs
are built in the tests (tests/_pdfs.py); every text is fictional."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from _pdfs import (
    encrypt_pdf,
    make_column_pdf,
    make_paged_table_pdf,
    make_pdf,
    make_side_by_side_pdf,
    make_table_pdf,
)

from wei_qual.cli import app
from wei_qual.errors import TranscriptError
from wei_qual.ingest import parse_transcript
from wei_qual.ingest.pdf import extract_pages, read_pdf_text, running_lines
from wei_qual.store import open_db

DATA = Path(__file__).parent / "data"

CODEBOOK = Path(__file__).parent.parent / "codebooks" / "minimal.yaml"
HEADER = "Fictional study of crisis response - Interview {page}"  # numbers differ per page: still one head
FOOTER = "Page {page} of {pages}"
P21 = [
    [
        "Interviewer: Thank you for joining. Could you tell me how crisis calls reach the stabi-",
        "lization unit in your county?",
        "",
        "P21: Mostly through dispatch. The unit turned one man away last month because",
        "he had been drinking, and we ended up waiting at the emergency",
    ],
    [
        "department until the early morning.",  # P21's turn goes on across the page break
        "",
        "Interviewer: And what happens after that?",
        "",
        "P21: We take him home, or to jail if there is a charge. The co-",
        "responder team helps when they are on shift. A co-responder clinician rides with us.",
    ],
    [
        "Interviewer: Is there anything else?",
        "",
        "P21: No, that is it.",
    ],
]


@pytest.fixture
def p21(tmp_path):
    return make_pdf(tmp_path / "P21.pdf", P21, header=HEADER, footer=FOOTER)


def test_turns_across_pages_without_heads_page_numbers_or_hyphens(p21):
    t = parse_transcript(p21)
    assert t.format == "pdf"
    assert [(s.n, s.speaker, s.role, s.page, s.text) for s in t.segments] == [
        (
            1,
            "Interviewer",
            "interviewer",
            1,
            (
                "Thank you for joining. Could you tell me how crisis calls reach the stabilization unit in your "
                "county?"
            ),
        ),
        (
            2,
            "P21",
            "participant",
            1,
            (
                "Mostly through dispatch. The unit turned one man away last month because he had been drinking, "
                "and we ended up waiting at the emergency department until the early morning."
            ),
        ),
        (3, "Interviewer", "interviewer", 2, "And what happens after that?"),
        (
            4,
            "P21",
            "participant",
            2,
            # "co-" + "responder": the document writes "co-responder" elsewhere, so the hyphen stays.
            (
                "We take him home, or to jail if there is a charge. The co-responder team helps when they are "
                "on shift. A co-responder clinician rides with us."
            ),
        ),
        (5, "Interviewer", "interviewer", 3, "Is there anything else?"),
        (6, "P21", "participant", 3, "No, that is it."),
    ]
    assert t.roles == "inferred" and t.warnings == ()
    assert all(t.text[s.start_char : s.end_char] == s.text for s in t.segments)


def test_running_heads_and_page_numbers_are_found_by_page_and_line(p21):
    read = extract_pages(p21, p21.read_bytes())
    pages = read.lines
    assert read.imaged == set() and read.columns == {} and read.tables == []
    # Line 1 of each page is the header, the last its "Page N of 3" footer.
    assert running_lines(pages) == ({(p, 1) for p in (1, 2, 3)} | {(1, 6), (2, 6), (3, 4)}, [])
    text = read_pdf_text(p21, p21.read_bytes())
    assert (text.pages, text.removed) == (3, 6)
    lines, where = text.lines()
    assert lines[:4] == [
        "Interviewer: Thank you for joining. Could you tell me how crisis calls reach the stabilization",
        "unit in your county?",
        "",
        "P21: Mostly through dispatch. The unit turned one man away last month because",
    ]
    assert where[:4] == ["1:2", "1:3", None, "1:4"]


def test_a_repeated_turn_at_the_top_of_pages_is_not_a_running_head(tmp_path):
    pages = [["Interviewer: Okay.", "", f"P30: Answer number {i} goes here."] for i in range(1, 5)]
    t = parse_transcript(make_pdf(tmp_path / "P30.pdf", pages, footer="{page}"))
    assert [s.text for s in t.segments] == [
        text for i in range(1, 5) for text in ("Okay.", f"Answer number {i} goes here.")
    ]


def test_hyphenation_is_rejoined_only_before_a_lower_case_word(tmp_path):
    pages = [["P31: The county-", "Wide team, the admis-", "sion desk, and 2019-", "2020 figures."]]
    t = parse_transcript(make_pdf(tmp_path / "P31.pdf", pages))
    assert t.segments[0].text == "The county- Wide team, the admission desk, and 2019- 2020 figures."


def test_page_line_locations_in_the_pii_refusal_and_in_deid_scan(runner, tmp_path, db_path):
    pages = [
        ["Interviewer: How do you reach the unit?", "", "P22: We call first."],
        ["P22: Sometimes twice.", "You can reach the unit at 555-201-3344 any time."],
    ]
    pdf = make_pdf(tmp_path / "P22.pdf", pages, header=HEADER, footer=FOOTER)
    result = runner.invoke(app, ["ingest", str(pdf), "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: {pdf}: likely identifiers at page:line 2:3 (phone). Review with "wei-qual deid scan '
        f'{pdf} --db {db_path}", redact with "wei-qual deid redact {pdf} -o redacted/P22.txt --db {db_path}", '
        "or pass --allow-pii."
    )
    assert open_db(db_path).execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0

    scan = runner.invoke(app, ["deid", "scan", str(pdf)])
    assert scan.exit_code == 3
    assert scan.stdout == f"{pdf}:2:3:27 phone 555-201-3344\n"
    rows = json.loads(runner.invoke(app, ["deid", "scan", str(pdf), "--format", "json"]).stdout)
    assert rows == [
        {"file": str(pdf), "page": 2, "line": 3, "column": 27, "category": "phone", "text": "555-201-3344"}
    ]

    # Redaction writes the PDF's body text (as ingest reads it) as text, never a PDF.
    refused = runner.invoke(app, ["deid", "redact", str(pdf), "-o", str(tmp_path / "out.pdf")])
    assert refused.exit_code == 1 and "Name the output .txt with -o" in refused.stderr
    out = tmp_path / "P22.txt"
    assert runner.invoke(app, ["deid", "redact", str(pdf), "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == (
        "Interviewer: How do you reach the unit?\n\nP22: We call first.\nP22: Sometimes twice.\n"
        "You can reach the unit at [PHONE-1] any time."
    )


def test_missed_labels_are_located_by_page_and_line(tmp_path):
    pages = [
        ["Interviewer: What happened next?", "", "P23: We drove him in."],
        [
            "P23: He said no.",
            "**Sgt Okafor** and the unit closes at ten.",
            "",
            "Interviewer: And then?",
        ],
    ]
    t = parse_transcript(make_pdf(tmp_path / "P23.pdf", pages, header=HEADER))
    (warning,) = [w for w in t.warnings if w.kind == "missed_labels"]
    assert "(page:line 2:3)" in warning.message


def _refusal(path) -> str:
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path)
    return str(ex.value)


OCR = "Run OCR on it outside wei-qual (e.g. ocrmypdf, or a scanner's text recognition) and ingest the result."


def test_a_scanned_page_without_text_is_refused_naming_the_page(tmp_path):
    pdf = make_pdf(tmp_path / "P24.pdf", [P21[0], None, P21[2]], header=HEADER)
    assert _refusal(pdf) == (
        f'"{pdf}" has 1 page without a text layer (scanned: page 2), whose text would be missing. {OCR}'
    )


def test_a_scanned_page_with_a_stamped_page_number_is_still_a_scan(tmp_path):
    pdf = make_pdf(tmp_path / "P33.pdf", [P21[0], None, P21[2]], footer=FOOTER, number_scans=True)
    assert _refusal(pdf) == (
        f'"{pdf}" has 1 page without a text layer (scanned: page 2), whose text would be missing. {OCR}'
    )
    only_scans = make_pdf(tmp_path / "P34.pdf", [None, None], footer=FOOTER, number_scans=True)
    assert _refusal(only_scans) == f'"{only_scans}" has no text layer (it looks like a scanned image). {OCR}'


def test_a_scan_is_refused_with_one_line(runner, tmp_path, db_path):
    pdf = make_pdf(tmp_path / "P25.pdf", [None, None])
    assert _refusal(pdf) == f'"{pdf}" has no text layer (it looks like a scanned image). {OCR}'
    result = runner.invoke(app, ["ingest", str(pdf), "--db", str(db_path)])
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f'Error: "{pdf}" has no text layer (it looks like a scanned image). {OCR}'
    )


def test_a_pdf_that_needs_a_password_is_refused_and_one_that_does_not_is_read(tmp_path, p21):
    locked = encrypt_pdf(p21, tmp_path / "P26.pdf", user_password="secret")
    assert _refusal(locked) == (
        f'"{locked}" is encrypted and needs a password. Save an unprotected copy (open it with the password '
        "and export or print to PDF), then ingest that."
    )
    # Encrypted with an empty user password: any viewer opens it without asking, and so does ingest.
    opened = encrypt_pdf(p21, tmp_path / "P21b.pdf", user_password="")
    assert [s.text for s in parse_transcript(opened).segments] == [
        s.text for s in parse_transcript(p21).segments
    ]


def test_damaged_and_renamed_files_are_refused(tmp_path, p21):
    truncated = tmp_path / "P27.pdf"
    truncated.write_bytes(p21.read_bytes()[:300])
    assert _refusal(truncated).startswith(f'"{truncated}" is not a readable PDF (')
    assert _refusal(truncated).endswith(
        "it may be damaged. Open and save it again with a PDF viewer, or export the text as .txt or .docx."
    )
    renamed = tmp_path / "P28.pdf"
    renamed.write_text("Interviewer: hello\n", encoding="utf-8")
    assert _refusal(renamed) == (
        f'"{renamed}" is not a PDF file (it does not start with %PDF-). Check the file, or export it again.'
    )
    empty = tmp_path / "P29.pdf"
    empty.write_bytes(b"")
    assert (
        _refusal(empty)
        == f'"{empty}" is empty (0 bytes). Export the transcript again, or leave the file out.'
    )


def test_ingest_stores_pages_and_the_format(runner, tmp_path, db_path, p21):
    result = runner.invoke(app, ["ingest", str(p21), "--db", str(db_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(
        runner.invoke(app, ["transcripts", "show", "P21", "--format", "json", "--db", str(db_path)]).stdout
    )
    assert shown["kind"] == "interview"
    assert [(s["n"], s["speaker"], s["page"]) for s in shown["segments"]] == [
        (1, "Interviewer", 1),
        (2, "P21", 1),
        (3, "Interviewer", 2),
        (4, "P21", 2),
        (5, "Interviewer", 3),
        (6, "P21", 3),
    ]
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT format, kind FROM transcripts").fetchall() == [("pdf", "interview")]


def test_too_many_pages_is_refused(tmp_path, monkeypatch):
    from wei_qual.ingest import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    path = make_pdf(tmp_path / "P32.pdf", P21)
    assert _refusal(path) == f'"{path}" has 3 pages, more than 2. Split it, or export its text as .txt.'


def test_an_otter_export_printed_to_pdf_reads_as_the_text_export_does(tmp_path):
    # Otter's header (title, date with "•", SUMMARY KEYWORDS, SPEAKERS) is metadata, and its footer on
    # every page ("Transcribed by https://otter.ai") is a running footer: neither becomes a segment.
    import textwrap

    exported = DATA / "KP04_otter_export.txt"
    lines = [
        part
        for line in exported.read_text(encoding="utf-8").splitlines()
        for part in (textwrap.wrap(line, 90) or [""])
    ]
    half = len(lines) // 2  # the page break falls inside a turn
    pdf = make_pdf(
        tmp_path / "KP04.pdf", [lines[:half], lines[half:]], footer="Transcribed by https://otter.ai"
    )
    from_pdf, from_text = parse_transcript(pdf), parse_transcript(exported)
    assert from_pdf.attributes == from_text.attributes
    assert from_pdf.attributes["date"] == "Tue, 1/24 10:03AM"
    assert [(s.speaker, s.role, s.start_time, " ".join(s.text.split())) for s in from_pdf.segments] == [
        (s.speaker, s.role, s.start_time, " ".join(s.text.split())) for s in from_text.segments
    ]
    assert from_pdf.warnings == from_text.warnings == ()


NVIVO_HEADER = ("Timespan", "Content", "Speaker")


def _nvivo_rows(phone: str = "") -> list[tuple[str, str, str]]:
    rows = []
    start = 0.0
    for i in range(12):
        question = f"Question {i + 1}: how do crisis calls reach the stabilization unit on a night like that?"
        answer = (
            "Mostly through dispatch. The unit turned one man away last month because he had been drinking, "
            f"so we waited at the emergency department until the morning. That was night {i + 1}."
        )
        for text, speaker, length in ((question, "Interviewer", 6.5), (answer, "P38", 21.0)):
            rows.append(
                (
                    f"0:{int(start) // 60:02d}:{start % 60:04.1f} - 0:{int(start + length) // 60:02d}:{(start + length) % 60:04.1f}",
                    text,
                    speaker,
                )
            )
            start += length
    rows.append(("0:05:30.0 - 0:05:33.0", "Anything else?", "Interviewer"))
    # A turn that goes on in the next row, its speaker cell left empty (as after a pause).
    rows.append(("0:05:33.0 - 0:05:41.0", f"One more thing about the beds.{phone}", "P38"))
    rows.append(("0:05:41.0 - 0:05:50.0", "They are never free on a Friday.", ""))
    return rows


def test_a_transcript_printed_from_a_table_is_read_from_its_cells(tmp_path):
    # NVivo Transcription's Word export printed to PDF: read line by line, its cells interleave
    # ("0:00:09.2 - 0:00:31.5 he had been drinking"); read as a table, every row is a turn.
    pdf = make_table_pdf(tmp_path / "P38.pdf", NVIVO_HEADER, _nvivo_rows())
    transcript = parse_transcript(pdf)
    rows = _nvivo_rows()
    assert [(s.speaker, s.role, s.text) for s in transcript.segments] == [
        (speaker, "interviewer" if speaker == "Interviewer" else "participant", text)
        for _, text, speaker in rows[:-2]
    ] + [("P38", "participant", f"{rows[-2][1]}\n\n{rows[-1][1]}")]
    assert [s.start_time for s in transcript.segments][:3] == [0.0, 6.5, 27.5]
    pages = [s.page for s in transcript.segments]
    assert pages[0] == 1 and pages[-1] == 2 and pages == sorted(pages)  # the header repeats on page 2
    assert transcript.warnings == ()


def test_the_pii_refusal_of_a_table_transcript_names_the_page_and_line(runner, tmp_path, db_path):
    pdf = make_table_pdf(tmp_path / "P38.pdf", NVIVO_HEADER, _nvivo_rows(phone=" Call 555-201-3344."))
    result = runner.invoke(app, ["ingest", str(pdf), "--db", str(db_path)])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: {pdf}: likely identifiers at page:line 2:") and "(phone)" in first
    assert open_db(db_path).execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0
    # deid scan points where the gate does, and deid redact writes the turns, which ingest reads back.
    where = first.split("page:line ")[1].split(" ")[0]
    scan = runner.invoke(app, ["deid", "scan", str(pdf)])
    assert scan.exit_code == 3 and scan.stdout.startswith(f"{pdf}:{where}:")
    out = tmp_path / "P38.txt"
    assert runner.invoke(app, ["deid", "redact", str(pdf), "-o", str(out)]).exit_code == 0
    redacted = out.read_text(encoding="utf-8")
    assert redacted.startswith("Interviewer: Question 1: how do crisis calls")
    assert "One more thing about the beds. Call [PHONE-1]." in redacted and "555-201" not in redacted
    assert [s.speaker for s in parse_transcript(out).segments] == ["Interviewer", "P38"] * 13


POLICY = [
    (
        "Crisis Stabilization Unit Admission Policy (fictional)",
        [
            "4.1 Admission criteria. A person may be",
            "admitted to the unit when they are",
            "eighteen or older and in crisis.",
            "",
            "4.2 Exclusion criteria. The unit does",
            "not admit a person who is intoxicated",
            "or who needs medical clearance.",
        ],
        [
            "4.3 Law enforcement drop-off. Officers",
            "may bring a person to the unit at any",
            "hour; the intake nurse decides within",
            "thirty minutes.",
            "",
            "4.4 Transport. The unit arranges",
            "transport home after",  # the section goes on at the top of page 2, left column
        ],
    ),
    (
        None,
        [
            "discharge, or calls the co-responder",
            "team when the person has no home.",
            "",
            "4.5 Review. The director reviews",
            "every refusal within a week.",
        ],
        ["4.6 Records. The unit keeps a log", "of every admission and refusal."],
    ),
]


def test_two_columns_are_read_left_then_right_under_a_title_across_them(tmp_path):
    pdf = make_column_pdf(tmp_path / "A_policy.pdf", POLICY, footer="Page {page} of {pages}")
    text = read_pdf_text(pdf, pdf.read_bytes())
    assert text.columns == {1: 2, 2: 2}
    assert text.removed == 2  # the footers
    assert [" ".join(line.text for line in p) for p in text.paragraphs] == [
        "Crisis Stabilization Unit Admission Policy (fictional)",
        (
            "4.1 Admission criteria. A person may be admitted to the unit when they are eighteen or older and in "
            "crisis."
        ),
        (
            "4.2 Exclusion criteria. The unit does not admit a person who is intoxicated or who needs medical "
            "clearance."
        ),
        # A column break after a full sentence, before a numbered section: a new paragraph.
        (
            "4.3 Law enforcement drop-off. Officers may bring a person to the unit at any hour; the intake nurse "
            "decides within thirty minutes."
        ),
        # A section that runs on across the page break, into the left column of page 2.
        (
            "4.4 Transport. The unit arranges transport home after discharge, or calls the co-responder team "
            "when the person has no home."
        ),
        "4.5 Review. The director reviews every refusal within a week.",
        "4.6 Records. The unit keeps a log of every admission and refusal.",
    ]
    # Lines are counted in reading order: the title, the left column's six lines, then the right column.
    assert text.paragraphs[3][0].where == "1:8"


def test_a_turn_runs_on_from_the_left_column_into_the_right(tmp_path):
    pdf = make_column_pdf(
        tmp_path / "P35.pdf",
        [
            (
                None,
                [
                    "Interviewer: How do calls reach the",
                    "stabilization unit in your county?",
                    "",
                    "P35: Mostly through dispatch. They",
                    "turned one man away last month",
                ],
                ["because he had been drinking, so we", "waited at the emergency department."],
            )
        ],
    )
    transcript = parse_transcript(pdf)
    assert [(s.speaker, s.text) for s in transcript.segments] == [
        ("Interviewer", "How do calls reach the stabilization unit in your county?"),
        (
            "P35",
            (
                "Mostly through dispatch. They turned one man away last month because he had been drinking, so "
                "we waited at the emergency department."
            ),
        ),
    ]
    assert [(w.kind, w.message) for w in transcript.warnings if w.kind == "two_columns"] == [
        (
            "two_columns",
            (
                "P35: page 1 was read as two columns, the left column before the right. Check the reading order "
                f'with "wei-qual ingest --dry-run {pdf}".'
            ),
        )
    ]


def test_a_table_of_labels_beside_their_values_is_read_row_by_row(tmp_path):
    # Two blocks of text side by side across a wide gap, but the left one is short labels: a table.
    labels = ["Phone", "Hours", "Intake", "Director", "Fax"]
    values = [
        "555-0100, answered by the intake nurse",
        "Every day and night, all year round",
        "Within thirty minutes of arrival",
        "Dr. Example, reviews every refusal",
        "555-0101, for referral letters only",
    ]
    pdf = make_column_pdf(tmp_path / "contacts.pdf", [(None, labels, values)])
    read = extract_pages(pdf, pdf.read_bytes())
    pages, columns = read.lines, read.columns
    assert columns == {}
    assert [line.text for line in pages[0]] == [f"{label} {value}" for label, value in zip(labels, values)]


def test_three_columns_are_read_across_as_before_and_said_to_mix(tmp_path):
    # Three columns (a newsletter): no reading order is guessed, and the warning says the text is mixed.
    first = ["Interviewer: How do calls", "reach the unit at night?"]
    second = ["P37: Through dispatch,", "mostly after ten."]
    third = ["Interviewer: And then?", "P37: We wait."]
    pdf = make_column_pdf(tmp_path / "P37.pdf", [(None, first, second, third)])
    read = extract_pages(pdf, pdf.read_bytes())
    pages, columns = read.lines, read.columns
    assert columns == {1: 3}
    assert [line.text for line in pages[0]] == [
        "Interviewer: How do calls P37: Through dispatch, Interviewer: And then?",
        "reach the unit at night? mostly after ten. P37: We wait.",
    ]
    assert [(w.kind, w.message) for w in parse_transcript(pdf).warnings if w.kind == "columns_mixed"] == [
        (
            "columns_mixed",
            (
                "P37: page 1 is set in more than two columns, whose lines are read straight across them, mixing "
                "their text. Export the text in reading order (.txt or .docx) and ingest that."
            ),
        )
    ]


def test_a_speaker_time_text_table_without_rules_is_read_as_turns_and_not_said_to_mix(tmp_path):
    # A transcription service's Word table with its borders taken off (Speaker | Time | Text), printed
    # to PDF: its rows were read right, straight across, but each page was said to be "set in more
    # than two columns ... mixing their text", a false alarm sending the team to export it again. Its
    # columns are a table's, not the page's; three columns of prose are still said to mix (above).
    from fpdf import FPDF

    turns = [
        ("Interviewer", "00:00:05", ["How do crisis calls reach the stabilization unit in your county?"]),
        ("P36", "00:00:12", ["Mostly through dispatch. The unit turned one man away last", "month."]),
        ("Interviewer", "00:00:31", ["And what happens after that, when the unit says no?"]),
        ("P36", "00:00:40", ["We take him home, or to jail if there is a charge."]),
        ("Interviewer", "00:01:02", ["Does the co-responder team help?"]),
        ("P36", "00:01:09", ["On its shifts, yes. Most nights."]),
    ]
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 20
    for speaker, time, lines in turns:
        pdf.set_xy(10, y)
        pdf.cell(28, 5, speaker)
        pdf.set_xy(40, y)
        pdf.cell(20, 5, time)
        for line in lines:
            pdf.set_xy(65, y)
            pdf.cell(135, 5, line)
            y += 5
        y += 3
    path = tmp_path / "P36.pdf"
    pdf.output(str(path))
    assert extract_pages(path, path.read_bytes()).columns == {1: 3}  # as the page's lines are set
    parsed = parse_transcript(path)
    assert [(s.speaker, s.start_time, s.text) for s in parsed.segments][:2] == [
        ("Interviewer", 5.0, "How do crisis calls reach the stabilization unit in your county?"),
        ("P36", 12.0, "Mostly through dispatch. The unit turned one man away last month."),
    ]
    assert len(parsed.segments) == 6
    assert not [w for w in parsed.warnings if w.kind in ("columns_mixed", "two_columns")]


def test_a_transcript_set_as_a_table_of_speakers_beside_their_words_reads_as_turns(tmp_path):
    # As some transcription services lay out a PDF: the speaker in a narrow column, the words beside it,
    # no rules. Read row by row (not as two columns), each speaker followed by a gap.
    from fpdf import FPDF

    turns = [
        ("Interviewer", ["How do crisis calls reach the stabilization unit in your county?"]),
        (
            "P36",
            [
                "Mostly through dispatch. The unit turned one man away last month",
                "because he had been drinking.",
            ],
        ),
        ("Interviewer", ["And what happens after that, when the unit says no?"]),
        (
            "Sgt Rivera",
            [
                "We take him home, or to jail if there is a charge. The co-responder",
                "team helps on its shifts.",
            ],
        ),
        ("P36", ["That matches what I see."]),
        ("Sgt Rivera", ["Most nights, yes."]),
    ]
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    y = 20
    for speaker, lines in turns:
        pdf.set_xy(10, y)
        pdf.cell(30, 5, speaker)
        for line in lines:
            pdf.set_xy(60, y)
            pdf.cell(140, 5, line)
            y += 5
        y += 3
    path = tmp_path / "P36.pdf"
    pdf.output(str(path))
    read = extract_pages(path, path.read_bytes())
    assert read.columns == {}
    assert [line.text for line in read.lines[0]][:3] == [
        "Interviewer How do crisis calls reach the stabilization unit in your county?",
        "P36 Mostly through dispatch. The unit turned one man away last month",
        "because he had been drinking.",
    ]
    assert [line.label for line in read.lines[0]][:3] == ["Interviewer", "P36", None]
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Interviewer", "interviewer", "How do crisis calls reach the stabilization unit in your county?"),
        (
            "P36",
            "participant",
            "Mostly through dispatch. The unit turned one man away last month because he had been drinking.",
        ),
        ("Interviewer", "interviewer", "And what happens after that, when the unit says no?"),
        (
            "Sgt Rivera",
            "participant",
            "We take him home, or to jail if there is a charge. The co-responder team helps on its shifts.",
        ),
        ("P36", "participant", "That matches what I see."),
        ("Sgt Rivera", "participant", "Most nights, yes."),
    ]
    assert t.warnings == ()


def test_line_numbers_in_the_margin_are_not_text(tmp_path):
    # Word's line numbering printed to PDF: a number in the margin beside every line of text.

    lines = [
        "Interviewer: How do crisis calls reach the unit?",
        "P39: Mostly through dispatch, late at night, and the deputies",
        "wait with him until the clinician comes.",
        "Interviewer: How long?",
        "P39: An hour.",
    ]
    rows = [(str(n), line) for n, line in enumerate(lines, start=1)]
    t = parse_transcript(make_side_by_side_pdf(tmp_path / "P39.pdf", rows, left=8, right=25, step=6))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How do crisis calls reach the unit?"),
        (
            "P39",
            "Mostly through dispatch, late at night, and the deputies wait with him until the clinician comes.",
        ),
        ("Interviewer", "How long?"),
        ("P39", "An hour."),
    ]


def test_a_wide_gap_after_a_word_that_is_no_label_is_a_space(tmp_path):
    # A one-off "Note" set apart from its text is no speaker (labels that are not known forms must
    # recur): its gap reads as a space in the text.
    rows = [
        ("Interviewer:", "How long is the wait?"),
        ("P38:", "About an hour."),
        ("Note", "the tape ran out here."),
    ]
    t = parse_transcript(make_side_by_side_pdf(tmp_path / "P38.pdf", rows, left=10, right=60, step=8))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long is the wait?"),
        ("P38", "About an hour. Note the tape ran out here."),
    ]


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("7", True),
        ("Page 7", True),
        ("page 7 of 12", True),
        ("7 / 12", True),
        ("- 7 -", True),
        ("p. 7", True),
        ("vii", True),
        ("xiv", True),
        ("Civil", False),
        ("I", False),
        ("Interviewer: 7", False),
        ("Chapter 7", False),
    ],
)
def test_what_counts_as_a_page_number(line, number):
    from wei_qual.ingest.pages import PAGE_NUMBER

    assert bool(PAGE_NUMBER.fullmatch(line)) is number


def test_a_running_head_that_reads_as_a_label_is_a_head(tmp_path):
    # "Interviewer: Dana Whitfield" in 9 point over every page was kept as a turn, and took the
    # participant's words that ran on from the page before.
    pages = [
        [
            "Interviewer: How do calls reach you?",
            "",
            "P41: Through dispatch, and then we wait for the clinician,",
        ],
        ["which can take an hour at night.", "", "Interviewer: And then?", "", "P41: The ER."],
    ]
    t = parse_transcript(make_pdf(tmp_path / "P41.pdf", pages, header="Interviewer: Dana Whitfield"))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How do calls reach you?"),
        ("P41", "Through dispatch, and then we wait for the clinician, which can take an hour at night."),
        ("Interviewer", "And then?"),
        ("P41", "The ER."),
    ]


def test_a_short_turn_opening_line_numbered_pages_stays_a_turn(tmp_path):
    # "6 Interviewer: Okay." opening pages 2 and 3: the line number hid the label, so both were taken for
    # running heads, the gaps in the numbering then kept every line number in the text.
    texts = [
        ["Interviewer: Tell me about the first call.", "P42: A man on a bridge railing."],
        ["Interviewer: Okay.", "P42: We drove him to the crisis centre ourselves."],
        ["Interviewer: Okay.", "P42: Then the sergeant sent us to every call."],
    ]
    number, pages = 0, []
    for page in texts:
        rows = []
        for line in page:
            number += 1
            rows.append(f"{number} {line}")
        pages.append(rows)
    t = parse_transcript(make_pdf(tmp_path / "P42.pdf", pages))
    assert [(s.speaker, s.text) for s in t.segments] == [
        (speaker, text) for page in texts for speaker, _, text in (line.partition(": ") for line in page)
    ]


# Dana Whitfield asks, Marcus Bell answers; each page but the first opens with his answer, as a page break
# falls where it falls.
QUESTIONS = [
    "Thanks for joining. Can you tell me what your unit does?",
    "How do calls reach you at night?",
    "What happens when the crisis stabilization unit is full?",
    "How long do you wait there?",
    "Has the co-responder pilot changed that?",
    "Thank you, that's everything.",
]
ANSWERS = [
    ("We are the night shift co-responder unit for the east district, two deputies", "and one clinician."),
    ("Dispatch flags them when the caller mentions a crisis, and then we decide", "on the way in."),
    ("Then it is the emergency room, and we sit there with him until a doctor", "sees him."),
    ("Hours, sometimes the whole shift, and the district has no car while we do.", "Nobody covers us."),
    ("On weekdays the clinician rides with us, so we divert more calls, not at", "night though."),
]
OTTER_TITLE = [
    "P74 follow-up interview (fictional)",
    "Tue, 3/12 10:03AM \u2022 24:10",
    "",
    "SUMMARY KEYWORDS",
    "co-responder, dispatch, night shift, emergency room",
    "",
    "SPEAKERS",
    "Dana Whitfield, Marcus Bell",
    "",
]


def _otter_label(name: str, seconds: int) -> str:
    return f"~ {name}  {seconds // 60:02d}:{seconds % 60:02d}"  # in 9 point over the text, as Otter sets it


def _name_label(name: str, seconds: int) -> str:
    return name


def _interview(label, pages: int, title: list[str] = ()) -> list[list[str]]:
    """The interview on `pages` pages (up to five): the first with a question, an answer and the next
    question, each later page with an answer (its speaker's label line first) and a question."""
    out = [[*title, label("Dana Whitfield", 13), QUESTIONS[0], ""]]
    for n in range(pages):
        if n:
            out.append([])
        last = n == pages - 1
        out[-1] += [label("Marcus Bell", 60 + 120 * n), *ANSWERS[n], ""]
        out[-1] += [label("Dana Whitfield", 110 + 120 * n), QUESTIONS[-1 if last else n + 1]]
    return out


def _turns(pages: int, timed: bool) -> list[tuple]:
    out = [("Dana Whitfield", "interviewer", 13.0 if timed else None, QUESTIONS[0])]
    for n in range(pages):
        out.append(("Marcus Bell", "participant", 60.0 + 120 * n if timed else None, " ".join(ANSWERS[n])))
        question = QUESTIONS[-1 if n == pages - 1 else n + 1]
        out.append(("Dana Whitfield", "interviewer", 110.0 + 120 * n if timed else None, question))
    return out


@pytest.mark.parametrize(
    ("label", "pages", "title", "footer", "kept"),
    [
        # Otter's PDF export: `Marcus Bell  02:00` in its type over pages 2..5 (four in five) was taken for
        # a running head, and his answers went to Dana Whitfield.
        (_otter_label, 5, OTTER_TITLE, "Transcribed by https://otter.ai", None),
        # His name alone over the answers that open pages 2..4, then 2..5: the same. On four pages of five
        # it is placed as a header with a different first page is: kept, and said.
        (_name_label, 4, ["Crisis Response Study - Interview P74", ""], None, None),
        (_name_label, 5, ["Crisis Response Study - Interview P74", ""], None, "2:1, 3:1, 4:1, 5:1"),
    ],
)
def test_a_speakers_label_that_opens_pages_is_a_turn_not_a_running_head(
    tmp_path, label, pages, title, footer, kept
):
    pdf = make_pdf(tmp_path / "P74.pdf", _interview(label, pages, title), footer=footer)
    t = parse_transcript(pdf)
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == _turns(
        pages, label is _otter_label
    )
    assert [s.page for s in t.segments if s.speaker == "Marcus Bell"] == list(range(1, pages + 1))
    assert [(w.kind, w.message) for w in t.warnings] == (
        [
            (
                "page_heads",
                (
                    f"P74: page:lines {kept} open or close every page as a page header or footer would, but read "
                    "as speaker labels used elsewhere in the file, so they were kept as turns. If they are page "
                    f'headers, delete them from the file and ingest it again; "wei-qual ingest --dry-run {pdf}" '
                    "shows how it is read."
                ),
            )
        ]
        if kept
        else []
    )


def test_a_running_header_and_footer_go_and_the_labels_under_them_stay(tmp_path):
    # A header with the study and the date over every page, `Confidential - Page 2 of 4` under it, and
    # Marcus Bell's name over the answer that opens pages 2..4, under the header: it was left out with it.
    pdf = make_pdf(
        tmp_path / "P76.pdf",
        _interview(_name_label, 4),
        header="Crisis Response Study - Interview P76 - 12 March 2024",
        footer="Confidential - Page {page} of {pages}",
    )
    t = parse_transcript(pdf)
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == _turns(4, False)
    assert t.warnings == ()
    heads, kept = running_lines(extract_pages(pdf, pdf.read_bytes()).lines)
    assert (sorted(heads), kept) == ([(1, 1), (1, 9), (2, 1), (2, 7), (3, 1), (3, 7), (4, 1), (4, 7)], [])


@pytest.mark.parametrize(
    ("head", "header"),
    [
        ("Crisis Study: Transcript", False),  # set as the text is, at the top of each page
        ("Crisis Study: Transcript", True),  # in a header's 9 point
        ("Recorded 14 March 2024 10:00", False),  # the same time on every page is no turn's
        ("Recorded 14 March 2024 10:00", True),
    ],
)
def test_a_running_head_that_reads_as_a_name_label_is_still_a_head(tmp_path, head, header):
    # Kept, the head opened a turn of its own over the rest of the answer the page break cut.
    turns = [
        ("Dana Whitfield", "How do calls reach you at night?"),
        (
            "Marcus Bell",
            "Dispatch flags them when the caller mentions a crisis, and then we decide on the way in.",
        ),
        ("Dana Whitfield", "And when the unit is full?"),
        ("Marcus Bell", "The emergency room, and we sit there with him until a doctor sees him."),
        ("Dana Whitfield", "Thank you, that's everything."),
        ("Marcus Bell", "Sure."),
    ]
    pages = [
        [
            "Dana Whitfield: How do calls reach you at night?",
            "",
            "Marcus Bell: Dispatch flags them when the caller mentions a crisis, and then",
        ],
        [
            "we decide on the way in.",
            "",
            "Dana Whitfield: And when the unit is full?",
            "",
            "Marcus Bell: The emergency room, and we sit there with him until",
        ],
        ["a doctor sees him.", "", "Dana Whitfield: Thank you, that's everything.", "", "Marcus Bell: Sure."],
    ]
    if not header:
        pages = [[head, "", *page] for page in pages]
    pdf = make_pdf(tmp_path / "P77.pdf", pages, header=head if header else None)
    t = parse_transcript(pdf)
    assert [(s.speaker, s.text) for s in t.segments] == turns
    assert t.warnings == ()


def test_line_numbers_counted_by_five_are_not_text(tmp_path):
    # Word's line numbering with "Count by: 5": a number beside every fifth line, counting the lines between.
    lines = [
        "Interviewer: How do crisis calls reach the unit at night?",
        "P43: Mostly through dispatch, and the deputies",
        "wait with him until the clinician comes, which",
        "can take an hour out here.",
        "Interviewer: And then?",
        "P43: The stabilization unit, if it has a bed,",
        "and the ER if it does not.",
        "Interviewer: How often does it have one?",
        "P43: Maybe half the nights. Less on weekends,",
        "when everyone is out.",
        "Interviewer: What changed when the co-responder pilot began?",
        "P43: The clinician rides with us on weekdays,",
        "so we divert more calls, not at night though.",
        "Interviewer: And the rural part of the county?",
        "P43: Nothing changed there. Still two of us",
        "for the whole east end, most shifts.",
        "Interviewer: Thank you.",
        "P43: Sure.",
    ]
    numbered = [f"{n} {line}" if n % 5 == 0 else line for n, line in enumerate(lines, start=1)]
    t = parse_transcript(make_pdf(tmp_path / "P43.pdf", [numbered[:9], numbered[9:]]))
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How do crisis calls reach the unit at night?"),
        (
            "P43",
            "Mostly through dispatch, and the deputies wait with him until the clinician comes, which can take an hour out here.",
        ),
        ("Interviewer", "And then?"),
        ("P43", "The stabilization unit, if it has a bed, and the ER if it does not."),
        ("Interviewer", "How often does it have one?"),
        ("P43", "Maybe half the nights. Less on weekends, when everyone is out."),
        ("Interviewer", "What changed when the co-responder pilot began?"),
        ("P43", "The clinician rides with us on weekdays, so we divert more calls, not at night though."),
        ("Interviewer", "And the rural part of the county?"),
        ("P43", "Nothing changed there. Still two of us for the whole east end, most shifts."),
        ("Interviewer", "Thank you."),
        ("P43", "Sure."),
    ]


@pytest.mark.parametrize("v_align", ["TOP", "MIDDLE"])
def test_a_cover_table_printed_to_pdf_is_no_turns(tmp_path, v_align):
    # A Word cover table printed to PDF reads as `Interview ID<tab>P07` lines (its cells far apart), with
    # no colon: "Interviewer<tab>Maya Lindqvist (ML)" was an interviewer's turn, the other rows one
    # review segment, and ML, who asks the questions, a participant. A value over two lines and an
    # empty cell broke the rows apart, or (set in the middle of its cell) came before its key.
    from _pdfs import make_cover_table_pdf

    from wei_qual.ingest.pdf import read_pdf

    cover = [
        ("Interview ID", "P07"),
        ("Date", "12 March 2024"),
        ("Interviewer", "Maya Lindqvist (ML)"),
        ("Co-interviewer", ""),
        ("Interviewee", "KP44 – Patrol Officer, eleven years, three on the co-responder car"),
        ("Location", "Zoom (video)"),
        (
            "Notes",
            "Joined from a patrol car during a meal break; the recording paused once for a radio call.",
        ),
    ]
    turns = [
        "ML: Thanks for making time today. Can you tell me about your role?",
        "KP44: I've been a patrol officer for eleven years, three on the co-responder car.",
        "ML: What does a crisis call look like now?",
        "KP44: Mostly welfare checks at night.",
    ]
    path = make_cover_table_pdf(
        tmp_path / "P07.pdf", "Crisis Pathways Study - Interview Transcript", cover, turns, v_align=v_align
    )
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        (
            turn.split(": ")[0],
            "interviewer" if turn.startswith("ML") else "participant",
            turn.split(": ", 1)[1],
        )
        for turn in turns
    ]
    assert [(s.label, s.reason) for s in t.speakers] == [
        ("ML", "named as interviewer on the cover sheet"),
        ("KP44", "named as participant on the cover sheet"),
    ]
    assert t.roles == "inferred"
    assert t.attributes == {"title": "Crisis Pathways Study - Interview Transcript", "date": "12 March 2024"}
    assert [w.kind for w in t.warnings] == ["left_out"]
    assert t.warnings[0].message.startswith(
        "P07: page:lines 1:2, 1:3, 1:4, 1:5, 1:6 and 2 more left out: read as a cover sheet over the transcript"
    )
    # The gate scans the cover as the PDF holds it: its names are found where they are.
    source = read_pdf(path, path.read_bytes())
    assert "Maya Lindqvist" in source.scan_text and "meal break" in source.scan_text


def test_a_cover_table_without_rules_printed_to_pdf_is_no_turns(tmp_path):
    # With its rules hidden, the table is read line by line: a row is its key, a tab (the gap between
    # the cells) and its value; an empty cell leaves the key alone on its line.
    from _pdfs import make_cover_table_pdf

    cover = [
        ("Interview ID", "P07"),
        ("Date", "12 March 2024"),
        ("Interviewer", "Maya Lindqvist (ML)"),
        ("Observer", ""),
        ("Interviewee", "KP44"),
        ("Start", "10:05"),
    ]
    turns = [
        "ML: Thanks for making time today. Can you tell me about your role?",
        "KP44: Patrol, eleven years.",
        "ML: What does a crisis call look like now?",
        "KP44: Mostly welfare checks at night.",
    ]
    path = make_cover_table_pdf(tmp_path / "P07.pdf", "Interview Transcript", cover, turns, ruled=False)
    lines, _ = read_pdf_text(path, path.read_bytes()).lines(labels=True)
    assert lines[2:8] == [
        "Interview ID\tP07",
        "Date\t12 March 2024",
        "Interviewer\tMaya Lindqvist (ML)",
        "Observer",
        "Interviewee\tKP44",
        "Start\t10:05",
    ]
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [("ML", "interviewer"), ("KP44", "participant")] * 2
    assert [w.kind for w in t.warnings] == ["left_out"]
    assert t.warnings[0].message.startswith("P07: page:lines 1:2, 1:3, 1:4, 1:5, 1:6 and 1 more left out")


def test_otters_header_printed_without_its_bullet_is_metadata(tmp_path):
    # Printed to PDF, Otter's `Thu, 3/14 2:03PM • 48:12` may lose its bullet: the title and date line
    # were one `review` segment, and the transcript's roles `review`.
    pdf = make_pdf(
        tmp_path / "P11.pdf",
        [
            [
                "P11 co-responder interview",
                "Thu, 3/14 2:03PM  48:12",
                "",
                "~ Dana Whitfield  00:13",
                "",
                "Thanks for making the time today. How do crisis calls usually reach you?",
                "",
                "~ Marcus Bell  00:34",
                "",
                "Mostly through dispatch. Sometimes the crisis line transfers a call over to us.",
                "",
                "~ Dana Whitfield  01:25",
                "",
                "And what happens at the emergency department?",
                "",
                "~ Marcus Bell  01:38",
                "",
                "We wait. Two hours is a good night, four is normal.",
            ]
        ],
        footer="Transcribed by https://otter.ai",
    )
    t = parse_transcript(pdf)
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 13.0),
        ("Marcus Bell", "participant", 34.0),
        ("Dana Whitfield", "interviewer", 85.0),
        ("Marcus Bell", "participant", 98.0),
    ]
    assert t.attributes == {"title": "P11 co-responder interview", "date": "Thu, 3/14 2:03PM"}
    assert t.warnings == ()


# A turn over a page break is on both pages: found by reading a PDF transcript whose answer went on onto
# the next page and was shown, and cited, with the page it starts on alone.


def test_a_turn_over_a_page_break_is_on_both_pages_and_its_words_on_their_own(p21):
    t = parse_transcript(p21)
    answer = t.segments[1]
    turn = answer.text.index("department")
    assert (answer.page, answer.end_page) == (1, 2)
    assert answer.page_spans == ((0, turn, 1, 1), (turn, len(answer.text), 2, 2))
    # On one page: the page is the end page, and no stretches are kept.
    assert [(s.page, s.end_page, s.page_spans) for s in t.segments[2:4]] == [(2, 2, None), (2, 2, None)]


def test_show_retrieve_and_an_excerpt_cite_a_turn_over_a_page_break_with_its_pages(runner, db_path, p21):
    from wei_qual.models import Decision, Excerpt
    from wei_qual.store.decisions import save_decision

    invoke = lambda *args: runner.invoke(app, [*args, "--db", str(db_path)], catch_exceptions=False)
    assert invoke("ingest", str(p21)).exit_code == 0
    assert invoke("codebook", "load", str(CODEBOOK)).exit_code == 0
    shown = json.loads(invoke("transcripts", "show", "P21", "--format", "json").stdout)
    assert [(s["n"], s["page"], s["end_page"]) for s in shown["segments"]] == [
        (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, 2, 2), (5, 3, 3), (6, 3, 3)
    ]  # fmt: skip
    table = invoke("transcripts", "show", "P21", "--no-pager", "--wide").stdout
    assert [line.split()[:5] for line in table.splitlines() if line.lstrip().startswith("2 ")] == [
        ["2", "P21", "participant", "1–2", "Mostly"]
    ]
    text = parse_transcript(p21).segments[1].text
    db = open_db(db_path)
    for coder, words in (("alice", "the early morning"), ("bob", "turned one man away")):
        at = text.index(words)
        save_decision(
            db,
            Decision(
                "P21",
                2,
                coder,
                frozenset({"csu-refusal"}),
                excerpts=(Excerpt("csu-refusal", at, at + len(words)),),
            ),
        )
    db.close()
    alice = invoke("retrieve", "csu-refusal", "--source", "alice", "--format", "md").stdout
    assert "P21 segment 2, P21 (participant), page 2 (the excerpt; the turn is on pages 1–2)" in alice
    found = json.loads(invoke("retrieve", "csu-refusal", "--source", "bob", "--format", "json").stdout)
    hit = found["hits"][0]
    assert (hit["page"], hit["end_page"]) == (1, 2)
    assert [(e["page"], e["end_page"]) for e in hit["excerpts"]] == [(1, 1)]
    bob = invoke("retrieve", "csu-refusal", "--source", "bob", "--format", "csv").stdout
    assert ",1–2," in bob.splitlines()[1]


def test_report_quotes_cite_a_pdf_turn_by_its_pages_as_retrieve_does(runner, db_path, p21, tmp_path):
    # A quote from a PDF transcript was cited "P21:2" in the quotes table, Markdown, HTML and JSON, where
    # retrieve gave its page: a paper citing it had to look the page up by hand.
    from wei_qual.models import Decision, Excerpt
    from wei_qual.store.decisions import save_decision

    invoke = lambda *args: runner.invoke(app, [*map(str, args), "--db", str(db_path)], catch_exceptions=False)
    assert invoke("ingest", p21).exit_code == 0
    assert invoke("codebook", "load", CODEBOOK).exit_code == 0
    text = parse_transcript(p21).segments[1].text
    at = text.index("the early morning")
    db = open_db(db_path)
    for coder, marks in (("alice", (Excerpt("csu-refusal", at, at + 17),)), ("bob", ())):
        save_decision(db, Decision("P21", 2, coder, frozenset({"csu-refusal"}), excerpts=marks))
    save_decision(db, Decision("P21", 4, "bob", frozenset({"co-responder"})))
    db.close()

    def quotes(source: str, fmt: str, *more) -> str:
        codes = ("--code", "csu-refusal", "--code", "co-responder")  # not their themes too
        done = invoke("report", "quotes", *codes, "--source", source, "--format", fmt, *more)
        assert done.exit_code == 0, done.stderr
        return done.stdout

    # The whole turn runs from page 1 onto page 2; the excerpt's words are on page 2 alone; P21:4 on page 2.
    bob = json.loads(quotes("bob", "json"))["quotes"]
    assert [(q["cite"], q["page"], q["end_page"]) for q in bob] == [
        ("P21:2, pp. 1–2", 1, 2),
        ("P21:4, p. 2", 2, 2),
    ]
    alice = json.loads(quotes("alice", "json"))["quotes"]
    assert [(q["cite"], q["text"], q["page"], q["end_page"]) for q in alice] == [
        ("P21:2, p. 2", "the early morning", 2, 2)
    ]  # co-responder: alice applied it nowhere
    assert "| P21 | P21:2, pp. 1–2 |\n" in quotes("bob", "md")
    assert "P21:2, p. 2" in quotes("alice", "table", "--wide")
    rows = list(csv.DictReader(io.StringIO(quotes("bob", "csv"))))
    assert [(r["segment"], r["pages"], r["time"]) for r in rows] == [("2", "1–2", ""), ("4", "2", "")]
    page = tmp_path / "report.html"
    assert invoke("report", "html", "--source", "alice", "-o", page).exit_code == 0
    quoted = page.read_text()[page.read_text().index('<section id="quotes">') :]
    assert '<td class="quote">the early morning</td><td>P21</td><td>P21:2, p. 2 (excerpt)</td>' in quoted


def test_a_table_row_that_goes_on_at_the_top_of_the_next_page_is_the_turn_before(tmp_path):
    # A transcript printed from a Word table: a row of the answer that moved to the next page, its speaker
    # cell empty under the header repeated there, was read as a turn of no one (role review, page 2), and
    # the answer it goes on with as on page 1 alone.
    rows = _nvivo_rows()
    more = (
        "And the follow-up after that was the hardest part, because nobody calls back once the unit has "
        "discharged the person, and we are the ones who meet them again on the street a week later."
    )
    rows.insert(18, ("0:09:00.0 - 0:09:10.0", more, ""))  # too tall for what is left of page 1
    transcript = parse_transcript(make_table_pdf(tmp_path / "P39.pdf", NVIVO_HEADER, rows))
    answer = transcript.segments[17]
    assert (answer.speaker, answer.role, answer.page, answer.end_page) == ("P38", "participant", 1, 2)
    assert answer.text == f"{rows[17][1]}\n\n{more}"
    assert answer.page_spans == (
        (0, len(rows[17][1]) + 2, 1, 1),
        (len(rows[17][1]) + 2, len(answer.text), 2, 2),
    )
    assert all(s.speaker for s in transcript.segments) and transcript.roles == "inferred"


def test_an_otter_label_that_closes_a_page_puts_its_turn_on_the_page_of_its_words(tmp_path):
    # Otter sets `Name  0:14` on a line of its own over the turn: when it is the last line of a page, the
    # turn's words are all on the next page, and the turn was cited with the label's page.
    pages = [
        [
            "~ Dana Whitfield  0:04",
            "How do calls reach the crisis unit in your county?",
            "",
            "~ Marcus Bell  0:09",
        ],
        [
            "Mostly through dispatch, and then we wait at the emergency department until the",
            "morning.",
            "",
            "~ Dana Whitfield  0:31",
            "And after that?",
        ],
    ]
    t = parse_transcript(make_pdf(tmp_path / "KP92.pdf", pages, footer="Transcribed by https://otter.ai"))
    assert [(s.speaker, s.page, s.end_page, s.page_spans) for s in t.segments] == [
        ("Dana Whitfield", 1, 1, None),
        ("Marcus Bell", 2, 2, None),
        ("Dana Whitfield", 2, 2, None),
    ]


# Otter's PDF export of a long answer that an unnamed "Yeah." splits and that goes on onto the next page:
# the two halves are one turn (roles.fold_back_channels), joined after the reader gave each half its pages,
# and the turn was cited with its first half's page alone (page 1, its page-2 words quoted as on page 1).
KP93_PAGES = [
    [
        "~ Dana Whitfield  0:04",
        "Thanks for doing this. How do crisis calls usually reach you on a night shift?",
        "",
        "~ Marcus Bell  0:11",
        "Mostly through dispatch. Sometimes a deputy calls my cell directly because they know me,",
        "and honestly that is faster than waiting for the radio to clear.",
        "",
        "~ Unknown Speaker  0:40",
        "Yeah.",
        "",
        "~ Marcus Bell  0:41",
        "Then we drive out, and the clinician talks to the person while I talk to the deputy about",
    ],
    [
        "whether there is a charge. If there is no charge we try the crisis unit first, and if the unit",
        "is full we end up at the emergency department until the early morning.",
        "",
        "~ Dana Whitfield  1:30",
        "What happens at the emergency department?",
        "",
        "~ Marcus Bell  1:36",
        "We wait. Two hours is a good night, four is normal.",
    ],
]


def test_an_answer_a_back_channel_split_over_a_page_break_is_on_both_pages_and_quoted_by_its_words(
    runner, db_path, tmp_path
):
    from wei_qual.models import Decision, Excerpt
    from wei_qual.store.decisions import save_decision

    pdf = make_pdf(tmp_path / "KP93.pdf", KP93_PAGES, footer="Transcribed by https://otter.ai")
    t = parse_transcript(pdf)
    answer = t.segments[1]
    assert (answer.speaker, answer.page, answer.end_page) == ("Marcus Bell", 1, 2)
    assert "Unknown Speaker: Yeah." in answer.text
    turn = answer.text.index("whether there is a charge")
    assert answer.page_spans == ((0, turn, 1, 1), (turn, len(answer.text), 2, 2))
    invoke = lambda *args: runner.invoke(app, [*args, "--db", str(db_path)], catch_exceptions=False)
    assert invoke("ingest", str(pdf), "--allow-pii").exit_code == 0
    assert invoke("codebook", "load", str(CODEBOOK)).exit_code == 0
    db = open_db(db_path)
    for coder, words in (
        ("alice", "emergency department until the early morning"),
        ("bob", "radio to clear"),
    ):
        at = answer.text.index(words)
        excerpt = Excerpt("csu-refusal", at, at + len(words))
        save_decision(db, Decision("KP93", 2, coder, frozenset({"csu-refusal"}), excerpts=(excerpt,)))
    db.close()
    alice = invoke("retrieve", "csu-refusal", "--source", "alice", "--format", "md").stdout
    assert (
        "KP93 segment 2, Marcus Bell (participant), page 2 (the excerpt; the turn is on pages 1–2)" in alice
    )
    hit = json.loads(invoke("retrieve", "csu-refusal", "--source", "bob", "--format", "json").stdout)["hits"][
        0
    ]
    assert (hit["page"], hit["end_page"]) == (1, 2)
    assert [(e["page"], e["end_page"]) for e in hit["excerpts"]] == [(1, 1)]


def test_a_row_a_page_break_split_goes_on_with_its_turn_on_the_next_page(tmp_path):
    # A Word table printed to PDF with rows that may break across pages and no header repeated: the rest
    # of the last answer, alone on the next page under no header and with no speaker, was left out without
    # a word (its words missing from the transcript), and the table's columns were taken for the page's,
    # with a columns_mixed warning, though the text was read from its cells.
    answer = "Mostly through dispatch. The unit turned one man away last month because he had been drinking,"
    rest = "so we waited at the emergency department until the morning, and that took two cars off the road."
    first = [
        ("Speaker", "Time", "Text"),
        ("Interviewer", "00:00:04", "How do crisis calls reach the stabilization unit on a night like that?"),
        ("KP98", "00:00:11", answer),
        (
            "Interviewer",
            "00:00:40",
            "And what happens after that, when the unit is full and nobody can take him?",
        ),
        (
            "KP98",
            "00:00:47",
            "We take him home, or to jail if there is a charge, and the co-responder helps.",
        ),
        ("Interviewer", "00:01:20", "Is the crisis unit far from the county line?"),
        ("KP98", "00:01:25", answer),
    ]
    pdf = make_paged_table_pdf(tmp_path / "KP98.pdf", [first, [("", "", rest)]])
    transcript = parse_transcript(pdf)
    last = transcript.segments[-1]
    assert (last.speaker, last.text, last.page, last.end_page) == ("KP98", f"{answer}\n\n{rest}", 1, 2)
    assert len(transcript.segments) == 6 and transcript.warnings == ()


def test_a_table_transcript_s_title_and_the_turns_typed_after_the_table_are_read_as_in_word(tmp_path):
    # A Word transcript whose speaker table is followed by labelled paragraphs (a last question typed
    # after the table), printed to PDF: read from its cells alone, the paragraphs outside the table were
    # dropped without a word (two turns and the title lost), though the .docx reads them in body order.
    rows = [
        ("Speaker", "Time", "Text"),
        ("Interviewer", "00:00:04", "How do crisis calls reach the stabilization unit on a night like that?"),
        (
            "KP99",
            "00:00:11",
            "Mostly through dispatch, and then we wait at the emergency department with him.",
        ),
        (
            "Interviewer",
            "00:00:40",
            "And what happens after that, when the unit is full and nobody can take him?",
        ),
        (
            "KP99",
            "00:00:47",
            "We take him home, or to jail if there is a charge, and the co-responder helps.",
        ),
    ]
    pdf = make_paged_table_pdf(
        tmp_path / "KP99.pdf",
        [rows],
        before=["Interview KP99 - 14 March 2024"],
        after=["Interviewer: One last thing, would you change anything about the unit?", "KP99: More beds."],
    )
    transcript = parse_transcript(pdf)
    assert [(s.speaker, s.text, s.page) for s in transcript.segments][-2:] == [
        ("Interviewer", "One last thing, would you change anything about the unit?", 1),
        ("KP99", "More beds.", 1),
    ]
    assert len(transcript.segments) == 6 and transcript.warnings == ()
    assert transcript.attributes == {"title": "Interview KP99 - 14 March 2024", "date": "14 March 2024"}


def test_a_pdf_transcript_stored_before_end_pages_gets_them_when_ingested_again_with_its_coding(
    runner, db_path, p21
):
    from wei_qual.models import Decision
    from wei_qual.store.decisions import save_decision

    invoke = lambda *args: runner.invoke(app, [*args, "--db", str(db_path)], catch_exceptions=False)
    assert invoke("ingest", str(p21)).exit_code == 0
    db = open_db(db_path)
    save_decision(db, Decision("P21", 2, "alice", frozenset({"csu-refusal"})))
    with db.conn:  # as a project made before turns kept their end page holds it
        db.execute("UPDATE segments SET end_page = NULL, page_spans = NULL")
    db.close()
    again = invoke("ingest", str(p21))
    assert (
        "already in the project with the same content; the pages its segments end on were filled in "
        "(1 of its segments runs onto a later page)"
    ) in again.stderr
    shown = json.loads(invoke("transcripts", "show", "P21", "--format", "json").stdout)
    assert [(s["page"], s["end_page"]) for s in shown["segments"]][:3] == [(1, 1), (1, 2), (2, 2)]
    exported = invoke("decisions", "export", "--format", "csv").stdout.splitlines()
    assert [line.split(",")[:4] for line in exported[1:]] == [["P21", "2", "alice", "csu-refusal"]]
    assert "filled in" not in invoke("ingest", str(p21)).stderr  # once only
