"""A real terminal: the session's `#` and `x` (excerpts), `+new` (a draft code another coder's session
then shows), and the memo keys `m`, `mc ID` and `m?`, run through the installed console script in a pty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _cli_script import SCRIPT
from _coding_project import build_project

from wei_qual.models import Excerpt
from wei_qual.store import open_db
from wei_qual.store.codebooks import get_active_codebook
from wei_qual.store.decisions import get_decision, iter_memos

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(
    not Path(SCRIPT).exists(), reason="the wei-qual console script is not installed"
)


def spawn(db_path, coder):
    return pexpect.spawn(
        SCRIPT,
        ["code", "--coder", coder, "--db", str(db_path)],
        dimensions=(50, 200),
        timeout=60,
        encoding="utf-8",
    )


def styled(text: str) -> str:
    """A regular expression for `text` as the terminal shows it: style codes may come between characters."""
    return "(?:\x1b\\[[0-9;]*m)*".join(re.escape(ch) for ch in text)


def see(child, text):
    child.expect(styled(text))


def answer(child, line, expect):
    child.expect_exact("> ")
    child.sendline(line)
    see(child, expect)


def test_excerpt_new_code_and_memo_keys_in_a_terminal(db_path):
    build_project(open_db(db_path))
    bob = spawn(db_path, "bob")  # already coding when alice creates a code
    alice = spawn(db_path, "alice")
    try:
        see(bob, "coded 0 of 4 (bob)")
        see(alice, "coded 0 of 4 (alice)")
        answer(alice, "#", "[1] We took him to the crisis unit")
        answer(alice, 'x csu-adm "crisis unit"', 'Chosen: csu-admission [excerpt: "crisis unit"]')
        answer(alice, "", "Saved: p01 segment 2.")
        answer(alice, '+new county-gap "County gap" under response', "Chosen: county-gap")
        see(alice, "county-gap*")  # the code list marks a draft
        see(alice, 'Created draft code "county-gap" under "response"')
        alice.expect_exact("> ")
        alice.sendline("mc county")
        alice.expect_exact("Memo on code county-gap (Enter cancels, q quits): ")
        alice.sendline("Only where the county has no unit.")
        alice.expect_exact("> ")
        alice.sendline("m")
        alice.expect_exact("Memo on segment p01:4 (Enter cancels, q quits): ")
        alice.sendline("Compare with p02.")
        answer(alice, "m?", "Your memos here")
        alice.expect_exact("Enter returns to the segment ")  # the memos stay until Enter
        listed = re.sub(r"\x1b\[[0-9;]*m", "", alice.before)
        assert "Only where the county has no unit." in listed and "Compare with p02." in listed
        alice.sendline("")
        answer(alice, "", "Saved: p01 segment 4.")
        # bob's session picks the new version up at his next key, without restarting.
        answer(bob, "#", "New in the codebook: county-gap.")
        answer(bob, "county", "Chosen: county-gap")
        answer(bob, "", "Saved: p01 segment 2.")
        for child in (alice, bob):
            child.expect_exact("> ")
            child.sendline("q")
            child.expect(pexpect.EOF)
    finally:
        for child in (alice, bob):
            if child.isalive():
                child.terminate(force=True)
    db = open_db(db_path)
    first = get_decision(db, "p01", 2, "alice")
    text = "We took him to the crisis unit and they admitted him [inaudible]."
    start = text.index("crisis unit")
    assert first.excerpts == (Excerpt("csu-admission", start, start + len("crisis unit")),)
    second = get_decision(db, "p01", 4, "alice")
    version, codebook = get_active_codebook(db)
    assert second.codes == {"county-gap"} and second.codebook_version == version
    assert codebook.code("county-gap").draft and codebook.code("county-gap").parent == "response"
    assert get_decision(db, "p01", 2, "bob").codes == {"county-gap"}
    assert iter_memos(db, "alice") == {
        ("code", "county-gap"): "Only where the county has no unit.",
        ("segment", "p01:4"): "Compare with p02.",
    }
