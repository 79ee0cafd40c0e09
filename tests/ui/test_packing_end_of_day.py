"""The packing screen's "Zamknij dzień" button: hidden where no carrier wants an end of day; off
the GUI thread with its progress in the status line; a second press names the closed day and
prints the protocol again when asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import update

from linkoptima_gui.core.engine.end_of_day import EndOfDay
from linkoptima_gui.core.store.models import OrderRow, utcnow
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.packing.widgets import StatusKind
from tests.shipping.fake_carrier import PROTOCOL, FakeCarrier

from .conftest import FakePrinter, open_packing_view


def test_no_carrier_wants_it_no_button(qtbot, context: ConsoleContext, world: dict[str, int]) -> None:
    view = open_packing_view(qtbot, context)
    assert not view.end_of_day.isVisible()
    context.end_of_day = EndOfDay(context.session_factory, [FakeCarrier("inpost", protocol=False, pickup=False)])
    other = open_packing_view(qtbot, context)
    assert not other.end_of_day.isVisible()
    view._test_bridge.close()
    other._test_bridge.close()


def test_closing_the_day_prints_the_protocol_and_a_second_press_offers_a_reprint(
        qtbot, context: ConsoleContext, world: dict[str, int], printer: FakePrinter) -> None:
    with context.session_factory.begin() as session:  # the two packed parcels went by DPD
        session.execute(update(OrderRow).where(OrderRow.id.in_([world["1001"], world["1002"]]))
                        .values(carrier="dpd", packed_at=utcnow()))
    dpd = FakeCarrier("dpd", protocol=True, delay=0.2)
    context.end_of_day = EndOfDay(context.session_factory, [dpd])
    view = open_packing_view(qtbot, context)
    button = view.end_of_day
    assert button.isVisible() and button.text() == "Zamknij dzień: protokół i zamówienie kuriera (Ctrl+Shift+D)"
    assert "DPD Polska" in button.toolTip()
    asked: list[str] = []
    button._ask = lambda text: asked.append(text) or True
    with qtbot.waitSignal(button.sig_done, timeout=10000) as done:
        button.click()
        assert button.busy and not button.isEnabled() and button.text() == "Zamykanie dnia…"
        assert view.status_line.kind is StatusKind.BUSY
    message, ok = done.args
    assert ok and message.startswith("DPD Polska: zamknięto dzień — paczek: 2, zamówienie kuriera 00000001")
    assert view.status_line.text() == message and view.status_line.kind is StatusKind.OK
    assert button.isEnabled() and not asked and len(dpd.calls) == 1
    assert printer.jobs[-1].startswith("protokol-dpd-")

    with qtbot.waitSignals([button.sig_done, button.sig_done], timeout=10000):
        qtbot.keyClick(view.scan, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(dpd.calls) == 1 and len(asked) == 1
    assert "jest już zamknięty (stanowisko stanowisko-test" in asked[0]
    assert asked[0].endswith("Wydrukować protokół ponownie?")
    qtbot.waitUntil(lambda: printer.jobs[-1].startswith("kopia-protokolu-dpd-"), timeout=5000)
    assert (printer.folder / f"{printer.jobs[-1]}.pdf").read_bytes() == PROTOCOL
    assert view.status_line.text().startswith("DPD Polska: wydrukowano ponownie protokół:")
    view._test_bridge.close()
