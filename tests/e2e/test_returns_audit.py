"""An independent audit of a demo run with returns (issue 18), from the outside systems' books:
for every order, the FA minus its corrections is what the shop kept (the order's total minus
its refunds), and for every item, Optima's stock is the opening stock minus what the WZs issued
plus what the WZ corrections brought back. Nothing here asks the console what it did."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from sqlalchemy import and_, func, select

from linkoptima_gui.core.optima.schema import TraElem, TraNag
from linkoptima_gui.demo.headless import demo_run
from linkoptima_gui.demo.world import DemoWorld

D = Decimal


def _issued(world: DemoWorld) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per item code: what the WZs issued and what their corrections brought back (a positive
    number of pieces), read from Optima's rows."""
    query = (select(TraElem.c.TrE_TwrKod, TraNag.c.TrN_Korekta, func.sum(TraElem.c.TrE_Ilosc))
             .join(TraNag, TraNag.c.TrN_TrNID == TraElem.c.TrE_TrNId)
             .where(and_(TraNag.c.TrN_TypDokumentu == 306, TraNag.c.TrN_Bufor == 0))
             .group_by(TraElem.c.TrE_TwrKod, TraNag.c.TrN_Korekta))
    issued: dict[str, Decimal] = defaultdict(Decimal)
    back: dict[str, Decimal] = defaultdict(Decimal)
    with world.optima_engine.connect() as conn:
        for code, correction, quantity in conn.execute(query):
            (back if correction else issued)[code] += abs(D(quantity))
    return issued, back


def test_every_order_and_every_item_adds_up_after_returns(tmp_path: Path) -> None:
    with DemoWorld(tmp_path / "opening", ksef_delay=0) as fresh:
        opening = fresh.services.optima_reader.stock_levels()
    counts = demo_run(tmp_path / "world", 40, returns=25, ksef_delay=0)
    assert counts["duplicates"] == 0 and counts["corrections"] >= 5 and counts["returned_items"] >= 1
    assert counts["corrections_emailed"] == counts["corrections"]
    with DemoWorld(tmp_path / "world", ksef_delay=0) as world:
        reader = world.services.optima_reader
        refunded_orders = 0
        for order in world.services.shop.orders_modified_after(None):
            invoice_ref = reader.find_invoice(str(order["number"]))
            if invoice_ref is None:
                continue
            invoice = reader.read_invoice(invoice_ref.id)
            corrections = [reader.read_correction(ref.id) for ref in reader.corrections_of(invoice_ref.id)]
            kept = D(order["total"]) - sum((abs(D(r["total"])) for r in order["refunds"]), D(0))
            booked = invoice.gross_total + sum((c.gross_total for c in corrections), D(0))
            assert booked == kept, order["number"]
            refunded_orders += bool(order["refunds"])
        assert refunded_orders >= 3
        issued, back = _issued(world)
        assert sum(back.values()) == counts["returned_items"]
        now = reader.stock_levels()
        for code, start in opening.items():
            assert now.get(code, D(0)) == start - issued.get(code, D(0)) + back.get(code, D(0)), code
