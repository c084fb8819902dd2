"""The allowlist: from a file and from the project setting."""

from __future__ import annotations

import json

import pytest

from wei_qual.deid import (
    ALLOW_SETTING,
    add_to_project_allowlist,
    load_allow_file,
    project_allowlist,
    remove_from_project_allowlist,
    scan_text,
)
from wei_qual.errors import DeidError
from wei_qual.store import get_setting, iter_audit, save_setting


def test_allow_file_phrases_skip_comments_and_blank_lines(tmp_path):
    path = tmp_path / "keep.txt"
    path.write_text(
        "\ufeff# phrases the study keeps\nCrisis Stabilization Unit\n\n  Officer   Friendly  # a mascot\nRose Hill\n",
        encoding="utf-8",
    )
    assert load_allow_file(path) == ["Crisis Stabilization Unit", "Officer Friendly", "Rose Hill"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, 'Allowlist "{p}" does not exist. Check the path given with --allow.'),
        ("bad.txt", b"Rose \xff Hill\n", 'Allowlist "{p}" is not UTF-8. Re-save it as UTF-8.'),
    ],
)
def test_bad_allow_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DeidError) as info:
        load_allow_file(path)
    assert str(info.value) == message.format(p=path)


def test_project_allowlist_add_list_remove_with_audit(db):
    assert project_allowlist(db) == []
    assert add_to_project_allowlist(db, ["Officer Friendly", "Rose  Hill"]) == [
        "Officer Friendly",
        "Rose Hill",
    ]
    assert add_to_project_allowlist(db, ["officer friendly", "Marion County"]) == ["Marion County"]
    assert json.loads(get_setting(db, ALLOW_SETTING)) == ["Officer Friendly", "Rose Hill", "Marion County"]
    assert remove_from_project_allowlist(db, ["ROSE HILL"]) == ["Rose Hill"]
    assert project_allowlist(db) == ["Officer Friendly", "Marion County"]
    audit = [(r["action"], r["before"], r["after"]) for r in iter_audit(db, entity="settings")]
    assert audit == [
        ("deid_allow_add", [], ["Officer Friendly", "Rose Hill"]),
        (
            "deid_allow_add",
            ["Officer Friendly", "Rose Hill"],
            ["Officer Friendly", "Rose Hill", "Marion County"],
        ),
        (
            "deid_allow_remove",
            ["Officer Friendly", "Rose Hill", "Marion County"],
            ["Officer Friendly", "Marion County"],
        ),
    ]


def test_removing_an_unknown_phrase_changes_nothing(db):
    add_to_project_allowlist(db, ["Rose Hill"])
    with pytest.raises(DeidError) as info:
        remove_from_project_allowlist(db, ["Rose Hill", "Hope House"])
    assert str(info.value) == (
        'Allowlist phrase "Hope House" is not on the project allowlist. See it with "wei-qual deid allow list".'
    )
    assert project_allowlist(db) == ["Rose Hill"]


def test_corrupt_setting_is_a_clear_error(db):
    save_setting(db, ALLOW_SETTING, "{not json")
    with pytest.raises(DeidError, match='Project setting "deid_allow" is not a JSON list'):
        project_allowlist(db)


def test_project_allowlist_feeds_the_scan(db):
    add_to_project_allowlist(db, ["Officer Friendly", "Rose Hill"])
    text = "Officer Friendly visits Rose Hill school; Officer Ruiz drives."
    assert [f.text for f in scan_text(text, allow=project_allowlist(db))] == ["Ruiz"]


def test_empty_phrase_is_refused(db):
    with pytest.raises(DeidError) as info:
        add_to_project_allowlist(db, ["Rose Hill", "   "])
    assert (
        str(info.value)
        == 'Allowlist phrase is empty. Pass a word or phrase, e.g. "Crisis Stabilization Unit".'
    )
    assert project_allowlist(db) == []  # nothing half-written


def test_an_allow_file_that_is_a_pipe_is_refused_not_waited_on(tmp_path):
    import os

    path = tmp_path / "allow.lst"
    os.mkfifo(path)
    with pytest.raises(DeidError, match="is a named pipe, not a file: it was not read"):
        load_allow_file(path)
