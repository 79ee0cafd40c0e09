"""The pipeline screen: Polish texts, ranged live updates, filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from linkoptima_gui.core.domain.steps import Stage, Step
from linkoptima_gui.core.engine.events import EventBus
from linkoptima_gui.core.store.models import OrderRow, utcnow
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.pipeline import Column, PipelineModel, PipelineView, row_cache
from linkoptima_gui.ui.pipeline.columns import StateRole

from .conftest import DONE, OrderFactory, publish_from_thread

Display = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def view(qtbot, context: ConsoleContext, world: dict[str, int]) -> PipelineView:
    bridge = EngineBridge(context.bus)
    screen = PipelineView(context, bridge)
    screen._test_bridge = bridge  # keep it alive as long as the screen
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.is_loaded, timeout=3000)
    yield screen
    bridge.close()


def cell(model: PipelineModel, order_id: int, column: Column, role: int = Display) -> object:
    row = model.row_of(order_id)
    assert row is not None
    return model.index(row, column).data(role)


def test_models_pass_qtmodeltester(qtmodeltester, view: PipelineView) -> None:
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_empty_store_loads_an_empty_model(qtbot, qtmodeltester, sessions) -> None:
    model = PipelineModel(sessions)
    with qtbot.waitSignal(model.sig_loaded, timeout=3000):
        model.load()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_initial_load_shows_rows_newest_first_in_polish(view: PipelineView, world: dict[str, int]) -> None:
    model = view.model
    assert model.rowCount() == len(world)
    assert model.order_id(0) == max(world.values())
    assert model.headerData(Column.NUMBER, Qt.Orientation.Horizontal) == "Zamówienie"
    ready = world["1003"]
    assert cell(model, ready, Column.NUMBER) == "1003"
    assert cell(model, ready, Column.BUYER) == "Tomasz Kamiński"
    assert cell(model, ready, Column.TOTAL) == "129,99 zł"
    assert cell(model, ready, Column.FA) == "FA/3/2026"
    assert cell(model, ready, Column.WZ) == "WZ/3/2026"
    assert cell(model, ready, Column.LABEL) == "6" + f"{1003:023d}"
    assert cell(model, ready, Column.PACKED) == "czeka"
    assert cell(model, ready, Column.STAGE) == "Do spakowania"
    assert cell(model, ready, Column.FA, Qt.ItemDataRole.BackgroundRole) is not None

    cod = world["1004"]
    assert cell(model, cod, Column.KP) == "—"  # no settlement for cash on delivery

    processing = world["1006"]
    assert cell(model, processing, Column.WZ) == "w toku"
    assert cell(model, processing, Column.EMAIL) == "czeka"
    assert cell(model, processing, Column.STAGE) == "W realizacji"

    failed = world["1007"]
    assert cell(model, failed, Column.FA) == "błąd"
    assert cell(model, failed, Column.FA, Qt.ItemDataRole.ToolTipRole) == "Nieznany SKU w Optimie: KUB-999"
    assert cell(model, failed, Column.FA, StateRole) == "failed"
    assert cell(model, failed, Column.STAGE) == "Wyjątek"

    stages = {cell(model, world[n], Column.STAGE) for n in ("1001", "1008", "1009", "1010")}
    assert stages == {"Spakowane", "Czeka na płatność", "Nowe", "Anulowane"}
    assert view.count_label.text() == f"Zamówień: {len(world)}"


def test_changed_order_updates_only_its_row(qtbot, view: PipelineView, orders: OrderFactory,
                                            bus: EventBus, world: dict[str, int]) -> None:
    model = view.model
    target = world["1006"]
    row = model.row_of(target)
    changes: list[tuple[int, int]] = []
    resets: list[bool] = []
    inserts: list[int] = []
    model.dataChanged.connect(lambda top, bottom, _roles=None: changes.append((top.row(), bottom.row())))
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, _last: inserts.append(first))

    orders.set_step(target, Step.WZ, DONE, wz_number="WZ/6/2026")
    with qtbot.waitSignal(model.sig_refreshed, timeout=3000) as refreshed:
        publish_from_thread(bus, target)
        publish_from_thread(bus, target)  # a burst is coalesced into one re-read
    assert refreshed.args == [[target]]
    assert changes == [(row, row)]
    assert not resets and not inserts
    assert cell(model, target, Column.WZ) == "WZ/6/2026"


def test_new_order_is_inserted_at_the_top(qtbot, view: PipelineView, orders: OrderFactory,
                                          bus: EventBus) -> None:
    model = view.model
    before = model.rowCount()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    new_id = orders.add(stage=Stage.NEW, buyer="Nowy Klient", number="2001")
    with qtbot.waitSignal(model.rowsInserted, timeout=3000) as inserted:
        publish_from_thread(bus, new_id)
    parent, first, last = inserted.args
    assert (first, last) == (0, 0) and not QModelIndex(parent).isValid()
    assert model.rowCount() == before + 1
    assert model.order_id(0) == new_id
    assert cell(model, new_id, Column.BUYER) == "Nowy Klient"
    assert not resets
    qtbot.waitUntil(lambda: view.count_label.text() == f"Zamówień: {before + 1}", timeout=2000)


def test_text_filter_narrows_rows(qtbot, view: PipelineView, world: dict[str, int]) -> None:
    proxy = view.proxy
    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.search.setText("Kamiński")
        view.apply_filter()
    assert proxy.rowCount() == 1
    assert proxy.index(0, Column.NUMBER).data() == "1003"
    assert view.count_label.text() == f"Pokazano 1 z {len(world)}"

    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):  # by invoice number
        view.search.setText("FA/5/2026")
    assert [proxy.index(r, Column.NUMBER).data() for r in range(proxy.rowCount())] == ["1005"]

    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.search.setText("")
    assert proxy.rowCount() == len(world)


def test_stage_filter_and_live_recheck(qtbot, view: PipelineView, orders: OrderFactory, bus: EventBus) -> None:
    proxy = view.proxy
    index = view.stage_filter.findData(Stage.READY_TO_PACK.value)
    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.stage_filter.setCurrentIndex(index)
    assert sorted(proxy.index(r, 0).data() for r in range(proxy.rowCount())) == ["1003", "1004", "1005"]

    new_id = orders.add(stage=Stage.READY_TO_PACK, number="2002")
    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        publish_from_thread(bus, new_id)
    assert proxy.rowCount() == 4
    assert proxy.index(0, 0).data() == "2002"


def test_rows_beyond_the_first_block_are_read_lazily(qtbot, qtmodeltester, monkeypatch, sessions,
                                                     world: dict[str, int]) -> None:
    monkeypatch.setattr(row_cache, "BLOCK", 4)
    model = PipelineModel(sessions)
    with qtbot.waitSignal(model.sig_loaded, timeout=3000):
        model.load()
    assert model.rowCount() == len(world)
    last = model.order_id(len(world) - 1)
    assert model.cached_row(last) is None
    index = model.index(len(world) - 1, Column.NUMBER)
    with qtbot.waitSignal(model.dataChanged, timeout=3000):
        assert index.data() == "…"  # placeholder while its block is read
    assert index.data() == "1001"
    qtmodeltester.check(model)


def test_deleted_order_is_removed(qtbot, view: PipelineView, sessions, bus: EventBus,
                                  world: dict[str, int]) -> None:
    target = world["1009"]
    with sessions.begin() as session:
        session.delete(session.get(OrderRow, target))
    with qtbot.waitSignal(view.model.rowsRemoved, timeout=3000):
        publish_from_thread(bus, target)
    assert view.model.row_of(target) is None
    assert view.model.rowCount() == len(world) - 1


def test_period_and_payment_filters(qtbot, view: PipelineView, orders: OrderFactory, sessions,
                                    bus: EventBus) -> None:
    recent = orders.add(stage=Stage.READY_TO_PACK, number="3001", payment_kind="cod",
                        payment_title="Płatność przy odbiorze")
    with sessions.begin() as session:  # placed an hour ago (the populated world is from March)
        session.get(OrderRow, recent).date_created_gmt = (utcnow() - timedelta(hours=1)).isoformat(timespec="seconds")
    publish_from_thread(bus, recent)
    qtbot.waitUntil(lambda: view.model.row_of(recent) is not None, timeout=3000)
    proxy = view.proxy
    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.period_filter.setCurrentIndex(view.period_filter.findData("7"))
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["3001"]

    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.period_filter.setCurrentIndex(view.period_filter.findData(""))
    with qtbot.waitSignal(proxy.sig_filtered, timeout=3000):
        view.payment_filter.setCurrentIndex(view.payment_filter.findData("cod"))
    shown = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert "3001" in shown and 0 < len(shown) < view.model.rowCount()
    with sessions() as session:
        kinds = {session.get(OrderRow, view.model.order_id(proxy.mapToSource(proxy.index(r, 0)).row())).payment_kind
                 for r in range(proxy.rowCount())}
    assert kinds == {"cod"}
    assert view.count_label.text() == f"Pokazano {len(shown)} z {view.model.rowCount()}"
