"""A notification when an exception appears; a burst becomes one "N more" notice.

The system tray does not exist offscreen, so the notifier's ``show`` is a recording function
here (the only stand-in: the tray is what cannot run in this environment)."""

from __future__ import annotations

from linkoptima_gui.core.engine.events import EngineEvent, EventBus, EventKind
from linkoptima_gui.ui import notifications
from linkoptima_gui.ui.bridge import EngineBridge
from linkoptima_gui.ui.notifications import ExceptionNotifier


def exception(bus: EventBus, reason: str) -> None:
    bus.publish(EngineEvent(EventKind.EXCEPTION, (1,), {"step": "fa", "code": "unknown_sku", "reason": reason}))


def test_first_exception_at_once_then_one_notice_for_the_burst(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(notifications, "QUIET_MS", 200)
    bus = EventBus()
    bridge = EngineBridge(bus)
    shown: list[tuple[str, str]] = []
    ExceptionNotifier(bridge, bridge, show=lambda title, text: shown.append((title, text)))

    with qtbot.waitSignal(bridge.sig_exception, timeout=2000):
        exception(bus, "Nie ma w Optimie towaru o kodzie „X-1”")
    assert shown == [("Zamówienie wymaga decyzji", "Nie ma w Optimie towaru o kodzie „X-1”")]

    for n in range(3):
        with qtbot.waitSignal(bridge.sig_exception, timeout=2000):
            exception(bus, f"inny powód {n}")
    assert len(shown) == 1  # gathered, not three balloons
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=3000)
    assert shown[1] == ("Zamówienia wymagają decyzji", "Kolejne wyjątki: 3. Zobacz ekran „Wyjątki”.")
    bridge.close()


def test_without_a_tray_nothing_breaks(qtbot) -> None:
    bus = EventBus()
    bridge = EngineBridge(bus)
    notifier = ExceptionNotifier(bridge, bridge)
    with qtbot.waitSignal(bridge.sig_exception, timeout=2000):
        exception(bus, "powód")
    assert notifier.tray is None or notifier.tray.isVisible()
    bridge.close()
