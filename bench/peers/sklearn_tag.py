"""sklearn_tag.py: the scikit-learn row of throughput.sh.

    sklearn_tag.py train TRAIN.jsonl MODEL.pickle
    sklearn_tag.py tag MODEL.pickle INPUT.jsonl [TIMING.json] > labels.txt

train fits the plain reference recipe of reuters.sh (TfidfVectorizer(sublinear_tf=True), one
LinearSVC(C=1) per topic through OneVsRestClassifier) on the "text" and "topics" fields and
pickles it. tag loads the model, reads INPUT.jsonl in batches of BATCH articles, transforms each
batch with the fitted TF-IDF vectorizer, takes the decision values and writes one line per
article: the topics whose decision value is >= 0 (threshold 0), separated by spaces. It prints
its own timing split (seconds, measured in process with time.perf_counter) on standard error
and, when TIMING.json is given, writes it there as one JSON object.
"""
import json
import pickle
import sys
import time
import warnings

BATCH = 2000


def train(train_path, model_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    warnings.filterwarnings("ignore")
    with open(train_path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    vec = TfidfVectorizer(sublinear_tf=True)
    X = vec.fit_transform([r["text"] for r in recs])
    mlb = MultiLabelBinarizer()
    Y = mlb.fit_transform([r["topics"] for r in recs])
    clf = OneVsRestClassifier(LinearSVC(C=1.0)).fit(X, Y)
    with open(model_path, "wb") as f:
        pickle.dump({"vectorizer": vec, "classifier": clf, "labels": list(mlb.classes_)}, f)


def tag(model_path, input_path, timing_path):
    t = {"import_s": 0.0, "load_model_s": 0.0, "read_json_s": 0.0, "transform_s": 0.0,
         "decision_function_s": 0.0, "write_s": 0.0}
    t0 = time.perf_counter()
    import numpy as np  # noqa: F401 (the unpickled model needs numpy and scikit-learn)
    import sklearn  # noqa: F401
    t1 = time.perf_counter()
    t["import_s"] = t1 - t0
    with open(model_path, "rb") as f:
        model = pickle.load(f)
    vec, clf, labels = model["vectorizer"], model["classifier"], model["labels"]
    t2 = time.perf_counter()
    t["load_model_s"] = t2 - t1
    out = sys.stdout
    articles = 0

    def run(batch):
        a = time.perf_counter()
        X = vec.transform(batch)
        b = time.perf_counter()
        D = clf.decision_function(X)
        c = time.perf_counter()
        out.write("".join(" ".join(labels[j] for j in np.flatnonzero(row >= 0)) + "\n"
                          for row in D))
        d = time.perf_counter()
        t["transform_s"] += b - a
        t["decision_function_s"] += c - b
        t["write_s"] += d - c

    with open(input_path, encoding="utf-8") as f:
        batch = []
        a = time.perf_counter()
        for line in f:
            batch.append(json.loads(line)["text"])
            if len(batch) == BATCH:
                t["read_json_s"] += time.perf_counter() - a
                run(batch)
                articles += len(batch)
                batch = []
                a = time.perf_counter()
        t["read_json_s"] += time.perf_counter() - a
        if batch:
            run(batch)
            articles += len(batch)
    out.flush()
    t["total_s"] = time.perf_counter() - t0
    t = {k: round(v, 3) for k, v in t.items()}
    t["articles"] = articles
    t["batch"] = BATCH
    print("sklearn_tag.py: " + ", ".join("%s %s" % (k, v) for k, v in t.items()), file=sys.stderr)
    if timing_path:
        with open(timing_path, "w", encoding="utf-8") as f:
            json.dump(t, f)
            f.write("\n")


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "train":
        train(a[1], a[2])
    elif len(a) in (3, 4) and a[0] == "tag":
        tag(a[1], a[2], a[3] if len(a) == 4 else None)
    else:
        sys.exit(__doc__.strip())


if __name__ == "__main__":
    main()
