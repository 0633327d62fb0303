/* model.c: model bundles on disk (manifest, unit files, atomic replacement) and prediction;
 * the only file that fills a stance_model (training hands it its parts: modelbuild_int.h). */
#define _GNU_SOURCE /* renameat2, to swap a new bundle for an old one in one step */
#include "model_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codebook_int.h"
#include "engine_int.h"
#include "error_int.h"
#include "jsonl_int.h"
#include "modelbuild_int.h"
#include "outpath_int.h"
#include "prefetch_int.h"
#include "regfile_int.h"
#include "sha256_int.h"
#include "stance/tokenize.h"
#include "stance/version.h"
#include "stem_int.h"
#include "threshold_int.h"
#include "vocab_int.h"
#include "vocabfile_int.h"
#include "weightfile_int.h"

#define MODEL_FORMAT "stance-model"
#define MODEL_VERSION 3 /* written; versions 1 (one text file per unit, the vocabulary in the
                         * manifest) and 2 (weights.bin) still load */

struct stance_model {
    stance_codebook *cb;
    stance_vocab *vocab;
    char *language;
    char **stopwords;
    size_t nstop;
    unsigned scopes; /* the analyzer's STANCE_SCOPE_* copies */
    stance_actors *actors; /* the analyzer's lexicon of the parties, or NULL */
    int norm_apart;  /* "scope_norm": "apart": scoped features have an L2 norm of their own */
    stance_svm_options svm;
    stance_unit *units;
    size_t nunits;
    json_t *training; /* what the model was trained from and how (owned) */
    json_t *manifest; /* as loaded, or NULL for a model trained in this process */
    /* A loaded bundle whose trained units are all linear keeps their weights here instead of
     * in classifiers, feature by feature, so prediction reads one row per feature of x:
     * weights[(i - 1) * stride + c] is feature i's weight in column c, the c-th trained unit
     * (units[col_unit[c]]); stride >= ncols, extra columns hold zeros. NULL otherwise.
     * Weights are kept as floats: the unit files hold 9 significant digits, a float keeps 7,
     * and the matrix takes half the memory and half the cache lines a row at a time; the sums
     * are still made in double. */
    float *weights;
    double *biases;
    size_t *col_unit;
    size_t ncols, stride, nrows;
    /* A version 2 bundle's weights.bin, mapped: weights and biases point into it. */
    stance_weightfile wf;
    char *wf_path;   /* dir/weights.bin, for messages */
    int save_version; /* the bundle format stance_model_save writes (0: MODEL_VERSION) */
};

/* ---- construction ---- */

static size_t units_of_dimension(const stance_dimension *d)
{
    return (d->kind == STANCE_DIM_SINGLE && d->nvalues == 2 ? 1 : d->nvalues) + (d->optional != 0);
}

stance_status stance_model_new_for(stance_codebook *cb, stance_model **out, stance_error *err)
{
    *out = NULL;
    stance_model *m = calloc(1, sizeof *m);
    if (!m) {
        stance_codebook_free(cb);
        return stance_fail_nomem(err, NULL);
    }
    m->cb = cb;
    stance_svm_options_default(&m->svm);
    size_t n = 0;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++)
        n += units_of_dimension(stance_codebook_get_dimension(cb, d));
    m->units = calloc(n ? n : 1, sizeof *m->units);
    if (!m->units) {
        stance_model_free(m);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        size_t k = units_of_dimension(dim) - (dim->optional != 0); /* the value units */
        for (size_t v = 0; v < k; v++) {
            stance_unit *u = &m->units[m->nunits++];
            u->dim = d;
            u->value = k == 1 && dim->kind == STANCE_DIM_SINGLE ? -1 : (long)v;
        }
        if (dim->optional) { /* then the one that says whether any of them applies */
            stance_unit *u = &m->units[m->nunits++];
            u->dim = d;
            u->value = -1;
            u->applies = 1;
        }
    }
    *out = m;
    return STANCE_OK;
}

static void free_words(char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

void stance_model_free(stance_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nunits; i++) {
        stance_classifier_free(m->units[i].cl);
        json_decref(m->units[i].cv);
    }
    free(m->units);
    if (m->wf.map)
        stance_weightfile_unmap(&m->wf);
    else {
        free(m->weights);
        free(m->biases);
    }
    free(m->wf_path);
    free(m->col_unit);
    free_words(m->stopwords, m->nstop);
    free(m->language);
    stance_actors_free(m->actors);
    stance_vocab_free(m->vocab);
    stance_codebook_free(m->cb);
    json_decref(m->training);
    json_decref(m->manifest);
    free(m);
}

/* ---- filling a model trained in process (modelbuild_int.h) ---- */

void stance_unit_init(stance_unit *u, const stance_model *m, size_t i)
{
    *u = (stance_unit){.dim = m->units[i].dim, .value = m->units[i].value,
                       .applies = m->units[i].applies};
}

void stance_model_set_unit(stance_model *m, size_t i, stance_unit *u)
{
    stance_unit *mu = &m->units[i];
    stance_classifier_free(mu->cl);
    json_decref(mu->cv);
    *mu = *u;
    u->cl = NULL;
    u->cv = NULL;
}

void stance_model_set_vocab(stance_model *m, stance_vocab *vocab)
{
    stance_vocab_free(m->vocab);
    m->vocab = vocab;
}

void stance_model_set_svm(stance_model *m, const stance_svm_options *svm)
{
    m->svm = *svm;
}

stance_status stance_model_set_analyzer(stance_model *m, const char *language,
                                        const stance_stemmer *st, stance_error *err)
{
    size_t n = stance_stemmer_stopword_count(st), got = 0;
    char *lang = strdup(language);
    char **words = lang ? calloc(n + 1, sizeof *words) : NULL;
    while (words && got < n && (words[got] = strdup(stance_stemmer_stopword(st, got))) != NULL)
        got++;
    if (!words || got < n) {
        free_words(words, got);
        free(lang);
        return stance_fail_nomem(err, NULL);
    }
    free(m->language);
    free_words(m->stopwords, m->nstop);
    m->language = lang;
    m->stopwords = words;
    m->nstop = n;
    return STANCE_OK;
}

void stance_model_set_scopes(stance_model *m, unsigned scopes)
{
    m->scopes = scopes;
}

void stance_model_set_actors(stance_model *m, stance_actors *actors)
{
    stance_actors_free(m->actors);
    m->actors = actors;
}

void stance_model_set_norm_apart(stance_model *m, int apart)
{
    m->norm_apart = apart != 0;
}

int stance_model_has_scoped(const stance_model *m)
{
    return m->scopes || m->actors;
}

/* The analyzer's scopes as names, or NULL (none, or no memory). */
static json_t *scopes_json(unsigned scopes)
{
    json_t *arr = scopes ? json_array() : NULL;
    for (unsigned f = 1; arr && f <= scopes; f <<= 1)
        if ((scopes & f) && json_array_append_new(arr, json_string(stance_analyzer_scope_name(f))) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

void stance_model_set_training(stance_model *m, json_t *training)
{
    json_decref(m->training);
    m->training = training;
}

stance_status stance_model_check_codebook(const stance_model *m, const char *path,
                                          stance_error *err)
{
    stance_codebook *cb;
    stance_status st = stance_codebook_load(path, &cb, err);
    if (st == STANCE_OK && !stance_codebook_same(cb, m->cb))
        st = stance_fail(err, STANCE_ERR_DATA, path, 0,
                         "the model was trained with another codebook (other dimensions or values)");
    stance_codebook_free(cb);
    return st;
}

const stance_codebook *stance_model_get_codebook(const stance_model *m)
{
    return m->cb;
}

const stance_vocab *stance_model_vocab(const stance_model *m)
{
    return m->vocab;
}

const json_t *stance_model_manifest(const stance_model *m)
{
    return m->manifest;
}

size_t stance_model_get_unit_count(const stance_model *m)
{
    return m->nunits;
}

void stance_model_get_unit_info(const stance_model *m, size_t i, const char **dimension,
                                const char **value, int *trained, const char **why_not)
{
    const stance_unit *u = &m->units[i];
    const stance_dimension *d = stance_codebook_get_dimension(m->cb, u->dim);
    *dimension = d->name;
    *value = u->value >= 0 ? d->labels[u->value] : NULL;
    *trained = u->trained;
    *why_not = u->why_not;
}

int stance_model_get_unit_folds(const stance_model *m, size_t i)
{
    const json_t *folds = json_object_get(m->units[i].cv, "folds");
    json_int_t k = json_is_integer(folds) ? json_integer_value(folds) : 0;
    return k > 0 && k <= 1000000 ? (int)k : 0;
}

int stance_model_get_unit_applies(const stance_model *m, size_t i)
{
    return m->units[i].applies;
}

/* The number at key in obj into *x if it is one, finite and within [lo, hi]; else 0. */
static int cv_number(const json_t *obj, const char *key, double lo, double hi, double *x)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        return 0;
    *x = json_number_value(v);
    return isfinite(*x) && *x >= lo && *x <= hi;
}

/* tpr and fpr from a multi value's cv precision and recall (bundles from before the rates were
 * stored): tp = recall * positives, tp + fp = tp / precision. */
static int derive_rates(const json_t *cv, stance_unit_rates *r)
{
    double precision, recall;
    if (!cv_number(cv, "precision", 0, 1, &precision) || !cv_number(cv, "recall", 0, 1, &recall))
        return 0;
    double tp = recall * r->positives;
    r->tpr = recall;
    r->fpr = precision > 0 ? (tp / precision - tp) / r->negatives : 0;
    if (precision <= 0 && tp > 0) /* tp > 0 makes precision > 0: inconsistent */
        return 0;
    if (r->fpr > 1)
        r->fpr = 1;
    r->derived = 1;
    return 1;
}

void stance_model_get_unit_rates(const stance_model *m, size_t i, stance_unit_rates *out)
{
    const stance_unit *u = &m->units[i];
    const stance_dimension *d = stance_codebook_get_dimension(m->cb, u->dim);
    *out = (stance_unit_rates){0};
    const json_t *cv = u->cv;
    const char *pos = d->kind == STANCE_DIM_MULTI ? "positives" : u->applies ? "applies" : "first";
    const char *neg = d->kind == STANCE_DIM_MULTI ? "negatives" : u->applies ? "none" : "second";
    if (!u->trained || !cv || !cv_number(cv, pos, 1, 1e15, &out->positives) ||
        !cv_number(cv, neg, 1, 1e15, &out->negatives))
        return;
    if (cv_number(cv, "tpr", 0, 1, &out->tpr) && cv_number(cv, "fpr", 0, 1, &out->fpr))
        out->rates = 1;
    else if (d->kind == STANCE_DIM_MULTI)
        out->rates = derive_rates(cv, out);
    out->scores = cv_number(cv, "score_pos", 0, 1, &out->score_pos) &&
                  cv_number(cv, "score_neg", 0, 1, &out->score_neg);
}

const stance_vocab *stance_model_get_vocab(const stance_model *m)
{
    return m->vocab;
}

const json_t *stance_model_get_manifest(const stance_model *m)
{
    return m->manifest;
}

/* The column of the weight matrix that holds trained unit i: the trained units fill the
 * columns in order (load_unit_column). */
static size_t unit_column(const stance_model *m, size_t i)
{
    size_t col = 0;
    for (size_t k = 0; k < i; k++)
        col += m->units[k].trained != 0;
    return col;
}

int stance_model_get_unit_linear(const stance_model *m, size_t i)
{
    const stance_unit *u = &m->units[i];
    return u->trained && (m->weights || stance_classifier_is_linear(u->cl));
}

double stance_model_get_unit_bias(const stance_model *m, size_t i)
{
    if (!stance_model_get_unit_linear(m, i))
        return 0;
    return m->weights ? m->biases[unit_column(m, i)] : stance_classifier_get_bias(m->units[i].cl);
}

double stance_model_get_unit_weight(const stance_model *m, size_t i, int feature)
{
    if (!stance_model_get_unit_linear(m, i))
        return 0;
    if (!m->weights)
        return stance_classifier_get_weight(m->units[i].cl, feature);
    if (feature < 1 || (size_t)feature > m->nrows)
        return 0;
    return m->weights[(size_t)(feature - 1) * m->stride + unit_column(m, i)];
}

void stance_model_get_unit_calibration(const stance_model *m, size_t i, double *c,
                                       double *threshold, double *platt_a, double *platt_b)
{
    const stance_unit *u = &m->units[i];
    *c = u->trained ? u->c : 0;
    *threshold = u->trained ? u->threshold : 0;
    *platt_a = u->trained ? u->platt.a : 0;
    *platt_b = u->trained ? u->platt.b : 0;
}

double stance_model_get_unit_probability(const stance_model *m, size_t i, double f)
{
    return stance_platt_prob(m->units[i].platt, f);
}

stance_status stance_model_analyzer_new(const stance_model *m, stance_analyzer **out,
                                        stance_error *err)
{
    stance_status st = stance_analyzer_new(m->language, out, err);
    if (st != STANCE_OK)
        return st;
    stance_stemmer *stemmer = stance_analyzer_stemmer(*out);
    stance_stemmer_clear_stopwords(stemmer);
    stance_analyzer_set_scopes(*out, m->scopes);
    stance_analyzer_set_actors(*out, m->actors);
    for (size_t i = 0; st == STANCE_OK && i < m->nstop; i++)
        st = stance_stemmer_add_stopword(stemmer, m->stopwords[i], strlen(m->stopwords[i]), err);
    if (st != STANCE_OK) {
        stance_analyzer_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- prediction ---- */

/* The decision is f >= threshold; the sigmoid crosses 0.5 there, but rounding near the
 * threshold could put p on the other side of 0.5, so it is nudged to agree. */
static double consistent(double p, int present)
{
    if (present && p < 0.5)
        return 0.5;
    if (!present && p >= 0.5)
        return nextafter(0.5, 0);
    return p;
}

/* Stores the probability unit u gives for decision value f; with present_only, only for a
 * value of a multi dimension that is present (f >= threshold), the others staying 0. An
 * applies unit whose probability is below 0.5 marks its dimension in present (-1 in the first
 * slot), which model_predict reads and clears. */
static void unit_prob(const stance_model *m, const stance_unit *u, double f, int present_only,
                      double *probs, double *applies, signed char *present)
{
    const stance_dimension *d = stance_codebook_get_dimension(m->cb, u->dim);
    if (u->applies) {
        double p = stance_platt_prob(u->platt, f);
        if (!(p >= 0.5))
            present[d->offset] = -1;
        if (applies)
            applies[u->dim] = p;
        return;
    }
    if (present_only && u->value >= 0 && d->kind == STANCE_DIM_MULTI && !(f >= u->threshold))
        return;
    double p = stance_platt_prob(u->platt, f);
    if (u->value < 0) { /* pair model: p is the probability of the first value */
        probs[d->offset] = p;
        probs[d->offset + 1] = 1 - p;
    } else {
        probs[d->offset + (size_t)u->value] = d->kind == STANCE_DIM_MULTI ? consistent(p, f >= u->threshold) : p;
    }
}

#define COLUMN_BLOCK 128 /* decision values summed at once: a multiple of LANES, on the stack */
#define ROW_CHUNK 128    /* features of x whose rows are gathered (and fetched) at once */
#define LANES 8          /* columns summed together in registers; the stride is a multiple */

/* Gathers the weight rows (from column c0) and values of features [k0, k0 + ROW_CHUNK) of x,
 * skipping indices outside the matrix, and asks for the rows' cache lines, which the sums
 * will read soon. Returns how many it gathered. */
static size_t gather_rows(const stance_model *m, const stance_vector *x, size_t k0, size_t c0,
                          size_t width, const float **rows, double *values)
{
    size_t n = 0;
    for (size_t k = k0; k < x->count && k < k0 + ROW_CHUNK; k++) {
        int i = x->items[k].index;
        if (i < 1 || (size_t)i > m->nrows)
            continue;
        rows[n] = m->weights + (size_t)(i - 1) * m->stride + c0;
        for (size_t c = 0; c < width; c += 16) /* 16 floats a cache line */
            STANCE_PREFETCH(rows[n] + c);
        values[n++] = x->items[k].value;
    }
    return n;
}

/* Decision values of columns [c0, c0 + width) for x into f (width a multiple of LANES): for
 * each unit the bias plus w_i x_i in the order of x's features, the same sums the classifiers
 * make. LANES columns at a time over all the gathered rows, so the sums stay in registers. */
STANCE_SIMD_CLONES
static void column_decisions(const stance_model *m, const stance_vector *x, size_t c0,
                             size_t width, double *f)
{
    const float *rows[ROW_CHUNK];
    double values[ROW_CHUNK];
    memcpy(f, m->biases + c0, width * sizeof *f);
    for (size_t k0 = 0; k0 < x->count; k0 += ROW_CHUNK) {
        size_t n = gather_rows(m, x, k0, c0, width, rows, values);
        for (size_t c = 0; c < width; c += LANES) {
            double sum[LANES];
            for (size_t j = 0; j < LANES; j++)
                sum[j] = f[c + j];
            for (size_t k = 0; k < n; k++)
                for (size_t j = 0; j < LANES; j++)
                    sum[j] += (double)rows[k][c + j] * values[k];
            for (size_t j = 0; j < LANES; j++)
                f[c + j] = sum[j];
        }
    }
}

/* stance_model_predict; with present_only, see unit_prob; applies (may be NULL) as
 * stance_model_predict_full gives it for the dimensions with a trained applies unit. */
static void model_predict(const stance_model *m, const stance_vector *x, int present_only,
                          double *probs, double *applies, signed char *present)
{
    size_t nv = stance_codebook_get_value_count(m->cb);
    for (size_t v = 0; v < nv; v++)
        probs[v] = 0, present[v] = 0;
    if (m->weights) {
        double f[COLUMN_BLOCK];
        for (size_t c0 = 0; c0 < m->ncols; c0 += COLUMN_BLOCK) {
            size_t width = m->stride - c0 < COLUMN_BLOCK ? m->stride - c0 : COLUMN_BLOCK;
            column_decisions(m, x, c0, width, f);
            for (size_t c = c0; c < m->ncols && c < c0 + COLUMN_BLOCK; c++)
                unit_prob(m, &m->units[m->col_unit[c]], f[c - c0], present_only, probs, applies,
                          present);
        }
    } else {
        for (size_t i = 0; i < m->nunits; i++)
            if (m->units[i].trained)
                unit_prob(m, &m->units[i], stance_classifier_decision(m->units[i].cl, x),
                          present_only, probs, applies, present);
    }
    for (size_t di = 0; di < stance_codebook_get_dimension_count(m->cb); di++) {
        const stance_dimension *d = stance_codebook_get_dimension(m->cb, di);
        double *p = probs + d->offset;
        if (d->kind == STANCE_DIM_MULTI) {
            for (size_t v = 0; v < d->nvalues; v++)
                present[d->offset + v] = p[v] >= 0.5;
            continue;
        }
        int none = present[d->offset] < 0; /* the applies unit says no value applies */
        present[d->offset] = 0;
        double sum = 0;
        size_t best = 0;
        for (size_t v = 0; v < d->nvalues; v++) {
            sum += p[v];
            if (p[v] > p[best])
                best = v;
        }
        if (sum <= 0)
            continue; /* untrained */
        for (size_t v = 0; v < d->nvalues; v++)
            p[v] /= sum;
        if (!none)
            present[d->offset + best] = 1;
    }
}

void stance_model_predict(const stance_model *m, const stance_vector *x, double *probs,
                          signed char *present)
{
    model_predict(m, x, 0, probs, NULL, present);
}

void stance_model_predict_present(const stance_model *m, const stance_vector *x, double *probs,
                                  signed char *present)
{
    model_predict(m, x, 1, probs, NULL, present);
}

/* A score as records give it, to 4 decimals: what a moved threshold is compared with. */
static double shown(double p)
{
    return stance_jsonw_score_round(p);
}

/* Multi dimension d's values whose threshold was moved: present when their score reaches it. */
static void decide_multi(const stance_dimension *d, const stance_thresholds *th,
                         const double *probs, signed char *present)
{
    for (size_t v = d->offset; v < d->offset + d->nvalues; v++) {
        double at = stance_thresholds_value(th, v);
        if (!isnan(at))
            present[v] = !isnan(probs[v]) && shown(probs[v]) >= at;
    }
}

/* Single dimension di's value with moved thresholds (threshold.h): none if its applies unit
 * says no value applies; else, of the values whose moved threshold is reached, the most
 * probable; else the most probable of those not moved. */
static void decide_single(const stance_dimension *d, size_t di, const stance_thresholds *th,
                          const double *probs, const double *applies, signed char *present)
{
    size_t best[2] = {SIZE_MAX, SIZE_MAX}; /* of the values not moved, of those moved */
    for (size_t v = d->offset; v < d->offset + d->nvalues; v++) {
        present[v] = 0;
        if (isnan(probs[v]))
            continue; /* untrained */
        double at = stance_thresholds_value(th, v);
        int moved = !isnan(at);
        if (moved && !(shown(probs[v]) >= at))
            continue;
        if (best[moved] == SIZE_MAX || probs[v] > probs[best[moved]])
            best[moved] = v;
    }
    double a = applies[di], at = stance_thresholds_applies(th, di);
    if (!isnan(a) && !(isnan(at) ? a >= 0.5 : shown(a) >= at)) /* 0.5: as unit_prob decides */
        return;
    size_t chosen = best[1] != SIZE_MAX ? best[1] : best[0];
    if (chosen != SIZE_MAX)
        present[chosen] = 1;
}

/* Marks the values of untrained units NaN in probs. */
static void mark_untrained(const stance_model *m, double *probs)
{
    for (size_t i = 0; i < m->nunits; i++) {
        const stance_unit *u = &m->units[i];
        if (u->trained || u->applies)
            continue;
        size_t off = stance_codebook_get_dimension(m->cb, u->dim)->offset;
        if (u->value < 0) /* the pair model of a two-valued single dimension */
            probs[off] = probs[off + 1] = NAN;
        else
            probs[off + (size_t)u->value] = NAN;
    }
}

void stance_model_predict_full(const stance_model *m, const stance_vector *x,
                               const stance_thresholds *th, double *probs, double *applies,
                               signed char *present)
{
    size_t nd = stance_codebook_get_dimension_count(m->cb);
    for (size_t d = 0; d < nd; d++)
        applies[d] = NAN;
    model_predict(m, x, 0, probs, applies, present);
    mark_untrained(m, probs);
    if (!stance_thresholds_any(th))
        return;
    for (size_t di = 0; di < nd; di++) {
        const stance_dimension *d = stance_codebook_get_dimension(m->cb, di);
        if (d->kind == STANCE_DIM_MULTI)
            decide_multi(d, th, probs, present);
        else
            decide_single(d, di, th, probs, applies, present);
    }
}

/* The values of multi dimension d present in a prediction, highest score first (ties in codebook
 * order), into order; returns how many. */
static size_t present_order(const stance_dimension *d, const double *p, const signed char *present,
                            size_t *order)
{
    size_t n = 0;
    for (size_t v = 0; v < d->nvalues; v++) {
        if (!present[v])
            continue;
        size_t k = n++;
        while (k > 0 && p[order[k - 1]] < p[v]) { /* insertion sort */
            order[k] = order[k - 1];
            k--;
        }
        order[k] = v;
    }
    return n;
}

int stance_model_write_label(const stance_model *m, size_t dim, const double *probs,
                             const signed char *present, stance_jsonw *w)
{
    const stance_dimension *d = stance_codebook_get_dimension(m->cb, dim);
    const double *p = probs + d->offset;
    const signed char *pr = present + d->offset;
    if (d->kind != STANCE_DIM_MULTI) {
        size_t chosen = d->nvalues; /* the last value present (at most one is) */
        for (size_t v = 0; v < d->nvalues; v++)
            if (pr[v])
                chosen = v;
        if (chosen == d->nvalues) {
            stance_jsonw_raw(w, "null", 4);
            return 1;
        }
        return stance_jsonw_label(w, d->labels[chosen], p[chosen]);
    }
    size_t small[64], *order = d->nvalues <= 64 ? small : malloc(d->nvalues * sizeof *order);
    if (!order)
        return 0;
    size_t n = present_order(d, p, pr, order);
    int ok = 1;
    stance_jsonw_raw(w, "[", 1);
    for (size_t k = 0; k < n; k++) {
        if (k)
            stance_jsonw_raw(w, ",", 1);
        ok &= stance_jsonw_label(w, d->labels[order[k]], p[order[k]]);
    }
    stance_jsonw_raw(w, "]", 1);
    if (order != small)
        free(order);
    return ok;
}

stance_status stance_model_set_labels(const stance_model *m, const double *probs,
                                      const signed char *present, json_t *rec, stance_error *err)
{
    /* the label fields as stance-tag writes them, read back */
    stance_jsonw_object labels;
    stance_jsonw text;
    stance_jsonw_object_init(&labels);
    stance_jsonw_init(&text);
    int ok = 1;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(m->cb); d++) {
        size_t at = labels.values.len;
        ok &= stance_model_write_label(m, d, probs, present, &labels.values);
        stance_jsonw_object_add(&labels, stance_codebook_get_dimension(m->cb, d)->name, at);
    }
    stance_jsonw_object_write(&text, &labels, NULL, NULL, NULL);
    json_t *fields = NULL;
    stance_status st = ok && !text.failed
                           ? stance_json_parse(text.buf, text.len, "labels", &fields, err)
                           : stance_fail_nomem(err, NULL);
    if (st == STANCE_OK && json_object_update(rec, fields) != 0)
        st = stance_fail_nomem(err, NULL);
    json_decref(fields);
    stance_jsonw_object_clear(&labels);
    stance_jsonw_clear(&text);
    return st;
}

/* ---- saving ---- */

stance_status stance_model_set_format(stance_model *m, int version, stance_error *err)
{
    if (version < 1 || version > MODEL_VERSION)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "bundle format %d: this stance "
                           "writes 1 to %d", version, MODEL_VERSION);
    m->save_version = version;
    return STANCE_OK;
}

/* The vocabulary entry of a format 3 manifest: {"file": "vocab.bin", ...}; NULL before. */
static const json_t *vocab_entry(const json_t *man)
{
    const json_t *v = json_object_get(man, "vocabulary");
    return json_is_string(json_object_get(v, "file")) ? v : NULL;
}

stance_status stance_model_verify(const stance_model *m, stance_error *err)
{
    const json_t *ve = vocab_entry(m->manifest);
    if (ve) {
        const char *vsha = json_string_value(json_object_get(ve, "sha256"));
        stance_status st = stance_vocab_verify(m->vocab, vsha ? vsha : "", err);
        if (st != STANCE_OK)
            return st;
    }
    if (!m->wf.map)
        return STANCE_OK; /* every unit file was checked whole when it was read */
    const char *sha = json_string_value(json_object_get(json_object_get(m->manifest, "weights"), "sha256"));
    return stance_weightfile_verify(&m->wf, m->wf_path, sha ? sha : "", err);
}

static json_t *versions_json(void)
{
    return json_pack("{s:s, s:i, s:i, s:s, s:s}", "stance", STANCE_VERSION, "libsvm",
                     stance_engine_version(STANCE_ENGINE_LIBSVM), "liblinear",
                     stance_engine_version(STANCE_ENGINE_LIBLINEAR), "jansson", JANSSON_VERSION,
                     "libstemmer", "Snowball libstemmer_c (no version API)");
}

/* A unit's manifest entry: a trained one's file (with its checksum and size) or, with file
 * NULL, its column of weights.bin. */
static json_t *unit_json(const stance_model *m, const stance_unit *u, const char *file,
                         const char *sha, off_t bytes, size_t column)
{
    const stance_dimension *d = stance_codebook_get_dimension(m->cb, u->dim);
    json_t *o = json_pack("{s:s, s:o, s:b}", "dimension", d->name, "value",
                          u->value >= 0 ? json_string(d->labels[u->value]) : json_null(),
                          "trained", u->trained);
    if (!o)
        return NULL;
    int bad = u->applies ? json_object_set_new(o, "applies", json_true()) : 0;
    if (u->trained && !file) {
        bad |= json_object_set_new(o, "column", json_integer((json_int_t)column));
    } else if (u->trained) {
        bad |= json_object_set_new(o, "file", json_string(file));
        bad |= json_object_set_new(o, "sha256", json_string(sha));
        bad |= json_object_set_new(o, "bytes", json_integer((json_int_t)bytes)); /* the loader's cap */
    }
    if (u->trained) {
        bad |= json_object_set_new(o, "c", json_real(u->c));
        bad |= json_object_set_new(o, "threshold", json_real(u->threshold));
        bad |= json_object_set_new(o, "platt", json_pack("{s:f, s:f}", "a", u->platt.a, "b", u->platt.b));
    } else {
        bad |= json_object_set_new(o, "why_not", json_string(u->why_not));
    }
    bad |= json_object_set_new(o, "cv", u->cv ? json_incref(u->cv) : json_null());
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *stopwords_json(const stance_model *m)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < m->nstop; i++)
        if (json_array_append_new(arr, json_string(m->stopwords[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* Writes column col of the weight matrix as a linear unit file. */
static stance_status save_column(const stance_model *m, size_t col, const char *path,
                                 stance_error *err)
{
    double *w = malloc((m->nrows ? m->nrows : 1) * sizeof *w);
    if (!w)
        return stance_fail_nomem(err, path);
    for (size_t i = 0; i < m->nrows; i++)
        w[i] = m->weights[i * m->stride + col];
    stance_status st = stance_linear_save(path, (int)m->nrows, w, 1, m->biases[col], err);
    free(w);
    return st;
}

/* The trained units' weights, for stance_weightfile_write: from the loaded matrix, or from
 * the classifiers of a model trained in this process (unit[c] is column c's unit). */
typedef struct {
    const stance_model *m;
    size_t *unit;
    double *biases;
} weight_source;

static double source_weight(const void *ctx, size_t row, size_t col)
{
    const weight_source *s = ctx;
    if (s->m->weights)
        return s->m->weights[row * s->m->stride + col];
    return stance_classifier_get_weight(s->m->units[s->unit[col]].cl, (int)row + 1);
}

/* 1 when the bundle keeps its weights in weights.bin: format 2 and every trained unit linear
 * (a kernel unit keeps its libsvm file, and so then do the others). */
static int binary_weights(const stance_model *m, int version)
{
    if (version < 2)
        return 0;
    if (m->weights)
        return 1;
    for (size_t i = 0; i < m->nunits; i++)
        if (m->units[i].trained && !stance_classifier_is_linear(m->units[i].cl))
            return 0;
    return 1;
}

/* Writes tmpdir/weights.bin from the trained units and returns its manifest entry. */
static stance_status write_weights(const stance_model *m, const char *tmpdir, json_t **entry,
                                   stance_error *err)
{
    size_t cols = 0, rows = m->weights ? m->nrows : stance_vocab_get_size(m->vocab);
    for (size_t i = 0; i < m->nunits; i++)
        cols += m->units[i].trained != 0;
    weight_source src = {m, calloc(cols ? cols : 1, sizeof *src.unit),
                         calloc(cols ? cols : 1, sizeof *src.biases)};
    size_t plen = strlen(tmpdir) + sizeof STANCE_WEIGHTS_FILE + 1;
    char *path = malloc(plen);
    stance_status st = src.unit && src.biases && path ? STANCE_OK : stance_fail_nomem(err, tmpdir);
    for (size_t i = 0, c = 0; st == STANCE_OK && i < m->nunits; i++)
        if (m->units[i].trained) {
            src.unit[c] = i;
            src.biases[c] = m->weights ? m->biases[c] : stance_classifier_get_bias(m->units[i].cl);
            c++;
        }
    char sha[65];
    size_t bytes = 0;
    if (st == STANCE_OK) {
        snprintf(path, plen, "%s/%s", tmpdir, STANCE_WEIGHTS_FILE);
        st = stance_weightfile_write(path, rows, cols, src.biases, source_weight, &src, sha,
                                     &bytes, err);
    }
    if (st == STANCE_OK &&
        !(*entry = json_pack("{s:s, s:s, s:I, s:I, s:I}", "file", STANCE_WEIGHTS_FILE, "sha256",
                             sha, "bytes", (json_int_t)bytes, "features", (json_int_t)rows,
                             "columns", (json_int_t)cols)))
        st = stance_fail_nomem(err, tmpdir);
    free(path);
    free(src.unit);
    free(src.biases);
    return st;
}

/* The manifest's "vocabulary": the vocabulary as JSON (formats 1 and 2), or (format 3) the
 * entry of tmpdir/vocab.bin, written here. STANCE_ERR_DATA for a damaged vocab.bin. */
static stance_status vocabulary_json(const stance_model *m, const char *tmpdir, int version,
                                     json_t **out, stance_error *err)
{
    /* a mapped vocab.bin is checked whole first: a damaged one is not written again */
    stance_status vst = stance_vocab_verify(m->vocab, NULL, err);
    if (vst != STANCE_OK)
        return vst;
    if (version < 3)
        return (*out = stance_vocab_to_json(m->vocab)) ? STANCE_OK : stance_fail_nomem(err, tmpdir);
    size_t plen = strlen(tmpdir) + sizeof STANCE_VOCAB_FILE + 1;
    char *path = malloc(plen), sha[65];
    size_t bytes = 0;
    if (!path)
        return stance_fail_nomem(err, tmpdir);
    snprintf(path, plen, "%s/%s", tmpdir, STANCE_VOCAB_FILE);
    stance_status st = stance_vocab_write_bin(m->vocab, path, sha, &bytes, err);
    free(path);
    if (st == STANCE_OK &&
        !(*out = json_pack("{s:s, s:s, s:I, s:I}", "file", STANCE_VOCAB_FILE, "sha256", sha,
                           "bytes", (json_int_t)bytes, "terms",
                           (json_int_t)stance_vocab_get_size(m->vocab))))
        st = stance_fail_nomem(err, tmpdir);
    return st;
}

/* Writes the unit files (or weights.bin), and vocab.bin in format 3, into tmpdir and returns
 * the manifest describing them. */
static stance_status write_bundle(const stance_model *m, const char *tmpdir, json_t **manifest,
                                  stance_error *err)
{
    int version = m->save_version ? m->save_version : MODEL_VERSION;
    int binary = binary_weights(m, version);
    json_t *vocabulary;
    stance_status vst = vocabulary_json(m, tmpdir, version, &vocabulary, err);
    if (vst != STANCE_OK)
        return vst;
    json_t *units = json_array();
    json_t *man = json_pack("{s:s, s:i, s:o, s:{s:i, s:s, s:o}, s:o, s:{s:s, s:s, s:f, s:i, s:f, s:b}, s:o}",
        "format", MODEL_FORMAT, "version", version, "codebook", stance_codebook_to_json(m->cb),
        "analyzer", "tokenizer", STANCE_TOKENIZER_VERSION, "language", m->language, "stopwords", stopwords_json(m),
        "vocabulary", vocabulary,
        "svm", "engine", stance_engine_name(stance_engine_resolve(m->svm.engine, m->svm.kernel)),
        "kernel", stance_kernel_name(m->svm.kernel), "gamma", m->svm.gamma, "degree", m->svm.degree,
        "coef0", m->svm.coef0, "balanced", m->svm.balanced,
        "units", units);
    if (!man)
        return stance_fail_nomem(err, tmpdir);
    stance_status st = STANCE_OK;
    /* Written only when set, so bundles without scopes keep their bytes. */
    json_t *scopes = scopes_json(m->scopes);
    if (m->scopes && (!scopes || json_object_set_new(json_object_get(man, "analyzer"), "scopes", scopes) != 0))
        st = stance_fail_nomem(err, tmpdir);
    json_t *actors = m->actors ? stance_actors_to_json(m->actors) : NULL;
    if (m->actors && (!actors || json_object_set_new(json_object_get(man, "analyzer"), "actors", actors) != 0))
        st = stance_fail_nomem(err, tmpdir);
    if (m->norm_apart && json_object_set_new(json_object_get(man, "analyzer"), "scope_norm",
                                             json_string("apart")) != 0)
        st = stance_fail_nomem(err, tmpdir);
    size_t plen = strlen(tmpdir) + 32;
    char *path = malloc(plen);
    if (!path)
        st = stance_fail_nomem(err, tmpdir);
    json_t *weights = NULL;
    if (st == STANCE_OK && binary)
        st = write_weights(m, tmpdir, &weights, err);
    if (st == STANCE_OK && binary && json_object_set_new(man, "weights", weights) != 0)
        st = stance_fail_nomem(err, tmpdir);
    for (size_t i = 0, col = 0; st == STANCE_OK && binary && i < m->nunits; i++) {
        const stance_unit *u = &m->units[i];
        if (json_array_append_new(units, unit_json(m, u, NULL, NULL, 0, col)) != 0)
            st = stance_fail_nomem(err, tmpdir);
        col += u->trained != 0;
    }
    for (size_t i = 0, col = 0; st == STANCE_OK && !binary && i < m->nunits; i++) {
        const stance_unit *u = &m->units[i];
        char file[32], sha[65] = "";
        struct stat sb = {0};
        snprintf(file, sizeof file, "unit-%zu.%s", i, u->trained && !m->weights && !stance_classifier_is_linear(u->cl) ? "svm" : "txt");
        if (u->trained) {
            snprintf(path, plen, "%s/%s", tmpdir, file);
            if (m->weights) { /* loaded into the weight matrix: column col */
                st = save_column(m, col++, path, err);
            } else {
                st = stance_classifier_save(u->cl, path, err);
            }
            if (st == STANCE_OK)
                st = stance_sha256_file(path, sha, err);
            if (st == STANCE_OK && stat(path, &sb) != 0)
                st = stance_fail_errno(err, errno, path, "cannot read back");
        }
        if (st == STANCE_OK && json_array_append_new(units, unit_json(m, u, file, sha, sb.st_size, 0)) != 0)
            st = stance_fail_nomem(err, tmpdir);
    }
    free(path);
    if (st == STANCE_OK && (json_object_set(man, "training", m->training ? m->training : json_null()) != 0 ||
                            json_object_set_new(man, "versions", versions_json()) != 0))
        st = stance_fail_nomem(err, tmpdir);
    if (st != STANCE_OK) {
        json_decref(man);
        return st;
    }
    *manifest = man;
    return STANCE_OK;
}

/* ---- saving: replacing what is at the target ---- */

/* A file name a bundle has: manifest.json, weights.bin, unit-<k>.txt or unit-<k>.svm. */
static int bundle_file_name(const char *name)
{
    if (strcmp(name, "manifest.json") == 0 || strcmp(name, STANCE_WEIGHTS_FILE) == 0 ||
        strcmp(name, STANCE_VOCAB_FILE) == 0)
        return 1;
    if (strncmp(name, "unit-", 5) != 0 || !(name[5] >= '0' && name[5] <= '9'))
        return 0;
    const char *p = name + 5;
    while (*p >= '0' && *p <= '9')
        p++;
    return strcmp(p, ".txt") == 0 || strcmp(p, ".svm") == 0;
}

static int listed(const json_t *names, const char *name)
{
    size_t i;
    const json_t *v;
    json_array_foreach(names, i, v)
        if (strcmp(json_string_value(v), name) == 0)
            return 1;
    return 0;
}

/* Reads manifest.json in directory dfd (dir) into names: itself and the unit files it lists.
 * STANCE_ERR_IO naming dir if it is not a stance model's manifest. */
static stance_status old_manifest_files(int dfd, const char *dir, json_t *names, stance_error *err)
{
    char *text = NULL;
    size_t len = 0;
    json_t *man = NULL;
    stance_error ignored; /* a manifest that cannot be read or parsed is not a stance model's */
    stance_status rd = stance_regfile_read(dfd, "manifest.json", dir, 1, STANCE_MODEL_FILE_MAX,
                                           "bytes of a manifest", &text, &len, &ignored);
    if (rd == STANCE_OK)
        rd = stance_json_parse(text, len, dir, &man, &ignored);
    free(text);
    if (rd == STANCE_ERR_NOMEM)
        return stance_fail_nomem(err, dir);
    const json_t *format = json_object_get(man, "format");
    stance_status st = STANCE_OK;
    if (!json_is_string(format) || strcmp(json_string_value(format), MODEL_FORMAT) != 0)
        st = stance_fail(err, STANCE_ERR_IO, dir, 0, "holds a manifest.json that is not a stance "
                         "model's; refusing to replace it");
    if (st == STANCE_OK && json_array_append_new(names, json_string("manifest.json")) != 0)
        st = stance_fail_nomem(err, dir);
    const char *weights = json_string_value(json_object_get(json_object_get(man, "weights"), "file"));
    if (st == STANCE_OK && weights && strcmp(weights, STANCE_WEIGHTS_FILE) == 0 &&
        json_array_append_new(names, json_string(weights)) != 0)
        st = stance_fail_nomem(err, dir);
    const char *vocab = json_string_value(json_object_get(json_object_get(man, "vocabulary"), "file"));
    if (st == STANCE_OK && vocab && strcmp(vocab, STANCE_VOCAB_FILE) == 0 &&
        json_array_append_new(names, json_string(vocab)) != 0)
        st = stance_fail_nomem(err, dir);
    size_t i;
    const json_t *u;
    json_array_foreach(st == STANCE_OK ? json_object_get(man, "units") : NULL, i, u) {
        const char *file = json_string_value(json_object_get(u, "file"));
        if (file && bundle_file_name(file) && !listed(names, file) &&
            json_array_append_new(names, json_string(file)) != 0) {
            st = stance_fail_nomem(err, dir);
            break;
        }
    }
    json_decref(man);
    return st;
}

/* Looks at what is at dir before it is replaced. *exists is 0 when there is nothing, 1 for an
 * empty directory or a stance bundle whose every entry is a regular file its manifest lists
 * (those names are appended to names: all that replacing it removes). Anything else -- a
 * symbolic link, a file, a directory with a manifest of another kind or with one file more
 * (a user's notes) -- is refused, naming dir, with nothing touched. */
static stance_status inspect_target(const char *dir, int *exists, json_t *names,
                                    stance_error *err)
{
    *exists = 0;
    struct stat sb;
    if (lstat(dir, &sb) != 0) /* ENOTDIR: a file above it; the parent check says so */
        return errno == ENOENT || errno == ENOTDIR ? STANCE_OK
                                                   : stance_fail_errno(err, errno, dir, "cannot create");
    if (S_ISLNK(sb.st_mode))
        return stance_fail(err, STANCE_ERR_IO, dir, 0, "is a symbolic link; refusing to replace it "
                           "(give the path of the directory it points to)");
    if (!S_ISDIR(sb.st_mode))
        return stance_fail(err, STANCE_ERR_IO, dir, 0, "exists and is not a model bundle; refusing to replace it");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        int e = errno;
        if (dfd >= 0)
            close(dfd);
        return stance_fail_errno(err, e, dir, "cannot read");
    }
    struct stat ms;
    int has_manifest = fstatat(dfd, "manifest.json", &ms, AT_SYMLINK_NOFOLLOW) == 0;
    stance_status st = has_manifest ? old_manifest_files(dfd, dir, names, err) : STANCE_OK;
    struct dirent *e;
    while (st == STANCE_OK && (errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat es;
        if (!has_manifest)
            st = stance_fail(err, STANCE_ERR_IO, dir, 0, "exists and is not a model bundle; refusing to replace it");
        else if (!listed(names, e->d_name) || fstatat(dfd, e->d_name, &es, AT_SYMLINK_NOFOLLOW) != 0 ||
                 !S_ISREG(es.st_mode))
            st = stance_fail(err, STANCE_ERR_IO, dir, 0, "holds %.200s, which its manifest does not list "
                             "as a file of the bundle; refusing to replace it (move %.200s away first)",
                             e->d_name, e->d_name);
    }
    if (st == STANCE_OK && errno != 0)
        st = stance_fail_errno(err, errno, dir, "cannot read");
    closedir(d);
    *exists = st == STANCE_OK;
    return st;
}

/* Removes the files names (an old bundle's, as inspect_target listed them) from dir, then dir,
 * which is empty unless someone put a file there meanwhile: that file and dir are left. */
static int remove_old_bundle(const char *dir, const json_t *names)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return 0;
    size_t i;
    const json_t *v;
    json_array_foreach(names, i, v)
        unlinkat(dfd, json_string_value(v), 0); /* a directory of that name stays (EISDIR) */
    close(dfd);
    return rmdir(dir) == 0;
}

/* Removes a temporary directory of this save, which holds only files it wrote. */
static void remove_own_temp(const char *tmpdir)
{
    json_t *names = json_array();
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while (names && d && (e = readdir(d)) != NULL)
        if (bundle_file_name(e->d_name))
            json_array_append_new(names, json_string(e->d_name));
    if (d)
        closedir(d);
    remove_old_bundle(tmpdir, names);
    json_decref(names);
}

/* The old bundle (names) was swapped out to old and the new one is in place at dir: removes
 * the old, or says where its leftovers are. */
static stance_status retire_old(const char *old, const char *dir, const json_t *names,
                                stance_error *err)
{
    if (remove_old_bundle(old, names))
        return STANCE_OK;
    return stance_fail(err, STANCE_ERR_IO, dir, 0, "the new model is in place, but files that "
                       "appeared in the old one meanwhile are kept in %s", old);
}

/* Puts the finished tmpdir in place of dir: one atomic exchange where the system has it. When
 * dir exists, names lists the old bundle's files. *installed tells whether tmpdir is gone. */
static stance_status install_bundle(const char *tmpdir, const char *dir, int exists,
                                    const json_t *names, int *installed, stance_error *err)
{
    *installed = 0;
    if (!exists) { /* rename replaces no directory but an empty one */
        if (rename(tmpdir, dir) != 0)
            return stance_fail_errno(err, errno, dir, "cannot move the new model into place");
        *installed = 1;
        return STANCE_OK;
    }
    if (renameat2(AT_FDCWD, tmpdir, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        *installed = 1;
        return retire_old(tmpdir, dir, names, err); /* tmpdir now holds the old bundle */
    }
    if (errno != EINVAL && errno != ENOSYS)
        return stance_fail_errno(err, errno, dir, "cannot move the new model into place");
    /* No exchange on this file system: move the old bundle aside, then the new one in. */
    char *old = stance_outpath_temp(dir, "old");
    if (!old)
        return stance_fail_nomem(err, dir);
    stance_status st = STANCE_OK;
    int lock = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (lock >= 0) /* so that another run's cleaning leaves the old bundle alone under old */
        stance_outpath_lock(lock);
    if (!mkdtemp(old)) {
        st = stance_fail_errno(err, errno, dir, "cannot create a directory beside it");
    } else if (rename(dir, old) != 0) { /* over the empty directory mkdtemp made */
        st = stance_fail_errno(err, errno, dir, "cannot move the old model aside");
        rmdir(old);
    } else if (rename(tmpdir, dir) != 0) {
        st = stance_fail_errno(err, errno, dir, "cannot move the new model into place");
        if (rename(old, dir) != 0)
            st = stance_fail(err, STANCE_ERR_IO, dir, 0, "cannot move the new model into place; "
                             "the old one is in %s", old);
    } else {
        *installed = 1;
        st = retire_old(old, dir, names, err);
    }
    if (lock >= 0)
        close(lock);
    free(old);
    return st;
}

/* Creates and removes the kind of temporary directory stance_model_save will need beside dir:
 * permission bits do not tell everything (root, read-only mounts, /proc). */
static stance_status probe_beside(const char *dir, stance_error *err)
{
    char *probe = stance_outpath_temp(dir, "tmp");
    if (!probe)
        return stance_fail_nomem(err, dir);
    stance_status st = STANCE_OK;
    if (!mkdtemp(probe))
        st = stance_fail_errno(err, errno, dir, "cannot create a directory beside it");
    else
        rmdir(probe);
    free(probe);
    return st;
}

stance_status stance_model_check_target(const char *path, stance_error *err)
{
    char *dir;
    stance_status st = stance_outpath_normalize(path, 1, &dir, err);
    if (st != STANCE_OK)
        return st;
    json_t *names = json_array();
    int exists;
    st = names ? inspect_target(dir, &exists, names, err) : stance_fail_nomem(err, dir);
    json_decref(names);
    if (st == STANCE_OK)
        st = stance_outpath_check_parent(dir, err);
    if (st == STANCE_OK)
        st = probe_beside(dir, err);
    free(dir);
    return st;
}

/* Writes the bundle into tmpdir: the unit files, then the manifest. */
static stance_status write_all(const stance_model *m, const char *tmpdir, stance_error *err)
{
    json_t *manifest = NULL;
    stance_status st = write_bundle(m, tmpdir, &manifest, err);
    if (st == STANCE_OK) {
        size_t n = strlen(tmpdir) + 16;
        char *path = malloc(n);
        if (!path)
            st = stance_fail_nomem(err, tmpdir);
        else {
            snprintf(path, n, "%s/manifest.json", tmpdir);
            if (json_dump_file(manifest, path, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0)
                st = stance_fail_errno(err, errno ? errno : EIO, path, "write failed");
            free(path);
        }
    }
    json_decref(manifest);
    return st;
}

stance_status stance_model_save(const stance_model *m, const char *path, stance_error *err)
{
    char *dir;
    stance_status st = stance_outpath_normalize(path, 1, &dir, err);
    if (st != STANCE_OK)
        return st;
    json_t *names = json_array();
    int exists = 0, installed = 0;
    st = names ? inspect_target(dir, &exists, names, err) : stance_fail_nomem(err, dir);
    char *tmpdir = st == STANCE_OK ? stance_outpath_temp(dir, "tmp") : NULL;
    if (st == STANCE_OK && !tmpdir)
        st = stance_fail_nomem(err, dir);
    if (st == STANCE_OK && !mkdtemp(tmpdir)) {
        st = stance_fail_errno(err, errno, dir, "cannot create a directory beside it");
        free(tmpdir);
        tmpdir = NULL;
    }
    int lock = -1; /* held until the save ends, so another run's cleaning leaves tmpdir alone */
    if (tmpdir) {
        if ((lock = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
            stance_outpath_lock(lock);
        chmod(tmpdir, 0755); /* mkdtemp makes it private; a model is meant to be shared */
        st = write_all(m, tmpdir, err);
    }
    if (st == STANCE_OK) { /* look again: training and writing took time */
        json_array_clear(names);
        st = inspect_target(dir, &exists, names, err);
    }
    if (st == STANCE_OK)
        st = install_bundle(tmpdir, dir, exists, names, &installed, err);
    if (tmpdir && !installed)
        remove_own_temp(tmpdir);
    if (lock >= 0)
        close(lock);
    free(tmpdir);
    json_decref(names);
    free(dir);
    return st;
}

static stance_status stale_bundle_check(int fd, const struct timespec *since, json_t *names)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return STANCE_ERR_IO;
    }
    stance_status st = STANCE_OK;
    struct dirent *e;
    while (st == STANCE_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat sb;
        if (!bundle_file_name(e->d_name) || fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode) || !stance_timespec_before(&sb.st_mtim, since))
            st = STANCE_ERR_DATA;
        else if (json_array_append_new(names, json_string(e->d_name)) != 0)
            st = STANCE_ERR_NOMEM;
    }
    closedir(d); /* and fd */
    return st;
}

/* A stale "<dir>.tmp.XXXXXX" or "<dir>.old.XXXXXX" is ours when it holds only files a bundle
 * has, none changed since; it is removed file by file. */
static int stale_bundle(int dirfd, const char *name, int fd, const struct stat *sb,
                        const struct timespec *since)
{
    (void)sb;
    json_t *names = json_array();
    int copy = names ? dup(fd) : -1; /* fdopendir takes it; fd keeps the lock */
    int removed = 0;
    if (copy >= 0 && stale_bundle_check(copy, since, names) == STANCE_OK) {
        size_t i;
        const json_t *v;
        json_array_foreach(names, i, v)
            unlinkat(fd, json_string_value(v), 0);
        removed = unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
    }
    json_decref(names);
    return removed;
}

stance_status stance_model_remove_stale(const char *path, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err)
{
    static const char *const tags[] = {"tmp", "old", NULL};
    char *dir;
    stance_status st = stance_outpath_normalize(path, 1, &dir, err);
    if (st == STANCE_OK)
        st = stance_outpath_remove_stale(dir, tags, 1, stale_bundle, since, removed, ctx, err);
    free(dir);
    return st;
}

/* ---- loading ---- */

/* Context for manifest checks: where to point messages, and the bundle's directory, open, which
 * every file is read from; while unit files are read into the weight matrix, also a column of
 * nrows doubles to parse each one into. */
typedef struct {
    const char *where; /* .../manifest.json */
    stance_error *err;
    double *column;
    int dirfd;
} checker;

#define UNDECLARED_MAX "bytes stance reads of a bundle file whose size is not recorded"

/* Reads the bundle file name, from the directory dir open at c->dirfd, into *text (*len bytes,
 * NUL-terminated; caller frees): a regular file there, not a link, of at most max bytes (over:
 * what max is) and of exactly that many when exact; *path is dir/name for messages (caller
 * frees). */
static stance_status read_bundle_file(const checker *c, const char *dir, const char *name,
                                      size_t max, int exact, const char *over, char **path,
                                      char **text, size_t *len)
{
    *text = NULL;
    size_t plen = strlen(dir) + strlen(name) + 2;
    if (!(*path = malloc(plen)))
        return stance_fail_nomem(c->err, dir);
    snprintf(*path, plen, "%s/%s", dir, name);
    stance_status st = stance_regfile_read(c->dirfd, name, *path, 1, max, over, text, len, c->err);
    if (st == STANCE_OK && exact && *len < max) {
        st = stance_fail(c->err, STANCE_ERR_DATA, *path, 0,
                         "%zu bytes, fewer than the %zu the manifest declares (file truncated?)",
                         *len, max);
        free(*text);
        *text = NULL;
    }
    return st;
}

static stance_status bad_field(const checker *c, const char *what)
{
    return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0, "%s", what);
}

static const json_t *need(const checker *c, const json_t *obj, const char *key, json_type type,
                          stance_status *st)
{
    const json_t *v = json_object_get(obj, key);
    if (*st == STANCE_OK && (!v || json_typeof(v) != type)) {
        char msg[160];
        snprintf(msg, sizeof msg, "\"%s\" is missing or of the wrong type", key);
        *st = bad_field(c, msg);
    }
    return *st == STANCE_OK ? v : NULL;
}

static double need_number(const checker *c, const json_t *obj, const char *key, stance_status *st)
{
    const json_t *v = json_object_get(obj, key);
    if (*st == STANCE_OK && !json_is_number(v)) {
        char msg[160];
        snprintf(msg, sizeof msg, "\"%s\" is missing or not a number", key);
        *st = bad_field(c, msg);
    }
    return *st == STANCE_OK ? json_number_value(v) : 0;
}

/* An integer from lo to hi (a number of another kind, or out of range, is a data error naming
 * the field: converting it to int would be undefined). */
static int need_int(const checker *c, const json_t *obj, const char *key, int lo, int hi,
                    stance_status *st)
{
    const json_t *v = json_object_get(obj, key);
    if (*st == STANCE_OK &&
        (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)) {
        char msg[160];
        snprintf(msg, sizeof msg, "\"%s\" is missing or not an integer from %d to %d", key, lo, hi);
        *st = bad_field(c, msg);
    }
    return *st == STANCE_OK ? (int)json_integer_value(v) : 0;
}

/* A bad language is the bundle's fault, so a data error at load, not a usage error later. */
static int known_language(const char *language)
{
    for (const char **l = stance_stem_get_languages(); *l; l++)
        if (strcmp(*l, language) == 0)
            return 1;
    return 0;
}

/* 1 for a field of the manifest's "analyzer" this stance knows. */
static int is_analyzer_field(const char *key)
{
    static const char *const known[] = {"tokenizer", "language", "stopwords", "scopes",
                                        "actors", "scope_norm", NULL};
    for (const char *const *k = known; *k; k++)
        if (strcmp(*k, key) == 0)
            return 1;
    return 0;
}

/* The analyzer's optional "scopes": an array of distinct scope names (analyze_int.h). */
static stance_status load_scopes(stance_model *m, const checker *c, const json_t *scopes)
{
    if (!scopes)
        return STANCE_OK;
    if (!json_is_array(scopes) || json_array_size(scopes) == 0)
        return bad_field(c, "\"scopes\" is not an array of scope names");
    size_t i;
    const json_t *w;
    json_array_foreach(scopes, i, w) {
        unsigned flag;
        if (!json_is_string(w) || stance_analyzer_scopes_parse(json_string_value(w), &flag) != 0 ||
            flag == 0 || (m->scopes & flag))
            return bad_field(c, "\"scopes\" holds a value that is not a scope name, or one twice");
        m->scopes |= flag;
    }
    return STANCE_OK;
}

static stance_status load_analyzer(stance_model *m, const checker *c, const json_t *man)
{
    stance_status st = STANCE_OK;
    const json_t *an = need(c, man, "analyzer", JSON_OBJECT, &st);
    const json_t *tok = need(c, an, "tokenizer", JSON_INTEGER, &st);
    const json_t *lang = need(c, an, "language", JSON_STRING, &st);
    const json_t *stop = need(c, an, "stopwords", JSON_ARRAY, &st);
    if (st != STANCE_OK)
        return st;
    if (json_integer_value(tok) != STANCE_TOKENIZER_VERSION)
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0,
                           "trained with tokenizer rules version %" JSON_INTEGER_FORMAT
                           " (this stance has version %d): retrain the model",
                           json_integer_value(tok), STANCE_TOKENIZER_VERSION);
    if (!known_language(json_string_value(lang)))
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0,
                           "unknown stemmer language \"%s\"", json_string_value(lang));
    if (!(m->language = strdup(json_string_value(lang))))
        return stance_fail_nomem(c->err, c->where);
    m->stopwords = calloc(json_array_size(stop) + 1, sizeof *m->stopwords);
    if (!m->stopwords)
        return stance_fail_nomem(c->err, c->where);
    size_t i;
    const json_t *w;
    json_array_foreach(stop, i, w) {
        if (!json_is_string(w))
            return bad_field(c, "\"stopwords\" holds a value that is not a string");
        if (!(m->stopwords[m->nstop] = strdup(json_string_value(w))))
            return stance_fail_nomem(c->err, c->where);
        m->nstop++;
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)an, key, v) /* a field this stance cannot reproduce */
        if (!is_analyzer_field(key)) {
            char msg[160];
            snprintf(msg, sizeof msg, "the analyzer holds \"%.60s\", which this stance does not know", key);
            return bad_field(c, msg);
        }
    st = load_scopes(m, c, json_object_get(an, "scopes"));
    const json_t *norm = json_object_get(an, "scope_norm");
    if (st == STANCE_OK && norm && !(json_is_string(norm) && (strcmp(json_string_value(norm), "apart") == 0 ||
                                                               strcmp(json_string_value(norm), "shared") == 0)))
        st = bad_field(c, "\"scope_norm\" is not \"apart\" or \"shared\"");
    m->norm_apart = st == STANCE_OK && norm && strcmp(json_string_value(norm), "apart") == 0;
    const json_t *actors = json_object_get(an, "actors");
    if (st == STANCE_OK && actors)
        st = stance_actors_from_json(actors, c->where, &m->actors, c->err);
    return st;
}

static stance_status load_svm(stance_model *m, const checker *c, const json_t *man)
{
    stance_status st = STANCE_OK;
    const json_t *svm = need(c, man, "svm", JSON_OBJECT, &st);
    const json_t *engine = need(c, svm, "engine", JSON_STRING, &st);
    const json_t *kernel = need(c, svm, "kernel", JSON_STRING, &st);
    m->svm.gamma = need_number(c, svm, "gamma", &st);
    m->svm.degree = need_int(c, svm, "degree", 0, INT_MAX, &st);
    m->svm.coef0 = need_number(c, svm, "coef0", &st);
    if (st != STANCE_OK)
        return st;
    if (!(m->svm.gamma >= 0) || !isfinite(m->svm.gamma) || !isfinite(m->svm.coef0))
        return bad_field(c, "\"gamma\" must be a finite number of at least 0 (0: 1 / features) "
                            "and \"coef0\" a finite number");
    stance_error why; /* the parse message, restated as a data error here */
    if (stance_engine_parse(json_string_value(engine), &m->svm.engine, &why) != STANCE_OK ||
        stance_kernel_parse(json_string_value(kernel), &m->svm.kernel, &why) != STANCE_OK)
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0, "%s", why.message);
    return STANCE_OK;
}

/* Unit files are named by the bundle itself; anything else could point outside it. */
static int safe_unit_name(const char *name)
{
    if (strncmp(name, "unit-", 5) != 0)
        return 0;
    for (const char *p = name + 5; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' || (*p >= 'a' && *p <= 'z')))
            return 0;
    return strstr(name, "..") == NULL;
}

/* When every trained unit the manifest lists has a linear (.txt) file, allocates the weight
 * matrix their files will be read into (struct stance_model); otherwise leaves m->weights NULL. */
static stance_status plan_weights(stance_model *m, const checker *c, const json_t *units,
                                  size_t nfeatures)
{
    size_t n = 0, k;
    const json_t *uj;
    json_array_foreach(units, k, uj) {
        if (!json_is_true(json_object_get(uj, "trained")))
            continue;
        const char *name = json_string_value(json_object_get(uj, "file"));
        size_t len = name ? strlen(name) : 0;
        if (len <= 4 || strcmp(name + len - 4, ".txt") != 0)
            return STANCE_OK;
        n++;
    }
    if (n == 0)
        return STANCE_OK;
    size_t stride = (n + LANES - 1) / LANES * LANES, rows = nfeatures ? nfeatures : 1;
    if (rows > SIZE_MAX / sizeof(double) / stride)
        return stance_fail_nomem(c->err, c->where);
    m->weights = calloc(rows * stride, sizeof *m->weights);
    m->biases = calloc(stride, sizeof *m->biases);
    m->col_unit = calloc(n, sizeof *m->col_unit);
    if (!m->weights || !m->biases || !m->col_unit)
        return stance_fail_nomem(c->err, c->where);
    m->stride = stride;
    m->nrows = nfeatures;
    return STANCE_OK;
}

/* Parses a linear unit file's text into the next column of the weight matrix and its bias,
 * by way of column (nrows doubles: the file's weights). */
static stance_status parse_column(stance_model *m, double *column, const char *text, size_t len,
                                  const char *path, stance_error *err)
{
    memset(column, 0, m->nrows * sizeof *column); /* the file lists nonzero weights only */
    stance_status st = stance_linear_parse(text, len, path, (int)m->nrows, column, 1,
                                           &m->biases[m->ncols], err);
    for (size_t i = 0; st == STANCE_OK && i < m->nrows; i++) {
        if (fabs(column[i]) > FLT_MAX)
            return stance_fail(err, STANCE_ERR_DATA, path, 0,
                               "feature %zu: weight %g is out of range", i + 1, column[i]);
        m->weights[i * m->stride + m->ncols] = (float)column[i];
    }
    return st;
}

/* Parses unit k's linear file, text[0..len) (read from path), into the next column of the
 * weight matrix. */
static stance_status load_unit_column(stance_model *m, const checker *c, const char *path,
                                      const char *text, size_t len, size_t k)
{
    stance_status st = parse_column(m, c->column, text, len, path, c->err);
    if (st == STANCE_OK)
        m->col_unit[m->ncols++] = k;
    return st;
}

/* Reads unit file name once, from the bundle's directory, into *text, with its size bounded by
 * what the manifest entry uj records ("bytes", absent from bundles written before sizes were
 * recorded: then STANCE_MODEL_FILE_MAX), and checks its SHA-256 against sha on those bytes. */
static stance_status read_unit(const checker *c, const char *dir, const json_t *uj,
                               const char *name, const char *sha, char **path, char **text,
                               size_t *len)
{
    *path = *text = NULL;
    const json_t *bytes = json_object_get(uj, "bytes");
    if (bytes && (!json_is_integer(bytes) || json_integer_value(bytes) < 0))
        return bad_field(c, "\"bytes\" is not a non-negative integer");
    size_t max = !bytes ? STANCE_MODEL_FILE_MAX
                 : (uintmax_t)json_integer_value(bytes) > SIZE_MAX ? SIZE_MAX
                                                                   : (size_t)json_integer_value(bytes);
    stance_status st = read_bundle_file(c, dir, name, max, bytes != NULL,
                                        bytes ? "the manifest declares" : UNDECLARED_MAX, path,
                                        text, len);
    if (st != STANCE_OK)
        return st;
    char got[65];
    stance_sha256 h;
    stance_sha256_init(&h);
    stance_sha256_update(&h, *text, *len);
    stance_sha256_hex(&h, got);
    if (strcmp(got, sha) != 0) {
        free(*text);
        *text = NULL;
        return stance_fail(c->err, STANCE_ERR_DATA, *path, 0,
                           "checksum differs from the manifest's (file truncated or changed)");
    }
    return STANCE_OK;
}

/* Unit k of a bundle with weights.bin: its entry names the next column. */
static stance_status weights_column(stance_model *m, const checker *c, const json_t *uj, size_t k)
{
    const json_t *col = json_object_get(uj, "column");
    if (!json_is_integer(col) || json_integer_value(col) != (json_int_t)m->ncols)
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0, "unit %zu: \"column\" must be "
                           "%zu, the number of trained units before it", k, m->ncols);
    m->col_unit[m->ncols++] = k;
    return STANCE_OK;
}

static stance_status load_unit_file(stance_model *m, stance_unit *u, const checker *c,
                                    const char *dir, const json_t *uj, int nfeatures, size_t k)
{
    stance_status st = STANCE_OK;
    const json_t *file = m->wf.map ? NULL : need(c, uj, "file", JSON_STRING, &st);
    const json_t *sha = m->wf.map ? NULL : need(c, uj, "sha256", JSON_STRING, &st);
    const json_t *platt = need(c, uj, "platt", JSON_OBJECT, &st);
    u->c = need_number(c, uj, "c", &st);
    u->threshold = need_number(c, uj, "threshold", &st);
    u->platt.a = need_number(c, platt, "a", &st);
    u->platt.b = need_number(c, platt, "b", &st);
    if (st != STANCE_OK)
        return st;
    if (m->wf.map)
        return weights_column(m, c, uj, k);
    const char *name = json_string_value(file);
    if (!safe_unit_name(name))
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0, "unit %zu: bad file name \"%s\"", k, name);
    char *path, *text;
    size_t len, nlen = strlen(name);
    st = read_unit(c, dir, uj, name, json_string_value(sha), &path, &text, &len);
    if (st == STANCE_OK && m->weights)
        st = load_unit_column(m, c, path, text, len, k);
    else if (st == STANCE_OK)
        st = stance_classifier_parse(text, len, path, nlen > 4 && strcmp(name + nlen - 4, ".txt") == 0,
                                     nfeatures, &u->cl, c->err);
    free(text);
    free(path);
    return st;
}

/* Reads units[k] into m->units[k] for every k, checking each against the codebook. */
static stance_status load_each_unit(stance_model *m, const checker *c, const char *dir,
                                    const json_t *units, int nfeatures)
{
    stance_status st = STANCE_OK;
    for (size_t k = 0; st == STANCE_OK && k < m->nunits; k++) {
        stance_unit *u = &m->units[k];
        const json_t *uj = json_array_get(units, k);
        const stance_dimension *d = stance_codebook_get_dimension(m->cb, u->dim);
        const json_t *dim = need(c, uj, "dimension", JSON_STRING, &st);
        const json_t *trained = json_object_get(uj, "trained");
        const json_t *value = json_object_get(uj, "value");
        const json_t *applies = json_object_get(uj, "applies"); /* the applies unit's mark */
        if (st != STANCE_OK)
            break;
        const char *want = u->value >= 0 ? d->labels[u->value] : NULL;
        if (strcmp(json_string_value(dim), d->name) != 0 || !json_is_boolean(trained) ||
            (want ? !json_is_string(value) || strcmp(json_string_value(value), want) != 0
                  : !json_is_null(value)) ||
            (applies && !json_is_boolean(applies)) || json_is_true(applies) != u->applies)
            return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0,
                               "unit %zu does not match the codebook (%s%s%s%s)", k, d->name,
                               want ? "=" : "", want ? want : "", u->applies ? " applies" : "");
        u->trained = json_is_true(trained);
        const json_t *cv = json_object_get(uj, "cv");
        u->cv = json_is_object(cv) ? json_incref((json_t *)cv) : NULL;
        if (u->trained)
            st = load_unit_file(m, u, c, dir, uj, nfeatures, k);
        else {
            const json_t *why = json_object_get(uj, "why_not");
            snprintf(u->why_not, sizeof u->why_not, "%s", json_is_string(why) ? json_string_value(why) : "not trained");
        }
    }
    return st;
}

/* Maps weights.bin, which the manifest's entry weights describes, as the weight matrix of the
 * trained units. */
static stance_status map_weights(stance_model *m, const checker *c, const char *dir,
                                 const json_t *weights, const json_t *units)
{
    stance_status st = STANCE_OK;
    const json_t *file = need(c, weights, "file", JSON_STRING, &st);
    const json_t *bytes = need(c, weights, "bytes", JSON_INTEGER, &st);
    need(c, weights, "sha256", JSON_STRING, &st);
    if (st != STANCE_OK)
        return st;
    if (strcmp(json_string_value(file), STANCE_WEIGHTS_FILE) != 0 || json_integer_value(bytes) < 0)
        return bad_field(c, "\"weights\" must name " STANCE_WEIGHTS_FILE " and its size in bytes");
    size_t cols = 0, k;
    const json_t *uj;
    json_array_foreach(units, k, uj)
        cols += json_is_true(json_object_get(uj, "trained"));
    size_t plen = strlen(dir) + sizeof STANCE_WEIGHTS_FILE + 1;
    if (!(m->wf_path = malloc(plen)) || !(m->col_unit = calloc(cols ? cols : 1, sizeof *m->col_unit)))
        return stance_fail_nomem(c->err, c->where);
    snprintf(m->wf_path, plen, "%s/%s", dir, STANCE_WEIGHTS_FILE);
    size_t rows = stance_vocab_get_size(m->vocab);
    if ((uintmax_t)json_integer_value(bytes) > SIZE_MAX)
        return stance_fail(c->err, STANCE_ERR_DATA, m->wf_path, 0, "too large to map");
    st = stance_weightfile_map(c->dirfd, STANCE_WEIGHTS_FILE, m->wf_path,
                               (size_t)json_integer_value(bytes), rows, cols, &m->wf, c->err);
    if (st != STANCE_OK)
        return st;
    m->weights = (float *)m->wf.weights; /* only read: prediction never writes the matrix */
    m->biases = (double *)m->wf.biases;
    m->stride = m->wf.stride;
    m->nrows = rows;
    return STANCE_OK;
}

static stance_status load_units(stance_model *m, const checker *c, const char *dir,
                                const json_t *man)
{
    stance_status st = STANCE_OK;
    const json_t *units = need(c, man, "units", JSON_ARRAY, &st);
    if (st != STANCE_OK)
        return st;
    if (json_array_size(units) != m->nunits)
        return stance_fail(c->err, STANCE_ERR_DATA, c->where, 0,
                           "%zu units listed, the codebook needs %zu", json_array_size(units), m->nunits);
    int nfeatures = (int)stance_vocab_get_size(m->vocab);
    const json_t *weights = json_object_get(man, "weights");
    if (json_integer_value(json_object_get(man, "version")) >= 2 && weights)
        st = map_weights(m, c, dir, weights, units);
    else
        st = plan_weights(m, c, units, (size_t)nfeatures);
    checker lc = *c; /* with the column the unit files are parsed into */
    if (st == STANCE_OK && m->weights && !m->wf.map &&
        !(lc.column = malloc((m->nrows ? m->nrows : 1) * sizeof *lc.column)))
        st = stance_fail_nomem(c->err, c->where);
    if (st == STANCE_OK)
        st = load_each_unit(m, &lc, dir, units, nfeatures);
    free(lc.column);
    return st;
}

/* Reads manifest.json, from the directory dir open at c->dirfd, into *man. */
static stance_status load_manifest(const checker *c, const char *dir, json_t **man)
{
    stance_error *err = c->err;
    const char *where = c->where;
    char *path, *text;
    size_t len;
    stance_status st = read_bundle_file(c, dir, "manifest.json", STANCE_MODEL_FILE_MAX, 0,
                                        UNDECLARED_MAX, &path, &text, &len);
    free(path);
    if (st != STANCE_OK)
        return st;
    st = stance_json_parse(text, len, where, man, err); /* out of memory is not bad JSON */
    free(text);
    if (st != STANCE_OK)
        return st;
    const json_t *format = json_object_get(*man, "format"), *version = json_object_get(*man, "version");
    if (!json_is_string(format) || strcmp(json_string_value(format), MODEL_FORMAT) != 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "not a stance model manifest");
    if (!json_is_integer(version) || json_integer_value(version) < 1 ||
        json_integer_value(version) > MODEL_VERSION)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "model format version %" JSON_INTEGER_FORMAT " is not supported (this stance reads 1 to %d)",
                           json_is_integer(version) ? json_integer_value(version) : 0, MODEL_VERSION);
    return STANCE_OK;
}

/* Maps vocab.bin, which a format 3 manifest's entry ve describes. */
static stance_status map_vocab(stance_model *m, const checker *c, const char *dir,
                               const json_t *ve)
{
    stance_status st = STANCE_OK;
    const json_t *file = need(c, ve, "file", JSON_STRING, &st);
    const json_t *bytes = need(c, ve, "bytes", JSON_INTEGER, &st);
    const json_t *terms = need(c, ve, "terms", JSON_INTEGER, &st);
    need(c, ve, "sha256", JSON_STRING, &st);
    if (st != STANCE_OK)
        return st;
    if (strcmp(json_string_value(file), STANCE_VOCAB_FILE) != 0 || json_integer_value(bytes) < 0 ||
        (uintmax_t)json_integer_value(bytes) > SIZE_MAX)
        return bad_field(c, "\"vocabulary\" must name " STANCE_VOCAB_FILE " and its size in bytes");
    size_t plen = strlen(dir) + sizeof STANCE_VOCAB_FILE + 1;
    char *path = malloc(plen);
    if (!path)
        return stance_fail_nomem(c->err, c->where);
    snprintf(path, plen, "%s/%s", dir, STANCE_VOCAB_FILE);
    st = stance_vocab_map(c->dirfd, STANCE_VOCAB_FILE, path, (size_t)json_integer_value(bytes),
                          &m->vocab, c->err);
    if (st == STANCE_OK && json_integer_value(terms) != (json_int_t)stance_vocab_get_size(m->vocab))
        st = stance_fail(c->err, STANCE_ERR_DATA, path, 0, "byte 56: %zu terms, not the %"
                         JSON_INTEGER_FORMAT " the manifest declares",
                         stance_vocab_get_size(m->vocab), json_integer_value(terms));
    free(path);
    return st;
}

/* The vocabulary: vocab.bin in format 3, else the manifest's JSON (then dropped from it). */
static stance_status load_vocab(stance_model *m, const checker *c, const char *dir)
{
    const json_t *vj = json_object_get(m->manifest, "vocabulary");
    if (!vj)
        return bad_field(c, "\"vocabulary\" is missing");
    if (json_integer_value(json_object_get(m->manifest, "version")) >= 3)
        return vocab_entry(m->manifest) ? map_vocab(m, c, dir, vj)
                                        : bad_field(c, "\"vocabulary\" of a format 3 bundle "
                                                    "names its file, " STANCE_VOCAB_FILE);
    stance_status st = stance_vocab_from_json(vj, c->where, &m->vocab, c->err);
    if (st == STANCE_OK) /* the vocabulary has it all now, in far less memory */
        json_object_del(m->manifest, "vocabulary");
    return st;
}

/* stance_model_load from the bundle directory dir, open at dirfd. */
static stance_status load_bundle(const char *dir, int dirfd, stance_model **out,
                                 stance_error *err)
{
    *out = NULL;
    size_t n = strlen(dir) + 16;
    char *where = malloc(n);
    if (!where)
        return stance_fail_nomem(err, dir);
    snprintf(where, n, "%s/manifest.json", dir);
    checker c = {where, err, NULL, dirfd};
    json_t *man = NULL;
    stance_codebook *cb = NULL;
    stance_model *m = NULL;
    stance_status st = load_manifest(&c, dir, &man);
    if (st == STANCE_OK) {
        const json_t *cbj = json_object_get(man, "codebook");
        st = cbj ? stance_codebook_from_json(cbj, where, &cb, err) : bad_field(&c, "\"codebook\" is missing");
    }
    if (st == STANCE_OK)
        st = stance_model_new_for(cb, &m, err); /* takes cb */
    if (st == STANCE_OK) {
        m->manifest = man;
        man = NULL;
        const json_t *training = json_object_get(m->manifest, "training");
        m->training = json_is_object(training) ? json_incref((json_t *)training) : NULL; /* kept on saving */
        st = load_analyzer(m, &c, m->manifest);
    }
    if (st == STANCE_OK)
        st = load_vocab(m, &c, dir);
    if (st == STANCE_OK && m->norm_apart)
        st = stance_vocab_set_blocks(m->vocab, stance_analyzer_is_scoped, err);
    if (st == STANCE_OK)
        st = load_svm(m, &c, m->manifest);
    if (st == STANCE_OK)
        st = load_units(m, &c, dir, m->manifest);
    json_decref(man);
    free(where);
    if (st != STANCE_OK) {
        stance_model_free(m);
        return st;
    }
    *out = m;
    return STANCE_OK;
}

/* 1 when the path dir no longer names the directory open at dirfd (or nothing): the bundle was
 * replaced, as stance-train -o replaces one, since dirfd was opened. */
static int bundle_replaced(const char *dir, int dirfd)
{
    struct stat now, open_one;
    if (fstat(dirfd, &open_one) != 0)
        return 0;
    return stat(dir, &now) != 0 || now.st_dev != open_one.st_dev || now.st_ino != open_one.st_ino;
}

#define LOAD_ATTEMPTS 3 /* a bundle replaced while read is read again, as many times at most */

stance_status stance_model_load(const char *dir, stance_model **out, stance_error *err)
{
    *out = NULL;
    for (int attempt = 1;; attempt++) {
        /* Every file is read relative to this one directory: a bundle replaced meanwhile
         * (renamed over) leaves this one in place, so the files read belong together; a
         * link to a bundle (the user's choice) is followed, links inside it are not. */
        int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0 && errno == ENOTDIR)
            return stance_fail(err, STANCE_ERR_DATA, dir, 0, "not a model directory");
        if (dirfd < 0)
            return stance_fail_errno(err, errno, dir, "cannot open model");
        stance_status st = load_bundle(dir, dirfd, out, err);
        /* Replacing a bundle removes the old one's files, and some may be gone before they
         * were read: then read the bundle now in its place. */
        int replaced = st != STANCE_OK && bundle_replaced(dir, dirfd);
        close(dirfd);
        if (replaced && attempt == LOAD_ATTEMPTS)
            return stance_fail(err, STANCE_ERR_IO, dir, 0,
                               "replaced while being read, %d times in a row; try again", attempt);
        if (!replaced)
            return st;
    }
}
