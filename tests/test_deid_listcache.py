"""The PII scanner's word lists kept built between runs (wei_qual/deid/listcache.py): read back
identical to a fresh build, built again when what they are made from changes or the file is damaged."""

from __future__ import annotations

import functools
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wei_qual.deid import listcache, names

ROOT = Path(__file__).parent.parent


@functools.cache
def _fresh() -> dict[str, frozenset[str]]:
    """Each list built by its own function, no file read or written (once: the sets are immutable)."""
    builders = {
        "first_names": names._first_names,
        "english_words": names._english_words,
        "common_words": names._common_words,
        "surnames:" + ",".join(names.SURNAME_LOCALES): lambda: names._surnames(names.SURNAME_LOCALES),
        "surnames:" + ",".join(names.NAME_LOCALES): lambda: names._surnames(names.NAME_LOCALES),
        "surnames:en_US": lambda: names._surnames(("en_US",)),
        "lower_case_surnames": names._lower_case_surnames_list,
        "_lower_titled_names": names._lower_titled_names_list,
        "_lower_case_first_names": names._lower_case_first_names_list,
    }
    assert set(builders) == set(names.KEPT_LISTS)
    return {n: build() for n, build in builders.items()}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(listcache, "_loaded", {})
    return tmp_path / "wei-qual" / listcache.FILE_NAME


def _kept_all(sig: bytes, built: list[str]) -> dict[str, frozenset[str]]:
    fresh = _fresh()

    def build(name):
        built.append(name)
        return fresh[name]

    return {
        n: listcache.kept(n, lambda n=n: build(n), lambda: sig, names.KEPT_LISTS) for n in names.KEPT_LISTS
    }


def test_kept_lists_read_back_identical_to_a_fresh_build(cache, monkeypatch):
    fresh = _fresh()
    assert all(fresh.values())  # none empty: the comparisons below say something
    built: list[str] = []
    assert _kept_all(b"s" * 32, built) == fresh
    assert built == list(names.KEPT_LISTS)  # no file yet: each built once, then the file written
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    monkeypatch.setattr(listcache, "_loaded", {})  # as a new process
    built.clear()
    assert _kept_all(b"s" * 32, built) == fresh
    assert built == []  # all read from the file
    # what the scanner itself uses is the same
    public = [
        names.first_names(),
        names.english_words(),
        names.common_words(),
        names.surnames(),
        names.surnames(names.NAME_LOCALES),
        names.surnames(("en_US",)),
        names.lower_case_surnames(),
        names._lower_titled_names(),
        names._lower_case_first_names(),
    ]
    assert dict(zip(names.KEPT_LISTS, public)) == fresh


def test_a_damaged_or_stale_file_is_built_again(cache, monkeypatch):
    fresh = _fresh()
    _kept_all(b"s" * 32, [])
    data = cache.read_bytes()
    for damaged, sig in ((data[:-100], b"s" * 32), (data, b"t" * 32)):  # cut short; another signature
        cache.write_bytes(damaged)
        monkeypatch.setattr(listcache, "_loaded", {})
        built: list[str] = []
        assert _kept_all(sig, built) == fresh
        assert built == list(names.KEPT_LISTS)
    monkeypatch.setattr(listcache, "_loaded", {})
    assert listcache._read(b"t" * 32) == fresh  # written again, whole, for the new signature


def test_a_changed_source_file_changes_the_signature(tmp_path):
    package = tmp_path / "pkg_for_listcache"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    data = package / "data" / "words.txt"
    data.write_text("alpha")
    sys.path.insert(0, str(tmp_path))
    try:
        sources = (("pkg_for_listcache", ("__init__.py", "data/words.txt")),)
        before = listcache.signature(names.__file__, sources)
        assert before == listcache.signature(names.__file__, sources)
        data.write_text("alpha beta")
        assert listcache.signature(names.__file__, sources) != before
        assert listcache.signature(names.__file__, (("no_such_package_here", ("x",)),)) is None
    finally:
        sys.path.remove(str(tmp_path))


def test_an_unwritable_cache_folder_only_means_no_file(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")  # the cache folder would be inside a file: it cannot be made
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(listcache, "_loaded", {})
    assert _kept_all(b"s" * 32, []) == _fresh()
    assert blocker.read_text() == ""


def test_a_fresh_process_reads_the_file_another_wrote(tmp_path):
    # the real signature, across processes: the second process builds nothing
    script = (
        "from wei_qual.deid import names, listcache\n"
        "calls = []\n"
        "build = listcache._write\n"
        "listcache._write = lambda *a: (calls.append(1), build(*a))\n"
        "names.load_lists()\n"
        "print(len(calls), len(names.first_names()))\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][0] == "1" and runs[1][0] == "0"  # written once, then read
    assert runs[0][1] == runs[1][1] == str(len(names._first_names()))


def test_no_home_folder_only_means_no_file(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setattr(listcache, "_loaded", {})
    assert listcache.cache_dir() is None
    assert _kept_all(b"s" * 32, []) == _fresh()
