"""The bridge merges "orders changed" before they cross into the GUI thread: a burst the GUI
thread has not got to yet arrives as one signal with every id once."""

from __future__ import annotations

import threading

from linkoptima_gui.core.engine.events import EngineEvent, EventBus, EventKind
from linkoptima_gui.ui.bridge import EngineBridge


def publish_burst(bus: EventBus, events: list[EngineEvent]) -> None:
    """Publish from a plain thread, as the engine does; the GUI thread waits meanwhile, so it
    cannot deliver anything before the burst is over."""
    thread = threading.Thread(target=lambda: [bus.publish(e) for e in events], name="fake-engine")
    thread.start()
    thread.join()


def test_a_burst_of_changes_arrives_as_one_signal(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    received: list[list[int]] = []
    bridge.sig_orders_changed.connect(received.append)
    burst = [EngineEvent(EventKind.ORDERS_CHANGED, (order_id % 7 + 1,)) for order_id in range(50)]
    with qtbot.waitSignal(bridge.sig_orders_changed, timeout=2000):
        publish_burst(bus, burst)
    qtbot.wait(50)  # nothing else is on its way
    assert received == [[1, 2, 3, 4, 5, 6, 7]]

    with qtbot.waitSignal(bridge.sig_orders_changed, timeout=2000):
        publish_burst(bus, [EngineEvent(EventKind.ORDERS_CHANGED, (9, 8))])
    assert received[1:] == [[8, 9]]  # a later change is delivered again
    bridge.close()


def test_other_events_keep_coming_one_by_one(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    states: list[str] = []
    bridge.sig_engine_state.connect(lambda data: states.append(data["state"]))
    events = [EngineEvent(EventKind.ENGINE_STATE, data={"state": s}) for s in ("running", "paused", "running")]
    publish_burst(bus, events)
    qtbot.waitUntil(lambda: len(states) == 3, timeout=2000)
    assert states == ["running", "paused", "running"]
    bridge.close()


def test_changes_waiting_when_closed_are_dropped(qtbot, bus: EventBus) -> None:
    bridge = EngineBridge(bus)
    publish_burst(bus, [EngineEvent(EventKind.ORDERS_CHANGED, (1,))])
    bridge.close()
    with qtbot.assertNotEmitted(bridge.sig_orders_changed, wait=100):
        pass
