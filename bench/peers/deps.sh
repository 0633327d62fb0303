#!/bin/sh
# deps.sh: installs the Debian packages of the peers bench/ compares stance with, when some are
# missing, through scripts/deps.sh: scikit-learn, fastText, the liblinear and libsvm
# command-line tools, GNU parallel, jq and GNU time. Without root it prints the command to run
# and fails; single benchmarks (e.g. make -C bench reuters) skip rows whose program is missing.
exec "$(dirname "$0")/../../scripts/deps.sh" "bench deps" \
    python3-sklearn fasttext liblinear-tools libsvm-tools parallel jq time
