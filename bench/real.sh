#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2086 # $model_opts is split into words on purpose
# real.sh: stance and its peers on the real passages of ../shared/real/ and ../shared/seeds/,
# every system trained on the same labeled passages and scored on the same passages, by the
# same scorer, in one run.
#
# Usage: real.sh [RESULTS-real.md [results-real.json]]
#
# 1. The articles (REAL_DIR/articles/*.txt, then SEEDS_DIR/*.txt) are split into passages by
#    stance-tokenize, as stance-tag splits them; the gold files (REAL_DIR/gold.jsonl,
#    SEEDS_DIR/gold.jsonl) join that split by (doc, start). Meta passages (Publication: lines)
#    are neither predicted by the peers nor scored.
# 2. Systems, each trained on TRAIN (nothing else):
#    - stance shipped model: MODEL (../models/default) as it is, not retrained;
#    - stance: stance-train with the top-level Makefile's MODEL_OPTS (read from it), then
#      stance-tag on the articles;
#    - scikit-learn plain and tuned: TF-IDF (1-2-grams, sublinear tf) + LinearSVC
#      (peers/sklearn_real.py: what "plain" and "tuned" mean is said there);
#    - fastText: two supervised models, topics with -loss ova and threshold 0.5, tone 3-way
#      (peers/fasttext_real.py, where the fixed options and how they were chosen are).
#    The peers learn three tones, conciliatory / confrontational / none ("tone": [] in TRAIN,
#    tone does not apply), so they can give no tone; stance's tone is one of the two labels.
# 3. peers/score_real.py scores every system's records on the same passages: topic micro
#    P/R/F1 and per-topic P/R/F1, tone accuracy over the passages whose gold tone is not null
#    (no tone counts as wrong there), and the share of gold-null passages given no tone; for
#    all passages, headlines, bodies, and each of the two sets.
# 4. The table goes to standard output and, with the settings, to RESULTS-real.md when given
#    (real_report.py); results-real.json gets one JSON object per system (JSON Lines) with
#    every figure, which report.py turns into a section of RESULTS.md.
#
# Environment:
#   TRAIN      the labeled passages (JSON Lines: id, text, topics, tone); default
#              ../labels/passages.jsonl. "tone": [] is "tone does not apply" (a class of its
#              own for the peers), null or missing is "not labeled" (left out of the tone
#              training by every system).
#   REAL_DIR   default ../../shared/real (articles/, gold.jsonl)
#   SEEDS_DIR  default ../../shared/seeds (*.txt, gold.jsonl)
#   MODEL      the shipped model bundle (default ../models/default)
#   BIN        the stance executables (default ../bin)
#   PYTHON     a Python 3 with scikit-learn (default: the first of python3, /usr/bin/python3
#              that imports sklearn; the scikit-learn rows are skipped if none)
#   ONLY=REGEX run only the rows whose name matches (grep -E)
#   EXPLORE=1  also run the fastText cross-validation grid on TRAIN (peers/fasttext_real.py cv,
#              80 trainings, about 25 minutes) and write its table as the "## Exploration"
#              section of RESULTS-real.md; without it that section is kept from the last file
# Relative paths are taken from this script's directory. Each system runs once: the figures
# are deterministic (fixed seeds, one fastText thread); times are single runs, for scale only.
# The articles and gold labels are only read; models and predictions live in a temporary
# directory removed at exit. Needs jq and GNU time; python3-sklearn and fasttext for the peer
# rows (make -C bench peers).
set -eu

prog=real.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
abs() { case $1 in /*) echo "$1" ;; *) echo "$here/$1" ;; esac; }
train_arg=${TRAIN:-../labels/passages.jsonl}
train=$(abs "$train_arg")
real=$(abs "${REAL_DIR:-../../shared/real}")
seeds=$(abs "${SEEDS_DIR:-../../shared/seeds}")
shipped=$(abs "${MODEL:-../models/default}")
bin=$(abs "${BIN:-../bin}")
out=${1:-}
json_out=${2:-}

[ -r "$train" ] || die "cannot read $train (set TRAIN)"
{ [ -r "$real/gold.jsonl" ] && [ -d "$real/articles" ]; } || die "no gold.jsonl and articles/ in $real (set REAL_DIR)"
[ -r "$seeds/gold.jsonl" ] || die "no gold.jsonl in $seeds (set SEEDS_DIR)"
[ -r "$shipped/manifest.json" ] || die "no model bundle at $shipped (set MODEL)"
model_opts=$(sed -n 's/^MODEL_OPTS[[:space:]]*:=[[:space:]]*//p' "$here/../Makefile")
[ -n "$model_opts" ] || die "no MODEL_OPTS in $here/../Makefile"
model_opts=$(printf '%s' "$model_opts" | sed "s|labels/|$(abs ..)/labels/|g") # named from the top directory

start_run real "stance-tokenize stance-train stance-tag" "$here/peers/score_real.py" \
    "$here/peers/sklearn_real.py" "$here/peers/fasttext_real.py" "$here/real_report.py" \
    "$here/../labels/codebook.json"
# Snapshots, so that an edit or a `make model` during the run cannot mix two versions.
cp "$train" "$tmp/train.jsonl"
cp -R "$shipped" "$tmp/shipped"

# ---- the passages and the gold ----
"$bin/stance-tokenize" "$real/articles" "$seeds" > "$tmp/passages.jsonl" ||
    die "stance-tokenize failed on the articles"
gold="--gold real=$real/gold.jsonl --gold seeds=$seeds/gold.jsonl"
ntrain=$(wc -l < "$tmp/train.jsonl")
train_sha=$(sha256sum "$tmp/train.jsonl" | cut -c1-16)
tone_forms=$(jq -r '.tone | if . == [] then "[]" elif . == null then "null" else . end' \
    "$tmp/train.jsonl" | sort | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
python3=$(command -v /usr/bin/python3 || command -v python3)
echo "$prog: $ntrain training passages ($tone_forms); load average $load" >&2

json=$tmp/rows.jsonl
: > "$json"

selected() { [ -z "${ONLY:-}" ] || printf '%s\n' "$1" | grep -Eq -- "$ONLY"; }

# row SYSTEM NAME VERSION SETTINGS PRED TRAIN_S TAG_S PEAK_KB: scores PRED and adds the row
row() {
    "$python3" "$tmp/score_real.py" --passages "$tmp/passages.jsonl" $gold "$5" \
        > "$tmp/scores.json" || die "$2: scoring failed"
    jq -c --arg system "$1" --arg name "$2" --arg version "$3" --arg settings "$4" \
        --argjson train_s "$6" --argjson tag_s "$7" --argjson kb "$8" --arg date "$date" \
        --arg commit "$commit" --arg load "$load" --arg train "$train_arg" \
        --argjson ntrain "$ntrain" --arg sha "$train_sha" --arg forms "$tone_forms" \
        --arg machine "$(machine)" \
        '{benchmark: "real", system: $system, name: $name, version: $version,
          settings: $settings, train_s: $train_s, tag_s: $tag_s,
          peak_rss_mb: (if $kb == null then null else $kb / 1024 | round end),
          scores: ., date: $date, commit: $commit, load_average: $load, machine: $machine,
          train_file: $train, train_passages: $ntrain, train_sha256_16: $sha,
          train_tone_forms: $forms}' "$tmp/scores.json" >> "$json"
    jq -r '.scores.all | "  \(.topics.micro.f1 * 1000 | round / 1000) micro-F1, tone \(.tone.accuracy * 1000 | round / 1000), abstention \(.abstention.share * 1000 | round / 1000)"' \
        "$json" | tail -1 | sed "s|^|$prog: $2:|" >&2
}

stance_version="stance commit $commit"

# ---- stance, the shipped model ----
name="stance shipped model"
if selected "$name"; then
    : > "$tmp/tg.wall" && : > "$tmp/tg.rss"
    timed "$tmp/tg" "$bin/stance-tag" -m "$tmp/shipped" --no-text "$real/articles" "$seeds" \
        > "$tmp/pred.jsonl" || die "$name: stance-tag failed"
    row stance "$name" "$stance_version" \
        "models/default as it is, not retrained: trained by make model on $(jq -r '"\(.training.records) passages (\(.training.file), sha256 \(.training.sha256[0:16]))"' "$tmp/shipped/manifest.json")" \
        "$tmp/pred.jsonl" null "$(cat "$tmp/tg.wall")" "$(cat "$tmp/tg.rss")"
fi

# ---- stance, trained on TRAIN with MODEL_OPTS ----
name="stance (MODEL_OPTS)"
if selected "$name"; then
    : > "$tmp/tr.wall" && : > "$tmp/tr.rss" && : > "$tmp/tg.wall" && : > "$tmp/tg.rss"
    timed "$tmp/tr" "$bin/stance-train" --codebook "$tmp/codebook.json" -o "$tmp/model" \
        $model_opts "$tmp/train.jsonl" || die "$name: stance-train failed"
    timed "$tmp/tg" "$bin/stance-tag" -m "$tmp/model" --no-text "$real/articles" "$seeds" \
        > "$tmp/pred.jsonl" || die "$name: stance-tag failed"
    row stance "$name" "$stance_version" \
        "stance-train --codebook labels/codebook.json $model_opts TRAIN; stance-tag -m MODEL --no-text ARTICLES" \
        "$tmp/pred.jsonl" "$(cat "$tmp/tr.wall")" "$(cat "$tmp/tg.wall")" \
        "$(sort -n "$tmp/tr.rss" "$tmp/tg.rss" | tail -1)"
fi

# ---- scikit-learn ----
python=$(python_sklearn)
sklearn_row() { # NAME RECIPE SETTINGS
    selected "$1" || return 0
    : > "$tmp/sk.wall" && : > "$tmp/sk.rss"
    timed "$tmp/sk" "$python" "$tmp/sklearn_real.py" "$2" "$tmp/train.jsonl" \
        "$tmp/passages.jsonl" "$tmp/pred.jsonl" > "$tmp/info.json" || die "$1: $python failed"
    chosen=$(jq -r '.chosen | to_entries | map("\(.key) C=\(.value.C)" +
        (if .value.threshold == null then "" else " t=\(.value.threshold * 1000 | round / 1000)" end))
        | join(", ")' "$tmp/info.json")
    row scikit-learn "$1" "scikit-learn $sklearn_version (python3-sklearn $(deb_version python3-sklearn))" \
        "$3; chosen: $chosen; tone classes $(jq -r '.tone_classes | join("/")' "$tmp/info.json")" \
        "$tmp/pred.jsonl" "$(jq .train_s "$tmp/info.json")" "$(jq .tag_s "$tmp/info.json")" \
        "$(cat "$tmp/sk.rss")"
}
if [ -n "$python" ]; then
    sklearn_version=$("$python" -c 'import sklearn; print(sklearn.__version__)')
    sklearn_row "scikit-learn plain" plain \
        "TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True) + LinearSVC(C=1): topics one-vs-rest, decision > 0; tone 3-way (conciliatory/confrontational/none)"
    sklearn_row "scikit-learn tuned" tuned \
        "the same features; per topic C from 0.25,0.5,1,2,4 and threshold by 5-fold CV F1 on TRAIN only; tone 3-way, C by 5-fold CV accuracy on TRAIN only"
else
    echo "$prog: no Python with scikit-learn (make -C bench peers): scikit-learn rows skipped" >&2
fi

# ---- fastText ----
name="fastText"
if selected "$name"; then
    if command -v fasttext >/dev/null; then
        : > "$tmp/ft.wall" && : > "$tmp/ft.rss"
        timed "$tmp/ft" "$python3" "$tmp/fasttext_real.py" run "$tmp/train.jsonl" \
            "$tmp/passages.jsonl" "$tmp/pred.jsonl" > "$tmp/info.json" || die "$name: failed"
        row fastText "$name" "fastText $(deb_version fasttext) (Debian)" \
            "topics: fasttext supervised $(jq -r .topic_options "$tmp/info.json"), a __label__ per topic (__label__no_topic for none), predict-prob -1 0.5; tone: fasttext supervised $(jq -r .tone_options "$tmp/info.json"), 3 classes, predict 1" \
            "$tmp/pred.jsonl" "$(jq .train_s "$tmp/info.json")" "$(jq .tag_s "$tmp/info.json")" \
            "$(cat "$tmp/ft.rss")"
    else
        echo "$prog: no fasttext (make -C bench peers): row skipped" >&2
    fi
fi

# ---- the report ----
[ -s "$json" ] || die "no rows"
"$python3" "$tmp/real_report.py" "$json" > "$tmp/report.md"
cat "$tmp/report.md"

# ---- the fastText grid (EXPLORE=1): the "## Exploration" section ----
: > "$tmp/explore.md"
if [ "${EXPLORE:-0}" = 1 ] && command -v fasttext >/dev/null; then
    echo "$prog: fastText 5-fold grid on TRAIN (EXPLORE=1)" >&2
    "$python3" "$tmp/fasttext_real.py" cv "$tmp/train.jsonl" > "$tmp/grid.md" ||
        die "the fastText grid failed"
    {
        echo "## Exploration: fastText's options"
        echo
        echo "How peers/fasttext_real.py's fixed options were chosen: \`fasttext_real.py cv TRAIN\`"
        echo "(an EXPLORE=1 run of $date, stance commit $commit), 5-fold cross-validation on the"
        echo "training passages alone (\`$train_arg\`, $ntrain passages, sha256 $train_sha...);"
        echo "-thread 1 -seed 1 -dim 100 -bucket 200000 throughout, topics with -loss ova and"
        echo "threshold 0.5, tone with -loss softmax over three classes. The options with the best"
        echo "topic micro-F1 went into TOPIC_OPTS, those with the best tone accuracy into TONE_OPTS."
        echo
        cat "$tmp/grid.md"
    } > "$tmp/explore.md"
    cat "$tmp/explore.md"
elif [ -n "$out" ] && [ -f "$out" ]; then
    awk '/^## Exploration/ { on = 1 } on' "$out" > "$tmp/explore.md"
fi
if [ -n "$out" ]; then
    cp "$tmp/report.md" "$tmp/out.md"
    if [ -s "$tmp/explore.md" ]; then printf '\n' >> "$tmp/out.md" && cat "$tmp/explore.md" >> "$tmp/out.md"; fi
    cp "$tmp/out.md" "$out"
fi
if [ -n "$json_out" ]; then cp "$json" "$json_out"; fi
