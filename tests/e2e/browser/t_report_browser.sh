# t_report_browser.sh: stance-report's page as a real browser sees it (headless Chromium), sourced
# by run.sh: `make browser-check` (also in .ci/run). Every passage card is in the DOM, hostile
# text did not become markup, the page made no network request (Chromium's net log, checked
# against a control page that does make one), a screenshot is kept in build/report-browser/,
# and a generated 1,000-article report loads (size and load time printed).
# Skipped, with a message, when chromium is not installed.

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium_bin ]]; then
    echo "t_report_browser.sh: skipped: chromium is not installed (Debian: apt-get install chromium)"
    return 0
fi
shots=$tests/../build/report-browser
mkdir -p "$shots"
# Headless, without the browser's own background traffic (updates, sync) where flags allow.
browse() {
    timeout 120 "$chromium_bin" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chromium.err"
}
# Requests a page made (URL_REQUEST_START_JOB with a URL that is not file: or data: and an
# initiator, as the page's own requests have; the browser's background ones have none).
page_requests() {
    python3 - "$1" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
for e in log["events"]:
    p = e.get("params", {})
    url = p.get("url", "")
    if e["type"] == start and not url.startswith(("file:", "data:")) \
            and p.get("initiator", "not an origin") != "not an origin":
        print(url)
PY
}

# The examples tagged by the shipped model, after the fixture with explanations whose text
# holds <script> and <img>; its gold labels.
"$BIN/stance-tag" -m ../models/default --no-text ../examples/ >"$tmp/ex.jsonl"
cat data/report-tagged.jsonl "$tmp/ex.jsonl" >"$tmp/all.jsonl"
records=$(wc -l <"$tmp/all.jsonl")
expect_in "$tmp" browser-make 0 '' -- stance-report --title "stance report: examples" \
    -o "$tmp/report.html" "$tmp/all.jsonl" data/report-article.txt ../examples/ --gold data/report-gold.jsonl

browse --log-net-log="$tmp/net.json" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
cards=$(grep -o '<div class="card"' "$tmp/dom.html" | wc -l)
if [[ $cards == "$records" ]]; then ok; else bad browser-cards "$cards cards in the DOM for $records records"; fi
if grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/dom.html" &&
   grep -q '&lt;img src=x onerror=alert(2)&gt;' "$tmp/dom.html"; then ok
else bad browser-hostile-text "the hostile text is not in the DOM as text"; fi
if ! grep -qi '<script\|<img\|<iframe\|<object' "$tmp/dom.html"; then ok
else bad browser-no-markup "hostile text became elements: $(grep -oi '<script[^>]*>\|<img[^>]*>' "$tmp/dom.html" | head -3)"; fi
got=$(page_requests "$tmp/net.json")
if [[ -z $got ]]; then ok; else bad browser-no-network "the page requested: $got"; fi

# The control: a page that loads an image over HTTP must show up in the same check, or the
# check proves nothing. (127.0.0.1:9: refused at once, no traffic leaves the machine.)
printf '<!DOCTYPE html><title>control</title><img src="http://127.0.0.1:9/x.png">\n' >"$tmp/control.html"
browse --log-net-log="$tmp/net-control.json" --dump-dom "file://$tmp/control.html" >/dev/null
if page_requests "$tmp/net-control.json" | grep -q '127.0.0.1:9/x.png'; then ok
else bad browser-control "the net log check missed the control page's request"; fi

# The screenshot, kept as a build artefact.
rm -f "$shots/report.png"
browse --screenshot="$shots/report.png" --window-size=1280,2000 "file://$tmp/report.html" >/dev/null
if [[ -s $shots/report.png ]]; then ok; else bad browser-screenshot "no screenshot"; fi

# 1,000 articles (the examples under 250 names each), tagged, reported and loaded.
mkdir -p "$tmp/many"
for i in $(seq -w 1 250); do
    for f in ../examples/*.txt; do cp "$f" "$tmp/many/$i-$(basename "$f")"; done
done
"$BIN/stance-tag" -m ../models/default --no-text "$tmp/many" >"$tmp/many.jsonl"
many_records=$(wc -l <"$tmp/many.jsonl")
t0=$(date +%s.%N)
expect_in "$tmp" browser-many-make 0 '' -- stance-report -o "$tmp/many.html" "$tmp/many.jsonl" "$tmp/many"
t1=$(date +%s.%N)
browse --dump-dom "file://$tmp/many.html" >"$tmp/many-dom.html"
t2=$(date +%s.%N)
bytes=$(stat -c %s "$tmp/many.html")
many_cards=$(grep -o '<div class="card"' "$tmp/many-dom.html" | wc -l)
many_articles=$(grep -o '<details class="art"' "$tmp/many-dom.html" | wc -l)
awk -v n="$many_records" -v b="$bytes" -v t0="$t0" -v t1="$t1" -v t2="$t2" 'BEGIN {
    printf "browser: 1,000 articles, %d passages: page %.1f MB (%.0f bytes per passage), written in %.2f s, loaded and dumped by chromium in %.2f s\n", n, b / 1048576, b / n, t1 - t0, t2 - t1 }'
if [[ $many_cards == "$many_records" && $many_articles == 1000 ]]; then ok
else bad browser-many "$many_cards cards, $many_articles articles in the DOM for $many_records records"; fi
# Reasonably sized: under 2 KB per passage (the text itself is about 600 bytes).
if (( bytes < 2048 * many_records )); then ok; else bad browser-many-size "$bytes bytes for $many_records passages"; fi
