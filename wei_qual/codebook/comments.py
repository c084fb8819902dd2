"""The lead's comments in a codebook's YAML, carried into a version wei-qual writes from the stored codes.

A version made while coding (a draft code created, completed, merged or dropped) and `codebook export
--format yaml` are written from the codes, and YAML comments are no part of a code: without this the
lines that explain why a definition reads as it does were in the lead's file and the project's first
version only. Each comment is tied to where it was:

- before a code's `- id:` line: before that code's line again;
- inside a code, before one of its keys (`definition:`) or after a value on the same line: before that
  key's line (a comment after a value becomes a line of its own above the key);
- anywhere else before the first code (the file's top, before `codes:`): after wei-qual's header;
- after the last code: at the end.

A code's comments are carried only where the caller says the code is unchanged: a comment on a
definition that changed may no longer be true. wei-qual's own header lines are not carried.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from ..models import Code, Codebook
from ..safeyaml import compose
from .dump import codebook_to_yaml

# The first lines wei-qual writes at the top of a codebook file (dump.WEI_QUAL_HEADERS and what follows
# them): a header, not the lead's comment.
_OWN_HEADER = re.compile(
    r"# (Written by wei-qual:|Exported by wei-qual codebook export\.|Imported from |Review names, ids and "
    r"definitions, then: wei-qual codebook validate )"
)
_INLINE = re.compile(r"[ \t]+(#.*)$")
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass
class Comments:
    top: list[str] = field(default_factory=list)  # comment lines, each "# ..." without its indentation
    codes: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)  # (code, key or None)
    end: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.top or self.codes or self.end)


@dataclass
class _Code:
    id: str
    node: yaml.MappingNode
    first: int  # the line of its "- id:" item
    last: int  # its last line
    keys: list[tuple[str, int, int]]  # (key, first line, last line) of its own keys, children's excluded


def _codes(root: yaml.Node | None) -> Iterator[_Code]:
    """Every code mapping of a codebook's node tree, parents before children."""

    def walk(seq: yaml.Node) -> Iterator[_Code]:
        if not isinstance(seq, yaml.SequenceNode):
            return
        for item in seq.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            pairs = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            code_id = pairs.get("id")
            if not isinstance(code_id, yaml.ScalarNode):
                continue
            keys = [
                (k.value, k.start_mark.line, _last_line(v))
                for k, v in item.value
                if isinstance(k, yaml.ScalarNode)
            ]
            yield _Code(str(code_id.value), item, item.start_mark.line, _last_line(item), keys)
            if "children" in pairs:
                yield from walk(pairs["children"])

    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == "codes":
                yield from walk(v)


def _last_line(node: yaml.Node) -> int:
    """The last line holding any of the node (a block's end mark is at the start of the line after it)."""
    end = node.end_mark
    return end.line if end.column > 0 else end.line - 1


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _nodes(k)
            yield from _nodes(v)


def read_comments(text: str) -> Comments:
    """The comments of a codebook's YAML text, by where they are; empty when the text does not parse."""
    try:
        root = compose(text)
    except yaml.YAMLError:
        return Comments()
    if root is None:
        return Comments()
    lines = _BREAKS.split(text)  # the lines YAML counts (str.splitlines breaks at \x1c and others too)
    content: set[int] = set()  # lines inside a multi-line scalar: a "#" there is text
    value_end: dict[int, int] = {}  # line -> the column after the last value or key ending on it
    opens: set[int] = set()  # lines where a quoted or flow value starts and goes on: a "#" after it is text
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            start, end = node.start_mark, node.end_mark
            block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
            content.update(range(start.line + 1, _last_line(node) + 1))
            if end.column > 0 and not block:
                value_end[end.line] = max(value_end.get(end.line, 0), end.column)
            if _last_line(node) > start.line and not block:
                opens.add(start.line)
    codes = list(_codes(root))
    out = Comments()
    pending: list[str] = []  # full-line comments waiting for the line they stand before
    for n, line in enumerate(lines):
        stripped = line.strip()
        if n in content and n not in value_end:
            continue
        if stripped.startswith("#") and n not in content:
            pending.append(stripped)
            continue
        if not stripped:
            continue
        inline = None if n in opens else _INLINE.search(line, value_end.get(n, len(line)))
        owner = _owner(codes, n)
        if owner is None:
            out.top += pending + ([inline.group(1)] if inline else [])
        else:
            code, key = owner
            out.codes.setdefault((code, key), []).extend(pending + ([inline.group(1)] if inline else []))
        pending = []
    if codes:
        out.end = pending
    else:
        out.top += pending
    while out.top and _OWN_HEADER.match(out.top[0]):
        out.top.pop(0)
    out.codes = {where: lines for where, lines in out.codes.items() if lines}
    return out


def _owner(codes: list[_Code], line: int) -> tuple[str, str | None] | None:
    """The code (and its key) a line belongs to: the innermost code holding it; None before any code."""
    found = None
    for code in codes:
        if code.first <= line <= code.last:
            found = code  # parents come first: the last one holding the line is the innermost
    if found is None:
        return None
    if line == found.first:
        return found.id, None
    for key, first, last in found.keys:
        if first <= line <= max(first, last):
            return found.id, key
    return found.id, None


def with_comments(generated: str, comments: Comments, keep: set[str]) -> str:
    """`generated` (YAML wei-qual wrote) with `comments` put back: the top ones after its header, those of
    the codes in `keep` before the same code or key, the end ones at the end."""
    if not comments:
        return generated
    lines = generated.splitlines()
    before: dict[int, list[str]] = {}
    root = compose(generated)
    for code in _codes(root):
        if code.id not in keep:
            continue
        indent = " " * code.node.start_mark.column
        places = [(None, code.first)] + [(key, first) for key, first, _ in code.keys if key != "id"]
        for key, first in places:
            carried = comments.codes.get((code.id, key))
            if carried:
                # Before the "- " of the item for the code itself, before the key for a key's.
                pad = indent[:-2] if key is None else indent
                before.setdefault(first, []).extend(pad + c for c in carried)
    out: list[str] = []
    header_done = False
    for n, line in enumerate(lines):
        if not header_done and not line.startswith("#"):
            out += comments.top
            header_done = True
        out += before.get(n, [])
        out.append(line)
    return "\n".join([*out, *comments.end]) + "\n"


def carried_yaml(
    codebook: Codebook, *, header: str, source: str | None, before: Codebook | None = None
) -> str:
    """`codebook` as wei-qual writes it, with the comments of `source` (the YAML text of the version it was
    made from, or of its own version) carried over: all of them when `before` is None (the same codes),
    else those of the codes equal in `codebook` and `before`, and of the file's top and end."""
    generated = codebook_to_yaml(codebook, header=header)
    if not source:
        return generated
    if before is None:
        same = {c.id for c in codebook.codes}
    else:
        same = {c.id for c in codebook.codes if _same(before.code(c.id), c)}
    return with_comments(generated, read_comments(source), same)


def _same(old: Code | None, new: Code) -> bool:
    return old is not None and dataclasses.replace(old, line=None) == dataclasses.replace(new, line=None)
