"""Before the window opens on Linux: can Qt's platform plugin load, and if not, what to install.

Why a check of our own: when a library of Qt's xcb plugin is missing, Qt aborts the process
with an English "could not load the Qt platform plugin" and no word of which Debian package
would help. ``make demo`` runs ``python -m linkoptima_gui.ui.platform_check`` first: it asks
``ldd`` which libraries of the plugin (and of Qt's xcb layer) cannot be found and names the
packages, in Polish, with the ``apt-get`` line to run. It imports no Qt module itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

#: a library Qt's xcb platform needs -> the Debian/Ubuntu package that has it
DEBIAN_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def packages_for(libraries: list[str]) -> list[str]:
    """The Debian packages to install for ``libraries`` (an unknown one by its own name)."""
    return list(dict.fromkeys(DEBIAN_PACKAGES.get(name, name) for name in libraries))


def _qt_root() -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def xcb_files(qt_root: Path) -> list[Path]:
    """Qt's xcb platform plugin and the Qt library under it, where they exist."""
    candidates = [qt_root / "plugins" / "platforms" / "libqxcb.so", *sorted((qt_root / "lib").glob("libQt6XcbQpa.so*"))]
    return [path for path in candidates if path.is_file()]


def check(environ: dict[str, str] | None = None) -> list[str]:
    """What stops the window from opening here, as Polish sentences (empty: nothing)."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal", "vnc"):
        return []
    root = _qt_root()
    if root is None:
        return ["Brak PySide6: uruchom `make install`."]
    problems = []
    if env.get("QT_QPA_PLATFORM", "").startswith("wayland") or env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return []  # Wayland: Qt's own plugin, no xcb libraries needed
    if not env.get("DISPLAY"):
        problems.append("Nie ma ekranu (zmienna DISPLAY jest pusta): uruchom z pulpitu albo, bez okna, "
                        "z QT_QPA_PLATFORM=offscreen.")
    libraries: list[str] = []
    for path in xcb_files(root):
        try:
            output = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return problems  # no ldd here: let Qt try
        libraries += missing_libraries(output)
    if libraries:
        packages = packages_for(list(dict.fromkeys(libraries)))
        problems.append("Qt nie uruchomi okna: brakuje bibliotek systemu " + ", ".join(dict.fromkeys(libraries))
                        + ". Zainstaluj je (Debian/Ubuntu): sudo apt-get install " + " ".join(packages))
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(f"linkoptima: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
