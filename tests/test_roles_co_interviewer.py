"""A second researcher who tells their own experience, beside a pair interviewed together: the turns look
alike, and only the interviewer speaking to both ("Thanks to you both") tells them apart. Each case is
ingested as the team's tools export it (Otter text, Zoom captions, a Word file) through the command."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app

# Dana interviews Marcus; Sam, a second researcher who worked patrol in the county, tells his own
# experience right after two of Dana's questions and asks Marcus one question of his own.
CO_INTERVIEWER = [
    ("Dana Whitfield", "Thanks for making the time today. How do crisis calls usually reach you?"),
    (
        "Marcus",
        (
            "Mostly through dispatch. They code it as a welfare check or a disturbance, and we figure out on "
            "scene whether it is a mental health call."
        ),
    ),
    ("Dana Whitfield", "And what was it like before the crisis unit opened?"),
    (
        "Sam Ortiz",
        (
            "I can speak to that a little, I worked patrol in this county for twelve years. We drove everyone to "
            "the ER ourselves and sat there half the night."
        ),
    ),
    ("Marcus", "Same for us. The unit changed everything."),
    ("Dana Whitfield", "What happens when the unit has no bed?"),
    ("Marcus", "Then it's the ER and a four hour wait, sometimes longer on a weekend night."),
    ("Sam Ortiz", "How long is the longest you've waited?"),
    ("Marcus", "Nine hours once. The nurse kept saying a doctor would be there soon."),
    ("Dana Whitfield", "Who decides where the person goes in the end?"),
    (
        "Sam Ortiz",
        "In my day it was whoever was on shift at the ER, and they mostly sent people home.",
    ),
    ("Marcus", "It's the doctor now, once they finally see them."),
    ("Dana Whitfield", "What would you change if you could?"),
    ("Marcus", "More beds at the unit, and a clinician on nights."),
    ("Dana Whitfield", "Thank you, that's everything I had."),
]


def _pair(turns):
    """The same turns as a co-responder pair's: the second voice is the clinician, and Dana thanks both."""
    out = []
    for speaker, text in turns:
        if speaker == "Sam Ortiz":
            speaker = "Priya"
        out.append((speaker, text))
    first_speaker, first_text = out[0]
    out[0] = (first_speaker, first_text.replace("Thanks for making", "Thanks to you both for making"))
    return out


# A panel-like file: each of the second voice's turns tells their own experience and asks Marcus a question.
ASKS_AS_THEY_TELL = [
    ("Dana Whitfield", "Thanks for making the time today. How does the co-responder car work?"),
    ("Marcus", "I drive, Priya rides with me, and we take any call dispatch flags as behavioral health."),
    (
        "Priya",
        (
            "And I do the assessment once the scene is safe. Most nights we link people to the clinic instead "
            "of the hospital. Do you want to tell her about the radio code?"
        ),
    ),
    ("Marcus", "Right, we have our own code now, so dispatch sends us instead of a regular unit."),
    ("Dana Whitfield", "What has been hardest about working together?"),
    ("Marcus", "Learning to wait. Cops want to resolve things fast."),
    (
        "Priya",
        "It took us a year to trust each other on scene. Remember the man with the hammer on Fifth Street?",
    ),
    ("Marcus", "Yeah, two hours, but he walked out with us and nobody got hurt."),
    ("Dana Whitfield", "Thank you, that's everything I had."),
]


def _otter(turns) -> bytes:
    blocks = [f"{speaker}  0:{i:02d}\n{text}" for i, (speaker, text) in enumerate(turns, 2)]
    return ("\n\n".join(blocks) + "\n\nTranscribed by https://otter.ai\n").encode()


def _zoom_vtt(turns) -> bytes:
    cues = [
        f"{i}\n00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{speaker}: {text}"
        for i, (speaker, text) in enumerate(turns, 1)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()


def _word(turns, path) -> None:
    import docx

    document = docx.Document()
    for speaker, text in turns:
        document.add_paragraph(f"{speaker}: {text}")
    document.save(path)


def _ingest(runner, tmp_path, name: str, turns):
    path = tmp_path / name
    if name.endswith(".docx"):
        _word(turns, path)
    else:
        path.write_bytes(_otter(turns) if name.endswith(".txt") else _zoom_vtt(turns))
    db = tmp_path / "project.db"
    result = runner.invoke(app, ["ingest", str(path), "--allow-pii", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    (outcome,) = json.loads(result.stdout)["outcomes"]
    listed = runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db)])
    (row,) = [r for r in json.loads(listed.stdout) if r["id"] == outcome["transcript"]]
    return outcome, " ".join(result.stderr.split()), row


@pytest.mark.parametrize("name", ["P61.txt", "P61.vtt", "P61.docx"])
def test_a_co_interviewer_who_tells_their_own_experience_is_said(runner, tmp_path, name):
    # Before, Sam was read as a pair's second participant without a word: counted, and his stories coded.
    outcome, stderr, row = _ingest(runner, tmp_path, name, CO_INTERVIEWER)
    roles = {s["label"]: s["role"] for s in outcome["speakers"]}
    assert roles == {"Dana Whitfield": "interviewer", "Marcus": "participant", "Sam Ortiz": "participant"}
    reason = (
        '"Sam Ortiz" tells their own experience (2 turns) and asks "Marcus" 1 question of their own, and no '
        'interviewer speaks to two people ("you both"): a second participant, or a co-interviewer who shares '
        "their own experience; taken as a participant"
    )
    assert (outcome["roles"], outcome["roles_reason"]) == ("review", reason)
    assert [w["kind"] for w in outcome["warnings"]] == ["roles_review"]
    assert f"Warning: P61: speaker roles need review: {reason}." in stderr
    assert row["roles"] == "review"


@pytest.mark.parametrize("name", ["P62.txt", "P62.vtt", "P62.docx"])
def test_a_pair_the_interviewer_thanks_both_of_stays_quiet(runner, tmp_path, name):
    outcome, stderr, row = _ingest(runner, tmp_path, name, _pair(CO_INTERVIEWER))
    roles = {s["label"]: s["role"] for s in outcome["speakers"]}
    assert roles == {"Dana Whitfield": "interviewer", "Marcus": "participant", "Priya": "participant"}
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 2)
    assert "Warning" not in stderr


# A co-responder pair: Priya adds to Marcus's answers, never straight after a question, and asks him once.
BETWEEN_ANSWERS = [
    (
        "Dana Whitfield",
        "Thanks to you both for making the time today. How do crisis calls usually reach you?",
    ),
    (
        "Marcus",
        "Mostly through dispatch. They code it as a welfare check, and we figure out the rest on scene.",
    ),
    ("Priya", "That's how it was for me too. When I started at the clinic we had no crisis code at all."),
    ("Marcus", "Yeah, the code only came in three years ago."),
    ("Dana Whitfield", "What happens when the unit has no bed?"),
    ("Marcus", "Then it's the ER and a four hour wait, sometimes longer on a weekend night."),
    ("Priya", "I remember sitting in that hallway for six hours once with a kid who was hearing voices."),
    ("Marcus", "Same. Nine hours is my record."),
    ("Dana Whitfield", "Who decides where the person goes in the end?"),
    ("Marcus", "The doctor at the ER, once they finally see them."),
    ("Priya", "Do they ever send them back out with you?"),
    ("Marcus", "Sometimes, and then we're back at square one."),
    ("Dana Whitfield", "Thank you both, that's everything I had."),
]


def test_a_pair_partner_between_the_answers_is_no_doubt_when_both_are_thanked(runner, tmp_path):
    # Before, Priya was "1 more speaker [who] answers none", and the pair's roles were for review.
    outcome, _stderr, row = _ingest(runner, tmp_path, "P63.txt", BETWEEN_ANSWERS)
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Priya"] == "participant"
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 2)
    # Without Dana's "you both" and "Thank you both", the same turns stay doubtful, as before.
    alone = [(s, t.replace("to you both ", "").replace(" both,", ",")) for s, t in BETWEEN_ANSWERS]
    outcome, _, _ = _ingest(runner, tmp_path, "P66.txt", alone)
    assert outcome["roles"] == "review"


def test_a_colleague_who_tells_as_they_ask_is_a_guess_for_review(runner, tmp_path):
    # No clear questioner: Priya asks in every turn, as a panel's co-interviewer does, but tells her own
    # experience too. Before, she was an interviewer without a word, and a pair lost a participant.
    outcome, stderr, _row = _ingest(runner, tmp_path, "P64.txt", ASKS_AS_THEY_TELL)
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Priya"] == "interviewer"
    assert outcome["roles"] == "review"
    assert outcome["roles_reason"].endswith(
        '"Priya" tells their own experience as they ask (2 turns): a co-interviewer who shares it, or a '
        "second participant asking their partner"
    )
    assert "Warning: P64: speaker roles need review" in stderr


def test_a_partner_who_tells_as_they_ask_is_a_participant_when_both_are_thanked(runner, tmp_path):
    outcome, _stderr, row = _ingest(runner, tmp_path, "P65.docx", _pair(ASKS_AS_THEY_TELL))
    assert {s["label"]: s["role"] for s in outcome["speakers"]} == {
        "Dana Whitfield": "interviewer",
        "Marcus": "participant",
        "Priya": "participant",
    }
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 2)


# Teams: two researchers, the participant's first name only. The batch is given the lead's label only.
TEAMS_TWO_INTERVIEWERS = [
    (
        "Whitfield, Dana (WEI Lab)",
        "Thanks for joining us today. How long have you been with the sheriff's office?",
    ),
    ("Marcus", "Eleven years. Patrol the whole time, nights mostly."),
    ("Ortiz, Sam (WEI Lab)", "And how many of those years with the co-responder program?"),
    ("Marcus", "Three. Since it started in the east district."),
    ("Whitfield, Dana (WEI Lab)", "How do crisis calls usually reach you?"),
    ("Marcus", "Dispatch flags them as behavioral health, and if the clinician is on we go together."),
    ("Ortiz, Sam (WEI Lab)", "What happens when she's not on?"),
    ("Marcus", "Then it's just me, and I call the mobile team and wait."),
    ("Whitfield, Dana (WEI Lab)", "What would you change about the program?"),
    ("Marcus", "More clinicians. Nights especially."),
    ("Whitfield, Dana (WEI Lab)", "Thank you, that's everything we had."),
]


def _teams_vtt(turns) -> bytes:
    cues = [
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n<v {speaker}>{text}</v>"
        for i, (speaker, text) in enumerate(turns, 1)
    ]
    return ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()


def test_a_colleague_who_only_asks_beside_the_given_interviewer_is_said(runner, tmp_path):
    # Before, "Ortiz, Sam (WEI Lab)" was a participant, roles given, without a word: two participants, and
    # his questions coded as an officer's words.
    path = tmp_path / "P67.vtt"
    path.write_bytes(_teams_vtt(TEAMS_TWO_INTERVIEWERS))
    db = tmp_path / "project.db"
    args = ["ingest", str(path), "--allow-pii", "--format", "json", "--db", str(db)]
    result = runner.invoke(app, [*args, "--interviewer-labels", '"Whitfield, Dana (WEI Lab)"'])
    assert result.exit_code == 0, result.stderr
    (outcome,) = json.loads(result.stdout)["outcomes"]
    assert [s["role"] for s in outcome["speakers"]] == ["interviewer", "participant", "participant"]
    reason = (
        '"Ortiz, Sam (WEI Lab)" is not in --interviewer-labels but asks as an interviewer does (asks in 2 of 2 '
        'turns, answered by "Marcus"; answers none): a second interviewer whose label was not given, or a '
        "participant who asks; taken as a participant"
    )
    assert (outcome["roles"], outcome["roles_reason"]) == ("review", reason)
    assert "Warning: P67: speaker roles need review: " + reason in " ".join(result.stderr.split())
    # Given both labels, as a study's list of its interviewers, nothing is in doubt.
    both = '"Whitfield, Dana (WEI Lab)","Ortiz, Sam (WEI Lab)"'
    result = runner.invoke(app, [*args[:-1], str(tmp_path / "other.db"), "--interviewer-labels", both])
    (outcome,) = json.loads(result.stdout)["outcomes"]
    assert (outcome["roles"], outcome["warnings"]) == ("given", [])


def test_a_question_about_the_participants_agency_speaks_to_no_pair(runner, tmp_path):
    # "Do you all..." and "everyone on your shift" ask about one officer's agency: no "you both".
    turns = list(CO_INTERVIEWER)
    turns[0] = (
        "Dana Whitfield",
        "Thanks for making the time today. Do you all get crisis calls through dispatch?",
    )
    turns[5] = ("Dana Whitfield", "Does everyone on your shift know what to do when the unit has no bed?")
    outcome, _, _ = _ingest(runner, tmp_path, "P68.txt", turns)
    assert outcome["roles"] == "review"
    assert outcome["roles_reason"].startswith('"Sam Ortiz" tells their own experience (2 turns)')


def test_a_co_interviewer_heard_once_is_said_to_ask_not_to_answer_nothing():
    # Otter names the co-interviewer "Speaker 3"; her one follow-up was described as "answering no question".
    from wei_qual.ingest.roles import infer_roles

    class Turn:
        def __init__(self, speaker, text):
            self.speaker, self.text = speaker, text

    turns = [
        Turn("Interviewer", "Thanks for meeting with us. Can you tell me about your role with the program?"),
        Turn("P22", "I'm a patrol officer, nine years now, paired with a clinician on day shift."),
        Turn("Interviewer", "What happens when the crisis unit is full?"),
        Turn("P22", "We end up at the ER. That can be four or five hours in the hallway."),
        Turn(
            "Speaker 3", "Sorry, just to follow up, who decides whether you stay with the person at the ER?"
        ),
        Turn("P22", "Usually my sergeant. If it's busy, we hand off to hospital security and clear."),
        Turn("Interviewer", "Anything else you'd want us to know?"),
        Turn("P22", "Just that the program works when it's staffed."),
    ]
    result = infer_roles(turns, "P22")
    reason = {s.label: (s.role, s.reason) for s in result.speakers}["Speaker 3"]
    assert reason == (
        "review",
        (
            'heard once: asks 1 question, answered by "P22"; answers none of the interviewers\' questions: no '
            "participant until a person sets the role"
        ),
    )
    assert result.reason.endswith('"Speaker 3" (1 turn, 16 words; asks 1 question, answered by "P22")')


def test_who_answers_a_voice_heard_once_is_named():
    # The officer of a co-responder pair puts his head in once, and the interviewer answers him: before, his
    # question was said to be "not answered by" the clinician, as if it were left hanging.
    from wei_qual.ingest.roles import infer_roles

    class Turn:
        def __init__(self, speaker, text):
            self.speaker, self.text = speaker, text

    turns = [
        Turn("Interviewer 1", "Thanks for meeting with us. Can you describe your role on the team?"),
        Turn("P12", "I'm the licensed clinician. I ride with Officer Grant four days a week."),
        Turn("Interviewer 2", "And how did the team get started in your county?"),
        Turn("P12", "The sheriff applied for a grant after a bad call in 2019. I was the first hire."),
        Turn("Officer Grant", "Sorry to jump in, I'm just back from the car. Anything you need from me?"),
        Turn("Interviewer 1", "No, we're fine, thank you."),
        Turn("Interviewer 2", "What happens when they don't have a bed?"),
        Turn("P12", "Then we sit in the ER, or we make a safety plan and leave them home with family."),
    ]
    result = infer_roles(turns, "P12")
    assert {s.label: s.role for s in result.speakers}["Officer Grant"] == "review"
    assert result.reason.endswith(
        '"Officer Grant" (1 turn, 15 words; asks 1 question, answered by "Interviewer 1")'
    )


# TranscribeMe's numbered speakers (`S1: 00:00 text`), a note-taking co-interviewer S3 with two follow-ups.
# The lead opens "Okay, so we're recording.": first person, but the interview's framing, no experience of
# her own. Before, it was, and the roles were left to review as "S1 tells their own experience as they ask".
TRANSCRIBEME = """\
S1: 00:00 Okay, so we're recording. Thanks for meeting with both of us. Jordan's going to be taking notes. Can you tell us what your role is?

S2: 00:08 Yeah. I'm the charge nurse on nights at the crisis stabilization unit. I've been there since it opened.

S1: 00:17 How do police drop-offs work at night?

S2: 00:20 They call ahead, in theory. In practice maybe half of them do. We get a quick story and the officer leaves.

S3: 00:31 Sorry, when you say half, is that from a log or just your sense of it?

S2: 00:35 Just my sense. We don't log it. [inaudible 00:00:38] probably should.

S1: 00:41 What happens when the unit is full?

S2: 00:44 We go on divert and they go to the ER. That happens a lot on weekends. [crosstalk]

S3: 00:50 [crosstalk] How often, roughly?

S2: 00:52 Most Fridays and Saturdays.

S1: 00:55 Thank you. That's really helpful.
"""


@pytest.mark.parametrize("opening", ["Okay, so we're recording.", "I've started the recording."])
def test_saying_the_recording_runs_is_no_experience_of_ones_own(make_transcript, opening):
    from wei_qual.ingest import parse_transcript

    text = TRANSCRIBEME.replace("Okay, so we're recording.", opening)
    t = parse_transcript(make_transcript(text, "CSU04.txt"))
    assert {s.speaker: s.role for s in t.segments} == {
        "S1": "interviewer",
        "S2": "participant",
        "S3": "interviewer",
    }
    assert (t.roles, t.warnings) == ("inferred", ())
    # A co-interviewer's experience of their own still raises the doubt.
    told = text.replace(
        "[crosstalk] How often", "[crosstalk] When I worked there we were full every weekend. How often"
    )
    assert parse_transcript(make_transcript(told, "CSU05.txt")).roles == "review"
