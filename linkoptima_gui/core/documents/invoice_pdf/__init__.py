"""The invoice PDF: ``render_invoice_pdf`` draws an ``InvoiceDocument`` as Optima booked it.

``render`` lays the page out; the parts a printout gets wrong have a module each (``glyphs``,
``lines``, ``payment``, ``ksef_qr``, ``pages``), sharing the look of ``style``.
"""

from .ksef_qr import ksef_qr_drawing, ksef_qr_label
from .lines import has_discount, price_before_discount
from .payment import payment_state
from .render import render_invoice_pdf

__all__ = [
    "has_discount",
    "ksef_qr_drawing",
    "ksef_qr_label",
    "payment_state",
    "price_before_discount",
    "render_invoice_pdf",
]
