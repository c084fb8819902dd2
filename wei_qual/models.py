"""Frozen dataclasses passed between the core modules. Pure data: no I/O."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter

from .lazyre import lazy_compile

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"
REVIEW = "review"  # a segment whose speaker is unknown (unlabelled text in a labelled transcript)
# Someone heard who is neither interviewer nor participant (the dispatcher on the radio, a colleague at the
# door), set by a person: never coded nor a unit of agreement nor counted, but kept and shown in context.
OTHER = "other"
DOCUMENT = "document"  # a segment of a document (a policy, an MOU): no speaker
ROLES = (INTERVIEWER, PARTICIPANT, REVIEW, OTHER, DOCUMENT)

# What a stored source is: an interview transcript (speaker turns) or a document (paragraphs or sections).
INTERVIEW_KIND = "interview"
DOCUMENT_KIND = "document"
KINDS = (INTERVIEW_KIND, DOCUMENT_KIND)
ALL_KINDS = "all"  # --kind all: interviews and documents together


MISSING_VALUE = "(missing)"  # the group of participants with no value for an attribute
# With --by (retrieve, search), turns that are no participant's form groups of their own: reports count
# participants only, and the participant's role or setting is not the interviewer's.
TURN_GROUPS = {INTERVIEWER: "(interviewer turns)", REVIEW: "(review turns)", OTHER: "(other speakers' turns)"}
# A document without a value for the attribute is no participant without one (`role: (missing)` read
# as officers or providers whose role was not recorded): it is a group of its own.
DOCUMENTS_GROUP = "(documents)"
_TURN_GROUP_NAMES = frozenset((*TURN_GROUPS.values(), DOCUMENTS_GROUP))
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")


def value_order(value: str) -> tuple:
    """An attribute's values in reading order: numbers by their value (4 before 11), then text, then
    MISSING_VALUE, then the TURN_GROUPS."""
    if value == MISSING_VALUE:
        return (2, 0.0, value)
    if value in _TURN_GROUP_NAMES:
        return (3, 0.0, value)
    if _NUMBER.fullmatch(value):
        return (0, float(value), value)
    return (1, 0.0, value)


_DIGITS = re.compile(r"([0-9]+)")


def id_key(name: str) -> str:
    """A transcript id as typed, for matching: in any case, and with accents composed or not. A file named
    on a Mac keeps "ñ" as "n" and a combining tilde, and so does the id ingest takes from its name, while
    a keyboard types one "ñ": the two look the same, and "did you mean" named the one typed."""
    import unicodedata

    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


@functools.lru_cache(maxsize=65536)
def study_order(transcript_id: str) -> tuple:
    """A transcript id's place in every listing a user reads: its numbers by value, so P2 comes before
    P10 (as text, P10 came first) and S009 before S010 as before; letters regardless of case, then the
    id as written (P01 before P1). The one sort key of transcripts, for SQL's text order is not it."""
    parts = _DIGITS.split(transcript_id)  # text, number, text, ...: the same kinds at the same places
    return (tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), transcript_id)


def in_study_order(rows: list, at: int | str = 0) -> list:
    """Rows that SQL gave in transcript id order (ORDER BY transcript_id, ...), their transcripts put in
    study_order, each transcript's rows as they were. Linear, for a study's tens of thousands of rows:
    SQLite sorts text as text, and a collation in Python would be called a million times."""
    blocks: dict[str, list] = {}
    # A transcript's rows are consecutive: grouped at C speed, one step per run of rows.
    for key, run in groupby(rows, itemgetter(at)):
        block = blocks.get(key)
        if block is None:
            blocks[key] = list(run)
        else:  # the same transcript again further on (rows in no order): its rows still go together
            block.extend(run)
    if len(blocks) < 2:
        return list(rows)
    return list(chain.from_iterable(map(blocks.__getitem__, sorted(blocks, key=study_order))))


def segment_order(transcript_id: str, n: int) -> tuple:
    """(transcript, segment) in reading order: transcripts by study_order, turns by number."""
    return (study_order(transcript_id), n)


def group_heading(by: str, group: str | None) -> str:
    """A --by group's heading: "role: officer", "role: (missing)", or "(interviewer turns)", which is no
    value of the attribute."""
    return group if group in _TURN_GROUP_NAMES else f"{by}: {group or MISSING_VALUE}"


def by_group(role: str, attributes: dict[str, str], by: str, spellings: dict[str, str] | None = None) -> str:
    """The --by group of a segment (retrieve, search): interviewer and review turns a group of their own,
    then the attribute's value (as `spellings`, value_spellings, shows it), else (missing) for a
    participant and (documents) for a document."""
    if role in TURN_GROUPS:
        return TURN_GROUPS[role]
    value = attributes.get(by)
    if value in (None, ""):
        return DOCUMENTS_GROUP if role == DOCUMENT else MISSING_VALUE
    return spellings.get(value, value) if spellings else value


def value_spellings(attribute_sets: Iterable[dict[str, str]], by: str) -> dict[str, str]:
    """Each way the project spells a value of attribute `by` -> the one --by groups it under: values equal
    but for case or how an accent is stored (id_key: "Rural" and "rural", "San José" typed and pasted
    from a Mac's file name) are one group, shown as most transcripts and speakers spell it (a tie: the
    accent composed, then the first in sorted order). Every --by (retrieve, search, the reports, agree)
    groups by it."""
    import unicodedata
    from collections import Counter

    counts = Counter(v for attrs in attribute_sets if (v := attrs.get(by)))
    ways: dict[str, list[str]] = {}
    for value in counts:
        ways.setdefault(id_key(value), []).append(value)
    return {
        value: min(same, key=lambda v: (-counts[v], unicodedata.normalize("NFC", v) != v, v))
        for same in ways.values()
        if len(same) > 1
        for value in same
    }


def spelled_apart(by: str, spellings: dict[str, str]) -> list[str]:
    """The warnings for the values of `by` spelled several ways (value_spellings): the sheet should spell
    each one way, and a reader should know which spelling a group is shown under."""
    import unicodedata

    shown: dict[str, list[str]] = {}
    for value, one in spellings.items():
        shown.setdefault(one, []).append(value)
    out = []
    for one, ways in sorted(shown.items()):
        # Composed and decomposed look alike: listed once, and the difference named.
        seen = sorted({unicodedata.normalize("NFC", w) for w in ways})
        accent = "; an accent stored as one character and as a letter and a combining mark" * (
            len(seen) < len(ways)
        )
        out.append(
            f'The attribute "{by}" spells one value {len(ways)} ways ({", ".join(map(_quoted_value, seen))}'
            f'{accent}): --by groups them as one, "{unicodedata.normalize("NFC", one)}". Spell it one way '
            "in the attributes CSV and ingest it again."
        )
    return out


def _quoted_value(value: str) -> str:
    return f'"{value}"'


@dataclass(frozen=True)
class WhereTerm:
    """One --where: an attribute and the values it must have (`setting=rural,suburban`: any of them) or,
    negated, must not have (`role!=officer`: any other value, or none)."""

    name: str
    values: tuple[str, ...]
    negated: bool = False

    def holds(self, attributes: dict[str, str]) -> bool:
        # Case aside, and accents composed or not (a value pasted from a Mac's file name): as id_key.
        value = id_key(attributes.get(self.name) or "")
        return any(value == id_key(v) for v in self.values) != self.negated

    def typed(self) -> str:
        """As it is typed: `setting=rural,suburban`, `city="Portland, OR"`."""
        return f"{self.name}{'!=' if self.negated else '='}{','.join(map(_quoted, self.values))}"

    def said(self) -> str:
        """For a title or a message: `setting=rural or suburban`, `role!=officer`, `role neither officer
        nor provider` (a comma would read as the next term)."""
        values = [_quoted(v) for v in self.values]
        if not self.negated:
            return f"{self.name}={' or '.join(values)}"
        if len(values) == 1:
            return f"{self.name}!={values[0]}"
        return f"{self.name} neither {' nor '.join(values)}"


def _quoted(value: str) -> str:
    """A value as --where takes it: in double quotes when it holds a comma or starts with a quote."""
    return '"' + value.replace('"', '""') + '"' if "," in value or value.startswith('"') else value


class Where(tuple):
    """The --where terms of a command (all of them hold), empty for none: what retrieve, search and the
    reports keep a segment by, name in their titles and write in their JSON."""

    def holds(self, role: str, attributes: dict[str, str]) -> bool:
        """Whether a segment is kept: a participant's (or a document's) whose attributes meet every term;
        never an interviewer's turn, which carries the participant's attributes but is not theirs."""
        return role in (PARTICIPANT, DOCUMENT) and all(t.holds(attributes) for t in self)

    def said(self) -> str:
        """ "setting=rural or suburban, role!=officer" """
        return ", ".join(t.said() for t in self)

    def to_json(self) -> dict[str, dict[str, str | list[str]]]:
        """{"where": {attr: value, or [values] for any of them}, "where_not": {attr: the same, for none}}."""
        out: dict[str, dict[str, str | list[str]]] = {"where": {}, "where_not": {}}
        for t in self:
            out["where_not" if t.negated else "where"][t.name] = (
                t.values[0] if len(t.values) == 1 else list(t.values)
            )
        return out


def parse_where(items: Iterable[str]) -> Where:
    """--where options (ATTR=VALUE, ATTR=V1,V2 for any of them, ATTR!=VALUE for any other; a value holding
    a comma in double quotes, as in a CSV) as a Where; raises ValueError saying what to type."""
    import csv

    terms: dict[str, WhereTerm] = {}
    for item in items:
        name, equals, text = item.partition("=")
        negated = name.endswith("!")
        name = name.removesuffix("!").strip()
        try:
            values = [
                v.strip() for row in csv.reader([text], skipinitialspace=True, strict=True) for v in row
            ]
        except csv.Error:
            raise ValueError(
                f"--where {item}: a double quote is not closed, or text follows one. Quote a whole value "
                "holding a comma, e.g. --where 'city=\"Portland, OR\"'."
            ) from None
        if not equals or not name or not values or not all(values):
            raise ValueError(
                f'--where takes ATTR=VALUE, not "{item}": e.g. --where setting=rural, setting=rural,suburban '
                "(either) or role!=officer (any other)."
            )
        if name in terms:
            # Read as "either value" by some: say how to write that.
            both = tuple(dict.fromkeys((*terms[name].values, *values)))
            any_of, none_of = WhereTerm(name, both).typed(), WhereTerm(name, both, negated=True).typed()
            if terms[name].negated == negated:
                fix = f"{none_of} (none of them)" if negated else f"{any_of} (any of them)"
            else:
                fix = f"{any_of} (any of them) or {none_of} (none of them)"
            raise ValueError(f'--where names "{name}" twice: name it once, e.g. --where {fix}.')
        terms[name] = WhereTerm(name, tuple(dict.fromkeys(values)), negated)
    return Where(terms.values())


def as_where(where: Where | dict[str, str | Sequence[str]] | None) -> Where:
    """A Where from the Python API's {attr: value} (or {attr: [values]}: any of them), taken as written."""
    if isinstance(where, Where):
        return where
    return Where(WhereTerm(k, (v,) if isinstance(v, str) else tuple(v)) for k, v in (where or {}).items())


def where_values(
    where: Where | dict[str, str] | None, attribute_sets: Iterable[dict[str, str]], by: str | None = None
) -> Where:
    """--where with its values as the project writes them (a value spelled several ways, as most transcripts
    and speakers spell it: value_spellings, as --by heads it), case aside, after checking that `by` and each
    --where name is an attribute some transcript or speaker has; raises ValueError naming the attributes,
    or the values one has: a mistyped value ("rual") gave an empty answer read as "nobody said it"."""
    where = as_where(where)
    sets = list(attribute_sets)
    known = {k for attrs in sets for k in attrs}
    for name, option in ([(by, "--by")] if by is not None else []) + [(t.name, "--where") for t in where]:
        if name not in known:
            raise ValueError(
                f'No transcript has the attribute "{name}" '
                f"(known: {', '.join(sorted(known)) or 'none'}{close_hint(name, known)}). "
                f"Pass one of those to {option}."
            )
    out = []
    for term in where:
        values = {v for attrs in sets if (v := attrs.get(term.name))}
        # A value spelled several ways is named as --by heads its group: the most common spelling.
        spellings = value_spellings(sets, term.name)
        found = []
        for value in term.values:
            same = sorted(v for v in values if id_key(v) == id_key(value.strip()))
            if not same:
                op = "!=" if term.negated else "="
                # A value spelled two ways once, as --by heads it: "São Paulo, São Paulo" read as a fault.
                shown = {spellings.get(v, v) for v in values}
                listed = ", ".join(map(_quoted, sorted(shown, key=value_order))) or "none"
                whole = ",".join(term.values).casefold()
                # "Portland, OR" typed bare was split at its comma: say how to keep it whole.
                hint = next(
                    (
                        f' "{v}" holds a comma: put it in double quotes, --where \'{term.name}{op}"{v}"\'.'
                        for v in values
                        if "," in v and v.replace(" ", "").casefold() == whole.replace(" ", "")
                    ),
                    f" Pass one of those to --where {term.name}{op}VALUE.",
                )
                # A negated term is named as typed: "has role!=nurse" read as the opposite of the fault.
                typed = f", which --where {term.name}!={_quoted(value)} names" if term.negated else ""
                raise ValueError(
                    f"No transcript or speaker has {term.name}={value}{typed} (values: {listed}).{hint}"
                )
            found.append(spellings.get(same[0], same[0]))
        out.append(WhereTerm(term.name, tuple(dict.fromkeys(found)), term.negated))
    return Where(out)


def walked(role: str, speaker: str | None) -> bool:
    """Whether a coding session may walk an interview turn of this role: never another speaker's (role
    other), nor a voice heard once left to review (a labelled speaker with role review: the radio, until a
    person sets its role); unlabelled text left to review is walked, to be given a role later."""
    return role != OTHER and not (role == REVIEW and speaker is not None)


def unit_roles(kind: str, *, include_interviewer: bool = False) -> tuple[str, ...]:
    """The segment roles that are units for `--kind interview|document|all`: participant turns (every
    interview turn but other speakers' with include_interviewer) and/or document segments. Raises ValueError
    for another kind."""
    interview = (PARTICIPANT, INTERVIEWER, REVIEW) if include_interviewer else (PARTICIPANT,)
    if kind == INTERVIEW_KIND:
        return interview
    if kind == DOCUMENT_KIND:
        return (DOCUMENT,)
    if kind == ALL_KINDS:
        return (*interview, DOCUMENT)
    raise ValueError(f"unknown kind {kind!r}")


# How a transcript's speaker roles were decided.
ROLES_INFERRED = "inferred"  # from evidence: ids, known labels, who asks the questions
ROLES_GIVEN = "given"  # by a person: --interviewer-labels, or corrected with `transcripts roles`
ROLES_REVIEW = "review"  # the evidence is weak, or some segments have no known speaker
ROLES_NONE = "none"  # a document: no speakers, so no roles to decide


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, with overlapping or touching ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


# Attributes a transcription service's header gives (Otter's title line and keyword list): kept, shown by
# `transcripts show` and in every report's data, but too long for a one-line overview or a screen's header,
# where Otter's made the header five lines at 80x24.
LONG_METADATA = ("title", "service_keywords")


def brief_attributes(attributes: dict[str, str]) -> dict[str, str]:
    """`attributes` without LONG_METADATA: for an overview's column or a screen's header."""
    return {k: v for k, v in attributes.items() if k not in LONG_METADATA}


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 memo", "2 memos", "1,024 decisions"; `many` for an irregular plural ("1 identical one kept")."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def clock(seconds: float | None) -> str:
    """A turn's time in its recording as cited: "0:04:31" (hours always, as `transcripts show` lists
    them); "" when the file gave none."""
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def page_span(page: int | None, end_page: int | None, *, form: str = "page") -> str | None:
    """A segment's pages as cited: "page 3", "pages 3–4" (form "p.": "p. 3", "pp. 3–4"; form "": "3",
    "3–4", for a table's page column); None with no page. An end page that is missing or not after the
    start (a project made before segments kept it) cites the start page, as before."""
    if page is None:
        return None
    if end_page is not None and end_page > page:
        pages = f"{page}–{end_page}"
        return {"page": f"pages {pages}", "p.": f"pp. {pages}"}.get(form, pages)
    return {"page": f"page {page}", "p.": f"p. {page}"}.get(form, str(page))


def excerpt_pages(
    page: int | None,
    end_page: int | None,
    page_spans: Sequence[Sequence[int]] | None,
    spans: Iterable[tuple[int, int]],
) -> tuple[int | None, int | None]:
    """The pages (first, last) of a segment's text that excerpt `spans` (offsets into it) cover: those of
    the stretches of `page_spans` they overlap; the segment's own (page, end_page) when its pages inside
    are not known (one page, a project made before they were kept, an excerpt between stretches)."""
    spans = list(spans)
    if not page_spans or not spans:
        return page, end_page
    hit = [(p, e) for a, b, p, e in page_spans for x, y in spans if x < b and a < y]
    if not hit:
        return page, end_page
    return min(p for p, _ in hit), max(e for _, e in hit)


# The coder reconcile stores consensus under. The name is reserved whatever its case: "Consensus" in a
# CSV or typed with --coder is read as it (wei_qual.coders), never as an independent coder.
CONSENSUS_CODER = "consensus"

# The rationales of the units reconcile copies into consensus: "agreed by alice, bob [copied by reconcile
# --accept-agreed]", "single-coded by bob [copied by reconcile --accept-single]". The bracket tells a copy
# from a decision the lead made (whatever its words), for the methods passage and the stale checks.
AGREED_COPY = " [copied by reconcile --accept-agreed]"
SINGLE_COPY = " [copied by reconcile --accept-single]"


def copy_coders(rationale: str | None) -> list[str]:
    """The coders a copy names ("agreed by alice, bob [copied ...]": alice, bob), whose decisions it
    follows; [] for a decision the lead made."""
    rationale = rationale or ""
    for head, marker in (("agreed by ", AGREED_COPY), ("single-coded by ", SINGLE_COPY)):
        if rationale.startswith(head) and rationale.endswith(marker):
            return [name for name in rationale[len(head) : -len(marker)].split(", ") if name]
    return []


@dataclass(frozen=True)
class Segment:
    """One speaker turn (or one paragraph or section of a document): the unit of coding and of agreement."""

    n: int  # 1-based number within its transcript
    speaker: str | None  # label as written, None when the source has no labels (and in documents)
    role: str  # INTERVIEWER, PARTICIPANT, REVIEW or OTHER; DOCUMENT for a document's segments
    text: str
    start_char: int  # offsets into Transcript.text: text == transcript.text[start_char:end_char]
    end_char: int
    start_time: float | None = None  # seconds
    end_time: float | None = None
    label: str | None = None  # a document's section heading ("4.2 Exclusion criteria")
    page: int | None = None  # 1-based page where the segment starts (PDF sources, paged .docx)
    end_page: int | None = None  # the page it ends on (a document's segment; None: the page it starts on)
    # A document segment over two pages or more: (start, end, page, end page) of each stretch of its text
    # on known pages, so an excerpt is cited with the pages of its own words (excerpt_pages).
    page_spans: tuple[tuple[int, int, int, int], ...] | None = None

    # Counted once (the checks, the summary and the outcome each ask): a study's segments hold a million
    # words. Kept in the instance (and with it when pickled from a worker), as its text never changes.
    @functools.cached_property
    def words(self) -> int:
        return count_words(self.text)


# Chinese and Japanese are written with no space between words: each of their characters counts as a word,
# as Word and LibreOffice count them. Before, a Chinese turn of any length was one word, so no turn was
# ever long and every turn was as long as any other when roles were weighed.
_UNSPACED = lazy_compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORDISH = re.compile(r"\S*\w\S*")


def count_words(text: str) -> int:
    """Words: runs between spaces, each Chinese or Japanese character counting as one (a stop or comma
    between them is none)."""
    if text.isascii() or not _UNSPACED.search(text):
        return len(text.split())
    return len(_UNSPACED.findall(text)) + len(_WORDISH.findall(_UNSPACED.sub(" ", text)))


@dataclass(frozen=True)
class Speaker:
    """One speaker label of a transcript, its role and why it has that role."""

    label: str
    role: str  # INTERVIEWER or PARTICIPANT; REVIEW for a voice heard once that the evidence cannot place;
    # OTHER for someone a person said is neither (the radio, a colleague at the door)
    reason: str  # for people: "asks 38/41 questions", "label is the transcript id"...
    turns: int = 0
    words: int = 0
    questions: int = 0  # turns that ask a question
    given: bool = False  # set by a person (--interviewer-labels or `transcripts roles`), not inferred


@dataclass(frozen=True)
class TranscriptWarning:
    """Something about a parsed transcript a person should look at; the message names the fix."""

    kind: str  # no_participant, single_segment, long_turn, missed_labels, roles_review, back_channels... (checks.py)
    message: str  # never quotes transcript text


@dataclass(frozen=True)
class Transcript:
    """One interview (or document): its stored plain text (labels and timestamps removed) and its segments."""

    id: str
    source: str  # the path it was read from
    format: str  # txt, md, docx, vtt, srt, pdf
    sha256: str  # of the source file's bytes
    text: str
    segments: tuple[Segment, ...]
    attributes: dict[str, str] = field(default_factory=dict)
    speakers: tuple[Speaker, ...] = ()  # in order of first turn
    roles: str = ROLES_INFERRED  # ROLES_INFERRED, ROLES_GIVEN or ROLES_REVIEW
    roles_reason: str = ""  # why the roles need review, when they do
    warnings: tuple[TranscriptWarning, ...] = ()
    kind: str = INTERVIEW_KIND  # INTERVIEW_KIND or DOCUMENT_KIND

    @functools.cached_property
    def words(self) -> int:
        return sum(s.words for s in self.segments)


@dataclass(frozen=True)
class Code:
    """One code of a codebook. `parent` is the parent's id, None at the top level."""

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    atypical_examples: tuple[str, ...] = ()
    color: str | None = None
    keywords: tuple[str, ...] = ()
    # Phrases that keep a keyword or pattern match from suggesting this code ("jail cell phone" for "jail")
    exclude_keywords: tuple[str, ...] = ()
    patterns: tuple = ()  # spaCy Matcher patterns: each a list of token dicts
    exclusive: bool = False  # True on a parent whose children are mutually exclusive
    renamed_from: str | None = None
    merged_into: str | None = None
    split_into: tuple[str, ...] = ()  # a retired code whose decisions await recoding into these codes
    line: int | None = None  # 1-based line in the YAML source, for messages
    draft: bool = False  # created while coding ("+new"): no definition yet, until the lead settles it


def split_removed(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """The items of a --codes option: (the ids named, the ids named with a leading "-" to leave out, as
    the coding session's `-id` removes a code: `--codes=-setting` is every code but the setting group's)."""
    named, removed = [], []
    for item in codes:
        item = item.strip()
        if item.startswith("-") and len(item) > 1:
            removed.append(item[1:].strip())
        elif item and item != "-":
            named.append(item)
    return named, removed


def close_hint(token: str, ids: Iterable[str]) -> str:
    """'; did you mean "role"?', to end a parenthesis listing the known ids ("Role" typed for "role")."""
    close = did_you_mean(token, ids).strip(" ()")
    return f"; {close}" if close else ""


def did_you_mean(token: str, ids: Iterable[str]) -> str:
    """' (did you mean "csu-admission"?)' for a mistyped id ("csu-admision"), in any case; "" when no id is
    that close. The coding session, reconcile, retrieve, search, memos and the reports share it."""
    import difflib

    by_low = {i.lower(): i for i in ids}
    close = difflib.get_close_matches(token.lower(), list(by_low), n=1, cutoff=0.8)
    return f' (did you mean "{by_low[close[0]]}"?)' if close else ""


@dataclass(frozen=True)
class Codebook:
    """A parsed codebook: codes in document order (parents before children)."""

    name: str
    version: str
    description: str = ""
    codes: tuple[Code, ...] = ()

    @functools.cached_property
    def _index(self) -> tuple[dict[str, Code], dict[str | None, list[Code]]]:
        """Codes by id (the first of a duplicated id wins) and by parent: lookups stay O(1) on big codebooks."""
        by_id: dict[str, Code] = {}
        by_parent: dict[str | None, list[Code]] = {}
        for c in self.codes:
            by_id.setdefault(c.id, c)
            by_parent.setdefault(c.parent, []).append(c)
        return by_id, by_parent

    def code(self, code_id: str) -> Code | None:
        return self._index[0].get(code_id)

    def did_you_mean(self, token: str) -> str:
        """' (did you mean "csu-admission"?)' for a mistyped code id, "" when no id is that close."""
        return did_you_mean(token, self._index[0])

    def children(self, code_id: str | None) -> list[Code]:
        return list(self._index[1].get(code_id, ()))

    def descendants(self, code_id: str) -> set[str]:
        """The code and every code under it: what applying a theme's subtree counts as."""
        out, todo = set(), [code_id]
        while todo:
            c = todo.pop()
            if c not in out:  # a parent cycle (refused on load) would otherwise never end
                out.add(c)
                todo.extend(k.id for k in self._index[1].get(c, ()))
        return out

    def leave_out(self, rows: Sequence[str], removed: Sequence[str]) -> tuple[list[str], str | None]:
        """`rows` (code ids, as a --codes option selected them) without the `removed` ones ("-ID" items of
        --codes: a theme leaves out its whole group, the theme and every code under it): (what is left,
        None), or (rows, what is wrong: an unknown id, one that leaves out nothing, or nothing left)."""
        left = list(rows)
        for code_id in removed:
            if self.code(code_id) is None:
                return list(rows), (
                    f'Unknown code "{code_id}" in --codes (-{code_id}): it is not in the active codebook. '
                    'See the code ids with "wei-qual codebook show".'
                )
            gone = self.descendants(code_id)
            if not gone.intersection(left):
                if gone.intersection(rows):  # `-x,-x`, or a code of a theme already left out
                    why = "an earlier -ID in --codes has left it out already."
                elif any(code_id in self.descendants(r) for r in rows):
                    why = (
                        "neither it nor a code under it is among the codes selected (a theme named in --codes "
                        "stands for its codes: leave the theme out, or name the codes to keep)."
                    )
                else:
                    why = "neither it nor a code under it is among the codes selected."
                return list(rows), f'"-{code_id}" in --codes leaves out nothing: {why}'

            left = [r for r in left if r not in gone]
        if not left:
            return list(rows), "--codes leaves out every code it selects. Keep at least one."
        return left, None

    def exclusive_groups(self) -> dict[str, list[str]]:
        """Map each exclusive parent's id to its children's ids (a fresh copy: callers may change it)."""
        return {group: list(members) for group, members in self.exclusive_members.items()}

    @functools.cached_property
    def exclusive_members(self) -> dict[str, tuple[str, ...]]:
        """exclusive_groups() as computed once per codebook (read-only): a decisions import checks every row."""
        return {c.id: tuple(k.id for k in self.children(c.id)) for c in self.codes if c.exclusive}


@dataclass(frozen=True)
class Evidence:
    """Why a suggestion was made: a span of the segment's text and the rule that matched it."""

    start: int  # character offsets into the segment's text
    end: int
    text: str
    source: str  # e.g. "keyword:crisis unit" or "pattern:0"
    negated: bool = False
    # For a negated span, the word that negates it as written ("don't", "never", "No" answering a question):
    # what a coder checks to see why the span counts less. None otherwise, and in rows stored before it.
    cue: str | None = None
    # Said in a counterfactual sentence ("if we had had a bed", "he wouldn't have gone to jail"): of what would
    # or would not have happened. A negation cue there negates nothing (suggest.rules).
    counterfactual: bool = False
    # A match of one of the code's exclude_keywords ("jail cell phone"): the code's matches inside it did not
    # count. Only in the evidence of a code that other matches suggested; it adds nothing to the score.
    excluded: bool = False

    @property
    def words(self) -> str:
        """The text on one line, for a table or the suggestions line: a keyword matched across a line wrap
        ("crisis stabilization\nunit") keeps its line end in `text`, where offsets need it."""
        return " ".join(self.text.split())


@dataclass(frozen=True)
class Suggestion:
    transcript: str
    segment: int  # 1-based segment number
    code: str
    score: float  # in [0, 1]
    evidence: tuple[Evidence, ...] = ()
    engine: str = "rules"  # "rules" (or "rules+MODEL"), "learned" or "both"
    model_id: int | None = None  # the learned model that made it (learned and both)


@dataclass(frozen=True, order=True)
class Excerpt:
    """The words of a segment that carry one code: character offsets into the segment's text."""

    code: str
    start: int
    end: int


@dataclass(frozen=True)
class Decision:
    """One coder's judgement on one segment. An empty `codes` means "nothing applies"."""

    transcript: str
    segment: int  # 1-based segment number
    coder: str
    codes: frozenset[str] = frozenset()
    note: str = ""
    codebook_version: int | None = None
    accepted: frozenset[str] = frozenset()  # codes that came from an accepted suggestion
    shown: frozenset[str] = frozenset()  # codes that were suggested on screen when deciding
    rationale: str = ""  # consensus decisions: why the lead chose these codes
    decided_utc: str | None = None
    # Spans of codes inside the segment, sorted; a code without one applies to the whole turn.
    excerpts: tuple[Excerpt, ...] = ()
    # Incremented by every edit in the file that holds it; merge compares it with the last sync.
    revision: int | None = field(default=None, compare=False)
