"""Shared fixtures: paths to the real data and to the defect fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
SEED_PLAN = ROOT.parent / "shared" / "seed" / "ke-hoach-cchc-2021-so-khcn-quang-ngai.txt"


@pytest.fixture
def example_dossier() -> Path:
    return EXAMPLE


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
