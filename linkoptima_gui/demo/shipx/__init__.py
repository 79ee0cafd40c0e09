"""The demo world's InPost: a ShipX emulator on loopback for the real ``InPostShipX`` adapter.

``ShipXEmulator`` serves ShipX's shipment, search and label endpoints over http with a Bearer
token and an organization id, confirms shipments asynchronously (on a timer for the demo, after
a number of polls or by hand for tests) and draws real labels with the project's renderers; its
state is one SQLite file in the given folder.
"""

from .common import ShipXError
from .server import DEFAULT_ORGANIZATION, ShipXEmulator
from .store import ShipmentRow, ShipXStore, make_tracking_number

__all__ = [
    "DEFAULT_ORGANIZATION",
    "ShipXEmulator",
    "ShipXError",
    "ShipXStore",
    "ShipmentRow",
    "make_tracking_number",
]
