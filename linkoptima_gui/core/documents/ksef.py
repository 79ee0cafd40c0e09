"""KSeF facts the console needs without talking to KSeF itself (Optima sends the invoices).

- ``verification_url``: the "KOD I" link every visualisation of a KSeF invoice carries as a QR
  code (reference/shipping_invoicing.md §3.5): ``https://qr.ksef.mf.gov.pl/invoice/<seller NIP>/
  <issue date DD-MM-YYYY>/<SHA-256 of the invoice XML file, Base64URL>``; the test and demo
  environments use the ``qr-test.`` / ``qr-demo.`` hosts.
- ``is_ksef_number``: the shape of a KSeF number, ``<NIP>-<YYYYMMDD>-<12 hex>-<2 hex>``, so a
  value read from Optima is only printed as one when it looks like one.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date

QR_HOSTS = {
    "prd": "qr.ksef.mf.gov.pl",
    "test": "qr-test.ksef.mf.gov.pl",
    "demo": "qr-demo.ksef.mf.gov.pl",
}

_NUMBER = re.compile(r"^\d{10}-\d{8}-[0-9A-F]{12}-[0-9A-F]{2}$")


def file_hash(xml: bytes) -> str:
    """SHA-256 of the invoice file, Base64URL without padding (43 characters)."""
    return base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).rstrip(b"=").decode("ascii")


def verification_url(environment: str, seller_nip: str, issue_date: date, xml: bytes) -> str:
    """The KOD I link of the invoice whose KSeF file is ``xml``."""
    host = QR_HOSTS.get(environment)
    if host is None:
        raise ValueError(f"Nieznane środowisko KSeF: {environment!r} (prd, test albo demo)")
    nip = re.sub(r"\D", "", seller_nip)
    return f"https://{host}/invoice/{nip}/{issue_date:%d-%m-%Y}/{file_hash(xml)}"


def is_ksef_number(value: str) -> bool:
    return bool(_NUMBER.match(value or ""))


def crc8(text: str) -> str:
    """CRC-8 (polynomial 0x07, initial 0) of ``text``, as two upper-case hex digits: the check
    part of a KSeF number."""
    crc = 0
    for byte in text.encode("ascii"):
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return f"{crc:02X}"
