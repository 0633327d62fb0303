# shellcheck shell=sh disable=SC2034,SC2154 # settings used by the sourcing scripts; prog set by them
# lib.sh: helpers shared by the benchmark scripts (sourced, not run). The sourcing script sets
# `prog` (its name, for messages) before sourcing.

# The stance-train settings of the Reuters rows. BEST stays above both quality targets for
# fold seeds 1-5 (RESULTS-reuters.md, "Fold-seed spread"); throughput.sh tags with a model made
# with BEST, so both benchmarks measure the same model.
FAST="--no-balance --no-bigrams --folds 3"
BEST="--no-balance --min-df 5 --folds 3 -j 2"
# The same feature settings for stance-vectorize (the liblinear-tools and libsvm-tools rows).
BEST_VECTORIZE="--min-df 5"

# Runs per row: RUNS, else one with BENCH_QUICK=1, else three.
quick=${BENCH_QUICK:-0}
if [ -n "${RUNS:-}" ]; then runs=$RUNS
elif [ "$quick" = 1 ]; then runs=1
else runs=3
fi

die() { echo "$prog: $*" >&2; exit 1; }

# elapsed SECONDS and peak KB from a `time -v` report
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f\n", s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { sort -n | tail -1; }
total() { awk '{ s += $1 } END { printf "%.2f\n", s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# CPU seconds (user + system) from a `time -v` report
cpu_of() { awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 }
    END { printf "%.2f\n", s }' "$1"; }

# timed FILE CMD...: runs CMD under GNU time, appending its wall seconds to FILE.wall, its
# peak KB to FILE.rss and its CPU seconds to FILE.cpu; stdout is CMD's.
timed() {
    t_out=$1
    shift
    /usr/bin/time -v -o "$t_out.time" "$@" || { cat "$t_out.time" >&2; return 1; }
    wall_of "$t_out.time" >> "$t_out.wall"
    rss_of "$t_out.time" >> "$t_out.rss"
    cpu_of "$t_out.time" >> "$t_out.cpu"
}

need_tools() { # checks jq and GNU time, which every script needs
    command -v jq >/dev/null || die "jq is needed (make -C bench peers, or apt-get install jq)"
    /usr/bin/time -v true 2>/dev/null ||
        die "GNU time is needed as /usr/bin/time (make -C bench peers, or apt-get install time)"
}

# The Debian package version of PKG, or "not installed".
deb_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"
}

# The commit the stance sources are at (read-only git; "unknown" outside a work tree).
stance_commit() {
    git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown
}

machine() {
    # shellcheck source=/dev/null
    echo "$(nproc) CPUs (nproc), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); $(. /etc/os-release && echo "$PRETTY_NAME")"
}

# make_codebook CORPUS OUT: the Reuters codebook, one multi dimension "topics" with the
# categories of stats.json (or of train.jsonl's topics).
make_codebook() {
    if [ -r "$1/stats.json" ]; then
        jq '.category_doc_counts_train_test_pool | keys' "$1/stats.json"
    else
        jq -s '[.[].topics[]] | unique' "$1/train.jsonl"
    fi | jq '{name: "reuters21578", dimensions: [{name: "topics", kind: "multi", values: [.[] | {label: .}]}]}' \
        > "$2"
}

# fasttext_text: JSON Lines articles on stdin to fastText's input on stdout, one article per
# line: "__label__T " for each of its topics (if any), then the text lower-cased with every
# ASCII character other than a letter, digit or space set apart by spaces (the preprocessing of
# fastText's own classification examples), whitespace collapsed.
fasttext_text() {
    jq -r '([(.topics // [])[] | "__label__" + . + " "] | join("")) + "\t" +
        (.text | split("\n") | join(" ") | split("\t") | join(" ") | split("\r") | join(" "))' |
        LC_ALL=C awk -F'\t' '{ t = tolower($2); gsub(/[^a-z0-9 \200-\377]/, " & ", t)
            gsub(/ +/, " ", t); sub(/^ /, "", t); sub(/ $/, "", t); print $1 t }'
}

# python_sklearn: the first of $PYTHON (default: python3 /usr/bin/python3) that imports
# sklearn, or nothing.
python_sklearn() {
    for p_try in ${PYTHON:-python3 /usr/bin/python3}; do
        if command -v "$p_try" >/dev/null && "$p_try" -c 'import sklearn' 2>/dev/null; then
            echo "$p_try"
            return 0
        fi
    done
}

# start_run NAME "STAGES" [FILE...]: the common start of a benchmark script. Checks that the
# stance executables named in STAGES are in $bin and that jq and GNU time are there; makes
# $tmp (removed at exit) and copies the executables and the given files into it, so that a
# rebuild or an edit during the run cannot mix two versions; sets bin to the copies, and
# commit, date and load for the report.
start_run() {
    run_name=$1 run_stages=$2
    shift 2
    for p in $run_stages; do
        [ -x "$bin/$p" ] || die "$bin/$p is missing (run make first)"
    done
    need_tools
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-$run_name.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    mkdir "$tmp/bin"
    for p in $run_stages; do cp "$bin/$p" "$tmp/bin/"; done
    for f in "$@"; do cp "$f" "$tmp/"; done
    bin=$tmp/bin
    commit=$(stance_commit "$here/..")
    date=$(date -u '+%Y-%m-%d %H:%M UTC')
    load=$(cut -d' ' -f1-3 /proc/loadavg)
}
