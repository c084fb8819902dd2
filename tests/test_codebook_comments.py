"""The lead's YAML comments carried into the versions wei-qual writes from the stored codes (a draft made
while coding, a draft settled) and into `codebook export --format yaml`."""

from __future__ import annotations

from typer.testing import CliRunner

from wei_qual.cli import app
from wei_qual.codebook import load_into_project
from wei_qual.codebook.comments import read_comments
from wei_qual.codebook.drafts import complete_draft, create_draft
from wei_qual.codebook.parse import parse_codebook_text
from wei_qual.store import open_db
from wei_qual.store.codebooks import get_active_codebook, get_codebook_row

LEAD = """\
# Crisis-calls codebook, kept by the lead.
# Definitions agreed at the team meeting of 3 March.
name: Crisis calls
version: "2"
codes:
  # Theme: what happens at the crisis unit's door.
  - id: csu
    name: Crisis stabilization unit
    children:
      # Narrowed on 3 March: refusals at the door only, not transfers.
      - id: csu-refusal
        name: Refused at the CSU   # the officers' word
        definition: |
          The unit turns the person away.
          # a line of the definition, not a comment
        color: "#1F77B4"  # blue: the police side
      - id: csu-capacity
        name: No beds
        # Beds, not staff: staff shortages are coded elsewhere.
        definition: "The unit is full # of beds
          tonight."
  - id: jail
    name: Jail as fallback
    definition: Taken to jail.
# Ask the lead before adding a theme.
"""


def stored(db) -> str:
    return get_codebook_row(db, get_active_codebook(db)[0])["yaml"]


def comment_lines(text: str) -> list[str]:
    """Lines starting with "#", but the one inside csu-refusal's definition."""
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line.startswith("#") and "a line of the definition" not in line]


def test_a_version_written_while_coding_keeps_the_leads_comments_on_unchanged_codes(tmp_path):
    # A coder's `+new` wrote a version generated from the stored codes: every comment of the lead's file
    # (why a definition reads as it does) was gone from it, and from the export the lead then edits.
    path = tmp_path / "study.yaml"
    path.write_text(LEAD, encoding="utf-8")
    db = open_db(tmp_path / "p.db")
    load_into_project(db, path)
    create_draft(db, code_id="waiting-room", name="Waiting room", parent="csu", actor="alice")
    text = stored(db)
    lead = comment_lines(LEAD)
    assert (
        comment_lines(text)
        == [
            "# Written by wei-qual: a version with codes created or settled while coding.",
            *lead[:4],
            "# the officers' word",  # a comment after a value: a line of its own above its key
            "# blue: the police side",
            *lead[4:],
        ]
    )
    assert "  # Beds, not staff" in text.split("definition: 'The unit is full # of beds")[0]
    # The comments change no code: the text reads back as the codes stored.
    parsed = parse_codebook_text(text, "v2", patterns=False)
    assert parsed.problems == [] and [c.id for c in parsed.codebook.codes] == [
        c.id for c in get_active_codebook(db)[1].codes
    ]
    assert parsed.codebook.code("csu-refusal").definition.endswith(
        "\n# a line of the definition, not a comment"
    )
    assert parsed.codebook.code("csu-capacity").definition == "The unit is full # of beds tonight."

    # Settling the draft carries them again; a code that changed would lose its own (none here).
    complete_draft(db, "waiting-room", definition="Waiting for a bed in the car park.")
    assert comment_lines(stored(db))[1:] == comment_lines(text)[1:]
    assert read_comments(stored(db)).codes.get(("waiting-room", None)) is None


def test_the_export_carries_the_comments_and_may_replace_its_own_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.yaml").write_text(LEAD, encoding="utf-8")
    db = open_db(tmp_path / "p.db")
    load_into_project(db, tmp_path / "study.yaml")
    db.close()
    runner = CliRunner()
    args = ["codebook", "export", "--format", "yaml", "-o", "out.yaml", "--db", "p.db"]
    assert runner.invoke(app, args).exit_code == 0
    out = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "# Narrowed on 3 March: refusals at the door only, not transfers." in comment_lines(out)
    assert "# Ask the lead before adding a theme." == comment_lines(out)[-1]
    # Written by wei-qual from a stored version: exporting again may replace it (nothing would be lost)...
    assert runner.invoke(app, args).exit_code == 0
    # ...but not once someone has added a comment of their own.
    (tmp_path / "out.yaml").write_text(out + "# mine\n", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "not a file wei-qual wrote" in result.stderr
