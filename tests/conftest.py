"""Shared fixtures: paths to the real data and to the defect fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
SEED_PLAN = ROOT.parent / "shared" / "seed" / "ke-hoach-cchc-2021-so-khcn-quang-ngai.txt"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The document cache of the whole run in a temporary folder, never the user's."""
    folder = tmp_path_factory.mktemp("parindex-cache")
    before = os.environ.get("PARINDEX_CACHE_DIR")
    os.environ["PARINDEX_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["PARINDEX_CACHE_DIR"]
    else:
        os.environ["PARINDEX_CACHE_DIR"] = before


@pytest.fixture
def example_dossier() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the ``parindex`` entry point in-process: ``(exit code, stdout, stderr)``."""
    from parindex.cli.app import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
