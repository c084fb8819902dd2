"""The REFI-QDA code tree, written and read in one place for `.qdc` codebooks and `.qdpx` projects.

`codebook export --format qdc` and `project export` both call add_code_tree(), and `codebook import` and
`project import` both call parse_code_tree(), so the two formats never disagree about a code. Definition,
include, exclude, examples, keywords, patterns and the wei-qual id are flattened into `Description`
(labelled lines, see common.py); parents are not codable (wei-qual coders apply leaf codes); exclusive
groups are noted in the parent's description and also written as a `Set`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..codebook.parse import MAX_CODE_DEPTH, MAX_CODES
from ..controls import LINE_BREAKS
from ..errors import ExportError, quoted
from ..models import Code, Codebook, plural
from .common import flatten_description, parse_description, plain_from_html

# Fixed namespace for uuid5 when a codebook is exported on its own: the same code id always gets the same GUID.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:wei-qual:codebook")
EXCLUSIVE_SET = "wei-qual exclusive group"
_SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_SHORT_RGB = re.compile(r"#[0-9A-Fa-f]{3}")
_RGB = re.compile(r"#[0-9A-Fa-f]{6}")
# Not in Codebook.xsd, but tools built on .NET or Qt (ATLAS.ti, MAXQDA) write a colour with its alpha first
# (#AARRGGBB), and a web tool or a hand-made file the CSS way, alpha last (#RRGGBBAA).
_ARGB = re.compile(r"#[0-9A-Fa-f]{8}")


def eight_digit_colour(color: str) -> tuple[str, str]:
    """An eight-digit colour as #RRGGBB and how it was read: "first" (#AARRGGBB), "last" (#RRGGBBAA) or
    "either" (read alpha first, the .qdc tools' order, though alpha last is as likely).

    A code's colour is opaque in practice (alpha FF): the end that is FF while the other is not is the
    alpha. When both ends are FF or neither is, the digits cannot tell, unless both readings are one colour.
    """
    digits = color[1:].upper()
    first, last = "#" + digits[2:], "#" + digits[:6]
    if first == last:
        return first, "first"
    if digits[:2] == "FF" and digits[6:] != "FF":
        return first, "first"
    if digits[6:] == "FF" and digits[:2] != "FF":
        return last, "last"
    return first, "either"


@dataclass(frozen=True)
class Guids:
    """Deterministic uuid5 GUIDs in one namespace: the same (kind, key) always gives the same GUID."""

    namespace: uuid.UUID

    @classmethod
    def for_project(cls, project_id: str) -> Guids:
        """GUIDs of one project: two exports of it agree, and two projects never share a GUID."""
        return cls(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:wei-qual:project:{project_id}"))

    def of(self, kind: str, *key: object) -> str:
        """uuid5(namespace, "kind:key..."), computed as uuid.uuid5 does but without its object overhead
        (a study-sized export makes a few hundred thousand)."""
        name = ":".join([kind, *map(str, key)])
        h = hashlib.sha1(self._prefix + name.encode()).hexdigest()
        # version 5 in the 13th digit, the RFC 4122 variant (10xx) in the 17th
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"

    def code(self, code_id: str) -> str:
        return self.of("code", code_id)

    @functools.cached_property
    def _prefix(self) -> bytes:
        return self.namespace.bytes  # UUID.bytes builds the bytes on every access


CODEBOOK_GUIDS = Guids(GUID_NAMESPACE)


def _children_map(codebook: Codebook) -> dict[str | None, list[Code]]:
    # Codebook.children() scans every code; a tree of thousands of codes needs the map built once.
    kids: dict[str | None, list[Code]] = {}
    for code in codebook.codes:
        kids.setdefault(code.parent, []).append(code)
    return kids


def add_code_tree(
    parent,
    codebook: Codebook,
    *,
    ns: str,
    guids: Guids = CODEBOOK_GUIDS,
    note_refs: dict[str, list[str]] | None = None,
):
    """Append `<Codes>` holding the whole tree to `parent` (a CodeBook element) and return it.

    `note_refs` maps a code id to Note GUIDs (project files only: Codebook.xsd has no NoteRef).
    """
    from lxml import etree

    q = f"{{{ns}}}"
    kids = _children_map(codebook)
    codes_el = etree.SubElement(parent, q + "Codes")

    def add(parent_el, code: Code) -> None:
        el = etree.SubElement(parent_el, q + "Code")
        el.set("guid", guids.code(code.id))
        el.set("name", code.name)
        # Coders apply leaf codes only; a parent (theme, exclusive group) is a heading.
        el.set("isCodable", "false" if kids.get(code.id) else "true")
        if code.color:
            el.set("color", code.color)
        etree.SubElement(el, q + "Description").text = flatten_description(codebook, code)
        for target in (note_refs or {}).get(code.id, ()):
            etree.SubElement(el, q + "NoteRef").set("targetGUID", target)
        for child in kids.get(code.id, ()):
            add(el, child)

    for top in kids.get(None, ()):
        add(codes_el, top)
    return codes_el


def add_exclusive_sets(
    parent, codebook: Codebook, *, ns: str, guids: Guids = CODEBOOK_GUIDS, member_attr: str
):
    """Append `<Sets>` with one Set per exclusive group (None when there is none).

    `member_attr` is "guid" in a .qdc (Codebook.xsd) and "targetGUID" in a project.qde (Project.xsd).
    """
    from lxml import etree

    groups = codebook.exclusive_groups()
    if not groups:
        return None
    q = f"{{{ns}}}"
    sets = etree.SubElement(parent, q + "Sets")
    for parent_id, members in groups.items():
        code = codebook.code(parent_id)
        s = etree.SubElement(sets, q + "Set")
        s.set("guid", guids.of("exclusive", parent_id))
        s.set("name", f"{code.name} (exclusive)")
        etree.SubElement(
            s, q + "Description"
        ).text = f"{EXCLUSIVE_SET} {parent_id}: at most one of these codes per segment."
        for member in members:
            etree.SubElement(s, q + "MemberCode").set(member_attr, guids.code(member))
    return sets


# ---- reading --------------------------------------------------------------------------------------


def local_name(el) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def normalise_guid(value: str | None) -> str:
    """GUIDs compare in lower case without braces: tools write them both ways."""
    return (value or "").strip().strip("{}").lower()


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "code"
    return slug if slug[0].isalpha() else f"code-{slug}"


class Ids(set):
    """Ids taken so far: a set that also remembers, for each base, the suffix unique_id tries next, so
    that thousands of codes of one name are named in linear time."""

    def __init__(self, *taken) -> None:
        super().__init__(*taken)
        self.next_suffix: dict[str, int] = {}


def unique_id(base: str, used: Ids) -> str:
    """`base`, or the first of base-2, base-3 ... that is not taken (the caller adds it)."""
    code_id, n = base, used.next_suffix.get(base, 2)
    while code_id in used:
        code_id, n = f"{base}-{n}", n + 1
    if code_id != base:
        used.next_suffix[base] = n
    return code_id


@dataclass
class CodeTree:
    """A code tree read from REFI-QDA XML."""

    codes: list[Code]
    by_guid: dict[str, str]  # normalised GUID -> code id
    warnings: list[str] = field(default_factory=list)
    codable_parents: list[str] = field(default_factory=list)  # parents codable in the source tool
    sets: list[tuple[str, int]] = field(default_factory=list)  # (name, members) of sets not carried over


def parse_code_tree(
    codes_el, sets_el=None, *, extra_children: Iterable[str] = (), source: str | None = None
) -> CodeTree:
    """Read `<Codes>` (and `<Sets>`) into wei-qual codes, whatever namespace or prefix the file uses.

    Warnings say what is lost: sets other than wei-qual's exclusive groups, non-RGB colours, unknown
    attributes and elements (except `extra_children`, which the caller handles), and leaves that are not
    codable in the source. Codes without a wei-qual id get one from their name, made unique. Raises
    ExportError (naming `source`, the file) for codes nested more than MAX_CODE_DEPTH levels deep.
    """
    codes: list[Code] = []
    by_guid: dict[str, str] = {}
    used = Ids()
    warnings: list[str] = []
    not_codable: set[str] = set()
    codable: set[str] = set()
    foreign: list[str] = []  # codes whose Description is not in wei-qual's labelled layout
    rich: list[str] = []  # codes whose Description was HTML (rich text)
    alpha: dict[str, list[str]] = {"first": [], "last": [], "either": []}  # codes by eight-digit reading
    odd_attrs: set[str] = set()
    odd_elements: set[str] = set()
    known_children = {"Description", "Code", *extra_children}

    def walk(el, parent: str | None, depth: int) -> None:
        if depth > MAX_CODE_DEPTH:  # deeper trees exhaust the stack here and in every later walk
            where = f'"{source}": ' if source else ""
            raise ExportError(
                f"{where}codes are nested more than {MAX_CODE_DEPTH} levels deep (at line {el.sourceline}). "
                "Flatten the code tree in your QDA tool, then export it again."
            )
        name = (el.get("name") or "").strip()
        broken = LINE_BREAKS.search(name) is not None  # "A\nError: ..." would print a line of its own
        name = " ".join(LINE_BREAKS.sub(" ", name).split()) if broken else name
        desc_el = next((c for c in el if local_name(c) == "Description"), None)
        description = desc_el.text or "" if desc_el is not None else ""
        plain = plain_from_html(description)
        if plain is not None:
            rich.append(name)
            description = plain
        fields = parse_description(description)
        code_id = fields.pop("id", None)
        if code_id is None and fields["definition"]:
            foreign.append(name)
        if not code_id or not _SLUG_RE.match(code_id) or code_id in used:
            claimed = code_id
            base = slugify(name or "code")
            code_id = unique_id(base, used)
            from_name.setdefault(base, []).append((name, code_id))
            if claimed:  # a wei-qual file gives each code its own: this one was edited, or two were merged
                refused.append((name or code_id, claimed, code_id))
        used.add(code_id)
        if not name:
            warnings.append(f'a code has no name; it is called "{code_id}".')
            name = code_id
        if broken:
            warnings.append(f'code "{code_id}": its name held line breaks or tabs; they were made spaces.')
        color = el.get("color")
        if color:
            color = color.strip()  # an xsd:token: spaces and line ends around it are not part of it
            if _SHORT_RGB.fullmatch(color):
                color = "#" + "".join(ch * 2 for ch in color[1:])
            elif _ARGB.fullmatch(color):
                color, how = eight_digit_colour(color)
                alpha[how].append(code_id if how != "either" else f'{code_id} ("{el.get("color").strip()}")')
            if _RGB.fullmatch(color):
                color = color.upper()
            else:
                warnings.append(f'code "{code_id}": colour "{color}" is not #RRGGBB and was dropped.')
                color = None
        # A missing isCodable (some exporters leave out the required attribute) means codable.
        if (el.get("isCodable") or "true").strip().lower() in ("false", "0"):
            not_codable.add(code_id)
        else:
            codable.add(code_id)
        for attr in el.attrib:
            attr_name = attr.rpartition("}")[2]
            if attr_name not in ("guid", "name", "isCodable", "color"):
                odd_attrs.add(attr_name)
        for child in el:
            if local_name(child) and local_name(child) not in known_children:
                odd_elements.add(local_name(child))
        if el.get("guid"):
            guid = normalise_guid(el.get("guid"))
            if guid in by_guid:  # which code its codings mean cannot be told
                where = f'"{source}": ' if source else ""
                raise ExportError(
                    f"{where}two codes have the GUID {guid} (line {el.sourceline}), which the REFI-QDA standard "
                    "makes unique. The file is damaged: export it again."
                )
            by_guid[guid] = code_id
        codes.append(Code(id=code_id, name=name, parent=parent, color=color, **fields))
        for child in el:
            if local_name(child) == "Code":
                walk(child, code_id, depth + 1)

    from_name: dict[str, list[tuple[str, str]]] = {}  # id made from a name -> (name, id given)
    refused: list[tuple[str, str, str]] = []  # (name, the id its "wei-qual id:" line claims, the id given)

    count = sum(1 for _ in codes_el.iter("{*}Code", "Code"))
    if count > MAX_CODES:  # a 6 MB .qdpx of a million codes took minutes and gigabytes to import
        where = f'"{source}": ' if source else ""
        raise ExportError(
            f"{where}the codebook holds {count:,} codes, more than the {MAX_CODES:,} a codebook may have here "
            "(coders choose among them by hand, and a real codebook has tens to a few thousand): it was not read. "
            "Check that it is the right file, or export a smaller codebook."
        )
    for el in codes_el:
        if local_name(el) == "Code":
            walk(el, None, 1)
    for base, named in from_name.items():
        if len(named) < 2:
            continue
        ids = ", ".join(code_id for _, code_id in named)
        names = list(dict.fromkeys(name for name, _ in named))
        if len(names) == 1:
            warnings.append(f'{len(named)} codes are named "{names[0]}": they get the ids {ids}.')
        else:
            listed = ", ".join(f'"{n}"' for n in names)
            warnings.append(f'codes {listed} make the same id "{base}": they get the ids {ids}.')

    for name, claimed, given in refused:
        why = "an earlier code has it" if claimed in used and _SLUG_RE.match(claimed) else "it is not an id"
        warnings.append(
            f'code "{name}" says its wei-qual id is {quoted(claimed)}, but {why} (the description was edited, '
            f'or codes were merged in the other tool): it gets the id "{given}". Decisions made elsewhere under '
            "the claimed id do not apply to it."
        )

    tree = CodeTree(codes, by_guid, warnings)
    parent_of = {c.id: c.parent for c in codes}  # a scan of all codes per set made big imports quadratic
    exclusive: set[str] = set()
    for s in sets_el if sets_el is not None else []:
        if local_name(s) != "Set":
            continue
        kinds = {local_name(m) for m in s}
        if "MemberSource" in kinds and "MemberCode" not in kinds:
            continue  # a set of sources (MAXQDA's document groups), not of codes: the caller's to read
        desc = next((c.text or "" for c in s if local_name(c) == "Description"), "")
        members = [
            by_guid.get(normalise_guid(m.get("guid") or m.get("targetGUID")))
            for m in s
            if local_name(m) == "MemberCode"
        ]
        parents = {parent_of[m] for m in members if m in parent_of}
        if (
            desc.startswith(EXCLUSIVE_SET)
            and None not in members
            and len(parents) == 1
            and None not in parents
        ):
            exclusive |= parents
        else:
            tree.sets.append((s.get("name", ""), len(members)))
            warnings.append(
                f'set "{s.get("name", "")}" ({len(members)} codes) was not carried over: '
                "wei-qual codebooks have no code sets."
            )
    kid_counts: dict[str, int] = {}
    for c in codes:
        if c.parent is not None:
            kid_counts[c.parent] = kid_counts.get(c.parent, 0) + 1
    # A "Renamed from:" line is kept only where the codebook could declare it (a slug no code has, claimed once).
    ids, claimed = {c.id for c in codes}, set()
    for i, c in enumerate(codes):
        old = c.renamed_from
        if old is not None and (not _SLUG_RE.match(old) or old in ids or old in claimed):
            codes[i] = dataclasses.replace(c, renamed_from=None)
        claimed.add(old)
    tree.codes = [
        dataclasses.replace(c, exclusive=True) if c.id in exclusive and kid_counts.get(c.id, 0) >= 2 else c
        for c in codes
    ]
    tree.codable_parents = [c.id for c in codes if c.id in kid_counts and c.id in codable]
    lost = [c.id for c in codes if c.id in not_codable and c.id not in kid_counts]  # parents are headings
    if lost:
        warnings.append(
            f"{plural(len(lost), 'code')} without children {'is' if len(lost) == 1 else 'are'} not codable in the source (isCodable=false) but can be "
            f"applied in wei-qual: {', '.join(lost)}."
        )
    if foreign:
        warnings.append(
            f"{plural(len(foreign), 'code description')} became definitions; split out include, exclude and examples "
            "by hand."
        )
    if rich:
        warnings.append(
            f"{plural(len(rich), 'code description')} {'was' if len(rich) == 1 else 'were'} rich text (HTML) and became plain text, paragraphs kept as "
            "lines, bold, colours and links dropped: "
            + ", ".join(f'"{n}"' for n in rich[:5])
            + (f" and {len(rich) - 5} more" if len(rich) > 5 else "")
            + "."
        )
    said = {
        "first": "were #AARRGGBB (alpha first, as some tools write them) and were read as #RRGGBB, the "
        "transparency dropped",
        "last": "were #RRGGBBAA (alpha last, the CSS order: their last two digits are FF, opaque) and were read "
        "as #RRGGBB, the transparency dropped",
        "either": "have eight digits that read as #AARRGGBB or as #RRGGBBAA alike (both ends FF, or neither); "
        "they were read alpha first, as .qdc tools write them, so check each (the CSS order is its first six "
        "digits)",
    }
    for how, who in alpha.items():
        if who:
            warnings.append(
                f"{plural(len(who), 'colour')} {said[how] if len(who) > 1 else _one_colour(said[how])}: "
                f"{', '.join(who[:5])}" + (f" and {len(who) - 5} more" if len(who) > 5 else "") + "."
            )
    if odd_attrs:
        warnings.append(f"code attributes not carried over: {', '.join(sorted(odd_attrs))}.")
    if odd_elements:
        warnings.append(f"code elements not carried over: {', '.join(sorted(odd_elements))}.")
    return tree


def _one_colour(text: str) -> str:
    """A colour warning's verbs for one colour ("1 colour was #AARRGGBB ... and was read")."""
    for many, one in (("were #", "was #"), ("and were read", "and was read"), ("have eight", "has eight")):
        text = text.replace(many, one)
    text = text.replace("their last two", "its last two").replace("they were read", "it was read")
    return text.replace("check each", "check it")
