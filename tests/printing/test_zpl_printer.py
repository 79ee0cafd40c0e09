"""The raw ZPL printer against real loopback sockets: the bytes arrive unchanged, and every way
a printer can be offline or stuck ends in a PrinterError within seconds."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.printing.port import PrinterError
from linkoptima_gui.core.printing.zpl_printer import ZplSocketPrinter, printer_lock

ZPL = "^XA^CI28^FO50,50^A0N,40,40^FDZażółć gęślą jaźń^FS^XZ".encode()


class FakePrinter:
    """A raw port on loopback: accepts one connection and reads it to the end."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = bytearray()
        self.connected = threading.Event()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        self.connected.set()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        if not self.connected.is_set():  # closing alone does not wake a blocked accept()
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.thread.join(timeout=5)
        self.sock.close()
        assert not self.thread.is_alive()


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    server = FakePrinter()
    yield server
    server.close()


def test_sends_exactly_the_bytes(fake_printer: FakePrinter) -> None:
    printer = open_printer(f"zpl://127.0.0.1:{fake_printer.port}")
    where = printer.print_label("1001-label-1", pdf=b"%PDF ignored", zpl=ZPL)
    assert fake_printer.done.wait(timeout=5)  # the printer saw the end of the job (EOF)
    assert bytes(fake_printer.received) == ZPL
    assert f"127.0.0.1:{fake_printer.port}" in where


def test_sends_a_big_label_whole(fake_printer: FakePrinter) -> None:
    big = b"^XA" + bytes(range(256)) * 8000 + b"^XZ"  # ~2 MB, e.g. a label with graphics
    ZplSocketPrinter("127.0.0.1", fake_printer.port).print_label("big", zpl=big)
    assert fake_printer.done.wait(timeout=5)
    assert bytes(fake_printer.received) == big


def test_a_pdf_alone_cannot_be_printed(fake_printer: FakePrinter) -> None:
    printer = ZplSocketPrinter("127.0.0.1", fake_printer.port)
    with pytest.raises(PrinterError) as info:
        printer.print_label("1001-label-1", pdf=b"%PDF-1.4")
    assert info.value.code == "printer_format"
    assert "ZPL" in info.value.reason
    assert not fake_printer.connected.is_set()


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


def test_printer_switched_off_fails_fast() -> None:
    port = _closed_port()
    started = time.monotonic()
    with pytest.raises(PrinterError) as info:
        open_printer(f"zpl://127.0.0.1:{port}").print_label("1001-label-1", zpl=ZPL)
    assert time.monotonic() - started < 3
    assert f"Drukarka 127.0.0.1:{port} nie odpowiada" in info.value.reason
    assert info.value.retryable
    assert info.value.details["port"] == port


def test_printer_that_does_not_answer_times_out_within_3_s(unanswered_port: int) -> None:
    """A full accept queue drops our SYN, like a printer whose address leads nowhere."""
    started = time.monotonic()
    with pytest.raises(PrinterError) as info:
        open_printer(f"zpl://127.0.0.1:{unanswered_port}").print_label("1001-label-1", zpl=ZPL)
    assert time.monotonic() - started < 3
    assert "nie odpowiada" in info.value.reason


def test_printer_that_accepts_but_never_reads_times_out() -> None:
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited by accepted sockets
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        printer = ZplSocketPrinter("127.0.0.1", port, send_timeout=1.0)
        started = time.monotonic()
        with pytest.raises(PrinterError) as info:
            printer.print_label("stuck", zpl=b"^XA" + b"x" * 32_000_000 + b"^XZ")
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert "nie przyjęła etykiety" in info.value.reason


def test_one_print_at_a_time_per_printer(fake_printer: FakePrinter) -> None:
    """Two printer objects for one address share a lock; a print waits for the one before."""
    first = ZplSocketPrinter("127.0.0.1", fake_printer.port)
    second = open_printer(f"zpl://127.0.0.1:{fake_printer.port}")
    assert printer_lock("127.0.0.1", fake_printer.port) is first._lock
    errors: list[BaseException] = []

    def print_second() -> None:
        try:
            second.print_label("second", zpl=ZPL)
        except BaseException as exc:
            errors.append(exc)

    with first._lock:  # as if the first print were still sending
        worker = threading.Thread(target=print_second)
        worker.start()
        assert not fake_printer.connected.wait(timeout=0.3)  # it waits for the lock
    worker.join(timeout=5)
    assert not worker.is_alive() and not errors
    assert fake_printer.done.wait(timeout=5) and bytes(fake_printer.received) == ZPL


def test_a_printer_busy_too_long_is_reported(fake_printer: FakePrinter) -> None:
    printer = ZplSocketPrinter("127.0.0.1", fake_printer.port, connect_timeout=0.1, send_timeout=0.1)
    with printer._lock, pytest.raises(PrinterError) as info:
        printer.print_label("1001-label-1", zpl=ZPL)
    assert "zajęta" in info.value.reason
