; Inno Setup script for the Windows installer. Build dist\LinkOptima\ with linkoptima.spec first,
; then: iscc packaging\linkoptima.iss  (output: dist\LinkOptima-<version>-setup.exe).
; Installs per machine into Program Files; settings and the state store stay in the user's
; folders (platformdirs), so an upgrade or uninstall never touches them.

#define AppName "LinkOptima"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C7C2B8E-2F7D-4E1B-9B8A-6D3F0C2A9E51}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=LinkOptima
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
OutputDir=..\dist
OutputBaseFilename=LinkOptima-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
PrivilegesRequired=admin
ShowLanguageDialog=auto

[Languages]
Name: "polish"; MessagesFile: "compiler:Languages\Polish.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\LinkOptima\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\LinkOptima.exe"
Name: "{group}\{#AppName} (demo)"; Filename: "{app}\LinkOptima.exe"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\LinkOptima.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\LinkOptima.exe"; Parameters: "--demo"; Description: "Uruchom wersję demonstracyjną"; Flags: nowait postinstall skipifsilent unchecked
