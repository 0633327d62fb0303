# sklearn_reuters.py RECIPE TRAIN.jsonl TEST.jsonl: the scikit-learn reference rows of
# reuters.sh; prints "micro macro train_s tag_s" on one line.
# plain: TfidfVectorizer(sublinear_tf=True) + LinearSVC(C=1) per topic, threshold 0.
# tuned: the same, and each topic's threshold is the F1-optimal one on out-of-fold decision
# values of stratified 5-fold cross-validation (fewer folds when a topic has fewer examples).
# train_s covers vectorizing and fitting (and cross-validation); not loading the JSON.
# tag_s covers vectorizing the test texts and the decision values.
import json
import sys
import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")


def load(path):
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    return [r["text"] for r in recs], [r["topics"] for r in recs]


def best_threshold(f, y):
    order = np.argsort(-f, kind="stable")
    fs, ys = f[order], y[order]
    f1 = 2 * np.cumsum(ys) / (np.arange(1, len(f) + 1) + ys.sum())
    f1 = np.where(np.r_[fs[1:] != fs[:-1], True], f1, -1)  # cut between distinct values only
    b = int(np.argmax(f1))
    return (fs[b] + fs[b + 1]) / 2 if b + 1 < len(f) else fs[-1] - 1e-6


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("plain", "tuned"):
        sys.exit("usage: sklearn_reuters.py plain|tuned TRAIN.jsonl TEST.jsonl")
    recipe = sys.argv[1]
    train_text, train_topics = load(sys.argv[2])
    test_text, test_topics = load(sys.argv[3])
    t0 = time.perf_counter()
    vec = TfidfVectorizer(sublinear_tf=True)
    X = vec.fit_transform(train_text)
    mlb = MultiLabelBinarizer()
    Y = mlb.fit_transform(train_topics)
    models, thresholds = [], []
    for j in range(Y.shape[1]):
        y = Y[:, j]
        t = 0.0
        k = min(5, int(y.sum()), int(len(y) - y.sum()))
        if recipe == "tuned" and k >= 2:
            oof = np.empty(len(y))
            for a, b in StratifiedKFold(k, shuffle=True, random_state=1).split(X, y):
                oof[b] = LinearSVC(C=1.0).fit(X[a], y[a]).decision_function(X[b])
            t = best_threshold(oof, y)
        models.append(LinearSVC(C=1.0).fit(X, y))
        thresholds.append(t)
    t1 = time.perf_counter()
    Xt = vec.transform(test_text)
    P = np.column_stack([m.decision_function(Xt) for m in models]) >= np.array(thresholds)
    t2 = time.perf_counter()
    Yt = mlb.transform(test_topics)
    print("%.10f %.10f %.3f %.3f" % (f1_score(Yt, P, average="micro"),
          f1_score(Yt, P, average="macro", zero_division=0), t1 - t0, t2 - t1))


if __name__ == "__main__":
    main()
