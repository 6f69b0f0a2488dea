# Heard's Windows bundle and installer. Run in PowerShell on Windows 10/11 x64 with
# Python 3.11+ (python.org installer) and Inno Setup 6 (iscc.exe on PATH):
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1
# Produces dist\heard\ (one folder) and dist\heard-VERSION-windows-x64-setup.exe, and runs
# the bundle's --self-test. NOT run in this project's CI (Linux only): see packaging/README.md.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$venv = "build\bundle\venv"
if (-not (Test-Path "$venv\Scripts\python.exe")) { py -3 -m venv $venv }
$py = "$venv\Scripts\python.exe"
& $py -m pip install --quiet --upgrade pip
& $py -m pip install --quiet ".[server,bundle]"
& $py -m pip install --quiet --no-deps --force-reinstall .
$version = & $py -c "import screening_app; print(screening_app.__version__)"
$env:QT_QPA_PLATFORM = "offscreen"
& $py packaging\make-icons.py build\icons
Remove-Item Env:QT_QPA_PLATFORM
$env:HEARD_ICONS = (Resolve-Path "build\icons").Path
& "$venv\Scripts\pyinstaller.exe" --noconfirm --clean --log-level WARN --distpath dist --workpath build\bundle\work packaging\heard.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
# screening-app.exe is the console one: its output and exit code are the self-test's.
& "dist\heard\screening-app.exe" --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }
if (-not (Test-Path "dist\heard\Heard.exe")) { throw "the windowed Heard.exe is missing" }
iscc /DAppVersion=$version packaging\windows\heard.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\heard-$version-windows-x64-setup.exe"
