"""check_explain.py MODEL_DIR BIN TAGGED.jsonl ARTICLE...: checks stance-tag --explain output
(t_explain.sh). For every explanation: bias + listed contributions + rest == decision to 1e-6,
contribution == weight * value, at most K terms of each sign in order; the decision is the
one the label came from (a multi value's is at least its unit's threshold; a single value's
Platt probability is its score; the applies unit's says a value applies); every span, cut
from the article file, analyzes (stance-tokenize | stance-stem, with the model's stop words)
to the term's stem, or to its two stems for a bigram (a scoped copy's without its prefix;
an indicator such as a:#both, which spans the passage, is not checked). Prints what fails, exit status 1."""
import json
import math
import os
import subprocess
import sys
import tempfile

model_dir, bindir, tagged, k = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
encoding = os.environ.get("CHECK_ENCODING", "utf-8")  # of the article files
articles = {os.path.splitext(os.path.basename(p))[0]: open(p, "rb").read() for p in sys.argv[5:]}
manifest = json.load(open(os.path.join(model_dir, "manifest.json")))
dims = {d["name"]: d for d in manifest["codebook"]["dimensions"]}
failures = []


def fail(what):
    failures.append(what)


def unit_for(dim, key):
    """The manifest entry of the unit explaining key, and whether its signs are changed."""
    d = dims[dim]
    labels = [v["label"] for v in d["values"]]
    pair = d["kind"] == "single" and len(labels) == 2
    for u in manifest["units"]:
        if u["dimension"] != dim:
            continue
        if key == "(applies)":
            if u.get("applies"):
                return u, False
        elif not u.get("applies") and (u["value"] is None if pair else u["value"] == key):
            return u, pair and key == labels[1]
    raise KeyError(key)


def platt(u, f):
    z = u["platt"]["a"] * f + u["platt"]["b"]
    return math.exp(-z) / (1 + math.exp(-z)) if z >= 0 else 1 / (1 + math.exp(z))


def assigned(rec, dim, key):
    field = rec[dim]
    found = field if isinstance(field, list) else [field] if field else []
    return any(lab["label"] == key for lab in found)


def score_of(rec, dim, key):
    if "scores" in rec:  # --all-scores: every value's score
        return rec["scores"][dim][key]
    field = rec[dim]
    found = field if isinstance(field, list) else [field] if field else []
    return next((lab["score"] for lab in found if lab["label"] == key), None)


def plain_stems(term):
    """A term's stems without their scope prefix ("a:joint a:patrol" -> joint, patrol): a scoped
    copy's span is the plain words it copies."""
    return [w.split(":", 1)[1] if ":" in w else w for w in term.split(" ")]


slices = []  # (where, text bytes, expected stems)
explained = 0
for line in open(tagged, encoding="utf-8"):
    rec = json.loads(line)
    if "explain" not in rec:
        continue
    where = "%s:%s" % (rec["doc"], rec.get("passage", "article"))
    for dim, values in rec["explain"].items():
        for key, e in values.items():
            explained += 1
            name = "%s %s=%s" % (where, dim, key)
            terms = e["terms"]
            total = e["bias"] + e["rest"] + sum(t["contribution"] for t in terms)
            if abs(total - e["decision"]) > 1e-6:
                fail("%s: bias + terms + rest = %r, decision %r" % (name, total, e["decision"]))
            pos = [t["contribution"] for t in terms if t["contribution"] > 0]
            neg = [t["contribution"] for t in terms if t["contribution"] < 0]
            if len(pos) > k or len(neg) > k or pos + neg != [t["contribution"] for t in terms] \
                    or pos != sorted(pos, reverse=True) or neg != sorted(neg):
                fail("%s: terms out of order or more than %d of a sign" % (name, k))
            for t in terms:
                if abs(t["contribution"] - t["weight"] * t["value"]) > 1e-12:
                    fail("%s: %s: contribution is not weight x value" % (name, t["term"]))
                if "#" in t["term"]:  # an indicator (a:#both ...): its span is the passage
                    continue
                for start, end in t["spans"]:
                    if not 0 <= start < end:
                        fail("%s: %s: span [%d, %d]" % (name, t["term"], start, end))
                    slices.append((name, articles[rec["doc"]][start:end], plain_stems(t["term"])))
            u, negated = unit_for(dim, key)
            f = -e["decision"] if negated else e["decision"]
            if key == "(applies)":
                if "applies" in rec:  # --all-scores: the applies probability is given
                    if abs(platt(u, f) - rec["applies"][dim]) > 1e-4:
                        fail("%s: applies %r, the decision gives %r" % (name, rec["applies"][dim], platt(u, f)))
                elif not platt(u, f) >= 0.5:
                    fail("%s: the applies unit's decision says no value applies" % name)
            elif dims[dim]["kind"] == "multi":
                if (e["decision"] >= u["threshold"]) != assigned(rec, dim, key):
                    fail("%s: decision %r against the threshold %r, assigned %r"
                         % (name, e["decision"], u["threshold"], assigned(rec, dim, key)))
            else:
                p = platt(u, f)
                want = 1 - p if negated else p
                if score_of(rec, dim, key) is None or abs(score_of(rec, dim, key) - want) > 1e-4:
                    fail("%s: score %r, the decision gives %r" % (name, score_of(rec, dim, key), want))

if explained == 0:
    fail("no explanation in %s" % tagged)

# The spans' words through the analyzer, as one JSON Lines input of one article per span.
with tempfile.TemporaryDirectory() as tmp:
    stop = os.path.join(tmp, "stop.txt")
    words = manifest["analyzer"]["stopwords"]
    with open(stop, "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in words))
    lines = "".join(json.dumps({"id": "s%d" % i, "text": s.decode(encoding)}) + "\n"
                    for i, (_, s, _) in enumerate(slices))
    tok = subprocess.run([os.path.join(bindir, "stance-tokenize"), "--jsonl"], input=lines.encode(),
                         capture_output=True, check=True)
    stem = subprocess.run([os.path.join(bindir, "stance-stem"), "--stopwords",
                           stop if words else "none"], input=tok.stdout, capture_output=True, check=True)
    got = {}
    for line in stem.stdout.decode().splitlines():
        r = json.loads(line)
        got.setdefault(r["doc"], []).extend(r["stems"])
    for i, (name, s, want) in enumerate(slices):
        if got.get("s%d" % i, []) != want:
            fail("%s: span %r gives stems %r, not %r" % (name, s, got.get("s%d" % i), want))

for what in failures[:20]:
    print(what)
print("%d explanations, %d spans, %d failures" % (explained, len(slices), len(failures)),
      file=sys.stderr)
sys.exit(1 if failures else 0)
