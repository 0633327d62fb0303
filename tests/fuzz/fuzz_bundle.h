/* fuzz_bundle.h: a small valid model bundle for the model targets (fuzz_model.c,
 * fuzz_model_unit.c): manifest parts, unit files, and a prediction that checks a loaded model.
 * Codebook: topics (multi: kosovo, abm) and tone (single: conciliatory, confrontational), so
 * three units; five features. The seed manifests in corpus/model/ hold the SHA-256 of the
 * unit texts below: change a text and update them (sha256sum of the text). */
#ifndef STANCE_FUZZ_BUNDLE_H
#define STANCE_FUZZ_BUNDLE_H

#include <jansson.h>
#include <math.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/model_int.h"
#include "fuzz_common.h"
#include "stance/explain.h"
#include "stance/model.h"

#define BUNDLE_CODEBOOK                                                                      \
    "{\"dimensions\": [{\"name\": \"topics\", \"kind\": \"multi\", \"values\": "            \
    "[{\"label\": \"kosovo\"}, {\"label\": \"abm\"}]}, {\"name\": \"tone\", \"kind\": "      \
    "\"single\", \"values\": [{\"label\": \"conciliatory\"}, {\"label\": "                  \
    "\"confrontational\"}]}]}"

#define BUNDLE_ANALYZER \
    "{\"tokenizer\": 1, \"language\": \"english\", \"stopwords\": [\"the\", \"of\", \"and\"]}"

#define BUNDLE_VOCAB                                                                         \
    "{\"format\": \"stance-vocab\", \"version\": 1, \"options\": {\"bigrams\": true, "      \
    "\"min_df\": 1, \"sublinear_tf\": true, \"idf\": true, \"l2\": true}, \"documents\": 4, " \
    "\"terms\": [[\"abm\", 2], [\"kosovo\", 2], [\"nato\", 3], [\"russia\", 1], "           \
    "[\"russia nato\", 1]]}"

/* Unit files: three linear classifiers and one libsvm rbf model (svm-train -t 2 -g 0.5). */
static const struct {
    const char *name, *text;
} bundle_units[] = {
    {"unit-0.txt", "stance-linear 1\nfeatures 5\nbias -0.25\n2 1.5\n5 0.5\n"},
    {"unit-1.txt", "stance-linear 1\nfeatures 5\nbias -0.5\n1 2\n"},
    {"unit-2.txt", "stance-linear 1\nfeatures 5\nbias 0.1\n3 -0.75\n4 0.8\n"},
    {"unit-3.svm", "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 4\n"
                   "rho 0.10782255232334137\nlabel 1 -1\nnr_sv 2 2\nSV\n1 1:0.5 2:0.7 \n"
                   "1 2:0.6 5:0.3 \n-1 3:0.9 4:0.1 \n-1 3:0.4 4:0.8 \n"},
};

/* Explains every label of m on text: an explainer only for a model without kernel units,
 * the parts adding up to the decision (up to rounding, when finite), spans inside the text. */
static inline void bundle_explain(const stance_model *m, const char *text, size_t len)
{
    stance_error err;
    stance_explainer *ex = NULL;
    stance_status st = stance_explainer_new(m, &ex, &err);
    int kernel = 0;
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained;
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        kernel |= trained && !stance_model_get_unit_linear(m, i);
    }
    FUZZ_CHECK(kernel ? st == STANCE_ERR_USAGE : st == STANCE_OK || st == STANCE_ERR_USAGE);
    if (!ex)
        return; /* (or a language libstemmer lacks) */
    st = stance_explainer_set_text(ex, text, len, 0, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    const stance_codebook *cb = stance_model_get_codebook(m);
    for (size_t d = 0; st == STANCE_OK && d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        for (long v = -1; v < (long)dim->nvalues; v++) {
            stance_explanation e;
            if (stance_explainer_label(ex, d, v, 2, &e, &err) != STANCE_OK)
                continue; /* untrained, or no applies unit */
            double sum = e.bias + e.rest, scale = fabs(e.bias) + fabs(e.rest) + 1;
            for (size_t t = 0; t < e.nterms; t++) {
                sum += e.terms[t].contribution;
                scale += fabs(e.terms[t].contribution);
                for (size_t k = 0; k < e.terms[t].nspans; k++)
                    FUZZ_CHECK(e.terms[t].spans[2 * k] < e.terms[t].spans[2 * k + 1] &&
                               e.terms[t].spans[2 * k + 1] <= len);
            }
            FUZZ_CHECK(e.npositive <= 2 && e.nterms - e.npositive <= 2);
            FUZZ_CHECK(!isfinite(scale) || !isfinite(e.decision) || fabs(sum - e.decision) <= 1e-9 * scale);
        }
    }
    stance_explainer_free(ex);
}

/* Tags a fixed passage with m and checks the scores and the label fields. */
static inline void bundle_predict(const stance_model *m)
{
    static const char text[] = "NATO and Russia argued over Kosovo and the ABM treaty; "
                               "Russia warned NATO.";
    stance_error err;
    stance_analyzer *an = NULL;
    stance_status st = stance_model_analyzer_new(m, &an, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_USAGE); /* a language libstemmer lacks */
    if (!an)
        return;
    const char *const *stems;
    const size_t *lens;
    size_t n;
    FUZZ_CHECK(stance_analyzer_run(an, text, sizeof text - 1, &stems, &lens, &n, &err) == STANCE_OK);
    stance_vector v;
    stance_vector_init(&v);
    st = stance_vocab_vectorize(stance_model_vocab(m), stems, lens, n, NULL, 0, &v, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA); /* a stop word list can't empty a stem */
    if (st == STANCE_OK) {
        const stance_codebook *cb = stance_model_get_codebook(m);
        size_t nv = stance_codebook_get_value_count(cb);
        double *probs = calloc(nv, sizeof *probs);
        signed char *present = calloc(nv, 1);
        FUZZ_SETUP(probs && present);
        stance_model_predict(m, &v, probs, present);
        for (size_t i = 0; i < nv; i++)
            FUZZ_CHECK(isnan(probs[i]) || (probs[i] >= 0 && probs[i] <= 1));
        json_t *rec = json_object();
        FUZZ_SETUP(rec != NULL);
        FUZZ_CHECK(stance_model_set_labels(m, probs, present, rec, &err) == STANCE_OK);
        json_decref(rec);
        free(probs);
        free(present);
    }
    stance_vector_clear(&v);
    stance_analyzer_free(an);
    bundle_explain(m, text, sizeof text - 1);
}

#endif
