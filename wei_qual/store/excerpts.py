"""The stored form of a decision's excerpts (the decisions.excerpts column)."""

from __future__ import annotations

import json

from ..models import Excerpt


def excerpts_json(excerpts) -> str | None:
    """The stored form of a decision's excerpts: {"code": [[start, end], ...]}, or None for none."""
    if not excerpts:
        return None
    spans: dict[str, list[list[int]]] = {}
    for e in sorted(excerpts):
        spans.setdefault(e.code, []).append([e.start, e.end])
    return json.dumps(spans, sort_keys=True)


def excerpts_from_json(text: str | None) -> tuple[Excerpt, ...]:
    """A decision's excerpts from the stored JSON (None or "{}": none), sorted."""
    if not text:
        return ()
    return tuple(
        sorted(Excerpt(code, int(s), int(e)) for code, spans in json.loads(text).items() for s, e in spans)
    )
