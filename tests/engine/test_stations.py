"""Packing from many stations (DESIGN.md §5): a parcel belongs to the station that opened it,
another sees who packs it and cannot print it, a claim lapses when its station goes away, the
label comes from the store (not the engine's folder), reprints name the station, and
``linkoptima status`` reports all of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from woocommerce import API

from linkoptima_gui.commands.stations import read_status
from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.engine import parcel_claims
from linkoptima_gui.core.engine.packing import PackingError, ParcelTaken
from linkoptima_gui.core.engine.reprint import ReprintError
from linkoptima_gui.core.printing.factory import open_printer
from linkoptima_gui.core.store.db import server_now
from linkoptima_gui.core.store.documents import LABEL_PDF, read_document
from linkoptima_gui.core.store.models import AuditEvent, OrderRow, ParcelClaim, StoredDocument
from linkoptima_gui.core.store.queries import ready_to_pack
from linkoptima_gui.demo.world import DemoWorld

from .conftest import paid_order, run_engine


@pytest.fixture
def ready(world: DemoWorld, api: API) -> list[int]:
    for n in range(3):
        paid_order(api, n)
    run_engine(world)
    with world.sessions() as session:
        ids = ready_to_pack(session)
    assert len(ids) == 3
    return ids


def test_a_parcel_opened_at_one_station_cannot_be_packed_at_another(world: DemoWorld, ready: list[int],
                                                                    tmp_path: Path) -> None:
    first, second = ready[0], ready[1]
    world.packing.open_parcel(first, station="stanowisko-1", operator="jan")
    world.packing.open_parcel(first, station="stanowisko-1", operator="jan")  # renewing is fine
    with pytest.raises(ParcelTaken, match="pakuje stanowisko stanowisko-1") as taken:
        world.packing.open_parcel(first, station="stanowisko-2")
    assert taken.value.station == "stanowisko-1"
    printer = open_printer((tmp_path / "printer-2").as_uri())
    with pytest.raises(PackingError, match="stanowisko-1"):
        world.packing.pack(first, printer, station="stanowisko-2")
    assert not list((tmp_path / "printer-2").glob("etykieta-*"))  # nothing printed there
    world.packing.open_parcel(second, station="stanowisko-2")
    with world.sessions() as session:
        assert parcel_claims.holders(session, ready) == {first: "stanowisko-1", second: "stanowisko-2"}
        numbers = parcel_claims.numbers_by_station(session)
        status = read_status(world.sessions)
    assert sorted(numbers) == ["stanowisko-1", "stanowisko-2"]
    assert status["claims"] == numbers and status["orders"][Stage.READY_TO_PACK.value] == 3
    assert status["engine"] is None  # nobody holds the engine lease in this test
    world.packing.pack(first, world.printer(), station="stanowisko-1", operator="jan")
    with world.sessions() as session:
        order = session.get(OrderRow, first)
        assert (order.stage, order.packed_station, order.packed_by) == (Stage.PACKED.value, "stanowisko-1", "jan")
        assert session.get(ParcelClaim, first) is None  # packed: the claim is gone
        station = session.scalar(select(AuditEvent.station).where(AuditEvent.kind == "packed"))
    assert station == "stanowisko-1"


def test_a_station_that_went_away_frees_its_parcel(world: DemoWorld, ready: list[int]) -> None:
    parcel = ready[0]
    world.packing.open_parcel(parcel, station="stanowisko-1")
    with world.sessions.begin() as session:
        session.execute(update(ParcelClaim).values(expires_at=server_now(session) - timedelta(seconds=1)))
        assert parcel_claims.holders(session) == {}
    world.packing.open_parcel(parcel, station="stanowisko-2")
    world.packing.close_parcel(parcel, station="stanowisko-2")
    with world.sessions() as session:
        assert parcel_claims.holders(session) == {}


def test_labels_and_reprints_come_from_the_store(world: DemoWorld, ready: list[int], tmp_path: Path) -> None:
    parcel = ready[0]
    with world.sessions() as session:
        order = session.get(OrderRow, parcel)
        stored = read_document(session, parcel, LABEL_PDF)
    assert stored is not None and stored.startswith(b"%PDF")
    Path(order.label_pdf).unlink()  # another computer does not have the engine's folder
    Path(order.label_zpl).unlink()
    folder = tmp_path / "printer"
    world.packing.pack(parcel, open_printer(folder.as_uri()), station="stanowisko-3")
    printed = list(folder.glob("etykieta-*.pdf"))
    assert len(printed) == 1 and printed[0].read_bytes() == stored
    where = world.reprints.reprint_label(parcel, open_printer(folder.as_uri()), actor="ewa", station="biuro")
    assert Path(where).read_bytes() == stored
    with world.sessions() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.kind == "reprint_label")).one()
    assert (audit.actor, audit.station) == ("ewa", "biuro")


def test_documents_of_orders_packed_long_ago_leave_the_store(world: DemoWorld, ready: list[int]) -> None:
    old, recent, waiting = ready
    for parcel in (old, recent):
        world.packing.pack(parcel, world.printer(), station="stanowisko-1")
    with world.sessions.begin() as session:
        session.get(OrderRow, old).packed_at -= timedelta(days=31)
    world.engine._prune_documents()
    with world.sessions() as session:
        kept = {order_id for (order_id,) in session.execute(select(StoredDocument.order_id).distinct())}
    assert old not in kept and {recent, waiting} <= kept
    with world.sessions() as session:
        Path(session.get(OrderRow, old).label_pdf).unlink()  # another computer: not the engine's folder
    with pytest.raises(ReprintError, match="tylko na komputerze silnika"):
        world.reprints.reprint_label(old, world.printer(), actor="ewa")
