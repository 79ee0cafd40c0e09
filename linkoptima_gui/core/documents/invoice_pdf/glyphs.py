"""Text a PDF font can carry: the invoice prints whatever the shop and the books hold.

Names and addresses come from buyers, so they may hold control characters, emoji or scripts the
DejaVu fonts cannot draw. Those are filtered here, once for every text of the invoice: control
characters dropped, anything without a glyph in both faces shown as U+FFFD, so a hostile name
can neither break the PDF nor leave it unreadable for search and screen readers.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from ..fonts import BOLD, REGULAR, register_fonts

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def _supported_codepoints() -> frozenset[int]:
    """Characters both DejaVu faces can draw (and reportlab can map back to text)."""
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (REGULAR, BOLD)]  # type: ignore[attr-defined]
    # Astral characters (most emoji) are left out: reportlab writes a broken ToUnicode entry
    # for them, which makes the text unreadable for PDF readers and search.
    return frozenset(cp for cp in faces[0] if cp in faces[1] and cp <= 0xFFFF)


def clean_text(value: object) -> str:
    """Text a PDF font can carry: control characters dropped, unknown glyphs as U+FFFD."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    known = _supported_codepoints()
    return "".join(ch if ch in "\n\t" or ord(ch) in known else "\ufffd" for ch in text)


def markup(value: object) -> str:
    """Paragraph markup for untrusted text: escaped, line breaks kept."""
    return escape(clean_text(value)).replace("\n", "<br/>")
