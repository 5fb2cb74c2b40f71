#!/usr/bin/env bash
# Writes the hub's secret files into a folder (kept out of git), each only if it is missing:
# random keys and passwords, and the database, Redis and upstream credentials built from them.
#   deploy/make-secrets.sh deploy/compose/secrets                        # compose (hosts postgresql, redis)
#   deploy/make-secrets.sh deploy/kubernetes/overlays/example/secrets \
#       postgresql.health-hub.example redis.health-hub.example            # a Kubernetes overlay
set -euo pipefail
dir="${1:?usage: make-secrets.sh FOLDER [POSTGRES_HOST] [REDIS_HOST]}"
postgres_host="${2:-postgresql}"
redis_host="${3:-redis}"
mkdir -p "$dir" && chmod 700 "$dir"
umask 077

put() { [ -s "$dir/$1" ] || printf '%s' "$2" > "$dir/$1"; }
random() { openssl rand -base64 32 | tr -d '\n'; }

# Key-encryption keys are 32 random bytes in base64; the audit checkpoint key is an Ed25519
# private key in PKCS#8 PEM; the gateway-subgraph secret is any long random string.
put gateway-secret "$(random)"
put access-kek "$(random)"
put certificates-kek "$(random)"
[ -s "$dir/audit-signing-key.pem" ] || openssl genpkey -algorithm ed25519 -out "$dir/audit-signing-key.pem"

# PostgreSQL: the owner (migrate) and one login per service (deploy/README.md "PostgreSQL"). The
# migrate job creates each service's role with its password (HUB_DATABASE_ROLES=on), and the
# service logs in with the URL built from the same password.
put postgres-password "$(openssl rand -hex 24)"
put database-url-migrate "postgres://hub_owner:$(cat "$dir/postgres-password")@$postgres_host:5432/hub"
for service in gateway registry vaccination testing insurance cases audit workplaces \
               connector-worker connector-scheduler webhook-dispatcher retention; do
  # A folder made before the password files: the password its URL already holds (plain, as this
  # script writes them; anything else is left to fix by hand rather than guessed).
  if [ -s "$dir/database-url-$service" ] && [ ! -s "$dir/database-password-$service" ]; then
    if ! grep -Eq '^postgres(ql)?://[^:/@]+:[^@%]+@' "$dir/database-url-$service"; then
      echo "$dir/database-url-$service holds no plain password to keep: write $dir/database-password-$service with it" >&2
      exit 1
    fi
    sed -E 's#^postgres(ql)?://[^:]+:([^@]+)@.*#\2#' "$dir/database-url-$service" > "$dir/database-password-$service"
  fi
  put "database-password-$service" "$(openssl rand -hex 24)"
  put "database-url-$service" "postgres://hub_${service//-/_}:$(cat "$dir/database-password-$service")@$postgres_host:5432/hub"
  # The role is given the password file's value: the URL must hold the same.
  if ! grep -qF ":$(cat "$dir/database-password-$service")@" "$dir/database-url-$service"; then
    echo "$dir/database-url-$service and $dir/database-password-$service disagree: the service could not log in" >&2
    exit 1
  fi
done

put redis-password "$(openssl rand -hex 24)"
put redis-url "redis://:$(cat "$dir/redis-password")@$redis_host:6379"

# Tokens the upstream systems gave the hub: replace with the real ones.
for source in registry vaccination insurance lab-fhir citizen-app workplace-safety; do
  put "$source-token" "replace-with-the-$source-token"
done
echo "Secret files in $dir"
