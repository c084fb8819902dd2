"""Regenerate the binary and encoding fixtures of tests/data (the text ones are written by hand).

python tests/data/make_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
TURNS = "Interviewer: How do crisis calls reach you?\n\nP03: Mostly through dispatch. Café staff call too.\n"
OTTER_HEADER = [
    "KP05 follow-up interview (fictional)",
    "Wed, 2/7 2:15PM • 9:02",
    "SUMMARY KEYWORDS",
    "crisis unit, deputies, beds, follow up",
    "SPEAKERS",
    "Dana Whitfield, KP05",
]
OTTER_TURNS = [
    "Dana Whitfield  00:13",
    "Thanks for making the time. Can you start by telling me what a normal week looks like for you?",
    "KP05  00:21",
    "I run the evening intake desk at the crisis unit. Most people after six are brought in by deputies.",
    "Dana Whitfield  01:02",
    "How do deputies usually reach you before they arrive?",
    "KP05  01:09",
    "Mostly by phone from the car. We ask about intoxication and any violence, and whether we have a bed.",
]


def main() -> None:
    import docx

    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "whitespace.txt").write_bytes(b"  \n\t\n   \n")
    (HERE / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TURNS.encode("utf-8"))
    (HERE / "utf16.txt").write_bytes(TURNS.encode("utf-16"))  # with BOM
    (HERE / "crlf.txt").write_bytes(TURNS.replace("\n", "\r\n").encode("utf-8"))
    (HERE / "cp1252.txt").write_bytes(
        "Interviewer: Where do you go?\n\nP03: The unit\u2019s caf\u00e9.\n".encode("cp1252")
    )
    (HERE / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    (HERE / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip archive")

    d = docx.Document()
    d.add_paragraph("Interview transcript (fictional)")
    d.add_paragraph("Interviewer: How do crisis calls reach you?")
    d.add_paragraph("P03: Mostly through dispatch.")
    d.add_paragraph("Sometimes the family calls the unit directly.")
    d.add_paragraph("Interviewer: And after that?")
    d.add_paragraph("P03: We try a warm handoff.")
    d.save(str(HERE / "paragraphs.docx"))

    d = docx.Document()
    d.add_paragraph("Interview transcript (fictional)")
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Time", "Speaker", "Text"]):
        cell.text = text
    for time, speaker, text in [
        ("00:00:04", "Interviewer", "How do crisis calls reach you?"),
        ("00:00:09", "P03", "Mostly through dispatch."),
        ("", "", "Sometimes the family calls the unit directly."),
        ("00:00:31", "Interviewer", "And after that?"),
        ("00:00:35", "P03", "We try a warm handoff."),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = time, speaker, text
    d.save(str(HERE / "table.docx"))

    # Otter's .docx export (fictional): the header paragraphs, a "Name  00:13" paragraph per turn with
    # the text in the next paragraph, and the footer.
    d = docx.Document()
    for text in OTTER_HEADER + OTTER_TURNS + ["Transcribed by https://otter.ai"]:
        d.add_paragraph(text)
    d.save(str(HERE / "KP05_otter_export.docx"))

    # A Teams .docx transcript (fictional): title, date, duration, "started transcription", turns.
    d = docx.Document()
    for text in [
        "KP06 interview-20240124_150312-Meeting Recording",
        "January 24, 2024, 3:03PM",
        "12m 41s",
        "Dana Whitfield started transcription",
        "Dana Whitfield   0:03",
        "Thanks for joining. How do deputies reach the unit at night?",
        "KP06   0:09",
        "By phone, and the answer is usually that we are full.",
        "Dana Whitfield   0:15",
        "What happens then?",
        "KP06   0:18",
        "The emergency room, or the jail if there is a charge.",
        "Dana Whitfield stopped transcription",
    ]:
        d.add_paragraph(text)
    d.save(str(HERE / "KP06_teams.docx"))
    sheets()


# One fictional participants sheet, as each spreadsheet saves it (tests/test_attributes_csv.py; the
# README of tests/data says where each tool's bytes come from). A cell with a comma, one with doubled
# quotes and one with a line break (Alt+Enter in Excel, a bare LF inside the quotes in every tool).
SHEET = [
    ["ID", "Role", "Setting", "Jurisdiction", "Note", "Interview date"],
    ["bom", "officer", "rural", "Saint-Léon", "said “no” twice", "{d1}"],
    ["crlf", "provider", "urban, north", "Dorval", 'asked "why"\nthen left', "{d2}"],
]


def _sheet_text(sep: str, row_end: str, dates: tuple[str, str], pad: int = 0, last_end: bool = True) -> str:
    """The sheet as a tool writes it: a cell quoted only when it holds the separator, a quote or a line
    break (every tool's default), `pad` empty cells after each row and an empty row after the last (the
    used range Excel keeps after a column or a row was formatted or cleared)."""
    rows = [[c.format(d1=dates[0], d2=dates[1]) for c in row] + [""] * pad for row in SHEET]
    if pad:
        rows.append([""] * len(rows[0]))

    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in (sep, '"', "\n")) else c

    text = row_end.join(sep.join(cell(c) for c in row) for row in rows)
    return text + row_end if last_end else text


def sheets() -> None:
    out = HERE / "sheets"
    out.mkdir(exist_ok=True)
    # Excel for Windows, Save As "CSV UTF-8 (Comma delimited)": a BOM, CRLF, en-US dates.
    excel = _sheet_text(",", "\r\n", ("3/4/2024", "3/11/2024"), pad=2)
    (out / "excel_csv_utf8.csv").write_bytes(b"\xef\xbb\xbf" + excel.encode("utf-8"))
    # Excel for Windows in German, Save As "CSV (Trennzeichen-getrennt)": the ANSI code page (Windows-1252,
    # curly quotes 0x93 0x94), ";" (the list separator where the comma is the decimal mark), CRLF.
    german = _sheet_text(";", "\r\n", ("04.03.2024", "11.03.2024"), pad=2)
    (out / "excel_csv_de_cp1252.csv").write_bytes(german.encode("cp1252"))
    # Excel for Windows, Save As "Unicode Text (*.txt)": UTF-16 LE with its BOM, tab-separated, CRLF.
    unicode_text = _sheet_text("\t", "\r\n", ("3/4/2024", "3/11/2024"))
    (out / "excel_unicode_text.txt").write_bytes(b"\xff\xfe" + unicode_text.encode("utf-16-le"))
    # LibreOffice Calc, Save As "Text CSV" with its defaults on Linux (UTF-8, ",", '"', text cells
    # quoted only when needed): no BOM, LF, ISO dates as typed.
    libre = _sheet_text(",", "\n", ("2024-03-04", "2024-03-11"))
    (out / "libreoffice_calc.csv").write_bytes(libre.encode("utf-8"))
    # Google Sheets, File > Download > "Comma-separated values": UTF-8 without a BOM, CRLF between rows
    # and none after the last.
    google = _sheet_text(",", "\r\n", ("3/4/2024", "3/11/2024"), last_end=False)
    (out / "google_sheets.csv").write_bytes(google.encode("utf-8"))
    # Excel for Mac, Save As "Comma Separated Values (.csv)" (once "CSV (Macintosh)"): Mac Roman (curly
    # quotes 0xD2 0xD3, which cp1252 reads as "Ò" and "Ó"; "é" 0x8E, cp1252's "Ž"), ",", a CR after each row
    # as classic Mac OS ended lines.
    mac = _sheet_text(",", "\r", ("3/4/2024", "3/11/2024"), pad=2)
    (out / "excel_csv_mac_roman.csv").write_bytes(mac.encode("mac_roman"))


if __name__ == "__main__":
    main()
