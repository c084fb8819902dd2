"""Memos out: every segment, transcript and code memo with its author and time, filtered and ordered
for reading (code memos in codebook order, then transcripts and their segments in order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .errors import ReportError
from .models import DOCUMENT, plural, study_order
from .numbers import whole_number
from .store.codebooks import (
    code_moves,
    count_decisions_by_code,
    declared_splits,
    earlier_names,
    get_active_codebook,
)
from .store.decisions import iter_decision_codes
from .store.project import iter_all_memos
from .store.transcripts import (
    as_known_ids,
    iter_transcript_segment_tuples,
    transcript_ids,
    unknown_transcript,
)

KINDS = ("code", "transcript", "segment")


@dataclass
class Memo:
    kind: str  # code, transcript or segment
    target: str  # the code id, transcript id, or "transcript:n"
    coder: str
    text: str
    created_utc: str | None
    updated_utc: str | None
    transcript: str | None = None
    segment: int | None = None
    code_name: str | None = None  # code memos: the code's name in the active codebook
    # segment memos: the turn written about, as stored (None when the segment is gone)
    speaker: str | None = None
    role: str | None = None
    passage: str | None = None

    def who(self) -> str:
        """ "P01 (participant)", "Document": the passage's speaker as retrieve names it ("" for none)."""
        if self.role is None:
            return ""
        return "Document" if self.role == DOCUMENT else f"{self.speaker or 'Speaker'} ({self.role})"

    def glimpse(self, width: int) -> str:
        """The passage's first `width` characters, white space made single, cut between words, for a
        terminal or a line: "…" where it goes on ("" for none)."""
        words = " ".join((self.passage or "").split())
        if len(words) <= width:
            return words
        cut = words[: width - 1]
        if words[width - 1] != " " and " " in cut:  # not inside a word
            cut = cut[: cut.rindex(" ")]
        return cut.rstrip() + "…"

    def to_json(self) -> dict:
        return {
            "type": self.kind,
            "target": self.target,
            "transcript": self.transcript,
            "segment": self.segment,
            "code": self.target if self.kind == "code" else None,
            "code_name": self.code_name,
            "speaker": self.speaker,
            "role": self.role,
            "passage": self.passage,
            "coder": self.coder,
            "text": self.text,
            "created_utc": self.created_utc,
            "updated_utc": self.updated_utc,
        }


@dataclass
class MemoList:
    memos: list[Memo]
    filters: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # e.g. a coder name matched regardless of case

    def title(self) -> str:
        """ "Memos on csu-capacity, by bob, in P02": a shared analysis log says whose and on what."""
        f = self.filters
        said = [
            *([f"on {f['code']}"] if f.get("code") else []),
            *(["by " + ", ".join(f["coders"])] if f.get("coders") else []),
            *([f"in {f['transcript']}"] if f.get("transcript") else []),
        ]
        return "Memos" + (" " + ", ".join(said) if said else "")

    def to_json(self) -> dict:
        return {
            "filters": self.filters,
            "warnings": self.warnings,
            "count": len(self.memos),
            "memos": [m.to_json() for m in self.memos],
        }


def list_memos(
    db: Database,
    *,
    coders: list[str] | None = None,
    code: str | None = None,
    transcript: str | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> MemoList:
    """Memos, filtered. `code` keeps memos on that code (or any code under that theme) and segment memos
    whose author applied it to the segment; `transcript` keeps that transcript's memo and its segments'.
    A `code` a codebook version renamed or merged away gives the memos of the code it became (they moved
    with its decisions), and one still on memos or decisions (removed with --force) its own, each with a
    warning. Raises ReportError for an unknown code or transcript (coder names are resolved by the caller)."""
    active = get_active_codebook(db)
    codebook = active[1] if active else None
    names = {c.id: c.name for c in codebook.codes} if codebook else {}
    order = {c.id: i for i, c in enumerate(codebook.codes)} if codebook else {}
    wanted_codes: set[str] | None = None
    warnings: list[str] = []
    rows = iter_all_memos(db)
    if code is not None:
        wanted_codes, said = _wanted(db, codebook, code, rows)
        warnings += said
    if transcript is not None:
        known = transcript_ids(db)
        (transcript,) = as_known_ids([transcript], known)
        if transcript not in known:
            raise ReportError(unknown_transcript(transcript, known))
    applied: dict[tuple[str, int, str], frozenset[str]] = {}
    if wanted_codes is not None:
        applied = {(t, n, c): codes for t, n, c, codes in iter_decision_codes(db, coders=coders)}
    out: list[Memo] = []
    # A memo on a code the active codebook lacks (removed with --force) is named as it last was.
    gone = sorted({r["target_id"] for r in rows if r["target_type"] == "code"} - set(names))
    names |= earlier_names(db, gone)
    for row in rows:
        kind, target, coder = row["target_type"], row["target_id"], row["coder_id"]
        if kind not in kinds or (coders is not None and coder not in coders):
            continue
        memo = Memo(kind, target, coder, row["text"], row["created_utc"], row["updated_utc"])
        if kind == "segment":
            tid, _, n = target.rpartition(":")
            memo.transcript, memo.segment = tid, whole_number(n)
        elif kind == "transcript":
            memo.transcript = target
        else:
            memo.code_name = names.get(target)
        if transcript is not None and memo.transcript != transcript:
            continue
        if wanted_codes is not None:
            if kind == "code" and target not in wanted_codes:
                continue
            if kind == "transcript":
                continue
            if kind == "segment" and not (
                memo.segment is not None
                and applied.get((memo.transcript, memo.segment, coder), frozenset()) & wanted_codes
            ):
                continue
        out.append(memo)
    out.sort(
        key=lambda m: (
            KINDS.index(m.kind),
            order.get(m.target, len(order)) if m.kind == "code" else 0,
            study_order(m.transcript or ""),
            m.segment or 0,
            m.target,
            m.coder,
        )
    )
    _add_passages(db, out)
    filters = {"coders": coders, "code": code, "transcript": transcript}
    return MemoList(out, filters, warnings)


def _add_passages(db: Database, memos: list[Memo]) -> None:
    """Each segment memo's turn: its speaker, role and text, read for the memos' transcripts only."""
    wanted = {(m.transcript, m.segment) for m in memos if m.kind == "segment"}
    if not wanted:
        return
    turns = {
        (t, n): (speaker, role, text)
        for t, n, speaker, role, text in iter_transcript_segment_tuples(db, [t for t, _ in wanted])
        if (t, n) in wanted
    }
    for m in memos:
        if m.kind == "segment" and (m.transcript, m.segment) in turns:
            m.speaker, m.role, m.passage = turns[(m.transcript, m.segment)]


def _wanted(db: Database, codebook, code: str, memos: list[dict]) -> tuple[set[str], list[str]]:
    """The code ids `--code` keeps (a theme: its codes too), with the warnings to say."""
    if codebook is not None and codebook.code(code) is not None:
        return codebook.descendants(code), []
    moves, now, seen = code_moves(db), code, {code}
    while now in moves and moves[now] not in seen and (codebook is None or codebook.code(now) is None):
        now = moves[now]
        seen.add(now)
    if now != code and codebook is not None and codebook.code(now) is not None:
        said = (
            f'"{code}" is not in the active codebook: a codebook version renamed or merged it into "{now}", '
            f'and its memos moved with its decisions. These are the memos of "{now}": pass --code {now}.'
        )
        return codebook.descendants(now), [said]
    on_it = any(m["target_type"] == "code" and m["target_id"] == code for m in memos)
    split = declared_splits(db).get(code)
    if split and (on_it or count_decisions_by_code(db).get(code)):
        # "which no report counts" was wrong for a split code: the reports count it until it is recoded.
        into = " and ".join(split)
        said = (
            f'"{code}" was split into {into} by a codebook version: these are the memos written on it, and '
            "on segments where their author applied it. The reports count its decisions not yet recoded as "
            f'"... (before split)"; the memos of its new codes: --code {split[0]}.'
        )
        return {code}, [said]
    if on_it or count_decisions_by_code(db).get(code):
        said = (
            f'"{code}" is not in the active codebook: it is a code of an earlier version, which no report '
            "counts. Recode its segments, or bring the code back in the codebook."
        )
        return {code}, [said]
    near = codebook.did_you_mean(code) if codebook is not None else ""
    raise ReportError(
        f'Code "{code}" given with --code is not in the active codebook{near}. See "wei-qual codebook show".'
    )


def memos_markdown(result: MemoList) -> str:
    """Memos for reading: a section per kind, a heading per memo naming target, author and time."""
    from .excerpts import marked_markdown, md_escape, md_rule_escaped

    titles = {"code": "Code memos", "transcript": "Transcript memos", "segment": "Segment memos"}
    out = [f"# {md_escape(result.title())}", ""]
    kind = None
    for m in result.memos:
        if m.kind != kind:
            kind = m.kind
            out += [f"## {titles[kind]}", ""]
        target = m.target + (f" ({m.code_name})" if m.code_name else "")
        when = (m.updated_utc or m.created_utc or "")[:16].replace("T", " ")
        out += [f"### {md_escape(target)}: {md_escape(m.coder)}, {when} UTC", ""]
        if m.passage is not None:  # the turn written about, quoted as retrieve quotes it
            passage = marked_markdown(m.passage, [], paragraph="\n>\n> ")
            out += [f"> **{md_escape(m.who())}:** {passage}", ""]
        out += [md_rule_escaped(md_escape(line)) if line.strip() else "" for line in m.text.splitlines()]
        out.append("")
    if not result.memos:
        out += ["No memos match.", ""]
    return "\n".join(out)


def memos_csv(result: MemoList) -> str:
    from .controls import escape_controls
    from .spreadsheet import csv_text

    return escape_controls(csv_text(*memos_rows(result)))  # as every CSV of a report (wei_qual.controls)


def memos_xlsx(result: MemoList, path) -> list[str]:
    """The CSV's rows as a spreadsheet (text never a formula), the title and count on a notes sheet with
    the warnings. Returns what was cut to fit Excel."""
    from .report.writers import write_listing_xlsx

    columns, rows = memos_rows(result)
    note = f"{result.title()}: {plural(len(result.memos), 'memo')}."
    return write_listing_xlsx(path, "memos", result.title(), columns, rows, note, result.warnings)


def memos_rows(result: MemoList) -> tuple[list[str], list[list]]:
    """The CSV and XLSX columns and one row per memo."""
    columns = [
        "type",
        "target",
        "transcript",
        "segment",
        "code_name",
        "coder",
        "created_utc",
        "updated_utc",
        "text",
        "speaker",
        "role",
        "passage",
    ]
    rows = [
        [
            m.kind,
            m.target,
            m.transcript or "",
            m.segment or "",
            m.code_name or "",
            m.coder,
            m.created_utc or "",
            m.updated_utc or "",
            m.text,
            m.speaker or "",
            m.role or "",
            m.passage or "",
        ]
        for m in result.memos
    ]
    return columns, rows
