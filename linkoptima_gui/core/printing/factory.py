"""Printers are configured as one URL each, so the settings screen stores a single string per
packing station and new back ends (ESC/POS, the Windows spooler) only add a scheme here.

Supported:
- ``file:///folder`` writes every label as a file into the folder (demo, hot folders);
- ``zpl://host[:port]`` sends raw ZPL over TCP, port 9100 when none is given.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from .file_printer import FilePrinter, folder_from_url
from .port import Printer
from .zpl_printer import DEFAULT_PORT, ZplSocketPrinter

SUPPORTED = "file:///folder, zpl://host:port"


def open_printer(url: str) -> Printer:
    """The printer for ``url``; a ``ValueError`` with a readable (Polish) message for an address
    that cannot work, so the settings screen can reject it before the first parcel."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. an unbalanced '[' in the host
        raise ValueError(f"Nieprawidłowy adres drukarki {url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme == "file":
        return FilePrinter(folder_from_url(text), url=text)
    if scheme == "zpl":
        return _zpl_printer(text, parts)
    if not scheme:
        raise ValueError(f"Adres drukarki {url!r} nie ma rodzaju (schematu). Obsługiwane: {SUPPORTED}.")
    raise ValueError(
        f"Nieobsługiwany rodzaj drukarki {scheme!r} w adresie {url!r}. Obsługiwane: {SUPPORTED}."
    )


def _zpl_printer(url: str, parts: SplitResult) -> ZplSocketPrinter:
    host = parts.hostname
    if not host:
        raise ValueError(
            f"W adresie drukarki {url!r} brakuje nazwy lub adresu IP (np. zpl://192.168.1.50:9100)."
        )
    problem = f"Nieprawidłowy port w adresie drukarki {url!r} (dozwolone 1–65535)."
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(problem) from exc
    if port == 0:
        raise ValueError(problem)
    return ZplSocketPrinter(host, port or DEFAULT_PORT)
