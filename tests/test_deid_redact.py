"""Redaction: consistent placeholders, the key file, never in place."""

from __future__ import annotations

import json
import os
import stat
import unicodedata

import pytest

from wei_qual.deid import scan_text
from wei_qual.deid.redact import KeyEntry, redact_file, redact_text
from wei_qual.errors import DeidError

TEXT = (
    "P07: Officer Ruiz met Maria Lopez at 1423 Elm Street.\n"
    "P07: Maria  Lopez called (555) 201-3344, then Lopez called 555-201-3344 again.\n"
    "P07: Ruiz wrote badge 4471 and Dr. Chen came. [NAME] was there.\n"
)
REDACTED = (
    "P07: Officer [PERSON-1] met [PERSON-2] at [ADDRESS-1].\n"
    "P07: [PERSON-2] called [PHONE-1], then [PERSON-2] called [PHONE-1] again.\n"
    "P07: [PERSON-1] wrote badge [ID-1] and Dr. [PERSON-3] came. [NAME] was there.\n"
)


def test_same_value_gets_the_same_placeholder_everywhere():
    result = redact_text(TEXT, scan_text(TEXT))
    assert result.text == REDACTED
    assert result.key == (
        KeyEntry("[PERSON-1]", "person", "Ruiz"),
        KeyEntry("[PERSON-2]", "person", "Maria Lopez"),
        KeyEntry("[ADDRESS-1]", "address", "1423 Elm Street"),
        KeyEntry("[PERSON-2]", "person", "Maria  Lopez"),
        KeyEntry("[PHONE-1]", "phone", "(555) 201-3344"),
        KeyEntry("[PERSON-2]", "person", "Lopez"),
        KeyEntry("[PHONE-1]", "phone", "555-201-3344"),
        KeyEntry("[ID-1]", "id_number", "4471"),
        KeyEntry("[PERSON-3]", "person", "Chen"),
    )
    assert result.placeholders == 6
    assert scan_text(result.text) == []  # placeholders are not findings


def test_a_number_said_in_groups_is_redacted_whole_and_a_leftover_digit_is_found():
    # before, "447" was redacted and "1" kept: "my badge number is [ID-1] 1"
    text = "my badge number is 447 1. we met him at 3rd and main, a guy by the name of ghost."
    result = redact_text(text, scan_text(text))
    assert (
        result.text
        == "my badge number is [ID-1]. we met him at [ADDRESS-1], a guy by the name of [PERSON-1]."
    )
    assert scan_text(result.text) == []
    # a copy redacted in part by hand is not passed as clean
    assert [(f.category, f.text) for f in scan_text("my badge number is [ID-1] 1.")] == [("id_number", "1")]


def test_a_name_or_number_with_an_invisible_character_in_it_is_redacted_whole():
    # Pasted from a chat or a web page, a zero-width space or soft hyphen inside a word shows as nothing:
    # the scan found "Oka" of "Oka\u200bfor" and "555-" of the phone, and the copy kept "for" and the rest.
    text = "Interviewer: Who came?\nP04: Sgt. Oka\u200bfor did, call him at 555-\u200b123-4567.\nAnd Mar\u00adia too."
    findings = scan_text(text)
    assert [(f.line, f.column, f.category, f.text) for f in findings] == [
        (2, 11, "person", "Oka\u200bfor"),
        (2, 36, "phone", "555-\u200b123-4567"),
        (3, 5, "person", "Mar\u00adia"),
    ]
    assert all(text[f.start : f.end] == f.text for f in findings)
    redacted = redact_text(text, findings).text
    assert "for did" not in redacted and "4567" not in redacted and "ia too" not in redacted
    assert redacted.splitlines()[1].startswith("P04: Sgt. [PERSON-1] did, call him at [PHONE-1].")


def test_a_surname_shared_by_two_people_is_not_merged():
    text = "Kevin Murphy and Sean Murphy came. Murphy left."
    assert redact_text(text, scan_text(text)).text == "[PERSON-1] and [PERSON-2] came. [PERSON-3] left."


def test_redact_file_writes_copy_and_key_owner_only(tmp_path):
    source = tmp_path / "p07.txt"
    source.write_text(TEXT, encoding="utf-8")
    out, key = tmp_path / "out.txt", tmp_path / "key.json"
    redact_file(source, out, key_path=key)
    assert source.read_text(encoding="utf-8") == TEXT  # never in place
    assert out.read_text(encoding="utf-8") == REDACTED
    rows = json.loads(key.read_text(encoding="utf-8"))
    assert rows[0] == {"placeholder": "[PERSON-1]", "category": "person", "original": "Ruiz"}
    assert len(rows) == 9
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_existing_key_file_is_made_owner_only(tmp_path):
    source = tmp_path / "p07.txt"
    source.write_text("Officer Ruiz came.\n", encoding="utf-8")
    key = tmp_path / "key.csv"
    key.write_text("old", encoding="utf-8")
    key.chmod(0o644)
    redact_file(source, tmp_path / "out.txt", key_path=key)
    assert key.read_text(encoding="utf-8") == "placeholder,category,original\n[PERSON-1],person,Ruiz\n"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600


def test_without_key_no_key_is_written(tmp_path):
    source = tmp_path / "p07.txt"
    source.write_text("Officer Ruiz came.\n", encoding="utf-8")
    redact_file(source, tmp_path / "out.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "p07.txt"]


def test_refuses_to_redact_in_place(tmp_path):
    source = tmp_path / "p07.txt"
    source.write_text("Officer Ruiz came.\n", encoding="utf-8")
    for out in (source, tmp_path / "." / "p07.txt"):
        with pytest.raises(DeidError, match="is the input file"):
            redact_file(source, out)
    os.link(source, tmp_path / "hard.txt")
    with pytest.raises(DeidError, match="is the input file"):
        redact_file(source, tmp_path / "hard.txt")
    with pytest.raises(DeidError, match="is the input or output file"):
        redact_file(source, tmp_path / "out.txt", key_path=tmp_path / "out.txt")
    assert source.read_text(encoding="utf-8") == "Officer Ruiz came.\n"
    assert not (tmp_path / "out.txt").exists()


def test_allowlisted_phrases_are_kept(tmp_path):
    text = "Officer Friendly and Officer Ruiz came."
    assert redact_text(text, scan_text(text, allow=["Officer Friendly"])).text == (
        "Officer Friendly and Officer [PERSON-1] came."
    )


def test_a_name_typed_in_lower_case_gets_the_persons_placeholder():
    # Speech recognition writes a name as it hears it: "okafor", "maria". Every mention is the same
    # person; the lower-case ones were left in the redacted copy.
    text = (
        "Interviewer: Who else was there?\n"
        "P14: Sgt. Okafor, and the mother, Maria Lopez. okafor did the talking.\n"
        "P14: maria kept saying sorry. I still think about maria.\n"
        "P14: A guy in a brown jacket, and Officer Brown, were outside.\n"
    )
    result = redact_text(text, scan_text(text))
    assert result.text == (
        "Interviewer: Who else was there?\n"
        "P14: Sgt. [PERSON-1], and the mother, [PERSON-2]. [PERSON-1] did the talking.\n"
        "P14: [PERSON-2] kept saying sorry. I still think about [PERSON-2].\n"
        "P14: A guy in a brown jacket, and Officer [PERSON-3], were outside.\n"
    )


def test_a_surname_first_label_is_one_person_with_its_other_spellings():
    # Teams writes "Surname, First" in its labels; only the first name was found, so the redacted copy
    # kept "Kowalski, [PERSON-1]:" on every turn.
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Kowalski, Dan>I was on nights then.\n\n"
        "00:00:05.000 --> 00:00:08.000\n<v Interviewer>Dan Kowalski, from the Teams invite?\n\n"
        "00:00:09.000 --> 00:00:12.000\n<v Kowalski, Dan>Yes. Everyone calls me kowalski.\n"
    )
    result = redact_text(text, scan_text(text))
    assert result.text == text.replace("Kowalski, Dan", "[PERSON-1]").replace(
        "Dan Kowalski", "[PERSON-1]"
    ).replace("kowalski.", "[PERSON-1].")
    assert "Kowalski" not in result.text and "Dan" not in result.text


def test_a_redacted_webex_file_keeps_its_speakers(tmp_path):
    # Webex's cue identifier `1 "Dana Whitfield" (2785123456)` names the speaker; its user number (an
    # account's id, no phone number) is redacted as an id, and the redacted identifier must still give the turn its speaker (it
    # gave none: every interviewer turn came back unlabelled).
    from pathlib import Path

    from wei_qual.ingest import parse_transcript

    source = Path(__file__).parent / "data" / "KP36_webex.vtt"
    redact_file(source, tmp_path / "KP36_webex.vtt")
    redacted = (tmp_path / "KP36_webex.vtt").read_text(encoding="utf-8")
    assert '1 "[PERSON-1]" ([ID-1])\n' in redacted and "Whitfield" not in redacted
    before = parse_transcript(source)
    after = parse_transcript(tmp_path / "KP36_webex.vtt")
    assert [s.speaker for s in after.segments] == [
        "[PERSON-1]" if s.speaker == "Dana Whitfield" else s.speaker for s in before.segments
    ]
    assert [s.text for s in after.segments] == [s.text for s in before.segments]


@pytest.mark.parametrize(
    ("name", "out"),
    [
        ("recurring_names.txt", "r.txt"),  # "Sgt Rivera:" -> "Sgt [PERSON-1]:"
        ("warn_missed.md", "r.md"),  # "Sgt Okafor:"
        ("KP35_zoom_display_names.vtt", "r.vtt"),  # "Dr. Dana Whitfield-Lee, PhD:"
        ("KP09_table.txt", "r.txt"),  # a table saved with tabs: "00:00:02<tab>[PERSON-1]<tab>..."
        ("KP05_otter_export.docx", "r.txt"),  # Otter's header (title, date) is metadata, not a turn
        ("KP14_word_table.rtf", "r.txt"),  # a cover line over the table
    ],
)
def test_a_redacted_copy_reads_back_with_the_same_turns(tmp_path, name, out):
    # The copy is "ready to ingest": the same turns, speakers (or their placeholders) and attributes. A label
    # with a title or a degree around a placeholder was read as no label (the whole interview became one
    # turn), and a Word file's header came back as an extra unlabelled turn.
    from pathlib import Path

    from wei_qual.ingest import parse_transcript

    source = Path(__file__).parent / "data" / name
    redaction = redact_file(source, tmp_path / out)
    assert redaction.findings
    before, after = parse_transcript(source), parse_transcript(tmp_path / out)
    placeholder = {k.original: k.placeholder for k in redaction.key}

    def expected(speaker):
        for original, replaced in sorted(placeholder.items(), key=lambda kv: -len(kv[0])):
            speaker = speaker.replace(original, replaced) if speaker else speaker
        return speaker

    assert [s.speaker.strip("[]") if s.speaker else s.speaker for s in after.segments] == [
        expected(s.speaker).strip("[]") if s.speaker else s.speaker for s in before.segments
    ]
    assert after.attributes.keys() == before.attributes.keys()  # values redacted, as in the text
    assert all(
        expected(v) == after.attributes[k] or "[" in after.attributes[k] for k, v in before.attributes.items()
    )


def test_a_nickname_said_without_the_surname_joins_the_full_name():
    # "big mike" (speech recognition) after "Big Mike Delgado": one person, one placeholder
    text = "Me and Big Mike Delgado went. Later big mike came back, and Mike Delgado Jr. too."
    redaction = redact_text(text, scan_text(text))
    assert redaction.text == "Me and [PERSON-1] went. Later [PERSON-1] came back, and [PERSON-2] too."


def test_caption_cue_numbers_after_a_cue_word_are_no_ids(tmp_path):
    # A cue ending "...ties up a unit" before cue 102 read as "unit 102": `deid scan` reported every such
    # cue number (680 on the bench study) that the ingest gate, which leaves cue numbers out, never did,
    # and `deid redact` wrote "[ID-1]" over them, so the copy no longer read as captions.
    from wei_qual.deid.files import scan_paths
    from wei_qual.ingest import parse_transcript

    cues = "".join(
        f"{n}\n00:00:{n % 60:02d}.000 --> 00:00:{n % 60:02d}.900\n<v Officer 4>{said}</v>\n\n"
        for n, said in ((101, "it ties up a unit"), (102, "and we open a case"), (103, "badge 4471 was mine"))
    )
    source = tmp_path / "p.vtt"
    source.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
    [result] = scan_paths([source])
    assert [(f.line, f.category, f.text) for f in result.findings] == [(13, "id_number", "4471")]
    redact_file(source, tmp_path / "out" / "p.vtt")
    redacted = (tmp_path / "out" / "p.vtt").read_text(encoding="utf-8")
    assert redacted == source.read_text(encoding="utf-8").replace("4471", "[ID-1]")
    assert len(parse_transcript(tmp_path / "out" / "p.vtt").segments) == 1


def test_an_invisible_character_between_two_names_parts_them():
    # "Maria\u00adLopez" shows as "Maria-" / "Lopez" at a line break, and as two names run together
    # anywhere: read as one word "MariaLopez", it was found as nothing.
    for joiner in ("\u00ad", "\u200b", "\u200d", "\u2060"):
        text = f"P04: Maria{joiner}Lopez called me."
        findings = scan_text(text)
        assert [(f.category, f.text) for f in findings] == [("person", f"Maria{joiner}Lopez")]
        assert redact_text(text, findings).text == "P04: [PERSON-1] called me."
    assert [f.text for f in scan_text("Sgt. Oka\u200bfor")] == ["Oka\u200bfor"]  # inside a word: one word


@pytest.mark.parametrize(
    "said",
    [
        "José Martínez drove him to the unit, and Sgt. Nuñez met them there.",
        "We called Zoë at the crisis line; Renée Côté answered at 555-201-3344.",
    ],
)
def test_text_with_decomposed_accents_is_scanned_and_redacted_as_it_shows(said):
    # Saved on a Mac, "é" may be "e" and a combining accent (NFD), which is no word character: the scan
    # found "Jose" alone, and the redacted copy kept the accent and "Martínez".
    decomposed = unicodedata.normalize("NFD", f"Interviewer: Who was there?\n\nP07: {said}\n")
    composed = unicodedata.normalize("NFC", decomposed)
    as_written, as_shown = scan_text(decomposed), scan_text(composed)
    assert [(f.line, f.category, unicodedata.normalize("NFC", f.text)) for f in as_written] == [
        (f.line, f.category, f.text) for f in as_shown
    ]
    assert all(decomposed[f.start : f.end] == f.text for f in as_written)
    redacted = unicodedata.normalize("NFC", redact_text(decomposed, as_written).text)
    assert redacted == redact_text(composed, as_shown).text
    for finding in as_shown:
        assert finding.text not in redacted
