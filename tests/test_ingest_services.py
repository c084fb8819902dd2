"""Whole exports of transcription services and editors, as each writes them (tests/data/exports, its
README names each format and where it is described): read with the right speakers, roles, times and
segments, the service's lines left out of the speech."""

from __future__ import annotations

import re
from pathlib import Path

from wei_qual.ingest import parse_transcript

EXPORTS = Path(__file__).parent / "data" / "exports"


def _rows(t):
    return [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments]


# DaVinci Resolve's transcript export: a span of video timecodes in brackets (`[00:00:03:18 -
# 00:00:08:08]`, frames after the seconds) over the speaker's name over the text, set in by a space; a block
# it placed with no speaker has no name. Before, no span was read: the first was the title, the others
# stayed in the turn above as the speaker's words, and the block with no speaker went to the participant.
def test_davinci_resolves_timecode_spans_time_the_turns():
    t = parse_transcript(EXPORTS / "KP42_davinci_resolve.txt")
    rows = _rows(t)
    assert [r[:4] for r in rows] == [
        ("Dana", "interviewer", 3.0, 8.0),
        ("Marcus", "participant", 8.0, 15.0),
        ("Dana", "interviewer", 16.0, 19.0),
        ("Marcus", "participant", 19.0, 31.0),
        (None, "review", 31.0, 33.0),
        ("Dana", "interviewer", 33.0, 36.0),
        ("Marcus", "participant", 36.0, 44.0),
    ]
    assert not any("[" in r[4] for r in rows)
    assert rows[4][4] == "If not, the ER."
    assert "title" not in t.attributes
    # the block of no one's is said, as an unnamed caption cue is
    assert (t.roles, t.roles_reason) == ("review", "1 segment has no speaker")


# Without speaker detection DaVinci Resolve writes the spans over the text alone, as NVivo Transcription
# writes its spans over a transcript with no speakers: each block a segment with its times. Before, the
# blocks were joined as caption cues are, the whole interview one segment.
NVIVO_NO_SPEAKERS = (
    "0:00:00.0 - 0:00:05.9\nThanks for joining. What's your role?\n\n"
    "0:00:06.0 - 0:00:11.5\nI'm a deputy, eleven years.\n\n"
    "0:00:12.0 - 0:00:14.9\nHow do crisis calls come in?\n"
)


def test_spans_over_text_with_no_speakers_are_a_segment_each(make_transcript):
    davinci = parse_transcript(EXPORTS / "KP52_davinci_resolve_no_speakers.txt")
    assert [r[2:4] for r in _rows(davinci)] == [(3.0, 8.0), (8.0, 15.0), (16.0, 19.0)]
    assert _rows(davinci)[2][4] == "How do the deputies usually reach you before they arrive?"
    nvivo = parse_transcript(make_transcript(NVIVO_NO_SPEAKERS, name="P80.txt"))
    assert _rows(nvivo) == [
        (None, "participant", 0.0, 5.9, "Thanks for joining. What's your role?"),
        (None, "participant", 6.0, 11.5, "I'm a deputy, eleven years."),
        (None, "participant", 12.0, 14.9, "How do crisis calls come in?"),
    ]
    # no speakers: said, as in any file without labels
    for t in (davinci, nvivo):
        assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


# Sonix's .txt: the file name with `Audio automatically transcribed by Sonix` and its `this mp3 audio file
# was automatically transcribed by Sonix ...` line over the turns, `Speaker1: [00:00:03] text`, a time alone
# starting a paragraph of a turn, and its advertising footer: none of it speech.
def test_sonix_export_head_and_footer_are_no_speech():
    t = parse_transcript(EXPORTS / "KP41_sonix.txt")
    assert [r[:3] for r in _rows(t)] == [
        ("Speaker1", "interviewer", 3.0),
        ("Speaker2", "participant", 11.0),
        ("Speaker1", "interviewer", 29.0),
        ("Speaker2", "participant", 34.0),
        ("Speaker1", "interviewer", 65.0),
        ("Speaker2", "participant", 69.0),
    ]
    assert not any("Sonix" in s.text or "[00:" in s.text for s in t.segments)
    assert _rows(t)[3][4].endswith(
        "\n\nIf we don't have a bed they go to the ER, and that can be a four hour wait."
    )
    assert (t.roles, t.warnings) == ("inferred", ())


# Rev's tags in the text (`[inaudible 00:00:21]`, `[crosstalk 00:00:24]`, `[laughs]`, a time every two
# minutes `[00:02:00]`) and its closing `[END OF AUDIO]`; and a typed transcript with `I:` and `R:`, a cover
# naming who interviews whom, `[inaudible 00:00:12]` and `[crosstalk]`. The notes stay in the turn's text
# (docs/ingest.md), no note is a speaker, and the interviewer is never a participant.
def test_bracketed_notes_stay_in_the_turns_and_are_no_speakers():
    rev = parse_transcript(EXPORTS / "KP43_rev_tags.txt")
    assert [(s.speaker, s.role) for s in rev.segments] == [
        ("Speaker 1", "interviewer"),
        ("Speaker 2", "participant"),
    ] * 4 + [("Speaker 1", "interviewer")]
    assert "[inaudible 00:00:21] sometimes an hour. [crosstalk 00:00:24]" in rev.segments[3].text
    assert rev.segments[5].text.endswith("it's the ER. The ER doesn't want them either, honestly. [laughs]")
    assert "END OF AUDIO" not in rev.segments[-1].text
    typed = parse_transcript(EXPORTS / "KP51_typed_ir.txt")
    assert [(s.speaker, s.role) for s in typed.segments] == [("I", "interviewer"), ("R", "participant")] * 3
    assert typed.segments[1].text == "Nine years. [inaudible 00:00:12] mostly nights."
    assert [w.kind for w in typed.warnings] == ["left_out"]  # the cover's lines, said


# Fathom's transcript: the meeting's name and date, `VIEW RECORDING - 38 mins (No highlights): URL` and a
# `---` rule over `0:00 - Name (Company)` turns set in by two spaces. The head is no speech, the company
# after the interviewer's name is part of the label, and every turn keeps its time.
def test_fathom_export_reads_its_turns_and_times():
    t = parse_transcript(EXPORTS / "KP56_fathom.txt")
    assert [r[:3] for r in _rows(t)] == [
        ("Dana Whitfield (WEI Lab)", "interviewer", 0.0),
        ("Marcus Bell", "participant", 6.0),
        ("Dana Whitfield (WEI Lab)", "interviewer", 15.0),
        ("Marcus Bell", "participant", 21.0),
        ("Dana Whitfield (WEI Lab)", "interviewer", 62.0),
        ("Marcus Bell", "participant", 65.0),
        ("Dana Whitfield (WEI Lab)", "interviewer", 761.0),
    ]
    assert not any("RECORDING" in s.text or "---" in s.text or "fathom" in s.text for s in t.segments)
    assert t.attributes == {"title": "KP56 interview - March 12", "date": "March 12"}
    assert (t.roles, t.warnings) == ("inferred", ())


# whisper.cpp's printed output saved as text: `[00:00:00.000 --> 00:00:04.200]   text` a line, no speaker.
# Read as the same recording's .srt is, in paragraphs at pauses over 2 s (and 150 words), each timed;
# before, the lines were joined as unnamed caption cues are in a file with speakers: one segment.
def test_whisper_cpps_printed_segments_are_paragraphs_at_pauses():
    t = parse_transcript(EXPORTS / "KP57_whisper_cpp.txt")
    assert [r[2:4] for r in _rows(t)] == [(0.0, 4.2), (6.9, 16.4), (19.3, 38.6), (41.2, 49.9)]
    assert _rows(t)[0][4] == "Thanks for joining. How long have you worked nights?"
    assert not any("-->" in s.text for s in t.segments)
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


def test_a_long_run_of_speakerless_cues_ends_a_paragraph_at_150_words(make_transcript):
    cue = "we wait for the mobile team and then we wait at the emergency department for hours"  # 16 words
    lines = [
        f"[00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{(i + 1) // 60:02d}:{(i + 1) % 60:02d}.000]   {cue}"
        for i in range(20)
    ]
    t = parse_transcript(make_transcript("\n".join(lines) + "\n", name="P81.txt"))
    assert [(s.start_time, s.end_time) for s in t.segments] == [(0.0, 10.0), (10.0, 20.0)]  # 160 words each


# whisper.cpp with --diarize names the channel's voice after the span: `(speaker 0) text`, `(speaker ?)`
# where it could not tell. Before, the names were text and the file had no speaker: every question counted
# as the participant's, `(speaker 0)` coded with it.
def test_whisper_cpps_diarized_speakers_are_labels():
    t = parse_transcript(EXPORTS / "KP58_whisper_cpp_diarize.txt")
    assert [r[:3] for r in _rows(t)] == [
        ("speaker 0", "interviewer", 0.0),
        ("speaker 1", "participant", 6.9),
        ("speaker 0", "interviewer", 12.3),
        ("speaker 1", "participant", 16.0),
        (None, "review", 21.5),
        ("speaker 0", "interviewer", 25.2),
        ("speaker 1", "participant", 28.0),
    ]
    assert not any("(speaker" in s.text for s in t.segments)
    assert (t.roles, t.roles_reason) == ("review", "1 segment has no speaker")  # the voice it could not place


# whisper.cpp with --tinydiarize marks where the speaker changes, ` [SPEAKER_TURN]` after the segment, and
# names no one: each change ends a segment and the mark is no text. Before, question and answer were one
# segment, the marks in it coded as speech.
def test_whisper_cpps_speaker_turn_marks_end_segments():
    t = parse_transcript(EXPORTS / "KP59_whisper_cpp_tinydiarize.txt")
    assert [(s.start_time, s.text) for s in t.segments] == [
        (0.0, "Thanks for joining. How long have you worked nights?"),
        (6.9, "About six years now, mostly the north district."),
        (12.3, "And what happens on a crisis call?"),
        (16.0, "Dispatch tones us out, we get there and we wait for the mobile team.\n\nSometimes an hour."),
        (25.2, "How long is the wait there?"),
        (28.0, "Four hours some nights."),
    ]
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])  # no one is named


# Tactiq's transcript (the Google Meet extension) as its Google Doc downloads as text (a BOM, CRLF): its
# `Transcript delivered by Tactiq.io ...` line, `14 March 2026 | KP70 interview`, `Attendees: ...` on one
# line, `Highlights` over its placeholder, `Transcript`, then `00:00 Name: text` a turn. Before, the four
# head paragraphs were segments of no one's (role `review`), a quarter of the text said to be outside any
# turn, and the file had no title or date.
def test_tactiq_export_head_is_metadata():
    t = parse_transcript(EXPORTS / "KP70_tactiq.txt")
    assert [r[:3] for r in _rows(t)] == [
        ("Dana Whitfield", "interviewer", 0.0),
        ("Marcus Bell", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 17.0),
        ("Marcus Bell", "participant", 23.0),
        ("Dana Whitfield", "interviewer", 41.0),
        ("Marcus Bell", "participant", 46.0),
        ("Dana Whitfield", "interviewer", 62.0),
        ("Marcus Bell", "participant", 65.0),
    ]
    assert not any(w in s.text for s in t.segments for w in ("Tactiq", "Attendees", "Highlights", "00:"))
    assert t.attributes == {"title": "KP70 interview", "date": "14 March 2026"}
    assert (t.roles, t.warnings) == ("inferred", ())


# Tactiq's older transcript, its Google Doc saved as text: the same head, then a bullet a turn, `* 00:09 ✅ :
# (Marcus Bell) text` (the time, the line's mark, a colon, the name in parentheses). Before, no label was
# read: every line, `(Dana Whitfield)` and all, was a segment of no one's counted as participant speech.
def test_tactiq_older_bullets_with_the_name_in_parentheses_are_turns():
    t = parse_transcript(EXPORTS / "KP78_tactiq_old.txt")
    assert [r[:3] for r in _rows(t)] == [
        ("Dana Whitfield", "interviewer", 0.0),
        ("Marcus Bell", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 17.0),
        ("Marcus Bell", "participant", 23.0),
        ("Dana Whitfield", "interviewer", 41.0),
        ("Marcus Bell", "participant", 46.0),
        ("Dana Whitfield", "interviewer", 62.0),
        ("Marcus Bell", "participant", 65.0),
    ]
    assert t.segments[1].text.startswith("Sure. I'm a patrol sergeant")
    assert not any(w in s.text for s in t.segments for w in ("✅", "(Marcus", "Tactiq", "00:"))
    assert t.attributes == {"title": "KP78 interview", "date": "14 March 2026"}
    assert (t.roles, t.warnings) == ("inferred", ())


# Tactiq's attendees count as speakers even when heard once: a colleague's one question is theirs, not
# text of the answer before (as Otter's SPEAKERS list and Google Meet's Attendees under their heading).
def test_tactiq_attendees_name_a_speaker_heard_once(make_transcript):
    text = (EXPORTS / "KP70_tactiq.txt").read_text(encoding="utf-8-sig")
    text = text.replace(
        "Attendees: Dana Whitfield, Marcus Bell", "Attendees: Dana Whitfield, Marcus Bell, Lena Marsh"
    )
    text = text.replace(
        "00:41 Dana Whitfield:", "00:39 Lena Marsh: Sorry, can I add one thing?\r\n00:41 Dana Whitfield:"
    )
    t = parse_transcript(make_transcript(text, name="KP70.txt"))
    assert [s.speaker for s in t.segments][3:6] == ["Marcus Bell", "Lena Marsh", "Dana Whitfield"]


# TurboScribe's free tier opens (and often closes) its text with `(Transcribed by TurboScribe.ai. Go
# Unlimited to remove this message.)`, paragraphs between, no speaker: the notes are no one's words.
def test_turboscribe_watermarks_are_no_speech():
    t = parse_transcript(EXPORTS / "KP71_turboscribe.txt")
    assert len(t.segments) == 6
    assert not any("TurboScribe" in s.text for s in t.segments)
    assert t.segments[0].text.startswith("Thanks for talking with me.")
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


# TurboScribe's export with timestamps: the recording's file name over `[00:00] text` paragraphs. The name
# is the title (before, it was the participant's first segment) and each time starts its paragraph.
def test_turboscribe_timestamps_and_file_name():
    t = parse_transcript(EXPORTS / "KP72_turboscribe_timestamps.txt")
    assert [s.start_time for s in t.segments] == [0.0, 6.0, 17.0, 21.0, 39.0, 41.0]
    assert not any(".mp3" in s.text or "[00:" in s.text for s in t.segments)
    assert t.attributes == {"title": "KP72 interview.mp3"}
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


def test_turboscribe_note_on_a_long_recording_is_no_speech(make_transcript):
    note = (
        "(This file is longer than 30 minutes. Go Unlimited at TurboScribe.ai to transcribe files up to 10 hours"
        " long.)"
    )
    t = parse_transcript(make_transcript(f"We waited four hours at the ER.\n\n{note}\n", name="KP74.txt"))
    assert [s.text for s in t.segments] == ["We waited four hours at the ER."]


# YouTube's automatic captions (yt-dlp's .vtt): rolling cues, each lasting until the next line starts,
# the words after a line's first timed inline (`me<00:00:02.990><c> what</c>`). No gap shows between cues,
# so the pauses are read from the words' times: a paragraph at each over 2 s, ending with its last word (its
# cue lasts through the pause), the last at its cue's end. Before, the whole interview was one segment.
def test_youtube_automatic_captions_are_paragraphs_at_the_words_pauses():
    t = parse_transcript(EXPORTS / "KP73_youtube_auto.en.vtt")
    assert [r[2:4] for r in _rows(t)] == [(0.32, 10.01), (14.4, 28.12), (32.48, 40.83)]
    assert _rows(t)[0][4] == (
        "thanks for talking with me can you tell me what your job is with the county"
        " yeah i'm a deputy i've been on patrol for about nine years mostly nights"
    )
    assert not any("<" in s.text or "00:" in s.text for s in t.segments)
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


# The same captions saved as .srt (yt-dlp's --convert-subs srt): the tags and with them the words' times are
# gone, the rolling lines and 10 ms cues stay. The cues leave no gap, so a line lasting over 2 s longer than
# its words take (0.5 s a word) holds a pause, taken to follow its words: the paragraphs are those of the
# word times, each ending 0.5 s a word after its last line starts. Before, the whole interview was one segment
# (only 150 words cut such captions).
def test_youtube_automatic_captions_as_srt_are_paragraphs_at_the_lines_pauses():
    t = parse_transcript(EXPORTS / "KP79_youtube_auto.en.srt")
    vtt = parse_transcript(EXPORTS / "KP73_youtube_auto.en.vtt")
    assert [s.text for s in t.segments] == [s.text for s in vtt.segments]
    assert [r[2:4] for r in _rows(t)] == [(0.32, 11.16), (14.4, 29.5), (32.48, 40.83)]
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


# Premiere Pro's transcript exported as text: `00:00:01:12 - 00:00:06:20` (video timecodes, frames last) over
# the speaker (`Speaker 2`, or the name it was renamed to) over the text, a blank line between blocks; one
# speaker's long answer in several blocks. Each turn is one segment, timed from its first block to its last.
def test_premiere_pro_blocks_of_one_speaker_are_one_turn():
    t = parse_transcript(EXPORTS / "KP75_premiere_pro.txt")
    assert [r[:4] for r in _rows(t)] == [
        ("Dana Whitfield", "interviewer", 1.0, 6.0),
        ("Speaker 2", "participant", 7.0, 27.0),
        ("Dana Whitfield", "interviewer", 27.0, 31.0),
        ("Speaker 2", "participant", 32.0, 44.0),
        ("Dana Whitfield", "interviewer", 45.0, 47.0),
        ("Speaker 2", "participant", 48.0, 62.0),
    ]
    assert not any(":" in s.text.split()[0] or "Speaker" in s.text for s in t.segments)
    assert (t.roles, t.warnings) == ("inferred", ())


def _youtube_cue(start: str, end: str, above: str, words: list[tuple[str, str]]) -> str:
    new = words[0][1] + "".join(f"<{at}><c> {w}</c>" for at, w in words[1:])
    return f"{start} --> {end} align:start position:0%\n{above}\n{new}\n\n"


# A pause inside a line of YouTube's captions (the answer starting 4 s after the question's last word, on
# the same caption line) ends the paragraph there too.
def test_youtube_pause_inside_a_caption_line(tmp_path):
    vtt = "WEBVTT\nKind: captions\nLanguage: en\n\n"
    lines = [
        (
            "00:00:00.320",
            "00:00:02.710",
            " ",
            [("", "how"), ("00:00:00.590", "long"), ("00:00:00.860", "have")],
        ),
        (
            "00:00:02.720",
            "00:00:08.150",
            "how long have",
            [("", "you"), ("00:00:02.990", "been"), ("00:00:07.100", "eleven")],
        ),
        (
            "00:00:08.160",
            "00:00:10.000",
            "you been eleven",
            [("", "years"), ("00:00:08.430", "now"), ("00:00:08.700", "mostly")],
        ),
        (
            "00:00:10.010",
            "00:00:12.000",
            "years now mostly",
            [("", "nights"), ("00:00:10.280", "on"), ("00:00:10.550", "patrol")],
        ),
    ]
    vtt += "".join(_youtube_cue(*cue) for cue in lines)
    path = tmp_path / "KP76.en.vtt"
    path.write_text(vtt, encoding="utf-8")  # as written: a dedent would empty the first cue's " " line
    t = parse_transcript(path)
    assert [(s.start_time, s.end_time, s.text) for s in t.segments] == [
        (0.32, 3.49, "how long have you been"),
        (7.1, 12.0, "eleven years now mostly nights on patrol"),
    ]


# The panel's captions have no ends but the next one's time: where the next starts over 2 s after a
# caption's words are taken to end (0.5 s a word), a pause ends the paragraph, as in the captions' own file.
# Before, only 150 words cut them: the question after a 4 s pause went into the answer's paragraph.
def test_youtube_panel_pause_between_captions_ends_a_paragraph(make_transcript):
    text = (EXPORTS / "KP77_youtube_transcript_panel.txt").read_text(encoding="utf-8")

    def later(m: re.Match) -> str:  # the question and everything after it 3 s later
        at = int(m[1]) * 60 + int(m[2])
        at += 3 if at >= 22 else 0
        return f"{at // 60}:{at % 60:02d}"

    t = parse_transcript(make_transcript(re.sub(r"(?m)^(\d+):(\d\d)$", later, text), name="KP80.txt"))
    assert [r[2:4] for r in _rows(t)][:2] == [(0.0, 21.5), (25.0, 77.0)]
    assert _rows(t)[0][4].endswith("clinician a couple of nights a week")
    assert _rows(t)[1][4].startswith("how did that come about honestly the sheriff asked for volunteers")


# YouTube's transcript panel copied as text (from the video's "Show transcript"): its heading and search
# box, then each caption's time alone over its line, no blank line between. The captions are joined into
# paragraphs of 150 words or so, as speakerless captions are, each from its first time; the panel's words
# are no speech. Before, each caption was a segment (`start by telling me what you do for`), a sentence cut
# into coded units of a few words, and `Transcript`/`Search in video` the participant's first words.
def test_youtube_transcript_panel_copied_as_text():
    t = parse_transcript(EXPORTS / "KP77_youtube_transcript_panel.txt")
    assert [r[2:4] for r in _rows(t)] == [(0.0, 53.0), (53.0, 93.0)]
    assert _rows(t)[0][4].startswith(
        "thanks for talking with me today can you start by telling me what you do"
    )
    assert not any("Transcript" in s.text or "Search" in s.text or ":" in s.text for s in t.segments)
    assert (t.roles, [w.kind for w in t.warnings]) == ("review", ["unlabelled_text"])


# The panel may read each time out under it as copied (`4 seconds`, `1 minute, 2 seconds`): no speech. A
# paragraph a time typed with blank lines between, or long lines, stay a paragraph each. A caption lasting
# over 2 s longer than its words take (0.5 s a word) to the next time holds a pause, which ends a paragraph:
# `[Music]` for 3 s, `and it has to be done` for 55 s.
def test_youtube_panel_read_out_times_and_paragraphs_left_alone(make_transcript):
    pasted = "0:00\nso today we're going to\n0:04\n4 seconds\n[Music]\n0:07\nand it has to be done\n1:02\n1 minute, 2 seconds\nin thirty days\n"
    t = parse_transcript(make_transcript(pasted, name="KP78.txt"))
    assert [(s.start_time, s.end_time, s.text) for s in t.segments] == [
        (0.0, 4.5, "so today we're going to [Music]"),
        (7.0, 10.0, "and it has to be done"),
        (62.0, None, "in thirty days"),
    ]
    typed = "0:00\nso today we're going to\n\n0:04\n[Music]\n\n0:07\nand it has to be done\n\n1:02\nin thirty days\n"
    t = parse_transcript(make_transcript(typed, name="KP79.txt"))
    assert [s.start_time for s in t.segments] == [0.0, 4.0, 7.0, 62.0]


# Tactiq's Google Doc downloaded as .docx: the same lines, a paragraph each; read the same way.
def test_tactiq_docx_head_is_metadata(tmp_path):
    import docx

    document = docx.Document()
    for line in (EXPORTS / "KP70_tactiq.txt").read_text(encoding="utf-8-sig").split("\r\n"):
        document.add_paragraph(line)
    path = tmp_path / "KP70.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [s.speaker for s in t.segments] == ["Dana Whitfield", "Marcus Bell"] * 4
    assert t.attributes == {"title": "KP70 interview", "date": "14 March 2026"}
    assert (t.roles, t.warnings) == ("inferred", ())


# tl;dv's Markdown transcript: the meeting's name as a heading, `**Date:** 2026-03-14`, `### Transcript`,
# then `**Name** (00:00:03)` over each turn. Before, the bold date line was a label (markup made any name
# certain): a speaker "Date" whose one turn was the date, left to review, and the roles with it.
def test_tldv_markdown_date_line_is_metadata_not_a_speaker():
    t = parse_transcript(EXPORTS / "KP81_tldv.md")
    assert [r[:3] for r in _rows(t)] == [
        ("Dana Whitfield", "interviewer", 3.0),
        ("Marcus Bell", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 21.0),
        ("Marcus Bell", "participant", 27.0),
        ("Dana Whitfield", "interviewer", 44.0),
        ("Marcus Bell", "participant", 48.0),
    ]
    assert t.roles == "inferred"
    assert (t.attributes["title"], t.attributes["date"]) == ("KP81 interview", "2026-03-14")
    assert t.warnings == ()


# A bold form field is no label when heard once, but a bold name that recurs still is, and a bold known
# form (`**Interviewer:**`) counts even once.
def test_bold_form_field_is_a_label_only_when_it_recurs(make_transcript):
    text = (
        "**Interviewer:** How long have you been on patrol?\n\n"
        "**Location:** Eleven years, all of it in the north district.\n\n"
        "**Interviewer:** And the co-responder unit?\n\n"
        "**Location:** Four years now.\n"
    )
    t = parse_transcript(make_transcript(text, "P83.md"))
    assert [s.speaker for s in t.segments] == ["Interviewer", "Location", "Interviewer", "Location"]


# A note-taker's notes over its transcript (`### Summary`, `### Action Items` and their bullets over
# `### Transcript`): a machine's account, set aside and said. Before, the summary was a segment of no one's
# (role review, so every role was review), each action item (`- Dana Whitfield: send the consent form`) a
# turn of the speaker it names, the interviewer's counted as the participant's, and the title `Summary`.
def test_note_takers_summary_and_action_items_are_set_aside():
    t = parse_transcript(EXPORTS / "KP82_tldv_notes.md")
    rows = _rows(t)
    assert [r[:3] for r in rows][:2] == [
        ("Dana Whitfield", "interviewer", 3.0),
        ("Marcus Bell", "participant", 9.0),
    ]
    assert len(rows) == 6 and t.roles == "inferred"
    assert not any("consent form" in r[4] or "Discussed" in r[4] for r in rows)
    assert t.attributes["title"] == "KP82 interview"
    said = [w.message for w in t.warnings if w.kind == "left_out"]
    assert len(said) == 1 and "an AI summary set aside (lines 4 to 9" in said[0]


# Without a `Transcript` heading under them, headings that name notes stay what they were: an answer that
# says "Summary" in a heading of its own is not set aside.
def test_notes_headings_without_a_transcript_heading_are_not_set_aside(make_transcript):
    text = "## Summary\n\nInterviewer: What would you change?\n\nP07: More clinicians on nights.\n"
    t = parse_transcript(make_transcript(text, "P84.md"))
    assert [s.speaker for s in t.segments] == ["Interviewer", "P07"]
    assert not [w for w in t.warnings if w.kind == "left_out" and "AI summary" in w.message]


# Descript's text export with speaker names and timecodes: `[00:00:00] Name: text` paragraphs, a blank line
# between, and a minute marker (`[00:01:00]`) inside a paragraph where a minute falls in it.
def test_descript_text_export_turns_and_minute_markers():
    t = parse_transcript(EXPORTS / "KP83_descript.txt")
    rows = _rows(t)
    assert [r[:3] for r in rows] == [
        ("Dana Whitfield", "interviewer", 0.0),
        ("Marcus Bell", "participant", 7.0),
        ("Dana Whitfield", "interviewer", 72.0),
        ("Marcus Bell", "participant", 78.0),
        ("Dana Whitfield", "interviewer", 100.0),
        ("Marcus Bell", "participant", 104.0),
    ]
    assert rows[1][4].endswith("Before that I worked the jail. Mostly nights.")
    assert not any("[" in r[4] for r in rows)
    assert t.warnings == ()


# MacWhisper's Markdown export: each line of its transcript `**Name**` over its time in italics (`*00:09*`,
# `*1:00:02*` past the hour) over the text, a blank line between, the speaker repeated over each of its lines,
# `**Unknown**` over a line it placed with no speaker. Before, the italic time was the turn's first words,
# `*00:09*` coded as speech, and no turn had a time.
def test_macwhisper_markdown_italic_time_under_the_name_times_the_turn():
    t = parse_transcript(EXPORTS / "KP84_macwhisper.md")
    rows = _rows(t)
    assert [r[:3] for r in rows] == [
        ("Dana Whitfield", "interviewer", 3.0),
        ("Marcus Bell", "participant", 9.0),
        ("Dana Whitfield", "interviewer", 21.0),
        ("Marcus Bell", "participant", 27.0),
        ("Dana Whitfield", "interviewer", 3598.0),
        ("Marcus Bell", "participant", 3602.0),
    ]
    assert not any("*" in r[4] for r in rows)
    assert (
        rows[1][4]
        == "About eleven years on patrol.\n\nThe last four with the co-responder unit, mostly nights."
    )
    # the one "Yeah." MacWhisper placed with no speaker is a back-channel in the answer, said
    assert [w.kind for w in t.warnings] == ["back_channels"]


# Through the CLI: the notes set aside are said on stderr and in the JSON outcome, nothing of them stored.
def test_note_takers_notes_said_on_stderr_and_in_json(runner, tmp_path, monkeypatch):
    import json
    import shutil

    from wei_qual.cli import app

    monkeypatch.chdir(tmp_path)
    shutil.copy(EXPORTS / "KP82_tldv_notes.md", tmp_path / "KP82.md")
    db = str(tmp_path / "p.db")
    result = runner.invoke(app, ["ingest", "KP82.md", "--allow-pii", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Warning: KP82: an AI summary set aside (lines 4 to 9" in " ".join(result.stderr.split())
    result = runner.invoke(
        app,
        ["ingest", "KP82.md", "--allow-pii", "--db", str(tmp_path / "q.db"), "--format", "json"],
        catch_exceptions=False,
    )
    outcome = json.loads(result.stdout)["outcomes"][0]
    assert [w["kind"] for w in outcome["warnings"]] == ["left_out"]


# The same notes in a Word file (headings in Word's heading styles, the action items bulleted): set aside.
def test_note_takers_notes_in_a_word_file_are_set_aside(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("KP85 interview", level=1)
    document.add_paragraph("March 14, 2026")
    document.add_heading("Summary", level=2)
    document.add_paragraph("Discussed how crisis calls reach patrol.")
    document.add_heading("Action Items", level=2)
    document.add_paragraph("Dana Whitfield: send the consent form", style="List Bullet")
    document.add_heading("Transcript", level=2)
    for who, text in (
        ("Dana Whitfield", "How long have you worked crisis calls?"),
        ("Marcus Bell", "About eleven years on patrol."),
        ("Dana Whitfield", "What happens on a welfare check?"),
        ("Marcus Bell", "Dispatch tones us out."),
    ):
        document.add_paragraph(f"{who}: {text}")
    document.save(tmp_path / "KP85.docx")
    t = parse_transcript(tmp_path / "KP85.docx")
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Dana Whitfield", "interviewer"),
        ("Marcus Bell", "participant"),
    ] * 2
    assert t.attributes["title"] == "KP85 interview"
    assert [w.kind for w in t.warnings] == ["left_out"] and "paragraphs 3 to 6" in t.warnings[0].message
