"""Helpers shared by the codebook exporters: themes, depth, and the flattened text of a code (both ways)."""

from __future__ import annotations

import dataclasses
import json
import re

from ..models import Code, Codebook, plural

# Labels of the flattened description (QDC Description); read_qdc parses the same labels back.
INCLUDE, EXCLUDE, EXAMPLES, ATYPICAL, KEYWORDS, NOT_KEYWORDS, PATTERNS, RENAMED, DRAFT, ID = (
    "Include:",
    "Exclude:",
    "Examples:",
    "Atypical examples:",
    "Keywords:",
    "Exclude keywords:",
    "Patterns (spaCy):",
    "Renamed from:",
    "Draft:",
    "wei-qual id:",
)
# "Exclude keywords:" before "Exclude:", which starts it too: the first label a line starts with is taken.
LABELS = (INCLUDE, NOT_KEYWORDS, EXCLUDE, EXAMPLES, ATYPICAL, KEYWORDS, PATTERNS, RENAMED, DRAFT, ID)
DRAFT_NOTE = "created while coding, not yet settled by the lead."
_EXCLUSIVE_NOTE = "Exclusive group: at most one of"


def themes(codebook: Codebook) -> list[tuple[Code, list[tuple[Code, int]]]]:
    """Each top-level code (a theme) with its descendants in document order and their depth (1 = child).

    A theme without children is its own only row.
    """

    def walk(code_id: str, depth: int, rows: list[tuple[Code, int]]) -> list[tuple[Code, int]]:
        for child in codebook.children(code_id):
            rows.append((child, depth))
            walk(child.id, depth + 1, rows)
        return rows

    return [(theme, walk(theme.id, 1, []) or [(theme, 0)]) for theme in codebook.children(None)]


def path_name(codebook: Codebook, code: Code, theme: Code) -> str:
    """The code's name prefixed by its ancestors below the theme ("Stance › Supportive")."""
    names = [code.name]
    parent = codebook.code(code.parent) if code.parent else None
    while parent is not None and parent.id != theme.id:
        names.insert(0, parent.name)
        parent = codebook.code(parent.parent) if parent.parent else None
    return " › ".join(names)


def examples_text(code: Code, sep: str = "; ") -> str:
    text = sep.join(f"“{e}”" for e in code.examples)
    if code.atypical_examples:
        text += (sep if text else "") + "Atypical: " + sep.join(f"“{e}”" for e in code.atypical_examples)
    return text


def exclusive_note(codebook: Codebook, code: Code) -> str:
    kids = codebook.exclusive_groups().get(code.id)
    return f"{_EXCLUSIVE_NOTE} {', '.join(kids)} per segment." if kids else ""


def _escaped(text: str, *, first: bool = True) -> str:
    """`text` with a backslash before each line that parse_description would read as a label ("Include:
    ..." written in a definition) or as an escaped line; `first=False` leaves the first line, which
    follows a label, as it is."""
    lines = text.splitlines()
    if not any(line.startswith((*LABELS, _EXCLUSIVE_NOTE, "\\")) for line in lines[0 if first else 1 :]):
        return text
    return "\n".join(
        "\\" + line if (i or first) and line.startswith((*LABELS, _EXCLUSIVE_NOTE, "\\")) else line
        for i, line in enumerate(lines)
    )


def flatten_description(codebook: Codebook, code: Code) -> str:
    """Definition, include, exclude, examples, keywords, exclude keywords, patterns, draft and id as one
    labelled text block."""
    lines = [_escaped(code.definition.strip())] if code.definition.strip() else []
    if code.exclusive:
        lines.append(exclusive_note(codebook, code))
    if code.include.strip():
        lines.append(f"{INCLUDE} {_escaped(code.include.strip(), first=False)}")
    if code.exclude.strip():
        lines.append(f"{EXCLUDE} {_escaped(code.exclude.strip(), first=False)}")
    if code.examples:
        lines.append(EXAMPLES)
        lines.extend(f"- {' '.join(e.split())}" for e in code.examples)
    if code.atypical_examples:
        lines.append(ATYPICAL)
        lines.extend(f"- {' '.join(e.split())}" for e in code.atypical_examples)
    if code.keywords:
        lines.append(f"{KEYWORDS} {'; '.join(code.keywords)}")
    if code.exclude_keywords:
        lines.append(f"{NOT_KEYWORDS} {'; '.join(code.exclude_keywords)}")
    if code.patterns:
        lines.append(f"{PATTERNS} {json.dumps(list(code.patterns), ensure_ascii=False)}")
    # REFI-QDA has no field for these either; without them an exported draft came back as a settled code.
    if code.renamed_from:
        lines.append(f"{RENAMED} {code.renamed_from}")
    if code.draft:
        lines.append(f"{DRAFT} {DRAFT_NOTE}")
    lines.append(f"{ID} {code.id}")
    return "\n".join(lines)


# Rich-text descriptions (ATLAS.ti's comments, MAXQDA's memos) arrive as HTML inside <Description>:
# "<p>Arrest or <b>jail</b>&nbsp;...</p>". Only text that starts with a tag and holds one of these is read
# as HTML, so a definition that merely mentions "<laughs>" stays as written.
_HTML_START = re.compile(
    r"\s*<(?:!doctype|html|body|p|div|span|br|b|i|u|em|strong|font|ul|ol|li|h[1-6])\b", re.IGNORECASE
)
_HTML_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}


def plain_from_html(text: str) -> str | None:
    """The plain text of a description written as HTML (paragraphs and line breaks kept as lines, entities
    read, styles and scripts dropped), or None when `text` is not HTML."""
    if not text or not _HTML_START.match(text):
        return None
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("style", "script", "head", "title"):
                self.hidden += 1
            elif tag in _HTML_BLOCKS:
                self.parts.append("\n")

        def handle_endtag(self, tag):
            if tag in ("style", "script", "head", "title"):
                self.hidden = max(0, self.hidden - 1)
            elif tag in _HTML_BLOCKS:
                self.parts.append("\n")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def parse_description(text: str) -> dict:
    """Split a flattened wei-qual description back into fields; foreign text becomes the definition."""
    lines = (text or "").strip().splitlines()
    if not lines or not lines[-1].startswith(ID):
        return {"definition": (text or "").strip()}
    fields: dict = {"id": lines[-1][len(ID) :].strip()}
    current, buf = "definition", []
    sections: dict[str, list[str]] = {}
    for line in lines[:-1]:
        # The id is always the last line, read above: an earlier line starting like it is text.
        if line.startswith("\\"):  # a line of text that starts like a label (see _escaped)
            buf.append(line[1:])
            continue
        label = next((lab for lab in LABELS if lab != ID and line.startswith(lab)), None)
        if label:
            sections[current] = buf
            current, buf = label, [line[len(label) :].strip()] if line[len(label) :].strip() else []
        elif line.startswith(_EXCLUSIVE_NOTE):
            continue  # regenerated from the tree on export
        else:
            buf.append(line)
    sections[current] = buf
    fields["definition"] = "\n".join(sections.get("definition", [])).strip()
    fields["include"] = " ".join(sections.get(INCLUDE, [])).strip()
    fields["exclude"] = " ".join(sections.get(EXCLUDE, [])).strip()
    fields["examples"] = tuple(x[2:] for x in sections.get(EXAMPLES, []) if x.startswith("- "))
    fields["atypical_examples"] = tuple(x[2:] for x in sections.get(ATYPICAL, []) if x.startswith("- "))
    kw = " ".join(sections.get(KEYWORDS, []))
    fields["keywords"] = tuple(k.strip() for k in kw.split(";") if k.strip())
    kw = " ".join(sections.get(NOT_KEYWORDS, []))
    fields["exclude_keywords"] = tuple(k.strip() for k in kw.split(";") if k.strip())
    try:
        patterns = json.loads(" ".join(sections.get(PATTERNS, [])) or "[]")
    except (ValueError, RecursionError):  # RecursionError: thousands of nested brackets
        patterns = []
    fields["patterns"] = tuple(patterns) if isinstance(patterns, list) else ()
    renamed = " ".join(sections.get(RENAMED, [])).strip()
    fields["renamed_from"] = renamed or None
    fields["draft"] = DRAFT in sections
    return fields


# XML 1.0 holds no C0 control character but tab, line feed and carriage return, no surrogate, and neither
# U+FFFE nor U+FFFF; lxml and python-docx refuse them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XmlText:
    """Text as an XML file (.qdpx, .qdc, .docx) can hold it: each character XML cannot hold (ESC, NUL, a
    vertical tab) is written as U+FFFD, "�", so the other tool shows where it was. Counts the values
    changed, for the export's warning."""

    def __init__(self) -> None:
        self.changed = 0

    def __call__(self, value: str) -> str:
        if _NOT_XML.search(value) is None:
            return value
        self.changed += 1
        return _NOT_XML.sub("\ufffd", value)

    def codebook(self, codebook: Codebook) -> Codebook:
        """The codebook with its names, definitions and examples as XML holds them."""

        def code(c: Code) -> Code:
            return dataclasses.replace(
                c,
                name=self(c.name),
                definition=self(c.definition),
                include=self(c.include),
                exclude=self(c.exclude),
                examples=tuple(map(self, c.examples)),
                atypical_examples=tuple(map(self, c.atypical_examples)),
                keywords=tuple(map(self, c.keywords)),
                exclude_keywords=tuple(map(self, c.exclude_keywords)),
            )

        return dataclasses.replace(
            codebook,
            name=self(codebook.name),
            version=self(codebook.version),
            description=self(codebook.description),
            codes=tuple(map(code, codebook.codes)),
        )

    def warning(self) -> str | None:
        if not self.changed:
            return None
        return (
            f"{plural(self.changed, 'value')} held control characters that XML cannot hold; each was written as "
            '"\ufffd" (U+FFFD). Correct them in the project (a coder name, note, attribute or code name) '
            "and export again."
        )
