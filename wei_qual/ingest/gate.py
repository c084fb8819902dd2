"""The PII gate of every path that stores transcript text (`ingest`, `project import`).

It fails closed: when the scanner (wei_qual.deid) cannot be imported or cannot run, the text is
refused with one line saying why, and only --allow-pii stores it unscanned (the audit log says so).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

# Scanned once when the gate opens, so a scanner that cannot run is found before any file is read.
PROBE = "Interviewer: Who came to the call?\nP01: Maria did, from the unit."
REINSTALL = 'Reinstall wei-qual ("pip install -e ." in its folder)'


@dataclass(frozen=True)
class Scan:
    """What the gate found in one text: findings, or why the text could not be scanned."""

    findings: list = field(default_factory=list)
    error: str | None = None  # set when the scan did not run: the text is unscanned
    reviews: int = 0  # names to review ("Grace was there"): shown, never a stop (deid.Finding.review)

    @property
    def passes(self) -> bool:
        """True when the text was scanned and nothing was found."""
        return self.error is None and not self.findings

    def audit(self) -> dict:
        """The `allow_pii` audit row's `after`: counts by category, or why the text went in unscanned."""
        if self.error is not None:
            return {"unscanned": self.error}
        return dict(sorted(Counter(f.category for f in self.findings).items()))


class PiiGate:
    """The PII scan bound to the project's allowlist; `error` says why it cannot run (None when it can)."""

    def __init__(self, scan: Callable[[str, Iterable[str]], list] | None, error: str | None = None) -> None:
        self._scan = scan
        # Without a scanner the gate stays closed, whatever the caller passed.
        self.error = (error or "no scanner was loaded") if scan is None else None

    def own_ids(self, ids: Iterable[str], known: frozenset[str] | None = None) -> frozenset[str] | None:
        """The study's own ids among `ids` (deid.study_ids), with `known` ones: worked out once for the
        ids every text shares (the attributes CSV's, every transcript's), then passed to scan() as
        `known`. None when the gate is closed."""
        if self._scan is None:
            return None
        from ..deid import study_ids

        return study_ids(ids, known)

    def scan(
        self,
        text: str,
        ids: Iterable[str] = (),
        name: str | None = None,
        *,
        known: frozenset[str] | None = None,
    ) -> Scan:
        """Scan one text; `ids` are the study's own ids in it (never identifiers), `known` those of the
        whole study from own_ids(); `name`, the file's name, is scanned too (it is stored as the
        transcript's source, and as its id when the file gives none): its findings have line 0. Never
        raises for a scanner failure: the Scan says the text is unscanned."""
        if self._scan is None:
            return Scan(error=self.error)
        try:
            ids = self.own_ids(ids, known)  # once, for the name and the text
            named = self._scan(name_words(name), ids) if name else []
            found = [dataclasses.replace(f, line=0, column=0) for f in named]
            found += self._scan(text, ids)
            # a name to review ("Grace was there") stops nothing: "wei-qual deid scan" shows it
            reviews = sum(f.review for f in found)
            return Scan(findings=[f for f in found if not f.review] if reviews else found, reviews=reviews)
        except Exception as ex:  # noqa: BLE001 - any failure of the scanner closes the gate
            # The type only: a scanner's message might quote the text it choked on.
            return Scan(error=f"the scanner failed with {type(ex).__name__}")


def name_words(name: str) -> str:
    """A file name or transcript id as the words it holds: "P07_Maria_Lopez" -> "P07 Maria Lopez",
    "MariaLopez" -> "Maria Lopez", so a name in it is found as in text."""
    return re.sub(r"[_.+]+|(?<=[a-z])(?=[A-Z][a-z])", " ", name).strip()


def open_gate(db: Database | None) -> PiiGate:
    """The gate for this project. Raises DeidError when the project's allowlist setting is corrupt."""
    try:
        from ..deid import project_allowlist, scan_text  # lazy: the scanner loads its name lists
        from ..deid.names import load_lists
    except ImportError as ex:  # e.g. a missing dependency of the scanner (Faker), or a broken install
        return PiiGate(None, f"wei_qual.deid cannot be imported: {ex}")
    allow = project_allowlist(db) if db is not None else []

    def scan(text: str, ids: Iterable[str]) -> list:
        return scan_text(text, allow=allow, study_ids=ids)

    try:
        load_lists()  # here, once: forked workers start with them
        scan(PROBE, ())
    except Exception as ex:  # noqa: BLE001 - e.g. its first-name list cannot be loaded
        return PiiGate(None, f"the scanner failed with {type(ex).__name__}: {ex}")
    return PiiGate(scan)
