"""``ComOptimaWriter``: the writer port on a real Optima, through its COM objects.

Every method is one job on the COM thread (``OptimaComSession``): look in the books with the SQL
reader first, refuse what Optima would refuse with the same codes as the simulated writer, write
through COM only what is missing, then read the result back from the books (they are the truth:
the number, and that ``TrN_NumerObcy`` / ``TrN_FaId`` / the settlement really landed). Jobs run
one at a time on that thread, so "look up, then write" cannot interleave with another booking
from this process, and a retry after any failure finds whatever an earlier attempt saved. Those
reads run at READ COMMITTED on SQL Server (``SqlOptimaReader.decisions``): they decide.

Every COM name used here is one public code is seen using (``com_names.py`` lists them, the tests
hold this module to that list): the FA's remark goes into ``Uwagi``, a line gets its item, its
quantity and its value as Comarch's sample gives it (``WartoscNetto``; for prices with VAT the
unit gross ``CenaT`` with ``TypNB`` 2, as a published integration does), and its VAT rate comes
from the item card (checked against the shop's first). The payment settles through Optima's own
payment form by default; the KP through COM (``com_settlement.py``) is the unverified option.
SQL finds every object by its natural key and COM fetches it by id (``Item("DDf_DDfID=3")``), so
no user text is ever spliced into a COM filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from ..domain.correction import CorrectionRequest, PayoutKind
from ..domain.order import Buyer, BuyerKind, Order
from ..errors import AmbiguousOutcomeError, PermanentError, RetryableError
from . import queries as q
from .com_correction import correct_through_com, settle_correction_through_com
from .com_names import CONTRACTORS, DEFINITIONS, DOCUMENTS, PAYMENT_FORMS, RECORDSET, TRADE_SERVICE
from .com_session import ComContext, OptimaComSession
from .com_settlement import settle_through_com
from .com_supplier_order import book_supplier_order_com
from .port import ContractorRef, DocumentRef, SupplierOrder
from .reader import SqlOptimaReader
from .rules.columns import day_of, invoice_description, unit_price
from .rules.contractors import (
    check_contractor,
    company_nip,
    find_contractor,
    free_code,
    new_card,
    person_code,
)
from .rules.master_data import find_definition, payment_form, warehouse_id
from .rules.refusals import (
    check_invoice_of_order,
    check_order,
    check_rates,
    existing_invoice,
    existing_wz,
    in_buffer,
    load_invoice,
    no_goods,
    resolve_items,
)
from .rules.settlement import not_settled_by_optima
from .schema import TraElem
from .settings import OptimaSettings

T = TypeVar("T")

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
        """The KP that settled the FA: Optima's own, made by the payment form (nothing is written
        here), or booked through ``CDN.ZapisyKB`` when the settings choose that unverified route."""
        if self._settings.settles_through_com:
            return self._run(lambda com: settle_through_com(com, self._books, self._reader, self._settings,
                                                            invoice, order, day_of(self._clock())))
        found = self._reader.find_payment(order.number)
        if found is not None:
            return found
        with self._books() as conn:
            header = load_invoice(conn, invoice)
            check_invoice_of_order(header, order.number)
            not_settled_by_optima(conn, header, order, self._settings)

    def create_supplier_order(self, order: SupplierOrder) -> DocumentRef:
        """The ZD in the buffer (``com_supplier_order``), or the one the request booked already."""
        found = self._run(lambda com: book_supplier_order_com(com, self._reader.decisions, self._settings, order,
                                                             self._clock))
        return _read_back(found, "ZD", order.reference)

    def create_correction(self, invoice: DocumentRef, request: CorrectionRequest) -> DocumentRef:
        """The correction of the FA through ``CDN.DokumentyHaMag`` (``com_correction.py``), or the
        one that already carries the refund's reference."""
        return self._run(lambda com: correct_through_com(com, self._books, self._reader, self._settings, invoice,
                                                         request, day_of(self._clock())))

    def settle_correction(self, correction: DocumentRef, invoice: DocumentRef, order: Order,
                          payout: PayoutKind) -> DocumentRef | None:
        """Money back for the correction: through COM only on the KP-through-COM route, else a person
        settles it in Optima (``correction_settle_by_hand``); what the books show settled is returned."""
        return self._run(lambda com: settle_correction_through_com(
            com, self._books, self._reader, self._settings, correction, invoice, order, payout,
            day_of(self._clock())))

    def _run(self, job: Callable[[ComContext], T]) -> T:
        return self._session.run(job, timeout=self._timeout)

    @contextmanager
    def _books(self) -> Iterator[Connection]:
        """A short read of the company database that decides (READ COMMITTED on SQL Server),
        closed before anything is written; a lock or a lost connection is worth a retry."""
        try:
            with self._reader.decisions.connect() as conn:
                yield conn
        except OperationalError as exc:
            raise RetryableError(
                f"Baza Optimy nie odpowiada lub jest zablokowana: {exc.orig}", code="optima_unavailable",
                details={"error": str(exc.orig)},
            ) from exc

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
        card.Nazwa1, card.Nazwa2, card.Nazwa3 = values.name1, values.name2, values.name3
        if nip:
            card.NumerNIP.UstawNIP("PL", nip, 1)
        address = card.Adres
        address.Ulica, address.NrDomu, address.NrLokalu = values.street, values.house, values.flat
        address.Miasto = values.city
        address.KodPocztowy = values.postcode
        address.Kraj = values.country
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
            check_rates(order.lines, resolve_items(conn, order.lines))
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
        # after Podmiot, which may bring the card's default form
        doc.FormaPlatnosci = com.create(PAYMENT_FORMS).Item(f"FPl_FPlId={form}")
        doc.MagazynZrodlowyID = warehouse
        doc.TypNB = 2 if from_gross else 1
        doc.NumerObcy = order.number
        doc.Uwagi = invoice_description(order.number)
        for line in order.lines:
            element = doc.Elementy.AddNew(None)
            element.TowarKod = line.sku
            element.Ilosc = float(line.quantity)  # a double, as the samples pass it
            if from_gross:
                element.CenaT = unit_price(line.gross, line.quantity)
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
        return self._wz_read_back(invoice)

    def _wz_read_back(self, invoice: DocumentRef) -> DocumentRef:
        """The WZ Optima made from the FA, as the books show it after the save. One it left in the
        buffer goes to a person: no public code confirms a document it fetched through COM."""
        found = self._reader.find_wz(invoice.id)
        if found is None:
            with self._books() as conn:
                drafts = existing_wz(conn, invoice.id)
            if drafts:
                raise PermanentError(
                    f"Optima zapisała WZ {drafts[0]['TrN_NumerPelny']} do faktury {invoice.number} w buforze: "
                    "zatwierdź ją w Optimie, a krok WZ ją znajdzie",
                    code="document_in_buffer",
                    details={"kind": "WZ", "number": drafts[0]["TrN_NumerPelny"], "reference": invoice.number},
                )
        return _read_back(found, "WZ", invoice.number)


def _read_back(found: T | None, kind: str, reference: str) -> T:
    """What Optima saved, as the books show it; nothing there means we cannot tell what happened."""
    if found is None:
        raise AmbiguousOutcomeError(
            f"Optima przyjęła {kind} dla {reference}, ale nie ma go w bazie: sprawdź w Optimie, zanim ponowisz",
            code="optima_not_found_after_save",
            details={"kind": kind, "reference": reference},
        )
    return found
