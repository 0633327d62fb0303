"""real_report.py: RESULTS-real.md from the rows real.sh writes (results-real.json).

    real_report.py RESULTS-real.json > RESULTS-real.md

Every figure is read from the rows (one JSON object per system, JSON Lines, as real.sh writes
them: the scores of peers/score_real.py plus the settings and the run's date and commit).
real.sh adds the "## Exploration" section after it.
report.py uses main_table() for its section of RESULTS.md. Standard library only.
"""
import json
import sys

TOPICS = ("kosovo", "enlargement", "abm", "arms_sales")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def num(x, fmt="%.3f"):
    return "-" if x is None else fmt % x


def esc(s):
    return str(s).replace("|", "\\|")


def tone(s):
    t = s["tone"]
    return "%s (%d/%d)" % (num(t["accuracy"]), t["correct"], t["scored"])


def abstention(s):
    a = s["abstention"]
    return "%s (%d/%d)" % (num(a["share"]), a["no_tone"], a["gold_null"])


def prf(m):
    return "%s (%s / %s)" % (num(m["f1"]), num(m["precision"]), num(m["recall"]))


def main_table(rows):
    """the table over all passages, one line per system"""
    L = ["| system | topic precision | topic recall | topic micro-F1 | topic macro-F1 | "
         "tone accuracy (correct/gold toned) | no tone on gold-null passages | train s | tag s |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        s = r["scores"]["all"]
        m = s["topics"]["micro"]
        L.append("| %s | %s | %s | **%s** | %s | %s | %s | %s | %s |" % (
            esc(r["name"]), num(m["precision"]), num(m["recall"]), num(m["f1"]),
            num(s["topics"]["macro_f1"]), tone(s), abstention(s), num(r.get("train_s"), "%.1f"),
            num(r.get("tag_s"), "%.2f")))
    return L


def split_table(rows, a, b):
    L = ["| system | %s: topic micro-F1 (P / R) | %s: tone | %s: no tone on null | "
         "%s: topic micro-F1 (P / R) | %s: tone | %s: no tone on null |" % (a, a, a, b, b, b),
         "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        x, y = r["scores"][a], r["scores"][b]
        L.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            esc(r["name"]), prf(x["topics"]["micro"]), tone(x), abstention(x),
            prf(y["topics"]["micro"]), tone(y), abstention(y)))
    return L


def topic_table(rows):
    s0 = rows[0]["scores"]["all"]["topics"]["per_topic"]
    L = ["| system | %s |" % " | ".join("%s (%d gold)" % (t, s0[t]["support"]) for t in TOPICS),
         "|---|" + "---:|" * len(TOPICS)]
    for r in rows:
        per = r["scores"]["all"]["topics"]["per_topic"]
        L.append("| %s | %s |" % (esc(r["name"]), " | ".join(
            "%s (%s / %s; %d predicted)" % (num(per[t]["f1"]), num(per[t]["precision"]),
                                            num(per[t]["recall"]), per[t]["predicted"])
            for t in TOPICS)))
    return L


def render(rows):
    r0 = rows[0]
    sc = r0["scores"]
    a = sc["all"]
    L = ["# stance and its peers on real passages (bench/real.sh)", "",
         "Written by `make -C bench real` (bench/real.sh, then bench/real_report.py); overwritten "
         "on each run, except the \"Exploration\" section at the end, which comes from an EXPLORE=1 "
         "run and says which. Every figure in the tables comes from this run's "
         "`results-real.json`.", "",
         "- date: %s; stance commit %s; load average at the start %s" % (
             r0["date"], r0["commit"], r0["load_average"]),
         "- machine: %s" % r0["machine"],
         "- training (every system but the shipped model): `%s`, %d passages (sha256 %s...); "
         "tone field: %s (`[]` = tone does not apply, a class \"none\" for the peers; null = not "
         "labeled, left out of tone training)" % (
             r0["train_file"], r0["train_passages"], r0["train_sha256_16"], r0["train_tone_forms"]),
         "- test: the %d labeled passages of ../shared/real (%d) and ../shared/seeds (%d): %d "
         "headlines, %d body paragraphs, as stance-tokenize splits the articles (the gold joins "
         "by doc and start; Publication: lines are not scored). Gold: %s topic labels (%s); tone "
         "%d conciliatory or confrontational, %d null." % (
             a["passages"], sc["real"]["passages"], sc["seeds"]["passages"],
             sc["headline"]["passages"], sc["body"]["passages"],
             a["topics"]["micro"]["tp"] + a["topics"]["micro"]["fn"],
             ", ".join("%s %d" % (t, a["topics"]["per_topic"][t]["support"]) for t in TOPICS),
             a["tone"]["scored"], a["abstention"]["gold_null"]),
         "- one scorer for all (bench/peers/score_real.py): topic precision, recall, micro-F1 "
         "over the passage x topic decisions; macro-F1 the mean of the four topic F1; tone "
         "accuracy over the passages whose gold tone is not null, where giving no tone counts as "
         "wrong; \"no tone on gold-null passages\" is the share of null-tone passages where the "
         "system gives no tone (stance: `\"tone\": null`, its tone being optional in the "
         "codebook; the peers: their third class, none)",
         "- each system runs once (the figures are deterministic); times are single runs on a "
         "shared machine, for scale only: stance's are whole processes, scikit-learn's in "
         "process (vectorizing and fitting, cross-validation included; not start-up), "
         "fastText's the fasttext processes (its model load included in tag s)", "",
         "## All passages", ""]
    L += main_table(rows)
    L += ["", "## Headlines and body paragraphs apart", ""]
    L += split_table(rows, "headline", "body")
    L += ["", "## Per topic, all passages: F1 (precision / recall; passages predicted)", ""]
    L += topic_table(rows)
    L += ["", "## The two sets apart", ""]
    L += split_table(rows, "real", "seeds")
    L += ["", "## Settings and versions", ""]
    for r in rows:
        L.append("- %s: %s; `%s`" % (esc(r["name"]), r["version"],
                                     str(r["settings"]).replace("`", "'")))
    return "\n".join(L) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: real_report.py RESULTS-real.json")
    rows = load(sys.argv[1])
    if not rows:
        sys.exit("real_report.py: %s: no rows" % sys.argv[1])
    sys.stdout.write(render(rows))


if __name__ == "__main__":
    main()
