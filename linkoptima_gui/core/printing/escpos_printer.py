"""ESC/POS receipt printers (``escpos://``, ``escpos+usb://``, ``escpos+serial://``).

A receipt printer (58/80 mm roll) cannot print a carrier's 100x150 label, so at a station with
one the parcel gets a packing slip instead: the label's first page as a picture when the label
is a PDF and pypdfium2 is installed to draw it, otherwise a text slip with the job name, the
tracking number and its barcode. Either way the paper is cut after it.

The slip is composed with python-escpos's ``Dummy`` printer (bytes only, no I/O), then sent:
over the network through the same raw-socket transport as ZPL (the raw port 9100 takes ESC/POS
bytes exactly as it takes ZPL, so there is one set of deadlines and one set of error messages),
on USB or a serial port through python-escpos's connection classes, which need its ``usb`` /
``serial`` extras (pyusb, pyserial).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .port import PrinterError
from .zpl_printer import CONNECT_TIMEOUT, DEFAULT_PORT, SEND_TIMEOUT, ZplSocketPrinter, printer_lock

if TYPE_CHECKING:
    from escpos.escpos import Escpos
    from PIL.Image import Image

DEFAULT_BAUDRATE = 9600
#: Printable width of an 80 mm roll that every common model manages (Epson TM-T88: 512 dots);
#: a profile that knows its model's width overrides it.
SLIP_WIDTH_DOTS = 512
BAR_MODULE = 2  # dots: 0.25 mm at 203 dpi, still read by hand scanners
BAR_HEIGHT = 100
BAR_QUIET_MODULES = 10
#: Grey level at or below which a pixel of the label's picture is printed black.
BLACK_BELOW = 160

#: pdfium is not thread-safe: one rendering at a time in the process.
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """One page of a PDF as a grayscale picture, with the page's size in points."""

    image: Image
    width_pt: float
    height_pt: float


def render_pdf_pages(
    pdf: bytes, *, dpi: float = 203.0, width_px: int | None = None, max_pages: int | None = None
) -> list[PageImage] | None:
    """The PDF's pages as grayscale pictures (``L``), drawn by pypdfium2 at ``dpi``, or scaled
    to ``width_px`` wide when given. ``None`` when pypdfium2 is not installed; ``ValueError``
    for a PDF it cannot read. Shared by the ESC/POS slip and the system (Qt) printer."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ValueError(f"nieczytelny plik PDF ({exc})") from exc
        try:
            pages = []
            for index in range(min(len(document), max_pages or len(document))):
                page = document[index]
                width_pt, height_pt = page.get_size()
                scale = width_px / width_pt if width_px else dpi / 72
                picture = page.render(scale=scale, grayscale=True).to_pil().convert("L")
                pages.append(PageImage(picture, width_pt, height_pt))
            return pages
        finally:
            document.close()


def tracking_from_zpl(zpl: bytes) -> str | None:
    """The data of the label's first Code 128 barcode (``^BC``): on carrier labels, the parcel
    number. ``None`` when there is none or it does not look like a parcel number."""
    text = zpl.decode("utf-8", "replace")
    found = re.search(r"\^BC[^^]*(?:\^(?!FD|FS)[^^]*)*\^FD(.*?)\^FS", text, re.S)
    if found is None:
        return None
    data = found.group(1)
    if "^FH" in text[found.start() : found.start(1)]:  # hex escapes such as _5F
        data = re.sub(r"_([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), data)
    data = re.sub(r">[0-9:;<=>]", "", data).strip()  # Code 128 subset switches (>;, >: ...)
    return data if re.fullmatch(r"[0-9A-Za-z-]{4,40}", data) else None


def check_profile(name: str) -> bool:
    """Whether python-escpos knows the printer profile ``name`` (e.g. ``TM-T88V``)."""
    from escpos.capabilities import CAPABILITIES

    return name in CAPABILITIES["profiles"]


class EscposPrinter:
    """Composes the packing slip; subclasses deliver the bytes to the device."""

    def __init__(self, url: str, *, profile: str | None = None) -> None:
        self.url = url
        self.profile = profile

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        if pdf is None and zpl is None:
            raise ValueError("print_label needs the label as pdf or zpl")
        return self._deliver(job_name, self.slip(job_name, pdf=pdf, zpl=zpl))

    def slip(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> bytes:
        """The ESC/POS bytes of the slip: init, the label's picture or the text, cut."""
        from escpos.printer import Dummy

        out = Dummy(profile=self.profile)
        out.hw("INIT")
        picture = self._label_picture(pdf, self._width(out)) if pdf is not None else None
        if picture is not None:
            out.image(picture, impl="bitImageRaster", center=False)
        else:
            self._text_slip(out, job_name, tracking_from_zpl(zpl) if zpl is not None else None)
        out.cut()
        return out.output

    @staticmethod
    def _width(out: Escpos) -> int:
        pixels = out.profile.profile_data.get("media", {}).get("width", {}).get("pixels")
        return pixels if isinstance(pixels, int) and pixels > 0 else SLIP_WIDTH_DOTS

    @staticmethod
    def _label_picture(pdf: bytes, width: int) -> Image | None:
        """The label's first page, black and white at the roll's width; ``None`` when it cannot
        be drawn here (no pypdfium2, unreadable PDF): the text slip is printed instead."""
        try:
            pages = render_pdf_pages(pdf, width_px=width, max_pages=1)
        except ValueError:
            return None
        if not pages:
            return None
        return pages[0].image.point(lambda grey: 0 if grey <= BLACK_BELOW else 255, mode="1")

    def _text_slip(self, out: Escpos, job_name: str, tracking: str | None) -> None:
        out.set_with_default(align="center", bold=True, double_height=True, double_width=True)
        out.textln("PACZKA")
        out.set_with_default(align="center")
        out.textln(job_name)
        out.ln()
        if tracking is None:
            out.textln("Numer przesyłki: na etykiecie przewoźnika")
        else:
            out.set_with_default(align="center", bold=True)
            out.textln(f"Przesyłka: {tracking}")
            out.set_with_default(align="center")
            self._tracking_code(out, tracking)
        out.ln()

    def _tracking_code(self, out: Escpos, tracking: str) -> None:
        """Code 128 (subset C for an even count of digits: half as wide) when it fits the roll,
        else a QR code."""
        if len(tracking) % 2 == 0 and tracking.isdigit():
            data = "{C" + "".join(chr(int(tracking[i : i + 2])) for i in range(0, len(tracking), 2))
        else:
            data = "{B" + tracking
        # 11 modules a symbol (the data's, start and check: as many as the characters of
        # ``data``, its "{C" counted for those two), 13 for stop, then the quiet zones
        modules = 11 * len(data) + 13 + 2 * BAR_QUIET_MODULES
        if modules * BAR_MODULE <= self._width(out):
            out.barcode(data, "CODE128", height=BAR_HEIGHT, width=BAR_MODULE, pos="OFF",
                        function_type="B")
        else:
            out.qr(tracking, size=6)

    def _deliver(self, job_name: str, data: bytes) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"


class EscposNetworkPrinter(EscposPrinter):
    """A receipt printer on the network (``escpos://host:9100``)."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        profile: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self._socket = ZplSocketPrinter(host, port, connect_timeout=connect_timeout, send_timeout=send_timeout)
        super().__init__(f"escpos://{host}:{port}{_query(profile=profile)}", profile=profile)
        self._socket.url = self.url  # errors name the address the station was set up with
        self.host, self.port = host, port

    def _deliver(self, job_name: str, data: bytes) -> str:
        return self._socket.print_label(job_name, zpl=data)

    def probe(self) -> str:
        """Connect and close without printing (see ``ZplSocketPrinter.probe``)."""
        return self._socket.probe()


class _EscposDevicePrinter(EscposPrinter):
    """A receipt printer on a local port, opened with python-escpos for each job."""

    #: the python-escpos extra (and its package) this kind of port needs
    extra = ""
    package = ""

    def __init__(self, url: str, where: str, *, profile: str | None = None) -> None:
        super().__init__(url, profile=profile)
        self.where = where

    def _connection(self) -> Escpos:
        raise NotImplementedError

    def _opened(self, connection: Escpos) -> None:
        """Adjust the freshly opened connection."""

    def _error(self, reason: str, exc: BaseException | None = None, *, code: str | None = None) -> PrinterError:
        details: dict[str, Any] = {"printer": self.url}
        if exc is not None:
            details["error"] = f"{type(exc).__name__}: {exc}"
        return PrinterError(reason, code=code, details=details)

    def _deliver(self, job_name: str, data: bytes) -> str:
        from escpos.exceptions import Error as EscposError

        lock = printer_lock(self.url, 0)
        if not lock.acquire(timeout=SEND_TIMEOUT + 1.0):
            raise self._error(f"Drukarka {self.where} jest zajęta innym wydrukiem; spróbuj ponownie.")
        try:
            connection = self._open()
            try:
                connection._raw(data)  # the slip is already ESC/POS bytes
            except (OSError, ValueError, RuntimeError, EscposError) as exc:
                raise self._error(
                    f"Drukarka {self.where} nie przyjęła wydruku (zajęta, bez papieru lub "
                    f"odłączona): {exc}.",
                    exc,
                ) from exc
            finally:
                connection.close()
        finally:
            lock.release()
        return f"{self.where} ({len(data)} B, {job_name})"

    def _open(self) -> Escpos:
        """The opened connection; ``PrinterError`` (Polish) when the device is not there."""
        from escpos.exceptions import DeviceNotFoundError
        from escpos.exceptions import Error as EscposError

        connection = self._connection()  # raises PrinterError when the extra is missing
        try:
            connection.open()
            self._opened(connection)
        except DeviceNotFoundError as exc:
            raise self._error(
                f"Nie znaleziono drukarki {self.where}. Sprawdź, czy jest podłączona kablem "
                "i włączona, oraz adres w ustawieniach stanowiska.",
                exc,
            ) from exc
        except (OSError, ValueError, RuntimeError, EscposError) as exc:
            raise self._error(f"Nie można otworzyć drukarki {self.where}: {exc}.", exc) from exc
        return connection

    def probe(self) -> str:
        """Open the device and close it without printing (the settings screen's check)."""
        lock = printer_lock(self.url, 0)
        if not lock.acquire(timeout=SEND_TIMEOUT + 1.0):
            raise self._error(f"Drukarka {self.where} jest zajęta innym wydrukiem; spróbuj ponownie.")
        try:
            self._open().close()
        finally:
            lock.release()
        return f"Drukarka {self.where} jest podłączona."

    def _missing_package(self) -> PrinterError:
        return self._error(
            f"Drukarka {self.where} wymaga pakietu {self.package}, którego nie zainstalowano "
            f'(pip install "python-escpos[{self.extra}]").',
            code="printer_setup",
        )


class EscposUsbPrinter(_EscposDevicePrinter):
    """A receipt printer on USB (``escpos+usb://04b8:0202``)."""

    extra = "usb"
    package = "pyusb"

    def __init__(self, vendor: int, product: int, *, profile: str | None = None) -> None:
        ids = f"{vendor:04x}:{product:04x}"
        super().__init__(f"escpos+usb://{ids}{_query(profile=profile)}", f"USB {ids}", profile=profile)
        self.vendor, self.product = vendor, product

    def _connection(self) -> Escpos:
        from escpos.printer import Usb

        if not Usb.is_usable():  # checked first: without pyusb even the object cannot be made
            raise self._missing_package()
        return Usb(self.vendor, self.product, timeout=int(SEND_TIMEOUT * 1000), profile=self.profile)


class EscposSerialPrinter(_EscposDevicePrinter):
    """A receipt printer on a serial port (``escpos+serial:///dev/ttyUSB0?baudrate=9600``)."""

    extra = "serial"
    package = "pyserial"

    def __init__(self, device: str, baudrate: int = DEFAULT_BAUDRATE, *, profile: str | None = None) -> None:
        query = _query(baudrate=baudrate, profile=profile)
        super().__init__(f"escpos+serial://{device}{query}", f"na porcie {device}", profile=profile)
        self.device, self.baudrate = device, baudrate

    def _connection(self) -> Escpos:
        from escpos.printer import Serial

        if not Serial.is_usable():
            raise self._missing_package()
        return Serial(self.device, baudrate=self.baudrate, timeout=SEND_TIMEOUT, profile=self.profile)

    def _opened(self, connection: Escpos) -> None:
        # a printer that is off holds the handshake lines low and would block a write for ever
        connection.device.write_timeout = SEND_TIMEOUT


def _query(**options: object) -> str:
    given = "&".join(f"{name}={value}" for name, value in options.items() if value is not None)
    return f"?{given}" if given else ""
