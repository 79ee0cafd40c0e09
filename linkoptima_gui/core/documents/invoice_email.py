"""The e-mail that carries the invoice PDF to the buyer, built from editable Jinja2 templates.

Shop owners edit the wording, so templates are untrusted input: they are rendered in Jinja2's
sandbox (no reaching into Python internals from ``{{ ... }}``), with autoescaping for the HTML
part (a buyer named ``<script>`` stays text) and with undefined names as errors (a typo in a
template should stop the e-mail with a clear reason, not send "Faktura  do zamówienia").

The Message-ID is derived from the invoice number and the sender's domain, so that if an e-mail
is ever sent twice (a retry after an unclear failure) the copies are recognisably the same
message, and mail clients that deduplicate on Message-ID show it once.
"""

from __future__ import annotations

import hashlib
import re
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..domain.invoice import InvoiceDocument
from ..domain.money import format_pln
from ..errors import PermanentError
from ..resources import resource
from .amount_words import amount_in_words

SUBJECT_TEMPLATE = "invoice_email_subject.j2"
TEXT_TEMPLATE = "invoice_email.txt.j2"
HTML_TEMPLATE = "invoice_email.html.j2"


class TemplateSecurityError(PermanentError, SecurityError):
    """A template tried to reach what the sandbox forbids.

    It is a ``PermanentError`` for the engine (a person must fix the template) and still a
    Jinja2 ``SecurityError`` for anyone who checks for that.
    """

    code = "email_template_unsafe"


def _is_html(name: str | None) -> bool:
    """Autoescape HTML templates only: ``select_autoescape`` would miss ``.html.j2``."""
    return bool(name) and name.removesuffix(".j2").endswith((".html", ".htm"))  # type: ignore[union-attr]


@lru_cache(maxsize=8)
def _environment(template_dir: Path | None) -> SandboxedEnvironment:
    """Shop templates first, the shipped Polish defaults behind them (override one, keep the rest)."""
    loaders = [FileSystemLoader(str(template_dir))] if template_dir else []
    loaders.append(FileSystemLoader(str(resource("templates"))))
    return SandboxedEnvironment(
        loader=ChoiceLoader(loaders), autoescape=_is_html, undefined=StrictUndefined, keep_trailing_newline=True
    )


def render_template(name: str, context: dict[str, Any], template_dir: Path | None = None) -> str:
    """Render one template in the sandbox; template problems become readable PermanentErrors."""
    try:
        return _environment(template_dir).get_template(name).render(context)
    except SecurityError as exc:
        raise TemplateSecurityError(
            f"Szablon e-maila „{name}” próbuje użyć niedozwolonej konstrukcji: {exc}. Popraw szablon.",
            details={"template": name},
        ) from exc
    except TemplateError as exc:
        raise PermanentError(
            f"Błąd w szablonie e-maila „{name}”: {exc}. Popraw szablon.",
            code="email_template",
            details={"template": name},
        ) from exc


def invoice_context(doc: InvoiceDocument, shop_name: str) -> dict[str, Any]:
    """What templates may use: ready-formatted Polish strings, plus ``invoice`` for the rest."""
    return {
        "invoice": doc,
        "shop_name": shop_name,
        "number": doc.number,
        "order_number": doc.order_number,
        "buyer_name": doc.buyer.name,
        "seller_name": doc.seller.name,
        "issue_date": doc.issue_date.strftime("%d.%m.%Y"),
        "sale_date": doc.sale_date.strftime("%d.%m.%Y"),
        "due_date": doc.payment_due.strftime("%d.%m.%Y"),
        "total": format_pln(doc.gross_total),
        "total_in_words": amount_in_words(doc.gross_total),
        "payment_method": doc.payment_method,
        "paid": doc.paid,
        "cash_on_delivery": doc.cash_on_delivery,
        "bank_account": doc.seller_bank_account,
        "ksef_number": doc.ksef_number,
    }


def parse_address(value: str, display_name: str, role: str) -> Address:
    """Parse ``addr`` or ``Name <addr>``; an unusable address is bad data, never retried.

    ``role`` names whose address it is in the Polish reason ("nabywcy", "nadawcy")."""
    name, addr = parseaddr(value or "")
    local, at, domain = addr.rpartition("@")
    if not value or not at or not local or not domain or any(c.isspace() for c in addr):
        raise PermanentError(f"Adres e-mail {role} „{value}” jest nieprawidłowy.", code="email_invalid",
                             details={"address": value})
    try:
        return Address(display_name=name or display_name, username=local, domain=domain)
    except (ValueError, HeaderParseError) as exc:
        raise PermanentError(f"Adres e-mail {role} „{value}” jest nieprawidłowy.", code="email_invalid",
                             details={"address": value}) from exc


def attachment_name(number: str, prefix: str = "Faktura") -> str:
    """``FA/17/2026`` -> ``Faktura_FA_17_2026.pdf`` (ASCII, safe on every mail client and disk);
    ``prefix`` names the kind of document (``Korekta`` for a correction invoice)."""
    slug = re.sub(r"[^0-9A-Za-z]+", "_", number).strip("_") or prefix.lower()
    return f"{prefix}_{slug}.pdf"


def invoice_message_id(number: str, sender_domain: str) -> str:
    """The same invoice and sender always give the same Message-ID.

    The readable slug alone could collide (``FA/17/2026`` and ``FA-17-2026``), so a short hash
    of the exact number is appended.
    """
    slug = re.sub(r"[^0-9A-Za-z]+", ".", number).strip(".") or "faktura"
    digest = hashlib.sha256(number.encode("utf-8")).hexdigest()[:10]
    try:
        domain = sender_domain.strip().lower().encode("idna").decode("ascii")
    except UnicodeError:
        domain = "linkoptima.invalid"
    return f"<faktura.{slug}.{digest}@{domain}>"


def build_invoice_email(
    doc: InvoiceDocument,
    pdf: bytes,
    *,
    sender: str,
    reply_to: str = "",
    shop_name: str,
    template_dir: Path | None = None,
) -> EmailMessage:
    """The complete message: To the buyer, Polish subject and body (HTML + text), PDF attached.

    ``sender`` is ``addr`` or ``Name <addr>``; without a name the shop name is shown. Raises
    ``PermanentError`` when the buyer has no usable address or a template is broken.
    """
    if not doc.buyer.email:
        raise PermanentError(f"Nabywca nie ma adresu e-mail: faktury {doc.number} nie można wysłać.",
                             code="email_missing", details={"invoice": doc.number})
    to = parse_address(doc.buyer.email, doc.buyer.name, "nabywcy")
    sender_address = parse_address(sender, shop_name, "nadawcy")
    context = invoice_context(doc, shop_name)
    subject = render_template(SUBJECT_TEMPLATE, context, template_dir)
    text = render_template(TEXT_TEMPLATE, context, template_dir)
    html = render_template(HTML_TEMPLATE, context, template_dir)
    return compose_message(subject=subject, sender=sender_address, to=to, reply_to=reply_to,
                           message_id=invoice_message_id(doc.number, sender_address.domain), text=text, html=html,
                           pdf=pdf, filename=attachment_name(doc.number))


def compose_message(*, subject: str, sender: Address, to: Address, reply_to: str, message_id: str, text: str,
                    html: str, pdf: bytes, filename: str) -> EmailMessage:
    """The message every document e-mail is: headers, text and HTML alternatives, the PDF.

    ``subject`` is taken as one line (a template's line breaks cannot add headers).
    """
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = sender
    msg["To"] = to
    if reply_to:
        msg["Reply-To"] = parse_address(reply_to, "", "do odpowiedzi")
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = message_id
    # Quoted-printable keeps the body 7-bit clean for servers without 8BITMIME.
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg
