"""Speaker roles from evidence: who in a transcript is the interviewer and who the participant(s).

infer_roles(turns, transcript_id, participant_ids, known_interviewers) -> RoleResult is pure: it reads
only the turns' speakers and text, so every reader (and the REFI-QDA import) can use it. Evidence, in order:

1. a label equal to the transcript id, or to the id's leading part at a word boundary (`BSR01` in
   `BSR01_transcript_deidentified`) is a participant;
2. a known interviewer label (`Interviewer`, `I`, `Q`, `Int`, `Moderator`, `Facilitator`, with a number
   or a note: `Interviewer 2`, `Interviewer (JD)`; plus names the project remembers) is an interviewer;
   a label the attributes CSV names as a participant (a `participant_id` value, or a `speaker` row) and
   a known participant label (`Participant`, `Respondent`, `R`, `P07`...) are participants; so is each
   speaker the file's cover sheet names (`Interviewer: Maya Lindqvist` over the turns: see
   boilerplate.find_cover) in the role it names;
3. otherwise the speaker who asks the questions is the interviewer: their share of the turns that ask a
   question, the question rate per turn, the median turn length and who speaks first.

Where the evidence is weak (3+ speakers and no clear questioner, two speakers who both ask, one speaker)
the result's status is `review` and `reason` says why. given_roles() applies `--interviewer-labels`.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..models import (
    INTERVIEWER,
    PARTICIPANT,
    REVIEW,
    ROLES_GIVEN,
    ROLES_INFERRED,
    ROLES_REVIEW,
    Speaker,
)
from .labels import DEFAULT_INTERVIEWER_LABELS, normalise_labels, speaker_role

CLEAR_SHARE = 0.6  # the questioner asks at least this share of the question turns
ALSO_ASKS_RATE = 0.5  # a non-interviewer asking in this share of their turns (and...)
ALSO_ASKS_MIN = 3  # ... at least this many times) makes the roles doubtful

_PARTICIPANT_LABEL = re.compile(
    r"(?i)(?:participant|respondent|interviewee|resp|r|a|p\d{1,4})(?:[ \t]?\d{1,3}|[ \t]\(.*\))?"
)
# Interviewer prompts that often carry no question mark.
_PROMPT = re.compile(
    r"(?i)(?:^|[.!]\s+)(?:(?:so|and|okay|ok|now|well|right|alright|great|um|uh)[,.]?\s+)*"
    r"(?:tell me|walk me through|describe|talk (?:to me |a little |a bit )?about|say (?:a little |a bit )?more"
    r"|give me an example|can you (?:tell|describe|walk|talk|say|give)|could you (?:tell|describe|walk|talk|say|give)"
    r"|i(?:'d| would) like to (?:ask|hear|know))\b"
)


@dataclass(frozen=True)
class RoleResult:
    """Each labelled speaker's role with a reason; `status` is inferred, given or review."""

    speakers: tuple[Speaker, ...]
    status: str
    reason: str = ""  # why the roles need review ("" otherwise)

    def role_of(self, speaker: str | None) -> str:
        """The role of a segment by `speaker`: unlabelled text is `review` when the transcript has labels
        (nobody knows who said it) and `participant` when it has none (a speakerless file)."""
        if speaker is None:
            return REVIEW if self.speakers else PARTICIPANT
        for s in self.speakers:
            if s.label == speaker:
                return s.role
        return PARTICIPANT


def asks_question(text: str) -> bool:
    """A turn asks a question: it has a question mark, or an interviewer's prompt ("Tell me about...")."""
    return "?" in text or bool(_PROMPT.search(text))


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
        words = len(text.split())  # once: a study's turns hold a million words
        s.turns += 1
        s.words += words
        s.questions += asks_question(text)
        s.lengths.append(words)
    return stats


def _speaker(s: _Stats, role: str, reason: str, *, given: bool = False) -> Speaker:
    return Speaker(s.label, role, reason, s.turns, s.words, s.questions, given)


def given_roles(
    turns: Sequence,
    interviewer_labels: Sequence[str],
    *,
    origin: str = "--interviewer-labels",
    given: bool = True,
) -> RoleResult:
    """`--interviewer-labels` (or another list, named by `origin`): those labels are interviewers, every
    other speaker a participant. With `given` False (a list read from a file, not typed by a person) the
    roles count as inferred."""
    labels = normalise_labels(interviewer_labels)
    speakers = []
    for s in _stats(turns).values():
        role = speaker_role(s.label, labels)
        reason = f"in {origin}" if role == INTERVIEWER else f"not in {origin}"
        speakers.append(_speaker(s, role, reason, given=given))
    return RoleResult(tuple(speakers), ROLES_GIVEN if given else ROLES_INFERRED)


def infer_roles(
    turns: Sequence,
    transcript_id: str,
    participant_ids: Iterable[str] = (),
    known_interviewers: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
    *,
    cover_roles: Mapping[str, str] | None = None,
    cover_conflicts: Sequence[str] = (),
) -> RoleResult:
    """Each labelled speaker's role from evidence (see the module docstring). Pure.

    `turns` are the reader's turns (anything with `speaker` and `text` or `paragraphs`), in order;
    `cover_roles` the speakers the file's cover sheet names, with their role; `cover_conflicts` the
    speakers one cover names interviewer and another participant (two sessions in one file): their role
    comes from the turns, and the roles need review, since it is wrong for one session's turns.
    """
    stats = _stats(turns)
    if not stats:
        return RoleResult((), ROLES_REVIEW, "no speaker labels")
    ids = {normalise_id(p) for p in participant_ids if p.strip()}
    own = normalise_id(transcript_id)
    lead = leading_part(transcript_id)
    lead = normalise_id(lead) if lead else None
    known = normalise_labels(known_interviewers)
    defaults = normalise_labels(DEFAULT_INTERVIEWER_LABELS)
    cover = {normalise_id(name): role for name, role in (cover_roles or {}).items()}

    decided: dict[str, Speaker] = {}
    for s in stats.values():
        label = normalise_id(s.label)
        if label == own:
            decided[s.label] = _speaker(s, PARTICIPANT, "label is the transcript id")
        elif lead is not None and label == lead:
            decided[s.label] = _speaker(s, PARTICIPANT, "label is the start of the transcript id")
        elif label in cover:
            decided[s.label] = _speaker(s, cover[label], f"named as {cover[label]} on the cover sheet")
        elif speaker_role(s.label, known) == INTERVIEWER:
            default = speaker_role(s.label, defaults) == INTERVIEWER
            why = "a known interviewer label" if default else "an interviewer named earlier in this project"
            decided[s.label] = _speaker(s, INTERVIEWER, why)
        elif label in ids:
            decided[s.label] = _speaker(s, PARTICIPANT, "named as a participant in the attributes CSV")
        elif _PARTICIPANT_LABEL.fullmatch(s.label.strip()):
            decided[s.label] = _speaker(s, PARTICIPANT, "a participant label")

    total_q = sum(s.questions for s in stats.values())
    open_ = [s for s in stats.values() if s.label not in decided]
    status, why = ROLES_INFERRED, ""

    def share(s: _Stats) -> str:
        return f"asks {s.questions}/{total_q} question{'s' if total_q != 1 else ''}"

    interviewers = [label for label, sp in decided.items() if sp.role == INTERVIEWER]
    if open_ and not interviewers:
        top = max(open_, key=lambda s: (s.questions, s.rate, -s.median, -s.first))
        others = [s for s in stats.values() if s is not top]
        rivals = [s for s in open_ if s is not top]
        first = min(stats.values(), key=lambda s: s.first) is top
        asks_most = all(top.rate > o.rate for o in others) and all(
            top.questions > o.questions for o in others
        )
        shorter = all(top.median < o.median for o in others)
        clear = total_q > 0 and top.questions / total_q >= CLEAR_SHARE and asks_most and (shorter or first)
        if not rivals and others and not clear:
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
        elif not others:
            status, why = ROLES_REVIEW, f'only one speaker ("{top.label}")'
            decided[top.label] = _speaker(top, PARTICIPANT, "the only speaker")
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
            else:
                why = (
                    "both speakers ask questions ("
                    + ", ".join(f'"{s.label}" {share(s)}' for s in stats.values())
                    + ")"
                )
            if total_q > 0 and asks_most:  # the best guess, until a person confirms it
                decided[top.label] = _speaker(top, INTERVIEWER, share(top) + " (weak evidence)")
                interviewers.append(top.label)
    for s in open_:
        if s.label not in decided:
            reason = f"answers: {share(s)}" if total_q else "not an interviewer label"
            decided[s.label] = _speaker(s, PARTICIPANT, reason)
            if (
                interviewers
                and s.questions >= ALSO_ASKS_MIN
                and s.rate >= ALSO_ASKS_RATE
                and status != ROLES_REVIEW
            ):
                status = ROLES_REVIEW
                named = ", ".join('"' + i + '"' for i in interviewers)
                why = f'"{s.label}" also asks questions ({s.questions} of {s.turns} turns) beside the interviewer {named}'

    if not any(sp.role == PARTICIPANT for sp in decided.values()) and status != ROLES_REVIEW:
        status, why = ROLES_REVIEW, "every speaker is an interviewer"
    if cover_conflicts:
        named = ", ".join(f'"{name}"' for name in cover_conflicts)
        status = ROLES_REVIEW
        why = (
            f"the cover sheets name {named} interviewer in one session and participant in another, so the "
            "role is wrong for one session's turns: give each person a label of their own"
            + (f"; also {why}" if why else "")
        )
    return RoleResult(tuple(decided[s.label] for s in stats.values()), status, why)
