"""De-identification: scan transcripts for residual identifiers, redact them, keep an allowlist.

Light to import (only `re` and the stdlib): ingest calls scan_text() on every file. The first-name list
(from Faker) and spaCy are loaded on first use.
"""

from __future__ import annotations

from .allowlist import (
    ALLOW_SETTING,
    add_to_project_allowlist,
    load_allow_file,
    project_allowlist,
    remove_from_project_allowlist,
)
from .scan import CATEGORIES, Finding, load_nlp, scan_text, study_ids

__all__ = [
    "ALLOW_SETTING",
    "CATEGORIES",
    "Finding",
    "add_to_project_allowlist",
    "load_allow_file",
    "load_nlp",
    "project_allowlist",
    "remove_from_project_allowlist",
    "scan_text",
    "study_ids",
]
