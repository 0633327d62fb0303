# t_stale.sh: the temporary a killed run leaves beside its -o FILE is removed by the next run
# writing FILE, which then writes FILE whole; a user's file named like a temporary stays
# (sourced by run.sh). stance-train and stance-vectorize --fit: t_save.sh; stance-report:
# t_report.sh.
st=$tmp/stale
mkdir -p "$st"
m=../models/default
printf '%s\n' '{"id":"a","text":"Moscow warned NATO against sending troops to Kosovo."}' \
    '{"id":"b","text":"The alliance will open its doors to the Baltic states."}' >"$st/in.jsonl"
"$BIN/stance-tag" -m $m --jsonl "$st/in.jsonl" >"$st/want.jsonl"

# A save marks its temporary with a user extended attribute; a file system that refuses them
# leaves the temporaries of tagged outputs, merges and labels to the user (README): the cases
# below then cannot pass and are left out, with a note.
: >"$st/probe"
if ! python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.stance.probe", b"1")' \
    "$st/probe" 2>/dev/null; then
    echo "t_stale.sh: $st takes no user extended attributes: killed -o runs not tested" >&2
    return 0
fi

# temporaries PATH: the names of the temporaries beside PATH, one a line.
temporaries() { find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").tmp.*" -printf '%f\n' | sort; }

# stance-tag -o killed with SIGKILL while it writes (its input a pipe held open: the output's
# temporary is there, records on their way); a user's files named like temporaries beside it.
mkfifo "$st/fifo"
"$BIN/stance-tag" -m $m --jsonl -o "$st/out.jsonl" - <"$st/fifo" 2>/dev/null &
killed=$!
exec {feed}>"$st/fifo"
head -1 "$st/in.jsonl" >&$feed
tries=0
until [[ -n $(temporaries "$st/out.jsonl") ]] || ((++tries > 500)); do sleep 0.01; done
sleep 0.2 # the record read, stance-tag waits on the pipe
{ kill -KILL $killed; wait $killed; got=$?; } 2>/dev/null
exec {feed}>&-
left=$(temporaries "$st/out.jsonl")
if [[ $got == 137 && $left =~ ^out\.jsonl\.tmp\.[A-Za-z0-9]{6}$ && ! -e $st/out.jsonl ]]; then ok
else bad stale-tag-killed "status $got, left: $left"; fi
echo 'my notes' >"$st/out.jsonl.tmp.backup"    # a user's: not marked by a save
: >"$st/out.jsonl.manifest.json.tmp.Mine01"   # nor this one, though empty
touch -d '1 hour ago' "$st/out.jsonl.tmp.backup" "$st/out.jsonl.manifest.json.tmp.Mine01"
expect_in "$st" stale-tag 0 "^stance-tag: removed $st/$left, left by an interrupted run\$" -- \
    stance-tag -m $m --jsonl -o "$st/out.jsonl" "$st/in.jsonl"
if [[ $(wc -l <"$st/err") == 1 && $(temporaries "$st/out.jsonl") == out.jsonl.tmp.backup ]] &&
    cmp -s "$st/out.jsonl" "$st/want.jsonl" && [[ -e $st/out.jsonl.manifest.json.tmp.Mine01 ]] &&
    grep -qx 'my notes' "$st/out.jsonl.tmp.backup"; then ok
else bad stale-tag-cleaned "$(ls "$st")"; fi

# killed_by_size NAME -- PROG ARGS: runs PROG with a file size limit of 1 KiB, so that it is
# killed (SIGXFSZ) in the middle of writing its -o file, leaving the temporary.
killed_by_size() {
    local name=$1
    shift 2
    local got
    { (ulimit -f 1 && exec "$BIN/$1" "${@:2}"); got=$?; } 2>/dev/null
    if [[ $got == $((128 + $(kill -l XFSZ))) ]]; then ok; else bad "$name" "status $got"; fi
}

# stance-merge -o: the same kind of file as stance-tag -o writes.
for i in 1 2; do "$BIN/stance-tag" -m $m --shard $i/2 -o "$st/p$i.jsonl" ../examples; done
"$BIN/stance-tag" -m $m -o "$st/whole.jsonl" ../examples
killed_by_size stale-merge-killed -- stance-merge -o "$st/all.jsonl" "$st/p1.jsonl" "$st/p2.jsonl"
left=$(temporaries "$st/all.jsonl")
[[ -s $st/$left ]] || bad stale-merge-partial "no partial temporary: '$left'"
expect_in "$st" stale-merge 0 "^stance-merge: removed $st/$left, left by an interrupted run\$" -- \
    stance-merge -o "$st/all.jsonl" "$st/p1.jsonl" "$st/p2.jsonl"
if [[ -z $(temporaries "$st/all.jsonl") ]] && cmp -s "$st/all.jsonl" "$st/whole.jsonl"; then ok
else bad stale-merge-cleaned "$(ls "$st")"; fi

# stance-import -o.
icb=data/codebook-optional.json
"$BIN/stance-import" --codebook $icb --from doccano data/import/doccano-topics.jsonl \
    >"$st/labels-want.jsonl" 2>/dev/null
killed_by_size stale-import-killed -- stance-import --codebook $icb --from doccano \
    -o "$st/labels.jsonl" data/import/doccano-topics.jsonl
left=$(temporaries "$st/labels.jsonl")
echo 'my labels' >"$st/labels.jsonl.tmp.Mine02"
touch -d '1 hour ago' "$st/labels.jsonl.tmp.Mine02"
[[ -s $st/$left ]] || bad stale-import-partial "no partial temporary: '$left'"
expect_in "$st" stale-import 0 "^stance-import: removed $st/$left, left by an interrupted run\$" -- \
    stance-import --codebook $icb --from doccano -o "$st/labels.jsonl" data/import/doccano-topics.jsonl
if [[ $(temporaries "$st/labels.jsonl") == labels.jsonl.tmp.Mine02 ]] &&
    cmp -s "$st/labels.jsonl" "$st/labels-want.jsonl"; then ok
else bad stale-import-cleaned "$(ls "$st")"; fi
