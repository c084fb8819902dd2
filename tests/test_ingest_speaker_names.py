"""One speaker under two forms of a name, and two people whose names share a word.

A surname with a particle (`De La Cruz`, `van der Berg`, `al-Farsi`) is shortened whole only: `De La Cruz`
or `de la Cruz` beside `Maria De La Cruz` is her, but `Cruz` may be someone else (José Cruz), so it stays
a speaker of its own, said in a `surname_part` warning. One name written two ways (`O’Neil` and `O'Neil`,
`Sgt. Ramos` and `Sergeant Ramos`) is one speaker, and each form heard once is no longer text of the turn
before. Before, `Cruz` was folded into `Maria De La Cruz` (or into `José Cruz`), `de la Cruz` and
`Van Der Berg` were two people, `O’Neil` beside `Sean O'Neil` counted twice, and `Sgt. Ramos:` and
`Sergeant Ramos:` heard once each were text of the interviewer's question.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wei_qual.cli import app
from wei_qual.ingest import parse_transcript
from wei_qual.ingest.roles import titled_labels
from wei_qual.models import PARTICIPANT
from wei_qual.store import open_db
from wei_qual.store.transcripts import iter_speakers

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("labels", "read"),
    [
        # The surname whole, its particles in any case: the same person.
        (["Maria de la Cruz", "De La Cruz"], {"De La Cruz": "Maria de la Cruz"}),
        (["Officer De La Cruz", "de la Cruz"], {"de la Cruz": "Officer De La Cruz"}),
        (["Pieter van der Berg", "Van Der Berg"], {"Van Der Berg": "Pieter van der Berg"}),
        (["Omar al-Farsi", "Al-Farsi"], {"Al-Farsi": "Omar al-Farsi"}),
        (["Luiz da Silva", "Da Silva"], {"Da Silva": "Luiz da Silva"}),
        # The given names, one or two: the same person.
        (["Mary Ann Lopez", "Mary Ann"], {"Mary Ann": "Mary Ann Lopez"}),
        (["Maria De La Cruz", "Maria"], {"Maria": "Maria De La Cruz"}),
        # One name written two ways: the first heard.
        (["Sean O'Neil", "O’Neil"], {"O’Neil": "Sean O'Neil"}),
        (["Officer O’Neil", "Officer O'Neil"], {"Officer O'Neil": "Officer O’Neil"}),
        (
            ["Sgt. Ramos", "Sergeant Ramos", "Ramos"],
            {"Sergeant Ramos": "Sgt. Ramos", "Ramos": "Sgt. Ramos"},
        ),
        # The last words of a particle surname: maybe someone else, left as typed.
        (["Maria De La Cruz", "Cruz"], {}),
        (["Maria De La Cruz", "La Cruz"], {}),
        (["Pieter van der Berg", "Berg"], {}),
        (["Ali bin Hassan", "Hassan"], {}),
        (["Nguyen Van An", "An"], {}),  # `Van` a Vietnamese middle name, or a particle: no telling
        (["MARIA DE LA CRUZ", "CRUZ"], {}),
        # `Cruz` is José Cruz's surname and the end of Maria De La Cruz's: two it may shorten.
        (["José Cruz", "Maria De La Cruz", "Cruz"], {}),
        (["Maria De La Cruz", "De"], {}),
    ],
)
def test_a_surname_with_a_particle_is_shortened_whole_only(labels, read):
    assert titled_labels(labels) == read


# An officer whose label a typist shortened to the last word of her surname, a turn apart.
CRUZ = """\
Interviewer: Thanks for sitting down with me. How long have you been with the department?
Maria De La Cruz: About eleven years now. I started on patrol and moved to the co-responder unit in 2019.
Interviewer: What does a typical crisis call look like for you?
Maria De La Cruz: Usually dispatch flags it as a welfare check, and it's somebody in a mental health crisis.
Interviewer: And how do you decide where to take them?
{short}: It depends on whether the CSU will take them. If they've been violent, the CSU often won't.
Interviewer: What happens then?
{short}: Then honestly it's jail or the ER, and the ER wait can be eight hours.
"""


def test_the_last_word_of_a_particle_surname_is_no_fold_but_said(make_transcript):
    t = parse_transcript(make_transcript(CRUZ.format(short="Cruz"), "P07.txt"))
    assert [s.label for s in t.speakers] == ["Interviewer", "Maria De La Cruz", "Cruz"]
    (said,) = [w for w in t.warnings if w.kind == "surname_part"]
    assert said.message.startswith(
        "P07: a label that is the last word(s) of another's surname, not read as the same speaker"
    )
    assert '"Cruz" beside "Maria De La Cruz"' in said.message
    assert "wei-qual transcripts relabel P07 --segment N --speaker NAME" in said.message
    assert "jail" not in said.message  # no transcript text


@pytest.mark.parametrize("short", ["De La Cruz", "de la Cruz"])
def test_the_particle_surname_whole_is_the_same_speaker(make_transcript, short):
    t = parse_transcript(make_transcript(CRUZ.format(short=short), "P07.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 4),
        ("Maria De La Cruz", PARTICIPANT, 4),
    ]
    assert [w.kind for w in t.warnings] == ["renamed"]


# A sergeant labelled three ways by a typist: each of the first two forms is heard once.
SERGEANT = """\
Interviewer: Can you introduce yourself and your assignment?
Sgt. Ramos: I supervise the night shift in the east district.
Interviewer: How are mental health calls handled on your shift?
Sergeant Ramos: We try to send a CIT officer, but half the time there isn't one available.
Interviewer: What happens when there's no CIT officer?
Ramos: Whoever is closest takes it, and then they call me if it goes sideways.
Interviewer: How often does it go sideways?
Ramos: More than I'd like. Maybe once a week on a bad month.
"""


def test_a_rank_written_short_and_in_full_and_left_off_is_one_speaker(make_transcript):
    t = parse_transcript(make_transcript(SERGEANT, "P21.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 4),
        ("Sgt. Ramos", PARTICIPANT, 4),
    ]
    assert [s.text for s in t.segments][1] == "I supervise the night shift in the east district."
    messages = [w.message for w in t.warnings if w.kind == "renamed"]
    assert len(messages) == 2
    assert (
        'one name written two ways (an apostrophe, a particle\'s capital, a title written short) read as one speaker, under the form heard first: "Sergeant Ramos" as "Sgt. Ramos" (segment 4)'
        in messages[1]
    )
    assert '"Ramos" as "Sgt. Ramos" (segments 6, 8)' in messages[0]
    assert not [w for w in t.warnings if w.kind == "missed_labels"]  # no line said as text


def test_a_curly_and_a_straight_apostrophe_are_one_speaker(make_transcript):
    # Word's AutoCorrect curls the apostrophe in the labels typed in Word, not in those pasted in.
    text = """\
    Interviewer: How long have you worked with the crisis team?
    Sean O’Neil: Six years. I was a paramedic before that.
    Interviewer: What changed when the clinicians started riding along?
    Sean O'Neil: The calls got shorter, honestly. People calm down when it's not just a uniform.
    Interviewer: Anything that didn't work?
    Sean O’Neil: Nights. There was nobody after ten.
    """
    t = parse_transcript(make_transcript(text, "P03.txt"))
    assert [(s.label, s.turns) for s in t.speakers] == [("Interviewer", 3), ("Sean O’Neil", 3)]
    assert [w.kind for w in t.warnings] == ["renamed"]


def test_two_officers_whose_names_share_a_word_stay_two(make_transcript):
    # A pair interview: José Cruz and Maria De La Cruz, and a typist's `Cruz` that may be either.
    text = """\
    Interviewer: Thanks to you both. How long have you two been partners?
    José Cruz: Three years this spring.
    Maria De La Cruz: Three and a half, he always forgets the winter.
    Interviewer: What's the hardest kind of crisis call for you?
    Cruz: Juveniles. Every time.
    Maria De La Cruz: For me it's the ones we've been to five times already.
    Interviewer: What would help with those?
    José Cruz: Follow-up. Somebody who goes back the next day.
    Cruz: And a number we can call that someone picks up.
    """
    t = parse_transcript(make_transcript(text, "P09.txt"))
    assert [s.label for s in t.speakers] == ["Interviewer", "José Cruz", "Maria De La Cruz", "Cruz"]
    assert not [w for w in t.warnings if w.kind == "renamed"]
    assert [w.kind for w in t.warnings if w.kind == "surname_part"] == ["surname_part"]  # maybe Maria's


def test_the_cli_says_it_on_stderr_and_in_the_json_and_a_relabel_settles_it(runner, tmp_path):
    path = tmp_path / "P07.txt"
    path.write_text(CRUZ.format(short="Cruz"), encoding="utf-8")
    db = tmp_path / "study.db"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    assert "Warning: P07: a label that is the last word(s) of another's surname" in result.stderr
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"]).stdout
    )
    assert "surname_part" in [w["kind"] for w in listed[0]["warnings"]]
    # The team says they are one: the warning goes with the second label.
    relabel = runner.invoke(
        app,
        ["transcripts", "relabel", "P07", "--segment", "6", "--segment", "8", "--speaker", "Maria De La Cruz"]
        + ["--db", str(db)],
    )
    assert relabel.exit_code == 0, relabel.stderr
    listed = json.loads(
        runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"]).stdout
    )
    assert "surname_part" not in [w["kind"] for w in listed[0]["warnings"]]
    assert listed[0]["participants"] == 1


def test_an_interviewer_labelled_by_role_and_then_by_name_is_one_interviewer(make_transcript):
    # The typist labels the first turns `Interviewer (Dr. Kim):`, then only `Dr. Kim:`. Before, "Dr. Kim"
    # was a second participant, the interview counted 2, and the questions under it were coded.
    text = """\
    Interviewer (Dr. Kim): Thank you for joining. Can you tell me about your role at the crisis center?
    Participant: I'm a licensed clinical social worker. I do mobile crisis response with the sheriff's office.
    Interviewer (Dr. Kim): How often do you ride along with deputies?
    Participant: Three shifts a week, usually evenings.
    Dr. Kim: What's the hardest part of those calls?
    Participant: When the deputy arrives first and the person is already escalated.
    Dr. Kim: What would help you most?
    Participant: A dedicated line from dispatch to us, so we hear about the call at the same time.
    """
    t = parse_transcript(make_transcript(text, "P31.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer (Dr. Kim)", "interviewer", 4),
        ("Participant", PARTICIPANT, 4),
    ]
    assert t.roles == "inferred"
    (said,) = [w.message for w in t.warnings]
    assert '"Dr. Kim" as "Interviewer (Dr. Kim)" (segments 5, 7)' in said


@pytest.mark.parametrize(
    ("labels", "read"),
    [
        (["Participant (Officer Ramos)", "Interviewer", "Ramos"], {"Ramos": "Participant (Officer Ramos)"}),
        (
            ["Interviewer (Dr. Kim)", "Dr. Kim", "Kim"],
            {"Dr. Kim": "Interviewer (Dr. Kim)", "Kim": "Interviewer (Dr. Kim)"},
        ),
        (["Interviewer 1 (Dana)", "Interviewer 2 (Dana)", "Dana"], {}),  # which one: no telling
        (["Interviewer", "Participant (P1)", "P1"], {}),  # a role label is nobody's name
        (["Officer Diaz (Guest)", "Diaz"], {}),  # a name with a note, not a role: as before
    ],
)
def test_a_name_in_a_role_labels_note(labels, read):
    assert titled_labels(labels) == read


def test_a_clinician_nicknamed_officer_and_an_officer_stay_two(make_transcript):
    # `Officer` is the co-responder clinician's nickname, `Officer Diaz` the deputy: a title alone is no
    # short form of anyone's name.
    text = """\
    Interviewer: Thanks to you both for doing this together. How did the co-responder team start?
    Officer Diaz: The sheriff got a grant in 2021 and asked for volunteers.
    Officer: And I was the clinician they hired. Everyone calls me Officer now, it stuck the first week.
    Interviewer: What does a shift look like for the two of you?
    Officer Diaz: We start at the substation, go over the calls from the night before.
    Officer: Then we do follow-ups, people we saw last week, before the new calls come in.
    Interviewer: What's been hardest?
    Officer: Nights. We're not funded for nights.
    Officer Diaz: Yeah, and that's when the worst calls come.
    """
    t = parse_transcript(make_transcript(text, "P36.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 3),
        ("Officer Diaz", PARTICIPANT, 3),
        ("Officer", PARTICIPANT, 3),
    ]
    assert not t.warnings


# Two researchers who interview an officer by name, no role labels; and one interviewer whose Zoom name
# changes from her phone's to her own when she moves to her laptop.
TWO_NAMED = """\
Dana Whitfield: Thanks for meeting with us, Officer. I'm Dana and this is Jordan, we'll both ask questions. How long have you been on patrol?
Officer Ramos: Fourteen years.
Jordan Lee: What share of your calls involve mental health?
Officer Ramos: A third, easily. More on nights.
Dana Whitfield: What training have you had?
Officer Ramos: CIT, forty hours, in 2016.
Jordan Lee: Would a co-responder help?
Officer Ramos: Absolutely. We had one on a grant for six months.
Dana Whitfield: What happened when the grant ended?
Officer Ramos: It just stopped. Nobody picked it up.
"""
RENAMED_MID_CALL = """\
iPhone: Okay, I think we're recording now. Can you hear me alright?
Officer Ramos: Yes, loud and clear.
iPhone: Great. So to start, how long have you been an officer?
Officer Ramos: Going on fourteen years. Eight of those as a sergeant.
Dana Whitfield: Sorry, I switched to my laptop. Where were we, what kinds of calls take most of your time?
Officer Ramos: Mental health calls, easily. Probably a third of our volume, more on nights.
Dana Whitfield: What training have you had for those calls?
Officer Ramos: CIT, forty hours, back in 2016. Nothing since, really.
Dana Whitfield: Would a co-responder help?
Officer Ramos: Absolutely. We had one for six months on a grant and it was the best thing we've done.
"""


@pytest.mark.parametrize(
    ("text", "asking"),
    [(TWO_NAMED, ["Dana Whitfield", "Jordan Lee"]), (RENAMED_MID_CALL, ["iPhone", "Dana Whitfield"])],
)
def test_an_interviewer_introducing_herself_or_her_laptop_tells_no_experience(make_transcript, text, asking):
    # Before, "I'm Dana and this is Jordan" and "I switched to my laptop" were read as the interviewer
    # telling her own experience: roles to review, "a second participant asking their partner".
    t = parse_transcript(make_transcript(text, "P32.txt"))
    roles = {s.label: s.role for s in t.speakers}
    assert roles == {asking[0]: "interviewer", "Officer Ramos": PARTICIPANT, asking[1]: "interviewer"}
    assert t.roles == "inferred"
    # The one interviewer under her phone's name and then her own is said (renamed_interviewer), as two
    # interviewers who take turns by name are not.
    assert [w.kind for w in t.warnings] == ([] if text is TWO_NAMED else ["renamed_interviewer"])


def test_a_role_in_a_names_note_is_kept_when_the_note_is_dropped(make_transcript):
    # The interpreter is `Ana Ruiz (interpreter)` for two turns, then `Ana Ruiz`. Before, both were read as
    # the bare name, the interpreter's role with the note: she was a second participant, her renderings of
    # the interviewer's questions coded as a participant's words.
    text = """\
    Interviewer: Gracias por venir. Can you tell me what happened when the officers arrived?
    Ana Ruiz (interpreter): ¿Puede contarme qué pasó cuando llegaron los oficiales?
    Mrs. Alvarez: Llegaron dos. Uno habló con mi hija con calma.
    Ana Ruiz (interpreter): Two came. One spoke with my daughter calmly.
    Interviewer: And the other officer?
    Ana Ruiz: ¿Y el otro oficial?
    Mrs. Alvarez: El otro se quedó afuera, en la patrulla.
    Ana Ruiz: The other stayed outside in the patrol car.
    """
    t = parse_transcript(make_transcript(text, "P39.txt"))
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        ("Interviewer", "interviewer", 2),
        ("Ana Ruiz (interpreter)", "review", 4),
        ("Mrs. Alvarez", PARTICIPANT, 2),
    ]
    (renamed,) = [w.message for w in t.warnings if w.kind == "renamed"]
    assert renamed.startswith("P39: a name and the same name with a note in parentheses added or dropped")
    assert '"Ana Ruiz" as "Ana Ruiz (interpreter)" (segments 6, 8)' in renamed


def test_a_pronoun_note_still_folds_into_the_bare_name(make_transcript):
    text = """\
    Dana Whitfield: Thanks for joining. How long have you been on patrol?
    Marcus Bell: Nine years, all of it nights.
    Dana Whitfield (she/her): What kinds of calls take most of your time?
    Marcus Bell: Mental health, by far. Welfare checks that turn into something else.
    Dana Whitfield (she/her): What happens when the crisis unit is full?
    Marcus Bell: We sit in the ER. Sometimes six hours.
    Dana Whitfield: Does anyone relieve you?
    Marcus Bell: Not usually.
    """
    t = parse_transcript(make_transcript(text, "P40.txt"))
    assert [(s.label, s.turns) for s in t.speakers] == [("Dana Whitfield", 4), ("Marcus Bell", 4)]


@pytest.mark.parametrize("note", ["she/her", "she / they", "any pronouns", "Interviewer"])
def test_a_display_name_heard_once_before_its_noted_form_is_a_label(make_transcript, note):
    # A Zoom transcript pasted into a text file: Dana set her pronouns after her first question. `Dana
    # Whitfield:` heard once was text above the first label (unlabelled_text and missed_labels), and
    # the question it asked no one's.
    text = f"""\
    Dana Whitfield: Thanks for making time today. Could you start by telling me about your role with the county?
    Marcus Bell: Sure. I'm a patrol deputy, about nine years now, and on the crisis team for four.
    Dana Whitfield ({note}): What does a typical crisis call look like for you?
    Marcus Bell: Usually dispatch flags it as a welfare check. Family calls because someone stopped eating.
    Dana Whitfield ({note}): And how do you decide where to take someone?
    Marcus Bell: It depends on whether the crisis unit will take them. If they've been violent, it won't.
    Dana Whitfield ({note}): What happens then?
    Marcus Bell: Then honestly it's jail or the ER, and the ER wait can be eight hours.
    """
    t = parse_transcript(make_transcript(text, "P12.txt"))
    label = "Dana Whitfield" if note != "Interviewer" else "Dana Whitfield (Interviewer)"
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        (label, "interviewer", 4),
        ("Marcus Bell", PARTICIPANT, 4),
    ]
    assert t.segments[0].speaker == label
    assert t.segments[0].text.startswith("Thanks for making time today.")
    assert [w.kind for w in t.warnings] == ["renamed"]


def test_a_note_of_what_a_speaker_did_makes_no_label_of_a_name_heard_once(make_transcript):
    # `(laughing)` is no display name's note: a line that opens `Sgt Okafor (laughing):` once and one
    # that opens `Sgt Okafor:` once stay text, as any name heard once does.
    text = """\
    Interviewer: How do crisis calls reach you?
    P07: Mostly through dispatch. The sergeant put it best at roll call.
    Sgt Okafor (laughing): That's the official answer, he said.
    P07: And then the next week, the same thing.
    Sgt Okafor: Nobody calls dispatch twice, he told us.
    Interviewer: And after that?
    P07: We try a warm handoff.
    """
    t = parse_transcript(make_transcript(text, "P13.txt"))
    assert [s.label for s in t.speakers] == ["Interviewer", "P07"]


def test_a_participant_with_the_interviewers_surname_is_not_folded_into_her(make_transcript):
    # Dr. Kim interviews Officer Kim, labelled `Kim`: they answer one another, so they are two people.
    text = """\
    Interviewer (Dr. Kim): Thanks for joining. How long have you been with the department?
    Kim: Seven years, the last two on the crisis team.
    Interviewer (Dr. Kim): What does the crisis team do differently?
    Kim: We slow down. We take the time a regular unit can't.
    """
    t = parse_transcript(make_transcript(text, "P41.txt"))
    assert [(s.label, s.role) for s in t.speakers] == [
        ("Interviewer (Dr. Kim)", "interviewer"),
        ("Kim", PARTICIPANT),
    ]


def test_two_the_attributes_csv_lists_as_speakers_are_not_said_to_be_maybe_one(runner, tmp_path):
    # A pair interview: Officer Maria De La Cruz and the clinician riding with her, whose surname is Cruz.
    # The team's sheet lists both as speakers of P07, so "Cruz" beside "Maria De La Cruz" is not in doubt:
    # the surname_part warning still asked the team whether they were one person, on every roles change too.
    path = tmp_path / "P07.txt"
    path.write_text(CRUZ.format(short="Cruz"), encoding="utf-8")
    sheet = tmp_path / "participants.csv"
    sheet.write_text("id,speaker,role\nP07,Maria De La Cruz,officer\nP07,Cruz,clinician\n", encoding="utf-8")
    db = tmp_path / "study.db"
    result = runner.invoke(
        app, ["ingest", str(path), "--attributes", str(sheet), "--db", str(db), "--allow-pii"]
    )
    assert result.exit_code == 0, result.stderr
    assert "surname" not in result.stderr

    def kinds() -> list[str]:
        listed = runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"])
        return [w["kind"] for w in json.loads(listed.stdout)[0]["warnings"]]

    assert "surname_part" not in kinds()
    assert (
        json.loads(runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"]).stdout)[
            0
        ]["participants"]
        == 2
    )
    # Role warnings are worked out again on a correction: the sheet still settles it.
    roles = runner.invoke(app, ["transcripts", "roles", "P07", "--participant", "Cruz", "--db", str(db)])
    assert roles.exit_code == 0, roles.stderr
    assert "surname_part" not in kinds()
    relabel = runner.invoke(
        app, ["transcripts", "relabel", "P07", "--segment", "8", "--speaker", "Cruz", "--db", str(db)]
    )
    assert relabel.exit_code == 0, relabel.stderr
    assert "surname_part" not in kinds()


# A Zoom transcript: the interviewer joined from her phone (`iPhone`) and moved to her laptop, where Zoom
# names her `Dana Whitfield`. The roles were right, but the transcript listed two interviewers for one
# person, without a word.
RENAMED_INTERVIEWER = DATA / "zoom_interviewer_renamed.vtt"


@pytest.mark.parametrize("device", ["iPhone", "Dana's iPhone", "Galaxy S21", "Zoom user"])
def test_an_interviewer_on_a_device_then_under_her_name_is_said_to_be_maybe_one(tmp_path, device):
    path = tmp_path / "P14.vtt"
    path.write_text(
        RENAMED_INTERVIEWER.read_text(encoding="utf-8").replace("\niPhone: ", f"\n{device}: "),
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert [(s.label, s.role, s.turns) for s in t.speakers] == [
        (device, "interviewer", 3),
        ("Marcus Bell", PARTICIPANT, 7),
        ("Dana Whitfield", "interviewer", 4),
    ]
    (said,) = [w.message for w in t.warnings if w.kind == "renamed_interviewer"]
    assert said.startswith(f"P14: the interviewers \"{device}\" (a device's or a meeting account's name")
    assert "wei-qual transcripts relabel P14 --segment 1,3,5 --speaker 'Dana Whitfield'" in said


def test_two_interviewers_with_names_who_take_turns_are_not_said_to_be_one(tmp_path):
    # Dr. Kim opens and hands over to Ken Ito: two people's names, never a device's.
    path = tmp_path / "P15.vtt"
    path.write_text(
        RENAMED_INTERVIEWER.read_text(encoding="utf-8")
        .replace("\niPhone: ", "\nDr. Kim: ")
        .replace("\nDana Whitfield: ", "\nKen Ito: "),
        encoding="utf-8",
    )
    t = parse_transcript(path)
    assert [s.role for s in t.speakers] == ["interviewer", PARTICIPANT, "interviewer"]
    assert "renamed_interviewer" not in [w.kind for w in t.warnings]


def test_the_cli_says_the_renamed_interviewer_and_the_relabel_it_gives_settles_it(runner, tmp_path):
    db = tmp_path / "study.db"
    result = runner.invoke(app, ["ingest", str(RENAMED_INTERVIEWER), "--db", str(db), "--allow-pii"])
    assert result.exit_code == 0, result.stderr
    assert 'Warning: zoom_interviewer_renamed: the interviewers "iPhone"' in result.stderr

    def listed() -> dict:
        out = runner.invoke(app, ["transcripts", "list", "--db", str(db), "--format", "json"]).stdout
        return json.loads(out)[0]

    assert "renamed_interviewer" in [w["kind"] for w in listed()["warnings"]]
    relabel = runner.invoke(
        app,
        [
            "transcripts",
            "relabel",
            "zoom_interviewer_renamed",
            "--segment",
            "1,3,5",
            "--speaker",
            "Dana Whitfield",
        ]
        + ["--db", str(db)],
    )
    assert relabel.exit_code == 0, relabel.stderr
    after = listed()
    assert "renamed_interviewer" not in [w["kind"] for w in after["warnings"]]
    speakers = [s.label for s in iter_speakers(open_db(db, create=False), "zoom_interviewer_renamed")]
    assert sorted(speakers) == ["Dana Whitfield", "Marcus Bell"]
