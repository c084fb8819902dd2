"""Write a whole project as one REFI-QDA `.qdpx`: `project.qde` plus the text of every transcript.

What goes where (docs/exchange.md has the reader's version):
- Users: one per exported coder. CodeBook: the active version, through the shared code-tree writer.
- Sources: one TextSource per transcript; its text has one turn per paragraph led by time and speaker label.
  One PlainTextSelection per segment that has a decision or a memo, spanning the segment's text; one
  Coding per applied code and coder. Decision notes, rationales and "nothing applies" are Notes of the coder.
- Variables and Cases: the attributes, one Case per participant speaker, plus the speaker and interviewer
  labels so the import needs no role inference. Memos are Notes.
GUIDs are uuid5 of the project id and the item, so two exports of one project give the same GUIDs (and,
when nothing changed, the same bytes).
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..agree import DEFAULT_CONSENSUS  # the coder reconcile stores consensus under
from ..errors import ExportError
from ..export.codetree import Guids, add_code_tree, add_exclusive_sets
from ..ingest.labels import normalise_labels
from ..ingest.roles import given_roles
from ..ingest.turns import Turn
from ..models import INTERVIEWER, PARTICIPANT, Codebook, Decision
from ..safeio import write_bytes_atomic
from .layout import export_text, split_source_text
from .vocabulary import (
    CODEBOOK_DESCRIPTION,
    CODEBOOK_NAME,
    CODEBOOK_VERSION,
    INTERVIEWER_VARIABLE,
    LABEL_SEPARATOR,
    NOTE_DECISION,
    NOTE_MEMO,
    NOTE_NOTHING,
    NOTE_NOTHING_TEXT,
    NOTE_RATIONALE,
    NS,
    QDE,
    SPEAKER_VARIABLE,
    VALUE_ELEMENTS,
    Q,
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
    decisions: int = 0
    memos: int = 0
    attributes: int = 0
    cases: int = 0
    bytes: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def consensus_coders(decisions: list[Decision], coders: list[str]) -> set[str]:
    """Coders holding consensus: named "consensus", or every decision of theirs carries a rationale."""
    all_rationale: dict[str, bool] = {}
    for d in decisions:
        all_rationale[d.coder] = all_rationale.get(d.coder, True) and bool(d.rationale)
    return {c for c in coders if c == DEFAULT_CONSENSUS or all_rationale.get(c, False)}


def choose_coders(
    db: Database, coders: list[str] | None, include_consensus: bool
) -> tuple[list[str], list[Decision]]:
    """The coders to export and their decisions; raise ExportError naming an unknown coder."""
    from ..store.decisions import iter_coders
    from ..store.project import iter_lean_decisions

    known = iter_coders(db)
    unknown = [c for c in coders or [] if c not in known]
    if unknown:
        listed = ", ".join(known) or "none yet"
        raise ExportError(f'Unknown coder "{unknown[0]}" given with --coders (coders: {listed}).')
    decisions = iter_lean_decisions(db)
    consensus = consensus_coders(decisions, known)
    chosen = list(coders) if coders else [c for c in known if c not in consensus]
    if include_consensus:
        chosen += [c for c in known if c in consensus and c not in chosen]
    else:
        chosen = [c for c in chosen if c not in consensus]
    keep = set(chosen)
    return chosen, [d for d in decisions if d.coder in keep]


def _text_el(parent, name: str, text: str):
    from lxml import etree

    el = etree.SubElement(parent, Q + name)
    el.text = text
    return el


_VALID_TIMES: dict[str, str | None] = {}  # decisions share few distinct times: check each once


def _stamp(el, attr: str, value: str | None) -> None:
    if not value:
        return
    checked = _VALID_TIMES.get(value, "")
    if checked == "":
        checked = _VALID_TIMES[value] = xsd_datetime(value)
    if checked:
        el.set(attr, checked)


def _check_round_trip(tid: str, text: str, segments: list[dict], labels: frozenset[str]) -> list[str]:
    """Warnings when re-importing this file would not give back the same turns and roles."""
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
    given = given_roles([Turn(s["speaker"], [s["text"]]) for s in segments], sorted(labels))
    wrong_roles = sum(given.role_of(s["speaker"]) != s["role"] for s in segments)
    if wrong_roles:
        warnings.append(
            f'transcript "{tid}": {wrong_roles} segment(s) have a role that their speaker label does not give; '
            "an import reads roles from speaker labels, so these will come back with the other role."
        )
    return warnings


def build_project(
    db: Database,
    *,
    name: str,
    coders: list[str] | None = None,
    include_consensus: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[object, dict[str, str], ExportResult]:
    """(project.qde element, {zip member: text}, result) for the project. Reads only; raises ExportError."""
    from lxml import etree

    from .. import __version__
    from ..codebook.versions import get_version
    from ..store import get_setting
    from ..store.codebooks import get_active_version_id
    from ..store.project import (
        PROJECT_NAME,
        iter_all_memos,
        iter_all_segments,
        iter_transcript_heads,
        project_times,
    )
    from ..store.transcripts import get_attributes, get_speaker_attributes

    result = ExportResult(path="")
    guids = Guids.for_project(get_setting(db, "project_id") or "unknown")
    chosen, decisions = choose_coders(db, coders, include_consensus)
    result.coders = chosen
    codebook: Codebook | None = get_version(db)[1] if get_active_version_id(db) is not None else None
    heads = iter_transcript_heads(db)
    segments = iter_all_segments(db)
    attributes = get_attributes(db)
    speaker_attributes = get_speaker_attributes(db)  # a participant speaker's own, over the transcript's
    memos = [m for m in iter_all_memos(db) if m["coder_id"] in set(chosen)]
    created, modified = project_times(db)
    user = {c: guids.of("user", c) for c in chosen}

    root = etree.Element(Q + "Project", nsmap={None: NS})
    root.set("name", get_setting(db, PROJECT_NAME) or name)
    root.set("origin", f"wei-qual {__version__}")
    _stamp(root, "creationDateTime", created)
    _stamp(root, "modifiedDateTime", modified)

    if chosen:
        users_el = etree.SubElement(root, Q + "Users")
        for c in chosen:
            u = etree.SubElement(users_el, Q + "User")
            u.set("guid", user[c])
            u.set("name", c)

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
        book = etree.SubElement(root, Q + "CodeBook")
        add_code_tree(book, codebook, ns=NS, guids=guids, note_refs=code_notes)
        result.codes = len(codebook.codes)

    # Variables: the attributes plus the two label variables wei-qual reads back.
    values_by_name: dict[str, list[str]] = defaultdict(list)
    for values in [*attributes.values(), *speaker_attributes.values()]:
        for key, value in values.items():
            if value is not None:
                values_by_name[key].append(value)
    clash = [n for n in (SPEAKER_VARIABLE, INTERVIEWER_VARIABLE) if n in values_by_name]
    if clash:
        result.warnings.append(
            f'attribute "{clash[0]}" has the name wei-qual gives speaker labels in a .qdpx; it is not exported. '
            "Rename the attribute and export again."
        )
        for n in clash:
            values_by_name.pop(n)
    types = {n: variable_type(v) for n, v in sorted(values_by_name.items())}
    types[SPEAKER_VARIABLE] = types[INTERVIEWER_VARIABLE] = "Text"
    variable_guid = {n: guids.of("variable", n) for n in types}
    variables_el = etree.SubElement(root, Q + "Variables")
    for n, kind in types.items():
        v = etree.SubElement(variables_el, Q + "Variable")
        v.set("guid", variable_guid[n])
        v.set("name", n)
        v.set("typeOfVariable", kind)
    result.attributes = len(values_by_name)

    def value(parent, var: str, text: str) -> None:
        vv = etree.SubElement(parent, Q + "VariableValue")
        etree.SubElement(vv, Q + "VariableRef").set("targetGUID", variable_guid[var])
        _text_el(vv, VALUE_ELEMENTS[types[var]], text)

    source_guid = {h["id"]: guids.of("source", h["id"]) for h in heads}
    if heads:
        cases_el = etree.SubElement(root, Q + "Cases")
        for h in heads:
            tid = h["id"]
            segs = segments.get(tid, [])
            interviewers = list(
                dict.fromkeys(s["speaker"] for s in segs if s["role"] == INTERVIEWER and s["speaker"])
            )
            speakers = list(dict.fromkeys(s["speaker"] for s in segs if s["role"] == PARTICIPANT)) or [None]
            for speaker in speakers:
                case = etree.SubElement(cases_el, Q + "Case")
                case.set("guid", guids.of("case", tid, speaker or ""))
                case.set("name", tid if len(speakers) == 1 else f"{tid} {speaker or ''}".strip())
                own = speaker_attributes.get((tid, speaker), {}) if speaker else {}
                for key, val in sorted({**attributes.get(tid, {}), **own}.items()):
                    if key in types and val is not None:
                        value(case, key, val)
                if speaker:
                    value(case, SPEAKER_VARIABLE, speaker)
                value(case, INTERVIEWER_VARIABLE, LABEL_SEPARATOR.join(interviewers))
                etree.SubElement(case, Q + "SourceRef").set("targetGUID", source_guid[tid])
                result.cases += 1

    by_segment: dict[tuple[str, int], list[Decision]] = defaultdict(list)
    for d in decisions:
        by_segment[(d.transcript, d.segment)].append(d)
    memo_by_target: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for m in memos:
        memo_by_target[(m["target_type"], m["target_id"])].append(m)
    skipped_codes: dict[str, int] = defaultdict(int)

    files: dict[str, str] = {}
    sources_el = etree.SubElement(root, Q + "Sources") if heads else None
    for h in heads:
        tid = h["id"]
        segs = segments.get(tid, [])
        text, spans = export_text(segs)
        guid = source_guid[tid]
        files[f"sources/{guid}.txt"] = text
        interviewers = {s["speaker"] for s in segs if s["role"] == INTERVIEWER and s["speaker"]}
        result.warnings += _check_round_trip(tid, text, segs, normalise_labels(sorted(interviewers)))
        src = etree.SubElement(sources_el, Q + "TextSource")
        src.set("guid", guid)
        src.set("name", tid)
        src.set("plainTextPath", f"internal://{guid}.txt")
        _stamp(src, "creationDateTime", h["ingested_utc"])
        excerpt_selections: list[tuple] = []  # (transcript, n, start, end, decision, code)
        for seg, (start, end) in zip(segs, spans):
            n = seg["n"]
            made = sorted(by_segment.get((tid, n), []), key=lambda d: (d.decided_utc or "", d.coder))
            seg_memos = memo_by_target.get(("segment", f"{tid}:{n}"), [])
            if not made and not seg_memos:
                continue
            sel = etree.SubElement(src, Q + "PlainTextSelection")
            sel.set("guid", guids.of("selection", tid, n))
            sel.set("name", f"{tid} segment {n}")
            sel.set("startPosition", str(start))
            sel.set("endPosition", str(end))
            first = made[0] if made else None
            if first is not None:
                sel.set("creatingUser", user[first.coder])
                _stamp(sel, "creationDateTime", first.decided_utc)
            refs: list[str] = []
            for d in made:
                result.decisions += 1
                for code in sorted(d.codes):
                    if code not in code_ids:
                        skipped_codes[code] += 1
                        continue
                    marked = [(e.start, e.end) for e in d.excerpts if e.code == code]
                    if marked:  # the excerpt is its own selection, inside the turn
                        excerpt_selections.extend((tid, n, start + a, start + b, d, code) for a, b in marked)
                        continue
                    coding = etree.SubElement(sel, Q + "Coding")
                    coding.set("guid", guids.of("coding", tid, n, d.coder, code))
                    coding.set("creatingUser", user[d.coder])
                    _stamp(coding, "creationDateTime", d.decided_utc)
                    etree.SubElement(coding, Q + "CodeRef").set("targetGUID", code_guid[code])
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
                etree.SubElement(sel, Q + "NoteRef").set("targetGUID", ref)
            result.selections += 1
        for ex_tid, ex_n, ex_start, ex_end, d, code in excerpt_selections:
            part = etree.SubElement(src, Q + "PlainTextSelection")
            part.set("guid", guids.of("excerpt", ex_tid, ex_n, d.coder, code, ex_start, ex_end))
            part.set("name", f"{ex_tid} segment {ex_n} excerpt")
            part.set("startPosition", str(ex_start))
            part.set("endPosition", str(ex_end))
            part.set("creatingUser", user[d.coder])
            _stamp(part, "creationDateTime", d.decided_utc)
            coding = etree.SubElement(part, Q + "Coding")
            coding.set("guid", guids.of("coding", ex_tid, ex_n, d.coder, code, ex_start, ex_end))
            coding.set("creatingUser", user[d.coder])
            _stamp(coding, "creationDateTime", d.decided_utc)
            etree.SubElement(coding, Q + "CodeRef").set("targetGUID", code_guid[code])
            result.codings += 1
            result.selections += 1
        for m in memo_by_target.get(("transcript", tid), []):
            ref = note(
                guids.of("memo", "transcript", tid, m["coder_id"]),
                NOTE_MEMO,
                m["text"],
                m["coder_id"],
                m["created_utc"],
                m["updated_utc"],
            )
            etree.SubElement(src, Q + "NoteRef").set("targetGUID", ref)
        result.transcripts += 1
        result.segments += len(segs)
        if on_progress is not None:
            on_progress(1)

    orphans = [m for m in memos if not _memo_exported(m, segments, code_ids)]
    result.memos = len(memos) - len(orphans)
    if orphans:
        result.warnings.append(
            f"{len(orphans)} memo(s) are attached to a segment, transcript or code that is no longer in the "
            "project (or the active codebook) and were not exported."
        )
    if skipped_codes:
        listed = ", ".join(f'"{c}" ({n})' for c, n in sorted(skipped_codes.items()))
        result.warnings.append(
            f"codes not in the active codebook were left out of the codings: {listed}. Load a codebook that has "
            "them, or move their decisions with renamed_from / merged_into."
        )

    if notes:
        notes_el = etree.SubElement(root, Q + "Notes")
        for guid, title, text, coder, made, changed in notes:
            el = etree.SubElement(notes_el, Q + "Note")
            el.set("guid", guid)
            el.set("name", title)
            if coder in user:
                el.set("creatingUser", user[coder])
            _stamp(el, "creationDateTime", made)
            _stamp(el, "modifiedDateTime", changed)
            _text_el(el, "PlainTextContent", text)
    if codebook is not None:
        add_exclusive_sets(root, codebook, ns=NS, guids=guids, member_attr="targetGUID")
        lines = [CODEBOOK_NAME + codebook.name, CODEBOOK_VERSION + codebook.version]
        if codebook.description.strip():
            lines.append(CODEBOOK_DESCRIPTION + codebook.description.strip())
        _text_el(root, "Description", "\n".join(lines))
    if len(variables_el) == 0:  # pragma: no cover - the two label variables are always there
        root.remove(variables_el)
    return root, files, result


def _memo_exported(memo: dict, segments: dict[str, list[dict]], code_ids: set[str]) -> bool:
    kind, target = memo["target_type"], memo["target_id"]
    if kind == "code":
        return target in code_ids
    if kind == "transcript":
        return target in segments
    tid, _, n = target.rpartition(":")
    return n.isdigit() and any(s["n"] == int(n) for s in segments.get(tid, []))


def zip_bytes(qde: bytes, files: dict[str, str]) -> bytes:
    """The .qdpx archive: project.qde first, then sources/, with fixed times (deterministic bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as archive:
        for member, data in [(QDE, qde), *((k, v.encode("utf-8")) for k, v in sorted(files.items()))]:
            info = zipfile.ZipInfo(member, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data, compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


def export_project(
    db: Database,
    out: Path,
    *,
    name: str,
    coders: list[str] | None = None,
    include_consensus: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the project to `out` as a REFI-QDA .qdpx (atomically, mode 0600); raise ExportError.

    The project.qde is checked against Project.xsd before anything is written.
    """
    out = Path(out)
    if not out.parent.exists():
        raise ExportError(f'Folder "{out.parent}" does not exist. Create it, or pass another output path.')
    if out.is_dir():
        raise ExportError(f'"{out}" is a folder. Pass a file path such as study.qdpx.')
    import gc

    from lxml import etree

    gc.disable()  # hundreds of thousands of elements and tuples: repeated full collections cost seconds
    try:
        root, files, result = build_project(
            db, name=name, coders=coders, include_consensus=include_consensus, on_progress=on_progress
        )
    finally:
        gc.enable()
    errors = validate_project(root)
    if errors:  # a bug in the exporter, never the user's fault: write nothing
        raise ExportError(
            f"The project.qde does not validate against Project.xsd: {errors[0]}. Please report it."
        )
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    data = zip_bytes(qde, files)
    write_bytes_atomic(out, data)
    result.path = str(out)
    result.bytes = len(data)
    return result


def validate_project(qde) -> list[str]:
    """Errors of project.qde (bytes or element) against Project.xsd (lxml: fast enough for a study)."""
    from lxml import etree

    schema = project_schema()
    if schema.validate(etree.fromstring(qde) if isinstance(qde, bytes) else qde):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def project_schema():
    """The compiled Project.xsd (lxml), once per process."""
    global _SCHEMA
    if _SCHEMA is None:
        from lxml import etree

        from ..export.qdc import SCHEMAS

        _SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    return _SCHEMA


_SCHEMA = None
