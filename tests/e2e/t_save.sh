# t_save.sh: what stance-train -o and stance-vectorize --fit may replace, and what they never
# touch (sourced by run.sh): a user's files, links, paths naming no entry of their own; one
# reading of the training file; temporaries of killed runs; empty vocabularies and folds.

s=$tmp/save
mkdir -p "$s"
scb=data/codebook-project.json
strain=data/train-small.jsonl

# save_expect NAME STATUS STDERR-REGEX -- PROG ARGS: status and stderr of one run, stdin from
# /dev/null (t_hostile.sh's expect, under another name since scripts share one shell).
save_expect() { expect_in "$s" "$@"; }

# save_same NAME DIR COPY: DIR is as it was (COPY) and nothing was left beside it.
save_same() {
    if diff -r --no-dereference "$2" "$3" >/dev/null && [[ -z $(find "$(dirname "$2")" -maxdepth 1 \
        \( -name "$(basename "$2").tmp.*" -o -name "$(basename "$2").old.*" \)) ]]; then ok
    else bad "$1" "$2 changed, or a temporary was left beside it"; fi
}

# One line of stderr (and the usage hint): the run stopped before training.
save_before_training() {
    if [[ $(grep -vc '^Try ' "$s/err") == 1 ]]; then ok
    else bad "$1" "more than the one message: $(head -c 300 "$s/err")"; fi
}

"$BIN/stance-train" -q --bundle-format 1 --folds 0 --codebook $scb -o "$s/model" $strain 2>/dev/null

# ---- -o a directory that is not stance's (case 2): refused before training, untouched ----
mkdir -p "$s/app/src"
echo '{"name": "app", "version": "1.0"}' >"$s/app/manifest.json"
echo '<p>hello</p>' >"$s/app/index.html"
echo 'main()' >"$s/app/src/main.js"
cp -r "$s/app" "$s/app.copy"
save_expect save-foreign-manifest 3 "app: holds a manifest.json that is not a stance model's; refusing" -- \
    stance-train -q --codebook $scb -o "$s/app" $strain
save_before_training save-foreign-manifest-early
save_same save-foreign-manifest-kept "$s/app" "$s/app.copy"
# A stance bundle with a user's file in it: the file stops the run; nothing is touched.
cp -r "$s/model" "$s/notes" && echo 'my notes' >"$s/notes/NOTES" && cp -r "$s/notes" "$s/notes.copy"
save_expect save-bundle-user-file 3 'notes: holds NOTES, which its manifest does not list' -- \
    stance-train -q --codebook $scb -o "$s/notes" $strain
save_same save-bundle-user-file-kept "$s/notes" "$s/notes.copy"
# A unit file the manifest does not list is not the bundle's either.
cp -r "$s/model" "$s/extra" && cp "$s/model/unit-0.txt" "$s/extra/unit-9.txt" && cp -r "$s/extra" "$s/extra.copy"
save_expect save-bundle-unlisted 3 'extra: holds unit-9.txt, which its manifest does not list' -- \
    stance-train -q --bundle-format 1 --codebook $scb -o "$s/extra" $strain
save_same save-bundle-unlisted-kept "$s/extra" "$s/extra.copy"
# A clean bundle is replaced: its listed files only, and the directory stays a directory.
"$BIN/stance-train" -q --bundle-format 1 --folds 0 -c 0.5 --codebook $scb -o "$s/model" $strain 2>/dev/null
if grep -q '"c": 0.5' "$s/model/manifest.json" && [[ -z $(find "$s" -maxdepth 1 -name 'model.*') ]]
then ok; else bad save-bundle-replaced "the bundle was not replaced cleanly"; fi

# ---- -o a symbolic link (case 3): refused, the link and what it points to untouched ----
ln -s notes "$s/link"
save_expect save-link 3 'link: is a symbolic link; refusing to replace it' -- \
    stance-train -q --codebook $scb -o "$s/link" $strain
save_same save-link-target-kept "$s/notes" "$s/notes.copy"
if [[ -L $s/link && $(readlink "$s/link") == notes && -z $(find "$s" -maxdepth 1 -name 'link.*') ]]
then ok; else bad save-link-kept "the link was replaced or a temporary was left"; fi
cp -r "$s/model" "$s/clean" && ln -s clean "$s/link2" && cp -r "$s/clean" "$s/clean.copy"
save_expect save-link-to-bundle 3 'link2: is a symbolic link' -- \
    stance-train -q --codebook $scb -o "$s/link2" $strain
save_same save-link-to-bundle-kept "$s/clean" "$s/clean.copy"

# ---- Paths that name no directory of their own, new and empty directories (case 15) ----
save_expect save-o-empty 2 'the output path is empty' -- stance-train -q --codebook $scb -o "" $strain
save_before_training save-o-empty-early
save_expect save-o-dot 2 "x/\\.: names no directory of its own" -- stance-train -q --codebook $scb -o "$s/x/." $strain
save_before_training save-o-dot-early
save_expect save-o-dotdot 2 '^stance-train: \.\.: names no directory of its own' -- stance-train -q --codebook $scb -o .. $strain
save_expect save-o-root 2 '^stance-train: /: names no directory of its own' -- stance-train -q --codebook $scb -o / $strain
save_expect save-o-missing-parent 3 'save/no/such/m: cannot create: No such file or directory' -- \
    stance-train -q --codebook $scb -o "$s/no/such/m" data/train-unknown-value.jsonl
mkdir "$s/emptydir"
save_expect save-o-empty-dir 0 '' -- stance-train -q --folds 0 --codebook $scb -o "$s/emptydir/" $strain
save_expect save-o-new-dir 0 '' -- stance-train -q --folds 0 --codebook $scb -o "$s/newdir//" $strain
if [[ -f $s/emptydir/manifest.json && -f $s/newdir/manifest.json && -z $(find "$s" -maxdepth 1 -name '*dir.*') ]]
then ok; else bad save-o-dirs-written "no bundle in emptydir/ or newdir/, or a temporary left"; fi

# ---- stance-vectorize --fit: the same hazards, checked before any input is read ----
printf '{"doc":"a","stems":["kosovo","talk"]}\n{"doc":"b","stems":["kosovo","talk","nato"]}\n' >"$s/stems.jsonl"
printf '{"doc":"a","stems":7}\n' >"$s/bad-stems.jsonl" # a data error, if it were read
echo 'my notes' >"$s/notes.txt"
ln -s notes.txt "$s/vlink"
mkfifo "$s/fifo"
save_expect save-fit-empty 2 'the output path is empty' -- stance-vectorize --fit "" "$s/bad-stems.jsonl"
save_expect save-fit-slash 2 "v\\.json/: ends with '/'" -- stance-vectorize --fit "$s/v.json/" "$s/bad-stems.jsonl"
save_expect save-fit-dir 3 'save/emptydir: is a directory' -- stance-vectorize --fit "$s/emptydir" "$s/bad-stems.jsonl"
save_expect save-fit-link 3 'vlink: is a symbolic link' -- stance-vectorize --fit "$s/vlink" "$s/bad-stems.jsonl"
save_expect save-fit-fifo 3 'fifo: is not a regular file' -- stance-vectorize --fit "$s/fifo" "$s/bad-stems.jsonl"
save_expect save-fit-user-file 3 'notes.txt: exists and is not a stance vocabulary; refusing' -- \
    stance-vectorize --fit "$s/notes.txt" "$s/stems.jsonl"
save_expect save-fit-missing-parent 3 'save/no/v.json: cannot create: No such file' -- \
    stance-vectorize --fit "$s/no/v.json" "$s/bad-stems.jsonl"
if [[ $(cat "$s/notes.txt") == 'my notes' && -L $s/vlink && -p $s/fifo && -z $(find "$s" -name '*.tmp.*') ]]
then ok; else bad save-fit-kept "a refused target was changed or a temporary left"; fi

# ---- The training file is read once (case 7): /dev/stdin and a pipe; /dev/zero ends ----
sha=$(sha256sum <$strain | cut -c1-64)
$WRAP "$BIN/stance-train" -q --folds 0 --codebook $scb -o "$s/stdin" /dev/stdin <$strain 2>"$s/err"
if grep -q "\"sha256\": \"$sha\"" "$s/stdin/manifest.json" && grep -q '"records": 24' "$s/stdin/manifest.json"
then ok; else bad save-train-stdin-read "not trained on standard input: $(head -c 300 "$s/err")"; fi
$WRAP "$BIN/stance-train" -q --folds 0 --codebook $scb -o "$s/pipe" <(cat $strain) 2>"$s/err"
if [[ $? == 0 ]] && grep -q "\"sha256\": \"$sha\"" "$s/pipe/manifest.json"; then ok
else bad save-train-pipe "$(head -c 300 "$s/err")"; fi
timeout 20 $WRAP "$BIN/stance-train" -q --codebook $scb -o "$s/zero" /dev/zero 2>"$s/err"
got=$?
if [[ $got == 1 ]] && grep -q '^stance-train: /dev/zero:1: NUL byte at byte 0$' "$s/err" && [[ ! -e $s/zero ]]
then ok; else bad save-train-dev-zero "status $got: $(head -c 300 "$s/err")"; fi

# ---- No features, and folds (case 17) ----
save_expect save-min-df 1 'train-small.jsonl: no features to train on: no stem or bigram occurs in at least 1000000 of the 24 passages \(--min-df\); lower --min-df' -- \
    stance-train -q --min-df 1000000 --codebook $scb -o "$s/mindf" $strain
[[ ! -e $s/mindf ]] && ok || bad save-min-df-nothing "a model was written"
save_expect save-folds-1 2 "--folds needs 0 \\(no cross-validation\\) or a number from 2 to 100, not '1'" -- \
    stance-train -q --folds 1 --codebook $scb -o "$s/folds" $strain
save_expect save-folds-clamped 0 'warning: topics=kosovo: 6 folds instead of 100 \(its rarer class has 6 examples\)' -- \
    stance-train -q --folds 100 --codebook $scb -o "$s/folds" $strain
if grep -q '"folds": 6,' "$s/folds/manifest.json"; then ok; else bad save-folds-manifest "no 6-fold unit in the manifest"; fi

# ---- Temporaries a killed run left (case 21): ours removed (and said), others kept ----
mkdir "$s/model.tmp.AbC123" "$s/model.old.XyZ789" "$s/model.tmp.Zz9999" "$s/model.tmp.8Wide8"
cp "$s/model/manifest.json" "$s/model/unit-0.txt" "$s/model.tmp.AbC123/"
cp "$s/model/unit-1.txt" "$s/model.old.XyZ789/"
cp "$s/model/unit-0.txt" "$s/model.tmp.Zz9999/" && echo 'my notes' >"$s/model.tmp.Zz9999/NOTES"
touch -d '1 hour ago' "$s/model.tmp.8Wide8" # empty: killed before writing anything
save_expect save-stale-bundle 0 "removed .*save/model\\.tmp\\.AbC123, left by an interrupted run" -- \
    stance-train -q --bundle-format 1 --folds 0 --codebook $scb -o "$s/model" $strain
if grep -q 'removed .*model\.old\.XyZ789' "$s/err" && grep -q 'removed .*model\.tmp\.8Wide8' "$s/err" &&
    ! grep -q Zz9999 "$s/err" && [[ $(find "$s" -maxdepth 1 -name 'model.*') == "$s/model.tmp.Zz9999" ]] &&
    [[ -f $s/model.tmp.Zz9999/NOTES ]]; then ok
else bad save-stale-bundle-only-ours "$(cat "$s/err"; find "$s" -maxdepth 1 -name 'model.*')"; fi
"$BIN/stance-vectorize" --fit "$s/v.json" "$s/stems.jsonl" >/dev/null
head -c 40 "$s/v.json" >"$s/v.json.tmp.Q1w2E3"
echo 'my notes' >"$s/v.json.tmp.Abcdef"
save_expect save-stale-vocab 0 "removed .*save/v\\.json\\.tmp\\.Q1w2E3, left by an interrupted run" -- \
    stance-vectorize --fit "$s/v.json" "$s/stems.jsonl"
if [[ $(find "$s" -maxdepth 1 -name 'v.json.*') == "$s/v.json.tmp.Abcdef" ]]; then ok
else bad save-stale-vocab-only-ours "$(find "$s" -maxdepth 1 -name 'v.json.*')"; fi
rm -rf "$s/model.tmp.Zz9999" "$s/v.json.tmp.Abcdef"

# A signal while stance-vectorize --fit writes its vocabulary: held until the file is in place,
# so the old or the new file is there whole and no temporary is left; kill -9 there leaves
# one, which the next run removes. (Timing-based: the save of 150,000 terms takes a while.)
if [[ -z $WRAP ]]; then
    awk 'BEGIN { for (i = 0; i < 2500; i++) { printf "{\"doc\":\"d%d\",\"stems\":[", i
                 for (j = 0; j < 30; j++) printf "%s\"s%dx%d\"", j ? "," : "", i, j; print "]}" } }' >"$s/big.jsonl"
    save_signal() { # SIGNAL: sends it once the temporary has data; prints the exit status
        "$BIN/stance-vectorize" --fit "$s/big.json" --min-df 1 "$s/big.jsonl" >/dev/null 2>"$s/sig.err" &
        local pid=$! tries=0
        until [[ -n $(find "$s" -maxdepth 1 -name 'big.json.tmp.*' -size +0) ]] || ((++tries > 3000)); do
            sleep 0.01
        done
        kill -s "$1" $pid
        wait $pid
        echo $?
    }
    cp "$s/v.json" "$s/big.json"
    got=$(save_signal TERM)
    if [[ $got == 143 ]] && { cmp -s "$s/big.json" "$s/v.json" || [[ $(tail -c 3 "$s/big.json") == ']}' ]]; } &&
        [[ -z $(find "$s" -maxdepth 1 -name 'big.json.*') ]]; then ok
    else bad save-fit-sigterm "status $got, a partial vocabulary or a temporary left: $(ls "$s" | grep big)"; fi
    cp "$s/v.json" "$s/big.json"
    got=$(save_signal KILL)
    save_expect save-fit-after-kill 0 "removed .*save/big\\.json\\.tmp\\.[A-Za-z0-9]{6}, left by an interrupted run" -- \
        stance-vectorize --fit "$s/big.json" "$s/stems.jsonl"
    if [[ $got == 137 && -z $(find "$s" -maxdepth 1 -name 'big.json.*') ]]; then ok
    else bad save-fit-kill-cleaned "status $got: $(ls "$s" | grep big)"; fi
fi
