"""Where the shipped resources (fonts, templates, translations) are.

They live in the top-level ``resources/`` folder beside the package (DESIGN.md §2); a frozen
build (PyInstaller) puts them next to the executable, and ``LINKOPTIMA_RESOURCES`` overrides both.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    override = os.environ.get("LINKOPTIMA_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
