"""Codebook versions in a project: load a file as a new (or re-activated) version and move decisions.

Rules (documented in docs/codebook.md):
- same text (SHA-256) as the active version: nothing happens ("unchanged");
- same text as an older version: that version becomes active again ("reactivated");
- `renamed_from` and `merged_into` rewrite the code ids inside decisions, each decision audited;
- a code of the active version that is missing from the new one, not renamed or merged, and used by at least
  one decision is "removed with decisions": refused unless force=True (then audited, decisions kept as is).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import CodebookError
from ..models import Codebook
from ..store import codebooks as store
from ..store import transaction, write_audit
from ..store.drafts import iter_code_uses
from ..store.suggestions import mark_stale
from . import parse_codebook_text, problems_message, read_codebook_text

CREATED, UNCHANGED, REACTIVATED = "created", "unchanged", "reactivated"


@dataclass
class LoadResult:
    """What `load_into_project` did."""

    version: int  # the now-active version number
    status: str  # CREATED, UNCHANGED or REACTIVATED
    codebook: Codebook
    previous: int | None = None  # the version active before
    # old id -> decisions moved, for renames/merges of a code of the previous version or that moved decisions
    renamed: dict[str, int] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)
    forced_removed: dict[str, int] = field(default_factory=dict)  # removed id -> decisions left as they are
    # an id given back with another meaning (--force) -> the decisions it takes over from the old code
    forced_returning: dict[str, int] = field(default_factory=dict)
    # ids this version has that an earlier version renamed or merged away -> where their decisions went
    not_moved_back: dict[str, str] = field(default_factory=dict)
    memos: dict[str, int] = field(default_factory=dict)  # renamed or merged id -> code memos moved
    targets: dict[str, str] = field(default_factory=dict)  # renamed or merged id -> its new id
    # a code whose definition, include or exclude rule this version rewords -> (fields, decisions holding it)
    redefined: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    # exclusive group -> decisions that hold two of its codes under this version, not under the one before
    forced_exclusive: dict[str, int] = field(default_factory=dict)
    # a split code (split_into) -> (the codes it was split into, decisions that keep it until recoded)
    split: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)
    # FILE:LINE:COLUMN: warning lines for names that look like others (mixed scripts, invisible characters)
    look_alikes: list[str] = field(default_factory=list)
    # a code with decisions this version gives codes under (a theme heading now) -> decisions holding it:
    # agreement and the reports count leaf codes, so nothing counts them until they are recoded
    headings: dict[str, int] = field(default_factory=dict)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def removed_codes_with_decisions(
    db: Database, old: Codebook | None, new: Codebook, moved: set[str]
) -> dict[str, int]:
    """Codes of `old` (the active version) missing from `new`, not moved, that decisions use: id -> count."""
    if old is None:
        return {}
    new_ids = {c.id for c in new.codes}
    counts = store.count_decisions_by_code(db)
    return {
        c.id: counts[c.id]
        for c in old.codes
        if c.id not in new_ids and c.id not in moved and counts.get(c.id)
    }


def returning_codes_changed(db: Database, old: Codebook | None, new: Codebook) -> dict[str, tuple[int, int]]:
    """Codes `new` adds to the active version `old` whose id already has decisions (left by a code an
    earlier version removed) and whose name or definition differ from the last version that had the id:
    id -> (that version, decisions). Those decisions were coded under the old meaning."""
    counts = store.count_decisions_by_code(db)
    before = {c.id for c in old.codes} if old is not None else set()
    back = {c.id: c for c in new.codes if c.id not in before and counts.get(c.id)}
    found: dict[str, tuple[int, int]] = {}
    for row in reversed(store.iter_codebook_versions(db)) if back else ():
        stored = store.get_codebook(db, row["id"])
        for code_id in list(back):
            then = stored.code(code_id) if stored is not None else None
            if then is None:
                continue
            now = back.pop(code_id)
            if (then.name, then.definition.strip()) != (now.name, now.definition.strip()):
                found[code_id] = (row["id"], counts[code_id])
    return found


def exclusive_clashes(
    db: Database, old: Codebook | None, new: Codebook, mapping: dict[str, str]
) -> dict[str, list[str]]:
    """The decisions (TRANSCRIPT:SEGMENT:CODER) that hold two codes of one exclusive group of `new`, once
    `mapping` has moved their codes, and did not under `old`: a parent made exclusive, a code moved
    into a group, a merge into a member of one. Group -> decisions."""
    from ..session import exclusive_conflicts

    members = {m for group in new.exclusive_members.values() for m in group}
    if not members:
        return {}
    ids = sorted(members | {k for k, v in mapping.items() if v in members})
    seen: dict[tuple, list[str]] = {}
    for uses in iter_code_uses(db, ids, with_codes=True).values():
        for transcript, n, coder, codes in uses:
            seen[(transcript, n, coder)] = codes
    found: dict[str, list[str]] = {}
    for (transcript, n, coder), codes in sorted(seen.items()):
        before = {g for g, _ in exclusive_conflicts(codes, old)} if old is not None else set()
        for group, _hit in exclusive_conflicts({mapping.get(c, c) for c in codes}, new):
            if group not in before:
                found.setdefault(group, []).append(f"{transcript}:{n}:{coder}")
    return found


MEANING_FIELDS = ("definition", "include", "exclude")


def redefined_codes(db: Database, old: Codebook | None, new: Codebook) -> dict[str, tuple[list[str], int]]:
    """Codes of `new` (under their new id when renamed) whose definition, include or exclude rule differs
    from `old`'s and that decisions hold: id -> (the fields, decisions). Those were coded under the earlier
    wording."""
    if old is None:
        return {}
    counts = store.count_decisions_by_code(db)
    found = {}
    for code in new.codes:
        then = old.code(code.id) or (old.code(code.renamed_from) if code.renamed_from else None)
        if then is None or not counts.get(then.id):
            continue
        fields = [
            f
            for f in MEANING_FIELDS
            if " ".join(getattr(then, f).split()) != " ".join(getattr(code, f).split())
        ]
        if fields:
            found[code.id] = (fields, counts[then.id])
    return found


def moved_away(db: Database, codebook: Codebook) -> dict[str, str]:
    """The codes of `codebook` that a stored version renamed (renamed_from) or merged (merged_into) into
    another id, with that id: loading does not move their decisions back, so they start with none."""
    ids = {c.id for c in codebook.codes}
    return {old: new for old, new in store.code_moves(db).items() if old in ids}


def _plural(n: int) -> str:
    return f"{n} decision{'s' if n != 1 else ''}"


def load_into_project(
    db: Database, path: Path | str, *, force: bool = False, actor: str | None = None
) -> LoadResult:
    """Validate a codebook file and make it the project's active version; raise CodebookError if refused.

    Everything (new version, moved decisions, audit rows) is written in one transaction.
    """
    text = read_codebook_text(path)
    parsed = parse_codebook_text(text, str(path), patterns=True)
    if parsed.problems:
        raise CodebookError(problems_message(path, parsed.problems))
    codebook = parsed.codebook
    assert codebook is not None
    sha = sha256_text(text)
    with transaction(db):
        existing = store.get_codebook_version_by_sha(db, sha)
        active = store.get_active_codebook(db)
        previous = active[0] if active else None
        if existing is not None and existing["id"] == previous:
            return LoadResult(existing["id"], UNCHANGED, codebook, previous)
        renames = {c.renamed_from: c.id for c in codebook.codes if c.renamed_from}
        mapping = {**renames, **parsed.merges}
        # A declared split keeps the old id's decisions as they are, for recoding: not a removal to refuse.
        removed = removed_codes_with_decisions(
            db, active[1] if active else None, codebook, set(mapping) | set(parsed.splits)
        )
        # Renames and merges stay in later files; report only those that did something now.
        was_code = {c.id for c in active[1].codes} if active else set()
        drafts = {c.id for c in active[1].codes if c.draft} if active else set()
        if removed and not force:
            listed = ", ".join(f'"{k}" ({_plural(n)})' for k, n in removed.items() if k not in drafts)
            drafted = ", ".join(f'"{k}" ({_plural(n)})' for k, n in removed.items() if k in drafts)
            if drafted:  # codes created while coding are missing from the lead's file as a rule
                raise CodebookError(
                    f'Codebook "{path}" leaves out draft codes created while coding that have decisions: '
                    f"{drafted}{'; and codes ' + listed if listed else ''}. Settle the drafts first with "
                    '"wei-qual codebook drafts complete/merge/drop", or add them to the file ("wei-qual codebook '
                    'export --format yaml -o FILE" writes the active version with them).'
                )
            raise CodebookError(
                f'Codebook "{path}" removes codes that have decisions: {listed}. Put them back, mark them '
                "renamed_from or merged_into another code, or pass --force to keep the decisions as they are."
            )
        changed = returning_codes_changed(db, active[1] if active else None, codebook)
        if changed and not force:
            listed = ", ".join(
                f'"{code}" ({_plural(n)} coded under version {version})'
                for code, (version, n) in changed.items()
            )
            raise CodebookError(
                f'Codebook "{path}" gives ids that still hold decisions to codes with another name or '
                f"definition: {listed}. Those decisions were coded under the old meaning and would count for "
                "the new code. Give the new code another id, or pass --force to count them for it."
            )
        # A code renamed into a theme heading: its decisions would hold a heading no coder may apply.
        counts = store.count_decisions_by_code(db) if mapping else {}
        headings = {c.parent for c in codebook.codes if c.parent}
        into_heading = {old: new for old, new in renames.items() if new in headings and counts.get(old)}
        if into_heading:
            listed = ", ".join(
                f'"{old}" ({_plural(counts[old])}) to "{new}"' for old, new in into_heading.items()
            )
            raise CodebookError(
                f'Codebook "{path}" renames codes that have decisions to theme headings, which coders do not '
                f"apply: {listed}. Rename them to a code without codes under it, or merge them into one of "
                "the theme's codes."
            )
        clashes = exclusive_clashes(db, active[1] if active else None, codebook, mapping)
        if clashes and not force:
            listed = "; ".join(
                f'"{group}" ({_plural(len(where))}: {", ".join(where[:3])}{", ..." if len(where) > 3 else ""})'
                for group, where in clashes.items()
            )
            raise CodebookError(
                f'Codebook "{path}" would give decisions two codes of one exclusive group, which agreement '
                f"cannot read as one value: {listed}. Recode those segments first, leave the group not exclusive, "
                "or pass --force to load it anyway."
            )
        redefined = redefined_codes(db, active[1] if active else None, codebook)
        holding = store.count_decisions_by_code(db) if parsed.splits else {}
        split = {
            old: (targets, holding.get(old, 0))
            for old, targets in parsed.splits.items()
            if old in was_code or holding.get(old)
        }
        who = actor or "codebook load"
        moved = store.move_decision_codes(db, mapping, actor=who)
        memos = store.move_code_memos(db, mapping, actor=who)  # a code's memos go where its decisions go
        parents = {c.parent for c in codebook.codes if c.parent}
        held = store.count_decisions_by_code(db) if active and parents else {}
        headings = {code: n for code, n in sorted(held.items()) if code in parents}
        if existing is not None:
            version, status = existing["id"], REACTIVATED
            store.activate_codebook_version(db, version)
        else:
            version, status = store.save_codebook_version(db, codebook, text, merges=parsed.merges), CREATED
        mark_stale(db, version)  # suggestions of other versions no longer apply
        write_audit(
            db,
            action="reactivate" if status == REACTIVATED else "load",
            entity="codebook",
            entity_id=str(version),
            actor=who,
            before={"active_version": previous},
            after={
                "active_version": version,
                "name": codebook.name,
                "label": codebook.version,
                "sha256": sha,
                "source": str(path),
                "renamed": {k: v for k, v in renames.items()},
                "merged": dict(parsed.merges),
                "split": {old: list(targets) for old, targets in parsed.splits.items()},
                "decisions_moved": moved,
                "memos_moved": memos,
                "forced_removed": removed,
                "forced_returning": {code: n for code, (_, n) in changed.items()},
                "forced_exclusive": clashes,
                "headings_with_decisions": headings,
            },
        )
    return LoadResult(
        version,
        status,
        codebook,
        previous,
        renamed={k: moved.get(k, 0) for k in renames if k in was_code or moved.get(k) or memos.get(k)},
        merged={k: moved.get(k, 0) for k in parsed.merges if k in was_code or moved.get(k) or memos.get(k)},
        forced_removed=removed,
        forced_returning={code: n for code, (_, n) in changed.items()},
        not_moved_back=moved_away(db, codebook) if status == REACTIVATED or previous else {},
        targets=mapping,
        memos=memos,
        forced_exclusive={group: len(where) for group, where in clashes.items()},
        redefined=redefined if status == CREATED else {},
        look_alikes=[str(w) for w in parsed.look_alikes],
        split=split,
        headings=headings,
    )


def version_splits(db: Database, version: int) -> dict[str, tuple[str, ...]]:
    """The splits (split_into) a stored version declares: retired id -> the codes it was split into."""
    return store.get_codebook_splits(db, version)


def declared_splits(db: Database) -> dict[str, tuple[str, ...]]:
    """Every split any stored version declared, the latest declaration of an id winning."""
    return store.declared_splits(db)


def get_version(db: Database, version: int | None = None) -> tuple[int, Codebook]:
    """A stored version (default: the active one) with its description, or raise CodebookError."""
    if version is None:
        version = store.get_active_version_id(db)
        if version is None:
            raise CodebookError(
                'No codebook is loaded in this project. Run "wei-qual codebook load FILE" first.'
            )
    codebook = store.get_codebook(db, version)
    if codebook is None:
        known = ", ".join(str(r["id"]) for r in store.iter_codebook_versions(db)) or "none"
        raise CodebookError(
            f"Codebook version {version} does not exist (versions: {known}). Pass one of them to --version."
        )
    return version, dataclasses.replace(codebook, description=store.get_codebook_description(db, version))


def decision_counts(db: Database) -> dict[str, int]:
    """How many decisions contain each code id (all coders, all versions)."""
    return store.count_decisions_by_code(db)


def codebook_json(db: Database, version: int, codebook: Codebook) -> dict:
    """The documented JSON shape of `codebook show --format json` (docs/codebook.md)."""
    row = store.get_codebook_row(db, version) or {}
    counts = decision_counts(db)

    def node(code) -> dict:
        return {
            "id": code.id,
            "name": code.name,
            "parent": code.parent,
            "definition": code.definition,
            "include": code.include,
            "exclude": code.exclude,
            "examples": list(code.examples),
            "atypical_examples": list(code.atypical_examples),
            "color": code.color,
            "keywords": list(code.keywords),
            "exclude_keywords": list(code.exclude_keywords),
            "patterns": list(code.patterns),
            "exclusive": code.exclusive,
            "draft": code.draft,
            "renamed_from": code.renamed_from,
            "decisions": counts.get(code.id, 0),
            "children": [node(c) for c in codebook.children(code.id)],
        }

    return {
        "version": version,
        "active": bool(row.get("active")),
        "name": codebook.name,
        "label": codebook.version,
        "description": codebook.description,
        "sha256": row.get("sha256"),
        "loaded_utc": row.get("loaded_utc"),
        "merged": store.get_codebook_merges(db, version),
        "split": {old: list(targets) for old, targets in store.get_codebook_splits(db, version).items()},
        "codes": [node(c) for c in codebook.children(None)],
    }


def list_versions(db: Database) -> list[dict]:
    """Every stored version: id, name, label, active, loaded_utc, sha256, codes, decisions (made under it)."""
    return [{**row, "active": bool(row["active"])} for row in store.iter_codebook_version_summaries(db)]
