"""What goes into the frozen program: read by ``linkoptima.spec`` and by the tests.

Plain Python with no PyInstaller import, so the normal test suite checks it on every run
(``tests/packaging/test_bundle_contents.py``: every module named here imports, every file is
there) and ``make package`` plus ``tests/packaging/test_frozen.py`` check the built folder.
Loaded by path (``load``): the folder's name ``packaging`` is also a PyPI package's.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
#: the folder under dist/ and the windowed program's name (the console: LinkOptima.exe)
APP_NAME = "LinkOptima"
#: the same program with a console window, for the commands (``linkoptima-cli.exe optima-probe``,
#: ``engine``, ``secrets``): a windowed .exe on Windows has no stdout
CLI_NAME = "linkoptima-cli"
ENTRY = ROOT / "packaging" / "linkoptima_main.py"

#: (what, where in the bundle): the fonts, e-mail templates, translations, the demo's logo; the
#: store's migrations as files (Alembic reads them from a folder)
DATA = [
    (ROOT / "resources", "resources"),
    (ROOT / "linkoptima_gui" / "core" / "store" / "migrations", "linkoptima_gui/core/store/migrations"),
]

#: files the program cannot do without, relative to the bundle's data folder
REQUIRED_FILES = [
    "resources/translations/linkoptima_en.qm",  # the English interface (built from the .ts by make)
    "resources/fonts/DejaVuSans.ttf",  # invoices and labels: Polish letters in the PDF
    "resources/fonts/DejaVuSans-Bold.ttf",
    "resources/fonts/DejaVuSansMono.ttf",
    "resources/templates/invoice_email.html.j2",
    "resources/templates/invoice_email.txt.j2",
    "resources/templates/invoice_email_subject.j2",
    "linkoptima_gui/core/store/migrations/env.py",
]

#: packages whose submodules are imported by name at run time, all of them collected
SUBMODULE_PACKAGES = [
    "linkoptima_gui",  # the commands and screens are imported inside functions
    "reportlab.graphics.barcode",  # its widgets import code93, code128, qr... by name
    "keyring.backends",  # keyring finds its back ends through entry points
    "alembic",  # the migrations' env.py and versions import alembic.op and context by name
    "pydantic",  # the settings' schema: pydantic imports parts of itself lazily (as its own hook does)
]

#: packages whose data files the program reads
DATA_PACKAGES = [
    "reportlab",  # fonts and the T1 metrics of the standard fonts
    "escpos",  # capabilities.json: the printer profiles
]

#: installed metadata read at run time: our version (``--version``), keyring's entry points
METADATA = ["linkoptima", "keyring"]

#: modules named nowhere in an import statement PyInstaller can see
HIDDEN_IMPORTS = [
    "sqlalchemy.dialects.sqlite.pysqlite",  # the demo's store and Optima
    "sqlalchemy.dialects.postgresql.psycopg",  # the shared store of several stations
    "sqlalchemy.dialects.mssql.pyodbc",  # Optima's SQL Server
    "psycopg",
    "pyodbc",
    "escpos.printer",
    "cryptography.hazmat.primitives.kdf.scrypt",  # the encrypted secrets file
    "cryptography.fernet",
    "qasync",
]

#: only where pywin32 is installed (the Windows build): the COM writer and the service
WINDOWS_HIDDEN_IMPORTS = ["win32com.client", "pythoncom", "pywintypes", "win32timezone", "win32serviceutil",
                          "keyring.backends.Windows"]

#: never wanted in the bundle (the tests' tools)
EXCLUDES = ["tkinter", "pytest", "_pytest", "pytestqt", "woocommerce", "zxingcpp", "pypdf", "ruff",
            "PyInstaller"]


def version() -> str:
    """The version in pyproject.toml: the one the installer (``/DAppVersion``) and ``--version`` show."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def load() -> ModuleType:
    """This module, loaded by its path (``import packaging`` is the PyPI package)."""
    name = "linkoptima_bundle_contents"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":  # ``python packaging/bundle_contents.py``: the version, for iscc /DAppVersion=
    print(version())
