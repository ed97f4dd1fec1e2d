#!/usr/bin/env bash
# Set up a fresh machine: a virtual environment with pinned packages, and the pinned npm
# packages (Pyodide for the flows, axe-core and Lighthouse for the tests). With --test, also the system
# Chromium the browser tests drive (Debian's package; Playwright's own download is not used).
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

# The PDF handbook (WeasyPrint) needs Pango and the fonts it embeds: Debian's packages.
missing=$(for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-open-sans fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || echo "$package"
done)
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "The PDF handbook needs Debian's packages:" $missing "(install them with apt-get as root)." >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .

# npm ci installs exactly what package-lock.json records and checks each package's checksum.
npm ci --no-audit --no-fund --loglevel=error

if $want_tests && [ -z "${TRYGGT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The tests need Chromium: install Debian's 'chromium' package, or set TRYGGT_CHROMIUM to a Chromium binary." >&2
    exit 1
  fi
fi
# The hosting guide's nginx configuration is tested as written (site_tests/test_hosting_nginx.py).
if $want_tests && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "The tests need Debian's 'nginx' package (install it with apt-get as root)." >&2
    exit 1
  fi
fi
echo "setup done"
