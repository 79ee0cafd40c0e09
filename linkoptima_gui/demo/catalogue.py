"""The demo world's catalogue: one list both the shop emulator and the simulated Optima are
seeded from, so every shop SKU is an Optima ``Twr_Kod`` (except the few the demo breaks on
purpose to show exceptions).

Deterministic: the same ~200 items on every machine, without any randomness. After them come a
couple of variable products (``VARIABLE_PRODUCTS``), seeded after everything else so the simple
products keep their shop ids and Optima ids: one whose sizes are separate Optima items with their
own stock, and one whose colours share the stock of a single Optima item, kept on the parent
product ("managed by the parent", woocommerce.md §1.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.domain.vat import VatRate


@dataclass(frozen=True)
class CatalogueItem:
    code: str  # Twr_Kod = shop SKU
    name: str
    ean: str
    rate: VatRate
    price_gross: Decimal  # shop price, VAT included
    unit: str
    stock: int  # opening stock in the demo warehouse
    weight_kg: Decimal
    tax_class: str  # WooCommerce tax class for the rate ("" = standard 23 %)


#: Item codes of services Optima needs for shipping and fees (Twr_Typ = 0, no stock).
SHIPPING_SERVICE_CODE = "USL-TRANSPORT"
FEE_SERVICE_CODE = "USL-OPLATA"

_FAMILIES: list[tuple[str, str, VatRate, Decimal, str, Decimal]] = [
    # prefix, base name, rate, base gross price, unit, weight
    ("KUB", "Kubek ceramiczny", VatRate.R23, Decimal("29.99"), "szt.", Decimal("0.35")),
    ("KS", "Książka", VatRate.R5, Decimal("39.90"), "szt.", Decimal("0.60")),
    ("KOSZ", "Koszulka bawełniana", VatRate.R23, Decimal("59.00"), "szt.", Decimal("0.20")),
    ("HER", "Herbata liściasta", VatRate.R5, Decimal("24.50"), "opak.", Decimal("0.10")),
    ("KAW", "Kawa ziarnista", VatRate.R5, Decimal("49.99"), "opak.", Decimal("1.00")),
    ("ŚW", "Świeca sojowa", VatRate.R23, Decimal("34.90"), "szt.", Decimal("0.40")),
    ("MIO", "Miód wielokwiatowy", VatRate.R5, Decimal("32.00"), "słoik", Decimal("0.50")),
    ("NOT", "Notes w kratkę", VatRate.R23, Decimal("12.99"), "szt.", Decimal("0.15")),
    ("GRA", "Gra planszowa", VatRate.R23, Decimal("129.00"), "szt.", Decimal("1.20")),
    ("CZA", "Czasopismo kwartalnik", VatRate.R8, Decimal("19.90"), "szt.", Decimal("0.25")),
]
_VARIANTS = [
    "Żółw", "Łoś", "Jeż", "Sowa", "Dzięcioł", "Żubr", "Bóbr", "Ćma", "Wilk", "Ryś",
    "Kruk", "Łabędź", "Źrebak", "Wróbel", "Sęp", "Żuraw", "Mrówka", "Ślimak", "Lis", "Orzeł",
]
_TAX_CLASS = {VatRate.R23: "", VatRate.R8: "reduced-rate", VatRate.R5: "super-reduced-rate", VatRate.R0: "zero-rate"}


def _opening_stock(n: int) -> int:
    """Plenty for a long demo, except every 40th item: kept scarce so that an order now and
    then stops on "insufficient stock" and the exception flow has something to show."""
    return 2 + n % 3 if n % 40 == 7 else 80 + (n * 37) % 160


def _ean13(body12: str) -> str:
    """Complete a 12-digit body with the EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _ascii_code(prefix: str) -> str:
    """Optima codes are varchar (code page): keep SKUs ASCII so they survive the round trip."""
    return prefix.replace("Ś", "S").replace("Ż", "Z").replace("Ł", "L")


def build_catalogue() -> list[CatalogueItem]:
    items: list[CatalogueItem] = []
    for f, (prefix, base, rate, price, unit, weight) in enumerate(_FAMILIES):
        for v, variant in enumerate(_VARIANTS):
            n = f * len(_VARIANTS) + v
            step = Decimal(v % 7) * Decimal("2.50")
            items.append(
                CatalogueItem(
                    code=f"{_ascii_code(prefix)}-{v + 1:03d}",
                    name=f"{base} {variant}",
                    ean=_ean13(f"590{1234:04d}{n:05d}"),
                    rate=rate,
                    price_gross=price + step,
                    unit=unit,
                    stock=_opening_stock(n),
                    weight_kg=weight,
                    tax_class=_TAX_CLASS[rate],
                )
            )
    return items


CATALOGUE: tuple[CatalogueItem, ...] = tuple(build_catalogue())


@dataclass(frozen=True)
class VariableProduct:
    """A variable shop product and the Optima item cards behind it.

    With ``stock_on_parent`` False each option is its own item (``items[i]`` is ``options[i]``,
    variation SKU = item code). With ``stock_on_parent`` True there is one item: the parent
    carries its code as SKU and its stock, and the variations have no SKU of their own (the shop
    shows the parent's).
    """

    name: str
    attribute: str
    options: tuple[str, ...]
    items: tuple[CatalogueItem, ...]
    stock_on_parent: bool = False


def _variant(code: str, name: str, n: int, price: str, stock: int) -> CatalogueItem:
    return CatalogueItem(
        code=code,
        name=name,
        ean=_ean13(f"590{1235:04d}{n:05d}"),
        rate=VatRate.R23,
        price_gross=Decimal(price),
        unit="szt.",
        stock=stock,
        weight_kg=Decimal("0.45"),
        tax_class=_TAX_CLASS[VatRate.R23],
    )


VARIABLE_PRODUCTS: tuple[VariableProduct, ...] = (
    VariableProduct(
        name="Bluza z kapturem",
        attribute="Rozmiar",
        options=("S", "M", "L", "XL"),
        items=tuple(
            _variant(f"BLUZA-{size}", f"Bluza z kapturem, rozmiar {size}", n, price, stock)
            for n, (size, price, stock) in enumerate(
                (("S", "149.00", 12), ("M", "149.00", 25), ("L", "149.00", 18), ("XL", "159.00", 6))
            )
        ),
    ),
    VariableProduct(
        name="Skarpetki bambusowe",
        attribute="Kolor",
        options=("czarne", "szare", "granatowe"),
        items=(_variant("SKARP-BAMBUS", "Skarpetki bambusowe", 10, "29.90", 60),),
        stock_on_parent=True,
    ),
)

#: The Optima goods behind the variable products (appended after the services in Optima).
VARIATION_GOODS: tuple[CatalogueItem, ...] = tuple(item for p in VARIABLE_PRODUCTS for item in p.items)
