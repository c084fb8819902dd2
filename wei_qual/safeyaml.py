"""A YAML loader that refuses aliases and deep nesting: codebooks and front matter come from anyone.

PyYAML composes an alias as a shared node, so a 1 KB file of nested aliases is a graph that any walk over
it expands exponentially ("billion laughs"); wei-qual's files never need aliases, so they are refused.
Nesting is bounded too: the composer is recursive, and 1,000 levels raise RecursionError.
"""

from __future__ import annotations

import re

import yaml

MAX_YAML_DEPTH = 64  # a codebook nested 20 codes deep, with patterns, stays under 50


class YamlLimitError(yaml.MarkedYAMLError):
    """The YAML uses an alias or nests deeper than MAX_YAML_DEPTH (problem and problem_mark say where)."""


class UnreadableValue(yaml.constructor.ConstructorError):
    """A value its tag cannot hold: the date 2024-13-45, "!!int abc", a number of over 4,300 digits
    (PyYAML's constructors raise ValueError and others for them, not a YAMLError)."""


_KINDS = {"timestamp": "date", "int": "number", "float": "number", "bool": "true/false value"}


# Only a double-quoted scalar's escapes ("\ud83d") make these: halves of a UTF-16 pair, no characters.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(event) -> str:
    """A double-quoted scalar's value with each pair of escaped UTF-16 halves ("\ud83d\ude00", as a JSON
    writer escapes an emoji) read as its character; a half alone is no character, and no file, project or
    terminal can hold it (it was a UnicodeEncodeError traceback when stored), so it is a YAML error."""
    try:
        return event.value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        raise yaml.scanner.ScannerError(
            problem="an escape (\\uD800 to \\uDFFF) stands for half of a character; write the character itself",
            problem_mark=event.start_mark,
        ) from None


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader (no Python objects) without aliases and with a nesting limit; a value it cannot
    construct raises UnreadableValue, at the value."""

    _depth = 0

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
            what = _KINDS.get(str(node.tag).rsplit(":", 1)[-1], "value")
            raise UnreadableValue(
                None, None, f"a {what} YAML cannot read; put it in quotes to keep it as text", node.start_mark
            ) from None

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlLimitError(
                problem=f'an alias ("*{event.anchor}") is not allowed here; write the value out in full',
                problem_mark=event.start_mark,
            )
        if self._depth >= MAX_YAML_DEPTH:
            raise YamlLimitError(
                problem=f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        if isinstance(event, yaml.ScalarEvent) and event.style == '"' and _SURROGATE.search(event.value):
            event.value = _without_surrogates(event)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class UniqueKeysLoader(BoundedLoader):
    """BoundedLoader that refuses a mapping holding one key twice (PyYAML keeps the last without a word):
    for front matter, where `role: officer` and a later `role: provider` would silently be a provider."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    from .errors import quoted

                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {quoted(key)} appears twice; keep one of them", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _check_events(text: str, loader: type) -> None:
    """Stream the parser's events (no tree is built) and raise YamlLimitError at an alias or too deep."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.AliasEvent, yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if isinstance(event, yaml.AliasEvent):
                raise YamlLimitError(
                    problem=f'an alias ("*{event.anchor}") is not allowed here; write the value out in full',
                    problem_mark=event.start_mark,
                )
            if depth >= MAX_YAML_DEPTH:
                raise YamlLimitError(
                    problem=f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep",
                    problem_mark=event.start_mark,
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, or raise yaml.YAMLError (YamlLimitError for the limits).

    libyaml (when PyYAML has it) parses large codebooks several times faster. It is used only for
    input it accepts; anything it rejects is parsed again in pure Python, whose messages wei-qual shows.
    Plain scalars then have style "" rather than None.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _check_events(text, fast)
            return yaml.compose(text, Loader=fast)
        except YamlLimitError:
            raise
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=BoundedLoader)


def safe_load(text: str, *, unique_keys: bool = False):
    """Like yaml.safe_load, within the limits above; with unique_keys, a key twice in a mapping is refused."""
    return yaml.load(text, Loader=UniqueKeysLoader if unique_keys else BoundedLoader)  # SafeLoaders both
