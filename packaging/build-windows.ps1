# The Windows build, step by step as docs/installer.md describes it: run from the repository's
# root in PowerShell on the Windows PC next to Optima (or one like it), with the Python whose
# bitness matches Optima's COM registration and Inno Setup 6 installed.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1 [-Python "py -3.11-32"]
#
# Output: dist\LinkOptima\ (the program) and dist\LinkOptima-<version>-setup.exe (the installer).
param(
    [string]$Python = "py -3.11",
    [string]$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
)
$ErrorActionPreference = "Stop"

# 1. a virtual environment of its own, with the Windows parts (COM, SQL Server, PostgreSQL) and PyInstaller
if (-not (Test-Path .venv-build\Scripts\python.exe)) {
    Invoke-Expression "$Python -m venv .venv-build"
}
$py = ".venv-build\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install -e ".[windows,sqlserver,postgres,package]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

# 2. the one-folder program (the spec builds the translations too)
& $py -m PyInstaller packaging\linkoptima.spec --noconfirm --distpath dist --workpath build\pyinstaller
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# 3. a first look: the version, and the commands' program answers
& dist\LinkOptima\linkoptima-cli.exe --version
if ($LASTEXITCODE -ne 0) { throw "the built program does not start" }

# 4. the installer, with the version from pyproject.toml (the .iss has none of its own)
$version = (& $py packaging\bundle_contents.py).Trim()
& $Iscc "/DAppVersion=$version" packaging\linkoptima.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\LinkOptima-$version-setup.exe"
