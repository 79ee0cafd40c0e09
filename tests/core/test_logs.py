"""The log files: in the folder the support person is told of, rotating, and without secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from linkoptima_gui.core import logs
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore

SECRETS = {
    "shop.consumer_secret": "cs_0123456789abcdef0123456789abcdef01234567",
    "smtp.password": "Zażółć%gęślą:jaźń",
    "store.password": "p@ss:w%rd-of-the-store",
}


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(tmp_path / "logi"))
    yield tmp_path / "logi"
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "linkoptima", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_no_secret_reaches_the_file(log_folder: Path) -> None:
    path = logs.setup_logging("engine")
    assert path == log_folder / "engine.log"
    store = SecretStore(backend=MemoryKeyring(SECRETS))
    for name in SECRETS:
        store.get(name)  # what the keyring hands out is remembered
    log = logging.getLogger("linkoptima.test")
    log.warning("shop answered for key with secret %s", SECRETS["shop.consumer_secret"])
    log.warning("smtp login failed: password=%s", SECRETS["smtp.password"])
    log.warning("store at postgresql+psycopg://konsola:%s@db/linkoptima", SECRETS["store.password"])
    log.warning('document {"token": "tok-unknown-to-the-keyring"} and password=not-remembered')
    try:
        raise RuntimeError(f"refused {SECRETS['smtp.password']}")
    except RuntimeError:
        log.exception("mail failed")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "mail failed" in text and "Traceback" in text
    for value in [*SECRETS.values(), "tok-unknown-to-the-keyring", "not-remembered"]:
        assert value not in text
    assert text.count(logs.MASK) >= 6


def test_the_files_rotate(log_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging("console")
    log = logging.getLogger("linkoptima.test")
    for number in range(200):
        log.warning("line %d of a busy day", number)
    _flush()
    names = {path.name for path in logs.log_files()}
    assert "console.log" in names and "console.log.1" in names
    assert len(names) <= logs.BACKUPS + 1


def test_a_folder_that_cannot_be_made_leaves_the_program_running(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "plik"
    blocker.write_text("")
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(blocker / "logi"))
    assert logs.setup_logging("commands") is None
