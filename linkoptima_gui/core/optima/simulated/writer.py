"""``SimulatedOptimaWriter``: books into a CDN database exactly the rows Optima itself would.

The demo and the tests use it in place of the COM writer of a real installation, so the SQL
reader meets the same shape in both. Rules it keeps, like Optima (and the console's design):

- one transaction per document, under the writer lock: a failure leaves nothing half-done, and
  numbers are allocated one writer at a time (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR
  UPDATE`` of the ``DokDefinicje`` row elsewhere);
- every write is idempotent: the FA by ``TrN_NumerObcy``, the WZ by ``TrN_FaId``, the KP through
  the settlement of the FA's due; asking twice returns the first document;
- an FA whose payment form settles by itself (a cash-type form with a register) gets its KP and
  settlement in the same transaction, as Optima books them on confirming it; the KP step then
  only finds that KP, unless the settings book it through COM (``rules/settlement.py``);
- a private buyer gets an own contractor card, found again by e-mail (not the shared
  ``!NIEOKREŚLONY!`` card: the invoice, the KP and later corrections then name the person), and a
  company is found by its NIP.

The rows themselves are built in ``documents`` (FA), ``wz`` (WZ and stock) and ``payments``
(KP, report, settlement); this class holds the transactions. What Optima refuses, and which
card is the buyer's, are the rules both writers keep (``optima/rules/``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from ...domain.correction import CorrectionRequest, PayoutKind
from ...domain.order import Buyer, BuyerKind, Order
from .. import queries as q
from ..port import ContractorRef, DocumentRef, SupplierOrder
from ..rules.contractors import (
    check_contractor,
    company_nip,
    find_contractor,
    free_code,
    new_card,
    person_code,
)
from ..rules.corrections import existing_correction, invoice_to_correct
from ..rules.master_data import KP_CLASS, find_definition
from ..rules.refusals import (
    check_invoice_of_order,
    check_order,
    existing_invoice,
    existing_wz,
    in_buffer,
    load_invoice,
)
from ..rules.settlement import invoice_form, not_settled_by_optima, settles_itself
from ..rules.supplier_orders import check_supplier_order, existing_supplier_order
from ..schema import Kontrahenci, TraNag, has_write_lock_support
from ..settings import OptimaSettings
from . import corrections, refunds
from .booking import new_guid, stamps, write_transaction
from .documents import book_invoice
from .payments import book_automatic_payment, book_payment
from .supplier_order import book_supplier_order
from .wz import book_wz


class SimulatedOptimaWriter:
    """Implements ``OptimaWriter`` against a CDN database made by ``optima_engine``.

    ``clock`` gives "now" in Optima's local time (tests pass a fixed one).
    """

    def __init__(
        self,
        engine: Engine,
        settings: OptimaSettings | None = None,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        if not has_write_lock_support(engine):
            raise ValueError("SimulatedOptimaWriter needs an engine from optima_engine() on SQLite")
        self._engine = engine
        self._settings = settings or OptimaSettings()
        self._clock = clock

    @property
    def settings(self) -> OptimaSettings:
        return self._settings

    @property
    def engine(self) -> Engine:
        return self._engine

    # --- contractors -----------------------------------------------------------------------------

    def ensure_contractor(self, buyer: Buyer) -> ContractorRef:
        """The buyer's card: a company by NIP, a person by e-mail; created when not found."""
        nip = company_nip(buyer) if buyer.kind is BuyerKind.COMPANY else ""
        with write_transaction(self._engine) as conn:
            found = find_contractor(conn, buyer, nip)
            if found is not None:
                return found
            return self._create_contractor(conn, buyer, nip)

    def _create_contractor(self, conn: Connection, buyer: Buyer, nip: str) -> ContractorRef:
        code = free_code(conn, nip or person_code(buyer))
        card = new_card(buyer, nip)
        values: dict[str, Any] = {
            "Knt_Kod": code,
            "Knt_Nazwa1": card.name1,
            "Knt_Nazwa2": card.name2,
            "Knt_Nazwa3": card.name3,
            "Knt_Kraj": card.country,
            "Knt_KrajISO": card.country_iso,
            "Knt_Ulica": card.street,
            "Knt_NrDomu": card.house,
            "Knt_NrLokalu": card.flat,
            "Knt_Miasto": card.city,
            "Knt_Poczta": card.city,
            "Knt_KodPocztowy": card.postcode,
            "Knt_Nip": nip,
            "Knt_NipE": nip,
            "Knt_Email": card.email,
            "Knt_Telefon1": card.phone,
            "Knt_PodatekVat": 1 if card.company else 0,
            "Knt_Finalny": 0 if card.company else 1,
            "Knt_Export": card.export,
            "Knt_Rodzaj_Odbiorca": 1,
            "Knt_Opis": "Założony automatycznie z zamówienia sklepu internetowego",
            "Knt_ImportRowId": new_guid(),
            **stamps("Knt", self._clock(), self._settings.operator),
        }
        contractor_id = conn.execute(Kontrahenci.insert().values(values)).inserted_primary_key[0]
        return ContractorRef(id=int(contractor_id), code=code)

    # --- documents -------------------------------------------------------------------------------

    def create_invoice(self, order: Order, contractor: ContractorRef) -> DocumentRef:
        """Book the confirmed FA of the order, or return the one that already carries its number."""
        settings = self._settings
        with write_transaction(self._engine) as conn:
            definition = find_definition(conn, settings.invoice_definition, q.FA_TYPE, lock=True)
            existing = existing_invoice(conn, order.number)
            if existing is not None:
                return existing
            check_order(order)
            check_contractor(conn, contractor)
            invoice = book_invoice(conn, settings, definition, order, contractor, self._clock())
            header = load_invoice(conn, invoice)
            form = invoice_form(conn, header)
            if form is not None and settles_itself(form):  # as Optima does on confirming the FA
                kp = find_definition(conn, settings.kp_definition, KP_CLASS, lock=True)
                book_automatic_payment(conn, settings, kp, header, form, self._clock())
            return invoice

    def create_wz_from_invoice(self, invoice: DocumentRef) -> DocumentRef:
        """Book the WZ for the FA (goods lines only), or return the one already linked to it."""
        settings = self._settings
        with write_transaction(self._engine) as conn:
            definition = find_definition(conn, settings.wz_definition, q.WZ_TYPE, lock=True)
            found = existing_wz(conn, invoice.id)
            confirmed = [row for row in found if row["TrN_Bufor"] == 0]
            if confirmed:
                return DocumentRef(id=int(confirmed[0]["TrN_TrNID"]), number=confirmed[0]["TrN_NumerPelny"])
            if found:
                raise in_buffer("WZ", found[0]["TrN_NumerPelny"], invoice.number)
            header = load_invoice(conn, invoice)
            return book_wz(conn, settings, definition, header, self._clock())

    def settle_payment(self, invoice: DocumentRef, order: Order) -> DocumentRef:
        """The KP that settled the FA: Optima's own (the payment form's route), or booked now as
        the console would through COM (the other route); an existing KP is returned."""
        settings = self._settings
        with write_transaction(self._engine) as conn:
            definition = find_definition(conn, settings.kp_definition, KP_CLASS, lock=True)
            paid = conn.execute(q.payment_by_invoice_query(invoice.id)).first()
            if paid is not None:
                return DocumentRef(id=int(paid[0]), number=str(paid[1]))
            header = load_invoice(conn, invoice)
            check_invoice_of_order(header, order.number)
            if not settings.settles_through_com:
                not_settled_by_optima(conn, header, order, settings)
            return book_payment(conn, settings, definition, header, order, self._clock())

    def create_supplier_order(self, order: SupplierOrder) -> DocumentRef:
        """Book the ZD in the buffer, or return the one that already carries the reference."""
        with write_transaction(self._engine) as conn:
            definition = find_definition(conn, self._settings.supplier_order_definition, q.ZD_TYPE,
                                         lock=True)
            existing = existing_supplier_order(conn, order.reference)
            if existing is not None:
                return existing
            supplier, items = check_supplier_order(conn, order)
            return book_supplier_order(conn, self._settings, definition, order, supplier, items, self._clock())

    # --- corrections -----------------------------------------------------------------------------

    def create_correction(self, invoice: DocumentRef, request: CorrectionRequest) -> DocumentRef:
        """Book the correction of the FA (``simulated/corrections.py``), or return the one that
        already carries the refund's reference."""
        with write_transaction(self._engine) as conn:
            definition = corrections.correction_definition(conn, self._settings, request.kind)
            existing = existing_correction(conn, request.reference)
            if existing is not None:
                return existing
            header = invoice_to_correct(conn, invoice)
            return corrections.book_correction(conn, self._settings, definition, header, request, self._clock())

    def confirm_correction(self, correction_id: int) -> None:
        """Confirm a correction left in the buffer, as a person does in Optima (tests, demo): the
        payable, the WZ correction and the stock come now. Confirming a confirmed one does nothing."""
        with write_transaction(self._engine) as conn:
            header = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == correction_id)).mappings().first()
            if header is None or not header["TrN_Korekta"]:
                raise ValueError(f"no correction with id {correction_id}")
            if header["TrN_Bufor"] != 0:
                corrections.confirm(conn, self._settings, header, self._clock())

    def settle_correction(self, correction: DocumentRef, invoice: DocumentRef, order: Order,
                          payout: PayoutKind) -> DocumentRef | None:
        """Net the correction against the FA's open due, or pay the money out (``simulated/refunds.py``)."""
        with write_transaction(self._engine) as conn:
            return refunds.settle(conn, self._settings, correction, invoice, order, payout, self._clock())
