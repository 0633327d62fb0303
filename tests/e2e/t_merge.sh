# t_merge.sh: stance-merge refusing what is not one complete set of shard outputs, naming the
# output at fault, and leaving -o FILE as it was (sourced by run.sh). t_shard.sh checks the
# merges that succeed.
g=$tmp/merge
mkdir -p "$g"
m=../models/default
for i in 1 2 3; do
    "$BIN/stance-tag" -m "$m" --shard $i/3 -o "$g/p$i.jsonl" ../examples
done
echo 'precious' >"$g/all.jsonl"

# merge_bad NAME STATUS REGEX SHARD_OUTPUTS...: the merge fails so, all.jsonl untouched.
merge_bad() {
    local name=$1 want=$2 re=$3
    shift 3
    expect_in "$g" "$name" "$want" "$re" -- stance-merge -o "$g/all.jsonl" "$@"
    if [[ $(cat "$g/all.jsonl") == precious && ! -e $g/all.jsonl.manifest.json ]] &&
       ! ls "$g"/all.jsonl.tmp.* >/dev/null 2>&1; then ok; else bad "$name-untouched" "all.jsonl changed"; fi
}

merge_bad merge-incomplete 1 "^stance-merge: $g/p1.jsonl: the set is not complete: shard 3/3 is missing\$" \
    "$g/p1.jsonl" "$g/p2.jsonl"
merge_bad merge-duplicate 1 "^stance-merge: $g/p2.jsonl: shard 2/3 given twice: also $g/p2.jsonl\$" \
    "$g/p1.jsonl" "$g/p2.jsonl" "$g/p2.jsonl" "$g/p3.jsonl"
cp "$g/p2.jsonl" "$g/cut.jsonl"
cp "$g/p2.jsonl.manifest.json" "$g/cut.jsonl.manifest.json"
truncate -s -100 "$g/cut.jsonl"
merge_bad merge-truncated 1 "^stance-merge: $g/cut.jsonl: does not match its manifest's SHA-256" \
    "$g/p1.jsonl" "$g/cut.jsonl" "$g/p3.jsonl"

# other_manifest NAME SED: p2.jsonl beside a copy of its manifest edited by SED.
other_manifest() {
    cp "$g/p2.jsonl" "$g/$1.jsonl"
    sed "$2" "$g/p2.jsonl.manifest.json" >"$g/$1.jsonl.manifest.json"
}
other_manifest model 's/"model_sha256":"f/"model_sha256":"0/;t;s/"model_sha256":"./"model_sha256":"f/'
merge_bad merge-other-model 1 "^stance-merge: $g/model.jsonl: made with another model than $g/p1.jsonl" \
    "$g/p1.jsonl" "$g/model.jsonl" "$g/p3.jsonl"
other_manifest version 's/"stance":"/"stance":"9/'
merge_bad merge-other-version 1 "made with another stance version" "$g/p1.jsonl" "$g/version.jsonl" "$g/p3.jsonl"
"$BIN/stance-tag" -m "$m" --shard 2/3 -o "$g/input.jsonl" ../examples/0[123]*.txt
merge_bad merge-other-input 1 "^stance-merge: $g/input.jsonl: made with other input articles than" \
    "$g/p1.jsonl" "$g/input.jsonl" "$g/p3.jsonl"
"$BIN/stance-tag" -m "$m" --shard 2/3 --no-text -o "$g/notext.jsonl" ../examples
merge_bad merge-other-options 1 "^stance-merge: $g/notext.jsonl: made with other tag options than" \
    "$g/p1.jsonl" "$g/notext.jsonl" "$g/p3.jsonl"
"$BIN/stance-tag" -m "$m" --shard 2/4 -o "$g/four.jsonl" ../examples
merge_bad merge-other-count 1 "made with another number of shards" "$g/p1.jsonl" "$g/four.jsonl" "$g/p3.jsonl"
"$BIN/stance-tag" -m "$m" -o "$g/whole.jsonl" ../examples
merge_bad merge-not-shard 1 "whole.jsonl: is not a shard's output" "$g/whole.jsonl"
cp "$g/p2.jsonl" "$g/nomanifest.jsonl"
merge_bad merge-missing-manifest 3 "^stance-merge: $g/nomanifest.jsonl.manifest.json: cannot open" \
    "$g/p1.jsonl" "$g/nomanifest.jsonl" "$g/p3.jsonl"
other_manifest corrupt 's/}$//'
merge_bad merge-corrupt-manifest 1 "corrupt.jsonl.manifest.json:[0-9]*: not a manifest" \
    "$g/p1.jsonl" "$g/corrupt.jsonl" "$g/p3.jsonl"
other_manifest badfield 's/"shard_articles":1/"shard_articles":2/'
merge_bad merge-bad-field 1 "badfield.jsonl.manifest.json: \"shard_articles\" is not the shard's share" \
    "$g/p1.jsonl" "$g/badfield.jsonl" "$g/p3.jsonl"
other_manifest badempty 's/"empty":\[\]/"empty":[0]/'
merge_bad merge-bad-empty 1 "\"empty\" holds a position that is not the shard's" \
    "$g/p1.jsonl" "$g/badempty.jsonl" "$g/p3.jsonl"
other_manifest csv 's/"output":"jsonl"/"output":"csv"/; s/"records":[0-9]*/"records":null/'
merge_bad merge-csv 1 "csv.jsonl: is csv output; stance-merge merges JSON Lines" "$g/p1.jsonl" "$g/csv.jsonl" "$g/p3.jsonl"

# An output with a record more than its articles, its manifest's hash and size made to fit.
cp "$g/p2.jsonl" "$g/extra.jsonl"
head -n 1 "$g/p2.jsonl" | sed 's/"doc":"[^"]*"/"doc":"extra"/' >>"$g/extra.jsonl"
sha=$(sha256sum "$g/extra.jsonl" | cut -c1-64)
bytes=$(wc -c <"$g/extra.jsonl")
sed -e "s/\"sha256\":\"[0-9a-f]*\"/\"sha256\":\"$sha\"/" -e "s/\"bytes\":[0-9]*/\"bytes\":$bytes/" \
    "$g/p2.jsonl.manifest.json" >"$g/extra.jsonl.manifest.json"
merge_bad merge-extra-record 1 "extra.jsonl:[0-9]*: has more records than the articles of its manifest" \
    "$g/p1.jsonl" "$g/extra.jsonl" "$g/p3.jsonl"
# One that is not records at all.
printf 'not json\n' >"$g/junk.jsonl"
sha=$(sha256sum "$g/junk.jsonl" | cut -c1-64)
sed -e "s/\"sha256\":\"[0-9a-f]*\"/\"sha256\":\"$sha\"/" -e "s/\"bytes\":[0-9]*/\"bytes\":9/" \
    "$g/p2.jsonl.manifest.json" >"$g/junk.jsonl.manifest.json"
merge_bad merge-not-records 1 "junk.jsonl:1: not a stance-tag record" "$g/p1.jsonl" "$g/junk.jsonl" "$g/p3.jsonl"

# Usage, and -o where it cannot be written.
expect_in "$g" merge-no-output 2 "^stance-merge: -o FILE is required" -- stance-merge "$g/p1.jsonl"
expect_in "$g" merge-no-inputs 2 "^stance-merge: no shard outputs to merge" -- stance-merge -o "$g/x.jsonl"
expect_in "$g" merge-o-no-dir 3 "^stance-merge: $g/nodir/all.jsonl: cannot create" -- \
    stance-merge -o "$g/nodir/all.jsonl" "$g/p1.jsonl" "$g/p2.jsonl" "$g/p3.jsonl"
expect_in "$g" merge-o-directory 3 "is a directory" -- stance-merge -o "$g" "$g/p1.jsonl" "$g/p2.jsonl" "$g/p3.jsonl"
expect_in "$g" merge-help 0 "" -- stance-merge --help
grep -q '^Usage: stance-merge -o FILE' "$g/out" && ok || bad merge-help-text "no usage line"
# The set in any order merges.
expect_in "$g" merge-any-order 0 "" -- stance-merge -o "$g/all.jsonl" "$g/p3.jsonl" "$g/p1.jsonl" "$g/p2.jsonl"
"$BIN/stance-tag" -m "$m" ../examples >"$g/one.jsonl"
cmp -s "$g/all.jsonl" "$g/one.jsonl" && ok || bad merge-any-order-output "differs from one run"
