# sklearn_mr.py RECIPE MR.jsonl: the scikit-learn rows of mr.sh, 10-fold cross-validation on
# the "fold" field (train on nine folds, test on the tenth); prints one line per fold,
# "fold accuracy train_s tag_s". train_s covers vectorizing and fitting, tag_s vectorizing the
# test sentences and predicting; loading the JSON is left out.
# tfidf: TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True) + LinearSVC(C=1).
# nbsvm: NBSVM-bi as Wang and Manning (2012) describe it: binarized unigram and bigram counts
#   (scikit-learn's default tokens, as in tfidf), log-count ratios r with alpha = 1,
#   a linear SVM (LinearSVC, squared hinge, C=1) on x * r, and the weights interpolated,
#   w' = (1 - beta) mean|w| + beta w with beta = 0.25.
import json
import sys
import time
import warnings

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")


def load(path):
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    return ([r["text"] for r in recs], np.array([r["label"] == "pos" for r in recs], dtype=int),
            np.array([r["fold"] for r in recs]))


def tfidf(train_text, y, test_text):
    t0 = time.perf_counter()
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    svm = LinearSVC(C=1.0).fit(vec.fit_transform(train_text), y)
    t1 = time.perf_counter()
    pred = svm.predict(vec.transform(test_text))
    return pred, t1 - t0, time.perf_counter() - t1


def nbsvm(train_text, y, test_text, alpha=1.0, beta=0.25):
    t0 = time.perf_counter()
    vec = CountVectorizer(ngram_range=(1, 2), binary=True)
    x = vec.fit_transform(train_text)
    p = alpha + np.asarray(x[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(x[y == 0].sum(axis=0)).ravel()
    r = np.log((p / p.sum()) / (q / q.sum()))
    svm = LinearSVC(C=1.0).fit(x.multiply(r).tocsr(), y)
    w = svm.coef_.ravel()
    w = (1 - beta) * np.abs(w).mean() + beta * w
    b = svm.intercept_[0]
    t1 = time.perf_counter()
    f = vec.transform(test_text).multiply(r).tocsr() @ w + b
    return (f > 0).astype(int), t1 - t0, time.perf_counter() - t1


def main():
    recipes = {"tfidf": tfidf, "nbsvm": nbsvm}
    if len(sys.argv) != 3 or sys.argv[1] not in recipes:
        sys.exit("usage: sklearn_mr.py tfidf|nbsvm MR.jsonl")
    text, y, fold = load(sys.argv[2])
    for k in sorted(set(fold.tolist())):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        pred, train_s, tag_s = recipes[sys.argv[1]]([text[i] for i in tr], y[tr], [text[i] for i in te])
        print("%d %.10f %.3f %.3f" % (k, float(np.mean(pred == y[te])), train_s, tag_s))


if __name__ == "__main__":
    main()
