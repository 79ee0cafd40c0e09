"""``linkoptima engine``: the same engine headless, without Qt; SIGTERM (or Ctrl+C) finishes or
releases the job in hand and exits cleanly, leaving nothing half-claimed."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_engine_runs_headless_and_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    world = tmp_path / "world"
    process = subprocess.Popen(
        # exit status 3 if Qt was ever imported: the headless engine must not need it
        [sys.executable, "-c", "import sys; from linkoptima_gui.cli import main; "
         "rc = main(['engine', '--world', sys.argv[1]]); "
         "sys.exit(3 if any(m.startswith('PySide6') for m in sys.modules) else rc)", str(world)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        info = json.loads(process.stdout.readline())
        assert info["world"] == str(world) and info["shop"].startswith("http://127.0.0.1:")
        deadline = time.monotonic() + 60
        while _count(world / "console.sqlite", "SELECT COUNT(*) FROM jobs WHERE step='fa' AND state='done'") < 1:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "the engine booked nothing"
            time.sleep(0.05)
        process.send_signal(sig)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert _count(world / "console.sqlite", "SELECT COUNT(*) FROM jobs WHERE state='started'") == 0
