# t_actors.sh: stance-train --actors FILE (sourced by run.sh): a lexicon of the parties whose
# sentences that name two sides are copied for the tone units. The stemmed lexicon and the
# separate norm of the scoped features are saved in the manifest, so stance-tag makes the same
# features from the bundle alone; the topic units see exactly the vectors of a model without
# them; a bundle trained before the separate norm (shared) tags as it did; bad lexicons are
# refused naming the file and line.

cb=../labels/codebook.json
train=data/train-scopes.jsonl
query=data/scopes-query.jsonl
"$BIN/stance-train" -q --codebook $cb --actors data/actors.txt -o "$tmp/ac1" $train 2>/dev/null
$WRAP "$BIN/stance-train" -q --codebook $cb --actors data/actors.txt -j 2 -o "$tmp/ac2" $train 2>/dev/null
if python3 - "$tmp/ac1/manifest.json" <<'PY' && diff -r "$tmp/ac1" "$tmp/ac2" >/dev/null
import json, sys
an = json.load(open(sys.argv[1]))["analyzer"]
assert an["scope_norm"] == "apart", an
assert an["actors"] == [{"side": "russia", "stems": ["russia", "moscow", "kremlin"]},
                        {"side": "west", "stems": ["nato", "us", "washington", "unit state"]}], an["actors"]
assert "scopes" not in an
PY
then ok; else bad actors-manifest "the manifest lacks the stemmed lexicon or the norm, or two runs differ"; fi

# The round trip: tagging reads the lexicon from the manifest (the tone explanation holds the
# copies and the indicator), the same output after the bundle is loaded again (-j 2 too).
golden actors-tag -- stance-tag -m "$tmp/ac1" --jsonl --no-text --all-scores $query
$WRAP "$BIN/stance-tag" -m "$tmp/ac2" --jsonl --no-text --all-scores -j 2 $query >"$tmp/ac-tag2" 2>&1
if cmp -s "$tmp/ac-tag2" "$golden/tag/actors-tag.out"; then ok; else bad actors-reload "another bundle or -j 2 tags otherwise"; fi
$WRAP "$BIN/stance-tag" -m "$tmp/ac1" --jsonl --no-text --explain 60 $query >"$tmp/ac-explain" 2>&1
if python3 - "$tmp/ac-explain" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
for r in recs:
    ex = r["explain"]
    tone = [t["term"] for v in ex["tone"].values() for t in v["terms"]]
    topics = [t["term"] for v in ex["topics"].values() for t in v["terms"]]
    assert [t for t in tone if t.startswith("a:#")], tone
    assert not [t for t in topics if ":" in t], topics
PY
then ok; else bad actors-explain "tone lacks the indicator, or a topic unit weighs a copy"; fi

# The separate norm (and NB ratios and weights of the topic units counted over the plain
# features alone): the topic units of models with --actors or --scopes, with or without
# --nb-weight, are those of a model without them: the same scores, C, thresholds and sigmoids.
topics_of() {
    "$BIN/stance-tag" -m "$1" --jsonl --no-text --all-scores $query |
        python3 -c 'import json,sys; [print(json.dumps(json.loads(l)["scores"]["topics"])) for l in sys.stdin]'
    python3 -c 'import json,sys; print([[u.get(k) for k in ("c", "threshold", "platt", "cv")] for u in json.load(open(sys.argv[1]))["units"] if u["dimension"] == "topics"])' "$1/manifest.json"
}
for nb in "" --nb-weight; do
    "$BIN/stance-train" -q --codebook $cb $nb -o "$tmp/ac-plain" $train 2>/dev/null
    "$BIN/stance-train" -q --codebook $cb $nb --actors data/actors.txt -o "$tmp/ac-act" $train 2>/dev/null
    "$BIN/stance-train" -q --codebook $cb $nb --scopes contrast,negation,last -o "$tmp/ac-scopes" $train 2>/dev/null
    for m in ac-plain ac-act ac-scopes; do topics_of "$tmp/$m" >"$tmp/$m.topics"; done
    if [[ -s $tmp/ac-plain.topics ]] && cmp -s "$tmp/ac-plain.topics" "$tmp/ac-act.topics" &&
        cmp -s "$tmp/ac-plain.topics" "$tmp/ac-scopes.topics"
    then ok; else bad "actors-topics-apart $nb" "topic units differ from a model without scoped features"; fi
done

# A bundle trained before "scope_norm" (--scopes contrast,negation, one shared norm) loads and
# tags as it did, scoped copies included.
golden scopes-shared-tag -- stance-tag -m data/model-scopes-shared --jsonl --no-text --all-scores $query

# Manifests refused at load (exit 1): a field of the analyzer this stance does not know, a bad
# "scope_norm", a bad lexicon.
for case in '{"irony": true}' '{"scope_norm": "both"}' '{"scope_norm": 1}' \
    '{"actors": [{"side": "russia", "stems": ["moscow"]}]}' \
    '{"actors": [{"side": "russia", "stems": ["moscow"]}, {"side": "west", "stems": ["moscow"]}]}' \
    '{"actors": {"russia": ["moscow"]}}'; do
    rm -rf "$tmp/ac-bad" && cp -r "$tmp/ac1" "$tmp/ac-bad"
    python3 - "$tmp/ac-bad/manifest.json" "$case" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["analyzer"].update(json.loads(sys.argv[2]))
json.dump(m, open(sys.argv[1], "w"))
PY
    expect_in "$tmp" "actors-bad-bundle $case" 1 'manifest.json: .*(analyzer|scope_norm|actors|side)' -- \
        stance-tag -m "$tmp/ac-bad" --jsonl $query
done

# Bad lexicons: a data error (exit 1) naming the file and line; one that cannot be read, exit 3;
# nothing written.
for f in syntax empty-side one-side two-sides not-utf8 stem-clash not-word long-line; do
    golden "actors-$f" -- stance-train --codebook $cb --actors data/actors-$f.txt -o "$tmp/acbad-$f" $train
done
golden actors-missing -- stance-train --codebook $cb --actors data/no-such-lexicon.txt -o "$tmp/acbad-missing" $train
golden actors-dir -- stance-train --codebook $cb --actors data -o "$tmp/acbad-dir" $train
if ! ls -d "$tmp"/acbad* >/dev/null 2>&1; then ok; else bad actors-nothing-written "a refused run left files"; fi

# stance-info shows the scoped features: the lexicon's sides, the scopes, the norm.
golden actors-info -- stance-info "$tmp/ac1"
golden scopes-shared-info -- stance-info data/model-scopes-shared

# --actors-applies: the applies unit alone weighs the actor features; the manifest's training
# says so; without --actors it is a usage error (status 2), nothing written.
$WRAP "$BIN/stance-train" -q --codebook $cb --actors data/actors.txt --actors-applies -o "$tmp/ac-app" $train 2>/dev/null
"$BIN/stance-tag" -m "$tmp/ac-app" --jsonl --no-text --explain 100 $query >"$tmp/ac-app.explain" 2>&1
if python3 - "$tmp/ac-app.explain" "$tmp/ac-app/manifest.json" <<'PY'
import json, sys
applies = []
for l in open(sys.argv[1]):
    for value, v in json.loads(l)["explain"]["tone"].items():
        terms = [t["term"] for t in v["terms"] if t["term"].startswith("a:") or " a:" in t["term"]]
        if value == "(applies)":
            applies += terms
        else:
            assert not terms, (value, terms)
assert applies, "the applies unit weighs no actor feature"
assert json.load(open(sys.argv[2]))["training"]["actors_units"] == "applies"
PY
then ok; else bad actors-applies "a value unit weighs an actor feature, or the manifest does not say"; fi
golden actors-applies-alone -- stance-train --codebook $cb --actors-applies -o "$tmp/acbad-app" $train
if [[ ! -e $tmp/acbad-app ]]; then ok; else bad actors-applies-nothing-written "a refused run left a bundle"; fi

# stance-audit takes the same options: out-of-fold scores with the actor features; a bad
# lexicon is the same data error.
golden actors-audit -- stance-audit --codebook $cb --actors data/actors.txt --actors-applies --folds 2 $train
golden actors-audit-bad -- stance-audit --codebook $cb --actors data/actors-syntax.txt --folds 2 $train
