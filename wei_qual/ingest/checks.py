"""Warnings for a parsed transcript that is probably read wrong: no silent degenerate parse.

Each warning names the transcript and the option or command that fixes it, and never quotes its text.
role_warnings() depends only on the roles, so a correction with `transcripts roles` recomputes it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from ..errors import shell_path
from ..models import (
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    ROLES_REVIEW,
    Segment,
    Speaker,
    TranscriptWarning,
)
from . import lexicon
from .labels import device_name, name_key, surname_tails

LONG_TURN_WORDS = 1_500  # answers of 500-1,500 words are normal in long interviews; beyond, look again
UNLABELLED_SHARE = 0.10  # share of the words outside any labelled turn that earns a warning
MAX_LISTED = 5  # segment or line numbers listed in one warning

NO_PARTICIPANT = "no_participant"
SINGLE_SEGMENT = "single_segment"
ONE_SPEAKER = "one_speaker"
LONG_TURN = "long_turn"
UNLABELLED_TEXT = "unlabelled_text"
MISSED_LABELS = "missed_labels"
TWO_COLUMNS = "two_columns"
COLUMNS_MIXED = "columns_mixed"
TRACKED_CHANGES = "tracked_changes"
HIDDEN_TEXT = "hidden_text"
PAGES_UNKNOWN = "pages_unknown"
TABLE_LINES = "table_lines"
LEFT_OUT = "left_out"
SPEAKER_COLUMN = "speaker_column"
PAGE_HEADS = "page_heads"
ROLES_NEED_REVIEW = "roles_review"
BACK_CHANNELS = "back_channels"
LABEL_TYPOS = "label_typos"
RENAMED = "renamed"
SURNAME_PART = "surname_part"
RENAMED_INTERVIEWER = "renamed_interviewer"
PLAYED_VOICES = "played_voices"
MIXED_VOICE = "mixed_voice"
CONTROLS_REMOVED = "controls_removed"
QUESTION_LAYOUT = "question_layout"
# How plain.QuestionLayout's marks are said.
_SET_APART = {
    "blockquote": "in blockquotes (> ...)",
    "heading": "as headings that ask (### ...?)",
    "bold": "as paragraphs all in bold",
    "q_label": 'by a "Q:" label, the answers with no "A:"',
}
ROLE_KINDS = (
    NO_PARTICIPANT,
    ROLES_NEED_REVIEW,
    PLAYED_VOICES,
    MIXED_VOICE,
    SURNAME_PART,
    RENAMED_INTERVIEWER,
)  # recomputed after a correction
_UNKNOWN_VOICE = re.compile(lexicon.UNKNOWN_VOICE, re.IGNORECASE)
_RELABEL_ANY = "transcripts relabel ID "  # as roles.py writes it in a reason
# How roles.infer_roles and given_roles begin the reason of a radio or recorded voice they set aside.
PLAYED_VOICE_REASON = "names a radio or recorded voice"


class ColumnGuess(NamedTuple):
    """A table with no header row read as turns though which column holds the speakers was not clear."""

    table: str  # "table 2"
    speaker: int  # the 1-based columns read as the speakers and as the text
    text: int
    rivals: tuple[int, ...]  # the other columns of speaker labels that recur; none: no label recurs


def _spans(spans: Sequence[tuple[int | str, int | str]]) -> str:
    """Where blocks of lines are: "5 to 6, 14"."""
    return ", ".join(f"{first} to {last}" if first != last else f"{first}" for first, last in spans)


def _listed(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LISTED])
    return shown + (f" and {len(numbers) - MAX_LISTED} more" if len(numbers) > MAX_LISTED else "")


def _read_as(read: dict) -> str:
    """'"Offcer" as "Officer" (segments 3 and 9)', for each label read as another, and where."""
    return _and_list(
        [
            f'"{name}" as "{label}" (segment{"s" if len(where) != 1 else ""} {_listed(list(where))})'
            for name, (label, where) in read.items()
        ]
    )


def this_relabel(reason: str, transcript_id: str) -> str:
    """A roles reason with the relabel command roles.py names for any transcript (`relabel ID`) made this
    one's."""
    return reason.replace(_RELABEL_ANY, f"transcripts relabel {shlex.quote(transcript_id)} ")


def role_warnings(
    transcript_id: str,
    segments: Sequence[Segment],
    speakers: Sequence[Speaker],
    status: str,
    reason: str,
    named: Iterable[str] = (),
) -> list[TranscriptWarning]:
    """No participant turn; speaker roles inferred from weak evidence; a label that may be another's
    shortened, not read as the same speaker (labels.surname_tails), unless the attributes CSV names both
    (`named`, its speakers of this transcript): then the team's sheet says they are two."""
    fix = f'"wei-qual transcripts roles {shlex.quote(transcript_id)}"'
    out = []
    if segments and not any(s.role == PARTICIPANT for s in segments):
        named = ", ".join(f'"{s.label}" {s.role}' for s in speakers) or "no speaker labels"
        out.append(
            TranscriptWarning(
                NO_PARTICIPANT,
                # Only the roles command always helps: --interviewer-labels cannot make a default
                # interviewer label (Interviewer, Moderator...) a participant.
                f"{transcript_id}: no participant turn ({named}). Mark the participant with "
                f'"wei-qual transcripts roles {shlex.quote(transcript_id)} --participant NAME".',
            )
        )
    tails = surname_tails(s.label for s in speakers)
    if tails and named:
        from .roles import normalise_id  # roles imports this module

        listed = {normalise_id(n) for n in named}
        tails = {s: f for s, f in tails.items() if not {normalise_id(s), normalise_id(f)} <= listed}
    if tails:
        pairs = "; ".join(f'"{short}" beside "{full}"' for short, full in tails.items())
        out.append(
            TranscriptWarning(
                SURNAME_PART,
                f"{transcript_id}: a label that is the last word(s) of another's surname, not read as the same "
                f"speaker (a surname of its own, or a middle name before it): {pairs}. If they are one person, "
                'give their turns one label with "wei-qual transcripts relabel '
                f'{shlex.quote(transcript_id)} --segment N --speaker NAME" or in the file.',
            )
        )
    for device, person, where in _renamed_interviewers(segments, speakers):
        # Roles stay right (both ask), but one person is listed as two interviewers. Not folded: a second
        # interviewer who joins from a phone as the first leaves looks the same in the turns.
        out.append(
            TranscriptWarning(
                RENAMED_INTERVIEWER,
                f"{transcript_id}: the interviewers \"{device}\" (a device's or a meeting account's name, as Zoom "
                f'and Teams show someone who joins before setting a name) and "{person}" never speak beside each '
                "other, one asking until the other takes over: likely one interviewer renamed or rejoined during "
                "the meeting, listed as two. If so, give the turns one label with "
                f'"wei-qual transcripts relabel {shlex.quote(transcript_id)} --segment '
                f'{",".join(map(str, where))} --speaker {shlex.quote(person)}".',
            )
        )
    played = [
        s for s in speakers if s.role == OTHER and not s.given and s.reason.startswith(PLAYED_VOICE_REASON)
    ]
    if played:
        # Decided from the label and the turns, not by a person: said, with the command that undoes it.
        named = _and_list([f'"{s.label}" ({s.turns} turn{"s" if s.turns != 1 else ""})' for s in played])
        one = len(played) == 1
        first = shlex.quote(played[0].label)
        out.append(
            TranscriptWarning(
                PLAYED_VOICES,
                f"{transcript_id}: {named} {'names' if one else 'name'} a radio or recorded voice (dispatch, "
                "a body camera, a 911 call) and answer"
                f"{'s' if one else ''} none of the interviewers' questions, so {'it was' if one else 'they were'} "
                "taken as another speaker (role other): what a participant plays or quotes, kept as context, "
                "neither coded nor counted as a participant. If "
                f"{'it is' if one else 'one is'} someone interviewed, set it with "
                f'"wei-qual transcripts roles {shlex.quote(transcript_id)} --participant {first}".',
            )
        )
    for s in speakers:
        # Otter's `Unknown Speaker` is any voice it missed: asking in some turns and answering or telling in
        # others, it is likely the interviewer and the participant both, and one role leaves some of its turns
        # wrong (the interviewer's questions coded as the participant's words, or the participant's not
        # coded). A role is set per label, not per turn: said with how many turns, where, and the fix.
        told = s.turns - s.questions
        if s.role != OTHER and s.questions and told and _UNKNOWN_VOICE.fullmatch(s.label.strip()):
            where = [g.n for g in segments if g.speaker == s.label]
            out.append(
                TranscriptWarning(
                    MIXED_VOICE,
                    f'{transcript_id}: "{s.label}" is the transcription\'s name for any voice it could not '
                    f"place, and its {s.turns} turns (segment{'s' if len(where) != 1 else ''} {_listed(where)}) "
                    f"both ask ({s.questions}) and answer or tell ({told}): it is likely more than one person, "
                    f"yet all its turns have one role ({s.role}), so some are coded as the wrong person's. "
                    f"{fix} sets a role for all of a label's turns, not for one: give each of these turns its "
                    f'speaker with "wei-qual transcripts relabel {shlex.quote(transcript_id)} --segment '
                    f'{where[0]} --speaker NAME" (the turns keep their numbers and their coding).',
                )
            )
    if status == ROLES_REVIEW and speakers and reason:
        # A voice left to review (heard once), or a third speaker, may be neither: the radio, a colleague at
        # the door, the dispatcher answering twice.
        options = (
            "--interviewer NAME, --participant NAME or --other NAME (neither, such as a voice on the radio)"
            if any(s.role == REVIEW for s in speakers) or len(speakers) >= 3
            else "--interviewer NAME or --participant NAME"
        )
        out.append(
            TranscriptWarning(
                ROLES_NEED_REVIEW,
                f"{transcript_id}: speaker roles need review: {this_relabel(reason, transcript_id)}. "
                f"Check them with {fix} and correct "
                f"them with {options}.",
            )
        )
    return out


def _renamed_interviewers(
    segments: Sequence[Segment], speakers: Sequence[Speaker]
) -> list[tuple[str, str, list[int]]]:
    """Interviewers named by a device or an account (`iPhone`, `Zoom user`) whose turns all come before or
    all after those of an interviewer with a person's name (the turns never interleave): each with that
    name and its own segment numbers. The participant's version is roles._successive_voices."""
    interviewers = [s.label for s in speakers if s.role == INTERVIEWER]
    if len(interviewers) < 2:
        return []
    where: dict[str, list[int]] = {label: [] for label in interviewers}
    for g in segments:
        if g.speaker in where:
            where[g.speaker].append(g.n)
    devices = [label for label in interviewers if where[label] and device_name(label)]
    people = [label for label in interviewers if where[label] and label not in devices]
    out = []
    for device in devices:
        turns = where[device]
        apart = [p for p in people if where[p][0] > turns[-1] or where[p][-1] < turns[0]]
        if len(apart) == 1:  # two who never speak beside it: no telling whose it was
            out.append((device, apart[0], turns))
    return out


def _once_roles(transcript_id: str, segments: Sequence[Segment], speakers: Sequence[Speaker]) -> str:
    """What the turn of a name heard once was taken as, for the warning that reads it as a turn. Nothing
    for a voice left to review: the roles warning says so, and said in both (before, "the role is left to
    the evidence" here) it read as two doubts. Else the role it got, which may count and code it."""
    turns: dict[str, int] = {}
    for segment in segments:
        if segment.speaker:
            turns[segment.speaker] = turns.get(segment.speaker, 0) + 1
    once = [s for s in speakers if turns.get(s.label) == 1 and s.role != REVIEW]
    if not once:
        return ""
    article = {PARTICIPANT: "a participant, coded and counted", OTHER: "another speaker (role other)"}
    taken = _and_list([f'"{s.label}" as {article.get(s.role, "an " + s.role)}' for s in once])
    hint = next((s.label for s in once if s.role != OTHER), None)
    if hint is None:
        return f"; taken: {taken}"
    command = f"wei-qual transcripts roles {shlex.quote(transcript_id)} --other {shlex.quote(hint)}"
    return f'; taken: {taken} (someone who is neither, a colleague at the door, is set with "{command}")'


def parse_warnings(
    transcript_id: str,
    source: str,
    segments: Sequence[Segment],
    speakers: Sequence[Speaker],
    *,
    labelled: bool,
    missed_labels: Sequence[int],
    unit: str = "line",
    columns: Mapping[int, int] | None = None,
    tracked_changes: int = 0,
    hidden_text: int = 0,
    left_out: Sequence[str] = (),
    cover: Sequence[int | str] = (),
    later_covers: Sequence[tuple[int | str, int | str]] = (),
    unmarked_covers: Sequence[tuple[int | str, int | str]] = (),
    running_heads: Sequence[int | str] = (),
    label_heads: Sequence[int | str] = (),
    cover_tables: Sequence[str] = (),
    guessed_columns: Sequence[ColumnGuess] = (),
    wrapped: Sequence[int | str] = (),
    quoted: Sequence[int | str] = (),
    quoting: Sequence[str] = (),
    heard_once: Sequence[int | str] = (),
    title_lines: Sequence[int | str] = (),
    ai_summary: Sequence[int | str] = (),
    interrupting: Sequence[int | str] = (),
    controls: Sequence[int | str] = (),
    control_kinds: frozenset[str] = frozenset(),
    back_channels: Mapping[str, Sequence[int]] | None = None,
    captions: bool = False,
    label_typos: Mapping[str, tuple[str, Sequence[int]]] | None = None,
    renamed: Mapping[str, tuple[str, Sequence[int]]] | None = None,
    question_layout: tuple[str, int] | None = None,
) -> list[TranscriptWarning]:
    """Single segment, one speaker, long turns, unlabelled text, lines that look like missed labels (and
    lines that start like labels read as text: a hard wrap's, quoted dialogue), PDF pages set in columns,
    tracked changes in a .docx, tables, cover lines or running page heads left out, labels placed as page
    heads kept, a table's speaker column guessed, back-channels kept inside the answers they interrupt."""
    dry = f'"wei-qual ingest --dry-run {shell_path(source)}"'
    out = []
    if len(segments) == 1:
        out.append(
            TranscriptWarning(
                SINGLE_SEGMENT,
                f"{transcript_id}: the whole transcript is one segment. Check how it is read with {dry}; "
                'start each turn with a speaker label ("Name: text") and ingest it again.',
            )
        )
    if labelled and len(speakers) == 1:
        out.append(
            TranscriptWarning(
                ONE_SPEAKER,
                f'{transcript_id}: only one speaker label ("{speakers[0].label}") in a file with labels. '
                f"Check that every speaker's turns are labelled with {dry}, then ingest it again.",
            )
        )
    long = [s for s in segments if s.words > LONG_TURN_WORDS]
    if long:
        most = max(s.words for s in long)
        which = (
            f"segment {long[0].n} has" if len(long) == 1 else f"segments {_listed([s.n for s in long])} have"
        )
        out.append(
            TranscriptWarning(
                LONG_TURN,
                f"{transcript_id}: {which} over {LONG_TURN_WORDS:,} words (up to {most:,}); a speaker label may "
                f'have been missed. Read it with "wei-qual transcripts show {shlex.quote(transcript_id)}".',
            )
        )
    if question_layout is not None:
        mark, n = question_layout
        before = [s.n for s in segments if s.speaker is None]
        out.append(
            TranscriptWarning(
                QUESTION_LAYOUT,
                f"{transcript_id}: no answer is labelled, but the {n} questions are set apart "
                f'{_SET_APART[mark]}: read as the interviewer\'s turns ("Q") and the plain paragraphs after '
                'each as the participant\'s ("A")'
                + (
                    f"; the text before the first question (segment{'s' if len(before) != 1 else ''} "
                    f"{_listed(before)}) is no one's, role {REVIEW} (if it is an editor's note, set it apart with "
                    f'"wei-qual transcripts roles {shlex.quote(transcript_id)} --unlabelled other")'
                    if before
                    else ""
                )
                + f'. Check it with "wei-qual transcripts show {shlex.quote(transcript_id)}"; give a turn '
                f'another speaker with "wei-qual transcripts relabel {shlex.quote(transcript_id)} --segment N '
                '--speaker NAME".',
            )
        )
    total = sum(s.words for s in segments)
    outside = [s for s in segments if s.speaker is None]
    share = sum(s.words for s in outside) / total if total else 0.0
    if not labelled and segments:
        out.append(
            TranscriptWarning(
                UNLABELLED_TEXT,
                f"{transcript_id}: no speaker labels were found, so every segment counts as participant "
                f'speech. Label the turns ("Name: text") and ingest it again, or check the export with {dry}.',
            )
        )
    elif share > UNLABELLED_SHARE and question_layout is None:  # that warning names the text before the Q&A
        where = f"segment{'s' if len(outside) != 1 else ''} {_listed([s.n for s in outside])}, role {REVIEW}"
        fix = (
            f'set their role with "wei-qual transcripts roles {shlex.quote(transcript_id)} --unlabelled '
            'participant"'
        )
        first = next((s.n for s in segments if s.speaker is not None), None)
        if first is not None and all(s.n < first for s in outside):
            # Over the first turn: a note, a summary or a cover the export or a researcher put there, more
            # often than the participant's words, which --unlabelled participant would code.
            said = (
                f"{transcript_id}: {share:.0%} of the text is outside any labelled turn ({where}), all of it "
                "above the first speaker label: a note, a summary or a cover sheet put over the turns? Delete "
                "it from the file and ingest it again; if it is the participant's words, label it, or "
                + fix
                + "."
            )
        else:
            said = (
                f"{transcript_id}: {share:.0%} of the text is outside any labelled turn ({where}). Label those "
                "lines and ingest it again, or " + fix + "."
            )
        out.append(TranscriptWarning(UNLABELLED_TEXT, said))
    elif captions and outside:
        # Captions that name the speaker of every other cue (Zoom's `Name: text`): a cue with no name is
        # someone's words the service did not name, left to review and never coded however few its words.
        n = len(outside)
        out.append(
            TranscriptWarning(
                UNLABELLED_TEXT,
                f"{transcript_id}: {n} caption{'s' if n != 1 else ''} with no speaker's name "
                f"(segment{'s' if n != 1 else ''} {_listed([s.n for s in outside])}, {share:.0%} of the words) "
                f"{'are' if n != 1 else 'is'} no one's turn: role {REVIEW}, not coded. Put the speaker's name "
                f'before {"each" if n != 1 else "it"} ("Name: text") and ingest the file again with --replace, '
                f"or, if all are the participant's words, run \"wei-qual transcripts roles "
                f'{shlex.quote(transcript_id)} --unlabelled participant".',
            )
        )
    if missed_labels:
        n = len(missed_labels)
        out.append(
            TranscriptWarning(
                MISSED_LABELS,
                f"{transcript_id}: {n} {unit}{'s' if n != 1 else ''} look{'s' if n == 1 else ''} like a missed "
                f'speaker label ({unit}{"s" if n != 1 else ""} {_listed(list(missed_labels))}). Write labels as "Name: text" at the '
                f"start of a {unit} and ingest it again; {dry} shows how the file is read.",
            )
        )
    quoters = _and_list([f'"{q}"' for q in quoting]) if quoting else ""
    blank = "If one of them is a turn, put a blank line before it"
    for found, how, fix in (
        (
            wrapped,
            (
                "read as text going on from the line before, as in hard-wrapped text: the line before "
                "ends mid-sentence, the words after the colon start in lower case, and the label occurs nowhere else"
            ),
            blank,
        ),
        (
            quoted,
            (
                f"kept in the turn{'s' if len(quoting) != 1 else ''} of {quoters} as dialogue quoted there: they "
                "follow a line of that turn ending in a colon, or sit between two of its turns in a file whose "
                "turns blank lines separate, with no blank line before them, and their labels occur nowhere else"
            ),
            blank,
        ),
        (
            heard_once,
            (
                "read as text of the turn before: a name heard once is no label, since the text cannot tell "
                'someone who speaks once ("Deputy Cole: Yes, about a year.") from a participant\'s own '
                '"Example: ..."'
            ),
            (
                "If one of them is a person speaking, label them in a known form, which counts even once "
                '("Speaker 3:", "Officer 2:", "Observer:"),'
            ),
        ),
    ):
        if found:
            n = len(found)
            where = f"{unit}{'s' if n != 1 else ''} {_listed(list(found))}"
            # Lines, wherever they are: in a .docx they are a paragraph's lines (soft line breaks).
            lines = f"lines that start like a speaker label (in {where}) were"
            if unit != "paragraph":
                lines = f"{n} line{'s' if n != 1 else ''} that start{'s' if n == 1 else ''} like a speaker label ({where}) {'were' if n != 1 else 'was'}"
            out.append(
                TranscriptWarning(
                    MISSED_LABELS,
                    f"{transcript_id}: {lines} {how}. {fix} and ingest it again; {dry} shows how the file is read.",
                )
            )
    if controls:
        n = len(controls)
        out.append(
            TranscriptWarning(
                CONTROLS_REMOVED,
                f"{transcript_id}: {_controls_named(control_kinds)} were taken out of {n} "
                f"{unit}{'s' if n != 1 else ''} ({_listed(list(controls))}){_controls_cause(control_kinds)}; "
                f"no one said them. Labels holding them are read as labels. {dry} shows how the file is read.",
            )
        )
    if interrupting and captions:
        n = len(interrupting)
        where = f"{unit}{'s' if n != 1 else ''} {_listed(list(interrupting))}"
        out.append(
            TranscriptWarning(
                MISSED_LABELS,
                f"{transcript_id}: {n} cue{'s' if n != 1 else ''} that open{'s' if n == 1 else ''} with a "
                f"name heard once ({where}) {'were' if n != 1 else 'was'} read as a turn of "
                f'{"their" if n != 1 else "its"} own, someone who speaks once ("Charge Nurse: Sorry, room 3 needs '
                'you."): between two named cues, in captions that name the speaker of every cue'
                f"{_once_roles(transcript_id, segments, speakers)}. If it is text of the turn before, put the "
                f"speaker's name before it and ingest it again; {dry} shows how the file is read.",
            )
        )
    elif interrupting:
        n = len(interrupting)
        where = f"{unit}{'s' if n != 1 else ''} {_listed(list(interrupting))}"
        out.append(
            TranscriptWarning(
                MISSED_LABELS,
                f"{transcript_id}: {n} {unit}{'s' if n != 1 else ''} that start{'s' if n == 1 else ''} with a "
                f"name heard once ({where}) {'were' if n != 1 else 'was'} read as a turn of "
                f'{"their" if n != 1 else "its"} own, someone who interrupts once ("Charge Nurse: Sorry, room 3 '
                'needs you."): a paragraph of its own between two turns, written as the labels are, in a file '
                f"whose every paragraph is a turn{_once_roles(transcript_id, segments, speakers)}. If it is text "
                f"of the turn before, delete the blank line before it and ingest it again; {dry} shows how the "
                "file is read.",
            )
        )
    for label, where in (back_channels or {}).items():
        n = len(where)
        out.append(
            TranscriptWarning(
                BACK_CHANNELS,
                f'{transcript_id}: "{label}" only says a word or three of listening ("yeah", "mm-hmm") in the '
                f"middle of another speaker's answer{'s' if n != 1 else ''}, so it is no speaker: each is kept "
                f'in the answer it interrupts as a paragraph "{label}: ...", and that answer is one segment, not '
                f"split in two (segment{'s' if n != 1 else ''} {_listed(where)}). Read "
                f'{"them" if n != 1 else "it"} with "wei-qual transcripts show {shlex.quote(transcript_id)}".',
            )
        )
    if label_typos:
        n = len(label_typos)
        read = _read_as(label_typos)
        out.append(
            TranscriptWarning(
                LABEL_TYPOS,
                f"{transcript_id}: {n} label{'s' if n != 1 else ''} read as a slip in typing the role label "
                f"the file uses, one letter apart: {read}. If one is someone else, give them a label of "
                f"their own and ingest the file again; {dry} shows how it is read.",
            )
        )
    # roles.fold_renamed: a noted display name read as the bare one, or a bare name as its titled label
    noted = {
        name: v
        for name, v in (renamed or {}).items()
        if (name.endswith(")") and name.startswith(v[0]))
        or (v[0].endswith(")") and v[0].startswith(name + " ("))
    }
    untitled = {name: v for name, v in (renamed or {}).items() if name not in noted}
    alike = {name: v for name, v in untitled.items() if name_key(name) == name_key(v[0])}
    untitled = {name: v for name, v in untitled.items() if name not in alike}
    if noted:
        read = _read_as(noted)
        out.append(
            TranscriptWarning(
                RENAMED,
                f"{transcript_id}: a name and the same name with a note in parentheses added or dropped "
                f"during the meeting (pronouns, a team) read as one speaker: {read}. If they are two people, "
                f"give them labels of their own and ingest the file again; {dry} shows how it is read.",
            )
        )
    if untitled:
        read = _read_as(untitled)
        out.append(
            TranscriptWarning(
                RENAMED,
                f"{transcript_id}: a name written in full and shortened (a rank or title, a first name or a "
                f"surname left off, an initial) read as one speaker, the one label of the file it shortens: "
                f"{read}. If they are two people, give them labels of their own and ingest the file again; "
                f"{dry} shows how it is read.",
            )
        )
    if alike:
        out.append(
            TranscriptWarning(
                RENAMED,
                f"{transcript_id}: one name written two ways (an apostrophe, a particle's capital, a title "
                f"written short) read as one speaker, under the form heard first: {_read_as(alike)}. If they "
                f"are two people, give them labels of their own and ingest the file again; {dry} shows how it "
                "is read.",
            )
        )
    out += column_warnings(transcript_id, dry, columns or {})
    out += tracked_warnings(transcript_id, tracked_changes)
    out += hidden_warnings(transcript_id, hidden_text)
    if cover_tables:
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {_and_list(cover_tables)} left out: read as a cover sheet (Key | value rows: a "
                "date, an id, names), not turns. If it holds turns, give it a header row naming its Speaker and "
                f"Text columns and ingest the file again; {dry} shows how it is read.",
            )
        )
    if left_out:
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {_and_list(left_out)} left out: no header row names its Speaker and Text "
                "columns, and its cells do not show the transcript's speakers beside their words, so it is not "
                f"read as turns. If it holds turns, give it that header row and ingest the file again; {dry} "
                "shows how it is read.",
            )
        )
    for guess in guessed_columns:
        n = len(guess.rivals) + 1
        why = (
            f"columns {_and_list([str(c) for c in sorted((guess.speaker, *guess.rivals))])} "
            f"{'both' if n == 2 else 'all'} hold speaker labels that recur"
            if guess.rivals
            else "no speaker label in it recurs"
        )
        out.append(
            TranscriptWarning(
                SPEAKER_COLUMN,
                f"{transcript_id}: {guess.table} has no header row, and {why}: column {guess.speaker} was read as "
                f"the speakers and column {guess.text} as the text. If that is wrong, give the table a header row "
                f"naming its Speaker and Text columns and ingest it again; {dry} shows how it is read.",
            )
        )
    if cover:
        n = len(cover)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {unit}{'s' if n != 1 else ''} {_listed(list(cover))} left out: read as a cover "
                "sheet over the transcript (Key: value lines: a date, an id, names), not turns. If one of them is "
                f"a turn, delete the cover from the file and ingest it again; {dry} shows how it is read.",
            )
        )
    if ai_summary:
        n = len(ai_summary)
        first, last = ai_summary[0], ai_summary[-1]
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: an AI summary set aside ({unit}s {_spans([(first, last)])}: a note-taker's "
                "notes over its transcript, Google Meet's by Gemini or another's, its summary, details, action "
                "items and next steps): a machine's account of the meeting, not what "
                "anyone said, so neither turns nor coded, nor stored. If you want it, keep the notes document "
                f"as a document of its own; {dry} shows how the file is read.",
            )
        )
    if title_lines:
        n = len(title_lines)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {unit}{'s' if n != 1 else ''} {_listed(list(title_lines))} left out: read as "
                "the title over the transcript (short lines with no sentence in them, over the "
                'first labelled turn: the "title" attribute), not turns. If one of them is a turn, label it '
                f'("Name: text."), ending it with a full stop, and ingest it again; {dry} shows how it is read.',
            )
        )
    if later_covers:
        spans = _spans(later_covers)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {unit}s {spans} left out: read as "
                + (
                    "the cover sheet of a later session"
                    if len(later_covers) == 1
                    else "the cover sheets of later sessions"
                )
                + " in the same file (a rule or title, then Key: value lines: a date, a session, names), not turns. "
                "If one of them is a turn, delete that cover from the file and ingest it again; "
                f"{dry} shows how it is read.",
            )
        )
    if unmarked_covers:
        spans = _spans(unmarked_covers)
        out.append(
            TranscriptWarning(
                MISSED_LABELS,
                f"{transcript_id}: {unit}s {spans} look like the cover sheet of a later session (Key: value "
                "lines: a date, a place) over a turn, but no rule or title marks a new session there, so they "
                "are kept in the turn before them, as a form read out would be. If they are a cover, put a rule "
                f"(-----) or a title naming the session (Session 2) over them and ingest it again; {dry} shows "
                "how it is read.",
            )
        )
    if running_heads:
        n = len(running_heads)
        out.append(
            TranscriptWarning(
                LEFT_OUT,
                f"{transcript_id}: {unit}{'s' if n != 1 else ''} {_listed(list(running_heads))} left out: read as "
                "page headers or footers (a line repeated at the top or bottom of the pages, or with a page "
                f"number), not turns. If one of them is speech, delete the page headers from the file and ingest "
                f"it again; {dry} shows how it is read.",
            )
        )
    if label_heads:
        n = len(label_heads)
        out.append(
            TranscriptWarning(
                PAGE_HEADS,
                f"{transcript_id}: {unit}{'s' if n != 1 else ''} {_listed(list(label_heads))} open or close every "
                "page as a page header or footer would, but read as speaker labels used elsewhere in the file, so "
                f"{'they were' if n != 1 else 'it was'} kept as turns. If they are page headers, delete them from "
                f"the file and ingest it again; {dry} shows how it is read.",
            )
        )
    return out


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def tracked_warnings(source_id: str, changes: int) -> list[TranscriptWarning]:
    """Tracked changes in a .docx: read as accepted, as Word shows the text with all of them accepted."""
    if not changes:
        return []
    were = "were" if changes != 1 else "was"
    return [
        TranscriptWarning(
            TRACKED_CHANGES,
            f"{source_id}: {changes} tracked change{'s' if changes != 1 else ''} {were} read as accepted "
            "(inserted text kept, deleted text left out). If the text should read otherwise, accept or "
            "reject them in Word or LibreOffice and ingest it again with --replace.",
        )
    ]


def hidden_warnings(source_id: str, paragraphs: int) -> list[TranscriptWarning]:
    """Text formatted hidden in a .docx, .odt or .rtf (Word's Font > Hidden, LibreOffice's hidden paragraphs
    and fields): left out, as the word processor neither shows nor prints it, and said to be."""
    if not paragraphs:
        return []
    s = "s" if paragraphs != 1 else ""
    return [
        TranscriptWarning(
            HIDDEN_TEXT,
            f"{source_id}: hidden text in {paragraphs} paragraph{s} was left out (formatted hidden: Word and "
            "LibreOffice neither show nor print it, as with a template's drafting notes). If it is part of "
            "the text, un-hide it (Font > Hidden, or the hidden paragraph or field) and ingest it again with "
            "--replace.",
        )
    ]


def column_warnings(source_id: str, dry: str, columns: Mapping[int, int]) -> list[TranscriptWarning]:
    """PDF pages set in columns (page -> how many): read as two columns, an inferred order that is said;
    set in more, read straight across them, which mixes their text."""
    out = []
    two = sorted(page for page, n in columns.items() if n == 2)
    more = sorted(page for page, n in columns.items() if n > 2)
    if two:
        n = len(two)
        out.append(
            TranscriptWarning(
                TWO_COLUMNS,
                f"{source_id}: page{'s' if n != 1 else ''} {_listed(two)} {'were' if n != 1 else 'was'} read as "
                f"two columns, the left column before the right. Check the reading order with {dry}.",
            )
        )
    if more:
        n = len(more)
        out.append(
            TranscriptWarning(
                COLUMNS_MIXED,
                f"{source_id}: page{'s' if n != 1 else ''} {_listed(more)} {'are' if n != 1 else 'is'} set in "
                "more than two columns, whose lines are read straight across them, mixing their text. Export "
                "the text in reading order (.txt or .docx) and ingest that.",
            )
        )
    return out


_CONTROL_NAMES = {
    "escape": "terminal escape sequences (colour codes)",
    "bom": "byte-order marks (U+FEFF)",
    "mark": "invisible marks (zero-width space, direction marks)",
    "bidi": "bidi overrides",
    "control": "control characters",
}


def _controls_named(kinds: frozenset[str]) -> str:
    """What strip_controls took out, named: a joined file's BOM is not a terminal's colour code."""
    named = [_CONTROL_NAMES[k] for k in _CONTROL_NAMES if k in kinds]
    if not named:  # a caller that did not say which
        return "terminal control characters or invisible marks"
    edge = " at a speaker label's edges" if kinds - {"escape"} else ""
    return (", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]) + edge


def _controls_cause(kinds: frozenset[str]) -> str:
    if kinds == {"escape"}:
        return ", as in a copy of a coloured terminal log"
    if kinds == {"bom"}:
        return ", as where files were joined, each starting with its own byte-order mark"
    return ""
