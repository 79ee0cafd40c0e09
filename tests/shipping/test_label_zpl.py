"""The ZPL label: one well-formed ^XA...^XZ job in UTF-8 with the same texts as the PDF, every
field inside the 800x1200 dot label and no text able to inject a printer command."""

from __future__ import annotations

import re

from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.shipping.builtin import BuiltinCarrier
from linkoptima_gui.core.shipping.label_zpl import HEIGHT, WIDTH, code128_modules, zpl_text

from .samples import make_locker_request, make_request


def _zpl(carrier: BuiltinCarrier, request) -> tuple[str, str]:
    shipment = carrier.create_shipment(request)
    return shipment.tracking_number, carrier.fetch_label(shipment, "zpl").decode("utf-8")


def _field_texts(zpl: str) -> list[str]:
    return re.findall(r"\^FD(.*?)\^FS", zpl)


def test_one_utf8_label_with_the_tracking_barcode(carrier: BuiltinCarrier) -> None:
    tracking, zpl = _zpl(carrier, make_request())
    assert zpl.startswith("^XA")
    assert zpl.endswith("^XZ")
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    assert "^CI28" in zpl
    assert f"^PW{WIDTH}" in zpl and f"^LL{HEIGHT}" in zpl
    assert re.search(rf"\^BCN,\d+,N,N,N,A\^FH\^FD{tracking}\^FS", zpl)
    assert tracking in _field_texts(zpl)  # printed under the bars as well


def test_same_texts_as_the_pdf(carrier: BuiltinCarrier) -> None:
    _, zpl = _zpl(carrier, make_request())
    texts = _field_texts(zpl)
    for expected in (
        "Grzegorz Brzęczyszczykiewicz",
        "Pszczółka Sp. z o.o.",
        "ul. Źródlana 5 m. 7",
        "80-210 Gdańsk",
        "Sklep Żółwik Sp. z o.o.",
        "1001",
        "B (średnia)",
        "2,50 kg",
        "KURIER – STANDARD",
        "POBRANIE: 1 234,50 zł",  # a plain space: printer fonts may lack the no-break space
    ):
        assert expected in texts, expected


def test_locker_label(carrier: BuiltinCarrier) -> None:
    _, zpl = _zpl(carrier, make_locker_request())
    texts = _field_texts(zpl)
    assert "Paczkomat KRA010" in texts
    assert "Łucja Ćwik" in texts
    assert not any("POBRANIE" in t for t in texts)


def test_texts_cannot_inject_commands(carrier: BuiltinCarrier) -> None:
    _, zpl = _zpl(carrier, make_request(receiver_name="Jan ^XZ~JA_Kowalski\\&", receiver_company="A\nB"))
    assert zpl.count("^XZ") == 1
    assert "~JA" not in zpl
    assert "Jan _5EXZ_7EJA_5FKowalski/&" in _field_texts(zpl)
    assert "A B" in _field_texts(zpl)
    assert "\n^" in zpl and all(line.startswith("^") for line in zpl.split("\n"))


def test_zpl_text_escaping() -> None:
    assert zpl_text("Zażółć_gęślą^jaźń~") == "Zażółć_5Fgęślą_5Ejaźń_7E"
    assert zpl_text("1\u00a0234,50\tzł") == "1 234,50 zł"


def test_every_field_and_the_barcode_stay_on_the_label(carrier: BuiltinCarrier) -> None:
    tracking, zpl = _zpl(carrier, make_request())
    for x, y in re.findall(r"\^FO(\d+),(\d+)", zpl):
        assert 0 <= int(x) < WIDTH and 0 <= int(y) < HEIGHT
    for x, width in re.findall(r"\^FO(\d+),\d+\^A0N,\d+,\d+\^FB(\d+)", zpl):
        assert int(x) + int(width) <= WIDTH
    module = int(re.search(r"\^BY(\d+)", zpl).group(1))
    bar_x = int(re.search(r"\^FO(\d+),\d+\^BC", zpl).group(1))
    bar_w = code128_modules(tracking) * module
    assert bar_x >= 10 * module and bar_x + bar_w <= WIDTH - 10 * module


def test_even_absurd_texts_stay_above_the_barcode(carrier: BuiltinCarrier) -> None:
    long = "Bardzo długa nazwa firmy handlowo-usługowej " * 6
    request = make_request(
        reference="WC-2026-000123456789",
        receiver_name="Konstanty " * 12,
        receiver_company=long,
        address=Address(street=long, city=long, postcode="00-001", country="DE"),
    )
    _, zpl = _zpl(carrier, request)
    lines = zpl.split("\n")
    caption = next(i for i, line in enumerate(lines) if "NUMER PRZESY" in line)
    caption_y = int(re.match(r"\^FO\d+,(\d+)", lines[caption]).group(1))
    body = "\n".join(lines[:caption])
    bottoms = [int(y) + int(h) for y, h in re.findall(r"\^FO\d+,(\d+)\^(?:A0N,|GB\d+,)(\d+)", body)]
    assert len(bottoms) > 20 and max(bottoms) <= caption_y
