"""The pure logic of a coding session: the queue of segments, one input line -> one action,
the decision being drafted, exclusive-group checks and code prefix matching. No I/O, so it is unit-testable;
cli/code.py reads lines, saves decisions and renders screens around it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import shlex
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from . import excerpts as excerpt_spans
from .lookalikes import non_ascii_in_id, show_invisible
from .models import (
    INTERVIEWER,
    OTHER,
    Code,
    Codebook,
    Decision,
    Excerpt,
    Segment,
    Suggestion,
    did_you_mean,
    id_key,
    study_order,
    walked,
)
from .numbers import whole_number

SLUG = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")  # the codebook's id rule (codebook/parse.py)

HELP_LINE = (
    "codes/numbers add · +id add · -id remove · a accept suggestions · Enter save (after every page) · "
    "0 nothing applies · "
    'x ID 2-3 excerpt (# numbers sentences) · +new ID "Name" [under THEME] new code · '
    "n note · m memo (mt transcript, mc ID code, m? read) · b back · s skip · g N go to segment · "
    "/words search (/ next, /- back) · ? codebook · q quit"
)


class Notice(str):
    """A message that says what was done (the screen shows it as a confirmation), not a problem."""


# --- codes ---------------------------------------------------------------------------------------


def selectable_codes(codebook: Codebook) -> list[Code]:
    """The codes a coder can apply, in the order they are numbered: leaves only (parents, the themes, are
    headings), in document order, the draft codes created while coding after the others, so a new one
    never changes the number of a code a coder types from memory."""
    parents = {c.parent for c in codebook.codes if c.parent}
    leaves = [c for c in codebook.codes if c.id not in parents]
    return [c for c in leaves if not c.draft] + [c for c in leaves if c.draft]


def code_headings(codebook: Codebook) -> list[tuple[Code | None, list[tuple[int, Code]]]]:
    """The numbered list the screen shows: (heading parent or None, [(number, leaf code)]) in order."""
    numbered = {c.id: i for i, c in enumerate(selectable_codes(codebook), start=1)}
    groups: dict[str | None, list[tuple[int, Code]]] = {}
    for code in codebook.codes:
        if code.id in numbered:
            groups.setdefault(code.parent, []).append((numbered[code.id], code))
    return [(codebook.code(parent) if parent else None, items) for parent, items in groups.items()]


class CodeNotFound(Exception):
    """A typed token matches no selectable code. str() is the user message."""


@dataclass(frozen=True)
class Ambiguous(Exception):
    """A typed token is a prefix of several codes: ask which one."""

    token: str
    candidates: tuple[str, ...]


def code_matches(token: str, ids: Iterable[str]) -> list[str]:
    """The ids a typed token names, ignoring case: the id itself, else the ids it begins, else the ids it
    is a part of ("telehealth" finds "tech-telehealth"). The coding session and reconcile share it."""
    ids, low = list(ids), token.lower()
    exact = [i for i in ids if i.lower() == low]
    if exact:
        return exact[:1]
    return [i for i in ids if i.lower().startswith(low)] or [i for i in ids if low in i.lower()]


def resolve_code(token: str, codebook: Codebook, numbered: list[Code] | None = None) -> str:
    """Turn a typed token into a code id: exact id, number in the list, unique id prefix, else unique
    part of an id.

    Raises CodeNotFound or Ambiguous. Matching ignores case.
    """
    numbered = numbered if numbered is not None else selectable_codes(codebook)
    ids = [c.id for c in numbered]
    low = token.lower()
    exact = [i for i in ids if i.lower() == low]
    if exact:
        return exact[0]
    number = whole_number(token)
    if number is not None:
        if 1 <= number <= len(ids):
            return ids[number - 1]
        raise CodeNotFound(f"There is no code number {number}; the list has 1 to {len(ids)}.")
    parent = codebook.code(token) or next((c for c in codebook.codes if c.id.lower() == low), None)
    if parent is not None:
        children = ", ".join(c.id for c in codebook.children(parent.id))
        raise CodeNotFound(
            f'"{parent.id}" is a theme heading, not a code. Choose one of its codes: {children}.'
        )
    matches = code_matches(token, ids)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise Ambiguous(token, tuple(matches))
    # A typo ("csu-admision") was told only to read the codebook: the id it was meant for is named.
    raise CodeNotFound(f'No code matches "{token}"{did_you_mean(token, ids)}. Type ? to see the codebook.')


def heading_problem(codes: Iterable[str], codebook: Codebook) -> str | None:
    """Said when `codes` hold a theme heading (a code a later codebook version gave codes under), None
    otherwise: neither a coder's decision nor consensus may hold one (`decisions import` refuses it), so
    the coding session and reconcile both refuse the save, in these words."""
    parents = {c.parent for c in codebook.codes if c.parent}
    for code in sorted(codes):
        if code in parents:
            return f'"{code}" is a theme heading, not a code: remove it (-{code}). Nothing saved.'
    return None


def exclusive_conflicts(codes: Iterable[str], codebook: Codebook) -> list[tuple[str, list[str]]]:
    """Exclusive groups holding more than one of `codes`: [(group id, sorted codes)]."""
    chosen = set(codes)
    conflicts = []
    for group, members in codebook.exclusive_members.items():
        hit = sorted(chosen.intersection(members))
        if len(hit) > 1:
            conflicts.append((group, hit))
    return conflicts


def exclusive_partner(code: str, codes: Iterable[str], codebook: Codebook) -> tuple[str, str] | None:
    """(group, other code) when adding `code` to `codes` would break an exclusive group, else None."""
    for group, members in codebook.exclusive_groups().items():
        if code in members:
            for other in sorted(codes):
                if other != code and other in members:
                    return group, other
    return None


# --- the queue -----------------------------------------------------------------------------------


class QueueItem(NamedTuple):
    """One segment to code. Its text and the turn before it (shown dimmed for context) come from
    `turns`, the transcript's segments, which a session reads when the transcript is first shown."""

    transcript: str
    n: int
    position: int  # its index among the transcript's segments
    count: int  # segments in the transcript (the N of "segment n of N")
    turns: Callable[[], Sequence[Segment]]  # the transcript's segments in order

    @property
    def key(self) -> tuple[str, int]:
        return (self.transcript, self.n)

    @property
    def segment(self) -> Segment:
        return self.turns()[self.position]

    @property
    def previous(self) -> Segment | None:
        return self.turns()[self.position - 1] if self.position else None


def in_scope(segment: Segment, *, include_interviewer: bool) -> bool:
    # Another speaker's turn (the radio, a colleague at the door) is context, never a turn to code.
    return walked(segment.role, segment.speaker) and (include_interviewer or segment.role != INTERVIEWER)


def build_queue(
    transcripts: dict[str, list[Segment]], *, include_interviewer: bool = False, first: Sequence[str] = ()
) -> Queue:
    """Every segment in scope, in transcript then segment order. The session walks the ones still to code
    and `b` can step back into any of them, coded earlier or not.

    `transcripts` maps id -> its segments in order (already filtered by --transcript). Transcripts in
    `first` (the coder's assignment) come before the others.
    """
    outline = {
        tid: (
            [s.n for s in segments],
            {s.n for s in segments if s.role == INTERVIEWER},
            {s.n for s in segments if not walked(s.role, s.speaker)},
        )
        for tid, segments in transcripts.items()
    }
    return Queue(outline, lambda tid: transcripts[tid], include_interviewer=include_interviewer, first=first)


class Queue(Sequence[QueueItem]):
    """The queue of build_queue, made from each transcript's segment numbers in order, its interviewer
    turns' numbers and the numbers of the turns no session walks (models.walked); an item is made when it is asked for, and `turns_of(transcript)` gives a transcript's
    segments when one of its items is shown. A session's start-up reads no text and builds no item per
    segment (a study has 18,000 in scope)."""

    def __init__(
        self,
        outline: Mapping[str, tuple[Sequence[int], set[int], set[int]]],
        turns_of: Callable[[str], Sequence[Segment]],
        *,
        include_interviewer: bool = False,
        first: Sequence[str] = (),
    ) -> None:
        # One part per transcript: (id, its numbers, positions of the numbers in scope, its turns).
        self._parts: list[tuple[str, Sequence[int], Sequence[int], Callable[[], Sequence[Segment]]]] = []
        self._starts: list[int] = []  # queue index of each part's first item
        self._part_of: dict[str, int] = {}
        size = 0
        for tid in sorted(outline, key=lambda t: (t not in first, study_order(t))):
            numbers, interviewer, others = outline[tid]
            left_out = others if include_interviewer else interviewer | others
            if not left_out:
                positions: Sequence[int] = range(len(numbers))
            else:
                positions = [i for i, n in enumerate(numbers) if n not in left_out]
            if not positions:
                continue
            self._part_of[tid] = len(self._parts)
            self._parts.append((tid, numbers, positions, functools.partial(turns_of, tid)))
            self._starts.append(size)
            size += len(positions)
        self._size = size
        self._in_scope: dict[str, set[int]] = {}  # built per transcript when first asked

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("queue index out of range")
        k = bisect.bisect_right(self._starts, index) - 1
        tid, numbers, positions, turns = self._parts[k]
        i = positions[index - self._starts[k]]
        return QueueItem(tid, numbers[i], i, len(numbers), turns)

    def __iter__(self) -> Iterator[QueueItem]:
        for tid, numbers, positions, turns in self._parts:
            count = len(numbers)
            for i in positions:
                yield QueueItem(tid, numbers[i], i, count, turns)

    def keys_from(self, start: int) -> Iterator[tuple[str, int]]:
        """The (transcript, n) keys from queue index `start` on, without making items."""
        if start >= self._size:
            return
        k = bisect.bisect_right(self._starts, start) - 1
        offset = start - self._starts[k]
        for tid, numbers, positions, _ in self._parts[k:]:
            for i in positions[offset:]:
                yield (tid, numbers[i])
            offset = 0

    def transcripts(self) -> list[str]:
        """The transcripts of the queue, in its order."""
        return [part[0] for part in self._parts]

    def first_of(self, transcript: str) -> int | None:
        """The queue index of a transcript's first segment in the queue."""
        k = self._part_of.get(transcript)
        return None if k is None else self._starts[k]

    def has_key(self, key: tuple[str, int]) -> bool:
        """Whether a (transcript, n) key is in the queue (the session's scope)."""
        tid, n = key
        k = self._part_of.get(tid)
        if k is None:
            return False
        numbers = self._in_scope.get(tid)
        if numbers is None:
            _, all_numbers, positions, _ = self._parts[k]
            numbers = self._in_scope[tid] = {all_numbers[i] for i in positions}
        return n in numbers

    def scope(self) -> QueueScope:
        """The (transcript, n) keys in the queue, as a set-like view: the denominator of "coded X of Y"."""
        return QueueScope(self)

    def index_of(self, key: tuple[str, int]) -> int | None:
        """The queue index of a (transcript, n) key (a jump, `g P02:14`), None when it is not queued."""
        tid, n = key
        k = self._part_of.get(tid)
        if k is None:
            return None
        _, numbers, positions, _ = self._parts[k]
        i = bisect.bisect_left(numbers, n)
        if i == len(numbers) or numbers[i] != n:
            return None
        j = bisect.bisect_left(positions, i)
        if j == len(positions) or positions[j] != i:
            return None
        return self._starts[k] + j


class QueueScope:
    """The keys of a Queue: `in` and `len` without a set of 18,000 tuples."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self.queue.has_key(key)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.queue)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return (item.key for item in self.queue)


def uncertainty(scores: Iterable[float]) -> float:
    """How unsure the model is about a segment: min(p, 1 - p) of its least certain code (0.5 at most).

    Only codes the learned engine stored (score >= its floor) are given; a segment without any is one the
    model is sure of (every code below the floor), so it scores below any stored one."""
    return max((min(s, 1.0 - s) for s in scores), default=0.0)


def order_by_uncertainty(
    queue: Sequence[QueueItem], scores: Mapping[tuple[str, int], list[float]]
) -> list[QueueItem]:
    """The queue with the segments the model is least sure of first (ties keep transcript order)."""
    return sorted(queue, key=lambda item: -uncertainty(scores.get(item.key, ())))


def scope_keys(transcripts: dict[str, list[Segment]], *, include_interviewer: bool) -> set[tuple[str, int]]:
    """Every (transcript, n) the coder is asked to code: the denominator of "coded X of Y"."""
    return {
        (tid, s.n)
        for tid, segs in transcripts.items()
        for s in segs
        if in_scope(s, include_interviewer=include_interviewer)
    }


# --- one input line -> one command --------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A parsed input line. kind: save, nothing, skip, back, quit, help, accept, note, memo, memos, codes,
    excerpt, sentences, new, go (text: where), search (text: the words, None: the last search again;
    target: "back" for a backward search)."""

    kind: str
    text: str | None = None  # note text (None: ask for it); excerpt: what to mark; new: the rest of the line
    target: str | None = None  # memo: "segment", "transcript" or "code"
    code: str | None = None  # memo on a code, excerpt: the typed code token
    ops: tuple[tuple[str, str], ...] = ()  # codes: ("+" | "-", token)


_SIMPLE = {
    "": "save",
    "0": "nothing",
    "s": "skip",
    "b": "back",
    "q": "quit",
    "?": "help",
    "a": "accept",
    "#": "sentences",
    "m?": "memos",
    "!": "said",  # the last notice and message whole: a small terminal cuts them
}


def parse_command(line: str) -> Command:
    """Parse one input line. Single letters are commands; anything else is a list of codes.

    Codes are separated by spaces or commas; a bare token or +token adds, -token removes.
    """
    stripped = line.strip()
    low = stripped.lower()
    if low in _SIMPLE:
        return Command(_SIMPLE[low])
    if low.startswith("? "):  # one code's definition and rules
        return Command("help", code=stripped[2:].strip())
    if low == "n" or low.startswith("n "):
        return Command("note", text=stripped[2:].strip() or None)
    if low == "m" or low.startswith("m "):  # `m TEXT` writes it at once, as `n TEXT` does a note
        return Command("memo", target="segment", text=stripped[2:].strip() or None)
    if low == "mt" or low.startswith("mt "):
        return Command("memo", target="transcript", text=stripped[3:].strip() or None)
    if low == "mc" or low.startswith("mc "):  # `mc ID TEXT`: the id is the first word
        code, _, text = stripped[3:].strip().partition(" ")
        return Command("memo", target="code", code=code or None, text=text.strip() or None)
    if low == "x" or low.startswith("x "):
        code, _, rest = stripped[2:].strip().partition(" ")
        return Command("excerpt", code=code or None, text=rest.strip())
    if low == "+new" or low.startswith("+new "):
        return Command("new", text=stripped[4:].strip())
    if low == "g" or low.startswith("g "):  # go to a segment
        return Command("go", text=stripped[2:].strip())
    if stripped.startswith("/"):  # `/WORDS` the next segment with them, `/-WORDS` the one before; `/`, `/-`
        backward = stripped.startswith("/-")  # the last words again
        words = stripped[2 if backward else 1 :].strip()
        return Command("search", text=words or None, target="back" if backward else "forward")
    ops = []
    for token in stripped.replace(",", " ").split():
        if token[0] in "+-" and len(token) > 1:
            ops.append((token[0], token[1:]))
        elif token not in "+-":
            ops.append(("+", token))
    return Command("codes", ops=tuple(ops))


# --- the session ---------------------------------------------------------------------------------


@dataclass
class Draft:
    """The decision being edited on screen."""

    codes: set[str] = field(default_factory=set)
    accepted: set[str] = field(default_factory=set)  # codes taken from a suggestion with `a`
    note: str = ""
    excerpts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # code -> spans (`x`)


@dataclass(frozen=True)
class NewCode:
    """A draft code asked for with `+new ID "Name" [under THEME]`, checked against the codebook."""

    id: str
    name: str
    parent: str | None


def shown_content(decision: Decision | None) -> tuple | None:
    """What a coder decides on a segment: two copies that agree here are the same decision (as saving
    compares them: a save that changes only which codes came from a suggestion is "Unchanged")."""
    if decision is None:
        return None
    return (decision.codes, decision.note, tuple(decision.excerpts))


def say_unsaved(codes: Iterable[str] | None, *also: str, none: str = "removing every code") -> str | None:
    """What on screen is not saved, for a message: the codes chosen (`codes`; None when they are as saved;
    `none` says an empty choice) and `also` ("a note", "a rationale"), e.g. "csu-admission, jail-fallback
    and a note"; None: nothing."""
    parts = [", ".join(sorted(codes)) or none] if codes is not None else []
    return " and ".join([*parts, *also]) or None


def not_saved_line(unsaved: str, transcript: str, segment: int) -> str:
    """The line naming what on screen is not saved (say_unsaved) and where: said when the walk moves away
    from it or ends (q, Ctrl-D, Ctrl-C), by `code` and `reconcile` alike."""
    return f"Not saved: {unsaved} on {transcript} segment {segment}."


def best_suggestions(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per code (the highest score; engines may repeat a code), best first."""
    best: dict[str, Suggestion] = {}
    for s in suggestions:
        if s.code not in best or s.score > best[s.code].score:
            best[s.code] = s
    return sorted(best.values(), key=lambda s: (-s.score, s.code))


# What `/WORDS` looks for in a walk: (transcript, n) -> where the words are in that segment's stored text
# (search.segment_spans over the project's index), or a message when the words cannot be searched.
Lookup = Callable[[str], Mapping[tuple[str, int], list[tuple[int, int]]] | str]


class CodingSession:
    """State of one coder's walk through the queue. Methods return a message for the screen, or None."""

    def __init__(
        self,
        *,
        coder: str,
        codebook: Codebook,
        codebook_id: int,
        queue: Sequence[QueueItem],
        decisions: dict[tuple[str, int], Decision],
        suggestions: Mapping[tuple[str, int], list[Suggestion]] | Any,  # anything with .get(key, default)
        scope: Collection[tuple[str, int]],  # a set, or a Queue's scope()
        recode: bool = False,
        count_coded: Callable[[], int] | None = None,
        coded: Callable[[tuple[str, int]], bool] | None = None,
        stored: Callable[[tuple[str, int]], Decision | None] | None = None,
        find_words: Lookup | None = None,
    ) -> None:
        self.coder = coder
        self.codebook = codebook
        self.codebook_id = codebook_id
        self.numbered = selectable_codes(codebook)
        self.selectable_ids = {c.id for c in self.numbered}
        self.queue = queue
        self.decisions = decisions  # only this coder's: the session is blind
        self.suggestions = suggestions
        self.scope = scope
        self.recode = recode  # walk coded segments too, not only the uncoded ones
        self.skipped: set[tuple[str, int]] = set()
        self.saved_keys: set[tuple[str, int]] = set()  # segments whose decision this session changed
        self.show_sentences = False  # `#`: number the sentences of the turn, for `x CODE 2-3`
        # "coded X of Y" read from the project (refresh_progress): the saves of another session of this
        # coder count too, which the decisions read at start-up do not know of.
        self.count_coded = count_coded
        self._coded: int | None = None
        # Whether the project holds a decision of this coder on a segment, as count_coded last read it: the
        # walk passes a segment another session of the coder decided since this one started.
        self.coded = coded
        # The coder's decision on one segment as the project holds it now (one indexed lookup): a segment
        # shown that another session decided is shown with that decision, not as this session last read it.
        self.stored = stored
        self._walked = True  # the segment on screen was reached by the walk (Enter, 0, s), not by b, g or /
        # `/WORDS` over the queue's texts, and the segment a search moved to (its words are marked there).
        self._search: WalkSearch | None = None
        self.find_words = find_words  # `/WORDS` through the project's search index (search.segment_spans)
        self.search_hit: tuple[str, int] | None = None
        self._indices: dict[tuple[str, int], int] | None = None  # a queue that is not a Queue: key -> index
        self._go(self._next_to_code(0), walked=True)

    # -- where we are
    @property
    def saved_count(self) -> int:
        """Segments saved this session (one changed twice, after `b`, counts once)."""
        return len(self.saved_keys)

    @property
    def current(self) -> QueueItem | None:
        return self.queue[self.index] if self.index < len(self.queue) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def progress(self) -> tuple[int, int]:
        """(coded, total) for this coder over the session's scope, as last read by refresh_progress."""
        if self._coded is not None:
            return self._coded, len(self.scope)
        return sum(1 for k in self.decisions if k in self.scope), len(self.scope)

    def refresh_progress(self) -> None:
        """Read "coded X" again from the project (coding.CodedCount, one cheap query): called before each
        screen, so a save by another session of this coder since the last screen is counted."""
        if self.count_coded is not None:
            self._coded = self.count_coded()

    def pass_coded_elsewhere(self) -> Notice | None:
        """When the walk (not a --recode walk) has come to segments another session of this coder decided
        since this one read its decisions (another terminal, a packet merged meanwhile), go on past them and
        say which; None when it has not. Call after refresh_progress: it reads what the count read."""
        if self.recode or self.coded is None or not self._walked:
            return None
        passed: list[tuple[str, int]] = []
        while (item := self.current) is not None and item.key not in self.decisions and self.coded(item.key):
            passed.append(item.key)
            self._go(self._next_to_code(self.index + 1), walked=True)
        # Checked as it is shown: a save elsewhere while it is on screen is asked at Enter.
        self._walked = False
        if not passed:
            return None
        if len(passed) == 1:
            transcript, n = passed[0]
            return Notice(f"{transcript} segment {n} was coded in another session; skipped.")
        named = ", ".join(f"{t} {n}" for t, n in passed[:5]) + (" ..." if len(passed) > 5 else "")
        return Notice(f"{len(passed)} segments were coded in another session; skipped ({named}).")

    def show_stored(self) -> None:
        """Take the saved decision of the segment coming on screen from the project when another session of
        this coder may have decided it since this one read it (another terminal, a packet merged meanwhile):
        the screen shows it as the coder's saved decision, so editing starts from what is saved. Call once
        as a segment comes on screen, after refresh_progress. One lookup, and none for a segment that was
        uncoded when the count last read (the walk's usual next screen)."""
        item = self.current
        if item is None or self.stored is None:
            return
        key = item.key
        if key not in self.decisions and not (self.coded is not None and self.coded(key)):
            return
        stored, known = self.stored(key), self.decisions.get(key)
        if shown_content(stored) == shown_content(known):
            return
        self.take_stored(stored)

    def take_stored(self, stored: Decision | None) -> None:
        """Make `stored` (the project's decision on the segment on screen, saved by another session of this
        coder; None: removed there) the segment's saved decision and the one on screen, with its codes,
        note, excerpts and the codes it took from suggestions (the "(suggested)" marks)."""
        item = self.current
        assert item is not None
        if stored is None:  # removed elsewhere (`coders remove`): uncoded again
            self.decisions.pop(item.key, None)
        else:
            self.decisions[item.key] = stored
        self.draft = self._draft_for(item)

    def shown_suggestions(self) -> list[Suggestion]:
        item = self.current
        if item is None:
            return []
        # Only codes a coder can apply: not theme headings, not codes retired from this codebook version.
        found = [x for x in self.suggestions.get(item.key, []) if x.code in self.selectable_ids]
        return best_suggestions(found)

    def _draft_for(self, item: QueueItem | None) -> Draft:
        existing = self.decisions.get(item.key) if item else None
        if existing is None:
            return Draft()
        spans: dict[str, list[tuple[int, int]]] = {}
        for e in existing.excerpts:
            spans.setdefault(e.code, []).append((e.start, e.end))
        return Draft(set(existing.codes), set(existing.accepted & existing.codes), existing.note, spans)

    def _next_to_code(self, start: int) -> int:
        """Index of the first item from `start` that the walk stops at (len(queue) when none)."""
        if self.recode or start >= len(self.queue):
            return start
        if isinstance(self.queue, Queue):
            keys: Iterable[tuple[str, int]] = self.queue.keys_from(start)
        else:
            keys = (item.key for item in itertools.islice(self.queue, start, None))
        for index, key in enumerate(keys, start):
            if key not in self.decisions:
                return index
        return len(self.queue)

    def _go(self, index: int, *, walked: bool = False) -> None:
        self.index = index
        self.draft = self._draft_for(self.current)
        self._walked = walked
        self.search_hit = None  # a search's words are marked where it landed, not when the coder comes back

    def unsaved(self) -> str | None:
        """What on screen differs from the segment's saved decision (or from nothing, when it has none),
        said for a message ("csu-admission, jail-fallback and a note"); None when nothing does."""
        saved = self._draft_for(self.current)
        changed = (self.draft.codes, self.draft.excerpts) != (saved.codes, saved.excerpts)
        return say_unsaved(
            self.draft.codes if changed else None, *(["a note"] if self.draft.note != saved.note else [])
        )

    def interrupted(self) -> None:
        """After Ctrl-C outside a prompt (a save, a screen drawing, a search indexing the project): when the
        project holds the segment's decision as it is on screen, the save was committed before the
        interruption, and it is recorded as saved (not named as unsaved). One lookup."""
        item = self.current
        if item is None or self.stored is None or self.unsaved() is None:
            return
        draft = self.decision()
        stored = self.stored(item.key)
        if (
            isinstance(draft, Decision)
            and stored is not None
            and shown_content(stored) == shown_content(draft)
        ):
            self.decisions[item.key] = stored
            self.saved_keys.add(item.key)

    # -- edits
    def apply_codes(self, ops: Iterable[tuple[str, str]], *, from_suggestion: bool = False) -> str | None:
        """Add/remove codes; all or nothing. Raises Ambiguous for the caller to ask; returns a message."""
        ops = list(ops)
        codes = set(self.draft.codes)
        added: list[str] = []
        for op, token in ops:
            if (
                op == "-"
                and token in codes
                and (self.codebook.code(token) is None or self.codebook.children(token))
            ):
                # A code the codebook no longer has, or a theme heading now (the screen marks both): removable
                codes.discard(token)
                continue
            try:
                code = resolve_code(token, self.codebook, self.numbered)
            except CodeNotFound as ex:
                # all or nothing: the codes typed beside it were not applied either, which the coder must see
                return f"{ex} Nothing on the line was applied." if len(ops) > 1 else str(ex)
            if op == "-":
                if code not in codes:
                    return f'"{code}" is not chosen, so there is nothing to remove. Nothing changed.'
                codes.discard(code)
                continue
            clash = exclusive_partner(code, codes, self.codebook)
            if clash:
                group, other = clash
                fix = (
                    "Type one of them." if other in added else f"Remove it first with -{other}."
                )  # typed on this line, or chosen before
                return f'"{code}" and "{other}" are both in exclusive group "{group}", which takes one code. {fix}'
            codes.add(code)
            added.append(code)
        self.draft.codes = codes
        self.draft.accepted &= codes
        self.draft.excerpts = {c: spans for c, spans in self.draft.excerpts.items() if c in codes}
        if from_suggestion:
            self.draft.accepted |= set(added)
        return None

    def mark_excerpt(self, token: str | None, what: str) -> str | None:
        """`x CODE 2-3`, `x CODE 1 4-5`, `x CODE "a phrase"`; `x CODE` alone (or `-`) clears the excerpt.

        Adds the code when it is not chosen yet. Raises Ambiguous for the caller to ask; returns a message.
        """
        if not token:
            return "Name the code: x ID 2-3 marks sentences 2-3 as its excerpt (type # to number them)."
        try:
            code = (
                resolve_code(token, self.codebook, self.numbered) if token not in self.draft.codes else token
            )
        except CodeNotFound as ex:
            return str(ex)
        item = self.current
        assert item is not None
        spans: list[tuple[int, int]] = []
        note = None
        what = what.strip()
        if what and what != "-":
            found = _excerpt_spans(item.segment.text, what)
            if isinstance(found, str):
                return found
            spans, note = found
            note = Notice(note) if note else None
        if code not in self.draft.codes:
            problem = self.apply_codes([("+", code)])
            if problem:
                return problem
        if spans:
            self.draft.excerpts[code] = excerpt_spans.merge_spans(spans)
            return note
        self.draft.excerpts.pop(code, None)
        return Notice(f'"{code}" applies to the whole turn (no excerpt).')

    def toggle_sentences(self) -> None:
        self.show_sentences = not self.show_sentences

    def plan_new_code(self, rest: str) -> NewCode | str:
        """Read `ID "Name" [under THEME]`; a NewCode to create, or a message. THEME is a theme's id, the start
        of its id, else the start of its name as the code list shows it, in any case."""
        try:
            words = shlex.split(rest)
        except ValueError:
            return 'Close the quotes: +new ID "Name" [under THEME].'
        theme_token = None
        lowered = [w.lower() for w in words]
        if "under" in lowered[1:]:
            at = lowered.index("under", 1)
            if at != len(words) - 2:
                return 'Put one theme after "under": +new ID "Name" under THEME.'
            theme_token = words[at + 1]
            words = words[:at]
        if not words:
            return 'Give the new code an id: +new ID "Name" [under THEME], e.g. +new waiting-room "Waiting room".'
        code_id = words[0].lower()
        if not SLUG.match(code_id):
            why = non_ascii_in_id(code_id)  # "сsu" (Cyrillic с) looks like a code id: say what is wrong
            return (
                f'"{show_invisible(words[0])}" is not a code id{": " + why if why else ""}. Use lowercase '
                'letters, digits, "-" or "_", starting with a letter, e.g. +new waiting-room "Waiting room".'
            )
        name = " ".join(words[1:]).strip() or code_id.replace("-", " ").replace("_", " ").capitalize()
        parent = None
        if theme_token is not None:
            themes = [c for c in self.codebook.codes if self.codebook.children(c.id)]
            low = theme_token.lower()
            match = (
                [c.id for c in themes if c.id.lower() == low]
                or [c.id for c in themes if c.id.lower().startswith(low)]
                # the screen shows a theme's name, not its id: "under rural" for setting-constraints
                or [c.id for c in themes if c.name.lower().startswith(low)]
            )
            if len(match) != 1:
                listed = ", ".join(c.id for c in themes) or "none"
                return f'"{theme_token}" is not a theme (a code with codes under it). Themes: {listed}.'
            parent = match[0]
        return NewCode(code_id, name, parent)

    def adopt_codebook(self, version_id: int, codebook: Codebook) -> list[str]:
        """Switch to a newer codebook version (a draft code was added); return chosen codes it lacks,
        which are taken off the segment on screen."""
        self.codebook, self.codebook_id = codebook, version_id
        self.numbered = selectable_codes(codebook)
        self.selectable_ids = {c.id for c in self.numbered}
        lost = sorted(self.draft.codes - self.selectable_ids)
        if lost:
            self.draft.codes -= set(lost)
            self.draft.accepted -= set(lost)
            self.draft.excerpts = {c: v for c, v in self.draft.excerpts.items() if c not in lost}
        return lost

    def accept_all(self) -> str | None:
        """Add every shown suggestion, skipping one that would break an exclusive group, and leaving an
        exclusive group whose best suggestions tie to the coder."""
        shown = self.shown_suggestions()
        if not shown:
            return "No suggestions for this segment."
        tied = self._exclusive_ties(shown)
        left = {code for group in tied for code in self.codebook.exclusive_members[group]}
        skipped = []
        for s in shown:  # best first, so an exclusive group keeps its best-scored code
            if s.code in self.draft.codes:
                self.draft.accepted.add(s.code)
                continue
            if s.code in left:  # a group whose best codes tie: the coder chooses
                continue
            selectable = s.code in self.selectable_ids  # not a retired code or a theme heading
            if not selectable or exclusive_partner(s.code, self.draft.codes, self.codebook):
                skipped.append(s.code)
                continue
            self.draft.codes.add(s.code)
            self.draft.accepted.add(s.code)
        messages = [
            f"Not added: {', '.join(codes)} score the same in exclusive group {group}; type the one that applies."
            for group, codes in tied.items()
        ]
        if skipped:
            messages.append(
                f"Not added (exclusive group already has a code, or not a code to apply): {', '.join(skipped)}."
            )
        return " ".join(messages) or None

    def _exclusive_ties(self, shown: list[Suggestion]) -> dict[str, list[str]]:
        """{exclusive group: its best-scored shown codes} where two or more tie (the same score) and the
        segment has no code of the group yet: `a` would otherwise pick one of them by its name alone."""
        tied: dict[str, list[str]] = {}
        for group, members in self.codebook.exclusive_members.items():
            if not self.draft.codes.isdisjoint(members):
                continue
            candidates = [s for s in shown if s.code in members and s.code in self.selectable_ids]
            best = [s.code for s in candidates if s.score == candidates[0].score]
            if len(best) > 1:
                tied[group] = best
        return tied

    def set_note(self, text: str) -> None:
        self.draft.note = text

    # -- moves
    def decision(self, *, nothing: bool = False) -> Decision | str:
        """The Decision to save for the current segment, or a message saying why not."""
        item = self.current
        assert item is not None
        if nothing:
            self.draft.codes, self.draft.accepted = set(), set()
        elif not self.draft.codes and (item.key not in self.decisions or self.decisions[item.key].codes):
            # An accidental Enter must not record "nothing applies" (that is a real answer): nor over the
            # codes of a decision whose codes were all removed (after `b`, or in a --recode walk).
            return 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.'
        heading = None if nothing else heading_problem(self.draft.codes, self.codebook)
        if heading is not None:  # kept from an earlier version: nothing counts it, import refuses it
            return heading
        excerpts = excerpt_spans.normalise(
            Excerpt(code, a, b)
            for code, spans in self.draft.excerpts.items()
            if code in self.draft.codes
            for a, b in spans
        )
        return Decision(
            transcript=item.transcript,
            segment=item.segment.n,
            coder=self.coder,
            codes=frozenset(self.draft.codes),
            note=self.draft.note,
            codebook_version=self.codebook_id,
            accepted=frozenset(self.draft.accepted & self.draft.codes),
            shown=frozenset(s.code for s in self.shown_suggestions()),
            excerpts=excerpts,
        )

    def saved(self, decision: Decision, *, changed: bool = True) -> None:
        """Record that `decision` is committed, and move to the next segment. `changed`: it differed from
        what was stored (a decision saved unchanged is not counted as saved this session)."""
        key = (decision.transcript, decision.segment)
        if changed or key not in self.decisions:  # unchanged: the stored row, and its "(suggested)", stay
            self.decisions[key] = decision
        self.skipped.discard(key)
        if changed:
            self.saved_keys.add(key)
        self._go(self._next_to_code(self.index + 1), walked=True)

    def skip(self) -> None:
        item = self.current
        if item and item.key not in self.decisions:
            self.skipped.add(item.key)
        self._go(self._next_to_code(self.index + 1), walked=True)

    def resumes_here(self) -> bool:
        """Whether a walk started anew (without --from) would start at the segment on screen: not after a
        skip, `g`, a search or `b` left an uncoded segment before it, or brought it to a coded one."""
        return self._next_to_code(0) == self.index

    def start_at(self, key: tuple[str, int]) -> None:
        """Show the segment `key` first (--from): where a --recode walk was stopped, coded or not."""
        if isinstance(self.queue, Queue):
            keys: Iterable[tuple[str, int]] = self.queue.keys_from(0)
        else:
            keys = (item.key for item in self.queue)
        self._go(next(i for i, k in enumerate(keys) if k == key))

    def back(self) -> str | None:
        """Step to the previous segment in order (coded in this session or an earlier one) to edit it."""
        if self.index == 0:
            return "This is the first segment."
        self._go(self.index - 1)
        return None

    # -- jumps and search
    def where(self) -> str:
        """Where the segment on screen is in the walk: "segment 212 of 1,480 in this walk"."""
        return f"segment {self.index + 1:,} of {len(self.queue):,} in this walk"

    def _index_of(self, key: tuple[str, int]) -> int | None:
        if isinstance(self.queue, Queue):
            return self.queue.index_of(key)
        if self._indices is None:
            self._indices = {item.key: i for i, item in enumerate(self.queue)}
        return self._indices.get(key)

    def _first_of(self, transcript: str) -> int | None:
        if isinstance(self.queue, Queue):
            return self.queue.first_of(transcript)
        return next((i for i, item in enumerate(self.queue) if item.transcript == transcript), None)

    def _transcript_named(self, token: str) -> tuple[str | None, str]:
        """(the queued transcript `token` names, in any case, accents composed or not; or None and why not)."""
        ids = (
            self.queue.transcripts()
            if isinstance(self.queue, Queue)
            else list(dict.fromkeys(item.transcript for item in self.queue))
        )
        if token in ids:
            return token, ""
        same = [t for t in ids if id_key(t) == id_key(token)]
        if len(same) == 1:
            return same[0], ""
        import difflib

        close = difflib.get_close_matches(token, ids, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return None, f'No transcript "{token}" in this session\'s walk{hint}. Nothing moved.'

    def go_to(self, where: str) -> Notice | str:
        """`g WHERE`: go to segment N of the transcript on screen (`g 212`), of a transcript (`g P02:14`,
        `g P02 14`), a transcript's first segment in the walk (`g P02`) or the walk's N-th (`g #212`).
        A notice saying where it went, or a message saying why it did not move."""
        usage = "g 212 (segment 212 of this transcript), g P02:14, g P02 or g #212 (the walk's 212th)"
        where = where.strip()
        item = self.current
        assert item is not None
        if not where:
            return f"Say where to go: {usage}."
        if where.startswith("#"):
            n = whole_number(where[1:].strip())
            if n is None or not 1 <= n <= len(self.queue):
                return (
                    f"This walk has segments 1 to {len(self.queue):,}; g #N goes to the N-th. Nothing moved."
                )
            return self._arrive(n - 1)
        if ":" in where:
            name, _, number = where.rpartition(":")
        elif " " in where:
            name, _, number = where.rpartition(" ")
        elif whole_number(where) is not None:
            name, number = item.transcript, where
        else:
            name, number = where, ""
        transcript, problem = self._transcript_named(name.strip())
        if transcript is None:
            return problem
        if not number.strip():
            first = self._first_of(transcript)
            assert first is not None
            return self._arrive(first)
        n = whole_number(number.strip())
        if n is None:
            return f'"{number.strip()}" is not a segment number. Go to one with {usage}.'
        index = self._index_of((transcript, n))
        if index is None:
            first = self._first_of(transcript)
            assert first is not None
            turns = self.queue[first].turns()
            numbers = [s.n for s in turns]
            if n not in numbers:
                return f"{transcript} has segments {numbers[0]} to {numbers[-1]}. Nothing moved."
            turn = turns[numbers.index(n)]
            if turn.role == OTHER:
                return (
                    f"{transcript} segment {n} is another speaker's turn (role other: neither interviewer nor "
                    "participant), which no session codes. Nothing moved."
                )
            if not walked(turn.role, turn.speaker):
                return (
                    f"{transcript} segment {n} is a speaker left to review (a voice heard once, an "
                    "interpreter), which no session codes until its role is set "
                    f'("wei-qual transcripts roles {transcript}"). Nothing moved.'
                )
            return (
                f"{transcript} segment {n} is an interviewer turn, which this session does not walk "
                "(--include-interviewer walks them too). Nothing moved."
            )
        return self._arrive(index)

    def _arrive(self, index: int) -> Notice:
        """Go to `index` and say where that is; the segment on screen stays as it is (what was chosen on
        it too) when it is the one asked for."""
        if index != self.index:
            self._go(index)
        item = self.current
        assert item is not None
        return Notice(f"{item.transcript} segment {item.segment.n}: {self.where()}.")

    def search(self, words: str | None, *, backward: bool = False) -> Notice | str:
        """`/WORDS`: go to the next segment of the walk whose text holds the words (`/-WORDS`: the one
        before), from the end round to the start; `/` and `/-` with the last words, matched as `wei-qual
        search` matches them (WalkSearch). Only the text is searched: the session is blind.
        A notice saying where it went, or a message saying why it did not move."""
        if self._search is None:
            self._search = WalkSearch(
                len(self.queue),
                lambda i: self.queue[i].segment.text,
                key_of=lambda i: self.queue[i].key,
                lookup=self.find_words,
            )
        hit = self._search.find(words, self.index, backward=backward)
        if isinstance(hit, str):
            return hit
        if not hit.only:  # the segment on screen keeps what was chosen on it
            self._go(hit.index)
        item = self.current
        assert item is not None
        self.search_hit = item.key
        if hit.only:
            return Notice(f"Only this segment has {hit.words}: {self.where()}.")
        return Notice(
            f"{hit.words}: {item.transcript} segment {item.segment.n}, {hit.which}; {self.where()}."
        )

    def search_spans(self) -> list[tuple[int, int]]:
        """The words of the last search in the segment on screen, when a search moved to it."""
        item = self.current
        if item is None or self._search is None or item.key != self.search_hit:
            return []
        return self._search.spans(self.index)


class Hit(NamedTuple):
    """Where a search of a walk goes: the index, the words as said on screen ("72-hour hold" in quotes),
    and which match it is ("match 3 of 7 (from the start: none after)"); `only`: the walk's one match is
    the segment on screen."""

    index: int
    words: str
    which: str
    only: bool


class WalkSearch:
    """`/WORDS` over a walk (the coding session's queue, reconcile's disagreements): the indices whose
    text holds the words, found once per words (the texts do not change), then stepped through from the
    index on screen, forward or back, round the ends. The words match as `wei-qual search` matches them
    (every form of a word, a hyphenated word closed up or as two words, wildcards, `=form`): with
    `lookup`, through the project's search index; without it (texts in no project), over the walk's
    texts indexed in memory the same way."""

    def __init__(
        self,
        size: int,
        text_of: Callable[[int], str],
        *,
        key_of: Callable[[int], tuple[str, int]] | None = None,
        lookup: Lookup | None = None,
    ) -> None:
        self.size, self.text_of = size, text_of
        self.key_of, self.lookup = key_of, lookup
        self.words: str | None = None
        self.found: list[int] = []
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._indexed: list[tuple[str, str, str]] | None = None  # without a lookup: the texts' index

    def _matches(self, words: str) -> dict[int, list[tuple[int, int]]] | str:
        """index -> spans of the words, or a message (words that search refuses: `/*`)."""
        from .errors import SearchError
        from .search import text_spans

        try:
            if self.lookup is not None and self.key_of is not None:
                found = self.lookup(words)
                if isinstance(found, str):
                    return found
                return {i: found[key] for i in range(self.size) if (key := self.key_of(i)) in found}
            if self._indexed is None:
                from .search.index import index_texts

                texts = [self.text_of(i) for i in range(self.size)]
                self._indexed = [(t, *row) for t, row in zip(texts, index_texts(texts))]
            return {i: spans for i, spans in enumerate(text_spans(words, self._indexed)) if spans}
        except SearchError as ex:
            return str(ex)

    def find(self, words: str | None, current: int, *, backward: bool = False) -> Hit | str:
        """The next (`backward`: the previous) index holding the words, or a message; None words: the last
        ones again."""
        ask = "Type the words to find after /, e.g. /72-hour hold (/- searches back)."
        if words is None:
            if self.words is None:
                return ask
            words = self.words
        if words != self.words:
            if not any(ch.isalnum() or ch in "*?" for ch in words):  # `/-`, `/"`: no word to look for
                return ask
            matches = self._matches(words)
            if isinstance(matches, str):
                return matches
            self.words, self._spans = words, matches
            self.found = sorted(matches)
        shown = " ".join(words.split()).strip(_QUOTE_MARKS)  # `/"72-hour hold"` is said once quoted
        shown = f'"{shown if len(shown) <= 40 else shown[:39] + "…"}"'
        found = self.found
        if not found:
            return (
                f"No segment of this walk has {shown} (any form of the words, as wei-qual search finds "
                "them). Nothing moved."
            )
        if backward:
            k = bisect.bisect_left(found, current) - 1
            wrapped, k = k < 0, k % len(found)
        else:
            k = bisect.bisect_right(found, current)
            wrapped = k == len(found)
            k = 0 if wrapped else k
        again = ""
        if wrapped:
            again = " (from the end: none before)" if backward else " (from the start: none after)"
        return Hit(found[k], shown, f"match {k + 1} of {len(found)}{again}", found[k] == current)

    def spans(self, index: int) -> list[tuple[int, int]]:
        """Where the words are in the text at `index` (spans of its stored text)."""
        return self._spans.get(index, [])


_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


def _excerpt_spans(text: str, what: str) -> tuple[list[tuple[int, int]], str | None] | str:
    """The spans `x` marks, with a note for the screen: sentence numbers and ranges ("2-3 5"), or a
    phrase (quoted or not). A message (str) when they cannot be marked."""
    what = what.strip()
    quoted = bool(what) and what[0] in _QUOTE_MARKS
    tokens = what.replace(",", " ").split()
    if not quoted and all(re.fullmatch(r"\d+(?:-\d+)?", t) for t in tokens):
        sentences = excerpt_spans.split_sentences(text)
        spans = []
        for t in tokens:
            first, _, last = t.partition("-")
            try:
                spans.append(excerpt_spans.sentence_span(sentences, int(first), int(last or first)))
            except ValueError as ex:
                return str(ex)
        return spans, None
    # The quotes around a phrase, straight or curly as a copy-paste gives them, the closing one forgotten
    # too; a quote inside it typed with a backslash is read by textmatch.typed.
    phrase = what[1:] if quoted else what
    if phrase and phrase[-1] in _QUOTE_MARKS and not phrase.endswith("\\" + phrase[-1]):
        phrase = phrase[:-1]
    found, problem = excerpt_spans.find_phrase(text, phrase)
    if problem:
        return problem
    if len(found) > 1:  # the first place it occurs; a longer phrase picks another
        return found[
            :1
        ], f"The phrase occurs {len(found)} times; marked the first. Type more words to pick another."
    return found, None
