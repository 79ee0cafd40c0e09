"""``make demo``'s check before the window: the missing xcb libraries named with their Debian
packages, and nothing asked where no window is opened."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from linkoptima_gui.ui import platform_check

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibQt6Gui.so.6 => /venv/PySide6/Qt/lib/libQt6Gui.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
"""


def test_missing_libraries_become_debian_packages() -> None:
    assert platform_check.missing_libraries(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert platform_check.packages_for(["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.9"]) == [
        "libxcb-icccm4", "libxcb-keysyms1", "libfoo.so.9"]


def test_the_check_names_the_apt_get_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = tmp_path / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"")
    monkeypatch.setattr(platform_check, "_qt_root", lambda: tmp_path)
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=LDD))
    problems = platform_check.check({"DISPLAY": ":0"})
    assert problems == ["Qt nie uruchomi okna: brakuje bibliotek systemu libxcb-icccm.so.4, libxcb-keysyms.so.1. "
                        "Zainstaluj je (Debian/Ubuntu): sudo apt-get install libxcb-icccm4 libxcb-keysyms1"]
    assert platform_check.check({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) == []
    no_screen = platform_check.check({})
    assert no_screen[0].startswith("Nie ma ekranu") and len(no_screen) == 2
