"""paused_gc: the cyclic collector paused while a study's data is built, and that data frozen out of
its later passes only in the wei-qual program (a process that ends with its command)."""

from __future__ import annotations

import gc

import pytest

from wei_qual import gcpause
from wei_qual.gcpause import paused_gc


@pytest.fixture
def restore_gc():
    was = gc.isenabled()
    yield
    gc.unfreeze()  # the test process is long-lived: never leave objects frozen
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_inside_and_back_after(restore_gc):
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: the outermost decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.parametrize("program", [True, False])
def test_only_the_program_freezes_what_a_report_keeps(restore_gc, monkeypatch, program):
    gc.enable()
    gc.unfreeze()
    monkeypatch.setattr(gcpause, "FREEZE_IN_THIS_PROCESS", program)
    with paused_gc(freeze=True):
        study = [{"segment": i, "codes": frozenset({"csu"})} for i in range(20_000)]
    assert gc.isenabled()
    if program:
        assert gc.get_freeze_count() >= len(study)
    else:  # a notebook or the test suite: a frozen reference cycle would never be collected
        assert gc.get_freeze_count() == 0


def test_the_program_sets_it(monkeypatch, program_signals):
    from wei_qual import cli

    monkeypatch.setattr(gcpause, "FREEZE_IN_THIS_PROCESS", False)
    monkeypatch.setattr("sys.argv", ["wei-qual", "--version"])
    with pytest.raises(SystemExit):
        cli.run()
    assert gcpause.FREEZE_IN_THIS_PROCESS is True
