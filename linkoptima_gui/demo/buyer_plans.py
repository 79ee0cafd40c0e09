"""What the demo's simulated buyers order: one deterministic stream of orders per seed.

The k-th order is drawn from a random generator seeded with (seed, k), so a restart between two
orders, or a console that changes orders in the meantime, does not change what the next buyer
orders. The placers (``ShopCustomers`` into the emulator's store, ``RestCustomers`` through a
real shop's REST API) keep a ledger of what they placed in the same ``customer_orders`` table.

The mix mirrors a small Polish shop: mostly online payments (PayU, Przelewy24, PayPal) that are
confirmed at once; cash on delivery, which checkout leaves in processing with ``date_paid`` but
no transaction id; bank transfers left on hold, about two thirds of which get paid a few orders
later. A quarter of buyers are companies asking for an invoice with a valid NIP; about 3 % of
orders are broken on purpose (a SKU Optima does not know, or an invalid NIP) so that the console
has exceptions to show.
"""

from __future__ import annotations

import random
import sqlite3
import string
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from faker import Faker

from .catalogue import CATALOGUE

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
ONLINE = (("payustandard", "PayU", 0.5), ("przelewy24", "Przelewy24", 0.35), ("ppcp-gateway", "PayPal", 0.15))
LOCKER_TOWNS = (
    "WAW",
    "KRA",
    "POZ",
    "GDA",
    "WRO",
    "LOD",
    "KAT",
    "LUB",
    "BIA",
    "SZC",
    "RZE",
    "OLS",
    "BYD",
    "TOR",
)
PARCEL_LOCKER = {
    "method_id": "easypack_parcel_machines",
    "method_title": "InPost Paczkomat 24/7",
    "instance_id": "3",
    "total": "13.00",
}
COURIER = {"method_id": "flat_rate", "method_title": "Kurier", "instance_id": "1", "total": "16.26"}
#: a second courier method (the demo's mix sends it by DHL through Furgonetka, ``flat_rate`` by DPD)
COURIER_DHL = {"method_id": "free_shipping", "method_title": "Kurier DHL", "instance_id": "2", "total": "16.26"}
COD_FEE = {"name": "Opłata za pobranie", "total": "5.00", "tax_class": "", "tax_status": "taxable"}
UNKNOWN_PREFIX = "NIEZNANY-"
TRANSFER_DELAY = 3  # a transfer is paid once this many later orders have been placed
_NOTES = (
    "Proszę o dostawę po 16:00.",
    "Paczka na prezent, proszę bez paragonu w środku.",
    "Proszę o kontakt telefoniczny przed doręczeniem.",
    "Domofon nie działa, proszę dzwonić.",
)
LEDGER_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS customer_orders (k INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, "
    "payment_method TEXT NOT NULL, transfer_pays INTEGER NOT NULL, settled INTEGER NOT NULL)"
)


def nip_check_digit(first9: list[int]) -> int:
    """The NIP checksum: weighted sum mod 11 (10 means no valid NIP with these digits)."""
    return sum(w * d for w, d in zip(NIP_WEIGHTS, first9, strict=True)) % 11


def make_nip(rng: random.Random, valid: bool = True) -> str:
    """A 10-digit NIP, valid by checksum (or deliberately not); the first digit is never 0."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = nip_check_digit(digits)
        if check != 10:
            break
    last = check if valid else (check + rng.randint(1, 9)) % 10
    return "".join(map(str, digits)) + str(last)


def _ascii(text: str) -> str:
    text = text.translate(str.maketrans("łŁ", "lL"))
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if c.isascii() and (c.isalnum() or c in ".-")
    )


@dataclass(frozen=True)
class BuyerPlan:
    """One buyer's order as a ``POST orders`` body, line items named by ``sku`` (the placer
    turns them into the shop's product ids), and whether a bank transfer will be paid later."""

    payload: dict[str, Any]
    transfer_pays: bool


def unknown_sku(number: int) -> str:
    """A product the shop sells but Optima has never heard of (the broken orders use it)."""
    return f"{UNKNOWN_PREFIX}{number:03d}"


def unknown_product(sku: str) -> dict[str, Any]:
    """The shop product behind ``unknown_sku`` (created in the shop the first time it is sold)."""
    number = int(sku.removeprefix(UNKNOWN_PREFIX))
    return {
        "name": f"Zestaw upominkowy spoza katalogu {number}",
        "sku": sku,
        "regular_price": f"{Decimal(49) + number * 10:.2f}",
        "tax_class": "",
        "manage_stock": True,
        "stock_quantity": 50,
    }


class BuyerPlanner:
    """Draws the k-th buyer's order for a seed (Faker's Polish names, addresses and phones)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._faker = Faker("pl_PL")

    def plan(self, k: int) -> BuyerPlan:
        """The k-th buyer's order: the same for the same seed and k on every machine."""
        rng = random.Random(f"linkoptima-shop:{self.seed}:{k}")
        fake = self._faker
        fake.seed_instance(rng.getrandbits(64))
        broken = rng.random() < 0.03
        broken_kind = "sku" if rng.random() < 0.5 else "nip"
        company = rng.random() < 0.25 or (broken and broken_kind == "nip")
        female = rng.random() < 0.5
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name_female() if female else fake.last_name_male()
        local = f"{_ascii(first)}.{_ascii(last)}".lower() + (
            str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
        )
        address = {
            "first_name": first,
            "last_name": last,
            "company": "",
            "address_1": fake.street_address(),
            "address_2": "",
            "city": fake.city(),
            "state": "",
            "postcode": fake.postcode(),
            "country": "PL",
        }
        billing = {
            **address,
            "email": f"{local}@{rng.choice(('example.com', 'example.net', 'example.org'))}",
            "phone": fake.phone_number(),
        }
        meta: list[dict[str, Any]] = []
        if company:
            billing["company"] = fake.company()
            nip = make_nip(rng, valid=not (broken and broken_kind == "nip"))
            meta += [{"key": "_billing_nip", "value": nip}, {"key": "_billing_invoice_ask", "value": "1"}]
        shipping = {**address, "phone": billing["phone"]}
        if rng.random() < 0.1:
            shipping.update(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                address_1=fake.street_address(),
                city=fake.city(),
                postcode=fake.postcode(),
            )

        picks = rng.sample(range(len(CATALOGUE)), rng.randint(1, 4))
        lines = [{"sku": CATALOGUE[i].code, "quantity": rng.randint(1, 3)} for i in picks]
        if broken and broken_kind == "sku":
            lines[rng.randrange(len(lines))]["sku"] = unknown_sku(rng.randint(1, 5))

        payment = rng.random()
        transfer_pays = rng.random() < 2 / 3
        if payment < 0.70:
            method, title = self._online(rng)
            status, paid, transaction = "pending", True, self._transaction_id(method, rng)
        elif payment < 0.85:
            method, title, status, paid, transaction = (
                "cod",
                "Płatność przy odbiorze",
                "processing",
                False,
                "",
            )
        else:
            method, title, status, paid, transaction = "bacs", "Przelew bankowy", "on-hold", False, ""
        if rng.random() < 0.6:
            carrier = dict(PARCEL_LOCKER)
            locker = f"{rng.choice(LOCKER_TOWNS)}{rng.randint(1, 399):02d}{rng.choice('MNA')}"
            meta.append({"key": "_parcel_machine_id", "value": locker})
        else:
            carrier = dict(COURIER if method == "cod" else COURIER_DHL)  # no draw: the seed's orders stay
        note = rng.choice(_NOTES) if rng.random() < 0.05 else ""
        payload = {
            "status": status,
            "set_paid": paid,
            "transaction_id": transaction,
            "payment_method": method,
            "payment_method_title": title,
            "billing": billing,
            "shipping": shipping,
            "customer_note": note,
            "meta_data": meta,
            "line_items": lines,
            "shipping_lines": [carrier],
            "fee_lines": [dict(COD_FEE)] if method == "cod" else [],
        }
        return BuyerPlan(payload, method == "bacs" and transfer_pays)

    @staticmethod
    def _online(rng: random.Random) -> tuple[str, str]:
        draw, upto = rng.random(), 0.0
        for method, title, weight in ONLINE:
            upto += weight
            if draw < upto:
                return method, title
        return ONLINE[-1][0], ONLINE[-1][1]

    @staticmethod
    def _transaction_id(method: str, rng: random.Random) -> str:
        """Gateway references in the gateways' own shapes (PayU, Przelewy24 and PayPal)."""
        alphabet = string.ascii_uppercase + string.digits
        if method == "payustandard":
            return "".join(rng.choice(alphabet) for _ in range(10)) + "PAYU"
        if method == "przelewy24":
            return str(rng.randint(300_000_000, 999_999_999))
        return "".join(rng.choice(alphabet) for _ in range(17))


# --- the placers' ledger ----------------------------------------------------------------------

def ledger_seed(db: sqlite3.Connection, seed: int) -> int:
    """Create the ledger if needed; the seed stored on first use wins over ``seed``."""
    db.execute(LEDGER_SCHEMA)
    db.execute("CREATE TABLE IF NOT EXISTS customer_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT OR IGNORE INTO customer_settings VALUES ('seed', ?)", (str(seed),))
    return int(db.execute("SELECT value FROM customer_settings WHERE name = 'seed'").fetchone()[0])


def next_buyer(db: sqlite3.Connection) -> int:
    """k of the next buyer (buyers who found their cart sold out count too)."""
    return int(db.execute("SELECT COUNT(*) FROM customer_orders").fetchone()[0])


def orders_placed(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COUNT(*) FROM customer_orders WHERE order_id > 0").fetchone()[0])


def record_buyer(db: sqlite3.Connection, k: int, plan: BuyerPlan, order_id: int) -> None:
    """The k-th buyer's outcome: the order's id, or 0 when the whole cart was sold out."""
    db.execute("INSERT INTO customer_orders VALUES (?, ?, ?, ?, ?)",
               (k, order_id, plan.payload["payment_method"], int(plan.transfer_pays and order_id > 0),
                int(order_id == 0)))


def transfers_due(db: sqlite3.Connection, k: int) -> list[tuple[int, int]]:
    """(k, order id) of transfers whose money arrives now: once TRANSFER_DELAY more orders came."""
    return [tuple(row) for row in db.execute(
        "SELECT k, order_id FROM customer_orders WHERE payment_method = 'bacs' AND transfer_pays = 1 "
        "AND settled = 0 AND k <= ? ORDER BY k", (k - TRANSFER_DELAY,)).fetchall()]


def transfer_settled(db: sqlite3.Connection, k: int) -> None:
    db.execute("UPDATE customer_orders SET settled = 1 WHERE k = ?", (k,))
