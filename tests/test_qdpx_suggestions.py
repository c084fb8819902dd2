"""Suggestion provenance in a .qdpx: which codes wei-qual's suggestions showed a coder, which they took, and
the evidence, in a Note the decision's selection and the taken codings refer to; read back on import."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import ROOT

from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
from wei_qual.qdpx.vocabulary import read_suggestions_note, suggestions_note
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions, save_decision
from wei_qual.suggest.evaluate import suggestion_acceptance
from wei_qual.suggest.run import run_suggest

SCHEMA = ROOT / "wei_qual" / "export" / "schemas" / "Project.xsd"  # the standard's, byte for byte

P31 = (
    "Interviewer: Where did he go that night?\n\n"
    "P31: We took him to the crisis stabilization unit \U0001f642 because the ER was full. "
    "They had no beds, so he waited in the emergency department for hours.\n\n"
    "Interviewer: And after?\n\n"
    "P31: The co-responder team did a follow-up visit the next week.\n"
)
NS = {"q": "urn:QDA-XML:project:1.0"}


def _code_guids(root) -> dict[str, str]:
    """wei-qual code id -> the code's GUID, from each code's "wei-qual id:" line."""
    out = {}
    for code in root.iterfind(".//q:Code", NS):
        description = code.find("q:Description", NS)
        for line in (description.text if description is not None else "").splitlines():
            if line.startswith("wei-qual id: "):
                out[line.removeprefix("wei-qual id: ")] = code.get("guid")
    return out


def _project(tmp_path: Path):
    path = tmp_path / "P31.txt"
    path.write_text(P31, encoding="utf-8")
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [path])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    run_suggest(db)
    suggested = {
        n: {
            r[0]
            for r in db.execute(
                "SELECT g.code FROM suggestions g JOIN segments s ON s.id = g.segment_id WHERE s.n = ?", [n]
            )
        }
        for n in (2, 4)
    }
    assert {"csu-admission", "ed-holding"} <= suggested[2], suggested  # the rules' own evidence, below
    text = db.execute("SELECT text FROM segments WHERE transcript_id = 'P31' AND n = 2").fetchone()[0]
    a = text.index("crisis stabilization unit")
    save_decision(  # alice took two of the suggestions (one as an excerpt), left the others, added one
        db,
        Decision(
            "P31",
            2,
            "alice",
            frozenset({"csu-admission", "ed-holding", "csu-capacity"}),
            accepted=frozenset({"csu-admission", "ed-holding"}),
            shown=frozenset(suggested[2]),
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=(Excerpt("csu-admission", a, a + len("crisis stabilization unit")),),
        ),
    )
    save_decision(  # bob saw the suggestions and took none
        db,
        Decision(
            "P31",
            2,
            "bob",
            frozenset({"csu-capacity"}),
            shown=frozenset(suggested[2]),
            decided_utc="2024-05-02T11:00:00Z",
        ),
    )
    save_decision(
        db, Decision("P31", 4, "bob", frozenset({"home-followup"}), decided_utc="2024-05-02T11:05:00Z")
    )
    return db


def _suggestion_fields(db):
    return [(d.transcript, d.segment, d.coder, d.shown, d.accepted) for d in iter_decisions(db)]


def test_accepted_suggestions_travel_in_a_note_the_codings_cite_and_come_back(tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    original = _project(tmp_path)
    result = export_project(original, tmp_path / "a.qdpx", name="p31")
    assert result.suggested_codings == 2
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        qde = archive.read("project.qde")
    xmlschema.XMLSchema(str(SCHEMA)).validate(qde.decode("utf-8"))  # the standard's own schema
    from lxml import etree

    root = etree.fromstring(qde)
    ns = NS
    notes = {n.get("guid"): n for n in root.iterfind(".//q:Notes/q:Note", ns)}
    code_guid = _code_guids(root)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", ns)}
    # Each coding of a taken code cites the Suggestions note of its coder's decision, and no other does.
    cited = {}
    for coding in root.iterfind(".//q:Coding", ns):
        code = coding.find("q:CodeRef", ns).get("targetGUID")
        refs = [r.get("targetGUID") for r in coding.iterfind("q:NoteRef", ns)]
        cited[(users[coding.get("creatingUser")], code)] = refs
    alice_note = cited[("alice", code_guid["csu-admission"])]
    assert len(alice_note) == 1 and cited[("alice", code_guid["ed-holding"])] == alice_note
    assert cited[("alice", code_guid["csu-capacity"])] == []
    assert cited[("bob", code_guid["csu-capacity"])] == []
    note = notes[alice_note[0]]
    assert note.get("name") == "Suggestions" and users[note.get("creatingUser")] == "alice"
    text = note.find("q:PlainTextContent", ns).text
    lines = text.splitlines()
    shown = sorted(next(d.shown for d in iter_decisions(original) if d.coder == "alice"))
    assert lines[:2] == ["Suggested: " + ", ".join(shown), "Accepted: csu-admission, ed-holding"]
    # the evidence the rules found, with the matched words and the rule, one line per taken code
    assert lines[2].startswith("csu-admission: suggested by rules, score ")
    assert '"crisis stabilization unit" (keyword:' in lines[2]
    assert lines[3].startswith("ed-holding: suggested by rules, score ") and '"emergency department"' in text
    # bob's note says he was shown them and took none; his decision's selection refers to it
    (bob_note,) = [
        n for n in notes.values() if n.get("name") == "Suggestions" and users[n.get("creatingUser")] == "bob"
    ]
    assert bob_note.find("q:PlainTextContent", ns).text.splitlines()[1] == "Accepted: (none)"

    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    assert _suggestion_fields(copy) == _suggestion_fields(original)
    assert [d.note for d in iter_decisions(copy)] == ["", "", ""]  # not a decision note, not a memo
    assert copy.execute("SELECT COUNT(*) FROM memos").fetchone()[0] == 0
    for coder in ("alice", "bob"):  # the acceptance rate the methods passage reports, the same in the copy
        assert suggestion_acceptance(copy, coder=coder) == suggestion_acceptance(original, coder=coder)
    assert suggestion_acceptance(copy, coder="alice")["accepted"] == 2


def test_a_note_named_suggestions_from_another_tool_is_a_memo_and_unknown_codes_are_named():
    assert read_suggestions_note("Ideas for the next round of interviews.") is None
    text = suggestions_note({"a", "b"}, set(), {})
    assert read_suggestions_note(text) == ({"a", "b"}, set())
    evidence = json.dumps(
        [{"start": 0, "end": 3, "text": "no\nbed", "source": "keyword:bed", "negated": True}]
    )
    text = suggestions_note({"a"}, {"a"}, {"a": [("rules", 0.5, evidence)]})
    assert (
        text.splitlines()[2] == 'a: suggested by rules, score 0.50; evidence: "no bed" (keyword:bed, negated)'
    )
    assert read_suggestions_note(text) == ({"a"}, {"a"})


def test_a_code_taken_then_removed_in_the_other_tool_is_not_counted_accepted(tmp_path):
    original = _project(tmp_path)
    export_project(original, tmp_path / "a.qdpx", name="p31")
    # In the other tool, a coder removed alice's ed-holding coding (the note stays); and the codebook lost
    # a code bob was shown.
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    from lxml import etree

    root = etree.fromstring(parts["project.qde"])
    ns = NS
    ed = _code_guids(root)["ed-holding"]
    for coding in root.iterfind(".//q:Coding", ns):
        if coding.find("q:CodeRef", ns).get("targetGUID") == ed:
            coding.getparent().remove(coding)
    for note in root.iterfind(".//q:Note", ns):
        if note.get("name") == "Suggestions":
            content = note.find("q:PlainTextContent", ns)
            content.text = content.text.replace("Suggested: ", "Suggested: retired-code, ", 1)
    parts["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "b.qdpx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "b.qdpx").to_json()
    alice = next(d for d in iter_decisions(copy) if d.coder == "alice")
    assert alice.accepted == {"csu-admission"} and "ed-holding" in alice.shown
    assert "retired-code" not in alice.shown
    assert any("retired-code" in w and "Suggestions notes" in w for w in report["warnings"]), report


def test_suggestions_of_codes_the_active_codebook_lacks_are_named_on_export(tmp_path):
    original = _project(tmp_path)
    # bob was shown a code of an earlier codebook version, which the active one no longer has
    bob = next(d for d in iter_decisions(original) if d.coder == "bob" and d.segment == 2)
    original.execute(
        "UPDATE decisions SET shown = ? WHERE coder_id = 'bob' AND shown != '[]'",
        [json.dumps(sorted(bob.shown | {"retired-code"}))],
    )
    original.conn.commit()
    result = export_project(original, tmp_path / "a.qdpx", name="p31")
    message = (
        "codes suggested to coders that are not in the active codebook were left out of the Suggestions notes: "
        "retired-code. An import of this file counts the acceptance of the others only."
    )
    assert [w for w in result.warnings if "Suggestions" in w] == [message]
    copy = open_db(tmp_path / "b.db")
    import_project(copy, tmp_path / "a.qdpx")
    assert next(d for d in iter_decisions(copy) if d.coder == "bob" and d.segment == 2).shown == bob.shown
