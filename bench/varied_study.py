"""A generated study whose codes are expressed in varied wording, not only through the codebook's keywords.

build_varied_project(db_path) writes fictional interviews coded with 12 codes of the starter codebook
(codebooks/wei_crisis_response.yaml, loaded as it is, keywords and patterns included). Each time a
participant raises a code, it is said either with one of the codebook's keywords (KEYWORD_SHARE of the
time) or in other words that no keyword or pattern of that code matches ("the stabilization place kept
her"). Some segments mention a keyword where the code does not apply (a decoy: "I worked in the ER years
ago"). Three coders code every participant segment from the truth with code-dependent misses and rare
false alarms; `--source majority` is the team's answer. Two codes are rare, so the learned model has few
examples of them.

Everything is fictional: no real people, places or agencies.

    python bench/varied_study.py /tmp/varied.db
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wei_qual.models import INTERVIEWER, PARTICIPANT, Segment, Transcript
from wei_qual.store import now_utc, open_db, transaction
from wei_qual.store.decisions import ensure_coder
from wei_qual.store.transcripts import save_transcript

CODEBOOK = ROOT / "codebooks" / "wei_crisis_response.yaml"
KEYWORD_SHARE = 0.35  # share of mentions that use a codebook keyword; the rest are in other words
CODERS = ("alice", "bob", "carol")

# code -> (prevalence per segment, sentences with a keyword, sentences in other words).
# "{who}", "{place}" and "{when}" are filled from the lists below, so no two transcripts say it alike.
CODES: dict[str, tuple[float, list[str], list[str]]] = {
    "csu-admission": (
        0.12,
        [
            "We took {who} to the crisis stabilization unit and they took {who} right away.",
            "The CSU said yes on the phone, so we drove straight over.",
            "Their intake nurse asked a few questions and then {who} was in.",
        ],
        [
            "The stabilization place kept {who} {when}, no questions asked.",
            "We dropped {who} with the clinic staff and they gave {who} a room.",
            "The nurse on the phone said bring {who} over, and they accepted {who} within ten minutes.",
            "Once the counselor at the front desk cleared {who}, the walk-in center kept {who} overnight.",
            "That place on {place} took {who} in without any fuss {when}.",
            "They had a chair open at the stabilization center, so that is where {who} went.",
        ],
    ),
    "csu-excluded-intoxication": (
        0.06,
        [
            "They said {who} had to be medically cleared first because {who} was drunk.",
            "{who} was intoxicated, so the unit sent us away.",
        ],
        [
            "{who} had been on a bender and the stabilization place would not touch that.",
            "Because of the alcohol on {who}'s breath they sent us somewhere else.",
            "They wanted {who} sober before they would even talk to us.",
            "If somebody smells like beer, the center on {place} says no.",
            "They made us get a nurse to sign off on {who}'s liver first.",
        ],
    ),
    "jail-fallback": (
        0.08,
        [
            "In the end {who} went to jail, which is not where {who} belonged.",
            "We booked {who} on a small charge so {who} would be somewhere safe.",
        ],
        [
            "{who} spent the night in a cell because nothing else was open.",
            "The only door open {when} was the lockup.",
            "We wrote {who} up for a petty charge just so {who} had a roof for the night.",
            "The holding facility on {place} was the only place that would take {who}.",
            "A cell is not treatment, but {when} it was all we had.",
        ],
    ),
    "ed-holding": (
        0.08,
        [
            "We sat in the ER for nine hours waiting on a psych bed.",
            "{who} was stuck in the emergency room overnight.",
        ],
        [
            "The hospital kept {who} in a hallway for most of a day.",
            "I babysat {who} at the medical center until the end of my shift.",
            "We waited at the hospital so long I watched the sun come up.",
            "The trauma bay nurses let {who} sit on a gurney by the nurses' station {when}.",
            "Nobody at the hospital could tell us where {who} would end up.",
        ],
    ),
    "repeat-contact": (
        0.08,
        [
            "We see the same people over and over.",
            "{who} is one of our repeat callers; we know {who} well.",
        ],
        [
            "We have picked {who} up more times this year than I like.",
            "Everyone on the night crew knows {who} by name.",
            "It was our third trip to that address this month.",
            "Give it two weeks and we'll get the call about {who} again.",
            "{who} has been through our doors more times than I can count.",
        ],
    ),
    "co-responder": (
        0.1,
        [
            "Our co-responder rides with me three days a week.",
            "Having a clinician embedded with the unit changed things.",
        ],
        [
            "A counselor sits in the passenger seat of my cruiser now.",
            "The social worker came out with me on the call {when}.",
            "We pair a deputy with someone from behavioral health on the day shift.",
            "She is a therapist, and she goes on calls with our patrol officers.",
            "When the mental-health partner is on duty, I let her do the talking.",
        ],
    ),
    "home-followup": (
        0.08,
        [
            "The clinic did a follow-up call the week after.",
            "Their case manager called {who} the next day.",
        ],
        [
            "A week later someone stopped by {who}'s place to see how {who} was doing.",
            "Nobody reached out to {who} afterward, not once.",
            "The peer worker went by the apartment on {place} a few days later.",
            "We swung by on our next shift just to see if {who} was alright.",
            "After the call, no one from any agency came back around.",
        ],
    ),
    "rural-distance": (
        0.08,
        [
            "The nearest unit is two hours away.",
            "Transport eats up my whole shift out here.",
        ],
        [
            "Out here the closest psych facility is three counties over.",
            "By the time you get {who} to a bed and come back it's dark.",
            "The road to the city is long, and I'm the only car in the area while I'm gone.",
            "It is a long haul on county roads to anywhere that can help.",
            "We're so far out that getting {who} anywhere takes half the night.",
        ],
    ),
    "staffing-coverage": (
        0.07,
        [
            "We're understaffed on nights, badly.",
            "There are two of us covering the north end.",
        ],
        [
            "Half the slots on our roster sit empty.",
            "We cannot keep nurses; they leave for the hospital pay.",
            "On a Sunday night it's me and a sergeant for the whole area.",
            "Nobody wants these jobs anymore, so the same few of us carry it.",
            "If I take a call like that, there is nobody else on the road.",
        ],
    ),
    "cit-training": (
        0.06,
        [
            "The CIT course changed how I talk to people.",
            "Our crisis intervention training is a week long.",
        ],
        [
            "The week they put us through taught me to slow down.",
            "In that class they showed us how to talk somebody down.",
            "The academy course on mental illness was worth every minute.",
            "The actors in the class played people in crisis, and it felt real.",
        ],
    ),
    # Rare codes: the model sees few examples.
    "wellbeing-burnout": (
        0.015,
        [
            "Honestly I'm burned out.",
            "The burnout in this job is real.",
        ],
        [
            "Some nights I get home and I've got nothing left.",
            "I used to care more; now I just get through it.",
            "After years of these calls I'm running on empty.",
        ],
    ),
    "homelessness": (
        0.015,
        [
            "{who} is homeless and sleeps by the river.",
            "The shelter was full, so {who} was back outside.",
        ],
        [
            "{who} has been sleeping behind the grocery store since spring.",
            "{who} doesn't have an address; {who} lives out of a tent.",
            "No roof, no phone, nowhere to send a letter.",
        ],
    ),
}

# A keyword where the code does not apply.
DECOYS = {
    "ed-holding": "I worked in the ER years ago, before I joined.",
    "jail-fallback": "We drove past the jail, but {who} went home with family.",
    "cit-training": "There was a training on the new radios that week.",
    "rural-distance": "I like the drive in to work, it clears my head.",
    "co-responder": "My cousin went on a ride along with the city police once.",
    "repeat-contact": "Let me repeat the question to make sure I have it.",
}
DECOY_RATE = 0.05

FILLERS = [
    "It was a {when} call, I think.",
    "That's how it usually goes.",
    "I'd have to check my notes on that.",
    "The weather was bad that week.",
    "We wrote it up afterward.",
    "The radio was busy the whole time.",
    "You learn a lot on this job.",
    "My partner handled most of the paperwork.",
    "It was a pretty ordinary night otherwise.",
    "I remember the dog barking the whole time.",
]
WHO = ["him", "her", "them"]
PLACES = ["Fifth Street", "Mill Road", "the east side", "Oak Avenue", "the old depot"]
WHEN = ["Tuesday", "late-night", "weekend", "morning", "holiday"]

QUESTIONS = [
    "Can you tell me about a recent call?",
    "What happened after that?",
    "How does that usually work for you?",
    "Anything else about that?",
]


def _fill(template: str, rng: random.Random) -> str:
    text = template.format(who=rng.choice(WHO), place=rng.choice(PLACES), when=rng.choice(WHEN))
    return text[0].upper() + text[1:]


def _participant_turn(rng: random.Random) -> tuple[str, set[str]]:
    """One participant segment and the codes it truly raises."""
    sentences: list[str] = []
    truth: set[str] = set()
    for code, (prevalence, keyword, varied) in CODES.items():
        if rng.random() < prevalence:
            pool = keyword if rng.random() < KEYWORD_SHARE else varied
            sentences.append(_fill(rng.choice(pool), rng))
            truth.add(code)
    for code, decoy in DECOYS.items():
        if code not in truth and rng.random() < DECOY_RATE:
            sentences.append(_fill(decoy, rng))
    for _ in range(rng.randint(0 if sentences else 1, 2)):
        sentences.append(_fill(rng.choice(FILLERS), rng))
    rng.shuffle(sentences)
    return " ".join(sentences), truth


def _transcript(index: int, segments: int, rng: random.Random) -> tuple[Transcript, list[set[str]]]:
    tid = f"V{index:03d}"
    turns, truths = [], []
    for _ in range(segments):
        turns.append((INTERVIEWER, "Interviewer", rng.choice(QUESTIONS)))
        text, truth = _participant_turn(rng)
        turns.append((PARTICIPANT, f"P{index:03d}", text))
        truths.append(truth)
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
        "setting": "rural" if index % 3 else "urban",
    }
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Transcript(tid, f"{tid}.txt", "txt", sha, text, tuple(segs), attributes), truths


def build_varied_project(
    db_path: Path | str, *, transcripts: int = 60, segments: int = 40, seed: int = 0
) -> dict:
    """Create the project at db_path (must not exist) and return a summary dict."""
    from wei_qual.codebook import load_into_project

    rng = random.Random(seed)
    db = open_db(db_path)
    load_into_project(db, CODEBOOK)
    miss = {code: rng.uniform(0.03, 0.15) for code in CODES}  # each coder's chance to miss a mention
    stamp, rows, positives = now_utc(), [], dict.fromkeys(CODES, 0)
    with transaction(db):
        for name in CODERS:
            ensure_coder(db, name)
        for i in range(1, transcripts + 1):
            transcript, truths = _transcript(i, segments, rng)
            save_transcript(db, transcript)
            ids = {
                r["n"]: r["id"]
                for r in db.query("SELECT id, n FROM segments WHERE transcript_id = ?", [transcript.id])
            }
            participant = [s.n for s in transcript.segments if s.role == PARTICIPANT]
            for n, truth in zip(participant, truths):
                for code in truth:
                    positives[code] += 1
                for name in CODERS:
                    # sorted: set order changes with the hash seed, and the draws must not
                    chosen = {c for c in sorted(truth) if rng.random() > miss[c]}
                    if rng.random() < 0.01:  # a rare false alarm
                        chosen.add(rng.choice(list(CODES)))
                    rows.append((ids[n], name, json.dumps(sorted(chosen)), stamp))
        db.conn.executemany(
            "INSERT INTO decisions (segment_id, coder_id, codes, note, rationale, codebook_id, accepted, "
            "shown, decided_utc) VALUES (?, ?, ?, '', '', (SELECT id FROM codebooks WHERE active = 1), "
            "'[]', '[]', ?)",
            rows,
        )
    db.close()
    return {
        "transcripts": transcripts,
        "participant_segments": transcripts * segments,
        "codes": len(CODES),
        "true_mentions": positives,
        "keyword_share": KEYWORD_SHARE,
        "coders": list(CODERS),
    }


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wei-qual-varied.db")
    if target.exists():
        sys.exit(f"{target} exists; remove it first.")
    print(build_varied_project(target))
