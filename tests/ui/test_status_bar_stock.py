"""The status bar shows the last stock pass as the engine publishes it (through the bridge)."""

from __future__ import annotations

from linkoptima_gui.core.engine.events import EngineEvent, EventKind
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.main_window import MainWindow


def test_last_stock_pass_with_its_errors(qtbot, context: ConsoleContext) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    label = window.status.stock_label
    assert label.text() == "Stany: jeszcze nie synchronizowano"

    with qtbot.waitSignal(window.bridge.sig_stock_sync, timeout=3000):
        context.bus.publish(EngineEvent(EventKind.STOCK_SYNC, data={
            "at": "2026-11-29T10:15:30", "full": False, "checked": 12, "changed": 3, "errors": [], "seconds": 0.2}))
    assert "poprawione 3 z 12, błędy 0" in label.text() and label.text().startswith("Stany (zmiany): ")
    assert label.toolTip() == "Bez błędów"

    with qtbot.waitSignal(window.bridge.sig_stock_sync, timeout=3000):
        context.bus.publish(EngineEvent(EventKind.STOCK_SYNC, data={
            "at": "2026-11-29T10:20:00", "full": True, "checked": 0, "changed": 0,
            "prices": 4, "errors": ["Brak połączenia ze sklepem: ConnectionError."], "seconds": 0.1}))
    assert label.text().startswith("Stany (pełna): ") and label.text().endswith("błędy 1, ceny/nazwy/EAN: 4")
    assert label.toolTip() == "Brak połączenia ze sklepem: ConnectionError."
    window.close()


def test_a_long_stock_pass_shows_how_far_it_got(qtbot, context: ConsoleContext) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.bridge.sig_stock_progress, timeout=3000):
        context.bus.publish(EngineEvent(EventKind.STOCK_PROGRESS, data={"sent": 300, "total": 2000}))
    assert window.status.stock_label.text() == "Stany: wysyłanie 300 z 2000…"
    window.close()
