"""Codebook versions and their parsed codes, and moving decisions and code memos when codes are renamed
or merged.

A version's `codes` rows hold its live codes (position order) and, after them, one row per retired code
that was `merged_into` another; get_codebook() returns only the live codes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..models import Code, Codebook, Excerpt
from . import now_utc, write_audit
from .excerpts import excerpts_from_json, excerpts_json


def save_codebook_version(
    db: Database, codebook: Codebook, yaml_text: str, *, merges: dict[str, str] | None = None
) -> int:
    """Store a new codebook version, make it the active one, and return its id. Call inside a transaction.

    `merges` maps retired code ids to the code they were merged into; they are kept as extra rows.
    """
    db.execute("UPDATE codebooks SET active = 0 WHERE active = 1")
    version_id = (
        db.table("codebooks")
        .insert(
            {
                "name": codebook.name,
                "label": codebook.version,
                "yaml": yaml_text,
                "sha256": hashlib.sha256(yaml_text.encode("utf-8")).hexdigest(),
                "active": 1,
                "loaded_utc": now_utc(),
            }
        )
        .last_pk
    )
    db.table("codes").insert_all(
        {
            "codebook_id": version_id,
            "code": c.id,
            "name": c.name,
            "parent": c.parent,
            "position": position,
            "definition": c.definition,
            "include": c.include,
            "exclude": c.exclude,
            "examples": json.dumps(list(c.examples)),
            "atypical_examples": json.dumps(list(c.atypical_examples)),
            "color": c.color,
            "keywords": json.dumps(list(c.keywords)),
            "exclude_keywords": json.dumps(list(c.exclude_keywords)) if c.exclude_keywords else None,
            "patterns": json.dumps(list(c.patterns)),
            "exclusive": int(c.exclusive),
            "renamed_from": c.renamed_from,
            "merged_into": c.merged_into,
            "draft": int(c.draft),
        }
        for position, c in enumerate(codebook.codes)
    )
    if merges:
        db.table("codes").insert_all(
            {
                "codebook_id": version_id,
                "code": old,
                "name": old,
                "position": len(codebook.codes) + i,
                "exclusive": 0,
                "merged_into": target,
            }
            for i, (old, target) in enumerate(merges.items())
        )
    return version_id


def activate_codebook_version(db: Database, version_id: int) -> None:
    db.execute("UPDATE codebooks SET active = (id = ?)", [version_id])


def get_codebook_version_by_sha(db: Database, sha256: str) -> dict | None:
    rows = list(db.query("SELECT * FROM codebooks WHERE sha256 = ?", [sha256]))
    return rows[0] if rows else None


def iter_codebook_versions(db: Database) -> list[dict]:
    return list(db.query("SELECT id, name, label, sha256, active, loaded_utc FROM codebooks ORDER BY id"))


def get_active_version_id(db: Database) -> int | None:
    rows = list(db.query("SELECT id FROM codebooks WHERE active = 1"))
    return rows[0]["id"] if rows else None


def get_codebook(db: Database, version_id: int) -> Codebook | None:
    """A stored codebook version as a Codebook, or None."""
    head = list(db.query("SELECT * FROM codebooks WHERE id = ?", [version_id]))
    if not head:
        return None
    codes = tuple(
        Code(
            id=r["code"],
            name=r["name"],
            parent=r["parent"],
            definition=r["definition"] or "",
            include=r["include"] or "",
            exclude=r["exclude"] or "",
            examples=tuple(json.loads(r["examples"] or "[]")),
            atypical_examples=tuple(json.loads(r["atypical_examples"] or "[]")),
            color=r["color"],
            keywords=tuple(json.loads(r["keywords"] or "[]")),
            exclude_keywords=tuple(json.loads(r["exclude_keywords"] or "[]")),
            patterns=tuple(json.loads(r["patterns"] or "[]")),
            exclusive=bool(r["exclusive"]),
            renamed_from=r["renamed_from"],
            merged_into=r["merged_into"],
            draft=bool(r["draft"]),
        )
        for r in db.query(
            "SELECT * FROM codes WHERE codebook_id = ? AND merged_into IS NULL ORDER BY position",
            [version_id],
        )
    )
    return Codebook(name=head[0]["name"], version=head[0]["label"] or "", codes=codes)


def get_codebook_description(db: Database, version_id: int) -> str:
    """The description of a stored version. Not a column, so it is read back from the stored YAML text
    (only when asked: parsing the YAML is too slow for get_codebook, which hot loops call)."""
    import yaml

    from ..safeyaml import safe_load

    row = get_codebook_row(db, version_id)
    try:
        data = safe_load(row["yaml"]) if row else None
    except yaml.YAMLError:
        return ""
    value = data.get("description") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def get_active_codebook(db: Database) -> tuple[int, Codebook] | None:
    """(version id, Codebook) of the active version, or None when no codebook is loaded."""
    version_id = get_active_version_id(db)
    if version_id is None:
        return None
    codebook = get_codebook(db, version_id)
    assert codebook is not None
    return version_id, codebook


def get_codebook_merges(db: Database, version_id: int) -> dict[str, str]:
    """Retired code id -> the code it was merged into, as declared by one version."""
    return {
        r["code"]: r["merged_into"]
        for r in db.query(
            "SELECT code, merged_into FROM codes WHERE codebook_id = ? AND merged_into IS NOT NULL "
            "ORDER BY position",
            [version_id],
        )
    }


def get_codebook_splits(db: Database, version_id: int) -> dict[str, tuple[str, ...]]:
    """The splits (split_into) one stored version declares: retired id -> the codes it was split into.

    Not a column: a split moves nothing, so only the version's stored text says it. That text passed the
    codebook parser when it was loaded, so walking its codes and children is enough here."""
    row = get_codebook_row(db, version_id)
    if row is None or "split_into" not in (row["yaml"] or ""):
        return {}  # most versions: no YAML to parse
    import yaml

    from ..safeyaml import safe_load

    try:
        data = safe_load(row["yaml"])
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    todo = list(data.get("codes") or []) if isinstance(data, dict) else []
    while todo:
        code = todo.pop(0)
        if not isinstance(code, dict):
            continue
        targets = code.get("split_into")
        if isinstance(code.get("id"), str) and isinstance(targets, list) and targets:
            found[code["id"]] = tuple(dict.fromkeys(str(t) for t in targets))
        children = code.get("children")
        todo.extend(children if isinstance(children, list) else [])
    return found


def declared_splits(db: Database) -> dict[str, tuple[str, ...]]:
    """Every split any stored version declared, the latest declaration of an id winning: a later version
    may drop the stub, and the project still remembers the split."""
    found: dict[str, tuple[str, ...]] = {}
    for row in iter_codebook_versions(db):
        found |= get_codebook_splits(db, row["id"])
    return found


def get_codebook_row(db: Database, version_id: int) -> dict | None:
    """One version's row (id, name, label, yaml, sha256, active, loaded_utc), or None."""
    rows = list(db.query("SELECT * FROM codebooks WHERE id = ?", [version_id]))
    return rows[0] if rows else None


def count_decisions_by_code(db: Database) -> dict[str, int]:
    """How many decisions (any coder, consensus included) contain each code id."""
    return {
        r["code"]: r["n"]
        for r in db.query(
            "SELECT j.value AS code, COUNT(*) AS n FROM decisions d, json_each(d.codes) j GROUP BY j.value"
        )
    }


def codes_outside_active(db: Database) -> dict[str, int]:
    """Codes on decisions that the active version does not have (an earlier version's, kept by a load
    with --force): id -> decisions holding it. Only a second version can leave them (imports and merges
    refuse unknown codes), so a project with one version is not read at all."""
    return uncodable_codes_held(db).removed


class UncodableHeld(NamedTuple):
    """Codes decisions hold that no coder can apply under the active version: nothing counts them."""

    removed: dict[str, int]  # the active version does not have them -> decisions holding each
    headings: dict[str, int]  # theme headings now (a later version gave them codes) -> decisions


def uncodable_codes_held(db: Database) -> UncodableHeld:
    """The codes decisions hold that the active version removed or made theme headings (gave codes under
    them: agreement's rows and the reports' counts are its leaf codes), from one count of the decisions.
    Only a second version can leave either (imports and coding refuse both): one version is not read."""
    if db.execute("SELECT COUNT(*) FROM codebooks").fetchone()[0] < 2:
        return UncodableHeld({}, {})
    active = get_active_codebook(db)
    known = {c.id for c in active[1].codes} if active else set()
    parents = {c.parent for c in active[1].codes if c.parent} if active else set()
    counts = sorted(count_decisions_by_code(db).items())
    return UncodableHeld(
        {code: n for code, n in counts if code not in known},
        {code: n for code, n in counts if code in parents},
    )


def with_split_stubs(db: Database, codebook: Codebook) -> Codebook:
    """The active codebook with a row for each code a version split (split_into) that it no longer has:
    "jail-fallback (before split)", under the theme its new codes share, right after them. The decisions
    made before the split keep the old id until each coder recodes them; left out, they vanished from
    the theme's count as well as the code's, and the theme read as raised less than it was. Marked by
    its split_into, so that what measures the codebook itself (agreement, saturation) leaves it out."""
    if db.execute("SELECT COUNT(*) FROM codebooks").fetchone()[0] < 2:
        return codebook  # one version: no decision can predate a split
    splits = {old: new for old, new in declared_splits(db).items() if codebook.code(old) is None}
    if not splits:
        return codebook
    names = earlier_names(db, list(splits))
    codes = list(codebook.codes)
    for old, new in splits.items():
        targets = [codebook.code(t) for t in new]
        parents = {t.parent for t in targets if t is not None}
        parent = parents.pop() if len(parents) == 1 and None not in targets else None
        stub = Code(old, f"{names[old]} (before split)", parent=parent, split_into=tuple(new))
        at = max((i for i, c in enumerate(codes) if c.id in new), default=len(codes) - 1) + 1
        codes.insert(at, stub)
    return replace(codebook, codes=tuple(codes))


def earlier_names(db: Database, codes: list[str]) -> dict[str, str]:
    """The name each code had in the latest stored version that has it (codes no version has: the id)."""
    names: dict[str, str] = {}
    for row in reversed(iter_codebook_versions(db)) if codes else ():
        codebook = get_codebook(db, row["id"])
        for code in codes:
            found = codebook.code(code) if codebook is not None and code not in names else None
            if found is not None:
                names[code] = found.name
    return {code: names.get(code, code) for code in codes}


def move_decision_codes(db: Database, mapping: dict[str, str], *, actor: str | None = None) -> dict[str, int]:
    """Replace old code ids by new ones in every decision (codes, accepted, shown) and audit each decision.

    Returns old id -> number of decisions whose codes held it. Call inside a transaction. Decisions keep
    the codebook version they were made under; the codebook's own audit row records the load.
    """
    if not mapping:
        return {}
    marks = ", ".join("?" for _ in mapping)
    rows = list(
        db.query(
            f"""
            SELECT d.id, d.codes, d.accepted, d.shown, d.note, d.rationale, d.coder_id, d.excerpts,
                   s.transcript_id, s.n
            FROM decisions d JOIN segments s ON s.id = d.segment_id
            WHERE EXISTS (SELECT 1 FROM json_each(d.codes) j WHERE j.value IN ({marks}))
               OR EXISTS (SELECT 1 FROM json_each(COALESCE(d.accepted, '[]')) j WHERE j.value IN ({marks}))
               OR EXISTS (SELECT 1 FROM json_each(COALESCE(d.shown, '[]')) j WHERE j.value IN ({marks}))
            ORDER BY s.transcript_id, s.n, d.coder_id
            """,
            list(mapping) * 3,
        )
    )
    moved: dict[str, int] = {}
    for row in rows:
        codes = json.loads(row["codes"])
        new_codes = sorted({mapping.get(c, c) for c in codes})
        for old in {c for c in codes if c in mapping}:
            moved[old] = moved.get(old, 0) + 1
        lists = {
            key: json.dumps(sorted({mapping.get(c, c) for c in json.loads(row[key] or "[]")}))
            for key in ("accepted", "shown")
        }
        excerpts = excerpts_from_json(row["excerpts"])
        moved_excerpts = {Excerpt(mapping.get(e.code, e.code), e.start, e.end) for e in excerpts}
        db.execute(
            "UPDATE decisions SET codes = ?, accepted = ?, shown = ?, excerpts = ? WHERE id = ?",
            [
                json.dumps(new_codes),
                lists["accepted"],
                lists["shown"],
                excerpts_json(moved_excerpts),
                row["id"],
            ],
        )
        state = {"note": row["note"] or "", "rationale": row["rationale"] or ""}
        before, after = {"codes": sorted(codes), **state}, {"codes": new_codes, **state}
        if excerpts:
            before["excerpts"] = [[e.code, e.start, e.end] for e in excerpts]
            stored = excerpts_from_json(excerpts_json(moved_excerpts))  # as stored: a merge's spans joined
            after["excerpts"] = [[e.code, e.start, e.end] for e in stored]
        write_audit(
            db,
            action="migrate",
            entity="decision",
            entity_id=f"{row['transcript_id']}:{row['n']}:{row['coder_id']}",
            actor=actor,
            before=before,
            after=after,
        )
    return moved


def move_code_memos(db: Database, mapping: dict[str, str], *, actor: str | None = None) -> dict[str, int]:
    """Move the memos written on old code ids to the new ones, each audited, as move_decision_codes
    moves decisions. A coder's memo on a code merged into one they wrote a memo on too is joined to
    that memo (nothing written is lost). Returns old id -> memos moved. Call inside a transaction."""
    moved: dict[str, int] = {}
    for old, new in mapping.items():
        rows = db.execute(
            "SELECT id, coder_id, text FROM memos WHERE target_type = 'code' AND target_id = ? ORDER BY id",
            [old],
        ).fetchall()
        for memo_id, coder, text in rows:
            there = db.execute(
                "SELECT id, text FROM memos WHERE target_type = 'code' AND target_id = ? AND coder_id = ?",
                [new, coder],
            ).fetchone()
            if there is None:
                db.execute("UPDATE memos SET target_id = ? WHERE id = ?", [new, memo_id])
                before, after = {"code": old, "text": text}, {"code": new, "text": text}
            else:
                joined = there[1]
                if text.strip() and text.strip() not in joined:
                    joined = f"{joined}\n\n{text}"
                db.execute(
                    "UPDATE memos SET text = ?, updated_utc = ? WHERE id = ?", [joined, now_utc(), there[0]]
                )
                db.execute("DELETE FROM memos WHERE id = ?", [memo_id])
                before, after = {"code": old, "text": text, "into": there[1]}, {"code": new, "text": joined}
            write_audit(
                db,
                action="migrate",
                entity="memo",
                entity_id=f"code:{old}:{coder}",
                actor=actor,
                before=before,
                after=after,
            )
            moved[old] = moved.get(old, 0) + 1
    return moved


def code_moves(db: Database) -> dict[str, str]:
    """Every id a stored version renamed (renamed_from) or merged (merged_into) away -> the id it went to."""
    moves: dict[str, str] = {}
    for row in iter_codebook_versions(db):
        stored = get_codebook(db, row["id"])
        if stored is not None:
            moves |= {c.renamed_from: c.id for c in stored.codes if c.renamed_from}
        moves |= get_codebook_merges(db, row["id"])
    return {old: new for old, new in moves.items() if old != new}


def code_moves_since(db: Database, version_id: int | None) -> dict[str, str]:
    """Where each id of version `version_id` went through the versions loaded after it, one after the
    other (a rename in version 2 then another in version 3 is one move), plus those the active version
    declares: id -> the id it has now. A later file may drop a `renamed_from` line or a merged stub once
    loaded, so the active version alone does not name every move. `None` (a version the project does
    not know): every version's moves, in order."""
    moves: dict[str, str] = {}

    def declared(vid: int) -> dict[str, str]:
        stored = get_codebook(db, vid)
        found = {c.renamed_from: c.id for c in stored.codes if c.renamed_from} if stored is not None else {}
        return found | get_codebook_merges(db, vid)

    for row in iter_codebook_versions(db):
        if version_id is not None and row["id"] <= version_id:
            continue
        step = declared(row["id"])
        moves = {old: step.get(new, new) for old, new in moves.items()}
        moves |= {old: new for old, new in step.items() if old not in moves}
    active = get_active_version_id(db)
    if active is not None:
        moves |= {old: new for old, new in declared(active).items() if old not in moves}
    return {old: new for old, new in moves.items() if old != new}


def iter_codebook_version_summaries(db: Database) -> list[dict]:
    """Every version with its live code count and the number of decisions made under it."""
    return list(
        db.query(
            """
            SELECT c.id, c.name, c.label, c.active, c.loaded_utc, c.sha256,
                   (SELECT COUNT(*) FROM codes k WHERE k.codebook_id = c.id AND k.merged_into IS NULL) AS codes,
                   (SELECT COUNT(*) FROM decisions d WHERE d.codebook_id = c.id) AS decisions
            FROM codebooks c ORDER BY c.id
            """
        )
    )
