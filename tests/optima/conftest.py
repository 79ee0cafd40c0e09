"""A seeded demo Optima per test: seeded once per session, copied for each test (fast)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import optima_engine
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.demo.optima_seed import FILE_NAME, create_demo_optima

#: The tests' "now": every date the writer stamps and the reader compares comes from here.
NOW = datetime(2026, 3, 16, 10, 30)


def clock() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("optima-template")
    engine = create_demo_optima(folder, now=NOW)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return folder / FILE_NAME


@pytest.fixture
def optima_file(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / FILE_NAME
    shutil.copyfile(seeded_template, target)
    return target


@pytest.fixture
def engine(optima_file: Path) -> Iterator[Engine]:
    engine = optima_engine(f"sqlite:///{optima_file}")
    yield engine
    engine.dispose()


@pytest.fixture
def writer(engine: Engine) -> SimulatedOptimaWriter:
    return SimulatedOptimaWriter(engine, clock=clock)


@pytest.fixture
def reader(engine: Engine) -> SqlOptimaReader:
    return SqlOptimaReader(engine, clock=clock)


def count(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def rows(engine: Engine, table: Any, *where: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(table).where(*where)).mappings().all())
