# t_explain.sh: stance-tag --explain (sourced by run.sh): goldens; on the example articles, per
# passage and per article, with the shipped NB-weighted model, a plain one and one with an
# optional tone, check_explain.py checks the sum, the decision and every span, also where the
# input has a byte-order mark and CRLF line ends or is Latin-1 (spans index the bytes as read);
# -j 2 gives the same bytes; without --explain the output is unchanged; K 0, junk, negative or
# missing, and a kernel model, are usage errors with nothing on standard output.
x=$tmp/explain
mkdir -p "$x"
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$x/plain" data/train-small.jsonl 2>/dev/null
"$BIN/stance-train" -q --folds 0 --nb-weight --codebook data/codebook-optional.json -o "$x/optional" data/train-optional.jsonl 2>/dev/null
"$BIN/stance-train" -q --folds 0 --kernel rbf --codebook data/codebook-project.json -o "$x/rbf" data/train-small.jsonl 2>/dev/null

golden explain-kosovo -- stance-tag -m ../models/default --explain 3 --no-text ../examples/01-kosovo-patrols.txt
golden explain-optional -- stance-tag -m "$x/optional" --explain 2 data/tag-optional.txt

# check_explain NAME MODEL K ARGS...: stance-tag -m MODEL --explain K ARGS on the examples,
# then the checks of check_explain.py.
check_explain() {
    local name=$1 model=$2 k=$3
    shift 3
    $WRAP "$BIN/stance-tag" -m "$model" --explain "$k" "$@" >"$x/out" 2>"$x/err"
    local st=$?
    if [[ $st != 0 ]]; then
        bad "$name" "status $st: $(head -c 300 "$x/err")"
    elif ! python3 e2e/check_explain.py "$model" "$BIN" "$x/out" "$k" "${@: -1}"/*.txt >"$x/check" 2>&1; then
        bad "$name" "$(head -c 600 "$x/check")"
    else
        ok
    fi
}
check_explain explain-check-default ../models/default 5 --no-text ../examples
check_explain explain-check-document ../models/default 4 --unit document ../examples
check_explain explain-check-plain "$x/plain" 3 ../examples
check_explain explain-check-optional "$x/optional" 2 data/articles
check_explain explain-check-big-k ../models/default 100000 --no-text ../examples
# --all-scores: every trained value explained, assigned or not, and each applies unit
check_explain explain-check-all-scores ../models/default 3 --all-scores --no-text ../examples
check_explain explain-check-all-scores-optional "$x/optional" 2 --all-scores data/articles
expect_in "$x" explain-format-csv 2 "^stance-tag: --explain is for JSON Lines records" \
    -- stance-tag -m ../models/default --explain 2 --format csv ../examples
# Spans are offsets into the input as read: a byte-order mark and CRLF line ends, Latin-1.
mkdir -p "$x/crlf" "$x/latin1"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' ../examples/02-baltic-bid.txt; } >"$x/crlf/baltic.txt"
{ printf 'Caf\xe9 \xe9t\xe9 NATO\n\n'; cat ../examples/02-baltic-bid.txt; } >"$x/latin1/baltic.txt"
check_explain explain-check-crlf-bom ../models/default 5 "$x/crlf"
check_explain explain-check-crlf-bom-document ../models/default 5 --unit document "$x/crlf"
CHECK_ENCODING=latin1 check_explain explain-check-latin1 ../models/default 5 --encoding latin1 "$x/latin1"

# -j 2: the same bytes as -j 1.
"$BIN/stance-tag" -m ../models/default --explain 5 ../examples >"$x/one"
$WRAP "$BIN/stance-tag" -m ../models/default --explain 5 -j 2 ../examples >"$x/two"
if cmp -s "$x/one" "$x/two"; then ok; else bad explain-jobs "-j 2 differs from -j 1"; fi

# Without --explain, the records are those of stance-tag without it, less the field.
"$BIN/stance-tag" -m ../models/default ../examples >"$x/plain.out"
if python3 -c 'import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
for r in b:
    r.pop("explain", None)
sys.exit(a != b or not any("explain" in json.loads(l) for l in open(sys.argv[2])))' "$x/plain.out" "$x/one"
then ok; else bad explain-same-records "records differ beyond \"explain\""; fi

golden explain-k-zero -- stance-tag -m ../models/default --explain 0 ../examples
golden explain-k-junk -- stance-tag -m ../models/default --explain 3x ../examples
golden explain-k-negative -- stance-tag -m ../models/default --explain -1 ../examples
golden explain-k-missing -- stance-tag -m ../models/default --explain
golden explain-kernel -- stance-tag -m "$x/rbf" --explain 3 ../examples
golden explain-kernel-j2 -- stance-tag -m "$x/rbf" --explain 3 -j 2 ../examples
