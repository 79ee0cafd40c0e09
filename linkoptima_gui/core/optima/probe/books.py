"""The master data the settings name, as Optima's database and its COM objects both see them.

The writer finds a definition, a payment form, a register or a card by its name in SQL and then
fetches it through COM by id (``Item("DDf_DDfID=3")``). The probe does the same for everything
the settings name, so a symbol that is missing, inactive or of another class, or an id the COM
objects cannot fetch, shows up before the first order, not at it. For Optima's own settlement
route it also checks that each online gateway's payment form is one Optima settles by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...errors import StepError
from .. import queries as q
from ..com_errors import failure_reason
from ..com_names import CONTRACTORS, DEFINITIONS, PAYMENT_FORMS, REGISTERS
from ..com_session import ComContext
from ..rules.master_data import KP_CLASS, cash_register, find_definition, warehouse_id
from ..rules.settlement import settles_itself
from ..schema import BnkRachunki, FormyPlatnosci, Kontrahenci
from ..settings import OptimaSettings


@dataclass
class MasterData:
    """What the settings name, with its ids in this company (and what could not be found)."""

    definitions: dict[str, int] = field(default_factory=dict)  # symbol -> DDf_DDfID
    warehouse: int | None = None
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # FPl_Nazwa -> its row
    registers: dict[str, int] = field(default_factory=dict)  # BRa_Akronim -> BRa_BRaID
    contractor: int | None = None  # an active card (the test booking's buyer)
    problems: list[str] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        return {"definitions": self.definitions, "warehouse": self.warehouse, "forms": self.forms,
                "registers": self.registers, "contractor": self.contractor}


def _form(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(FormyPlatnosci.c.FPl_FPlId, FormyPlatnosci.c.FPl_Typ, FormyPlatnosci.c.FPl_BRaId,
               BnkRachunki.c.BRa_Akronim)
        .select_from(FormyPlatnosci)
        .outerjoin(BnkRachunki, BnkRachunki.c.BRa_BRaID == FormyPlatnosci.c.FPl_BRaId)
        .where(FormyPlatnosci.c.FPl_Nazwa == name)
    ).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["settles_itself"] = settles_itself(row)
    return found


def read_master_data(conn: Connection, settings: OptimaSettings) -> MasterData:
    """Everything the settings name, looked up by name in SQL as the writer looks it up."""
    data = MasterData()

    def attempt(what: Any) -> Any:
        try:
            return what()
        except StepError as exc:
            data.problems.append(exc.reason)
            return None

    for symbol, klasa in ((settings.invoice_definition, q.FA_TYPE), (settings.wz_definition, q.WZ_TYPE),
                          (settings.kp_definition, KP_CLASS)):
        found = attempt(lambda symbol=symbol, klasa=klasa: find_definition(conn, symbol, klasa))
        if found is not None:
            data.definitions[symbol] = found.id
    data.warehouse = attempt(lambda: warehouse_id(conn, settings.warehouse))
    routes = [*settings.payment_routes.values(), settings.fallback_route]
    for name in sorted({route.form for route in routes}):
        form = _form(conn, name)
        if form is None:
            data.problems.append(f"Brak formy płatności „{name}” w Optimie")
        else:
            data.forms[name] = form
    for akronim in sorted({route.register for route in routes if route.register}):
        register = attempt(lambda akronim=akronim: cash_register(conn, akronim))
        if register is not None:
            data.registers[akronim] = int(register["BRa_BRaID"])
    k = Kontrahenci.c
    data.contractor = conn.execute(
        select(k.Knt_KntId).where(k.Knt_Nieaktywny == 0).order_by(k.Knt_KntId).limit(1)
    ).scalar()
    if data.contractor is None:
        data.problems.append("W Optimie nie ma żadnej aktywnej karty kontrahenta")
    return data


def settlement_problems(data: MasterData, settings: OptimaSettings, online_methods: Iterable[str]) -> list[str]:
    """On Optima's own route: the online gateways whose payment form does not settle by itself."""
    if settings.settles_through_com:
        return []
    problems = []
    for method in sorted(set(online_methods)):
        route = settings.route_for(method)
        form = data.forms.get(route.form)
        if route.register is None or form is None or form["settles_itself"]:
            continue
        problems.append(
            f"Forma płatności „{route.form}” (metoda {method}) nie rozlicza się w Optimie sama (typ "
            f"{form['FPl_Typ']}, rejestr {form['BRa_Akronim'] or 'brak'}): ustaw ją jako typ gotówka z rejestrem "
            "bramki albo wybierz rozliczanie przez KP z API COM"
        )
    return problems


def fetch_through_com(com: ComContext, data: MasterData, settings: OptimaSettings) -> list[str]:
    """Fetch each id through COM as the writer will; the problems, in Polish."""
    lookups: list[tuple[str, str, Mapping[str, int]]] = [
        (DEFINITIONS, "DDf_DDfID", data.definitions),
        (PAYMENT_FORMS, "FPl_FPlId", {name: form["FPl_FPlId"] for name, form in data.forms.items()}),
    ]
    if data.contractor is not None:
        lookups.append((CONTRACTORS, "Knt_KntId", {"kontrahent": data.contractor}))
    if settings.settles_through_com:
        lookups.append((REGISTERS, "BRa_BRaID", data.registers))
    problems = []
    for progid, column, ids in lookups:
        try:
            collection = com.create(progid)
        except Exception as exc:  # noqa: BLE001 - reported, the other look-ups still run
            problems.append(f"{progid}: {failure_reason(exc)}")
            continue
        for name, ident in ids.items():
            try:
                collection.Item(f"{column}={int(ident)}")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{progid} nie podaje „{name}” ({column}={ident}): {failure_reason(exc)}")
    return problems
