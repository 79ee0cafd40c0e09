"""Sample invoices for the document tests, built the way Optima books them (VAT per rate)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from linkoptima_gui.core.domain.invoice import InvoiceDocument, InvoiceLine, Party
from linkoptima_gui.core.domain.money import round_grosz
from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.domain.vat import VatRate, totals, vat_table
from linkoptima_gui.demo.smtp_sink import SmtpSink

SELLER = Party(
    name="Pracownia Żółwia Sp. z o.o.",
    address=Address(street="ul. Świętokrzyska 12/4", city="Łódź", postcode="90-001"),
    nip="7251234560",
    email="sklep@zolw.example",
)
BUYER = Party(
    name="Zażółć Gęślą Jaźń Sp. j.",
    address=Address(street="ul. Źródlana 5", city="Gdańsk", postcode="80-180"),
    nip="5260250274",
    email="jan.kowalski@example.com",
)
_ITEMS = [
    ("KUB-ZOLW", "Kubek ceramiczny Żółw", VatRate.R23, Decimal("29.99"), "szt."),
    ("KS-LOS", "Książka „Łoś i jeż”", VatRate.R5, Decimal("39.90"), "szt."),
    ("CZA-SOWA", "Czasopismo kwartalnik Sowa", VatRate.R8, Decimal("19.90"), "szt."),
    ("USL-TRANSPORT", "Dostawa: Paczkomat InPost", VatRate.R23, Decimal("14.99"), "usł."),
]


def make_line(position: int, code: str, name: str, rate: VatRate, unit_gross: Decimal, unit: str,
              quantity: Decimal = Decimal("1")) -> InvoiceLine:
    """A gross-priced line, as a Polish shop books it (VAT from gross)."""
    gross = round_grosz(unit_gross * quantity)
    vat = rate.vat_from_gross(gross)
    unit_net = round_grosz(unit_gross * 100 / (100 + rate.percent))
    return InvoiceLine(position=position, code=code, name=name, unit=unit, quantity=quantity,
                       unit_net=unit_net, unit_gross=unit_gross, rate=rate, net=gross - vat, vat=vat,
                       gross=gross)


def make_invoice(lines: int = 4, **changes: object) -> InvoiceDocument:
    """An invoice with ``lines`` lines cycling through a few items; ``changes`` replace fields."""
    built = []
    for i in range(lines):
        code, name, rate, price, unit = _ITEMS[i % len(_ITEMS)]
        built.append(make_line(i + 1, code, name, rate, price, unit, Decimal(1 + i % 3)))
    rows = vat_table(((line.rate, line.gross) for line in built), from_gross=True)
    net, vat, gross = totals(rows)
    doc = InvoiceDocument(
        number="FA/17/2026", issue_date=date(2026, 11, 12), sale_date=date(2026, 11, 10), place="Łódź",
        seller=SELLER, buyer=BUYER, lines=tuple(built), vat_rows=tuple(rows), net_total=net, vat_total=vat,
        gross_total=gross, from_gross=True, payment_method="Przelewy24", payment_due=date(2026, 11, 26),
        paid=True, order_number="10452", seller_bank_account="PL61 1090 1014 0000 0712 1981 2874",
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


@pytest.fixture
def invoice() -> InvoiceDocument:
    return make_invoice()


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on a free loopback port, storing .eml files in tmp_path."""
    server = SmtpSink(tmp_path / "mailbox")
    server.start()
    yield server
    server.stop()
