"""Text whose accents are written decomposed (Unicode NFD: `e` and a combining grave accent), as text
saved on a Mac or copied from a PDF may be. A combining mark is no word character, so the label
`Infirmière:` written that way was no label, and the whole interview one turn of no one's. The text is
kept as written (docs/ingest.md, Encodings)."""

from __future__ import annotations

import unicodedata

from docx import Document

from wei_qual.ingest import parse_transcript

# A French-speaking unit's nurse interviewed about a crisis admission (fictional).
TURNS = [
    "Intervieweuse: Vous êtes arrivée à l'hôpital à quelle heure ?",
    "Infirmière: Vers vingt-deux heures. La police était déjà là avec le patient.",
    "Intervieweuse: Et qui a décidé de l'admission ?",
    "Infirmière: Le médecin de garde, après une évaluation complète. José, mon collègue, a rempli le dossier.",
]


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the fixture holds accents to decompose
    return decomposed


def _check(transcript) -> None:
    speakers = [unicodedata.normalize("NFC", s.speaker) for s in transcript.segments]
    assert speakers == ["Intervieweuse", "Infirmière", "Intervieweuse", "Infirmière"]
    assert [s.text for s in transcript.segments] == [nfd(t.split(": ", 1)[1]) for t in TURNS]


def test_plain_text_in_nfd_is_read_as_its_labels_say(tmp_path):
    path = tmp_path / "F07.txt"
    path.write_text(nfd("\n\n".join(TURNS) + "\n"), encoding="utf-8")
    _check(parse_transcript(path))


def test_word_document_in_nfd_is_read_as_its_labels_say(tmp_path):
    doc = Document()
    for turn in TURNS:
        doc.add_paragraph(nfd(turn))
    path = tmp_path / "F07.docx"
    doc.save(path)
    _check(parse_transcript(path))
