"""Build .docx files for the tests from WordprocessingML written as Word itself writes it: the namespaces
Word 2016 and later declare on w:document (most of them unused, and named in mc:Ignorable), rsid
attributes on paragraphs and runs, `xml:space="preserve"` on a w:t with spaces at its ends, headers and
footers in parts of their own, and the parts, relationships and content types a Word file has.
python-docx writes far less than Word does, so a reader tested on its files only may trip on Word's.
All text is fictional.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

# The root element Word writes, namespaces and all (Word 2019, Microsoft 365).
DOCUMENT_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<w:document xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14 w15 w16se wp14"><w:body>'
)
SECTION = (
    '<w:sectPr w:rsidR="00C21E4B"><w:pgSz w:w="12240" w:h="15840"/>'
    '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" '
    'w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
)
CHANGE = 'w:author="Dana Whitfield" w:date="2024-03-14T09:12:00Z"'  # who made a tracked change, and when


def run(text: str, *, rsid: str = "00C21E4B", props: str = "") -> str:
    """A run as Word writes it: xml:space="preserve" only on a w:t with a space at either end."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r w:rsidRPr="{rsid}">{rpr}<w:t{space}>{text}</w:t></w:r>'


def para(*runs: str, ppr: str = "", rsid: str = "00C21E4B") -> str:
    """A paragraph with Word's rsid attributes (w14:paraId too) around runs (run() or raw XML)."""
    props = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return (
        f'<w:p w14:paraId="{zlib.crc32("".join(runs).encode()) & 0x7FFFFFFF:08X}" w14:textId="77777777" w:rsidR="{rsid}" '
        f'w:rsidRDefault="{rsid}" w:rsidP="{rsid}">{props}{"".join(runs)}</w:p>'
    )


def cell(*paragraphs: str, width: int = 3000) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>'


def table(*rows: str, widths: tuple[int, ...] = (1800, 1200, 6360)) -> str:
    """A table as Word writes one: its properties, its grid, then its rows (each row() of cell()s)."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def row(*cells: str, header: bool = False) -> str:
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return (
        f'<w:tr w:rsidR="00C21E4B" w14:paraId="1A2B3C4D" w14:textId="77777777">{props}{"".join(cells)}</w:tr>'
    )


_PARTS_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f'{_PARTS_HEAD}<w:styles {_W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/>'
    '<w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    '<w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr>'
    + "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders></w:tblPr></w:style>"
    "</w:styles>"
)


def write_docx(path: Path, body: str, *, header: str | None = None, footer: str | None = None) -> Path:
    """A .docx whose body is `body` (paragraphs and tables as Word writes them; the last section's
    properties are added), with a header and a footer part when given (their paragraphs' XML)."""
    rels = [
        ("rId1", "styles", "styles.xml"),
        *([("rId8", "header", "header1.xml")] if header is not None else []),
        *([("rId9", "footer", "footer1.xml")] if footer is not None else []),
    ]
    refs = "".join(
        f'<w:{kind}Reference w:type="default" r:id="{rid}"/>' for rid, kind, _ in rels if kind != "styles"
    )
    section = SECTION.replace("<w:pgSz", refs + "<w:pgSz") if refs else SECTION
    types = (
        f'{_PARTS_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/word/{target}" ContentType="application/vnd.openxmlformats-officedocument.'
            f'wordprocessingml.{kind}+xml"/>'
            for _, kind, target in rels
            if kind != "styles"
        )
        + "</Types>"
    )
    package_rels = (
        f'{_PARTS_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document_rels = (
        f'{_PARTS_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{_R}/{kind}" Target="{target}"/>' for rid, kind, target in rels
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", package_rels)
        z.writestr("word/document.xml", f"{DOCUMENT_OPEN}{body}{section}</w:body></w:document>")
        z.writestr("word/_rels/document.xml.rels", document_rels)
        z.writestr("word/styles.xml", _STYLES)
        for _, kind, target in rels:
            if kind != "styles":
                # Word declares the same namespaces on a header's or footer's root as on the body's.
                tag = "w:hdr" if kind == "header" else "w:ftr"
                opening = DOCUMENT_OPEN.replace("<w:document ", f"<{tag} ").removesuffix("<w:body>")
                z.writestr(f"word/{target}", f"{opening}{header if kind == 'header' else footer}</{tag}>")
    return path


def damage(path: Path, member: str) -> Path:
    """Flip bytes in the middle of one member's compressed data, as a bad sector or a download that
    resumed at the wrong place does: the zip's directory still reads, the member no longer inflates."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > 40
    name_len, extra_len = (
        int.from_bytes(data[info.header_offset + k : info.header_offset + k + 2], "little") for k in (26, 28)
    )
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(info.compress_size // 4, info.compress_size // 4 + 16):
        data[start + k] ^= 0xFF
    path.write_bytes(bytes(data))
    return path
