# t_full.sh: every executable in $BIN with its standard output on /dev/full (sourced by
# run.sh). One that writes data there fails with status 3 and a line naming <stdout>; one
# that writes its result to -o only (stance-train, stance-merge) closes its standard output
# as well and succeeds. A stage missing from the table fails here, so a new one gets a case.
fu=$tmp/full
mkdir -p "$fu"
m=../models/default
"$BIN/stance-tokenize" data/tag-article.txt >"$fu/tokens.jsonl"
"$BIN/stance-stem" "$fu/tokens.jsonl" >"$fu/stems.jsonl"
"$BIN/stance-tag" -m $m --shard 1/1 -o "$fu/p1.jsonl" data/tag-article.txt

declare -A full_args=(
    [stance-tokenize]="data/tag-article.txt"
    [stance-stem]="$fu/tokens.jsonl"
    [stance-vectorize]="--fit $fu/vocab.json $fu/stems.jsonl"
    [stance-tag]="-m $m data/tag-article.txt"
    [stance-eval]="--codebook data/codebook-optional.json --gold data/eval-gold.jsonl data/eval-pred.jsonl"
    [stance-info]="$m"
    [stance-audit]="--codebook data/codebook-optional.json --folds 3 data/audit-train.jsonl"
    [stance-suggest]="-m $m -n 4 ../examples/"
    [stance-prevalence]="-m $m data/prevalence-tagged.jsonl"
    [stance-report]="data/report-tagged.jsonl data/report-article.txt"
    [stance-import]="--codebook data/codebook-optional.json --from doccano data/import/doccano-topics.jsonl"
)
declare -A quiet_args=( # write their result to -o only
    [stance-train]="-q --folds 0 --min-df 1 --codebook data/codebook-project.json -o $fu/model data/train-small.jsonl"
    [stance-merge]="-o $fu/merged.jsonl $fu/p1.jsonl"
)
for exe in "$BIN"/stance-*; do
    prog=${exe##*/}
    if [[ -n ${full_args[$prog]:-} ]]; then
        $WRAP "$exe" ${full_args[$prog]} >/dev/full 2>"$fu/err"
        got=$?
        if [[ $got == 3 ]] && grep -Eq "^$prog: <stdout>: .*No space left on device\$" "$fu/err"; then ok
        else bad "full-$prog" "status $got: $(head -c 300 "$fu/err")"; fi
    elif [[ -n ${quiet_args[$prog]:-} ]]; then
        $WRAP "$exe" ${quiet_args[$prog]} >/dev/full 2>"$fu/err"
        expect_result "full-$prog" 0 "" "$fu/err" $?
    else
        bad "full-$prog" "no /dev/full case for $prog in t_full.sh"
    fi
done
if [[ -f $fu/model/manifest.json ]] && cmp -s "$fu/merged.jsonl" "$fu/p1.jsonl"; then ok
else bad full-outputs "stance-train's bundle or stance-merge's output missing: $(ls "$fu")"; fi
