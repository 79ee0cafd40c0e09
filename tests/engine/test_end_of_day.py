"""The end of the day with the real adapters against their emulators (the demo's mix): DPD gets
one handover protocol with its parcels and one courier call, Furgonetka one pickup command, both
printed at the station; a second press books nothing more; InPost's lockers want no closing."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.engine.end_of_day import ALREADY, CLOSED, EndOfDay
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.store.queries import ready_to_pack
from linkoptima_gui.demo.world import DemoWorld


def test_the_mix_closes_dpd_and_furgonetka_once_with_their_protocols(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "world", settings=AppSettings(carrier="mixed"), ksef_delay=0, undo_seconds=0) as world:
        while world.customers.orders_placed() < 12:
            world.customers.place_order()
        assert asyncio.run(world.engine.run_until_idle(120))
        with world.sessions() as session:
            ready = ready_to_pack(session)
        printer = world.printer()
        for order_id in ready:
            world.packing.pack(order_id, printer, station="stanowisko-1")
        end = EndOfDay(world.sessions, world.services.all_carriers(), sender="Sklep Demo")
        assert sorted(c.name for c in end.carriers) == ["dpd", "furgonetka"]
        documents = open_printer((tmp_path / "dokumenty").as_uri())
        day = date.today()
        results = {c.carrier: c for c in end.close_day(documents, station="stanowisko-1", day=day)}
        assert world.dpd is not None and world.furgonetka is not None
        handed = world.dpd.handed_over()
        assert results["dpd"].outcome == CLOSED and results["dpd"].parcels == len(handed) > 0
        assert len(world.dpd.pickups()) == 1 and list(world.dpd.pickups().values())[0]["parcelsCount"] == len(handed)
        assert results["furgonetka"].outcome == CLOSED
        pickups = world.furgonetka.state["pickups"]
        assert len(pickups) == 1 and len(list(pickups.values())[0]["packages"]) == results["furgonetka"].parcels > 0
        printed = sorted(p.name for p in (tmp_path / "dokumenty").iterdir())
        assert printed == [f"protokol-dpd-{day.isoformat()}.pdf", f"protokol-furgonetka-{day.isoformat()}.pdf"]

        again = end.close_day(documents, station="stanowisko-2", day=day)
        assert {c.outcome for c in again} == {ALREADY}
        assert len(world.dpd.pickups()) == 1 and len(world.furgonetka.state["pickups"]) == 1
