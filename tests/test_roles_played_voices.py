"""A radio or recorded voice a participant plays or quotes (`Dispatch: Unit 12, respond to...`), heard a few
times and answering none of the interviewers' questions, is another speaker (role other), not a second
participant: said on stderr and in the JSON. Before, it was counted as a participant and its lines coded as
the participant's words until a person passed --other."""

from __future__ import annotations

import json
import shlex

import pytest

from wei_qual.cli import app
from wei_qual.ingest import parse_transcript

# Rev: an officer plays the radio traffic of a call three times; the radio answers no question.
REV = """\
Interviewer (00:00:02):
Can you walk me through a typical crisis call from start to finish?

P12 (00:00:09):
Sure. Usually it starts with the radio. You hear something like this.

{voice} (00:00:15):
Unit 12, respond to the east side, caller reports her son is threatening to hurt himself.

P12 (00:00:24):
And you acknowledge and start rolling. On the way you think about who else is coming.

Interviewer (00:00:33):
Who else would be coming?

P12 (00:00:36):
Depends on the time of day. If it's daytime the co-responder might be free. Then dispatch comes back.

{voice} (00:00:47):
Unit 12, be advised, subject is now outside the residence.

P12 (00:00:52):
So now things change, because he's outside and there are neighbours.

Interviewer (00:01:01):
How long does it usually take the clinician to get there?

P12 (00:01:05):
Twenty minutes, sometimes forty. We wait.

{voice} (00:01:11):
Unit 12, clinician en route, fifteen out.

P12 (00:01:16):
That's the best case. Most nights it's nobody.
"""


@pytest.mark.parametrize(
    "voice",
    # `Body cam`, `Radio traffic`: a name typed in Rev with a word in lower case; before, no label, and the
    # radio's words went silently into the officer's turn.
    [
        "Dispatch",
        "Radio",
        "Radio Traffic",
        "Dispatcher",
        "Body Cam",
        "Dispatch (radio)",
        "Body cam",
        "Radio traffic",
        # A number first (`911:`), or a voice no person speaks (`Operator`, `Automated`): before, `911` was
        # no label, its words going silently into the officer's turn, and the others were participants.
        "911",
        "911 call",
        "911 Operator",
        "Operator",
        "Automated",
        "Automated message",
        "Scanner",
        "Recording",
        "Voicemail",
    ],
)
def test_a_radio_voice_heard_three_times_is_another_speaker(make_transcript, voice):
    t = parse_transcript(make_transcript(REV.format(voice=voice), "P12.txt"))
    assert [(s.label, s.role) for s in t.speakers] == [
        ("Interviewer", "interviewer"),
        ("P12", "participant"),
        (voice, "other"),
    ]
    assert t.roles == "inferred"
    assert [s.role for s in t.segments if s.speaker == voice] == ["other"] * 3
    (said,) = [w.message for w in t.warnings if w.kind == "played_voices"]
    assert said.startswith(f'P12: "{voice}" (3 turns) names a radio or recorded voice')
    assert said.endswith(f'"wei-qual transcripts roles P12 --participant {shlex.quote(voice)}".')


def test_the_cli_says_what_it_decided_on_stderr_and_in_the_json(runner, tmp_path):
    path = tmp_path / "P12.txt"
    path.write_text(REV.format(voice="Dispatch"), encoding="utf-8")
    db = tmp_path / "study.db"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    assert "Dispatch = other (3 turns" in result.stderr
    assert 'Warning: P12: "Dispatch" (3 turns) names a radio or recorded voice' in result.stderr
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"]).stdout
    )
    assert listed[0]["participants"] == 1 and listed[0]["other_speakers"] == 1
    assert listed[0]["roles"] == "inferred"
    assert [w["kind"] for w in listed[0]["warnings"]] == ["played_voices"]
    # A person who says it is someone interviewed sets it so, and the warning goes.
    set_ = runner.invoke(app, ["transcripts", "roles", "P12", "--participant", "Dispatch", "--db", str(db)])
    assert set_.exit_code == 0, set_.stderr
    shown = json.loads(
        runner.invoke(app, ["transcripts", "roles", "P12", "--db", str(db), "--format", "json"]).stdout
    )
    assert shown["warnings"] == [] and shown["roles"] == "given"


def test_with_interviewer_labels_the_radio_is_no_participant_either(make_transcript):
    path = make_transcript(REV.format(voice="Dispatch"), "P12.txt")
    t = parse_transcript(path, interviewer_labels=["Interviewer"])
    assert [(s.label, s.role, s.given) for s in t.speakers] == [
        ("Interviewer", "interviewer", True),
        ("P12", "participant", True),
        ("Dispatch", "other", False),  # decided from the turns, not by a person
    ]
    assert "played_voices" in [w.kind for w in t.warnings]


# A pair interview: an officer and the dispatcher who sent him, each answering questions.
PAIR = """\
Interviewer: How does a crisis call reach the two of you?

Dispatcher: I take the 911 call and decide whether it goes to patrol or to the mobile team.

Officer Diaz: And then I get it on the radio, usually coded as a welfare check.

Interviewer: What happens when the mobile team is busy?

Dispatcher: Then it goes to patrol, whatever the caller says.

Interviewer: Thank you both.
"""


@pytest.mark.parametrize("label", ["Dispatcher", "Operator", "911 Operator"])
def test_a_dispatcher_interviewed_who_answers_stays_a_participant(make_transcript, label):
    t = parse_transcript(make_transcript(PAIR.replace("Dispatcher:", f"{label}:"), "pair03.txt"))
    assert {s.label: s.role for s in t.speakers}[label] == "participant"
    assert "played_voices" not in [w.kind for w in t.warnings]


@pytest.mark.parametrize("voice", ["911", "Radio", "Automated", "Operator"])
def test_a_voice_heard_twice_in_plain_labels_is_another_speaker(make_transcript, voice):
    # `Name: text` on one line, the voice heard twice: the second participant of the review before.
    text = (
        "Interviewer: Can you walk me through a crisis call?\n\n"
        "P12: It starts with the radio. You hear something like this.\n\n"
        f"{voice}: Unit 12, respond to the east side, a man threatening to hurt himself.\n\n"
        "P12: And you start rolling. Then it comes back.\n\n"
        f"{voice}: Unit 12, be advised, subject is now outside.\n\n"
        "Interviewer: What changes then?\n\n"
        "P12: Everything, because there are neighbours.\n"
    )
    t = parse_transcript(make_transcript(text, "P12.txt"))
    assert {s.label: s.role for s in t.speakers} == {
        "Interviewer": "interviewer",
        "P12": "participant",
        voice: "other",
    }
    assert t.roles == "inferred"
    (said,) = [w.message for w in t.warnings if w.kind == "played_voices"]
    assert f'"{voice}" (2 turns) names a radio or recorded voice' in said


def test_a_radio_voice_heard_often_is_left_to_the_evidence(make_transcript):
    # Six turns is no voice played now and then: its role is left to the turns, for a person to check.
    text = "Interviewer: Walk me through the call, start to finish?\n\n"
    for k in range(6):
        text += f"P12: Then it went on, part {k}.\n\nRadio: Unit 12, update {k}.\n\n"
    t = parse_transcript(make_transcript(text, "P12.txt"))
    assert {s.label: s.role for s in t.speakers}["Radio"] == "participant"
    assert t.roles == "review"


def test_a_lower_case_name_over_a_time_heard_once_is_said(make_transcript):
    # Heard once, `Body cam (00:00:15):` may be a sentence: read as text of the turn before, and said.
    text = REV.format(voice="Body cam")
    for when, said in (
        ("00:00:47", "be advised, subject is now outside the residence."),
        ("00:01:11", "clinician en route, fifteen out."),
    ):
        text = text.replace(f"Body cam ({when}):\nUnit 12, {said}\n\n", "")
    t = parse_transcript(make_transcript(text, "P12.txt"))
    assert [s.label for s in t.speakers] == ["Interviewer", "P12"]
    assert [w.kind for w in t.warnings] == ["missed_labels"]


# The radio cuts in straight after a question, and the officer answers after it. Before, the dispatcher
# was taken for a second participant with no doubt raised (roles inferred, the interview counting two).
CUT_IN = """\
Interviewer: How long have you worked patrol in the county?

P09: About eleven years now, mostly nights, and most of that on the east side.

Interviewer: What happens when you get a crisis call at night?

Dispatch: Unit [##], copy a welfare check on Fifth.

P09: Sorry, that's the radio. Anyway, we go out and see whether the crisis unit will take the person.

Interviewer: How does that affect what you decide?

P09: It means jail is sometimes the only place open, which nobody wants.

Dispatch: Twelve, are you clear?

P09: That's them again. So yes, it shapes everything we do on those calls.
"""


def test_a_radio_that_cuts_in_after_a_question_answers_nothing(make_transcript):
    t = parse_transcript(make_transcript(CUT_IN, "P09.txt"))
    assert {s.label: s.role for s in t.speakers} == {
        "Interviewer": "interviewer",
        "P09": "participant",
        "Dispatch": "other",
    }
    assert "played_voices" in [w.kind for w in t.warnings]


def test_a_dispatch_label_that_answers_in_the_first_person_is_a_participant(make_transcript):
    # A pair labelled by their desks: "Dispatch" answers first, in the first person, and Patrol after.
    text = (
        CUT_IN.replace("P09:", "Patrol:")
        .replace("Unit [##], copy a welfare check on Fifth.", "I code it and send the closest car.")
        .replace("Twelve, are you clear?", "And we log the wait.")
    )
    t = parse_transcript(make_transcript(text, "pair04.txt"))
    assert {s.label: s.role for s in t.speakers}["Dispatch"] == "participant"
    assert "played_voices" not in [w.kind for w in t.warnings]


@pytest.mark.parametrize("voice", ["Radio chatter", "Body-worn camera", "Dispatch audio"])
def test_a_radio_voice_named_in_lower_case_before_a_colon(make_transcript, voice):
    # Before, `Radio chatter:` was no label: the radio's words went silently into the officer's turn.
    text = "".join(
        f"{label}: {said}\n\n"
        for label, said in [
            ("Interviewer", "Can you walk me through a typical crisis call?"),
            ("P12", "Sure. It starts with the radio."),
            (voice, "Unit 12, respond to the east side."),
            ("P12", "And you start rolling."),
            ("Interviewer", "Who else would be coming?"),
            ("P12", "The co-responder, if she is free."),
            (voice, "Unit 12, be advised, subject is outside."),
            ("P12", "So now things change."),
        ]
    )
    t = parse_transcript(make_transcript(text, "P12.txt"))
    assert {s.label: s.role for s in t.speakers} == {
        "Interviewer": "interviewer",
        "P12": "participant",
        voice: "other",
    }
    assert [s.speaker for s in t.segments].count(voice) == 2
