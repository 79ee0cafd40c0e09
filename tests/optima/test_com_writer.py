"""The COM writer against the strict fake of Optima's COM objects (``com_fake``).

The fake knows only the names public code uses and writes no rows. The books are the simulated
company of the other tests, set up as Optima would have them before the writer runs: the writer
looks everything up there first, and reads back from there after its ``Save``. So a booking
through the fake ends with "Optima took it but the books do not show it" (a person decides), and
the same booking with Optima's rows in place comes back without a single COM call. What is
asserted is what Optima would be told: the calls, the properties and their order, on the one COM
thread, and that the reads that decide go through the READ COMMITTED engine.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, select, update

from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.errors import AmbiguousOutcomeError, PermanentError, RetryableError
from linkoptima_gui.core.optima.com_session import OptimaComSession
from linkoptima_gui.core.optima.com_writer import ComOptimaWriter
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.rules.columns import unit_price
from linkoptima_gui.core.optima.schema import (
    BnkRachunki,
    BnkRaporty,
    BnkZapisy,
    BnkZdarzenia,
    DokDefinicje,
    FormyPlatnosci,
    Magazyny,
    TraNag,
)
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter

from . import factories as f
from .com_fake import RPC_E_CALL_REJECTED, FakeComError, FakeOptima, com_error
from .conftest import KP_THROUGH_COM, clock, rows, saved_kp, without_own_settlement

LOGIN = [
    "pythoncom.CoInitialize()",
    "win32com.client.Dispatch('CDNBase.Application')",
    "Application.LockApp(256, 5000, None, None, None, None)",
    "Application.Login('LINKOPTIMA', 'tajne', 'Sklep Demo')",
    "Login.CreateSession()",
]
NOTHING = ["pythoncom.CoInitialize()"]  # the thread entered its apartment; Optima was never touched
DAY = datetime(2026, 3, 16)


@pytest.fixture
def fake(engine) -> FakeOptima:
    return FakeOptima(books=engine)


def _session(fake: FakeOptima) -> OptimaComSession:
    return OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", dispatch=fake.dispatch, apartment=fake.apartment)


@pytest.fixture
def com(fake):
    session = _session(fake)
    yield session
    session.close()


@pytest.fixture
def com_writer(com, reader) -> ComOptimaWriter:
    """On an Optima whose forms do not settle by themselves, booking the KP through COM."""
    return ComOptimaWriter(com, reader, clock=clock)


def _id(engine, column, *where) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(column).where(*where)).scalar_one())


def _book(writer, order):
    return writer.create_invoice(order, writer.ensure_contractor(order.buyer))


def _not_in_the_books(call) -> AmbiguousOutcomeError:
    with pytest.raises(AmbiguousOutcomeError) as caught:
        call()
    assert caught.value.code == "optima_not_found_after_save"
    return caught.value


# --- contractors -----------------------------------------------------------------------------------


def test_a_new_company_card_is_created_through_kontrahenci(fake, com_writer, writer) -> None:
    buyer = f.company_buyer(nip="555-444-33-34", name="Nowa Firma Ślęża sp. z o.o.")
    _not_in_the_books(lambda: com_writer.ensure_contractor(buyer))  # the fake saves no card
    assert fake.lines()[len(LOGIN) :] == [
        "Session#1.CreateObject('CDN.Kontrahenci', None)",
        "Kontrahenci.AddNew(None)",
        "Kontrahent#1.Akronim = '5554443334'",
        "Kontrahent#1.Nazwa1 = 'Nowa Firma Ślęża sp. z o.o.'",
        "Kontrahent#1.Nazwa2 = ''",
        "Kontrahent#1.Nazwa3 = ''",
        "Kontrahent#1.NumerNIP.UstawNIP('PL', '5554443334', 1)",
        "Kontrahent#1.Adres.Ulica = 'ul. Składowa'",
        "Kontrahent#1.Adres.NrDomu = '4'",
        "Kontrahent#1.Adres.NrLokalu = '2'",
        "Kontrahent#1.Adres.Miasto = 'Poznań'",
        "Kontrahent#1.Adres.KodPocztowy = '60-101'",
        "Kontrahent#1.Adres.Kraj = 'Polska'",
        "Kontrahent#1.KrajISO = 'PL'",
        "Kontrahent#1.Email = 'zakupy@orzel.example'",
        "Kontrahent#1.Telefon = '600100200'",
        "Kontrahent#1.Finalny = 0",
        "Kontrahent#1.PodatekVAT = 1",
        "Kontrahent#1.Export = 0",
        "Session#1.Save()",
    ]
    card = writer.ensure_contractor(buyer)  # the card as Optima keeps it
    mark = len(fake.lines())
    assert com_writer.ensure_contractor(buyer) == card and card.code == "5554443334"
    assert len(fake.lines()) == mark


def test_a_known_buyer_is_found_in_the_books_without_touching_optima(fake, com_writer) -> None:
    assert com_writer.ensure_contractor(f.company_buyer()).code == "HURT-ORZEL"
    with pytest.raises(PermanentError) as caught:
        com_writer.ensure_contractor(f.company_buyer(nip="1234567890"))
    assert caught.value.code == "invalid_nip"
    assert fake.lines() == NOTHING


# --- FA ---------------------------------------------------------------------------------------------


def test_fa_with_two_goods_lines_and_a_shipping_line(fake, com, com_writer, writer, reader, engine) -> None:
    order = f.order("1001")  # KUB-001 x2, KS-001, USL-TRANSPORT, prices with VAT
    contractor = writer.ensure_contractor(order.buyer)
    _not_in_the_books(lambda: com_writer.create_invoice(order, contractor))

    definition = _id(engine, DokDefinicje.c.DDf_DDfID, DokDefinicje.c.DDf_Symbol == "FA")
    payu = _id(engine, FormyPlatnosci.c.FPl_FPlId, FormyPlatnosci.c.FPl_Nazwa == "PayU")
    magazyn = _id(engine, Magazyny.c.Mag_MagId, Magazyny.c.Mag_Symbol == "MAGAZYN")
    lines = []
    for n, line in enumerate(order.lines, start=1):
        lines += [
            "DokumentHaMag#1.Elementy.AddNew(None)",
            f"ElementHaMag#{n}.TowarKod = {line.sku!r}",
            f"ElementHaMag#{n}.Ilosc = {float(line.quantity)!r}",
            f"ElementHaMag#{n}.CenaT = {unit_price(line.gross, line.quantity)!r}",
        ]
    assert fake.lines()[len(LOGIN) :] == [
        "Session#1.CreateObject('CDN.DokumentyHaMag', None)",
        "DokumentyHaMag.AddNew(None)",
        "DokumentHaMag#1.Rodzaj = 302000",
        "DokumentHaMag#1.TypDokumentu = 302",
        "Session#1.CreateObject('CDN.DefinicjeDokumentow', None)",
        f"DefinicjeDokumentow.Item('DDf_DDfID={definition}')",
        f"DokumentHaMag#1.Numerator.DefinicjaDokumentu = DefinicjaDokumentu[DDf_DDfID={definition}]",
        "DokumentHaMag#1.Bufor = 0",
        f"DokumentHaMag#1.DataDok = {DAY!r}",
        "Session#1.CreateObject('CDN.Kontrahenci', None)",
        f"Kontrahenci.Item('Knt_KntId={contractor.id}')",
        f"DokumentHaMag#1.Podmiot = Kontrahent[Knt_KntId={contractor.id}]",
        "Session#1.CreateObject('CDN.FormyPlatnosci', None)",
        f"FormyPlatnosci.Item('FPl_FPlId={payu}')",
        f"DokumentHaMag#1.FormaPlatnosci = FormaPlatnosci[FPl_FPlId={payu}]",
        f"DokumentHaMag#1.MagazynZrodlowyID = {magazyn}",
        "DokumentHaMag#1.TypNB = 2",
        "DokumentHaMag#1.NumerObcy = '1001'",
        "DokumentHaMag#1.Uwagi = 'Zamówienie sklepu nr 1001'",
        *lines,
        "Session#1.Save()",
    ]
    assert "ElementHaMag#1.CenaT = Decimal('29.9900')" in lines and "ElementHaMag#1.Ilosc = 2.0" in lines
    assert fake.threads() == {com.thread_id}

    booked = writer.create_invoice(order, contractor)  # the FA as Optima keeps it
    mark = len(fake.lines())
    assert com_writer.create_invoice(order, contractor) == booked == reader.find_invoice("1001")
    assert len(fake.lines()) == mark


def test_a_net_priced_order_gives_net_line_values(fake, com_writer, writer) -> None:
    order = f.order("1002", [f.net_line("KUB-001", 3, "24.38")], prices_include_tax=False)
    _not_in_the_books(lambda: com_writer.create_invoice(order, writer.ensure_contractor(order.buyer)))
    assert "DokumentHaMag#1.TypNB = 1" in fake.lines()
    assert fake.lines()[-2] == "ElementHaMag#1.WartoscNetto = Decimal('73.14')"


def test_what_optima_would_refuse_stops_before_optima_is_touched(fake, com_writer, writer, engine) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    unknown = f.order("1003", [f.line("KUB-001", 1), f.line("NIE-MA-TAKIEGO", 1, "10.00")])
    with pytest.raises(PermanentError) as caught:
        com_writer.create_invoice(unknown, contractor)
    assert caught.value.code == "unknown_sku" and caught.value.details["sku"] == "NIE-MA-TAKIEGO"

    # the FA takes each line's rate from the item card: a shop rate that differs is refused
    other_rate = f.order("1004", [f.line("KUB-001", 1, rate=VatRate.R8)])
    with pytest.raises(PermanentError) as caught:
        com_writer.create_invoice(other_rate, contractor)
    assert caught.value.code == "vat_rate_mismatch" and caught.value.details["optima_rate"] == "23%"

    draft = f.order("1006")
    writer.create_invoice(draft, contractor)
    with engine.begin() as conn:
        conn.execute(update(TraNag).values(TrN_Bufor=1))
    with pytest.raises(PermanentError) as caught:
        com_writer.create_invoice(draft, contractor)
    assert caught.value.code == "document_in_buffer"
    assert fake.lines() == NOTHING


def test_optima_refusing_a_line_is_permanent_and_keeps_the_login(fake, com_writer, writer) -> None:
    order = f.order("1010")
    contractor = writer.ensure_contractor(order.buyer)
    fake.fail("ElementHaMag.TowarKod", com_error("Nie znaleziono towaru o kodzie KS-001"), nth=2)
    with pytest.raises(PermanentError) as caught:
        com_writer.create_invoice(order, contractor)
    assert caught.value.code == "unknown_sku" and "KS-001" in caught.value.reason
    assert isinstance(caught.value.__cause__, FakeComError)
    assert fake.lines()[-1] == "ElementHaMag#2.TowarKod = 'KS-001'"
    assert "Session#1.Save()" not in fake.lines() and "Application.UnlockApp()" not in fake.lines()

    _not_in_the_books(lambda: com_writer.create_invoice(order, contractor))  # the retry: same login
    assert fake.lines().count(LOGIN[3]) == 1 and "Session#2.Save()" in fake.lines()


# --- WZ ---------------------------------------------------------------------------------------------


def test_wz_is_made_by_optima_from_the_fa(fake, com, com_writer, writer, reader, engine) -> None:
    invoice = _book(writer, f.order("2001"))
    _not_in_the_books(lambda: com_writer.create_wz_from_invoice(invoice))
    magazyn = _id(engine, Magazyny.c.Mag_MagId, Magazyny.c.Mag_Symbol == "MAGAZYN")
    assert fake.lines()[len(LOGIN) :] == [
        "win32com.client.Dispatch('ADODB.Recordset')",
        f"Recordset#1.Open('SELECT TrN_TrNID AS ID FROM CDN.TraNag WHERE TrN_TrNID = {invoice.id}', "
        "Session#1.Connection, 3, 1, 1)",
        "Session#1.CreateObject('CDN.SerwisHaMag', None)",
        f"SerwisHaMag.AgregujDokumenty(302, Recordset#1, {magazyn}, 306, None)",
        "Session#1.Save()",
    ]
    assert fake.threads() == {com.thread_id}

    wz = writer.create_wz_from_invoice(invoice)  # the WZ as Optima keeps it
    mark = len(fake.lines())
    assert com_writer.create_wz_from_invoice(invoice) == wz == reader.find_wz(invoice.id)
    assert len(fake.lines()) == mark


def test_a_wz_optima_left_in_the_buffer_goes_to_a_person(com_writer, writer, engine) -> None:
    invoice = _book(writer, f.order("2002"))
    wz = writer.create_wz_from_invoice(invoice)
    with engine.begin() as conn:  # what the books show if Optima saved the generated WZ as a draft
        conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == wz.id).values(TrN_Bufor=1))
    with pytest.raises(PermanentError) as caught:
        com_writer._wz_read_back(invoice)
    assert caught.value.code == "document_in_buffer" and "zatwierdź ją w Optimie" in caught.value.reason


def test_a_fa_of_services_only_has_no_wz(fake, com_writer, writer) -> None:
    invoice = _book(writer, f.order("2003", [f.shipping()]))
    with pytest.raises(PermanentError) as caught:
        com_writer.create_wz_from_invoice(invoice)
    assert caught.value.code == "no_goods" and fake.lines() == NOTHING


# --- the payment: Optima's own route ----------------------------------------------------------------


@pytest.fixture
def own_fake(own_route_engine) -> FakeOptima:
    return FakeOptima(books=own_route_engine)


def test_by_default_the_kp_is_optimas_own_and_nothing_is_written(own_fake, own_route_engine) -> None:
    writer = SimulatedOptimaWriter(own_route_engine, clock=clock)  # the demo's forms settle themselves
    order = f.order("3401")
    invoice = _book(writer, order)
    with _session(own_fake) as session:
        com_writer = ComOptimaWriter(session, SqlOptimaReader(own_route_engine, clock=clock), clock=clock)
        kp = com_writer.settle_payment(invoice, order)
    (record,) = rows(own_route_engine, BnkZapisy)
    assert kp.id == record["BZp_BZpID"] and record["BZp_ZapisAutomatyczny"] == 1
    assert own_fake.lines() == [*NOTHING, "pythoncom.CoUninitialize()"]


def test_a_form_that_does_not_settle_is_named_and_nothing_is_written(own_fake, own_route_engine) -> None:
    without_own_settlement(own_route_engine)
    writer = SimulatedOptimaWriter(own_route_engine, clock=clock)
    order = f.order("3402")
    invoice = _book(writer, order)
    with _session(own_fake) as session:
        com_writer = ComOptimaWriter(session, SqlOptimaReader(own_route_engine, clock=clock), clock=clock)
        with pytest.raises(PermanentError) as caught:
            com_writer.settle_payment(invoice, order)
    assert caught.value.code == "form_not_settling"
    assert own_fake.lines() == [*NOTHING, "pythoncom.CoUninitialize()"]


# --- the payment: the KP through COM (unverified) ----------------------------------------------------


def test_kp_is_booked_in_the_gateways_register(fake, com, com_writer, writer, engine) -> None:
    order = f.order("3001", transaction_id="PAYU-XYZ-1")
    invoice = _book(writer, order)
    error = _not_in_the_books(lambda: com_writer.settle_payment(invoice, order))
    assert error.details["kind"] == "KP"

    kp_definition = _id(engine, DokDefinicje.c.DDf_DDfID, DokDefinicje.c.DDf_Symbol == "KP")
    payu = _id(engine, BnkRachunki.c.BRa_BRaID, BnkRachunki.c.BRa_Akronim == "PAYU")
    (due,) = rows(engine, BnkZdarzenia)
    buyer = due["BZd_PodmiotID"]
    assert fake.lines()[len(LOGIN) :] == [
        "Session#1.CreateObject('CDN.RaportyKB', None)",  # no report for March yet: open one
        "RaportyKB.AddNew(None)",
        "Session#1.CreateObject('CDN.Rachunki', None)",
        f"Rachunki.Item('BRa_BRaID={payu}')",
        f"RaportKB#1.Rachunek = Rachunek[BRa_BRaID={payu}]",
        f"RaportKB#1.DataOtw = {datetime(2026, 3, 1)!r}",
        f"RaportKB#1.DataZam = {datetime(2026, 3, 31)!r}",
        "Session#1.Save()",
        "Session#1.CreateObject('CDN.ZapisyKB', None)",
        "ZapisyKB.AddNew(None)",
        "Session#1.CreateObject('CDN.DefinicjeDokumentow', None)",
        f"DefinicjeDokumentow.Item('DDf_DDfID={kp_definition}')",
        f"ZapisKB#1.Numerator.DefinicjaDokumentu = DefinicjaDokumentu[DDf_DDfID={kp_definition}]",
        "Session#1.CreateObject('CDN.Rachunki', None)",
        f"Rachunki.Item('BRa_BRaID={payu}')",
        f"ZapisKB#1.Rachunek = Rachunek[BRa_BRaID={payu}]",
        "ZapisKB#1.RaportKB = RaportKB#1",
        f"ZapisKB#1.DataDok = {DAY!r}",
        "ZapisKB#1.Kierunek = 1",
        f"ZapisKB#1.Kwota = {order.total!r}",
        "Session#1.CreateObject('CDN.Kontrahenci', None)",
        f"Kontrahenci.Item('Knt_KntId={buyer}')",
        f"ZapisKB#1.Podmiot = Kontrahent[Knt_KntId={buyer}]",
        "ZapisKB#1.Opis = 'Zapłata za FA/1/2026, zamówienie 3001 (payustandard, transakcja PAYU-XYZ-1)'",
        "Session#1.Save()",
    ]
    assert fake.threads() == {com.thread_id}


def test_kp_goes_into_the_registers_open_report(fake, com_writer, writer, engine) -> None:
    earlier = f.order("3002")
    writer.settle_payment(_book(writer, earlier), earlier)  # opens March's PAYU report
    (report,) = rows(engine, BnkRaporty)
    order = f.order("3003")
    invoice = _book(writer, order)
    _not_in_the_books(lambda: com_writer.settle_payment(invoice, order))
    assert f"RaportyKB.Item('BRp_BRpID={report['BRp_BRpID']}')" in fake.lines()
    assert "RaportyKB.AddNew(None)" not in fake.lines()


def test_payments_that_must_not_be_settled_stop_before_optima_is_touched(fake, com_writer, writer, engine) -> None:
    cod = f.order("3007", method="cod")
    with pytest.raises(PermanentError) as caught:
        com_writer.settle_payment(_book(writer, cod), cod)
    assert caught.value.code == "no_register"

    other = f.order("3009")
    with pytest.raises(PermanentError) as caught:
        com_writer.settle_payment(_book(writer, other), f.order("3010"))
    assert caught.value.code == "invoice_order_mismatch"

    earlier = f.order("3011")
    writer.settle_payment(_book(writer, earlier), earlier)
    with engine.begin() as conn:
        conn.execute(update(BnkRaporty).values(BRp_Zamkniety=1))
    closed = f.order("3012")
    with pytest.raises(PermanentError) as caught:
        com_writer.settle_payment(_book(writer, closed), closed)
    assert caught.value.code == "report_closed"
    assert fake.lines() == NOTHING


def test_a_kp_whose_settlement_failed_is_settled_on_the_retry_not_booked_again(fake, com_writer, writer, engine):
    order = f.order("3020", transaction_id="PAYU-ORPHAN")
    invoice = _book(writer, order)
    (due,) = rows(engine, BnkZdarzenia)
    receipt = saved_kp(engine, order, invoice.number)  # what an earlier attempt left, as Optima keeps it

    fake.fail("Session.Save", com_error(hresult=RPC_E_CALL_REJECTED))  # Optima busy at the settlement
    with pytest.raises(RetryableError) as caught:
        com_writer.settle_payment(invoice, order)
    assert caught.value.code == "optima_unavailable"
    assert fake.lines()[-1] == "Application.UnlockApp()"  # logged out: the next job logs in afresh

    mark = len(fake.lines())
    with pytest.raises(AmbiguousOutcomeError) as unverified:
        com_writer.settle_payment(invoice, order)
    assert unverified.value.code == "settlement_unverified" and unverified.value.details["kp_id"] == receipt
    retry = fake.lines()[mark:]
    assert retry[:4] == LOGIN[1:]
    assert "ZapisyKB.AddNew(None)" not in retry and "RaportyKB.AddNew(None)" not in retry
    assert retry[-9:] == [
        "Session#2.CreateObject('CDN.Rozliczenia', None)",
        "Rozliczenia.AddNew(None)",
        "Rozliczenie#2.LDokTyp = 1",
        f"Rozliczenie#2.LDokID = {due['BZd_BZdID']}",
        "Rozliczenie#2.PDokTyp = 2",
        f"Rozliczenie#2.PDokID = {receipt}",
        f"Rozliczenie#2.Kwota = {order.total!r}",
        f"Rozliczenie#2.DataDok = {DAY!r}",
        "Session#2.Save()",
    ]


# --- idempotency and isolation ----------------------------------------------------------------------


def test_what_is_booked_already_is_returned_without_touching_optima(fake, com_writer, writer) -> None:
    order = f.order("4001")
    contractor = writer.ensure_contractor(order.buyer)
    fa = writer.create_invoice(order, contractor)
    wz = writer.create_wz_from_invoice(fa)
    kp = writer.settle_payment(fa, order)
    assert com_writer.ensure_contractor(order.buyer) == contractor
    assert com_writer.create_invoice(order, contractor) == fa
    assert com_writer.create_wz_from_invoice(fa) == wz
    assert com_writer.settle_payment(fa, order) == kp
    assert fake.lines() == NOTHING


class _TaggedReader(SqlOptimaReader):
    """The reader with its two engines told apart (on SQL Server: READ UNCOMMITTED / COMMITTED)."""

    def __init__(self, engine) -> None:
        super().__init__(engine, KP_THROUGH_COM, clock=clock)
        self._engine = engine.execution_options(reads="bulk")
        self._decisions = engine.execution_options(reads="decision")


def test_every_read_the_writer_decides_on_is_a_committed_one(fake, com, writer, engine) -> None:
    seen: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(conn.get_execution_options().get("reads", "untagged"))

    order = f.order("4101")
    contractor = writer.ensure_contractor(order.buyer)
    com_writer = ComOptimaWriter(com, _TaggedReader(engine), clock=clock)
    event.listen(engine, "before_cursor_execute", remember)
    try:
        _not_in_the_books(lambda: com_writer.create_invoice(order, contractor))
        invoice = writer.create_invoice(order, contractor)
        _not_in_the_books(lambda: com_writer.create_wz_from_invoice(invoice))
        _not_in_the_books(lambda: com_writer.settle_payment(invoice, order))
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    decided = [tag for tag in seen if tag != "untagged"]  # (untagged: the simulated writer's own)
    assert len(decided) > 10 and set(decided) == {"decision"}
