# t_text.sh: the text layer against hostile input (sourced by run.sh): Unicode format
# characters inside words, and codebooks that are huge or that name a dimension after a
# field of the records.
tx=$tmp/text
mkdir -p "$tx/plain"

# text_expect NAME STATUS STDERR-REGEX [stdin-file] -- PROG ARGS...: the status and stderr of a
# run whose output is too large or too variable for a golden file (an empty regex: no stderr).
text_expect() { expect_in "$tx" "$@"; }

# ---- Format characters (Unicode Cf) inside words: ignored, offsets in the original bytes ----
# data/text-format.txt is examples/01-kosovo-patrols.txt with a soft hyphen, zero-width space,
# word joiner, ZWNJ, ZWJ, BOM or bidi mark inside or around most words (and a word joiner
# alone between two words). Deleting them gives the article back (one space doubled).
sed -e 's/\xc2\xad//g' -e 's/\xe2\x80[\x8b-\x8f]//g' -e 's/\xe2\x81\xa0//g' -e 's/\xef\xbb\xbf//g' \
    data/text-format.txt >"$tx/plain/text-format.txt"
# The same labels and scores as the text without them (only start and end differ, and the
# path). Compared
# with each other, not with golden files, so retraining the shipped model changes nothing here.
"$BIN/stance-tag" -m ../models/default --no-text data/text-format.txt |
    sed -E 's/"path":"[^"]*",//; s/"start":[0-9]+,"end":[0-9]+,//' >"$tx/format.labels"
"$BIN/stance-tag" -m ../models/default --no-text "$tx/plain/text-format.txt" |
    sed -E 's/"path":"[^"]*",//; s/"start":[0-9]+,"end":[0-9]+,//' >"$tx/plain.labels"
if [[ -s $tx/plain.labels ]] && cmp -s "$tx/format.labels" "$tx/plain.labels"; then
    ok
else
    bad text-tag-format-same "labels differ from the text without format characters"
    diff "$tx/plain.labels" "$tx/format.labels" | head -10
fi
printf 'Ko\xc2\xadsovo peace\xc2\xadkeepers\n' >"$tx/shy.txt"
printf 'Kosovo peacekeepers\n' >"$tx/plain/shy.txt"
"$BIN/stance-tag" -m ../models/default --no-text "$tx/shy.txt" |
    sed -E 's/"path":"[^"]*",//; s/"end":[0-9]+,//' >"$tx/shy.labels"
"$BIN/stance-tag" -m ../models/default --no-text "$tx/plain/shy.txt" |
    sed -E 's/"path":"[^"]*",//; s/"end":[0-9]+,//' >"$tx/plain-shy.labels"
if [[ -s $tx/plain-shy.labels ]] && cmp -s "$tx/shy.labels" "$tx/plain-shy.labels"; then
    ok
else
    bad text-tag-soft-hyphen "labels differ from the text without soft hyphens"
    diff "$tx/plain-shy.labels" "$tx/shy.labels"
fi
# token offsets: around the format characters, never on one
printf '\xe2\x80\x8eKo\xc2\xadsovo\xe2\x81\xa0, kos\xef\xbb\xbfovo; U.S\xe2\x80\x8b. \xc2\xad Russia\xe2\x80\x8c\xe2\x80\x99s\n' >"$tx/offsets.txt"
golden text-tokenize-format -- stance-tokenize --offsets "$tx/offsets.txt"
printf '{"id":"j1","text":"Ko\\u00adsovo peace\\u200bkeepers","tone":"x"}\n' >"$tx/shy.jsonl"
golden text-tokenize-format-jsonl -- stance-tokenize --jsonl --offsets "$tx/shy.jsonl"

# ---- A dimension named after a record field (doc, passage, start, end, kind, text, ...) ----
# It used to overwrite that field in stance-tag's records ("doc" became the label object).
sed 's/"name": "tone"/"name": "doc"/' data/codebook-project.json >"$tx/cb-doc.json"
sed 's/"tone":/"doc":/' data/train-small.jsonl >"$tx/train-doc.jsonl"
golden text-train-reserved-dim -- stance-train -q --folds 0 --codebook "$tx/cb-doc.json" -o "$tx/m-doc" "$tx/train-doc.jsonl"
if [[ -e $tx/m-doc ]]; then bad text-train-reserved-dim-nothing "a bundle was written"; else ok; fi
golden text-eval-reserved-dim -- stance-eval --codebook "$tx/cb-doc.json" --gold data/eval-gold.jsonl data/eval-pred.jsonl
# a bundle whose manifest names a dimension "kind" (edited by hand): refused when loaded
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$tx/m-kind" data/train-small.jsonl 2>/dev/null
sed -i 's/"name": "tone"/"name": "kind"/' "$tx/m-kind/manifest.json"
golden text-tag-reserved-dim -- stance-tag -m "$tx/m-kind" data/tag-article.txt

# ---- A codebook of 200 000 values (20 000 under valgrind) loads in linear time ----
# Duplicate checks were quadratic: 115 s for 200k values. Only success is asserted; the
# timeout catches a quadratic regression.
nvalues=200000
[[ -n $WRAP ]] && nvalues=20000
awk -v n=$nvalues 'BEGIN { printf "{\"dimensions\": [{\"name\": \"tone\", \"kind\": \"single\", \"values\": [";
    for (i = 0; i < n; i++) printf "%s{\"label\": \"v%d\"}", (i ? "," : ""), i; print "]}]}" }' >"$tx/cb-big.json"
printf '{"doc":"a","stems":["talk","peac"],"tone":"v%d"}\n{"doc":"b","stems":["talk"]}\n' $((nvalues - 1)) >"$tx/big.stems.jsonl"
timeout 20 $WRAP "$BIN/stance-vectorize" --fit "$tx/big-vocab.json" --min-df 1 --codebook "$tx/cb-big.json" \
    --label tone "$tx/big.stems.jsonl" >"$tx/big.out" 2>"$tx/big.err"
st=$?
if [[ $st == 0 && ! -s $tx/big.err ]] && [[ $(cut -d' ' -f1 "$tx/big.out" | paste -sd' ') == "$nvalues 0" ]]; then
    ok
else
    bad text-codebook-big "status $st: $(head -c 300 "$tx/big.err")"
fi
