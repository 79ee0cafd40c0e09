"""The console's own handover list (A4 PDF) for a carrier that gives no protocol of its own.

DPD prints its handover protocol (``generateProtocol``); a courier booked through Furgonetka
comes with a booking number only. The courier still signs for what he takes, so the end of the
day prints this list instead: the carrier, the day, the booking, every parcel (tracking number,
order) and lines for both signatures. In DejaVu fonts: the names are Polish.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..documents.fonts import BOLD, MONO, REGULAR, one_at_a_time

MARGIN = 18 * mm
ROW = 6 * mm


@one_at_a_time
def render_handover_pdf(carrier: str, day: date, booking_id: str, parcels: Sequence[tuple[str, str]],
                        sender: str = "") -> bytes:
    """``parcels``: (tracking number, order number) of every parcel the courier takes."""
    out = io.BytesIO()
    width, height = A4
    c = Canvas(out, pagesize=A4)
    c.setTitle(f"Zestawienie paczek {carrier} {day.isoformat()}")
    c.setAuthor("LinkOptima")

    def header(page: int) -> float:
        c.setFont(BOLD, 15)
        c.drawString(MARGIN, height - MARGIN, f"Zestawienie paczek przekazanych kurierowi — {carrier}")
        c.setFont(REGULAR, 10)
        lines = [f"Dzień odbioru: {day.strftime('%d.%m.%Y')}    Zamówienie kuriera: {booking_id or '—'}",
                 f"Paczek: {len(parcels)}" + (f"    Nadawca: {sender}" if sender else "") + f"    Strona {page}"]
        y = height - MARGIN - 8 * mm
        for line in lines:
            c.drawString(MARGIN, y, line)
            y -= 5 * mm
        c.setFont(BOLD, 9)
        y -= 3 * mm
        c.drawString(MARGIN, y, "Lp.")
        c.drawString(MARGIN + 14 * mm, y, "Numer przesyłki")
        c.drawString(MARGIN + 90 * mm, y, "Zamówienie")
        c.line(MARGIN, y - 2 * mm, width - MARGIN, y - 2 * mm)
        return y - 2 * mm - ROW

    page = 1
    y = header(page)
    for number, (tracking, order) in enumerate(parcels, start=1):
        if y < MARGIN + 30 * mm:
            c.showPage()
            page += 1
            y = header(page)
        c.setFont(REGULAR, 10)
        c.drawString(MARGIN, y, f"{number}.")
        c.setFont(MONO, 10)
        c.drawString(MARGIN + 14 * mm, y, tracking)
        c.setFont(REGULAR, 10)
        c.drawString(MARGIN + 90 * mm, y, order)
        y -= ROW
    y = max(y - 12 * mm, MARGIN + 8 * mm)
    c.setFont(REGULAR, 10)
    c.drawString(MARGIN, y, "Wydał (nadawca): ______________________")
    c.drawString(width / 2 + 5 * mm, y, "Odebrał (kurier): ______________________")
    c.showPage()
    c.save()
    return out.getvalue()
