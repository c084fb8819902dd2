"""Codebook versions in a project: life cycle, renames and merges moving decisions, removed codes."""

from __future__ import annotations

import json
import textwrap

import pytest

from wei_qual.codebook import load_into_project
from wei_qual.codebook.diff import Side, default_refs, diff_codebooks, resolve_side
from wei_qual.codebook.versions import codebook_json, get_version
from wei_qual.errors import CodebookError
from wei_qual.models import PARTICIPANT, Decision, Segment, Transcript
from wei_qual.store import iter_audit
from wei_qual.store.codebooks import (
    get_active_codebook,
    get_codebook,
    get_codebook_merges,
    iter_codebook_versions,
)
from wei_qual.store.decisions import get_decision, save_decision
from wei_qual.store.transcripts import save_transcript

V1 = """\
name: Study
version: "1"
codes:
  - id: access
    name: Access
    children:
      - id: csu
        name: CSU
        definition: Crisis unit.
      - id: jail
        name: Jail
      - id: er
        name: Emergency room
  - id: stance
    name: Stance
    exclusive: true
    children:
      - id: pro
        name: Pro
      - id: con
        name: Con
"""


@pytest.fixture
def project(db):
    """A project with one transcript of three segments."""
    text = "One.\n\nTwo.\n\nThree."
    save_transcript(
        db,
        Transcript(
            id="p01",
            source="p01.txt",
            format="txt",
            sha256="sha-p01",
            text=text,
            segments=(
                Segment(1, "P", PARTICIPANT, "One.", 0, 4),
                Segment(2, "P", PARTICIPANT, "Two.", 6, 10),
                Segment(3, "P", PARTICIPANT, "Three.", 12, 18),
            ),
        ),
    )
    return db


def write(make_codebook, text: str, name: str = "codebook.yaml"):
    return make_codebook(textwrap.dedent(text), name)


def codes_of(db, n: int, coder: str = "alice") -> list[str]:
    return sorted(get_decision(db, "p01", n, coder).codes)


def test_load_creates_version_one_and_activates_it(project, make_codebook):
    path = write(make_codebook, V1)
    result = load_into_project(project, path, actor="lead")
    assert (result.version, result.status, result.previous) == (1, "created", None)
    assert [(r["id"], r["name"], r["label"], r["active"]) for r in iter_codebook_versions(project)] == [
        (1, "Study", "1", 1)
    ]
    version, codebook = get_active_codebook(project)
    assert version == 1
    assert [c.id for c in codebook.codes] == ["access", "csu", "jail", "er", "stance", "pro", "con"]
    assert codebook.code("csu").definition == "Crisis unit."
    stored = next(iter(project.query("SELECT yaml FROM codebooks WHERE id = 1")))["yaml"]
    assert stored == path.read_text()
    audit = iter_audit(project, entity="codebook")
    assert [(a["action"], a["entity_id"], a["actor"]) for a in audit] == [("load", "1", "lead")]
    assert audit[0]["before"] == {"active_version": None}
    assert audit[0]["after"]["active_version"] == 1


def test_life_cycle_unchanged_changed_reactivated(project, make_codebook):
    path = write(make_codebook, V1)
    assert load_into_project(project, path).status == "created"
    again = load_into_project(project, path)
    assert (again.version, again.status) == (1, "unchanged")
    assert len(iter_audit(project, entity="codebook")) == 1  # nothing written

    path.write_text(V1.replace("definition: Crisis unit.", "definition: A crisis stabilization unit."))
    changed = load_into_project(project, path)
    assert (changed.version, changed.status, changed.previous) == (2, "created", 1)

    path.write_text(V1)  # back to the first text: version 1 again, no new version
    back = load_into_project(project, path)
    assert (back.version, back.status, back.previous) == (1, "reactivated", 2)
    assert [(r["id"], r["active"]) for r in iter_codebook_versions(project)] == [(1, 1), (2, 0)]
    assert [a["action"] for a in iter_audit(project, entity="codebook")] == ["load", "load", "reactivate"]


def test_whitespace_change_is_a_new_version(project, make_codebook):
    path = write(make_codebook, V1)
    load_into_project(project, path)
    path.write_text(V1 + "\n# a comment\n")
    assert load_into_project(project, path).status == "created"


def test_invalid_file_writes_nothing(project, make_codebook):
    path = write(make_codebook, V1.replace("id: jail", "id: Jail"))
    with pytest.raises(CodebookError, match='has 1 problem; the first: .*id "Jail" is not a slug'):
        load_into_project(project, path)
    assert iter_codebook_versions(project) == []
    assert iter_audit(project) == []


def test_rename_moves_decisions_and_audits_each(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(
        project, Decision("p01", 1, "alice", frozenset({"csu", "pro"}), accepted=frozenset({"csu"}))
    )
    save_decision(project, Decision("p01", 2, "bob", frozenset({"csu"})))
    save_decision(project, Decision("p01", 3, "alice", frozenset({"jail"})))
    v2 = V1.replace("      - id: csu\n", "      - id: crisis-unit\n        renamed_from: csu\n")
    result = load_into_project(project, write(make_codebook, v2, "v2.yaml"), actor="lead")
    assert (result.version, result.renamed, result.merged) == (2, {"csu": 2}, {})
    assert codes_of(project, 1) == ["crisis-unit", "pro"]
    assert get_decision(project, "p01", 1, "alice").accepted == frozenset({"crisis-unit"})
    assert codes_of(project, 2, "bob") == ["crisis-unit"]
    assert codes_of(project, 3) == ["jail"]
    # decisions keep the version they were made under
    assert get_decision(project, "p01", 1, "alice").codebook_version == 1
    moves = [a for a in iter_audit(project, entity="decision") if a["action"] == "migrate"]
    assert [(a["entity_id"], a["actor"], a["before"]["codes"], a["after"]["codes"]) for a in moves] == [
        ("p01:1:alice", "lead", ["csu", "pro"], ["crisis-unit", "pro"]),
        ("p01:2:bob", "lead", ["csu"], ["crisis-unit"]),
    ]
    load = iter_audit(project, entity="codebook")[-1]
    assert load["after"]["renamed"] == {"csu": "crisis-unit"}
    assert load["after"]["decisions_moved"] == {"csu": 2}


def test_merge_moves_decisions_without_duplicates(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er", "jail"})))
    save_decision(project, Decision("p01", 2, "alice", frozenset({"er"})))
    v2 = V1.replace(
        "      - id: er\n        name: Emergency room\n", "      - id: er\n        merged_into: jail\n"
    )
    result = load_into_project(project, write(make_codebook, v2, "v2.yaml"))
    assert (result.status, result.merged, result.targets) == ("created", {"er": 2}, {"er": "jail"})
    assert codes_of(project, 1) == ["jail"]
    assert codes_of(project, 2) == ["jail"]
    assert "er" not in [c.id for c in get_codebook(project, 2).codes]
    assert get_codebook_merges(project, 2) == {"er": "jail"}
    assert get_codebook_merges(project, 1) == {}


def test_removed_code_with_decisions_is_refused(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    save_decision(project, Decision("p01", 2, "bob", frozenset({"er", "con"})))
    save_decision(project, Decision("p01", 3, "bob", frozenset({"con"})))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "").replace(
        "      - id: con\n        name: Con\n", "      - id: neutral\n        name: Neutral\n"
    )
    path = write(make_codebook, v2, "v2.yaml")
    audit_before = iter_audit(project)
    with pytest.raises(CodebookError) as info:
        load_into_project(project, path)
    assert str(info.value) == (
        f'Codebook "{path}" removes codes that have decisions: "er" (2 decisions), "con" (2 decisions). Put them '
        "back, mark them renamed_from or merged_into another code, or pass --force to keep the decisions as they are."
    )
    assert [r["id"] for r in iter_codebook_versions(project)] == [1]
    assert iter_audit(project) == audit_before


def test_removed_code_without_decisions_is_fine(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "")
    assert load_into_project(project, write(make_codebook, v2, "v2.yaml")).status == "created"


def test_force_keeps_decisions_and_audits_the_removal(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "")
    path = write(make_codebook, v2, "v2.yaml")
    result = load_into_project(project, path, force=True)
    assert (result.version, result.forced_removed) == (2, {"er": 1})
    assert codes_of(project, 1) == ["er"]
    assert iter_audit(project, entity="codebook")[-1]["after"]["forced_removed"] == {"er": 1}
    # the removal is not asked about again: "er" is no longer in the active version
    path.write_text(v2 + "# v3\n")
    assert load_into_project(project, path).status == "created"


def test_an_id_given_back_with_another_meaning_is_refused(project, make_codebook):
    # "er" is removed (--force keeps its decision), then a later version gives the id to another code:
    # the decision coded under "Emergency room" would have counted, unsaid, for "Emergency response".
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "")
    load_into_project(project, write(make_codebook, v2, "v2.yaml"), force=True)
    v3 = V1.replace("name: Emergency room", "name: Emergency response\n        definition: A team goes out.")
    path = write(make_codebook, v3, "v3.yaml")
    with pytest.raises(CodebookError) as info:
        load_into_project(project, path)
    assert str(info.value) == (
        f'Codebook "{path}" gives ids that still hold decisions to codes with another name or definition: '
        '"er" (1 decision coded under version 1). Those decisions were coded under the old meaning and would '
        "count for the new code. Give the new code another id, or pass --force to count them for it."
    )
    assert [r["id"] for r in iter_codebook_versions(project)] == [1, 2]
    result = load_into_project(project, path, force=True)
    assert result.forced_returning == {"er": 1}
    assert iter_audit(project, entity="codebook")[-1]["after"]["forced_returning"] == {"er": 1}


def test_an_id_given_back_unchanged_takes_its_decisions_back(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "")
    load_into_project(project, write(make_codebook, v2, "v2.yaml"), force=True)
    result = load_into_project(project, write(make_codebook, V1 + "# the same codes again\n", "v3.yaml"))
    assert result.status == "created" and result.forced_returning == {}


def test_reactivating_an_old_version_checks_removed_codes_too(project, make_codebook):
    path = write(make_codebook, V1)
    load_into_project(project, path)
    v2 = V1.replace("      - id: er\n", "      - id: ems\n        name: EMS\n      - id: er\n")
    load_into_project(project, write(make_codebook, v2, "v2.yaml"))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"ems"})))
    with pytest.raises(CodebookError, match='removes codes that have decisions: "ems" \\(1 decision\\)'):
        load_into_project(project, path)
    assert load_into_project(project, path, force=True).status == "reactivated"


def test_get_version_and_json_shape(project, make_codebook):
    with pytest.raises(
        CodebookError, match='No codebook is loaded in this project. Run "wei-qual codebook load'
    ):
        get_version(project)
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"csu", "pro"})))
    save_decision(project, Decision("p01", 2, "bob", frozenset({"csu"})))
    with pytest.raises(CodebookError, match=r"Codebook version 7 does not exist \(versions: 1\)"):
        get_version(project, 7)
    data = codebook_json(project, *get_version(project))
    assert {k: data[k] for k in ("version", "active", "name", "label", "description", "merged")} == {
        "version": 1,
        "active": True,
        "name": "Study",
        "label": "1",
        "description": "",
        "merged": {},
    }
    access = data["codes"][0]
    assert (access["id"], access["decisions"], [c["id"] for c in access["children"]]) == (
        "access",
        0,
        ["csu", "jail", "er"],
    )
    assert access["children"][0]["decisions"] == 2
    assert data["codes"][1]["exclusive"] is True
    json.dumps(data)  # plain JSON


def test_diff_reports_added_removed_renamed_merged_and_changed(project, make_codebook):
    a = write(make_codebook, V1)
    v2 = (
        V1.replace("      - id: csu\n", "      - id: crisis-unit\n        renamed_from: csu\n")
        .replace("definition: Crisis unit.", "definition: A crisis stabilization unit.")
        .replace(
            "      - id: er\n        name: Emergency room\n", "      - id: er\n        merged_into: jail\n"
        )
        .replace("      - id: con\n        name: Con\n", "      - id: con\n        name: Against\n")
        + "  - id: training\n    name: Training\n"
    )
    v2 = v2.replace(
        "      - id: pro\n        name: Pro\n",
        "      - id: pro\n        name: Pro\n      - id: mixed\n        name: Mixed\n",
    )
    b = write(make_codebook, v2, "v2.yaml")
    diff = diff_codebooks(resolve_side(None, str(a)), resolve_side(None, str(b)))
    assert diff.added == ["mixed", "training"]
    assert diff.removed == []
    assert diff.renamed == [("csu", "crisis-unit")]
    assert diff.merged == [("er", "jail")]
    assert diff.changed == [
        ("crisis-unit", {"definition": ("Crisis unit.", "A crisis stabilization unit.")}),
        ("con", {"name": ("Con", "Against")}),
    ]
    data = diff.to_json()
    assert data["renamed"] == [{"from": "csu", "to": "crisis-unit"}]
    assert data["merged"] == [{"from": "er", "into": "jail"}]
    assert data["changed"][1] == {"id": "con", "fields": {"name": {"before": "Con", "after": "Against"}}}


def test_diff_removed_and_moved_code(make_codebook):
    a = write(make_codebook, V1)
    b = write(
        make_codebook,
        V1.replace("      - id: er\n        name: Emergency room\n", "")
        .replace("  - id: stance\n", "  - id: er\n    name: Emergency room\n  - id: stance\n")
        .replace("      - id: jail\n        name: Jail\n", ""),
        "v2.yaml",
    )
    diff = diff_codebooks(resolve_side(None, str(a)), resolve_side(None, str(b)))
    assert (diff.added, diff.removed) == ([], ["jail"])
    assert diff.changed == [("er", {"parent": ("access", None)})]


def test_diff_defaults_and_errors(project, make_codebook):
    with pytest.raises(CodebookError, match="No codebook is loaded in this project"):
        default_refs(project, [])
    load_into_project(project, write(make_codebook, V1))
    with pytest.raises(CodebookError) as info:
        default_refs(project, [])
    assert str(info.value) == (
        "Version 1 is the first codebook version, so there is nothing to compare it with. "
        "Pass a version number or a file: wei-qual codebook diff A [B]."
    )
    load_into_project(project, write(make_codebook, V1 + "  - id: extra\n    name: Extra\n", "v2.yaml"))
    assert default_refs(project, []) == ["1", "2"]
    # From the active version to a file (what loading it changes); from a version to the active one.
    assert default_refs(project, ["x.yaml"]) == ["2", "x.yaml"]
    assert default_refs(project, ["1"]) == ["1", "2"]
    side = resolve_side(project, "1")
    assert isinstance(side, Side) and side.ref == "version 1"
    with pytest.raises(CodebookError, match=r"Codebook version 9 does not exist \(versions: 1, 2\)"):
        resolve_side(project, "9")


def test_a_rename_kept_in_later_versions_is_not_reported_again(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"csu"})))
    v2 = V1.replace("      - id: csu\n", "      - id: crisis-unit\n        renamed_from: csu\n")
    path = write(make_codebook, v2, "v2.yaml")
    assert load_into_project(project, path).renamed == {"csu": 1}
    path.write_text(v2 + "  - id: extra\n    name: Extra\n")
    again = load_into_project(project, path)
    assert (again.version, again.renamed) == (3, {})


def test_documented_show_json_has_the_real_keys(project, make_codebook):
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "codebook.md").read_text(encoding="utf-8")
    block = re.search(r"## `codebook show`.*?```json\n(.*?)```", docs, re.DOTALL).group(1)
    top_keys = re.findall(r'^  "(\w+)":', block, re.MULTILINE)
    code_keys = re.findall(r'^      "(\w+)":', block, re.MULTILINE)
    load_into_project(project, write(make_codebook, V1))
    data = codebook_json(project, *get_version(project))
    assert top_keys == list(data)
    assert code_keys == list(data["codes"][0])


def test_going_back_to_a_version_does_not_undo_a_merge_and_says_so(project, make_codebook):
    # Version 2 merged "er" into "jail"; version 1 again listed "er" with no decisions, and agree then
    # said "no coder applied this code" of a code the coders had applied.
    path = write(make_codebook, V1)
    load_into_project(project, path)
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    v2 = V1.replace(
        "        name: Emergency room\n", "        name: Emergency room\n        merged_into: jail\n"
    )
    assert load_into_project(project, write(make_codebook, v2, "v2.yaml")).not_moved_back == {}
    assert codes_of(project, 1) == ["jail"]
    result = load_into_project(project, path)
    assert (result.status, result.not_moved_back) == ("reactivated", {"er": "jail"})
    assert codes_of(project, 1) == ["jail"]


def test_a_merge_joins_the_excerpts_of_the_two_codes(project, make_codebook):
    # Both codes' excerpts became the target's, stored overlapping: the decisions export listed both
    # spans, the .qdpx two overlapping selections, and the quotes gave the shared words twice.
    from wei_qual.models import Excerpt

    load_into_project(project, write(make_codebook, V1))
    marks = (Excerpt("er", 0, 3), Excerpt("jail", 1, 4))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er", "jail"}), excerpts=marks))
    v2 = V1.replace(
        "      - id: er\n        name: Emergency room\n", "      - id: er\n        merged_into: jail\n"
    )
    load_into_project(project, write(make_codebook, v2, "v2.yaml"))
    assert get_decision(project, "p01", 1, "alice").excerpts == (Excerpt("jail", 0, 4),)
    stored = project.execute("SELECT excerpts FROM decisions").fetchone()[0]
    assert json.loads(stored) == {"jail": [[0, 4]]}
    moved = [r for r in iter_audit(project, entity="decision") if r["action"] == "migrate"][-1]
    assert moved["after"]["excerpts"] == [["jail", 0, 4]]


def test_diff_of_stored_versions_follows_the_moves_of_every_version_between(project, make_codebook):
    # Version 2 renamed csu and merged er into jail; version 3, as the docs allow, dropped both lines and
    # renamed crisis-unit again. "codebook diff 1 3" named csu and er "removed" and the new id "added", as
    # if their decisions had been lost, though the project had moved them.
    from wei_qual.codebook.diff import project_moves

    load_into_project(project, write(make_codebook, V1))
    v2 = V1.replace("      - id: csu\n", "      - id: crisis-unit\n        renamed_from: csu\n").replace(
        "      - id: er\n        name: Emergency room\n", "      - id: er\n        merged_into: jail\n"
    )
    load_into_project(project, write(make_codebook, v2, "v2.yaml"))
    v3 = (
        V1.replace('version: "1"', 'version: "3"')
        .replace("      - id: csu\n", "      - id: csu-unit\n        renamed_from: crisis-unit\n")
        .replace("      - id: er\n        name: Emergency room\n", "")
    )
    load_into_project(project, write(make_codebook, v3, "v3.yaml"))
    a, b = resolve_side(project, "1"), resolve_side(project, "3")
    diff = diff_codebooks(a, b, moves=project_moves(project, a, b))
    assert (diff.added, diff.removed) == ([], [])
    assert diff.renamed == [("csu", "csu-unit")]
    assert diff.merged == [("er", "jail")]
    assert diff.codebook == {"version": ("1", "3")}
    # A file to be loaded after the active version: the project's moves, then the file's own.
    v4 = v3.replace("      - id: jail\n", "      - id: jail-arrest\n        renamed_from: jail\n")
    c = resolve_side(project, str(write(make_codebook, v4, "v4.yaml")))
    diff = diff_codebooks(a, c, moves=project_moves(project, a, c))
    assert diff.renamed == [("csu", "csu-unit"), ("jail", "jail-arrest")]
    assert diff.merged == [("er", "jail-arrest")]
    # Backwards, the later version's lines do not apply: the ids come back.
    diff = diff_codebooks(b, a, moves=project_moves(project, b, a))
    assert diff.added == ["csu", "er"] and diff.removed == ["csu-unit"]


def test_diff_names_changes_to_the_codebook_itself_and_a_settled_draft(make_codebook):
    # A new label or description, or a draft given its definition, used to be "No differences".
    a = write(make_codebook, V1.replace("        name: Jail\n", "        name: Jail\n        draft: true\n"))
    b = write(
        make_codebook,
        V1.replace('version: "1"', 'version: "2"\ndescription: After the pilot.'),
        "v2.yaml",
    )
    diff = diff_codebooks(resolve_side(None, str(a)), resolve_side(None, str(b)))
    assert diff.codebook == {"version": ("1", "2"), "description": ("", "After the pilot.")}
    assert diff.changed == [("jail", {"draft": (True, False)})]
    assert diff.to_json()["codebook"]["version"] == {"before": "1", "after": "2"}
    same = diff_codebooks(resolve_side(None, str(b)), resolve_side(None, str(b)))
    assert same.empty and same.to_json()["codebook"] == {}


def test_a_version_that_gives_decisions_two_codes_of_an_exclusive_group_is_refused(project, make_codebook):
    # A parent made exclusive after coding, or a code merged into a member of a group, left decisions
    # holding two of the group's codes with no word: agreement then read "csu+jail" as a value of its own.
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"csu", "jail"})))
    save_decision(project, Decision("p01", 2, "alice", frozenset({"csu"})))
    save_decision(project, Decision("p01", 3, "bob", frozenset({"er", "pro"})))
    exclusive = write(
        make_codebook, V1.replace("    name: Access\n", "    name: Access\n    exclusive: true\n"), "v2.yaml"
    )
    with pytest.raises(CodebookError) as info:
        load_into_project(project, exclusive)
    assert str(info.value) == (
        f'Codebook "{exclusive}" would give decisions two codes of one exclusive group, which agreement cannot '
        'read as one value: "access" (1 decision: p01:1:alice). Recode those segments first, leave the group '
        "not exclusive, or pass --force to load it anyway."
    )
    assert len(iter_codebook_versions(project)) == 1  # nothing stored
    merged = write(
        make_codebook,
        V1.replace(
            "      - id: er\n        name: Emergency room\n", "      - id: er\n        merged_into: con\n"
        ),
        "v3.yaml",
    )
    with pytest.raises(CodebookError, match=r'"stance" \(1 decision: p01:3:bob\)'):
        load_into_project(project, merged)
    assert get_decision(project, "p01", 3, "bob").codes == {"er", "pro"}  # not moved
    result = load_into_project(project, exclusive, force=True)
    assert result.forced_exclusive == {"access": 1}
    # Asked once: a later version that keeps the group does not ask again.
    again = exclusive.read_text().replace('version: "1"', 'version: "4"')
    assert load_into_project(project, write(make_codebook, again, "v4.yaml")).forced_exclusive == {}


def test_a_reworded_definition_or_rule_names_the_decisions_coded_under_the_old_wording(
    project, make_codebook
):
    # After the pilot the team rewords a definition and an exclusion rule: the decisions already made
    # under the earlier wording now count for the new one, and the load said nothing of them.
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"csu"})))
    save_decision(project, Decision("p01", 2, "bob", frozenset({"csu", "jail"})))
    v2 = V1.replace(
        "definition: Crisis unit.", "definition: A crisis stabilization unit.\n        exclude: EDs."
    )
    v2 = v2.replace("      - id: csu\n", "      - id: crisis-unit\n        renamed_from: csu\n")
    v2 = v2.replace(
        "        name: Jail\n", "        name: Jail and arrest\n"
    )  # a new name alone: same meaning
    result = load_into_project(project, write(make_codebook, v2, "v2.yaml"))
    assert result.redefined == {"crisis-unit": (["definition", "exclude"], 2)}


def test_a_code_with_decisions_renamed_to_a_theme_heading_is_refused(project, make_codebook):
    load_into_project(project, write(make_codebook, V1))
    save_decision(project, Decision("p01", 1, "alice", frozenset({"er"})))
    v2 = V1.replace("      - id: er\n        name: Emergency room\n", "").replace(
        "  - id: access\n", "  - id: emergency\n    renamed_from: er\n"
    )
    path = write(make_codebook, v2, "v2.yaml")
    with pytest.raises(CodebookError) as info:
        load_into_project(project, path)
    assert str(info.value) == (
        f'Codebook "{path}" renames codes that have decisions to theme headings, which coders do not apply: '
        '"er" (1 decision) to "emergency". Rename them to a code without codes under it, or merge them into '
        "one of the theme's codes."
    )
    assert get_decision(project, "p01", 1, "alice").codes == {"er"}
    # A theme renamed (no decisions hold a heading) loads as before.
    v3 = V1.replace("  - id: access\n", "  - id: access-to-care\n    renamed_from: access\n")
    assert load_into_project(project, write(make_codebook, v3, "v3.yaml")).version == 2
