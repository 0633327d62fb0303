#!/usr/bin/env python3
"""check.py: the corpus checks labels/README.md describes.

    python3 labels/check.py [--against DIR]... FILE.jsonl...

- every line parses, has id/text/topics/tone, ids and texts are unique;
- no run of 8 words occurs in more than two passages (titles and official names aside,
  so the runs found are listed for a reader to judge, not failed on);
- with --against DIR (e.g. ../shared/real ../shared/seeds): no passage shares a run of 10 words
  with any text file under DIR (a failure: nothing may be copied from them); runs of 7 words
  shared with them are listed, since stock titles ("chairman of the Duma's international
  affairs committee") meet that length by themselves.

Exit status 1 when a failure is found, 0 otherwise.
"""
import argparse
import collections
import json
import os
import re
import sys

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def words(text):
    return WORD.findall(text.lower())


def windows(ws, n):
    return {" ".join(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def load(paths):
    records, failures = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                try:
                    r = json.loads(line)
                except ValueError as e:
                    print(f"{path}:{lineno}: not JSON: {e}")
                    failures += 1
                    continue
                missing = [k for k in ("id", "text", "topics", "tone") if k not in r]
                if missing:
                    print(f"{path}:{lineno}: missing {', '.join(missing)}")
                    failures += 1
                records.append((path, lineno, r))
    return records, failures


def check_unique(records):
    failures = 0
    for key in ("id", "text"):
        seen = {}
        for path, lineno, r in records:
            v = r.get(key)
            if v in seen:
                print(f"{path}:{lineno}: {key} repeats {seen[v]}")
                failures += 1
            else:
                seen[v] = f"{path}:{lineno}"
    return failures


def report_repeats(records, n=8, most=2):
    where = collections.defaultdict(set)
    for _, _, r in records:
        for w in windows(words(r.get("text", "")), n):
            where[w].add(r.get("id"))
    repeats = {w: ids for w, ids in where.items() if len(ids) > most}
    for w, ids in sorted(repeats.items()):
        print(f"repeat ({len(ids)} passages): {w}: {', '.join(sorted(ids)[:6])}")
    return len(repeats)


def check_against(records, dirs, n=7, fail_n=10):
    outside, outside_long = set(), set()
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in files:
                if name.endswith((".txt", ".jsonl", ".md")):
                    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                        ws = words(f.read())
                        outside |= windows(ws, n)
                        outside_long |= windows(ws, fail_n)
    failures = 0
    for path, lineno, r in records:
        ws = words(r.get("text", ""))
        copied = windows(ws, fail_n) & outside_long
        shared = windows(ws, n) & outside
        if copied:
            print(f"{path}:{lineno}: {r.get('id')} shares a {fail_n}-word run with --against: "
                  f"{sorted(copied)[0]}")
            failures += 1
        elif shared:
            print(f"note: {r.get('id')} shares a {n}-word run with --against: {sorted(shared)[0]}")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", action="append", default=[])
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    records, failures = load(args.files)
    failures += check_unique(records)
    repeats = report_repeats(records)
    if args.against:
        failures += check_against(records, args.against)
    print(f"{len(records)} passages, {failures} failures, {repeats} repeated 8-word runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
