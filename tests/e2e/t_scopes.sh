# t_scopes.sh: stance-train --scopes (sourced by run.sh): scoped copies of the stems after a
# contrast marker or a negation, as features of the tone units only. The analyzer's scopes are
# saved in the manifest, so stance-tag makes the same copies from the bundle alone; the topic
# units give the copies no weight; a bundle without scopes is written as before.

cb=../labels/codebook.json
train=data/train-scopes.jsonl
"$BIN/stance-train" -q --codebook $cb --scopes contrast,negation -o "$tmp/sc1" $train 2>/dev/null
$WRAP "$BIN/stance-train" -q --codebook $cb --scopes negation,contrast -j 2 -o "$tmp/sc2" $train 2>/dev/null
if tr -d ' \n' <"$tmp/sc1/manifest.json" | grep -q '"scopes":\["contrast","negation"\]' &&
    diff -r "$tmp/sc1" "$tmp/sc2" >/dev/null
then ok; else bad scopes-manifest "the manifest does not list the scopes, or two runs differ"; fi

"$BIN/stance-train" -q --codebook $cb --scopes last -o "$tmp/sc-last" $train 2>/dev/null
if tr -d ' \n' <"$tmp/sc-last/manifest.json" | grep -q '"scopes":\["last"\]'
then ok; else bad scopes-last "--scopes last is not in the manifest"; fi

# Without --scopes, or with --scopes none, the bundle is the same and names no scopes.
"$BIN/stance-train" -q --codebook $cb -o "$tmp/sc-off" $train 2>/dev/null
"$BIN/stance-train" -q --codebook $cb --scopes none -o "$tmp/sc-none" $train 2>/dev/null
if diff -r "$tmp/sc-off" "$tmp/sc-none" >/dev/null && ! grep -q '"scopes"' "$tmp/sc-off/manifest.json"
then ok; else bad scopes-off "--scopes none differs from no option, or a plain bundle names scopes"; fi

# The bundle round trip: tagging reads the scopes from the manifest (the tone explanation holds
# the copies "c:..." and "n:..."), and the topic units give them no weight.
golden scopes-tag -- stance-tag -m "$tmp/sc1" --jsonl --no-text data/scopes-query.jsonl
$WRAP "$BIN/stance-tag" -m "$tmp/sc1" --jsonl --no-text --explain 40 data/scopes-query.jsonl >"$tmp/sc-explain" 2>"$tmp/sc-explain.err"
if python3 - "$tmp/sc-explain" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ex = recs[0]["explain"]
tone = [t["term"] for v in ex["tone"].values() for t in v["terms"]]
topics = [t["term"] for v in ex["topics"].values() for t in v["terms"]]
assert ex["topics"], "no topic explained"
assert "c:broke" in tone and "n:accept" in tone, tone
assert not [t for t in topics if ":" in t], topics
PY
then ok; else bad scopes-explain "tone lacks the scoped copies, or a topic unit weighs one"; fi

# A bundle whose "scopes" is not a list of known, distinct names is refused at load (exit 1).
for case in '["bogus"]' '["contrast","contrast"]' '[]' '"contrast"' '[1]'; do
    rm -rf "$tmp/sc-bad" && cp -r "$tmp/sc1" "$tmp/sc-bad"
    python3 - "$tmp/sc-bad/manifest.json" "$case" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["analyzer"]["scopes"] = json.loads(sys.argv[2])
json.dump(m, open(sys.argv[1], "w"))
PY
    expect_in "$tmp" "scopes-bad-bundle $case" 1 'scopes' -- stance-tag -m "$tmp/sc-bad" --jsonl data/scopes-query.jsonl
done
golden scopes-audit -- stance-audit --codebook $cb --scopes contrast --folds 2 $train

# Usage errors: exit 2, nothing written.
golden scopes-unknown -- stance-train --codebook $cb --scopes contrast,irony -o "$tmp/scbad1" $train
golden scopes-empty -- stance-train --codebook $cb --scopes '' -o "$tmp/scbad2" $train
golden scopes-twice -- stance-train --codebook $cb --scopes negation,negation -o "$tmp/scbad3" $train
if ! ls -d "$tmp"/scbad* >/dev/null 2>&1; then ok; else bad scopes-nothing-written "a refused run left files"; fi
