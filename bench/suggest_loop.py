#!/usr/bin/env python3
"""suggest_loop.py: the labeling loop simulated on Reuters-21578 (ApteMod, 90 topics):
stance-suggest against random selection.

Usage: suggest_loop.py [--seeds 1,2,3,4,5] [--start 200] [--step 100] [--rounds 10]
                       [--out RESULTS-suggest.md] [-- TRAIN_OPTIONS...]

For each seed: START articles of train.jsonl drawn at random are labeled (their topics are
known); the rest is the pool. Each round trains stance-train on the labeled articles (the
same TRAIN_OPTIONS for both), scores the model on the ModApte test set (stance-tag --jsonl
--unit document, stance-eval: micro- and macro-F1), then labels STEP more articles of the
pool: the ones `stance-suggest -n STEP --unit article` picks (its default random share
included), or STEP drawn at random (seeded). Both strategies start from the same articles.
After ROUNDS rounds the last model is scored too. Reports the mean learning curves over
the seeds and how many labels stance-suggest needs to reach random selection's final
micro- and macro-F1 (linear interpolation between rounds). The corpus is read from
CORPUS_DIR (default ../../shared/corpora/reuters21578) and never copied into the tree;
temporary files are removed. Standard library only; every figure is measured in this run.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("BIN", os.path.join(HERE, "..", "bin"))
CORPUS = os.environ.get("CORPUS_DIR", os.path.join(HERE, "..", "..", "shared", "corpora", "reuters21578"))
DEFAULT_TRAIN = ["--no-balance", "--no-bigrams", "--min-df", "2", "--folds", "3", "-j", "2", "-q"]


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def codebook(train, path):
    topics = sorted({t for r in train for t in r.get("topics", [])})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"name": "reuters21578", "dimensions": [
            {"name": "topics", "kind": "multi", "values": [{"label": t} for t in topics]}]}, f)


def score(tmp, cb, labeled, test_path, train_opts):
    """Trains on the labeled articles; returns (micro, macro, model dir)."""
    data = os.path.join(tmp, "labeled.jsonl")
    write_jsonl(data, [{"id": r["id"], "text": r["text"], "topics": r.get("topics", [])} for r in labeled])
    model = os.path.join(tmp, "model")
    run([os.path.join(BIN, "stance-train"), "--codebook", cb, "-o", model] + train_opts + [data])
    pred = os.path.join(tmp, "pred.jsonl")
    with open(pred, "w", encoding="utf-8") as f:
        subprocess.run([os.path.join(BIN, "stance-tag"), "-m", model, "--jsonl", "--unit", "document",
                        "--no-text", test_path], check=True, stdout=f)
    ev = json.loads(run([os.path.join(BIN, "stance-eval"), "--codebook", cb, "--gold", test_path,
                         "--json", pred]))
    t = ev["dimensions"]["topics"]
    return t["micro"]["f1"], t["macro"]["f1"], model


def suggested(tmp, model, pool, n, seed):
    path = os.path.join(tmp, "pool.jsonl")
    write_jsonl(path, [{"id": r["id"], "text": r["text"]} for r in pool])
    out = run([os.path.join(BIN, "stance-suggest"), "-m", model, "-n", str(n), "--seed", str(seed),
               "--jsonl", "--unit", "article", path])
    return [json.loads(line)["id"] for line in out.splitlines()]


def loop(tmp, cb, train, test_path, seed, strategy, args, train_opts):
    rng = random.Random(seed)
    order = list(range(len(train)))
    rng.shuffle(order)
    labeled = [train[i] for i in order[:args["start"]]]
    pool = [train[i] for i in order[args["start"]:]]
    pick_rng = random.Random(seed * 7919 + 1)
    curve = []
    for rnd in range(args["rounds"] + 1):
        micro, macro, model = score(tmp, cb, labeled, test_path, train_opts)
        curve.append((len(labeled), micro, macro))
        if rnd == args["rounds"]:
            break
        if strategy == "suggest":
            ids = set(suggested(tmp, model, pool, args["step"], seed * 1000 + rnd))
        else:
            ids = {r["id"] for r in pick_rng.sample(pool, args["step"])}
        labeled += [r for r in pool if r["id"] in ids]
        pool = [r for r in pool if r["id"] not in ids]
    return curve


def labels_to_reach(curve, target, j):
    """Labels at which curve (mean over seeds: (labels, micro, macro)) first reaches target in
    column j, interpolated linearly between rounds; None if it never does."""
    for k, point in enumerate(curve):
        if point[j] >= target:
            if k == 0:
                return point[0]
            x0, y0, x1, y1 = curve[k - 1][0], curve[k - 1][j], point[0], point[j]
            return x0 + (target - y0) * (x1 - x0) / (y1 - y0)
    return None


def copy_bins(tmp):
    """Copies the executables into tmp and uses the copies, so that a rebuild during the run
    cannot mix two versions."""
    global BIN
    os.mkdir(os.path.join(tmp, "bin"))
    for p in ['stance-train', 'stance-tag', 'stance-eval', 'stance-suggest']:
        shutil.copy2(os.path.join(BIN, p), os.path.join(tmp, "bin", p))
    BIN = os.path.join(tmp, "bin")


def main(argv):
    args = {"seeds": [1, 2, 3, 4, 5], "start": 200, "step": 100, "rounds": 10, "out": None}
    train_opts = DEFAULT_TRAIN
    if "--" in argv:
        cut = argv.index("--")
        argv, train_opts = argv[:cut], argv[cut + 1:] + ["-q"]
    for i in range(0, len(argv), 2):
        key = argv[i].lstrip("-")
        if key == "seeds":
            args["seeds"] = [int(s) for s in argv[i + 1].split(",")]
        elif key in ("start", "step", "rounds"):
            args[key] = int(argv[i + 1])
        elif key == "out":
            args["out"] = argv[i + 1]
        else:
            sys.exit("suggest_loop.py: unknown option " + argv[i])
    with open(os.path.join(CORPUS, "train.jsonl"), encoding="utf-8") as f:
        train = [json.loads(line) for line in f if line.strip()]
    test_path = os.path.join(CORPUS, "test.jsonl")
    t0 = time.time()
    curves = {"suggest": [], "random": []}
    with tempfile.TemporaryDirectory(prefix="stance-suggest-bench.") as tmp:
        copy_bins(tmp)
        cb = os.path.join(tmp, "codebook.json")
        codebook(train, cb)
        for seed in args["seeds"]:
            for strategy in ("suggest", "random"):
                c = loop(tmp, cb, train, test_path, seed, strategy, args, train_opts)
                curves[strategy].append(c)
                print("seed %d %-7s: final micro %.3f macro %.3f (%.0f s so far)"
                      % (seed, strategy, c[-1][1], c[-1][2], time.time() - t0), file=sys.stderr)
    elapsed = time.time() - t0
    mean = {s: [(cs[0][k][0], sum(c[k][1] for c in cs) / len(cs), sum(c[k][2] for c in cs) / len(cs))
                for k in range(len(cs[0]))] for s, cs in curves.items()}
    final = mean["random"][-1]
    lines = ["# stance-suggest: the labeling loop on Reuters-21578 (bench/suggest_loop.py)", ""]
    lines.append("Measured %s, %.0f s in all; `make -C bench suggest`. ModApte split, 90 topics: start from "
                 "%d labeled training articles (drawn at random per seed), add %d per round chosen by "
                 "`stance-suggest -n %d --unit article` (its default 20%% random share included) or at "
                 "random from the rest of the %d training articles, retrain, %d rounds, seeds %s. Both "
                 "start from the same articles. Training settings: `%s`. F1 on the %s test articles "
                 "(stance-tag --unit document, stance-eval), mean over the seeds."
                 % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), elapsed, args["start"], args["step"],
                    args["step"], len(train), args["rounds"], ",".join(map(str, args["seeds"])),
                    " ".join(o for o in train_opts if o != "-q"),
                    sum(1 for _ in open(test_path, encoding="utf-8"))))
    lines.append("")
    lines.append("| labels | suggest micro-F1 | random micro-F1 | suggest macro-F1 | random macro-F1 |")
    lines.append("|---|---|---|---|---|")
    for s, r in zip(mean["suggest"], mean["random"]):
        lines.append("| %d | %.3f | %.3f | %.3f | %.3f |" % (s[0], s[1], r[1], s[2], r[2]))
    lines.append("")
    for j, name in ((1, "micro-F1"), (2, "macro-F1")):
        need = labels_to_reach(mean["suggest"], final[j], j)
        lines.append("- Random selection's final %s, %.3f at %d labels: stance-suggest reaches it at %s."
                     % (name, final[j], final[0],
                        "about %.0f labels (%.0f%% of random's)" % (need, 100 * need / final[0])
                        if need is not None else "no point of the run (not reached within %d)" % final[0]))
    lines.append("")
    lines.append("Per seed, final micro / macro-F1: " + "; ".join(
        "seed %d suggest %.3f / %.3f, random %.3f / %.3f" % (seed, s[-1][1], s[-1][2], r[-1][1], r[-1][2])
        for seed, s, r in zip(args["seeds"], curves["suggest"], curves["random"])) + ".")
    text = "\n".join(lines) + "\n"
    print(text)
    if args["out"]:
        with open(args["out"] + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(args["out"] + ".tmp", args["out"])


if __name__ == "__main__":
    main(sys.argv[1:])
