"""The KSeF "KOD I" QR code: the invoice's verification link, labelled with its KSeF number.

The law puts it on every invoice KSeF has accepted (and "OFFLINE" under it while KSeF has not
assigned a number yet). Its size is a trade: a ~100-character link is 45 modules plus 8 of quiet
zone, so 25-30 mm gives 0.47-0.57 mm modules, which a phone reads off an office print. The
column holds the 35-character KSeF number on one line at 6.5 pt and leaves the payment box
~118 mm, enough for the "Zapłacono: ..." sentence of an ordinary order to stay on one line.
"""

from __future__ import annotations

from typing import Protocol
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from ..fonts import REGULAR
from .glyphs import clean_text
from .style import PAD

QR_MIN_SIZE = 25 * mm
QR_MAX_SIZE = 30 * mm
QR_COLUMN = 54 * mm
QR_LABEL_SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)
OFFLINE_LABEL = "OFFLINE"  # the label while KSeF has not assigned a number yet


class KsefMarked(Protocol):
    """What the QR code needs of a document: an invoice or a correction invoice alike."""

    @property
    def ksef_number(self) -> str: ...

    @property
    def ksef_url(self) -> str: ...


def ksef_qr_label(doc: KsefMarked) -> str:
    """The text under the KSeF QR code: the KSeF number, or "OFFLINE" until KSeF assigns one."""
    return clean_text(doc.ksef_number).strip() or OFFLINE_LABEL


def ksef_qr_drawing(doc: KsefMarked, size: float = QR_MAX_SIZE) -> Drawing | None:
    """The KSeF "KOD I" QR code (the verification link of ``doc.ksef_url``), ``size`` square with
    its quiet zone; ``None`` when the invoice has no link, so nothing is drawn.

    Error correction M: a print smudge or a fold still reads, and the code stays coarse enough
    (about half-millimetre modules) for a phone camera.
    """
    if not doc.ksef_url:
        return None
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(doc.ksef_url, barLevel="M", barBorder=4, barWidth=size, barHeight=size))
    drawing.hAlign = "CENTER"
    return drawing


def ksef_label(doc: KsefMarked) -> Paragraph:
    """The label under the QR code, in the largest size that keeps it on one line."""
    label = ksef_qr_label(doc)
    width = QR_COLUMN - 2 * PAD
    size = next((size for size in QR_LABEL_SIZES if pdfmetrics.stringWidth(label, REGULAR, size) <= width),
                QR_LABEL_SIZES[-1])
    # CJK wrapping breaks anywhere, so a label longer than any real KSeF number wraps instead of
    # running out of the column.
    style = ParagraphStyle("ksef", fontName=REGULAR, fontSize=size, leading=size * 1.2, alignment=TA_CENTER,
                           wordWrap="CJK")
    return Paragraph(escape(label), style)
