"""check_rollup.py PASSAGES ARTICLES SHARE: each article record of stance-tag --unit article
(ARTICLES, with --all-scores) agrees with the passage records it was rolled up from (PASSAGES,
with --all-scores): passages, counts and shares of every value ("(none)": no value in a single
dimension), the multi values given by the rule (SHARE 0: any passage), the mean scores, and a
single dimension's value of highest mean. Scores are compared to the 4 decimals records give
(means of rounded scores: within 1.5e-4). Exit 1 with the first disagreement."""
import json
import sys
from collections import OrderedDict

TOL = 1.5e-4


def fail(msg):
    sys.exit("check_rollup: " + msg)


def main():
    passages_path, articles_path, share = sys.argv[1], sys.argv[2], float(sys.argv[3])
    by_doc = OrderedDict()
    for line in open(passages_path, encoding="utf-8"):
        rec = json.loads(line)
        if "scores" in rec:  # labeled (not meta)
            by_doc.setdefault(rec["doc"], []).append(rec)
    narticles = 0
    for line in open(articles_path, encoding="utf-8"):
        art = json.loads(line)
        narticles += 1
        doc, recs = art["doc"], by_doc.get(art["doc"], [])
        if art["kind"] != "article" or art["passages"] != len(recs):
            fail("%s: kind %s, passages %s, %d labeled" % (doc, art["kind"], art["passages"], len(recs)))
        if not recs:
            continue
        n = len(recs)
        for dim, counts in art["counts"].items():
            single = not isinstance(recs[0][dim], list)
            means = {}
            for label, count in counts.items():
                if label == "(none)":
                    want = sum(1 for r in recs if r[dim] is None)
                elif single:
                    want = sum(1 for r in recs if r[dim] is not None and r[dim]["label"] == label)
                else:
                    want = sum(1 for r in recs if any(t["label"] == label for t in r[dim]))
                if count != want or abs(art["shares"][dim][label] - want / n) > 5e-5:
                    fail("%s: %s.%s count %s share %s, %d of %d passages" % (doc, dim, label, count, art["shares"][dim][label], want, n))
                if label == "(none)":
                    continue
                scored = [r["scores"][dim][label] for r in recs if (not single or r[dim] is not None) and r["scores"][dim][label] is not None]
                got = art["scores"][dim][label]
                if not scored:
                    if got is not None:
                        fail("%s: %s.%s score %s, no passage scored" % (doc, dim, label, got))
                    continue
                means[label] = sum(scored) / len(scored)
                if abs(got - means[label]) > TOL:
                    fail("%s: %s.%s mean %s, passages give %.6f" % (doc, dim, label, got, means[label]))
                if not single:
                    given = any(t["label"] == label for t in art[dim])
                    if given != (want >= share * n if share > 0 else want > 0):
                        fail("%s: %s.%s given %s, carried by %d of %d (share %s)" % (doc, dim, label, given, want, n, share))
            if single:
                if not means:
                    if art[dim] is not None:
                        fail("%s: %s %s, no passage has one" % (doc, dim, art[dim]))
                    continue
                ranked = sorted(means.items(), key=lambda kv: -kv[1])
                if len(ranked) > 1 and ranked[0][1] - ranked[1][1] <= 2 * TOL:
                    continue  # too close to tell through the rounding
                if art[dim] is None or art[dim]["label"] != ranked[0][0]:
                    fail("%s: %s %s, highest mean %s" % (doc, dim, art[dim], ranked[0][0]))
    if narticles == 0:
        fail("no article records")


main()
