"""Compare two codebooks (stored versions or files): added, removed, renamed, merged, split and changed codes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import CodebookError
from ..models import Code, Codebook
from ..numbers import whole_number
from ..store import codebooks as store
from . import parse_codebook_file, problems_message
from .versions import version_splits

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
    "exclude_keywords",
    "patterns",
    "color",
    "exclusive",
    "draft",
)
# The codebook's own fields, compared too (a new label or description is a change to name).
COMPARED_TOP = ("name", "version", "description")


@dataclass
class Side:
    """One side of a diff: where it came from, the codebook, and its declared merges."""

    ref: str  # "version 3" or the file path
    codebook: Codebook
    merges: dict[str, str] = field(default_factory=dict)
    number: int | None = None  # the stored version's number; None for a file
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict)  # retired id -> codes it was split into
    active: bool = False  # the project's active version

    @property
    def label(self) -> str:
        """How the table names the side: "version 3 (active)", "version 1", "file codebooks/study.yaml"."""
        if self.number is None:
            return f"file {self.ref}"
        return self.ref + (" (active)" if self.active else "")


@dataclass
class CodebookDiff:
    a: Side
    b: Side
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (retired id, target id)
    split: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (retired id, codes it became)
    changed: list[tuple[str, dict[str, tuple]]] = field(
        default_factory=list
    )  # (id, {field: (before, after)})
    codebook: dict[str, tuple[str, str]] = field(default_factory=dict)  # name/version/description

    @property
    def same_codes(self) -> bool:
        """No code added, removed, renamed, merged, split or changed (the codebook's own fields aside)."""
        return not (self.added or self.removed or self.renamed or self.merged or self.split or self.changed)

    @property
    def empty(self) -> bool:
        return self.same_codes and not self.codebook

    def to_json(self) -> dict:
        """The documented JSON shape (docs/codebook.md)."""
        return {
            "a": {"ref": self.a.ref, "name": self.a.codebook.name, "version": self.a.codebook.version},
            "b": {"ref": self.b.ref, "name": self.b.codebook.name, "version": self.b.codebook.version},
            "direction": f"from {self.a.label} to {self.b.label}",
            "codebook": {k: {"before": v[0], "after": v[1]} for k, v in self.codebook.items()},
            "added": self.added,
            "removed": self.removed,
            "renamed": [{"from": old, "to": new} for old, new in self.renamed],
            "merged": [{"from": old, "into": new} for old, new in self.merged],
            "split": [{"from": old, "into": list(new)} for old, new in self.split],
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


Moves = dict[str, tuple[str, str]]  # old id -> (the id it went to, "renamed" or "merged")


def declared_moves(side: Side) -> Moves:
    """The renames and merges one codebook declares."""
    moves: Moves = {c.renamed_from: (c.id, "renamed") for c in side.codebook.codes if c.renamed_from}
    return moves | {old: (new, "merged") for old, new in side.merges.items()}


def compose_moves(steps: list[Moves]) -> Moves:
    """The moves of several versions loaded one after the other, as one: a rename then a rename is one
    rename, anything that went through a merge is merged."""
    moves: Moves = {}
    for step in steps:
        for old, (new, kind) in list(moves.items()):
            if new in step:
                then, how = step[new]
                moves[old] = (then, "merged" if "merged" in (kind, how) else "renamed")
        moves |= {old: move for old, move in step.items() if old not in moves}
    return {old: move for old, move in moves.items() if move[0] != old}


def diff_codebooks(
    a: Side, b: Side, *, moves: Moves | None = None, splits: dict[str, tuple[str, ...]] | None = None
) -> CodebookDiff:
    """What changed from `a` to `b`. Renames and merges are `moves` (default: those declared in `b`), splits
    `splits` (default: `b`'s): a code of `a` split into codes of `b` is split, not removed."""
    splits = b.splits if splits is None else splits
    a_codes = {c.id: c for c in a.codebook.codes}
    b_codes = {c.id: c for c in b.codebook.codes}
    result = CodebookDiff(a, b)
    moves = declared_moves(b) if moves is None else moves
    renamed_to = {
        old: new
        for old, (new, kind) in moves.items()
        if kind == "renamed"
        and old in a_codes
        and old not in b_codes
        and new in b_codes
        and new not in a_codes
    }
    merged_into = {
        old: new
        for old, (new, kind) in moves.items()
        if old in a_codes and old not in b_codes and new in b_codes and old not in renamed_to
    }
    for code_id in b_codes:
        if code_id not in a_codes and code_id not in renamed_to.values():
            result.added.append(code_id)
    for code_id in a_codes:
        if code_id in b_codes:
            continue
        if code_id in renamed_to:
            result.renamed.append((code_id, renamed_to[code_id]))
        elif code_id in merged_into:
            result.merged.append((code_id, merged_into[code_id]))
        elif code_id in splits and all(t in b_codes for t in splits[code_id]):
            result.split.append((code_id, splits[code_id]))
        else:
            result.removed.append(code_id)
    for code_id, old in a_codes.items():
        new = b_codes.get(renamed_to.get(code_id, code_id))
        if new is None:
            continue
        changes = _changes(old, new, renamed_to)
        if changes:
            result.changed.append((new.id, changes))
    result.codebook = {
        name: (getattr(a.codebook, name), getattr(b.codebook, name))
        for name in COMPARED_TOP
        if getattr(a.codebook, name).strip() != getattr(b.codebook, name).strip()
    }
    return result


def project_moves(db: Database | None, a: Side, b: Side) -> Moves:
    """The renames and merges between two sides: from a stored version to a later one (or to a file, to
    be loaded after the active version), every version loaded in between moved codes, one after the
    other, whether or not `b` still carries the lines; otherwise those `b` declares."""
    if db is None or a.number is None or (b.number is not None and b.number <= a.number):
        return declared_moves(b)
    upto = b.number if b.number is not None else store.get_active_version_id(db)
    steps = [
        declared_moves(Side("", codebook, store.get_codebook_merges(db, row["id"])))
        for row in store.iter_codebook_versions(db)
        if a.number < row["id"] <= (upto or 0) and (codebook := store.get_codebook(db, row["id"])) is not None
    ]
    return compose_moves(steps + ([declared_moves(b)] if b.number is None else []))


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
        codebook = replace(codebook, description=store.get_codebook_description(db, version))
        merges = store.get_codebook_merges(db, version)
        active = store.get_active_version_id(db) == version
        return Side(f"version {version}", codebook, merges, version, version_splits(db, version), active)
    parsed = parse_codebook_file(Path(ref), patterns=False)
    if parsed.problems:
        raise CodebookError(problems_message(ref, parsed.problems))
    assert parsed.codebook is not None
    return Side(ref, parsed.codebook, parsed.merges, splits=parsed.splits)


def project_splits(db: Database | None, a: Side, b: Side) -> dict[str, tuple[str, ...]]:
    """The splits between two sides: those of every version loaded after `a` up to `b` (or the active one,
    for a file), then `b`'s own, whether or not `b` still carries the stubs."""
    if db is None or a.number is None or (b.number is not None and b.number <= a.number):
        return b.splits
    upto = b.number if b.number is not None else store.get_active_version_id(db)
    found: dict[str, tuple[str, ...]] = {}
    for row in store.iter_codebook_versions(db):
        if a.number < row["id"] <= (upto or 0):
            found |= version_splits(db, row["id"])
    return found | b.splits


def default_refs(db: Database, refs: list[str]) -> list[str]:
    """Fill in the defaults: no argument = the previous version to the active one; one argument = that
    version to the active one, or the active version to that file."""
    if len(refs) > 2:
        raise CodebookError("codebook diff takes at most two versions or files. Pass A and B.")
    if len(refs) == 2:
        return refs
    active = store.get_active_version_id(db)
    if active is None:
        raise CodebookError('No codebook is loaded in this project. Run "wei-qual codebook load FILE" first.')
    if len(refs) == 1:
        # Read the way a change is made: from an earlier version to the active one, and from the active
        # version to a file about to be loaded (a lead's edited file; its renamed_from lines are the moves).
        return [refs[0], str(active)] if whole_number(refs[0]) is not None else [str(active), refs[0]]
    earlier = [r["id"] for r in store.iter_codebook_versions(db) if r["id"] < active]
    if not earlier:
        raise CodebookError(
            f"Version {active} is the first codebook version, so there is nothing to compare it with. "
            "Pass a version number or a file: wei-qual codebook diff A [B]."
        )
    return [str(earlier[-1]), str(active)]
