"""Regenerate the two fictional policy documents in this folder.

Run from the repository:  python transcripts_sample/documents/make_documents.py
(needs fpdf2 and python-docx: pip install -e '.[test]').

A_CSU_admission_policy.pdf: a crisis stabilization unit's admission policy for "Jurisdiction A", with a
running header, a "Page N of M" footer and numbered sections (4.2 Title) set in bold.
B_coresponder_MOU.docx: a co-responder memorandum of understanding for "Jurisdiction B", with numbered
run-in sections ("1. Purpose. The...") and sub-numbered clauses (3.1, 3.2), and a page break.
Both documents are fictional, written for demonstration and tests: no real agency, unit or person.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_DATE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)  # reproducible files

POLICY_TITLE = "Crisis Stabilization Unit Admission Policy"
POLICY_HEADER = "Jurisdiction A Behavioral Health Authority - CSU Admission Policy (fictional)"
# (heading or None, paragraphs): a None heading is a plain paragraph before the first section.
POLICY = [
    (
        None,
        [
            "This policy is fictional. It was written for the wei-qual sample and describes no real unit, "
            "agency or person.",
        ],
    ),
    (
        "1 Purpose",
        [
            "The Crisis Stabilization Unit (CSU) offers short-term crisis care for adults in a mental health "
            "crisis, as an alternative to the emergency department and to jail. This policy sets out who the "
            "unit admits, how law enforcement drop-offs work, and how discharge and follow-up are arranged.",
        ],
    ),
    (
        "2 Scope",
        [
            "This policy applies to all CSU staff, to the mobile crisis team and to every law enforcement "
            "agency in Jurisdiction A that brings people to the unit.",
        ],
    ),
    ("3 Admission", []),
    (
        "3.1 Eligibility",
        [
            "The unit admits adults in a mental health crisis who can be cared for safely outside a hospital. "
            "Admission is decided by the intake clinician on duty, at any hour of the day or night, and does "
            "not depend on insurance.",
        ],
    ),
    (
        "3.2 Exclusion criteria",
        [
            "The unit does not admit a person who:",
            "(a) is intoxicated to the point of needing medical monitoring, or whose level of intoxication "
            "requires medical clearance;",
            "(b) has a medical condition that needs hospital care, including injuries from the incident;",
            "(c) is actively violent, or is held on a charge for a violent offense. Such persons are taken to "
            "the emergency department or remain in law enforcement custody.",
        ],
    ),
    (
        "3.3 Medical clearance",
        [
            "A person excluded under 3.2 (a) or (b) may be admitted once an emergency department has issued "
            "medical clearance. The unit does not ask for medical clearance when a person has used alcohol or "
            "drugs but is awake, steady and able to talk with the intake clinician.",
        ],
    ),
    (
        "3.4 Law enforcement drop-off",
        [
            "Officers may bring a person to the unit without calling ahead. The intake clinician accepts the "
            "transfer within fifteen minutes of arrival so that officers can return to service; officers are "
            "never asked to wait for a bed.",
        ],
    ),
    (
        "3.5 Capacity",
        [
            "When every bed is full, the intake clinician arranges a transfer to a partner unit or to the "
            "emergency department. No person is turned away without a referral.",
        ],
    ),
    (
        "4 Transportation",
        [
            "The unit does not provide transport to or from the unit. In the rural parts of the jurisdiction "
            "the mobile crisis team may transport a person who is calm and agrees to come, when no officer "
            "is needed.",
        ],
    ),
    ("5 Discharge and follow-up", []),
    (
        "5.1 Discharge planning",
        [
            "Before a person leaves, the unit agrees a discharge plan with them and books a first appointment "
            "with an outpatient provider within seven days.",
        ],
    ),
    (
        "5.2 Follow-up",
        [
            "The unit calls each person within three days of discharge, and arranges a home visit by the "
            "mobile crisis team when the person cannot be reached by phone.",
        ],
    ),
    (
        "6 Review",
        [
            "The unit's director and the law enforcement liaison committee review this policy every year.",
        ],
    ),
]

MOU_TITLE = "Memorandum of Understanding: Co-responder Program"
MOU = [
    "Between the Jurisdiction B Police Department and the Jurisdiction B Behavioral Health Authority. This "
    "memorandum is fictional, written for the wei-qual sample; it describes no real agency or person.",
    "1. Purpose. This memorandum sets out how police officers and behavioral health clinicians respond "
    "together to calls that involve a mental health crisis, so that people in crisis are connected to care "
    "rather than to jail or the emergency department.",
    "2. Parties. The Police Department assigns patrol officers to the program. The Behavioral Health "
    "Authority employs the clinicians, who remain its employees while they ride with the police.",
    "3. Roles and responsibilities",
    "3.1 The clinician assesses the person, calms the situation where possible, and decides with the officer "
    "whether the person can stay at home, go to the crisis stabilization unit, or needs an emergency "
    "evaluation.",
    "3.2 The officer secures the scene and is responsible for the safety of everyone present. The clinician "
    "does not approach the person until the officer says the scene is safe.",
    "3.3 Both partners complete the crisis intervention team (CIT) course within their first six months in "
    "the program.",
    "4. Dispatch. Dispatch assigns the team to calls coded as mental health calls. Officers on scene may "
    "request the team, and the team may assign itself when a call on the radio appears to need it.",
    "5. Calls beyond mental health. The team may respond to welfare checks on people experiencing "
    "homelessness and to family conflict where a member has a mental illness. Calls that involve domestic "
    "violence are handled by patrol officers; the clinician may follow up afterward.",
    None,  # a page break
    "6. Hours and coverage. The team works ten-hour shifts in the afternoon and evening. Outside those hours "
    "calls are handled by patrol officers, who may ask for the county mobile crisis team.",
    "7. Admission to the crisis unit. The team may take a person to the crisis stabilization unit when the "
    "person agrees. The unit does not accept people who are intoxicated; they are taken to the emergency "
    "department for medical clearance first.",
    "8. Follow-up. Within two working days of a contact the clinician tries to reach each person seen, by "
    "phone or with a home visit, and keeps a list of frequent contacts for outreach between calls.",
    "9. Information sharing. The partners share only the information needed for the person's care and "
    "safety, under the Authority's privacy rules.",
    "10. Review. The partners review this memorandum each year, using the program's call and follow-up data.",
]


def policy_pdf(path: Path) -> None:
    from fpdf import FPDF

    class Policy(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, POLICY_HEADER, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Policy(format=(148, 210))  # A5: a small page, so the short policy runs over three pages
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(POLICY_TITLE)
    pdf.set_author("wei-qual sample (fictional)")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 7, POLICY_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, paragraphs in POLICY:
        if heading is not None:
            pdf.ln(2)
            pdf.set_font("Helvetica", style="B", size=10)
            pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.set_font("Helvetica", size=10)
        for text in paragraphs:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))


def mou_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = ""
    props.title = MOU_TITLE
    props.comments = "Fictional memorandum written for demonstration and tests."
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    doc.add_heading(MOU_TITLE, level=1)
    for text in MOU:
        if text is None:
            doc.add_page_break()
        else:
            doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    # The same bytes on every run: zip entries dated FIXED_DATE rather than now.
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, source.read(item.filename))


if __name__ == "__main__":
    policy_pdf(HERE / "A_CSU_admission_policy.pdf")
    mou_docx(HERE / "B_coresponder_MOU.docx")
