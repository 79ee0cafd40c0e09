"""Stock moves that happen in Optima without the shop: deliveries (PZ) and counter sales (PA).

The stock sync has to notice them (in Optima a stock move touches the document's ``TrN_TS_Mod``,
not reliably the item card), so the simulated Optima books them the way it books a WZ: a
confirmed ``TraNag`` with its ``TraElem`` lines and the dated ``TwrIlosci`` snapshots moved, in
one transaction under the writer lock. A counter sale takes only what the warehouse has, like
Optima with negative stock off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from ...errors import PermanentError
from ..reader import SqlOptimaReader
from ..rules.columns import day_of
from ..rules.master_data import warehouse_id
from ..schema import Towary, TraNag
from ..settings import OptimaSettings
from .booking import confirmed_document, new_guid, next_number, stamps, write_transaction
from .documents import insert_lines
from .wz import latest_snapshot, move_stock

#: document type, kind (TrN_Rodzaj) and stock direction
DELIVERY = (307, 307000, +1)  # PZ: goods receipt from a supplier
COUNTER_SALE = (305, 305000, -1)  # PA: receipt at the counter, issues the goods itself

_SYMBOLS = {307: "PZ", 305: "PA"}


class SimulatedStockMoves:
    """Books deliveries and counter sales into the simulated Optima (tests, demo, bench)."""

    def __init__(self, engine: Engine, settings: OptimaSettings | None = None, *,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.engine = engine
        self.settings = settings or OptimaSettings()
        self._clock = clock

    def deliver(self, quantities: Mapping[str, int | Decimal]) -> str:
        """Goods arrive from a supplier; returns the PZ number."""
        return self._book(DELIVERY, quantities)

    def sell_at_counter(self, quantities: Mapping[str, int | Decimal]) -> str:
        """Goods leave through the counter; returns the PA number (fails if the stock is short)."""
        return self._book(COUNTER_SALE, quantities)

    def available(self, code: str) -> Decimal:
        """Stock minus reservations of one item in the warehouse: what the reader sees."""
        return SqlOptimaReader(self.engine, self.settings, clock=self._clock).stock_levels([code]).get(code, Decimal(0))

    def _book(self, kind: tuple[int, int, int], quantities: Mapping[str, int | Decimal]) -> str:
        typ, rodzaj, direction = kind
        now = self._clock()
        day = day_of(now)
        with write_transaction(self.engine) as conn:
            mag_id = warehouse_id(conn, self.settings.warehouse)
            items = {code: _item(conn, code) for code in quantities}
            if direction < 0:
                _check_available(conn, items, quantities, mag_id, day)
            numer = f"{_SYMBOLS[typ]}/@numerS/{now.year:04d}"
            number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
            header: dict[str, Any] = {
                **confirmed_document(typ, rodzaj, numer, number, day),
                "TrN_Termin": day,
                "TrN_MagZrdId": mag_id,
                "TrN_Waluta": "PLN",
                "TrN_ImportRowId": new_guid(),
                **stamps("TrN", now, self.settings.operator, confirmed=True),
            }
            document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
            header["TrN_TrNID"] = document_id
            header.setdefault("TrN_PodmiotTyp", None)
            header.setdefault("TrN_PodID", None)
            lines = [
                {
                    "TrE_Lp": position,
                    "TrE_Aktywny": 1,
                    "TrE_TwrId": item["Twr_TwrId"],
                    "TrE_MagId": mag_id,
                    "TrE_TwrKod": item["Twr_Kod"],
                    "TrE_TwrNazwa": item["Twr_Nazwa"],
                    "TrE_Ilosc": Decimal(quantities[code]),
                    "TrE_IloscJM": Decimal(quantities[code]),
                    "TrE_Jm": item["Twr_JM"],
                }
                for position, (code, item) in enumerate(items.items(), start=1)
            ]
            insert_lines(conn, header, lines)
            for code, item in items.items():
                delta = Decimal(quantities[code]) * direction
                move_stock(conn, item["Twr_TwrId"], mag_id, delta, day)
                move_stock(conn, item["Twr_TwrId"], None, delta, day)
            return str(conn.execute(select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TrNID == document_id))
                       .scalar_one())


def _item(conn: Any, code: str) -> Mapping[str, Any]:
    row = conn.execute(
        select(Towary.c.Twr_TwrId, Towary.c.Twr_Kod, Towary.c.Twr_Nazwa, Towary.c.Twr_JM)
        .where(Towary.c.Twr_Kod == code)
    ).mappings().first()
    if row is None:
        raise PermanentError(f"Towar {code} nie istnieje w Optimie", code="unknown_sku", details={"sku": code})
    return row


def _check_available(conn: Any, items: Mapping[str, Mapping[str, Any]], quantities: Mapping[str, int | Decimal],
                     mag_id: int, day: datetime) -> None:
    for code, item in items.items():
        snapshot = latest_snapshot(conn, item["Twr_TwrId"], mag_id, day)
        have = Decimal(snapshot["TwI_Ilosc"]) if snapshot else Decimal(0)
        if have < Decimal(quantities[code]):
            shown = format(have.normalize(), "f")
            raise PermanentError(f"Za mało towaru {code} na sprzedaż: jest {shown}", code="insufficient_stock",
                                 details={"sku": code, "in_stock": shown})
