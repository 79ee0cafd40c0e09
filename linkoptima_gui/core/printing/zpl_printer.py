"""Raw ZPL over TCP (``zpl://host:9100``): the way Zebra-compatible label printers are fed.

The label bytes go out unchanged on one short connection (connect, sendall, shutdown, close);
carrier ZPL is already made for the printer and must not be touched. Every network wait has a
deadline, because the packer is standing at the station waiting for the label: an offline
printer must turn into a clear error within seconds, never into a frozen button. Jobs for one
printer are serialised, since a raw port serves one connection at a time and a second one
would wait (or be refused) anyway.
"""

from __future__ import annotations

import socket
import threading
import time

from .port import PrinterError

DEFAULT_PORT = 9100
CONNECT_TIMEOUT = 2.0
SEND_TIMEOUT = 10.0

_locks: dict[tuple[str, int], threading.Lock] = {}
_locks_guard = threading.Lock()


def printer_lock(host: str, port: int) -> threading.Lock:
    """One lock per physical printer, shared by every printer object that points at it."""
    key = (host.lower(), port)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class ZplSocketPrinter:
    """Sends ZPL to ``host:port``; raises ``PrinterError`` (Polish reason) when it cannot."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        if not host:
            raise ValueError("ZplSocketPrinter needs a host")
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.send_timeout = send_timeout
        self.url = f"zpl://{host}:{port}"
        self._lock = printer_lock(host, port)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _error(
        self, reason: str, exc: BaseException | None = None, *, code: str | None = None
    ) -> PrinterError:
        details = {"printer": self.url, "host": self.host, "port": self.port}
        if exc is not None:
            details["error"] = f"{type(exc).__name__}: {exc}"
        return PrinterError(reason, code=code, details=details)

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        """Send the ZPL; a PDF alone cannot be printed here (the printer speaks only ZPL)."""
        if zpl is None:
            raise self._error(
                f"Drukarka {self.address} drukuje tylko etykiety ZPL, a etykieta jest dostępna "
                "wyłącznie jako PDF. Wybierz format ZPL u przewoźnika albo inną drukarkę.",
                code="printer_format",
            )
        if not zpl.strip():
            raise ValueError(f"empty ZPL label for job {job_name!r}")
        wait = self.connect_timeout + self.send_timeout + 1.0
        if not self._lock.acquire(timeout=wait):
            raise self._error(f"Drukarka {self.address} jest zajęta innym wydrukiem; spróbuj ponownie.")
        try:
            self._send(zpl)
        finally:
            self._lock.release()
        return f"{self.address} ({len(zpl)} B, {job_name})"

    def probe(self) -> str:
        """Open the printer's port and close it without sending a byte (the settings screen's
        "Testuj połączenie"): a raw port prints only what it receives, so nothing comes out."""
        self._connect().close()
        return f"Drukarka {self.address} odpowiada."

    def _connect(self) -> socket.socket:
        """Connect with one deadline over all the host's addresses (IPv6 and IPv4 of a name
        would otherwise each get the full timeout)."""
        deadline = time.monotonic() + self.connect_timeout
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise self._error(
                f"Nieznany adres drukarki {self.host}: sprawdź nazwę lub adres IP.", exc
            ) from exc
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock = socket.socket(family, kind, proto)
            sock.settimeout(remaining)
            try:
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last = exc
        if isinstance(last, ConnectionRefusedError):
            raise self._error(
                f"Drukarka {self.address} nie odpowiada (połączenie odrzucone). "
                "Sprawdź, czy jest włączona i podłączona do sieci.",
                last,
            ) from last
        if last is None or isinstance(last, TimeoutError):
            raise self._error(
                f"Drukarka {self.address} nie odpowiada (brak połączenia w ciągu "
                f"{self.connect_timeout:g} s). Sprawdź zasilanie, kabel sieciowy i adres IP.",
                last,
            ) from last
        raise self._error(f"Drukarka {self.address} nie odpowiada: {last.strerror or last}.", last) from last

    def _send(self, data: bytes) -> None:
        sock = self._connect()
        with sock:
            # since Python 3.5 the timeout bounds the whole sendall, not each chunk
            sock.settimeout(self.send_timeout)
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            except TimeoutError as exc:
                raise self._error(
                    f"Drukarka {self.address} nie przyjęła etykiety w ciągu {self.send_timeout:g} s "
                    "(zajęta, zacięta lub bez papieru).",
                    exc,
                ) from exc
            except OSError as exc:
                raise self._error(
                    f"Połączenie z drukarką {self.address} zostało przerwane podczas wysyłania etykiety: "
                    f"{exc.strerror or exc}.",
                    exc,
                ) from exc

    def __repr__(self) -> str:
        return f"ZplSocketPrinter({self.url!r})"
