# t_eval.sh: stance-eval on small gold and prediction files (sourced by run.sh).

# A copy of the project's codebook as it was before tone became optional: the tables of a
# dimension that is not optional.
cb=data/codebook-project.json
golden eval-table -- stance-eval --codebook $cb --gold data/eval-gold.jsonl data/eval-pred.jsonl
golden eval-json -- stance-eval --codebook $cb --gold data/eval-gold.jsonl --json data/eval-pred.jsonl
golden eval-stdin data/eval-pred.jsonl -- stance-eval --codebook $cb --gold data/eval-gold.jsonl
golden eval-dash data/eval-pred.jsonl -- stance-eval --gold data/eval-gold.jsonl --codebook $cb -
golden eval-help -- stance-eval --help
# bad input: each names the file and line, with a documented status
golden eval-gold-unknown -- stance-eval --codebook $cb --gold data/eval-gold-unknown.jsonl data/eval-pred.jsonl
golden eval-gold-dup -- stance-eval --codebook $cb --gold data/eval-gold-dup.jsonl data/eval-pred.jsonl
golden eval-pred-unknown -- stance-eval --codebook $cb --gold data/eval-gold.jsonl data/eval-pred-unknown.jsonl
golden eval-pred-bad-json -- stance-eval --codebook $cb --gold data/eval-gold.jsonl data/eval-pred-bad-json.jsonl
golden eval-pred-wrong-type -- stance-eval --codebook $cb --gold data/eval-gold.jsonl data/eval-pred-wrong-type.jsonl
golden eval-bad-codebook -- stance-eval --codebook data/codebook-bad-kind.json --gold data/eval-gold.jsonl data/eval-pred.jsonl
golden eval-no-gold -- stance-eval --codebook $cb data/eval-pred.jsonl
golden eval-no-codebook -- stance-eval --gold data/eval-gold.jsonl data/eval-pred.jsonl
golden eval-bad-option -- stance-eval --codebook $cb --gold data/eval-gold.jsonl --frobnicate
golden eval-missing-gold -- stance-eval --codebook $cb --gold data/no-such-file.jsonl data/eval-pred.jsonl
golden eval-missing-pred -- stance-eval --codebook $cb --gold data/eval-gold.jsonl data/no-such-file.jsonl
golden eval-missing-codebook -- stance-eval --codebook data/no-such-file.json --gold data/eval-gold.jsonl

# An optional tone: gold [] scored as "no value applies", gold null not scored unless
# --null-means-none, a null prediction an abstention; --by kind reports headlines and bodies
# apart (a prediction without "kind" in "(none)", the unmatched meta passage in "meta").
ocb=data/codebook-optional.json
golden eval-optional-table -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl data/eval-optional-pred.jsonl
golden eval-optional-json -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --json data/eval-optional-pred.jsonl
golden eval-null-means-none -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --null-means-none data/eval-optional-pred.jsonl
golden eval-by-kind -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --by kind data/eval-optional-pred.jsonl
golden eval-by-kind-json -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --null-means-none --by kind --json data/eval-optional-pred.jsonl
# --by on a tone that is not optional: the same tables as without it, then one per kind
golden eval-by-kind-plain -- stance-eval --codebook $cb --gold data/eval-gold.jsonl --by kind data/eval-pred.jsonl
# --null-means-none changes nothing where no dimension is optional
"$BIN/stance-eval" --codebook $cb --gold data/eval-gold.jsonl --null-means-none data/eval-pred.jsonl >"$tmp/nmn.out" 2>&1
if cmp -s "$tmp/nmn.out" "$golden/eval/eval-table.out"; then ok; else bad eval-null-means-none-plain "output differs from eval-table"; fi
golden eval-by-not-string -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --by kind data/eval-pred-kind-number.jsonl
golden eval-by-empty -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl --by '' data/eval-optional-pred.jsonl
golden eval-by-no-field -- stance-eval --codebook $ocb --gold data/eval-optional-gold.jsonl data/eval-optional-pred.jsonl --by
golden eval-none-not-optional -- stance-eval --codebook $cb --gold data/eval-optional-gold.jsonl data/eval-optional-pred.jsonl

# The real gold labels scored against themselves: 1.0 everywhere, every record matched; with
# the project's optional tone, gold null read as "none applies" (--null-means-none) so that
# the abstention figures are scored too.
cb=../labels/codebook.json
if [[ -f $SEEDS/gold.jsonl ]]; then
    $WRAP "$BIN/stance-eval" --codebook $cb --gold "$SEEDS/gold.jsonl" --null-means-none --json "$SEEDS/gold.jsonl" \
        >"$tmp/seeds-eval" 2>"$tmp/err"
    st=$?
    scores=$(grep -cE '"(precision|recall|f1|accuracy)": [^n]' "$tmp/seeds-eval") # null: no scores to calibrate
    perfect=$(grep -cE '"(precision|recall|f1|accuracy)": 1\.0,?$' "$tmp/seeds-eval")
    records=$(grep -c . "$SEEDS/gold.jsonl")
    if [[ $st == 0 && $scores -gt 0 && $scores == "$perfect" ]] &&
        grep -q "\"matched\": $records," "$tmp/seeds-eval" &&
        grep -q '"unmatched_gold": 0,' "$tmp/seeds-eval" &&
        grep -q '"unmatched_pred": 0$' "$tmp/seeds-eval"; then ok
    else bad eval-seeds "status $st, $perfect of $scores scores 1.0: $(cat "$tmp/err")"; fi
else
    echo "skip eval-seeds: $SEEDS/gold.jsonl not found"
fi
