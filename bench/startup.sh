#!/bin/sh
# startup.sh: start-up of stance-tag, one short article, with the shipped model and with a
# Reuters-size bundle, each in bundle format 1 (a text file per unit), 2 (weights.bin, mapped;
# the vocabulary still JSON in the manifest) and 3 (vocab.bin too, mapped): the median wall time
# of RUNS (default 20) runs of each, measured in this run.
#
#   startup.sh [RESULTS.md [results.json]]
#
# The Reuters bundle is trained once with stance-train's defaults on
# CORPUS_DIR/train.jsonl (a few minutes) and kept in WORK (default bench/work-startup/, not
# committed) with the checksum of the corpus it was trained on; it is trained again when the
# corpus changes (rm -r WORK to train it with a newer stance-train). The format 1, 2 and 3 copies of both bundles are made with
# stance-info --convert, so each pair holds the same weights. The article is the first test
# article of the corpus, as a text file.
set -eu

prog=startup.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
corpus=${CORPUS_DIR:-$here/../../shared/corpora/reuters21578}
case $corpus in /*) ;; *) corpus=$here/$corpus ;; esac
bin=${BIN:-$here/../bin}
work=${WORK:-$here/work-startup}
n=${RUNS:-20}
out=${1:-}
json_out=${2:-}

need_tools
[ -r "$corpus/train.jsonl" ] && [ -r "$corpus/test.jsonl" ] || die "no train.jsonl/test.jsonl in $corpus (set CORPUS_DIR)"
mkdir -p "$work"
commit=$(stance_commit "$here/..")

# The Reuters bundle, trained with the defaults unless the one in WORK fits.
stamp="corpus $(cksum < "$corpus/train.jsonl")"
if [ ! -f "$work/reuters/manifest.json" ] || [ "$(cat "$work/reuters.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "$prog: training the Reuters bundle (defaults)..." >&2
    make_codebook "$corpus" "$work/codebook.json"
    "$bin/stance-train" -q --codebook "$work/codebook.json" -o "$work/reuters" "$corpus/train.jsonl" ||
        die "stance-train failed"
    printf '%s\n' "$stamp" > "$work/reuters.stamp"
fi
for f in 1 2 3; do
    "$bin/stance-info" --convert "$work/reuters-f$f" --bundle-format $f "$work/reuters" || die "convert failed"
    "$bin/stance-info" --convert "$work/shipped-f$f" --bundle-format $f "$here/../models/default" || die "convert failed"
done
head -1 "$corpus/test.jsonl" | jq -r .text > "$work/article.txt"

# ms BUNDLE: the median wall milliseconds of n runs of stance-tag on the article (one run
# first, untimed, so every bundle is timed with its files in the page cache), each timed from
# posix_spawn to waitpid in one Python process (timing with date(1) around each run would add
# the start of a date process to every figure). BUNDLE "-": stance-tag --version instead, the
# floor: starting the process and linking its libraries.
tag_args() {
    if [ "$1" = - ]; then echo "--version"; else echo "-m $1 $work/article.txt"; fi
}
ms() {
    # shellcheck disable=SC2046 # the arguments are split on purpose (no spaces in them)
    "$bin/stance-tag" $(tag_args "$1") > /dev/null || die "stance-tag -m $1 failed"
    # shellcheck disable=SC2046
    python3 -c '
import os, statistics, sys, time
n, argv = int(sys.argv[1]), sys.argv[2:]
out = os.open(os.devnull, os.O_WRONLY)
times = []
for _ in range(n):
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out, 1)])
    _, status = os.waitpid(pid, 0)
    times.append(time.perf_counter() - t0)
    if status != 0:
        sys.exit("stance-tag exited with status %d" % status)
print("%.1f" % (statistics.median(times) * 1000))
' "$n" "$bin/stance-tag" $(tag_args "$1") || die "stance-tag $1 failed"
}
# cpu BUNDLE: the CPU milliseconds (user + system) of one run, the mean over n runs: less
# sensitive than wall time to the other processes of a loaded machine (10 ms clock ticks over
# the n runs together).
cpu() {
    if [ "$1" = - ]; then set -- --version; else set -- -m "$1" "$work/article.txt"; fi
    /usr/bin/time -f '%U %S' -o "$work/cpu.time" sh -c \
        'n=$1 prog=$2; shift 2; i=0; while [ "$i" -lt "$n" ]; do i=$((i + 1)); "$prog" "$@" >/dev/null; done' \
        cpu "$n" "$bin/stance-tag" "$@" || die "stance-tag $* failed"
    awk -v n="$n" '{ printf "%.1f\n", ($1 + $2) * 1000 / n }' "$work/cpu.time"
}
bytes() { du -sb "$1" | cut -f1; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
date=$(date -u '+%Y-%m-%d %H:%M UTC')
rows=""
for b in shipped reuters; do
    for f in 1 2 3; do
        m=$(ms "$work/$b-f$f") c=$(cpu "$work/$b-f$f")
        echo "  $b bundle, format $f: $m ms (CPU $c ms)" >&2
        rows="$rows$b $f $m $(bytes "$work/$b-f$f") $c
"
    done
done
floor_ms=$(ms -) floor_cpu=$(cpu -)
echo "  no bundle (stance-tag --version): $floor_ms ms (CPU $floor_cpu ms)" >&2
get() { printf '%s' "$rows" | awk -v b="$1" -v f="$2" '$1 == b && $2 == f { print $3 }'; }
s3=$(get shipped 3) r3=$(get reuters 3) s2=$(get shipped 2) r2=$(get reuters 2) s1=$(get shipped 1) r1=$(get reuters 1)
ratio=$(awk -v r="$r3" -v s="$s3" 'BEGIN { printf "%.2f", r / s }')
ratio2=$(awk -v r="$r2" -v s="$s2" 'BEGIN { printf "%.2f", r / s }')
cpu_of_row() { printf '%s' "$rows" | awk -v b="$1" -v f="$2" '$1 == b && $2 == f { print $5 }'; }
size() { printf '%s' "$rows" | awk -v b="$1" -v f="$2" '$1 == b && $2 == f { printf "%.1f MB", $4 / 1e6 }'; }

report() {
    echo "# stance-tag start-up (bench/startup.sh)"
    echo
    echo "One short article (the first Reuters-21578 test article), median wall time of $n runs"
    echo "of \`stance-tag -m BUNDLE article.txt\`, files in the page cache. Commit $commit, $date;"
    echo "$(machine); load average $load when measured."
    echo
    echo "| bundle | format 1 (text units) | format 2 (weights.bin) | format 3 (vocab.bin, weights.bin) | size, format 2 | size, format 3 |"
    echo "|---|---|---|---|---|---|"
    echo "| shipped (models/default) | $s1 ms | $s2 ms | $s3 ms | $(size shipped 2) | $(size shipped 3) |"
    echo "| Reuters, stance-train defaults | $r1 ms | $r2 ms | $r3 ms | $(size reuters 2) | $(size reuters 3) |"
    echo
    echo "Format 3 (the default): Reuters start-up $ratio x the shipped model's (target <= 1.5), both"
    echo "below 10 ms: $(awk -v r="$r3" -v s="$s3" 'BEGIN { print (r < 10 && s < 10) ? "yes" : "no" }'). (Format 2: $ratio2 x.)"
    echo
    echo "The floor, measured in the same run: \`stance-tag --version\` (start the process and link"
    echo "it: ldd lists $(ldd "$bin/stance-tag" 2>/dev/null | grep -c '=>') shared libraries; no model) takes $floor_ms ms"
    echo "(CPU $floor_cpu ms); format 3 adds to it $(awk -v a="$s3" -v f="$floor_ms" 'BEGIN { printf "%.1f", a - f }') ms with the shipped model and $(awk -v a="$r3" -v f="$floor_ms" 'BEGIN { printf "%.1f", a - f }') ms with the Reuters one."
    echo
    echo "CPU time (user + system) per run, the mean of the same $n runs again:"
    echo
    echo "| bundle | format 1 | format 2 | format 3 |"
    echo "|---|---|---|---|"
    for b in shipped reuters; do
        echo "| $b | $(cpu_of_row $b 1) ms | $(cpu_of_row $b 2) ms | $(cpu_of_row $b 3) ms |"
    done
}
if [ -n "$out" ]; then report > "$out.tmp" && mv "$out.tmp" "$out"; fi
report
if [ -n "$json_out" ]; then
    printf '%s' "$rows" | while read -r b f m size c; do
        jq -nc --arg bundle "$b" --argjson format "$f" --argjson ms "$m" --argjson bytes "$size" --argjson cpu "$c" \
            --argjson runs "$n" --arg commit "$commit" --arg date "$date" --arg load "$load" \
            '{benchmark: "startup", bundle: $bundle, format: $format, median_ms: $ms,
              cpu_ms: $cpu, bundle_bytes: $bytes, runs: $runs, commit: $commit, date: $date, load_average: $load}'
    done > "$json_out.tmp" && mv "$json_out.tmp" "$json_out"
fi
