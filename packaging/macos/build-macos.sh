#!/usr/bin/env bash
# Heard.app and a .dmg. Run on macOS 11+ (arm64 or x86_64; each builds its own
# architecture) with Python 3.11+ from python.org:
#   bash packaging/macos/build-macos.sh
# Produces dist/Heard.app and dist/heard-VERSION-macos-ARCH.dmg and runs the app's
# --self-test. NOT run in this project's CI (Linux only): see packaging/README.md.
# Signing and notarisation (Developer ID, notarytool) are the deploying organisation's:
# set HEARD_SIGN_IDENTITY to sign the app before the .dmg is made.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
VENV=build/bundle/venv
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet ".[server,bundle]"
"$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall .
VERSION="$("$VENV/bin/python" -c 'import screening_app; print(screening_app.__version__)')"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/make-icons.py build/icons
HEARD_ICONS=build/icons "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/bundle/work packaging/heard.spec
/usr/libexec/PlistBuddy -c "Print :NSHighResolutionCapable" dist/Heard.app/Contents/Info.plist
dist/Heard.app/Contents/MacOS/screening-app --self-test
if [ -n "${HEARD_SIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --sign "$HEARD_SIGN_IDENTITY" dist/Heard.app
fi
dmg="dist/heard-$VERSION-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname "Heard $VERSION" -srcfolder dist/Heard.app -ov -format UDZO "$dmg"
echo "$dmg"
