"""The correction invoice PDF: ``render_correction_pdf`` draws a ``CorrectionDocument`` as
Optima booked it, with every corrected line and VAT rate before, after and the difference.

``states`` sums the booked figures into those three states (the only arithmetic, and no
rounding); ``tables`` draws them; ``render`` lays the page out with the invoice's own parts.
"""

from .render import correction_title, render_correction_pdf, settlement_line
from .states import CorrectedLine, Figures, RateState, corrected_lines, rate_states, total_state

__all__ = [
    "CorrectedLine",
    "Figures",
    "RateState",
    "corrected_lines",
    "correction_title",
    "rate_states",
    "render_correction_pdf",
    "settlement_line",
    "total_state",
]
