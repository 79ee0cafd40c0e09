"""Fixtures of the shop tests: the emulator over https with a certificate from the throw-away CA
of the mail TLS tests (over http it is the root conftest's ``shop``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.demo.shop import ShopEmulator

from ..documents.test_mailer_tls import pki  # noqa: F401 - the throw-away CA, as a fixture here too


@pytest.fixture
def tls_shop(tmp_path: Path, pki: dict[str, Path]) -> Iterator[ShopEmulator]:  # noqa: F811 - the fixture above
    with ShopEmulator(tmp_path / "tls-shop", certificate=(pki["cert"], pki["key"])) as emulator:
        yield emulator
