"""The COM names LinkOptima uses that no public code is seen using: the one list of them.

Every other name the writer and the probe use is in ``com_reference.py`` (what public code does
with Optima's COM API). These are not: each says why the writer still needs it and where the name
comes from. The strict fake accepts them as well (the writer must run in the tests), ``docs/
optima-setup.md`` prints the same list under "to check on a test company" (a test compares the
two), and ``linkoptima optima-probe`` asks the installed Optima for each name before anything is
booked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unverified:
    """``owner``/``name``/``kind`` as in ``core/optima/com_names.py``."""

    owner: str
    name: str
    kind: str
    reason: str
    source: str


_SETTLEMENT = "the KP-through-COM route settles the FA's due with the KP; no public code settles through COM"
_BNKROZKWOTY = "a column of CDN.BnkRozKwoty without its BRK_ prefix, as other objects' properties are named"
_RETRY = "a busy or vanished Optima is retried after a new login instead of going to a person"
_MICROSOFT_RPC = "Microsoft's meaning of the HRESULT (winerror.h); no public Optima client is seen getting it"
_NAME = "names a COM name the installed Optima lacks, for a person, instead of a bare error"
_MICROSOFT_DISP = "IDispatch's own answer (Microsoft's documentation); no public Optima client is seen getting it"

_SAMPLE = ("Comarch's sample \"Przykład 6. - Korekta FA\" (the only public code that makes a correction) sets only "
           "Rodzaj, TypDokumentu, Korekta, Bufor = 1, OryginalID and Ilosc")
_READ_BACK = "the correction is read back after the save and a change other than the one asked for stops it for a person"

UNVERIFIED: tuple[Unverified, ...] = (
    Unverified("ProgID", "CDN.Rozliczenia", "progid", _SETTLEMENT,
               "a guess after the ProgIDs of the other collections; the name occurs in public code only as a "
               "Comarch ERP XL SQL table"),
    *(Unverified("Rozliczenie", name, "write", _SETTLEMENT, f"BRK_{name}: {_BNKROZKWOTY}")
      for name in ("LDokTyp", "LDokID", "PDokTyp", "PDokID", "Kwota", "DataDok")),
    Unverified("ElementHaMag", "Ilosc", "meaning",
               f"a quantity correction gives each line's quantity after the correction (the setting "
               f"com_correction_quantity, \"after\" by default, or \"delta\"); {_READ_BACK}",
               f"{_SAMPLE}: the example sets 1 on a line of 2, but nothing says whether that is the quantity after "
               "or the change (reference/corrections.md §3.3)"),
    *(Unverified("ElementHaMag", name, "meaning",
                 f"a value correction gives the line's {what} after the correction; {_READ_BACK}",
                 f"{_SAMPLE}: value corrections (302002) appear there only as a comment")
      for name, what in (("WartoscNetto", "net value (net prices)"), ("CenaT", "unit gross price (gross prices)"))),
    Unverified("DokumentHaMag", "Bufor", "meaning",
               "a correction the engine books confirmed gets Bufor = 0 (the WZ correction and the stock come with it)",
               f"{_SAMPLE}: the sample leaves its correction in the buffer; no public code confirms one"),
    Unverified("DokumentHaMag", "Uwagi", "meaning",
               "a correction's reason from the shop goes into Uwagi (the property for TrN_KorektaZTytulu is unknown)",
               "Uwagi is the FA's remark in one public client; no public code sets a correction's reason"),
    *(Unverified("HRESULT", code, "hresult", _RETRY, f"{symbol}: {_MICROSOFT_RPC}")
      for code, symbol in (("0x80010001", "RPC_E_CALL_REJECTED"), ("0x8001010A", "RPC_E_SERVERCALL_RETRYLATER"),
                           ("0x80010108", "RPC_E_DISCONNECTED"), ("0x800706BA", "RPC_S_SERVER_UNAVAILABLE"),
                           ("0x800706BE", "RPC_S_CALL_FAILED"), ("0x80080005", "CO_E_SERVER_EXEC_FAILURE"))),
    *(Unverified("HRESULT", code, "hresult", _NAME, f"{symbol}: {_MICROSOFT_DISP}")
      for code, symbol in (("0x80020006", "DISP_E_UNKNOWNNAME"), ("0x80020003", "DISP_E_MEMBERNOTFOUND"),
                           ("0x8002000E", "DISP_E_BADPARAMCOUNT"), ("0x80020005", "DISP_E_TYPEMISMATCH"))),
)


def unverified(owner: str, name: str) -> Unverified | None:
    for entry in UNVERIFIED:
        if entry.owner == owner and entry.name.lower() == name.lower():
            return entry
    return None
