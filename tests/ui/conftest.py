"""Fixtures for the screen tests: a temporary store filled with orders in every stage, an
event bus published on from a plain thread (like the engine does), and a label printer that
writes into ``tmp_path`` (or fails, or waits, when a test tells it to)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore  # noqa: E402
from linkoptima_gui.core.config.settings_file import SettingsFile  # noqa: E402
from linkoptima_gui.core.domain.steps import Stage, Step, StepState  # noqa: E402
from linkoptima_gui.core.engine.events import EventBus  # noqa: E402
from linkoptima_gui.core.engine.packing import PackingService  # noqa: E402
from linkoptima_gui.core.printing.port import PrinterError  # noqa: E402
from linkoptima_gui.core.store.db import open_store, sqlite_url  # noqa: E402
from linkoptima_gui.core.store.models import JobRow, OrderRow  # noqa: E402
from linkoptima_gui.ui.context import ConsoleContext  # noqa: E402

DONE, PENDING, STARTED, FAILED, WAITING = (
    StepState.DONE.value, StepState.PENDING.value, StepState.STARTED.value,
    StepState.FAILED.value, StepState.WAITING.value)

BASE_TIME = datetime(2026, 3, 16, 7, 0, 0)

#: Lines of a test order; "ean" goes to the order's ``item_eans`` (read from Optima in real life).
_DEFAULT_ITEMS: list[dict[str, Any]] = [
    {"name": "Kubek ceramiczny biały 350 ml", "sku": "KUB-001", "ean": "5901234123457", "quantity": 2},
    {"name": "Herbata liściasta Earl Grey 100 g", "sku": "HER-004", "ean": "5901234123464", "quantity": 1},
]


class FakePrinter:
    """Writes each label into a folder. ``fail`` makes it raise like an offline printer;
    ``hold`` (an Event) makes it wait, so a test can look at the screen mid-print."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"file://{folder}"
        self.jobs: list[str] = []
        self.fail = False
        self.hold: threading.Event | None = None

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        if self.hold is not None:
            self.hold.wait(10)
        if self.fail:
            raise PrinterError("Drukarka nie odpowiada (sprawdź kabel i papier).")
        target = self.folder / f"{job_name}.pdf"
        target.write_bytes(pdf or zpl or b"")
        self.jobs.append(job_name)
        return str(target)


ALL_DONE = {Step.FA: DONE, Step.WZ: DONE, Step.KP: DONE, Step.EMAIL: DONE, Step.LABEL: DONE}


@dataclass
class OrderFactory:
    """Inserts orders and their step jobs straight into the store (no engine involved)."""

    sessions: sessionmaker[Session]
    label_file: Path
    _next: int = 1001
    created: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        *,
        stage: Stage,
        steps: dict[Step, str] | None = None,
        buyer: str = "Anna Nowak",
        email: str = "",
        total: str = "129.99",
        payment_title: str = "Przelewy24",
        payment_kind: str = "online",
        locker: str = "",
        city: str = "Kraków",
        items: list[dict[str, Any]] | None = None,
        paid_minutes: int | None = None,
        error_reason: str = "",
        is_company: bool = False,
        number: str | None = None,
    ) -> int:
        seq = self._next
        self._next += 1
        number = number or str(seq)
        steps = dict(steps or {})
        paid_at = BASE_TIME + timedelta(minutes=paid_minutes if paid_minutes is not None else seq - 1000)
        with self.sessions.begin() as session:
            order = OrderRow(
                shop_order_id=seq, number=number, shop_status="processing", stage=stage.value,
                buyer_name=buyer, buyer_email=email or f"klient{seq}@example.pl", is_company=is_company,
                total=Decimal(total), payment_method=payment_kind, payment_title=payment_title,
                payment_kind=payment_kind, paid=payment_kind == "online", locker_id=locker,
                date_created_gmt=(paid_at - timedelta(minutes=3)).isoformat(timespec="seconds"),
                paid_seen_at=paid_at if stage is not Stage.AWAITING_PAYMENT else None,
                payload={
                    "line_items": [{k: v for k, v in li.items() if k != "ean"} for li in items or _DEFAULT_ITEMS],
                    "shipping": {"address_1": "ul. Długa 5/12", "postcode": "31-147", "city": city},
                },
                item_eans={str(li["sku"]): str(li["ean"]) for li in (items or _DEFAULT_ITEMS) if li.get("ean")},
                error_reason=error_reason,
                error_code="unknown_sku" if error_reason else "",
                label_pdf=str(self.label_file),
            )
            if steps.get(Step.FA) == DONE:
                order.fa_number = f"FA/{seq - 1000}/2026"
            if steps.get(Step.WZ) == DONE:
                order.wz_number = f"WZ/{seq - 1000}/2026"
            if steps.get(Step.KP) == DONE:
                order.kp_number = f"KP/{seq - 1000}/2026"
            if steps.get(Step.LABEL) == DONE:
                order.tracking_number = f"6{seq:023d}"
            session.add(order)
            session.flush()
            for step, state in steps.items():
                session.add(JobRow(order_id=order.id, step=step.value,
                                   identity_key=f"default:{seq}:{step.value}", state=state))
            self.created[number] = order.id
            return order.id

    def set_step(self, order_id: int, step: Step, state: str, **order_fields: Any) -> None:
        """Change one step (and order columns) the way the engine would, without events."""
        with self.sessions.begin() as session:
            job = session.scalar(select(JobRow).where(JobRow.order_id == order_id, JobRow.step == step.value))
            assert job is not None
            job.state = state
            order = session.get(OrderRow, order_id)
            assert order is not None
            for name, value in order_fields.items():
                setattr(order, name, value)

    def stage_of(self, order_id: int) -> str:
        with self.sessions() as session:
            order = session.get(OrderRow, order_id)
            assert order is not None
            return order.stage


def ready_steps(kp: bool = True) -> dict[Step, str]:
    steps = dict(ALL_DONE)
    if not kp:
        del steps[Step.KP]
    steps[Step.PACKED] = PENDING
    return steps


def populate(factory: OrderFactory) -> dict[str, int]:
    """A small world with every stage; the three ready parcels were paid 1004 < 1005 < 1003."""
    packed = dict(ALL_DONE, **{Step.PACKED: DONE, Step.SHOP: DONE})
    factory.add(stage=Stage.PACKED, steps=packed, buyer="Piotr Wiśniewski", locker="KRA01M")
    factory.add(stage=Stage.PACKED, steps={k: v for k, v in packed.items() if k is not Step.KP},
                buyer="Katarzyna Wójcik", payment_kind="cod", payment_title="Płatność przy odbiorze",
                total="89.50")
    factory.add(stage=Stage.READY_TO_PACK, steps=ready_steps(), buyer="Tomasz Kamiński", locker="WAW01M",
                paid_minutes=50)
    factory.add(stage=Stage.READY_TO_PACK, steps=ready_steps(kp=False), buyer="Zofia Lewandowska",
                payment_kind="cod", payment_title="Płatność przy odbiorze", total="123.45", city="Łódź",
                paid_minutes=10)
    factory.add(stage=Stage.READY_TO_PACK, steps=ready_steps(), buyer="Hurtownia Zielona Sp. z o.o.",
                is_company=True, total="1234.56", paid_minutes=30)
    factory.add(stage=Stage.PROCESSING, steps={Step.FA: DONE, Step.WZ: STARTED, Step.KP: DONE,
                                               Step.EMAIL: WAITING, Step.LABEL: PENDING,
                                               Step.PACKED: PENDING}, buyer="Marek Zieliński")
    factory.add(stage=Stage.EXCEPTION, steps={Step.FA: FAILED, Step.WZ: PENDING, Step.EMAIL: PENDING,
                                              Step.LABEL: DONE, Step.PACKED: PENDING},
                buyer="Ewa Szymańska", error_reason="Nieznany SKU w Optimie: KUB-999")
    factory.add(stage=Stage.AWAITING_PAYMENT, buyer="Jan Kowalski", payment_kind="transfer",
                payment_title="Przelew bankowy")
    factory.add(stage=Stage.NEW, buyer="Agnieszka Dąbrowska")
    factory.add(stage=Stage.CANCELLED, buyer="Paweł Mazur")
    return dict(factory.created)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    factory = open_store(sqlite_url(tmp_path / "state.db"))
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def orders(sessions: sessionmaker[Session], tmp_path: Path) -> OrderFactory:
    label = tmp_path / "label.pdf"
    label.write_bytes(b"%PDF-1.4 test label\n")
    return OrderFactory(sessions, label)


@pytest.fixture
def world(orders: OrderFactory) -> dict[str, int]:
    """Order number -> id of the populated world."""
    return populate(orders)


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def printer(tmp_path: Path) -> FakePrinter:
    folder = tmp_path / "printed"
    folder.mkdir()
    return FakePrinter(folder)


@pytest.fixture
def context(sessions: sessionmaker[Session], bus: EventBus, printer: FakePrinter, tmp_path: Path) -> ConsoleContext:
    """The console's context; its settings file is in ``tmp_path`` and its keyring in memory, so
    no test reads or writes the user's own settings."""
    return ConsoleContext(sessions, bus, PackingService(sessions, bus), printer,
                          station="stanowisko-test", operator="tester", title_suffix="TEST",
                          settings_file=SettingsFile(tmp_path / "config" / "settings.json"),
                          secrets=SecretStore(backend=MemoryKeyring()))


def publish_from_thread(bus: EventBus, *order_ids: int) -> None:
    """Publish ORDERS_CHANGED from a plain Python thread, as the engine does."""
    thread = threading.Thread(target=bus.orders_changed, args=order_ids, name="fake-engine")
    thread.start()
    thread.join()


def open_packing_view(qtbot, context: ConsoleContext):  # noqa: ANN001, ANN201 - test helper
    """The packing screen shown at station size, with its first parcel on screen."""
    from linkoptima_gui.ui.bridge import EngineBridge
    from linkoptima_gui.ui.packing import PackingView

    bridge = EngineBridge(context.bus)
    screen = PackingView(context, bridge)
    screen._test_bridge = bridge
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: screen.card.parcel is not None, timeout=3000)
    return screen
