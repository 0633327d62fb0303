"""score_real.py: the one scorer of real.sh; every system's predictions go through it.

    score_real.py --passages PASSAGES.jsonl --gold SET=GOLD.jsonl [--gold SET=GOLD.jsonl]...
                  PRED.jsonl > SCORES.json

PASSAGES.jsonl is stance-tokenize's split of the articles (doc, start, end, kind); it is the
list every system is scored on: its passages other than `meta` ones. Each gold file (e.g.
real=../../shared/real/gold.jsonl) holds the labels of some of them (doc, start, end, topics,
tone; kind optional), joined by (doc, start); its end, and its kind when it has one, must agree
with the split, and every non-meta passage of the split must have exactly one gold record.
PRED.jsonl has one record per passage: doc, start, end (when given, checked against the split),
topics as labels or {"label", "score"} objects, tone as a label, a {"label", ...} object, or
null / missing / "none" for no tone. Records of meta passages (kind "meta") are ignored; any
other passage predicted twice, not predicted or unknown to the split is an error.

Printed, as one JSON object: for the subsets "all", "headline", "body" (the split's kind) and
each SET: the number of passages; topics: micro precision / recall / F1 (with tp, fp, fn) and
macro F1 over the topics, per topic precision, recall, F1, support (gold count) and predicted
count; tone: accuracy over the passages whose gold tone is not null (a prediction of no tone
there counts as wrong), with the numbers correct, wrong_label and abstained; abstention: over
the passages whose gold tone is null, the share where the system gives no tone. A ratio with a
zero denominator is null. Standard library only.
"""
import argparse
import json
import sys

PROG = "score_real.py"
TOPICS = ("kosovo", "enlargement", "abm", "arms_sales")
TONES = ("conciliatory", "confrontational")


def die(msg):
    sys.exit("%s: %s" % (PROG, msg))


def records(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    die("%s:%d: %s" % (path, n, e))


def label_of(x):
    return x.get("label") if isinstance(x, dict) else x


def topics_of(rec, where):
    t = rec.get("topics")
    if t is None:
        return frozenset()
    if not isinstance(t, list):
        die("%s: topics is not a list" % where)
    out = frozenset(label_of(x) for x in t)
    bad = out - set(TOPICS)
    if bad:
        die("%s: unknown topic %s" % (where, sorted(bad)[0]))
    return out


def tone_of(rec, where):
    t = label_of(rec.get("tone"))
    if t in (None, "none", []):
        return None
    if t not in TONES:
        die("%s: unknown tone %r" % (where, t))
    return t


def ratio(a, b):
    return a / b if b else None


def f1(tp, fp, fn):
    return ratio(2 * tp, 2 * tp + fp + fn)


def score(items):
    """items: (gold_topics, gold_tone, pred_topics, pred_tone) of one subset"""
    per = {}
    for t in TOPICS:
        tp = sum(1 for g, _, p, _ in items if t in g and t in p)
        fp = sum(1 for g, _, p, _ in items if t not in g and t in p)
        fn = sum(1 for g, _, p, _ in items if t in g and t not in p)
        per[t] = {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
                  "f1": f1(tp, fp, fn), "support": tp + fn, "predicted": tp + fp}
    tp = sum(len(g & p) for g, _, p, _ in items)
    fp = sum(len(p - g) for g, _, p, _ in items)
    fn = sum(len(g - p) for g, _, p, _ in items)
    defined = [v["f1"] for v in per.values() if v["f1"] is not None]
    toned = [(g, p) for _, g, _, p in items if g is not None]
    correct = sum(1 for g, p in toned if p == g)
    abstained = sum(1 for g, p in toned if p is None)
    null = [p for _, g, _, p in items if g is None]
    quiet = sum(1 for p in null if p is None)
    return {
        "passages": len(items),
        "topics": {"micro": {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
                             "f1": f1(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn},
                   "macro_f1": ratio(sum(defined), len(defined)),
                   "per_topic": per},
        "tone": {"scored": len(toned), "correct": correct, "accuracy": ratio(correct, len(toned)),
                 "wrong_label": len(toned) - correct - abstained, "abstained": abstained},
        "abstention": {"gold_null": len(null), "no_tone": quiet, "share": ratio(quiet, len(null))},
    }


def main():
    ap = argparse.ArgumentParser(prog=PROG, description="Score predictions on the real passages.")
    ap.add_argument("--passages", required=True, help="stance-tokenize output of the articles")
    ap.add_argument("--gold", action="append", required=True, metavar="SET=GOLD.jsonl")
    ap.add_argument("pred")
    a = ap.parse_args()

    split = {}
    for n, r in records(a.passages):
        if r.get("kind") != "meta":
            split[(r["doc"], r["start"])] = r
    gold = {}
    sets = []
    for spec in a.gold:
        name, sep, path = spec.partition("=")
        if not sep:
            die("--gold wants SET=FILE, got %s" % spec)
        sets.append(name)
        for n, r in records(path):
            where = "%s:%d" % (path, n)
            key = (r["doc"], r["start"])
            p = split.get(key)
            if p is None:
                die("%s: no passage of the split starts at %s:%d" % (where, *key))
            if p["end"] != r["end"]:
                die("%s: the split's passage ends at %d, gold at %d" % (where, p["end"], r["end"]))
            if "kind" in r and r["kind"] != p["kind"]:
                die("%s: the split says %s, gold %s" % (where, p["kind"], r["kind"]))
            if key in gold:
                die("%s: %s:%d has gold twice" % (where, *key))
            gold[key] = (name, p["kind"], topics_of(r, where), tone_of(r, where))
    missing = set(split) - set(gold)
    if missing:
        die("%d passage(s) of the split have no gold, e.g. %s:%d" % (len(missing), *min(missing)))

    pred = {}
    for n, r in records(a.pred):
        where = "%s:%d" % (a.pred, n)
        if r.get("kind") == "meta":
            continue
        key = (r.get("doc"), r.get("start"))
        if key not in split:
            die("%s: %s:%s is not a passage of the split" % (where, *key))
        if "end" in r and r["end"] != split[key]["end"]:
            die("%s: ends at %s, the split's passage at %d" % (where, r["end"], split[key]["end"]))
        if key in pred:
            die("%s: %s:%d predicted twice" % (where, *key))
        pred[key] = (topics_of(r, where), tone_of(r, where))
    missing = set(split) - set(pred)
    if missing:
        die("%s: %d passage(s) not predicted, e.g. %s:%d" % (a.pred, len(missing), *min(missing)))

    rows = [(g[0], g[1], g[2], g[3], pred[k][0], pred[k][1]) for k, g in sorted(gold.items())]
    subsets = {"all": lambda r: True, "headline": lambda r: r[1] == "headline",
               "body": lambda r: r[1] == "body"}
    for s in sets:
        subsets[s] = lambda r, s=s: r[0] == s
    out = {name: score([r[2:] for r in rows if keep(r)]) for name, keep in subsets.items()}
    json.dump(out, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
