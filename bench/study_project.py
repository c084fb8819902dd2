"""A synthetic study-sized project for benchmarks (shared by the benches).

build_study_project(db_path) writes 120 fictional transcripts with ~150 participant segments each
(interviewer questions interleaved), a 40-code codebook (8 themes x 5 codes, one exclusive group),
participant attributes (role, setting, jurisdiction) and 3 coders' decisions whose agreement depends on
the code (some codes easy, some hard, a few rare), all in one transaction.

    python bench/study_project.py /tmp/study.db
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import yaml

from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Segment, Transcript
from wei_qual.store import now_utc, open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import ensure_coder
from wei_qual.store.transcripts import save_transcript

THEMES = ["csu", "co-responder", "access", "rural", "follow-up", "repeat-contact", "training", "setting-type"]
EXCLUSIVE_THEME = "setting-type"  # its children are mutually exclusive
CODER_NAMES = ["alice", "bob", "carol", "dana", "eli", "fay"]
WORDS = [
    "the",
    "unit",
    "officer",
    "call",
    "crisis",
    "team",
    "clinician",
    "night",
    "county",
    "we",
    "they",
    "took",
    "him",
    "her",
    "jail",
    "hospital",
    "bed",
    "wait",
    "hours",
    "rural",
    "urban",
    "drive",
    "follow",
    "up",
    "again",
    "referral",
    "shift",
    "supervisor",
    "family",
    "training",
]


def study_codebook(codes: int = 40) -> Codebook:
    """8 themes with codes // 8 children each (a keyword each); the last theme is an exclusive group."""
    per_theme = max(1, codes // len(THEMES))
    items: list[Code] = []
    for theme in THEMES:
        items.append(
            Code(
                id=theme,
                name=theme.replace("-", " ").title(),
                exclusive=theme == EXCLUSIVE_THEME,
                definition=f"Talk about {theme}.",
            )
        )
        for k in range(1, per_theme + 1):
            i = len(items)  # a two-word keyword per code, as a study's codebook has: about 1% of turns match
            phrase = f"{WORDS[(7 * i) % len(WORDS)]} {WORDS[(11 * i + 3) % len(WORDS)]}"
            items.append(
                Code(
                    id=f"{theme}-{k}",
                    name=f"{theme} {k}",
                    parent=theme,
                    definition=f"Aspect {k} of {theme}.",
                    keywords=(phrase,),
                )
            )
    return Codebook(
        name="Synthetic study codebook",
        version="1.0",
        description="Fictional benchmark codebook.",
        codes=tuple(items),
    )


def _yaml(codebook: Codebook) -> str:
    tree = []
    for code in codebook.codes:
        if code.parent is None:
            node = {"id": code.id, "name": code.name, "definition": code.definition, "children": []}
            if code.exclusive:
                node["exclusive"] = True
            tree.append(node)
        else:
            child = {"id": code.id, "name": code.name, "definition": code.definition}
            if code.keywords:
                child["keywords"] = list(code.keywords)
            tree[-1]["children"].append(child)
    return yaml.safe_dump(
        {
            "name": codebook.name,
            "version": codebook.version,
            "description": codebook.description,
            "codes": tree,
        },
        sort_keys=False,
    )


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def _transcript(index: int, segments: int, rng: random.Random) -> Transcript:
    tid = f"S{index:03d}"
    turns = []
    for k in range(segments):
        turns.append((INTERVIEWER, "Interviewer", "Can you tell me more about that?"))
        turns.append((PARTICIPANT, f"P{index:03d}", _sentence(rng)))
    text, segs, pos = "", [], 0
    for n, (role, speaker, body) in enumerate(turns, start=1):
        if n > 1:
            text += "\n\n"
            pos += 2
        segs.append(Segment(n, speaker, role, body, pos, pos + len(body)))
        text += body
        pos += len(body)
    attributes = {
        "role": "officer" if index % 2 else "provider",
        "setting": "rural" if index % 3 == 0 else "urban",
        "jurisdiction": f"J{index % 6 + 1}",
    }
    return Transcript(
        tid, f"{tid}.txt", "txt", hashlib.sha256(text.encode()).hexdigest(), text, tuple(segs), attributes
    )


def build_study_project(
    db_path: Path | str,
    *,
    transcripts: int = 120,
    segments: int = 150,
    codes: int = 40,
    coders: int = 3,
    seed: int = 0,
) -> dict:
    """Create the project at db_path (must not exist) and return a summary dict."""
    rng = random.Random(seed)
    db = open_db(db_path)
    codebook = study_codebook(codes)
    names = CODER_NAMES[:coders] if coders <= len(CODER_NAMES) else [f"coder{i + 1}" for i in range(coders)]
    leaves = [c for c in codebook.codes if c.parent is not None]
    free = [c.id for c in leaves if c.parent != EXCLUSIVE_THEME]
    exclusive = [c.id for c in leaves if c.parent == EXCLUSIVE_THEME]
    # Code-dependent difficulty: prevalence 0.5%-15%, each coder's hit rate 55%-98%, false alarms 0.2%-3%.
    prevalence = {c: rng.choice([0.005, 0.02, 0.05, 0.1, 0.15]) for c in free}
    hit = {c: rng.uniform(0.55, 0.98) for c in free}
    false_alarm = {c: rng.uniform(0.002, 0.03) for c in free}
    with transaction(db):
        version = save_codebook_version(db, codebook, _yaml(codebook))
        for i in range(1, transcripts + 1):
            save_transcript(db, _transcript(i, segments, rng))
        for name in names:
            ensure_coder(db, name)
        seg_ids = [
            r["id"] for r in db.query("SELECT id FROM segments WHERE role = ? ORDER BY id", [PARTICIPANT])
        ]
        stamp = now_utc()
        rows = []
        for seg_id in seg_ids:
            truth = {c for c in free if rng.random() < prevalence[c]}
            true_setting = rng.choice(exclusive + [None] * len(exclusive))
            for name in names:
                if name == names[-1] and rng.random() < 0.05:
                    continue  # the last coder skipped 5% of segments: missing data
                chosen = {
                    c
                    for c in free
                    if (c in truth and rng.random() < hit[c])
                    or (c not in truth and rng.random() < false_alarm[c])
                }
                setting = true_setting if rng.random() < 0.85 else rng.choice(exclusive + [None])
                if setting:
                    chosen.add(setting)
                rows.append((seg_id, name, json.dumps(sorted(chosen)), "", "", version, "[]", "[]", stamp))
        db.conn.executemany(
            "INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id, accepted, shown, "
            "decided_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    summary = {
        "transcripts": transcripts,
        "participant_segments": len(seg_ids),
        "codes": len(leaves),
        "coders": names,
        "decisions": len(rows),
    }
    db.close()
    return summary


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wei-qual-study.db")
    if target.exists():
        sys.exit(f"{target} exists; remove it first.")
    print(build_study_project(target))
