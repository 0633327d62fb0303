#!/bin/sh
# shellcheck disable=SC2086 # option strings ($BEST, the grid) are split into words on purpose
# reuters.sh: quality and speed of stance-train / stance-tag on Reuters-21578 (ApteMod, 90 topics).
#
# Usage: reuters.sh [RESULTS.md]
#
# Trains on train.jsonl, tags test.jsonl one record per article and scores the tags with
# stance-eval, for each configuration below; prints micro-F1, macro-F1, training and tagging
# wall time (median over the runs) and peak resident memory (largest over the runs) as a
# Markdown table, and writes it with the settings to RESULTS.md when given. A section of
# RESULTS.md starting at the line "## Exploration" is hand-written and kept.
#
# Environment:
#   CORPUS_DIR    the Reuters-21578 directory (train.jsonl, test.jsonl, stats.json);
#                 default ../../shared/corpora/reuters21578 from this script's directory
#   BIN           the stance executables (default ../bin from this script's directory)
#   BENCH_QUICK=1 one run per configuration instead of 3, and no defaults rows
#   RUNS=N        N runs per configuration (overrides BENCH_QUICK)
#   EXPLORE=1     also run the exploration grid (one run each) and print its table
#   ONLY=REGEX    run only the rows whose name matches (grep -E), e.g. ONLY='scikit|best'
#   PYTHON        a Python 3 with scikit-learn for the reference rows (default: the first of
#                 python3, /usr/bin/python3 that imports sklearn; rows skipped if none)
#
# The codebook (one multi dimension "topics" with the 90 categories) is generated from
# stats.json, or from the topics of train.jsonl, in a temporary directory that is removed at
# exit together with the models and predictions. Needs jq and GNU time (/usr/bin/time).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS_DIR:-$here/../../shared/corpora/reuters21578}
case $corpus in /*) ;; *) corpus=$here/$corpus ;; esac
bin=${BIN:-$here/../bin}
out=${1:-}
if [ -n "${RUNS:-}" ]; then runs=$RUNS
elif [ "${BENCH_QUICK:-0}" = 1 ]; then runs=1
else runs=3
fi

die() { echo "reuters.sh: $*" >&2; exit 1; }
if [ ! -r "$corpus/train.jsonl" ] || [ ! -r "$corpus/test.jsonl" ]; then
    die "no train.jsonl/test.jsonl in $corpus (set CORPUS_DIR)"
fi
for p in stance-train stance-tag stance-eval; do
    [ -x "$bin/$p" ] || die "$bin/$p is missing (run make first)"
done
command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
/usr/bin/time -v true 2>/dev/null || die "GNU time is needed as /usr/bin/time (apt-get install time)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stance-reuters.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# Copies of the executables, so that a rebuild during the run cannot mix two versions.
mkdir "$tmp/bin"
cp "$bin/stance-train" "$bin/stance-tag" "$bin/stance-eval" "$tmp/bin/"
bin=$tmp/bin

# ---- the codebook ----
if [ -r "$corpus/stats.json" ]; then
    jq '.category_doc_counts_train_test_pool | keys' "$corpus/stats.json"
else
    jq -s '[.[].topics[]] | unique' "$corpus/train.jsonl"
fi | jq '{name: "reuters21578", dimensions: [{name: "topics", kind: "multi", values: [.[] | {label: .}]}]}' \
    > "$tmp/codebook.json"
ntopics=$(jq '.dimensions[0].values | length' "$tmp/codebook.json")

# ---- measuring ----
# elapsed SECONDS and peak KB from a `time -v` report
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f\n", s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { sort -n | tail -1; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

rows=$tmp/rows
: > "$rows"

# selected NAME: whether the row is wanted (ONLY, an extended regular expression, filters rows)
selected() { [ -z "${ONLY:-}" ] || printf '%s\n' "$1" | grep -Eq -- "$ONLY"; }

# stance NAME RUNS [stance-train options]: one table row (name|micro|macro|train|train MB|tag|tag MB)
stance() {
    name=$1 n=$2
    shift 2
    selected "$name" || return 0
    : > "$tmp/tr" && : > "$tmp/trm" && : > "$tmp/tg" && : > "$tmp/tgm" && : > "$tmp/f1"
    i=0
    while [ "$i" -lt "$n" ]; do
        i=$((i + 1))
        rm -rf "$tmp/model"
        /usr/bin/time -v -o "$tmp/time" "$bin/stance-train" -q --codebook "$tmp/codebook.json" \
            -o "$tmp/model" "$@" "$corpus/train.jsonl" || die "$name: stance-train failed"
        wall_of "$tmp/time" >> "$tmp/tr"; rss_of "$tmp/time" >> "$tmp/trm"
        /usr/bin/time -v -o "$tmp/time" "$bin/stance-tag" -m "$tmp/model" --jsonl --unit article \
            --no-text "$corpus/test.jsonl" > "$tmp/pred.jsonl" || die "$name: stance-tag failed"
        wall_of "$tmp/time" >> "$tmp/tg"; rss_of "$tmp/time" >> "$tmp/tgm"
        "$bin/stance-eval" --codebook "$tmp/codebook.json" --gold "$corpus/test.jsonl" --json \
            "$tmp/pred.jsonl" > "$tmp/eval.json" || die "$name: stance-eval failed"
        jq -r '.dimensions.topics | "\(.micro.f1) \(.macro.f1)"' "$tmp/eval.json" >> "$tmp/f1"
    done
    [ "$(sort -u "$tmp/f1" | wc -l)" = 1 ] || echo "reuters.sh: $name: F1 differs between runs" >&2
    read -r micro macro < "$tmp/f1"
    printf '%s|%.3f|%.3f|%s|%s|%s|%s\n' "$name" "$micro" "$macro" "$(median < "$tmp/tr")" \
        "$(mb "$(maximum < "$tmp/trm")")" "$(median < "$tmp/tg")" "$(mb "$(maximum < "$tmp/tgm")")" >> "$rows"
    printf '  %-34s micro %.3f macro %.3f train %ss\n' "$name" "$micro" "$macro" "$(median < "$tmp/tr")" >&2
}

# ---- the scikit-learn reference (TF-IDF + LinearSVC per topic) ----
cat > "$tmp/reference.py" <<'EOF'
# reference.py RECIPE TRAIN TEST: prints micro macro train_s tag_s.
# plain: TfidfVectorizer(sublinear_tf=True) + LinearSVC(C=1) per topic, threshold 0.
# tuned: the same, and each topic's threshold is the F1-optimal one on out-of-fold decision
# values of stratified 5-fold cross-validation (fewer folds when a topic has fewer examples).
# train_s covers vectorizing and fitting (and cross-validation); not loading the JSON.
import json, sys, time, warnings
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC
warnings.filterwarnings("ignore")

def load(path):
    with open(path) as f:
        recs = [json.loads(line) for line in f]
    return [r["text"] for r in recs], [r["topics"] for r in recs]

def best_threshold(f, y):
    order = np.argsort(-f, kind="stable")
    fs, ys = f[order], y[order]
    f1 = 2 * np.cumsum(ys) / (np.arange(1, len(f) + 1) + ys.sum())
    f1 = np.where(np.r_[fs[1:] != fs[:-1], True], f1, -1)  # cut between distinct values only
    b = int(np.argmax(f1))
    return (fs[b] + fs[b + 1]) / 2 if b + 1 < len(f) else fs[-1] - 1e-6

recipe = sys.argv[1]
train_text, train_topics = load(sys.argv[2])
test_text, test_topics = load(sys.argv[3])
t0 = time.perf_counter()
vec = TfidfVectorizer(sublinear_tf=True)
X = vec.fit_transform(train_text)
mlb = MultiLabelBinarizer()
Y = mlb.fit_transform(train_topics)
models, thresholds = [], []
for j in range(Y.shape[1]):
    y = Y[:, j]
    t = 0.0
    k = min(5, int(y.sum()), int(len(y) - y.sum()))
    if recipe == "tuned" and k >= 2:
        oof = np.empty(len(y))
        for a, b in StratifiedKFold(k, shuffle=True, random_state=1).split(X, y):
            oof[b] = LinearSVC(C=1.0).fit(X[a], y[a]).decision_function(X[b])
        t = best_threshold(oof, y)
    models.append(LinearSVC(C=1.0).fit(X, y))
    thresholds.append(t)
t1 = time.perf_counter()
Xt = vec.transform(test_text)
P = np.column_stack([m.decision_function(Xt) for m in models]) >= np.array(thresholds)
t2 = time.perf_counter()
Yt = mlb.transform(test_topics)
print("%.10f %.10f %.3f %.3f" % (f1_score(Yt, P, average="micro"),
      f1_score(Yt, P, average="macro", zero_division=0), t1 - t0, t2 - t1))
EOF

python=
for p in ${PYTHON:-python3 /usr/bin/python3}; do
    if command -v "$p" >/dev/null && "$p" -c 'import sklearn' 2>/dev/null; then python=$p; break; fi
done

# reference NAME RECIPE RUNS: one table row; times are in-process, memory is the whole process
reference() {
    name=$1 recipe=$2 n=$3
    selected "$name" || return 0
    : > "$tmp/tr" && : > "$tmp/tg" && : > "$tmp/mem"
    i=0
    while [ "$i" -lt "$n" ]; do
        i=$((i + 1))
        /usr/bin/time -v -o "$tmp/time" "$python" "$tmp/reference.py" "$recipe" \
            "$corpus/train.jsonl" "$corpus/test.jsonl" > "$tmp/ref" || die "$name: $python failed"
        read -r micro macro trs tgs < "$tmp/ref"
        echo "$trs" >> "$tmp/tr"; echo "$tgs" >> "$tmp/tg"; rss_of "$tmp/time" >> "$tmp/mem"
    done
    m=$(mb "$(maximum < "$tmp/mem")")
    printf '%s|%.3f|%.3f|%s|%s|%s|%s\n' "$name" "$micro" "$macro" "$(median < "$tmp/tr")" "$m" \
        "$(median < "$tmp/tg")" "$m" >> "$rows"
    printf '  %-34s micro %.3f macro %.3f train %ss\n' "$name" "$micro" "$macro" "$(median < "$tmp/tr")" >&2
}

# ---- the configurations ----
# FAST meets the time target on one thread but its macro-F1 depends on the fold seed (0.593 to
# 0.622 over seeds 1-5); BEST stays above both quality targets for seeds 1-5, and needs -j 2.
FAST="--no-balance --no-bigrams --folds 3"
BEST="--no-balance --min-df 5 --folds 3 -j 2"
echo "reuters.sh: $ntopics topics, $runs run(s) per configuration, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -n "$python" ]; then
    sklearn_version=$("$python" -c 'import sklearn; print(sklearn.__version__)')
    reference "scikit-learn $sklearn_version plain" plain "$runs"
    reference "scikit-learn $sklearn_version tuned (5-fold)" tuned "$runs"
else
    sklearn_version=
    echo "reuters.sh: no Python with scikit-learn; reference rows skipped" >&2
fi
# The defaults rows take about 4 (liblinear) and 12 (libsvm) minutes: they run once, and are
# left out with BENCH_QUICK=1.
quick=${BENCH_QUICK:-0}
[ "$quick" = 1 ] || stance "liblinear, defaults" 1 --engine liblinear
stance "liblinear, fast: $FAST" "$runs" --engine liblinear $FAST
stance "liblinear, best: $BEST" "$runs" --engine liblinear $BEST
[ "$quick" = 1 ] || stance "libsvm, defaults" 1 --engine libsvm
stance "libsvm, best: $BEST" 1 --engine libsvm $BEST

explore=$tmp/explore
: > "$explore"
if [ "${EXPLORE:-0}" = 1 ]; then
    saved=$rows
    rows=$explore
    while IFS= read -r opts; do
                stance "$opts" 1 --engine liblinear $opts
    done <<'GRID'
--folds 0
--no-bigrams
--no-bigrams --folds 3
--no-bigrams --folds 3 -j 2
--no-balance
--no-balance -j 2
--no-balance --folds 0
--no-balance --folds 3
--no-balance --min-df 1
--no-balance --min-df 3
--no-balance --min-df 5
--no-balance --min-df 5 --folds 3 -j 2
--no-balance --no-bigrams
--no-balance --no-bigrams --folds 0
--no-balance --no-bigrams -j 2
--no-balance --no-bigrams --min-df 3
--no-balance --no-bigrams --min-df 5
--no-balance --no-bigrams -c 0.5
--no-balance --no-bigrams -c 2
--no-balance --no-bigrams --c-grid 0.25,0.5,1,2,4
--no-balance --no-bigrams --c-grid 0.25,0.5,1,2,4 -j 2
--no-balance --no-bigrams --folds 3
--no-balance --no-bigrams --folds 3 --min-df 3
--no-balance --no-bigrams --folds 3 -j 2
--no-balance --no-bigrams --folds 3 --seed 2
--no-balance --no-bigrams --folds 3 --seed 3
GRID
    rows=$saved
fi

# ---- the report ----
ref_train=
if [ -n "$python" ]; then
    ref_train=$(awk -F'|' '/ tuned / { print $4 }' "$rows")
fi
table() { # ROWS [with target column]
    echo "| configuration | micro-F1 | macro-F1 | train s | train MB | tag s | tag MB | target |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    awk -F'|' -v ref="${ref_train:-4.8}" '{
        miss = ""
        if ($2 < 0.87) miss = miss " micro"
        if ($3 < 0.60) miss = miss " macro"
        if ($4 > ref) miss = miss " time"
        verdict = miss == "" ? "met" : "not met:" miss
        if ($1 ~ /^scikit-learn/) verdict = "(reference)"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, verdict }' "$1"
}

report() {
    echo "# Reuters-21578 topics: quality and speed (bench/reuters.sh)"
    echo
    echo "Written by \`make -C bench reuters\`; overwritten on each run, except the \"## Exploration\""
    echo "section at the end, which is hand-written and kept."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    # shellcheck source=/dev/null
    echo "- machine: $(nproc) CPUs (nproc), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "- data: Reuters-21578 ApteMod, train.jsonl (7,770 articles) and test.jsonl (3,019), $ntopics topics (one multi dimension \"topics\", codebook generated from stats.json)"
    echo "- runs: each time is the median of $runs run(s) (the defaults rows and the libsvm rows: 1 run, the libsvm ones take minutes), each memory figure the largest peak resident set (GNU time -v) over the runs"
    echo "- target (issue 3): micro-F1 >= 0.87 and macro-F1 >= 0.60, training no slower than the tuned scikit-learn recipe ($(
        if [ -n "$ref_train" ]; then echo "measured here: $ref_train s"; else echo "not measured here: the issue's 4.8 s"; fi))"
    echo
    echo "Commands, for each configuration (OPTIONS in the first column):"
    echo
    echo "    stance-train -q --codebook topics.json -o MODEL --engine E OPTIONS train.jsonl"
    echo "    stance-tag -m MODEL --jsonl --unit article --no-text test.jsonl > pred.jsonl"
    echo "    stance-eval --codebook topics.json --gold test.jsonl --json pred.jsonl"
    echo
    echo "Defaults of stance-train: -c 1, --folds 5 (threshold and Platt sigmoid from out-of-fold"
    echo "decision values), no class weights (--balance adds them), stems and bigrams with --min-df 2, sublinear tf,"
    echo "idf, unit length, -j 1. \"train s\" is the whole stance-train process (reading, tokenizing,"
    echo "stemming, vocabulary, cross-validation, training, writing the model); \"tag s\" the whole"
    echo "stance-tag process over test.jsonl (loading the model included)."
    echo
    table "$rows"
    echo
    if [ -n "$python" ]; then
        echo "The scikit-learn rows (version $sklearn_version, Debian python3-sklearn) run the issue's reference recipe:"
        echo "TfidfVectorizer(sublinear_tf=True) and one LinearSVC(C=1) per topic; \"tuned\" sets each topic's"
        echo "threshold to the F1-optimal one on out-of-fold decision values of stratified 5-fold"
        echo "cross-validation. Their times are measured inside Python (vectorizing and fitting, not"
        echo "interpreter start-up or JSON loading); their memory is the whole Python process."
    else
        echo "scikit-learn was not available: no reference rows. The issue's figures, measured on"
        echo "the same kind of machine (not in this run): plain 0.858 micro / 0.394 macro, 1.2 s;"
        echo "tuned 0.851 / 0.583, 4.8 s; the target time above is that 4.8 s."
    fi
    if [ -s "$explore" ]; then
        echo
        echo "Exploration grid (engine liblinear, one run each, options added to the defaults):"
        echo
        table "$explore"
    fi
}

report > "$tmp/report.md"
cat "$tmp/report.md"
if [ -n "$out" ]; then
    kept=
    [ -f "$out" ] && kept=$(awk '/^## Exploration/ { on = 1 } on' "$out")
    cp "$tmp/report.md" "$tmp/out.md"
    if [ -n "$kept" ]; then printf '\n%s\n' "$kept" >> "$tmp/out.md"; fi
    cp "$tmp/out.md" "$out"
fi
