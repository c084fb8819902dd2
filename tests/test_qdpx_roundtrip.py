"""wei-qual -> .qdpx -> wei-qual on what real studies hold: emoji, combining characters and CRLF text,
excerpts (two of one code in a turn), transcripts whose roles need review or were set by a person."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from _qdpx_project import ROOT, build_sample_project, project_snapshot

from wei_qual.codebook import load_into_project
from wei_qual.deid.allowlist import add_to_project_allowlist, load_allow_file
from wei_qual.ingest import ingest_files
from wei_qual.models import Decision, Excerpt
from wei_qual.qdpx.export import export_project
from wei_qual.qdpx.import_ import import_project
from wei_qual.store import open_db
from wei_qual.store.decisions import save_decision

# Written as a Windows editor saves a transcript: CRLF line ends. An emoji (outside the BMP), one with a
# skin-tone modifier, and an accent written as a combining character (e + U+0301), before the excerpts.
P21 = (
    "Interviewer: How did the night go? \U0001f642\r\n\r\n"
    "P21: The cafe\u0301 was closed \U0001f600 so we waited outside. Then the crisis line called back "
    "\U0001f44d\U0001f3fd and we went to the unit.\r\n\r\n"
    "Interviewer: And the next day?\r\n\r\n"
    "P21: Same again \U0001f605 nobody had a bed for him.\r\n"
)


def _project(tmp_path: Path):
    path = tmp_path / "P21.txt"
    path.write_bytes(P21.encode("utf-8"))
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [path])
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    text = db.execute("SELECT text FROM segments WHERE transcript_id = 'P21' AND n = 2").fetchone()[0]
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("so we waited", "we went to the unit")]
    save_decision(
        db,
        Decision(
            "P21",
            2,
            "alice",
            frozenset({"csu-admission", "ed-holding"}),
            decided_utc="2024-05-02T10:00:00Z",
            # two excerpts of one code in one turn: one decision, not two codings to merge
            excerpts=(
                *(Excerpt("csu-admission", a, b) for a, b in spans),
                Excerpt("ed-holding", *spans[1]),
            ),
        ),
    )
    last = db.execute("SELECT text FROM segments WHERE transcript_id = 'P21' AND n = 4").fetchone()[0]
    a = last.index("nobody")
    save_decision(
        db,
        Decision(
            "P21", 4, "bob", frozenset({"csu-capacity"}), excerpts=(Excerpt("csu-capacity", a, len(last)),)
        ),
    )
    return db


def test_emoji_combining_crlf_and_two_excerpts_of_a_code_come_back_exact_and_quiet(tmp_path):
    original = _project(tmp_path)
    export_project(original, tmp_path / "a.qdpx", name="p21")
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    before, after = project_snapshot(original), project_snapshot(copy)
    for key in before:
        assert before[key] == after[key], key
    (two,) = [d for d in before["decisions"] if d[2] == "alice"]
    assert len(two[7]) == 3  # the excerpts, compared above, are all there
    # Positions in the file count code points (an emoji is one), over the text as written, \n line ends.
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        (member,) = [n for n in archive.namelist() if n.startswith("sources/")]
        source = archive.read(member).decode("utf-8")
        qde = archive.read("project.qde").decode("utf-8")
    assert "\r" not in source
    start = source.index("so we waited")
    assert f'startPosition="{start}" endPosition="{start + len("so we waited")}"' in qde
    # ... and the copy exports the same file again (its own GUIDs and times aside).
    export_project(copy, tmp_path / "b.qdpx", name="p21")
    again = open_db(tmp_path / "c.db")
    import_project(again, tmp_path / "b.qdpx")
    assert project_snapshot(again) == after


def test_roles_that_need_review_still_need_review_after_a_round_trip(tmp_path):
    db = open_db(tmp_path / "a.db")
    ingest_files(
        db, [ROOT / "tests" / "data" / "no_labels.txt", ROOT / "tests" / "data" / "warn_unlabelled.txt"]
    )
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    export_project(db, tmp_path / "a.qdpx", name="unlabelled")
    copy = open_db(tmp_path / "b.db")
    import_project(copy, tmp_path / "a.qdpx")
    query = "SELECT id, roles, roles_reason FROM transcripts ORDER BY id"
    assert [tuple(r) for r in copy.execute(query)] == [tuple(r) for r in db.execute(query)]
    assert {r[1] for r in db.execute(query)} == {"review"}
    before, after = project_snapshot(db)["transcripts"], project_snapshot(copy)["transcripts"]
    for t in [*before, *after]:  # a warning names the file it was read from: the .qdpx in the copy
        t["warnings"] = [w["kind"] for w in t["warnings"]]
    assert after == before
    # The variable that carries it is wei-qual's own: never an attribute of the copy.
    assert json.dumps(project_snapshot(copy)["attributes"]).count("review") == 0


def test_a_voice_heard_once_left_to_review_is_no_participant_after_a_round_trip(tmp_path):
    """A Zoom interview where the note-taker asks once: ingest leaves "Sam Okoye" to review (no
    participant, not coded). The import read every speaker outside the interviewer labels as a
    participant, so the copy had 6 participant turns where the study had 5, and the methods passage's
    turn counts and double-coded share changed across the round trip."""
    study = ROOT / "tests" / "data" / "e2e_study"
    allowed = load_allow_file(study / "allowlist.lst")
    db = open_db(tmp_path / "a.db")
    add_to_project_allowlist(db, allowed)
    ingest_files(db, [study / "P03.vtt"])
    result = export_project(db, tmp_path / "a.qdpx", name="e2e")
    assert not [w for w in result.warnings if "role" in w]
    copy = open_db(tmp_path / "b.db")
    add_to_project_allowlist(copy, allowed)
    import_project(copy, tmp_path / "a.qdpx")
    query = "SELECT n, speaker, role FROM segments WHERE transcript_id = 'P03' ORDER BY n"
    rows = [tuple(r) for r in db.execute(query)]
    assert (3, "Sam Okoye", "review") in rows
    assert [tuple(r) for r in copy.execute(query)] == rows
    roles = "SELECT roles FROM transcripts WHERE id = 'P03'"
    assert copy.execute(roles).fetchone()[0] == db.execute(roles).fetchone()[0] == "review"


def test_roles_a_person_set_stay_set_by_a_person_after_a_round_trip(tmp_path):
    """One transcript corrected with `transcripts roles` (a ride-along officer the labels left a
    participant), one ingested with --interviewer-labels: both come back "given", with the same speakers
    marked as set by a person, so a later re-ingest keeps those roles instead of inferring them again."""
    from wei_qual.deid import add_to_project_allowlist
    from wei_qual.ingest.correct import set_roles

    (tmp_path / "P30.txt").write_text(
        "Interviewer: How did the night go?\n\nP30: We waited for the unit.\n\n"
        "Ray: I drove him to the CSU myself.\n\nP30: Then the bed opened up.\n\nRay: And we went home.\n",
        encoding="utf-8",
    )
    (tmp_path / "P31.txt").write_text(
        "Dana: Tell me about the call.\n\nP31: It was a welfare check.\n\n"
        "Dana: What happened next?\n\nP31: We brought in the co-responder.\n",
        encoding="utf-8",
    )
    db, copy = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    for project in (db, copy):
        add_to_project_allowlist(project, ["Dana"])  # the study's interviewer, allowed as a team would
    ingest_files(db, [tmp_path / "P30.txt"])
    ingest_files(db, [tmp_path / "P31.txt"], interviewer_labels=["Dana"])
    set_roles(db, "P30", interviewers=["Ray"], actor="lead")
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    export_project(db, tmp_path / "a.qdpx", name="given")
    import_project(copy, tmp_path / "a.qdpx")
    status = "SELECT id, roles FROM transcripts ORDER BY id"
    speakers = "SELECT transcript_id, label, role, given FROM speakers ORDER BY transcript_id, label"
    before = [tuple(r) for r in db.execute(status)], [tuple(r) for r in db.execute(speakers)]
    assert before[0] == [("P30", "given"), ("P31", "given")]
    assert ("P30", "Ray", "interviewer", 1) in before[1] and ("P30", "P30", "participant", 0) in before[1]
    assert ("P31", "Dana", "interviewer", 1) in before[1]
    assert ([tuple(r) for r in copy.execute(status)], [tuple(r) for r in copy.execute(speakers)]) == before
    # The variable that carries it is wei-qual's own: never an attribute of the copy.
    assert "Ray" not in json.dumps(project_snapshot(copy)["attributes"])
    # A new version of the transcript in the copy, its roles inferred, keeps the role a person set.
    (tmp_path / "P30.txt").write_text(
        (tmp_path / "P30.txt").read_text(encoding="utf-8") + "\nP30: That was all.\n", encoding="utf-8"
    )
    ingest_files(copy, [tmp_path / "P30.txt"], replace=True)
    assert ("P30", "Ray", "interviewer", 1) in [tuple(r) for r in copy.execute(speakers)]


def test_a_study_in_its_second_codebook_version_survives_export_import_export(tmp_path):
    """The sample with its policy documents (pages, an excerpt, memos, consensus), then a second codebook
    version that renames a code, renames another's id and adds a draft code made while coding, with two
    excerpts of one code in a turn and a decision where nothing applies."""
    from test_qdpx_documents import _canonical_qde

    from wei_qual.deid import add_to_project_allowlist, load_allow_file

    db = build_sample_project(tmp_path / "a.db", documents=True)
    yaml = (ROOT / "codebooks" / "wei_crisis_response.yaml").read_text(encoding="utf-8")
    yaml = (
        yaml.replace('version: "1.0"', 'version: "1.1"')
        .replace("name: CSU capacity and bed availability", "name: CSU beds and capacity")
        .replace("      - id: ed-holding\n", "      - id: er-holding\n        renamed_from: ed-holding\n")
        .replace(
            "      - id: repeat-contact\n",
            "      - id: frequent-callers\n        name: Frequent callers\n        draft: true\n"
            "        definition: ''\n      - id: repeat-contact\n",
        )
    )
    (tmp_path / "v11.yaml").write_text(yaml, encoding="utf-8")
    load_into_project(db, tmp_path / "v11.yaml", actor="lead")
    text = db.execute("SELECT text FROM segments WHERE transcript_id = 'P01' AND n = 8").fetchone()[0]
    words = text.split()
    first, last = text.index(words[2]), text.rindex(words[-2])
    save_decision(
        db,
        Decision(
            "P01",
            8,
            "alice",
            frozenset({"csu-capacity", "er-holding"}),
            decided_utc="2024-06-01T10:00:00Z",
            excerpts=(
                Excerpt("csu-capacity", first, first + len(words[2])),
                Excerpt("csu-capacity", last, last + len(words[-2])),
            ),
        ),
    )
    save_decision(
        db, Decision("P01", 9, "bob", frozenset({"frequent-callers"}), decided_utc="2024-06-02T10:00:00Z")
    )
    save_decision(
        db, Decision("P01", 10, "bob", frozenset(), note="Looked twice.", decided_utc="2024-06-02T11:00:00Z")
    )
    assert export_project(db, tmp_path / "a.qdpx", name="study").warnings == []

    def new(name: str):
        project = open_db(tmp_path / name)
        add_to_project_allowlist(project, load_allow_file(ROOT / "transcripts_sample" / "allowlist.lst"))
        return project

    copy = new("b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    before, after = project_snapshot(db), project_snapshot(copy)
    # Everything comes back: the draft code still a draft, the renamed code with its `Renamed from:` line.
    for key in before:
        assert before[key] == after[key], key
    assert after["codebook"].code("frequent-callers").draft
    assert after["codebook"].code("er-holding").renamed_from == "ed-holding"
    assert export_project(copy, tmp_path / "b.qdpx", name="study").warnings == []
    assert _canonical_qde(tmp_path / "b.qdpx") == _canonical_qde(tmp_path / "a.qdpx")


def _roles(db) -> tuple[list, list, list]:
    """Status, speakers (role and whether a person set it) and segment roles of every transcript."""
    return (
        [tuple(r) for r in db.execute("SELECT id, roles, roles_reason FROM transcripts ORDER BY id")],
        [
            tuple(r)
            for r in db.execute(
                "SELECT transcript_id, label, role, given FROM speakers ORDER BY transcript_id, label"
            )
        ],
        [tuple(r) for r in db.execute("SELECT transcript_id, n, speaker, role FROM segments ORDER BY 1, 2")],
    )


def test_the_role_a_person_gave_unlabelled_text_survives_a_round_trip(tmp_path):
    """A transcript whose opening note and aside have no speaker label: the lead read them and set them to
    participant (`transcripts roles ID --unlabelled participant`). The copy has them as participant text,
    in the coding units, the status "given", not the segments back to review."""
    from wei_qual.ingest.correct import set_roles

    db = open_db(tmp_path / "a.db")
    ingest_files(db, [ROOT / "tests" / "data" / "warn_unlabelled.txt"])
    set_roles(db, "warn_unlabelled", unlabelled="participant", actor="lead")
    load_into_project(db, ROOT / "codebooks" / "wei_crisis_response.yaml", actor="lead")
    before = _roles(db)
    assert before[0] == [("warn_unlabelled", "given", "")]
    assert [r[3] for r in before[2] if r[2] is None] == ["participant", "participant"]
    assert export_project(db, tmp_path / "a.qdpx", name="unlabelled").warnings == []
    copy = open_db(tmp_path / "b.db")
    report = import_project(copy, tmp_path / "a.qdpx").to_json()
    assert report["lost"] == [] and report["warnings"] == []
    assert _roles(copy) == before
    kinds = [[w["kind"] for w in t["warnings"]] for t in project_snapshot(copy)["transcripts"]]
    assert kinds == [[w["kind"] for w in t["warnings"]] for t in project_snapshot(db)["transcripts"]]
    # The variable that carries it is wei-qual's own: never an attribute of the copy.
    assert "participant" not in json.dumps(project_snapshot(copy)["attributes"])
    # Changed in another tool to what is neither role: said, and the text left to review as ingest reads it.
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    assert qde.count("<TextValue>participant</TextValue>") == 2  # on each of the transcript's cases
    members["project.qde"] = qde.replace(
        "<TextValue>participant</TextValue>", "<TextValue>deputy</TextValue>"
    )
    with zipfile.ZipFile(tmp_path / "c.qdpx", "w") as archive:
        for n, data in members.items():
            archive.writestr(n, data)
    third = open_db(tmp_path / "c.db")
    (warning,) = import_project(third, tmp_path / "c.qdpx").to_json()["warnings"]
    assert "Role of unlabelled text" in warning and "deputy" not in warning
    assert _roles(third)[0] == [("warn_unlabelled", "review", "2 segments have no speaker")]


def test_a_speaker_label_holding_a_semicolon_comes_back_whole(tmp_path):
    """ "Ray (ride-along; CIT)" is one label (a note in parentheses): the lists of interviewer labels and of
    labels a person set must not split it in two, or Ray comes back a participant the labels inferred."""
    from wei_qual.ingest.correct import set_roles

    (tmp_path / "P40.txt").write_text(
        "Interviewer: How did the night go?\n\nP40: We waited for the unit.\n\n"
        "Ray (ride-along; CIT): I drove him to the CSU myself.\n\nP40: Then the bed opened up.\n\n"
        "Ray (ride-along; CIT): And we went home.\n",
        encoding="utf-8",
    )
    db = open_db(tmp_path / "a.db")
    ingest_files(db, [tmp_path / "P40.txt"])
    set_roles(db, "P40", interviewers=["Ray (ride-along; CIT)"], actor="lead")
    before = _roles(db)
    assert ("P40", "Ray (ride-along; CIT)", "interviewer", 1) in before[1]
    assert export_project(db, tmp_path / "a.qdpx", name="semicolon").warnings == []
    copy = open_db(tmp_path / "b.db")
    assert import_project(copy, tmp_path / "a.qdpx").to_json()["warnings"] == []
    assert _roles(copy) == before


def test_label_lists_read_back_exactly_and_files_written_before_read_as_before():
    from wei_qual.qdpx.vocabulary import join_labels, split_labels

    for labels in (
        ["Interviewer", "Dana"],
        ["Ray (ride-along; CIT)", "P1"],
        ["A\\", "B"],
        ["x\\;y;", "z\\w"],
    ):
        assert split_labels(join_labels(labels)) == labels
    assert join_labels(["Interviewer", "Dana"]) == "Interviewer; Dana"  # as files were always written
    # a file written before the escaping: "; "-separated, blanks dropped, a backslash kept as it is
    assert split_labels("Interviewer; Dana Whitfield ;; ") == ["Interviewer", "Dana Whitfield"]
    assert split_labels("C:\\notes; Dana") == ["C:\\notes", "Dana"]


def _rows(db) -> list[str]:
    """Every row of every table, as SQL, but for times and the project's random id."""
    return [
        re.sub(r"\d{4}-\d\d-\d\d[ T][\d:.]+(\+00:00|Z)?", "", line)
        for line in db.conn.iterdump()
        if "'project_id'" not in line
    ]


def test_an_import_writes_the_same_rows_with_one_process_or_two_when_a_source_before_is_left_out(
    tmp_path, monkeypatch
):
    # From 8 interviews up, forked workers split and build each one ahead of the plan under the id it
    # would get if no source before it were left out. Here the file's first source, "P05" with no text,
    # is left out: the interview P05 is then "P05", not the "P05-2" it was built as, so it is built again.
    from wei_qual import parallel

    db = build_sample_project(tmp_path / "a.db", documents=True)
    export_project(db, tmp_path / "a.qdpx", name="study")
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    empty = '<TextSource guid="0e0e0e0e-0000-4000-8000-000000000001" name="P05" plainTextPath="internal://e.txt"/>'
    members["project.qde"] = qde.replace("<Sources>", "<Sources>" + empty, 1).encode("utf-8")
    members["sources/e.txt"] = b""
    with zipfile.ZipFile(tmp_path / "b.qdpx", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    forked = []
    ordered_map = parallel.ordered_map
    monkeypatch.setattr(parallel, "ordered_map", lambda *a, **k: forked.append(a[2]) or ordered_map(*a, **k))
    rows, snapshots = {}, {}
    for jobs in (1, 2):
        monkeypatch.setattr(parallel, "default_jobs", lambda jobs=jobs: jobs)
        copy = open_db(tmp_path / f"copy{jobs}.db")
        add_to_project_allowlist(copy, load_allow_file(ROOT / "transcripts_sample" / "allowlist.lst"))
        report = import_project(copy, tmp_path / "b.qdpx").to_json()
        assert report["lost"] == [
            {"what": "sources", "count": 1, "why": 'source "P05" has no text to split into turns'}
        ]
        rows[jobs], snapshots[jobs] = _rows(copy), project_snapshot(copy)
    assert forked == [2, 2]  # the second import split, built and scanned in workers
    assert rows[1] == rows[2]
    before = project_snapshot(db)
    for key in before:  # and both are the project exported, the interview P05 under its own id
        assert snapshots[2][key] == before[key], key
