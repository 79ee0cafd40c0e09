"""Fixtures: a built-in carrier on a fresh folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkoptima_gui.core.shipping.builtin import BuiltinCarrier

from .samples import SENDER


@pytest.fixture
def carrier(tmp_path: Path) -> BuiltinCarrier:
    return BuiltinCarrier(tmp_path / "carrier", SENDER)
