"""The bad-input table of issue 19: each row run as a user runs it (a separate process), answered
by one Polish line, the right exit code, JSON where the command prints JSON, and no traceback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui import cli
from linkoptima_gui.core.logs import ENV_LOG_DIR


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **(env_extra or {})}
    env.pop("LINKOPTIMA_SHOP_SECRET", None)
    return subprocess.run([sys.executable, "-m", "linkoptima_gui.cli", *args], capture_output=True, text=True,
                          timeout=60, env=env)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _a_file(tmp_path: Path) -> str:
    path = tmp_path / "plik"
    path.write_text("nie folder")
    return str(path)


ROWS = [
    # (id, arguments from tmp_path, exit code, a piece of the Polish line, JSON on stdout)
    ("world-is-file", lambda t: ["demo-run", "--world", _a_file(t), "--orders", "1"], 2, "jest plikiem", True),
    ("world-cannot-be-made", lambda t: ["demo-run", "--world", _a_file(t) + "/świat", "--orders", "1"], 2,
     "Nie można utworzyć folderu", True),
    ("status-world-is-file", lambda t: ["status", "--world", _a_file(t)], 2, "jest plikiem", True),
    ("console-world-is-file", lambda t: ["--world", _a_file(t)], 2, "jest plikiem", False),
    ("orders-negative", lambda t: ["demo-run", "--world", str(t / "w"), "--orders", "-5"], 2,
     "poza zakresem", False),
    ("orders-not-a-number", lambda t: ["demo-run", "--world", str(t / "w"), "--orders", "pięć"], 2,
     "nie jest liczbą całkowitą", False),
    ("woo-check-ipv6", lambda t: ["woo-check", "--url", "http://[::1", "--key", "ck_x", "--secret", "cs_x"], 2,
     "niedomknięty nawias", True),
    ("woo-check-port", lambda t: ["woo-check", "--url", "http://127.0.0.1:99999", "--key", "ck_x",
                                  "--secret", "cs_x"], 2, "port poza zakresem", True),
    ("woo-check-scheme", lambda t: ["woo-check", "--url", "sklep.pl", "--key", "ck_x", "--secret", "cs_x"], 2,
     "https://", True),
    ("woo-check-no-secret", lambda t: ["woo-check", "--url", "http://127.0.0.1:9", "--key", "ck_x"], 2,
     "Podaj klucz tajny", True),
    ("demo-shop-port-range", lambda t: ["demo-shop", "--world", str(t / "w"), "--port", "70000"], 2,
     "poza zakresem", False),
    ("woo-check-timeout", lambda t: ["woo-check", "--url", "http://127.0.0.1:9", "--key", "k", "--secret", "s",
                                     "--timeout", "-1"], 2, "dozwolone co najmniej", False),
]


@pytest.mark.parametrize(("arguments", "code", "message", "json_out"),
                         [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_bad_input_is_one_polish_line(tmp_path: Path, arguments, code: int, message: str, json_out: bool) -> None:
    result = run(*arguments(tmp_path))
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkoptima"), result.stderr
    assert message in lines[0]
    if json_out:
        answer = json.loads(result.stdout)
        assert answer["ok"] is False and message in answer["error"]
    else:
        assert result.stdout == ""


def test_demo_shop_on_a_port_in_use(tmp_path: Path, busy_port: int) -> None:
    result = run("demo-shop", "--world", str(tmp_path / "w"), "--port", str(busy_port))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"Port {busy_port} jest zajęty" in result.stderr
    assert json.loads(result.stdout)["ok"] is False


def test_a_refused_shop_is_a_failed_check(tmp_path: Path, busy_port: int) -> None:
    """A shop that does not answer was tried: exit 1, not 2, with the reason in the JSON."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    result = run("woo-check", "--url", f"http://127.0.0.1:{free}", "--key", "ck_x", "--secret", "cs_x",
                 "--timeout", "5")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["reachable"] is False


def test_an_unexpected_error_goes_to_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The user sees one short line naming the log; the log holds the traceback."""
    monkeypatch.setenv(ENV_LOG_DIR, str(tmp_path / "logs"))

    def broken(args):
        raise RuntimeError("coś poszło nie tak w środku")

    monkeypatch.setattr(cli, "_run", broken)
    assert cli.main(["status", "--world", str(tmp_path / "w")]) == 1
    captured = capsys.readouterr()
    log = tmp_path / "logs" / "commands.log"
    assert "Traceback" not in captured.err
    assert f"nieoczekiwany błąd (RuntimeError). Szczegóły zapisano w dzienniku: {log}" in captured.err
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "coś poszło nie tak w środku" in text
