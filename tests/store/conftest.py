"""The state store on every backend that runs here: SQLite (the default, WAL) always, and
PostgreSQL when ``LINKOPTIMA_TEST_PG_URL`` names a database (``.ci/run`` starts Debian's server
and sets it). Each PostgreSQL test starts from an empty ``public`` schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")


def empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'console.sqlite'}"
    if not PG_URL:
        pytest.skip("set LINKOPTIMA_TEST_PG_URL to run on PostgreSQL")
    empty_postgres(PG_URL)
    return PG_URL
