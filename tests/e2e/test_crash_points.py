"""Exactly once, at every step boundary: ``demo-run`` is made to die (exit 137, no cleanup, as
under kill -9) at each dangerous point of each step, rerun on the same folder, and must end
with the same FA, WZ, KP, labels and printouts as an uninterrupted run, no duplicate, and no
e-mail sent twice (one cut off mid-send waits for a person instead)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from linkoptima_gui.core.faults import CRASH_EXIT_STATUS

ORDERS = 6
POINTS = [
    "intake:stored#3",
    "fa:claimed", "fa:called#2",
    "wz:claimed", "wz:called",
    "kp:claimed", "kp:called",
    "email:claimed", "email:sending", "email:called",
    "label:creating", "label:created", "label:called",
    "pack:claimed", "pack:printed#2",
    "shop:claimed", "shop:noted", "shop:called",
]
KEYS = ("orders", "packed", "awaiting_payment", "fa", "wz", "kp", "labels", "printed")


def run(world: Path, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LINKOPTIMA_CRASH_AT=crash_at)
    return subprocess.run(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-run", "--world", str(world), "--orders", str(ORDERS),
         "--ksef-delay", "0"],
        capture_output=True, text=True, timeout=180, env=env,
    )


def counts(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict:
    result = counts(run(tmp_path_factory.mktemp("clean")))
    assert result["duplicates"] == 0 and result["packed"] >= 4
    return result


@pytest.mark.parametrize("point", POINTS)
def test_crash_and_rerun(point: str, clean: dict, tmp_path: Path) -> None:
    world = tmp_path / "world"
    crashed = run(world, point)
    assert crashed.returncode == CRASH_EXIT_STATUS, f"never reached {point}: {crashed.stderr[-1000:]}"
    again = counts(run(world))
    assert again["duplicates"] == 0
    for key in KEYS:
        assert again[key] == clean[key], key
    with sqlite3.connect(world / "console.sqlite") as db:
        unknown = db.execute("SELECT COUNT(*) FROM jobs WHERE error_code = 'email_unknown'").fetchone()[0]
        stuck = db.execute("SELECT COUNT(*) FROM jobs WHERE state = 'started'").fetchone()[0]
    assert stuck == 0
    assert again["emails"] <= clean["emails"] <= again["emails"] + unknown
    if point == "email:sending":  # (a crash elsewhere may also catch another worker mid-send)
        assert unknown >= 1
