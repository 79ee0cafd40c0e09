"""``linkoptima support-bundle``: the logs, the settings without secrets, versions, the store's
revision and its last 200 audit events, in one zip."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

import pytest

from linkoptima_gui import cli
from linkoptima_gui.core import logs
from linkoptima_gui.core.store.db import open_store, sqlite_url
from linkoptima_gui.core.store.migrate import HEAD
from linkoptima_gui.core.store.models import AuditEvent

SECRET = "cs_feedfacefeedfacefeedfacefeedface0123"


def test_the_bundle_holds_what_support_asks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(logs.ENV_LOG_DIR, str(tmp_path / "logi"))
    world = tmp_path / "świat"
    world.mkdir()
    sessions = open_store(sqlite_url(world / "console.sqlite"))
    with sessions.begin() as session:
        session.add_all(AuditEvent(kind="retry", message=f"zdarzenie {n}", actor="kierownik") for n in range(250))
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"version": 2, "shop": {"url": "https://sklep.pl"},
                                    "store_url": "postgresql+psycopg://konsola:tajne-haslo@db/sklep"}))
    logs.remember_secret(SECRET)
    out = tmp_path / "raport.zip"
    try:
        code = cli.main(["support-bundle", "--out", str(out), "--world", str(world), "--settings", str(settings)])
        logging.getLogger("linkoptima.test").warning("the shop refused key %s", SECRET)
        for handler in logging.getLogger().handlers:
            handler.flush()
        code = cli.main(["support-bundle", "--out", str(out), "--world", str(world), "--settings", str(settings)])
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "linkoptima", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert code == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"ok": True, "file": str(out)}
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
        assert {"wersje.json", "ustawienia.json", "baza.json", "logi/commands.log"} <= names
        store = json.loads(bundle.read("baza.json"))
        assert store["revision"] == HEAD
        assert len(store["audit_events"]) == 200 and store["audit_events"][-1]["message"] == "zdarzenie 249"
        assert json.loads(bundle.read("wersje.json"))["versions"]["linkoptima"]
        assert json.loads(bundle.read("ustawienia.json"))["shop"]["url"] == "https://sklep.pl"
        everything = b"".join(bundle.read(name) for name in names).decode("utf-8")
    assert "the shop refused key" in everything
    assert SECRET not in everything and "tajne-haslo" not in everything
