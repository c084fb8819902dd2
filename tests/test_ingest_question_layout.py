"""An interview published with its questions set apart and no answer labelled (a blog post's Markdown:
front matter, headings, the questions in blockquotes or in bold, the answers plain paragraphs; or only
the questions labelled `Q:`): read as Q and A turns where the layout is consistent, said in a warning,
and left as today (no labels, warned) where it is not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wei_qual.cli import app
from wei_qual.ingest import parse_transcript

DATA = Path(__file__).parent / "data"
# A Jekyll post: front matter, a title heading, an italic editor's note, section headings, five
# blockquoted questions each answered in one or two plain paragraphs.
BLOG = (DATA / "blog_interview_blockquote.md").read_text()
QUESTIONS = [
    "How did you come to work on the mobile crisis team?",
    "What does a normal shift look like?",
    "What happens when the crisis unit has no beds?",
    "Who makes that call in the end?",
    "If you could change one thing, what would it be?",
]


def _as(text: str, form: str) -> str:
    """The blog post with its questions written another way (`{}` stands for the question)."""
    for q in QUESTIONS:
        text = text.replace(f"> {q}", form.format(q))
    return text


def _read(make_transcript, text, name="P40.md"):
    t = parse_transcript(make_transcript(text, name))
    return t, [(s.speaker, s.role) for s in t.segments]


def _expected(questions_as=QUESTIONS):
    turns = [(None, "review")]  # the editor's note before the first question: no one's
    for _ in questions_as:
        turns += [("Q", "interviewer"), ("A", "participant")]
    return turns


def test_blockquoted_questions_are_the_interviewers_and_plain_answers_the_participants(make_transcript):
    t, turns = _read(make_transcript, BLOG)
    assert turns == _expected()
    assert [s.text for s in t.segments if s.speaker == "Q"] == QUESTIONS
    first = next(s for s in t.segments if s.speaker == "A")
    assert first.text.startswith("I started as a dispatcher") and first.text.endswith("with the clinicians.")
    assert t.attributes["title"].startswith("Nights on the mobile crisis team")
    (said,) = [w.message for w in t.warnings if w.kind == "question_layout"]
    assert said.startswith(
        "P40: no answer is labelled, but the 5 questions are set apart in blockquotes (> ...): read as the "
        'interviewer\'s turns ("Q") and the plain paragraphs after each as the participant\'s ("A"); the text '
        "before the first question (segment 1) is no one's, role review"
    )
    assert "unlabelled_text" not in {w.kind for w in t.warnings}


def test_bold_questions_and_q_labels_alone_read_the_same(make_transcript):
    for form, mark in (
        (
            "### {}",
            "as headings that ask (### ...?)",
        ),  # dev.to and Medium interviews: before, dropped as headings
        ("**{}**", "as paragraphs all in bold"),
        ("**Q: {}**", "as paragraphs all in bold"),
        ("**Q:** {}", 'by a "Q:" label, the answers with no "A:"'),
        ("Q: {}", 'by a "Q:" label, the answers with no "A:"'),
    ):
        t, turns = _read(make_transcript, _as(BLOG, form))
        assert turns == _expected(), form
        assert [s.text for s in t.segments if s.speaker == "Q"] == QUESTIONS, form
        assert {w.kind for w in t.warnings} == {"question_layout"}, form
        assert mark in t.warnings[0].message


def test_a_plain_text_file_labelling_only_the_questions(make_transcript):
    # Typed in a word processor and saved as text: no front matter, no headings.
    body = "\n".join(line for line in BLOG.split("---\n", 2)[2].split("\n") if not line.startswith("#"))
    t, turns = _read(make_transcript, _as(body, "Q: {}"), "P41.txt")
    assert turns == _expected()
    assert [w.kind for w in t.warnings] == ["question_layout"]


def test_an_inconsistent_layout_is_left_as_before(make_transcript):
    # Two questions in a row with no answer between them: not this layout, warned as a file with no labels.
    text = BLOG.replace(
        "> What does a normal shift look like?\n",
        "> What does a normal shift look like?\n\n> And the weekends?\n",
    )
    t, turns = _read(make_transcript, text)
    assert {speaker for speaker, _ in turns} == {None}
    assert "question_layout" not in {w.kind for w in t.warnings}
    assert "unlabelled_text" in {w.kind for w in t.warnings}
    # Blockquotes that ask nothing (an essay's pull quotes) are no questions.
    essay = "# Field notes\n\n> The truck is the office.\n\nWe drove out at seven.\n\n> Beds are the whole story.\n\nNo beds again tonight.\n"
    t, turns = _read(make_transcript, essay, "notes.md")
    assert {speaker for speaker, _ in turns} == {None}
    # A labelled interview with blockquoted turns is read by its labels, as before.
    labelled = "> Dana: How did you start?\n\n> Marcus: As a dispatcher.\n\n> Dana: And then?\n\n> Marcus: The crisis team.\n"
    _, turns = _read(make_transcript, labelled, "P42.md")
    assert [speaker for speaker, _ in turns] == ["Dana", "Marcus", "Dana", "Marcus"]


def test_ingest_and_show(runner, db_path, tmp_path):
    shutil.copy(DATA / "blog_interview_blockquote.md", tmp_path / "P40.md")
    result = runner.invoke(app, ["ingest", str(tmp_path / "P40.md"), "--allow-pii", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert "P40: Q = interviewer (5 turns" in result.stderr and "A = participant (5 turns" in result.stderr
    shown = json.loads(
        runner.invoke(app, ["transcripts", "show", "P40", "-f", "json", "--db", str(db_path)]).stdout
    )
    assert [s["role"] for s in shown["segments"]] == [role for _, role in _expected()]


# The same interview typed in Word: a bold title, the editor's note, each question a paragraph all in
# bold (Word splits a bold question into runs at its rsids), the answers plain paragraphs, an empty
# paragraph between exchanges.
WORD_QA = [
    (
        QUESTIONS[0],
        ["I started as a dispatcher, actually.", "The training was six weeks, most of it riding along."],
    ),
    (QUESTIONS[1], ["We come on at seven. Most nights it's me and one clinician in the truck."]),
    (QUESTIONS[2], ["Then it's the emergency room, or the jail if there's a charge."]),
]


def test_a_word_file_with_its_questions_in_bold(tmp_path):
    from _word import para, run, write_docx

    bold = "<w:b/><w:bCs/>"
    body = para(run("Interview with Marcus Bell", props=bold), ppr='<w:pStyle w:val="Title"/>')
    body += para(run("Conducted by phone in April 2023; edited for length.", props="<w:i/>"))
    for q, answers in WORD_QA:
        cut = q.index(" ", 10)
        body += para(run(q[:cut], props=bold), run(q[cut:], rsid="00A41F2C", props=bold))
        body += "".join(para(run(a)) for a in answers) + para()
    t = parse_transcript(write_docx(tmp_path / "P43.docx", body))
    assert [(s.speaker, s.role) for s in t.segments] == [(None, "review")] + [
        ("Q", "interviewer"),
        ("A", "participant"),
    ] * 3
    assert [s.text for s in t.segments if s.speaker == "Q"] == QUESTIONS[:3]
    assert [w.kind for w in t.warnings] == ["question_layout"]
    assert "as paragraphs all in bold" in t.warnings[0].message


def test_an_rtf_file_with_its_questions_in_bold(tmp_path):
    exchanges = "".join(
        f"\\pard\\plain\\b {q}\\b0\\par " + "".join(f"\\pard\\plain {a}\\par " for a in answers)
        for q, answers in WORD_QA
    )
    path = tmp_path / "P44.rtf"
    path.write_bytes(("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Calibri;}}" + exchanges + "}").encode())
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [("Q", "interviewer"), ("A", "participant")] * 3


def _pdf(tmp_path, questions_bold: bool = True):
    """A published interview printed to PDF: a bold title, an editor's note, each question a paragraph in
    Helvetica-Bold (pdfplumber gives each character's font name), each answer a plain paragraph."""
    from _pdfs import make_pdf

    lines = ["# Nights on the mobile crisis team", "", "An interview with a dispatcher about nights.", ""]
    answers = [
        "I started as a dispatcher and moved over when the team began.",
        "Calls from ten until about four, then the paperwork.",
        "We wait, sometimes an hour, and then the ER.",
    ]
    for k, (q, a) in enumerate(zip(QUESTIONS, answers)):
        bold = questions_bold or k == 0  # else only the first: no layout to go by
        lines += [("# " if bold else "") + q, "", a, ""]
    return make_pdf(tmp_path / "P41.pdf", [lines])


def test_bold_questions_in_a_pdf_read_as_q_and_a(tmp_path):
    t = parse_transcript(_pdf(tmp_path))
    assert [(s.speaker, s.role) for s in t.segments] == _expected(QUESTIONS[:3])
    assert [s.text for s in t.segments if s.speaker == "Q"] == QUESTIONS[:3]
    assert t.segments[2].text == "I started as a dispatcher and moved over when the team began."
    assert t.attributes["title"] == "Nights on the mobile crisis team"
    (said,) = [w.message for w in t.warnings if w.kind == "question_layout"]
    assert "the 3 questions are set apart as paragraphs all in bold" in said
    assert "unlabelled_text" not in {w.kind for w in t.warnings}


def test_a_pdf_whose_bold_is_no_layout_warns_as_unlabelled(tmp_path):
    t = parse_transcript(_pdf(tmp_path, questions_bold=False))
    assert {s.speaker for s in t.segments} == {None}
    assert "question_layout" not in {w.kind for w in t.warnings}
    assert "unlabelled_text" in {w.kind for w in t.warnings}
