"""Two packing stations on one queue: the parcel on one station's screen is claimed, the other
station's queue says who packs it and skips it, a click on it says so too, and closing the
window frees it."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from linkoptima_gui.core.store.models import ParcelClaim
from linkoptima_gui.ui.context import ConsoleContext
from linkoptima_gui.ui.packing import PackingView
from linkoptima_gui.ui.packing.queue_model import TakenByRole
from linkoptima_gui.ui.packing.widgets import StatusKind

from .conftest import open_packing_view, publish_from_thread


def _claims(context: ConsoleContext) -> dict[int, str]:
    with context.session_factory() as session:
        return {c.order_id: c.station for c in session.scalars(select(ParcelClaim))}


def test_the_second_station_passes_the_first_ones_parcel_by(qtbot, context: ConsoleContext,
                                                            world: dict[str, int]) -> None:
    first: PackingView = open_packing_view(qtbot, context)
    qtbot.waitUntil(lambda: first.card.parcel is not None, timeout=3000)
    oldest = world["1004"]
    assert first.current_order_id == oldest
    qtbot.waitUntil(lambda: _claims(context) == {oldest: context.station}, timeout=3000)

    other = replace(context, station="stanowisko-2")
    second: PackingView = open_packing_view(qtbot, other)
    qtbot.waitUntil(lambda: second.card.parcel is not None, timeout=3000)
    assert second.current_order_id == world["1005"], "the parcel open at station 1 is passed by"
    row = second.queue.row_of(oldest)
    line = second.queue.index(row, 0)
    assert "pakuje: stanowisko-test" in line.data() and line.data(TakenByRole) == "stanowisko-test"
    assert first.queue.index(first.queue.row_of(oldest), 0).data(TakenByRole) == ""  # its own is not "taken"

    second.open_parcel(oldest)  # the packer clicks it anyway
    qtbot.waitUntil(lambda: second.status_line.kind is StatusKind.ERROR, timeout=3000)
    assert second.status_line.text() == "Zamówienie 1004 pakuje stanowisko stanowisko-test."
    qtbot.waitUntil(lambda: second.current_order_id == world["1005"] and second.card.parcel is not None
                    and second.card.parcel.id == world["1005"], timeout=3000)

    first.release_current()  # the first station closes: its parcel is free at once
    publish_from_thread(context.bus, oldest)
    qtbot.waitUntil(lambda: second.queue.index(second.queue.row_of(oldest), 0).data(TakenByRole) == "",
                    timeout=3000)
    assert oldest not in _claims(context)
    first._test_bridge.close()
    second._test_bridge.close()
