# t_nbweight.sh: stance-train --nb-weight (sourced by run.sh). The NB weights are folded into
# ordinary linear unit files, so stance-tag reads the bundle unchanged; the manifest records
# the option; kernel models refuse it before anything is written.

cb=data/codebook-project.json
if "$BIN/stance-train" -q --bundle-format 1 --nb-weight --codebook $cb -o "$tmp/nb1" data/train-small.jsonl 2>/dev/null &&
    tr -d ' \n' <"$tmp/nb1/manifest.json" | grep -q '"nb_weight":{"alpha":1.0,"beta":0.25}' &&
    [[ $(head -1 "$tmp/nb1/unit-0.txt") == 'stance-linear 1' ]]
then ok; else bad nb-train "no NB-weighted bundle, or the manifest does not record the option"; fi

# Without the option nothing changes: "nb_weight" is null.
"$BIN/stance-train" -q --codebook $cb -o "$tmp/plain" data/train-small.jsonl 2>/dev/null
if tr -d ' \n' <"$tmp/plain/manifest.json" | grep -q '"nb_weight":null'; then ok
else bad nb-off "manifest of a plain model does not say nb_weight null"; fi

# Deterministic, on one thread or two; --nb-beta is recorded.
$WRAP "$BIN/stance-train" -q --bundle-format 1 --nb-weight -j 2 --codebook $cb -o "$tmp/nb2" data/train-small.jsonl 2>/dev/null
"$BIN/stance-train" -q --nb-weight --nb-beta 1 --codebook $cb -o "$tmp/nb3" data/train-small.jsonl 2>/dev/null
if diff -r "$tmp/nb1" "$tmp/nb2" >/dev/null && tr -d ' \n' <"$tmp/nb3/manifest.json" | grep -q '"beta":1.0'
then ok; else bad nb-deterministic "bundles differ between thread counts, or --nb-beta not recorded"; fi

# The libsvm engine (linear kernel) folds the weights too.
if "$BIN/stance-train" -q --bundle-format 1 --nb-weight --engine libsvm --codebook $cb -o "$tmp/nbsvm" data/train-small.jsonl 2>/dev/null &&
    [[ $(head -1 "$tmp/nbsvm/unit-0.txt") == 'stance-linear 1' ]]; then ok
else bad nb-libsvm "libsvm linear with --nb-weight did not give a linear bundle"; fi

golden nb-tag -- stance-tag -m "$tmp/nb1" --jsonl --no-text data/articles.jsonl
"$BIN/stance-tag" -m "$tmp/nb1" --jsonl --unit document --no-text data/train-small.jsonl >"$tmp/nb-self.pred"
golden nb-chain-eval -- stance-eval --codebook $cb --gold data/train-small.jsonl "$tmp/nb-self.pred"

# Usage errors: exit 2, nothing written.
golden nb-rbf -- stance-train --nb-weight --kernel rbf --codebook $cb -o "$tmp/nbbad1" data/train-small.jsonl
golden nb-poly -- stance-train --nb-weight --engine libsvm --kernel poly --codebook $cb -o "$tmp/nbbad2" data/train-small.jsonl
golden nb-beta-range -- stance-train --nb-weight --nb-beta 1.5 --codebook $cb -o "$tmp/nbbad3" data/train-small.jsonl
golden nb-beta-text -- stance-train --nb-weight --nb-beta x --codebook $cb -o "$tmp/nbbad4" data/train-small.jsonl
golden nb-beta-alone -- stance-train --nb-beta 0.5 --codebook $cb -o "$tmp/nbbad5" data/train-small.jsonl
if ! ls -d "$tmp"/nbbad* >/dev/null 2>&1; then ok; else bad nb-nothing-written "a refused run left files"; fi
