"""Optima's COM object model as public code uses it: the data the strict fake is built from.

Transcribed from the team's research note ``reference/optima-com.md`` ("Comarch ERP Optima COM
API: names seen in public code"): exact-string searches over public GitHub code, then the 14
repositories that call Optima's COM API read whole (all C# with the interop assemblies, plus one
script that runs inside Optima). Nothing there was run against a live Optima. The note is not in
this repository (a clean clone has no ``/work/shared``), so this module is the copy the tests
read: §1.1–§1.12 give the objects and members with how each was used, §1.4 the filter columns,
§1.14 the other ProgIDs, §2 the shapes of ``LockApp``/``Login`` and the HRESULTs seen.

``evidence`` keeps the note's words: "seen N" (live code in N repositories), "(S)" (only in the
two copies of Comarch's console sample, one source), "(KB)" (only in one knowledge-base
repository, weak). Names seen only in commented-out code are left out. Kinds are as seen: a name
only ever written is not readable here, though the real object may well allow it.
"""

from __future__ import annotations

from dataclasses import dataclass

READ, WRITE, CALL = "read", "write", "call"


@dataclass(frozen=True)
class Member:
    """A member as public code uses it. ``returns``: the type a read or a call gives (a
    ``Collection:<item>`` for a collection); ``arities``: the argument counts seen for a call."""

    kinds: frozenset[str]
    evidence: str
    returns: str = ""
    arities: tuple[int, ...] = ()


def _m(kinds: str, evidence: str, returns: str = "", arities: tuple[int, ...] = ()) -> Member:
    return Member(frozenset(kinds.split()), evidence, returns, arities)


def _writes(evidence: str, names: str) -> dict[str, Member]:
    return {name: _m(WRITE, evidence) for name in names.split()}


def _reads(evidence: str, names: str) -> dict[str, Member]:
    return {name: _m(READ, evidence) for name in names.split()}


#: type -> member -> how public code uses it
TYPES: dict[str, dict[str, Member]] = {
    # §1.1
    "Application": {
        "LockApp": _m(CALL, "seen 12", arities=(1, 6)),
        "Login": _m(CALL, "seen 12; 3 strings only: 4 repos, + 17 flags: 2, + 18 flags: 8", "Login", (3, 20, 21)),
        "UnlockApp": _m(CALL, "seen 12", arities=(0,)),
        "LoginOut": _m(CALL, "seen 2", arities=(0,)),
        "KonfigConnectStr": _m(WRITE, "seen 3"),
        "AppToday": _m(WRITE, "seen 2"),
        "HASPConnection": _m(READ, "seen 2", "HASPConnection"),
        **_reads("seen 1", "HASPUserName HASPKeyNumber FirstRun"),
        "Configuration": _m(READ, "seen 1", "Configuration"),
    },
    "HASPConnection": _reads("seen 2", "State"),
    "Configuration": _reads("seen 1", "Database"),
    # §1.2
    "Login": {
        "CreateSession": _m(CALL, "seen 12", "Session", (0,)),
        "OperatorParam": _m(READ, "seen 3", "OperatorParam"),
        "OperatorID": _m(READ, "seen 1"),
        "Firm": _m(READ, "seen 1", "Firm"),
        "Application": _m(READ, "seen 1", "Application"),
        "PushBackConnection": _m(CALL, "seen 2", arities=(1,)),
        "CreateObject": _m(CALL, "(S)", "Object", (1,)),
    },
    "OperatorParam": {**_reads("seen 2-3", "ID Akronim"), **_reads("seen 1", "Bank BazStartowa")},
    "Firm": _reads("seen 1", "Name User Password Database Server OrgDostep State LastBackupName "
                              "Trusted_Connection Version"),
    # §1.3
    "Session": {
        "CreateObject": _m(CALL, "seen 12 (a filter as 2nd argument: 1)", "Object", (1, 2)),
        "Save": _m(CALL, "seen 13", arities=(0,)),
        "Connection": _m(READ, "seen 7", "Connection"),
        "ConfigConnection": _m(READ, "(S)"),
        "Login": _m(READ, "seen 5", "Login"),
        "ClearState": _m(CALL, "seen 1", arities=(0,)),
    },
    "Connection": {**_reads("seen 7", "ConnectionString State"), "Open": _m(CALL, "seen 7"),
                   "Execute": _m(CALL, "seen 7")},
    # §1.4: every collection CreateObject gives
    "Collection": {
        "AddNew": _m(CALL, "every repo that writes", "Item", (0, 1)),
        "Item": _m(CALL, "seen 5 (+9 as an indexer)", "Item", (1,)),
        "Delete": _m(CALL, "seen 2 (with an object)", arities=(1,)),
    },
    # §1.5
    "DokumentHaMag": {
        **_writes("seen 9", "Rodzaj TypDokumentu Podmiot"),
        **_writes("seen 8", "Bufor MagazynZrodlowyID"),
        **_writes("seen 7", "DataDok"),
        **_writes("seen 6", "FormaPlatnosci"),
        **_writes("seen 3", "NumerObcy"),
        **_writes("seen 2", "Odbiorca TypNB WalutaSymbol"),
        **_writes("seen 1", "DataWys DataTransportu MagazynDocelowyID DataKur KursM KursL Uwagi Export Kategoria "
                            "OdbEmail OdbTelefon OdbNazwa1 OdbNazwa2 OdbNazwa3"),
        **_writes("(S)", "Korekta OryginalID"),
        "Numerator": _m(READ, "seen 4", "Numerator"),
        "Elementy": _m(READ, "seen 9", "Collection:ElementHaMag"),
        "Atrybuty": _m(READ, "seen 5", "Collection:DokAtrybut"),
        "OdbAdres": _m(READ, "seen 1", "OdbAdres"),
        "NumerPelny": _m(READ, "seen 5 (after Save)"),
        "ID": _m(READ, "seen 4 (after Save)"),
    },
    "OdbAdres": _writes("seen 1", "Ulica NrDomu NrLokalu Miasto KodPocztowy Kraj Poczta Wojewodztwo"),
    # §1.9: on trade documents (seen 3 + 1 for the definition, 1 for the series), KP records (1)
    # and the sample's IDokNag; one numerator type is kept for all
    "Numerator": {"DefinicjaDokumentu": _m(WRITE, "seen 6"), "Rejestr": _m(WRITE, "seen 2")},
    # §1.6
    "ElementHaMag": {
        **_writes("seen 8", "Ilosc"),
        **_writes("seen 5", "TowarKod"),
        **_writes("seen 4 incl. (S)", "WartoscNetto"),
        **_writes("seen 2", "TowarID Towar TowarOpis"),
        **_writes("seen 1", "IloscJM WartoscNettoWal CenaT"),
        "Atrybuty": _m(READ, "seen 1", "Collection:ElementAtrybut"),
        "UstawJednostkeTowaru": _m(CALL, "seen 1", arities=(1,)),
    },
    "ElementAtrybut": _writes("seen 1", "DeAId Wartosc"),
    # §1.7
    "DokAtrybut": {**_writes("seen 2-5", "DefAtrybut Wartosc DeAID"), "Kod": _m(f"{READ} {WRITE}", "seen 3")},
    "KntAtrybut": {**_writes("seen 3", "DefAtrybut Wartosc"), **_writes("seen 1", "ROSaveMode")},
    "DefAtrybut": _writes("seen 5", "Kod Nazwa Format Typ"),
    # §1.8
    "Kontrahent": {
        **_writes("seen 7", "Akronim Nazwa1"),
        **_writes("seen 6", "Nazwa2 Email"),
        **_writes("seen 4", "Telefon Rodzaj_Odbiorca Rodzaj_Dostawca Medialny Kategoria"),
        **_writes("seen 3", "Rodzaj_Konkurencja Rodzaj_Partner Rodzaj_Potencjalny Finalny PodatekVAT Bank"),
        **_writes("seen 2", "Nazwa3 Telefon2 Grupa"),
        **_writes("seen 1", "TelefonSms Export KrajISO Nip KategoriaZak FormaPlatnosci Termin TerminPlat Waluta "
                            "Regon Pesel GLN EAN URL Fax LimitKredytu MaxZwloka SplitPay MetodaKasowa Nieaktywny "
                            "Chroniony Opis Zezwolenie ZakazDokumentowHaMag OpiekunTyp OpiekunID"),
        **{name: _m(READ, "seen 1 (then AddNew)", "Collection:Object") for name in ["Odbiorcy", "Przedstawiciele", "Zgody"]},
        "NazwaPelna": _m(READ, "seen 3"),
        "ID": _m(READ, "seen 4 (after Save)"),
        "NumerNIP": _m(READ, "seen 3", "NumerNIP"),
        "Adres": _m(READ, "seen 7", "Adres"),
        "Adres2": _m(READ, "seen 1", "Adres"),
        "Atrybuty": _m(READ, "seen 3", "Collection:KntAtrybut"),
        "DodajRachunek": _m(CALL, "seen 1"),
    },
    "NumerNIP": {"UstawNIP": _m(CALL, "seen 3 incl. (S)", arities=(3,)), **_writes("seen 2", "Nip NIPKraj")},
    "Adres": {
        **_writes("seen 7", "Ulica Miasto KodPocztowy"),
        **_writes("seen 5", "NrDomu Kraj"),
        **_writes("seen 3", "Gmina Powiat Wojewodztwo"),
        **_writes("seen 2", "NrLokalu Poczta"),
    },
    # §1.9-1.10: looked up and assigned; public code reads no member of theirs
    "DefinicjaDokumentu": {},
    "FormaPlatnosci": {},
    "Rachunek": {},
    "Magazyn": _reads("seen 3", "ID"),
    "Towar": {
        **_writes("seen 5", "Kod Nazwa JM Stawka Flaga"),
        **_writes("(S) + 1", "Opis TwGGIDNumer"),
        **_writes("seen 2", "Masa"),
        **_reads("seen 1", "Nazwa1 Akronim ID"),
        "Grupy": _m(READ, "(S) + 1", "Collection:Object"),
        "Ceny": _m(READ, "(S) + 1", "Collection:Cena"),
    },
    "Cena": {**_writes("(S)", "WartoscNetto WartoscBrutto"), **_writes("seen 1", "Wartosc")},
    # §1.11
    "ZapisKB": {
        **_writes("seen 2", "Rachunek RaportKB Podmiot DefinicjaDokumentu Opis"),
        **_writes("seen 1", "DataDok Kwota KwotaKierunkowa Kierunek"),
        "Numerator": _m(READ, "seen 1", "Numerator"),
    },
    "RaportKB": {**_writes("seen 2", "Rachunek DataZam"), **_writes("seen 1", "DataOtw DataDok Zamkniety")},
    # §1.12
    "SerwisHaMag": {"AgregujDokumenty": _m(CALL, "(S)", arities=(5,))},
    # §4: the recordset the sample hands to AgregujDokumenty
    "Recordset": {"Open": _m(CALL, "(S) + KB script", arities=(5,))},
    # items of collections whose members the note does not list
    "Object": {},
}

#: ProgID (upper case: Windows compares them so) -> the item type of its collection, or for
#: ``SERVICES`` the object CreateObject gives
COLLECTIONS: dict[str, str] = {
    "CDN.DOKUMENTYHAMAG": "DokumentHaMag",  # seen 10
    "CDN.KONTRAHENCI": "Kontrahent",  # seen 11
    "CDN.DEFINICJEDOKUMENTOW": "DefinicjaDokumentu",  # seen 8
    "CDN.FORMYPLATNOSCI": "FormaPlatnosci",  # seen 8
    "CDN.MAGAZYNY": "Magazyn",  # seen 3
    "CDN.TOWARY": "Towar",  # seen 7
    "CDN.ZAPISYKB": "ZapisKB",  # seen 2
    "CDN.RAPORTYKB": "RaportKB",  # seen 2
    "CDN.RACHUNKI": "Rachunek",  # seen 2
    "CDN.DEFATRYBUTY": "DefAtrybut",  # seen 5
    **{progid: "Object" for progid in (  # §1.14
        "CDN.KATEGORIE", "CDN.BANKI", "CDN.SRSZLECENIA", "CDN.WALUTY", "CDN.TWRGRUPY", "CDN.KODYCN", "CDN.TWREAN",
        "CDN.RABATY", "CDN.SRSURZADZENIA", "CDN.PRACOWNICY", "CDN.REJESTRYVAT", "CDN.DOKNAGCOLL", "CDN.DEKRETY",
        "CDN.DZIENNIKI", "CDN.KONTA")},
}
SERVICES: dict[str, str] = {"CDN.SERWISHAMAG": "SerwisHaMag"}  # (S), spelled "Cdn.SerwisHaMag" there
#: ProgIDs created outside Optima's session (``new Application()`` in C#; the sample's recordset)
DISPATCHED: dict[str, str] = {"CDNBASE.APPLICATION": "Application", "ADODB.RECORDSET": "Recordset"}

#: §1.4: raw column names public code puts into ``Item`` filters (compared case-insensitively)
FILTER_COLUMNS = frozenset(name.lower() for name in ["Knt_Kod", "Knt_KntId", "Knt_Nip", "Knt_Email", "TrN_TrNId", "TrN_NumerPelny", "DDf_Symbol", "DDf_DDfID", "FPl_FPlId", "FPl_Nazwa", "Mag_Symbol", "Mag_Typ", "BRa_BRaID", "BRa_Symbol", "BRa_Akronim", "BRp_BRpID", "BRp_NumerPelny", "DeA_Kod", "DeA_Typ", "Kat_KodSzczegol", "Twr_TwrId", "Tre_TwrKod"])

#: §2: HRESULTs public material shows an Optima client getting
HRESULTS: dict[int, str] = {
    0x80040154: "REGDB_E_CLASSNOTREG creating CDNBase.Application, in a committed log (seen 1)",
    0x800401F3: "CO_E_CLASSSTRING for ProgIDs that are not registered (KB)",
}


def all_progids() -> set[str]:
    return set(COLLECTIONS) | set(SERVICES) | set(DISPATCHED)


def member(owner: str, name: str) -> Member | None:
    """A member of a type, or of the collection a ProgID (or ``Elementy``) gives: every collection
    has the same members, whatever its ProgID."""
    if owner == "Elementy" or ("." in owner and owner.upper() not in SERVICES | DISPATCHED):
        owner = "Collection"
    return TYPES.get(owner, {}).get(name)
