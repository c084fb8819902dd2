"""Coder packets: a self-contained project file per coder, and merging their work back."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils loads numpy/pandas: keep it out of `wei-qual --help`
    from sqlite_utils import Database

from .errors import WeiQualError
from .models import Decision
from .store import get_setting, now_utc, open_db, save_setting, transaction, write_audit
from .store.assignments import assigned_transcripts
from .store.codebooks import get_active_codebook, iter_codebook_versions
from .store.decisions import get_decision, save_decision
from .store.packets import copy_packet, make_self_contained, read_packet, upsert_memo
from .store.transcripts import transcript_ids_by_sha256


def make_packet(db: Database, coder: str, out: Path) -> dict:
    """Write `coder`'s packet to `out` (which must not exist) and return what it holds.

    Written to a temporary file and renamed, so a failure leaves nothing behind. Raises WeiQualError.
    """
    out = Path(out)
    if out.exists():
        raise WeiQualError(f'"{out}" already exists. Choose another -o, or delete the old packet first.')
    transcript_ids = assigned_transcripts(db, coder)
    if not transcript_ids:
        raise WeiQualError(
            f'Coder "{coder}" has no assigned transcripts. Assign them with "wei-qual assign --coders ...".'
        )
    if get_active_codebook(db) is None:
        raise WeiQualError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.unlink(missing_ok=True)
    target = open_db(tmp)
    try:
        with transaction(target):
            counts = copy_packet(db, target, coder=coder, transcript_ids=transcript_ids)
        make_self_contained(target)
        target.close()
        os.replace(tmp, out)
    except BaseException:
        target.close()
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return counts


@dataclass
class MergeResult:
    packets: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # the lead's copy was newer and the packet's was not edited
    memos: int = 0
    conflicts: list[str] = field(default_factory=list)  # "p01:12:alice (packet newer)" ...


def _check_packet(db: Database, path: Path, packet: dict) -> dict[str, str]:
    """Refuse a packet that does not belong here; return {packet transcript id: our id}."""
    if packet["project_id"] != get_setting(db, "project_id"):
        raise WeiQualError(
            f'"{path}" is a packet from another project. Merge it into the project it was made from.'
        )
    ours = transcript_ids_by_sha256(db)
    missing = [t["id"] for t in packet["transcripts"] if t["sha256"] not in ours]
    if missing:
        raise WeiQualError(
            f'"{path}": transcript "{missing[0]}" is not in this project (matched by content). '
            "Ingest the same file here first."
        )
    active = get_active_codebook(db)
    if active is None:
        raise WeiQualError('No codebook is loaded. Load one with "wei-qual codebook load FILE".')
    packet_cb = packet["codebook"]
    active_sha = next(v["sha256"] for v in iter_codebook_versions(db) if v["active"])
    if packet_cb and packet_cb["sha256"] != active_sha:
        known = {c.id for c in active[1].codes}
        used = {code for d in packet["decisions"] for code in d["codes"]}
        unknown = sorted(used - known)
        if unknown:
            raise WeiQualError(
                f'"{path}" was coded with codebook version "{packet_cb["label"]}", which is not the active one, '
                f"and uses codes not in the active codebook: {', '.join(unknown)}. "
                'Load the packet\'s codebook version with "wei-qual codebook load", then merge again.'
            )
    return {t["id"]: ours[t["sha256"]] for t in packet["transcripts"]}


def merge_packets(db: Database, paths: list[Path], *, actor: str | None = None) -> MergeResult:
    """Merge coders' decisions and memos from packets: all packets or nothing. Raises WeiQualError.

    A decision edited only in the packet since it was made replaces the lead's; edited in both places,
    the newer wins and the conflict is listed; re-merging the same packet changes nothing.
    """
    packets = []
    for path in paths:
        if not Path(path).is_file():
            raise WeiQualError(f'"{path}" does not exist. Check the packet path.')
        packet = read_packet(Path(path))
        packets.append((Path(path), packet, _check_packet(db, Path(path), packet)))
    versions = {v["sha256"]: v["id"] for v in iter_codebook_versions(db)}
    result = MergeResult()
    with transaction(db):
        for path, packet, tid_map in packets:
            before = (result.added, result.updated, result.unchanged, len(result.conflicts))
            # Edits are judged against the last sync with this packet: its creation or its last merge.
            synced_key = f"merged:{packet['packet_id']}"
            synced = max(packet["created_utc"], get_setting(db, synced_key) or "")
            sha_to_tid = {t["sha256"]: tid_map[t["id"]] for t in packet["transcripts"]}
            for row in packet["decisions"]:
                incoming = Decision(
                    transcript=sha_to_tid[row["sha256"]],
                    segment=row["n"],
                    coder=row["coder_id"],
                    codes=frozenset(row["codes"]),
                    note=row["note"] or "",
                    rationale=row["rationale"] or "",
                    accepted=frozenset(row["accepted"]),
                    shown=frozenset(row["shown"]),
                    codebook_version=versions.get(row["codebook_sha"]),
                    decided_utc=row["decided_utc"],
                )
                ours = get_decision(db, incoming.transcript, incoming.segment, incoming.coder)
                key = f"{incoming.transcript}:{incoming.segment}:{incoming.coder}"
                if ours is None:
                    save_decision(db, incoming, actor=actor or incoming.coder)
                    result.added += 1
                elif (ours.codes, ours.note, ours.rationale) == (
                    incoming.codes,
                    incoming.note,
                    incoming.rationale,
                ):
                    result.unchanged += 1
                else:
                    packet_edited = incoming.decided_utc > synced
                    lead_edited = (ours.decided_utc or "") > synced
                    if packet_edited and lead_edited:
                        packet_newer = incoming.decided_utc > ours.decided_utc
                        result.conflicts.append(
                            f"{key} ({'packet' if packet_newer else 'project'} newer, kept)"
                        )
                        if not packet_newer:
                            result.kept += 1
                            continue
                    elif not packet_edited:
                        result.kept += 1
                        continue
                    save_decision(db, incoming, actor=actor or incoming.coder)
                    result.updated += 1
            for memo in packet["memos"]:
                result.memos += upsert_memo(db, memo, tid_map)
            write_audit(
                db,
                action="merge",
                entity="packet",
                entity_id=path.name,
                actor=actor,
                after={
                    "coder": packet["coder"],
                    "added": result.added - before[0],
                    "updated": result.updated - before[1],
                    "unchanged": result.unchanged - before[2],
                    "conflicts": len(result.conflicts) - before[3],
                },
            )
            save_setting(db, synced_key, now_utc())
            result.packets.append(str(path))
    return result
