"""The allowlist: phrases that look like identifiers but are kept.

From a file (`--allow FILE`, one phrase a line, `#` comments) or the project setting "deid_allow"
(a JSON list). Matching is case-insensitive on the whole finding or on a phrase that contains it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..errors import DeidError
from ..safeio import MAX_TABLE_BYTES, read_input, too_large
from ..store import get_setting, save_setting, transaction, write_audit

ALLOW_SETTING = "deid_allow"


def load_allow_file(path: Path) -> list[str]:
    """Phrases of an allowlist file, or raise DeidError when it is missing or not UTF-8."""
    try:
        text = read_input(
            path,
            error=DeidError,
            max_bytes=MAX_TABLE_BYTES,
            too_large=too_large(path, MAX_TABLE_BYTES, "an allowlist"),
        ).decode("utf-8-sig")
    except FileNotFoundError as ex:
        raise DeidError(f'Allowlist "{path}" does not exist. Check the path given with --allow.') from ex
    except IsADirectoryError as ex:
        raise DeidError(f'Allowlist "{path}" is a folder. Pass a text file with --allow.') from ex
    except UnicodeDecodeError as ex:
        raise DeidError(f'Allowlist "{path}" is not UTF-8. Re-save it as UTF-8.') from ex
    phrases = []
    for line in text.splitlines():
        phrase = normalise(line.split("#", 1)[0])
        if phrase:
            phrases.append(phrase)
    return phrases


def normalise(phrase: str) -> str:
    """Collapse whitespace; case is kept for display (matching ignores it)."""
    return " ".join(phrase.split())


def project_allowlist(db: Database) -> list[str]:
    """The project's allowlist (setting "deid_allow"), or raise DeidError when the setting is corrupt."""
    raw = get_setting(db, ALLOW_SETTING)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as ex:
        raise DeidError(
            f'Project setting "{ALLOW_SETTING}" is not a JSON list. Reset it with "wei-qual deid allow remove".'
        ) from ex
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DeidError(
            f'Project setting "{ALLOW_SETTING}" is not a JSON list of phrases. '
            'Reset it with "wei-qual deid allow remove".'
        )
    return value


def add_to_project_allowlist(db: Database, phrases: Iterable[str], *, actor: str = "deid allow") -> list[str]:
    """Add phrases (case-insensitively new ones only); return the phrases actually added."""
    with transaction(db):
        current = project_allowlist(db)
        known = {p.casefold() for p in current}
        added = []
        for phrase in map(normalise, phrases):
            if not phrase:
                raise DeidError(
                    'Allowlist phrase is empty. Pass a word or phrase, e.g. "Crisis Stabilization Unit".'
                )
            if phrase.casefold() not in known:
                known.add(phrase.casefold())
                added.append(phrase)
        if added:
            save_setting(db, ALLOW_SETTING, json.dumps(current + added, ensure_ascii=False))
            write_audit(
                db,
                action="deid_allow_add",
                entity="settings",
                entity_id=ALLOW_SETTING,
                actor=actor,
                before=current,
                after=current + added,
            )
    return added


def remove_from_project_allowlist(
    db: Database, phrases: Iterable[str], *, actor: str = "deid allow"
) -> list[str]:
    """Remove phrases (case-insensitively); raise DeidError naming the first one not on the list."""
    with transaction(db):
        current = project_allowlist(db)
        remaining = list(current)
        for phrase in map(normalise, phrases):
            match = next((p for p in remaining if p.casefold() == phrase.casefold()), None)
            if match is None:
                raise DeidError(
                    f'Allowlist phrase "{phrase}" is not on the project allowlist. '
                    'See it with "wei-qual deid allow list".'
                )
            remaining.remove(match)
        save_setting(db, ALLOW_SETTING, json.dumps(remaining, ensure_ascii=False))
        write_audit(
            db,
            action="deid_allow_remove",
            entity="settings",
            entity_id=ALLOW_SETTING,
            actor=actor,
            before=current,
            after=remaining,
        )
    return [p for p in current if p not in remaining]


def allowed_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of `text` covered by an allowlisted phrase (case-insensitive, whole words)."""
    spans = []
    for phrase in phrases:
        phrase = normalise(phrase)
        if not phrase:
            continue
        words = phrase.split()
        body = r"\s+".join(re.escape(w) for w in words)
        if len(words) == 2 and "," not in phrase:  # a name is also written surname first: "Whitfield, Dana"
            body = rf"(?:{body}|{re.escape(words[1])},\s*{re.escape(words[0])})"
        pattern = (
            (r"(?<!\w)" if phrase[0].isalnum() else "") + body + (r"(?!\w)" if phrase[-1].isalnum() else "")
        )
        spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    return spans
