"""Does the installed Optima have every COM name the writer uses? Asked, not tried.

For each kind of object the writer touches, the probe gets one object of that kind the way the
writer would (``CreateObject`` for a collection or a service, ``AddNew`` for a new document, card
or record, the property for a part such as ``Numerator`` or ``Adres``) and asks its ``IDispatch``
for each name with ``GetIDsOfNames``: nothing is set, no method of the checked names is called,
and the session the new objects live in is never saved, so nothing reaches the books. A ProgID
is checked by creating it. A name the object does not know comes back as ``DISP_E_UNKNOWNNAME``.

pywin32's ``obj._oleobj_`` is the object's ``PyIDispatch``; ``GetIDsOfNames(name)`` gives the id
or raises. That attribute and that call are the whole of what this module needs from pywin32.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..com_errors import DISP_E_UNKNOWNNAME, com_error_parts, failure_reason
from ..com_names import (
    APPLICATION,
    CASH_RECORDS,
    CASH_REPORTS,
    CONTRACTORS,
    DOCUMENTS,
    FILTER,
    PROGID,
    RECORDSET,
    SETTLEMENTS,
    TRADE_SERVICE,
    ComName,
    members_by_owner,
)
from ..com_session import ComContext

#: How to get an object of each kind without saving anything: ("application"), ("login"),
#: ("session"), ("dispatch", ProgID), ("create", ProgID), ("new", owner to AddNew on), ("part",
#: owner, property). A ProgID as the owner stands for its collection.
REACH: Mapping[str, tuple[str, ...]] = {
    "Application": ("application",),
    "Login": ("login",),
    "Session": ("session",),
    "Recordset": ("dispatch", RECORDSET),
    "SerwisHaMag": ("create", TRADE_SERVICE),
    "DokumentHaMag": ("new", DOCUMENTS),
    "Numerator": ("part", "DokumentHaMag", "Numerator"),
    "Elementy": ("part", "DokumentHaMag", "Elementy"),
    "ElementHaMag": ("new", "Elementy"),
    "Kontrahent": ("new", CONTRACTORS),
    "NumerNIP": ("part", "Kontrahent", "NumerNIP"),
    "Adres": ("part", "Kontrahent", "Adres"),
    "ZapisKB": ("new", CASH_RECORDS),
    "RaportKB": ("new", CASH_REPORTS),
    "Rozliczenie": ("new", SETTLEMENTS),
}


#: ProgIDs whose object is not a collection CreateObject gives
_BY_PROGID = {RECORDSET: "Recordset", TRADE_SERVICE: "SerwisHaMag"}


@dataclass(frozen=True)
class NameProblem:
    """A name the installed Optima lacks (``missing``) or that could not be asked (``unchecked``)."""

    owner: str
    name: str
    missing: bool
    why: str

    @property
    def label(self) -> str:
        return self.name if self.owner in ("ProgID", "Filter") else f"{self.owner}.{self.name}"


class _Objects:
    """The objects the check asks, got once each (``REACH``), with why one could not be got."""

    def __init__(self, com: ComContext) -> None:
        self._com = com
        self._found: dict[str, Any] = {}
        self._failed: dict[str, str] = {}

    def get(self, owner: str) -> Any:
        if owner in self._failed:
            raise _Unreachable(self._failed[owner])
        if owner not in self._found:
            try:
                self._found[owner] = self._reach(owner)
            except _Unreachable as exc:
                self._failed[owner] = str(exc)
                raise
            except Exception as exc:  # noqa: BLE001 - whatever Optima raised is the answer
                self._failed[owner] = failure_reason(exc)
                raise _Unreachable(self._failed[owner]) from exc
        return self._found[owner]

    def _reach(self, owner: str) -> Any:
        com = self._com
        how = REACH.get(owner, ("create", owner))
        if how[0] == "application":
            return com.application
        if how[0] == "login":
            return com.login
        if how[0] == "session":
            return com.session
        if how[0] == "dispatch":
            return com.dispatch(how[1])
        if how[0] == "create":
            return com.create(how[1])
        if how[0] == "new":
            return self.get(how[1]).AddNew(None)
        return getattr(self.get(how[1]), how[2])


class _Unreachable(Exception):
    pass


def _knows(obj: Any, name: str) -> bool | str:
    """True when the object has the name; False when it says it has not; the reason otherwise."""
    try:
        obj._oleobj_.GetIDsOfNames(name)
    except Exception as exc:  # noqa: BLE001 - a com_error, normally DISP_E_UNKNOWNNAME
        parts = com_error_parts(exc)
        if parts is not None and DISP_E_UNKNOWNNAME in (parts.code, parts.hresult):
            return False
        return failure_reason(exc)
    return True


def check_names(com: ComContext, names: Iterable[ComName]) -> Sequence[NameProblem]:
    """Every problem with ``names`` on the installed Optima (empty: it has them all)."""
    wanted = list(names)
    objects = _Objects(com)
    problems: list[NameProblem] = []
    for name in wanted:
        if name.kind != PROGID or name.name == APPLICATION:  # the login created the application
            continue
        try:
            objects.get(_BY_PROGID.get(name.name, name.name))
        except _Unreachable as exc:
            problems.append(NameProblem("ProgID", name.name, missing=True, why=str(exc)))
    for owner, members in members_by_owner(wanted).items():
        try:
            obj = objects.get(owner)
        except _Unreachable as exc:
            problems += [NameProblem(owner, m.name, missing=False, why=str(exc)) for m in members]
            continue
        for member in members:
            answer = _knows(obj, member.name)
            if answer is not True:
                why = "Optima nie zna tej nazwy (DISP_E_UNKNOWNNAME)" if answer is False else str(answer)
                problems.append(NameProblem(owner, member.name, missing=answer is False, why=why))
    return problems


def counted(names: Iterable[ComName]) -> tuple[int, int]:
    """(members and ProgIDs asked for, filter columns tried by the look-ups)."""
    wanted = list(names)
    return sum(1 for n in wanted if n.kind != FILTER), sum(1 for n in wanted if n.kind == FILTER)
