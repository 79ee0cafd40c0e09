"""The carriers the console knows, by the name the shipping map and the store use: how people call
them, which of the port's services each offers, and the carrier's own service codes a map may
name (``ShippingRule.carrier_service``).

One table for the settings screen (its choices and their validation), the exceptions screen (who
refused) and the end of the day (whose courier): a carrier added to the console is added here.

Facts (reference ``carriers.md`` §1.1, §1.7): Furgonetka routes DPD, DHL, InPost, Poczta Polska,
ORLEN Paczka, GLS and UPS by a ``service`` code of the network; DPD direct delivers to a door or
to a DPD Pickup point and has no express of its own in the port; InPost's services are the three
the account maps to ShipX's (``inpost/settings.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: the port's generic services (``ShipmentRequest.service``), in Polish
SERVICES = {
    "locker_standard": "Paczkomat / punkt odbioru – standard",
    "courier_standard": "Kurier – standard",
    "courier_express": "Kurier – ekspres",
}


@dataclass(frozen=True)
class CarrierInfo:
    name: str  # as the map and the store say it: "dpd"
    title: str  # as people say it: "DPD Polska"
    services: tuple[str, ...] = tuple(SERVICES)
    #: the carrier's own service codes a map may name (none: the carrier needs no code)
    own_services: dict[str, str] = field(default_factory=dict)


CARRIERS: dict[str, CarrierInfo] = {
    "builtin": CarrierInfo("builtin", "LinkOptima (wbudowany)"),
    "inpost": CarrierInfo("inpost", "InPost"),
    "furgonetka": CarrierInfo("furgonetka", "Furgonetka", own_services={
        "dpd": "DPD", "dhl": "DHL", "inpost": "InPost Paczkomat", "inpostkurier": "InPost Kurier",
        "poczta": "Poczta Polska (Pocztex)", "orlen": "ORLEN Paczka", "gls": "GLS", "ups": "UPS"}),
    "dpd": CarrierInfo("dpd", "DPD Polska", services=("courier_standard", "locker_standard")),
}


def carrier_title(name: str) -> str:
    """How people call the carrier ``name`` (the name itself for one the console does not know)."""
    info = CARRIERS.get(name)
    return info.title if info else name


def rule_problem(method: str, carrier: str, service: str, carrier_service: str, default: str = "") -> str:
    """What is wrong with one line of the shipping map, in Polish ("" when nothing): an unknown
    carrier, a service the carrier does not offer, or a code of its own it does not know.
    ``carrier`` empty means the installation's carrier, ``default``."""
    if carrier and carrier not in CARRIERS:
        return (f"Metoda wysyłki {method}: nieznany przewoźnik „{carrier}” (znani: "
                f"{', '.join(CARRIERS)}; puste pole: przewoźnik domyślny).")
    info = CARRIERS.get(carrier or default)
    services = info.services if info else tuple(SERVICES)
    if service not in services:
        offered = ", ".join(services)
        who = f"przewoźnik {info.title}" if info else "przewoźnik"
        return f"Metoda wysyłki {method}: {who} nie ma usługi „{service}” (dostępne: {offered})."
    if carrier_service:
        own = info.own_services if info else {}
        title = info.title if info else "domyślny"
        if not own:
            return (f"Metoda wysyłki {method}: przewoźnik {title} nie ma własnych kodów usług — zostaw "
                    f"„usługę u przewoźnika” pustą (jest „{carrier_service}”).")
        if carrier_service not in own:
            return (f"Metoda wysyłki {method}: przewoźnik {title} nie zna usługi „{carrier_service}” "
                    f"(dostępne: {', '.join(own)}).")
    return ""
