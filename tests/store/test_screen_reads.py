"""The reads the screens repeat while the engine works: the same answers as reading whole orders,
without loading each order's shop JSON (the packing queue takes the city out of it in the
database, on every backend; the pipeline does not need it at all)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from linkoptima_gui.core.store.db import open_store
from linkoptima_gui.core.store.models import JobRow, OrderRow
from linkoptima_gui.core.store.queries import pipeline_rows
from linkoptima_gui.core.store.ui_queries import queue_entries


@contextmanager
def statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    """The SQL sent meanwhile."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001 - SQLAlchemy's event signature
        sent.append(statement)

    engine = sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_delivery_is_the_locker_or_the_city_from_the_shops_json(store_url: str) -> None:
    sessions = open_store(store_url)
    payloads: dict[str, dict[str, Any]] = {
        "locker": {"shipping": {"city": "Gdańsk"}},
        "city": {"shipping": {"address_1": "ul. Długa 5/12", "city": "Łódź"}, "line_items": [{"sku": "K-1"}]},
        "no_shipping": {"line_items": []},
    }
    try:
        with sessions.begin() as session:
            for n, (name, payload) in enumerate(payloads.items(), start=1):
                session.add(OrderRow(id=n, shop_order_id=n, number=name, buyer_name="Zofia Żak", payload=payload,
                                     locker_id="WAW01M" if name == "locker" else "",
                                     payment_kind="cod" if name == "city" else "online", total=Decimal("12.50")))
        with sessions() as session:
            entries = queue_entries(session, [1, 2, 3])
    finally:
        sessions.kw["bind"].dispose()
    assert entries[1].delivery == "Paczkomat WAW01M"
    assert entries[2].delivery == "Łódź" and entries[2].cod_amount == Decimal("12.50")
    assert entries[3].delivery == "" and entries[3].cod_amount == 0
    assert entries[1].buyer_name == "Zofia Żak"


def test_pipeline_rows_read_what_the_table_shows_and_not_the_shops_json(store_url: str) -> None:
    sessions = open_store(store_url)
    try:
        with sessions.begin() as session:
            session.add(OrderRow(id=7, shop_order_id=7, number="1007", stage="processing", buyer_name="Jan Nowak",
                                 is_company=True, total=Decimal("99.90"), payment_title="PayU", fa_number="FA/7/2026",
                                 date_created_gmt="2026-03-16T08:00:00", payload={"line_items": [{"sku": "K-1"}]}))
            session.flush()
            session.add(JobRow(order_id=7, step="fa", identity_key="default:7:fa", state="done"))
        with sessions() as session, statements(sessions) as sent:
            rows = pipeline_rows(session, [7])
    finally:
        sessions.kw["bind"].dispose()
    row = rows[7]
    assert (row.number, row.stage, row.buyer_name, row.is_company) == ("1007", "processing", "Jan Nowak", True)
    assert (row.total, row.fa_number, row.created) == (Decimal("99.90"), "FA/7/2026", "2026-03-16T08:00:00")
    assert row.steps["fa"] == "done" and row.steps["wz"] == ""
    assert not any("payload" in sql for sql in sent)
