"""ESC/POS receipt printers: the packing slip's bytes as a real printer receives them on its
raw port, the label's picture when pypdfium2 can draw it, and clear errors for USB and serial
printers that are not there (no hardware here: fake connections stand in for the device)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy, Serial, Usb
from PIL import Image

from linkoptima_gui.core.printing import escpos_printer
from linkoptima_gui.core.printing.escpos_printer import (
    EscposNetworkPrinter,
    EscposPrinter,
    EscposSerialPrinter,
    EscposUsbPrinter,
    PageImage,
    tracking_from_zpl,
)
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.printing.port import PrinterError
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier

from ..shipping.samples import SENDER, make_request
from .test_zpl_printer import FakePrinter

ESC_INIT = b"\x1b@"
GS_CUT = b"\x1dV"
GS_CODE128 = b"\x1dkI"  # GS k, function B, type 73 (Code 128)
GS_RASTER = b"\x1dv0"  # GS v 0: a raster picture
TRACKING = "600012345678901234567890"
ZPL = f"^XA^CI28^FO40,40^BY3^BCN,190,N,N,N,A^FH^FD{TRACKING}^FS^XZ".encode()
LABEL_PT = (100 * 72 / 25.4, 150 * 72 / 25.4)


@pytest.fixture
def station() -> Iterator[FakePrinter]:
    server = FakePrinter()
    yield server
    server.close()


@pytest.fixture
def no_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a station without pypdfium2."""
    monkeypatch.setattr(escpos_printer, "render_pdf_pages", lambda *args, **kwargs: None)


def _label(tmp_path: Path, fmt: str) -> tuple[str, bytes]:
    carrier = BuiltinCarrier(tmp_path / "carrier", SENDER)
    shipment = carrier.create_shipment(make_request())
    return shipment.tracking_number, carrier.fetch_label(shipment, fmt)


def test_the_slip_reaches_a_network_printer(station: FakePrinter) -> None:
    printer = open_printer(f"escpos://127.0.0.1:{station.port}")
    where = printer.print_label("etykieta-1001-abc", zpl=ZPL)
    assert station.done.wait(timeout=5)
    data = bytes(station.received)
    assert data.startswith(ESC_INIT)
    assert b"etykieta-1001-abc" in data
    assert f"Przesy\x1bt\x12\x88ka: {TRACKING}".encode("latin-1") in data  # "ł" in CP852 (ESC t 18)
    assert GS_CODE128 + bytes([14]) + b"{C" in data  # subset C: 12 digit pairs
    assert data.endswith(GS_CUT + b"\x00")
    assert where == f"127.0.0.1:{station.port} ({len(data)} B, etykieta-1001-abc)"


def test_the_tracking_number_is_read_from_a_carrier_label(tmp_path: Path) -> None:
    tracking, zpl = _label(tmp_path, "zpl")
    assert tracking_from_zpl(zpl) == tracking


@pytest.mark.parametrize(
    ("zpl", "expected"),
    [
        (b"^XA^BY3^BCN,100,Y,N,N^FD>;600012345678^FS^XZ", "600012345678"),  # subset switch dropped
        (b"^XA^BCN,100^FH^FDAB_2D123456^FS^XZ", "AB-123456"),  # hex escape decoded
        (b"^XA^FO1,1^A0N,30^FDno barcode here^FS^XZ", None),
        (b"^XA^BCN,100^FS^FO1,1^FDnot the barcode's field^FS^XZ", None),
        (b"^XA^BCN,100^FD^FS^XZ", None),
    ],
)
def test_tracking_from_zpl(zpl: bytes, expected: str | None) -> None:
    assert tracking_from_zpl(zpl) == expected


def test_a_tracking_number_too_wide_for_a_barcode_gets_a_qr_code() -> None:
    zpl = b"^XA^BCN,100^FDAB1234567890123456789012XY^FS^XZ"
    data = EscposPrinter("escpos://test").slip("1001", zpl=zpl)
    assert b"AB1234567890123456789012XY" in data  # printed as text too
    assert GS_CODE128 not in data and GS_RASTER in data


@pytest.mark.usefixtures("no_renderer")
def test_a_pdf_label_without_a_renderer_gives_a_text_slip() -> None:
    data = EscposPrinter("escpos://test").slip("etykieta-1001-abc", pdf=b"%PDF-1.4")
    assert data.startswith(ESC_INIT) and b"etykieta-1001-abc" in data
    assert b"na etykiecie przewo" in data
    assert GS_RASTER not in data and data.endswith(GS_CUT + b"\x00")


def test_a_pdf_label_is_printed_as_a_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[dict[str, object]] = []

    def render(pdf: bytes, **kwargs: object) -> list[PageImage]:
        asked.append(kwargs)
        return [PageImage(Image.new("L", (512, 768), 0), *LABEL_PT)]

    monkeypatch.setattr(escpos_printer, "render_pdf_pages", render)
    data = EscposPrinter("escpos://test").slip("1001", pdf=b"%PDF-1.4", zpl=ZPL)
    assert asked == [{"width_px": 512, "max_pages": 1}]
    assert data.startswith(ESC_INIT) and data.endswith(GS_CUT + b"\x00")
    assert GS_RASTER + b"\x00" + (64).to_bytes(2, "little") + (768).to_bytes(2, "little") in data
    assert b"\xff" * 64 in data  # a black picture: every dot set
    assert TRACKING.encode() not in data  # the picture instead of the text slip


def test_an_unreadable_pdf_falls_back_to_the_text_slip(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(pdf: bytes, **kwargs: object) -> list[PageImage]:
        raise ValueError("nieczytelny plik PDF")

    monkeypatch.setattr(escpos_printer, "render_pdf_pages", broken)
    data = EscposPrinter("escpos://test").slip("1001", pdf=b"%PDF-broken", zpl=ZPL)
    assert TRACKING.encode() in data and GS_CODE128 in data


def test_the_carriers_pdf_label_drawn_by_pypdfium2(tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2")
    _, pdf = _label(tmp_path, "pdf")
    data = EscposPrinter("escpos://test").slip("1001", pdf=pdf)
    assert GS_RASTER + b"\x00" + (64).to_bytes(2, "little") + (768).to_bytes(2, "little") in data
    assert EscposPrinter("escpos://test").slip("1001", pdf=b"%PDF-1.4 broken").find(b"1001") > 0


# -- USB and serial: no device here ------------------------------------------------------------


class FakeDevice(Dummy):
    """Stands in for python-escpos's Usb/Serial connection: collects what is written."""

    def __init__(self, fail_open: Exception | None = None, fail_write: Exception | None = None) -> None:
        super().__init__()
        self.fail_open, self.fail_write = fail_open, fail_write
        self.closed = False

    def open(self, raise_not_found: bool = True) -> None:
        if self.fail_open is not None:
            raise self.fail_open

    def _raw(self, msg: bytes) -> None:
        if self.fail_write is not None:
            raise self.fail_write
        super()._raw(msg)

    def close(self) -> None:
        self.closed = True


def _usb_with(monkeypatch: pytest.MonkeyPatch, device: FakeDevice) -> EscposUsbPrinter:
    printer = open_printer("escpos+usb://04b8:0202")
    assert isinstance(printer, EscposUsbPrinter)
    monkeypatch.setattr(printer, "_connection", lambda: device)
    return printer


def test_a_usb_printer_gets_the_slip(monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeDevice()
    where = _usb_with(monkeypatch, device).print_label("etykieta-1001-abc", zpl=ZPL)
    assert device.output.startswith(ESC_INIT) and device.output.endswith(GS_CUT + b"\x00")
    assert device.closed
    assert where.startswith("USB 04b8:0202 (")


def test_an_absent_usb_printer_is_reported_in_polish(monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeDevice(fail_open=DeviceNotFoundError("USB device not found"))  # as python-escpos says it
    with pytest.raises(PrinterError) as info:
        _usb_with(monkeypatch, device).print_label("1001", zpl=ZPL)
    assert info.value.reason.startswith("Nie znaleziono drukarki USB 04b8:0202. Sprawdź, czy jest podłączona")
    assert info.value.retryable
    assert info.value.details["printer"] == "escpos+usb://04b8:0202"


def test_a_usb_printer_that_stops_mid_job_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeDevice(fail_write=OSError(5, "Input/output error"))
    with pytest.raises(PrinterError, match="Drukarka USB 04b8:0202 nie przyjęła wydruku"):
        _usb_with(monkeypatch, device).print_label("1001", zpl=ZPL)
    assert device.closed


@pytest.mark.parametrize(
    ("url", "connection", "package"),
    [
        ("escpos+usb://04b8:0202", Usb, "pyusb"),
        ("escpos+serial:///dev/ttyUSB0?baudrate=9600", Serial, "pyserial"),
    ],
)
def test_a_missing_driver_package_is_named(
    monkeypatch: pytest.MonkeyPatch, url: str, connection: type, package: str
) -> None:
    monkeypatch.setattr(connection, "is_usable", staticmethod(lambda: False))
    with pytest.raises(PrinterError) as info:
        open_printer(url).print_label("1001", zpl=ZPL)
    assert f"wymaga pakietu {package}" in info.value.reason
    assert "python-escpos[" in info.value.reason
    assert info.value.code == "printer_setup"


@pytest.mark.skipif(not Serial.is_usable(), reason="pyserial (python-escpos[serial]) is not installed")
def test_an_absent_serial_port_is_reported_in_polish(tmp_path: Path) -> None:
    port = tmp_path / "ttyUSB9"
    with pytest.raises(PrinterError) as info:
        open_printer(f"escpos+serial://{port}?baudrate=19200").print_label("1001", zpl=ZPL)
    assert info.value.reason.startswith(f"Nie znaleziono drukarki na porcie {port}.")


def test_printers_name_their_address() -> None:
    assert repr(EscposNetworkPrinter("10.0.0.5", profile="TM-T88V")) == (
        "EscposNetworkPrinter('escpos://10.0.0.5:9100?profile=TM-T88V')"
    )
    assert EscposSerialPrinter("COM3").url == "escpos+serial://COM3?baudrate=9600"


def test_a_label_is_needed() -> None:
    with pytest.raises(ValueError):
        EscposPrinter("escpos://test").print_label("1001")
