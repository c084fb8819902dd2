"""Transcript text, notes, memos and codebook text in a Markdown file render as text: never a link, an
image, raw HTML or a character reference, wherever the file is shown (GitHub, an editor's preview).

Rendered with markdown-it-py (CommonMark with tables; it comes with rich), the tokens are checked.
"""

from __future__ import annotations

import pytest
from _hostile import transcript

from wei_qual.cli import app
from wei_qual.excerpts import md_escape as quote_escape
from wei_qual.export.codebook_md import render_codebook_md
from wei_qual.models import Code, Codebook, Decision
from wei_qual.report.writers import md_escape as cell_escape
from wei_qual.store import open_db, transaction
from wei_qual.store.codebooks import save_codebook_version
from wei_qual.store.decisions import save_decision, save_memo
from wei_qual.store.transcripts import save_transcript

markdown_it = pytest.importorskip("markdown_it")

# A paragraph that is a link reference definition is not shown; "![x][1]" anywhere then loads the image.
DEFINITION = "[1]: http://tracker.example/p.png"
USE = "we waited ![x][1] and [1] at <img src=http://tracker.example/q.png> <script>alert(1)</script>"
ENTITIES = "she wrote &lt;b&gt; and &#60;i&#62; and &amp; in the chat"
FORBIDDEN = {"link_open", "image", "html_inline", "html_block"}


def _render(text: str):
    env: dict = {}
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(text, env)
    found, words = [], []

    def walk(items):
        for token in items:
            if token.type in FORBIDDEN:
                found.append(token.type)
            if token.type == "text":
                words.append(token.content)
            walk(token.children or [])

    walk(tokens)
    return found, env.get("references", {}), " ".join(words)


@pytest.mark.parametrize("escape", [quote_escape, cell_escape], ids=["quote", "table cell"])
def test_escaped_text_opening_a_paragraph_defines_no_link(escape):
    page = (
        f"{escape(DEFINITION)}\n\n> - {escape(DEFINITION)}\n\n| quote |\n|---|\n| {escape(USE)} |\n\n"
        f"{escape(USE)}\n\n{escape(ENTITIES)}\n"
    )
    found, references, words = _render(page)
    assert (found, references) == ([], {})
    assert DEFINITION in words and ENTITIES in words  # "&lt;" shows as written, not as "<"


def test_codebook_markdown_defines_no_link():
    codebook = Codebook(
        name=DEFINITION, version="1", codes=(Code("wait", "Waiting", definition=DEFINITION + " " + ENTITIES),)
    )
    found, references, words = _render(render_codebook_md(codebook))
    assert (found, references) == ([], {})
    assert ENTITIES in words


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.db"
    db = open_db(path)
    with transaction(db):
        save_transcript(db, transcript("p1", [DEFINITION, USE, ENTITIES], {"role": DEFINITION}))
        save_codebook_version(
            db, Codebook(name="Calls", version="1", codes=(Code("wait", DEFINITION),)), "name: x\n"
        )
        for coder in ("alice", "bob"):
            for n in (1, 2, 3):
                save_decision(db, Decision("p1", n, coder, frozenset({"wait"}), note=DEFINITION))
        save_memo(db, "alice", "segment", "p1:1", f"{DEFINITION}\n\n{ENTITIES}")
    db.close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["retrieve", "wait", "--source", "union", "--format", "md"],
        ["retrieve", "wait", "--source", "union", "--format", "md", "--context", "1"],
        ["search", "waited", "--format", "md"],
        ["memos", "--format", "md"],
        ["report", "quotes", "--source", "union", "--format", "md"],
        ["report", "themes", "--source", "union", "--by", "role", "--format", "md"],
        ["report", "methods", "--format", "md"],
        ["codebook", "show", "--format", "md"],
    ],
)
def test_markdown_outputs_render_transcript_text_as_text(runner, project, args):
    result = runner.invoke(app, [*args, "--db", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    found, references, _ = _render(result.stdout)
    assert (found, references) == ([], {})


@pytest.mark.parametrize(
    "args",
    [
        ["retrieve", "wait", "--source", "union", "--format", "md"],
        ["memos", "--format", "md"],
        ["report", "quotes", "--source", "union", "--format", "md"],
    ],
)
def test_a_character_reference_in_a_quote_shows_as_written(runner, project, args):
    result = runner.invoke(app, [*args, "--db", str(project)], catch_exceptions=False)
    assert ENTITIES in _render(result.stdout)[2]
