/* check_explain.c: explanations of a unit's decision (explain.h) on models trained here: plain
 * and NB-weighted (data/train-small.jsonl), one with an optional tone (its applies unit), and
 * the plain one saved and loaded back (weights read into the model's float matrix). Checked:
 * the sum identity, that the decision is the one prediction uses, the order of the terms, that
 * every span slices to the word (or word pair) of its term, K above the number of terms, the
 * empty text, the refusals (a kernel model, a label no unit explains), and the weight and
 * vocabulary accessors (model.h, vocab.h) of a loaded model against the trained one. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/model_int.h"
#include "stance/explain.h"
#include "stance/model.h"
#include "stance/train.h"
#include "suites.h"

#define CODEBOOK "data/codebook-project.json"
#define OPT_CODEBOOK "data/codebook-optional.json"
#define TRAIN "data/train-small.jsonl"
#define OPTIONAL "data/train-optional.jsonl"

enum { PLAIN, NB, OPT, LOADED, NMODELS };
static stance_model *models[NMODELS];
static char tmpdir[64];

static stance_model *train(const char *codebook, const char *data, int nb_weight,
                           stance_kernel kernel)
{
    stance_error err;
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_load(codebook, &cb, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.folds = 3;
    opt.nb_weight = nb_weight;
    opt.svm.kernel = kernel;
    stance_model *m;
    stance_status st = stance_train_run(cb, data, &opt, &m, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    stance_codebook_free(cb);
    return m;
}

static void setup(void)
{
    stance_engine_silence();
    models[PLAIN] = train(CODEBOOK, TRAIN, 0, STANCE_KERNEL_LINEAR);
    models[NB] = train(CODEBOOK, TRAIN, 1, STANCE_KERNEL_LINEAR);
    models[OPT] = train(OPT_CODEBOOK, OPTIONAL, 1, STANCE_KERNEL_LINEAR);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/stance-check-explain-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char dir[128];
    snprintf(dir, sizeof dir, "%s/model", tmpdir);
    stance_error err;
    ck_assert_int_eq(stance_model_save(models[NB], dir, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_load(dir, &models[LOADED], &err), STANCE_OK);
}

static void teardown(void)
{
    char path[160];
    for (size_t i = 0; i < 8; i++) {
        snprintf(path, sizeof path, "%s/model/unit-%zu.txt", tmpdir, i);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/model/manifest.json", tmpdir);
    unlink(path);
    snprintf(path, sizeof path, "%s/model", tmpdir);
    rmdir(path);
    rmdir(tmpdir);
    for (size_t i = 0; i < NMODELS; i++) {
        stance_model_free(models[i]);
        models[i] = NULL;
    }
}

static const char *const texts[] = {
    "NATO and Russia did not agree on the ABM treaty. The ABM treaty stays.",
    "Russian KFOR troops began joint patrols in Kosovo with NATO-led forces; the patrols "
    "in Pristina were the first such since the Kosovo air campaign.",
    "Moscow’s envoys warned that NATO expansion to the Baltic states would be answered: "
    "Poland, Hungary and the Czech Republic joined, and Moscow protested again.",
    "Russia sold S-300 missiles and MiG-29 fighters to Iran; the arms exports grew.",
    "The the the and of",
    "Ko\u00ADsovo, Kosovo, KOSOVO: refugees return to Kosovo.",
};

/* The slices the spans of term give of text must analyze to the term's stems; returns how
 * many were bigrams'. */
static size_t check_spans(const stance_model *m, const char *text, const stance_explain_term *t)
{
    stance_error err;
    stance_analyzer *an;
    ck_assert_int_eq(stance_model_analyzer_new(m, &an, &err), STANCE_OK);
    const char *space = strchr(t->term, ' ');
    ck_assert_uint_gt(t->nspans, 0); /* a feature of the text comes from somewhere in it */
    for (size_t s = 0; s < t->nspans; s++) {
        size_t start = t->spans[2 * s], end = t->spans[2 * s + 1];
        ck_assert_uint_lt(start, end);
        ck_assert_uint_le(end, strlen(text));
        const char *const *stems;
        const size_t *lens;
        size_t n;
        ck_assert_int_eq(stance_analyzer_run(an, text + start, end - start, &stems, &lens, &n, &err),
                         STANCE_OK);
        if (!space) {
            ck_assert_uint_eq(n, 1);
            ck_assert_str_eq(stems[0], t->term);
        } else { /* the pair, stop words between them dropped */
            ck_assert_uint_eq(n, 2);
            ck_assert_uint_eq(lens[0], (size_t)(space - t->term));
            ck_assert(memcmp(stems[0], t->term, lens[0]) == 0);
            ck_assert_str_eq(stems[1], space + 1);
        }
    }
    stance_analyzer_free(an);
    return space ? t->nspans : 0;
}

/* The sum identity, the order of the terms and their spans; returns how many spans were
 * bigrams'. */
static size_t check_explanation(const stance_model *m, const char *text, const stance_explanation *e,
                              size_t k)
{
    double sum = e->bias + e->rest;
    size_t pairs = 0;
    for (size_t t = 0; t < e->nterms; t++) {
        const stance_explain_term *term = &e->terms[t];
        sum += term->contribution;
        ck_assert_double_eq(term->contribution, term->weight * term->value);
        ck_assert(t < e->npositive ? term->contribution > 0 : term->contribution < 0);
        if (t + 1 < e->nterms && t + 1 != e->npositive) { /* largest magnitude first, ties by term */
            const stance_explain_term *next = term + 1;
            ck_assert(fabs(term->contribution) > fabs(next->contribution) ||
                      (term->contribution == next->contribution && strcmp(term->term, next->term) < 0));
        }
        pairs += check_spans(m, text, term);
    }
    ck_assert_msg(fabs(sum - e->decision) < 1e-6, "bias + terms + rest = %.17g, decision %.17g",
                  sum, e->decision);
    ck_assert_uint_le(e->npositive, k);
    ck_assert_uint_le(e->nterms - e->npositive, k);
    return pairs;
}

/* The unit that decides value v of dimension d, and the decision prediction made with it
 * agrees with the explanation's: the same probability (single dimensions), the same side of
 * the threshold (multi). */
static void check_decision(const stance_model *m, size_t d, long v, const stance_explanation *e,
                           const double *probs, const signed char *present)
{
    const stance_codebook *cb = stance_model_get_codebook(m);
    const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
    for (size_t u = 0; u < stance_model_get_unit_count(m); u++) {
        const char *name, *value, *why;
        int trained;
        stance_model_get_unit_info(m, u, &name, &value, &trained, &why);
        if (strcmp(name, dim->name) != 0 || stance_model_get_unit_applies(m, u) != (v < 0))
            continue;
        double c, threshold, a, b;
        stance_model_get_unit_calibration(m, u, &c, &threshold, &a, &b);
        if (dim->kind == STANCE_DIM_MULTI && value && strcmp(value, dim->labels[v]) == 0) {
            ck_assert_int_eq(present[dim->offset + (size_t)v], e->decision >= threshold);
        } else if (dim->kind == STANCE_DIM_SINGLE && v >= 0 && dim->nvalues == 2 && !value) {
            double f = e->negated ? -e->decision : e->decision, p = probs[dim->offset];
            ck_assert_int_eq(e->negated, v == 1);
            /* probs were normalised over the two values, which sum to 1 already */
            ck_assert_double_eq_tol(stance_model_get_unit_probability(m, u, f), p, 1e-15);
        }
    }
}

START_TEST(test_sum_identity)
{
    const stance_model *m = models[_i];
    const stance_codebook *cb = stance_model_get_codebook(m);
    stance_error err;
    stance_explainer *ex;
    ck_assert_int_eq(stance_explainer_new(m, &ex, &err), STANCE_OK);
    double probs[16];
    signed char present[16];
    ck_assert_uint_le(stance_codebook_get_value_count(cb), 16);
    size_t pairs = 0;
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        check_predict_text(m, texts[t], probs, present);
        ck_assert_int_eq(stance_explainer_set_text(ex, texts[t], strlen(texts[t]), 0, &err), STANCE_OK);
        for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
            const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
            for (long v = dim->optional ? -1 : 0; v < (long)dim->nvalues; v++) {
                stance_explanation e;
                stance_status st = stance_explainer_label(ex, d, v, 3, &e, &err);
                if (st == STANCE_ERR_USAGE) { /* arms_sales: no positive example to train on */
                    ck_assert_str_eq(dim->labels[v], "arms_sales");
                    continue;
                }
                ck_assert_int_eq(st, STANCE_OK);
                pairs += check_explanation(m, texts[t], &e, 3);
                check_decision(m, d, v, &e, probs, present);
            }
        }
    }
    ck_assert_uint_gt(pairs, 0); /* bigrams' spans were checked too */
    stance_explainer_free(ex);
}
END_TEST

/* The second value of the pair unit is the first's with every sign changed. */
START_TEST(test_pair_negated)
{
    stance_error err;
    stance_explainer *ex;
    ck_assert_int_eq(stance_explainer_new(models[_i], &ex, &err), STANCE_OK);
    ck_assert_int_eq(stance_explainer_set_text(ex, texts[1], strlen(texts[1]), 0, &err), STANCE_OK);
    stance_explanation first, second;
    ck_assert_int_eq(stance_explainer_label(ex, 1, 0, 1000, &first, &err), STANCE_OK);
    double decision = first.decision, bias = first.bias;
    size_t n = first.nterms;
    ck_assert_int_eq(stance_explainer_label(ex, 1, 1, 1000, &second, &err), STANCE_OK);
    ck_assert_int_eq(first.negated, 0);
    ck_assert_int_eq(second.negated, 1);
    ck_assert_double_eq(second.decision, -decision);
    ck_assert_double_eq(second.bias, -bias);
    ck_assert_uint_eq(second.nterms, n);
    stance_explainer_free(ex);
}
END_TEST

/* K above the number of features: every non-zero term is listed, rest is 0; K = 0 lists none. */
START_TEST(test_k_large_and_zero)
{
    const stance_model *m = models[_i];
    stance_error err;
    stance_explainer *ex;
    ck_assert_int_eq(stance_explainer_new(m, &ex, &err), STANCE_OK);
    const char *text = texts[2];
    ck_assert_int_eq(stance_explainer_set_text(ex, text, strlen(text), 100, &err), STANCE_OK);
    stance_explanation e;
    ck_assert_int_eq(stance_explainer_label(ex, 0, 1, 100000, &e, &err), STANCE_OK);
    ck_assert_uint_gt(e.nterms, 2); /* more than K = 1 would list */
    ck_assert_double_eq(e.rest, 0);
    double sum = e.bias;
    for (size_t t = 0; t < e.nterms; t++) {
        sum += e.terms[t].contribution;
        for (size_t s = 0; s < e.terms[t].nspans; s++) /* the base is added */
            ck_assert_uint_ge(e.terms[t].spans[2 * s], 100);
    }
    ck_assert_double_eq_tol(sum, e.decision, 1e-9);
    double decision = e.decision;
    ck_assert_int_eq(stance_explainer_label(ex, 0, 1, 1, &e, &err), STANCE_OK);
    ck_assert_uint_le(e.nterms, 2);
    ck_assert_double_ne(e.rest, 0);
    ck_assert_double_eq(e.decision, decision);
    ck_assert_int_eq(stance_explainer_label(ex, 0, 1, 0, &e, &err), STANCE_OK);
    ck_assert_uint_eq(e.nterms, 0);
    ck_assert_double_eq_tol(e.bias + e.rest, decision, 1e-9);
    stance_explainer_free(ex);
}
END_TEST

/* No stems, or none the vocabulary knows: the decision is the bias. */
START_TEST(test_empty_text)
{
    static const char *const empty[] = {"", "   \n", "the of and", "zzqx wvvb"};
    stance_error err;
    stance_explainer *ex;
    ck_assert_int_eq(stance_explainer_new(models[PLAIN], &ex, &err), STANCE_OK);
    stance_explanation e;
    ck_assert_int_eq(stance_explainer_set_text(ex, empty[_i], strlen(empty[_i]), 0, &err), STANCE_OK);
    ck_assert_int_eq(stance_explainer_label(ex, 0, 0, 5, &e, &err), STANCE_OK);
    ck_assert_uint_eq(e.nterms, 0);
    ck_assert_double_eq(e.rest, 0);
    ck_assert_double_eq(e.decision, e.bias);
    ck_assert_double_eq(e.bias, stance_model_get_unit_bias(models[PLAIN], 0));
    stance_explainer_free(ex);
}
END_TEST

/* What no unit explains, and a kernel model. */
START_TEST(test_refusals)
{
    stance_error err;
    stance_explainer *ex;
    stance_explanation e;
    ck_assert_int_eq(stance_explainer_new(models[PLAIN], &ex, &err), STANCE_OK);
    ck_assert_int_eq(stance_explainer_set_text(ex, texts[0], strlen(texts[0]), 0, &err), STANCE_OK);
    ck_assert_int_eq(stance_explainer_label(ex, 2, 0, 5, &e, &err), STANCE_ERR_USAGE);  /* no dimension 2 */
    ck_assert_int_eq(stance_explainer_label(ex, 0, 4, 5, &e, &err), STANCE_ERR_USAGE);  /* no value 4 */
    ck_assert_int_eq(stance_explainer_label(ex, 1, -1, 5, &e, &err), STANCE_ERR_USAGE); /* tone is not optional */
    ck_assert_int_eq(stance_explainer_label(ex, 0, 3, 5, &e, &err), STANCE_ERR_USAGE);  /* untrained */
    ck_assert_str_eq(err.message, "unit 3 is not trained");
    stance_explainer_free(ex);
    stance_model *rbf = train(CODEBOOK, TRAIN, 0, STANCE_KERNEL_RBF);
    ex = (stance_explainer *)&err; /* set to NULL on failure */
    ck_assert_int_eq(stance_explainer_new(rbf, &ex, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(ex);
    ck_assert_ptr_nonnull(strstr(err.message, "explanations need a linear kernel"));
    stance_model_free(rbf);
}
END_TEST

/* The weights a loaded model reads from its matrix (float columns, the untrained unit
 * having none) are the trained model's, to a float's precision; the vocabulary's accessors. */
START_TEST(test_weights_loaded)
{
    const stance_model *a = models[NB], *b = models[LOADED];
    const stance_vocab *vocab = stance_model_get_vocab(b);
    size_t size = stance_vocab_get_size(vocab);
    ck_assert_uint_gt(size, 0);
    ck_assert_uint_eq(stance_vocab_get_documents(vocab), 24);
    stance_vocab_options opt;
    stance_vocab_get_options(vocab, &opt);
    ck_assert_int_eq(opt.bigrams, 1);
    ck_assert_int_eq(opt.min_df, 2);
    ck_assert_ptr_null(stance_vocab_get_term(vocab, 0));
    ck_assert_ptr_null(stance_vocab_get_term(vocab, (int)size + 1));
    for (size_t u = 0; u < stance_model_get_unit_count(a); u++) {
        ck_assert_int_eq(stance_model_get_unit_linear(a, u), stance_model_get_unit_linear(b, u));
        double wa = stance_model_get_unit_bias(a, u), wb = stance_model_get_unit_bias(b, u);
        ck_assert_double_eq_tol(wa, wb, 1e-8 * (1 + fabs(wa)));
        size_t nonzero = 0;
        for (int f = 0; f <= (int)size + 1; f++) {
            wa = stance_model_get_unit_weight(a, u, f);
            wb = stance_model_get_unit_weight(b, u, f);
            ck_assert(fabs(wa - wb) <= 1e-6 * fabs(wa));
            nonzero += wa != 0;
        }
        ck_assert_uint_eq(nonzero > 0, stance_model_get_unit_linear(a, u)); /* none out of range */
    }
}
END_TEST

/* The analyzer's spans: each stem's token in the source, as the tokenizer gives it. */
START_TEST(test_analyzer_spans)
{
    static const char text[] = "The Alliance’s warnings: MiG-29s and U.S. planes";
    static const char *const words[] = {"Alliance", "warnings", "MiG-29s", "U.S", "planes"};
    stance_error err;
    stance_analyzer *an;
    ck_assert_int_eq(stance_analyzer_new("english", &an, &err), STANCE_OK);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    ck_assert_uint_eq(n, 5);
    const size_t *spans = stance_analyzer_get_spans(an);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(spans[2 * i + 1] - spans[2 * i], strlen(words[i]));
        ck_assert(memcmp(text + spans[2 * i], words[i], strlen(words[i])) == 0);
    }
    stance_analyzer_free(an);
}
END_TEST

Suite *explain_suite(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_sum_identity, 0, NMODELS);
    tcase_add_loop_test(tc, test_pair_negated, 0, NMODELS); /* tone has two values */
    tcase_add_loop_test(tc, test_k_large_and_zero, 0, NMODELS);
    tcase_add_loop_test(tc, test_empty_text, 0, 4);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_weights_loaded);
    tcase_add_test(tc, test_analyzer_spans);
    suite_add_tcase(s, tc);
    return s;
}
