# t_audit.sh: stance-audit on a small training file with planted errors (sourced by run.sh):
# data/audit-train.jsonl is data/train-optional.jsonl with t04's tone swapped, t15's topic
# dropped and t26 given a topic it does not have.

ocb=data/codebook-optional.json
train=data/audit-train.jsonl
golden audit-planted -- stance-audit --codebook $ocb --folds 3 $train
golden audit-top -- stance-audit --codebook $ocb --folds 3 -n 3 $train
golden audit-nb -- stance-audit --codebook $ocb --folds 3 --nb-weight --min-df 1 -n 5 $train
for f in doccano labelstudio prodigy; do
    golden audit-format-$f -- stance-audit --codebook $ocb --folds 3 -n 2 --format $f $train
done
golden audit-help -- stance-audit --help
# the suggestion applied as pre-annotation: t26 reviewed without its planted topic
"$BIN/stance-audit" --codebook $ocb --folds 3 --format doccano $train >"$tmp/dc" 2>/dev/null
if jq -se 'map(select(.passage_id == "t26" and .dimension == "topics")) | .[0].label == []' "$tmp/dc" >/dev/null; then
    ok
else
    bad audit-doccano-applied "$(grep t26 "$tmp/dc" | head -c 300)"
fi

# bad input
golden audit-no-codebook -- stance-audit --folds 3 $train
golden audit-no-file -- stance-audit --codebook $ocb
golden audit-n-zero -- stance-audit --codebook $ocb -n 0 $train
golden audit-n-junk -- stance-audit --codebook $ocb -n many $train
golden audit-format-unknown -- stance-audit --codebook $ocb --format csv $train
golden audit-folds-one -- stance-audit --codebook $ocb --folds 1 $train
golden audit-not-regular -- stance-audit --codebook $ocb data/
golden audit-missing -- stance-audit --codebook $ocb data/no-such-file.jsonl
golden audit-unknown-value -- stance-audit --codebook $ocb --folds 3 data/train-unknown-value.jsonl
# a codebook whose tone is not optional: "tone": [] is an error naming the line
golden audit-codebook-mismatch -- stance-audit --codebook data/codebook-project.json --folds 3 $train
golden audit-bad-option -- stance-audit --codebook $ocb --frobnicate $train
golden audit-beta-alone -- stance-audit --codebook $ocb --nb-beta 0.5 $train
# unknown options named as typed, as every stage does (t_stage.sh)
expect_in "$tmp" audit-unknown-short 2 "^stance-audit: unknown option '-x'\$" -- stance-audit -xfoo
expect_in "$tmp" audit-unknown-long 2 "^stance-audit: unknown option '--bogus'\$" -- stance-audit --bogus
