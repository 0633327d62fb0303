#!/usr/bin/env python3
"""prevalence.py: the resampling half of prevalence.sh. Draws seeded resamples of tagged Reuters
test articles in which one topic's share is set (e.g. earn at 10% instead of 36%), runs
stance-prevalence on each, and compares the four estimates of that topic's share (CC, PCC, ACC,
PACC) with the true share of the resample: mean and largest absolute error, and how often the
95% interval covers the truth. Standard library only.

Usage: prevalence.py BIN MODEL RECORDS GOLD TRAIN SPECS [RESULTS.md [HEADER.md]]
  RECORDS  the test articles tagged with every score, one record each ("id", "topics", "scores")
  GOLD     the test articles with their gold "topics" (test.jsonl)
  TRAIN    the training articles (for the training shares)
  SPECS    comma-separated TOPIC=SHARE, e.g. earn=0.10,acq=0.05,crude=0.20
Environment: RESAMPLES (20), SIZE (800 articles per resample), BOOTSTRAP (1000)."""
import json
import os
import random
import subprocess
import sys
import tempfile

METHODS = ["cc", "pcc", "acc", "pacc"]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shares(articles):
    counts = {}
    for a in articles:
        for t in a.get("topics") or []:
            counts[t] = counts.get(t, 0) + 1
    return {t: c / len(articles) for t, c in counts.items()}


def resample(records, gold_topics, topic, share, size, seed):
    """size records, round(share * size) of them with topic in gold, drawn without replacement."""
    rng = random.Random(seed)
    with_t = [r for r in records if topic in gold_topics[str(r["id"])]]
    without = [r for r in records if topic not in gold_topics[str(r["id"])]]
    k = round(share * size)
    if k > len(with_t) or size - k > len(without):
        sys.exit(f"prevalence.py: {topic} at {share}: {size} articles need {k} with it "
                 f"({len(with_t)} there) and {size - k} without ({len(without)})")
    picked = rng.sample(with_t, k) + rng.sample(without, size - k)
    rng.shuffle(picked)
    return picked, k / size


def estimate(binary, model, records, bootstrap, seed):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
        path = f.name
    try:
        out = subprocess.run([os.path.join(binary, "stance-prevalence"), "-m", model, "--json",
                              "--bootstrap", str(bootstrap), "--seed", str(seed), path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return json.loads(out)["groups"][0]["labels"]["topics"]


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    binary, model, records_path, gold_path, train_path, specs = sys.argv[1:7]
    results_md = sys.argv[7] if len(sys.argv) > 7 else None
    header_md = sys.argv[8] if len(sys.argv) > 8 else None
    n_resamples = int(os.environ.get("RESAMPLES", "20"))
    size = int(os.environ.get("SIZE", "800"))
    bootstrap = int(os.environ.get("BOOTSTRAP", "1000"))
    records = read_jsonl(records_path)
    gold = read_jsonl(gold_path)
    gold_topics = {str(a["id"]): set(a.get("topics") or []) for a in gold}
    train_shares, test_shares = shares(read_jsonl(train_path)), shares(gold)

    rows, preferred_counts = [], {}
    for spec in specs.split(","):
        topic, share = spec.split("=")
        share = float(share)
        errors = {m: [] for m in METHODS}
        covered = {m: 0 for m in METHODS}
        widths = {m: [] for m in METHODS}
        for i in range(n_resamples):
            picked, truth = resample(records, gold_topics, topic, share, size, 1000 + i)
            est = estimate(binary, model, picked, bootstrap, 1 + i)[topic]
            key = (f"{topic} at {share:g}", est["preferred"])
            preferred_counts[key] = preferred_counts.get(key, 0) + 1
            for m in METHODS:
                if est[m] is None:
                    continue
                errors[m].append(abs(est[m]["estimate"] - truth))
                lo, hi = est[m]["ci"]
                covered[m] += lo <= truth <= hi
                widths[m].append(hi - lo)
        for m in METHODS:
            e = errors[m]
            rows.append((topic, train_shares.get(topic, 0), test_shares.get(topic, 0), share, m,
                         sum(e) / len(e) if e else None, max(e) if e else None,
                         covered[m], len(e), sum(widths[m]) / len(e) if e else None))

    lines = ["| topic | training share | test share | resampled share | method | mean abs error "
             "| largest abs error | 95% interval covers truth | mean interval width |",
             "|---|---|---|---|---|---|---|---|---|"]
    for topic, tr, te, q, m, mae, mx, cov, n, w in rows:
        if mae is None:
            lines.append(f"| {topic} | {tr:.3f} | {te:.3f} | {q:.3f} | {m} | - | - | - | - |")
        else:
            lines.append(f"| {topic} | {tr:.3f} | {te:.3f} | {q:.3f} | {m} | {mae:.4f} | {mx:.4f} "
                         f"| {cov} of {n} | {w:.4f} |")
    pref = ", ".join(f"{t}: {m} ({c} of {n_resamples})" for (t, m), c in preferred_counts.items())
    lines += ["", f"Preferred by stance-prevalence: {pref}."]
    table = "\n".join(lines)
    print(table)
    if results_md:
        header = open(header_md, encoding="utf-8").read() if header_md else ""
        with open(results_md + ".tmp", "w", encoding="utf-8") as f:
            f.write(header + table + "\n")
        os.replace(results_md + ".tmp", results_md)


if __name__ == "__main__":
    main()
