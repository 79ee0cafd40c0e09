"""The SELECTs the console runs against Optima, as builders of SQLAlchemy statements.

Kept apart from ``SqlOptimaReader`` so that the simulated writer looks for existing documents
with exactly the queries the reader uses, and so that a test can compile every one of them for
SQL Server (the dialect of a real Optima) without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, and_, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from .schema import (
    BnkRozKwoty,
    BnkZapisy,
    BnkZdarzenia,
    FormyPlatnosci,
    Kontrahenci,
    Magazyny,
    Towary,
    TraElem,
    TraNag,
    TraVat,
    TwrIlosci,
)

FA_TYPE = 302
WZ_TYPE = 306
FA_KIND = 302000
WZ_KIND = 306000
ZD_TYPE = 309  # order to a supplier (zamówienie u dostawcy)
ZD_KIND = 309000
CONTRACTOR = 1  # TrN_PodmiotTyp / BZd_PodmiotTyp: a Kontrahenci card
DUE_OF_TRADE_DOCUMENT = 1  # BZd_DokumentTyp: the due belongs to a TraNag document
SETTLEMENT_DUE = 1  # BRK_*DokTyp: a BnkZdarzenia row
SETTLEMENT_RECORD = 2  # BRK_*DokTyp: a BnkZapisy row
OPEN = 1  # BZd_Rozliczono / BZp_Rozliczono
SETTLED = 2
GOODS = 1  # Twr_Typ
SERVICE = 0


def _live(typ: int) -> ColumnElement[bool]:
    """A confirmed (not buffered), not cancelled document of the type that is not a correction
    (corrections share the type, 302 or 306, and are told apart by ``TrN_Korekta``)."""
    return and_(TraNag.c.TrN_TypDokumentu == typ, TraNag.c.TrN_Bufor == 0, TraNag.c.TrN_Anulowany == 0,
                TraNag.c.TrN_Korekta == 0)


def invoice_by_order_query(order_number: str) -> Select:
    """The confirmed FA carrying the shop order number (the oldest, should there be several)."""
    return (
        select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny)
        .where(_live(FA_TYPE), TraNag.c.TrN_NumerObcy == order_number)
        .order_by(TraNag.c.TrN_TrNID)
        .limit(1)
    )


def wz_by_invoice_query(invoice_id: int) -> Select:
    """The confirmed WZ issued for the FA (``TrN_FaId``)."""
    return (
        select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny)
        .where(_live(WZ_TYPE), TraNag.c.TrN_FaId == invoice_id)
        .order_by(TraNag.c.TrN_TrNID)
        .limit(1)
    )


def _payments_of_dues() -> Select:
    """Money-in records joined through their settlements to the dues they settled."""
    return (
        select(BnkZapisy.c.BZp_BZpID, BnkZapisy.c.BZp_NumerPelny)
        .select_from(BnkZapisy)
        .join(
            BnkRozKwoty,
            and_(
                BnkRozKwoty.c.BRK_PDokTyp == SETTLEMENT_RECORD,
                BnkRozKwoty.c.BRK_PDokID == BnkZapisy.c.BZp_BZpID,
            ),
        )
        .join(
            BnkZdarzenia,
            and_(
                BnkRozKwoty.c.BRK_LDokTyp == SETTLEMENT_DUE,
                BnkRozKwoty.c.BRK_LDokID == BnkZdarzenia.c.BZd_BZdID,
            ),
        )
        .where(BnkZapisy.c.BZp_Kierunek == 1, BnkZdarzenia.c.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT)
        .order_by(BnkZapisy.c.BZp_BZpID)
        .limit(1)
    )


def payment_by_invoice_query(invoice_id: int) -> Select:
    """The KP that settled (part of) the FA's payment due."""
    return _payments_of_dues().where(BnkZdarzenia.c.BZd_DokumentID == invoice_id)


def payment_by_order_query(order_number: str) -> Select:
    """The KP of a shop order: through the order's FA, its due and the settlement."""
    return (
        _payments_of_dues()
        .join(TraNag, TraNag.c.TrN_TrNID == BnkZdarzenia.c.BZd_DokumentID)
        .where(_live(FA_TYPE), TraNag.c.TrN_NumerObcy == order_number)
    )


def invoice_header_query(invoice_id: int) -> Select:
    """Header of one FA with its payment form name and the buyer card's e-mail."""
    return (
        select(TraNag, FormyPlatnosci.c.FPl_Nazwa, Kontrahenci.c.Knt_Email)
        .select_from(TraNag)
        .outerjoin(FormyPlatnosci, FormyPlatnosci.c.FPl_FPlId == TraNag.c.TrN_FPlId)
        .outerjoin(
            Kontrahenci,
            and_(TraNag.c.TrN_PodmiotTyp == CONTRACTOR, Kontrahenci.c.Knt_KntId == TraNag.c.TrN_PodID),
        )
        .where(TraNag.c.TrN_TrNID == invoice_id, TraNag.c.TrN_TypDokumentu == FA_TYPE)
    )


def document_lines_query(document_id: int) -> Select:
    return select(TraElem).where(TraElem.c.TrE_TrNId == document_id).order_by(TraElem.c.TrE_Lp)


def document_vat_query(document_id: int) -> Select:
    return select(TraVat).where(TraVat.c.TrV_TrNID == document_id).order_by(TraVat.c.TrV_TrVID)


def document_dues_query(document_id: int) -> Select:
    """The payments due an FA created (normally one; one per instalment otherwise)."""
    return (
        select(BnkZdarzenia)
        .where(
            BnkZdarzenia.c.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT,
            BnkZdarzenia.c.BZd_DokumentID == document_id,
            BnkZdarzenia.c.BZd_Kierunek == 1,
        )
        .order_by(BnkZdarzenia.c.BZd_BZdID)
    )


def _warehouse_id(symbol: str) -> ColumnElement[int]:
    return select(Magazyny.c.Mag_MagId).where(Magazyny.c.Mag_Symbol == symbol).scalar_subquery()


def _stock_join(warehouse: str, before: datetime) -> ColumnElement[bool]:
    """Join condition picking, per item, the latest stock snapshot dated before ``before``."""
    latest = TwrIlosci.alias("latest")
    latest_date = (
        select(func.max(latest.c.TwI_Data))
        .where(
            latest.c.TwI_TwrId == Towary.c.Twr_TwrId,
            latest.c.TwI_MagId == _warehouse_id(warehouse),
            latest.c.TwI_Data < before,
        )
        .correlate(Towary)
        .scalar_subquery()
    )
    return and_(
        TwrIlosci.c.TwI_TwrId == Towary.c.Twr_TwrId,
        TwrIlosci.c.TwI_MagId == _warehouse_id(warehouse),
        TwrIlosci.c.TwI_Data == latest_date,
    )


def _available() -> ColumnElement:
    """Stock minus reservations (RO) from the snapshot row; 0 without one."""
    zero = literal(0)
    return (
        func.coalesce(TwrIlosci.c.TwI_Ilosc, zero) - func.coalesce(TwrIlosci.c.TwI_Rezerwacje, zero)
    ).label("available")


def item_query(code: str, warehouse: str, before: datetime) -> Select:
    """One item card by ``Twr_Kod`` with its available quantity in the warehouse."""
    return (
        select(
            Towary.c.Twr_TwrId,
            Towary.c.Twr_Kod,
            Towary.c.Twr_Nazwa,
            Towary.c.Twr_EAN,
            Towary.c.Twr_JM,
            Towary.c.Twr_Typ,
            Towary.c.Twr_NieAktywny,
            Towary.c.Twr_WagaKG,
            _available(),
        )
        .select_from(Towary)
        .outerjoin(TwrIlosci, _stock_join(warehouse, before))
        .where(Towary.c.Twr_Kod == code)
    )


def stock_query(warehouse: str, before: datetime) -> Select:
    """Available quantity of every goods item (services have no stock), in one statement."""
    return (
        select(Towary.c.Twr_Kod, _available())
        .select_from(Towary)
        .outerjoin(TwrIlosci, _stock_join(warehouse, before))
        .where(Towary.c.Twr_Typ == GOODS)
        .order_by(Towary.c.Twr_Kod)
    )


def stock_of_items_query(warehouse: str, before: datetime, codes: Sequence[str]) -> Select:
    """The same for the items ``codes`` only (callers keep the list under SQL Server's 2,100
    parameters)."""
    return stock_query(warehouse, before).where(Towary.c.Twr_Kod.in_(list(codes)))


def stock_changes_query(since: datetime) -> Select:
    """Goods items whose stock may have moved since ``since``: those on a document saved later
    (``TrN_TS_Mod``: any document, deliveries, sales and reservations alike) and those whose card
    changed (``Twr_TS_Mod``). Stock changes do not reliably touch the card (reference/optima.md
    §1.8), hence the documents. Returns the code and the newest time stamp per item, so the caller
    can move its watermark to what it has really seen."""
    on_documents = (
        select(Towary.c.Twr_Kod.label("code"), func.max(TraNag.c.TrN_TS_Mod).label("stamp"))
        .select_from(TraNag)
        .join(TraElem, TraElem.c.TrE_TrNId == TraNag.c.TrN_TrNID)
        .join(Towary, Towary.c.Twr_TwrId == TraElem.c.TrE_TwrId)
        .where(TraNag.c.TrN_TS_Mod > since, Towary.c.Twr_Typ == GOODS)
        .group_by(Towary.c.Twr_Kod)
    )
    on_cards = select(Towary.c.Twr_Kod.label("code"), Towary.c.Twr_TS_Mod.label("stamp")).where(
        Towary.c.Twr_TS_Mod > since, Towary.c.Twr_Typ == GOODS
    )
    both = union_all(on_documents, on_cards).subquery("changed")
    return select(both.c.code, func.max(both.c.stamp).label("stamp")).group_by(both.c.code).order_by(both.c.code)


COUNTER_SALE_TYPE = 305  # PA: a receipt at the counter, which issues its goods itself


def sales_by_item_query(since: datetime, before: datetime) -> Select:
    """Goods issued per item from ``since`` to ``before`` (the Pulpit's days of cover): the
    lines of confirmed WZ and of counter sales (PA) not issued by a WZ of their own, so a
    quantity is never counted twice; dated by the document (index ``TrNDataDok``)."""
    wz = TraNag.alias("wz")
    # documents a WZ was issued for, read once (uncorrelated: no walk over the WZ per sale)
    issued_by_wz = select(wz.c.TrN_FaId).where(wz.c.TrN_TypDokumentu == WZ_TYPE, wz.c.TrN_FaId.is_not(None))
    sale = and_(
        TraNag.c.TrN_Bufor == 0,
        TraNag.c.TrN_Anulowany == 0,
        TraNag.c.TrN_DataDok >= since,
        TraNag.c.TrN_DataDok < before,
        ((TraNag.c.TrN_TypDokumentu == WZ_TYPE) | ((TraNag.c.TrN_TypDokumentu == COUNTER_SALE_TYPE) & TraNag.c.TrN_TrNID.not_in(issued_by_wz))),
    )
    return (
        select(TraElem.c.TrE_TwrId, func.sum(TraElem.c.TrE_Ilosc).label("sold"))
        .select_from(TraNag)
        .join(TraElem, TraElem.c.TrE_TrNId == TraNag.c.TrN_TrNID)
        .where(sale, TraElem.c.TrE_TwrTyp == GOODS, TraElem.c.TrE_Aktywny != 0)
        .group_by(TraElem.c.TrE_TwrId)
    )


def items_cover_query(warehouse: str, since: datetime, before: datetime) -> Select:
    """Every goods item that left the warehouse from ``since`` to ``before`` with what left,
    its card (group, default supplier) and its available quantity, in one statement: the
    sales (``sales_by_item_query``) as a derived table the cards join to, so the database
    walks the few thousand selling items once instead of being sent their ids back in chunks
    (three round trips and 2,767 parameters at 50,000 cards cost 60 ms of the Pulpit's read)."""
    sold = sales_by_item_query(since, before).subquery("sold")
    return (
        select(
            Towary.c.Twr_TwrId,
            Towary.c.Twr_Kod,
            Towary.c.Twr_Nazwa,
            Towary.c.Twr_JM,
            Towary.c.Twr_TwGGIDNumer,
            Towary.c.Twr_KntId,
            Kontrahenci.c.Knt_Kod,
            _available(),
            sold.c.sold,
        )
        .select_from(sold)
        .join(Towary, Towary.c.Twr_TwrId == sold.c.TrE_TwrId)
        .outerjoin(TwrIlosci, _stock_join(warehouse, before))
        .outerjoin(Kontrahenci, Kontrahenci.c.Knt_KntId == Towary.c.Twr_KntId)
    )


def open_dues_query() -> Select:
    """Receivables of trade documents not settled yet: the order number, what is still open."""
    z = BnkZdarzenia.c
    return select(z.BZd_NumerObcy, (z.BZd_Kwota - z.BZd_KwotaRoz).label("open")).where(
        z.BZd_Rozliczono == OPEN, z.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT, z.BZd_Kierunek == 1
    )


def settled_on_query(day: datetime) -> Select:
    """Settlements of receivables dated ``day`` (index ``BRKChrono``): the order number, amount."""
    k, z = BnkRozKwoty.c, BnkZdarzenia.c
    return (
        select(z.BZd_NumerObcy, k.BRK_Kwota)
        .select_from(BnkRozKwoty)
        .join(BnkZdarzenia, z.BZd_BZdID == k.BRK_LDokID)
        .where(k.BRK_DataDok == day, k.BRK_LDokTyp == SETTLEMENT_DUE, z.BZd_DokumentTyp == DUE_OF_TRADE_DOCUMENT)
    )


def document_count_query(typ: int) -> Select:
    return select(func.count()).select_from(TraNag).where(_live(typ))


def _count_groups(grouped: Select) -> Select:
    """How many groups of ``grouped`` (a GROUP BY ... HAVING COUNT > 1) there are."""
    return select(func.count()).select_from(grouped.subquery("dup"))


def duplicate_invoices_query() -> Select:
    """Order numbers carried by more than one confirmed FA."""
    grouped = (
        select(TraNag.c.TrN_NumerObcy)
        .where(_live(FA_TYPE), TraNag.c.TrN_NumerObcy != "")
        .group_by(TraNag.c.TrN_NumerObcy)
        .having(func.count() > 1)
    )
    return _count_groups(grouped)


def duplicate_wz_query() -> Select:
    """Order numbers whose FA has more than one confirmed WZ."""
    fa = TraNag.alias("fa")
    grouped = (
        select(fa.c.TrN_NumerObcy)
        .select_from(TraNag)
        .join(fa, fa.c.TrN_TrNID == TraNag.c.TrN_FaId)
        .where(_live(WZ_TYPE))
        .group_by(fa.c.TrN_NumerObcy)
        .having(func.count() > 1)
    )
    return _count_groups(grouped)


def payment_count_query() -> Select:
    return select(func.count()).select_from(BnkZapisy).where(BnkZapisy.c.BZp_Kierunek == 1)


def duplicate_payments_query() -> Select:
    """Order numbers settled by more than one money-in record."""
    grouped = (
        _payments_of_dues()
        .with_only_columns(TraNag.c.TrN_NumerObcy)
        .join(TraNag, TraNag.c.TrN_TrNID == BnkZdarzenia.c.BZd_DokumentID)
        .where(_live(FA_TYPE))
        .order_by(None)
        .limit(None)
        .group_by(TraNag.c.TrN_NumerObcy)
        .having(func.count(func.distinct(BnkZapisy.c.BZp_BZpID)) > 1)
    )
    return _count_groups(grouped)


#: Every builder with example arguments, for tests that compile them for another dialect.
ALL_QUERIES = {
    "invoice_by_order": lambda: invoice_by_order_query("1001"),
    "wz_by_invoice": lambda: wz_by_invoice_query(1),
    "payment_by_invoice": lambda: payment_by_invoice_query(1),
    "payment_by_order": lambda: payment_by_order_query("1001"),
    "invoice_header": lambda: invoice_header_query(1),
    "document_lines": lambda: document_lines_query(1),
    "document_vat": lambda: document_vat_query(1),
    "document_dues": lambda: document_dues_query(1),
    "item": lambda: item_query("KUB-001", "MAGAZYN", datetime(2026, 1, 2)),
    "stock": lambda: stock_query("MAGAZYN", datetime(2026, 1, 2)),
    "stock_of_items": lambda: stock_of_items_query("MAGAZYN", datetime(2026, 1, 2), ["KUB-001", "KUB-002"]),
    "stock_changes": lambda: stock_changes_query(datetime(2026, 1, 2, 10, 30)),
    "document_count": lambda: document_count_query(FA_TYPE),
    "duplicate_invoices": lambda: duplicate_invoices_query(),
    "duplicate_wz": lambda: duplicate_wz_query(),
    "payment_count": lambda: payment_count_query(),
    "duplicate_payments": lambda: duplicate_payments_query(),
    "sales_by_item": lambda: sales_by_item_query(datetime(2026, 1, 1), datetime(2026, 1, 31)),
    "items_cover": lambda: items_cover_query("MAGAZYN", datetime(2026, 1, 1), datetime(2026, 1, 31)),
    "open_dues": lambda: open_dues_query(),
    "settled_on": lambda: settled_on_query(datetime(2026, 1, 2)),
}
