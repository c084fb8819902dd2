"""suggest train, suggest models, suggest --engine learned|both, suggest evaluate --folds and
code --order uncertain, through CliRunner, on the small fictional project of tests/_learned_project.py."""

from __future__ import annotations

import json
import re

import pytest
from _learned_project import LEAD, build_learned_project

from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import iter_audit, open_db
from wei_qual.store.decisions import iter_decisions, save_decision

EPOCHS = ["--epochs", "4"]


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build_learned_project(db, coded=10)
    db.close()
    return db_path


def invoke(runner, *args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def train(runner, project, *extra):
    return invoke(runner, "suggest", "train", "--source", LEAD, *EPOCHS, "--db", str(project), *extra)


def test_train_prints_what_it_learned_and_stores_the_model(runner, project):
    result = train(runner, project)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"Trained model 1 on 80 segments of 10 transcripts \(source lead, codebook version 1, seed 0\) "
        r"in \d+\.\d s: 2 codes\.",
        lines[0],
    )
    assert re.fullmatch(
        r"Held-out micro F1 \d\.\d{3} on 2 transcripts kept out of training \(epoch \d of 4 kept\)\. "
        r'Measure it properly with "wei-qual suggest evaluate --engine learned --folds 5"\.',
        lines[1],
    )
    assert re.fullmatch(r"Codes learned \(positive segments\): home-visit \(\d+\), jail \(\d+\)\.", lines[2])
    assert lines[3] == "Too few examples (fewer than 8 segments), not learned: rare (1)."
    db = open_db(project)
    row = db.execute("SELECT source, labels, seed, length(weights) > 100000 FROM learned_models").fetchone()
    assert row == ("lead", '["home-visit", "jail"]', 0, 1)
    (audit,) = [a for a in iter_audit(db) if a["entity"] == "learned_model"]
    assert (audit["action"], audit["entity_id"], audit["after"]["source"]) == ("train", "1", "lead")
    assert audit["actor"] == "suggest train"  # no --actor given


def test_train_json_and_models_listing_with_stale_marking(runner, project):
    data = json.loads(train(runner, project, "--format", "json", "--seed", "5").stdout)
    assert (data["model"], data["source"], data["seed"], data["labels"]) == (
        1,
        "lead",
        5,
        ["home-visit", "jail"],
    )
    assert data["too_few"] == {"rare": 1} and data["units"] == 80 and len(data["units_sha256"]) == 64
    listed = json.loads(invoke(runner, "suggest", "models", "--format", "json", "--db", str(project)).stdout)
    assert [(m["model"], m["stale"], m["newest"]) for m in listed] == [(1, False, True)]

    save_decision(open_db(project), Decision("t11", 2, LEAD, frozenset({"jail"})))
    listed = json.loads(invoke(runner, "suggest", "models", "--format", "json", "--db", str(project)).stdout)
    assert listed[0]["stale_reasons"] == ['decisions of source "lead" changed since training']
    table = invoke(runner, "suggest", "models", "--db", str(project)).stdout
    assert 'out of date: decisions of source "lead" changed since training (newest: used by suggest)' in table


def test_no_models_yet(runner, project):
    result = invoke(runner, "suggest", "models", "--db", str(project))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f'No learned models. Train one with "wei-qual suggest train --db {project}".\n'
    result = invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: No learned model is stored in this project. Train one with "wei-qual suggest train --db {project}".\n'
    )


def test_train_errors(runner, project):
    result = train(runner, project, "--min-examples", "500")
    assert result.exit_code == 1
    assert re.fullmatch(
        r'Error: No code was applied to at least 500 segments under source "lead" \(most: home-visit, \d+\)\. '
        r"Code more segments, or lower --min-examples\.\n",
        result.stderr,
    )
    result = invoke(runner, "suggest", "train", "--db", str(project))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: This project has no consensus decisions, so training needs a source. Choose one with "
        f'--source CODER|majority|union, or reconcile first with "wei-qual reconcile --db {project}".\n'
    )
    result = train(runner, project, "--codes", "nope")
    assert result.stderr == (
        f'Error: Code "nope" is not in the active codebook. Check the ids with "wei-qual codebook show --db {project}".\n'
    )


def test_suggest_learned_then_list_shows_engine_model_and_evidence(runner, project):
    train(runner, project)
    result = invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    assert result.exit_code == 0
    assert re.fullmatch(
        r"Stored \d+ suggestions for 96 participant segments \([\d,]+ words, 2 codes of model 1, engine learned, "
        r"codebook version 1\)\.\n",
        result.stderr,
    )
    items = json.loads(
        invoke(
            runner, "suggestions", "list", "--min-score", "0.5", "--format", "json", "--db", str(project)
        ).stdout
    )
    assert items and {(i["engine"], i["model"]) for i in items} == {("learned", 1)}
    segments = {(s.transcript_id, s.n): s.text for s in _segments(project)}
    for item in items:
        (evidence,) = item["evidence"]
        text = segments[(item["transcript"], item["segment"])]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert evidence["source"].startswith("model:1, drop ")


def _segments(project):
    class Row:
        def __init__(self, r):
            self.transcript_id, self.n, self.text = r

    return [Row(r) for r in open_db(project).execute("SELECT transcript_id, n, text FROM segments")]


def test_suggest_with_an_out_of_date_model_warns(runner, project):
    train(runner, project)
    save_decision(open_db(project), Decision("t01", 2, LEAD, frozenset()))
    result = invoke(runner, "suggest", "--engine", "both", "--db", str(project))
    assert result.exit_code == 0
    assert "engine both" in result.stderr and result.stdout == ""
    assert result.stderr.split("\n", 1)[1] == (
        'Warning: Model 1 is out of date (decisions of source "lead" changed since training). '
        f'Train a new one with "wei-qual suggest train --db {project}".\n'
    )


def test_evaluate_folds_json_and_table(runner, project):
    args = [
        "suggest",
        "evaluate",
        "--engine",
        "learned",
        "--folds",
        "3",
        "--source",
        LEAD,
        *EPOCHS,
        "--db",
        str(project),
    ]
    data = json.loads(invoke(runner, *args, "--format", "json").stdout)
    assert (data["engine"], data["folds"], data["seed"], data["epochs"], data["min_score"]) == (
        "learned",
        3,
        0,
        4,
        0.5,
    )
    assert set(data["examples"]) == {"home-visit", "jail"} and data["too_few"] == {"rare": 1}
    assert data["codes_with_rules"] == ["home-visit", "jail"]
    assert len(data["fold_details"]) == 3 and sum(f["test_units"] for f in data["fold_details"]) == 80
    assert {"learned", "rules", "reliability"} <= set(data)
    assert [c["code"] for c in data["rules"]["codes"]] == ["home-visit", "jail"]
    assert data["rules"]["codes"][0]["recall"] == 0.0  # home-visit is never said with its keyword
    assert len(data["reliability"]["bins"]) == 10
    assert sum(b["n"] for b in data["reliability"]["bins"]) == 2 * 80

    out = invoke(runner, *args).stdout
    assert (
        "80 segments of 10 transcripts under source lead; a code counts as suggested at score >= 0.5" in out
    )
    assert "Learned engine against lead, 3 folds by transcript (rules on the same folds)" in out
    assert "Too few examples (fewer than 8 segments), not learned: rare (1)." in out
    assert "Reliability of the model's scores" in out


def test_evaluate_usage_errors(runner, project):
    result = runner.invoke(app, ["suggest", "evaluate", "--db", str(project)])
    assert result.exit_code == 2 and "Pass --coder NAME" in result.stderr
    result = runner.invoke(
        app, ["suggest", "evaluate", "--engine", "rules", "--folds", "3", "--db", str(project)]
    )
    assert result.exit_code == 2 and "--folds cross-validates the learned engine" in result.stderr
    result = invoke(
        runner,
        "suggest",
        "evaluate",
        "--engine",
        "learned",
        "--folds",
        "12",
        "--source",
        LEAD,
        "--db",
        str(project),
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 12 folds need at least 12 transcripts with decisions, and the source has 10. Pass a smaller --folds.\n"
    )


# --- the coding session -------------------------------------------------------------------------


def test_session_shows_learned_suggestions_never_pre_applied(runner, project):
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    # t11 was not coded by anyone; a new coder walks it.
    result = invoke(
        runner, "code", "--coder", "dana", "--transcript", "t11", "--db", str(project), input="\nq\n"
    )
    out = result.stdout
    assert "Suggestions (a accepts all): " in out
    assert (
        "Suggestions by learned model 1 (learned); not shown on the 80 segments it learned from lead's "
        "decisions (blind): none there." in out
    )
    assert "Chosen: none yet" in out
    assert 'No codes chosen. Type codes, 0 for "nothing applies", or s to skip.' in out  # Enter saved nothing
    assert iter_decisions(open_db(project), coders=["dana"]) == []


def test_session_notes_an_out_of_date_model(runner, project):
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    save_decision(open_db(project), Decision("t01", 2, LEAD, frozenset()))
    out = invoke(
        runner, "code", "--coder", "dana", "--transcript", "t11", "--db", str(project), input="q\n"
    ).stdout
    assert (
        'Suggestions by learned model 1 (learned); out of date: decisions of source "lead" changed since training; '
        "not shown on the 80 segments" in out
    )


def test_order_uncertain_offers_the_least_certain_segments_first(runner, project):
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    from wei_qual.coding import load_session
    from wei_qual.session import uncertainty
    from wei_qual.store.learned_models import iter_learned_scores

    db = open_db(project)
    scores = iter_learned_scores(db, 1, 1)
    session, _ = load_session(db, "dana", order="uncertain")
    order = [uncertainty(scores.get(item.key, ())) for item in session.queue]
    assert order == sorted(order, reverse=True) and order[0] > order[-1]
    first = session.current
    assert first is not None and uncertainty(scores[first.key]) == max(order)

    result = invoke(
        runner, "code", "--coder", "dana", "--order", "uncertain", "--db", str(project), input="q\n"
    )
    assert f"{first.transcript}  " in result.stdout and f"segment {first.segment.n} of " in result.stdout
    # Resumed in the same order: in transcript order it started at another segment.
    assert f'Resume with "wei-qual code --coder dana --order uncertain --db {project}".' in result.stderr
    assert result.stderr.startswith(
        "Warning: --order uncertain shows the segments the learned model is least sure of first. Use it to build "
        "training data, not on the double-coded reliability sample"
    )


def test_order_uncertain_needs_learned_suggestions(runner, project):
    result = invoke(
        runner, "code", "--coder", "dana", "--order", "uncertain", "--db", str(project), input="q\n"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error: --order uncertain needs a learned model. Train one with "wei-qual suggest train --db {project}", '
        f'then run "wei-qual suggest --engine learned --db {project}".\n'
    )
    train(runner, project)
    result = invoke(
        runner, "code", "--coder", "dana", "--order", "uncertain", "--db", str(project), input="q\n"
    )
    assert result.stderr == (
        "Error: The newest learned model (1) has no suggestions for the active codebook. "
        f'Run "wei-qual suggest --engine learned --db {project}" first.\n'
    )


# --- the methods report ---------------------------------------------------------------------------


def _a3(x: float) -> str:
    s = f"{x:.3f}"
    return s.replace("0.", ".", 1) if s.startswith(("0.", "-0.")) else s


def test_methods_report_states_the_model_its_cross_validated_figures_and_acceptance(runner, project):
    db = open_db(project)
    for d in iter_decisions(db, coders=[LEAD])[:24]:  # a second coder, so the passage has agreement
        save_decision(
            db, Decision(d.transcript, d.segment, "alice", d.codes, shown=d.codes, accepted=d.codes)
        )
    db.close()
    train(runner, project)
    invoke(runner, "suggest", "--engine", "both", "--db", str(project))

    def methods() -> str:
        out = invoke(
            runner, "report", "methods", "--source", LEAD, "--bootstrap", "20", "--db", str(project)
        ).stdout
        start = out.index("### Machine suggestions")
        return " ".join(out[start : out.index("\n### ", start + 1)].split())

    part = methods()
    assert (
        "Learned suggestions (shown and merged with the keyword rules' scores) came from model 1, a spaCy "
        in part
    )
    assert (
        "trained on the research team's own machine on 80 turns as coded by coder lead (codebook version 1)"
        in part
    )
    assert "for the 2 codes applied to at least 8 turns (seed 0, 4 epochs;" in part
    assert (
        '[The model was not cross-validated: run "wei-qual suggest evaluate --engine learned --folds 5 --source lead".]'
        in part
    )
    cv = json.loads(
        invoke(
            runner,
            "suggest",
            "evaluate",
            "--engine",
            "learned",
            "--folds",
            "3",
            "--source",
            LEAD,
            *EPOCHS,
            "--format",
            "json",
            "--db",
            str(project),
        ).stdout
    )
    assert cv["evaluation"] == 1
    part = methods()
    learned, rules = cv["learned"], cv["rules"]
    assert (
        f"In 3-fold cross-validation by transcript (seed 0, 80 turns of 10 transcripts, a code counted as "
        f"suggested at a score of 0.5 or more) it reached micro precision {_a3(learned['micro']['precision'])}, "
        f"recall {_a3(learned['micro']['recall'])} and F1 {_a3(learned['micro']['f1'])} (macro F1 "
        f"{_a3(learned['macro']['f1'])}) against coder lead, and Krippendorff's α {_a3(learned['alpha_pooled'])} "
        f"as one more coder (pooled over codes); the keyword rules on the same folds reached F1 "
        f"{_a3(rules['micro']['f1'])}"
    ) in part
    acceptance = json.loads(
        invoke(
            runner, "suggest", "evaluate", "--coder", "alice", "--format", "json", "--db", str(project)
        ).stdout
    )["acceptance"]
    assert f"alice accepted {acceptance['accepted']} of {acceptance['shown']}" in part

    # New decisions by the source: the passage says the model is out of date.
    save_decision(open_db(project), Decision("t01", 2, LEAD, frozenset()))
    assert (
        'The model was out of date when this was written: decisions of source "lead" changed since training.'
        in methods()
    )


def test_progress_bar_shows_epochs_and_the_held_out_score_on_a_terminal(runner, project, monkeypatch):
    import io

    from wei_qual.cli import suggest as cli_suggest
    from wei_qual.console import SafeConsole

    screen = io.StringIO()
    terminal = SafeConsole(file=screen, force_terminal=True, width=120, highlight=False)
    monkeypatch.setattr(cli_suggest, "err_console", terminal)
    assert train(runner, project).exit_code == 0
    shown = screen.getvalue()
    assert "Training" in shown and "epochs  held-out F1 " in shown
    assert "4/4" in shown  # the last epoch of --epochs 4
    assert re.search(
        r"held-out F1 \d\.\d{3}", shown
    )  # the score after an epoch, not only the "-" placeholder


def test_a_model_trained_before_a_draft_code_keeps_suggesting_its_own_codes(runner, project):
    """A code created while coding makes a new codebook version: the model still runs on it, suggests only
    the codes it learned, and says it is out of date (it cannot suggest the new code)."""
    from wei_qual.codebook.drafts import create_draft

    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    before = {i["code"] for i in _suggestions(runner, project)}
    create_draft(open_db(project), code_id="waiting-room", name="Waiting room", actor=LEAD)

    result = invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    assert result.exit_code == 0, result.stderr
    assert "engine learned, codebook version 2)" in result.stderr
    assert result.stderr.split("\n", 1)[1].startswith(
        "Warning: Model 1 is out of date (codebook version 2 is active, the model learned version 1). "
    )
    after = _suggestions(runner, project)
    assert after and {i["code"] for i in after} == before


def _suggestions(runner, project):
    return json.loads(invoke(runner, "suggestions", "list", "--format", "json", "--db", str(project)).stdout)


def _screens(runner, project, coder, transcript, keys, db=None):
    return invoke(
        runner, "code", "--coder", coder, "--transcript", transcript, "--db", str(db or project), input=keys
    ).stdout


@pytest.mark.parametrize("engine", ["learned", "both"])
def test_a_blind_session_never_shows_what_the_model_learned_from_another_coder(runner, project, engine):
    # The lead coded t01-t10 and the model learned them: on those segments its suggestions are the lead's
    # codes, so dana (double-coding t01 blind) must not see them; on t11, which nobody coded, she does.
    train(runner, project)
    invoke(runner, "suggest", "--engine", engine, "--db", str(project))
    # t01 segment 4: "Someone stopped by his place a week later." (home-visit, no rule word)
    out = _screens(runner, project, "dana", "t01", "s\ns\nq\n")
    assert "home-visit 0." not in out
    assert "helicopter" in out
    if engine == "both":  # the rules' own suggestion stays
        assert 'rare 0.60 ("helicopter")' in out
        assert (
            "Suggestions by learned model 1 (both); not shown on the 80 segments it learned from lead's "
            "decisions (blind): the rules' only there." in out
        )
    out = _screens(runner, project, "dana", "t11", "q\n")
    assert "Suggestions (a accepts all): home-visit 0." in out
    assert "not shown on the 80 segments it learned from lead's decisions" in out
    # The lead's own model shows the lead everything.
    out = invoke(
        runner,
        "code",
        "--coder",
        LEAD,
        "--recode",
        "--transcript",
        "t01",
        "--db",
        str(project),
        input="s\nq\n",
    ).stdout
    assert "home-visit 0." in out and "not shown" not in out


def test_a_model_that_does_not_name_its_segments_is_not_shown_to_another_coder(runner, project):
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    db = open_db(project)
    info = json.loads(db.execute("SELECT info FROM learned_models").fetchone()[0])
    del info["trained_on"]  # as a model trained before the segments were kept
    db.execute("UPDATE learned_models SET info = ?", [json.dumps(info)])
    db.conn.commit()
    out = _screens(runner, project, "dana", "t11", "q\n")
    assert "Suggestions (a accepts all)" not in out
    assert (
        "it learned lead's decisions on segments it does not name, so it is not shown to dana (blind): none. "
        'Retrain it with "wei-qual suggest train".' in out
    )


def test_a_packet_carries_no_learned_suggestion_of_another_coders_segments(runner, project, tmp_path):
    train(runner, project)
    invoke(runner, "suggest", "--engine", "both", "--db", str(project))
    db = open_db(project)  # "learned" and "both" stored within one millisecond: "both" is still the last
    db.execute("UPDATE suggestions SET created_utc = '2026-03-02T10:00:00.000+00:00' WHERE engine != 'rules'")
    db.execute("UPDATE suggestions SET created_utc = '2026-03-02T09:59:59.990+00:00' WHERE engine = 'rules'")
    db.conn.commit()
    invoke(runner, "assign", "--coders", "dana", "--double", "0", "--db", str(project))
    packet = tmp_path / "dana.wqp"
    invoke(runner, "packet", "--coder", "dana", "-o", str(packet), "--db", str(project))
    rows = list(
        open_db(packet).query(
            "SELECT s.transcript_id AS t, g.engine, g.code, g.model_id FROM suggestions g "
            "JOIN segments s ON s.id = g.segment_id"
        )
    )
    assert all(r["model_id"] is None for r in rows)  # the packet carries no model
    learned = {r["t"] for r in rows if r["engine"] == "learned"}
    assert learned == {"t11", "t12"}
    # On the lead's segments, "both" is the rules' own suggestions.
    t01 = {(r["engine"], r["code"]) for r in rows if r["t"] == "t01"}
    assert ("both", "rare") in t01 and ("both", "home-visit") not in t01
    out = _screens(runner, project, "dana", "t01", "s\nq\n", db=packet)
    assert "home-visit 0." not in out and 'rare 0.60 ("helicopter")' in out


def test_training_on_majority_says_which_segments_one_coder_alone_decided(runner, project):
    # Only the lead has coded: "majority" is the lead's codes, which the output must not hide.
    result = invoke(
        runner, "suggest", "train", "--source", "majority", *EPOCHS, "--format", "json", "--db", str(project)
    )
    data = json.loads(result.stdout)
    assert (data["single_coded"], data["single_coders"]) == (80, [LEAD])
    warning = (
        "80 of 80 segments under majority were decided by one coder only (lead): there the model learned "
        "that coder's codes, not a majority of coders."
    )
    assert data["warnings"] == [warning]
    assert f"Warning: {warning}" in result.stderr.replace("\n", " ")
    db = open_db(project)
    for n in range(2, 17, 2):  # dana double-codes t01
        save_decision(db, Decision("t01", n, "dana", frozenset()))
    result = invoke(
        runner, "suggest", "train", "--source", "union", *EPOCHS, "--format", "json", "--db", str(project)
    )
    assert json.loads(result.stdout)["single_coded"] == 72
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    methods = invoke(runner, "report", "methods", "--source", LEAD, "--bootstrap", "20", "--db", str(project))
    passage = " ".join(methods.stdout.split())
    assert "on 80 turns as coded by any coder (codebook version 1)" in passage
    assert (
        "72 of these turns were coded by one coder only: there the model learned that coder's codes."
        in passage
    )
    data = json.loads(train(runner, project, "--format", "json").stdout)
    assert (data["single_coded"], data["warnings"]) == (0, [])  # a named coder's source says whose it is


def test_each_suggestion_is_checked_against_the_model_that_made_it(runner, project):
    # Model 1 learned the lead's t01-t10 and suggested everywhere; model 2 learned dana's own decisions and
    # was run on t11 only. t01 still shows model 1's suggestions, which are the lead's codes: hidden from
    # dana, though the newest model (hers) hides nothing.
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    db = open_db(project)
    for d in iter_decisions(db, coders=[LEAD]):
        if d.transcript not in ("t01", "t02"):
            save_decision(db, Decision(d.transcript, d.segment, "dana", d.codes))
    db.close()
    invoke(runner, "suggest", "train", "--source", "dana", *EPOCHS, "--db", str(project))
    invoke(runner, "suggest", "--engine", "learned", "--transcript", "t11", "--db", str(project))
    out = _screens(runner, project, "dana", "t01", "s\nq\n")
    assert "t01   segment 4 of 16" in out and "home-visit 0." not in out
    assert "Suggestions (a accepts all): home-visit 0." in _screens(runner, project, "dana", "t11", "q\n")


def test_methods_names_every_model_behind_the_suggestions_not_the_newest(runner, project):
    # Model 1 suggested everywhere; model 2, trained later, was run on t11 only: the passage named model 2
    # alone, though model 1 made the suggestions on every other turn.
    train(runner, project)
    invoke(runner, "suggest", "--engine", "learned", "--db", str(project))
    train(runner, project, "--seed", "1")
    invoke(runner, "suggest", "--engine", "learned", "--transcript", "t11", "--db", str(project))
    db = open_db(project)
    counts = dict(
        db.execute(
            "SELECT model_id, COUNT(DISTINCT segment_id) FROM suggestions WHERE engine = 'learned' "
            "AND stale = 0 GROUP BY model_id"
        ).fetchall()
    )
    db.close()
    assert set(counts) == {1, 2} and counts[1] > counts[2]
    total = counts[1] + counts[2]
    result = invoke(runner, "report", "methods", "--source", LEAD, "--format", "json", "--db", str(project))
    out = json.loads(result.stdout)
    assert [(d["model"], d["segments"], d["of"]) for d in out["suggestions"]["learned"]] == [
        (1, counts[1], total),
        (2, counts[2], total),
    ]
    warning = (
        f"The current learned suggestions came from 2 models: model 1 on {counts[1]} turns, model 2 on "
        f'{counts[2]} turns. Run "wei-qual suggest --engine learned" on every transcript to have them from one.'
    )
    assert warning in out["warnings"]
    said = warning.replace("--engine learned", f"--engine learned --db {project}")
    assert said in " ".join(result.stderr.split())
    # The coding session's note names both too, with the segments each made suggestions for.
    screen = " ".join(_screens(runner, project, LEAD, "t11", "q\n").split())
    assert (
        f"Suggestions by learned model 1 (learned) on {counts[1]} segments. "
        f"Suggestions by learned model 2 (learned) on {counts[2]} segments." in screen
    )
    text = " ".join(
        invoke(runner, "report", "methods", "--source", LEAD, "--db", str(project)).stdout.split()
    )
    assert (
        f"Learned suggestions on {counts[1]} of {total} turns (shown on their own) came from model 1" in text
    )
    assert (
        f"Learned suggestions on {counts[2]} of {total} turns (shown on their own) came from model 2" in text
    )


def test_train_codes_minus_leaves_a_code_or_a_whole_group_out(runner, project):
    # "-ID" in --codes as the coding session's -id: every code but jail, without naming the others.
    result = train(runner, project, "--codes=-jail")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"in \d+\.\d s: 1 codes?\.", result.stdout.splitlines()[0]), result.stdout
    assert re.search(r"Codes learned \(positive segments\): home-visit \(\d+\)\.", result.stdout)
    row = open_db(project).execute("SELECT labels FROM learned_models ORDER BY id DESC").fetchone()
    assert row == ('["home-visit"]',)
    result = train(runner, project, "--codes", "-care")  # the theme: its whole group, so nothing is left
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: --codes leaves out every code it selects. Keep at least one.\n",
    )
