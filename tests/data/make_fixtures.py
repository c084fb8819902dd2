"""Regenerate the binary and encoding fixtures of tests/data (the text ones are written by hand).

python tests/data/make_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
TURNS = "Interviewer: How do crisis calls reach you?\n\nP03: Mostly through dispatch. Café staff call too.\n"


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


if __name__ == "__main__":
    main()
