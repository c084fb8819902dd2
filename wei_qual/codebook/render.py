"""Rich renderables for codebooks and diffs (pure: they return objects, the CLI prints them)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..models import Codebook
from .diff import CodebookDiff


def _n(count: int) -> str:
    return f"{count} decision{'s' if count != 1 else ''}"


def render_tree(version: int, codebook: Codebook, counts: dict[str, int]) -> Tree:
    """Ids, names and decision counts, as a tree; exclusive groups are marked."""
    tree = Tree(f"[bold]{escape(codebook.name)}[/] (version {version}, label {escape(codebook.version)})")

    def add(branch: Tree, parent: str | None) -> None:
        for code in codebook.children(parent):
            mark = " [italic](exclusive: pick one)[/]" if code.exclusive else ""
            if code.draft:
                mark += " [yellow](draft: no definition yet)[/]"
            child = branch.add(
                f"[cyan]{escape(code.id)}[/]  {escape(code.name)}  [dim]{_n(counts.get(code.id, 0))}[/]{mark}"
            )
            add(child, code.id)

    add(tree, None)
    return tree


def _short(value: object, width: int = 60) -> str:
    text = (
        ", ".join(map(str, value))
        if isinstance(value, (list, tuple))
        else ("" if value is None else str(value))
    )
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_diff(diff: CodebookDiff) -> Table:
    """One row per change: kind, code, detail."""
    table = Table(title=f"{escape(diff.a.ref)} → {escape(diff.b.ref)}", title_justify="left")
    table.add_column("change")
    table.add_column("code")
    table.add_column("detail")
    for code_id in diff.added:
        table.add_row("added", escape(code_id), escape(diff.b.codebook.code(code_id).name))
    for code_id in diff.removed:
        table.add_row("removed", escape(code_id), escape(diff.a.codebook.code(code_id).name))
    for old, new in diff.renamed:
        table.add_row("renamed", escape(old), f"→ {escape(new)}")
    for old, new in diff.merged:
        table.add_row("merged", escape(old), f"into {escape(new)}")
    for code_id, fields in diff.changed:
        for name, (before, after) in fields.items():
            table.add_row(
                f"{name} changed", escape(code_id), f"{escape(_short(before))} → {escape(_short(after))}"
            )
    return table
