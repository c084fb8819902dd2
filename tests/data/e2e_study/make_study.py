"""Writes the fictional end-to-end study (see README.md): python make_study.py OUT_FOLDER."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dialog import D

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def times(turns, start=4, wps=2.6):
    t = start
    res = []
    for sp, tx in turns:
        n = len(tx.split())
        res.append((sp, tx, t, t + n / wps))
        t += n / wps + 1.3
    return res


def mmss(t):
    return f"{int(t) // 60}:{int(t) % 60:02d}"


def hms(t, ms=True):
    h = int(t) // 3600
    m = int(t) % 3600 // 60
    s = t % 60
    return f"{h:02d}:{m:02d}:{s:06.3f}" if ms else f"{h:02d}:{m:02d}:{int(s):02d}"


# P01 Otter, Speaker 1 / Speaker 2; a repeated speaker becomes a continuation paragraph
lines = [
    "P01 ride-along debrief (fictional)",
    "Tue, 2/6 10:15AM \u2022 24:31",
    "",
    "SUMMARY KEYWORDS",
    "deputy, crisis unit, er, medically cleared, mobile crisis, east side, follow up",
    "",
    "SPEAKERS",
    "Speaker 1, Speaker 2",
    "",
]
prev = None
for sp, tx, s, e in times(D["P01"]):
    if sp == prev:
        lines += [tx, ""]
    else:
        lines += [f"{'Speaker 1' if sp == 'I' else 'Speaker 2'}  {mmss(s)}  ", tx, ""]
    prev = sp
lines += ["", "Transcribed by https://otter.ai", ""]
(out / "P01.txt").write_text("\n".join(lines))

# P02 Otter, named interviewer
lines = [
    "CSU clinician interview P02 (fictional)",
    "Mon, 2/12 2:03PM \u2022 31:08",
    "",
    "SUMMARY KEYWORDS",
    "unit, admission, intoxicated, officers, beds, discharge, peer",
    "",
    "SPEAKERS",
    "Lena Marsh, P02",
    "",
]
for sp, tx, s, e in times(D["P02"], 3):
    lines += [f"{'Lena Marsh' if sp == 'I' else 'P02'}  {mmss(s)}  ", tx, ""]
lines += ["", "Transcribed by https://otter.ai", ""]
(out / "P02.txt").write_text("\n".join(lines))


def split_cues(tx, maxw=18):
    # Zoom and Teams break a long utterance into cues at sentence ends or every ~18 words
    words = tx.split()
    cues = []
    cur = []
    for w in words:
        cur.append(w)
        if len(cur) >= maxw or (len(cur) >= 8 and w.endswith((".", "?"))):
            cues.append(" ".join(cur))
            cur = []
    if cur:
        cues.append(" ".join(cur))
    return cues


def zoom(pid, names):
    lines = ["WEBVTT", ""]
    n = 0
    for sp, tx, s, e in times(D[pid], 2):
        cues = split_cues(tx)
        step = (e - s) / len(cues)
        for i, c in enumerate(cues):
            n += 1
            lines += [str(n), f"{hms(s + i * step)} --> {hms(s + (i + 1) * step)}", f"{names[sp]}: {c}", ""]
    (out / f"{pid}.vtt").write_text("\n".join(lines))


zoom("P03", {"I": "Lena Marsh", "P": "P03", "N": "Sam Okoye"})
zoom("P04", {"I": "Interviewer", "P": "P04"})

# P05 Teams: <v Surname, First>, cue ids
lines = ["WEBVTT", ""]
k = 0
for sp, tx, s, e in times(D["P05"], 1):
    cues = split_cues(tx, 14)
    step = (e - s) / len(cues)
    for i, c in enumerate(cues):
        k += 1
        who = "Marsh, Lena" if sp == "I" else "Brandt, Tom"
        lines += [
            f"3f9a1c2e-77b0-4d1e-9a53-0c6e2b1d{k:04d}/{k * 7 % 100}-0",
            f"{hms(s + i * step)} --> {hms(s + (i + 1) * step)}",
            f"<v {who}>{c}</v>",
            "",
        ]
(out / "P05.vtt").write_text("\n".join(lines))

# P07 plain txt
lines = []
for sp, tx in D["P07"]:
    lines += [f"{'Interviewer' if sp == 'I' else 'P07'}: {tx}", ""]
(out / "P07.txt").write_text("\n".join(lines))

# P08 markdown with front matter
lines = [
    "---",
    "id: P08",
    "title: CSU manager interview",
    "date: 2024-03-01",
    "interviewer: WEI team",
    "---",
    "",
    "# P08: CSU manager (fictional)",
    "",
]
for sp, tx in D["P08"]:
    lines += [f"**{'Interviewer' if sp == 'I' else 'P08'}:** {tx}", ""]
(out / "P08.md").write_text("\n".join(lines))

# P06 Rev-style docx: title, then "Name (mm:ss):" in bold alone, text paragraph below
import docx

d = docx.Document()
d.add_paragraph("P06 co-responder interview (fictional)")
d.add_paragraph("Transcript by Rev.com")
for sp, tx, s, e in times(D["P06"], 5):
    p = d.add_paragraph()
    r = p.add_run(f"{'Interviewer' if sp == 'I' else 'P06'} ({mmss(s)}):")
    r.bold = True
    d.add_paragraph(tx)
d.save(out / "P06.docx")

(out / "participants.csv").write_text(
    "id,role,setting,jurisdiction\nP01,officer,rural,Jurisdiction A\nP02,provider,urban,Jurisdiction B\n"
    "P03,officer,urban,Jurisdiction C\nP04,provider,rural,Jurisdiction D\nP05,officer,urban,Jurisdiction B\n"
    "P06,provider,urban,Jurisdiction C\nP07,officer,rural,Jurisdiction D\nP08,provider,rural,Jurisdiction A\n"
)
