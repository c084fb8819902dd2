"""Terminal renderings of retrieve, search, memos and draft codes (pure: they return renderables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

EXCERPT = "reverse"
CONTEXT = "dim"


def _time(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def render_retrieval(result) -> RenderableType:
    """Each retrieved segment: a heading, its attributes and coders, the turns around it dimmed, and the
    segment with its excerpt marked."""
    from ..retrieve import MISSING, _about, _heading, _turn_line, _who

    parts: list[RenderableType] = [
        Text(result.title(), style="bold"),
        Text(result.summary() + ".", style="dim"),
    ]
    if result.source_note:
        parts.append(Text(result.source_note, style="italic"))
    for group, hits in result.groups():
        if result.by:
            parts.append(Rule(Text(f"{result.by}: {group or MISSING} ({len(hits)})"), style="cyan"))
        for h in hits:
            parts.append(Text(""))
            parts.append(Text(_heading(h), style="bold"))
            parts.append(Text(_about(h), style="dim italic"))
            for t in h.before:
                parts.append(Text(_turn_line(t), style=CONTEXT))
            turn = Text(f"{_who(h.speaker, h.role)}: ", style="bold")
            body = Text(h.text)
            for a, b in h.spans:
                body.stylize(EXCERPT, a, b)
            turn.append_text(body)
            parts.append(turn)
            for t in h.after:
                parts.append(Text(_turn_line(t), style=CONTEXT))
    if not result.hits:
        parts.append(Text("No segment has these codes under this source."))
    return Group(*parts)


def render_search(result, limit: int | None = None) -> RenderableType:
    """The keyword-in-context table: where, the words before, the hit, the words after, codes applied
    (the first `limit` hits)."""
    table = Table(title=Text(f"Search: {result.query}"), title_justify="left")
    if result.by:
        table.add_column(result.by)
    table.add_column("segment", no_wrap=True)
    table.add_column("left", justify="right", overflow="ellipsis")
    table.add_column("hit", style="bold", no_wrap=True)
    table.add_column("right", overflow="ellipsis")
    table.add_column("codes applied (coders)")
    for h in result.hits[:limit]:
        where = f"{h.transcript}:{h.segment}" + (" (I)" if h.role == "interviewer" else "")
        codes = Text(h.codes_text() or "—", style="" if h.codes else "yellow")
        table.add_row(
            *([Text(h.group or "")] if result.by else []),
            Text(where),
            Text(h.left),
            Text(h.match),
            Text(h.right),
            codes,
        )
    return table


def render_memos(memos) -> RenderableType:
    table = Table(show_lines=True)
    for column in ("on", "target", "coder", "updated (UTC)", "memo"):
        table.add_column(column, no_wrap=column in ("on", "updated (UTC)"))
    for m in memos:
        target = m.target + (f" ({m.code_name})" if m.code_name else "")
        table.add_row(
            m.kind, Text(target), Text(m.coder), _time(m.updated_utc or m.created_utc), Text(m.text)
        )
    return table


def render_drafts(drafts) -> RenderableType:
    table = Table()
    for column in ("draft code", "name", "under", "created by", "created (UTC)", "decisions", "segments"):
        table.add_column(column, justify="right" if column == "decisions" else "left")
    for d in drafts:
        shown = ", ".join(f"{t}:{n} ({c})" for t, n, c in d.uses[:6]) + (" …" if len(d.uses) > 6 else "")
        table.add_row(
            Text(d.id),
            Text(d.name),
            Text(d.parent or ""),
            Text(d.created_by or ""),
            _time(d.created_utc),
            str(len(d.uses)),
            Text(shown),
        )
    return table
