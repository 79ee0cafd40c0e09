"""Fix and retry from the exceptions list: a shop SKU mapped to an Optima item code for good, a
buyer's NIP corrected on one order; both go on to their FA, and the audit log says who did it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.core.engine.manual import ActionRefused
from linkoptima_gui.core.store.models import AuditEvent, OrderRow, SkuAlias
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.world import DemoWorld

from .conftest import documents_for, orders_by_shop_id, paid_order, run_engine


def _audit(world: DemoWorld, order_id: int) -> list[AuditEvent]:
    with world.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.order_id == order_id,
                                                             AuditEvent.kind == "manual_fix")))


def test_a_mapped_sku_lets_every_order_stopped_on_it_go_on(world: DemoWorld, api: API) -> None:
    created = api.post("products", {"name": "Kubek (kod sklepu)", "sku": "SKLEP-KUBEK-1", "regular_price": "39.00",
                                    "manage_stock": True, "stock_quantity": 10})  # Optima calls it otherwise
    assert created.status_code == 201, created.text
    first, second = paid_order(api, 1, sku="SKLEP-KUBEK-1"), paid_order(api, 2, sku="SKLEP-KUBEK-1")
    run_engine(world)
    rows = orders_by_shop_id(world)
    assert {rows[first].error_code, rows[second].error_code} == {"unknown_sku"}

    with pytest.raises(ActionRefused, match="nie zna towaru"):
        world.manual.map_sku(rows[first].id, "SKLEP-KUBEK-1", "NIE-MA-TAKIEGO", actor="kierownik")
    retried = world.manual.map_sku(rows[first].id, "SKLEP-KUBEK-1", CATALOGUE[0].code, actor="kierownik",
                                   reason="ten sam kubek")
    run_engine(world)

    assert retried == 2
    rows = orders_by_shop_id(world)
    for shop_id in (first, second):
        assert rows[shop_id].fa_number and rows[shop_id].stage == Stage.READY_TO_PACK.value
        assert documents_for(world, rows[shop_id].number) >= 1
    (note,) = _audit(world, rows[second].id)
    assert note.actor == "kierownik" and CATALOGUE[0].code in note.message and "ten sam kubek" in note.message
    later = paid_order(api, 3, sku="SKLEP-KUBEK-1")  # mapped for good: the next order just flows
    run_engine(world)
    assert orders_by_shop_id(world)[later].fa_number
    with world.sessions() as session:
        assert session.scalar(select(SkuAlias.optima_code)) == CATALOGUE[0].code


def test_a_corrected_nip_lets_the_order_stopped_at_intake_go_on(world: DemoWorld, api: API) -> None:
    shop_id = paid_order(api, 5, nip="526-025-02-75")  # wrong check digit
    run_engine(world)
    row = orders_by_shop_id(world)[shop_id]
    assert (row.stage, row.error_code) == (Stage.EXCEPTION.value, "invalid_nip")

    with pytest.raises(ActionRefused, match="poprawny NIP"):
        world.manual.correct_nip(row.id, "526-025-02-76", actor="kierownik")
    world.manual.correct_nip(row.id, "526-025-02-74", actor="kierownik", reason="telefon od klienta")
    run_engine(world)

    row = orders_by_shop_id(world)[shop_id]
    assert row.fa_number and row.buyer_nip == "5260250274" and row.is_company
    (note,) = _audit(world, row.id)
    assert "5260250274" in note.message and note.actor == "kierownik"
    with world.sessions() as session:  # the shop's own data is kept as the shop sent it
        assert session.get(OrderRow, row.id).payload["meta_data"][0]["value"] == "526-025-02-75"
    with pytest.raises(ActionRefused, match="już wystawiona"):
        world.manual.correct_nip(row.id, "", actor="kierownik")
