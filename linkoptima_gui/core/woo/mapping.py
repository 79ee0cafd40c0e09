"""WooCommerce order JSON -> domain ``Order``: a pure transform with readable refusals.

Rules (woocommerce.md §1.4, §2): NIP and the invoice flag from configurable meta keys; tax
class -> VAT rate through a map; shipping and fee lines become service lines; "paid" is decided
from the gateway and the transaction id, never from ``date_paid`` (WooCommerce sets that for
cash on delivery too). Totals are reconciled: lines that do not add up to the order's total, or
VAT per rate more than 0.01 off the Optima-style computation, make the order an exception.

Bad input never stops the intake: an order the client could not read arrives as a stand-in
(``order_guard``) and is refused with its reason; text that cannot go onto the documents is
refused by ``order_text``; a missing amount or quantity, a non-positive quantity, a line without
a SKU and a currency other than the one the console books in are refused here, each with a
Polish reason, and any other malformed value as "malformed" rather than a traceback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..domain.money import ZERO, MoneyFormatError, money, to_decimal
from ..domain.nip import InvalidNip, validate_nip
from ..domain.order import Address, Buyer, BuyerKind, Order, OrderLine, Payment, PaymentKind, Shipping
from ..domain.vat import VatRate, vat_table
from ..errors import PermanentError
from .order_guard import unreadable_reason
from .order_text import check_order_texts, check_text, clean_label
from .settings import ShopSettings

HALF_GROSZ = Decimal("0.005")
TOLERANCE = Decimal("0.01")


def meta_value(meta: Any, keys: tuple[str, ...]) -> str:
    """First non-empty value among ``keys`` in a WooCommerce ``meta_data`` list."""
    if not isinstance(meta, list):
        return ""
    by_key = {m.get("key"): m.get("value") for m in meta if isinstance(m, Mapping)}
    for key in keys:
        value = by_key.get(key)
        if value not in (None, "", [], {}):
            return str(value).strip()
    return ""


def _address(part: Mapping[str, Any]) -> Address:
    street = " ".join(p for p in (str(part.get("address_1") or ""), str(part.get("address_2") or "")) if p)
    return Address(
        street=street.strip(),
        city=str(part.get("city") or ""),
        postcode=str(part.get("postcode") or ""),
        country=str(part.get("country") or "PL") or "PL",
    )


def _rate_from_amounts(net: Decimal, vat: Decimal) -> VatRate:
    """The rate of a shipping or fee line, from its net and tax (they carry no tax class)."""
    if net == 0:
        return VatRate.R23
    percent = vat / net * 100
    return min((VatRate.R23, VatRate.R8, VatRate.R5, VatRate.R0), key=lambda r: abs(r.percent - percent))


#: values of an "I want an invoice" checkbox that mean yes (plugins store "1", "yes", "on", "tak")
_YES = ("1", "yes", "y", "on", "true", "tak", "t")
#: a locker or pickup point id is a short code (InPost: "KRA010M"); the store keeps 32 characters
LOCKER_ID_LIMIT = 32


def invoice_wanted(raw: Mapping[str, Any], settings: ShopSettings) -> bool | None:
    """The buyer's "I want an invoice" checkbox: True, False, or None when the order has none."""
    flag = meta_value(raw.get("meta_data"), settings.invoice_flag_keys)
    return None if not flag else flag.casefold() in _YES


def map_buyer(raw: Mapping[str, Any], settings: ShopSettings) -> Buyer:
    """The buyer: a company when the order has a NIP, unless the buyer left "I want an invoice"
    unticked (plugins keep a NIP from the customer's account even then, and the buyer's answer
    decides); a company name with the box ticked but no NIP stops the order for a person."""
    billing = raw.get("billing") if isinstance(raw.get("billing"), Mapping) else {}
    nip_text = meta_value(raw.get("meta_data"), settings.nip_keys)
    wanted = invoice_wanted(raw, settings)
    email = str(billing.get("email") or "").strip()
    common = dict(
        first_name=str(billing.get("first_name") or ""),
        last_name=str(billing.get("last_name") or ""),
        email=email,
        phone=str(billing.get("phone") or ""),
        company=str(billing.get("company") or ""),
        address=_address(billing),
    )
    if nip_text and wanted is not False:
        try:
            nip = validate_nip(nip_text)
        except InvalidNip as exc:
            shown = nip_text if len(nip_text) <= 40 else f"{nip_text[:40]}… ({len(nip_text)} znaków)"
            raise PermanentError(
                f"Niepoprawny NIP nabywcy: {shown!r}. Popraw NIP w zamówieniu w sklepie.",
                code="invalid_nip",
                details={"nip": nip_text[:40]},
            ) from exc
        if not common["company"]:
            common["company"] = f"{common['first_name']} {common['last_name']}".strip()
        return Buyer(kind=BuyerKind.COMPANY, nip=nip, **common)
    if wanted and common["company"]:
        raise PermanentError(
            f"Kupujący zaznaczył „Chcę fakturę” dla firmy {common['company'][:80]!r}, ale nie podał NIP. "
            "Wpisz NIP (albo zostaw pusty: faktura na osobę prywatną).", code="invalid_nip", details={"nip": ""})
    return Buyer(kind=BuyerKind.PERSON, **common)


def _require_buyer(buyer: Buyer, shipping: Mapping[str, Any]) -> Buyer:
    """What every invoice and e-mail needs of the buyer (art. 106e: name and address); a billing
    address left empty is taken from the shipping address."""
    if "@" not in buyer.email:
        raise PermanentError("Zamówienie nie ma poprawnego adresu e-mail kupującego: faktury nie da się wysłać. "
                             "Uzupełnij e-mail w zamówieniu w sklepie.", code="missing_field",
                             details={"field": "billing.email"})
    if not (buyer.person_name or buyer.company):
        raise PermanentError("Zamówienie nie ma imienia i nazwiska ani nazwy firmy kupującego, a faktura musi je mieć. "
                             "Uzupełnij dane w zamówieniu w sklepie.", code="missing_field",
                             details={"field": "billing.first_name"})
    address = buyer.address
    if not (address.street and address.city and address.postcode):
        address = _address(shipping)
        if not (address.street and address.city and address.postcode):
            raise PermanentError("Zamówienie nie ma adresu kupującego (ulica, kod pocztowy, miejscowość), a faktura "
                                 "musi go mieć. Uzupełnij adres w zamówieniu w sklepie.", code="missing_field",
                                 details={"field": "billing.address_1"})
        buyer = replace(buyer, address=address)
    return buyer


def map_payment(raw: Mapping[str, Any], settings: ShopSettings) -> Payment:
    method = str(raw.get("payment_method") or "")
    title = str(raw.get("payment_method_title") or method)
    transaction = str(raw.get("transaction_id") or "")
    status = str(raw.get("status") or "")
    paid_status = status in ("processing", "completed")
    if method in settings.online_gateways:
        kind, confirmed = PaymentKind.ONLINE, bool(transaction) and paid_status
    elif method in settings.cod_methods:
        kind, confirmed = PaymentKind.COD, False
    elif method in settings.transfer_methods:
        kind, confirmed = PaymentKind.TRANSFER, paid_status and bool(raw.get("date_paid_gmt"))
    else:
        kind, confirmed = PaymentKind.OTHER, False
    return Payment(method_id=method, title=title, kind=kind, transaction_id=transaction, confirmed=confirmed)


def line_sku(item: Mapping[str, Any]) -> str:
    """The SKU a goods line is booked by (= Optima ``Twr_Kod``).

    For a variation (``variation_id`` set) it is the line's ``sku``: the variation's own, or its
    parent's when the variation has none (WooCommerce shows the parent's then), never the parent
    product's id. A line without a SKU cannot be matched to an Optima item and is refused."""
    name = str(item.get("name") or "")
    sku = str(item.get("sku") or "").strip()
    if item.get("product_id") and sku:
        return sku
    details = {"sku": sku, "name": name, "product_id": item.get("product_id")}
    if item.get("variation_id"):
        raise PermanentError(
            f"Wariant „{name or '(bez nazwy)'}” (id {item.get('variation_id')}) nie ma kodu SKU w sklepie. "
            "Nadaj wariantowi (albo produktowi nadrzędnemu) kod towaru z Optimy.",
            code="unknown_sku",
            details={**details, "variation_id": item.get("variation_id")},
        )
    raise PermanentError(
        f"Pozycja „{name or '(bez nazwy)'}” nie ma produktu z kodem SKU w sklepie.",
        code="unknown_sku",
        details=details,
    )


def _item_id(item: Mapping[str, Any]) -> int:
    try:
        return int(item.get("id") or 0)
    except (TypeError, ValueError):
        return 0


def map_lines(raw: Mapping[str, Any], settings: ShopSettings) -> list[OrderLine]:
    lines: list[OrderLine] = []
    for item in raw.get("line_items") or []:
        name = clean_label(item.get("name"))
        sku = line_sku(item)
        tax_class = str(item.get("tax_class") or "")
        if tax_class not in settings.tax_classes:
            raise PermanentError(
                f"Nieznana klasa podatkowa „{tax_class}” w pozycji {sku}.",
                code="unknown_tax_class",
                details={"tax_class": tax_class, "sku": sku},
            )
        if item.get("quantity") in (None, ""):
            raise PermanentError(f"Pozycja „{name}” ({sku}) nie podaje ilości. Popraw zamówienie w sklepie.",
                                 code="malformed", details={"sku": sku, "quantity": None})
        quantity = to_decimal(item.get("quantity"))
        if quantity <= 0:
            raise PermanentError(f"Pozycja „{name}” ({sku}) ma ilość {quantity}: faktura wymaga ilości dodatniej. "
                                 "Popraw zamówienie w sklepie.", code="malformed",
                                 details={"sku": sku, "quantity": str(quantity)})
        lines.append(
            OrderLine(
                sku=sku,
                name=name,
                quantity=quantity,
                net=money(item.get("total")),
                vat=money(item.get("total_tax")),
                rate=settings.tax_classes[tax_class],
                item_id=_item_id(item),
            )
        )
    for ship in raw.get("shipping_lines") or []:
        net, vat = money(ship.get("total")), money(ship.get("total_tax"))
        if net or vat:
            lines.append(OrderLine(settings.shipping_service_code, clean_label(ship.get("method_title")) or "Dostawa",
                                   Decimal(1), net, vat, _rate_from_amounts(net, vat), is_service=True,
                                   item_id=_item_id(ship)))
    for fee in raw.get("fee_lines") or []:
        net, vat = money(fee.get("total")), money(fee.get("total_tax"))
        if net or vat:
            rate = settings.tax_classes.get(str(fee.get("tax_class") or ""), VatRate.R23)
            if fee.get("tax_status") == "none":
                rate = VatRate.ZW
            elif vat:
                rate = _rate_from_amounts(net, vat)
            lines.append(OrderLine(settings.fee_service_code, clean_label(fee.get("name")) or "Opłata",
                                   Decimal(1), net, vat, rate, is_service=True, item_id=_item_id(fee)))
    if not lines:
        raise PermanentError("Zamówienie nie ma żadnych pozycji.", code="malformed")
    return lines


def vat_tolerance(lines_at_rate: int) -> Decimal:
    """How far the shop's VAT for one rate may be from Optima's without being a mismatch.

    The shop rounds the tax of each line to the grosz and adds them up; Optima computes the VAT
    once from the rate's total (``vat_table``). Each line's rounding moves its tax by at most half
    a grosz, and the total's own rounding by half a grosz more: seven lines at 0.99 zł gross and
    23 % are 1.33 zł of VAT in the shop and 1.30 zł in Optima, both right. Anything beyond
    that bound is a real difference (e.g. a tax class mapped to the wrong rate); a single line
    keeps the 0.01 zł limit."""
    return max(TOLERANCE, HALF_GROSZ * (lines_at_rate + 1))


def reconcile(lines: list[OrderLine], total: Decimal, from_gross: bool) -> None:
    """Refuse an order whose figures do not add up (DESIGN.md §3: reconciled, never hidden):
    the lines' gross against the shop's total (0.01 zł), and the VAT of each rate against Optima's
    computation within ``vat_tolerance``."""
    gross = sum((line.gross for line in lines), ZERO)
    if abs(gross - total) > TOLERANCE:
        raise PermanentError(
            f"Kwoty się nie zgadzają: suma pozycji {gross} zł, a sklep podaje {total} zł.",
            code="amount_mismatch",
            details={"lines_gross": str(gross), "shop_total": str(total)},
        )
    shop_vat: dict[VatRate, Decimal] = {}
    counts: Counter[VatRate] = Counter(line.rate for line in lines)
    for line in lines:
        shop_vat[line.rate] = shop_vat.get(line.rate, ZERO) + line.vat
    values = [(line.rate, line.gross if from_gross else line.net) for line in lines]
    for row in vat_table(values, from_gross=from_gross):
        if abs(row.vat - shop_vat[row.rate]) > vat_tolerance(counts[row.rate]):
            raise PermanentError(
                f"VAT {row.rate.label} się nie zgadza: sklep {shop_vat[row.rate]} zł, "
                f"wyliczony jak w Optimie {row.vat} zł.",
                code="amount_mismatch",
                details={"rate": row.rate.label, "shop_vat": str(shop_vat[row.rate]), "optima_vat": str(row.vat)},
            )


def map_currency(raw: Mapping[str, Any], settings: ShopSettings) -> str:
    """The order's currency, which must be the one the console books in."""
    currency = str(raw.get("currency") or "").strip().upper()
    if not currency:
        raise PermanentError("Zamówienie nie podaje waluty (pole „currency” jest puste).", code="malformed",
                             details={"currency": None})
    if currency != settings.currency.upper():
        raise PermanentError(
            f"Zamówienie jest w walucie {currency}, a konsola księguje tylko w {settings.currency}: wystaw "
            "dokumenty ręcznie w Optimie (z kursem waluty) albo anuluj zamówienie.",
            code="unexpected_currency", details={"currency": currency, "expected": settings.currency},
        )
    return currency


def map_order(raw: Mapping[str, Any], settings: ShopSettings) -> Order:
    """Map one order; raise ``PermanentError`` with a Polish reason when it cannot be booked."""
    unreadable = unreadable_reason(raw)
    if unreadable:
        raise PermanentError(unreadable, code="malformed")
    try:
        return _map_order(raw, settings)
    except MoneyFormatError as exc:
        value = str(exc).removeprefix("not an amount: ")
        raise PermanentError(f"Zamówienie ma niepoprawną kwotę lub ilość: {value}. Popraw je w sklepie.",
                             code="malformed", details={"value": value}) from exc
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise PermanentError(f"Zamówienie ma niepoprawne pole ({type(exc).__name__}: {str(exc)[:200]}).",
                             code="malformed") from exc


def _map_order(raw: Mapping[str, Any], settings: ShopSettings) -> Order:
    shop_order_id = int(raw["id"])
    number = str(raw.get("number") or shop_order_id)
    check_order_texts(raw)
    currency = map_currency(raw, settings)
    prices_include_tax = bool(raw.get("prices_include_tax"))
    if raw.get("total") in (None, ""):
        raise PermanentError("Zamówienie nie podaje kwoty do zapłaty (pole „total” jest puste).", code="malformed",
                             details={"total": None})
    total = money(raw.get("total"))
    lines = map_lines(raw, settings)
    if not str(raw.get("status") or ""):
        raise PermanentError("Zamówienie nie ma statusu: nie wiadomo, czy zostało złożone.", code="malformed",
                             details={"field": "status"})
    ship = raw.get("shipping") if isinstance(raw.get("shipping"), Mapping) else {}
    buyer = _require_buyer(map_buyer(raw, settings), ship)
    payment = map_payment(raw, settings)
    ship_lines = raw.get("shipping_lines") or [{}]
    locker = meta_value(raw.get("meta_data"), settings.locker_keys) or meta_value(
        ship_lines[0].get("meta_data"), settings.locker_keys
    )
    check_text(locker, "Identyfikator punktu odbioru", "locker", LOCKER_ID_LIMIT, markup_allowed=False)
    shipping = Shipping(
        method_id=str(ship_lines[0].get("method_id") or ""),
        title=clean_label(ship_lines[0].get("method_title")),
        locker_id=locker,
        address=_address(ship) if ship.get("address_1") else buyer.address,
        recipient=f"{ship.get('first_name') or buyer.first_name} {ship.get('last_name') or buyer.last_name}".strip(),
        phone=str(ship.get("phone") or buyer.phone),
    )
    reconcile(lines, total, from_gross=prices_include_tax)
    return Order(
        shop_order_id=shop_order_id,
        number=number,
        status=str(raw.get("status") or ""),
        currency=currency,
        prices_include_tax=prices_include_tax,
        buyer=buyer,
        lines=tuple(lines),
        payment=payment,
        shipping=shipping,
        total=total,
        date_created_gmt=str(raw.get("date_created_gmt") or ""),
        date_modified_gmt=str(raw.get("date_modified_gmt") or ""),
        customer_note=str(raw.get("customer_note") or ""),
    )
