"""``SimulatedOptimaWriter``: books into a CDN database exactly the rows Optima itself would.

The demo and the tests use it in place of the COM writer of a real installation, so the SQL
reader meets the same shape in both. Rules it keeps, like Optima (and the console's design):

- one transaction per document, under the writer lock: a failure leaves nothing half-done, and
  numbers are allocated one writer at a time (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR
  UPDATE`` of the ``DokDefinicje`` row elsewhere);
- every write is idempotent: the FA by ``TrN_NumerObcy``, the WZ by ``TrN_FaId``, the KP through
  the settlement of the FA's due; asking twice returns the first document;
- a private buyer gets an own contractor card, found again by e-mail (not the shared
  ``!NIEOKREŚLONY!`` card: the invoice, the KP and later corrections then name the person), and a
  company is found by its NIP.

The rows themselves are built in ``simulated_documents`` (FA), ``simulated_wz`` (WZ and stock)
and ``simulated_payments`` (KP, report, settlement); this class holds the transactions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from ..domain.nip import InvalidNip, validate_nip
from ..domain.order import Buyer, BuyerKind, Order
from ..errors import PermanentError
from . import queries as q
from .port import ContractorRef, DocumentRef
from .schema import Kontrahenci, TraNag, has_write_lock_support
from .settings import OptimaSettings
from .simulated_documents import book_invoice, check_order
from .simulated_payments import book_payment
from .simulated_support import (
    ascii_code,
    country_name,
    export_kind,
    fit,
    lock_definition,
    new_guid,
    split_name,
    split_street,
    stamps,
    write_transaction,
)
from .simulated_wz import book_wz, existing_wz, load_invoice

KP_CLASS = 202  # DDf_Klasa of KP ("kasa przyjmie"); DDf_KierunekOrg gives +1 for it
KNT_KOD_LENGTH = 20


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
        nip = _company_nip(buyer) if buyer.kind is BuyerKind.COMPANY else ""
        with write_transaction(self._engine) as conn:
            found = _find_contractor(conn, buyer, nip)
            if found is not None:
                return found
            return self._create_contractor(conn, buyer, nip)

    def _create_contractor(self, conn: Connection, buyer: Buyer, nip: str) -> ContractorRef:
        company = bool(nip)
        code = _free_code(conn, nip if company else _person_code(buyer))
        name1, name2, name3 = split_name(buyer.display_name)
        street, house, flat = split_street(buyer.address.street)
        values: dict[str, Any] = {
            "Knt_Kod": code,
            "Knt_Nazwa1": name1,
            "Knt_Nazwa2": name2,
            "Knt_Nazwa3": name3,
            "Knt_Kraj": country_name(buyer.address.country),
            "Knt_KrajISO": fit(buyer.address.country or "PL", 9),
            "Knt_Ulica": street,
            "Knt_NrDomu": house,
            "Knt_NrLokalu": flat,
            "Knt_Miasto": fit(buyer.address.city, 40),
            "Knt_Poczta": fit(buyer.address.city, 40),
            "Knt_KodPocztowy": fit(buyer.address.postcode, 10),
            "Knt_Nip": nip,
            "Knt_NipE": nip,
            "Knt_Email": fit(buyer.email, 127),
            "Knt_Telefon1": fit(buyer.phone, 20),
            "Knt_PodatekVat": 1 if company else 0,
            "Knt_Finalny": 0 if company else 1,
            "Knt_Export": export_kind(buyer.address.country),
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
            definition = lock_definition(conn, settings.invoice_definition, q.FA_TYPE)
            existing = _existing_invoice(conn, order.number)
            if existing is not None:
                return existing
            check_order(order)
            _check_contractor(conn, contractor)
            return book_invoice(conn, settings, definition, order, contractor, self._clock())

    def create_wz_from_invoice(self, invoice: DocumentRef) -> DocumentRef:
        """Book the WZ for the FA (goods lines only), or return the one already linked to it."""
        settings = self._settings
        with write_transaction(self._engine) as conn:
            definition = lock_definition(conn, settings.wz_definition, q.WZ_TYPE)
            found = existing_wz(conn, invoice.id)
            confirmed = [row for row in found if row["TrN_Bufor"] == 0]
            if confirmed:
                return DocumentRef(id=int(confirmed[0]["TrN_TrNID"]), number=confirmed[0]["TrN_NumerPelny"])
            if found:
                raise _in_buffer("WZ", found[0]["TrN_NumerPelny"], invoice.number)
            header = load_invoice(conn, invoice)
            return book_wz(conn, settings, definition, header, self._clock())

    def settle_payment(self, invoice: DocumentRef, order: Order) -> DocumentRef:
        """Book the KP of a confirmed payment and settle the FA's due; return an existing KP."""
        settings = self._settings
        with write_transaction(self._engine) as conn:
            definition = lock_definition(conn, settings.kp_definition, KP_CLASS)
            paid = conn.execute(q.payment_by_invoice_query(invoice.id)).first()
            if paid is not None:
                return DocumentRef(id=int(paid[0]), number=str(paid[1]))
            header = load_invoice(conn, invoice)
            if header["TrN_NumerObcy"] != order.number:
                raise PermanentError(
                    f"Faktura {header['TrN_NumerPelny']} należy do zamówienia {header['TrN_NumerObcy']}, "
                    f"nie {order.number}",
                    code="invoice_order_mismatch",
                    details={"invoice": header["TrN_NumerPelny"], "order_number": order.number},
                )
            return book_payment(conn, settings, definition, header, order, self._clock())


def _company_nip(buyer: Buyer) -> str:
    try:
        return validate_nip(buyer.nip)
    except InvalidNip as exc:
        raise PermanentError(
            f"Niepoprawny NIP nabywcy „{buyer.nip}” ({buyer.display_name})",
            code="invalid_nip",
            details={"nip": buyer.nip, "name": buyer.display_name},
        ) from exc


def _find_contractor(conn: Connection, buyer: Buyer, nip: str) -> ContractorRef | None:
    """Active cards first, then the oldest: the one an operator would pick in Optima. A NIP on
    more than one active card is a question for a person (which card gets the invoice?), never
    a guess: the order stops with the cards named."""
    k = Kontrahenci.c
    if nip:
        compact = func.replace(func.replace(k.Knt_Nip, "-", ""), " ", "")
        condition = compact == nip
        active = conn.execute(select(k.Knt_Kod).where(condition, k.Knt_Nieaktywny == 0)
                              .order_by(k.Knt_KntId)).scalars().all()
        if len(active) > 1:
            raise PermanentError(
                f"NIP {nip} jest na kilku aktywnych kartach kontrahentów w Optimie ({', '.join(active)}): "
                "zostaw aktywną jedną kartę i ponów",
                code="ambiguous_contractor",
                details={"nip": nip, "cards": list(active)},
            )
    elif buyer.email.strip():
        condition = (func.lower(k.Knt_Email) == buyer.email.strip().lower()) & (k.Knt_Nip == "")
    else:
        return None
    row = conn.execute(
        select(k.Knt_KntId, k.Knt_Kod).where(condition).order_by(k.Knt_Nieaktywny, k.Knt_KntId).limit(1)
    ).first()
    return ContractorRef(id=int(row[0]), code=row[1]) if row else None


def _person_code(buyer: Buyer) -> str:
    """A readable ASCII code for a person: the e-mail's local part, else the name."""
    local = buyer.email.split("@", 1)[0] if buyer.email else ""
    return ascii_code(local, KNT_KOD_LENGTH) or ascii_code(buyer.person_name, KNT_KOD_LENGTH) or "KLIENT"


def _free_code(conn: Connection, base: str) -> str:
    """``base``, or ``base~2``, ``base~3``... cut to 20 characters: Knt_Kod is unique."""
    code = base[:KNT_KOD_LENGTH]
    suffix = 1
    while conn.execute(select(Kontrahenci.c.Knt_KntId).where(Kontrahenci.c.Knt_Kod == code)).first():
        suffix += 1
        tail = f"~{suffix}"
        code = base[: KNT_KOD_LENGTH - len(tail)] + tail
    return code


def _check_contractor(conn: Connection, contractor: ContractorRef) -> None:
    found = conn.execute(
        select(Kontrahenci.c.Knt_KntId).where(Kontrahenci.c.Knt_KntId == contractor.id)
    ).first()
    if found is None:
        raise PermanentError(
            f"Nie ma w Optimie kontrahenta {contractor.code} (id {contractor.id})",
            code="contractor_not_found",
            details={"id": contractor.id, "code": contractor.code},
        )


def _existing_invoice(conn: Connection, order_number: str) -> DocumentRef | None:
    """The confirmed FA of the order; a draft one stops us (confirming it later would double it)."""
    rows = conn.execute(
        select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny, TraNag.c.TrN_Bufor)
        .where(
            TraNag.c.TrN_TypDokumentu == q.FA_TYPE,
            TraNag.c.TrN_NumerObcy == order_number,
            TraNag.c.TrN_Anulowany == 0,
            TraNag.c.TrN_Bufor.in_((0, 1)),
        )
        .order_by(TraNag.c.TrN_Bufor, TraNag.c.TrN_TrNID)
    ).all()
    if not rows:
        return None
    if rows[0][2] == 0:
        return DocumentRef(id=int(rows[0][0]), number=rows[0][1])
    raise _in_buffer("FA", rows[0][1], order_number)


def _in_buffer(kind: str, number: str, reference: str) -> PermanentError:
    return PermanentError(
        f"W buforze Optimy jest już {kind} {number} dla {reference}: zatwierdź go lub usuń, "
        "zanim konsola wystawi dokument",
        code="document_in_buffer",
        details={"kind": kind, "number": number, "reference": reference},
    )
