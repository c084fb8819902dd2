"""Coder names: one normaliser for every place a name comes in, and rename / merge / remove.

A name is trimmed (inner runs of white space become one space) and matched against the project's
coders regardless of case: "Ana " typed where "ana" exists is read as "ana", with a warning. A name
that matches nobody is refused where it must exist (reports, filters) with the closest known name,
and accepted as a new coder where one may start (coding, import), with a warning when it is close to
an existing name, unless it cannot be a name (name_problem): a control character, a line break, or
more than 40 characters or 4 words (another column's cell, a pasted sentence). "consensus" is reserved
for reconciled decisions whatever its case: "Consensus" is read as it, never as a new coder.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .controls import CONTROLS, LINE_BREAKS, shell_word
from .errors import QUOTED_MAX, DecisionError, quoted
from .models import CONSENSUS_CODER, plural
from .store import transaction, write_audit
from .store.coders import coder_counts, merge_plan, move_coder, remove_coder
from .store.decisions import iter_coders

PREFER = ("from", "into")
MAX_LISTED = 20
MAX_NAME = 40  # characters, and MAX_WORDS words: a name, not a cell of another column or a sentence
MAX_WORDS = 4


def clean(name: str) -> str:
    """A coder name as stored: trimmed, inner white space collapsed, accents composed (NFC), so that "é"
    typed as one character or as "e" and a combining accent is one coder."""
    return unicodedata.normalize("NFC", " ".join(str(name).split()))


def name_problem(name: str) -> tuple[str, bool] | None:
    """Why `name` cannot be a new coder's name, or None: (the reason, as words to follow the name; True
    when it is its size, the mark of a cell of another column or a sentence pasted into the name, which
    a message describes by its length instead of showing it)."""
    text = str(name).strip()
    if LINE_BREAKS.search(text):
        return "holds a line break or a tab", False
    hit = CONTROLS.search(text)
    if hit is not None:
        return f"holds a control character (U+{ord(hit.group()):04X}), which a terminal would act on", False
    cleaned = clean(text)
    words = len(cleaned.split())  # spaced words, not count_words: a Chinese name is one word, not three
    if len(cleaned) > MAX_NAME or words > MAX_WORDS:
        plural = "s" if words != 1 else ""
        size = f"{len(cleaned):,} characters, {words:,} word{plural}"  # its length is shown, not its words
        limit = f"a coder name has at most {MAX_NAME} characters and {MAX_WORDS} words"
        return f"is too long for a name: {size} ({limit})", True
    return None


def shown_name(name: str) -> str:
    """A name read from a user or a file, for a message: described by its length when it may be
    transcript text (errors.quoted: spaces, or long), else as a shell word (line breaks escaped)."""
    text = str(name).strip()
    if len(text) > QUOTED_MAX or any(c.isspace() and not LINE_BREAKS.match(c) for c in text):
        return quoted(text)
    return shell_word(text)


class BadCoderName(DecisionError):
    """A name that cannot be a new coder's (name_problem); `shown` (empty when its size is the problem:
    the reason describes it), `reason` and `size` let a caller say it in its own words (a CSV's line)."""

    def __init__(self, name: str, reason: str, size: bool, option: str) -> None:
        self.shown = "" if size else shown_name(name) + " "
        self.reason, self.size = reason, size
        fix = "Pass a shorter name." if size else "Pass a name of letters, digits, spaces and punctuation."
        super().__init__(f"The coder name {self.shown}given with {option} {reason}. {fix}")


@dataclass(frozen=True)
class CoderName:
    """A name as typed, the project's coder it stands for, and a warning when they differ."""

    typed: str
    name: str
    warning: str | None = None
    new: bool = False  # not a coder of the project yet


def name_key(name: str) -> str:
    """What two spellings of one coder's name share: case, and the full-width letters an East Asian input
    method types in its full-width mode ("ａｌｉｃｅ", which looks like alice but shares no letter with
    it, so it became a new coder, or a second "ｃｏｎｓｅｎｓｕｓ" counted as independent), folded (NFKC)."""
    return unicodedata.normalize("NFKC", clean(name)).casefold()


def is_consensus_lookalike(name: str) -> bool:
    """A name that is the reserved consensus coder's in another case ("Consensus", "CONSENSUS") or width."""
    cleaned = clean(name)
    return cleaned != CONSENSUS_CODER and name_key(cleaned) == CONSENSUS_CODER


def consensus_lookalike_warnings(known: Iterable[str]) -> list[str]:
    """A warning for each coder stored under the consensus coder's name in another case (before that name
    was reserved whatever its case): it counts as an independent coder, and reconcile does not write to it."""
    out = []
    for name in known:
        if not is_consensus_lookalike(name):
            continue
        fix = (
            f'"wei-qual coders merge {shell_word(name)} {CONSENSUS_CODER}"'
            if CONSENSUS_CODER in known
            else f'"wei-qual coders rename {shell_word(name)} {CONSENSUS_CODER}"'
        )
        out.append(
            f'coder "{name}" counts as an independent coder, though its name is the consensus coder\'s in another '
            f"case. If it holds reconciled decisions, make it the consensus with {fix}; if it is a person, "
            f'rename it with "wei-qual coders rename {shell_word(name)} NAME".'
        )
    return out


def closest_coder(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to `name` (ignoring case), if any is close."""
    by_fold = {name_key(k): k for k in known}
    found = difflib.get_close_matches(name_key(name), list(by_fold), n=1, cutoff=0.75)
    return by_fold[found[0]] if found else None


def match_coder(name: str, known: Iterable[str], *, new_ok: bool, option: str = "--coder") -> CoderName:
    """Normalise one typed name against the known coders (pure). Raises DecisionError when it is empty,
    or unknown where `new_ok` is False, or matches several coders that differ only in case."""
    known = list(known)
    typed = str(name)
    cleaned = clean(typed)
    if not cleaned:
        raise DecisionError(f"The coder name is empty. Pass one with {option}, e.g. {option} alice.")
    exact = [typed] if typed in known else [k for k in known if clean(k) == cleaned]
    if len(exact) == 1:
        # As stored, even a name stored before names were checked and normalised: say how to fix it.
        stored = exact[0]
        fix = None
        problem = name_problem(stored)
        if problem is not None and not problem[1]:
            fix = (
                f"coder {shell_word(stored)} was stored with a control character or a line break. Rename it "
                f'with "wei-qual coders rename {shell_word(stored)} NEW".'
            )
        elif stored != clean(stored):
            fix = (
                f'coder "{stored}" was stored with extra spaces. Rename it with "wei-qual coders rename" '
                f'(or merge it into the right coder with "wei-qual coders merge").'
            )
        return CoderName(typed, stored, fix)
    if name_key(cleaned) == CONSENSUS_CODER and (new_ok or CONSENSUS_CODER in known):
        # Reserved whatever its case (names ignore case everywhere): an independent "Consensus" would be
        # counted in agreement while reconcile wrote into it.
        warning = (
            f'coder "{cleaned}" read as "{CONSENSUS_CODER}", the coder that holds the reconciled decisions '
            "(names ignore case). Give an independent coder another name"
            if cleaned != CONSENSUS_CODER
            else None
        )
        return CoderName(typed, CONSENSUS_CODER, warning, new=CONSENSUS_CODER not in known)
    same = [k for k in known if name_key(k) == name_key(cleaned)]
    if len(same) == 1:
        width = "" if clean(same[0]).casefold() == cleaned.casefold() else " and full-width letters"
        return CoderName(
            typed,
            same[0],
            f'coder "{typed}" read as the existing coder "{same[0]}" (did you mean {same[0]}? Names ignore case{width})',
        )
    if len(same) > 1:
        listed = ", ".join(f'"{k}"' for k in same)
        raise DecisionError(
            f'Coder "{cleaned}" given with {option} matches {listed}, which differ only in case. Give the exact '
            f'name, or combine them with "wei-qual coders merge {shell_word(same[1])} {shell_word(same[0])}".'
        )
    problem = name_problem(typed)
    if problem is not None:
        raise BadCoderName(typed, *problem, option)
    close = closest_coder(cleaned, known)
    if new_ok:
        warning = (
            f'"{cleaned}" is a new coder (did you mean {close}?). If so, stop and use --coder {shell_word(close)}; '
            f'"wei-qual coders merge {shell_word(cleaned)} {shell_word(close)}" fixes it later.'
            if close
            else None
        )
        return CoderName(typed, cleaned, warning, new=True)
    hint = f" (did you mean {close}?)" if close else ""
    listed = shown_list(known[:MAX_LISTED]) or "none yet"
    raise DecisionError(
        f'Unknown coder "{cleaned}" in {option}{hint}. Known coders: {listed}. Check the spelling.'
    )


def resolve_coder(db: Database, name: str, *, new_ok: bool = False, option: str = "--coder") -> CoderName:
    """match_coder against the project's coders."""
    return match_coder(name, iter_coders(db), new_ok=new_ok, option=option)


def split_coder_list(value: str | None, known: Iterable[str]) -> list[str] | None:
    """A comma-separated --coders value as names (None when not given). A coder whose own name holds a
    comma ("Smith, Jane", as an institution's accounts name people, and a .qdpx from NVivo brings them) is
    one name, not two: pieces are joined back wherever together they are a known coder's name (spaces
    and case aside, as names are matched), the longest such run first."""
    if value is None:
        return None
    pieces = value.split(",")
    names = {_comma_key(k): k for k in known if "," in k}
    out: list[str] = []
    i = 0
    while i < len(pieces):
        j = next(
            (j for j in range(len(pieces), i + 1, -1) if _comma_key(",".join(pieces[i:j])) in names), i + 1
        )
        joined = clean(",".join(pieces[i:j]))
        if j > i + 1 and clean(names[_comma_key(joined)]).casefold() != joined.casefold():
            joined = names[_comma_key(joined)]  # spaced otherwise round its commas: the known name
        out.append(joined)  # in the case typed: match_coder says when it reads it as another case
        i = j
    return [name for name in out if name]


def _comma_key(name: str) -> str:
    return re.sub(r" ?, ?", ",", clean(name)).casefold()


def shown_list(names: Iterable[str]) -> str:
    """Coder names listed in a message, a name that holds a comma quoted so the list reads unambiguously."""
    return ", ".join(f'"{n}"' if "," in n else n for n in names)


def resolve_coders(
    db: Database, names: list[str] | None, *, option: str = "--coders"
) -> tuple[list[str] | None, list[str]]:
    """Several existing coders (a --coders list): (canonical names without repeats, warnings)."""
    if names is None:
        return None, []
    known = iter_coders(db)
    out: list[str] = []
    warnings: list[str] = []
    for name in names:
        found = match_coder(name, known, new_ok=False, option=option)
        if found.warning:
            warnings.append(found.warning)
        if found.name not in out:
            out.append(found.name)
    return out, warnings


def select_coders(all_coders: list[str], coders: list[str] | None, exclude: list[str] | None) -> list[str]:
    """--coders keeps only those (in their order), --exclude-coders leaves some out; both already resolved."""
    chosen = list(coders) if coders is not None else list(all_coders)
    return [c for c in chosen if c not in set(exclude or [])]


def normalise_coder_name(name: str, known: Iterable[str]) -> tuple[str, str | None]:
    """match_coder for a batch of names (a CSV's coder column): (the name to store, a note when it was
    read differently from how it was written, else None). An empty name gives "", and a name that
    matches several coders differing only in case is kept as written (not guessed); a new name that
    cannot be a name raises BadCoderName."""
    trimmed = clean(name)
    if not trimmed:
        return "", None
    try:
        found = match_coder(name, known, new_ok=True)
    except BadCoderName:
        raise
    except DecisionError:
        return trimmed, None
    if found.warning and (not found.new or found.name != trimmed):
        return found.name, found.warning
    if found.name != name:
        return found.name, f'coder "{name}" read as "{found.name}" (spaces trimmed)'
    return found.name, found.warning


# --- rename, merge, remove --------------------------------------------------------------------------


@dataclass
class CoderChange:
    """What a rename, merge or remove did."""

    action: str
    source: str
    target: str | None
    counts: dict[str, int] = field(default_factory=dict)
    conflicts: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "action": self.action,
            "from": self.source,
            "into": self.target,
            **self.counts,
            "conflicts": [f"{t}:{n}" for t, n in self.conflicts],
        }


class CoderConflict(DecisionError):
    """A merge where both coders decided some segments differently, and no --prefer was given."""


def rename_coder(db: Database, old: str, new: str, *, actor: str | None = None) -> CoderChange:
    """Give a coder another name, in one transaction, everything audited. Raises DecisionError when
    `old` is unknown or `new` is already a coder (merge them instead)."""
    with transaction(db):
        source = resolve_coder(db, old, option="OLD").name
        target = CONSENSUS_CODER if is_consensus_lookalike(new) else clean(new)
        if not target:
            raise DecisionError("The new name is empty. Pass one, e.g. wei-qual coders rename Ana ana.")
        problem = name_problem(new)
        if problem is not None:
            raise BadCoderName(new, *problem, "NEW")
        if target == source:
            raise DecisionError(f'"{source}" already has that name; nothing to rename.')
        if target in iter_coders(db):
            raise DecisionError(
                f'"{target}" is already a coder. To combine the two, use "wei-qual coders merge {shell_word(source)} {shell_word(target)}".'
            )
        who = actor or "coders rename"
        counts = move_coder(db, source, target, actor=who, prefer=None)
        write_audit(
            db,
            action="rename",
            entity="coder",
            entity_id=target,
            actor=who,
            before={"coder": source},
            after={"coder": target, **counts},
        )
    return CoderChange("rename", source, target, counts)


def merge_coders(
    db: Database, source: str, target: str, *, prefer: str | None = None, actor: str | None = None
) -> CoderChange:
    """Move every decision, memo and assignment of `source` to `target` and remove `source`, in one
    transaction. Segments both coded differently are refused (CoderConflict, listed) unless `prefer`
    is "from" or "into". Equal decisions on the same segment keep one copy."""
    if prefer is not None and prefer not in PREFER:
        raise DecisionError(f'--prefer "{prefer}" is not one of: from, into.')
    with transaction(db):
        src = resolve_coder(db, source, option="FROM").name
        dst = resolve_coder(db, target, option="INTO").name
        if src == dst:
            raise DecisionError(f'FROM and INTO are the same coder, "{src}".')
        _, _, conflicts = merge_plan(db, src, dst)
        if conflicts and prefer is None:
            listed = ", ".join(f"{t}:{n}" for t, n in conflicts[:MAX_LISTED])
            more = f" and {len(conflicts) - MAX_LISTED} more" if len(conflicts) > MAX_LISTED else ""
            raise CoderConflict(
                f'"{src}" and "{dst}" both decided {plural(len(conflicts), "segment")} differently: {listed}{more}. '
                f"Nothing was merged. Choose whose decisions stay with --prefer from ({src}) or --prefer into "
                f"({dst}); the other ones are kept in the audit log."
            )
        who = actor or "coders merge"
        counts = move_coder(db, src, dst, actor=who, prefer=prefer)
        write_audit(
            db,
            action="merge",
            entity="coder",
            entity_id=dst,
            actor=who,
            before={"coder": src},
            after={"coder": dst, "prefer": prefer, **counts},
        )
    return CoderChange("merge", src, dst, counts, conflicts)


def removal_counts(db: Database, name: str) -> tuple[str, dict[str, int]]:
    """(the coder's name, counts of decisions, memos, assignments): what remove_coder would delete."""
    coder = resolve_coder(db, name, option="NAME").name
    return coder, coder_counts(db, coder)


def remove_coder_everywhere(db: Database, name: str, *, actor: str | None = None) -> CoderChange:
    """Remove a coder and their work; every deleted decision and memo keeps its content in the audit log."""
    with transaction(db):
        coder = resolve_coder(db, name, option="NAME").name
        who = actor or "coders remove"
        counts = remove_coder(db, coder, actor=who)
        write_audit(
            db, action="remove", entity="coder", entity_id=coder, actor=who, before={"coder": coder, **counts}
        )
    return CoderChange("remove", coder, None, counts)
