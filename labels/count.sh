#!/bin/sh
# count.sh: prints the label counts of a labeled passage file (default labels/passages.jsonl)
# for the table in labels/README.md. Plain grep over the file's one-object-per-line layout
# ("topics": [...] and "tone": ... written with ", " and ": " separators, as the file is).
f=${1:-labels/passages.jsonl}
printf 'passages: %s\n' "$(grep -c . "$f")"
for t in kosovo enlargement abm arms_sales; do
    all=$(grep -c "\"topics\": \[[^]]*\"$t\"" "$f")
    conc=$(grep "\"topics\": \[[^]]*\"$t\"" "$f" | grep -c '"tone": "conciliatory"')
    conf=$(grep "\"topics\": \[[^]]*\"$t\"" "$f" | grep -c '"tone": "confrontational"')
    printf '%-12s %4s  conciliatory %4s  confrontational %4s\n' "$t" "$all" "$conc" "$conf"
done
printf '%-12s %4s\n' "no topic" "$(grep -c '"topics": \[\]' "$f")"
printf '%-12s %4s\n' "two+ topics" "$(grep -c '"topics": \["[^"]*", "' "$f")"
printf '%-12s %4s  conciliatory %4s  confrontational %4s  none applies %4s  unlabeled %4s\n' \
    "tone" "" "$(grep -c '"tone": "conciliatory"' "$f")" "$(grep -c '"tone": "confrontational"' "$f")" \
    "$(grep -c '"tone": \[\]' "$f")" "$(grep -vc '"tone": [["]' "$f")"
