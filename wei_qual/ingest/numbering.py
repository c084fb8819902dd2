"""Word's automatic numbering: the numbers a reader sees before a numbered heading or list item ("3.2",
"(a)") that are not in the paragraph's text but worked out by Word from numbering.xml.

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


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word's letters: a..z, then aa..zz, aaa..: the letter repeated.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


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
