"""An interpreter in the interview (`Interpreter:`, `Translator 2:`, `Intérprete:`): they voice both the
interviewer and the participant, so they are neither. Taken for a participant, they were counted as a second
person interviewed, and the participant's words they render were that second person's."""

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


@pytest.mark.parametrize("interpreter", ["Interpreter", "Intérprete", "TRANSLATOR 2", "Traductora"])
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
    path = make_transcript(INTERPRETED.format(interviewer="Dana Whitfield", interpreter="Interpreter"), "p08.txt")
    t = parse_transcript(path, interviewer_labels=["Dana Whitfield"])
    assert {s.label: s.role for s in t.speakers}["Interpreter"] == REVIEW
    assert t.roles == REVIEW_STATUS


def test_set_as_other_the_interpreter_is_no_participant_counted(runner, tmp_path):
    (tmp_path / "p08.txt").write_text(
        INTERPRETED.format(interviewer="Dana Whitfield", interpreter="Interpreter"), encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", str(tmp_path / "p08.txt"), "--db", db, "--allow-pii"], catch_exceptions=False)
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", db], catch_exceptions=False).stdout
    )
    assert listed[0]["roles"] == "review"
    result = runner.invoke(app, ["transcripts", "roles", "p08", "--other", "Interpreter", "--db", db])
    assert result.exit_code == 0, result.stderr
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--format", "json", "--db", db], catch_exceptions=False).stdout
    )
    assert (listed[0]["roles"], listed[0]["participant_segments"], listed[0]["other_speakers"]) == ("given", 2, 1)
