; Inno Setup script of journal-app's Windows installer. scripts/bundle.py runs it on Windows
; (where Inno Setup's iscc is on the PATH: .github/workflows/ci.yml installs it with choco):
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\journal-app-0.1.0-windows-x86_64
;        /DOutputDir=dist /DIconDir=build\icons packaging\windows\journal-app.iss
; Installs for the current user (no administrator needed): the PyInstaller folder, a Start menu
; entry (the executable without a console window), and "Open with journal-app" for share
; packages (.pkg) and mentor cards (.card) without taking those extensions from other programs.
; The uninstaller removes all of it; the journal (in the user's AppData) is never touched.
; Never run on this project's own (Linux) machines: see docs/design.md, issue 20.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=...
#endif
#ifndef SourceDir
  #error Give the PyInstaller folder: iscc /DSourceDir=...
#endif
#ifndef OutputDir
  #define OutputDir "."
#endif
#ifndef IconDir
  #define IconDir "..\..\build\icons"
#endif

[Setup]
AppId={{0C6A733F-7755-48F7-8583-8CE29C8C5E54}
AppName=journal-app
AppVersion={#AppVersion}
AppPublisher=The journal-app authors
DefaultDirName={autopf}\journal-app
DefaultGroupName=journal-app
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir={#OutputDir}
OutputBaseFilename=journal-app-{#AppVersion}-windows-x86_64-setup
SetupIconFile={#IconDir}\journal-app.ico
UninstallDisplayIcon={app}\journal-app-window.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#IconDir}\application-x-journal-app-share-package.ico"; DestDir: "{app}\icons"
Source: "{#IconDir}\application-x-journal-app-mentor-card.ico"; DestDir: "{app}\icons"

[Icons]
Name: "{autoprograms}\journal-app"; Filename: "{app}\journal-app-window.exe"; Comment: "A private, encrypted journal for reflective practice in medicine"

[Registry]
; The two file types, for this user (HKA is HKCU in a per-user install). OpenWithProgids offers
; journal-app for .pkg and .card without replacing what already opens them.
Root: HKA; Subkey: "Software\Classes\journalapp.sharepackage"; ValueType: string; ValueName: ""; ValueData: "journal-app share package"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\journalapp.sharepackage\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\icons\application-x-journal-app-share-package.ico"
Root: HKA; Subkey: "Software\Classes\journalapp.sharepackage\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\journal-app-window.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.pkg\OpenWithProgids"; ValueType: string; ValueName: "journalapp.sharepackage"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\journalapp.mentorcard"; ValueType: string; ValueName: ""; ValueData: "journal-app mentor card"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\journalapp.mentorcard\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\icons\application-x-journal-app-mentor-card.ico"
Root: HKA; Subkey: "Software\Classes\journalapp.mentorcard\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\journal-app-window.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.card\OpenWithProgids"; ValueType: string; ValueName: "journalapp.mentorcard"; ValueData: ""; Flags: uninsdeletevalue
; Start at login, if the user turned it on in the app: removed with the app.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueName: "journal-app"; Flags: uninsdeletevalue dontcreatekey

[Run]
Filename: "{app}\journal-app-window.exe"; Description: "Open journal-app"; Flags: nowait postinstall skipifsilent
