#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# throughput.sh: tagging throughput (MB/s) and peak memory of stance-tag next to scikit-learn,
# fastText, GNU parallel and `wc -w`, on the same articles.
#
# Usage: throughput.sh [RESULTS.json]
#
# Builds at least $THROUGHPUT_MB MB (10^6 bytes) of article text by repeating the Reuters-21578
# train and test articles (ids made unique) in a temporary directory, in three forms: JSON Lines
# {"id", "text"} for stance-tag and scikit-learn, one article per line for `wc -w`, and the same
# lower-cased with punctuation set apart for fastText (fastText's own preprocessing; not timed).
# The models are trained on Reuters train (not timed): stance with the BEST settings of
# reuters.sh (same codebook), scikit-learn with reuters.sh's plain recipe, fastText with
# reuters.sh's unigram settings. Each system then tags the whole file into a file in the
# temporary directory; MB/s = MB of article text (the size of the one-article-per-line file)
# / wall seconds of the whole process (start-up and model loading included), the median of the
# runs (made in passes that each run every row once, in turn); peak MB is the largest peak
# resident set (GNU time -v) over the runs; CPU s the median user + system seconds (all
# threads). Prints a Markdown table on standard output, and writes one JSON object per row to
# RESULTS.json when given (JSON Lines; report.py merges it into results.json). The -j N rows read JSON Lines as the
# one-thread rows do (their ratio to -j 1 is printed); the --no-id-check row gives the memory of
# the duplicate-id set: (peak KB with it - peak KB without) / articles, in bytes per article.
# The plain-text rows tag the same articles as one file each in a directory, on one thread and
# on two. The model-load row tags an empty input: start-up and model loading, which no thread
# shares; the -j ratios are also printed with its wall seconds taken off both sides, the scaling
# of the tagging itself.
#
# Environment:
#   CORPUS_DIR      the Reuters-21578 directory (default ../../shared/corpora/reuters21578)
#   BIN             the stance executables (default ../bin from this script's directory)
#   BENCH_QUICK=1   one run per system instead of 3
#   RUNS=N          N runs per system (overrides BENCH_QUICK)
#   THROUGHPUT_MB   the minimum size of the text (default 80)
#   ONLY=REGEX      measure only the rows whose name matches (grep -E)
#   JOBS="2 4"      the -j values of the stance-tag -j rows (default 2, and nproc if more)
#   PYTHON          a Python 3 with scikit-learn (default: the first of python3, /usr/bin/python3
#                   that imports sklearn; the row is skipped if none)
set -eu

prog=throughput.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
corpus=${CORPUS_DIR:-$here/../../shared/corpora/reuters21578}
case $corpus in /*) ;; *) corpus=$here/$corpus ;; esac
bin=${BIN:-$here/../bin}
json_out=${1:-}
want_mb=${THROUGHPUT_MB:-80}

if [ ! -r "$corpus/train.jsonl" ] || [ ! -r "$corpus/test.jsonl" ]; then
    die "no train.jsonl/test.jsonl in $corpus (set CORPUS_DIR)"
fi
start_run throughput "stance-train stance-tag" "$here/peers/sklearn_tag.py"
python=$(python_sklearn)

# ---- the input ----
cat "$corpus/train.jsonl" "$corpus/test.jsonl" > "$tmp/one.jsonl"
jq -r '.text | split("\n") | join(" ")' "$tmp/one.jsonl" > "$tmp/one.txt"
reps=$(awk -v b="$(wc -c < "$tmp/one.txt")" -v w="$want_mb" 'BEGIN { r = int(w * 1e6 / b); if (r * b < w * 1e6) r++; print r }')
jq -c '{text}' "$tmp/one.jsonl" | fasttext_text > "$tmp/one.ft"
: > "$tmp/data.jsonl" && : > "$tmp/data.txt" && : > "$tmp/data.ft"
r=0
while [ "$r" -lt "$reps" ]; do
    r=$((r + 1))
    jq -c --arg r "$r" '{id: (.id + "-" + $r), text}' "$tmp/one.jsonl" >> "$tmp/data.jsonl"
    cat "$tmp/one.txt" >> "$tmp/data.txt"
    cat "$tmp/one.ft" >> "$tmp/data.ft"
done
articles=$(wc -l < "$tmp/data.txt")
text_bytes=$(wc -c < "$tmp/data.txt")
input_mb=$(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
# the same articles as plain-text files, one per article, for the plain-text rows
mkdir "$tmp/txt"
awk -v d="$tmp/txt" '{ f = sprintf("%s/a%07d.txt", d, NR); print > f; close(f) }' "$tmp/data.txt"
jsonl_mb=$(awk -v b="$(wc -c < "$tmp/data.jsonl")" 'BEGIN { printf "%.1f", b / 1e6 }')
ft_mb=$(awk -v b="$(wc -c < "$tmp/data.ft")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "$prog: $articles articles ($reps copies of Reuters train + test), $input_mb MB of text; $runs run(s) per system; load average $load" >&2

# ---- the models (not timed) ----
make_codebook "$corpus" "$tmp/codebook.json"
# shellcheck disable=SC2086 # BEST is a list of options
"$bin/stance-train" -q --codebook "$tmp/codebook.json" -o "$tmp/model" $BEST "$corpus/train.jsonl" ||
    die "stance-train failed"
if [ -n "$python" ]; then
    "$python" "$tmp/sklearn_tag.py" train "$corpus/train.jsonl" "$tmp/sklearn.pickle" ||
        die "sklearn_tag.py train failed"
    sklearn_version=$("$python" -c 'import sklearn; print(sklearn.__version__)')
else
    echo "$prog: no Python with scikit-learn: its row is skipped" >&2
fi
fasttext_opts="-epoch 50 -wordNgrams 1 -lr 1.0 -minCount 2 -dim 100 -bucket 200000"
if command -v fasttext >/dev/null; then
    yes | head -c 1048576 > "$tmp/seed"
    fasttext_text < "$corpus/train.jsonl" | shuf --random-source="$tmp/seed" > "$tmp/ft.train"
    # shellcheck disable=SC2086 # a list of options
    fasttext supervised -input "$tmp/ft.train" -output "$tmp/ft" -loss ova -thread 1 -seed 1 \
        -verbose 0 $fasttext_opts || die "fasttext supervised failed"
    rm -f "$tmp/ft.vec" "$tmp/ft.train"
else
    echo "$prog: no fasttext (make -C bench peers): its row is skipped" >&2
fi

# ---- measuring ----
json=$tmp/rows.jsonl
: > "$json"
selected() { [ -z "${ONLY:-}" ] || printf '%s\n' "$1" | grep -Eq -- "$ONLY"; }

# measure NAME SYSTEM VERSION THREADS HEADLINE EXPECT_LINES INPUT CMD...: one run of CMD
# reading INPUT on standard input, its output to a file, in pass $pass of $runs; the last pass
# writes the row. The passes run every row in turn (all_rows), so that a load that comes and
# goes on a shared machine falls on every row alike, not on the rows measured meanwhile.
# EXPECT_LINES (or "-") checks the output's line count. MB/s is of the article text, null for
# a row with m_text=0 (set before the call, for that row only: the model-load row tags no text).
measure() {
    m_name=$1 m_system=$2 m_version=$3 m_threads=$4 m_headline=$5 m_lines=$6 m_input=$7
    m_mb=$input_mb
    [ "${m_text:-1}" = 0 ] && m_mb=0
    m_text=1
    shift 7
    selected "$m_name" || return 0
    m_row=$((m_row + 1))
    m=$tmp/row$m_row
    [ "$pass" = 1 ] && : > "$m.wall" && : > "$m.rss" && : > "$m.cpu"
    rm -f "$tmp/out"
    timed "$m" "$@" < "$m_input" > "$tmp/out" || die "$m_name: failed"
    if [ "$m_lines" != - ] && [ "$(wc -l < "$tmp/out")" != "$m_lines" ]; then
        die "$m_name: $(wc -l < "$tmp/out") output lines, $m_lines expected"
    fi
    [ "$pass" = "$runs" ] || return 0
    settings=$(printf '%s ' "$@" | sed "s|$tmp/bin/||g; s|$tmp/||g; s| \$||")
    wall=$(median < "$m.wall")
    kb=$(maximum < "$m.rss")
    cpu=$(median < "$m.cpu")
    split=null
    [ -s "$tmp/timing.json" ] && split=$(cat "$tmp/timing.json") && rm -f "$tmp/timing.json"
    jq -nc --arg system "$m_system" --arg name "$m_name" --arg version "$m_version" \
        --arg settings "$settings" --argjson runs "$runs" --argjson threads "$m_threads" \
        --argjson headline "$m_headline" --argjson mb "$m_mb" --argjson wall "$wall" \
        --argjson kb "$kb" --argjson split "$split" --arg date "$date" --arg load "$load" \
        --arg quick "$quick" --argjson articles "$articles" --argjson cpu "$cpu" \
        '{benchmark: "throughput", system: $system, name: $name, version: $version,
          settings: $settings, runs: $runs, threads: $threads, input_mb: $mb, articles: $articles,
          wall_s: $wall, cpu_s: $cpu, mb_per_s: (if $wall > 0 and $mb > 0 then ($mb / $wall * 10 | round / 10) else null end),
          peak_rss_mb: ($kb / 1024 | round), peak_rss_kb: $kb, headline: $headline, date: $date,
          load_average: $load, quick: ($quick == "1")}
         + (if $split == null then {} else {timing_split: $split} end)' >> "$json"
    printf '  %-45s %6s s %8s MB/s %6s MB\n' "$m_name" "$wall" \
        "$(awk -v m="$m_mb" -v w="$wall" 'BEGIN { if (w > 0 && m > 0) printf "%.1f", m / w; else printf "-" }')" "$(mb "$kb")" >&2
}

stance_version="commit $commit; model: stance-train $BEST on Reuters train"
tag=$bin/stance-tag
# once: what the rows below can measure
has_id_check=no
"$tag" --help | grep -q -- '--no-id-check' && has_id_check=yes
tag_j=no
"$tag" --help | grep -Eq -- '(^|[ ,])(-j|--threads)([ ,=]|$)' && tag_j=yes
[ "$tag_j" = yes ] || echo "$prog: this stance-tag has no -j: its -j 2 rows are skipped" >&2
command -v parallel >/dev/null || echo "$prog: no GNU parallel (make -C bench peers): its row is skipped" >&2
jobs=${JOBS:-2}
[ -z "${JOBS:-}" ] && [ "$(nproc)" -gt 2 ] && jobs="2 $(nproc)"

# every row, one run each
all_rows() {
m_row=0
measure "stance-tag, article unit" stance "$stance_version" 1 true "$articles" "$tmp/data.jsonl" \
    "$tag" -m "$tmp/model" --jsonl --unit document --no-text
measure "stance-tag, passage unit" stance "$stance_version" 1 false - "$tmp/data.jsonl" \
    "$tag" -m "$tmp/model" --jsonl --no-text
m_text=0
measure "stance-tag, model load only (empty input)" stance "$stance_version" 1 false 0 /dev/null \
    "$tag" -m "$tmp/model" --jsonl --unit document --no-text
measure "stance-tag, plain-text files, article unit" stance "$stance_version" 1 false "$articles" /dev/null \
    "$tag" -m "$tmp/model" --unit document --no-text "$tmp/txt"
if [ "$has_id_check" = yes ]; then
    measure "stance-tag --no-id-check, article unit" stance "$stance_version" 1 false "$articles" "$tmp/data.jsonl" \
        "$tag" -m "$tmp/model" --jsonl --unit document --no-text --no-id-check
fi
if [ "$tag_j" = yes ]; then
    for n in $jobs; do
        measure "stance-tag -j $n, article unit" stance "$stance_version" "$n" false "$articles" "$tmp/data.jsonl" \
            "$tag" -j "$n" -m "$tmp/model" --jsonl --unit document --no-text
    done
    measure "stance-tag -j 2, passage unit" stance "$stance_version" 2 false - "$tmp/data.jsonl" \
        "$tag" -j 2 -m "$tmp/model" --jsonl --no-text
    measure "stance-tag -j 2, plain-text files, article unit" stance "$stance_version" 2 false "$articles" /dev/null \
        "$tag" -j 2 -m "$tmp/model" --unit document --no-text "$tmp/txt"
fi
if command -v parallel >/dev/null; then
    measure "GNU parallel -j 2 stance-tag, passage unit" parallel \
        "GNU parallel $(deb_version parallel); stance $stance_version" 2 false - "$tmp/data.jsonl" \
        parallel --will-cite --pipe --block 10M -k -j 2 "$tag" -m "$tmp/model" --jsonl --no-text
fi
if [ -n "$python" ]; then
    # sklearn_tag.py reads its input by name; measure's standard input is left unread.
    measure "scikit-learn TF-IDF + LinearSVC" scikit-learn \
        "scikit-learn $sklearn_version (python3-sklearn $(deb_version python3-sklearn)); model: TfidfVectorizer(sublinear_tf=True) + OneVsRestClassifier(LinearSVC(C=1)) on Reuters train" 1 false "$articles" /dev/null \
        "$python" "$tmp/sklearn_tag.py" tag "$tmp/sklearn.pickle" "$tmp/data.jsonl" "$tmp/timing.json"
fi
if [ -f "$tmp/ft.bin" ]; then
    measure "fastText predict-prob" fastText \
        "fastText $(deb_version fasttext) (Debian); model: fasttext supervised -loss ova -thread 1 -seed 1 $fasttext_opts on Reuters train" 1 false "$articles" /dev/null \
        fasttext predict-prob "$tmp/ft.bin" "$tmp/data.ft" -1 0.5
fi
measure "wc -w" wc "$(wc --version | head -1)" 1 false 1 /dev/null wc -w "$tmp/data.txt"
}

# The machine's own parallelism, the ceiling of the -j ratios: a CPU-bound loop once, then two
# at the same time (a virtual machine's CPUs may share fewer host cores).
spin() { awk 'BEGIN { for (i = 0; i < 2e7; i++) s += i % 7; exit s < 0 }'; }
spin_two() { spin & spin & wait; }
seconds_of() {
    s_start=$(date +%s.%N)
    "$@"
    awk -v a="$s_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
spin_one=$(seconds_of spin)
spin_two=$(seconds_of spin_two)

pass=0
while [ "$pass" -lt "$runs" ]; do
    pass=$((pass + 1))
    all_rows
done

# ---- the table ----
echo "# Tagging throughput (bench/throughput.sh)"
echo
echo "- date: $date; load average at the start $load"
echo "- machine: $(machine)"
echo "- input: $articles articles ($reps copies of Reuters-21578 train + test), $input_mb MB of article text (JSON Lines $jsonl_mb MB, fastText's text $ft_mb MB)"
echo "- runs: $runs per system, in $runs passes over every row in turn; MB/s = $input_mb MB / median wall s of the whole process; peak MB = largest peak RSS (GNU time -v; for parallel the largest single process)"
echo "- stance-tag -j: $tag_j"
if awk -v l="$load" -v n="$(nproc)" 'BEGIN { split(l, a, " "); exit !(a[1] > n) }'; then
    echo "- note: the load average at the start was above the $(nproc) CPUs: other processes took CPU time from every row, so wall seconds, MB/s and the -j ratios are not what an idle machine gives (CPU s, user + system, is less affected)"
fi
awk -v a="$spin_one" -v b="$spin_two" 'BEGIN { if (b > 0) printf "- the machine'"'"'s parallelism, measured before the rows: two CPU-bound loops at once did %.2fx the work of one in the same time (%s s for one, %s s for two; 2x on two idle cores), the ceiling of the -j 2 ratios\n", 2 * a / b, a, b }'
# the -j rows against their one-thread rows (the same name without "-j N"), as they are and
# with the model-load row's wall seconds taken off both
load_s=$(jq -r 'select(.name == "stance-tag, model load only (empty input)") | .wall_s' "$json")
jq -rs --argjson load "${load_s:-null}" 'map(select(.system == "stance")) as $rows
    | $rows[] | select(.threads > 1) | . as $n
    | ($rows | map(select(.threads == 1 and .name == ($n.name | sub(" -j [0-9]+"; ""))))[0]) as $one
    | select($one != null and $n.wall_s > 0)
    | "- \($n.name): \($one.wall_s / $n.wall_s * 100 | round / 100)x the speed of -j 1 (\($n.wall_s) s against \($one.wall_s) s wall; CPU \($n.cpu_s) s against \($one.cpu_s) s)"
      + (if $load != null and $n.wall_s > $load then "; model load (\($load) s) taken off both: \(($one.wall_s - $load) / ($n.wall_s - $load) * 100 | round / 100)x" else "" end)' "$json"
jq -rs '(map(select(.name == "stance-tag, article unit"))[0].mb_per_s) as $s
    | .[] | select(.system == "scikit-learn" or .system == "fastText") | select(.mb_per_s and $s)
    | "- stance-tag, article unit (one thread): \($s / .mb_per_s * 100 | round / 100)x the MB/s of \(.name) (\($s) against \(.mb_per_s))"' "$json"
jq -rs --argjson n "$articles" '(map(select(.name == "stance-tag, article unit"))[0].peak_rss_kb) as $with
    | (map(select(.name == "stance-tag --no-id-check, article unit"))[0].peak_rss_kb) as $without
    | if $with and $without then "- duplicate-id set: \((($with - $without) * 1024 / $n) | round) bytes per article (peak \($with) KB with the check, \($without) KB with --no-id-check, \($n) articles)" else empty end' "$json"
echo
echo "| system | settings | wall s | CPU s | MB/s | peak MB |"
echo "|---|---|---:|---:|---:|---:|"
jq -r '"| \(.name) | `\(.settings)` | \(.wall_s) | \(.cpu_s) | \(.mb_per_s // "-") | \(.peak_rss_mb) |"' "$json"
if [ -n "$json_out" ]; then
    cp "$json" "$tmp/out.json"
    cp "$tmp/out.json" "$json_out"
fi
