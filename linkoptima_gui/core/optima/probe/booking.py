"""``optima-probe --write``: one FA with one line booked into the buffer, read back, deleted.

On a test company only. The invoice is made exactly as the writer makes one (same objects, same
properties, the remark in ``Uwagi``, the line's net value in ``WartoscNetto``) except that it
stays in the buffer (``Bufor`` 1: no number taken for good, no stock moved, nothing sent to
KSeF). It is then read back through the same SQL the reader uses, which shows where Optima put
each value (does ``Uwagi`` land in ``TrN_Opis``? the form, the warehouse, the buyer, the line),
and deleted through COM (``Delete`` on the collection, the way two published clients delete),
after which the books must no longer have it. Its foreign number is ``LINKOPTIMA-TEST-`` and the
time, so a person can find and delete a leftover by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...errors import StepError
from .. import queries as q
from ..com_names import CONTRACTORS, DEFINITIONS, DOCUMENTS, PAYMENT_FORMS
from ..com_session import OptimaComSession
from ..rules.columns import day_of
from ..schema import Towary, TraNag
from ..settings import OptimaSettings
from .books import MasterData

TEST_PREFIX = "LINKOPTIMA-TEST-"
REMARK = "Próbna faktura LinkOptima (optima-probe): do usunięcia"
LINE_NET = Decimal("1.00")

Books = Callable[[], AbstractContextManager[Connection]]


@dataclass
class BookingResult:
    """What the test booking showed: ``problems`` empty when everything landed where expected."""

    marker: str
    document_id: int | None = None
    number: str = ""
    deleted: bool = False
    problems: list[str] = field(default_factory=list)
    seen: dict[str, Any] = field(default_factory=dict)


def _test_item(conn: Connection) -> str | None:
    """An active service item (no stock question), else any active item."""
    t = Towary.c
    row = conn.execute(
        select(t.Twr_Kod).where(t.Twr_NieAktywny == 0).order_by((t.Twr_Typ != q.SERVICE), t.Twr_TwrId).limit(1)
    ).first()
    return None if row is None else str(row[0])


def _found(conn: Connection, marker: str) -> Mapping[str, Any] | None:
    return conn.execute(
        select(TraNag).where(TraNag.c.TrN_TypDokumentu == q.FA_TYPE, TraNag.c.TrN_NumerObcy == marker)
    ).mappings().first()


def _compare(header: Mapping[str, Any], lines: list[Mapping[str, Any]], columns: Mapping[str, tuple[Any, str]],
             item: str) -> list[str]:
    """Where the books disagree with what was set through COM."""
    problems = []
    for column, (value, what) in columns.items():
        if header[column] != value:
            problems.append(f"{what}: w bazie {column} = {header[column]!r}, oczekiwano {value!r}")
    if len(lines) != 1:
        problems.append(f"pozycje: w bazie {len(lines)}, oczekiwano 1")
    elif (lines[0]["TrE_TwrKod"], Decimal(lines[0]["TrE_Ilosc"]), Decimal(lines[0]["TrE_WartoscNetto"])) != (
            item, Decimal(1), LINE_NET):
        line = lines[0]
        problems.append(f"pozycja: w bazie {line['TrE_TwrKod']} × {line['TrE_Ilosc']} za {line['TrE_WartoscNetto']}, "
                        f"oczekiwano {item} × 1 za {LINE_NET}")
    return problems


def book_and_delete(session: OptimaComSession, books: Books, settings: OptimaSettings, data: MasterData,
                    now: datetime) -> BookingResult:
    """Book the test FA in the buffer, read it back, delete it, and check that it is gone."""
    result = BookingResult(marker=f"{TEST_PREFIX}{now:%Y%m%d%H%M%S}")
    definition = data.definitions.get(settings.invoice_definition)
    form = data.forms.get(settings.fallback_route.form)
    with books() as conn:
        item = _test_item(conn)
    if definition is None or form is None or data.warehouse is None or data.contractor is None or item is None:
        result.problems.append("Nie ma z czego zrobić próbnej faktury (definicji FA, formy płatności "
                               f"„{settings.fallback_route.form}”, magazynu, kontrahenta lub towaru)")
        return result
    day = day_of(now)

    def book(com: Any) -> None:
        doc = com.create(DOCUMENTS).AddNew(None)
        doc.Rodzaj = q.FA_KIND
        doc.TypDokumentu = q.FA_TYPE
        doc.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
        doc.Bufor = 1
        doc.DataDok = day
        doc.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={data.contractor}")
        doc.FormaPlatnosci = com.create(PAYMENT_FORMS).Item(f"FPl_FPlId={form['FPl_FPlId']}")
        doc.MagazynZrodlowyID = data.warehouse
        doc.TypNB = 1
        doc.NumerObcy = result.marker
        doc.Uwagi = REMARK
        element = doc.Elementy.AddNew(None)
        element.TowarKod = item
        element.Ilosc = 1.0
        element.WartoscNetto = LINE_NET
        com.session.Save()

    try:
        session.run(book)
    except StepError as exc:
        result.problems.append(f"Optima nie zapisała próbnej faktury: {exc.reason}")
        return result
    with books() as conn:
        header = _found(conn, result.marker)
        lines = [] if header is None else list(conn.execute(q.document_lines_query(header["TrN_TrNID"])).mappings())
    if header is None:
        result.problems.append(f"Optima przyjęła próbną fakturę {result.marker}, ale nie ma jej w bazie")
        return result
    result.document_id, result.number = int(header["TrN_TrNID"]), str(header["TrN_NumerPelny"])
    result.seen = {"TrN_Opis": header["TrN_Opis"], "TrN_Bufor": header["TrN_Bufor"], "lines": len(lines)}
    columns = {
        "TrN_Bufor": (1, "bufor"), "TrN_Opis": (REMARK, "Uwagi"), "TrN_DDfId": (definition, "definicja"),
        "TrN_FPlId": (form["FPl_FPlId"], "forma płatności"), "TrN_MagZrdId": (data.warehouse, "magazyn"),
        "TrN_PodID": (data.contractor, "kontrahent"),
    }
    result.problems += _compare(header, lines, columns, item)

    def delete(com: Any) -> None:
        documents = com.create(DOCUMENTS)
        documents.Delete(documents.Item(f"TrN_TrNID={result.document_id}"))
        com.session.Save()

    try:
        session.run(delete)
    except StepError as exc:
        result.problems.append(f"Nie udało się usunąć próbnej faktury {result.number} ({result.marker}): "
                               f"{exc.reason}; usuń ją w Optimie ręcznie")
        return result
    with books() as conn:
        result.deleted = _found(conn, result.marker) is None
    if not result.deleted:
        result.problems.append(f"Próbna faktura {result.number} ({result.marker}) nie zniknęła z bazy po usunięciu: "
                               "usuń ją w Optimie ręcznie")
    return result
