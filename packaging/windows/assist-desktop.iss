; Inno Setup 6 script: a Windows installer for the folder that PyInstaller builds.
;
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\assist-desktop.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\assist-desktop.iss
;
; AppVersion must be the version in pyproject.toml (packaging\README.md shows how to read it).
; Installs per user without administrator rights by default (the user may choose "all users"),
; puts a Start-menu entry on the console-less assist-desktop-gui.exe, and leaves settings and the
; answer cache (%LOCALAPPDATA%\assist-desktop) in place on uninstall.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z assist-desktop.iss
#endif
#define AppName "Assist Desktop"
#define Root "..\.."

[Setup]
AppId={{6F1B5C1E-3A47-4E5B-9C1D-0A8E2B7D4F21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Assist Desktop developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=assist-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\build\icons\assist-desktop.ico
UninstallDisplayIcon={app}\assist-desktop-gui.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\assist-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the bundled libraries as a whole; stale DLLs must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\assist-desktop-gui.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\assist-desktop-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\assist-desktop-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
