"""A recording fake of Optima's COM object model, for the COM writer's tests on any OS.

``FakeOptima`` stands in for ``win32com.client.Dispatch`` (``fake.dispatch``) and for the COM
apartment (``fake.apartment``). Every call and every property set on any object is recorded in
order, with the thread it came from (``fake.calls``; ``fake.lines()`` renders them as text such as
``DokumentHaMag#1.Rodzaj = 302000``). Property reads are not recorded.

The model, as far as the writer uses it: ``CDNBase.Application`` (``LockApp``, ``Login``,
``UnlockApp``) → ``Login.CreateSession()`` → ``Session.CreateObject(progid, None)`` giving
collections (``AddNew(None)``, ``Item(filter)``) or the ``SerwisHaMag`` service, ``Session.Save()``
and ``Session.Connection``; documents with ``Numerator`` and ``Elementy``, contractors with
``Adres`` and ``NumerNIP.UstawNIP``. On ``Save`` the objects added since the last save get an
``ID`` and then the ``after_save`` hooks run, so a test can write into the simulated Optima the
rows the real one would (the writer reads its results back from the books).

``fake.fail("Session.Save", error)`` raises ``error`` at the n-th matching call (``Type.Name``,
a call or a property set); ``com_error`` builds one shaped like ``pywintypes.com_error``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DISP_E_EXCEPTION = -2147352567  # 0x80020009: the server raised an exception (text in excepinfo)
RPC_E_CALL_REJECTED = -2147418111  # 0x80010001: the server is busy
REGDB_E_CLASSNOTREG = -2147221164  # 0x80040154: no such COM class (not installed / wrong bitness)


class FakeComError(Exception):
    """Shaped like ``pywintypes.com_error``: ``args = (hresult, strerror, excepinfo, argerror)``."""

    def __init__(self, hresult: int, strerror: str, excepinfo: tuple[Any, ...] | None, argerror: int | None):
        super().__init__(hresult, strerror, excepinfo, argerror)
        self.hresult, self.strerror, self.excepinfo, self.argerror = hresult, strerror, excepinfo, argerror


def com_error(
    description: str | None = None, *, hresult: int = DISP_E_EXCEPTION, scode: int = 0
) -> FakeComError:
    """An error as Optima raises it: DISP_E_EXCEPTION with its own text, or a bare HRESULT."""
    excepinfo = None if description is None else (0, "CDN", description, None, 0, scode)
    return FakeComError(hresult, "Wystąpił wyjątek." if description else "Błąd COM", excepinfo, None)


@dataclass(frozen=True)
class Call:
    target: str  # the object's label: "Application", "Session#1", "DokumentHaMag#1.Numerator"...
    kind: str  # its type, used to match failures: "Session", "DokumentHaMag"...
    name: str
    args: tuple[Any, ...]
    is_set: bool
    thread: int

    def __str__(self) -> str:
        if self.is_set:
            return f"{self.target}.{self.name} = {self.args[0]!r}"
        return f"{self.target}.{self.name}({', '.join(repr(a) for a in self.args)})"


#: ProgID -> (collection label, item type)
COLLECTIONS = {
    "CDN.DokumentyHaMag": ("DokumentyHaMag", "DokumentHaMag"),
    "CDN.Kontrahenci": ("Kontrahenci", "Kontrahent"),
    "CDN.DefinicjeDokumentow": ("DefinicjeDokumentow", "DefinicjaDokumentu"),
    "CDN.FormyPlatnosci": ("FormyPlatnosci", "FormaPlatnosci"),
    "CDN.Rachunki": ("Rachunki", "Rachunek"),
    "CDN.RaportyKB": ("RaportyKB", "RaportKB"),
    "CDN.ZapisyKB": ("ZapisyKB", "ZapisKB"),
    "CDN.Rozliczenia": ("Rozliczenia", "Rozliczenie"),
}
#: item type -> {property: child type}; a ("collection", item type) child is a collection
CHILDREN: dict[str, dict[str, Any]] = {
    "DokumentHaMag": {"Numerator": "Numerator", "Elementy": ("collection", "ElementHaMag")},
    "ZapisKB": {"Numerator": "Numerator"},
    "Kontrahent": {"Adres": "Adres", "NumerNIP": "NumerNIP"},
    "Session": {"Connection": "Connection"},
}
#: type -> methods it has besides the collection ones
METHODS = {
    "Application": {"LockApp", "Login", "UnlockApp"},
    "Login": {"CreateSession"},
    "Session": {"CreateObject", "Save"},
    "SerwisHaMag": {"AgregujDokumenty"},
    "NumerNIP": {"UstawNIP"},
    "Recordset": {"Open"},
}


@dataclass
class _State:
    fake: FakeOptima
    kind: str  # the type: "DokumentHaMag", "Session"...
    label: str  # how calls name it: "DokumentHaMag#1", "Kontrahent[Knt_KntId=5]"...
    item_kind: str = ""  # for a collection: the type AddNew and Item give
    session: Any = None  # the Session it belongs to (pending calls, IDs on save)
    values: dict[str, Any] = field(default_factory=dict)
    children: dict[str, FakeObject] = field(default_factory=dict)


class FakeObject:
    """One COM object: records its calls and property sets, answers reads of what was set."""

    def __init__(self, fake: FakeOptima, kind: str, label: str, *, item_kind: str = "", session: Any = None):
        object.__setattr__(self, "_state", _State(fake, kind, label, item_kind, session))

    def __repr__(self) -> str:
        return self._state.label

    def __getattr__(self, name: str) -> Any:
        state = self._state
        if name in state.values:
            return state.values[name]
        if name in state.children:
            return state.children[name]
        child = CHILDREN.get(state.kind, {}).get(name)
        if child is not None:
            label = f"{state.label}.{name}"
            if isinstance(child, tuple):
                made = FakeObject(state.fake, name, label, item_kind=child[1], session=state.session)
            else:
                made = FakeObject(state.fake, child, label, session=state.session)
            state.children[name] = made
            return made
        if name in METHODS.get(state.kind, set()) or (state.item_kind and name in ("AddNew", "Item")):
            return lambda *args: state.fake._call(self, name, args)
        raise AttributeError(f"{state.label} has no {name}")

    def __setattr__(self, name: str, value: Any) -> None:
        self._state.fake._record(self, name, (value,), is_set=True)
        self._state.values[name] = value


@dataclass
class FakeOptima:
    """The fake Optima installation; see the module docstring."""

    calls: list[Call] = field(default_factory=list)
    _failures: list[list[Any]] = field(default_factory=list)
    _hooks: list[Callable[[FakeObject], None]] = field(default_factory=list)
    _counters: dict[str, int] = field(default_factory=dict)
    _next_id: int = 9001
    _unsaved: dict[int, list[FakeObject]] = field(default_factory=dict)
    pending: dict[int, list[Call]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what the session is given ----------------------------------------------------------------

    def dispatch(self, progid: str) -> FakeObject:
        self._log(Call("win32com.client", "win32com", "Dispatch", (progid,), False, threading.get_ident()))
        self._maybe_fail("win32com.Dispatch")
        if progid == "CDNBase.Application":
            return FakeObject(self, "Application", "Application")
        if progid == "ADODB.Recordset":
            return FakeObject(self, "Recordset", self._label("Recordset"))
        raise com_error("Invalid class string", hresult=REGDB_E_CLASSNOTREG)

    @contextmanager
    def apartment(self) -> Iterator[None]:
        self._log(Call("pythoncom", "pythoncom", "CoInitialize", (), False, threading.get_ident()))
        try:
            yield
        finally:
            self._log(Call("pythoncom", "pythoncom", "CoUninitialize", (), False, threading.get_ident()))

    # --- what a test asks -------------------------------------------------------------------------

    def fail(self, at: str, error: Exception, *, nth: int = 1) -> None:
        """Raise ``error`` at the ``nth`` call or property set matching ``Type.Name``
        (``win32com.Dispatch`` for the dispatch itself)."""
        self._failures.append([at, nth, error])

    def after_save(self, hook: Callable[[FakeObject], None]) -> None:
        """``hook(session)`` after every successful ``Save``; ``fake.pending[id(session)]`` still
        holds the calls made in that session since its previous save."""
        self._hooks.append(hook)

    def lines(self) -> list[str]:
        return [str(c) for c in self.calls]

    def threads(self) -> set[int]:
        return {c.thread for c in self.calls}

    def saved_in(self, session: FakeObject, name: str) -> bool:
        """Whether a call named ``name`` happened in ``session`` since its previous save."""
        return any(c.name == name for c in self.pending.get(id(session), []))

    # --- the model --------------------------------------------------------------------------------

    def _label(self, kind: str) -> str:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return f"{kind}#{self._counters[kind]}"

    def _log(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def _record(self, obj: FakeObject, name: str, args: tuple[Any, ...], *, is_set: bool) -> None:
        state = obj._state
        call = Call(state.label, state.kind, name, args, is_set, threading.get_ident())
        self._log(call)
        if state.session is not None:
            self.pending.setdefault(id(state.session), []).append(call)
        self._maybe_fail(f"{state.kind}.{name}")

    def _maybe_fail(self, key: str) -> None:
        for failure in self._failures:
            if failure[0] == key:
                failure[1] -= 1
                if failure[1] == 0:
                    raise failure[2]

    def _call(self, obj: FakeObject, name: str, args: tuple[Any, ...]) -> Any:
        self._record(obj, name, args, is_set=False)
        state = obj._state
        kind, session = state.kind, state.session
        if kind == "Application" and name == "Login":
            return FakeObject(self, "Login", "Login")
        if kind == "Login":
            made = FakeObject(self, "Session", self._label("Session"))
            made._state.session = made
            return made
        if kind == "Session" and name == "CreateObject":
            return self._create(args[0], obj)
        if kind == "Session" and name == "Save":
            return self._save(obj)
        if name == "AddNew":
            item_kind = state.item_kind
            made = FakeObject(self, item_kind, self._label(item_kind), session=session)
            self._unsaved.setdefault(id(session), []).append(made)
            return made
        if name == "Item":
            return FakeObject(self, state.item_kind, f"{state.item_kind}[{args[0]}]", session=session)
        return None

    def _create(self, progid: str, session: FakeObject) -> FakeObject:
        if progid == "CDN.SerwisHaMag":
            return FakeObject(self, "SerwisHaMag", "SerwisHaMag", session=session)
        if progid not in COLLECTIONS:
            raise com_error(f"Nieznany obiekt {progid}", hresult=-2147221005)  # CO_E_CLASSSTRING
        label, item_kind = COLLECTIONS[progid]
        return FakeObject(self, label, label, item_kind=item_kind, session=session)

    def _save(self, session: FakeObject) -> None:
        for made in self._unsaved.pop(id(session), []):
            made._state.values.setdefault("ID", self._next_id)
            self._next_id += 1
        for hook in self._hooks:
            hook(session)
        self.pending.pop(id(session), None)
