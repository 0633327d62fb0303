# t_hostile.sh: hostile input and faults fed to every executable (sourced by run.sh): text
# in other encodings, NUL bytes, huge lines and values, many tiny passages, deep JSON,
# out-of-range numbers, wrong JSON types, duplicate ids, broken model bundles, full and
# unwritable outputs, a closed pipe, signals during training. Each must end with a clear
# message and a documented status, without a crash and without a half-written file.
# Under valgrind (WRAP set) the huge inputs are scaled down 10x to keep the run short.
cb=data/codebook-project.json
h=$tmp/hostile
mkdir -p "$h"
scale=1
[[ -n $WRAP ]] && scale=10
"$BIN/stance-train" -q --bundle-format 1 --folds 0 --codebook $cb -o "$h/model" data/train-small.jsonl 2>/dev/null
m=$h/model

# expect NAME STATUS STDERR-REGEX [stdin-file] -- PROG ARGS...: for inputs too large to keep
# golden files of. Checks the status and that stderr matches (an empty regex: stderr empty).
expect() { expect_in "$h" "$@"; }

# ---- Text in other encodings, given without --encoding ----
printf 'Talks in Pristina resumed.\n\nThe caf\xe9 near the base was shut.\n' >"$h/latin1.txt"
printf 'The envoy called it \x93a new start\x94.\n' >"$h/cp1252.txt"
printf '{"id":"x1","text":"Caf\xe9 talks on Kosovo.","topics":["kosovo"],"tone":"conciliatory"}\n' >"$h/latin1.jsonl"
golden hostile-tag-latin1 -- stance-tag -m "$m" "$h/latin1.txt"
golden hostile-tag-cp1252 -- stance-tag -m "$m" "$h/cp1252.txt"
golden hostile-tag-latin1-jsonl -- stance-tag -m "$m" --jsonl "$h/latin1.jsonl"
golden hostile-train-latin1 -- stance-train --codebook $cb -o "$h/never" "$h/latin1.jsonl"
golden hostile-stem-latin1 "$h/latin1.jsonl" -- stance-stem
"$BIN/stance-tokenize" data/tag-article.txt | "$BIN/stance-stem" | "$BIN/stance-vectorize" --fit "$h/vocab0.json" >/dev/null
golden hostile-vec-latin1 -- stance-vectorize --vocab "$h/vocab0.json" "$h/latin1.jsonl"
golden hostile-eval-latin1 -- stance-eval --codebook $cb --gold "$h/latin1.jsonl" data/eval-pred.jsonl
# A file name that is not UTF-8 cannot be the article id in JSON: a data error naming it.
printf 'Talks in Pristina resumed.\n' >"$h/caf$(printf '\xe9').txt"
golden hostile-tag-latin1-file-name -- stance-tag -m "$m" "$h/caf$(printf '\xe9').txt"
golden hostile-tokenize-latin1-file-name -- stance-tokenize "$h/caf$(printf '\xe9').txt"

# ---- NUL bytes: raw, and escaped as \u0000 in JSON ----
printf '{"id":"n1","text":"before\0after","topics":[],"tone":"conciliatory"}\n' >"$h/nul-raw.jsonl"
printf '{"id":"n1","text":"before\\u0000after","topics":[],"tone":"conciliatory"}\n' >"$h/nul-esc.jsonl"
golden hostile-tag-nul -- stance-tag -m "$m" data/nul.txt
golden hostile-tag-nul-raw -- stance-tag -m "$m" --jsonl "$h/nul-raw.jsonl"
golden hostile-tag-nul-escaped -- stance-tag -m "$m" --jsonl "$h/nul-esc.jsonl"
golden hostile-train-nul-raw -- stance-train --codebook $cb -o "$h/never" "$h/nul-raw.jsonl"
golden hostile-train-nul-escaped -- stance-train --codebook $cb -o "$h/never" "$h/nul-esc.jsonl"
golden hostile-eval-nul -- stance-eval --codebook $cb --gold data/eval-gold.jsonl "$h/nul-raw.jsonl"

# ---- A 50 MB single line (5 MB under valgrind) ----
big=$((50 * 1024 * 1024 / scale))
head -c "$big" /dev/zero | tr '\0' 'a' | sed 's/a\{9\}/Kosovo a /g' >"$h/line.txt"
expect hostile-huge-line-tokenize 0 '' -- stance-tokenize "$h/line.txt"
if [[ $(wc -l <"$h/out") == 1 ]] && grep -q "\"start\":0,\"end\":$big," "$h/out"; then ok
else bad hostile-huge-line-offsets "one record spanning all $big bytes expected"; fi
{ printf '{"id":"big","text":"'; cat "$h/line.txt"; printf '"}\n'; } >"$h/line.jsonl"
expect hostile-huge-line-tag 0 '' -- stance-tag -m "$m" --jsonl --no-text "$h/line.jsonl"
if grep -q '"topics":\[{"label":"kosovo"' "$h/out"; then ok; else bad hostile-huge-line-label "no kosovo label"; fi
{ printf '{"id":"big","text":"'; cat "$h/line.txt"; } >"$h/line-open.jsonl"
expect hostile-huge-line-unterminated 1 'line-open.jsonl:1: invalid JSON' -- stance-tag -m "$m" --jsonl "$h/line-open.jsonl"
expect hostile-huge-line-stem 1 '<stdin>:1: record has no "tokens"' "$h/line.jsonl" -- stance-stem

# ---- 100 000 tiny passages (10 000 under valgrind) ----
tiny=$((100000 / scale))
awk -v n=$tiny 'BEGIN { for (i = 1; i <= n; i++) printf "Talk %d.\n\n", i }' >"$h/tiny.txt"
expect hostile-tiny-tokenize 0 '' -- stance-tokenize "$h/tiny.txt"
if [[ $(wc -l <"$h/out") == "$tiny" ]] && tail -1 "$h/out" | grep -q "\"passage\":$tiny,"; then ok
else bad hostile-tiny-count "expected $tiny records"; fi
expect hostile-tiny-tag 0 '' -- stance-tag -m "$m" --no-text "$h/tiny.txt"
if [[ $(wc -l <"$h/out") == "$tiny" ]]; then ok; else bad hostile-tiny-tag-count "expected $tiny records"; fi
expect hostile-tiny-tag-article 0 '' -- stance-tag -m "$m" --unit document --no-text "$h/tiny.txt"
if grep -q "\"passages\":$tiny," "$h/out"; then ok; else bad hostile-tiny-article "expected one record of $tiny passages"; fi

# ---- Deeply nested and huge JSON values ----
awk 'BEGIN { printf "{\"id\":\"d\",\"text\":\"x\",\"deep\":"; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "}" }' >"$h/deep.jsonl"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$h/deep.json"
golden hostile-tag-deep -- stance-tag -m "$m" --jsonl "$h/deep.jsonl"
golden hostile-tokenize-deep -- stance-tokenize --jsonl "$h/deep.jsonl"
golden hostile-stem-deep "$h/deep.jsonl" -- stance-stem
golden hostile-vec-deep -- stance-vectorize --fit "$h/never.json" "$h/deep.jsonl"
golden hostile-train-deep -- stance-train --codebook $cb -o "$h/never" "$h/deep.jsonl"
golden hostile-eval-deep -- stance-eval --codebook $cb --gold "$h/deep.jsonl" data/eval-pred.jsonl
golden hostile-codebook-deep -- stance-train --codebook "$h/deep.json" -o "$h/never" data/train-small.jsonl
cp -r "$m" "$h/deepman" && cp "$h/deep.json" "$h/deepman/manifest.json"
golden hostile-manifest-deep -- stance-tag -m "$h/deepman" data/tag-article.txt
# 200 000 extra fields are handed through to the output record, unchanged.
awk 'BEGIN { printf "{\"id\":\"w\",\"text\":\"Kosovo talks.\""; for (i = 0; i < 200000 / '$scale'; i++) printf ",\"f%d\":%d", i, i; print "}" }' >"$h/wide.jsonl"
expect hostile-wide-record 0 '' -- stance-tag -m "$m" --jsonl --no-text "$h/wide.jsonl"
if grep -q "\"f$((200000 / scale - 1))\":$((200000 / scale - 1))}" "$h/out"; then ok; else bad hostile-wide-fields "extra fields lost"; fi

# ---- Numbers out of range ----
printf '{"id":1e400,"text":"Kosovo."}\n' >"$h/num-real.jsonl"
printf '{"id":123456789012345678901234567890,"text":"Kosovo."}\n' >"$h/num-int.jsonl"
printf '{"id":-7,"text":"Kosovo."}\n' >"$h/num-neg.jsonl"
golden hostile-id-real-overflow -- stance-tag -m "$m" --jsonl "$h/num-real.jsonl"
golden hostile-id-int-overflow -- stance-tag -m "$m" --jsonl "$h/num-int.jsonl"
golden hostile-id-negative -- stance-tag -m "$m" --jsonl --no-text "$h/num-neg.jsonl"
printf '{"doc":"art1","passage":1,"start":1e400,"end":30,"topics":[],"tone":"conciliatory"}\n' >"$h/gold-range.jsonl"
printf '{"doc":"art1","passage":1,"start":-5,"end":30,"topics":[],"tone":"conciliatory"}\n' >"$h/gold-neg.jsonl"
golden hostile-eval-start-overflow -- stance-eval --codebook $cb --gold "$h/gold-range.jsonl" data/eval-pred.jsonl
golden hostile-eval-start-negative -- stance-eval --codebook $cb --gold "$h/gold-neg.jsonl" data/eval-pred.jsonl
for v in 1e999 -1e999 nan; do
    cp -r "$m" "$h/thr-$v"
    sed -i "0,/\"threshold\": [^,]*/s//\"threshold\": $v/" "$h/thr-$v/manifest.json"
    golden "hostile-manifest-threshold-$v" -- stance-tag -m "$h/thr-$v" data/tag-article.txt
done

# ---- Wrong JSON types, field by field ----
wrong_types=(
    'train-id-array|{"id":["t"],"text":"Kosovo.","topics":[],"tone":"conciliatory"}'
    'train-text-number|{"id":"t","text":5,"topics":[],"tone":"conciliatory"}'
    'train-topics-object|{"id":"t","text":"Kosovo.","topics":{"kosovo":1},"tone":"conciliatory"}'
    'train-topics-number-inside|{"id":"t","text":"Kosovo.","topics":[7],"tone":"conciliatory"}'
    'train-tone-array|{"id":"t","text":"Kosovo.","topics":[],"tone":["conciliatory"]}'
    'train-tone-bool|{"id":"t","text":"Kosovo.","topics":[],"tone":true}'
    'train-record-array|["Kosovo.",["kosovo"],"conciliatory"]'
    'train-record-string|"Kosovo."'
)
for row in "${wrong_types[@]}"; do
    printf '%s\n' "${row#*|}" >"$h/wt.jsonl"
    golden "hostile-${row%%|*}" -- stance-train --codebook $cb -o "$h/never" "$h/wt.jsonl"
done
printf '{"id":{"a":1},"text":"Kosovo."}\n' >"$h/wt-id.jsonl"
printf '{"id":"a","text":["Kosovo."]}\n' >"$h/wt-text.jsonl"
printf '{"id":2.5,"text":"Kosovo."}\n' >"$h/wt-id-real.jsonl"
golden hostile-tag-id-object -- stance-tag -m "$m" --jsonl "$h/wt-id.jsonl"
golden hostile-tag-text-array -- stance-tag -m "$m" --jsonl "$h/wt-text.jsonl"
golden hostile-tag-id-real -- stance-tag -m "$m" --jsonl "$h/wt-id-real.jsonl"
printf '{"doc":"a","tokens":"kosovo talks"}\n' >"$h/wt-tokens.jsonl"
printf '{"doc":"a","tokens":["kosovo",3]}\n' >"$h/wt-token.jsonl"
golden hostile-stem-tokens-string "$h/wt-tokens.jsonl" -- stance-stem
golden hostile-stem-token-number "$h/wt-token.jsonl" -- stance-stem
printf '{"doc":"a","stems":{"kosovo":1}}\n' >"$h/wt-stems.jsonl"
golden hostile-vec-stems-object -- stance-vectorize --fit "$h/never.json" "$h/wt-stems.jsonl"
printf '{"doc":"art1","passage":1,"start":"zero","end":30,"topics":[],"tone":"conciliatory"}\n' >"$h/wt-gold.jsonl"
printf '{"doc":"art1","passage":1,"start":0,"end":30,"topics":"kosovo","tone":{"label":"conciliatory","score":"high"}}\n' >"$h/wt-pred.jsonl"
golden hostile-eval-start-string -- stance-eval --codebook $cb --gold "$h/wt-gold.jsonl" data/eval-pred.jsonl
golden hostile-eval-score-string -- stance-eval --codebook $cb --gold data/eval-gold.jsonl "$h/wt-pred.jsonl"
printf '{"name":"x","dimensions":{"topics":"multi"}}\n' >"$h/cb-dims-object.json"
printf '{"name":"x","dimensions":[{"name":"topics","kind":3,"values":[]}]}\n' >"$h/cb-kind-number.json"
printf '{"name":"x","dimensions":[{"name":"topics","kind":"multi","values":"kosovo"}]}\n' >"$h/cb-values-string.json"
for c in dims-object kind-number values-string; do
    golden "hostile-codebook-$c" -- stance-train --codebook "$h/cb-$c.json" -o "$h/never" data/train-small.jsonl
done
# A label holding ';' (it joins a passage's labels in one cell of stance-tag's tables): refused
# in a codebook and in a bundle's.
printf '{"dimensions":[{"name":"topics","kind":"multi","values":[{"label":"kosovo;abm"},{"label":"abm"}]}]}\n' >"$h/cb-semicolon.json"
golden hostile-codebook-semicolon -- stance-train --codebook "$h/cb-semicolon.json" -o "$h/never" data/train-small.jsonl
cp -r "$m" "$h/semicolon" && sed -i 's/"label": "kosovo"/"label": "kosovo;abm"/' "$h/semicolon/manifest.json"
golden hostile-bundle-label-semicolon -- stance-tag -m "$h/semicolon" --format csv data/tag-article.txt
cp -r "$m" "$h/units-object" && sed -i 's/"units": \[/"units": {"x": [/; $s/}$/}}/' "$h/units-object/manifest.json"
golden hostile-manifest-units-object -- stance-tag -m "$h/units-object" data/tag-article.txt
cp -r "$m" "$h/file-number" && sed -i '0,/"file": "[^"]*"/s//"file": 7/' "$h/file-number/manifest.json"
golden hostile-manifest-file-number -- stance-tag -m "$h/file-number" data/tag-article.txt
cp -r "$m" "$h/file-escape" && sed -i '0,/"file": "[^"]*"/s//"file": "..\/..\/etc\/passwd"/' "$h/file-escape/manifest.json"
golden hostile-manifest-file-outside -- stance-tag -m "$h/file-escape" data/tag-article.txt

# ---- Duplicate ids ----
{ cat data/train-small.jsonl; sed -n 3p data/train-small.jsonl; } >"$h/dup-train.jsonl"
golden hostile-train-duplicate-id -- stance-train --codebook $cb -o "$h/never" "$h/dup-train.jsonl"
printf '{"id":"a","text":"Kosovo."}\n{"id":"b","text":"Talks."}\n{"id":"a","text":"Again."}\n' >"$h/dup-articles.jsonl"
golden hostile-tag-duplicate-id -- stance-tag -m "$m" --jsonl --no-text "$h/dup-articles.jsonl"
golden hostile-tokenize-duplicate-id -- stance-tokenize --jsonl "$h/dup-articles.jsonl"
golden hostile-tokenize-same-file-twice -- stance-tokenize data/tag-article.txt data/tag-article.txt
head -1 data/eval-pred.jsonl >"$h/dup-pred.jsonl" && cat data/eval-pred.jsonl >>"$h/dup-pred.jsonl"
golden hostile-eval-duplicate-pred -- stance-eval --codebook $cb --gold data/eval-gold.jsonl "$h/dup-pred.jsonl"

# ---- Model bundles: a file missing, truncated, empty, or replaced by a directory ----
cp -r "$m" "$h/noman" && rm "$h/noman/manifest.json"
golden hostile-bundle-no-manifest -- stance-tag -m "$h/noman" data/tag-article.txt
cp -r "$m" "$h/emptyman" && : >"$h/emptyman/manifest.json"
golden hostile-bundle-empty-manifest -- stance-tag -m "$h/emptyman" data/tag-article.txt
cp -r "$m" "$h/nullman" && echo null >"$h/nullman/manifest.json"
golden hostile-bundle-null-manifest -- stance-tag -m "$h/nullman" data/tag-article.txt
cp -r "$m" "$h/emptyunit" && : >"$h/emptyunit/unit-0.txt"
golden hostile-bundle-empty-unit -- stance-tag -m "$h/emptyunit" data/tag-article.txt
cp -r "$m" "$h/dirunit" && rm "$h/dirunit/unit-0.txt" && mkdir "$h/dirunit/unit-0.txt"
golden hostile-bundle-unit-is-dir -- stance-tag -m "$h/dirunit" data/tag-article.txt
# Vocabulary entries of the wrong type or out of range, inside the manifest.
cp -r "$m" "$h/vterm" && sed -i '0,/"terms": \[/s//"terms": [7,/' "$h/vterm/manifest.json"
golden hostile-bundle-vocabulary-term-number -- stance-tag -m "$h/vterm" data/tag-article.txt
cp -r "$m" "$h/vdf" && sed -i '0,/"documents": [0-9]*/s//"documents": -4/' "$h/vdf/manifest.json"
golden hostile-bundle-vocabulary-documents-negative -- stance-tag -m "$h/vdf" data/tag-article.txt
# A unit file whose numbers are out of range, with its checksum updated so its parser is reached.
unit_case() {
    local name=$1 script=$2
    cp -r "$m" "$h/$name"
    sed -i "$script" "$h/$name/unit-0.txt"
    local sum
    sum=$(sha256sum "$h/$name/unit-0.txt" | cut -d' ' -f1)
    sed -i "0,/\"sha256\": \"[0-9a-f]*\"/s//\"sha256\": \"$sum\"/; 0,/\"bytes\": [0-9]*/s//\"bytes\": $(wc -c <"$h/$name/unit-0.txt")/" \
        "$h/$name/manifest.json"
    golden "hostile-unit-$name" -- stance-tag -m "$h/$name" data/tag-article.txt
}
unit_case features-overflow 's/^features .*/features 99999999999999999999/'
unit_case features-mismatch 's/^features .*/features 3/'
unit_case index-overflow '4s/^[0-9]* /99999999999 /'
unit_case index-zero '4s/^[0-9]* /0 /'
unit_case weight-overflow '4s/ .*/ 1e999/'
unit_case weight-beyond-float '4s/ .*/ -1e300/'
unit_case weight-nan '4s/ .*/ nan/'
unit_case weight-text '4s/ .*/ heavy/'
unit_case bias-missing '/^bias/d'
unit_case header-other '1s/.*/stance-linear 2/'
cp -r "$m" "$h/klingon" && sed -i 's/"language": "english"/"language": "klingon"/' "$h/klingon/manifest.json"
golden hostile-bundle-unknown-language -- stance-tag -m "$h/klingon" data/tag-article.txt
cp -r "$m" "$h/v0" && sed -i 's/"version": 1,/"version": 0,/' "$h/v0/manifest.json"
golden hostile-bundle-version-0 -- stance-tag -m "$h/v0" data/tag-article.txt
cp -r "$m" "$h/otherformat" && sed -i 's/"format": "stance-model"/"format": "fasttext"/' "$h/otherformat/manifest.json"
golden hostile-bundle-other-format -- stance-tag -m "$h/otherformat" data/tag-article.txt

# ---- Full and unwritable outputs ----
printf '%s\n' '{"doc":"a","passage":1,"tokens":["kosovo","talks"]}' >"$h/tokens.jsonl"
# full PROG ARGS...: standard output on /dev/full must fail with status 3 and name <stdout>.
full() {
    local prog=$1
    shift
    $WRAP "$BIN/$prog" "$@" >/dev/full 2>"$h/err"
    local got=$?
    if [[ $got == 3 ]] && grep -Eq "^$prog: <stdout>: .*No space left on device$" "$h/err"; then ok
    else bad "hostile-dev-full-$prog" "status $got: $(head -c 300 "$h/err")"; fi
}
"$BIN/stance-tokenize" data/tag-article.txt >"$h/tokens.jsonl"
"$BIN/stance-stem" "$h/tokens.jsonl" >"$h/stems.jsonl"
full stance-tokenize data/tag-article.txt
full stance-stem "$h/tokens.jsonl"
full stance-vectorize --fit "$h/full-vocab.json" "$h/stems.jsonl"
full stance-tag -m "$m" data/tag-article.txt
full stance-eval --codebook $cb --gold data/eval-gold.jsonl data/eval-pred.jsonl
full stance-train --help
# Unwritable places: a path below a file, below a missing directory, and in /proc.
golden hostile-train-below-file -- stance-train -q --codebook $cb -o data/empty.txt/m data/train-small.jsonl
golden hostile-train-below-missing -- stance-train -q --codebook $cb -o "$h/no/such/m" data/train-small.jsonl
golden hostile-train-in-proc -- stance-train -q --codebook $cb -o /proc/stance-model data/train-small.jsonl
golden hostile-vec-fit-in-proc -- stance-vectorize --fit /proc/stance-vocab.json "$h/stems.jsonl"
if [[ $(id -u) != 0 ]]; then # permission bits do not stop root
    mkdir "$h/ro" && chmod 555 "$h/ro"
    expect hostile-train-read-only-dir 3 'Permission denied' -- stance-train -q --codebook $cb -o "$h/ro/m" data/train-small.jsonl
    chmod 755 "$h/ro"
fi
# A failed run leaves the old output in place: a vocabulary, then a model bundle.
"$BIN/stance-vectorize" --fit "$h/vocab.json" "$h/stems.jsonl" >/dev/null
cp "$h/vocab.json" "$h/vocab.before"
printf '{"doc":"a","stems":["kosovo"]}\n{"doc":"b","stems":7}\n' >"$h/bad-stems.jsonl"
expect hostile-vec-fit-fails 1 'bad-stems.jsonl:2' -- stance-vectorize --fit "$h/vocab.json" "$h/bad-stems.jsonl"
if cmp -s "$h/vocab.json" "$h/vocab.before" && [[ -z $(find "$h" -maxdepth 1 -name 'vocab.json?*') ]]; then ok
else bad hostile-vec-fit-kept "the old vocabulary was changed or a temporary file left"; fi
cp -r "$m" "$h/keep" && cp -r "$m" "$h/keep.before"
expect hostile-train-fails 1 'dup-train.jsonl:25: duplicate id' -- stance-train -q --codebook $cb -o "$h/keep" "$h/dup-train.jsonl"
if diff -r "$h/keep" "$h/keep.before" >/dev/null && [[ -z $(find "$h" -maxdepth 1 -name 'keep.tmp*') ]]; then ok
else bad hostile-train-kept "the old bundle was changed or a temporary directory left"; fi

# ---- A reader that goes away: quiet, status 141 (SIGPIPE), also when SIGPIPE was ignored ----
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "Kosovo talks number %d.\n\n", i }' >"$h/many.txt"
pipe_case() {
    local name=$1
    shift
    ( "$@" 2>"$h/pipe.err" | head -1 >/dev/null; echo "${PIPESTATUS[0]}" >"$h/pipe.status" )
    if [[ $(cat "$h/pipe.status") == 141 && ! -s $h/pipe.err ]]; then ok
    else bad "$name" "status $(cat "$h/pipe.status"): $(head -c 200 "$h/pipe.err")"; fi
}
pipe_case hostile-pipe-tag "$BIN/stance-tag" -m "$m" --no-text "$h/many.txt"
pipe_case hostile-pipe-tokenize "$BIN/stance-tokenize" "$h/many.txt"
pipe_case hostile-pipe-tag-ignored bash -c 'trap "" PIPE; exec "$0" "$@"' "$BIN/stance-tag" -m "$m" --no-text "$h/many.txt"
pipe_case hostile-pipe-stem-ignored bash -c 'trap "" PIPE; "$0" "$1" | exec "$2"' "$BIN/stance-tokenize" "$h/many.txt" "$BIN/stance-stem"

# ---- A signal during stance-train: the old bundle stays whole, nothing is left behind ----
# (env resets SIGINT, which a non-interactive shell ignores in background jobs)
if [[ -z $WRAP ]]; then
    for sig in TERM INT; do
        rm -rf "$h/sig" "$h/sig.before"
        cp -r "$m" "$h/sig" && cp -r "$m" "$h/sig.before"
        env --default-signal=INT "$BIN/stance-train" --codebook ../labels/codebook.json --c-grid 0.25,0.5,1,2,4,8 --folds 10 \
            -o "$h/sig" ../labels/passages.jsonl 2>"$h/sig.err" &
        pid=$!
        sleep 0.5
        kill -s $sig $pid
        wait $pid
        got=$?
        if [[ $got -gt 128 ]] && diff -r "$h/sig" "$h/sig.before" >/dev/null &&
            [[ -z $(find "$h" -maxdepth 1 -name 'sig.tmp*') ]]; then ok
        else bad "hostile-train-sig$sig" "status $got, or the bundle changed, or a temporary was left"; fi
    done
fi

# ---- The same input, model and seed give the same bytes ----
"$BIN/stance-tag" -m "$m" data/articles >"$h/run1" && "$BIN/stance-tag" -m "$m" data/articles >"$h/run2"
"$BIN/stance-tokenize" --jsonl data/articles.jsonl >"$h/tok1" && "$BIN/stance-tokenize" --jsonl data/articles.jsonl >"$h/tok2"
"$BIN/stance-vectorize" --fit "$h/v1.json" "$h/stems.jsonl" >"$h/vec1" && "$BIN/stance-vectorize" --fit "$h/v2.json" "$h/stems.jsonl" >"$h/vec2"
if cmp -s "$h/run1" "$h/run2" && cmp -s "$h/tok1" "$h/tok2" && cmp -s "$h/vec1" "$h/vec2" && cmp -s "$h/v1.json" "$h/v2.json"; then ok
else bad hostile-deterministic "outputs differ between two runs"; fi
