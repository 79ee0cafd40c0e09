"""The KSeF verification link (KOD I) and the shape of a KSeF number."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

import pytest

from linkoptima_gui.core.documents.ksef import crc8, file_hash, is_ksef_number, verification_url


def test_file_hash_is_sha256_base64url_without_padding() -> None:
    digest = hashlib.sha256(b"<Faktura/>").digest()
    assert file_hash(b"<Faktura/>") == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert len(file_hash(b"x")) == 43 and "=" not in file_hash(b"x")


def test_verification_url_per_environment() -> None:
    xml = b"<Faktura>1</Faktura>"
    url = verification_url("prd", "526-025-02-74", date(2026, 2, 1), xml)
    assert url == f"https://qr.ksef.mf.gov.pl/invoice/5260250274/01-02-2026/{file_hash(xml)}"
    assert verification_url("test", "5260250274", date(2026, 2, 1), xml).startswith("https://qr-test.ksef")
    assert verification_url("demo", "5260250274", date(2026, 2, 1), xml).startswith("https://qr-demo.ksef")
    with pytest.raises(ValueError, match="środowisko"):
        verification_url("produkcja", "5260250274", date(2026, 2, 1), xml)


def test_number_shape_and_check_digits() -> None:
    assert crc8("123456789") == "F4"  # the CRC-8 (poly 0x07) check value
    body = "5260250274-20260201-0A1B2C3D4E5F"
    assert is_ksef_number(f"{body}-{crc8(body)}")
    assert not is_ksef_number("5260250274-20260201-0A1B2C3D4E5F")
    assert not is_ksef_number("")
