"""The COM writer against a recording fake of Optima's object model (``com_fake``).

The books are the simulated Optima of the other tests: the writer looks everything up there with
the real ``SqlOptimaReader`` first, and when the fake "saves", a hook books into them the rows the
real Optima would (with the simulated writer), because the COM writer reads its results back from
the books. What is asserted is what Optima would be told: the calls, the properties and their
order, all on the one COM thread.
"""

from __future__ import annotations

import importlib.util
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import select, update

from linkoptima_gui.core.errors import PermanentError, RetryableError
from linkoptima_gui.core.optima.com_session import OptimaComSession, com_failure
from linkoptima_gui.core.optima.com_writer import ComOptimaWriter
from linkoptima_gui.core.optima.port import DocumentRef
from linkoptima_gui.core.optima.schema import (
    BnkRachunki,
    BnkRaporty,
    BnkRozKwoty,
    BnkZapisy,
    BnkZdarzenia,
    DokDefinicje,
    FormyPlatnosci,
    Magazyny,
    TraNag,
)

from . import factories as f
from .com_fake import REGDB_E_CLASSNOTREG, RPC_E_CALL_REJECTED, FakeComError, FakeOptima, com_error
from .conftest import clock, rows

LOGIN = [
    "pythoncom.CoInitialize()",
    "win32com.client.Dispatch('CDNBase.Application')",
    "Application.LockApp(256, 5000, None, None, None, None)",
    "Application.Login('LINKOPTIMA', 'tajne', 'Sklep Demo', " + ", ".join(["None"] * 18) + ")",
    "Login.CreateSession()",
]
NOTHING = ["pythoncom.CoInitialize()"]  # the thread entered its apartment; Optima was never touched
DAY = datetime(2026, 3, 16)


@pytest.fixture
def fake() -> FakeOptima:
    return FakeOptima()


@pytest.fixture
def com(fake):
    session = OptimaComSession(
        "LINKOPTIMA", "tajne", "Sklep Demo", dispatch=fake.dispatch, apartment=fake.apartment
    )
    yield session
    session.close()


@pytest.fixture
def com_writer(com, reader) -> ComOptimaWriter:
    return ComOptimaWriter(com, reader, clock=clock)


def _id(engine, column, *where) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(column).where(*where)).scalar_one())


def _book(writer, order):
    return writer.create_invoice(order, writer.ensure_contractor(order.buyer))


# --- the session -----------------------------------------------------------------------------------


def test_logs_in_once_runs_every_job_on_the_com_thread_and_logs_out_on_close(fake, com) -> None:
    seen = [com.run(lambda ctx: (threading.get_ident(), ctx.session)) for _ in range(2)]
    assert fake.lines() == [*LOGIN, "Login.CreateSession()"]  # one login, an AdoSession per job
    assert seen[0][1] is not seen[1][1]
    com.close()
    assert fake.lines()[-2:] == ["Application.UnlockApp()", "pythoncom.CoUninitialize()"]
    assert {ident for ident, _ in seen} == fake.threads() == {com.thread_id}
    assert com.thread_id != threading.get_ident()
    with pytest.raises(RetryableError):
        com.run(lambda ctx: None)


def test_jobs_from_many_threads_run_one_at_a_time_in_order(com) -> None:
    done: list[int] = []
    running = [0]
    overlap = []

    def job(n: int):
        def run(ctx) -> int:
            running[0] += 1
            overlap.append(running[0])
            done.append(n)
            running[0] -= 1
            return threading.get_ident()

        return run

    futures = [com.submit(job(n)) for n in range(20)]
    with ThreadPoolExecutor(4) as pool:
        idents = set(pool.map(lambda n: com.run(job(100 + n)), range(8)))
    assert done[:20] == list(range(20)) and len(done) == 28
    assert max(overlap) == 1
    assert {future.result() for future in futures} | idents == {com.thread_id}


def test_a_job_that_outlives_its_wait_still_finishes_before_the_next_one(com) -> None:
    gate = threading.Event()
    finished: list[str] = []
    with pytest.raises(RetryableError) as caught:
        com.run(lambda ctx: (gate.wait(5), finished.append("first")), timeout=0.05)
    assert caught.value.code == "optima_unavailable"
    gate.set()
    assert com.run(lambda ctx: list(finished)) == ["first"]  # a retry's look-up sees its outcome


def test_the_configuration_database_can_be_named(fake) -> None:
    target = "NET:CDN_KNF_Konfiguracja,SQL01\\OPTIMA,NT=0"
    with OptimaComSession(
        "LINKOPTIMA",
        "tajne",
        "Sklep Demo",
        config_connection=target,
        dispatch=fake.dispatch,
        apartment=fake.apartment,
    ) as session:
        session.run(lambda ctx: ctx.session)
    assert fake.lines()[1:4] == [LOGIN[1], f"Application.KonfigConnectStr = {target!r}", LOGIN[2]]


def test_a_wrong_password_is_a_configuration_error_and_the_lock_is_released(fake, com) -> None:
    fake.fail("Application.Login", com_error("Nieprawidłowe hasło operatora LINKOPTIMA"))
    with pytest.raises(PermanentError) as caught:
        com.run(lambda ctx: ctx.session)
    assert caught.value.code == "optima_config" and "hasło" in caught.value.reason
    assert fake.lines()[-1] == "Application.UnlockApp()"


def test_optima_not_registered_for_this_python_is_a_configuration_error(fake, com) -> None:
    fake.fail("win32com.Dispatch", com_error(hresult=REGDB_E_CLASSNOTREG))
    with pytest.raises(PermanentError) as caught:
        com.run(lambda ctx: ctx.session)
    assert caught.value.code == "optima_config" and "32/64" in caught.value.reason


@pytest.mark.skipif(importlib.util.find_spec("pythoncom") is not None, reason="pywin32 is installed")
def test_without_pywin32_every_job_fails_with_a_clear_reason(fake) -> None:
    with OptimaComSession("LINKOPTIMA", "", "Sklep Demo", dispatch=fake.dispatch) as session:
        for _ in range(2):
            with pytest.raises(PermanentError) as caught:
                session.run(lambda ctx: ctx.session)
            assert caught.value.code == "optima_config" and "pywin32" in caught.value.reason
    assert fake.lines() == []


# --- contractors -----------------------------------------------------------------------------------


def test_a_new_company_card_is_created_through_kontrahenci(fake, com_writer, writer, engine) -> None:
    buyer = f.company_buyer(nip="555-444-33-34", name="Nowa Firma Ślęża sp. z o.o.")
    fake.after_save(lambda session: writer.ensure_contractor(buyer))  # Optima writes the card
    ref = com_writer.ensure_contractor(buyer)
    assert ref.code == "5554443334" and ref == writer.ensure_contractor(buyer)
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


def test_a_known_buyer_is_found_in_the_books_without_touching_optima(fake, com_writer) -> None:
    assert com_writer.ensure_contractor(f.company_buyer()).code == "HURT-ORZEL"
    with pytest.raises(PermanentError) as caught:
        com_writer.ensure_contractor(f.company_buyer(nip="1234567890"))
    assert caught.value.code == "invalid_nip"
    assert fake.lines() == NOTHING


# --- FA ---------------------------------------------------------------------------------------------


def test_fa_with_two_goods_lines_and_a_shipping_line(fake, com, com_writer, writer, reader, engine) -> None:
    order = f.order("1001")  # KUB-001 x2, KS-001, USL-TRANSPORT
    contractor = writer.ensure_contractor(order.buyer)
    fake.after_save(lambda session: writer.create_invoice(order, contractor))
    ref = com_writer.create_invoice(order, contractor)
    assert ref == reader.find_invoice("1001") and ref.number == "FA/1/2026"

    definition = _id(engine, DokDefinicje.c.DDf_DDfID, DokDefinicje.c.DDf_Symbol == "FA")
    payu = _id(engine, FormyPlatnosci.c.FPl_FPlId, FormyPlatnosci.c.FPl_Nazwa == "PayU")
    magazyn = _id(engine, Magazyny.c.Mag_MagId, Magazyny.c.Mag_Symbol == "MAGAZYN")
    lines = []
    for n, line in enumerate(order.lines, start=1):
        lines += [
            "DokumentHaMag#1.Elementy.AddNew(None)",
            f"ElementHaMag#{n}.TowarKod = {line.sku!r}",
            f"ElementHaMag#{n}.Ilosc = {line.quantity!r}",
            f"ElementHaMag#{n}.Stawka = {line.rate.percent!r}",
            f"ElementHaMag#{n}.Flaga = 2",
            f"ElementHaMag#{n}.WartoscBrutto = {line.gross!r}",
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
        "DokumentHaMag#1.Opis = 'Zamówienie sklepu nr 1001'",
        *lines,
        "Session#1.Save()",
    ]
    assert "ElementHaMag#1.WartoscBrutto = Decimal('59.98')" in lines
    assert "ElementHaMag#3.TowarKod = 'USL-TRANSPORT'" in lines
    assert fake.threads() == {com.thread_id}


def test_a_net_priced_order_gives_net_line_values(fake, com_writer, writer) -> None:
    order = f.order("1002", [f.net_line("KUB-001", 3, "24.38")], prices_include_tax=False)
    contractor = writer.ensure_contractor(order.buyer)
    fake.after_save(lambda session: writer.create_invoice(order, contractor))
    com_writer.create_invoice(order, contractor)
    assert "DokumentHaMag#1.TypNB = 1" in fake.lines()
    assert fake.lines()[-2] == "ElementHaMag#1.WartoscNetto = Decimal('73.14')"


def test_what_optima_would_refuse_stops_before_optima_is_touched(fake, com_writer, writer, engine) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    unknown = f.order("1003", [f.line("KUB-001", 1), f.line("NIE-MA-TAKIEGO", 1, "10.00")])
    with pytest.raises(PermanentError) as caught:
        com_writer.create_invoice(unknown, contractor)
    assert caught.value.code == "unknown_sku" and caught.value.details["sku"] == "NIE-MA-TAKIEGO"

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

    fake.after_save(lambda session: writer.create_invoice(order, contractor))
    assert com_writer.create_invoice(order, contractor).number == "FA/1/2026"
    assert fake.lines().count(LOGIN[3]) == 1 and "Session#2.Save()" in fake.lines()


# --- WZ ---------------------------------------------------------------------------------------------


def test_wz_is_made_by_optima_from_the_fa(fake, com, com_writer, writer, reader, engine) -> None:
    invoice = _book(writer, f.order("2001"))

    def optima(session) -> None:
        if fake.saved_in(session, "AgregujDokumenty"):
            writer.create_wz_from_invoice(invoice)

    fake.after_save(optima)
    ref = com_writer.create_wz_from_invoice(invoice)
    assert ref == reader.find_wz(invoice.id) and ref.number == "WZ/1/2026"
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


def test_a_wz_optima_left_in_the_buffer_is_confirmed(fake, com_writer, writer, reader, engine) -> None:
    invoice = _book(writer, f.order("2002"))
    made: list[DocumentRef] = []

    def optima(session) -> None:
        if fake.saved_in(session, "AgregujDokumenty"):
            made.append(writer.create_wz_from_invoice(invoice))
            bufor = 1
        elif fake.saved_in(session, "Bufor"):
            bufor = 0
        else:
            return
        with engine.begin() as conn:
            conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == made[0].id).values(TrN_Bufor=bufor))

    fake.after_save(optima)
    assert com_writer.create_wz_from_invoice(invoice) == reader.find_wz(invoice.id) == made[0]
    assert fake.lines()[-4:] == [
        "Session#1.CreateObject('CDN.DokumentyHaMag', None)",
        f"DokumentyHaMag.Item('TrN_TrNID={made[0].id}')",
        f"DokumentHaMag[TrN_TrNID={made[0].id}].Bufor = 0",
        "Session#1.Save()",
    ]


def test_a_fa_of_services_only_has_no_wz(fake, com_writer, writer) -> None:
    invoice = _book(writer, f.order("2003", [f.shipping()]))
    with pytest.raises(PermanentError) as caught:
        com_writer.create_wz_from_invoice(invoice)
    assert caught.value.code == "no_goods" and fake.lines() == NOTHING


# --- KP ---------------------------------------------------------------------------------------------


def test_kp_is_booked_in_the_gateways_register_and_settles_the_due(
    fake, com, com_writer, writer, reader, engine
):
    order = f.order("3001", transaction_id="PAYU-XYZ-1")
    invoice = _book(writer, order)
    fake.after_save(
        lambda session: writer.settle_payment(invoice, order) if fake.saved_in(session, "PDokID") else None
    )
    ref = com_writer.settle_payment(invoice, order)
    assert ref == reader.find_payment("3001") and ref.number == "KP/1/2026"

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
        f"RaportKB#1.DataDok = {datetime(2026, 3, 1)!r}",
        f"RaportKB#1.DataZam = {datetime(2026, 3, 31)!r}",
        "Session#1.Save()",
        "Session#1.CreateObject('CDN.ZapisyKB', None)",
        "ZapisyKB.AddNew(None)",
        "Session#1.CreateObject('CDN.DefinicjeDokumentow', None)",
        f"DefinicjeDokumentow.Item('DDf_DDfID={kp_definition}')",
        f"ZapisKB#1.Numerator.DefinicjaDokumentu = DefinicjaDokumentu[DDf_DDfID={kp_definition}]",
        "ZapisKB#1.Numerator.Rejestr = 'PAYU'",
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
        "ZapisKB#1.NumerObcy = 'PAYU-XYZ-1'",
        "ZapisKB#1.Opis = 'Zapłata za FA/1/2026, zamówienie 3001 (payustandard)'",
        "Session#1.Save()",
        "Session#1.CreateObject('CDN.Rozliczenia', None)",
        "Rozliczenia.AddNew(None)",
        "Rozliczenie#1.LDokTyp = 1",
        f"Rozliczenie#1.LDokID = {due['BZd_BZdID']}",
        "Rozliczenie#1.PDokTyp = 2",
        "Rozliczenie#1.PDokID = 9002",  # the id the fake gave the KP on its save (the report got 9001)
        f"Rozliczenie#1.Kwota = {order.total!r}",
        f"Rozliczenie#1.DataDok = {DAY!r}",
        "Session#1.Save()",
    ]
    assert fake.threads() == {com.thread_id}


def test_kp_goes_into_the_registers_open_report(fake, com_writer, writer, engine) -> None:
    earlier = f.order("3002")
    writer.settle_payment(_book(writer, earlier), earlier)  # opens March's PAYU report
    (report,) = rows(engine, BnkRaporty)
    order = f.order("3003")
    invoice = _book(writer, order)
    fake.after_save(
        lambda session: writer.settle_payment(invoice, order) if fake.saved_in(session, "PDokID") else None
    )
    assert com_writer.settle_payment(invoice, order).number == "KP/2/2026"
    assert f"RaportyKB.Item('BRp_BRpID={report['BRp_BRpID']}')" in fake.lines()
    assert "RaportyKB.AddNew(None)" not in fake.lines()


def test_payments_that_must_not_be_settled_stop_before_optima_is_touched(
    fake, com_writer, writer, engine
) -> None:
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


def test_a_kp_whose_settlement_failed_is_settled_on_the_retry_not_booked_again(
    fake, com_writer, writer, reader, engine
) -> None:
    order = f.order("3020", transaction_id="PAYU-ORPHAN")
    invoice = _book(writer, order)
    (due,) = rows(engine, BnkZdarzenia)
    payu = _id(engine, BnkRachunki.c.BRa_BRaID, BnkRachunki.c.BRa_Akronim == "PAYU")
    receipt: dict[str, int] = {}

    kp_definition = _id(engine, DokDefinicje.c.DDf_DDfID, DokDefinicje.c.DDf_Symbol == "KP")
    stamps = {"TS_Zal": DAY, "TS_Mod": DAY}

    def optima(session) -> None:  # the rows Optima writes for the KP, then for the settlement
        with engine.begin() as conn:
            if fake.saved_in(session, "Kierunek"):
                kp = BnkZapisy.insert().values(
                    BZp_BRaID=payu,
                    BZp_Kierunek=1,
                    BZp_NumerObcy="PAYU-ORPHAN",
                    BZp_PodmiotTyp=1,
                    BZp_PodmiotID=due["BZd_PodmiotID"],
                    BZp_Kwota=order.total,
                    BZp_NumerString="KP/@numerS/2026",
                    BZp_NumerNr=1,
                    BZp_DataDok=DAY,
                    BZp_DataKur=DAY,
                    **{f"BZp_{k}": v for k, v in stamps.items()},
                )
                receipt["id"] = conn.execute(kp).inserted_primary_key[0]
            elif fake.saved_in(session, "PDokID"):
                conn.execute(
                    BnkRozKwoty.insert().values(
                        BRK_LDokTyp=1,
                        BRK_LDokID=due["BZd_BZdID"],
                        BRK_PDokTyp=2,
                        BRK_PDokID=receipt["id"],
                        BRK_Kwota=order.total,
                        BRK_DDfId=kp_definition,
                        BRK_DataDok=DAY,
                        **{f"BRK_{k}": v for k, v in stamps.items()},
                    )
                )

    fake.after_save(optima)
    # saves: the new report, the KP, then the settlement, which a lock stops
    fake.fail("Session.Save", com_error("Rekord jest zablokowany przez innego użytkownika"), nth=3)
    with pytest.raises(RetryableError) as caught:
        com_writer.settle_payment(invoice, order)
    assert caught.value.code == "optima_unavailable"
    assert fake.lines()[-1] == "Application.UnlockApp()"  # logged out: the next job logs in afresh

    mark = len(fake.lines())
    assert com_writer.settle_payment(invoice, order) == DocumentRef(receipt["id"], "KP/1/2026")
    retry = fake.lines()[mark:]
    assert retry[:4] == LOGIN[1:]
    assert "ZapisyKB.AddNew(None)" not in retry and "RaportyKB.AddNew(None)" not in retry
    assert f"Rozliczenie#2.PDokID = {receipt['id']}" in retry
    assert reader.find_payment("3020") == DocumentRef(receipt["id"], "KP/1/2026")


# --- idempotency and errors ---------------------------------------------------------------------------


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


#: Optima's text (or a bare HRESULT) -> our code; Optima's exact wording is a guess to verify.
COM_ERRORS = [
    ("Rekord jest zablokowany przez innego użytkownika", "optima_unavailable"),
    (RPC_E_CALL_REJECTED, "optima_unavailable"),
    ("Brak wolnych licencji dla modułu Handel", "optima_unavailable"),
    ("Nie można wstawić wiersza zduplikowanego klucza o unikatowym indeksie KntKod", "optima_conflict"),
    ("Nie znaleziono towaru o kodzie KUB-999", "unknown_sku"),
    ("Niewystarczająca ilość towaru KUB-001 w magazynie MAGAZYN", "insufficient_stock"),
    ("Raport RKB/3/2026/PAYU jest zamknięty", "report_closed"),
    ("Kontrahent o podanym identyfikatorze nie istnieje", "contractor_not_found"),
    ("Operator nie ma uprawnień do zatwierdzania dokumentów", "optima_config"),
    (REGDB_E_CLASSNOTREG, "optima_config"),
    ("Coś zupełnie innego", "optima_rejected"),
]


@pytest.mark.parametrize(("optima", "code"), COM_ERRORS)
def test_com_errors_become_the_projects_errors(optima, code) -> None:
    error = com_error(hresult=optima) if isinstance(optima, int) else com_error(optima)
    failure = com_failure(error)
    assert failure.code == code
    assert isinstance(
        failure, RetryableError if code in ("optima_unavailable", "optima_conflict") else PermanentError
    )
    assert failure.details["hresult"].startswith("0x8")
    if isinstance(optima, str):
        assert optima in failure.reason


def test_other_exceptions_are_not_com_errors() -> None:
    assert com_failure(ValueError("x")) is None
    assert com_failure(OSError(2, "No such file")) is None
