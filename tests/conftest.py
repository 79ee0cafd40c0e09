"""Fixtures every test folder shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.core.logs import ENV_LOG_DIR
from linkoptima_gui.demo.shop import ShopEmulator


@pytest.fixture(scope="session", autouse=True)
def _log_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' processes log into a folder of the run's, never the user's log folder."""
    import os

    folder = tmp_path_factory.mktemp("logs")
    before = os.environ.get(ENV_LOG_DIR)
    os.environ[ENV_LOG_DIR] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(ENV_LOG_DIR, None)
    else:
        os.environ[ENV_LOG_DIR] = before


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[ShopEmulator]:
    """The WooCommerce emulator on a loopback port, in the test's own folder."""
    emulator = ShopEmulator(tmp_path / "shop")
    emulator.start()
    yield emulator
    emulator.stop()
