# t_tag_jobs.sh: stance-tag -j N (sourced by run.sh). On several threads the output must be
# byte for byte the output of one thread, also when an article fails midway (the same records
# before it, the same message and status), and bad -j values are usage errors.
# Under valgrind (WRAP set) the generated input is 10x smaller.
j=$tmp/jobs
mkdir -p "$j"
scale=1
[[ -n $WRAP ]] && scale=10
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$j/model" data/train-small.jsonl 2>/dev/null
m=$j/model

# same_as_one NAME INPUT ARGS...: stance-tag ARGS with -j 2 and -j 3 against -j 1 (stdout,
# stderr and status); INPUT is fed to standard input.
same_as_one() {
    local name=$1 input=$2 n
    shift 2
    "$BIN/stance-tag" "$@" <"$input" >"$j/one.out" 2>"$j/one.err"
    echo $? >"$j/one.status"
    for n in 2 3; do
        $WRAP "$BIN/stance-tag" -j $n "$@" <"$input" >"$j/many.out" 2>"$j/many.err"
        echo $? >"$j/many.status"
        if ! cmp -s "$j/one.out" "$j/many.out"; then
            bad "$name" "-j $n: stdout differs from -j 1 ($(wc -l <"$j/one.out") and $(wc -l <"$j/many.out") lines)"
        elif ! cmp -s "$j/one.err" "$j/many.err" || ! cmp -s "$j/one.status" "$j/many.status"; then
            bad "$name" "-j $n: stderr or status differs from -j 1: $(cat "$j/many.status") $(head -c 300 "$j/many.err")"
        else
            ok
        fi
    done
}

# The example articles, per passage and per article, with and without text.
same_as_one jobs-examples /dev/null -m "$m" ../examples
same_as_one jobs-examples-article /dev/null -m "$m" --unit article --no-text ../examples
same_as_one jobs-examples-document /dev/null -m "$m" --unit document --no-text ../examples
same_as_one jobs-stdin data/tag-article.txt -m "$m" -
if [[ -s $j/one.out ]] && grep -q '"tone"' "$j/one.out"; then ok; else bad jobs-examples-output "no records"; fi

# Thousands of JSON Lines articles made from the training passages (ids made unique), with
# their extra fields copied through.
# many_articles N: N copies of the training passages, ids made unique.
many_articles() {
    local k
    for ((k = 1; k <= $1; k++)); do
        sed "s/\"id\": \"\\([^\"]*\\)\"/\"id\": \"\\1-$k\"/" data/train-small.jsonl
    done
}
copies=$((125 / scale))
many_articles $copies >"$j/many.jsonl"
same_as_one jobs-jsonl /dev/null -m "$m" --jsonl "$j/many.jsonl"
same_as_one jobs-jsonl-article /dev/null -m "$m" --jsonl --unit article --no-text "$j/many.jsonl"
same_as_one jobs-jsonl-article-share /dev/null -m "$m" --jsonl --unit article --article-rule share=0.5 --all-scores "$j/many.jsonl"
same_as_one jobs-jsonl-document /dev/null -m "$m" --jsonl --unit document --no-text "$j/many.jsonl"
same_as_one jobs-jsonl-stdin "$j/many.jsonl" -m "$m" --jsonl --no-text
if [[ $(wc -l <"$j/one.out") == $((24 * copies)) ]]; then ok; else bad jobs-jsonl-count "expected $((24 * copies)) records"; fi

# Failing midway: invalid JSON, a repeated id, a "text" that is not a string (found by the
# reader), and an article whose name jansson refuses (found while tagging). The records of
# the articles before it are written, nothing after.
half=$((24 * copies / 2))
{ head -n $half "$j/many.jsonl"; echo '{"id": "broken", "text": '; tail -n +$((half + 1)) "$j/many.jsonl"; } >"$j/bad-json.jsonl"
{ head -n $half "$j/many.jsonl"; head -n 1 "$j/many.jsonl"; tail -n +$((half + 1)) "$j/many.jsonl"; } >"$j/dup-id.jsonl"
{ head -n $half "$j/many.jsonl"; echo '{"id": "n", "text": 5}'; tail -n +$((half + 1)) "$j/many.jsonl"; } >"$j/text-number.jsonl"
for f in bad-json dup-id text-number; do
    same_as_one "jobs-fail-$f" /dev/null -m "$m" --jsonl --no-text "$j/$f.jsonl"
    if [[ $(cat "$j/one.status") == 1 && $(wc -l <"$j/one.out") == "$half" ]]; then ok
    else bad "jobs-fail-$f-prefix" "status $(cat "$j/one.status"), $(wc -l <"$j/one.out") records, expected 1 and $half"; fi
done
# JSON Lines on threads are split into lines on the main thread and parsed on the others: the
# same messages (line numbers, byte offsets of the input) as on one thread, a repeated id found
# in order (also within one batch of lines, and across two inputs), a byte-order mark and blank
# lines skipped as on one thread.
{ head -n 3 "$j/many.jsonl"; head -n 1 "$j/many.jsonl"; tail -n +4 "$j/many.jsonl"; } >"$j/dup-near.jsonl"
{ head -n $half "$j/many.jsonl"; printf '{"id": "u", "text": "caf\xe9"}\n'; tail -n +$((half + 1)) "$j/many.jsonl"; } >"$j/bad-utf8.jsonl"
{ head -n $half "$j/many.jsonl"; printf '{"id": "z", "text": "a\0b"}\n'; tail -n +$((half + 1)) "$j/many.jsonl"; } >"$j/nul.jsonl"
{ printf '\xef\xbb\xbf'; head -n 5 "$j/many.jsonl"; printf '\n  \t\n'; tail -n +6 "$j/many.jsonl"; } >"$j/bom-blank.jsonl"
{ head -n $half "$j/many.jsonl"; echo '[1, 2]'; } >"$j/array.jsonl"
for f in dup-near bad-utf8 nul bom-blank array; do
    same_as_one "jobs-lines-$f" /dev/null -m "$m" --jsonl --no-text "$j/$f.jsonl"
done
if [[ $(cat "$j/one.status") == 1 ]] && grep -q 'array.jsonl:'$((half + 1))': expected a JSON object' "$j/one.err"; then ok
else bad jobs-lines-array-message "$(head -c 300 "$j/one.err")"; fi
same_as_one jobs-lines-two-inputs /dev/null -m "$m" --jsonl --no-text "$j/many.jsonl" "$j/dup-id.jsonl"
same_as_one jobs-lines-stdin-and-file "$j/many.jsonl" -m "$m" --jsonl --no-text - "$j/bom-blank.jsonl"
if grep -q 'duplicate id "t01-1" (first at <stdin>:1)' "$j/one.err" && [[ $(cat "$j/one.status") == 1 ]]; then ok
else bad jobs-lines-stdin-and-file-dup "$(head -c 300 "$j/one.err")"; fi
# --no-id-check: a repeated id passes, on one thread and on several (same output).
same_as_one jobs-lines-no-id-check /dev/null -m "$m" --jsonl --no-text --no-id-check "$j/dup-id.jsonl" "$j/many.jsonl"
if [[ $(cat "$j/one.status") == 0 && ! -s $j/one.err && $(wc -l <"$j/one.out") == $((2 * 24 * copies + 1)) ]]; then ok
else bad jobs-lines-no-id-check-all "status $(cat "$j/one.status"), $(wc -l <"$j/one.out") records: $(head -c 300 "$j/one.err")"; fi
same_as_one jobs-files-no-id-check /dev/null -m "$m" --no-text --no-id-check data/tag-article.txt data/tag-article.txt
if [[ $(cat "$j/one.status") == 0 ]]; then ok; else bad jobs-files-no-id-check "$(head -c 300 "$j/one.err")"; fi
same_as_one jobs-lines-max-bytes /dev/null -m "$m" --jsonl --no-text --max-article-bytes 300 "$j/many.jsonl"

mkdir -p "$j/dir"
files=$((40 / scale))
for ((k = 1; k <= files; k++)); do
    printf -v name '%s/%03d.txt' "$j/dir" "$k"
    cp data/tag-article.txt "$name"
done
printf -v mid '%03d' $((files / 2))
# A file whose name is not UTF-8 (it cannot be an id in JSON) fails the run before any
# record: the ids are found when the inputs are listed, with -j 2 as with -j 1.
cp data/tag-article.txt "$j/dir/$mid"$'\xff'".txt"
same_as_one jobs-fail-tagging /dev/null -m "$m" --no-text "$j/dir"
if [[ $(cat "$j/one.status") == 1 && ! -s $j/one.out ]] && grep -q 'not valid UTF-8' "$j/one.err"
then ok; else bad jobs-fail-tagging-prefix "status $(cat "$j/one.status"): $(head -c 300 "$j/one.err")"; fi

# A full disk and a reader that goes away, on threads too.
$WRAP "$BIN/stance-tag" -j 2 -m "$m" --jsonl "$j/many.jsonl" >/dev/full 2>"$j/full.err"
got=$?
if [[ $got == 3 ]] && grep -Eq '^stance-tag: <stdout>: .*No space left on device$' "$j/full.err"; then ok
else bad jobs-dev-full "status $got: $(head -c 300 "$j/full.err")"; fi
# The reader must go away before the tagger is done: the input at full size (not run under
# WRAP), so that its output is far larger than a pipe holds.
pipe_in=$j/many.jsonl
if ((scale > 1)); then
    pipe_in=$j/pipe.jsonl
    many_articles 125 >"$pipe_in"
fi
( "$BIN/stance-tag" -j 2 -m "$m" --jsonl "$pipe_in" 2>"$j/pipe.err" | head -1 >/dev/null; echo "${PIPESTATUS[0]}" >"$j/pipe.status" )
if [[ $(cat "$j/pipe.status") == 141 && ! -s $j/pipe.err ]]; then ok
else bad jobs-pipe "status $(cat "$j/pipe.status"): $(head -c 200 "$j/pipe.err")"; fi

# Usage errors.
golden tag-jobs-zero -- stance-tag -j 0 -m "$m" data/tag-article.txt
golden tag-jobs-word -- stance-tag -j x -m "$m" data/tag-article.txt
golden tag-jobs-too-many -- stance-tag --threads 257 -m "$m" data/tag-article.txt
golden tag-jobs-missing -- stance-tag -m "$m" data/tag-article.txt -j
