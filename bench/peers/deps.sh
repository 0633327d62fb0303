#!/bin/sh
# deps.sh: installs the Debian packages of the peers bench/ compares stance with, when some are
# missing (the same way as scripts/deps.sh does for the build): scikit-learn, fastText, the
# liblinear and libsvm command-line tools, GNU parallel, jq and GNU time. As root it runs
# apt-get; otherwise it prints the exact command to run and fails. On a system without dpkg it
# only says which programs are expected.
set -u
pkgs="python3-sklearn fasttext liblinear-tools libsvm-tools parallel jq time"
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "bench deps: no dpkg here; the benchmarks expect: $pkgs (or your system's equivalents)" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "bench deps: installing$missing" >&2
    # shellcheck disable=SC2086 # one word per package
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
else
    echo "bench deps: the benchmarks compare stance with programs from these Debian packages:$missing" >&2
    echo "bench deps: run:  sudo apt-get install$missing" >&2
    echo "bench deps: (or run single benchmarks, e.g. make -C bench reuters: rows whose program is missing are skipped)" >&2
    exit 1
fi
