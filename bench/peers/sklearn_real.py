"""sklearn_real.py: the scikit-learn rows of real.sh.

    sklearn_real.py plain|tuned TRAIN.jsonl PASSAGES.jsonl PRED.jsonl > INFO.json

Trains on TRAIN.jsonl (the project's passages: id, text, topics, tone) and predicts every
passage of PASSAGES.jsonl (stance-tokenize records; meta passages are skipped), writing one
record per passage to PRED.jsonl: {"doc", "start", "end", "topics": [...], "tone": label or
null}. Prints one JSON object: the seconds spent training and predicting (in process,
time.perf_counter; not interpreter start-up or JSON loading), and the settings chosen.

Features: TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), otherwise its defaults.
Topics: one LinearSVC per topic (one-vs-rest). Tone: one LinearSVC over three classes,
conciliatory, confrontational and "none" (the corpus's "tone": [], tone does not apply),
scikit-learn's one-vs-rest, the class with the largest decision value; "none" is written as
null. A passage whose tone is null or missing is "not labeled" (include/stance/codebook.h) and
is left out of the tone training, as stance-train leaves it out.

plain: C = 1, topic threshold 0 (decision value > 0).
tuned: on the training corpus only, 5-fold cross-validation (stratified, shuffled, seed 1;
the vectorizer is fitted on the four training folds each time) gives out-of-fold decision
values for every C of the grid 0.25, 0.5, 1, 2, 4 (the grid of the top-level Makefile's
MODEL_OPTS); per topic, the C and the threshold with the best out-of-fold F1 (threshold
halfway between two distinct decision values) are kept; the tone's C is the one with the best
out-of-fold accuracy (no threshold). The final models are then fitted on the whole corpus.
LinearSVC(random_state=1) everywhere, so the runs repeat.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")  # LinearSVC's convergence warnings

TOPICS = ("kosovo", "enlargement", "abm", "arms_sales")
GRID = (0.25, 0.5, 1.0, 2.0, 4.0)
FOLDS = 5
NONE = "none"


def vectorizer():
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)


def svc(c):
    return LinearSVC(C=c, random_state=1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tone_class(t):
    """the training class of a tone field, or None when the passage is not labeled"""
    if t == []:
        return NONE
    if t is None or isinstance(t, str):
        return t
    sys.exit("sklearn_real.py: unexpected tone %r" % (t,))


def best_threshold(f, y):
    """the threshold with the best F1 of (f >= t) against y, and that F1"""
    order = np.argsort(-f, kind="stable")
    fs, ys = f[order], y[order]
    if ys.sum() == 0:
        return fs[0] + 1e-6, 0.0
    f1 = 2 * np.cumsum(ys) / (np.arange(1, len(f) + 1) + ys.sum())
    f1 = np.where(np.r_[fs[1:] != fs[:-1], True], f1, -1)  # cut between distinct values only
    b = int(np.argmax(f1))
    t = (fs[b] + fs[b + 1]) / 2 if b + 1 < len(f) else fs[-1] - 1e-6
    return t, float(f1[b])


def tune(texts, Y, tone_idx, tone_y):
    """C and threshold per topic, C of the tone, by 5-fold CV on the training corpus"""
    n = len(texts)
    oof = {(j, c): np.empty(n) for j in range(len(TOPICS)) for c in GRID}
    tone_pred = {c: np.empty(len(tone_idx), dtype=object) for c in GRID}
    pos = {i: k for k, i in enumerate(tone_idx)}
    # one split for all topics: stratified on the topic set, so each fold has every topic
    strata = ["".join("1" if y else "0" for y in row) for row in Y]
    for a, b in StratifiedKFold(FOLDS, shuffle=True, random_state=1).split(texts, strata):
        vec = vectorizer()
        Xa = vec.fit_transform([texts[i] for i in a])
        Xb = vec.transform([texts[i] for i in b])
        ta = [pos[i] for i in a if i in pos]
        tb = [i for i in b if i in pos]
        Xta = Xa[[k for k, i in enumerate(a) if i in pos]]
        Xtb = Xb[[k for k, i in enumerate(b) if i in pos]]
        for c in GRID:
            for j in range(len(TOPICS)):
                oof[(j, c)][b] = svc(c).fit(Xa, Y[a, j]).decision_function(Xb)
            if len(set(tone_y[ta])) > 1:
                tone_pred[c][[pos[i] for i in tb]] = svc(c).fit(Xta, tone_y[ta]).predict(Xtb)
    chosen = {}
    for j, t in enumerate(TOPICS):
        best = None
        for c in GRID:
            th, f1 = best_threshold(oof[(j, c)], Y[:, j])
            if best is None or f1 > best[2]:
                best = (c, th, f1)
        chosen[t] = {"C": best[0], "threshold": float(best[1]), "cv_f1": best[2]}
    best = None
    for c in GRID:
        acc = float(np.mean(tone_pred[c] == tone_y))
        if best is None or acc > best[1]:
            best = (c, acc)
    chosen["tone"] = {"C": best[0], "cv_accuracy": best[1]}
    return chosen


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("plain", "tuned"):
        sys.exit("usage: sklearn_real.py plain|tuned TRAIN.jsonl PASSAGES.jsonl PRED.jsonl")
    recipe = sys.argv[1]
    train = load(sys.argv[2])
    passages = [p for p in load(sys.argv[3]) if p.get("kind") != "meta"]
    texts = [r["text"] for r in train]
    Y = np.array([[1 if t in r["topics"] else 0 for t in TOPICS] for r in train])
    classes = [tone_class(r.get("tone")) for r in train]
    tone_idx = [i for i, c in enumerate(classes) if c is not None]
    tone_y = np.array([classes[i] for i in tone_idx], dtype=object)

    t0 = time.perf_counter()
    if recipe == "tuned":
        chosen = tune(texts, Y, tone_idx, tone_y)
    else:
        chosen = {t: {"C": 1.0, "threshold": 0.0} for t in TOPICS}
        chosen["tone"] = {"C": 1.0}
    vec = vectorizer()
    X = vec.fit_transform(texts)
    topic_models = [svc(chosen[t]["C"]).fit(X, Y[:, j]) for j, t in enumerate(TOPICS)]
    tone_model = svc(chosen["tone"]["C"]).fit(X[tone_idx], tone_y)
    t1 = time.perf_counter()
    Xp = vec.transform([p["text"] for p in passages])
    D = np.column_stack([m.decision_function(Xp) for m in topic_models])
    thresholds = np.array([chosen[t]["threshold"] for t in TOPICS])
    # plain: decision value > 0 (LinearSVC.predict); tuned: >= the out-of-fold threshold
    P = D > thresholds if recipe == "plain" else D >= thresholds
    tones = tone_model.predict(Xp)
    t2 = time.perf_counter()

    with open(sys.argv[4], "w", encoding="utf-8") as f:
        for p, row, tone in zip(passages, P, tones):
            f.write(json.dumps({"doc": p["doc"], "start": p["start"], "end": p["end"],
                                "topics": [t for t, on in zip(TOPICS, row) if on],
                                "tone": None if tone == NONE else tone}) + "\n")
    json.dump({"train_s": round(t1 - t0, 3), "tag_s": round(t2 - t1, 3),
               "tone_classes": sorted(set(tone_y)), "training_passages": len(train),
               "tone_training_passages": len(tone_idx), "chosen": chosen}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
