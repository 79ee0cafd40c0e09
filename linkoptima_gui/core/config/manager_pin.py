"""The manager's PIN: what a packer must not do alone (skip a step, cancel an order, fix data,
retry a whole group) asks for it when one is set.

Only a salted scrypt hash is kept, in the keyring beside the other secrets, so neither the
settings file nor the keyring holds the PIN itself. A PIN is a speed bump against a mistaken
click at a shared station, not a defence against someone with the machine's keyring.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from .secrets import SecretStore

#: the keyring entry of the hash
PIN_SECRET = "manager.pin"
MIN_LENGTH = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinError(ValueError):
    """A PIN that cannot be set; ``str()`` is Polish."""


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)


def pin_entry(pin: str) -> str:
    """What the keyring keeps for ``pin`` (a salted hash; "" for no PIN); raises ``PinError``."""
    pin = pin.strip()
    if not pin:
        return ""
    if len(pin) < MIN_LENGTH:
        raise PinError(f"PIN musi mieć co najmniej {MIN_LENGTH} znaki.")
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_hash(pin, salt).hex()}"


class ManagerPin:
    def __init__(self, store: SecretStore) -> None:
        self._store = store

    def is_set(self) -> bool:
        return bool(self._store.get(PIN_SECRET))

    def set(self, pin: str) -> None:
        """Set a new PIN (digits or letters, at least ``MIN_LENGTH``); "" removes it."""
        self._store.set(PIN_SECRET, pin_entry(pin))

    def verify(self, pin: str) -> bool:
        """True when no PIN is set or ``pin`` is the one; compared in constant time."""
        stored = self._store.get(PIN_SECRET)
        if not stored:
            return True
        try:
            scheme, salt_hex, hash_hex = stored.split("$")
            salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
        except ValueError:
            return False  # a damaged entry lets nobody through; setting a new PIN repairs it
        return scheme == "scrypt" and hmac.compare_digest(_hash(pin.strip(), salt), expected)
