"""Where the console's store is, and why it cannot be opened, in Polish.

One computer keeps the default: an SQLite file in the user's data folder. Several computers
(packing stations, the manager's desk, the engine next to Optima) share one server: PostgreSQL,
or a database of its own on the SQL Server that already hosts Optima. The settings hold the URL
without its password (``store.password`` in the keyring, like every secret).

SQLite is for one computer: its locking is not safe over a network share (SMB, NFS), where two
engines could each believe they hold the store. An SQLite store on a network share is refused
for an engine as soon as another computer has used it (``core/engine/lease.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .db import open_store, sqlite_url
from .migrate import NewerStoreError

DEFAULT_FILE = "console.sqlite"
#: what a store URL may start with (shown in messages and the settings' hint)
KINDS = ("sqlite:///", "postgresql+psycopg://", "mssql+pyodbc://")
#: file systems on which SQLite's locks cannot be trusted (Linux's names in /proc/mounts)
NETWORK_FILESYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ncpfs",
                                 "glusterfs", "ceph", "davfs", "fuse.rclone"})


class StoreError(Exception):
    """The store cannot be used; ``str()`` is one or two Polish sentences saying why."""


def store_url(setting: str, password: str, data_dir: Path) -> str:
    """The URL to open: the setting with the keyring's password put in, or the default file."""
    if not setting.strip():
        return sqlite_url(data_dir / DEFAULT_FILE)
    url = parse(setting)
    if password and not url.password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def parse(text: str) -> URL:
    """The URL of a setting, or ``StoreError`` saying what is wrong with it."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"Niepoprawny adres bazy konsoli „{text}”. Przykład: "
                         "postgresql+psycopg://linkoptima@serwer/linkoptima.") from exc
    if not any(text.strip().startswith(kind.rstrip("/")) for kind in KINDS):
        raise StoreError(f"Nieobsługiwany rodzaj bazy „{url.drivername}”: użyj jednego z {', '.join(KINDS)}.")
    return url


def describe(url: str) -> str:
    """The URL for a person to read: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(niepoprawny adres)"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None in memory or for a server)."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def on_network_share(path: Path, mounts: str | None = None) -> bool:
    """Whether ``path`` lies on a network file system (a UNC path or a mapped network drive on
    Windows; an NFS/SMB/… mount on Linux, from ``/proc/mounts`` or the ``mounts`` text given)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    target = os.path.abspath(text)
    best, kind = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind in NETWORK_FILESYSTEMS


def open_checked(url: str) -> sessionmaker[Session]:
    """Open (and migrate) the store, or raise ``StoreError`` with the reason in Polish; a store
    that cannot be opened is left as it was (a migration runs in one transaction)."""
    parse(url)
    path = sqlite_file(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Nie można utworzyć folderu bazy konsoli {path.parent}: {exc.strerror or exc}.") from exc
    try:
        return open_store(url)
    except NewerStoreError as exc:
        raise StoreError(str(exc)) from exc
    except (SQLAlchemyError, OSError, ImportError) as exc:
        raise StoreError(explain(exc, url)) from exc


def explain(exc: BaseException, url: str) -> str:
    """Why the store at ``url`` refused, in Polish (the driver's own words after a colon)."""
    where = describe(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return f"Niepoprawny adres bazy konsoli: {where}."
    host = parsed.host or "localhost"
    server = f"{host}:{parsed.port}" if parsed.port else host
    if isinstance(exc, (NoSuchModuleError, ImportError)):
        return (f"Brak sterownika bazy „{parsed.drivername}” ({exc}). Zainstaluj go: PostgreSQL — pakiet "
                "linkoptima[postgres], SQL Server — linkoptima[sqlserver] i sterownik ODBC Microsoftu.")
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    detail = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    text = str(original).lower()
    if "password authentication failed" in text or "login failed" in text or "no password supplied" in text:
        return (f"Serwer bazy {server} odrzucił użytkownika „{parsed.username or ''}” lub hasło: sprawdź je "
                "(hasło jest w magazynie haseł, pole „Hasło bazy”).")
    if "does not exist" in text and "database" in text or "cannot open database" in text:
        return (f"Na serwerze {server} nie ma bazy „{parsed.database}”: utwórz ją (pusta wystarczy, LinkOptima "
                f"sama założy tabele). {detail}")
    if "could not translate host name" in text or "name or service not known" in text \
            or "nodename nor servname" in text:
        return f"Nie znaleziono serwera bazy „{host}”: sprawdź jego nazwę w adresie."
    if "connection refused" in text or "could not connect" in text:
        return (f"Serwer bazy {server} nie przyjmuje połączeń: sprawdź, czy działa, czy port jest właściwy i "
                "czy zapora go przepuszcza.")
    if "timeout" in text or "timed out" in text:
        return f"Serwer bazy {server} nie odpowiada: sprawdź adres i połączenie z siecią."
    if "permission denied" in text:
        return (f"Użytkownik „{parsed.username or ''}” nie może tworzyć ani zmieniać tabel w bazie "
                f"„{parsed.database}”: nadaj mu prawa właściciela tej bazy. {detail}")
    if is_sqlite(url):
        return f"Nie można otworzyć pliku bazy konsoli {sqlite_file(url)}: {detail}."
    return f"Nie można połączyć się z bazą konsoli {where}: {detail}"


def dispose(sessions: sessionmaker[Session]) -> None:
    """Close the store's connections (the pool behind a session factory)."""
    bind = sessions.kw.get("bind")
    if isinstance(bind, Engine):
        bind.dispose()
