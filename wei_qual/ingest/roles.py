"""Speaker roles from evidence: who in a transcript is the interviewer and who the participant(s).

infer_roles(turns, transcript_id, participant_ids, known_interviewers) -> RoleResult is pure: it reads
only the turns' speakers and text, so every reader (and the REFI-QDA import) can use it. Evidence, in order:

1. a label equal to the transcript id, or to the id's leading part at a word boundary (`BSR01` in
   `BSR01_transcript_deidentified`) is a participant;
2. a known interviewer label (`Interviewer`, `I`, `Q`, `Int`, `Moderator`, `Facilitator`, with a number
   or a note: `Interviewer 2`, `Interviewer (JD)`; plus names the project remembers) is an interviewer;
   a label the attributes CSV names as a participant (a `participant_id` value, or a `speaker` row) and
   a known participant label (`Participant`, `Respondent`, `R`, `P07`...; `A` beside a `Q`) are
   participants; so is each
   speaker the file's cover sheet names (`Interviewer: Maya Lindqvist` over the turns: see
   boilerplate.find_cover) in the role it names;
3. otherwise the speaker who asks the questions is the interviewer: their share of the turns that ask a
   question, the question rate per turn, the median turn length and who speaks first; of two who both
   ask, the one whose questions draw the longer answers, a guess for review unless the other signals agree;
4. in a one-to-one interview (one speaker answers the interviewer's questions, and no further speaker
   adds to the answers or asks the participant beside another), a further speaker who answers none is a
   second interviewer when it asks as an interviewer would (several questions the participant answers,
   in half its turns, after more than one of the interviewer's questions: a panel), and otherwise
   doubtful (a co-interviewer who asks once, a voice the service could not name, a label misread in the
   text); one heard once is left to review (role `review`: no participant, no coding unit, until a person
   sets it). In a pair or a group every further speaker is a participant, doubtful only when every turn of
   theirs sits between a question and another's answer (a co-interviewer adding to the question), or,
   beside one participant whom no interviewer speaks to with another ("you both"), when they tell their
   own experience and ask that participant questions (a pair's member, or a co-interviewer who shares it);
5. a label for several at once (`Both`, `All`) is no one speaker: left to review (is_collective);
   a label that names a radio or recorded voice (`Dispatch`, `Radio`, `Body Cam`), heard a few times and
   never straight after an interviewer's question, is another speaker (role `other`): what a participant
   plays or quotes (_played_voices), with --interviewer-labels too;
6. with no clear questioner among three or more speakers, one who answers the others' questions while
   they only ask is the participant of a panel, the others interviewers (a guess for review when one of
   them says something of their own, or the answers are not nearly all that speaker's).

Where the evidence is weak (3+ speakers and no clear questioner, two speakers who both ask and the signals
disagree, one speaker, a further speaker who answers no question) the result's status is `review` and
`reason` says why.
given_roles() applies `--interviewer-labels` beside the default labels (split_labels() reads the option); fold_notes() takes a
transcriber's `Note:` turns out of the speakers, and back_channels() / fold_back_channels() an unnamed
listener's "Yeah." in the middle of an answer (ingest then infers the roles again).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import itertools
import re
import shlex
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import TranscriptError
from ..lazyre import lazy_compile
from ..models import (
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    ROLES_GIVEN,
    ROLES_INFERRED,
    ROLES_REVIEW,
    Speaker,
    count_words,
)
from . import lexicon
from .boilerplate import COVER_INTERPRETER
from .checks import PLAYED_VOICE_REASON
from .labels import (
    DEFAULT_INTERVIEWER_LABELS,
    is_collective,
    is_known,
    is_particle,
    name_key,
    normalise_labels,
    role_after_name,
    speaker_role,
    surname_start,
)
from .turns import join_turns

CLEAR_SHARE = 0.6  # the questioner asks at least this share of the question turns
ALSO_ASKS_RATE = 0.5  # a non-interviewer asking in this share of their turns (and...)
ALSO_ASKS_MIN = 3  # ... at least this many times) makes the roles doubtful
CO_SHARE = 0.25  # a second interviewer asks at least this share of the interviewers' questions
ACK_WORDS = 12  # "Right. I've heard that from a few other sites too.": an acknowledgement is this short
NEARLY = 0.9  # a panel's participant answers this share of the questions, and asks in at most 1 - this of their turns
DRAWS = 2  # of two speakers who both ask, the interviewer's questions draw answers this many times as long
FEW_VOICE_TURNS = 5  # a radio or recorded voice a participant plays or quotes is heard at most this often

_PARTICIPANT_LABEL = re.compile(
    rf"(?i)(?:{lexicon.PARTICIPANT_PAIR}|resp|r|p\d{{1,4}})(?:[ \t]?\#?\d{{1,3}}|[ \t]\(.*\))?"
)
# `A` answers beside a `Q`; alone it is a diarised speaker's letter (AssemblyAI's `A:`, `B:`), whose role the
# questions decide. So in a Spanish transcript `E` (entrevistador/a) asks and `P` (participante) answers
# when they are the file's only letters: beside an `R` (respuesta), `P` is the question (pregunta).
_ANSWER_LABEL, _QUESTION_LABEL = "a", "q"
_ES_INTERVIEWER, _ES_PARTICIPANT = "e", "p"
_NUMBERED_P = re.compile(r"(?i)p[ \t]?\d{0,4}")
# An interpreter's or translator's label (`Interpreter`, `Translator 2`, `Intérprete`, `Traductora`, `Ana Ruiz
# (Interpreter)`): they voice both sides, so they are neither the interviewer nor a participant (folded: no
# accents, lower case).
_INTERPRETER_WORD = r"(?:interpreter|translator|interprete|traductora?)"
_INTERPRETER_LABEL = re.compile(
    rf"{_INTERPRETER_WORD}(?:[ \t]?\d{{1,2}}|[ \t]\([^()]*\))?|[^()]+[ \t]\({_INTERPRETER_WORD}\)"
)
# A transcriber's note written as a label (`Note:`, `Transcriber's Note:`, `[Note]:`): nobody's speech.
_NOTE_LABEL = re.compile(lexicon.NOTE_LABEL)
# Tag questions that end a statement ("..., ¿no?"): they ask nothing. The words are lexicon's, as below.
_TAG_QUESTION = re.compile(lexicon.TAG_QUESTION)
# A sentence that opens as a question: a wh-word, or an auxiliary before its subject (after "And", "So"...).
_QUESTION_START = lazy_compile(lexicon.QUESTION_START)
# An acknowledgement that adds nothing of the speaker's own ("Right.", "That's really helpful, thank you.").
_ACKNOWLEDGES = lazy_compile(lexicon.ACKNOWLEDGES)
# Interviewer prompts that often carry no question mark.
_PROMPT = re.compile(lexicon.PROMPT)
# Questions about the interview itself, not its subject ("Is this recorded?"): no questions of the subject.
_ABOUT_THE_INTERVIEW = lazy_compile(lexicon.ABOUT_THE_INTERVIEW)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Other scripts' question marks, read as `?`: Arabic's `؟`, the full-width `？` of Chinese and Japanese,
# Ethiopic's `፧`, Armenian's `՞` (written over the stressed vowel, inside the word) and Greek's `;` (U+037E).
_QUESTION_MARKS = str.maketrans(dict.fromkeys("؟？፧՞\u037e", "?"))
# Greek's question mark is the ASCII `;` too (U+037E decomposes to it, and keyboards type it): after a Greek
# word it asks, as Greek writes its semicolon as a raised dot (`·`). Elsewhere `;` stays a semicolon.
_GREEK_QUESTION = re.compile(lexicon.GREEK_QUESTION_END)
_GREEK_QUESTION_START = lazy_compile(lexicon.GREEK_QUESTION_START)
# An interviewer speaking to several ("Thanks to you both"); a sentence of one's own experience (lexicon).
_SEVERAL = lazy_compile(lexicon.SEVERAL_ADDRESSED)
_FIRST_PERSON = re.compile(lexicon.FIRST_PERSON)
_FRAMING = lazy_compile(lexicon.FRAMING)


def question_marks(text: str) -> str:
    """The text with other scripts' question marks written `?` (Greek `Τι κάνατε;`, Arabic `؟`, Chinese
    `？`, Armenian `՞`, Ethiopic `፧`): before, a Greek interviewer's questions asked nothing, and both
    speakers were read as participants. A Spanish question opened with `¿` and never closed ("¿Cómo
    llegan las llamadas", as speech recognition and hurried typists leave it) is closed with `?`."""
    if text.isascii():
        return text
    if any(mark in text for mark in "؟？፧՞\u037e"):  # a scan each, faster than translating every turn
        text = text.translate(_QUESTION_MARKS)
    if "¿" in text:
        text = _OPEN_QUESTION.sub(_closed, text)
    if ";" in text:
        text = _GREEK_QUESTION.sub("?", text)
    # A question whose mark was left out, in the two scripts that show it without one: a Chinese particle
    # at its end, a Greek question word at its start. Before, such an interviewer asked nothing, and the
    # roles went by the rest (or to the participant who asked a question back). A scan each, English
    # text holding none of these letters.
    if "吗" in text or "嗎" in text or "呢" in text:
        text = _ZH_QUESTION_END.sub(_zh_question, text)
    if any(letter in text for letter in "ΠπΤτΜμ"):
        text = _GREEK_QUESTION_START.sub(lambda m: m["sentence"] + "?", text)
    return text


# A tag after a statement asks nothing (`他们就走了，不是吗`, "they just left, didn't they"), as "you know?" does
# not; nor `呢` in a statement (`他还在桥上呢`, "he is still on the bridge").
_ZH_QUESTION_END = re.compile(lexicon.ZH_QUESTION_END)
_ZH_QUESTION_WORD = re.compile(lexicon.ZH_QUESTION_WORD)
_ZH_STATEMENT_NE = re.compile(r"[在着著还還正]")
_ZH_SENTENCE_CHARS = 200
_ZH_SHORT_NE = 4  # characters before `呢` that ask by themselves: `那你呢`, `那夜班呢`


def _zh_question(m: re.Match) -> str:
    text, particle = m.string, m[0]
    # The sentence before it, looked for in the characters just before (each particle's search bounded, so a
    # text of many particles and no stop is read in linear time).
    floor = max(0, m.start() - _ZH_SENTENCE_CHARS)
    start = max(floor - 1, *(text.rfind(mark, floor, m.start()) for mark in "。！？!?\n.")) + 1
    sentence = text[start : m.start()].strip()
    clause = sentence[max(sentence.rfind(mark) for mark in "，,、") + 1 :].strip()
    if particle == "呢":
        asks = bool(_ZH_QUESTION_WORD.search(sentence)) or (
            len(clause) <= _ZH_SHORT_NE and clause == sentence and not _ZH_STATEMENT_NE.search(clause)
        )
    else:
        asks = not (clause == "不是" and clause != sentence)
    return particle + "?" if asks else particle


# A question opened with `¿`, to its `?` or the end of its sentence (a stop or "!" before a space or the
# end, a line's end, the text's end); a stop inside a number ("2.5") does not end it.
_OPEN_QUESTION = re.compile(r"¿(?:[^?.!\n]|[.!](?![ \t\n]|$))*(?:\?|[.!]|(?=\n)|$)")


def _closed(question: re.Match) -> str:
    """The question with its `?`: the sentence's stop made one, or one added after its last word."""
    said = question[0]
    if said.endswith("?"):
        return said
    if said.endswith((".", "!")):
        return said[:-1] + "?"
    words = said.rstrip()
    return words + "?" + said[len(words) :]


def asks_about_the_subject(text: str) -> bool:
    """The turn asks a question (asks_question) that is not about the interview itself: "Is this recorded?
    Who sees it?" asks none, "Is this recorded? And where do you take them?" does."""
    text = question_marks(text)
    return any(
        asks_question(sentence) and not _ABOUT_THE_INTERVIEW.search(sentence)
        for sentence in _SENTENCE.split(text.strip())
        if sentence
    )


def _subject_questions(turns: Sequence) -> Counter[str]:
    """The turns of each speaker that ask about the subject, not only about the interview itself."""
    return Counter(
        t.speaker
        for t in turns
        if t.speaker is not None and asks_question(text := _text(t)) and asks_about_the_subject(text)
    )


@dataclass(frozen=True)
class RoleResult:
    """Each labelled speaker's role with a reason; `status` is inferred, given or review."""

    speakers: tuple[Speaker, ...]
    status: str
    reason: str = ""  # why the roles need review ("" otherwise)
    named: frozenset[str] = frozenset()  # labels an id, a label form, a cover or the CSV gave a role

    def role_of(self, speaker: str | None) -> str:
        """The role of a segment by `speaker`: unlabelled text is `review` when the transcript has labels
        (nobody knows who said it) and `participant` when it has none (a speakerless file)."""
        if speaker is None:
            return REVIEW if self.speakers else PARTICIPANT
        return self._roles.get(speaker, PARTICIPANT)

    @functools.cached_property
    def _roles(self) -> dict[str, str]:
        # Looked up, not searched: a search per segment was quadratic in a file of thousands of labels.
        roles: dict[str, str] = {}
        for s in self.speakers:
            roles.setdefault(s.label, s.role)
        return roles


# Remembered: reading one transcript asks it of each turn about five times (roles inferred again after
# back-channels fold, covers, slips), a tenth of reading it. Enough entries for a long transcript's turns.
@functools.lru_cache(maxsize=1 << 14)
def asks_question(text: str) -> bool:
    """A turn asks a question: it has a question mark (not only a tag ending a statement, such as "He came
    down, you know what I mean?"), or an interviewer's prompt ("Tell me about..."). Other scripts' question
    marks are read as `?` (question_marks)."""
    text = question_marks(text)
    if "?" in text and "?" in _TAG_QUESTION.sub(_tag_of_a_statement, text):
        return True
    folded = text.casefold()
    return any(word in folded for word in lexicon.PROMPT_WORDS) and _has_prompt(text)


def _has_prompt(text: str) -> bool:
    """_PROMPT.search(text) is not None, the pattern tried only where a match can start: at the text's
    start or at a sentence's end mark (`.`, `!`, `。`, `！`). Searched at every character, a pattern that
    opens with an assertion and ignores case was a tenth of reading the corpus's turns."""
    if _PROMPT.match(text):
        return True
    for mark in ".!。！":
        at = text.find(mark, 1)
        while at != -1:
            if _PROMPT.match(text, at):
                return True
            at = text.find(mark, at + 1)
    return False


def _tag_of_a_statement(tag: re.Match) -> str:
    """The tag itself when its sentence is a question before it ("Who decided where the cars would go, do
    you know?", "Did you know?"); nothing for a tag that ends a statement ("We wait, you know?")."""
    text = tag.string
    start = max(text.rfind(mark, 0, tag.start()) for mark in ".!?\n") + 1
    return tag[0] if _QUESTION_START.match(text, start, tag.start()) else ""


# Remembered: reading a transcript normalises its few labels again at each of their turns (covers,
# later covers, cover roles), some 37,000 times over the study corpus.
@functools.lru_cache(maxsize=1 << 14)
def normalise_id(value: str) -> str:
    """Compare labels and ids ignoring case, spacing and leading zeros: "P1" matches "p01"."""
    text = " ".join(value.casefold().split())
    # int() reads other scripts' digits too; a number longer than int() reads (4,300 digits: only a
    # damaged or crafted file has one) loses its leading zeros only.
    return re.sub(r"\d+", lambda m: str(int(m[0])) if len(m[0]) < 4300 else m[0].lstrip("0") or "0", text)


def leading_part(transcript_id: str) -> str | None:
    """The id's first word when the id goes on after it and the word has a digit: `BSR01` of
    `BSR01_transcript_deidentified`, `P1` of `P1 - interview`; None otherwise."""
    m = re.match(r"[^\W_]+", transcript_id)
    if not m or m.end() == len(transcript_id) or not any(c.isdigit() for c in m.group()):
        return None
    return m.group()


def _text(turn) -> str:
    text = getattr(turn, "text", None)
    return text if isinstance(text, str) else "\n\n".join(getattr(turn, "paragraphs", []))


@dataclass
class _Stats:
    label: str
    first: int  # index of the speaker's first turn
    turns: int = 0
    words: int = 0
    questions: int = 0
    lengths: list[int] | None = None

    @property
    def rate(self) -> float:
        return self.questions / self.turns if self.turns else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.lengths) if self.lengths else 0.0


def _stats(turns: Sequence) -> dict[str, _Stats]:
    stats: dict[str, _Stats] = {}
    for i, turn in enumerate(turns):
        if turn.speaker is None:
            continue
        s = stats.setdefault(turn.speaker, _Stats(turn.speaker, i, lengths=[]))
        text = _text(turn)
        words = count_words(text)  # once: a study's turns hold a million words
        s.turns += 1
        s.words += words
        s.questions += asks_question(text)
        s.lengths.append(words)
    return stats


def _speaker(s: _Stats, role: str, reason: str, *, given: bool = False) -> Speaker:
    return Speaker(s.label, role, reason, s.turns, s.words, s.questions, given)


def split_labels(values: Iterable[str]) -> list[str]:
    """The labels of `--interviewer-labels`, which may be given more than once: each value is a
    comma-separated list, and a label holding a comma is put in double quotes, as in a CSV row
    (`'"Whitfield, Dana (WEI Lab)",Interviewer'`). Raises TranscriptError for a quote never closed or
    no label at all."""
    labels = []
    for value in values:
        if value.count('"') % 2:
            raise TranscriptError(
                f"--interviewer-labels {shlex.quote(value)}: a double quote is never closed. Put a label that holds "
                """a comma in double quotes: --interviewer-labels '"Whitfield, Dana (WEI Lab)",Interviewer'."""
            )
        row = next(csv.reader([value], skipinitialspace=True), [])
        labels += [label.strip() for label in row if label.strip()]
    if not labels:
        raise TranscriptError(
            "--interviewer-labels names no label. Give the interviewers' labels "
            '(--interviewer-labels "Interviewer,Int"), or leave it out to infer the roles.'
        )
    return labels


def given_roles(
    turns: Sequence,
    interviewer_labels: Sequence[str],
    *,
    origin: str = "--interviewer-labels",
    given: bool = True,
    team: Sequence[str] = DEFAULT_INTERVIEWER_LABELS,
    cover_roles: Mapping[str, str] | None = None,
) -> RoleResult:
    """`--interviewer-labels` (or another list, named by `origin`): those labels are interviewers, and so
    are the research team's role labels `team` (`Interviewer`, `Note-taker`...: a study's list of names
    adds to them, and a person sets another role with `transcripts roles`); every other speaker is a
    participant. With `given` False (a list read from a file, not typed by a person) the roles count as
    inferred.

    A given label that matches no speaker makes the roles `review` when it may have missed one: no
    speaker is an interviewer, or the label looks like a speaker left a participant (the same words in
    another order or case, the same surname, a first name alone, initials, one typo). A study's list of
    interviewers, most absent from any one file, is no doubt where one of them speaks. A speaker the
    cover sheet names as the interpreter (`cover_roles`) is left to review, as an `Interpreter:` label is,
    unless the list names them."""
    labels, team_labels = normalise_labels(interviewer_labels), normalise_labels(team)
    on_cover = {normalise_id(name) for name, role in (cover_roles or {}).items() if role == COVER_INTERPRETER}
    speakers = []
    stats = _stats(turns)
    for s in stats.values():
        if speaker_role(s.label, labels) == INTERVIEWER:
            role, reason = INTERVIEWER, f"in {origin}"
        elif speaker_role(s.label, team_labels) == INTERVIEWER:
            role, reason = INTERVIEWER, f"a known interviewer label (added to {origin})"
        elif _is_interpreter(s.label):
            role, reason = REVIEW, INTERPRETER_REASON
        elif is_collective(s.label):
            role, reason = REVIEW, COLLECTIVE_REASON
        elif normalise_id(s.label) in on_cover:
            role, reason = REVIEW, COVER_INTERPRETER_REASON
        else:
            role, reason = PARTICIPANT, f"not in {origin}"
        speakers.append(_speaker(s, role, reason, given=given))
    # The radio a participant plays or quotes is no participant the list could name: another speaker,
    # decided from the turns (not given by a person), and said.
    played = _played_voices(
        turns,
        stats,
        [sp.label for sp in speakers if sp.role == INTERVIEWER],
        [sp.label for sp in speakers if sp.role == PARTICIPANT],
    )
    speakers = [
        _speaker(stats[sp.label], OTHER, played[sp.label]) if sp.label in played else sp for sp in speakers
    ]
    missed = [
        label
        for label in dict.fromkeys(label.strip() for label in interviewer_labels if label.strip())
        if not any(speaker_role(s.label, [label]) == INTERVIEWER for s in speakers)
    ]
    if any(s.role == INTERVIEWER for s in speakers):
        missed = [
            m for m in missed if any(s.role == PARTICIPANT and _near_miss(m, s.label) for s in speakers)
        ]
    doubts = [_missed_labels(missed, speakers, origin)] if given and speakers and missed else []
    if device := _device_voices(speakers):
        doubts.append(device)
    elif successive := _successive_voices(turns, speakers):
        doubts.append(successive)
    if given and (asking := _asks_as_interviewer(turns, speakers)):
        doubts.append(
            ", ".join(f'"{label}"' for label in asking)
            + f" {'is' if len(asking) == 1 else 'are'} not in {origin} but "
            + ("asks" if len(asking) == 1 else "ask")
            + " as an interviewer does ("
            + "; ".join(asking.values())
            + "): a second interviewer whose label was not given, or a participant who asks; taken as "
            + ("a participant" if len(asking) == 1 else "participants")
        )
    if voiced := _interpreters_doubt([s.label for s in speakers if s.reason in INTERPRETING], speakers):
        doubts.insert(0, voiced)
    if several := [s.label for s in speakers if s.reason == COLLECTIVE_REASON]:
        doubts.insert(0, _collective_doubt(several, speakers))
    if doubts:
        return RoleResult(tuple(speakers), ROLES_REVIEW, "; ".join(doubts))
    return RoleResult(tuple(speakers), ROLES_GIVEN if given else ROLES_INFERRED)


INTERPRETER_REASON = "an interpreter: voices both sides, no participant until a person sets the role"
COVER_INTERPRETER_REASON = "named as interpreter on the cover sheet: " + INTERPRETER_REASON.removeprefix(
    "an interpreter: "
)
INTERPRETING = (
    INTERPRETER_REASON,
    COVER_INTERPRETER_REASON,
)  # the reasons that make a speaker an interpreter


COLLECTIVE_REASON = "several speaking at once: no one speaker, no participant until a person sets the role"


def _collective_doubt(labels: list[str], speakers: Iterable[Speaker]) -> str:
    """Why the roles need review when a label speaks for several at once (`Both:`, `All:`)."""
    speakers = list(speakers)
    quoted = ", ".join(f'"{label}"' for label in labels)
    turns = sum(s.turns for s in speakers if s.label in labels)
    return (
        f"{quoted} {'speaks' if len(labels) == 1 else 'speak'} for several people at once, no one speaker: "
        f"left to review, {turns} turn{'s' if turns != 1 else ''} neither coded nor counted as a participant "
        "until set (--other keeps them as context; --participant codes them as a participant of their own, "
        "one more in every count)"
    )


def _is_interpreter(label: str) -> bool:
    return bool(_INTERPRETER_LABEL.fullmatch(lexicon.fold(" ".join(label.split()))))


def _interpreters_doubt(labels: list[str], speakers: Iterable[Speaker]) -> str:
    """Why the roles need review when interpreters speak ("" when none does), with what each way of
    setting them counts: an interpreter's turns render the interviewer's questions as well as the
    participant's answers, so wei-qual gives them to no one else; set as a participant, the interpreter is
    one more participant in every count."""
    if not labels:
        return ""
    speakers = list(speakers)
    quoted = ", ".join(f'"{label}"' for label in labels)
    turns = sum(s.turns for s in speakers if s.label in labels)
    people = [s.label for s in speakers if s.role == PARTICIPANT and s.label not in labels]
    n, more = len(people), len(people) + len(labels)
    these = "their" if len(labels) > 1 else "the interpreter's"
    return (
        f"{quoted} {'is an interpreter' if len(labels) == 1 else 'are interpreters'}, voicing both sides: left "
        "to review, neither coded nor counted as a participant until set. --other keeps their turns as "
        f"context, never coded, and the interview counts {n} participant{'s' if n != 1 else ''}; --participant "
        f"makes {these} {turns} turn{'s' if turns != 1 else ''} coding and agreement units (those rendering the "
        f"interviewer's questions too), as {'participants' if len(labels) > 1 else 'a participant'} of their "
        f"own: the interview counts {more} participants in the reports and the methods passage. No role gives "
        "their turns to the participant they speak for"
    )


_DEVICE_VOICE = lazy_compile(lexicon.DEVICE_VOICE)
_DEVICE_VOICE_PERSON = re.compile(lexicon.DEVICE_VOICE_PERSON)


def _is_device_voice(s: _Stats) -> bool:
    """The label names a radio or recorded voice; one that names a person (`Dispatcher`) only when it asks
    nothing, since a dispatcher sitting in may ask the participant something."""
    label = lexicon.fold(" ".join(s.label.strip("[]* ").split()))
    return bool(_DEVICE_VOICE.fullmatch(label)) and not (
        s.questions and _DEVICE_VOICE_PERSON.fullmatch(label)
    )


def _played_voices(
    turns: Sequence, stats: Mapping[str, _Stats], interviewers: Iterable[str], candidates: Iterable[str]
) -> dict[str, str]:
    """The candidates whose label names a voice from a radio or a recording (`Dispatch`, `Radio`, `Body cam`,
    `911 call`: lexicon.DEVICE_VOICE), heard in FEW_VOICE_TURNS turns at most, that answer none of the
    interviewers' questions, beside another speaker who answers them: what a participant plays or quotes
    ("Dispatch: Unit 12, respond to..."), neither interviewer nor participant. Label -> reason.

    The radio may cut in straight after a question ("Unit twelve, copy a welfare check on Fifth."): that
    answers it only when the participant does not answer after it, or when the voice tells something in
    the first person ("I take the 911 call..."), as a dispatcher interviewed does. Taken for a
    participant, the radio counted as a second person interviewed and its lines were coded as a
    participant's words. A dispatcher interviewed answers the questions, or speaks more often: no such
    voice."""
    iv = set(interviewers)
    if not iv:
        return {}
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    devices = {
        label
        for label in candidates
        if label not in iv and stats[label].turns <= FEW_VOICE_TURNS and _is_device_voice(stats[label])
    }
    answers: Counter[str] = Counter()  # who speaks straight after a question, the radio passed over
    cut_in: set[str] = set()  # device voices heard straight after a question
    for i in range(len(said) - 1):
        if said[i][0] not in iv or not asks_question(said[i][1]):
            continue
        j = i + 1
        while j < len(said) and said[j][0] in devices:
            cut_in.add(said[j][0])
            j += 1
        if j < len(said) and said[j][0] not in iv:
            answers[said[j][0]] += 1
        elif j > i + 1:  # nobody answers after the voice: it answered
            answers[said[j - 1][0]] += 1
    own = {label for label, text in said if label in cut_in and _FIRST_PERSON.search(text)}
    voices = [label for label in devices if label not in answers and label not in own]
    if not set(answers).difference(voices):
        return {}
    return {
        label: (
            f"{PLAYED_VOICE_REASON}, answers none of the interviewers' questions: played or quoted by a "
            "participant, neither coded nor counted"
        )
        for label in voices
    }


def _asks_as_interviewer(turns: Sequence, speakers: Sequence[Speaker]) -> dict[str, str]:
    """The speakers left participants beside the given interviewers who only ask, as a panel's colleague
    does: two questions or more that the one speaker who answers the interviewers answers, in half their
    turns or more, and no turn of their own (neither a question nor an acknowledgement); with what they
    ask. A batch given only its lead interviewer's label, whose colleague put the follow-ups in this file
    ("Ortiz, Sam (WEI Lab)"). None where several answer the interviewers (a pair, a group)."""
    interviewers = {s.label for s in speakers if s.role == INTERVIEWER}
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    asks = [asks_question(text) for _, text in said]
    answerers = {
        said[i + 1][0] for i in range(len(said) - 1) if said[i][0] in interviewers and asks[i]
    } - interviewers
    if len(answerers) != 1:
        return {}
    (main,) = answerers
    found = {}
    for s in speakers:
        if s.role != PARTICIPANT or s.label == main:
            continue
        mine = [i for i, (speaker, _) in enumerate(said) if speaker == s.label]
        put = sum(1 for i in mine if asks[i] and i + 1 < len(said) and said[i + 1][0] == main)
        own = sum(
            1
            for i in mine
            if not asks[i] and not (_ACKNOWLEDGES.match(said[i][1]) and len(said[i][1].split()) <= ACK_WORDS)
        )
        if put >= 2 and put >= ALSO_ASKS_RATE * len(mine) and not own:
            found[s.label] = f'asks in {put} of {len(mine)} turns, answered by "{main}"; answers none'
    return found


def _missed_labels(missed: list[str], speakers: list[Speaker], origin: str) -> str:
    """Which given labels match no speaker, with the speakers there are; and a label that a comma split."""
    shown = [f'"{m}"' for m in missed]
    names = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
    listed = ", ".join(f'"{s.label}"' for s in speakers)
    why = f"{origin} {names} match{'es' if len(missed) == 1 else ''} no speaker here (speakers: {listed})"
    squeeze = {re.sub(r"\s*,\s*", ",", s.label.casefold()): s.label for s in speakers}
    for i in range(len(missed)):
        for j in range(i + 2, len(missed) + 1):
            whole = squeeze.get(",".join(m.casefold() for m in missed[i:j]))
            if whole is not None:
                return why + f'; "{whole}" is one label: put a label that holds a comma in double quotes'
    return why


def _near_miss(label: str, speaker: str) -> bool:
    """A given label that may mean this speaker: "Dana Whitfield" for "Whitfield, Dana (WEI Lab)", "dana
    whitfield" or "Dana", "DW" or "D. W." for "Dana Whitfield", "Pryia Raman" for "Priya Raman". A
    participant label (`Interviewee`, `P07`) is no one's near miss."""
    if _PARTICIPANT_LABEL.fullmatch(speaker.strip()):
        return False
    (a, a_comma), (b, b_comma) = _name_words(label), _name_words(speaker)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    for name, words, other in ((label, a, b), (speaker, b, a)):
        if re.fullmatch(r"(?:[A-Z]\.?[ \t]*){2,3}", name.strip()) and len(other) > 1:
            letters = "".join(w[0] for w in other)
            return "".join(words) in (letters, letters[::-1])
    if len(a) == 1 or len(b) == 1:  # a first name or a surname alone
        (one,), other = (a, b) if len(a) == 1 else (b, a)
        return len(one) >= 3 and any(_one_typo(one, w) for w in other)
    return _one_typo(a[0] if a_comma else a[-1], b[0] if b_comma else b[-1])  # the surnames


def _name_words(name: str) -> tuple[list[str], bool]:
    """A name's words, casefolded, without a note in brackets; and whether it is written "Last, First"."""
    plain = re.sub(r"\([^()]*\)", " ", name.casefold())
    return re.findall(r"[^\W\d_]+", plain), "," in plain


def _one_typo(a: str, b: str) -> bool:
    """Equal, or (words of 4 letters or more) one letter changed, added, dropped or swapped."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    # Optimal string alignment distance, row by row.
    prev2, prev = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x != y)))
            if prev2 is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1] <= 1


# A transcription service's stand-in for a speaker it could not name (Otter's `Unknown Speaker`,
# `Speaker 2`, AssemblyAI's `A`, pyannote's `SPEAKER_00`): another file's `Speaker 2` is someone else.
_PLACEHOLDER = re.compile(
    r"(?:unknown|unidentified)(?:\s+speaker)?(?:[\s_-]*\d+)?|(?:speaker|spk|voice)(?:[\s_-]*\d+|[\s_-]+[a-z])?"
    r"|s[\s_-]*\d+|[a-z]",
    re.IGNORECASE,
)


_UNKNOWN_VOICE = re.compile(lexicon.UNKNOWN_VOICE, re.IGNORECASE)


def is_placeholder(label: str) -> bool:
    """Whether a speaker label is a service's stand-in, not a name a project can remember."""
    label = label.strip()
    return bool(label) and _PLACEHOLDER.fullmatch(label) is not None


def fold_notes(turns: Sequence) -> list:
    """The turns with a transcriber's notes (`Note:`, `Transcriber's Note:` turns) put back into the turn
    before each as a paragraph `Note: ...`, as a `Note:` line that occurs once is read: a note is
    nobody's speech, so no speaker (nor participant). A note before any turn is text with no speaker."""
    out: list = []
    for turn in turns:
        if turn.speaker is None or not _NOTE_LABEL.fullmatch(turn.speaker.strip()):
            out.append(turn)
            continue
        note = f"{turn.speaker}: {_text(turn)}"
        if out:
            out[-1] = join_turns(out[-1], turn, prefix=f"{turn.speaker}: ")
        else:
            out.append(dataclasses.replace(turn, speaker=None, paragraphs=[note]))
    return out


TYPO_LABEL_LETTERS = 6  # a role label this long, or longer, typed with a slip: `Interviwer`, `Partcipant`


def _role_word(label: str) -> bool:
    """A role label spelt out (`Interviewer`, `Participant`, `Respondent`, `Moderator`, `Entrevistadora`),
    long enough that one slip of a key leaves it recognisable."""
    word = lexicon.fold(label.strip())
    return (
        len(word) >= TYPO_LABEL_LETTERS
        and word.isalpha()
        and (
            speaker_role(label, DEFAULT_INTERVIEWER_LABELS) == INTERVIEWER
            or bool(_PARTICIPANT_LABEL.fullmatch(label.strip()))
        )
    )


def label_slips(counts: Mapping[str, int]) -> dict[str, str]:
    """Role labels typed with a slip (`Interviwer`, `Partcipant` in a hand-typed transcript that labels the
    other turns `Interviewer:` and `Participant:`), each with the label it misspells: one letter changed,
    added, dropped or swapped, in a label heard less often (`counts`: the labels and how often each starts a
    turn) than the role label the file uses, and itself no label of a known form nor one with a digit
    (`P1` and `P2` are two people). Read as a speaker of its own, the interviewer's question under
    `Interviwer:` was coded as a participant's words and `Partcipant:` counted as a second participant."""
    roles = [label for label in counts if _role_word(label)]
    slips: dict[str, str] = {}
    for label, n in counts.items():
        if label in roles or any(c.isdigit() for c in label) or is_known(label):
            continue
        word = lexicon.fold(label.strip())
        near = [
            r
            for r in roles
            if counts[r] > n
            and _one_typo(word, lexicon.fold(r.strip()))
            and word != lexicon.fold(r.strip()) + "s"  # `Participants:`, several at once, is no slip
        ]
        if len(near) == 1:
            slips[label] = near[0]
    return slips


def fold_label_typos(turns: Sequence) -> list:
    """The turns with a role label typed with a slip (label_slips) given the label it misspells; a turn that
    then follows one of the same speaker goes on with it, as a paragraph. Each turn keeps the labels it was
    given so in `typos`, for the warning. The text readers do this as they read the labels
    (plain.parse_lines); this is for turns read otherwise (a Word table's speaker column)."""
    slips = label_slips(Counter(t.speaker for t in turns if t.speaker is not None))
    if not slips:
        return list(turns)
    out: list = []
    for turn in turns:
        if turn.speaker not in slips:
            out.append(turn)
            continue
        label = slips[turn.speaker]
        typos = (*turn.typos, turn.speaker)
        if out and out[-1].speaker == label:
            prev = out[-1]
            out[-1] = join_turns(
                prev,
                turn,
                end_time=turn.end_time if turn.end_time is not None else prev.end_time,
                typos=(*prev.typos, *typos),
            )
        else:
            out.append(dataclasses.replace(turn, speaker=label, typos=typos))
    return out


# A note in parentheses closing a display name: pronouns (`(she/her)`), a team, `(Guest)`.
_NAME_NOTE = re.compile(r"[ \t]*\([^()]*\)[ \t]*$")


def renamed_labels(labels: Iterable[str]) -> dict[str, str]:
    """Display names that are another's with a note in parentheses added (`Dana Whitfield (she/her)` beside
    `Dana Whitfield`, as Zoom names a speaker who sets their pronouns or renames themselves mid-meeting),
    each with the bare name: one speaker, where the file holds the bare name and one noted form of it only
    (`Interviewer 1 (JD)` beside `Interviewer 1 (MK)` are two people). Read as two, the interviewer and the
    participant were each counted twice, and with the questions split no one was the interviewer."""
    labels = set(labels)
    noted: dict[str, list[str]] = {}
    for label in labels:
        bare = _NAME_NOTE.sub("", label) if label.endswith(")") else label
        if bare != label and bare:
            noted.setdefault(bare, []).append(label)
    return {forms[0]: bare for bare, forms in noted.items() if bare in labels and len(forms) == 1}


_PRONOUN_WORD = (
    r"(?:she|her|hers|he|him|his|they|them|their|theirs|it|its|xe|xem|xyr|xir|ze|zie|hir|zir|ey|em|eir|fae|faer"
    r"|any|all)"
)
# The pronouns a meeting service shows after a display name: `(she/her)`, `(he / they)`, `(any pronouns)`.
_PRONOUNS = lazy_compile(
    rf"(?i)(?:pronouns:?[ \t]*)?{_PRONOUN_WORD}(?:[ \t]*/[ \t]*{_PRONOUN_WORD}){{1,3}}|any[ \t]+pronouns?"
)


def noted_names(labels: Iterable[str]) -> dict[str, str]:
    """renamed_labels whose note gives pronouns or a role (`Dana Whitfield (she/her)`, `Ana Ruiz
    (interpreter)`), as a display name carries them: a text file's label heard once counts as one of these
    forms. Never a note of what was done (`Sgt Okafor (laughing):`), which a line of text may open with."""
    noted = renamed_labels(labels)
    if not noted:
        return {}
    defaults = normalise_labels(DEFAULT_INTERVIEWER_LABELS)
    out = {}
    for name, bare in noted.items():
        note = name[len(bare) :].strip()[1:-1].strip()
        if _PRONOUNS.fullmatch(note) or (_labelled_role(note, defaults) and not is_placeholder(note)):
            out[name] = bare
    return out


def titled_labels(labels: Iterable[str]) -> dict[str, str]:
    """Names that are another label shortened, as a typist shortens a label after the first turns: its
    rank or title left off (`Diaz` beside `Officer Diaz`), its first name (`Bell` beside `Marcus Bell`),
    its surname (`Marcus`, `Mary Ann` beside `Mary Ann Lopez`), or the first name an initial (`M. Bell`);
    each with the full label: one speaker, where one label of the file only is so (`Mr. Diaz` and `Mrs.
    Diaz` beside `Diaz` are left as typed). Also one name written two ways (labels.name_key: `O’Neil` and
    `O'Neil`, `Sgt. Ramos` and `Sergeant Ramos`, `De La Cruz` and `de la Cruz`), read as the first heard.
    A surname with a particle (`De La Cruz`, `van der Berg`, `al-Farsi`) is shortened whole only: `Cruz`
    beside `Maria De La Cruz` may be another person (labels.surname_tails) and is left as typed. Read as
    two, the one participant was counted twice. `labels` in the order heard."""
    order = list(dict.fromkeys(labels))
    first: dict[tuple[str, ...], str] = {}
    alike: dict[str, str] = {}  # a name written two ways -> the first form heard
    for label in order:
        if (seen := first.setdefault(name_key(label), label)) != label:
            alike[label] = seen
    longer: dict[str, list[tuple[str, list[str]]]] = {}  # short form -> (label, the words it leaves off)
    tails: set[str] = set()  # the last words of a particle surname: maybe someone else
    for label in first.values():  # cheap before the titles are loaded: a label that holds another
        words = label.split()
        if len(words) < 2:
            continue
        start = surname_start(words)
        for k in range(1, len(words)):
            if (rest := first.get(name_key(" ".join(words[k:])))) is None:
                continue
            if start is not None and k > start:  # `Cruz` of `De La Cruz`: a particle surname only whole
                tails.add(rest)
            else:
                longer.setdefault(rest, []).append((label, words[:k]))
        given = start if start is not None else len(words) - 1
        if len(words) - given <= 3 and given <= 2:  # `Marcus`, `Mary Ann` for `Mary Ann Lopez`
            for j in range(1, given + 1):
                short = first.get(name_key(" ".join(words[:j])))
                if short is not None and all(w[:1].isupper() or is_particle(w) for w in words[j:]):
                    longer.setdefault(short, []).append((label, []))
        rest = " ".join(words[1:])
        for initial in (f"{words[0][0]}. {rest}", f"{words[0][0]} {rest}"):
            if (short := first.get(name_key(initial))) is not None and len(words[0]) > 2:
                longer.setdefault(short, []).append((label, []))  # `M. Bell` for `Marcus Bell`
    noted: dict[str, list[tuple[str, str]]] = {}  # `Dr. Kim` -> (`Interviewer (Dr. Kim)`, `Interviewer`)
    for label in first.values():
        if label.endswith(")") and (m := _NOTED_NAME.fullmatch(label)) is not None:
            words = m["note"].split()
            for k in range(len(words)):
                if (short := first.get(name_key(" ".join(words[k:])))) is not None and short != label:
                    noted.setdefault(short, []).append((label, m["role"]))
    if not longer and not alike and not noted:
        return {}
    from ..deid.names import TITLES

    titles = frozenset(t.casefold() for t in TITLES.split("|"))
    defaults = normalise_labels(DEFAULT_INTERVIEWER_LABELS)

    def a_name(label: str) -> bool:  # a person's name, not a role label, a title or a service's voice
        head = label.split()[0]
        return (
            (label[:1].isupper() or is_particle(head))
            and head.rstrip(".").casefold() not in titles
            and speaker_role(label, defaults) != INTERVIEWER
            and not is_placeholder(label)
            and not _PARTICIPANT_LABEL.fullmatch(label)
            and not is_known(label)
        )

    out: dict[str, str] = {}
    for short, forms in longer.items():
        full = list(
            dict.fromkeys(
                label
                for label, head in forms
                if len(head) <= 3 and all(w.rstrip(".").casefold() in titles or w[:1].isupper() for w in head)
            )
        )
        if (
            len(full) == 1
            and short not in tails
            and a_name(short)
            and (a_name(full[0]) or full[0].split()[0].rstrip(".").casefold() in titles)
        ):
            out[short] = full[0]
    for short, forms in noted.items():
        # A role label with the speaker's name in its note (`Interviewer (Dr. Kim)`, `Participant (Officer
        # Ramos)`), and the name alone as a label later: the one speaker, in the role the label gives.
        full = {label for label, role in forms if _labelled_role(role, defaults)}
        if (
            len(full) == 1
            and short not in out
            and not _labelled_role(short, defaults)
            and not is_known(short)
        ):
            out[short] = full.pop()
    for label, seen in alike.items():
        out[label] = out.get(seen, seen)
    for _ in range(2):  # `Kim` for `Dr. Kim`, itself `Interviewer (Dr. Kim)`'s name
        out = {short: out.get(full, full) for short, full in out.items()}
    return {short: full for short, full in out.items() if short != full}


# A role label with a note in parentheses that may be the speaker's name: `Interviewer (Dr. Kim)`.
_NOTED_NAME = re.compile(r"(?P<role>[^()]+?)[ \t]*\((?P<note>[^()]+)\)")


def _labelled_role(label: str, defaults: frozenset[str]) -> bool:
    """A label that names a role, not a person: an interviewer's, a participant's, an interpreter's."""
    return (
        speaker_role(label, defaults) == INTERVIEWER
        or _PARTICIPANT_LABEL.fullmatch(label.strip()) is not None
        or _is_interpreter(label)
        or is_placeholder(label)
    )


def fold_renamed(turns: Sequence, named: Iterable[str] = ()) -> list:
    """The turns with a display name and its noted form (renamed_labels) given the bare name, and a name
    with its title left off given the titled label (titled_labels); a turn that then follows one of the
    same speaker goes on with it, as a paragraph. Each keeps the name it had in `renamed`, for the
    warning. `named`: the speakers the attributes CSV names; two it names both are two people."""
    labels = list(dict.fromkeys(t.speaker for t in turns if t.speaker is not None))
    titled = titled_labels(labels)
    if titled and named:  # `P15,Marcus,officer` and `P15,Marcus Bell,clinician`: the team's sheet tells
        listed = {normalise_id(n) for n in named}
        titled = {s: f for s, f in titled.items() if not {normalise_id(s), normalise_id(f)} <= listed}
    if titled:
        # One answering straight after the other is two people (`Dr. Lee` and an officer named `Lee`): a
        # typist shortens a label between one person's turns, not within them.
        said = [t.speaker for t in turns if t.speaker is not None]
        after = set(itertools.pairwise(said))
        titled = {s: f for s, f in titled.items() if (s, f) not in after and (f, s) not in after}
    noted = renamed_labels(labels)
    if noted:
        # A note that gives the role (`Ana Ruiz (interpreter)`, `Dana Whitfield (Interviewer)`) is kept: the
        # bare name is the noted label, whose role it tells, not the other way round.
        defaults = normalise_labels(DEFAULT_INTERVIEWER_LABELS)
        for name, bare in list(noted.items()):
            note = name[len(bare) :].strip()[1:-1]
            if _labelled_role(note, defaults) and not is_placeholder(note):
                del noted[name]
                noted[bare] = name
    renames = {name: titled.get(bare, bare) for name, bare in noted.items()} | titled
    renames = {name: renames.get(label, label) for name, label in renames.items()}  # `Ruiz`: `Ana Ruiz (...)`
    renames = {name: label for name, label in renames.items() if name != label}
    if not renames:
        return list(turns)
    out: list = []
    for turn in turns:
        label = renames.get(turn.speaker)
        if label is not None:
            turn = dataclasses.replace(turn, speaker=label, renamed=(*turn.renamed, turn.speaker))
        prev = out[-1] if out else None
        if prev is not None and prev.speaker == turn.speaker and (label is not None or prev.renamed):
            out[-1] = join_turns(
                prev,
                turn,
                end_time=turn.end_time if turn.end_time is not None else prev.end_time,
                typos=(*prev.typos, *turn.typos),
                renamed=(*prev.renamed, *turn.renamed),
            )
        else:
            out.append(turn)
    return out


_BACK_CHANNEL = lexicon.BACK_CHANNEL  # "Yeah", "Mm hmm", "Ajá": one to BACK_CHANNEL_WORDS are a back-channel
BACK_CHANNEL_WORDS = 3


def is_back_channel(text: str) -> bool:
    """ "Yeah.", "Mm hmm.", "Right, right.", "Oh wow": one to three words of listening, nothing said."""
    words = re.findall(r"[\w'’-]+", text.casefold())
    return 0 < len(words) <= BACK_CHANNEL_WORDS and all(w in _BACK_CHANNEL for w in words)


def _unnamed_voice(label: str) -> bool:
    """A service's label for a voice it could not name (`Unknown Speaker`, `Speaker 3`, `SPEAKER_02`), not
    a person's: a named person's "Right." is theirs (a pair's, a group's agreement is data). A letter
    alone is no such label: AssemblyAI letters every voice, and a typist a person's initial."""
    return is_placeholder(label) and len(label.strip()) > 1


# A name set off by a comma in a sentence that speaks to someone: "Priya, you were the one who wrote it."
_ADDRESS = lazy_compile(
    r"(?:^|[.!?;:]\s+)([A-Z][\w'’-]+),\s+(?:you|your|you['’]\w+)\b|,\s+([A-Z][\w'’-]+)[.!]*\s*$"
)
# Words that open a sentence with a comma as a name would ("Honestly, you wait."): no one spoken to.
_NOT_A_NAME = frozenset(
    re.findall(
        r"\w+",
        "so well yeah yes yep no and but now okay ok honestly like right then again anyway basically actually "
        "look listen see because also sure oh um uh mind",
    )
)


def _addresses(text: str) -> bool:
    """The text speaks to someone by name ("Priya, you were the one who wrote the script."): their
    "Yes." after it answers."""
    return any(
        name and name.casefold() not in _NOT_A_NAME
        for m in _ADDRESS.finditer(text.strip())
        for name in m.groups()
    )


def back_channels(turns: Sequence, roles: RoleResult) -> frozenset[str]:
    """The voices that only listen, in a one-to-one interview: every turn of a speaker the service could
    not name (_unnamed_voice) is a back-channel (is_back_channel) between two turns of the one speaker
    who answers the interviewers' questions, the first of which asks nothing and speaks to no one by name
    (else "Yeah." may be an answer). Otter's `Unknown Speaker` saying "Yeah." in the middle of an answer
    splits it in two; it is nobody's turn. Never an interviewer, the one who answers, a speaker with a
    name, nor one an id, a label form, a cover or the CSV names."""
    role = {s.label: s.role for s in roles.speakers}
    said = [(t.speaker, _text(t)) for t in turns]
    answerers = {
        said[i + 1][0]
        for i in range(len(said) - 1)
        if role.get(said[i][0]) == INTERVIEWER
        and said[i + 1][0] is not None
        and role.get(said[i + 1][0]) != INTERVIEWER
        and asks_question(said[i][1])
    }
    if len(answerers) != 1:  # nobody answers, or a group
        return frozenset()
    (main,) = answerers
    listens: dict[str, bool] = {}
    for i, (speaker, text) in enumerate(said):
        if (
            speaker is None
            or speaker == main
            or speaker in roles.named
            or role.get(speaker) not in (PARTICIPANT, REVIEW)  # a voice heard once is left to review
            or not _unnamed_voice(speaker)
        ):
            continue
        inside = 0 < i < len(said) - 1 and said[i - 1][0] == said[i + 1][0] == main
        before = said[i - 1][1] if inside else ""
        listening = inside and is_back_channel(text) and not asks_question(before) and not _addresses(before)
        listens[speaker] = listens.get(speaker, True) and listening
    return frozenset(label for label, only in listens.items() if only)


def fold_back_channels(turns: Sequence, labels: frozenset[str]) -> list:
    """The turns with the back-channels of `labels` (see back_channels) put into the turn they interrupt,
    as a paragraph that keeps its label (`Unknown Speaker: Yeah.`, as a transcriber's note is kept), and
    that turn joined with the one after it: one answer, one coding unit. Each joined turn names the
    labels in `back_channels`."""
    out: list = []
    joined = False  # the last turn took a back-channel: the speaker's next turn goes on with it
    for turn in turns:
        if turn.speaker in labels:
            prev = out[-1]
            out[-1] = join_turns(
                prev, turn, prefix=f"{turn.speaker}: ", back_channels=(*prev.back_channels, turn.speaker)
            )
            joined = True
        elif joined and turn.speaker == out[-1].speaker:
            prev = out[-1]
            end = turn.end_time if turn.end_time is not None else prev.end_time
            out[-1] = join_turns(
                prev, turn, end_time=end, back_channels=(*prev.back_channels, *turn.back_channels)
            )
            joined = False
        else:
            out.append(turn)
            joined = False
    return out


def infer_roles(
    turns: Sequence,
    transcript_id: str,
    participant_ids: Iterable[str] = (),
    known_interviewers: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
    *,
    cover_roles: Mapping[str, str] | None = None,
    cover_conflicts: Sequence[str] = (),
    named_interviewers: Mapping[str, str] | None = None,
) -> RoleResult:
    """Each labelled speaker's role from evidence (see the module docstring). Pure.

    `turns` are the reader's turns (anything with `speaker` and `text` or `paragraphs`), in order;
    `cover_roles` the speakers the file's cover sheet names, with their role; `cover_conflicts` the
    speakers one cover names interviewer and another participant (two sessions in one file): their role
    comes from the turns, and the roles need review, since it is wrong for one session's turns;
    `named_interviewers` the speakers the front matter or the attributes CSV name as interviewers, each
    with where.
    """
    stats = _stats(turns)
    if not stats:
        return RoleResult((), ROLES_REVIEW, "no speaker labels")
    ids = {normalise_id(p) for p in participant_ids if p.strip()}
    listed = {normalise_id(p): where for p, where in (named_interviewers or {}).items() if p.strip()}
    own = normalise_id(transcript_id)
    lead = leading_part(transcript_id)
    lead = normalise_id(lead) if lead else None
    known = normalise_labels(known_interviewers)
    defaults = normalise_labels(DEFAULT_INTERVIEWER_LABELS)
    cover = {normalise_id(name): role for name, role in (cover_roles or {}).items()}
    qa = any(normalise_id(label) == _QUESTION_LABEL for label in stats)
    letters = {normalise_id(label) for label in stats if len(label.strip()) == 1}
    # ...and beside a focus group's numbered `P1:`, `P2:`, when every other label is a P.
    ep = letters == {_ES_INTERVIEWER, _ES_PARTICIPANT} or (
        _ES_INTERVIEWER in letters
        and len(stats) > 1
        and all(
            _NUMBERED_P.fullmatch(label.strip()) for label in stats if normalise_id(label) != _ES_INTERVIEWER
        )
    )

    decided: dict[str, Speaker] = {}
    id_clash: list[str] = []  # labels the file is named after that interviewed earlier in this project
    interpreters: list[str] = []
    collective: list[str] = []  # labels for several speaking at once
    shared_name: list[str] = []  # names remembered as interviewers that ask nothing here
    for s in stats.values():
        label = normalise_id(s.label)
        # A file named after a role label (`moderator.txt` of `Moderator:` turns, `interviewer 1.txt`): the
        # label's role wins over the file name's, and the reason says the name was passed over.
        is_id = label == own or (lead is not None and label == lead)
        named_file = "; the file is named after it, not taken as the participant's id" if is_id else ""
        if label in cover and cover[label] == COVER_INTERPRETER and not is_id:
            # `Interpreter: Ana Ruiz` over `Ana Ruiz:` turns: an interpreter as `Interpreter:` turns are.
            decided[s.label] = _speaker(s, REVIEW, COVER_INTERPRETER_REASON)
            interpreters.append(s.label)
        elif (
            label in cover
            and cover[label] != COVER_INTERPRETER
            and not (is_id and cover[label] == PARTICIPANT)
        ):
            why = f"named as {cover[label]} on the cover sheet{named_file}"
            decided[s.label] = _speaker(s, cover[label], why)
        elif label in listed:  # `P91,Dana Whitfield,interviewer`: read as a participant, her questions coded
            decided[s.label] = _speaker(s, INTERVIEWER, listed[label])
        elif _is_interpreter(s.label):
            # Their turns render the others' words: counted as a participant of their own, what they say
            # would be a second participant's; left to review, neither coded nor counted until a person
            # sets the role.
            decided[s.label] = _speaker(s, REVIEW, INTERPRETER_REASON)
            interpreters.append(s.label)
        elif is_collective(s.label):
            # `Both:`, `All:`: several at once, no one speaker; counted, it was one more participant.
            decided[s.label] = _speaker(s, REVIEW, COLLECTIVE_REASON)
            collective.append(s.label)
        elif (
            speaker_role(s.label, known) == INTERVIEWER
            and (not is_id or speaker_role(s.label, defaults) == INTERVIEWER)
            and not (
                # A name remembered from an earlier file that asks nothing here, beside someone who asks:
                # a participant who shares the interviewer's name (two Danas). The turns decide, said below.
                speaker_role(s.label, defaults) != INTERVIEWER
                and s.turns >= 2
                and s.questions == 0
                and any(o.questions >= 2 for o in stats.values() if o is not s)
                and (shared_name := [*shared_name, s.label])
            )
        ):
            default = speaker_role(s.label, defaults) == INTERVIEWER
            why = "a known interviewer label" if default else "an interviewer named earlier in this project"
            decided[s.label] = _speaker(s, INTERVIEWER, why + named_file)
        elif is_id:
            part = "" if label == own else "the start of "
            decided[s.label] = _speaker(s, PARTICIPANT, f"label is {part}the transcript id")
            if speaker_role(s.label, known) == INTERVIEWER:  # interviewed earlier, and the file's name
                id_clash.append(s.label)
        elif label in ids:
            decided[s.label] = _speaker(s, PARTICIPANT, "named as a participant in the attributes CSV")
        elif ep and label == _ES_INTERVIEWER:
            decided[s.label] = _speaker(
                s, INTERVIEWER, "E (entrevistador/a) beside P: a known interviewer label"
            )
        elif (
            _PARTICIPANT_LABEL.fullmatch(s.label.strip())
            or _PARTICIPANT_LABEL.fullmatch(role_after_name(s.label) or "")  # `Marcus Bell (Participant)`
            or (qa and label == _ANSWER_LABEL)
            or (ep and label == _ES_PARTICIPANT)
        ):
            decided[s.label] = _speaker(s, PARTICIPANT, "a participant label")

    named = set(decided)
    order = list(stats.values())
    if interpreters or collective:  # weigh the others' turns as if these were not there: transparent
        aside = {*interpreters, *collective}
        stats = {label: s for label, s in stats.items() if label not in aside}
        turns = [t for t in turns if t.speaker not in aside]
    total_q = sum(s.questions for s in stats.values())
    open_ = [s for s in stats.values() if s.label not in decided]
    status, why = ROLES_INFERRED, ""
    weighed = False  # the other speaker's questions were weighed already

    def share(s: _Stats) -> str:
        return _asks(s, total_q)

    interviewers = [label for label, sp in decided.items() if sp.role == INTERVIEWER]
    if open_ and not interviewers:
        top = max(open_, key=lambda s: (s.questions, s.rate, -s.median, -s.first))
        others = [s for s in stats.values() if s is not top]
        rivals = [s for s in open_ if s is not top]
        first = min(stats.values(), key=lambda s: s.first) is top
        # A voice heard once asks in all or none of its turns: one question ("Unit twelve, can you take a
        # disturbance on Fifth?", the radio) is no rate to weigh against the interviewer's.
        asks_most = all(top.rate > o.rate for o in others if o.turns > 1 or o.label in decided) and all(
            top.questions > o.questions for o in others
        )
        shorter = all(top.median < o.median for o in others)
        clear = total_q > 0 and top.questions / total_q >= CLEAR_SHARE and asks_most and (shorter or first)
        aside = None if clear or not total_q else _about_the_interview(turns, stats, open_)
        if aside is not None:  # set aside, one speaker clearly asks about the subject
            top, first, reason = aside
        if not rivals and others and not clear and aside is None:
            # The one speaker left beside the participant(s) the ids name: the interviewer, by elimination.
            reason = share(top) if total_q else "the other speaker beside the participant"
            decided[top.label] = _speaker(top, INTERVIEWER, reason)
            interviewers.append(top.label)
            if any(o.questions > top.questions for o in others):  # the evidence disagrees: a person looks
                status = ROLES_REVIEW
                why = f'"{top.label}" is taken as the interviewer beside the participant but asks fewer questions'
        elif clear:
            reason = share(top) + ("; speaks first" if first else "")
            decided[top.label] = _speaker(top, INTERVIEWER, reason)
            interviewers.append(top.label)
        elif aside is not None:
            decided[top.label] = _speaker(top, INTERVIEWER, reason)
            interviewers.append(top.label)
        elif not others:
            status, why = ROLES_REVIEW, f'only one speaker ("{top.label}")'
            decided[top.label] = _speaker(top, PARTICIPANT, "the only speaker")
        elif len(stats) == 2 and (drawer := _draws_answers(turns, stats)) is not None:
            # Both ask (small talk, a participant's rhetorical questions): the interviewer's draw the answers.
            # A participant's "Who sees this?" draws a long answer too, so unless every other signal agrees
            # this is the best guess, for a person to confirm.
            asker, longer, shorter = drawer
            other = next(o for o in stats.values() if o is not asker)
            drawing = f"the longer answers (a median {longer:g} words to {shorter:g})"
            if against := _disagrees(asker, other):
                status = ROLES_REVIEW
                why = (
                    "both speakers ask questions ("
                    + ", ".join(f'"{s.label}" {share(s)}' for s in stats.values())
                    + f'); "{asker.label}" is taken as the interviewer: '
                    + ("speaks first, " if asker.first < other.first else "")
                    + f"speaks in shorter turns and draws {drawing}, but {against}"
                )
            reason = f"{share(asker)}, drawing {drawing}" + (" (weak evidence)" if against else "")
            decided[asker.label] = _speaker(asker, INTERVIEWER, reason)
            interviewers.append(asker.label)
            weighed = True
        elif len(stats) >= 3 and (panel := _panel(turns, stats, {s.label for s in open_})) is not None:
            # One speaker answers and the others ask: a panel interviewing one participant.
            main, askers, doubt = panel
            if doubt:
                status = ROLES_REVIEW
                why = (
                    f"no clear questioner among {len(stats)} speakers ("
                    + ", ".join(f'"{s.label}" {share(s)}' for s in stats.values())
                    + f"); {doubt}"
                )
            for s in askers:
                reason = f'{share(s)}, answered by "{main}"' + ("" if doubt else "; answers none")
                decided[s.label] = _speaker(s, INTERVIEWER, reason + (" (weak evidence)" if doubt else ""))
                interviewers.append(s.label)
        else:
            status = ROLES_REVIEW
            if total_q == 0:
                why = "no speaker asks a question"
            elif len(stats) >= 3:
                why = (
                    f"no clear questioner among {len(stats)} speakers ("
                    + ", ".join(f'"{s.label}" {share(s)}' for s in stats.values())
                    + ")"
                )
            elif all(s.questions for s in stats.values()):
                why = (
                    "both speakers ask questions ("
                    + ", ".join(f'"{s.label}" {share(s)}' for s in stats.values())
                    + ")"
                )
            else:  # one asks, but at length and not first: a long-winded interviewer, or a participant
                other = others[0]
                why = (
                    f'"{top.label}" {share(top)} but does not speak first and speaks at more length '
                    f'(a median {top.median:g} words a turn to {other.median:g} for "{other.label}")'
                )
            if total_q > 0 and asks_most:  # the best guess, until a person confirms it
                decided[top.label] = _speaker(top, INTERVIEWER, share(top) + " (weak evidence)")
                interviewers.append(top.label)
    # The radio a participant plays or quotes: another speaker, and the others weighed without it.
    played = _played_voices(turns, stats, interviewers, [s.label for s in open_ if s.label not in decided])
    for label, reason in played.items():
        decided[label] = _speaker(stats[label], OTHER, reason)
    if played:
        stats = {label: s for label, s in stats.items() if label not in played}
        turns = [t for t in turns if t.speaker not in played]
    # A third speaker in a one-to-one interview: a second interviewer, or doubtful.
    further = _further_speakers(turns, stats, {s.label for s in open_}, interviewers, total_q)
    for label, speaker in further.interviewers.items():
        decided[label] = speaker
        interviewers.append(label)
    for s in open_:
        if s.label in further.once and s.label not in decided:
            decided[s.label] = _speaker(
                s, REVIEW, f"heard once: {further.did[s.label]}: no participant until a person sets the role"
            )
        elif s.label not in decided:
            reason = further.did.get(s.label) or _answers(s, total_q)
            decided[s.label] = _speaker(s, PARTICIPANT, reason)
            if (
                interviewers
                and s.questions >= ALSO_ASKS_MIN
                and s.rate >= ALSO_ASKS_RATE
                and status != ROLES_REVIEW
                and not weighed
                # "Is this recorded?", "Who sees this?": questions about the interview ask nothing of it
                and (asked := _subject_questions(turns)[s.label]) >= ALSO_ASKS_MIN
                and asked >= ALSO_ASKS_RATE * s.turns
            ):
                status = ROLES_REVIEW
                quoted = ", ".join('"' + i + '"' for i in interviewers)
                why = f'"{s.label}" also asks questions ({s.questions} of {s.turns} turns) beside the interviewer {quoted}'

    if further.doubt:
        status, why = ROLES_REVIEW, "; ".join(filter(None, [why, further.doubt]))
    if split := _split_voice(turns, decided, named):
        status, why = ROLES_REVIEW, "; ".join(filter(None, [why, split]))
    if device := _device_voices(decided.values()):
        status, why = ROLES_REVIEW, "; ".join(filter(None, [why, device]))
    elif not split and (successive := _successive_voices(turns, decided.values())):
        status, why = ROLES_REVIEW, "; ".join(filter(None, [why, successive]))
    if not any(sp.role == PARTICIPANT for sp in decided.values()) and status != ROLES_REVIEW:
        status, why = ROLES_REVIEW, "every speaker is an interviewer"
    if cover_conflicts:
        quoted = ", ".join(f'"{name}"' for name in cover_conflicts)
        status = ROLES_REVIEW
        why = (
            f"the cover sheets name {quoted} interviewer in one session and participant in another, so the "
            "role is wrong for one session's turns: give each person a label of their own"
            + (f"; also {why}" if why else "")
        )
    if interpreters:
        status = ROLES_REVIEW
        why = "; ".join(filter(None, [_interpreters_doubt(interpreters, decided.values()), why]))
    if collective:
        status = ROLES_REVIEW
        why = "; ".join(filter(None, [_collective_doubt(collective, decided.values()), why]))
    if shared := [label for label in shared_name if decided[label].role != INTERVIEWER]:
        status = ROLES_REVIEW
        quoted = ", ".join(f'"{label}"' for label in shared)
        doubt = (
            f"{quoted} {'is a name' if len(shared) == 1 else 'are names'} this project remembers as an "
            "interviewer, but asks no question here while another speaker asks: taken as a participant "
            "who shares the name"
        )
        why = "; ".join(filter(None, [doubt, why]))
    if id_clash:
        status = ROLES_REVIEW
        clash = (
            f'"{id_clash[0]}" is taken as the participant the file is named after, but interviewed earlier in '
            "this project: check the role"
        )
        why = "; ".join(filter(None, [clash, why]))
    return RoleResult(tuple(decided[s.label] for s in order), status, why, frozenset(named))


# What a meeting service adds to a participant's name when they join from another device, or again:
# "P04's iPhone", "Dana (iPad)", "Marcus Bell - Galaxy S21", "Brandt, Tom (Guest)", "P04 (2)".
_DEVICE_SUFFIX = lazy_compile(
    r"(?:['’]s\b|\s*[-(]|\s)\s*[-(]?\s*"
    r"(?:(?:iphone|ipad|android|galaxy|pixel|phone|cell\s*phone|cell|tablet|laptop|macbook|pc|guest)"
    r"\b[\w\s.-]{0,20}\)?|\(\d{1,2}\))\s*",
    re.IGNORECASE,
)


def _device_voices(speakers: Iterable[Speaker]) -> str:
    """Why two participants are doubtful when one's label is the other's with a device or rejoin suffix
    ("P04" and "P04's iPhone"): Zoom and Teams name a person who rejoins from a phone so, and each label
    would count as a participant, the one person twice. "" otherwise."""
    participants = [sp.label for sp in speakers if sp.role == PARTICIPANT]
    # Each label against the labels it starts with, cut where a suffix may start (`'s`, a space, `-`, `(`):
    # every pair compared was quadratic in a file of thousands of labels.
    by_key: dict[str, list[int]] = {}
    for i, label in enumerate(participants):
        by_key.setdefault(label.casefold(), []).append(i)
    pairs = []
    for label in participants:
        cuts = {
            j: k
            for k, c in enumerate(label)
            if k and (c in "'’-(" or c.isspace())
            for j in by_key.get(label[:k].casefold(), ())
        }
        pairs += [
            (label, participants[j])
            for j, k in sorted(cuts.items())
            if participants[j] != label and _DEVICE_SUFFIX.fullmatch(label[k:])
        ]
    return "; ".join(
        f'"{label}" looks like "{other}" on another device or rejoining (as Zoom and Teams name them): the same '
        f"person counted twice, or another participant; taken as a participant. If it is the same person, give "
        f'those turns "{other}" with "wei-qual transcripts relabel ID --segment N --speaker NAME"'
        for label, other in pairs
    )


def _successive_voices(turns: Sequence, speakers: Iterable[Speaker]) -> str:
    """Why the two participants of an interview are doubtful when one answers the interviewers' questions
    until the other takes over and they never speak beside each other ("iPhone", then "Marcus Bell"; "Call-in
    User_1", then "Marcus Bell"): a meeting service names a person anew who renames themselves or rejoins
    from another device or by phone, so the one person would count twice. Two participants interviewed in
    turn look the same, so this is a doubt, not a merge; no doubt when an interviewer speaks to both ("you
    both"). "" otherwise."""
    speakers = list(speakers)
    participants = [sp.label for sp in speakers if sp.role == PARTICIPANT]
    iv = {sp.label for sp in speakers if sp.role == INTERVIEWER}
    if len(participants) != 2 or not iv:
        return ""
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    if _addresses_several(said, iv):
        return ""
    where = {label: [i for i, (speaker, _) in enumerate(said) if speaker == label] for label in participants}
    first, second = sorted(participants, key=lambda label: where[label][0])
    if where[first][-1] > where[second][0]:
        return ""
    answered = {
        said[i][0] for i in range(1, len(said)) if said[i - 1][0] in iv and asks_question(said[i - 1][1])
    }
    if first not in answered or second not in answered:
        return ""
    return (
        f'"{first}" answers the questions until "{second}" takes over, and they never speak beside each other: '
        "the same person under a new name (renamed, or rejoined from another device or by phone, as Zoom and "
        "Teams name them) counted twice, or two participants interviewed in turn; taken as two participants. "
        "If they are one person, give their turns one label with "
        '"wei-qual transcripts relabel ID --segment N --speaker NAME"'
    )


def _split_voice(turns: Sequence, decided: Mapping[str, Speaker], named: set[str]) -> str:
    """Why a participant the service could not name (`Speaker 2`, `Unknown Speaker`) who answers the
    interviewers' questions beside one named participant is doubtful, when no interviewer speaks to two
    people: Otter and Zoom give part of one person's answers to such a label when they lose the voice, so
    the participant is counted twice, or it is a second participant. "" otherwise."""
    roles = {label: sp.role for label, sp in decided.items()}
    participants = [label for label, role in roles.items() if role == PARTICIPANT]
    people = [label for label in participants if not is_placeholder(label)]
    if not people:
        # Otter's `Speaker 2` beside its `Unknown Speaker`: the numbered voice is the one it placed, the
        # unknown one may be that person again. Before, two participants were counted without a word.
        people = [label for label in participants if not _UNKNOWN_VOICE.fullmatch(label.strip())]
    interviewers = {label for label, role in roles.items() if role == INTERVIEWER}
    if len(people) != 1 or not interviewers:
        return ""
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    answering = {
        said[i + 1][0]
        for i in range(len(said) - 1)
        if said[i][0] in interviewers and asks_question(said[i][1])
    }
    voices = [
        label
        for label in participants
        if label in answering and label not in named and label != people[0] and _unnamed_voice(label)
    ]
    if not voices or _addresses_several(said, interviewers):
        return ""
    listed = ", ".join(f'"{label}"' for label in voices)
    return (
        f'{listed} answer{"s" if len(voices) == 1 else ""} questions beside "{people[0]}" under a name the '
        "transcription gives a voice it could not place: the same person split in two by the service (give "
        'those turns the person\'s name with "wei-qual transcripts relabel ID --segment N --speaker NAME"), or '
        f"another participant; taken as {'a participant' if len(voices) == 1 else 'participants'}"
    )


def _about_the_interview(
    turns: Sequence, stats: dict[str, _Stats], open_: list[_Stats]
) -> tuple[_Stats, bool, str] | None:
    """Where no one is a clear questioner: the one who is, once the questions about the interview itself
    (asks_about_the_subject: "Is this recorded?", "Who sees this?", "Do I have to answer?") are set aside,
    and some were: two questions at least, in a larger share of their turns than the other's, and in
    shorter turns or first, or the other asks
    about the subject at all). Only between two speakers, of whom the other asks about the subject a third
    as often at most: (that speaker, whether they speak first, the reason); None otherwise."""
    if len(stats) != 2:  # a third voice's "Can you repeat that?" may be a co-interviewer's: left to the rest
        return None
    subject = _subject_questions(turns)
    aside = {label: s.questions - subject[label] for label, s in stats.items()}
    left = sum(subject.values())
    if not left or not any(aside.values()):
        return None
    top = max(open_, key=lambda s: (subject[s.label], subject[s.label] / s.turns, -s.median, -s.first))
    others = [s for s in stats.values() if s is not top]
    first = min(stats.values(), key=lambda s: s.first) is top
    if not (
        subject[top.label] >= 2
        # the other asks about the subject now and then at most (a rhetorical "Would that have happened?")
        and all(3 * subject[o.label] <= subject[top.label] for o in others)
        and all(subject[top.label] / top.turns > subject[o.label] / o.turns for o in others)
        and (first or all(top.median < o.median for o in others) or not any(subject[o.label] for o in others))
    ):
        return None
    setting = [o for o in others if aside[o.label]]
    if not setting:
        return None
    said = ", ".join(f'{aside[o.label]} of "{o.label}"' for o in setting)
    reason = (
        f"asks {subject[top.label]}/{left} questions about the subject"
        + ("; speaks first" if first else "")
        + f" (questions about the interview itself, such as whether it is recorded or who sees it, set aside: {said})"
    )
    return top, first, reason


def _panel(
    turns: Sequence, stats: dict[str, _Stats], open_: set[str]
) -> tuple[str, list[_Stats], str] | None:
    """Where no one is a clear questioner among three or more speakers: the one speaker who answers the
    others' questions (at least CLEAR_SHARE of them, three or more) and asks in a smaller share of their
    turns than each of the others, who each ask in half their turns or more, with an answer of that
    speaker: a panel of interviewers and one participant. (that speaker, the askers, why it is only a
    guess): "" when the evidence is clear (the speaker answers nearly all the questions and asks almost
    none, and no asker says anything of their own: an answer to a question, or more than a short "Thank
    you, that's everything we had." once the participant has spoken). None when it is no panel."""
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    asks = [asks_question(text) for _, text in said]
    put = [i for i in range(len(said) - 1) if asks[i] and said[i + 1][0] != said[i][0]]
    answerers = Counter(said[i + 1][0] for i in put)
    if not answerers:
        return None
    ((main, _),) = answerers.most_common(1)
    # A voice the service could not place that only answers (Otter's `Unknown Speaker` taking an answer of
    # the participant whose voice it lost) is no colleague of the panel: the participant again or another
    # (_split_voice says which doubt). Before, it made every speaker a participant, the interviewer too.
    askers = [
        s
        for s in stats.values()
        if s.label != main and (s.questions or s.label not in answerers or not _unnamed_voice(s.label))
    ]
    if not askers:
        return None
    questions = [i for i in put if said[i][0] != main]
    answered = [i for i in questions if said[i + 1][0] == main]
    if (
        any(s.label not in open_ for s in askers)
        or len(answered) < 3
        or len(answered) < CLEAR_SHARE * len(questions)
        or any(s.rate < ALSO_ASKS_RATE or stats[main].rate >= s.rate for s in askers)
        or any(not any(said[i][0] == s.label for i in answered) for s in askers)
    ):
        return None
    # A colleague who tells their own experience as they ask ("When I was on patrol we just drove them to
    # the ER. Did you ever have to?"): a pair's member asking their partner when the others speak to two
    # people ("Thanks to you both"), and then no interviewer; else a guess.
    tellers = {
        s.label: n for s in askers if (n := sum(1 for sp, text in said if sp == s.label and _tells_own(text)))
    }
    if tellers and _addresses_several(said, [s.label for s in askers if s.label not in tellers]):
        askers = [s for s in askers if s.label not in tellers]
        if not askers:
            return None
        tellers = {}
    doubts = []
    if len(answered) < NEARLY * len(questions):
        # named, so a relabel that gives those answers to the participant settles the doubt (correct.py)
        others = ", ".join(
            f'"{label}"' for label in dict.fromkeys(said[i + 1][0] for i in questions) if label != main
        )
        doubts.append(f"others answer {len(questions) - len(answered)} of their questions ({others})")
    if stats[main].rate > 1 - NEARLY:
        doubts.append(f'"{main}" asks {stats[main].questions} too')
    spoken = next(i for i, (speaker, _) in enumerate(said) if speaker == main)
    for s in askers:
        own = sum(
            1
            for i, (speaker, text) in enumerate(said)
            if speaker == s.label
            and not asks[i]
            and (
                (i and asks[i - 1] and said[i - 1][0] != speaker)
                or (i > spoken and len(text.split()) > ACK_WORDS)
            )
        )
        if own:
            doubts.append(f'"{s.label}" says something of their own ({own} turn{"s" if own != 1 else ""})')
        elif s.label in tellers:
            n = tellers[s.label]
            doubts.append(
                f'"{s.label}" tells their own experience as they ask ({n} turn{"s" if n != 1 else ""}): a '
                "co-interviewer who shares it, or a second participant asking their partner"
            )
    why = ""
    if doubts:
        named = ", ".join(f'"{s.label}"' for s in askers)
        why = (
            f'"{main}" answers {len(answered)} of the {len(questions)} questions the others put, so is taken as '
            f"the participant and {named} as interviewers, but " + " and ".join(doubts)
        )
    return main, askers, why


def _draws_answers(turns: Sequence, stats: dict[str, _Stats]) -> tuple[_Stats, float, float] | None:
    """Of two speakers who both ask, the one whose questions draw answers at least DRAWS times as long
    (the median of the other's next turn) and who speaks in shorter turns, with both medians; else None."""
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    drawn: dict[str, list[int]] = {label: [] for label in stats}
    for (speaker, text), (other, reply) in itertools.pairwise(said):
        if other != speaker and asks_question(text):
            drawn[speaker].append(len(reply.split()))
    a, b = stats.values()
    if not drawn[a.label] or not drawn[b.label]:
        return None
    long_, short = statistics.median(drawn[a.label]), statistics.median(drawn[b.label])
    if long_ < short:
        a, b, long_, short = b, a, short, long_
    return (a, long_, short) if long_ >= DRAWS * short and a.median < b.median else None


def _disagrees(asker: _Stats, other: _Stats) -> str:
    """What of the other signals does not point to `asker` as the interviewer over `other` (speaking first,
    asking more questions, asking in a larger share of one's turns), said as a clause; "" when all do."""
    first = asker.first < other.first
    said = [f'"{other.label}" speaks first'] if not first else []
    if other.questions >= asker.questions:
        said.append(
            f"both ask {asker.questions} questions"
            if other.questions == asker.questions
            else f'"{other.label}" asks more ({other.questions} to {asker.questions})'
        )
    if other.rate >= asker.rate:
        said.append(
            f'"{other.label}" asks in {"as large a" if other.rate == asker.rate else "a larger"} share of their turns '
            f"({other.questions} of {other.turns} to {asker.questions} of {asker.turns})"
        )
    return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)


def _asks(s: _Stats, total_q: int) -> str:
    return f"asks {s.questions}/{total_q} question{'s' if total_q != 1 else ''}"


def _answers(s: _Stats, total_q: int) -> str:
    """A participant's reason when nothing more singles them out. "answers" only of a speaker with a turn
    that asks nothing: one who asks in every turn (a turn `transcripts relabel` gave an observer, a
    group member's one question) answers nothing the turns show."""
    if not total_q:
        return "not an interviewer label"
    if s.questions < s.turns:
        return f"answers: {_asks(s, total_q)}"
    return f"{_asks(s, total_q)}, in {'their one turn' if s.turns == 1 else f'all {s.turns} of their turns'}"


def _own_account(text: str) -> bool:
    """A sentence of the turn says something of the speaker's own: it neither asks nor only acknowledges
    ("We don't have that. Who set it up for you?", not "That's really helpful. How long did you wait?")."""
    return any(
        not asks_question(sentence) and _ACKNOWLEDGES.sub("", sentence).strip(" \t,.!;:-—–")
        for sentence in _SENTENCE.split(question_marks(text).strip())
        if sentence
    )


def _tells_own(text: str) -> bool:
    """A sentence of the turn tells the speaker's own experience: it neither asks nor only acknowledges, it
    is in the first person, and it is no interviewer's framing ("When I was on patrol we just went.", not
    "We've heard a lot about nights." nor "Thanks, that's everything I had.")."""
    return any(
        not asks_question(sentence)
        and _ACKNOWLEDGES.sub("", sentence).strip(" \t,.!;:-—–")
        and _FIRST_PERSON.search(sentence)
        and not _FRAMING.search(sentence)
        for sentence in _SENTENCE.split(question_marks(text).strip())
        if sentence
    )


def _addresses_several(said: list, speakers: Iterable[str]) -> bool:
    """Some turn of `speakers` (the interviewers) speaks to two people or more: "Thanks to you both", "How
    do calls get to the two of you?", "Welcome, everyone"."""
    who = set(speakers)
    return any(speaker in who and _SEVERAL.search(text) for speaker, text in said)


def _tells_and_asks(said: list, asks: list[bool], iv: set[str], open_: set[str]) -> str:
    """Why a further speaker is doubtful beside one participant when the interviewers speak to no two people:
    a speaker who tells their own experience (one turn or more) and asks the other, who answers interviewer
    questions too, a question of their own that the other answers. A pair's member asking their partner
    ("Remember the man with the hammer?") and a second researcher who once worked patrol ("When I was on
    patrol we just drove them to the ER. How long have you waited?") look alike in the turns; only the
    interviewer's "you both" tells them. Never a speaker an id, a label, a cover or the CSV names (not in
    `open_`). "" when there is none, or the file is a group (four speakers or more)."""
    others = {speaker for speaker, _ in said} - iv
    if len(others) != 2 or _addresses_several(said, iv):
        return ""
    answered = {said[i + 1][0] for i in range(len(said) - 1) if said[i][0] in iv and asks[i]} - iv
    doubts = []
    for label in sorted(others & open_):
        (partner,) = others - {label}
        put = sum(
            1 for i in range(len(said) - 1) if said[i][0] == label and asks[i] and said[i + 1][0] == partner
        )
        own = sum(1 for speaker, text in said if speaker == label and _tells_own(text))
        if put and own and partner in answered:
            doubts.append(
                f'"{label}" tells their own experience ({own} turn{"s" if own != 1 else ""}) and asks "{partner}" '
                f"{put} question{'s' if put != 1 else ''} of their own, and no interviewer speaks to two people "
                '("you both"): a second participant, or a co-interviewer who shares their own experience; '
                "taken as a participant"
            )
    return "; ".join(doubts)


def _before_the_answers(said: list, asks: list[bool], iv: set[str], open_: set[str]) -> str:
    """Why a further speaker is doubtful in a file where several answer: every turn of theirs (two or
    more) comes straight after an interviewers' question and straight before one speaker, who also answers
    questions alone. A co-interviewer adding to the question ("And by full we mean no beds.") or a pair's
    member who always answers first: the turns cannot tell. "" when there is none."""
    doubts = []
    for label in open_ - iv:
        mine = [i for i, (speaker, _) in enumerate(said) if speaker == label]
        nexts = {said[i + 1][0] if i + 1 < len(said) else None for i in mine}
        if (
            len(mine) < 2
            or len(nexts) != 1
            or not all(0 < i and said[i - 1][0] in iv and asks[i - 1] for i in mine)
        ):
            continue
        (answerer,) = nexts
        if answerer is None or answerer in iv:
            continue
        alone = any(
            said[j][0] == answerer and said[j - 1][0] in iv and asks[j - 1] for j in range(1, len(said))
        )
        if alone:
            doubts.append(
                f'"{label}" speaks only between a question and the answer of "{answerer}" ({len(mine)} turns): '
                "a co-interviewer adding to the question, or a participant answering first; taken as a participant"
            )
    return "; ".join(sorted(doubts))


def _askers_in_a_group(
    said: list, asks: list[bool], iv: set[str], open_: set[str]
) -> tuple[str, frozenset[str], dict[str, str]]:
    """In a group (several answer the interviewers' questions): the further speakers (`open_`: named by no
    id, label form, cover or CSV, and answering none of the interviewers' questions) whose every turn asks
    a question that a member answers. A co-moderator's or a note-taker's follow-ups ("Sorry, five hours
    in the waiting room?") look so, as a member asking the others does: taken as a participant, they
    were a participant more and their questions coded as the group's words, with nothing said. Why they
    are doubtful, those heard once (left to review, as in a one-to-one interview), and what each did."""
    doubts, once, did = [], set(), {}
    for label in sorted(open_ - iv):
        mine = [i for i, (speaker, _) in enumerate(said) if speaker == label]
        by = [said[i + 1][0] if i + 1 < len(said) else None for i in mine]
        if not mine or not all(asks[i] for i in mine) or any(who is None or who in iv for who in by):
            continue
        n = len(mine)
        whom = " and ".join(f'"{who}"' for who in dict.fromkeys(by))
        did[label] = (
            f"asks {n} question{'s' if n != 1 else ''}, answered by {whom}; answers none of the interviewers' "
            "questions"
        )
        if n == 1:
            once.add(label)
            doubts.append(
                f'"{label}" is heard once, asking a question answered by {whom}, and answers none of the '
                "interviewers' questions: a co-moderator's or note-taker's follow-up, or a member asking the "
                "others; left to review, no participant nor coded until set"
            )
        else:
            doubts.append(
                f'"{label}" asks in each of their {n} turns (answered by {whom}) and answers none of the '
                "interviewers' questions: a co-moderator's or note-taker's follow-ups, or a member asking the "
                "others; taken as a participant"
            )
    return "; ".join(doubts), frozenset(once), did


@dataclass
class _Further:
    interviewers: dict[str, Speaker]  # second interviewers, by label
    doubt: str = ""  # why the other further speakers are doubtful, or ""
    once: frozenset[str] = frozenset()  # doubtful speakers heard once: no participant until a person says
    did: dict[str, str] = dataclasses.field(default_factory=dict)  # what each doubtful speaker did, said


def _further_speakers(
    turns: Sequence, stats: dict[str, _Stats], open_: set[str], interviewers: list[str], total_q: int
) -> _Further:
    """In a one-to-one interview (one speaker answers the interviewers' questions), the speakers beside
    the two whom no id or label names. A pair or a group is no one-to-one interview: a further speaker who
    adds their own account after two or more of the interviewers' questions (not a question, not "Right,
    thanks") and whom the participant answers at times, or two further speakers who each ask the
    participant questions and say something of their own too (peers asking each other), and then every
    further speaker is a participant; two who each add their own account are a group's members too,
    though the participant never speaks after them. Otherwise one that asks the participant questions as
    an interviewer would (at least twice, in at least half its turns, a quarter as many as the
    interviewers, in shorter turns, after the answers to two or more of the interviewers' questions) is a
    second interviewer, as a panel's colleagues who only ask are; the others are doubtful (a co-interviewer
    who asks once, a named person who only says "Right.", a label misread in the text), taken as
    participants for a person to confirm. Where several answer, see _before_the_answers."""
    iv = set(interviewers)
    if not iv or len(stats) < 3:
        return _Further({})
    said = [(t.speaker, _text(t)) for t in turns if t.speaker is not None]
    asks = [asks_question(text) for _, text in said]
    answers: Counter[str] = Counter()
    asked = 0
    for i, (speaker, _) in enumerate(said):
        if speaker in iv and asks[i]:
            asked += 1
            if i + 1 < len(said) and said[i + 1][0] not in iv:
                answers[said[i + 1][0]] += 1
    if len(answers) != 1:  # nobody answers, or several do: a group, not a one-to-one interview
        doubts = [_before_the_answers(said, asks, iv, open_)]
        once: frozenset[str] = frozenset()
        did: dict[str, str] = {}
        if answers:
            doubts.append(_tells_and_asks(said, asks, iv, open_))
            doubt, once, did = _askers_in_a_group(said, asks, iv, open_ - set(answers))
            doubts.append(doubt)
        return _Further({}, "; ".join(filter(None, doubts)), once, did)
    (main,) = answers
    # The interviewers speak to a pair or a group ("Thanks to you both"): its members tell their own, in
    # two turns or more (one is as likely a label misread in an answer: "Example: last Tuesday we sat...").
    told = Counter(
        speaker for speaker, text in said if speaker not in iv and speaker != main and _tells_own(text)
    )
    addressed = {speaker for speaker, n in told.items() if n >= 2} if _addresses_several(said, iv) else set()
    # Who of the interviewers and the participant spoke last before each turn, and who next after it.
    sides = iv | {main}
    before: list[str | None] = []
    last = None
    for speaker, _ in said:
        before.append(last)
        last = speaker if speaker in sides else last
    after: list[str | None] = []
    last = None
    for speaker, _ in reversed(said):
        after.append(last)
        last = speaker if speaker in sides else last
    after.reverse()

    replies: dict[str, set[int]] = {}  # a further speaker's own account: after which interviewer questions
    put: Counter[str] = Counter()  # a further speaker's questions that the participant answers
    drawn: dict[str, set[int | None]] = {}  # ...and after which interviewer questions they were put
    own: set[str] = set()  # further speakers who say something of their own, not only ask
    question = None  # the interviewers' question whose answers run at this turn
    for i, (speaker, text) in enumerate(said):
        if speaker in iv:
            question = i if asks[i] else None
        elif speaker != main:
            if _own_account(text):
                own.add(speaker)
            if asks[i] and i + 1 < len(said) and said[i + 1][0] == main:
                put[speaker] += 1
                drawn.setdefault(speaker, set()).add(question)
            elif (
                question is not None
                and not asks[i]
                and not before[i] == after[i] == main
                and not (_ACKNOWLEDGES.match(text) and len(text.split()) <= ACK_WORDS)
            ):
                replies.setdefault(speaker, set()).add(question)
    # The participant speaks straight after a second participant at times; never after a label misread in
    # the text at the start of the answer's next line ("Mostly - when the clinician is free..."). Askers
    # who only ask (a panel's co-interviewers) are no peers of the participant.
    spoken_to = {said[i - 1][0] for i in range(1, len(said)) if said[i][0] == main}
    accounts = {speaker for speaker, q in replies.items() if len(q) >= 2}
    if len(own.intersection(put)) >= 2:
        return _Further({})  # a group whose members ask each other
    if any(speaker in spoken_to for speaker in accounts):
        # A pair, unless its second member also puts questions to the participant and nobody speaks to both.
        return _Further({}, _tells_and_asks(said, asks, iv, open_))
    # Several further speakers who each add their own account after two questions take turns as a group's
    # members do, though the one who answers first may never speak after them; a speaker beside them who
    # does neither is still doubtful (a label misread in the text).
    members = (accounts if len(accounts) >= 2 else set()) | addressed

    lead = sum(stats[label].questions for label in iv)
    seconds: dict[str, Speaker] = {}
    doubtful = []
    for s in stats.values():
        if s.label not in open_ or s.label in sides or s.label in members:
            continue
        # Questions that draw the participant's answers to more than one of the interviewers' questions, not
        # only inside one answer (a mother's questions in the story the participant tells).
        if (
            put[s.label] >= 2
            and s.rate >= ALSO_ASKS_RATE
            and put[s.label] >= CO_SHARE * lead
            and len(drawn.get(s.label, ())) >= 2
            and s.median < stats[main].median
        ):
            seconds[s.label] = _speaker(
                s, INTERVIEWER, f'{_asks(s, total_q)}, answered by "{main}"; answers none'
            )
        else:
            doubtful.append(s)
    if not doubtful:
        return _Further(seconds)

    def did(s: _Stats) -> str:
        # What the speaker did, not only what they did not: a co-interviewer's one follow-up asks, and
        # who speaks next answers it (the participant, or an interviewer: "No, we're fine, thank you.").
        if not s.questions:
            return "asks no question"
        n = s.questions
        by = Counter(
            said[i + 1][0] if i + 1 < len(said) else None
            for i, (speaker, _) in enumerate(said)
            if speaker == s.label and asks[i]
        )
        whom = [f'"{who}"' + (f" ({k})" if len(by) > 1 else "") for who, k in by.items() if who is not None]
        return (
            f"asks {n} question{'s' if n != 1 else ''}"
            + (", answered by " + " and ".join(whom) if whom else "")
            + (", the file's last turn" if None in by else "")
        )

    def listed(group: list[_Stats]) -> str:
        return ", ".join(
            f'"{s.label}" ({s.turns} turn{"s" if s.turns != 1 else ""}, {s.words} word{"s" if s.words != 1 else ""}; '
            f"{did(s)})"
            for s in group
        )

    # A voice heard once (a dispatcher on the radio, a colleague at the door, a co-interviewer's one
    # follow-up) is no participant the evidence shows: counted as one, it raised a one-to-one interview's
    # participants to two and its line was coded as the participant's words. Its turn is left to review,
    # as text with no known speaker is: no coding unit, no participant, until a person sets its role.
    once = [s for s in doubtful if s.turns == 1]
    more = [s for s in doubtful if s.turns > 1]
    said_of = f'"{main}" answers the questions ({answers[main]} of {asked}), but '
    doubts = []
    if more:
        n = len(more)
        doubts.append(
            f"{n} more speaker{'s answer' if n != 1 else ' answers'} none of the interviewers' questions and "
            f"{'are' if n != 1 else 'is'} taken as {'participants' if n != 1 else 'a participant'}: {listed(more)}"
        )
    if once:
        n = len(once)
        doubts.append(
            f"{n} more speaker{'s' if n != 1 else ''} heard once answer{'s' if n == 1 else ''} none of the "
            f"interviewers' questions and {'are' if n != 1 else 'is'} left to review, no "
            f"participant{'s' if n != 1 else ''} nor coded until set: {listed(once)}"
        )
    return _Further(
        seconds,
        said_of + " and ".join(doubts),
        frozenset(s.label for s in once),
        {s.label: f"{did(s)}; answers none of the interviewers' questions" for s in doubtful},
    )
