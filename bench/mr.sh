#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2086 # option strings ($opts) are split into words on purpose
# mr.sh: sentence polarity on MR (Pang and Lee's movie-review snippets) by 10-fold
# cross-validation: stance-train / stance-tag, with and without --nb-weight, next to peers run
# on the same folds: scikit-learn (TF-IDF + LinearSVC, and NBSVM-bi), fastText, and the
# liblinear and libsvm command-line tools on stance's own exported vectors.
#
# Usage: mr.sh [RESULTS.json]
#
# For each value k of the records' "fold" field (0-9), every system trains on the other nine
# folds and predicts fold k. Printed per system, as a Markdown table: the mean accuracy over
# the ten folds (percent), the ten trainings' and the ten taggings' wall time, each summed over
# the folds (then the median over the runs), and the peak resident memory (GNU time -v; the
# largest single process over all runs). RESULTS.json, when given, gets one JSON object per
# system (JSON Lines): {"benchmark": "mr", "system", "name", "version", "settings",
# "accuracy_mean", "accuracy_folds": [10 values], "train_s", "tag_s", "peak_rss_mb",
# "headline", "runs", "date", "load_average", "quick"} with accuracies in percent; stance rows
# add "inner_cv_accuracy", the mean over the folds of the cross-validated accuracy stance-train
# records in the manifest (training folds only: how the stance settings were chosen).
#
# Environment:
#   MR            the MR file (mr.jsonl: id, text, label pos|neg, fold); default
#                 ../../shared/corpora/mr/mr.jsonl from this script's directory
#   BIN           the stance executables (default ../bin from this script's directory)
#   BENCH_QUICK=1 one run per system instead of 3
#   RUNS=N        N runs per system (overrides BENCH_QUICK)
#   ONLY=REGEX    run only the systems whose name matches (grep -E), e.g. ONLY='^stance'
#   EXPLORE=1     also run the stance settings tried while choosing (one run each) and print
#                 their table (test and inner cross-validated accuracy)
#   PYTHON        a Python 3 with scikit-learn (default: the first of python3, /usr/bin/python3
#                 that imports sklearn; its rows are skipped if none)
#
# The codebook (one single dimension "label" with the values pos and neg), the per-fold files,
# models and predictions live in a temporary directory removed at exit; the corpus is only
# read. Needs jq and GNU time (/usr/bin/time); fastText and the liblinear/libsvm tools are
# optional (their rows are skipped when missing).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prog=mr.sh
# shellcheck source=lib.sh
. "$here/lib.sh"
mr=${MR:-$here/../../shared/corpora/mr/mr.jsonl}
case $mr in /*) ;; *) mr=$here/$mr ;; esac
bin=${BIN:-$here/../bin}
json_out=${1:-}

[ -r "$mr" ] || die "cannot read $mr (set MR)"
start_run mr "stance-train stance-tag stance-tokenize stance-stem stance-vectorize" \
    "$here/peers/sklearn_mr.py"

# ---- the folds ----
echo '{"name": "mr", "dimensions": [{"name": "label", "kind": "single",
      "values": [{"label": "pos"}, {"label": "neg"}]}]}' > "$tmp/codebook.json"
folds=$(jq -r '.fold' "$mr" | sort -un | tr '\n' ' ')
[ "$(echo $folds | wc -w)" = 10 ] || die "$mr: expected folds 0-9, found: $folds"
yes | head -c 1048576 > "$tmp/seed" # shuf's fixed random source (fastText's input order)
for k in $folds; do
    f=$tmp/f$k
    mkdir "$f"
    jq -c --argjson k "$k" 'select(.fold != $k)' "$mr" > "$f/train.jsonl"
    jq -c --argjson k "$k" 'select(.fold == $k)' "$mr" > "$f/test.jsonl"
    jq -r '"\(.id) \(.label)"' "$f/test.jsonl" > "$f/gold"
    cut -d' ' -f1 "$f/gold" > "$f/ids"
done
nrec=$(wc -l < "$mr")

# ---- measuring ----
rows=$tmp/rows # name, settings, accuracy, train s, tag s, peak MB; tab-separated
: > "$rows"
json=$tmp/rows.jsonl
: > "$json"

# selected NAME: whether the row is wanted (ONLY, an extended regular expression, filters rows)
selected() { [ -z "${ONLY:-}" ] || printf '%s\n' "$1" | grep -Eq -- "$ONLY"; }

# accuracy GOLD PRED: percent of PRED's "id label" lines that match GOLD's, line by line
accuracy() {
    [ "$(wc -l < "$1")" = "$(wc -l < "$2")" ] || die "$name: $(wc -l < "$2") predictions for $(wc -l < "$1") sentences"
    paste -d' ' "$1" "$2" | awk -v name="$name" '$1 != $3 { print "mr.sh: " name ": id " $3 " where " $1 " was expected" > "/dev/stderr"; exit 1 }
        { right += $2 == $4 } END { printf "%.4f\n", 100 * right / NR }'
}

# run_folds FUNC: RUNS times, FUNC K for every fold K (it trains under `timed "$tmp/tr"`,
# tags under `timed "$tmp/tg"` and leaves its "id label" predictions in $tmp/pred). Leaves the
# fold accuracies of the first run in $tmp/acc, the per-run totals in $tmp/tr.tot and
# $tmp/tg.tot, and every process's peak KB in $tmp/rss.all.
run_folds() {
    : > "$tmp/tr.tot" && : > "$tmp/tg.tot" && : > "$tmp/rss.all" && : > "$tmp/inner"
    i=0
    while [ "$i" -lt "$1" ]; do
        i=$((i + 1))
        : > "$tmp/tr.wall" && : > "$tmp/tr.rss" && : > "$tmp/tg.wall" && : > "$tmp/tg.rss"
        : > "$tmp/acc.run"
        for k in $folds; do
            "$2" "$k"
            accuracy "$tmp/f$k/gold" "$tmp/pred" >> "$tmp/acc.run"
        done
        total < "$tmp/tr.wall" >> "$tmp/tr.tot"
        total < "$tmp/tg.wall" >> "$tmp/tg.tot"
        cat "$tmp/tr.rss" "$tmp/tg.rss" >> "$tmp/rss.all"
        if [ "$i" = 1 ]; then cp "$tmp/acc.run" "$tmp/acc"
        elif ! cmp -s "$tmp/acc.run" "$tmp/acc"; then echo "$prog: $name: accuracy differs between runs" >&2
        fi
    done
}

# add_row SYSTEM NAME VERSION SETTINGS HEADLINE [INNER]: a row from run_folds' files
add_row() {
    mean=$(awk '{ s += $1 } END { printf "%.2f", s / NR }' "$tmp/acc")
    trs=$(median < "$tmp/tr.tot") tgs=$(median < "$tmp/tg.tot") kb=$(maximum < "$tmp/rss.all")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$4" "$mean" "$trs" "$tgs" "$(mb "$kb")" >> "$rows"
    jq -nc --arg system "$1" --arg name "$2" --arg version "$3" --arg settings "$4" \
        --argjson headline "$5" --argjson runs "$n" --argjson mean "$mean" \
        --argjson folds "[$(paste -sd, "$tmp/acc")]" --argjson train "$trs" --argjson tag "$tgs" \
        --argjson kb "$kb" --arg inner "${6:-}" --arg date "$date" --arg load "$load" \
        --arg quick "$quick" \
        '{benchmark: "mr", system: $system, name: $name, version: $version, settings: $settings,
          accuracy_mean: $mean, accuracy_folds: $folds, train_s: $train, tag_s: $tag,
          peak_rss_mb: ($kb / 1024 | round), headline: $headline, runs: $runs, date: $date,
          load_average: $load, quick: ($quick == "1")}
         + (if $inner == "" then {} else {inner_cv_accuracy: ($inner | tonumber)} end)' >> "$json"
    printf '  %-52s %s %%  train %ss  tag %ss\n' "$2" "$mean" "$trs" "$tgs" >&2
}

# ---- stance ----
stance_fold() {
    rm -rf "$tmp/model"
    timed "$tmp/tr" "$bin/stance-train" -q --codebook "$tmp/codebook.json" -o "$tmp/model" \
        $opts "$tmp/f$1/train.jsonl" || die "$name: stance-train failed"
    timed "$tmp/tg" "$bin/stance-tag" -m "$tmp/model" --jsonl --unit document --no-text \
        "$tmp/f$1/test.jsonl" > "$tmp/tagged" || die "$name: stance-tag failed"
    jq -r '"\(.id) \(.label.label)"' "$tmp/tagged" > "$tmp/pred"
    jq '.units[0].cv.accuracy' "$tmp/model/manifest.json" >> "$tmp/inner"
}

# stance_row NAME RUNS HEADLINE [stance-train options]: one row
stance_row() {
    name=$1 n=$2 headline=$3
    shift 3
    selected "$name" || return 0
    opts="$*"
    run_folds "$n" stance_fold
    inner=$(awk 'NR <= 10 { s += $1 } END { printf "%.2f", 100 * s / 10 }' "$tmp/inner")
    add_row stance "$name" "stance $commit" "stance-train${opts:+ $opts}" "$headline" "$inner"
}

# ---- scikit-learn (peers/sklearn_mr.py: every fold in one process) ----
python=$(python_sklearn)

# sklearn_row NAME RUNS RECIPE SETTINGS: one row; the times are measured in Python (fitting
# and predicting, not interpreter start-up or JSON loading), the memory is the whole process.
sklearn_row() {
    name=$1 n=$2
    selected "$name" || return 0
    if [ -z "$python" ]; then
        echo "$prog: $name: no Python with scikit-learn: row skipped" >&2
        return 0
    fi
    : > "$tmp/tr.tot" && : > "$tmp/tg.tot" && : > "$tmp/rss.all"
    i=0
    while [ "$i" -lt "$n" ]; do
        i=$((i + 1))
        : > "$tmp/py.wall" && : > "$tmp/py.rss"
        timed "$tmp/py" "$python" "$tmp/sklearn_mr.py" "$3" "$mr" > "$tmp/py.out" ||
            die "$name: $python failed"
        [ "$(wc -l < "$tmp/py.out")" = 10 ] || die "$name: expected 10 folds from sklearn_mr.py"
        awk '{ printf "%.4f\n", 100 * $2 }' "$tmp/py.out" > "$tmp/acc.run"
        awk '{ print $3 }' "$tmp/py.out" | total >> "$tmp/tr.tot"
        awk '{ print $4 }' "$tmp/py.out" | total >> "$tmp/tg.tot"
        cat "$tmp/py.rss" >> "$tmp/rss.all"
        if [ "$i" = 1 ]; then cp "$tmp/acc.run" "$tmp/acc"
        elif ! cmp -s "$tmp/acc.run" "$tmp/acc"; then echo "$prog: $name: accuracy differs between runs" >&2
        fi
    done
    version="scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)') ($python)"
    add_row scikit-learn "$name" "$version" "$4" false
}

# ---- fastText supervised ----
# The input is the text as distributed (already lower-cased and tokenized), each training
# line prefixed with its __label__, the lines shuffled with a fixed random source (the file
# lists all positive sentences first); -thread 1 -seed 1 make runs reproducible. Preparing the
# text is not timed.
fasttext_fold() {
    f=$tmp/f$1
    if [ ! -f "$f/ft.train" ]; then
        jq -r '"__label__\(.label) \(.text)"' "$f/train.jsonl" |
            shuf --random-source="$tmp/seed" > "$f/ft.train"
        jq -r '.text' "$f/test.jsonl" > "$f/ft.test"
    fi
    rm -f "$tmp/ft.bin" "$tmp/ft.vec"
    timed "$tmp/tr" fasttext supervised -input "$f/ft.train" -output "$tmp/ft" -thread 1 -seed 1 \
        -verbose 0 $opts || die "$name: fasttext supervised failed"
    timed "$tmp/tg" fasttext predict "$tmp/ft.bin" "$f/ft.test" > "$tmp/ft.pred" ||
        die "$name: fasttext predict failed"
    sed 's/^__label__//' "$tmp/ft.pred" | paste -d' ' "$f/ids" - > "$tmp/pred"
}

fasttext_row() {
    name=$1 n=$2
    shift 2
    selected "$name" || return 0
    if ! command -v fasttext >/dev/null; then
        echo "$prog: $name: no fasttext: row skipped" >&2
        return 0
    fi
    opts="$*"
    run_folds "$n" fasttext_fold
    add_row fastText "$name" "fastText $(deb_version fasttext) (Debian)" \
        "fasttext supervised -thread 1 -seed 1 $opts on shuffled text; predict" false
}

# ---- liblinear-train / svm-train on stance's vectors ----
# stance-tokenize | stance-stem | stance-vectorize --fit (stance's default features) export the
# training folds' vectors with the label index (1 pos, 2 neg), the tool trains on them, and
# the test fold goes through the same stages with --vocab and the tool's predict. Each stage
# runs on its own (files in between) and is timed: "train s" is the stages on the training
# folds plus training, "tag s" the stages on the test fold plus predicting.
cli_fold() {
    f=$tmp/f$1 c=$tmp/cli
    rm -rf "$c" && mkdir "$c"
    for s in train test; do
        t=$tmp/tr fit="--fit $c/vocab.json"
        [ "$s" = train ] || t=$tmp/tg fit="--vocab $c/vocab.json"
        timed "$t" "$bin/stance-tokenize" --jsonl "$f/$s.jsonl" > "$c/$s.tok" || die "$name: stance-tokenize failed"
        timed "$t" "$bin/stance-stem" "$c/$s.tok" > "$c/$s.stem" || die "$name: stance-stem failed"
        timed "$t" "$bin/stance-vectorize" $fit --codebook "$tmp/codebook.json" --label label \
            "$c/$s.stem" > "$c/$s.svm" || die "$name: stance-vectorize failed"
        if [ "$s" = train ]; then
            timed "$t" $trainer "$c/train.svm" "$c/model" > /dev/null || die "$name: ${trainer%% *} failed"
        fi
    done
    timed "$tmp/tg" $predictor "$c/test.svm" "$c/model" "$c/out" > /dev/null || die "$name: ${predictor%% *} failed"
    awk '{ print $1 == 1 ? "pos" : "neg" }' "$c/out" | paste -d' ' "$f/ids" - > "$tmp/pred"
}

# cli_row NAME RUNS liblinear|libsvm: one row
cli_row() {
    name=$1 n=$2
    selected "$name" || return 0
    case $3 in
    liblinear) trainer="liblinear-train -q -s 2 -B 1" predictor="liblinear-predict -q" pkg=liblinear-tools ;;
    libsvm) trainer="svm-train -q -t 0 -c 1" predictor="svm-predict -q" pkg=libsvm-tools ;;
    *) die "cli_row: $3?" ;;
    esac
    if ! command -v "${trainer%% *}" >/dev/null || ! command -v "${predictor%% *}" >/dev/null; then
        echo "$prog: $name: no ${trainer%% *}: row skipped" >&2
        return 0
    fi
    run_folds "$n" cli_fold
    add_row "$pkg" "$name" "$pkg $(deb_version "$pkg") (Debian)" \
        "stance-tokenize | stance-stem | stance-vectorize --label label (defaults); $trainer" false
}

# ---- the systems ----
# stance's --nb-weight rows use the features of NBSVM (Wang and Manning 2012): every token
# (--stopwords none: the default list is for topics, and drops words such as "but", "too"),
# every unigram and bigram (--min-df 1); "binary" adds the paper's binarized features (with
# --no-idf --no-l2 a feature seen once weighs exactly 1). C = 1 and beta = 0.25 as in the
# paper. These settings were chosen by the cross-validated accuracy on the training folds
# (inner_cv_accuracy), never by test-fold accuracy; EXPLORE=1 reruns what was tried.
# --folds 5: the inner cross-validation they were chosen with (stance-train's default was 5
# then, 3 since issue 18).
SENT="--stopwords none --min-df 1 --folds 5"
echo "$prog: $nrec sentences, folds $folds; $runs run(s) per system, load average $load" >&2
stance_row "stance, defaults" "$runs" false
stance_row "stance, all tokens" "$runs" false $SENT
stance_row "stance --nb-weight, TF-IDF" "$runs" false --nb-weight $SENT
stance_row "stance --nb-weight, binary" "$runs" true --nb-weight $SENT --no-idf --no-l2
sklearn_row "scikit-learn TF-IDF (1-2 grams) + LinearSVC" "$runs" tfidf \
    "TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True) + LinearSVC(C=1)"
sklearn_row "scikit-learn NBSVM-bi" "$runs" nbsvm \
    "CountVectorizer(ngram_range=(1, 2), binary=True), r with alpha 1, LinearSVC(C=1) on x*r, beta 0.25"
# fastText's own tutorial settings for a small classification set (-lr 1.0 -epoch 25
# -wordNgrams 2), not tuned here; -bucket 200000 instead of 2,000,000 (as in reuters.sh):
# fastText allocates and initialises every bucket, 800 MB and most of its time on MR.
fasttext_row "fastText" "$runs" -lr 1.0 -epoch 25 -wordNgrams 2 -bucket 200000
cli_row "liblinear-train on stance vectors" "$runs" liblinear
cli_row "svm-train (linear kernel) on stance vectors" "$runs" libsvm

explore=$tmp/explore
: > "$explore"
if [ "${EXPLORE:-0}" = 1 ]; then
    saved_rows=$rows saved_json=$json
    rows=$explore json=$tmp/explore.jsonl
    while IFS= read -r o; do
        stance_row "stance $o" 1 false $o
    done <<'GRID'
--stopwords none
--nb-weight
--nb-weight --stopwords none
--nb-weight --stopwords none --min-df 1 --nb-beta 1
--nb-weight --stopwords none --min-df 1 --nb-beta 0.5
--nb-weight --stopwords none --min-df 1 --nb-beta 0.1
--nb-weight --stopwords none --min-df 1 --nb-beta 0
--nb-weight --stopwords none --min-df 1 --no-bigrams
--nb-weight --stopwords none --min-df 1 --no-idf
--nb-weight --stopwords none --min-df 1 --no-l2
--nb-weight --stopwords none --min-df 1 --c-grid 0.1,0.3,1,3
--nb-weight --stopwords none --min-df 1 --no-idf --no-l2 --c-grid 0.1,0.3,1,3
--nb-weight --stopwords none --min-df 1 --no-idf --no-l2 --no-sublinear-tf
--nb-weight --stopwords none --no-idf --no-l2
GRID
    inner_of=$json
    rows=$saved_rows json=$saved_json
fi

# ---- the report ----
echo "# MR sentence polarity, 10-fold cross-validation (bench/mr.sh)"
echo
echo "- date: $date; stance $commit; load average at the start $load; $(machine)"
echo "- data: $nrec sentences ($(basename "$mr")), folds from its \"fold\" field; each system trains on nine folds and predicts the tenth"
echo "- accuracy: mean over the ten folds; train s and tag s: summed over the ten folds, median of $runs run(s); peak MB: largest process"
echo "- reference: NBSVM-bi 79.4 (Wang and Manning 2012); target: stance --nb-weight >= 79.5"
echo
echo "| system | settings | accuracy % | train s | tag s | peak MB |"
echo "|---|---|---:|---:|---:|---:|"
awk -F'\t' '{ gsub(/\|/, "\\|"); printf "| %s | `%s` | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$rows"
if [ -s "$explore" ]; then
    echo
    echo "Stance settings tried (one run each; inner = cross-validated accuracy on the training folds):"
    echo
    echo "| settings | accuracy % | inner % | train s |"
    echo "|---|---:|---:|---:|"
    jq -r '"| `\(.settings)` | \(.accuracy_mean) | \(.inner_cv_accuracy) | \(.train_s) |"' "$inner_of"
fi
if [ -n "$json_out" ]; then
    cp "$json" "$json_out"
fi
