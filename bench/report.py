#!/usr/bin/env python3
"""report.py: merge the benchmark results into bench/results.json and bench/RESULTS.md.

    report.py [--dir DIR] [--out-json FILE] [--out-md FILE]

Reads, in DIR (default: this script's directory), the JSON written by the benchmark scripts:

    results-reuters.json     reuters.sh     one object per row (JSON Lines)
    results-mr.json          mr.sh          one object per system (JSON Lines, or one array)
    results-throughput.json  throughput.sh  one object per row (JSON Lines)
    results-real.json        real.sh        one object per system (JSON Lines; its table is
                                            real_report.py's, no targets)
    results-startup.json     startup.sh     one object per bundle and format (JSON Lines; its
                                            table is RESULTS-startup.md, targets here)

A missing file leaves its benchmark out (with a note). Writes results.json (everything, plus
the machine, the headline comparisons and the targets) and RESULTS.md (the headline table, the
targets with their margins, then one table per benchmark). Every comparison is between two rows
of the same file, i.e. two systems measured in the same run of the same script.
Standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import sys

import real_report

PROG = "report.py"

# The targets (issue 5).
REUTERS_MICRO = 0.87
REUTERS_MACRO = 0.60
MR_ACCURACY = 79.5          # percent
THROUGHPUT_VS_SKLEARN = 5.0  # stance MB/s at least this many times scikit-learn's
THROUGHPUT_VS_FASTTEXT = 1.5  # and this many times fastText's (issue 18)
JSONL_J2_SPEEDUP = 1.8       # stance-tag -j 2 on JSON Lines against -j 1, same run (issue 18)
# Issue 18: libsvm with no flags at least this many times faster than the previous defaults,
# timed in the same run (reuters.sh's "previous defaults" row), else than the figure.
LIBSVM_SPEEDUP = 5.0
LIBSVM_PREVIOUS_S = 681.64   # bench/RESULTS-reuters.md of 2026-11-22, not a same-run figure
STARTUP_RATIO = 1.5          # issue 18: Reuters start-up at most this many times the shipped one's
STARTUP_MS = 10.0            # and both below this (bundle format 2)


def warn(msg):
    print("%s: %s" % (PROG, msg), file=sys.stderr)


def load_rows(path):
    """The objects of a JSON Lines file, or of a file holding one JSON value (an array of
    objects or one object); None if the file does not exist."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        value = json.loads(text)
        values = value if isinstance(value, list) else [value]
    except json.JSONDecodeError:
        values = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    values.append(json.loads(line))
                except json.JSONDecodeError as e:
                    sys.exit("%s: %s:%d: %s" % (PROG, path, n, e))
    rows = []
    for v in values:
        if isinstance(v, list):
            rows.extend(x for x in v if isinstance(x, dict))
        elif isinstance(v, dict):
            rows.append(v)
    return rows


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram_gb = round(int(line.split()[1]) / 1048576, 1)
                    break
    except OSError:
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": ram_gb, "os": osname,
            "kernel": platform.release()}


def is_stance(row):
    return str(row.get("system", "")).lower().startswith("stance")


def label(row):
    return row.get("name") or row.get("system") or "?"


def num(x, fmt="%.3f"):
    if x is None:
        return "-"
    if isinstance(x, (int, float)):
        return fmt % x
    return str(x)


def ratio_text(a, b, fmt="%.2fx"):
    if not a or not b:
        return "-"
    return fmt % (a / b)


def target(bench, what, value, threshold, met, margin, note="", fmt="%g"):
    return {"benchmark": bench, "target": what, "value": value, "threshold": threshold,
            "met": met, "margin": margin, "note": note,
            "shown": num(value, fmt) if value is not None else "-"}


def status(t):
    if t["met"] is None:
        return "not measured"
    return "**met**" if t["met"] else "**not met**"


# ---- start-up (issue 18) ----

def startup_targets(rows):
    ms = {(r.get("bundle"), r.get("format")): r.get("median_ms") for r in rows}
    # the newest format measured for both bundles: the one stance-train writes by default
    formats = [f for f in sorted({f for _, f in ms if f}, reverse=True)
               if ms.get(("shipped", f)) and ms.get(("reuters", f))]
    if not formats:
        return [target("startup", "rows of one format for both bundles", None, None, None,
                       None, "missing")]
    shipped, reuters = ms[("shipped", formats[0])], ms[("reuters", formats[0])]
    ratio = reuters / shipped
    worst = max(shipped, reuters)
    return [target("startup", "format %d: Reuters start-up <= %gx shipped start-up (%s ms, same run)" %
                   (formats[0], STARTUP_RATIO, num(shipped, "%g")), ratio, STARTUP_RATIO,
                   ratio <= STARTUP_RATIO, "%+.2fx" % (STARTUP_RATIO - ratio), fmt="%.2f"),
            target("startup", "format %d: both < %g ms (Reuters %s ms, shipped %s ms)" %
                   (formats[0], STARTUP_MS, num(reuters, "%g"), num(shipped, "%g")), worst, STARTUP_MS,
                   worst < STARTUP_MS, "%+.1f ms" % (STARTUP_MS - worst), fmt="%.1f")]


# ---- Reuters ----

def reuters_best(rows):
    stance = [r for r in rows if is_stance(r)]
    if not stance:
        return None
    for r in stance:
        if r.get("headline"):
            return r
    return max(stance, key=lambda r: (r.get("micro_f1") or 0) + (r.get("macro_f1") or 0))


def reuters_tuned(rows):
    for r in rows:
        if r.get("system") == "scikit-learn" and "tuned" in label(r):
            return r
    return None


def reuters_compare(best, peer):
    parts = []
    for key, name in (("micro_f1", "micro"), ("macro_f1", "macro")):
        if best.get(key) is not None and peer.get(key) is not None:
            parts.append("%s %+.3f" % (name, best[key] - peer[key]))
    if best.get("train_s") and peer.get("train_s"):
        parts.append("train %s" % speed(best["train_s"], peer["train_s"]))
    if best.get("tag_s") and peer.get("tag_s"):
        parts.append("tag %s" % speed(best["tag_s"], peer["tag_s"]))
    if best.get("peak_rss_mb") and peer.get("peak_rss_mb"):
        parts.append("memory %.2fx" % (best["peak_rss_mb"] / peer["peak_rss_mb"]))
    return ", ".join(parts)


def speed(ours, theirs):
    """'2.1x faster' or '1.3x slower' for two durations."""
    if ours <= theirs:
        return "%.1fx faster" % (theirs / ours)
    return "%.1fx slower" % (ours / theirs)


def reuters_fig(r):
    return "%s / %s, train %s s, tag %s s, %s MB" % (
        num(r.get("micro_f1")), num(r.get("macro_f1")), num(r.get("train_s"), "%g"),
        num(r.get("tag_s"), "%g"), num(r.get("peak_rss_mb"), "%g"))


def reuters_targets(rows, best):
    out = []
    if best is None:
        return [target("reuters", "stance row", None, None, None, None, "no stance row")]
    micro, macro = best.get("micro_f1"), best.get("macro_f1")
    out.append(target("reuters", "micro-F1 >= %.2f" % REUTERS_MICRO, micro, REUTERS_MICRO,
                      micro >= REUTERS_MICRO, "%+.3f" % (micro - REUTERS_MICRO), fmt="%.3f"))
    out.append(target("reuters", "macro-F1 >= %.2f" % REUTERS_MACRO, macro, REUTERS_MACRO,
                      macro >= REUTERS_MACRO, "%+.3f" % (macro - REUTERS_MACRO), fmt="%.3f"))
    tuned = reuters_tuned(rows)
    if tuned and tuned.get("train_s") and best.get("train_s") is not None:
        t, ref = best["train_s"], tuned["train_s"]
        out.append(target("reuters", "train s <= tuned scikit-learn's (%s s, same run)" % num(ref, "%g"),
                          t, ref, t <= ref, "%+.2f s (%.2fx)" % (t - ref, t / ref), fmt="%g s"))
    else:
        out.append(target("reuters", "train s <= tuned scikit-learn's", best.get("train_s"), None,
                          None, None, "no tuned scikit-learn row in this run"))
    return out + libsvm_target(rows)


def row_named(rows, prefix):
    for r in rows:
        if is_stance(r) and label(r).startswith(prefix):
            return r
    return None


def libsvm_target(rows):
    """libsvm with no flags against the previous defaults: same run when timed, else the
    issue's figure, said so."""
    new = row_named(rows, "libsvm, no flags")
    old = row_named(rows, "libsvm, previous defaults")
    what = "libsvm no flags >= %gx faster than the previous defaults" % LIBSVM_SPEEDUP
    if not new or not new.get("train_s"):
        return [target("reuters", what, None, None, None, None, "no libsvm no-flags row in this run")]
    if old and old.get("train_s"):
        ref, note = old["train_s"], "same run"
    else:
        ref, note = LIBSVM_PREVIOUS_S, "reference NOT same-run: the 2026-11-22 figure"
    x = ref / new["train_s"]
    return [target("reuters", "%s (%s s, %s)" % (what, num(ref, "%g"), note), new["train_s"], ref,
                   x >= LIBSVM_SPEEDUP, "%.1fx" % x, fmt="%g s")]


# ---- MR ----

def mr_accuracy(row):
    a = row.get("accuracy_mean")
    if isinstance(a, (int, float)) and a <= 1.0:
        a *= 100  # a fraction: report percent
    return a


def mr_best(rows):
    stance = [r for r in rows if is_stance(r) and mr_accuracy(r) is not None]
    if not stance:
        return None
    for r in stance:
        if r.get("headline"):
            return r
    return max(stance, key=mr_accuracy)


def mr_fig(r):
    return "%s %%, train %s s, tag %s s, %s MB" % (
        num(mr_accuracy(r), "%.2f"), num(r.get("train_s"), "%g"), num(r.get("tag_s"), "%g"),
        num(r.get("peak_rss_mb"), "%g"))


def mr_compare(best, peer):
    parts = []
    a, b = mr_accuracy(best), mr_accuracy(peer)
    if a is not None and b is not None:
        parts.append("accuracy %+.2f points" % (a - b))
    if best.get("train_s") and peer.get("train_s"):
        parts.append("train %s" % speed(best["train_s"], peer["train_s"]))
    if best.get("tag_s") and peer.get("tag_s"):
        parts.append("tag %s" % speed(best["tag_s"], peer["tag_s"]))
    if best.get("peak_rss_mb") and peer.get("peak_rss_mb"):
        parts.append("memory %.2fx" % (best["peak_rss_mb"] / peer["peak_rss_mb"]))
    return ", ".join(parts)


def mr_targets(best):
    if best is None:
        return [target("mr", "accuracy >= %.1f %%" % MR_ACCURACY, None, MR_ACCURACY, None, None,
                       "no stance row")]
    a = mr_accuracy(best)
    return [target("mr", "accuracy >= %.1f %%" % MR_ACCURACY, a, MR_ACCURACY, a >= MR_ACCURACY,
                   "%+.2f points" % (a - MR_ACCURACY), fmt="%.2f")]


# ---- throughput ----

def tp_best(rows):
    single = [r for r in rows if is_stance(r) and r.get("threads", 1) == 1 and r.get("mb_per_s")]
    if not single:
        return None
    for r in single:
        if r.get("headline"):
            return r
    return max(single, key=lambda r: r["mb_per_s"])


def tp_peer(rows, system):
    for r in rows:
        if r.get("system") == system:
            return r
    return None


def tp_threads(rows, best, n):
    """The stance row like best (its name with "-j n" added) on n threads, or None."""
    want = best.get("name", "").replace("stance-tag", "stance-tag -j %d" % n, 1)
    for r in rows:
        if is_stance(r) and r.get("threads") == n and r.get("name") == want:
            return r
    return None


def tp_id_set(rows, best):
    """Bytes per article of the duplicate-id set: best's peak against its --no-id-check
    twin's, or None."""
    want = best.get("name", "").replace("stance-tag", "stance-tag --no-id-check", 1)
    for r in rows:
        if (is_stance(r) and r.get("name") == want and r.get("peak_rss_kb") and
                best.get("peak_rss_kb") and best.get("articles")):
            return (best["peak_rss_kb"] - r["peak_rss_kb"]) * 1024 / best["articles"]
    return None


def tp_fig(r):
    return "%s MB/s, %s MB" % (num(r.get("mb_per_s"), "%g"), num(r.get("peak_rss_mb"), "%g"))


def tp_compare(best, peer):
    parts = []
    if best.get("mb_per_s") and peer.get("mb_per_s"):
        parts.append("%.2fx the throughput" % (best["mb_per_s"] / peer["mb_per_s"]))
    if best.get("peak_rss_mb") and peer.get("peak_rss_mb"):
        parts.append("%.2fx the memory" % (best["peak_rss_mb"] / peer["peak_rss_mb"]))
    return ", ".join(parts)


def tp_targets(rows, best):
    out = []
    sk, ft = tp_peer(rows, "scikit-learn"), tp_peer(rows, "fastText")
    if best is None:
        return [target("throughput", "stance row", None, None, None, None, "no stance row")]
    s = best["mb_per_s"]
    if sk and sk.get("mb_per_s"):
        r = s / sk["mb_per_s"]
        out.append(target("throughput", "MB/s >= %gx scikit-learn's (%s MB/s, same run)" %
                          (THROUGHPUT_VS_SKLEARN, num(sk["mb_per_s"], "%g")), r,
                          THROUGHPUT_VS_SKLEARN, r >= THROUGHPUT_VS_SKLEARN,
                          "%.2fx (%+.2fx)" % (r, r - THROUGHPUT_VS_SKLEARN), fmt="%.2fx"))
    else:
        out.append(target("throughput", "MB/s >= %gx scikit-learn's" % THROUGHPUT_VS_SKLEARN,
                          None, None, None, None, "no scikit-learn row"))
    if ft and ft.get("mb_per_s"):
        r = s / ft["mb_per_s"]
        out.append(target("throughput", "MB/s >= %gx fastText's single-threaded (%s MB/s, same run)" %
                          (THROUGHPUT_VS_FASTTEXT, num(ft["mb_per_s"], "%g")), r,
                          THROUGHPUT_VS_FASTTEXT, r >= THROUGHPUT_VS_FASTTEXT,
                          "%.2fx (%+.2fx)" % (r, r - THROUGHPUT_VS_FASTTEXT), fmt="%.2fx"))
    else:
        out.append(target("throughput", "MB/s >= %gx fastText's" % THROUGHPUT_VS_FASTTEXT, None,
                          None, None, None, "no fastText row"))
    # -j 2 on JSON Lines for the headline row (one record per article) and for stance-tag's
    # default unit, the passage
    passage = next((r for r in rows if is_stance(r) and r.get("threads", 1) == 1 and
                    r.get("name") == "stance-tag, passage unit"), None)
    for one, unit in ((best, "article unit"), (passage, "passage unit")):
        j2 = tp_threads(rows, one, 2) if one else None
        if j2 and j2.get("wall_s") and one.get("wall_s"):
            r = one["wall_s"] / j2["wall_s"]
            out.append(target("throughput", "-j 2 JSONL >= %gx -j 1, %s (%s s, same run)" %
                              (JSONL_J2_SPEEDUP, unit, num(one["wall_s"], "%g")), r,
                              JSONL_J2_SPEEDUP, r >= JSONL_J2_SPEEDUP,
                              "%.2fx (%+.2fx)" % (r, r - JSONL_J2_SPEEDUP), fmt="%.2fx"))
        else:
            out.append(target("throughput", "-j 2 JSONL >= %gx -j 1, %s" % (JSONL_J2_SPEEDUP, unit),
                              None, None, None, None, "no -j 2 row"))
    for peer, name in ((sk, "scikit-learn"), (ft, "fastText")):
        if peer and peer.get("peak_rss_mb") and best.get("peak_rss_mb") is not None:
            m, pm = best["peak_rss_mb"], peer["peak_rss_mb"]
            out.append(target("throughput", "peak RSS < %s's (%s MB)" % (name, num(pm, "%g")),
                              m, pm, m < pm, "%+d MB (%.2fx)" % (m - pm, m / pm), fmt="%g MB"))
        else:
            out.append(target("throughput", "peak RSS < %s's" % name, None, None, None, None,
                              "no %s row" % name))
    return out


# ---- Markdown ----

def md_escape(s):
    return str(s).replace("|", "\\|")


def bench_header(rows, source):
    dates = sorted({r.get("date") for r in rows if r.get("date")})
    loads = sorted({r.get("load_average") for r in rows if r.get("load_average")})
    runs = sorted({r.get("runs") for r in rows if r.get("runs") is not None})
    quick = any(r.get("quick") for r in rows)
    parts = ["from `%s`" % source]
    if dates:
        parts.append("run %s" % " / ".join(dates))
    if loads:
        parts.append("load average at the start %s" % " / ".join(loads))
    if runs:
        parts.append("%s run(s) per row" % "/".join(str(r) for r in runs))
    if quick:
        parts.append("**BENCH_QUICK=1** (a short run: fewer rows and runs)")
    return "; ".join(parts) + "."


def settings_list(rows):
    out = []
    for r in rows:
        bits = []
        if r.get("version"):
            bits.append(str(r["version"]))
        if r.get("settings"):
            bits.append("`%s`" % str(r["settings"]).replace("`", "'"))
        out.append("- %s: %s" % (md_escape(label(r)), "; ".join(bits) if bits else "-"))
    return out


def render(data):
    m = data["machine"]
    b = data["benchmarks"]
    L = []
    L.append("# stance next to its peers (bench/RESULTS.md)")
    L.append("")
    details = [d for d in ("RESULTS-reuters.md", "RESULTS-mr.md", "RESULTS-frontend.md",
                           "RESULTS-real.md")
               if os.path.exists(os.path.join(data["dir"], d))]
    L.append("Written by `make -C bench report` (bench/report.py) from the JSON of the benchmark "
             "scripts; overwritten each time.%s" % (
                 " Details: %s (RESULTS-reuters.md has the hand-written exploration of stance's "
                 "settings)." % ", ".join(details) if details else ""))
    L.append("")
    L.append("- machine: %s CPUs (nproc), %s, %s GB RAM; %s (Linux %s)" % (
        m["nproc"], m["cpu"], num(m["ram_gb"], "%g"), m["os"], m["kernel"]))
    L.append("- report written %s; each benchmark's own date is above its table" % data["generated"])
    L.append("- times are medians over the runs (3 unless a table says otherwise), memory the "
             "largest peak resident set over the runs (GNU time -v); every ratio compares two "
             "systems measured in the same run of the same script")
    if any(r.get("quick") for v in b.values() if v for r in v["rows"]):
        L.append("- **some figures come from a BENCH_QUICK=1 run**: one run per row, fewer rows")
    L.append("")

    L.append("## Headline: stance's best against each peer")
    L.append("")
    L.append("| benchmark | stance | peer | stance's figures | peer's figures | stance against the peer |")
    L.append("|---|---|---|---|---|---|")
    for h in data["headline"]:
        L.append("| %s | %s | %s | %s | %s | %s |" % (h["benchmark"], md_escape(h["stance"]),
                 md_escape(h["peer"]), h["stance_figures"], h["peer_figures"], h["comparison"]))
    if not data["headline"]:
        L.append("| - | - | - | - | - | no results |")
    L.append("")
    L.append("Figures: Reuters micro-F1 / macro-F1, train and tag seconds, peak MB; MR accuracy; "
             "throughput MB/s and peak MB. \"faster\"/\"slower\" divide the two times, "
             "\"memory\" stance's peak by the peer's.")
    L.append("")

    L.append("## Targets")
    L.append("")
    L.append("| benchmark | target | stance | margin | status |")
    L.append("|---|---|---:|---|---|")
    for t in data["targets"]:
        L.append("| %s | %s | %s | %s | %s |" % (
            t["benchmark"], md_escape(t["target"]), t["shown"],
            t["margin"] or t["note"] or "-", status(t)))
    L.append("")

    r = b.get("reuters")
    L.append("## Reuters-21578 ApteMod, 90 topics (bench/reuters.sh)")
    L.append("")
    if r:
        L.append(bench_header(r["rows"], r["source"]))
        L.append("Train on train.jsonl (7,770 articles), tag test.jsonl (3,019) one record per "
                 "article, score with stance-eval (scikit-learn: its f1_score). stance's headline "
                 "row is marked *.")
        L.append("")
        L.append("| system | configuration | micro-F1 | macro-F1 | train s | train MB | tag s | tag MB | runs |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        best = reuters_best(r["rows"])
        for x in r["rows"]:
            L.append("| %s | %s%s | %s | %s | %s | %s | %s | %s | %s |" % (
                md_escape(x.get("system", "?")), md_escape(label(x)), " *" if x is best else "",
                num(x.get("micro_f1")), num(x.get("macro_f1")), num(x.get("train_s"), "%g"),
                num(x.get("train_peak_rss_mb"), "%g"), num(x.get("tag_s"), "%g"),
                num(x.get("tag_peak_rss_mb"), "%g"), num(x.get("runs"), "%d")))
        L.append("")
        L.append("Settings and versions:")
        L.append("")
        L.extend(settings_list(r["rows"]))
    else:
        L.append("Not run (no %s)." % data["sources"]["reuters"])
    L.append("")

    r = b.get("mr")
    L.append("## Movie Review polarity (MR), 10-fold cross-validation (bench/mr.sh)")
    L.append("")
    if r:
        L.append(bench_header(r["rows"], r["source"]))
        L.append("")
        L.append("| system | accuracy % (mean) | folds min-max | train s | tag s | peak MB |")
        L.append("|---|---:|---|---:|---:|---:|")
        best = mr_best(r["rows"])
        for x in r["rows"]:
            folds = x.get("accuracy_folds") or []
            folds = [f * 100 if isinstance(f, (int, float)) and f <= 1 else f for f in folds]
            nums = [f for f in folds if isinstance(f, (int, float))]
            spread = "%.1f-%.1f" % (min(nums), max(nums)) if nums else "-"
            L.append("| %s%s | %s | %s | %s | %s | %s |" % (
                md_escape(label(x)), " *" if x is best else "", num(mr_accuracy(x), "%.2f"),
                spread, num(x.get("train_s"), "%g"), num(x.get("tag_s"), "%g"),
                num(x.get("peak_rss_mb"), "%g")))
        L.append("")
        L.append("Settings and versions:")
        L.append("")
        L.extend(settings_list(r["rows"]))
    else:
        L.append("Not run (no %s; bench/mr.sh writes it)." % data["sources"]["mr"])
    L.append("")

    r = b.get("throughput")
    L.append("## Tagging throughput (bench/throughput.sh)")
    L.append("")
    if r:
        rows = r["rows"]
        L.append(bench_header(rows, r["source"]))
        if rows:
            x0 = rows[0]
            L.append("Input: %s articles (Reuters-21578 train + test repeated), %s MB of article "
                     "text; MB/s = that / wall seconds of the whole process (start-up and model "
                     "loading included). Models trained on Reuters train, not timed. For GNU "
                     "parallel, peak MB is its largest single process." % (
                         x0.get("articles", "?"), num(x0.get("input_mb"), "%g")))
        L.append("")
        L.append("| system | threads | wall s | MB/s | peak MB |")
        L.append("|---|---:|---:|---:|---:|")
        best = tp_best(rows)
        for x in rows:
            L.append("| %s%s | %s | %s | %s | %s |" % (
                md_escape(label(x)), " *" if x is best else "", num(x.get("threads"), "%d"),
                num(x.get("wall_s"), "%g"), num(x.get("mb_per_s"), "%g"),
                num(x.get("peak_rss_mb"), "%g")))
        L.append("")
        if best:
            sk, ft, wc = (tp_peer(rows, s) for s in ("scikit-learn", "fastText", "wc"))
            ratios = []
            if sk:
                ratios.append("stance / scikit-learn %s" % ratio_text(best.get("mb_per_s"), sk.get("mb_per_s")))
            if ft:
                ratios.append("stance / fastText %s" % ratio_text(best.get("mb_per_s"), ft.get("mb_per_s")))
            if wc:
                ratios.append("wc -w / stance %s" % ratio_text(wc.get("mb_per_s"), best.get("mb_per_s")))
            for n in sorted({x.get("threads") for x in rows if is_stance(x) and (x.get("threads") or 1) > 1}):
                jn = tp_threads(rows, best, n)
                if jn:
                    ratios.append("-j %d / -j 1 %s" % (n, ratio_text(jn.get("mb_per_s"), best.get("mb_per_s"))))
            if ratios:
                L.append("Ratios of MB/s (stance = the row marked *): " + "; ".join(ratios) + ".")
                L.append("")
            ids = tp_id_set(rows, best)
            if ids is not None:
                L.append("Duplicate-id set: %.0f bytes per article (peak RSS with the check less "
                         "peak RSS with --no-id-check, over the articles)." % ids)
                L.append("")
        for x in rows:
            sp = x.get("timing_split")
            if isinstance(sp, dict):
                L.append("%s, its own timing split (seconds, last run): %s." % (
                    md_escape(label(x)), ", ".join("%s %s" % (k, v) for k, v in sp.items())))
                L.append("")
        L.append("Settings and versions:")
        L.append("")
        L.extend(settings_list(rows))
    else:
        L.append("Not run (no %s)." % data["sources"]["throughput"])
    L.append("")

    r = b.get("real")
    L.append("## Real passages: ../shared/real + ../shared/seeds (bench/real.sh)")
    L.append("")
    if r and r["rows"]:
        x0 = r["rows"][0]
        L.append(bench_header(r["rows"], r["source"]))
        L.append("Every system trained on `%s` (%s passages; the shipped model as it is) and "
                 "scored by one scorer on the same %s passages; tone accuracy over the passages "
                 "with a gold tone, then the share of gold-null passages given no tone. "
                 "Headlines, bodies, per-topic figures and settings: RESULTS-real.md." % (
                     x0.get("train_file"), x0.get("train_passages"),
                     x0["scores"]["all"]["passages"]))
        L.append("")
        L.extend(real_report.main_table(r["rows"]))
    else:
        L.append("Not run (no %s; bench/real.sh writes it)." % data["sources"]["real"])
    L.append("")
    return "\n".join(L)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(prog=PROG, description="Merge the benchmark results.")
    ap.add_argument("--dir", default=here, help="where the results-*.json files are")
    ap.add_argument("--out-json", help="default DIR/results.json")
    ap.add_argument("--out-md", help="default DIR/RESULTS.md")
    a = ap.parse_args()
    sources = {k: "results-%s.json" % k for k in ("reuters", "mr", "throughput", "real", "startup")}
    benchmarks = {}
    for k, name in sources.items():
        rows = load_rows(os.path.join(a.dir, name))
        if rows is None:
            warn("no %s: the %s benchmark is left out" % (name, k))
            benchmarks[k] = None
        else:
            benchmarks[k] = {"source": name, "rows": rows}

    headline, targets = [], []
    r = benchmarks["reuters"]
    if r:
        best = reuters_best(r["rows"])
        if best:
            for p in r["rows"]:
                if not is_stance(p):
                    headline.append({"benchmark": "Reuters", "stance": label(best), "peer": label(p),
                                     "stance_figures": reuters_fig(best), "peer_figures": reuters_fig(p),
                                     "comparison": reuters_compare(best, p)})
        targets += reuters_targets(r["rows"], best)
    else:
        targets.append(target("reuters", "micro >= %.2f, macro >= %.2f, train s <= tuned "
                              "scikit-learn's" % (REUTERS_MICRO, REUTERS_MACRO), None, None, None,
                              None, "not run"))
    r = benchmarks["mr"]
    if r:
        best = mr_best(r["rows"])
        if best:
            for p in r["rows"]:
                if not is_stance(p):
                    headline.append({"benchmark": "MR", "stance": label(best), "peer": label(p),
                                     "stance_figures": mr_fig(best), "peer_figures": mr_fig(p),
                                     "comparison": mr_compare(best, p)})
        targets += mr_targets(best)
    else:
        targets.append(target("mr", "accuracy >= %.1f %%" % MR_ACCURACY, None, MR_ACCURACY, None,
                              None, "not run"))
    r = benchmarks["throughput"]
    if r:
        best = tp_best(r["rows"])
        if best:
            for p in r["rows"]:
                if not is_stance(p) and p.get("system") != "parallel":
                    headline.append({"benchmark": "throughput", "stance": label(best), "peer": label(p),
                                     "stance_figures": tp_fig(best), "peer_figures": tp_fig(p),
                                     "comparison": tp_compare(best, p)})
        targets += tp_targets(r["rows"], best)
    else:
        targets.append(target("throughput", "MB/s >= %gx scikit-learn's and %gx fastText's, peak RSS "
                              "below both" % (THROUGHPUT_VS_SKLEARN, THROUGHPUT_VS_FASTTEXT), None, None, None, None, "not run"))

    r = benchmarks["startup"]
    if r:
        targets += startup_targets(r["rows"])
    else:
        targets.append(target("startup", "Reuters start-up <= %gx shipped, both < %g ms" %
                              (STARTUP_RATIO, STARTUP_MS), None, None, None, None, "not run"))

    data = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "sources": sources,
        "benchmarks": benchmarks,
        "headline": headline,
        "targets": targets,
    }
    data_dir = a.dir
    out_json = a.out_json or os.path.join(a.dir, "results.json")
    out_md = a.out_md or os.path.join(a.dir, "RESULTS.md")
    md = render(dict(data, dir=data_dir))
    for path, text in ((out_json, json.dumps(data, indent=1) + "\n"), (out_md, md)):
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    met = sum(1 for t in targets if t["met"])
    print("%s: %s and %s written; targets met: %d of %d" % (
        PROG, out_md, out_json, met, len(targets)), file=sys.stderr)


if __name__ == "__main__":
    main()
