"""The packer's second thoughts: undo a "packed" while the shop has not been told, and reprint
a label or an invoice (recorded in the audit log, never counted as a second label)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage, Step, StepState
from linkoptima_gui.core.engine.packing import PackingError
from linkoptima_gui.core.printing.file_printer import FilePrinter
from linkoptima_gui.core.store.models import AuditEvent, JobRow
from linkoptima_gui.demo.world import DemoWorld

from .conftest import orders_by_shop_id, paid_order, run_engine


def ready_order(world: DemoWorld, api: API) -> tuple[int, int]:
    """(console id, shop id) of one paid order the engine made ready to pack."""
    shop_id = paid_order(api, 1)
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert row.stage == Stage.READY_TO_PACK.value
    return row.id, shop_id


def audit_kinds(world: DemoWorld, order_id: int) -> list[str]:
    with world.sessions() as session:
        return list(session.scalars(select(AuditEvent.kind).where(AuditEvent.order_id == order_id)
                                    .order_by(AuditEvent.id)))


def test_undo_puts_the_parcel_back_and_the_shop_hears_only_of_the_final_pack(
        world: DemoWorld, api: API, tmp_path: Path) -> None:
    order_id, shop_id = ready_order(world, api)
    printer = FilePrinter(tmp_path / "printer")
    world.packing.undo_seconds = 60
    world.packing.pack(order_id, printer, station="st-1", operator="ala")
    assert world.packing.undo_pack(order_id, station="st-1", operator="ala") == orders_by_shop_id(world)[shop_id].number
    row = orders_by_shop_id(world)[shop_id]
    assert (row.stage, row.packed_at) == (Stage.READY_TO_PACK.value, None)
    with world.sessions() as session:
        assert session.scalar(select(JobRow).where(JobRow.order_id == order_id, JobRow.step == Step.SHOP.value)) is None
    assert "unpacked" in audit_kinds(world, order_id)

    world.packing.undo_seconds = 0  # packed again, for good this time
    world.packing.pack(order_id, printer, station="st-1", operator="ala")
    run_engine(world)
    assert world.services.shop.get_order(shop_id)["status"] == "completed"
    with pytest.raises(PackingError, match="Za późno"):
        world.packing.undo_pack(order_id, station="st-1", operator="ala")


def test_undo_of_an_order_that_is_not_packed_is_refused(world: DemoWorld, api: API) -> None:
    order_id, _ = ready_order(world, api)
    with pytest.raises(PackingError, match="nie jest spakowane"):
        world.packing.undo_pack(order_id)


def test_reprints_go_to_the_printer_and_the_audit(world: DemoWorld, api: API, tmp_path: Path) -> None:
    order_id, _ = ready_order(world, api)
    printer = FilePrinter(tmp_path / "printer")
    label = world.reprints.reprint_label(order_id, printer, actor="ala")
    invoice = world.reprints.reprint_invoice(order_id, printer, actor="ala")
    names = sorted(p.name for p in (tmp_path / "printer").iterdir())
    assert any(n.startswith("kopia-etykiety-") for n in names)
    assert any(n.startswith("kopia-faktury-FA_") for n in names)
    assert not any(n.startswith("etykieta-") for n in names)  # a copy is not a second label
    assert label and invoice
    text = PdfReader(next((tmp_path / "printer").glob("kopia-faktury-*.pdf"))).pages[0].extract_text()
    assert "Faktura VAT nr FA/" in text
    assert audit_kinds(world, order_id)[-2:] == ["reprint_label", "reprint_invoice"]
    with world.sessions() as session:
        packed = session.scalar(select(JobRow.state).where(JobRow.order_id == order_id,
                                                           JobRow.step == Step.PACKED.value))
    assert packed == StepState.PENDING.value  # reprinting changes nothing in the order
