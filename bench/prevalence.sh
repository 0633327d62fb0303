#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2086 # $BEST is split into words on purpose
# prevalence.sh: does adjusting for the classifier's error rates pay when a collection's topic
# shares differ from the training data's? Trains stance on the Reuters-21578 ModApte training
# articles (the settings of the Reuters benchmark, lib.sh BEST), tags every test article once
# with every topic's score, then for each TOPIC=SHARE below draws 20 seeded resamples of 800
# test articles in which TOPIC has that share (earn at 10% instead of 36%, acq at 5% instead of
# 24%, crude at 20% instead of 6%) and runs stance-prevalence on each (prevalence.py): the
# absolute error of CC, PCC, ACC and PACC against the resample's true share, and how often each
# 95% interval covers it. 2 to 5 minutes on 2 cores (about 1 minute of CPU), as the machine is loaded.
#
# Usage: prevalence.sh [RESULTS.md]
# Environment: CORPUS_DIR (default ../../shared/corpora/reuters21578), BIN (../bin), SPECS
# (earn=0.10,acq=0.05,crude=0.20,earn=0.36: the last one unshifted, for reference), RESAMPLES (20), SIZE (800), BOOTSTRAP (1000).
# Every topic's score comes from stance-tag --all-scores.
set -eu

prog=prevalence.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
corpus=${CORPUS_DIR:-$here/../../shared/corpora/reuters21578}
case $corpus in /*) ;; *) corpus=$here/$corpus ;; esac
bin=${BIN:-$here/../bin}
out=${1:-}
specs=${SPECS:-earn=0.10,acq=0.05,crude=0.20,earn=0.36}

if [ ! -r "$corpus/train.jsonl" ] || [ ! -r "$corpus/test.jsonl" ]; then
    die "no train.jsonl/test.jsonl in $corpus (set CORPUS_DIR)"
fi
start_run prevalence "stance-train stance-tag stance-prevalence" "$here/prevalence.py"
make_codebook "$corpus" "$tmp/codebook.json"

echo "$prog: training on $(wc -l < "$corpus/train.jsonl") articles ($BEST)" >&2
timed "$tmp/train" "$bin/stance-train" --codebook "$tmp/codebook.json" -o "$tmp/model" \
    --quiet $BEST "$corpus/train.jsonl"

scorer="stance-tag --all-scores"
# Reuters labels whole documents: the whole text as one unit, not a roll-up of passages
"$bin/stance-tag" -m "$tmp/model" --jsonl --unit document --no-text --all-scores \
    "$corpus/test.jsonl" > "$tmp/records.jsonl"
echo "$prog: tagged $(wc -l < "$tmp/records.jsonl") test articles with every score ($scorer)" >&2

cat > "$tmp/header.md" <<EOF
# Prevalence under a shift of topic shares (Reuters-21578)

\`make -C bench prevalence\` (bench/prevalence.sh, bench/prevalence.py), $date, commit $commit,
load average $load, $(machine).

stance-train on the $(wc -l < "$corpus/train.jsonl") ModApte training articles (\`$BEST\`,
$(cat "$tmp/train.wall") s); every one of the $(wc -l < "$tmp/records.jsonl") test articles tagged once
with every topic's score ($scorer). For each topic, ${RESAMPLES:-20} resamples (seeds 1000 on)
of ${SIZE:-800} test articles drawn without replacement so that the topic has the share below, and
stance-prevalence (--bootstrap ${BOOTSTRAP:-1000}) on each: the absolute error of each estimate
of that topic's share against the resample's true share, and how many of its 95% intervals hold
the true share. ACC and PACC use the rates stance-train measured by cross-validation on the
training articles.

EOF
python3 "$tmp/prevalence.py" "$bin" "$tmp/model" "$tmp/records.jsonl" "$corpus/test.jsonl" \
    "$corpus/train.jsonl" "$specs" ${out:+"$out"} ${out:+"$tmp/header.md"}
