"""From the reorder table to Optima: one ZD per supplier in the buffer with the chosen lines,
never twice for one request; and the table as CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from linkoptima_gui.core.dashboard.service import Dashboard
from linkoptima_gui.core.dashboard.supplier_orders import (
    ChosenLine,
    book_supplier_orders,
    reorder_csv,
    request_key,
)
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.demo.world import DemoWorld

from . import books


def test_the_zd_books_the_chosen_lines_in_the_buffer(history_world: DemoWorld, dashboard: Dashboard) -> None:
    reorder = dashboard.figures(1).stock.reorder
    chosen = [ChosenLine(reorder[0], Decimal(12)), ChosenLine(reorder[1], reorder[1].suggested)]
    key = request_key()
    booked = book_supplier_orders(dashboard.writer, dashboard.sessions, chosen, key, actor="kierownik", station="biuro")
    assert booked == book_supplier_orders(dashboard.writer, dashboard.sessions, chosen, key, actor="kierownik")
    optima = history_world.folder / "optima.sqlite"
    lines = {}
    for document in booked:
        header = books.rows(optima, "SELECT TrN_TypDokumentu, TrN_Rodzaj, TrN_Bufor, TrN_PodID, TrN_NumerObcy "
                                    "FROM TraNag WHERE TrN_TrNID = ?", document.id)[0]
        assert header[:3] == (309, 309000, 1) and header[4].startswith(key)
        suppliers = {line.cover.supplier_id for line in chosen if f"{key}/{line.cover.supplier_id}" == header[4]}
        assert suppliers == {header[3]}
        lines.update(books.rows(optima, "SELECT TrE_TwrKod, TrE_Ilosc FROM TraElem WHERE TrE_TrNId = ?", document.id))
    assert {code: Decimal(str(q)) for code, q in lines.items()} == {line.cover.code: line.quantity for line in chosen}
    assert len(books.rows(optima, "SELECT 1 FROM TraNag WHERE TrN_TypDokumentu = 309 AND TrN_NumerObcy LIKE ?",
                          f"{key}%")) == len({line.cover.supplier_id for line in chosen})
    audit = books.rows(history_world.folder / "console.sqlite",
                       "SELECT actor, station FROM audit_events WHERE kind = 'supplier_order'")
    assert ("kierownik", "biuro") in audit


def test_nothing_is_booked_for_an_item_without_a_supplier(dashboard: Dashboard) -> None:
    from dataclasses import replace

    cover = dashboard.figures(1).stock.reorder[0]
    with pytest.raises(PermanentError, match="bez dostawcy"):
        book_supplier_orders(dashboard.writer, dashboard.sessions, [ChosenLine(replace(cover, supplier_id=None), Decimal(1))],
                             request_key(), actor="kierownik")


def test_the_table_as_csv(dashboard: Dashboard) -> None:
    reorder = dashboard.figures(1).stock.reorder
    rows = list(csv.reader(io.StringIO(reorder_csv(reorder, {reorder[0].code: Decimal("7.5")})), delimiter=";"))
    assert rows[0][0] == "kod" and len(rows) == len(reorder) + 1
    assert rows[1][0] == reorder[0].code and rows[1][-1] == "7,5"
    assert rows[2][-1] == format(reorder[1].suggested.normalize(), "f")
