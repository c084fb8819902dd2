"""Correcting speaker roles: `wei-qual transcripts roles ID --interviewer NAME --participant NAME --other NAME`.

with_roles() is the pure part (a Transcript with some speakers' roles set by a person); set_roles()
checks a correction against the coding decisions and writes it, with the audit row, in one transaction.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..controls import escape_controls, has_controls
from ..errors import TranscriptError
from ..models import (
    DOCUMENT_KIND,
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    ROLES_GIVEN,
    ROLES_INFERRED,
    ROLES_REVIEW,
    Speaker,
    Transcript,
    walked,
)
from ..store import get_setting, iter_audit_of, transaction, write_audit
from ..store import transcripts as st
from ..store.decisions import iter_decisions
from ..store.packets import packets_out
from .checks import ROLE_KINDS, UNLABELLED_TEXT, role_warnings
from .labels import DEFAULT_INTERVIEWER_LABELS
from .roles import INTERPRETING, asks_question, infer_roles, is_placeholder

GIVEN_REASON = "set with transcripts roles"


def _listed(db: Database, transcript_id: str) -> list[str]:
    """The speakers the attributes CSV gave attributes of their own in this transcript."""
    return [speaker for _, speaker in st.get_speaker_attributes(db, transcript_id)]


def _status(segments, *, given: bool, base: str, base_reason: str) -> tuple[str, str]:
    """Roles status after a correction: review while a segment has no known speaker, else given."""
    unknown = sum(s.role == REVIEW and s.speaker is None for s in segments)
    # A speaker heard once is left to review (roles.infer_roles) until a person sets their role.
    aside = list(dict.fromkeys(s.speaker for s in segments if s.role == REVIEW and s.speaker is not None))
    if unknown or aside:
        said = [f"{unknown} segment{'s have' if unknown != 1 else ' has'} no speaker"] if unknown else []
        if aside:
            named = ", ".join(f'"{label}"' for label in aside)
            said.append(f"{named} {'is' if len(aside) == 1 else 'are'} left to review (no participant)")
        return ROLES_REVIEW, "; ".join(said)
    if given:
        return ROLES_GIVEN, ""
    return base, base_reason


def with_roles(
    t: Transcript,
    roles: dict[str, str],
    *,
    reason: str = GIVEN_REASON,
    unlabelled: str | None = None,
    named: Sequence[str] = (),
) -> Transcript:
    """The transcript with the roles of some speakers (label -> role) set by a person, and of its
    unlabelled segments when `unlabelled` is given; status and role warnings worked out again (`named`:
    the speakers the attributes CSV lists for it). Pure."""
    speakers = tuple(
        dataclasses.replace(s, role=roles[s.label], reason=reason, given=True) if s.label in roles else s
        for s in t.speakers
    )
    by_label = {s.label: s.role for s in speakers}
    segments = tuple(
        dataclasses.replace(
            seg,
            role=by_label.get(seg.speaker, seg.role)
            if seg.speaker is not None
            else (unlabelled if unlabelled is not None else seg.role),
        )
        for seg in t.segments
    )
    given = bool(roles) or unlabelled is not None or any(s.given for s in speakers)
    # The unlabelled-text warning goes once a person set that text's role.
    settled = {UNLABELLED_TEXT} if unlabelled is not None else set()
    return _with_roles(
        t,
        speakers,
        segments,
        given=given,
        base=t.roles,
        base_reason=t.roles_reason,
        settled=settled,
        named=named,
    )


def _with_roles(
    t,
    speakers,
    segments,
    *,
    given: bool,
    base: str,
    base_reason: str,
    settled: set[str],
    named: Sequence[str],
):
    """The transcript with these speakers and turns, its roles status and its role warnings worked out again
    (the warnings of kinds in `settled` dropped)."""
    status, why = _status(segments, given=given, base=base, base_reason=base_reason)
    warnings = [w for w in t.warnings if w.kind not in ROLE_KINDS and w.kind not in settled]
    warnings += role_warnings(t.id, segments, speakers, status, why, named)
    return dataclasses.replace(
        t, speakers=speakers, segments=segments, roles=status, roles_reason=why, warnings=tuple(warnings)
    )


@dataclass
class RolesView:
    """What `transcripts roles ID` shows: the speakers with counts, and the unlabelled segments."""

    transcript_id: str
    status: str
    reason: str
    speakers: list[Speaker]
    unlabelled: int  # segments with no speaker
    unlabelled_role: str | None  # their role (None when there are none, or they differ)
    warnings: list = field(default_factory=list)


def _transcript(db: Database, transcript_id: str) -> Transcript:
    """The stored transcript with its speakers, roles and warnings (no text needed beyond segments); the
    id as typed is matched in any case and accent form (store.resolve_transcript_id)."""
    transcript_id = st.resolve_transcript_id(db, transcript_id) or transcript_id
    row = st.get_transcript_row(db, transcript_id)
    if row is None:
        raise TranscriptError(
            f'Transcript "{transcript_id}" is not in the project. List them with "wei-qual transcripts list".'
        )
    if row["kind"] == DOCUMENT_KIND:
        raise TranscriptError(
            f'"{transcript_id}" is a document: it has no speakers, so no roles. '
            f'Read its sections with "wei-qual transcripts show {shlex.quote(transcript_id)}".'
        )
    segments = tuple(st.segment_from_row(r) for r in st.iter_segments(db, transcript_id=transcript_id))
    status, reason, warnings = st.get_roles(db, transcript_id)
    questions: dict[str, int] = {}
    for seg in segments:
        if seg.speaker is not None:
            questions[seg.speaker] = questions.get(seg.speaker, 0) + asks_question(seg.text)
    speakers = tuple(
        dataclasses.replace(s, questions=questions.get(s.label, 0))
        for s in st.iter_speakers(db, transcript_id)
    )
    return Transcript(
        id=transcript_id,
        source=row["source"],
        format=row["format"],
        sha256=row["sha256"],
        text="",
        segments=segments,
        speakers=speakers,
        roles=status,
        roles_reason=reason,
        warnings=tuple(warnings),
    )


def roles_view(db: Database, transcript_id: str) -> RolesView:
    """The speakers of a stored transcript, their roles and why. Raises TranscriptError for an unknown id."""
    t = _transcript(db, transcript_id)
    unlabelled = [s for s in t.segments if s.speaker is None]
    roles = {s.role for s in unlabelled}
    return RolesView(
        transcript_id=t.id,
        status=t.roles,
        reason=t.roles_reason,
        speakers=list(t.speakers),
        unlabelled=len(unlabelled),
        unlabelled_role=roles.pop() if len(roles) == 1 else None,
        warnings=list(t.warnings),
    )


@dataclass
class RoleChange:
    """The outcome of a correction: the new view and what moved."""

    view: RolesView
    changed: dict[str, tuple[str, str]]  # label (or "(no label)") -> (old role, new role)
    moved_segments: int  # segments moved in or out of the coding units
    moved_decisions: int  # decisions on those segments (kept, and listed in the audit log)
    remembered: list[str]  # interviewer names the project now remembers
    placeholders: list[str] = field(default_factory=list)  # interviewers set here only: no person's name
    # (coder, made_utc) of the packets still out holding the transcript (store.packets.packets_out), made
    # before turns moved: coded there under the old roles until merged.
    packets: list[tuple[str, str]] = field(default_factory=list)
    # Interpreters (by label or cover sheet) set as participants: counted as participants of their own.
    interpreters: list[str] = field(default_factory=list)


def _resolve(label: str, speakers: tuple[Speaker, ...], transcript_id: str) -> str:
    exact = [s.label for s in speakers if s.label == label]
    if exact:
        return exact[0]
    loose = [s.label for s in speakers if s.label.casefold() == label.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    listed = ", ".join(f'"{s.label}"' for s in speakers) or "none (the transcript has no speaker labels)"
    raise TranscriptError(
        f'Transcript "{transcript_id}" has no speaker "{label}" (speakers: {listed}). '
        f'Copy the label from "wei-qual transcripts roles {shlex.quote(transcript_id)}".'
    )


def _in_units(segment) -> bool:
    """Coding units are the turns a coding session walks by default: every turn but the interviewer's,
    other speakers' and a voice heard once left to review (models.walked)."""
    return segment.role != INTERVIEWER and walked(segment.role, segment.speaker)


def set_roles(
    db: Database,
    transcript_id: str,
    *,
    interviewers: list[str] = (),
    participants: list[str] = (),
    others: list[str] = (),
    unlabelled: str | None = None,
    force: bool = False,
    actor: str | None = None,
) -> RoleChange:
    """Set speakers' roles in one transaction, audited; the project remembers the interviewers' names.
    `others`: speakers who are neither interviewer nor participant (role other: kept, shown, never coded
    nor counted).

    Refused (TranscriptError) for an unknown speaker, a name given two roles, or when the change would
    move segments that have coding decisions in or out of the coding units, unless `force`. The
    decisions themselves are kept (and listed in the audit row).
    """
    if unlabelled is not None and unlabelled not in (INTERVIEWER, PARTICIPANT, OTHER):
        raise TranscriptError(f'--unlabelled must be interviewer, participant or other, not "{unlabelled}".')
    if (coder := get_setting(db, "packet_coder")) is not None and get_setting(db, "packet_of") is not None:
        # A role set on a coder's laptop never reaches the project: the coder would code other turns than
        # the project counts, and the other coders of the transcript other turns again.
        raise TranscriptError(
            f'The database given with --db is the packet for "{coder}", not a project: speaker roles are set '
            "in the project it was made from (the lead's file), so that every coder codes the same turns. "
            "Ask the lead to set them there (merging the packet then names the turns that changed role)."
        )
    transcript_id = st.resolve_transcript_id(db, transcript_id) or transcript_id  # `p09` for P09
    with transaction(db):
        t = _transcript(db, transcript_id)
        # Read before the turns move: a turn moved into the coding units is no turn its coder left undone.
        still_out = packets_out(db, transcript_id)
        wanted: dict[str, str] = {}
        for names, role in ((interviewers, INTERVIEWER), (participants, PARTICIPANT), (others, OTHER)):
            for name in names:
                label = _resolve(name, t.speakers, transcript_id)
                if wanted.get(label, role) != role:
                    raise TranscriptError(
                        f'Speaker "{label}" is given both --{wanted[label]} and --{role}. Give it one role.'
                    )
                wanted[label] = role
        if unlabelled is not None and not any(s.speaker is None for s in t.segments):
            raise TranscriptError(
                f'Transcript "{transcript_id}" has no unlabelled segments, so --unlabelled changes nothing.'
            )
        new = with_roles(t, wanted, unlabelled=unlabelled, named=_listed(db, transcript_id))
        old_roles = {s.n: s.role for s in t.segments}
        old_segments = {s.n: s for s in t.segments}
        moved = {s.n for s in new.segments if _in_units(s) != _in_units(old_segments[s.n])}
        decisions = [d for d in iter_decisions(db, transcript_id=transcript_id) if d.segment in moved]
        if decisions and not force:
            coded = {d.segment for d in decisions}
            out = {s.n for s in new.segments if s.n in coded and not _in_units(s)}
            way = "out of" if out == coded else "into" if not out else "in and out of"
            raise TranscriptError(
                f'Transcript "{transcript_id}": this would move {len(coded)} segment{"s" if len(coded) != 1 else ""} '
                f"with {len(decisions)} coding decision{'s' if len(decisions) != 1 else ''} {way} the coding units. "
                "Pass --force to do it (the decisions are kept and listed in the audit log)."
            )
        before = {s.label: s.role for s in t.speakers}
        changed = {s.label: (before[s.label], s.role) for s in new.speakers if before[s.label] != s.role}
        if unlabelled is not None:
            old = {s.role for s in t.segments if s.speaker is None}
            if old != {unlabelled}:
                changed["(no label)"] = (", ".join(sorted(old)), unlabelled)
        st.set_segment_roles(
            db, transcript_id, {s.n: s.role for s in new.segments if s.role != old_roles[s.n]}
        )
        st.save_speakers(db, transcript_id, new.speakers)
        st.save_roles(db, transcript_id, status=new.roles, reason=new.roles_reason, warnings=new.warnings)
        interviewers = [l for l, r in wanted.items() if r == INTERVIEWER]
        placeholders = [l for l in interviewers if is_placeholder(l)]
        remembered = _remember(
            db,
            interviewers=[l for l in interviewers if l not in placeholders],
            # Someone set as a participant or as another speaker is no interviewer to remember: a "Tech"
            # once set with --interviewer for want of a third role is forgotten.
            participants=[l for l, r in wanted.items() if r in (PARTICIPANT, OTHER)],
        )
        write_audit(
            db,
            action="set_roles",
            entity="transcript",
            entity_id=transcript_id,
            actor=actor,
            before={
                "roles": t.roles,
                "speakers": before,
                "unlabelled": sorted({s.role for s in t.segments if s.speaker is None}),
            },
            after={
                "roles": new.roles,
                "speakers": {s.label: s.role for s in new.speakers},
                "unlabelled": sorted({s.role for s in new.segments if s.speaker is None}),
                "moved_segments": sorted(moved),
                "moved_decisions": [
                    {"segment": d.segment, "coder": d.coder, "codes": sorted(d.codes), "note": d.note}
                    for d in decisions
                ],
            },
        )
    return RoleChange(
        roles_view(db, transcript_id),
        changed,
        len(moved),
        len(decisions),
        remembered,
        placeholders,
        still_out if moved else [],
        [
            s.label
            for s in t.speakers
            if wanted.get(s.label) == PARTICIPANT and s.role != PARTICIPANT and s.reason in INTERPRETING
        ],
    )


def _remember(db: Database, *, interviewers: list[str], participants: list[str]) -> list[str]:
    """Add interviewers to the names the project remembers; forget a name now set as a participant (or as
    another speaker)."""
    names = st.get_interviewer_names(db)
    known = {n.casefold() for n in names}
    names += [n for n in interviewers if n.casefold() not in known]
    drop = {n.casefold() for n in participants}
    names = [n for n in names if n.casefold() not in drop]
    st.save_interviewer_names(db, names)
    return names


# --- Relabelling turns: `wei-qual transcripts relabel ID --segment 4 --segment 7-9 --speaker NAME` ---

RELABEL = "relabel"  # the audit action: before/after name each turn's speaker (keep_relabels reads them back)
RELABEL_REASON = "set with transcripts relabel"
_SPAN = re.compile(r"\s*(\d{1,9})\s*(?:[-–—]\s*(\d{1,9})\s*)?")
# Parts of a roles reason that _status works out again from the segments.
_STATUS_PARTS = re.compile(
    r"\d+ segments? ha(?:ve|s) no speaker|.* (?:is|are) left to review \(no participant\)"
)


def parse_segments(values: list[str], transcript_id: str, count: int) -> list[int]:
    """Segment numbers from `4`, `7-9` or `4,7-9` (each --segment), sorted, once each; TranscriptError for
    a value that is no number or range, or a number the transcript does not have (it has 1..count)."""
    wanted: set[int] = set()
    for value in values:
        for part in value.split(","):
            m = _SPAN.fullmatch(part)
            if m is None or (m[2] is not None and int(m[2]) < int(m[1])):
                raise TranscriptError(
                    f'--segment "{value}" is not a segment number or range: give numbers as "wei-qual '
                    f'transcripts show {shlex.quote(transcript_id)}" lists them, e.g. --segment 4 --segment 7-9.'
                )
            first, last = int(m[1]), int(m[2] or m[1])
            if first < 1 or last > count:
                bad = first if first < 1 or first > count else last
                raise TranscriptError(
                    f'Transcript "{transcript_id}" has segments 1 to {count}: no segment {bad}. See them with '
                    f'"wei-qual transcripts show {shlex.quote(transcript_id)}".'
                )
            wanted.update(range(first, last + 1))
    return sorted(wanted)


def spans(numbers: list[int]) -> str:
    """ "4, 7 to 9" for 4, 7, 8, 9."""
    out: list[list[int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a} to {b}" if a != b else f"{a}" for a, b in out)


def _doubts(reason: str) -> list[str]:
    """The doubts a roles reason joins with "; " (roles.infer_roles): not at a "; " in brackets, nor before
    the "taken as ..." that ends a doubt."""
    parts: list[str] = []
    depth = 0
    for piece in reason.split("; "):
        if parts and (depth > 0 or piece.startswith("taken as ")):
            parts[-1] += "; " + piece
        else:
            parts.append(piece)
        depth += piece.count("(") - piece.count(")")
    return [p for p in parts if p]


# What a speaker's reason adds, after a person's "set with ...", of the turns as a relabel left them.
_TURNS_NOW = "; the turns as they now are: "
# Reasons that name evidence outside the turns, which reading the turns again cannot give back.
_NOT_FROM_TURNS = ("on the cover sheet", "in the attributes CSV")
# The inference's "no participant until a person sets the role": said after a person set it, a contradiction.
_UNTIL_SET = re.compile(r"[,:] no participant until a person sets the role$")


def _reasons_again(
    segments: tuple, transcript_id: str, speakers: tuple[Speaker, ...], known: Sequence[str]
) -> tuple[Speaker, ...]:
    """The speakers with the reasons ingest's role inference (roles.infer_roles) gives the turns as they
    now are: "asks 4/6 questions" said once of four turns is stale once two more are relabelled. Roles stay:
    a role a person set keeps its "set with ..." reason, with what the turns now say after it; a role read
    at ingest that the turns now put otherwise says so, for a person to set."""
    fresh = {
        s.label: s
        for s in infer_roles(segments, transcript_id, (), (*DEFAULT_INTERVIEWER_LABELS, *known)).speakers
    }
    out = []
    for s in speakers:
        now = fresh.get(s.label)
        if now is None or (not s.given and any(part in s.reason for part in _NOT_FROM_TURNS)):
            out.append(s)
        elif s.given:
            out.append(
                dataclasses.replace(
                    s, reason=s.reason.split(_TURNS_NOW)[0] + _TURNS_NOW + _UNTIL_SET.sub("", now.reason)
                )
            )
        elif now.role == s.role:
            out.append(dataclasses.replace(s, reason=now.reason))
        else:
            reason = (
                f"{now.reason}, which would make them {now.role}: kept {s.role} until a person sets the role"
            )
            out.append(dataclasses.replace(s, reason=reason))
    return tuple(out)


def with_speaker(
    t: Transcript,
    turns: set[int],
    speaker: Speaker,
    *,
    known_interviewers: Sequence[str] = (),
    named: Sequence[str] = (),
) -> Transcript:
    """The transcript with the turns numbered `turns` given to `speaker` (its label and role; a new
    speaker is added), a speaker left with no turn dropped with the doubts that name it, the counts, each
    speaker's reason (`known_interviewers`: the names the project remembers), the status and the role
    warnings worked out again. Segment numbers stay: two turns of one speaker side by side are not merged.
    Pure."""
    segments = tuple(
        dataclasses.replace(s, speaker=speaker.label, role=speaker.role) if s.n in turns else s
        for s in t.segments
    )
    known = {s.label: s for s in t.speakers}
    known.setdefault(speaker.label, speaker)
    counts: dict[str, list[int]] = {}  # label -> [turns, words, questions, first]
    for s in segments:
        if s.speaker is not None:
            c = counts.setdefault(s.speaker, [0, 0, 0, s.n])
            c[0] += 1
            c[1] += s.words
            c[2] += asks_question(s.text)
    speakers = tuple(
        dataclasses.replace(known[label], turns=c[0], words=c[1], questions=c[2])
        for label, c in sorted(counts.items(), key=lambda kv: kv[1][3])
    )
    speakers = _reasons_again(segments, t.id, speakers, known_interviewers)
    gone = [label for label in known if label not in counts]
    # A doubt naming a speaker who no longer speaks is settled; what _status works out is said afresh.
    parts = [
        p
        for p in _doubts(t.roles_reason)
        if not _STATUS_PARTS.fullmatch(p) and not any(f'"{label}"' in p for label in gone)
    ]
    base = t.roles if t.roles != ROLES_REVIEW or parts else ROLES_INFERRED
    given = any(s.given for s in speakers)
    settled = {UNLABELLED_TEXT} if not any(s.speaker is None for s in segments) else set()
    return _with_roles(
        t,
        speakers,
        segments,
        given=given,
        base=base,
        base_reason="; ".join(parts),
        settled=settled,
        named=named,
    )


@dataclass
class Relabelled:
    """The outcome of `transcripts relabel`: the new view and what changed."""

    view: RolesView
    speaker: str
    role: str
    segments: dict[int, tuple[str | None, str]]  # turn -> (its speaker before, its role before)
    unchanged: list[int]  # turns that were that speaker's already
    decisions: int  # decisions on the relabelled turns (kept)
    moved_segments: list[int]  # turns moved in or out of the coding units
    moved_decisions: int
    dropped: list[str]  # speakers left with no turn
    added: bool  # the speaker is new to the transcript
    packets: list[tuple[str, str]] = field(default_factory=list)


def _find_speaker(name: str, speakers: tuple[Speaker, ...]) -> Speaker | None:
    exact = [s for s in speakers if s.label == name]
    loose = [s for s in speakers if s.label.casefold() == name.strip().casefold()]
    return exact[0] if exact else loose[0] if len(loose) == 1 else None


def relabel(
    db: Database,
    transcript_id: str,
    *,
    segments: list[str],
    speaker: str,
    role: str | None = None,
    force: bool = False,
    actor: str | None = None,
) -> Relabelled:
    """Give some turns of a transcript another speaker (an existing one, or a new one with `role`), in one
    transaction, audited. Refused (TranscriptError) for an unknown segment number, an unknown speaker
    without `role`, a `role` other than an existing speaker's, or when turns with coding decisions would
    move in or out of the coding units, unless `force`. Decisions stay on their turns."""
    if role is not None and role not in (INTERVIEWER, PARTICIPANT, OTHER):
        raise TranscriptError(f'--role must be interviewer, participant or other, not "{role}".')
    if not speaker.strip():
        raise TranscriptError("--speaker is empty: give the name the turns take.")
    if has_controls(speaker):  # a new label would carry it into every table, export and Word file
        raise TranscriptError(
            f'--speaker "{escape_controls(speaker)}" holds a control character: give the name as plain text.'
        )
    if (coder := get_setting(db, "packet_coder")) is not None and get_setting(db, "packet_of") is not None:
        raise TranscriptError(
            f'The database given with --db is the packet for "{coder}", not a project: turns are relabelled '
            "in the project it was made from (the lead's file), so that every coder codes the same turns. "
            "Ask the lead to relabel them there."
        )
    transcript_id = st.resolve_transcript_id(db, transcript_id) or transcript_id
    quoted = shlex.quote(transcript_id)
    with transaction(db):
        t = _transcript(db, transcript_id)
        turns = parse_segments(segments, transcript_id, len(t.segments))
        found = _find_speaker(speaker, t.speakers)
        if found is None and role is None:
            listed = ", ".join(f'"{s.label}"' for s in t.speakers) or "none"
            raise TranscriptError(
                f'Transcript "{transcript_id}" has no speaker "{speaker}" (speakers: {listed}). Give one of '
                "them, or add --role interviewer, --role participant or --role other to give the turns a "
                "speaker of their own."
            )
        if found is not None and role is not None and found.role != role:
            raise TranscriptError(
                f'"{found.label}" is {found.role} in {transcript_id}, and relabelled turns take their '
                f"speaker's role: leave out --role, or change the speaker's role with "
                f'"wei-qual transcripts roles {quoted} --{role} {shlex.quote(found.label)}".'
            )
        target = found or Speaker(speaker.strip(), role, RELABEL_REASON, given=True)
        old = {s.n: s for s in t.segments}
        unchanged = [n for n in turns if old[n].speaker == target.label]
        moving = {n for n in turns if old[n].speaker != target.label}
        new = with_speaker(
            t,
            moving,
            target,
            known_interviewers=st.get_interviewer_names(db),
            named=_listed(db, transcript_id),
        )
        moved = sorted(n for n in moving if _in_units(new.segments[n - 1]) != _in_units(old[n]))
        on_turns = [d for d in iter_decisions(db, transcript_id=transcript_id) if d.segment in moving]
        on_moved = [d for d in on_turns if d.segment in moved]
        if on_moved and not force:
            coded = sorted({d.segment for d in on_moved})
            way = "out of" if all(not _in_units(new.segments[n - 1]) for n in coded) else "into"
            if way == "into" and any(not _in_units(new.segments[n - 1]) for n in coded):
                way = "in and out of"
            raise TranscriptError(
                f'Transcript "{transcript_id}": segment{"s" if len(coded) != 1 else ""} {spans(coded)} '
                f"{'have' if len(coded) != 1 else 'has'} {len(on_moved)} coding decision"
                f"{'s' if len(on_moved) != 1 else ''} and would move {way} the coding units as "
                f'"{target.label}" ({target.role}). Pass --force to relabel them (the decisions are kept and '
                "listed in the audit log)."
            )
        still_out = packets_out(db, transcript_id) if moving else []
        dropped = [s.label for s in t.speakers if s.label not in {sp.label for sp in new.speakers}]
        if moving:
            st.set_segment_speakers(
                db, transcript_id, {n: (target.label, target.role) for n in sorted(moving)}
            )
            st.save_speakers(db, transcript_id, new.speakers)
            st.save_roles(db, transcript_id, status=new.roles, reason=new.roles_reason, warnings=new.warnings)
            write_audit(
                db,
                action=RELABEL,
                entity="transcript",
                entity_id=transcript_id,
                actor=actor,
                before={
                    "roles": t.roles,
                    "segments": {
                        str(n): {"speaker": old[n].speaker, "role": old[n].role} for n in sorted(moving)
                    },
                    "speakers": {s.label: s.role for s in t.speakers},
                },
                after={
                    "roles": new.roles,
                    "segments": {
                        str(n): {"speaker": target.label, "role": target.role} for n in sorted(moving)
                    },
                    "speakers": {s.label: s.role for s in new.speakers},
                    "moved_segments": moved,
                    "decisions": [
                        {"segment": d.segment, "coder": d.coder, "codes": sorted(d.codes), "note": d.note}
                        for d in on_turns
                    ],
                },
            )
    return Relabelled(
        roles_view(db, transcript_id),
        target.label,
        target.role,
        {n: (old[n].speaker, old[n].role) for n in sorted(moving)},
        unchanged,
        len(on_turns),
        moved,
        len(on_moved),
        dropped,
        found is None,
        still_out if moved else [],
    )


def keep_relabels(db: Database, t: Transcript) -> Transcript:
    """A new reading of a stored transcript keeps the turns a person relabelled (`transcripts relabel`)
    where the reading has them as they were: the same number, the same text, the speaker the file gives
    them. Otherwise the file's speaker stands (the turn changed)."""
    if not st.has_transcript(db, t.id):
        return t  # a new transcript (the audit log is not read for each file of a first ingest)
    rows = iter_audit_of(db, entity="transcript", entity_id=t.id, action=RELABEL)
    if not rows:
        return t
    wanted: dict[int, tuple[str | None, str]] = {}  # turn -> (the file's speaker, the speaker given)
    for row in rows:
        b, a = row["before"]["segments"], row["after"]["segments"]
        for n, was in b.items():
            first = wanted.get(int(n), (was["speaker"], ""))[0]
            wanted[int(n)] = (first, a[n]["speaker"])
    stored = {r["n"]: r for r in st.iter_segments(db, transcript_id=t.id)}
    roles = {s.label: s.role for s in st.iter_speakers(db, t.id)}
    known = st.get_interviewer_names(db)
    by_speaker: dict[str, set[int]] = {}
    for n, (file_speaker, given) in wanted.items():
        row = stored.get(n)
        if (
            n <= len(t.segments)
            and row is not None
            and row["speaker"] == given
            and t.segments[n - 1].speaker == file_speaker
            and t.segments[n - 1].text == row["text"]
            and given in roles
        ):
            by_speaker.setdefault(given, set()).add(n)
    for label, turns in by_speaker.items():
        found = _find_speaker(label, t.speakers)
        target = (
            found
            if found is not None and found.label == label
            else Speaker(label, roles[label], RELABEL_REASON, given=True)
        )
        t = with_speaker(t, turns, target, known_interviewers=known)
    return t
