# t_records.sh: the records stance-tokenize and stance-tag write, byte for byte (sourced by
# run.sh): every kind of field a JSON Lines article passes through (each JSON type, reals as
# jansson prints them, keys and text that need escaping, keys named like the record's own
# fields), document names that need escaping, and stance-stem's records over them.
# (A document name that is not UTF-8 is a data error before any record is made: see
# hostile-tag-latin1-file-name in t_hostile.sh.)
rec=$tmp/records
mkdir -p "$rec"
"$BIN/stance-train" -q --folds 0 --codebook data/codebook-project.json -o "$rec/model" data/train-small.jsonl 2>/dev/null

printf '%s\n' \
    '{"id":"r\u00e9c \"1\"\t","text":"NATO TALKS \"RESUME\" ON KOSOVO.\n\nEnvoys met in Pristina over Kosovo \\ the \u0001 base; caf\u00e9 \u20ac5 \ud83d\ude00 \u007f.\r\n\nPublication: Monitor Volume: 5 Issue: 154\n\nThe alliance said enlargement would go ahead.","source":"t\u00e9st/\u001f","year":2001,"real":0.1,"tiny":1.5e-7,"huge":1e300,"neg":-0.0,"whole":2.0,"big":12345678901234567,"digits":0.123456789012345678,"flags":[true,false,null],"nested":{"b":[{"c":"\u2028"}],"a":{}},"k\u00e9y \"q\"":"v","passage":99,"topics":["kosovo"],"tone":null,"":"empty key"}' \
    '{"id":7,"text":"One paragraph only, on arms sales.","year":1999}' \
    '{"text":"","id":"empty"}' >"$rec/articles.jsonl"
golden records-tokenize -- stance-tokenize --jsonl "$rec/articles.jsonl"
golden records-tokenize-offsets -- stance-tokenize --jsonl --offsets "$rec/articles.jsonl"
"$BIN/stance-tokenize" --jsonl "$rec/articles.jsonl" >"$rec/tokens.jsonl"
golden records-stem "$rec/tokens.jsonl" -- stance-stem
golden records-tag -- stance-tag -m "$rec/model" --jsonl "$rec/articles.jsonl"
golden records-tag-article -- stance-tag -m "$rec/model" --jsonl --unit document --no-text "$rec/articles.jsonl"

# A file name with characters JSON escapes becomes the "doc" of every record.
odd_name=$rec/$'d"o\\c\t\xc3\xa9'.txt
cp data/tag-article.txt "$odd_name"
golden records-tokenize-name -- stance-tokenize "$odd_name"
golden records-tag-name -- stance-tag -m "$rec/model" "$odd_name"
