# t_oom.sh: out of memory is out of memory, and a JSON Lines stream may start with a byte-order
# mark (issue 11, cases 1, 4, 8 and 19; sourced by run.sh). Under `ulimit -v` every stage either
# finishes with its whole output or stops with "out of memory" and status 3: never a signal,
# never a line that did not fit taken for the end of the input (status 0, records lost), never
# "invalid JSON" for valid JSON, never a bundle, vocabulary or temporary left behind.
# The memory-limit cases are skipped under valgrind and the sanitizers (WRAP set, or a build-san
# BIN), which need far more address space than the limits allow.
o=$tmp/oom
mkdir -p "$o"
ocb=data/codebook-project.json
"$BIN/stance-train" -q --folds 0 --codebook $ocb -o "$o/model" data/train-small.jsonl 2>/dev/null

# ---- A byte-order mark at the start of a JSON Lines stream is skipped (case 19) ----
# oom_bom_same NAME FILE -- PROG ARGS...: PROG on FILE and on a copy of it that starts with a
# byte-order mark (same base name, other directory) gives the same status, stdout and stderr.
# "@" in ARGS stands for the file (without one the file is standard input), "%" for an output
# path of each run's own.
oom_bom_same() {
    local name=$1 file=$2
    shift 3
    local prog=$1 kind
    shift
    mkdir -p "$o/plain/$name" "$o/bom/$name"
    cp "$file" "$o/plain/$name/"
    { printf '\xEF\xBB\xBF'; cat "$file"; } >"$o/bom/$name/${file##*/}"
    for kind in plain bom; do
        local f=$o/$kind/$name/${file##*/} in=/dev/null args=() a
        for a in "$@"; do
            a=${a//@/$f}
            args+=("${a//%/$o/$kind/$name/out}")
        done
        [[ " $* " == *@* ]] || in=$f
        $WRAP "$BIN/$prog" "${args[@]}" <"$in" >"$o/$kind.out" 2>"$o/$kind.err"
        echo $? >>"$o/$kind.out"
        sed -i "s|$o/$kind/$name/||g" "$o/$kind.err"
    done
    if ! grep -q '^0$' <(tail -n 1 "$o/plain.out"); then
        bad "$name" "the file without a mark fails: $(head -c 300 "$o/plain.err")"
    elif ! cmp -s "$o/plain.out" "$o/bom.out" || ! cmp -s "$o/plain.err" "$o/bom.err"; then
        bad "$name" "differs with a byte-order mark: $(head -c 300 "$o/bom.err")"
    else
        ok
    fi
}

"$BIN/stance-tokenize" --jsonl data/articles.jsonl | "$BIN/stance-stem" >"$o/articles.stems.jsonl"
oom_bom_same oom-bom-tag data/articles.jsonl -- stance-tag -m "$o/model" --jsonl @
oom_bom_same oom-bom-tag-j2 data/articles.jsonl -- stance-tag -m "$o/model" --jsonl -j 2
oom_bom_same oom-bom-tokenize data/articles.jsonl -- stance-tokenize --jsonl @
oom_bom_same oom-bom-stem "$o/articles.stems.jsonl" -- stance-stem
printf 'nato\ntalks\n' >"$o/stop.txt" # a word on the first line, where the mark would be glued to it
oom_bom_same oom-bom-stem-stopwords "$o/stop.txt" -- stance-stem --stopwords @ "$o/articles.stems.jsonl"
oom_bom_same oom-bom-vectorize "$o/articles.stems.jsonl" -- stance-vectorize --vocab e2e/golden/vectorize/vec-fit.vocab @
oom_bom_same oom-bom-eval-gold data/eval-gold.jsonl -- stance-eval --codebook $ocb --gold @ data/eval-pred.jsonl
oom_bom_same oom-bom-eval-pred data/eval-pred.jsonl -- stance-eval --codebook $ocb --gold data/eval-gold.jsonl @
# training and fitting write files: the same model (it tags alike) and the same vocabulary
oom_bom_same oom-bom-train data/train-small.jsonl -- stance-train -q --codebook $ocb -o % @
for kind in plain bom; do
    "$BIN/stance-tag" -m "$o/$kind/oom-bom-train/out" --jsonl data/articles.jsonl >"$o/$kind.tags" 2>&1
done
if cmp -s "$o/plain.tags" "$o/bom.tags"; then ok; else bad oom-bom-train-tags "the models differ"; fi
oom_bom_same oom-bom-vectorize-fit "$o/articles.stems.jsonl" -- stance-vectorize --fit % --min-df 1 @
if cmp -s "$o/plain/oom-bom-vectorize-fit/out" "$o/bom/oom-bom-vectorize-fit/out"; then
    ok
else
    bad oom-bom-vectorize-fit-vocab "the vocabularies differ"
fi

if [[ -z $WRAP && $BIN != *build-san* ]]; then

# oom_limited LIMIT OUT ERR STDIN -- PROG ARGS...: runs PROG under `ulimit -v LIMIT` (KB).
oom_limited() {
    local limit=$1 out=$2 err=$3 in=$4 prog=$6
    shift 6
    (ulimit -v "$limit" && exec "$BIN/$prog" "$@") <"$in" >"$out" 2>"$err"
}

# oom_expect NAME LIMIT WHERE-REGEX [stdin-file] -- PROG ARGS...: must stop with status 3 and
# "WHERE: out of memory" on stderr.
oom_expect() {
    local name=$1 limit=$2 where=$3 in=/dev/null
    shift 3
    if [[ $1 != -- ]]; then in=$1; shift; fi
    oom_limited "$limit" "$o/out" "$o/err" "$in" "$@"
    expect_result "$name" 3 "$where: out of memory\$" "$o/err" $?
}

# ---- A line too long for memory is not the end of the input (case 1) ----
# A 24 MB line cannot be read under a 20 MB limit (40 MB for -j 2, whose threads need more;
# stance-tag loads the small model of data/train-small.jsonl, which fits beside the limit):
# glibc's getline then fails with ENOMEM and sets neither the end-of-file nor the error flag.
{ printf '{"id":"huge","text":"'; head -c 24000000 /dev/zero | tr '\0' a; printf '"}\n'; } >"$o/huge"
{ head -n 60 ../labels/passages.jsonl; cat "$o/huge"; tail -n +61 ../labels/passages.jsonl; } >"$o/big.jsonl"
{ cat data/eval-gold.jsonl "$o/huge"; } >"$o/big-gold.jsonl"
{ cat data/eval-pred.jsonl "$o/huge"; } >"$o/big-pred.jsonl"
{ cat "$o/articles.stems.jsonl" "$o/huge"; } >"$o/big.stems.jsonl"
{ cat data/stopwords.txt "$o/huge"; } >"$o/big-stopwords.txt"
big=$o/big.jsonl
after() { echo $(($(wc -l <"$1") + 1)); } # the number of the line after FILE's last
oom_expect oom-line-train 20000 "big.jsonl:61" -- stance-train -q --codebook ../labels/codebook.json -o "$o/never" "$big"
if [[ -e $o/never ]] || ls "$o" | grep -q '\.tmp'; then bad oom-line-train-nothing "a model was left"; else ok; fi
oom_expect oom-line-tag 20000 "big.jsonl:61" -- stance-tag -m "$o/model" --jsonl --no-text "$big"
oom_expect oom-line-tag-j2 40000 "big.jsonl:61" -- stance-tag -m "$o/model" --jsonl --no-text -j 2 "$big"
oom_expect oom-line-tokenize 20000 "big.jsonl:61" -- stance-tokenize --jsonl "$big"
oom_expect oom-line-eval-gold 20000 "big-gold.jsonl:$(after data/eval-gold.jsonl)" -- \
    stance-eval --codebook $ocb --gold "$o/big-gold.jsonl" data/eval-pred.jsonl
oom_expect oom-line-eval-pred 20000 "big-pred.jsonl:$(after data/eval-pred.jsonl)" -- \
    stance-eval --codebook $ocb --gold data/eval-gold.jsonl "$o/big-pred.jsonl"
oom_expect oom-line-stem 20000 "<stdin>:$(after "$o/articles.stems.jsonl")" "$o/big.stems.jsonl" -- stance-stem
oom_expect oom-line-stopwords 20000 "big-stopwords.txt:$(after data/stopwords.txt)" -- \
    stance-stem --stopwords "$o/big-stopwords.txt" "$o/articles.stems.jsonl"
oom_expect oom-line-vectorize-fit 20000 "big.stems.jsonl:$(after "$o/articles.stems.jsonl")" -- \
    stance-vectorize --fit "$o/never.vocab" "$o/big.stems.jsonl"
if [[ -e $o/never.vocab ]] || ls "$o" | grep -q '\.tmp'; then bad oom-line-vectorize-fit-nothing "a vocabulary was left"; else ok; fi
rm -f "$o"/huge "$o"/big*

# ---- Sweeping the memory limit (cases 4 and 8) ----
# 40 labeled passages with a 1 MB one after the 20th: at each limit, a run either succeeds with
# the whole output of an unlimited run, or stops with status 3 and "out of memory", its output
# the records before the failing one, with no bundle or temporary left. The limits reach from
# loading the model (its manifest parsed by jansson) through reading, parsing, tokenizing,
# analyzing and tagging the long record, the threads of -j 2, and training. (A thread that
# cannot get its stack is "cannot start a thread", status 3, also a resource failure.)
{
    head -n 20 ../labels/passages.jsonl
    printf '{"id":"long","text":"'
    yes "$(tr '\n' ' ' <data/tag-article.txt)" | head -n 4400 | tr -d '\n'
    printf '","topics":["kosovo"],"tone":"conciliatory"}\n'
    sed -n 21,40p ../labels/passages.jsonl
} >"$o/sweep.jsonl"
oom_sweep_limits=(8000 10000 12000 14000 20000 28000 32000 40000 48000)

# oom_sweep NAME -- PROG ARGS...: PROG under each limit; "%" in ARGS is the output bundle.
oom_sweep() {
    local name=$1
    shift 2
    local prog=$1 limit args=() a
    shift
    for a in "$@"; do args+=("${a//%/$o/sweep-model}"); done
    rm -rf "$o/sweep-model" "$o/ref-model"
    local ref_args=() problems="" got
    for a in "$@"; do ref_args+=("${a//%/$o/ref-model}"); done
    "$BIN/$prog" "${ref_args[@]}" >"$o/ref.out" 2>/dev/null || problems="the unlimited run fails"
    for limit in "${oom_sweep_limits[@]}"; do
        rm -rf "$o/sweep-model"
        oom_limited "$limit" "$o/out" "$o/err" /dev/null -- "$prog" "${args[@]}"
        got=$?
        if [[ $got == 0 ]]; then
            if ! cmp -s "$o/out" "$o/ref.out" ||
                { [[ -e $o/ref-model ]] && ! diff -r "$o/ref-model" "$o/sweep-model" >/dev/null; }; then
                problems+=" $limit: status 0 with output unlike the unlimited run's;"
            fi
        elif [[ $got == 3 ]] && grep -Eq 'out of memory$|cannot start a thread' "$o/err"; then
            if [[ -e $o/sweep-model ]] || ls "$o" | grep -q '\.tmp'; then
                problems+=" $limit: a bundle or temporary left behind;"
            elif [[ -s $o/out ]] && { [[ $(tail -c 1 "$o/out" | od -An -c | tr -d ' ') != '\n' ]] ||
                ! cmp -s "$o/out" <(head -c "$(stat -c %s "$o/out")" "$o/ref.out"); }; then
                problems+=" $limit: the output is not whole records of the unlimited run's;"
            fi
        elif [[ $got == 127 ]] && grep -q 'error while loading shared libraries' "$o/err"; then
            : # below what the dynamic loader needs: stance never ran
        else
            problems+=" $limit: status $got: $(head -c 120 "$o/err");"
        fi
    done
    if [[ -z $problems ]]; then ok; else bad "$name" "$problems"; fi
}

oom_sweep oom-sweep-tag -- stance-tag -m ../models/default --jsonl --no-text "$o/sweep.jsonl"
oom_sweep oom-sweep-tag-j2 -- stance-tag -m ../models/default --jsonl --no-text -j 2 "$o/sweep.jsonl"
oom_sweep oom-sweep-tag-table -- stance-tag -m ../models/default --jsonl --format csv --text --threshold tone=0.3 --threshold abm=0.2 "$o/sweep.jsonl"
oom_sweep oom-sweep-tokenize -- stance-tokenize --jsonl "$o/sweep.jsonl"
oom_sweep oom-sweep-train -- stance-train -q --folds 2 --codebook ../labels/codebook.json -o % "$o/sweep.jsonl"
oom_sweep oom-sweep-suggest -- stance-suggest -m ../models/default -n 5 --jsonl "$o/sweep.jsonl"
oom_sweep oom-sweep-audit -- stance-audit --folds 2 --codebook ../labels/codebook.json "$o/sweep.jsonl"
# jansson's allocations failing while a vocabulary file is loaded (it reported "invalid JSON")
"$BIN/stance-tokenize" --jsonl ../labels/passages.jsonl | "$BIN/stance-stem" >"$o/passages.stems.jsonl"
"$BIN/stance-vectorize" --fit "$o/passages.vocab" "$o/passages.stems.jsonl" >/dev/null
oom_sweep_limits=(4000 5000 6000 8000)
oom_sweep oom-sweep-vocab -- stance-vectorize --vocab "$o/passages.vocab" "$o/passages.stems.jsonl"

fi
