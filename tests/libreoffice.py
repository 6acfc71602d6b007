"""Test helper: have a real spreadsheet engine (LibreOffice Calc) open and re-save a workbook."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def resave_with_libreoffice(src: Path, workdir: Path) -> Path:
    """Open ``src`` in LibreOffice Calc and save it again as .xlsx (formulas recalculated).

    Skips the calling test when LibreOffice is not installed.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = workdir / "resaved"
    out.mkdir(exist_ok=True)
    profile = (workdir / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to",
         "xlsx", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "HOME": str(workdir)},
    )
    return out / src.name
