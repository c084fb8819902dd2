"""A cp1252 transcript with a bullet or a footnote's dagger after a word is not Mac Roman; a Mac Roman one
still is. Before, cp1252's "•" (0x95) and "‡" (0x87), which Mac Roman reads "ï" and "á", were taken as
Mac Roman's letters: a Windows file with "days•nights" or "the policy‡" was refused as Mac Roman (and,
read so, its "’" would have become "í"). The bytes are built with Python's codecs, as each program writes
them."""

from __future__ import annotations

import pytest

from wei_qual.charsets import mac_roman_evidence
from wei_qual.cli import app
from wei_qual.store import open_db
from wei_qual.store.transcripts import iter_segments

CP1252 = [
    # Word's "Save as Plain Text" (Windows): a bullet between words, a dagger marking a footnote.
    "Interviewer: Which shifts do you cover?\r\nP07: Days•nights•swing, whatever’s open. It’s the sergeant’s call.\r\n",
    "Interviewer: Is that written down?\r\nP07: It’s in the county policy‡ we got last year.\r\n",
    "Interviewer: Where is it?\r\nP07: Under the general orders, section§4, I think. It’s long.\r\n",
]
MAC_ROMAN = [
    # TextEdit's "Western (Mac OS Roman)": "á" is 0x87 (cp1252's "‡"), "é" 0x8E ("Ž"), "ç" 0x8D (none).
    "Entrevistadora: ¿Cuándo es más difícil?\rP07: De noche es más difícil, no hay nadie.\r",
    "Interviewer: Where did you go?\rP07: The clínica, then José’s house. Café after.\r",
    "Interviewer: And after?\rP07: The façade of the building was all we saw.\r",
]


@pytest.mark.parametrize("text", CP1252)
def test_a_bullet_or_a_dagger_after_a_word_is_no_mac_roman(text):
    assert mac_roman_evidence(text.encode("cp1252"), "cp1252") is None
    assert mac_roman_evidence(text.encode("cp1252"), "latin-1") is None


@pytest.mark.parametrize("text", MAC_ROMAN)
def test_a_mac_roman_file_is_still_told(text):
    found = mac_roman_evidence(text.encode("mac_roman"), "cp1252")
    assert found is not None
    at, _, mac = found
    assert mac in "áéç" and text.encode("mac_roman")[at : at + 1].decode("mac_roman") == mac


def test_a_cp1252_transcript_with_a_bullet_is_ingested_as_cp1252(runner, db_path, tmp_path):
    path = tmp_path / "P07.txt"
    path.write_bytes(CP1252[0].encode("cp1252"))
    result = runner.invoke(app, ["ingest", str(path), "--encoding", "cp1252", "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert [r["text"] for r in iter_segments(open_db(db_path))][1] == (
        "Days•nights•swing, whatever’s open. It’s the sergeant’s call."
    )
