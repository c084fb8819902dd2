"""Codes born while coding: a draft makes a new codebook version; the lead completes, merges or drops it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _coding_project import add_suggestion, build_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.codebook import load_into_project
from wei_qual.codebook.drafts import (
    complete_draft,
    create_draft,
    drop_counts,
    drop_draft,
    list_drafts,
    merge_draft,
)
from wei_qual.errors import CodebookError
from wei_qual.models import Decision, Excerpt
from wei_qual.store import iter_audit, open_db
from wei_qual.store.codebooks import get_active_codebook, get_codebook_merges, iter_codebook_versions
from wei_qual.store.decisions import get_decision, get_memo, iter_decisions, save_decision, save_memo


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    version = build_project(db)
    add_suggestion(db, version, "p01", 2, "csu-admission", 0.8, [])
    return db


def codes_of(db):
    return [(c.id, c.parent, c.draft) for c in get_active_codebook(db)[1].codes]


def test_a_draft_is_a_new_active_version_with_the_change_audited(project):
    made = create_draft(
        project,
        code_id="Waiting-Room",
        name="Waiting room",
        parent="response",
        actor="alice",
        segment=("p01", 2),
    )
    assert made.version == 2 and not made.existed
    assert [v["active"] for v in iter_codebook_versions(project)] == [0, 1]
    # Placed after the theme's last code, flagged as a draft, with no definition.
    assert codes_of(project)[:5] == [
        ("response", None, False),
        ("csu-admission", "response", False),
        ("csu-refusal", "response", False),
        ("co-responder", "response", False),
        ("waiting-room", "response", True),
    ]
    [row] = [r for r in iter_audit(project, entity="code")]
    assert (row["action"], row["entity_id"], row["actor"]) == ("draft", "waiting-room", "alice")
    assert row["after"] == {
        "active_version": 2,
        "name": "Waiting room",
        "parent": "response",
        "segment": "p01:2",
    }
    # The other codes did not change: their suggestions carry over to the new version, still fresh.
    rows = list(project.query("SELECT codebook_id, stale FROM suggestions"))
    assert rows == [{"codebook_id": 2, "stale": 0}]
    # The stored YAML is a valid codebook that says which code is a draft.
    text = project.execute("SELECT yaml FROM codebooks WHERE id = 2").fetchone()[0]
    assert "draft: true" in text and text.startswith("# Written by wei-qual")


def test_a_draft_takes_the_next_free_number_and_no_code_changes_its_own(project):
    # Coders type numbers from memory: a draft placed in the first theme moved every later code up one,
    # in this session and in every other open one, so "5" applied another code than a minute before.
    from wei_qual.session import code_headings, resolve_code

    def numbers():
        return {c.id: n for _, items in code_headings(get_active_codebook(project)[1]) for n, c in items}

    before = numbers()
    create_draft(project, code_id="waiting-room", name="Waiting room", parent="response", actor="alice")
    create_draft(project, code_id="ride-along", name="Ride-along", parent="response", actor="bob")
    after = numbers()
    assert {c: n for c, n in after.items() if c in before} == before
    assert (after["waiting-room"], after["ride-along"]) == (len(before) + 1, len(before) + 2)
    codebook = get_active_codebook(project)[1]
    assert resolve_code(str(len(before) + 1), codebook) == "waiting-room"
    # Shown in its theme's block, with its number.
    (response,) = [items for parent, items in code_headings(codebook) if parent and parent.id == "response"]
    assert [c.id for _, c in response][-2:] == ["waiting-room", "ride-along"]


def test_creating_an_existing_code_changes_nothing(project):
    create_draft(project, code_id="wait", name="Wait", actor="alice")
    again = create_draft(project, code_id="wait", name="Other", actor="bob")
    assert again.existed and again.version == 2 and len(iter_codebook_versions(project)) == 2


def test_a_draft_needs_a_theme_and_a_slug(project):
    with pytest.raises(CodebookError, match='"followup" is not a theme'):
        create_draft(project, code_id="wait", name="Wait", parent="followup", actor="alice")
    with pytest.raises(CodebookError, match="is not a code id"):
        create_draft(project, code_id="2 wait", name="Wait", actor="alice")


def test_list_complete_merge_and_drop(project):
    create_draft(project, code_id="wait", name="Wait", parent="response", actor="alice", segment=("p01", 2))
    create_draft(project, code_id="cold", name="Cold", actor="bob")
    save_decision(project, Decision("p01", 2, "alice", frozenset({"wait", "followup"})))
    save_decision(project, Decision("p02", 3, "bob", frozenset({"cold"})))
    drafts = {d.id: d for d in list_drafts(project)}
    assert sorted(drafts) == ["cold", "wait"]
    assert (drafts["wait"].created_by, drafts["wait"].uses) == ("alice", [("p01", 2, "alice")])
    assert drafts["cold"].to_json()["decisions"] == 1

    done = complete_draft(project, "wait", definition="Waiting for a bed.", include="Hours in the car.")
    code = done.codebook.code("wait")
    assert (code.draft, code.definition, code.include) == (False, "Waiting for a bed.", "Hours in the car.")
    assert [d.id for d in list_drafts(project)] == ["cold"]
    with pytest.raises(CodebookError, match='"wait" is not a draft'):
        complete_draft(project, "wait", definition="again")
    with pytest.raises(CodebookError, match="needs a definition"):
        complete_draft(project, "cold", definition="  ")

    assert drop_counts(project, "cold") == (1, 1)
    dropped = drop_draft(project, "cold", actor="lead")
    assert (dropped.changed, dropped.uncoded) == (1, 1)
    assert get_decision(project, "p02", 3, "bob") is None  # uncoded again, not "nothing applies"
    assert dropped.codebook.code("cold") is None
    deleted = [r for r in iter_audit(project, entity="decision") if r["action"] == "delete"]
    assert [(r["entity_id"], r["actor"], r["before"]["codes"]) for r in deleted] == [
        ("p02:3:bob", "lead", ["cold"])
    ]


def test_merge_moves_decisions_and_excerpts_and_refuses_an_exclusive_clash(project):
    create_draft(project, code_id="wait", name="Wait", actor="alice")
    save_decision(
        project,
        Decision("p01", 2, "alice", frozenset({"wait", "followup"}), excerpts=(Excerpt("wait", 0, 7),)),
    )
    save_decision(project, Decision("p02", 2, "bob", frozenset({"wait", "setting-rural"})))
    save_memo(project, "alice", "code", "wait", "Mostly at the ER door.")
    with pytest.raises(CodebookError) as info:
        merge_draft(project, "wait", "setting-urban")
    assert str(info.value) == (
        'Merging "wait" into "setting-urban" would give 1 decision two codes of an exclusive group: '
        "p02:2:bob. Recode those segments first, or merge into another code."
    )
    with pytest.raises(CodebookError, match="is a theme heading"):
        merge_draft(project, "wait", "response")
    merged = merge_draft(project, "wait", "csu-refusal", actor="lead")
    assert (merged.moved, merged.memos) == (2, 1)  # the code's memo goes where its decisions go
    assert get_memo(project, "alice", "code", "csu-refusal") == "Mostly at the ER door."
    d = get_decision(project, "p01", 2, "alice")
    assert d.codes == {"csu-refusal", "followup"} and d.excerpts == (Excerpt("csu-refusal", 0, 7),)
    assert get_codebook_merges(project, merged.version) == {"wait": "csu-refusal"}
    assert merged.codebook.code("wait") is None


def test_a_file_without_the_drafts_is_refused_while_they_have_decisions(project, tmp_path):
    create_draft(project, code_id="wait", name="Wait", actor="alice")
    save_decision(project, Decision("p01", 2, "alice", frozenset({"wait"})))
    path = tmp_path / "lead.yaml"
    path.write_text(
        "name: crisis\nversion: '2'\ncodes:\n  - id: followup\n    name: Follow-up care\n", encoding="utf-8"
    )
    with pytest.raises(CodebookError) as info:
        load_into_project(project, path)
    message = str(info.value)
    assert message.startswith(
        f'Codebook "{path}" leaves out draft codes created while coding that have decisions: "wait" (1 decision)'
    )
    assert '"wei-qual codebook drafts complete/merge/drop"' in message
    assert "wei-qual codebook export --format yaml" in message


def run(args, db_path, input=None):
    return CliRunner().invoke(app, [*args, "--db", str(db_path)], input=input, catch_exceptions=False)


def test_cli_lists_settles_and_exports_drafts(project, db_path, tmp_path):
    create_draft(project, code_id="wait", name="Wait", parent="response", actor="alice")
    create_draft(project, code_id="cold", name="Cold", actor="bob")
    save_decision(project, Decision("p01", 2, "alice", frozenset({"wait"})))
    save_decision(project, Decision("p02", 2, "bob", frozenset({"cold", "followup"})))
    listed = run(["codebook", "drafts"], db_path)
    assert listed.exit_code == 0
    assert "wait" in listed.stdout and "p01:2 (alice)" in listed.stdout and "p02:2 (bob)" in listed.stdout
    data = json.loads(run(["codebook", "drafts", "--format", "json"], db_path).stdout)
    assert [(d["id"], d["parent"], d["created_by"], d["decisions"]) for d in data] == [
        ("wait", "response", "alice", 1),
        ("cold", None, "bob", 1),
    ]
    out = tmp_path / "active.yaml"
    assert run(["codebook", "export", "--format", "yaml", "-o", str(out)], db_path).exit_code == 0
    validated = CliRunner().invoke(app, ["codebook", "validate", str(out)])
    assert validated.exit_code == 0
    assert validated.stderr.splitlines()[-1] == (
        f"{out}: valid (8 codes in 4 themes, 1 exclusive group, 2 draft codes to settle)."
    )
    assert validated.stderr.count(": warning: code ") == 2

    refused = run(["codebook", "drafts", "drop", "cold"], db_path, input="n\n")
    assert refused.exit_code == 1 and "Nothing changed." in refused.stderr
    assert get_decision(project, "p02", 2, "bob").codes == {"cold", "followup"}
    no_answer = run(["codebook", "drafts", "drop", "cold"], db_path)
    assert no_answer.exit_code == 1
    assert no_answer.stderr.splitlines()[-1] == (
        "Error: Nothing changed: pass --yes to go ahead without the question (for scripts)."
    )
    dropped = run(["codebook", "drafts", "drop", "cold", "--yes"], db_path)
    assert dropped.stderr.splitlines()[0] == 'Dropping "cold" takes it out of 1 decision.'
    assert get_decision(project, "p02", 2, "bob").codes == {"followup"}

    merged = run(["codebook", "drafts", "merge", "wait", "csu-refusal"], db_path)
    assert merged.stderr.startswith('Merged "wait" into "csu-refusal": moved 1 decision;')
    assert [d.codes for d in iter_decisions(project, coders=["alice"])] == [frozenset({"csu-refusal"})]
    empty = run(["codebook", "drafts"], db_path)
    assert empty.stderr == "No draft codes: every code of the active codebook has a definition.\n"
    missing = run(["codebook", "drafts", "complete", "wait", "--definition", "x"], db_path)
    assert missing.exit_code == 1 and missing.stderr.startswith(
        'Error: "wait" is not a code of the active codebook.'
    )


def test_validate_reports_a_draft_as_a_warning(tmp_path):
    path = Path(tmp_path / "cb.yaml")
    path.write_text(
        "name: c\nversion: '1'\ncodes:\n  - id: a\n    name: A\n  - id: b\n    name: B\n    draft: true\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 0
    assert result.stderr == (
        f'{path}:6:5: warning: code "b" is a draft created while coding. Give it a definition and remove '
        '"draft: true", or settle it with "wei-qual codebook drafts complete/merge/drop".\n'
        f"{path}: valid (2 codes in 2 themes, 0 exclusive groups, 1 draft code to settle).\n"
    )
    path.write_text(path.read_text().replace("draft: true", "draft: maybe"), encoding="utf-8")
    bad = CliRunner().invoke(app, ["codebook", "validate", str(path)])
    assert bad.exit_code == 1 and 'code "b": draft must be true or false.' in bad.stderr
