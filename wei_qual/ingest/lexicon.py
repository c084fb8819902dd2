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


def capital(text: str) -> bool:
    """Whether `text` starts as a name or a title may: with a capital letter (`Ольга`, `Ελένη`, `Ángela`),
    a digit, or a letter of a script that has no capitals (Hebrew, Arabic: `מראיין`). A lower-case start
    (`so we went`, `потом он`) is a sentence's, in every script that has capitals."""
    first = text[:1]
    return first.isupper() or first.isdigit() or (first.isalpha() and not first.islower())


def caseless(text: str) -> bool:
    """Whether `text` has letters and all of them are of a script without capitals (Hebrew, Arabic, Thai):
    its case cannot tell a name from a sentence's opening words (`רונית`, `אמרתי לו`)."""
    if text.isascii():  # every ASCII letter has a case: no need to look at each (most labels)
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isupper() or c.islower() for c in letters)


# The marks that end a sentence in the scripts transcripts are written in, inside a regex class: Chinese
# and Japanese `。？！`, Arabic `؟`, Armenian `։`, Ethiopic `።` `፧`, Devanagari `।`, Greek's `;` (U+037E).
# Greek's question mark typed as the ASCII `;` ends one after a Greek letter (GREEK_QUESTION_END).
SENTENCE_MARKS = r".?!…。？！؟։።፧।\u037e"
# The stand-in for a voice a transcription service could not place at all (Otter's `Unknown Speaker`), not
# one it numbered (`Speaker 2`): any voice it missed, so possibly more than one person.
UNKNOWN_VOICE = r"(?:unknown|unidentified)(?:\s+speaker)?"
GREEK_QUESTION_END = r"(?<=[\u0370-\u03ff\u1f00-\u1fff]);"


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
    "Note taker",  # a label of a known form spaced so (TEAM_LABEL_WORDS): the team's too
    "Co-moderator",  # a focus group's second moderator, by the names guides give them
    "Comoderator",
    "Assistant moderator",
    "Co-facilitator",
    "Entrevistador",
    "Entrevistadora",
    "Entrevistador/a",
    "Moderador",
    "Moderadora",
)

# Regular-expression alternatives (case-insensitive, accents folded or typed) for labels of a known form.
# A Spanish role word may write out both genders: `Entrevistado/a`, `Entrevistador(a)`, `Moderador/a`.
_BOTH_GENDERS = r"(?:/[oa]s?|\([oa]s?\))?"
# The participant's: `Participant`, `Participante`, `Entrevistado/a`...
PARTICIPANT_WORDS = (
    r"(?:participant|respondent|interviewee|participante|entrevistad[oa]|informante|encuestad[oa])"
    + _BOTH_GENDERS
)
# The interviewer's: `Interviewer`, `Entrevistadora`, `Entrevistador(a)`...
INTERVIEWER_WORDS = r"(?:interviewer|entrevistador(?:a)?|moderador(?:a)?)" + _BOTH_GENDERS
# The research team's other role words a label may join to one of the above with a slash.
_TEAM_WORDS = (
    r"moderator|facilitator|co-?interviewer|note-?taker|researcher|investigator"
    r"|investigador(?:a)?" + _BOTH_GENDERS
)
# The research team's other voices as labels write them, abbreviations too (`Note-taker`, `Observer`,
# `Int`, `IV`, `Mod`; `Resp` a respondent's): a label of a known form, which counts even once.
TEAM_LABEL_WORDS = (
    r"moderator|facilitator|co-?interviewer|note-?taker|note[ \t]taker|observer|scribe|int|resp|iv|mod"
)
# A service's words for a voice it could not name (`Speaker 3`, `Unknown`).
UNNAMED_VOICE_WORDS = r"speaker|unknown"
# Ranks, occupations and callers a label names a participant by (`Officer 2`, `Clinician:`, `Caller`): a
# label of a known form, but, unlike the words above, also a person a participant quotes ("Nurse: ...").
RANK_WORDS = r"officer|deputy|provider|clinician|sergeant|sgt\.?|lieutenant|lt\.?|nurse|caller"
# A voice from a device or a recording that a participant plays or quotes, not a person in the room: the
# dispatcher on the radio (`Dispatch:`, `Radio:`, `Dispatcher (radio):`), a body camera's or a 911 call's
# audio, a video shown (accents folded, lower case; a number or a bracketed note may follow).
DEVICE_VOICE = (
    r"(?:(?:the|police|county|city)[ \t])?"
    r"(?:radio(?:[ \t](?:traffic|call|dispatch|dispatcher|voice|chatter|transmission))?"
    r"|dispatch(?:er)?(?:[ \t](?:radio|voice|center|centre|audio))?|scanner|intercom|pa|tv|television"
    r"|recording|recorded[ \t](?:call|message|audio)|audio(?:[ \t]clip)?|video(?:[ \t]clip)?|clip|tape"
    r"|body[ -]?cam(?:era)?(?:[ \t](?:audio|video|footage))?|body-?worn[ \t]camera|bwc|dash[ -]?cam"
    r"|911(?:[ \t](?:call|audio|recording|tape|dispatch|dispatcher|operator))?|voice[ \t-]?mail|cad|operator"
    r"|automated(?:[ \t](?:message|voice|system|attendant|recording|announcement|call|line))?"
    r"|news(?:[ \t]clip)?|despacho|despachador(?:a)?|central|grabacion|video|radio[ \t]de[ \t]la[ \t]policia)"
    r"(?:[ \t]?\d{1,3}|[ \t]\([^()]*\))?"
)
# A label for several people speaking at once (`Both:`, `All:`, `Everyone:`, `Group:`, `Multiple speakers:`,
# `Participants:`, `Todos:`, `Ambos:`): no one speaker (accents folded, lower case; a bracketed note may follow).
COLLECTIVE_VOICE = (
    r"(?:both|all|everyone|everybody|group|several|multiple(?:[ \t](?:speakers|participants|voices))?"
    r"|(?:several|both|all)[ \t](?:speakers|participants)|participants|respondents|speakers|voices"
    r"|todos|todas|ambos|ambas|varios|varias|grupo|participantes|varias[ \t]voces|varios[ \t]participantes)"
    r"(?:[ \t]\([^()]*\))?"
)
# Those of the above that name a person, who may sit in the room too (a dispatcher asking the participant
# "could you repeat the name of the unit?"): such a voice that asks is left to the turns.
DEVICE_VOICE_PERSON = r".*\b(?:dispatcher|operator|despachador(?:a)?)\b.*"
# What a meeting service shows for someone who joins before setting their name: the device (`iPhone`,
# `Dana's iPhone`, `Galaxy S21`, `Dana (iPad)`) or the account (`Zoom user`, `Call-in User_1`). Case ignored.
DEVICE_NAME = (
    r"(?:[\w.'’-]+[ \t]+){0,3}\(?"
    r"(?:iphone|ipad|android|galaxy|pixel|samsung|motorola|moto|oneplus|phone|cell[ \t]?phone|cell|mobile"
    r"|smartphone|tablet|laptop|macbook|pc|desktop|computer|(?:zoom|teams|webex|meet|skype)[ \t]user"
    r"|(?:call|dial)[ \t-]?in(?:[ \t]user)?|guest|user)"
    # a model or a rejoin's number after it (`S21`, `15 Pro Max`, `User_1`), never a word (`Mobile Crisis`)
    r"(?:[ \t_-]*(?:[\w#.-]*\d[\w#.-]*|pro|max|plus|mini|air|ultra|\(\d{1,2}\))){0,3}\)?"
)
# Role words joined by a slash, as a template names a role two ways: `Interviewer/Moderator:`,
# `Participant/Respondent:`, `Entrevistador/Moderador:`. Every part must be a role word, so "y/o:" is none.
_ROLE_WORD = rf"(?:{PARTICIPANT_WORDS}|{INTERVIEWER_WORDS}|{_TEAM_WORDS})"
ROLE_PAIR = rf"{_ROLE_WORD}(?:[ \t]?/[ \t]?{_ROLE_WORD})*"
# Participant role words joined by a slash: `Participant/Respondent`, `Participante/Entrevistado`.
PARTICIPANT_PAIR = rf"(?:{PARTICIPANT_WORDS})(?:[ \t]?/[ \t]?(?:{PARTICIPANT_WORDS}))*"

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
# Headings of the notes an AI note-taker writes over its transcript in a Markdown or text export
# (`### Summary`, `### Action Items`, `**Next steps**`), in any case.
NOTES_HEADING = (
    r"summary|(?:meeting |ai )?notes|action items?|next steps|key (?:points|takeaways|topics)|takeaways"
    r"|overview|outline|keywords|topics|chapters|decisions|resumen|notas|pr[oó]ximos pasos"
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

# The words that tell what a turn does: asks, prompts, acknowledges, notes, asks about the interview itself.
# A transcriber's note written as a label (`Note:`, `Transcriber's Note:`, `[Note]:`): nobody's speech.
NOTE_LABEL = (
    r"(?i)(?:(?:transcriber|transcriptionist|transcription|editor|translator|interviewer|researcher)"
    r"(?:['’]s)?[ \t]+)?notes?|transcriber|transcriptionist"
    r"|notas?(?:[ \t]+del?[ \t]+(?:la[ \t]+)?(?:transcriptor|transcriptora|transcripci[oó]n|editor|editora|traductor"
    r"|traductora|entrevistador|entrevistadora))?"
    # ...or a note with whose it is in parentheses: `Note (translator):`, `Nota (traductor):`.
    r"|(?:notes?|notas?)[ \t]*\([^()]{1,30}\)"
)
# Tag questions that end a statement ("..., do you know what I mean?", "Esperamos horas, ¿sabe?", "..., ¿no?",
# "..., ξέρεις;"): they ask nothing.
TAG_QUESTION = (
    r"(?i)(?:\b(?:(?:do[ \t]+)?you[ \t]+know(?:[ \t]+what[ \t]+i[ \t]+mean)?"
    r"|know[ \t]+what[ \t]+i[ \t]+mean|(?:does[ \t]+|if[ \t]+)?that[ \t]+makes?[ \t]+sense)"
    r"|¿[ \t]*(?:no|verdad|cierto|sabe|sabes|sab[eé]s|me[ \t]+entiende|me[ \t]+entiendes|ves|vio|viste)"
    # Greek's (`..., ξέρεις;` "you know?", `έτσι δεν είναι;` "isn't it?"), its `;` read as `?` by then.
    r"|\b(?:ξ[έε]ρ(?:εις|ετε)|καταλαβα[ίι]ν(?:εις|ετε)|(?:[έε]τσι[ \t]+)?δεν[ \t]+ε[ίι]ναι|[έε]τσι|ε)\b)[ \t]*\?"
)
# A sentence that opens as a question: a wh-word, or an auxiliary before its subject (after "And", "So"...).
QUESTION_START = (
    r"(?i)\s*(?:(?:and|but|so|or|okay|ok|right|well|now|then|um|uh)\b[,]?\s+)*"
    r"(?:who|whom|whose|what|when|where|why|how|which|do|does|did|is|are|was|were|am|can|could|will|would"
    r"|should|shall|may|might|have|has|had)\b"
)
# An acknowledgement that adds nothing of the speaker's own ("Right.", "That's really helpful, thank you.").
# A search starts only where a run of non-word characters does (the lookbehind): from each of a long run's
# characters, as before, it took time quadratic in the run (a turn's line of 20,000 `-`).
ACKNOWLEDGES = (
    r"(?i)(?<!\W)\W*(?:right|okay|ok|great|good|sure|yeah|yes|yep|uh[- ]?huh|m+[- ]?h?m+|i see|got it|wow|interesting"
    r"|perfect|thanks|thank you|that(?:'s|’s| is) (?:really |very |so )?(?:helpful|interesting|great|useful|good))\b"
)
# Interviewer prompts that often carry no question mark. Greek's (`Πείτε μου για...`, "Tell me about"), and
# Chinese ones opening a sentence (`请您谈谈...`, "Please talk about"; no word boundary after them).
PROMPT = (
    r"(?i)(?:^|[.!]\s+)(?:(?:so|and|okay|ok|now|well|right|alright|great|um|uh|bueno|y|entonces|pues|vale"
    r"|και|λοιπόν|οπότε|εντάξει|ωραία)[,.]?\s+)*"
    r"(?:tell me|walk me through|describe|talk (?:to me |a little |a bit )?about|say (?:a little |a bit )?more"
    r"|give me an example|can you (?:tell|describe|walk|talk|say|give)|could you (?:tell|describe|walk|talk|say|give)"
    r"|i(?:'d| would) like to (?:ask|hear|know)"
    r"|cu[ée]nt[ea]me|h[áa]bl[ea]me|descr[íi]b[ae]me|plat[íi]queme|expl[íi]queme|d[ée]me un ejemplo"
    r"|π[εέ]ίτε μου|πες μου|περιγρ[άα]ψτε|περ[ίι]γραψ[εέ]|μιλ[ήη]στε μου|μ[ίι]λησ[έε] μου|εξηγ[ήη]στε"
    r"|δ[ώω]στε μου ένα παράδειγμα)\b"
    r"|(?:^|[。！!.]\s*)(?:好的?[，,]?|那[么麼]?)?[请請]?(?:您|你)?再?"
    r"(?:讲讲|谈谈|说说|講講|談談|說說|描述一下|介绍一下|介紹一下|讲一下|谈一下|说一下|講一下|談一下|說一下)"
)
# What every PROMPT holds, casefolded: a turn without any of them is not searched (speed).
PROMPT_WORDS = (
    *("tell me", "walk me through", "descr", "talk", "say", "give me an example", "can you", "could you"),
    *("like to", "ntame", "nteme", "blame", "bleme", "plat", "expl", "ejemplo"),
    *("μου", "περιγρ", "περίγρ", "εξηγ", "εξήγ", "讲", "谈", "说", "講", "談", "說", "描述", "介"),
)
# A Chinese question's particle at its end, its `？` left out (speech recognition writes `。` or nothing):
# `吗` (`嗎`) asks; `呢` asks after a question word (ZH_QUESTION_WORD) or a few words (`那夜班呢`, "and nights?").
ZH_QUESTION_END = r"[吗嗎呢](?=[ \t]*(?:[。．.\n]|$))"
ZH_QUESTION_WORD = (
    r"什么|什麼|怎么|怎麼|怎样|怎樣|哪|谁|誰|多久|多少|几|幾|为什么|為什麼|如何|是否|有没有|有沒有|是不是|能不能"
    r"|会不会|會不會|要不要"
)
# A Greek question with its `;` left out, as hurried typists and speech recognition leave it: a sentence
# opening with a question word (`Πόσο καιρό δουλεύετε.`, `Και πού τον πήγατε`) that ends with a stop, an
# ellipsis or the line. Not `Γιατί`, which opens answers too ("Because..."); nor the fillers `Τι να σας πω`
# ("what can I tell you"), `Πώς να το πω` ("how shall I put it"), `Ποιος ξέρει` ("who knows").
GREEK_QUESTION_START = (
    r"(?:^|(?<=[.!?…·\n]))(?P<sentence>[ \t]*(?:(?:Και|και|Κι|κι|Οπότε|Λοιπόν|Δηλαδή)[,]?[ \t]+)*"
    r"(?:[Ππ]όσ(?:ο|α|η|ες|οι|ους|ων|ον|ος)|[Ππ]ώς(?![ \t]+να\b)|[Ππ]ού|[Ππ]ότε|[Μμ]ήπως|[Ττ]ι(?![ \t]+να\b)"
    r"|[Ππ]οι(?:ος|α|ο|οι|ες|ον|ους|ας|ου|ων)(?![ \t]+ξέρει))\b[^.!?…·;\n]*)"
    r"(?:[.…]|(?=\n)|$)"
)
# Questions about the interview itself, not its subject: the recording, consent, who sees it, whether
# one must answer, how long it takes, whether one is heard, what a question meant. A terse participant
# asks them back ("Is this recorded?", "Who sees this?", "Do I have to answer?"), and counted as
# questions they made that participant look like the interviewer.
ABOUT_THE_INTERVIEW = (
    r"(?i)\b(?:is|are|was|will)\s+(?:this|it|that|you|we|the\s+(?:interview|recording|recorder|tape|audio|mic))"
    r"\s+(?:being\s+|gonna\s+be\s+|going\s+to\s+be\s+|still\s+|now\s+|all\s+)?"
    r"(?:record\w*|tap(?:ed|ing)\b|on\b|confidential|anonymous|private|off\s+the\s+record)"
    r"|\bwho(?:\s+else)?\s+(?:(?:will|can|would|gets?\s+to|is\s+going\s+to|are\s+going\s+to)\s+)?"
    r"(?:sees?|reads?|hears?|listens?\s+to|gets?|ha(?:ve|s)\s+access\s+to)\s+(?:this|it|that|these|those"
    r"|the\s+(?:transcripts?|recordings?|tapes?|audio|interviews?|answers|notes|results|data)"
    r"|my\s+(?:answers|name|interview|recording|transcript))\b"
    r"|\bdo\s+i\s+(?:have|need)\s+to\s+(?:answer|say|give|use|sign|do|talk|tell|share|stay)\b"
    r"|\b(?:can|could|may)\s+i\s+(?:skip|stop|pass|not\s+answer|decline|take\s+a\s+break|withdraw|say\s+no"
    r"|see\s+(?:the|my)\s+(?:transcript|recording|notes)|get\s+a\s+copy|change\s+my\s+mind)\b"
    r"|\bwhat\s+if\s+i\s+(?:don['’]?t|do\s+not)\s+(?:want\s+to\s+)?answer"
    r"|\b(?:will|would|does|do|is|are|can)\s+(?:my|the)\s+(?:name|agency|department|chief|sergeant|sarge|boss"
    r"|supervisor|employer|lieutenant|captain|command|union|manager|director)\s+(?:be\s+)?"
    r"(?:used|see|know|find\s+out|hear|read|get|going|in\b|on\b|mentioned|named)"
    r"|\bhow\s+long\s+(?:will|does|is|would|should)\s+(?:this|it|the\s+interview)\s+(?:take|go|last|run|be)\b"
    r"|\b(?:can|could)\s+you\s+(?:hear|see)\s+me\b|\bam\s+i\s+(?:on\s+mute|muted|frozen|coming\s+through"
    r"|breaking\s+up)\b"
    r"|\bwhat(?:['’]s|\s+is|\s+will|\s+are)\s+(?:this|it|the\s+(?:study|research|recording|interview|project"
    r"|data))\s+(?:for|used\s+for|be\s+used\s+for|about|going\s+to\s+be\s+used)\b"
    r"|\b(?:can|could|would)\s+you\s+(?:repeat|rephrase)\b|\bwhat\s+(?:was|is)\s+the\s+question\b"
    r"|\bdoes\s+that\s+answer\s+(?:your|the)\s+question|\bis\s+that\s+what\s+you\s+(?:mean|meant|want|wanted"
    r"|were\s+asking|are\s+asking)\b|\b(?:do\s+you\s+)?want\s+me\s+to\s+(?:go\s+on|keep\s+going|continue"
    r"|start|go\s+back)\b|\bshould\s+i\s+(?:go\s+on|keep\s+going|continue|start)\b"
    # Spanish: "¿Se está grabando?", "¿Quién va a ver esto?", "¿Tengo que contestar?", "¿Cuánto dura?"
    r"|\b(?:se\s+)?est[aá]\s+grabando\b|\bqui[eé]n\s+(?:va\s+a\s+|más\s+)?(?:ver|leer|escuchar)[aá]?\s+(?:esto|eso"
    r"|la\s+grabaci[oó]n)|\btengo\s+que\s+(?:contestar|responder)\b|\bcu[aá]nto\s+(?:tiempo\s+)?(?:va\s+a\s+)?dura"
)
# Words that head a paragraph of a speaker's own as a label would ("Question: who pays?", "Update: ..."),
# a transcriber's note ("Note:", "Transcriber's note:"), or a stage direction: never someone who interrupts.
NOT_A_VOICE = (
    r"(?i).*\bnotes?\b.*|transcri\w*|editor|question|questions|answer|update|reminder|warning|caution"
    r"|important|edit|ps|nb|quote|source|response|reply|correction|clarification|aside|context|background"
    r"|disclaimer|definition|translation|overview|key|takeaway|fun fact|side note|caveat|spoiler"
    r"|.*\bnotas?\b.*|pregunta|respuesta|ejemplo|aclaraci[oó]n"
)
# Bracketed stage directions that are not speakers: [Inaudible], [Crosstalk], [Laughs]...
NONVERBAL = (
    r"(?i)\b(?:inaudible|cross-?talk|laugh\w*|pause\w*|silence|unintelligible|overlap\w*|redacted|cough\w*"
    r"|sigh\w*|music|noise|background|interrupt\w*|beep\w*|unclear|break|end|start|transcript|recording"
    r"|audio|video)\b"
)
# The sounds a captioner describes in brackets, often in title case as a name is (`[Phone Rings]`,
# `[Dog Barking]`, `[Speaking Spanish]`): never a speaker written in brackets (labels.match_bracketed).
SOUND_TAG = (
    r"(?i)\b(?:applause|ring\w*|siren\w*|phone\w*|door\w*|knock\w*|bark\w*|dog\w*|static|indistinct|chuckl\w*"
    r"|sniff\w*|throat|gun\w*|shot\w*|footstep\w*|foreign|language|speaking|spanish|english|sob\w*|cr(?:y|ies|ying)"
    r"|groan\w*|whisper\w*|exhal\w*|inhal\w*|typing|alarm\w*|horn\w*|thunder|murmur\w*|chatter\w*|clap\w*"
    r"|cheer\w*|scream\w*|shout\w*|yell\w*|gasp\w*|stammer\w*|stutter\w*|mumbl\w*|giggl\w*|snort\w*|sneez\w*"
    r"|clatter\w*|bang\w*|buzz\w*|hum\w*|whistl\w*|engine\w*|traffic|wind|rain|paper\w*|rustl\w*|tone|dial\w*"
    r"|silencio|risas?|inaudible|ininteligible|aplausos?|musica)\b"
)
# Words of a sentence's opening before a colon ("The thing is:", "My answer:", "El problema es:"): never a
# role described in lower-case words (labels._described), however often they recur.
NOT_DESCRIBED = frozenset(
    """the a an my our your his her their its this that these those and but or so because if then when what
    one another other some any every each all both is was are were be been said says say asked asks mean
    means meant think thought know knew guess like just only really very not no yes main big last first
    el la los las un una mi mis su sus nuestro nuestra y o pero porque si que es era fue son dijo digo creo
    lo le""".split()  # noqa: SIM905 - a word list reads best as words
)
# One-word answers that stand alone on a line as a name would ("Yes", "Okay"): never a name alone.
ONE_WORD_ANSWER = (
    r"(?i)yes|no|yeah|yep|nope|ok(?:ay)?|alright|right|sure|fine|good|great|thanks|exactly|true|correct"
    r"|absolutely|definitely|really|well|so|oh|uh|um|mhm|mm|hmm|uh-huh"
)
# Words that start a sentence before a dash ("Mostly - when the clinician is free", "First - more
# clinicians"): never a dash label (labels.match_dash_label), however often they recur.
SAID_FIRST = (
    r"(?i)mostly|honestly|basically|actually|usually|normally|generally|obviously|probably|certainly|maybe"
    r"|perhaps|sometimes|often|always|never|mainly|partly|especially|apparently|eventually|typically"
    r"|personally|frankly|clearly|luckily|unfortunately|hopefully|seriously|literally|anyway|also|and|but"
    r"|or|then|now|again|still|because|like|look|listen|first|second|third|fourth|fifth|next|last|finally"
    r"|firstly|secondly|thirdly|lastly|plus|however|though|although|once|later|before|after|otherwise"
    r"|instead|today|yesterday|tonight|nights|days|one|two|three"
)
# What a speaker says to order or point their own words ("First: ...", "Section 4.2: ...", "Bottom
# line: ..."): never taken for someone who speaks once (plain._heard_once).
OWN_WORDS = (
    r"(?i)(?:first|second|third|fourth|fifth|sixth|next|then|last|lastly|finally|also|plus|and|but|so"
    r"|section|step|rule|point|part|option|item|example|question|answer|fact|bottom|honestly|problem"
    r"|issue|reason|result|goal|idea|lesson|tip|summary|conclusion|truth|thing|number|no|yes)\b.*"
    r"|.*\d[.:]\d.*"
)
# Listening noises and one-word acknowledgements: one to roles.BACK_CHANNEL_WORDS of them are a back-channel.
BACK_CHANNEL = frozenset(
    """yeah yes yep yup ya mm mmm hmm hm mhm mm-hmm mhmm uh-huh uh huh right okay ok alright sure wow oh ah
    true exactly gotcha sí si ajá aja claro vale""".split()  # noqa: SIM905
)
# An interviewer speaking to two people or more ("Thanks to you both", "the two of you", "Thank you all",
# "Welcome, everyone", "ustedes dos"): a pair or a group is being interviewed, so a further speaker's own
# story is a participant's, not a co-interviewer's. Not "you all", "y'all", "everyone" or "ustedes" in a
# question ("Do you all carry Narcan?", "Does everyone on your shift get CIT?"), which speak of one
# participant's agency as often as to a group.
SEVERAL_ADDRESSED = (
    r"(?i)\b(?:you|thank[ \t]+you|thanks(?:[ \t]+to[ \t]+you)?)[ \t]+(?:both|two)\b|\bboth[ \t]+of[ \t]+you\b"
    r"|\btwo[ \t]+of[ \t]+you\b|\beach[ \t]+of[ \t]+you\b|\b(?:thank[ \t]+you|thanks)[ \t]*,?[ \t]+(?:all|everyone"
    r"|everybody)\b|\b(?:welcome|hi|hello|morning|afternoon)[ \t]*,?[ \t]+(?:everyone|everybody|all)\b"
    r"|\bustedes[ \t]+dos\b|\ba[ \t]+(?:los|las)[ \t]+dos\b|\ba[ \t]+amb[oa]s\b|\bcada[ \t]+un[oa][ \t]+de[ \t]+ustedes\b"
)
# A sentence in the first person: the speaker's own experience ("When I was on patrol we just went").
FIRST_PERSON = (
    r"(?i)\b(?:i|i['’](?:m|ve|d|ll)|me|my|mine|myself|we|we['’](?:re|ve|d|ll)|us|our|ours|ourselves"
    r"|yo|mi|mis|nosotr[oa]s|nuestr[oa]s?)\b"
)
# ...that is an interviewer's framing, not an experience: "We've heard a lot about nights.", "You mentioned
# the ER.", "Let me ask about training.", "Thanks for joining us.", "That's everything I had.", "So we're
# recording."
FRAMING = (
    r"(?i)\b(?:we|i)(?:['’]ve|[ \t]+have)?[ \t]+(?:heard|been[ \t]+hearing|talked|spoken|interviewed|asked|read)\b"
    r"|\b(?:you|you['’]ve)[ \t]+(?:mentioned|said|told)\b"
    r"|\b(?:let[ \t]+me|let['’]s|i[ \t]+want[ \t]+to|i['’]d[ \t]+like[ \t]+to|i['’]ll)[ \t]+(?:ask|move|turn|go|switch"
    r"|come[ \t]+back|follow[ \t]+up|add|jump)\b"
    r"|\bour[ \t]+(?:study|research|project|questions|team|interview|time|list)\b"
    # the recording: "Okay, so we're recording.", "I'll start the recording."
    r"|\b(?:we|i)(?:['’](?:re|m)|[ \t]+(?:are|am))[ \t]+(?:now[ \t]+)?(?:recording|rolling|live)\b"
    r"|\b(?:start(?:ed|ing|s)?|stop(?:ped|ping|s)?|turn(?:ed|ing|s)?[ \t]+on)[ \t]+(?:the[ \t]+)?recording\b"
    r"|\bthat['’]?s[ \t]+(?:everything|all|it)\b|\bfrom[ \t]+me\b|\bthank(?:s|[ \t]+you)\b|\bwelcome\b|\bgracias\b"
    # who is asking: "I'm Dana and this is Jordan", "My name is Dr. Kim"
    r"|\b(?:i['’]m|i[ \t]+am|my[ \t]+name[ \t]+is|this[ \t]+is)[ \t]+(?-i:(?:Dr\.?[ \t]+)?[A-Z][a-z]+)\b"
    # the meeting itself: "Sorry, I switched to my laptop.", "My connection dropped.", "Where were we?"
    r"|\b(?:switch|mov|rejoin|join|log)(?:ed|ing|ged)?[ \t]+(?:in[ \t]+|on[ \t]+|back[ \t]+)?(?:to|from|on)[ \t]+"
    r"(?:my|the|a)[ \t]+(?:laptop|phone|computer|desktop|tablet|ipad|iphone|cell)\b"
    r"|\bmy[ \t]+(?:connection|internet|wi-?fi|audio|video|camera|mic|microphone)\b|\bwhere[ \t]+were[ \t]+we\b"
)
