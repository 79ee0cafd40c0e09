"""The state store on every backend that runs here: SQLite (the default, WAL) always, and
PostgreSQL when ``LINKOPTIMA_TEST_PG_URL`` names a database (``.ci/run`` starts Debian's server
and sets it). Each PostgreSQL test starts from an empty ``public`` schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linkoptima_gui.bench.common import empty_postgres

PG_URL = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'console.sqlite'}"
    if not PG_URL:
        pytest.skip("set LINKOPTIMA_TEST_PG_URL to run on PostgreSQL")
    empty_postgres(PG_URL)
    return PG_URL
