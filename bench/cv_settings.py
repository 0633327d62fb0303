#!/usr/bin/env python3
"""Cross-validation of training settings on labels/passages.jsonl alone (issue 13 item 4).

Two splits of the corpus, neither of which looks at ../shared/real or ../shared/seeds:
  loso  leave one slice out: the id prefix (kos, enl, ..., hl, ct) names the slice a passage
        was written in, so each held-out slice is a shift of style from the rest (14 runs);
  k5    5 folds drawn at random within each slice (seeded), the in-distribution reference.
For every split the held-out passages are tagged with bin/stance-tag --jsonl (one passage per
record, as text) by a model bin/stance-train wrote from the rest, with the candidate's options;
the predictions of all held-out parts are pooled and scored once (with --applies-cuts, also
once per cut: the same models' held-out passages tagged again with stance-tag --threshold
tone.applies=P, scored as the candidate NAME@P, so a cut of the applies unit is measured
without training again):
  topic_f1   micro-F1 over the four topics;
  tone_acc   accuracy over passages with a gold tone (an abstention counts as wrong), as
             stance-eval reports it;
  abstain    share of gold "no tone" passages the model holds back (tone null);
  tone3      accuracy of the three-way decision conciliatory / confrontational / none over all
             passages;
  score      (topic_f1 + tone3) / 2, the figure settings are ranked by.

--drop S,S,... leaves the slices named out altogether: never trained on, never held out (to
measure what training on them does, against a run without --drop scored on the same slices).
--preds DIR writes each candidate's pooled held-out predictions to DIR/NAME-SPLIT.jsonl
({"id", "topics", "tone"} per passage), and --score-slices S,S,... scores only the passages of
the slices named (the others are still trained on and held out as usual). --score-preds FILE
scores such a file again (with --score-slices: on those slices only) and trains nothing.

Usage: bench/cv_settings.py [--split loso|k5|both] [--out results.json] [--bin DIR]
                            [--applies-cuts P,P,...] [--drop S,...] [--score-slices S,...]
                            [--preds DIR] NAME='OPTS' ...
"""
import argparse, collections, json, os, random, shlex, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOPICS = ["kosovo", "enlargement", "abm", "arms_sales"]


def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def slice_of(rec):
    return rec["id"].split("-")[0]


def splits(recs, kind, seed=1):
    slices = collections.defaultdict(list)
    for i, r in enumerate(recs):
        slices[r["id"].split("-")[0]].append(i)
    if kind == "loso":
        for s in slices:
            yield s, set(slices[s])
    else:
        rng = random.Random(seed)
        fold = {}
        for s in sorted(slices):
            idx = slices[s][:]
            rng.shuffle(idx)
            for j, i in enumerate(idx):
                fold[i] = j % 5
        for k in range(5):
            yield "fold%d" % k, {i for i in fold if fold[i] == k}


def tag(bindir, model, test, extra):
    out = subprocess.run([os.path.join(bindir, "stance-tag"), "-m", model, "--jsonl",
                          "--no-text"] + extra + [test], check=True, capture_output=True,
                         text=True).stdout
    pred = {}
    for l in out.splitlines():
        p = json.loads(l)
        pred[p["doc"]] = p  # one passage per record
    return pred


def run_split(recs, held, opts, tmp, bindir, cuts):
    """Predictions for the held-out passages: {None: at the model's own cut, P: at applies cut P}."""
    train = os.path.join(tmp, "train.jsonl")
    test = os.path.join(tmp, "test.jsonl")
    model = os.path.join(tmp, "model")
    with open(train, "w") as f:
        for i, r in enumerate(recs):
            if i not in held:
                f.write(json.dumps(r) + "\n")
    with open(test, "w") as f:
        for i in sorted(held):
            f.write(json.dumps({"id": recs[i]["id"], "text": recs[i]["text"]}) + "\n")
    subprocess.run([os.path.join(bindir, "stance-train"), "--codebook",
                    os.path.join(ROOT, "labels/codebook.json"), "-o", model, "--quiet"]
                   + shlex.split(opts) + [train], check=True)
    preds = {None: tag(bindir, model, test, [])}
    for c in cuts:
        preds[c] = tag(bindir, model, test, ["--threshold", "tone.applies=%s" % c])
    subprocess.run(["rm", "-rf", model], check=True)
    return preds


def score(recs, pred):
    tp = fp = fn = 0
    tone_right = tone_n = none_n = held_none = right3 = 0
    for r in recs:
        p = pred[r["id"]]
        ptop = {t["label"] for t in (p.get("topics") or [])}
        gtop = set(r["topics"] or [])
        tp += len(ptop & gtop); fp += len(ptop - gtop); fn += len(gtop - ptop)
        gt = r["tone"] if r["tone"] != [] else None
        pt = p["tone"]["label"] if p.get("tone") else None
        right3 += gt == pt
        if gt is None:
            none_n += 1; held_none += pt is None
        else:
            tone_n += 1; tone_right += gt == pt
    f1 = 2 * tp / (2 * tp + fp + fn)
    tone3 = right3 / len(recs)
    return {"topic_f1": f1, "tone_acc": tone_right / tone_n, "abstain": held_none / none_n,
            "tone3": tone3, "score": (f1 + tone3) / 2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="both", choices=["loso", "k5", "both"])
    ap.add_argument("--data", default=os.path.join(ROOT, "labels/passages.jsonl"))
    ap.add_argument("--out")
    ap.add_argument("--bin", default=os.path.join(ROOT, "bin"), help="where stance-train and stance-tag are")
    ap.add_argument("--applies-cuts", default="",
                    help="comma-separated applies probabilities to score each candidate at too")
    ap.add_argument("--drop", default="", help="comma-separated slices left out altogether")
    ap.add_argument("--score-slices", default="", help="comma-separated slices to score (default all)")
    ap.add_argument("--preds", help="directory for the pooled held-out predictions")
    ap.add_argument("--score-preds", help="score a --preds file instead of training")
    ap.add_argument("candidates", nargs="*", help="NAME='stance-train options'")
    a = ap.parse_args()
    drop = {s for s in a.drop.split(",") if s}
    recs = [r for r in load(a.data) if slice_of(r) not in drop]
    scored = {s for s in a.score_slices.split(",") if s}
    score_recs = [r for r in recs if not scored or slice_of(r) in scored]
    if a.score_preds:
        pred = {p["id"]: p for p in load(a.score_preds)}
        s = score(score_recs, pred)
        print("%s: %d passages: topic_f1 %.4f tone_acc %.4f abstain %.4f tone3 %.4f score %.4f"
              % (a.score_preds, len(score_recs), s["topic_f1"], s["tone_acc"], s["abstain"],
                 s["tone3"], s["score"]))
        return
    kinds = ["loso", "k5"] if a.split == "both" else [a.split]
    results = json.load(open(a.out)) if a.out and os.path.exists(a.out) else {}
    cuts = [c for c in a.applies_cuts.split(",") if c]
    for c in a.candidates:
        name, opts = c.split("=", 1)
        for kind in kinds:
            pred = {cut: {} for cut in [None] + cuts}
            with tempfile.TemporaryDirectory() as tmp:
                for _, held in splits(recs, kind):
                    for cut, p in run_split(recs, held, opts, tmp, a.bin, cuts).items():
                        pred[cut].update(p)
            for cut in [None] + cuts:
                label = name if cut is None else "%s@%s" % (name, cut)
                results.setdefault(label, {"opts": opts if cut is None else
                                           "%s; stance-tag --threshold tone.applies=%s" % (opts, cut)})
                s = score(score_recs, pred[cut])
                if a.preds:
                    with open(os.path.join(a.preds, "%s-%s.jsonl" % (label, kind)), "w") as f:
                        for r in recs:
                            p = pred[cut][r["id"]]
                            f.write(json.dumps({"id": r["id"], "topics": p.get("topics") or [],
                                                "tone": p.get("tone")}) + "\n")
                results[label][kind] = s
                print("%-14s %-5s topic_f1 %.4f tone_acc %.4f abstain %.4f tone3 %.4f score %.4f"
                      % (label, kind, s["topic_f1"], s["tone_acc"], s["abstain"], s["tone3"],
                         s["score"]), flush=True)
        if a.out:
            with open(a.out, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
                f.write("\n")


if __name__ == "__main__":
    main()
