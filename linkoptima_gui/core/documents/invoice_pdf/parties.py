"""The parts of the page header every document of a sale shares: the shop's logo and the two
boxes of seller and buyer (name, address, NIP), so an invoice and its corrections look alike.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ...domain.invoice import Party
from ...errors import PermanentError
from .glyphs import markup
from .style import CONTENT_WIDTH, GRID, TABLE_FONT, Styles


def logo_image(path: Path) -> Image:
    """The shop logo, scaled into 50 x 18 mm with its proportions kept.

    Raises ``PermanentError`` (code ``invoice_logo``) when the file cannot be read: a document
    should not silently lose the shop's branding because of a broken settings path.
    """
    try:
        width, height = ImageReader(str(path)).getSize()
    except Exception as exc:  # noqa: BLE001 - reportlab/PIL raise many kinds for a bad file
        raise PermanentError(
            f"Nie można odczytać pliku logo faktury: {path}", code="invoice_logo", details={"path": str(path)}
        ) from exc
    scale = min(50 * mm / width, 18 * mm / height)
    image = Image(str(path), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def party_cells(label: str, party: Party, s: Styles) -> list[Flowable]:
    """One party's box content: label, name, address lines, a foreign country, NIP."""
    cells: list[Flowable] = [Paragraph(markup(label.upper()), s.heading), Paragraph(markup(party.name), s.bold)]
    address = party.address
    for text in (address.street, f"{address.postcode} {address.city}".strip()):
        if text:
            cells.append(Paragraph(markup(text), s.body))
    if address.country and address.country.upper() != "PL":
        cells.append(Paragraph(markup(address.country), s.body))
    if party.nip:
        cells.append(Paragraph(markup(f"NIP: {party.nip}"), s.body))
    return cells


def parties(seller: Party, buyer: Party, s: Styles) -> list[Flowable]:
    """Seller and buyer side by side, each in its box; long names wrap inside the box."""
    half = CONTENT_WIDTH / 2
    table = Table([[party_cells("Sprzedawca", seller, s), party_cells("Nabywca", buyer, s)]],
                  colWidths=[half, half], splitInRow=1)
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (0, 0), 0.5, GRID),
                               ("BOX", (1, 0), (1, 0), 0.5, GRID), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table, Spacer(1, 6 * mm)]
