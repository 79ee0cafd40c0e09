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

UNVERIFIED: tuple[Unverified, ...] = (
    Unverified("ProgID", "CDN.Rozliczenia", "progid", _SETTLEMENT,
               "a guess after the ProgIDs of the other collections; the name occurs in public code only as a "
               "Comarch ERP XL SQL table"),
    *(Unverified("Rozliczenie", name, "write", _SETTLEMENT, f"BRK_{name}: {_BNKROZKWOTY}")
      for name in ("LDokTyp", "LDokID", "PDokTyp", "PDokID", "Kwota", "DataDok")),
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
