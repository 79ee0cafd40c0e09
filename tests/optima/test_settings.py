"""Optima-side settings: payment routes and their round trip through plain data."""

from __future__ import annotations

from linkoptima_gui.core.optima.settings import OptimaSettings, PaymentRoute


def test_default_routes() -> None:
    settings = OptimaSettings()
    assert settings.route_for("payustandard") == PaymentRoute("PayU", "PAYU")
    assert settings.route_for("payulistbanks").register == "PAYU"
    assert settings.route_for("przelewy24") == PaymentRoute("Przelewy24", "P24")
    assert (
        settings.route_for("ppcp-gateway") == settings.route_for("paypal") == PaymentRoute("PayPal", "PAYPAL")
    )
    assert settings.route_for("cod") == PaymentRoute("pobranie", None, cash_on_delivery=True)
    assert settings.route_for("bacs") == PaymentRoute("przelew", "BANK")
    assert settings.route_for("something-new") == settings.fallback_route
    assert settings.cod_forms == frozenset({"pobranie"})
    assert settings.warehouse == "MAGAZYN" and settings.invoice_definition == "FA"


def test_round_trip_through_plain_data() -> None:
    settings = OptimaSettings(warehouse="SKLEP", allow_negative_stock=True)
    data = settings.to_mapping()
    assert data["payment_routes"]["cod"] == {"form": "pobranie", "register": None, "cash_on_delivery": True}
    again = OptimaSettings.from_mapping({**data, "unknown": 1})
    assert again == settings
    assert OptimaSettings.from_mapping({"seller": {"city": "Kraków"}}).seller.place == "Kraków"
