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

# ---- issue 15: joins that fail, misclassified records, intervals, agreement ----
ocb=data/codebook-optional.json
og=data/eval-optional-gold.jsonl
# --errors: each record and dimension gold and prediction disagree on, as a table or JSON Lines
golden eval-errors -- stance-eval --codebook $ocb --gold $og --errors data/eval-optional-pred.jsonl
golden eval-errors-json -- stance-eval --codebook $ocb --gold $og --errors --json data/eval-scores-pred.jsonl
# a tone gold labels and the prediction leaves out (not optional): predicted "-" (null)
golden eval-errors-missing -- stance-eval --codebook data/codebook-project.json --gold data/eval-gold.jsonl --errors data/eval-pred.jsonl
# scores from "scores" (and "applies" for the optional tone): calibration and coverage, in
# JSON and in the --detail table; --bootstrap 0 leaves the intervals out
golden eval-scores-json -- stance-eval --codebook $ocb --gold $og --json --bootstrap 200 --seed 3 data/eval-scores-pred.jsonl
golden eval-scores-detail -- stance-eval --codebook $ocb --gold $og --detail --bootstrap 200 --seed 3 data/eval-scores-pred.jsonl
golden eval-no-bootstrap -- stance-eval --codebook $ocb --gold $og --bootstrap 0 data/eval-optional-pred.jsonl
# the same seed gives the same intervals; another seed other ones
"$BIN/stance-eval" --codebook $ocb --gold $og --seed 5 --json data/eval-scores-pred.jsonl >"$tmp/seed-5a"
"$BIN/stance-eval" --codebook $ocb --gold $og --seed 5 --json data/eval-scores-pred.jsonl >"$tmp/seed-5b"
"$BIN/stance-eval" --codebook $ocb --gold $og --seed 6 --json data/eval-scores-pred.jsonl >"$tmp/seed-6"
if cmp -s "$tmp/seed-5a" "$tmp/seed-5b" && ! cmp -s "$tmp/seed-5a" "$tmp/seed-6"; then ok
else bad eval-seed-reproducible "same seed differs, or another seed gives the same intervals"; fi
# --max-unmatched: 2 of 10 gold records unmatched pass at 0.2, fail at 0.1 naming the first
head -8 data/eval-optional-pred.jsonl >"$tmp/eight.jsonl"
expect_in "$tmp" eval-max-unmatched-ok 0 '' -- stance-eval --codebook $ocb --gold $og --max-unmatched 0.2 "$tmp/eight.jsonl"
golden eval-max-unmatched-over -- stance-eval --codebook $ocb --gold $og --max-unmatched 0.1 "$tmp/eight.jsonl"
expect_in "$tmp" eval-max-unmatched-zero 1 '^stance-eval: data/eval-optional-gold.jsonl:9: no prediction matches this gold record, nor 1 more of the 10 \(more than 0% of the gold records unmatched\)$' -- stance-eval --codebook $ocb --gold $og --max-unmatched 0 "$tmp/eight.jsonl"
head -9 data/eval-optional-pred.jsonl >"$tmp/nine.jsonl"
expect_in "$tmp" eval-max-unmatched-one 1 '^stance-eval: data/eval-optional-gold.jsonl:10: no prediction matches this gold record of the 10 \(more than 0% of the gold records unmatched\)$' -- stance-eval --codebook $ocb --gold $og --max-unmatched 0 "$tmp/nine.jsonl"
golden eval-max-unmatched-bad -- stance-eval --codebook $ocb --gold $og --max-unmatched 1.5 data/eval-optional-pred.jsonl
golden eval-max-unmatched-junk -- stance-eval --codebook $ocb --gold $og --max-unmatched half data/eval-optional-pred.jsonl
golden eval-bootstrap-negative -- stance-eval --codebook $ocb --gold $og --bootstrap -1 data/eval-optional-pred.jsonl
golden eval-bootstrap-junk -- stance-eval --codebook $ocb --gold $og --bootstrap 10x data/eval-optional-pred.jsonl
golden eval-bootstrap-huge -- stance-eval --codebook $ocb --gold $og --bootstrap 1000001 data/eval-optional-pred.jsonl
golden eval-seed-negative -- stance-eval --codebook $ocb --gold $og --seed -3 data/eval-optional-pred.jsonl
golden eval-seed-junk -- stance-eval --codebook $ocb --gold $og --seed '' data/eval-optional-pred.jsonl
# bad score fields name the file and line
golden eval-scores-not-object -- stance-eval --codebook $ocb --gold $og data/eval-scores-not-object.jsonl
golden eval-score-out-of-range -- stance-eval --codebook $ocb --gold $og data/eval-score-out-of-range.jsonl
golden eval-applies-bad -- stance-eval --codebook $ocb --gold $og data/eval-applies-bad.jsonl

# --agreement: three coders (c leaves one tone uncoded and one unit out), JSON of two, one
# unit coded alike by both (alpha and kappa undefined: null), and every way to get it wrong
golden agree-table -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl data/agree-b.jsonl data/agree-c.jsonl
golden agree-json -- stance-eval --codebook $ocb --agreement --json --bootstrap 100 data/agree-a.jsonl data/agree-b.jsonl
golden agree-one-unit -- stance-eval --codebook $ocb --agreement --json data/agree-one.jsonl data/agree-one.jsonl
golden agree-stdin data/agree-b.jsonl -- stance-eval --codebook $ocb --agreement --bootstrap 0 data/agree-a.jsonl -
golden agree-one-file -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl
golden agree-no-file -- stance-eval --codebook $ocb --agreement
golden agree-stdin-twice -- stance-eval --codebook $ocb --agreement - -
golden agree-nojoin -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl data/agree-nojoin.jsonl
golden agree-too-few-join -- stance-eval --codebook $ocb --agreement --max-unmatched 0 data/agree-a.jsonl data/agree-c.jsonl
golden agree-with-gold -- stance-eval --codebook $ocb --agreement --gold $og data/agree-a.jsonl data/agree-b.jsonl
golden agree-with-by -- stance-eval --codebook $ocb --agreement --by kind data/agree-a.jsonl data/agree-b.jsonl
golden agree-with-errors -- stance-eval --codebook $ocb --agreement --errors data/agree-a.jsonl data/agree-b.jsonl
golden agree-missing-file -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl data/no-such-file.jsonl
golden agree-empty-first -- stance-eval --codebook $ocb --agreement data/empty.txt data/agree-a.jsonl
golden agree-bad-label -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl data/agree-bad-label.jsonl
golden agree-dup-unit -- stance-eval --codebook $ocb --agreement data/agree-twice.jsonl data/agree-a.jsonl
golden agree-second-record -- stance-eval --codebook $ocb --agreement data/agree-a.jsonl data/agree-twice.jsonl
