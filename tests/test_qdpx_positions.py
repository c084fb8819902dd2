"""Positions on a Spanish-language interview with accented speaker labels, curly quotes, emoji (one with a
skin tone) and CRLF line ends: each tool's way of counting lands on the same words, and wei-qual's own
export comes back exact."""

from __future__ import annotations

import pytest
from _qdpx_project import ROOT, project_snapshot
from test_qdpx_import import _one_source

from wei_qual.codebook import load_into_project
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project, load_qdpx
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

TEXT = (
    "Entrevistadora: ¿Cómo llegó la llamada? “Crisis” — dijeron 🚓.\n\n"
    "Técnica: Por el 911. La unidad de crisis estaba llena 😞, así que esperamos.\n\n"
    "Entrevistadora: ¿Y después?\n\n"
    "Técnica: El mismo señor llamó otra vez 👍🏽 la semana siguiente.\n"
)
PICKS = ["unidad de crisis estaba llena", "esperamos", "El mismo señor", "semana siguiente"]


def _positions(picked: str, *, utf16: bool, crlf: bool) -> tuple[int, int]:
    def count(i: int) -> int:
        before = TEXT[:i].replace("\n", "\r\n") if crlf else TEXT[:i]
        return len(before.encode("utf-16-le")) // 2 if utf16 else len(before)

    at = TEXT.index(picked)
    return count(at), count(at + len(picked))


@pytest.mark.parametrize(
    ("origin", "utf16", "crlf_file", "crlf_counted", "bom"),
    [
        ("QualCoder 3.6", False, False, False, True),  # writes its sources with utf-8-sig
        (
            "QualCoder 3.6",
            False,
            True,
            False,
            True,
        ),  # "line endings for MAXQDA": \r\n, counted in its \n text
        ("NVivo 14.24.0 (Windows)", True, True, True, True),
        ("MAXQDA 2024", True, True, True, False),
        ("ATLAS.ti 24.1.0", True, False, False, False),
    ],
)
def test_each_tools_counting_lands_on_the_same_words(tmp_path, origin, utf16, crlf_file, crlf_counted, bom):
    spans = [_positions(p, utf16=utf16, crlf=crlf_counted) for p in PICKS]
    raw = TEXT.replace("\n", "\r\n") if crlf_file else TEXT
    data = (b"\xef\xbb\xbf" if bom else b"") + raw.encode("utf-8")
    plan = load_qdpx(_one_source(tmp_path, TEXT, spans, origin=origin, data=data))
    segments = plan.transcripts[0].segments
    assert [(s.speaker, s.role) for s in segments] == [
        ("Entrevistadora", "interviewer"),
        ("Técnica", "participant"),
        ("Entrevistadora", "interviewer"),
        ("Técnica", "participant"),
    ]
    got = {e.code: segments[d.segment - 1].text[e.start : e.end] for d in plan.decisions for e in d.excerpts}
    assert got == {f"k{i}": p for i, p in enumerate(PICKS)}


def test_wei_qual_export_comes_back_exact(tmp_path):
    path = tmp_path / "P40.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))  # saved by a Windows editor
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [path], interviewer_labels=["Entrevistadora"])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    turn = db.execute("SELECT text FROM segments WHERE transcript_id = 'P40' AND n = 4").fetchone()[0]
    at = turn.index("semana siguiente")
    save_decision(
        db,
        Decision(
            "P40",
            4,
            "maría",  # a coder's name with an accent
            frozenset({"repeat-contact"}),
            decided_utc="2024-05-02T10:00:00Z",
            excerpts=(Excerpt("repeat-contact", at, at + len("semana siguiente")),),
        ),
    )
    export_project(db, tmp_path / "a.qdpx", name="p40")
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == []
    assert project_snapshot(copy) == project_snapshot(db)
