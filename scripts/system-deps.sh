#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, when they are missing and we are
# allowed to (root, or sudo). Elsewhere it says what is missing and carries on.
#
# * Qt's xcb platform plugin (the desktop window on X11): every library that
#   `ldd PySide6/Qt/plugins/platforms/libqxcb.so` resolves outside the wheel; on a fresh
#   Debian 12 the xcb-icccm, xcb-keysyms and xcb-cursor ones are the usual gaps.
#   tests/packaging/test_system_deps.py checks that ldd finds them all.
# * xvfb and xauth: tests/packaging opens a real xcb window on a virtual X server.
# * postgresql: the store tests start a throwaway cluster (tests/store/pg.py), or use the
#   server named by SCREENING_APP_TEST_PG.
# * poppler-utils: PDF page images in the export tests. fonts-dejavu-core: Qt's fallback font.
# * make, and python3-venv when the Python running `make` cannot create a virtual environment.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
qt_xcb=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
        libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
        libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
        libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
        libxcb-util1 libxcb-xfixes0 libxcb-xkb1)
packages=("${qt_xcb[@]}" fonts-dejavu-core xvfb xauth postgresql poppler-utils make)
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi
# Debian 13 renamed some libraries for 64-bit time (libglib2.0-0 -> libglib2.0-0t64).
installed() {
  local name
  for name in "$1" "$1t64"; do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && return 0
  done
  return 1
}
installable_name() {
  if apt-cache show --no-all-versions "$1" 2>/dev/null | grep -q '^Version:'; then echo "$1"
  elif apt-cache show --no-all-versions "$1t64" 2>/dev/null | grep -q '^Version:'; then echo "$1t64"
  else echo "$1"; fi
}
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
check_postgres() {
  if [ -z "${SCREENING_APP_TEST_PG:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
  then
    echo "note: no PostgreSQL server programs (/usr/lib/postgresql/*/bin/initdb); the store" \
         "tests need them, or SCREENING_APP_TEST_PG=postgresql+psycopg://USER@HOST/DB" >&2
  fi
}
if [ ${#missing[@]} -eq 0 ]; then check_postgres; exit 0; fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "note: not a Debian-like system; install the equivalents of: ${missing[*]}" \
       "(README.md says what Windows and macOS need)" >&2
  check_postgres
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "note: run as root to install: apt-get install ${missing[*]}" >&2
    exit 0
  fi
  SUDO="sudo"
fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
names=()
for p in "${missing[@]}"; do names+=("$(installable_name "$p")"); done
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${names[@]}" >/dev/null
check_postgres
