"""Fixtures every test folder shares."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.bench.common import empty_postgres
from linkoptima_gui.core.logs import ENV_LOG_DIR
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.world import DemoWorld


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


@pytest.fixture(params=["sqlite", "postgresql"])
def world_on_each_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DemoWorld]:
    """A demo world on each store that runs here (PostgreSQL when ``LINKOPTIMA_TEST_PG_URL``
    names a database, emptied first); a module takes it as its ``world``."""
    store_url = ""
    if request.param == "postgresql":
        url = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
        if not url:
            pytest.skip("set LINKOPTIMA_TEST_PG_URL to run on PostgreSQL")
        empty_postgres(url)
        store_url = url
    with DemoWorld(tmp_path / "world", ksef_delay=0, store_url=store_url) as opened:
        yield opened
