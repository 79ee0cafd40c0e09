"""Refreshing and compiling the translations with Qt's own tools (lupdate, lrelease from PySide6).

One place for the tools' arguments, so ``make translations``, the build (make's ``.qm`` target,
and the PyInstaller spec on Windows, where there is no make) and the tests all run the same
commands. The ``.ts`` files are the sources kept in git; the ``.qm`` files are built from them.

    python -m linkoptima_gui.ui.i18n.build update    # lupdate: new strings into every .ts
    python -m linkoptima_gui.ui.i18n.build compile   # lrelease: every .ts -> .qm beside it
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import PySide6

from .language import SOURCE_LANGUAGE
from .loading import translations_dir

#: the code whose strings are translated: every screen (``texts.py`` included)
UI_DIR = Path(__file__).resolve().parents[1]
_EXTRA_COMMENT = re.compile(r"\n[ \t]*<extracomment>.*?</extracomment>", re.DOTALL)


def tool(name: str) -> Path:
    """A Qt tool shipped inside the PySide6 wheel (what ``pyside6-<name>`` runs)."""
    path = Path(PySide6.__file__).resolve().parent / (f"{name}.exe" if sys.platform == "win32" else name)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: is PySide6 installed completely?")
    return path


def ts_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or translations_dir()).glob("linkoptima_*.ts"))


def update(ts: Path, sources: Path = UI_DIR) -> None:
    """Bring ``ts`` up to date with the code: new strings come in unfinished, removed ones go.

    ``texts.py`` calls ``QCoreApplication.translate`` through ``_tr``, hence the alias. No
    source locations are written: they would change the file on every edit of a screen. lupdate
    reads Python's ``#:`` comments (our attribute and signal notes) as notes for translators and
    glues them to whatever message comes next, so they are dropped: they would only mislead.
    """
    language = ts.stem.split("_", 1)[1]
    subprocess.run([str(tool("lupdate")), "-silent", "-extensions", "py", "-no-obsolete", "-locations", "none",
                    "-tr-function-alias", "translate+=_tr", "-source-language", SOURCE_LANGUAGE,
                    "-target-language", language, str(sources), "-ts", str(ts)], check=True)
    text = ts.read_text(encoding="utf-8")
    ts.write_text(_EXTRA_COMMENT.sub("", text), encoding="utf-8")


def compile_ts(ts: Path, qm: Path | None = None) -> Path:
    """``linkoptima_en.ts`` -> ``linkoptima_en.qm`` (unfinished messages stay Polish)."""
    qm = qm or ts.with_suffix(".qm")
    subprocess.run([str(tool("lrelease")), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def compile_translations(folder: Path | None = None) -> list[Path]:
    return [compile_ts(ts) for ts in ts_files(folder)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("update", "compile"):
        print(__doc__, file=sys.stderr)
        return 2
    targets = [Path(a) for a in args[1:]] or ts_files()
    for ts in targets:
        if args[0] == "update":
            update(ts)
        else:
            compile_ts(ts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
