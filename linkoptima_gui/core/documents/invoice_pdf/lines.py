"""The lines table and the VAT summary: every figure as Optima booked it, none computed here.

Numbers never wrap, so their columns take what they need and the name gets the rest; a very
wide invoice (huge amounts) shrinks the type instead of squeezing names to nothing, and a long
table splits across pages with its header repeated. A "Rabat" column appears when a line
carries a discount not already in its price (art. 106e ust. 1 pkt 10), with the unit price
shown before that discount, so "price x quantity - discount = value" reads across the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table, TableStyle

from ...domain.invoice import InvoiceDocument, InvoiceLine
from ...domain.money import round_grosz
from ..fonts import BOLD, REGULAR
from .glyphs import clean_text, markup
from .style import CONTENT_WIDTH, GRID, PAD, SHADE, STRIPE, Styles, amount, quantity

_NUMERIC_HEADERS = ("Ilość", "Cena netto", "Wartość netto", "Stawka VAT", "Kwota VAT", "Wartość brutto")


def has_discount(doc: InvoiceDocument) -> bool:
    """Whether the lines table needs its "Rabat" column (a surcharge, below zero, is not one)."""
    return any(line.discount_percent > 0 for line in doc.lines)


def price_before_discount(line: InvoiceLine) -> Decimal | None:
    """The unit net price before the line's discount, as the buyer saw it in the shop.

    ``unit_net`` is the price after the discount (Optima's TrE_CenaT, or net value / quantity),
    and the document carries no other price, so the list price is taken back from it and rounded
    to the grosz. ``None`` for a 100 % discount, where nothing can be taken back.
    """
    if line.discount_percent <= 0:
        return line.unit_net
    if line.discount_percent >= 100:
        return None
    return round_grosz(line.unit_net * 100 / (100 - line.discount_percent))


def _line_cells(line: InvoiceLine, with_discount: bool) -> tuple[list[str], list[str]]:
    """(text columns, numeric columns) of one line, already formatted.

    With the discount column the price is the one before the discount while the values stay
    as booked, so "price x quantity - discount = value" can be read across the row.
    """
    texts = [str(line.position), line.name, line.code, line.unit]
    price = price_before_discount(line) if with_discount else line.unit_net
    numbers = [quantity(line.quantity), "\u2014" if price is None else amount(price), amount(line.net),
               line.rate.label, amount(line.vat), amount(line.gross)]
    if with_discount:
        discount = line.discount_percent if line.discount_percent > 0 else Decimal(0)
        numbers.insert(2, f"{quantity(discount)}%")
    return texts, numbers


def fit_width(texts: Sequence[str], header: str, size: float, cap: float | None = None, font: str = REGULAR) -> float:
    """Column width that holds the widest cell unbroken and each header word (header may wrap);
    ``font`` BOLD for a column with bold cells, which are wider."""
    widest = max((pdfmetrics.stringWidth(clean_text(t), font, size) for t in texts), default=0.0)
    word = max(pdfmetrics.stringWidth(w, BOLD, size) for w in header.split())
    width = max(widest, word) + 2 * PAD + 1
    return min(width, cap) if cap else width


def lines_table(doc: InvoiceDocument, with_discount: bool) -> Table:
    headers = ["Lp.", "Nazwa", "Kod", "J.m.", *_NUMERIC_HEADERS]
    if with_discount:
        headers.insert(6, "Rabat")
    rows = [_line_cells(line, with_discount) for line in doc.lines]
    # Numbers never wrap, so their columns take what they need and the name gets the rest;
    # a very wide invoice (huge amounts) shrinks the type instead of squeezing names to nothing.
    for size in (7.5, 7.0, 6.5, 6.0, 5.5):
        s = Styles(size)
        widths = [fit_width([r[0][0] for r in rows], "Lp.", size),
                  0.0,
                  fit_width([r[0][2] for r in rows], "Kod", size, cap=26 * mm),
                  fit_width([r[0][3] for r in rows], "J.m.", size, cap=14 * mm)]
        widths += [fit_width([r[1][i] for r in rows], h, size) for i, h in enumerate(headers[4:])]
        widths[1] = CONTENT_WIDTH - sum(widths)
        if widths[1] >= 40 * mm:
            break
    widths[1] = max(widths[1], 20 * mm)
    data: list[list[object]] = [[Paragraph(markup(h), s.head) for h in headers]]
    for texts, numbers in rows:
        data.append([texts[0], Paragraph(markup(texts[1]), s.cell), Paragraph(markup(texts[2]), s.cell),
                     Paragraph(markup(texts[3]), s.cell), *numbers])
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    style = [("FONT", (0, 0), (-1, -1), REGULAR, s.cell.fontSize), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
             ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
             ("VALIGN", (0, 1), (-1, -1), "TOP"), ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
             ("ALIGN", (0, 1), (0, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), PAD),
             ("RIGHTPADDING", (0, 0), (-1, -1), PAD)]
    style += [("BACKGROUND", (0, row), (-1, row), STRIPE) for row in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def vat_summary(doc: InvoiceDocument, s: Styles) -> Table:
    data: list[list[object]] = [[Paragraph(h, s.head) for h in ("Stawka VAT", "Wartość netto", "Kwota VAT",
                                                                  "Wartość brutto")]]
    data += [[row.rate.label, amount(row.net), amount(row.vat), amount(row.gross)] for row in doc.vat_rows]
    data.append(["Razem", amount(doc.net_total), amount(doc.vat_total), amount(doc.gross_total)])
    table = Table(data, colWidths=[24 * mm, 27 * mm, 27 * mm, 27 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 8), ("FONT", (0, -1), (-1, -1), BOLD, 8),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BACKGROUND", (0, -1), (-1, -1), STRIPE), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table
