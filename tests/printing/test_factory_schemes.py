"""Printer URLs beyond file:// and zpl://: the ESC/POS forms, system://, and clear Polish
refusals for addresses that cannot work."""

from __future__ import annotations

import subprocess
import sys

import pytest

import linkoptima_gui.ui  # noqa: F401 - the console's start: registers system://
from linkoptima_gui.core.printing import factory
from linkoptima_gui.core.printing.escpos_printer import (
    EscposNetworkPrinter,
    EscposSerialPrinter,
    EscposUsbPrinter,
)
from linkoptima_gui.core.printing.factory import open_printer, register_scheme, supported_forms


def test_escpos_network_url() -> None:
    printer = open_printer("escpos://192.168.1.60:9101?profile=TM-T88V")
    assert isinstance(printer, EscposNetworkPrinter)
    assert (printer.host, printer.port, printer.profile) == ("192.168.1.60", 9101, "TM-T88V")
    assert printer.url == "escpos://192.168.1.60:9101?profile=TM-T88V"
    assert open_printer("ESCPOS://drukarka-pakowanie").port == 9100  # the raw port by default


@pytest.mark.parametrize(
    ("url", "ids"),
    [("escpos+usb://04b8:0202", (0x04B8, 0x0202)), ("escpos+usb://0x0FE6:0x811E", (0x0FE6, 0x811E))],
)
def test_escpos_usb_url(url: str, ids: tuple[int, int]) -> None:
    printer = open_printer(url)
    assert isinstance(printer, EscposUsbPrinter)
    assert (printer.vendor, printer.product) == ids
    assert printer.url == f"escpos+usb://{ids[0]:04x}:{ids[1]:04x}"


@pytest.mark.parametrize(
    ("url", "device", "baudrate"),
    [
        ("escpos+serial:///dev/ttyUSB0?baudrate=19200", "/dev/ttyUSB0", 19200),
        ("escpos+serial:///dev/ttyS1", "/dev/ttyS1", 9600),
        ("escpos+serial://COM3?baudrate=115200", "COM3", 115200),
    ],
)
def test_escpos_serial_url(url: str, device: str, baudrate: int) -> None:
    printer = open_printer(url)
    assert isinstance(printer, EscposSerialPrinter)
    assert (printer.device, printer.baudrate, printer.profile) == (device, baudrate, None)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("escpos://", "brakuje nazwy lub adresu IP \\(np. escpos://192.168.1.50:9100\\)"),
        ("escpos://printer:70000", "Nieprawidłowy port"),
        ("escpos://printer?profile=NO-SUCH-MODEL", "Nieznany profil drukarki ESC/POS 'NO-SUCH-MODEL'"),
        ("escpos://printer?profil=TM-T88V", "Nieznany parametr 'profil'.*dozwolone: profile"),
        ("escpos://printer?profile=TM-T88V&profile=TM-T20II", "Parametr 'profile' powtarza się"),
        ("escpos://printer?profile", "Nieprawidłowe parametry"),
        ("escpos+usb://", "podaj identyfikatory producenta i urządzenia"),
        ("escpos+usb://04b8", "np. escpos\\+usb://04b8:0202"),
        ("escpos+usb://epson:tm", "szesnastkowo"),
        ("escpos+usb://04b8:0202/extra", "szesnastkowo"),
        ("escpos+serial://", "brakuje portu"),
        ("escpos+serial://dev/ttyUSB0", "trzy ukośniki"),
        ("escpos+serial:///dev/ttyUSB0?baudrate=fast", "Nieprawidłowa prędkość \\(baudrate=fast\\)"),
        ("escpos+serial:///dev/ttyUSB0?baudrate=10", "Nieprawidłowa prędkość"),
        ("escpos+serial:///dev/ttyUSB0?speed=9600", "Nieznany parametr 'speed'"),
        ("escpos+bluetooth://00:11", "Nieobsługiwany rodzaj drukarki 'escpos\\+bluetooth'"),
        ("system://Zebra?copies=2", "nie przyjmuje parametrów"),
    ],
)
def test_unusable_urls_are_refused_clearly(url: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        open_printer(url)


def test_the_refusal_lists_every_supported_form() -> None:
    with pytest.raises(ValueError) as info:
        open_printer("ipp://printer/queue")
    for form in ("file://", "zpl://", "escpos://", "escpos+usb://", "escpos+serial://", "system://"):
        assert form in supported_forms() and form in str(info.value)


def test_a_scheme_can_be_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(factory, "_openers", dict(factory._openers))
    opened: list[str] = []

    def opener(url: str, parts: object) -> object:
        opened.append(url)
        return "the printer"

    register_scheme("Test", opener)
    assert open_printer(" test://x ") == "the printer"
    assert opened == ["test://x"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("system://Zebra ZD421", "Zebra ZD421"),
        ("system://Zebra%20ZD421", "Zebra ZD421"),
        ("SYSTEM://EPSON_TM_T20", "EPSON_TM_T20"),  # the name keeps its case
        ("system://\\\\serwer\\Etykiety", "\\\\serwer\\Etykiety"),  # a shared Windows printer
        ("system://", ""),  # the default printer
    ],
)
def test_system_urls_name_the_printer(url: str, name: str) -> None:
    printer = open_printer(url)
    assert type(printer).__name__ == "SystemPrinter"
    assert printer.name == name  # type: ignore[attr-defined]


def test_the_core_opens_every_other_kind_without_qt_and_never_names_the_ui() -> None:
    """Without the console, ``system://`` is an unknown kind; the console's start registers it,
    and Qt's print support loads only with the first such address."""
    code = (
        "import sys\n"
        "from linkoptima_gui.core.printing.factory import open_printer, supported_forms\n"
        "qt = lambda: sorted(m for m in sys.modules if m.startswith(('PySide6', 'linkoptima_gui.ui')))\n"
        "for url in ('file:///tmp/x', 'zpl://h', 'escpos://h', 'escpos+usb://1:2', 'escpos+serial://COM1'):\n"
        "    open_printer(url)\n"
        "print(qt(), 'system://' in supported_forms())\n"
        "try:\n"
        "    open_printer('system://Zebra')\n"
        "except ValueError as exc:\n"
        "    print('refused' if \"Nieobsługiwany rodzaj drukarki 'system'\" in str(exc) else exc)\n"
        "import linkoptima_gui.ui\n"
        "print('linkoptima_gui.ui.printing' in qt(), 'system://' in supported_forms())\n"
        "open_printer('system://Zebra')\n"
        "print('linkoptima_gui.ui.printing' in qt(), 'PySide6.QtPrintSupport' in qt())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split("\n")[:4] == ["[] False", "refused", "False True", "True True"]
