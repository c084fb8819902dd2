"""Values crafted to break a reader, each found by fuzzing the importers (mutated fixtures and targeted
inputs): every one was a Python traceback or a hang, and is now one line naming the place, or is read.

Most share a cause: str.isdigit() accepts "²" and other scripts' digits, which int() refuses, and int()
refuses a number of more than 4,300 digits.
"""

from __future__ import annotations

import dataclasses
import json
import time
import zipfile

import pytest
from _hostile import CODEBOOK as LEAD_CODEBOOK
from _hostile import build_lead, transcript

from wei_qual.agree.diagnostics import check_batch
from wei_qual.cli import app
from wei_qual.controls import LINE_BREAKS, has_controls
from wei_qual.errors import AgreementError
from wei_qual.export.codetree import Ids, unique_id
from wei_qual.numbers import whole_number

LONG = "9" * 5_000


def _one_line(result, code=1):
    assert result.exit_code == code, (result.stderr, result.exception)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 1, result.stderr
    return result.stderr.strip()


def _maxqda_first_source_named(tmp_path, name: str):
    """The MAXQDA fixture's import plan, its first source renamed to `name` (as written in XML)."""
    import re
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.qdpx.import_ import load_qdpx

    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    text = qde.read_text(encoding="utf-8")
    first = re.search(r'<TextSource [^>]*name="([^"]+)"', text).group(1)
    qde.write_text(text.replace(f'name="{first}"', f'name="{name}"', 1), encoding="utf-8")
    return load_qdpx(zip_folder(folder, tmp_path / "renamed.qdpx"))


def test_whole_number_takes_ascii_digits_only_and_not_too_many():
    assert [whole_number(t) for t in ("7", "007", "123456789")] == [7, 7, 123456789]
    assert [whole_number(t) for t in ("", "²", "٣", "1234567890", LONG, "-1", "1.0", " 1")] == [None] * 8
    with pytest.raises(AgreementError):
        check_batch("²")  # --batch: was a ValueError from int()


CODEBOOK = "name: T\nversion: {version}\ncodes:\n  - id: a\n    name: A\n"


@pytest.mark.parametrize(
    ("version", "what"),
    [
        ("2024-13-45", "date"),  # YAML reads it as a date, and the month is 13
        ("!!timestamp later", "date"),
        ("!!int abc", "number"),
        ("!!bool perhaps", "true/false value"),
        (LONG, "number"),
    ],
)
def test_a_codebook_value_yaml_cannot_construct_is_one_problem_at_its_place(runner, tmp_path, version, what):
    path = tmp_path / "cb.yaml"
    path.write_text(CODEBOOK.format(version=version), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        f"{path}:2:10: YAML error: a {what} YAML cannot read; put it in quotes to keep it as text."
        in result.output
    )


def test_front_matter_with_a_date_yaml_cannot_read_is_one_line(runner, tmp_path):
    path = tmp_path / "P01.md"
    path.write_text(
        "---\nid: P01\ndate: 2024-13-45\n---\nInterviewer: Hello?\n\nP01: Hi.\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f'Error: "{path}", line 3: front matter is not valid YAML (a date YAML cannot read; put it in quotes '
        'to keep it as text). Fix it (lines like "role: officer"), or remove the front matter.'
    )


def test_front_matter_giving_one_key_twice_is_one_line_not_the_last_value_silently(runner, tmp_path):
    """A transcript's header edited twice (a role corrected below the first one): YAML keeps the last
    value without a word, so an officer's interview was stored as a provider's."""
    path = tmp_path / "P02.md"
    path.write_text(
        "---\nid: P02\nrole: officer\nsetting: rural\nrole: provider\n---\nInterviewer: Hello?\n\nP02: Hi.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f'Error: "{path}", line 5: front matter is not valid YAML (key "role" appears twice; keep one of them). '
        'Fix it (lines like "role: officer"), or remove the front matter.'
    )
    assert not (tmp_path / "p.db").exists()


def test_a_pattern_repeating_a_token_millions_of_times_is_refused_before_spacy_unrolls_it(runner, tmp_path):
    # spaCy's Matcher unrolls {n} into n tokens: this 130-byte codebook took 42 s and 4 GB to validate.
    path = tmp_path / "cb.yaml"
    path.write_text(
        'name: T\nversion: "1"\ncodes:\n  - id: a\n    name: A\n    patterns:\n'
        '      - [{LOWER: unit}, {LOWER: x, OP: "{10000000}"}]\n      - [{LOWER: bed, OP: "{1,3}"}]\n',
        encoding="utf-8",
    )
    started = time.perf_counter()
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 1 and time.perf_counter() - started < 10
    assert result.output.strip().splitlines()[0] == (
        f'{path}:7:9: code "a": pattern 1 is not a valid spaCy pattern: token 2 repeats {{10000000}} times, '
        'more than 50. Use at most "{1,50}".'
    )
    assert "pattern 2" not in result.output  # a small repeat is a pattern like any other


def test_a_pattern_regex_that_repeats_a_repeat_is_refused_before_spacy_runs_it(runner, tmp_path):
    # "^(a+)+$" took suggest over 30 s of CPU on one 34-letter word, doubling with each letter.
    path = tmp_path / "cb.yaml"
    path.write_text(
        'name: T\nversion: "1"\ncodes:\n  - id: a\n    name: A\n    patterns:\n'
        '      - [{TEXT: {REGEX: "^(a+)+$"}}]\n      - [{LOWER: {REGEX: "^\\\\d{1,3}(\\\\.\\\\d{1,3}){3}$"}}]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        (
            f'{path}:7:9: code "a": pattern 1 is not a valid spaCy pattern: token 1\'s REGEX "^(a+)+$" repeats '
            "a repeat, which can take hours on one long word. Write it without a repeat inside a repeat (e.g. "
            '"a+" for "(a+)+").'
        )
    ]  # a bounded repeat of a repeat (an address's four numbers) is a pattern like any other
    # A codebook stored before this check (or edited in the database) stops suggest in one line.
    from wei_qual.models import Code, Codebook
    from wei_qual.store import open_db
    from wei_qual.store.codebooks import save_codebook_version

    db = open_db(tmp_path / "p.db")
    hostile = Codebook("T", "1", codes=(Code("a", "A", patterns=([{"TEXT": {"REGEX": "^(a+)+$"}}],)),))
    save_codebook_version(db, hostile, "name: T\n")
    db.close()
    words = tmp_path / "P01.txt"
    words.write_text("Interviewer: And then?\n\nP01: " + "a" * 40 + "b came.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(words), "--db", str(tmp_path / "p.db")]).exit_code == 0
    started = time.perf_counter()
    result = runner.invoke(app, ["suggest", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and time.perf_counter() - started < 20
    assert 'Code "a", pattern 1: not a valid spaCy Matcher pattern' in result.stderr


def _qdc(path, codes: str):
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("patterns", ["5", "null", "[" * 5_000 + "]" * 5_000])
def test_a_qdc_description_with_patterns_that_are_no_list_imports_without_them(runner, tmp_path, patterns):
    code = (
        '<Code guid="00000000-0000-4000-8000-000000000001" name="Beds" isCodable="true">'
        f"<Description>No beds at the unit.\n\nPatterns (spaCy): {patterns}</Description></Code>"
    )
    path = _qdc(tmp_path / "cb.qdc", code)
    out = tmp_path / "cb.yaml"
    result = runner.invoke(app, ["codebook", "import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "patterns" not in out.read_text(encoding="utf-8")


def test_thousands_of_codes_of_one_name_get_their_ids_in_linear_time():
    # Each id used to be found by trying name-2, name-3 ... from 2: 20,000 codes named "A" took 33 s.
    used = Ids()
    started = time.perf_counter()
    for _ in range(50_000):
        used.add(unique_id("a", used))
    assert time.perf_counter() - started < 5
    assert len(used) == 50_000 and "a-50000" in used
    used.add("b-2")
    assert [unique_id("b", used) for _ in range(1)] == ["b"]
    used.add("b")
    assert unique_id("b", used) == "b-3"  # a suffix taken otherwise is skipped


@pytest.mark.parametrize("number", ["²", LONG])
def test_a_qdpx_document_segment_numbered_with_no_ascii_number_is_read_as_text(runner, tmp_path, number):
    guid = "00000000-0000-4000-8000-00000000000{}".format
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="test">'
        f'<Variables><Variable guid="{guid(1)}" name="Source kind" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{guid(2)}" name="D"><VariableValue><VariableRef targetGUID="{guid(1)}"/>'
        f'<TextValue>document</TextValue></VariableValue><SourceRef targetGUID="{guid(3)}"/></Case></Cases>'
        f'<Sources><TextSource guid="{guid(3)}" name="D"><PlainTextContent>The policy text.</PlainTextContent>'
        f'<PlainTextSelection guid="{guid(4)}" name="D segment {number}" startPosition="0" endPosition="5"/>'
        "</TextSource></Sources></Project>\n"
    )
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    result = runner.invoke(app, ["project", "import", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("t1,²,alice,wait", 'segment "²" is not a segment number.'),
        (f"t1,{LONG},alice,wait", "is not a segment number."),
        (f't1,1,alice,wait,,"wait=0:{LONG}"', "is not CODE=start:end"),
    ],
)
def test_a_decisions_csv_number_int_cannot_read_is_a_problem_on_its_line(runner, tmp_path, row, message):
    build_lead(tmp_path / "lead.db")
    path = tmp_path / "d.csv"
    path.write_text(f"transcript,segment,coder,codes,note,excerpts\n{row}\n", encoding="utf-8")
    result = runner.invoke(app, ["decisions", "import", str(path), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}:2: " in result.output and message in result.output


@pytest.mark.parametrize(
    ("codes", "message"),
    [({"wait": 1}, '"codes" must be a list of code ids, not an object.'), (5, 'unknown code "5"')],
)
def test_a_json_decision_whose_codes_are_no_list_is_a_problem_on_its_item(runner, tmp_path, codes, message):
    build_lead(tmp_path / "lead.db")
    path = tmp_path / "d.json"
    path.write_text(json.dumps([{"transcript": "t1", "segment": 1, "coder": "alice", "codes": codes}]))
    result = runner.invoke(app, ["decisions", "import", str(path), "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}:item 1: {message}" in result.output


def test_an_escape_for_half_a_character_is_a_problem_at_its_place_and_a_whole_pair_is_read(runner, tmp_path):
    # "\\ud800" (half of a UTF-16 pair: a JSON writer's emoji cut in two) in a double-quoted YAML value or a
    # decisions JSON was read as a lone surrogate, which nothing can store or print: the codebook was
    # "valid", then load, ingest and decisions import ended in a UnicodeEncodeError traceback.
    db = str(tmp_path / "lead.db")
    build_lead(tmp_path / "lead.db")
    book = tmp_path / "cb.yaml"
    book.write_text('name: "Crisis \\ud800 calls"\nversion: "1"\ncodes:\n  - id: wait\n    name: Waiting\n')
    for command in (["validate", str(book)], ["load", str(book), "--db", db]):
        result = runner.invoke(app, ["codebook", *command])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert (
            f"{book}:1:7: YAML syntax error: an escape (\\uD800 to \\uDFFF) stands for half of a "
            in result.output
        )
    page = tmp_path / "P01.md"
    page.write_text('---\nrole: "officer \\udc00"\n---\nInterviewer: Hello?\n\nP01: Hi.\n', encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(page), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f'Error: "{page}", line 2: front matter is not valid YAML (an escape')
    coded = tmp_path / "d.json"
    coded.write_text(
        '[{"transcript": "t1", "segment": 1, "coder": "alice", "codes": ["wait"], "note": "\\ud800"}]'
    )
    result = runner.invoke(app, ["decisions", "import", str(coded), "--db", db])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{coded}:item 1: an escape (\\uD800 to \\uDFFF) stands for half of a character" in result.output
    # Both halves together are the character they make, as a JSON reader takes them.
    book.write_text(
        'name: "Crisis calls \\ud83d\\udcde"\nversion: "1"\ncodes:\n  - id: wait\n    name: Waiting\n'
    )
    assert runner.invoke(app, ["codebook", "load", str(book), "--db", db]).exit_code == 0
    coded.write_text(
        '[{"transcript": "t1", "segment": 1, "coder": "alice", "codes": ["wait"], "note": "\\ud83d\\udcde"}]'
    )
    assert runner.invoke(app, ["decisions", "import", str(coded), "--db", db]).exit_code == 0


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, f'[{{"segment": {LONG}}}]'])
def test_decisions_json_nested_too_deep_or_with_too_long_a_number_is_one_line(runner, tmp_path, text):
    build_lead(tmp_path / "lead.db")
    path = tmp_path / "d.json"
    path.write_text(text)
    result = runner.invoke(app, ["decisions", "import", str(path), "--db", str(tmp_path / "lead.db")])
    assert _one_line(result) == (
        f'Error: "{path}" holds JSON that cannot be read (a number too long, or lists nested too deep). '
        "Check the file."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # 100 million draws claimed gigabytes; 10**30 was a numpy traceback
        (["agree", "--bootstrap", str(10**30)], "Invalid value for '--bootstrap'"),
        (["report", "methods", "--bootstrap", "100000001"], "Invalid value for '--bootstrap'"),
        (
            ["codebook", "show", "--version", str(2**63)],
            "Invalid value for '--version'",
        ),  # SQLite's OverflowError
    ],
)
def test_numbers_past_what_an_option_can_mean_are_a_usage_error(runner, tmp_path, args, message):
    build_lead(tmp_path / "lead.db")
    result = runner.invoke(app, [*args, "--db", str(tmp_path / "lead.db")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_the_reliability_functions_bound_the_draws_too():
    import numpy as np

    from wei_qual.reliability import ReliabilityInputError, bootstrap_alpha

    data = np.array([[1, 0, 1, 1], [1, 0, 0, 1]])
    with pytest.raises(ReliabilityInputError, match="at most 100,000"):
        bootstrap_alpha(data, n=10**8)


def test_an_argument_that_is_not_utf8_is_one_line(tmp_path):
    # A Latin-1 terminal typing "José": Python keeps the byte as a lone surrogate, which SQLite and the
    # terminal refuse (a UnicodeEncodeError, deep in whichever command used it).
    import subprocess
    import sys

    build_lead(tmp_path / "lead.db")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wei_qual",
            "coders",
            "rename",
            b"Jos\xe9",
            "jose",
            "--db",
            tmp_path / "lead.db",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "Error: an argument is not UTF-8 text (the terminal may use another encoding). Type it again in a "
        "UTF-8 terminal, e.g. with LANG=C.UTF-8.\n"
    )


def test_a_file_name_longer_than_the_system_allows_is_one_line(runner, tmp_path):
    result = runner.invoke(app, ["transcripts", "list", "--db", str(tmp_path / ("p" * 300 + ".db"))])
    assert _one_line(result) == (
        "Error: a file or folder name given is longer than this system allows (255 bytes for one name). "
        "Pass a shorter path."
    )


@pytest.mark.parametrize("encoding", ["base64", "zlib", "rot13", "undefined", "unicode_escape"])
def test_an_encoding_that_is_no_character_set_is_refused(runner, tmp_path, encoding):
    path = tmp_path / "P01.txt"
    path.write_bytes(b"Interviewer: Caf\xe9?\n\nP01: \\ud800 Yes.\n")
    result = runner.invoke(app, ["ingest", str(path), "--encoding", encoding, "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f'Error: Unknown encoding "{encoding}" given with --encoding. Use a name such as utf-8, cp1252 or latin-1.'
    )


def test_control_characters_xml_cannot_hold_are_exported_as_a_replacement_character(runner, tmp_path):
    # An ESC in an attribute value, a coder name, a decision note and a code name (each can come in from
    # a CSV, a packet or a YAML escape) made project export and the .qdc and .docx codebook exports a
    # traceback from lxml or python-docx. They are written as U+FFFD, with a warning.
    from docx import Document

    from wei_qual.models import Decision
    from wei_qual.qdpx.export import project_schema
    from wei_qual.store.codebooks import save_codebook_version
    from wei_qual.store.decisions import save_decision
    from wei_qual.store.transcripts import save_transcript

    path = tmp_path / "lead.db"
    db = build_lead(path)
    save_transcript(db, transcript("t5", ["We waited."], {"role": "off\x1bicer"}))
    hostile = dataclasses.replace(
        LEAD_CODEBOOK,
        name="Crisis\x00calls",
        version="2",
        codes=tuple(dataclasses.replace(c, name=c.name + "\x1b[2J") for c in LEAD_CODEBOOK.codes),
    )
    save_codebook_version(db, hostile, "name: x\n")
    save_decision(db, Decision("t1", 1, "ali\x0bce", frozenset({"wait"}), note="see memo\x1b]0;title\x07"))
    db.close()
    args = ["--db", str(path)]
    result = runner.invoke(app, ["project", "export", str(tmp_path / "out.qdpx"), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any("control characters that XML cannot hold" in w for w in warnings)
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        qde = archive.read("project.qde")
    from lxml import etree

    project_schema().assertValid(etree.fromstring(qde))
    text = qde.decode("utf-8")
    assert "off\ufffdicer" in text and "ali\ufffdce" in text and "see memo\ufffd]0;title\ufffd" in text
    assert "\x1b" not in text
    for fmt in ("qdc", "docx"):
        out = tmp_path / f"cb.{fmt}"
        result = runner.invoke(app, ["codebook", "export", "--format", fmt, "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        assert "control characters that XML cannot hold" in result.stderr
    assert "Waiting\ufffd[2J" in (tmp_path / "cb.qdc").read_text(encoding="utf-8")
    assert Document(tmp_path / "cb.docx").core_properties.title == "Crisis\ufffdcalls"


def test_suggested_commands_quote_the_names_they_carry(runner, tmp_path):
    # The messages' commands are meant to be run as printed: a file name that is shell syntax stays one
    # argument, never a command of its own.
    import re
    import shlex

    path = tmp_path / "P7$(touch PWNED);id.txt"
    path.write_text("We waited at the unit.\n\nThen the deputy left.\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "p.db")]
    result = runner.invoke(app, ["ingest", str(path), *db])
    assert result.exit_code == 0, result.stderr
    (dry,) = re.findall(r'"(wei-qual ingest --dry-run [^"]*)"', result.stderr)
    assert shlex.split(dry) == ["wei-qual", "ingest", "--dry-run", str(path), *db]
    path.write_text("P7: Call me on 555-867-5309 after six.\n", encoding="utf-8")  # the PII gate stops it
    result = runner.invoke(app, ["ingest", str(path), *db])
    assert result.exit_code == 1
    (scan,) = re.findall(r'"(wei-qual deid scan [^"]*)"', result.stderr)
    assert shlex.split(scan) == ["wei-qual", "deid", "scan", str(path), *db]


def test_a_file_name_starting_with_a_dash_is_a_file_in_suggested_commands_and_no_id(runner, tmp_path):
    """A file called "-rf.txt": the suggested commands name it "./-rf.txt", which the command reads as its
    file (as printed, "-rf.txt" was read as options -r and -f); its id "-rf" would be options in
    "wei-qual transcripts show -rf", so it is refused as an id, and a .qdpx source's name loses the dash."""
    import re
    import shlex

    (tmp_path / "-rf.txt").write_text("P7: Call me on 555-867-5309 after six.\n", encoding="utf-8")
    result = runner.invoke(app, ["deid", "scan", "./-rf.txt"])
    assert result.exit_code == 3  # findings
    (redact,) = re.findall(r'"(wei-qual deid redact [^"]*)"', result.stderr)
    assert shlex.split(redact) == ["wei-qual", "deid", "redact", "./-rf.txt", "-o", "redacted/-rf.txt"]
    result = runner.invoke(app, ["ingest", "./-rf.txt", "--db", "p.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'Error: "-rf.txt": its transcript id starts with "-", which a command would read as an option, not an '
        'id. Rename the file, or give it an "id:" in front matter.'
    )
    plan = _maxqda_first_source_named(tmp_path, "--db=other.db")
    assert "db=other.db" in {t.id for t in plan.transcripts}
    assert not [t.id for t in plan.transcripts if t.id.startswith("-")]
    assert any('"--db=other.db" becomes transcript "db=other.db"' in w for w in plan.warnings)


def test_names_with_control_characters_are_no_ids(runner, tmp_path):
    # A transcript id or coder name is listed on terminals and written into exports: one holding an
    # escape or a bidi override (which shows "P12" where "P21" is) is refused, or, from a .qdpx, cleaned.
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.coders import match_coder
    from wei_qual.errors import DecisionError
    from wei_qual.qdpx.import_ import load_qdpx

    path = tmp_path / "P\u202e12.txt"
    path.write_text("Interviewer: And then?\n\nP12: We waited.\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    assert "its transcript id holds a control character" in result.stderr and "\u202e" not in result.stderr
    with pytest.raises(DecisionError, match="holds a control character"):
        match_coder("ali\x1bce", ["alice"], new_ok=True)
    assert match_coder("alice", ["alice"], new_ok=True).name == "alice"
    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    qde.write_text(
        qde.read_text(encoding="utf-8").replace('name="Interview 12', 'name="Interview &#x202E;12')
    )
    plan = load_qdpx(zip_folder(folder, tmp_path / "m.qdpx"))
    assert [t.id for t in plan.transcripts] == ["Interview 12"]
    assert 'source 1\'s name holds control characters; it becomes transcript "Interview 12".' in plan.warnings


def test_a_file_name_with_a_line_break_forges_no_line_of_a_message(runner, tmp_path):
    # A file name may hold a line break; printed in "Error: ..." it wrote a line of its own, and it became
    # a transcript id listed on lines of their own ever after.
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "P01\nError: the project is damaged; delete p.db.txt").write_text(
        "Interviewer: And then?\n\nP01: We waited.\n", encoding="utf-8"
    )
    for args in (["ingest", str(folder), "--db", str(tmp_path / "p.db")], ["deid", "scan", str(folder)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            f'Error: "{folder}/P01\\nError: the project is damaged; delete p.db.txt": the file name holds a line '
            "break or a tab, which would start a line of its own in every message naming it, so it was left "
            "out. Rename the file and run the command again."
        )
        assert not any(line.startswith("Error: the project") for line in result.stderr.splitlines())
    # The same id given in front matter is refused; from a .qdpx, the name is mended, with a warning.
    path = tmp_path / "P02.md"
    path.write_text('---\nid: "P02\\nError: forged"\n---\nInterviewer: And then?\n\nP02: We waited.\n')
    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "its transcript id holds a line break or a tab" in result.stderr
    assert "\nError: forged" not in result.stderr


def test_a_qdpx_source_name_with_a_line_break_becomes_one_line(tmp_path):

    plan = _maxqda_first_source_named(tmp_path, "P01&#10;Error:&#9;forged")
    assert "P01 Error: forged" in {t.id for t in plan.transcripts}
    assert (
        'source 1\'s name holds line breaks or tabs; it becomes transcript "P01 Error: forged".'
        in plan.warnings
    )


def test_an_attribute_name_with_a_line_break_or_an_escape_forges_no_line(runner, tmp_path):
    # An attribute's name is printed in every table and message naming it: a CSV header cell, a front-matter
    # key or a .qdpx variable named "role\nError: ..." printed a forged Error: line in "transcripts list",
    # and an escape in one acted on the terminal. A CSV value with an escape was refused; these were stored.
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.qdpx.import_ import load_qdpx

    (tmp_path / "P01.txt").write_text("Interviewer: And then?\n\nP01: We waited.\n", encoding="utf-8")
    sheet = tmp_path / "people.csv"
    sheet.write_text('id,"role\nError: forged",setting\r\nP01,officer,rural\r\n', encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", "P01.txt", "--attributes", str(sheet), "--db", str(tmp_path / "p.db")]
    )
    assert result.exit_code == 1 and "forged" not in result.stderr
    assert result.stderr.startswith(f'Error: "{sheet}", line 2: the name of column 2 holds a line break')
    page = tmp_path / "P02.md"
    for head in ('"role\\nError: forged": officer', 'role: "off\\e[31micer"'):
        page.write_text(
            f"---\nid: P02\nsetting: rural\n{head}\n---\nInterviewer: And?\n\nP02: Hi.\n", encoding="utf-8"
        )
        result = runner.invoke(app, ["ingest", str(page), "--db", str(tmp_path / "p.db")])
        assert result.exit_code == 1 and "forged" not in result.stderr and "\x1b" not in result.stderr
        assert result.stderr.startswith(
            f'Error: "{page}", line 4: a front-matter key or its value holds a control'
        )
    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    text = qde.read_text(encoding="utf-8").replace('name="Setting"', 'name="Setting&#10;Error: forged"')
    qde.write_text(text.replace("<TextValue>urban</TextValue>", "<TextValue>ur&#x202E;ban</TextValue>"))
    plan = load_qdpx(zip_folder(folder, tmp_path / "m.qdpx"))
    values = {(k, v) for t in plan.transcripts for k, v in t.attributes.items()}
    assert ("Setting Error: forged", "urban") in values
    assert not any(LINE_BREAKS.search(k) or has_controls(k + v) for k, v in values)
    assert any(w.startswith("2 attribute names or values held control characters") for w in plan.warnings)


def test_a_qdpx_code_name_with_a_line_break_becomes_one_line(tmp_path):
    import re
    import shutil

    from _qdpx_project import FIXTURES, zip_folder

    from wei_qual.qdpx.import_ import load_qdpx

    folder = tmp_path / "maxqda"
    shutil.copytree(FIXTURES / "maxqda", folder)
    qde = folder / "project.qde"
    text = qde.read_text(encoding="utf-8")
    first = re.search(r'<Code [^>]*name="([^"]+)"', text).group(1)
    qde.write_text(text.replace(f'name="{first}"', 'name="Access&#10;Error: forged"', 1), encoding="utf-8")
    plan = load_qdpx(zip_folder(folder, tmp_path / "m.qdpx"))
    names = [c.name for c in plan.codebook.codes]
    assert "Access Error: forged" in names and not any("\n" in n for n in names)
    assert any(
        w.endswith(": its name held line breaks or tabs; they were made spaces.") for w in plan.warnings
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("\x1b]0;owned\x07policy.txt", "holds a control character"),
        ("MOU\u202etxt.md", "holds a control character"),
        ("--rf.txt", 'starts with "-"'),
    ],
)
def test_a_document_s_id_is_checked_as_an_interview_s_is(runner, tmp_path, name, why):
    # `ingest --kind document` stored any file name as the document's id: escapes, bidi overrides, dashes.
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / name).write_text("1. Purpose\n\nThis policy sets out the drop-off.\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--kind", "document", str(folder), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and f"its transcript id {why}" in result.stderr
    assert not (tmp_path / "p.db").exists()
