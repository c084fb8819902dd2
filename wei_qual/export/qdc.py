"""REFI-QDA codebook (.qdc) export and import.

Export writes `urn:QDA-XML:codebook:1.0` XML that validates against Codebook.xsd (checked with both
xmlschema and lxml, since each lets a different invalid case through). The code tree itself is written and
read by codetree.py, which `project export` and `project import` share, so the two formats never disagree.
GUIDs are uuid5 of the code id (of the project and code id when exported from a project), so re-exports
match. Import reads files from NVivo, ATLAS.ti, MAXQDA and QualCoder whatever namespace or prefix they
use, and returns warnings for what is lost.
"""

from __future__ import annotations

import functools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, xml_error_place, xml_limit
from ..models import Codebook, plural
from ..safeio import MAX_TABLE_BYTES, require_file, write_bytes_atomic
from .codetree import (
    CODEBOOK_GUIDS,
    EXCLUSIVE_SET,
    GUID_NAMESPACE,
    Guids,
    add_code_tree,
    add_exclusive_sets,
    parse_code_tree,
)
from .codetree import local_name as _local
from .common import parse_description

NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMAS = Path(__file__).parent / "schemas"
CODEBOOK_XSD = SCHEMAS / "Codebook.xsd"
__all__ = [
    "EXCLUSIVE_SET",
    "GUID_NAMESPACE",
    "code_guid",
    "parse_description",
    "qdc_bytes",
    "read_qdc",
    "validate_qdc",
    "write_qdc",
]


def code_guid(code_id: str) -> str:
    """The GUID of a code in a codebook exported on its own."""
    return CODEBOOK_GUIDS.code(code_id)


def qdc_bytes(codebook: Codebook, *, guids: Guids = CODEBOOK_GUIDS) -> bytes:
    """The .qdc XML document for a codebook."""
    from lxml import etree

    from .. import __version__

    root = etree.Element(f"{{{NS}}}CodeBook", nsmap={None: NS})
    root.set("origin", f"wei-qual {__version__}")
    add_code_tree(root, codebook, ns=NS, guids=guids)
    add_exclusive_sets(root, codebook, ns=NS, guids=guids, member_attr="guid")
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


def write_qdc(codebook: Codebook, path: Path, *, guids: Guids = CODEBOOK_GUIDS) -> None:
    """Write a schema-valid .qdc file, or raise ExportError (nothing written) if validation fails."""
    data = qdc_bytes(codebook, guids=guids)
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


def read_qdc(path: Path) -> QdcImport:
    """Read a REFI-QDA codebook (or the CodeBook inside a project.qde); raise ExportError if unreadable."""
    from lxml import etree

    path = Path(path)
    # lxml would block on a named pipe, read a device for ever, or hold a huge file's tree whole
    require_file(path, error=ExportError, max_bytes=MAX_TABLE_BYTES, what="a codebook")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except OSError:
        raise ExportError(
            f'Codebook file "{path}" does not exist or cannot be read. Check the path.'
        ) from None
    except etree.XMLSyntaxError as ex:
        if zipfile.is_zipfile(path):  # a .qdpx: a whole project, zipped
            raise ExportError(
                f'"{path}" is a zipped REFI-QDA project (.qdpx), not a codebook (.qdc). Import it with '
                '"wei-qual project import", or export the codebook alone from your QDA tool as .qdc.'
            ) from None
        if limit := xml_limit(ex):
            raise ExportError(f'"{path}", {xml_error_place(ex)}: {limit}') from None
        raise ExportError(
            f'"{path}", {xml_error_place(ex)}: not well-formed XML (an unescaped < or & in text, or a damaged '
            "file). Export the codebook again as .qdc."
        ) from None
    entities = sum(1 for _ in root.iter(etree.Entity))
    if entities:  # not expanded (that is how entity bombs are defused), so the text after each would be lost
        raise ExportError(
            f'"{path}" contains {plural(entities, "XML entity reference")} ("&name;") declared in its DTD; the text after '
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
    sets_el = next((el for el in root if _local(el) == "Sets"), None)
    tree = parse_code_tree(codes_el, sets_el, source=str(path))
    warnings += tree.warnings
    return QdcImport(
        Codebook(name=f"Imported from {path.name}", version="1", codes=tuple(tree.codes)), warnings
    )
