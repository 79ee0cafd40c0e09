"""The program ``make package`` built (dist/LinkOptima), started as a user starts it.

Run by ``make test-package`` (and ``.ci/run``) after the one build; marked ``package``, so the
normal suite leaves it out. Nothing here imports the project: the frozen program must carry
everything itself (the modules named by name at run time, the fonts, the translations, keyring's
back ends, the store's migrations).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.package, pytest.mark.timeout(600)]  # a cold start of the frozen program is slow

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "LinkOptima"
EXE = ".exe" if sys.platform == "win32" else ""
CONSOLE = DIST / f"LinkOptima{EXE}"
COMMANDS = DIST / f"linkoptima-cli{EXE}"


def _version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.fixture(scope="module", autouse=True)
def _built() -> None:
    if not (CONSOLE.is_file() and COMMANDS.is_file()):
        pytest.fail(f"{DIST} is not built: run make package (make test-package builds it)")


def run(program: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None,
        **kwargs) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    environment.pop("PYTHONPATH", None)  # nothing of the source tree may help it
    done = subprocess.run([str(program), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment, cwd=DIST.parent, **kwargs)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_both_programs_say_their_version() -> None:
    for program in (COMMANDS, CONSOLE):
        done = run(program, "--version")
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"linkoptima {_version()}"


def test_the_bundle_carries_the_translations_fonts_and_migrations() -> None:
    data = DIST / "_internal"
    for required in ("resources/translations/linkoptima_en.qm", "resources/fonts/DejaVuSans.ttf",
                     "resources/fonts/DejaVuSans-Bold.ttf", "resources/templates/invoice_email.html.j2",
                     "linkoptima_gui/core/store/migrations/env.py"):
        assert (data / required).is_file(), required
    assert list((data / "linkoptima_gui" / "core" / "store" / "migrations" / "versions").glob("0001_*.py"))


def test_demo_run_and_the_console_opening_and_closing(tmp_path: Path) -> None:
    """The whole chain headless (shop, Optima, mail, carrier, printer of the demo world), then the
    console on the same world: its main window opens offscreen and closes."""
    world = tmp_path / "world"
    done = run(COMMANDS, "demo-run", "--world", str(world), "--orders", "5")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert counts["orders"] == 5 and counts["duplicates"] == 0
    assert counts["packed"] + counts["awaiting_payment"] + counts["exceptions"] == 5
    assert counts["packed"] >= 1
    assert counts["fa"] == counts["wz"] == counts["printed"] == counts["packed"] <= counts["labels"]
    assert counts["emails"] == counts["fa"]
    assert list((world / "printer").rglob("*.pdf")), "no label or invoice was printed"

    shown = run(CONSOLE, "--demo", "--world", str(world), env={"LINKOPTIMA_CLOSE_AFTER": "2"})
    assert shown.returncode == 0, shown.stderr
    window = json.loads(shown.stdout.strip().splitlines()[-1])
    assert window["visible"] and window["window"] == "LinkOptima — DEMO" and window["platform"] == "offscreen"
    assert window["tabs"] == ["Pulpit", "Zamówienia", "Pakowanie", "Wyjątki", "Wydruki", "Ustawienia"]


def test_without_a_keyring_the_encrypted_secrets_file_works(tmp_path: Path) -> None:
    """keyring's back ends and cryptography's scrypt and Fernet are in the bundle."""
    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    settings = tmp_path / "settings.json"
    settings.write_text("{}", encoding="utf-8")
    status = run(COMMANDS, "secrets", "status", "--settings", str(settings), env=no_keyring)
    assert status.returncode == 1 and json.loads(status.stdout)["home"] == "none"
    assert "nie ma systemowego magazynu haseł" in status.stderr
    password = tmp_path / "haslo.txt"
    password.write_text("haslo-do-pliku-1\n", encoding="utf-8")
    options = ("--secrets-password-file", str(password))
    assert run(COMMANDS, *options, "secrets", "create", "--settings", str(settings), env=no_keyring).returncode == 0
    stored = run(COMMANDS, *options, "secrets", "set", "smtp.password", "--settings", str(settings),
                 env=no_keyring, input="tajne-haslo-poczty\n")
    assert stored.returncode == 0, stored.stderr
    status = run(COMMANDS, *options, "secrets", "status", "--settings", str(settings), env=no_keyring)
    assert status.returncode == 0 and json.loads(status.stdout)["stored"] == ["smtp.password"]
    assert b"tajne-haslo-poczty" not in (tmp_path / "secrets.enc").read_bytes()
