"""A strict fake of Optima's COM object model, for the COM writer's and the probe's tests on any OS.

Built from ``com_reference.py`` (what public code does with Optima's COM API) plus the names of
``com_unverified.py``, and nothing else: every object exposes only those names, with their kind.
What pywin32's late binding does with anything else, the fake does too:

- an unknown name: reading it raises ``AttributeError("<unknown>.Name")``, setting it
  ``AttributeError("Property '<unknown>.Name' can not be set.")``; ``obj._oleobj_.GetIDsOfNames``
  raises ``DISP_E_UNKNOWNNAME``, as the real ``IDispatch`` does;
- a name used another way than public code uses it (reading a property only ever written, setting
  one only ever read): ``DISP_E_MEMBERNOTFOUND``; a call with an argument count never seen:
  ``DISP_E_BADPARAMCOUNT``;
- a ProgID never seen: ``CO_E_CLASSSTRING``; an ``Item`` filter on a column public code never
  filters on, or on another table's column: ``DISP_E_EXCEPTION``; with ``books`` given, an
  ``Item`` whose row is not in the company database throws too (public code treats a lookup that
  finds nothing as throwing).

It writes no rows: ``Save`` and ``Delete`` are only recorded. What the writer reads back comes
from the company database the test set up. Every call and property set is recorded in order with
its thread (``fake.calls``; ``fake.lines()`` renders them as ``DokumentHaMag#1.Rodzaj = 302000``).
``fake.fail("Session.Save", error, nth=2)`` raises ``error`` at the n-th matching call or set.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Integer, Table, select

from linkoptima_gui.core.optima import schema

from . import com_reference as ref
from .com_unverified import UNVERIFIED

DISP_E_EXCEPTION = -2147352567  # 0x80020009: the server raised an exception (text in excepinfo)
DISP_E_UNKNOWNNAME = -2147352570  # 0x80020006
DISP_E_MEMBERNOTFOUND = -2147352573  # 0x80020003
DISP_E_BADPARAMCOUNT = -2147352562  # 0x8002000E
CO_E_CLASSSTRING = -2147221005  # 0x800401F3
RPC_E_CALL_REJECTED = -2147418111  # 0x80010001: the server is busy
REGDB_E_CLASSNOTREG = -2147221164  # 0x80040154: no such COM class (not installed / wrong bitness)
UNKNOWN = "<unknown>"  # pywin32's name for an object a call returned


class FakeComError(Exception):
    """Shaped like ``pywintypes.com_error``: ``args = (hresult, strerror, excepinfo, argerror)``."""

    def __init__(self, hresult: int, strerror: str, excepinfo: tuple[Any, ...] | None, argerror: int | None):
        super().__init__(hresult, strerror, excepinfo, argerror)
        self.hresult, self.strerror, self.excepinfo, self.argerror = hresult, strerror, excepinfo, argerror


def com_error(
    description: str | None = None, *, hresult: int = DISP_E_EXCEPTION, scode: int = 0, source: str = "CDN"
) -> FakeComError:
    """An error as a COM server raises it: DISP_E_EXCEPTION with its own text, or a bare HRESULT."""
    excepinfo = None if description is None else (0, source, description, None, 0, scode)
    return FakeComError(hresult, "Wystąpił wyjątek." if description else "Błąd COM", excepinfo, None)


@dataclass(frozen=True)
class Call:
    target: str  # the object's label: "Application", "Session#1", "DokumentHaMag#1.Numerator"...
    kind: str  # its type, used to match failures: "Session", "DokumentHaMag", "Collection"...
    owner: str  # as core/optima/com_names.py names it: the type, or a collection's ProgID
    name: str
    args: tuple[Any, ...]
    is_set: bool
    thread: int

    def __str__(self) -> str:
        if self.is_set:
            return f"{self.target}.{self.name} = {self.args[0]!r}"
        return f"{self.target}.{self.name}({', '.join(repr(a) for a in self.args)})"


def _model() -> tuple[dict[str, dict[str, ref.Member]], dict[str, str]]:
    """The reference's types and collections, with the unverified names added."""
    types = {name: dict(members) for name, members in ref.TYPES.items()}
    collections = dict(ref.COLLECTIONS)
    for entry in UNVERIFIED:
        if entry.kind == "progid":
            collections[entry.name.upper()] = "Rozliczenie"
        elif entry.kind in (ref.READ, ref.WRITE, ref.CALL):
            types.setdefault(entry.owner, {})[entry.name] = ref.Member(frozenset({entry.kind}), "unverified")
    return types, collections


#: table prefix of a filter column -> the CDN table it belongs to
_TABLES: dict[str, Table] = {
    "knt": schema.Kontrahenci, "trn": schema.TraNag, "ddf": schema.DokDefinicje, "fpl": schema.FormyPlatnosci,
    "mag": schema.Magazyny, "bra": schema.BnkRachunki, "brp": schema.BnkRaporty, "twr": schema.Towary,
    "tre": schema.TraElem,
}
#: item type -> the prefix of the columns its collection may be filtered on
_PREFIXES = {"Kontrahent": "knt", "DokumentHaMag": "trn", "DefinicjaDokumentu": "ddf", "FormaPlatnosci": "fpl",
             "Magazyn": "mag", "Rachunek": "bra", "RaportKB": "brp", "Towar": "twr", "ElementHaMag": "tre",
             "DefAtrybut": "dea", "Object": "kat"}
_FILTER = re.compile(r"^\s*(?P<column>\w+)\s*=\s*'?(?P<value>[^']*)'?\s*$")


class _Dispatch:
    """``obj._oleobj_``: the object's IDispatch, which only maps names to ids."""

    def __init__(self, obj: FakeObject) -> None:
        self._obj = obj

    def GetIDsOfNames(self, name: str) -> int:  # noqa: N802 - pywin32's spelling
        members = self._obj._state.fake.types.get(self._obj._state.kind, {})
        for dispid, known in enumerate(members, start=1):
            if known.lower() == name.lower():
                return dispid
        raise FakeComError(DISP_E_UNKNOWNNAME, "Nieznana nazwa.", None, None)


@dataclass
class _State:
    fake: FakeOptima
    kind: str  # the type: "DokumentHaMag", "Session", "Collection"...
    label: str  # how calls name it: "DokumentHaMag#1", "Kontrahent[Knt_KntId=5]"...
    owner: str  # as com_names.py names it: the type, a collection's ProgID, or "Elementy"
    username: str = UNKNOWN  # how pywin32 names it in its errors
    item_kind: str = ""  # for a collection: the type AddNew and Item give
    values: dict[str, Any] = field(default_factory=dict)
    children: dict[str, FakeObject] = field(default_factory=dict)


class FakeObject:
    """One COM object: exposes its type's names only, records its calls and property sets."""

    def __init__(self, fake: FakeOptima, kind: str, label: str, *, username: str = UNKNOWN, item_kind: str = "",
                 owner: str = ""):
        object.__setattr__(self, "_state", _State(fake, kind, label, owner or kind, username, item_kind))

    def __repr__(self) -> str:
        return self._state.label

    def _member(self, name: str) -> ref.Member | None:
        return self._state.fake.types.get(self._state.kind, {}).get(name)

    def __getattr__(self, name: str) -> Any:
        state = self._state
        if name == "_oleobj_":
            return _Dispatch(self)
        member = self._member(name)
        if member is None:
            raise AttributeError(f"{state.username}.{name}")
        if ref.CALL in member.kinds:
            return lambda *args: state.fake._call(self, name, member, args)
        if ref.READ not in member.kinds:
            raise FakeComError(DISP_E_MEMBERNOTFOUND, "Nie znaleziono elementu.", None, None)
        if name in state.values:
            return state.values[name]
        if member.returns:
            if name not in state.children:
                state.children[name] = state.fake._child(self, name, member.returns)
            return state.children[name]
        raise AttributeError(f"the fake has no value for {state.label}.{name}: the test must give one")

    def __setattr__(self, name: str, value: Any) -> None:
        state = self._state
        member = self._member(name)
        if member is None:
            raise AttributeError(f"Property '{state.username}.{name}' can not be set.")
        state.fake._record(self, name, (value,), is_set=True)
        if ref.WRITE not in member.kinds:
            raise FakeComError(DISP_E_MEMBERNOTFOUND, "Nie znaleziono elementu.", None, None)
        state.values[name] = value


class FakeOptima:
    """The fake installation. ``books``: the company database ``Item`` look-ups must find rows in."""

    def __init__(self, books: Engine | None = None) -> None:
        self.books = books
        self.types, self.collections = _model()
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self._failures: list[list[Any]] = []
        self._counters: dict[str, int] = {}

    # --- what the session is given ----------------------------------------------------------------

    def dispatch(self, progid: str) -> FakeObject:
        self._log(Call("win32com.client", "win32com", "win32com", "Dispatch", (progid,), False, threading.get_ident()))
        self._maybe_fail("win32com.Dispatch")
        kind = ref.DISPATCHED.get(progid.upper())
        if kind is None:
            raise com_error("Invalid class string", hresult=CO_E_CLASSSTRING)
        label = "Application" if kind == "Application" else self._label(kind)
        return FakeObject(self, kind, label, username=progid)

    @contextmanager
    def apartment(self) -> Iterator[None]:
        self._log(Call("pythoncom", "pythoncom", "pythoncom", "CoInitialize", (), False, threading.get_ident()))
        try:
            yield
        finally:
            self._log(Call("pythoncom", "pythoncom", "pythoncom", "CoUninitialize", (), False, threading.get_ident()))

    # --- what a test asks -------------------------------------------------------------------------

    def fail(self, at: str, error: Exception, *, nth: int = 1) -> None:
        """Raise ``error`` at the ``nth`` call or property set matching ``Type.Name``
        (``win32com.Dispatch`` for the dispatch itself)."""
        self._failures.append([at, nth, error])

    def lines(self) -> list[str]:
        return [str(c) for c in self.calls]

    def threads(self) -> set[int]:
        return {c.thread for c in self.calls}

    def used(self) -> set[tuple[str, str, str]]:
        """(owner, name, kind) of every name used, as ``com_names.py`` lists them: members called
        or set, ProgIDs created, columns filtered on (reads are not recorded)."""
        found: set[tuple[str, str, str]] = set()
        for c in self.calls:
            if c.name in ("Dispatch", "CreateObject"):
                found.add(("ProgID", c.args[0], "progid"))
            if c.name == "Item":
                found.add(("Filter", str(c.args[0]).split("=")[0].strip(), "filter"))
            if c.kind in self.types:
                found.add((c.owner, c.name, "write" if c.is_set else "call"))
        return found

    # --- the model --------------------------------------------------------------------------------

    def _label(self, kind: str) -> str:
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return f"{kind}#{self._counters[kind]}"

    def _log(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def _record(self, obj: FakeObject, name: str, args: tuple[Any, ...], *, is_set: bool) -> None:
        state = obj._state
        self._log(Call(state.label, state.kind, state.owner, name, args, is_set, threading.get_ident()))
        self._maybe_fail(f"{state.kind}.{name}")

    def _maybe_fail(self, key: str) -> None:
        for failure in self._failures:
            if failure[0] == key:
                failure[1] -= 1
                if failure[1] == 0:
                    raise failure[2]

    def _child(self, parent: FakeObject, name: str, returns: str) -> FakeObject:
        label = f"{parent._state.label}.{name}"
        if returns.startswith("Collection:"):
            return FakeObject(self, "Collection", label, item_kind=returns.split(":", 1)[1], owner=name)
        return FakeObject(self, returns, label)

    def _call(self, obj: FakeObject, name: str, member: ref.Member, args: tuple[Any, ...]) -> Any:
        self._record(obj, name, args, is_set=False)
        if member.arities and len(args) not in member.arities:
            raise FakeComError(DISP_E_BADPARAMCOUNT, "Nieprawidłowa liczba parametrów.", None, None)
        state = obj._state
        if state.kind == "Application" and name == "Login":
            return FakeObject(self, "Login", "Login")
        if name == "CreateSession":
            return FakeObject(self, "Session", self._label("Session"))
        if state.kind == "Session" and name == "CreateObject":
            return self._create(args[0])
        if name == "AddNew":
            return FakeObject(self, state.item_kind, self._label(state.item_kind))
        if name == "Item":
            self._find(state.item_kind, args[0])
            return FakeObject(self, state.item_kind, f"{state.item_kind}[{args[0]}]")
        return None

    def _create(self, progid: str) -> FakeObject:
        service = ref.SERVICES.get(progid.upper())
        if service is not None:
            return FakeObject(self, service, service)
        item = self.collections.get(progid.upper())
        if item is None:
            raise com_error(f"Invalid class string {progid}", hresult=CO_E_CLASSSTRING)
        label = progid.split(".", 1)[1]
        return FakeObject(self, "Collection", label, item_kind=item, owner=progid)

    def _find(self, item_kind: str, text: Any) -> None:
        """An ``Item`` filter as public code writes them: ``Col=value`` on the collection's table."""
        match = _FILTER.match(str(text))
        column = match["column"].lower() if match else ""
        if column not in ref.FILTER_COLUMNS or column.split("_")[0] != _PREFIXES.get(item_kind):
            raise com_error(f"Niepoprawny filtr {text!r} dla {item_kind}")
        table = _TABLES.get(column.split("_")[0])
        if self.books is None or table is None:
            return
        found = next(c for c in table.c if c.name.lower() == column)
        value: Any = match["value"]
        if isinstance(found.type, Integer):
            value = int(value)
        with self.books.connect() as conn:
            if conn.execute(select(found).where(found == value).limit(1)).first() is None:
                raise com_error(f"Nie znaleziono obiektu ({text})")


def counting(fake: FakeOptima, name: str) -> Callable[[], int]:
    """How many times ``Type.Name`` was called or set so far (e.g. ``"Session.Save"``)."""
    kind, member = name.split(".")
    return lambda: sum(1 for c in fake.calls if c.kind == kind and c.name == member)
