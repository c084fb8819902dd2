"""`wei-qual report methods` on the bundled sample: every number in the passage is checked against the
JSON of the command it comes from (agree, report themes, suggest evaluate, coders, codebook, report
saturation, assign), never against a second computation of the same thing."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from test_report_project import build_report_project
from typer.testing import CliRunner

from wei_qual.agree import list_disagreements, save_consensus
from wei_qual.cli import app
from wei_qual.codebook import load_into_project
from wei_qual.demo import DEMO_RULE, run_demo
from wei_qual.models import Code, Decision
from wei_qual.report.methods import build_methods
from wei_qual.report.methods_text import methods_html, methods_markdown
from wei_qual.store import open_db
from wei_qual.store.decisions import delete_decision, iter_decisions, save_decision
from wei_qual.suggest import run_suggest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The demo project, then: an assignment, a second codebook version (a rename and a new code),
    fresh suggestions, suggestions shown to alice on a few turns, and one disagreement reconciled."""
    out = tmp_path_factory.mktemp("methods")
    result = run_demo(out / "demo", sample_dir=ROOT / "transcripts_sample")
    runner = CliRunner()
    db_path = str(result.db_path)
    assign = runner.invoke(
        app,
        [
            "assign",
            "--coders",
            "alice,bob",
            "--double",
            "0.5",
            "--strata",
            "role",
            "--seed",
            "3",
            "--format",
            "json",
            "--db",
            db_path,
        ],
        catch_exceptions=False,
    )
    (out / "assign.json").write_text(assign.stdout)
    text = (ROOT / "codebooks" / "wei_crisis_response.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', 'version: "1.1"', 1)
    text = text.replace(
        "      - id: scene-safety\n", "      - id: scene-safety-lead\n        renamed_from: scene-safety\n", 1
    )
    text = text.rstrip("\n") + "\n  - id: funding\n    name: Funding\n    definition: Fictional test code.\n"
    (out / "v2.yaml").write_text(text, encoding="utf-8")
    db = open_db(db_path)
    # A study mid-reconciliation: the demo settles every disputed unit by its rule; undone here, so that
    # consensus holds the agreed units and the one disagreement reconciled below.
    for d in iter_decisions(db, coders=["consensus"]):
        if d.rationale == DEMO_RULE:
            delete_decision(db, d.transcript, d.segment, "consensus", actor="lead")
    load_into_project(db, out / "v2.yaml", actor="lead")
    run_suggest(db)
    interviews = [d for d in iter_decisions(db, coders=["alice"]) if d.transcript.startswith("P")]
    for d in interviews[:6]:  # the sample's documents come first by id; suggest evaluate leaves them out
        shown = frozenset(d.codes | {"funding"})
        save_decision(db, Decision(d.transcript, d.segment, "alice", d.codes, shown=shown, accepted=d.codes))
    _, items = list_disagreements(db, coders=["alice", "bob"])
    save_consensus(db, items[0].unit, items[0].disputed, "discussed", consensus="consensus", actor="lead")
    db.close()
    return out


def cli(project: Path, *args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, "--db", str(project / "demo" / "demo.db")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def js(project: Path, *args: str):
    return json.loads(cli(project, *args, "--format", "json"))


@pytest.fixture(scope="module")
def text(project) -> str:
    return cli(project, "report", "methods")


def a3(x: float | None) -> str:
    if x is None:
        return "undefined"
    s = f"{x:.3f}"
    return s.replace("0.", ".", 1) if s.startswith(("0.", "-0.")) else s


def ci(pair) -> str:
    return "no interval" if pair[0] is None else f"[{a3(pair[0])}, {a3(pair[1])}]"


def section(text: str, title: str) -> str:
    start = text.index(f"### {title}")
    end = text.find("\n### ", start + 1)
    return " ".join(text[start : end if end > 0 else None].split())


def test_sample_numbers_match_report_themes_and_transcripts(project, text):
    themes = js(project, "report", "themes", "--by", "role", "--by", "setting")
    part = section(text, "Sample and unit of analysis")
    participants = sum(themes["groups"]["role"].values())
    # The sample's ten interviews hold eleven participants: P10 is a pair (an officer and a clinician).
    assert (participants, themes["participants"], themes["transcripts"]) == (11, 11, 10)
    assert f"The analysis covers {participants} participants in 10 transcripts (codes counted from" in part
    roles = themes["groups"]["role"]
    settings = themes["groups"]["setting"]
    assert f"by role, officer {roles['officer']} and provider {roles['provider']}" in part
    assert f"by setting, rural {settings['rural']} and urban {settings['urban']}" in part
    assert "codes counted from source consensus" in part
    listed = js(project, "transcripts", "list")
    turns = sum(t["participant_segments"] for t in listed)
    assert f"The {turns} participant turns had a median of" in part
    # The words per turn, from `transcripts show` of every transcript (an independent count).
    words = [
        len(s["text"].split())
        for t in listed
        for s in js(project, "transcripts", "show", t["id"])["segments"]
        if s["role"] == "participant"
    ]
    q1, median, q3 = np.percentile(words, [25, 50, 75])
    one = lambda v: f"{round(v, 1):g}"  # word counts to one decimal at most
    assert f"a median of {one(median)} words (interquartile range {one(q1)}–{one(q3)})" in part


def test_double_coding_and_coders_match_agree_assign_and_coders(project, text):
    agreement = js(project, "agree", "--coders", "alice,bob", "--by", "role")
    turns = sum(t["participant_segments"] for t in js(project, "transcripts", "list"))
    part = section(text, "Double coding and coders")
    assert (
        f"{agreement['units']} turns ({100 * agreement['units'] / turns:.1f}% of all participant turns) in "
        f"{agreement['transcripts']} transcripts were coded independently" in part
    )
    assign = json.loads((project / "assign.json").read_text())
    assert (
        f"{len(assign['double'])} of {len(assign['assignments'])} transcripts (a share of 0.5) were assigned to "
        "two coders, drawn at random stratified by role (seed 3)" in part
    )
    assert "one coder so far" not in part  # the demo's coders coded every turn
    for row in js(project, "coders"):
        if row["coder"] in ("alice", "bob"):
            assert (
                f'{row["coder"]} decided {row["coded"]} turns ("nothing applies" on {row["nothing_applies"]})'
                in part
            )


def test_codebook_versions_match_codebook_versions_and_diff(project, text):
    versions = js(project, "codebook", "versions")
    diff = js(project, "codebook", "diff", "1", "2")
    part = section(text, "Codebook")
    first, second = versions
    assert f'version 1 ("1.0"), {first["loaded_utc"][:10]}: {first["codes"]} codes and themes' in part
    assert f'version 2 ("1.1"), {second["loaded_utc"][:10]}: added {diff["added"][0]}; renamed ' in part
    assert f"renamed {diff['renamed'][0]['from']} to {diff['renamed'][0]['to']}" in part
    # Coding ran under both versions (the reconciled turn under version 2): the passage says how much.
    exported = js(project, "decisions", "export")
    documents = {t["id"] for t in js(project, "transcripts", "list") if t.get("kind") == "document"}
    assert documents  # the sample's policy documents, whose decisions the passage leaves out
    per_version = {}
    for d in exported["decisions"] if isinstance(exported, dict) else exported:
        if d["transcript"] not in documents and d["coder"] != "consensus":
            per_version[d["codebook_version"]] = per_version.get(d["codebook_version"], 0) + 1
    assert len(per_version) == 2
    listed = " and ".join(f"version {v} ({n:,})" for v, n in sorted(per_version.items()))
    assert f"The coders' decisions were recorded under {listed}." in part


def test_reliability_numbers_match_agree(project, text):
    agreement = js(project, "agree", "--coders", "alice,bob", "--by", "role")
    part = section(text, "Reliability")
    overall = agreement["overall"]
    assert f"α = {a3(overall['alpha_pooled'])}, 95% CI {ci(overall['alpha_pooled_ci'])} (percentile" in part
    defined = sum(c["alpha"] is not None for c in agreement["codes"])
    assert f"Pooled over the {defined} codes with a defined α (of {len(agreement['codes'])})," in part
    assert "1,000 draws, seed 0" in part
    assert f"the mean of the per-code values was {a3(overall['alpha_mean'])}" in part
    verdict = {"reliable": 0, "tentative": 0, "unreliable": 0, "too few": 0}
    for c in agreement["codes"]:
        if c["alpha"] is None:
            continue
        if c["units_applied"] < 3:  # agree's JSON verdict, recounted: no verdict on one or two turns
            verdict["too few"] += 1
        else:
            verdict[
                "reliable" if c["alpha"] >= 0.8 else "tentative" if c["alpha"] >= 0.667 else "unreliable"
            ] += 1
    assert (
        f"{verdict['reliable']} codes were reliable (α ≥ .800), {verdict['tentative']} tentative "
        f"(.667 ≤ α \\< .800) and {verdict['unreliable']} unreliable" in part
    )
    assert verdict["too few"]  # the sample has codes on one or two double-coded turns
    few = verdict["too few"]
    assert f"{few} code{'s were' if few > 1 else ' was'} applied to too few turns to judge" in part
    for group in agreement["groups"]:
        assert f"{group['group']} α = {a3(group['alpha'])}, 95% CI {ci(group['alpha_ci'])}" in part
    for value, sub in agreement["by"]["role"].items():
        assert (
            f"{value} α = {a3(sub['overall']['alpha_pooled'])}, 95% CI {ci(sub['overall']['alpha_pooled_ci'])} ({sub['units']} turns)"
            in part
        )
    # Table 1: one row per code with alpha [CI], kappa, AC1 and prevalence.
    for c in agreement["codes"]:
        line = next(line for line in text.splitlines() if line.startswith(f"| {c['code']} |"))
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[1] == str(c["n_units"]) and cells[2] == a3(c["alpha"]), c["code"]
        assert cells[3] == ci(c["alpha_ci"])
        assert cells[4] == a3(c["cohen_kappa"]) and cells[5] == a3(c["gwet_ac1"])
        assert cells[6] == f"{100 * c['prevalence']:.1f}%"
    undefined = [c for c in agreement["codes"] if c["alpha"] is None]
    assert undefined  # "funding", new in version 2, was never applied
    for c in undefined:
        assert f"{c['code']} ({c['reason']})" in part


def test_diagnostics_match_agree_diagnostics(project, text):
    diag = js(project, "agree", "--coders", "alice,bob", "--diagnostics")["diagnostics"]
    part = section(text, "Coder diagnostics")
    more = sorted((r for r in diag["rates"] if r["flag"] == "more"), key=lambda r: -(r["ratio"] or 1e9))
    assert f"{len(more)} coder–code pairs differed by a factor of 1.5 or more" in part
    top = more[0]
    assert (
        f"{top['coder']} applies {top['code']} {top['ratio']:.2f}× as often as the others ({top['applied']} of "
        f"{top['decided']} turns; others {top['others_applied']} of {top['others_decided']})" in part
    )
    for c in diag["confusions"][:3]:
        assert f"{c['a']} / {c['b']} ({c['units']} turn" in part
    # agree labels its batches "units 1–50"; the passage, whose sentence counts turns, says "turns 1–50"
    labels = [b["label"] for b in diag["over_time"]["batches"]]
    assert labels and all(label.startswith(("units ", "unit ")) for label in labels)
    batches = "; ".join(
        f"{'turn' + b['label'][4:]} {a3(b['alpha_pooled'])}" for b in diag["over_time"]["batches"]
    )
    assert f"Pooled α per batch of 50 turns, in coding order: {batches}." in part
    assert "units" not in part


def test_reconciliation_matches_disagreements_and_agree_with_consensus(project, text):
    disputed = js(project, "agree", "--coders", "alice,bob", "--disagreements")["disagreements"]
    part = section(text, "Reconciliation")
    assert f"{len(disputed)} double-coded turns of " in part
    assert (
        f"; 1 of them have a consensus decision recorded with its rationale and {len(disputed) - 1} remain open"
        in part
    )
    for coder in ("alice", "bob"):
        vs = js(project, "agree", "--coders", f"{coder},consensus")
        assert (
            f"{coder} α = {a3(vs['overall']['alpha_pooled'])}, 95% CI {ci(vs['overall']['alpha_pooled_ci'])} "
            f"({vs['units']} turns)" in part
        )


def test_suggestions_match_suggest_evaluate(project, text):
    part = section(text, "Machine suggestions")
    scores = js(project, "suggest", "evaluate", "--coder", "consensus")
    micro, macro = scores["micro"], scores["macro"]
    assert (
        f"precision {a3(micro['precision'])} and recall {a3(micro['recall'])} (micro; macro "
        f"{a3(macro['precision'])} and {a3(macro['recall'])}) against consensus" in part
    )
    acceptance = js(project, "suggest", "evaluate", "--coder", "alice")["acceptance"]
    assert acceptance["shown"] > 0
    assert (
        f"alice accepted {acceptance['accepted']} of {acceptance['shown']} ({100 * acceptance['rate']:.1f}%)"
        in part
    )
    assert "bob accepted" not in part  # bob never saw a suggestion
    covers = js(project, "report", "methods", "--bootstrap", "0")["sample"]["consensus_covers"]
    assert covers["turns"] < covers["of"]  # the demo's consensus holds the agreed turns and one reconciled
    assert "[Measured on the turns consensus has decided so far only.]" in part


def test_saturation_matches_report_saturation(project, text):
    sat = js(project, "report", "saturation", "--by", "role", "--by", "setting")
    part = section(text, "Saturation")
    o = sat["overall"]
    assert (
        f"{o['codes']} distinct codes of the codebook's {sat['codebook_codes']} were applied; "
        f"{100 * o['share_at_halfway']:.1f}% of them were in place by transcript {o['halfway']} of {o['transcripts']}"
    ) in part
    reached = "not reached" if o["saturation_at"] is None else f"reached at transcript {o['saturation_at']}"
    assert f"(Guest, Namey & Chen, 2020), was {reached}" in part


def test_json_carries_every_value_from_the_same_functions(project):
    data = js(project, "report", "methods")
    agreement = js(project, "agree", "--coders", "alice,bob", "--by", "role", "--diagnostics")
    assert data["reliability"] == agreement
    saturation = js(project, "report", "saturation", "--by", "role", "--by", "setting")
    # The report's file carries the warnings said on stderr; the passage says them in its own words.
    assert saturation.pop("warnings") and data["saturation"] == saturation
    assert (
        data["sample"]["groups"]
        == js(project, "report", "themes", "--by", "role", "--by", "setting")["groups"]
    )
    assert (
        data["suggestions"]["acceptance"]["alice"]
        == js(project, "suggest", "evaluate", "--coder", "alice")["acceptance"]
    )
    assert (
        data["suggestions"]["engines"][0]["micro"]
        == js(project, "suggest", "evaluate", "--coder", "consensus")["micro"]
    )


def test_html_and_file_output(project, tmp_path):
    runner = CliRunner()
    out = tmp_path / "methods.html"
    result = runner.invoke(
        app,
        ["report", "methods", "-o", str(out), "--db", str(project / "demo" / "demo.db")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<h2>Reliability</h2>" in page and "<table>" in page
    assert "Content-Security-Policy" in page and "<script" not in page
    assert "Wrote the methods passage to" in result.stderr


def test_methods_before_reconciliation_count_majority_codes(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "p.db")
    for args in (
        ["deid", "allow", "add", "Dana Whitfield"],  # the sample's (fictional) interviewer, named by Otter
        [
            "ingest",
            str(ROOT / "transcripts_sample"),
            "--attributes",
            str(ROOT / "transcripts_sample" / "participants.csv"),
        ],
        ["codebook", "load", str(ROOT / "codebooks" / "wei_crisis_response.yaml")],
        ["decisions", "import", str(ROOT / "transcripts_sample" / "decisions" / "alice.csv")],
        ["decisions", "import", str(ROOT / "transcripts_sample" / "decisions" / "bob.csv")],
    ):
        assert runner.invoke(app, [*args, "--db", db]).exit_code == 0
    result = runner.invoke(app, ["report", "methods", "--bootstrap", "0", "--db", db], catch_exceptions=False)
    text = " ".join(result.stdout.split())
    assert "codes counted from source majority" in text
    assert "[No reconciliation is recorded yet: describe how disagreements were resolved.]" in text
    assert "No machine suggestions were computed; coders coded without them." in text
    assert "[Describe how the double-coded transcripts were chosen.]" in text


def test_many_batches_are_summarised_by_their_range():
    from types import SimpleNamespace

    from wei_qual.agree import Batch, Diagnostics
    from wei_qual.report.methods_text import diagnostics_section

    alphas = [0.7, 0.55, 0.8, 0.62, 0.66, 0.71, 0.69, 0.75, 0.72, 0.74]
    batches = [
        Batch(f"units {10 * i + 1}–{10 * i + 10}", 10, None, None, a, (None, None))
        for i, a in enumerate(alphas)
    ]
    diag = Diagnostics(["a", "b", "c"], 100, [], [], batches, "10")
    text = diagnostics_section(
        SimpleNamespace(agreement=SimpleNamespace(diagnostics=diag, warnings=[]))
    ).paragraphs[0]
    assert text.endswith(
        "Pooled α per batch of 10 turns, in coding order, ranged from .550 (turns 11–20) to .800 (turns 21–30) "
        "over 10 batches; it was .700 in the first and .740 in the last."
    )


@pytest.mark.parametrize("coders", [None, ["alice", "bob"], [" bob ", "alice", "bob"]])
def test_one_selection_with_consensus_is_the_coders_selection_and_consensus_on_its_units(project, coders):
    # methods selects the decisions once, reading the consensus coder's beside the coders': the same
    # selection as selecting the coders (units, codes, times, rows, groups), and consensus's codes on
    # those units as selecting it with them gives them.
    from wei_qual import agree
    from wei_qual.report.methods import _selections

    db = open_db(project / "demo" / "demo.db", create=False)
    try:
        sel = _selections(db, coders)
        expected = agree.select(db, coders=coders)
        assert sel == expected
        both = agree.select(db, coders=[*expected.coders, "consensus"])
        codes = {(u.transcript, u.segment): u.codes["consensus"] for u in both.units}
        assert sel.beside["consensus"] == [codes[(u.transcript, u.segment)] for u in sel.units]
        assert any(sel.beside["consensus"]) and None in sel.beside["consensus"]
        assert _selections(db, ["alice", "consensus"]).beside == {}  # consensus compared as a coder
    finally:
        db.close()


def test_each_coder_against_consensus_read_beside_is_measure_pairs_with_consensus(tmp_path):
    # measure_beside (consensus read beside the coders) gives measure_pairs of the selection with
    # consensus among its coders, on the units two of the coders decided: the same values and draws.
    # Consensus here has a turn of its own, a turn it copied from one coder (--accept-single: not a
    # decision), and leaves a double-coded turn undecided.
    from wei_qual import agree
    from wei_qual.models import SINGLE_COPY
    from wei_qual.store.decisions import CodeSets, iter_decision_rows

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db)
        for coder, codes in (("alice", {"followup"}), ("bob", set())):  # a double-coded turn left open
            save_decision(db, Decision("P02", 3, coder, frozenset(codes)))
        for coder in ("alice", "bob"):  # a stale copy: bob decided after consensus copied alice's
            save_decision(db, Decision("P05", 3, coder, frozenset({"followup"})))
        save_decision(db, Decision("P05", 3, "consensus", frozenset({"followup"}), rationale=SINGLE_COPY))
        save_decision(db, Decision("P05", 2, "alice", frozenset()))  # with consensus alone
        sel = agree.select(db, beside="consensus")
        # From decisions read once for the report data too (the passage's majority): the same selection.
        for coders in (None, ["bob", "alice"]):
            alone = agree.select(db, coders=coders, beside="consensus")
            read = (iter_decision_rows(db), CodeSets())
            shared = agree.select(db, coders=coders, beside="consensus", decisions=read)
            assert shared == alone and shared.beside == alone.beside
        both = agree.select(db, also=["consensus"])
        double = [u for u in both.units if sum(u.codes[c] is not None for c in sel.coders) >= 2]
        assert [(u.transcript, u.segment) for u in double] == [(u.transcript, u.segment) for u in sel.units]
        assert len(double) < len(both.units)  # consensus's own turn is a unit only with it
        both = dataclasses.replace(both, units=double)
        assert sel.beside["consensus"].count(None) == 2
        for ci_method in ("units", "kalpha"):
            options = {"bootstrap": 200, "seed": 3, "ci_method": ci_method}
            expected = agree.measure_pairs(both, sel.coders, "consensus", **options)
            assert agree.measure_beside(sel, "consensus", **options) == expected
            assert len(expected) == len(sel.coders) >= 2
    finally:
        db.close()


@pytest.mark.parametrize("ci_method", ["units", "kalpha"])
def test_each_coder_against_consensus_is_measure_pooled_of_the_narrowed_pair(project, ci_method):
    # measure_pairs takes every pair from one pair of matrices: the same units, values and draws as
    # narrowing the selection to the pair and measuring that.
    from wei_qual import agree

    db = open_db(project / "demo" / "demo.db", create=False)
    try:
        both = agree.select(db, coders=["alice", "bob", "consensus"])
        options = {"bootstrap": 300, "seed": 4, "ci_method": ci_method}
        for other in ("consensus", "bob"):
            coders = [c for c in both.coders if c != other]
            expected = {}
            for coder in coders:
                pair = agree.narrow(both, [coder, other])
                if pair is not None:
                    expected[coder] = agree.measure_pooled(pair, **options)
            assert agree.measure_pairs(both, coders, other, **options) == expected
        assert len(agree.measure_pairs(both, ["alice", "bob"], "consensus", **options)) == 2
    finally:
        db.close()


def test_a_coder_with_no_unit_in_common_with_consensus_is_left_out(tmp_path):
    from wei_qual import agree

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db)
        for segment in [("P02", 3), ("P05", 3)]:  # turns the consensus coder never decided
            save_decision(db, Decision(*segment, "alice", frozenset({"followup"})))
            save_decision(db, Decision(*segment, "dave", frozenset()))
        both = agree.select(db, coders=["alice", "dave", "consensus"])
        options = {"bootstrap": 100, "seed": 0, "ci_method": "units"}
        found = agree.measure_pairs(both, ["alice", "dave"], "consensus", **options)
        assert agree.narrow(both, ["dave", "consensus"]) is None
        assert found == {"alice": agree.measure_pooled(agree.narrow(both, ["alice", "consensus"]), **options)}
    finally:
        db.close()


def test_the_passage_does_not_need_the_batch_intervals_the_json_shows(project):
    # Only the JSON shows each over-time batch's interval, so the passage is written without them.
    db = open_db(project / "demo" / "demo.db", create=False)
    try:
        full = build_methods(db, coders=["alice", "bob"])
        lean = build_methods(db, coders=["alice", "bob"], batch_intervals=False)
    finally:
        db.close()
    assert methods_markdown(lean) == methods_markdown(full)
    assert methods_html(lean) == methods_html(full)
    assert any(b.alpha_pooled_ci != (None, None) for b in full.agreement.diagnostics.batches)
    assert all(b.alpha_pooled_ci == (None, None) for b in lean.agreement.diagnostics.batches)
    shown = js(project, "report", "methods", "--coders", "alice,bob")["reliability"]["diagnostics"]
    assert [b["alpha_pooled_ci"] for b in shown["over_time"]["batches"]] == [
        list(b.alpha_pooled_ci) for b in full.agreement.diagnostics.batches
    ]


def test_the_passage_is_the_same_from_two_processes_and_from_one(project, monkeypatch):
    # With two CPUs the strata, the diagnostics and each coder against consensus come from a forked
    # child; with one, all of it is measured here. Every value is the same.
    from wei_qual import parallel

    db = open_db(project / "demo" / "demo.db", create=False)
    try:
        forked = build_methods(db, bootstrap=300, seed=5).to_json()
        monkeypatch.setattr(parallel, "default_jobs", lambda: 1)
        inline = build_methods(db, bootstrap=300, seed=5).to_json()
    finally:
        db.close()
    assert forked == inline
    assert forked["reconciliation"]["with_consensus"] and forked["reliability"]["by"]


def test_single_coded_turns_in_consensus_are_said_and_not_measured_against(tmp_path):
    # reconcile --accept-single copies a coder's single-coded turns into consensus: the passage says how
    # many, and a coder's agreement with consensus stays on the double-coded turns, where consensus
    # reconciled (on the copies it is 1 by construction).
    from wei_qual.agree import accept_agreed, accept_single

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        accept_agreed(db, coders=["alice", "bob"], actor="lead")
        assert accept_single(db, coders=["alice", "bob"], actor="lead").copied == 1  # P04:2, alice's alone
        m = build_methods(db, bootstrap=0)
        assert m.single_coded == 1
        assert m.with_consensus["alice"].units == m.with_consensus["bob"].units == 1  # P02:2
        assert ", 1 single-coded turn among them, taken as their one coder coded them)" in methods_markdown(m)
        assert m.to_json()["reconciliation"]["single_coded"] == 1
    finally:
        db.close()


def test_without_draws_the_passage_names_no_interval(project):
    text = (
        CliRunner()
        .invoke(app, ["report", "methods", "--bootstrap", "0", "--db", str(project / "demo" / "demo.db")])
        .stdout
    )
    assert "95% CI" not in section(text, "Reliability") and "no confidence intervals were computed" in text


def test_suggestions_made_under_an_earlier_version_are_not_denied(tmp_path):
    # After a new codebook version, the passage said "No machine suggestions were computed; coders coded
    # without them." of a project whose suggestions (under version 1) were there, as fact.
    result = run_demo(tmp_path / "demo", sample_dir=ROOT / "transcripts_sample")
    text = (ROOT / "codebooks" / "wei_crisis_response.yaml").read_text(encoding="utf-8")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(text.replace('version: "1.0"', 'version: "1.1"', 1), encoding="utf-8")
    db = open_db(result.db_path, create=False)
    try:
        load_into_project(db, v2)
        passage = methods_markdown(build_methods(db, bootstrap=0))
    finally:
        db.close()
    assert "No machine suggestions were computed" not in passage
    assert "Machine suggestions were computed, but no recorded decision shows one on screen." in passage


def test_participants_are_placed_in_the_transcripts_they_come_from(tmp_path):
    # Consensus decided P01 only: its participant is in one transcript. The passage said "1 participant in
    # 5 transcripts (1 with coded participant turns)".
    from test_report_project import build_report_project

    from wei_qual.report.methods import build_methods

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        save_decision(db, Decision("P01", 2, "consensus", frozenset({"access-beds"}), rationale="agreed"))
        text = methods_markdown(build_methods(db, bootstrap=0))
    finally:
        db.close()
    assert (
        "The analysis covers 1 participant in 1 transcript, those of the project's 5 transcripts with "
        "participant turns decided (codes counted from source consensus)." in " ".join(text.split())
    )


def test_double_coding_still_waiting_for_its_second_coder_is_said(tmp_path):
    # Three transcripts assigned to two coders, one of them coded by alice alone so far: the passage said
    # they "were double-coded", beside a measured double coding of two.
    from test_report_project import build_report_project

    from wei_qual.report.methods import build_methods
    from wei_qual.store.assignments import replace_assignments

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        replace_assignments(
            db, {"P01": ["alice", "bob"], "P04": ["alice", "bob"]}, {"P01", "P04"}, actor="lead"
        )
        m = build_methods(db, bootstrap=0)
        text = " ".join(methods_markdown(m).split())
    finally:
        db.close()
    assert m.waiting == (1, 1)  # P04:2, alice's alone
    assert (
        "[1 turn in 1 of the transcripts assigned to two coders has one coder so far: the double coding is "
        "not complete.]" in text
    )


def test_coders_left_out_of_the_comparison_are_named(tmp_path):
    # With --coders alice,bob the passage said "2 coders (alice and bob) coded independently" of a study
    # where carol coded too.
    from test_report_project import build_report_project

    from wei_qual.report.methods import build_methods

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob", "carol"))
        text = " ".join(methods_markdown(build_methods(db, coders=["alice", "bob"], bootstrap=0)).split())
        everyone = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert "[Also coded, and not compared here: carol (1 turn).]" in text
    assert "not compared here" not in everyone


def test_turns_coded_outside_the_counts_name_a_coder_left_out_by_coders_as_one(tmp_path):
    # With --coders alice,bob the passage said "2 interviewer turns were coded too, by 2 coders (alice and
    # carol)" (and the same of a review turn), as if carol were one of the coders it is about.
    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob", "carol"))
        save_decision(db, Decision("P02", 1, "carol", frozenset()))  # an interviewer turn
        db.execute("UPDATE segments SET role = 'review' WHERE transcript_id = 'P03' AND n = 1")
        for coder in ("alice", "carol"):
            save_decision(db, Decision("P03", 1, coder, frozenset({"followup"})))
        db.execute("UPDATE segments SET role = 'other' WHERE transcript_id = 'P04' AND n = 1")
        save_decision(db, Decision("P04", 1, "carol", frozenset({"followup"})))  # another speaker's turn
        chosen = build_methods(db, coders=["alice", "bob"], bootstrap=0)
        text = " ".join(methods_markdown(chosen).split())
        everyone = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert (
        "2 interviewer turns were coded too, by 2 coders (alice, and carol, who is not compared here), and are "
        "left out of every count and of the agreement." in text
    )
    assert (
        "[1 turn whose speaker's role is not settled (role review) was coded too, by 2 coders (alice, and carol, who "
        "is not compared here), and is left out of every count" in text
    )
    assert (
        "[1 turn of other speakers (role other: neither interviewer nor participant) was coded too, by 1 coder "
        "(carol, who is not compared here), and is left out of every count" in text
    )
    assert "[Also coded, and not compared here: carol (1 turn).]" in text
    assert "2 interviewer turns were coded too, by 2 coders (alice and carol), and" in everyone
    assert "by 2 coders (alice and carol), and is left out" in everyone and "not compared" not in everyone
    # The JSON keeps every coder's count: what was coded, whoever coded it.
    assert chosen.to_json()["unit"]["interviewer_turns_coded"] == {
        "turns": 2,
        "coders": {"alice": 1, "carol": 1},
    }


def test_a_new_name_alone_is_not_called_a_revised_definition(tmp_path):
    # "revised the definitions or rules of access-beds" was said of a code whose display name alone
    # changed; the new version's size went unsaid.
    import dataclasses

    from test_report_project import CODEBOOK, build_report_project

    from wei_qual.report.methods import build_methods
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        codes = [
            dataclasses.replace(c, name="Crisis unit beds") if c.id == "access-beds" else c
            for c in CODEBOOK.codes
        ]
        codes = [
            dataclasses.replace(c, definition="Any follow-up call.") if c.id == "followup" else c
            for c in codes
        ]
        save_codebook_version(db, dataclasses.replace(CODEBOOK, version="2", codes=tuple(codes)), "v: 2\n")
        text = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert (
        'version 2 ("2"), ' in text
        and ": revised the definitions or rules of followup; changed the name of access-beds (4 codes and themes "
        "in all)."
        in text
    )


def test_a_turn_a_coder_not_compared_double_coded_is_not_waiting(tmp_path):
    # With --coders alice,bob, P04:2 (alice and carol) was counted as waiting for its second coder.
    from test_report_project import build_report_project

    from wei_qual.report.methods import build_methods
    from wei_qual.store.assignments import replace_assignments

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        save_decision(db, Decision("P04", 2, "carol", frozenset({"access-beds"})))
        replace_assignments(db, {"P04": ["alice", "carol"]}, {"P04"}, actor="lead")
        assert build_methods(db, coders=["alice", "bob"], bootstrap=0).waiting == (0, 0)
    finally:
        db.close()


def test_an_id_given_back_is_not_called_added(tmp_path):
    # Version 3 gave "followup" (removed in version 2) to another code: the passage said "added followup".
    import dataclasses

    from test_report_project import CODEBOOK, build_report_project

    from wei_qual.report.methods import build_methods
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        without = tuple(c for c in CODEBOOK.codes if c.id != "followup")
        save_codebook_version(db, dataclasses.replace(CODEBOOK, version="2", codes=without), "v: 2\n")
        other = Code("followup", "Backup plan", definition="When no officer is free.")
        save_codebook_version(
            db, dataclasses.replace(CODEBOOK, version="3", codes=(*without, other)), "v: 3\n"
        )
        text = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert (
        'version 3 ("3"), ' in text and ": gave the id followup of an earlier version to another code" in text
    )
    assert "added followup" not in text


def _reconciled(path: Path, consensus: str) -> Path:
    """The report project's three coders, reconciled into `consensus`: the agreed turns copied, alice's
    single-coded turn taken as coded, one disagreement decided, and alice's copied turn recoded since;
    the rules suggested followup on every participant turn."""
    from wei_qual.agree import accept_agreed, accept_single
    from wei_qual.store import transaction
    from wei_qual.store.suggestions import replace_suggestions

    db = open_db(path)
    try:
        build_report_project(db, coders=("alice", "bob", "carol"))
        turns = [r[0] for r in db.execute("SELECT id FROM segments WHERE n > 1")]
        with transaction(db):
            rows = [(turn, "followup", 0.9, []) for turn in turns]
            replace_suggestions(db, codebook_id=1, engine="rules", segment_ids=None, rows=rows)
        accept_agreed(db, consensus=consensus, actor="lead")
        accept_single(db, consensus=consensus, actor="lead")
        _, items = list_disagreements(db)
        save_consensus(db, items[0].unit, items[0].disputed, "discussed", consensus=consensus, actor="lead")
        save_decision(db, Decision("P04", 2, "alice", frozenset({"followup"})))
    finally:
        db.close()
    return path


def _methods(path: Path, *args: str):
    result = CliRunner().invoke(
        app, ["report", "methods", "--bootstrap", "0", *args, "--db", str(path)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result


def test_a_consensus_stored_under_another_name_is_described_with_source(tmp_path):
    # reconcile --as final, read with --source final: the passage measured no coder against final, said
    # nothing of its copies, stale or single-coded, and listed final among the coders not compared.
    named = _reconciled(tmp_path / "final.db", "final")
    usual = json.loads(_methods(_reconciled(tmp_path / "usual.db", "consensus"), "--format", "json").stdout)
    ours = json.loads(_methods(named, "--source", "final", "--format", "json").stdout)
    assert ours["reconciliation"] == {**usual["reconciliation"], "consensus": "final"}
    assert ours["suggestions"]["engines"] == [{**usual["suggestions"]["engines"][0], "reference": "final"}]
    assert ours["suggestions"]["engines"][0]["segments"] == 3  # the turns final decided
    assert ours["reconciliation"]["with_consensus"].keys() == {"alice", "bob", "carol"}
    assert (ours["reconciliation"]["single_coded"], ours["reconciliation"]["stale_copies"]) == (1, 1)
    assert (
        ours["sample"] == usual["sample"]
        and ours["coders_not_compared"] == {} == usual["coders_not_compared"]
    )
    # The coders' agreement is the same, final left out of the coders (the diagnostics hold decision times).
    assert {**ours["reliability"], "diagnostics": None} == {**usual["reliability"], "diagnostics": None}
    # The warnings the other reports give of that consensus are in the JSON, naming it.
    assert [w.split(",")[0] for w in ours["warnings"]] == [
        "1 final decision on participant turns was copied from coders' decisions that have changed since",
        "final has decided 3 of the 4 participant turns the coders decided",
    ]
    text = " ".join(_methods(named, "--source", "final").stdout.split())
    assert "[Consensus (stored as final) so far covers 3 of the 4 participant turns" in text
    assert "; 1 of them have a consensus decision (stored as final) recorded with its rationale" in text
    assert (
        "[Consensus decisions copied from the coders on 1 participant turn no longer match their decisions"
        in text
    )
    assert "Agreement of each coder with the consensus (pooled α" in text
    assert " against consensus (stored as final) on 3 turns" in text
    assert "stored as" not in _methods(tmp_path / "usual.db").stdout


def test_consensus_stored_only_under_another_name_is_said_not_read(tmp_path):
    # Before: "[No reconciliation is recorded yet ...]" of a project reconciled with --as final, and no word.
    path = tmp_path / "p.db"
    db = open_db(path)
    build_report_project(db, coders=("alice", "bob", "carol"))
    db.close()
    assert _methods(path).stderr == ""  # nothing reconciled anywhere: nothing to say
    _reconciled(tmp_path / "final.db", "final")
    result = _methods(tmp_path / "final.db", "--format", "json")
    warning = (
        'this project has no decisions under "consensus", but reconcile stored consensus under "final" '
        "(reconcile --as); read it with --source final. Without it, the passage counts the majority's codes "
        "and measures no coder against consensus."
    )
    assert " ".join(result.stderr.split()) == f"Warning: {warning}"
    data = json.loads(result.stdout)
    assert data["warnings"] == [warning] and data["source"] == "majority"
    assert data["reconciliation"]["with_consensus"] == {}
    text = " ".join(_methods(tmp_path / "final.db").stdout.split())
    assert (
        '[Consensus is not read here: reconcile stored consensus under "final" (reconcile --as); read it with '
        "--source final.]" in text
    )
    assert "No reconciliation is recorded yet" not in text


def test_interviewer_turns_coded_are_said_not_denied(project, text, tmp_path):
    # The passage said "interviewer turns were not coded" of a project where alice coded one (P01:1).
    from test_report_project import build_report_project

    from wei_qual.report.methods import build_methods

    assert (
        "The unit of coding and of agreement was the participant speaker turn; interviewer turns were not "
        "coded." in section(text, "Sample and unit of analysis")
    )
    assert js(project, "report", "methods")["unit"]["interviewer_turns_coded"] == {"turns": 0, "coders": {}}
    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        m = build_methods(db, bootstrap=0)
        text = " ".join(methods_markdown(m).split())
        save_decision(db, Decision("P02", 1, "bob", frozenset()))  # "nothing applies" is a decision too
        both = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert (
        "The unit of coding and of agreement was the participant speaker turn; 1 interviewer turn was coded "
        "too, by 1 coder (alice), and is left out of every count and of the agreement." in text
    )
    assert "were not coded" not in text
    assert m.to_json()["unit"]["interviewer_turns_coded"] == {"turns": 1, "coders": {"alice": 1}}
    assert (
        "2 interviewer turns were coded too, by 2 coders (alice and bob), and are left out of every count and "
        "of the agreement." in both
    )


def test_a_copy_a_coder_who_joined_later_disputes_is_not_called_resolved(tmp_path):
    # erin coded P02:2 in a packet (dated before) merged after reconcile copied alice and bob's agreement:
    # the passage counted the turn as a disagreement resolved with its rationale, and no copy as stale.
    from wei_qual.agree import accept_agreed

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        assert accept_agreed(db, coders=["alice", "bob"], actor="lead") == 1  # P02:2, followup
        earlier = "2020-01-01T00:00:00.000+00:00"
        save_decision(db, Decision("P02", 2, "erin", frozenset(), decided_utc=earlier))
        m = build_methods(db, bootstrap=0)
        assert (m.disputed, m.resolved, m.stale_copies) == (3, 0, 1)
        text = " ".join(methods_markdown(m).split())
        assert "3 double-coded turns of 3 had a disagreement; 0 of them have a consensus decision" in text
        assert (
            "[Consensus decisions copied from the coders on 1 participant turn no longer match their decisions"
            in text
        )
    finally:
        db.close()


def test_agree_against_consensus_leaves_out_single_coded_copies_as_the_passage_does(tmp_path):
    # agree --coders alice,consensus counted every turn alice coded alone that reconcile --accept-single
    # copied into consensus: a second "coding" equal to hers by construction, which raised α silently,
    # and gave another number than the passage's alice-against-consensus.
    from wei_qual import agree
    from wei_qual.agree import accept_agreed, accept_single

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        accept_agreed(db, coders=["alice", "bob"], actor="lead")
        save_decision(
            db, Decision("P01", 2, "consensus", frozenset({"access-beds"}), rationale="bob is right")
        )
        assert accept_single(db, coders=["alice", "bob"], actor="lead").copied == 1  # P04:2, alice's alone
        result = agree.measure(db, coders=["alice", "consensus"], bootstrap=0)
        assert result.units == 2  # P01:2 reconciled, P02:2 agreed; not P04:2
        [warning] = result.warnings
        assert warning.startswith("1 segment one coder decided alone, which reconcile copied into consensus")
        m = build_methods(db, bootstrap=0)
        assert m.with_consensus["alice"].units == result.units
        assert m.with_consensus["alice"].alpha_pooled == result.alpha_pooled
        # alice's presence values on P01:2 and P02:2 against consensus's, as krippendorff computes them
        rows = [r.code for r in result.codes if r.alpha is not None]  # the codes with variation, pooled
        alice = {("P01", 2): {"access-beds", "access-transport"}, ("P02", 2): {"followup"}}
        final = {("P01", 2): {"access-beds"}, ("P02", 2): {"followup"}}
        data = [[float(c in coder[u]) for c in rows for u in sorted(alice)] for coder in (alice, final)]
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert result.alpha_pooled == pytest.approx(expected)
    finally:
        db.close()


def test_a_single_coder_study_gets_the_passage_without_reliability_numbers(tmp_path):
    # One analyst (or a lead coder and an auditor who coded other turns): report methods exited 1 with
    # agree's error, so the study got no passage at all.
    one = tmp_path / "one.db"
    db = open_db(one)
    build_report_project(db, coders=("alice",))
    db.close()
    result = _methods(one, "--format", "json")
    data = json.loads(result.stdout)
    assert data["reliability"] is None
    [warning] = data["warnings"]
    assert warning.startswith(
        "Agreement between coders could not be measured: alice was the only coder, so no turn was coded "
        "independently by two coders."
    )
    assert " ".join(result.stderr.split()) == f"Warning: {warning}"
    assert data["double_coding"]["units"] == 0 and data["reconciliation"]["disputed"] is None
    assert [r["coder"] for r in data["coders"]] == ["alice"] and data["saturation"]["overall"]["codes"] == 3
    text = " ".join(_methods(one).stdout.split())
    assert (
        "### Reliability Agreement between coders could not be measured: alice was the only coder, so no "
        "turn was coded independently by two coders; no reliability coefficient is reported. [Describe how "
        "the credibility of the coding was established instead" in text
    )
    assert "1 coder (alice) coded: alice decided 4 turns" in text and "### Saturation" in text
    assert "Table 1" not in text and "Coder diagnostics" not in text and "α" not in text
    assert "The unit of coding was the participant speaker turn" in text
    # No overlap: dan coded a turn alice did not; consensus (the lead's final coding) is described.
    apart = tmp_path / "apart.db"
    db = open_db(apart)
    build_report_project(db, coders=("consensus", "alice"))
    save_decision(db, Decision("P05", 2, "dan", frozenset({"followup"})))
    db.close()
    data = json.loads(_methods(apart, "--format", "json").stdout)
    assert data["reliability"] is None and data["reconciliation"]["consensus_decisions"] == 7
    assert "no participant turn was decided by two of the coders (alice and dan)" in data["warnings"][0]
    text = " ".join(_methods(apart).stdout.split())
    assert "2 coders (alice and dan) coded: alice decided 4 turns" in text and "dan decided 1 turn (" in text
    assert "no disagreement between coders to reconcile. [7 consensus decisions are recorded" in text
    # agree itself still refuses, in one line.
    result = CliRunner().invoke(app, ["agree", "--db", str(one)])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


def test_a_coder_with_a_handful_of_turns_is_named_not_ranked_in_the_passage():
    # "carol applies x 4.21× as often as the others (2 of 3 units ...)" came first in the passage.
    import numpy as np

    from wei_qual import agree
    from wei_qual.agree.diagnostics import application_rates
    from wei_qual.report.methods_text import diagnostics_section

    sel = agree.Selection(None, ["alice", "bob", "carol"], ["x"], {"x": {"x"}}, {}, [])
    decided = np.ones((3, 60), dtype=bool)
    decided[2, 3:] = False
    presence = np.zeros((3, 60, 1), dtype=bool)
    presence[0, :20, 0], presence[1, :9, 0], presence[2, :2, 0] = True, True, True
    rates = application_rates(sel, decided, presence)
    diag = agree.Diagnostics(["alice", "bob", "carol"], 60, rates, [], [], "50")
    m = type("M", (), {"agreement": type("A", (), {"diagnostics": diag, "warnings": []})()})()
    [text] = diagnostics_section(m).paragraphs
    # alice: 20 of 60 against 11 of 63 (1.91×); bob: 9 of 60 against 22 of 63 (0.43×, less, not listed
    # first); carol (2 of 3) is not ranked.
    assert "alice applies x 1.91× as often as the others (20 of 60 turns; others 11 of 63)" in text
    assert "carol applies" not in text
    assert (
        "carol (3 turns) decided too few of the double-coded turns to compare (fewer than 20), and is left "
        "out of this comparison." in text
    )


def test_stale_copies_on_documents_are_not_counted_as_turns(project, tmp_path):
    # A policy document's consensus copy that no longer matched (alice recoded the section after
    # reconcile --kind document copied it) was counted in the passage and the reports' warning as a
    # stale consensus decision on the turns they count, and the fix they named never copied it again.
    import shutil

    path = tmp_path / "doc.db"
    shutil.copy(project / "demo" / "demo.db", path)
    db = open_db(path)
    copied = db.execute(
        "SELECT t.id, s.n, d.codes FROM decisions d JOIN segments s ON s.id = d.segment_id "
        "JOIN transcripts t ON t.id = s.transcript_id WHERE d.coder_id = 'consensus' AND t.kind = 'document' "
        "AND d.rationale LIKE '%[copied by reconcile --accept-agreed]' ORDER BY t.id, s.n LIMIT 1"
    ).fetchone()
    save_decision(
        db, Decision(copied[0], copied[1], "alice", frozenset({"funding"}) - set(json.loads(copied[2])))
    )
    db.close()
    result = _methods(path, "--format", "json")
    data = json.loads(result.stdout)
    assert (data["reconciliation"]["stale_copies"], data["reconciliation"]["stale_document_copies"]) == (0, 1)
    stderr = " ".join(result.stderr.split())
    assert (
        "Warning: 1 consensus decision on document segments was copied from coders' decisions that have "
        'changed since. Copy it again with "wei-qual reconcile --coder LEAD --accept-agreed --accept-single '
        "--kind document" in stderr
    )
    assert "on participant turns" not in stderr
    text = " ".join(_methods(path).stdout.split())
    assert (
        "[Consensus decisions copied from the coders on 1 document segment no longer match their decisions, "
        "changed or added since: copy again and reconcile before reporting (reconcile --kind document for "
        "the documents).]" in text
    )
    # The single-coded copies the passage counts among the consensus decisions (turns) are turns too.
    db = open_db(path)
    save_decision(
        db,
        Decision(
            copied[0],
            copied[1],
            "consensus",
            frozenset(),
            rationale="single-coded by alice [copied by reconcile --accept-single]",
        ),
    )
    db.close()
    assert json.loads(_methods(path, "--format", "json").stdout)["reconciliation"]["single_coded"] == 0


def test_decisions_by_codebook_version_add_up_to_the_turns_the_coders_decided(tmp_path):
    # A second codebook version mid-study: the decisions under each version counted alice's decision on
    # an interviewer turn, which the coders' turns (and every count of the passage) leave out.
    from test_report_project import CODEBOOK

    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        with transaction(db):
            save_codebook_version(db, CODEBOOK, "name: crisis\nversion: 2\n")
        save_decision(db, Decision("P05", 2, "bob", frozenset({"followup"})))  # under version 2
        m = build_methods(db, bootstrap=0)
    finally:
        db.close()
    # alice: P01:2, P02:2, P03:2, P04:2 under version 1 (P01:1 is the interviewer's); bob: 3 and 1.
    assert {r["coder"]: r["coded"] for r in m.coders} == {"alice": 4, "bob": 4}
    assert m.decisions_by_version == {1: 7, 2: 1}
    assert "The coders' decisions were recorded under version 1 (7) and version 2 (1)." in " ".join(
        methods_markdown(m).split()
    )


def test_decisions_by_codebook_version_say_they_count_a_coder_left_out_by_coders(tmp_path):
    # With --coders alice,bob, "The coders' decisions were recorded under version 1 (8) and version 2 (1)"
    # counted carol's too: the figures did not add up to the turns of the coders the passage names.
    from test_report_project import CODEBOOK

    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob", "carol"))
        with transaction(db):
            save_codebook_version(db, CODEBOOK, "name: crisis\nversion: 2\n")
        save_decision(db, Decision("P05", 2, "bob", frozenset({"followup"})))  # under version 2
        chosen = " ".join(methods_markdown(build_methods(db, coders=["alice", "bob"], bootstrap=0)).split())
        everyone = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert (
        "Every coder's decisions (carol too, not compared here) were recorded under version 1 (8) and version "
        "2 (1)." in chosen
    )
    assert "The coders' decisions were recorded under version 1 (8) and version 2 (1)." in everyone


def test_the_turns_consensus_lacks_say_they_count_a_coder_left_out_by_coders(tmp_path):
    # With --coders alice,bob, "Consensus so far covers 4 of the 5 participant turns the coders decided"
    # counted carol's P02:3, which neither coder the passage names decided.
    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("consensus", "alice", "bob", "carol"))
        save_decision(db, Decision("P02", 3, "carol", frozenset({"followup"})))
        chosen = " ".join(methods_markdown(build_methods(db, coders=["alice", "bob"], bootstrap=0)).split())
        everyone = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
    finally:
        db.close()
    assert "[Consensus so far covers 4 of the 5 participant turns any coder decided (carol too):" in chosen
    assert "[Consensus so far covers 4 of the 5 participant turns the coders decided:" in everyone


def test_agreement_with_a_consensus_that_resolved_nothing_is_said_to_be_by_construction(tmp_path):
    # After reconcile --accept-agreed alone (the demo's state, and a team's before the meeting), the
    # passage gave "alice α = 1.000 (1 turn)" against consensus as a finding: consensus had only copied
    # the turns the coders agreed on.
    from wei_qual.agree import accept_agreed

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        assert accept_agreed(db, coders=["alice", "bob"], actor="lead") == 1  # P02:2
        m = build_methods(db, bootstrap=0)
        assert (m.disputed, m.resolved) == (2, 0) and m.with_consensus["alice"].units == 1
        text = " ".join(methods_markdown(m).split())
        assert (
            "[Consensus has resolved no disagreement yet: on the turns it took as the coders agreed" in text
        )
        # One disagreement decided by the lead: the values mean something, and the bracket goes.
        _, items = list_disagreements(db, coders=["alice", "bob"])
        save_consensus(db, items[0].unit, items[0].disputed, "discussed", consensus="consensus", actor="lead")
        text = " ".join(methods_markdown(build_methods(db, bootstrap=0)).split())
        assert "resolved no disagreement" not in text
    finally:
        db.close()


def test_the_passage_counts_participant_turns_and_names_coded_review_turns_apart(tmp_path):
    # A transcript with unlabelled text (role review): the coding session walks its turn, so alice
    # coded it; the passage said "alice decided 5 turns" of a unit it calls the participant turn, and
    # agreement never counts such a turn.
    import shutil

    path = tmp_path / "review.db"
    db = open_db(path)
    build_report_project(db, coders=("alice", "bob"))
    db.close()
    shutil.copy(Path(__file__).parent / "data" / "zoom_unnamed.vtt", tmp_path / "zoom_unnamed.vtt")
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path / "zoom_unnamed.vtt"), "--allow-pii", "--db", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    db = open_db(path)
    [review] = db.execute("SELECT n FROM segments WHERE role = 'review'").fetchall()
    for coder in ("alice", "bob"):
        save_decision(db, Decision("zoom_unnamed", review[0], coder, frozenset({"followup"})))
    db.close()
    data = json.loads(_methods(path, "--format", "json").stdout)
    coded = {r["coder"]: r["coded"] for r in data["coders"]}
    assert coded == {"alice": 4, "bob": 3}  # the fixture's participant turns, as before the review turn
    assert data["unit"]["review_turns_coded"] == {
        "turns": 1,
        "coders": {"alice": 1, "bob": 1},
    }
    # agree's units: the turns both decided, none of them the review turn
    agree = json.loads(CliRunner().invoke(app, ["agree", "-f", "json", "--db", str(path)]).stdout)
    assert data["double_coding"]["units"] == agree["units"]
    text = " ".join(_methods(path).stdout.split())
    assert "alice decided 4 turns" in text and "bob decided 3 turns" in text
    assert (
        "[1 turn whose speaker is not known (role review) was coded too, by 2 coders (alice and bob), and is "
        "left out of every count and of the agreement: give the unlabelled text a role (wei-qual transcripts "
        "roles ID --unlabelled participant) to count it.]" in text
    )
    # `coders` counts what the session walks, review turns included, and says so.
    listed = CliRunner().invoke(app, ["coders", "-f", "json", "--db", str(path)])
    assert {r["coder"]: r["coded"] for r in json.loads(listed.stdout)} == {"alice": 5, "bob": 4}
    helped = " ".join(CliRunner().invoke(app, ["coders", "--help"]).stdout.split())
    assert "turns with no known speaker, role review" in helped


def test_a_coded_turn_of_a_voice_heard_once_gets_advice_that_counts_it(tmp_path):
    # The note-taker asks once in a Zoom interview: a named speaker left to review. The passage called
    # the turn's speaker "not known" and advised --unlabelled participant, which refuses this transcript
    # ("has no unlabelled segments"); the speaker's role is what a person sets.
    path = tmp_path / "heard_once.db"
    db = open_db(path)
    build_report_project(db, coders=("alice", "bob"))
    db.close()
    vtt = tmp_path / "E03.vtt"  # the report project has a P03 of its own
    vtt.write_bytes((Path(__file__).parent / "data" / "e2e_study" / "P03.vtt").read_bytes())
    result = CliRunner().invoke(app, ["ingest", str(vtt), "--allow-pii", "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    db = open_db(path)
    assert db.execute("SELECT speaker FROM segments WHERE transcript_id = 'E03' AND n = 3").fetchone()[0] == (
        "Sam Okoye"
    )
    for coder in ("alice", "bob"):
        save_decision(db, Decision("E03", 3, coder, frozenset({"followup"})))
    db.close()
    before = json.loads(_methods(path, "--format", "json").stdout)
    assert before["unit"]["review_turns_coded"]["turns"] == 1
    text = " ".join(_methods(path).stdout.split())
    assert (
        "[1 turn whose speaker's role is not settled (role review) was coded too, by 2 coders (alice and bob), "
        "and is left out of every count and of the agreement: set the role of their speakers (wei-qual "
        "transcripts roles ID --participant NAME to count them, --other NAME for someone who is neither "
        "interviewer nor participant, --unlabelled participant for text with no label).]" in text
    )
    # The advice, followed, counts the turn.
    fixed = CliRunner().invoke(
        app, ["transcripts", "roles", "E03", "--participant", "Sam Okoye", "--force", "--db", str(path)]
    )
    assert fixed.exit_code == 0, fixed.stderr
    after = json.loads(_methods(path, "--format", "json").stdout)
    assert after["unit"]["review_turns_coded"]["turns"] == 0
    assert after["unit"]["count"] == before["unit"]["count"] + 1


def test_one_coders_codes_are_named_as_hers_not_as_a_majority(tmp_path):
    # With one coder and no consensus the passage said "codes counted from source majority": a majority
    # of one, where the other reports say "alice is its only coder: pass --source alice".
    one = tmp_path / "one.db"
    db = open_db(one)
    build_report_project(db, coders=("alice",))
    db.close()
    counted = "(codes counted from source alice, the project's only coder)."
    assert counted in " ".join(_methods(one).stdout.split())
    page = tmp_path / "methods.html"
    _methods(one, "-o", str(page))
    import html

    assert counted in " ".join(html.unescape(page.read_text(encoding="utf-8")).split())
    data = json.loads(_methods(one, "--format", "json").stdout)
    assert (data["source"], data["source_note"]) == ("alice", "the project's only coder")
    assert data["sample"]["participants"] == 4  # alice's P01, P02, P03 and P04
    # Asked for majority by name: it is said to be alice's own codes, in the passage and the warnings.
    result = _methods(one, "--source", "majority", "--format", "json")
    data = json.loads(result.stdout)
    assert data["source"] == "majority"
    assert data["source_note"] == "that is, alice's own codes: alice is the only coder"
    said = (
        "alice is the project's only coder, so --source majority counts alice's own codes: pass --source "
        "alice to name them so"
    )
    assert said in data["warnings"] and said in " ".join(result.stderr.split())
    text = " ".join(_methods(one, "--source", "majority").stdout.split())
    assert (
        "(codes counted from source majority, that is, alice's own codes: alice is the only coder)." in text
    )
    # Coders who split the turns: majority is each turn's one coder.
    apart = tmp_path / "apart.db"
    db = open_db(apart)
    build_report_project(db, coders=("alice",))
    save_decision(db, Decision("P05", 2, "dan", frozenset({"followup"})))
    db.close()
    data = json.loads(_methods(apart, "--format", "json").stdout)
    assert data["source"] == "majority"
    assert data["source_note"] == (
        "that is, each turn's codes as its one coder applied them: no turn was coded by two coders"
    )
    assert any(
        w.startswith("no turn was coded by two coders, so --source majority") for w in data["warnings"]
    )


def test_majority_is_over_the_coders_the_reliability_section_compares(tmp_path):
    # `--coders bob,carol` narrowed the reliability section, but the passage counted the majority of
    # alice, bob and carol: two coder sets in one passage, neither said. Worked by hand on the fixture
    # (no consensus): bob and carol decided P01:2 (beds | followup: no majority of two), P02:2
    # (followup, both) and P03:2 (bob: nothing), so 3 participants, and followup the only code seen.
    # All three coders: P01:2 beds (alice and bob), P02:2 followup, P03:2 nothing, P04:2 beds (alice).
    import html

    path = tmp_path / "p.db"
    db = open_db(path)
    build_report_project(db, coders=("alice", "bob", "carol"))
    db.close()

    def seen(data):
        return [code for step in data["saturation"]["overall"]["steps"] for code in step["new"]]

    every = json.loads(_methods(path, "--format", "json").stdout)
    assert every["sample"]["participants"] == 4 and seen(every) == ["access-beds", "followup"]
    assert every["source_coders"] == ["alice", "bob", "carol"]
    for narrowed in (["--coders", "bob,carol"], ["--exclude-coders", "alice"]):
        data = json.loads(_methods(path, *narrowed, "--format", "json").stdout)
        assert (data["sample"]["participants"], data["sample"]["transcripts_coded"]) == (3, 3)
        assert seen(data) == ["followup"]
        assert data["source"] == "majority" and data["source_coders"] == ["bob", "carol"]
        # report themes with the same coders counts what the passage counts.
        themes = CliRunner().invoke(
            app,
            ["report", "themes", "--source", "majority", *narrowed, "--format", "json", "--db", str(path)],
        )
        rows = {r["code"]: r["participants"] for r in json.loads(themes.stdout)["rows"]}
        assert json.loads(themes.stdout)["participants"] == 3
        assert rows == {"access": 0, "access-beds": 0, "access-transport": 0, "followup": 1}
    said = "(codes counted from source majority of bob and carol)."
    assert said in " ".join(_methods(path, "--coders", "bob,carol").stdout.split())
    page = tmp_path / "methods.html"
    _methods(path, "--coders", "bob,carol", "-o", str(page))
    assert said in " ".join(html.unescape(page.read_text(encoding="utf-8")).split())
    # Union of alice and carol: P01:2 beds, transport and followup.
    data = json.loads(
        _methods(path, "--coders", "alice,carol", "--source", "union", "--format", "json").stdout
    )
    assert data["source_coders"] == ["alice", "carol"]
    assert seen(data) == ["access-beds", "access-transport", "followup"]
    # One coder chosen and no consensus: that coder's own codes, named so.
    data = json.loads(_methods(path, "--coders", "alice", "--format", "json").stdout)
    assert (data["source"], data["source_note"], data["source_coders"]) == (
        "alice",
        "the only coder chosen",
        None,
    )
    assert data["sample"]["participants"] == 4


def test_consensus_counts_do_not_follow_coders(tmp_path):
    # Consensus decided P01 to P05: --coders narrows the reliability section, never the counts.
    path = tmp_path / "p.db"
    db = open_db(path)
    build_report_project(db)
    db.close()
    data = json.loads(_methods(path, "--coders", "bob,carol", "--format", "json").stdout)
    assert (data["source"], data["source_coders"], data["sample"]["participants"]) == ("consensus", None, 5)


def test_a_consensus_decision_a_coder_decided_otherwise_after_is_open_not_resolved(tmp_path):
    # bob changed his decision on P01:2 after the lead's consensus: reconcile names the turn for --revisit,
    # but the passage counted it among the disagreements resolved with a rationale.
    from wei_qual.store.decisions import confirm_decision, get_decision

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        _, items = list_disagreements(db, coders=["alice", "bob"])
        first = next(d for d in items if (d.unit.transcript, d.unit.segment) == ("P01", 2))
        save_consensus(
            db, first.unit, frozenset({"access-beds"}), "discussed", consensus="consensus", actor="lead"
        )
        assert (
            build_methods(db, bootstrap=0).resolved,
            build_methods(db, bootstrap=0).decided_before_coder,
        ) == (
            1,
            (0, 0),
        )
        save_decision(db, Decision("P01", 2, "bob", frozenset({"followup"})))
        m = build_methods(db, bootstrap=0)
        assert (m.disputed, m.resolved, m.decided_before_coder) == (2, 0, (1, 1))
        assert m.to_json()["reconciliation"]["decided_before_a_coder"] == {"turns": 1, "disputed": 1}
        text = " ".join(methods_markdown(m).split())
        assert "0 of them have a consensus decision recorded with its rationale and 2 remain open" in text
        assert (
            "[1 participant turn was decided otherwise by a coder after the consensus decision (a disputed one, "
            "counted open above): the consensus was made without those codes, so it is open until the lead "
            'revisits it ("wei-qual reconcile --coder LEAD --revisit").]'
        ) in text
        # The lead looked at it again and kept it (reconcile --revisit, Enter): settled again.
        confirm_decision(db, get_decision(db, "P01", 2, "consensus"), actor="lead")
        m = build_methods(db, bootstrap=0)
        assert (m.resolved, m.decided_before_coder) == (1, (0, 0))
        assert "decided otherwise by a coder" not in methods_markdown(m)
    finally:
        db.close()


def test_codes_with_decisions_made_theme_headings_are_named_and_wait_for_a_recode(tmp_path):
    # A second version gave followup codes under it: agreement and the code rows left its decisions out,
    # and the passage said nothing; the turns consensus lacked were said to be reconciled, which reconcile
    # refuses for a theme heading.
    import dataclasses

    from test_report_project import CODEBOOK

    from wei_qual.store import transaction
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        _, items = list_disagreements(db, coders=["alice", "bob"])
        save_consensus(db, items[0].unit, items[0].disputed, "discussed", consensus="consensus", actor="lead")
        v2 = dataclasses.replace(
            CODEBOOK,
            version="2",
            codes=(*CODEBOOK.codes, Code("followup-call", "Called back", parent="followup")),
        )
        with transaction(db):
            save_codebook_version(db, v2, "name: crisis\nversion: '2'\n")
        m = build_methods(db, bootstrap=0)
        assert m.headings_held == {"followup": 3} and m.codes_outside == {}
        assert m.to_json()["codebook"]["theme_headings_with_decisions"] == {"followup": 3}
        # P03:2 (disputed) to reconcile and P04:2 (alice alone) to take as coded; P02:2, agreed on followup,
        # waits for a recode: no run of reconcile takes it.
        assert tuple(m.consensus_gaps) == (1, 1, 1)
        text = " ".join(methods_markdown(m).split())
        assert (
            "[Decisions still hold codes the active version made theme headings, counted in no code's row and "
            "in no agreement: followup (3 decisions). Recode them, or split the codes, before reporting.]"
        ) in text
    finally:
        db.close()


def test_a_code_moved_under_another_theme_is_said_moved_not_revised(tmp_path):
    # A code moved under another theme, or given new keywords or a colour (which only suggest it or show
    # it), was said to have "revised the definitions or rules" of the code: a reader takes its meaning
    # to have changed.
    import dataclasses

    from test_report_project import CODEBOOK

    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    try:
        build_report_project(db, coders=("alice", "bob"))
        moved = {
            "access-transport": {"parent": "logistics"},
            "followup": {"parent": "logistics", "keywords": ("call back",)},
            "access-beds": {"color": "#FF0000"},
        }
        codes = [dataclasses.replace(c, **moved.get(c.id, {})) for c in CODEBOOK.codes]
        codes.append(Code("logistics", "Logistics"))
        save_codebook_version(db, dataclasses.replace(CODEBOOK, version="2", codes=tuple(codes)), "v: 2\n")
        m = build_methods(db, bootstrap=0)
    finally:
        db.close()
    text = " ".join(methods_markdown(m).split())
    assert (
        'version 2 ("2"), ' in text
        and (
            ": added logistics; moved access-transport under logistics and followup under logistics (5 codes and "
            "themes in all)."
        )
        in text
    )
    assert m.to_json()["codebook"]["versions"][-1]["moved"] == [
        ["access-transport", "logistics"],
        ["followup", "logistics"],
    ]


def _in_a_fresh_process(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_passage_loads_no_reconcile_module_nor_multiprocessing(project):
    # It reads which disputes the lead never saw (agree.decided_without) but reconciles nothing, and
    # forks with os.fork: the reconcile modules and multiprocessing cost it 7 ms before it forks.
    out = _in_a_fresh_process(
        "import sys\n"
        "from wei_qual.report.methods import build_methods\n"
        "from wei_qual.store import open_db\n"
        f"methods = build_methods(open_db({str(project / 'demo' / 'demo.db')!r}, create=False))\n"
        "print(methods.consensus_decisions > 0, 'wei_qual.agree.disagreements' in sys.modules, "
        "*(m for m in ('wei_qual.agree.consensus', 'wei_qual.session', 'multiprocessing') if m in sys.modules))\n"
    )
    assert out.split() == ["True", "True"]


def test_the_passage_imports_what_both_processes_use_before_it_forks(project):
    # Imported after the fork, the bootstraps' generator, the coefficients and krippendorff (an
    # exclusive group's alpha) were imported twice, once in each process.
    out = _in_a_fresh_process(
        "import sys\n"
        "from wei_qual.agree import run\n"
        "seen = []\n"
        "def spy(task):\n"
        "    seen.extend(m for m in ('numpy.random', 'wei_qual.reliability', 'krippendorff') if m in sys.modules)\n"
        "    return task\n"
        "run.in_background = spy\n"
        "from wei_qual.report.methods import build_methods\n"
        "from wei_qual.store import open_db\n"
        f"methods = build_methods(open_db({str(project / 'demo' / 'demo.db')!r}, create=False))\n"
        "print(bool(methods.agreement.groups), *seen)\n"
    )
    assert out.split() == ["True", "numpy.random", "wei_qual.reliability", "krippendorff"]
