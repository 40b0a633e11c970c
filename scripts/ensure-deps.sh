#!/usr/bin/env bash
# Idempotent set-up of the system tools and node_modules the tests and the bench need.
# Run as root on a fresh Debian 12 machine; quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c 'import libtorrent' >/dev/null 2>&1 || missing+=(python3-libtorrent)
command -v aria2c >/dev/null 2>&1 || missing+=(aria2)
command -v mktorrent >/dev/null 2>&1 || missing+=(mktorrent)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) # test media (test/helpers/media.ts)
# Full clients for the interop suite (test/interop/clients) and a second tracker.
command -v qbittorrent-nox >/dev/null 2>&1 || missing+=(qbittorrent-nox)
command -v transmission-daemon >/dev/null 2>&1 || missing+=(transmission-daemon)
command -v rtorrent >/dev/null 2>&1 || missing+=(rtorrent)
command -v opentracker >/dev/null 2>&1 || missing+=(opentracker)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "ensure-deps: installing system packages (missing: ${missing[*]})" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-deps: not root; install these yourself: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y \
    python3-libtorrent aria2 mktorrent chromium iproute2 util-linux ffmpeg \
    qbittorrent-nox transmission-daemon rtorrent opentracker
fi

# npm ci when node_modules is absent or older than the lock file (npm writes its own copy of the
# lock file, node_modules/.package-lock.json, on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-deps: npm ci" >&2
  npm ci --no-audit --no-fund
fi
