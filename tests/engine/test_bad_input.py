"""Bad input in a real demo world: orders the console cannot book become exceptions with a
readable reason, nothing half-done is left in Optima, the good orders keep flowing, and an
order the shop corrects flows on at the next poll."""

from __future__ import annotations

from pypdf import PdfReader
from woocommerce import API

from linkoptima_gui.core.domain.steps import Stage
from linkoptima_gui.demo.world import DemoWorld

from .conftest import documents_for, orders_by_shop_id, paid_order, run_engine, tamper


def test_bad_orders_become_exceptions_and_the_rest_flows(world: DemoWorld, api: API) -> None:
    unknown = api.post("products", {"name": "Towar spoza Optimy", "sku": "NIE-MA-W-OPTIMIE", "regular_price": "10.00"})
    assert unknown.status_code == 201
    good = [paid_order(api, n) for n in (1, 2, 3)]
    bad = {
        "unknown_sku": paid_order(api, 4, sku="NIE-MA-W-OPTIMIE"),
        "invalid_nip": paid_order(api, 5, nip="526-025-02-75"),
        "amount_mismatch": paid_order(api, 6),
        "malformed": paid_order(api, 7),
    }
    tamper(world, bad["amount_mismatch"], lambda doc: doc.update(total="999.99"))
    tamper(world, bad["malformed"], lambda doc: doc["line_items"][0].update(total="12,50 zł"))

    run_engine(world)

    rows = orders_by_shop_id(world)
    for shop_id in good:
        assert rows[shop_id].stage == Stage.READY_TO_PACK.value and rows[shop_id].fa_number
        # the e-mailed invoice of an online payment is rendered after its KP: it says "paid"
        text = "".join(page.extract_text() for page in PdfReader(rows[shop_id].invoice_pdf).pages)
        assert "Zapłacono" in text and "Pozostało do zapłaty: 0,00" in text
    for code, shop_id in bad.items():
        row = rows[shop_id]
        assert (row.stage, row.error_code) == (Stage.EXCEPTION.value, code)
        assert len(row.error_reason) > 15 and not row.error_reason.startswith("Traceback")
        assert documents_for(world, row.number) == 0  # nothing half-done in Optima
    assert "526-025-02-75" in rows[bad["invalid_nip"]].error_reason.replace("5260250275", "526-025-02-75")

    # The shop corrects the NIP: the next poll maps the order again and it flows on.
    fixed = api.put(f"orders/{bad['invalid_nip']}", {"meta_data": [{"key": "_billing_nip", "value": "526-025-02-74"}]})
    assert fixed.status_code == 200
    run_engine(world)
    row = orders_by_shop_id(world)[bad["invalid_nip"]]
    assert (row.stage, row.error_code) == (Stage.READY_TO_PACK.value, "")
    assert documents_for(world, row.number) == 2  # its FA and WZ
