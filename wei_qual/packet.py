"""Coder packets: a self-contained project file per coder, and merging their work back.

A packet is not trusted when it comes back: it may carry only its owner's decisions and memos, on the
transcripts assigned to them, with codes valid in its codebook version and obeying exclusive groups.
Anything else refuses the whole packet before a row is written. Edits are judged by revisions, not clocks:
each decision's revision is recorded per packet at every sync, and a side "changed" when its revision
differs from the recorded one. When both sides changed, the project's copy wins unless the lead prefers
the packet; the conflict is listed either way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .coders import clean, name_key, name_problem
from .errors import StoreError, WeiQualError, quoted, shell_path
from .excerpts import check_excerpts
from .models import CONSENSUS_CODER, PARTICIPANT, Code, Codebook, Decision, plural
from .numbers import whole_number
from .safeio import atomic_path
from .session import exclusive_conflicts
from .store import get_setting, iter_audit, open_db, transaction, write_audit
from .store.assignments import assigned_transcripts
from .store.codebooks import (
    code_moves_since,
    declared_splits,
    get_active_codebook,
    get_codebook,
    iter_codebook_versions,
)
from .store.decisions import (
    decision_state,
    delete_decision,
    delete_memo,
    get_decision,
    get_memo,
    iter_coders,
    save_decision,
    walked_turns,
)
from .store.packets import (
    copy_packet,
    get_memo_syncs,
    get_syncs,
    make_self_contained,
    mark_session,
    memo_target,
    merged_generation,
    merged_log,
    packet_owner,
    read_packet,
    record_generation,
    record_memo_syncs,
    record_packet,
    record_syncs,
    text_sha256,
    upsert_memo,
)
from .store.transcripts import (
    iter_segment_texts,
    iter_transcript_rows,
    segment_roles,
    transcript_ids_by_sha256,
)

PREFER = ("project", "packet")
FUTURE_SLACK = datetime.timedelta(days=1)  # clocks drift; a time later than this is a wrong clock (or forged)
MAX_LISTED = 5  # examples named per problem class


def make_packet(db: Database, coder: str, out: Path, *, force: bool = False, actor: str = "packet") -> dict:
    """Write `coder`'s packet to `out` and return what it holds; the audit log names `actor` as its maker.

    Written to a private temporary file and renamed, so a failure leaves nothing behind. An existing `out`
    is refused unless `force`. Raises WeiQualError.
    """
    out = Path(out)
    _refuse_a_packet(db, "Make packets from")
    if out.exists() and not force:
        raise WeiQualError(
            f'"{out}" already exists. Choose another -o, pass --force, or delete the old packet first.'
        )
    if out.is_file():
        _refuse_unmerged(db, out)
    transcript_ids = assigned_transcripts(db, coder)
    if not transcript_ids:
        raise WeiQualError(
            f'Coder "{coder}" has no assigned transcripts. Assign them with "wei-qual assign --coders ...".'
        )
    if get_active_codebook(db) is None:
        raise WeiQualError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    roles = segment_roles(db, transcript_ids)
    with atomic_path(out, overwrite=force) as tmp:
        target = open_db(tmp)
        try:
            with transaction(target):
                counts = copy_packet(db, target, coder=coder, transcript_ids=transcript_ids)
            packet_id = get_setting(target, "project_id")
            make_self_contained(target)
        finally:
            target.close()
        synced = counts.pop("synced")
        memos_synced = counts.pop("memos_synced")
        with transaction(db):
            record_packet(db, packet_id, coder)
            write_audit(
                db,
                action="make",
                entity="packet",
                entity_id=packet_id,
                actor=actor,
                # What it was made with: work on these is the coder's, even if an assignment made since
                # gives a transcript to someone else.
                after={
                    "coder": coder,
                    "transcripts": transcript_ids,
                    # The turns that were no participant's then: a role a lead sets after this is named
                    # when the packet comes back (the coder coded under the roles it was made with).
                    "roles": {t: _by_role(roles[t]) for t in transcript_ids},
                },
            )
            # The decisions it starts with: the base that later edits on either side are judged by.
            record_syncs(db, packet_id, [(t, n, c, rev, rev) for t, n, c, rev in synced])
            record_memo_syncs(db, packet_id, memos_synced)
    counts["to_code"] = walked_turns(
        db, transcript_ids
    )  # the coder's "coded X of Y": segments hold interviewers'
    return counts


def _remedy(db: Database, path: Path, owner: str, problems: _Problems, strangers: set[str]) -> str:
    """The last line of a packet's refusal: what to do. Work under a name that is no coder of the project
    ("caroline" in carol's packet) is the owner's own, mistyped at `code --coder`: it can be folded in."""
    file = shlex.quote(Path(path).name)
    known = {c.casefold() for c in iter_coders(db)} | {CONSENSUS_CODER}
    only_names = all(what.endswith(f"by coders other than {owner}") for what in problems.classes)
    if strangers and only_names and not any(s.casefold() in known for s in strangers):
        folds = " and ".join(
            f'"wei-qual coders merge {shlex.quote(s)} {shlex.quote(owner)} --db {file}"'
            for s in sorted(strangers)
        )
        return f"If {owner} coded under another name by mistake, fold it into {owner} in the packet with {folds}, then merge the packet again."
    return (
        f'Ask {owner} for a packet made with "wei-qual packet --coder {shlex.quote(owner)} -o {file}" and coded '
        f'only with "wei-qual code --coder {shlex.quote(owner)} --db {file}".'
    )


def refuse_another_coder(db: Database, coder: str, path: Path) -> None:
    """A coding session under a name that is not the packet's owner's (carol opening alice.wqp from a
    shared folder, or --coder typed wrong) is refused before a turn is shown: it used to start at once,
    and merge refused the whole packet afterwards, the evening's work under that name with it."""
    owner = get_setting(db, "packet_coder")
    if owner is None or clean(coder).casefold() == clean(owner).casefold():
        return
    file = shlex.quote(str(path))
    raise WeiQualError(
        f'"{path}" is the packet for "{owner}", and a packet holds its coder\'s work only: merge refuses work '
        f'under another name. Code it as {owner} ("wei-qual code --coder {shlex.quote(owner)} --db {file}"), or '
        f"open your own packet."
    )


def _refuse_a_packet(db: Database, what: str) -> None:
    """A coder's packet given as the project: a packet made from it, or merged into it, never reaches
    the project (the project refuses such a packet as another project's)."""
    if get_setting(db, "packet_of") is not None:
        raise WeiQualError(
            f'The database given with --db is the packet for "{get_setting(db, "packet_coder")}", not a '
            f"project. {what} the project it was made from (the lead's file), given with --db."
        )


def _refuse_unmerged(db: Database, out: Path) -> None:
    """Refuse to replace a packet of this project that holds work not merged yet: a packet handed out
    through a shared folder is coded where it lies, and --force would destroy the coder's work."""
    try:
        packet = read_packet(out)
    except WeiQualError:
        return  # not a readable packet: nothing of a coder's to lose here
    if packet["project_id"] != get_setting(db, "project_id"):
        return
    syncs = get_syncs(db, packet["packet_id"])
    ours = transcript_ids_by_sha256(db)
    current = {t["id"] for t in packet["transcripts"] if t["sha256"] in ours}  # not re-ingested since
    record = packet_owner(db, packet["packet_id"])
    owner = record[1] if record else packet["coder"]  # the project's name for them (renamed since?)
    decisions = sum(
        syncs.get((ours[d["sha256"]], d["n"], owner), (None, None))[1] != d["revision"]
        for d in packet["decisions"]
        if d["transcript_id"] in current
    )
    memo_syncs = get_memo_syncs(db, packet["packet_id"])
    memos = sum(
        m["text"] != get_memo(db, owner, m["target_type"], m["target_id"])
        and memo_syncs.get((m["target_type"], m["target_id"]), (None, None))[1] != text_sha256(m["text"])
        for m in packet["memos"]
        if _memo_on(m) in current or m["target_type"] == "code"
    )
    if decisions or memos:
        held = ", ".join(
            f"{n} {what}{'' if n == 1 else 's'}"
            for n, what in ((decisions, "decision"), (memos, "memo"))
            if n
        )
        whose = f"{owner}'s" if record else "its coder's"  # the packet's own word may be anything
        raise WeiQualError(
            f'"{out}" is a packet of this project holding {whose} work not merged yet ({held}): '
            f'replacing it would destroy that work. Merge it first ("wei-qual merge {shell_path(out)}"), '
            "or move it away, then make the packet again."
        )


@contextlib.contextmanager
def packet_session(db: Database) -> Iterator[None]:
    """Around a coding session: a packet notes that it is open, so merge can tell an unclean end."""
    is_packet = get_setting(db, "packet_of") is not None
    if is_packet:
        mark_session(db, open_=True)
    try:
        yield
    finally:
        if is_packet:
            mark_session(db, open_=False)


@dataclass
class MergeResult:
    packets: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # the project's copy stays: the packet did not change it, or both changed
    deleted: int = 0  # decisions the coder removed in the packet since the last sync, removed here too
    memos: int = 0
    memos_deleted: int = 0  # memos the coder removed in the packet since the last sync, removed here too
    drafts: list[str] = field(default_factory=list)  # draft codes created in packets, now in the project
    conflicts: list[str] = field(default_factory=list)  # "p01:12:alice (both changed, project kept)"
    warnings: list[str] = field(default_factory=list)


def _parse_time(text: str) -> datetime.datetime | None:
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def _not_later_than(stamp: str, now: datetime.datetime) -> str:
    """A packet's time, or the merge's when the laptop's clock put it later than tomorrow."""
    when = _parse_time(stamp)
    if when is not None and when > now + FUTURE_SLACK:
        return now.isoformat(timespec="milliseconds")
    return stamp


def _shown_value(value: str) -> str:
    """A name, id or code read from a packet, for a message: quoted when it could be a coder's name (short,
    a few words, nothing a terminal acts on), else described by its length (a packet edited by hand may
    hold anything there, a transcript's words included)."""
    return f'"{clean(value)}"' if name_problem(value) is None else quoted(value)


def _listed(values) -> str:
    values = sorted(set(map(str, values)))
    shown = ", ".join(map(_shown_value, values[:MAX_LISTED]))
    return shown + (f" and {len(values) - MAX_LISTED} more" if len(values) > MAX_LISTED else "")


def _turns_moved(items: list[tuple[tuple[str, int], tuple[str | None, str]]]) -> str:
    """'P09:7, P09:9 (participant to other); P09:1 (interviewer to participant)': the turns, by change of role."""
    by_change: dict[tuple[str | None, str], list[str]] = {}
    for (tid, n), change in items:
        by_change.setdefault(change, []).append(f"{tid}:{n}")
    parts = []
    for (then, now), where in by_change.items():
        shown = ", ".join(where[: 2 * MAX_LISTED]) + (
            f" and {len(where) - 2 * MAX_LISTED} more" if len(where) > 2 * MAX_LISTED else ""
        )
        parts.append(f"{shown} ({then or 'a role not recorded'} to {now})")
    return "; ".join(parts)


class _Problems:
    """Problems with a packet's contents, counted per class: one line each in the refusal.

    A class is a phrase whose first noun takes "{s}" ("decision{s} by coders other than alice").
    """

    def __init__(self) -> None:
        self.classes: dict[str, tuple[int, set]] = {}

    def add(self, what: str, example: object) -> None:
        count, examples = self.classes.get(what, (0, set()))
        examples.add(example)
        self.classes[what] = (count + 1, examples)

    def lines(self, name: str) -> list[str]:
        return [
            f"{name}: {count} {what.format(s='' if count == 1 else 's')} ({_listed(ex)})."
            for what, (count, ex) in self.classes.items()
        ]


def _version_codebooks(db: Database) -> dict[str, Codebook]:
    """Every codebook version of the project by sha256 (the project's own copy, never the packet's)."""
    return {v["sha256"]: get_codebook(db, v["id"]) for v in iter_codebook_versions(db)}


def _shape(codebook: Codebook) -> frozenset[tuple[str, str | None]]:
    """A version's defined codes (draft codes left out): what a packet's own version must share."""
    return frozenset((c.id, c.parent) for c in codebook.codes if not c.draft)


def _drafted_versions(packet: dict, versions: dict[str, Codebook]) -> dict[str, Codebook]:
    """The packet's own codebook versions that are a project version plus draft codes created while
    coding in the packet (by sha256). Any other version the project lacks is not one of these."""
    books: dict[str, list[Code]] = {}
    for row in packet["codes"]:
        books.setdefault(row["sha256"], []).append(
            Code(
                row["code"],
                row["name"],
                parent=row["parent"],
                exclusive=bool(row["exclusive"]),
                draft=bool(row["draft"]),
            )
        )
    shapes = {_shape(book) for book in versions.values()}
    out = {}
    for sha, codes in books.items():
        book = Codebook(name="packet", version="", codes=tuple(codes))
        if sha not in versions and any(c.draft for c in codes) and _shape(book) in shapes:
            out[sha] = book
    return out


def _packet_version(
    sha: str, version_ids: dict[str, int], versions: dict[str, Codebook], drafted: dict[str, Codebook]
) -> int | None:
    """The project's number of the version a packet was coded under; for a version the packet made by
    adding drafts, the latest project version with the same codes (the one the coder started from)."""
    if sha in version_ids:
        return version_ids[sha]
    book = drafted.get(sha)
    if book is None:
        return None
    same = [version_ids[s] for s, cb in versions.items() if cb is not None and _shape(cb) == _shape(book)]
    return max(same, default=None)


def _same_coder(name: str, owner: str) -> bool:
    """A name the coder-name normaliser takes as the owner ("Alice " for "alice")."""
    return name_key(name) == name_key(owner)


def _packet_owner(db: Database, path: Path, packet: dict, issued_to: str | None) -> tuple[str, str]:
    """(the name the packet's work is under, the project's coder it goes to): the coder the project made
    the packet for (renamed or merged since, perhaps), or, for a packet it has no record of, the coder the
    lead vouches for with `issued_to`; when the packet names that coder. Raises WeiQualError."""
    record = packet_owner(db, packet["packet_id"])
    if record is None and issued_to is None:
        raise WeiQualError(
            f'"{path}" is a packet this project has no record of making (made by an older wei-qual, or '
            "edited). If you gave it to its coder yourself, merge it again with --issued-to CODER."
        )
    made_for, owner = record or (clean(issued_to or ""), None)
    if not _same_coder(packet["coder"], made_for):
        raise WeiQualError(
            f'"{path}" was made for "{made_for}", but names {_shown_value(packet["coder"])} as its coder: it has been '
            f"edited, and nothing was merged. Ask {made_for} for the packet as it was made, unedited."
        )
    # A vouched packet: its work goes to the name it was made with.
    return packet["coder"], owner or packet["coder"]


def _check_packet(
    db: Database,
    path: Path,
    packet: dict,
    now: datetime.datetime,
    issued_to: str | None = None,
    keep_unknown: bool = False,
) -> dict:
    """Refuse a packet that does not belong here or holds what its owner may not send.

    Returns what merging needs: {packet transcript id: ours}, {sha256: ours}, the owner, the versions,
    and the codes the active codebook lacks that `keep_unknown` lets in (else they refuse the packet).
    """
    name = path.name
    if packet["project_id"] != get_setting(db, "project_id"):
        raise WeiQualError(
            f'"{path}" is a packet from another project. Merge it into the project it was made from.'
        )
    named, owner = _packet_owner(db, path, packet, issued_to)
    merged = merged_generation(db, packet["packet_id"])
    history = merged_log(db, packet["packet_id"])
    parted = None  # rows of its log it shares with the history last merged, when it went on from fewer
    if history is not None:
        shared = next(
            (i for i, (row, digest) in enumerate(zip(packet["log"], history)) if row["digest"] != digest),
            min(len(packet["log"]), len(history)),
        )
        if shared < len(history):
            parted = shared
    if (parted is not None and parted == len(packet["log"])) or (
        history is None and merged is not None and packet["generation"] < merged
    ):
        raise WeiQualError(
            f'"{path}" is an older copy of the packet for "{owner}" than one already merged (work saved in '
            "that one is missing here): merging it would undo that work, so nothing was merged. Merge the "
            "newest copy of the packet."
        )
    ours = transcript_ids_by_sha256(db)
    earlier = _earlier_versions(db)
    # A transcript the lead re-ingested with new content since the packet was made: the work on its
    # earlier text cannot be placed on the new one. It is set aside (as --replace sets aside the
    # project's own), and the rest of the packet merges.
    replaced = {
        t["id"]
        for t in packet["transcripts"]
        if t["sha256"] not in ours and earlier.get(t["sha256"]) == t["id"] and t["id"] in ours.values()
    }
    # The same file stored anew since (`ingest --replace` of a new reading: a newer wei-qual's): its turns
    # may be numbered otherwise, so the work on the earlier reading is set aside too, never put on
    # whatever turn now has its number.
    stored_anew = _replaced_since(db, packet["packet_id"])  # read from the audit log once
    reread = {
        t["id"] for t in packet["transcripts"] if t["sha256"] in ours and ours[t["sha256"]] in stored_anew
    }
    replaced |= reread
    missing = [t["id"] for t in packet["transcripts"] if t["sha256"] not in ours and t["id"] not in replaced]
    if missing:
        raise WeiQualError(
            f'"{path}": transcript {_shown_value(missing[0])} is not in this project (matched by content). '
            "Ingest the same file here first."
        )
    active = get_active_codebook(db)
    if active is None:
        raise WeiQualError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    versions = _version_codebooks(db)
    version_ids = {v["sha256"]: v["id"] for v in iter_codebook_versions(db)}
    packet_cb = packet["codebook"]
    drafted = _drafted_versions(packet, versions)
    if packet_cb is None or (packet_cb["sha256"] not in versions and packet_cb["sha256"] not in drafted):
        raise WeiQualError(
            f'"{path}" was coded with a codebook this project does not have. '
            'Make packets from this project with "wei-qual packet", and merge them here.'
        )
    # The transcripts assigned to the owner now, and those the packet was made with (an assignment made
    # since may have given one to another coder: the work done on it in the packet is still the owner's).
    assigned_now = set(assigned_transcripts(db, owner))
    assigned = assigned_now | _issued(db, packet["packet_id"])
    segments = {r["id"]: r["segments"] for r in iter_transcript_rows(db)}
    sha_to_tid = {t["sha256"]: ours[t["sha256"]] for t in packet["transcripts"] if t["id"] not in replaced}
    problems = _Problems()
    if not assigned:
        problems.add("packet owner{s} with no transcripts assigned in this project", owner)
    syncs = get_syncs(db, packet["packet_id"])
    changed_codes: set[str] = set()
    texts = iter_segment_texts(db) if any(d["excerpts"] for d in packet["decisions"]) else {}
    owned: set[tuple[str, int]] = set()
    strangers: set[str] = set()  # the other names work in the packet is under
    future: list[str] = []  # times later than tomorrow: the laptop's clock was ahead
    for d in packet["decisions"]:
        tid = sha_to_tid.get(d["sha256"])
        where = f"{d['transcript_id']}:{d['n']}"
        if not _same_coder(d["coder_id"], named):
            problems.add(f"decision{{s}} by coders other than {named}", d["coder_id"])
            strangers.add(d["coder_id"])
        elif d["transcript_id"] in replaced:
            continue  # set aside whole by the merge
        elif (tid, d["n"]) in owned:  # "alice" and "Alice" both decided it: which one is meant?
            problems.add(f"segment{{s}} decided twice under spellings of {owner}", where)
        else:
            owned.add((tid, d["n"]))  # only the owner's: another coder's decision is no spelling of theirs
        if tid is None or tid not in assigned:
            problems.add(f"decision{{s}} on transcripts not assigned to {owner}", d["transcript_id"])
        elif not 1 <= d["n"] <= segments.get(tid, 0):
            problems.add("decision{s} on segments this project does not have", where)
        base = syncs.get((tid, d["n"], d["coder_id"]))
        if base is not None and base[1] == d["revision"]:
            continue  # as the project synced it (e.g. copied in under an older codebook): never written
        # Codes the project's copy already held are the coder's own, not new: a code an earlier version
        # had (kept by a forced load) stays on a decision whose note alone the coder changed.
        ours = get_decision(db, tid, d["n"], owner) if tid is not None else None
        held = ours.codes if ours is not None else frozenset()
        changed_codes.update(set(d["codes"]) - held)
        when = _parse_time(d["decided_utc"])
        if when is None:
            problems.add("decision{s} not dated (a time that cannot be read)", d["decided_utc"])
        elif when > now + FUTURE_SLACK:
            future.append(d["decided_utc"])
        sha = d["codebook_sha"] or packet_cb["sha256"]
        codebook = versions.get(sha) or drafted.get(sha)
        if codebook is None:
            problems.add("decision{s} made with a codebook version this project does not have", where)
            continue
        if d["excerpts"]:
            text = texts.get((tid, d["n"])) if tid is not None else None
            checked = check_excerpts(
                d["excerpts"], codes=d["codes"], length=len(text) if text is not None else None
            )
            if checked.problems:
                problems.add(
                    "decision{s} with excerpts outside their segment or for codes not applied", where
                )
        parents = {c.parent for c in codebook.codes if c.parent}
        known = {c.id for c in codebook.codes}
        for code in d["codes"]:
            if code not in known and code not in held:
                problems.add("use{s} of codes that are not in the packet's codebook version", code)
            elif code in parents:
                problems.add("use{s} of theme headings, which are not codes to apply", code)
        for group, _hit in exclusive_conflicts(d["codes"], codebook):
            problems.add("decision{s} with more than one code of an exclusive group", f"{where} {group}")
    any_version_codes = {c.id for codebook in versions.values() for c in codebook.codes}
    packet_tids = {t["id"]: sha_to_tid[t["sha256"]] for t in packet["transcripts"] if t["id"] not in replaced}
    for m in packet["memos"]:
        if not _same_coder(m["coder_id"], named):
            problems.add(f"memo{{s}} by coders other than {named}", m["coder_id"])
            strangers.add(m["coder_id"])
        kind, target = m["target_type"], m["target_id"]
        if _memo_on(m) in replaced:
            continue
        if kind == "segment":
            tid, _, n = target.rpartition(":")
            ok = packet_tids.get(tid) in assigned and 1 <= (whole_number(n) or 0) <= segments.get(
                packet_tids[tid], 0
            )
            if not ok:
                problems.add(f"memo{{s}} on segments not assigned to {owner}", target)
        elif kind == "transcript":
            if packet_tids.get(target) not in assigned:
                problems.add(f"memo{{s}} on transcripts not assigned to {owner}", target)
        elif kind == "code":
            if target not in any_version_codes:
                problems.add("memo{s} on codes that are in no codebook version of this project", target)
        else:
            problems.add("memo{s} with an unknown target type", kind)
        for stamp in (m["created_utc"], m["updated_utc"]):
            when = _parse_time(stamp) if stamp is not None else now
            if when is None:
                problems.add("memo{s} not dated (a time that cannot be read)", stamp)
            elif when > now + FUTURE_SLACK:
                future.append(stamp)
    if problems.classes:
        raise StoreError(
            "\n".join(
                [
                    f'"{path}" (the packet for "{owner}") holds what its owner may not send; nothing was merged.'
                ]
                + problems.lines(name)
                + [_remedy(db, path, owner, problems, strangers)]
            )
        )
    # Draft codes created in the packet join the project's active codebook when merged (as drafts).
    drafts = (
        [c for c in drafted[packet_cb["sha256"]].codes if c.draft] if packet_cb["sha256"] in drafted else []
    )
    themes = {c.parent for c in active[1].codes if c.parent}
    clashing = [c.id for c in drafts if c.id in themes]
    if clashing:
        raise WeiQualError(
            f'"{path}": {"a draft code" if len(clashing) == 1 else "draft codes"} created in the packet '
            f"{'has' if len(clashing) == 1 else 'have'} the id of a theme heading in this project: "
            f"{', '.join(clashing)}. Rename the theme, or merge the draft on the coder's copy first."
        )
    active_sha = next(v["sha256"] for v in iter_codebook_versions(db) if v["active"])
    moves: dict[str, str] = {}
    split: dict[str, tuple[str, ...]] = {}
    if packet_cb["sha256"] != active_sha:
        # Codes the active version renamed (renamed_from) or merged (merged_into) go to their new id, as
        # the project's own decisions did when it was loaded.
        # Every version loaded since the packet's counts: the active file may no longer carry the
        # renamed_from line or the merged stub that moved a code.
        moves = code_moves_since(db, _packet_version(packet_cb["sha256"], version_ids, versions, drafted))
        known = {c.id for c in active[1].codes} | {c.id for c in drafts}
        unknown = sorted({moves.get(c, c) for c in changed_codes} - known)
        # A declared split keeps the old id's decisions for recoding, as "codebook load" keeps the
        # project's own: not a dropped code to refuse.
        splits = declared_splits(db) if unknown else {}
        split = {c: splits[c] for c in unknown if c in splits}
        unknown = [c for c in unknown if c not in split]
        if unknown and not keep_unknown:
            number = version_ids.get(packet_cb["sha256"])
            label = _shown_value(packet_cb["label"])  # the packet's own copy of it: hand-editable
            which = f"{number} ({label})" if number else label
            raise WeiQualError(
                f'"{path}" was coded with codebook version {which}, which is not the active one, and uses '
                f"codes not in the active codebook (dropped, or drafts settled, since): {_listed(unknown)}. "
                "Add them back to the codebook, or mark them renamed_from or merged_into a code of it, and load "
                'it with "wei-qual codebook load"; then merge again. Or pass --force to merge them as they are '
                '(nothing counts them until they are recoded; "wei-qual retrieve CODE --source union" lists them).'
            )
    reassigned = sorted(
        {d["transcript_id"] for d in packet["decisions"] if sha_to_tid.get(d["sha256"]) not in assigned_now}
        - replaced
    )
    # Turns whose role a lead set since the packet was made: the coder coded under the roles it was made with.
    turned = _roles_changed(db, packet["packet_id"], set(packet_tids.values()))
    fresh = {  # the owner's decisions this merge brings (new or changed in the packet since the last sync)
        (tid, d["n"])
        for d in packet["decisions"]
        if (tid := sha_to_tid.get(d["sha256"])) is not None
        and d["transcript_id"] not in replaced
        and (syncs.get((tid, d["n"], d["coder_id"])) or (None, None))[1] != d["revision"]
    }
    roles_changed = {
        # Decided in the packet, and no participant turn now: merged and kept, but counted nowhere.
        "coded_out": sorted((k, v) for k, v in turned.items() if k in fresh and v[1] != PARTICIPANT),
        # Decided in the packet as no participant turn, a participant turn now: counted from now on.
        "coded_in": sorted(
            (k, v) for k, v in turned.items() if k in fresh and v[1] == PARTICIPANT and v[0] != PARTICIPANT
        ),
        # A participant turn now that the packet holds no decision on: still to code.
        "uncoded_in": sorted(
            (k, v)
            for k, v in turned.items()
            if k not in owned
            and v[1] == PARTICIPANT
            and v[0] != PARTICIPANT
            and get_decision(db, *k, owner) is None  # coded in the project since, it is done
        ),
    }
    # A group the active version made exclusive (or a move into one) after the coder chose two of its codes.
    clashing = []
    for d in packet["decisions"] if packet_cb["sha256"] != active_sha else ():
        tid = sha_to_tid.get(d["sha256"])
        base = syncs.get((tid, d["n"], d["coder_id"]))
        if d["transcript_id"] in replaced or (base is not None and base[1] == d["revision"]):
            continue
        own = versions.get(d["codebook_sha"] or packet_cb["sha256"]) or drafted.get(
            d["codebook_sha"] or packet_cb["sha256"]
        )
        then = {g for g, _ in exclusive_conflicts(d["codes"], own)} if own is not None else set()
        if any(
            g not in then for g, _ in exclusive_conflicts({moves.get(c, c) for c in d["codes"]}, active[1])
        ):
            clashing.append(f"{tid}:{d['n']}")
    return {
        "parted": parted,
        "since": _changed_since(path, packet["log"][parted:], packet_tids) if parted is not None else None,
        "exclusive_now": clashing,
        "roles_changed": roles_changed,
        "reassigned": reassigned,
        "future": future,
        "replaced": replaced,
        "reread": reread,
        "tids": packet_tids,
        "sha_to_tid": sha_to_tid,
        "owner": owner,
        "moves": moves,
        "version_ids": version_ids,
        "drafts": drafts,
        "drafted": set(drafted),
        "kept_unknown": unknown if packet_cb["sha256"] != active_sha else [],
        "split": {
            old: (
                targets,
                sum(old in d["codes"] for d in packet["decisions"] if d["transcript_id"] not in replaced),
            )
            for old, targets in split.items()
        },
        "meaning_changed": _meaning_changed(
            versions.get(packet_cb["sha256"]), active[1], changed_codes, moves
        ),
    }


def _changed_since(path: Path, rows: list[dict], tids: dict[str, str]) -> tuple[dict, dict]:
    """What a packet's log rows changed: ({(transcript, n): the decision's state before the first of them,
    None when it had none}, {(target type, target id): the memo's text before, or None}), in the project's
    ids. Raises WeiQualError for a row that cannot be read (a packet is not trusted)."""
    decisions: dict[tuple[str, int], dict | None] = {}
    memos: dict[tuple[str, str], str | None] = {}
    for row in rows:
        if row["entity"] not in ("decision", "memo"):
            continue
        try:
            before = json.loads(row["before"]) if row["before"] is not None else None
            if row["entity"] == "decision":
                tid, n, _coder = row["entity_id"].rsplit(":", 2)
                decisions.setdefault((tids.get(tid, tid), int(n)), before)
            else:
                kind, rest = row["entity_id"].split(":", 1)
                target = rest.rsplit(":", 1)[0]
                key = (kind, memo_target({"target_type": kind, "target_id": target}, tids))
                memos.setdefault(key, before.get("text") if isinstance(before, dict) else None)
        except (TypeError, ValueError, AttributeError):
            raise WeiQualError(
                f'"{path}" has an audit log row that cannot be read (a {row["entity"]} change): it is damaged or '
                "was edited, and nothing was merged. Ask the coder for a fresh copy of the file."
            ) from None
    return decisions, memos


def _state(d: Decision | None) -> dict | None:
    """A decision as the audit log records it, to compare with a packet's log rows."""
    return None if d is None else decision_state(d)


def _issued(db: Database, packet_id: str) -> set[str]:
    """The transcripts the project made a packet with (none known for one made by an older wei-qual)."""
    return {
        tid
        for row in iter_audit(db, entity="packet")
        if row["action"] == "make" and row["entity_id"] == packet_id
        for tid in (row["after"] or {}).get("transcripts", [])
    }


def _by_role(roles: dict[int, str]) -> dict[str, list[int]]:
    """{role: [segment numbers]} of the turns that are no participant's (the others are)."""
    grouped: dict[str, list[int]] = {}
    for n, role in sorted(roles.items()):
        if role != PARTICIPANT:
            grouped.setdefault(role, []).append(n)
    return grouped


def _roles_changed(
    db: Database, packet_id: str, tids: set[str]
) -> dict[tuple[str, int], tuple[str | None, str]]:
    """{(transcript, n): (its role when the packet was made, its role now)} of the turns of `tids` whose role
    a lead changed since (`transcripts roles`, `transcripts relabel`). Read from the project alone, never
    from the packet. For a packet made by an older wei-qual, which did not record the roles, the turns the
    role changes since it was made moved in or out of the coding units, with their role then unknown
    (None)."""
    made = [
        r for r in iter_audit(db, entity="packet") if r["action"] == "make" and r["entity_id"] == packet_id
    ]
    if not made or not tids:
        return {}
    now = segment_roles(db, tids)
    recorded = (made[-1]["after"] or {}).get("roles")
    changed: dict[tuple[str, int], tuple[str | None, str]] = {}
    if recorded is not None:
        for tid in tids & set(recorded):  # a transcript the packet was made with
            then = {n: role for role, ns in recorded[tid].items() for n in ns}
            for n, role in now[tid].items():
                if then.get(n, PARTICIPANT) != role:
                    changed[(tid, n)] = (then.get(n, PARTICIPANT), role)
        return changed
    for row in iter_audit(db, entity="transcript"):
        # `transcripts roles` and `transcripts relabel` (ingest.correct) both record the turns they moved.
        if (
            row["action"] in ("set_roles", "relabel")
            and row["id"] > made[-1]["id"]
            and row["entity_id"] in tids
        ):
            for n in (row["after"] or {}).get("moved_segments", []):
                if n in now[row["entity_id"]]:
                    changed[(row["entity_id"], n)] = (None, now[row["entity_id"]][n])
    return changed


def _replaced_since(db: Database, packet_id: str) -> set[str]:
    """The transcripts the project stored anew (`ingest --replace`) after it made this packet (none known
    for a packet it has no record of making)."""
    made = [
        r["id"]
        for r in iter_audit(db, entity="packet")
        if r["action"] == "make" and r["entity_id"] == packet_id
    ]
    if not made:
        return set()
    return {
        row["entity_id"]
        for row in iter_audit(db, entity="transcript")
        if row["action"] == "replace" and row["id"] > made[-1]
    }


def _earlier_versions(db: Database) -> dict[str, str]:
    """{sha256: transcript id} of every earlier version of a transcript that a re-ingest replaced."""
    return {
        row["before"]["sha256"]: row["entity_id"]
        for row in iter_audit(db, entity="transcript")
        if row["action"] == "replace" and (row["before"] or {}).get("sha256")
    }


def _memo_on(memo: dict) -> str | None:
    """The transcript a segment or transcript memo is on ("p01:12" -> "p01"), None for a code memo."""
    if memo["target_type"] == "segment":
        return memo["target_id"].rpartition(":")[0]
    return memo["target_id"] if memo["target_type"] == "transcript" else None


def _meaning_changed(
    packet_codebook: Codebook | None, active: Codebook, codes: set[str], moves: dict[str, str]
) -> list[str]:
    """The codes the coder applied under the packet's codebook version whose name or definition the active
    version changes (under its new id, when renamed): their decisions count for the code as it is now
    defined. Named by their id now."""
    if packet_codebook is None:
        return []
    changed = set()
    for code in codes:
        then, now = packet_codebook.code(code), active.code(moves.get(code, code))
        if (
            then is not None
            and now is not None
            and (then.name, then.definition) != (now.name, now.definition)
        ):
            changed.add(now.id)
    return sorted(changed)


def merge_packets(
    db: Database,
    paths: list[Path],
    *,
    actor: str | None = None,
    prefer: str = "project",
    issued_to: str | None = None,
    force: bool = False,
) -> MergeResult:
    """Merge coders' decisions and memos from packets: all packets or nothing. Raises WeiQualError.

    A packet's owner is the coder the project made it for; `issued_to` names it for a packet the project
    has no record of (made by an older wei-qual), and is recorded.
    A decision changed only in the packet since the last sync replaces the project's; changed only in the
    project, the project's stays; changed in both, the `prefer`red side wins and the conflict is listed.
    Re-merging the same packet changes nothing. A packet coded under an earlier codebook version with
    codes the active one no longer has is refused, unless `force`: then they are merged as they are, with
    a warning (nothing counts them until they are recoded). A code a version declared split is merged
    under its old id without `force`, with a warning naming the coder's recode command.
    """
    if prefer not in PREFER:
        raise WeiQualError(f'--prefer "{prefer}" is not one of: {", ".join(PREFER)}.')
    _refuse_a_packet(db, "Merge packets into")
    now = datetime.datetime.now(datetime.timezone.utc)
    packets = []
    copies: dict[str, tuple[list[str], Path]] = {}
    for path in map(Path, paths):
        packet = read_packet(path)
        log = [row["digest"] for row in packet["log"]]
        first = copies.setdefault(packet["packet_id"], (log, path))
        if first[0] != log:
            (shorter, older), (longer, newer) = sorted([first, (log, path)], key=lambda copy: len(copy[0]))
            if longer[: len(shorter)] != shorter:
                # Coded apart from one base (a laptop and a desktop): both would be judged against the
                # sync of that base, so the second's change to a segment the first changed too was
                # dropped as "unchanged" (the same revision number), without a conflict or a word.
                raise WeiQualError(
                    f'"{older}" and "{newer}" are two copies of the same packet, each coded on apart from the '
                    "other: merged together, one copy's changes to what the other changed too would be lost, "
                    f'so nothing was merged. Merge them one at a time ("wei-qual merge {shell_path(older)}", '
                    "then the other): the second is merged as a copy coded apart, and what both changed is listed."
                )
            raise WeiQualError(
                f'"{older}" and "{newer}" are two copies of the same packet, and "{older}" is the older one: '
                f'merging it would undo work saved in the other, so nothing was merged. Merge only "{newer}".'
            )
        packets.append((path, packet, _check_packet(db, path, packet, now, issued_to, keep_unknown=force)))
    result = MergeResult()
    for path, packet, checked in packets:
        result.warnings += packet["warnings"]
        if checked["meaning_changed"]:
            result.warnings.append(
                f'"{path}" was coded under an earlier codebook version, and the active one changes the name or '
                f"definition of {', '.join(checked['meaning_changed'])}: the coder's decisions count for "
                'them as they are now defined. Check them with "wei-qual retrieve CODE --source union".'
            )
        if checked["exclusive_now"]:
            where = checked["exclusive_now"]
            result.warnings.append(
                f'"{path}" was coded under an earlier codebook version, and {len(where)} of its decisions hold two '
                f"codes of a group the active one makes exclusive ({', '.join(where[:5])}"
                f"{', ...' if len(where) > 5 else ''}): merged as coded; agreement counts each such pair as a "
                f'value of its own until they are recoded ("wei-qual code --coder {checked["owner"]} --recode '
                f'--from {where[0]}").'
            )
        turned = checked["roles_changed"]
        if turned["coded_out"]:
            result.warnings.append(
                f'"{path}": the role of {plural(len(turned["coded_out"]), "turn")} {checked["owner"]} decided in the packet '
                f"was changed since it was made: {_turns_moved(turned['coded_out'])}. They are no participant "
                "turns now: the decisions are merged and kept, but agreement and the reports do not count them "
                "(they are listed in the merge's audit row, roles_changed_since_made)."
            )
        if turned["coded_in"]:
            result.warnings.append(
                f'"{path}": {plural(len(turned["coded_in"]), "turn")} {checked["owner"]} decided in the packet became '
                f"participant turns since it was made: {_turns_moved(turned['coded_in'])}. The decisions are "
                "merged and now count as participant coding."
            )
        if turned["uncoded_in"]:
            tids = sorted({tid for (tid, _), _ in turned["uncoded_in"]})
            coder = shlex.quote(checked["owner"])
            result.warnings.append(
                f'"{path}": {plural(len(turned["uncoded_in"]), "turn")} became participant turns since the packet was made, '
                f"and it holds no decision by {checked['owner']} on them: {_turns_moved(turned['uncoded_in'])}. "
                f'The packet still shows them with their old role: code them with "wei-qual code --coder {coder} '
                + " ".join(f"--transcript {shlex.quote(t)}" for t in tids[:MAX_LISTED])
                + f'", or on a new packet made after this merge ("wei-qual packet --coder {coder} -o '
                f'{shlex.quote(path.name)} --force").'
            )
        if checked["reassigned"]:
            owner = checked["owner"]
            result.warnings.append(
                f'"{path}": the work on {"transcript" if len(checked["reassigned"]) == 1 else "transcripts"} {_listed(checked["reassigned"])}, in the packet when it was '
                f"made but no longer assigned to {owner} (assigned again since), is merged as {owner}'s."
            )
        if checked["future"]:
            result.warnings.append(
                f'"{path}": {plural(len(checked["future"]), "time")} of decisions or memos {"is" if len(checked["future"]) == 1 else "are"} later than tomorrow '
                f"(e.g. {quoted(max(checked['future']))}): the laptop's clock was ahead when they were saved. "
                "They are merged with the time of this merge instead; ask the coder to set the laptop's clock right."
            )
        for replaced, how, what in (
            (checked["replaced"] - checked["reread"], "with new content", "text"),
            (checked["reread"], "as a new reading of the same file (--replace)", "segments"),
        ):
            if not replaced:
                continue
            aside = [d for d in packet["decisions"] if d["transcript_id"] in replaced]
            memos = [m for m in packet["memos"] if _memo_on(m) in replaced]
            result.warnings.append(
                f'"{path}": transcript {_listed(replaced)} was re-ingested {how} after '
                f"this packet was made, so the packet's {plural(len(aside), 'decision')} and {plural(len(memos), 'memo')} on "
                f"its earlier {what} were not merged (they are in the merge's audit row, "
                "packet_copies_set_aside, as --replace keeps the project's own). Have it coded again on a new "
                f'packet: "wei-qual packet --coder {shlex.quote(checked["owner"])} -o {shlex.quote(path.name)} '
                f'--force" gives the coder its new {what}.'
            )
        if checked["parted"] is not None:
            new = len(packet["log"]) - checked["parted"]
            result.warnings.append(
                f'"{path}" was coded on from an earlier copy of the packet than the one already merged (a copy '
                "restored from a backup, say): the work saved in the merged copy after that point is not in it. "
                f"Only what was saved in it since ({plural(new, 'change')}) is merged; its other decisions and memos are "
                "as they were in the earlier copy and replace nothing, and where the project's copy changed "
                "too the conflict is listed."
            )
        for old, (targets, n) in checked["split"].items():
            into = ", ".join(f'"{t}"' for t in targets)
            result.warnings.append(
                f'"{path}": "{old}" was split into {into} since the packet was made: its {plural(n, "decision")} '
                f'{"keeps" if n == 1 else "keep"} "{old}", which agree leaves out and the reports count apart (a row "{old}", before '
                f"split), until {checked['owner']} recodes them with "
                f'"wei-qual code --coder {shlex.quote(checked["owner"])} --code {old}".'
            )
        if checked["kept_unknown"]:
            result.warnings.append(
                f'"{path}": merged with codes the active codebook does not have (--force): '
                f"{_listed(checked['kept_unknown'])}. Nothing counts them until they are recoded."
            )
    with transaction(db):
        for path, packet, checked in packets:
            before = (
                result.added,
                result.updated,
                result.unchanged,
                result.kept,
                len(result.conflicts),
                result.deleted,
                result.memos_deleted,
            )
            owner = checked["owner"]
            since = checked["since"]  # what a copy that parted from the history merged changed since
            source = f"{owner} (packet {path.name})"  # the audit log names the packet and its owner
            record_packet(db, packet["packet_id"], owner)  # a packet vouched for with issued_to
            record_generation(db, packet["packet_id"], packet["generation"], packet["log"])
            syncs = get_syncs(db, packet["packet_id"])
            synced = []
            set_aside: list[dict] = []
            result.drafts += _add_drafts(db, checked["drafts"], actor=source, warnings=result.warnings)
            drafted_version = get_active_codebook(db)[0] if checked["drafted"] else None
            for row in packet["decisions"]:
                if row["transcript_id"] in checked["replaced"]:
                    set_aside.append(
                        {
                            "decision": f"{row['transcript_id']}:{row['n']}:{owner}",
                            "earlier_text_sha256": row["sha256"],
                            "codes": sorted(row["codes"]),
                            "note": row["note"] or "",
                            "decided_utc": row["decided_utc"],
                        }
                    )
                    continue
                move = checked["moves"].get  # a code renamed or merged since the packet was made: its new id
                codes = frozenset(move(c, c) for c in row["codes"])
                incoming = Decision(
                    transcript=checked["sha_to_tid"][row["sha256"]],
                    segment=row["n"],
                    coder=owner,
                    codes=codes,
                    note=row["note"] or "",
                    rationale=row["rationale"] or "",
                    accepted=frozenset(move(c, c) for c in row["accepted"]) & codes,
                    shown=frozenset(move(c, c) for c in row["shown"]),
                    codebook_version=checked["version_ids"].get(
                        row["codebook_sha"] or packet["codebook"]["sha256"], drafted_version
                    ),
                    decided_utc=_not_later_than(row["decided_utc"], now),
                    excerpts=tuple(
                        dataclasses.replace(e, code=move(e.code, e.code)) for e in row["excerpts"] or ()
                    ),
                )
                key = (incoming.transcript, incoming.segment, owner)
                label = ":".join(map(str, key))
                ours = get_decision(db, *key)
                base = syncs.get(key)  # (project revision, packet revision) at the last sync, or None
                if since is not None:
                    # A copy that parted from the history merged: changed in it only if changed since
                    # then, and judged against the decision as it was when it parted.
                    packet_changed = key[:2] in since[0]
                    project_changed = packet_changed and _state(ours) != since[0][key[:2]]
                elif ours is None:
                    packet_changed = base is None or base[1] != row["revision"]
                    project_changed = base is not None and base[0] is not None  # deleted here since
                else:
                    packet_changed = base is None or base[1] != row["revision"]
                    project_changed = base is None or base[0] != ours.revision
                if ours is not None and (ours.codes, ours.note, ours.rationale, ours.excerpts) == (
                    incoming.codes,
                    incoming.note,
                    incoming.rationale,
                    incoming.excerpts,
                ):
                    result.unchanged += 1
                elif not packet_changed:
                    result.kept += 1
                elif project_changed and ours is None and prefer == "project":
                    result.conflicts.append(f"{label} (both changed: deleted in the project, kept deleted)")
                    result.kept += 1
                    set_aside.append(_copy(label, incoming))
                elif project_changed and prefer == "project":
                    result.conflicts.append(f"{label} (both changed, project kept)")
                    result.kept += 1
                    set_aside.append(_copy(label, incoming))
                else:
                    if project_changed:
                        result.conflicts.append(f"{label} (both changed, packet kept)")
                    save_decision(db, incoming, actor=source)
                    if ours is None:
                        result.added += 1
                    else:
                        result.updated += 1
                now_ours = get_decision(db, *key)
                synced.append((*key, now_ours.revision if now_ours else None, row["revision"]))
            held = {tuple(s[:3]) for s in synced}
            gone = (  # decisions in the packet before and not now: (key, whether the project changed them)
                [
                    ((*k, owner), _state(get_decision(db, *k, owner)) != before)
                    for k, before in since[0].items()
                    if (*k, owner) not in held
                ]
                if since is not None
                else [
                    (key, (d := get_decision(db, *key)) is not None and d.revision != project_rev)
                    for key, (project_rev, packet_rev) in syncs.items()
                    if key not in held and packet_rev is not None and key[0] not in checked["replaced"]
                ]
            )
            if since is not None:  # those the copy never held (made in the history it parted from) stay
                taken = held | {key for key, _ in gone}
                synced += [
                    (*key, d.revision if (d := get_decision(db, *key)) else None, None)
                    for key in syncs
                    if key not in taken
                ]
            for key, changed_here in gone:
                # The packet held this decision at the last sync (or when it parted) and holds it no more:
                # the coder removed it.
                label = ":".join(map(str, key))
                ours = get_decision(db, *key)
                if ours is not None and changed_here and prefer == "project":
                    result.conflicts.append(f"{label} (both changed: deleted in the packet, project kept)")
                    result.kept += 1
                elif ours is not None:
                    if changed_here:
                        result.conflicts.append(
                            f"{label} (both changed: deleted in the packet, deleted here)"
                        )
                    delete_decision(db, *key, actor=source)  # its content stays in the audit log
                    result.deleted += 1
                now_ours = get_decision(db, *key)
                synced.append((*key, now_ours.revision if now_ours else None, None))
            record_syncs(db, packet["packet_id"], synced)
            memo_syncs = get_memo_syncs(db, packet["packet_id"])
            memos_synced = []
            for memo in packet["memos"]:
                if _memo_on(memo) in checked["replaced"]:
                    set_aside.append(
                        {"memo": f"{memo['target_type']}:{memo['target_id']}", "text": memo["text"]}
                    )
                    continue
                # Judged as decisions are: against both sides' texts at the last sync, never by clocks.
                key = (memo["target_type"], memo_target(memo, checked["tids"]))
                ours, theirs = get_memo(db, owner, *key), memo["text"]
                base = memo_syncs.get(key)
                if since is not None:  # judged as the copy's decisions are, against the text when it parted
                    packet_changed = key in since[1]
                    project_changed = packet_changed and ours != since[1][key]
                    deleted_here = ours is None and project_changed
                else:
                    packet_changed = base is None or base[1] != text_sha256(theirs)
                    project_changed = base is None or base[0] != text_sha256(ours)
                    deleted_here = ours is None and base is not None and base[0] is not None
                label = f"memo {key[0]}:{key[1]}:{owner}"
                if ours == theirs or not packet_changed:
                    pass
                elif deleted_here and prefer == "project":
                    result.conflicts.append(f"{label} (both changed: deleted in the project, kept deleted)")
                    set_aside.append({"memo": f"{key[0]}:{key[1]}", "text": theirs})
                elif ours is not None and project_changed and prefer == "project":
                    result.conflicts.append(f"{label} (both changed, project kept)")
                    set_aside.append({"memo": f"{key[0]}:{key[1]}", "text": theirs})
                else:
                    if deleted_here:
                        result.conflicts.append(
                            f"{label} (both changed: deleted in the project, packet kept)"
                        )
                    elif ours is not None and project_changed:
                        result.conflicts.append(f"{label} (both changed, packet kept)")
                    stamps = {
                        k: memo[k] and _not_later_than(memo[k], now) for k in ("created_utc", "updated_utc")
                    }
                    result.memos += upsert_memo(
                        db, {**memo, **stamps, "coder_id": owner}, checked["tids"], actor=source
                    )
                memos_synced.append((*key, text_sha256(get_memo(db, owner, *key)), text_sha256(theirs)))
            held_memos = {tuple(m[:2]) for m in memos_synced}
            memos_gone = (
                [
                    (k, get_memo(db, owner, *k) != before)
                    for k, before in since[1].items()
                    if k not in held_memos
                ]
                if since is not None
                else [
                    (key, text_sha256(get_memo(db, owner, *key)) != project_sha)
                    for key, (project_sha, packet_sha) in memo_syncs.items()
                    if key not in held_memos
                    and packet_sha is not None
                    and _memo_on({"target_type": key[0], "target_id": key[1]}) not in checked["replaced"]
                ]
            )
            if since is not None:
                taken = held_memos | {key for key, _ in memos_gone}
                memos_synced += [
                    (*key, text_sha256(get_memo(db, owner, *key)), None)
                    for key in memo_syncs
                    if key not in taken
                ]
            for key, changed_here in memos_gone:
                # The packet held this memo at the last sync (or when it parted) and holds it no more.
                label = f"memo {key[0]}:{key[1]}:{owner}"
                ours = get_memo(db, owner, *key)
                if ours is not None and changed_here and prefer == "project":
                    result.conflicts.append(f"{label} (both changed: deleted in the packet, project kept)")
                elif ours is not None:
                    if changed_here:
                        result.conflicts.append(
                            f"{label} (both changed: deleted in the packet, deleted here)"
                        )
                    delete_memo(db, owner, *key, actor=source)  # its text stays in the audit log
                    result.memos_deleted += 1
                memos_synced.append((*key, text_sha256(get_memo(db, owner, *key)), None))
            record_memo_syncs(db, packet["packet_id"], memos_synced)
            write_audit(
                db,
                action="merge",
                entity="packet",
                entity_id=path.name,
                actor=actor or source,
                after={
                    "coder": owner,
                    "packet_id": packet["packet_id"],
                    "added": result.added - before[0],
                    "updated": result.updated - before[1],
                    "unchanged": result.unchanged - before[2],
                    "kept": result.kept - before[3],
                    "conflicts": len(result.conflicts) - before[4],
                    "deleted": result.deleted - before[5],
                    **(
                        {"memos_deleted": result.memos_deleted - before[6]}
                        if result.memos_deleted > before[6]
                        else {}
                    ),
                    # The packet's copies the project kept its own over: the coder's work, recoverable here.
                    **({"packet_copies_set_aside": set_aside} if set_aside else {}),
                    # Turns whose role was set since the packet was made, with the packet's work on them.
                    **(
                        {
                            "roles_changed_since_made": {
                                kind: [
                                    {"segment": f"{tid}:{n}", "role_then": then, "role_now": role}
                                    for (tid, n), (then, role) in items
                                ]
                                for kind, items in checked["roles_changed"].items()
                                if items
                            }
                        }
                        if any(checked["roles_changed"].values())
                        else {}
                    ),
                    # Codes split since the packet was made: merged under the old id, to be recoded.
                    **(
                        {"kept_split": {k: n for k, (_, n) in checked["split"].items()}}
                        if checked["split"]
                        else {}
                    ),
                    "prefer": prefer,
                },
            )
            result.packets.append(str(path))
    return result


def _copy(label: str, d: Decision) -> dict:
    """A packet's decision as the merge's audit row keeps it when the project's copy wins."""
    return {"decision": label, "codes": sorted(d.codes), "note": d.note, "decided_utc": d.decided_utc}


def _add_drafts(db: Database, drafts: list[Code], *, actor: str, warnings: list[str]) -> list[str]:
    """Add a packet's draft codes to the active codebook (a new version, audited); return the ids added.

    A draft whose id is already a code is that code (another coder, or the lead, made it meanwhile). One
    whose theme is no longer a theme in the project goes to the top level, with a warning."""
    from .codebook.drafts import create_draft

    added = []
    for code in drafts:
        active = get_active_codebook(db)[1]
        if active.code(code.id) is not None:
            continue
        parent = code.parent if code.parent and active.children(code.parent) else None
        if code.parent and parent is None:
            warnings.append(
                f'draft code "{code.id}" was made under "{code.parent}", which is not a theme in this project; '
                "it was added at the top level."
            )
        create_draft(db, code_id=code.id, name=code.name, parent=parent, actor=actor)
        added.append(code.id)
    return added
