"""Characters that act on a terminal instead of showing: C0 and C1 controls other than newline and tab,
and the bidirectional embeddings, overrides and isolates, which can show a name or an id as another
(the "Trojan Source" reordering). The console shows them escaped; names (transcript ids, coder names)
may not hold them at all.
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None
