"""Codes born while coding: a coder creates a draft code in the session (`+new`), and the lead later
completes it with a definition, merges it into an existing code, or drops it.

Every change writes a new codebook version (its YAML written by dump.py, the draft flagged `draft: true`),
makes it active, keeps the previous version's merge records, carries the fresh suggestions over (the other
codes did not change) and is audited. A version whose text equals an earlier one is reactivated instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import CodebookError
from ..models import Code, Codebook, plural
from ..session import SLUG, exclusive_conflicts
from ..store import codebooks as store
from ..store import iter_audit, transaction, write_audit
from ..store.drafts import delete_code_from_decisions, iter_code_uses
from ..store.suggestions import move_suggestions
from .comments import carried_yaml


@dataclass
class DraftInfo:
    """One draft code of the active version, who made it and where it is applied."""

    id: str
    name: str
    parent: str | None
    created_by: str | None
    created_utc: str | None
    uses: list[tuple[str, int, str]] = field(default_factory=list)  # (transcript, segment, coder)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "parent": self.parent,
            "created_by": self.created_by,
            "created_utc": self.created_utc,
            "decisions": len(self.uses),
            "segments": [{"transcript": t, "segment": n, "coder": c} for t, n, c in self.uses],
        }


@dataclass
class DraftChange:
    """What a draft operation did: the version now active and the decisions it touched."""

    version: int
    codebook: Codebook
    code: str
    existed: bool = False  # create: the code was already there (another coder made it meanwhile)
    moved: int = 0  # merge: decisions that now carry the target code
    memos: int = 0  # merge: code memos moved to the target code
    changed: int = 0  # drop: decisions that lost the code
    uncoded: int = 0  # drop: decisions that held only the draft, removed (their segments are uncoded again)


def _active(db: Database) -> tuple[int, Codebook]:
    active = store.get_active_codebook(db)
    if active is None:
        raise CodebookError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    version, codebook = active
    return version, dataclasses.replace(codebook, description=store.get_codebook_description(db, version))


def _write_version(db: Database, old: int, codebook: Codebook, *, merges: dict[str, str]) -> int:
    """Store `codebook` as the active version (or reactivate an equal one) and carry suggestions over."""
    # The lead's comments on the codes this change left as they were are carried (codebook/comments.py).
    text = carried_yaml(
        codebook,
        header="Written by wei-qual: a version with codes created or settled while coding.",
        source=(store.get_codebook_row(db, old) or {}).get("yaml"),
        before=store.get_codebook(db, old),
    )
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = store.get_codebook_version_by_sha(db, sha)
    if existing is not None:
        version = existing["id"]
        store.activate_codebook_version(db, version)
    else:
        version = store.save_codebook_version(db, codebook, text, merges=merges)
    move_suggestions(db, old, version)
    return version


def _draft(codebook: Codebook, code_id: str) -> Code:
    code = codebook.code(code_id)
    drafts = ", ".join(c.id for c in codebook.codes if c.draft) or "none"
    if code is None:
        raise CodebookError(f'"{code_id}" is not a code of the active codebook. Drafts: {drafts}.')
    if not code.draft:
        raise CodebookError(
            f'"{code_id}" is not a draft: it already has a definition. Drafts: {drafts}. '
            "Change defined codes in the codebook file and load it."
        )
    return code


def _replace(codebook: Codebook, code_id: str, new: Code | None) -> Codebook:
    codes = tuple(new if c.id == code_id else c for c in codebook.codes if new is not None or c.id != code_id)
    return dataclasses.replace(codebook, codes=codes)


def create_draft(
    db: Database,
    *,
    code_id: str,
    name: str,
    parent: str | None = None,
    actor: str,
    segment: tuple[str, int] | None = None,
) -> DraftChange:
    """Add a draft code to the active codebook as a new version. Raises CodebookError.

    The active version is read inside the transaction, so two coders creating codes at once both land.
    A code with that id already there is simply returned (`existed`).
    """
    code_id = code_id.strip().lower()
    if not SLUG.match(code_id):
        raise CodebookError(
            f'"{code_id}" is not a code id. Use lowercase letters, digits, "-" or "_", starting with a letter.'
        )
    with transaction(db):
        old, codebook = _active(db)
        if codebook.code(code_id) is not None:
            return DraftChange(old, codebook, code_id, existed=True)
        position = len(codebook.codes)
        if parent is not None:
            if not codebook.children(parent):
                raise CodebookError(
                    f'"{parent}" is not a theme of the active codebook (a code with codes under it). '
                    "Pick a theme, or leave out under."
                )
            # After the theme's last descendant, so the tree stays in document order.
            under = {parent}
            for i, c in enumerate(codebook.codes):
                if c.id == parent or c.parent in under:
                    under.add(c.id)
                    position = i + 1
        code = Code(id=code_id, name=name.strip() or code_id, parent=parent, draft=True)
        codes = codebook.codes[:position] + (code,) + codebook.codes[position:]
        new_codebook = dataclasses.replace(codebook, codes=codes)
        version = _write_version(db, old, new_codebook, merges=store.get_codebook_merges(db, old))
        write_audit(
            db,
            action="draft",
            entity="code",
            entity_id=code_id,
            actor=actor,
            before={"active_version": old},
            after={
                "active_version": version,
                "name": code.name,
                "parent": parent,
                "segment": f"{segment[0]}:{segment[1]}" if segment else None,
            },
        )
    return DraftChange(version, store.get_codebook(db, version) or new_codebook, code_id)


def list_drafts(db: Database) -> list[DraftInfo]:
    """The drafts of the active version in codebook order, with their creator and decisions."""
    _, codebook = _active(db)
    drafts = [c for c in codebook.codes if c.draft]
    if not drafts:
        return []
    made: dict[str, dict] = {}
    for row in iter_audit(db, entity="code"):
        if row["action"] == "draft" and row["entity_id"] not in made:
            made[row["entity_id"]] = row
    uses = iter_code_uses(db, [c.id for c in drafts])
    return [
        DraftInfo(
            c.id,
            c.name,
            c.parent,
            made.get(c.id, {}).get("actor"),
            made.get(c.id, {}).get("at_utc"),
            uses.get(c.id, []),
        )
        for c in drafts
    ]


def complete_draft(
    db: Database,
    code_id: str,
    *,
    definition: str,
    name: str | None = None,
    include: str | None = None,
    exclude: str | None = None,
    actor: str | None = None,
) -> DraftChange:
    """Give a draft its definition (and optionally name, include, exclude): it becomes a full code."""
    if not definition.strip():
        raise CodebookError("A completed code needs a definition. Pass --definition TEXT.")
    with transaction(db):
        old, codebook = _active(db)
        code = _draft(codebook, code_id)
        done = dataclasses.replace(
            code,
            draft=False,
            definition=definition.strip(),
            name=(name or code.name).strip(),
            include=(include if include is not None else code.include).strip(),
            exclude=(exclude if exclude is not None else code.exclude).strip(),
        )
        version = _write_version(
            db, old, _replace(codebook, code.id, done), merges=store.get_codebook_merges(db, old)
        )
        write_audit(
            db,
            action="complete",
            entity="code",
            entity_id=code.id,
            actor=actor or "codebook drafts",
            before={"active_version": old, "name": code.name},
            after={"active_version": version, "name": done.name, "definition": done.definition},
        )
    return DraftChange(version, store.get_codebook(db, version) or codebook, code.id)


def merge_draft(db: Database, code_id: str, into: str, *, actor: str | None = None) -> DraftChange:
    """Merge a draft into an existing code: its decisions (and excerpts) carry the target code, as a
    codebook's merged_into does. Refused, with the segments listed, when that would put two codes of an
    exclusive group on one segment."""
    who = actor or "codebook drafts"
    with transaction(db):
        old, codebook = _active(db)
        code = _draft(codebook, code_id)
        target = codebook.code(into)
        if target is None or into == code.id:
            raise CodebookError(f'"{into}" is not another code of the active codebook. Check the id.')
        if codebook.children(into):
            raise CodebookError(
                f'"{into}" is a theme heading, not a code to apply. Merge into one of its codes.'
            )
        clashes = []
        for transcript, n, coder, codes in iter_code_uses(db, [code.id], with_codes=True).get(code.id, []):
            merged = (set(codes) - {code.id}) | {into}
            if exclusive_conflicts(merged, codebook):
                clashes.append(f"{transcript}:{n}:{coder}")
        if clashes:
            listed = ", ".join(clashes[:10]) + (f" and {len(clashes) - 10} more" if len(clashes) > 10 else "")
            raise CodebookError(
                f'Merging "{code.id}" into "{into}" would give {plural(len(clashes), "decision")} two codes of an '
                f"exclusive group: {listed}. Recode those segments first, or merge into another code."
            )
        moved = store.move_decision_codes(db, {code.id: into}, actor=who).get(code.id, 0)
        memos = store.move_code_memos(db, {code.id: into}, actor=who).get(code.id, 0)
        merges = {**store.get_codebook_merges(db, old), code.id: into}
        version = _write_version(db, old, _replace(codebook, code.id, None), merges=merges)
        write_audit(
            db,
            action="merge",
            entity="code",
            entity_id=code.id,
            actor=who,
            before={"active_version": old},
            after={
                "active_version": version,
                "merged_into": into,
                "decisions_moved": moved,
                "memos_moved": memos,
            },
        )
    return DraftChange(
        version, store.get_codebook(db, version) or codebook, code.id, moved=moved, memos=memos
    )


def drop_counts(db: Database, code_id: str) -> tuple[int, int]:
    """(decisions holding the draft, of which those holding nothing else): what drop_draft would change."""
    _, codebook = _active(db)
    code = _draft(codebook, code_id)
    uses = iter_code_uses(db, [code.id], with_codes=True).get(code.id, [])
    return len(uses), sum(1 for *_, codes in uses if set(codes) == {code.id})


def drop_draft(db: Database, code_id: str, *, actor: str | None = None) -> DraftChange:
    """Remove a draft: decisions lose the code (each audited); a decision that held only it is removed,
    so its segment is uncoded again rather than silently "nothing applies"."""
    who = actor or "codebook drafts"
    with transaction(db):
        old, codebook = _active(db)
        code = _draft(codebook, code_id)
        changed, uncoded = delete_code_from_decisions(db, code.id, actor=who)
        version = _write_version(
            db, old, _replace(codebook, code.id, None), merges=store.get_codebook_merges(db, old)
        )
        write_audit(
            db,
            action="drop",
            entity="code",
            entity_id=code.id,
            actor=who,
            before={"active_version": old, "name": code.name},
            after={"active_version": version, "decisions_changed": changed, "decisions_removed": uncoded},
        )
    return DraftChange(
        version, store.get_codebook(db, version) or codebook, code.id, changed=changed, uncoded=uncoded
    )
