"""An interpreter in the interview (`Interpreter:`, `Translator 2:`, `Intérprete:`): they voice both the
interviewer and the participant, so they are neither. Taken for a participant, they were counted as a second
person interviewed, and the participant's words they render were that second person's. And a participant
who shares the name of an interviewer the project remembers."""

from __future__ import annotations

import json

import pytest

from wei_qual.cli import app
from wei_qual.ingest import parse_transcript
from wei_qual.models import INTERVIEWER, PARTICIPANT, REVIEW
from wei_qual.models import ROLES_REVIEW as REVIEW_STATUS

# A Spanish-speaking community health worker, interviewed in English through an interpreter; the
# interviewer's label is her name, so who asks is worked out from the turns.
INTERPRETED = """\
{interviewer}: Thank you for meeting with us. Can you describe your work?

{interpreter}: Gracias por reunirse con nosotros. ¿Puede describir su trabajo?

Rosa: Trabajo como promotora de salud en la clínica comunitaria.

{interpreter}: I work as a community health worker at the community clinic.

{interviewer}: How often do you work with the police?

{interpreter}: ¿Con qué frecuencia trabaja con la policía?

Rosa: Casi cada semana, cuando hay una crisis en la familia.

{interpreter}: Almost every week, when there is a crisis in the family.
"""


@pytest.mark.parametrize(
    "interpreter", ["Interpreter", "Intérprete", "TRANSLATOR 2", "Traductora", "Ana Ruiz (Interpreter)"]
)
@pytest.mark.parametrize("interviewer", ["Dana Whitfield", "Interviewer"])
def test_an_interpreter_is_left_to_review_and_the_interviewer_still_found(
    make_transcript, interviewer, interpreter
):
    t = parse_transcript(
        make_transcript(INTERPRETED.format(interviewer=interviewer, interpreter=interpreter), "p08.txt")
    )
    assert {s.label: s.role for s in t.speakers} == {
        interviewer: INTERVIEWER,
        interpreter: REVIEW,
        "Rosa": PARTICIPANT,
    }
    assert t.roles == REVIEW_STATUS
    assert t.roles_reason.startswith(f'"{interpreter}" is an interpreter, voicing both sides')
    assert [s.role for s in t.segments if s.speaker == interpreter] == [REVIEW] * 4


def test_given_interviewer_labels_do_not_make_the_interpreter_a_participant(make_transcript):
    path = make_transcript(
        INTERPRETED.format(interviewer="Dana Whitfield", interpreter="Interpreter"), "p08.txt"
    )
    t = parse_transcript(path, interviewer_labels=["Dana Whitfield"])
    assert {s.label: s.role for s in t.speakers}["Interpreter"] == REVIEW
    assert t.roles == REVIEW_STATUS


def test_set_as_other_the_interpreter_is_no_participant_counted(runner, tmp_path):
    (tmp_path / "p08.txt").write_text(
        INTERPRETED.format(interviewer="Dana Whitfield", interpreter="Interpreter"), encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    runner.invoke(
        app, ["ingest", str(tmp_path / "p08.txt"), "--db", db, "--allow-pii"], catch_exceptions=False
    )
    listed = json.loads(
        runner.invoke(
            app, ["transcripts", "list", "--format", "json", "--db", db], catch_exceptions=False
        ).stdout
    )
    assert listed[0]["roles"] == "review"
    result = runner.invoke(app, ["transcripts", "roles", "p08", "--other", "Interpreter", "--db", db])
    assert result.exit_code == 0, result.stderr
    listed = json.loads(
        runner.invoke(
            app, ["transcripts", "list", "--format", "json", "--db", db], catch_exceptions=False
        ).stdout
    )
    assert (listed[0]["roles"], listed[0]["participant_segments"], listed[0]["other_speakers"]) == (
        "given",
        2,
        1,
    )


def test_a_participant_who_shares_a_remembered_interviewers_name_is_left_to_the_turns():
    # The project remembers "Dana" (set with --interviewer on an earlier file); here the counsellor
    # interviewed is another Dana, and the interviewer is labelled by surname. Dana was taken for the
    # interviewer (and Whitfield, who asks every question, for a participant).
    from wei_qual.ingest.roles import DEFAULT_INTERVIEWER_LABELS, infer_roles

    class Turn:
        def __init__(self, speaker, text):
            self.speaker, self.text = speaker, text

    turns = [
        Turn("Whitfield", "Thanks for meeting with me. What's your role at the unit?"),
        Turn("Dana", "I'm a crisis counselor. Mostly nights, sometimes weekends when we're short."),
        Turn("Whitfield", "How do officers bring people in?"),
        Turn("Dana", "Through the side door. They call ahead and we meet them there."),
        Turn("Whitfield", "And when you're full?"),
        Turn("Dana", "We send them to the ER, unfortunately."),
    ]
    result = infer_roles(turns, "b02", known_interviewers=(*DEFAULT_INTERVIEWER_LABELS, "Dana"))
    assert {s.label: s.role for s in result.speakers} == {"Whitfield": INTERVIEWER, "Dana": PARTICIPANT}
    assert result.status == REVIEW_STATUS
    assert result.reason.startswith('"Dana" is a name this project remembers as an interviewer, but asks no')
    # Where Dana asks, as the interviewer does, the remembered name still decides.
    asking = [Turn(t.speaker, t.text if t.speaker == "Whitfield" else "Sure. And you?") for t in turns]
    swapped = [Turn("Dana" if t.speaker == "Whitfield" else "Whitfield", t.text) for t in asking]
    result = infer_roles(swapped, "b02", known_interviewers=(*DEFAULT_INTERVIEWER_LABELS, "Dana"))
    assert {s.label: s.role for s in result.speakers}["Dana"] == INTERVIEWER


# The interpreter named only on the cover sheet, then labelled by name in the turns.
COVERED = """\
Crisis Response Study - Interview Transcript
Date of interview: 12 March 2024
Interviewer: Maya Lindqvist
Participant ID: P08
Interpreter: Ana Ruiz
Location: Zoom (video)

""" + INTERPRETED.format(interviewer="Maya Lindqvist", interpreter="Ana Ruiz")


@pytest.mark.parametrize("given", [None, ["Maya Lindqvist"]])
def test_an_interpreter_named_on_the_cover_is_left_to_review(make_transcript, given):
    # Taken for a second participant, "Ana Ruiz" doubled the participants and her English was coded as hers.
    t = parse_transcript(make_transcript(COVERED, "p08.txt"), interviewer_labels=given)
    assert {s.label: s.role for s in t.speakers} == {
        "Maya Lindqvist": INTERVIEWER,
        "Ana Ruiz": REVIEW,
        "Rosa": PARTICIPANT,
    }
    assert {s.label: s.reason for s in t.speakers}["Ana Ruiz"].startswith("named as interpreter on the cover")
    assert t.roles == REVIEW_STATUS
    assert t.roles_reason.startswith('"Ana Ruiz" is an interpreter, voicing both sides')


@pytest.mark.parametrize("choice", ["--other", "--participant"])
def test_what_the_interpreter_message_says_each_choice_counts_is_what_it_counts(runner, tmp_path, choice):
    # The message said only "--participant codes them, as a participant of their own": now it gives the
    # counts, and they are the ones the project then reads.
    (tmp_path / "p08.txt").write_text(
        INTERPRETED.format(interviewer="Dana Whitfield", interpreter="Interpreter"), encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    ingested = runner.invoke(
        app, ["ingest", str(tmp_path / "p08.txt"), "--db", db, "--allow-pii", "--format", "json"]
    )
    reason = json.loads(ingested.stdout)["outcomes"][0]["roles_reason"]
    assert (
        "--other keeps their turns as context, never coded, and the interview counts 1 participant; "
        "--participant makes the interpreter's 4 turns coding and agreement units (those rendering the "
        "interviewer's questions too), as a participant of their own: the interview counts 2 participants"
    ) in reason
    set_ = runner.invoke(app, ["transcripts", "roles", "p08", choice, "Interpreter", "--db", db])
    assert set_.exit_code == 0, set_.stderr
    listed = json.loads(runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", db]).stdout)
    expected = {"--other": (1, 2), "--participant": (2, 6)}[choice]
    assert (listed[0]["participants"], listed[0]["participant_segments"]) == expected
    said = " ".join(set_.stderr.split())
    assert ("p08 counts 2 participants in agreement" in said) == (choice == "--participant")
