#!/bin/sh
# deps.sh: installs the Debian packages stance builds and tests with, when some are missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
# On a system without dpkg it only says which packages are expected.
set -u
pkgs="build-essential pkg-config libsvm-dev liblinear-dev libstemmer-dev libjansson-dev check"
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: no dpkg here; stance needs: $pkgs (or your system's equivalents)" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
    echo "deps: stance needs these Debian packages:$missing" >&2
    echo "deps: run:  sudo apt-get install$missing" >&2
    exit 1
fi
