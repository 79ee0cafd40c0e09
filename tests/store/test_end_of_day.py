"""The end of the day on SQLite and PostgreSQL: every carrier that wants one is closed once per day
(its protocol, or the console's parcel list, printed at the station and kept for a reprint), a
second press is told so in Polish, a refusal leaves the day open with the carrier's reason, and
stations racing to close the same day book the courier once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.day_closings import STARTED
from linkoptima_gui.core.engine.end_of_day import ALREADY, BUSY, CLOSED, FAILED, NOTHING, EndOfDay
from linkoptima_gui.core.printing.port import PrinterError
from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.models import AuditEvent, DayClosing, JobRow, OrderRow, utcnow
from tests.shipping.fake_carrier import PROTOCOL, FakeCarrier

DAY = date(2026, 12, 7)


class Printer:
    def __init__(self, url: str = "file:///stanowisko", fail: bool = False) -> None:
        self.url = url
        self.fail = fail
        self.jobs: list[tuple[str, bytes]] = []

    def print_label(self, job_name: str, *, pdf: bytes | None = None, zpl: bytes | None = None) -> str:
        if self.fail:
            raise PrinterError("Drukarka jest wyłączona.")
        assert pdf is not None and zpl is None
        self.jobs.append((job_name, pdf))
        return f"{self.url}/{job_name}.pdf"


@pytest.fixture
def store(store_url: str) -> Iterator[sessionmaker[Session]]:
    factory = open_store(store_url)
    yield factory
    factory.kw["bind"].dispose()


def parcel(store: sessionmaker[Session], n: int, carrier: str, *, packed: bool = True,
           packed_days_ago: float = 0) -> int:
    """An order labelled by ``carrier`` (its shipment id in the label job), packed or still waiting."""
    with store.begin() as session:
        row = OrderRow(shop_order_id=n, number=str(n), payload={}, carrier=carrier, tracking_number=f"T{n:06d}",
                       stage=Stage.PACKED.value if packed else Stage.READY_TO_PACK.value,
                       packed_at=utcnow() - timedelta(days=packed_days_ago) if packed else None)
        session.add(row)
        session.flush()
        session.add(JobRow(order_id=row.id, step=Step.LABEL.value, identity_key=f"default:{n}:label",
                           state=StepState.DONE.value, result={"shipment_id": f"S{n}", "tracking": f"T{n:06d}"}))
        return row.id


def by_carrier(results: list) -> dict:
    return {r.carrier: r for r in results}


def test_every_carrier_is_closed_once_and_a_second_press_says_so_and_reprints(
        store: sessionmaker[Session]) -> None:
    dpd, furgonetka = FakeCarrier("dpd", protocol=True), FakeCarrier("furgonetka", protocol=False)
    shipx = FakeCarrier("inpost", protocol=False, pickup=False)  # wants no end of day
    for n in (1, 2):
        parcel(store, n, "dpd")
    parcel(store, 3, "furgonetka")
    parcel(store, 4, "dpd", packed=False)  # not packed yet: not handed over
    parcel(store, 5, "inpost")
    parcel(store, 6, "dpd", packed_days_ago=30)  # long gone
    end = EndOfDay(store, [shipx, dpd, furgonetka], sender="Sklep Żółwik")
    assert [c.name for c in end.carriers] == ["dpd", "furgonetka"]
    printer = Printer()
    said: list[str] = []
    first = by_carrier(end.close_day(printer, station="stanowisko-1", operator="ola", day=DAY, progress=said.append))
    assert first["dpd"].outcome == CLOSED and first["furgonetka"].outcome == CLOSED
    assert dpd.calls == [(DAY, ("T000001", "T000002"), ("S1", "S2"))] and furgonetka.calls[0][1] == ("T000003",)
    assert first["dpd"].message.startswith("DPD Polska: zamknięto dzień — paczek: 2, zamówienie kuriera 00000001, "
                                           "protokół PROT/00001; wydruk: file:///stanowisko/protokol-dpd-2026-12-07")
    assert said[0] == "DPD Polska (1/2): zamawianie kuriera…" and said[-1] == first["furgonetka"].message
    (dpd_job, dpd_pdf), (f_job, f_pdf) = printer.jobs
    assert dpd_pdf == PROTOCOL and f_job == "protokol-furgonetka-2026-12-07"
    assert f_pdf.startswith(b"%PDF-") and f_pdf != PROTOCOL  # the console's own list of the parcels

    again = by_carrier(end.close_day(printer, station="stanowisko-2", day=DAY))
    assert again["dpd"].outcome == ALREADY and len(dpd.calls) == 1 and len(furgonetka.calls) == 1
    assert again["dpd"].message.startswith("DPD Polska: dzień 07.12.2026 jest już zamknięty (stanowisko "
                                           "stanowisko-1, ")
    assert "zamówienie kuriera 00000001, protokół PROT/00001). Drugi raz kuriera nie zamawiamy." in again["dpd"].message
    where = end.reprint(again["dpd"].closing_id, printer, station="stanowisko-2", operator="jan")
    assert "kopia-protokolu-dpd-2026-12-07" in where and printer.jobs[-1][1] == PROTOCOL
    with store() as session:
        kinds = [a.kind for a in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert kinds.count("day_closed") == 2 and kinds[-1] == "day_reprinted"

    parcel(store, 7, "dpd")  # packed after the courier left: tomorrow's
    tomorrow = by_carrier(end.close_day(printer, station="stanowisko-1", day=DAY + timedelta(days=1)))
    assert tomorrow["dpd"].outcome == CLOSED and dpd.calls[-1][1] == ("T000007",)
    assert tomorrow["furgonetka"].outcome == NOTHING
    assert tomorrow["furgonetka"].message == "Furgonetka: brak spakowanych paczek do przekazania kurierowi."


def test_a_refusal_leaves_the_day_open_with_the_reason_and_a_failed_print_leaves_it_closed(
        store: sessionmaker[Session]) -> None:
    dpd = FakeCarrier("dpd", protocol=True)
    dpd.refuse.append("DPD Polska odmawia (zamawianie kuriera): brak wolnych kurierów.")
    parcel(store, 1, "dpd")
    end = EndOfDay(store, [dpd])
    [refused] = end.close_day(Printer(), station="stanowisko-1", day=DAY)
    assert refused.outcome == FAILED and not dpd.calls
    assert refused.message == ("DPD Polska: nie zamknięto dnia — DPD Polska odmawia (zamawianie kuriera): brak "
                               "wolnych kurierów. Spróbuj ponownie.")
    with store() as session:
        row = session.scalar(select(DayClosing))
        assert row.state == "failed" and "brak wolnych kurierów" in row.error
    [closed] = end.close_day(Printer(fail=True), station="stanowisko-1", day=DAY)
    assert closed.outcome == CLOSED and closed.print_failed and len(dpd.calls) == 1
    assert "ale wydruk się nie udał: Drukarka jest wyłączona. Wydrukuj protokół ponownie." in closed.message
    printer = Printer()
    end.reprint(closed.closing_id, printer, station="stanowisko-1")
    assert printer.jobs[0][1] == PROTOCOL


def test_a_station_that_went_away_mid_call_gives_the_day_back_once_its_claim_lapses(
        store: sessionmaker[Session]) -> None:
    dpd = FakeCarrier("dpd", protocol=True)
    parcel(store, 1, "dpd")
    with store.begin() as session:
        session.add(DayClosing(day=DAY, carrier="dpd", state=STARTED, station="stanowisko-9", order_ids=[],
                               tracking_numbers=[], booking_id="", protocol_id="", error="",
                               expires_at=utcnow() + timedelta(minutes=5)))
    end = EndOfDay(store, [dpd])
    [busy] = end.close_day(Printer(), station="stanowisko-1", day=DAY)
    assert busy.outcome == BUSY and busy.message == ("DPD Polska: dzień zamyka właśnie na stanowisku stanowisko-9; "
                                                     "poczekaj chwilę.") and not dpd.calls
    with store.begin() as session:
        session.execute(update(DayClosing).values(expires_at=utcnow() - timedelta(seconds=1)))
    [closed] = end.close_day(Printer(), station="stanowisko-1", day=DAY)
    assert closed.outcome == CLOSED and len(dpd.calls) == 1


def test_two_stations_racing_to_close_the_same_day_book_the_courier_once(store_url: str) -> None:
    """Each station its own connection pool, as on its own computer; the carrier answers slowly."""
    first = open_store(store_url)
    for n in (1, 2, 3):
        parcel(first, n, "dpd")
    parcel(first, 4, "furgonetka")
    stations = [first] + [open_store(store_url) for _ in range(3)]
    dpd, furgonetka = FakeCarrier("dpd", protocol=True, delay=0.3), FakeCarrier("furgonetka", protocol=False,
                                                                               delay=0.3)
    barrier = threading.Barrier(len(stations))
    results: dict[str, list] = {}

    def press(number: int, sessions: sessionmaker[Session]) -> None:
        end = EndOfDay(sessions, [dpd, furgonetka])
        barrier.wait()
        results[f"stanowisko-{number}"] = end.close_day(Printer(), station=f"stanowisko-{number}", day=DAY)

    threads = [threading.Thread(target=press, args=(n, s)) for n, s in enumerate(stations, start=1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert len(results) == len(stations)
        assert len(dpd.calls) == 1 and len(furgonetka.calls) == 1
        assert dpd.calls[0][1] == ("T000001", "T000002", "T000003")
        for carrier in ("dpd", "furgonetka"):
            outcomes = sorted(r.outcome for rs in results.values() for r in rs if r.carrier == carrier)
            assert outcomes.count(CLOSED) == 1 and set(outcomes) <= {CLOSED, BUSY, ALREADY}, outcomes
        with first() as session:
            rows = session.scalars(select(DayClosing)).all()
        assert sorted((r.carrier, r.state) for r in rows) == [("dpd", "done"), ("furgonetka", "done")]
    finally:
        for sessions in stations:
            sessions.kw["bind"].dispose()
