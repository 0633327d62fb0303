# t_shard.sh: stance-tag --shard I/N and -o FILE with its manifest (sourced by run.sh). The
# outputs of shards 1..N merged by stance-merge are byte for byte one unsharded run's output,
# manifest included, for the example articles and for JSON Lines input with articles that
# write no records, on one thread and on several; bad shard specs are usage errors.
s=$tmp/shard
mkdir -p "$s"
m=../models/default

# JSON Lines articles: the example articles cut to many lengths, every fifth one empty (no
# passage, no record); under valgrind fewer.
count=41
[[ -n $WRAP ]] && count=13
for ((i = 0; i < count; i++)); do
    text=''
    if ((i % 5 != 2)); then
        f=(../examples/*.txt)
        text=$(head -c $((150 + 53 * i)) "${f[i % 4]}" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk '{printf "%s\\n", $0}')
    fi
    printf '{"id": "art-%03d", "text": "%s", "n": %d}\n' "$i" "$text" "$i"
done >"$s/in.jsonl"

# merged_equals NAME N ARGS...: shards 1..N of stance-tag ARGS, merged, against one run.
merged_equals() {
    local name=$1 n=$2 i parts=()
    shift 2
    rm -f "$s"/part-* "$s"/one.jsonl* "$s"/all.jsonl*
    "$BIN/stance-tag" -m "$m" -o "$s/one.jsonl" "$@" 2>"$s/err" || { bad "$name" "one run: $(cat "$s/err")"; return; }
    for ((i = 1; i <= n; i++)); do
        $WRAP "$BIN/stance-tag" -m "$m" --shard "$i/$n" -o "$s/part-$i.jsonl" "$@" 2>"$s/err" ||
            { bad "$name" "shard $i/$n: $(cat "$s/err")"; return; }
        parts+=("$s/part-$i.jsonl")
    done
    if ! $WRAP "$BIN/stance-merge" -o "$s/all.jsonl" "${parts[@]}" 2>"$s/err"; then
        bad "$name" "merge: $(cat "$s/err")"
    elif ! cmp -s "$s/one.jsonl" "$s/all.jsonl"; then
        bad "$name" "merged output differs from one run"
    elif ! cmp -s "$s/one.jsonl.manifest.json" "$s/all.jsonl.manifest.json"; then
        bad "$name" "merged manifest differs from one run's"
    else
        ok
    fi
}

merged_equals shard-examples-3 3 ../examples
merged_equals shard-examples-1 1 ../examples
merged_equals shard-examples-more-than-articles 7 ../examples
merged_equals shard-examples-article 2 --unit article --no-text ../examples
merged_equals shard-jsonl-4 4 --jsonl "$s/in.jsonl"
merged_equals shard-jsonl-4-threads 4 --jsonl -j 3 "$s/in.jsonl"
merged_equals shard-jsonl-document 3 --jsonl --unit document "$s/in.jsonl"
merged_equals shard-jsonl-two-files 5 --jsonl "$s/in.jsonl" data/articles.jsonl

# The rule: the article at 0-based position k is shard (k mod N) + 1's; its records only.
"$BIN/stance-tag" -m "$m" --jsonl --no-text --shard 2/5 "$s/in.jsonl" >"$s/out" 2>"$s/err"
want=$(for ((i = 1; i < count; i += 5)); do ((i % 5 != 2)) && printf 'art-%03d\n' "$i"; done)
got=$(sed 's/^{"doc":"\([^"]*\)".*/\1/' "$s/out" | uniq)
if [[ $got == "$want" ]]; then ok; else bad shard-rule "docs of shard 2/5: $(echo $got)"; fi

# The manifest: fields and counts (empty articles of shard 3/5: positions 2, 7, 12...).
"$BIN/stance-tag" -m "$m" --jsonl --shard 3/5 -o "$s/p3.jsonl" "$s/in.jsonl" 2>"$s/err"
man=$(cat "$s/p3.jsonl.manifest.json")
sha=$(sha256sum "$s/p3.jsonl" | cut -c1-64)
msha=$(sha256sum "$m/manifest.json" | cut -c1-64)
lines=$(wc -l <"$s/p3.jsonl")
bytes=$(wc -c <"$s/p3.jsonl")
if [[ $man == *'"shard":{"index":3,"count":5}'* && $man == *"\"articles\":$count,"* &&
      $man == *"\"records\":$lines,"* && $man == *"\"bytes\":$bytes,"* &&
      $man == *"\"sha256\":\"$sha\""* && $man == *"\"model_sha256\":\"$msha\""* &&
      $man == *'"empty":[2,7,'* && $man == *'"stance":"'* &&
      $man == *'"options":"--unit passage --article-rule any --format jsonl --jsonl --encoding utf-8 --max-article-bytes 67108864"'* ]]; then
    ok
else
    bad shard-manifest "$man"
fi

# --shard slurm: I = ID - MIN + 1, N = MAX - MIN + 1 (or COUNT); ids need not start at 0 or 1.
SLURM_ARRAY_TASK_ID=12 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_MAX=14 SLURM_ARRAY_TASK_COUNT=5 \
    SLURM_ARRAY_TASK_STEP=1 "$BIN/stance-tag" -m "$m" --jsonl --shard slurm -o "$s/slurm.jsonl" "$s/in.jsonl" 2>"$s/err"
if cmp -s "$s/slurm.jsonl" "$s/p3.jsonl" && cmp -s "$s/slurm.jsonl.manifest.json" "$s/p3.jsonl.manifest.json"; then
    ok
else
    bad shard-slurm "task 12 of 10..14 is not shard 3/5: $(cat "$s/err")"
fi
SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=5 \
    "$BIN/stance-tag" -m "$m" --jsonl --shard slurm -o "$s/slurm.jsonl" "$s/in.jsonl" 2>"$s/err"
if grep -q '"shard":{"index":1,"count":5}' "$s/slurm.jsonl.manifest.json"; then ok; else bad shard-slurm-count "$(cat "$s/err")"; fi

# Bad specs: usage errors (status 2), nothing written.
for spec in 0/3 4/3 3 /3 3/ 1/0 -1/3 a/3 1/b 1.5/3 "1 /3" 1/3x 1/1000001 ""; do
    expect_in "$s" "shard-bad-spec-$spec" 2 "^stance-tag: --shard is I/N" -- \
        stance-tag -m "$m" --shard "$spec" -o "$s/bad.jsonl" ../examples
done
[[ -e $s/bad.jsonl ]] && bad shard-bad-spec-written "$s/bad.jsonl" || ok
expect_in "$s" shard-format-csv 2 "^stance-tag: --shard is for JSON Lines output" -- \
    stance-tag -m "$m" --shard 1/2 --format csv ../examples
expect_in "$s" shard-missing-arg 2 "missing argument for option '--shard'" -- stance-tag -m "$m" --shard

# slurm_bad NAME REGEX VAR=VALUE...: --shard slurm with only these variables set.
slurm_bad() {
    local name=$1 re=$2
    shift 2
    env -u SLURM_ARRAY_TASK_ID -u SLURM_ARRAY_TASK_MIN -u SLURM_ARRAY_TASK_MAX \
        -u SLURM_ARRAY_TASK_COUNT -u SLURM_ARRAY_TASK_STEP "$@" \
        "$BIN/stance-tag" -m "$m" --shard slurm ../examples >"$s/out" 2>"$s/err"
    expect_result "$name" 2 "$re" "$s/err" $?
}
slurm_bad shard-slurm-no-id 'SLURM_ARRAY_TASK_ID is not set' SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3
slurm_bad shard-slurm-no-min 'SLURM_ARRAY_TASK_MIN is not set' SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MAX=3
slurm_bad shard-slurm-no-max 'SLURM_ARRAY_TASK_MAX is not set' SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0
slurm_bad shard-slurm-not-number 'SLURM_ARRAY_TASK_ID is not a number' SLURM_ARRAY_TASK_ID=x SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3
slurm_bad shard-slurm-step 'SLURM_ARRAY_TASK_STEP is 2' SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_STEP=2
slurm_bad shard-slurm-count-mismatch 'SLURM_ARRAY_TASK_COUNT is 3 but' SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=5 SLURM_ARRAY_TASK_COUNT=3
slurm_bad shard-slurm-max-below-min 'SLURM_ARRAY_TASK_MAX \(1\) is below' SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_MAX=1
slurm_bad shard-slurm-id-out 'SLURM_ARRAY_TASK_ID 9 is not one of 4' SLURM_ARRAY_TASK_ID=9 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3

# -o: into a directory that does not exist (nothing run); onto a directory; an existing file
# is left as it was when the run fails, and replaced when it succeeds.
expect_in "$s" tag-o-no-dir 3 "^stance-tag: $s/nodir/out.jsonl: cannot create" -- \
    stance-tag -m "$m" -o "$s/nodir/out.jsonl" ../examples
expect_in "$s" tag-o-directory 3 "is a directory" -- stance-tag -m "$m" -o "$s" ../examples
echo 'precious' >"$s/keep.jsonl"
expect_in "$s" tag-o-failed-run 1 "" -- stance-tag -m "$m" --jsonl -o "$s/keep.jsonl" data/bad-json.jsonl
if [[ $(cat "$s/keep.jsonl") == precious && ! -e $s/keep.jsonl.manifest.json ]] &&
   ! ls "$s"/keep.jsonl.tmp.* >/dev/null 2>&1; then ok; else bad tag-o-kept "the file was changed or a temporary left"; fi
[[ -s $s/out ]] && bad tag-o-stdout "records on stdout with -o" || ok
expect_in "$s" tag-o-replaces 0 "" -- stance-tag -m "$m" -o "$s/keep.jsonl" ../examples
"$BIN/stance-tag" -m "$m" ../examples >"$s/stdout.jsonl"
if cmp -s "$s/keep.jsonl" "$s/stdout.jsonl"; then ok; else bad tag-o-replaced "-o FILE is not what standard output gets"; fi
# csv: the output and a manifest with records null.
expect_in "$s" tag-o-csv 0 "" -- stance-tag -m "$m" --format csv -o "$s/t.csv" ../examples
if grep -q '"output":"csv"' "$s/t.csv.manifest.json" && grep -q '"records":null' "$s/t.csv.manifest.json"; then ok; else bad tag-o-csv-manifest "$(cat "$s/t.csv.manifest.json")"; fi

# A signal: no output and no manifest, the old file untouched, the exit by the signal.
echo 'precious' >"$s/sig.jsonl"
mkfifo "$s/fifo"
( sleep 1; exec 3>"$s/fifo"; sleep 2 ) &
feeder=$!
"$BIN/stance-tag" -m "$m" --jsonl -o "$s/sig.jsonl" "$s/fifo" 2>"$s/err" &
tagger=$!
sleep 0.5
kill -TERM $tagger
wait $tagger
st=$?
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
if [[ $st == 143 && $(cat "$s/sig.jsonl") == precious && ! -e $s/sig.jsonl.manifest.json ]] &&
   ! ls "$s"/sig.jsonl.tmp.* >/dev/null 2>&1; then ok; else bad tag-o-signal "status $st, $(cat "$s/err")"; fi

# --keep-going: a skipped input takes no position. Shards that skipped the same input merge
# into the unsharded run's output; shards that skipped different inputs are refused.
mkdir -p "$s/kg"
for k in 1 2 3; do cp data/tag-article.txt "$s/kg/$k.txt"; done
kg_tag() { # SPEC OUT: tags 1.txt 2.txt 3.txt with --keep-going into OUT
    "$BIN/stance-tag" -m "$m" --keep-going ${1:+--shard $1} -o "$2" "$s/kg/1.txt" "$s/kg/2.txt" "$s/kg/3.txt" 2>/dev/null
}
mv "$s/kg/2.txt" "$s/kg/gone.txt"
kg_tag "" "$s/kg-whole.jsonl"
kg_tag 1/2 "$s/kg-p1.jsonl"
kg_tag 2/2 "$s/kg-p2.jsonl"
expect_in "$s" shard-keep-going-same 0 '' -- stance-merge -o "$s/kg-all.jsonl" "$s/kg-p1.jsonl" "$s/kg-p2.jsonl"
if cmp -s "$s/kg-all.jsonl" "$s/kg-whole.jsonl" &&
    cmp -s "$s/kg-all.jsonl.manifest.json" "$s/kg-whole.jsonl.manifest.json" &&
    [[ $(jq .skipped "$s/kg-whole.jsonl.manifest.json") == 0 ]]; then ok
else bad shard-keep-going-same-output "the merge differs from the unsharded run"; fi
mv "$s/kg/gone.txt" "$s/kg/2.txt" # shard 2 now reads it
kg_tag 2/2 "$s/kg-p2.jsonl"
expect_in "$s" shard-keep-going-other 1 'kg-p2\.jsonl: made with other input articles than ' -- stance-merge -o "$s/kg-other.jsonl" "$s/kg-p1.jsonl" "$s/kg-p2.jsonl"
