"""Coder names: one normaliser on every entry point, and coders rename / merge / remove with the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _coding_project import build_project
from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.coders import (
    CoderConflict,
    match_coder,
    merge_coders,
    normalise_coder_name,
    remove_coder_everywhere,
    rename_coder,
    split_coder_list,
)
from wei_qual.errors import DecisionError
from wei_qual.models import Decision, Excerpt
from wei_qual.store import iter_audit, open_db
from wei_qual.store.assignments import assigned_transcripts
from wei_qual.store.decisions import (
    get_decision,
    iter_coders,
    iter_decisions,
    iter_memos,
    save_decision,
    save_memo,
)


def test_match_trims_ignores_case_and_suggests():
    known = ["ana", "bob"]
    assert match_coder("  ana ", known, new_ok=False).name == "ana"
    found = match_coder("Ana ", known, new_ok=False)
    assert (found.name, found.warning) == (
        "ana",
        'coder "Ana " read as the existing coder "ana" (did you mean ana? Names ignore case)',
    )
    new = match_coder("anna", known, new_ok=True)
    assert (new.name, new.new) == ("anna", True)
    assert new.warning == (
        '"anna" is a new coder (did you mean ana?). If so, stop and use --coder ana; "wei-qual coders merge '
        'anna ana" fixes it later.'
    )
    assert match_coder("carol", known, new_ok=True).warning is None
    with pytest.raises(DecisionError) as info:
        match_coder("anaa", known, new_ok=False, option="--coders")
    assert str(info.value) == (
        'Unknown coder "anaa" in --coders (did you mean ana?). Known coders: ana, bob. Check the spelling.'
    )
    with pytest.raises(DecisionError, match="differ only in case"):
        match_coder("ANA", ["Ana", "ana"], new_ok=False)
    with pytest.raises(DecisionError, match="The coder name is empty"):
        match_coder("   ", known, new_ok=True)
    # "José" typed with a composed "é" or with "e" and a combining accent is one coder.
    assert match_coder("Jose\u0301", ["Jos\u00e9"], new_ok=False).name == "Jos\u00e9"
    assert match_coder("Jose\u0301", known, new_ok=True).name == "Jos\u00e9"
    with pytest.raises(DecisionError, match="is too long for a name: 10,000 characters, 1 word"):
        match_coder("a" * 10_000, known, new_ok=True)


def test_a_batch_of_new_names_becomes_one_coder_per_name_whatever_the_case():
    known = ["bob"]
    got = []
    for typed in ["Ana ", "ana", "ANA", "Bob"]:
        name, note = normalise_coder_name(typed, known)
        if name not in known:
            known.append(name)  # as decisions import does: later spellings join the first
        got.append((name, note))
    assert got == [
        ("Ana", 'coder "Ana " read as "Ana" (spaces trimmed)'),
        ("Ana", 'coder "ana" read as the existing coder "Ana" (did you mean Ana? Names ignore case)'),
        ("Ana", 'coder "ANA" read as the existing coder "Ana" (did you mean Ana? Names ignore case)'),
        ("bob", 'coder "Bob" read as the existing coder "bob" (did you mean bob? Names ignore case)'),
    ]


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build_project(db)
    # "Ana " typed at a terminal became a second coder beside ana (the situation coders merge fixes).
    save_decision(db, Decision("p01", 2, "ana", frozenset({"csu-admission"})))
    save_decision(db, Decision("p01", 4, "ana", frozenset({"followup"})))
    save_decision(
        db,
        Decision("p02", 2, "Ana ", frozenset({"co-responder"}), excerpts=(Excerpt("co-responder", 0, 13),)),
    )
    save_decision(db, Decision("p01", 2, "Ana ", frozenset({"csu-admission"})))  # the same as ana's
    save_decision(db, Decision("p01", 4, "Ana ", frozenset()))  # differs from ana's
    save_memo(db, "ana", "code", "followup", "Only after discharge.")
    save_memo(db, "Ana ", "code", "followup", "Includes phone calls.")
    save_memo(db, "Ana ", "transcript", "p02", "Noisy recording.")
    db.execute(
        "INSERT INTO assignments (transcript_id, coder_id, double, assigned_utc) VALUES ('p02', 'Ana ', 1, 't')"
    )
    return db


def test_merge_refuses_conflicts_then_prefers_one_side_in_one_transaction(project):
    with pytest.raises(CoderConflict) as info:
        merge_coders(project, "Ana ", "ana")
    assert str(info.value) == (
        '"Ana " and "ana" both decided 1 segment differently: p01:4. Nothing was merged. Choose whose '
        "decisions stay with --prefer from (Ana ) or --prefer into (ana); the other ones are kept in the audit log."
    )
    assert "Ana " in iter_coders(project)  # nothing changed
    result = merge_coders(project, "Ana ", "ana", prefer="into", actor="lead")
    assert result.counts == {
        "decisions": 1,
        "duplicates": 1,
        "kept_from": 0,
        "kept_into": 1,
        "memos": 2,
        "assignments": 1,
    }
    assert iter_coders(project) == ["ana"]
    got = {(d.transcript, d.segment): (sorted(d.codes), d.excerpts) for d in iter_decisions(project)}
    assert got == {
        ("p01", 2): (["csu-admission"], ()),
        ("p01", 4): (["followup"], ()),  # ana's kept
        ("p02", 2): (["co-responder"], (Excerpt("co-responder", 0, 13),)),
    }
    assert iter_memos(project, "ana") == {
        ("code", "followup"): "Only after discharge.\n\nIncludes phone calls.",  # nothing written is lost
        ("transcript", "p02"): "Noisy recording.",
    }
    assert assigned_transcripts(project, "ana") == ["p02"]
    audit = [(r["action"], r["entity_id"]) for r in iter_audit(project, entity="decision")][-3:]
    assert audit == [("delete", "p01:2:Ana "), ("delete", "p01:4:Ana "), ("merge", "p02:2:ana")]
    dropped = [r for r in iter_audit(project, entity="decision") if r["entity_id"] == "p01:4:Ana "][-1]
    assert dropped["before"]["codes"] == [] and "preferred" in dropped["before"]["why"]
    [coder_row] = iter_audit(project, entity="coder")
    assert (coder_row["action"], coder_row["actor"], coder_row["before"]) == (
        "merge",
        "lead",
        {"coder": "Ana "},
    )


def test_merge_preferring_from_keeps_the_merged_coders_decision(project):
    merge_coders(project, "Ana ", "ana", prefer="from")
    assert get_decision(project, "p01", 4, "ana").codes == frozenset()


def test_rename_and_remove(project):
    with pytest.raises(DecisionError, match='"ana" is already a coder. To combine the two, use'):
        rename_coder(project, "Ana ", "ana")
    with pytest.raises(DecisionError, match='Unknown coder "zed" in OLD'):
        rename_coder(project, "zed", "x")
    renamed = rename_coder(project, "Ana ", "ana-2")
    assert renamed.counts["decisions"] == 3 and "Ana " not in iter_coders(project)
    assert get_decision(project, "p02", 2, "ana-2").excerpts == (Excerpt("co-responder", 0, 13),)
    removed = remove_coder_everywhere(project, "ANA-2", actor="lead")  # names match regardless of case
    assert (removed.source, removed.counts) == ("ana-2", {"decisions": 3, "memos": 2, "assignments": 1})
    assert iter_coders(project) == ["ana"]
    kept = [r for r in iter_audit(project, entity="decision") if r["action"] == "delete"]
    assert {r["entity_id"] for r in kept} == {"p01:2:ana-2", "p01:4:ana-2", "p02:2:ana-2"}
    assert all(r["before"]["why"] == 'coder "ana-2" removed' for r in kept)


def run(db_path, *args, input=None):
    return CliRunner().invoke(app, [*args, "--db", str(db_path)], input=input, catch_exceptions=False)


def test_cli_rename_merge_remove(project, db_path):
    project.close()
    refused = run(db_path, "coders", "merge", "Ana ", "ana")
    assert refused.exit_code == 1 and "--prefer from (Ana ) or --prefer into (ana)" in refused.stderr
    merged = run(db_path, "coders", "merge", "Ana ", "ana", "--prefer", "into")
    assert merged.stderr == (
        'Merged "Ana " into "ana": moved 1 decision, 1 identical one kept once, 2 memos, 1 assignment.\n'
        "1 conflicting segment kept ana's decision: p01:4.\n"
    )
    renamed = run(db_path, "coders", "rename", "ana", "Ana Lopez")
    assert renamed.stderr == 'Renamed "ana" to "Ana Lopez": moved 3 decisions, 2 memos, 1 assignments.\n'
    asked = run(db_path, "coders", "remove", "ana lopez", input="n\n")
    assert asked.exit_code == 1
    assert asked.stderr.startswith('Coder "Ana Lopez" has 3 decisions, 2 memos, 1 assignments.\n')
    assert "Nothing changed." in asked.stderr
    gone = run(db_path, "coders", "remove", "Ana Lopez", "--yes")
    assert gone.stderr.endswith(
        'Removed "Ana Lopez" (3 decisions, 2 memos, 1 assignments); the audit log keeps what was removed.\n'
    )
    assert json.loads(run(db_path, "coders", "--format", "json").stdout) == []


def test_every_entry_point_takes_ana_for_ana(db_path, tmp_path):
    db = open_db(db_path)
    build_project(db)
    save_decision(db, Decision("p01", 2, "ana", frozenset({"csu-admission"})))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"csu-refusal"})))
    db.close()
    # The coding session.
    session = run(db_path, "code", "--coder", "Ana ", input="followup\n\nq\n")
    assert session.stderr.startswith(
        'Warning: coder "Ana " read as the existing coder "ana" (did you mean ana? Names ignore case)\n'
    )
    assert get_decision(open_db(db_path), "p01", 4, "ana").codes == {"followup"}
    # The decisions CSV.
    sheet = Path(tmp_path / "sheet.csv")
    sheet.write_text(
        "transcript,segment,coder,codes,note\np02,2,ANA,co-responder,\np02,3, Bob,csu-refusal,\n"
    )
    imported = run(db_path, "decisions", "import", str(sheet))
    assert imported.stderr.splitlines()[:2] == [
        f'Warning: {sheet}:2: coder "ANA" read as the existing coder "ana" (did you mean ana? Names ignore case).',
        f'Warning: {sheet}:3: coder " Bob" read as the existing coder "bob" (did you mean bob? Names ignore case).',
    ]
    assert iter_coders(open_db(db_path)) == ["ana", "bob"]
    # Filters of agreement and reports, and a new coder close to a known one.
    agree = run(db_path, "agree", "--coders", "ANA,bob", "--format", "json", "--bootstrap", "0")
    assert json.loads(agree.stdout)["coders"] == ["ana", "bob"]
    excluded = run(db_path, "agree", "--exclude-coders", "bob", "--bootstrap", "0")
    assert excluded.exit_code == 1 and "at least two coders" in excluded.stderr
    close = run(db_path, "code", "--coder", "anaa", input="q\n")
    assert close.stderr.startswith('Warning: "anaa" is a new coder (did you mean ana?).')


def test_a_coder_list_keeps_a_name_that_holds_a_comma_whole():
    known = ["Smith, Jane", "bob", "Smith"]
    assert split_coder_list(None, known) is None
    assert split_coder_list("Smith, Jane,bob", known) == ["Smith, Jane", "bob"]
    assert split_coder_list("bob, smith,jane", known) == ["bob", "Smith, Jane"]  # spaced otherwise
    assert split_coder_list("SMITH, JANE", known) == ["SMITH, JANE"]  # as typed: match_coder says so
    assert split_coder_list("Smith,bob", known) == ["Smith", "bob"]  # "Smith" is a coder too
    assert split_coder_list("alice, bob,", known) == ["alice", "bob"]


def test_a_coder_named_last_comma_first_can_be_chosen_with_coders(db_path, tmp_path):
    # Coders who came from NVivo as "Smith, Jane" (an institution's accounts) could not be named with
    # --coders: it was read as two coders, "Smith" and "Jane", and every command refused it; the refusal
    # listed the known coders as "Smith, Jane, bob", which reads as three.
    db = open_db(db_path)
    build_project(db)
    save_decision(db, Decision("p01", 2, "Smith, Jane", frozenset({"csu-admission"})))
    save_decision(db, Decision("p01", 3, "Smith, Jane", frozenset({"csu-refusal"})))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"csu-refusal"})))
    save_decision(db, Decision("p01", 3, "bob", frozenset({"csu-refusal"})))
    db.close()
    agree = run(db_path, "agree", "--coders", "Smith, Jane,bob", "--format", "json", "--bootstrap", "0")
    assert agree.exit_code == 0, agree.stderr
    assert json.loads(agree.stdout)["coders"] == ["Smith, Jane", "bob"]
    exported = run(db_path, "project", "export", str(tmp_path / "x.qdpx"), "--coders", "bob,Smith, Jane")
    assert exported.exit_code == 0, exported.stderr
    assert '2 coders (bob, "Smith, Jane")' in exported.stderr
    left = run(
        db_path, "report", "themes", "--source", "union", "--exclude-coders", "smith,jane", "-f", "json"
    )
    assert left.exit_code == 0, left.stderr
    assigned = run(db_path, "assign", "--coders", "Smith, Jane,bob", "--double", "1", "--seed", "1")
    assert assigned.exit_code == 0, assigned.stderr
    assert set(assigned_transcripts(open_db(db_path), "Smith, Jane")) == {"p01", "p02"}
    unknown = run(db_path, "agree", "--coders", "Smith,bob")
    assert unknown.stderr == (
        'Error: Unknown coder "Smith" in --coders. Known coders: "Smith, Jane", bob. Check the spelling.\n'
    )


def test_report_coders_and_exclude_coders(db_path):
    db = open_db(db_path)
    build_project(db)
    save_decision(db, Decision("p01", 2, "alice", frozenset({"csu-admission"})))
    save_decision(db, Decision("p01", 2, "bob", frozenset({"csu-refusal"})))
    save_decision(db, Decision("p01", 2, "Bob ", frozenset({"followup"})))  # a mistyped second bob
    db.close()

    def union(*args):
        result = run(
            db_path, "report", "themes", "--source", "union", "--level", "code", "--format", "json", *args
        )
        assert result.exit_code == 0, result.stderr
        return {r["code"] for r in json.loads(result.stdout)["rows"] if r["segments"]}

    assert union() == {"csu-admission", "csu-refusal", "followup"}
    assert union("--exclude-coders", "Bob ") == {"csu-admission", "csu-refusal"}
    assert union("--coders", "alice") == {"csu-admission"}
    matrix = run(db_path, "report", "matrix", "--source", "union", "--coders", "alice,bob", "--format", "csv")
    header, row = matrix.stdout.splitlines()[:2]
    values = dict(zip(header.split(","), row.split(",")))
    assert (values["csu-admission"], values["csu-refusal"], values["followup"]) == ("1", "1", "0")
    quotes = run(db_path, "report", "quotes", "--source", "union", "--coders", "alice", "--format", "json")
    assert [q["code"] for q in json.loads(quotes.stdout)["quotes"]] == ["response", "csu-admission"]


# Names that cannot be a coder's: a control character or a bidi override (they act on the terminal of
# whoever lists the coders, or show one name as another), a line break, or the size of a sentence (a cell
# of another column). One check refuses them wherever a new name comes in.
@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "al\x1b[31mice",
            (
                "The coder name $'al\\x1b[31mice' given with NEW holds a control character (U+001B), which a "
                "terminal would act on. Pass a name of letters, digits, spaces and punctuation."
            ),
        ),
        (
            "dave\u202eX",
            (
                "The coder name $'dave\\u202eX' given with NEW holds a control character (U+202E), which a "
                "terminal would act on. Pass a name of letters, digits, spaces and punctuation."
            ),
        ),
        (
            "b\nob",  # was stored as "b ob"
            (
                "The coder name $'b\\nob' given with NEW holds a line break or a tab. Pass a name of letters, "
                "digits, spaces and punctuation."
            ),
        ),
        (
            "the patient told me he was suicidal",
            (
                "The coder name given with NEW is too long for a name: 35 characters, 7 words (a coder name has "
                "at most 40 characters and 4 words). Pass a shorter name."
            ),
        ),
    ],
)
def test_rename_refuses_what_cannot_be_a_name(project, db_path, typed, message):
    project.close()
    before = iter_coders(open_db(db_path))
    result = run(db_path, "coders", "rename", "ana", typed)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert iter_coders(open_db(db_path)) == before


def test_every_way_in_refuses_the_same_names(project):
    for name in ("car\x1bol", "x" * 41, "one two three four five"):
        with pytest.raises(DecisionError, match="^The coder name"):
            match_coder(name, iter_coders(project), new_ok=True)
        with pytest.raises(DecisionError, match="^The coder name"):
            normalise_coder_name(name, iter_coders(project))
    # A name of four words and up to 40 characters is a name.
    assert match_coder("Maria de la Cruz", [], new_ok=True).name == "Maria de la Cruz"


def test_a_name_stored_before_the_check_is_reachable_and_its_fix_is_quoted_for_the_shell(project):
    save_decision(project, Decision("p01", 2, "car\x1bol", frozenset({"followup"})))
    found = match_coder("car\x1bol", iter_coders(project), new_ok=False)
    assert found.name == "car\x1bol"
    assert found.warning == (
        "coder $'car\\x1bol' was stored with a control character or a line break. Rename it with "
        "\"wei-qual coders rename $'car\\x1bol' NEW\"."
    )
    assert "\x1b" not in found.warning
    rename_coder(project, "car\x1bol", "Carol Diaz")
    assert "Carol Diaz" in iter_coders(project) and "car\x1bol" not in iter_coders(project)
    # A fix suggested for a name with a space is quoted too.
    with pytest.raises(DecisionError) as info:
        rename_coder(project, "Carol Diaz", "ana")
    assert str(info.value).endswith("\"wei-qual coders merge 'Carol Diaz' ana\".")


def test_a_qdpx_user_whose_name_cannot_be_a_coders(tmp_path):
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.qdpx.import_ import load_qdpx

    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    qde.write_text(qde.read_text(encoding="utf-8").replace('name="Morgan Diaz"', 'name="Morgan&#x202E;Diaz"'))
    plan = load_qdpx(zip_folder(folder, tmp_path / "m.qdpx"))
    assert {d.coder for d in plan.decisions} == {"user-5d2b49d0"}
    assert (
        "a user's name $'Morgan\\u202eDiaz' holds a control character (U+202E), which a terminal would act on; "
        'their work is under coder "user-5d2b49d0". Name them with "wei-qual coders rename user-5d2b49d0 NEW".'
    ) in plan.warnings


def test_consensus_is_reserved_whatever_its_case():
    found = match_coder("Consensus", ["ana", "bob"], new_ok=True)
    assert (found.name, found.new) == ("consensus", True)
    assert found.warning == (
        'coder "Consensus" read as "consensus", the coder that holds the reconciled decisions (names ignore '
        "case). Give an independent coder another name"
    )
    assert match_coder("CONSENSUS", ["ana", "consensus"], new_ok=False).name == "consensus"
    assert match_coder("consensus", ["ana"], new_ok=True).warning is None
    assert normalise_coder_name("Consensus", ["ana"])[0] == "consensus"


def test_a_name_typed_in_full_width_letters_is_the_coder_it_looks_like():
    # A Japanese or Chinese input method left in full-width mode types "ａｌｉｃｅ": it looks like alice
    # but shares no character with it, so it started a new coder without a word, and "ｃｏｎｓｅｎｓｕｓ"
    # an independent coder that reports show as the consensus.
    found = match_coder("ａｌｉｃｅ", ["alice", "bob"], new_ok=True)
    assert (found.name, found.new) == ("alice", False)
    assert found.warning == (
        'coder "ａｌｉｃｅ" read as the existing coder "alice" (did you mean alice? Names ignore case and '
        "full-width letters)"
    )
    assert match_coder("Ａｌｉｃｅ", ["alice"], new_ok=False).name == "alice"
    assert match_coder("ｃｏｎｓｅｎｓｕｓ", ["alice"], new_ok=True).name == "consensus"
    assert normalise_coder_name("ＣＯＮＳＥＮＳＵＳ", ["alice"])[0] == "consensus"


def test_a_consensus_sheet_written_as_Consensus_is_the_consensus(db_path, tmp_path):
    db = open_db(db_path)
    build_project(db)
    for coder, codes in (("ana", {"csu-admission"}), ("bob", {"csu-admission"})):
        save_decision(db, Decision("p01", 2, coder, frozenset(codes)))
        save_decision(db, Decision("p02", 2, coder, frozenset({"co-responder"})))
        save_decision(db, Decision("p02", 3, coder, frozenset({"csu-refusal"})))
    db.close()
    # The lead's reconciled sheet, retyped in Excel: "Consensus" capitalised, Windows line ends.
    sheet = tmp_path / "reconciled.csv"
    sheet.write_bytes(
        "\ufefftranscript,segment,coder,codes,note\r\np01,4,Consensus,followup,\r\n".encode("utf-8")
    )
    imported = run(db_path, "decisions", "import", str(sheet))
    assert imported.exit_code == 0, imported.stderr
    assert imported.stderr.splitlines()[0] == (
        f'Warning: {sheet}:2: coder "Consensus" read as "consensus", the coder that holds the reconciled '
        "decisions (names ignore case). Give an independent coder another name."
    )
    assert iter_coders(open_db(db_path)) == ["ana", "bob", "consensus"]
    copied = run(db_path, "reconcile", "--coder", "lead", "--accept-agreed", "--no-interactive")
    assert "Copied 3 agreed segments into consensus." in copied.stderr
    assert "read as" not in copied.stderr
    agree = json.loads(run(db_path, "agree", "--format", "json", "--bootstrap", "0").stdout)
    assert agree["coders"] == ["ana", "bob"] and agree["warnings"] == []
    themes = run(db_path, "report", "themes", "--level", "code", "--format", "json")
    report = json.loads(themes.stdout)
    assert report["source"] == "consensus"
    assert {r["code"]: r["segments"] for r in report["rows"] if r["segments"]} == {
        "csu-admission": 1,
        "co-responder": 1,
        "csu-refusal": 1,
        "followup": 1,
    }
    # What export writes for consensus comes back as consensus, unchanged.
    exported = run(db_path, "decisions", "export", "--coder", "consensus").stdout
    assert "p01,4,consensus,followup" in exported
    again = tmp_path / "again.csv"
    again.write_text(exported)
    back = run(db_path, "decisions", "import", str(again))
    assert back.stderr == f"Imported {again}: 0 changed (0 new, 0 updated), 4 unchanged.\n"
    # Typed in other places, the name is the same coder.
    renamed = run(db_path, "coders", "rename", "ana", "CONSENSUS")
    assert renamed.exit_code == 1
    assert 'To combine the two, use "wei-qual coders merge ana consensus' in renamed.stderr
    as_ = run(
        db_path, "reconcile", "--coder", "lead", "--as", "Consensus", "--accept-agreed", "--no-interactive"
    )
    assert as_.exit_code == 0 and 'coder "Consensus" read as "consensus"' in as_.stderr
    assert iter_coders(open_db(db_path)) == ["ana", "bob", "consensus"]


def test_a_coder_stored_as_Consensus_before_the_name_was_reserved_is_warned_about(db_path):
    db = open_db(db_path)
    build_project(db)
    for coder in ("ana", "bob", "Consensus"):
        save_decision(db, Decision("p01", 2, coder, frozenset({"csu-admission"})))
        save_decision(db, Decision("p02", 2, coder, frozenset({"co-responder"})))
    db.close()
    warning = (
        'coder "Consensus" counts as an independent coder, though its name is the consensus coder\'s in '
        'another case. If it holds reconciled decisions, make it the consensus with "wei-qual coders rename '
        'Consensus consensus"; if it is a person, rename it with "wei-qual coders rename Consensus NAME".'
    )
    # On stderr, each command it names says which project.
    said = "Warning: " + warning.replace(' consensus"', f' consensus --db {db_path}"').replace(
        ' NAME"', f' NAME --db {db_path}"'
    )
    agree = run(db_path, "agree", "--format", "json", "--bootstrap", "0")
    assert agree.stderr.startswith(said)
    assert warning in json.loads(agree.stdout)["warnings"]
    themes = run(db_path, "report", "themes", "--source", "union")
    assert themes.stderr.startswith(said)
    # The fix it names makes it the consensus.
    fixed = run(db_path, "coders", "rename", "Consensus", "consensus")
    assert fixed.exit_code == 0, fixed.stderr
    agree = json.loads(run(db_path, "agree", "--format", "json", "--bootstrap", "0").stdout)
    assert agree["coders"] == ["ana", "bob"] and agree["warnings"] == []
    assert json.loads(run(db_path, "report", "themes", "--format", "json").stdout)["source"] == "consensus"


def test_a_qdpx_user_named_Consensus_is_the_consensus(tmp_path):
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.qdpx.import_ import load_qdpx

    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    qde.write_text(qde.read_text(encoding="utf-8").replace('name="Morgan Diaz"', 'name="Consensus"'))
    plan = load_qdpx(zip_folder(folder, tmp_path / "m.qdpx"))
    assert "consensus" in {d.coder for d in plan.decisions}
    assert "Consensus" not in {d.coder for d in plan.decisions}
    assert (
        'user "Consensus" read as the coder "consensus", which holds the reconciled decisions (names ignore '
        'case). If they are a person, rename them with "wei-qual coders rename consensus NAME".'
    ) in plan.warnings


def test_done_is_of_the_assignment_once_there_is_a_plan(db_path):
    # A coder who had finished her assignment read "done 32%" (of all 106 turns), the assignment's columns
    # beside it: with a plan, "done" is of what each coder was assigned, and the header says so.
    db = open_db(db_path)
    build_project(db)
    db.close()
    before = run(db_path, "coders")  # no coder yet
    assert "No coders yet" in before.stderr
    assigned = run(db_path, "assign", "--coders", "alice,bob", "--double", "0", "--seed", "1")
    assert assigned.exit_code == 0, assigned.stderr
    db = open_db(db_path)
    (mine,) = assigned_transcripts(db, "alice")
    turns = [
        r[0]
        for r in db.execute("SELECT n FROM segments WHERE transcript_id = ? AND role = 'participant'", [mine])
    ]
    for n in turns:
        save_decision(db, Decision(mine, n, "alice", frozenset({"followup"})))
    all_turns = db.execute("SELECT COUNT(*) FROM segments WHERE role = 'participant'").fetchone()[0]
    db.close()
    assert len(turns) < all_turns
    table = run(db_path, "coders", "--wide").stdout
    header, _, alice = table.splitlines()[:3]
    assert "done (of assigned)" in header and " total " not in header
    assert alice.split()[0] == "alice" and alice.split()[-3:-2] == ["100%"]
    assert f"{len(turns)} of {len(turns)}" in alice
    # Without a plan, "done" stays of every participant turn.
    db = open_db(db_path)
    db.execute("DELETE FROM assignments")
    db.conn.commit()
    db.close()
    table = run(db_path, "coders", "--wide").stdout
    header, _, alice = table.splitlines()[:3]
    assert "assigned" not in header and " total " in header
    assert f"{len(turns)} {all_turns} {round(100 * len(turns) / all_turns)}%" in " ".join(alice.split())
