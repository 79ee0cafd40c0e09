"""What a 100x150 mm label says, worded once for both of its renderings.

``label_pdf`` and ``label_zpl`` draw the same ``LabelContent``, so a PDF and a ZPL label of
one parcel can never disagree. It is a module of its own because more than one carrier words
labels (the built-in carrier, the ShipX emulator of the demo) and the renderers must not
depend on any of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelContent:
    """Every text of one label, already worded, so the PDF and the ZPL say the same thing."""

    tracking_number: str
    reference: str
    service: str
    created: str
    sender_lines: tuple[str, ...]
    receiver_name: str
    receiver_lines: tuple[str, ...]
    locker_id: str
    phone: str
    parcel: str
    weight: str
    cod_text: str  # "POBRANIE: 123,45 zł", or "" when nothing is collected
