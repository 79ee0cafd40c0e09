"""One demo world with its 90 days of past (the console's demo), shared by the Pulpit's tests:
its figures are checked against the world's own books, read here with plain SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.core.dashboard.service import Dashboard
from linkoptima_gui.demo.world import DemoWorld


@pytest.fixture(scope="package")
def history_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    world = DemoWorld(tmp_path_factory.mktemp("pulpit") / "world", history=True).open()
    for _ in range(6):  # a few of today's orders through the engine, as in the demo's first minute
        world.customers.place_order()
    import asyncio

    asyncio.run(world.engine.run_until_idle(120))
    yield world
    world.close()


@pytest.fixture
def dashboard(history_world: DemoWorld) -> Dashboard:
    return history_world.dashboard


def world_file(world: DemoWorld, name: str) -> Path:
    return world.folder / name
