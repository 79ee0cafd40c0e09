"""The demo console end to end: a real demo world (shop emulator over HTTP, simulated Optima,
SMTP sink, built-in carrier, file printer), its engine running, the real main window on top.
Orders must reach the packing screen by themselves, and the big button must print and pack."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402

from linkoptima_gui.core.domain.steps import Stage  # noqa: E402
from linkoptima_gui.core.store.models import OrderRow  # noqa: E402
from linkoptima_gui.ui.launch import FIRST_START_ORDERS, demo_context, open_demo_world  # noqa: E402
from linkoptima_gui.ui.main_window import MainWindow  # noqa: E402


@pytest.fixture
def demo(tmp_path: Path):
    world = open_demo_world(tmp_path / "world")
    world.packing.undo_seconds = 0  # the shop hears at once (no one will undo here)
    yield world
    world.close()


def _stage_of(world, order_id: int) -> str:
    with world.sessions() as session:
        return session.scalar(select(OrderRow.stage).where(OrderRow.id == order_id))


def test_demo_console_flows_and_packs(qtbot, demo) -> None:
    assert demo.customers.orders_placed() >= FIRST_START_ORDERS
    window = MainWindow(demo_context(demo))
    qtbot.addWidget(window)
    assert window.windowTitle().endswith("DEMO")
    window.show()
    # The engine books FA, WZ, KP, e-mail and label by itself; the pipeline shows the orders.
    qtbot.waitUntil(lambda: window.pipeline.model.rowCount() >= FIRST_START_ORDERS - 2, timeout=30_000)
    window.show_packing()
    qtbot.waitUntil(window.packing.pack_button.isEnabled, timeout=30_000)
    order_id = window.packing.current_order_id
    with qtbot.waitSignal(window.packing.sig_packed, timeout=10_000) as packed:
        window.packing.pack_button.click()
    assert packed.args[0] == order_id
    assert _stage_of(demo, order_id) == Stage.PACKED.value
    labels = [p for p in (demo.folder / "printer").iterdir() if p.name.startswith("etykieta-")]
    assert len(labels) == 1 and labels[0].read_bytes().startswith(b"%PDF")
    # The shop hears about it: the write-back step sets "completed" with the tracking number.
    with demo.sessions() as session:
        shop_id = session.scalar(select(OrderRow.shop_order_id).where(OrderRow.id == order_id))
    qtbot.waitUntil(lambda: demo.services.shop.get_order(shop_id)["status"] == "completed", timeout=15_000)
    window.close()
