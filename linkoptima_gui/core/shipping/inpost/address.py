"""The receiver's address and phone as ShipX wants them: the building number apart from the
street, a ``00-000`` post code, a phone number without its Polish prefix.

Shops get these typed by buyers in every shape ("ul. Źródlana 5 m. 7", "+48 600-700-800",
"80210"). What cannot be read is passed on as typed: ShipX then names the field it refuses, and
the exceptions screen shows that to a person, which beats a guess on a parcel's address.
"""

from __future__ import annotations

import re

import phonenumbers

#: Where a Polish shop's buyers are, unless their number says otherwise.
DEFAULT_REGION = "PL"
POLAND = 48

_NUMBER = r"\d+\s?[A-Za-z]?(?:\s*[-/]\s*\d+\s?[A-Za-z]?)?(?:\s*(?:m|lok|lokal|apt)\.?\s*\d+[A-Za-z]?)?"
_STREET = re.compile(rf"^(?P<street>.+?)[\s,]+(?P<number>{_NUMBER})$")


def split_street(street: str) -> tuple[str, str]:
    """``"ul. Źródlana 5 m. 7"`` -> ``("ul. Źródlana", "5 m. 7")``: ShipX wants them apart.
    Without a trailing number the whole text is the street (ShipX will then ask for the number)."""
    text = " ".join(street.split())
    match = _STREET.match(text)
    return (match["street"].rstrip(","), match["number"]) if match else (text, "")


def normalize_phone(phone: str) -> str:
    """ShipX takes Polish numbers as nine digits: ``+48 600-700-800`` and ``0048 600700800`` are
    ``600700800``. A number abroad keeps its country code, without the ``+`` (``49301234567``);
    text that is no number at all is passed on as typed, for ShipX to refuse by name."""
    try:
        number = phonenumbers.parse(phone, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return phone.strip()
    national = phonenumbers.national_significant_number(number)
    return national if number.country_code == POLAND else f"{number.country_code}{national}"


def normalize_post_code(code: str) -> str:
    """``80210`` or ``80 210`` -> ``80-210``; anything else as typed."""
    digits = re.sub(r"\D", "", code)
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 5 else code.strip()
