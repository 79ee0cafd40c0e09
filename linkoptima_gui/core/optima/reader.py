"""``SqlOptimaReader``: what the console reads from an Optima company database.

It reads a real Optima (SQL Server, read-only login) and the simulated one (SQLite/PostgreSQL)
with the same statements (``queries.py``). On SQL Server the bulk reads (stock, item cards,
counts) run with READ UNCOMMITTED, as Comarch's own BI reports do, so that a long-running Optima
transaction never blocks them. The reads that decide (is the FA, WZ or KP of an order there, what
the invoice says) run with READ COMMITTED (``decisions``): a dirty read could see a document
Optima then rolls back, and the writer would skip a booking or report one that never was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from ..documents.ksef import verification_url
from ..domain.correction import CorrectionDocument, CorrectionKind
from ..domain.invoice import InvoiceDocument, InvoiceLine, Party
from ..domain.money import GROSZ, ZERO, round_grosz
from ..domain.order import Address
from ..domain.vat import VatRate, VatRow
from ..errors import PermanentError
from . import queries as q
from . import queries_corrections as qc
from .connect import READ_COMMITTED, READ_UNCOMMITTED
from .port import DocumentRef, ItemInfo
from .settings import OptimaSettings

#: item codes per statement: SQL Server takes at most 2,100 parameters
_CHUNK = 1000


class DocumentCounts(TypedDict):
    """Documents in Optima and, per kind, how many order numbers carry more than one."""

    fa: int
    wz: int
    kp: int
    fa_duplicates: int
    wz_duplicates: int
    kp_duplicates: int


def _price(value: Decimal) -> Decimal:
    """A stored unit price (4 decimals) shown with 2 when the last two are zero."""
    value = Decimal(value)
    return value.quantize(GROSZ) if value == value.quantize(GROSZ) else value


def quantity(value: Decimal | int | str) -> Decimal:
    """A stored quantity (4 decimals) without the trailing zeros: ``Decimal('3.0000')`` -> ``3``."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _joined(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _street(row: Mapping[str, Any], prefix: str) -> str:
    """``ul. Długa 12/3`` from Optima's split street, house and flat number columns."""
    street = _joined(row[f"{prefix}Ulica"], row[f"{prefix}NrDomu"])
    flat = (row[f"{prefix}NrLokalu"] or "").strip()
    return f"{street}/{flat}" if flat else street


def _country_code(row: Mapping[str, Any]) -> str:
    kraj = (row["TrN_PodKraj"] or "").strip()
    return "PL" if kraj in ("", "Polska", "PL") else kraj


class SqlOptimaReader:
    """Implements ``OptimaReader`` plus the stock and document counts the engine needs.

    ``clock`` gives "now" in Optima's local time (tests pass a fixed one).
    """

    def __init__(
        self,
        engine: Engine,
        settings: OptimaSettings | None = None,
        *,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._engine = self._decisions = engine
        if engine.dialect.name == "mssql":
            self._engine = engine.execution_options(isolation_level=READ_UNCOMMITTED)
            self._decisions = engine.execution_options(isolation_level=READ_COMMITTED)
        self._settings = settings or OptimaSettings()
        self._clock = clock

    @property
    def settings(self) -> OptimaSettings:
        return self._settings

    @property
    def engine(self) -> Engine:
        """The engine of the bulk reads: stock, item cards, counts (READ UNCOMMITTED on SQL Server)."""
        return self._engine

    @property
    def decisions(self) -> Engine:
        """The engine of the reads a booking depends on (READ COMMITTED on SQL Server)."""
        return self._decisions

    def _before(self) -> datetime:
        """Midnight after today: stock snapshots dated today or earlier count."""
        today = self._clock().date()
        return datetime.combine(today + timedelta(days=1), datetime.min.time())

    def _ref(self, statement: Any) -> DocumentRef | None:
        with self._decisions.connect() as conn:
            row = conn.execute(statement).first()
        return DocumentRef(id=int(row[0]), number=str(row[1])) if row else None

    # --- documents -------------------------------------------------------------------------------

    def find_invoice(self, order_number: str) -> DocumentRef | None:
        """The confirmed, not cancelled FA with ``TrN_NumerObcy`` = the order number."""
        return self._ref(q.invoice_by_order_query(order_number))

    def find_wz(self, invoice_id: int) -> DocumentRef | None:
        """The confirmed WZ whose ``TrN_FaId`` points at the FA."""
        return self._ref(q.wz_by_invoice_query(invoice_id))

    def find_payment(self, order_number: str) -> DocumentRef | None:
        """The KP that settled the order's FA (FA -> due -> settlement -> KP)."""
        return self._ref(q.payment_by_order_query(order_number))

    def read_invoice(self, invoice_id: int) -> InvoiceDocument:
        """The FA as booked: every figure as stored, so the PDF always matches the books."""
        with self._decisions.connect() as conn:
            header = conn.execute(q.invoice_header_query(invoice_id)).mappings().first()
            if header is None:
                raise PermanentError(
                    f"Nie ma w Optimie faktury o identyfikatorze {invoice_id}",
                    code="invoice_not_found",
                    details={"invoice_id": invoice_id},
                )
            lines = self._lines(conn, invoice_id)
            vat_rows = self._vat_rows(conn, invoice_id)
            dues = conn.execute(q.document_dues_query(invoice_id)).mappings().all()
        paid = bool(dues) and all(d["BZd_Rozliczono"] == q.SETTLED for d in dues)
        return self._document(header, lines, vat_rows, paid)

    # --- corrections -----------------------------------------------------------------------------

    def find_correction(self, reference: str) -> DocumentRef | None:
        """The correction carrying the refund's reference (``TrN_NumerObcy``), in the buffer or not."""
        return self._ref(qc.correction_by_reference_query(reference))

    def corrections_of(self, invoice_id: int) -> list[DocumentRef]:
        """Every not cancelled correction of the FA (``TrN_ZwrId``), oldest first."""
        with self._decisions.connect() as conn:
            return [DocumentRef(id=int(r[0]), number=str(r[1]))
                    for r in conn.execute(qc.corrections_of_query(invoice_id))]

    def find_correction_payout(self, correction_id: int) -> DocumentRef | None:
        """The KW / bank "wypłata" settled with the correction's payable."""
        return self._ref(qc.correction_payout_query(correction_id))

    def read_correction(self, correction_id: int) -> CorrectionDocument:
        """The correction as booked: its changes per line and per rate (negative for a reduction,
        as Optima stores them) and the corrected FA as it was issued."""
        with self._decisions.connect() as conn:
            h = conn.execute(q.invoice_header_query(correction_id)).mappings().first()
            if h is None or not h["TrN_Korekta"]:
                raise PermanentError(f"Nie ma w Optimie korekty o identyfikatorze {correction_id}",
                                     code="correction_not_found", details={"correction_id": correction_id})
            lines = self._lines(conn, correction_id)
            vat_rows = self._vat_rows(conn, correction_id)
        return CorrectionDocument(
            id=correction_id,
            number=h["TrN_NumerPelny"],
            kind=CorrectionKind.from_rodzaj(h["TrN_Rodzaj"]),
            issue_date=h["TrN_DataWys"].date(),
            reference=h["TrN_NumerObcy"],
            reason=h["TrN_KorektaZTytulu"] or h["TrN_Opis"] or "",
            confirmed=h["TrN_Bufor"] == 0,
            original=self.read_invoice(int(h["TrN_ZwrId"])),
            original_id=int(h["TrN_ZwrId"]),
            lines=lines,
            vat_rows=vat_rows,
            net_total=Decimal(h["TrN_RazemNetto"]),
            vat_total=Decimal(h["TrN_RazemVAT"]),
            gross_total=Decimal(h["TrN_RazemBrutto"]),
            ksef_number=h["TrN_NrKSeF"] or "",
        )

    def _lines(self, conn: Connection, document_id: int) -> tuple[InvoiceLine, ...]:
        lines = []
        for row in conn.execute(q.document_lines_query(document_id)).mappings():
            amount = Decimal(row["TrE_Ilosc"])
            net, gross = Decimal(row["TrE_WartoscNetto"]), Decimal(row["TrE_WartoscBrutto"])
            stored = _price(row["TrE_CenaT"])
            derived_net = round_grosz(net / amount) if amount else ZERO
            derived_gross = round_grosz(gross / amount) if amount else ZERO
            from_gross = int(row["TrE_TypNB"]) == 2
            lines.append(
                InvoiceLine(
                    position=int(row["TrE_Lp"]),
                    code=row["TrE_TwrKod"],
                    name=row["TrE_TwrNazwa"],
                    unit=row["TrE_Jm"],
                    quantity=quantity(amount),
                    unit_net=derived_net if from_gross else stored,
                    unit_gross=stored if from_gross else derived_gross,
                    rate=VatRate.from_optima(row["TrE_Stawka"], row["TrE_Flaga"]),
                    net=net,
                    vat=gross - net,
                    gross=gross,
                    discount_percent=Decimal(row["TrE_Rabat"]),
                )
            )
        return tuple(lines)

    def _vat_rows(self, conn: Connection, document_id: int) -> tuple[VatRow, ...]:
        rows = [
            VatRow(
                VatRate.from_optima(r["TrV_Stawka"], r["TrV_Flaga"]),
                Decimal(r["TrV_Netto"]),
                Decimal(r["TrV_VAT"]),
            )
            for r in conn.execute(q.document_vat_query(document_id)).mappings()
        ]
        order = list(VatRate)
        return tuple(sorted(rows, key=lambda r: order.index(r.rate)))

    def _document(
        self, h: Mapping[str, Any], lines: tuple[InvoiceLine, ...], vat_rows: tuple[VatRow, ...], paid: bool
    ) -> InvoiceDocument:
        buyer_address = Address(
            street=_street(h, "TrN_Pod"),
            city=h["TrN_PodMiasto"],
            postcode=h["TrN_PodKodPocztowy"],
            country=_country_code(h),
        )
        buyer = Party(
            name=_joined(h["TrN_PodNazwa1"], h["TrN_PodNazwa2"], h["TrN_PodNazwa3"]),
            address=buyer_address,
            nip=h["TrN_PodNipE"] or "",
            email=h["TrN_OdbEmail"] or h["Knt_Email"] or "",
        )
        form = h["FPl_Nazwa"] or ""
        seller = self._settings.seller
        return InvoiceDocument(
            number=h["TrN_NumerPelny"],
            issue_date=h["TrN_DataWys"].date(),
            sale_date=h["TrN_DataOpe"].date(),
            place=seller.place,
            seller=seller.party(),
            buyer=buyer,
            lines=lines,
            vat_rows=vat_rows,
            net_total=Decimal(h["TrN_RazemNetto"]),
            vat_total=Decimal(h["TrN_RazemVAT"]),
            gross_total=Decimal(h["TrN_RazemBrutto"]),
            from_gross=int(h["TrN_TypNB"]) == 2,
            payment_method=form,
            payment_due=h["TrN_Termin"].date(),
            paid=paid,
            cash_on_delivery=form in self._settings.cod_forms,
            order_number=h["TrN_NumerObcy"],
            ksef_number=h["TrN_NrKSeF"] or "",
            ksef_url=self._ksef_url(h["TrN_NrKSeF"] or "", h["TrN_DataWys"].date()),
            seller_bank_account=seller.bank_account,
        )

    def _ksef_url(self, number: str, issue_date: date) -> str:
        """The KOD I link, when the invoice has a KSeF number and its sent file is at hand."""
        folder = self._settings.ksef_xml_folder
        if not number or not folder:
            return ""
        try:
            xml = (Path(folder) / f"{number}.xml").read_bytes()
        except OSError:
            return ""
        return verification_url(self._settings.ksef_environment, self._settings.seller.nip, issue_date, xml)

    # --- items and stock -------------------------------------------------------------------------

    def item_by_code(self, code: str) -> ItemInfo | None:
        """The item card by ``Twr_Kod`` with what is available in the configured warehouse."""
        statement = q.item_query(code, self._settings.warehouse, self._before())
        with self._engine.connect() as conn:
            row = conn.execute(statement).mappings().first()
        if row is None:
            return None
        is_service = int(row["Twr_Typ"]) == q.SERVICE
        return ItemInfo(
            id=int(row["Twr_TwrId"]),
            code=row["Twr_Kod"],
            name=row["Twr_Nazwa"],
            ean=row["Twr_EAN"],
            unit=row["Twr_JM"],
            is_service=is_service,
            active=not row["Twr_NieAktywny"],
            available=Decimal(0) if is_service else quantity(row["available"]),
            weight_kg=Decimal(str(row["Twr_WagaKG"] or 0)),
        )

    def stock_levels(self, codes: Iterable[str] | None = None) -> dict[str, Decimal]:
        """Available quantity of every goods item in the warehouse (one statement, any size), or
        of the items ``codes`` (in chunks that stay under SQL Server's parameter limit)."""
        before, warehouse = self._before(), self._settings.warehouse
        if codes is None:
            statements = [q.stock_query(warehouse, before)]
        else:
            wanted = sorted(set(codes))
            statements = [q.stock_of_items_query(warehouse, before, wanted[i:i + _CHUNK])
                          for i in range(0, len(wanted), _CHUNK)]
        levels: dict[str, Decimal] = {}
        with self._engine.connect() as conn:
            for statement in statements:
                levels.update((code, quantity(available)) for code, available in conn.execute(statement))
        return levels

    def stock_changes(self, since: datetime | None) -> tuple[set[str], datetime | None]:
        """Codes of the goods whose stock may have moved after ``since`` (Optima's local time),
        and the newest time stamp seen (``None`` when nothing changed). ``since=None``: all goods."""
        if since is None:
            return set(self.stock_levels()), None
        with self._engine.connect() as conn:
            rows = conn.execute(q.stock_changes_query(since)).all()
        stamps = [stamp for _, stamp in rows if stamp is not None]
        return {code for code, _ in rows}, max(stamps) if stamps else None

    # --- the headless demo's audit ---------------------------------------------------------------

    def count_documents(self) -> DocumentCounts:
        """FA, WZ and KP counted in Optima's tables, and order numbers booked more than once."""
        with self._engine.connect() as conn:

            def scalar(statement: Any) -> int:
                return int(conn.execute(statement).scalar_one())

            return DocumentCounts(
                fa=scalar(q.document_count_query(q.FA_TYPE)),
                wz=scalar(q.document_count_query(q.WZ_TYPE)),
                kp=scalar(q.payment_count_query()),
                fa_duplicates=scalar(q.duplicate_invoices_query()),
                wz_duplicates=scalar(q.duplicate_wz_query()),
                kp_duplicates=scalar(q.duplicate_payments_query()),
            )
