"""Read a .qdpx into plain data: the parsed, schema-checked project.qde and the text of its sources.

Tolerates what real exports from NVivo, ATLAS.ti, MAXQDA and QualCoder do differently: GUIDs in either
case, with or without braces; a missing isCodable; `internal://` or bare source paths, `sources/` or
`Sources/`; an empty .txt next to the .docx that holds the text (NVivo for Mac); a BOM before the XML;
users referenced but not declared. Anything else that breaks the schema is an error naming its line.
The XML parser resolves no entities, loads no DTD and reads nothing from the network.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..controls import escape_breaks
from ..errors import ExportError, xml_error_place, xml_limit
from ..export.codetree import CodeTree, local_name, normalise_guid, parse_code_tree
from ..gcpause import paused_gc
from ..models import plural
from ..safeio import DAMAGED_ZIP, zip_damage
from .layout import (
    STANDARD,
    Counting,
    OffsetMap,
    counted_text,
    counting_map,
    cuts_a_word,
    declared_counting,
    normalise_text,
    nvivo_extra,
    tool_counting,
)
from .vocabulary import NS, QDE, Q
from .zipio import open_zip

WHAT = "REFI-QDA project (.qdpx)"
OTHER_SOURCES = {
    "PDFSource": "PDF sources",
    "PictureSource": "picture sources",
    "AudioSource": "audio sources",
    "VideoSource": "video sources",
}


@dataclass(slots=True)  # hundreds of thousands of them in a large project
class CodingIn:
    code: str  # normalised GUID of the code
    user: str | None
    created: str | None
    note_refs: list[str] | tuple[()] = ()  # a list only when the coding has notes


@dataclass(slots=True)  # tens of thousands of them in a study-sized file
class SelectionIn:
    guid: str
    start: int  # positions in the normalised text
    end: int
    user: str | None
    created: str | None
    codings: list[CodingIn] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    description: str = ""
    name: str = ""  # wei-qual names a document's segment selections "ID segment N" (layout.py)


@dataclass
class TextSourceIn:
    guid: str
    name: str
    member: str  # where its text came from, for messages and the transcript's source
    text: str  # normalised: no BOM, \n line ends
    raw: bytes
    user: str | None
    selections: list[SelectionIn] = field(default_factory=list)
    source_codings: int = 0  # codings of the whole source, not of a passage
    source_codes: list[str] = field(default_factory=list)  # the code GUID of each of them
    note_refs: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable GUID, value text)
    description: str = ""
    offsets: OffsetMap | None = None  # positions as the tool counts them -> in `text` (for note anchors)
    counting: str = ""  # how its positions are counted, when not as its tool is known to: see _counting
    # Selections outside the text however its positions are counted (a source edited after coding): their
    # start and end as written, lost with their codings.
    outside: list[SelectionIn] = field(default_factory=list)
    # Selections whose text as the tool recorded it (QualCoder names a selection by its text) is not the text
    # at their positions however they are counted: (GUID, start, end) as written. Imported where the
    # positions say, and reported.
    unreconciled: list[tuple[str, int, int]] = field(default_factory=list)
    long_name: int = 0  # the length of a name too long to be a transcript id (it is read as having none)
    # (edges cut, edges, "utf-8" or "") when its selections' edges fall inside words however its positions are
    # counted: the tool counts some other way (UTF-8 bytes, characters as they show), see _poorly_fit
    poor_fit: tuple[int, int, str] | None = None


@dataclass
class CaseIn:
    name: str
    values: list[tuple[str, str]]
    sources: list[str]  # normalised source GUIDs (SourceRef, or the source of a SelectionRef)
    code_refs: int = 0
    guid: str = ""


@dataclass
class NoteIn:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None
    # (start, end) of its uncoded PlainTextSelections, as written: QualCoder anchors an annotation so, in
    # the text of the source whose NoteRef names the note.
    anchors: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ProjectIn:
    """A .qdpx as read: everything the import maps, plus counts of what it cannot."""

    path: str
    name: str
    origin: str
    description: str
    users: dict[str, str]  # normalised GUID -> name as written
    tree: CodeTree | None
    code_notes: dict[str, list[str]]  # code GUID -> note GUIDs
    variables: dict[str, tuple[str, str]]  # GUID -> (name, type)
    cases: list[CaseIn]
    sources: list[TextSourceIn]
    notes: dict[str, NoteIn]
    project_note_refs: list[str]
    other_sources: Counter = field(default_factory=Counter)  # kind -> count
    other_codings: Counter = field(default_factory=Counter)  # kind -> codings inside those sources
    graphs: int = 0
    source_sets: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, source GUIDs)
    links: list[tuple[str, str]] = field(default_factory=list)  # (origin, target) GUIDs of each Link
    quirks: list[str] = field(default_factory=list)  # tolerated deviations, reported as warnings


_CODING, _CODEREF, _NOTEREF, _DESCRIPTION = (Q + n for n in ("Coding", "CodeRef", "NoteRef", "Description"))


# The schema check has put every element in the project namespace, so children are found by full tag
# (lxml's C lookups: a study-sized file has a few hundred thousand elements).
def _children(el, name: str) -> list:
    return list(el.iterchildren(Q + name))


def _child(el, name: str):
    return next(el.iterchildren(Q + name), None)


def _text(el, name: str) -> str:
    c = _child(el, name)
    return (c.text or "") if c is not None else ""


@functools.lru_cache(maxsize=65536)
def _normal(value: str | None) -> str:
    return normalise_guid(value)  # users and codes repeat on every coding: normalise each once


@functools.lru_cache(maxsize=4096)
def _same(value: str | None) -> str | None:
    """One string object per recent distinct value (the codings of a coder's session share their times)."""
    return value


def _guid(el, attr: str = "guid") -> str:
    return _normal(el.get(attr))


def _refs(el, name: str = "NoteRef") -> list[str]:
    return [normalise_guid(r.get("targetGUID")) for r in _children(el, name)]


def _is_project_file(member: str) -> bool:
    return "/" not in member and member.casefold().endswith(".qde")


class _Zip:
    """Members of the archive by name, case-insensitively (`Sources/` or `sources/`)."""

    def __init__(self, archive, path: Path):
        self.archive, self.path = archive, path
        self.names = {n.casefold(): n for n in archive.namelist()}

    def find(self, location: str) -> str | None:
        """The member a source path names: internal://X (in sources/), or a bare relative path."""
        name = location.strip()
        internal = name.lower().startswith("internal://")
        if internal:
            name = name[len("internal://") :]
        name = name.lstrip("/").replace("\\", "/")
        for candidate in (f"sources/{name}", name) if internal else (name, f"sources/{name}"):
            # Never the project file itself: a source "internal://project.qde" read the XML as a transcript,
            # whole, past the per-part size limit (a project.qde is streamed and may be 1 GB).
            if candidate.casefold() in self.names and not _is_project_file(candidate):
                return self.names[candidate.casefold()]
        return None

    def read(self, member: str) -> bytes:
        """The member's bytes, or ExportError when they do not unpack to what the archive says they hold."""
        try:
            return self.archive.read(member)
        except DAMAGED_ZIP as ex:
            # a bad checksum or a short part: a truncated download, a damaged stick, a size that lies
            raise ExportError(
                f'"{self.path}": part {_shown(member, "name")} cannot be read ({zip_damage(ex)}): the file was damaged or changed '
                "after it was written. Copy or download the .qdpx again, or export it again."
            ) from None


_SHOWN_MAX = 200  # a path or name longer than this is described by its length in messages, not repeated


def _shown(value: str, what: str = "path") -> str:
    """A path or a name from the file, for a message: itself in quotes, or its length when it is long (a
    crafted attribute of megabytes would be one line of megabytes). A line break is shown as its escape: a
    path or a part's name holding one would start a line of its own ("a\\nError: ...")."""
    return (
        f'"{escape_breaks(value)}"'
        if len(value) <= _SHOWN_MAX
        else f"(a {what} of {len(value):,} characters, not shown)"
    )


def _decode(data: bytes, where: str) -> str:
    """A source's or note's text: UTF-8 (its BOM dropped), or UTF-16 when its BOM says so (a text saved as
    "Unicode" by a Windows editor, which ingest reads too). UTF-16 without a BOM decodes as UTF-8 with a NUL
    after every letter: one segment without speakers, all of it NULs, imported unsaid; so NULs are refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the codec reads and drops the BOM
        except UnicodeDecodeError:
            raise ExportError(
                f"{where}: the text starts with a UTF-16 byte-order mark but is not UTF-16 (it is damaged, or cut "
                "short). Export the project again (REFI-QDA sources are UTF-8)."
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as ex:
        line = data.count(b"\n", 0, ex.start) + 1
        raise ExportError(
            f"{where}, line {line}: the text is not UTF-8. Export the project again (REFI-QDA sources are UTF-8)."
        ) from None
    if "\x00" in text:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ExportError(
            f"{where}, line {line}: the text holds NUL characters, so it is not UTF-8 text (UTF-16 without a "
            "byte-order mark, or a binary file). Export the project again (REFI-QDA sources are UTF-8)."
        )
    return text


def _docx_text(data: bytes, where: str) -> str:
    import docx  # heavy: only for NVivo for Mac's empty .txt sources

    from ..safeio import check_zip

    try:
        # A zip inside the zip: the same limits before python-docx inflates a part of it.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, what=where.replace('"', ""), error=ExportError)
        document = docx.Document(io.BytesIO(data))
    except ExportError:
        raise
    except Exception as ex:  # noqa: BLE001 - python-docx raises zip, XML, KeyError... for damaged files
        raise ExportError(
            f"{where} is not a valid .docx file ({type(ex).__name__}). Export the project again."
        ) from None
    return "\n".join(p.text for p in document.paragraphs)


def _parse_xml(data: bytes, where: str):
    from lxml import etree

    # No entity expansion, no DTD, no network: a .qde never needs them (XXE and billion-laughs safe).
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    dtd = ExportError(
        f"{where} declares a DTD (<!DOCTYPE>), which REFI-QDA files never do, and wei-qual does not read one. "
        "Export the project again from your QDA tool."
    )
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as ex:
        if b"<!DOCTYPE" in data[:4096]:  # an entity it declares, used: the DTD is what to name
            raise dtd from None
        if limit := xml_limit(ex):
            raise ExportError(f"{where}, {xml_error_place(ex)}: {limit}") from None
        raise ExportError(
            f"{where}, {xml_error_place(ex)}: not well-formed XML (an unescaped < or & in text, or a damaged "
            "file). Export the project again as REFI-QDA .qdpx."
        ) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise dtd
    return tree.getroot()


def _check_schema(root, where: str, quirks: list[str]) -> None:
    """Validate against Project.xsd after mending the deviations real exports are known for."""
    from .export import project_schema

    if local_name(root) != "Project" or root.tag != f"{{{NS}}}Project":
        raise ExportError(
            f"{where}, line {root.sourceline}: the root element is <{root.tag}>, not a REFI-QDA <Project> "
            f'in namespace "{NS}". Export the project from your QDA tool as REFI-QDA .qdpx.'
        )
    missing = 0
    for code in root.iter(f"{{{NS}}}Code"):
        if code.get("isCodable") is None:
            code.set("isCodable", "true")
            missing += 1
    if missing:
        quirks.append(
            f"{plural(missing, 'code')} {'has' if missing == 1 else 'have'} no isCodable attribute; "
            f"{'it is' if missing == 1 else 'they are'} read as codable."
        )
    # ATLAS.ti names a set's members by `guid` where the schema has `targetGUID` (a real ATLAS.ti Win
    # 23.4.0 codebook's <MemberCode guid=...>): refused by the schema, the whole project was not imported.
    named = 0
    for member in root.iter(*(f"{{{NS}}}{kind}" for kind in ("MemberCode", "MemberSource", "MemberNote"))):
        if member.get("targetGUID") is None and member.get("guid") is not None:
            member.set("targetGUID", member.attrib.pop("guid"))
            named += 1
    if named:
        quirks.append(
            f"{plural(named, 'set member')} name{'s' if named == 1 else ''} their code or source by guid, not targetGUID (as ATLAS.ti writes "
            "them); they are read so."
        )
    schema = project_schema()
    if not schema.validate(root):
        e = schema.error_log[0]
        raise ExportError(
            f"{where}, line {e.line}: does not follow the REFI-QDA project schema ({e.message}). "
            "Export the project again, or report the file to the tool that wrote it."
        )


def read_qdpx(path: Path) -> ProjectIn:
    """Read and check a .qdpx; raise ExportError with one line naming the file (and line) when malformed.

    project.qde is read as a stream, checked against Project.xsd as it is read, and each source, case
    and note is dropped once read, so memory stays bounded by what the import keeps, not by the XML. A
    file that fails anywhere is read again whole (the old way), so its message names the line.
    """
    path = Path(path)
    with open_zip(path, what=WHAT) as archive:
        z = _Zip(archive, path)
        qde = z.names.get(QDE)
        if qde is None:
            found = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n]
            if len(found) != 1:
                raise ExportError(
                    f'"{path}" holds no project.qde, so it is not a REFI-QDA project. Export the project again '
                    "as .qdpx (a .qdc holds only a codebook: use wei-qual codebook import)."
                )
            qde = found[0]
        where = f'"{path}": {escape_breaks(qde)}'  # an ATLAS.ti .qde is named after its project
        with (
            paused_gc()
        ):  # hundreds of thousands of small acyclic objects: repeated full collections cost seconds
            with contextlib.suppress(Exception):  # any failure: the whole-file reading gives the message
                return _finish(_stream_project(z, qde, path), path)
            root = _parse_xml(z.read(qde), where)
            quirks: list[str] = []
            _check_schema(root, where, quirks)
            return _finish(_read_project(root, z, path, quirks), path)


_LENIENT_SCHEMA = None


def _lenient_schema():
    """Project.xsd with isCodable optional: validating a stream cannot first mend a missing isCodable
    (which _check_schema does on a tree), and "true" is what the mending writes, so a file passes this
    schema exactly when the mended file passes Project.xsd."""
    global _LENIENT_SCHEMA
    if _LENIENT_SCHEMA is None:
        from lxml import etree

        from ..export.qdc import SCHEMAS

        xsd = etree.parse(str(SCHEMAS / "Project.xsd"))
        found = xsd.findall(".//{http://www.w3.org/2001/XMLSchema}attribute[@name='isCodable']")
        if len(found) != 1:  # pragma: no cover - the schema is shipped with wei-qual
            raise RuntimeError("Project.xsd declares isCodable more than once")
        found[0].set("use", "optional")
        _LENIENT_SCHEMA = etree.XMLSchema(xsd)
    return _LENIENT_SCHEMA


_STREAMED = tuple(
    Q + n
    for n in (
        "Project",
        "Users",
        "CodeBook",
        "Variables",
        "Case",
        "TextSource",
        "Note",
        "Sets",
        "Graphs",
        "Links",
    )
) + tuple(Q + n for n in OTHER_SOURCES)


def _stream_project(z: _Zip, qde: str, path: Path) -> ProjectIn:
    """_read_project on a stream. Raises on anything a valid file would not do (the caller reads the
    file again whole for the message); everything read is kept only once the whole file has validated."""
    from .. import parallel

    # On a second CPU, a forked child validates the file while this process reads it: a third of the
    # reading's time (the same parse, with the schema), off its path.
    valid = None
    if parallel.default_jobs() > 1 and z.archive.getinfo(qde).file_size >= _VALIDATE_ELSEWHERE:
        fd = z.archive.fp.fileno()
        valid = parallel.in_background(lambda: _validates(f"/proc/self/fd/{fd}", qde))
    parser = _stream_parser(("start", "end"), _STREAMED, None if valid else _lenient_schema())
    project: ProjectIn | None = None
    root = codebook_el = sets_el = None
    missing_codable = graphs = 0
    links: list[tuple[str, str]] = []
    cases: list[
        tuple[str, list, list[str], list[str], int, str]
    ] = []  # name, values, sources, selections, refs, guid
    line_ends_count_one = code_points = False
    depth_of = {Q + "Case": 2, Q + "Note": 2, Q + "TextSource": 2, **{Q + n: 2 for n in OTHER_SOURCES}}

    ended = [False]  # the root's end was read before close(): the file is whole

    def handle(event: str, el) -> None:
        nonlocal \
            project, \
            root, \
            codebook_el, \
            sets_el, \
            missing_codable, \
            graphs, \
            links, \
            line_ends_count_one, \
            code_points
        tag = el.tag
        if event == "start":
            if tag == Q + "Project" and root is None:
                root = el
                docinfo = el.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise ValueError("a DTD")  # the whole-file reading refuses it with its message
                project = _empty_project(el, path)
                line_ends_count_one = _lines_count_one(project.origin)
                code_points = _counts_code_points(project.origin)
            return
        if project is None or el.getparent() is None:
            return
        parent = el.getparent()
        level = 1 if parent is root else 2 if parent.getparent() is root else 0
        if level != depth_of.get(tag, 1):
            return  # e.g. a Note inside something else: Project.xsd decides; read as _read_project does
        if tag == Q + "Users":
            for u in _children(el, "User"):
                _add_user(project, u, path)
        elif tag == Q + "CodeBook":
            codebook_el = el
            for code in el.iter(Q + "Code"):
                if code.get("isCodable") is None:
                    code.set("isCodable", "true")
                    missing_codable += 1
        elif tag == Q + "Variables":
            for v in _children(el, "Variable"):
                _add_variable(project, v, path)
        elif tag == Q + "Case":
            cases.append(
                (
                    (el.get("name") or "").strip(),
                    [_value(vv) for vv in _children(el, "VariableValue")],
                    _refs(el, "SourceRef"),
                    _refs(el, "SelectionRef"),
                    len(_children(el, "CodeRef")),
                    _guid(el),
                )
            )
            _drop(el)
        elif tag == Q + "TextSource":
            if parent.tag == Q + "Sources":
                project.sources.append(
                    _read_text_source(
                        el,
                        z,
                        path,
                        line_ends_count_one,
                        code_points,
                        _names_text(project.origin),
                        _is_nvivo(project.origin),
                        declared_counting(project.origin),
                        _counts_utf16(project.origin),
                    )
                )
            _drop(el)
        elif local_name(el) in OTHER_SOURCES:
            if parent.tag == Q + "Sources":
                kind = local_name(el)
                project.other_sources[kind] += 1
                project.other_codings[kind] += sum(1 for _ in el.iter(Q + "Coding"))
            _drop(el)
        elif tag == Q + "Note":
            if parent.tag == Q + "Notes":
                _add_note(project, el, z, path)
            _drop(el)
        elif tag == Q + "Sets":
            sets_el = el
        elif tag == Q + "Graphs":
            graphs = len(_children(el, "Graph"))
        elif tag == Q + "Links":
            links = _links(el)

    with z.archive.open(qde) as member:
        while True:
            chunk = member.read(1 << 16)
            if not chunk:
                break
            parser.feed(chunk)
            for event, el in parser.read_events():
                ended[0] = ended[0] or (event == "end" and el is root)
                handle(event, el)
        parser.close()  # raises when the file does not follow the (lenient) schema
        for event, el in parser.read_events():
            handle(event, el)
    if valid is not None and not valid():
        raise ValueError("does not follow the schema")
    if project is None or root is None:  # pragma: no cover - a valid file has a Project root
        raise ValueError("no Project root")
    # With a schema, lxml's close() does not raise on a file that ends part-way (a project.qde cut short
    # before it was zipped): it closes the open elements itself, and the sources read so far were imported
    # as the whole project, exit 0. A whole file's </Project> is read while it is fed, before close().
    if not ended[0]:
        raise ValueError("the file ends before </Project>")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ValueError("a DTD")
    # What _read_project reads from the root's own children, and the parts that refer to later ones.
    project.description = _text(root, "Description")
    project.project_note_refs = _refs(root)
    if missing_codable:
        project.quirks.append(
            f"{plural(missing_codable, 'code')} {'has' if missing_codable == 1 else 'have'} no isCodable attribute; "
            f"{'it is' if missing_codable == 1 else 'they are'} read as codable."
        )
    if codebook_el is not None:
        codes_el = _child(codebook_el, "Codes")
        project.tree = parse_code_tree(codes_el, sets_el, extra_children=("NoteRef",), source=str(path))
        for code in codes_el.iter(f"{{{NS}}}Code"):
            refs = _refs(code)
            if refs:
                project.code_notes[_guid(code)] = refs
    selection_source = {sel.guid: source.guid for source in project.sources for sel in source.selections}
    for name, values, source_refs, selection_refs, code_refs, guid in cases:
        sources = source_refs + [selection_source[g] for g in selection_refs if g in selection_source]
        project.cases.append(
            CaseIn(
                name=name, values=values, sources=list(dict.fromkeys(sources)), code_refs=code_refs, guid=guid
            )
        )
    project.graphs, project.links = graphs, links
    project.source_sets = _source_sets(sets_el)
    return project


_VALIDATE_ELSEWHERE = 1 << 20  # a smaller project.qde is validated as it is read: a child costs more


def _stream_parser(events: tuple[str, ...], tags: tuple[str, ...], schema):
    from lxml import etree

    return etree.XMLPullParser(
        events=events,
        tag=tags,
        schema=schema,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def _validates(path: str, qde: str) -> bool:
    """Whether `qde` in the .qdpx at `path` follows the (lenient) schema, parsed as _stream_project parses
    it and dropping each source, case and note once read (run in a forked child: `path` names the file
    the reading process holds open, which is what it reads, even if the name now names another)."""
    import zipfile

    from lxml import etree

    parser = _stream_parser(("end",), _DROPPED, _lenient_schema())
    try:
        with open(path, "rb") as handle, zipfile.ZipFile(handle) as archive, archive.open(qde) as member:
            while chunk := member.read(1 << 16):
                parser.feed(chunk)
                for _, el in parser.read_events():
                    _drop(el)
            parser.close()
    except etree.XMLSyntaxError:
        return False
    return True


_DROPPED = tuple(Q + n for n in ("Case", "TextSource", "Note", *OTHER_SOURCES))


def _counts_code_points(origin: str) -> bool:
    """wei-qual writes positions in code points, emoji included, and its own text with \\n line ends: nothing
    to find out (unless its origin names another counting: `project export --for`, read by declared_counting).
    QualCoder is not so sure: its coding screen takes a passage's positions from Qt's text cursor (UTF-16
    units), but its import keeps another tool's positions as that tool counted them, so its files are
    checked like the others'."""
    return declared_counting(origin) is STANDARD


def tool_of(origin: str) -> str:
    """The origin as the checks for a tool's ways read it (casefolded): a wei-qual file is wei-qual's, even
    when it names the tool whose counting it follows (`project export --for nvivo`)."""
    folded = origin.casefold()
    return "wei-qual" if "wei-qual" in folded else folded


def _is_nvivo(origin: str) -> bool:
    return "nvivo" in tool_of(origin)


def _counts_utf16(origin: str) -> bool:
    """Whether the tool that wrote the file is taken, until its selections say otherwise, to count an emoji
    as two UTF-16 units, as `project export --for` writes for it (layout.COUNTINGS): ATLAS.ti and MAXQDA
    (.NET and Cocoa strings), and QualCoder, whose coding screen takes a passage's positions from Qt's text
    cursor (its code_text.py: mark() stores selectionStart() and selectionEnd()), and whose export writes
    them as stored. So a tie is read as the tool is known or taken to count, not as code points."""
    counting = tool_counting(origin)
    return counting is not None and counting.emoji == "utf-16"


def _lines_count_one(origin: str) -> bool:
    """Whether the tool that wrote the file is taken, until its selections say otherwise, to count a \\r\\n as
    one position: ATLAS.ti (QualCoder's importer: "Atlas stored correct positions ... as though it is \\n"),
    and MAXQDA, as `project export --for maxqda` writes for it (layout.COUNTINGS: QualCoder writes \\r\\n
    "for MAXQDA importation" with positions counted in its \\n text). A tie is broken this way, so a MAXQDA
    file is read as wei-qual writes one for MAXQDA, not the opposite way. And QualCoder: the text it stores
    has \\n line ends (it reads a file in Python's text mode), so a \\r\\n in its file comes from that
    option, its positions still counting each line end as one."""
    tool = tool_of(origin)
    return "atlas" in tool or "maxqda" in tool or "qualcoder" in tool


def _names_text(origin: str) -> bool:
    """QualCoder names each PlainTextSelection by the text it selects (its refi.py writes the coded text
    as the selection's name)."""
    return "qualcoder" in tool_of(origin)


def _drop(el) -> None:
    """Free an element that has been read, and the siblings read before it."""
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]


def _empty_project(root, path: Path) -> ProjectIn:
    return ProjectIn(
        path=str(path),
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        description="",
        users={},
        tree=None,
        code_notes={},
        variables={},
        cases=[],
        sources=[],
        notes={},
        project_note_refs=[],
        quirks=[],
    )


def _read_project(root, z: _Zip, path: Path, quirks: list[str]) -> ProjectIn:
    project = _empty_project(root, path)
    project.description, project.project_note_refs, project.quirks = (
        _text(root, "Description"),
        _refs(root),
        quirks,
    )
    users_el = _child(root, "Users")
    for u in _children(users_el, "User") if users_el is not None else []:
        _add_user(project, u, path)
    book = _child(root, "CodeBook")
    if book is not None:
        codes_el = _child(book, "Codes")
        project.tree = parse_code_tree(
            codes_el, _child(root, "Sets"), extra_children=("NoteRef",), source=str(path)
        )
        for code in codes_el.iter(f"{{{NS}}}Code"):
            refs = _refs(code)
            if refs:
                project.code_notes[_guid(code)] = refs
    variables_el = _child(root, "Variables")
    for v in _children(variables_el, "Variable") if variables_el is not None else []:
        _add_variable(project, v, path)
    selection_source: dict[str, str] = {}
    sources_el = _child(root, "Sources")
    line_ends_count_one = _lines_count_one(project.origin)
    for src in list(sources_el) if sources_el is not None else []:
        kind = local_name(src)
        if kind == "TextSource":
            source = _read_text_source(
                src,
                z,
                path,
                line_ends_count_one,
                _counts_code_points(project.origin),
                _names_text(project.origin),
                _is_nvivo(project.origin),
                declared_counting(project.origin),
                _counts_utf16(project.origin),
            )
            project.sources.append(source)
            for sel in source.selections:
                selection_source[sel.guid] = source.guid
        elif kind in OTHER_SOURCES:
            project.other_sources[kind] += 1
            project.other_codings[kind] += sum(1 for el in src.iter(f"{{{NS}}}Coding"))
    cases_el = _child(root, "Cases")
    for case in _children(cases_el, "Case") if cases_el is not None else []:
        sources = _refs(case, "SourceRef") + [
            selection_source[g] for g in _refs(case, "SelectionRef") if g in selection_source
        ]
        project.cases.append(
            CaseIn(
                name=(case.get("name") or "").strip(),
                values=[_value(vv) for vv in _children(case, "VariableValue")],
                sources=list(dict.fromkeys(sources)),
                code_refs=len(_children(case, "CodeRef")),
                guid=_guid(case),
            )
        )
    notes_el = _child(root, "Notes")
    for note in _children(notes_el, "Note") if notes_el is not None else []:
        _add_note(project, note, z, path)
    project.source_sets = _source_sets(_child(root, "Sets"))
    graphs_el, links_el = _child(root, "Graphs"), _child(root, "Links")
    project.graphs = len(_children(graphs_el, "Graph")) if graphs_el is not None else 0
    project.links = _links(links_el) if links_el is not None else []
    return project


def _source_sets(sets_el) -> list[tuple[str, list[str]]]:
    """Sets of sources only (MAXQDA's document groups and sets): their names and members (by `targetGUID`:
    ATLAS.ti's `guid` is mended to it before, in _check_schema)."""
    out = []
    for s in _children(sets_el, "Set") if sets_el is not None else []:
        if _child(s, "MemberCode") is None and _child(s, "MemberSource") is not None:
            out.append(((s.get("name") or "").strip(), _refs(s, "MemberSource")))
    return out


def _links(el) -> list[tuple[str, str]]:
    return [(_guid(link, "originGUID"), _guid(link, "targetGUID")) for link in _children(el, "Link")]


def _twice(path: Path, what: str, guid: str, line: int | None) -> ExportError:
    at = f" (line {line})" if line else ""
    return ExportError(
        f'"{path}": two {what} have the GUID {guid}{at}, which the REFI-QDA standard makes unique, so whose '
        "work is whose cannot be told. The file is damaged: export it again."
    )


def _add_user(project: ProjectIn, u, path: Path) -> None:
    guid = _guid(u)
    if guid in project.users:
        raise _twice(path, "users", guid, u.sourceline)
    project.users[guid] = (u.get("name") or u.get("id") or "").strip()


def _add_variable(project: ProjectIn, v, path: Path) -> None:
    guid = _guid(v)
    if guid in project.variables:  # whose value is whose cannot be told
        raise _twice(path, "variables", guid, v.sourceline)
    name = (v.get("name") or "").strip()
    if len(name) > _SHOWN_MAX:  # an attribute name of megabytes, repeated in every message that names it
        long = sum(n.startswith("variable-") for n, _ in project.variables.values()) + 1
        project.quirks.append(
            f"variable {guid}'s name is {len(name):,} characters long, too long to be an attribute name: it "
            f'becomes attribute "variable-{long}". Rename it with the other tool if it matters.'
        )
        name = f"variable-{long}"
    project.variables[guid] = (name, v.get("typeOfVariable") or "Text")


def _add_note(project: ProjectIn, el, z: _Zip, path: Path) -> None:
    guid = _guid(el)
    if guid in project.notes:  # which one a NoteRef means cannot be told
        raise _twice(path, "notes", guid, el.sourceline)
    project.notes[guid] = _note(el, z, path)


def _finish(project: ProjectIn, path: Path) -> ProjectIn:
    """Refuse a source GUID given twice; link each case to the sources coded with it: NVivo writes a case
    as a node of the code tree too, with the case's GUID, and codes its sources (or passages) with it."""
    seen: set[str] = set()
    for source in project.sources:
        if source.guid in seen:
            raise _twice(path, "sources", source.guid, None)
        seen.add(source.guid)
    cases = {case.guid for case in project.cases if case.guid}
    _check_linked_kinds(project, cases, path)
    coded: dict[str, list[str]] = {}
    for source in project.sources if cases else []:
        for code in [*source.source_codes, *(c.code for sel in source.selections for c in sel.codings)]:
            if code in cases:
                coded.setdefault(code, []).append(source.guid)
    for case in project.cases:
        if case.guid in coded:
            case.sources = list(dict.fromkeys(case.sources + coded[case.guid]))
    return project


def _check_linked_kinds(project: ProjectIn, cases: set[str], path: Path) -> None:
    """Refuse a Link naming a GUID that two kinds of item a note can be attached to hold (a source and a
    selection, a selection and a code, a note and a source): its note went to each of them, a memo counted
    twice and on the wrong item. A GUID shared otherwise is read: NVivo gives a case its code node's GUID
    (a case is no code here), and users, variables and cases are only ever named by references of their
    own kind."""
    if not project.links:
        return
    kinds: dict[str, list[str]] = {}
    codes = project.tree.by_guid if project.tree is not None else {}
    for kind, guids in (
        ("a source", (s.guid for s in project.sources)),
        ("a selection", (sel.guid for s in project.sources for sel in s.selections)),
        ("a code", (g for g in codes if g not in cases)),
        ("a note", project.notes),
    ):
        for guid in dict.fromkeys(guids):
            kinds.setdefault(guid, []).append(kind)
    for origin, target in project.links:
        for guid in (origin, target):
            if len(held := kinds.get(guid, ())) > 1:
                raise ExportError(
                    f'"{path}": a Link names the GUID {guid}, held by both {" and ".join(held)}, where the REFI-QDA '
                    "standard makes GUIDs unique, so which item its note belongs to cannot be told. "
                    "The file is damaged: export it again."
                )


def _value(vv) -> tuple[str, str]:
    ref = _child(vv, "VariableRef")
    value = next((c for c in vv if local_name(c).endswith("Value")), None)
    text = (value.text or "").strip() if value is not None else ""
    return normalise_guid(ref.get("targetGUID")), _canonical(
        local_name(value), text
    ) if value is not None else ""


def _canonical(element: str, text: str) -> str:
    """A typed value in the one spelling wei-qual writes for its type, so that it is exported with the
    same type again: XML Schema also spells a boolean 1 or 0, an integer 007 and a float 3 or 1E3."""
    import decimal

    if element == "BooleanValue" and text.lower() in ("1", "true", "0", "false"):
        return "true" if text.lower() in ("1", "true") else "false"
    try:
        if element == "IntegerValue":
            return str(int(text))
        if element == "FloatValue":
            number = decimal.Decimal(text)
            if number.is_finite():
                spelled = format(number, "f")
                return spelled if "." in spelled else spelled + ".0"
    except (ValueError, decimal.InvalidOperation):
        pass
    return text


_POSITION_DIGITS = 18  # no text has a quintillion characters; int() refuses past 4,300 digits (a traceback)


def _position(sel, attr: str, path: Path) -> int:
    """A selection's startPosition or endPosition (an xsd:integer: a sign and leading zeros allowed); a
    one-line error for a number no text could have, which would otherwise stop the import in a traceback."""
    text = (sel.get(attr) or "").strip()
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > _POSITION_DIGITS:
        raise ExportError(
            f'"{path}", line {sel.sourceline}: a selection\'s {attr} has {len(digits):,} digits, more than any '
            "text has characters, so the file is damaged or was not written by a QDA tool. Export it again."
        )
    return int(text)


def _note(el, z: _Zip, path: Path) -> NoteIn:
    """A <Note> element as read, in the streamed and the whole-file reading alike."""
    return NoteIn(
        guid=_guid(el),
        name=(el.get("name") or "").strip(),
        text=_note_text(el, z, path),
        user=_guid(el, "creatingUser") or None,
        created=el.get("creationDateTime"),
        modified=el.get("modifiedDateTime"),
        anchors=[
            (_position(sel, "startPosition", path), _position(sel, "endPosition", path))
            for sel in _children(el, "PlainTextSelection")
            if _child(sel, "Coding") is None
        ],
    )


def _note_text(note, z: _Zip, path: Path) -> str:
    content = _child(note, "PlainTextContent")
    if content is not None:
        return content.text or ""
    location = note.get("plainTextPath")
    if location:
        member = z.find(location)
        if member is None:
            raise ExportError(
                f'"{path}": note {_shown(note.get("name") or note.get("guid") or "", "name")} refers to {_shown(location)}, which is not in '
                "the archive. Export the project again with its notes."
            )
        return (
            _decode(z.read(member), f'"{path}": {_shown(member, "name")}')
            .replace("\r\n", "\n")
            .replace("\r", "\n")
        )
    return _text(note, "Description")


def _counting(
    raw: str,
    default: OffsetMap,
    spans: list[tuple[int, int]],
    *,
    code_points: bool = False,
    names: Sequence[str] = (),
    sliced_names: bool = False,
) -> tuple[OffsetMap, str]:
    """How a tool counted the positions of a source, where tools differ and the file does not say: a \\r\\n
    as two characters (NVivo) or one (ATLAS.ti), and a character outside the BMP (an emoji) as one (code
    points: Python) or two (UTF-16 units: .NET, Cocoa and Qt, whose text cursor QualCoder takes its positions
    from). `default` is the tool's known way. A counting some selection does not fit (past the end, or inside
    a character) is ruled out; among the others, the one under which more selections hold the text their
    `names` give (QualCoder names a selection by its text, ATLAS.ti by its first words and "...") is taken,
    then the one whose selections cut fewer words; the default among equals. Returns the map and what to say:
    "" (the default, or no difference), "ambiguous" (emoji, and UTF-16 units fit as well), or how the taken
    counting differs ("utf-16", "lines as one", "lines as two", "lf as two", joined by "+"). With `code_points`
    (wei-qual's own files), only the line ends are in question.

    A text whose line ends are single characters (\\n) may still have been counted with two per line end:
    NVivo for Windows counts its text's \\r\\n as two, and a copy of the archive's text converted to \\n
    (an unzipped project kept in git, which may convert line ends on commit, zipped again) keeps them.
    Read the usual way, every passage after the first line end lands a character later per line above it.
    So that counting ("lf as two") is tried too, and taken only when it fits clearly better: more selections
    holding the text their names give, or at least two fewer word boundaries cut.

    `sliced_names` (QualCoder): a name may be the text QualCoder's import recorded for a selection it took
    from another tool, sliced in code points at positions its coding screen counts in UTF-16 units; so a
    name that is that slice counts for UTF-16 units as well, and only a name Qt recorded (a passage coded
    in QualCoder after an emoji) tells the two apart."""
    text, _ = normalise_text(raw, lines_count_one=default.lines_count_one)
    line_ways = [default.lines_count_one] + ([not default.lines_count_one] if default.removed else [])
    candidates = []
    for lines_one in line_ways:
        m = normalise_text(raw, lines_count_one=lines_one)[1]
        candidates += [m] if code_points else _emoji_ways(m, raw)
    crlf = raw.replace("\n", "\r\n")
    lf_as_two = sorted(  # the tool's way of counting emoji first, so it is taken among equals
        _emoji_ways(normalise_text(crlf, lines_count_one=False)[1], crlf)
        if not code_points and "\n" in raw and "\r" not in raw
        else [],
        key=lambda m: _emoji_way(m) != _emoji_way(default),
    )

    def fits(m: OffsetMap) -> bool:
        return all(
            0 <= a <= b <= m.length and not m.splits_pair(a) and not m.splits_pair(b) for a, b in spans
        )

    def cuts(m: OffsetMap) -> int:
        return sum(cuts_a_word(text, m.to_text(p)) for a, b in spans if a < b for p in (a, b))

    def said(m: OffsetMap) -> str:
        parts = [_emoji_way(m)] if _emoji_way(m) != _emoji_way(default) else []
        if m.removed and not default.removed:
            parts.append("lf as two")
        elif m.lines_count_one != default.lines_count_one:
            parts.append("lines as one" if m.lines_count_one else "lines as two")
        return "+".join(parts)

    # A selection no counting fits (past the end however counted: a source edited after coding) is lost
    # by the caller; it says nothing about how the others were counted.
    named = list(zip(spans, names)) if names else [(span, "") for span in spans]
    named = [
        ((a, b), name)
        for (a, b), name in named
        if any(0 <= a <= b <= m.length and not m.splits_pair(a) and not m.splits_pair(b) for m in candidates)
    ]
    spans = [span for span, _ in named]
    quoted = [(span, quote) for span, name in named if (quote := _quoted(name))]

    def agree(m: OffsetMap) -> int:
        if sliced_names and m.utf16:  # a name QualCoder's import sliced is no evidence against its positions
            cp = dataclasses.replace(m, utf16=False, nvivo=False)
            return sum(
                _says(quote, text[m.to_text(a) : m.to_text(b)])
                or _says(quote, text[cp.to_text(a) : cp.to_text(b)])
                for (a, b), quote in quoted
            )
        return sum(_says(quote, text[m.to_text(a) : m.to_text(b)]) for (a, b), quote in quoted)

    fitting = [m for m in candidates if fits(m)]
    two = min(
        (m for m in lf_as_two if fits(m)), key=lambda m: (-agree(m), cuts(m)), default=None
    )  # the first among equals: the tool's emoji way
    if two is not None and spans:
        held, cut = agree(two), cuts(two)
        if all(held > agree(m) or (held == agree(m) and cut + 2 <= cuts(m)) for m in fitting):
            return two, said(two)
    if not fitting:
        return default, ""
    scores = [(-agree(m), cuts(m)) for m in fitting]

    def score(m: OffsetMap) -> tuple[int, int]:
        return scores[fitting.index(m)]  # an equal map has an equal score

    best = min(fitting, key=score)  # the first among equals: the default
    if default in fitting and score(default) == score(best):
        best = default
    # Other countings that fit as well and put some selection elsewhere: a tie the default breaks, said.
    # One may count line ends otherwise: an emoji counted as two makes up for a \\r\\n counted as one.
    tied = [
        m
        for m in (fitting if best == default else ())
        if score(m) == score(default)
        and any(m.to_text(p) != default.to_text(p) for span in spans for p in span)
    ]
    if tied:
        lines = any(m.lines_count_one != default.lines_count_one for m in tied)
        if lines and not any(m.astral for m in candidates) and "\ufe0f" not in text:
            return default, "ambiguous lines+" + (
                "lines as one" if default.lines_count_one else "lines as two"
            )
        return default, f"ambiguous {_emoji_way(default)}" + (
            ("+lines as one" if default.lines_count_one else "+lines as two") if lines else ""
        )
    return best, said(best)


def _emoji_ways(m: OffsetMap, raw: str) -> list[OffsetMap]:
    """The map counting emoji as code points, and those counting them as UTF-16 units and as NVivo does,
    where they differ."""
    ways = [m] + ([m.in_utf16()] if m.astral else [])
    extra = nvivo_extra(counted_text(raw, lines_count_one=m.lines_count_one))
    return ways + ([m.in_nvivo(extra)] if extra and extra != m.astral else [])


def _emoji_way(m: OffsetMap) -> str:
    return "nvivo" if m.nvivo else "utf-16" if m.utf16 else "code points"


_SPACES = re.compile(r"[\s\u2028\u2029]+")
_ELLIPSIS = ("...", "\u2026")


def _quoted(name: str) -> tuple[str, bool] | None:
    """A selection's name as the text it claims to select: (the words, whether it is only their start, cut
    with "..."), or None when it says too little to tell (empty, or a few characters)."""
    words = _SPACES.sub(" ", name).strip()
    start = words.endswith(_ELLIPSIS)
    if start:
        words = words.removesuffix("...").removesuffix("\u2026").rstrip()
    return (words, start) if sum(c.isalnum() for c in words) >= 3 else None


def _says(quote: tuple[str, bool], selected: str) -> bool:
    """Whether the selected text is the one the name quotes, line ends and spaces aside (XML reads a line end
    in an attribute as a space; Qt gives a selection's paragraph breaks as U+2029)."""
    words, start = quote
    text = _SPACES.sub(" ", selected).strip()
    return text.startswith(words) if start else text == words


def _unreconciled(
    text: str, offsets: OffsetMap, selections: list, names: list[str]
) -> list[tuple[str, int, int]]:
    """The selections (GUID, start, end as written) whose name, the text QualCoder recorded for them, is not
    the text at their positions as they are read. QualCoder's import records a passage's text by slicing
    its text in Python (code points) at positions it keeps as the other tool wrote them, while its coding
    screen counts them in UTF-16 units: a name that is that slice is QualCoder's, not a moved passage."""
    cp = dataclasses.replace(offsets, utf16=False, nvivo=False) if offsets.utf16 else None
    out = []
    for (sel, a, b), name in zip(selections, names):
        quote = _quoted(name)
        if (
            quote
            and 0 <= a <= b <= offsets.length
            and not _says(quote, text[offsets.to_text(a) : offsets.to_text(b)])
            and not (cp is not None and b <= cp.length and _says(quote, text[cp.to_text(a) : cp.to_text(b)]))
        ):
            out.append((_guid(sel), a, b))
    return out


# Fewer edges inside words may be a coder's loose selections; more than half of them is not.
_POOR_FIT_CUTS = 4


def _utf8_cuts(raw: str, spans: list[tuple[int, int]], text: str) -> int | None:
    """How many of the selections' edges fall inside a word if their positions count UTF-8 bytes of the
    file's text; None when one falls inside a character's bytes or past the end (bytes do not fit)."""
    data = raw.encode("utf-8")
    m = normalise_text(raw)[1]  # code points of the file's text (a \r\n two) -> positions in `text`
    at: dict[int, int] = {}
    done = chars = 0
    for p in sorted({p for span in spans for p in span}):
        if p > len(data) or (p < len(data) and 0x80 <= data[p] < 0xC0):
            return None
        chars += len(data[done:p].decode("utf-8"))
        done, at[p] = p, chars
    return sum(cuts_a_word(text, m.to_text(at[p])) for span in spans for p in span)


def _poorly_fit(
    raw: str, text: str, offsets: OffsetMap, spans: list[tuple[int, int]]
) -> tuple[int, int, str] | None:
    """(edges cut, edges, "utf-8" or "") when the selections' edges fall inside words, or between a letter
    and its accent, as the positions are read: "utf-8" when they would not as UTF-8 bytes (a script's way,
    C's, Go's or Rust's: no QDA tool's), "" when more than half of them (and at least _POOR_FIT_CUTS) do.
    None otherwise. Coders select words: in the real NVivo exports and in every fixture no edge or one in
    six is cut. A tool counting otherwise than every way tried (bytes, characters as they show as Swift
    counts them, text normalised to NFC) lands most edges inside words, however the best way tried reads
    them: said, never silent."""
    spans = [(a, b) for a, b in spans if 0 <= a < b <= offsets.length]
    cut = edges = 0
    for a, b in spans:
        for p in (offsets.to_text(a), offsets.to_text(b)):
            if 0 < p < len(text):
                edges += 1
                cut += cuts_a_word(text, p)
    if cut >= 2 and not raw.isascii():  # the usual file cuts none: nothing more to look at
        as_bytes = _utf8_cuts(raw, spans, text)
        if as_bytes is not None and as_bytes * 4 <= cut - 2:
            return cut, edges, "utf-8"
    return (cut, edges, "") if cut >= _POOR_FIT_CUTS and 2 * cut > edges else None


def _read_text_source(
    src,
    z: _Zip,
    path: Path,
    line_ends_count_one: bool,
    code_points: bool = False,
    names_are_text: bool = False,
    nvivo: bool = False,
    declared: Counting | None = None,
    utf16: bool = False,
) -> TextSourceIn:
    """A <TextSource> as read. `names_are_text`: the tool names each selection by the text it selects
    (QualCoder does), so a selection whose name is not its text is reported. `nvivo`: NVivo wrote it, so
    its emoji are first taken to count as NVivo counts them (layout.nvivo_extra); `utf16`: as two UTF-16
    units, as `project export --for` writes them for ATLAS.ti, MAXQDA and QualCoder (layout.COUNTINGS).
    `declared`: the counting a wei-qual file's origin names (`project export --for`), read as it says, with
    nothing to find out."""
    name = (src.get("name") or "").strip()
    long_name = len(name) if len(name) > _SHOWN_MAX else 0
    if long_name:  # no transcript id, nor a line of every message that names the source
        name = ""
    label = name or src.get("guid") or ""
    content = _child(src, "PlainTextContent")
    location = src.get("plainTextPath")
    raw = b""
    if content is not None and not location:
        member, text = "PlainTextContent", content.text or ""
        raw = text.encode("utf-8")
    elif location:
        member = z.find(location)
        if member is None:
            raise ExportError(
                f'"{path}": source {_shown(label, "name")} refers to {_shown(location)}, which is not in the archive. '
                "Export the project again with its sources embedded."
            )
        raw = z.read(member)
        text = _decode(raw, f'"{path}": {_shown(member, "name")}')
    else:
        member, text = "", ""
    rich = src.get("richTextPath")
    if not text.strip() and rich:  # NVivo for Mac: an empty .txt, the text in the .docx
        member = z.find(rich)
        if member is None:
            raise ExportError(
                f'"{path}": source {_shown(label, "name")} refers to {_shown(rich)}, which is not in the archive. '
                "Export the project again with its sources embedded."
            )
        raw = z.read(member)
        text = _docx_text(raw, f'"{path}": {_shown(member, "name")}')
    raw_text = text
    exact = declared is not None and declared is not STANDARD
    if exact:
        text, offsets = counting_map(text, declared)
    else:
        text, offsets = normalise_text(text, lines_count_one=line_ends_count_one)
    source = TextSourceIn(
        guid=_guid(src),
        name=name,
        member=member,
        text=text,
        raw=raw,
        user=_guid(src, "creatingUser") or None,
        note_refs=_refs(src),
        values=[_value(vv) for vv in _children(src, "VariableValue")],
        description=_text(src, "Description"),
        source_codings=len(_children(src, "Coding")),
        source_codes=[_guid(_child(c, "CodeRef"), "targetGUID") for c in _children(src, "Coding")],
        offsets=offsets,
        long_name=long_name,
    )
    selections = [
        (sel, _position(sel, "startPosition", path), _position(sel, "endPosition", path))
        for sel in src.iterchildren(Q + "PlainTextSelection")
    ]
    names = [sel.get("name") or "" for sel, _, _ in selections]
    if (
        nvivo and not code_points and not exact
    ):  # NVivo's own way of counting emoji (nvivo_extra), unless it does not fit
        extra = nvivo_extra(counted_text(raw_text, lines_count_one=line_ends_count_one))
        if extra:  # the same as UTF-16's when every emoji is one character: then said as UTF-16 units
            offsets = source.offsets = (
                offsets.in_nvivo(extra) if extra != offsets.astral else offsets.in_utf16()
            )
    elif utf16 and not code_points and not exact and offsets.astral:
        offsets = source.offsets = offsets.in_utf16()
    if (
        selections
        and not exact
        and (
            offsets.removed or (not code_points and (offsets.astral or "\ufe0f" in text or "\n" in raw_text))
        )
    ):
        spans = [(a, b) for _, a, b in selections]
        offsets, source.counting = _counting(
            raw_text, offsets, spans, code_points=code_points, names=names, sliced_names=names_are_text
        )
        source.offsets = offsets
    if names_are_text:
        source.unreconciled = _unreconciled(text, offsets, selections, names)
    if not code_points and not exact:
        source.poor_fit = _poorly_fit(raw_text, text, offsets, [(a, b) for _, a, b in selections])
    for sel, start, end in selections:
        outside = not 0 <= start <= end <= offsets.length
        selection = SelectionIn(
            guid=_guid(sel),
            start=start if outside else offsets.to_text(start),
            end=end if outside else offsets.to_text(end),
            user=_guid(sel, "creatingUser") or None,
            created=_same(sel.get("creationDateTime")),
            name=sel.get("name") or "",
        )
        for child in sel:  # one pass over the children: a study-sized file has tens of thousands
            tag = child.tag
            if tag == _CODING:
                coding = CodingIn(
                    code="",
                    user=_guid(child, "creatingUser") or None,
                    created=_same(child.get("creationDateTime")),
                )
                for part in child:
                    if part.tag == _CODEREF:
                        coding.code = _guid(part, "targetGUID")
                    elif part.tag == _NOTEREF:
                        if not coding.note_refs:
                            coding.note_refs = []
                        coding.note_refs.append(_guid(part, "targetGUID"))
                selection.codings.append(coding)
            elif tag == _NOTEREF:
                selection.note_refs.append(_guid(child, "targetGUID"))
            elif tag == _DESCRIPTION:
                selection.description = child.text or ""
        (source.outside if outside else source.selections).append(selection)
    return source
