"""The words transcripts use for an interview's roles and its cover sheet, in English and Spanish: one place.

A study with Spanish-speaking participants (crisis lines and co-responder teams serve many) has
transcripts whose cover says `Entrevistador:`, `Entrevistado/a:`, `Fecha:`, `Lugar:`, `Duración:` and
whose turns are labelled `Entrevistadora:`, `Participante:` or `E:` / `P:`. The readers compare words
with their accents folded (`fold`), so `Duración`, `Duracion` and `DURACIÓN` are one key, as a typist
without a Spanish keyboard writes them. Add a language's words here, never in the modules that use them.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """`text` in lower case without its accents: "Duración" -> "duracion", "ENTREVISTADO/A" -> "entrevistado/a"."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


# Labels of the research team's own voices (see labels.DEFAULT_INTERVIEWER_LABELS).
INTERVIEWER_LABELS: tuple[str, ...] = (
    "Interviewer",
    "I",
    "Q",
    "Int",
    "Moderator",
    "Facilitator",
    "Co-interviewer",
    "Note-taker",
    "Notetaker",
    "Entrevistador",
    "Entrevistadora",
    "Entrevistador/a",
    "Moderador",
    "Moderadora",
)

# Regular-expression alternatives (case-insensitive, accents folded or typed) for labels of a known form.
# The participant's: `Participant`, `Participante`, `Entrevistado/a`...
PARTICIPANT_WORDS = (
    r"participant|respondent|interviewee|participante|entrevistad[oa](?:/[oa])?|informante|encuestad[oa]"
)
# The interviewer's: `Interviewer`, `Entrevistadora`...
INTERVIEWER_WORDS = r"interviewer|entrevistador(?:a|/a|\(a\))?|moderador(?:a)?"

# The words a cover's own keys are made of ("Date of interview", "Participant ID", "Fecha de la
# entrevista"), accents folded: every word of a key must be one, so a speaker called "Site Lead" or
# "Site A" is no cover key.
COVER_WORDS = frozenset(
    """date time duration length location place site venue setting mode format medium platform recorded
    recording audio file filename transcriber transcribed transcription transcript by project study
    interview interviews focus group session id no number code pseudonym language agency organisation
    organization department county region of the a start end type notes note comments comment summary
    description role gender age years year service experience consent consented word words count quality
    title name status version total minutes recruitment source wave round phase city state country
    jurisdiction unit team rank position and obtained given signed form interviewer interviewee
    participant respondent #
    fecha hora duracion tiempo lugar sitio sede entrevista entrevistas entrevistador entrevistadora
    entrevistado entrevistada participante grabacion grabado archivo transcripcion transcrito transcrita
    transcriptor transcriptora por proyecto estudio grupo focal sesion codigo numero seudonimo idioma
    agencia organizacion departamento condado region de del la el los las y inicio fin tipo notas nota
    comentarios comentario resumen descripcion rol genero sexo edad anos ano servicio experiencia
    consentimiento palabras titulo nombre version total minutos ciudad estado pais unidad equipo cargo
    puesto modalidad plataforma idioma""".split()  # noqa: SIM905 - a word list reads best as words
)
# A cover needs a line keyed by one of these: "Notes:" and "Role:" alone could be two turns.
CORE_WORDS = frozenset(
    """date time duration length location place site venue mode platform recorded recording audio file
    transcriber transcribed transcription project study interview session id number code pseudonym
    language agency consent
    fecha hora duracion lugar sitio sede modalidad plataforma grabacion grabado archivo transcriptor
    transcriptora transcrito transcripcion proyecto estudio entrevista sesion codigo numero seudonimo
    idioma agencia consentimiento""".split()  # noqa: SIM905
)
# Keys only an interview's cover has: a form or a record read out in a turn ("Name:", "Date:",
# "Location:", "Agency:") has none of them.
SESSION_KEY_WORDS = frozenset(
    """interview interviews interviewer interviewee participant respondent session focus transcript
    transcriber transcribed transcription pseudonym
    entrevista entrevistas entrevistador entrevistadora entrevistado entrevistada participante sesion
    focal transcripcion transcriptor transcriptora transcrito seudonimo""".split()  # noqa: SIM905
)
# Keys whose value is free text, of any length.
FREE_TEXT_WORDS = frozenset(
    "notes note comments comment summary description consent notas nota comentarios comentario resumen "  # noqa: SIM905
    "descripcion consentimiento".split()
)
# Keys that name a speaker (matched on the folded key): their value names people, never words said.
SPEAKER_KEY = (
    r"(?:(?:lead|co|second|first|assistant|principal)[\s-]+|co-)?"
    r"(?:(?P<participant>interviewees?|participants?|respondents?|participantes?|entrevistad[oa]s?(?:/[oa]s?)?"
    r"|informantes?)|(?P<voice>interpreters?|translators?|interpretes?|traductor(?:a|es|as)?)|"
    r"interviewers?|moderators?|facilitators?|researchers?|investigators?|note-?takers?|observers?"
    r"|entrevistador(?:a|es|as)?(?:/a|\(a\))?|moderador(?:a|es|as)?|investigador(?:a|es|as)?"
    r"|observador(?:a|es|as)?)"
    r"(?:\s+\d{1,2})?"
)
# A heading that only says "transcript": no title.
TRANSCRIPT_HEADING = (
    r"transcript|transcription|interview transcript|transcripci[oó]n(?:\s+de\s+(?:la\s+)?entrevista)?"
)
# First words of a greeting or a reply ("Good Morning Officer Reyes", "Right Then", "Buenos Días"): said.
GREETING = frozenset(
    "good morning afternoon evening hi hello hey thanks thank welcome right okay ok yes yeah no well so "  # noqa: SIM905
    "great sure alright fine nice buenos buenas hola gracias bueno vale si claro".split()
)
# The header row of a transcript table: its speaker, text and time columns.
SPEAKER_HEADERS = frozenset(
    ("speaker", "name", "who", "person", "participant", "speaker name", "role")
    + ("hablante", "orador", "oradora", "interlocutor", "participante", "nombre", "quien", "rol")
)
TEXT_HEADERS = frozenset(
    ("text", "transcript", "utterance", "content", "dialogue", "speech", "response", "what was said")
    + ("texto", "transcripcion", "contenido", "dialogo", "intervencion", "respuesta")
)
TIME_HEADERS = frozenset(
    ("time", "timestamp", "time stamp", "start", "start time", "timecode", "timespan", "time span")
    + ("tiempo", "hora", "marca de tiempo", "inicio", "minuto")
)
# Month and day names, as a date writes them ("12 de marzo de 2024", "martes, 3 de abril").
MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
    r"|enero|abril|agosto|setiembre|diciembre"
)
DAYS = r"mon|tue|wed|thu|fri|sat|sun|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
