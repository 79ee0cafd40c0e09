"""The malloc arena limit: set on glibc, left to the environment when it already says."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = "from linkoptima_gui.core.memory import limit_malloc_arenas; print(limit_malloc_arenas())"


def run_child(env_extra: dict[str, str]) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env_extra
    return subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env,
                          check=True, timeout=60).stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_arena_limit_is_set_unless_the_environment_sets_one() -> None:
    assert run_child({}) == "True"
    assert run_child({"MALLOC_ARENA_MAX": "4"}) == "False"
