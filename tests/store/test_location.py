"""Choosing the store: its URL from the settings and the keyring, Polish reasons for a store that
cannot be used (nothing written into it), a store of a newer program refused, the SQL Server
path compiled, and SQLite on a network share recognised."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.dialects import mssql, postgresql

from linkoptima_gui.core.config.store_check import check_store
from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.fencing import lease_for_commit
from linkoptima_gui.core.store.location import StoreError, describe, on_network_share, open_checked, store_url
from linkoptima_gui.core.store.locking import lock_skipping
from linkoptima_gui.core.store.migrate import HEAD, known_revisions, upgrade_script
from linkoptima_gui.core.store.models import JobRow

from .conftest import PG_URL


def test_the_store_url_comes_from_the_setting_and_the_keyring(tmp_path: Path) -> None:
    assert store_url("", "", tmp_path) == f"sqlite:///{tmp_path / 'console.sqlite'}"
    url = store_url("postgresql+psycopg://linkoptima@serwer:5433/sklep", "p%a:s@s/w", tmp_path)
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == \
        ("linkoptima", "p%a:s@s/w", "serwer", 5433, "sklep")
    assert "p%a" not in describe(url) and "***" in describe(url)
    with pytest.raises(StoreError, match="Niepoprawny adres"):
        store_url("to nie jest adres", "", tmp_path)
    with pytest.raises(StoreError, match="Nieobsługiwany rodzaj bazy"):
        store_url("oracle://x@y/z", "", tmp_path)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_is_explained_in_polish() -> None:
    url = f"postgresql+psycopg://linkoptima@127.0.0.1:{_free_port()}/linkoptima"
    with pytest.raises(StoreError, match="nie przyjmuje połączeń"):
        open_checked(url)
    result = check_store(url, "haslo", Path("/nonexistent"), timeout=10)
    assert not result.ok and "nie przyjmuje połączeń" in result.message


@pytest.mark.skipif(not PG_URL, reason="set LINKOPTIMA_TEST_PG_URL to run on PostgreSQL")
def test_a_wrong_password_or_database_on_a_real_server() -> None:
    from sqlalchemy.engine import make_url

    good = make_url(PG_URL)
    with pytest.raises(StoreError, match="odrzucił użytkownika"):
        open_checked(good.set(password="zle-haslo").render_as_string(hide_password=False))
    with pytest.raises(StoreError, match="nie ma bazy"):
        open_checked(good.set(database="nie_ma_takiej_bazy").render_as_string(hide_password=False))


def test_a_store_of_a_newer_program_is_refused_and_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'console.sqlite'}"
    open_store(url).kw["bind"].dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    tables_before = set(inspect(engine).get_table_names())
    with pytest.raises(StoreError, match="nowszej wersji.*Zaktualizuj LinkOptima"):
        open_checked(url)
    result = check_store(url, "", tmp_path)
    assert not result.ok and "nowszej wersji" in result.message
    assert set(inspect(engine).get_table_names()) == tables_before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0099"
    engine.dispose()
    assert HEAD in known_revisions() and "0099" not in known_revisions()


def test_the_store_check_reads_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "console.sqlite"
    result = check_store(f"sqlite:///{path}", "", tmp_path)
    assert result.ok and "powstanie przy starcie" in result.message and not path.exists()
    open_checked(f"sqlite:///{path}").kw["bind"].dispose()
    result = check_store(f"sqlite:///{path}", "", tmp_path)
    assert result.ok and "Żaden silnik" in result.message and "tylko dla tego komputera" in result.message


def test_sql_server_gets_its_own_locking_hints_and_migrations() -> None:
    locked = lock_skipping(select(JobRow.id).where(JobRow.state == "pending").limit(5), JobRow)
    on_mssql = str(locked.compile(dialect=mssql.dialect()))
    assert "FROM jobs WITH (UPDLOCK, READPAST, ROWLOCK)" in on_mssql and "TOP" in on_mssql
    assert "FOR UPDATE" not in on_mssql
    on_postgres = str(locked.compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE OF jobs SKIP LOCKED" in on_postgres
    assert "WITH (HOLDLOCK, ROWLOCK)" in str(lease_for_commit("mssql").compile(dialect=mssql.dialect()))
    assert "FOR SHARE" in str(lease_for_commit("postgresql").compile(dialect=postgresql.dialect()))
    script = upgrade_script("mssql")
    for table in ("engine_lease", "parcel_claims", "store_events", "documents", "jobs", "orders"):
        assert f"CREATE TABLE {table}" in script
    assert "IDENTITY" in script and f"version_num='{HEAD}'" in script


def test_sqlite_on_a_network_share_is_recognised(tmp_path: Path) -> None:
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "//nas/magazyn /mnt/magazyn cifs rw 0 0\n"
              "serwer:/eksport /srv/nfs nfs4 rw 0 0\n")
    assert on_network_share(Path("/mnt/magazyn/linkoptima/console.sqlite"), mounts)
    assert on_network_share(Path("/srv/nfs/console.sqlite"), mounts)
    assert not on_network_share(Path("/home/jan/console.sqlite"), mounts)
    assert not on_network_share(Path("/mnt/magazynek/console.sqlite"), mounts)
    assert on_network_share(Path("//nas/magazyn/console.sqlite"), "")
    assert not on_network_share(tmp_path / "console.sqlite")  # this machine's own disk
    assert os.path.isdir(tmp_path)


def test_commands_given_a_bad_store_say_why_in_one_polish_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from linkoptima_gui.cli import main

    assert main(["status", "--store", "to nie adres"]) == 2
    assert "Niepoprawny adres bazy konsoli" in json.loads(capsys.readouterr().out)["error"]
    unreachable = f"postgresql+psycopg://linkoptima@127.0.0.1:{_free_port()}/linkoptima"
    assert main(["pack", "--all", "--store", unreachable, "--station", "P1"]) == 2
    line = json.loads(capsys.readouterr().out)
    assert line["packed"] == 0 and "nie przyjmuje połączeń" in line["error"]
    assert main(["demo-run", "--world", str(tmp_path / "w"), "--orders", "1", "--store", unreachable]) == 2
    err = capsys.readouterr().err
    assert err.startswith("linkoptima: Serwer bazy") and "Traceback" not in err


def test_a_url_with_percent_and_colon_never_goes_through_alembics_configparser(tmp_path: Path) -> None:
    """configparser reads ``%`` as interpolation: the store's URL (a password like ``p%a:ss``, here a
    folder of such a name) is never put into Alembic's config, the engine is handed over instead."""
    from sqlalchemy import URL, create_engine

    from linkoptima_gui.core.store.migrate import HEAD, alembic_config, current_revision, upgrade_to_head

    folder = tmp_path / "p%a:ss@w%25"
    folder.mkdir()
    engine = create_engine(URL.create("sqlite", database=str(folder / "console.sqlite")))
    try:
        assert alembic_config(engine).get_main_option("sqlalchemy.url") is None
        upgrade_to_head(engine)
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
