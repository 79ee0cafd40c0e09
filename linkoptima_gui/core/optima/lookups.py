"""Look-ups the console needs beside its main reads: master data by natural key, an FA's state.

Items by EAN (the packing station scans them), contractors by NIP / e-mail / code, payment forms
and cash/bank registers by the names the settings use, document definitions and their numbering
series, an invoice's KSeF state and the settlement of its payment due. The statements are
builders here (``ALL_LOOKUPS`` lets a test compile every one for SQL Server); ``OptimaLookups``
runs them and returns frozen dataclasses (``lookup_types``), never raw rows, so callers do not
depend on Optima's column names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Engine, Integer, Select, Table, func, literal_column, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from ..domain.money import ZERO
from ..domain.nip import normalize_nip
from . import queries as q
from .lookup_types import (
    ContractorCard,
    DocumentDefinition,
    DueState,
    DueStatus,
    ItemCard,
    KsefState,
    PaymentForm,
    Register,
    Series,
)
from .schema import (
    BnkRachunki,
    BnkZapisy,
    BnkZdarzenia,
    DokDefinicje,
    FormyPlatnosci,
    Kontrahenci,
    Towary,
    TraNag,
    TwrEan,
)
from .settings import OptimaSettings


def _columns(table: Table, names: str) -> list[Column[Any]]:
    """``table``'s columns named in ``names`` (space-separated), in that order."""
    return [table.c[name] for name in names.split()]


_ITEM_COLUMNS = _columns(Towary, "Twr_TwrId Twr_Kod Twr_Nazwa Twr_EAN Twr_JM Twr_Typ Twr_NieAktywny")


def item_by_ean_query(ean: str) -> Select:
    """Items whose main EAN (``Twr_EAN``) or an extra one (``CDN.TwrEan``) is ``ean``.

    Two index seeks joined by UNION ALL rather than one OR over an outer join, which SQL Server
    would answer by scanning the catalogue. Main-EAN matches come first; ``ean_unit`` is the unit
    the scanned code stands for (a box EAN counts boxes). An item whose main EAN is also listed
    in TwrEan (Optima does list it) appears twice; the caller keeps the first.
    """
    main = select(
        *_ITEM_COLUMNS, Towary.c.Twr_JM.label("ean_unit"), literal_column("0", Integer).label("via_extra")
    ).where(Towary.c.Twr_EAN == ean)
    extra = (
        select(
            *_ITEM_COLUMNS, TwrEan.c.TwE_JM.label("ean_unit"), literal_column("1", Integer).label("via_extra")
        )
        .select_from(Towary)
        .join(TwrEan, TwrEan.c.TwE_TwrID == Towary.c.Twr_TwrId)
        .where(TwrEan.c.TwE_EAN == ean)
    )
    matched = union_all(main, extra).subquery("by_ean")
    return select(matched).order_by(matched.c.via_extra, matched.c.Twr_TwrId)


def inactive_items_query() -> Select:
    """Item cards marked inactive: a shop SKU pointing at one cannot be invoiced."""
    return select(*_ITEM_COLUMNS).where(Towary.c.Twr_NieAktywny != 0).order_by(Towary.c.Twr_Kod)


def services_query() -> Select:
    """Service cards (``Twr_Typ`` 0): shipping and fees are booked on them; they have no stock."""
    return select(*_ITEM_COLUMNS).where(Towary.c.Twr_Typ == q.SERVICE).order_by(Towary.c.Twr_Kod)


def _compact_nip(column: ColumnElement[str]) -> ColumnElement[str]:
    """``Knt_Nip`` as digits: operators type it with dashes, spaces or a ``PL`` prefix."""
    text = func.upper(column)
    for noise in ("-", " ", "PL"):
        text = func.replace(text, noise, "")
    return text


def _contractors() -> Select:
    """Contractor columns, active cards first, then the oldest (the one an operator would pick)."""
    k = Kontrahenci.c
    names = "Knt_KntId Knt_Kod Knt_Nazwa1 Knt_Nazwa2 Knt_Nazwa3 Knt_Nip Knt_Email Knt_Miasto Knt_PodatekVat"
    return select(*_columns(Kontrahenci, names), k.Knt_Nieaktywny).order_by(k.Knt_Nieaktywny, k.Knt_KntId)


def contractors_by_nip_query(nip: str) -> Select:
    """Cards whose NIP, as digits, is ``nip`` (compact digits). More than one is a data problem
    an operator must resolve, so all of them are returned."""
    return _contractors().where(_compact_nip(Kontrahenci.c.Knt_Nip) == nip)


def contractors_by_email_query(email: str) -> Select:
    """Cards with the e-mail ``email`` (give it lower-case; the column is compared lower-cased)."""
    return _contractors().where(func.lower(Kontrahenci.c.Knt_Email) == email)


def contractor_by_code_query(code: str) -> Select:
    """The card with ``Knt_Kod`` = ``code`` (unique in Optima)."""
    return _contractors().where(Kontrahenci.c.Knt_Kod == code)


def payment_form_query(name: str) -> Select:
    """The payment form named ``name`` (``FPl_Nazwa`` is unique) with the register it books to."""
    return (
        select(FormyPlatnosci, BnkRachunki.c.BRa_Akronim)
        .select_from(FormyPlatnosci)
        .outerjoin(BnkRachunki, BnkRachunki.c.BRa_BRaID == FormyPlatnosci.c.FPl_BRaId)
        .where(FormyPlatnosci.c.FPl_Nazwa == name)
    )


def registers_query(name: str) -> Select:
    """Cash/bank registers whose acronym (what the settings name) or symbol is ``name``."""
    r = BnkRachunki.c
    names = "BRa_BRaID BRa_Akronim BRa_Symbol BRa_Nazwa BRa_Typ BRa_Waluta BRa_RachunekNr BRa_DDfID"
    return (
        select(*_columns(BnkRachunki, names), r.BRa_Nieaktywny)
        .where(or_(r.BRa_Akronim == name, r.BRa_Symbol == name))
        .order_by(r.BRa_BRaID)
    )


def definitions_query(symbol: str) -> Select:
    """Document definitions with the symbol (FA, WZ, KP...), active ones first."""
    d = DokDefinicje.c
    return (
        select(d.DDf_DDfID, d.DDf_Klasa, d.DDf_Symbol, d.DDf_Nazwa, d.DDf_Numeracja, d.DDf_Nieaktywna)
        .where(d.DDf_Symbol == symbol)
        .order_by(d.DDf_Nieaktywna, d.DDf_DDfID)
    )


def series_query(definition_id: int) -> Select:
    """The numbering series a definition has used: each ``NumerString`` (``FA/@numerS/2026``)
    with its highest number and how many documents carry it. Trade documents keep theirs in
    TraNag, cash/bank records (KP, KW) in BnkZapisy; both are looked at."""
    trade = select(TraNag.c.TrN_NumerString.label("series"), TraNag.c.TrN_NumerNr.label("nr")).where(
        TraNag.c.TrN_DDfId == definition_id
    )
    cash = select(BnkZapisy.c.BZp_NumerString.label("series"), BnkZapisy.c.BZp_NumerNr.label("nr")).where(
        BnkZapisy.c.BZp_DDfID == definition_id
    )
    used = union_all(trade, cash).subquery("used")
    return (
        select(used.c.series, func.max(used.c.nr).label("last_number"), func.count().label("documents"))
        .group_by(used.c.series)
        .order_by(used.c.series)
    )


def ksef_state_query(invoice_id: int) -> Select:
    """What Optima stored about sending the FA to KSeF (number, status, dates, opt-out)."""
    names = (
        "TrN_TrNID TrN_NumerPelny TrN_NrKSeF TrN_KSeFStatus TrN_KSeFStatusId TrN_KSeFReferenceNumber "
        "TrN_KSeFDataWyslania TrN_KSeFDataPrzyjecia TrN_KSeFDataOdebraniaUpo TrN_NieWysylajDokumentuDoKSeF"
    )
    return select(*_columns(TraNag, names)).where(
        TraNag.c.TrN_TrNID == invoice_id, TraNag.c.TrN_TypDokumentu == q.FA_TYPE
    )


def due_state_query(invoice_id: int) -> Select:
    """The FA's receivables summed (one per instalment): amount, settled part, the lowest
    ``BZd_Rozliczono`` (2 only when every due is settled) and the last settlement date."""
    z = BnkZdarzenia.c
    return select(
        func.count().label("dues"),
        func.sum(z.BZd_Kwota).label("amount"),
        func.sum(z.BZd_KwotaRoz).label("settled"),
        func.min(z.BZd_Rozliczono).label("lowest_state"),
        func.max(z.BZd_DataRoz).label("settled_on"),
    ).where(z.BZd_DokumentTyp == q.DUE_OF_TRADE_DOCUMENT, z.BZd_DokumentID == invoice_id, z.BZd_Kierunek == 1)


#: Every builder with example arguments, for tests that compile them for another dialect.
ALL_LOOKUPS: dict[str, Callable[[], Select]] = {
    "item_by_ean": lambda: item_by_ean_query("5901234000007"),
    "inactive_items": inactive_items_query,
    "services": services_query,
    "contractors_by_nip": lambda: contractors_by_nip_query("5260250274"),
    "contractors_by_email": lambda: contractors_by_email_query("biuro@example.com"),
    "contractor_by_code": lambda: contractor_by_code_query("HURT-ORZEL"),
    "payment_form": lambda: payment_form_query("PayU"),
    "registers": lambda: registers_query("PAYU"),
    "definitions": lambda: definitions_query("FA"),
    "series": lambda: series_query(1),
    "ksef_state": lambda: ksef_state_query(1),
    "due_state": lambda: due_state_query(1),
}


def _joined(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _item(row: Mapping[str, Any]) -> ItemCard:
    return ItemCard(
        id=int(row["Twr_TwrId"]),
        code=row["Twr_Kod"],
        name=row["Twr_Nazwa"],
        ean=row["Twr_EAN"] or "",
        unit=row["Twr_JM"] or "",
        is_service=int(row["Twr_Typ"]) == q.SERVICE,
        active=not row["Twr_NieAktywny"],
        ean_unit=row.get("ean_unit") or row["Twr_JM"] or "",
        via_extra_ean=bool(row.get("via_extra", 0)),
    )


def _contractor(row: Mapping[str, Any]) -> ContractorCard:
    return ContractorCard(
        id=int(row["Knt_KntId"]),
        code=row["Knt_Kod"],
        name=_joined(row["Knt_Nazwa1"], row["Knt_Nazwa2"], row["Knt_Nazwa3"]),
        nip=normalize_nip(row["Knt_Nip"] or ""),
        email=row["Knt_Email"] or "",
        city=row["Knt_Miasto"] or "",
        vat_payer=bool(row["Knt_PodatekVat"]),
        active=not row["Knt_Nieaktywny"],
    )


class OptimaLookups:
    """Runs the look-ups against one Optima company (READ UNCOMMITTED on SQL Server, as the
    reader does). ``settings`` name the definitions and payment routes the console uses."""

    def __init__(self, engine: Engine, settings: OptimaSettings | None = None) -> None:
        if engine.dialect.name == "mssql":
            engine = engine.execution_options(isolation_level="READ UNCOMMITTED")
        self._engine = engine
        self._settings = settings or OptimaSettings()

    def _all(self, statement: Select) -> list[Mapping[str, Any]]:
        with self._engine.connect() as conn:
            return list(conn.execute(statement).mappings().all())

    # --- items -----------------------------------------------------------------------------------

    def items_by_ean(self, ean: str) -> tuple[ItemCard, ...]:
        """Every item the code may mean, main-EAN matches first; () for an empty code (services
        and many goods have no EAN, and must not all match a blank scan)."""
        code = (ean or "").strip()
        if not code:
            return ()
        seen: dict[int, ItemCard] = {}
        for row in self._all(item_by_ean_query(code)):
            seen.setdefault(int(row["Twr_TwrId"]), _item(row))
        return tuple(seen.values())

    def inactive_items(self) -> tuple[ItemCard, ...]:
        return tuple(_item(row) for row in self._all(inactive_items_query()))

    def services(self) -> tuple[ItemCard, ...]:
        return tuple(_item(row) for row in self._all(services_query()))

    # --- contractors -----------------------------------------------------------------------------

    def contractors_by_nip(self, nip: str) -> tuple[ContractorCard, ...]:
        """Cards with this NIP however it was typed (``PL 526-025-02-74`` = ``5260250274``)."""
        digits = normalize_nip(nip)
        if not digits:
            return ()
        return tuple(_contractor(row) for row in self._all(contractors_by_nip_query(digits)))

    def contractors_by_email(self, email: str) -> tuple[ContractorCard, ...]:
        wanted = (email or "").strip().lower()
        if not wanted:
            return ()
        return tuple(_contractor(row) for row in self._all(contractors_by_email_query(wanted)))

    def contractor_by_code(self, code: str) -> ContractorCard | None:
        rows = self._all(contractor_by_code_query(code))
        return _contractor(rows[0]) if rows else None

    # --- payment forms, registers, definitions ---------------------------------------------------

    def payment_form(self, name: str) -> PaymentForm | None:
        rows = self._all(payment_form_query(name))
        if not rows:
            return None
        row = rows[0]
        return PaymentForm(
            id=int(row["FPl_FPlId"]),
            name=row["FPl_Nazwa"],
            kind=int(row["FPl_Typ"]),
            days=int(row["FPl_Termin"]),
            register=row["BRa_Akronim"] or "",
            ksef_id=int(row["FPl_KSeFId"]),
            active=not row["FPl_NieAktywny"],
        )

    def payment_form_for(self, method_id: str) -> PaymentForm | None:
        """The form the settings route a shop payment method to, as Optima has it."""
        return self.payment_form(self._settings.route_for(method_id).form)

    def register(self, name: str) -> Register | None:
        """The register with acronym ``name``, else the one with that symbol."""
        rows = sorted(self._all(registers_query(name)), key=lambda r: r["BRa_Akronim"] != name)
        if not rows:
            return None
        row = rows[0]
        return Register(
            id=int(row["BRa_BRaID"]),
            acronym=row["BRa_Akronim"],
            symbol=row["BRa_Symbol"],
            name=row["BRa_Nazwa"],
            kind=int(row["BRa_Typ"]),
            currency=row["BRa_Waluta"],
            account=row["BRa_RachunekNr"] or "",
            definition_id=row["BRa_DDfID"],
            active=not row["BRa_Nieaktywny"],
        )

    def definitions(self, symbol: str) -> tuple[DocumentDefinition, ...]:
        return tuple(
            DocumentDefinition(
                id=int(row["DDf_DDfID"]),
                klasa=int(row["DDf_Klasa"]),
                symbol=row["DDf_Symbol"],
                name=row["DDf_Nazwa"],
                numbering=row["DDf_Numeracja"],
                active=not row["DDf_Nieaktywna"],
            )
            for row in self._all(definitions_query(symbol))
        )

    def definition(self, symbol: str, klasa: int) -> DocumentDefinition | None:
        """The active definition the writers would use (symbol and class), else None."""
        found = [d for d in self.definitions(symbol) if d.klasa == klasa and d.active]
        return found[0] if found else None

    def series(self, definition_id: int) -> tuple[Series, ...]:
        return tuple(
            Series(
                template=row["series"], last_number=int(row["last_number"]), documents=int(row["documents"])
            )
            for row in self._all(series_query(definition_id))
        )

    # --- an invoice's state ----------------------------------------------------------------------

    def ksef_state(self, invoice_id: int) -> KsefState | None:
        """None when there is no FA with this id."""
        rows = self._all(ksef_state_query(invoice_id))
        if not rows:
            return None
        row = rows[0]
        return KsefState(
            invoice_id=int(row["TrN_TrNID"]),
            number=row["TrN_NumerPelny"],
            ksef_number=row["TrN_NrKSeF"] or "",
            status=row["TrN_KSeFStatus"] or "",
            status_id=int(row["TrN_KSeFStatusId"] or 0),
            reference=row["TrN_KSeFReferenceNumber"] or "",
            sent_at=row["TrN_KSeFDataWyslania"],
            accepted_at=row["TrN_KSeFDataPrzyjecia"],
            upo_at=row["TrN_KSeFDataOdebraniaUpo"],
            not_sent_by_choice=bool(row["TrN_NieWysylajDokumentuDoKSeF"]),
        )

    def due_state(self, invoice_id: int) -> DueState:
        """How much of the FA's payment due is settled; ``NO_DUE`` when it has none."""
        row = self._all(due_state_query(invoice_id))[0]
        dues = int(row["dues"])
        amount = Decimal(row["amount"] if row["amount"] is not None else ZERO)
        settled = Decimal(row["settled"] if row["settled"] is not None else ZERO)
        if not dues:
            status = DueStatus.NO_DUE
        elif int(row["lowest_state"]) >= q.SETTLED:
            status = DueStatus.SETTLED
        elif settled > 0:
            status = DueStatus.PARTIAL
        else:
            status = DueStatus.OPEN
        settled_on = row["settled_on"].date() if row["settled_on"] is not None else None
        return DueState(invoice_id, status, dues, amount, settled, amount - settled, settled_on)
