"""Google Meet's "Notes by Gemini" document: the AI summary (`📝 Notes`: summary, details, suggested next
steps, Gemini's review line) above or below the transcript (`📖 Transcript`) is set aside, said once, and
the title is the meeting's name."""

from __future__ import annotations

from pathlib import Path

from wei_qual.ingest import parse_transcript

DATA = Path(__file__).parent / "data"
TURNS = [
    ("Dana Whitfield", "interviewer"),
    ("KP40", "participant"),
] * 4


def _check(t, unit: str) -> None:
    assert [(s.speaker, s.role) for s in t.segments] == TURNS
    assert t.attributes["title"] == "KP40 interview"
    assert t.segments[-1].text == "Because it ties up a car for the whole night."
    for words in ("Summary", "Suggested next steps", "Gemini", "Notes", "Invited", "Transcript", "ended"):
        assert words not in t.text
    said = [w.message for w in t.warnings if "AI summary" in w.message]
    assert len(said) == 1 and f"an AI summary set aside ({unit}" in said[0]
    assert t.roles == "inferred"


def test_gemini_notes_txt_summary_above_the_transcript_is_set_aside():
    # The .txt Google Docs downloads (CRLF): notes, Gemini's review and survey lines, then the transcript.
    t = parse_transcript(DATA / "KP40_gemini_notes.txt", participant_ids=["KP40"])
    _check(t, "lines 1 to 22")


def test_gemini_notes_docx_summary_below_the_transcript_is_set_aside(tmp_path):
    import docx

    lines = (DATA / "KP40_gemini_notes.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("\U0001f4d6 Transcript")
    notes, transcript = lines[:start], lines[start:]
    document = docx.Document()
    for line in [*transcript, *notes]:  # the notes under the transcript, as a second tab downloads
        if line in ("\U0001f4d6 Transcript", "\U0001f4dd Notes"):
            document.add_heading(line, level=1)
        elif line in ("Summary", "Details", "Suggested next steps"):
            document.add_heading(line, level=2)
        elif line:
            document.add_paragraph(line)
    path = tmp_path / "KP40.docx"
    document.save(path)
    t = parse_transcript(path)
    _check(t, "paragraphs ")


def test_a_transcript_that_only_mentions_notes_keeps_its_words(tmp_path):
    # A participant who says "notes" or "transcript" is no Gemini document.
    path = tmp_path / "KP41.txt"
    path.write_text(
        "Interviewer: Did you keep notes?\nKP41: Yes, notes and a transcript of the call.\n"
        "Interviewer: Where are they?\nKP41: In the binder.\n",
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert "notes and a transcript" in t.text and not any("AI summary" in w.message for w in t.warnings)
