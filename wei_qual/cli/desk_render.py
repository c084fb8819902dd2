"""Terminal renderings of retrieve, search, memos and draft codes (pure: they return renderables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from ..console import escape_controls
from ..controls import escape_with_offsets

EXCERPT = "reverse"
CONTEXT = "dim"


def _time(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def render_retrieval(result) -> RenderableType:
    """Each retrieved segment: a heading, its attributes and coders, the turns around it dimmed, and the
    segment with its excerpt marked."""
    from ..models import group_heading
    from ..retrieve import _about, _heading, _turn_line, _who, group_count
    from .tables import Heading

    parts: list[RenderableType] = [
        Text(result.title(), style="bold"),
        Text(result.summary() + ".", style="dim"),
    ]
    if result.source_note:
        parts.append(Text(result.source_note, style="italic"))
    for group, hits in result.groups():
        if result.by:
            parts.append(Heading(f"{group_heading(result.by, group)} ({group_count(hits)})", style="cyan"))
        for h in hits:
            parts.append(Text(""))
            parts.append(Text(_heading(h), style="bold"))
            parts.append(Text(_about(h), style="dim italic"))
            for t in h.before:
                parts.append(Text(_turn_line(t), style=CONTEXT))
            turn = Text(f"{_who(h.speaker, h.role)}: ", style="bold")
            turn.append_text(_marked(h.text, h.spans))
            parts.append(turn)
            for t in h.after:
                parts.append(Text(_turn_line(t), style=CONTEXT))
    if not result.hits:
        parts.append(Text(result.nothing()))
    return Group(*parts)


def _marked(text: str, spans) -> Text:
    """A turn with its excerpt spans in reverse video. Control characters are shown as escapes before
    Rich sees the text (its Text drops BEL, BS and CR, which moved every mark after one), and the spans,
    offsets into the stored text, are moved to the escaped text."""

    shown, at = escape_with_offsets(text)
    body = Text(shown)
    for a, b in spans:
        body.stylize(EXCERPT, at(a), at(b))
    return body


def render_search(result, limit: int | None = None) -> RenderableType:
    """The keyword-in-context table: where, the words before, the hit, the words after, codes applied
    (the first `limit` hits). Codes move under their row on a narrow terminal."""
    from .tables import Column, FitTable

    columns = [Column(result.by, kind="id")] if result.by else []
    columns += [
        Column("segment", kind="id"),
        Column("left", kind="text", justify="right", min_width=12),
        Column("hit", kind="text", min_width=8),
        Column("right", kind="text", min_width=12),
        *([Column("alternative", kind="text", priority=2)] if result.alternatives else []),
        Column("codes applied (coders)", kind="long", priority=1),
    ]
    table = FitTable(*columns, title=Text(result.title()), hint="--wide or --format csv")
    for h in result.hits[:limit]:
        where = f"{h.transcript}:{h.segment}" + {"interviewer": " (I)", "other": " (other)"}.get(h.role, "")
        where += f" p. {h.pages}" if h.pages else ""
        # Another speaker's turn (the radio) is never coded: no codes there is no gap to look at.
        codes = Text(h.codes_text() or "—", style="" if h.codes or h.role == "other" else "yellow")
        table.add_row(
            *([h.group or ""] if result.by else []),
            where,
            h.left,
            Text(escape_controls(h.match), style="bold"),  # escaped first: Rich's Text drops a BEL
            h.right,
            *([escape_controls(h.alternative or "")] if result.alternatives else []),
            codes,
        )
    return table


def render_memos(memos, width: int = 60) -> RenderableType:
    """The memos, a segment memo with the first `width` characters of its turn and who said it (0:
    none), so the memo is read with what it is about."""
    from .tables import Column, FitTable

    shown = width > 0 and any(m.passage is not None for m in memos)
    table = FitTable(
        Column("on", kind="id"),
        Column("target", kind="id"),
        Column("coder", kind="id"),
        Column("updated (UTC)", kind="id", priority=2),
        *([Column("passage", kind="prose", priority=3)] if shown else []),
        Column("memo", kind="prose", priority=1),
        hint="--wide or --format md",
    )
    for m in memos:
        target = m.target + (f" ({m.code_name})" if m.code_name else "")
        passage = f"{m.who()}: {m.glimpse(width)}" if m.passage is not None else ""
        table.add_row(
            m.kind,
            target,
            m.coder,
            _time(m.updated_utc or m.created_utc),
            *([escape_controls(passage)] if shown else []),  # escaped first: Rich's Text drops a BEL
            escape_controls(m.text),
        )
    return table


def render_drafts(drafts) -> RenderableType:
    from .tables import Column, FitTable

    table = FitTable(
        Column("draft code", kind="id"),
        Column("name", kind="text", priority=3),
        Column("under", kind="id", priority=4),
        Column("created by", kind="id", priority=5),
        Column("created (UTC)", kind="id", priority=6),
        Column("decisions", kind="number"),
        Column("segments", kind="long", priority=1),
        hint="--wide or --format json",
    )
    for d in drafts:
        shown = ", ".join(f"{t}:{n} ({c})" for t, n, c in d.uses[:6]) + (" …" if len(d.uses) > 6 else "")
        table.add_row(
            d.id, d.name, d.parent or "", d.created_by or "", _time(d.created_utc), str(len(d.uses)), shown
        )
    return table
