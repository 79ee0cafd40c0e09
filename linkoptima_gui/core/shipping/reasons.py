"""A carrier's refusal in Polish for the exceptions screen, with the carrier's own words kept.

Why both: the warehouse manager acts on the Polish sentence ("kod pocztowy odbiorcy"), while
support and the carrier's hotline want the carrier's code and text exactly as the API gave them
(``INVALID_POSTAL_CODE "Niepoprawny kod pocztowy"``). The codes the console knows are said in
Polish here; an unknown one is named by its field in Polish with the carrier's text. The error's
``details`` carry the carrier's name, its codes and its message, so the screen can name who
refused without parsing the sentence.

The codes are those of the reference and of our emulators (``carriers.md`` §1.1, §1.7): DPD's
``errorCode`` / status strings; Furgonetka's error body names only a field ``path`` (its shape is
unverified), so its known reasons are keyed by path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import PermanentError
from .catalogue import carrier_title


@dataclass(frozen=True)
class Said:
    """One thing a carrier said: its code (or the field path when it gives none), the field it is
    about, and its own text."""

    code: str = ""
    field: str = ""
    text: str = ""


#: carrier -> its code (Furgonetka: the field path) -> what it means, in Polish
KNOWN: dict[str, dict[str, str]] = {
    "dpd": {
        "INVALID_PHONE": "niepoprawny numer telefonu odbiorcy",
        "INVALID_POSTAL_CODE": "niepoprawny kod pocztowy lub adres odbiorcy",
        "INVALID_PUDO": "punkt odbioru DPD Pickup nie istnieje — sprawdź kod punktu w zamówieniu",
        "INVALID_COD_AMOUNT": "niepoprawna kwota pobrania",
        "INVALID_COD_CURRENCY": "waluta pobrania, której DPD nie przyjmuje (PLN, EUR, RON, CZK)",
        "INVALID_WEIGHT": "waga paczki poza zakresem DPD (do 31,5 kg)",
        "EMPTY_RECEIVER_NAME": "brak nazwy odbiorcy",
        "INVALID_PAYER": "numer klienta (FID) płatnika nie należy do tego konta DPD",
        "WAYBILL_NOT_FOUND": "DPD nie zna tych numerów przesyłek",
        "ALREADY_IN_PROTOCOL": "numery przesyłek są już na innym protokole przekazania",
        "PROTOCOL_NOT_FOUND": "DPD nie zna tego protokołu przekazania",
        "UNSPECIFIED_ERROR": "metoda może nie być włączona dla tego numeru FID (zapytaj opiekuna konta DPD)",
        "NOT_PROCESSED": "nie przetworzona, bo DPD odrzucił inną paczkę z tej samej partii",
    },
    "furgonetka": {
        "receiver.phone": "niepoprawny numer telefonu odbiorcy",
        "receiver.postcode": "niepoprawny kod pocztowy lub ulica odbiorcy",
        "receiver.point": "nieznany punkt odbioru w tej sieci",
        "receiver.name": "brak nazwy odbiorcy",
        "service": "Furgonetka nie zna tej usługi (sieci) — popraw mapę metod wysyłki",
        "parcels": "zlecenie bez paczki",
        "parcels[0].weight": "waga paczki poza zakresem przewoźnika (do 31,5 kg)",
        "additional_services.cod.amount": "niepoprawna kwota pobrania",
        "additional_services.cod.iban": "niepoprawny numer konta do pobrań (ustawienia Furgonetki)",
    },
}


def explain(carrier: str, said: Iterable[Said], fields: Mapping[str, str] | None = None) -> str:
    """What the carrier said, in Polish: its known codes by their meaning, the others by the
    field (``fields``: its paths in Polish) and the carrier's text."""
    known, names, parts = KNOWN.get(carrier, {}), fields or {}, []
    for item in said:
        meaning = known.get(item.code)
        if meaning:
            parts.append(meaning)
        else:
            name = names.get(item.field, item.field or "przesyłka")
            parts.append(f"{name}: {item.text or item.code or 'bez opisu'}")
    return "; ".join(dict.fromkeys(parts)) or "bez podania przyczyny"


def originals(said: Iterable[Said]) -> str:
    """The carrier's own codes and words, as it gave them: ``INVALID_PUDO „Nieznany punkt”``."""
    parts = []
    for item in said:
        text = f"„{item.text}”" if item.text else ""
        code = item.code if item.code and item.code != item.field else item.field
        parts.append(" ".join(p for p in (code, text) if p))
    return "; ".join(dict.fromkeys(p for p in parts if p))


def carrier_details(carrier: str, said: Iterable[Said]) -> dict[str, Any]:
    """What the error's ``details`` say of the carrier (the screens read them, never the sentence)."""
    said = list(said)
    return {"carrier": carrier, "carrier_codes": [s.code or s.field for s in said if s.code or s.field],
            "carrier_message": "; ".join(s.text for s in said if s.text)}


def refusal(carrier: str, action: str, said: Iterable[Said], *, reference: str = "", code: str = "carrier_refused",
            fields: Mapping[str, str] | None = None, hint: str = "",
            details: Mapping[str, Any] | None = None) -> PermanentError:
    """The carrier refused: one Polish sentence with the carrier's own words after it."""
    said = list(said)
    order = f", zamówienie {reference}" if reference else ""
    words = originals(said)
    reason = f"{carrier_title(carrier)} odmawia ({action}{order}): {explain(carrier, said, fields)}."
    if hint:
        reason += f" {hint}"
    if words:
        reason += f" Odpowiedź przewoźnika: {words}."
    return PermanentError(reason, code=code, details={**(details or {}), **carrier_details(carrier, said)})
