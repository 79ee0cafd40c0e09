"""The demo's Optima company: one SQLite file seeded like a freshly set-up Optima shop company.

It holds what the console needs to find before it books anything: the warehouse ``MAGAZYN``,
the item cards of the demo catalogue (the same codes the shop sells as SKUs) with their opening
stock and prices, the two service cards for shipping and fees, then the items behind the shop's
variable products (appended, so the earlier cards keep their ids), the FA / WZ / KP definitions,
the payment forms and registers the payment routes name, and a few contractors an operator
entered earlier. The file is seeded once; opening it again leaves every booked document where it
is (a file from before the price lists gets its prices then).

Prices as a shop's Optima keeps them: price list 1 is the purchase price (net), 2 "detaliczna"
the retail price the shop sells at (gross), 3 "hurtowa" a wholesale price (net).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from ..core.domain.vat import VatRate
from ..core.optima.rules.columns import split_street
from ..core.optima.schema import (
    WRITE_LOCK,
    BnkRachunki,
    DefCeny,
    DokDefinicje,
    FormyPlatnosci,
    Kontrahenci,
    Magazyny,
    Towary,
    TwrCeny,
    TwrIlosci,
    create_schema,
    optima_engine,
)
from ..core.optima.settings import OptimaSettings
from ..core.optima.simulated.booking import new_guid
from .catalogue import CATALOGUE, FEE_SERVICE_CODE, SHIPPING_SERVICE_CODE, VARIATION_GOODS, CatalogueItem

FILE_NAME = "optima.sqlite"
OPERATOR = "ADMIN"
#: share of the net sales price the demo bought its goods for (TwI_Wartosc is at purchase price)
PURCHASE_SHARE = Decimal("0.60")
#: share of the net retail price a wholesale buyer pays
WHOLESALE_SHARE = Decimal("0.85")
NET, GROSS = 1, 2  # TwC_Typ / DfC_Typ
PRICE_LISTS = [
    # DfC_Lp, name, typ
    (1, "zakupu", NET),
    (2, "detaliczna", GROSS),
    (3, "hurtowa", NET),
]
RETAIL_PRICE_LIST = 2

_DEFINITIONS = [
    # klasa, symbol, name
    (302, "FA", "Faktura sprzedaży"),
    (306, "WZ", "Wydanie zewnętrzne"),
    (202, "KP", "Kasa przyjmie"),
    (201, "KW", "Kasa wypłaci"),
    (309, "ZD", "Zamówienie u dostawcy"),
    (302, "FAKI", "Korekta ilościowa faktury sprzedaży"),
    (302, "FAKW", "Korekta wartościowa faktury sprzedaży"),
    (306, "WZKI", "Korekta wydania zewnętrznego"),
]
_REGISTERS = [
    # akronim, symbol, name, typ (1 = cash, 2 = bank account), account number
    ("KASA", "KASA", "Kasa główna", 1, ""),
    ("BANK", "BANK", "Rachunek bieżący", 2, "PL61 1090 1014 0000 0712 1981 2874"),
    ("PAYU", "PAYU", "PayU (bramka płatności)", 2, ""),
    ("P24", "P24", "Przelewy24 (bramka płatności)", 2, ""),
    ("PAYPAL", "PPAL", "PayPal", 2, ""),
    ("TPAY", "TPAY", "Tpay (bramka płatności)", 2, ""),
    ("STRIPE", "STRP", "Stripe", 2, ""),
]
_FORMS = [
    # name, typ (1 cash, 2 transfer, 5 card), days, register akronim, KSeF form (1 cash, 6 transfer).
    # A gateway's form is cash-type with the gateway's register: Optima then adds the KP and settles
    # the invoice by itself when it confirms it (the console's default settlement route).
    ("gotówka", 1, 0, "KASA", 1),
    ("przelew", 2, 7, "BANK", 6),
    ("karta", 5, 0, "BANK", 2),
    ("pobranie", 1, 14, None, 1),
    ("PayU", 1, 0, "PAYU", 6),
    ("Przelewy24", 1, 0, "P24", 6),
    ("PayPal", 1, 0, "PAYPAL", 6),
    ("Tpay", 1, 0, "TPAY", 6),
    ("Stripe", 1, 0, "STRIPE", 6),
]
_CONTRACTORS = [
    # code, name, NIP as typed into Optima, street, postcode, city, e-mail, VAT payer
    ("!NIEOKREŚLONY!", "!NIEOKREŚLONY!", "", "", "", "", "", 0),
    (
        "HURT-ORZEL",
        "Hurtownia Orzeł sp. z o.o.",
        "987-654-32-10",
        "ul. Składowa 4",
        "60-101",
        "Poznań",
        "biuro@hurtownia-orzel.example",
        1,
    ),
    (
        "KAWIARNIA-ZUBR",
        "Kawiarnia Żubr Anna Nowak",
        "1112223332",
        "Rynek 12/3",
        "31-042",
        "Kraków",
        "kawiarnia@zubr.example",
        1,
    ),
    (
        "KSIEGARNIA-SOWA",
        "Księgarnia Sowa s.c.",
        "8945123670",
        "ul. Długa 7",
        "80-831",
        "Gdańsk",
        "zamowienia@sowa.example",
        1,
    ),
    ("JAN.KOWALSKI", "Jan Kowalski", "", "ul. Polna 3", "00-001", "Warszawa", "jan.kowalski@example.com", 0),
]
#: the suppliers the goods come from (``Knt_Rodzaj_Dostawca``), by the item code's prefix; an
#: item's group (``Twr_TwGGIDNumer``) is its supplier's place here, so lead times can differ per group
_SUPPLIERS = [
    # code, name, NIP, street, postcode, city, e-mail, item code prefixes
    ("CERAMIKA-BOL", "Ceramika Bolesławiec sp. z o.o.", "6121234567", "ul. Garncarska 8", "59-700", "Bolesławiec",
     "zamowienia@ceramika-bol.example", ("KUB", "SW")),
    ("WYD-SOWA", "Wydawnictwo Sowa sp. j.", "5252345678", "ul. Książęca 3", "00-498", "Warszawa",
     "handel@wyd-sowa.example", ("KS", "NOT", "CZA", "GRA")),
    ("TKANINY-LODZ", "Tkaniny Łódzkie S.A.", "7251234561", "ul. Włókiennicza 20", "90-001", "Łódź",
     "biuro@tkaniny-lodz.example", ("KOSZ", "BLUZA", "SKARP")),
    ("SMAKI-PODLASIA", "Smaki Podlasia sp. z o.o.", "5422345670", "ul. Miodowa 1", "15-001", "Białystok",
     "sklep@smaki-podlasia.example", ("HER", "KAW", "MIO")),
]


def _database_file(path: Path) -> Path:
    """``path`` may name the file itself or the folder it lives in."""
    path = Path(path)
    if path.suffix in (".sqlite", ".db") or path.is_file():
        return path
    return path / FILE_NAME


def create_demo_optima(path: Path, *, now: datetime | None = None) -> Engine:
    """Open the demo company at ``path`` (a folder, or the ``.sqlite`` file), seeding it once.

    ``now`` dates the seed (opening stock on 1 January of its year); tests pass their clock.
    """
    file = _database_file(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    engine = optima_engine(f"sqlite:///{file}")
    seed_demo_optima(engine, now=now)
    return engine


def seed_demo_optima(engine: Engine, *, now: datetime | None = None) -> bool:
    """Create the CDN tables and seed an empty company; True when it seeded.

    On SQLite the check and the seed share one write-locked transaction, so two processes opening
    a new file at once seed it once. Works on any engine from ``optima_engine`` (PostgreSQL too).
    """
    create_schema(engine)
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            if conn.execute(select(func.count()).select_from(Towary)).scalar_one():
                if not conn.execute(select(func.count()).select_from(DefCeny)).scalar_one():
                    _seed_prices(conn)
                return False
            _seed(conn, (now or datetime.now()).replace(microsecond=0))
    return True


def _stamp(prefix: str, now: datetime) -> dict[str, Any]:
    return {
        f"{prefix}_TS_Zal": now,
        f"{prefix}_TS_Mod": now,
        f"{prefix}_OpeZalKod": OPERATOR,
        f"{prefix}_OpeModKod": OPERATOR,
    }


def _seed(conn: Any, now: datetime) -> None:
    settings = OptimaSettings()
    mag_id = conn.execute(
        Magazyny.insert().values(
            Mag_Symbol=settings.warehouse,
            Mag_Nazwa="Magazyn główny",
            Mag_Typ=1,
            Mag_TwCNumer=2,
            **_stamp("Mag", now),
        )
    ).inserted_primary_key[0]
    conn.execute(
        DokDefinicje.insert(),
        [
            {
                "DDf_Klasa": klasa,
                "DDf_Symbol": symbol,
                "DDf_Nazwa": name,
                "DDf_Numeracja": "@symbol/@numerS/@rok_kal",
                "DDf_ImportRowId": new_guid(),
                **_stamp("DDf", now),
            }
            for klasa, symbol, name in _DEFINITIONS
        ],
    )
    registers = {}
    for akronim, symbol, name, typ, account in _REGISTERS:
        registers[akronim] = conn.execute(
            BnkRachunki.insert().values(
                BRa_Akronim=akronim,
                BRa_Symbol=symbol,
                BRa_Nazwa=name,
                BRa_Typ=typ,
                BRa_RachunekNr=account,
                BRa_Waluta="PLN",
                BRa_KursL=1,
                BRa_KursM=1,
                BRa_ImportRowId=new_guid(),
                **_stamp("BRa", now),
            )
        ).inserted_primary_key[0]
    conn.execute(
        FormyPlatnosci.insert(),
        [
            {
                "FPl_Nazwa": name,
                "FPl_Typ": typ,
                "FPl_Termin": days,
                "FPl_BRaId": registers[register] if register else None,
                "FPl_KSeFId": ksef,
                "FPl_Domyslna": 1 if name == "przelew" else 0,
                "FPl_ImportRowId": new_guid(),
            }
            for name, typ, days, register, ksef in _FORMS
        ],
    )
    _seed_contractors(conn, now)
    _seed_items(conn, now, int(mag_id))


def item_row(
    code: str, name: str, ean: str, typ: int, rate: VatRate, unit: str, now: datetime
) -> dict[str, Any]:
    """A ``CDN.Towary`` row as Optima fills it for a new card (goods: ``typ`` 1, service: 0)."""
    return {
        "Twr_Typ": typ,
        "Twr_Kod": code,
        "Twr_Nazwa": name,
        "Twr_EAN": ean,
        "Twr_JM": unit,
        "Twr_JMCalkowite": 1 if typ == 1 else 0,
        "Twr_TwCNumer": 2,
        "Twr_Waluta": "PLN",
        "Twr_Stawka": rate.percent,
        "Twr_Flaga": rate.optima_flag,
        "Twr_StawkaZak": rate.percent,
        "Twr_FlagaZak": rate.optima_flag,
        "Twr_KrajPochodzenia": "PL",
        "Twr_WagaKG": Decimal(0),
        **_stamp("Twr", now),
    }


def _seed_items(conn: Any, now: datetime, mag_id: int) -> None:
    """Item cards, then opening stock on 1 January: per warehouse and the all-warehouses total;
    then the price lists."""
    def goods(items: tuple[CatalogueItem, ...]) -> list[dict[str, Any]]:
        return [{**item_row(i.code, i.name, i.ean, 1, i.rate, i.unit, now), "Twr_WagaKG": i.weight_kg} for i in items]

    rows = goods(CATALOGUE)
    rows.append(item_row(SHIPPING_SERVICE_CODE, "Usługa transportowa", "", 0, VatRate.R23, "usł.", now))
    rows.append(item_row(FEE_SERVICE_CODE, "Opłata dodatkowa", "", 0, VatRate.R23, "usł.", now))
    rows += goods(VARIATION_GOODS)
    suppliers = dict(conn.execute(select(Kontrahenci.c.Knt_Kod, Kontrahenci.c.Knt_KntId)).all())
    for row in rows:
        row.update(Twr_KntId=None, Twr_TwGGIDNumer=0)
        prefix = row["Twr_Kod"].split("-")[0]
        for number, (code, *_, prefixes) in enumerate(_SUPPLIERS, start=1):
            if prefix in prefixes:
                row["Twr_KntId"] = suppliers[code]
                row["Twr_TwGGIDNumer"] = number
    conn.execute(Towary.insert(), rows)
    ids = dict(conn.execute(select(Towary.c.Twr_Kod, Towary.c.Twr_TwrId)).all())
    opening = datetime(now.year, 1, 1)
    stock = []
    for item in CATALOGUE + VARIATION_GOODS:
        net = _net(item)
        value = (net * PURCHASE_SHARE * item.stock).quantize(Decimal("0.01"))
        for warehouse in (mag_id, None):
            stock.append(
                {
                    "TwI_TwrId": ids[item.code],
                    "TwI_MagId": warehouse,
                    "TwI_Data": opening,
                    "TwI_Ilosc": Decimal(item.stock),
                    "TwI_Wartosc": value,
                }
            )
    conn.execute(TwrIlosci.insert(), stock)
    _seed_prices(conn)


def _net(item: CatalogueItem) -> Decimal:
    return item.price_gross * 100 / (100 + item.rate.percent)


def _seed_prices(conn: Any) -> None:
    """The price lists and, for every catalogue item the company has, its three prices."""
    conn.execute(
        DefCeny.insert(),
        [{"DfC_Lp": lp, "DfC_Nazwa": name, "DfC_Typ": typ, "DfC_Waluta": "PLN"} for lp, name, typ in PRICE_LISTS],
    )
    ids = dict(conn.execute(select(Towary.c.Twr_Kod, Towary.c.Twr_TwrId)).all())
    cent = Decimal("0.01")
    rows = []
    for item in CATALOGUE + VARIATION_GOODS:
        if item.code not in ids:
            continue
        values = {
            1: (_net(item) * PURCHASE_SHARE).quantize(cent),
            2: item.price_gross,
            3: (_net(item) * WHOLESALE_SHARE).quantize(cent),
        }
        for lp, _, typ in PRICE_LISTS:
            rows.append({"TwC_TwrID": ids[item.code], "TwC_TwCNumer": lp, "TwC_Typ": typ,
                         "TwC_Wartosc": values[lp], "TwC_Waluta": "PLN"})
    conn.execute(TwrCeny.insert(), rows)


def _seed_contractors(conn: Any, now: datetime) -> None:
    rows = []
    cards = [(*c, False) for c in _CONTRACTORS] + [(*s[:7], 1, True) for s in _SUPPLIERS]
    for code, name, nip, street, postcode, city, email, vat_payer, supplier in cards:
        compact = nip.replace("-", "")
        ulica, dom, lokal = split_street(street)
        rows.append(
            {
                "Knt_Kod": code,
                "Knt_Nazwa1": name,
                "Knt_Nip": nip,
                "Knt_NipE": compact,
                "Knt_Ulica": ulica,
                "Knt_NrDomu": dom,
                "Knt_NrLokalu": lokal,
                "Knt_KodPocztowy": postcode,
                "Knt_Miasto": city,
                "Knt_Poczta": city,
                "Knt_Kraj": "Polska",
                "Knt_KrajISO": "PL",
                "Knt_Email": email,
                "Knt_PodatekVat": vat_payer,
                "Knt_Finalny": 0 if vat_payer else 1,
                "Knt_Rodzaj_Odbiorca": 0 if supplier else 1,
                "Knt_Rodzaj_Dostawca": 1 if supplier else 0,
                "Knt_ImportRowId": new_guid(),
                **_stamp("Knt", now),
            }
        )
    conn.execute(Kontrahenci.insert(), rows)
