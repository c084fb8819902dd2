"""`wei-qual agree` through CliRunner: formats, --by, the --min-alpha gate, disagreements, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _agree_project import add_transcript, build

from wei_qual import agree, reliability
from wei_qual.cli import app
from wei_qual.models import Decision
from wei_qual.store import open_db
from wei_qual.store.decisions import iter_decisions, save_decision


@pytest.fixture
def project(db_path):
    db = open_db(db_path)
    build(db)
    db.close()
    return db_path


def run(runner, project, *args, exit_code=0):
    result = runner.invoke(app, ["agree", "--db", str(project), *args], catch_exceptions=exit_code != 0)
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return result


def test_table_marks_each_code_and_names_method_and_units(runner, project):
    out = run(runner, project, "--bootstrap", "100").stdout
    lines = [line.rstrip() for line in out.splitlines()]
    cells = [" ".join(line.split()) for line in lines]  # one space between cells
    # Seven units: some resamples draw no variation for a code, and the table counts those draws.
    assert "wait 31.6% 76.2% 0.538 -0.143–1.000 4 (4%) 0.596 0.443 0.584 0.524 unreliable" in cells
    # beds is on two units only: α .743 says little, and the verdict says so.
    assert "beds 26.3% 90.5% 0.743 0.292–1.000 9 (9%) 0.711 0.738 0.851 0.810 too few" in cells
    assert "unused 0.0% 100.0% – – 0 – – – – undefined" in cells
    assert "place 81.0% 0.673 0.118–1.000 tentative" in cells
    assert "Undefined: unused: no variation: no coder applied this code" in lines
    assert (
        "Overall: α pooled over the (unit, code) values of the 4 of 5 codes with a defined α 0.665 (95% CI "
        "0.536–0.801) · mean per-code α 0.681" in lines
    )
    text = " ".join(lines)
    assert "7 units (segments decided by at least two of alice, bob, carol)." in text
    assert "95% CI: percentile bootstrap, 100 draws resampling units (--ci-method units), seed 0." in text


def test_many_undefined_draws_are_warned_about_on_stderr(runner, project):
    result = run(runner, project, "--bootstrap", "100")
    assert result.stderr.splitlines() == [
        f"Warning: {code}: alpha is undefined in 9 of 100 bootstrap draws (9.0%); the interval uses the "
        "others and may be too narrow."
        for code in ("beds", "jail", "hospital")
    ]
    data = json.loads(run(runner, project, "--bootstrap", "100", "--format", "json").stdout)
    assert [c["ci_undefined_draws"] for c in data["codes"]] == [4, 9, 9, 9, 0]
    assert data["codes"][0]["ci_note"] is None  # 4% is below the 5% warning line
    assert data["codes"][1]["ci_note"].startswith("alpha is undefined in 9 of 100 bootstrap draws")
    without = run(runner, project, "--bootstrap", "0")
    assert "undef. draws" not in without.stdout and without.stderr == ""


def test_kalpha_method_is_named(runner, project):
    out = " ".join(run(runner, project, "--ci-method", "kalpha", "--bootstrap", "1000").stdout.split())
    assert (
        "95% CI: percentile bootstrap, 1,000 draws resampling pairable values as Hayes & Krippendorff (2007) / KALPHA "
        "(--ci-method kalpha), seed 0."
    ) in out


def test_json_is_plain_and_matches_the_core(runner, project):
    result = run(
        runner, project, "--format", "json", "--coders", "alice,bob", "--bootstrap", "50", "--seed", "4"
    )
    db = open_db(project)
    expected = agree.measure(db, coders=["alice", "bob"], bootstrap=50, seed=4).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))
    assert result.stderr == ""


def test_json_by_role(runner, project):
    data = json.loads(run(runner, project, "--format", "json", "--by", "role", "--bootstrap", "0").stdout)
    assert list(data["by"]) == ["role"]
    assert {value: sub["units"] for value, sub in data["by"]["role"].items()} == {"officer": 4, "provider": 3}
    assert data["codes"][0]["alpha_ci"] == [None, None]


def test_table_by_setting_repeats_the_tables(runner, project):
    out = run(runner, project, "--by", "setting", "--bootstrap", "0").stdout
    assert "setting = rural: agreement of alice, bob, carol" in out
    assert "setting = urban: agreement of alice, bob, carol" in out
    assert "No confidence intervals (--bootstrap 0)." in out


def test_csv_and_markdown(runner, project):
    rows = list(csv.reader(io.StringIO(run(runner, project, "--format", "csv", "--bootstrap", "0").stdout)))
    assert rows[0][:4] == ["scope", "subset", "code", "n_units"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("code", "wait"),
        ("code", "beds"),
        ("code", "jail"),
        ("code", "hospital"),
        ("code", "unused"),
        ("group", "place"),
        ("overall", "alpha_pooled"),
        ("overall", "alpha_mean"),
    ]
    assert rows[5][-4:] == ["undefined", "no variation: no coder applied this code", "0", "0"]
    # What a "too few" verdict rests on, in the spreadsheet too: beds on 2 units, the group on 4.
    assert [(r[2], r[13], r[16]) for r in rows[1:7]] == [
        ("wait", "unreliable", "3"),
        ("beds", "too few", "2"),
        ("jail", "too few", "2"),
        ("hospital", "too few", "2"),
        ("unused", "undefined", "0"),
        ("place", "tentative", "4"),
    ]
    md = run(runner, project, "--format", "md", "--bootstrap", "0").stdout
    assert (
        "| unused | 7 | 0.0% | 100.0% | – | – | – | – | – | – | undefined (no variation: no coder applied this code) |"
        in md
    )
    # An appendix has no stderr: the verdict says what it rests on.
    assert "| 0.810 | too few (2 units) |" in md


def test_group_rows_match_the_krippendorff_package_in_every_format(runner, project):
    # The group place as nominal values (alice, bob, carol x the 7 units; p01 officer, p02 provider),
    # measured by the krippendorff package: the whole selection and each --by subset.
    import krippendorff
    import numpy as np
    from _agree_project import GROUP_PLACE

    values = sorted({v for row in GROUP_PLACE for v in row if v is not None})
    data = np.array([[np.nan if v is None else values.index(v) for v in row] for row in GROUP_PLACE])
    expected = {
        subset: krippendorff.alpha(reliability_data=data[:, columns], level_of_measurement="nominal")
        for subset, columns in (
            ("", slice(0, 7)),
            ("role=officer", slice(0, 4)),
            ("role=provider", slice(4, 7)),
        )
    }
    args = ("--bootstrap", "0", "--by", "role")
    rows = list(csv.DictReader(io.StringIO(run(runner, project, *args, "-f", "csv").stdout)))
    got = {r["subset"]: float(r["alpha"]) for r in rows if r["scope"] == "group"}
    assert got == pytest.approx(expected, abs=1e-12)
    data_json = json.loads(run(runner, project, *args, "-f", "json").stdout)
    assert data_json["groups"][0]["alpha"] == pytest.approx(expected[""], abs=1e-12)
    for value in ("officer", "provider"):
        sub = data_json["by"]["role"][value]["groups"][0]
        assert sub["alpha"] == pytest.approx(expected[f"role={value}"], abs=1e-12)
    md = run(runner, project, *args, "-f", "md").stdout
    shown = [line.split(" | ")[3] for line in md.splitlines() if line.startswith("| place |")]
    assert shown == [f"{expected[s]:.3f}" for s in ("", "role=officer", "role=provider")]


def test_output_file(runner, project, tmp_path):
    target = tmp_path / "agreement.json"
    result = run(runner, project, "--format", "json", "--bootstrap", "0", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr.strip() == f"Wrote agreement to {target}."
    assert json.loads(target.read_text())["units"] == 7


@pytest.mark.parametrize("name", ["agreement.json", "agreement.CSV", "agreement.md"])
def test_output_format_comes_from_the_suffix(runner, project, tmp_path, name):
    target = tmp_path / name
    run(runner, project, "--bootstrap", "0", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    if name.endswith(".json"):
        assert json.loads(text)["units"] == 7
    elif name.endswith(".CSV"):
        assert text.startswith("scope,subset,code,n_units,")
    else:
        assert text.startswith("### Agreement")


def test_disagreements_format_comes_from_the_suffix(runner, project, tmp_path):
    target = tmp_path / "disagreements.json"
    run(runner, project, "--coders", "alice,bob", "--disagreements", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [d["segment"] for d in data["disagreements"]] == [3, 4, 4]


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "agreement.xlsx",
            (
                'Cannot write "{out}": this command writes .json, .csv or .md files, not .xlsx. Name the '
                "file .json, .csv or .md, or pass --format json|csv|md."
            ),
        ),
        (
            "agreement.txt",
            (
                'Cannot tell the format of "{out}" from its suffix. Pass --format json|csv|md, or name the '
                "file .json, .csv or .md."
            ),
        ),
    ],
)
def test_a_suffix_agree_cannot_write_is_refused(runner, project, tmp_path, name, message):
    target = tmp_path / name
    for extra in ([], ["--disagreements"]):
        result = run(runner, project, *extra, "-o", str(target), exit_code=1)
        assert result.stderr == f"Error: {message}\n".replace("{out}", str(target))
        assert not target.exists()


def test_gate_fails_with_exit_3_listing_codes_and_groups_below(runner, project):
    result = run(runner, project, "--min-alpha", "0.72", "--bootstrap", "0", exit_code=3)
    assert "wait" in result.stdout  # the table is still printed
    # The group place (.673) is judged as a code is; beds and jail reach .72 on two units each, which
    # vouches for nothing: they fail too, apart from those below.
    assert result.stderr == (
        "Warning: α is undefined for 1 code (unused); --min-alpha does not judge them.\n"
        "Error: 2 codes and 1 exclusive group have α below --min-alpha 0.72: wait (0.538), hospital "
        f'(0.700), group place (0.673). Reconcile with "wei-qual reconcile --db {project}" or sharpen their '
        "definitions in the codebook; 2 codes reach --min-alpha 0.72 on too few units to judge (fewer "
        "than 3 double-coded units hold them): beds (0.743, 2 units), jail (0.743, 2 units). Double-code "
        "more turns that hold them, or leave them out with --codes.\n"
    )


def test_gate_passes_with_exit_0(runner, project):
    result = run(
        runner, project, "--min-alpha", "0.5", "--bootstrap", "0", "--codes", "wait", "--format", "json"
    )
    assert result.stderr == "Every code with a defined α reaches --min-alpha 0.5, on enough units to judge.\n"
    gate = json.loads(result.stdout)["gate"]
    assert gate == {
        "min_alpha": 0.5,
        "passed": True,
        "judged": 1,
        "below": [],
        "too_few": [],
        "undefined": [],
    }
    assert "gate" not in json.loads(run(runner, project, "--bootstrap", "0", "--format", "json").stdout)


def test_a_code_too_few_to_judge_fails_the_gate(runner, project):
    # beds (.743) reaches .5 on two units only: it used to pass (with a warning a CI log hides).
    result = run(
        runner,
        project,
        *("--min-alpha", "0.5", "--bootstrap", "0", "--codes", "wait,beds", "--format", "json"),
        exit_code=3,
    )
    assert result.stderr == (
        "Error: 1 code reaches --min-alpha 0.5 on too few units to judge (fewer than 3 double-coded units "
        "hold them): beds (0.743, 2 units). Double-code more turns that hold them, or leave them out with "
        "--codes.\n"
    )
    gate = json.loads(result.stdout)["gate"]
    assert gate["passed"] is False and gate["below"] == []
    assert gate["too_few"] == [
        {"scope": "code", "name": "beds", "alpha": pytest.approx(26 / 35), "units_applied": 2}
    ]


def test_a_group_below_the_bar_fails_the_gate(runner, project):
    # hospital alone is too few; its group place (.673 on 4 units) is judged as a code is: below .69.
    result = run(
        runner,
        project,
        "--min-alpha",
        "0.69",
        "--bootstrap",
        "0",
        "--codes",
        "hospital",
        "-f",
        "json",
        exit_code=3,
    )
    assert "group place (0.673)" in result.stderr
    gate = json.loads(result.stdout)["gate"]
    assert gate["below"] == [
        {"scope": "group", "name": "place", "alpha": pytest.approx(0.6727, abs=1e-4), "units_applied": 4}
    ]
    assert [(i["scope"], i["name"]) for i in gate["too_few"]] == [("code", "hospital")]  # .700, 2 units
    assert gate["passed"] is False


def test_a_gate_that_judged_no_code_fails(runner, project):
    # "unused" alone: no code has an α, so nothing reached the threshold; it used to pass, and the
    # pooled α over nothing but agreed absences read 1.000.
    result = run(runner, project, "--codes", "unused", "--min-alpha", "0.8", "--bootstrap", "0", exit_code=3)
    assert result.stderr.splitlines()[-1] == (
        "Error: --min-alpha 0.8 judged no code: α is undefined for every one. Code more segments, or check "
        "the coders and codes selected."
    )
    data = json.loads(
        run(runner, project, "--codes", "unused", "--bootstrap", "0", "--format", "json").stdout
    )
    assert data["overall"]["alpha_pooled"] is None


def test_gate_judges_the_whole_selection_not_the_by_subsets(runner, project):
    # wait reaches .538 over all 7 units; the officers' wait (.333) does not.
    args = ("--codes", "wait", "--by", "role", "--min-alpha", "0.5", "--bootstrap", "0", "--format", "json")
    result = run(runner, project, *args)
    data = json.loads(result.stdout)
    assert round(data["codes"][0]["alpha"], 3) == 0.538
    assert round(data["by"]["role"]["officer"]["codes"][0]["alpha"], 3) == 0.333
    assert result.stderr == (
        "--min-alpha judges each code and group over all 7 units; the --by subsets are reported, not judged.\n"
        "Every code with a defined α reaches --min-alpha 0.5, on enough units to judge.\n"
    )


def test_disagreements_on_the_terminal_keep_brackets(runner, project):
    result = run(runner, project, "--coders", "alice,bob", "--disagreements")
    assert "No beds [inaudible] so he went to jail." in result.stdout
    assert "3 segments where alice, bob disagree" in result.stdout
    assert result.stderr == "3 of 7 units have disagreements among alice, bob.\n"


def test_disagreements_to_a_csv_file(runner, project, tmp_path):
    target = tmp_path / "disagreements.csv"
    result = run(runner, project, "--coders", "alice,bob", "--disagreements", "-o", str(target))
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == (
        "transcript,segment,speaker,role,setting,alice,bob,disputed,text\n"
        "p01,3,P01,officer,rural,beds;jail,jail,beds,No beds [inaudible] so he went to jail.\n"
        "p01,4,P01,officer,rural,(nothing),wait,wait,It depends on the night.\n"
        'p02,4,P02,provider,urban,beds,beds;hospital,hospital,"Beds were full, the hospital took him."\n'
    )
    assert result.stderr == (
        f"Wrote 3 disagreements to {target}.\n3 of 7 units have disagreements among alice, bob.\n"
    )


def test_disagreements_json_with_a_missing_coder(runner, project):
    data = json.loads(
        run(runner, project, "--disagreements", "--format", "json", "--codes", "hospital").stdout
    )
    assert data == {
        "coders": ["alice", "bob", "carol"],
        "units": 7,
        "disagreements": [
            {
                "transcript": "p02",
                "segment": 4,
                "speaker": "P02",
                "attributes": {"role": "provider", "setting": "urban"},
                "codes": {"alice": ["beds"], "bob": ["beds", "hospital"], "carol": ["beds"]},
                "disputed": ["hospital"],
                "text": "Beds were full, the hospital took him.",
            }
        ],
        "warnings": [],
    }


def test_disagreements_json_holds_the_warnings_said_on_stderr(runner, project):
    # A script reading only stdout must learn what the terminal was told: the list it once was had no
    # place for them, and a reader of that list now fails (a dict has no [0]) instead of reading on.
    result = run(
        runner, project, "--disagreements", "--format", "json", "--coders", "Alice,bob", "--min-alpha", "0.8"
    )
    said = [
        line.removeprefix("Warning: ") for line in result.stderr.splitlines() if line.startswith("Warning: ")
    ]
    data = json.loads(result.stdout)
    assert said == [
        'coder "Alice" read as the existing coder "alice" (did you mean alice? Names ignore case)',
        "--min-alpha is ignored with --disagreements; run agree without it to gate.",
    ]
    assert data["warnings"] == said
    assert (data["coders"], data["units"]) == (["alice", "bob"], 7)
    with pytest.raises(KeyError):
        data[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--coders", "alice,zed"],
            'Unknown coder "zed" in --coders. Known coders: alice, bob, carol. Check the spelling.',
        ),
        (
            ["--coders", "alice"],
            'Agreement needs at least two coders, --coders names one ("alice"). Name two or more, e.g. --coders alice,bob.',
        ),
        (
            ["--codes", "wait,nope"],
            'Unknown code "nope" in --codes: it is not in the active codebook. See the code ids with "wei-qual codebook show --db {db}".',
        ),
        (
            ["--codes=-nope"],
            'Unknown code "nope" in --codes (-nope): it is not in the active codebook. See the code ids with "wei-qual codebook show --db {db}".',
        ),
        (  # a theme named stands for its codes: one of them cannot be taken from it
            ["--codes", "access,-wait"],
            (
                '"-wait" in --codes leaves out nothing: neither it nor a code under it is among the codes selected '
                "(a theme named in --codes stands for its codes: leave the theme out, or name the codes to keep)."
            ),
        ),
        (  # a code not selected: no theme to blame
            ["--codes", "wait,-beds"],
            '"-beds" in --codes leaves out nothing: neither it nor a code under it is among the codes selected.',
        ),
        (  # named twice: the second leaves out what the first did
            ["--codes", "wait,beds,-beds,-beds"],
            '"-beds" in --codes leaves out nothing: an earlier -ID in --codes has left it out already.',
        ),
        (
            ["--codes", "-access,-place,-unused"],
            "--codes leaves out every code it selects. Keep at least one.",
        ),
        (
            ["--by", "age"],
            'No transcript has the attribute "age" given with --by. Known attributes: role, setting. Add them with "wei-qual ingest --attributes --db {db}".',
        ),
        (
            ["--by", "Role"],
            'No transcript has the attribute "Role" given with --by (did you mean "role"?). Known attributes: role, setting. Add them with "wei-qual ingest --attributes --db {db}".',
        ),
        (
            ["--transcript", "p99", "--disagreements"],
            'Unknown transcript "p99" given with --transcript. See the ids with "wei-qual transcripts list --db {db}".',
        ),
    ],
)
def test_errors_exit_1_with_one_line(runner, project, args, message, tmp_path):
    target = tmp_path / "out.csv"
    result = run(runner, project, *args, "-o", str(target), exit_code=1)
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n".replace("{db}", str(project))  # commands run as printed
    assert not target.exists()


def test_no_codebook_is_an_error(runner, db_path):
    result = run(runner, db_path, exit_code=1)
    assert (
        result.stderr
        == f'Error: No codebook is loaded. Load one with "wei-qual codebook load FILE --db {db_path}".\n'
    )


def test_coders_without_common_segments(runner, project):
    db = open_db(project)
    save_decision(db, Decision("p01", 1, "dave", frozenset({"wait"})))  # an interviewer turn only
    db.close()
    result = run(runner, project, "--coders", "alice,dave", exit_code=1)
    assert result.stderr == (
        "Error: Coders alice and dave have no segment in common: no segment in the selection was decided by two "
        f'of them. Double-code some segments with "wei-qual code --coder NAME --db {project}", or check --transcript.\n'
    )
    result = run(runner, project, "--coders", "alice,dave", "--include-interviewer", "--format", "json")
    assert json.loads(result.stdout)["units"] == 1


def test_min_alpha_is_not_a_gate_for_the_disagreement_listing(runner, project):
    result = run(
        runner, project, "--disagreements", "--min-alpha", "0.9", "--format", "csv", "--coders", "alice,bob"
    )
    assert result.stdout.count("\n") == 4
    assert result.stderr == (
        "Warning: --min-alpha is ignored with --disagreements; run agree without it to gate.\n"
        "3 of 7 units have disagreements among alice, bob.\n"
    )


@pytest.mark.parametrize("command", [["agree"], ["reconcile", "--coder", "carol"]])
def test_a_mistyped_project_path_is_not_made_into_an_empty_project(runner, tmp_path, command):
    missing = tmp_path / "studdy.db"
    result = runner.invoke(app, [*command, "--db", str(missing)])
    assert result.exit_code == 1 and not missing.exists()
    assert result.stderr == (
        f'Error: No project at "{missing}". Create it with "wei-qual ingest PATH --db {missing}", or pass the '
        "--db of an existing project.\n"
    )


def test_kind_document_in_a_project_without_documents_says_so(runner, tmp_path):
    path = tmp_path / "p.db"
    build(open_db(path))
    result = runner.invoke(app, ["agree", "--kind", "document", "--db", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: This project has no documents, so --kind document selects nothing. Ingest the policy documents "
        f'with "wei-qual ingest --kind document --db {path}", or leave --kind out.\n'
    )


def test_units_coded_under_two_codebook_versions_are_said(runner, project):
    # bob recodes p01:2 after version 2 added "transport": his decision is of version 2, alice's and
    # carol's of version 1, who could not apply "transport". The comparison counted it as their
    # disagreement with no word.
    import dataclasses

    from _agree_project import CODEBOOK

    from wei_qual.models import Code
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(project)
    v2 = dataclasses.replace(
        CODEBOOK, version="2", codes=(*CODEBOOK.codes, Code("transport", "Transport", parent="access"))
    )
    save_codebook_version(db, v2, "name: Test\nversion: 2\n")
    save_decision(db, Decision("p01", 2, "bob", frozenset({"wait", "transport"})))
    db.close()
    warning = (
        "1 of the 7 units were coded under different codebook versions (1, 2): a code one version lacks counts "
        "as not applied by whoever coded under it (transport). Recode those units under the active version to "
        "compare like with like."
    )
    result = run(runner, project, "--bootstrap", "0")
    assert f"Warning: {warning}\n" in result.stderr
    data = json.loads(run(runner, project, "--bootstrap", "0", "--format", "json").stdout)
    assert data["warnings"] == [warning]
    # alice and carol coded every unit under version 1, which had no "transport": they "agree" it is
    # absent everywhere (100 %), which measures nothing. That was said of no one.
    never = (
        "every unit was coded under an earlier codebook version (1) that did not have transport: no coder "
        "could apply them, so their agreement measures nothing. Recode the units under the active version "
        '("wei-qual code --coder NAME --recode").'
    )
    data = json.loads(
        run(runner, project, "--bootstrap", "0", "--coders", "alice,carol", "--format", "json").stdout
    )
    assert data["warnings"] == [never]
    # Under the active version, nothing is said.
    db = open_db(project)
    for d in iter_decisions(db, coders=["alice", "carol"]):
        save_decision(db, dataclasses.replace(d, note="recoded", codebook_version=None))  # a recode
    db.close()
    assert (
        json.loads(
            run(runner, project, "--bootstrap", "0", "--coders", "alice,carol", "--format", "json").stdout
        )["warnings"]
        == []
    )


def test_a_by_group_with_no_double_coded_unit_is_listed_as_such(runner, project):
    # The dispatchers' one transcript is coded by alice alone: the group vanished from --by, as if the
    # study had no dispatchers.
    db = open_db(project)
    add_transcript(db, "p03", {"role": "dispatcher", "setting": "rural"})
    save_decision(db, Decision("p03", 2, "alice", frozenset({"wait"})))
    db.close()
    data = json.loads(run(runner, project, "--by", "role", "--bootstrap", "0", "--format", "json").stdout)
    assert list(data["by"]["role"]) == ["dispatcher", "officer", "provider"]
    dispatchers = data["by"]["role"]["dispatcher"]
    assert (dispatchers["units"], dispatchers["reason"]) == (
        0,
        "no unit in this subset was decided by two of the selected coders",
    )


def test_one_unit_has_no_interval_and_says_why(runner, project):
    # bob and carol share one unit of p02: every draw resamples it, and the interval was printed as
    # 0.000–0.000, as if it were certain.
    db = open_db(project)
    db.execute(
        "DELETE FROM decisions WHERE coder_id = 'carol' AND segment_id = "
        "(SELECT id FROM segments WHERE transcript_id = 'p02' AND n = 4)"
    )
    db.close()
    args = ("--coders", "bob,carol", "--transcript", "p02", "--bootstrap", "50")
    data = json.loads(run(runner, project, *args, "--format", "json").stdout)
    assert data["units"] == 1 and data["overall"]["alpha_pooled_ci"] == [None, None]
    assert all(c["alpha_ci"] == [None, None] for c in data["codes"])
    assert (
        data["reason"]
        == "one unit only: resampling it gives the same value in every draw, so there is no interval"
    )
    assert "Note: one unit only: resampling it gives" in " ".join(
        run(runner, project, *args, "--wide").stdout.split()
    )


def test_units_that_all_hold_the_same_values_have_no_interval_and_say_why(runner, project):
    # On p03 alice applied "beds" to every turn and bob to none: every unit is alike, so every bootstrap
    # draw redraws the same data and the interval was printed as -0.750–-0.750, as if alpha were certain.
    db = open_db(project)
    add_transcript(db, "p03", {"role": "officer", "setting": "rural"})
    for n in (2, 3, 4, 5):
        save_decision(db, Decision("p03", n, "alice", frozenset({"beds"})))
        save_decision(db, Decision("p03", n, "bob", frozenset()))
    db.close()
    args = ("--coders", "alice,bob", "--transcript", "p03", "--bootstrap", "50")
    result = run(runner, project, *args, "--format", "json")
    data = json.loads(result.stdout)
    beds = next(c for c in data["codes"] if c["code"] == "beds")
    assert beds["alpha"] == pytest.approx(-0.75)  # 1 - (n - 1) Do / De = 1 - 7 * 8 / 32 (n = 8 values)
    assert beds["alpha_ci"] == [None, None]
    assert beds["ci_note"] == reliability.SAME_UNITS
    assert data["overall"]["alpha_pooled_ci"] == [None, None]
    assert f"beds: {reliability.SAME_UNITS}." in result.stderr


def test_a_coder_who_decided_few_units_is_named(runner, project):
    # erin (a test login) decided one unit: her pair with bob (a disagreement) counted as much as alice
    # and bob's seven units in the mean κ, with no word.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "erin", frozenset()))
    db.close()
    result = run(runner, project, "--bootstrap", "0")
    assert (
        "Warning: erin (1 of 7 units) decided few of the units: the mean pairwise κ weighs each of their pairs "
        "as much as any other, on those units alone. Leave them out with --exclude-coders, or have them code "
        "more.\n"
    ) in result.stderr
    assert "erin" not in run(runner, project, "--bootstrap", "0", "--exclude-coders", "erin").stderr


def test_a_coder_with_no_double_coded_turn_is_left_out_and_not_told_to_code_more(runner, project):
    # Three coders, the double-coded share given to two: dave coded a transcript of his own only. He was
    # listed among the coders compared ("Agreement of alice, bob, carol, dave", a column of his own in the
    # disagreements, empty) and named as having "decided few of the units (0 of 7)", told his pairs weigh
    # in the mean κ (he has none) and to "code more", when coding more of his own transcript never
    # measures him.
    db = open_db(project)
    add_transcript(db, "p07", {"role": "officer"})
    for n in (2, 3, 4):
        save_decision(db, Decision("p07", n, "dave", frozenset()))
    db.close()
    result = run(runner, project, "--bootstrap", "0", "--format", "json")
    said = " ".join(result.stderr.split())
    assert "dave (0 of" not in said and "code more" not in said
    assert said.startswith(
        "Warning: dave decided none of the 7 units (no turn of theirs was decided by another coder too), so "
        'agreement leaves them out. To measure dave, give them double-coded transcripts ("wei-qual assign '
        "--double"
    )
    data = json.loads(result.stdout)
    assert data["coders"] == ["alice", "bob", "carol"]
    [warning] = data["warnings"]
    assert warning.startswith("dave decided none of the 7 units")
    listed = run(runner, project, "--disagreements", "--format", "json")
    found = json.loads(listed.stdout)
    assert found["coders"] == ["alice", "bob", "carol"] and found["disagreements"]
    assert all("dave" not in row["codes"] for row in found["disagreements"])
    # Nor has he a column on reconcile's screens.
    from wei_qual.agree.consensus import reconcile_queue

    sel, _ = reconcile_queue(open_db(project))
    assert sel.coders == ["alice", "bob", "carol"] and sel.idle == ("dave",)
    # The methods passage names him once, as a coder of his own turns, not as one left out or thin.
    methods = runner.invoke(app, ["report", "methods", "--bootstrap", "0", "--db", str(project)])
    passage = " ".join(methods.stdout.split())
    assert (
        "[Also coded, on turns no other coder decided, so in no agreement figure: dave (3 turns).]" in passage
    )
    assert "dave decided none" not in passage and "not compared here: dave" not in passage
    # Named with --coders, he is compared as asked, and told the same.
    named = run(runner, project, "--bootstrap", "0", "--coders", "alice,bob,carol,dave")
    said = " ".join(named.stderr.split())
    assert "Agreement of alice, bob, carol, dave" in named.stdout
    assert (
        "dave decided none of the 7 units (no turn of theirs was decided by another coder too), so no figure "
        in said
    )
    assert said.endswith("--exclude-coders leaves dave out of this list.")


def test_disagreements_markdown_keeps_markup_and_control_characters_as_text(
    runner, project, tmp_path, monkeypatch
):
    # The disagreements' Markdown wrote a turn's "<script>" and its raw control characters (a BEL, an
    # ESC sequence) as they were, and a coder's name with "|" unescaped in the header, breaking the table.
    import _agree_project

    turn = "He said <script>alert(1)</script> | no beds\x07 tonight \x1b[31mred"
    monkeypatch.setitem(_agree_project.TEXTS, ("p09", 2), turn)
    db = open_db(project)
    add_transcript(db, "p09", {"role": "officer"})
    codes = sorted(c.id for c in _agree_project.CODEBOOK.codes)[:2]
    for coder, code in (("alice", codes[0]), ("bob|x", codes[1])):
        save_decision(db, Decision("p09", 2, coder, frozenset({code})))
    db.close()
    out = tmp_path / "disagreements.md"
    run(runner, project, "--coders", "alice,bob|x", "--disagreements", "-t", "p09", "-o", str(out))
    md = out.read_text(encoding="utf-8")
    assert md.splitlines()[0].endswith("| alice | bob\\|x | disputed | text |")
    row = next(line for line in md.splitlines() if line.startswith("| p09 | 2 "))
    assert row.endswith("| He said \\<script>alert(1)\\</script> \\| no beds\\x07 tonight \\x1b[31mred |")
    assert "\x07" not in md and "\x1b" not in md


def test_the_methods_passage_leaves_a_thin_coder_out_as_its_warning_says(runner, project):
    # The passage said "Leave them out with --exclude-coders", which report methods did not take.
    db = open_db(project)
    save_decision(db, Decision("p01", 2, "erin", frozenset()))
    db.close()
    methods = ["report", "methods", "--bootstrap", "0", "--db", str(project)]
    with_erin = runner.invoke(app, methods)
    assert "[erin (1 of 7 units) decided few of the units" in with_erin.stdout
    result = runner.invoke(app, [*methods, "--exclude-coders", "erin", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    passage = json.loads(result.stdout)
    agreed = run(runner, project, "--bootstrap", "0", "--exclude-coders", "erin", "--format", "json")
    measured = json.loads(agreed.stdout)
    assert passage["reliability"]["coders"] == measured["coders"] == ["alice", "bob", "carol"]
    assert passage["reliability"]["overall"] == measured["overall"]
    assert passage["coders_not_compared"] == {"erin": 1}
    assert "decided few" not in runner.invoke(app, [*methods, "--exclude-coders", "erin"]).stdout


def test_a_coder_thin_in_one_subset_only_is_named_for_it(runner, project):
    # carol decided 5 of the 15 units, but 2 of the 11 provider units: there her two pairs weighed as much
    # as alice and bob's in the mean κ of role=provider, with no word (the warning looked at all units).
    db = open_db(project)
    for tid in ("p03", "p04"):
        add_transcript(db, tid, {"role": "provider", "setting": "urban"})
        for n in range(2, 6):
            save_decision(db, Decision(tid, n, "alice", frozenset({"wait"} if n % 2 else set())))
            save_decision(db, Decision(tid, n, "bob", frozenset({"wait"} if n != 4 else set())))
    db.close()
    result = run(runner, project, "--bootstrap", "0", "--by", "role", "--format", "json")
    expected = (
        "carol (2 of 11 units) decided few of the units: the mean pairwise κ weighs each of their pairs"
    )
    assert f"Warning: role=provider: {expected}" in " ".join(result.stderr.split())
    found = json.loads(result.stdout)
    assert found["warnings"] == []
    assert not any("decided few" in w for w in found["by"]["role"]["officer"]["warnings"])
    [warning] = [w for w in found["by"]["role"]["provider"]["warnings"] if "decided few" in w]
    assert warning.startswith(expected)


def test_a_fine_by_attribute_groups_its_subsets_warnings_by_kind(runner, project):
    # --by years_experience (a value per participant): every subset's intervals rest on a handful of units,
    # and stderr held a line for each (over 100 on the sample study), one of them worth reading.
    from _agree_project import add_transcript

    db = open_db(project)
    for i in range(1, 13):
        tid = f"t{i:02d}"
        add_transcript(db, tid, {"role": "officer", "years_experience": str(i)})
        for coder, codes in (
            ("alice", ({"wait"}, {"beds"}, set(), set())),
            ("bob", ({"wait"}, set(), set(), set())),
        ):
            for n, applied in enumerate(codes, start=2):
                save_decision(db, Decision(tid, n, coder, frozenset(applied)))
    db.close()
    args = ["--coders", "alice,bob", "--by", "years_experience", "--bootstrap", "200"]
    result = run(runner, project, *args)
    lines = result.stderr.splitlines()
    grouped = [line for line in lines if "subsets of years_experience" in line]
    assert len(lines) < 8 and len(grouped) == 1
    data = json.loads(run(runner, project, *args, "--format", "json").stdout)
    subsets = data["by"]["years_experience"]
    # Each subset's JSON warnings list its intervals' notes, as its codes' ci_note fields give them.
    noted = {}
    for value, sub in subsets.items():
        notes = [f"{c['code']}: {c['ci_note']}." for c in sub["codes"] if c["ci_note"]]
        notes += [f"{g['group']}: {g['ci_note']}." for g in sub["groups"] if g["ci_note"]]
        if sub["overall"]["alpha_pooled_ci_note"]:
            notes.append(f"pooled α: {sub['overall']['alpha_pooled_ci_note']}.")
        assert [w for w in sub["warnings"] if "bootstrap draws" in w] == notes
        if notes:
            noted[value] = len(notes)
    # t01..t12 each: wait and beds on 4 units; and the transcripts without the attribute
    assert len(noted) == len(subsets) == 13 and sum(noted.values()) > 10
    first = ", ".join(list(noted)[:5])
    assert grouped[0] == (
        f"Warning: {sum(noted.values())} bootstrap intervals in all 13 subsets of "
        f"years_experience ({first}, ...) rest on draws where α is undefined in more than 5% of them, and may "
        "be too narrow; each subset's warnings in the JSON (--format json) list them all."
    )
    # --by role keeps its few lines, each named.
    few = run(runner, project, "--by", "role", "--bootstrap", "100").stderr
    assert "Warning: role=provider: beds: alpha is undefined in" in few


def test_codes_a_version_lacked_name_no_theme_heading_and_a_heading_made_a_code(runner, project):
    # Version 2 adds a theme with a code under it, and makes the theme "access" a code (its codes moved to
    # the top level). The units coded under both versions named the new theme heading among the codes
    # version 1 lacked (no coder applies a heading), and not "access", which no coder could apply under
    # version 1, where it was a heading.
    import dataclasses

    from _agree_project import CODEBOOK

    from wei_qual.models import Code
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(project)
    codes = [dataclasses.replace(c, parent=None) if c.parent == "access" else c for c in CODEBOOK.codes]
    codes += [Code("logistics", "Logistics"), Code("transport", "Transport", parent="logistics")]
    save_codebook_version(db, dataclasses.replace(CODEBOOK, version="2", codes=tuple(codes)), "name: T\n")
    save_decision(db, Decision("p01", 2, "bob", frozenset({"wait", "access"})))
    db.close()
    data = json.loads(run(runner, project, "--bootstrap", "0", "--format", "json").stdout)
    said = (
        "1 of the 7 units were coded under different codebook versions (1, 2): a code one version lacks counts "
        "as not applied by whoever coded under it (access, transport). Recode those units under the active "
        "version to compare like with like."
    )
    assert data["warnings"] == [said]


def test_every_warning_said_on_stderr_is_in_the_json_too(runner, project):
    # A script reading only stdout was not told that --batch was ignored, nor that --min-alpha judged
    # no code whose alpha is undefined ("unused", which it passed): the JSON's warnings were empty.
    args = ["--bootstrap", "100", "-f", "json", "--batch", "5", "--min-alpha", "0.1"]
    result = run(runner, project, *args, exit_code=3)  # beds, jail, hospital: too few to judge
    said = [
        line.removeprefix("Warning: ") for line in result.stderr.splitlines() if line.startswith("Warning: ")
    ]
    data = json.loads(result.stdout)
    assert data["warnings"] == [
        "--batch is used only with --diagnostics; it is ignored.",
        "α is undefined for 1 code (unused); --min-alpha does not judge them.",
    ]
    assert [i["name"] for i in data["gate"]["too_few"]] == ["beds", "jail", "hospital"]
    # The intervals resting on undefined draws are held in their codes' ci_note, not repeated.
    notes = [f"{c['code']}: {c['ci_note']}." for c in data["codes"] if c["ci_note"]]
    assert notes and sorted(said) == sorted(data["warnings"] + notes)


def _jail_on_one_turn(db_path) -> None:
    """Three officers' transcripts double-coded by alice and bob, jail (of the group place) on one
    agreed turn, nothing on the others."""
    db = open_db(db_path)
    build(db, coders=())
    for tid in ("p03", "p04", "p05"):
        add_transcript(db, tid, {"role": "officer"})
        for coder in ("alice", "bob"):
            for n in range(2, 6):
                save_decision(
                    db, Decision(tid, n, coder, frozenset({"jail"} if (tid, n) == ("p03", 2) else ()))
                )
    db.close()


def test_an_exclusive_group_on_too_few_turns_is_said_on_stderr_and_in_the_json(runner, db_path):
    # Its codes on one agreed turn, "(none)" agreed on the rest: α 1.000 read "reliable", while the code's
    # own row said "too few".
    _jail_on_one_turn(db_path)
    said = (
        "Exclusive group place (1 unit): its codes were applied to fewer than 3 double-coded units (on the "
        "others the coders agreed that none applies), so its α, whatever the value, gets no verdict (too few). "
        "Double-code more turns that hold its codes before reporting it."
    )
    result = run(runner, db_path, "--bootstrap", "0")
    assert f"Warning: {said}" in result.stderr.splitlines()
    assert "place 100.0% 1.000 – too few" in [" ".join(line.split()) for line in result.stdout.splitlines()]
    data = json.loads(run(runner, db_path, "--bootstrap", "0", "--format", "json").stdout)
    assert {k: data["groups"][0][k] for k in ("alpha", "units_applied", "verdict")} == {
        "alpha": 1.0,
        "units_applied": 1,
        "verdict": "too few",
    }
    assert said in data["warnings"]
    # The gate judges the group as it does a code: jail's α 1.000 and place's, on one turn, pass nothing.
    gated = run(runner, db_path, "--bootstrap", "0", "--min-alpha", "0.8", "-f", "json", exit_code=3)
    assert [(i["scope"], i["name"]) for i in json.loads(gated.stdout)["gate"]["too_few"]] == [
        ("code", "jail"),
        ("group", "place"),
    ]
    assert gated.stderr.splitlines()[-1].startswith(
        "Error: 1 code and 1 exclusive group reach --min-alpha 0.8 on too few units to judge (fewer "
        "than 3 double-coded units hold them): jail (1.000, 1 unit), group place (1.000, 1 unit)."
    )


def test_the_tables_too_few_line_lists_an_exclusive_group_too(runner, db_path):
    # The line under the table listed the codes too few to judge only: the group place, "too few" in
    # its table, was not in it.
    _jail_on_one_turn(db_path)
    out = " ".join(run(runner, db_path, "--bootstrap", "0").stdout.split())
    assert (
        "Too few to judge: jail (1 unit), group place (1 unit): applied (a group: its codes) to fewer than 3 "
        "double-coded units, so their α, whatever the value, gets no verdict (too few). Double-code more "
        "turns that hold them before reporting them." in out
    )


def test_the_methods_passage_says_an_exclusive_group_is_too_few_to_judge(runner, db_path):
    db = open_db(db_path)
    build(db, coders=())
    for tid in ("p03", "p04", "p05"):
        add_transcript(db, tid, {"role": "officer"})
        for coder in ("alice", "bob"):
            for n in range(2, 6):
                save_decision(
                    db, Decision(tid, n, coder, frozenset({"jail"} if (tid, n) == ("p03", 4) else ()))
                )
    db.close()
    result = runner.invoke(
        app, ["report", "methods", "--db", str(db_path), "--bootstrap", "0"], catch_exceptions=False
    )
    assert (
        "Mutually exclusive codes were also measured as one nominal variable each: place α = 1.000 (too few to "
        "judge: its codes were applied to 1 turn)." in " ".join(result.stdout.split())
    )


def test_an_exclusive_group_too_few_in_a_by_subset_is_said_as_at_the_top(runner, project):
    # Officers' place: 1.000 on the two turns that hold jail or hospital; it had the verdict, no warning.
    data = json.loads(run(runner, project, "--by", "role", "--bootstrap", "0", "-f", "json").stdout)
    officer = data["by"]["role"]["officer"]
    assert [(g["group"], g["units_applied"], g["verdict"]) for g in officer["groups"]] == [
        ("place", 2, "too few")
    ]
    said = (
        "Exclusive group place (2 units): its codes were applied to fewer than 3 double-coded units (on the "
        "others the coders agreed that none applies), so its α, whatever the value, gets no verdict (too few). "
        "Double-code more turns that hold its codes before reporting it."
    )
    assert officer["warnings"] == [said]
    result = run(runner, project, "--by", "role", "--bootstrap", "0")
    assert f"Warning: role=officer: {said}" in result.stderr.splitlines()


def test_exclusive_groups_too_few_in_many_subsets_are_one_line(runner, db_path):
    # A value per participant: a group on one turn in each of 12 subsets is one line, not twelve.
    db = open_db(db_path)
    build(db, coders=())
    for i in range(12):
        tid = f"q{i:02d}"
        add_transcript(db, tid, {"role": "officer", "years_experience": str(i)})
        for coder in ("alice", "bob"):
            for n in range(2, 6):
                save_decision(db, Decision(tid, n, coder, frozenset({"jail"} if n == 2 else ())))
    db.close()
    result = run(runner, db_path, "--by", "years_experience", "--bootstrap", "0", "--codes", "jail")
    lines = [line for line in result.stderr.splitlines() if "years_experience" in line]
    assert lines == [
        (
            "Warning: in all 12 subsets of years_experience (0, 1, 2, 3, 4, ...), exclusive groups' codes "
            "were applied to fewer than 3 double-coded units: their α gets no verdict (too few); each "
            "subset's warnings in the JSON (--format json) list them all."
        )
    ]


def test_codes_minus_a_theme_leaves_out_its_whole_group(runner, project):
    # "-ID" as the coding session removes a code: every code but the place group's (exclusive, with its own
    # row in the groups table), without naming each code to keep.
    data = json.loads(
        run(runner, project, "--codes", "-place", "--bootstrap", "0", "--format", "json").stdout
    )
    assert [c["code"] for c in data["codes"]] == ["wait", "beds", "unused"]
    assert data["groups"] == []
    kept = json.loads(
        run(runner, project, "--codes", "wait,beds,unused", "--bootstrap", "0", "--format", "json").stdout
    )
    assert data["codes"] == kept["codes"]
    one = json.loads(
        run(runner, project, "--codes=-place,-wait", "--bootstrap", "0", "--format", "json").stdout
    )
    assert [c["code"] for c in one["codes"]] == ["beds", "unused"]
    # with --disagreements, the group's codes are no longer disputed: p01:3 and p02:4 disputed jail/hospital
    listed = json.loads(
        run(
            runner,
            project,
            "--coders",
            "alice,bob",
            "--disagreements",
            "--codes",
            "-place,-access",
            "--format",
            "json",
        ).stdout
    )
    assert listed["disagreements"] == []


def test_one_disagreement_is_said_in_the_singular(runner, project, tmp_path):
    # "1 segments where alice, bob disagree", "1 of 7 units have", "Wrote 1 disagreements".
    result = run(runner, project, "--coders", "alice,bob", "--disagreements", "--codes", "beds")
    assert "1 segment where alice, bob disagree" in result.stdout
    assert result.stderr == "1 of 7 units has disagreements among alice, bob.\n"
    target = tmp_path / "one.csv"
    result = run(
        runner, project, "--coders", "alice,bob", "--disagreements", "--codes", "beds", "-o", str(target)
    )
    assert result.stderr.startswith(f"Wrote 1 disagreement to {target}.\n")


def test_turns_one_coder_left_undecided_in_a_shared_transcript_are_said(runner, tmp_path):
    # Bob stopped halfway through K02 (a shift ended, a packet merged early): the α is of the turns both
    # decided, and only the footer's unit count gave it away. The warning names the turns left to him.
    answers = [f"Answer {i}: we waited at the ER again, about {i + 2} hours that night." for i in range(10)]
    text = "\n\n".join(
        f"Interviewer: What happened on call {i}?\n\nParticipant: {a}" for i, a in enumerate(answers)
    )
    for tid, place in (("K01", "the ER"), ("K02", "the county jail")):
        (tmp_path / f"{tid}.txt").write_text(text.replace("the ER", place) + "\n")
    db = str(tmp_path / "study.db")
    for args in (
        ["ingest", str(tmp_path / "K01.txt"), str(tmp_path / "K02.txt")],
        ["codebook", "load", str(Path(__file__).parents[1] / "codebooks" / "minimal.yaml")],
    ):
        assert runner.invoke(app, [*args, "--db", db]).exit_code == 0
    rows = ["transcript,segment,coder,codes,note"]
    for tid in ("K01", "K02"):
        for n in range(2, 21, 2):
            rows.append(f"{tid},{n},alice,csu-refusal,")
            if tid == "K01" or n <= 8:  # bob decided K02's first four answers only
                rows.append(f"{tid},{n},bob,{'csu-refusal' if n % 4 else ''},")
    (tmp_path / "decisions.csv").write_text("\n".join(rows) + "\n")
    imported = runner.invoke(app, ["decisions", "import", str(tmp_path / "decisions.csv"), "--db", db])
    assert imported.exit_code == 0, imported.stderr
    result = runner.invoke(app, ["agree", "--db", db, "--format", "json"])
    data = json.loads(result.stdout)
    assert data["units"] == 14  # K01's ten answers and K02's first four: by hand, the turns both decided
    said = (
        "6 turns of transcripts the coders share were decided by one coder only (alice 6: K02:10, K02:12, "
        "K02:14, K02:16, K02:18 and 1 more), so they are not in the agreement, measured on the 14 turns two "
        "coders decided."
    )
    assert any(w.startswith(said) for w in data["warnings"])
    assert said in " ".join(result.stderr.split())
