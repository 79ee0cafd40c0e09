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


def run(world: Path, crash_at: str = "", returns: int = 0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LINKOPTIMA_CRASH_AT=crash_at)
    return subprocess.run(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-run", "--world", str(world), "--orders", str(ORDERS),
         "--ksef-delay", "0", "--returns", str(returns)],
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


RETURN_POINTS = ["korekta:claimed", "korekta:booking", "korekta:booked", "korekta:called",
                 "korekta_zwrot:called", "korekta_email:sending", "korekta_email:called"]
RETURN_KEYS = ("refunds", "corrections", "returned_items", "payouts")


@pytest.fixture(scope="module")
def clean_returns(tmp_path_factory) -> dict:
    result = counts(run(tmp_path_factory.mktemp("clean_returns"), returns=50))
    assert result["duplicates"] == 0 and result["corrections"] >= 2 and result["payouts"] >= 1
    return result


@pytest.mark.parametrize("point", RETURN_POINTS)
def test_a_crash_in_a_refund_step_never_gives_two_corrections_or_two_payouts(point: str, clean_returns: dict,
                                                                             tmp_path: Path) -> None:
    world = tmp_path / "world"
    crashed = run(world, point, returns=50)
    assert crashed.returncode == CRASH_EXIT_STATUS, f"never reached {point}: {crashed.stderr[-1000:]}"
    again = counts(run(world, returns=50))
    assert again["duplicates"] == 0
    for key in RETURN_KEYS:
        assert again[key] == clean_returns[key], key
    with sqlite3.connect(world / "console.sqlite") as db:
        unknown = db.execute("SELECT COUNT(*) FROM jobs WHERE error_code = 'email_unknown' "
                             "AND step = 'korekta_email'").fetchone()[0]
    assert again["corrections_emailed"] + unknown >= clean_returns["corrections_emailed"]
