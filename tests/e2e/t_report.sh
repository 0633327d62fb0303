# t_report.sh: stance-report on small tagged, article and gold files (sourced by run.sh). The
# browser's view of the page is in t_report_browser.sh.

rt=data/report-tagged.jsonl
ra=data/report-article.txt
rg=data/report-gold.jsonl
# The whole page, golden: summary, gold section, cards with explained terms highlighted.
golden report-gold -- stance-report --title fixture $rt $ra --gold $rg
golden report-no-articles -- stance-report --title fixture $rt
golden report-help -- stance-report --help

# Hostile text stays text: no element from the article's <script> or <img>.
"$BIN/stance-report" $rt $ra >"$tmp/page.html" 2>"$tmp/err"
if grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/page.html" &&
   grep -q '&lt;img src=x onerror=alert(2)&gt;' "$tmp/page.html" &&
   ! grep -qi '<script\|<img' "$tmp/page.html" &&
   ! grep -q 'https\?:' "$tmp/page.html"; then ok; else bad report-escaped "markup or a URL in the page"; fi
# Every record gets a card, and the page names no other origin.
n=$(grep -o 'class="card"' "$tmp/page.html" | wc -l)
if [[ $n == 3 ]]; then ok; else bad report-cards "$n cards for 3 records"; fi
# The explained spans slice to their words in the page (the term's title on the highlighted word).
if grep -q 'title="kfor &#8594; kosovo +0.630&#10;kfor &#8594; conciliatory -0.050">KFOR<' "$tmp/page.html" ||
   grep -q 'title="kfor → kosovo +0.630&#10;kfor → conciliatory -0.050">KFOR<' "$tmp/page.html"; then ok
else bad report-span "KFOR not highlighted with its two contributions"; fi

# The examples, tagged by the shipped model: every record a card, text from the articles.
"$BIN/stance-tag" -m ../models/default --no-text ../examples/ >"$tmp/ex.jsonl"
expect_in "$tmp" report-examples 0 '' -- stance-report "$tmp/ex.jsonl" ../examples/
if [[ $(grep -o 'class="card"' "$tmp/out" | wc -l) == $(wc -l <"$tmp/ex.jsonl") ]] &&
   grep -q 'RUSSIAN AND KFOR TROOPS BEGIN JOINT PATROLS' "$tmp/out"; then ok
else bad report-examples-cards "cards or text missing"; fi
# JSON Lines articles, matched by id; a codebook read off records with one tone value cannot be
# told (status 1), the project's codebook can.
golden report-jsonl-no-codebook -- stance-report data/report-jsonl-tagged.jsonl --jsonl data/report-articles.jsonl
expect_in "$tmp" report-jsonl 0 '' -- stance-report --codebook ../labels/codebook.json --jsonl data/report-jsonl-tagged.jsonl data/report-articles.jsonl
if grep -q 'NATO &lt;b&gt;TALKS&lt;/b&gt; RESUME.' "$tmp/out" && grep -q 'Brussels &amp; agreed' "$tmp/out"; then ok
else bad report-jsonl-text "JSON Lines article text missing"; fi
# Standard input for the records.
expect_in "$tmp" report-stdin 0 '' $rt -- stance-report --title "stance report: $rt" - $ra
if cmp -s "$tmp/out" "$tmp/page.html"; then ok; else bad report-stdin-same "stdin gives another page"; fi

# Bad input: file and line, documented statuses.
golden report-bad-json -- stance-report data/report-bad-json.jsonl $ra
golden report-no-doc -- stance-report data/report-no-doc.jsonl
golden report-end-before-start -- stance-report data/report-end-before-start.jsonl
golden report-unknown-doc -- stance-report --codebook ../labels/codebook.json data/report-unknown-doc.jsonl $ra
golden report-out-of-range -- stance-report --codebook ../labels/codebook.json data/report-out-of-range.jsonl $ra
golden report-span-outside -- stance-report data/report-span-outside.jsonl $ra
golden report-shape-conflict -- stance-report data/report-shape-conflict.jsonl
golden report-bad-score -- stance-report data/report-bad-score.jsonl
golden report-unknown-value -- stance-report --codebook ../labels/codebook.json data/report-unknown-value.jsonl
golden report-gold-nojoin -- stance-report $rt --gold data/report-gold-nojoin.jsonl
golden report-gold-empty -- stance-report $rt --gold data/empty.txt
golden report-empty -- stance-report data/empty.txt
golden report-missing -- stance-report data/no-such-file.jsonl
golden report-missing-article -- stance-report $rt data/no-such-article.txt
golden report-two-articles -- stance-report $rt $ra $ra
golden report-no-args -- stance-report
golden report-stdin-twice -- stance-report - --gold -
golden report-bad-max -- stance-report --max-article-bytes 0 $rt
golden report-bad-option -- stance-report --frobnicate $rt

# -o: written whole and renamed; an earlier report is replaced, anything else refused as it was.
expect_in "$tmp" report-o 0 '' -- stance-report -o "$tmp/r.html" $rt $ra
if cmp -s "$tmp/r.html" "$tmp/page.html" && [[ ! -s $tmp/out ]]; then ok; else bad report-o-same "-o differs from stdout"; fi
expect_in "$tmp" report-o-again 0 '' -- stance-report -o "$tmp/r.html" $rt
echo 'precious' >"$tmp/notes.txt"
expect_in "$tmp" report-o-foreign 3 'notes.txt: exists and is not a stance report' -- stance-report -o "$tmp/notes.txt" $rt
if [[ $(cat "$tmp/notes.txt") == precious ]]; then ok; else bad report-o-foreign-kept "notes.txt changed"; fi
expect_in "$tmp" report-o-dir 3 'is a directory' -- stance-report -o "$tmp" $rt
expect_in "$tmp" report-o-nodir 3 'cannot create' -- stance-report -o "$tmp/no/such/r.html" $rt
# A failure after the check leaves the earlier report as it was, and no temporary.
cp "$tmp/r.html" "$tmp/before.html"
expect_in "$tmp" report-o-fail 1 'report-unknown-doc.jsonl:2: no article named' -- stance-report -o "$tmp/r.html" --codebook ../labels/codebook.json data/report-unknown-doc.jsonl $ra
if cmp -s "$tmp/r.html" "$tmp/before.html" && ! ls "$tmp"/r.html.tmp.* >/dev/null 2>&1; then ok
else bad report-o-fail-kept "report changed or temporary left"; fi
ln -s r.html "$tmp/link.html"
expect_in "$tmp" report-o-link 3 'symbolic link' -- stance-report -o "$tmp/link.html" $rt
# A full disk on standard output is status 3, naming it.
$WRAP "$BIN/stance-report" $rt $ra >/dev/full 2>"$tmp/full.err"
expect_result report-full 3 '^stance-report: <stdout>: (write failed|cannot write)' "$tmp/full.err" $?
# A temporary that a killed run left beside the target is removed by the next run, which says so.
: >"$tmp/r.html.tmp.AbC123"
touch -d '1 hour ago' "$tmp/r.html.tmp.AbC123"
expect_in "$tmp" report-stale 0 'removed .*r.html.tmp.AbC123, left by an interrupted run' -- stance-report -o "$tmp/r.html" $rt
if [[ ! -e $tmp/r.html.tmp.AbC123 ]]; then ok; else bad report-stale-gone "the temporary is still there"; fi
# CRLF text after a byte-order mark: offsets count the mark, line ends are not replaced.
"$BIN/stance-tag" -m ../models/default --no-text data/crlf-bom.txt >"$tmp/crlf.jsonl"
expect_in "$tmp" report-crlf 0 '' -- stance-report --codebook ../labels/codebook.json "$tmp/crlf.jsonl" data/crlf-bom.txt
if grep -q '<p class="t">First paragraph, Windows style\.' "$tmp/out" && ! grep -q $'\xef\xbf\xbd' "$tmp/out"; then ok
else bad report-crlf-text "CRLF text shifted or replaced"; fi
