"""The order to a supplier (ZD 309000) in both writers: the simulated Optima books Optima's rows
in the buffer; the COM writer tells Optima the same through ``CDN.DokumentyHaMag`` (the strict fake
here, which books nothing, as in ``test_com_writer``), and neither books a second ZD for one
request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from linkoptima_gui.core.errors import AmbiguousOutcomeError, PermanentError
from linkoptima_gui.core.optima.com_session import OptimaComSession
from linkoptima_gui.core.optima.com_writer import ComOptimaWriter
from linkoptima_gui.core.optima.port import SupplierOrder, SupplierOrderLine
from linkoptima_gui.core.optima.schema import Kontrahenci, TraElem, TraNag, TraVat

from .com_fake import FakeOptima
from .conftest import clock, rows


def zd_request(engine, reference: str = "LO-ZD-TEST/1") -> SupplierOrder:  # noqa: ANN001
    with engine.connect() as conn:
        supplier = conn.execute(select(Kontrahenci.c.Knt_KntId).where(Kontrahenci.c.Knt_Kod == "CERAMIKA-BOL")).scalar_one()
    return SupplierOrder(reference, supplier, (SupplierOrderLine("KUB-001", Decimal(24)),
                                               SupplierOrderLine("KUB-002", Decimal(6))), note="test")


def test_the_simulated_zd_is_in_the_buffer_with_its_lines(writer, engine) -> None:  # noqa: ANN001
    order = zd_request(engine)
    zd = writer.create_supplier_order(order)
    assert writer.create_supplier_order(order) == zd  # the same request: the same ZD
    (header,) = rows(engine, TraNag, TraNag.c.TrN_TrNID == zd.id)
    assert (header.TrN_TypDokumentu, header.TrN_Rodzaj, header.TrN_Bufor) == (309, 309000, 1)
    assert header.TrN_PodID == order.supplier_id and header.TrN_NumerObcy == order.reference
    assert zd.number.startswith("ZD/") and header.TrN_PodNazwa1.startswith("Ceramika")
    lines = rows(engine, TraElem, TraElem.c.TrE_TrNId == zd.id)
    assert {(line.TrE_TwrKod, line.TrE_Ilosc) for line in lines} == {("KUB-001", 24), ("KUB-002", 6)}
    assert sum(line.TrE_WartoscNetto for line in lines) == header.TrN_RazemNetto > 0
    assert sum(v.TrV_Netto for v in rows(engine, TraVat, TraVat.c.TrV_TrNID == zd.id)) == header.TrN_RazemNetto


def test_what_optima_would_refuse_is_refused_before_writing(writer, engine) -> None:  # noqa: ANN001
    order = zd_request(engine)
    with pytest.raises(PermanentError) as unknown:
        writer.create_supplier_order(SupplierOrder("LO-ZD-X/1", order.supplier_id, (SupplierOrderLine("NIE-MA", Decimal(1)),)))
    assert unknown.value.code == "unknown_sku"
    with pytest.raises(PermanentError) as supplier:
        writer.create_supplier_order(SupplierOrder("LO-ZD-X/2", 999_999, order.lines))
    assert supplier.value.code == "unknown_supplier"
    assert rows(engine, TraNag, TraNag.c.TrN_TypDokumentu == 309) == []


def test_the_com_writer_books_the_zd_through_dokumenty_ha_mag(reader, writer, engine) -> None:  # noqa: ANN001
    """The strict fake knows only the names public code uses and books nothing: the ZD is said to
    Optima, the books do not show it (a person decides); once Optima's rows are there (booked by
    the simulated Optima, as Optima would have them), the same request finds them without a call."""
    fake = FakeOptima(books=engine)
    order = zd_request(engine)
    com = OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", dispatch=fake.dispatch, apartment=fake.apartment)
    try:
        com_writer = ComOptimaWriter(com, reader, clock=clock)
        with pytest.raises(AmbiguousOutcomeError) as unseen:
            com_writer.create_supplier_order(order)
        assert unseen.value.code == "optima_not_found_after_save"
        said = [line.split("#", 1)[1] if "#" in line else line for line in fake.lines()]
        assert "1.Rodzaj = 309000" in said and "1.TypDokumentu = 309" in said and "1.Bufor = 1" in said
        assert "1.NumerObcy = 'LO-ZD-TEST/1'" in said
        assert "1.TowarKod = 'KUB-001'" in said and "1.Ilosc = Decimal('24')" in said
        assert "2.TowarKod = 'KUB-002'" in said
        saves = sum(1 for line in fake.lines() if line.endswith(".Save()"))
        assert saves == 1
        zd = writer.create_supplier_order(order)  # Optima's rows, as the save would have left them
        assert com_writer.create_supplier_order(order) == zd  # found in the books: nothing said again
        assert sum(1 for line in fake.lines() if line.endswith(".Save()")) == saves
        assert rows(engine, TraNag, TraNag.c.TrN_TypDokumentu == 309)[0].TrN_Bufor == 1
    finally:
        com.close()
