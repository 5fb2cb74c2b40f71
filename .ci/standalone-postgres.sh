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
# A free port, not a fixed one: a server left on a fixed port by an earlier run on the same
# machine would stop this one from starting.
PORT=${HUB_CI_PG_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
chown postgres "$DATA"
su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
if ! su postgres -c "$BIN/pg_ctl -D $DATA -o '-p $PORT -k $DATA -c fsync=off' -l $DATA/server.log -w start" >/dev/null; then
  echo "standalone PostgreSQL did not start on port $PORT; its log:" >&2
  cat "$DATA/server.log" >&2
  exit 1
fi
trap 'su postgres -c "$BIN/pg_ctl -D $DATA -m fast stop" >/dev/null; rm -rf "$DATA"' EXIT
echo "standalone PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" "$@"
