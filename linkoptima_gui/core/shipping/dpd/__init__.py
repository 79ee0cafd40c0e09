"""DPD Polska direct: DPDServices (synchronous numbers and labels, COD, DPD Pickup points, the
handover protocol) in ``client``; the waybills the console generated in ``ledger``."""

from .client import DPDCarrier, DPDSettings
from .ledger import DPDLedger

__all__ = ["DPDCarrier", "DPDLedger", "DPDSettings"]
