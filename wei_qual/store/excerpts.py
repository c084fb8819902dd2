"""The stored form of a decision's excerpts (the decisions.excerpts column)."""

from __future__ import annotations

import json

from ..models import Excerpt, merge_spans


def excerpts_json(excerpts) -> str | None:
    """The stored form of a decision's excerpts: {"code": [[start, end], ...]}, each code's overlapping or
    touching spans joined (a merge of two codes that both had an excerpt stored them overlapping, and the
    export, .qdpx and quotes gave the shared words twice), or None for none."""
    if not excerpts:
        return None
    spans: dict[str, list[tuple[int, int]]] = {}
    for e in excerpts:
        spans.setdefault(e.code, []).append((e.start, e.end))
    return json.dumps({c: [list(s) for s in merge_spans(v)] for c, v in spans.items()}, sort_keys=True)


def excerpts_from_json(text: str | None) -> tuple[Excerpt, ...]:
    """A decision's excerpts from the stored JSON (None or "{}": none), sorted."""
    if not text:
        return ()
    return tuple(
        sorted(Excerpt(code, int(s), int(e)) for code, spans in json.loads(text).items() for s, e in spans)
    )
