# t_tag_table.sh: stance-tag's scores, moved thresholds and tables (sourced by run.sh):
# --all-scores records, --threshold moving a label in and out (scores unchanged), CSV and TSV
# with hostile text read back by Python's csv module, the same output on several threads, and
# every bad option value (status 2 and its message).
tt=$tmp/table
mkdir -p "$tt"
"$BIN/stance-train" -q --codebook data/codebook-optional.json -o "$tt/model" data/train-optional.jsonl 2>/dev/null
tm=$tt/model
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$tt/project" data/train-small.jsonl 2>/dev/null
# Text that a table must quote or escape: commas, quotes, a tab, a backslash, CR LF inside a
# passage; ids a string and a number.
printf '%s\n' \
    '{"id":"a,\"1\"","text":"NATO, \"Moscow\" and the\tABM treaty \\ missile defence.\r\nA second line, same passage.\n\nKosovo peacekeepers patrolled the Russian sector."}' \
    '{"id":7,"text":"Publication: Monitor Volume: 5 Issue: 154\n\nThe rouble slid and pensioners queued.","year":1999}' >"$tt/odd.jsonl"

# ---- every score ----
golden table-all-scores -- stance-tag -m "$tm" --all-scores --no-text data/tag-optional.txt data/tag-article.txt
golden table-all-scores-article -- stance-tag -m "$tm" --all-scores --no-text --unit document data/tag-article.txt
# the labels are those without --all-scores: deleting the two fields gives the plain records
"$BIN/stance-tag" -m "$tm" --no-text data/tag-article.txt data/tag-optional.txt >"$tt/plain.jsonl"
"$BIN/stance-tag" -m "$tm" --no-text --all-scores data/tag-article.txt data/tag-optional.txt |
    jq -c 'del(.scores, .applies)' >"$tt/stripped.jsonl"
if cmp -s "$tt/plain.jsonl" "$tt/stripped.jsonl"; then ok; else bad table-all-scores-same-labels "labels differ with --all-scores"; fi

# ---- thresholds ----
# tag-optional.txt passage 1: no tone applies (its applies probability is low), no topic.
"$BIN/stance-tag" -m "$tm" --no-text --all-scores data/tag-optional.txt >"$tt/base.jsonl"
applies=$(jq -r 'select(.passage == 1) | .applies.tone' "$tt/base.jsonl")
enl=$(jq -r 'select(.passage == 1) | .scores.topics.enlargement' "$tt/base.jsonl")
conc=$(jq -r 'select(.passage == 2) | .scores.tone.conciliatory' "$tt/base.jsonl")
# table_moved NAME WANT JQ-TEST ARGS...: passes when the records with ARGS satisfy JQ-TEST
# (WANT: true or false) and carry the same scores as without them.
table_moved() {
    local name=$1 want=$2 test=$3
    shift 3
    $WRAP "$BIN/stance-tag" -m "$tm" --no-text --all-scores "$@" data/tag-optional.txt >"$tt/moved.jsonl" 2>"$tt/moved.err"
    local got
    got=$(jq -s "$test" "$tt/moved.jsonl")
    if [[ $got != "$want" ]]; then
        bad "$name" "expected $want, got '$got' $(head -c 300 "$tt/moved.err")"
    elif ! cmp -s <(jq -c '[.scores, .applies]' "$tt/base.jsonl") <(jq -c '[.scores, .applies]' "$tt/moved.jsonl"); then
        bad "$name" "scores changed"
    else
        ok
    fi
}
table_moved table-threshold-base false '.[0].tone != null or (.[0].topics | length) > 0'
table_moved table-threshold-applies-at true '.[0].tone.label == "conciliatory" or .[0].tone.label == "confrontational"' --threshold "tone.applies=$applies"
table_moved table-threshold-applies-dim true '.[0].tone != null' --threshold "tone=$applies"
table_moved table-threshold-applies-above false '.[0].tone != null' --threshold "tone.applies=$(awk -v p="$applies" 'BEGIN { printf "%.4f", p + 0.0001 }')"
table_moved table-threshold-enlargement-at true '.[0].topics | map(.label) == ["enlargement"]' --threshold "enlargement=$enl"
table_moved table-threshold-enlargement-dotted true '.[0].topics | map(.label) == ["enlargement"]' --threshold "topics.enlargement=$enl"
table_moved table-threshold-enlargement-above false '.[0].topics | map(.label) | index("enlargement") != null' --threshold "enlargement=$(awk -v p="$enl" 'BEGIN { printf "%.4f", p + 0.0001 }')"
# passage 2 is confrontational; conciliatory from its score up wins over the more probable one
table_moved table-threshold-single-at true '.[1].tone.label == "conciliatory"' --threshold "conciliatory=$conc"
table_moved table-threshold-single-above true '.[1].tone.label == "confrontational"' --threshold "conciliatory=$(awk -v p="$conc" 'BEGIN { printf "%.4f", p + 0.0001 }')"
table_moved table-threshold-abm-one true '.[1].topics == []' --threshold abm=1
table_moved table-threshold-untrained false 'map(.topics | map(.label) | index("arms_sales") != null) | any' --threshold arms_sales=0
golden table-threshold-csv -- stance-tag -m "$tm" --format csv --threshold "tone=$applies" --threshold "enlargement=$enl" data/tag-optional.txt

# ---- tables ----
golden table-csv -- stance-tag -m "$tm" --format csv data/tag-article.txt data/tag-optional.txt
golden table-tsv-text -- stance-tag -m "$tm" --format tsv --text data/tag-article.txt
golden table-csv-jsonl-text -- stance-tag -m "$tm" --format csv --jsonl --text "$tt/odd.jsonl"
golden table-tsv-jsonl-text -- stance-tag -m "$tm" --format tsv --jsonl --text "$tt/odd.jsonl"
golden table-csv-article -- stance-tag -m "$tm" --format csv --unit document --text --jsonl "$tt/odd.jsonl"
golden table-csv-empty -- stance-tag -m "$tm" --format csv --jsonl /dev/null
# nothing to label (no text, metadata only: a row with empty labels and scores in the article
# unit, the meta passage's row), and an id with a line break, quoted in CSV, escaped in TSV
printf '%s\n' '{"id":"e","text":""}' '{"id":"m","text":"Publication: Monitor Volume: 5 Issue: 154"}' \
    '{"id":"new\nline","text":"Kosovo."}' >"$tt/nothing.jsonl"
golden table-csv-nothing-article -- stance-tag -m "$tm" --format csv --jsonl --unit document "$tt/nothing.jsonl"
golden table-tsv-nothing -- stance-tag -m "$tm" --format tsv --jsonl "$tt/nothing.jsonl"
golden table-csv-all-scores -- stance-tag -m "$tm" --format csv --all-scores --no-text data/tag-optional.txt

# table_parses NAME FILE DELIMITER ARTICLES: FILE reads as a table with Python's csv module
# (or, for TSV, splits on tabs and unescapes), every row as long as the header, and each text
# cell is the bytes start..end of its article (ARTICLES: JSON Lines, the "text" by id).
table_parses() {
    if python3 - "$@" <<'PY' 2>"$tt/py.err"; then ok; else bad "$1" "$(tail -3 "$tt/py.err")"; fi
import csv, io, json, sys
name, path, delim, articles = sys.argv[1:5]
texts = {}
for line in open(articles, encoding="utf-8"):
    a = json.loads(line)
    texts[str(a["id"])] = a["text"].encode("utf-8")
data = open(path, "rb").read().decode("utf-8")
if delim == ",":
    rows = list(csv.reader(io.StringIO(data, newline="")))
else:
    unesc = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    def field(s):
        out, i = [], 0
        while i < len(s):
            if s[i] == "\\":
                out.append(unesc[s[i + 1]]); i += 2
            else:
                out.append(s[i]); i += 1
        return "".join(out)
    rows = [[field(c) for c in line.split("\t")] for line in data.split("\n")[:-1]]
header = rows[0]
assert len(rows) > 2, rows
for r in rows:
    assert len(r) == len(header), (len(r), len(header), r)
col = {h: i for i, h in enumerate(header)}
for r in rows[1:]:
    want = texts[r[col["id"]]][int(r[col["start"]]):int(r[col["end"]])].decode("utf-8")
    assert r[col["text"]] == want, (r[col["text"]], want)
    assert r[col["doc"]] == r[col["id"]]
    for h in header:
        if "." in h and r[col[h]] != "":
            assert 0 <= float(r[col[h]]) <= 1, r
first = [r for r in rows[1:] if r[col["doc"]] == 'a,"1"']
assert first and ',' in first[0][col["text"]] and '"' in first[0][col["text"]] and "\n" in first[0][col["text"]]
PY
}
"$BIN/stance-tag" -m "$tm" --format csv --jsonl --text "$tt/odd.jsonl" >"$tt/odd.csv"
table_parses table-csv-python "$tt/odd.csv" , "$tt/odd.jsonl"
"$BIN/stance-tag" -m "$tm" --format tsv --jsonl --text "$tt/odd.jsonl" >"$tt/odd.tsv"
table_parses table-tsv-python "$tt/odd.tsv" tab "$tt/odd.jsonl"
"$BIN/stance-tag" -m "$tm" --format csv --jsonl --text --unit document "$tt/odd.jsonl" >"$tt/odd-article.csv"
table_parses table-csv-article-python "$tt/odd-article.csv" , "$tt/odd.jsonl"

# ---- several threads: the same bytes ----
for args in "--all-scores" "--format csv --text" "--format tsv --text --unit document" \
    "--all-scores --threshold tone=0.2 --threshold enlargement=0.1" "--format csv --jsonl --text"; do
    input=../examples
    [[ $args == *--jsonl* ]] && input=$tt/odd.jsonl
    "$BIN/stance-tag" -m "$tm" $args "$input" >"$tt/one.out" 2>&1
    $WRAP "$BIN/stance-tag" -j 3 -m "$tm" $args "$input" >"$tt/three.out" 2>&1
    if [[ -s $tt/one.out ]] && cmp -s "$tt/one.out" "$tt/three.out"; then ok; else bad "table-jobs $args" "-j 3 differs from -j 1"; fi
done

# ---- bad option values: status 2, the value named ----
golden table-bad-unknown -- stance-tag -m "$tm" --threshold xyz=0.3 data/tag-optional.txt
golden table-bad-above-one -- stance-tag -m "$tm" --threshold kosovo=1.5 data/tag-optional.txt
golden table-bad-negative -- stance-tag -m "$tm" --threshold kosovo=-0.1 data/tag-optional.txt
golden table-bad-word -- stance-tag -m "$tm" --threshold kosovo=abc data/tag-optional.txt
golden table-bad-empty-p -- stance-tag -m "$tm" --threshold kosovo= data/tag-optional.txt
golden table-bad-no-equals -- stance-tag -m "$tm" --threshold kosovo data/tag-optional.txt
golden table-bad-twice -- stance-tag -m "$tm" --threshold kosovo=0.2 --threshold topics.kosovo=0.3 data/tag-optional.txt
golden table-bad-not-optional -- stance-tag -m "$tt/project" --threshold tone=0.3 data/tag-optional.txt
golden table-bad-missing -- stance-tag -m "$tm" data/tag-optional.txt --threshold
golden table-bad-format -- stance-tag -m "$tm" --format xml data/tag-optional.txt
golden table-bad-text-jsonl -- stance-tag -m "$tm" --text data/tag-optional.txt
golden table-bad-text-no-text -- stance-tag -m "$tm" --format csv --text --no-text data/tag-optional.txt
