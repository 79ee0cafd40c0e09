"""The COM correction against the strict fake: what Optima is told, the unverified meaning of
``Ilosc`` both ways, the read-back that catches the wrong one, and money back only where the
settings allow it. The books are the simulated company; the fake saves nothing, so a test that
wants the correction "saved" books Optima's rows with the simulated writer when Save is called."""

from __future__ import annotations

import inspect
import types
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from linkoptima_gui.core.domain.correction import (
    CorrectionKind,
    CorrectionLine,
    CorrectionRequest,
    PayoutKind,
)
from linkoptima_gui.core.errors import AmbiguousOutcomeError, PermanentError
from linkoptima_gui.core.optima import com_correction
from linkoptima_gui.core.optima.com_session import OptimaComSession
from linkoptima_gui.core.optima.com_writer import ComOptimaWriter
from linkoptima_gui.core.optima.settings import COM_QUANTITY_DELTA, OptimaSettings
from linkoptima_gui.demo.catalogue import SHIPPING_SERVICE_CODE

from . import factories as f
from .com_fake import FakeOptima
from .conftest import KP_THROUGH_COM, clock

DAY = date(2026, 3, 16)


def _returned(reference: str = "ZW-1", quantity: int = -1) -> CorrectionRequest:
    return CorrectionRequest(reference, CorrectionKind.QUANTITY, (CorrectionLine(1, "KUB-001", Decimal(quantity)),),
                             "Zwrot towaru", DAY)


@pytest.fixture
def fake(engine) -> FakeOptima:
    return FakeOptima(books=engine)


@pytest.fixture
def session(fake):
    com = OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", dispatch=fake.dispatch, apartment=fake.apartment)
    yield com
    com.close()


def _com_writer(session, reader, settings: OptimaSettings = KP_THROUGH_COM) -> ComOptimaWriter:
    return ComOptimaWriter(session, reader, settings, clock=clock)


def _invoice(writer, number: str = "6001"):
    order = f.order(number)
    invoice = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    writer.create_wz_from_invoice(invoice)
    return order, invoice


def _after_login(fake: FakeOptima) -> list[str]:
    lines = fake.lines()
    return lines[lines.index("Login.CreateSession()") + 1:]


@pytest.mark.parametrize(("meaning", "ilosc"), [("after", 1.0), (COM_QUANTITY_DELTA, -1.0)])
def test_a_quantity_correction_is_made_as_comarchs_sample_makes_it(fake, session, reader, writer, meaning,
                                                                   ilosc) -> None:
    _, invoice = _invoice(writer)
    settings = OptimaSettings(settlement=KP_THROUGH_COM.settlement, com_correction_quantity=meaning)
    with pytest.raises(AmbiguousOutcomeError):  # the fake saves nothing
        _com_writer(session, reader, settings).create_correction(invoice, _returned())
    assert _after_login(fake) == [
        "Session#1.CreateObject('CDN.DokumentyHaMag', None)",
        "DokumentyHaMag.AddNew(None)",
        "DokumentHaMag#1.Rodzaj = 302001",
        "DokumentHaMag#1.TypDokumentu = 302",
        "DokumentHaMag#1.Korekta = 1",
        "DokumentHaMag#1.Bufor = 0",
        f"DokumentHaMag#1.OryginalID = {invoice.id}",
        f"DokumentHaMag#1.DataDok = {datetime(2026, 3, 16)!r}",
        "DokumentHaMag#1.NumerObcy = 'ZW-1'",
        "DokumentHaMag#1.Uwagi = 'Zwrot towaru'",
        "DokumentHaMag#1.Elementy.Item(\"Tre_TwrKod='KUB-001'\")",
        f"ElementHaMag[Tre_TwrKod='KUB-001'].Ilosc = {ilosc!r}",
        "Session#1.Save()",
    ]


def test_a_value_correction_sets_the_lines_value_after_it(fake, session, reader, writer) -> None:
    _, invoice = _invoice(writer)
    request = CorrectionRequest("ZW-2", CorrectionKind.VALUE,
                                (CorrectionLine(3, SHIPPING_SERVICE_CODE, gross=Decimal("-4.99")),), "Rabat", DAY)
    with pytest.raises(AmbiguousOutcomeError):
        _com_writer(session, reader).create_correction(invoice, request)
    assert "DokumentHaMag#1.Rodzaj = 302002" in fake.lines()
    assert f"ElementHaMag[Tre_TwrKod='{SHIPPING_SERVICE_CODE}'].CenaT = {Decimal('10.00')!r}" in fake.lines()


class _SavingReader:
    """The reader, but the correction "appears" in the books on the first look after Save, booked
    with ``booked_change``: what Optima would store if it read ``Ilosc`` another way."""

    def __init__(self, reader, writer, invoice, booked_change: int) -> None:
        self._reader, self._writer, self._invoice, self._change = reader, writer, invoice, booked_change
        self._looks = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def find_correction(self, reference: str):
        self._looks += 1
        if self._looks == 2:  # after Save
            self._writer.create_correction(self._invoice, _returned(reference, self._change))
        return self._reader.find_correction(reference)


def test_the_correction_read_back_must_show_the_change_asked_for(session, reader, writer) -> None:
    _, invoice = _invoice(writer)
    right = _com_writer(session, _SavingReader(reader, writer, invoice, -1))
    assert right.create_correction(invoice, _returned("ZW-3")).number == "FAKI/1/2026"
    _, other = _invoice(writer, "6002")
    wrong = _com_writer(session, _SavingReader(reader, writer, other, -2))  # Optima took 1 as "1 less"... or not
    with pytest.raises(PermanentError) as refused:
        wrong.create_correction(other, _returned("ZW-4"))
    assert refused.value.code == "correction_mismatch" and "com_correction_quantity" in refused.value.reason


def test_a_booked_correction_is_returned_without_touching_optima(fake, session, reader, writer) -> None:
    _, invoice = _invoice(writer)
    booked = writer.create_correction(invoice, _returned("ZW-5"))
    calls = len(fake.calls)
    assert _com_writer(session, reader).create_correction(invoice, _returned("ZW-5")) == booked
    assert all(c.name in ("CoInitialize",) for c in fake.calls[calls:])


def test_what_optima_would_refuse_stops_before_optima_is_touched(fake, session, reader, writer) -> None:
    _, invoice = _invoice(writer)
    with pytest.raises(PermanentError) as refused:
        _com_writer(session, reader).create_correction(invoice, _returned("ZW-6", -3))
    assert refused.value.code == "correction_too_large"
    assert not any("DokumentyHaMag" in line for line in fake.lines())


def test_money_back_goes_to_a_person_on_optimas_own_route(fake, session, reader, writer) -> None:
    order, invoice = _invoice(writer)
    writer.settle_payment(invoice, order)
    correction = writer.create_correction(invoice, _returned("ZW-7"))
    with pytest.raises(PermanentError) as refused:
        _com_writer(session, reader, OptimaSettings()).settle_correction(correction, invoice, order, PayoutKind.BANK)
    assert refused.value.code == "correction_settle_by_hand" and "ręcznie" in refused.value.reason
    assert not any("ZapisyKB" in line for line in fake.lines())
    paid = writer.settle_correction(correction, invoice, order, PayoutKind.BANK)  # a person booked it
    assert _com_writer(session, reader, OptimaSettings()).settle_correction(
        correction, invoice, order, PayoutKind.BANK) == paid


def test_on_the_com_route_the_payout_is_a_kw_record_going_out(fake, session, reader, writer) -> None:
    order, invoice = _invoice(writer)
    writer.settle_payment(invoice, order)
    correction = writer.create_correction(invoice, _returned("ZW-8"))
    with pytest.raises(AmbiguousOutcomeError):  # the fake saves nothing
        _com_writer(session, reader).settle_correction(correction, invoice, order, PayoutKind.BANK)
    lines = fake.lines()
    assert "ZapisKB#1.Kierunek = -1" in lines
    assert f"ZapisKB#1.Opis = 'Zwrot pieniędzy do korekty {correction.number}'" in lines


def _misspelt(old: str, new: str) -> types.ModuleType:
    source = inspect.getsource(com_correction)
    assert source.count(old) == 1, old
    module = types.ModuleType("linkoptima_gui.core.optima.com_correction_misspelt")
    module.__package__ = "linkoptima_gui.core.optima"
    exec(compile(source.replace(old, new), com_correction.__file__, "exec"), module.__dict__)  # noqa: S102
    return module


@pytest.mark.parametrize(("old", "new", "caught"), [
    ("doc.OryginalID =", "doc.OryginalId_ =", PermanentError),  # a typo: the fake refuses the name
    ("doc.OryginalID =", "doc.OryginalID =", AmbiguousOutcomeError),  # the control: no change, no name error
])
def test_a_misspelt_name_in_the_correction_fails_against_the_fake(session, reader, writer, old, new, caught) -> None:
    _, invoice = _invoice(writer)
    module = _misspelt(old, new)
    books = _com_writer(session, reader)._books
    with pytest.raises(caught) as error:
        session.run(lambda com: module.correct_through_com(com, books, reader, KP_THROUGH_COM, invoice, _returned(),
                                                           datetime(2026, 3, 16)))
    if caught is PermanentError:
        assert error.value.code == "optima_com_name" and "OryginalId_" in error.value.reason
