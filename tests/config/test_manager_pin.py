"""The manager's PIN: only a salted hash is kept; verify in constant time; "" removes it."""

from __future__ import annotations

import pytest

from linkoptima_gui.core.config.manager_pin import PIN_SECRET, ManagerPin, PinError
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore


def test_a_pin_is_kept_as_a_salted_hash_and_checked() -> None:
    backend = MemoryKeyring()
    pin = ManagerPin(SecretStore(backend=backend))
    assert not pin.is_set() and pin.verify("cokolwiek")  # no PIN: everybody may

    pin.set(" 4321 ")
    stored = SecretStore(backend=backend).get(PIN_SECRET)
    assert pin.is_set() and "4321" not in stored and stored.startswith("scrypt$")
    assert pin.verify("4321") and pin.verify(" 4321") and not pin.verify("1234") and not pin.verify("")
    pin.set("4321")
    assert SecretStore(backend=backend).get(PIN_SECRET) != stored  # a new salt each time

    pin.set("")
    assert not pin.is_set()


def test_short_pins_and_damaged_entries() -> None:
    store = SecretStore(backend=MemoryKeyring())
    with pytest.raises(PinError, match="co najmniej 4"):
        ManagerPin(store).set("12")
    store.set(PIN_SECRET, "garbage")
    assert not ManagerPin(store).verify("garbage")  # a damaged entry lets nobody through
