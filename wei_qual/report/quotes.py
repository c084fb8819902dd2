"""Exemplar quotes: the best segments for each code, optionally a few per attribute value.

Preferred, in order: turns that are substantive (25-200 words), complete (end with sentence
punctuation, do not start mid-sentence) and agreed (every independent coder who decided the segment
applied the code); then substantive, then complete, then agreed turns; then length closest to 60 words.
Quotes come from different participants first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ReportError
from .data import ReportData
from .writers import Table

MIN_WORDS, MAX_WORDS, IDEAL_WORDS = 25, 200, 60
DEFAULT_PER_GROUP = 3
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_STARTS_MID = re.compile(r"^(\.\.\.|\u2026|-|\u2013|\u2014)")


@dataclass
class Quote:
    code: str
    name: str
    group: str | None  # value of the --by attribute, None without --by
    transcript: str
    segment: int
    speaker: str | None
    text: str
    words: int
    agreed: bool  # every independent coder who decided the segment applied the code
    complete: bool
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def participant(self) -> str:
        """How a paper cites the speaker: "P03, officer, rural" (attribute values by attribute name)."""
        values = [self.attributes[k] for k in sorted(self.attributes) if self.attributes[k] not in (None, "")]
        return ", ".join([self.transcript, *values])


@dataclass
class QuoteSet:
    source: str
    by: str | None
    per_group: int
    quotes: list[Quote]

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "by": self.by,
            "per_group": self.per_group,
            "quotes": [
                {
                    "code": q.code,
                    "name": q.name,
                    "group": q.group,
                    "transcript": q.transcript,
                    "segment": q.segment,
                    "speaker": q.speaker,
                    "participant": q.participant,
                    "attributes": q.attributes,
                    "words": q.words,
                    "agreed": q.agreed,
                    "complete": q.complete,
                    "text": q.text,
                }
                for q in self.quotes
            ],
        }

    def data_table(self) -> Table:
        columns = (
            ["code", "name"]
            + ([self.by] if self.by else [])
            + ["transcript", "segment", "speaker", "participant", "words", "agreed", "complete", "text"]
        )
        rows = [
            [q.code, q.name]
            + ([q.group] if self.by else [])
            + [
                q.transcript,
                q.segment,
                q.speaker,
                q.participant,
                q.words,
                int(q.agreed),
                int(q.complete),
                q.text,
            ]
            for q in self.quotes
        ]
        return Table("quotes", f"Exemplar quotes ({self.source})", columns, rows)

    def data_tables(self) -> list[Table]:
        return [self.data_table()]

    def display_tables(self) -> list[Table]:
        return [self.display_table()]

    def display_table(self) -> Table:
        """The exemplar-quotes table of a paper: theme, quote, participant."""
        columns = ["Theme"] + ([self.by] if self.by else []) + ["Quote", "Participant"]
        rows = [[q.name] + ([q.group] if self.by else []) + [q.text, q.participant] for q in self.quotes]
        return Table("quotes", f"Exemplar quotes ({self.source})", columns, rows)


def is_complete(text: str) -> bool:
    """A whole turn: ends with sentence punctuation and does not start mid-sentence."""
    text = text.strip()
    return bool(_ENDS_SENTENCE.search(text)) and not _STARTS_MID.match(text)


def _pick(ranked: list[tuple], n: int) -> list[tuple]:
    """The first n candidates in preference order, one per participant before a second from anyone.

    Candidates are (preference key, segment key, agreed, complete); the segment key starts with the transcript.
    """
    chosen: list[tuple] = []
    seen: set[str] = set()
    for item in ranked:
        if len(chosen) == n:
            return chosen
        if item[1][0] not in seen:
            chosen.append(item)
            seen.add(item[1][0])
    for item in ranked:
        if len(chosen) == n:
            break
        if all(item is not c for c in chosen):
            chosen.append(item)
    return chosen


def build_quotes(
    data: ReportData,
    *,
    codes: list[str] | None = None,
    by: str | None = None,
    per_group: int = DEFAULT_PER_GROUP,
) -> QuoteSet:
    """Pick up to `per_group` exemplar quotes per code (and per value of `by`). Raises ReportError.

    Without `codes`, every code and theme of the codebook that has a coded segment, in codebook order.
    """
    if not data.with_coders:
        raise ValueError("quotes need the coders' decisions: load_report_data(..., with_coders=True)")
    if per_group < 1:
        raise ReportError(f"--per-group must be at least 1, not {per_group}. Pass --per-group 1 or more.")
    if codes:
        data.check_codes(codes)
        codes = list(dict.fromkeys(codes))
    else:
        codes = [c.id for c in data.codebook.codes]
    if by is not None:
        data.check_attributes([by])
    group_order = list(data.group_sizes(by)) if by else [None]

    names = {c.id: c.name for c in data.codebook.codes}
    wanted = frozenset(codes)
    group_of = {t: data.group_of(t, by) if by else None for t in data.participants}
    # Rank cheap tuples first and build Quote objects only for the few picked: a study has
    # tens of thousands of coded segments. The rank packs the preference order into one integer.
    candidates: dict[tuple[str, str | None], list[tuple]] = {}
    for key, applied in data.applied.items():
        hits = applied & wanted
        if not hits:
            continue
        text = data.segments[key]["text"]
        words = len(text.split())
        substantive = MIN_WORDS <= words <= MAX_WORDS
        complete = is_complete(text)
        coders = data.coder_codes.get(key)
        common = frozenset.intersection(*coders) if coders else frozenset()  # codes every coder applied
        distance = min(abs(words - IDEAL_WORDS), 99_999)
        group = group_of[key[0]]
        for code in hits:
            agreed = code in common
            best = substantive and complete and agreed
            tier = 8 * (not best) + 4 * (not substantive) + 2 * (not complete) + (not agreed)
            candidates.setdefault((code, group), []).append(
                (tier * 100_000 + distance, key, agreed, complete)
            )

    def quote(code: str, item: tuple) -> Quote:
        (transcript, n), row = item[1], data.segments[item[1]]
        text = row["text"].strip()
        return Quote(
            code=code,
            name=names[code],
            group=data.group_of(transcript, by) if by else None,
            transcript=transcript,
            segment=n,
            speaker=row["speaker"],
            text=text,
            words=len(text.split()),
            agreed=item[2],
            complete=item[3],
            attributes=dict(data.attributes.get(transcript, {})),
        )

    quotes: list[Quote] = []
    for code in codes:
        for group in group_order:
            ranked = sorted(candidates.get((code, group), ()))
            quotes += [quote(code, item) for item in _pick(ranked, per_group)]
    return QuoteSet(source=data.source, by=by, per_group=per_group, quotes=quotes)
