"""Word files as Word writes them (tests/_word.py: Word's namespaces, rsids, xml:space="preserve"),
read as transcripts and as documents: tracked changes that join paragraphs, the breaks that start a page
and those that do not, and a table row over a page break. All text is fictional."""

from __future__ import annotations

from _word import CHANGE, cell, para, row, run, table, write_docx

from wei_qual.ingest import parse_document, parse_transcript

DELETED_MARK = f'<w:rPr><w:del w:id="3" {CHANGE}/></w:rPr>'  # the paragraph mark deleted with Track Changes


def _segments(t):
    return [(s.speaker, s.text) for s in t.segments]


def test_a_tracked_deletion_of_a_paragraph_mark_joins_the_two_paragraphs(tmp_path):
    # Read as two paragraphs (a paragraph break in the middle of the answer, and a "paragraph" the PII
    # gate and the warnings counted apart), though Word shows one once the change is accepted, which is
    # how the reader reads every tracked change.
    body = "".join(
        [
            para(run("Interviewer: How did the call end?")),
            para(run("KP81: We drove him to the crisis unit, and they took him in "), ppr=DELETED_MARK),
            para(run("after about forty minutes at intake.")),
            para(run("Interviewer: Was that usual?")),
            para(run("KP81: No. Most nights it takes two hours.")),
        ]
    )
    t = parse_transcript(write_docx(tmp_path / "KP81.docx", body))
    assert _segments(t) == [
        ("Interviewer", "How did the call end?"),
        (
            "KP81",
            "We drove him to the crisis unit, and they took him in after about forty minutes at intake.",
        ),
        ("Interviewer", "Was that usual?"),
        ("KP81", "No. Most nights it takes two hours."),
    ]
    assert [w.message for w in t.warnings if w.kind == "tracked_changes"] == [
        (
            "KP81: 1 tracked change was read as accepted (inserted text kept, deleted text left out). If the "
            "text should read otherwise, accept or reject them in Word or LibreOffice and ingest it again with "
            "--replace."
        )
    ]


def test_a_joined_paragraph_of_a_document_is_one_paragraph_and_a_mark_before_a_table_joins_nothing(tmp_path):
    body = "".join(
        [
            para(
                run("1. Purpose. This protocol sets out how the unit admits people brought "),
                ppr=DELETED_MARK,
            ),
            para(run("by law enforcement.")),
            para(run("2. Transport. Officers transport people to the unit."), ppr=DELETED_MARK),
        ]
    )
    body += table(row(cell(para(run("Hours"))), cell(para(run("Around the clock"))), cell(para(run("")))))
    doc = parse_document(write_docx(tmp_path / "protocol.docx", body))
    assert [(s.label, s.text) for s in doc.segments] == [
        ("1. Purpose", "This protocol sets out how the unit admits people brought by law enforcement."),
        ("2. Transport", "Officers transport people to the unit.\n\nHours | Around the clock"),
    ]
    assert [w.kind for w in doc.warnings] == ["tracked_changes"]
