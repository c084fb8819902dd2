"""Documents beside interviews: `ingest --kind document` (.md .txt .docx .pdf), their segments in
`transcripts list/show`, coding, agreement by --kind, `report themes --kind`, `report compare` against
hand counts, and interview-only numbers unchanged by adding documents. All texts are fictional."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from _pdfs import make_column_pdf, make_pdf

from wei_qual.cli import app
from wei_qual.errors import TranscriptError
from wei_qual.ingest import parse_document
from wei_qual.store import open_db

CODEBOOK = Path(__file__).parent.parent / "codebooks" / "minimal.yaml"
DATA = Path(__file__).parent / "data"

INTERVIEWS = {
    "P1": "Interviewer: What happened?\n\nP1: The unit turned him away because he had been drinking.\n\n"
    "Interviewer: And then?\n\nP1: We drove him to the crisis unit later that night.\n",
    "P2": "Interviewer: Who comes with you?\n\nP2: A clinician rides with the officer now.\n\n"
    "Interviewer: Anything else?\n\nP2: Not really, no.\n",
    "P3": "Interviewer: What happened?\n\nP3: They refused him at the unit, so it was jail.\n\n"
    "Interviewer: Who else helps?\n\nP3: The co-responder team, on weekdays.\n",
}
PARTICIPANTS = (
    "id,role,jurisdiction\nP1,officer,Jurisdiction A\nP2,provider,Jurisdiction A\nP3,officer,Jurisdiction B\n"
)
POLICY_MD = """\
---
doc_type: policy
---
# CSU admission policy (fictional)

This policy is fictional.

## 1 Purpose

The unit admits adults in crisis.

## 2 Exclusion criteria

The unit does not admit a person who is intoxicated.

## 3 Drop-off

Officers may drop off a person at any hour.
"""
MOU_PAGES = [
    [
        "# 1 Purpose",
        "Officers and clinicians respond together to crisis calls, so that people are",
        "connected to care.",
        "",
        "# 2 Dispatch",
        "Dispatch sends the team to mental health calls and, when the caller",
    ],
    ["agrees, to welfare checks.", "", "# 3 Follow-up", "The clinician calls each person within two days."],
]  # section 2 runs from page 1 onto page 2
DOCUMENTS = "id,jurisdiction,doc_type\nA_policy,Jurisdiction A,policy\nB_mou,Jurisdiction B,MOU\n"

# (transcript, segment): (alice's codes, bob's codes)
INTERVIEW_DECISIONS = {
    ("P1", 2): ("csu-refusal", "csu-refusal"),
    ("P1", 4): ("csu-admission", "csu-admission"),
    ("P2", 2): ("co-responder", "co-responder;stance-supportive"),
    ("P2", 4): ("", ""),
    ("P3", 2): ("csu-refusal", "csu-refusal"),
    ("P3", 4): ("co-responder", ""),
}
DOCUMENT_DECISIONS = {
    ("A_policy", 1): ("", ""),
    ("A_policy", 2): ("csu-admission", "csu-admission"),
    ("A_policy", 3): ("csu-refusal", "csu-refusal"),
    ("A_policy", 4): ("csu-admission", "csu-admission;co-responder"),
    ("B_mou", 1): ("co-responder", "co-responder"),
    ("B_mou", 2): ("co-responder", "co-responder"),
    ("B_mou", 3): ("", "stance-supportive"),
}


def _decisions_csv(path: Path, decisions: dict, coder_index: int, coder: str) -> Path:
    lines = ["transcript,segment,coder,codes,note"]
    lines += [f"{t},{n},{coder},{codes[coder_index]}," for (t, n), codes in decisions.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(runner, db: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def files(tmp_path) -> Path:
    interviews = tmp_path / "interviews"
    interviews.mkdir()
    for name, text in INTERVIEWS.items():
        (interviews / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "participants.csv").write_text(PARTICIPANTS, encoding="utf-8")
    docs = interviews / "documents"  # inside the interviews folder: an interview ingest leaves it out
    docs.mkdir()
    (docs / "A_policy.md").write_text(POLICY_MD, encoding="utf-8")
    make_pdf(
        docs / "B_mou.pdf", MOU_PAGES, header="Jurisdiction B co-responder MOU (fictional)", footer="{page}"
    )
    (tmp_path / "documents.csv").write_text(DOCUMENTS, encoding="utf-8")
    for i, coder in enumerate(("alice", "bob")):
        _decisions_csv(tmp_path / f"{coder}.csv", INTERVIEW_DECISIONS, i, coder)
        _decisions_csv(tmp_path / f"{coder}_docs.csv", DOCUMENT_DECISIONS, i, coder)
    return tmp_path


def _interviews(runner, files: Path, db: Path) -> None:
    out = runner.invoke(
        app,
        [
            "ingest",
            str(files / "interviews"),
            "--attributes",
            str(files / "participants.csv"),
            "--db",
            str(db),
        ],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.stderr
    assert (
        f"{files / 'interviews' / 'documents'}: left out (documents); ingest it with --kind document."
        in out.stderr
    )
    cli(runner, db, "codebook", "load", str(CODEBOOK))
    for coder in ("alice", "bob"):
        cli(runner, db, "decisions", "import", str(files / f"{coder}.csv"))


def _documents(runner, files: Path, db: Path) -> None:
    docs = files / "interviews" / "documents"
    out = runner.invoke(
        app,
        [
            "ingest",
            "--kind",
            "document",
            str(docs),
            "--attributes",
            str(files / "documents.csv"),
            "--db",
            str(db),
        ],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.stderr
    assert "Ingested 2 documents (7 segments" in out.stderr
    for coder in ("alice", "bob"):
        cli(runner, db, "decisions", "import", str(files / f"{coder}_docs.csv"))


@pytest.fixture
def project(runner, files, tmp_path) -> Path:
    db = tmp_path / "study.db"
    _interviews(runner, files, db)
    _documents(runner, files, db)
    return db


def test_markdown_document_sections_keep_their_headings_and_front_matter(files):
    doc = parse_document(files / "interviews" / "documents" / "A_policy.md")
    assert (doc.kind, doc.format, doc.roles, doc.speakers, doc.attributes) == (
        "document",
        "md",
        "none",
        (),
        {"doc_type": "policy"},
    )
    assert [(s.n, s.speaker, s.role, s.label, s.page, s.text) for s in doc.segments] == [
        (1, None, "document", "CSU admission policy (fictional)", None, "This policy is fictional."),
        (2, None, "document", "1 Purpose", None, "The unit admits adults in crisis."),
        (
            3,
            None,
            "document",
            "2 Exclusion criteria",
            None,
            "The unit does not admit a person who is intoxicated.",
        ),
        (4, None, "document", "3 Drop-off", None, "Officers may drop off a person at any hour."),
    ]
    assert all(doc.text[s.start_char : s.end_char] == s.text for s in doc.segments)


def test_pdf_document_sections_with_pages_and_no_running_heads(files):
    doc = parse_document(files / "interviews" / "documents" / "B_mou.pdf")
    assert [(s.label, s.page, s.text) for s in doc.segments] == [
        (
            "1 Purpose",
            1,
            "Officers and clinicians respond together to crisis calls, so that people are connected to care.",
        ),
        (
            "2 Dispatch",
            1,
            "Dispatch sends the team to mental health calls and, when the caller agrees, to welfare checks.",
        ),
        ("3 Follow-up", 2, "The clinician calls each person within two days."),
    ]
    assert [s.end_page for s in doc.segments] == [1, 2, 2]


def test_pdf_document_footnotes_leave_the_sentence_they_interrupt_whole(tmp_path):
    # A footnote at a page's foot stood in the middle of a sentence going on over the page, split it
    # into two paragraphs ("cleared before / ¹ Over 0.08 ... / they are brought back"). Now the sentence
    # is whole and each note follows it, in its section; small print that is no note stays where it is.
    pdf = make_pdf(
        tmp_path / "A_policy.pdf",
        [
            [
                "# 2 Exclusion criteria",
                "Persons who are intoxicated\u00b9 are not admitted to the unit, and officers take",
                "them to the emergency department, where they are medically cleared be-",
                "",
                "~ \u00b9 A blood alcohol level over 0.08, or a person who cannot stand",
                "~ without help.",
                "~ 2 Or visibly impaired, in the officer's judgement.",
            ],
            [
                "fore they come back to the unit for admission.",
                "",
                "# 3 Transport",
                "Transport is by ambulance.",
                "",
                "~ Approved by the county board.",
            ],
        ],
        header="Jurisdiction A CSU Admission Policy",
        footer="Page {page} of {pages}",
    )
    doc = parse_document(pdf)
    # The section runs onto page 2 (its sentence ends there): it is cited as pages 1–2, not page 1.
    assert [(s.label, s.page, s.end_page) for s in doc.segments] == [
        ("2 Exclusion criteria", 1, 2),
        ("3 Transport", 2, 2),
    ]
    assert [(s.label, s.page, s.text) for s in doc.segments] == [
        (
            "2 Exclusion criteria",
            1,
            (
                "Persons who are intoxicated\u00b9 are not admitted to the unit, and officers take them to the "
                "emergency department, where they are medically cleared before they come back to the unit for "
                "admission.\n\n\u00b9 A blood alcohol level over 0.08, or a person who cannot stand without help."
                "\n\n2 Or visibly impaired, in the officer's judgement."
            ),
        ),
        ("3 Transport", 2, "Transport is by ambulance.\n\nApproved by the county board."),
    ]


ONE_PAGE = [
    "# Admission of persons brought by law enforcement",
    "",
    "The unit admits adults in a mental health crisis whom officers bring in",
    "at any hour. Officers call the unit desk before they arrive.",
    "",
    "A person who is intoxicated is medically cleared first at the emergency",
    "department, and then admitted.",
    "",
    "Transport back to the community is arranged by the unit.",
]


def test_a_one_page_pdf_policy_s_header_and_footer_are_no_text_and_said(tmp_path):
    # Running heads were found only by repeating over pages: a one-page policy's header ("Jurisdiction A
    # CSU | Policy CSU-04 | Rev. 2024", 9 point in the top margin, as Word and LibreOffice print a page
    # header) and its footer became segments of their own, coded and counted as policy text.
    header, footer = (
        "Jurisdiction A CSU | Policy CSU-04 | Rev. 2024",
        "Fictional policy. Uncontrolled when printed.",
    )
    doc = parse_document(make_pdf(tmp_path / "A_policy.pdf", [ONE_PAGE], header=header, footer=footer))
    texts = [s.text for s in doc.segments]
    assert texts[0].startswith("The unit admits") and not any(
        header in t or "Uncontrolled" in t for t in texts
    )
    left_out = [w.message for w in doc.warnings if w.kind == "left_out"]
    assert len(left_out) == 1 and "lines 1:1, 1:8 (page:line) left out" in left_out[0]
    # Small type in the flow of the text is text: a date over the title, a note under the last paragraph
    # at a paragraph's distance, and a footnote at the foot (from its mark), each stay.
    lines = [
        "~ Effective 1 July 2024",
        *ONE_PAGE,
        "",
        "~ Approved by the unit director.",
        "",
        "",
        "",
        "",
        "~ ¹ Over 0.08.",
    ]
    lines[9] += "¹"
    doc = parse_document(make_pdf(tmp_path / "B_policy.pdf", [lines]))
    texts = [s.text for s in doc.segments]
    assert texts[0] == "Effective 1 July 2024" and texts[-2:] == [
        "Approved by the unit director.",
        "¹ Over 0.08.",
    ]
    assert not [w for w in doc.warnings if w.kind == "left_out"]


def _styled_one_page(path: Path, header: str | None, sections: list[tuple[str, str]], last: str) -> Path:
    """One page as LibreOffice prints a policy in its default styles: a header (if any) in the text's own
    type in the top margin, numbered headings in 16 point bold (a heading with no text, "" under it, as
    `2 Admission` over `2.1`), one-line paragraphs in 11, and `last`, a line of the text's type set apart
    at the foot (an approval line over the signatures)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    pdf.add_page()
    if header is not None:
        pdf.set_xy(20, 10)
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 6, header)
    pdf.set_xy(20, 25)
    for heading, text in sections:
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
        if text:
            pdf.set_font("Helvetica", size=11)
            pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_xy(10, 250)
    pdf.cell(0, 6, last)
    pdf.output(str(path))
    return path


SECTIONS = [
    ("1 Purpose", "The unit admits adults in a mental health crisis."),
    ("2 Admission", ""),
    ("2.1 Exclusion criteria", "A person who is intoxicated is medically cleared first."),
    ("2.2 Drop-off", "Officers bring the person to the unit desk."),
    ("3 Discharge", ""),
    ("3.1 Transport", "The unit arranges transport back to the community."),
]


def test_a_one_page_pdf_policy_s_header_in_the_text_s_type_is_text_and_said(tmp_path):
    # A one-page policy exported from LibreOffice or Word with the default header style prints its header
    # in the text's own type: nothing repeats to show it is a header (a title typed over the title looks
    # the same), so it stays text, but silently it became a segment coded as policy text. It is now said,
    # with where it is. And the approval line at the foot, in the text's type, was left out as a footer:
    # the page's usual type was taken as the median line's, which on a page of 16-point headings over
    # one-line paragraphs falls between the two, so the text read as set smaller than itself.
    header = "Jurisdiction A Crisis Stabilization Unit - Admission Policy"
    doc = parse_document(
        _styled_one_page(tmp_path / "A_policy.pdf", header, SECTIONS, "Approved by the county board.")
    )
    assert [(s.label, s.text) for s in doc.segments] == [
        (None, header),
        ("1 Purpose", "The unit admits adults in a mental health crisis."),
        ("2.1 Exclusion criteria", "A person who is intoxicated is medically cleared first."),
        ("2.2 Drop-off", "Officers bring the person to the unit desk."),
        (
            "3.1 Transport",
            "The unit arranges transport back to the community.\n\nApproved by the county board.",
        ),
    ]
    said = [w.message for w in doc.warnings if w.kind == "page_heads"]
    assert len(said) == 1 and "lines 1:1, 1:12 (page:line) read as text" in said[0]
    assert not [w for w in doc.warnings if w.kind == "left_out"]
    # A policy whose first line is its title (bold or larger) has nothing to say.
    doc = parse_document(make_pdf(tmp_path / "B_policy.pdf", [ONE_PAGE]))
    assert not [w for w in doc.warnings if w.kind == "page_heads"]


def test_pdf_document_table_is_read_row_by_row_in_its_section(tmp_path):
    # A policy's ruled table of admission criteria was read line by line: a wrapped cell's lines mixed
    # with the next cells' ("held on a charge for No Law enforcement custody a violent offense"), the
    # header row (set smaller) became a section of its own, and the page was said to be in columns.
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()

    def line(text: str, style: str = "") -> None:
        pdf.set_font("Helvetica", style, 11)
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    line("3 Admission criteria", "B")
    line("The intake clinician applies the criteria in the table below.")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(60, 60, 60)) as table:
        for cells in [
            ("Criterion", "Admit", "Refer to"),
            ("Blood alcohol over 0.08", "No", "Emergency department"),
            ("Actively violent, or held on a charge for a violent offense", "No", "Law enforcement custody"),
        ]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    line("4 Transport", "B")
    line("Transport is by ambulance.")
    pdf.output(str(tmp_path / "A_policy.pdf"))
    parsed = parse_document(tmp_path / "A_policy.pdf")
    assert [(s.label, s.page, s.text) for s in parsed.segments] == [
        (
            "3 Admission criteria",
            1,
            (
                "The intake clinician applies the criteria in the table below.\n\nCriterion | Admit | Refer to\n\n"
                "Blood alcohol over 0.08 | No | Emergency department\n\n"
                "Actively violent, or held on a charge for a violent offense | No | Law enforcement custody"
            ),
        ),
        ("4 Transport", 1, "Transport is by ambulance."),
    ]
    assert parsed.warnings == ()


def _open_table_pdf(path: Path, padding: float, align: str = "LEFT") -> Path:
    """A policy page with a numbered list whose numbers hang, then a table without borders, its cells
    set at the top of their rows, as Word and LibreOffice set them, `padding` mm inside each cell, their
    text aligned `align`."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "3 Admission criteria", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for number, lines in (
        (
            "1.",
            ["The intake clinician applies the criteria in the table below to each", "person brought in."],
        ),
        ("2.", ["A person refused is told why, and where to go.", ""]),
        (
            "3.",
            [
                "The unit keeps a record of each refusal and of the reason for it, which",
                "the county reviews.",
            ],
        ),
    ):
        pdf.cell(8, 6, number)
        pdf.cell(0, 6, lines[0], new_x="LMARGIN", new_y="NEXT")
        if lines[1]:
            pdf.set_x(pdf.l_margin + 8)
            pdf.cell(0, 6, lines[1], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    with pdf.table(
        col_widths=(60, 60, 60), borders_layout="NONE", v_align="TOP", padding=padding, text_align=align
    ) as table:
        for cells in [
            ("Criterion", "Admit", "Refer to"),
            ("Blood alcohol over 0.08", "No", "Emergency department"),
            ("Actively violent, or held on a charge for a violent offense", "No", "Law enforcement custody"),
            ("Voluntary", "Yes", ""),
        ]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "4 Transport", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Transport is by ambulance.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_document_table_without_borders_is_read_row_by_row_or_said_not_to_be(tmp_path):
    # A table without borders was read line by line: a wrapped cell's lines mixed with the next cells'
    # ("held on a charge for No Law enforcement custody a violent offense") and the page was said to be
    # set in columns. With its columns apart down the table and its rows further apart than a cell's
    # lines, it reads row by row; the list whose numbers hang before it stays a list.
    parsed = parse_document(_open_table_pdf(tmp_path / "A_policy.pdf", padding=1.5))
    assert [(s.label, s.text) for s in parsed.segments] == [
        (
            "3 Admission criteria",
            (
                "1. The intake clinician applies the criteria in the table below to each person brought in. "
                "2. A person refused is told why, and where to go. 3. The unit keeps a record of each refusal "
                "and of the reason for it, which the county reviews.\n\n"
                "Criterion | Admit | Refer to\n\nBlood alcohol over 0.08 | No | Emergency department\n\n"
                "Actively violent, or held on a charge for a violent offense | No | Law enforcement custody\n\n"
                "Voluntary | Yes"
            ),
        ),
        ("4 Transport", "Transport is by ambulance."),
    ]
    assert parsed.warnings == ()
    # Set close, rows no further apart than a cell's lines, it still reads row by row: a row starts
    # where the first column starts other than in lower case.
    close = parse_document(_open_table_pdf(tmp_path / "C_policy.pdf", padding=0))
    assert [s.text for s in close.segments] == [s.text for s in parsed.segments] and close.warnings == ()
    # Justified, a wrapped cell's text runs up to the next column ("for No"): which text is in which
    # cell is not known. It is read line by line, as before, and said to be, with where it is.
    parsed = parse_document(_open_table_pdf(tmp_path / "B_policy.pdf", padding=0, align="JUSTIFY"))
    assert "Criterion | Admit" not in " ".join(s.text for s in parsed.segments)
    said = [w.message for w in parsed.warnings if w.kind == "table_lines"]
    assert len(said) == 1 and "a table without borders at 1:7-11 (page:lines) read line by line" in said[0]


def test_a_page_footer_under_a_table_without_borders_is_no_row_of_it(tmp_path):
    # A footer set in the table's columns ("CSU Policy 04", "Rev. 2024", "Page 1 of 2") under a table at
    # the foot of the page was read as its last row: the footer, left out as a running head, came back
    # as text, and the table's rows, as far apart as the footer is below them, were run together.
    from fpdf import FPDF

    class Policy(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=11)
            for text in ("CSU Policy 04", "Rev. 2024", f"Page {self.page_no()} of 2"):
                self.cell(60, 8, text)

    pdf = Policy()
    pdf.core_fonts_encoding = "windows-1252"
    pages = [
        (
            "Officers bring people in at any hour of the day, and the unit admits them all.",
            [("Criterion", "Admit", "Refer to"), ("Blood alcohol over 0.08", "No", "Emergency department")],
        ),
        (
            "Transport is by ambulance when a medical need is known to the officer at the scene.",
            [("Need", "Transport", "Who pays"), ("Wound or injury", "Ambulance", "The county")],
        ),
    ]
    for text, rows in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(230)
        with pdf.table(
            col_widths=(60, 60, 60), borders_layout="NONE", v_align="TOP", padding=1.5, text_align="LEFT"
        ) as table:
            for cells in [*rows, ("Voluntary", "Yes", "")]:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
    pdf.output(str(tmp_path / "A_policy.pdf"))
    parsed = parse_document(tmp_path / "A_policy.pdf")
    assert [s.text for s in parsed.segments] == [
        pages[0][0],
        "Criterion | Admit | Refer to",
        "Blood alcohol over 0.08 | No | Emergency department",
        "Voluntary | Yes",
        pages[1][0],
        "Need | Transport | Who pays",
        "Wound or injury | Ambulance | The county",
        "Voluntary | Yes",
    ]


def _chaptered_pdf(path: Path, pages: list[tuple[str | None, list[str]]]) -> Path:
    """A5 pages as a county's policy prints them: a small running head naming the chapter the page is
    in (or none), "# " lines as bold headings, and a footer with the date and the page number."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    for n, (head, lines) in enumerate(pages, start=1):
        pdf.add_page()
        if head is not None:
            pdf.set_font("Helvetica", size=8)
            pdf.cell(0, 6, head)
            pdf.ln(10)
        for line in lines:
            if not line:
                pdf.ln(3)
                continue
            bold = line.startswith("# ")
            pdf.set_font("Helvetica", "B" if bold else "", 10)
            pdf.cell(0, 6, line[2:] if bold else line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-12)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 6, f"Effective 1 July 2024 - Page {n} of {len(pages)}", align="C")
    pdf.output(str(path))
    return path


def test_pdf_document_running_head_naming_the_chapter_is_no_text(tmp_path):
    # "CSU Policy 04 | Transport" heads the one page of its chapter: recurring once, it was kept and
    # coded as the last words of section 3.3. The heads open with the same words, in their own type.
    chapters = [
        (
            "Admission",
            [
                "# 3 Admission",
                "The unit admits adults in crisis at any hour.",
                "",
                "# 3.1 Eligibility",
                "A person is eligible when the unit can care for them safely.",
            ],
        ),
        (
            "Admission",
            [
                "# 3.2 Exclusion criteria",
                "The unit does not admit a person who needs",
                "medical monitoring.",
                "",
                "# 3.3 Medical clearance",
                "The emergency department clears the person first.",
            ],
        ),
        ("Transport", ["# 4 Transport", "The unit does not provide transport."]),
    ]
    pdf = _chaptered_pdf(
        tmp_path / "A_policy.pdf", [(f"CSU Policy 04  |  {c}", lines) for c, lines in chapters]
    )
    assert [(s.label, s.page, s.text) for s in parse_document(pdf).segments] == [
        ("3 Admission", 1, "The unit admits adults in crisis at any hour."),
        ("3.1 Eligibility", 1, "A person is eligible when the unit can care for them safely."),
        ("3.2 Exclusion criteria", 2, "The unit does not admit a person who needs medical monitoring."),
        ("3.3 Medical clearance", 2, "The emergency department clears the person first."),
        ("4 Transport", 3, "The unit does not provide transport."),
    ]
    # Headings opening every page with one word in common are the policy's text, not a running head.
    pdf = _chaptered_pdf(
        tmp_path / "B_policy.pdf",
        [
            (None, ["# Section 3 Admission", "Adults in crisis."]),
            (None, ["# Section 4 Transport", "By ambulance."]),
            (None, ["# Section 5 Review", "Every year."]),
        ],
    )
    assert [(s.label, s.text) for s in parse_document(pdf).segments] == [
        ("Section 3 Admission", "Adults in crisis."),
        ("Section 4 Transport", "By ambulance."),
        ("Section 5 Review", "Every year."),
    ]


def test_a_pdf_footnote_follows_the_paragraph_that_cites_it_as_a_docx_s_does(tmp_path):
    # The note at the foot of page 1 followed the page's last paragraph, in section 3, though section 1
    # cites it: the same policy saved as .docx and as .pdf put the note in two sections. A note cited by
    # its raised number follows the citing paragraph; one cited no such way (`*`) stays where it was.
    pdf = make_pdf(
        tmp_path / "A_policy.pdf",
        [
            [
                "# 1 Purpose",
                "This policy sets out how the unit admits adults.\u00b9",
                "",
                "# 2 Scope",
                "It applies to every officer.*",
                "",
                "# 3 Transport",
                "Transport is by ambulance.",
                "",
                "~ \u00b9 Adopted by the county board in 2023.",
                "~ * Deputies included.",
            ],
            ["# 4 Review", "The policy is reviewed every year."],
        ],
    )
    assert [(s.label, s.text) for s in parse_document(pdf).segments] == [
        (
            "1 Purpose",
            "This policy sets out how the unit admits adults.\u00b9\n\n\u00b9 Adopted by the county board in 2023.",
        ),
        ("2 Scope", "It applies to every officer.*"),
        ("3 Transport", "Transport is by ambulance.\n\n* Deputies included."),
        ("4 Review", "The policy is reviewed every year."),
    ]


def test_a_libreoffice_pdf_policy_reads_without_its_bullet_glyphs_and_with_its_footnote_in_place():
    # LibreOffice's PDF sets a list's bullets in OpenSymbol, extracted as a private-use character
    # ("\uf095"): it stood in the section's text ("following: \uf095 (a) the person..."), where a .docx
    # reading has no bullet. Its footnote, cited in section 1, followed section 3 (the page's last).
    doc = parse_document(Path(__file__).parent / "data" / "csu_policy_libreoffice.pdf")
    texts = {s.label: s.text for s in doc.segments}
    assert not any("\ue000" <= c <= "\uf8ff" for s in doc.segments for c in s.text)
    assert "Staff check the following: (a) the person agrees" in texts["2.1 Eligibility"]
    assert texts["1. Purpose"].endswith("crisis team.\u00b9\n\n1 Adopted by the County Board in 2023.")
    assert (
        texts["3. Transport"]
        == "Officers transport the person to the unit. The unit does not refuse a drop-off without a clinician's review."
    )
    # Its table has no borders (LibreOffice's default): it was read line by line into the section's
    # sentence ("... cleared first. Criterion Action Intoxication Refer to ..."); each row is one
    # paragraph, as a ruled table's, the second line of a cell ("Review within one hour.") in its row.
    assert texts["2.2 Exclusions"] == (
        "A person with a blood alcohol level over 0.08 is medically cleared first.\n\nCriterion | Action\n\n"
        "Intoxication | Refer to the emergency department.\n\n"
        "Violence | Officer stays until assessed. Review within one hour."
    )
    assert not [w for w in doc.warnings if w.kind == "table_lines"]


def test_pdf_document_footnote_mark_set_raised_is_not_run_into_its_word(tmp_path):
    # Word sets a footnote mark as a small raised "1": extracted as it is set, it ran into its word
    # ("intoxicated1 are not admitted"). It is read as the superscript a reader sees.
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "2 Exclusion criteria", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for text, raised in (
        ("Persons who are intoxicated", False),
        ("1", True),
        (" or aged under 18", False),
        ("2", True),
        (" are not admitted.", False),
    ):
        pdf.char_vpos = "SUP" if raised else "LINE"
        pdf.write(6, text)
    pdf.char_vpos = "LINE"
    pdf.ln(8)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "3 Transport", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, "Transport is by ambulance, at 2 a.m. or later.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "A_policy.pdf"))
    assert [(s.label, s.text) for s in parse_document(tmp_path / "A_policy.pdf").segments] == [
        (
            "2 Exclusion criteria",
            "Persons who are intoxicated\u00b9 or aged under 18\u00b2 are not admitted.",
        ),
        ("3 Transport", "Transport is by ambulance, at 2 a.m. or later."),
    ]


def test_a_two_column_pdf_policy_is_split_by_section_and_says_how_it_was_read(runner, tmp_path, db_path):
    from test_pdf import POLICY

    pdf = make_column_pdf(tmp_path / "A_policy.pdf", POLICY, footer="Page {page} of {pages}")
    dry = runner.invoke(
        app, ["ingest", "--kind", "document", "--dry-run", "--format", "json", str(pdf), "--db", str(db_path)]
    )
    assert dry.exit_code == 0, dry.stderr
    (read,) = json.loads(dry.stdout)["outcomes"]
    assert [(s["label"], s["page"]) for s in read["segment_list"]] == [
        ("4.1 Admission criteria", 1),
        ("4.2 Exclusion criteria", 1),
        ("4.3 Law enforcement drop-off", 1),
        ("4.4 Transport", 1),
        ("4.5 Review", 2),
        ("4.6 Records", 2),
    ]
    message = (
        "A_policy: pages 1, 2 were read as two columns, the left column before the right. Check the "
        f'reading order with "wei-qual ingest --kind document --dry-run {pdf}".'
    )
    assert read["warnings"] == [{"kind": "two_columns", "message": message}]
    stored = runner.invoke(app, ["ingest", "--kind", "document", str(pdf), "--db", str(db_path)])
    assert stored.exit_code == 0, stored.stderr
    assert "Warning: A_policy: pages 1, 2 were read as two columns, the left column before the right." in (
        stored.stderr
    )


def test_docx_document_headings_tables_and_page_breaks(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_heading("Referral protocol (fictional)", level=1)
    doc.add_paragraph("Officers call the unit before they arrive.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Hours"
    table.rows[0].cells[1].text = "The unit is open at night."
    doc.add_page_break()
    doc.add_heading("Transport", level=2)
    doc.add_paragraph("The county provides no transport.")
    doc.save(tmp_path / "protocol.docx")
    parsed = parse_document(tmp_path / "protocol.docx")
    assert [(s.label, s.page, s.text) for s in parsed.segments] == [
        ("Referral protocol (fictional)", 1, "Officers call the unit before they arrive."),
        ("Referral protocol (fictional)", 1, "Hours | The unit is open at night."),
        ("Transport", 2, "The county provides no transport."),
    ]


# docProps/app.xml as LibreOffice 7.4 writes it when it saves a .docx (`soffice --convert-to docx`).
LIBREOFFICE_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm'
    "</Template><TotalTime>0</TotalTime><Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/"
    "40$Build-2</Application><AppVersion>15.0000</AppVersion><Pages>3</Pages><Words>0</Words><Characters>0"
    "</Characters><CharactersWithSpaces>0</CharactersWithSpaces><Paragraphs>0</Paragraphs></Properties>"
)


def test_a_docx_policy_libreoffice_saved_has_no_pages_and_says_so(tmp_path):
    # LibreOffice lays a .docx out in pages but saves no mark of where each starts: only the page breaks
    # typed in it were counted, so three pages of sections before the break were all cited "page 1" and
    # the section after it "page 2". Its pages are not known: none is given, and a warning says why.
    import zipfile

    from docx import Document

    doc = Document()
    for n in range(1, 5):
        doc.add_heading(f"{n} Section {n}", level=1)
        for _ in range(5):
            doc.add_paragraph("The unit admits adults in crisis who consent to care and are stable. " * 6)
    doc.add_page_break()
    doc.add_heading("5 Transport", level=1)
    doc.add_paragraph("The county provides no transport.")
    word = tmp_path / "word.docx"
    doc.save(word)
    saved = tmp_path / "A_policy.docx"
    with zipfile.ZipFile(word) as src, zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, LIBREOFFICE_APP_XML if item.filename == "docProps/app.xml" else src.read(item))
    parsed = parse_document(saved)
    assert [(s.label, s.page, s.end_page) for s in parsed.segments] == [
        (f"{n} {t}", None, None)
        for n, t in enumerate(["Section 1", "Section 2", "Section 3", "Section 4", "Transport"], 1)
    ]
    assert [w.kind for w in parsed.warnings] == ["pages_unknown"]
    assert "LibreOffice saved it" in parsed.warnings[0].message
    # Written by a program that lays out nothing (python-docx), its page break still starts page 2, as
    # documented, and nothing is said.
    written = parse_document(word)
    assert [s.page for s in written.segments] == [1, 1, 1, 1, 2] and written.warnings == ()


def _laid_out_policy(path: Path) -> Path:
    """A three-page policy as Word saves it after laying it out: a `w:lastRenderedPageBreak` at the start
    of the run each page begins with (Word splits a paragraph's runs there), inside a table cell too."""
    from docx import Document
    from docx.oxml import OxmlElement

    def page_starts(paragraph, before: str, after: str) -> None:  # `after` starts the next page
        paragraph.add_run(before)
        run = paragraph.add_run(after)
        run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))

    doc = Document()
    doc.add_heading("2.1 Scope", level=2)
    doc.add_paragraph("This policy applies to every crisis call the county's officers answer.")
    doc.add_heading("2.2 Exclusion criteria", level=2)
    doc.add_paragraph("The unit does not admit a person who is violent or who needs medical care first.")
    page_starts(
        doc.add_paragraph(),
        "A person whose blood alcohol is over 0.08 is taken to the emergency department, and ",
        "the officers call the unit once the person is medically cleared.",
    )
    doc.add_heading("3 Transport", level=1)
    table = doc.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Daytime"
    table.rows[0].cells[1].text = "The crisis team drives."
    table.rows[1].cells[0].text = "Night"
    page_starts(table.rows[1].cells[1].paragraphs[0], "", "An ambulance is called.")
    doc.add_heading("4 Review", level=1)
    doc.add_paragraph("The board reviews this policy every year.")
    doc.save(path)
    return path


def test_docx_document_section_over_a_page_break_ends_on_the_next_page(tmp_path):
    # Section 2.2's last paragraph runs from page 1 onto page 2 and was cited as "page 1"; the table's
    # second row starts page 3, so "4 Review" was said to be on page 2 (breaks in tables were not counted).
    parsed = parse_document(_laid_out_policy(tmp_path / "A_policy.docx"))
    assert [(s.label, s.page, s.end_page) for s in parsed.segments] == [
        ("2.1 Scope", 1, 1),
        ("2.2 Exclusion criteria", 1, 2),
        ("3 Transport", 2, 3),
        ("4 Review", 3, 3),
    ]


def test_a_table_row_that_starts_a_page_counts_it_once_not_once_a_cell(tmp_path):
    # Word marks a page that starts in a table row in each cell that goes on there: a three-column row of
    # admission criteria starting page 2 moved every later section two pages on ("4 Review" on page 4).
    from docx import Document
    from docx.oxml import OxmlElement

    doc = Document()
    doc.add_heading("3 Admission", level=1)
    table = doc.add_table(rows=2, cols=3)
    for r, cells in enumerate([("Intoxicated", "No", "ED first"), ("Violent", "No", "Police")]):
        for cell, text in zip(table.rows[r].cells, cells):
            run = cell.paragraphs[0].add_run(text)
            if r == 1:
                run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    doc.add_heading("4 Review", level=1)
    doc.add_paragraph("The board reviews this policy every year.")
    doc.save(tmp_path / "A_policy.docx")
    parsed = parse_document(tmp_path / "A_policy.docx")
    assert [(s.label, s.page, s.end_page) for s in parsed.segments] == [
        ("3 Admission", 1, 2),
        ("4 Review", 2, 2),
    ]


def _toc_line(text: str, page: int) -> str:
    """A line of a table of contents as Word writes it: style TOC1, a link to the heading, a tab and a
    PAGEREF field giving its page."""
    return (
        '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:hyperlink w:anchor="_Toc1" w:history="1">'
        f'<w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
    )


def test_a_word_table_of_contents_is_not_read_but_its_pages_count(tmp_path):
    # Word makes the contents from the headings: its "Contents" line was a segment of its own, and its
    # lines ("1 Purpose<tab>3") text to code. Left out, the page it fills still counts.
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement, parse_xml

    doc = Document()
    doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH).element.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId", "TOC1"
    )
    doc.add_paragraph("CSU Admission Policy (fictional)", style="Title")
    contents = parse_xml(
        f'<w:sdt {W_NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:lastRenderedPageBreak/>"
        "<w:t>Contents</w:t></w:r></w:p>"
        + _toc_line("1 Purpose", 3)
        + _toc_line("2 Exclusion criteria", 3)
        + "</w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(1, contents)
    # A contents made without the content control (older Word, LibreOffice): lines in the TOC styles.
    annex = doc.add_paragraph("Contents of the annex")
    annex._p.addnext(parse_xml(f"<w:body {W_NS}>{_toc_line('A. Forms', 4)}</w:body>")[0])
    heading = doc.add_paragraph(style="Heading 1")
    run = heading.add_run("1 Purpose")
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    doc.add_paragraph("This policy sets out who the unit admits.")
    doc.add_paragraph("2 Exclusion criteria", style="Heading 1")
    doc.add_paragraph("A person who is intoxicated is not admitted.")
    doc.save(tmp_path / "A_policy.docx")
    parsed = parse_document(tmp_path / "A_policy.docx")
    assert [(s.label, s.page, s.text) for s in parsed.segments] == [
        ("CSU Admission Policy (fictional)", 2, "Contents of the annex"),
        ("1 Purpose", 3, "This policy sets out who the unit admits."),
        ("2 Exclusion criteria", 3, "A person who is intoxicated is not admitted."),
    ]


def test_an_excerpt_of_a_word_paragraph_over_a_page_break_is_cited_with_its_own_page(runner, tmp_path):
    # Word marks where the next page starts inside the paragraph (its rendered page break); an excerpt
    # after it, all on page 2, was cited "pages 1–2", the paragraph's, and one before it too.
    from wei_qual.models import Decision, Excerpt
    from wei_qual.store.decisions import save_decision

    path = _laid_out_policy(tmp_path / "A_policy.docx")
    criteria = parse_document(path).segments[1]
    cut = criteria.text.index("the officers call the unit")
    assert (criteria.label, criteria.page, criteria.end_page) == ("2.2 Exclusion criteria", 1, 2)
    assert criteria.page_spans == ((0, cut, 1, 1), (cut, len(criteria.text), 2, 2))
    project = tmp_path / "study.db"
    cli(runner, project, "ingest", "--kind", "document", str(path))
    cli(runner, project, "codebook", "load", str(CODEBOOK))
    # A project that read the paragraph as one stretch on both pages gets its words' pages on the next
    # ingest of the same file, its coding kept.
    db = open_db(project)
    at = criteria.text.index("medically cleared")
    save_decision(
        db,
        Decision(
            "A_policy",
            2,
            "alice",
            frozenset({"csu"}),
            excerpts=(Excerpt("csu", at, at + len("medically cleared")),),
        ),
    )
    with db.conn:
        db.execute(
            "UPDATE segments SET page_spans = ? WHERE transcript_id = 'A_policy' AND n = 2",
            [json.dumps([[0, 82, 1, 1], [82, len(criteria.text), 1, 2]])],
        )
    db.close()
    again = runner.invoke(app, ["ingest", "--kind", "document", str(path), "--db", str(project)])
    assert "the pages of its segments' words were filled in" in again.stderr
    hits = json.loads(
        cli(runner, project, "retrieve", "csu", "--kind", "document", "--source", "alice", "--format", "json")
    )
    assert [(e["page"], e["end_page"]) for h in hits["hits"] for e in h["excerpts"]] == [(2, 2)]


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# A text box as Word 2010 and later write it: the box for newer Word, and a VML copy for older Word.
TEXT_BOX = (
    f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
    "</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
    "<w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def _with_notes(docx_path: Path, notes: dict[str, list[str]]) -> None:
    """Add footnotes.xml / endnotes.xml parts (as Word writes them, separators first) to a saved .docx."""
    import zipfile

    data = {
        i.filename: (i, zipfile.ZipFile(docx_path).read(i)) for i in zipfile.ZipFile(docx_path).infolist()
    }
    with zipfile.ZipFile(docx_path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, (info, raw) in data.items():
            for kind in notes:
                if name == "[Content_Types].xml":
                    raw = raw.replace(
                        b"</Types>",
                        f'<Override PartName="/word/{kind}s.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/></Types>'.encode(),
                    )
                if name == "word/_rels/document.xml.rels":
                    raw = raw.replace(
                        b"</Relationships>",
                        f'<Relationship Id="rId{kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/{kind}s" Target="{kind}s.xml"/></Relationships>'.encode(),
                    )
            out.writestr(info, raw)
        for kind, texts in notes.items():
            body = "".join(
                f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t>'
                f"</w:r></w:p></w:{kind}>"
                for i, t in enumerate(texts, start=1)
            )
            out.writestr(
                f"word/{kind}s.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {W_NS}>'
                f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                f"</w:p></w:{kind}>{body}</w:{kind}s>",
            )


def test_docx_hidden_text_is_not_read(tmp_path):
    # A policy template's instructions set as hidden text (Font > Hidden: neither shown nor printed)
    # were read as the policy's words.
    from docx import Document
    from docx.oxml import parse_xml

    def run(text: str, vanish: str | None = None):
        props = "" if vanish is None else f"<w:rPr><w:vanish{vanish}/></w:rPr>"
        return parse_xml(f'<w:r {W_NS}>{props}<w:t xml:space="preserve">{text}</w:t></w:r>')

    doc = Document()
    doc.add_paragraph("1 Purpose", style="Heading 1")
    p = doc.add_paragraph()
    for piece in (
        run("The unit admits adults in crisis"),
        run(" [Drafting note: name the unit and its hours here.]", ""),
        run(" at any hour", ' w:val="0"'),  # hidden switched off: shown
        run("."),
    ):
        p._p.append(piece)
    p._p.append(
        parse_xml(
            TEXT_BOX.format(text="Call ahead.").replace("<w:r><w:t>", "<w:r><w:rPr><w:vanish/></w:rPr><w:t>")
        )
    )
    doc.add_paragraph("2 Review", style="Heading 1")
    doc.add_paragraph("The board reviews this policy every year.")
    doc.save(tmp_path / "policy.docx")
    parsed = parse_document(tmp_path / "policy.docx")
    assert [(s.label, s.text) for s in parsed.segments] == [
        ("1 Purpose", "The unit admits adults in crisis at any hour."),
        ("2 Review", "The board reviews this policy every year."),
    ]
    # Left out, and said to be: a drafting note may be the only place a rule was written down.
    assert [w.message for w in parsed.warnings if w.kind == "hidden_text"] == [
        (
            "policy: hidden text in 1 paragraph was left out (formatted hidden: Word and LibreOffice neither "
            "show nor print it, as with a template's drafting notes). If it is part of the text, un-hide it "
            "(Font > Hidden, or the hidden paragraph or field) and ingest it again with --replace."
        )
    ]


def test_docx_text_a_style_hides_is_not_read(tmp_path):
    # A transcription service's template sets its notes in a paragraph style with Font > Hidden, and an
    # interview guide's prompts in a hidden character style based on another: Word shows neither, and
    # both were read as the participant's words (only hidden set on the run itself was seen).
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    from wei_qual.ingest import parse_transcript

    doc = Document()
    doc.styles.add_style("Transcriber Note", WD_STYLE_TYPE.PARAGRAPH).font.hidden = True
    doc.styles.add_style("Prompt Base", WD_STYLE_TYPE.CHARACTER).font.hidden = True
    doc.styles.add_style("Guide Prompt", WD_STYLE_TYPE.CHARACTER).base_style = doc.styles["Prompt Base"]
    doc.add_paragraph("Interviewer: How long did you wait at the unit?")
    doc.add_paragraph("Transcriber: 00:14:10 audio unclear, checked with Dana.", style="Transcriber Note")
    p = doc.add_paragraph("KP12: About two hours")
    p.add_run(" [Q7: probe on transport]", style="Guide Prompt")
    p.add_run(", it was after ten.")
    shown = doc.add_paragraph(style="Transcriber Note")  # the run's own formatting wins: shown
    shown._p.append(
        parse_xml(
            f'<w:r {W_NS}><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>Interviewer: And the drive back?</w:t></w:r>'
        )
    )
    doc.add_paragraph("KP12: Forty minutes.")
    doc.save(tmp_path / "KP12.docx")
    t = parse_transcript(tmp_path / "KP12.docx")
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long did you wait at the unit?"),
        ("KP12", "About two hours, it was after ten."),
        ("Interviewer", "And the drive back?"),
        ("KP12", "Forty minutes."),
    ]
    assert [w.message.split(" was left out")[0] for w in t.warnings if w.kind == "hidden_text"] == [
        "KP12: hidden text in 2 paragraphs"
    ]
    document = parse_document(tmp_path / "KP12.docx")
    assert "Transcriber" not in " ".join(s.text for s in document.segments)
    assert "probe on transport" not in " ".join(s.text for s in document.segments)


def test_the_placeholder_of_a_content_control_nobody_filled_in_is_not_read(tmp_path):
    # A service's transcript template: a date picker left empty shows its prompt, and a block for the
    # interviewer's closing notes shows "Click or tap here to enter text."; both were read as text, the
    # second as an unlabelled turn.
    from docx import Document
    from docx.oxml import parse_xml

    from wei_qual.ingest import parse_transcript

    def control(content: str, *, placeholder: bool = True) -> str:
        mark = "<w:showingPlcHdr/>" if placeholder else ""
        return f"<w:sdt {W_NS}><w:sdtPr>{mark}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"

    prompt = '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>{}</w:t></w:r>'
    doc = Document()
    doc.add_paragraph("Interviewer: How long did you wait at the unit?")
    p = doc.add_paragraph("KP12: About two hours, on ")
    p._p.append(parse_xml(control(prompt.format("Click or tap to enter a date."))))
    p._p.append(parse_xml(control("<w:r><w:t>the Friday</w:t></w:r>", placeholder=False)))  # filled in
    p.add_run(".")
    doc.element.body.insert(
        len(doc.element.body) - 1,
        parse_xml(control(f"<w:p>{prompt.format('Click or tap here to enter text.')}</w:p>")),
    )
    doc.add_paragraph("KP12: And then we left.")
    doc.save(tmp_path / "KP12.docx")
    t = parse_transcript(tmp_path / "KP12.docx")
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "How long did you wait at the unit?"),
        ("KP12", "About two hours, on the Friday.\n\nAnd then we left."),
    ]
    assert [w.kind for w in t.warnings] == []


def _numbered_policy(path: Path) -> Path:
    """A policy as Word numbers it: Heading 1 and 2 numbered through their styles by a multilevel list
    ("1", "2.1"), clauses in an "(a)" list restarted in a later section, and a bullet; no number is in
    the text itself."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    numbering = doc.part.numbering_part.element
    lvl = '<w:lvl w:ilvl="{0}"><w:start w:val="1"/><w:numFmt w:val="{1}"/><w:lvlText w:val="{2}"/></w:lvl>'
    abstracts = [
        f'<w:abstractNum {W_NS} w:abstractNumId="20"><w:multiLevelType w:val="multilevel"/>'
        + lvl.format(0, "decimal", "%1")
        + lvl.format(1, "decimal", "%1.%2")
        + "</w:abstractNum>",
        f'<w:abstractNum {W_NS} w:abstractNumId="21"><w:multiLevelType w:val="hybridMultilevel"/>'
        + lvl.format(0, "lowerLetter", "(%1)")
        + "</w:abstractNum>",
    ]
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    for xml in abstracts:  # abstract definitions come before the lists, as Word writes them
        first_num.addprevious(parse_xml(xml))
    for xml in (
        f'<w:num {W_NS} w:numId="20"><w:abstractNumId w:val="20"/></w:num>',
        f'<w:num {W_NS} w:numId="21"><w:abstractNumId w:val="21"/></w:num>',
        (
            f'<w:num {W_NS} w:numId="22"><w:abstractNumId w:val="21"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        ),
    ):
        numbering.append(parse_xml(xml))
    for style, level in (("Heading 1", 0), ("Heading 2", 1)):
        doc.styles[style].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="20"/></w:numPr>')
        )

    def item(text: str, num_id: int) -> None:
        doc.add_paragraph(text, style="List Paragraph")._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        )

    doc.add_paragraph("Crisis Stabilization Unit Admission Policy (fictional)", style="Title")
    doc.add_heading("Purpose", level=1)
    doc.add_paragraph("This policy sets out who the unit admits.")
    doc.add_heading("Admission", level=1)
    doc.add_heading("Eligibility", level=2)
    doc.add_paragraph("Adults in a mental health crisis are admitted at any hour.")
    doc.add_heading("Exclusion criteria", level=2)
    doc.add_paragraph("The unit does not admit a person who:")
    item("is intoxicated to the point of needing medical monitoring;", 21)
    item("is actively violent.", 21)
    doc.add_heading("Medical clearance", level=2)
    doc.add_paragraph("A person excluded under 2.2 (a) is admitted once an emergency department clears them.")
    doc.add_heading("Transport", level=1)
    doc.add_paragraph("Transport is arranged:")
    item("by ambulance, when a medical need is known;", 22)
    doc.add_paragraph("by the mobile crisis team otherwise.", style="List Bullet")
    doc.save(path)
    return path


def test_docx_document_sections_numbered_by_word_keep_their_numbers(tmp_path):
    # Word's automatic numbers were not read: "2.2 Exclusion criteria" came in as "Exclusion criteria",
    # the policy was not split by section (compare cited headings, not §2.2), and the "(a)" that the
    # text itself cites ("excluded under 2.2 (a)") was missing from the clause.
    parsed = parse_document(_numbered_policy(tmp_path / "A_policy.docx"))
    assert [(s.label, s.text) for s in parsed.segments] == [
        (
            "1 Purpose",
            "This policy sets out who the unit admits.",
        ),
        ("2.1 Eligibility", "Adults in a mental health crisis are admitted at any hour."),
        (
            "2.2 Exclusion criteria",
            (
                "The unit does not admit a person who:\n\n(a) is intoxicated to the point of needing medical "
                "monitoring;\n\n(b) is actively violent."
            ),
        ),
        (
            "2.3 Medical clearance",
            "A person excluded under 2.2 (a) is admitted once an emergency department clears them.",
        ),
        (
            "3 Transport",
            (
                "Transport is arranged:\n\n(a) by ambulance, when a medical need is known;\n\n"
                "by the mobile crisis team otherwise."
            ),
        ),
    ]


def test_docx_document_footnotes_endnotes_and_text_boxes_are_read_where_they_are_cited(tmp_path):
    # A policy's footnote, endnote and boxed note were dropped without a word: a rule stated only in
    # a footnote was never coded. Each is read right after the paragraph citing it, in its section.
    from docx import Document
    from docx.oxml import parse_xml

    def ref(kind: str, n: int):
        return parse_xml(f'<w:r {W_NS}><w:{kind}Reference w:id="{n}"/></w:r>')

    doc = Document()
    doc.add_paragraph("1 Eligibility", style="Heading 1")
    p = doc.add_paragraph("Adults in crisis are admitted.")
    p._p.append(ref("footnote", 2))  # cited first: Word shows it as footnote 1
    doc.add_paragraph("2 Exclusion criteria", style="Heading 1")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Intoxication"
    table.rows[0].cells[1].paragraphs[0].text = "Refer to the ED"
    table.rows[0].cells[1].paragraphs[0]._p.append(ref("footnote", 1))
    p = doc.add_paragraph("Officers stay until triage is complete.")
    p._p.append(parse_xml(TEXT_BOX.format(text="Call the charge nurse first.")))
    deleted = parse_xml(
        f'<w:del {W_NS} w:id="9" w:author="Legal" w:date="2024-01-01T00:00:00Z">'
        + TEXT_BOX.format(text="Old rule, deleted.").replace(f"<w:r {W_NS} ", "<w:r ", 1)
        + "</w:del>"
    )
    p._p.append(deleted)
    p._p.append(ref("endnote", 1))
    doc.save(tmp_path / "policy.docx")
    _with_notes(
        tmp_path / "policy.docx",
        {
            "footnote": ["Over 0.08 blood alcohol.", "Aged 18 or over."],
            "endnote": ["Adopted by the county board, 2023."],
        },
    )
    parsed = parse_document(tmp_path / "policy.docx")
    assert [(s.label, s.text) for s in parsed.segments] == [
        ("1 Eligibility", "Adults in crisis are admitted.\n\nFootnote 1: Aged 18 or over."),
        (
            "2 Exclusion criteria",
            (
                "Intoxication | Refer to the ED\n\nFootnote 2: Over 0.08 blood alcohol.\n\n"
                "Officers stay until triage is complete.\n\nCall the charge nurse first.\n\n"
                "Endnote 1: Adopted by the county board, 2023."
            ),
        ),
    ]


CSU_CRITERIA = [
    ("Criterion", "Admit", "Refer"),
    ("Blood alcohol over 0.08", "No", "Emergency department"),
    ("Age under 18 | emancipated minor", "No", "`youth-unit | YCS`"),
    ("Voluntary, consents to care", "Yes", ""),
]


def test_markdown_table_is_read_row_by_row_as_a_word_table_is(tmp_path):
    # A policy written in Markdown (exported from a wiki, or by pandoc) keeps its admission criteria in a
    # pipe table; it was read as one paragraph of pipes and dashes, run into the sentence above it.
    from docx import Document

    (tmp_path / "A_csu.md").write_text(
        "# 3 Admission\n\n"
        "## 3.2 Exclusion criteria\n\n"
        "The unit applies these criteria at the door.\n"
        "| Criterion | Admit | Refer |\n"
        "|:----------|:-----:|------:|\n"
        "| Blood alcohol over 0.08 | No | Emergency department |\n"
        "| Age under 18 \\| emancipated minor | No | `youth-unit \\| YCS` |\n"
        "| Voluntary, consents to care | Yes |  |\n\n"
        "## 3.3 Medical clearance\n\n"
        "A person with a wound is seen in the emergency department first.\n",
        encoding="utf-8",
    )
    doc = Document()
    doc.add_heading("3 Admission", level=1)
    doc.add_heading("3.2 Exclusion criteria", level=2)
    doc.add_paragraph("The unit applies these criteria at the door.")
    table = doc.add_table(rows=len(CSU_CRITERIA), cols=3)
    for row, texts in zip(table.rows, CSU_CRITERIA):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    doc.add_heading("3.3 Medical clearance", level=2)
    doc.add_paragraph("A person with a wound is seen in the emergency department first.")
    doc.save(tmp_path / "A_csu.docx")
    markdown = parse_document(tmp_path / "A_csu.md")
    assert [(s.label, s.text) for s in markdown.segments] == [
        (
            "3.2 Exclusion criteria",
            (
                "The unit applies these criteria at the door.\n\n"
                "Criterion | Admit | Refer\n\n"
                "Blood alcohol over 0.08 | No | Emergency department\n\n"
                "Age under 18 | emancipated minor | No | `youth-unit | YCS`\n\n"
                "Voluntary, consents to care | Yes"
            ),
        ),
        ("3.3 Medical clearance", "A person with a wound is seen in the emergency department first."),
    ]
    word = parse_document(tmp_path / "A_csu.docx")
    assert [(s.label, s.text) for s in word.segments] == [(s.label, s.text) for s in markdown.segments]
    assert all(markdown.text[s.start_char : s.end_char] == s.text for s in markdown.segments)


def test_plain_text_document_is_split_by_paragraph(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("First paragraph of the note,\non two lines.\n\nSecond paragraph.\n", encoding="utf-8")
    parsed = parse_document(path)
    assert [(s.label, s.text) for s in parsed.segments] == [
        (None, "First paragraph of the note,\non two lines."),
        (None, "Second paragraph."),
    ]


def test_document_errors_name_the_file_and_the_fix(tmp_path, runner, db_path):
    rtf = tmp_path / "policy.rtf"
    rtf.write_bytes(b"{\\rtf1 Policy.}")
    with pytest.raises(TranscriptError) as ex:
        parse_document(rtf)
    assert (
        str(ex.value)
        == f'"{rtf}" is not a supported document format (.rtf). Convert it to .pdf, .docx, .odt, .md or .txt.'
    )
    result = runner.invoke(app, ["ingest", "--kind", "document", str(rtf), "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f'Error: "{rtf}" is not a supported document format (.rtf). Convert it to .pdf, .docx, .odt, .md or .txt.'
    )
    labels = runner.invoke(
        app, ["ingest", "--kind", "document", str(rtf), "--interviewer-labels", "I", "--db", str(db_path)]
    )
    assert labels.exit_code == 1
    assert labels.stderr == (
        "Error: --interviewer-labels does not apply to documents, which have no speakers. Leave it out.\n"
    )


def test_a_password_protected_or_old_word_file_is_refused_for_what_it_is(tmp_path, runner, db_path):
    # Word's "Encrypt with Password" saves a .docx as a Compound File: it was refused as "not a valid
    # .docx file (BadZipFile); it may be damaged", and re-saving it in Word (the fix given) keeps the password.
    locked = DATA / "B_mou_password.docx"
    message = (
        f'"{locked}" is protected with a password, so its text cannot be read. Open it with the password, save a '
        "copy without one (in Word: File > Info > Protect Document > Encrypt with Password, cleared), and ingest that."
    )
    for kind in ("document", "interview"):
        result = runner.invoke(app, ["ingest", "--kind", kind, str(locked), "--db", str(db_path)])
        assert result.exit_code == 1 and result.stderr.startswith(f"Error: {message}\n"), result.stderr
    old = tmp_path / "protocol.docx"  # a Word 97-2003 file renamed: a Compound File without a package
    old.write_bytes(
        locked.read_bytes().replace(
            "EncryptedPackage".encode("utf-16-le"), "WordDocument\0\0\0\0".encode("utf-16-le")
        )
    )
    with pytest.raises(
        TranscriptError, match=r"is a Word 97-2003 document \(\.doc\), not a \.docx\. Open it in Word"
    ):
        parse_document(old)


def test_list_show_and_roles_of_a_document(runner, project):
    rows = json.loads(cli(runner, project, "transcripts", "list", "--format", "json"))
    assert [
        (r["id"], r["kind"], r["format"], r["segments"], r["participant_segments"], r["roles"]) for r in rows
    ] == [
        ("A_policy", "document", "md", 4, 0, "none"),
        ("B_mou", "document", "pdf", 3, 0, "none"),
        ("P1", "interview", "txt", 4, 2, "inferred"),
        ("P2", "interview", "txt", 4, 2, "inferred"),
        ("P3", "interview", "txt", 4, 2, "inferred"),
    ]
    assert rows[1]["attributes"] == {"doc_type": "MOU", "jurisdiction": "Jurisdiction B"}
    table = cli(runner, project, "transcripts", "list")
    assert [line.split()[:3] for line in table.splitlines() if line.strip().startswith(("B_mou", "P3"))] == [
        ["B_mou", "document", "pdf"],
        ["P3", "interview", "txt"],
    ]
    shown = cli(runner, project, "transcripts", "show", "B_mou", "--no-pager")
    assert "section" in shown and "page" in shown and "2 Dispatch" in shown
    # Section 2 runs onto page 2: its page is the range, the others' a page as before.
    rows = [line.split()[:4] for line in shown.splitlines() if line.strip()[:1].isdigit()]
    assert [row[:4] for row in rows if row[0] in ("1", "2", "3")][:3] == [
        ["1", "1", "Purpose", "1"],
        ["2", "2", "Dispatch", "1–2"],
        ["3", "3", "Follow-up", "2"],
    ]
    detail = json.loads(cli(runner, project, "transcripts", "show", "B_mou", "--format", "json"))
    assert [(s["page"], s["end_page"]) for s in detail["segments"]] == [(1, 1), (1, 2), (2, 2)]
    assert "speaker" not in shown
    roles = runner.invoke(app, ["transcripts", "roles", "B_mou", "--db", str(project)])
    assert roles.exit_code == 1
    assert roles.stderr == (
        'Error: "B_mou" is a document: it has no speakers, so no roles. Read its sections with '
        f'"wei-qual transcripts show B_mou --db {project}".\n'
    )


def test_the_coding_screen_shows_the_heading_and_page(runner, project):
    result = runner.invoke(
        app,
        ["code", "--coder", "carol", "--transcript", "B_mou", "--db", str(project)],
        input="co-responder\n\nq\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "B_mou  doc_type=MOU  jurisdiction=Jurisdiction B   segment 1 of 3" in result.stdout
    assert "1 Purpose · page 1:\nOfficers and clinicians respond together" in result.stdout
    assert "2 Dispatch · pages 1–2:" in result.stdout  # the next segment, after the save: it runs onto page 2
    db = open_db(project)
    assert db.execute(
        "SELECT s.transcript_id, s.n, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "WHERE d.coder_id = 'carol'"
    ).fetchall() == [("B_mou", 1, '["co-responder"]')]


def test_agreement_counts_documents_only_when_asked(runner, project):
    def units(*args):
        return json.loads(cli(runner, project, "agree", "--bootstrap", "0", "--format", "json", *args))[
            "units"
        ]

    assert units() == 6  # the six participant turns
    assert units("--kind", "interview") == 6
    assert units("--kind", "document") == 7
    assert units("--kind", "all") == 13
    disagreements = runner.invoke(
        app, ["agree", "--disagreements", "--kind", "document", "--format", "json", "--db", str(project)]
    )
    listed = json.loads(disagreements.stdout)["disagreements"]
    assert [(d["transcript"], d["segment"]) for d in listed] == [("A_policy", 4), ("B_mou", 3)]


def test_report_themes_by_kind(runner, project):
    cli(
        runner,
        project,
        "reconcile",
        "--coder",
        "lead",
        "--coders",
        "alice,bob",
        "--accept-agreed",
        "--kind",
        "all",
        "--no-interactive",
    )

    def themes(*args):
        return json.loads(
            cli(runner, project, "report", "themes", "--format", "json", "--level", "code", *args)
        )

    interview = themes()
    assert (interview["kind"], interview["participants"], interview["transcripts"]) == ("interview", 3, 3)
    assert "documents" not in interview
    rows = {r["code"]: r for r in interview["rows"]}
    # Agreed turns only: P1:2, P1:4, P2:4 (nothing applies), P3:2.
    assert (rows["csu-refusal"]["participants"], rows["csu-refusal"]["segments"]) == (2, 2)

    documents = themes("--kind", "document", "--by", "jurisdiction")
    assert (documents["kind"], documents["participants"], documents["documents"]) == ("document", 0, 2)
    assert documents["document_groups"] == {"jurisdiction": {"Jurisdiction A": 1, "Jurisdiction B": 1}}
    rows = {r["code"]: r for r in documents["rows"]}
    assert (rows["csu-admission"]["documents"], rows["csu-admission"]["pct_documents"]) == (1, 50.0)
    assert rows["co-responder"]["by"]["jurisdiction"]["Jurisdiction B"] == {
        "segments": 2,
        "participants": 0,
        "pct_participants": 0.0,
        "documents": 1,
        "pct_documents": 100.0,
    }
    both = themes("--kind", "all")
    rows = {r["code"]: r for r in both["rows"]}
    assert (both["participants"], both["documents"]) == (3, 2)
    assert (
        rows["csu-refusal"]["participants"],
        rows["csu-refusal"]["documents"],
        rows["csu-refusal"]["segments"],
    ) == (2, 1, 3)
    table = cli(runner, project, "report", "themes", "--kind", "all", "--level", "code", "--format", "md")
    assert "| Code | Name | Level | Segments | Participants (N=3) | Documents (N=2) |" in table


def test_compare_table_against_hand_counts(runner, project):
    data = json.loads(
        cli(
            runner,
            project,
            "report",
            "compare",
            "--by",
            "jurisdiction",
            "--source",
            "alice",
            "--format",
            "json",
        )
    )
    assert data["groups"] == {
        "Jurisdiction A": {"documents": ["A_policy"], "participants": 2},
        "Jurisdiction B": {"documents": ["B_mou"], "participants": 1},
    }
    cells = {
        r["code"]: {
            v: (
                [(d["id"], d["references"]) for d in c["documents"]],
                c["participants"],
                c["pct_participants"],
                c["status"],
            )
            for v, c in r["cells"].items()
        }
        for r in data["rows"]
    }
    # By hand, from alice's decisions: A_policy §1 and §3 admission, §2 refusal; B_mou §1 and §2
    # co-responder. P1 (A) refusal and admission, P2 (A) co-responder, P3 (B) refusal and co-responder.
    assert cells["csu"] == {
        "Jurisdiction A": ([("A_policy", ["§1", "§2", "§3"])], 1, 50.0, "both"),
        "Jurisdiction B": ([], 1, 100.0, "practice only"),
    }
    assert cells["csu-admission"] == {
        "Jurisdiction A": ([("A_policy", ["§1", "§3"])], 1, 50.0, "both"),
        "Jurisdiction B": ([], 0, 0.0, "neither"),
    }
    assert cells["csu-refusal"] == {
        "Jurisdiction A": ([("A_policy", ["§2"])], 1, 50.0, "both"),
        "Jurisdiction B": ([], 1, 100.0, "practice only"),
    }
    assert cells["co-responder"] == {
        "Jurisdiction A": ([], 1, 50.0, "practice only"),
        "Jurisdiction B": ([("B_mou", ["§1", "§2"])], 1, 100.0, "both"),
    }
    assert cells["stance-supportive"] == {
        "Jurisdiction A": ([], 0, 0.0, "neither"),
        "Jurisdiction B": ([], 0, 0.0, "neither"),
    }
    md = cli(runner, project, "report", "compare", "--source", "bob", "--format", "md")
    # bob: A_policy §3 also co-responder (policy A carries it, P2 raised it); B_mou §3 stance-supportive.
    assert (
        "| co-responder | Co-responder teams | code | §3 · 1/2 (50.0%) | §1, §2 · 0/1 (0.0%) · policy only |"
        in md
    )
    csv_text = cli(runner, project, "report", "compare", "--source", "alice", "--format", "csv")
    assert csv_text.splitlines()[0] == (
        "code,name,parent,level,jurisdiction,documents,documents_carrying,references,participants,"
        "participants_raising,pct_participants,status"
    )
    assert (
        "csu-refusal,CSU refusal,csu,code,Jurisdiction B,1,0,,1,1,100.0,practice only"
        in csv_text.splitlines()
    )
    # One document in the jurisdiction: its references without its id, as in the table.
    assert "csu-refusal,CSU refusal,csu,code,Jurisdiction A,1,1,§2,2,1,50.0,both" in csv_text.splitlines()


def test_compare_in_xlsx_and_in_the_html_report(runner, project, tmp_path):
    from openpyxl import load_workbook

    cli(runner, project, "report", "compare", "--source", "alice", "-o", str(tmp_path / "compare.xlsx"))
    book = load_workbook(tmp_path / "compare.xlsx")
    assert book.sheetnames == ["compare", "groups", "notes"]
    assert [c.value for c in book["groups"][2]] == ["Jurisdiction A", "A_policy", 1, 2]
    cli(runner, project, "report", "html", "--source", "alice", "-o", str(tmp_path / "report.html"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<section id="compare"><h2>Policy and practice</h2>' in html
    assert "§1, §2, §3 · 1/2 (50.0%)" in html
    cli(
        runner,
        project,
        "report",
        "html",
        "--source",
        "alice",
        "--compare",
        "none",
        "-o",
        str(tmp_path / "r2.html"),
    )
    assert 'id="compare"' not in (tmp_path / "r2.html").read_text(encoding="utf-8")


def test_compare_needs_coded_documents(runner, files, tmp_path):
    db = tmp_path / "interviews.db"
    _interviews(runner, files, db)
    result = runner.invoke(app, ["report", "compare", "--source", "alice", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: No document segment has a decision from source "alice", so there is no policy to compare. '
        f'Ingest documents with "wei-qual ingest --kind document --db {db}" and code them, or pass another --source.\n'
    )


INTERVIEW_REPORTS = [
    ("agree", "--bootstrap", "200", "--format", "json"),
    ("agree", "--disagreements", "--format", "json"),
    ("agree", "--diagnostics", "--bootstrap", "0", "--format", "json"),
    ("report", "themes", "--by", "role", "--by", "jurisdiction", "--source", "alice", "--format", "json"),
    ("report", "cooccurrence", "--source", "union", "--format", "json"),
    ("report", "quotes", "--source", "alice", "--format", "json"),
    ("report", "matrix", "--source", "alice", "--format", "csv"),
    ("report", "saturation", "--source", "alice", "--format", "json"),
    ("suggest", "evaluate", "--coder", "alice", "--format", "json"),
]


def test_interview_numbers_are_unchanged_by_adding_documents(runner, files, tmp_path):
    db = tmp_path / "study.db"
    _interviews(runner, files, db)
    cli(runner, db, "suggest")
    before = {args: cli(runner, db, *args) for args in INTERVIEW_REPORTS}
    methods_before = json.loads(
        cli(runner, db, "report", "methods", "--source", "alice", "--bootstrap", "100", "--format", "json")
    )
    _documents(runner, files, db)
    cli(runner, db, "suggest")  # suggestions now cover the document segments too
    for args in INTERVIEW_REPORTS:
        assert cli(runner, db, *args) == before[args], args
    methods_after = json.loads(
        cli(runner, db, "report", "methods", "--source", "alice", "--bootstrap", "100", "--format", "json")
    )
    assert _without_times(methods_after) == _without_times(methods_before)


def _without_times(value):
    """The methods JSON without its clock readings (when it was made, how long coding took)."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if not k.endswith(("_utc", "generated"))}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def test_re_ingesting_a_file_as_the_other_kind_needs_replace(runner, files, tmp_path):
    db = tmp_path / "kinds.db"
    note = tmp_path / "note.md"
    note.write_text(textwrap.dedent(POLICY_MD), encoding="utf-8")
    cli(runner, db, "ingest", "--kind", "document", str(note))
    again = runner.invoke(app, ["ingest", str(note), "--db", str(db)])
    assert again.exit_code == 1
    assert again.stderr.splitlines()[0] == (
        f'Error: "{note}": id "note" is already taken by a document in the project. Give the interview '
        "another id (rename the file), or pass --replace to store it as an interview instead."
    )
    cli(runner, db, "ingest", str(note), "--replace")
    rows = json.loads(cli(runner, db, "transcripts", "list", "--format", "json"))
    assert [(r["id"], r["kind"]) for r in rows] == [("note", "interview")]


def test_coder_progress_by_kind(runner, project):
    def progress(*args):
        rows = json.loads(cli(runner, project, "coders", "--format", "json", *args))
        return {r["coder"]: (r["coded"], r["total"]) for r in rows}

    assert progress() == {"alice": (6, 6), "bob": (6, 6)}  # participant turns, as before documents
    assert progress("--kind", "document") == {"alice": (7, 7), "bob": (7, 7)}
    assert progress("--kind", "all") == {"alice": (13, 13), "bob": (13, 13)}


def test_a_section_over_a_page_break_is_cited_with_both_pages(runner, files, project):
    # "2 Dispatch" runs from page 1 onto page 2 of the MOU: a quote from it was cited as "page 1".
    found = cli(runner, project, "retrieve", "co-responder", "--kind", "document", "--source", "alice")
    assert "B_mou segment 2, section 2 Dispatch, pages 1–2 (document)" in found
    assert "B_mou segment 1, section 1 Purpose, page 1 (document)" in found  # one page: as before
    hits = json.loads(
        cli(
            runner,
            project,
            "retrieve",
            "co-responder",
            "--kind",
            "document",
            "--source",
            "alice",
            "--format",
            "json",
        )
    )["hits"]
    assert [(h["segment"], h["page"], h["end_page"]) for h in hits] == [(1, 1, 1), (2, 1, 2)]
    pdf = files / "interviews" / "documents" / "B_mou.pdf"
    fresh = project.parent / "fresh.db"  # a dry run of the MOU as a new project would store it
    dry = json.loads(cli(runner, fresh, "ingest", "--kind", "document", "--dry-run", "-f", "json", str(pdf)))
    assert [(s["page"], s["end_page"]) for s in dry["outcomes"][0]["segment_list"]] == [
        (1, 1),
        (1, 2),
        (2, 2),
    ]
    # Carol reads section 2 another way: the lead reconciling it sees where it is in the MOU.
    carol = files / "carol_docs.csv"
    carol.write_text(
        "transcript,segment,coder,codes,note\nB_mou,2,carol,stance-supportive,\n", encoding="utf-8"
    )
    cli(runner, project, "decisions", "import", str(carol))
    walked = runner.invoke(
        app,
        [
            "reconcile",
            "--coder",
            "lead",
            "--coders",
            "alice,carol",
            "--kind",
            "document",
            "--db",
            str(project),
        ],
        input="q\n",
        catch_exceptions=False,
    )
    assert "2 Dispatch · pages 1–2:\nDispatch sends the team" in walked.stdout


def test_a_document_stored_before_end_pages_gets_them_when_ingested_again_with_its_coding(
    runner, files, project
):
    # A project made before segments kept their end page cites "2 Dispatch" as page 1; --replace would
    # drop the coding. Ingesting the same file again fills the end pages in and keeps every decision.
    db = open_db(project)
    with db.conn:
        db.execute("UPDATE segments SET end_page = NULL WHERE transcript_id = 'B_mou'")
    db.close()
    before = cli(runner, project, "decisions", "export", "--format", "json")
    pdf = files / "interviews" / "documents" / "B_mou.pdf"
    again = runner.invoke(app, ["ingest", "--kind", "document", str(pdf), "--db", str(project)])
    assert again.exit_code == 0, again.stderr
    assert (
        "already in the project with the same content; the pages its segments end on were filled in "
        "(1 of its segments runs onto a later page)"
    ) in again.stderr
    detail = json.loads(cli(runner, project, "transcripts", "show", "B_mou", "--format", "json"))
    assert [(s["page"], s["end_page"]) for s in detail["segments"]] == [(1, 1), (1, 2), (2, 2)]
    assert cli(runner, project, "decisions", "export", "--format", "json") == before
    third = runner.invoke(app, ["ingest", "--kind", "document", str(pdf), "--db", str(project)])
    assert "filled in" not in third.stderr  # once only


def test_a_document_stored_before_the_pages_of_its_words_gets_them_when_ingested_again(
    runner, files, project
):
    # A project that kept end pages but not yet the pages inside a segment cites an excerpt with its
    # section's pages; ingesting the same file again fills them in, and keeps the coding.
    db = open_db(project)
    with db.conn:
        db.execute("UPDATE segments SET page_spans = NULL")
    db.close()
    pdf = files / "interviews" / "documents" / "B_mou.pdf"
    again = runner.invoke(app, ["ingest", "--kind", "document", str(pdf), "--db", str(project)])
    assert (
        "already in the project with the same content; the pages of its segments' words were filled in "
        "(1 of its segments runs onto a later page)"
    ) in again.stderr
    db = open_db(project)
    assert db.execute(
        "SELECT n, page_spans FROM segments WHERE transcript_id = 'B_mou' AND page_spans IS NOT NULL"
    ).fetchall() == [(2, "[[0, 68, 1, 1], [68, 94, 2, 2]]")]
    db.close()
    third = runner.invoke(app, ["ingest", "--kind", "document", str(pdf), "--db", str(project)])
    assert "filled in" not in third.stderr  # once only


def test_reconcile_walks_document_disagreements_with_their_headings(runner, project):
    result = runner.invoke(
        app,
        ["reconcile", "--coder", "lead", "--coders", "alice,bob", "--kind", "document", "--db", str(project)],
        input="s\nq\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert "3 Drop-off:\nOfficers may drop off a person at any hour." in result.stdout  # A_policy segment 4
    # Skipped to B_mou segment 3, which starts on the PDF's second page.
    assert "3 Follow-up · page 2:\nThe clinician calls each person within two days." in result.stdout
    interviews = runner.invoke(
        app, ["reconcile", "--coder", "lead", "--coders", "alice,bob", "--db", str(project)], input="q\n"
    )
    assert "P2" in interviews.stdout and "Drop-off" not in interviews.stdout


def test_an_identifier_in_a_footnote_is_refused_by_the_gate_and_found_by_deid_scan(tmp_path, runner, db_path):
    # Read as a document, a footnote is text the gate scans; `deid scan`, which the refusal points to,
    # read the .docx as a transcript without its notes and said it was clean.
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_paragraph("1 Eligibility", style="Heading 1")
    p = doc.add_paragraph("Adults in crisis are admitted.")
    p._p.append(parse_xml(f'<w:r {W_NS}><w:footnoteReference w:id="1"/></w:r>'))
    doc.add_paragraph("2 Review", style="Heading 1")
    doc.add_paragraph("The board reviews it every year.")
    path = tmp_path / "A_policy.docx"
    doc.save(path)
    _with_notes(path, {"footnote": ["Questions: call the intake desk at (555) 201-4432."]})
    refused = runner.invoke(app, ["ingest", "--kind", "document", str(path), "--db", str(db_path)])
    assert refused.exit_code == 1 and "likely identifiers at 5:48 (phone)" in refused.stderr
    scan = runner.invoke(app, ["deid", "scan", str(path)])
    assert scan.exit_code == 3, scan.stdout + scan.stderr
    assert f"{path}:9:48 phone (555) 201-4432" in scan.stdout


# A policy saved as text from its PDF, as pdftotext writes it: paragraphs apart, a form feed starting each
# page, the running header and the "Page N of M" footer on every page, a word hyphenated over a page.
PDFTOTEXT_POLICY = (
    "Jurisdiction A CSU Admission Policy\n\n1 Purpose\n\nThis policy sets out who the unit admits and how.\n\n"
    "2 Exclusion criteria\n\nPersons who are intoxicated are not admitted, and officers take them to the\n"
    "emergency department, where they are medically cleared be-\n\nPage 1 of 3\n"
    "\fJurisdiction A CSU Admission Policy\n\nfore they come back to the unit. A co-responder may\n"
    "come along.\n\n3 Transport\n\nTransport is by ambulance.\n\nPage 2 of 3\n"
    "\fJurisdiction A CSU Admission Policy\n\n4 Review\n\nThe board reviews this policy every year.\n\n"
    "Page 3 of 3\n\f"
)


def test_a_policy_saved_as_text_from_a_pdf_leaves_its_page_heads_out(tmp_path):
    # The running header and the page footers were coded as the sections' text ("... cleared be-\n\n
    # Page 1 of 3\n\nJurisdiction A CSU Admission Policy\n\nfore they ..."), with no word said.
    path = tmp_path / "A_policy.txt"
    path.write_text(PDFTOTEXT_POLICY, encoding="utf-8")
    parsed = parse_document(path)
    # Section 2 runs from page 1 onto page 2 (the paragraph hyphenated over the page break, and the
    # sentence after it): it ends on page 2.
    assert [(s.label, s.page, s.end_page) for s in parsed.segments] == [
        ("1 Purpose", 1, 1),
        ("2 Exclusion criteria", 1, 2),
        ("3 Transport", 2, 2),
        ("4 Review", 3, 3),
    ]
    assert [(s.label, s.page, s.text) for s in parsed.segments] == [
        ("1 Purpose", 1, "This policy sets out who the unit admits and how."),
        (
            "2 Exclusion criteria",
            1,
            (
                "Persons who are intoxicated are not admitted, and officers take them to the\nemergency department, "
                "where they are medically cleared before they come back to the unit. A co-responder may\ncome along."
            ),
        ),
        ("3 Transport", 2, "Transport is by ambulance."),
        ("4 Review", 3, "The board reviews this policy every year."),
    ]
    assert [(w.kind, w.message) for w in parsed.warnings] == [
        (
            "left_out",
            (
                "A_policy: lines 1, 12, 13, 22, 23 and 1 more left out: read as page headers or footers (a line "
                "repeated at the top or bottom of the pages, or a page number), not the document's text. If one "
                "of them is text, delete the page headers from the file and ingest it again; "
                f'"wei-qual ingest --kind document --dry-run {path}" shows how it is read.'
            ),
        )
    ]


def test_an_excerpt_is_cited_with_the_pages_of_its_own_words(runner, files, project):
    # "2 Dispatch" runs from page 1 onto page 2; alice marked "to welfare checks", on page 2, and it was
    # cited "pages 1–2", the section's, as a quote from page 1 would be.
    from wei_qual.models import Decision, Excerpt
    from wei_qual.store.decisions import save_decision

    mou = parse_document(files / "interviews" / "documents" / "B_mou.pdf")
    dispatch = mou.segments[1]
    turn = dispatch.text.index("agrees")
    assert dispatch.page_spans == ((0, turn, 1, 1), (turn, len(dispatch.text), 2, 2))
    assert [s.page_spans for s in (mou.segments[0], mou.segments[2])] == [None, None]  # on one page
    db = open_db(project)
    at = dispatch.text.index("to welfare checks")
    save_decision(
        db,
        Decision(
            "B_mou",
            2,
            "alice",
            frozenset({"co-responder"}),
            excerpts=(Excerpt("co-responder", at, at + len("to welfare checks")),),
        ),
    )
    db.close()
    args = ("retrieve", "co-responder", "--kind", "document", "--source", "alice")
    found = cli(runner, project, *args)
    assert (
        "B_mou segment 2, section 2 Dispatch, page 2 (the excerpt; the section is on pages 1–2) (document)"
        in found
    )
    assert "B_mou segment 1, section 1 Purpose, page 1 (document)" in found
    hits = json.loads(cli(runner, project, *args, "--format", "json"))["hits"]
    assert [(h["segment"], h["page"], h["end_page"], h["excerpts"]) for h in hits][1] == (
        2,
        1,
        2,
        [
            {
                "code": "co-responder",
                "start": at,
                "end": at + 17,
                "text": "to welfare checks",
                "page": 2,
                "end_page": 2,
            }
        ],
    )
    # In NVivo, ATLAS.ti or MAXQDA the excerpt's selection names its page too.
    import re
    import zipfile

    out = project.parent / "study.qdpx"
    cli(runner, project, "project", "export", str(out))
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert re.findall(r'name="(B_mou segment \d excerpt[^"]*)"', qde) == ["B_mou segment 2 excerpt, page 2"]


def test_text_saved_from_a_pdf_keeps_the_page_of_each_word(tmp_path):
    # A policy saved as text from its PDF (pdftotext): the form feed that ends page 1 falls inside a
    # paragraph.
    path = tmp_path / "policy.txt"
    path.write_text(
        "1 Admission\n\nOfficers call the unit before\n\fthey arrive with a person in crisis.\n\n"
        "2 Transport\n\nThe county provides no transport.\n",
        encoding="utf-8",
    )
    admission = parse_document(path).segments[0]
    assert admission.text == "Officers call the unit before\nthey arrive with a person in crisis."
    cut = admission.text.index("they")
    assert (admission.page, admission.end_page) == (1, 2)
    assert admission.page_spans == ((0, cut, 1, 1), (cut, len(admission.text), 2, 2))


@pytest.mark.parametrize(
    "text, labels",
    [
        (  # a script with no capitals: headings alone on their line; a list inside a section stays its text
            (
                "1. מטרה\n\nמסמך זה קובע את כללי הקבלה.\n\n2. היקף\n\nהמדיניות חלה על כל הצוות.\n\n"
                "3. מדיניות הקבלה\n\nאין קבלה של:\n\n1. אנשים שיכורים\n\n2. קטינים\n"
            ),
            ["1. מטרה", "2. היקף", "3. מדיניות הקבלה"],  # the list is the third section's text
        ),
        (  # Arabic
            "1. الغرض\n\nتحدد هذه الوثيقة القواعد.\n\n2. النطاق\n\nتنطبق السياسة على الجميع.\n",
            ["1. الغرض", "2. النطاق"],
        ),
        (  # run-in titles in Cyrillic and Greek, and a Latin one with an accented capital
            (
                "1. Цель. Этот документ задаёт правила.\n\n2. Όροι. Το κείμενο ισχύει.\n\n"
                "3. Ámbito. La política se aplica a todos.\n"
            ),
            ["1. Цель", "2. Όροι", "3. Ámbito"],
        ),
    ],
)
def test_numbered_headings_in_any_script_split_the_document(tmp_path, text, labels):
    path = tmp_path / "policy.md"
    path.write_text(text, encoding="utf-8")
    segments = parse_document(path).segments
    assert [s.label for s in segments] == labels
    if "קטינים" in text:
        assert segments[-1].text.endswith("1. אנשים שיכורים\n\n2. קטינים")


def test_a_numbered_list_in_lower_case_is_no_section_in_a_script_with_capitals(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("1. пациенты в состоянии опьянения\n\n2. несовершеннолетние\n", encoding="utf-8")
    assert [s.label for s in parse_document(path).segments] == [None, None]
