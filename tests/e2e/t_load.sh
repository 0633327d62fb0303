# t_load.sh: reading a model bundle (sourced by run.sh). Every file of a bundle is read from
# the directory stance-tag opened, once, as a regular file no larger than the manifest says:
# symbolic links inside the bundle, FIFOs, devices and directories are refused at once (a
# data error naming the file, status 1), and a bundle replaced while it is read is read whole,
# old or new. Each run is under `timeout`, so a hang fails instead of stopping the suite.
l=$tmp/load
mkdir -p "$l"
lsecs=10
[[ -n $WRAP ]] && lsecs=120
"$BIN/stance-train" -q --bundle-format 1 --folds 0 --codebook data/codebook-project.json -o "$l/model" \
    data/train-small.jsonl 2>/dev/null

# load_expect NAME STATUS STDERR-REGEX -- PROG ARGS...: the status (124: timed out) and stderr.
load_expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local prog=$1
    shift
    (
        # a regression reading /dev/zero must not take the machine's memory meanwhile
        [[ -z $WRAP && $BIN != *build-san* ]] && ulimit -v 2000000
        exec timeout -s KILL $lsecs $WRAP "$BIN/$prog" "$@" </dev/null >"$l/out" 2>"$l/err"
    )
    expect_result "$name" "$want" "$pattern" "$l/err" $?
}

# load_case NAME: a copy of the bundle in $l/NAME, to be changed by the caller.
load_case() {
    rm -rf "${l:?}/$1"
    cp -r "$l/model" "$l/$1"
}

# Sets unit 0's checksum (and size, if recorded) in bundle $1's manifest to those of file $2.
load_declare() {
    local sum size
    sum=$(sha256sum <"$2" | cut -d' ' -f1)
    size=$(wc -c <"$2")
    sed -i "0,/\"sha256\": \"[0-9a-f]*\"/s//\"sha256\": \"$sum\"/; 0,/\"bytes\": [0-9]*/s//\"bytes\": $size/" \
        "$1/manifest.json"
}

art=data/tag-article.txt
load_case zero && ln -sf /dev/zero "$l/zero/unit-0.txt"
load_expect load-unit-dev-zero 1 'zero/unit-0.txt: is a symbolic link' -- stance-tag -m "$l/zero" $art
load_case fifo && rm "$l/fifo/unit-0.txt" && mkfifo "$l/fifo/unit-0.txt"
load_expect load-unit-fifo 1 'fifo/unit-0.txt: not a regular file' -- stance-tag -m "$l/fifo" $art
load_case passwd && ln -sf /etc/passwd "$l/passwd/unit-0.txt" && load_declare "$l/passwd" /etc/passwd
load_expect load-unit-etc-passwd 1 'passwd/unit-0.txt: is a symbolic link' -- stance-tag -m "$l/passwd" $art
# A link to a true copy of the unit file, outside the bundle: the checksum matches, yet it is
# not the bundle's own file.
load_case outside && mv "$l/outside/unit-0.txt" "$l/outside-unit-0.txt" &&
    ln -s "$l/outside-unit-0.txt" "$l/outside/unit-0.txt"
load_expect load-unit-outside 1 'outside/unit-0.txt: is a symbolic link' -- stance-tag -m "$l/outside" $art
load_case mandir && mv "$l/mandir/manifest.json" "$l/outside-manifest.json" &&
    ln -s "$l/outside-manifest.json" "$l/mandir/manifest.json"
load_expect load-manifest-link 1 'mandir/manifest.json: is a symbolic link' -- stance-tag -m "$l/mandir" $art
load_case manfifo && rm "$l/manfifo/manifest.json" && mkfifo "$l/manfifo/manifest.json"
load_expect load-manifest-fifo 1 'manfifo/manifest.json: not a regular file' -- stance-tag -m "$l/manfifo" $art
# A unit file longer or shorter than the size the manifest records.
load_case longer && echo "5 0.25" >>"$l/longer/unit-0.txt"
load_expect load-unit-longer 1 'longer/unit-0.txt: [0-9]+ bytes, more than the [0-9]+ the manifest declares' \
    -- stance-tag -m "$l/longer" $art
load_case shorter && truncate -s 100 "$l/shorter/unit-0.txt"
load_expect load-unit-shorter 1 'shorter/unit-0.txt: 100 bytes, fewer than the [0-9]+ the manifest declares' \
    -- stance-tag -m "$l/shorter" $art
# A bundle written before sizes were recorded still loads, and tags as the same bundle does.
load_case nosizes && sed -i '/"bytes": [0-9]*,/d' "$l/nosizes/manifest.json"
if ! grep -q '"bytes"' "$l/nosizes/manifest.json" &&
    timeout $lsecs "$BIN/stance-tag" -m "$l/nosizes" $art >"$l/nosizes.out" 2>"$l/err" &&
    "$BIN/stance-tag" -m "$l/model" $art | cmp -s - "$l/nosizes.out"; then ok
else bad load-no-sizes "$(head -c 300 "$l/err")"; fi
# The bundle directory itself may be a symbolic link: the user named it.
ln -s model "$l/link"
if timeout $lsecs $WRAP "$BIN/stance-tag" -m "$l/link" $art >"$l/link.out" 2>"$l/err" &&
    "$BIN/stance-tag" -m "$l/model" $art | cmp -s - "$l/link.out"; then ok
else bad load-bundle-link "$(head -c 300 "$l/err")"; fi

# Tagging while another process replaces the bundle again and again (two different models,
# so mixing their files would show): each run reads one whole bundle and succeeds. A load
# overlapping a replacement is read again, a few times at most; under valgrind a load is
# some 50 times slower, so the replacements are spaced out in proportion.
head -16 data/train-small.jsonl >"$l/train-16.jsonl"
cp -r "$l/model" "$l/race"
pause=0
[[ -n $WRAP ]] && pause=1
(
    for ((i = 0; ; i++)); do
        [[ -e $l/stop ]] && exit 0 # asked to stop: end between two runs, none left behind
        f=data/train-small.jsonl
        ((i % 2)) && f=$l/train-16.jsonl
        "$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$l/race" "$f" 2>/dev/null
        sleep $pause
    done
) &
trainer=$!
runs=0 failed=0
end=$((SECONDS + 3))
while ((SECONDS < end)); do
    runs=$((runs + 1))
    if ! timeout $lsecs $WRAP "$BIN/stance-tag" -m "$l/race" --no-text $art >/dev/null 2>"$l/err"; then
        failed=$((failed + 1))
        head -c 200 "$l/err" >>"$l/race.err"
    fi
done
touch "$l/stop"
wait "$trainer"
if ((failed == 0 && runs > 0)); then ok
else bad load-while-replaced "$failed of $runs runs failed: $(head -c 300 "$l/race.err")"; fi
