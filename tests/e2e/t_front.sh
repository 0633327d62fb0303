# t_front.sh: stance-tokenize and stance-stem (sourced by run.sh).

golden tok-article -- stance-tokenize data/article1.txt
golden tok-offsets -- stance-tokenize --offsets data/article1.txt
golden tok-stdin data/article1.txt -- stance-tokenize
golden tok-dash data/article1.txt -- stance-tokenize - data/articles/a.txt
golden tok-dir -- stance-tokenize data/articles
golden tok-crlf-bom -- stance-tokenize --offsets data/crlf-bom.txt
golden tok-cp1252 -- stance-tokenize --encoding cp1252 --offsets data/cp1252.txt
golden tok-latin1 -- stance-tokenize --encoding latin1 data/latin1.txt
golden tok-jsonl -- stance-tokenize --jsonl data/articles.jsonl
golden tok-empty -- stance-tokenize data/empty.txt
golden tok-help -- stance-tokenize --help
# bad input: each names the file and the line or byte, with a documented status
golden tok-not-utf8 -- stance-tokenize data/latin1.txt
golden tok-cp1252-not-utf8 -- stance-tokenize data/article1.txt data/cp1252.txt
golden tok-nul -- stance-tokenize data/nul.txt
golden tok-missing -- stance-tokenize data/no-such-file.txt
golden tok-no-texts -- stance-tokenize data/empty-dir
golden tok-bad-json -- stance-tokenize --jsonl data/bad-json.jsonl
golden tok-no-text -- stance-tokenize --jsonl data/no-text.jsonl
golden tok-bad-option -- stance-tokenize --frobnicate
golden tok-bad-encoding -- stance-tokenize --encoding ebcdic data/article1.txt
golden tok-jsonl-encoding -- stance-tokenize --jsonl --encoding latin1 data/articles.jsonl

"$BIN/stance-tokenize" data/article1.txt >"$tmp/article1.tok"
golden stem-article "$tmp/article1.tok" -- stance-stem
golden stem-no-stopwords "$tmp/article1.tok" -- stance-stem --stopwords none
golden stem-stopword-file "$tmp/article1.tok" -- stance-stem --stopwords data/stopwords.txt
golden stem-jsonl-fields -- stance-stem "$golden/tokenize/tok-jsonl.out"
golden stem-help -- stance-stem --help
golden stem-no-tokens -- stance-stem data/no-tokens.jsonl
golden stem-bad-json -- stance-stem data/bad-tokens.jsonl
golden stem-bad-language -- stance-stem --language klingon
golden stem-bad-stopwords -- stance-stem --stopwords data/stopwords-bad.txt data/no-tokens.jsonl
golden stem-missing -- stance-stem data/no-such-file.jsonl

# --list-languages prints libstemmer's algorithms, english among them
if "$BIN/stance-stem" --list-languages | grep -qx english; then ok; else bad list-languages "no english"; fi

# The real articles: passage offsets equal gold.jsonl's (meta passages are not in gold).
if [[ -f $SEEDS/gold.jsonl ]]; then
    $WRAP "$BIN/stance-tokenize" "$SEEDS" | $WRAP "$BIN/stance-stem" >"$tmp/seeds" 2>"$tmp/err"
    sed -n 's/^{"doc":"\([^"]*\)","passage":\([0-9]*\),"start":\([0-9]*\),"end":\([0-9]*\),"kind":"\(body\|headline\)".*/\1 \2 \3 \4/p' \
        "$tmp/seeds" | sort >"$tmp/got"
    sed -n 's/^{"doc": "\([^"]*\)", "paragraph": \([0-9]*\), "start": \([0-9]*\), "end": \([0-9]*\),.*/\1 \2 \3 \4/p' \
        "$SEEDS/gold.jsonl" | sort >"$tmp/want"
    if [[ -s $tmp/want ]] && cmp -s "$tmp/got" "$tmp/want"; then ok; else
        bad seeds "passage offsets differ from gold.jsonl"; diff "$tmp/want" "$tmp/got" | head; fi
else
    echo "skip seeds: $SEEDS/gold.jsonl not found"
fi

# Real Windows-1252 bytes: an error naming the byte without --encoding, clean with it.
mr=$CORPORA/mr/raw/rt-polarity.pos
if [[ -f $mr ]]; then
    $WRAP "$BIN/stance-tokenize" "$mr" >/dev/null 2>"$tmp/err"
    st=$?
    if [[ $st == 1 ]] && grep -q "rt-polarity.pos:[0-9]*: invalid UTF-8 at byte [0-9]* (0x" "$tmp/err"; then ok
    else bad mr-raw "status $st: $(cat "$tmp/err")"; fi
    if $WRAP "$BIN/stance-tokenize" --encoding cp1252 "$mr" | grep -q '"tokens":\["the","rock","is","destined"'; then ok
    else bad mr-raw-cp1252 "transcoded output not as expected"; fi
else
    echo "skip mr-raw: $mr not found"
fi

# One 20 MB line is one passage.
awk 'BEGIN { s = "Moscow warned the alliance again. "; while (n < 20000000) { printf "%s", s; n += length(s) } }' \
    >"$tmp/long.txt"
$WRAP "$BIN/stance-tokenize" "$tmp/long.txt" | $WRAP "$BIN/stance-stem" >"$tmp/long.out"
if [[ ${PIPESTATUS[0]}${PIPESTATUS[1]} == 00 ]] && [[ $(wc -l <"$tmp/long.out") == 1 ]]; then ok
else bad long-line "expected one record from a 20 MB line"; fi

