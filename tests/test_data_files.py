"""Every real data file loads; published schemas match the models."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.framework.catalog import load_framework
from parindex.schema import SCHEMAS, render_schema
from parindex.scoring.dossier import load_dossier

from .conftest import ROOT

FRAMEWORK_FILES = sorted((ROOT / "criteria").glob("*.yaml"))
DOSSIERS = sorted(p.parent for p in (ROOT / "evidence").glob("*/dossier.yaml"))


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_every_framework_file_loads(path: Path) -> None:
    load_framework(path)


@pytest.mark.parametrize("folder", DOSSIERS, ids=lambda p: p.name)
def test_every_dossier_loads_and_scores(folder: Path) -> None:
    card = load_dossier(folder).score()
    assert card.total.max > 0


def test_there_is_data_to_test() -> None:
    assert FRAMEWORK_FILES and DOSSIERS


@pytest.mark.parametrize("rel", sorted(SCHEMAS))
def test_published_schema_is_in_sync(rel: str) -> None:
    committed = (ROOT / rel).read_text(encoding="utf-8")
    assert committed == render_schema(SCHEMAS[rel]), (
        f"{rel} is stale: run `python -m parindex.schema`")
