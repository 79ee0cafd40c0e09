"""Polish tax id (NIP): normalise and validate with python-stdnum's checksum rules."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.pl import nip as stdnum_nip


class InvalidNip(ValueError):
    """The NIP given by the buyer is not a valid Polish NIP."""


def normalize_nip(value: str) -> str:
    """Digits only, a leading ``PL`` dropped: ``PL 526-025-02-74`` -> ``5260250274``."""
    text = (value or "").strip().upper()
    if text.startswith("PL"):
        text = text[2:]
    return stdnum_nip.compact(text)


def validate_nip(value: str) -> str:
    """Return the compact NIP or raise ``InvalidNip`` with the reason."""
    compact = normalize_nip(value)
    try:
        return stdnum_nip.validate(compact)
    except ValidationError as exc:
        raise InvalidNip(f"niepoprawny NIP {value!r}: {exc.message}") from exc


def is_valid_nip(value: str) -> bool:
    try:
        validate_nip(value)
    except InvalidNip:
        return False
    return True


def format_nip(value: str) -> str:
    """Display form ``526-025-02-74``."""
    return stdnum_nip.format(normalize_nip(value))
