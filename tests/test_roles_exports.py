"""Speaker roles of real export shapes, ingested end to end: who is a participant (what every count
downstream inherits), and the `roles_review` warning, on stderr and in the JSON, where the evidence is weak.

The fixtures are fictional, written as the services write them: Otter's `Name  0:03` lines and footer,
Teams' `<v Last, First (Org)>` cues with their cue ids, AssemblyAI's `A:`/`B:`, a transcriber's typed
text. They follow the shapes an independent test of ingest found read wrong.
"""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app
from wei_qual.errors import TranscriptError
from wei_qual.ingest.roles import asks_question, given_roles, infer_roles
from wei_qual.ingest.turns import Turn

TEAMS_VTT = """\
WEBVTT

4f9d2c1a-7b3e-4e21-9a6f-2d8c1b0e5f77/13-0
00:00:03.512 --> 00:00:07.204
<v Whitfield, Dana (WEI Lab)>Thanks for joining me today. Can you
tell me about your role?</v>

4f9d2c1a-7b3e-4e21-9a6f-2d8c1b0e5f77/18-0
00:00:08.001 --> 00:00:14.330
<v Bell, Marcus>Sure. I'm a sergeant with the
county, twelve years.</v>

4f9d2c1a-7b3e-4e21-9a6f-2d8c1b0e5f77/18-1
00:00:14.330 --> 00:00:19.000
<v Bell, Marcus>Mostly patrol, then CIT.</v>

4f9d2c1a-7b3e-4e21-9a6f-2d8c1b0e5f77/25-0
00:00:19.500 --> 00:00:22.700
<v Whitfield, Dana (WEI Lab)>What does a typical crisis call look like?</v>

4f9d2c1a-7b3e-4e21-9a6f-2d8c1b0e5f77/31-0
00:00:23.100 --> 00:00:30.950
<v Bell, Marcus>Honestly? It's a lot of waiting.
We get there, we assess, we call the mobile team.</v>
"""

OTTER_FOOTER = "\n\n\n\nTranscribed by https://otter.ai\n"

CO_INTERVIEWER = (
    """\
Dana Whitfield  0:03
Thanks for joining us. Can you tell us about your role?

Marcus Bell  0:11
I'm a patrol sergeant, fourteen years. Nights mostly. I supervise six deputies and I still take a lot of the crisis calls myself because the younger guys don't have the training yet.

Priya Raman  0:30
That's really helpful, thank you.

Dana Whitfield  0:35
How do crisis calls usually reach you?

Marcus Bell  0:41
Through dispatch. They code it as a welfare check or a 10-96, and we roll two cars. If the mobile team is available we call them, but they're usually out on something else, so we wait or we handle it.

Priya Raman  1:04
Just to follow up, how long do you usually wait for them?

Marcus Bell  1:13
Forty minutes, an hour. Sometimes they never come and we transport to the ER ourselves.

Dana Whitfield  1:23
What happens at the ER?

Marcus Bell  1:28
We sit. The deputy has to stay with the person until they're medically cleared, which can be six hours. That's a car off the street the whole night.

Priya Raman  1:45
Right. I've heard that from a few other sites too.

Dana Whitfield  1:53
What would you change if you could?

Marcus Bell  1:59
A clinician in dispatch. And a place to take people that isn't the ER or jail."""
    + OTTER_FOOTER
)

UNKNOWN_SPEAKER = (
    """\
Dana Whitfield  0:03
Thanks for joining. What's your role?

Marcus Bell  0:09
I'm a deputy, eleven years on patrol, mostly nights.

Unknown Speaker  0:16
Yeah.

Marcus Bell  0:19
And I did the CIT course two years ago.

Dana Whitfield  0:26
How do crisis calls come in?

Marcus Bell  0:32
Dispatch mostly. Sometimes a family member flags us down.

Unknown Speaker  0:39
Mm hmm.

Marcus Bell  0:43
Then we call the mobile team and wait.

Dana Whitfield  0:50
How long do you wait?

Marcus Bell  0:55
An hour, sometimes more."""
    + OTTER_FOOTER
)

TRANSCRIBER_NOTES = """\
Interviewer: Thanks for joining. What's your role?
P65: I'm a deputy, eleven years on patrol.
Note: participant's phone rang; recording paused.
Interviewer: Okay, we're back. How do crisis calls come in?
P65: Dispatch mostly. Sometimes a family member flags us down.
Note: audio dropped for about ten seconds.
P65: So anyway, we wait for the mobile team.
Interviewer: How long?
P65: An hour, sometimes.
"""

QUOTED_DIALOGUE = """\
Interviewer: Can you describe a call that stuck with you?
P67: There was a teenager, maybe sixteen. The mom met us at the door. It went like:
Mom: He's in his room, he won't come out.
Me: Has he hurt himself?
Mom: I don't know, he has a belt.
P67: So we went straight up. We got the door open. He was okay, thank God.
Interviewer: What happened after that?
P67: We called the mobile team and they came in forty minutes.
"""

HARD_WRAPPED = """\
Interviewer: Who was on scene?

P81: Me and my partner. The report lists us as
Officer 1: me, and
Officer 2: my partner. He's newer.

Interviewer: And the clinician?

P81: She came later.
"""

# Typed with a line break every ~70 characters and saved on Windows: a wrapped line happens to start with
# words and a colon.
HARD_WRAPPED_CRLF = """\
Interviewer: Who was on scene when you got there, and who called it in?

P81: Me and my partner. We were the first car there, and the report lists
us by unit number, so on paper the call came from
Officer 1: me, and
Officer 2: my partner. He's newer, about a year on nights, and he hadn't
done the CIT course yet.

Interviewer: And the clinician?

P81: She came later, maybe forty minutes after we called the mobile team.
By then he had calmed down and we were just sitting with him on the
porch.
""".replace("\n", "\r\n")

# Dialogue a participant quotes after "It went like this:", the interviewer's next turn after it.
QUOTED_THEN_INTERVIEWER = """\
Interviewer: Can you tell me about a call that involved your own family?

P12: My mom called me at work. It went like this:
Mom: He's in his room and won't come out.
Me: Has he hurt himself?
Mom: No, but he has a knife.

Interviewer: What did you do then?

P12: I called dispatch and asked for the mobile team, and I drove over.
"""

ASSEMBLY_AB = """\
A: Thanks for joining. What's your role?

B: I'm a deputy with the county, eleven years on patrol.

A: How do crisis calls come in?

B: Dispatch mostly. Sometimes a family member flags us down on the street.

A: What happens at the ER?

B: We sit there for hours until the person is cleared.

A: What would you change?

B: A clinician in dispatch.
"""

OTTER_SMALL_TALK = (
    """\
Speaker 2  0:03
Hey, can you hear me okay? Is the recording on?

Dana Whitfield  0:11
Yes, I can hear you. It's recording. Thanks for doing this.

Speaker 2  0:19
Sure, no problem. Where do you want to start?

Dana Whitfield  0:26
Let's start with your role. Walk me through what you do.

Speaker 2  0:34
I'm a deputy with the county, about eleven years. Mostly patrol. I did the forty-hour CIT course two years ago. Since then I get sent on most of the mental health calls in my district.

Dana Whitfield  0:54
How has that changed your work?

Speaker 2  1:00
A lot. I slow down now. I don't rush in. You give people time and most of the time they come with you.

Dana Whitfield  1:14
Can you give me an example?

Speaker 2  1:20
Last month, a guy on a bridge. We talked for an hour. He came down. Would that have happened before CIT? I doubt it. Do you know what I mean?

Dana Whitfield  1:38
Yeah, I do."""
    + OTTER_FOOTER
)

# Zoom's cloud recording captions: a participant who answers in a few words, an interviewer who sets up
# each question at length and speaks second.
TERSE_VTT = """\
WEBVTT

1
00:00:00.510 --> 00:00:02.240
Marcus Bell: Yeah, I'm ready.

2
00:00:02.500 --> 00:00:20.920
Dana Whitfield: Great. So as I mentioned in the email, we're talking with officers and clinicians across six counties about how crisis calls get handled, and there are no right or wrong answers here. To start, how long have you been with the department?

3
00:00:21.410 --> 00:00:23.990
Marcus Bell: Eleven years.

4
00:00:24.500 --> 00:00:41.120
Dana Whitfield: Okay. And some of the people we've talked to describe the mobile crisis team as a real partner, while others say it slows them down or isn't available at night. How would you describe your experience with them?

5
00:00:41.500 --> 00:00:44.000
Marcus Bell: Mostly good. Nights are hard.

6
00:00:44.500 --> 00:01:02.000
Dana Whitfield: That makes sense. We've heard a lot about nights. When the team isn't available and you have someone who clearly needs care but hasn't committed a crime, what are your options at that point?

7
00:01:02.500 --> 00:01:06.000
Marcus Bell: ER or nothing. Sometimes jail.
"""


# A co-responder pair interviewed together, typed by a transcriber: the clinician adds to the officer's
# answers and asks him twice, never speaking straight after the interviewer.
DYAD = """\
Interviewer: Thanks to you both for doing this together. Can you tell me how the co-responder car works?

Sgt Bell: Sure. I drive, Priya rides with me, and we take any call dispatch flags as behavioral health from noon to ten. I handle scene safety and she does the assessment.

Raman: Mostly, yes. Do you want to tell her about the radio codes?

Sgt Bell: Right, we have our own code now, a 10-96 with a C, so dispatch knows to send us instead of a regular patrol unit.

Raman: That part took a year.

Interviewer: What does a typical call look like from start to finish?

Sgt Bell: Usually a family member calls. We get there, I check the scene, then Priya takes over. Most of the time nobody goes to the hospital, we link them to the clinic the next morning instead.

Raman: And I follow up by phone the next day.

Interviewer: What has been hardest about working together?

Sgt Bell: Honestly, learning to wait. Cops want to resolve things fast, and she taught me that slowing down is usually safer for everybody in the room.

Raman: Remember the man on Fifth Street with the hammer?

Sgt Bell: Yeah, that one took two hours, but he walked out with us and nobody got hurt.

Raman: That was a good night.

Interviewer: Thank you both, that's everything I had.
"""

# A focus group where one sergeant answers most and the others ask him about his county.
FOCUS_GROUP_PEER_ASKS = """\
Moderator: Welcome, everyone. Let's start with how crisis calls reach you. Sergeant Diaz, do you want to start?

Diaz: Sure. Most of ours come through 911, and dispatch codes them as a welfare check or a disturbance. Then we figure out on scene whether it is really a mental health call, which is most of the time honestly.

Okafor: Can I ask, Sergeant, do you get the CSU flag on the CAD screen?

Diaz: We do now, since last spring. It shows up in yellow if the address has had a crisis contact in the last year.

Brennan: We don't have that. Who set it up for you?

Diaz: The county IT people, with the crisis line. It took them about six months and a lot of meetings.

Okafor: That would help us a lot.

Moderator: What happens once you are on scene and you decide it is a crisis?

Diaz: We call the mobile team. If they're out, we're sitting there, sometimes an hour, sometimes longer, and the person is getting more agitated the whole time.

Brennan: Same for us, every single night.

Moderator: Thank you all, that's the end of our questions.
"""

# The same group where every turn of the others is a question to the sergeant.
FOCUS_GROUP_PEERS_ASK = """\
Moderator: Welcome, everyone. Let's start with how crisis calls reach you. Sergeant Diaz, do you want to start?

Diaz: Sure. Most of ours come through 911, and dispatch codes them as a welfare check or a disturbance. Then we figure out on scene whether it is really a mental health call, which is most of the time honestly.

Okafor: Can I ask, Sergeant, do you get the CSU flag on the CAD screen?

Diaz: We do now, since last spring. It shows up in yellow if the address has had a crisis contact in the last year.

Brennan: We don't have that. Who set it up for you?

Diaz: The county IT people, with the crisis line. It took them about six months and a lot of meetings.

Moderator: What happens once you are on scene and you decide it is a crisis?

Diaz: We call the mobile team. If they're out, we're sitting there, sometimes an hour, sometimes longer, and the person is getting more agitated the whole time.

Okafor: Same here. Do you ever just transport them yourselves?

Diaz: Plenty of times. If the CSU has a bed we drive them over ourselves, otherwise it's the ER and we wait there instead.

Brennan: Honestly, it's the same for us. Is the ER wait as bad for you?

Diaz: Worse, probably. Four hours is normal on a weekend night, and nobody takes the handoff until a doctor sees them.

Moderator: Thank you all, that's the end of our questions.
"""

# A terse officer asks about consent before the interview and the interviewer explains at length: his
# questions draw the long answers, and he speaks first and shorter.
TERSE_ASKS_BACK = """\
Marcus Bell: Is this thing recording?

Dana Whitfield: It is, yes. Thanks for making time today. How long have you been on patrol?

Marcus Bell: Nine years. Who sees this, by the way?

Dana Whitfield: Only the research team. Your name comes off the transcript, and anything you say that could identify you or the people you dealt with is taken out before anyone outside the four of us reads it.

Marcus Bell: And the sheriff?

Dana Whitfield: No, the sheriff's office never sees the transcripts. They only get the final report, which is about patterns across all the counties, with no quotes that could be traced back to one deputy.

Marcus Bell: Okay. Can I skip questions?

Dana Whitfield: Of course, any question at all, and you can stop the whole interview whenever you like without giving a reason, and nothing happens to you or your department.

Marcus Bell: Fine. Go ahead.

Dana Whitfield: What happens when the mobile team is busy?

Marcus Bell: We wait. Or the ER.

Dana Whitfield: How long is the wait at the ER?

Marcus Bell: Hours. Sometimes four.

Dana Whitfield: What would you change?

Marcus Bell: More clinicians.
"""

# An interviewer whose questions end in "do you know?", and a participant's rhetorical questions.
DO_YOU_KNOW = """\
Dana Whitfield: Thanks for joining. When did the county start the co-responder program, do you know?

Marcus Bell: I think 2021. Before that, what did we have? Nothing. We had the crisis line and the ER, and that was it.

Dana Whitfield: And who decided where the cars would go, do you know?

Marcus Bell: The captain and someone from behavioral health. Why they picked the east side, I have no idea, because the calls are all downtown.

Dana Whitfield: Right. And how the clinicians are paid, do you know?

Marcus Bell: Grant money. What happens when the grant runs out? That's what everyone asks.

Dana Whitfield: Okay. And the CSU hours, do you know them?

Marcus Bell: Eight to eight.
"""


# Otter, a co-responder pair: the clinician only agrees, twice, in the middle of the officer's answers.
DYAD_AGREES = (
    """\
Dana Whitfield  0:02
Thanks to you both for doing this together. How does the co-responder car work?

Marcus Bell  0:09
I drive, Priya rides with me, and we take any call dispatch flags as behavioral health from noon to ten.

Priya Raman  0:18
Right.

Marcus Bell  0:19
I handle scene safety and she does the assessment, and most of the time nobody goes to the hospital.

Dana Whitfield  0:31
What has been hardest about working together?

Marcus Bell  0:35
Honestly, learning to wait. Cops want to resolve things fast, and slowing down is usually safer.

Priya Raman  0:44
Exactly.

Marcus Bell  0:45
That took me a couple of years to learn.

Dana Whitfield  0:52
Thank you both, that's everything I had."""
    + OTTER_FOOTER
)

# A focus group where the moderator asks Sergeant Diaz each time and the others agree as he speaks.
FOCUS_GROUP_AGREES = """\
Moderator: Welcome, everyone. Sergeant Diaz, can you start us off: how do crisis calls reach your unit?

Diaz: Most of ours come through 911, and dispatch codes them as a welfare check or a disturbance.

Okafor: Yeah.

Diaz: Then we figure out on scene whether it is really a mental health call, which is most of the time honestly.

Brennan: Exactly.

Diaz: And if the mobile team is out we sit there with the person for an hour or more.

Moderator: Sergeant Diaz, what happens once you decide it is a crisis?

Diaz: We call the mobile team and wait. Sometimes we transport ourselves if the CSU has a bed.

Okafor: Right, right.

Diaz: But most nights it is the ER and a four hour wait.

Brennan: True.

Diaz: Nobody takes the handoff until a doctor sees them.

Moderator: Thank you all, that's the end of our questions.
"""

# A panel: the lead interviewer's questions and two colleagues' follow-ups, all answered by P07.
PANEL = """\
Interviewer: Thanks for joining us. Can you tell me what your unit does?

P07: We are the night shift co-responder unit for the east district, two deputies and one clinician.

Priya Raman: How many nights a week is that?

P07: Five nights, six at night until two in the morning.

Interviewer: How do calls reach you?

P07: Dispatch flags them. If the caller mentions suicide or meds, the call taker puts a BH code on it.

Sam Ortiz: Who trained the call takers on that code?

P07: The crisis line staff did, over two afternoons last spring.

Interviewer: What happens when you get there?

P07: I check the scene, then the clinician takes over. Most of the time nobody goes to the hospital.

Interviewer: What happens when the crisis unit is full?

P07: Then it's the ER, and we sit there. Three, four hours is normal on a weekend.

Priya Raman: Is that wait logged anywhere?

P07: Not officially. We keep our own spreadsheet in the patrol room.

Interviewer: How do the families react?

P07: Mostly relieved that it is not a regular patrol car showing up at the door.

Sam Ortiz: Could we see that spreadsheet at some point?

P07: I'd have to ask the lieutenant, but probably.

Interviewer: What has been hardest about the program?

P07: Honestly, learning to wait. Cops want to resolve things fast, and slowing down is usually safer.

Interviewer: What would you change?

P07: More clinicians on nights, and a place to take people that isn't the ER.

Interviewer: Is there anything else we should know?

P07: Just that the clinicians are great, and we need more of them.

Interviewer: Thank you, that's everything we had.
"""

# Otter: a co-interviewer twice adds to the lead's question before the officer answers it.
CLARIFIES_QUESTION = (
    """\
Dana Whitfield  0:02
Thanks for joining. Can you tell me what your unit does?

Marcus Bell  0:09
We are the night shift co-responder unit for the east district, two deputies and one clinician, five nights a week.

Dana Whitfield  0:21
How do calls reach you?

Priya Raman  0:24
Just to add, for the recording, we mean both 911 and the county crisis line.

Marcus Bell  0:29
Both, yes. Dispatch flags them, and if the caller mentions suicide or meds the call taker puts a BH code on it.

Dana Whitfield  0:45
What happens when the crisis unit is full?

Priya Raman  0:48
And by full we mean no beds at the stabilization unit on Fifth Street.

Marcus Bell  0:53
Then it's the ER, and we sit there. Three, four hours is normal on a weekend.

Dana Whitfield  1:04
What would you change?

Marcus Bell  1:07
More clinicians on nights, and a place to take people that isn't the ER.

Dana Whitfield  1:15
Thank you, that's everything we had."""
    + OTTER_FOOTER
)


def _ingest(runner, tmp_path, name: str, text: str, *options: str):
    """Ingest one file for real; its JSON outcome, the stderr, and `transcripts list`'s row for it."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))  # as written: CRLF stays CRLF
    db = tmp_path / "project.db"
    result = runner.invoke(
        app, ["ingest", str(path), *options, "--allow-pii", "--format", "json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.stderr
    (outcome,) = json.loads(result.stdout)["outcomes"]
    listed = runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db)])
    (row,) = json.loads(listed.stdout)
    return outcome, result.stderr, row


def _roles(outcome) -> list[tuple[str, str]]:
    return [(s["label"], s["role"]) for s in outcome["speakers"]]


def _segments(runner, tmp_path, tid: str) -> list[tuple[str, str, str]]:
    """(speaker, role, text) of each stored segment, as `transcripts show` gives them."""
    shown = runner.invoke(
        app, ["transcripts", "show", tid, "-f", "json", "--db", str(tmp_path / "project.db")]
    )
    return [(s["speaker"], s["role"], s["text"]) for s in json.loads(shown.stdout)["segments"]]


def _warned(outcome, stderr: str, db, path, kind: str, message: str) -> None:
    """`message` is the transcript's only warning, of `kind`, in the JSON and once on stderr, whose command
    names the project (`{dry}`: the dry-run command for `path`)."""
    dry = f'"wei-qual ingest --dry-run {path}"'
    assert outcome["warnings"] == [{"kind": kind, "message": message.format(dry=dry)}]
    on_stderr = message.format(dry=f'"wei-qual ingest --dry-run {path} --db {db}"')
    assert " ".join(stderr.split()).count("Warning: " + on_stderr) == 1


def _review(outcome, stderr: str, db, reason: str) -> None:
    """The roles are `review` for `reason`, said once on stderr and in the JSON, with the command to settle it."""
    tid = outcome["transcript"]
    # A third speaker may be neither: the roles command offers --other too.
    options = (
        "--interviewer NAME, --participant NAME or --other NAME (neither, such as a voice on the radio)"
        if len(outcome["speakers"]) >= 3
        else "--interviewer NAME or --participant NAME"
    )
    message = f"{tid}: speaker roles need review: {reason}. Check them with {{command}} and correct them with {options}."
    assert (outcome["roles"], outcome["roles_reason"]) == ("review", reason)
    assert [w for w in outcome["warnings"] if w["kind"] == "roles_review"] == [
        {"kind": "roles_review", "message": message.format(command=f'"wei-qual transcripts roles {tid}"')}
    ]
    # On stderr the command names the project it was run on (and a long line wraps).
    command = f'"wei-qual transcripts roles {tid} --db {db}"'
    assert " ".join(stderr.split()).count("Warning: " + message.format(command=command)) == 1


# ------------------------------------------------------------------------------ --interviewer-labels


def test_a_teams_name_with_a_comma_is_given_in_double_quotes(runner, tmp_path):
    outcome, stderr, row = _ingest(
        runner,
        tmp_path,
        "P30.vtt",
        TEAMS_VTT,
        "--interviewer-labels",
        '"Whitfield, Dana (WEI Lab)",Interviewer',
    )
    assert _roles(outcome) == [("Whitfield, Dana (WEI Lab)", "interviewer"), ("Bell, Marcus", "participant")]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("given", [], 1)
    assert "Warning" not in stderr


def test_interviewer_labels_is_repeatable(runner, tmp_path):
    outcome, _, row = _ingest(
        runner,
        tmp_path,
        "P30.vtt",
        TEAMS_VTT,
        "--interviewer-labels",
        "Interviewer,Int",
        "--interviewer-labels",
        '"Whitfield, Dana (WEI Lab)"',
    )
    assert _roles(outcome)[0] == ("Whitfield, Dana (WEI Lab)", "interviewer")
    # "Interviewer" and "Int" are absent here, and that is no doubt: the one interviewer speaks to one participant.
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("given", [], 1)


NOTE_TAKER = """\
Dana Whitfield: Thanks for joining. What's your role?

Marcus Bell: I'm a deputy, eleven years on patrol, mostly nights.

Note-taker: Sorry, was that eleven or seven years?

Marcus Bell: Eleven.

Dana Whitfield: How do crisis calls reach you?

Marcus Bell: Dispatch mostly. Sometimes a family member flags us down on the street.

Dana Whitfield: What would you change?

Marcus Bell: More clinicians on nights.
"""


def test_the_research_teams_labels_stay_interviewers_beside_the_labels_given(runner, tmp_path):
    # A study-wide list of names: the note-taker is still the research team's, not a participant.
    outcome, stderr, row = _ingest(
        runner, tmp_path, "P31.txt", NOTE_TAKER, "--interviewer-labels", "Dana Whitfield,Sam Ortiz"
    )
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", "in --interviewer-labels"),
        ("Marcus Bell", "participant", "not in --interviewer-labels"),
        ("Note-taker", "interviewer", "a known interviewer label (added to --interviewer-labels)"),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("given", [], 1)
    assert row["participant_segments"] == 4
    assert "Warning" not in stderr
    # Where such a label is a participant's, a person sets it after ingest.
    db = str(tmp_path / "project.db")
    set_ = runner.invoke(app, ["transcripts", "roles", "P31", "--participant", "Note-taker", "--db", db])
    assert set_.exit_code == 0, set_.stderr
    assert [r for _, r, _ in _segments(runner, tmp_path, "P31")][2] == "participant"


def test_a_name_split_at_its_comma_matches_no_speaker_and_says_so(runner, tmp_path):
    outcome, stderr, row = _ingest(
        runner,
        tmp_path,
        "P30.vtt",
        TEAMS_VTT,
        "--interviewer-labels",
        "Interviewer,Whitfield, Dana (WEI Lab)",
    )
    assert _roles(outcome) == [("Whitfield, Dana (WEI Lab)", "participant"), ("Bell, Marcus", "participant")]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '--interviewer-labels "Interviewer", "Whitfield" and "Dana (WEI Lab)" match no speaker here (speakers: '
        '"Whitfield, Dana (WEI Lab)", "Bell, Marcus"); "Whitfield, Dana (WEI Lab)" is one label: put a label '
        "that holds a comma in double quotes",
    )
    assert row["roles"] == "review"


def test_a_near_miss_label_leaves_the_roles_for_review(runner, tmp_path):
    outcome, stderr, row = _ingest(
        runner, tmp_path, "P30.vtt", TEAMS_VTT, "--interviewer-labels", "Dana Whitfield"
    )
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '--interviewer-labels "Dana Whitfield" matches no speaker here (speakers: "Whitfield, Dana (WEI Lab)", '
        '"Bell, Marcus")',
    )
    assert row["participants"] == 2  # until a person says who the interviewer is


def test_an_absent_label_beside_a_second_participant_is_doubtful():
    # "Priya Raman" might be the co-interviewer a misspelt label missed: a person looks.
    turns = [Turn("Dana", ["How long?"]), Turn("Marcus", ["An hour."]), Turn("Priya", ["Right."])]
    result = given_roles(turns, ["Dana", "Pryia Raman"])
    assert result.status == "review"
    assert result.reason == (
        '--interviewer-labels "Pryia Raman" matches no speaker here (speakers: "Dana", "Marcus", "Priya")'
    )


STUDY = "Moderator,Dana Whitfield,Sam Ortiz"  # every interviewer of the study, given to each batch


@pytest.mark.parametrize(
    "name, text, speakers",
    [
        (
            "fg_P41.txt",
            FOCUS_GROUP_PEER_ASKS,
            [
                ("Moderator", "interviewer"),
                ("Diaz", "participant"),
                ("Okafor", "participant"),
                ("Brennan", "participant"),
            ],
        ),
        (
            "dyad_P40.txt",
            DYAD.replace("Interviewer:", "Dana Whitfield:"),
            [("Dana Whitfield", "interviewer"), ("Sgt Bell", "participant"), ("Raman", "participant")],
        ),
    ],
)
def test_a_studys_other_interviewers_are_no_doubt_in_a_group_or_pair(runner, tmp_path, name, text, speakers):
    outcome, stderr, row = _ingest(runner, tmp_path, name, text, "--interviewer-labels", STUDY)
    assert _roles(outcome) == speakers
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("given", [], len(speakers) - 1)
    assert "Warning" not in stderr


@pytest.mark.parametrize(
    "label, speaker",
    [
        ("Dana Whitfield", "Whitfield, Dana (WEI Lab)"),  # another order, a note
        ("dana whitfield", "Dana  Whitfield"),  # case and spacing
        ("Dana Whitfield", "Dana"),  # a first name alone (Otter)
        ("Dana Whitfield", "D. Whitfield"),  # the same surname
        ("DW", "Dana Whitfield"),  # initials
        ("Dana Whitfeld", "Dana Whitfield"),  # one typo
    ],
)
def test_an_absent_label_that_looks_like_a_participant_is_doubtful_beside_a_matched_one(label, speaker):
    turns = [
        Turn("Moderator", ["How long?"]),
        Turn(speaker, ["And at night?"]),
        Turn("Ana Ruiz", ["An hour."]),
    ]
    result = given_roles(turns, ["Moderator", label, "Sam Ortiz"])
    assert (result.status, [s.role for s in result.speakers]) == (
        "review",
        ["interviewer", "participant", "participant"],
    )
    assert result.reason == (
        f'--interviewer-labels "{label}" matches no speaker here (speakers: "Moderator", "{speaker}", "Ana Ruiz")'
    )


def test_an_absent_label_like_no_speaker_is_no_doubt_beside_a_matched_one():
    turns = [Turn("Moderator", ["How long?"]), Turn("Diaz", ["An hour."]), Turn("Interviewee", ["Two."])]
    # "Dana" is not "Diaz", nor "Interviewer" an "Interviewee" (a participant label).
    result = given_roles(turns, ["Moderator", "Dana Whitfield", "Interviewer", "Sam Ortiz"])
    assert (result.status, result.reason) == ("given", "")


def test_split_labels():
    from wei_qual.ingest.roles import split_labels

    assert split_labels(["Interviewer,Int", ' "Whitfield, Dana (WEI Lab)" , Moderator ']) == [
        "Interviewer",
        "Int",
        "Whitfield, Dana (WEI Lab)",
        "Moderator",
    ]
    with pytest.raises(TranscriptError, match="a double quote is never closed"):
        split_labels(['"Whitfield, Dana'])
    with pytest.raises(TranscriptError, match="names no label"):
        split_labels([" , "])


def test_a_quote_never_closed_is_a_one_line_error(runner, tmp_path):
    path = tmp_path / "P30.vtt"
    path.write_text(TEAMS_VTT, encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(path), "--interviewer-labels", '"Whitfield, Dana', "--db", str(tmp_path / "p.db")]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --interviewer-labels '\"Whitfield, Dana': a double quote is never closed. Put a label that "
        "holds a comma in double quotes: --interviewer-labels '\"Whitfield, Dana (WEI Lab)\",Interviewer'.\n"
    )
    assert not (tmp_path / "p.db").exists()


# ------------------------------------------------------------------------------ a third speaker


def test_a_co_interviewer_who_asks_like_an_interviewer_is_one(runner, tmp_path):
    # Two follow-ups the participant answers, in two of three turns, and nothing of her own to add.
    text = CO_INTERVIEWER.replace(
        "Priya Raman  1:45\nRight. I've heard that from a few other sites too.",
        "Priya Raman  1:45\nAnd how long do they make you stay?\n\n"
        "Marcus Bell  1:49\nUntil a doctor signs off, sometimes all night.",
    )
    outcome, _, row = _ingest(runner, tmp_path, "otter_P31.txt", text)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", "asks 4/6 questions; speaks first"),
        ("Marcus Bell", "participant", "answers: asks 0/6 questions"),
        ("Priya Raman", "interviewer", 'asks 2/6 questions, answered by "Marcus Bell"; answers none'),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)
    assert row["participant_segments"] == 6


def test_a_co_interviewer_who_asks_once_is_left_for_review(runner, tmp_path):
    # One follow-up is as much as a colleague interviewed beside the participant may ask: a person says.
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P31.txt", CO_INTERVIEWER)
    assert _roles(outcome) == [
        ("Dana Whitfield", "interviewer"),
        ("Marcus Bell", "participant"),
        ("Priya Raman", "participant"),
    ]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '"Marcus Bell" answers the questions (4 of 4), but 1 more speaker answers none of the interviewers\' questions and is taken as a '
        'participant: "Priya Raman" (3 turns, 27 words; asks 1 question, answered by "Marcus Bell")',
    )
    assert row["participants"] == 2


@pytest.mark.parametrize(
    "name, text, speakers",
    [
        # A pair: the clinician adds to the officer's answers (and asks him twice), never straight after
        # the interviewer.
        (
            "dyad_P40.txt",
            DYAD,
            [("Interviewer", "interviewer"), ("Sgt Bell", "participant"), ("Raman", "participant")],
        ),
        # A focus group: two officers each ask the one who answers most.
        (
            "fg_P41.txt",
            FOCUS_GROUP_PEER_ASKS,
            [
                ("Moderator", "interviewer"),
                ("Diaz", "participant"),
                ("Okafor", "participant"),
                ("Brennan", "participant"),
            ],
        ),
        (
            "fg_P42.txt",
            FOCUS_GROUP_PEERS_ASK,
            [
                ("Moderator", "interviewer"),
                ("Diaz", "participant"),
                ("Okafor", "participant"),
                ("Brennan", "participant"),
            ],
        ),
    ],
)
def test_participants_who_ask_each_other_in_a_pair_or_group_stay_participants(
    runner, tmp_path, name, text, speakers
):
    outcome, stderr, row = _ingest(runner, tmp_path, name, text)
    assert _roles(outcome) == speakers
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], len(speakers) - 1)
    assert "Warning" not in stderr


@pytest.mark.parametrize(
    "names",
    [("Priya Raman", "Sam Ortiz"), ("PR", "SO")],  # by name, or by initials
)
def test_a_panels_co_interviewers_who_only_ask_are_interviewers(runner, tmp_path, names):
    # Two colleagues each ask P07 two follow-ups and say nothing else: a panel, not a focus group.
    text = PANEL.replace("Priya Raman:", names[0] + ":").replace("Sam Ortiz:", names[1] + ":")
    outcome, stderr, row = _ingest(runner, tmp_path, "panel_P07.txt", text)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Interviewer", "interviewer", "a known interviewer label"),
        ("P07", "participant", "a participant label"),
        (names[0], "interviewer", 'asks 2/12 questions, answered by "P07"; answers none'),
        (names[1], "interviewer", 'asks 2/12 questions, answered by "P07"; answers none'),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)
    assert row["participant_segments"] == 12
    assert "Warning" not in stderr


# A panel with no known label: a lead and two colleagues ask, one deputy answers.
NAMED_PANEL = """\
Dana Whitfield  0:02
Thanks for joining us. Can you tell me what your unit does?

Marcus Bell  0:09
We are the night shift co-responder unit for the east district, two deputies and one clinician.

Priya Raman  0:21
And how many nights a week is that?

Marcus Bell  0:24
Five nights, six at night until two in the morning.

Dana Whitfield  0:31
How do calls reach you?

Marcus Bell  0:35
Dispatch flags them. If the caller mentions suicide or meds, the call taker puts a BH code on it.

Sam Ortiz  0:48
Who trained the call takers on that code?

Marcus Bell  0:52
The crisis line staff did, over two afternoons last spring.

Dana Whitfield  1:01
What happens when the crisis unit is full?

Marcus Bell  1:05
Then it's the ER, and we sit there. Three, four hours is normal on a weekend.

Priya Raman  1:15
Is that wait logged anywhere?

Marcus Bell  1:18
Not officially. We keep our own spreadsheet.

Sam Ortiz  1:24
Could we see that spreadsheet?

Marcus Bell  1:27
I'd have to ask the lieutenant, but probably.

Dana Whitfield  1:33
Thank you, that's everything we had.
"""


def test_a_panel_with_no_known_label_is_told_by_who_answers(runner, tmp_path):
    # Marcus answers every question and asks none; the three others only ask: all three interview him.
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P44.txt", NAMED_PANEL)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", 'asks 3/7 questions, answered by "Marcus Bell"; answers none'),
        ("Marcus Bell", "participant", "answers: asks 0/7 questions"),
        ("Priya Raman", "interviewer", 'asks 2/7 questions, answered by "Marcus Bell"; answers none'),
        ("Sam Ortiz", "interviewer", 'asks 2/7 questions, answered by "Marcus Bell"; answers none'),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)
    assert row["participant_segments"] == 7
    assert "Warning" not in stderr


def test_a_panel_whose_colleague_says_something_of_their_own_is_a_guess_for_review(runner, tmp_path):
    # Priya adds an account of her own: still most likely a panel, but a person confirms it.
    text = NAMED_PANEL.replace(
        "Is that wait logged anywhere?",
        "We saw the same thing at the west district last year, the waits ran past six hours most weekends.",
    )
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P45.txt", text)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", 'asks 3/6 questions, answered by "Marcus Bell" (weak evidence)'),
        ("Marcus Bell", "participant", "answers: asks 0/6 questions"),
        ("Priya Raman", "interviewer", 'asks 1/6 questions, answered by "Marcus Bell" (weak evidence)'),
        ("Sam Ortiz", "interviewer", 'asks 2/6 questions, answered by "Marcus Bell" (weak evidence)'),
    ]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        'no clear questioner among 4 speakers ("Dana Whitfield" asks 3/6 questions, "Marcus Bell" asks 0/6 '
        'questions, "Priya Raman" asks 1/6 questions, "Sam Ortiz" asks 2/6 questions); "Marcus Bell" answers '
        '6 of the 6 questions the others put, so is taken as the participant and "Dana Whitfield", "Priya '
        'Raman", "Sam Ortiz" as interviewers, but "Priya Raman" says something of their own (1 turn)',
    )
    assert row["participants"] == 1


def test_a_co_interviewer_whose_follow_ups_sit_between_the_answers_is_one(runner, tmp_path):
    # Each follow-up comes between two of P07's answers, and each draws an answer of its own.
    text = PANEL.replace("Sam Ortiz:", "Priya Raman:")
    outcome, _, row = _ingest(runner, tmp_path, "panel_P07.txt", text)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Interviewer", "interviewer", "a known interviewer label"),
        ("P07", "participant", "a participant label"),
        ("Priya Raman", "interviewer", 'asks 4/12 questions, answered by "P07"; answers none'),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)


def test_a_co_interviewer_who_adds_to_the_question_before_the_answer_is_left_for_review(runner, tmp_path):
    # Straight after the question and before the officer's answer, twice: a colleague adding to the
    # question, or a partner answering first. The turns cannot tell; a person says.
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P43.txt", CLARIFIES_QUESTION)
    assert _roles(outcome) == [
        ("Dana Whitfield", "interviewer"),
        ("Marcus Bell", "participant"),
        ("Priya Raman", "participant"),
    ]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '"Priya Raman" speaks only between a question and the answer of "Marcus Bell" (2 turns): a '
        "co-interviewer adding to the question, or a participant answering first; taken as a participant",
    )
    assert row["participants"] == 2


# A focus group where Diaz answers first and the others each add their own account after him.
_TAKE_TURNS = [
    ("Moderator", "Welcome, everyone. How do crisis calls reach your units?"),
    ("Diaz", "Most of ours come through 911, and dispatch codes them as a welfare check."),
    ("Okafor", "Same here, though we get a lot of walk-ups at the station."),
    ("Brennan", "For us it's mostly the crisis line transferring to dispatch."),
    ("Moderator", "What happens once you are on scene and you decide it is a crisis?"),
    ("Diaz", "We call the mobile team and wait, sometimes an hour."),
    ("Okafor", "We transport ourselves if the CSU has a bed."),
    ("Brennan", "We wait for the mobile team, every time."),
    ("Moderator", "What would you change?"),
    ("Diaz", "More clinicians on nights."),
    ("Okafor", "A clinician in dispatch."),
    ("Brennan", "Agreed, a clinician in dispatch."),
    ("Moderator", "Thank you all."),
]


def test_group_members_who_each_add_after_the_first_answer_are_a_group():
    read = [Turn(speaker, [text]) for speaker, text in _TAKE_TURNS]
    result = infer_roles(read, "fg44")
    assert [(s.label, s.role) for s in result.speakers] == [
        ("Moderator", "interviewer"),
        ("Diaz", "participant"),
        ("Okafor", "participant"),
        ("Brennan", "participant"),
    ]
    assert (result.status, result.reason) == ("inferred", "")


def test_a_misread_label_beside_a_group_that_takes_turns_is_the_one_doubted():
    # "Example:" opening a paragraph of Diaz's answer, read as a label: it is the doubt, not the members.
    turns = list(_TAKE_TURNS)
    turns.insert(6, ("Example", "last Tuesday we sat in a driveway for ninety minutes with a man."))
    result = infer_roles([Turn(speaker, [text]) for speaker, text in turns], "fg44")
    assert [s.role for s in result.speakers] == ["interviewer", *["participant"] * 3, "review"]
    assert result.status == "review"
    assert result.reason == (
        '"Diaz" answers the questions (3 of 3), but 1 more speaker heard once answers none of the interviewers\' questions and is left to '
        'review, no participant nor coded until set: "Example" (1 turn, 13 words; asks no question)'
    )


def test_otters_unknown_speaker_saying_yeah_does_not_split_the_answer(runner, tmp_path):
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P32.txt", UNKNOWN_SPEAKER)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", "asks 3/3 questions; speaks first"),
        ("Marcus Bell", "participant", "answers: asks 0/3 questions"),
    ]
    # Each answer is one coding unit, the back-channel kept where it was said, with its label.
    assert _segments(runner, tmp_path, "otter_P32") == [
        ("Dana Whitfield", "interviewer", "Thanks for joining. What's your role?"),
        (
            "Marcus Bell",
            "participant",
            (
                "I'm a deputy, eleven years on patrol, mostly nights.\n\nUnknown Speaker: Yeah.\n\n"
                "And I did the CIT course two years ago."
            ),
        ),
        ("Dana Whitfield", "interviewer", "How do crisis calls come in?"),
        (
            "Marcus Bell",
            "participant",
            (
                "Dispatch mostly. Sometimes a family member flags us down.\n\nUnknown Speaker: Mm hmm.\n\n"
                "Then we call the mobile team and wait."
            ),
        ),
        ("Dana Whitfield", "interviewer", "How long do you wait?"),
        ("Marcus Bell", "participant", "An hour, sometimes more."),
    ]
    assert (outcome["roles"], outcome["segments"], row["participants"], row["participant_segments"]) == (
        "inferred",
        6,
        1,
        3,
    )
    message = (
        'otter_P32: "Unknown Speaker" only says a word or three of listening ("yeah", "mm-hmm") in the middle of '
        "another speaker's answers, so it is no speaker: each is kept in the answer it interrupts as a paragraph "
        '"Unknown Speaker: ...", and that answer is one segment, not split in two (segments 2, 4). Read them '
        'with "wei-qual transcripts show otter_P32".'
    )
    assert outcome["warnings"] == [{"kind": "back_channels", "message": message}]
    db = tmp_path / "project.db"
    on_stderr = message.replace('otter_P32".', f'otter_P32 --db {db}".')
    assert " ".join(stderr.split()).count("Warning: " + on_stderr) == 1


def test_back_channels_are_folded_whatever_labels_are_given(runner, tmp_path):
    outcome, _, row = _ingest(
        runner, tmp_path, "otter_P32.txt", UNKNOWN_SPEAKER, "--interviewer-labels", "Dana Whitfield"
    )
    assert _roles(outcome) == [("Dana Whitfield", "interviewer"), ("Marcus Bell", "participant")]
    assert [w["kind"] for w in outcome["warnings"]] == ["back_channels"]
    assert (outcome["roles"], outcome["segments"], row["participants"]) == ("given", 6, 1)


_GROUP_DOUBT = (
    '"Diaz" answers the questions (2 of 2), but 2 more speakers answer none of the interviewers\' questions and are taken as participants: '
    '"Okafor" (2 turns, 3 words; asks no question), "Brennan" (2 turns, 2 words; asks no question)'
)
_GROUP_AGREES = [
    ("Moderator", "interviewer"),
    ("Diaz", "participant"),
    ("Okafor", "participant"),
    ("Brennan", "participant"),
]


@pytest.mark.parametrize(
    "name, text, speakers, segments, reason",
    [
        (
            "otter_P45.txt",
            DYAD_AGREES,
            [
                ("Dana Whitfield", "interviewer"),
                ("Marcus Bell", "participant"),
                ("Priya Raman", "participant"),
            ],
            9,
            (
                '"Marcus Bell" answers the questions (2 of 2), but 1 more speaker answers none of the interviewers\' questions and is taken as a '
                'participant: "Priya Raman" (2 turns, 2 words; asks no question)'
            ),
        ),
        (
            "fg_P46.txt",
            FOCUS_GROUP_AGREES,
            _GROUP_AGREES,
            13,
            _GROUP_DOUBT,
        ),
        (
            "fg_P46.txt",
            FOCUS_GROUP_AGREES.replace("Right, right.", "Yeah, same."),
            _GROUP_AGREES,
            13,
            _GROUP_DOUBT,
        ),
    ],
)
def test_a_named_persons_yeah_is_their_turn(runner, tmp_path, name, text, speakers, segments, reason):
    # A pair's or a group's agreement is data: each "Right." stays its speaker's turn, and the answer it
    # interrupts stays two turns. Only listening, so who they are is for a person to confirm.
    outcome, stderr, row = _ingest(runner, tmp_path, name, text)
    assert _roles(outcome) == speakers
    _review(outcome, stderr, tmp_path / "project.db", reason)
    assert [w["kind"] for w in outcome["warnings"]] == ["roles_review"]
    assert (row["participants"], outcome["segments"]) == (len(speakers) - 1, segments)


def test_otters_unknown_speaker_who_says_more_is_doubtful(runner, tmp_path):
    text = UNKNOWN_SPEAKER.replace("Mm hmm.", "Mm hmm, that matches what the sergeant told us.")
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P32.txt", text)
    assert _roles(outcome) == [
        ("Dana Whitfield", "interviewer"),
        ("Marcus Bell", "participant"),
        ("Unknown Speaker", "participant"),  # the best guess, until a person says
    ]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '"Marcus Bell" answers the questions (3 of 3), but 1 more speaker answers none of the interviewers\' questions and is taken as a '
        'participant: "Unknown Speaker" (2 turns, 10 words; asks no question)',
    )
    assert (outcome["segments"], row["participants"]) == (10, 2)


@pytest.mark.parametrize(
    "turns",
    [
        # "Yeah." right after the interviewer's question answers it.
        [
            ("Dana", "How long?"),
            ("Marcus", "An hour."),
            ("Dana", "Did you wait?"),
            ("Unknown", "Yeah."),
            ("Dana", "Why?"),
        ],
        # ...and after the participant's own question too.
        [
            ("Dana", "How long did you wait?"),
            ("Marcus", "An hour."),
            ("Dana", "Did the team come?"),
            ("Marcus", "Did they? You tell me."),
            ("Unknown", "Yeah."),
            ("Marcus", "They did not."),
        ],
        # Not between two turns of one speaker.
        [("Dana", "How long?"), ("Marcus", "An hour."), ("Unknown", "Yeah."), ("Dana", "Why so long?")],
        # A group: several answer.
        [
            ("Dana", "How long?"),
            ("Marcus", "An hour."),
            ("Unknown", "Right."),
            ("Marcus", "Or two."),
            ("Dana", "And you?"),
            ("Ana", "Less."),
        ],
        # The transcript's id names a participant.
        [("Dana", "How long?"), ("Marcus", "An hour."), ("P32", "Yeah."), ("Marcus", "Or two.")],
        # A named person: their "Right." is theirs.
        [("Dana", "How long?"), ("Marcus", "An hour."), ("Priya Raman", "Right."), ("Marcus", "Or two.")],
        # An AssemblyAI letter, or a typist's initial for a person.
        [("Dana", "How long?"), ("Marcus", "An hour."), ("C", "Right."), ("Marcus", "Or two.")],
        # The participant speaks to someone by name: their "Yes." answers.
        [
            ("Dana", "How long?"),
            ("Marcus", "An hour. Priya, you were the one who wrote the script for the call takers."),
            ("Unknown Speaker", "Yes."),
            ("Marcus", "So she knows that part better than me."),
        ],
    ],
)
def test_a_yeah_that_may_be_speech_is_no_back_channel(turns):
    from wei_qual.ingest.roles import back_channels

    read = [Turn(speaker, [text]) for speaker, text in turns]
    assert back_channels(read, infer_roles(read, "P32")) == frozenset()


def test_is_back_channel():
    from wei_qual.ingest.roles import is_back_channel

    assert all(
        map(is_back_channel, ["Yeah.", "Mm hmm.", "Mm-hmm.", "Uh-huh", "Right, right.", "Oh wow.", "Okay."])
    )
    assert not any(map(is_back_channel, ["No.", "I see.", "Yeah, yeah, right, okay.", "Yeah, an hour.", ""]))


def test_a_transcribers_notes_are_no_speaker(runner, tmp_path):
    outcome, _, row = _ingest(runner, tmp_path, "P65.txt", TRANSCRIBER_NOTES)
    assert _roles(outcome) == [("Interviewer", "interviewer"), ("P65", "participant")]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)
    segments = json.loads(
        runner.invoke(
            app, ["transcripts", "show", "P65", "-f", "json", "--db", str(tmp_path / "project.db")]
        ).stdout
    )["segments"]
    # Each note stays in the turn it interrupts, marked as a note, as a `Note:` line that occurs once is read.
    assert [(s["speaker"], s["text"]) for s in segments[1:3]] == [
        ("P65", "I'm a deputy, eleven years on patrol.\n\nNote: participant's phone rang; recording paused."),
        ("Interviewer", "Okay, we're back. How do crisis calls come in?"),
    ]
    assert segments[3]["text"].endswith("\n\nNote: audio dropped for about ten seconds.")


@pytest.mark.parametrize(
    "name, text, answer, lines",
    [
        (
            "P81.txt",
            HARD_WRAPPED,
            "Me and my partner. The report lists us as\nOfficer 1: me, and\nOfficer 2: my partner. He's newer.",
            "lines 4, 5",
        ),
        (
            "P81.txt",
            HARD_WRAPPED_CRLF,
            (
                "Me and my partner. We were the first car there, and the report lists\nus by unit number, so on paper "
                "the call came from\nOfficer 1: me, and\nOfficer 2: my partner. He's newer, about a year on nights, "
                "and he hadn't\ndone the CIT course yet."
            ),
            "lines 5, 6",
        ),
    ],
)
def test_a_hard_wrapped_line_that_starts_like_a_label_goes_on_with_the_answer(
    runner, tmp_path, name, text, answer, lines
):
    outcome, stderr, row = _ingest(runner, tmp_path, name, text)
    assert _roles(outcome) == [("Interviewer", "interviewer"), ("P81", "participant")]
    segments = _segments(runner, tmp_path, "P81")
    assert [(speaker, role) for speaker, role, _ in segments] == [
        ("Interviewer", "interviewer"),
        ("P81", "participant"),
        ("Interviewer", "interviewer"),
        ("P81", "participant"),
    ]
    assert segments[1][2] == answer
    assert (outcome["roles"], row["participants"], row["participant_segments"]) == ("inferred", 1, 2)
    _warned(
        outcome,
        stderr,
        tmp_path / "project.db",
        tmp_path / name,
        "missed_labels",
        f"P81: 2 lines that start like a speaker label ({lines}) were read as text going on from the line before, "
        "as in hard-wrapped text: the line before ends mid-sentence, the words after the colon start in lower "
        "case, and the label occurs nowhere else. If one of them is a turn, put a blank line before it and ingest "
        "it again; {dry} shows how the file is read.",
    )


def test_a_hard_wrap_in_a_word_paragraph_is_located_by_paragraph(tmp_path):
    # Typed with Shift+Enter at the end of each line: soft line breaks inside one Word paragraph.
    from docx import Document

    from wei_qual.ingest import parse_transcript

    document = Document()
    document.add_paragraph("Interviewer: Who was on scene?")
    answer = document.add_paragraph("P81: Me and my partner. The report lists us as")
    for line in ("Officer 1: me, and", "Officer 2: my partner. He's newer."):
        answer.add_run().add_break()
        answer.add_run(line)
    document.add_paragraph("Interviewer: And the clinician?")
    document.add_paragraph("P81: She came later.")
    document.save(tmp_path / "P81.docx")
    t = parse_transcript(tmp_path / "P81.docx")
    assert [(s.speaker, s.text) for s in t.segments] == [
        ("Interviewer", "Who was on scene?"),
        (
            "P81",
            "Me and my partner. The report lists us as\nOfficer 1: me, and\nOfficer 2: my partner. He's newer.",
        ),
        ("Interviewer", "And the clinician?"),
        ("P81", "She came later."),
    ]
    assert [(w.kind, w.message.split(" were read as text")[0]) for w in t.warnings] == [
        ("missed_labels", "P81: lines that start like a speaker label (in paragraph 2)")
    ]


@pytest.mark.parametrize(
    "name, text, answer, lines",
    [
        (
            # Between two of the participant's turns, with no blank lines anywhere.
            "P67.txt",
            QUOTED_DIALOGUE,
            (
                "There was a teenager, maybe sixteen. The mom met us at the door. It went like:\nMom: He's in his "
                "room, he won't come out.\nMe: Has he hurt himself?\nMom: I don't know, he has a belt.\n\nSo we went "
                "straight up. We got the door open. He was okay, thank God."
            ),
            "lines 3, 4, 5",
        ),
        (
            # The interviewer's next turn after it.
            "P12.txt",
            QUOTED_THEN_INTERVIEWER,
            (
                "My mom called me at work. It went like this:\nMom: He's in his room and won't come out.\nMe: Has he "
                "hurt himself?\nMom: No, but he has a knife."
            ),
            "lines 4, 5, 6",
        ),
    ],
)
def test_dialogue_a_participant_quotes_stays_in_their_answer(runner, tmp_path, name, text, answer, lines):
    outcome, stderr, row = _ingest(runner, tmp_path, name, text)
    tid = name.removesuffix(".txt")
    assert _roles(outcome) == [("Interviewer", "interviewer"), (tid, "participant")]
    segments = _segments(runner, tmp_path, tid)
    assert [(speaker, role) for speaker, role, _ in segments] == [
        ("Interviewer", "interviewer"),
        (tid, "participant"),
        ("Interviewer", "interviewer"),
        (tid, "participant"),
    ]
    assert segments[1][2] == answer
    assert (outcome["roles"], row["participants"], row["participant_segments"]) == ("inferred", 1, 2)
    _warned(
        outcome,
        stderr,
        tmp_path / "project.db",
        tmp_path / name,
        "missed_labels",
        f'{tid}: 3 lines that start like a speaker label ({lines}) were kept in the turn of "{tid}" as dialogue '
        "quoted there: they follow a line of that turn ending in a colon, or sit between two of its turns in a "
        "file whose turns blank lines separate, with no blank line before them, and their labels occur nowhere "
        "else. If one of them is a turn, put a blank line before it and ingest it again; {dry} shows how the "
        "file is read.",
    )


def test_quoted_dialogue_between_two_turns_of_a_file_with_blank_lines(runner, tmp_path):
    text = """\
Interviewer: What was the worst part of that night?

P12: The dispatcher kept me on the line and she said
Dispatcher: Stay where you are, the unit is two minutes out.
Dispatcher: Is he still holding the knife?
P12: And I couldn't even see him from where I was.

Interviewer: How long did the unit take?

P12: Closer to ten minutes.
"""
    outcome, _, row = _ingest(runner, tmp_path, "P12.txt", text)
    assert _roles(outcome) == [("Interviewer", "interviewer"), ("P12", "participant")]
    assert _segments(runner, tmp_path, "P12")[1][2] == (
        "The dispatcher kept me on the line and she said\nDispatcher: Stay where you are, the unit is two minutes "
        "out.\nDispatcher: Is he still holding the knife?\n\nAnd I couldn't even see him from where I was."
    )
    assert [w["kind"] for w in outcome["warnings"]] == ["missed_labels"]
    assert "(lines 4, 5) were kept in the turn of" in outcome["warnings"][0]["message"]
    assert (row["participants"], row["segments"]) == (1, 4)


@pytest.mark.parametrize(
    "name, text, speakers",
    [
        (
            # A second officer speaks once, after a finished sentence, in a file with blank lines between turns.
            "P81.txt",
            """\
Interviewer: Who was on scene?

P81: Me and my partner. He's newer.
Officer 2: yeah, about a year on nights.

Interviewer: And the clinician?

P81: She came later.
""",
            ["Interviewer", "P81", "Officer 2"],
        ),
        (
            # ...with a blank line before it, after an unfinished one.
            "P81.txt",
            """\
Interviewer: Who was on scene?

P81: Me and my partner, and my partner said

Officer 2: yeah, i told him to wait for the team.

Interviewer: And the clinician?

P81: She came later.
""",
            ["Interviewer", "P81", "Officer 2"],
        ),
        (
            # A transcriber who types no full stops: a line that does not end with one says nothing.
            "P3.txt",
            """\
Interviewer: so how long have you been on patrol
P3: about eleven years now mostly nights
Interviewer: and how do the crisis calls come in
P3: dispatch mostly and sometimes
Officer 2: family members flag us down
P3: yeah what he said
""",
            ["Interviewer", "P3", "Officer 2"],
        ),
        (
            # The interviewer breaks in mid-sentence.
            "P1.txt",
            """\
Interviewer: Tell me about the last crisis call you went on.

P1: We went in and the guy was just sitting there on the
Interviewer: sorry, which guy?
P1: the caller's son. He was on the floor.

Interviewer: And then?

P1: We called the team.
""",
            ["Interviewer", "P1"],
        ),
        (
            # Otter's label, with its time, whatever the line before.
            "P32.txt",
            """\
Dana Whitfield  0:03
How do crisis calls come in?

Marcus Bell  0:09
Dispatch mostly, and then

Sgt. Reyes  0:16
copy that, we go.

Dana Whitfield  0:20
How long do you wait?

Marcus Bell  0:25
An hour.
""",
            ["Dana Whitfield", "Marcus Bell", "Sgt. Reyes"],
        ),
        (
            # A pair interview: `Officer 2:` after a line ending in a colon is the second officer's turn.
            "P09.txt",
            """\
Interviewer: How do you decide who leads on a call?

P09: It depends. I'll let my partner explain that part:
Officer 2: Sure. If there's a weapon, patrol leads. Otherwise the clinician does.
P09: That's right.

Interviewer: And at night?

P09: Patrol leads at night.
""",
            ["Interviewer", "P09", "Officer 2"],
        ),
        (
            # ...and so is `Clinician:` between the officer's turns.
            "P09.txt",
            """\
Interviewer: How do you two work together on a call?

P09: We split it. I talk to the person, she talks to the family.
Clinician: And I do the safety plan before we leave.
P09: Right, she does the plan.

Interviewer: What happens when the mobile team is late?

P09: We wait. Sometimes an hour.
""",
            ["Interviewer", "P09", "Clinician"],
        ),
        (
            # A second speaker between the first one's turns, in a file with no blank lines.
            "P09.txt",
            """\
Interviewer: How do you two split the work?
P09: I talk to the person.
Sam: And I talk to the family.
Sam: Then we swap notes.
P09: Right, that's it.
Interviewer: And at night?
P09: Same.
""",
            ["Interviewer", "P09", "Sam"],
        ),
        (
            # A focus group's `R2:` speaks once, after a line that goes on.
            "fg4.txt",
            """\
Interviewer: Who goes on the crisis calls?
R1: Mostly me and the night sergeant, and
R2: me, most nights.
R1: Right. We take turns.
Interviewer: And who calls the team?
R1: Dispatch does.
""",
            ["Interviewer", "R1", "R2"],
        ),
        (
            # A label after a line ending in a colon that speaks again elsewhere is a speaker.
            "P09.txt",
            """\
Interviewer: How do you decide who leads on a call?
P09: It depends. My partner can explain:
Sam: Sure. If there's a weapon, patrol leads.
P09: Right.
Interviewer: And at night?
Sam: Patrol leads at night too.
""",
            ["Interviewer", "P09", "Sam"],
        ),
        (
            # A name with its time, as Sonix writes it, whatever the line before.
            "P32.txt",
            """\
Dana Whitfield: [00:00:03] How do crisis calls come in?
Marcus Bell: [00:00:09] Dispatch mostly, and then
Sgt. Reyes: [00:00:16] copy that, we go.
Dana Whitfield: [00:00:20] How long do you wait?
Marcus Bell: [00:00:25] An hour.
""",
            ["Dana Whitfield", "Marcus Bell", "Sgt. Reyes"],
        ),
        (
            # A moderator's introductions, though a participant asks more than the moderator.
            "fg3.txt",
            """\
Moderator: Let's start with introductions:
Ana Ruiz: I'm Ana. Is this being recorded?
Ana Ruiz: Patrol, six years.
Ben Cole: Ben, dispatch supervisor.
Ben Cole: Twelve years.
Moderator: It is. Now, what changed when the co-responder team started.
Cal Dunn: Fewer arrests. Can I add one more thing?
Cal Dunn: Faster handoffs.
""",
            ["Moderator", "Ana Ruiz", "Ben Cole", "Cal Dunn"],
        ),
        (
            # The radio read out twice, once with no colon before it: no one run.
            "P62.txt",
            """\
Interviewer: Walk me through the call.
P62: So the radio goes like this.
Dispatch: Unit 12, welfare check, 400 block of Elm.
P62: And I answer, copy. Then:
Dispatch: Family reports he has a knife.
P62: So now it's a different call. We stage and wait for a second unit.
Interviewer: How long did you wait?
P62: Six minutes.
""",
            ["Interviewer", "P62", "Dispatch"],
        ),
        (
            # A moderator's round of introductions is turns.
            "fg2.txt",
            """\
Dana Whitfield: Thanks for coming. Let's go round the table first:
Ana Ruiz: I'm Ana, patrol, six years.
Ana Ruiz: And I did CIT last year.
Ben Cole: Ben, dispatch supervisor.
Ben Cole: Twelve years.
Dana Whitfield: Great. What changed when the co-responder team started?
Cal Dunn: Fewer arrests, I'd say.
Dana Whitfield: And what is missing?
Cal Dunn: Night coverage.
""",
            ["Dana Whitfield", "Ana Ruiz", "Ben Cole", "Cal Dunn"],
        ),
    ],
)
def test_real_labels_stay_labels(runner, tmp_path, name, text, speakers):
    outcome, _, _ = _ingest(runner, tmp_path, name, text)
    assert [s["label"] for s in outcome["speakers"]] == speakers
    assert "missed_labels" not in [w["kind"] for w in outcome["warnings"]]


def test_quoted_questions_inside_an_answer_make_no_co_interviewer():
    # "Mom" asks twice and "P67" speaks next, but only inside P67's story: no second interviewer.
    turns = [
        Turn("Interviewer", ["Can you describe a call that stuck with you?"]),
        Turn("P67", ["The mom met us at the door and it went back and forth like this, word for word:"]),
        Turn("Mom", ["Where were you?"]),
        Turn("P67", ["I said we came as fast as we could, ma'am, and she would not let it go."]),
        Turn("Mom", ["Is he going to jail?"]),
        Turn("P67", ["No. So we went straight up. We got the door open. He was okay, thank God."]),
        Turn("Interviewer", ["What happened after that?"]),
        Turn("P67", ["We called the mobile team and they came in forty minutes, which is fast for us."]),
    ]
    result = infer_roles(turns, "P67")
    assert [(s.label, s.role) for s in result.speakers] == [
        ("Interviewer", "interviewer"),
        ("P67", "participant"),
        ("Mom", "participant"),
    ]
    assert result.status == "review"
    assert result.reason.endswith('"Mom" (2 turns, 8 words; asks 2 questions, answered by "P67")')


def test_a_third_speaker_who_asks_in_under_half_their_turns_is_doubtful():
    # Asks the participant twice but mostly says "Mm", "Right": an interviewer or a colleague; a person says.
    turns = [
        Turn("Interviewer", ["What happens at night?"]),
        Turn("Marcus", ["We wait for the mobile team, an hour or more, and then we take them to the ER."]),
        Turn("Priya", ["Mm."]),
        Turn("Priya", ["Did you call them that night?"]),
        Turn("Marcus", ["We did, twice, and nobody picked up until after midnight."]),
        Turn("Interviewer", ["And the ER?"]),
        Turn("Marcus", ["Four hours in the hallway before anyone took the handoff from us."]),
        Turn("Priya", ["Right."]),
        Turn("Priya", ["Was that a weekend?"]),
        Turn("Marcus", ["A Saturday, yes, which is always the worst night for it."]),
        Turn("Priya", ["Okay, thanks."]),
    ]
    result = infer_roles(turns, "P38")
    assert [s.role for s in result.speakers] == ["interviewer", "participant", "participant"]
    assert result.status == "review"
    assert result.reason.endswith('"Priya" (5 turns, 14 words; asks 2 questions, answered by "Marcus")')


def test_a_misread_label_that_ends_two_answers_is_doubtful_not_a_second_participant():
    # "Mostly - when the clinician is free..." read as a label: it adds to two answers, but the participant
    # never speaks after it, as one would after a colleague beside them.
    turns = [
        Turn("Interviewer", ["Thanks for joining. Do you feel the co-responder model works?"]),
        Turn("Participant", ["Honestly, it depends on the night."]),
        Turn("Mostly", ["when the clinician is free, it works really well."]),
        Turn("Interviewer", ["And when the clinician is not free?"]),
        Turn("Participant", ["Then we wait, or we take them to the ER ourselves."]),
        Turn("Mostly", ["the ER, if I'm honest, because the CSU fills up by ten."]),
        Turn("Interviewer", ["Thank you."]),
    ]
    result = infer_roles(turns, "P39")
    assert [s.role for s in result.speakers] == ["interviewer", "participant", "participant"]
    assert result.status == "review"
    assert result.reason.endswith('"Mostly" (2 turns, 21 words; asks no question)')


def test_a_group_where_several_answer_is_not_doubtful():
    turns = [
        Turn("Moderator", ["What changed when the team started?"]),
        Turn("Ana Ruiz", ["Fewer arrests."]),
        Turn("Ben Cole", ["Faster handoffs, I think."]),
        Turn("Moderator", ["And what is missing?"]),
        Turn("Ben Cole", ["Night coverage."]),
        Turn("Cal Dunn", ["Beds."]),
    ]
    result = infer_roles(turns, "fg1")
    assert (result.status, [s.role for s in result.speakers]) == (
        "inferred",
        ["interviewer", "participant", "participant", "participant"],
    )


# ------------------------------------------------------------------------------ who asks


def test_assemblyai_letters_follow_the_questions(runner, tmp_path):
    outcome, _, row = _ingest(runner, tmp_path, "assembly_P33.txt", ASSEMBLY_AB)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("A", "interviewer", "asks 4/4 questions; speaks first"),
        ("B", "participant", "answers: asks 0/4 questions"),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)


def test_a_beside_q_is_still_the_answer():
    turns = [Turn("Q", ["How long on patrol?"]), Turn("A", ["Nine years. Why do you ask?"])]
    assert [(s.role, s.reason) for s in infer_roles(turns, "x").speakers] == [
        ("interviewer", "a known interviewer label"),
        ("participant", "a participant label"),
    ]


def test_small_talk_and_a_rhetorical_question_do_not_make_the_participant_ask(runner, tmp_path):
    outcome, stderr, row = _ingest(runner, tmp_path, "otter_P34.txt", OTTER_SMALL_TALK)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Speaker 2", "participant", "answers: asks 3/6 questions"),
        (
            "Dana Whitfield",
            "interviewer",
            "asks 3/6 questions, drawing the longer answers (a median 30 words to 11) (weak evidence)",
        ),
    ]
    # The answers she draws say who she is, but the participant speaks first: a person confirms.
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        'both speakers ask questions ("Speaker 2" asks 3/6 questions, "Dana Whitfield" asks 3/6 questions); '
        '"Dana Whitfield" is taken as the interviewer: speaks in shorter turns and draws the longer answers (a '
        'median 30 words to 11), but "Speaker 2" speaks first, both ask 3 questions and "Speaker 2" asks in as '
        "large a share of their turns (3 of 5 to 3 of 5)",
    )
    assert row["participants"] == 1


def test_a_participant_whose_questions_draw_long_answers_is_left_for_review(runner, tmp_path):
    # His consent questions draw the long answers, and he speaks first and shorter: every sign but the
    # share of turns that ask points at him, so the tiebreak is a guess for a person to check.
    outcome, stderr, row = _ingest(runner, tmp_path, "P36.txt", TERSE_ASKS_BACK)
    assert _roles(outcome) == [("Marcus Bell", "interviewer"), ("Dana Whitfield", "participant")]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        'both speakers ask questions ("Marcus Bell" asks 4/8 questions, "Dana Whitfield" asks 4/8 questions); '
        '"Marcus Bell" is taken as the interviewer: speaks first, speaks in shorter turns and draws the longer '
        'answers (a median 30.5 words to 4), but both ask 4 questions and "Dana Whitfield" asks in a larger '
        "share of their turns (4 of 7 to 4 of 8)",
    )
    assert row["participants"] == 1


def test_questions_that_end_in_do_you_know_are_questions(runner, tmp_path):
    outcome, stderr, row = _ingest(runner, tmp_path, "P37.txt", DO_YOU_KNOW)
    assert [(s["label"], s["role"], s["reason"]) for s in outcome["speakers"]] == [
        ("Dana Whitfield", "interviewer", "asks 4/6 questions; speaks first"),
        ("Marcus Bell", "participant", "answers: asks 2/6 questions"),
    ]
    assert (outcome["roles"], outcome["warnings"], row["participants"]) == ("inferred", [], 1)
    assert "Warning" not in stderr


def test_a_tag_question_asks_nothing():
    assert not asks_question("He came down. Do you know what I mean?")
    assert not asks_question("We wait, you know? Every night.")
    assert not asks_question("It was the right call, if that makes sense?")
    assert not asks_question("Okay. So we waited, does that make sense?")
    assert asks_question("Would that have happened before CIT? Do you know what I mean?")
    assert asks_question("Do you know what the unit does at night?")


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for joining. When did the county start the program, do you know?",
        "And who decided where the cars would go, do you know?",
        "Right. And how the clinicians are paid, do you know?",
        "So, is the unit open at night, you know?",
        "Did you know?",
    ],
)
def test_a_tag_after_a_question_is_still_a_question(text):
    assert asks_question(text)


def test_the_review_reason_of_a_terse_participant_says_what_was_measured(runner, tmp_path):
    outcome, stderr, row = _ingest(runner, tmp_path, "zoom_P35.vtt", TERSE_VTT)
    assert _roles(outcome) == [("Marcus Bell", "participant"), ("Dana Whitfield", "interviewer")]
    _review(
        outcome,
        stderr,
        tmp_path / "project.db",
        '"Dana Whitfield" asks 3/3 questions but does not speak first and speaks at more length (a median 38 '
        'words a turn to 4 for "Marcus Bell")',
    )
    assert row["participants"] == 1
