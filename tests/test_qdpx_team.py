"""A team's exchange: a coded project sent to each tool's shape (--for) and back, then exported again,
with what real transcripts and codebooks hold: right-to-left text with its direction marks, Unicode line
and paragraph separators, tabs, emoji, combining accents, CRLF files, codes named with "/" and quotes,
two codes of one name under different parents, coders named with quotes and accents, and transcript ids
that look like file names (a file saved as "P07.txt.txt")."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from _qdpx_project import project_snapshot

from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
from wei_qual.qdpx.layout import COUNTINGS
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision, save_memo

TEXTS = {  # file name -> bytes as the team's editors saved them (fictional)
    # Windows editor: CRLF; an emoji with a skin tone, a combining accent, tabs from a case note, U+FE0F.
    "P01.txt": "Interviewer: What happened at the unit?\r\n\r\n"
    "P01: We waited \U0001f44d\U0001f3fd at the cafe\u0301 for hours.\tBed 4\tfull.\r\n\r\n"
    "Interviewer: And then?\r\n\r\nP01: The ER took him \u2764\ufe0f after midnight.\r\n",
    # An interpreter's Hebrew and Arabic words with the direction marks and embeddings editors insert.
    "P02 v1.2.txt": "Interviewer: Tell me about the call.\n\n"
    "P02: \u05d4\u05e9\u05d5\u05d8\u05e8 \u05d0\u05de\u05e8 the officer said \u0645\u0631\u062d\u0628\u0627 and "
    "\u200fwaited\u200e at the CSU \u202bRTL\u202c done.\n\nInterviewer: Anything else?\n\nP02: No.\n",
    # Pasted from a PDF and a web form: a line separator, NEL, form feed and vertical tab inside a turn.
    "P07.txt.txt": "Interviewer: Odd separators?\n\n"
    "P07: One\u2028two\u0085three\x0cfour\x0bfive and the CSU was full.\n\nInterviewer: Ok.\n",
}
CODEBOOK = """name: Tricky
version: "1"
codes:
  - id: access
    name: Access / beds
    color: "#1F77B4"
    children:
      - id: access-wait
        name: Waiting
        color: "#AEC7E8"
        definition: 'Said "too long" or waited.'
  - id: place
    name: 'Place "taken"'
    color: "#FF7F0E"
    children:
      - id: place-wait
        name: Waiting
        definition: Waited somewhere.
      - id: er
        name: "ER <hospital> & co"
"""
ZOE = 'Zo\u00eb "Z" O\'Neil'


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    folder = tmp_path_factory.mktemp("team")
    for name, text in TEXTS.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    (folder / "participants.csv").write_text(
        'id,role,setting\nP01,officer,rural\nP02 v1.2,provider,"ur""ban"\nP07.txt,officer,rural\n',
        encoding="utf-8",
    )
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    db = open_db(folder / "a.db")
    ingest_files(db, [folder / n for n in TEXTS], attributes_csv=folder / "participants.csv", allow_pii=True)
    load_into_project(db, folder / "codebook.yaml", actor="lead")
    text = {(t, n): s for t, n, s in db.execute("SELECT transcript_id, n, text FROM segments")}

    def excerpt(tid: str, n: int, code: str, words: str) -> Excerpt:
        at = text[(tid, n)].index(words)
        return Excerpt(code, at, at + len(words))

    for decision in (
        Decision(
            "P01",
            2,
            "alice",
            frozenset({"access-wait", "er"}),
            note="n\u00e9 \U0001f642",
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=(excerpt("P01", 2, "er", "full"),),
        ),
        Decision("P01", 2, "bob", frozenset({"place-wait"}), decided_utc="2024-05-02T10:01:00Z"),
        Decision(
            "P01",
            4,
            ZOE,
            frozenset({"er"}),
            decided_utc="2024-05-02T10:02:00Z",
            excerpts=(excerpt("P01", 4, "er", "after midnight"),),
        ),
        Decision(
            "P02 v1.2",
            2,
            "alice",
            frozenset({"access-wait"}),
            decided_utc="2024-05-02T10:03:00Z",
            excerpts=(excerpt("P02 v1.2", 2, "access-wait", "waited"),),
        ),
        Decision("P02 v1.2", 4, "alice", frozenset(), decided_utc="2024-05-02T10:04:00Z"),
        Decision(
            "P07.txt",
            2,
            "bob",
            frozenset({"place-wait"}),
            decided_utc="2024-05-02T10:05:00Z",
            excerpts=(excerpt("P07.txt", 2, "place-wait", "CSU was full"),),
        ),
    ):
        save_decision(db, decision)
    save_memo(db, "alice", "segment", "P02 v1.2:2", "RTL \u05e9\u05dc\u05d5\u05dd memo\r\nline two\ttab")
    save_memo(db, "bob", "code", "place-wait", "same name, other parent")
    save_memo(db, ZOE, "transcript", "P07.txt", "saved twice as .txt by Windows")
    return db


def _qde_without_times(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    return re.sub(r'(creationDateTime|modifiedDateTime)="[^"]*"', "", qde)


@pytest.mark.parametrize("key", sorted(COUNTINGS))
def test_export_import_export_keeps_what_a_researcher_relies_on(team, tmp_path, key):
    db = team
    counting = COUNTINGS[key]
    export_project(db, tmp_path / "first.qdpx", name="team", counting=counting)
    copy = open_db(tmp_path / "copy.db")
    report = import_project(copy, tmp_path / "first.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    before, after = project_snapshot(db), project_snapshot(copy)
    for part in before:  # texts, segments and their offsets, codes and colours, decisions, excerpts, memos
        assert before[part] == after[part], part
    assert sorted(before["attributes"]) == ["P01", "P02 v1.2", "P07.txt"]
    names = {c.id: (c.name, c.parent, c.color) for c in before["codebook"].codes}
    assert names["access-wait"][:2] == ("Waiting", "access") and names["place-wait"][:2] == (
        "Waiting",
        "place",
    )
    # The copy's own export is the same file (its GUIDs come from the copy's project id: compared apart).
    export_project(copy, tmp_path / "again.qdpx", name="team", counting=counting)
    guid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    first, again = _qde_without_times(tmp_path / "first.qdpx"), _qde_without_times(tmp_path / "again.qdpx")
    assert guid.sub("G", first) == guid.sub("G", again)
    assert first.count("<PlainTextSelection") == again.count("<PlainTextSelection") > 6


def test_a_transcript_id_that_looks_like_a_file_name_comes_back_the_same(team, tmp_path):
    # "P07.txt.txt" (Windows hid the extension) is transcript "P07.txt": the import took the source's
    # name for another tool's file name and dropped ".txt", so the copy's transcript, its decisions,
    # memos and attributes were under "P07", and a decisions CSV of the original no longer imported.
    db = team
    export_project(db, tmp_path / "x.qdpx", name="team")
    copy = open_db(tmp_path / "copy.db")
    import_project(copy, tmp_path / "x.qdpx")
    ids = [r[0] for r in copy.execute("SELECT id FROM transcripts ORDER BY id")]
    assert ids == ["P01", "P02 v1.2", "P07.txt"]
    memos = [tuple(r) for r in copy.execute("SELECT target_type, target_id FROM memos ORDER BY target_id")]
    assert ("transcript", "P07.txt") in memos
