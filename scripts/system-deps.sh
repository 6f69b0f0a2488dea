#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need (Qt's runtime libraries,
# PostgreSQL for the shared-database tests, poppler-utils for PDF page images),
# when they are missing and we are allowed to. Elsewhere it says what is missing.
set -euo pipefail
packages=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
          postgresql poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The store tests start a throwaway PostgreSQL cluster with initdb and pg_ctl from these
# packages (tests/store/pg.py), or use the server named by SCREENING_APP_TEST_PG.
check_postgres() {
  if [ -z "${SCREENING_APP_TEST_PG:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
  then
    echo "note: no PostgreSQL server programs (/usr/lib/postgresql/*/bin/initdb); the store" \
         "tests need them, or SCREENING_APP_TEST_PG=postgresql+psycopg://USER@HOST/DB" >&2
  fi
}
if [ ${#missing[@]} -eq 0 ]; then check_postgres; exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "note: install these system packages for the full test suite: ${missing[*]}" >&2
  check_postgres
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
check_postgres
