#!/usr/bin/env python3
"""audit_flips.py: how well stance-audit finds label errors planted in a training file.

Usage: audit_flips.py [--seeds 1,2,3] [--share 0.05] [--out RESULTS-audit.md] -- AUDIT_ARGS...

For each seed, flips the labels of SHARE of the passages of TRAIN (default
../labels/passages.jsonl; never changed: the flipped copy is a temporary file), one flip per
passage, of a kind drawn evenly among those the passage allows:
  topic added    a topic it does not have joins its topics,
  topic dropped  one of its topics is removed,
  tone swapped   conciliatory <-> confrontational.
It then runs `stance-audit --codebook CODEBOOK AUDIT_ARGS flipped.jsonl` and counts a flip as
found when a record names the passage and the dimension, gives the flipped labels and suggests
the original ones. It reports the share of flips found within the first 10% and 20% of the
passages' count of records (what a reviewer reading that many records finds), within the first
as many records as there are flips, and anywhere; the same audit on the unflipped file, run in
the same invocation, gives how many records it makes there and its top 20. Standard library
only; the figures are measured in this run.
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
TRAIN = os.environ.get("TRAIN", os.path.join(HERE, "..", "labels", "passages.jsonl"))
CODEBOOK = os.environ.get("CODEBOOK", os.path.join(HERE, "..", "labels", "codebook.json"))
TONES = ("conciliatory", "confrontational")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def kinds_for(rec, topics):
    kinds = []
    t = rec.get("topics")
    if isinstance(t, list):
        if len(t) < len(topics):
            kinds.append("topic added")
        if t:
            kinds.append("topic dropped")
    if rec.get("tone") in TONES:
        kinds.append("tone swapped")
    return kinds


def flip(records, share, seed, topics):
    """Flips share of the records in place; returns {index: (kind, dimension, before, after)}."""
    rng = random.Random(seed)
    eligible = [i for i, r in enumerate(records) if kinds_for(r, topics)]
    chosen = rng.sample(eligible, round(share * len(records)))
    flips = {}
    for i in sorted(chosen):
        rec = records[i]
        kind = rng.choice(kinds_for(rec, topics))
        if kind == "tone swapped":
            before = rec["tone"]
            rec["tone"] = TONES[1 - TONES.index(before)]
            flips[i] = (kind, "tone", before, rec["tone"])
            continue
        before = list(rec["topics"])
        if kind == "topic added":
            rec["topics"] = before + [rng.choice([t for t in topics if t not in before])]
        else:
            gone = rng.choice(before)
            rec["topics"] = [t for t in before if t != gone]
        flips[i] = (kind, "topics", before, rec["topics"])
    return flips


def same(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def audit(path, args):
    t0 = time.time()
    out = subprocess.run([os.path.join(BIN, "stance-audit"), "--codebook", CODEBOOK] + args + [path],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()], time.time() - t0


def score(records, flips, audited):
    """The rank (1-based) at which each flip is found, or None."""
    by_id = {r.get("id"): i for i, r in enumerate(records)}
    found = {}
    for a in audited:
        i = by_id.get(a["id"])
        if i in flips and i not in found:
            kind, dim, before, after = flips[i]
            if a["dimension"] == dim and same(a["given"], after) and same(a["suggested"], before):
                found[i] = a["rank"]
    return {i: found.get(i) for i in flips}


def share_within(ranks, k):
    return sum(1 for r in ranks.values() if r is not None and r <= k) / len(ranks)


def copy_bins(tmp):
    """Copies the executables into tmp and uses the copies, so that a rebuild during the run
    cannot mix two versions."""
    global BIN
    os.mkdir(os.path.join(tmp, "bin"))
    for p in ['stance-audit']:
        shutil.copy2(os.path.join(BIN, p), os.path.join(tmp, "bin", p))
    BIN = os.path.join(tmp, "bin")


def main(argv):
    seeds, share, out = [1, 2, 3], 0.05, None
    if "--" in argv:
        cut = argv.index("--")
        opts, args = argv[:cut], argv[cut + 1:]
    else:
        opts, args = argv, []
    i = 0
    while i < len(opts):
        if opts[i] == "--seeds":
            seeds = [int(s) for s in opts[i + 1].split(",")]
        elif opts[i] == "--share":
            share = float(opts[i + 1])
        elif opts[i] == "--out":
            out = opts[i + 1]
        else:
            sys.exit("audit_flips.py: unknown option " + opts[i])
        i += 2
    codebook = json.load(open(CODEBOOK, encoding="utf-8"))
    topics = [v["label"] for d in codebook["dimensions"] if d["name"] == "topics" for v in d["values"]]
    original = read_jsonl(TRAIN)
    n = len(original)
    k10, k20 = round(0.1 * n), round(0.2 * n)
    lines = []
    rows = []
    kinds_total, kinds_found = {}, {}
    with tempfile.TemporaryDirectory(prefix="stance-audit-bench.") as tmp:
        copy_bins(tmp)
        clean, clean_s = audit(TRAIN, args)
        for seed in seeds:
            records = [dict(r) for r in original]
            flips = flip(records, share, seed, topics)
            path = os.path.join(tmp, "flipped-%d.jsonl" % seed)
            with open(path, "w", encoding="utf-8") as f:
                for r in records:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            audited, secs = audit(path, args)
            ranks = score(records, flips, audited)
            nf = len(flips)
            rows.append((seed, nf, len(audited), share_within(ranks, k10), share_within(ranks, k20),
                         share_within(ranks, nf), share_within(ranks, len(audited)), secs))
            for i, (kind, _, _, _) in flips.items():
                kinds_total[kind] = kinds_total.get(kind, 0) + 1
                if ranks[i] is not None and ranks[i] <= k10:
                    kinds_found[kind] = kinds_found.get(kind, 0) + 1
            print("seed %d: %d flips, %d records, top 10%% (%d) %.3f, top 20%% (%d) %.3f, top %d %.3f, all %.3f, %.1f s"
                  % (seed, nf, len(audited), k10, rows[-1][3], k20, rows[-1][4], nf, rows[-1][5],
                     rows[-1][6], secs), file=sys.stderr)
    mean = lambda j: sum(r[j] for r in rows) / len(rows)
    lines.append("# stance-audit: planted label errors (bench/audit_flips.py)")
    lines.append("")
    lines.append("Measured %s on %s; `make -C bench audit`." % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                                                  os.uname().nodename and "this machine"))
    lines.append("%d passages of `labels/passages.jsonl`; %.0f%% of them flipped per seed (one flip each, "
                 "kind drawn evenly among those the passage allows); audit settings: `%s`." % (n, 100 * share, " ".join(args)))
    lines.append("A flip is found when a record names the passage and dimension, gives the flipped labels and "
                 "suggests the original ones. \"Top 10%%\" is the first %d records (10%% of the passages: what "
                 "a reviewer reading that many finds), \"top 20%%\" the first %d." % (k10, k20))
    lines.append("")
    lines.append("| seed | flips | records | found in top 10% | in top 20% | in top (flips) | anywhere | audit s |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        lines.append("| %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.1f |" % r)
    lines.append("| mean | | | **%.3f** | **%.3f** | %.3f | %.3f | |" % (mean(3), mean(4), mean(5), mean(6)))
    lines.append("")
    lines.append("Found in the top 10%, by kind (all seeds): " + ", ".join(
        "%s %d of %d (%.3f)" % (k, kinds_found.get(k, 0), kinds_total[k], kinds_found.get(k, 0) / kinds_total[k])
        for k in sorted(kinds_total)) + ".")
    lines.append("Target: at least 70%% of the flips in the top 10%%: %s (mean %.3f)."
                 % ("met" if mean(3) >= 0.7 else "not met", mean(3)))
    lines.append("")
    lines.append("## The unflipped file")
    lines.append("")
    lines.append("The same audit on `labels/passages.jsonl` as it is (%.1f s) makes %d records; "
                 "its top 20 (to review by hand, not changed here):" % (clean_s, len(clean)))
    lines.append("")
    lines.append("| rank | id | dimension | given | suggested | score |")
    lines.append("|---|---|---|---|---|---|")
    for a in clean[:20]:
        lines.append("| %d | %s | %s | %s | %s | %.4f |" % (a["rank"], a["id"], a["dimension"], json.dumps(a["given"]),
                                                           json.dumps(a["suggested"]), a["score"]))
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        with open(out + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main(sys.argv[1:])
