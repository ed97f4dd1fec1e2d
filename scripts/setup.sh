#!/usr/bin/env bash
# Set up a fresh machine: a virtual environment with pinned packages, and the pinned npm
# packages (Pyodide for the flows, axe-core and Lighthouse for the tests). With --test, also the system
# Chromium the browser tests drive (Debian's package; Playwright's own download is not used), nginx for
# the hosting test and faketime for the calendar test.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

# Debian packages: installed as root, otherwise named with what needs them.
apt_install() {  # apt_install "what needs them" package...
  local why=$1; shift
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "$why needs Debian's packages: $* (install them with apt-get as root)." >&2
    exit 1
  fi
}

# The PDF handbook (WeasyPrint) needs Pango and the fonts it embeds: Debian's packages.
missing=$(for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-open-sans fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || echo "$package"
done)
if [ -n "$missing" ]; then
  apt_install "The PDF handbook" $missing
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .

# npm ci installs exactly what package-lock.json records and checks each package's checksum.
npm ci --no-audit --no-fund --loglevel=error

# (TRYGGT_CHROMIUM names another Chromium instead.)
if $want_tests && [ -z "${TRYGGT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  apt_install "The browser tests" chromium
fi
# The hosting guide's nginx configuration is tested as written (site_tests/test_hosting_nginx.py).
if $want_tests && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  apt_install "The hosting test" nginx
fi
# The calendar test runs the date-dependent commands a year and a day ahead (tests/authoring/test_calendar.py).
if $want_tests && ! command -v faketime >/dev/null 2>&1; then
  apt_install "The calendar test" faketime
fi
echo "setup done"
