"""The two ways into the GUI thread: engine events through the bridge, and background work."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from linkoptima_gui.core.engine.events import EngineEvent, EventBus, EventKind
from linkoptima_gui.ui.background import Lane, run_in_background
from linkoptima_gui.ui.bridge import Coalescer, EngineBridge

from .conftest import publish_from_thread


def _on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_bridge_reemits_engine_thread_events_on_gui_thread(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    seen: list[tuple[list[int], bool]] = []
    bridge.sig_orders_changed.connect(lambda ids: seen.append((ids, _on_gui_thread())))
    with qtbot.waitSignal(bridge.sig_orders_changed, timeout=2000):
        publish_from_thread(bus, 7, 8)
    assert seen == [([7, 8], True)]
    bridge.close()


def test_bridge_maps_state_and_exception_events(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    with qtbot.waitSignal(bridge.sig_engine_state, timeout=2000) as state:
        threading.Thread(target=bus.publish,
                         args=(EngineEvent(EventKind.ENGINE_STATE, data={"state": "paused"}),)).start()
    assert state.args == [{"state": "paused"}]
    changed: list[list[int]] = []
    bridge.sig_orders_changed.connect(changed.append)
    with qtbot.waitSignal(bridge.sig_exception, timeout=2000) as exception:
        bus.publish(EngineEvent(EventKind.EXCEPTION, (3,), {"step": "fa", "reason": "Nieznany SKU"}))
    assert exception.args[0] == {"step": "fa", "reason": "Nieznany SKU", "order_ids": [3]}
    assert changed == [[3]]  # the order's row changed too
    bridge.close()


def test_bridge_stops_after_close(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    bridge.close()
    bridge.close()  # twice is fine
    with qtbot.assertNotEmitted(bridge.sig_orders_changed, wait=100):
        publish_from_thread(bus, 1)


def test_run_in_background_delivers_result_on_gui_thread(qtbot) -> None:
    results: list[tuple[object, bool, bool]] = []

    def work() -> str:
        return "wynik" if not _on_gui_thread() else "zły wątek"

    run_in_background(work, lambda value: results.append((value, _on_gui_thread(), True)))
    qtbot.waitUntil(lambda: bool(results), timeout=2000)
    assert results == [("wynik", True, True)]


def test_run_in_background_delivers_failure(qtbot) -> None:
    failures: list[BaseException] = []

    def broken() -> None:
        raise ValueError("zepsute")

    run_in_background(broken, lambda _v: pytest.fail("no success expected"), failures.append, lane=Lane.ACTION)
    qtbot.waitUntil(lambda: bool(failures), timeout=2000)
    assert isinstance(failures[0], ValueError)


def test_coalescer_merges_a_burst_into_one_flush(qtbot) -> None:
    coalescer = Coalescer(interval_ms=50)
    flushes: list[list[int]] = []
    coalescer.sig_flush.connect(flushes.append)
    coalescer.add([3, 1])
    coalescer.add([1, 2])
    qtbot.waitUntil(lambda: bool(flushes), timeout=2000)
    assert flushes == [[1, 2, 3]]
