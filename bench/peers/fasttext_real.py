"""fasttext_real.py: the fastText row of real.sh, through the fasttext command-line program.

    fasttext_real.py run TRAIN.jsonl PASSAGES.jsonl PRED.jsonl > INFO.json
    fasttext_real.py cv TRAIN.jsonl

run trains two supervised models on TRAIN.jsonl (the project's passages: id, text, topics,
tone) and predicts every passage of PASSAGES.jsonl (stance-tokenize records; meta passages are
skipped), writing one record per passage to PRED.jsonl: {"doc", "start", "end", "topics",
"tone": label or null}; it prints one JSON object with the seconds spent in the fasttext
processes (training; predicting) and the options.
- topics: multi-label, -loss ova (one-vs-all), one __label__ per topic; a passage with no
  topic gets the pseudo-label __label__no_topic, since fastText skips training lines that have
  no label (the pseudo-label is dropped from the predictions). Prediction: predict-prob
  with k = -1 and threshold 0.5, i.e. every topic whose one-vs-all probability is >= 0.5.
- tone: three classes, conciliatory, confrontational and none (the corpus's "tone": [], tone
  does not apply; written as null), -loss softmax, the most probable class (predict, k = 1).
  A passage whose tone is null or missing is "not labeled" and is left out of the tone model.
Text: lower-cased, every punctuation character (ASCII other than letters, digits and spaces,
and Unicode punctuation such as the typographic quotes and dashes of the real articles) set
apart by spaces, whitespace collapsed; the preprocessing of fastText's classification
examples (bench/lib.sh fasttext_text), extended to Unicode punctuation. The training lines are
shuffled with a fixed seed (the corpus is in topic order); -thread 1 -seed 1, so runs repeat.

cv prints the 5-fold cross-validated topic micro-F1 (at 0.5) and tone accuracy of the
settings in GRID on TRAIN.jsonl alone (folds: a seeded shuffle, fold = position mod 5): how
TOPIC_OPTS and TONE_OPTS below were chosen. 80 trainings, about 25 minutes on a loaded 2-core
machine; real.sh runs it with EXPLORE=1.
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

FASTTEXT = os.environ.get("FASTTEXT", "fasttext")
COMMON = ["-thread", "1", "-seed", "1", "-verbose", "0", "-dim", "100", "-bucket", "200000"]
# Chosen with `fasttext_real.py cv` on the training corpus (the 3,054 passages of
# /work/corpus/merged.jsonl, to be labels/passages.jsonl; the grid's table is in the
# "Exploration" section of RESULTS-real.md): the options with the best cross-validated topic
# micro-F1 (0.877; the eight settings of GRID ranged 0.844-0.877) and those with the best
# cross-validated tone accuracy (0.858; range 0.838-0.858). Unigrams do better for topics,
# bigrams for tone.
TOPIC_OPTS = ["-loss", "ova", "-epoch", "50", "-lr", "1.0", "-wordNgrams", "1"]
TONE_OPTS = ["-loss", "softmax", "-epoch", "50", "-lr", "1.0", "-wordNgrams", "2"]
GRID = [["-epoch", e, "-lr", lr, "-wordNgrams", n]
        for e in ("25", "50") for lr in ("0.5", "1.0") for n in ("1", "2")]
NO_TOPIC = "no_topic"
NONE = "none"
FOLDS = 5


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prepare(text):
    out = []
    for ch in text.lower():
        if ch.isspace():
            out.append(" ")
        elif (ch < "\x80" and not ch.isalnum()) or unicodedata.category(ch).startswith("P"):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    return re.sub(r" +", " ", "".join(out)).strip()


def tone_class(t):
    if t == []:
        return NONE
    if t is None or isinstance(t, str):
        return t
    sys.exit("fasttext_real.py: unexpected tone %r" % (t,))


def topic_lines(recs):
    return ["".join("__label__%s " % t for t in (r["topics"] or [NO_TOPIC])) + prepare(r["text"])
            for r in recs]


def tone_lines(recs):
    return ["__label__%s %s" % (tone_class(r.get("tone")), prepare(r["text"]))
            for r in recs if tone_class(r.get("tone")) is not None]


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


def timed(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, encoding="utf-8", **kw)
    return p.stdout, time.perf_counter() - t0


def train_predict(tmp, name, train_lines, test_texts, opts, k, threshold):
    """[[labels] per test text], train seconds, predict seconds"""
    lines = list(train_lines)
    random.Random(1).shuffle(lines)
    write(os.path.join(tmp, name + ".train"), lines)
    write(os.path.join(tmp, name + ".test"), [prepare(t) for t in test_texts])
    model = os.path.join(tmp, name)
    _, tr = timed([FASTTEXT, "supervised", "-input", model + ".train", "-output", model]
                  + COMMON + opts)
    out, tg = timed([FASTTEXT, "predict-prob", model + ".bin", model + ".test", str(k),
                     str(threshold)])
    rows = out.split("\n")[:len(test_texts)]
    if len(rows) != len(test_texts) or out.count("\n") != len(test_texts):
        sys.exit("fasttext_real.py: %s: %d predictions for %d passages" % (
            name, out.count("\n"), len(test_texts)))
    labels = [[w[len("__label__"):] for w in row.split()[0::2]] for row in rows]
    for f in (".bin", ".train", ".test"):
        os.remove(model + f)
    return labels, tr, tg


def run(train_path, passages_path, pred_path):
    train = load(train_path)
    passages = [p for p in load(passages_path) if p.get("kind") != "meta"]
    texts = [p["text"] for p in passages]
    with tempfile.TemporaryDirectory(prefix="stance-fasttext.") as tmp:
        topics, tr1, tg1 = train_predict(tmp, "topics", topic_lines(train), texts, TOPIC_OPTS,
                                         -1, 0.5)
        tones, tr2, tg2 = train_predict(tmp, "tone", tone_lines(train), texts, TONE_OPTS, 1, 0.0)
    with open(pred_path, "w", encoding="utf-8") as f:
        for p, ts, tn in zip(passages, topics, tones):
            tone = tn[0] if tn else None
            f.write(json.dumps({"doc": p["doc"], "start": p["start"], "end": p["end"],
                                "topics": [t for t in ts if t != NO_TOPIC],
                                "tone": None if tone == NONE else tone}) + "\n")
    json.dump({"train_s": round(tr1 + tr2, 3), "tag_s": round(tg1 + tg2, 3),
               "topic_options": " ".join(COMMON + TOPIC_OPTS),
               "tone_options": " ".join(COMMON + TONE_OPTS)}, sys.stdout)
    sys.stdout.write("\n")


def cv(train_path):
    train = load(train_path)
    order = list(range(len(train)))
    random.Random(1).shuffle(order)
    fold = {i: k % FOLDS for k, i in enumerate(order)}
    print("| options | topic micro-F1 (5-fold) | tone accuracy (5-fold) |")
    print("|---|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="stance-fasttext-cv.") as tmp:
        for opts in GRID:
            tp = fp = fn = 0
            correct = scored = 0
            for k in range(FOLDS):
                a = [train[i] for i in range(len(train)) if fold[i] != k]
                b = [train[i] for i in range(len(train)) if fold[i] == k]
                pred, _, _ = train_predict(tmp, "t", topic_lines(a), [r["text"] for r in b],
                                           ["-loss", "ova"] + opts, -1, 0.5)
                for r, p in zip(b, pred):
                    g, p = set(r["topics"]), set(p) - {NO_TOPIC}
                    tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
                bt = [r for r in b if tone_class(r.get("tone")) is not None]
                pred, _, _ = train_predict(tmp, "s", tone_lines(a), [r["text"] for r in bt],
                                           ["-loss", "softmax"] + opts, 1, 0.0)
                for r, p in zip(bt, pred):
                    scored += 1
                    correct += bool(p) and p[0] == tone_class(r.get("tone"))
            print("| %s | %.4f | %.4f |" % (" ".join(opts), 2 * tp / (2 * tp + fp + fn),
                                            correct / scored), flush=True)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "run":
        run(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "cv":
        cv(sys.argv[2])
    else:
        sys.exit("usage: fasttext_real.py run TRAIN.jsonl PASSAGES.jsonl PRED.jsonl\n"
                 "       fasttext_real.py cv TRAIN.jsonl")


if __name__ == "__main__":
    main()
