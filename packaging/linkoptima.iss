; Inno Setup script of the Windows installer (docs/installer.md). Build dist\LinkOptima\ with
; linkoptima.spec first, then pass the version from pyproject.toml, so the two cannot drift:
;
;   for /f %v in ('py packaging\bundle_contents.py') do iscc /DAppVersion=%v packaging\linkoptima.iss
;
; (packaging\build-windows.ps1 does all of it). Output: dist\LinkOptima-<version>-setup.exe.
;
; Per-user install: no administrator needed, the program goes to %LOCALAPPDATA%\Programs\LinkOptima.
; The settings (%LOCALAPPDATA%\LinkOptima\LinkOptima), the store, the logs and the secrets are
; the user's own (platformdirs) and outside the program's folder: an upgrade or an uninstall never
; touches them. An upgrade is the same AppId installed over the older version.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<version from pyproject.toml> packaging\linkoptima.iss
#endif
#define AppName "LinkOptima"
#define AppExe "LinkOptima.exe"

[Setup]
; never change: Windows knows an installed LinkOptima (and its upgrade) by it
AppId={{6C7C2B8E-2F7D-4E1B-9B8A-6D3F0C2A9E51}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
AppPublisher=LinkOptima
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; a running console is closed (asked first) before an upgrade replaces its files
CloseApplications=yes
OutputDir=..\dist
OutputBaseFilename=LinkOptima-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "polish"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade starts from a clean program folder (libraries of the older version do not linger);
; the user's data is elsewhere and untouched
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\LinkOptima\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (demo)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Parameters: "--demo"; Description: "Uruchom wersję demonstracyjną"; Flags: nowait postinstall skipifsilent unchecked

; No [UninstallDelete]: the uninstaller removes only what it installed. The settings, the
; secrets file, the store, the logs and the demo world stay (docs/installer.md says where).
