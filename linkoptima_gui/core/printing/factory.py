"""Printers are configured as one URL each, so the settings screen stores a single string per
packing station and a new back end only adds a scheme here.

Supported:
- ``file:///folder`` writes every label as a file into the folder (demo, hot folders);
- ``zpl://host[:port]`` sends raw ZPL over TCP, port 9100 when none is given;
- ``escpos://host[:port]`` a network receipt printer (ESC/POS, port 9100 by default): prints a
  packing slip, the label's picture or its tracking number with a barcode, then cuts;
- ``escpos+usb://VID:PID`` the same on USB (hex vendor and product id, e.g. ``04b8:0202``);
- ``escpos+serial:///dev/ttyUSB0?baudrate=9600`` (``escpos+serial://COM3`` on Windows) the
  same on a serial port, 9600 baud by default;
- ``system://printer name`` a printer installed in the operating system (CUPS, the Windows
  spooler), through Qt; ``system://`` alone is the default printer. It needs Qt, so the console
  registers it when its window starts (``register_scheme``); the core names no front end, and a
  process without one refuses the address like any unknown kind.

The ESC/POS forms take ``?profile=TM-T88V`` (a python-escpos printer profile: code pages for
Polish letters, paper width); the serial form also ``baudrate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from .escpos_printer import (
    DEFAULT_BAUDRATE,
    EscposNetworkPrinter,
    EscposSerialPrinter,
    EscposUsbPrinter,
    check_profile,
)
from .file_printer import FilePrinter, folder_from_url
from .port import Printer
from .zpl_printer import DEFAULT_PORT, ZplSocketPrinter

#: Opens the printer of one scheme from the address as typed and as split.
Opener = Callable[[str, SplitResult], Printer]

_openers: dict[str, Opener] = {}
#: How each registered scheme's address is written, in the order registered (for messages).
_forms: dict[str, str] = {}


def register_scheme(scheme: str, opener: Opener, form: str = "") -> None:
    """Let ``open_printer`` open ``scheme://`` addresses with ``opener``; ``form`` (e.g.
    ``zpl://host:port``) is how the address is written in the list of supported ones."""
    _openers[scheme.lower()] = opener
    if form:
        _forms[scheme.lower()] = form


def supported_forms() -> str:
    """Every printer address this process can open, as written (for hints and refusals)."""
    return ", ".join(_forms.values())


def open_printer(url: str) -> Printer:
    """The printer for ``url``; a ``ValueError`` with a readable (Polish) message for an address
    that cannot work, so the settings screen can reject it before the first parcel."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. an unbalanced '[' in the host
        raise ValueError(f"Nieprawidłowy adres drukarki {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if not scheme:
        raise ValueError(
            f"Adres drukarki {url!r} nie ma rodzaju (schematu). Obsługiwane: {supported_forms()}."
        )
    opener = _openers.get(scheme)
    if opener is None:
        raise ValueError(
            f"Nieobsługiwany rodzaj drukarki {scheme!r} w adresie {url!r}. Obsługiwane: {supported_forms()}."
        )
    return opener(text, parts)


# -- the core's schemes ------------------------------------------------------------------------


def _file_printer(url: str, parts: SplitResult) -> FilePrinter:
    return FilePrinter(folder_from_url(url), url=url)


def _zpl_printer(url: str, parts: SplitResult) -> ZplSocketPrinter:
    return ZplSocketPrinter(*_host_port(url, parts))


def _escpos_network_printer(url: str, parts: SplitResult) -> EscposNetworkPrinter:
    options = _options(url, parts, allowed=("profile",))
    host, port = _host_port(url, parts)
    return EscposNetworkPrinter(host, port, profile=_profile(url, options))


def _escpos_usb_printer(url: str, parts: SplitResult) -> EscposUsbPrinter:
    options = _options(url, parts, allowed=("profile",))
    found = re.fullmatch(r"(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})", parts.netloc.lower())
    if found is None or parts.path.strip("/"):
        raise ValueError(
            f"W adresie drukarki USB {url!r} podaj identyfikatory producenta i urządzenia "
            "szesnastkowo, np. escpos+usb://04b8:0202 (odczytasz je poleceniem lsusb "
            "lub w Menedżerze urządzeń)."
        )
    vendor, product = (int(part, 16) for part in found.groups())
    return EscposUsbPrinter(vendor, product, profile=_profile(url, options))


def _escpos_serial_printer(url: str, parts: SplitResult) -> EscposSerialPrinter:
    options = _options(url, parts, allowed=("profile", "baudrate"))
    # escpos+serial:///dev/ttyUSB0 (path) or escpos+serial://COM3 (Windows port as the "host")
    device = unquote(parts.netloc) if not parts.path else unquote(parts.path)
    if not device or (parts.netloc and parts.path):
        raise ValueError(
            f"W adresie drukarki szeregowej {url!r} brakuje portu: podaj go jak "
            "escpos+serial:///dev/ttyUSB0 (trzy ukośniki) albo escpos+serial://COM3."
        )
    baud_text = options.get("baudrate", str(DEFAULT_BAUDRATE))
    if not baud_text.isdigit() or not 300 <= int(baud_text) <= 4_000_000:
        raise ValueError(
            f"Nieprawidłowa prędkość (baudrate={baud_text}) w adresie drukarki {url!r}; "
            "zwykle 9600, 19200, 38400 lub 115200."
        )
    return EscposSerialPrinter(device, int(baud_text), profile=_profile(url, options))


def _host_port(url: str, parts: SplitResult) -> tuple[str, int]:
    host = parts.hostname
    if not host:
        raise ValueError(
            f"W adresie drukarki {url!r} brakuje nazwy lub adresu IP "
            f"(np. {parts.scheme.lower()}://192.168.1.50:9100)."
        )
    problem = f"Nieprawidłowy port w adresie drukarki {url!r} (dozwolone 1–65535)."
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(problem) from exc
    if port == 0:
        raise ValueError(problem)
    return host, port or DEFAULT_PORT


def _options(url: str, parts: SplitResult, *, allowed: tuple[str, ...]) -> dict[str, str]:
    """The ``?name=value`` options of the address; an unknown or repeated one is refused, so a
    typo does not silently fall back to a default."""
    try:
        values = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise ValueError(f"Nieprawidłowe parametry w adresie drukarki {url!r}.") from exc
    for name, given in values.items():
        if name not in allowed:
            raise ValueError(
                f"Nieznany parametr {name!r} w adresie drukarki {url!r}; dozwolone: {', '.join(allowed)}."
            )
        if len(given) > 1:
            raise ValueError(f"Parametr {name!r} powtarza się w adresie drukarki {url!r}.")
    return {name: given[0] for name, given in values.items()}


def _profile(url: str, options: dict[str, str]) -> str | None:
    name = options.get("profile")
    if name is not None and not check_profile(name):
        raise ValueError(
            f"Nieznany profil drukarki ESC/POS {name!r} w adresie {url!r} "
            "(nazwy jak TM-T88V, TM-T20II; bez parametru: profil ogólny)."
        )
    return name


register_scheme("file", _file_printer, "file:///folder")
register_scheme("zpl", _zpl_printer, "zpl://host:port")
register_scheme("escpos", _escpos_network_printer, "escpos://host:port")
register_scheme("escpos+usb", _escpos_usb_printer, "escpos+usb://VID:PID")
register_scheme("escpos+serial", _escpos_serial_printer, "escpos+serial:///dev/ttyUSB0?baudrate=9600")
