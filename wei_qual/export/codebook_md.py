"""Codebook as a Markdown appendix: one table per theme (id, name, definition, include, exclude, examples)."""

from __future__ import annotations

from pathlib import Path

from ..controls import escape_controls, md_text_escaped
from ..models import Codebook
from ..safeio import write_text_atomic
from .common import examples_text, exclusive_note, path_name, themes

COLUMNS = ("id", "name", "definition", "include", "exclude", "examples")


def _text(text: str) -> str:
    """Codebook text as Markdown shows it: on one line, a "<laughs>" or "<crosstalk>" in an example kept
    (a renderer would take it for an HTML tag and drop it, or run it), a link's `](` broken, control
    characters shown as escapes (a codebook may come from another team's .qdc), "&lt;" kept as written,
    and a link definition opening it escaped ("[1]: http://…" opening a paragraph would be a hidden link definition
    that a "![x][1]" anywhere in the file loads as an image)."""
    text = escape_controls(" ".join(text.split()).replace("\\", "\\\\").replace("<", "\\<"))
    return md_text_escaped(text.replace("](", "]\\("))


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def render_codebook_md(codebook: Codebook) -> str:
    """The Markdown text (also used by `codebook show --format md`)."""
    out = [f"# {_text(codebook.name)}", "", f"Version: {_text(codebook.version)}", ""]
    if codebook.description.strip():
        out += [_text(codebook.description), ""]
    for theme, rows in themes(codebook):
        out += [f"## {_text(theme.name)} (`{theme.id}`)", ""]
        if theme.definition.strip():
            out += [_cell(theme.definition), ""]
        out += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        notes = [exclusive_note(codebook, theme)] if theme.exclusive else []
        for code, _depth in rows:
            cells = [
                f"`{code.id}`",
                path_name(codebook, code, theme) if code is not theme else code.name,
                code.definition,
                code.include,
                code.exclude,
                examples_text(code),
            ]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
            if code.exclusive and code is not theme:
                notes.append(f"`{code.id}`: {exclusive_note(codebook, code)}")
        out.append("")
        if notes:
            out += [_cell(n) for n in notes] + [""]
    return "\n".join(out)


def write_codebook_md(codebook: Codebook, path: Path) -> None:
    write_text_atomic(path, render_codebook_md(codebook))
