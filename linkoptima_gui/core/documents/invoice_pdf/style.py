"""The invoice's look, shared by its parts: page geometry, colours, paragraph styles, and how
amounts, quantities and dates are written.

All DejaVu: the base-14 PDF fonts lack ą, ł, ż, and every table names its font, because a cell
without one makes reportlab pull in an unembedded Helvetica.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from ...domain.money import format_pln
from ..fonts import BOLD, REGULAR
from .glyphs import markup

MARGIN = 15 * mm  # visible page margin
FRAME_PAD = 6  # platypus frames pad their content by 6 pt; the document margins make up for it
CONTENT_WIDTH = A4[0] - 2 * MARGIN
PAD = 3  # points of left/right padding in every table cell
GRID = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#e8ecf0")
STRIPE = colors.HexColor("#f6f8fa")
INK_SOFT = colors.HexColor("#4a5561")
# Every table names its font: a cell without one makes reportlab pull in (unembedded) Helvetica.
TABLE_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 8.5)


def amount(value: Decimal) -> str:
    return format_pln(value, currency="")


def quantity(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def day(value: date) -> str:
    return value.strftime("%Y-%m-%d")


class Styles:
    """The few paragraph styles of the invoice, all DejaVu (base-14 fonts lack ą, ł, ż)."""

    def __init__(self, table_size: float = 7.5) -> None:
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5, textColor=INK_SOFT)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=BOLD)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=16, leading=20)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=BOLD, fontSize=8, textColor=INK_SOFT)
        self.due = ParagraphStyle("due", parent=self.body, fontName=BOLD, fontSize=13, leading=17)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=table_size, leading=table_size * 1.25)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD, alignment=TA_CENTER)
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)


def key_values(rows: Sequence[tuple[str, str]], s: Styles, key_width: float, width: float) -> Table:
    """Two columns, a soft key and a bold value per row (dates of the header, payment details)."""
    data = [[Paragraph(markup(k), s.small), Paragraph(markup(v), s.bold)] for k, v in rows]
    table = Table(data, colWidths=[key_width, width - key_width], hAlign="LEFT")
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table
