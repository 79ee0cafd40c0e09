"""Every name LinkOptima uses in Optima's COM API, in one list: the ProgIDs, the members of each
object with how they are used (read, written, called), the filter columns given to ``Item``.

Why a list: nothing here can be run against a real Optima before an installer does, so the names
are the writer's contract with the installed version. ``linkoptima optima-probe`` asks the
installed Optima for each of them (``GetIDsOfNames``) before anything is booked, and the tests
hold the writer to this list and the list to what public code is seen using (the team's note
``reference/optima-com.md``; the few names no public code uses are listed, with reasons, in
``tests/optima/com_unverified.py`` and in docs/optima-setup.md).

``purpose`` says who needs a name: every installation (``WRITER``), only the KP booked through COM
(``SETTLE_BY_COM_KP``, the unverified settlement route), or only the probe's test booking
(``PROBE_WRITE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .settings import SETTLE_BY_COM_KP

# --- ProgIDs ------------------------------------------------------------------------------------

APPLICATION = "CDNBase.Application"
RECORDSET = "ADODB.Recordset"
DOCUMENTS = "CDN.DokumentyHaMag"
CONTRACTORS = "CDN.Kontrahenci"
DEFINITIONS = "CDN.DefinicjeDokumentow"
PAYMENT_FORMS = "CDN.FormyPlatnosci"
REGISTERS = "CDN.Rachunki"
CASH_REPORTS = "CDN.RaportyKB"
CASH_RECORDS = "CDN.ZapisyKB"
TRADE_SERVICE = "CDN.SerwisHaMag"
#: In no public code: a collection over ``BnkRozKwoty`` whose properties would be the column names
#: without the prefix. Used only by the unverified KP-through-COM settlement.
SETTLEMENTS = "CDN.Rozliczenia"

READ, WRITE, CALL, PROGID, FILTER = "read", "write", "call", "progid", "filter"
WRITER, PROBE_WRITE = "writer", "probe_write"


@dataclass(frozen=True)
class ComName:
    """One name on one kind of object. ``owner`` is the object's type as the note names it
    (``DokumentHaMag``, ``Kontrahent``…), the ProgID for a collection's own members, ``ProgID``
    for the ProgIDs themselves and ``Filter`` for the columns of ``Item("Col=id")``."""

    owner: str
    name: str
    kind: str
    purpose: str = WRITER


def _names(owner: str, kind: str, names: str, purpose: str = WRITER) -> tuple[ComName, ...]:
    return tuple(ComName(owner, name, kind, purpose) for name in names.split())


_KP = SETTLE_BY_COM_KP

NAMES: tuple[ComName, ...] = (
    *_names("ProgID", PROGID, f"{APPLICATION} {RECORDSET} {DOCUMENTS} {CONTRACTORS} {DEFINITIONS} {PAYMENT_FORMS} "
                              f"{TRADE_SERVICE}"),
    *_names("ProgID", PROGID, f"{REGISTERS} {CASH_REPORTS} {CASH_RECORDS} {SETTLEMENTS}", _KP),
    *_names("Application", CALL, "LockApp Login UnlockApp"),
    *_names("Application", WRITE, "KonfigConnectStr"),
    *_names("Login", CALL, "CreateSession"),
    *_names("Session", CALL, "CreateObject Save"),
    *_names("Session", READ, "Connection"),
    *_names("Recordset", CALL, "Open"),
    *_names(CONTRACTORS, CALL, "AddNew Item"),
    *_names(DOCUMENTS, CALL, "AddNew"),
    *_names(DOCUMENTS, CALL, "Item Delete", PROBE_WRITE),
    *_names(DEFINITIONS, CALL, "Item"),
    *_names(PAYMENT_FORMS, CALL, "Item"),
    *_names(REGISTERS, CALL, "Item", _KP),
    *_names(CASH_REPORTS, CALL, "AddNew Item", _KP),
    *_names(CASH_RECORDS, CALL, "AddNew", _KP),
    *_names(SETTLEMENTS, CALL, "AddNew", _KP),
    *_names("SerwisHaMag", CALL, "AgregujDokumenty"),
    *_names("Kontrahent", WRITE, "Akronim Nazwa1 Nazwa2 Nazwa3 KrajISO Email Telefon Finalny PodatekVAT Export"),
    *_names("Kontrahent", READ, "NumerNIP Adres"),
    *_names("NumerNIP", CALL, "UstawNIP"),
    *_names("Adres", WRITE, "Ulica NrDomu NrLokalu Miasto KodPocztowy Kraj"),
    *_names("DokumentHaMag", WRITE,
            "Rodzaj TypDokumentu Bufor DataDok Podmiot FormaPlatnosci MagazynZrodlowyID TypNB NumerObcy Uwagi"),
    *_names("DokumentHaMag", WRITE, "Korekta OryginalID"),  # a correction, as Comarch's sample makes one
    *_names("DokumentHaMag", READ, "Numerator Elementy"),
    *_names("Numerator", WRITE, "DefinicjaDokumentu"),
    *_names("Elementy", CALL, "AddNew Item"),
    *_names("ElementHaMag", WRITE, "TowarKod Ilosc WartoscNetto CenaT"),
    *_names("ZapisKB", READ, "Numerator", _KP),
    *_names("ZapisKB", WRITE, "Rachunek RaportKB DataDok Kierunek Kwota Podmiot Opis", _KP),
    *_names("RaportKB", WRITE, "Rachunek DataOtw DataZam", _KP),
    *_names("Rozliczenie", WRITE, "LDokTyp LDokID PDokTyp PDokID Kwota DataDok", _KP),
    *_names("Filter", FILTER, "Knt_KntId DDf_DDfID FPl_FPlId Tre_TwrKod"),
    *_names("Filter", FILTER, "TrN_TrNID", PROBE_WRITE),
    *_names("Filter", FILTER, "BRa_BRaID BRp_BRpID", _KP),
)


def names_for(purposes: Iterable[str]) -> tuple[ComName, ...]:
    """The names the given purposes need (``WRITER`` always makes sense to include)."""
    wanted = set(purposes)
    return tuple(name for name in NAMES if name.purpose in wanted)


def members_by_owner(names: Iterable[ComName]) -> dict[str, list[ComName]]:
    """The object members among ``names`` (not ProgIDs or filters), grouped by their owner."""
    grouped: dict[str, list[ComName]] = {}
    for name in names:
        if name.kind not in (PROGID, FILTER):
            grouped.setdefault(name.owner, []).append(name)
    return grouped
