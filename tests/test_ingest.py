"""parse_transcript on the edge-case battery in tests/data: every export style, encoding and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wei_qual.errors import TranscriptError
from wei_qual.ingest import READERS, parse_transcript
from wei_qual.ingest.labels import match_label, parse_time, speaker_role
from wei_qual.ingest.plain import split_turns

DATA = Path(__file__).parent / "data"
GOOD = sorted(
    p
    for p in DATA.iterdir()
    if p.suffix in READERS
    and p.name
    not in {
        "empty.txt",
        "whitespace.txt",
        "binary.txt",
        "cp1252.txt",
        "corrupt.docx",
        "B_mou_password.docx",
        "malformed.vtt",
        "noheader.vtt",
        "malformed.srt",
        "frontmatter_bad.md",
        "frontmatter_open.md",
    }
)


def _rows(t):
    return [(s.speaker, s.role, s.text, s.start_time, s.end_time) for s in t.segments]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_segment_text_is_exactly_the_slice_of_the_transcript_text(path):
    t = parse_transcript(path)
    assert t.segments, path.name
    assert [s.n for s in t.segments] == list(range(1, len(t.segments) + 1))
    for s in t.segments:
        assert t.text[s.start_char : s.end_char] == s.text
        assert s.text == s.text.strip() and s.text
    assert t.words == len(t.text.split())


TURNS = [
    ("Interviewer", "interviewer", "How do crisis calls reach you?"),
    ("P03", "participant", "Mostly through dispatch. Café staff call too."),
]


@pytest.mark.parametrize("name", ["bom.txt", "utf16.txt", "crlf.txt"])
def test_utf8_bom_utf16_bom_and_crlf_read_the_same(name):
    t = parse_transcript(DATA / name)
    assert [(s.speaker, s.role, s.text) for s in t.segments] == TURNS
    assert t.text == "How do crisis calls reach you?\n\nMostly through dispatch. Café staff call too."
    assert t.id == name.removesuffix(".txt") and t.format == "txt" and len(t.sha256) == 64


def test_cp1252_with_encoding_option():
    t = parse_transcript(DATA / "cp1252.txt", encoding="cp1252")
    assert [s.text for s in t.segments] == ["Where do you go?", "The unit’s café."]


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.txt", '"{p}" is empty (0 bytes). Export the transcript again, or leave the file out.'),
        (
            "whitespace.txt",
            (
                '"{p}" contains only whitespace, no transcript text. Export the transcript again, '
                "or leave the file out."
            ),
        ),
        (
            "binary.txt",
            (
                '"{p}" looks like a binary file, not text (it contains NUL bytes). '
                "Export the transcript as .txt, .docx or .vtt."
            ),
        ),
        (
            "cp1252.txt",
            '"{p}" is not UTF-8 (first bad byte on line 3). Re-save it as UTF-8, or pass --encoding cp1252.',
        ),
        (
            "corrupt.docx",
            (
                '"{p}" is not a valid .docx file (BadZipFile); it may be damaged or another format '
                "renamed. Open and re-save it in Word, or export it as .txt."
            ),
        ),
        (
            "malformed.vtt",
            (
                '"{p}", line 8: malformed cue timing. Write it as "00:00:01.000 --> 00:00:04.000", '
                "or re-export the captions."
            ),
        ),
        (
            "malformed.srt",
            (
                '"{p}", line 6: malformed cue timing. Write it as "00:00:01.000 --> 00:00:04.000", '
                "or re-export the captions."
            ),
        ),
        (
            "noheader.vtt",
            (
                '"{p}", line 1: a .vtt file must start with "WEBVTT". Re-export the captions as WebVTT, '
                "or rename the file if it is another format."
            ),
        ),
        (
            "frontmatter_bad.md",
            (
                "\"{p}\", line 3: front matter is not valid YAML (expected ',' or ']', but got "
                "'<stream end>'). Fix it (lines like \"role: officer\"), or remove the front matter."
            ),
        ),
        (
            "frontmatter_open.md",
            (
                '"{p}", line 1: front matter starts with "---" but has no closing "---" line. '
                "Add the closing line, or remove the front matter."
            ),
        ),
    ],
)
def test_bad_input_gives_one_line_error_naming_file_and_line(name, message):
    path = DATA / name
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path)
    assert str(ex.value) == message.format(p=path)
    assert "\n" not in str(ex.value)


def test_undecodable_with_wrong_encoding_and_unknown_encoding(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("P03: caf\u00e9\n".encode("cp1252"))
    with pytest.raises(TranscriptError, match=r"cannot be decoded as ascii \(first bad byte on line 1\)"):
        parse_transcript(path, encoding="ascii")
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path, encoding="klingon")
    assert str(ex.value) == (
        'Unknown encoding "klingon" given with --encoding. Use a name such as utf-8, cp1252 or latin-1.'
    )


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "notes.pages"
    path.write_bytes(b"PK")
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path)
    assert (
        str(ex.value)
        == f'"{path}" is not a supported transcript format (.pages). Convert it to .txt, .md, .docx, .odt, .rtf, .vtt, .srt or .pdf.'
    )


EXPORT_STYLES = {
    # Otter: `Name  0:04` then text; an unlabelled paragraph continues the turn; h:mm:ss times.
    "otter.txt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, None),
        (
            "Speaker 2",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            9.0,
            None,
        ),
        ("Interviewer", "interviewer", "And after that?", 3751.0, None),
    ],
    "rev.txt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, None),
        (
            "Officer 2",
            "participant",
            "Mostly through dispatch. Sometimes the family calls the unit directly.",
            9.0,
            None,
        ),
        ("Interviewer", "interviewer", "And after that?", 3751.0, None),
    ],
    # [ts] Name: and (ts) Name:, consecutive turns of one speaker merge.
    "ts_before.txt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, None),
        (
            "R",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            9.0,
            None,
        ),
        ("I", "interviewer", "And after that?", 91.0, None),
    ],
    "ts_after.txt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, None),
        (
            "P07",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            9.0,
            None,
        ),
        ("Interviewer", "interviewer", "And after that?", 91.0, None),
    ],
    # **Name:**, **Name**:, [Name]; Markdown headings are dropped.
    "bold.md": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", None, None),
        ("P03", "participant", "Mostly through dispatch.", None, None),
        ("Interviewer", "interviewer", "And after that?\n\nAnything else?", None, None),
        ("P03", "participant", "No, that's it.", None, None),
    ],
    "officer.txt": [
        ("INTERVIEWER", "interviewer", "How do crisis calls reach you?", None, None),
        ("Officer 2", "participant", "Mostly through dispatch.", None, None),
        ("Q", "interviewer", "And after that?", None, None),
        ("Officer 2", "participant", "We try a warm handoff.", None, None),
    ],
    # A capitalised name that recurs is a label.
    "recurring_names.txt": [
        ("Moderator", "interviewer", "How do crisis calls reach you?", None, None),
        ("Sgt Rivera", "participant", "Mostly through dispatch.", None, None),
        ("Moderator", "interviewer", "And after that?", None, None),
        ("Sgt Rivera", "participant", "We try a warm handoff.", None, None),
    ],
    # Sentences with colons are text, not labels.
    "colon_sentences.txt": [
        ("Interviewer", "interviewer", "What is the main barrier?", None, None),
        (
            "P03",
            "participant",
            (
                "The problem is this: we wait four hours for a bed.\nSo what I told them was: call the "
                "co-responder first.\nNote: this is the part nobody tracks."
            ),
            None,
            None,
        ),
        ("Interviewer", "interviewer", "Okay.", None, None),
    ],
    "inaudible.txt": [
        ("Interviewer", "interviewer", "What happens at the unit? [crosstalk]", None, None),
        (
            "P03",
            "participant",
            (
                "They screen for medical clearance [inaudible 00:12:03] and then it depends on beds.\n"
                "[inaudible 00:12:40] yeah, that's about it.\n\n[Laughs] Honestly it's a long night."
            ),
            None,
            None,
        ),
    ],
    "no_labels.txt": [
        (
            None,
            "participant",
            (
                "We started the co-responder program after a long stretch of crisis calls that ended "
                "at the jail."
            ),
            None,
            None,
        ),
        (
            None,
            "participant",
            (
                "The crisis stabilization unit only takes walk-ins during the day, so deputies drive "
                "people to the emergency room at night."
            ),
            None,
            None,
        ),
        (None, "participant", "Follow-up care is where it falls apart.", None, None),
    ],
    # Older Teams .docx/.txt export: timing range, the name alone, then the text.
    "teams_ranges.txt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 0.0, 3.72),
        (
            "Speaker Two",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            4.1,
            12.0,
        ),
    ],
    "zoom.vtt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, 7.5),
        (
            "P03",
            "participant",
            "Mostly through dispatch. Sometimes the family calls the unit directly.",
            9.0,
            16.25,
        ),
        ("Interviewer", "interviewer", "And after that?", 91.0, 93.0),
    ],
    "teams.vtt": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, 7.5),
        (
            "Speaker 2",
            "participant",
            "Mostly through dispatch. Sometimes the family calls the unit directly.",
            9.0,
            16.25,
        ),
        ("Interviewer", "interviewer", "And after that?", 91.0, 93.0),
    ],
    # A cue without a label after another speaker's is kept apart, with no speaker and role review.
    "captions.srt": [
        ("Q", "interviewer", "How do crisis calls reach you?", 4.0, 7.5),
        ("R", "participant", "Mostly through dispatch.", 9.0, 12.0),
        (None, "review", "Sometimes the family calls the unit directly.", 12.0, 16.25),
    ],
    # The title paragraph before the first label is metadata (attribute `title`), not a segment.
    "paragraphs.docx": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", None, None),
        (
            "P03",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            None,
            None,
        ),
        ("Interviewer", "interviewer", "And after that?", None, None),
        ("P03", "participant", "We try a warm handoff.", None, None),
    ],
    # Table with Time | Speaker | Text; an empty speaker cell continues the turn; the title is not the transcript.
    "table.docx": [
        ("Interviewer", "interviewer", "How do crisis calls reach you?", 4.0, None),
        (
            "P03",
            "participant",
            "Mostly through dispatch.\n\nSometimes the family calls the unit directly.",
            9.0,
            None,
        ),
        ("Interviewer", "interviewer", "And after that?", 31.0, None),
        ("P03", "participant", "We try a warm handoff.", 35.0, None),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPORT_STYLES))
def test_export_styles_split_into_speaker_turns(name):
    t = parse_transcript(DATA / name)
    assert _rows(t) == EXPORT_STYLES[name]
    assert t.format == (DATA / name).suffix[1:]


def test_non_ascii_labels_and_custom_interviewer_labels():
    t = parse_transcript(DATA / "non_ascii.txt", interviewer_labels=["Entrevistadora"])
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Entrevistadora", "interviewer"),
        ("Participante Ñ", "participant"),
    ] * 2
    assert t.segments[3].text == "Difícil — no hay camas."


def test_front_matter_sets_id_and_attributes():
    t = parse_transcript(DATA / "frontmatter.md")
    assert t.id == "officer-12"
    assert t.attributes == {"role": "officer", "setting": "rural", "years_experience": "14"}
    assert [s.text for s in t.segments] == ["How do crisis calls reach you?", "Mostly through dispatch."]


def test_front_matter_that_is_not_a_mapping(make_transcript):
    path = make_transcript("---\n- a\n- b\n---\nI: hi\n", name="p.md")
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path)
    assert str(ex.value) == (
        f'"{path}", line 2: front matter must be "key: value" lines. '
        f'Fix it (lines like "role: officer"), or remove the front matter.'
    )


def test_labels_without_text_give_an_error(make_transcript):
    path = make_transcript("Interviewer:\nP03:\n")
    with pytest.raises(TranscriptError, match=r"has speaker labels or captions but no transcript text"):
        parse_transcript(path)


def test_vtt_without_cues(make_transcript):
    path = make_transcript("WEBVTT\n\nNOTE nothing here\n", name="p.vtt")
    with pytest.raises(TranscriptError) as ex:
        parse_transcript(path)
    assert str(ex.value) == f'"{path}" contains no captions. Re-export the captions, or leave the file out.'


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Interviewer: hello", ("Interviewer", "hello", None, True)),
        ("INTERVIEWER: hello", ("INTERVIEWER", "hello", None, True)),
        ("I: hello", ("I", "hello", None, True)),
        ("R: hello", ("R", "hello", None, True)),
        ("P07: hello", ("P07", "hello", None, True)),
        ("Officer 2: hello", ("Officer 2", "hello", None, True)),
        ("**Interviewer:** hello", ("Interviewer", "hello", None, True)),
        ("[Interviewer] hello", ("Interviewer", "hello", None, True)),
        ("Brenda  0:04", ("Brenda", "", 4.0, True)),
        ("[Kendra]: hello", ("Kendra", "hello", None, False)),
        ("[00:12:03] Maria: hello", ("Maria", "hello", 723.0, True)),
        ("Maria [00:12:03]: hello", ("Maria", "hello", 723.0, True)),
        ("(00:12:03) P07: hello", ("P07", "hello", 723.0, True)),
        ("Speaker 1  0:04", ("Speaker 1", "", 4.0, True)),
        ("Interviewer (00:04):", ("Interviewer", "", 4.0, True)),
        ("Officer 2 (00:09)", ("Officer 2", "", 9.0, True)),
        ("Interviewer 1 (JD): hello", ("Interviewer 1 (JD)", "hello", None, True)),
        ("Interviewer (JD) (00:09): hello", ("Interviewer (JD)", "hello", 9.0, True)),
        ("Speaker 1 [00:00:09]", ("Speaker 1", "", 9.0, True)),
        ("[Speaker 1] 00:00:09", ("Speaker 1", "", 9.0, True)),
        ("Speaker 1: [00:00:09] hello", ("Speaker 1", "hello", 9.0, True)),
        ("Dr. Okafor: hello", ("Dr. Okafor", "hello", None, False)),  # counts only if it recurs
        ("[00:12:03] and then", ("", "and then", 723.0, False)),  # a time marker, not a speaker
        # A name typed in Rev or Otter with a word in lower case: a label when it recurs.
        ("Body cam (00:00:15):", ("Body cam", "", 15.0, False)),
        ("Radio traffic  0:15", ("Radio traffic", "", 15.0, False)),
        # A typist's numbering: a label of a known form, as `Participant 3` is.
        ("Participant #3: Four years.", ("Participant #3", "Four years.", None, True)),
        ("Officer #12: Yes.", ("Officer #12", "Yes.", None, True)),
    ],
)
def test_match_label_recognises_label_forms(line, expected):
    m = match_label(line)
    assert (m.name, m.rest, m.time, m.strong) == expected


@pytest.mark.parametrize(
    "line",
    [
        "The problem is this: we wait",
        "So what I told them was: call first",
        "[inaudible 00:12:03] and then",
        "[Crosstalk] yes",
        "At 10:30 we left",
        "We got there at 9:30",
        "We left  9:30",
        "Then at (10:30):",
        "well: no",
        "[laughs] okay",
        "A very long label of many words: no",
    ],
)
def test_sentences_are_not_labels(line):
    m = match_label(line)
    assert m is None or not m.name


def test_parse_time_and_roles():
    assert parse_time("0:04") == 4 and parse_time("12:03") == 723 and parse_time("1:02:03.5") == 3723.5
    labels = ("Interviewer", "I", "Q")
    assert speaker_role("interviewer", labels) == "interviewer"
    assert speaker_role("Interviewer 2", labels) == "interviewer"
    assert speaker_role("Interviewer (JD)", labels) == "interviewer"
    assert speaker_role("Interviewer 1 (JD)", labels) == "interviewer"
    assert speaker_role("Interviewer2", labels) == "interviewer"
    assert speaker_role("Interviewer (JD) 2", labels) == "interviewer"
    assert speaker_role("Interviewer (JD) Smith", labels) == "participant"  # a note must end the label
    assert speaker_role("Interv99iewer", labels) == "participant"
    assert speaker_role("Int", labels) == "participant"  # only the labels given
    assert speaker_role(None, labels) == "participant"


def test_one_off_capitalised_word_is_text_but_recurring_one_is_a_label():
    turns = split_turns(["Interviewer: hi", "Note: just once", "", "Interviewer: again"])
    assert [(t.speaker, t.paragraphs) for t in turns] == [("Interviewer", ["hi\nNote: just once", "again"])]
    turns = split_turns(["Alex: one", "Interviewer: two", "Alex: three"])
    assert [t.speaker for t in turns] == ["Alex", "Interviewer", "Alex"]


_line = st.one_of(
    st.text(
        st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        max_size=40,
    ),
    st.sampled_from(
        [
            "Interviewer: hi",
            "P07:",
            "[00:01:02] R: ok",
            "Speaker 1  0:04",
            "",
            "**Q:** x",
            "(00:00:09)",
            "0:0:1.5 --> 0:0:3.0",
            "Speaker Two",
        ]
    ),
)


# A line of plain prose: lower-case words ending in a full stop is never a label, a time or front matter.
_prose = st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), min_size=2, max_size=8).map(
    lambda words: " ".join(words) + "."
)
# Why a text file with no transcript text in it is refused (the only refusals of a UTF-8 .txt).
_NO_TEXT = re.compile(
    r'^"[^"]+" (is empty \(0 bytes\)|contains only whitespace, no transcript text|has speaker labels or '
    r"captions but no transcript text)\. "
)
_FRONT_MATTER = re.compile(r'^"[^"]+", line \d+: front matter ')


def _check_offsets(t) -> None:
    assert t.segments
    for s in t.segments:
        assert t.text[s.start_char : s.end_char] == s.text


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=30), st.lists(_prose, min_size=1, max_size=3), st.data())
def test_any_text_with_a_line_of_prose_parses_and_keeps_it(tmp_path_factory, lines, prose, data):
    # Valid input must parse: a refusal here is a bug, not an excuse to skip the example.
    for line in prose:
        lines.insert(data.draw(st.integers(0, len(lines)), label="position"), line)
    if lines[0].strip() == "---":  # front matter is another test's business
        lines.insert(0, prose[0])
    path = tmp_path_factory.mktemp("h") / "p.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    t = parse_transcript(path)
    _check_offsets(t)
    joined = "\n".join(s.text for s in t.segments)
    for line in prose:
        assert line in joined


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=30))
def test_offsets_hold_for_any_text_or_it_is_refused_for_having_none(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("h") / "p.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        t = parse_transcript(path)
    except TranscriptError as ex:
        assert _NO_TEXT.match(str(ex)) or _FRONT_MATTER.match(str(ex)), str(ex)
        return
    _check_offsets(t)


def test_encoding_is_a_fallback_so_utf8_files_in_the_batch_stay_right():
    # bom.txt and crlf.txt are UTF-8 with "Café": --encoding cp1252 must not turn it into "CafÃ©".
    for name in ("bom.txt", "crlf.txt", "utf16.txt"):
        t = parse_transcript(DATA / name, encoding="cp1252")
        assert t.segments[1].text == "Mostly through dispatch. Café staff call too."
    assert parse_transcript(DATA / "cp1252.txt", encoding="cp1252").segments[1].text == "The unit’s café."


def test_vtt_entities_are_unescaped_and_cue_tags_dropped(make_transcript):
    path = make_transcript(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v R><i>Jail &amp; ER</i> &lt;both&gt;</v>\n", name="p.vtt"
    )
    assert [s.text for s in parse_transcript(path).segments] == ["Jail & ER <both>"]


def test_a_turns_text_follows_its_paragraphs_and_a_segments_words_its_text():
    # Turn.text is joined once for the paragraphs it has, and Segment.words counted once: a reader that
    # changes a turn's paragraphs after its text was read (a caption cue added to the turn before) must get
    # the new text, and a segment made anew (dataclasses.replace) its own count.
    import dataclasses

    from wei_qual.ingest.turns import Turn
    from wei_qual.models import Segment

    turn = Turn("P01", ["We got there.", "  "])
    assert turn.text == "We got there."
    turn.paragraphs[0] = "We got there late."
    assert turn.text == "We got there late."
    turn.paragraphs.append(" The unit was full. ")
    assert turn.text == "We got there late.\n\nThe unit was full."
    turn.paragraphs = ["Then we left."]
    assert turn.text == "Then we left."
    assert Turn("P01", ["a"]) == Turn("P01", ["a"]) and turn.text  # the remembered text is no field
    segment = Segment(1, "P01", "participant", "one two three", 0, 13)
    assert segment.words == 3
    assert dataclasses.replace(segment, text="one two").words == 2
    assert segment == Segment(1, "P01", "participant", "one two three", 0, 13)


def test_a_line_is_read_as_a_name_and_time_as_the_full_regex_reads_it():
    # boilerplate._keyed tries _NAME_AND_TIME only on a line that ends as a time can (a digit, ")" or "]"):
    # the same lines as the regex alone, also with other scripts' digits.
    import random

    from wei_qual.ingest import boilerplate

    parts = ["Interviewer", "  ", "\t", "0:04", "[00:01:02]", "(1:02:03.5)", "12:30", " ", "Date", ":", "x]"]
    parts += ["٣:٤٥", "²", ")", "Name  ", "P07", "1:0２"]
    rng = random.Random(3)
    for _ in range(3000):
        line = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        timed = boilerplate._NAME_AND_TIME.fullmatch(line)
        expected = None
        if timed and boilerplate._speaker_key(timed["name"].strip()):
            expected = None
        elif (m := boilerplate._COVER_LINE.fullmatch(line)) is not None:
            expected = (m["key"].strip(), m["value"].strip(), False)
        elif (m := boilerplate._TABLE_LINE.fullmatch(line)) is not None and boilerplate.is_cover_key(
            m["key"]
        ):
            expected = (m["key"].strip(), m["value"].strip(), True)
        assert boilerplate._keyed(line) == expected, line


def _anywhere_in_full(line: str) -> bool:
    """boilerplate._is_anywhere as defined before its patterns were tried only on lines holding their words."""
    from wei_qual.ingest import boilerplate as b

    if len(line.split()) > b.MAX_BOILERPLATE_WORDS:
        return False
    if any(p.fullmatch(line) for p in b._ANYWHERE) or b._REV_TITLE.fullmatch(line):
        return True
    if b._SERVICE_DOMAIN.search(line) and len(line.split()) <= 8:
        return True
    if "   " in line or "\t" in line:
        cells = [c for c in b._COLUMN_GAP.split(line) if c]
        return len(cells) > 1 and all(_anywhere_in_full(c) for c in cells)
    return False


def test_a_service_line_is_found_as_the_full_patterns_find_it():
    # boilerplate._is_anywhere tries the patterns that test a whole line only on an ASCII line holding their
    # word (lower-cased): the same lines as every pattern tried, with letters a case-insensitive pattern
    # takes for ASCII ones ("ſ" for "s", the Kelvin sign for "k") and other scripts too.
    import random
    import sys

    from wei_qual.ingest import boilerplate

    every = "".join(map(chr, range(sys.maxunicode + 1))).replace("\n", "")
    for word in set(boilerplate._NEEDS.values()):
        found = re.findall(f"(?i)[{re.escape(word)}]", every)
        assert all(not c.isascii() or c.lower() in word for c in found), word
    parts = [
        "Sonix",
        "ſonix",
        "SONIX",
        " uses ",
        "audio",
        "Convert P03.mp3 to text with ",
        "P07",
        " (Completed ",
    ]
    parts += ["(COMPLETED ", "3/14/24)", "Dana", " stopped ", "transcription", "TRANSCRIPTION.", "otter.ai"]
    parts += ["Visit ", "https://www.temi.com", "Page 2 of 3", "   ", "\t", "Transcribed by ", "Otter", ". "]
    parts += ["Rev.com", "[END OF AUDIO]", "é", "words " * 9, "Meeting ended after 45:12"]
    rng = random.Random(5)
    for _ in range(4000):
        line = "".join(rng.choice(parts) for _ in range(rng.randint(1, 6))).strip()
        assert boilerplate._is_anywhere(line) == _anywhere_in_full(line), line
    assert boilerplate._is_anywhere("Convert P03.mp3 to text with Sonix.")
    assert boilerplate._is_anywhere("P07 (Completed 3/14/24)")
    assert boilerplate._is_anywhere("P07 (ᴄompleted 3/14/24)") == _anywhere_in_full("P07 (ᴄompleted 3/14/24)")


def test_a_word_run_reads_as_python_docx_reads_it():
    # word.run_text joins a run's text elements by an XPath compiled once, as python-docx's `CT_R.text`
    # joins them (compiling it at each call): the same text, but a page or column break as a line break.
    from docx.oxml.parser import parse_xml

    from wei_qual.ingest.word import run_text

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    bodies = [
        "<w:t>We waited</w:t>",
        '<w:t xml:space="preserve">an </w:t><w:tab/><w:t>hour</w:t><w:br/><w:t>then</w:t>',
        (
            '<w:rPr><w:b/></w:rPr><w:t>Dana</w:t><w:cr/><w:noBreakHyphen/><w:ptab w:relativeTo="margin" '
            'w:alignment="right" w:leader="none"/><w:softHyphen/><w:t>on</w:t>'
        ),
        '<w:br w:type="textWrapping"/><w:delText>gone</w:delText><w:t>kept</w:t>',
        "",
    ]
    for body in bodies:
        r = parse_xml(f"<w:r {w}>{body}</w:r>")
        assert run_text(r) == r.text, body
    paged = parse_xml(f'<w:r {w}><w:t>waited</w:t><w:br w:type="page"/><w:t>all</w:t></w:r>')
    assert (paged.text, run_text(paged)) == ("waitedall", "waited\nall")


def test_a_page_number_line_is_looked_for_only_in_a_text_that_says_page():
    # pages._pages searches each line for "Page 3 of 12" only when the lower-cased text holds "page": no
    # character the case-insensitive search takes for a letter of "page" may lower to anything else.
    import sys

    from wei_qual.ingest import pages

    found = [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch("(?i)[page]", c)]
    assert all(c.lower() in "page" for c in found)
    lines = ["Interviewer: Hello.", "", "PAGE 2 OF 3", "P07: Hi.", "", "Page 3 of 3", "Interviewer: Bye."]
    assert pages._pages(lines) == [[0, 2], [3, 5], [6]]
    assert pages._pages([line.replace("PAGE", "Sheet").replace("Page", "Sheet") for line in lines]) == []


def test_time_marks_are_looked_for_only_where_one_can_start():
    # plain._take_time_marks tries _TIME_MARK only in a paragraph where "#" or "[" comes before a digit:
    # every paragraph that holds a mark is one of those, with other scripts' digits too.
    import random

    from wei_qual.ingest import plain

    parts = ["#", "[", "]", "00:01:02", "1:2:3", "-4", "#00:01:23-4#", "[00:01:23]", "[inaudible]", " ", "\t"]
    parts += ["٣", "12:30.5", "x", "[٣:٤٥]", "# 1:02:03#", "[ 00:01]"]
    rng = random.Random(1)
    for _ in range(5000):
        paragraph = "".join(rng.choice(parts) for _ in range(rng.randint(0, 7)))
        if plain._TIME_MARK.search(paragraph):
            assert plain._TIME_MARK_START.search(paragraph), paragraph
    turns = [plain.Turn("P07", ["We waited [inaudible] an hour. [00:01:23]"]), plain.Turn("I", ["And then?"])]
    plain._take_time_marks(turns)
    assert [(t.paragraphs, t.start_time, t.end_time) for t in turns] == [
        (["We waited [inaudible] an hour."], None, 83.0),
        (["And then?"], 83.0, None),
    ]
