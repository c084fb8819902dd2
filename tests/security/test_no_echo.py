"""Errors never echo file content, and an empty file is never an all-clear."""

from __future__ import annotations

import pytest

from wei_qual.cli import app

CANARY = "Sergeant Okafor drove Dana Whitfield to the crisis unit"


def test_an_attributes_file_that_is_really_a_transcript_is_not_echoed(runner, tmp_path):
    (tmp_path / "p01.txt").write_text("Interviewer: Where did you take her?\nParticipant: To the unit.\n")
    (tmp_path / "attributes.csv").write_text(f"{CANARY}, late on a Friday.\nInterviewer: And then?\n")
    result = runner.invoke(app, ["ingest", "p01.txt", "--attributes", "attributes.csv", "--db", "p.db"])
    assert result.exit_code == 1
    assert CANARY not in result.stderr and "Okafor" not in result.stderr
    assert result.stderr == (
        'Error: "attributes.csv", line 1: no "id" column in the header row (2 columns). Add an id column '
        "holding each transcript's id (its file name without extension).\n"
    )


def test_scanning_an_empty_file_is_an_error_not_a_pass(runner, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    result = runner.invoke(app, ["deid", "scan", "empty.txt"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == 'Error: "empty.txt" is empty, so there is nothing to scan. Check the file, or leave it out.\n'
    )


@pytest.mark.parametrize(
    "name, text, args, said",
    [
        (  # an unescaped "<" in a transcript's text: libxml2 named the surname as an attribute
            "p.qdpx",
            f"<PlainTextContent>{CANARY} <Officer Okafor> later</PlainTextContent>",
            ["project", "import", "p.qdpx", "--db", "new.db"],
            (
                '"p.qdpx": project.qde, line 3, column 166: not well-formed XML (an unescaped < or & in text, or '
                "a damaged file). Export the project again as REFI-QDA .qdpx."
            ),
        ),
        (  # an unescaped "&": "Entity 'Whitfield' not defined"
            "p.qdpx",
            "<PlainTextContent>Dana &Whitfield; at the unit</PlainTextContent>",
            ["project", "import", "p.qdpx", "--db", "new.db"],
            (
                '"p.qdpx": project.qde, line 3, column 111: not well-formed XML (an unescaped < or & in text, or '
                "a damaged file). Export the project again as REFI-QDA .qdpx."
            ),
        ),
        (
            "c.qdc",
            "<Description>Dana &Whitfield; at the unit</Description>",
            ["codebook", "import", "c.qdc", "-o", "c.yaml"],
            (
                '"c.qdc", line 3, column 106: not well-formed XML (an unescaped < or & in text, or a damaged '
                "file). Export the codebook again as .qdc."
            ),
        ),
    ],
)
def test_xml_that_is_not_well_formed_is_placed_not_quoted(runner, tmp_path, name, text, args, said):
    # libxml2's message quotes the name it stumbled on, and an unescaped < or & in text (a hand-edited
    # export, a buggy tool) makes a transcript's word a name: the error printed an officer's surname.
    import zipfile

    if name.endswith(".qdpx"):
        qde = (
            '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p">\n'
            f'<Sources><TextSource guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01" name="p01">{text}'
            "</TextSource></Sources></Project>"
        )
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            z.writestr("project.qde", qde)
    else:
        (tmp_path / name).write_text(
            '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\n'
            f'<Code guid="C3A0F6D1-8E4B-4E55-9A63-2B7F0D1E4C01" name="a" isCodable="true">{text}</Code>'
            "</Codes></CodeBook>"
        )
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {said}\n")
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "c.yaml").exists()
