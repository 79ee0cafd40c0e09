"""Refunds put straight into a screen test's store, as the intake and the refund steps leave them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from linkoptima_gui.core.domain.steps import Step, StepState
from linkoptima_gui.core.store.documents import keep_document
from linkoptima_gui.core.store.models import JobRow, OrderRow, RefundRow

from .conftest import OrderFactory


def add_refund(orders: OrderFactory, order_id: int, refund_id: int, *, amount: str = "84.88",
               steps: dict[Step, str] | None = None, number: str = "", code: str = "", message: str = "",
               details: dict[str, Any] | None = None, pdf: bytes | None = None, reason: str = "Zwrot towaru") -> None:
    """A refund of the order with its steps in ``steps`` (a failed one gets ``code``/``message``/
    ``details``), its correction ``number`` when booked, and its PDF kept when ``pdf`` is given."""
    steps = steps if steps is not None else {Step.KOREKTA: StepState.PENDING.value}
    with orders.sessions.begin() as session:
        order = session.get(OrderRow, order_id)
        assert order is not None
        corrections = [{"id": refund_id, "number": number, "kind": "quantity", "gross": f"-{amount}"}] if number else []
        session.add(RefundRow(order_id=order_id, shop_refund_id=refund_id, amount=Decimal(amount), reason=reason,
                              corrections=corrections, correction_gross=-Decimal(amount) if number else Decimal(0),
                              pdf_path=f"/engine/korekty/{number.replace('/', '_')}.pdf" if pdf else ""))
        for step, state in steps.items():
            failed = state == StepState.FAILED.value
            session.add(JobRow(order_id=order_id, step=step.value,
                               identity_key=f"default:{order.shop_order_id}:{step.value}:{refund_id}", state=state,
                               error_code=code if failed else "", error_message=message if failed else "",
                               error_details=(details or {"refund_id": refund_id}) if failed else {}))
        if pdf is not None:
            keep_document(session, order_id, f"korekta_{refund_id}", f"{number.replace('/', '_')}.pdf", pdf)
