"""Optima's COM failures as the project's errors: by HRESULT first, then by the exception's source,
and only then, for a more specific label, by words of the message.

What public material says (the team's note ``reference/optima-com.md`` §2, and Microsoft's
documentation of COM, IDispatch and ADO):

- ``0x80040154`` (class not registered) was logged by a public Optima client creating
  ``CDNBase.Application``; ``0x800401F3`` (invalid class string) is what an unregistered ProgID
  gives. Both mean this Python cannot see Optima's objects (not installed, or another bitness).
- ``DISP_E_UNKNOWNNAME``, ``DISP_E_MEMBERNOTFOUND``, ``DISP_E_BADPARAMCOUNT`` and
  ``DISP_E_TYPEMISMATCH`` are IDispatch's answers to a name, call shape or value the object does
  not have: the installed Optima differs from what the writer was written against. pywin32 turns
  an unknown name into ``AttributeError`` ("Property 'X.Y' can not be set." / "X.Y") before it
  reaches Optima; ``name_failure`` maps that one.
- An ADO error carries the source ``ADODB.<object>``: the recordset the writer opens on Optima's
  connection (WZ from FA) failed, not Optima's own objects.
- The RPC "busy / disconnected / server gone" HRESULTs are Microsoft's; no public Optima client is
  seen handling them (listed as unverified in docs/optima-setup.md). They are the only errors that
  are retried by themselves.

No Optima business-rule message (closed report, unknown item, stock shortage) is quoted in any
public source. The words in ``_TEXT_RULES`` are our guesses: they only pick a more specific code
and reason for a person, never decide a retry. Anything else is ``optima_rejected`` with the whole
text, the source and both HRESULTs kept in ``details``: an exception for a person, never a loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import PermanentError, RetryableError, StepError


def _hr(value: int) -> int:
    """An HRESULT as pywin32 reports it (signed 32-bit)."""
    return value - (1 << 32) if value >= 1 << 31 else value


def hresult_text(hresult: int) -> str:
    return f"0x{hresult & 0xFFFFFFFF:08X}"


#: The server raised an exception of its own: its HRESULT and text are in ``excepinfo``.
DISP_E_EXCEPTION = _hr(0x80020009)
DISP_E_UNKNOWNNAME = _hr(0x80020006)
DISP_E_MEMBERNOTFOUND = _hr(0x80020003)
DISP_E_TYPEMISMATCH = _hr(0x80020005)
DISP_E_BADPARAMCOUNT = _hr(0x8002000E)
REGDB_E_CLASSNOTREG = _hr(0x80040154)
CO_E_CLASSSTRING = _hr(0x800401F3)
RPC_E_CALL_REJECTED = _hr(0x80010001)
RPC_E_SERVERCALL_RETRYLATER = _hr(0x8001010A)
RPC_E_DISCONNECTED = _hr(0x80010108)
RPC_S_SERVER_UNAVAILABLE = _hr(0x800706BA)
RPC_S_CALL_FAILED = _hr(0x800706BE)
CO_E_SERVER_EXEC_FAILURE = _hr(0x80080005)

#: Busy, disconnected or unreachable (Microsoft's meanings): retried after a new login.
UNAVAILABLE = frozenset({RPC_E_CALL_REJECTED, RPC_E_SERVERCALL_RETRYLATER, RPC_E_DISCONNECTED,
                         RPC_S_SERVER_UNAVAILABLE, RPC_S_CALL_FAILED, CO_E_SERVER_EXEC_FAILURE})
#: Optima's objects are not registered for this Python.
NOT_REGISTERED = frozenset({REGDB_E_CLASSNOTREG, CO_E_CLASSSTRING})
#: The object has no such name, or not with that call shape or value type.
NAME_UNKNOWN = frozenset({DISP_E_UNKNOWNNAME, DISP_E_MEMBERNOTFOUND, DISP_E_BADPARAMCOUNT})

_PROBE_HINT = "uruchom „linkoptima optima-probe” na komputerze z Optimą"


@dataclass(frozen=True)
class ComErrorParts:
    """What a ``pywintypes.com_error`` carries: the call's HRESULT, the server's own code (``scode``
    of ``excepinfo``, 0 when none), its text and its source."""

    hresult: int
    scode: int
    text: str
    source: str

    @property
    def code(self) -> int:
        """The HRESULT that says most: the server's own, when it gave one."""
        return self.scode or self.hresult

    def details(self) -> dict[str, str]:
        found = {"hresult": hresult_text(self.hresult), "optima": self.text, "source": self.source}
        if self.scode:
            found["scode"] = hresult_text(self.scode)
        return found


def com_error_parts(exc: BaseException) -> ComErrorParts | None:
    """The parts of an exception shaped like ``pywintypes.com_error``, or ``None``.

    pywin32 gives ``args = (hresult, strerror, excepinfo, argerror)`` with ``excepinfo = (wcode,
    source, description, helpfile, helpcontext, scode)`` or ``None``; newer versions also expose
    them as attributes.
    """
    args = exc.args
    hresult = getattr(exc, "hresult", args[0] if len(args) == 4 else None)
    if not isinstance(hresult, int):
        return None
    strerror = getattr(exc, "strerror", args[1] if len(args) > 1 else "") or ""
    info = getattr(exc, "excepinfo", args[2] if len(args) > 2 else None)
    source = description = ""
    scode = 0
    if isinstance(info, tuple) and len(info) >= 3:
        source, description = info[1] or "", info[2] or ""
        if isinstance(info[-1], int):
            scode = _hr(info[-1] & 0xFFFFFFFF)
    return ComErrorParts(_hr(hresult & 0xFFFFFFFF), scode, str(description or strerror).strip(), str(source))


@dataclass(frozen=True)
class _TextRule:
    """A guess from words of Optima's message: every group must occur (any of its ``|`` words)."""

    code: str
    reason: str
    groups: tuple[str, ...]

    def matches(self, lowered: str) -> bool:
        return all(any(word in lowered for word in group.split("|")) for group in self.groups)


_MISSING = "nie istnieje|nie znaleziono|nie odnaleziono|brak"
#: Optima's exact texts are not published: these guesses only label a permanent error.
_TEXT_RULES = (
    _TextRule("optima_busy", "Optima odmówiła, bo dane lub licencje są zajęte ({text}): ponów krok, "
              "gdy się zwolnią", ("zablokowan|blokad|zajęt|zakleszcz|deadlock|licencj",)),
    _TextRule("optima_conflict", "Optima odrzuciła zapis, bo numer lub kod jest już zajęty ({text}): "
              "sprawdź w Optimie i ponów", ("duplikat|zduplikowan|unikatow",)),
    _TextRule("report_closed", "Raport kasowy/bankowy jest zamknięty: {text}", ("raport", "zamknięt|zamkniet")),
    _TextRule("insufficient_stock", "Za mało towaru w magazynie: {text}",
              ("magazyn|ilość|ilości|zasob", "niewystarczając|za mało|ujemn|przekracza|brak")),
    _TextRule("unknown_sku", "Optima nie zna towaru: {text}", ("towar|artykuł", _MISSING)),
    _TextRule("contractor_not_found", "Optima nie zna kontrahenta: {text}", ("kontrahent", _MISSING)),
    _TextRule("optima_config", "Operator LinkOptima nie ma w Optimie uprawnień: {text}", ("uprawnie",)),
    _TextRule("optima_config", "Optima odmówiła logowania: {text}",
              ("hasło|operator|firm", "nieprawidłow|niepoprawn|nie istnieje|błędn|brak")),
)


def com_failure(exc: BaseException) -> StepError | None:
    """The project's error for a COM failure, or ``None`` when ``exc`` is not one."""
    parts = com_error_parts(exc)
    if parts is None:
        return name_failure(exc)
    details = parts.details()
    shown = parts.text or details["hresult"]
    code = parts.code
    if code in UNAVAILABLE or parts.hresult in UNAVAILABLE:
        return RetryableError(f"Optima nie odpowiada ({shown}); spróbuję ponownie",
                              code="optima_unavailable", details=details)
    if code in NOT_REGISTERED or parts.hresult in NOT_REGISTERED:
        return PermanentError(
            "Obiekty COM Optimy nie są zarejestrowane dla tego Pythona: sprawdź, czy Optima jest "
            "zainstalowana na tym komputerze i czy Python ma tę samą bitowość (32/64) co Optima",
            code="optima_config", details=details)
    if code in NAME_UNKNOWN or parts.hresult in NAME_UNKNOWN:
        return PermanentError(f"Zainstalowana Optima nie ma w API COM tego, czego używa LinkOptima ({shown}): "
                              f"{_PROBE_HINT}", code="optima_com_name", details=details)
    if code == DISP_E_TYPEMISMATCH or parts.hresult == DISP_E_TYPEMISMATCH:
        return PermanentError(f"Optima nie przyjęła wartości tego typu ({shown}): {_PROBE_HINT}",
                              code="optima_com_name", details=details)
    if parts.source.upper().startswith("ADODB."):
        return PermanentError(f"Zapytanie do bazy Optimy przez ADO nie powiodło się ({parts.source}: {shown})",
                              code="optima_database", details=details)
    lowered = parts.text.lower()
    for rule in _TEXT_RULES:
        if rule.matches(lowered):
            return PermanentError(rule.reason.format(text=parts.text), code=rule.code, details=details)
    return PermanentError(f"Optima odrzuciła zapis: {shown}", code="optima_rejected", details=details)


#: pywin32's own words for a name its IDispatch lookup did not find (``win32com.client.dynamic``)
_PYWIN32_UNKNOWN = re.compile(r"^(?:Property '(?P<set>[^']+)' can not be set\.|(?P<get>[\w<>.]+\.\w+))$")


def name_failure(exc: BaseException) -> StepError | None:
    """pywin32's ``AttributeError`` for a name Optima's object does not have, or ``None``."""
    if not isinstance(exc, AttributeError):
        return None
    match = _PYWIN32_UNKNOWN.match(str(exc))
    if match is None:
        return None
    name = match["set"] or match["get"]
    return PermanentError(f"Obiekt Optimy nie ma nazwy {name} w swoim API COM: {_PROBE_HINT}",
                          code="optima_com_name",
                          details={"hresult": hresult_text(DISP_E_UNKNOWNNAME), "name": name, "optima": str(exc)})


def failure_reason(exc: BaseException) -> str:
    """One sentence for any exception a COM call raised: the project's reason when it is a COM
    failure, else the exception itself (for reports that list what went wrong)."""
    failure = com_failure(exc)
    return failure.reason if failure is not None else f"{type(exc).__name__}: {exc}"
