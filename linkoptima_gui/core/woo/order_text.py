"""Free text from the shop, checked before it reaches the books, the invoice and the label.

Why these rules: whatever the buyer typed goes onto an invoice that Optima sends to KSeF (XML 1.0,
which cannot carry control characters), onto a carrier's label and into Optima's name and
address columns. So:
- a control character anywhere in the buyer's or the recipient's data, a line or the note is
  refused: it is never meaningful there and would break the XML or the label;
- a field far longer than anything real (a 10,000-character name) is refused with its length
  and the limit, rather than silently cut somewhere downstream;
- HTML markup in the buyer's or recipient's data is refused: the invoice must carry the name as
  the buyer gave it, and markup there means a broken form or plugin that a person should see;
- in the names of lines, shipping and fees, markup is only presentation (WordPress keeps titles
  with entities such as ``&amp;``, themes put tags in product titles): it is removed, because the
  booked item is identified by its SKU and described by Optima's own card.
Each refusal is a ``PermanentError`` (code ``bad_text``) naming the field; the intake makes it an
exception on that order and goes on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from ..errors import PermanentError

CODE = "bad_text"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?\s*>")
_SPACES = re.compile(r"\s+")

#: (key, label, limit) of the address parts, for the buyer (billing) and the recipient (shipping)
ADDRESS_FIELDS = (
    ("first_name", "Imię", 100),
    ("last_name", "Nazwisko", 100),
    ("company", "Nazwa firmy", 250),
    ("address_1", "Adres", 200),
    ("address_2", "Adres (druga linia)", 200),
    ("city", "Miejscowość", 100),
    ("postcode", "Kod pocztowy", 20),
    ("country", "Kraj", 10),
    ("email", "E-mail", 254),
    ("phone", "Telefon", 50),
)
_WHOSE = {"billing": "nabywcy", "shipping": "odbiorcy przesyłki"}
#: (key, label, limit, markup allowed) of the order's own short fields (the store's column sizes)
ORDER_FIELDS = (
    ("number", "Numer zamówienia", 64, False),
    ("status", "Status zamówienia", 32, False),
    ("payment_method", "Metoda płatności", 64, False),
    ("payment_method_title", "Nazwa metody płatności", 128, True),  # gateways put logos in it
)
LINE_NAME_LIMIT = 500
NOTE_LIMIT = 5000


def _refuse(label: str, problem: str, path: str, **details: Any) -> PermanentError:
    return PermanentError(f"{label} {problem}. Popraw dane w zamówieniu w sklepie.", code=CODE,
                          details={"field": path, **details})


def check_text(value: Any, label: str, path: str, limit: int, *, markup_allowed: bool) -> None:
    """Refuse ``value`` (``label`` names it to a person, ``path`` to the code) when it breaks a rule above."""
    if value is None or isinstance(value, bool | int | float):
        return
    text = str(value)
    control = _CONTROL.search(text)
    if control:
        return_code = f"U+{ord(control.group()):04X}"
        raise _refuse(label, f"zawiera znak sterujący {return_code}, którego nie da się zapisać na fakturze "
                             "ani w KSeF", path, character=return_code)
    if len(text) > limit:
        raise _refuse(label, f"ma {len(text)} znaków (najwięcej {limit})", path, length=len(text), limit=limit)
    if not markup_allowed:
        tag = _TAG.search(text)
        if tag:
            raise _refuse(label, f"zawiera znaczniki HTML („{tag.group()[:40]}”)", path, tag=tag.group()[:40])


def check_order_texts(raw: Mapping[str, Any]) -> None:
    """Refuse the order when a text field cannot go onto the documents (see the module's rules)."""
    for part, whose in _WHOSE.items():
        address = raw.get(part)
        if not isinstance(address, Mapping):
            continue
        for key, label, limit in ADDRESS_FIELDS:
            check_text(address.get(key), f"{label} {whose}", f"{part}.{key}", limit, markup_allowed=False)
    for key, label, limit, markup in ORDER_FIELDS:
        check_text(raw.get(key), label, key, limit, markup_allowed=markup)
    check_text(raw.get("customer_note"), "Uwaga kupującego", "customer_note", NOTE_LIMIT, markup_allowed=True)
    for kind, label in (("line_items", "Nazwa pozycji"), ("shipping_lines", "Nazwa dostawy"),
                        ("fee_lines", "Nazwa opłaty")):
        for position, line in enumerate(raw.get(kind) or [], start=1):
            if not isinstance(line, Mapping):
                continue
            for key in ("name", "method_title", "sku"):
                if key in line:
                    check_text(line.get(key), f"{label} {position}" if key != "sku" else f"SKU pozycji {position}",
                           f"{kind}[{position}].{key}", LINE_NAME_LIMIT, markup_allowed=True)
            if kind == "shipping_lines":
                check_text(line.get("method_id"), f"Metoda dostawy {position}", f"{kind}[{position}].method_id", 64,
                       markup_allowed=False)


def clean_label(value: Any) -> str:
    """A line's, shipping's or fee's name as plain text: tags dropped, entities decoded,
    whitespace collapsed."""
    text = _TAG.sub(" ", str(value or ""))
    return _SPACES.sub(" ", html.unescape(text)).strip()
