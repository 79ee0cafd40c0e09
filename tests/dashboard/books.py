"""The Pulpit's figures computed again from the demo world's books with plain SQL (sqlite3),
independently of the core's queries: what the tests compare the screen and the PDF with."""

from __future__ import annotations

import math
import sqlite3
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone()


def rows(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, args).fetchall()


def paid_per_hour(store: Path, first: date, last: date) -> list[int]:
    hours = [0] * 24
    for (paid,) in rows(store, "SELECT paid_seen_at FROM orders WHERE paid_seen_at IS NOT NULL"):
        moment = _local(paid)
        if first <= moment.date() <= last:
            hours[moment.hour] += 1
    return hours


def packed_per_station(store: Path, first: date, last: date) -> dict[str, list[int]]:
    stations: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
    for packed, station, who in rows(store, "SELECT packed_at, packed_station, packed_by FROM orders "
                                            "WHERE packed_at IS NOT NULL"):
        moment = _local(packed)
        if first <= moment.date() <= last:
            stations[station or who][moment.hour] += 1
    return dict(stations)


def stages(store: Path) -> Counter[str]:
    return Counter(dict(rows(store, "SELECT stage, COUNT(*) FROM orders GROUP BY stage")))


def packing_minutes(store: Path, day: date) -> tuple[int, float | None, float | None]:
    values = sorted((datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 60
                    for a, b in rows(store, "SELECT paid_seen_at, packed_at FROM orders WHERE packed_at IS NOT NULL "
                                            "AND paid_seen_at IS NOT NULL") if _local(b).date() == day)
    if not values:
        return 0, None, None
    return len(values), statistics.median(values), values[math.ceil(0.9 * len(values)) - 1]


def exceptions(store: Path, since: date) -> Counter[tuple[date, str]]:
    import json

    found: Counter[tuple[date, str]] = Counter()
    for at, details in rows(store, "SELECT at, details FROM audit_events WHERE kind IN ('step_failed', 'rejected')"):
        day = _local(at).date()
        if day >= since:
            found[(day, json.loads(details or "{}").get("code", ""))] += 1
    return found


def open_cod(store: Path, optima: Path) -> tuple[int, Decimal]:
    cod = {number for (number,) in rows(store, "SELECT number FROM orders WHERE payment_kind = 'cod' "
                                               "AND packed_at IS NOT NULL")}
    dues = rows(optima, "SELECT BZd_NumerObcy, BZd_Kwota - BZd_KwotaRoz FROM BnkZdarzenia "
                        "WHERE BZd_Rozliczono = 1 AND BZd_DokumentTyp = 1 AND BZd_Kierunek = 1")
    open_ = [Decimal(str(amount)).quantize(Decimal("0.01")) for number, amount in dues if number in cod]
    return len(open_), sum(open_, Decimal(0))


def settled_on(store: Path, optima: Path, day: date) -> dict[str, Decimal]:
    titles = dict(rows(store, "SELECT number, payment_title FROM orders"))
    result: dict[str, Decimal] = defaultdict(Decimal)
    for number, amount in rows(optima, "SELECT z.BZd_NumerObcy, k.BRK_Kwota FROM BnkRozKwoty k JOIN BnkZdarzenia z "
                                       "ON z.BZd_BZdID = k.BRK_LDokID WHERE k.BRK_LDokTyp = 1 AND date(k.BRK_DataDok) = ?",
                               day.isoformat()):
        result[titles.get(number, "poza sklepem")] += Decimal(str(amount)).quantize(Decimal("0.01"))
    return dict(result)


def sold_per_item(optima: Path, today: date, days: int = 30) -> dict[str, Decimal]:
    """WZ lines and counter sales (PA) in the window, by item code (no PA of the demo has a WZ)."""
    since = (today - timedelta(days=days - 1)).isoformat()
    sold: dict[str, Decimal] = defaultdict(Decimal)
    for code, quantity, day in rows(
            optima, "SELECT e.TrE_TwrKod, e.TrE_Ilosc, date(n.TrN_DataDok) "
                    "FROM TraElem e JOIN TraNag n ON n.TrN_TrNID = e.TrE_TrNId WHERE n.TrN_Bufor = 0 "
                    "AND n.TrN_Anulowany = 0 AND n.TrN_TypDokumentu IN (305, 306) AND e.TrE_TwrTyp = 1"):
        if since <= day <= today.isoformat():
            sold[code] += Decimal(str(quantity))
    return dict(sold)


def available(optima: Path, code: str, today: date) -> Decimal:
    found = rows(optima, "SELECT i.TwI_Ilosc - i.TwI_Rezerwacje FROM TwrIlosci i JOIN Towary t ON t.Twr_TwrId = i.TwI_TwrId "
                         "JOIN Magazyny m ON m.Mag_MagId = i.TwI_MagId WHERE t.Twr_Kod = ? AND m.Mag_Symbol = 'MAGAZYN' "
                         "AND date(i.TwI_Data) <= ? ORDER BY i.TwI_Data DESC LIMIT 1", code, today.isoformat())
    return Decimal(str(found[0][0])) if found else Decimal(0)
