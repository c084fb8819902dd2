"""Automatic numbering: the numbers a reader sees before a numbered heading or list item ("3.2", "(a)")
that are not in the paragraph's text but worked out by Word from numbering.xml (WordNumbering), or by
LibreOffice from an .odt's outline and list styles (OdfNumbering).

A policy written in Word numbers its sections this way more often than by typing the numbers: without
them "3.2 Exclusion criteria" reads "Exclusion criteria", the document is not split by section, and a
clause's "(a)" that the text cites ("excluded under 3.2 (a)") is missing. Handled: numbering set on the
paragraph or by its style (Heading 1 numbered through the style), multilevel lists ("%1.%2"), start values
and restarts, and the formats decimal, letters and roman numerals; a bullet is no number. Other formats
(ordinal words, Asian counting) are written as decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
_ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


# Beyond this a number is written as a decimal: no list runs so long, and a crafted start value of
# 10**12 would otherwise be spelt out in letters (a terabyte) or in roman numerals (a billion steps).
MAX_SPELT = 9_999


def _roman(n: int) -> str:
    if not 0 < n <= MAX_SPELT:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word's letters: a..z, then aa..zz, aaa..: the letter repeated.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if 0 < n <= MAX_SPELT else str(n)


def format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str  # lvlText: "%1.%2", "(%3)", a bullet glyph
    legal: bool  # isLgl: every level's number shown as a decimal


class WordNumbering:
    """The number Word shows before each paragraph, paragraph by paragraph in document order (the
    counters move on as `label` is called, so call it once per paragraph, in order)."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list: level -> its current number
        self.started: set[str] = set()  # numIds whose start overrides were applied
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        val = qn("w:val")
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iterchildren(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    int(self._child(lvl, "w:start", "1")),
                    self._child(lvl, "w:numFmt", "decimal"),
                    self._child(lvl, "w:lvlText", ""),
                    lvl.find(qn("w:isLgl")) is not None,
                )
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            overrides = {}
            for over in num.iterchildren(qn("w:lvlOverride")):
                start = over.find(qn("w:startOverride"))
                if start is not None:
                    overrides[int(over.get(qn("w:ilvl"), "0"))] = int(start.get(val, "1"))
            if ref is not None:
                self.nums[num.get(qn("w:numId"))] = (ref.get(val), overrides)

    def _child(self, el, tag: str, default: str) -> str:
        found = el.find(self.qn(tag))
        return found.get(self.qn("w:val"), default) if found is not None else default

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        """(numId, level) from the paragraph's own properties, else from its style and the styles it is
        based on; numId "0" (numbering switched off) is None."""
        qn = self.qn
        num_id: str | None = None
        level: int | None = None
        p_pr = paragraph._p.pPr
        holders = [p_pr] if p_pr is not None else []
        style = paragraph.style
        while style is not None:
            holders.append(style.element.pPr)
            style = style.base_style
        for holder in holders:
            numpr = holder.find(qn("w:numPr")) if holder is not None else None
            if numpr is None:
                continue
            if num_id is None and numpr.find(qn("w:numId")) is not None:
                num_id = self._child(numpr, "w:numId", "0")
            if level is None and numpr.find(qn("w:ilvl")) is not None:
                level = int(self._child(numpr, "w:ilvl", "0"))
            if num_id is not None and level is not None:
                break
        return (num_id if num_id not in (None, "0") else None), level or 0

    def label(self, paragraph) -> str | None:
        """The number Word shows before this paragraph ("3.2", "(a)"), or None (none, or a bullet)."""
        if not self.nums:
            return None
        num_id, level = self._num_pr(paragraph)
        if num_id is None or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:  # "Restart numbering": a new list over the same definition
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        this = levels[level]
        counters[level] = counters.get(level, this.start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if this.fmt == "bullet":
            return None
        text = this.text
        for k in range(level, -1, -1):  # %10 never occurs: nine levels
            if f"%{k + 1}" in text:
                shown = levels.get(k, this)
                value = counters.get(k, shown.start)
                fmt = "decimal" if this.legal and k < level else shown.fmt
                text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return text.strip() or None


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _t(name: str) -> str:
    return f"{{{_ODF_TEXT}}}{name}"


def _s(name: str) -> str:
    return f"{{{_ODF_STYLE}}}{name}"


def _odf_letters(n: int, sync: bool) -> str:
    # ODF's letters: a..z, aa, ab, .. az, ba (as spreadsheet columns); with num-letter-sync (Word's,
    # carried over from a .docx) aa, bb, cc: the letter repeated.
    if not 0 < n <= MAX_SPELT:
        return str(n)
    if sync:
        return _letters(n)
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _odf_format(n: int, fmt: str, sync: bool) -> str:
    if fmt == "a":
        return _odf_letters(n, sync)
    if fmt == "A":
        return _odf_letters(n, sync).upper()
    if fmt == "i":
        return _roman(n)
    if fmt == "I":
        return _roman(n).upper()
    return str(n)  # "1", and formats written as decimals (ordinal words, other scripts)


@dataclass(frozen=True)
class _OdfLevel:
    numbered: bool  # False: a bullet, an image, or a number format of "" (no number shown)
    fmt: str
    prefix: str
    suffix: str
    display: int  # text:display-levels: how many levels' numbers are shown ("2.2" is 2)
    start: int
    sync: bool


def _odf_levels(style) -> dict[int, _OdfLevel]:
    levels = {}
    for lvl in style:
        if not isinstance(lvl.tag, str) or not lvl.get(_t("level"), "").isdigit():
            continue
        fmt = lvl.get(_s("num-format"), "")
        start = lvl.get(_t("start-value"), "1")
        display = lvl.get(_t("display-levels"), "1")
        levels[int(lvl.get(_t("level")))] = _OdfLevel(
            lvl.tag in (_t("list-level-style-number"), _t("outline-level-style")) and fmt != "",
            fmt,
            lvl.get(_s("num-prefix"), ""),
            lvl.get(_s("num-suffix"), ""),
            int(display) if display.isdigit() else 1,
            int(start) if start.isdigit() else 1,
            lvl.get(_s("num-letter-sync")) == "true",
        )
    return levels


def _odf_label(levels: dict[int, _OdfLevel], counters: dict[int, int], level: int) -> str | None:
    this = levels.get(level)
    if this is None or not this.numbered:
        return None
    numbers = []
    for k in range(max(1, level - this.display + 1), level + 1):
        shown = levels.get(k, this)
        numbers.append(_odf_format(counters.get(k, shown.start), shown.fmt or "1", shown.sync))
    return f"{this.prefix}{'.'.join(numbers)}{this.suffix}".strip() or None


class OdfNumbering:
    """The numbers LibreOffice shows before the headings and list items of an .odt, which are not in its
    text but worked out from its styles when it shows it: outline numbering of the headings (Tools >
    Heading Numbering: "2.2 Exclusion criteria"), and numbered lists ("(a)"), also a Word document's
    numbering saved as .odt (each numbered heading then an item of a list that goes on over the body
    text between them). Followed as LibreOffice follows them: a list continued (`text:continue-numbering`,
    `text:continue-list`), a start value on an item or a restarted heading, several levels shown
    (`text:display-levels`), an item that is a list header or holds no paragraph of its own left
    unnumbered; decimal, letter and roman formats (others as decimals); a bullet is no number.

    `labels(body)`: {paragraph element: its number} for every numbered paragraph of the body, in one
    walk in document order (the counters go on from each paragraph to the next)."""

    def __init__(self, root, styles) -> None:
        self.list_styles: dict[str, dict[int, _OdfLevel]] = {}
        self.paragraph_lists: dict[str, tuple[str | None, str | None]] = {}  # style -> (list style, parent)
        self.outline: dict[int, _OdfLevel] = {}
        for tree in (styles, root):  # automatic styles after named ones
            if tree is None:
                continue
            for style in tree.iter(_t("list-style")):
                self.list_styles[style.get(_s("name"))] = _odf_levels(style)
            for style in tree.iter(_t("outline-style")):
                self.outline = _odf_levels(style)
            for style in tree.iter(_s("style")):
                if style.get(_s("family")) == "paragraph":
                    self.paragraph_lists[style.get(_s("name"))] = (
                        style.get(_s("list-style-name")),
                        style.get(_s("parent-style-name")),
                    )

    def _paragraph_list_style(self, name: str | None) -> str | None:
        seen = set()
        while name is not None and name not in seen:
            seen.add(name)
            list_style, parent = self.paragraph_lists.get(name, (None, None))
            if list_style:
                return list_style
            name = parent
        return None

    def labels(self, body) -> dict:
        out: dict = {}
        outline: dict[int, int] = {}
        by_id: dict[str, dict[int, int]] = {}
        last_of_style: dict[str | None, dict[int, int]] = {}
        paragraphs = {_t("p"), _t("h")}

        def cached(p) -> str | None:  # a number the program that wrote the file put in it
            number = p.find(_t("number"))
            return " ".join("".join(number.itertext()).split()) or None if number is not None else None

        def heading(h) -> None:
            level = h.get(_t("outline-level"), "")
            if not level.isdigit() or h.get(_t("is-list-header")) == "true":
                return
            level = int(level)
            this = self.outline.get(level)
            if h.get(_t("restart-numbering")) == "true":
                start = h.get(_t("start-value"), "")
                outline[level] = (int(start) if start.isdigit() else (this.start if this else 1)) - 1
            outline[level] = outline.get(level, this.start - 1 if this else 0) + 1
            for deeper in [k for k in outline if k > level]:
                del outline[deeper]
            label = cached(h) or _odf_label(self.outline, outline, level)
            if label:
                out[h] = label

        def a_list(lst, counters: dict[int, int], level: int, style: str | None) -> None:
            style = lst.get(_t("style-name")) or style
            for item in lst:
                if item.tag == _t("list-header"):
                    continue  # paragraphs in a list with no number of their own
                if item.tag != _t("list-item"):
                    continue
                start = item.get(_t("start-value"), "")
                if start.isdigit():
                    counters[level] = int(start) - 1
                first = True
                for child in item:
                    if child.tag in paragraphs:
                        if first:
                            item_style = style or self._paragraph_list_style(child.get(_t("style-name")))
                            levels = self.list_styles.get(item_style or "", {})
                            this = levels.get(level)
                            counters[level] = counters.get(level, this.start - 1 if this else 0) + 1
                            for deeper in [k for k in counters if k > level]:
                                del counters[deeper]
                            label = cached(child) or _odf_label(levels, counters, level)
                            if label:
                                out[child] = label
                        first = False
                    elif child.tag == _t("list"):
                        a_list(child, counters, level + 1, style)
                        first = False
                    elif isinstance(child.tag, str):
                        walk(child)

        def walk(container) -> None:
            for child in container:
                tag = child.tag
                if tag == _t("list"):
                    style = child.get(_t("style-name"))
                    counters: dict[int, int] | None = None
                    if child.get(_t("continue-list")):
                        counters = by_id.get(child.get(_t("continue-list")))
                    if counters is None and child.get(_t("continue-numbering")) == "true":
                        counters = last_of_style.get(style)
                    if counters is None:
                        counters = {}
                    if child.get(_XML_ID):
                        by_id[child.get(_XML_ID)] = counters
                    last_of_style[style] = counters
                    a_list(child, counters, 1, style)
                elif tag == _t("h"):
                    heading(child)
                elif tag in paragraphs or tag == _t("note-body") or not isinstance(tag, str):
                    continue  # a paragraph's own lists are in its notes, numbered on their own
                else:
                    walk(child)  # sections, tables, cells

        walk(body)
        return out
