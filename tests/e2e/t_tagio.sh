# t_tagio.sh: article input and record output of stance-tag and stance-tokenize, and the join
# in stance-eval (sourced by run.sh): FIFOs in directories and endless articles, the article
# size limit, output that grows with the text and not with passages times fields, whole records
# when a signal stops stance-tag, articles with nothing to label, control characters in names
# and labels, and tag output scored against its own training file.
# Under valgrind (WRAP set) the generated inputs are smaller; memory is not measured there nor
# in the sanitizer build.
ti=$tmp/tagio
mkdir -p "$ti"
ti_scale=1
[[ -n $WRAP ]] && ti_scale=10
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$ti/model" data/train-small.jsonl 2>/dev/null
ti_m=$ti/model

# tagio_expect NAME STATUS STDERR-REGEX [stdin-file] -- PROG ARGS...: runs PROG under a time
# limit (a hang fails instead of blocking the suite), checks its status and that stderr
# matches (an empty regex: stderr empty). Output in $ti/out, stderr in $ti/err.
tagio_expect() { EXPECT_TIMEOUT=120 expect_in "$ti" "$@"; }

# tagio_lines_parse NAME FILE: FILE is empty or whole JSON lines (its last byte a newline).
tagio_lines_parse() {
    if [[ -s $2 && $(tail -c 1 "$2" | od -An -tx1 | tr -d ' ') != 0a ]]; then
        bad "$1" "output ends mid-record: $(tail -c 80 "$2")"
    elif ! python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' <"$2" 2>"$ti/parse.err"; then
        bad "$1" "a line is not JSON: $(tail -1 "$ti/parse.err")"
    else
        ok
    fi
}

# tagio_quiet FILE: stderr of a run that a signal ended says nothing. Under valgrind, which
# cannot free glibc's cache of thread stacks when a signal ends the program, "possibly lost"
# records may remain, but no error and no definite leak.
tagio_quiet() {
    [[ ! -s $1 ]] && return 0
    [[ -n $WRAP ]] && ! grep -qv '^==[0-9]*==' "$1" &&
        ! grep -Eq 'definitely lost|indirectly lost|Invalid|uninitialised|ERROR SUMMARY: [1-9]' "$1"
}

# ---- A directory's FIFO, device or subdirectory named *.txt is skipped, with a notice ----
mkdir -p "$ti/dir"
cp data/tag-article.txt "$ti/dir/a.txt"
mkfifo "$ti/dir/b.txt"
mkdir "$ti/dir/c.txt"
ln -s /dev/zero "$ti/dir/d.txt"
ti_skips='skipped, not a regular file'
for prog in stance-tag stance-tokenize; do
    args=()
    [[ $prog == stance-tag ]] && args=(-m "$ti_m" --no-text)
    tagio_expect "tagio-dir-fifo-$prog" 0 "^$prog: .*/dir/b.txt: $ti_skips$" -- $prog "${args[@]}" "$ti/dir"
    if [[ $(grep -c "$ti_skips" "$ti/err") == 3 ]] && grep -q "/dir/c.txt: $ti_skips" "$ti/err" &&
        grep -q "/dir/d.txt: $ti_skips" "$ti/err" && [[ $(grep -c '"doc":"a"' "$ti/out") -gt 3 ]]; then ok
    else bad "tagio-dir-fifo-$prog-output" "$(wc -l <"$ti/out") records: $(head -c 300 "$ti/err")"; fi
done
# Only such entries: nothing to read is an error, as an empty directory is.
mkdir "$ti/fifos" && mkfifo "$ti/fifos/x.txt"
tagio_expect tagio-dir-only-fifo 1 'fifos: directory has no \.txt files that are regular files$' -- stance-tokenize "$ti/fifos"

# ---- An endless article is refused at the limit (64 MiB by default), naming it ----
if [[ -z $WRAP ]]; then
    tagio_expect tagio-dev-zero-tag 1 '^stance-tag: /dev/zero: article larger than the limit of 67108864 bytes \(--max-article-bytes raises it\)$' -- stance-tag -m "$ti_m" /dev/zero
    tagio_expect tagio-dev-zero-tokenize 1 '^stance-tokenize: /dev/zero: article larger than the limit of 67108864 bytes' -- stance-tokenize /dev/zero
fi
tagio_expect tagio-dev-zero-limit 1 '^stance-tag: /dev/zero: article larger than the limit of 100000 bytes' -- stance-tag -m "$ti_m" --max-article-bytes 100000 /dev/zero
tagio_expect tagio-dev-zero-stdin 1 '^stance-tokenize: <stdin>: article larger than the limit of 4096 bytes' /dev/zero -- stance-tokenize --max-article-bytes 4096
tagio_expect tagio-dev-zero-jobs 1 '^stance-tag: /dev/zero: article larger' -- stance-tag -j 2 -m "$ti_m" --max-article-bytes 100000 /dev/zero
# The limit itself, on a file, on standard input and on a JSON Lines "text".
head -c 1000 /dev/zero | tr '\0' 'a' >"$ti/k1.txt"
tagio_expect tagio-limit-equal 0 '' -- stance-tokenize --max-article-bytes 1000 "$ti/k1.txt"
tagio_expect tagio-limit-over 1 'k1.txt: article larger than the limit of 999 bytes' -- stance-tokenize --max-article-bytes 999 "$ti/k1.txt"
tagio_expect tagio-limit-pipe 1 '<stdin>: article larger than the limit of 999 bytes' "$ti/k1.txt" -- stance-tag -m "$ti_m" --max-article-bytes 999
{ echo '{"id":"s","text":"short"}'; printf '{"id":"l","text":"%s"}\n' "$(cat "$ti/k1.txt")"; } >"$ti/k1.jsonl"
tagio_expect tagio-limit-jsonl 1 'k1.jsonl:2: "text" is larger than the limit of 999 bytes for an article' -- stance-tag -m "$ti_m" --jsonl --max-article-bytes 999 "$ti/k1.jsonl"
if [[ $(wc -l <"$ti/out") == 1 ]]; then ok; else bad tagio-limit-jsonl-before "the article before the long one is not written"; fi
tagio_expect tagio-limit-zero 2 "^stance-tag: --max-article-bytes needs a positive number of bytes, not '0'$" -- stance-tag -m "$ti_m" --max-article-bytes 0 data/tag-article.txt
tagio_expect tagio-limit-word 2 "^stance-tokenize: --max-article-bytes needs a positive number of bytes, not 'lots'$" -- stance-tokenize --max-article-bytes lots data/tag-article.txt
# A FIFO named on the command line is read as a stream, as standard input is.
mkfifo "$ti/named.fifo"
timeout 120 cat data/tag-article.txt >"$ti/named.fifo" &
tagio_expect tagio-named-fifo 0 '' -- stance-tokenize "$ti/named.fifo"
wait $!
if [[ $("$BIN/stance-tokenize" <data/tag-article.txt | sed 's/"doc":"stdin"/"doc":"named"/' | cmp - "$ti/out" && echo same) == same ]]
then ok; else bad tagio-named-fifo-output "records differ from those of the same text on standard input"; fi

# ---- 5,000 tiny passages and a 100 KB extra field: the field is on the first record only ----
python3 -c 'import json
text = "\n\n".join("Talk %d." % i for i in range(5000 // '$ti_scale'))
print(json.dumps({"id": "wide", "text": text, "note": "x" * 100000}))' >"$ti/wide.jsonl"
ti_in=$(wc -c <"$ti/wide.jsonl")
for run in "stance-tag -m $ti_m --jsonl" "stance-tag -j 2 -m $ti_m --jsonl" "stance-tokenize --jsonl"; do
    read -r -a args <<<"$run"
    prog=${args[0]}
    args=("${args[@]:1}")
    if [[ -z $WRAP && $BIN != *build-san* && -x /usr/bin/time ]]; then # sanitizers take memory
        timeout 120 /usr/bin/time -f '%M' -o "$ti/rss" "$BIN/$prog" "${args[@]}" "$ti/wide.jsonl" >"$ti/out" 2>"$ti/err"
        st=$?
    else
        timeout 120 $WRAP "$BIN/$prog" "${args[@]}" "$ti/wide.jsonl" >"$ti/out" 2>"$ti/err"
        st=$?
        echo 0 >"$ti/rss"
    fi
    size=$(wc -c <"$ti/out")
    rss=$(tail -1 "$ti/rss")
    # Bounds: output at most 8x the input (the passages' own fields), peak memory under 60 MB
    # (it was 500 MB of output and 494 MB of memory when the field went on every passage).
    if [[ $st == 0 && $size -le $((8 * ti_in)) && $rss -lt 60000 ]]; then ok
    else bad "tagio-amplification: $run" "status $st, $size bytes out of $ti_in in, peak $rss KB"; fi
    if [[ $(grep -c '"note":' "$ti/out") == 1 ]] && head -1 "$ti/out" | grep -q '"id":"wide","note":"xxx' &&
        [[ $(grep -c '"id":"wide"' "$ti/out") == $((5000 / ti_scale)) ]]; then ok
    else bad "tagio-extra-first: $run" "the field is not on the first record only, or a record lacks the id"; fi
done

# ---- SIGTERM, SIGINT, SIGHUP during stance-tag: whole records, then death by the signal ----
# (env resets the signals a non-interactive shell ignores in background jobs)
ti_n=$((200000 / ti_scale))
awk -v n=$ti_n 'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":\"r%d\",\"text\":\"Moscow warned NATO about Kosovo and the ABM treaty, talk %d.\"}\n", i, i }' >"$ti/many.jsonl"
for jobs in 1 2; do
    for sig in TERM INT HUP; do
        rm -f "$ti/sig.out" # the last run's: records in it are not this run's
        env --default-signal=INT,TERM,HUP $WRAP "$BIN/stance-tag" -j $jobs -m "$ti_m" --jsonl "$ti/many.jsonl" >"$ti/sig.out" 2>"$ti/sig.err" &
        pid=$!
        # once the first records are out (stance-tag runs and tags), not after a fixed time,
        # which a fast run outlasts (10 s at most: then during the model load, as under valgrind)
        for _ in {1..200}; do [[ -s $ti/sig.out ]] && break; sleep 0.05; done
        kill -s $sig $pid
        wait $pid 2>/dev/null # (no "Hangup" notice from the shell)
        st=$?
        want=$((128 + $(kill -l $sig)))
        if [[ $st == "$want" && $(wc -l <"$ti/sig.out") -lt $ti_n ]] && tagio_quiet "$ti/sig.err"; then ok
        else bad "tagio-signal-$sig-j$jobs" "status $st (expected $want), $(wc -l <"$ti/sig.out") records: $(head -c 200 "$ti/sig.err")"; fi
        tagio_lines_parse "tagio-signal-$sig-j$jobs-whole" "$ti/sig.out"
    done
done
# A signal while waiting for input: the articles read so far are tagged and written, at once.
mkfifo "$ti/wait.fifo"
for jobs in 1 2; do
    env --default-signal=TERM $WRAP "$BIN/stance-tag" -j $jobs -m "$ti_m" --jsonl --no-text - \
        <"$ti/wait.fifo" >"$ti/wait.out" 2>"$ti/wait.err" &
    pid=$!
    exec 7>"$ti/wait.fifo"
    head -3 "$ti/many.jsonl" >&7
    sleep $((ti_scale == 1 ? 2 : 10)) # model loading is slow under valgrind
    kill -s TERM $pid
    wait $pid
    st=$?
    exec 7>&-
    if [[ $st == 143 && $(wc -l <"$ti/wait.out") == 3 ]] && tagio_quiet "$ti/wait.err"; then ok
    else bad "tagio-signal-waiting-j$jobs" "status $st, $(wc -l <"$ti/wait.out") records (3 expected)"; fi
done

# ---- Nothing to label: no passage record for an empty article, no labels in its article record ----
: >"$ti/empty.txt"
printf 'Publication: Monitor Volume: 5 Issue: 154\n' >"$ti/meta-only.txt"
golden tagio-nothing-to-label-article -- stance-tag -m "$ti_m" --unit document "$ti/empty.txt" "$ti/meta-only.txt"
golden tagio-nothing-to-label-passage -- stance-tag -m "$ti_m" "$ti/empty.txt" "$ti/meta-only.txt"

# ---- Control characters in file names and labels are escaped in messages and the table ----
ti_name=$'esc\e[31mred\nline.txt'
printf 'bad\0byte\n' >"$ti/$ti_name"
tagio_expect tagio-escape-file-name 1 '^stance-tag: .*/esc\\x1b\[31mred\\x0aline\.txt:1: NUL byte at byte 3$' -- stance-tag -m "$ti_m" "$ti/$ti_name"
tagio_expect tagio-escape-file-name-tokenize 1 '^stance-tokenize: .*/esc\\x1b\[31mred\\x0aline\.txt:1: NUL byte' -- stance-tokenize "$ti/$ti_name"
mkdir "$ti/escdir" && cp data/tag-article.txt "$ti/escdir/a.txt" && mkfifo "$ti/escdir/"$'\e]0;title\a.txt'
tagio_expect tagio-escape-skipped 0 '^stance-tokenize: .*/escdir/\\x1b\]0;title\\x07\.txt: skipped, not a regular file$' -- stance-tokenize "$ti/escdir"
tagio_expect tagio-escape-option 2 "^stance-tag: unknown option '--\\\\x1b\\[2Jclear'$" -- stance-tag $'--\e[2Jclear'
# Control characters in a codebook's names and labels are refused when it is loaded (so eval's
# table never shows them); a value read from a record is escaped in the message.
printf '%s\n' '{"name":"esc","dimensions":[{"name":"tone","kind":"single","values":[{"label":"calm\u001b[2J"},{"label":"hot"}]}]}' >"$ti/esc-codebook.json"
tagio_expect tagio-escape-eval-codebook 1 '^stance-eval: .*esc-codebook.json: dimension 1 \("tone"\), value 1: "label" holds a control character$' -- stance-eval --codebook "$ti/esc-codebook.json" --gold data/eval-gold.jsonl data/eval-gold.jsonl
printf '%s\n' '{"name":"esc","dimensions":[{"name":"tone","kind":"single","values":[{"label":"calm"},{"label":"hot"}]}]}' >"$ti/esc-codebook.json"
printf '%s\n' '{"id":"1","tone":"calm"}' '{"id":"2","tone":"hot"}' >"$ti/esc-gold.jsonl"
printf '%s\n' '{"id":"1","tone":"w\u001bhat\u009b1m"}' >"$ti/esc-pred.jsonl"
tagio_expect tagio-escape-eval-message 1 '^stance-eval: .*esc-pred.jsonl:1: unknown value "w\\x1bhat\\xc2\\x9b1m" for dimension "tone"$' -- stance-eval --codebook "$ti/esc-codebook.json" --gold "$ti/esc-gold.jsonl" "$ti/esc-pred.jsonl"

# ---- stance-tag on its own training file, scored against it: matched by id ----
cb=data/codebook-project.json
"$BIN/stance-tag" -m "$ti_m" --jsonl --no-text data/train-small.jsonl >"$ti/self.jsonl"
golden tagio-eval-self -- stance-eval --codebook $cb --gold data/train-small.jsonl "$ti/self.jsonl"
golden tagio-eval-self-json -- stance-eval --json --codebook $cb --gold data/train-small.jsonl "$ti/self.jsonl"
# Tagged twice: each run's passage records are the other's gold (matched by doc and start,
# although the passages of an article share its id).
"$BIN/stance-tag" -m "$ti_m" --jsonl --no-text data/articles.jsonl >"$ti/twice.jsonl"
golden tagio-eval-tag-vs-tag -- stance-eval --codebook $cb --gold "$ti/twice.jsonl" "$ti/twice.jsonl"
# Several passages per training text: the second is an error that says what to do.
tagio_expect tagio-eval-passages-share-id 1 'twice.jsonl:2: second prediction for the gold record at data/articles.jsonl:1 \(first on line 1\); passages of one text share its id: tag with --unit document$' -- stance-eval --codebook $cb --gold data/articles.jsonl "$ti/twice.jsonl"
# Nothing matched, or more than half of the gold records unmatched: an error naming the first.
sed 's/"id": "t/"id": "other-t/' data/train-small.jsonl >"$ti/other.jsonl"
tagio_expect tagio-eval-no-match 1 '^stance-eval: data/train-small.jsonl:1: no prediction matches this gold record, nor any of the 23 others: records match by "doc" and "start", "doc" and "passage", or "id"$' -- stance-eval --codebook $cb --gold data/train-small.jsonl "$ti/other.jsonl"
head -11 "$ti/self.jsonl" >"$ti/half.jsonl"
tagio_expect tagio-eval-most-unmatched 1 '^stance-eval: data/train-small.jsonl:12: no prediction matches this gold record, nor 12 more of the 24 \(more than half of the gold records unmatched\)$' -- stance-eval --codebook $cb --gold data/train-small.jsonl "$ti/half.jsonl"
head -12 "$ti/self.jsonl" >"$ti/half.jsonl"
tagio_expect tagio-eval-half-matched 0 '' -- stance-eval --codebook $cb --gold data/train-small.jsonl "$ti/half.jsonl"
tagio_expect tagio-eval-empty-gold 1 '^stance-eval: data/empty.txt: no gold records$' -- stance-eval --codebook $cb --gold data/empty.txt "$ti/self.jsonl"
# The seeds' gold numbers paragraphs: doc and paragraph match doc and passage.
printf '%s\n' '{"doc":"a-1","paragraph":2,"topics":[],"tone":"conciliatory"}' '{"doc":"42","paragraph":1,"topics":["abm"],"tone":null}' >"$ti/by-paragraph.jsonl"
golden tagio-eval-by-paragraph -- stance-eval --codebook $cb --gold "$ti/by-paragraph.jsonl" "$ti/twice.jsonl"

# ---- JSON Lines from /dev/zero: the reader stops at the first NUL byte (getline would read
# until memory ran out: no newline ever comes), in every stage that reads JSON Lines ----
tagio_expect tagio-jsonl-dev-zero-tag 1 '^stance-tag: /dev/zero:1: NUL byte at byte 0$' -- stance-tag -m "$ti_m" --jsonl /dev/zero
tagio_expect tagio-jsonl-dev-zero-tokenize 1 '^stance-tokenize: /dev/zero:1: NUL byte at byte 0$' -- stance-tokenize --jsonl /dev/zero
tagio_expect tagio-jsonl-dev-zero-stem 1 '^stance-stem: /dev/zero:1: NUL byte at byte 0$' -- stance-stem /dev/zero
tagio_expect tagio-jsonl-dev-zero-vectorize 1 '^stance-vectorize: /dev/zero:1: NUL byte at byte 0$' -- stance-vectorize --fit "$ti/zero-vocab.json" /dev/zero
tagio_expect tagio-jsonl-dev-zero-eval 1 '^stance-eval: /dev/zero:1: NUL byte at byte 0$' -- stance-eval --codebook data/codebook-project.json --gold /dev/zero data/eval-pred.jsonl
[[ -e $ti/zero-vocab.json ]] && bad tagio-jsonl-dev-zero-vectorize-file "a vocabulary was written"
# A NUL byte after good records: the records before it are read, the NUL is named by its byte.
{ head -n 2 data/train-small.jsonl; printf '{"id":"z","text":"a\0b"}\n'; } >"$ti/nul-third.jsonl"
tagio_expect tagio-jsonl-nul-third 1 "^stance-tag: .*nul-third.jsonl:3: NUL byte at byte $(($(head -n 2 data/train-small.jsonl | wc -c) + 19))\$" -- stance-tag -m "$ti_m" --jsonl --no-text "$ti/nul-third.jsonl"
[[ $(wc -l <"$ti/out") -ge 2 ]] && ok || bad tagio-jsonl-nul-third-records "the records before the NUL byte were not written"
