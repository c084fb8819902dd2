"""Compare two codebooks (stored versions or files): added, removed, renamed, merged and changed codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import CodebookError
from ..models import Code, Codebook
from ..numbers import whole_number
from ..store import codebooks as store
from . import parse_codebook_file, problems_message

# Fields compared for codes present on both sides (after following renames), in report order.
COMPARED = (
    "name",
    "parent",
    "definition",
    "include",
    "exclude",
    "examples",
    "atypical_examples",
    "keywords",
    "patterns",
    "color",
    "exclusive",
)


@dataclass
class Side:
    """One side of a diff: where it came from, the codebook, and its declared merges."""

    ref: str  # "version 3" or the file path
    codebook: Codebook
    merges: dict[str, str] = field(default_factory=dict)


@dataclass
class CodebookDiff:
    a: Side
    b: Side
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (retired id, target id)
    changed: list[tuple[str, dict[str, tuple]]] = field(
        default_factory=list
    )  # (id, {field: (before, after)})

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.merged or self.changed)

    def to_json(self) -> dict:
        """The documented JSON shape (docs/codebook.md)."""
        return {
            "a": {"ref": self.a.ref, "name": self.a.codebook.name, "version": self.a.codebook.version},
            "b": {"ref": self.b.ref, "name": self.b.codebook.name, "version": self.b.codebook.version},
            "added": self.added,
            "removed": self.removed,
            "renamed": [{"from": old, "to": new} for old, new in self.renamed],
            "merged": [{"from": old, "into": new} for old, new in self.merged],
            "changed": [
                {
                    "id": code_id,
                    "fields": {k: {"before": _plain(v[0]), "after": _plain(v[1])} for k, v in f.items()},
                }
                for code_id, f in self.changed
            ],
        }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def diff_codebooks(a: Side, b: Side) -> CodebookDiff:
    """What changed from `a` to `b`. Renames and merges are those declared in `b`."""
    a_codes = {c.id: c for c in a.codebook.codes}
    b_codes = {c.id: c for c in b.codebook.codes}
    result = CodebookDiff(a, b)
    renamed_to = {
        c.renamed_from: c.id for c in b.codebook.codes if c.renamed_from in a_codes and c.id not in a_codes
    }
    for code_id in b_codes:
        if code_id not in a_codes and code_id not in renamed_to.values():
            result.added.append(code_id)
    for code_id in a_codes:
        if code_id in b_codes:
            continue
        if code_id in renamed_to:
            result.renamed.append((code_id, renamed_to[code_id]))
        elif code_id in b.merges:
            result.merged.append((code_id, b.merges[code_id]))
        else:
            result.removed.append(code_id)
    for code_id, old in a_codes.items():
        new = b_codes.get(renamed_to.get(code_id, code_id))
        if new is None:
            continue
        changes = _changes(old, new, renamed_to)
        if changes:
            result.changed.append((new.id, changes))
    return result


def _changes(old: Code, new: Code, renamed_to: dict[str, str]) -> dict[str, tuple]:
    changes = {}
    for name in COMPARED:
        before, after = getattr(old, name), getattr(new, name)
        if name == "parent" and before in renamed_to:
            before = renamed_to[before]  # a renamed parent is not a move
        if before != after:
            changes[name] = (before, after)
    return changes


def resolve_side(db: Database | None, ref: str) -> Side:
    """A version number (digits) from the project, or a codebook file; raise CodebookError if neither."""
    version = whole_number(ref)
    if version is not None:
        if db is None:
            raise CodebookError(f"Version {ref} needs a project. Pass --db, or compare two files.")
        codebook = store.get_codebook(db, version)
        if codebook is None:
            known = ", ".join(str(r["id"]) for r in store.iter_codebook_versions(db)) or "none"
            raise CodebookError(
                f'Codebook version {version} does not exist (versions: {known}). See "wei-qual codebook show".'
            )
        return Side(f"version {version}", codebook, store.get_codebook_merges(db, version))
    parsed = parse_codebook_file(Path(ref), patterns=False)
    if parsed.problems:
        raise CodebookError(problems_message(ref, parsed.problems))
    assert parsed.codebook is not None
    return Side(ref, parsed.codebook, parsed.merges)


def default_refs(db: Database, refs: list[str]) -> list[str]:
    """Fill in the defaults: no argument = previous vs active version; one argument = it vs active."""
    if len(refs) > 2:
        raise CodebookError("codebook diff takes at most two versions or files. Pass A and B.")
    if len(refs) == 2:
        return refs
    active = store.get_active_version_id(db)
    if active is None:
        raise CodebookError('No codebook is loaded in this project. Run "wei-qual codebook load FILE" first.')
    if len(refs) == 1:
        return [refs[0], str(active)]
    earlier = [r["id"] for r in store.iter_codebook_versions(db) if r["id"] < active]
    if not earlier:
        raise CodebookError(
            f"Version {active} is the first codebook version, so there is nothing to compare it with. "
            "Pass a version number or a file: wei-qual codebook diff A [B]."
        )
    return [str(earlier[-1]), str(active)]
