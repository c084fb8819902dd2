"""Reports count participants (transcript plus speaker), not transcripts: a pair interview (an officer and
a clinician) is two participants with their own attributes; single-participant studies keep their numbers."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from wei_qual.agree import measure
from wei_qual.codebook.versions import load_into_project
from wei_qual.decisions_io import import_decisions
from wei_qual.deid import add_to_project_allowlist, load_allow_file
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision
from wei_qual.report.data import load_report_data
from wei_qual.report.html import build_html
from wei_qual.report.matrix import build_matrix
from wei_qual.report.quotes import build_quotes
from wei_qual.report.themes import build_theme_table, pct
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decisions
from wei_qual.store.transcripts import iter_segments

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "transcripts_sample"
CODEBOOK = ROOT / "codebooks" / "wei_crisis_response.yaml"


@pytest.fixture
def pair_project(tmp_path):
    """pair.txt (Officer + Clinician, speaker rows in the CSV) and two single-participant interviews."""
    for name in ("pair.txt", "bom.txt", "crlf.txt"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "attrs.csv").write_text(
        "id,speaker,role,setting\npair,,,urban\npair,Officer,officer,\npair,Clinician,provider,\n"
        "bom,,officer,rural\ncrlf,,provider,rural\n",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "p.db")
    result = ingest_files(
        db, [tmp_path / n for n in ("pair.txt", "bom.txt", "crlf.txt")], attributes_csv=tmp_path / "attrs.csv"
    )
    assert not result.failed and not result.warnings
    load_into_project(db, CODEBOOK)
    decide = {
        ("pair", 2): {"scene-safety"},  # Officer
        ("pair", 3): {"home-followup"},  # Clinician
        ("pair", 5): {"co-responder"},  # Officer
        ("pair", 6): {"home-followup"},  # Clinician
        ("pair", 8): {"csu-capacity", "ed-holding"},  # Clinician
        ("pair", 9): {"jail-fallback"},  # Officer
        ("bom", 2): {"co-responder"},
        ("crlf", 2): {"home-followup"},
    }
    decisions = []
    for coder in ("consensus", "alice", "bob"):
        for (t, n), codes in decide.items():
            decisions.append(
                Decision(t, n, coder, frozenset(codes), rationale="agreed" if coder == "consensus" else "")
            )
    save_decisions(db, decisions)
    return db


def test_theme_table_counts_each_speaker_of_a_pair_as_a_participant(pair_project):
    table = build_theme_table(load_report_data(pair_project), by=["role"])
    assert (table.n_participants, table.n_transcripts) == (4, 3)
    assert table.groups == {
        "role": {"officer": 2, "provider": 2}
    }  # the pair's speakers split by their own role
    rows = {r.code: r for r in table.rows}
    # home-followup: the pair's clinician (2 segments) and crlf: 2 participants of 4; both providers.
    assert (
        rows["home-followup"].segments,
        rows["home-followup"].participants,
        rows["home-followup"].pct_participants,
    ) == (3, 2, 50.0)
    assert {v: (c.segments, c.participants) for v, c in rows["home-followup"].by["role"].items()} == {
        "officer": (0, 0),
        "provider": (3, 2),
    }
    # co-responder: the pair's officer and bom, both officers.
    assert (rows["co-responder"].participants, rows["co-responder"].by["role"]["officer"].participants) == (
        2,
        2,
    )
    header = table.display_table().columns
    assert "Participants (N=4 in 3 transcripts)" in header
    assert "4 with a decided segment, in 3 transcripts" in table.display_table().notes[0]
    assert table.to_json()["participants"] == 4 and table.to_json()["transcripts"] == 3


def test_quotes_matrix_and_html_use_the_speakers_attributes(pair_project):
    data = load_report_data(pair_project, with_coders=True)
    quotes = build_quotes(data, codes=["home-followup"], per_group=3, show=["role", "setting"])
    assert [(q.transcript, q.segment, q.participant) for q in quotes.quotes] == [
        ("pair", 3, "pair Clinician, provider, urban"),
        ("crlf", 2, "crlf, provider, rural"),  # one per participant before a second from anyone
        ("pair", 6, "pair Clinician, provider, urban"),
    ]
    matrix = build_matrix(data)
    role = matrix.columns.index("role")
    assert {(r[0], r[1]): r[role] for r in matrix.rows if r[0] == "pair"} == {
        ("pair", 2): "officer",
        ("pair", 3): "provider",
        ("pair", 5): "officer",
        ("pair", 6): "provider",
        ("pair", 8): "provider",
        ("pair", 9): "officer",
    }
    html = build_html(data)
    assert "4 with coded segments, in 3 transcripts" in html
    assert "officer 2, provider 2" in html


def test_agreement_unit_is_still_the_segment_and_by_uses_the_speakers_role(pair_project):
    result = measure(pair_project, coders=["alice", "bob"], bootstrap=0, by="role")
    participant_segments = len(iter_segments(pair_project, role="participant"))
    assert participant_segments == 8
    assert result.units == participant_segments  # every participant segment, decided by both coders
    subsets = result.by["role"]
    # pair: 3 officer + 3 clinician segments; bom an officer, crlf a provider.
    assert {value: r.units for value, r in subsets.items()} == {"officer": 4, "provider": 4}


def _old_counts(db, source: str):
    """Today's definition, written out plainly: a participant is a transcript with a decided segment."""
    from wei_qual.report.data import ancestors_map

    data = load_report_data(db, source=source)
    lines = ancestors_map(data.codebook)
    people = sorted({t for t, _ in data.applied})
    by_code: dict[str, set[str]] = defaultdict(set)
    segs: dict[str, int] = defaultdict(int)
    for (t, n), codes in data.applied.items():
        for code in codes:
            by_code[code].add(t)
            segs[code] += 1
    roles = {t: data.attributes[t].get("role") for t in people}
    sizes = defaultdict(int)
    for t in people:
        sizes[roles[t]] += 1
    rows = {}
    for code in lines:
        raised = by_code.get(code, set())
        rows[code] = (
            segs.get(code, 0),
            len(raised),
            pct(len(raised), len(people)),
            {
                r: (
                    len({t for t in raised if roles[t] == r}),
                    pct(len({t for t in raised if roles[t] == r}), sizes[r]),
                )
                for r in sizes
            },
        )
    return len(people), rows


def test_single_participant_interviews_give_exactly_todays_numbers(tmp_path):
    sample = tmp_path / "sample"
    sample.mkdir()
    singles = [p for p in SAMPLE.iterdir() if p.stem in {f"P0{i}" for i in range(1, 10)}]  # not P10, a pair
    for p in singles:
        shutil.copy(p, sample / p.name)
    db = open_db(tmp_path / "s.db")
    add_to_project_allowlist(db, load_allow_file(SAMPLE / "allowlist.lst"))
    result = ingest_files(db, [sample], attributes_csv=SAMPLE / "participants.csv")
    assert result.transcripts == 9 and not result.failed
    load_into_project(db, CODEBOOK)
    rows = (SAMPLE / "decisions" / "alice.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "alice.csv").write_text(
        "\n".join(r for r in rows if not r.startswith("P10,")) + "\n", encoding="utf-8"
    )
    import_decisions(db, tmp_path / "alice.csv")
    n_old, old = _old_counts(db, "alice")
    table = build_theme_table(load_report_data(db, source="alice"), by=["role"])
    assert (table.n_participants, table.n_transcripts) == (n_old, 9) == (9, 9)
    assert "Participants (N=9)" in table.display_table().columns
    for r in table.rows:
        segments, participants, share, by_role = old[r.code]
        assert (r.segments, r.participants, r.pct_participants) == (segments, participants, share), r.code
        assert {v: (c.participants, c.pct_participants) for v, c in r.by["role"].items()} == by_role, r.code


def test_saturation_strata_hold_each_speakers_own_codes(pair_project):
    from wei_qual.report.saturation import build_saturation

    data = load_report_data(pair_project)
    sat = build_saturation(data, ["bom", "crlf", "pair"], order_name="given", by=["role"])
    officer, provider = sat.strata["role"]["officer"], sat.strata["role"]["provider"]
    assert [(s.transcript, s.new) for s in officer.steps] == [
        ("bom", ["co-responder"]),
        ("pair", ["jail-fallback", "scene-safety"]),  # the officer's codes only, in codebook order
    ]
    assert [(s.transcript, s.new) for s in provider.steps] == [
        ("crlf", ["home-followup"]),
        ("pair", ["csu-capacity", "ed-holding"]),  # the clinician's; home-followup is not new
    ]
