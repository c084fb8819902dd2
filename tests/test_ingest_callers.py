"""Speakers that are not people's typed names, on whole exports (tests/data/exports, its README says what
each imitates): a caller's phone number as Zoom names one who dials in, a device's or a room's name, Teams
cues with no voice tag, Otter's `Unknown Speaker` and `Speaker 3` beside named speakers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wei_qual.cli import app
from wei_qual.deid.scan import scan_text
from wei_qual.ingest import parse_transcript

EXPORTS = Path(__file__).parent / "data" / "exports"


def _roles(t):
    return {s.label: s.role for s in t.speakers}


def _ingest_json(runner, db_path, path, *extra):
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db_path), "--format", "json", *extra])
    return result, json.loads(result.stdout) if result.stdout.strip() else None


# Zoom names a participant who dials in by the number they call from ("15552013344"; masked, as the
# account's "Mask phone number in the participant list" writes it, "155****3344"). Before, no label form
# took digits: the caller's turns were no one's (role review, "every speaker is an interviewer"), and the
# number in every cue passed the PII gate, read as a study id (a label with a digit and no space).
def test_a_callers_number_as_zooms_speaker_name_is_their_label():
    for name, label in (
        ("KP60_zoom_phone_caller.vtt", "15552013344"),
        ("KP61_zoom_masked_caller.vtt", "155****3344"),
    ):
        t = parse_transcript(EXPORTS / name)
        assert _roles(t) == {"Dana Whitfield": "interviewer", label: "participant"}
        assert t.roles == "inferred"
        assert [s.speaker for s in t.segments][:2] == ["Dana Whitfield", label]
        assert not any(label in s.text for s in t.segments)


def test_a_callers_number_in_the_labels_stops_the_pii_gate(runner, db_path, tmp_path):
    text = (EXPORTS / "KP60_zoom_phone_caller.vtt").read_text()
    phones = [f for f in scan_text(text) if f.category == "phone"]
    assert len(phones) == text.count("15552013344:") == 6
    # the same number in the text, written as the caller might say it
    assert [
        f.text for f in scan_text("Call me back on 15552013344 or +15552013344.") if f.category == "phone"
    ] == [
        "15552013344",
        "+15552013344",
    ]
    runner.invoke(app, ["deid", "allow", "add", "Dana Whitfield", "--db", str(db_path)])
    result, out = _ingest_json(runner, db_path, EXPORTS / "KP60_zoom_phone_caller.vtt")
    assert result.exit_code == 1
    assert "9:1 (phone)" in result.stderr
    # Redacted, the placeholder is the caller's label, and the roles come out right.
    redacted = tmp_path / "redacted" / "KP60_zoom_phone_caller.vtt"
    runner.invoke(
        app,
        [
            "deid",
            "redact",
            str(EXPORTS / "KP60_zoom_phone_caller.vtt"),
            "-o",
            str(redacted),
            "--db",
            str(db_path),
        ],
    )
    result, out = _ingest_json(runner, db_path, redacted)
    assert result.exit_code == 0, result.stderr
    (outcome,) = out["outcomes"]
    assert {s["label"]: s["role"] for s in outcome["speakers"]} == {
        "Dana Whitfield": "interviewer",
        "PHONE-1": "participant",
    }
    assert outcome["roles"] == "inferred" and outcome["warnings"] == []


# A Zoom Room names the interviewer's seat ("Conference Room B"), and a participant on a work tablet is
# "Sgt. Ruiz's iPad". The surname in the label stops the gate; redacted, the label reads
# "Sgt. [PERSON-1]'s iPad:", which before was no label: the participant's turns were no one's and the
# interview had no participant.
def test_a_room_and_a_devices_name_keep_their_roles_redacted_or_not(runner, db_path, tmp_path):
    path = EXPORTS / "KP62_zoom_room_and_ipad.vtt"
    assert _roles(parse_transcript(path)) == {
        "Conference Room B": "interviewer",
        "Sgt. Ruiz's iPad": "participant",
    }
    result, _ = _ingest_json(runner, db_path, path)
    assert result.exit_code == 1 and "9:6 (person)" in result.stderr
    redacted = tmp_path / "redacted" / path.name
    runner.invoke(app, ["deid", "redact", str(path), "-o", str(redacted), "--db", str(db_path)])
    assert "Sgt. [PERSON-1]'s iPad: Yeah" in redacted.read_text()
    t = parse_transcript(redacted)
    assert _roles(t) == {"Conference Room B": "interviewer", "Sgt. [PERSON-1]'s iPad": "participant"}
    assert t.roles == "inferred"


# Teams cues Teams could not give a voice keep no `<v>` tag: their turns are no one's, said, and set
# with the existing commands.
def test_teams_cues_with_no_voice_tag_are_said_and_can_be_given_a_speaker(runner, db_path, tmp_path):
    path = tmp_path / "KP63.vtt"
    shutil.copy(EXPORTS / "KP63_teams_untagged_cues.vtt", path)
    _, out = _ingest_json(runner, db_path, path, "--allow-pii")
    (outcome,) = out["outcomes"]
    assert outcome["roles"] == "review" and outcome["roles_reason"] == "2 segments have no speaker"
    assert any("segments 4, 8, role review" in w["message"] for w in outcome["warnings"])
    runner.invoke(
        app,
        [
            "transcripts",
            "relabel",
            "KP63",
            "--segment",
            "4,8",
            "--speaker",
            "Ruiz, Marco",
            "--db",
            str(db_path),
        ],
    )
    roles = json.loads(
        runner.invoke(app, ["transcripts", "roles", "KP63", "--db", str(db_path), "--format", "json"]).stdout
    )
    assert {s["label"]: (s["role"], s["turns"]) for s in roles["speakers"]} == {
        "Whitfield, Dana": ("interviewer", 5),
        "Ruiz, Marco": ("participant", 5),
    }
    assert roles["unlabelled_segments"] == 0


# Otter's `Speaker 3` (a co-interviewer it did not name) puts two follow-ups and `Unknown Speaker` takes
# one of Marcus Bell's answers. Before, `Unknown Speaker`, asking nothing, broke the panel (every speaker
# but the participant asks): no one was a questioner, and every speaker, the interviewer too, was a
# participant, four counted in a one-to-one interview.
def test_otters_unplaced_voices_beside_named_speakers_never_make_the_interviewer_a_participant():
    t = parse_transcript(EXPORTS / "KP64_otter_unknown_and_numbered.txt")
    assert _roles(t) == {
        "Dana Whitfield": "interviewer",
        "Marcus Bell": "participant",
        "Speaker 3": "interviewer",
        "Unknown Speaker": "participant",
    }
    assert t.roles == "review"
    assert (
        '"Unknown Speaker" answers questions beside "Marcus Bell" under a name the transcription'
        in t.roles_reason
    )
    assert 'others answer 1 of their questions ("Unknown Speaker")' in t.roles_reason


# Given to Marcus Bell, the unplaced answer settles every doubt: the one that said "others answer 1 of
# their questions" now names the voice, so it goes with it (before, it stayed, counting an answer no
# longer there).
def test_relabelling_the_unplaced_answer_settles_the_roles(runner, db_path, tmp_path):
    path = tmp_path / "KP64.txt"
    shutil.copy(EXPORTS / "KP64_otter_unknown_and_numbered.txt", path)
    _ingest_json(runner, db_path, path, "--allow-pii")
    relabel = [
        "transcripts",
        "relabel",
        "KP64",
        "--segment",
        "6",
        "--speaker",
        "Marcus Bell",
        "--db",
        str(db_path),
    ]
    assert runner.invoke(app, relabel).exit_code == 0
    roles = json.loads(
        runner.invoke(app, ["transcripts", "roles", "KP64", "--db", str(db_path), "--format", "json"]).stdout
    )
    assert (roles["roles"], roles["roles_reason"], roles["warnings"]) == ("inferred", "", [])
    assert {s["label"]: s["role"] for s in roles["speakers"]} == {
        "Dana Whitfield": "interviewer",
        "Marcus Bell": "participant",
        "Speaker 3": "interviewer",
    }


# A name heard once in captions that name every cue: the warning that reads it as a turn said "the
# speaker's role is left to the evidence" beside the roles warning that left it to review: two doubts for
# one voice. Now the roles warning says it alone; with --interviewer-labels, where it is taken as a
# participant (counted, coded), the one warning says so, and how to set it otherwise.
def test_a_name_heard_once_has_its_role_said_once(runner, db_path, tmp_path):
    path = EXPORTS / "KP65_zoom_one_off_voice.vtt"
    _, out = _ingest_json(runner, db_path, path, "--allow-pii", "--dry-run")
    warnings = out["outcomes"][0]["warnings"]
    missed = next(w["message"] for w in warnings if w["kind"] == "missed_labels")
    assert "role" not in missed
    assert [w["kind"] for w in warnings if '"Charge Nurse"' in w["message"]] == ["roles_review"]
    _, out = _ingest_json(
        runner, db_path, path, "--allow-pii", "--dry-run", "--interviewer-labels", "Dana Whitfield"
    )
    (outcome,) = out["outcomes"]
    assert {s["label"]: s["role"] for s in outcome["speakers"]}["Charge Nurse"] == "participant"
    (missed,) = [w["message"] for w in outcome["warnings"]]
    assert '"Charge Nurse" as a participant, coded and counted' in missed
    assert "--other 'Charge Nurse'" in missed
    assert "left to the evidence" not in missed
