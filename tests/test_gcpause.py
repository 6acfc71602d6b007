"""The collector pause restores the state it found, also on errors and when nested."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from parindex.core.gcpause import paused, running


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_turns_off_and_restores(enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled


def test_paused_restores_on_error() -> None:
    gc.enable()
    with pytest.raises(KeyError), paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_running_inside_paused() -> None:
    gc.enable()
    with paused():
        with running():
            assert gc.isenabled()
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
