; Inno Setup 6 script: Heard's Windows installer, from the PyInstaller one-folder bundle.
; Built by packaging/windows/build-windows.ps1 (which passes the version), never by hand:
;   iscc /DAppVersion=0.1.0 /DBundleDir=..\..\dist\heard /DIconFile=..\..\build\icons\heard.ico heard.iss
;
; Per-machine by default (C:\Program Files\Heard, Start menu for all users) when run as an
; administrator or by a deployment tool (silent: heard-setup.exe /VERYSILENT /ALLUSERS).
; Without admin rights it installs for the current user only (%LOCALAPPDATA%\Programs\Heard):
; PrivilegesRequired=lowest with the override dialog is Inno Setup's documented pattern.
#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (build-windows.ps1 reads it from screening_app.__version__)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\heard"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\heard.ico"
#endif

[Setup]
AppId={{6F1D3C2A-8B0E-4F5A-9C1D-2E7B4A6F8D10}
AppName=Heard
AppVersion={#AppVersion}
AppPublisher=Heard
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Heard
DefaultGroupName=Heard
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=heard-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\Heard.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Records live in the database, not in {app}: uninstalling never removes them.

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Heard"; Filename: "{app}\Heard.exe"
Name: "{autodesktop}\Heard"; Filename: "{app}\Heard.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
; The smoke test after every install (also what a deployment tool should run).
Filename: "{app}\screening-app.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "Checking the installation..."
Filename: "{app}\Heard.exe"; Description: "{cm:LaunchProgram,Heard}"; Flags: nowait postinstall skipifsilent
