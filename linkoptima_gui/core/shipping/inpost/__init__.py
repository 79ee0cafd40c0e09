"""InPost ShipX: the carrier port over ShipX's REST API, for shops with an InPost contract.

Why it looks like this (from InPost's "API ShipX" documentation):

- ShipX is asynchronous: a shipment is bought, then confirmed with a tracking number and a
  label a moment later, so creating one waits, bounded, for the confirmation (``status``);
- ShipX is not documented to refuse a second shipment with the same reference, so idempotency
  is ours: the order is looked up by reference before every create (``client``);
- failures become the project's errors, with the wrong field named in Polish (``responses``);
- the body is a pure mapping of the port's request (``payload``), with the receiver's address
  and phone as ShipX wants them (``address``, phone numbers through ``phonenumbers``).

The package's face is below; the demo's ShipX emulator (``demo/shipx``) speaks the same API.
"""

from .address import normalize_phone, split_street
from .client import InPostShipX
from .responses import describe_details
from .settings import DEFAULT_SERVICES, PRODUCTION_URL, SANDBOX_URL, InPostSettings

__all__ = [
    "DEFAULT_SERVICES",
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "InPostSettings",
    "InPostShipX",
    "describe_details",
    "normalize_phone",
    "split_street",
]
