"""The 100x150 mm PDF label: read back with pypdf, rendered with pdftoppm, barcode decoded from
the pixels, so what is tested is what the printer will print."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier
from linkoptima_gui.core.shipping.label_pdf import MARGIN, PAGE_W, QUIET_MODULES, barcode_geometry

from .samples import make_locker_request, make_request

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


def _label(carrier: BuiltinCarrier, request) -> tuple[str, bytes]:
    shipment = carrier.create_shipment(request)
    return shipment.tracking_number, carrier.fetch_label(shipment, "pdf")


def _text(pdf: bytes) -> str:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return page.extract_text().replace("\u00a0", " ")


def test_cod_courier_label_says_everything(carrier: BuiltinCarrier) -> None:
    tracking, pdf = _label(carrier, make_request())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(283.46, abs=0.01)
    assert float(box.height) == pytest.approx(425.20, abs=0.01)
    text = _text(pdf)
    for expected in (
        tracking,
        "Grzegorz Brzęczyszczykiewicz",
        "Pszczółka Sp. z o.o.",
        "ul. Źródlana 5 m. 7",
        "80-210 Gdańsk",
        "tel. +48 600 700 800",
        "Sklep Żółwik Sp. z o.o.",
        "90-001 Łódź",
        "1001",
        "KURIER – STANDARD",
        "B (średnia)",
        "2,50 kg",
        "POBRANIE: 1 234,50 zł",
    ):
        assert expected in text, expected


def test_locker_label_names_the_locker_and_has_no_cod(carrier: BuiltinCarrier) -> None:
    tracking, pdf = _label(carrier, make_locker_request())
    text = _text(pdf)
    assert "Paczkomat KRA010" in text
    assert "Łucja Ćwik" in text
    assert tracking in text
    assert "POBRANIE" not in text
    assert "ul." not in text.split("ODBIORCA")[1]  # no street address for a locker


def test_fonts_are_embedded_dejavu(carrier: BuiltinCarrier) -> None:
    _, pdf = _label(carrier, make_request())
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]).split("+")[-1])
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]  # embedded TrueType
    assert names == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"}


def test_barcode_fits_the_width_with_quiet_zones() -> None:
    for value in ("605762900000000000000010", "X" * 40):  # ours, and a long foreign number
        barcode, x = barcode_geometry(value)
        module = barcode.barWidth
        assert x >= MARGIN and x >= QUIET_MODULES * module
        assert x + barcode.width <= PAGE_W - max(MARGIN, QUIET_MODULES * module) + 1e-6


def test_absurdly_long_texts_still_make_a_label(carrier: BuiltinCarrier) -> None:
    long = "Bardzo długa nazwa firmy handlowo-usługowej " * 6
    request = make_request(
        receiver_name="Konstanty " * 12,
        receiver_company=long,
        address=Address(street=long, city=long, postcode="00-001", country="DE"),
    )
    tracking, pdf = _label(carrier, request)
    assert tracking in _text(pdf)
    assert "POBRANIE" in _text(pdf)


@needs_pdftoppm
def test_renders_as_a_100x150_mm_image(carrier: BuiltinCarrier, tmp_path: Path) -> None:
    _, pdf = _label(carrier, make_request())
    (tmp_path / "label.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "label.pdf", "label"],
        cwd=tmp_path,
        check=True,
        timeout=30,
    )
    png = (tmp_path / "label.png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) in {(394, 591), (393, 590), (394, 590), (393, 591)}


@needs_pdftoppm
def test_printed_barcode_decodes_to_the_tracking_number(carrier: BuiltinCarrier, tmp_path: Path) -> None:
    """Scan one pixel row across the rendered barcode (300 dpi) and decode Code128 from the
    bar widths with python-barcode's pattern table, an implementation independent of ours."""
    code128 = pytest.importorskip("barcode.charsets.code128")
    image_mod = pytest.importorskip("PIL.Image")
    tracking, pdf = _label(carrier, make_locker_request())
    (tmp_path / "label.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-gray", "-singlefile", "label.pdf", "label"],
        cwd=tmp_path,
        check=True,
        timeout=30,
    )
    image = image_mod.open(tmp_path / "label.png").convert("L")
    # the bars sit between 11 and 35 mm above the bottom edge: take a row in the middle
    row_y = image.height - round(25 / 25.4 * 300)
    row = [image.getpixel((x, row_y)) < 128 for x in range(image.width)]
    first, last = row.index(True), len(row) - 1 - row[::-1].index(True)
    runs: list[int] = []
    current, length = row[first], 0
    for dark in row[first : last + 1]:
        if dark == current:
            length += 1
        else:
            runs.append(length)
            current, length = dark, 1
    runs.append(length)
    total_modules = 11 * ((len(runs) - 7) // 6 + 1) + 2  # stop symbol is 13 modules, 7 bars
    module = (last - first + 1) / total_modules
    assert first >= QUIET_MODULES * module and image.width - 1 - last >= QUIET_MODULES * module
    widths = [max(1, round(r / module)) for r in runs]
    patterns = {p: i for i, p in enumerate(code128.CODES)}
    values = []
    for i in range(0, len(widths) - 7, 6):
        bits = "".join(("1" if k % 2 == 0 else "0") * w for k, w in enumerate(widths[i : i + 6]))
        values.append(patterns[bits])
    start, *data, check = values
    assert start == 105  # START C: digit pairs
    assert check == (start + sum(pos * v for pos, v in enumerate(data, 1))) % 103
    assert "".join(f"{v:02d}" for v in data) == tracking
