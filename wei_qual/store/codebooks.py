"""Codebook versions and their parsed codes."""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from ..models import Code, Codebook
from . import now_utc


def save_codebook_version(db: Database, codebook: Codebook, yaml_text: str) -> int:
    """Store a new codebook version, make it the active one, and return its id. Call inside a transaction."""
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
            "patterns": json.dumps(list(c.patterns)),
            "exclusive": int(c.exclusive),
            "renamed_from": c.renamed_from,
            "merged_into": c.merged_into,
        }
        for position, c in enumerate(codebook.codes)
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
            patterns=tuple(json.loads(r["patterns"] or "[]")),
            exclusive=bool(r["exclusive"]),
            renamed_from=r["renamed_from"],
            merged_into=r["merged_into"],
        )
        for r in db.query("SELECT * FROM codes WHERE codebook_id = ? ORDER BY position", [version_id])
    )
    return Codebook(name=head[0]["name"], version=head[0]["label"] or "", codes=codes)


def get_active_codebook(db: Database) -> tuple[int, Codebook] | None:
    """(version id, Codebook) of the active version, or None when no codebook is loaded."""
    version_id = get_active_version_id(db)
    if version_id is None:
        return None
    codebook = get_codebook(db, version_id)
    assert codebook is not None
    return version_id, codebook
