"""Someone who is neither interviewer nor participant (the dispatcher on the radio, a colleague at the
door), set with `transcripts roles ID --other NAME`: kept and shown in context, never coded, never a unit
of agreement, never counted as a participant; carried through a .qdpx. Each file as the team's tools
export it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from test_roles_heard_once import AT_THE_DOOR, RADIO

from wei_qual.cli import app

CODEBOOK = Path(__file__).parent.parent / "codebooks" / "minimal.yaml"

# Zoom's captions name the speaker of every cue; a colleague puts their head round the door once.
ZOOM_DOOR = """\
WEBVTT

1
00:00:02.000 --> 00:00:06.000
Interviewer: Thanks for joining. How long have you worked at the crisis unit?

2
00:00:07.000 --> 00:00:12.000
P81: About six years now, the last two as charge nurse on nights.

3
00:00:13.000 --> 00:00:16.000
Interviewer: How do officers usually bring people in?

4
00:00:17.000 --> 00:00:24.000
P81: Usually through the side door. They call ahead and we meet them in the sally port.

5
00:00:25.000 --> 00:00:27.000
Tom: Hey, the lab just called about bed four.

6
00:00:28.000 --> 00:00:34.000
P81: Sorry about that. So yes, they call ahead and we get the intake started before they arrive.

7
00:00:35.000 --> 00:00:38.000
Interviewer: What happens when you have no beds?

8
00:00:39.000 --> 00:00:45.000
P81: Then we tell them to go to the ER, and nobody likes that, least of all the officers.
"""


def _run(runner, db, *args, code=0):
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == code, result.stderr
    return result


def _ingest(runner, tmp_path, name, content, db=None):
    path = tmp_path / name
    if isinstance(content, list):
        path.write_text("\n\n".join(f"{speaker}: {text}" for speaker, text in content) + "\n")
    else:
        path.write_text(content)
    db = db or tmp_path / "project.db"
    result = _run(runner, db, "ingest", str(path), "--allow-pii", "--format", "json")
    (outcome,) = json.loads(result.stdout)["outcomes"]
    return outcome, " ".join(result.stderr.split()), db


def _row(runner, db, tid):
    rows = json.loads(_run(runner, db, "transcripts", "list", "--format", "json").stdout)
    return next(r for r in rows if r["id"] == tid)


def _roles(runner, db, tid):
    shown = json.loads(_run(runner, db, "transcripts", "roles", tid, "-f", "json").stdout)
    return shown["roles"], {s["label"]: s["role"] for s in shown["speakers"]}


def test_the_radio_is_settled_as_another_speaker_neither_counted_nor_remembered(runner, tmp_path):
    _, stderr, db = _ingest(runner, tmp_path, "P71.txt", RADIO)
    # The warning names the way to settle it.
    assert "correct them with --interviewer NAME, --participant NAME or --other NAME" in stderr
    result = _run(runner, db, "transcripts", "roles", "P71", "--other", "unknown speaker")  # any case
    assert "Roles of P71 set (Unknown Speaker: review -> other)" in " ".join(result.stderr.split())
    assert _roles(runner, db, "P71") == (
        "given",
        {"Dana Whitfield": "interviewer", "Marcus": "participant", "Unknown Speaker": "other"},
    )
    row = _row(runner, db, "P71")
    assert (row["roles"], row["participants"], row["participant_segments"], row["warnings"]) == (
        "given",
        1,
        4,
        [],
    )
    shown = json.loads(_run(runner, db, "transcripts", "show", "P71", "-f", "json").stdout)
    assert [(s["speaker"], s["role"]) for s in shown["segments"]][4] == ("Unknown Speaker", "other")
    with sqlite3.connect(db) as con:
        audit = con.execute("SELECT after FROM audit_log WHERE action = 'set_roles'").fetchone()[0]
    assert json.loads(audit)["speakers"]["Unknown Speaker"] == "other"


def test_the_list_counts_other_speakers_beside_the_participants(runner, tmp_path):
    _, _, db = _ingest(runner, tmp_path, "P71.txt", RADIO)
    assert _row(runner, db, "P71")["other_speakers"] == 0
    plain = _run(runner, db, "transcripts", "list", "--wide").stdout
    assert "other speakers" not in plain  # no column for a count nobody has
    _run(runner, db, "transcripts", "roles", "P71", "--other", "Unknown Speaker")
    row = _row(runner, db, "P71")
    assert (row["participants"], row["other_speakers"]) == (1, 1)
    table = _run(runner, db, "transcripts", "list", "--wide").stdout
    header = next(line for line in table.splitlines() if "participant" in line)
    p71 = next(line for line in table.splitlines() if line.strip().startswith("P71"))
    # The count sits under its header: participant segments 4, other speakers 1.
    column = header.index("other speakers") + len("other speakers") - 1
    assert p71[column] == "1"
    assert p71.split()[:5] == ["P71", "interview", "txt", str(row["segments"]), "4"]


def test_other_forgets_a_name_remembered_as_an_interviewer_for_want_of_a_third_role(runner, tmp_path):
    _, _, db = _ingest(runner, tmp_path, "P72.txt", AT_THE_DOOR)
    # The old way to settle "Tech": call it an interviewer, which the project then remembered.
    _run(runner, db, "transcripts", "roles", "P72", "--interviewer", "Tech")
    later = [
        ("Interviewer", "How long have you been there?"),
        ("Tech", "Six years, on nights."),
        ("P08", "And I came on a year after that."),
        ("Tech", "Do officers call ahead?"),
        ("P08", "Usually, yes, they call ahead and we meet them at the side door."),
    ]
    outcome, _, _ = _ingest(runner, tmp_path, "P90.txt", later, db)
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Tech"] == "interviewer"  # remembered
    _run(runner, db, "transcripts", "roles", "P72", "--other", "Tech")
    assert _roles(runner, db, "P72")[1]["Tech"] == "other"
    outcome, _, _ = _ingest(runner, tmp_path, "P91.txt", [(s, t + " Really.") for s, t in later], db)
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Tech"] == "participant"  # forgotten
    # Two roles for one speaker is one line, naming both options.
    result = _run(
        runner, db, "transcripts", "roles", "P72", "--other", "Tech", "--participant", "Tech", code=1
    )
    assert (
        result.stderr == 'Error: Speaker "Tech" is given both --participant and --other. Give it one role.\n'
    )


def test_a_new_version_keeps_the_other_role(runner, tmp_path):
    _, _, db = _ingest(runner, tmp_path, "P72.txt", AT_THE_DOOR)
    _run(runner, db, "transcripts", "roles", "P72", "--other", "Tech")
    changed = [(s, t + " Fictional.") if s == "P07" else (s, t) for s, t in AT_THE_DOOR]
    outcome, _, _ = _ingest(runner, tmp_path, "P72.txt", changed, db)
    assert outcome["status"] == "replaced"
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Tech"] == "other"
    assert _row(runner, db, "P72")["roles"] == "given"


def test_another_speakers_turn_is_never_coded_counted_nor_a_unit(runner, tmp_path):
    _, _, db = _ingest(runner, tmp_path, "P72.txt", AT_THE_DOOR)
    _run(runner, db, "codebook", "load", str(CODEBOOK))
    # The lead first took Tech for a participant, and both coders coded Tech's turn (5).
    _run(runner, db, "transcripts", "roles", "P72", "--participant", "Tech")
    rows = ["transcript,segment,coder,codes,note"]
    for coder in ("alice", "bob"):
        rows += [f"P72,{n},{coder},csu-admission," for n in (2, 4, 5, 6, 8)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    _run(runner, db, "decisions", "import", str(tmp_path / "d.csv"))
    coders = json.loads(_run(runner, db, "coders", "-f", "json").stdout)
    assert {(r["coder"], r["coded"], r["total"]) for r in coders} == {("alice", 5, 5), ("bob", 5, 5)}
    # Settling it moves a coded turn out of the coding units: refused, then done with --force.
    refused = _run(runner, db, "transcripts", "roles", "P72", "--other", "Tech", code=1)
    assert "would move 1 segment with 2 coding decisions out of the coding units" in refused.stderr
    _run(runner, db, "transcripts", "roles", "P72", "--other", "Tech", "--force")
    agreement = json.loads(_run(runner, db, "agree", "-f", "json").stdout)
    assert agreement["units"] == 4  # the four participant turns
    # Not even with the interviewer turns (none of which was coded): the radio is no unit.
    agreement = json.loads(_run(runner, db, "agree", "-f", "json", "--include-interviewer").stdout)
    assert agreement["units"] == 4
    # The session no longer walks it, so `coders` no longer counts it.
    coders = json.loads(_run(runner, db, "coders", "-f", "json").stdout)
    assert {(r["coder"], r["coded"], r["total"]) for r in coders} == {("alice", 4, 4), ("bob", 4, 4)}
    # A sheet that codes it again is stored, and told it counts nowhere.
    (tmp_path / "e.csv").write_text("transcript,segment,coder,codes,note\nP72,5,carol,csu-refusal,\n")
    result = _run(runner, db, "decisions", "import", str(tmp_path / "e.csv"))
    assert (
        "Warning: e.csv has rows for 1 turn of other speakers (role other: neither interviewer nor participant; "
        "P72:5): they are stored, but no report, agreement or methods passage counts them."
    ) in " ".join(result.stderr.split())
    # The methods passage says it was coded and is left out.
    methods = json.loads(_run(runner, db, "report", "methods", "--format", "json", "--bootstrap", "0").stdout)
    assert methods["unit"]["other_turns_coded"] == {"turns": 1, "coders": {"alice": 1, "bob": 1, "carol": 1}}
    assert methods["sample"]["participants"] == 1
    text = " ".join(_run(runner, db, "report", "methods", "--bootstrap", "0").stdout.split())
    # carol decided none of the participant turns, so agreement compares alice and bob only, and says so.
    assert (
        "[1 turn of other speakers (role other: neither interviewer nor participant) was coded too, by 3 "
        "coders (alice and bob, and carol, who is not compared here), and is left out of every count and of "
        "the agreement.]"
    ) in text
    themes = json.loads(_run(runner, db, "report", "themes", "--format", "json", "--source", "alice").stdout)
    assert themes["participants"] == 1
    # retrieve names it apart; search finds it with --role other, and groups it apart --by role.
    found = json.loads(
        _run(runner, db, "retrieve", "csu-admission", "--source", "alice", "--format", "json").stdout
    )
    assert (found["participants"], found["other_turns"]) == (1, 1)
    hits = json.loads(_run(runner, db, "search", "room", "--role", "other", "--format", "json").stdout)[
        "results"
    ]
    assert [(h["segment"], h["role"]) for h in hits] == [(5, "other")]
    (tmp_path / "participants.csv").write_text("id,role\nP72,provider\n")
    _run(runner, db, "ingest", str(tmp_path / "P72.txt"), "--attributes", str(tmp_path / "participants.csv"))
    hits = json.loads(_run(runner, db, "search", "sorry", "--by", "role", "--format", "json").stdout)[
        "results"
    ]
    assert {(h["segment"], h["group"]) for h in hits} == {(5, "(other speakers' turns)"), (6, "provider")}


def test_the_passage_says_how_to_settle_a_coded_voice_heard_once(runner, tmp_path):
    # Before, it said to give "the unlabelled text" a role with --unlabelled, which refuses a labelled voice.
    _, _, db = _ingest(runner, tmp_path, "P72.txt", AT_THE_DOOR)
    _run(runner, db, "codebook", "load", str(CODEBOOK))
    rows = ["transcript,segment,coder,codes,note"] + [f"P72,{n},alice,csu-admission," for n in (2, 5)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    _run(runner, db, "decisions", "import", str(tmp_path / "d.csv"))
    text = " ".join(_run(runner, db, "report", "methods", "--bootstrap", "0").stdout.split())
    assert (
        "[1 turn whose speaker's role is not settled (role review) was coded too, by 1 coder (alice), and is left out "
        "of every count: set the role of their speakers (wei-qual transcripts roles ID --participant NAME to "
        "count them, --other NAME for someone who is neither interviewer nor participant, --unlabelled "
        "participant for text with no label).]"
    ) in text
    result = _run(runner, db, "transcripts", "roles", "P72", "--unlabelled", "participant", code=1)
    assert "has no unlabelled segments" in result.stderr


def test_the_coding_session_shows_the_radio_as_context_and_walks_past_it(runner, tmp_path):
    from wei_qual import coding
    from wei_qual.store import open_db

    _, _, db = _ingest(runner, tmp_path, "P71.txt", RADIO)
    _run(runner, db, "codebook", "load", str(CODEBOOK))
    keys = lambda session: [item.key for item in session.queue]
    store = open_db(db)
    session, _ = coding.load_session(store, "alice")
    assert ("P71", 5) not in keys(session)  # left to review, heard once: not walked until set
    assert session.go_to("P71 5") == (
        "P71 segment 5 is a speaker left to review (a voice heard once, an interpreter), which no session codes "
        "until its role is set "
        '("wei-qual transcripts roles P71"). Nothing moved.'
    )
    _run(runner, db, "transcripts", "roles", "P71", "--other", "Unknown Speaker")
    for include_interviewer in (False, True):
        session, _ = coding.load_session(store, "alice", include_interviewer=include_interviewer)
        assert ("P71", 5) not in keys(session)
    session, _ = coding.load_session(store, "alice")
    assert keys(session) == [("P71", 2), ("P71", 4), ("P71", 6), ("P71", 8)]
    session._go(2)
    assert (session.current.previous.speaker, session.current.previous.role) == ("Unknown Speaker", "other")
    assert session.go_to("P71 5") == (
        "P71 segment 5 is another speaker's turn (role other: neither interviewer nor participant), which no "
        "session codes. Nothing moved."
    )
    store.close()


def test_other_and_review_speakers_come_back_from_a_qdpx(runner, tmp_path):
    # Before, an import read every label not an interviewer's as a participant: the radio counted.
    _, _, db = _ingest(runner, tmp_path, "P71.txt", RADIO)
    _ingest(runner, tmp_path, "P72.txt", AT_THE_DOOR, db)
    _run(runner, db, "transcripts", "roles", "P72", "--other", "Tech", "--participant", "P07")
    exported = _run(runner, db, "project", "export", str(tmp_path / "out.qdpx"))
    assert "Warning" not in exported.stderr  # no role would come back otherwise
    back = tmp_path / "back.db"
    _run(runner, back, "project", "import", str(tmp_path / "out.qdpx"), "--allow-pii")
    assert _roles(runner, back, "P71")[0] == "review"
    assert _roles(runner, back, "P71")[1]["Unknown Speaker"] == "review"
    assert _roles(runner, back, "P72") == (
        "given",
        {"Interviewer": "interviewer", "P07": "participant", "Tech": "other"},
    )
    for tid in ("P71", "P72"):
        assert _row(runner, back, tid)["participants"] == _row(runner, db, tid)["participants"] == 1


def test_a_name_heard_once_in_zoom_captions_keeps_its_name(runner, tmp_path):
    # Before, "Tom:" was text of a turn with no speaker (role review) and the name was lost as a speaker.
    outcome, stderr, db = _ingest(runner, tmp_path, "P81.vtt", ZOOM_DOOR)
    assert {s["label"]: s["role"] for s in outcome["speakers"]} == {
        "Interviewer": "interviewer",
        "P81": "participant",
        "Tom": "review",
    }
    assert (
        "Warning: P81: 1 cue that opens with a name heard once (line 21) was read as a turn of its own"
        in stderr
    )
    shown = json.loads(_run(runner, db, "transcripts", "show", "P81", "-f", "json").stdout)
    assert (shown["segments"][4]["speaker"], shown["segments"][4]["text"]) == (
        "Tom",
        "Hey, the lab just called about bed four.",
    )
    _run(runner, db, "transcripts", "roles", "P81", "--other", "Tom")
    assert _row(runner, db, "P81")["roles"] == "given"
    # Captions that leave a cue unnamed (Zoom could not tell who spoke): a one-off name stays text.
    unnamed = ZOOM_DOOR.replace("P81: Sorry about that.", "Sorry about that.")
    outcome, _, _ = _ingest(runner, tmp_path, "P82.vtt", unnamed, tmp_path / "other.db")
    assert "Tom" not in {s["label"] for s in outcome["speakers"]}
    # Nor a word that heads a speaker's own words.
    example = ZOOM_DOOR.replace("Tom: Hey", "Example: Hey")
    outcome, _, _ = _ingest(runner, tmp_path, "P83.vtt", example, tmp_path / "third.db")
    assert "Example" not in {s["label"] for s in outcome["speakers"]}
