"""The operating system's printer through Qt (``system://``). There is no real printer here:
a missing one must be named with the ones that exist, and the page setup is checked on Qt's own
PDF output, read back with pypdf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinterInfo

from linkoptima_gui.core.printing.escpos_printer import PageImage
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.printing.port import PrinterError
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier
from linkoptima_gui.ui import printing
from linkoptima_gui.ui.printing import SystemPrinter

from ..shipping.samples import SENDER, make_request

LABEL_PT = (100 * 72 / 25.4, 150 * 72 / 25.4)  # 283.46 x 425.20


@pytest.fixture(autouse=True)
def _qt_application(qapp: object) -> None:
    """QPrinter needs the application object, as in the console."""


def fake_label(pdf: bytes, dpi: float) -> list[PageImage]:
    """Two 100x150 pages with a black block, at the dpi asked for."""
    width, height = round(100 / 25.4 * dpi), round(150 / 25.4 * dpi)
    page = Image.new("L", (width, height), 255)
    ImageDraw.Draw(page).rectangle((0, 0, width // 2, height // 3), fill=0)
    return [PageImage(page, *LABEL_PT), PageImage(page, *LABEL_PT)]


def _mediaboxes(path: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(path).pages]


class FakePrinterInfo:
    """The system's printers as Qt would list them on a station with two."""

    @staticmethod
    def availablePrinterNames() -> list[str]:  # Qt's names
        return ["HP LaserJet biuro", "Zebra ZD421"]

    @staticmethod
    def printerInfo(name: str = "") -> object:
        return QPrinterInfo()  # a null one: no such printer

    defaultPrinter = printerInfo


def test_an_unknown_printer_is_named_with_the_ones_there_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "QPrinterInfo", FakePrinterInfo)
    with pytest.raises(PrinterError) as info:
        open_printer("system://Zebra ZD420").print_label("1001", pdf=b"%PDF-1.4")
    assert info.value.reason == (
        "Nie ma drukarki systemowej 'Zebra ZD420' w tym komputerze. Dostępne drukarki: "
        "'HP LaserJet biuro', 'Zebra ZD421'. Popraw nazwę w ustawieniach stanowiska "
        "(system://nazwa drukarki)."
    )
    assert info.value.retryable
    assert info.value.details["available"] == ["HP LaserJet biuro", "Zebra ZD421"]


def test_a_computer_without_printers_says_so() -> None:
    """This machine has no print system: Qt lists no printer and there is no default one."""
    if printing.QPrinterInfo.availablePrinterNames():
        pytest.skip("this machine has printers installed")
    with pytest.raises(PrinterError, match="Nie ma drukarki systemowej 'Zebra'.*nie zainstalowano żadnej"):
        open_printer("system://Zebra").print_label("1001", pdf=b"%PDF-1.4")
    with pytest.raises(PrinterError, match="Nie ustawiono domyślnej drukarki"):
        open_printer("system://").print_label("1001", pdf=b"%PDF-1.4")


def test_pages_go_out_at_100x150_mm_without_margins(tmp_path: Path) -> None:
    out = tmp_path / "etykieta.pdf"
    asked: list[float] = []

    def render(pdf: bytes, dpi: float) -> list[PageImage]:
        asked.append(dpi)
        return fake_label(pdf, dpi)

    where = SystemPrinter("Zebra", output_file=out, render=render).print_label("etykieta-1001", pdf=b"%PDF")
    assert where == "drukarka systemowa 'Zebra' (2 str., etykieta-1001)"
    assert asked == [printing.MAX_RENDER_DPI]  # Qt's PDF output is 1200 dpi: drawn no finer than 300
    boxes = _mediaboxes(out)
    assert len(boxes) == 2
    for width, height in boxes:
        assert width == pytest.approx(LABEL_PT[0], abs=1) and height == pytest.approx(LABEL_PT[1], abs=1)
    page = PdfReader(out).pages[0]
    images = list(page.images)
    assert len(images) == 1 and images[0].image.size == (1181, 1772)  # the whole page, not scaled


def test_the_carriers_label_drawn_by_pypdfium2(tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2")
    carrier = BuiltinCarrier(tmp_path / "carrier", SENDER)
    pdf = carrier.fetch_label(carrier.create_shipment(make_request()), "pdf")
    out = tmp_path / "etykieta.pdf"
    SystemPrinter("", output_file=out).print_label("etykieta-1001", pdf=pdf)
    (width, height), = _mediaboxes(out)
    assert (width, height) == (pytest.approx(LABEL_PT[0], abs=1), pytest.approx(LABEL_PT[1], abs=1))


def test_without_a_pdf_renderer_the_packer_is_told_what_is_missing(tmp_path: Path) -> None:
    printer = SystemPrinter("Zebra", output_file=tmp_path / "x.pdf", render=lambda pdf, dpi: None)
    with pytest.raises(PrinterError) as info:
        printer.print_label("1001", pdf=b"%PDF-1.4")
    assert "potrzebny jest pakiet pypdfium2" in info.value.reason
    assert info.value.code == "printer_setup"
    assert not (tmp_path / "x.pdf").exists()


def test_an_unreadable_pdf_is_reported(tmp_path: Path) -> None:
    def broken(pdf: bytes, dpi: float) -> list[PageImage]:
        raise ValueError("nieczytelny plik PDF (Failed to load document)")

    with pytest.raises(PrinterError, match="Nie można wydrukować etykiety 1001: nieczytelny plik PDF"):
        SystemPrinter("Zebra", output_file=tmp_path / "x.pdf", render=broken).print_label("1001", pdf=b"%PDF")


def test_a_zpl_only_label_cannot_be_printed(tmp_path: Path) -> None:
    printer = SystemPrinter("Zebra", output_file=tmp_path / "x.pdf", render=fake_label)
    with pytest.raises(PrinterError) as info:
        printer.print_label("1001", zpl=b"^XA^XZ")
    assert info.value.code == "printer_format"
    assert info.value.reason.startswith("Drukarka systemowa 'Zebra' drukuje etykiety PDF")
    with pytest.raises(ValueError):
        printer.print_label("1001")


def test_outside_the_qt_application_printing_is_refused_not_a_crash() -> None:
    """Qt aborts the process on a QPrinter made before the application object."""
    code = (
        "import linkoptima_gui.ui\n"
        "from linkoptima_gui.core.printing.factory import open_printer\n"
        "from linkoptima_gui.core.printing.port import PrinterError\n"
        "try:\n"
        "    open_printer('system://Zebra').print_label('1001', pdf=b'%PDF-1.4')\n"
        "except PrinterError as exc:\n"
        "    print(exc.reason)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == (
        "Drukarka systemowa 'Zebra' drukuje tylko z okna konsoli LinkOptima (aplikacji Qt)."
    )
