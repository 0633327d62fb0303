#!/bin/sh
# deps.sh [WHO PACKAGE...]: installs the Debian packages stance builds and tests with (python3
# and GNU time for the tests that parse output and measure memory), or the
# given ones, on behalf of WHO, e.g. "bench deps", when some are missing. As root it runs
# apt-get; otherwise it prints the exact command to run and fails. On a system without dpkg it
# only says which packages are expected.
set -u
who=deps
pkgs="build-essential pkg-config libsvm-dev liblinear-dev libstemmer-dev libjansson-dev check python3 time"
if [ $# -gt 1 ]; then
    who=$1
    shift
    pkgs=$*
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "$who: no dpkg here; expected: $pkgs (or your system's equivalents)" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "$who: installing$missing" >&2
    # shellcheck disable=SC2086 # one word per package
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
    echo "$who: these Debian packages are needed:$missing" >&2
    echo "$who: run:  sudo apt-get install$missing" >&2
    exit 1
fi
