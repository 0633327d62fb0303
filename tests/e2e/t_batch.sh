# t_batch.sh: stance-tag over many files (sourced by run.sh): -r and --glob on a tree with
# ids that collide in three directories, a symbolic-link loop and a FIFO; a deep tree;
# --files-from with lines and with -0; --keep-going over inputs that cannot be read;
# --progress; a signal while a tree is tagged; every bad option.
bt=$tmp/batch
bm=../models/default
mkdir -p "$bt/c/2000" "$bt/c/2001" "$bt/c/x/2000" "$bt/c/sub"
for d in 2000 2001 x/2000; do cp data/tag-article.txt "$bt/c/$d/a.txt"; done
cp data/tag-optional.txt "$bt/c/b.txt"
cp data/tag-domestic.txt "$bt/c/sub/d.md"
ln -s .. "$bt/c/sub/up"  # a loop, if it were followed
mkfifo "$bt/c/sub/f.txt" # never opened for writing: a walk that waited for it would hang

# batch_ids NAME WANT DIR ARGS...: runs stance-tag in DIR and compares the "doc TAB path" of
# its records (one line per article) with WANT.
batch_ids() {
    local name=$1 want=$2 dir=$3
    shift 3
    (cd "$dir" && EXPECT_TIMEOUT=60 timeout 60 $WRAP "$BIN/stance-tag" -m "$tests/$bm" --no-text "$@") \
        >"$bt/out" 2>"$bt/err"
    local st=$? got
    got=$(jq -r '[.doc, .path] | @tsv' "$bt/out" | uniq)
    if [[ $st == 0 && $got == "$want" ]]; then ok
    else bad "$name" "status $st: $(printf '%s' "$got" | head -c 300) $(head -c 200 "$bt/err")"; fi
}

# The three a.txt get two components... which "x/2000/a" and "2000/a" would share: three.
batch_ids batch-recursive $'c/2000/a\tc/2000/a.txt\nc/2001/a\tc/2001/a.txt\nb\tc/b.txt\nx/2000/a\tc/x/2000/a.txt' "$bt" -r c
if grep -q '^stance-tag: c/sub/up: skipped, a symbolic link to a directory, not followed$' "$bt/err" &&
    grep -q '^stance-tag: c/sub/f.txt: skipped, not a regular file$' "$bt/err"; then ok
else bad batch-recursive-notices "$(head -c 300 "$bt/err")"; fi
# the ids do not depend on the order: the same with -j 2, and naming 2001 before 2000
batch_ids batch-recursive-j2 $'c/2000/a\tc/2000/a.txt\nc/2001/a\tc/2001/a.txt\nb\tc/b.txt\nx/2000/a\tc/x/2000/a.txt' "$bt" -r -j 2 c
batch_ids batch-two-dirs $'2001/a\tc/2001/a.txt\n2000/a\tc/2000/a.txt' "$bt" c/2001 c/2000
batch_ids batch-one-level $'b\tc/b.txt' "$bt" c
batch_ids batch-glob $'d\tc/sub/d.md' "$bt" -r --glob '*.md' c
batch_ids batch-glob-named $'b\tc/b.txt\nd\tc/sub/d.md' "$bt" --glob '*.md' c/b.txt c/sub
# standard input has no path
batch_ids batch-stdin-no-path 'stdin	' "$bt" - <data/tag-article.txt

# A deep tree: 60 levels, found and named by its file name.
deep=$bt/deep
for ((k = 0; k < 60; k++)); do deep=$deep/d; done
mkdir -p "$deep"
cp data/tag-article.txt "$deep/z.txt"
batch_ids batch-deep "z	deep$(printf '/d%.0s' {1..60})/z.txt" "$bt" -r deep

# ---- --files-from ----
printf 'c/b.txt\n\nc/2001/a.txt\nc/2000\n' >"$bt/list"
batch_ids batch-files-from $'b\tc/b.txt\n2001/a\tc/2001/a.txt\n2000/a\tc/2000/a.txt' "$bt" --files-from list
batch_ids batch-files-from-stdin $'b\tc/b.txt\n2001/a\tc/2001/a.txt\n2000/a\tc/2000/a.txt' "$bt" --files-from - <"$bt/list"
cp data/tag-domestic.txt "$bt/new"$'\n'"line.txt"
printf 'c/b.txt\0new\nline.txt\0' >"$bt/list0"
batch_ids batch-files-from-nul $'b\tc/b.txt\nnew\\nline\tnew\\nline.txt' "$bt" -0 --files-from list0
# the arguments first, then the list
batch_ids batch-files-from-args $'a\tc/x/2000/a.txt\nb\tc/b.txt' "$bt" --files-from - c/x/2000/a.txt <<<'c/b.txt'
: >"$bt/empty-list"
expect_in "$bt" batch-files-from-empty 1 '^stance-tag: .*/empty-list: the list names no path$' -- stance-tag -m "$bm" --files-from "$bt/empty-list"
printf 'a\0b\n' >"$bt/nul-in-line"
expect_in "$bt" batch-files-from-nul-byte 1 '^stance-tag: .*/nul-in-line:1: a NUL byte in a path \(for a NUL-separated list, give -0\)$' -- stance-tag -m "$bm" --files-from "$bt/nul-in-line"
printf -- '-\n' >"$bt/dash-list"
expect_in "$bt" batch-files-from-dash 1 "^stance-tag: .*/dash-list:1: '-' \(standard input\) cannot be named in a list of paths$" -- stance-tag -m "$bm" --files-from "$bt/dash-list"
expect_in "$bt" batch-files-from-missing-list 3 '^stance-tag: .*/no-list: cannot open: No such file or directory$' -- stance-tag -m "$bm" --files-from "$bt/no-list"
printf '%s\n' "$bt/c/b.txt" "$bt/gone.txt" "$bt/c/2000/a.txt" >"$bt/list-missing"
expect_in "$bt" batch-files-from-missing-file 3 '^stance-tag: .*/gone.txt: cannot open: No such file or directory$' -- stance-tag -m "$bm" --no-text --files-from "$bt/list-missing"
if [[ $(jq -r .doc "$bt/out" | uniq) == b ]]; then ok; else bad batch-files-from-missing-file-prefix "$(head -c 200 "$bt/out")"; fi
expect_in "$bt" batch-files-from-missing-keep-going 4 '^stance-tag: .*/gone.txt: cannot open: No such file or directory$' -- stance-tag -m "$bm" --no-text --keep-going --files-from "$bt/list-missing"
if [[ $(jq -r .doc "$bt/out" | uniq | tr '\n' ' ') == 'b a ' ]] && [[ $(tail -1 "$bt/err") == 'stance-tag: 2 articles tagged, 1 input skipped' ]]; then ok
else bad batch-files-from-missing-keep-going-rest "$(head -c 200 "$bt/out") $(tail -1 "$bt/err")"; fi

# ---- --keep-going over a tree: a dangling link, a file over the limit, bad UTF-8 ----
mkdir -p "$bt/k/sub"
cp data/tag-article.txt "$bt/k/1.txt"
ln -s "$bt/nowhere.txt" "$bt/k/2.txt"
head -c 5000 /dev/zero | tr '\0' 'x' >"$bt/k/3.txt"
printf 'caf\xe9\n' >"$bt/k/sub/4.txt"
cp data/tag-optional.txt "$bt/k/sub/5.txt"
expect_in "$bt" batch-keep-going 4 '' -- stance-tag -m "$bm" --no-text -r --keep-going --max-article-bytes 4000 "$bt/k"
if [[ $(jq -r .doc "$bt/out" | uniq | tr '\n' ' ') == '1 5 ' ]] &&
    grep -q '^stance-tag: .*/k/2.txt: cannot open: No such file or directory$' "$bt/err" &&
    grep -q '^stance-tag: .*/k/3.txt: .*larger than the limit of 4000 bytes' "$bt/err" &&
    grep -q '^stance-tag: .*/k/sub/4.txt:1: invalid UTF-8 at byte 3' "$bt/err" &&
    [[ $(tail -1 "$bt/err") == 'stance-tag: 2 articles tagged, 3 inputs skipped' ]]; then ok
else bad batch-keep-going-what "$(jq -r .doc "$bt/out" | uniq | tr '\n' ' ') $(head -c 600 "$bt/err")"; fi
cp "$bt/out" "$bt/keep1.out"
expect_in "$bt" batch-keep-going-j2 4 'inputs skipped' -- stance-tag -m "$bm" --no-text -r -j 2 --keep-going --max-article-bytes 4000 "$bt/k"
if cmp -s "$bt/out" "$bt/keep1.out"; then ok; else bad batch-keep-going-j2-same "the records differ from -j 1"; fi
# without it, the first stops the run (after 1.txt's records), as before
expect_in "$bt" batch-keep-going-off 3 '^stance-tag: .*/k/2.txt: cannot open: No such file or directory$' -- stance-tag -m "$bm" --no-text -r --max-article-bytes 4000 "$bt/k"
# nothing skipped: status 0, and the summary
expect_in "$bt" batch-keep-going-clean 0 '^stance-tag: 3 articles tagged, 0 inputs skipped$' -- stance-tag -m "$bm" --no-text --keep-going "$bt/c/2000" "$bt/c/2001" "$bt/c/b.txt"
# a directory that cannot be listed is skipped too; one without matching files still is an error
mkdir -p "$bt/none"
expect_in "$bt" batch-keep-going-empty-dir 4 '^stance-tag: .*/none: directory has no .txt files$' -- stance-tag -m "$bm" --no-text --keep-going "$bt/none" "$bt/c/b.txt"
# JSON Lines on several threads (lines parsed by the workers): the same summary as on one
for jobs in 1 2; do
    expect_in "$bt" batch-keep-going-jsonl-j$jobs 4 '^stance-tag: 2 articles tagged, 1 input skipped$' -- stance-tag -m "$bm" --no-text --keep-going --jsonl -j $jobs data/articles.jsonl "$bt/gone.jsonl"
done
expect_in "$bt" batch-empty-dir 1 '^stance-tag: .*/none: directory has no .txt files, subdirectories included$' -- stance-tag -m "$bm" -r "$bt/none"
expect_in "$bt" batch-glob-no-match 1 "^stance-tag: .*/c: directory has no files matching '\\*.none'$" -- stance-tag -m "$bm" --glob '*.none' "$bt/c"
# a JSON Lines line that is bad stays fatal, the lines before it tagged
printf '{"id":"a","text":"Kosovo."}\n{"id":\n{"id":"c","text":"NATO."}\n' >"$bt/bad.jsonl"
expect_in "$bt" batch-keep-going-jsonl-line 1 '^stance-tag: .*/bad.jsonl:2: ' -- stance-tag -m "$bm" --no-text --keep-going --jsonl "$bt/bad.jsonl"
if [[ $(wc -l <"$bt/out") == 1 ]]; then ok; else bad batch-keep-going-jsonl-line-prefix "$(wc -l <"$bt/out") records"; fi

# ---- --progress ----
expect_in "$bt" batch-progress-always 0 '^stance-tag: 3 articles, 0\.0 MB of 0\.0 MB, [0-9.]+ MB/s' -- stance-tag -m "$bm" --no-text --progress=always "$bt/c/2000" "$bt/c/2001" "$bt/c/b.txt"
expect_in "$bt" batch-progress-stdin 0 '^stance-tag: 1 articles, 0\.0 MB, [0-9.]+ MB/s$' data/tag-article.txt -- stance-tag -m "$bm" --no-text --progress=always
expect_in "$bt" batch-progress-not-tty 0 '' -- stance-tag -m "$bm" --no-text --progress "$bt/c/b.txt"
expect_in "$bt" batch-progress-never 0 '' -- stance-tag -m "$bm" --no-text --progress=never "$bt/c/b.txt"
# ---- a signal while a tree is tagged: whole records, death by the signal ----
mkdir -p "$bt/many"
bt_text=$(<data/tag-article.txt)
for ((k = 0; k < 5000; k++)); do printf '%s\n' "$bt_text" >"$bt/many/$k.txt"; done
# pty_tag ARGS...: stance-tag -m $bm ARGS with its standard error on a pseudo-terminal; prints
# what the terminal got (Python's repr) and returns stance-tag's status.
pty_tag() {
    python3 - "$BIN/stance-tag" -m "$tests/$bm" "$@" <<'EOF'
import os, subprocess, sys
master, slave = os.openpty()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
seen = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
sys.stdout.write(repr(seen) + "\n")
sys.exit(p.returncode)
EOF
}
# On a terminal (a pseudo-terminal here): the line is redrawn in place and cleared at the end.
pty_tag --no-text --progress -r "$bt/many" >"$bt/pty" 2>&1
if [[ $? == 0 ]] && grep -Eq '\\rstance-tag: [0-9]+ articles, [0-9.]+ MB of [0-9.]+ MB, [0-9.]+ MB/s, [0-9]+ s left\\x1b\[K' "$bt/pty" &&
    grep -q "\\\\r\\\\x1b\[K'" "$bt/pty"; then ok
else bad batch-progress-tty "$(head -c 300 "$bt/pty")"; fi
# A directory entry skipped once the line is drawn: the line is cleared before the notice.
mkdir -p "$bt/fifo-dir"
mkfifo "$bt/fifo-dir/x.txt"
cp data/tag-article.txt "$bt/fifo-dir/y.txt"
pty_tag --no-text --progress "$bt/c/b.txt" "$bt/fifo-dir" >"$bt/pty" 2>&1
if [[ $? == 0 ]] &&
    grep -Eq '\\x1b\[K\\r\\x1b\[Kstance-tag: [^ ]*/fifo-dir/x\.txt: skipped, not a regular file\\r\\n' "$bt/pty"
then ok
else bad batch-progress-tty-skipped "$(head -c 300 "$bt/pty")"; fi

for jobs in 1 2; do
    for sig in INT TERM; do
        rm -f "$bt/sig.out" # (output appears once env has started the program: no shell left to
        env --default-signal=INT,TERM $WRAP "$BIN/stance-tag" -j $jobs -m "$bm" -r --keep-going "$bt/many" >"$bt/sig.out" 2>"$bt/sig.err" &
        pid=$!                # catch the signal and run the shell's exit trap)
        w=0
        while [[ ! -s $bt/sig.out && $w -lt 600 ]]; do sleep 0.1; w=$((w + 1)); done
        kill -s $sig $pid
        wait $pid
        st=$?
        if [[ $st == $((128 + $(kill -l $sig))) ]] && tail -1 "$bt/sig.out" | jq -e .doc >/dev/null 2>&1 &&
            ! grep -q 'tagged' "$bt/sig.err"; then ok
        else bad "batch-signal-$sig-j$jobs" "status $st, $(wc -l <"$bt/sig.out") records: $(tail -c 100 "$bt/sig.out") $(head -c 200 "$bt/sig.err")"; fi
    done
done

# ---- bad options ----
expect_in "$bt" batch-glob-slash 2 "^stance-tag: --glob matches base names: a pattern without '/', not 'a/\\*.txt'$" -- stance-tag -m "$bm" --glob 'a/*.txt' "$bt/c"
expect_in "$bt" batch-glob-empty 2 "^stance-tag: --glob matches base names" -- stance-tag -m "$bm" --glob '' "$bt/c"
expect_in "$bt" batch-null-alone 2 '^stance-tag: -0 is for --files-from' -- stance-tag -m "$bm" -0 "$bt/c"
expect_in "$bt" batch-files-from-and-dash 2 "^stance-tag: standard input cannot be both" -- stance-tag -m "$bm" --files-from - -
expect_in "$bt" batch-progress-bad 2 "^stance-tag: --progress is auto, always or never, not 'sometimes'$" -- stance-tag -m "$bm" --progress=sometimes "$bt/c"
