"""Transcripts as the tools export them, header, footer and all: each read with the right speakers, roles
and segments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wei_qual.ingest import parse_transcript

DATA = Path(__file__).parent / "data"


def _kinds(t):
    return [w.kind for w in t.warnings]


# Subtitle Edit and Aegisub place a cue at the top of the screen with a SubStation tag, `{\an8}`; players
# hide it. Before, `{\an8}Dana Whitfield:` was no label: her first question went to no one (role review)
# with the tag in its text, and, her name then heard once, her other question too.
POSITIONED = """\
1
00:00:01,000 --> 00:00:04,000
{\\an8}<i>Dana Whitfield:</i> How long have you been on patrol?

2
00:00:04,500 --> 00:00:08,000
<b>Marcus Bell:</b> Eleven years, mostly nights.

3
00:00:08,500 --> 00:00:11,000
<font color="#ffff00">Dana Whitfield:</font> What happens when the unit is {\\i1}full{\\i0}?

4
00:00:11,500 --> 00:00:15,000
Marcus Bell: We wait at the ER.
"""


def test_substation_tags_in_srt_cues_are_not_text(make_transcript):
    t = parse_transcript(make_transcript(POSITIONED, "P03.srt"))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", "How long have you been on patrol?"),
        ("Marcus Bell", "participant", "Eleven years, mostly nights."),
        ("Dana Whitfield", "interviewer", "What happens when the unit is full?"),
        ("Marcus Bell", "participant", "We wait at the ER."),
    ]
    assert t.warnings == ()


# Teams' transcript (.vtt): a cue identifier of a GUID and a number over each cue, the display name as the
# organisation writes it, one sentence split across two cues, an answer over two lines of one cue.
TEAMS = """\
WEBVTT

0d7f3b9e-5c2a-4a1f-9e0b-1c2d3e4f5a6b/12-0
00:00:03.120 --> 00:00:07.480
<v Whitfield, Dana (WEI Lab)>Thanks for joining today. Can you</v>

0d7f3b9e-5c2a-4a1f-9e0b-1c2d3e4f5a6b/12-1
00:00:07.480 --> 00:00:09.000
<v Whitfield, Dana (WEI Lab)>tell me about your role?</v>

0d7f3b9e-5c2a-4a1f-9e0b-1c2d3e4f5a6b/20-0
00:00:09.900 --> 00:00:15.200
<v Marcus Bell>Sure. I'm a patrol sergeant, twelve years, on nights.</v>

0d7f3b9e-5c2a-4a1f-9e0b-1c2d3e4f5a6b/31-0
00:00:15.800 --> 00:00:19.000
<v Whitfield, Dana (WEI Lab)>How do crisis calls get to your officers?</v>

0d7f3b9e-5c2a-4a1f-9e0b-1c2d3e4f5a6b/35-0
00:00:19.500 --> 00:00:26.100
<v Marcus Bell>Dispatch codes them. Most come in as a welfare check
or a disturbance, and we sort it out on scene.</v>
"""

# Otter's .txt: a name and the time over each turn, a voice it could not place saying "Yeah." inside an
# answer, times past the hour, and its footer.
OTTER = """\
Dana Whitfield  0:03
Thanks for joining me today. Can you start by telling me about your role?

P04  0:09
Sure. I'm a deputy with the county, eleven years, mostly nights.

Unknown Speaker  0:35
Yeah.

P04  0:36
And then we figure it out on scene.

Dana Whitfield  1:02:03
What happens when the crisis unit is full?

P04  1:02:09
Then it's the ER, and we sit there with them for hours.

Transcribed by https://otter.ai
"""


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "P02.vtt",
            TEAMS,
            [
                (
                    "Whitfield, Dana (WEI Lab)",
                    "interviewer",
                    3.12,
                    "Thanks for joining today. Can you tell me about your role?",
                ),
                ("Marcus Bell", "participant", 9.9, "Sure. I'm a patrol sergeant, twelve years, on nights."),
                (
                    "Whitfield, Dana (WEI Lab)",
                    "interviewer",
                    15.8,
                    "How do crisis calls get to your officers?",
                ),
                (
                    "Marcus Bell",
                    "participant",
                    19.5,
                    "Dispatch codes them. Most come in as a welfare check or a disturbance, and we sort it out on scene.",
                ),
            ],
        ),
        (
            "P04.txt",
            OTTER,
            [
                (
                    "Dana Whitfield",
                    "interviewer",
                    3.0,
                    "Thanks for joining me today. Can you start by telling me about your role?",
                ),
                (
                    "P04",
                    "participant",
                    9.0,
                    (
                        "Sure. I'm a deputy with the county, eleven years, mostly nights.\n\nUnknown Speaker: Yeah.\n\n"
                        "And then we figure it out on scene."
                    ),
                ),
                ("Dana Whitfield", "interviewer", 3723.0, "What happens when the crisis unit is full?"),
                ("P04", "participant", 3729.0, "Then it's the ER, and we sit there with them for hours."),
            ],
        ),
    ],
)
def test_exports_read_with_their_speakers_roles_and_segments(make_transcript, name, text, expected):
    t = parse_transcript(make_transcript(text, name))
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == expected
    assert t.roles == "inferred"


# Zoom names a participant anew who renames themselves, or rejoins from a phone or by dialling in: the
# first answers under "iPhone" (or "Call-in User_1"), the rest under "Marcus Bell". Before, two participants
# with the roles inferred: every report's N one higher, no doubt raised.
RENAMED = """\
WEBVTT

1
00:00:01.000 --> 00:00:04.000
Dana Whitfield: Thanks for joining. How long have you been on patrol?

2
00:00:04.500 --> 00:00:08.000
{first}: Eleven years, mostly nights.

3
00:00:08.500 --> 00:00:11.000
Dana Whitfield: How do crisis calls reach you?

4
00:00:11.500 --> 00:00:15.000
{first}: Through dispatch, as welfare checks mostly.

5
00:00:15.500 --> 00:00:18.000
Dana Whitfield: {thanks} What happens when the unit is full?

6
00:00:18.500 --> 00:00:22.000
{second}: We wait at the ER, sometimes for hours.

7
00:00:22.500 --> 00:00:25.000
Dana Whitfield: What would help?

8
00:00:25.500 --> 00:00:29.000
Marcus Bell: More beds, and a clinician on nights.
"""


@pytest.mark.parametrize("first", ["iPhone", "Call-in User_1"])
@pytest.mark.parametrize("labels", [None, ["Dana Whitfield"]])
def test_a_participant_renamed_mid_meeting_is_doubtful(make_transcript, first, labels):
    text = RENAMED.format(first=first, second="Marcus Bell", thanks="Thanks for renaming.")
    t = parse_transcript(make_transcript(text, "P05.vtt"), interviewer_labels=labels)
    assert t.roles == "review"
    assert t.roles_reason.startswith(f'"{first}" answers the questions until "Marcus Bell" takes over')


def test_two_participants_both_spoken_to_are_no_doubt(make_transcript):
    text = RENAMED.format(first="Priya Raman", second="Marcus Bell", thanks="Thanks to you both.")
    t = parse_transcript(make_transcript(text, "P06.vtt"))
    assert t.roles == "inferred", t.roles_reason


def test_two_participants_who_speak_beside_each_other_are_no_doubt(make_transcript):
    text = RENAMED.format(first="Priya Raman", second="Marcus Bell", thanks="Thanks.").replace(
        "Priya Raman: Eleven years", "Marcus Bell: Eleven years"
    )
    t = parse_transcript(make_transcript(text, "P06.vtt"))
    assert t.roles == "inferred", t.roles_reason


def test_labels_numbered_with_a_hash_are_labels(make_transcript):
    # Before, `Participant #3:` was no label: the whole interview was the interviewer's one segment.
    text = (
        "Interviewer #1: How long have you worked on the mobile crisis team?\n\n"
        "Participant #3: Four years, before that the unit.\n\n"
        "Interviewer #1: How do officers reach you?\n\n"
        "Participant #3: They call the line. We had #3 on the list.\n"
    )
    t = parse_transcript(make_transcript(text, "clin03.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer #1", "interviewer"),
        ("Participant #3", "participant"),
    ] * 2
    assert [s.reason for s in t.speakers] == ["a known interviewer label", "a participant label"]


def _srt(*cues: str) -> str:
    """SubRip as captioning tools save it: numbered cues, comma milliseconds, CRLF line ends."""
    return "".join(
        f"{i}\r\n00:00:{3 * i:02d},000 --> 00:00:{3 * i + 2:02d},500\r\n{text}\r\n\r\n"
        for i, text in enumerate(cues, 1)
    )


# A captioner who names the speaker in brackets, no colon, on each change of speaker; the cues after it
# carry on the same speaker's words. Before, no bracket was a label: the file was one unlabelled segment,
# every question counted as participant speech.
BRACKETED = _srt(
    "[Marcus Bell] How did the call start?",
    "[Dana Whitfield] We got dispatched",
    "around two in the morning, [inaudible]",
    "to a welfare check.",
    "[Marcus Bell] And then?",
    "[Dana Whitfield] The co-responder came",
    "[crosstalk] and we talked him down.",
)


def test_a_captioners_bracketed_speakers_are_labels(make_transcript):
    t = parse_transcript(make_transcript(BRACKETED, "P04.srt"))
    assert [(s.speaker, s.role, s.text) for s in t.segments] == [
        ("Marcus Bell", "interviewer", "How did the call start?"),
        (
            "Dana Whitfield",
            "participant",
            "We got dispatched around two in the morning, [inaudible] to a welfare check.",
        ),
        ("Marcus Bell", "interviewer", "And then?"),
        ("Dana Whitfield", "participant", "The co-responder came [crosstalk] and we talked him down."),
    ]
    assert t.roles == "inferred"


@pytest.mark.parametrize(
    "cues",
    [
        # a captioner's sounds, in title case as names are, each heard twice
        (
            "We got dispatched around two.",
            "[Phone Rings] Sorry, one second.",
            "[Siren Wailing] That is the station.",
            "[Phone Rings] Hold on.",
            "[Siren Wailing] Again, sorry.",
            "So the unit was full.",
        ),
        # one bracketed name in the captions of one voice: nothing to tell it from a note
        (
            "[Dana Whitfield] We got dispatched.",
            "Around two.",
            "[Dana Whitfield] Then the unit.",
            "It was full.",
        ),
        ("[Inaudible] We got there.", "[Crosstalk] And then?", "[Inaudible] The unit.", "[Crosstalk] Full."),
    ],
)
def test_bracketed_notes_and_one_bracketed_voice_are_no_speakers(make_transcript, cues):
    t = parse_transcript(make_transcript(_srt(*cues), "P05.srt"))
    assert [s.speaker for s in t.segments] == [None]


# Google Meet lists who attended over the turns, as Otter lists its SPEAKERS. A note-taking co-interviewer
# who asks one question is heard once; before, that line was no label ("a name heard once") and the
# question went into the participant's turn, coded as the participant's words.
MEET_ATTENDEES = """\
KP31 interview - 2024/03/12 14:02 CDT - Transcript
Attendees
Dana Whitfield, Marcus Bell, Luis Ortega
Transcript
00:00:00

Dana Whitfield: Thanks for joining me today. Can you start by telling me about your role?
Marcus Bell: Sure. I've been a patrol officer for eleven years, the last three on the crisis team.
Luis Ortega: Do you get anything from dispatch beforehand?
Marcus Bell: Sometimes, if there's a premise history. Otherwise we show up blind.
Dana Whitfield: And where do you take people after?
Marcus Bell: Most of the time the ER. The unit takes walk-ins now but they want a call first.
Meeting ended after 00:41:12 👋
"""


@pytest.mark.parametrize(
    "listing", ["Attendees\nDana Whitfield, Marcus Bell, Luis Ortega", "SPEAKERS\nLuis Ortega"]
)
def test_a_speaker_a_service_lists_is_a_speaker_heard_once(make_transcript, listing):
    text = MEET_ATTENDEES.replace("Attendees\nDana Whitfield, Marcus Bell, Luis Ortega", listing)
    t = parse_transcript(make_transcript(text, "KP31.txt"))
    assert [s.speaker for s in t.segments] == [
        "Dana Whitfield",
        "Marcus Bell",
        "Luis Ortega",
        "Marcus Bell",
        "Dana Whitfield",
        "Marcus Bell",
    ]
    assert "dispatch beforehand" not in " ".join(s.text for s in t.segments if s.speaker == "Marcus Bell")
    # Heard once and asking: neither counted as a participant nor coded until a person sets the role, said.
    assert {s.speaker: s.role for s in t.segments}["Luis Ortega"] == "review"
    assert "roles_review" in {w.kind for w in t.warnings}
    assert "missed_labels" not in {w.kind for w in t.warnings}


# A Rev PDF saved as text with `pdftotext -layout`: its footer's two cells, the title with "(Completed ...)"
# on the left and "Page 1 of 2" on the right, come out on one line. Each cell alone was dropped, the line
# was not: it went into the participant's turn, a page break inside it, and was coded as speech.
REV_LAYOUT = (
    "KP31 Interview (Completed 03/14/24)\nTranscript by Rev.com\n\n"
    "Dana Whitfield (00:00):\nOkay, we're recording. Can you tell me what your job is day to day?\n\n"
    "Speaker 2 (00:07):\nSure. I'm a crisis counselor at the stabilization unit. Most of my shifts are\n\n\n"
    "KP31 Interview (Completed 03/14/24)                                     Page 1 of 2\n\n"
    "Transcript by Rev.com\nThis transcript was exported on Mar 14, 2024 - view latest version here.\n"
    "\fevenings, and I do intake when officers bring someone in.\n\n"
    "Dana Whitfield (00:21):\nHow does a typical drop-off go?\n\n"
    "Speaker 2 (00:24):\nIt depends on the officer.\n\n\n"
    "KP31 Interview (Completed 03/14/24)\tPage 2 of 2\n\nTranscript by Rev.com\n"
)


def test_a_pdf_footer_laid_out_on_one_line_is_not_speech(make_transcript):
    t = parse_transcript(make_transcript(REV_LAYOUT, "KP31.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Dana Whitfield", "interviewer"),
        ("Speaker 2", "participant"),
        ("Dana Whitfield", "interviewer"),
        ("Speaker 2", "participant"),
    ]
    assert not any("Completed" in s.text or "Page" in s.text for s in t.segments)
    assert t.segments[1].text.endswith("evenings, and I do intake when officers bring someone in.")
    assert t.warnings == ()  # the footer cells read as a label and its text (the tab) are no name heard once
    # Speech laid out in columns stays speech: only a line whose every cell is boilerplate is dropped.
    kept = REV_LAYOUT.replace(
        "It depends on the officer.", "It depends.      Page 2 of 2 of the form, I mean."
    )
    t = parse_transcript(make_transcript(kept, "KP32.txt"))
    assert "It depends.      Page 2 of 2 of the form, I mean." in t.segments[3].text


# Otter names the participant it could not identify `Speaker 2`, and a voice it could not place at all
# `Unknown Speaker`: here it lost Speaker 2's voice for one answer. Before, `Unknown Speaker` was a second
# participant of a one-to-one interview (every report's N one higher), roles inferred, without a word.
OTTER_UNKNOWN = """\
KP40 interview
Tue, 3/12 2:02PM • 41:12

Dana Whitfield  0:00
Thanks for joining me today. Can you start by telling me about your role?

Speaker 2  0:06
Sure. I've been a patrol officer for about eleven years, the last three on the crisis team.

Dana Whitfield  0:15
What happens when you get a call like that?

Speaker 2  0:19
Dispatch tones us out, we get the notes on the laptop, and we ask for a clinician.

Dana Whitfield  0:25
And where do you take people after?

Unknown Speaker  0:28
Most of the time the ER. The unit takes walk-ins now but they want a call first.

Dana Whitfield  0:40
How long does that call take?

Speaker 2  0:41
Forty minutes on a bad night.

Transcribed by https://otter.ai
"""


def test_an_unknown_speaker_beside_a_numbered_participant_is_doubtful(make_transcript):
    t = parse_transcript(make_transcript(OTTER_UNKNOWN, "KP40.txt"))
    assert {s.speaker: s.role for s in t.segments} == {
        "Dana Whitfield": "interviewer",
        "Speaker 2": "participant",
        "Unknown Speaker": "participant",
    }
    assert t.roles == "review"
    (warning,) = t.warnings
    assert warning.kind == "roles_review"
    assert '"Unknown Speaker" answers questions beside "Speaker 2"' in warning.message
    # Two numbered voices answering are two people the service told apart: no such doubt.
    two = OTTER_UNKNOWN.replace("Unknown Speaker", "Speaker 3")
    assert "beside" not in parse_transcript(make_transcript(two, "KP41.txt")).roles_reason


# A team renames a service's speakers with each one's role after the name, as Rev's and Otter's editors let
# them. The participant asks about the interview at length first; before, the roles written in the labels
# were not read: both were participants, for review, and no interviewer was counted.
ROLE_NOTES = """\
Dana Whitfield (Interviewer) (00:00):
Thanks for joining me today. Before we start, is it okay that I record this?

Marcus Bell (Participant) (00:05):
Sure, that's fine. Is this going to be shared with the department? I just want to know who sees it before I say anything about my sergeant, because honestly some of it isn't flattering.

Dana Whitfield (Interviewer) (00:21):
No, only the research team sees it, and we take out names.

Marcus Bell (Participant) (00:26):
Okay. And how long will this take?

Dana Whitfield (Interviewer) (00:29):
About forty minutes. So tell me about your role.

Marcus Bell (Participant) (00:33):
Patrol, eleven years, CIT for the last three.
"""


@pytest.mark.parametrize(
    ("interviewer", "participant", "layout"),
    [
        ("Dana Whitfield (Interviewer)", "Marcus Bell (Participant)", "rev"),
        # Before, `Dana Whitfield - Interviewer (00:00):` was no label: a dash label `Dana Whitfield`, the
        # words `Interviewer (00:00):` its text, the time lost.
        ("Dana Whitfield - Interviewer", "Marcus Bell - Respondent", "rev"),
        ("Dana Whitfield - Interviewer", "Marcus Bell - Respondent", "otter"),
        ("Dana Whitfield - Interviewer", "Marcus Bell - Respondent", "inline"),
        ("Dana Whitfield (moderator)", "Marcus Bell (P07)", "rev"),
    ],
)
def test_a_role_written_after_the_name_is_the_speakers_role(
    make_transcript, interviewer, participant, layout
):
    text = ROLE_NOTES.replace("Dana Whitfield (Interviewer)", interviewer).replace(
        "Marcus Bell (Participant)", participant
    )
    if layout == "otter":  # `Name - Role  0:05` over the turn
        text = re.sub(r" \((\d\d:\d\d)\):\n", r"  \1\n", text)
    elif layout == "inline":  # as a meeting's display name: `Name - Role: text`, no time
        text = re.sub(r" \(\d\d:\d\d\):\n", ": ", text)
    t = parse_transcript(make_transcript(text, "KP60.txt"))
    assert {s.speaker: s.role for s in t.segments} == {interviewer: "interviewer", participant: "participant"}
    assert (t.roles, t.warnings) == ("inferred", ())
    if layout != "inline":
        assert [s.start_time for s in t.segments] == [0, 5, 21, 26, 29, 33]
        assert not any("(00:" in s.text for s in t.segments)
    # A note that is no role (an organisation, a rank) leaves the role to the questions, as before.
    plain = ROLE_NOTES.replace("(Interviewer)", "(WEI Lab)").replace("(Participant)", "(Sheriff)")
    assert parse_transcript(make_transcript(plain, "KP61.txt")).roles == "review"


def test_a_one_page_rev_pdfs_footer_is_not_speech(tmp_path):
    # One page: no running head to find. The footer's cells, title on the left and "Page 1 of 1" on the
    # right, are one line to the PDF reader; before, it was the end of the participant's last answer, and
    # said as a line that starts like a speaker label.
    from fpdf import FPDF

    class Rev(FPDF):
        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(95, 8, "KP31 Interview (Completed 03/14/24)", align="L")
            self.cell(0, 8, f"Page {self.page_no()} of 1", align="R")
            self.ln(5)
            self.cell(0, 8, "Transcript by Rev.com", align="L")

    pdf = Rev()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Dana Whitfield (00:21):", "How does a typical drop-off go?", "", "Speaker 2 (00:24):"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "It depends on the officer.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "KP31.pdf"))
    t = parse_transcript(tmp_path / "KP31.pdf")
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Dana Whitfield", "How does a typical drop-off go?"),
        ("Speaker 2", "It depends on the officer."),
    ]
    assert t.warnings == ()


@pytest.mark.parametrize("mark", ["[END OF AUDIO]", "(END OF RECORDING)", "[Beginning of recording]"])
def test_a_services_mark_where_the_recording_ends_is_not_speech(make_transcript, mark):
    # TranscribeMe's and Rev's closing line: it was the end of the participant's last answer, its words
    # counted as theirs.
    text = (
        f"{mark}\n\nS1: 00:00 Okay, we're recording. Can you tell me what your role is?\n\n"
        "S2: 00:07 I'm a crisis counselor at the unit. Evenings mostly.\n\n"
        "S1: 00:21 How does a typical drop-off go?\n\n"
        f"S2: 00:24 It depends on the officer. Some stay, some leave.\n\n{mark}\n"
    )
    t = parse_transcript(make_transcript(text, "CSU07.txt"))
    assert [s.text for s in t.segments][-1] == "It depends on the officer. Some stay, some leave."
    assert [s.speaker for s in t.segments] == ["S1", "S2", "S1", "S2"]
    # Said inside a turn, it is the speaker's words.
    said = text.replace("Evenings mostly.", "Evenings mostly. [END OF AUDIO] was all the note said.")
    assert "[END OF AUDIO] was all" in parse_transcript(make_transcript(said, "CSU08.txt")).segments[1].text


TURBOSCRIBE_FREE = "(Transcribed by TurboScribe.ai. Go Unlimited to remove this message.)"


@pytest.mark.parametrize("at_end", [False, True], ids=["top", "end"])
def test_turboscribes_free_tier_line_is_not_speech(make_transcript, at_end):
    # TurboScribe's free exports open with this line over the paragraphs it heard. It was the first
    # paragraph's text (or, at the end, the last turn's) and the title of a file with a title line.
    turns = (
        "Thanks for joining me today. Can you start by telling me about your role?\n\n"
        "Sure. I'm a deputy with the county, eleven years, mostly nights.\n\n"
        "How do crisis calls get to you?\n\n"
        "Dispatch codes them as a welfare check, and we sort it out on scene.\n"
    )
    text = turns + f"\n{TURBOSCRIBE_FREE}\n" if at_end else f"{TURBOSCRIBE_FREE}\n\n{turns}"
    t = parse_transcript(make_transcript(text, "P21.txt"))
    assert [s.text for s in t.segments] == turns.strip().split("\n\n")
    assert "title" not in t.attributes
    labelled = text.replace("Thanks", "Speaker 1: Thanks").replace("Sure", "Speaker 2: Sure")
    labelled = labelled.replace("How do", "Speaker 1: How do").replace("Dispatch", "Speaker 2: Dispatch")
    t = parse_transcript(make_transcript(labelled, "P22.txt"))
    assert not any("TurboScribe" in s.text for s in t.segments)
    assert "title" not in t.attributes


# openai-whisper's (and faster-whisper's) .txt: a line per segment it heard, no blank line, no speaker
# (whisper/utils.py, WriteTXT: `print(segment["text"].strip(), file=file)`). Before, the whole interview
# was one segment, though the same recording's .srt is read in paragraphs.
def test_whispers_txt_is_read_a_segment_a_line():
    t = parse_transcript(DATA / "whisper_segments.txt")
    texts = [s.text for s in t.segments]
    assert len(texts) == 12
    assert (
        texts[0] == "So the first thing you learn on nights is that the crisis unit closes its doors early."
    )
    # A line that ends no sentence goes on into the next: Whisper cut the sentence there.
    assert (
        texts[3] == "And the other deputy covers the whole county alone for that time,\nwhich nobody likes."
    )
    assert texts[6] == "Only two."
    assert {(s.speaker, s.role) for s in t.segments} == {(None, "participant")}
    assert (t.roles, _kinds(t)) == ("review", ["unlabelled_text"])


# Word's "Save As > Plain Text" with no line breaks inserted: a line per paragraph, CRLF, no blank line.
# The .docx it came from is read a paragraph a segment; the .txt was one segment.
WORD_PLAIN = (
    "Thanks for doing this. How long have you been with the mobile crisis team?\r\n"
    "About four years. Before that I was at the stabilization unit on nights, so I have seen both sides "
    "of the handoff, and it is not pretty when the beds are gone.\r\n"
    "What happens when the unit is full?\r\n"
    "The officers wait with the person at the emergency department, sometimes for hours.\r\n"
)
# Text hard-wrapped at a width ends a sentence at a line's end only now and then: one paragraph still.
WRAPPED = """\
Thanks for doing this. How long have you been with the mobile crisis
team? About four years now. Before that I was at the stabilization unit
on nights, so I have seen both sides of the handoff, and it is not pretty
when the beds are gone. What happens when the unit is full? Then the
officers wait with the person at the emergency department, sometimes for
hours.
"""
# Blank lines between paragraphs, a sentence a line inside them: read a paragraph between blank lines.
SENTENCE_A_LINE = """\
About four years now.
Before that I was at the stabilization unit.

The officers wait at the emergency department.
Sometimes for hours.

Nobody likes it.
It takes a car off the road.
"""


@pytest.mark.parametrize(("text", "segments"), [(WORD_PLAIN, 4), (WRAPPED, 1), (SENTENCE_A_LINE, 3)])
def test_a_txt_with_no_labels_is_read_a_paragraph_a_line_only_where_it_writes_so(tmp_path, text, segments):
    path = tmp_path / "p09.txt"
    path.write_bytes(text.encode("utf-8"))
    t = parse_transcript(path)
    assert len(t.segments) == segments
    assert ("single_segment" in _kinds(t)) == (segments == 1)


# An f4/f5 time mark (`#00:00:05-2#`) at a paragraph's start, over MAXQDA's automatic speaker labels
# `I:` and `B:`, as a transcriber who sets a mark before each turn leaves them. Before, no label was read:
# every question counted as the participant's speech, `I:` in its text.
def test_a_time_mark_before_the_label_times_the_turn():
    t = parse_transcript(DATA / "maxqda_marks.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("I", "interviewer", 0.0),
        ("B", "participant", 5.2),
        ("I", "interviewer", 13.9),
        ("B", "participant", 17.5),
        ("I", "interviewer", 24.5),
        ("B", "participant", 28.0),
    ]
    assert t.segments[0].text == "Thanks for doing this. How long have you been with the mobile crisis team?"
    assert not any("#" in s.text for s in t.segments)
    assert (t.roles, t.warnings) == ("inferred", ())


# aTrain (Whisper with pyannote's speaker detection, run offline; much used in research) writes each .txt
# under `Transcription for FILE` and a blank line (aTrain_core outputs.create_txt_file). Its MAXQDA export
# puts each speaker's segments in one paragraph, each as `[00:00:02] - text`. Before, the dash of every mark
# but the first stayed in the text (`this. - How long`).
def test_atrains_maxqda_export_is_read_without_its_marks():
    t = parse_transcript(DATA / "atrain_maxqda.txt")
    assert t.attributes == {"title": "Transcription for p41_interview"}
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("SPEAKER_00", "interviewer", 0.0),
        ("SPEAKER_01", "participant", 5.0),
        ("SPEAKER_00", "interviewer", 13.0),
        ("SPEAKER_01", "participant", 17.0),
        ("SPEAKER_00", "interviewer", 24.0),
        ("SPEAKER_01", "participant", 28.0),
    ]
    assert t.segments[0].text == "Thanks for doing this. How long have you been with the mobile crisis team?"
    assert t.segments[5].text == "They hate it. A whole shift, gone."
    assert (t.roles, t.warnings) == ("inferred", ())


# Without speaker detection nothing but its place told aTrain's head line from speech: it was coded as
# the participant's first words.
def test_atrains_head_line_is_no_speech_in_a_file_without_speakers():
    t = parse_transcript(DATA / "atrain_timestamps_no_speakers.txt")
    assert t.attributes == {"title": "Transcription for p41_interview"}
    assert [(s.start_time, s.text) for s in t.segments[:2]] == [
        (0.0, "Thanks for doing this."),
        (2.0, "How long have you been with the mobile crisis team?"),
    ]
    assert len(t.segments) == 10
    assert (t.roles, _kinds(t)) == ("review", ["unlabelled_text"])


# WhisperX's .txt with diarization: a segment a line, `[SPEAKER_00]: text` (whisperx/utils.py, as its
# subtitle writers prefix a cue), and no label on a segment pyannote placed with no speaker. Before, that
# line went to the speaker above it: the interviewer's "Okay." into the participant's answer.
def test_a_segment_whisperx_left_without_a_speaker_is_no_ones():
    t = parse_transcript(DATA / "whisperx.txt")
    assert [(s.speaker, s.role, s.text) for s in t.segments[3:5]] == [
        (
            "SPEAKER_01",
            "participant",
            "Then the officers wait with the person at the emergency department, sometimes for hours.",
        ),
        (None, "review", "Okay."),
    ]
    assert [s.speaker for s in t.segments] == [
        "SPEAKER_00",
        "SPEAKER_01",
        "SPEAKER_00",
        "SPEAKER_01",
        None,
        "SPEAKER_00",
        "SPEAKER_01",
    ]
    assert t.roles == "review"


# A transcript prepared for MAXQDA's focus-group import with timestamps: each paragraph starts with the
# time and the speaker, no space between them (`00:03:40.5Zack: text`, as a project's transcription guide
# for MAXQDA 2018 sets it out). Before, no label was read: every turn counted as the participant's.
def test_a_time_glued_to_the_label_is_read():
    t = parse_transcript(DATA / "maxqda_focus_group.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Dana", "interviewer", 1.2),
        ("KP46", "participant", 5.0),
        ("Dana", "interviewer", 13.9),
        ("KP46", "participant", 17.5),
        ("Dana", "interviewer", 24.5),
        ("KP46", "participant", 28.0),
    ]
    assert t.segments[1].text.startswith("About four years now.")
    assert (t.roles, t.warnings) == ("inferred", ())


# noScribe's .txt (the text of its HTML transcript: noScribe.py, html_to_text): the audio file's name as the
# title, then `Transcribed with noScribe vers. 0.7`, `Audio file: PATH` and its options in one paragraph,
# then a paragraph a turn, `S00 [00:00:01]: text`. Before, that head was a segment of no one's (role review)
# with speakers, and coded as the participant's first words without.
@pytest.mark.parametrize("name", ["noscribe.txt", "noscribe_no_speakers.txt"])
def test_noscribes_head_is_its_title_not_speech(name):
    t = parse_transcript(DATA / name)
    assert t.attributes == {"title": "interview_p47"}
    assert t.segments[0].text == "Thanks for doing this. How long have you been with the mobile crisis team?"
    assert len(t.segments) == 4
    assert not any("noScribe" in s.text or "Audio file" in s.text for s in t.segments)


def test_noscribes_turns_and_times():
    t = parse_transcript(DATA / "noscribe.txt")
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("S00", "interviewer", 1.0),
        ("S01", "participant", 6.0),
        ("S00", "interviewer", 12.0),
        ("S01", "participant", 14.0),
    ]
    assert t.segments[3].text.endswith("(..) It takes a car off the road for a whole shift. They hate it.")
    assert (t.roles, t.warnings) == ("inferred", ())


# Zoom names each cue with the display name as it is at that moment: the interviewer and the participant
# who add their pronouns to their names half way through (`Dana Whitfield` from then on `Dana Whitfield
# (she/her)`). Before, four speakers: the questions split between two, no interviewer found, every speaker
# a participant (a report's N four for one).
def test_a_name_renamed_with_a_note_in_parentheses_is_one_speaker():
    t = parse_transcript(DATA / "zoom_renamed_pronouns.vtt")
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Dana Whitfield", "interviewer", 6),
        ("Marcus Bell", "participant", 6),
    ]
    assert t.roles == "inferred"
    assert _kinds(t) == ["renamed"]
    assert '"Dana Whitfield (she/her)" as "Dana Whitfield" (segments 7, 9, 11)' in t.warnings[0].message


# Renamed after one exchange: each name before it is heard once, and was text of no one's (role review).
RENAMED_EARLY = """\
WEBVTT

1
00:00:01.000 --> 00:00:04.000
Dana Whitfield: Thanks for joining. How long have you been on patrol?

2
00:00:04.500 --> 00:00:08.000
Marcus Bell: Eleven years, mostly nights.

3
00:00:08.500 --> 00:00:11.000
Dana Whitfield (she/her): How do crisis calls reach you?

4
00:00:11.500 --> 00:00:15.000
Marcus Bell (he/him): Through dispatch, as welfare checks mostly.

5
00:00:15.500 --> 00:00:18.000
Dana Whitfield (she/her): What happens when the unit is full?

6
00:00:18.500 --> 00:00:22.000
Marcus Bell (he/him): We wait at the ER, sometimes for hours.
"""


def test_a_name_heard_once_before_its_rename_is_that_speaker(make_transcript):
    t = parse_transcript(make_transcript(RENAMED_EARLY, "p05.vtt"))
    assert [(s.speaker, s.role) for s in t.segments[:2]] == [
        ("Dana Whitfield", "interviewer"),
        ("Marcus Bell", "participant"),
    ]
    assert t.segments[0].text == "Thanks for joining. How long have you been on patrol?"
    assert (t.roles, _kinds(t)) == ("inferred", ["renamed"])


# Two notes on one name are two people: a pair of interviewers told apart by their initials.
def test_one_name_with_two_notes_is_not_folded(make_transcript):
    text = (
        "Interviewer 1 (JD): How long have you been on patrol?\n\n"
        "P05: Eleven years.\n\n"
        "Interviewer 1 (MK): And on nights?\n\n"
        "P05: Most of them.\n\n"
        "Interviewer 1: Thank you both.\n\n"
        "P05: Sure.\n"
    )
    t = parse_transcript(make_transcript(text, "p05.txt"))
    assert {s.speaker for s in t.segments} == {
        "Interviewer 1 (JD)",
        "Interviewer 1 (MK)",
        "Interviewer 1",
        "P05",
    }
    assert "renamed" not in _kinds(t)


def test_several_voice_spans_in_one_cue_are_each_speakers():
    # WebVTT lets a cue hold several voice spans (`<v Marcus Bell>...</v>` over `<v Dana Whitfield>Mm-hmm.</v>`,
    # or both on one line). webvtt-py gives the first line's voice only: the interviewer's "Mm-hmm." was
    # read into the answer and the participant's "The ER" into the interviewer's question, without a word.
    t = parse_transcript(DATA / "vtt_voices_in_one_cue.vtt")
    assert [(s.speaker, s.role, s.start_time, s.end_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 3.24, 7.18, "Thanks for joining. How long have you worked patrol?"),
        ("Marcus Bell", "participant", 7.5, 12.02, "About nine years now, mostly nights."),
        ("Dana Whitfield", "interviewer", 7.5, 12.02, "Mm-hmm."),
        ("Marcus Bell", "participant", 12.1, 15.96, "We get a lot of crisis calls. Most weekends."),
        ("Dana Whitfield", "interviewer", 16.5, 20.1, "Tell me about the last crisis call."),
        (
            "Marcus Bell",
            "participant",
            20.9,
            29.4,
            "A man on a bridge. We waited two hours for the mobile crisis team.",
        ),
        ("Dana Whitfield", "interviewer", 29.5, 31.0, "What then?"),
        ("Marcus Bell", "participant", 29.5, 31.0, "The ER & a long night."),
    ]
    assert t.warnings == ()


def test_a_markdown_pipe_table_is_read_as_its_rows():
    # A transcript table converted to Markdown (pandoc's and GitHub's pipe tables, from a Word or a Sonix
    # table): the whole table was one segment of no one's, the interviewer's questions counted as the
    # participant's speech. The header row is no title, a `<br>` in a cell a line break, `\|` a pipe.
    t = parse_transcript(DATA / "pipe_table.md")
    assert t.attributes == {"title": "P14 interview"}
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        ("Dana Whitfield", "interviewer", 3.0, "Thanks for joining. How long have you worked patrol?"),
        ("P14", "participant", 9.0, "About nine years now, mostly nights. We get a lot of crisis calls."),
        ("Dana Whitfield", "interviewer", 16.0, "Tell me about the last crisis call."),
        ("P14", "participant", 21.0, "A man on a bridge. The unit said no | full, so we waited two hours."),
    ]
    assert t.warnings == ()


@pytest.mark.parametrize("form", ["## {} 00:00:{}", "## {} [00:00:{}]", "### {} (00:00:{})", "## {} - 00:{}"])
def test_a_speakers_name_and_time_as_a_markdown_heading_is_a_label(make_transcript, form):
    # As Markdown exports of Whisper apps head each turn. Every heading was dropped as the file's title
    # and every turn was no one's, the questions counted as the participant's speech.
    turns = [
        ("Dana Whitfield", "03", "Thanks for joining. How long have you worked patrol?"),
        ("Marcus Bell", "09", "About nine years now, mostly nights."),
        ("Dana Whitfield", "16", "Tell me about the last crisis call."),
        ("Marcus Bell", "21", "A man on a bridge."),
    ]
    text = "# P14 interview\n\n" + "\n\n".join(f"{form.format(n, s)}\n{said}" for n, s, said in turns) + "\n"
    t = parse_transcript(make_transcript(text, name="p14.md"))
    assert t.attributes == {"title": "P14 interview"}
    assert [(s.speaker, s.role, s.start_time, s.text) for s in t.segments] == [
        (n, "interviewer" if n == "Dana Whitfield" else "participant", float(s), said) for n, s, said in turns
    ]
    assert t.warnings == ()


# A turn copied from a coloured terminal log (`less -R`, a script's output): the label wrapped in colour
# codes, and a label a chat or a web page left a zero-width space or a right-to-left mark on. Before,
# neither was a label: the participant's answers went into the interviewer's turn, escape codes and all.
@pytest.mark.parametrize(
    ("first", "second"),
    [("\x1b[1;31mDana\x1b[0m:", "\x1b[31mDana\x1b[m:"), ("\u200bDana:", "Dana\u200f:")],
)
def test_a_label_holding_terminal_controls_is_read_as_the_label(make_transcript, first, second):
    text = (
        "---\nsetting: \x1b[32mrural\x1b[0m\n---\n"
        "Interviewer: How long have you been on patrol?\n\n"
        f"{first} Eleven years, mostly nights.\n\n"
        "Interviewer: What happens when the unit is full?\n\n"
        f"{second} We wait at the ER, \u05e9\u05dc\u05d5\u05dd\u200f OK.\n"
    )
    t = parse_transcript(make_transcript(text, "P07.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Interviewer", "interviewer"),
        ("Dana", "participant"),
        ("Interviewer", "interviewer"),
        ("Dana", "participant"),
    ]
    assert t.segments[3].text == "We wait at the ER, \u05e9\u05dc\u05d5\u05dd\u200f OK."  # its RLM is kept
    assert "\x1b" not in t.text
    (said,) = [w.message for w in t.warnings if w.kind == "controls_removed"]
    assert "taken out of 3 lines (2, 6, 10)" in said and t.attributes["setting"] == "rural"


def test_an_attributes_cell_holding_a_colour_code_is_refused(tmp_path):
    from wei_qual.errors import TranscriptError
    from wei_qual.ingest.attributes import read_attributes_csv

    path = tmp_path / "attributes.csv"
    path.write_text("id,role\nP01,officer\nP02,\x1b[31mprovider\x1b[0m\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match=r'attributes\.csv", line 3: the \'role\' cell holds a control'):
        read_attributes_csv(path)


# Services that time every paragraph time the closing mark too: `[00:00:40] [END OF AUDIO]` stayed in the
# last turn as the participant's words.
@pytest.mark.parametrize(
    "mark", ["[00:00:40] [END OF AUDIO]", "[END OF RECORDING] 00:42:10", "00:41 - (End of audio)"]
)
def test_a_timed_closing_mark_is_no_ones_words(make_transcript, mark):
    text = (
        "Interviewer: How long have you been on patrol? [00:00:01]\n\n"
        "Dana: Eleven years, mostly nights. [00:00:05]\n\n"
        "Interviewer: What happens when the unit is full? [00:00:20]\n\n"
        f"Dana: We wait at the ER for hours. [00:00:30]\n\n{mark}\n"
    )
    t = parse_transcript(make_transcript(text, "P08.txt"))
    assert t.segments[-1].text == "We wait at the ER for hours."


# Otter names every voice it missed `Unknown Speaker`: here the second interviewer and, when Otter lost his
# voice, the participant. Before, its two blocks in a row (a question and its answer) were one segment,
# and its turns all took one role with no word that one role cannot fit them.
OTTER_UNKNOWN_BOTH = """\
Dana Whitfield  0:00
How long have you been on patrol?

Marcus Bell  0:04
Eleven years, mostly nights on the east side of the county.

Unknown Speaker  0:12
And what happens when the crisis unit is full?

Unknown Speaker  0:16
We wait at the emergency room, sometimes for six or seven hours with the person in the back seat.

Dana Whitfield  0:30
Who decides where the person goes after that?

Marcus Bell  0:34
Usually the sergeant, after a call with the mobile crisis team about what beds are open.

Unknown Speaker  0:45
Did the co-responder program change that for you?

Marcus Bell  0:50
It did, the clinician rides with us two nights a week now and that helps a lot with the calls.

Unknown Speaker  1:05
Honestly it changed how I think about these calls, we slow down and we talk more before anything else.
"""


def test_otters_unknown_speaker_asking_and_answering_is_said_turn_by_turn(make_transcript):
    t = parse_transcript(make_transcript(OTTER_UNKNOWN_BOTH, "P41.txt"))
    unknown = [s for s in t.segments if s.speaker == "Unknown Speaker"]
    assert [(s.n, s.text.endswith("?")) for s in unknown] == [(3, True), (4, False), (7, True), (9, False)]
    (said,) = [w.message for w in t.warnings if w.kind == "mixed_voice"]
    assert '"Unknown Speaker"' in said and "its 4 turns (segments 3, 4, 7, 9) both ask (2) and answer" in said
    assert (
        'give each of these turns its speaker with "wei-qual transcripts relabel P41 --segment 3 --speaker NAME" '
        "(the turns keep their numbers and their coding)" in said
    )


# Zoom names every cue's speaker; a cue it left unnamed (one voice it could not place) holding under 10%
# of the words was no one's turn, never coded, without a word.
def test_a_zoom_cue_with_no_name_is_said_however_few_its_words(make_transcript):
    said = [
        ("Dana Whitfield", "How long have you been on patrol?"),
        (
            "Marcus Bell",
            "Eleven years, mostly nights on the east side of the county, and I have seen a lot of calls.",
        ),
        (None, "What happens when the unit is full?"),
        (
            "Marcus Bell",
            "We wait at the emergency room, sometimes for six or seven hours with the person in the car.",
        ),
        ("Dana Whitfield", "Who decides where the person goes after that?"),
        (
            "Marcus Bell",
            "Usually the sergeant, after a call with the mobile crisis team about what beds are open.",
        ),
    ]
    cues = [
        f"{i}\n00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000\n{f'{name}: ' if name else ''}{text}\n"
        for i, (name, text) in enumerate(said, start=1)
    ]
    t = parse_transcript(make_transcript("WEBVTT\n\n" + "\n".join(cues), "P42.vtt"))
    assert [(s.speaker, s.role) for s in t.segments][2] == (None, "review")
    (warning,) = [w.message for w in t.warnings if w.kind == "unlabelled_text"]
    assert warning.startswith(
        "P42: 1 caption with no speaker's name (segment 3, 9% of the words) is no one's turn"
    )


def test_caption_labels_holding_colour_codes_are_read_as_labels(make_transcript):
    text = POSITIONED.replace("<b>Marcus Bell:</b>", "\x1b[33mMarcus Bell\x1b[0m:").replace(
        "Marcus Bell: We", "\u200bMarcus Bell: We"
    )
    t = parse_transcript(make_transcript(text, "P09.srt"))
    assert [s.speaker for s in t.segments] == [
        "Dana Whitfield",
        "Marcus Bell",
        "Dana Whitfield",
        "Marcus Bell",
    ]
    assert [w.kind for w in t.warnings] == ["controls_removed"]


# Two transcripts joined with `cat` (or copied out of two Notepad files): the second keeps its BOM at the
# start of its first line. The warning once blamed a coloured terminal log; it names the BOM.
def test_a_joined_files_bom_is_named_as_a_bom_not_a_terminal_log(make_transcript):
    text = (
        "Interviewer: How long have you been on patrol?\n\n"
        "Dana: Eleven years, mostly nights.\n\n"
        "\ufeffInterviewer: What happens when the unit is full?\n\n"
        "Dana: We wait at the ER.\n"
    )
    t = parse_transcript(make_transcript(text, "P07.txt"))
    assert [s.speaker for s in t.segments] == ["Interviewer", "Dana", "Interviewer", "Dana"]
    (said,) = [w.message for w in t.warnings if w.kind == "controls_removed"]
    assert "byte-order marks" in said and "taken out of 1 line (5)" in said
    assert "terminal" not in said and "files were joined" in said
