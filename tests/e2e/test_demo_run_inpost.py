"""The whole chain with InPost ShipX (against its emulator) instead of the built-in carrier:
labels are bought through the asynchronous ShipX flow, and a crash right after a shipment was
created never buys a second one (the rerun finds it by the order number)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from linkoptima_gui.core.faults import CRASH_EXIT_STATUS

ORDERS = 6


def run(world: Path, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-run", "--world", str(world), "--orders", str(ORDERS),
         "--ksef-delay", "0", "--carrier", "inpost"],
        capture_output=True, text=True, timeout=180, env=dict(os.environ, LINKOPTIMA_CRASH_AT=crash_at),
    )


def test_inpost_labels_once_even_after_a_crash(tmp_path: Path) -> None:
    clean = run(tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr[-2000:]
    expected = json.loads(clean.stdout.splitlines()[-1])
    assert expected["duplicates"] == 0 and expected["labels"] == expected["printed"] == expected["packed"] >= 4

    crashed = run(tmp_path / "crashed", "label:created#2")
    assert crashed.returncode == CRASH_EXIT_STATUS
    again = run(tmp_path / "crashed")
    assert again.returncode == 0, again.stderr[-2000:]
    result = json.loads(again.stdout.splitlines()[-1])
    assert result["duplicates"] == 0
    for key in ("orders", "packed", "fa", "wz", "labels", "printed"):
        assert result[key] == expected[key], key
