"""Where the shipped frameworks are (a module of its own: the warm re-check asks without
importing the framework model)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["criteria_dir"]


def criteria_dir() -> Path:
    """The folder of shipped frameworks: inside the wheel, or ``criteria/`` of a checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_data" / "criteria"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "criteria"
