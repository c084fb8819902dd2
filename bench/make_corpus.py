"""Generate a deterministic, study-sized synthetic corpus of interview transcripts for the benches in bench/.

    python bench/make_corpus.py OUT_DIR [--transcripts 120] [--words 10000] [--seed 0]

Files come in the export styles people actually have (.txt with several label styles, .md with front
matter, .docx paragraphs and tables, Teams and Zoom .vtt, .srt) plus a participants.csv. The text is
fictional domain talk with no names, phone numbers, addresses or dates, so the PII gate passes.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable
from pathlib import Path

OPENERS = ["", "", "", "Honestly, ", "I mean, ", "You know, ", "So ", "Well, ", "Um, ", "And ", "But "]
SUBJECTS = [
    "the deputies",
    "our crisis team",
    "the co-responder",
    "the crisis stabilization unit",
    "the jail",
    "follow-up care",
    "dispatch",
    "the emergency room",
    "the mobile crisis team",
    "the family",
    "the night shift",
    "our clinicians",
    "the sheriff's office",
    "patrol",
    "the treatment provider",
    "the case manager",
    "the shelter",
    "the intake nurse",
    "the peer specialist",
    "the agency",
]
VERBS = [
    "gets called out to",
    "struggles with",
    "depends on",
    "ends up handling",
    "refers people to",
    "waits on",
    "pushes back on",
    "keeps running into",
    "tries to avoid",
    "has to deal with",
    "spends hours on",
    "was never trained for",
    "follows up on",
    "worries about",
    "talks a lot about",
]
OBJECTS = [
    "a welfare check",
    "someone in crisis",
    "the admission criteria",
    "a repeat caller",
    "people experiencing homelessness",
    "the training hours",
    "a long transport",
    "an arrest",
    "the medical clearance",
    "a bed at the unit",
    "the paperwork",
    "a mental health hold",
    "the waiting list",
    "the warm handoff",
    "substance use",
    "a suicide risk screening",
    "the resource guide",
    "a civilian response",
    "the booking process",
    "a crisis call",
]
TAILS = [
    ".",
    ".",
    " most nights.",
    " when the beds are full.",
    " out in the rural areas.",
    " if there is no co-responder available.",
    " and that takes hours.",
    " [inaudible] after that.",
    " in the urban districts.",
    " because the unit is so far away.",
    " every single week.",
    ", which is frustrating.",
    " and nobody follows up.",
    " before anything else happens.",
    " and it ties up a unit for the whole shift.",
    ", to be honest.",
    " [crosstalk] yeah.",
]
TOPICS = [
    "crisis calls",
    "the crisis stabilization unit",
    "co-responder teams",
    "jail diversion",
    "rural coverage",
    "follow-up care",
    "homelessness",
    "training",
    "admission policies",
    "repeat contact with the justice system",
    "transport",
    "civilian response options",
]
QUESTIONS = [
    "Can you tell me more about {t}?",
    "How does {t} work where you are?",
    "What happens with {t} on a typical shift?",
    "What would you change about {t}?",
    "And how did that go?",
    "Could you walk me through an example involving {t}?",
    "How do officers and providers see {t} differently?",
    "Is there anything else about {t}?",
]
JURISDICTIONS = ["J1", "J2", "J3", "J4", "J5", "J6"]


def _sentence(rng: random.Random) -> str:
    opener = rng.choice(OPENERS)
    subject = rng.choice(SUBJECTS)
    body = f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
    text = opener + body
    return text[0].upper() + text[1:]


def _answer(rng: random.Random, short: bool = False) -> list[str]:
    """One participant turn: 1-3 paragraphs of 2-8 sentences (short: one paragraph of 3-6 sentences)."""
    if short:
        return [" ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))]
    return [
        " ".join(_sentence(rng) for _ in range(rng.randint(2, 8))) for _ in range(rng.choice([1, 1, 2, 3]))
    ]


def _question(rng: random.Random) -> str:
    return rng.choice(QUESTIONS).format(t=rng.choice(TOPICS))


def _turns(rng: random.Random, words: int, short: bool = False) -> list[tuple[bool, list[str], float]]:
    """(is_interviewer, paragraphs, start_seconds) alternating, until about `words` words."""
    turns, count, clock = [], 0, rng.uniform(2, 10)
    interviewer = True
    while count < words:
        paras = [_question(rng)] if interviewer else _answer(rng, short)
        turns.append((interviewer, paras, clock))
        n = sum(len(p.split()) for p in paras)
        count += n
        clock += n / 2.5 + rng.uniform(0.5, 3)
        interviewer = not interviewer
    return turns


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _ms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


def _vtt_time(seconds: float, sep: str = ".") -> str:
    ms = round(seconds * 1000)
    return (
        f"{ms // 3_600_000:02d}:{ms % 3_600_000 // 60_000:02d}:{ms % 60_000 // 1000:02d}{sep}{ms % 1000:03d}"
    )


def _labels(rng: random.Random, n: int) -> tuple[str, str]:
    return rng.choice(
        [
            ("Interviewer", f"P{n % 99 + 1:02d}"),
            ("I", "R"),
            ("Q", "Participant"),
            ("Interviewer", f"Officer {n % 5 + 1}"),
            ("Moderator", f"Provider {n % 4 + 1}"),
        ]
    )


def _text_lines(turns, style: str, who: tuple[str, str]) -> str:
    out = []
    for is_int, paras, t in turns:
        label = who[0] if is_int else who[1]
        first, rest = paras[0], paras[1:]
        if style == "colon":
            out.append(f"{label}: {first}")
        elif style == "compact":  # one line per turn, no blank lines (Zoom-style text export)
            out.append(f"{label}: {' '.join(paras)}")
            continue
        elif style == "ts_before":
            out.append(f"[{_hms(t)}] {label}: {first}")
        elif style == "ts_after":
            out.append(f"{label} [{_hms(t)}]: {first}")
        elif style == "rev":
            out.append(f"{label} ({_ms(t)}):\n{first}")
        elif style == "otter":
            out.append(f"{label}  {_ms(t)}\n{first}")
        elif style == "bold":
            out.append(f"**{label}:** {first}")
        out.extend(rest)  # unlabeled paragraphs continue the turn
    return ("\n" if style == "compact" else "\n\n").join(out) + "\n"


def _write_txt(path: Path, rng, turns, who, style: str) -> Path:
    path = path.with_suffix(".txt")
    path.write_text(_text_lines(turns, style, who), encoding="utf-8")
    return path


def _write_md(path: Path, rng, turns, who, style: str) -> Path:
    path = path.with_suffix(".md")
    front = f"---\nid: {path.stem}\ninterview_mode: {rng.choice(['video', 'phone', 'in person'])}\n---\n\n"
    path.write_text(front + _text_lines(turns, "bold", who), encoding="utf-8")
    return path


def _write_docx(path: Path, rng, turns, who, style: str) -> Path:
    import docx  # heavy: only when generating .docx

    path = path.with_suffix(".docx")
    document = docx.Document()
    document.add_paragraph("Interview transcript (synthetic)")
    if style == "table":
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
        for is_int, paras, _ in turns:
            cells = table.add_row().cells
            cells[0].text = who[0] if is_int else who[1]
            cells[1].text = "\n".join(paras)
    else:
        for is_int, paras, _ in turns:
            document.add_paragraph(f"{who[0] if is_int else who[1]}: {paras[0]}")
            for p in paras[1:]:
                document.add_paragraph(p)
    document.save(str(path))
    return path


def _cues(turns, rng) -> list[tuple[float, float, bool, str]]:
    """Split each turn into caption cues of about 12 words (start, end, is_interviewer, text)."""
    cues = []
    for is_int, paras, t in turns:
        words = " ".join(paras).split()
        for i in range(0, len(words), 12):
            chunk = words[i : i + 12]
            cues.append((t, t + len(chunk) / 2.5, is_int, " ".join(chunk)))
            t += len(chunk) / 2.5
    return cues


def _write_vtt(path: Path, rng, turns, who, style: str) -> Path:
    path = path.with_suffix(".vtt")
    out = ["WEBVTT", ""]
    for i, (start, end, is_int, text) in enumerate(_cues(turns, rng), 1):
        label = who[0] if is_int else who[1]
        body = f"<v {label}>{text}</v>" if style == "teams" else f"{label}: {text}"
        out += [str(i), f"{_vtt_time(start)} --> {_vtt_time(end)}", body, ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _write_srt(path: Path, rng, turns, who, style: str) -> Path:
    path = path.with_suffix(".srt")
    out = []
    for i, (start, end, is_int, text) in enumerate(_cues(turns, rng), 1):
        label = who[0] if is_int else who[1]
        out += [str(i), f"{_vtt_time(start, ',')} --> {_vtt_time(end, ',')}", f"{label}: {text}", ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# (writer, style): cycled over the transcripts so every style is present in the corpus.
FORMATS: list[tuple[Callable, str]] = [
    (_write_txt, "colon"),
    (_write_docx, "paragraphs"),
    (_write_vtt, "teams"),
    (_write_md, "bold"),
    (_write_txt, "ts_before"),
    (_write_txt, "rev"),
    (_write_docx, "table"),
    (_write_vtt, "zoom"),
    (_write_txt, "otter"),
    (_write_txt, "ts_after"),
    (_write_txt, "compact"),
    (_write_srt, "srt"),
]


def generate_corpus(
    out_dir: Path, *, transcripts: int = 120, words: int = 10_000, seed: int = 0, short_answers: bool = False
) -> list[Path]:
    """Write `transcripts` synthetic interviews of about `words` words each, plus participants.csv.

    Returns the transcript paths (not the CSV), in id order. Same seed, same bytes (except .docx zip times).
    short_answers: one-paragraph answers of 3-7 sentences, so about 155 participant turns per interview
    (bench/scale.py: 18,000 turns, 54,000 decisions of three coders at 120 interviews).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths, rows = [], []
    for n in range(1, transcripts + 1):
        tid = f"t{n:03d}"
        writer, style = FORMATS[(n - 1) % len(FORMATS)]
        who = _labels(rng, n)
        paths.append(writer(out_dir / tid, rng, _turns(rng, words, short_answers), who, style))
        rows.append(
            {
                "id": tid,
                "role": rng.choice(["officer", "provider"]),
                "jurisdiction": rng.choice(JURISDICTIONS),
                "setting": rng.choice(["rural", "urban"]),
                "years_experience": str(rng.randint(1, 30)),
            }
        )
    with open(out_dir / "participants.csv", "w", newline="", encoding="utf-8") as f:
        writer_ = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer_.writeheader()
        writer_.writerows(rows)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--transcripts", type=int, default=120)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate_corpus(args.out_dir, transcripts=args.transcripts, words=args.words, seed=args.seed)
    print(f"Wrote {len(paths)} transcripts and participants.csv to {args.out_dir}")


if __name__ == "__main__":
    main()
