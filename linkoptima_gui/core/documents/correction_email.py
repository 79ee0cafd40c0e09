"""The e-mail that carries a correction invoice PDF to the buyer, from its own editable Jinja2
templates (``correction_email_subject.j2``, ``correction_email.txt.j2``, ``.html.j2``).

Everything that makes the invoice e-mail safe is reused, not repeated: the same sandboxed,
strict renderer (a shop's template is untrusted, a typo stops the e-mail with a reason), the
shop's template folder before the shipped Polish defaults, the same address checks, and a
Message-ID derived from the correction's number, so a resend after an unclear failure is
recognisably the same message. The buyer reads first what the correction means for them:
the amount coming back, the invoice it corrects, and why.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..domain.correction import CorrectionDocument
from ..domain.money import format_pln
from ..errors import PermanentError
from .amount_words import amount_in_words
from .correction_pdf import settlement_line
from .correction_pdf.render import KIND_LABELS
from .invoice_email import (
    attachment_name,
    compose_message,
    invoice_message_id,
    parse_address,
    render_template,
)

SUBJECT_TEMPLATE = "correction_email_subject.j2"
TEXT_TEMPLATE = "correction_email.txt.j2"
HTML_TEMPLATE = "correction_email.html.j2"


def correction_attachment_name(number: str) -> str:
    """``FAKI/3/2026`` -> ``Korekta_FAKI_3_2026.pdf``."""
    return attachment_name(number, prefix="Korekta")


def correction_context(doc: CorrectionDocument, shop_name: str) -> dict[str, Any]:
    """What templates may use: ready-formatted Polish strings, plus ``correction`` for the rest.

    ``refund``: money goes back (a reducing correction of a paid invoice); ``reduces_due``: the
    invoice was not paid yet, so its due shrinks instead; ``surcharge``: the buyer pays more.
    """
    fa = doc.original
    value = doc.gross_total
    return {
        "correction": doc,
        "shop_name": shop_name,
        "number": doc.number,
        "issue_date": doc.issue_date.strftime("%d.%m.%Y"),
        "kind": KIND_LABELS[doc.kind],
        "reason": doc.reason.strip(),
        "original_number": fa.number,
        "original_issue_date": fa.issue_date.strftime("%d.%m.%Y"),
        "original_ksef_number": fa.ksef_number,
        "order_number": fa.order_number,
        "buyer_name": fa.buyer.name,
        "seller_name": fa.seller.name,
        "payment_method": fa.payment_method,
        "refund": value < 0 and fa.paid,
        "reduces_due": value < 0 and not fa.paid,
        "surcharge": value > 0,
        "amount": format_pln(abs(value)),
        "amount_in_words": amount_in_words(abs(value)),
        "settlement": settlement_line(doc),
        "ksef_number": doc.ksef_number,
    }


def build_correction_email(
    doc: CorrectionDocument,
    pdf: bytes,
    *,
    sender: str,
    shop_name: str,
    reply_to: str = "",
    template_dir: Path | None = None,
) -> EmailMessage:
    """The complete message: To the buyer of the corrected invoice, Polish subject and body
    (HTML + text), the correction PDF attached as ``Korekta_<number>.pdf``.

    ``sender`` is ``addr`` or ``Name <addr>``; without a name the shop name is shown. Raises
    ``PermanentError`` when the buyer has no usable address or a template is broken (the same
    codes as the invoice e-mail: ``email_missing``, ``email_invalid``, ``email_template``,
    ``email_template_unsafe``).
    """
    buyer = doc.original.buyer
    if not buyer.email:
        raise PermanentError(f"Nabywca nie ma adresu e-mail: faktury korygującej {doc.number} nie można wysłać.",
                             code="email_missing", details={"correction": doc.number, "invoice": doc.original.number})
    to = parse_address(buyer.email, buyer.name, "nabywcy")
    sender_address = parse_address(sender, shop_name, "nadawcy")
    context = correction_context(doc, shop_name)
    subject = render_template(SUBJECT_TEMPLATE, context, template_dir)
    text = render_template(TEXT_TEMPLATE, context, template_dir)
    html = render_template(HTML_TEMPLATE, context, template_dir)
    return compose_message(subject=subject, sender=sender_address, to=to, reply_to=reply_to,
                           message_id=invoice_message_id(doc.number, sender_address.domain), text=text, html=html,
                           pdf=pdf, filename=correction_attachment_name(doc.number))
