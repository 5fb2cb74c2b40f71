#!/usr/bin/env bash
# Runs "$@" against a standalone PostgreSQL server (Debian's packages, installed when
# missing), in a throw-away cluster on its own port, with DATABASE_URL pointing at it.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(pg_bin)
DATA=$(mktemp -d /tmp/hub-ci-pg-XXXXXX)
PORT=${HUB_CI_PG_PORT:-55432}
chown postgres "$DATA"
su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
su postgres -c "$BIN/pg_ctl -D $DATA -o '-p $PORT -k /tmp -c fsync=off' -l $DATA/server.log -w start" >/dev/null
trap 'su postgres -c "$BIN/pg_ctl -D $DATA -m fast stop" >/dev/null; rm -rf "$DATA"' EXIT
echo "standalone PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" "$@"
