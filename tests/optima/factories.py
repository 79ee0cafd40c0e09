"""Orders and buyers built straight from the domain dataclasses, as the shop mapping would.

Line figures are computed the way a Polish shop computes them (VAT per line from the gross line
value, half-up to the grosz), so an order's lines always add up to its total unless a test says
otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from linkoptima_gui.core.domain.order import (
    Address,
    Buyer,
    BuyerKind,
    Order,
    OrderLine,
    Payment,
    PaymentKind,
    Shipping,
)
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.demo.catalogue import CATALOGUE, SHIPPING_SERVICE_CODE

ITEMS = {item.code: item for item in CATALOGUE}
_KINDS = {"cod": PaymentKind.COD, "bacs": PaymentKind.TRANSFER}


def company_buyer(
    nip: str = "9876543210", name: str = "Hurtownia Orzeł sp. z o.o.", email: str = "zakupy@orzel.example"
) -> Buyer:
    return Buyer(
        kind=BuyerKind.COMPANY,
        first_name="Anna",
        last_name="Nowak",
        email=email,
        phone="600100200",
        company=name,
        nip=nip,
        address=Address(street="ul. Składowa 4/2", city="Poznań", postcode="60-101"),
    )


def person_buyer(email: str = "zofia.zolc@example.com", first: str = "Zofia", last: str = "Żółć") -> Buyer:
    return Buyer(
        kind=BuyerKind.PERSON,
        first_name=first,
        last_name=last,
        email=email,
        phone="501200300",
        address=Address(street="ul. Polna 3", city="Łódź", postcode="90-001"),
    )


def line(
    sku: str,
    quantity: int | str = 1,
    unit_gross: str | None = None,
    *,
    name: str | None = None,
    rate: VatRate | None = None,
    is_service: bool = False,
) -> OrderLine:
    """A line priced gross (the shop price of the catalogue item unless given)."""
    item = ITEMS.get(sku)
    rate = rate or (item.rate if item else VatRate.R23)
    if unit_gross is not None:
        price = Decimal(unit_gross)
    elif item is not None:
        price = item.price_gross
    else:
        raise ValueError(f"give a price for {sku!r}, it is not in the catalogue")
    qty = Decimal(quantity)
    gross = price * qty
    vat = rate.vat_from_gross(gross)
    return OrderLine(
        sku=sku,
        name=name or (item.name if item else sku),
        quantity=qty,
        net=gross - vat,
        vat=vat,
        rate=rate,
        is_service=is_service,
    )


def net_line(sku: str, quantity: int, unit_net: str, rate: VatRate = VatRate.R23) -> OrderLine:
    """A line priced net (a shop that shows prices without VAT)."""
    net = Decimal(unit_net) * quantity
    return OrderLine(
        sku, ITEMS[sku].name if sku in ITEMS else sku, Decimal(quantity), net, rate.vat_from_net(net), rate
    )


def shipping(gross: str = "14.99") -> OrderLine:
    return line(SHIPPING_SERVICE_CODE, 1, gross, name="Wysyłka kurierem", is_service=True, rate=VatRate.R23)


def order(
    number: str = "1001",
    lines: Sequence[OrderLine] | None = None,
    *,
    buyer: Buyer | None = None,
    method: str = "payustandard",
    transaction_id: str | None = None,
    confirmed: bool = True,
    prices_include_tax: bool = True,
    total: Decimal | str | None = None,
) -> Order:
    lines = tuple(lines if lines is not None else (line("KUB-001", 2), line("KS-001", 1), shipping()))
    kind = _KINDS.get(method, PaymentKind.ONLINE)
    if transaction_id is None:
        transaction_id = f"TX-{number}" if kind is PaymentKind.ONLINE else ""
    return Order(
        shop_order_id=int("".join(c for c in number if c.isdigit()) or 0),
        number=number,
        status="processing",
        currency="PLN",
        prices_include_tax=prices_include_tax,
        buyer=buyer or company_buyer(),
        lines=lines,
        payment=Payment(
            method_id=method, title=method, kind=kind, transaction_id=transaction_id, confirmed=confirmed
        ),
        shipping=Shipping(method_id="flat_rate", title="Kurier"),
        total=Decimal(total) if total is not None else sum((li.gross for li in lines), Decimal("0.00")),
    )
