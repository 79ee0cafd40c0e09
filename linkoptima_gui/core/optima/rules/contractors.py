"""Which contractor card (``CDN.Kontrahenci``) is the buyer's, and what a new one holds.

A company is found by its NIP, a private person by e-mail on a card without a NIP: a person gets
a card of their own (not the shared ``!NIEOKREŚLONY!`` card), so the invoice, the KP and later
corrections name them. Both writers look up with the same statements and fill a new card from
the same ``NewCard``, so a buyer booked by the simulated Optima is found again by the COM writer
and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ...domain.nip import InvalidNip, validate_nip
from ...domain.order import Buyer
from ...errors import PermanentError
from ..port import ContractorRef
from ..schema import Kontrahenci
from .columns import ascii_code, country_name, export_kind, fit, split_name, split_street

#: ``Knt_Kod`` is varchar(20) and unique.
KNT_KOD_LENGTH = 20


def company_nip(buyer: Buyer) -> str:
    """The company buyer's NIP, compact and checked; an invalid one stops the order."""
    try:
        return validate_nip(buyer.nip)
    except InvalidNip as exc:
        raise PermanentError(
            f"Niepoprawny NIP nabywcy „{buyer.nip}” ({buyer.display_name})",
            code="invalid_nip",
            details={"nip": buyer.nip, "name": buyer.display_name},
        ) from exc


def find_contractor(conn: Connection, buyer: Buyer, nip: str) -> ContractorRef | None:
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


def person_code(buyer: Buyer) -> str:
    """A readable ASCII code for a person: the e-mail's local part, else the name."""
    local = buyer.email.split("@", 1)[0] if buyer.email else ""
    return ascii_code(local, KNT_KOD_LENGTH) or ascii_code(buyer.person_name, KNT_KOD_LENGTH) or "KLIENT"


def free_code(conn: Connection, base: str) -> str:
    """``base``, or ``base~2``, ``base~3``... cut to 20 characters: Knt_Kod is unique."""
    code = base[:KNT_KOD_LENGTH]
    suffix = 1
    while conn.execute(select(Kontrahenci.c.Knt_KntId).where(Kontrahenci.c.Knt_Kod == code)).first():
        suffix += 1
        tail = f"~{suffix}"
        code = base[: KNT_KOD_LENGTH - len(tail)] + tail
    return code


def check_contractor(conn: Connection, contractor: ContractorRef) -> None:
    """The card an invoice is about to name must still be there."""
    found = conn.execute(
        select(Kontrahenci.c.Knt_KntId).where(Kontrahenci.c.Knt_KntId == contractor.id)
    ).first()
    if found is None:
        raise PermanentError(
            f"Nie ma w Optimie kontrahenta {contractor.code} (id {contractor.id})",
            code="contractor_not_found",
            details={"id": contractor.id, "code": contractor.code},
        )


@dataclass(frozen=True)
class NewCard:
    """A new card's values, cut to Optima's columns; ``company`` when the buyer has a NIP."""

    name1: str
    name2: str
    name3: str
    street: str
    house: str
    flat: str
    city: str
    postcode: str
    country: str
    country_iso: str
    email: str
    phone: str
    company: bool
    export: int


def new_card(buyer: Buyer, nip: str) -> NewCard:
    """What a new card for ``buyer`` holds (``nip``: the checked NIP of a company, else "")."""
    name1, name2, name3 = split_name(buyer.display_name)
    street, house, flat = split_street(buyer.address.street)
    return NewCard(
        name1=name1,
        name2=name2,
        name3=name3,
        street=street,
        house=house,
        flat=flat,
        city=fit(buyer.address.city, 40),
        postcode=fit(buyer.address.postcode, 10),
        country=country_name(buyer.address.country),
        country_iso=fit(buyer.address.country or "PL", 9),
        email=fit(buyer.email, 127),
        phone=fit(buyer.phone, 20),
        company=bool(nip),
        export=export_kind(buyer.address.country),
    )
