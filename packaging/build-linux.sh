#!/usr/bin/env bash
# The one-folder Linux bundle and its tarball, smoke-tested:
#   dist/heard/                                  the bundle (run dist/heard/screening-app)
#   dist/heard-VERSION-linux-ARCH.tar.gz         the same folder, for /opt
# Works on a fresh clone: it makes its own build environment (build/bundle/venv), installs
# the package there from this tree (not editable, with the [server] and [bundle] extras),
# renders the icons, runs PyInstaller on packaging/heard.spec, then runs the bundle's
# --self-test with PATH=/usr/bin:/bin and an empty environment (no Python on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
BUILD=build/bundle
VENV="$BUILD/venv"
DIST=dist

say() { echo "build-linux: $*"; }

# PyInstaller reads shared-library dependencies with objdump (binutils).
if ! command -v objdump >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
    say "installing binutils (PyInstaller needs objdump)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends binutils >/dev/null
  else
    say "PyInstaller needs objdump: install binutils (apt-get install binutils)" >&2
    exit 1
  fi
fi
PYTHON="$PYTHON" bash scripts/system-deps.sh

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# setuptools builds in build/lib and never removes files deleted from src/ since: start clean.
rm -rf build/lib build/bdist.* src/*.egg-info
"$VENV/bin/python" -m pip install --quiet ".[server,bundle]"
# Always this tree's code and data, even when the version number has not changed.
"$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall .
VERSION="$("$VENV/bin/python" -c 'import screening_app; print(screening_app.__version__)')"
say "screening-app $VERSION"

QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/make-icons.py "$BUILD/icons"
rm -rf "$DIST/heard"
HEARD_ICONS="$BUILD/icons" "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/work" packaging/heard.spec

# Desktop integration, laid out as under a prefix (see packaging/README.md).
share="$DIST/heard/share"
install -Dm644 packaging/linux/heard.desktop "$share/applications/heard.desktop"
install -Dm644 packaging/icons/heard.svg "$share/icons/hicolor/scalable/apps/heard.svg"
for size in 16 32 48 64 128 256 512; do
  install -Dm644 "$BUILD/icons/heard-$size.png" \
    "$share/icons/hicolor/${size}x${size}/apps/heard.png"
done
install -Dm644 packaging/deployment.example.toml "$DIST/heard/share/doc/deployment.example.toml"

# The smoke test: no Python on the PATH, nothing from this environment, a throwaway HOME.
smoke_home="$(mktemp -d)"
trap 'rm -rf "$smoke_home"' EXIT
say "self-test of the bundle (PATH=/usr/bin:/bin)"
env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=C.UTF-8 "$DIST/heard/screening-app" --self-test
run_bundle() { env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=C.UTF-8 "$@"; }
run_bundle "$DIST/heard/screening-app" --version
say "the desktop screens render offscreen (Qt and its plugins are in the bundle)"
run_bundle QT_QPA_PLATFORM=offscreen "$DIST/heard/screening-app" screenshots "$smoke_home/shots" \
  >"$smoke_home/shots.log" 2>&1 || { cat "$smoke_home/shots.log" >&2; exit 1; }
say "$(find "$smoke_home/shots" -name '*.png' | wc -l) screens rendered"
say "the PostgreSQL driver is in the bundle (a refused connection, not a missing module)"
refused="$(run_bundle "$DIST/heard/screening-app" \
  --db postgresql+psycopg://nobody@127.0.0.1:9/none show none 2>&1 || true)"
if [[ "$refused" != *"cannot reach the database server"* ]]; then
  echo "$refused" >&2
  say "the bundle cannot use PostgreSQL (psycopg missing?)" >&2
  exit 1
fi

tarball="$DIST/heard-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$DIST" -czf "$tarball" heard
say "bundle: $DIST/heard ($(du -sh "$DIST/heard" | cut -f1) unpacked)"
say "tarball: $tarball ($(du -sh "$tarball" | cut -f1))"
