"""What the DPD emulator knows besides its API: the DPD Pickup points MyPudo lists, the waybill
numbering, the label's wording and the handover protocol's PDF.

Facts (reference ``carriers.md`` §1.1): waybills are 13 digits and a letter (``1000452444028U``).
The points' data and the protocol's layout are our choice [I], shaped like the real ones.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ...core.domain.money import format_pln
from ...core.shipping.label_content import LabelContent

#: DPD Pickup points: id, name, city, postcode, street, takes COD
POINTS: list[tuple[str, str, str, str, str, bool]] = [
    ("PL11033", "DPD Pickup Żabka", "Kraków", "30-002", "ul. Karmelicka 5", True),
    ("PL14021", "DPD Pickup Stacja Orlen", "Kraków", "30-015", "al. Słowackiego 40", False),
    ("PL20877", "DPD Pickup Kiosk Ruch", "Warszawa", "00-950", "ul. Marszałkowska 10", True),
    ("PL31002", "DPD Pickup Księgarnia", "Gdańsk", "80-210", "ul. Źródlana 7", True),
]
POINT_IDS = frozenset(p[0] for p in POINTS)


def waybill(seq: int) -> str:
    return f"{1000452444000 + seq:013d}U"


def point_json(row: tuple[str, str, str, str, str, bool]) -> dict[str, Any]:
    pudo_id, name, city, zipcode, street, cod = row
    return {"pudo_id": pudo_id, "name": name, "city": city, "zipcode": zipcode, "address": street, "cod": cod}


def label_content(package: dict[str, Any], waybill_no: str) -> LabelContent:
    receiver, sender = package["receiver"], package["sender"]
    services = {s["code"]: {a["code"]: a["value"] for a in s.get("attributes", [])} for s in package["services"]}
    point = services.get("DPD_PICKUP", {}).get("POINT_ID", "")
    postcode = str(receiver.get("postalCode", ""))
    postcode = f"{postcode[:2]}-{postcode[2:]}" if len(postcode) == 5 else postcode
    lines = [f"DPD Pickup {point}"] if point else [receiver.get("address", ""), f"{postcode} {receiver.get('city', '')}"]
    parcel = package["parcels"][0]
    amount = services.get("COD", {}).get("AMOUNT")
    return LabelContent(
        tracking_number=waybill_no, reference=package.get("reference", ""),
        service="DPD Pickup" if point else "DPD Classic", created=package["created"][:10],
        sender_lines=tuple(p for p in (sender.get("company", ""), sender.get("address", ""), sender.get("city", ""))
                           if p),
        receiver_name=receiver.get("name") or receiver.get("company", ""),
        receiver_lines=tuple(p.strip() for p in lines if p.strip()), locker_id=point,
        phone=receiver.get("phone", ""),
        parcel=f"{parcel.get('sizeX', 0)}x{parcel.get('sizeY', 0)}x{parcel.get('sizeZ', 0)} cm",
        weight=f"{Decimal(str(parcel.get('weight', 0))):.2f}".replace(".", ",") + " kg",
        cod_text=f"POBRANIE: {format_pln(Decimal(str(amount)))}" if amount else "",
    )


def protocol_pdf(document_id: str, fid: str, day: str, rows: list[tuple[str, str]]) -> bytes:
    """A one-page A4 handover protocol: the parcels (waybill, reference) the courier signs for."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    c.setTitle(f"Protokol przekazania {document_id}")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 800, f"DPD Polska - protokol przekazania {document_id}")
    c.setFont("Helvetica", 10)
    c.drawString(50, 780, f"FID {fid}, dzien {day}, paczek: {len(rows)}")
    y = 750
    for number, reference in rows:
        c.drawString(60, y, f"{number}    {reference}")
        y -= 14
    c.drawString(50, max(y - 30, 60), "Podpis kuriera: ____________________")
    c.showPage()
    c.save()
    return out.getvalue()
