"""A console store with years of history, for the GUI benchmark (``gui``).

The screens must stay smooth in a shop that has been running for a while, so the store gets
tens of thousands of orders the way such a shop has them: almost all old orders packed (a few
cancelled or left as exceptions nobody handled), and the recent ones spread over every stage
with their step jobs in mixed states. Rows go in through SQLAlchemy Core in large batches
(``executemany``), which takes seconds where ORM objects would take minutes.

The history must not change what the engine does with the new orders it processes during the
benchmark, so:

- its lines sell archived SKUs (``ARCH-…``) that are neither in the shop nor in Optima, so the
  stock sync's "taken by shop orders" never counts them;
- its unfinished steps are ``waiting`` (paused by a person) or failed, never ``pending``, so
  the engine has no old work to pick up;
- its shop order ids and numbers start far above anything the demo shop hands out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from ..core.domain.steps import Stage, Step, StepState
from ..core.store.db import open_store
from ..core.store.models import JobRow, OrderRow, utcnow

#: shop order ids (and numbers) of the history start here, far above the demo shop's own ids
FIRST_SHOP_ID = 200_001
#: orders of the last this-many are spread over every stage; older ones are finished business
RECENT = 1_500
#: how far back the history reaches
SPAN = timedelta(days=730)
#: rows per executemany batch
BATCH = 5_000

_RECENT_MIX = ((Stage.PACKED, 40), (Stage.READY_TO_PACK, 25), (Stage.PROCESSING, 10),
               (Stage.AWAITING_PAYMENT, 10), (Stage.EXCEPTION, 5), (Stage.CANCELLED, 5), (Stage.NEW, 5))
_OLD_MIX = ((Stage.PACKED, 96), (Stage.CANCELLED, 3), (Stage.EXCEPTION, 1))
_PAYMENTS = (("online", "payustandard", "PayU", 55), ("online", "przelewy24", "Przelewy24", 20),
             ("cod", "cod", "Płatność przy odbiorze", 15), ("transfer", "bacs", "Przelew bankowy", 10))
_FIRST = ("Anna", "Piotr", "Katarzyna", "Tomasz", "Zofia", "Marek", "Ewa", "Jan", "Agnieszka", "Paweł",
          "Małgorzata", "Łukasz", "Joanna", "Michał", "Barbara", "Grzegorz")
_LAST = ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
         "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk", "Piotrowski", "Grabowski")
_CITIES = ("Warszawa", "Kraków", "Łódź", "Wrocław", "Poznań", "Gdańsk", "Szczecin", "Lublin", "Białystok")
_GOODS = ("Kubek ceramiczny", "Herbata liściasta", "Kawa ziarnista", "Świeca sojowa", "Notes w kratkę",
          "Ręcznik lniany", "Miód wielokwiatowy", "Torba bawełniana")
_FAILURES = (("unknown_sku", "Nieznany SKU w Optimie: {sku}"), ("invalid_nip", "Nieprawidłowy NIP nabywcy"),
             ("stock_short", "Za mało towaru w magazynie Optimy: {sku}"))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _steps(stage: Stage, kind: str, rng: random.Random) -> dict[Step, str]:
    """The jobs an order in ``stage`` has, in states the engine leaves alone (module docstring)."""
    done, waiting, failed = StepState.DONE.value, StepState.WAITING.value, StepState.FAILED.value
    books = [Step.FA, Step.WZ, *([Step.KP] if kind == "online" else []), Step.EMAIL, Step.LABEL]
    if stage is Stage.PACKED:
        return {**dict.fromkeys(books, done), Step.PACKED: done, Step.SHOP: done}
    if stage is Stage.READY_TO_PACK:
        return {**dict.fromkeys(books, done), Step.PACKED: StepState.PENDING.value}
    if stage is Stage.PROCESSING:
        return {**dict.fromkeys(books, waiting), Step.FA: done, Step.LABEL: done, Step.PACKED: StepState.PENDING.value}
    if stage is Stage.EXCEPTION:
        broken = rng.choice((Step.FA, Step.WZ))
        steps = {**dict.fromkeys(books, waiting), Step.LABEL: done, broken: failed, Step.PACKED: StepState.PENDING.value}
        if broken is Step.WZ:
            steps[Step.FA] = done
        return steps
    if stage is Stage.CANCELLED:
        return dict.fromkeys(books, StepState.CANCELLED.value)
    return {}  # new, awaiting payment: nothing planned yet


def _order(n: int, order_id: int, stage: Stage, at: datetime, rng: random.Random) -> tuple[dict[str, Any], dict[Step, str]]:
    kind, method, title, _ = _pick(rng, _PAYMENTS)
    if stage is Stage.AWAITING_PAYMENT:
        kind, method, title = "transfer", "bacs", "Przelew bankowy"
    steps = _steps(stage, kind, rng)
    shop_id = FIRST_SHOP_ID + n
    buyer = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    company = rng.random() < 0.25
    if company:
        buyer = f"{buyer.split()[1]} i Wspólnicy Sp. z o.o."
    lines = [{"name": rng.choice(_GOODS), "sku": f"ARCH-{rng.randint(1, 400):04d}",
              "quantity": rng.randint(1, 3), "total": f"{rng.randint(10, 300)}.00"} for _ in range(rng.randint(1, 4))]
    code, reason = "", ""
    if stage is Stage.EXCEPTION:
        code, reason = rng.choice(_FAILURES)
        reason = reason.format(sku=lines[0]["sku"])
    year = at.year
    row: dict[str, Any] = {
        "id": order_id, "shop": "default", "shop_order_id": shop_id, "number": str(shop_id),
        "shop_status": {Stage.PACKED: "completed", Stage.CANCELLED: "cancelled",
                        Stage.AWAITING_PAYMENT: "on-hold"}.get(stage, "processing"),
        "stage": stage.value, "buyer_name": buyer, "buyer_email": f"klient{shop_id}@example.pl",
        "buyer_nip": "7251234560" if company else "", "is_company": company,
        "total": Decimal(sum(int(li["total"][:-3]) for li in lines)) + Decimal("13.00"),
        "payment_method": method, "payment_title": title, "payment_kind": kind, "paid": kind == "online",
        "shipping_method": "easypack_parcel_machines", "locker_id": f"WAW{n % 90 + 10:02d}M" if n % 2 else "",
        "date_created_gmt": at.isoformat(timespec="seconds"), "date_modified_gmt": at.isoformat(timespec="seconds"),
        "paid_seen_at": None if stage in (Stage.AWAITING_PAYMENT, Stage.NEW) else at + timedelta(minutes=2),
        "payload": {"line_items": lines, "shipping": {"address_1": "ul. Długa 5/12", "postcode": "31-147",
                                                      "city": rng.choice(_CITIES)}},
        "item_eans": {li["sku"]: f"590{n:010d}" for li in lines},
        "fa_number": f"FA/{n}/{year}" if steps.get(Step.FA) == StepState.DONE else "",
        "wz_number": f"WZ/{n}/{year}" if steps.get(Step.WZ) == StepState.DONE else "",
        "kp_number": f"KP/{n}/{year}" if steps.get(Step.KP) == StepState.DONE else "",
        "tracking_number": f"6{shop_id:023d}" if steps.get(Step.LABEL) == StepState.DONE else "",
        "packed_at": at + timedelta(hours=3) if stage is Stage.PACKED else None,
        "packed_by": "magazyn" if stage is Stage.PACKED else "",
        "error_code": code, "error_reason": reason, "created_at": at, "updated_at": at + timedelta(hours=3),
    }
    return row, steps


def _rows(count: int, seed: int) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    rng = random.Random(seed)
    now = utcnow()
    for n in range(count):
        at = now - SPAN * (count - n) / count
        stage = _pick(rng, _RECENT_MIX if n >= count - RECENT else _OLD_MIX)[0]
        order, steps = _order(n, n + 1, stage, at, rng)
        jobs = [{"order_id": n + 1, "step": step.value, "identity_key": f"default:{order['shop_order_id']}:{step.value}",
                 "state": state, "attempts": 1 if state in ("done", "failed") else 0,
                 "next_attempt_at": at, "error_code": order["error_code"] if state == "failed" else "",
                 "error_message": order["error_reason"] if state == "failed" else "",
                 "finished_at": at + timedelta(minutes=3) if state in ("done", "failed") else None,
                 "created_at": at, "updated_at": at + timedelta(minutes=3)} for step, state in steps.items()]
        yield order, jobs


def seed_store(url: str, count: int, seed: int = 7) -> int:
    """Create the store at ``url`` (migrated) and fill it with ``count`` orders; returns the
    largest order id (new orders the engine takes in get larger ones)."""
    sessions = open_store(url)
    engine = sessions.kw["bind"]
    orders: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = []
    try:
        with engine.begin() as conn:
            for order, order_jobs in _rows(count, seed):
                orders.append(order)
                jobs.extend(order_jobs)
                if len(orders) >= BATCH:
                    conn.execute(insert(OrderRow), orders)
                    conn.execute(insert(JobRow), jobs)
                    orders, jobs = [], []
            if orders:
                conn.execute(insert(OrderRow), orders)
                conn.execute(insert(JobRow), jobs)
    finally:
        engine.dispose()
    return count
