"""Ninety days of the demo shop's past, so the Pulpit has something to show from the first start.

A new demo world for the console gets, once:

- in its Optima: the past shop orders booked the way the console books them (FA, WZ from the FA,
  the KP of an online payment, the bank receipt of a transfer; cash on delivery paid out by the
  carrier a few days after shipping, the last few days' still open), counter sales (PA) and the
  deliveries (PZ) that kept the goods in stock, except for a few bestsellers whose last delivery
  never came: those now run out within their supplier's lead time and fill the "do zamówienia"
  table. Every row goes in through the simulated Optima's own booking code, dated in the past;
- in the console's store: the same orders, finished (every step done, packed at a station, the
  shop told), with their audit trail, and now and then an exception that a person solved.

The past must never become this run's work: its orders carry numbers far above the shop's (from
``FIRST_NUMBER``), are packed and issued (no WZ missing, so the stock sync never counts them),
have no pending step, and today's part ends an hour before the world was opened.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ..core.domain.money import round_grosz
from ..core.domain.order import Address, Buyer, BuyerKind, Order, OrderLine, Payment, PaymentKind, Shipping
from ..core.domain.steps import Stage, Step, StepState
from ..core.optima import queries as q
from ..core.optima.port import ContractorRef
from ..core.optima.rules.master_data import KP_CLASS, find_definition
from ..core.optima.rules.refusals import load_invoice
from ..core.optima.settings import OptimaSettings
from ..core.optima.simulated import SimulatedOptimaWriter, SimulatedStockMoves
from ..core.optima.simulated.booking import write_transaction
from ..core.optima.simulated.documents import book_invoice
from ..core.optima.simulated.payments import book_payment
from ..core.optima.simulated.wz import book_wz
from ..core.store.models import AuditEvent, JobRow, KeyValue, OrderRow
from .catalogue import CATALOGUE, SHIPPING_SERVICE_CODE, CatalogueItem

DAYS = 90
#: shop order ids and numbers of the past start here, far above what the demo shop hands out
FIRST_NUMBER = 900_001
#: the store's mark that the past was written (never twice)
MARK = "demo_history"
STATIONS = ("stanowisko-1", "stanowisko-2")
SHIPPING_GROSS = Decimal("13.99")
#: bestsellers whose last delivery never came (they fill the reorder table)
NEGLECTED = 12
_PAYMENTS = (  # method id, title, kind, weight
    ("payustandard", "PayU", PaymentKind.ONLINE, 45), ("przelewy24", "Przelewy24", PaymentKind.ONLINE, 20),
    ("cod", "Płatność przy odbiorze", PaymentKind.COD, 20), ("bacs", "Przelew bankowy", PaymentKind.TRANSFER, 15),
)
_BUYERS = (("Anna", "Nowak", "Kraków"), ("Piotr", "Wiśniewski", "Warszawa"), ("Zofia", "Lewandowska", "Łódź"),
           ("Marek", "Zieliński", "Gdańsk"), ("Ewa", "Szymańska", "Poznań"), ("Łukasz", "Wójcik", "Wrocław"),
           ("Joanna", "Kamińska", "Lublin"), ("Michał", "Kozłowski", "Szczecin"), ("Barbara", "Mazur", "Białystok"),
           ("Grzegorz", "Krawczyk", "Toruń"), ("Małgorzata", "Piotrowska", "Rzeszów"), ("Tomasz", "Grabowski", "Opole"))
#: reasons of the exceptions a person solved (code, step, reason)
_PROBLEMS = (("insufficient_stock", "wz", "Za mało towaru w magazynie MAGAZYN"),
             ("invalid_nip", "fa", "Nieprawidłowy NIP nabywcy"),
             ("unknown_sku", "fa", "Nie ma w Optimie towaru o podanym kodzie"),
             ("ksef_missing", "email", "Faktura nadal nie ma numeru KSeF"),
             ("email_refused", "email", "Serwer poczty odrzucił adres odbiorcy"))


@dataclass
class _PastOrder:
    number: int
    order: Order
    paid: datetime  # local
    packed: datetime  # local
    station: str
    problem: tuple[str, str, str] | None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _line(item: CatalogueItem, quantity: int) -> OrderLine:
    gross = item.price_gross * quantity
    net = round_grosz(gross * 100 / (100 + item.rate.percent))
    return OrderLine(item.code, item.name, Decimal(quantity), net, gross - net, item.rate)


def _buyer(index: int) -> Buyer:
    first, last, city = _BUYERS[index % len(_BUYERS)]
    email = f"{first}.{last}".lower().translate(str.maketrans("ąćęłńóśźż", "acelnoszz")) + "@example.pl"
    return Buyer(BuyerKind.PERSON, first, last, email, "+48 600 100 200",
                 address=Address("ul. Długa 5/12", city, "31-147"))


class _Shelf:
    """The stock the past sells from, day by day: sales take what is there, deliveries come a
    week after the stock ran low (except the neglected bestsellers' last one)."""

    def __init__(self, rng: random.Random) -> None:
        self.items = [item for item in CATALOGUE if item.stock >= 20]
        ranks = list(range(len(self.items)))
        rng.shuffle(ranks)
        self.weights = [1 / (rank + 1) ** 0.9 for rank in ranks]
        self.stock = {item.code: item.stock for item in self.items}
        best = sorted(range(len(self.items)), key=lambda i: -self.weights[i])
        self.neglected = {self.items[i].code for i in best[:NEGLECTED]}
        for i in best[:NEGLECTED]:  # the bestsellers sell faster still: their stock runs down in the window
            self.weights[i] *= 3
        self.pending: dict[str, date] = {}

    def pick(self, rng: random.Random) -> CatalogueItem:
        """What a buyer takes: a sold-out item is not offered (the shop hides it), so they pick again."""
        for _ in range(20):
            item = rng.choices(self.items, weights=self.weights)[0]
            if self.stock[item.code] > 0:
                return item
        return item

    def take(self, code: str, quantity: int) -> int:
        taken = min(quantity, self.stock[code])
        self.stock[code] -= taken
        return taken

    def deliveries(self, day: date, last_day: date) -> dict[str, int]:
        """What arrives on ``day``; orders what runs low (a neglected item's last order is lost)."""
        arriving = {code: 0 for code, when in self.pending.items() if when == day}
        for code in arriving:
            del self.pending[code]
            arriving[code] = 150
            self.stock[code] += 150
        for code, have in self.stock.items():
            if have < 25 and code not in self.pending and not (code in self.neglected and (last_day - day).days < 55):
                self.pending[code] = day + timedelta(days=7)
        return arriving


def plan_history(now: datetime, seed: int = 1) -> tuple[list[_PastOrder], dict[date, dict[str, int]], dict[date, dict[str, int]]]:
    """The past orders, and per day the counter sales and deliveries, ending an hour before ``now``
    (an aware local time); deterministic for a seed."""
    rng = random.Random(seed * 7919)
    shelf = _Shelf(rng)
    end = now - timedelta(hours=1)
    orders: list[_PastOrder] = []
    counter: dict[date, dict[str, int]] = {}
    deliveries: dict[date, dict[str, int]] = {}
    for back in range(DAYS, -1, -1):
        day = (now - timedelta(days=back)).date()
        arriving = shelf.deliveries(day, now.date())
        if arriving:
            deliveries[day] = arriving
        weekend = day.weekday() >= 5
        for _ in range(rng.randint(1, 3) if weekend else rng.randint(4, 8)):
            paid = datetime.combine(day, time(rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 20, 21)),
                                              rng.randint(0, 59)), now.tzinfo)
            wait = timedelta(minutes=rng.randint(25, 240)) if paid.hour < 15 else timedelta(hours=rng.randint(12, 18))
            packed = paid + wait
            if packed > end:  # the part of today (and last night) already done: packed by now
                if paid > end - timedelta(minutes=20):
                    continue
                packed = paid + (end - paid) * rng.uniform(0.3, 0.95)
            lines = []
            for item in {shelf.pick(rng).code: None for _ in range(rng.randint(1, 3))}:
                have = shelf.take(item, rng.choice((1, 1, 1, 2, 2, 3)))
                if have:
                    lines.append(_line(next(i for i in shelf.items if i.code == item), have))
            if not lines:
                continue
            method, title, kind, _ = rng.choices(_PAYMENTS, weights=[p[3] for p in _PAYMENTS])[0]
            shipping = _line(replace(CATALOGUE[0], code=SHIPPING_SERVICE_CODE, name="Wysyłka", price_gross=SHIPPING_GROSS), 1)
            shipping = replace(shipping, is_service=True)
            lines.append(shipping)
            number = FIRST_NUMBER + len(orders)
            total = sum((line.gross for line in lines), Decimal(0))
            order = Order(number, str(number), "completed", "PLN", True, _buyer(rng.randrange(len(_BUYERS))), tuple(lines),
                          Payment(method, title, kind, f"T{number}", kind is not PaymentKind.COD),
                          Shipping("easypack_parcel_machines", "Paczkomat", "KRA01M"), total)
            problem = rng.choice(_PROBLEMS) if rng.random() < 0.12 else None
            orders.append(_PastOrder(number, order, paid, packed, rng.choice(STATIONS), problem))
        sales: dict[str, int] = {}
        if back == 50:  # a wholesale buyer takes most of the bestsellers at the counter
            for code in sorted(shelf.neglected):
                sales[code] = shelf.take(code, max(0, shelf.stock[code] - rng.randint(20, 40)))
        if not weekend:
            for _ in range(rng.randint(0, 4)):
                item = shelf.pick(rng)
                if shelf.take(item.code, 1):
                    sales[item.code] = sales.get(item.code, 0) + 1
        sales = {code: n for code, n in sales.items() if n}
        if sales:
            counter[day] = sales
    return orders, counter, deliveries


class _Clock:
    """The past's "now", moved along as the documents are booked."""

    def __init__(self) -> None:
        self.at = datetime.now()

    def __call__(self) -> datetime:
        return self.at


def book_in_optima(engine: Engine, settings: OptimaSettings, orders: list[_PastOrder],
                   counter: dict[date, dict[str, int]], deliveries: dict[date, dict[str, int]], now: datetime) -> None:
    """Book the past into the simulated Optima, day by day, with its own booking code."""
    clock = _Clock()
    writer = SimulatedOptimaWriter(engine, settings, clock=clock)
    moves = SimulatedStockMoves(engine, settings, clock=clock)
    cards: dict[str, ContractorRef] = {}
    for past in orders:
        email = past.order.buyer.email
        if email not in cards:
            cards[email] = writer.ensure_contractor(past.order.buyer)
    days = sorted({*counter, *deliveries, *(p.paid.date() for p in orders)})
    by_day: dict[date, list[_PastOrder]] = {}
    for past in orders:
        by_day.setdefault(past.paid.date(), []).append(past)
    for day in days:
        clock.at = datetime.combine(day, time(6, 30))
        if day in deliveries:
            moves.deliver(deliveries[day])
        with write_transaction(engine) as conn:
            fa = find_definition(conn, settings.invoice_definition, q.FA_TYPE)
            wz = find_definition(conn, settings.wz_definition, q.WZ_TYPE)
            kp = find_definition(conn, settings.kp_definition, KP_CLASS)
            for past in by_day.get(day, []):
                booked = past.paid.replace(tzinfo=None)
                invoice = book_invoice(conn, settings, fa, past.order, cards[past.order.buyer.email], booked)
                header = load_invoice(conn, invoice)
                book_wz(conn, settings, wz, header, booked)
                payout = _payout(past, now)
                if payout is not None:
                    book_payment(conn, settings, kp, load_invoice(conn, invoice), payout[0], payout[1])
        if day in counter:
            clock.at = datetime.combine(day, time(16, 0))
            moves.sell_at_counter(counter[day])


def _payout(past: _PastOrder, now: datetime) -> tuple[Order, datetime] | None:
    """When and as what the order's money came: the gateway at payment, the transfer before it,
    the carrier's cash-on-delivery payout five days after shipping (None: not yet)."""
    order = past.order
    if order.payment.kind is PaymentKind.ONLINE:
        return order, past.paid.replace(tzinfo=None)
    bank = replace(order, payment=Payment("bacs", order.payment.title, PaymentKind.TRANSFER, order.payment.transaction_id,
                                          True))
    if order.payment.kind is PaymentKind.TRANSFER:
        return bank, past.paid.replace(tzinfo=None)
    paid_out = past.packed + timedelta(days=5)
    return (bank, paid_out.replace(tzinfo=None, hour=10)) if paid_out < now else None


def write_to_store(sessions: sessionmaker[Session], orders: list[_PastOrder], fa_numbers: dict[str, tuple[int, str, str]]) -> None:
    """The past orders, finished, with their jobs and audit trail, in one transaction."""
    order_rows, jobs, audit = [], [], []
    with sessions() as session:
        first_id = int(session.scalar(select(OrderRow.id).order_by(OrderRow.id.desc()).limit(1)) or 0) + 1
    for n, past in enumerate(orders):
        oid = first_id + n
        order = past.order
        fa_id, fa_number, wz_number = fa_numbers[order.number]
        paid, packed = _utc(past.paid), _utc(past.packed)
        steps = [Step.FA, Step.WZ, *([Step.KP] if order.settles_now else []), Step.EMAIL, Step.LABEL, Step.PACKED,
                 Step.SHOP]
        order_rows.append({
            "id": oid, "shop": "default", "shop_order_id": past.number, "number": order.number,
            "shop_status": "completed", "stage": Stage.PACKED.value, "buyer_name": order.buyer.display_name,
            "buyer_email": order.buyer.email, "total": order.total, "payment_method": order.payment.method_id,
            "payment_title": order.payment.title, "payment_kind": order.payment.kind.value,
            "paid": order.payment.confirmed, "shipping_method": order.shipping.method_id,
            "locker_id": order.shipping.locker_id, "date_created_gmt": (paid - timedelta(minutes=4)).isoformat(),
            "date_modified_gmt": packed.isoformat(), "paid_seen_at": paid,
            "payload": {"line_items": [{"sku": li.sku, "name": li.name, "quantity": int(li.quantity)}
                                       for li in order.lines if not li.is_service],
                        "shipping": {"city": order.buyer.address.city}},
            "fa_id": fa_id, "fa_number": fa_number, "wz_number": wz_number, "kp_number": "",
            "tracking_number": f"6{past.number:023d}", "carrier": "builtin", "packed_at": packed,
            "packed_by": past.station, "packed_station": past.station, "created_at": paid, "updated_at": packed,
        })
        for step in steps:
            done = packed if step in (Step.PACKED, Step.SHOP) else paid + timedelta(minutes=2)
            jobs.append({"order_id": oid, "step": step.value, "identity_key": f"default:{past.number}:{step.value}",
                         "state": StepState.DONE.value, "attempts": 1, "next_attempt_at": done, "started_at": done,
                         "finished_at": done, "created_at": paid, "updated_at": done})
        audit.append(_event(oid, "received", "", paid, f"Nowe zamówienie {order.number} ({order.payment.title})"))
        if past.problem is not None:
            code, step, reason = past.problem
            audit.append(_event(oid, "step_failed", step, paid + timedelta(minutes=1), reason, {"code": code}))
            audit.append(_event(oid, "manual_retry", step, paid + timedelta(minutes=30), "Ponowienie", actor="kierownik"))
        audit.append(_event(oid, "packed", Step.PACKED.value, packed, "Spakowano", actor=past.station,
                            station=past.station))
    with sessions.begin() as session:
        session.execute(insert(OrderRow), order_rows)
        session.execute(insert(JobRow), jobs)
        session.execute(insert(AuditEvent), audit)
        session.add(KeyValue(key=MARK, value=f"{len(orders)} zamówień z {DAYS} dni"))


def _event(order_id: int, kind: str, step: str, at: datetime, message: str, details: dict[str, Any] | None = None, *,
           actor: str = "engine", station: str = "") -> dict[str, Any]:
    return {"order_id": order_id, "kind": kind, "step": step, "at": at, "message": message, "details": details or {},
            "actor": actor, "station": station}


def seed_history(sessions: sessionmaker[Session], optima: Engine, settings: OptimaSettings, *,
                 now: datetime | None = None, seed: int = 1) -> int:
    """Write the past into a new world's Optima and store, once; returns how many orders (0 when
    the world had its past already or has orders of its own)."""
    with sessions() as session:
        if session.get(KeyValue, MARK) is not None or session.scalar(select(OrderRow.id).limit(1)) is not None:
            return 0
    now = now or datetime.now().astimezone()
    orders, counter, deliveries = plan_history(now, seed)
    book_in_optima(optima, settings, orders, counter, deliveries, now)
    with optima.connect() as conn:
        invoices = {number: (int(fa), str(full)) for fa, full, number in conn.execute(
            select(q.TraNag.c.TrN_TrNID, q.TraNag.c.TrN_NumerPelny, q.TraNag.c.TrN_NumerObcy)
            .where(q.TraNag.c.TrN_TypDokumentu == q.FA_TYPE))}
        wz = {int(fa): str(full) for fa, full in conn.execute(
            select(q.TraNag.c.TrN_FaId, q.TraNag.c.TrN_NumerPelny).where(q.TraNag.c.TrN_TypDokumentu == q.WZ_TYPE))}
    numbers = {number: (fa, full, wz.get(fa, "")) for number, (fa, full) in invoices.items()}
    write_to_store(sessions, orders, numbers)
    return len(orders)
