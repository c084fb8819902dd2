"""YAML front matter (`---` ... `---` at the top of a .txt/.md file): transcript id and attributes."""

from __future__ import annotations

from ..controls import LINE_BREAKS, has_controls
from ..errors import TranscriptError


def split_front_matter(text: str, name: str) -> tuple[str | None, dict[str, str], str]:
    """Return (id or None, attributes, body with the front matter blanked out).

    The body keeps one empty line per front-matter line, so line numbers stay file line numbers.
    Raises TranscriptError for unterminated or invalid YAML, naming the file and line.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise TranscriptError(
            f'"{name}", line 1: front matter starts with "---" but has no closing "---" line. '
            f"Add the closing line, or remove the front matter."
        )
    import yaml  # only files with front matter need PyYAML

    from ..safeyaml import safe_load  # no aliases, bounded nesting: front matter comes from anyone

    try:
        meta = safe_load("\n".join(lines[1:end]), unique_keys=True)
    except yaml.YAMLError as ex:
        mark = getattr(ex, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(ex, "problem", None) or "invalid YAML"
        raise TranscriptError(
            f'"{name}", line {line}: front matter is not valid YAML ({problem}). '
            f'Fix it (lines like "role: officer"), or remove the front matter.'
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise TranscriptError(
            f'"{name}", line 2: front matter must be "key: value" lines. '
            f'Fix it (lines like "role: officer"), or remove the front matter.'
        )
    transcript_id = meta.pop("id", None)
    if transcript_id is not None:
        transcript_id = str(transcript_id).strip() or None
    attributes = {str(k): _scalar(v) for k, v in meta.items() if v is not None}
    odd = next((k for k, v in attributes.items() if LINE_BREAKS.search(k) or has_controls(k + v)), None)
    if odd is not None:
        # As in an attributes CSV: an escape would part "police" from "\x1b[31mpolice" in every report, and a
        # line break in a name ("role\nError: ...") would start a line of its own in every message naming it.
        raise TranscriptError(
            f'"{name}", line {_line_of(odd, lines[1:end])}: a front-matter key or its value holds a control '
            "character (a terminal colour code or a bidi override), or the key a line break. Retype it."
        )
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return transcript_id, attributes, body


def _line_of(key: str, lines: list[str]) -> int:
    """The file line of a front-matter key (the front matter's own lines start at the file's line 2)."""
    from ..safeyaml import compose

    node = compose("\n".join(lines))
    marks = [k.start_mark.line for k, _ in node.value if str(k.value) == key] if node is not None else []
    return (marks[0] if marks else 0) + 2


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)
