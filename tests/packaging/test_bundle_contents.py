"""What the frozen program is built from, checked on every test run (no build needed): every
module the spec names imports here, every file it carries is there, and the installer's version
comes from pyproject.toml. ``test_frozen.py`` (``make test-package``) starts the built program."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from importlib.metadata import distribution
from pathlib import Path

import pytest

import linkoptima_gui

ROOT = Path(__file__).resolve().parents[2]


def _bundle():
    spec = importlib.util.spec_from_file_location("bundle_contents_under_test", ROOT / "packaging" / "bundle_contents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = _bundle()


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.mark.parametrize("name", bundle.HIDDEN_IMPORTS + bundle.SUBMODULE_PACKAGES + bundle.DATA_PACKAGES)
def test_every_module_the_spec_names_is_there(name: str) -> None:
    assert importlib.util.find_spec(name) is not None, f"{name} is named in the spec but not installed"


def test_windows_only_imports_are_only_asked_for_on_windows() -> None:
    spec = (ROOT / "packaging" / "linkoptima.spec").read_text(encoding="utf-8")
    assert 'if sys.platform == "win32":\n    hiddenimports += bundle.WINDOWS_HIDDEN_IMPORTS' in spec
    assert {"win32com.client", "pythoncom"} <= set(bundle.WINDOWS_HIDDEN_IMPORTS)


@pytest.mark.parametrize("name", bundle.METADATA)
def test_the_metadata_the_program_reads_is_installed(name: str) -> None:
    assert distribution(name).version


def test_the_data_folders_and_required_files_exist() -> None:
    for source, _target in bundle.DATA:
        assert Path(source).is_dir(), source
    mapping = {target: Path(source) for source, target in bundle.DATA}
    for required in bundle.REQUIRED_FILES:
        top = next(target for target in mapping if required.startswith(target + "/"))
        assert (mapping[top] / required.removeprefix(top + "/")).is_file(), required


def test_every_font_and_translation_is_required_in_the_bundle() -> None:
    """A new font or language cannot be left out of the bundle's check."""
    resources = ROOT / "resources"
    fonts = {f"resources/fonts/{p.name}" for p in (resources / "fonts").glob("*.ttf")}
    translations = {f"resources/translations/{p.stem}.qm" for p in (resources / "translations").glob("*.ts")}
    assert fonts and translations
    assert fonts | translations <= set(bundle.REQUIRED_FILES)
    for qm in translations:  # built by make from the .ts (the spec builds them too)
        assert (ROOT / qm).is_file(), f"{qm}: run make (the .qm files are built from the .ts)"


def test_the_spec_takes_its_lists_from_bundle_contents_and_builds_both_programs() -> None:
    spec = (ROOT / "packaging" / "linkoptima.spec").read_text(encoding="utf-8")
    for used in ("bundle.DATA", "bundle.DATA_PACKAGES", "bundle.METADATA", "bundle.HIDDEN_IMPORTS",
                 "bundle.SUBMODULE_PACKAGES", "bundle.EXCLUDES", "name=bundle.APP_NAME", "name=bundle.CLI_NAME"):
        assert used in spec, used
    assert re.search(r"name=bundle\.APP_NAME,\s*console=False", spec)
    assert re.search(r"name=bundle\.CLI_NAME,\s*console=True", spec)
    assert bundle.ENTRY.is_file()


def test_one_version_everywhere() -> None:
    version = pyproject_version()
    assert bundle.version() == version == linkoptima_gui.__version__
    iss = (ROOT / "packaging" / "linkoptima.iss").read_text(encoding="utf-8")
    # the installer script has no version of its own: it must be passed (/DAppVersion=...)
    assert not re.search(r'^#define\s+AppVersion', iss, re.MULTILINE)
    assert re.search(r"^#ifndef AppVersion\s*\n\s*#error", iss, re.MULTILINE)
    assert "AppVersion={#AppVersion}" in iss
    build = (ROOT / "packaging" / "build-windows.ps1").read_text(encoding="utf-8")
    assert "bundle_contents.py" in build and "/DAppVersion=" in build


def _setup_section(iss: str) -> dict[str, str]:
    section = iss.split("[Setup]", 1)[1].split("\n[", 1)[0]
    pairs = (line.split("=", 1) for line in section.splitlines() if "=" in line and not line.startswith(";"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_the_installer_is_per_user_with_a_start_menu_entry_and_keeps_the_data() -> None:
    iss = (ROOT / "packaging" / "linkoptima.iss").read_text(encoding="utf-8")
    setup = _setup_section(iss)
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{userpf}")
    assert setup["AppId"] == "{{6C7C2B8E-2F7D-4E1B-9B8A-6D3F0C2A9E51}"  # an upgrade is found by it: never change
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    icons = iss.split("[Icons]", 1)[1].split("\n[", 1)[0]
    assert '{group}\\{#AppName}"; Filename: "{app}\\{#AppExe}"' in icons  # the Start menu
    assert f'#define AppExe "{bundle.APP_NAME}.exe"' in iss
    assert "{commondesktop}" not in iss and "{autodesktop}" not in iss  # nothing outside the user's own
    # the uninstaller removes what it installed only: settings, secrets, store, logs stay
    assert not re.search(r"^\[UninstallDelete\]", iss, re.MULTILINE)
    # an upgrade clears the old program's libraries, and nothing else
    deleted = re.findall(r'^Type: \w+; Name: "([^"]+)"', iss.split("[InstallDelete]", 1)[1], re.MULTILINE)
    assert deleted and all(name.startswith("{app}\\") for name in deleted)
