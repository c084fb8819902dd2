"""Regular expressions compiled when first used. Compiling the PII scanner's and the transcript readers'
patterns was a third of `ingest`'s start-up before its workers fork, and many are for forms a study may
never hold (dates or plates said aloud, other scripts' speaker labels): those wait until a text needs them.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    """A compiled pattern's methods and attributes, compiling it at the first use of one. Each is then
    kept on the instance, so a later `p.search` costs what it costs on the compiled pattern."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern  # read without compiling: other patterns are built from it
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:  # only for names not yet kept
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), done when the pattern is first used: for module-level patterns that
    most texts never reach. Only its methods and attributes are used, never `isinstance` or re's
    functions (re.sub(p, ...)), which want a compiled pattern."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
