# t_info.sh: stance-info (sourced by run.sh): the card of the shipped model as text and JSON
# (goldens); on models trained here, an untrained unit, the applies unit and a kernel model
# (no terms); --terms 0 and bad options; bad model directories give the status stance-tag
# gives for them.
n=$tmp/info
mkdir -p "$n"
"$BIN/stance-train" -q --folds 3 --codebook data/codebook-optional.json -o "$n/optional" data/train-optional.jsonl 2>/dev/null
"$BIN/stance-train" -q --folds 0 --kernel rbf --codebook data/codebook-project.json -o "$n/rbf" data/train-small.jsonl 2>/dev/null

golden info-default -- stance-info ../models/default
golden info-default-json -- stance-info --json --terms 3 ../models/default
golden info-terms-0 -- stance-info --terms 0 ../models/default

# The JSON card of trained models, checked against their manifests.
# card_check NAME MODEL PYTHON: runs stance-info --json MODEL and PYTHON on it (card, man).
card_check() {
    local name=$1 model=$2 code=$3
    if ! $WRAP "$BIN/stance-info" --json --terms 4 "$model" >"$n/card.json" 2>"$n/err"; then
        bad "$name" "status: $(head -c 300 "$n/err")"
    elif ! python3 -c "import json, sys
card = json.load(open(sys.argv[1]))
man = json.load(open(sys.argv[2] + '/manifest.json'))
assert [u['dimension'] for u in card['units']] == [u['dimension'] for u in man['units']]
assert card['training'] == man['training']
$code" "$n/card.json" "$model" 2>"$n/err"; then
        bad "$name" "$(tail -c 300 "$n/err")"
    else
        ok
    fi
}
card_check info-optional "$n/optional" '
u = card["units"]
assert u[3]["trained"] is False and u[3]["why_not"].startswith("no positive examples"), u[3]
assert u[3]["terms"] is None and u[3]["c"] is None and u[3]["positives"] is None
assert u[5]["applies"] is True and u[5]["value"] is None
assert u[5]["positives"] == man["units"][5]["cv"]["applies"]
assert u[4]["positives"] == man["units"][4]["cv"]["first"]
for k in (0, 1, 2, 4, 5):
    assert u[k]["platt"] == man["units"][k]["platt"]
    assert 1 <= len(u[k]["terms"]["positive"]) <= 4 and len(u[k]["terms"]["negative"]) <= 4
    w = [t["weight"] for t in u[k]["terms"]["positive"]]
    assert w == sorted(w, reverse=True) and all(x > 0 for x in w)
assert u[0]["threshold"] == man["units"][0]["threshold"]
assert abs(u[0]["threshold_probability"] - 1 / (1 + 2.718281828459045 ** (u[0]["platt"]["a"] * u[0]["threshold"] + u[0]["platt"]["b"]))) < 1e-9
assert abs(u[5]["threshold_probability"] - 0.5) < 1e-9
assert card["analyzer"]["stopwords"] == len(man["analyzer"]["stopwords"])
assert card["codebook"][1]["optional"] is True
'
card_check info-rbf "$n/rbf" '
assert card["svm"]["kernel"] == "rbf"
assert all(u["terms"] is None for u in card["units"])
'
expect_in "$n" info-rbf-text 0 '' -- stance-info "$n/rbf"
if grep -q 'kernel rbf (gamma' "$n/out" && ! grep -q 'terms (weight)' "$n/out"; then ok; else bad info-rbf-text "$(head -c 300 "$n/out")"; fi

golden info-terms-junk -- stance-info --terms 3x ../models/default
golden info-terms-negative -- stance-info --terms -1 ../models/default
golden info-terms-missing -- stance-info ../models/default --terms
golden info-no-model -- stance-info
golden info-two-models -- stance-info ../models/default ../models/default
golden info-unknown-option -- stance-info --bogus ../models/default

# Bad model directories: the status stance-tag gives, and a message naming the place.
mkdir -p "$n/empty"
cp -r ../models/default "$n/truncated" 2>/dev/null || true
truncate -s 1000 "$n/truncated/weights.bin"
printf '{"format": "other"}' >"$n/other.json"
mkdir -p "$n/other" && cp "$n/other.json" "$n/other/manifest.json"
for bad_dir in "$n/none" data/empty.txt "$n/empty" "$n/truncated" "$n/other"; do
    "$BIN/stance-tag" -m "$bad_dir" data/tag-article.txt >/dev/null 2>&1
    want=$?
    expect_in "$n" "info-bad-${bad_dir##*/}" "$want" "^stance-info: .*${bad_dir##*/}" -- stance-info "$bad_dir"
    if [[ $want == 0 || -s $n/out ]]; then bad "info-bad-${bad_dir##*/}" "status $want, or output"; else ok; fi
done
golden info-help -- stance-info --help
