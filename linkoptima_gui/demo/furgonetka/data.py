"""What the Furgonetka emulator knows besides its API: networks, waybill numbering per network,
the pickup points it offers, and how a package becomes a label.

Facts (reference ``carriers.md`` §1.1, §1.2, §1.7): DPD waybills are 13 digits and a letter, DHL's
11 digits; Furgonetka routes DPD, DHL, InPost, Poczta Polska, ORLEN Paczka, GLS and UPS. The
numbering of the others and the points' data are our choice [I], shaped like the real ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...core.domain.money import format_pln
from ...core.shipping.label_content import LabelContent

#: service codes Furgonetka accepts -> the network's name on the label
SERVICES = {
    "dpd": "DPD Classic", "dhl": "DHL Parcel", "inpost": "InPost Paczkomat", "inpostkurier": "InPost Kurier",
    "poczta": "Pocztex Kurier", "orlen": "ORLEN Paczka", "gls": "GLS", "ups": "UPS Standard",
}
#: services that deliver to a point (the receiver must name one)
POINT_SERVICES = frozenset({"inpost", "orlen"})
#: networks whose point list the emulator serves: code, name, city, postcode, street, takes COD
POINTS: list[tuple[str, str, str, str, str, str, bool]] = [
    ("inpost", "KRA010", "Paczkomat KRA010", "Kraków", "30-001", "ul. Długa 1", True),
    ("inpost", "WAW22M", "Paczkomat WAW22M", "Warszawa", "00-950", "ul. Marszałkowska 10", True),
    ("orlen", "WS-100001-27-26", "ORLEN Paczka Stacja 27", "Warszawa", "00-951", "al. Jana Pawła II 27", False),
    ("dpd", "PL11033", "DPD Pickup Żabka", "Kraków", "30-002", "ul. Karmelicka 5", True),
    ("dhl", "DHL-POP-2211", "DHL POP Lewiatan", "Gdańsk", "80-210", "ul. Źródlana 3", True),
    ("poczta", "PP-312456", "Urząd Pocztowy Gdańsk 12", "Gdańsk", "80-211", "ul. Długa 22", True),
]


def waybill(service: str, seq: int) -> str:
    """The network's own numbering: DPD 13 digits + ``U``, DHL 11 digits, others opaque."""
    if service == "dpd":
        return f"{1000000000000 + seq:013d}U"
    if service == "dhl":
        return f"{30000000000 + seq:011d}"
    if service in ("inpost", "inpostkurier"):
        return f"6{seq:023d}"
    if service == "poczta":
        return f"PX{seq:011d}PL"
    return f"FG{seq:010d}"


def point_json(row: tuple[str, str, str, str, str, str, bool]) -> dict[str, Any]:
    network, code, name, city, postcode, street, cod = row
    return {"code": code, "service": network, "name": name, "cod": cod,
            "address": {"city": city, "postcode": postcode, "street": street}}


def label_content(package: dict[str, Any]) -> LabelContent:
    """Word the label from the package as the client sent it (what a real label would say)."""
    receiver, sender = package["receiver"], package["sender"]
    point = receiver.get("point") or ""
    lines = [f"Punkt {point}"] if point else [receiver.get("street", ""),
                                               f"{receiver.get('postcode', '')} {receiver.get('city', '')}".strip()]
    cod = (package.get("additional_services") or {}).get("cod") or {}
    amount = cod.get("amount")
    parcel = (package.get("parcels") or [{}])[0]

    return LabelContent(
        tracking_number=package["waybill"],
        reference=package.get("user_reference_number", ""),
        service=SERVICES.get(package["service"], package["service"]) + " (Furgonetka)",
        created=package["created"][:10],
        sender_lines=tuple(p for p in (sender.get("name", ""), sender.get("street", ""),
                                       f"{sender.get('postcode', '')} {sender.get('city', '')}".strip()) if p),
        receiver_name=receiver.get("name") or receiver.get("company", ""),
        receiver_lines=tuple(p for p in lines if p),
        locker_id=point,
        phone=receiver.get("phone", ""),
        parcel=f"{parcel.get('width', 0)}x{parcel.get('depth', 0)}x{parcel.get('height', 0)} cm",
        weight=f"{Decimal(str(parcel.get('weight', 0))):.2f}".replace(".", ",") + " kg",
        cod_text=f"POBRANIE: {format_pln(Decimal(str(amount)))}" if amount else "",
    )
