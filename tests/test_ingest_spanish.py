"""Transcripts of Spanish-speaking participants: the cover's keys and the role labels read as English ones do.

Before, `Entrevistador:`, `Fecha:`, `Lugar:`, `Duración:` over the turns were one `review` segment (the
whole transcript's roles `review`), `Entrevistadora:` an interviewer only when she asked more, and
`E:` / `P:` left to who asked.
"""

from __future__ import annotations

import unicodedata

import pytest
from docx import Document

from wei_qual.ingest import parse_transcript


def fold(text: str) -> str:
    """The text without its accents, as typed on a keyboard without them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


TURNS = [
    "Entrevistadora: Gracias por participar. ¿Puede describir su trabajo en el equipo?",
    "P14: Trabajo como consejera en el equipo de respuesta. Vamos con la policía a las llamadas de crisis.",
    "Entrevistadora: ¿Qué pasa cuando llegan?",
    "P14: Primero hablamos con la persona. Después decidimos si necesita ir a la unidad.",
]


def _cover(accents: bool, upper: bool) -> list[str]:
    lines = [
        "Transcripción",
        "",
        "Entrevistador: Dana Whitfield",
        "Entrevistado/a: P14",
        "Fecha: 12 de marzo de 2024",
        "Lugar: Unidad de crisis, Condado Norte",
        "Duración: 48 min",
        "",
    ]
    if not accents:  # typed on a keyboard without them
        lines = [fold(line) for line in lines]
    if upper:
        lines = [
            line.split(":")[0].upper() + ":" + line.split(":", 1)[1] if ":" in line else line.upper()
            for line in lines
        ]
    return lines


@pytest.mark.parametrize("accents", [True, False])
@pytest.mark.parametrize("upper", [False, True])
def test_a_spanish_cover_is_left_out_and_its_date_kept(tmp_path, accents, upper):
    # Word's "Save as Plain Text": a BOM, CRLF line ends.
    path = tmp_path / "P14.txt"
    path.write_bytes(("\ufeff" + "\r\n".join([*_cover(accents, upper), *TURNS]) + "\r\n").encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Entrevistadora", "interviewer"),
        ("P14", "participant"),
    ] * 2
    assert t.roles == "inferred"
    assert t.attributes["date"] == "12 de marzo de 2024"
    assert [w.kind for w in t.warnings] == ["left_out"]  # the cover, said as an English one is
    assert "lines 3, 4, 5, 6, 7 left out: read as a cover sheet" in t.warnings[0].message


def test_the_cover_names_the_participant_and_the_interviewer_in_spanish(tmp_path):
    path = tmp_path / "E07.txt"
    text = (
        "Entrevistadora: Maya Lindqvist (ML)\nParticipante: Marcus Bell\nFecha: 3 de abril de 2024\n"
        "Lugar: Estación de policía\n\n"
        "ML: ¿Cuánto tiempo lleva en el equipo?\n\nMarcus Bell: Unos tres años.\n\n"
        "ML: ¿Y cómo es el trabajo con la policía?\n\nMarcus Bell: Es bueno, pero a veces esperamos mucho.\n"
    )
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.reason) for s in t.speakers] == [
        ("ML", "interviewer", "named as interviewer on the cover sheet"),
        ("Marcus Bell", "participant", "named as participant on the cover sheet"),
    ]


@pytest.mark.parametrize(
    "interviewer, participant",
    [
        ("E", "P"),
        ("Entrevistadora", "Participante"),
        ("ENTREVISTADOR", "ENTREVISTADO"),
        ("Moderadora", "Entrevistada"),
    ],
)
def test_spanish_role_labels_are_known_forms_even_when_the_participant_asks_more(
    tmp_path, interviewer, participant
):
    # The participant asks back and the interviewer explains at length: questions alone would guess wrong.
    text = (
        f"{interviewer}: Empezamos. Cuénteme de su trabajo en la unidad de crisis y del equipo de noche.\n\n"
        f"{participant}: ¿Desde el principio? ¿Todo?\n\n"
        f"{interviewer}: Sí, desde el principio, como usted quiera, con calma y con los detalles que recuerde.\n\n"
        f"{participant}: ¿Y eso para qué sirve? Bueno, trabajo de noche.\n"
    )
    path = tmp_path / "es9.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role) for s in t.speakers] == [
        (interviewer, "interviewer"),
        (participant, "participant"),
    ]
    assert t.roles == "inferred"


def test_p_beside_r_is_the_question_not_the_participant(tmp_path):
    # Pregunta / Respuesta: `P` asks there, and is no participant label.
    text = "P: ¿Cuánto tiempo lleva en el equipo?\n\nR: Unos tres años.\n\nP: ¿Y la policía?\n\nR: Bien.\n"
    path = tmp_path / "pr1.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role) for s in t.speakers] == [("P", "interviewer"), ("R", "participant")]


def test_a_spanish_cover_in_a_word_file(tmp_path):
    document = Document()
    document.add_paragraph("Transcripción de la entrevista", style="Title")
    for line in _cover(accents=True, upper=False)[2:7]:
        document.add_paragraph(line)
    for turn in TURNS:
        document.add_paragraph(turn)
    path = tmp_path / "P14.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Entrevistadora", "interviewer"),
        ("P14", "participant"),
    ] * 2
    assert (t.roles, t.attributes.get("date")) == ("inferred", "12 de marzo de 2024")


def test_english_words_that_look_spanish_change_nothing(tmp_path):
    # `E` and `P` beside other letters are diarised voices (AssemblyAI letters each one): the questions decide.
    text = (
        "A: How long have you been on patrol?\n\nE: Eleven years.\n\nP: Mostly nights.\n\n"
        "A: And the crisis calls?\n\nE: Two a shift.\n"
    )
    path = tmp_path / "diar.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert {s.label: s.role for s in t.speakers}["E"] == "participant"


def test_spanish_tag_questions_ask_nothing_and_prompts_ask(tmp_path):
    # "..., ¿no?" and "..., ¿sabe?" end a participant's statements; "Cuénteme..." asks with no question
    # mark. Read the English way, the participant asked and the interviewer did not.
    text = (
        "Dana Whitfield: Gracias por venir. Cuénteme cómo empezó en el equipo.\n\n"
        "Marcus Bell: Hace tres años, con la policía del condado. Es un trabajo duro, ¿no?\n\n"
        "Dana Whitfield: Bueno, hábleme de la última llamada de crisis.\n\n"
        "Marcus Bell: Un hombre en un puente. Esperamos dos horas, ¿sabe?\n\n"
        "Dana Whitfield: ¿Y adónde lo llevaron?\n\n"
        "Marcus Bell: A urgencias. Siempre es así, ¿verdad?\n"
    )
    path = tmp_path / "es12.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        ("Dana Whitfield", "interviewer", 3),
        ("Marcus Bell", "participant", 0),
    ]
    assert t.roles == "inferred"


def test_a_word_table_with_spanish_headers_is_read_as_turns(tmp_path):
    document = Document()
    table = document.add_table(rows=0, cols=3)
    rows = [
        ("Hablante", "Tiempo", "Transcripción"),
        ("Entrevistadora", "00:00:02", "Gracias por participar. ¿Puede describir su trabajo?"),
        ("P14", "00:00:09", "Trabajo como consejera en el equipo de respuesta."),
    ]
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    path = tmp_path / "P14.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        ("Entrevistadora", "interviewer", 2.0),
        ("P14", "participant", 9.0),
    ]


def test_a_transcribers_note_in_spanish_is_nobodys_speech(tmp_path):
    text = (
        "Entrevistadora: ¿Cuánto tiempo lleva en el equipo?\n\nP14: Unos tres años.\n\n"
        "Nota: se oye una sirena.\n\nEntrevistadora: ¿Y la policía?\n\n"
        "P14: Bien, casi siempre.\n\nNota: fin de la grabación.\n"
    )
    path = tmp_path / "P14.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [s.label for s in t.speakers] == ["Entrevistadora", "P14"]
    assert t.segments[1].text == "Unos tres años.\n\nNota: se oye una sirena."


# A template that writes both genders of a role word, or names a role two ways. Before, none of these
# labels was read: the whole transcript came in as one unlabelled segment.
@pytest.mark.parametrize(
    ("interviewer", "participant"),
    [
        ("Entrevistador/a", "Entrevistado/a"),
        ("Entrevistador(a)", "Entrevistado(a)"),
        ("Moderador/a", "Participante (P3)"),
        ("Interviewer/Moderator", "Participant/Respondent"),
    ],
)
def test_slash_and_bracket_role_labels_are_turn_labels_in_a_word_file(tmp_path, interviewer, participant):
    document = Document()
    document.add_paragraph("Transcripción de la entrevista", style="Title")
    turns = [
        f"{interviewer}: Empezamos. Cuénteme de su trabajo en la unidad de crisis y del equipo de noche.",
        f"{participant}: ¿Desde el principio? ¿Todo?",
        f"{interviewer}: Sí, desde el principio, como usted quiera, con calma y con los detalles que recuerde.",
        f"{participant}: ¿Y eso para qué sirve? Bueno, trabajo de noche, y/o: a veces de día.",
    ]
    for turn in turns:
        document.add_paragraph(turn)
    path = tmp_path / "es21.docx"
    document.save(path)
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        (interviewer, "interviewer"),
        (participant, "participant"),
    ] * 2
    assert t.roles == "inferred"


def test_y_o_and_a_translators_note_are_no_speakers(tmp_path):
    # Word's "Save as Plain Text": a BOM, CRLF line ends.
    lines = [
        "Entrevistador(a): ¿Cuánto tiempo lleva en el equipo?",
        "",
        "Entrevistado/a: Unos tres años.",
        "",
        "Nota (traductor): «turno» se traduce como «shift».",
        "",
        "Entrevistador(a): ¿Y la policía?",
        "",
        "Entrevistado/a: Depende del turno.",
        "",
        "Nota (traductor): se oye una sirena.",
        "",
        "y/o: una línea que no es de nadie.",
    ]
    path = tmp_path / "P21.txt"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    t = parse_transcript(path)
    assert [(s.label, s.role) for s in t.speakers] == [
        ("Entrevistador(a)", "interviewer"),
        ("Entrevistado/a", "participant"),
    ]
    assert t.segments[1].text == "Unos tres años.\n\nNota (traductor): «turno» se traduce como «shift»."


def test_e_beside_numbered_participants_is_the_interviewer(tmp_path):
    # A focus group: the participants ask one another more than E asks them.
    text = (
        "E: Gracias a todos por venir. Para empezar, ¿cuánto tiempo llevan en el equipo?\r\n\r\n"
        "P1: Yo llevo tres años. ¿Y ustedes? ¿Cuánto llevan?\r\n\r\n"
        "P2: Cinco años, más o menos. ¿Te acuerdas de la primera llamada? ¿La del puente?\r\n\r\n"
        "P3: Sí, claro. ¿Quién no se acuerda? ¿Verdad que fue larga?\r\n\r\n"
        "E: Bien, cuénteme de la última llamada de crisis, con detalle, como ustedes quieran.\r\n\r\n"
        "P1: Un hombre en un puente. Esperamos dos horas. ¿Tú estabas, no?\r\n\r\n"
        "P2: No, yo no estaba. ¿Fue en marzo?\r\n"
    )
    path = tmp_path / "grupo_focal_03.txt"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    t = parse_transcript(path)
    speakers = {s.label: s for s in t.speakers}
    assert [(s.label, s.role) for s in t.speakers] == [
        ("E", "interviewer"),
        ("P1", "participant"),
        ("P2", "participant"),
        ("P3", "participant"),
    ]
    assert "beside P" in speakers["E"].reason
    assert t.roles == "inferred"


# Otter's text export: the speaker and the time on a line, the turn below, a blank line between. Rev's and
# Otter's export with timestamps inline: the speaker, the bracketed time, then the turn on the same line
# (or a colon after the time, as some templates write it).
OTTER = "{speaker}  0:{s:02d}\n{said}\n\n"
INLINE = "{speaker} [00:00:{s:02d}] {said}\n\n"
INLINE_COLON = "{speaker} [00:00:{s:02d}]: {said}\n\n"


@pytest.mark.parametrize(
    ("layout", "interviewer", "participant"),
    [
        (OTTER, "Interviewer/Moderator", "Participant (P3)"),
        (OTTER, "Entrevistador(a)", "Entrevistado/a"),
        (INLINE, "Interviewer/Moderator", "Participant/Respondent"),
        (INLINE, "Entrevistador(a)", "Entrevistado/a"),
        (INLINE_COLON, "Entrevistador(a)", "Participante (P3)"),
    ],
)
def test_slash_and_bracket_role_labels_in_otter_and_rev_exports(tmp_path, layout, interviewer, participant):
    said = [
        (interviewer, 4, "Okay, tell me about the last crisis call you went to, from the start."),
        (participant, 15, "From the start? Everything? It was a man on a bridge, on nights."),
        (interviewer, 41, "Yes, from the start, however you like, with whatever details you remember."),
        (participant, 58, "What is it for, though? Anyway. We waited two hours at the ER."),
    ]
    path = tmp_path / "P3_export.txt"
    path.write_text("".join(layout.format(speaker=w, s=t, said=x) for w, t, x in said), encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.speaker, s.role, s.start_time) for s in t.segments] == [
        (interviewer, "interviewer", 4.0),
        (participant, "participant", 15.0),
        (interviewer, "interviewer", 41.0),
        (participant, "participant", 58.0),
    ]
    assert t.segments[1].text.startswith("From the start?")
    assert t.roles == "inferred"


def test_bold_slash_and_bracket_role_labels_in_markdown(tmp_path):
    # A Word file saved through pandoc to Markdown: the bold labels keep their markup.
    text = (
        "**Entrevistador(a):** Empezamos. Cuénteme de su trabajo en la unidad de crisis.\n\n"
        "**Entrevistado/a:** ¿Desde el principio? ¿Todo?\n\n"
        "**Entrevistador(a):** Sí, desde el principio, como usted quiera, con calma.\n\n"
        "**Entrevistado/a**: ¿Y eso para qué sirve? Bueno, trabajo de noche.\n"
    )
    path = tmp_path / "es22.md"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.speaker, s.role) for s in t.segments] == [
        ("Entrevistador(a)", "interviewer"),
        ("Entrevistado/a", "participant"),
    ] * 2


def test_role_words_are_read_from_the_lexicon_alone():
    # The English role words sit in lexicon beside the Spanish ones: a known label form (labels.is_known)
    # and a speaker's label form that a quote never hides (plain._SPEAKER_FORM) read the same lists.
    import inspect
    import re

    from wei_qual.ingest import labels, lexicon, plain

    for word in (
        "Note taker",
        "Co-interviewer",
        "Observer",
        "Scribe",
        "Int",
        "IV",
        "Mod",
        "Speaker",
        "Unknown",
    ):
        assert re.fullmatch(f"(?i:{lexicon.TEAM_LABEL_WORDS}|{lexicon.UNNAMED_VOICE_WORDS})", word)
        assert labels.is_known(word) and plain._SPEAKER_FORM.fullmatch(word), word
    for word in ("Officer", "Deputy", "Clinician", "Sgt.", "Nurse", "Caller"):
        assert re.fullmatch(f"(?i:{lexicon.RANK_WORDS})", word)
        # A rank is a known label, but a participant may quote one ("Nurse: ..."): no speaker form.
        assert labels.is_known(word) and not plain._SPEAKER_FORM.fullmatch(word), word
    for module in (labels, plain):
        source = inspect.getsource(module)
        # No role word written into a pattern there: `|clinician`, `co-?interviewer`...
        pattern = r"\|(?:clinician|sergeant|observer|scribe|deputy)\b|co-\?interviewer|note-\?taker"
        assert not re.search(pattern, source, re.IGNORECASE), module


@pytest.mark.parametrize(
    "interviewer, role, answers",
    [
        (
            "Entrevistadora",
            "Técnica de crisis",
            ["Nos llamaron a las dos de la mañana.", "[risas] Llegó el equipo y hablamos.", "A la unidad."],
        ),
        (
            "Interviewer",
            "Crisis worker",
            ["We got the call at two.", "The team came and we talked.", "The unit."],
        ),
        ("Entrevistador", "Trabajadora social", ["A las dos.", "¿Después? Llegó el equipo.", "A la unidad."]),
    ],
)
def test_a_role_described_in_lower_case_words_is_a_label_when_it_recurs(
    make_transcript, interviewer, role, answers
):
    # Before, `Técnica de crisis:` had lower-case words, no label: every answer went into the interviewer's
    # turn, and the participant's words were counted as the interviewer's.
    questions = ["¿Cómo empezó?", "¿Y después?", "¿Adónde?"]
    text = "\n\n".join(f"{interviewer}: {q}\n\n{role}: {a}" for q, a in zip(questions, answers)) + "\n"
    t = parse_transcript(make_transcript(text, "es07.txt"))
    assert [(s.speaker, s.role) for s in t.segments] == [
        (interviewer, "interviewer"),
        (role, "participant"),
    ] * 3
    assert [s.text for s in t.segments if s.speaker == role] == answers
    assert t.roles == "inferred"


def test_a_sentence_opening_before_a_colon_stays_text(make_transcript):
    # A speaker's habit ("Long story short: we...") at a paragraph's start, a lower-case word after the colon,
    # and a described opening heard twice only: text of the turn, as before.
    text = (
        "Interviewer: How did it go?\n\nP1: Badly at first.\n\nLong story short: we took him in.\n\n"
        "Interviewer: And the next time?\n\nP1: Better.\n\nLong story short: we took him in again.\n\n"
        "Interviewer: And the last time?\n\nP1: The same.\n\nLong story short: we waited.\n\n"
        "Interviewer: Why?\n\nP1: The unit was full.\n\nCrisis team: Not at all.\n\n"
        "Interviewer: Really?\n\nP1: Yes.\n\nCrisis team: Really not.\n"
    )
    t = parse_transcript(make_transcript(text, "p08.txt"))
    assert {s.speaker for s in t.segments} == {"Interviewer", "P1"}


def test_a_question_opened_with_an_inverted_mark_and_never_closed_asks(tmp_path):
    # Speech recognition and hurried typists leave a Spanish question open ("¿Cómo llegan las llamadas"):
    # with no `?` it asked nothing, and the interviewer was told from the participant by nothing.
    text = (
        "Hablante 1: Gracias por venir. ¿Cómo llegan las llamadas\n\n"
        "Hablante 2: Por el 911, casi siempre. Luego la policía nos llama a nosotros.\n\n"
        "Hablante 1: ¿Y cuánto tardan en llegar, 2.5 horas. Eso es mucho\n\n"
        "Hablante 2: A veces más. Esperamos con la persona en la sala, ¿no\n\n"
        "Hablante 1: ¿Quién decide adónde lo llevan\n\n"
        "Hablante 2: El oficial, con nosotros. Casi siempre a la unidad de crisis.\n"
    )
    path = tmp_path / "es21.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_transcript(path)
    assert [(s.label, s.role, s.questions) for s in t.speakers] == [
        ("Hablante 1", "interviewer", 3),
        ("Hablante 2", "participant", 0),  # "..., ¿no" left open is a tag, as "¿no?" is
    ]
    assert t.roles == "inferred"
