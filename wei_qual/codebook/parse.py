"""Parse and validate a codebook YAML text into a Codebook, collecting every problem with its line and column.

The YAML is composed into nodes (SafeLoader: no arbitrary objects) so each problem can point at the exact key
or value. Only `check_patterns=True` imports spaCy (to run the Matcher's own pattern validation).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import yaml

from ..controls import LINE_BREAKS
from ..errors import quoted
from ..lookalikes import char_label, invisible_in, mixed_script_word, non_ascii_in_id, show_invisible
from ..models import Code, Codebook, plural
from ..safeyaml import MAX_YAML_DEPTH, BoundedLoader, UnreadableValue, YamlLimitError, compose
from ..textmatch import KEYWORD_SLOT

TOP_KEYS = ("name", "version", "description", "codes")
TOP_REQUIRED = ("name", "version", "codes")
CODE_KEYS = (
    "id",
    "name",
    "definition",
    "include",
    "exclude",
    "examples",
    "color",
    "keywords",
    "exclude_keywords",
    "patterns",
    "exclusive",
    "children",
    "renamed_from",
    "merged_into",
    "split_into",
    "draft",
)
CODE_REQUIRED = ("id", "name")
EXAMPLE_KEYS = ("typical", "atypical")
# A slug: lowercase ASCII letters and digits, words joined by single "-" or "_", starting with a letter.
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_CODE_DEPTH = 20  # levels of children; real codebooks use 2 to 5, and deeper trees only exhaust the stack
MAX_CODES = (
    50_000  # codes in a .qdc or .qdpx codebook: 100,000 took 20 s and 470 MB to import, a million minutes
)


@dataclass(frozen=True)
class Problem:
    """One validation problem, printed as FILE:LINE:COLUMN: message (1-based line and column)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class ParsedCodebook:
    """A parsed codebook plus what only loading needs: merged (retired) codes and their targets."""

    codebook: Codebook | None
    problems: list[Problem]
    merges: dict[str, str] = field(default_factory=dict)  # retired id -> id it was merged into
    splits: dict[str, tuple[str, ...]] = field(default_factory=dict)  # retired id -> codes it was split into
    warnings: list[Problem] = field(default_factory=list)  # not errors: drafts to settle, look-alike names
    look_alikes: list[Problem] = field(default_factory=list)  # the warnings on names that look like others


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # not errors: a file with them loads

    def warn(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.warnings.append(Problem(self.file, mark.line + 1, mark.column + 1, f"warning: {message}"))

    def add(self, node: yaml.Node | yaml.Mark, message: str) -> None:
        mark = node.start_mark if isinstance(node, yaml.Node) else node
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, message))


def _scalar(node: yaml.Node) -> object:
    """The Python value of a node (safe constructors only; an unknown tag raises ConstructorError, and a
    value its tag cannot hold UnreadableValue)."""
    return BoundedLoader("").construct_object(node, deep=True)


def _mapping(node: yaml.MappingNode, out: _Collector, allowed: tuple[str, ...], what: str) -> dict:
    """Key name -> (key node, value node); reports non-string, unknown and duplicate keys.

    An unknown key is not echoed (the file may not be a codebook at all: a transcript's "Maria: ..."
    lines read as keys); the line and column find it, and the nearest allowed key is suggested."""
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            out.add(key_node, f"{what}: keys must be plain words, not {_describe(key_node)}.")
            continue
        if key not in allowed:
            close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.75)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            out.add(key_node, f"{what}: unknown key.{hint} Allowed keys: {', '.join(allowed)}.")
            continue
        if key in found:
            out.add(key_node, f"{what}: key {quoted(key)} appears twice. Keep one of them.")
            continue
        found[key] = (key_node, value_node)
    return found


def _shown(value: str) -> str:
    """A codebook value in a message: quoted when it is a short one-line value an author typed as an
    id or a colour; otherwise only its length (long text may be anything, even a transcript's)."""
    if len(value) <= 40 and "\n" not in value:
        return f'"{show_invisible(value)}"'  # an invisible character in an id is the problem: show it
    return f"({len(value)} characters)"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = _scalar(node)
    if value is None:
        return "empty"
    return {bool: "true/false", int: "a number", float: "a number", str: "text"}.get(type(value), "a value")


def _text(node: yaml.Node, out: _Collector, what: str, *, required: bool = False) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if isinstance(value, str):
            if required and not value.strip():
                out.add(node, f"{what} is empty.")
                return None
            if required and LINE_BREAKS.search(value.strip()):
                # A name or version "A\nError: ..." started a line of its own in every table and message.
                out.add(node, f"{what} holds a line break or a tab. Write it on one line.")
            return value
        if value is None and not required:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # e.g. `version: 2` is a fine label
        if isinstance(value, bool):  # YAML 1.1 reads yes/no/on/off as booleans
            out.add(node, f'{what} must be text, not true/false. Put it in quotes: "{node.value}".')
            return None
    out.add(node, f"{what} must be text, not {_describe(node)}.")
    return None


def _text_list(node: yaml.Node, out: _Collector, what: str) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        out.add(node, f"{what} must be a list of text, not {_describe(node)}.")
        return ()
    items = []
    for item in node.value:
        value = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            out.add(item, f"{what}: each item must be non-empty text, not {_describe(item)}.")
            continue
        items.append(value)
    return tuple(items)


def _keywords(f: dict, key: str, out: _Collector, where: str) -> tuple[str, ...]:
    """A list of keywords (`keywords`, `exclude_keywords`), each checked: "=" needs words after it, and a
    "..." slot needs words on both sides."""
    if key not in f:
        return ()
    keywords = _text_list(f[key][1], out, f"{where}: {key}")
    what = "keyword" if key == "keywords" else "exclude keyword"
    for item in f[key][1].value if keywords else ():
        value = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
        words = value.strip().removeprefix("=").strip() if isinstance(value, str) else ""
        if isinstance(value, str) and value.strip() == "=":
            out.add(item, f'{where}: {what} "=": write the words that must match as written after the "=".')
        elif words and not all(KEYWORD_SLOT.split(words)):
            out.add(
                item,
                f'{where}: {what} {_shown(value)}: "..." stands for up to two words between two '
                'phrases ("no ... beds"). Put words on both sides of it.',
            )
    return keywords


@dataclass
class _RawCode:
    code: Code
    node: yaml.Node
    fields: dict  # key -> (key node, value node)
    pattern_nodes: list[yaml.Node]


def _parse_code(
    node: yaml.Node, parent: str | None, out: _Collector, codes: list[_RawCode], index: str
) -> None:
    where = f"code {index}"
    if not isinstance(node, yaml.MappingNode):
        out.add(node, f"{where} must be a mapping with at least id and name, not {_describe(node)}.")
        return
    for k, v in node.value:  # name the code by its id in every message, when it is a valid id
        if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode) and v.value:
            if len(v.value) <= 40 and "\n" not in v.value:
                where = f'code "{show_invisible(v.value)}"'
            break
    f = _mapping(node, out, CODE_KEYS, where)
    code_id = None
    if "id" in f:
        code_id = _text(f["id"][1], out, f"{where}: id", required=True)
        if code_id is not None and not SLUG_RE.match(code_id):
            why = non_ascii_in_id(code_id)  # "сsu" or "csu\u200b" look like slugs: say what is wrong
            out.add(
                f["id"][1],
                f"code {index}: id {_shown(code_id)} is not a slug{': ' + why if why else ''}. Use lowercase "
                'letters, digits, "-" or "_", starting with a letter.',
            )
    retired = "merged_into" in f or "split_into" in f
    for key in CODE_REQUIRED:
        if key not in f and not (retired and key == "name"):
            out.add(node, f'{where}: missing key "{key}".')
    name = _text(f["name"][1], out, f"{where}: name", required=True) if "name" in f else None
    if name:
        _check_name(name, f["name"][1], out, where)
    texts = {}
    for key in ("definition", "include", "exclude"):
        if key == "exclude" and key in f and isinstance(f[key][1], yaml.SequenceNode):
            # "exclude" is the coders' text on when not to use the code; phrases for suggest have their key
            out.add(
                f[key][1],
                f"{where}: exclude is text for coders (when not to use the code), not a list. Phrases that "
                "must not make suggest propose the code go under exclude_keywords.",
            )
            texts[key] = ""
            continue
        texts[key] = _text(f[key][1], out, f"{where}: {key}") if key in f else ""
    examples: tuple[str, ...] = ()
    atypical: tuple[str, ...] = ()
    if "examples" in f:
        ex = f["examples"][1]
        if isinstance(ex, yaml.MappingNode):
            ef = _mapping(ex, out, EXAMPLE_KEYS, f"{where}: examples")
            if "typical" in ef:
                examples = _text_list(ef["typical"][1], out, f"{where}: examples.typical")
            if "atypical" in ef:
                atypical = _text_list(ef["atypical"][1], out, f"{where}: examples.atypical")
        else:
            examples = _text_list(ex, out, f"{where}: examples")
    color = None
    if "color" in f:
        raw = _text(f["color"][1], out, f"{where}: color")
        if raw == "":
            out.add(
                f["color"][0],
                f'{where}: color is empty. Quote it, e.g. color: "#1F77B4" (an unquoted # starts a comment).',
            )
        elif raw is not None:
            if COLOR_RE.match(raw):
                color = raw.upper()
            elif re.fullmatch(r"#[0-9A-Fa-f]{8}", raw.strip()):
                # Eight digits are a colour with its transparency, first (#AARRGGBB, as .qdc files and
                # .NET/Qt tools write it) or last (#RRGGBBAA, CSS): which, the digits cannot say.
                digits = raw.strip()[1:].upper()
                out.add(
                    f["color"][1],
                    f"{where}: color {_shown(raw)} has eight digits, a colour with its transparency, which a "
                    f'codebook does not keep. Write its six colour digits: "#{digits[:6]}" if the transparency '
                    f'is last (CSS #RRGGBBAA), "#{digits[2:]}" if it is first (#AARRGGBB).',
                )
            else:
                out.add(
                    f["color"][1], f'{where}: color {_shown(raw)} is not a #RRGGBB colour, e.g. "#1F77B4".'
                )
    keywords = _keywords(f, "keywords", out, where)
    exclude_keywords = _keywords(f, "exclude_keywords", out, where)
    if exclude_keywords and not keywords and "patterns" not in f:
        out.warn(
            f["exclude_keywords"][0],
            f"{where}: exclude_keywords exclude nothing without keywords or patterns: suggest does not propose "
            "this code at all.",
        )
    both = [k for k in exclude_keywords if k.strip().lower() in {w.strip().lower() for w in keywords}]
    if both:
        out.warn(
            f["exclude_keywords"][0],
            f"{where}: {_shown(both[0])} is both a keyword and an exclude keyword, so it never suggests the "
            "code. Keep it in one list.",
        )
    patterns: list = []
    pattern_nodes: list[yaml.Node] = []
    if "patterns" in f:
        pn = f["patterns"][1]
        if isinstance(pn, yaml.SequenceNode):
            for item in pn.value:
                patterns.append(_scalar(item))
                pattern_nodes.append(item)
        else:
            out.add(pn, f"{where}: patterns must be a list of spaCy token patterns, not {_describe(pn)}.")
    exclusive = False
    if "exclusive" in f:
        value = _scalar(f["exclusive"][1]) if isinstance(f["exclusive"][1], yaml.ScalarNode) else None
        if isinstance(value, bool):
            exclusive = value
        else:
            out.add(f["exclusive"][1], f"{where}: exclusive must be true or false.")
    draft = False
    if "draft" in f:
        value = _scalar(f["draft"][1]) if isinstance(f["draft"][1], yaml.ScalarNode) else None
        if isinstance(value, bool):
            draft = value
        else:
            out.add(f["draft"][1], f"{where}: draft must be true or false.")
    links = {}
    for key in ("renamed_from", "merged_into"):
        links[key] = None
        if key in f:
            value = _text(f[key][1], out, f"{where}: {key}", required=True)
            if value is not None and not SLUG_RE.match(value):
                why = non_ascii_in_id(value)
                out.add(
                    f[key][1], f"{where}: {key} {_shown(value)} is not a slug{': ' + why if why else ''}."
                )
            links[key] = value
    split_into: tuple[str, ...] = ()
    if "split_into" in f:
        node_ = f["split_into"][1]
        split_into = _text_list(node_, out, f"{where}: split_into")
        if "merged_into" in f:
            out.add(node_, f"{where}: a code is merged_into one code or split_into several, not both.")
        elif len(set(split_into)) == 1:
            out.add(node_, f"{where}: split_into names one code. Use merged_into: {split_into[0]}.")
        for value in split_into:
            if not SLUG_RE.match(value):
                why = non_ascii_in_id(value)
                out.add(
                    node_, f"{where}: split_into {_shown(value)} is not a slug{': ' + why if why else ''}."
                )
    if retired and "children" in f:
        out.add(f["children"][0], f"{where}: a code merged into another cannot have children. Move them.")
    if code_id is not None and (name is not None or retired):
        code = Code(
            id=code_id,
            name=name if name is not None else code_id,
            parent=parent,
            definition=texts["definition"] or "",
            include=texts["include"] or "",
            exclude=texts["exclude"] or "",
            examples=examples,
            atypical_examples=atypical,
            color=color,
            keywords=keywords,
            exclude_keywords=exclude_keywords,
            patterns=tuple(patterns),
            exclusive=exclusive,
            renamed_from=links["renamed_from"],
            merged_into=links["merged_into"],
            split_into=split_into,
            line=node.start_mark.line + 1,
            draft=draft,
        )
        codes.append(_RawCode(code, node, f, pattern_nodes))
    if "children" in f and index.count(".") + 1 >= MAX_CODE_DEPTH:
        out.add(
            f["children"][0],
            f"{where}: codes are nested more than {MAX_CODE_DEPTH} levels deep. Flatten the tree.",
        )
    elif "children" in f:
        cn = f["children"][1]
        if isinstance(cn, yaml.SequenceNode):
            for i, child in enumerate(cn.value, 1):
                _parse_code(child, code_id if not retired else None, out, codes, f"{index}.{i}")
        elif not (isinstance(cn, yaml.ScalarNode) and _scalar(cn) is None):
            out.add(cn, f"{where}: children must be a list of codes, not {_describe(cn)}.")


def _check_name(name: str, node: yaml.Node, out: _Collector, where: str) -> None:
    """Warn on a name that would look like another: a word mixing Latin and Cyrillic (or Greek) letters, or
    an invisible character. The name is not quoted (names are the file's text); the letter is named."""
    mixed = mixed_script_word(name)
    if mixed:
        at, letter, scripts = mixed
        out.warn(
            node,
            f"{where}: its name mixes {scripts} letters in one word (character {at} is {char_label(letter)}), "
            "so it looks like a name it is not. Retype that word.",
        )
    hidden = invisible_in(name)
    if hidden:
        at, ch = hidden
        out.warn(
            node,
            f"{where}: its name holds {char_label(ch)} (character {at}), which is invisible, so it looks like a "
            "name it is not. Remove it.",
        )


def _retired(code: Code) -> bool:
    """A stub that is not part of the version: merged into another code, or split into several."""
    return code.merged_into is not None or bool(code.split_into)


def _check_tree(raw: list[_RawCode], out: _Collector) -> dict[str, str]:
    """Cross-code rules: unique ids, exclusive groups, renames and merges. Returns retired id -> target."""
    seen: dict[str, _RawCode] = {}
    for rc in raw:
        if rc.code.id in seen:
            first = seen[rc.code.id].node.start_mark.line + 1
            out.add(rc.fields["id"][1], f'duplicate id "{rc.code.id}" (first defined on line {first}).')
        else:
            seen[rc.code.id] = rc
    live = {rc.code.id for rc in raw if not _retired(rc.code)}
    merges = {rc.code.id: rc.code.merged_into for rc in raw if rc.code.merged_into is not None}
    splits = {rc.code.id for rc in raw if rc.code.split_into}
    parents = {rc.code.parent for rc in raw if not _retired(rc.code) and rc.code.parent}
    renamed: dict[str, str] = {}
    for rc in raw:
        c = rc.code
        if c.merged_into is not None:
            node = rc.fields["merged_into"][1]
            if c.merged_into == c.id:
                out.add(node, f'code "{c.id}": merged_into names the code itself.')
            elif c.merged_into not in live:
                out.add(
                    node,
                    f'code "{c.id}": merged_into target "{c.merged_into}" is not a code in this codebook.',
                )
            elif c.merged_into in parents:  # its decisions would hold a heading nothing lets a coder apply
                out.add(
                    node,
                    f'code "{c.id}": merged_into target "{c.merged_into}" is a theme heading (codes are under '
                    "it), which coders do not apply. Merge into one of its codes.",
                )
        for target in dict.fromkeys(c.split_into) if len(set(c.split_into)) > 1 else ():
            node = rc.fields["split_into"][1]
            if target == c.id:
                out.add(node, f'code "{c.id}": split_into names the code itself.')
            elif target not in live:
                out.add(node, f'code "{c.id}": split_into target "{target}" is not a code in this codebook.')
            elif target in parents:
                out.add(
                    node,
                    f'code "{c.id}": split_into target "{target}" is a theme heading (codes are under it), which '
                    "coders do not apply. Split into its codes.",
                )
        if c.renamed_from is not None:
            node = rc.fields["renamed_from"][1]
            if c.renamed_from in live or c.renamed_from in merges or c.renamed_from in splits:
                out.add(
                    node, f'code "{c.id}": renamed_from "{c.renamed_from}" is still a code in this codebook.'
                )
            elif c.renamed_from in renamed:
                out.add(
                    node,
                    f'code "{c.id}": "{c.renamed_from}" is already renamed to "{renamed[c.renamed_from]}".',
                )
            else:
                renamed[c.renamed_from] = c.id
        if c.exclusive:
            kids = [k.code.id for k in raw if k.code.parent == c.id and not _retired(k.code)]
            n = len(kids)
            if n < 2:
                out.add(
                    rc.fields["exclusive"][1],
                    f'code "{c.id}" is exclusive but has {n} {"child" if n == 1 else "children"}; '
                    "an exclusive group needs at least two.",
                )
            # Coders apply leaves, and the group is checked and measured on its children: a theme among
            # them let "pro" and a code under "substance" be applied together, and agreement read both
            # coders of two different codes under "substance" as agreeing on "none of the group".
            themes = [k for k in kids if any(r.code.parent == k for r in raw)]
            if themes:
                out.add(
                    rc.fields["exclusive"][1],
                    f'code "{c.id}" is exclusive but its child "{themes[0]}" has codes under it; the codes of '
                    "an exclusive group are applied, so none can be a theme. Move those codes into the group, "
                    f'or take "{themes[0]}" out of it.',
                )
    return merges


def check_patterns(raw: list[_RawCode], out: _Collector) -> None:
    """Run spaCy's own Matcher validation on every pattern (imports spaCy)."""
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    from ..suggest.patterns import pattern_problem

    # A bare Vocab is all the Matcher's validation needs; spacy.blank("en") would cost ~1 s per call.
    vocab = Vocab()
    for rc in raw:
        for i, (pattern, node) in enumerate(zip(rc.code.patterns, rc.pattern_nodes), 1):
            problem = pattern_problem(pattern)
            if problem:
                out.add(node, f'code "{rc.code.id}": pattern {i} is not a valid spaCy pattern: {problem}.')
                continue
            matcher = Matcher(vocab, validate=True)
            try:
                matcher.add(rc.code.id, [pattern])
            except (ValueError, re.error) as ex:  # MatchPatternError and E012/E178 are ValueErrors
                where, message = _pattern_error(ex, node)
                word = _yaml_boolean_word(node)
                if word is not None:  # the usual cause: [{LOWER: no}] is {"LOWER": False} in YAML 1.1
                    where = word
                    message += f' YAML reads an unquoted {word.value} as true/false: write "{word.value}".'
                out.add(where, f'code "{rc.code.id}": pattern {i} is not a valid spaCy pattern: {message}')


def _yaml_boolean_word(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first plain yes/no/on/off scalar that YAML turned into a boolean, inside a pattern."""
    if isinstance(node, yaml.ScalarNode):
        is_word = node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false")
        return node if is_word and not node.style else None  # plain: None (PyYAML) or "" (libyaml)
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(node, yaml.MappingNode):
        children = [v for _k, v in node.value]
    for child in children:
        found = _yaml_boolean_word(child)
        if found is not None:
            return found
    return None


_SPACY_LINE = re.compile(r"^- \[pattern -> (\d+)(?: -> ([^\] ]+))?[^\]]*\] (.*)$")


def _pattern_error(ex: Exception, node: yaml.Node) -> tuple[yaml.Node, str]:
    """A one-line message and the most precise node for a spaCy pattern error."""
    lines = [m for m in (_SPACY_LINE.match(x) for x in str(ex).splitlines()) if m]
    if not lines:
        text = str(ex).splitlines()[0] if str(ex) else type(ex).__name__
        if "[E012]" in text:
            text = "it has no tokens."
        elif "[E178]" in text:
            text = "it must be a list of token mappings."
        return node, text.rstrip(".") + "."
    first = lines[0]
    token, key = int(first.group(1)), first.group(2)
    target = node
    if isinstance(node, yaml.SequenceNode) and token < len(node.value):
        target = node.value[token]
        if key and isinstance(target, yaml.MappingNode):
            for k, _v in target.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    target = k
                    break
    messages = []
    for m in lines:
        text = f"token {int(m.group(1)) + 1}" + (f" {m.group(2)}" if m.group(2) else "") + f": {m.group(3)}"
        if not any(text.startswith(x.split(":")[0] + ":") for x in messages):
            messages.append(text)  # pydantic reports each alternative of a union; the first is enough
    return target, "; ".join(messages).rstrip(".") + "."


def parse_codebook_text(text: str, file: str, *, patterns: bool = True) -> ParsedCodebook:
    """Parse and validate a codebook's YAML text; never raises for bad input (problems are returned)."""
    out = _Collector(file)
    try:
        root = compose(text)
    except YamlLimitError as ex:  # aliases (a "billion laughs" bomb) or nesting that exhausts the stack
        out.add(
            ex.problem_mark,
            f"{ex.problem}. Codebooks allow no YAML aliases and at most {MAX_YAML_DEPTH} levels of nesting.",
        )
        return ParsedCodebook(None, out.problems)
    except yaml.MarkedYAMLError as ex:
        mark = ex.problem_mark or ex.context_mark
        message = f"YAML syntax error: {ex.problem or ex.context}"
        if ex.context and ex.problem and ex.context_mark is not None:
            message += (
                f" ({ex.context} at line {ex.context_mark.line + 1}, column {ex.context_mark.column + 1})"
            )
        out.add(mark, message + ".")
        return ParsedCodebook(None, out.problems)
    except yaml.reader.ReaderError as ex:  # a control character (a NUL, a bell pasted from a terminal)
        # PyYAML names a position in the text and prints two lines: give the line and column instead.
        before = text[: ex.position]
        line, column = before.count("\n") + 1, ex.position - (before.rfind("\n") + 1) + 1
        code = ex.character if isinstance(ex.character, int) else ord(ex.character or "\0")
        out.problems.append(
            Problem(
                file,
                line,
                column,
                f"the file holds a control character (U+{code:04X}) that YAML does not allow. Remove it.",
            )
        )
        return ParsedCodebook(None, out.problems)
    except yaml.YAMLError as ex:
        out.problems.append(Problem(file, 1, 1, f"YAML error: {' '.join(str(ex).split())}."))
        return ParsedCodebook(None, out.problems)
    if root is None:
        out.problems.append(
            Problem(file, 1, 1, "the codebook is empty. See docs/codebook.md for the format.")
        )
        return ParsedCodebook(None, out.problems)
    try:
        return _parse_root(root, out, patterns)
    except UnreadableValue as ex:
        out.add(ex.problem_mark, f"YAML error: {ex.problem}.")
        return ParsedCodebook(None, sorted(out.problems, key=lambda p: (p.line, p.column)))
    except yaml.constructor.ConstructorError as ex:  # e.g. a !!python/object tag: refused, as safe_load does
        out.add(ex.problem_mark, f"YAML error: {ex.problem}. Remove the tag.")
        return ParsedCodebook(None, sorted(out.problems, key=lambda p: (p.line, p.column)))


def _parse_root(root: yaml.Node, out: _Collector, patterns: bool) -> ParsedCodebook:
    if not isinstance(root, yaml.MappingNode):
        out.add(root, f"the codebook must be a mapping with name, version and codes, not {_describe(root)}.")
        return ParsedCodebook(None, out.problems)
    keys = [str(k.value).lower() for k, _ in root.value if isinstance(k, yaml.ScalarNode)]
    if root.value and not any(difflib.get_close_matches(k, TOP_KEYS, n=1, cutoff=0.75) for k in keys):
        # Not a codebook at all (a transcript's "Speaker: text" lines read as YAML keys, say): one line,
        # naming nothing from the file.
        out.add(
            root,
            f"this is not a codebook: none of its {plural(len(root.value), 'top-level key')} is name, version or "
            "codes. Pass the codebook's YAML file (the format is in docs/codebook.md).",
        )
        return ParsedCodebook(None, out.problems)
    top = _mapping(root, out, TOP_KEYS, "codebook")
    for key in TOP_REQUIRED:
        if key not in top:
            out.add(root, f'codebook: missing key "{key}".')
    name = _text(top["name"][1], out, "codebook: name", required=True) if "name" in top else None
    version = _text(top["version"][1], out, "codebook: version", required=True) if "version" in top else None
    description = _text(top["description"][1], out, "codebook: description") if "description" in top else ""
    raw: list[_RawCode] = []
    if "codes" in top:
        cn = top["codes"][1]
        if isinstance(cn, yaml.SequenceNode):
            for i, child in enumerate(cn.value, 1):
                _parse_code(child, None, out, raw, str(i))
            if not cn.value:
                out.add(cn, "the codebook has no codes. Add at least one under codes.")
        elif isinstance(cn, yaml.ScalarNode) and _scalar(cn) is None:
            out.add(top["codes"][0], "the codebook has no codes. Add at least one under codes.")
        else:
            out.add(cn, f"codebook: codes must be a list of codes, not {_describe(cn)}.")
    merges = _check_tree(raw, out)
    if patterns and any(rc.code.patterns for rc in raw):
        check_patterns(raw, out)
    problems = sorted(out.problems, key=lambda p: (p.line, p.column))
    if problems:
        return ParsedCodebook(None, problems, merges)
    splits = {rc.code.id: tuple(dict.fromkeys(rc.code.split_into)) for rc in raw if rc.code.split_into}
    codebook = Codebook(
        name=name or "",
        version=version or "",
        description=description or "",
        codes=tuple(rc.code for rc in raw if not _retired(rc.code)),
    )
    warnings = [
        Problem(
            out.file,
            rc.node.start_mark.line + 1,
            rc.node.start_mark.column + 1,
            f'warning: code "{rc.code.id}" is a draft created while coding. Give it a definition and '
            'remove "draft: true", or settle it with "wei-qual codebook drafts complete/merge/drop".',
        )
        for rc in raw
        if rc.code.draft and not _retired(rc.code)
    ]
    warnings = sorted(warnings + out.warnings, key=lambda p: (p.line, p.column))
    return ParsedCodebook(codebook, [], merges, splits, warnings, out.warnings)
