"""Turn a read .qdpx into a wei-qual project: transcripts, a codebook version, coders, decisions, memos.

plan_import() is pure (what would be written, and what is lost and why); import_plan() writes it into an
empty project in one transaction, behind the PII gate. Every coding read becomes part of a decision or is
counted in `lost` with its reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import hashlib
import itertools
import re
import shlex
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..coders import clean, is_consensus_lookalike, name_key, name_problem, shell_word, shown_name
from ..controls import CONTROLS, LINE_BREAKS, has_controls
from ..errors import ExportError, TranscriptError
from ..excerpts import normalise as normalise_excerpts
from ..export.codetree import Ids, unique_id
from ..gcpause import paused_gc
from ..ingest.correct import with_roles
from ..ingest.document import document_transcript
from ..ingest.labels import DEFAULT_INTERVIEWER_LABELS
from ..ingest.roles import given_roles, infer_roles
from ..ingest.sections import Section
from ..ingest.turns import Source, Turn, build_transcript
from ..models import (
    CONSENSUS_CODER,
    DOCUMENT_KIND,
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    ROLES_REVIEW,
    Code,
    Codebook,
    Decision,
    Excerpt,
    Transcript,
    plural,
)
from .layout import (
    SourceTurn,
    Span,
    document_turns,
    read_segments_note,
    segment_selection_name,
    split_document_text,
    split_source_text,
)
from .read import OTHER_SOURCES, ProjectIn, SelectionIn, TextSourceIn, read_qdpx, tool_of
from .vocabulary import (
    CODEBOOK_DESCRIPTION,
    CODEBOOK_NAME,
    CODEBOOK_VERSION,
    GIVEN_VARIABLE,
    INTERVIEWER_VARIABLE,
    KIND_VARIABLE,
    LABEL_SEPARATOR,
    NOTE_DECISION,
    NOTE_NOTHING,
    NOTE_RATIONALE,
    NOTE_SEGMENTS,
    NOTE_SUGGESTIONS,
    OTHER_VARIABLE,
    REVIEW_SPEAKERS_VARIABLE,
    ROLES_VARIABLE,
    SPEAKER_VARIABLE,
    UNLABELLED_VARIABLE,
    UNREADABLE,
    ZONELESS,
    read_suggestions_note,
    split_labels,
    utc_time,
)

UNKNOWN_CODER = "unknown"  # codings and notes that name no user
ACTOR = "project import"
# never attributes
_OWN_VARIABLES = (
    SPEAKER_VARIABLE,
    INTERVIEWER_VARIABLE,
    KIND_VARIABLE,
    ROLES_VARIABLE,
    GIVEN_VARIABLE,
    UNLABELLED_VARIABLE,
    OTHER_VARIABLE,
    REVIEW_SPEAKERS_VARIABLE,
)
# The speakers a wei-qual export names as neither interviewer nor participant, and their role here.
_ASIDE_VARIABLES = {OTHER_VARIABLE: OTHER, REVIEW_SPEAKERS_VARIABLE: REVIEW}
GIVEN_REASON = "set by a person (read from the .qdpx)"
_SOURCE_SUFFIX = re.compile(r"\.(txt|docx?|rtf|odt|md|pdf)$", re.IGNORECASE)
MAX_LISTED = 5


@dataclass
class Lost:
    what: str
    count: int
    why: str


@dataclass
class ImportPlan:
    """Everything an import would write, and the report of what became of each part."""

    path: str
    name: str
    transcripts: list[Transcript] = field(default_factory=list)
    scan_texts: dict[str, str] = field(default_factory=dict)  # transcript id -> its source text
    speaker_attributes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    codebook: Codebook | None = None
    coders: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    memos: list[dict] = field(default_factory=list)
    sources_read: int = 0
    codings_read: int = 0
    codings_used: int = 0
    merged_codings: int = 0
    crossing_selections: int = 0
    widened_selections: int = 0  # part of a turn, coded as the whole turn: its place in the turn is unclear
    dangling_notes: int = 0  # references to notes the file does not hold
    attributes: int = 0
    lost: list[Lost] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lose(self, what: str, count: int, why: str) -> None:
        if count:
            self.lost.append(Lost(what, count, why))

    def report(self) -> dict:
        """The documented JSON report (docs/exchange.md)."""
        return {
            "path": self.path,
            "sources": self.sources_read,
            "transcripts": len(self.transcripts),
            "segments": sum(len(t.segments) for t in self.transcripts),
            "codes": len(self.codebook.codes) if self.codebook else 0,
            "coders": len(self.coders),
            "codings": self.codings_read,
            "decisions": len(self.decisions),
            "attributes": self.attributes,
            "memos": len(self.memos),
            "lost": [dataclasses.asdict(x) for x in self.lost],
            "warnings": list(self.warnings),
        }


class _Times:
    """Each time the import keeps, as UTC text (vocabulary.utc_time), each distinct value worked out once;
    counts those without a zone and those it cannot hold, for the report."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str | None, str | None]] = {}
        self.problems: Counter = Counter()

    def __call__(self, value: str | None) -> str | None:
        if not value:
            return None
        got = self.seen.get(value)
        if got is None:
            got = self.seen[value] = utc_time(value)
        if got[1]:
            self.problems[got[1]] += 1
        return got[0]

    def warnings(self) -> list[str]:
        out = []
        if n := self.problems[ZONELESS]:
            one = n == 1
            out.append(
                f"{_plural(n, 'timestamp')} in the file {'has' if one else 'have'} no time zone and "
                f"{'is' if one else 'are'} read as UTC, so {'it' if one else 'they'} may be off by the other "
                "tool's distance from UTC."
            )
        if n := self.problems[UNREADABLE]:
            out.append(
                f"{_plural(n, 'timestamp')} in the file {'is' if n == 1 else 'are'} outside the years 1 to 9999; "
                "the decisions and memos that carry one get the time of the import instead."
            )
        return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _users(project: ProjectIn, plan: ImportPlan) -> Callable[[str | None], str]:
    """A function from a user GUID to a coder name (unique names; undeclared users get one from the GUID)."""
    names: dict[str, str] = {}
    used = Ids()
    folded: dict[str, str] = {}  # a coder name ignoring case -> the first coder named so
    for guid, name in project.users.items():
        base = clean(name or "") or f"user-{guid[:8]}"
        problem = name_problem(name or "")
        if problem is not None:  # the rule of every coder name that comes in (coders.name_problem)
            shown = "" if problem[1] else f" {shown_name(name or '')}"
            base = f"user-{guid[:8]}"
            plan.warnings.append(
                f'a user\'s name{shown} {problem[0]}; their work is under coder "{base}". Name them with '
                f'"wei-qual coders rename {shell_word(base)} NEW".'
            )
        if is_consensus_lookalike(base):  # reserved whatever its case: not an independent coder
            plan.warnings.append(
                f'user "{base}" read as the coder "{CONSENSUS_CODER}", which holds the reconciled decisions '
                f'(names ignore case). If they are a person, rename them with "wei-qual coders rename '
                f'{CONSENSUS_CODER} NAME".'
            )
            base = CONSENSUS_CODER
        same = folded.get(name_key(base))
        if (
            same is not None and same != base
        ):  # the coder-name normaliser: "Ana" beside "ana" is one coder, not two
            plan.warnings.append(
                f'user "{base}" read as the existing coder "{same}" (did you mean {same}? Names ignore case).'
            )
            names[guid] = same
            continue
        coder = base if base not in used else unique_id(base, used)
        if coder != base:
            plan.warnings.append(f'two users are named "{base}"; the second becomes coder "{coder}".')
        used.add(coder)
        folded.setdefault(name_key(coder), coder)
        names[guid] = coder
    undeclared: set[str] = set()
    unnamed = [0]

    def coder(guid: str | None) -> str:
        if not guid:
            unnamed[0] += 1
            return UNKNOWN_CODER
        if guid not in names:
            undeclared.add(guid)
            names[guid] = unique_id(f"user-{guid[:8]}", used)
            used.add(names[guid])
        return names[guid]

    coder.undeclared = undeclared  # type: ignore[attr-defined]
    coder.unnamed = unnamed  # type: ignore[attr-defined]
    return coder


def _codebook(
    project: ProjectIn, plan: ImportPlan, coded: set[str]
) -> tuple[Codebook | None, dict[str, str]]:
    """The codebook and a map code GUID -> the code id codings go to (a codable parent's own child)."""
    tree = project.tree
    if tree is None or not tree.codes:
        return None, {}
    plan.warnings += [w for w in tree.warnings if not w.startswith('set "')]  # sets are listed in lost
    codes = list(tree.codes)
    by_guid = dict(tree.by_guid)
    # NVivo writes each case as a node of the code tree too, with the case's GUID: a case, not a code.
    cases = {by_guid[case.guid] for case in project.cases if case.guid in by_guid}
    if cases:
        parent_of = {c.id: c.parent for c in codes}

        def lifted(parent: str | None) -> str | None:
            while parent in cases:
                parent = parent_of[parent]
            return parent

        codes = [dataclasses.replace(c, parent=lifted(c.parent)) for c in codes if c.id not in cases]
        by_guid = {g: code_id for g, code_id in by_guid.items() if code_id not in cases}
        if not codes:
            return None, {}
    ids = Ids(c.id for c in codes)
    parent_ids = {c.parent for c in codes if c.parent}
    coded_ids = {by_guid[g] for g in coded if g in by_guid}
    # wei-qual codes only leaves: a parent codable in the source (or coded there) gets a child that
    # stands for the parent itself, and the parent's codings go to it.
    own_child: dict[str, str] = {}
    by_id = {c.id: c for c in codes}
    codable = set(tree.codable_parents)
    for parent_id in [c.id for c in codes if c.id in parent_ids]:
        if parent_id not in codable and parent_id not in coded_ids:
            continue
        parent = by_id[parent_id]
        child_id = unique_id(f"{parent_id}-general", ids)
        ids.add(child_id)
        own_child[parent_id] = child_id
        child = Code(
            id=child_id,
            name=f"{parent.name} (general)",
            parent=parent_id,
            definition=f'Passages coded with "{parent.name}" itself in the source project, where it is codable.',
        )
        at = next(i for i, c in enumerate(codes) if c.parent == parent_id)
        codes.insert(at, child)
    if own_child:
        plan.warnings.append(
            f"{_plural(len(own_child), 'parent code')} can be applied in the source tool; each got a child "
            f'"… (general)" that holds its codings, since wei-qual coders apply leaf codes: '
            f"{', '.join(sorted(own_child))}."
        )
    target = {g: own_child.get(code_id, code_id) for g, code_id in by_guid.items()}
    name, version, description = f"Imported from {Path(project.path).name}", "1", ""
    for line in project.description.splitlines():
        if line.startswith(CODEBOOK_NAME):
            name = line[len(CODEBOOK_NAME) :].strip() or name
        elif line.startswith(CODEBOOK_VERSION):
            version = line[len(CODEBOOK_VERSION) :].strip() or version
        elif line.startswith(CODEBOOK_DESCRIPTION):
            description = project.description.split(CODEBOOK_DESCRIPTION, 1)[1].strip()
            break
    for set_name, members in tree.sets:
        plan.lose("code sets", 1, f'set "{set_name}" ({members} codes): wei-qual codebooks have no code sets')
    return Codebook(name=name, version=version, description=description, codes=tuple(codes)), target


def _transcript_id(name: str, n: int, used: Ids, plan: ImportPlan, *, ours: bool = False) -> str:
    """The id of source `n` named `name`: without its file suffix ("interview 3.docx" is "interview 3"),
    unless the file is wei-qual's (`ours`), whose sources are named by the transcript id itself: a
    transcript "P07.txt" (ingested from "P07.txt.txt") stays "P07.txt"."""
    base = (name if ours else _SOURCE_SUFFIX.sub("", name)).strip() or f"source-{n}"
    if LINE_BREAKS.search(base):  # "P01\nError: ..." would print as a line of its own in every list
        base = " ".join(LINE_BREAKS.sub(" ", base).split()) or f"source-{n}"
        plan.warnings.append(f'source {n}\'s name holds line breaks or tabs; it becomes transcript "{base}".')
    if has_controls(base):  # they would act on the terminal of whoever lists the transcripts
        base = CONTROLS.sub("", base).strip() or f"source-{n}"
        plan.warnings.append(f'source {n}\'s name holds control characters; it becomes transcript "{base}".')
    if base.startswith("-"):  # a command would read it as an option ("transcripts show -x")
        dashed, base = base, base.lstrip("-").strip() or f"source-{n}"
        plan.warnings.append(
            f'source {n}\'s name starts with "-", which a command would read as an option; "{dashed}" becomes '
            f'transcript "{base}".'
        )
    tid = unique_id(base, used)
    if tid != base:
        plan.warnings.append(f'two sources are named "{base}"; the second becomes transcript "{tid}".')
    used.add(tid)
    return tid


def _case_info(project: ProjectIn, plan: ImportPlan):
    """Per source GUID: attributes, the interviewer labels when the file names them (else None), the
    attributes of its participant speakers when it has several (wei-qual's cases of a pair interview):
    values all of a source's speaker cases share are the transcript's, the others each speaker's own; and
    the sources whose case marks them as documents; and per source linked from several cases, those
    cases (name, speaker label or None, whether wei-qual wrote it) and the variables on which they differ."""
    variables = project.variables
    attributes: dict[str, dict[str, str]] = defaultdict(dict)
    interviewers: dict[str, set[str] | None] = {}
    conflicts: dict[str, set[str]] = defaultdict(set)  # source -> variables its cases differ on
    linked_cases: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    case_names: dict[str, list[str]] = defaultdict(list)
    by_speaker: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)  # source -> speaker -> values
    documents: set[str] = set()
    review: dict[str, str] = {}  # source -> why its roles need review (wei-qual's own export says)
    given: dict[str, set[str]] = defaultdict(set)  # source -> labels whose role a person set (the same)
    unlabelled: dict[str, str] = {}  # source -> the role a person gave its unlabelled text (the same)
    aside: dict[str, dict[str, str]] = defaultdict(dict)  # source -> label -> other or review (the same)
    odd_unlabelled = 0  # cases whose role of unlabelled text is neither role
    unlinked = via_codes = 0

    def merge(guid: str, values: dict[str, str]) -> None:
        for key, value in values.items():
            if key in attributes[guid] and attributes[guid][key] != value:
                conflicts[guid].add(key)
                continue
            attributes[guid][key] = value

    text_sources = {source.guid for source in project.sources}
    undeclared = 0  # values of variables the file does not declare
    for case in project.cases:
        named = {variables.get(g, ("", ""))[0]: v for g, v in case.values}
        undeclared += sum(g not in variables for g, _ in case.values)
        named.pop("", None)
        linked = [guid for guid in case.sources if guid in text_sources]
        if not linked:
            unlinked += 1
            via_codes += case.code_refs
            continue
        for guid in linked:
            ours = any(v in named for v in _OWN_VARIABLES)  # a case wei-qual wrote
            linked_cases[guid].append((case.name or case.guid, named.get(SPEAKER_VARIABLE) or None, ours))
            if named.get(KIND_VARIABLE, "").strip() == DOCUMENT_KIND:
                documents.add(guid)
            if named.get(ROLES_VARIABLE, "").strip():
                review[guid] = named[ROLES_VARIABLE].strip()
            if named.get(GIVEN_VARIABLE, "").strip():
                given[guid] |= _labels(named[GIVEN_VARIABLE])
            for variable, aside_role in _ASIDE_VARIABLES.items():
                for label in _labels(named.get(variable, "")):
                    aside[guid][label] = aside_role
            role = named.get(UNLABELLED_VARIABLE, "").strip()
            if role in (INTERVIEWER, PARTICIPANT, OTHER):
                unlabelled[guid] = role
            elif role:
                odd_unlabelled += 1
            if INTERVIEWER_VARIABLE in named:
                interviewers[guid] = (interviewers.get(guid) or set()) | _labels(named[INTERVIEWER_VARIABLE])
            if case.name and not any(v in named for v in _OWN_VARIABLES):
                case_names[guid].append(
                    case.name
                )  # a tool's own case (not wei-qual's): its name is an attribute
            values = {k: v for k, v in named.items() if k not in _OWN_VARIABLES}
            if named.get(SPEAKER_VARIABLE):
                by_speaker[guid][named[SPEAKER_VARIABLE]] = values
            else:
                merge(guid, values)
    speakers: dict[str, dict[str, dict[str, str]]] = {}
    for guid, cases in by_speaker.items():
        if len(cases) == 1:
            merge(guid, next(iter(cases.values())))
            continue
        first = next(iter(cases.values()))
        common = {k: v for k, v in first.items() if all(c.get(k) == v for c in cases.values())}
        merge(guid, common)
        speakers[guid] = {
            speaker: own
            for speaker, values in cases.items()
            if (own := {k: v for k, v in values.items() if common.get(k) != v})
        }
    for guid, names in case_names.items():
        attributes[guid].setdefault("case", LABEL_SEPARATOR.join(dict.fromkeys(names)))
    plan.lose(
        "cases", unlinked, "cases linked to no text source (or only through codes) carry no attributes here"
    )
    plan.lose("attribute values", undeclared, "values of variables the file does not declare")
    if odd_unlabelled:
        plan.warnings.append(
            f'{plural(odd_unlabelled, "case")} {"gives" if odd_unlabelled == 1 else "give"} "{UNLABELLED_VARIABLE}" a value that is none of {INTERVIEWER}, '
            f"{PARTICIPANT}, {OTHER}; their transcripts' unlabelled text is left to review. Set its role with "
            '"wei-qual transcripts roles ID --unlabelled ROLE".'
        )
    shared = {g: (cases, sorted(conflicts[g])) for g, cases in linked_cases.items() if len(cases) > 1}
    return attributes, interviewers, speakers, documents, review, given, unlabelled, aside, shared


def _shared_source_warning(
    label: str, cases: list[tuple[str, str | None, bool]], differing: list[str], speakers: set[str]
) -> str | None:
    """What the import says of a source several cases link to, or None when they are wei-qual's own
    cases of a pair or group interview (one per participant speaker the transcript has, and one without
    a speaker label for its unlabelled participant text). Otherwise the
    cases (two interviewees of a tool's project pointed at one file, or a case copied) became one
    interview without a word: their values merged, the first case's kept where they differ."""
    labels = [speaker for _, speaker, _ in cases]
    own = (
        all(ours for *_, ours in cases)
        and len(set(labels)) == len(labels)
        and set(labels) - {None} <= speakers
    )
    if own and not differing:
        return None
    names = ", ".join(shown_name(name) for name, *_ in cases[:5]) + (
        f" and {len(cases) - 5:,} more" if len(cases) > 5 else ""
    )
    text = (
        f'source "{label}" is linked from {len(cases)} cases ({names}) and is read as one interview: the values '
        "the cases share are its attributes"
    )
    if differing:
        text += f", and where they differ ({', '.join(differing)}) the first case's value is kept"
    missing = [speaker for speaker in dict.fromkeys(labels) if speaker and speaker not in speakers]
    if missing:
        text += (
            f"; {_plural(len(missing), 'case')} name{'s' if len(missing) == 1 else ''} a speaker the transcript "
            "does not have, and their own values are not kept"
        )
    return (
        text + ". If they are different interviews, give each its own source in the tool that wrote the "
        'file and export again; else check the attributes with "wei-qual transcripts list".'
    )


def _set_aside(transcript: Transcript, aside: dict[str, str]) -> Transcript:
    """The transcript with the speakers a wei-qual export names as other speakers or left to review given
    that role (the .qdpx's interviewer labels made them participants), set by a person or not as before."""
    speakers = tuple(
        dataclasses.replace(s, role=aside[s.label], reason=f"{_ASIDE_SAID[aside[s.label]]} in the .qdpx")
        if s.label in aside and s.role != INTERVIEWER
        else s
        for s in transcript.speakers
    )
    roles = {s.label: s.role for s in speakers}
    segments = tuple(
        dataclasses.replace(seg, role=roles[seg.speaker]) if seg.speaker in roles else seg
        for seg in transcript.segments
    )
    return dataclasses.replace(transcript, speakers=speakers, segments=segments)


_ASIDE_SAID = {OTHER: "another speaker", REVIEW: "left to review"}


def _labels(value: str) -> set[str]:
    """The speaker labels of one of wei-qual's label variables ("; "-separated, ";" in a label escaped)."""
    return set(split_labels(value))


class _Draft:
    """A decision being assembled from codings and notes. A study-sized import has hundreds of thousands:
    the containers most never need are made on first use."""

    __slots__ = ("accepted", "codes", "excerpts", "note", "rationale", "shown", "time", "whole")

    def __init__(self) -> None:
        self.codes: set[str] = set()
        # Codes coded on a whole turn somewhere (no excerpt). None while no coding was a part of the turn:
        # then every code is whole.
        self.whole: set[str] | None = None
        self.excerpts: dict[str, list[tuple[int, int]]] | None = None  # code -> spans inside the turn
        self.note: list[str] | None = None
        self.rationale: list[str] | None = None
        self.time: str | None = None
        # the codes wei-qual's suggestions showed the coder, and those taken (a Suggestions note)
        self.shown: frozenset[str] | None = None
        self.accepted: frozenset[str] | None = None

    def add(self, code: str, part: tuple[int, int] | None) -> bool:
        """A coding of `code`, on the whole turn (part None) or on a span of it. True when it adds nothing
        the decision keeps (the code again on the whole turn, or a span again, or a span of a code also
        coded on the whole turn): merged. Two spans of one code are one decision with two excerpts."""
        if code not in self.codes:
            repeat = False
        elif part is None:
            repeat = True  # the whole turn again, or now the whole turn over its excerpts
        else:
            # coded on the whole turn, or this span again
            repeat = self.whole is None or code in self.whole or part in self.excerpts.get(code, ())
        if part is None:
            if self.whole is not None:
                self.whole.add(code)
        else:
            if self.whole is None:  # every code so far was whole
                self.whole = set(self.codes)
                self.excerpts = {}
            self.excerpts.setdefault(code, []).append(part)
        self.codes.add(code)
        return repeat

    def add_note(self, text: str) -> None:
        if self.note is None:
            self.note = []
        self.note.append(text)

    def add_rationale(self, text: str) -> None:
        if self.rationale is None:
            self.rationale = []
        self.rationale.append(text)

    def add_suggestions(self, read: tuple[frozenset[str], frozenset[str]]) -> None:
        shown, accepted = read  # shared objects (the selection and each taken coding cite the one note)
        if self.shown is None:
            self.shown, self.accepted = shown, accepted
        elif not (shown <= self.shown and accepted <= self.accepted):  # a second note (rare): a copy
            self.shown, self.accepted = self.shown | shown, self.accepted | accepted


def _sources(project: ProjectIn, consume: bool):
    """The text sources in order; with `consume`, each one's selections and raw bytes are let go once
    it has been planned (a study-sized file has hundreds of thousands of codings)."""
    for source in project.sources:
        yield source
        if consume:
            source.selections = []
            source.raw = b""


def _shown_values(source_values: list[tuple[dict[str, str], set[str]]], plan: ImportPlan):
    """The attributes without control characters, and their names without line breaks, as an attributes CSV
    must have them (it is refused there): an escape acts on a terminal and parts "police" from "police" in a
    terminal colour in every report, and a line break in a name ("Setting", a break, "Error: ...") started
    a line of its own in every table and message naming it. What was changed is said once."""
    changed: set[str] = set()

    def shown(text: str, name: bool) -> str:
        if not (has_controls(text) or (name and LINE_BREAKS.search(text))):
            return text
        changed.add(text)
        text = CONTROLS.sub("", text)
        return " ".join(LINE_BREAKS.sub(" ", text).split()) if name else text

    out = [
        ({shown(k, True): shown(v, False) for k, v in values.items()}, sets) for values, sets in source_values
    ]
    if changed:
        plan.warnings.append(
            f"{plural(len(changed), 'attribute name or value', 'attribute names or values')} held control characters (a terminal colour code, a "
            "bidi override) or, in a name, line breaks: they were left out, a line break made a space."
        )
    return out


def _source_values(
    project: ProjectIn, attributes: dict, source: TextSourceIn
) -> tuple[dict[str, str], set[str]]:
    """The attributes of the transcript `source` becomes, and the source sets among them named as an
    attribute is (whose value is kept)."""
    values = dict(attributes.get(source.guid, {}))
    for guid, value in source.values:  # variables on the source itself (MAXQDA document variables)
        name = project.variables.get(guid, ("", ""))[0]
        if name and name not in _OWN_VARIABLES:
            values.setdefault(name, value)
    clashed = set()
    for set_name, members in project.source_sets:  # a document group: an attribute true or false
        if set_name and values.setdefault(set_name, str(source.guid in members).lower()) not in (
            "true",
            "false",
        ):
            clashed.add(set_name)
    return values, clashed


def _interviews_ahead(
    project: ProjectIn,
    interviews: list[int],
    predicted: dict[int, str],
    source_values: list[tuple[dict[str, str], set[str]]],
    interviewers: dict,
    qdpx: str,
) -> Iterator[tuple[list[SourceTurn], Transcript | None]]:
    """For each interview source (`interviews`: their indexes in project.sources, in order), in order: its
    turns, and the transcript _build makes of them under its `predicted` id (None when it has no turns).

    Splitting and building are two fifths of the plan's time: once the file holds PARALLEL_MIN_FILES
    interviews, forked workers do them (they start with the sources in memory: only an index goes out)
    while this process plans the sources before. The plan builds a transcript again only where its id
    is not the one predicted (a source before it was left out, and two sources share a name)."""
    from .. import parallel
    from ..ingest import PARALLEL_MIN_FILES

    sources = project.sources

    def prepare(k: int) -> tuple[list[SourceTurn], Transcript | None]:
        source = sources[k]
        turns = split_source_text(source.text)
        if not turns:
            return turns, None
        try:
            built = _build(
                source, turns, predicted[k], source_values[k][0], interviewers.get(source.guid), qdpx
            )
        except ExportError:  # built again where the plan reaches the source, and raised there, as before
            built = None
        return turns, built

    yield from parallel.map_many(
        prepare,
        interviews,
        len(interviews),
        least=PARALLEL_MIN_FILES,
        name=lambda k: f'Source "{sources[k].name or sources[k].guid}"',
    )


def plan_import(project: ProjectIn, *, consume: bool = False, as_documents: Sequence[str] = ()) -> ImportPlan:
    """What importing `project` would write, and what is lost and why. Writes nothing. With `consume`,
    the sources' selections and raw bytes are dropped as they are planned (`project` is read once).

    `as_documents`: names (or shell-style patterns such as "Policy*") of sources to read as documents, split
    by section or paragraph as `ingest --kind document` splits a text file: another tool's file does not
    say which of its sources are documents. Raises ExportError for a name that matches no source."""
    plan = ImportPlan(path=project.path, name=project.name)
    plan.warnings += project.quirks
    coder_of = _users(project, plan)
    coded = {c.code for s in project.sources for sel in s.selections for c in sel.codings}
    codebook, code_target = _codebook(project, plan, coded)
    plan.codebook = codebook
    attributes, interviewers, speaker_values, documents, review, given, unlabelled, aside, shared_cases = (
        _case_info(project, plan)
    )
    documents_named = list(dict.fromkeys(as_documents))
    names = [source.name or source.guid for source in project.sources]
    for pattern in documents_named:
        if not any(_named(name, [pattern]) for name in names):
            listed = ", ".join(f'"{n}"' for n in names[:8]) + (
                f" and {len(names) - 8} more" if len(names) > 8 else ""
            )
            raise ExportError(
                f'"{project.path}": --document "{pattern}" names no source of the file; its sources are '
                f'{listed or "none"}. Name one of them, or give a pattern such as "Policy*".'
            )
    notes = project.notes
    used_notes: set[str] = set()
    # NVivo ties an annotation (or a memo) to a passage, source or code by a Link from the Note to it.
    linked: dict[str, list[str]] = defaultdict(list)  # item GUID -> notes linked to it
    for origin, target in project.links:
        if origin in notes:
            linked[target].append(origin)
        elif target in notes:
            linked[origin].append(target)
    tied: set[str] = set()  # items their linked notes were attached to
    clashes: set[str] = set()  # sets of sources named as an attribute is
    qualcoder = "qualcoder" in tool_of(project.origin)
    # NVivo gives every coding of a project it imports from a .qdpx to the user who imports it, and keeps
    # the selection's user: in a file it wrote since, the selection names the coder (its own exports write
    # one coding per selection, by the selection's user).
    nvivo = "nvivo" in tool_of(project.origin)
    reassigned: Counter = Counter()  # (the coding's user, the selection's user) -> codings
    case_guids = {case.guid for case in project.cases if case.guid}
    decisions: dict[tuple[str, int, str], _Draft] = {}
    memos: dict[tuple[str, str, str], dict] = {}
    lost_codings: Counter = Counter()
    used_ids = Ids()
    seen_sha: dict[str, str] = {}
    utc = _Times()  # every time kept is UTC text: they are compared as text

    def memo(coder: str, kind: str, target: str, text: str, created=None, modified=None) -> None:
        if not text.strip():
            return
        created, modified = utc(created), utc(modified)
        key = (coder, kind, target)
        if key in memos:
            memos[key]["text"] += "\n\n" + text.strip()
        else:
            memos[key] = {
                "coder": coder,
                "target_type": kind,
                "target_id": target,
                "text": text.strip(),
                "created_utc": created,
                "updated_utc": modified or created,
            }

    # wei-qual's Suggestions notes, read once each (a note of that name from another tool is a memo); the
    # code sets, few and repeated across a study's notes, are one object each
    suggestions: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}
    for guid, note in notes.items():
        if note.name == NOTE_SUGGESTIONS and (read := read_suggestions_note(note.text)) is not None:
            shown, accepted = (frozenset(x) for x in read)
            suggestions[guid] = (
                shared.setdefault(shown | accepted, shown | accepted),
                shared.setdefault(accepted, accepted),
            )

    def decision(tid: str, n: int, coder: str) -> _Draft:
        key = (tid, n, coder)
        if key not in decisions:
            decisions[key] = _Draft()
        return decisions[key]

    plan.sources_read = len(project.sources) + sum(project.other_sources.values())
    plan.codings_read = sum(project.other_codings.values())  # lost below: wei-qual codes text only
    named_documents = [_named(source.name or source.guid, documents_named) for source in project.sources]
    source_values = _shown_values([_source_values(project, attributes, s) for s in project.sources], plan)
    interviews = [
        k for k, source in enumerate(project.sources) if not (source.guid in documents or named_documents[k])
    ]
    # Each interview is split into turns and built ahead of this loop, in worker processes, under the id
    # it gets unless a source before it is left out (closed when the plan is refused: the queued sources
    # are dropped).
    predicted, scratch = {}, Ids()
    ours = tool_of(project.origin) == "wei-qual"
    for k, source in enumerate(project.sources):
        predicted[k] = _transcript_id(source.name, k + 1, scratch, ImportPlan(path="", name=""), ours=ours)
    ahead = _interviews_ahead(
        project, interviews, predicted, source_values, interviewers, Path(project.path).name
    )
    with contextlib.closing(ahead):
        for i, source in enumerate(_sources(project, consume), start=1):
            sel_codings = sum(len(sel.codings) for sel in source.selections)
            plan.codings_read += sel_codings + source.source_codings
            of_cases = sum(code in case_guids for code in source.source_codes)
            lost_codings["case"] += of_cases
            lost_codings["whole source"] += source.source_codings - of_cases
            label = source.name or source.guid
            if source.outside:
                plan.codings_read += _lose_outside(source, label, plan, code_target, coder_of, project.cases)
            if source.poor_fit:  # instead of saying the counting taken fits: none does
                plan.warnings.append(_poor_fit_warning(label, source))
            elif source.counting:
                plan.warnings.append(_counting_warning(label, source.counting))
            if source.unreconciled:
                plan.warnings.append(_unreconciled_warning(label, source.unreconciled))
            if source.long_name:
                plan.warnings.append(
                    f"source {source.guid}'s name is {source.long_name:,} characters long, too long to be a "
                    f'transcript id: it becomes transcript "source-{i}". Rename it with the other tool if it matters.'
                )
            named = named_documents[i - 1]
            document = source.guid in documents or named
            source_notes = source.note_refs + linked.get(source.guid, [])
            if named and source.guid not in documents:
                turns = split_document_text(source.text)
            elif document:
                bounds, source_notes = _segments_note(source, source_notes, notes, used_notes)
                turns = document_turns(source.text, bounds or source.selections, source.name)
                if turns is None:
                    plan.warnings.append(
                        f'source "{label}" is marked as a document but its segments are not marked as wei-qual '
                        "marks them (it was changed in another tool): it is split by section or paragraph, as "
                        "`wei-qual ingest --kind document` splits a text file."
                    )
                    turns = split_document_text(source.text)
            else:
                turns, built = next(ahead)
                if turns and not any(t.speaker for t in turns):
                    plan.warnings.append(
                        f'source "{label}" has no speaker labels, so it is read as an interview whose every '
                        "segment is participant speech. If it is a document (a policy, a protocol), import it "
                        f"with --document {shlex.quote(label)}."
                    )
            if not turns:
                plan.lose("sources", 1, f'source "{label}" has no text to split into turns')
                lost_codings["empty source"] += sel_codings
                continue
            sha = hashlib.sha256(source.raw).hexdigest()
            if sha in seen_sha:
                plan.lose(
                    "sources", 1, f'source "{label}" has the same text as "{seen_sha[sha]}" (imported once)'
                )
                lost_codings["duplicate source"] += sel_codings
                continue
            seen_sha[sha] = label
            tid = _transcript_id(source.name, i, used_ids, plan, ours=ours)
            labels = interviewers.get(source.guid)
            values, clashed = source_values[i - 1]
            clashes |= clashed
            if document:
                transcript = _build_document(source, turns, tid, values, Path(project.path).name)
            else:
                if built is None or tid != predicted[i - 1]:  # a source before was left out: built here
                    built = _build(source, turns, tid, values, labels, Path(project.path).name)
                transcript = built
                if aside.get(source.guid):  # before the roles a person set, which these may be
                    transcript = _set_aside(transcript, aside[source.guid])
                if given.get(source.guid) or source.guid in unlabelled:
                    # a person set these roles in the exporting project: they stay set by a person, so the
                    # status stays "given" and a new version of the transcript keeps them
                    transcript = with_roles(
                        transcript,
                        {
                            s.label: s.role
                            for s in transcript.speakers
                            if s.label in given.get(source.guid, ())
                        },
                        reason=GIVEN_REASON,
                        unlabelled=unlabelled.get(source.guid),
                    )
                if source.guid in review:
                    # the exporting project's coders had not yet looked: the turns' roles still need a look
                    transcript = dataclasses.replace(
                        transcript, roles=ROLES_REVIEW, roles_reason=review[source.guid]
                    )
            plan.transcripts.append(transcript)
            if source.guid in shared_cases:
                cases, differing = shared_cases[source.guid]
                speakers = {s.label for s in transcript.speakers}
                if (warning := _shared_source_warning(label, cases, differing, speakers)) is not None:
                    plan.warnings.append(warning)
            for speaker, own in speaker_values.get(source.guid, {}).items():
                plan.speaker_attributes[(tid, speaker)] = own
            plan.scan_texts[tid] = source.text
            starts = [t.start for t in turns]
            ends = [t.end for t in turns]
            selections = source.selections
            if (
                qualcoder
            ):  # an annotation: a Note the source refers to, anchored by a selection inside the note
                anchored = _anchored_notes(source, source_notes, notes)
                placed = {s.note_refs[0] for s in anchored}
                source_notes = [ref for ref in source_notes if ref not in placed]
                selections = [*selections, *anchored]
            for sel in selections:
                if sel.end <= sel.start:  # selects no text: an excerpt of nothing, and no turn
                    lost_codings["empty selection"] += len(sel.codings)
                    continue
                end = sel.end
                first, last = bisect_right(ends, sel.start), bisect_left(starts, end)
                hit = [k + 1 for k in range(first, last)]
                if not hit:
                    lost_codings["no turn"] += len(sel.codings)
                    continue
                if len(hit) > 1 and any(c.code in code_target for c in sel.codings):
                    plan.crossing_selections += 1
                # A selection inside one turn that leaves part of it out is an excerpt of its codes.
                part = None
                if len(hit) == 1:
                    turn = turns[hit[0] - 1]
                    a, b = max(sel.start, turn.start), min(end, turn.end)
                    if a < b and (a, b) != (turn.start, turn.end):
                        part = _excerpt_in_turn(source.text, turn, a, b)
                        if part == (0, len(turn.text)):  # all of the turn's text: no excerpt
                            part = None
                        elif part is None and sel.codings:
                            plan.widened_selections += 1
                for c in sel.codings:
                    code = code_target.get(c.code)
                    if code is None:
                        lost_codings["case" if c.code in case_guids else "unknown code"] += 1
                        continue
                    if nvivo and len(sel.codings) == 1 and c.user and sel.user and c.user != sel.user:
                        reassigned[coder_of(c.user), coder_of(sel.user)] += 1
                        coder = coder_of(sel.user)
                    else:
                        coder = coder_of(c.user or sel.user or source.user)
                    made = utc(c.created or sel.created)
                    for n in hit:
                        d = decisions.get((tid, n, coder)) or decision(tid, n, coder)
                        plan.merged_codings += d.add(code, part)
                        if made and (d.time is None or made > d.time):
                            d.time = made  # the decision's time is its latest coding's
                    plan.codings_used += 1
                    for ref in c.note_refs:
                        plan.dangling_notes += ref not in notes
                        if ref in notes:
                            used_notes.add(ref)
                            read = suggestions.get(ref)
                            for n in hit:
                                if read is not None:  # the coder took this code from a suggestion
                                    decision(tid, n, coder).add_suggestions(read)
                                else:
                                    decision(tid, n, coder).add_note(notes[ref].text.strip())
                if sel.guid in linked:
                    tied.add(sel.guid)
                for ref in sel.note_refs + linked.get(sel.guid, []):
                    note = notes.get(ref)
                    if note is None:
                        plan.dangling_notes += 1
                        continue
                    used_notes.add(ref)
                    coder = coder_of(note.user)
                    for n in hit:
                        if note.name == NOTE_NOTHING:
                            d = decision(tid, n, coder)
                            d.time = d.time or utc(note.created)
                        elif note.name == NOTE_DECISION:
                            decision(tid, n, coder).add_note(note.text.strip())
                        elif note.name == NOTE_RATIONALE:
                            decision(tid, n, coder).add_rationale(note.text.strip())
                        elif ref in suggestions:
                            decision(tid, n, coder).add_suggestions(suggestions[ref])
                        else:
                            memo(coder, "segment", f"{tid}:{n}", note.text, note.created, note.modified)
                if sel.description.strip():
                    for n in hit:
                        memo(coder_of(sel.user or source.user), "segment", f"{tid}:{n}", sel.description)
            if source.guid in linked:
                tied.add(source.guid)
            for ref in source_notes:
                note = notes.get(ref)
                plan.dangling_notes += note is None
                if note is not None:
                    used_notes.add(ref)
                    memo(coder_of(note.user), "transcript", tid, note.text, note.created, note.modified)
            if source.description.strip():
                memo(coder_of(source.user), "transcript", tid, source.description)

    if codebook is not None:
        by_guid_id = project.tree.by_guid if project.tree else {}
        code_guids = dict.fromkeys([*project.code_notes, *(g for g in linked if g in by_guid_id)])
        for code_guid in code_guids:
            code_id = by_guid_id.get(code_guid)
            if code_id and code_guid in linked:
                tied.add(code_guid)
            for ref in project.code_notes.get(code_guid, []) + linked.get(code_guid, []):
                note = notes.get(ref)
                plan.dangling_notes += note is None
                if note is not None and code_id:
                    used_notes.add(ref)
                    memo(coder_of(note.user), "code", code_id, note.text, note.created, note.modified)

    code_sets: dict[frozenset[str], frozenset[str]] = {}  # decisions share few code sets: one object each
    known = set(code_target.values())
    unknown_shown: set[str] = set()
    while decisions:  # each draft is freed as its decision is made
        (tid, n, coder), d = decisions.popitem()
        codes = frozenset(d.codes)
        shown = accepted = frozenset()
        if d.shown:
            unknown_shown |= d.shown - known
            shown = frozenset(d.shown & known)
            # as in a coding session: a code counts as taken only while the decision has it
            accepted = frozenset(d.accepted & codes)
        plan.decisions.append(
            Decision(
                tid,
                n,
                coder,
                code_sets.setdefault(codes, codes),
                note="\n\n".join(x for x in d.note if x) if d.note else "",
                rationale="\n\n".join(x for x in d.rationale if x) if d.rationale else "",
                accepted=code_sets.setdefault(accepted, accepted),
                shown=code_sets.setdefault(shown, shown),
                decided_utc=d.time,
                excerpts=normalise_excerpts(
                    Excerpt(code, a, b)
                    for code, spans in d.excerpts.items()
                    if code not in d.whole
                    for a, b in spans
                )
                if d.excerpts
                else (),
            )
        )
    plan.decisions.sort(key=lambda d: (d.transcript, d.segment, d.coder))
    if unknown_shown:
        listed = ", ".join(sorted(unknown_shown)[:MAX_LISTED]) + (
            ", ..." if len(unknown_shown) > MAX_LISTED else ""
        )
        plan.warnings.append(
            f"{_plural(len(unknown_shown), 'code')} named in Suggestions notes as shown to a coder "
            f"{'is' if len(unknown_shown) == 1 else 'are'} not in the file's codebook ({listed}): they are left "
            "out of the decisions' suggestions shown, so acceptance rates count only the others."
        )
    plan.memos = sorted(memos.values(), key=lambda m: (m["target_type"], m["target_id"], m["coder"]))
    plan.coders = sorted(
        {d.coder for d in plan.decisions}
        | {m["coder"] for m in plan.memos}
        | set(_declared(project, coder_of))
    )
    plan.attributes = len(
        {k for t in plan.transcripts for k in t.attributes}
        | {k for v in plan.speaker_attributes.values() for k in v}
    )
    if clashes:
        plan.warnings.append(
            f"source sets named as an attribute is, whose value is kept: {', '.join(sorted(clashes))}."
        )
    plan.warnings += utc.warnings()
    if reassigned:
        pairs = "; ".join(
            f'{_plural(n, "coding")} by "{by}" on selections by "{of}"'
            for (by, of), n in sorted(reassigned.items())
        )
        plan.warnings.append(
            f"{pairs}: NVivo gives every coding of a project it imports from a .qdpx to the user who imports "
            "it, and keeps the selection's user, so each of these codings is taken as its selection's user's. "
            'Check who coded what with "wei-qual coders" before measuring agreement.'
        )
    _report_losses(project, plan, lost_codings, used_notes, coder_of, tied)
    if codebook is None and plan.codings_read:
        plan.warnings.append(
            "the project has codings but no codebook, so no decisions could be made from them."
        )
    return plan


def _lose_outside(source: TextSourceIn, label: str, plan: ImportPlan, code_target, coder_of, cases) -> int:
    """Report the selections of `source` that lie outside its text however its positions are counted (the
    source was edited after coding, in the other tool), or that are no span at all (a start after its end, a
    position below 0): lost, each by code, coder and positions, while the rest of the project imports.
    Returns how many codings they held."""
    names = {c.id: c.name for c in plan.codebook.codes} if plan.codebook else {}
    case_names = {case.guid: f"case {case.name}" for case in cases if case.guid}  # NVivo's case nodes
    length = source.offsets.length if source.offsets is not None else len(source.text)
    # No edit makes a start come after its end, or a position negative: the tool wrote a broken selection,
    # and saying "edited after coding" would send the team looking for an edit that never happened.
    broken = [sel for sel in source.outside if sel.start < 0 or sel.start > sel.end]
    past = [sel for sel in source.outside if 0 <= sel.start <= sel.end]
    codings = 0
    for group, where in (
        (
            past,
            (
                f"outside its text (0 to {length}) however its positions are counted "
                + (
                    "as characters (they seem to count UTF-8 bytes, as the next warning says)"
                    if source.poor_fit and source.poor_fit[2] == "utf-8"
                    else "(the source was probably edited after coding)"
                )
            ),
        ),
        (
            broken,
            (
                "whose positions select no text (a start after its end, or a position below 0: no edit of the "
                "source makes them, so the tool that wrote the file did)"
            ),
        ),
    ):
        if not group:
            continue
        items = []
        for sel in group:
            codes = [
                f'"{names.get(code_target.get(c.code, ""), case_names.get(c.code, c.code))}" by '
                f"{coder_of(c.user or sel.user or source.user)}"
                for c in sel.codings
            ]
            notes = len(sel.note_refs) + bool(sel.description.strip())
            what = ", ".join(codes) or "no coding"
            if notes:
                what += f" and {_plural(notes, 'note')}"
            items.append(f"{sel.start} to {sel.end} ({what})")
        held = sum(len(sel.codings) for sel in group)
        listed = "; ".join(items[:MAX_LISTED]) + (
            f"; and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
        )
        why = f'{_plural(len(group), "selection")} of source "{label}" {where}: {listed}'
        plan.lose("codings", held, why)
        if not held:
            plan.lose("selections", len(group), why)
        plan.warnings.append(
            f"{why}. The rest of the project is imported; code these passages again in wei-qual if they still apply."
        )
        codings += held
    return codings


def _named(name: str, patterns: list[str]) -> bool:
    """Whether a --document name or pattern names this source (with or without its file suffix)."""
    bare = _SOURCE_SUFFIX.sub("", name).strip()
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(bare, p) for p in patterns)


def _declared(project: ProjectIn, coder_of) -> list[str]:
    return [coder_of(g) for g in project.users]


def _build(
    source: TextSourceIn, turns, tid: str, attributes: dict[str, str], labels: set[str] | None, qdpx: str
) -> Transcript:
    """A Transcript from the turns: roles from the file's interviewer labels when it names them (a wei-qual
    export does), else inferred from evidence as `wei-qual ingest` does (ids, known labels, questions)."""
    read_turns = [Turn(t.speaker, [t.text], t.start_time, t.end_time) for t in turns]
    read = Source(
        "txt",
        read_turns,
        scan_text=source.text,
        attributes=attributes,
        labelled=any(t.speaker for t in turns),
    )
    roles = (
        given_roles(
            read_turns, sorted(labels), origin="the interviewer labels of the .qdpx", given=False, team=()
        )
        if labels is not None
        else infer_roles(read_turns, tid, (), DEFAULT_INTERVIEWER_LABELS)
    )
    try:
        return build_transcript(
            read,
            transcript_id=tid,
            path=f"{qdpx}:{source.member}",
            sha256=hashlib.sha256(source.raw).hexdigest(),
            roles=roles,
        )
    except TranscriptError as ex:  # pragma: no cover - turns always carry text here
        raise ExportError(str(ex)) from None


def _build_document(
    source: TextSourceIn, turns, tid: str, attributes: dict[str, str], qdpx: str
) -> Transcript:
    """A Transcript of kind document: one segment per turn, with its section label and pages."""
    try:
        return document_transcript(
            [Section(t.label, t.page, [t.text], end_page=t.end_page) for t in turns],
            document_id=tid,
            path=f"{qdpx}:{source.member}",
            format="txt",
            sha256=hashlib.sha256(source.raw).hexdigest(),
            attributes=attributes,
        )
    except TranscriptError as ex:  # pragma: no cover - turns always carry text here
        raise ExportError(str(ex)) from None


def _excerpt_in_turn(text: str, turn, a: int, b: int) -> tuple[int, int] | None:
    """Where the source's text[a:b] lies in the turn's own text (the turn's text leaves out its labels and
    time marks, so a speaker's label repeated inside the turn moves what follows it), or None when that
    cannot be told: the selected text is not in the turn's text once and only once."""
    if text[turn.start : turn.end] == turn.text:
        return a - turn.start, b - turn.start
    selected = text[a:b].strip()
    at = turn.text.find(selected) if selected else -1
    if at < 0 or turn.text.find(selected, at + 1) >= 0:
        return None
    return at, at + len(selected)


def _counting_warning(label: str, counting: str) -> str:
    """What the import says when a source's positions are not read the way its tool is known to count."""
    emoji = "holds emoji (characters outside the Basic Multilingual Plane, or shown as emoji by U+FE0F)"
    read_as = {
        "code points": "each as one character per code point",
        "utf-16": "each as UTF-16 units count it",
        "nvivo": "each as NVivo counts it",
    }
    if counting.startswith("ambiguous"):
        way, _, lines = counting.removeprefix("ambiguous ").partition("+")
        if way == "lines":  # no emoji: the selections land where no word is cut however line ends count
            line_as = "one character" if lines == "lines as one" else "two characters"
            return (
                f'source "{label}" has line ends written \\r\\n, and its selections fit as well whether the tool '
                f"counted each line end as one character or two: they are read with each line end as {line_as}. "
                "Check the coded passages after the first line ends against the source tool."
            )
        if lines:  # a line end counted otherwise, made up for by emoji counted otherwise
            line_as = "one character" if lines == "lines as one" else "two characters"
            emoji_as = read_as[way].replace("each as", "each emoji as", 1)
            return (
                f'source "{label}" has line ends written \\r\\n, and its selections fit as well whether the tool '
                "counted each line end as one character or two (an emoji counted as more than one character can "
                f"make up for it): they are read with each line end as {line_as} and {emoji_as}. Check the "
                "coded passages after the first line ends and emoji against the source tool."
            )
        return (
            f'source "{label}" {emoji}, and its selections fit as well whether the tool counted each of them '
            "as one character per code point, as UTF-16 units or as NVivo does: they are read "
            f"{read_as[way]}. Check the coded passages after the first emoji against the source tool."
        )
    ways = {
        "code points": "each emoji as one character per code point (as Python counts)",
        "nvivo": "each emoji as NVivo counts it (one more after an emoji with its skin tone or joined family, and "
        "after U+FE0F)",
        "utf-16": "each emoji as two (UTF-16 units, as .NET, Cocoa and Qt count)",
        "lines as one": "each line end (\\r\\n) as one character",
        "lines as two": "each line end (\\r\\n) as two characters",
        "lf as two": "each line end as two characters, as a tool counts \\r\\n (NVivo for Windows), though this "
        "text's line ends are single characters (\\n: converted after the tool wrote the file, by an editor or by "
        "git)",
    }
    counted = " and ".join(ways[part] for part in counting.split("+"))
    return (
        f'source "{label}": its selections\' positions count {counted}: only so do they fit the text, or '
        "cut fewer words, so they are read that way."
    )


def _poor_fit_warning(label: str, source: TextSourceIn) -> str:
    """What the import says of a source whose selections fit its text under no way of counting tried."""
    cut, edges, better = source.poor_fit
    m = source.offsets
    emoji = {"code points": "one per code point", "utf-16": "UTF-16 units", "nvivo": "NVivo's way"}
    read_as = f"emoji counted as {emoji['nvivo' if m.nvivo else 'utf-16' if m.utf16 else 'code points']}" + (
        f", each line end as {'one character' if m.lines_count_one or not m.removed else 'two'}"
    )
    tried = (
        f"{cut} of its selections' {edges} edges fall inside a word however their positions are counted as "
        "characters (emoji as code points, UTF-16 units or as NVivo counts them; line ends as one or two)"
    )
    if better == "utf-8":
        return (
            f'source "{label}": {tried}, and far fewer if they count the bytes of its UTF-8 text, as a script may, '
            "though no QDA tool does: the file was probably written by a script, not by NVivo, ATLAS.ti, MAXQDA "
            f"or QualCoder. They are read with {read_as}, so the passages after the first accent or emoji are "
            "on the wrong words: export the project again from the QDA tool itself, or have the script count "
            "characters."
        )
    return (
        f'source "{label}": {tried}, so the tool that wrote the file counts positions some other way (characters '
        f"as they show, say), or the source was edited after coding. They are read with {read_as}, and may be "
        "on the wrong words: compare these passages with the other tool before relying on their codes."
    )


def _unreconciled_warning(label: str, selections: list[tuple[str, int, int]]) -> str:
    """What the import says of selections whose recorded text is not the text at their positions (named by
    GUID and positions: never by their words, which are interview text)."""
    listed = "; ".join(f"{guid} at {a} to {b}" for guid, a, b in selections[:MAX_LISTED]) + (
        f"; and {len(selections) - MAX_LISTED} more" if len(selections) > MAX_LISTED else ""
    )
    n = len(selections)
    return (
        f'source "{label}": {_plural(n, "selection")} whose text as the other tool recorded it (the selection\'s '
        f"name) {'is' if n == 1 else 'are'} not the text at {'its' if n == 1 else 'their'} positions however "
        f"they are counted: {listed}. {'It is' if n == 1 else 'They are'} imported where the positions say; "
        "compare these passages with the other tool before relying on their codes."
    )


def _segments_note(
    source: TextSourceIn, refs: list[str], notes: dict, used: set[str]
) -> tuple[list[Span] | None, list[str]]:
    """A wei-qual document's segment bounds from its segments note (marked used, and taken out of `refs`,
    the notes that become memos), or None when it has none that fits its text (an export before the note,
    or a document changed in another tool)."""
    for ref in refs:
        note = notes.get(ref)
        if note is not None and note.name == NOTE_SEGMENTS:
            used.add(ref)
            spans = read_segments_note(note.text, len(source.text))
            named = [
                Span(segment_selection_name(source.name, n), a, b) for n, (a, b) in enumerate(spans or (), 1)
            ]
            return named or None, [r for r in refs if r != ref]
    return None, refs


def _anchored_notes(source: TextSourceIn, refs: list[str], notes: dict) -> list[SelectionIn]:
    """QualCoder's annotations on `source`: a selection per anchor (positions in the source's text) of each
    note it refers to, holding that note; an anchor outside the text leaves the note on the source."""
    out = []
    length = source.offsets.length if source.offsets else len(source.text)
    to_text = source.offsets.to_text if source.offsets else int
    for ref in refs:
        note = notes.get(ref)
        anchors = note.anchors if note is not None else []
        if anchors and all(0 <= a < b <= length for a, b in anchors):
            out += [
                SelectionIn(f"{ref}:{a}", to_text(a), to_text(b), note.user, note.created, note_refs=[ref])
                for a, b in anchors
            ]
    return out


def _report_losses(
    project: ProjectIn,
    plan: ImportPlan,
    lost_codings: Counter,
    used_notes: set[str],
    coder_of,
    tied: set[str],
) -> None:
    reasons = {
        "unknown code": "the coding names a code that is not in the codebook",
        "case": "codings with a case (NVivo's case nodes): they link the case, and its attributes, to the "
        "source; which passages are whose is not kept",
        "no turn": "the selection covers no turn's text (only a speaker label or blank lines)",
        "empty selection": "the selection is empty (it selects no text)",
        "whole source": "codings of a whole source, not of a passage: wei-qual codes segments",
        "empty source": "the source has no text",
        "duplicate source": "the source duplicates another one's text",
    }
    for key, why in reasons.items():
        plan.lose("codings", lost_codings[key], why)
    for kind, label in OTHER_SOURCES.items():
        count = project.other_sources[kind]
        plan.lose(label, count, "wei-qual codes text transcripts only")
        plan.lose(
            "codings",
            project.other_codings[kind],
            f"codings in {label}: wei-qual codes text transcripts only",
        )
    if plan.codebook is None:
        plan.lose(
            "codings",
            plan.codings_read - sum(lost_codings.values()) - plan.codings_used,
            "the project has no codebook",
        )
    plan.lose("note references", plan.dangling_notes, "they name notes the file does not hold")
    plan.lose("graphs", project.graphs, "wei-qual has no network views")
    # A link that tied a note to what it is about made that note a memo; the others have no place here.
    kept = sum(
        (origin in project.notes and target in tied) or (target in project.notes and origin in tied)
        for origin, target in project.links
    )
    plan.lose("links", len(project.links) - kept, "wei-qual has no links between items")
    unattached = [g for g in project.notes if g not in used_notes]
    plan.lose(
        "notes",
        len(unattached),
        "notes attached to the project, a case or nothing: wei-qual memos belong to a segment, transcript or code",
    )
    undeclared = coder_of.undeclared
    if undeclared:
        plan.warnings.append(
            f"{_plural(len(undeclared), 'user')} referenced but not declared in <Users>: "
            "each becomes a coder named after its GUID (user-…)."
        )
    if coder_of.unnamed[0]:
        plan.warnings.append(
            f'{plural(coder_of.unnamed[0], "coding or note", "codings or notes")} name{"s" if coder_of.unnamed[0] == 1 else ""} no user; their coder is "{UNKNOWN_CODER}".'
        )
    if plan.crossing_selections:
        plan.warnings.append(
            f"{_plural(plan.crossing_selections, 'selection')} crossing a turn boundary: its codings apply to every "
            "turn they overlap."
        )
    if plan.merged_codings:
        plan.warnings.append(
            f"{plural(plan.merged_codings, 'coding')} {'repeats' if plan.merged_codings == 1 else 'repeat'} a code a coder already applied to the same segment "
            f"(several selections in one turn) and {'was' if plan.merged_codings == 1 else 'were'} merged into one decision."
        )
    if plan.widened_selections:
        plan.warnings.append(
            f"{_plural(plan.widened_selections, 'selection')} of part of a turn could not be placed in the "
            "turn's text (a speaker's label repeated inside the turn, and the selected text found there not "
            "exactly once): its codings apply to the whole turn, with no excerpt."
        )


def load_qdpx(path: Path, *, as_documents: Sequence[str] = ()) -> ImportPlan:
    """Read a .qdpx and plan its import (`as_documents`: see plan_import); raise ExportError (one line)
    when the file is malformed."""
    project = read_qdpx(Path(path))
    with paused_gc():  # the plan makes tens of thousands of small acyclic objects (see read.py)
        return plan_import(project, consume=True, as_documents=as_documents)


@dataclass
class ImportResult:
    plan: ImportPlan
    pii_allowed: list[str] = field(default_factory=list)  # transcripts stored despite PII findings
    unscanned: list[str] = field(default_factory=list)  # stored unscanned (the scan could not run)

    def to_json(self) -> dict:
        return self.plan.report()


@contextlib.contextmanager
def _pii_gate(db: Database, plan: ImportPlan, allow_pii: bool) -> Iterator[Callable[[], dict[str, dict]]]:
    """Start scanning every source text as ingest does, and give the function that waits for the scans
    and refuses the whole import unless --allow-pii, also when the scan cannot run (the gate fails
    closed); it returns the audit row of each source let through. From PARALLEL_MIN_FILES sources up,
    forked workers scan them all meanwhile, while this process writes (import_plan). Leaving the block,
    by any way (a refusal, a locked database, an interrupt), ends a scan left unfinished."""
    from .. import parallel
    from ..ingest import PARALLEL_MIN_FILES
    from ..ingest.gate import REINSTALL, Scan, open_gate

    gate = open_gate(db)
    if gate.error is not None and not allow_pii:
        raise ExportError(
            f'"{plan.path}": the PII scan could not run ({gate.error}), so nothing was imported. '
            f"{REINSTALL}, or pass --allow-pii to import the sources unscanned (recorded in the audit log)."
        )
    every_id = gate.own_ids(t.id for t in plan.transcripts)  # the study's own ids are never identifiers

    def scan(i: int) -> Scan:  # the source's name becomes its transcript id: scanned too
        t = plan.transcripts[i]
        return gate.scan(
            plan.scan_texts[t.id], dict.fromkeys(seg.speaker for seg in t.segments), t.id, known=every_id
        )

    jobs, sources = parallel.default_jobs(), range(len(plan.transcripts))
    scans: Iterator[Scan]
    finish: Callable[[], None] = lambda: None
    if jobs > 1 and len(sources) >= PARALLEL_MIN_FILES:
        # Forked workers start with the plan in memory: only an index goes out, and its findings back.
        # Every source is handed out at once (a Scan is small), so they scan all while this process
        # writes; the first next() starts them.
        results = parallel.ordered_map(
            scan, sources, jobs, ahead=len(sources), name=lambda i: f'Source "{plan.transcripts[i].id}"'
        )
        first = next(results)
        scans = (found for _, found in itertools.chain([first], results))
        # A failed import leaves the scan unfinished: its workers and the pool's threads are ended when
        # the block is left, not when the collector comes to them (until then, a later import or ingest
        # in the same process, a notebook's, would do its work in one process: see parallel._alone).
        finish = results.close
    else:
        scans = map(scan, sources)

    def verdict() -> dict[str, dict]:
        let_through: dict[str, dict] = {}
        for t, found in zip(plan.transcripts, scans):
            if found.passes:
                continue
            if not allow_pii and found.error is not None:
                raise ExportError(
                    f'"{plan.path}": source "{t.id}" could not be scanned for identifiers ({found.error}), so '
                    "nothing was imported. Pass --allow-pii to import it unscanned (recorded in the audit log)."
                )
            if not allow_pii:
                findings = found.findings
                shown = ", ".join(
                    f"{f.line}:{f.column} ({f.category})" if f.line else f"its name ({f.category})"
                    for f in findings[:MAX_LISTED]
                )
                more = f" and {len(findings) - MAX_LISTED} more" if len(findings) > MAX_LISTED else ""
                raise ExportError(
                    f'"{plan.path}": source "{t.id}" has likely identifiers at {shown}{more} (line:column of its '
                    "text). Redact them in the source tool and export again, or pass --allow-pii. Nothing was "
                    "imported. A name the study may keep (a team member's) is allowed per project, never by the "
                    "file: add it to this project's allowlist first, even before the project exists, with "
                    "\"wei-qual deid allow add 'NAME'\", then import again."
                )
            let_through[t.id] = found.audit()
        return let_through

    try:
        yield verdict
    finally:
        finish()


def import_plan(db: Database, plan: ImportPlan, *, allow_pii: bool = False) -> ImportResult:
    """Write a planned import into an empty project, all in one transaction; raise ExportError if refused."""
    from ..codebook.dump import codebook_to_yaml
    from ..codebook.parse import parse_codebook_text
    from ..store import save_setting, transaction, write_audit
    from ..store.codebooks import save_codebook_version
    from ..store.decisions import ensure_coder
    from ..store.project import (
        PROJECT_NAME,
        content_counts,
        insert_decisions,
        insert_memos,
        insert_speaker_attributes,
        insert_transcripts,
    )

    counts = content_counts(db)
    if any(counts.values()):
        names = {
            "transcripts": "transcript",
            "codebooks": "codebook version",
            "decisions": "decision",
            "memos": "memo",
        }
        held = ", ".join(_plural(n, names[k]) for k, n in counts.items() if n)
        raise ExportError(f"The project already holds {held}. Import into a new project: pass --db NEW.db.")
    with _pii_gate(db, plan, allow_pii) as gate:
        # With --allow-pii, what the scan lets through is audited with each source: wait for it now. Without,
        # the scan can only refuse: it is waited for before the commit, and a refusal rolls everything back.
        pii = gate() if allow_pii else None
        yaml_text = None
        if plan.codebook is not None:
            yaml_text = codebook_to_yaml(
                plan.codebook, header=f"Imported from {Path(plan.path).name} by wei-qual project import."
            )
            problems = parse_codebook_text(yaml_text, "imported codebook", patterns=False).problems
            if problems:  # a bug in the importer, never the user's fault
                if pii is None:
                    gate()  # a refusal of the PII gate is said first
                raise ExportError(
                    f"The imported codebook does not validate ({problems[0]}). Please report it."
                )
        with transaction(db):
            version = None
            if plan.codebook is not None:
                version = save_codebook_version(db, plan.codebook, yaml_text)
                write_audit(
                    db,
                    action="load",
                    entity="codebook",
                    entity_id=str(version),
                    actor=ACTOR,
                    after={"active_version": version, "name": plan.codebook.name, "source": plan.path},
                )
            insert_transcripts(db, plan.transcripts)
            insert_speaker_attributes(db, plan.speaker_attributes)
            for t in plan.transcripts:
                write_audit(
                    db,
                    action="import",
                    entity="transcript",
                    entity_id=t.id,
                    actor=ACTOR,
                    after={"source": t.source, "segments": len(t.segments)},
                )
                if pii and t.id in pii:
                    write_audit(
                        db,
                        action="allow_pii",
                        entity="transcript",
                        entity_id=t.id,
                        actor=ACTOR,
                        after=pii[t.id],
                    )
            for coder in plan.coders:
                ensure_coder(db, coder)
            if plan.decisions:
                insert_decisions(db, plan.decisions, codebook_id=version, actor=ACTOR)
            insert_memos(db, plan.memos, actor=ACTOR)
            if plan.name:
                save_setting(db, PROJECT_NAME, plan.name)
            write_audit(
                db,
                action="import",
                entity="project",
                entity_id=plan.name or None,
                actor=ACTOR,
                after=plan.report(),
            )
            if pii is None:
                pii = gate()  # raises when the gate refuses: rolled back, nothing written
        return ImportResult(
            plan,
            sorted(tid for tid, row in pii.items() if "unscanned" not in row),
            sorted(tid for tid, row in pii.items() if "unscanned" in row),
        )


def import_project(
    db: Database, path: Path, *, allow_pii: bool = False, as_documents: Sequence[str] = ()
) -> ImportResult:
    """Read, check and import a .qdpx into an empty project (one transaction); raise ExportError.
    `as_documents`: the sources to read as documents (see plan_import)."""
    return import_plan(db, load_qdpx(path, as_documents=as_documents), allow_pii=allow_pii)
