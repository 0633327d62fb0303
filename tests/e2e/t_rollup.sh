# t_rollup.sh: stance-tag --unit article, a roll-up of each article's passages (sourced by
# run.sh): counts, shares, the article rule, the tone from mean scores (null where no passage
# has one), metadata lines left out of the text, tables, and every bad --article-rule value.
# The passages agree with the roll-up (check_rollup.py); --unit document is t_train's.
ru=$tmp/rollup
mkdir -p "$ru"
"$BIN/stance-train" -q --codebook data/codebook-optional.json -o "$ru/model" data/train-optional.jsonl 2>/dev/null
rm=$ru/model
printf '%s\n' \
    '{"id":"a","text":"NATO and the ABM treaty.\n\nPublication: Monitor Volume: 5 Issue: 154\n\nKosovo peacekeepers patrolled the Russian sector.\n\nThe rouble slid."}' \
    '{"id":"e","text":""}' '{"id":"m","text":"Publication: Monitor Volume: 5 Issue: 154"}' >"$ru/odd.jsonl"

golden rollup-examples -- stance-tag -m ../models/default --unit article --no-text ../examples
golden rollup-optional-all-scores -- stance-tag -m "$rm" --unit article --all-scores --no-text data/tag-domestic.txt data/tag-optional.txt data/tag-article.txt
golden rollup-share -- stance-tag -m ../models/default --unit article --article-rule share=0.5 --no-text ../examples
golden rollup-any -- stance-tag -m ../models/default --unit article --article-rule any --no-text data/tag-article.txt
golden rollup-jsonl-text -- stance-tag -m "$rm" --unit article --jsonl "$ru/odd.jsonl"
golden rollup-csv -- stance-tag -m "$rm" --unit article --format csv --text --jsonl "$ru/odd.jsonl"
golden rollup-tsv -- stance-tag -m "$rm" --unit article --format tsv --jsonl "$ru/odd.jsonl"

# The roll-up against the passage records it was made from, for the example articles and the
# optional codebook (tone null in some passages), with the rule any and a share.
rollup_agrees() { # NAME MODEL SHARE ARGS...
    local name=$1 model=$2 share=$3
    shift 3
    "$BIN/stance-tag" -m "$model" --all-scores --no-text "$@" >"$ru/passages.jsonl" &&
        $WRAP "$BIN/stance-tag" -m "$model" --all-scores --no-text --unit article \
            --article-rule "$([[ $share == 0 ]] && echo any || echo "share=$share")" "$@" >"$ru/articles.jsonl" &&
        out=$(python3 e2e/check_rollup.py "$ru/passages.jsonl" "$ru/articles.jsonl" "$share" 2>&1)
    if [[ $? == 0 ]]; then ok; else bad "$name" "$out"; fi
}
rollup_agrees rollup-agrees-examples ../models/default 0 ../examples
rollup_agrees rollup-agrees-examples-share ../models/default 0.4 ../examples
rollup_agrees rollup-agrees-optional "$rm" 0 data/tag-domestic.txt data/tag-optional.txt data/tag-article.txt
rollup_agrees rollup-agrees-optional-share "$rm" 1 data/tag-domestic.txt data/tag-optional.txt data/tag-article.txt

# ---- usage errors: status 2, the value named ----
for rule in share=0 share=1.5 share=abc foo share= share=-0.5 share=nan; do
    golden "rollup-bad-rule-${rule//=/-}" -- stance-tag -m "$rm" --unit article --article-rule "$rule" data/tag-article.txt
done
golden rollup-rule-not-article -- stance-tag -m "$rm" --unit document --article-rule any data/tag-article.txt
golden rollup-explain -- stance-tag -m ../models/default --unit article --explain 3 data/tag-article.txt
golden rollup-bad-unit -- stance-tag -m "$rm" --unit articles data/tag-article.txt
