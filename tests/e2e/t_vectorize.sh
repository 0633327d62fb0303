# t_vectorize.sh: stance-vectorize, fitting and applying vocabularies (sourced by run.sh).
# Fixtures: data/vec-train.stems.jsonl and data/vec-labeled.stems.jsonl are
# `stance-tokenize [--jsonl] data/vec-*.{txt,jsonl} | stance-stem` output.

# vec_golden_file NAME FILE: compares a file a command wrote with NAME (UPDATE=1 rewrites it).
vec_golden_file() {
    [[ ${UPDATE:-} == 1 ]] && cp "$2" "$golden/vectorize/$1"
    if cmp -s "$2" "$golden/vectorize/$1"; then ok; else bad "$1" "file differs"; diff -u "$golden/vectorize/$1" "$2" | head -20; fi
}

vec=stance-vectorize
train=data/vec-train.stems.jsonl
labeled=data/vec-labeled.stems.jsonl
vocab=e2e/golden/vectorize/vec-fit.vocab

golden vec-fit -- $vec --fit "$tmp/fit.json" $train
vec_golden_file vec-fit.vocab "$tmp/fit.json"
# applying the saved vocabulary to the training records gives the same lines
$WRAP "$BIN/$vec" --vocab $vocab $train >"$tmp/apply.out"
if cmp -s "$tmp/apply.out" "$golden/vectorize/vec-fit.out"; then ok; else bad vec-refit "--vocab differs from --fit"; fi
golden vec-apply -- $vec --vocab $vocab $train $labeled
golden vec-stdin $labeled -- $vec --vocab $vocab
golden vec-dash $labeled -- $vec --vocab $vocab - $train
golden vec-fit-raw -- $vec --fit "$tmp/raw.json" --no-bigrams --min-df 1 --no-sublinear-tf --no-idf --no-l2 $train
vec_golden_file vec-fit-raw.vocab "$tmp/raw.json"
golden vec-fit-min-df -- $vec --fit "$tmp/mindf.json" --min-df 3 --no-l2 $train
vec_golden_file vec-fit-min-df.vocab "$tmp/mindf.json"
golden vec-label-value -- $vec --vocab $vocab --codebook data/vec-codebook.json --label topics:abm $labeled
golden vec-label-dim -- $vec --vocab $vocab --codebook data/vec-codebook.json --label tone $labeled
golden vec-label-single-value -- $vec --fit "$tmp/l.json" --codebook data/vec-codebook.json --label tone:confrontational $labeled
golden vec-help -- $vec --help

# bad input data: exit 1, naming the file and line
golden vec-no-stems -- $vec --vocab $vocab $train data/vec-no-stems.jsonl
golden vec-bad-json -- $vec --vocab $vocab data/vec-bad-json.jsonl
golden vec-stem-not-string -- $vec --vocab $vocab data/vec-stem-not-string.jsonl
golden vec-stem-space -- $vec --fit "$tmp/space.json" data/vec-stem-space.jsonl
golden vec-bad-label -- $vec --vocab $vocab --codebook data/vec-codebook.json --label topics:abm data/vec-bad-label.jsonl
golden vec-vocab-corrupt -- $vec --vocab data/vec-vocab-corrupt.json $train
golden vec-vocab-truncated -- $vec --vocab data/vec-vocab-truncated.json $train
golden vec-codebook-broken -- $vec --vocab $vocab --codebook data/codebook-broken.json --label tone $labeled
# a failed --fit leaves no vocabulary behind
golden vec-fit-bad-input -- $vec --fit "$tmp/none.json" $train data/vec-no-stems.jsonl
if [[ ! -e $tmp/none.json ]]; then ok; else bad vec-fit-bad-input "vocabulary written"; fi
# usage errors: exit 2
golden vec-fit-and-vocab -- $vec --fit "$tmp/x.json" --vocab $vocab $train
golden vec-no-mode -- $vec $train
golden vec-vocab-option -- $vec --vocab $vocab --no-idf $train
golden vec-bad-min-df -- $vec --fit "$tmp/x.json" --min-df 0 $train
golden vec-label-unknown-value -- $vec --vocab $vocab --codebook data/vec-codebook.json --label topics:space $labeled
golden vec-label-unknown-dim -- $vec --vocab $vocab --codebook data/vec-codebook.json --label mood $labeled
golden vec-label-multi -- $vec --vocab $vocab --codebook data/vec-codebook.json --label topics $labeled
golden vec-label-no-codebook -- $vec --vocab $vocab --label tone $labeled
golden vec-bad-option -- $vec --frobnicate
# I/O: exit 3
golden vec-vocab-missing -- $vec --vocab data/no-such-vocab.json $train
golden vec-input-missing -- $vec --vocab $vocab data/no-such-file.jsonl
golden vec-fit-unwritable -- $vec --fit /nonexistent-dir/v.json $train
if [[ ! -e /nonexistent-dir/v.json ]]; then ok; else bad vec-fit-unwritable "vocabulary written"; fi
if [[ -w /dev/full ]]; then
    $WRAP "$BIN/$vec" --vocab $vocab $train >/dev/full 2>"$tmp/err"
    st=$?
    if [[ $st == 3 ]] && grep -q '<stdout>: write failed' "$tmp/err"; then ok
    else bad vec-stdout-full "status $st: $(cat "$tmp/err")"; fi
fi

# libsvm's own tools read the output, when they are installed (libsvm-tools)
if command -v svm-scale >/dev/null; then
    if svm-scale "$golden/vectorize/vec-apply.out" >"$tmp/scaled" 2>"$tmp/err" &&
        [[ $(wc -l <"$tmp/scaled") == $(wc -l <"$golden/vectorize/vec-apply.out") ]]; then ok
    else bad vec-svm-scale "svm-scale rejected the output: $(cat "$tmp/err")"; fi
    if svm-train -q "$golden/vectorize/vec-label-value.out" "$tmp/model" && [[ -s $tmp/model ]]; then ok
    else bad vec-svm-train "svm-train rejected the output"; fi
else
    echo "skip vec-svm-scale: svm-scale (libsvm-tools) not installed"
fi

# --fit that keeps no feature is an error naming why, and writes no vocabulary and no vectors.
vec_none=$tmp/vec-none
mkdir -p "$vec_none"
echo '{"doc":"a","stems":["missil"]}' >"$vec_none/one.jsonl"
echo '{"doc":"a","stems":[]}' >"$vec_none/empty.jsonl"
expect_in "$vec_none" vec-fit-none-min-df 1 \
    '^stance-vectorize: no features: no stem or bigram occurs in at least 2 of the 1 records \(--min-df\); lower --min-df$' \
    -- $vec --fit "$vec_none/v.json" "$vec_none/one.jsonl"
if [[ ! -e $vec_none/v.json && ! -s $vec_none/out ]]; then ok; else bad vec-fit-none-min-df-nothing "a vocabulary or vectors were written"; fi
expect_in "$vec_none" vec-fit-none-stems 1 '^stance-vectorize: no features: the records have no stems$' \
    -- $vec --fit "$vec_none/v.json" --min-df 1 "$vec_none/empty.jsonl"
if [[ ! -e $vec_none/v.json && ! -s $vec_none/out ]]; then ok; else bad vec-fit-none-stems-nothing "a vocabulary or vectors were written"; fi
