"""The learned engine's core: training, prediction and evidence, grouped folds, calibration arithmetic,
stale marking and reproducibility, on the small fictional project of tests/_learned_project.py."""

from __future__ import annotations

import math
import random

import pytest
from _learned_project import LEAD, build_learned_project, make_transcripts

from wei_qual.errors import SuggestError
from wei_qual.models import Decision
from wei_qual.store import memory_db
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision
from wei_qual.suggest import crossval, learned, train
from wei_qual.suggest.calibrate import (
    Isotonic,
    Platt,
    calibrator_from_json,
    fit_calibration,
    fit_isotonic,
    fit_platt,
    reliability_table,
)
from wei_qual.suggest.folds import grouped_folds, held_out_split
from wei_qual.suggest.run import list_suggestions, run_suggest

EPOCHS = 6  # enough for the tiny project; keeps each training well under a second


@pytest.fixture
def project():
    db = memory_db()
    build_learned_project(db)
    return db


# --- the model finds a code said without its keywords; the rules do not ---------------------------


def test_model_finds_a_code_expressed_without_its_keywords_and_the_rules_do_not(project):
    result = crossval.cross_validate(project, source=LEAD, folds=3, epochs=EPOCHS)
    assert result.labels == ["home-visit", "jail"]
    assert result.too_few == {"rare": 1}
    learned_scores = {s.code: s for s in result.learned.codes}
    rules_scores = {s.code: s for s in result.rules.codes}
    # home-visit is never said with its keyword: the rules find none of it, the model most of it.
    assert rules_scores["home-visit"].tp == 0 and rules_scores["home-visit"].recall == 0.0
    assert learned_scores["home-visit"].f1 >= 0.9
    # jail is said with its keyword: both find it.
    assert rules_scores["jail"].f1 == 1.0
    assert learned_scores["jail"].f1 >= 0.9
    assert result.learned.alpha["home-visit"] >= 0.85
    assert result.rules.alpha["home-visit"] <= 0.0
    data = result.to_json()
    truths = [codes for _, ts in make_transcripts() for codes in ts]
    examples = {c: sum(c in t for t in truths) for c in ("home-visit", "jail")}
    assert (data["folds"], data["seed"], data["examples"]) == (3, 0, examples)
    assert sum(f["test_units"] for f in data["fold_details"]) == data["units"] == 96


def test_suggestions_of_an_unseen_interview_carry_score_model_and_evidence_sentence():
    db = memory_db()
    build_learned_project(db, coded=10)  # t11 and t12 are not coded: the model never saw them
    trained = train.train(db, source=LEAD, epochs=EPOCHS)
    result = run_suggest(db, engine="learned", transcripts=["t11", "t12"])
    assert (result.engine, result.model_id, result.model_stale) == ("learned", trained.model_id, ())
    truths = dict(zip(["t11", "t12"], [t for _, t in make_transcripts()[10:]]))
    texts = {(t.id, s.n): s.text for t, _ in make_transcripts()[10:] for s in t.segments}
    found = {(s.transcript, s.segment, s.code): s for s, _ in list_suggestions(db, min_score=0.5)}
    expected = {
        (tid, 2 * k + 2, code)
        for tid, truth in truths.items()
        for k, codes in enumerate(truth)
        for code in codes
    }
    assert set(found) == expected
    for (tid, n, code), s in found.items():
        assert (s.engine, s.model_id) == ("learned", trained.model_id)
        assert 0.5 <= s.score <= 1.0
        (evidence,) = s.evidence
        text = texts[(tid, n)]
        # The sentence whose removal lowers the score most: the one that raises the code, not the filler.
        assert evidence.text == text[evidence.start : evidence.end]
        if code == "home-visit":
            assert any(evidence.text == h.format(who=w) for h in _HOME for w in ("her", "his", "their"))
        else:
            assert "jail" in evidence.text
        assert evidence.source.startswith(f"model:{trained.model_id}, drop ")


from _learned_project import HOME_VISIT as _HOME


def test_both_stores_each_engine_and_merges_scores(project):
    train.train(project, source=LEAD, epochs=EPOCHS)
    run_suggest(project, engine="both")
    by_engine: dict[str, dict] = {}
    for s, _ in list_suggestions(project, include_stale=True):
        by_engine.setdefault(s.engine, {})[(s.transcript, s.segment, s.code)] = s
    assert set(by_engine) == {"rules", "learned", "both"}
    assert list_suggestions(project)[0][0].engine == "both"  # the session and `suggestions list` show it
    for key, merged in by_engine["both"].items():
        rule, model = by_engine["rules"].get(key), by_engine["learned"].get(key)
        r, m = (rule.score if rule else 0.0), (model.score if model else 0.0)
        assert merged.score == pytest.approx(1 - (1 - r) * (1 - m), abs=1e-4)
        assert merged.evidence == (rule.evidence if rule else ()) + (model.evidence if model else ())


def test_learned_engine_needs_a_model(project):
    with pytest.raises(
        SuggestError,
        match='No learned model is stored in this project. Train one with "wei-qual suggest train".',
    ):
        run_suggest(project, engine="learned")


def test_training_refuses_when_no_code_has_enough_examples(project):
    with pytest.raises(
        SuggestError,
        match=r'No code was applied to at least 50 segments under source "lead" \(most: home-visit, \d+\)',
    ):
        train.train(project, source=LEAD, min_examples=50, epochs=1)


def test_codes_option_restricts_labels_and_a_theme_stands_for_its_codes(project):
    assert train.load_training_data(project, source=LEAD, codes=["jail"]).candidates == ["jail"]
    assert train.load_training_data(project, source=LEAD, codes=["care"]).candidates == [
        "home-visit",
        "jail",
        "rare",
    ]
    with pytest.raises(SuggestError, match='Code "nope" is not in the active codebook'):
        train.load_training_data(project, source=LEAD, codes=["nope"])


# --- grouped folds never leak a transcript ------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grouped_folds_partition_units_by_whole_transcripts(seed):
    rng = random.Random(seed)
    groups = [f"t{rng.randint(1, 23):02d}" for _ in range(400)]
    folds = grouped_folds(groups, 5, seed=seed)
    assert sorted(i for fold in folds for i in fold) == list(range(400))  # every unit once
    owner = {}
    for k, fold in enumerate(folds):
        for i in fold:
            assert owner.setdefault(groups[i], k) == k  # a transcript is in one fold only
    sizes = [len(f) for f in folds]
    assert max(sizes) - min(sizes) <= max(groups.count(g) for g in set(groups))  # balanced by whole groups
    assert grouped_folds(groups, 5, seed=seed) == folds


def test_held_out_split_keeps_whole_transcripts_and_both_sides():
    groups = ["a"] * 5 + ["b"] * 5 + ["c"] * 10 + ["d"] * 30
    train_idx, held = held_out_split(groups, seed=3)
    assert sorted(train_idx + held) == list(range(50))
    assert not {groups[i] for i in train_idx} & {groups[i] for i in held}
    assert held and train_idx and len(held) >= 0.2 * 50
    with pytest.raises(SuggestError, match="at least two transcripts"):
        held_out_split(["a", "a"])


def test_too_many_folds_for_the_transcripts_is_refused():
    with pytest.raises(
        SuggestError, match="5 folds need at least 5 transcripts with decisions, and the source has 3"
    ):
        grouped_folds(["a", "b", "c"], 5)


def test_folds_that_leave_one_training_transcript_are_refused():
    db = memory_db()
    build_learned_project(db, coded=2)
    with pytest.raises(SuggestError, match="With 2 transcripts, 2 folds leave a fold's model fewer than two"):
        crossval.cross_validate(db, source=LEAD, folds=2, min_examples=2, epochs=1)
    three = memory_db()
    build_learned_project(three, coded=3)  # 3 folds of 3: two to train on, fine
    result = crossval.cross_validate(three, source=LEAD, folds=3, min_examples=2, epochs=1)
    assert len(result.fold_info) == 3


def test_cross_validation_never_trains_on_a_test_transcript(project, monkeypatch):
    seen = []
    real = crossval.fit_model

    def spy(units, labels, **kwargs):
        seen.append({u.transcript for u in units})
        return real(units, labels, **kwargs)

    monkeypatch.setattr(crossval, "fit_model", spy)
    result = crossval.cross_validate(project, source=LEAD, folds=4, epochs=2)
    all_transcripts = {f"t{i:02d}" for i in range(1, 13)}
    tested = []
    for trained_on, fold in zip(seen, result.fold_info):
        test = all_transcripts - trained_on
        assert len(test) == fold["test_transcripts"]
        tested.append(test)
    assert set().union(*tested) == all_transcripts and sum(map(len, tested)) == 12  # each tested exactly once


# --- calibration arithmetic -----------------------------------------------------------------------


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_platt_recovers_a_known_map():
    pairs = []
    for i in range(1, 20):
        p = i / 20
        truth = _sigmoid(2.0 * math.log(p / (1 - p)) - 1.0)
        k = round(2000 * truth)
        pairs += [(p, True)] * k + [(p, False)] * (2000 - k)
    fitted = fit_platt(pairs)
    assert fitted.method == "platt"
    assert fitted.a == pytest.approx(2.0, abs=0.02)
    assert fitted.b == pytest.approx(-1.0, abs=0.02)
    assert fitted(0.5) == pytest.approx(_sigmoid(-1.0), abs=0.01)


def test_platt_without_positives_keeps_the_probability():
    fitted = fit_platt([(0.2, False), (0.7, False)])
    assert (fitted.method, fitted(0.7)) == ("none", pytest.approx(0.7))


def test_isotonic_pools_adjacent_violators_with_smoothed_targets():
    # Targets: positives (2 + 1) / (2 + 2) = 0.75, negatives 1 / (2 + 2) = 0.25. 0.2 (0.75) then 0.3 (0.25)
    # violate the order and pool into one block at x = 0.25 worth 0.5.
    fitted = fit_isotonic([(0.1, False), (0.2, True), (0.3, False), (0.4, True)])
    assert fitted.xs == (0.1, 0.25, 0.4)
    assert fitted.ys == (0.25, 0.5, 0.75)
    assert fitted(0.0) == 0.25 and fitted(1.0) == 0.75  # flat beyond the ends
    assert fitted(0.175) == pytest.approx(0.375)  # linear between block centres
    assert calibrator_from_json(fitted.to_json()) == fitted


def test_calibration_uses_isotonic_only_with_enough_held_out_positives():
    few = [(0.9, True)] * 5 + [(0.1, False)] * 50
    assert isinstance(fit_calibration(few), Platt)
    many = [(0.9, True)] * 25 + [(0.1, False)] * 50
    assert isinstance(fit_calibration(many), Isotonic)
    assert calibrator_from_json(fit_calibration(few).to_json()) == fit_calibration(few)


def test_reliability_table_arithmetic():
    pairs = [(0.05, False), (0.05, False), (0.15, True), (0.72, True), (0.78, False), (1.0, True)]
    rel = reliability_table(pairs)
    by_low = {b.low: b for b in rel.bins}
    assert (by_low[0.0].n, by_low[0.0].mean_score, by_low[0.0].observed) == (2, 0.05, 0.0)
    assert (by_low[0.1].n, by_low[0.1].observed) == (1, 1.0)
    assert (by_low[0.7].n, by_low[0.7].mean_score, by_low[0.7].observed) == (2, 0.75, 0.5)
    assert (by_low[0.9].n, by_low[0.9].observed) == (1, 1.0)  # a score of 1.0 falls in the last bin
    assert by_low[0.5].n == 0 and by_low[0.5].mean_score is None
    brier = (0.05**2 * 2 + 0.85**2 + 0.28**2 + 0.78**2 + 0) / 6
    assert rel.brier == round(brier, 4)
    ece = (2 * 0.05 + 1 * 0.85 + 2 * 0.25 + 0) / 6
    assert rel.ece == round(ece, 4)


# --- stale marking --------------------------------------------------------------------------------


def test_new_decisions_or_codebook_mark_the_model_out_of_date(project):
    trained = train.train(project, source=LEAD, epochs=2)
    (model,) = train.list_models(project)
    assert (model.id, model.stale, model.newest) == (trained.model_id, [], True)
    assert model.units == 96 and len(model.units_sha256) == 64

    # Another coder's decision does not change the lead's data: still current.
    save_decision(project, Decision("t01", 2, "alice", frozenset({"jail"})))
    assert train.list_models(project)[0].stale == []

    save_decision(project, Decision("t01", 2, LEAD, frozenset({"jail"})))
    assert train.list_models(project)[0].stale == ['decisions of source "lead" changed since training']
    result = run_suggest(project, engine="learned")
    assert result.model_stale == ('decisions of source "lead" changed since training',)

    import dataclasses

    from _learned_project import CODEBOOK

    save_codebook_version(project, dataclasses.replace(CODEBOOK, version="2"), "name: learned test v2\n")
    assert train.list_models(project)[0].stale == [
        "codebook version 2 is active, the model learned version 1",
        'decisions of source "lead" changed since training',
    ]


def test_majority_source_is_stale_when_any_independent_coder_changes():
    db = memory_db()
    build_learned_project(db)
    for tid in ("t01", "t02", "t03"):
        for n in (2, 4, 6, 8):
            save_decision(db, Decision(tid, n, "alice", frozenset({"jail"})))
    trained = train.train(db, source="majority", min_examples=3, epochs=1)
    assert trained.source == "majority" and trained.labels == ["home-visit", "jail"]
    save_decision(
        db, Decision("t05", 2, "consensus", frozenset({"jail"}))
    )  # consensus is not read by majority
    assert train.list_models(db)[0].stale == []
    save_decision(db, Decision("t05", 2, "alice", frozenset({"jail"})))
    assert train.list_models(db)[0].stale == ['decisions of source "majority" changed since training']


# --- reproducibility ------------------------------------------------------------------------------


def _units(db):
    data = train.load_training_data(db, source=LEAD)
    return data.units, data.split_labels(8)[0]


def test_the_same_seed_gives_the_same_model(project):
    units, labels = _units(project)
    first = learned.fit_model(units, labels, seed=11, epochs=4)
    second = learned.fit_model(units, labels, seed=11, epochs=4)
    other = learned.fit_model(units, labels, seed=12, epochs=4)
    assert first.weights == second.weights
    assert first.calibration == second.calibration and first.history == second.history
    texts = [u.text for u in units]
    assert learned.Predictor.from_trained(first).scores(texts) == learned.Predictor.from_trained(
        second
    ).scores(texts)
    assert other.weights != first.weights  # the seed matters: this check can fail


def test_stored_model_loads_back_to_the_same_scores(project):
    units, labels = _units(project)
    model = learned.fit_model(units, labels, seed=0, epochs=3)
    texts = [u.text for u in units[:10]]
    fresh = learned.Predictor(model.config, model.weights, model.calibration.to_json())
    assert fresh.scores(texts) == learned.Predictor.from_trained(model).scores(texts)


def test_evidence_is_the_sentence_whose_removal_lowers_the_score_most(project):
    units, labels = _units(project)
    predictor = learned.Predictor.from_trained(learned.fit_model(units, labels, epochs=EPOCHS))
    text = "It was raining that night. Two days later a counselor visited her at home. My partner did the paperwork."
    scores = predictor.scores([text])
    assert scores[0]["home-visit"] >= 0.5
    (found,) = predictor.evidence([text], [["home-visit"]], scores)
    start, end, drop = found["home-visit"]
    assert text[start:end] == "Two days later a counselor visited her at home."
    assert 0 < drop <= scores[0]["home-visit"]
    # An empty text has no words and no evidence.
    assert predictor.scores([""])[0]["home-visit"] < 0.5
    assert predictor.evidence([""], [["home-visit"]], predictor.scores([""])) == [{}]
