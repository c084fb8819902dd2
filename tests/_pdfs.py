"""Build small PDFs for the tests with fpdf2 (and encrypt them with pypdf), imitating real exports:
a running header, a "Page N of M" footer, bold headings, paragraphs separated by space, scanned pages
(an image and no text). All text is fictional.
"""

from __future__ import annotations

import io
from pathlib import Path

LINE_HEIGHT = 6  # mm: lines of one paragraph
GAP = 4  # mm: extra space between paragraphs


def make_pdf(
    path: Path,
    pages: list[list[str] | None],
    *,
    header: str | None = None,
    footer: str | None = None,
    number_scans: bool = False,
) -> Path:
    """Write a PDF whose pages hold exactly these lines, top to bottom (no automatic wrapping or page
    breaks). In a page's list, "" is a paragraph gap, a line starting "# " is set in bold (a heading) and
    one starting "~ " in 9 point (as Otter sets its `Name  0:14` lines over the 11 point text).
    A page given as None is a scan: an image and no text. `header` and `footer` are printed on every page
    that has text (the footer on scans too with `number_scans`, as a scanning service stamps page
    numbers), with {page} and {pages} filled in."""
    from fpdf import FPDF

    class Pdf(FPDF):
        def header(self) -> None:
            if header is not None and pages[self.page_no() - 1] is not None:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, header.format(page=self.page_no(), pages=len(pages)), align="C")
                self.ln(14)

        def footer(self) -> None:
            if footer is not None and (number_scans or pages[self.page_no() - 1] is not None):
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, footer.format(page=self.page_no(), pages=len(pages)), align="C")

    pdf = Pdf()
    pdf.core_fonts_encoding = "windows-1252"  # as Word and print drivers write them: "•", curly quotes
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        if lines is None:
            pdf.image(_scan_image(), x=10, y=10, w=190)
            continue
        for line in lines:
            if not line:
                pdf.ln(GAP)
                continue
            bold, small = line.startswith("# "), line.startswith("~ ")
            pdf.set_font("Helvetica", style="B" if bold else "", size=9 if small else 11)
            pdf.cell(0, LINE_HEIGHT, line[2:] if bold or small else line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _scan_image() -> io.BytesIO:
    """A grey page image, as a scanner makes (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (200, 280), 255)
    draw = ImageDraw.Draw(image)
    for y in range(20, 260, 12):  # lines of "text" that are only pixels
        draw.line((20, y, 180, y), fill=90, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def encrypt_pdf(source: Path, target: Path, *, user_password: str, owner_password: str = "owner") -> Path:
    """A copy of `source` encrypted with pypdf (AES-256); an empty user password opens without one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with open(target, "wb") as out:
        writer.write(out)
    return target


def make_inflating_pdf(path: Path, inflated: int, *, filler: bytes = b" ") -> Path:
    """A one-page PDF, small on disk, whose page content is a Flate stream that inflates to `inflated`
    bytes (spaces, or `filler` repeated, after one line of text): the shape of a decompression bomb, or
    with an operator as filler (b"q Q ") of a file made slow to read. Written by hand, with a correct
    cross-reference table, as a hostile file would be."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = filler * ((1 << 20) // len(filler))
    parts = [packer.compress(b"BT /F1 11 Tf 72 720 Td (Interviewer: Hello.) Tj ET\n")]
    for _ in range(inflated >> 20):
        parts.append(packer.compress(chunk))
    parts.append(packer.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def make_column_pdf(
    path: Path,
    pages: list[tuple],
    *,
    footer: str | None = None,
    gutter: float = 10,
) -> Path:
    """Pages set as a policy or newsletter sets them: a bold title across the page (or None), then
    columns of lines side by side ("" a paragraph gap), on one baseline grid, `gutter` mm apart, and
    `footer` centred at the bottom with {page} and {pages} filled in. Each page is (title, column, ...)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for number, (title, *columns) in enumerate(pages, start=1):
        pdf.add_page()
        top = 14
        if title is not None:
            pdf.set_font("Helvetica", style="B", size=13)
            pdf.set_xy(10, 12)
            pdf.cell(190, 8, title, align="C")
            top = 26
        pdf.set_font("Helvetica", size=10)
        width = (190 - gutter * (len(columns) - 1)) / len(columns)
        for k, lines in enumerate(columns):
            for i, line in enumerate(lines):
                if line:
                    pdf.set_xy(10 + k * (width + gutter), top + 5 * i)
                    pdf.cell(width, 5, line)
        if footer is not None:
            pdf.set_font("Helvetica", size=9)
            pdf.set_xy(10, 280)
            pdf.cell(190, 6, footer.format(page=number, pages=len(pages)), align="C")
    pdf.output(str(path))
    return path


def make_table_pdf(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    """A transcript printed from a Word table, as NVivo Transcription exports one (Timespan, Content,
    Speaker): ruled cells, the header row repeated on every page, rows that do not fit moved to the
    next page whole."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(35, 120, 30), repeat_headings=1) as table:
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(path))
    return path


def make_side_by_side_pdf(
    path: Path, rows: list[tuple[str, str]], *, left: float, right: float, step: float
) -> Path:
    """Write a one-page PDF with each row's two texts side by side on a line, at `left` and `right` mm
    from the page's edge, `step` mm apart: a speaker or a line number in a column of its own."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for n, (first, second) in enumerate(rows):
        pdf.set_xy(left, 20 + step * n)
        pdf.cell(right - left - 2, 5, first)
        pdf.set_xy(right, 20 + step * n)
        pdf.cell(200 - right, 5, second)
    pdf.output(str(path))
    return path


def make_cover_table_pdf(
    path: Path,
    title: str,
    cover: list[tuple[str, str]],
    turns: list[str],
    *,
    v_align: str = "TOP",
    ruled: bool = True,
) -> Path:
    """A Word transcript printed to PDF: a bold title, a cover table (ruled cells, or none with `ruled`
    False as templates hide them; the key beside its value, Word's cell margins, text at the top of each
    cell as Word sets it: `v_align` "MIDDLE" as other editors may), then the turns as paragraphs."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    with pdf.table(
        col_widths=(45, 75),
        width=120,
        align="LEFT",
        v_align=v_align,
        text_align="LEFT",
        padding=(0.5, 1.9),
        borders_layout="ALL" if ruled else "NONE",
        first_row_as_headings=False,
        line_height=6,
    ) as table:
        for cells in cover:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(6)
    for turn in turns:
        pdf.multi_cell(0, 6, turn, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def make_paged_table_pdf(
    path: Path, pages: list[list[tuple[str, ...]]], *, before: list[str] = (), after: list[str] = ()
) -> Path:
    """A transcript printed from a table that a page break splits inside a row, as Word and LibreOffice
    print one whose rows may break across pages (the default) without a header repeated: each page a
    ruled table of its own, the first one's first row its header, and a page's first row the rest of
    the row the page before ended with (an empty speaker cell). `before` and `after`: paragraphs over
    the first table and under the last (a title; turns typed after the table)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    for k, rows in enumerate(pages):
        pdf.add_page()
        for line in before if k == 0 else ():
            pdf.cell(0, LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(GAP)
        with pdf.table(col_widths=(30, 25, 130), first_row_as_headings=k == 0) as table:
            for cells in rows:
                row = table.row()
                for cell in cells:
                    row.cell(cell)
        for line in after if k == len(pages) - 1 else ():
            pdf.ln(GAP)
            pdf.cell(0, LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path
