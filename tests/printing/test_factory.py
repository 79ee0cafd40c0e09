"""Printer URLs: the two supported kinds, and clear refusals for everything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.printing.file_printer import FilePrinter
from linkoptima_gui.core.printing.zpl_printer import ZplSocketPrinter
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier

from ..shipping.samples import SENDER, make_request


def test_file_url_opens_a_folder_printer(tmp_path: Path) -> None:
    url = (tmp_path / "etykiety ąę").as_uri()
    printer = open_printer(url)
    assert isinstance(printer, FilePrinter)
    assert printer.folder == tmp_path / "etykiety ąę"
    assert printer.url == url


def test_zpl_url_opens_a_socket_printer() -> None:
    printer = open_printer("zpl://192.168.1.50:9101")
    assert isinstance(printer, ZplSocketPrinter)
    assert (printer.host, printer.port, printer.url) == ("192.168.1.50", 9101, "zpl://192.168.1.50:9101")
    assert open_printer("ZPL://zebra-pakowanie").port == 9100  # the raw port by default


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ipp://printer/queue", "Nieobsługiwany rodzaj drukarki 'ipp'"),
        ("/srv/labels", "nie ma rodzaju"),
        ("", "nie ma rodzaju"),
        ("zpl://", "brakuje nazwy lub adresu IP"),
        ("zpl://printer:99999", "Nieprawidłowy port"),
        ("zpl://printer:abc", "Nieprawidłowy port"),
        ("zpl://printer:0", "Nieprawidłowy port"),
        ("file://", "Brak ścieżki"),
    ],
)
def test_unusable_urls_are_refused_clearly(url: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        open_printer(url)


@pytest.mark.skipif(os.name == "nt", reason="UNC paths are valid on Windows")
def test_a_folder_on_another_host_is_refused() -> None:
    with pytest.raises(ValueError, match="innym komputerze"):
        open_printer("file://fileserver/labels")


def test_builtin_label_through_a_folder_printer(tmp_path: Path) -> None:
    """The demo's path: the carrier's label, printed into the "printer" folder."""
    carrier = BuiltinCarrier(tmp_path / "carrier", SENDER)
    shipment = carrier.create_shipment(make_request())
    printer = open_printer((tmp_path / "printer").as_uri())
    pdf, zpl = carrier.fetch_label(shipment, "pdf"), carrier.fetch_label(shipment, "zpl")
    where = Path(printer.print_label(f"{shipment.reference}-label-1", pdf=pdf, zpl=zpl))
    assert where.read_bytes() == pdf
    assert [p.name for p in (tmp_path / "printer").iterdir()] == ["1001-label-1.pdf"]
