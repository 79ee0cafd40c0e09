"""``ComOptimaWriter``: the writer port on a real Optima, through its COM objects.

Every method is one job on the COM thread (``OptimaComSession``): look in the books with the SQL
reader first, refuse what Optima would refuse with the same codes as the simulated writer, write
through COM only what is missing, then read the result back from the books (they are the truth:
the number, and that ``TrN_NumerObcy`` / ``TrN_FaId`` / the settlement really landed). Jobs run
one at a time on that thread, so "look up, then write" cannot interleave with another booking
from this process, and a retry after any failure finds whatever an earlier attempt saved.

COM calls follow Comarch's published samples where those exist (the COM API sample of Optima's
documentation, "COMSAMPLE"); the rest is marked "inferred" here and listed in docs/optima-setup.md
for checking on a test company before going live. SQL finds every object by its natural key and COM fetches it by
id (``Item("DDf_DDfID=3")``), so no user text is ever spliced into a COM filter.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from ..domain.money import round_grosz
from ..domain.order import Buyer, BuyerKind, Order
from ..errors import AmbiguousOutcomeError
from . import queries as q
from .com_session import ComContext, OptimaComSession
from .com_supplier_order import book_supplier_order_com
from .port import ContractorRef, DocumentRef, SupplierOrder
from .reader import SqlOptimaReader
from .rules.columns import day_of, invoice_description, payment_description, payment_reference
from .rules.contractors import (
    check_contractor,
    company_nip,
    find_contractor,
    free_code,
    new_card,
    person_code,
)
from .rules.master_data import (
    KP_CLASS,
    cash_register,
    covering_report,
    find_definition,
    payment_form,
    warehouse_id,
)
from .rules.refusals import (
    check_invoice_of_order,
    check_order,
    check_payment,
    existing_invoice,
    existing_wz,
    in_buffer,
    load_invoice,
    no_goods,
    open_due,
    resolve_items,
)
from .schema import BnkRozKwoty, BnkZapisy, TraElem
from .settings import OptimaSettings

T = TypeVar("T")

DOCUMENTS = "CDN.DokumentyHaMag"
CONTRACTORS = "CDN.Kontrahenci"
DEFINITIONS = "CDN.DefinicjeDokumentow"
PAYMENT_FORMS = "CDN.FormyPlatnosci"
REGISTERS = "CDN.Rachunki"
CASH_REPORTS = "CDN.RaportyKB"
CASH_RECORDS = "CDN.ZapisyKB"
TRADE_SERVICE = "CDN.SerwisHaMag"
#: Inferred, in no public sample: a collection over ``BnkRozKwoty`` whose properties are the
#: column names without the prefix, as with every other object. The first thing to check on a
#: test company (docs/optima-setup.md §10).
SETTLEMENTS = "CDN.Rozliczenia"
RECORDSET = "ADODB.Recordset"
AD_OPEN_STATIC, AD_LOCK_READ_ONLY, AD_CMD_TEXT = 3, 1, 1


class ComOptimaWriter:
    """Implements ``OptimaWriter`` on a real Optima.

    ``session``: the COM thread, logged in as the LinkOptima operator. ``reader``: the SQL reader
    of the same company (its engine answers the look-ups). ``timeout``: the longest wait for one
    job in seconds (``None``: no limit); a job that takes longer still finishes before the retry.
    """

    def __init__(
        self,
        session: OptimaComSession,
        reader: SqlOptimaReader,
        settings: OptimaSettings | None = None,
        *,
        clock: Callable[[], datetime] = datetime.now,
        timeout: float | None = 300.0,
    ) -> None:
        self._session = session
        self._reader = reader
        self._settings = settings or reader.settings
        self._clock = clock
        self._timeout = timeout

    @property
    def settings(self) -> OptimaSettings:
        return self._settings

    # --- the port ---------------------------------------------------------------------------------

    def ensure_contractor(self, buyer: Buyer) -> ContractorRef:
        """The buyer's card: a company by NIP, a person by e-mail; created when not found."""
        nip = company_nip(buyer) if buyer.kind is BuyerKind.COMPANY else ""
        return self._run(lambda com: self._ensure_contractor(com, buyer, nip))

    def create_invoice(self, order: Order, contractor: ContractorRef) -> DocumentRef:
        """The confirmed FA of the order, booked through ``CDN.DokumentyHaMag`` when missing."""
        return self._run(lambda com: self._create_invoice(com, order, contractor))

    def create_wz_from_invoice(self, invoice: DocumentRef) -> DocumentRef:
        """The WZ of the FA, made by Optima from the FA (``SerwisHaMag.AgregujDokumenty``)."""
        return self._run(lambda com: self._create_wz(com, invoice))

    def settle_payment(self, invoice: DocumentRef, order: Order) -> DocumentRef:
        """The KP in the gateway's register (``CDN.ZapisyKB``), settling the FA's due."""
        return self._run(lambda com: self._settle_payment(com, invoice, order))

    def create_supplier_order(self, order: SupplierOrder) -> DocumentRef:
        """The ZD in the buffer (``com_supplier_order``), or the one the request booked already."""
        found = self._run(lambda com: book_supplier_order_com(com, self._reader.engine, self._settings, order,
                                                             self._clock))
        return _read_back(found, "ZD", order.reference)

    def _run(self, job: Callable[[ComContext], T]) -> T:
        return self._session.run(job, timeout=self._timeout)

    def _books(self) -> AbstractContextManager[Connection]:
        """A short read of the company database, closed before anything is written."""
        return self._reader.engine.connect()

    # --- jobs, on the COM thread ------------------------------------------------------------------

    def _ensure_contractor(self, com: ComContext, buyer: Buyer, nip: str) -> ContractorRef:
        with self._books() as conn:
            found = find_contractor(conn, buyer, nip)
            if found is not None:
                return found
            code = free_code(conn, nip or person_code(buyer))
        values = new_card(buyer, nip)
        card = com.create(CONTRACTORS).AddNew(None)
        card.Akronim = code
        card.Nazwa1, card.Nazwa2, card.Nazwa3 = values.name1, values.name2, values.name3  # Nazwa3 inferred
        if nip:
            card.NumerNIP.UstawNIP("PL", nip, 1)
        address = card.Adres  # NrLokalu inferred, the other address parts from the sample
        address.Ulica, address.NrDomu, address.NrLokalu = values.street, values.house, values.flat
        address.Miasto = values.city
        address.KodPocztowy = values.postcode
        address.Kraj = values.country
        # from integrators' published code, not Comarch's sample
        card.KrajISO = values.country_iso
        card.Email = values.email
        card.Telefon = values.phone
        card.Finalny = 0 if values.company else 1
        card.PodatekVAT = 1 if values.company else 0
        card.Export = values.export
        com.session.Save()
        with self._books() as conn:
            return _read_back(find_contractor(conn, buyer, nip), "kartę kontrahenta", code)

    def _create_invoice(self, com: ComContext, order: Order, contractor: ContractorRef) -> DocumentRef:
        found = self._reader.find_invoice(order.number)
        if found is not None:
            return found
        settings = self._settings
        with self._books() as conn:
            existing_invoice(conn, order.number)  # a draft FA of the order: document_in_buffer
            check_order(order)
            check_contractor(conn, contractor)
            resolve_items(conn, order.lines)
            definition = find_definition(conn, settings.invoice_definition, q.FA_TYPE).id
            form = payment_form(conn, settings.route_for(order.payment.method_id).form)["FPl_FPlId"]
            warehouse = warehouse_id(conn, settings.warehouse)
        from_gross = order.prices_include_tax
        doc = com.create(DOCUMENTS).AddNew(None)
        doc.Rodzaj = q.FA_KIND
        doc.TypDokumentu = q.FA_TYPE
        doc.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
        doc.Bufor = 0  # confirmed at once: numbered, stock moved, ready for KSeF
        doc.DataDok = day_of(self._clock())
        doc.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={contractor.id}")
        # after Podmiot, which likely brings the card's default form (inferred)
        doc.FormaPlatnosci = com.create(PAYMENT_FORMS).Item(f"FPl_FPlId={form}")
        doc.MagazynZrodlowyID = warehouse
        doc.TypNB = 2 if from_gross else 1
        doc.NumerObcy = order.number
        doc.Opis = invoice_description(order.number)  # inferred
        for line in order.lines:
            element = doc.Elementy.AddNew(None)
            element.TowarKod = line.sku
            element.Ilosc = line.quantity
            element.Stawka = line.rate.percent  # integrators' code
            element.Flaga = line.rate.optima_flag  # inferred on a line (seen on items, VAT rows)
            # the line's value as the shop computed it, so the FA adds up to the order to the
            # grosz; WartoscNetto is in the samples, WartoscBrutto is inferred
            if from_gross:
                element.WartoscBrutto = line.gross
            else:
                element.WartoscNetto = line.net
        com.session.Save()
        found = self._reader.find_invoice(order.number)
        if found is None:
            with self._books() as conn:
                existing_invoice(conn, order.number)  # it went to the buffer after all
        return _read_back(found, "FA", order.number)

    def _create_wz(self, com: ComContext, invoice: DocumentRef) -> DocumentRef:
        found = self._reader.find_wz(invoice.id)
        if found is not None:
            return found
        with self._books() as conn:
            drafts = existing_wz(conn, invoice.id)
            if drafts:
                raise in_buffer("WZ", drafts[0]["TrN_NumerPelny"], invoice.number)
            load_invoice(conn, invoice)
            goods = select(TraElem.c.TrE_TrEID).where(
                TraElem.c.TrE_TrNId == invoice.id, TraElem.c.TrE_TwrTyp == q.GOODS, TraElem.c.TrE_Aktywny != 0
            )
            if conn.execute(goods.limit(1)).first() is None:
                raise no_goods(invoice.id, invoice.number)
            warehouse = warehouse_id(conn, self._settings.warehouse)
        connection = com.session.Connection
        invoices = com.dispatch(RECORDSET)
        invoices.Open(
            f"SELECT TrN_TrNID AS ID FROM CDN.TraNag WHERE TrN_TrNID = {int(invoice.id)}",
            connection,
            AD_OPEN_STATIC,
            AD_LOCK_READ_ONLY,
            AD_CMD_TEXT,
        )
        com.create(TRADE_SERVICE).AgregujDokumenty(q.FA_TYPE, invoices, warehouse, q.WZ_TYPE, None)
        com.session.Save()
        found = self._reader.find_wz(invoice.id)
        if found is None:
            with self._books() as conn:
                drafts = existing_wz(conn, invoice.id)
            if drafts:  # inferred: Optima may leave the WZ in the buffer; confirm it
                com.create(DOCUMENTS).Item(f"TrN_TrNID={int(drafts[0]['TrN_TrNID'])}").Bufor = 0
                com.session.Save()
                found = self._reader.find_wz(invoice.id)
        return _read_back(found, "WZ", invoice.number)

    def _settle_payment(self, com: ComContext, invoice: DocumentRef, order: Order) -> DocumentRef:
        found = self._reader.find_payment(order.number)
        if found is not None:
            return found
        settings = self._settings
        day = day_of(self._clock())
        external = payment_reference(order)
        with self._books() as conn:
            header = load_invoice(conn, invoice)
            fa_number = header["TrN_NumerPelny"]
            check_invoice_of_order(header, order.number)
            register = cash_register(conn, check_payment(order, settings))
            due = open_due(conn, header)
            # a KP saved by an earlier attempt whose settlement failed is settled, not booked again
            receipt_id = _unsettled_receipt(conn, external, header, register)
            covering = covering_report(conn, register, day) if receipt_id is None else None
            definition = find_definition(conn, settings.kp_definition, KP_CLASS).id
        amount = round_grosz(order.total)
        if receipt_id is None:
            # the report first: Save() stores everything pending in the session, and a KP must
            # not be half-filled when the new report is saved
            report = _report(com, register, covering, day)
            kp = com.create(CASH_RECORDS).AddNew(None)
            kp.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
            kp.Numerator.Rejestr = register["BRa_Symbol"]
            kp.Rachunek = com.create(REGISTERS).Item(f"BRa_BRaID={register['BRa_BRaID']}")
            kp.RaportKB = report
            kp.DataDok = day
            kp.Kierunek = 1
            kp.Kwota = amount
            kp.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={header['TrN_PodID']}")
            kp.NumerObcy = external  # inferred from BZp_NumerObcy
            kp.Opis = payment_description(fa_number, order)
            com.session.Save()
            receipt_id = int(kp.ID)
        pair = com.create(SETTLEMENTS).AddNew(None)  # inferred, see SETTLEMENTS
        pair.LDokTyp, pair.LDokID = q.SETTLEMENT_DUE, int(due["BZd_BZdID"])
        pair.PDokTyp, pair.PDokID = q.SETTLEMENT_RECORD, receipt_id
        pair.Kwota = min(amount, Decimal(due["BZd_Kwota"]) - Decimal(due["BZd_KwotaRoz"]))
        pair.DataDok = day
        com.session.Save()
        found = self._reader.find_payment(order.number)
        if found is None:
            raise AmbiguousOutcomeError(
                f"KP zapisano w Optimie, ale nie widać rozliczenia należności faktury {fa_number}: rozlicz "
                "ją ręcznie (Kasa/Bank, Rozrachunki) i oznacz krok jako wykonany",
                code="settlement_unverified",
                details={"kp_id": receipt_id, "invoice": fa_number},
            )
        return found


def _unsettled_receipt(
    conn: Connection, external: str, header: Mapping[str, Any], register: Mapping[str, Any]
) -> int | None:
    """Our KP of this payment (same transaction, buyer and register) that settles nothing yet."""
    z, k = BnkZapisy.c, BnkRozKwoty.c
    settles = exists().where(k.BRK_PDokTyp == q.SETTLEMENT_RECORD, k.BRK_PDokID == z.BZp_BZpID)
    found = conn.execute(
        select(z.BZp_BZpID)
        .where(
            z.BZp_Kierunek == 1,
            z.BZp_NumerObcy == external,
            z.BZp_PodmiotID == header["TrN_PodID"],
            z.BZp_BRaID == register["BRa_BRaID"],
            ~settles,
        )
        .order_by(z.BZp_BZpID)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def _report(com: ComContext, register: Mapping[str, Any], covering: Mapping[str, Any] | None, day: datetime) -> Any:
    """The report as a COM object; a monthly one is opened when the register has none for the day."""
    if covering is not None:
        return com.create(CASH_REPORTS).Item(f"BRp_BRpID={int(covering['BRp_BRpID'])}")
    report = com.create(CASH_REPORTS).AddNew(None)  # inferred: properties named as on ZapisKB
    report.Rachunek = com.create(REGISTERS).Item(f"BRa_BRaID={register['BRa_BRaID']}")
    report.DataDok = day.replace(day=1)
    report.DataZam = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    com.session.Save()
    return report


def _read_back(found: T | None, kind: str, reference: str) -> T:
    """What Optima saved, as the books show it; nothing there means we cannot tell what happened."""
    if found is None:
        raise AmbiguousOutcomeError(
            f"Optima przyjęła {kind} dla {reference}, ale nie ma go w bazie: sprawdź w Optimie, zanim ponowisz",
            code="optima_not_found_after_save",
            details={"kind": kind, "reference": reference},
        )
    return found
