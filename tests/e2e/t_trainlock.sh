# t_trainlock.sh: two stance-train runs into the same -o (sourced by run.sh). The first reads
# its training passages from a FIFO, so it holds the lock on the bundle until the test writes
# them: the second stops at once (status 75) or, with --wait, waits and then writes its bundle.

cb=data/codebook-project.json
lk=$tmp/lock
mkdir -p "$lk"
mkfifo "$lk/fifo"

# until_in FILE REGEX: waits (30 s at most) until a line of FILE matches REGEX.
until_in() {
    local i
    for ((i = 0; i < 300; i++)); do
        grep -Eq -e "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# until_locked FILE: until a run has taken the lock and named itself in the lock file.
until_locked() { until_in "$1" '^[0-9]+ stance-train$'; }

# feed: the training passages into the FIFO, for the run that reads it (not waiting for ever
# if that run has died).
feed() { timeout 30 sh -c 'cat data/train-small.jsonl >"$1"' sh "$lk/fifo"; }

"$BIN/stance-train" -q --codebook $cb -c 0.5 -o "$lk/m" data/train-small.jsonl 2>/dev/null
cp -r "$lk/m" "$lk/before"
$WRAP "$BIN/stance-train" -q --codebook $cb -o "$lk/m" "$lk/fifo" 2>"$lk/first.err" &
first=$!
if until_locked "$lk/m.lock" && [[ $(cat "$lk/m.lock") == "$first stance-train" ]]; then ok
else bad lock-taken "no lock file naming the run: $(cat "$lk/m.lock" 2>&1)"; fi
expect_in "$lk" lock-busy 75 "^stance-train: $lk/m: locked by another stance-train \\(pid $first\\)\$" \
    -- stance-train -q --codebook $cb -o "$lk/m" data/train-small.jsonl
expect_in "$lk" lock-busy-slash 75 "^stance-train: $lk/m/: locked by another stance-train \\(pid $first\\)\$" \
    -- stance-train -q --codebook $cb -o "$lk/m/" data/train-small.jsonl
expect_in "$lk" lock-wait-runs-out 75 "^stance-train: $lk/m: still locked by another stance-train \\(pid $first\\) after 0.3 s\$" \
    -- stance-train -q --wait=0.3 --codebook $cb -o "$lk/m" data/train-small.jsonl
if diff -r "$lk/m" "$lk/before" >/dev/null; then ok; else bad lock-untouched "the bundle changed while locked"; fi

# With --wait the second run waits for the first, then replaces its bundle whole.
$WRAP "$BIN/stance-train" --wait --codebook $cb --min-df 1 -o "$lk/m" data/train-small.jsonl \
    2>"$lk/second.err" &
second=$!
until_in "$lk/second.err" 'waiting$'
feed
wait $first
got_first=$?
wait $second
got_second=$?
"$BIN/stance-train" -q --codebook $cb --min-df 1 -o "$lk/single" data/train-small.jsonl 2>/dev/null
if [[ $got_first == 0 && $got_second == 0 ]] && diff -r "$lk/m" "$lk/single" >/dev/null &&
    grep -qx "stance-train: $lk/m: locked by another stance-train (pid $first); waiting" "$lk/second.err" &&
    [[ ! -e $lk/m.lock ]]
then ok
else bad lock-wait "status $got_first and $got_second, or the bundle is not the second run's: $(cat "$lk/first.err" "$lk/second.err")"; fi

# A run killed while it holds the lock leaves its lock file, which keeps nobody out.
"$BIN/stance-train" -q --codebook $cb -o "$lk/k" "$lk/fifo" 2>/dev/null &
killed=$!
until_locked "$lk/k.lock"
kill -KILL $killed
wait $killed 2>/dev/null
if [[ -s $lk/k.lock ]]; then ok; else bad lock-left "no lock file left by the killed run"; fi
expect_in "$lk" lock-left-behind 0 "" -- stance-train -q --codebook $cb --min-df 1 -o "$lk/k" data/train-small.jsonl
if diff -r "$lk/k" "$lk/single" >/dev/null && [[ ! -e $lk/k.lock ]]; then ok
else bad lock-left-removed "bundle not written or lock file not removed"; fi

# A lock file that cannot be one is refused, naming it; --wait's value is checked.
mkdir "$lk/d.lock"
expect_in "$lk" lock-file-dir 3 "^stance-train: $lk/d.lock: cannot open the lock file: Is a directory\$" \
    -- stance-train -q --codebook $cb -o "$lk/d" data/train-small.jsonl
[[ ! -e $lk/d ]] && ok || bad lock-file-dir-nothing "a bundle was written"
golden train-wait-bad -- stance-train --wait=soon --codebook $cb -o "$lk/w" data/train-small.jsonl
golden train-wait-negative -- stance-train --wait=-1 --codebook $cb -o "$lk/w" data/train-small.jsonl
golden train-check-wait -- stance-train --check --wait --codebook $cb data/train-small.jsonl
