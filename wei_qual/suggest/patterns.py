"""What a codebook's spaCy token patterns require: anchor words, fixed token sequences and match length.

These let suggest check most patterns on lists of token hashes instead of running spaCy's Matcher.
"""

from __future__ import annotations

import re
from typing import Any

# spaCy's Matcher unrolls a token repeated {n} times into n tokens: {10000000} took 42 s and 4 GB to
# check, and a larger count ended the process.
MAX_REPEAT = 50
_REPEAT = re.compile(r"\{\s*(\d*)\s*(?:,\s*(\d*)\s*)?\}")


def pattern_problem(pattern: Any) -> str | None:
    """Why a pattern would take spaCy unbounded time or memory, or None: a token repeated more often than
    MAX_REPEAT ("OP": "{n}", "{n,m}", "{n,}", "{,m}"), or a regular expression that repeats a repeat."""
    for i, token in enumerate(pattern if isinstance(pattern, list) else [], start=1):
        if not isinstance(token, dict):
            continue
        op = token.get("OP")
        m = _REPEAT.fullmatch(op) if isinstance(op, str) else None
        if m and any(n and (len(n) > 6 or int(n) > MAX_REPEAT) for n in m.groups()):
            return f'token {i} repeats {op} times, more than {MAX_REPEAT}. Use at most "{{1,{MAX_REPEAT}}}"'
        regexes = [
            v
            for value in token.values()
            if isinstance(value, dict)
            for k, v in value.items()
            if str(k).upper() == "REGEX"
        ]
        for regex in regexes:
            if isinstance(regex, str) and _nested_repeat(regex):
                return (
                    f'token {i}\'s REGEX "{regex[:40]}" repeats a repeat, which can take hours on one long '
                    'word. Write it without a repeat inside a repeat (e.g. "a+" for "(a+)+")'
                )
    return None


def _nested_repeat(regex: str) -> bool:
    """Whether a regular expression repeats, without bound, something that repeats (`(a+)+`, `(\\w*\\s?)*`,
    `(a{1,9})*`): the shape whose backtracking is exponential in the length of a word that almost
    matches. A bounded outer repeat (`(\\d{1,3}\\.){3}`) is not."""
    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser
    try:
        parsed = parser.parse(regex)
    except (re.error, RecursionError, OverflowError):
        return False  # not a regular expression: spaCy's own validation says so
    repeats = {parser.MAX_REPEAT, parser.MIN_REPEAT, getattr(parser, "POSSESSIVE_REPEAT", None)}

    def walk(items, inside: bool) -> bool:
        for op, value in items:
            if op in repeats:
                _low, high, sub = value
                if inside and high > 1:
                    return True
                if walk(sub, inside or high == parser.MAXREPEAT):
                    return True
            elif any(walk(part, inside) for part in _parts(value, parser)):
                return True
        return False

    return walk(parsed, False)


def _parts(value: Any, parser: Any) -> list:
    """The subpatterns inside a parsed regex node's value (groups, branches, lookarounds)."""
    if isinstance(value, parser.SubPattern):
        return [value]
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in _parts(item, parser)]
    return []


def _lower_lemma_values(pattern: list[dict]) -> list[dict]:
    """Our LEMMA values are lower case, so lower-case the LEMMA values a codebook author wrote; and texts
    are matched with straight quotes and hyphens (pipeline.STRAIGHT), so straighten those of every value."""
    from .pipeline import STRAIGHT

    def fold(value: Any, lower: bool) -> Any:
        if isinstance(value, str):
            value = value.translate(STRAIGHT)
            return value.lower() if lower else value
        if isinstance(value, dict):
            return {
                # A REGEX (or another single value) keeps its case: lower-casing "\\D" would change it.
                k: [fold(v, lower) for v in vs] if isinstance(vs, list) else fold(vs, False)
                for k, vs in value.items()
            }
        return value

    return [
        {k: fold(v, k.upper() == "LEMMA") if k.upper() != "OP" else v for k, v in token.items()}
        if isinstance(token, dict)
        else token
        for token in pattern
    ]


_REQUIRED_OPS = (None, "+", "1", "{1}")


_COLUMNS = {"LOWER": 0, "LEMMA": 1, "ORTH": 2, "TEXT": 2}  # token hash columns matched on


def _token_constraints(token: dict, strings: Any) -> list[tuple[int, frozenset[int]]] | None:
    """(column, allowed hashes) for each LOWER / LEMMA / ORTH / TEXT key of a token pattern, or None when
    the token uses anything else (other attributes, REGEX, NOT_IN...)."""
    constraints = []
    for key, value in token.items():
        if key == "OP":
            continue
        column = _COLUMNS.get(key.upper())
        if isinstance(value, dict) and list(value) == ["IN"] and isinstance(value["IN"], list):
            values = value["IN"]
        else:
            values = [value]
        if column is None or not values or not all(isinstance(v, str) for v in values):
            return None
        if column == 2 and all(v.lower() == v.upper() for v in values):
            column = 0  # caseless text ("-"): its LOWER is the same, and saves reading ORTH
        constraints.append((column, frozenset(strings.add(v) for v in values)))
    return constraints


def pattern_anchors(pattern: list[dict], strings: Any) -> list[tuple[int, frozenset[int]]]:
    """Necessary conditions of a pattern: for each required token, (column, hashes) of which the doc
    must contain at least one. A text lacking any anchor cannot match."""
    anchors = []
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in _REQUIRED_OPS:
            continue
        for key, value in token.items():
            constraint = _token_constraints({key: value}, strings) if key != "OP" else None
            if constraint:
                anchors.append(constraint[0])
                break
    return anchors


MAX_SEQUENCES = 64


def fixed_sequences(
    pattern: list[dict], strings: Any
) -> list[tuple[tuple[tuple[int, frozenset[int]], ...], ...]] | None:
    """The pattern as fixed token sequences ("?" tokens taken and left out), each token a tuple of
    (column, hashes) constraints; None when it needs spaCy's Matcher ("+", "*", "!", other keys).

    Most codebook patterns are of this kind, and checking them on hash lists at the positions of their
    rarest-looking word costs a fraction of running the Matcher (which builds a Python Token per token).
    """
    sequences: list[tuple] = [()]
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") not in (None, "?"):
            return None
        constraints = _token_constraints(token, strings)
        if constraints is None:
            return None
        step = tuple(constraints)  # () is the wildcard {}
        taken = [seq + (step,) for seq in sequences]
        sequences = taken + sequences if token.get("OP") == "?" else taken
        if len(sequences) > MAX_SEQUENCES:
            return None
    sequences = [seq for seq in sequences if any(seq)]  # drop empty and all-wildcard sequences
    return sequences or None


def pattern_length(pattern: list[dict]) -> int | None:
    """The most tokens a match can span, or None when unbounded ("+", "*", "{n,}")."""
    total = 0
    for token in pattern:
        op = token.get("OP") if isinstance(token, dict) else None
        if op in ("+", "*") or (isinstance(op, str) and op.endswith(",}")):
            return None
        if isinstance(op, str) and op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1])
        else:
            total += 1
    return total
