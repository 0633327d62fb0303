# t_import.sh: stance-import on small exports written in each tool's format (doccano,
# Label Studio JSON and JSON_MIN, Prodigy db-out), its bad inputs, stance-train --check on the
# result, and a tiny model trained on it (sourced by run.sh).

icb=data/codebook-optional.json
imp=data/import
mkdir -p "$tmp/import"

# Each format, with its quirks: two doccano projects joined by passage_id (the last passage has
# none: joined by its text), a prefixed multi-label project, Label Studio with several
# annotators, a cancelled annotation, an unanswered task and another control's result; JSON_MIN
# with one choice as a string and several as {"choices": [...]}; Prodigy choice tasks with
# accept, reject, ignore and an empty accept, and binary tasks merged per _input_hash.
golden import-doccano-projects -- stance-import --codebook $icb --from doccano \
    --project topics=$imp/doccano-topics.jsonl --project tone=$imp/doccano-tone.jsonl
golden import-doccano-prefixed -- stance-import --codebook $icb --from doccano $imp/doccano-prefixed.jsonl
golden import-doccano-prefixed-required -- stance-import --codebook data/codebook-project.json --from doccano $imp/doccano-prefixed.jsonl
golden import-labelstudio -- stance-import --codebook $icb --from labelstudio $imp/labelstudio.json
golden import-labelstudio-majority -- stance-import --codebook $icb --from labelstudio --resolve majority $imp/labelstudio.json
golden import-labelstudio-first -- stance-import --codebook $icb --from labelstudio --resolve first $imp/labelstudio.json
golden import-labelstudio-drop -- stance-import --codebook $icb --from labelstudio --resolve drop $imp/labelstudio.json
golden import-labelstudio-min -- stance-import --codebook $icb --from labelstudio-min $imp/labelstudio-min.json
golden import-prodigy -- stance-import --codebook $icb --from prodigy $imp/prodigy.jsonl
golden import-mapped -- stance-import --codebook $icb --from labelstudio --map $imp/map.json $imp/labelstudio-mapped.json
golden import-stdin $imp/prodigy.jsonl -- stance-import --codebook $icb --from prodigy
# JSON_MIN as JSON Lines reads the same as the array.
"$BIN/stance-import" --codebook $icb --from labelstudio-min $imp/labelstudio-min.json >"$tmp/import/min-array" 2>/dev/null
jq -c '.[]' $imp/labelstudio-min.json >"$tmp/import/min.jsonl"
"$BIN/stance-import" --codebook $icb --from labelstudio-min "$tmp/import/min.jsonl" >"$tmp/import/min-lines" 2>/dev/null
if [[ -s $tmp/import/min-array ]] && cmp -s "$tmp/import/min-array" "$tmp/import/min-lines"; then ok
else bad import-min-lines "JSON_MIN as JSON Lines differs from the array"; fi

# Every error of a file in one pass (file, line or array index, value), status 1, nothing written.
golden import-doccano-bad -- stance-import --codebook $icb --from doccano $imp/doccano-bad.jsonl
golden import-labelstudio-bad -- stance-import --codebook $icb --from labelstudio $imp/labelstudio-bad.json
golden import-labelstudio-broken -- stance-import --codebook $icb --from labelstudio $imp/labelstudio-broken.json
golden import-labelstudio-min-bad -- stance-import --codebook $icb --from labelstudio-min $imp/labelstudio-min-bad.jsonl
golden import-prodigy-bad -- stance-import --codebook $icb --from prodigy $imp/prodigy-bad.jsonl
golden import-bad-and-good -- stance-import --codebook $icb --from doccano $imp/doccano-prefixed.jsonl $imp/doccano-bad.jsonl
# A label of two dimensions, a wrong dimension in a prefix, a project of another tool.
printf '{"id":1,"text":"Both.","label":["shared"]}\n{"id":2,"text":"Prefix.","label":["tone:kosovo"]}\n' >"$tmp/import/ambiguous.jsonl"
printf '{"dimensions":[{"name":"a","kind":"multi","values":[{"label":"shared"}]},{"name":"b","kind":"multi","values":[{"label":"shared"}]},{"name":"tone","kind":"multi","values":[{"label":"x"}]}]}\n' >"$tmp/import/cb.json"
golden import-ambiguous -- stance-import --codebook "$tmp/import/cb.json" --from doccano "$tmp/import/ambiguous.jsonl"

# -o: written atomically; on an error the old file stays and no temporary is left.
echo old >"$tmp/import/out.jsonl"
expect_in "$tmp/import" import-o-bad 1 'unknown label' -- stance-import --codebook $icb --from doccano -o "$tmp/import/out.jsonl" $imp/doccano-bad.jsonl
if [[ $(cat "$tmp/import/out.jsonl") == old ]] && ! ls "$tmp"/import/out.jsonl.* >/dev/null 2>&1; then ok
else bad import-o-kept "the old output was changed or a temporary left"; fi
expect_in "$tmp/import" import-o 0 'left out: 1 rejected, 2 ignored' -- stance-import --codebook $icb --from prodigy -o "$tmp/import/out.jsonl" $imp/prodigy.jsonl
if [[ ! -s $tmp/import/out ]] && cmp -s "$tmp/import/out.jsonl" "$golden/import/import-prodigy.out"; then ok
else bad import-o-written "-o did not write the records"; fi
expect_in "$tmp/import" import-o-dir 3 'is a directory; give the name of the labeled passages file to write' -- stance-import --codebook $icb --from prodigy -o "$tmp/import" $imp/prodigy.jsonl

# Usage errors.
golden import-help -- stance-import --help
golden import-no-from -- stance-import --codebook $icb $imp/prodigy.jsonl
golden import-bad-from -- stance-import --codebook $icb --from brat $imp/prodigy.jsonl
golden import-bad-resolve -- stance-import --codebook $icb --from prodigy --resolve vote $imp/prodigy.jsonl
golden import-project-no-eq -- stance-import --codebook $icb --from doccano --project $imp/doccano-topics.jsonl
golden import-project-other-tool -- stance-import --codebook $icb --from prodigy --project topics=$imp/prodigy.jsonl
golden import-project-unknown -- stance-import --codebook $icb --from doccano --project topic=$imp/doccano-topics.jsonl
golden import-missing -- stance-import --codebook $icb --from doccano $imp/no-such.jsonl
golden import-bad-map -- stance-import --codebook $icb --from labelstudio --map data/codebook-optional.json $imp/labelstudio.json

# Imported, checked, trained: the two doccano projects make a training file that passes
# --check (with warnings: few passages per value) and trains a tiny model.
"$BIN/stance-import" --codebook $icb --from doccano --project topics=$imp/doccano-topics.jsonl \
    --project tone=$imp/doccano-tone.jsonl -o "$tmp/import/train.jsonl" 2>/dev/null
golden check-imported -- stance-train --codebook $icb --check "$tmp/import/train.jsonl"
expect_in "$tmp/import" train-imported 0 'warning: .*topics=kosovo: 2 labeled passages, fewer than 10' -- \
    stance-train --codebook $icb --min-df 1 --folds 0 -o "$tmp/import/model" "$tmp/import/train.jsonl"
if [[ -s $tmp/import/model/manifest.json ]] &&
    $WRAP "$BIN/stance-tag" -m "$tmp/import/model" --no-text data/tag-article.txt | grep -q '"topics"'
then ok; else bad train-imported-tags "no model, or it does not tag"; fi
# Several annotators of one passage: --check refuses the same text with other labels until
# --resolve makes one record of them.
"$BIN/stance-import" --codebook $icb --from labelstudio $imp/labelstudio.json >"$tmp/import/ls.jsonl" 2>/dev/null
golden check-annotators -- stance-train --codebook $icb --check "$tmp/import/ls.jsonl"
"$BIN/stance-import" --codebook $icb --from labelstudio --resolve majority $imp/labelstudio.json >"$tmp/import/ls1.jsonl" 2>/dev/null
expect_in "$tmp/import" check-resolved 0 'labeled passages per value \(4 records\)' -- stance-train --codebook $icb --check "$tmp/import/ls1.jsonl"

# stance-train --check on files made by hand: every problem at once, nothing trained.
golden check-problems -- stance-train --codebook $icb --check data/check-problems.jsonl
golden check-export -- stance-train --codebook $icb --check $imp/doccano-topics.jsonl
golden train-problems -- stance-train -q --codebook $icb -o "$tmp/import/never" data/check-problems.jsonl
if [[ ! -e $tmp/import/never ]]; then ok; else bad train-problems-nothing "a bundle was written"; fi
golden check-min-examples -- stance-train --codebook $icb --check --min-examples 3 -q data/train-optional.jsonl
golden check-with-o -- stance-train --codebook $icb --check -o "$tmp/import/x" data/train-optional.jsonl
golden check-corpus -- stance-train --codebook ../labels/codebook.json --check ../labels/passages.jsonl
expect_in "$tmp/import" check-stdin 1 '^stance-train: warning: /dev/stdin:4: same text as line 3' data/check-problems.jsonl -- \
    stance-train --codebook $icb --check /dev/stdin
# A file that cannot be read after one with errors: the errors, then the failed read (status 3).
golden import-bad-then-missing -- stance-import --codebook $icb --from doccano $imp/doccano-bad.jsonl $imp/no-such.jsonl
printf '{"labels": {"Kosovo": "topics:bosnia"}}\n' >"$tmp/import/badmap.json"
golden import-map-unknown-label -- stance-import --codebook $icb --from labelstudio --map "$tmp/import/badmap.json" $imp/labelstudio.json
golden check-missing -- stance-train --codebook $icb --check data/no-such-file.jsonl
golden check-bad-min -- stance-train --codebook $icb --check --min-examples 0 data/train-optional.jsonl
