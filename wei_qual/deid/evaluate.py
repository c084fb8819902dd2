"""Measure the scanner on a labelled set: recall per category and false positives per 1,000 words.

Labelled text marks each identifier inline as `{category|text}`; parse_labelled() strips the markup and
returns the gold spans. Used by the accuracy tests and bench/bench_deid.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .scan import CATEGORIES, Finding, scan_text

STRUCTURED = ("phone", "email", "ssn", "url", "address")
_MARK = re.compile(r"\{(" + "|".join(CATEGORIES) + r")\|([^{}|]+)\}")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    category: str


@dataclass
class Evaluation:
    """Recall per category on the labelled text, and false positives on the clean text."""

    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (category, text)
    false_positives: list[Finding] = field(default_factory=list)
    clean_words: int = 0

    def recall(self, categories: tuple[str, ...] | str) -> float:
        cats = (categories,) if isinstance(categories, str) else categories
        total = sum(self.total.get(c, 0) for c in cats)
        return sum(self.found.get(c, 0) for c in cats) / total if total else float("nan")

    @property
    def fp_per_1000(self) -> float:
        return 1000 * len(self.false_positives) / self.clean_words if self.clean_words else float("nan")


def parse_labelled(markup: str) -> tuple[str, list[Gold]]:
    """Strip `{category|text}` marks; return the plain text and the gold spans in it."""
    parts, gold, last, offset = [], [], 0, 0
    for m in _MARK.finditer(markup):
        parts.append(markup[last : m.start()])
        offset += m.start() - last
        gold.append(Gold(offset, offset + len(m.group(2)), m.group(1)))
        parts.append(m.group(2))
        offset += len(m.group(2))
        last = m.end()
    parts.append(markup[last:])
    return "".join(parts), gold


def evaluate(labelled_markup: str, clean_text: str, *, nlp: Any = None) -> Evaluation:
    """Scan both texts; a gold span counts as found when a finding of its category overlaps it."""
    text, gold = parse_labelled(labelled_markup)
    findings = scan_text(text, nlp=nlp)
    result = Evaluation(clean_words=len(clean_text.split()))
    for g in gold:
        result.total[g.category] = result.total.get(g.category, 0) + 1
        hit = any(f.category == g.category and f.start < g.end and g.start < f.end for f in findings)
        if hit:
            result.found[g.category] = result.found.get(g.category, 0) + 1
        else:
            result.missed.append((g.category, text[g.start : g.end]))
    result.false_positives = scan_text(clean_text, nlp=nlp)
    return result
