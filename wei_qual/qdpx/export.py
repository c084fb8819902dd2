"""Write a whole project as one REFI-QDA `.qdpx`: `project.qde` plus the text of every transcript.

What goes where (docs/exchange.md has the reader's version):
- Users: one per exported coder. CodeBook: the active version, through the shared code-tree writer.
- Sources: one TextSource per transcript; its text has one turn per paragraph led by time and speaker label.
  Positions count code points, or as the tool named with --for counts them (layout.COUNTINGS).
  One PlainTextSelection per segment that has a decision or a memo, spanning the segment's text; one
  Coding per applied code and coder. Decision notes, rationales and "nothing applies" are Notes of the coder.
- Variables and Cases: the attributes, one Case per participant speaker, plus the speaker and interviewer
  labels so the import needs no role inference. Memos are Notes.
GUIDs are uuid5 of the project id and the item, so two exports of one project give the same GUIDs (and,
when nothing changed, the same bytes).
"""

from __future__ import annotations

import collections
import functools
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..agree import DEFAULT_CONSENSUS  # the coder reconcile stores consensus under
from ..errors import ExportError
from ..export.codetree import Guids, add_code_tree, add_exclusive_sets
from ..export.common import XmlText
from ..gcpause import paused_gc
from ..ingest.labels import normalise_labels
from ..ingest.roles import given_roles
from ..ingest.turns import Turn
from ..models import (
    DOCUMENT_KIND,
    INTERVIEWER,
    OTHER,
    PARTICIPANT,
    REVIEW,
    ROLES_REVIEW,
    Codebook,
    Decision,
    excerpt_pages,
    page_span,
    plural,
)
from ..safeio import atomic_writer
from .layout import (
    STANDARD,
    Counting,
    Span,
    document_turns,
    export_document_text,
    export_text,
    first_difference,
    nvivo_unverified,
    origin_for,
    segment_selection_name,
    segments_note,
    split_source_text,
    tool_text,
)
from .vocabulary import (
    CODEBOOK_DESCRIPTION,
    CODEBOOK_NAME,
    CODEBOOK_VERSION,
    GIVEN_VARIABLE,
    INTERVIEWER_VARIABLE,
    KIND_VARIABLE,
    NOTE_DECISION,
    NOTE_MEMO,
    NOTE_NOTHING,
    NOTE_NOTHING_TEXT,
    NOTE_RATIONALE,
    NOTE_SEGMENTS,
    NOTE_SUGGESTIONS,
    NS,
    OTHER_VARIABLE,
    QDE,
    REVIEW_SPEAKERS_VARIABLE,
    ROLES_VARIABLE,
    SPEAKER_VARIABLE,
    UNLABELLED_VARIABLE,
    VALUE_ELEMENTS,
    Q,
    join_labels,
    suggestions_note,
    variable_type,
    xsd_datetime,
)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so an unchanged project exports to the same bytes
_ZIP_LEVEL = 1  # the XML is repetitive: level 1 is several times faster and barely larger


@dataclass
class ExportResult:
    path: str
    transcripts: int = 0
    segments: int = 0
    codes: int = 0
    coders: list[str] = field(default_factory=list)
    selections: int = 0
    codings: int = 0
    suggested_codings: int = 0  # codings of codes their coder took from a suggestion (a Suggestions note)
    decisions: int = 0
    memos: int = 0
    attributes: int = 0
    cases: int = 0
    bytes: int = 0
    positions_for: str = STANDARD.key  # the tool whose way of counting positions the file follows (--for)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def choose_coders(db: Database, coders: list[str] | None, include_consensus: bool) -> list[str]:
    """The coders to export; raise ExportError naming an unknown coder.

    Consensus is held by the coder named "consensus", or by a coder every one of whose decisions carries a
    rationale (what reconcile writes).
    """
    from ..store.decisions import iter_coders
    from ..store.project import rationale_coders

    known = iter_coders(db)
    unknown = [c for c in coders or [] if c not in known]
    if unknown:
        listed = ", ".join(known) or "none yet"
        raise ExportError(f'Unknown coder "{unknown[0]}" given with --coders (coders: {listed}).')
    with_rationales = rationale_coders(db)
    consensus = {c for c in known if c == DEFAULT_CONSENSUS or c in with_rationales}
    chosen = list(coders) if coders else [c for c in known if c not in consensus]
    if include_consensus:
        chosen += [c for c in known if c in consensus and c not in chosen]
    else:
        chosen = [c for c in chosen if c not in consensus]
    return chosen


def _text_el(parent, name: str, text: str):
    from lxml import etree

    el = etree.SubElement(parent, name)
    el.text = text
    return el


_VALID_TIMES: dict[str, str | None] = {}  # decisions share few distinct times: check each once


def _checked_time(value: str | None) -> str | None:
    if not value:
        return None
    checked = _VALID_TIMES.get(value, "")
    if checked == "":
        checked = _VALID_TIMES[value] = xsd_datetime(value)
    return checked or None


def _stamp(el, attr: str, value: str | None) -> None:
    checked = _checked_time(value)
    if checked:
        el.set(attr, checked)


def _check_round_trip(
    tid: str,
    text: str,
    segments: list[dict],
    labels: frozenset[str],
    unlabelled: str | None = None,
    aside: dict[str, str] | None = None,
) -> list[str]:
    """Warnings when re-importing this file would not give back the same turns and roles (`unlabelled`: the
    role the file gives the unlabelled text, if it does; `aside`: label -> role of the speakers the file
    names as other speakers or left to review)."""
    aside = aside or {}
    turns = split_source_text(text)
    got = [(t.speaker, t.text, t.start_time, t.end_time) for t in turns]
    want = [(s["speaker"], s["text"], s["start_time"], s["end_time"]) for s in segments]
    warnings = []
    if got != want:
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        warnings.append(
            f'transcript "{tid}": its turns will not split the same way when the .qdpx is imported again '
            f"(from segment {first + 1}: {len(want)} segments, {len(got)} turns read back), e.g. a speaker label "
            "that ingest does not recognise as one. Other tools are not affected."
        )
    # The import gives the labels' roles (given_roles): compare with what it will read back.
    given = given_roles([Turn(s["speaker"], [s["text"]]) for s in segments], sorted(labels), team=())
    wrong_roles = sum(
        (
            unlabelled
            if s["speaker"] is None and unlabelled
            else aside.get(s["speaker"]) or given.role_of(s["speaker"])
        )
        != s["role"]
        for s in segments
    )
    if wrong_roles:
        warnings.append(
            f'transcript "{tid}": {plural(wrong_roles, "segment")} {"has" if wrong_roles == 1 else "have"} a role that their speaker label does not give; '
            "an import reads roles from speaker labels, so these will come back with the other role."
        )
    return warnings


def _check_document_round_trip(tid: str, text: str, segments: list[dict], spans) -> list[str]:
    """A warning when re-importing this document would not give back the same segments and headings."""
    names = [segment_selection_name(tid, seg["n"]) for seg in segments]
    turns = document_turns(text, [Span(n, a, b) for n, (a, b) in zip(names, spans)], tid) or []
    # Pages as cited: `[p. 3]` reads back with no end page, which is cited as page 3 all the same.
    got = [(t.text, t.label, page_span(t.page, t.end_page)) for t in turns]
    want = [(s["text"], s["label"], page_span(s["page"], s.get("end_page"))) for s in segments]
    if got == want:
        return []
    first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    message = (
        f'document "{tid}": segment {first + 1} will not come back the same when the .qdpx is imported again '
        '(its section label or page cannot be told from its text: a label that is empty, starts with "[p. " or "[pp. " '
        "or with a line break). Other tools are not affected."
    )
    return [message]


def _round_trip(item: tuple[bool, tuple]) -> list[str]:
    """The round-trip warnings of one transcript: (is a document, the check's arguments)."""
    document, args = item
    return _check_document_round_trip(*args) if document else _check_round_trip(*args)


def _round_trips(items: Iterator[tuple[bool, tuple]], count: int) -> Iterator[list[str]]:
    """_round_trip of each of `count` items, in order. Splitting each text back into turns, as an import
    will, is a quarter of the export's work: from PARALLEL_MIN_FILES transcripts up, forked workers do it
    (only the item goes out, its warnings back) while this process writes the XML."""
    from .. import parallel
    from ..ingest import PARALLEL_MIN_FILES

    return parallel.map_many(_round_trip, items, count, least=PARALLEL_MIN_FILES)


class _Validating:
    """A writable stream that passes every byte on to `out` and to a parser validating it against
    Project.xsd as it arrives. The parser drops each finished Case, TextSource and Note, so memory stays
    bounded however large the project; what is checked is exactly what is written.

    With `elsewhere` (a parallel.Fed), the parser runs in that forked child (_validate_stream) on the
    second CPU while this process builds the XML: the same check, and close() raises its error here."""

    _DROP = (Q + "Case", Q + "TextSource", Q + "Note")
    _CHUNK = 1 << 20  # lxml's writer hands on a few kilobytes at a time: pass them on a megabyte at once

    def __init__(self, out, elsewhere=None) -> None:
        from lxml import etree

        self.out = out
        self.elsewhere = elsewhere
        self.parser = None
        if elsewhere is None:
            self.parser = etree.XMLPullParser(
                events=("end",),
                tag=self._DROP,
                schema=project_schema(),
                resolve_entities=False,
                no_network=True,
            )
        self.pending: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.size += len(data)
        if self.size >= self._CHUNK:
            self.flush()

    def flush(self) -> None:
        data = b"".join(self.pending)
        self.pending, self.size = [], 0
        if self.out is not None:
            self.out.write(data)
        if self.elsewhere is not None:
            self.elsewhere.send(data)
        else:
            self._check(self.parser.feed, data)

    def close(self) -> None:
        self.flush()
        if self.elsewhere is None:
            self._check(self.parser.close)
            return
        message = self.elsewhere.result()  # ChildProcessError when the child gave no answer
        if message is not None:
            raise ExportError(message)

    def _check(self, step, *args) -> None:
        from lxml import etree

        try:
            step(*args)
        except etree.XMLSyntaxError as ex:  # a bug in the exporter, never the user's fault: write nothing
            # Validating a stream, libxml2 gives no line, and reports the first error when the stream ends;
            # the message names the element and the attribute.
            message = (ex.error_log[0].message if len(ex.error_log) else ex.msg).rstrip(".")
            raise ExportError(
                f"The project.qde does not validate against Project.xsd: {message}. Please report it."
            ) from None
        for _, el in self.parser.read_events():
            el.clear()
            while el.getprevious() is not None:  # the finished siblings before it
                del el.getparent()[0]


class _QdeWriter:
    """project.qde written part by part with lxml's incremental writer (etree.xmlfile).

    Each part is a small tree built without a namespace (the default namespace declared on <Project>
    applies to it) and indented for its depth, so the file has the same bytes as the whole tree
    serialised with pretty_print.
    """

    def __init__(self, xf) -> None:
        self.xf = xf

    def part(self, el, level: int) -> None:
        from lxml import etree

        etree.indent(el, space="  ", level=level)
        self.xf.write("\n" + "  " * level)
        self.xf.write(el)

    def open(self, tag: str, level: int):
        """Start an element holding parts (a context manager): its start tag, indented for `level`."""
        self.xf.write("\n" + "  " * level)
        return self.xf.element(Q + tag)

    def close_level(self, level: int) -> None:
        """The line break and indent before the end tag of an element at `level`."""
        self.xf.write("\n" + "  " * level)


def write_project(
    db: Database,
    xf,
    *,
    name: str,
    coders: list[str] | None = None,
    include_consensus: bool = True,
    on_progress: Callable[[int], None] | None = None,
    counting: Counting = STANDARD,
) -> tuple[dict[str, bytes], ExportResult]:
    """Write project.qde to `xf` (an etree.xmlfile) one part at a time, reading one transcript at a time.
    `counting`: the tool whose way of counting positions (and line ends) the file follows (layout.COUNTINGS).

    Returns ({zip member: source text as UTF-8}, result). Reads only; raises ExportError.
    """
    from lxml import etree

    from .. import __version__
    from ..codebook.versions import get_version
    from ..store import get_setting
    from ..store.codebooks import get_active_version_id
    from ..store.project import (
        PROJECT_NAME,
        iter_all_memos,
        iter_given_speakers,
        iter_lean_decisions,
        iter_segment_speakers,
        iter_transcript_evidence,
        iter_transcript_heads,
        project_times,
        transcript_segments,
    )
    from ..store.transcripts import get_attributes, get_speaker_attributes

    result = ExportResult(path="", positions_for=counting.key)
    guids = Guids.for_project(get_setting(db, "project_id") or "unknown")
    chosen = choose_coders(db, coders, include_consensus)
    keep = set(chosen)
    result.coders = chosen
    clean = XmlText()
    codebook: Codebook | None = get_version(db)[1] if get_active_version_id(db) is not None else None
    codebook = clean.codebook(codebook) if codebook is not None else None
    heads = iter_transcript_heads(db)
    attributes = get_attributes(db)
    speaker_attributes = get_speaker_attributes(db)  # a participant speaker's own, over the transcript's
    memos = [m for m in iter_all_memos(db) if m["coder_id"] in keep]
    created, modified = project_times(db)
    user = {c: guids.of("user", c) for c in chosen}
    out = _QdeWriter(xf)

    project_attrib = {
        "name": clean(get_setting(db, PROJECT_NAME) or name),
        "origin": origin_for(__version__, counting),
    }
    for attr, value in (("creationDateTime", created), ("modifiedDateTime", modified)):
        if _checked_time(value):
            project_attrib[attr] = _checked_time(value)
    project_el = xf.element(Q + "Project", project_attrib, nsmap={None: NS})
    project_el.__enter__()

    if chosen:
        users_el = etree.Element("Users")
        for c in chosen:
            u = etree.SubElement(users_el, "User")
            u.set("guid", user[c])
            u.set("name", clean(c))
        out.part(users_el, 1)

    # Notes are collected while walking, then written after Sources (the schema's order).
    notes: list[
        tuple[str, str, str, str | None, str | None, str | None]
    ] = []  # guid,name,text,coder,made,mod

    def note(
        guid: str, title: str, text: str, coder: str, made: str | None, changed: str | None = None
    ) -> str:
        notes.append((guid, title, text, coder, made, changed))
        return guid

    code_ids = {c.id for c in codebook.codes} if codebook else set()
    code_guid = {c: guids.code(c) for c in code_ids}
    if codebook is not None:
        code_notes: dict[str, list[str]] = defaultdict(list)
        for m in memos:
            if m["target_type"] == "code" and m["target_id"] in code_ids:
                code_notes[m["target_id"]].append(
                    note(
                        guids.of("memo", "code", m["target_id"], m["coder_id"]),
                        NOTE_MEMO,
                        m["text"],
                        m["coder_id"],
                        m["created_utc"],
                        m["updated_utc"],
                    )
                )
        book = etree.Element("CodeBook")
        add_code_tree(book, codebook, ns="", guids=guids, note_refs=code_notes)
        out.part(book, 1)
        result.codes = len(codebook.codes)

    # Variables: the attributes plus the two label variables wei-qual reads back.
    values_by_name: dict[str, list[str]] = defaultdict(list)
    for values in [*attributes.values(), *speaker_attributes.values()]:
        for key, value in values.items():
            if value is not None:
                values_by_name[key].append(value)
    clash = [
        n
        for n in (
            SPEAKER_VARIABLE,
            INTERVIEWER_VARIABLE,
            KIND_VARIABLE,
            ROLES_VARIABLE,
            GIVEN_VARIABLE,
            UNLABELLED_VARIABLE,
        )
        if n in values_by_name
    ]
    if clash:
        result.warnings.append(
            f'attribute "{clash[0]}" has the name wei-qual gives speaker labels in a .qdpx; it is not exported. '
            "Rename the attribute and export again."
        )
        for n in clash:
            values_by_name.pop(n)
    types = {n: variable_type(v) for n, v in sorted(values_by_name.items())}
    types[SPEAKER_VARIABLE] = types[INTERVIEWER_VARIABLE] = "Text"  # so Variables is never empty
    has_documents = any(h["kind"] == DOCUMENT_KIND for h in heads)
    if has_documents:  # only then: an interview study's export is as it always was
        types[KIND_VARIABLE] = "Text"
    review = {h["id"]: h["roles_reason"] or ROLES_REVIEW for h in heads if h["roles"] == ROLES_REVIEW}
    if review:  # only then, as the kind: roles to review come back to review, not inferred again
        types[ROLES_VARIABLE] = "Text"
    given_labels = iter_given_speakers(db)
    if given_labels:  # only then: roles a person set come back set by a person, not inferred from the labels
        types[GIVEN_VARIABLE] = "Text"
    # Speakers of each transcript in the order they first speak: one pass over the segments' labels.
    first_speakers: dict[str, tuple[dict, dict]] = {}  # transcript -> (participants, interviewers)
    unlabelled_roles: dict[str, set[str]] = defaultdict(set)  # transcript -> roles of its unlabelled text
    labelled: set[str] = set()  # transcripts with a speaker label
    # Transcript -> role -> labels of its speakers who are neither interviewer nor participant (other, or
    # left to review): an import would read every label not an interviewer's as a participant.
    aside: dict[str, dict[str, dict]] = defaultdict(lambda: {OTHER: {}, REVIEW: {}})
    for tid, speaker, role in iter_segment_speakers(db):
        if speaker is None:
            unlabelled_roles[tid].add(role)
        else:
            labelled.add(tid)
            if role in (OTHER, REVIEW):
                aside[tid][role].setdefault(speaker)
        participants, interviewers = first_speakers.setdefault(tid, ({}, {}))
        if role == PARTICIPANT:
            participants.setdefault(speaker)
        elif role == INTERVIEWER and speaker:
            interviewers.setdefault(speaker)
    # The role a person gave unlabelled text: an import would read it as review (the transcript has labels).
    unlabelled_role = {
        tid: next(iter(roles))
        for tid, roles in unlabelled_roles.items()
        if tid in labelled and len(roles) == 1 and roles <= {INTERVIEWER, PARTICIPANT, OTHER}
    }
    if unlabelled_role:  # only then, as the others
        types[UNLABELLED_VARIABLE] = "Text"
    aside_variables = {OTHER: OTHER_VARIABLE, REVIEW: REVIEW_SPEAKERS_VARIABLE}
    for role, variable in aside_variables.items():
        if any(roles[role] for roles in aside.values()):  # only then, as the others
            types[variable] = "Text"
    variable_guid = {n: guids.of("variable", n) for n in types}
    variables_el = etree.Element("Variables")
    for n, kind in types.items():
        v = etree.SubElement(variables_el, "Variable")
        v.set("guid", variable_guid[n])
        v.set("name", clean(n))
        v.set("typeOfVariable", kind)
    out.part(variables_el, 1)
    result.attributes = len(values_by_name)

    def value(parent, var: str, text: str) -> None:
        vv = etree.SubElement(parent, "VariableValue")
        etree.SubElement(vv, "VariableRef").set("targetGUID", variable_guid[var])
        _text_el(vv, VALUE_ELEMENTS[types[var]], clean(text))

    source_guid = {h["id"]: guids.of("source", h["id"]) for h in heads}
    if heads:
        with out.open("Cases", 1):
            for h in heads:
                tid = h["id"]
                participants, interviewers = first_speakers.get(tid, ({}, {}))
                speakers = list(participants) or [None]
                for speaker in speakers:
                    case = etree.Element("Case")
                    case.set("guid", guids.of("case", tid, speaker or ""))
                    case.set("name", clean(tid if len(speakers) == 1 else f"{tid} {speaker or ''}".strip()))
                    own = speaker_attributes.get((tid, speaker), {}) if speaker else {}
                    for key, val in sorted({**attributes.get(tid, {}), **own}.items()):
                        if key in types and val is not None:
                            value(case, key, val)
                    if speaker:
                        value(case, SPEAKER_VARIABLE, speaker)
                    if h["kind"] != DOCUMENT_KIND:  # a document has no speakers, so no interviewer labels
                        value(case, INTERVIEWER_VARIABLE, join_labels(interviewers))
                    if has_documents:
                        value(case, KIND_VARIABLE, h["kind"])
                    if tid in review:
                        value(case, ROLES_VARIABLE, review[tid])
                    if tid in given_labels:
                        value(case, GIVEN_VARIABLE, join_labels(given_labels[tid]))
                    if tid in unlabelled_role:
                        value(case, UNLABELLED_VARIABLE, unlabelled_role[tid])
                    for role, variable in aside_variables.items():
                        if aside.get(tid, {}).get(role):
                            value(case, variable, join_labels(aside[tid][role]))
                    etree.SubElement(case, "SourceRef").set("targetGUID", source_guid[tid])
                    out.part(case, 2)
                    result.cases += 1
            out.close_level(1)

    memo_by_target: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for m in memos:
        memo_by_target[(m["target_type"], m["target_id"])].append(m)
    memos_exported = 0  # memos whose segment, transcript or code is in the export
    skipped_codes: dict[str, int] = defaultdict(int)
    skipped_shown: set[str] = set()  # codes suggested to a coder that the active codebook no longer has

    files: dict[str, bytes] = {}
    # Transcripts with a selection after a character the tools count differently (an emoji), and after a line
    # end, for the warnings on how sure the file's counting is.
    after_emoji: list[str] = []
    after_line_end: list[str] = []
    code_lists: dict[str, frozenset[str]] = {}  # each stored code list parsed once for all transcripts
    sources_el = out.open("Sources", 1) if heads else None
    if sources_el is not None:
        sources_el.__enter__()
    # Each transcript's segments and text, read ahead of the loop below by as many as its round-trip
    # checks run ahead of it (they are the items of _round_trips).
    ahead: collections.deque[tuple[dict, list[dict], str, list[tuple[int, int]]]] = collections.deque()

    def round_trip_items() -> Iterator[tuple]:
        for h in heads:
            tid = h["id"]
            segs = transcript_segments(db, tid)
            document = h["kind"] == DOCUMENT_KIND
            text, spans = export_document_text(segs) if document else export_text(segs)
            ahead.append((h, segs, text, spans))
            if document:
                yield True, (tid, text, segs, spans)
            else:
                interviewers = {s["speaker"] for s in segs if s["role"] == INTERVIEWER and s["speaker"]}
                aside_roles = {label: role for role, labels in aside.get(tid, {}).items() for label in labels}
                labels = normalise_labels(sorted(interviewers))
                yield False, (tid, text, segs, labels, unlabelled_role.get(tid), aside_roles)

    for round_trip_warnings in _round_trips(round_trip_items(), len(heads)):
        h, segs, text, spans = ahead.popleft()
        tid = h["id"]
        by_segment: dict[int, list[Decision]] = defaultdict(list)
        suggested = False
        for d in iter_lean_decisions(db, tid, code_lists):
            if d.coder in keep:
                by_segment[d.segment].append(d)
                suggested = suggested or bool(d.shown or d.accepted)
        evidence = iter_transcript_evidence(db, tid) if suggested else {}
        # (segment, coder) -> the GUID of the decision's Suggestions note, which its accepted codings cite
        suggestion_notes: dict[tuple[int, str], str] = {}
        document = h["kind"] == DOCUMENT_KIND
        guid = source_guid[tid]
        raw, at = tool_text(text, counting)
        files[f"sources/{guid}.txt"] = raw.encode("utf-8")
        del raw
        emoji_at = (
            nvivo_unverified(text)  # verified against real exports wherever NVivo counts UTF-16 units
            if counting.emoji == "nvivo"
            else first_difference(text, "nvivo" if counting is STANDARD else counting.emoji)
        )
        line_at = text.find("\n") if counting.unsure_lines else -1
        last_end = -1  # where the last selection of the source ends, in its text
        result.warnings += round_trip_warnings
        length = len(text)
        del text
        src = etree.Element("TextSource")
        src.set("guid", guid)
        src.set("name", clean(tid))
        src.set("plainTextPath", f"internal://{guid}.txt")
        _stamp(src, "creationDateTime", h["ingested_utc"])
        excerpt_selections: list[tuple] = []  # (transcript, n, start, end, decision, code, its pages)
        for seg, (start, end) in zip(segs, spans):
            n = seg["n"]
            made = sorted(by_segment.get(n, []), key=lambda d: (d.decided_utc or "", d.coder))
            seg_memos = memo_by_target.get(("segment", f"{tid}:{n}"), [])
            memos_exported += len(seg_memos)
            if not made and not seg_memos:  # a document's bounds are in its segments note (below)
                continue
            sel = etree.SubElement(src, "PlainTextSelection")
            sel.set("guid", guids.of("selection", tid, n))
            sel.set("name", clean(segment_selection_name(tid, n)))
            sel.set("startPosition", str(at(start)))
            sel.set("endPosition", str(at(end)))
            last_end = max(last_end, end)
            first = made[0] if made else None
            if first is not None:
                sel.set("creatingUser", user[first.coder])
                _stamp(sel, "creationDateTime", first.decided_utc)
            refs: list[str] = []
            for d in made:
                result.decisions += 1
                taken = d.accepted & d.codes & code_ids
                on_screen = d.shown & code_ids | taken
                skipped_shown.update(d.shown - code_ids)
                if on_screen:
                    refs.append(
                        note(
                            guids.of("suggestions", tid, n, d.coder),
                            NOTE_SUGGESTIONS,
                            suggestions_note(
                                on_screen,
                                taken,
                                {c: evidence.get((n, d.codebook_version, c), []) for c in taken},
                            ),
                            d.coder,
                            d.decided_utc,
                        )
                    )
                    if taken:
                        suggestion_notes[(n, d.coder)] = refs[-1]
                for code in sorted(d.codes):
                    if code not in code_ids:
                        skipped_codes[code] += 1
                        continue
                    marked = [(e.start, e.end) for e in d.excerpts if e.code == code]
                    if marked:  # the excerpt is its own selection, inside the turn
                        excerpt_selections.extend(
                            (
                                tid,
                                n,
                                start + a,
                                start + b,
                                d,
                                code,
                                _excerpt_pages(seg, a, b) if document else None,
                            )
                            for a, b in marked
                        )
                        continue
                    coding = etree.SubElement(sel, "Coding")
                    coding.set("guid", guids.of("coding", tid, n, d.coder, code))
                    coding.set("creatingUser", user[d.coder])
                    _stamp(coding, "creationDateTime", d.decided_utc)
                    etree.SubElement(coding, "CodeRef").set("targetGUID", code_guid[code])
                    if code in d.accepted:
                        etree.SubElement(coding, "NoteRef").set("targetGUID", suggestion_notes[(n, d.coder)])
                        result.suggested_codings += 1
                    result.codings += 1
                if not d.codes:
                    refs.append(
                        note(
                            guids.of("nothing", tid, n, d.coder),
                            NOTE_NOTHING,
                            NOTE_NOTHING_TEXT,
                            d.coder,
                            d.decided_utc,
                        )
                    )
                if d.note:
                    refs.append(
                        note(guids.of("note", tid, n, d.coder), NOTE_DECISION, d.note, d.coder, d.decided_utc)
                    )
                if d.rationale:
                    refs.append(
                        note(
                            guids.of("rationale", tid, n, d.coder),
                            NOTE_RATIONALE,
                            d.rationale,
                            d.coder,
                            d.decided_utc,
                        )
                    )
            for m in seg_memos:
                refs.append(
                    note(
                        guids.of("memo", "segment", f"{tid}:{n}", m["coder_id"]),
                        NOTE_MEMO,
                        m["text"],
                        m["coder_id"],
                        m["created_utc"],
                        m["updated_utc"],
                    )
                )
            for ref in refs:
                etree.SubElement(sel, "NoteRef").set("targetGUID", ref)
            result.selections += 1
        for ex_tid, ex_n, ex_start, ex_end, d, code, pages in excerpt_selections:
            part = etree.SubElement(src, "PlainTextSelection")
            part.set("guid", guids.of("excerpt", ex_tid, ex_n, d.coder, code, ex_start, ex_end))
            # A document's excerpt names the pages of its own words (its segment's heading, its section's).
            part.set("name", clean(f"{ex_tid} segment {ex_n} excerpt" + (f", {pages}" if pages else "")))
            part.set("startPosition", str(at(ex_start)))
            part.set("endPosition", str(at(ex_end)))
            last_end = max(last_end, ex_end)
            part.set("creatingUser", user[d.coder])
            _stamp(part, "creationDateTime", d.decided_utc)
            coding = etree.SubElement(part, "Coding")
            coding.set("guid", guids.of("coding", ex_tid, ex_n, d.coder, code, ex_start, ex_end))
            coding.set("creatingUser", user[d.coder])
            _stamp(coding, "creationDateTime", d.decided_utc)
            etree.SubElement(coding, "CodeRef").set("targetGUID", code_guid[code])
            if code in d.accepted:
                etree.SubElement(coding, "NoteRef").set("targetGUID", suggestion_notes[(ex_n, d.coder)])
                result.suggested_codings += 1
            result.codings += 1
            result.selections += 1
        if document:
            ref = note(guids.of("segments", tid), NOTE_SEGMENTS, segments_note(length, spans), "", None)
            etree.SubElement(src, "NoteRef").set("targetGUID", ref)
        transcript_memos = memo_by_target.get(("transcript", tid), [])
        if segs:  # a memo on a transcript without segments is written but counted as not exported
            memos_exported += len(transcript_memos)
        for m in transcript_memos:
            ref = note(
                guids.of("memo", "transcript", tid, m["coder_id"]),
                NOTE_MEMO,
                m["text"],
                m["coder_id"],
                m["created_utc"],
                m["updated_utc"],
            )
            etree.SubElement(src, "NoteRef").set("targetGUID", ref)
        out.part(src, 2)
        if emoji_at is not None and last_end > emoji_at:
            after_emoji.append(tid)
        if 0 <= line_at < last_end:
            after_line_end.append(tid)
        result.transcripts += 1
        result.segments += len(segs)
        if on_progress is not None:
            on_progress(1)
    if sources_el is not None:
        out.close_level(1)
        sources_el.__exit__(None, None, None)

    result.warnings += _counting_warnings(counting, after_emoji, after_line_end)
    memos_exported += sum(1 for m in memos if m["target_type"] == "code" and m["target_id"] in code_ids)
    orphans = len(memos) - memos_exported
    result.memos = memos_exported
    if orphans:
        result.warnings.append(
            f"{plural(orphans, 'memo')} {'is' if orphans == 1 else 'are'} attached to a segment, transcript or code that is no longer in the "
            "project (or the active codebook) and {'was' if orphans == 1 else 'were'} not exported."
        )
    if skipped_shown:
        result.warnings.append(
            f"codes suggested to coders that are not in the active codebook were left out of the Suggestions "
            f"notes: {', '.join(sorted(skipped_shown))}. An import of this file counts the acceptance of the "
            "others only."
        )
    if skipped_codes:
        listed = ", ".join(f'"{c}" ({n})' for c, n in sorted(skipped_codes.items()))
        result.warnings.append(
            f"codes not in the active codebook were left out of the codings: {listed}. Load a codebook that has "
            "them, or move their decisions with renamed_from / merged_into."
        )

    if notes:
        with out.open("Notes", 1):
            for guid, title, text, coder, made, changed in notes:
                el = etree.Element("Note")
                el.set("guid", guid)
                el.set("name", title)
                if coder in user:
                    el.set("creatingUser", user[coder])
                _stamp(el, "creationDateTime", made)
                _stamp(el, "modifiedDateTime", changed)
                _text_el(el, "PlainTextContent", clean(text))
                out.part(el, 2)
            out.close_level(1)
        notes.clear()
    if codebook is not None:
        holder = etree.Element("Project")
        sets = add_exclusive_sets(holder, codebook, ns="", guids=guids, member_attr="targetGUID")
        if sets is not None:
            out.part(sets, 1)
        lines = [CODEBOOK_NAME + codebook.name, CODEBOOK_VERSION + codebook.version]
        if codebook.description.strip():
            lines.append(CODEBOOK_DESCRIPTION + codebook.description.strip())
        description = etree.Element("Description")
        description.text = "\n".join(lines)
        out.part(description, 1)
    out.close_level(0)
    project_el.__exit__(None, None, None)
    if warning := clean.warning():
        result.warnings.append(warning)
    return files, result


def _listed(ids: list[str]) -> str:
    shown = ", ".join(f'"{i}"' for i in ids[:5])
    return shown + (f" and {len(ids) - 5:,} more" if len(ids) > 5 else "")


def _counting_warnings(counting: Counting, after_emoji: list[str], after_line_end: list[str]) -> list[str]:
    """What to say about how the file counts positions, only where it matters: transcripts with a coded
    passage after a character that tools count differently (with none, every counting gives the same
    positions), and after a line end where the tool's counting of line ends is not verified."""
    out = []
    n = len(after_emoji)
    which = f"{n:,} transcript{'' if n == 1 else 's'} ({_listed(after_emoji)}) {'has' if n == 1 else 'have'}"
    if after_emoji and counting is STANDARD:
        out.append(
            f"{which} coded passages after an emoji or another character that tools count differently. "
            "This file counts positions in code points (the standard's; wei-qual reads them back exactly); "
            "tools built on UTF-16 strings count an emoji as two (NVivo its own way), so they would show these "
            "passages moved. For NVivo, ATLAS.ti, MAXQDA or QualCoder, export with --for nvivo, atlas, maxqda "
            "or qualcoder."
        )
    elif after_emoji and counting.unsure_emoji:
        chars = (
            "an emoji with a skin tone, a family joined without U+FE0F, a flag, or a character shown as an emoji "
            "by U+FE0F (❤️)"
            if counting.emoji == "nvivo"
            else "an emoji or another character outside the Basic Multilingual Plane"
        )
        out.append(
            f"--for {counting.key}: {which} coded passages after {chars}, which tools count differently: "
            f"{counting.unsure_emoji}. Open one such passage in {counting.tool} and check that it selects the "
            "same words."
        )
    if after_line_end and counting.unsure_lines:
        out.append(
            f"--for {counting.key}: {counting.unsure_lines}. Open a coded passage near the end of a transcript "
            f"in {counting.tool} and check that it selects the same words."
        )
    return out


def _zip_info(member: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = _ZIP_LEVEL  # what writestr(..., compresslevel=) sets; open() takes it from the info
    info.external_attr = 0o600 << 16
    return info


def write_qdpx(
    db: Database,
    handle,
    *,
    name: str,
    coders: list[str] | None = None,
    include_consensus: bool = True,
    on_progress: Callable[[int], None] | None = None,
    force_zip64: bool = False,
    counting: Counting = STANDARD,
    validate_here: bool = False,
) -> ExportResult:
    """Write the .qdpx archive to the binary file `handle`: project.qde first, streamed and validated
    against Project.xsd as it is written (in a forked child on the second CPU, if there is one, unless
    `validate_here`), then sources/ in name order, with fixed times (deterministic bytes). Raises
    ExportError (the caller discards what was written), and ChildProcessError when the validating child
    gave no answer (export_project writes the file again, validating it here)."""
    from lxml import etree

    from .. import parallel

    elsewhere = None if validate_here else parallel.fed_child(_validate_stream)
    try:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as archive:
            with archive.open(_zip_info(QDE), "w", force_zip64=force_zip64) as member:
                checked = _Validating(member, elsewhere)
                with etree.xmlfile(checked, encoding="UTF-8") as xf:
                    xf.write_declaration()
                    files, result = write_project(
                        db,
                        xf,
                        name=name,
                        coders=coders,
                        include_consensus=include_consensus,
                        on_progress=on_progress,
                        counting=counting,
                    )
                checked.write(b"\n")  # pretty_print ends the document with a line break
                checked.close()
            for member_name in sorted(files):
                archive.writestr(_zip_info(member_name), files.pop(member_name), compresslevel=_ZIP_LEVEL)
    finally:
        if elsewhere is not None:
            elsewhere.abandon()
    return result


def export_project(
    db: Database,
    out: Path,
    *,
    name: str,
    coders: list[str] | None = None,
    include_consensus: bool = True,
    on_progress: Callable[[int], None] | None = None,
    counting: Counting = STANDARD,
) -> ExportResult:
    """Write the project to `out` as a REFI-QDA .qdpx (atomically, mode 0600); raise ExportError.
    `counting`: the tool whose way of counting positions the file follows (layout.COUNTINGS, --for).

    project.qde is written as a stream and checked against Project.xsd as it is written: if it does not
    validate, the temporary file is discarded and nothing is written.
    """
    out = Path(out)
    if not out.parent.exists():
        raise ExportError(f'Folder "{out.parent}" does not exist. Create it, or pass another output path.')
    if out.is_dir():
        raise ExportError(f'"{out}" is a folder. Pass a file path such as study.qdpx.')
    # hundreds of thousands of elements and tuples: repeated full collections cost seconds
    with paused_gc(), atomic_writer(out, binary=True, option="OUT.qdpx") as handle:  # an argument, not -o
        write = functools.partial(
            write_qdpx,
            db,
            handle,
            name=name,
            coders=coders,
            include_consensus=include_consensus,
            counting=counting,
        )
        options: dict = {"on_progress": on_progress}
        while True:
            try:
                result = write(**options)
                break
            except ChildProcessError:  # the validating child died (killed, perhaps for lack of memory)
                options["validate_here"] = True
            except RuntimeError as ex:  # zipfile: project.qde passed 2 GiB, which needs ZIP64 headers
                # "File size too large, try using force_zip64"; older Pythons (Debian's 3.11.2 among
                # them) say "File size unexpectedly exceeded ZIP64 limit"
                if "zip64" not in str(ex).lower() or options.get("force_zip64"):
                    raise
                options["force_zip64"] = True
            options["on_progress"] = None  # written again: its progress was shown
            handle.seek(0)
            handle.truncate()
        result.bytes = handle.tell()
    result.path = str(out)
    return result


def project_schema():
    """The compiled Project.xsd (lxml), once per process."""
    global _SCHEMA
    if _SCHEMA is None:
        from lxml import etree

        from ..export.qdc import SCHEMAS

        _SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    return _SCHEMA


_SCHEMA = None


def _validate_stream(stream) -> str | None:
    """In the child of _Validating: validate project.qde as it is read from `stream`; the error's message,
    or None."""
    checked = _Validating(None)
    try:
        while chunk := stream.read(_Validating._CHUNK):
            checked.write(chunk)
        checked.close()
    except ExportError as ex:
        return str(ex)
    return None


def _excerpt_pages(seg: dict, start: int, end: int) -> str | None:
    """ "page 2" (or "pages 2–3") of the words start:end of a document segment row, as cited."""
    try:
        spans = json.loads(seg["page_spans"]) if seg.get("page_spans") else None
    except ValueError:
        spans = None
    return page_span(*excerpt_pages(seg["page"], seg.get("end_page"), spans, [(start, end)]))
