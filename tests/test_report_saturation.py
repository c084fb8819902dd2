"""`wei-qual report saturation` on a hand-made project whose answer is known, and its CLI formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from wei_qual.cli import app
from wei_qual.models import INTERVIEWER, PARTICIPANT, Code, Codebook, Decision, Segment, Transcript
from wei_qual.report.data import load_report_data
from wei_qual.report.saturation import build_saturation, saturation_order
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.store.transcripts import save_transcript

CODEBOOK = Codebook(
    "sat",
    "1",
    codes=(
        Code("access", "Access"),  # a theme: never counted itself
        Code("beds", "Beds", parent="access"),
        Code("wait", "Wait", parent="access"),
        Code("jail", "Jail"),
        Code("transport", "Transport"),
        Code("family", "Family"),
        Code("training", "Training"),
    ),
)
# Fictional interviews t1..t8, ingested in this order, with their codes (one participant turn each)
# and attributes. Answer, in ingest order:
#   t3 beds,wait -> 2 | t1 jail -> 3 | t2 beds -> 3 | t5 transport -> 4 | t4 (none new) | t6 wait
#   | t8 jail | t7 family -> 5: the run of 3 without a new code (t4, t6, t8) follows t5 (position 4);
#   the last new code comes at position 8; by the halfway point (4 of 8) 4 of 5 codes are in place.
PLAN = [
    ("t3", {"beds", "wait"}, "officer", "2024-01-10"),
    ("t1", {"jail"}, "provider", "2024-01-02"),
    ("t2", {"beds"}, "officer", "2024-01-20"),
    ("t5", {"transport", "beds"}, "provider", "2024-02-01"),
    ("t4", {"wait"}, "officer", "2024-01-15"),
    ("t6", {"wait", "jail"}, "provider", "2024-02-03"),
    ("t8", {"jail"}, "officer", "2024-02-10"),
    ("t7", {"family"}, "provider", "2024-02-08"),
]


def _transcript(tid: str, role: str, date: str) -> Transcript:
    question, answer = "How was it?", f"It was fine, said {tid}."
    text = f"{question}\n\n{answer}"
    segments = (
        Segment(1, "I", INTERVIEWER, question, 0, len(question)),
        Segment(2, "R", PARTICIPANT, answer, len(question) + 2, len(text)),
    )
    return Transcript(tid, f"{tid}.txt", "txt", f"sha-{tid}", text, segments, {"role": role, "date": date})


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    with transaction(db):
        save_codebook_version(db, CODEBOOK, "name: sat\n")
    for i, (tid, codes, role, date) in enumerate(PLAN):
        with transaction(db):
            save_transcript(db, _transcript(tid, role, date))
            db.execute(
                "UPDATE transcripts SET ingested_utc = ? WHERE id = ?", [f"2024-03-01T10:00:0{i}", tid]
            )
        # Coded in reverse order of ingest, so "coded" order is the reverse.
        when = f"2024-04-01T10:00:0{len(PLAN) - i}.000+00:00"
        save_decision(db, Decision(tid, 2, "consensus", frozenset(codes), decided_utc=when))
        save_decision(
            db, Decision(tid, 1, "consensus", frozenset({"training"}), decided_utc=when)
        )  # interviewer
    db.close()
    return db_path


def _saturation(db_path, order="ingest", **kwargs):
    db = open_db(db_path)
    data = load_report_data(db)
    return build_saturation(data, saturation_order(db, data, order), order_name=order, **kwargs)


def test_saturation_in_ingest_order_has_the_known_answer(project):
    result = _saturation(project)
    steps = [(s.position, s.transcript, s.new, s.cumulative) for s in result.overall.steps]
    assert steps == [
        (1, "t3", ["beds", "wait"], 2),
        (2, "t1", ["jail"], 3),
        (3, "t2", [], 3),
        (4, "t5", ["transport"], 4),
        (5, "t4", [], 4),
        (6, "t6", [], 4),
        (7, "t8", [], 4),
        (8, "t7", ["family"], 5),
    ]
    curve = result.overall
    assert (curve.saturation_at, curve.saturation_transcript, curve.last_new_at) == (4, "t5", 8)
    assert (curve.codes, curve.halfway, curve.share_at_halfway) == (5, 4, 0.8)
    assert result.codebook_codes == 6  # leaves: beds, wait, jail, transport, family, training
    # "training" was only applied to interviewer turns, and the theme "access" is never a code here.


def test_saturation_per_stratum_in_the_same_order(project):
    result = _saturation(project, by=["role"])
    officer, provider = result.strata["role"]["officer"], result.strata["role"]["provider"]
    assert [(s.transcript, s.new) for s in officer.steps] == [
        ("t3", ["beds", "wait"]),
        ("t2", []),
        ("t4", []),
        ("t8", ["jail"]),
    ]
    assert (officer.saturation_at, officer.codes, officer.halfway, officer.share_at_halfway) == (
        None,
        3,
        2,
        2 / 3,
    )
    assert [(s.transcript, s.new) for s in provider.steps] == [
        ("t1", ["jail"]),
        ("t5", ["beds", "transport"]),
        ("t6", ["wait"]),
        ("t7", ["family"]),
    ]
    assert _saturation(project, by=["role"], run=2).strata["role"]["officer"].saturation_at == 1


def test_other_orders(project):
    by_date = _saturation(project, order="attribute:date").overall
    assert [s.transcript for s in by_date.steps] == ["t1", "t3", "t4", "t2", "t5", "t6", "t7", "t8"]
    assert by_date.saturation_at is None  # new codes at 1, 2, 5 and 7: never 3 in a row without one
    coded = _saturation(project, order="coded").overall
    assert [s.transcript for s in coded.steps] == [t for t, *_ in reversed(PLAN)]


def test_cli_formats_and_errors(runner, project):
    base = ["report", "saturation", "--db", str(project)]
    data = json.loads(
        runner.invoke(app, [*base, "--format", "json", "--by", "role"], catch_exceptions=False).stdout
    )
    assert data["overall"]["saturation_at"] == 4 and data["overall"]["share_at_halfway"] == 0.8
    assert data["order"] == "ingest" and data["run"] == 3 and data["source"] == "consensus"
    assert set(data["by"]["role"]) == {"officer", "provider"}
    rows = list(csv.reader(io.StringIO(runner.invoke(app, [*base, "--format", "csv"]).stdout)))
    assert rows[0] == ["scope", "position", "transcript", "new_codes", "new_code_ids", "cumulative_codes"]
    assert rows[1] == ["all", "1", "t3", "2", "beds;wait", "2"]
    md = runner.invoke(app, [*base, "--format", "md"]).stdout
    assert "| all | 8 | 5 | 4 (t5) | 8 | 4 | 80.0% |" in md
    bad = runner.invoke(app, [*base, "--order", "alphabetical"])
    assert bad.exit_code == 1 and bad.stderr.startswith('Error: Unknown order "alphabetical".')
    unknown = runner.invoke(app, [*base, "--order", "attribute:age"])
    assert unknown.exit_code == 1 and 'No transcript has the attribute "age"' in unknown.stderr
    assert "Pass one of those to --order attribute:NAME," in unknown.stderr  # the option given, not --by
