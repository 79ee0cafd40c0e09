"""The engine the console reads an Optima company database through, from what the user configured.

Three ways to name the database (exactly one):

* ``url``: an SQLAlchemy URL. ``sqlite:///…/optima.sqlite`` or ``postgresql+psycopg://…`` for the
  simulated Optima, ``mssql+pyodbc://…`` for a real one;
* ``dsn``: an ODBC data source defined on the machine (Windows: the ODBC Data Source Administrator
  of the same bitness as LinkOptima; Linux: ``/etc/odbc.ini``), e.g. ``OPTIMA``;
* ``connection_string``: a full ODBC connection string, e.g.
  ``DRIVER={ODBC Driver 18 for SQL Server};SERVER=SERWER\\OPTIMA;DATABASE=CDN_Firma;Encrypt=yes``.

``username`` / ``password`` are added to a URL, DSN or connection string that does not carry its
own (so the password can live in the keyring, away from the settings file). Both ODBC
forms become ``mssql+pyodbc:///?odbc_connect=…``: the string reaches pyodbc exactly as built.

Isolation: on SQL Server a connection reads with READ UNCOMMITTED by default, as Comarch's own BI
reports do, so a long Optima transaction (a user editing a document) never blocks the stock and
list reads. The reads that decide a booking ("is this FA booked already?", the writer's read-back)
ask for READ COMMITTED instead (``SqlOptimaReader.decisions``): a dirty read there could see a
document Optima then rolls back. So that such a read cannot hang behind Optima's locks, every SQL
Server connection waits at most ``LOCK_TIMEOUT_MS`` for a lock and then fails (error 1222), which
the writer reports as retryable. On PostgreSQL and SQLite the default (read committed; SQLite in
WAL mode) is kept: readers are never blocked by writers there, and PostgreSQL's READ UNCOMMITTED
is read committed anyway.

Permissions: a read-only login is enough (``db_datareader`` on the company database, or SELECT on
schema ``CDN``); the reader never writes and SQLAlchemy's start-up queries only read.

ODBC Driver 18 encrypts by default and checks the server certificate: a SQL Server with a
self-signed certificate needs ``TrustServerCertificate=yes`` in the connection string (or a
certificate the machine trusts).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import MappingProxyType
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..errors import PermanentError
from .schema import optima_engine

#: Microsoft's current ODBC driver for SQL Server, the one the reader is documented with.
SQL_SERVER_DRIVER = "ODBC Driver 18 for SQL Server"
DRIVER_DOWNLOAD = "https://learn.microsoft.com/sql/connect/odbc/download-odbc-driver-for-sql-server"
#: Isolation level of every reader connection on SQL Server, and of the reads that decide.
READ_UNCOMMITTED = "READ UNCOMMITTED"
READ_COMMITTED = "READ COMMITTED"
#: How long a SQL Server read waits for a lock Optima holds before it fails (``SET LOCK_TIMEOUT``).
LOCK_TIMEOUT_MS = 10_000

#: Engine options of every reader on SQL Server: READ UNCOMMITTED set on each new connection, and
#: a liveness check when a pooled connection is taken (a desktop app outlives server restarts).
SQL_SERVER_ENGINE_OPTIONS: Mapping[str, Any] = MappingProxyType(
    {"isolation_level": READ_UNCOMMITTED, "pool_pre_ping": True}
)

#: Characters that force an ODBC attribute value into braces (``=`` and ``,`` do not: the value
#: runs to the next ``;``, so ``SERVER=host,1433`` stays as people write it).
_SPECIAL = frozenset(";{}")
_PASSWORD_KEYS = frozenset({"PWD", "PASSWORD"})


class OptimaConnectionError(PermanentError):
    """The connection to Optima is configured wrongly or a piece of software is missing.

    Permanent: retrying does not install a driver; the reason says what to do, in Polish.
    """

    code = "optima_connection"


@dataclass(frozen=True)
class OptimaConnection:
    """Where the Optima company database is (see the module docstring)."""

    url: str = ""
    dsn: str = ""
    connection_string: str = ""
    #: for a DSN: the company database (``CDN_Firma``) when the DSN does not name it
    database: str = ""
    username: str = ""
    password: str = field(default="", repr=False)


# --- ODBC connection strings -------------------------------------------------------------------


def odbc_value(value: str) -> str:
    """``value`` as an ODBC attribute value: in braces (``}`` doubled) when it needs them."""
    if not value:
        return value
    if _SPECIAL.intersection(value) or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def parse_odbc(text: str) -> dict[str, str]:
    """The attributes of an ODBC connection string, keys upper-cased, braces undone.

    Raises ``OptimaConnectionError`` for a string pyodbc would not understand either (an
    unclosed brace, an attribute without ``=``); the message never repeats a value.
    """
    attributes: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        equals = text.find("=", i)
        semicolon = text.find(";", i)
        if equals < 0 or 0 <= semicolon < equals:
            stray = text[i : semicolon if semicolon >= 0 else n]
            if stray.strip():
                raise _invalid_string("atrybut bez znaku „=”")
            i = semicolon + 1 if semicolon >= 0 else n
            continue
        key = text[i:equals].strip().upper()
        i = equals + 1
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == "{":
            value, i = _braced(text, i, key)
            end = text.find(";", i)
            if text[i : end if end >= 0 else n].strip():
                raise _invalid_string(f"znaki po nawiasie zamykającym wartość {key}")
        else:
            end = text.find(";", i)
            value = text[i : end if end >= 0 else n].strip()
        i = end + 1 if end >= 0 else n
        attributes[key] = value
    return attributes


def _braced(text: str, start: int, key: str) -> tuple[str, int]:
    """The value in braces opening at ``start`` (``}}`` is one ``}``) and the index after it."""
    value, i = [], start + 1
    while i < len(text):
        if text[i] == "}":
            if text[i + 1 : i + 2] == "}":
                value.append("}")
                i += 2
                continue
            return "".join(value), i + 1
        value.append(text[i])
        i += 1
    raise _invalid_string(f"niedomknięty nawias klamrowy w wartości {key}")


def _invalid_string(reason: str) -> OptimaConnectionError:
    return OptimaConnectionError(
        f"Nieprawidłowy ciąg połączenia ODBC: {reason}.", code="odbc_connection_string_invalid"
    )


def redacted(connection_string: str) -> str:
    """The connection string with the password replaced by ``***`` (for logs and the status bar)."""
    try:
        attributes = parse_odbc(connection_string)
    except OptimaConnectionError:
        return "(nieprawidłowy ciąg połączenia ODBC)"
    return ";".join(
        f"{key}={'***' if key in _PASSWORD_KEYS else odbc_value(value)}" for key, value in attributes.items()
    )


def odbc_connection_string(connection: OptimaConnection) -> str:
    """The ODBC connection string of a DSN or connection-string configuration."""
    if connection.dsn:
        text = f"DSN={odbc_value(connection.dsn)}"
        if connection.database:
            text += f";DATABASE={odbc_value(connection.database)}"
    else:
        text = connection.connection_string.strip().rstrip(";")
    present = parse_odbc(text)
    if connection.username and not {"UID", "USER ID", "USER"} & present.keys():
        text += f";UID={odbc_value(connection.username)}"
    if connection.password and not _PASSWORD_KEYS & present.keys():
        text += f";PWD={odbc_value(connection.password)}"
    return text


@cache
def _connector_unquotes() -> bool:
    """True when this SQLAlchemy unquotes ``odbc_connect`` once more (2.0 did, 2.1 does not)."""
    from sqlalchemy.dialects.mssql.pyodbc import MSDialect_pyodbc

    probe = URL.create("mssql+pyodbc", query={"odbc_connect": "+%41"})
    args, _ = MSDialect_pyodbc().create_connect_args(probe)
    return args[0] != "+%41"


def odbc_url(connection_string: str, drivername: str = "mssql+pyodbc") -> URL:
    """``mssql+pyodbc:///?odbc_connect=…`` handing ``connection_string`` to pyodbc unchanged.

    A ``URL`` object, not text: rendered with ``render_as_string(hide_password=False)`` and parsed
    back it stays the same, and whatever ``; { } + % =`` the password holds reaches the driver as
    written. Keep in mind the URL carries the password: log ``redacted()`` instead.
    """
    value = connection_string
    if _connector_unquotes():
        value = quote_plus(value)
    return URL.create(drivername, query={"odbc_connect": value})


def engine_url(connection: OptimaConnection) -> URL:
    """The SQLAlchemy URL of the configuration (checked for exactly one way of naming the DB)."""
    given = sum(bool(v.strip()) for v in (connection.url, connection.dsn, connection.connection_string))
    if given == 0:
        raise OptimaConnectionError(
            "Nie wskazano bazy Optimy: wpisz adres bazy (URL), nazwę źródła danych ODBC (DSN) "
            "albo ciąg połączenia ODBC.",
            code="optima_connection_missing",
        )
    if given > 1:
        raise OptimaConnectionError(
            "Wpisz tylko jedno z: adres bazy (URL), źródło danych ODBC (DSN), ciąg połączenia ODBC.",
            code="optima_connection_ambiguous",
        )
    if connection.url.strip():
        try:
            url = make_url(connection.url.strip())
        except ArgumentError:
            raise OptimaConnectionError(
                "Nieprawidłowy adres bazy Optimy: oczekiwano np. „mssql+pyodbc:///?odbc_connect=…” "
                "albo „sqlite:///ścieżka/optima.sqlite”.",
                code="optima_url_invalid",
            ) from None
        if connection.username and url.username is None:
            url = url.set(username=connection.username)
        if connection.password and url.password is None and url.username:
            url = url.set(password=connection.password)
        return url
    return odbc_url(odbc_connection_string(connection))


# --- is the ODBC part installed? ----------------------------------------------------------------


def _pyodbc() -> Any:
    """The pyodbc module, or a Polish explanation of what is missing."""
    try:
        return import_module("pyodbc")
    except ImportError as error:
        if getattr(error, "name", None) == "pyodbc":
            raise OptimaConnectionError(
                "Brak modułu pyodbc, przez który LinkOptima łączy się z SQL Serverem Optimy: "
                'zainstaluj go (pip install "linkoptima[sqlserver]" albo pip install pyodbc).',
                code="pyodbc_missing",
            ) from error
        if "odbc" in str(error).lower():
            raise OptimaConnectionError(
                "Brak menedżera sterowników ODBC (unixODBC), którego potrzebuje pyodbc: zainstaluj "
                "pakiet unixodbc (Debian/Ubuntu: apt-get install unixodbc) i uruchom program ponownie.",
                code="unixodbc_missing",
                details={"error": str(error)},
            ) from error
        raise


def _bits() -> int:
    return struct.calcsize("P") * 8


def _missing_driver(driver: str, installed: list[str]) -> OptimaConnectionError:
    name = driver if "ODBC" in driver.upper() else f"ODBC „{driver}”"
    where = (
        f"zainstaluj Microsoft {driver} ({DRIVER_DOWNLOAD})"
        if "SQL SERVER" in driver.upper()
        else "zainstaluj go"
    )
    return OptimaConnectionError(
        f"Brak sterownika {name}: {where} albo wpisz w połączeniu sterownik, który jest "
        f"zainstalowany (zainstalowane sterowniki ODBC: {', '.join(installed) or 'brak'}).",
        code="odbc_driver_missing",
        details={"driver": driver, "installed": installed},
    )


def _missing_dsn(dsn: str, defined: list[str]) -> OptimaConnectionError:
    where = (
        f"w Administratorze źródeł danych ODBC ({_bits()}-bitowym, jak LinkOptima)"
        if sys.platform == "win32"
        else "w pliku odbc.ini (/etc/odbc.ini albo ~/.odbc.ini)"
    )
    return OptimaConnectionError(
        f"Nie ma źródła danych ODBC (DSN) „{dsn}”: dodaj je {where} albo wpisz pełny ciąg połączenia "
        f"(zdefiniowane źródła: {', '.join(defined) or 'brak'}).",
        code="odbc_dsn_missing",
        details={"dsn": dsn, "defined": defined},
    )


def _odbc_target(url: URL) -> tuple[str, str]:
    """``("driver", name)`` or ``("dsn", name)`` a pyodbc URL connects through (``("", "")``: a file DSN)."""
    if "odbc_connect" in url.query:
        raw = url.query["odbc_connect"]
        text = raw if isinstance(raw, str) else raw[0]
        if _connector_unquotes():
            text = unquote_plus(text)
        attributes = parse_odbc(text)
        if "DRIVER" in attributes:
            return "driver", attributes["DRIVER"]
        if "DSN" in attributes:
            return "dsn", attributes["DSN"]
        if "FILEDSN" in attributes:
            return "", ""
        raise OptimaConnectionError(
            f"Ciąg połączenia ODBC musi wskazywać sterownik (DRIVER={{{SQL_SERVER_DRIVER}}};…) "
            "albo źródło danych (DSN=…).",
            code="odbc_connection_string_invalid",
        )
    if "dsn" in url.query or (url.host and not url.database):
        return "dsn", str(url.query.get("dsn") or url.host)
    if "driver" in url.query:
        return "driver", str(url.query["driver"])
    raise OptimaConnectionError(
        "W adresie mssql+pyodbc brakuje sterownika: dopisz "
        f"„?driver={SQL_SERVER_DRIVER.replace(' ', '+')}” albo podaj ciąg połączenia ODBC.",
        code="odbc_driver_missing",
    )


def check_odbc(url: URL) -> None:
    """For a URL through pyodbc: pyodbc imports and the driver or DSN it names is installed.

    Checked before connecting, so a missing piece is named in Polish instead of surfacing as
    ``IM002 Data source name not found`` at the first read.
    """
    if url.get_dialect().driver != "pyodbc":  # the dialect's: "mssql://" is pyodbc too
        return
    pyodbc = _pyodbc()
    kind, name = _odbc_target(url)
    if kind == "driver":
        installed = list(pyodbc.drivers())
        if name.casefold() not in {d.casefold() for d in installed}:
            raise _missing_driver(name, installed)
    elif kind == "dsn":
        defined = list(pyodbc.dataSources())
        if name.casefold() not in {d.casefold() for d in defined}:
            raise _missing_dsn(name, defined)


# --- the engine ----------------------------------------------------------------------------------


def set_lock_timeout(dbapi_connection: Any, _record: Any) -> None:
    """On each new SQL Server connection: wait at most ``LOCK_TIMEOUT_MS`` for a lock."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"SET LOCK_TIMEOUT {int(LOCK_TIMEOUT_MS)}")
    finally:
        cursor.close()


def reader_engine(connection: OptimaConnection | str | URL, **kwargs: Any) -> Engine:
    """The engine ``SqlOptimaReader`` reads through.

    SQL Server: checked for pyodbc and the driver, then ``SQL_SERVER_ENGINE_OPTIONS``. SQLite /
    PostgreSQL: ``optima_engine`` (the simulated Optima). ``kwargs`` go to ``create_engine``; any
    URL with ``+pyodbc`` is checked for its driver or DSN first.
    """
    if isinstance(connection, URL):
        url = connection
    elif isinstance(connection, str):
        url = engine_url(OptimaConnection(url=connection))
    else:
        url = engine_url(connection)
    try:
        check_odbc(url)
        if url.get_backend_name() == "mssql":
            engine = create_engine(url, **{**SQL_SERVER_ENGINE_OPTIONS, **kwargs})
            event.listen(engine, "connect", set_lock_timeout)
            return engine
        return optima_engine(url.render_as_string(hide_password=False), **kwargs)
    except NoSuchModuleError:
        raise OptimaConnectionError(
            f"Nieznany rodzaj bazy „{url.drivername}” w adresie bazy Optimy.", code="optima_url_invalid"
        ) from None
    except ModuleNotFoundError as error:
        raise OptimaConnectionError(
            f"Brak modułu {error.name}, potrzebnego do połączenia „{url.drivername}”: zainstaluj go "
            f"(pip install {error.name}).",
            code="driver_module_missing",
        ) from error
