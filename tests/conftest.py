"""Fixtures every test folder shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.demo.shop import ShopEmulator


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[ShopEmulator]:
    """The WooCommerce emulator on a loopback port, in the test's own folder."""
    emulator = ShopEmulator(tmp_path / "shop")
    emulator.start()
    yield emulator
    emulator.stop()
