"""The settings' vocabulary for the screens: every value type and fixed list a settings page or
a launcher edits, from one place.

The pages then depend on the configuration, not on each adapter's module: an adapter can move
(InPost became a package) or grow without the screens following it, and a reader sees at once
what the UI may configure. The adapters keep owning these types; this module only names them.
"""

from __future__ import annotations

from ..documents.mailer import SmtpSettings
from ..optima.connect import OptimaConnection
from ..optima.settings import SETTLE_BY_COM_KP, SETTLE_BY_PAYMENT_FORM, OptimaSettings, PaymentRoute
from ..shipping.builtin import PARCEL_SIZES as PARCEL_LETTERS
from ..shipping.builtin import SERVICE_NAMES
from ..shipping.catalogue import CARRIERS, carrier_title
from ..shipping.catalogue import SERVICES as CARRIER_SERVICES
from ..shipping.inpost import PRODUCTION_URL, SANDBOX_URL
from ..woo.settings import INVOICED, PACKED, UNWRITABLE_STATUSES, ShopSettings

__all__ = [
    "CARRIERS",
    "CARRIER_SERVICES",
    "INVOICED",
    "PACKED",
    "PARCEL_LETTERS",
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "SERVICE_NAMES",
    "SETTLE_BY_COM_KP",
    "SETTLE_BY_PAYMENT_FORM",
    "UNWRITABLE_STATUSES",
    "carrier_title",
    "OptimaConnection",
    "OptimaSettings",
    "PaymentRoute",
    "ShopSettings",
    "SmtpSettings",
]
