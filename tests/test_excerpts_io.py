"""Excerpts and draft codes on their way in and out: the decisions CSV and JSON, coder packets, the
REFI-QDA .qdpx, and exemplar quotes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _coding_project import TRANSCRIPTS, build_project
from test_packets import CODEBOOK as PACKET_CODEBOOK
from test_packets import _transcript

from wei_qual.assign import assign
from wei_qual.codebook.drafts import create_draft
from wei_qual.decisions_io import export_decisions, import_decisions
from wei_qual.errors import DecisionError, StoreError
from wei_qual.models import Decision, Excerpt
from wei_qual.packet import make_packet, merge_packets
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
from wei_qual.report.data import load_report_data
from wei_qual.report.quotes import build_quotes
from wei_qual.store import memory_db, open_db
from wei_qual.store.codebooks import get_active_codebook, save_codebook_version
from wei_qual.store.decisions import get_decision, iter_decisions, save_decision
from wei_qual.store.transcripts import save_transcript

P01_2 = TRANSCRIPTS[0].segments[1].text  # "We took him to the crisis unit and they admitted him [inaudible]."
UNIT = (P01_2.index("crisis unit"), P01_2.index("crisis unit") + len("crisis unit"))
ADMITTED = (P01_2.index("they admitted"), P01_2.index("they admitted") + len("they admitted him"))


@pytest.fixture
def project():
    db = memory_db()
    build_project(db)
    return db


def write(tmp_path, text, name="d.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_excerpts_round_trip_through_the_csv(project, tmp_path):
    save_decision(
        project,
        Decision(
            "p01",
            2,
            "alice",
            frozenset({"csu-admission", "setting-rural"}),
            excerpts=(Excerpt("csu-admission", *ADMITTED), Excerpt("csu-admission", *UNIT)),
        ),
    )
    save_decision(project, Decision("p02", 2, "bob", frozenset({"co-responder"})))
    text, _ = export_decisions(project)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["codes"], r["excerpts"]) for r in rows] == [
        (
            "csu-admission;setting-rural",
            f"csu-admission={UNIT[0]}:{UNIT[1]};csu-admission={ADMITTED[0]}:{ADMITTED[1]}",
        ),
        ("co-responder", ""),
    ]
    fresh = memory_db()
    build_project(fresh)
    assert import_decisions(fresh, write(tmp_path, text)).created == 2
    assert [(d.coder, d.excerpts) for d in iter_decisions(fresh)] == [
        ("alice", (Excerpt("csu-admission", *UNIT), Excerpt("csu-admission", *ADMITTED))),
        ("bob", ()),
    ]
    assert export_decisions(fresh)[0] == text
    again = import_decisions(fresh, write(tmp_path, text))
    assert (again.changed, again.unchanged) == (0, 2)
    # An edited excerpt updates the decision (and the audit log records the spans).
    edited = text.replace(f"csu-admission={UNIT[0]}:{UNIT[1]};", "")
    assert import_decisions(fresh, write(tmp_path, edited)).updated == 1
    assert get_decision(fresh, "p01", 2, "alice").excerpts == (Excerpt("csu-admission", *ADMITTED),)


def test_excerpts_column_is_checked_against_the_segment(project, tmp_path):
    length = len(TRANSCRIPTS[0].segments[3].text)
    sheet = write(
        tmp_path,
        "transcript,segment,coder,codes,note,excerpts\n"
        "p01,2,alice,csu-admission,,csu-admission=0:5;followup=0:5\n"
        f"p01,4,alice,followup,,followup=0:{length + 100}\n"
        "p02,2,alice,co-responder,,co-responder=3\n",
    )
    with pytest.raises(DecisionError) as info:
        import_decisions(project, sheet)
    assert str(info.value).splitlines() == [
        f"{sheet}: 3 problems, nothing imported.",
        (
            f'{sheet}:2: excerpt for code "followup", which the row does not apply. Add the code to codes, or '
            "remove the excerpt."
        ),
        (
            f"{sheet}:3: excerpt followup=0:{length + 100} ends after the segment's text, which has {length} characters. "
            'Check the offsets against "wei-qual transcripts show".'
        ),
        (
            f'{sheet}:4: excerpt "co-responder=3" is not CODE=start:end (character offsets in the segment, e.g. '
            '"csu-refusal=0:42"). Separate several with ";".'
        ),
    ]
    assert iter_decisions(project) == []


def test_json_export_carries_the_excerpt_text_and_import_checks_it(project, tmp_path):
    save_decision(
        project,
        Decision(
            "p01", 2, "alice", frozenset({"csu-admission"}), excerpts=(Excerpt("csu-admission", *UNIT),)
        ),
    )
    text, _ = export_decisions(project, fmt="json")
    [record] = json.loads(text)
    assert record["excerpts"] == [
        {"code": "csu-admission", "start": UNIT[0], "end": UNIT[1], "text": "crisis unit"}
    ]
    fresh = memory_db()
    build_project(fresh)
    assert import_decisions(fresh, write(tmp_path, text, "d.json")).created == 1
    assert get_decision(fresh, "p01", 2, "alice").excerpts == (Excerpt("csu-admission", *UNIT),)
    record["excerpts"][0]["text"] = "crisis team"
    with pytest.raises(DecisionError, match="its text is not the segment's text at those offsets"):
        import_decisions(fresh, write(tmp_path, json.dumps([record]), "bad.json"))


def test_quotes_use_the_excerpt_and_the_whole_turn_otherwise(project):
    for coder in ("alice", "bob"):
        save_decision(project, Decision("p02", 3, coder, frozenset({"csu-refusal"})))
    start = P01_2.index("they admitted")
    save_decision(
        project,
        Decision(
            "p01",
            2,
            "consensus",
            frozenset({"csu-admission"}),
            excerpts=(Excerpt("csu-admission", start, len(P01_2)),),
        ),
    )
    save_decision(project, Decision("p02", 3, "consensus", frozenset({"csu-refusal"})))
    quotes = build_quotes(
        load_report_data(project, with_coders=True), codes=["csu-admission", "csu-refusal", "response"]
    )
    got = [(q.code, q.text, q.excerpt) for q in quotes.quotes]
    assert got == [
        ("csu-admission", "they admitted him [inaudible].", True),
        ("csu-refusal", "The unit said no, they were full.", False),
        ("response", "The unit said no, they were full.", False),  # agreed by both coders: first
        ("response", "they admitted him [inaudible].", True),  # a theme quotes the excerpt of its code
    ]
    assert quotes.to_json()["quotes"][0]["excerpt"] is True


def test_excerpts_go_out_to_qdpx_as_their_own_selections_and_come_back(project, tmp_path):
    save_decision(
        project,
        Decision(
            "p01",
            2,
            "alice",
            frozenset({"csu-admission", "setting-rural"}),
            excerpts=(Excerpt("csu-admission", *UNIT),),
        ),
    )
    save_decision(project, Decision("p02", 2, "alice", frozenset({"co-responder"})))
    out = tmp_path / "x.qdpx"
    result = export_project(project, out, name="x")  # checked against Project.xsd before it is written
    assert result.codings == 3 and result.selections == 3
    fresh = open_db(tmp_path / "fresh.db")
    import_project(fresh, out)
    got = {(d.transcript, d.segment): (sorted(d.codes), d.excerpts) for d in iter_decisions(fresh)}
    # p02's turns 2 and 3 are one speaker's: read back, they are one turn (the export warns of it), and
    # the coding of the first is its excerpt in that turn, not the whole of it.
    turn = "The clinician rides with us downtown."
    assert got == {
        ("p01", 2): (["csu-admission", "setting-rural"], (Excerpt("csu-admission", *UNIT),)),
        ("p02", 2): (["co-responder"], (Excerpt("co-responder", 0, len(turn)),)),
    }


@pytest.fixture
def lead(tmp_path):
    db = open_db(tmp_path / "lead.db")
    for i in range(4):
        save_transcript(db, _transcript(f"t{i:02d}", "officer", "rural"))
    save_codebook_version(db, PACKET_CODEBOOK, "name: t\n")
    assign(db, ["alice"], double=0.0, seed=0)
    return db


def test_a_draft_code_and_excerpts_made_in_a_packet_are_merged(lead, tmp_path):
    path = tmp_path / "alice.wqp"
    make_packet(lead, "alice", path)
    packet = open_db(path)
    create_draft(packet, code_id="cold-night", name="Cold night", actor="alice", segment=("t00", 1))
    version = get_active_codebook(packet)[0]
    save_decision(
        packet,
        Decision(
            "t00",
            1,
            "alice",
            frozenset({"cold-night", "jail"}),
            codebook_version=version,
            excerpts=(Excerpt("cold-night", 0, 6),),
        ),
    )
    save_decision(packet, Decision("t01", 1, "Alice ", frozenset({"access"})))  # a mistyped session name
    packet.close()
    result = merge_packets(lead, [path])
    assert (result.added, result.drafts) == (2, ["cold-night"])
    active_version, codebook = get_active_codebook(lead)
    assert codebook.code("cold-night").draft
    merged = get_decision(lead, "t00", 1, "alice")
    assert merged.excerpts == (Excerpt("cold-night", 0, 6),) and merged.codebook_version == active_version
    assert get_decision(lead, "t01", 1, "alice").codes == {"access"}  # "Alice " is the packet's owner
    again = merge_packets(lead, [path])
    assert (again.added, again.drafts, again.unchanged) == (0, [], 2)


def test_a_packet_excerpt_outside_its_segment_is_refused(lead, tmp_path):
    path = tmp_path / "alice.wqp"
    make_packet(lead, "alice", path)
    packet = open_db(path)
    save_decision(
        packet, Decision("t00", 1, "alice", frozenset({"jail"}), excerpts=(Excerpt("jail", 0, 999),))
    )
    packet.close()
    with pytest.raises(
        StoreError, match="1 decision with excerpts outside their segment or for codes not applied"
    ):
        merge_packets(lead, [path])
