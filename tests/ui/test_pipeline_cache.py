"""The pipeline model stays light with a big store: its row cache keeps only the newest reads
(a row dropped from it is read again when painted), and a painted row's answers are worked out
once and forgotten when the row changes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from linkoptima_gui.core.domain.steps import Step
from linkoptima_gui.core.engine.events import EventBus
from linkoptima_gui.ui.pipeline import Column, PipelineModel, row_cache
from linkoptima_gui.ui.pipeline.columns import StateRole

from .conftest import DONE, OrderFactory, publish_from_thread


def loaded(qtbot, sessions) -> PipelineModel:  # noqa: ANN001 - pytest fixtures
    model = PipelineModel(sessions)
    with qtbot.waitSignal(model.sig_loaded, timeout=3000):
        model.load()
    return model


def test_the_cache_keeps_the_newest_reads_and_reads_a_dropped_row_again(
        qtbot, qtmodeltester, monkeypatch, sessions, world: dict[str, int]) -> None:
    monkeypatch.setattr(row_cache, "BLOCK", 4)
    monkeypatch.setattr(row_cache, "CACHE_ROWS", 6)
    model = loaded(qtbot, sessions)
    newest = model.order_id(0)
    assert model.cached_row(newest) is not None
    for first in (4, 8):  # two more blocks read: the first block's rows are the oldest reads
        with qtbot.waitSignal(model.dataChanged, timeout=3000):
            model.index(first, Column.NUMBER).data()
    assert model.cached_row(newest) is None
    assert sum(model.cached_row(model.order_id(r)) is not None for r in range(model.rowCount())) == 6
    index = model.index(0, Column.NUMBER)
    with qtbot.waitSignal(model.dataChanged, timeout=3000):
        assert index.data() == "…"  # read again when it is painted
    assert index.data() == model.cached_row(newest).number
    qtmodeltester.check(model)


def test_a_changed_row_answers_with_its_new_state(qtbot, sessions, orders: OrderFactory, bus: EventBus,
                                                  world: dict[str, int]) -> None:
    from linkoptima_gui.ui.bridge import EngineBridge

    model = loaded(qtbot, sessions)
    bridge = EngineBridge(bus)
    bridge.sig_orders_changed.connect(model.apply_changes)
    target = world["1006"]
    index = model.index(model.row_of(target), Column.WZ)
    assert (index.data(), index.data(StateRole)) == ("w toku", "started")  # worked out and kept
    orders.set_step(target, Step.WZ, DONE, wz_number="WZ/6/2026")
    with qtbot.waitSignal(model.sig_refreshed, timeout=3000):
        publish_from_thread(bus, target)
    assert (index.data(), index.data(StateRole)) == ("WZ/6/2026", "done")
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "WZ/6/2026"
    assert index.data(Qt.ItemDataRole.DecorationRole) is None  # a role no cell answers
    bridge.close()
