"""A real run on a computer without a keyring (``PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring``,
separate processes as a user runs them): the secrets go to the encrypted file, a headless command
gets its password from ``--secrets-password-file`` or ``LINKOPTIMA_SECRETS_PASSWORD``, a wrong or
missing password is one Polish line (exit 2), and the file's bytes hold no secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.logs import ENV_LOG_DIR
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.demo.optima_seed import FILE_NAME, create_demo_optima

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
OPERATOR_PASSWORD = "operator-tajne-77"
SQL_PASSWORD = "sql%tajne:88"


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **NO_KEYRING}
    environment.pop("LINKOPTIMA_SECRETS_PASSWORD", None)
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-m", "linkoptima_gui.cli", *args], capture_output=True, text=True,
                          timeout=120, env=environment, input=stdin)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def refused(done: subprocess.CompletedProcess[str], code: int, piece: str) -> None:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and piece in lines[0], done.stderr
    assert piece in json.loads(done.stdout.strip().splitlines()[-1])["error"]


def test_a_keyring_less_installation_end_to_end(tmp_path: Path) -> None:
    optima = create_demo_optima(tmp_path / "optima")
    optima.dispose()
    settings = SettingsFile(tmp_path / "config" / "settings.json")
    settings.save(AppSettings(optima_company="Sklep Demo",
                              optima_connection=OptimaConnection(url=f"sqlite:///{tmp_path / 'optima' / FILE_NAME}"))
                  .to_document())
    where = ("--settings", str(settings.path))
    password = tmp_path / "haslo.txt"
    password.write_text("Hasło pliku haseł 1\n", encoding="utf-8")
    wrong = tmp_path / "zle.txt"
    wrong.write_text("nie to hasło\n", encoding="utf-8")

    # no keyring, no file: nowhere to keep a secret, said in Polish, and the way out named
    status = run("secrets", "status", *where)
    refused(status, 1, "nie ma systemowego magazynu haseł")
    assert json.loads(status.stdout)["home"] == "none" and "linkoptima secrets create" in status.stderr

    # the encrypted file, made and filled headless
    assert run("--secrets-password-file", str(password), "secrets", "create", *where).returncode == 0
    for name, value in (("optima.password", OPERATOR_PASSWORD), ("optima.sql_password", SQL_PASSWORD)):
        stored = run("--secrets-password-file", str(password), "secrets", "set", name, *where, stdin=value + "\n")
        assert stored.returncode == 0 and json.loads(stored.stdout) == {"ok": True, "home": "file", "stored": name}
    raw = (settings.path.parent / "secrets.enc").read_bytes()
    for secret in (OPERATOR_PASSWORD, SQL_PASSWORD, "optima.password", "Hasło pliku haseł"):
        assert secret.encode() not in raw
    assert OPERATOR_PASSWORD not in settings.path.read_text(encoding="utf-8")

    # a wrong password, or none, is refused before anything runs
    refused(run("--secrets-password-file", str(wrong), "optima-probe", *where), 2,
            "Nieprawidłowe hasło do zaszyfrowanego pliku haseł")
    refused(run("optima-probe", *where), 2, "a jego hasła nie podano")

    # the right one: the probe reads the passwords and gets as far as Optima's COM login, which
    # this computer has not got (exit 1: a problem found, not 2: could not start)
    probe = run("--secrets-password-file", str(password), "optima-probe", *where)
    assert probe.returncode == 1, probe.stderr
    report = json.loads(probe.stdout)
    assert [step["name"] for step in report["steps"]] == ["login"] and "pywin32" in report["steps"][0]["message"]
    status = run("secrets", "status", *where, env={"LINKOPTIMA_SECRETS_PASSWORD": "Hasło pliku haseł 1"})
    assert status.returncode == 0
    assert json.loads(status.stdout)["stored"] == ["optima.password", "optima.sql_password"]
    for log in Path(os.environ[ENV_LOG_DIR]).glob("*.log*"):
        text = log.read_text(encoding="utf-8", errors="replace")
        assert OPERATOR_PASSWORD not in text and SQL_PASSWORD not in text and "Hasło pliku haseł" not in text
