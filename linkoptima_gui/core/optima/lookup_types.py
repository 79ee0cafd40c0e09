"""What ``OptimaLookups`` returns: small frozen records named in the console's words.

Kept apart from the statements so that callers (engine, screens, settings checks) can import the
types without SQLAlchemy's query builders, and so that a record can be compared whole in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .schema import full_number


@dataclass(frozen=True)
class ItemCard:
    """An item card (``CDN.Towary``) as found by EAN, or listed as inactive or a service."""

    id: int
    code: str  # Twr_Kod = the shop SKU
    name: str
    ean: str  # the main EAN (Twr_EAN)
    unit: str  # the item's base unit (Twr_JM)
    is_service: bool  # Twr_Typ 0: no stock, no WZ line
    active: bool
    #: the unit the EAN that found the item stands for (an extra EAN may count boxes)
    ean_unit: str = ""
    #: found through an extra EAN (CDN.TwrEan), not the main one
    via_extra_ean: bool = False


@dataclass(frozen=True)
class ContractorCard:
    """A contractor card (``CDN.Kontrahenci``)."""

    id: int
    code: str  # Knt_Kod
    name: str  # Knt_Nazwa1..3 joined
    nip: str  # digits only, empty for a private person
    email: str
    city: str
    vat_payer: bool
    active: bool


@dataclass(frozen=True)
class PaymentForm:
    """A payment form (``CDN.FormyPlatnosci``) and the register its payments go to."""

    id: int
    name: str
    kind: int  # FPl_Typ: 1 cash, 2 transfer, 5 card (Optima's own codes)
    days: int  # payment term
    register: str  # BRa_Akronim, empty when the form books to no register (cash on delivery)
    ksef_id: int  # the KSeF payment-form code Optima sends
    active: bool


@dataclass(frozen=True)
class Register:
    """A cash or bank register (``CDN.BnkRachunki``)."""

    id: int
    acronym: str  # BRa_Akronim: how the settings name it
    symbol: str  # BRa_Symbol: what KP numbers may carry (@rejestr)
    name: str
    kind: int  # BRa_Typ: 1 cash, 2 bank account
    currency: str
    account: str
    definition_id: int | None  # the KP/KW definition of the register, if set
    active: bool


@dataclass(frozen=True)
class DocumentDefinition:
    """A document definition (``CDN.DokDefinicje``)."""

    id: int
    klasa: int  # = TrN_TypDokumentu for trade documents (302 FA, 306 WZ), 202 KP, 201 KW
    symbol: str
    name: str
    numbering: str  # template, e.g. @symbol/@numerS/@rok_kal
    active: bool


@dataclass(frozen=True)
class Series:
    """One numbering series a definition has used (per year, register... as its template says)."""

    template: str  # the stored NumerString, e.g. FA/@numerS/2026
    last_number: int
    documents: int

    @property
    def last_full_number(self) -> str:
        """The printed number of the last document in the series (``FA/17/2026``)."""
        return full_number(self.template, self.last_number)


@dataclass(frozen=True)
class KsefState:
    """What Optima keeps about an FA's trip to KSeF (it sends; the console only reads)."""

    invoice_id: int
    number: str  # TrN_NumerPelny
    ksef_number: str  # TrN_NrKSeF, empty until KSeF accepted the invoice
    status: str  # TrN_KSeFStatus as Optima shows it
    status_id: int
    reference: str  # the KSeF reference number of the sending
    sent_at: datetime | None
    accepted_at: datetime | None
    upo_at: datetime | None
    not_sent_by_choice: bool  # "Nie wysyłaj do KSeF" set on the document

    @property
    def accepted(self) -> bool:
        return bool(self.ksef_number)


class DueStatus(StrEnum):
    NO_DUE = "no_due"  # the document created no receivable
    OPEN = "open"  # nothing settled
    PARTIAL = "partial"  # part of the amount settled
    SETTLED = "settled"  # every due of the document settled


@dataclass(frozen=True)
class DueState:
    """Settlement of an FA's payment due(s) in ``CDN.BnkZdarzenia``."""

    invoice_id: int
    status: DueStatus
    dues: int
    amount: Decimal
    settled: Decimal
    left: Decimal
    settled_on: date | None  # date of the last settlement
