"""RTF transcripts via striprtf: what f4/f5 save by default, and what many transcription services and
Word write. Read as a Word file is (word.document_source): labelled paragraphs, with labels, time marks
and service headers as in a .txt, or a table with speaker and text columns.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

from ..errors import TranscriptError
from .decode import check_not_empty
from .turns import Source
from .word import CELL_PARAGRAPHS, Block, bold_lead, document_source

MAX_BYTES = 200_000_000  # as for a PDF: larger is not a transcript
MAX_MEMORY = 2 * 2**30  # bytes reading one file may claim
# CPU seconds reading one file may take: a long transcript takes a fraction of a second, but crafted
# input can make the parser's patterns quadratic.
MAX_CPU_SECONDS = 60
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_AGAIN = "Open and save it again as .rtf or .docx, or export the transcript as .txt."
# striprtf writes a cell's end as "|" and a row's end as a line break, which text holds too: it is given
# its own marks for a row's start (\trowd), a cell's end and a row's end, characters of Unicode's private
# use area, which no code page decodes to. A table inside a cell is read as that cell's text.
_ROW, _CELL, _END = "\ue000", "\ue001", "\ue002"
_TABLE_WORDS = {"trowd": _ROW, "cell": _CELL, "row": _END, "nestcell": " ", "nestrow": " "}
# Where bold starts and stops, so a speaker set in bold with no colon after it is read as in a Word file.
_BOLD, _PLAIN = "\ue003", "\ue004"
_BOLD_WORDS = {"weiqualbold": _BOLD, "weiqualplain": _PLAIN}
# A line break (\line, Word's Shift+Enter) is no paragraph's end, which striprtf writes it as: a mark of
# its own, read as the "\n" a .docx's line break is, in a paragraph or a cell.
_LINE = "\ue005"
_MARKS = re.compile(f"([{_ROW}{_CELL}{_END}{_BOLD}{_PLAIN}\n])")
# A control word (\b, \b0, \plain), an escaped character (\{, \\) or a group's brace.
_CONTROL = re.compile(r"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|\\[^a-zA-Z]|[{}]")


def _refuse(name: str, what: str) -> TranscriptError:
    return TranscriptError(f'"{name}" {what}. {_AGAIN}')


def _read_text(path: Path, data: bytes) -> tuple[str, int]:
    """The file's text, a line per paragraph, with the table marks, and how many of its paragraphs held
    hidden text (left out), or raise TranscriptError (empty, not
    RTF, too large or too slow to read, a character its code page lacks). Read in a child process with
    bounded memory and CPU time (parallel.bounded)."""
    from .. import parallel

    name = str(path)
    check_not_empty(data, name)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise _refuse(
            name, 'is not an RTF file (it does not start with "{\\rtf"); it may be another format renamed'
        )
    if len(data) > MAX_BYTES:
        raise _refuse(name, f"is larger than {MAX_BYTES // 10**6:,} MB")
    # RTF is 7-bit text, other characters escaped (\'e9 in the file's code page, \u233); some writers put
    # bytes of the code page itself.
    m = _CODE_PAGE.search(data[:4096])
    code_page = f"cp{int(m[1])}" if m else "cp1252"
    try:
        text = data.decode(code_page)
    except (LookupError, UnicodeDecodeError):
        code_page, text = "cp1252", data.decode("latin-1")
    try:
        out = parallel.bounded(
            lambda: _to_text(name, text, code_page), memory=MAX_MEMORY, cpu=MAX_CPU_SECONDS
        )
    except parallel.Hung as ex:
        raise _refuse(name, parallel.hung_reason(ex)) from None
    except TimeoutError:
        raise _refuse(
            name, f"took more than {MAX_CPU_SECONDS} s to read (it may be damaged, or made to be slow)"
        ) from None
    except MemoryError:
        raise _refuse(name, f"needs more than {MAX_MEMORY // 2**20:,} MiB of memory to read") from None
    except ChildProcessError:
        raise _refuse(name, "could not be read: its reader stopped without an answer") from None
    text, hidden = out
    return text.replace("\r\n", "\n").replace("\r", "\n"), hidden


def _rtf_to_text():
    """striprtf's rtf_to_text writing the table marks: the text it writes for a control word comes from
    its module's table `specialchars`, so this copy of the function is given its own."""
    from striprtf import striprtf

    words = {**striprtf.specialchars, **_TABLE_WORDS, **_BOLD_WORDS, "line": _LINE}
    return types.FunctionType(striprtf.rtf_to_text.__code__, {**vars(striprtf), "specialchars": words})


def _with_bold_words(text: str) -> str:
    """The RTF with a control word of its own wherever bold starts or stops, which _rtf_to_text writes as
    the marks _BOLD and _PLAIN: bold is set by \\b and \\b1, ended by \\b0 and \\plain, and a group's
    closing brace restores the bold of before it."""
    bold, stack = False, []

    def mark(m: re.Match) -> str:
        nonlocal bold
        token, was = m[0], bold
        if token == "{":
            stack.append(bold)
        elif token == "}":
            bold = stack.pop() if stack else False
        elif m[1] == "b":
            bold = m[2] != "0"
        elif m[1] == "plain":
            bold = False
        if bold == was:
            return token
        return f"{token}\\weiqualbold " if bold else f"{token}\\weiqualplain "

    return _CONTROL.sub(mark, text)


# A token of the text between control words as _without_unseen reads it: an escaped character (\'e9), a
# Unicode character and its fallback (\u233?), a control word or symbol, a brace, or plain text.
_TOKEN = re.compile(
    r"\\'[0-9a-fA-F]{2}|\\u(-?[0-9]{1,10}) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])?"
    r"|\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|\\[^a-zA-Z]|[{}]|[^\\{}]+"
)
# Control words that write text (striprtf's specialchars): dropped with the text they stand in.
_TEXT_WORDS = frozenset(
    [
        "tab",
        "line",
        "emdash",
        "endash",
        "emspace",
        "enspace",
        "qmspace",
        "bullet",
        "lquote",
        "rquote",
        "ldblquote",
        "rdblquote",
        "zwj",
        "zwnj",
    ]
)
# Tracked changes as Word writes them in RTF: inserted text is \revised, deleted text \deleted.
TRACKED = re.compile(r"\\(?:deleted|revised)(?![a-zA-Z0-9])")


def _without_unseen(text: str, hidden: set[int] | None = None) -> str:
    """The RTF without the text a reader does not see: tracked deletions (\\deleted, read as accepted,
    as a .docx is) and hidden text (\\v, Word's Font > Hidden). Structure (paragraph, cell and row marks,
    groups) stays; a property lasts until it is switched off (\\deleted0, \\v0), \\plain, or its group's end.
    `hidden` gets the number of each paragraph (counted by \\par) whose hidden text was left out."""
    unseen = {"deleted": False, "v": False}
    paragraph = 0
    stack: list[tuple[bool, bool]] = []
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        token, word = m[0], m[2]
        if token == "{":
            stack.append((unseen["deleted"], unseen["v"]))
        elif token == "}":
            unseen["deleted"], unseen["v"] = stack.pop() if stack else (False, False)
        elif word in unseen:
            unseen[word] = m[3] != "0"
            continue
        elif word == "plain":
            unseen["deleted"] = unseen["v"] = False
        elif any(unseen.values()):
            text_like = m[1] is not None or token.startswith("\\'") or word in _TEXT_WORDS
            if text_like or not token.startswith("\\") or (word is None and token[1:2] in "\\{}~-_"):
                if hidden is not None and unseen["v"] and not unseen["deleted"] and token.strip():
                    hidden.add(paragraph)
                continue
        if word in ("par", "row", "cell"):
            paragraph += 1
        out.append(token)
    return "".join(out)


def _to_text(name: str, text: str, code_page: str) -> tuple[str, int]:
    hidden: set[int] = set()
    try:
        shown = _without_unseen(text, hidden)
        return _rtf_to_text()(_with_bold_words(shown), encoding=code_page, errors="strict"), len(hidden)
    except UnicodeDecodeError:
        raise _refuse(name, f"holds a character its code page ({code_page}) does not define") from None
    except (ValueError, TypeError, IndexError, KeyError, RecursionError) as ex:  # a damaged file
        raise _refuse(name, f"is not valid RTF ({type(ex).__name__})") from None


def _paragraphs_and_tables(text: str) -> list[Block]:
    """The paragraphs outside tables and each table's rows of cell texts, in order, from the marked text, as
    word.document_source takes them: a cell's paragraphs are apart as a turn's are (word.CELL_PARAGRAPHS), and a
    paragraph is its text with the name set in bold at its start (bold_lead)."""
    blocks: list[Block] = []
    rows: list[list[str]] | None = None  # the open table's rows
    cells: list[str] | None = None  # the open row's cells
    current: list[str] = []  # text since the last paragraph, cell or row
    bold, lead, leading = False, [], True  # the bold text starting the paragraph, while it is `leading`

    def close_paragraph() -> None:
        nonlocal current, lead, leading
        blocks.append(bold_lead("".join(current), "".join(lead)))
        current, lead, leading = [], [], True

    def close_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(rows)
        rows = None

    def open_row() -> None:
        nonlocal cells, rows
        cells, rows = [], rows if rows is not None else []

    for piece in _MARKS.split(text):
        if piece in (_BOLD, _PLAIN):
            bold = piece == _BOLD
        elif piece == _ROW:  # a row's start; Word writes its properties again before the row's end
            if cells is None:
                if "".join(current).strip():  # text before the table with no paragraph mark of its own
                    close_paragraph()
                current, lead, leading = [], [], True
                open_row()
        elif piece == _CELL:
            if cells is None:  # a cell with no row properties before it: the row starts here
                open_row()
            cells.append("".join(current).strip())
            current = []
        elif piece == _END and cells is not None:
            if "".join(current).strip():
                cells.append("".join(current).strip())
            rows.append(cells)
            current, cells, lead, leading = [], None, [], True
        elif piece in ("\n", _END):  # a paragraph's end (or a row's end with no row open)
            if cells is not None:
                current.append(CELL_PARAGRAPHS)  # a paragraph of the cell
                continue
            if "".join(current).strip():
                close_table()
            close_paragraph()
        else:
            piece = piece.replace(_LINE, "\n")
            current.append(piece)
            if leading and cells is None:
                if bold:
                    lead.append(piece)
                elif piece.strip():
                    leading = False
    last = "".join(current)
    if cells is not None:  # a row the file does not end
        rows.append([*cells, last.strip()] if last.strip() else cells)
    elif last:
        close_paragraph()
    close_table()
    return blocks


def read_rtf(path: Path, data: bytes, *, encoding: str | None = None) -> Source:
    """Read an .rtf transcript, or raise TranscriptError."""
    changes = len(TRACKED.findall(data.decode("latin-1")))
    text, hidden = _read_text(path, data)
    return document_source(
        path, "rtf", _paragraphs_and_tables(text), tracked_changes=changes, hidden_text=hidden
    )
