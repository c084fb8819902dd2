"""Read a .qdpx into plain data: the parsed, schema-checked project.qde and the text of its sources.

Tolerates what real exports from NVivo, ATLAS.ti, MAXQDA and QualCoder do differently: GUIDs in either
case, with or without braces; a missing isCodable; `internal://` or bare source paths, `sources/` or
`Sources/`; an empty .txt next to the .docx that holds the text (NVivo for Mac); a BOM before the XML;
users referenced but not declared. Anything else that breaks the schema is an error naming its line.
The XML parser resolves no entities, loads no DTD and reads nothing from the network.
"""

from __future__ import annotations

import functools
import gc
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError
from ..export.codetree import CodeTree, local_name, normalise_guid, parse_code_tree
from .layout import normalise_text
from .vocabulary import NS, QDE, Q
from .zipio import open_zip

WHAT = "REFI-QDA project (.qdpx)"
OTHER_SOURCES = {
    "PDFSource": "PDF sources",
    "PictureSource": "picture sources",
    "AudioSource": "audio sources",
    "VideoSource": "video sources",
}


@dataclass(slots=True)  # tens of thousands of them in a study-sized file
class CodingIn:
    code: str  # normalised GUID of the code
    user: str | None
    created: str | None
    note_refs: list[str] = field(default_factory=list)


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
    note_refs: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable GUID, value text)
    description: str = ""


@dataclass
class CaseIn:
    name: str
    values: list[tuple[str, str]]
    sources: list[str]  # normalised source GUIDs (SourceRef, or the source of a SelectionRef)
    code_refs: int = 0


@dataclass
class NoteIn:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None


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
    links: int = 0
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


def _guid(el, attr: str = "guid") -> str:
    return _normal(el.get(attr))


def _refs(el, name: str = "NoteRef") -> list[str]:
    return [normalise_guid(r.get("targetGUID")) for r in _children(el, name)]


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
            if candidate.casefold() in self.names:
                return self.names[candidate.casefold()]
        return None

    def read(self, member: str) -> bytes:
        return self.archive.read(member)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as ex:
        line = data.count(b"\n", 0, ex.start) + 1
        raise ExportError(
            f"{where}, line {line}: the text is not UTF-8. Export the project again (REFI-QDA sources are UTF-8)."
        ) from None


def _docx_text(data: bytes, where: str) -> str:
    import docx  # heavy: only for NVivo for Mac's empty .txt sources

    try:
        document = docx.Document(io.BytesIO(data))
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
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as ex:
        line = ex.position[0] if ex.position else "?"
        raise ExportError(
            f"{where}, line {line}: not well-formed XML ({ex.msg}). Export the project again as REFI-QDA .qdpx."
        ) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ExportError(
            f"{where} declares a DTD (<!DOCTYPE>), which REFI-QDA files never do, and wei-qual does not read one. "
            "Export the project again from your QDA tool."
        )
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
        quirks.append(f"{missing} code(s) have no isCodable attribute; they are read as codable.")
    schema = project_schema()
    if not schema.validate(root):
        e = schema.error_log[0]
        raise ExportError(
            f"{where}, line {e.line}: does not follow the REFI-QDA project schema ({e.message}). "
            "Export the project again, or report the file to the tool that wrote it."
        )


def read_qdpx(path: Path) -> ProjectIn:
    """Read and check a .qdpx; raise ExportError with one line naming the file (and line) when malformed."""
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
        where = f'"{path}": {qde}'
        root = _parse_xml(z.read(qde), where)
        quirks: list[str] = []
        _check_schema(root, where, quirks)
        gc.disable()  # hundreds of thousands of small acyclic objects: repeated full collections cost seconds
        try:
            return _read_project(root, z, path, quirks)
        finally:
            gc.enable()


def _read_project(root, z: _Zip, path: Path, quirks: list[str]) -> ProjectIn:
    project = ProjectIn(
        path=str(path),
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        description=_text(root, "Description"),
        users={},
        tree=None,
        code_notes={},
        variables={},
        cases=[],
        sources=[],
        notes={},
        project_note_refs=_refs(root),
        quirks=quirks,
    )
    users_el = _child(root, "Users")
    for u in _children(users_el, "User") if users_el is not None else []:
        project.users[_guid(u)] = (u.get("name") or u.get("id") or "").strip()
    book = _child(root, "CodeBook")
    if book is not None:
        codes_el = _child(book, "Codes")
        project.tree = parse_code_tree(codes_el, _child(root, "Sets"), extra_children=("NoteRef",))
        for code in codes_el.iter(f"{{{NS}}}Code"):
            refs = _refs(code)
            if refs:
                project.code_notes[_guid(code)] = refs
    variables_el = _child(root, "Variables")
    for v in _children(variables_el, "Variable") if variables_el is not None else []:
        project.variables[_guid(v)] = ((v.get("name") or "").strip(), v.get("typeOfVariable") or "Text")
    selection_source: dict[str, str] = {}
    sources_el = _child(root, "Sources")
    line_ends_count_one = "atlas" in project.origin.casefold()  # ATLAS.ti counts \r\n as one character
    for src in list(sources_el) if sources_el is not None else []:
        kind = local_name(src)
        if kind == "TextSource":
            source = _read_text_source(src, z, path, line_ends_count_one)
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
            )
        )
    notes_el = _child(root, "Notes")
    for note in _children(notes_el, "Note") if notes_el is not None else []:
        project.notes[_guid(note)] = NoteIn(
            guid=_guid(note),
            name=(note.get("name") or "").strip(),
            text=_note_text(note, z, path),
            user=_guid(note, "creatingUser") or None,
            created=note.get("creationDateTime"),
            modified=note.get("modifiedDateTime"),
        )
    graphs_el, links_el = _child(root, "Graphs"), _child(root, "Links")
    project.graphs = len(_children(graphs_el, "Graph")) if graphs_el is not None else 0
    project.links = len(_children(links_el, "Link")) if links_el is not None else 0
    return project


def _value(vv) -> tuple[str, str]:
    ref = _child(vv, "VariableRef")
    value = next((c for c in vv if local_name(c).endswith("Value")), None)
    return normalise_guid(ref.get("targetGUID")), ((value.text or "").strip() if value is not None else "")


def _note_text(note, z: _Zip, path: Path) -> str:
    content = _child(note, "PlainTextContent")
    if content is not None:
        return content.text or ""
    location = note.get("plainTextPath")
    if location:
        member = z.find(location)
        if member is None:
            raise ExportError(
                f'"{path}": note "{note.get("name") or note.get("guid")}" refers to "{location}", which is not in '
                "the archive. Export the project again with its notes."
            )
        return _decode(z.read(member), f'"{path}": {member}').replace("\r\n", "\n").replace("\r", "\n")
    return _text(note, "Description")


def _read_text_source(src, z: _Zip, path: Path, line_ends_count_one: bool) -> TextSourceIn:
    name = (src.get("name") or "").strip()
    label = name or src.get("guid")
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
                f'"{path}": source "{label}" refers to "{location}", which is not in the archive. '
                "Export the project again with its sources embedded."
            )
        raw = z.read(member)
        text = _decode(raw, f'"{path}": {member}')
    else:
        member, text = "", ""
    rich = src.get("richTextPath")
    if not text.strip() and rich:  # NVivo for Mac: an empty .txt, the text in the .docx
        member = z.find(rich)
        if member is None:
            raise ExportError(
                f'"{path}": source "{label}" refers to "{rich}", which is not in the archive. '
                "Export the project again with its sources embedded."
            )
        raw = z.read(member)
        text = _docx_text(raw, f'"{path}": {member}')
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
    )
    for sel in src.iterchildren(Q + "PlainTextSelection"):
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        if not 0 <= start <= end <= offsets.length:
            raise ExportError(
                f'"{path}": project.qde, line {sel.sourceline}: a selection of source "{label}" runs from '
                f"{start} to {end}, outside its text (0 to {offsets.length}). Export the project again."
            )
        selection = SelectionIn(
            guid=_guid(sel),
            start=offsets.to_text(start),
            end=offsets.to_text(end),
            user=_guid(sel, "creatingUser") or None,
            created=sel.get("creationDateTime"),
        )
        for child in sel:  # one pass over the children: a study-sized file has tens of thousands
            tag = child.tag
            if tag == _CODING:
                coding = CodingIn(
                    code="", user=_guid(child, "creatingUser") or None, created=child.get("creationDateTime")
                )
                for part in child:
                    if part.tag == _CODEREF:
                        coding.code = _guid(part, "targetGUID")
                    elif part.tag == _NOTEREF:
                        coding.note_refs.append(_guid(part, "targetGUID"))
                selection.codings.append(coding)
            elif tag == _NOTEREF:
                selection.note_refs.append(_guid(child, "targetGUID"))
            elif tag == _DESCRIPTION:
                selection.description = child.text or ""
        source.selections.append(selection)
    return source
