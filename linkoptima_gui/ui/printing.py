"""Printers installed in the operating system (``system://printer name``), through Qt.

The one printer that needs Qt, so it lives in the UI package, whose start registers the scheme
with the core's printer factory (``linkoptima_gui.ui``; this module is imported on the first
``system://`` address, so a station without one never loads Qt's print support). The label PDF is drawn page by page into a picture and
painted on a ``QPrinter`` set to the page's own size (100x150 mm for a carrier label) with no
margins, so the driver neither scales nor shifts the barcode. PySide6-Essentials has no Qt PDF
module (QtPdf ships in PySide6-Addons), so the pages are drawn by pypdfium2, the same renderer
as the ESC/POS slip; without it a PDF cannot be printed here and the packer is told so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import SplitResult, unquote

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from ..core.printing.escpos_printer import PageImage, render_pdf_pages
from ..core.printing.port import PrinterError

#: Resolution the pages are drawn at: the printer's own, but no finer than this (a 1200 dpi
#: picture of a label is 130 MB and no sharper on a 203 or 300 dpi thermal head).
MAX_RENDER_DPI = 300

#: Draws the PDF's pages at the dpi given; ``None`` when no renderer is installed.
Renderer = Callable[[bytes, float], "list[PageImage] | None"]


def _render_with_pdfium(pdf: bytes, dpi: float) -> list[PageImage] | None:
    return render_pdf_pages(pdf, dpi=dpi)


class SystemPrinter:
    """Prints label PDFs on the system printer ``name`` (``""``: the default printer).

    ``output_file`` sends the pages to a PDF file through Qt instead of a printer (checks and
    tests: Qt's own PDF output, same page setup); ``render`` replaces the PDF renderer.
    """

    def __init__(
        self, name: str, *, output_file: Path | None = None, render: Renderer = _render_with_pdfium
    ) -> None:
        self.name = name
        self.output_file = output_file
        self.render = render
        self.url = f"system://{name}"

    @property
    def where(self) -> str:
        return f"drukarka systemowa {self.name!r}" if self.name else "domyślna drukarka systemowa"

    @property
    def where_at_start(self) -> str:
        """``where`` at the start of a sentence."""
        return self.where[:1].upper() + self.where[1:]

    def _error(self, reason: str, *, code: str | None = None, **details: object) -> PrinterError:
        return PrinterError(reason, code=code, details={"printer": self.url, **details})

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        if pdf is None:
            if zpl is None:
                raise ValueError("print_label needs the label as pdf or zpl")
            raise self._error(
                f"{self.where_at_start} drukuje etykiety PDF, a etykieta jest dostępna wyłącznie "
                "jako ZPL. Wybierz format PDF u przewoźnika albo drukarkę zpl://.",
                code="printer_format",
            )
        if not isinstance(QCoreApplication.instance(), QGuiApplication):
            # without one Qt aborts the whole process on the first QPrinter
            raise self._error(
                f"{self.where_at_start} drukuje tylko z okna konsoli LinkOptima (aplikacji Qt).",
                code="printer_setup",
            )
        printer = self._printer(job_name)
        dpi = min(printer.resolution(), MAX_RENDER_DPI)
        try:
            pages = self.render(pdf, dpi)
        except ValueError as exc:
            raise self._error(f"Nie można wydrukować etykiety {job_name}: {exc}.", code="printer_format") from exc
        if pages is None:
            raise self._error(
                "Do drukowania etykiet PDF na drukarce systemowej potrzebny jest pakiet pypdfium2 "
                "(pip install pypdfium2), którego tu nie zainstalowano.",
                code="printer_setup",
            )
        if not pages:
            raise self._error(f"Etykieta {job_name} (PDF) nie ma żadnej strony.", code="printer_format")
        self._paint(printer, pages)
        return f"{self.where} ({len(pages)} str., {job_name})"

    def _printer(self, job_name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.output_file is not None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.output_file))
        else:
            # checked first: Qt would silently fall back to another printer (or a PDF file)
            info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
            if info.isNull():
                raise self._unknown_printer()
            printer.setPrinterName(info.printerName())
        printer.setDocName(job_name)
        printer.setFullPage(True)
        return printer

    def probe(self) -> str:
        """Whether the system knows this printer, without printing (the settings screen's check).
        Only the printer list is asked, so no QPrinter (and no Qt application) is needed."""
        info = QPrinterInfo.printerInfo(self.name) if self.name else QPrinterInfo.defaultPrinter()
        if info.isNull():
            raise self._unknown_printer()
        return f"{self.where_at_start} jest zainstalowana ({info.printerName()})."

    def _unknown_printer(self) -> PrinterError:
        available = QPrinterInfo.availablePrinterNames()
        missing = f"Nie ma drukarki systemowej {self.name!r}" if self.name else "Nie ustawiono domyślnej drukarki"
        if available:
            listed = "Dostępne drukarki: " + ", ".join(repr(name) for name in available)
        else:
            listed = "W systemie nie zainstalowano żadnej drukarki"
        return self._error(
            f"{missing} w tym komputerze. {listed}. Popraw nazwę w ustawieniach stanowiska "
            "(system://nazwa drukarki).",
            available=available,
        )

    def _paint(self, printer: QPrinter, pages: list[PageImage]) -> None:
        first = pages[0]
        size = QPageSize(
            QSizeF(first.width_pt, first.height_pt), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch
        )
        layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        if not printer.setPageLayout(layout):
            raise self._error(f"{self.where_at_start} nie przyjmuje stron {_mm(first)}.")
        painter = QPainter()
        if not painter.begin(printer):
            raise self._error(f"Nie można rozpocząć wydruku: {self.where} jest niedostępna.")
        try:
            for index, page in enumerate(pages):
                if index and not printer.newPage():
                    raise self._error(f"{self.where_at_start} przerwała wydruk na stronie {index + 1}.")
                target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                painter.drawImage(target, _qimage(page))
        finally:
            finished = painter.end()
        if not finished:
            raise self._error(f"{self.where_at_start} nie przyjęła wydruku.")

    def __repr__(self) -> str:
        return f"SystemPrinter({self.url!r})"


def _qimage(page: PageImage) -> QImage:
    picture = page.image.convert("L")
    data = picture.tobytes()
    width, height = picture.size
    return QImage(data, width, height, width, QImage.Format.Format_Grayscale8).copy()


def _mm(page: PageImage) -> str:
    return f"{page.width_pt * 25.4 / 72:.0f}x{page.height_pt * 25.4 / 72:.0f} mm"


def open_system_printer(url: str, parts: SplitResult) -> SystemPrinter:
    """``system://Zebra ZD421`` -> that printer; ``system://`` -> the default one. The name is
    everything after ``system://`` (percent-decoded), spaces and backslashes included."""
    name = unquote(url.split("://", 1)[1].split("?", 1)[0].split("#", 1)[0]).strip()
    if parts.query:
        raise ValueError(f"Adres drukarki systemowej {url!r} nie przyjmuje parametrów (po '?').")
    return SystemPrinter(name)
