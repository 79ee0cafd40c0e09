"""Engines from the configured Optima connection: URLs, DSNs, ODBC strings, and what is missing."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.dialects.mssql.pyodbc import MSDialect_pyodbc
from sqlalchemy.engine import make_url

from linkoptima_gui.core.optima import connect
from linkoptima_gui.core.optima.connect import (
    LOCK_TIMEOUT_MS,
    READ_UNCOMMITTED,
    SQL_SERVER_DRIVER,
    OptimaConnection,
    OptimaConnectionError,
    check_odbc,
    engine_url,
    odbc_connection_string,
    odbc_url,
    odbc_value,
    parse_odbc,
    reader_engine,
    redacted,
    set_lock_timeout,
)
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import has_write_lock_support

#: A password with everything that breaks a naive connection string or URL.
NASTY = "p;a}{ss=w+o%20rd 1@!"
FULL = (
    "DRIVER={ODBC Driver 18 for SQL Server};SERVER=SERWER\\OPTIMA,1433;DATABASE=CDN_Firma;"
    "UID=czytelnik;PWD={a;b}}c{d=e+f%41g h};Encrypt=yes;TrustServerCertificate=yes"
)


def what_pyodbc_gets(url: Any) -> str:
    """The connection string SQLAlchemy's pyodbc connector hands to ``pyodbc.connect``."""
    args, kwargs = MSDialect_pyodbc().create_connect_args(url)
    assert kwargs == {}
    (text,) = args
    return text


def fake_pyodbc(drivers: list[str], sources: dict[str, str] | None = None) -> SimpleNamespace:
    """Enough of pyodbc for the checks and for ``create_engine`` (never connected)."""
    return SimpleNamespace(
        paramstyle="qmark",
        version="5.1.0",
        Cursor=type("Cursor", (), {}),
        drivers=lambda: list(drivers),
        dataSources=lambda: dict(sources or {}),
    )


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch):
    """``installed(drivers, sources)`` puts a stand-in pyodbc where both connect.py and SQLAlchemy look."""

    def install(drivers: list[str], sources: dict[str, str] | None = None) -> SimpleNamespace:
        module = fake_pyodbc(drivers, sources)
        monkeypatch.setitem(sys.modules, "pyodbc", module)
        return module

    return install


# --- connection strings and URLs -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["plain", "a;b", "{x}", "a}}b", "=", " spaced ", NASTY, "zażółć;{}"])
def test_odbc_values_survive_quoting(value: str) -> None:
    assert parse_odbc(f"UID=u;PWD={odbc_value(value)};X=1") == {"UID": "u", "PWD": value, "X": "1"}


def test_plain_values_stay_unbraced() -> None:
    assert odbc_value("CDN_Firma") == "CDN_Firma"
    assert odbc_value("SERWER\\OPTIMA") == "SERWER\\OPTIMA"
    assert odbc_value("a;b") == "{a;b}"
    assert odbc_value("a}b") == "{a}}b}"


def test_a_dsn_becomes_an_odbc_connect_url() -> None:
    connection = OptimaConnection(dsn="OPTIMA", database="CDN_Firma", username="czytelnik", password=NASTY)
    url = engine_url(connection)
    assert (url.get_backend_name(), url.get_driver_name()) == ("mssql", "pyodbc")
    text = what_pyodbc_gets(url)
    assert text == "DSN=OPTIMA;DATABASE=CDN_Firma;UID=czytelnik;PWD={p;a}}{ss=w+o%20rd 1@!}"
    assert parse_odbc(text)["PWD"] == NASTY
    # stored as text (settings file, log) and read back: the same URL, the same string for pyodbc
    again = make_url(url.render_as_string(hide_password=False))
    assert again == url and what_pyodbc_gets(again) == text


def test_a_full_connection_string_reaches_pyodbc_unchanged() -> None:
    url = engine_url(OptimaConnection(connection_string=FULL))
    assert what_pyodbc_gets(url) == FULL
    assert what_pyodbc_gets(make_url(url.render_as_string(hide_password=False))) == FULL
    attributes = parse_odbc(FULL)
    assert attributes["PWD"] == "a;b}c{d=e+f%41g h"
    assert attributes["DRIVER"] == SQL_SERVER_DRIVER and attributes["SERVER"] == "SERWER\\OPTIMA,1433"


def test_separate_login_is_added_only_when_the_string_has_none() -> None:
    bare = "DRIVER={ODBC Driver 18 for SQL Server};SERVER=srv;DATABASE=CDN_Firma;"
    with_login = odbc_connection_string(
        OptimaConnection(connection_string=bare, username="czytelnik", password="x;y")
    )
    assert with_login == bare.rstrip(";") + ";UID=czytelnik;PWD={x;y}"
    unchanged = odbc_connection_string(OptimaConnection(connection_string=FULL, username="inny", password="z"))
    assert unchanged == FULL


def test_a_url_gets_the_separate_login_when_it_has_none() -> None:
    url = r"mssql+pyodbc://czytelnik@SERWER\OPTIMA/CDN_Firma?driver=ODBC+Driver+18+for+SQL+Server"
    text = what_pyodbc_gets(engine_url(OptimaConnection(url=url, password="a;b}c")))
    assert text == (
        "DRIVER={ODBC Driver 18 for SQL Server};Server=SERWER\\OPTIMA;Database=CDN_Firma;"
        "UID=czytelnik;PWD={a;b}}c}"
    )
    own = engine_url(OptimaConnection(url="mssql+pyodbc://u:own@srv/db?driver=X", username="v", password="p"))
    assert (own.username, own.password) == ("u", "own")


def test_the_password_is_kept_out_of_reprs_and_redacted_text() -> None:
    connection = OptimaConnection(connection_string=FULL, password="sekret")
    assert "sekret" not in repr(connection)
    shown = redacted(FULL)
    assert "PWD=***" in shown and "a;b" not in shown and "SERVER=SERWER\\OPTIMA,1433" in shown


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("DRIVER={ODBC Driver 18 for SQL Server;SERVER=x", "niedomknięty nawias klamrowy w wartości DRIVER"),
        ("DSN=x;PWD={tajne}x;", "znaki po nawiasie zamykającym wartość PWD"),
        ("DSN=x;tajne;", "atrybut bez znaku „=”"),
    ],
)
def test_a_broken_connection_string_is_named_without_repeating_it(text: str, reason: str) -> None:
    with pytest.raises(OptimaConnectionError) as caught:
        engine_url(OptimaConnection(connection_string=text))
    assert caught.value.reason == f"Nieprawidłowy ciąg połączenia ODBC: {reason}."
    assert "tajne" not in caught.value.reason


def test_exactly_one_way_of_naming_the_database() -> None:
    with pytest.raises(OptimaConnectionError, match="^Nie wskazano bazy Optimy"):
        engine_url(OptimaConnection())
    with pytest.raises(OptimaConnectionError, match="^Wpisz tylko jedno"):
        engine_url(OptimaConnection(url="sqlite:///x.sqlite", dsn="OPTIMA"))
    with pytest.raises(OptimaConnectionError, match="^Nieprawidłowy adres bazy Optimy"):
        engine_url(OptimaConnection(url="to nie jest adres"))


def test_odbc_url_can_carry_another_pyodbc_dialect() -> None:
    url = odbc_url("DRIVER={PostgreSQL Unicode};PWD={a;b}", drivername="postgresql+something")
    assert url.drivername == "postgresql+something"
    assert what_pyodbc_gets(url) == "DRIVER={PostgreSQL Unicode};PWD={a;b}"


# --- engines ---------------------------------------------------------------------------------------


@pytest.fixture
def engine_options(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The options each ``create_engine`` call of connect.py got (the engine is still made)."""
    seen: list[dict[str, Any]] = []
    real = connect.create_engine

    def spy(url: Any, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return real(url, **kwargs)

    monkeypatch.setattr(connect, "create_engine", spy)
    return seen


def test_sql_server_reads_uncommitted_through_the_checked_driver(installed, engine_options) -> None:
    installed([SQL_SERVER_DRIVER])
    engine = reader_engine(OptimaConnection(connection_string=FULL))
    assert engine.dialect.name == "mssql" and engine.dialect.driver == "pyodbc"
    # set by SQLAlchemy on every new connection (test_pyodbc.py checks it on a real one)
    assert engine_options == [{"isolation_level": READ_UNCOMMITTED, "pool_pre_ping": True}]
    assert what_pyodbc_gets(engine.url) == FULL
    assert SqlOptimaReader(engine).engine.get_execution_options()["isolation_level"] == READ_UNCOMMITTED
    assert event.contains(engine, "connect", set_lock_timeout)  # no read waits for ever behind Optima


def test_each_sql_server_connection_bounds_its_wait_for_a_lock() -> None:
    executed: list[str] = []

    class Cursor:
        def execute(self, sql: str) -> None:
            executed.append(sql)

        def close(self) -> None:
            executed.append("closed")

    set_lock_timeout(SimpleNamespace(cursor=Cursor), None)
    assert executed == [f"SET LOCK_TIMEOUT {LOCK_TIMEOUT_MS}", "closed"] and LOCK_TIMEOUT_MS == 10_000


def test_a_dsn_is_checked_case_insensitively(installed) -> None:
    installed([SQL_SERVER_DRIVER], {"Optima": SQL_SERVER_DRIVER})
    assert reader_engine(OptimaConnection(dsn="OPTIMA", username="u", password="p")).dialect.name == "mssql"
    assert reader_engine("mssql+pyodbc://u:p@optima").dialect.name == "mssql"  # SQLAlchemy's DSN form


def test_the_simulated_optima_keeps_its_own_engine(tmp_path: Path, engine_options) -> None:
    engine = reader_engine(f"sqlite:///{tmp_path / 'optima.sqlite'}")
    assert engine.dialect.name == "sqlite" and has_write_lock_support(engine)
    assert engine_options == []  # optima_engine: WAL and the writer lock, default isolation
    engine.dispose()


# --- what is missing, in Polish ---------------------------------------------------------------------


def test_a_missing_sql_server_driver_is_named(installed) -> None:
    installed(["ODBC Driver 17 for SQL Server", "SQLite3"])
    with pytest.raises(OptimaConnectionError) as caught:
        reader_engine(OptimaConnection(connection_string=FULL))
    error = caught.value
    assert error.reason.startswith(
        "Brak sterownika ODBC Driver 18 for SQL Server: zainstaluj Microsoft ODBC Driver 18 for SQL Server ("
        "https://learn.microsoft.com/"
    )
    assert "(zainstalowane sterowniki ODBC: ODBC Driver 17 for SQL Server, SQLite3)" in error.reason
    assert error.code == "odbc_driver_missing" and not error.retryable
    assert error.details["driver"] == SQL_SERVER_DRIVER


def test_a_missing_driver_in_a_url_is_named(installed) -> None:
    installed([])
    url = "mssql+pyodbc://czytelnik:haslo@srv/CDN_Firma?driver=ODBC+Driver+18+for+SQL+Server"
    with pytest.raises(OptimaConnectionError, match="^Brak sterownika ODBC Driver 18 for SQL Server: .*: brak\\)"):
        reader_engine(url)
    with pytest.raises(OptimaConnectionError, match="^Brak sterownika ODBC Driver 18"):
        reader_engine(url.replace("mssql+pyodbc://", "mssql://"))  # pyodbc is SQLAlchemy's default
    with pytest.raises(OptimaConnectionError, match="brakuje sterownika"):
        reader_engine("mssql+pyodbc://czytelnik:haslo@srv/CDN_Firma")


def test_a_missing_dsn_is_named(installed) -> None:
    installed([SQL_SERVER_DRIVER], {"INNA": SQL_SERVER_DRIVER})
    with pytest.raises(OptimaConnectionError) as caught:
        reader_engine(OptimaConnection(dsn="OPTIMA"))
    assert caught.value.reason.startswith("Nie ma źródła danych ODBC (DSN) „OPTIMA”: dodaj je ")
    assert "(zdefiniowane źródła: INNA)" in caught.value.reason
    assert caught.value.code == "odbc_dsn_missing"


def test_a_connection_string_must_name_a_driver_or_dsn(installed) -> None:
    installed([SQL_SERVER_DRIVER])
    with pytest.raises(OptimaConnectionError, match="musi wskazywać sterownik"):
        reader_engine(OptimaConnection(connection_string="SERVER=srv;DATABASE=CDN_Firma"))


def _import_fails(monkeypatch: pytest.MonkeyPatch, error: ImportError) -> None:
    def failing(name: str) -> Any:
        assert name == "pyodbc"
        raise error

    monkeypatch.setattr(connect, "import_module", failing)


def test_missing_pyodbc_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _import_fails(monkeypatch, ModuleNotFoundError("No module named 'pyodbc'", name="pyodbc"))
    with pytest.raises(OptimaConnectionError, match="^Brak modułu pyodbc.*linkoptima\\[sqlserver\\]") as caught:
        reader_engine(OptimaConnection(connection_string=FULL))
    assert caught.value.code == "pyodbc_missing"


def test_missing_unixodbc_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # what importing pyodbc says on Linux without the unixodbc package
    _import_fails(monkeypatch, ImportError("libodbc.so.2: cannot open shared object file: No such file or directory"))
    with pytest.raises(OptimaConnectionError, match="^Brak menedżera sterowników ODBC \\(unixODBC\\).*apt-get install unixodbc"):
        reader_engine(OptimaConnection(dsn="OPTIMA"))


def test_a_missing_driver_module_for_other_databases_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(OptimaConnectionError, match="^Brak modułu psycopg"):
        reader_engine("postgresql+psycopg://u:p@localhost/optima")
    with pytest.raises(OptimaConnectionError, match="^Nieznany rodzaj bazy"):
        reader_engine("nosuchdb://u:p@localhost/optima")


def test_the_real_driver_list_is_consulted_when_pyodbc_is_installed() -> None:
    pyodbc = pytest.importorskip("pyodbc", reason="pyodbc with unixODBC is not installed")
    with pytest.raises(OptimaConnectionError) as caught:
        check_odbc(odbc_url("DRIVER={No Such Driver 99};SERVER=x"))
    assert caught.value.details["installed"] == list(pyodbc.drivers())
