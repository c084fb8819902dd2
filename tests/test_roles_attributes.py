"""Speakers as a team's own files name them: an attributes CSV that lists the interviewer beside the
participant, and one person labelled in two spellings. Each file is written as its tool exports it and
ingested through the command, the numbers checked where reports take them (the stored roles)."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app

# Otter's .txt export (CRLF, the title and date lines, `SPEAKERS`, `Name  0:01` over each turn, the
# footer), as tests/data/otter_named_interviewer.txt has it. The participant speaks first and asks twice,
# the interviewer tells her own ride-alongs once: the turns alone cannot tell who interviewed.
OTTER = "".join(
    f"{line}\r\n"
    for line in (
        "KP91 interview",
        "Tue, Mar 05, 2024 9:13AM \u2022 10:02",
        "",
        "SPEAKERS",
        "Marcus Bell, Dana Whitfield",
        "",
        "Marcus Bell  0:01",
        "Is this thing recording already? Should I wait?",
        "",
        "Dana Whitfield  0:04",
        "It is, go ahead whenever you are ready. So tell me about your role.",
        "",
        "Marcus Bell  0:09",
        "I am a patrol sergeant, nine years in. Mostly nights in the north district.",
        "",
        "Dana Whitfield  0:15",
        "What does a crisis call look like?",
        "",
        "Marcus Bell  0:19",
        "We wait for the clinician if one is free. Otherwise it is on us, and that is hard.",
        "",
        "Dana Whitfield  0:26",
        "How often is one free?",
        "",
        "Marcus Bell  0:29",
        "One in three. Does that match what others told you?",
        "",
        "Dana Whitfield  0:33",
        "Roughly, yes. In my ride-alongs it was about the same, maybe a bit less on weekends.",
        "",
        "Transcribed by https://otter.ai",
    )
)


def _ingest(runner, tmp_path, *args: str, db_name: str = "project.db"):
    db = tmp_path / db_name
    result = runner.invoke(app, ["ingest", *args, "--allow-pii", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), " ".join(result.stderr.split()), db


def test_a_speaker_row_giving_the_interviewers_role_makes_them_the_interviewer(runner, tmp_path):
    # Before, every speaker a speaker row named was a participant: Dana's questions were coded as a
    # second participant's words (N=2 in one transcript), roles "inferred", nothing said.
    (tmp_path / "KP91.txt").write_bytes(OTTER.encode())
    (tmp_path / "participants.csv").write_text(
        "id,speaker,role,setting\nKP91,,,urban\nKP91,Dana Whitfield,Interviewer,\nKP91,Marcus Bell,officer,\n"
    )
    out, stderr, db = _ingest(
        runner, tmp_path, str(tmp_path / "KP91.txt"), "--attributes", str(tmp_path / "participants.csv")
    )
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["reason"]) for s in outcome["speakers"]} == {
        "Marcus Bell": ("participant", "named as a participant in the attributes CSV"),
        "Dana Whitfield": ("interviewer", "named as an interviewer in the attributes CSV"),
    }
    shown = runner.invoke(app, ["transcripts", "show", "KP91", "--format", "json", "--db", str(db)])
    assert [s["role"] for s in json.loads(shown.stdout)["segments"]] == ["participant", "interviewer"] * 4
    assert "Warning" not in stderr  # the row agrees with the role: nothing to say
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db)]).stdout
    )
    assert [r["participants"] for r in listed] == [1]
    # So with --interviewer-labels that does not name her: the CSV adds her for this file.
    out, _, _ = _ingest(
        runner,
        tmp_path,
        "--dry-run",
        "--interviewer-labels",
        "Interviewer",
        str(tmp_path / "KP91.txt"),
        "--attributes",
        str(tmp_path / "participants.csv"),
        db_name="new.db",
    )
    assert {s["label"]: s["role"] for s in out["outcomes"][0]["speakers"]} == {
        "Marcus Bell": "participant",
        "Dana Whitfield": "interviewer",
    }


def test_a_speaker_row_giving_the_interviewers_role_to_a_participant_is_said(runner, tmp_path):
    # Stored before the sheet listed her, and set a participant by a person: the CSV cannot say which is
    # right, so it says so, with the command that sets her the interviewer.
    (tmp_path / "KP91.txt").write_bytes(OTTER.encode())
    _, _, db = _ingest(runner, tmp_path, str(tmp_path / "KP91.txt"))
    set_role = ["transcripts", "roles", "KP91", "--participant", "Dana Whitfield", "--db", str(db)]
    assert runner.invoke(app, set_role).exit_code == 0
    (tmp_path / "participants.csv").write_text("id,speaker,speaker_role\nKP91,Dana Whitfield,moderator\n")
    _, stderr, _ = _ingest(
        runner, tmp_path, str(tmp_path / "KP91.txt"), "--attributes", str(tmp_path / "participants.csv")
    )
    assert (
        f'"{tmp_path / "participants.csv"}", line 2: speaker "Dana Whitfield" of transcript "KP91" has an '
        "interviewer's role here but is a participant in the project (a person set that role, and it is "
        "kept: reports count their turns as a participant's). If they interviewed, set it with "
        "\"wei-qual transcripts roles KP91 --interviewer 'Dana Whitfield'" in stderr
    )


def test_a_speaker_row_giving_the_interviewers_role_to_an_inferred_participant_says_it_is_kept(
    runner, tmp_path
):
    # The file was ingested before the sheet listed her; the turns took her for the participant (she asks
    # less than Marcus). Ingested again unchanged with the sheet, her stored role is kept (the coding
    # units are the stored roles'), and the warning says it was inferred, not set by a person.
    (tmp_path / "KP94.txt").write_bytes(_asks_back(OTTER.replace("KP91", "KP94")).encode())
    _, _, db = _ingest(runner, tmp_path, str(tmp_path / "KP94.txt"))
    (tmp_path / "participants.csv").write_text("id,speaker,role\nKP94,Dana Whitfield,researcher\n")
    _, stderr, _ = _ingest(
        runner, tmp_path, str(tmp_path / "KP94.txt"), "--attributes", str(tmp_path / "participants.csv")
    )
    assert (
        'speaker "Dana Whitfield" of transcript "KP94" has an interviewer\'s role here but is a participant in '
        "the project (it was stored so, its role inferred from the turns, and it is kept: reports count their "
        "turns as a participant's)" in stderr
    )
    assert "a person set" not in stderr
    shown = runner.invoke(app, ["transcripts", "roles", "KP94", "--format", "json", "--db", str(db)])
    assert {s["label"]: s["role"] for s in json.loads(shown.stdout)["speakers"]}[
        "Dana Whitfield"
    ] == "participant"


# A typist's transcript (`Name: text` paragraphs, a blank line between) that shortens the officer's label
# after the first answer, as tests/data/officer.txt labels him in full.
DIAZ = """Interviewer: Thanks for making time. How long have you been with the department?

Officer Diaz: Eleven years this spring. Seven of those on patrol, the rest in the co-responder unit.

Interviewer: What does a typical crisis call look like for you?

Diaz: Usually dispatch tones us out, we get there, and we try to slow everything down.

Interviewer: And when the clinician is not available?

Officer Diaz: Then it is on us, and honestly that is when it goes sideways.

Interviewer: Can you say more about that?

Diaz: We do not have the training for a long conversation. We have the training for control.
"""


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("Officer Diaz", "Diaz"),
        ("Marcus Bell", "Marcus"),
        ("Marcus Bell", "Bell"),
        ("Marcus Bell", "M. Bell"),
    ],
)
def test_a_name_in_full_and_shortened_is_one_speaker_and_said(runner, tmp_path, full, short):
    # Before, "Officer Diaz" and "Diaz" were two participants of a one-to-one interview (N=2), nothing said.
    (tmp_path / "P12.txt").write_text(
        DIAZ.replace("Officer Diaz:", "FULL:").replace("Diaz:", f"{short}:").replace("FULL:", f"{full}:")
    )
    out, stderr, db = _ingest(runner, tmp_path, str(tmp_path / "P12.txt"))
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["turns"]) for s in outcome["speakers"]} == {
        "Interviewer": ("interviewer", 4),
        full: ("participant", 4),
    }
    message = (
        "P12: a name written in full and shortened (a rank or title, a first name or a surname left off, an "
        f'initial) read as one speaker, the one label of the file it shortens: "{short}" as "{full}" (segments '
        "4, 8). If they are two people, give them labels of their own and ingest the file again;"
    )
    assert [w["message"][: len(message)] for w in outcome["warnings"]] == [message]
    assert f"Warning: {message}" in stderr
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", str(db)]).stdout
    )
    assert [r["participants"] for r in listed] == [1]


@pytest.mark.parametrize(
    ("first", "second", "short"), [("Mr. Diaz", "Mrs. Diaz", "Diaz"), ("Marcus Bell", "Marcus Lee", "Marcus")]
)
def test_a_short_name_two_speakers_share_is_left_as_typed(runner, tmp_path, first, second, short):
    # Mr. and Mrs. Diaz interviewed together: which of them "Diaz" is cannot be told.
    text = (
        DIAZ.replace("Officer Diaz: Eleven", f"{first}: Eleven")
        .replace("Officer Diaz: Then", f"{second}: Then")
        .replace("Diaz: ", f"{short}: ")
    )
    (tmp_path / "P13.txt").write_text(text)
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "P13.txt"))
    (outcome,) = out["outcomes"]
    assert [s["label"] for s in outcome["speakers"]] == ["Interviewer", first, short, second]
    assert "renamed" not in [w["kind"] for w in outcome["warnings"]]


@pytest.mark.parametrize("role", ["researcher", "Research Assistant", "RA", "research_assistant", "PI"])
def test_a_speaker_row_giving_a_research_teams_role_makes_them_the_interviewer(runner, tmp_path, role):
    # A sheet says who someone is: `researcher`, `RA`. Before, only an interviewer's label (`Interviewer`,
    # `Moderator`) counted, and the researcher was a second participant, their questions coded as answers.
    (tmp_path / "KP91.txt").write_bytes(OTTER.encode())
    (tmp_path / "participants.csv").write_text(
        f"id,speaker,role,setting\nKP91,Dana Whitfield,{role},urban\nKP91,Marcus Bell,officer,urban\n"
    )
    out, _, _ = _ingest(
        runner,
        tmp_path,
        "--dry-run",
        str(tmp_path / "KP91.txt"),
        "--attributes",
        str(tmp_path / "participants.csv"),
    )
    assert {s["label"]: s["role"] for s in out["outcomes"][0]["speakers"]} == {
        "Marcus Bell": "participant",
        "Dana Whitfield": "interviewer",
    }


def test_a_transcripts_interviewer_column_names_its_interviewer(runner, tmp_path):
    # Marcus asks back more than Dana asks (she prompts without "?"): the turns alone took him for the
    # interviewer, with a review. The sheet's interviewer column, as a team's participant sheet has one,
    # tells; his questions are still said.
    asks_back = _asks_back(OTTER.replace("KP91", "KP94"))
    (tmp_path / "KP94.txt").write_bytes(asks_back.encode())
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "KP94.txt"))
    assert {s["label"]: s["role"] for s in out["outcomes"][0]["speakers"]} == {
        "Marcus Bell": "interviewer",
        "Dana Whitfield": "participant",
    }
    for cell in ("Dana Whitfield", '"Dana Whitfield, Sam Ortiz"', "Sam Ortiz; Dana Whitfield"):
        (tmp_path / "participants.csv").write_text(f"id,Interviewer,setting\nKP94,{cell},urban\n")
        out, _, _ = _ingest(
            runner,
            tmp_path,
            "--dry-run",
            str(tmp_path / "KP94.txt"),
            "--attributes",
            str(tmp_path / "participants.csv"),
        )
        (outcome,) = out["outcomes"]
        assert {s["label"]: (s["role"], s["reason"]) for s in outcome["speakers"]} == {
            "Marcus Bell": ("participant", "asks 4/7 questions, in all 4 of their turns"),
            "Dana Whitfield": ("interviewer", "named as an interviewer in the attributes CSV"),
        }, cell
        assert outcome["roles_reason"] == (
            '"Marcus Bell" also asks questions (4 of 4 turns) beside the interviewer "Dana Whitfield"'
        )


def _asks_back(text: str) -> str:
    """The interview with the participant asking back more than the interviewer asks (she prompts)."""
    return (
        text.replace("So tell me about your role.", "Tell me about your role.")
        .replace("What does a crisis call look like?", "Walk me through a crisis call.")
        .replace(
            "Mostly nights in the north district.", "Mostly nights in the north district. The whole history?"
        )
        .replace(
            "Otherwise it is on us, and that is hard.", "Otherwise it is on us. Have you ridden with us yet?"
        )
    )


def test_the_front_matters_interviewer_names_the_interviewer(runner, tmp_path):
    # The same interview typed in Markdown, front matter over `**Name:**` turns (as e2e_study/P08.md).
    turns = _asks_back(OTTER).split("\r\n\r\n")[2:-1]  # each `Name  0:01` over its text
    body = "\n\n".join(f"**{t.split('  ')[0]}:** {t.split(chr(13) + chr(10))[1]}" for t in turns)
    (tmp_path / "P95.md").write_text(
        f"---\nid: KP95\ninterviewer: Dana Whitfield\nsetting: urban\n---\n\n{body}\n"
    )
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "P95.md"))
    (outcome,) = out["outcomes"]
    assert len(outcome["segment_list"]) == 8
    assert {s["label"]: (s["role"], s["reason"]) for s in outcome["speakers"]} == {
        "Marcus Bell": ("participant", "asks 4/7 questions, in all 4 of their turns"),
        "Dana Whitfield": ("interviewer", "named as the interviewer in the front matter"),
    }


def test_a_focus_group_member_labelled_once_without_rank_is_that_member(runner, tmp_path):
    # A round of introductions, then "Diaz:" once: before, a fourth participant "Diaz" someone who
    # interrupts once, said as such; now Officer Diaz's turn, said once as a rank left off.
    (tmp_path / "FG1.txt").write_text(
        "Moderator: Welcome everyone. Let's go round the table. How long have you each been on patrol?\n\n"
        "Deputy Ruiz: Twelve years.\n\nOfficer Diaz: Seven.\n\nSgt. Okafor: Nineteen, God help me.\n\n"
        "Moderator: What happens when the clinician is not free?\n\n"
        "Officer Diaz: We handle it ourselves, and it is not great.\n\n"
        "Deputy Ruiz: Same out in the county. We are forty minutes from anyone.\n\n"
        "Diaz: And the ER will not take them without medical clearance.\n\n"
        "Moderator: Sergeant, anything to add?\n\nSgt. Okafor: Only that the training is eight hours, once.\n"
    )
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "FG1.txt"))
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["turns"]) for s in outcome["speakers"]} == {
        "Moderator": ("interviewer", 3),
        "Deputy Ruiz": ("participant", 2),
        "Officer Diaz": ("participant", 3),
        "Sgt. Okafor": ("participant", 2),
    }
    assert [(w["kind"], w["message"].split(": ", 2)[2][:27]) for w in outcome["warnings"]] == [
        ("renamed", '"Diaz" as "Officer Diaz" (s')
    ]


def test_zoom_cues_under_a_short_name_once_are_the_full_names_and_said_once(runner, tmp_path):
    # Zoom names each cue with the display name of that moment (tests/data/zoom_renamed_pronouns.vtt):
    # Marcus shortened his to "Marcus" for one answer. Before, a second participant; with the fold alone,
    # also said as "someone who speaks once".
    cues = [
        ("Dana Whitfield", "How long have you been on patrol?"),
        ("Marcus Bell", "Nine years, mostly nights."),
        ("Dana Whitfield", "What happens on a crisis call?"),
        ("Marcus Bell", "We wait for the clinician if one is free."),
        ("Dana Whitfield", "And at the ER?"),
        ("Marcus", "Six hours for medical clearance, sometimes more."),
        ("Dana Whitfield", "What would you change?"),
        ("Marcus Bell", "More clinicians on nights."),
    ]
    body = "".join(
        f"{i + 1}\n00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000\n{name}: {text}\n\n"
        for i, (name, text) in enumerate(cues)
    )
    (tmp_path / "P30.vtt").write_text(f"WEBVTT\n\n{body}")
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "P30.vtt"))
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["turns"]) for s in outcome["speakers"]} == {
        "Dana Whitfield": ("interviewer", 4),
        "Marcus Bell": ("participant", 4),
    }
    assert [w["kind"] for w in outcome["warnings"]] == ["renamed"]


@pytest.mark.parametrize(
    ("column", "value"),
    [("role", "investigator"), ("role", "Investigator"), ("job_role", "Research Assistant")],
)
def test_a_participants_job_in_the_sheet_does_not_make_them_the_interviewer(runner, tmp_path, column, value):
    # A police study's participants are detectives ("Investigator" is their title in many departments), a
    # hospital's a clinical research assistant (in a `job_role` column, not the study's role): read as a
    # research team's role, Marcus was made the interviewer and his answers went uncoded, without a word.
    (tmp_path / "KP91.txt").write_bytes(OTTER.encode())
    (tmp_path / "participants.csv").write_text(
        f"id,speaker,{column},setting\nKP91,Marcus Bell,{value},urban\n"
    )
    out, _, _ = _ingest(
        runner,
        tmp_path,
        "--dry-run",
        str(tmp_path / "KP91.txt"),
        "--attributes",
        str(tmp_path / "participants.csv"),
    )
    roles = {s["label"]: s["role"] for s in out["outcomes"][0]["speakers"]}
    assert roles["Marcus Bell"] == "participant"


# A pair interview: the clinician, Dr. Lee, and an officer whose first name is Lee, labelled so by a typist;
# each answers straight after the other, as two people do and one person does not.
PAIR = """Interviewer: Thanks to you both. How do calls usually reach you?

Dr. Lee: Mostly through dispatch. I ride with the unit three days a week.

Lee: And on the other days it is just us, so we call her cell if we can.

Interviewer: What happens when she cannot pick up?

Lee: Then we do what we can on scene and take them to the ER if it comes to that.

Dr. Lee: Which is what we are trying to avoid, honestly. The ER is the worst place for most of them.

Interviewer: Thank you both.
"""


def test_a_short_name_answering_straight_after_the_full_one_is_a_second_person(runner, tmp_path):
    # Before, "Lee" was read as "Dr. Lee" shortened: the officer's answers were the clinician's, N=1.
    (tmp_path / "P14.txt").write_text(PAIR)
    out, _, _ = _ingest(runner, tmp_path, "--dry-run", str(tmp_path / "P14.txt"))
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["turns"]) for s in outcome["speakers"]} == {
        "Interviewer": ("interviewer", 3),
        "Dr. Lee": ("participant", 2),
        "Lee": ("participant", 2),
    }
    assert "renamed" not in [w["kind"] for w in outcome["warnings"]]


def test_a_full_and_a_short_name_the_sheet_lists_as_two_speakers_stay_two(runner, tmp_path):
    # The team's sheet lists "Marcus" (the officer) and "Marcus Bell" (the clinician) as speakers of P15:
    # before, "Marcus" was read as "Marcus Bell" shortened, the officer's answers the clinician's, and the
    # sheet's row for him matched no speaker.
    text = DIAZ.replace("Officer Diaz:", "Marcus Bell:").replace("Diaz:", "Marcus:")
    (tmp_path / "P15.txt").write_text(text)
    (tmp_path / "participants.csv").write_text(
        "id,speaker,role\nP15,Marcus,officer\nP15,Marcus Bell,clinician\n"
    )
    out, stderr, _ = _ingest(
        runner,
        tmp_path,
        "--dry-run",
        str(tmp_path / "P15.txt"),
        "--attributes",
        str(tmp_path / "participants.csv"),
    )
    (outcome,) = out["outcomes"]
    assert {s["label"]: (s["role"], s["turns"]) for s in outcome["speakers"]} == {
        "Interviewer": ("interviewer", 4),
        "Marcus Bell": ("participant", 2),
        "Marcus": ("participant", 2),
    }
    assert "renamed" not in [w["kind"] for w in outcome["warnings"]]
    assert "has no speaker" not in stderr
