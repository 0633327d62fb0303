# t_suggest.sh: stance-suggest with the shipped model on small inputs (sourced by run.sh).

m=../models/default
pool=data/suggest-pool.jsonl
golden suggest-examples -- stance-suggest -m $m -n 4 ../examples/
golden suggest-article -- stance-suggest -m $m -n 2 --unit article ../examples/
# p2 and p3 are near-duplicates: one of them is passed over, and fewer than asked are written
golden suggest-pool -- stance-suggest -m $m -n 8 --random-share 0 --jsonl $pool
golden suggest-random -- stance-suggest -m $m -n 4 --random-share 0.5 --seed 3 --jsonl $pool
golden suggest-max-similarity -- stance-suggest -m $m -n 8 --random-share 0 --max-similarity 1 --jsonl $pool
golden suggest-stdin $pool -- stance-suggest -m $m -n 3 --jsonl
for f in jsonl doccano labelstudio prodigy; do
    golden suggest-format-$f -- stance-suggest -m $m -n 3 --random-share 0.34 --format $f --jsonl $pool
done
golden suggest-help -- stance-suggest --help

# the same seed, the same batch; another seed, another random share
"$BIN/stance-suggest" -m $m -n 6 --random-share 0.5 --seed 1 --jsonl $pool >"$tmp/s1" 2>/dev/null
"$BIN/stance-suggest" -m $m -n 6 --random-share 0.5 --seed 1 --jsonl $pool >"$tmp/s1b" 2>/dev/null
if cmp -s "$tmp/s1" "$tmp/s1b"; then ok; else bad suggest-seed "two runs with one seed differ"; fi
# every format is valid JSON, and the tools' shapes hold
"$BIN/stance-suggest" -m $m -n 3 --format labelstudio --jsonl $pool >"$tmp/ls" 2>/dev/null
if jq -e 'length == 3 and all(.[]; .data.text and (.predictions[0].result | all(.type == "choices" and .to_name == "text")))' "$tmp/ls" >/dev/null; then
    ok
else
    bad suggest-labelstudio-shape "$(head -c 300 "$tmp/ls")"
fi
"$BIN/stance-suggest" -m $m -n 3 --format prodigy --jsonl $pool >"$tmp/pr" 2>/dev/null
if jq -se 'length == 6 and all(.[]; (.accept | type) == "array" and (.options | length) > 0 and .meta.dimension)' "$tmp/pr" >/dev/null; then
    ok
else
    bad suggest-prodigy-shape "$(head -c 300 "$tmp/pr")"
fi

# bad input: usage errors (status 2), data errors naming the file (status 1)
golden suggest-n-zero -- stance-suggest -m $m -n 0 $pool
golden suggest-n-junk -- stance-suggest -m $m -n 5x $pool
golden suggest-no-n -- stance-suggest -m $m $pool
golden suggest-no-model -- stance-suggest -n 2 $pool
golden suggest-share-high -- stance-suggest -m $m -n 2 --random-share 1.5 $pool
golden suggest-share-junk -- stance-suggest -m $m -n 2 --random-share half $pool
golden suggest-similarity-high -- stance-suggest -m $m -n 2 --max-similarity 2 $pool
golden suggest-format-unknown -- stance-suggest -m $m -n 2 --format csv $pool
golden suggest-bad-option -- stance-suggest -m $m -n 2 --frobnicate $pool
golden suggest-codebook-mismatch -- stance-suggest -m $m -n 2 --codebook data/codebook-project.json --jsonl $pool
golden suggest-bad-json -- stance-suggest -m $m -n 2 --jsonl data/bad-json.jsonl
golden suggest-missing-model -- stance-suggest -m data/no-such-model -n 2 $pool
golden suggest-missing-input -- stance-suggest -m $m -n 2 data/no-such-file.txt
# unknown options named as typed, as every stage does (t_stage.sh)
expect_in "$tmp" suggest-unknown-short 2 "^stance-suggest: unknown option '-x'\$" -- stance-suggest -xfoo
# plain text in another encoding; JSON Lines input is UTF-8
golden suggest-latin1 -- stance-suggest -m $m -n 1 --encoding latin1 data/latin1.txt
golden suggest-jsonl-encoding -- stance-suggest -m $m -n 1 --jsonl --encoding latin1 $pool
