"""Rich renderables for codebooks (pure: they return objects, the CLI prints them)."""

from __future__ import annotations

from rich.markup import escape
from rich.tree import Tree

from ..models import Codebook


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
