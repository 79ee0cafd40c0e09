"""A keyring backend kept in memory for the settings tests (the OS keyring is not there in CI),
installed as the process's keyring the way the program finds the real one."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from linkoptima_gui.core.config.secrets import MemoryKeyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
