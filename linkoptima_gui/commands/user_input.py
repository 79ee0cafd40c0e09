"""What a person typed, checked before anything starts, and the failures they are told of.

Why here and not where the values are used: a folder that is a file, a port out of range or a
URL Python cannot parse surface deep inside (``os.mkdir``, ``urllib``, ``socket.bind``) as
English tracebacks. Checked at the door they become one Polish line and exit code 2, and the
command has not half-started anything. A check that ran and found the outside unusable (a shop
that refuses the keys) is not bad input: its command exits 1 (``CheckFailed``).
"""

from __future__ import annotations

import argparse
import errno
import math
from pathlib import Path
from urllib.parse import urlsplit

#: exit codes: bad input (nothing was tried), a check that failed, an unexpected error
EXIT_BAD_INPUT, EXIT_FAILED = 2, 1


class BadInput(Exception):
    """The command line (or the settings) cannot work; ``str()`` is one Polish sentence."""


class CheckFailed(Exception):
    """What was asked for was tried and did not work; ``str()`` is one Polish sentence."""


def whole_number(minimum: int, maximum: int | None = None) -> type[int] | object:
    """An argparse ``type=`` for a whole number within bounds, refused in Polish."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} nie jest liczbą całkowitą") from None
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" do {maximum}" if maximum is not None else ""
            raise argparse.ArgumentTypeError(f"{value} jest poza zakresem (dozwolone od {minimum}{upper})")
        return value
    return parse


def seconds(minimum: float = 0.0) -> object:
    """An argparse ``type=`` for a number of seconds (finite, at least ``minimum``)."""
    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} nie jest liczbą sekund") from None
        if not math.isfinite(value) or value < minimum:
            raise argparse.ArgumentTypeError(f"{text} s: dozwolone co najmniej {minimum:g} s")
        return value
    return parse


def percent(text: str) -> float:
    """An argparse ``type=`` for a percent from 0 to 100, refused in Polish."""
    try:
        value = float(text.replace(",", ".").rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} nie jest liczbą procent") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text}: dozwolone od 0 do 100 %")
    return value


PORT = whole_number(0, 65535)


def usable_folder(path: Path, what: str = "Folder świata demo") -> Path:
    """``path`` as a folder that exists (made when missing), or ``BadInput`` saying why not."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise BadInput(f"{what} {path} jest plikiem, a nie folderem: podaj folder (nowy albo istniejący).")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = {errno.EACCES: "brak uprawnień", errno.EROFS: "system plików tylko do odczytu",
                  errno.ENOTDIR: "część ścieżki jest plikiem", errno.ENOENT: "nie istnieje nadrzędny folder"}
        raise BadInput(f"Nie można utworzyć folderu {path}: "
                       f"{reason.get(exc.errno or 0, exc.strerror or exc.__class__.__name__)}.") from None
    return path


def shop_url(text: str) -> str:
    """A shop's address as ``http(s)://host[:port][/path]``, or ``BadInput`` in Polish."""
    text = text.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port out of range or not a number
    except ValueError as exc:
        why = ("port poza zakresem 1–65535" if "port" in str(exc).lower()
               else "niedomknięty nawias adresu IPv6 albo niedozwolony znak")
        raise BadInput(f"Adres sklepu {text!r} jest niepoprawny: {why}.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"Adres sklepu {text!r} musi zaczynać się od https:// (lub http://) i zawierać "
                       "nazwę serwera, np. https://sklep.pl.")
    if port == 0:
        raise BadInput(f"Adres sklepu {text!r}: port 0 nie jest portem serwera (dozwolone 1–65535).")
    return text


def required(value: str, option: str, what: str) -> str:
    """``value``, or ``BadInput`` naming the option that must be given."""
    if not value.strip():
        raise BadInput(f"Podaj {what} ({option}).")
    return value


def port_in_use(exc: OSError, port: int) -> BadInput | None:
    """The Polish refusal for a port another program holds (None: another failure)."""
    if exc.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
        busy = "jest zajęty przez inny program" if exc.errno != errno.EACCES else "wymaga uprawnień administratora"
        return BadInput(f"Port {port} {busy}: podaj inny (--port) albo 0, by wybrać wolny.")
    return None
