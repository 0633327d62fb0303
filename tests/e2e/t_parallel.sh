# t_parallel.sh: the README's GNU parallel recipes (sourced by run.sh), each byte for byte one
# stance-tag run over the same JSON Lines file: --pipepart -k in blocks; --pipe --retries
# after a block whose first run fails (a file-size limit kills it midway through its output);
# shards (--shard {}/4 -o) with --joblog and --resume-failed after one failed, then stance-merge.
# Skipped, with a message, where GNU parallel is missing. Under valgrind (WRAP set) the input
# is the first 300 of the labeled passages instead of 1,200 (about 600 KB).
if ! command -v parallel >/dev/null 2>&1; then
    echo "skip parallel: no GNU parallel here (Debian: apt-get install parallel)"
else
    gp=$tmp/parallel
    mkdir -p "$gp"
    gp_model=../models/default
    gp_lines=1200 gp_block=250k # 3 blocks
    [[ -n $WRAP ]] && gp_lines=300 gp_block=60k
    head -n $gp_lines ../labels/passages.jsonl >"$gp/in.jsonl"
    "$BIN/stance-tag" -m "$gp_model" --jsonl --no-text "$gp/in.jsonl" >"$gp/one.jsonl" 2>/dev/null
    [[ -s $gp/one.jsonl ]] && ok || bad parallel-one "one stance-tag run gave no records"

    # flaky PROG: a wrapper running $WRAP PROG, except that the first run of block 2 may write
    # only 4 KiB (ulimit -f) and is killed by SIGXFSZ past it.
    cat >"$gp/flaky" <<EOF
#!/usr/bin/env bash
if [[ \$PARALLEL_SEQ == 2 && ! -e $gp/failed-once ]]; then
    touch $gp/failed-once
    ulimit -f 4
fi
exec $WRAP "\$@"
EOF
    chmod +x "$gp/flaky"

    # gp_same NAME STATUS FILE: parallel's status was 0 and FILE is the one run's output.
    gp_same() {
        if [[ $2 != 0 ]]; then
            bad "$1" "parallel exited $2: $(head -c 300 "$gp/err")"
        elif ! cmp -s "$3" "$gp/one.jsonl"; then
            bad "$1" "output differs from one run ($(wc -l <"$3") and $(wc -l <"$gp/one.jsonl") lines)"
        else
            ok
        fi
    }

    # --pipepart: blocks of whole lines read straight from the file, output kept in order (-k);
    # the joblog has one line per block, each with exit 0.
    for spec in "-j 2 --block -1" "-j 2 --block $gp_block"; do
        rm -f "$gp/log"
        # shellcheck disable=SC2086 # the options are words
        parallel --pipepart -a "$gp/in.jsonl" $spec -k --joblog "$gp/log" \
            $WRAP "$BIN/stance-tag" -m "$gp_model" --jsonl --no-text >"$gp/out.jsonl" 2>"$gp/err"
        gp_same "parallel-pipepart ($spec)" $? "$gp/out.jsonl"
        blocks=$(tail -n +2 "$gp/log" | wc -l)
        if ((blocks > 1)) && [[ $(tail -n +2 "$gp/log" | awk '$7 != 0' | wc -l) == 0 ]]; then ok; else
            bad "parallel-pipepart-joblog ($spec)" "$blocks blocks: $(cat "$gp/log")"
        fi
    done

    # --pipe --retries: block 2 is killed midway once and run again with the same lines.
    rm -f "$gp/log" "$gp/failed-once"
    parallel --pipe --block $gp_block -j 2 -k --retries 3 --joblog "$gp/log" \
        "$gp/flaky" "$BIN/stance-tag" -m "$gp_model" --jsonl --no-text <"$gp/in.jsonl" >"$gp/out.jsonl" 2>"$gp/err"
    gp_same parallel-pipe-retries $? "$gp/out.jsonl"
    [[ -e $gp/failed-once ]] && ok || bad parallel-pipe-retries-failed "block 2 was never made to fail"

    # Resumable: shards as arguments (--shard {}/4 -o), --joblog and --resume-failed. Shard 2
    # is killed midway the first time: parallel fails, the parts made are kept; the same
    # command with --resume-failed runs shard 2 alone; stance-merge then writes one run's
    # file and manifest. (--resume-failed cannot rerun a --pipe or --pipepart block with its
    # own lines: README.)
    rm -rf "$gp/log" "$gp/failed-once" "$gp/parts"
    mkdir "$gp/parts"
    "$BIN/stance-tag" -m "$gp_model" --jsonl --no-text -o "$gp/one-o.jsonl" "$gp/in.jsonl" 2>/dev/null
    # gp_shards: the README's resumable command, shards 1..4.
    gp_shards() {
        parallel -j 2 --joblog "$gp/log" --resume-failed "$gp/flaky" "$BIN/stance-tag" --shard {}/4 \
            -o "$gp/parts/part-{}.jsonl" -m "$gp_model" --jsonl --no-text "$gp/in.jsonl" ::: 1 2 3 4 \
            >"$gp/err" 2>&1
    }
    gp_shards
    gp_status=$?
    if [[ $gp_status == 1 && ! -e $gp/parts/part-2.jsonl && $(ls "$gp"/parts/part-?.jsonl | wc -l) == 3 ]]; then ok; else
        bad parallel-shards-fail "status $gp_status (expected 1: one shard failed), parts: $(ls "$gp/parts")"
    fi
    gp_shards
    gp_status=$?
    if [[ $gp_status == 0 && $(tail -n +2 "$gp/log" | wc -l) == 5 && $(tail -n 1 "$gp/log" | cut -f1) == 2 ]]; then ok; else
        bad parallel-shards-resume "status $gp_status; joblog (expected 5 runs, shard 2 last): $(cat "$gp/log")"
    fi
    expect_in "$gp" parallel-shards-merge 0 "" -- stance-merge -o "$gp/all.jsonl" "$gp"/parts/part-?.jsonl
    if cmp -s "$gp/all.jsonl" "$gp/one-o.jsonl" && cmp -s "$gp/all.jsonl.manifest.json" "$gp/one-o.jsonl.manifest.json"; then
        ok
    else
        bad parallel-shards-merged "merged output or manifest differs from one stance-tag -o run"
    fi
fi
