"""What the client knows about WooCommerce refunds: the key a refund of ours carries, and the
shop's refusals of a new refund as Polish errors a person can act on.

Why a module of its own: WooCommerce answers a refund it would not create with a **500**
(``woocommerce_rest_cannot_create_order_refund``; corrections.md §1.2): a gateway that cannot
refund, an amount larger than what is left, or the gateway's own refusal. For every other call
a 5xx means "try again"; here it is a decision of the shop that a retry will not change, and a
retry after a gateway error could even refund twice. So these 500s become ``PermanentError``
before the generic "shop unavailable" rule sees them.
"""

from __future__ import annotations

from typing import Any

from ..errors import PermanentError

#: the refund meta entry holding the console's key of a return (the idempotency key)
REFUND_KEY = "_linkoptima_return"
CANNOT_CREATE = "woocommerce_rest_cannot_create_order_refund"
_NO_GATEWAY = ("does not support automatic refunds", "does not exist")


def refund_refusal(status: int, body: Any, endpoint: str) -> PermanentError | None:
    """The Polish error for a refund the shop refused to create, or None for other answers."""
    if not isinstance(body, dict) or body.get("code") != CANNOT_CREATE:
        return None
    message = str(body.get("message") or "")
    details = {"endpoint": endpoint, "status": status, "shop_code": CANNOT_CREATE, "shop_message": message}
    if any(text in message for text in _NO_GATEWAY):
        return PermanentError(
            "Bramka płatności tego zamówienia nie zwraca pieniędzy przez API sklepu (api_refund). Zwróć "
            f"pieniądze inaczej (przelewem, z kasy) i zapisz zwrot w sklepie z api_refund: false. Sklep: {message}",
            code="shop_refund_gateway", details=details)
    if "Invalid refund amount" in message:
        return PermanentError(
            "Sklep odmówił zwrotu: kwota jest większa niż to, co w zamówieniu zostało do zwrotu "
            "(suma zamówienia minus wcześniejsze zwroty).", code="shop_refund_amount", details=details)
    return PermanentError(
        f"Sklep lub bramka płatności odmówiły zwrotu ({status}): {message}. Zwrotu nie utworzono; sprawdź "
        "w panelu bramki, czy pieniądze nie wyszły, zanim spróbujesz ponownie.",
        code="shop_refund_refused", details=details)


def carries_key(refund: dict[str, Any], key: str) -> bool:
    """Whether a refund's ``meta_data`` holds our key (``REFUND_KEY`` = ``key``)."""
    return any(isinstance(m, dict) and m.get("key") == REFUND_KEY and str(m.get("value")) == str(key)
               for m in refund.get("meta_data") or [])
