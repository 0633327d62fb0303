# t_text.sh: the text layer against hostile input (sourced by run.sh): Unicode format
# characters inside words, and codebooks that are huge or that name a dimension after a
# field of the records.
tx=$tmp/text
mkdir -p "$tx/plain"

# text_expect NAME STATUS STDERR-REGEX [stdin-file] -- PROG ARGS...: the status and stderr of a
# run whose output is too large or too variable for a golden file (an empty regex: no stderr).
text_expect() {
    local name=$1 want=$2 pattern=$3 input=/dev/null
    shift 3
    if [[ $1 != -- ]]; then input=$1; shift; fi
    shift
    local prog=$1
    shift
    $WRAP "$BIN/$prog" "$@" <"$input" >"$tx/out" 2>"$tx/err"
    local got=$?
    if [[ $got != "$want" ]]; then
        bad "$name" "status $got, expected $want: $(head -c 300 "$tx/err")"
    elif [[ -z $pattern && -s $tx/err ]] || [[ -n $pattern ]] && ! grep -Eq "$pattern" "$tx/err"; then
        bad "$name" "stderr: $(head -c 300 "$tx/err")"
    else
        ok
    fi
}

# ---- Format characters (Unicode Cf) inside words: ignored, offsets in the original bytes ----
# data/text-format.txt is examples/01-kosovo-patrols.txt with a soft hyphen, zero-width space,
# word joiner, ZWNJ, ZWJ, BOM or bidi mark inside or around most words (and a word joiner
# alone between two words). Deleting them gives the article back (one space doubled).
sed -e 's/\xc2\xad//g' -e 's/\xe2\x80[\x8b-\x8f]//g' -e 's/\xe2\x81\xa0//g' -e 's/\xef\xbb\xbf//g' \
    data/text-format.txt >"$tx/plain/text-format.txt"
golden text-tag-format -- stance-tag -m ../models/default --no-text data/text-format.txt
# the same labels and scores as the text without them (only start and end differ)
"$BIN/stance-tag" -m ../models/default --no-text data/text-format.txt |
    sed -E 's/"start":[0-9]+,"end":[0-9]+,//' >"$tx/format.labels"
"$BIN/stance-tag" -m ../models/default --no-text "$tx/plain/text-format.txt" |
    sed -E 's/"start":[0-9]+,"end":[0-9]+,//' >"$tx/plain.labels"
if [[ -s $tx/plain.labels ]] && cmp -s "$tx/format.labels" "$tx/plain.labels"; then
    ok
else
    bad text-tag-format-same "labels differ from the text without format characters"
    diff "$tx/plain.labels" "$tx/format.labels" | head -10
fi
printf 'Ko\xc2\xadsovo peace\xc2\xadkeepers\n' >"$tx/shy.txt"
golden text-tag-soft-hyphen -- stance-tag -m ../models/default --no-text "$tx/shy.txt"
# token offsets: around the format characters, never on one
printf '\xe2\x80\x8eKo\xc2\xadsovo\xe2\x81\xa0, kos\xef\xbb\xbfovo; U.S\xe2\x80\x8b. \xc2\xad Russia\xe2\x80\x8c\xe2\x80\x99s\n' >"$tx/offsets.txt"
golden text-tokenize-format -- stance-tokenize --offsets "$tx/offsets.txt"
printf '{"id":"j1","text":"Ko\\u00adsovo peace\\u200bkeepers","tone":"x"}\n' >"$tx/shy.jsonl"
golden text-tokenize-format-jsonl -- stance-tokenize --jsonl --offsets "$tx/shy.jsonl"
