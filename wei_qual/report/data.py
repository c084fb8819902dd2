"""What every report reads: the codes applied to each participant segment under one source.

A source is the consensus coder, one named coder, or a rule over the independent coders
(`majority`: applied by more than half of the coders who decided the segment; `union`: by any).
Interviewer turns are left out of every report: a theme is "raised" by participants. A participant is
one participant speaker of one transcript (transcript id, speaker label): a pair interview or a focus
group has several, a usual interview one, and a transcript without speaker labels one (speaker None).
Their attributes are the transcript's, overridden by the speaker's own (the CSV's `speaker` column).

With kind "document" (or "all") the coded segments of documents are read too: each document counts once,
as (document id, None), and `documents` says which transcripts are documents.
"""

from __future__ import annotations

import json
import shlex
from collections import Counter
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from ..coders import select_coders
from ..errors import ReportError
from ..excerpts import merge_spans
from ..gcpause import paused_gc
from ..models import (
    ALL_KINDS,
    DOCUMENT,
    DOCUMENT_KIND,
    INTERVIEW_KIND,
    KINDS,
    MISSING_VALUE,
    PARTICIPANT,
    Codebook,
    Where,
    close_hint,
    spelled_apart,
    unit_roles,
    value_order,
    value_spellings,
    where_values,
)
from ..store.codebooks import get_active_codebook, with_split_stubs
from ..store.decisions import (
    CodeSets,
    iter_coders,
    iter_deciders,
    iter_decision_texts,
    iter_excerpts,
    reconciled_coders,
)
from ..store.transcripts import (
    get_attributes,
    get_speaker_attributes,
    iter_participant_segment_tuples,
    iter_segment_places,
    transcript_kinds,
)

CONSENSUS = "consensus"  # the coder name reconciliation stores consensus decisions under
MAJORITY = "majority"
UNION = "union"
MISSING = MISSING_VALUE  # group of participants who have no value for a --by attribute

SegmentKey = tuple[str, int]  # (transcript id, 1-based segment number)
# store.decisions.iter_decision_rows' rows, and the CodeSets that parses their code lists
DecisionRows = tuple[list[tuple], CodeSets]
Participant = tuple[str, "str | None"]  # (transcript id, speaker label; None in a speakerless transcript)


def consensus_elsewhere(db: Database, coders: list[str]) -> list[str]:
    """The names other than "consensus" reconcile stored a consensus under (reconcile --as NAME), of
    `coders` (every coder of the project)."""
    return reconciled_coders(db, [c for c in coders if c != CONSENSUS])


def elsewhere_hint(names: list[str]) -> str:
    """Where consensus is when "consensus" holds none, and how to read it: one wording for every report."""
    listed = " and ".join(f'"{name}"' for name in names)
    use = f"--source {shlex.quote(names[0])}" if len(names) == 1 else "--source with one of them"
    return f"reconcile stored consensus under {listed} (reconcile --as); read it with {use}"


@dataclass
class ReportData:
    """The coded participant segments of a project under one source, ready to count."""

    source: str
    codebook: Codebook
    codebook_version: int
    segments: dict[SegmentKey, dict]  # decided participant segments ({speaker, text}), in transcript order
    applied: dict[SegmentKey, frozenset[str]]  # codes applied, with every ancestor theme added
    # The independent coders' codes (with ancestors) of each segment they decided: load_report_data parses
    # them as they are looked up (_CoderCodes).
    coder_codes: Mapping[SegmentKey, list[frozenset[str]]]
    attributes: dict[str, dict[str, str]]  # {transcript: {name: value}}, the transcripts of this kind
    coders: list[str]  # independent coders (consensus excluded)
    with_coders: bool = True  # False when coder_codes was not read (see load_report_data)
    participants: list[Participant] = field(default_factory=list)  # with a decided segment, in order
    participant_segments: int = 0  # participant segments in the project, decided or not
    speaker_attributes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    several: frozenset[str] = frozenset()  # transcripts with more than one participant speaker
    kind: str = INTERVIEW_KIND  # interview, document or all: which segments were read
    documents: frozenset[str] = frozenset()  # ids of the documents among the transcripts read
    # (document, segment) -> (section label, page, end page) of every document segment read
    labels: dict[SegmentKey, tuple[str | None, int | None, int | None]] = field(default_factory=dict)
    # What the numbers are not what their source's name says (said on stderr and in the JSON by the
    # caller): majority or union over coders who never decided the same turn is each turn's one coder.
    warnings: list[str] = field(default_factory=list)
    where: Where = field(default_factory=Where)  # --where: the participants (or documents) kept, see only
    _spellings: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # see spellings
    # codes a version split that the source no longer holds (all recoded) -> their new codes: no row
    recoded_splits: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def only(self, where: Where | None) -> ReportData:
        """The data of the participants (and documents) `where` keeps, its values checked against the
        project's (as retrieve checks them) and kept in `where` for the report to name. Raises ReportError."""
        try:
            where = where_values(where, [*self.attributes.values(), *self.speaker_attributes.values()])
        except ValueError as ex:
            raise ReportError(str(ex)) from None
        if not where:
            return self
        kept = [
            p
            for p in self.participants
            if where.holds(DOCUMENT if self.is_document(p) else PARTICIPANT, self.attributes_of(p))
        ]
        keep = set(kept)
        segments = {k: v for k, v in self.segments.items() if (k[0], v["speaker"]) in keep}
        coder_codes = self.coder_codes
        if isinstance(coder_codes, _CoderCodes):
            # The coders' turns of the kept people, the source's or not: quotes say a code no kept
            # turn has is one the coders did apply there, and agreement is of those turns.
            held: dict[Participant, bool] = {}

            def kept_turn(who: Participant) -> bool:
                found = held.get(who)
                if found is None:
                    role = DOCUMENT if self.is_document(who) else PARTICIPANT
                    found = held[who] = where.holds(role, self.attributes_of(who))
                return found

            coder_codes = coder_codes.kept(kept_turn)
        else:
            coder_codes = {k: coder_codes[k] for k in segments if k in coder_codes}
        return replace(
            self,
            participants=kept,
            segments=segments,
            applied={k: self.applied[k] for k in segments},
            coder_codes=coder_codes,
            excerpts={k: v for k, v in self.excerpts.items() if k in segments},
            where=where,
        )

    def kept_nobody(self, what: str) -> list[str]:
        """The warning when --where keeps no decided segment (`what`: what the report then shows, "every
        count is 0"), else []: an empty report is not read as "nobody raised it"."""
        if not self.where or self.applied:
            return []
        kinds = {INTERVIEW_KIND: "participant", DOCUMENT_KIND: "document"}
        who = kinds.get(self.kind, "participant or document")
        return [
            (
                f"No {who} with {self.where.said()} has a decided segment under source {self.source}: "
                f"{what}. Report without --where to see the others."
            )
        ]

    def where_note(self, counted: str = "") -> str:
        """What a --where report counts, for its notes (terminal, Markdown, the XLSX notes sheet):
        "Only the 5 participants with setting=rural (--where) are counted" and `counted` after it."""
        docs = sum(1 for p in self.participants if self.is_document(p))
        people = len(self.participants) - docs
        parts = [
            f"{n:,} {unit}{'s' if n != 1 else ''}"
            for n, unit, on in (
                (people, "participant", self.kind != DOCUMENT_KIND),
                # Documents only where they are read and some are kept: "and 0 documents" of a study
                # without any named what it does not hold. The participants' count stays, 0 or not.
                (docs, "document", self.kind == DOCUMENT_KIND or (self.kind != INTERVIEW_KIND and docs > 0)),
            )
            if on
        ]
        return f"Only the {' and '.join(parts)} with {self.where.said()} (--where) are counted{counted}."

    def is_document(self, participant: Participant | str) -> bool:
        """Whether a participant (or transcript id) is a document."""
        return (participant if isinstance(participant, str) else participant[0]) in self.documents

    # Excerpts marked by the source (or, for majority and union, by the selected coders), per segment:
    # code -> spans of the segment's text. Quotes use them instead of the whole turn.
    excerpts: dict[SegmentKey, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)

    def excerpt_spans(self, key: SegmentKey, code: str) -> list[tuple[int, int]]:
        """The spans marked for `code` (a theme: for any code under it) on a segment; [] for none."""
        marked = self.excerpts.get(key)
        if not marked:
            return []
        if code in marked:
            return marked[code]
        lines = self._ancestors
        return [span for c, spans in marked.items() if code in lines.get(c, ()) for span in spans]

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        return ancestors_map(self.codebook)

    def participant_of(self, key: SegmentKey) -> Participant:
        """Who spoke a segment: (transcript, speaker)."""
        return (key[0], self.segments[key]["speaker"])

    @property
    def transcripts(self) -> int:
        """Transcripts the participants come from."""
        return len({t for t, _ in self.participants})

    def attributes_of(self, participant: Participant | str) -> dict[str, str]:
        """The transcript's attributes overridden by the speaker's own (a bare transcript id: its own)."""
        transcript, speaker = (participant, None) if isinstance(participant, str) else participant
        own = self.speaker_attributes.get((transcript, speaker)) if speaker is not None else None
        values = self.attributes.get(transcript, {})
        return {**values, **own} if own else values

    def label_of(self, participant: Participant) -> str:
        """How reports name a participant: the transcript id, plus the speaker where a transcript has
        several participants ("P10 Officer")."""
        transcript, speaker = participant
        return f"{transcript} {speaker}" if transcript in self.several and speaker else transcript

    @cached_property
    def agreed_codes(self) -> dict[SegmentKey, frozenset[str]]:
        """Per segment the coders decided: the codes (with themes) every one of them applied (the agreement
        chart; see agreed_on for one segment)."""
        return {key: sets[0].intersection(*sets[1:]) for key, sets in self.coder_codes.items() if sets}

    def agreed_on(self, key: SegmentKey) -> frozenset[str]:
        """The codes (with themes) every coder who decided a segment applied; none when no coder did."""
        sets = self.coder_codes.get(key)
        return sets[0].intersection(*sets[1:]) if sets else frozenset()

    def group_of(self, participant: Participant | str, attr: str) -> str:
        """The participant's value of `attr` as --by shows it (a value spelled several ways, under one of
        them: spellings), or MISSING."""
        value = self.attributes_of(participant).get(attr)
        return MISSING if value in (None, "") else self.spellings(attr).get(value, value)

    def spellings(self, attr: str) -> dict[str, str]:
        """models.value_spellings of `attr` over the transcripts and speakers read, worked out once."""
        found = self._spellings.get(attr)
        if found is None:
            sets = [*self.attributes.values(), *self.speaker_attributes.values()]
            found = self._spellings[attr] = value_spellings(sets, attr)
        return found

    def spelled_apart(self, attrs: list[str]) -> list[str]:
        """The warnings for the values of `attrs` (--by) spelled several ways, grouped as one."""
        return [w for attr in dict.fromkeys(attrs) for w in spelled_apart(attr, self.spellings(attr))]

    def group_sizes(self, attr: str) -> dict[str, int]:
        """Participants per value of `attr`, in value_order (numbers by value, MISSING last)."""
        sizes: dict[str, int] = {}
        for p in self.participants:
            g = self.group_of(p, attr)
            sizes[g] = sizes.get(g, 0) + 1
        return {k: sizes[k] for k in sorted(sizes, key=value_order)}

    def check_attributes(self, attrs: list[str], option: str = "--by") -> None:
        """Raise ReportError for an attribute no transcript (or speaker) has (`option`: where it was given)."""
        known = sorted(
            {name for values in self.attributes.values() for name in values}
            | {name for values in self.speaker_attributes.values() for name in values}
        )
        for attr in attrs:
            if attr not in known:
                listed = ", ".join(known) or "none"
                raise ReportError(
                    f'No transcript has the attribute "{attr}" (known: {listed}{close_hint(attr, known)}). '
                    f'Pass one of those to {option}, or add it with "wei-qual ingest --attributes".'
                )

    def check_codes(self, codes: list[str]) -> None:
        """Raise ReportError for a code id that is not in the active codebook."""
        for code in codes:
            into = self.recoded_splits.get(code)
            if into is not None:  # no longer a row here: "not in the active codebook" read as a typo
                raise ReportError(
                    f'"{code}" was split into {" and ".join(into)}, and {self.source} holds it on no turn read '
                    f"here: every one is recoded. Pass --code {into[0]} (or another of them)."
                )
        _check_codes(self.codebook, codes)


def check_code_ids(db: Database, codes: list[str] | None) -> None:
    """ReportData.check_codes before the data is read: a command checks its --code first, so that a
    mistyped code is the one line said, not the last under the source's warnings."""
    active = get_active_codebook(db)
    if active is not None and codes:
        codebook = active[1]
        if any(codebook.code(c) is None for c in codes):  # a split code's row before recoding counts too
            codebook = with_split_stubs(db, codebook)  # a split code's decisions not yet recoded: a row apart
        _check_codes(codebook, codes)


def _check_codes(codebook: Codebook, codes: list[str]) -> None:
    for code in codes:
        if codebook.code(code) is None:
            raise ReportError(
                f'Code "{code}" is not in the active codebook "{codebook.name}"{codebook.did_you_mean(code)}. '
                'Check the ids with "wei-qual codebook show".'
            )


def ancestors_map(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Each code id -> itself and every ancestor theme (nearest first)."""
    parents = {c.id: c.parent for c in codebook.codes}
    result: dict[str, tuple[str, ...]] = {}
    for code in codebook.codes:
        chain, seen, cur = [], set(), code.id
        while cur is not None and cur in parents and cur not in seen:  # `seen` guards a cyclic tree
            chain.append(cur)
            seen.add(cur)
            cur = parents[cur]
        result[code.id] = tuple(chain)
    return result


def themes_of(codebook: Codebook) -> set[str]:
    """Ids of codes that have children (parent themes)."""
    return {c.parent for c in codebook.codes if c.parent is not None}


def _items(text: str) -> list[str] | None:
    """The ids of a `codes` JSON list as the store writes it (`json.dumps(sorted(codes))`, default
    separators), read with a split several times faster than json.loads; None for anything else
    (escapes, other spacing), which json.loads reads."""
    if text[:2] == '["' and text[-2:] == '"]' and "\\" not in text:
        items = text[2:-2].split('", "')
        if text.count('"') == 2 * len(items):  # any other quote means other separators
            return items
    return None


class _RawCodes(dict):
    """codes JSON text -> frozenset of the codes as applied, each distinct text parsed once.

    A dict whose misses are filled by __missing__, so a hit (most rows) costs one C-level lookup."""

    def __missing__(self, text: str) -> frozenset[str]:
        items = _items(text) if text != "[]" else []
        codes = self[text] = frozenset(json.loads(text) if items is None else items)
        return codes


class _FullCodes(dict):
    """codes JSON text -> frozenset of the codes with every ancestor theme added, without codes missing
    from the active codebook (older versions: they have no row); each distinct text worked out once.

    A study has tens of thousands of distinct code lists, so this is the hot path of every report."""

    def __init__(self, codebook: Codebook):
        super().__init__({"[]": frozenset()})
        self.known = frozenset(c.id for c in codebook.codes)
        self.lines = ancestors_map(codebook)  # code -> itself and its ancestors
        self.raw = _RawCodes()
        self._expanded: dict[frozenset[str], frozenset[str]] = {}

    def __missing__(self, text: str) -> frozenset[str]:
        items = _items(text)
        try:
            if items is None:
                raise KeyError(text)
            codes = frozenset(chain.from_iterable(map(self.lines.__getitem__, items)))
        except KeyError:  # not the store's spacing, or a code missing from the active codebook
            codes = self.expand(self.raw[text])
        self[text] = codes
        return codes

    def expand(self, codes: frozenset[str]) -> frozenset[str]:
        """Codes as applied -> with their themes, without codes the codebook lacks (memoised: a
        majority or union rule gives the same few sets again and again)."""
        result = self._expanded.get(codes)
        if result is None:
            kept = codes if codes <= self.known else codes & self.known
            result = self._expanded[codes] = frozenset(chain.from_iterable(map(self.lines.__getitem__, kept)))
        return result


class _CoderCodes(Mapping):
    """segment -> the independent coders' codes (with themes), in coder order, from their JSON texts.

    A segment's texts are parsed when it is first looked up: the quotes look up only the turns they come
    to (a few hundred of a study's 18,000); walking them all (the agreement chart) parses them all once."""

    def __init__(
        self,
        texts: dict[SegmentKey, list[str]],
        full: _FullCodes,
        speakers: dict[SegmentKey, str | None] | None = None,
    ):
        self._texts = texts
        self._full = full
        self._sets: dict[SegmentKey, list[frozenset[str]]] = {}
        self._speakers = speakers or {}  # who spoke each turn, for kept (--where)

    def kept(self, keep: Callable[[Participant], bool]) -> _CoderCodes:
        """The turns of the participants `keep` accepts, their codes parsed or not as here."""
        speakers = self._speakers
        texts = {k: v for k, v in self._texts.items() if keep((k[0], speakers.get(k)))}
        out = _CoderCodes(texts, self._full, {k: speakers.get(k) for k in texts})
        out._sets = {k: v for k, v in self._sets.items() if k in texts}
        return out

    def __getitem__(self, key: SegmentKey) -> list[frozenset[str]]:
        sets = self._sets.get(key)
        if sets is None:
            sets = self._sets[key] = list(map(self._full.__getitem__, self._texts[key]))
        return sets

    def __contains__(self, key: object) -> bool:
        return key in self._texts

    def __iter__(self) -> Iterator[SegmentKey]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def items(self) -> ItemsView[SegmentKey, list[frozenset[str]]]:
        return self._whole().items()

    def values(self) -> ValuesView[list[frozenset[str]]]:
        return self._whole().values()

    def _whole(self) -> dict[SegmentKey, list[frozenset[str]]]:
        """Every segment's codes, parsed in one pass (a dict walks at C speed, the mapping per key)."""
        if len(self._sets) < len(self._texts):
            lookup = self._full.__getitem__
            self._sets = {
                key: self._sets.get(key) or list(map(lookup, texts)) for key, texts in self._texts.items()
            }
        return self._sets


def rule_codes(sets: list[frozenset[str]], *, union: bool) -> frozenset[str]:
    """The codes a rule source gives a segment, from the code sets (as applied) of the coders who decided
    it: union, any coder's; majority, those more than half of them applied. The rule applies to codes as
    applied, and themes follow from the codes that hold: a theme's count is never above the union of its
    codes' counts, and two coders applying two different codes under it do not make it hold."""
    if union:
        return sets[0].union(*sets[1:])
    if len(sets) <= 2:  # more than half of one or two coders: all of them
        return sets[0].intersection(*sets[1:])
    if len(sets) == 3:  # two of three
        a, b, c = sets
        return (a & b) | (a & c) | (b & c)
    need = len(sets) // 2 + 1
    counts = Counter(chain.from_iterable(sets))
    return frozenset(c for c, k in counts.items() if k >= need)


def load_report_data(
    db: Database,
    *,
    source: str | None = None,
    with_coders: bool = False,
    kind: str = INTERVIEW_KIND,
    coders: list[str] | None = None,
    exclude_coders: list[str] | None = None,
    decisions: DecisionRows | None = None,
) -> ReportData:
    """Read the project under `source` (None: consensus when it exists). Raises ReportError.

    `kind`: interview (participant turns, the default), document (document segments) or all (both).

    The independent coders' decisions are read only when `with_coders` (quotes' agreement, the HTML
    agreement chart) or the source (majority, union) needs them: on a study-sized project they are most
    of the work. Their codes are kept in `coder_codes` only with `with_coders`. `coders` and
    `exclude_coders` choose the independent coders, as in agree (names already resolved).
    `decisions`: every decision as
    store.decisions.iter_decision_rows read them, with the CodeSets that parses their code lists, for a
    caller that selects agreement units from the same read (the methods passage): a majority or union
    then takes its coders' codes from them, not from a read of its own, and their lists are parsed
    once for both (not with `with_coders`, whose codes keep the coders' order).
    """
    if kind not in (*KINDS, ALL_KINDS):
        raise ReportError(f'Unknown kind "{kind}". Pass --kind interview, document or all.')
    with paused_gc(freeze=True):  # the report keeps this data to the end
        return _load(db, source, with_coders, kind, coders, exclude_coders, decisions)


def _load(
    db: Database,
    source: str | None,
    with_coders: bool,
    kind: str = INTERVIEW_KIND,
    chosen: list[str] | None = None,
    exclude: list[str] | None = None,
    decisions: DecisionRows | None = None,
) -> ReportData:
    active = get_active_codebook(db)
    if active is None:
        raise ReportError(
            'No codebook is loaded in this project. Load one with "wei-qual codebook load FILE".'
        )
    version_id, codebook = active
    codebook = with_split_stubs(db, codebook)  # a split code's decisions not yet recoded: a row apart
    full = _FullCodes(codebook)  # full[text]: the codes of a JSON text, with their themes

    all_coders = iter_coders(db)
    others = [c for c in all_coders if c != CONSENSUS]
    if chosen is None:  # as agree: a consensus stored under another name (reconcile --as) is no coder
        stored = set(reconciled_coders(db, others))
        # nor is a lead who wrote memos and decided nothing (the demo's report listed "alice, bob, lead")
        deciders = set(iter_deciders(db))
        others = [c for c in others if c not in stored and c in deciders]
    independent = select_coders(others, chosen, exclude)
    rule = source in (MAJORITY, UNION)
    if rule and not independent:
        if chosen is not None or exclude:
            raise ReportError(
                f"--source {source} needs independent coders, and --coders / --exclude-coders leave none. "
                "Name at least one coder."
            )
        raise ReportError(
            f"--source {source} needs decisions by independent coders, and this project has none. "
            'Import some with "wei-qual decisions import", or use --source consensus.'
        )
    own = [] if rule else iter_decision_texts(db, source or CONSENSUS)
    if source is None and not own:
        elsewhere = consensus_elsewhere(db, all_coders)
        if elsewhere:
            raise ReportError(
                f'This project has no decisions under "consensus", but {elsewhere_hint(elsewhere)}, or choose '
                "--source CODER|majority|union."
            )
        if len(independent) == 1 and chosen is None and not exclude:  # one analyst: nothing to reconcile
            raise ReportError(
                f"This project has no consensus decisions, so the report needs a source. {independent[0]} is "
                f"its only coder: pass --source {independent[0]}."
            )
        raise ReportError(
            "This project has no consensus decisions, so the report needs a source. "
            'Choose one with --source CODER|majority|union, or reconcile first with "wei-qual reconcile".'
        )
    source = source or CONSENSUS
    if not rule and not own:
        listed = ", ".join(all_coders) or "none"
        raise ReportError(
            f'No decisions by "{source}" in this project (coders: {listed}). '
            "Pass --source consensus, a coder's name, majority or union."
        )

    rows = iter_participant_segment_tuples(db, unit_roles(kind))
    position = {row[0]: i for i, row in enumerate(rows)}  # segment id -> index in transcript order
    source_codes: list[frozenset[str] | None] = [None] * len(rows)
    for segment_id, text in own:
        i = position.get(segment_id)  # None: an interviewer turn
        if i is not None:
            source_codes[i] = full[text]

    # The independent coders' JSON texts per segment index, in coder order (one indexed query per coder).
    texts: dict[int, list[str]] = {}
    parsed: dict[int, list[frozenset[str]]] | None = None  # texts' code sets, as applied
    if rule and decisions is not None and not with_coders:
        # The same code sets from the caller's read and parse, each segment's in coder name order: a
        # rule's result does not depend on the order of its coders' sets.
        texts = parsed = _rule_sets(decisions, set(independent), rows)
    elif rule or with_coders:
        for coder in independent:
            for segment_id, text in iter_decision_texts(db, coder):
                i = position.get(segment_id)
                if i is not None:
                    known = texts.get(i)
                    if known is None:
                        texts[i] = [text]
                    else:
                        known.append(text)
    coder_codes: Mapping[SegmentKey, list[frozenset[str]]] = {}
    if with_coders:  # a rule source alone needs only its result, not every coder's codes with themes
        coder_codes = _CoderCodes(
            {rows[i][1:3]: coder_texts for i, coder_texts in sorted(texts.items())},
            full,
            {rows[i][1:3]: rows[i][3] for i in texts},
        )

    warnings = []
    if rule:
        warnings = _rule_alone(source, independent, texts, chosen is not None or bool(exclude))
        raw, expand, union = full.raw.__getitem__, full.expand, source == UNION
        if parsed is None:
            parsed = {i: list(map(raw, coder_texts)) for i, coder_texts in texts.items()}
        for i, sets in parsed.items():
            source_codes[i] = expand(rule_codes(sets, union=union))

    segments: dict[SegmentKey, dict] = {}
    applied: dict[SegmentKey, frozenset[str]] = {}
    participants: dict[Participant, None] = {}
    for (_, transcript, n, speaker, text), codes_applied in zip(rows, source_codes):
        if codes_applied is not None:  # in study order (models.study_order), then segment number
            key = (transcript, n)
            segments[key] = {"speaker": speaker, "text": text}
            applied[key] = codes_applied
            participants[(transcript, speaker)] = None
    speakers_of: dict[str, set] = {}
    for _, transcript, _, speaker, _ in rows:
        speakers_of.setdefault(transcript, set()).add(speaker)
    stubs = {c.id for c in codebook.codes if c.split_into}
    recoded: dict[str, tuple[str, ...]] = {}
    if stubs:  # a split code the source no longer holds (all recoded) is no row of 0
        held = set().union(*(stubs & codes for codes in set(applied.values())))
        recoded = {c.id: c.split_into for c in codebook.codes if c.id in stubs - held}
        codebook = replace(codebook, codes=tuple(c for c in codebook.codes if c.id not in recoded))
    if not applied:
        what = {INTERVIEW_KIND: "participant", DOCUMENT_KIND: "document"}.get(kind, "participant or document")
        raise ReportError(
            f'No {what} segment has a decision from source "{source}". '
            'Code some with "wei-qual code", or pass another --source.'
        )
    excerpts: dict[SegmentKey, dict[str, list[tuple[int, int]]]] = {}
    readers = independent if rule else [source]
    for (t, n, _coder), marked in iter_excerpts(db, coders=readers).items():
        if (t, n) in applied:
            per = excerpts.setdefault((t, n), {})
            for e in marked:
                per.setdefault(e.code, []).append((e.start, e.end))
    kinds = transcript_kinds(db)
    documents = frozenset(t for t, k in kinds.items() if k == DOCUMENT_KIND)
    labels = iter_segment_places(db, turns=False) if kind != INTERVIEW_KIND and documents else {}
    attributes = get_attributes(db)
    if documents and kind != ALL_KINDS:  # the transcripts of this kind only: counts, saturation order
        attributes = {t: v for t, v in attributes.items() if (t in documents) == (kind == DOCUMENT_KIND)}
    if kind == INTERVIEW_KIND:
        documents = frozenset()
    return ReportData(
        excerpts={k: {c: merge_spans(v) for c, v in per.items()} for k, per in excerpts.items()},
        source=source,
        codebook=codebook,
        codebook_version=version_id,
        segments=segments,
        applied=applied,
        coder_codes=coder_codes,
        attributes=attributes,
        coders=independent,
        with_coders=with_coders,
        participants=list(participants),
        participant_segments=len(rows),
        speaker_attributes=get_speaker_attributes(db),
        several=frozenset(t for t, speakers in speakers_of.items() if len(speakers) > 1),
        kind=kind,
        documents=documents,
        labels=labels,
        warnings=warnings,
        recoded_splits=recoded,
    )


def _rule_sets(
    decisions: DecisionRows, coders: set[str], rows: list[tuple]
) -> dict[int, list[frozenset[str]]]:
    """The code sets (as applied) of `coders` per index of `rows` (the segments read), from decision
    rows (store.decisions.iter_decision_rows' six fields) and the CodeSets parsing them; segments not
    among `rows`, and those none of `coders` decided, are left out."""
    position = {(transcript, n): i for i, (_, transcript, n, _, _) in enumerate(rows)}
    decided, parse = decisions[0], decisions[1].__getitem__
    found: dict[int, list[frozenset[str]]] = {}
    # A segment's decisions are consecutive rows: its place is looked up once, on its first row.
    last_transcript, last_n, known = None, None, None
    for transcript, n, coder, text, _, _ in decided:
        if n != last_n or transcript != last_transcript:
            last_transcript, last_n = transcript, n
            i = position.get((transcript, n))
            known = None if i is None else found.setdefault(i, [])
        if known is not None and coder in coders:
            known.append(parse(text))
    return {i: sets for i, sets in found.items() if sets}


def _rule_alone(source: str, coders: list[str], texts: dict[int, list[str]], chosen: bool) -> list[str]:
    """A warning when no turn was decided by two of `coders`: majority and union then count each turn's
    one coder's codes, which their name does not say (a single-coder project, or coders who split the
    transcripts without double coding any)."""
    if any(len(decided) > 1 for decided in texts.values()):
        return []
    if len(coders) == 1:
        only = "the only coder chosen" if chosen else "the project's only coder"
        message = (
            f"{coders[0]} is {only}, so --source {source} counts {coders[0]}'s own codes: pass "
            f"--source {shlex.quote(coders[0])} to name them so"
        )
    else:
        message = (
            f"no turn was coded by two coders, so --source {source} counts each turn's codes as its one "
            "coder applied them: double-code some turns for a majority or union to mean more than one coder"
        )
    return [message]
