"""The built-in carrier's label as a 100x150 mm PDF (the usual thermal label stock).

Drawn with reportlab on a custom page size (``A6`` would be 105x148 mm and get scaled by the
printer driver), in DejaVu fonts because the base-14 PDF fonts have no Polish letters. Texts
that are too long shrink, then wrap, then get cut with an ellipsis: a label must stay readable
and the barcode must never be covered, whatever the shop sends.
"""

from __future__ import annotations

import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..documents.fonts import BOLD, MONO, REGULAR, one_at_a_time, register_fonts
from .label_content import LabelContent

PAGE_W = 100 * mm
PAGE_H = 150 * mm
PAGE_SIZE = (PAGE_W, PAGE_H)
MARGIN = 4 * mm
CONTENT_W = PAGE_W - 2 * MARGIN

#: 0.375 mm is 3 dots at 203 dpi: whole printer dots keep the bars sharp on thermal printers.
BAR_MODULE = 0.375 * mm
BAR_HEIGHT = 24 * mm
QUIET_MODULES = 10  # Code128 needs at least ten modules of white on each side
ADDRESS_LINES = 5  # receiver lines under the name; what fits above a COD box and the barcode


def _fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """Shrink ``text`` down to ``min_size`` to fit ``width``; past that, cut it with '…'."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Wrap on spaces into at most ``max_lines``; the last line is cut if it still overflows."""
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    lines[-1] = _fit(lines[-1], font, size, width, size)[0]
    return lines


def barcode_geometry(tracking_number: str, page_width: float = PAGE_W) -> tuple[Code128, float]:
    """The barcode and its x position, centred with full quiet zones inside the page.

    The module shrinks below ``BAR_MODULE`` only if a (longer, foreign) number would otherwise
    not fit the label width together with its quiet zones.
    """
    probe = Code128(tracking_number, barWidth=1, quiet=0, humanReadable=0)
    modules = probe.width  # with barWidth 1 the width is the module count
    module = min(BAR_MODULE, (page_width - 2 * MARGIN) / (modules + 2 * QUIET_MODULES))
    barcode = Code128(tracking_number, barWidth=module, barHeight=BAR_HEIGHT, quiet=0, humanReadable=0)
    return barcode, (page_width - barcode.width) / 2


class _Pen:
    """A top-down text cursor on the canvas, so the blocks stack without manual y arithmetic."""

    def __init__(self, canvas: Canvas, y: float) -> None:
        self.c = canvas
        self.y = y

    def line(
        self, text: str, font: str, size: float, *, min_size: float | None = None, gap: float = 1.25
    ) -> None:
        text, size = _fit(text, font, size, CONTENT_W, min_size or size)
        self.y -= size
        self.c.setFont(font, size)
        self.c.drawString(MARGIN, self.y, text)
        self.y -= size * (gap - 1)

    def caption(self, text: str) -> None:
        self.line(text.upper(), BOLD, 6.5, gap=1.5)

    def rule(self, space: float = 2 * mm) -> None:
        self.y -= space
        self.c.setLineWidth(0.8)
        self.c.line(MARGIN, self.y, PAGE_W - MARGIN, self.y)
        self.y -= space


def _header(c: Canvas, content: LabelContent) -> float:
    """Black band with the service, the way carriers mark how the parcel travels."""
    band = 11 * mm
    c.setFillGray(0)
    c.rect(0, PAGE_H - band, PAGE_W, band, stroke=0, fill=1)
    c.setFillGray(1)
    date_w = stringWidth(content.created, REGULAR, 8)
    service, size = _fit(content.service.upper(), BOLD, 13, CONTENT_W - date_w - 3 * mm, 9)
    c.setFont(BOLD, size)
    c.drawString(MARGIN, PAGE_H - band / 2 - size * 0.35, service)
    c.setFont(REGULAR, 8)
    c.drawRightString(PAGE_W - MARGIN, PAGE_H - band / 2 - 3, content.created)
    c.setFillGray(0)
    return PAGE_H - band - 2.5 * mm


def _info_grid(c: Canvas, top: float, content: LabelContent) -> float:
    """Order number, parcel size and weight in one row: what the packer checks at a glance."""
    # the order number gets the widest cell: it is what the packer matches, never to be cut
    cells = (
        ("Zamówienie", content.reference, 0.45),
        ("Gabaryt", content.parcel, 0.30),
        ("Waga", content.weight, 0.25),
    )
    x = MARGIN
    for caption, value, share in cells:
        cell_w = CONTENT_W * share
        c.setFont(BOLD, 6.5)
        c.drawString(x, top - 6.5, caption.upper())
        text, size = _fit(value, BOLD, 12, cell_w - 2 * mm, 6)
        c.setFont(BOLD, size)
        c.drawString(x, top - 6.5 - 3 - size, text)
        x += cell_w
    return top - 10 * mm


def _cod_box(c: Canvas, top: float, cod_text: str) -> float:
    """Cash on delivery in big bold white-on-black: the courier must not miss it."""
    height = 12 * mm
    c.setFillGray(0)
    c.rect(MARGIN, top - height, CONTENT_W, height, stroke=0, fill=1)
    c.setFillGray(1)
    text, size = _fit(cod_text, BOLD, 20, CONTENT_W - 4 * mm, 12)
    c.setFont(BOLD, size)
    c.drawCentredString(PAGE_W / 2, top - height / 2 - size * 0.35, text)
    c.setFillGray(0)
    return top - height - 2 * mm


def _barcode(c: Canvas, tracking_number: str) -> float:
    """Code128 of the tracking number at the bottom, the number printed under it."""
    number_size = 11
    base = MARGIN
    c.setFont(MONO, number_size)
    c.drawCentredString(PAGE_W / 2, base, tracking_number)
    barcode, x = barcode_geometry(tracking_number)
    bar_y = base + number_size + 1.5 * mm
    barcode.drawOn(c, x, bar_y)
    c.setFont(BOLD, 6.5)
    top = bar_y + BAR_HEIGHT + 1.5 * mm
    c.drawString(MARGIN, top, "NUMER PRZESYŁKI")
    return top + 6.5


def _receiver_block(pen: _Pen, content: LabelContent) -> None:
    """Receiver name big, then company and address (or the parcel locker, bigger still).

    The address gets a fixed budget of lines (it shrinks to 9 pt before anything is cut), so
    an odd address from the shop can never push the rest of the label into the barcode.
    """
    pen.line(content.receiver_name, BOLD, 16, min_size=10)
    locker_line = f"Paczkomat {content.locker_id}" if content.locker_id else None
    plain = [line for line in content.receiver_lines if line != locker_line]
    budget = ADDRESS_LINES - (2 if locker_line else 0)
    size = 11.0
    wrapped = [part for line in plain for part in _wrap(line, REGULAR, size, CONTENT_W, 2)]
    if len(wrapped) > budget:
        size, budget = 9.0, budget + 1
        wrapped = [part for line in plain for part in _wrap(line, REGULAR, size, CONTENT_W, 2)]
    for part in wrapped[:budget]:
        pen.line(part, REGULAR, size)
    if locker_line:
        pen.line(locker_line, BOLD, 20, min_size=12)
    if content.phone:
        pen.line(f"tel. {content.phone}", REGULAR, 11, min_size=8)


@one_at_a_time
def render_label_pdf(content: LabelContent) -> bytes:
    """One 100x150 mm page; deterministic bytes (``invariant``) so a reprint is identical."""
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=PAGE_SIZE, invariant=1, pageCompression=1, initialFontName=REGULAR)
    c.setTitle(f"Etykieta {content.tracking_number}")
    c.setSubject(f"Zamówienie {content.reference}")
    c.setAuthor("LinkOptima")

    pen = _Pen(c, _header(c, content))
    pen.caption("Nadawca")
    for line in content.sender_lines:
        pen.line(line, REGULAR, 8, min_size=6.5, gap=1.2)
    pen.rule()

    pen.caption("Odbiorca")
    _receiver_block(pen, content)
    pen.rule()

    y = _info_grid(c, pen.y, content)
    if content.cod_text:
        y = _cod_box(c, y - 1 * mm, content.cod_text)
    barcode_top = _barcode(c, content.tracking_number)
    if y < barcode_top:  # the line budgets above prevent it; never print over the barcode
        raise ValueError(
            f"label content too long for 100x150 mm (overlaps barcode by {barcode_top - y:.1f} pt)"
        )
    c.showPage()
    c.save()
    return buf.getvalue()
