"""REFI-QDA codebook (.qdc) export and import.

Export writes `urn:QDA-XML:codebook:1.0` XML that validates against Codebook.xsd (checked with both
xmlschema and lxml, since each lets a different invalid case through). GUIDs are uuid5 of the code id, so
re-exports match. Definition, include, exclude, examples, keywords and patterns are flattened into
Description (labelled lines); parents are not codable (coders apply leaf codes); exclusive groups also
become a Set. Import reads files from NVivo, ATLAS.ti,
MAXQDA and QualCoder whatever namespace or prefix they use, and returns warnings for what is lost.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook.parse import MAX_CODE_DEPTH
from ..errors import ExportError
from ..models import Code, Codebook
from ..safeio import write_bytes_atomic
from .common import ATYPICAL, EXAMPLES, EXCLUDE, ID, INCLUDE, KEYWORDS, LABELS, PATTERNS, flatten_description

NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMAS = Path(__file__).parent / "schemas"
CODEBOOK_XSD = SCHEMAS / "Codebook.xsd"
# Fixed namespace for uuid5: the same code id always gets the same GUID.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:wei-qual:codebook")
EXCLUSIVE_SET = "wei-qual exclusive group"
_SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


def code_guid(code_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"code:{code_id}"))


def qdc_bytes(codebook: Codebook) -> bytes:
    """The .qdc XML document for a codebook."""
    from lxml import etree

    from .. import __version__

    q = f"{{{NS}}}"
    root = etree.Element(q + "CodeBook", nsmap={None: NS})
    root.set("origin", f"wei-qual {__version__}")
    codes = etree.SubElement(root, q + "Codes")

    def add(parent_el, code: Code) -> None:
        el = etree.SubElement(parent_el, q + "Code")
        el.set("guid", code_guid(code.id))
        el.set("name", code.name)
        # Coders apply leaf codes only; a parent (theme, exclusive group) is a heading.
        el.set("isCodable", "false" if codebook.children(code.id) else "true")
        if code.color:
            el.set("color", code.color)
        etree.SubElement(el, q + "Description").text = flatten_description(codebook, code)
        for child in codebook.children(code.id):
            add(el, child)

    for top in codebook.children(None):
        add(codes, top)
    groups = codebook.exclusive_groups()
    if groups:
        sets = etree.SubElement(root, q + "Sets")
        for parent_id, members in groups.items():
            parent = codebook.code(parent_id)
            s = etree.SubElement(sets, q + "Set")
            s.set("guid", str(uuid.uuid5(GUID_NAMESPACE, f"exclusive:{parent_id}")))
            s.set("name", f"{parent.name} (exclusive)")
            etree.SubElement(
                s, q + "Description"
            ).text = f"{EXCLUSIVE_SET} {parent_id}: at most one of these codes per segment."
            for member in members:
                etree.SubElement(s, q + "MemberCode").set("guid", code_guid(member))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@functools.lru_cache(maxsize=4)
def _schemas(xsd: Path):
    """Both compiled schemas for one XSD file (compiling takes a few hundred ms, so once per process)."""
    import xmlschema
    from lxml import etree

    return xmlschema.XMLSchema(str(xsd)), etree.XMLSchema(etree.parse(str(xsd)))


def validate_qdc(data: bytes, xsd: Path = CODEBOOK_XSD) -> list[str]:
    """Schema errors from xmlschema and from lxml (both must pass); empty when valid."""
    from lxml import etree

    xml_schema, schema = _schemas(Path(xsd))
    errors = [f"xmlschema: {e.reason} at {e.path}" for e in xml_schema.iter_errors(data)]
    if not schema.validate(etree.fromstring(data)):
        errors += [f"lxml: line {e.line}: {e.message}" for e in schema.error_log]
    return errors


def write_qdc(codebook: Codebook, path: Path) -> None:
    """Write a schema-valid .qdc file, or raise ExportError (nothing written) if validation fails."""
    data = qdc_bytes(codebook)
    errors = validate_qdc(data)
    if errors:  # a bug in the exporter, never the user's fault; do not write an invalid file
        raise ExportError(
            f"The .qdc export does not validate against Codebook.xsd: {errors[0]}. Please report it."
        )
    write_bytes_atomic(path, data)


# ---- import -------------------------------------------------------------------------------------


@dataclass
class QdcImport:
    codebook: Codebook
    warnings: list[str] = field(default_factory=list)


def _local(el) -> str:
    from lxml import etree

    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "code"
    return slug if slug[0].isalpha() else f"code-{slug}"


def parse_description(text: str) -> dict:
    """Split a flattened wei-qual description back into fields; foreign text becomes the definition."""
    lines = (text or "").strip().splitlines()
    if not lines or not lines[-1].startswith(ID):
        return {"definition": (text or "").strip()}
    fields: dict = {"id": lines[-1][len(ID) :].strip()}
    current, buf = "definition", []
    sections: dict[str, list[str]] = {}
    for line in lines[:-1]:
        label = next((lab for lab in LABELS if line.startswith(lab)), None)
        if label:
            sections[current] = buf
            current, buf = label, [line[len(label) :].strip()] if line[len(label) :].strip() else []
        elif line.startswith("Exclusive group: at most one of"):
            continue  # regenerated from the tree on export
        else:
            buf.append(line)
    sections[current] = buf
    fields["definition"] = "\n".join(sections.get("definition", [])).strip()
    fields["include"] = " ".join(sections.get(INCLUDE, [])).strip()
    fields["exclude"] = " ".join(sections.get(EXCLUDE, [])).strip()
    fields["examples"] = tuple(x[2:] for x in sections.get(EXAMPLES, []) if x.startswith("- "))
    fields["atypical_examples"] = tuple(x[2:] for x in sections.get(ATYPICAL, []) if x.startswith("- "))
    kw = " ".join(sections.get(KEYWORDS, []))
    fields["keywords"] = tuple(k.strip() for k in kw.split(";") if k.strip())
    try:
        fields["patterns"] = tuple(json.loads(" ".join(sections.get(PATTERNS, [])) or "[]"))
    except ValueError:
        fields["patterns"] = ()
    return fields


def read_qdc(path: Path) -> QdcImport:
    """Read a REFI-QDA codebook (or the CodeBook inside a project.qde); raise ExportError if unreadable."""
    from lxml import etree

    path = Path(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError:
        raise ExportError(
            f'Codebook file "{path}" does not exist or cannot be read. Check the path.'
        ) from None
    except etree.XMLSyntaxError as ex:
        line = ex.position[0] if ex.position else "?"
        raise ExportError(
            f'"{path}", line {line}: not well-formed XML ({ex.msg}). Export the codebook again as .qdc.'
        ) from ex
    entities = sum(1 for _ in root.iter(etree.Entity))
    if entities:  # not expanded (that is how entity bombs are defused), so the text after each would be lost
        raise ExportError(
            f'"{path}" contains {entities} XML entity reference(s) ("&name;") declared in its DTD; the text after '
            "each would be lost. Export the codebook again from your QDA tool."
        )
    warnings: list[str] = []
    if _local(root) != "CodeBook":
        found = next((el for el in root.iter() if _local(el) == "CodeBook"), None)
        if found is None:
            raise ExportError(
                f'"{path}" is not a REFI-QDA codebook: its root element is <{_local(root)}>, not <CodeBook>. '
                "Export the codebook from your QDA tool as .qdc."
            )
        root = found
    ns = etree.QName(root).namespace
    if ns not in (NS, PROJECT_NS, None):
        warnings.append(f'unexpected namespace "{ns}" in "{path.name}"; read by element names.')
    codes_el = next((el for el in root if _local(el) == "Codes"), None)
    if codes_el is None or not any(_local(el) == "Code" for el in codes_el):
        raise ExportError(f'"{path}" has no <Codes> with codes. Export a codebook that contains codes.')

    codes: list[Code] = []
    by_guid: dict[str, str] = {}
    used: set[str] = set()
    not_codable: list[str] = []
    foreign: list[str] = []  # codes whose Description is not in wei-qual's labelled layout
    odd_attrs: set[str] = set()
    odd_elements: set[str] = set()

    def walk(el, parent: str | None, depth: int) -> None:
        name = (el.get("name") or "").strip()
        if depth > MAX_CODE_DEPTH:
            raise ExportError(
                f'"{path}": codes are nested more than {MAX_CODE_DEPTH} levels deep (at line {el.sourceline}). '
                "Flatten the code tree in your QDA tool, then export it again."
            )
        desc_el = next((c for c in el if _local(c) == "Description"), None)
        fields = parse_description(desc_el.text if desc_el is not None else "")
        code_id = fields.pop("id", None)
        if code_id is None and fields["definition"]:
            foreign.append(name)
        if not code_id or not _SLUG_RE.match(code_id) or code_id in used:
            base = _slugify(name or "code")
            code_id, n = base, 2
            while code_id in used:
                code_id, n = f"{base}-{n}", n + 1
            if code_id != base:
                warnings.append(f'two codes are named "{name}"; the second gets id "{code_id}".')
        used.add(code_id)
        if not name:
            warnings.append(f'a code has no name; it is called "{code_id}".')
            name = code_id
        color = el.get("color")
        if color:
            color = color.strip()
            if re.fullmatch(r"#[0-9A-Fa-f]{3}", color):
                color = "#" + "".join(ch * 2 for ch in color[1:])
            if re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
                color = color.upper()
            else:
                warnings.append(f'code "{code_id}": colour "{color}" is not #RRGGBB and was dropped.')
                color = None
        if (el.get("isCodable") or "true").strip().lower() in ("false", "0"):
            not_codable.append(code_id)
        for attr in el.attrib:
            if etree.QName(attr).localname not in ("guid", "name", "isCodable", "color"):
                odd_attrs.add(etree.QName(attr).localname)
        for child in el:
            if _local(child) not in ("Description", "Code"):
                odd_elements.add(_local(child))
        if el.get("guid"):
            by_guid[el.get("guid").strip("{}").lower()] = code_id
        codes.append(Code(id=code_id, name=name, parent=parent, color=color, **fields))
        for child in el:
            if _local(child) == "Code":
                walk(child, code_id, depth + 1)

    for el in codes_el:
        if _local(el) == "Code":
            walk(el, None, 1)

    parent_of = {c.id: c.parent for c in codes}
    kids = Counter(c.parent for c in codes)  # counted once: a per-code scan made big imports quadratic
    exclusive: set[str] = set()
    sets_el = next((el for el in root if _local(el) == "Sets"), None)
    for s in sets_el if sets_el is not None else []:
        if _local(s) != "Set":
            continue
        desc = next((c.text or "" for c in s if _local(c) == "Description"), "")
        members = [
            by_guid.get((m.get("guid") or "").strip("{}").lower()) for m in s if _local(m) == "MemberCode"
        ]
        parents = {parent_of[m] for m in members if m in parent_of}
        if (
            desc.startswith(EXCLUSIVE_SET)
            and None not in members
            and len(parents) == 1
            and None not in parents
        ):
            exclusive |= parents
        else:
            warnings.append(
                f'set "{s.get("name", "")}" ({len(members)} codes) was not carried over: '
                "wei-qual codebooks have no code sets."
            )
    final = []
    for c in codes:
        if c.id in exclusive and kids[c.id] >= 2:
            final.append(dataclasses.replace(c, exclusive=True))
        else:
            final.append(c)
    parents = {c.parent for c in codes}
    lost = [c for c in not_codable if c not in parents]  # parents are headings in wei-qual anyway
    if lost:
        warnings.append(
            f"{len(lost)} code(s) without children are not codable in the source (isCodable=false) but can be "
            f"applied in wei-qual: {', '.join(lost)}."
        )
    if foreign:
        warnings.append(
            f"{len(foreign)} code description(s) became definitions; split out include, exclude and examples "
            "by hand."
        )
    if odd_attrs:
        warnings.append(f"code attributes not carried over: {', '.join(sorted(odd_attrs))}.")
    if odd_elements:
        warnings.append(f"code elements not carried over: {', '.join(sorted(odd_elements))}.")
    return QdcImport(Codebook(name=f"Imported from {path.name}", version="1", codes=tuple(final)), warnings)
