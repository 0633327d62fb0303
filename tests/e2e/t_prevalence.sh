# t_prevalence.sh: stance-prevalence on hand-made tagged records (sourced by run.sh).
# data/prevalence-tagged.jsonl: four articles of stance-tag --jsonl records with "scores" (the
# fields of stance-tag --all-scores): a1's fields on its first record, a2's on a meta passage
# (carried to its passages by --by), a3 with a year only, a4 with both.
m=../models/default
d=data/prevalence
golden prevalence-tsv -- stance-prevalence -m $m $d-tagged.jsonl
golden prevalence-json -- stance-prevalence -m $m --json $d-tagged.jsonl
golden prevalence-by-source -- stance-prevalence -m $m --by source --json $d-tagged.jsonl
golden prevalence-by-year -- stance-prevalence -m $m --by year $d-tagged.jsonl
golden prevalence-article -- stance-prevalence -m $m --unit article $d-tagged.jsonl
golden prevalence-article-by-source -- stance-prevalence -m $m --unit article --by source --json $d-tagged.jsonl
golden prevalence-stdin $d-tagged.jsonl -- stance-prevalence -m $m --bootstrap 200 --seed 7
golden prevalence-no-bootstrap -- stance-prevalence -m $m --bootstrap 0 --json $d-tagged.jsonl
# no scores: cc and acc only, and a note saying how to get the others
golden prevalence-no-scores -- stance-prevalence -m $m $d-noscores.jsonl
golden prevalence-help -- stance-prevalence --help

# The same seed gives the same output; another seed other intervals but the same estimates.
"$BIN/stance-prevalence" -m $m --seed 3 $d-tagged.jsonl >"$tmp/s3a" 2>&1
"$BIN/stance-prevalence" -m $m --seed 3 $d-tagged.jsonl >"$tmp/s3b" 2>&1
"$BIN/stance-prevalence" -m $m --seed 4 $d-tagged.jsonl >"$tmp/s4" 2>&1
if cmp -s "$tmp/s3a" "$tmp/s3b"; then ok; else bad prevalence-seed "same seed, other output"; fi
if cmp -s "$tmp/s3a" "$tmp/s4"; then bad prevalence-seed "other seed, same intervals"; else ok; fi
if cmp -s <(cut -f1-5,8,11,14 "$tmp/s3a") <(cut -f1-5,8,11,14 "$tmp/s4"); then ok
else bad prevalence-seed "other seed, other estimates"; fi

# A model from before the rates were stored: acc from its precision and recall for topics,
# nothing adjusted for the tone, no pacc; a note says so.
mkdir -p "$tmp/oldmodel"
cp $m/* "$tmp/oldmodel/" # the weights (weights.bin, or unit files); the manifest is rewritten below
python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
for u in m["units"]:
    for k in ("tpr", "fpr", "score_pos", "score_neg"):
        (u["cv"] or {}).pop(k, None)
json.dump(m, open(sys.argv[2], "w"), indent=1)' $m/manifest.json "$tmp/oldmodel/manifest.json"
golden prevalence-old-model -- stance-prevalence -m "$tmp/oldmodel" $d-tagged.jsonl

# bad input: each names the file and line, status 1
for bad in bad-json unknown-label unknown-score bad-score missing-score mixed no-applies \
           by-object no-id missing-dim meta-only; do
    golden prevalence-$bad -- stance-prevalence -m $m --by source $d-$bad.jsonl
done
golden prevalence-missing-input -- stance-prevalence -m $m data/no-such-file.jsonl
golden prevalence-missing-model -- stance-prevalence -m data/no-such-model $d-tagged.jsonl
# usage errors: status 2
golden prevalence-no-model -- stance-prevalence $d-tagged.jsonl
golden prevalence-bad-unit -- stance-prevalence -m $m --unit sentence $d-tagged.jsonl
golden prevalence-bad-bootstrap -- stance-prevalence -m $m --bootstrap -1 $d-tagged.jsonl
golden prevalence-bad-seed -- stance-prevalence -m $m --seed x $d-tagged.jsonl
golden prevalence-by-empty -- stance-prevalence -m $m --by '' $d-tagged.jsonl
golden prevalence-by-no-field -- stance-prevalence -m $m $d-tagged.jsonl --by
golden prevalence-bad-option -- stance-prevalence -m $m --frobnicate $d-tagged.jsonl
# a failed write is status 3 with a message naming <stdout>, as TSV and as JSON
for fmt in "" --json; do
    $WRAP "$BIN/stance-prevalence" -m $m $fmt $d-tagged.jsonl >/dev/full 2>"$tmp/err"
    got=$?
    if [[ $got == 3 ]] && grep -Eq '^stance-prevalence: <stdout>: .*No space left on device$' "$tmp/err"; then ok
    else bad "prevalence-dev-full$fmt" "status $got: $(head -c 300 "$tmp/err")"; fi
done
