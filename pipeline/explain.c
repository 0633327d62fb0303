/* explain.c: a linear unit's decision value on one text, split into its features' parts. */
#include "stance/explain.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "model_int.h"
#include "stance/vocab.h"

struct stance_explainer {
    const stance_model *m;
    stance_analyzer *an;
    const char *const *stems; /* the text's stems, borrowed from the analyzer */
    const size_t *lens, *src; /* their lengths and source spans (analyze_int.h) */
    size_t nstems, base;
    stance_vector vec;
    stance_explain_term *terms; /* one per feature of vec, sorted; the listed ones first */
    size_t terms_cap;
    signed char *listed; /* per feature of vec: 1 when listed */
    size_t listed_cap;
    double *parts; /* per feature of vec: its contribution (sign changed when negated) */
    size_t parts_cap;
    size_t *span_at; /* per listed term: where its spans start in spans */
    size_t span_at_cap;
    size_t *spans;
    size_t spans_len, spans_cap;
};

stance_status stance_explainer_new(const stance_model *m, stance_explainer **out,
                                   stance_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *dim, *value, *why;
        int trained;
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        if (trained && !stance_model_get_unit_linear(m, i))
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                               "explanations need a linear kernel (the model's units are "
                               "kernel models)");
    }
    stance_explainer *ex = calloc(1, sizeof *ex);
    if (!ex)
        return stance_fail_nomem(err, NULL);
    ex->m = m;
    stance_vector_init(&ex->vec);
    stance_status st = stance_model_analyzer_new(m, &ex->an, err);
    if (st != STANCE_OK) {
        stance_explainer_free(ex);
        return st;
    }
    *out = ex;
    return STANCE_OK;
}

void stance_explainer_free(stance_explainer *ex)
{
    if (!ex)
        return;
    stance_analyzer_free(ex->an);
    stance_vector_clear(&ex->vec);
    free(ex->terms);
    free(ex->listed);
    free(ex->parts);
    free(ex->span_at);
    free(ex->spans);
    free(ex);
}

stance_status stance_explainer_set_text(stance_explainer *ex, const char *text, size_t len,
                                        size_t base, stance_error *err)
{
    ex->nstems = 0;
    ex->vec.count = 0;
    ex->base = base;
    stance_status st = stance_analyzer_run(ex->an, text, len, &ex->stems, &ex->lens,
                                           &ex->nstems, err);
    if (st == STANCE_OK) {
        ex->src = stance_analyzer_get_spans(ex->an);
        st = stance_vocab_vectorize(stance_model_vocab(ex->m), ex->stems, ex->lens, ex->nstems,
                                    NULL, 0, &ex->vec, err);
    }
    if (st != STANCE_OK)
        ex->nstems = ex->vec.count = 0;
    return st;
}

/* The unit that explains value of dimension dim (explain.h), and whether its signs change;
 * SIZE_MAX when there is none. */
static size_t find_unit(const stance_model *m, size_t dim, long value, int *negate)
{
    const stance_codebook *cb = stance_model_get_codebook(m);
    *negate = 0;
    if (dim >= stance_codebook_get_dimension_count(cb))
        return SIZE_MAX;
    const stance_dimension *d = stance_codebook_get_dimension(cb, dim);
    if (value < -1 || (value >= 0 && (size_t)value >= d->nvalues))
        return SIZE_MAX;
    int pair = d->kind == STANCE_DIM_SINGLE && d->nvalues == 2;
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        const char *name, *label, *why;
        int trained;
        stance_model_get_unit_info(m, i, &name, &label, &trained, &why);
        if (name != d->name)
            continue;
        int applies = stance_model_get_unit_applies(m, i);
        if (value < 0 ? applies
                      : !applies && (pair ? label == NULL : label == d->labels[value])) {
            *negate = value == 1 && pair;
            return i;
        }
    }
    return SIZE_MAX;
}

/* Positive contributions first, largest first; then negative ones, most negative first;
 * zeros last; ties by term. */
static int sign_rank(double c)
{
    return c > 0 ? 0 : c < 0 ? 1 : 2;
}

static int cmp_terms(const void *pa, const void *pb)
{
    const stance_explain_term *a = pa, *b = pb;
    int ra = sign_rank(a->contribution), rb = sign_rank(b->contribution);
    if (ra != rb)
        return ra - rb;
    if (a->contribution != b->contribution && ra < 2)
        return (a->contribution > b->contribution) == (ra == 0) ? -1 : 1;
    return strcmp(a->term, b->term);
}

/* Appends a span of source bytes; 0 on no memory. */
static int add_span(stance_explainer *ex, size_t start, size_t end)
{
    size_t *s = stance_grow(ex->spans, &ex->spans_cap, ex->spans_len, 2, sizeof *s);
    if (!s)
        return 0;
    ex->spans = s;
    s[ex->spans_len++] = ex->base + start;
    s[ex->spans_len++] = ex->base + end;
    return 1;
}

static int stem_is(const stance_explainer *ex, size_t i, const char *s, size_t n)
{
    return ex->lens[i] == n && memcmp(ex->stems[i], s, n) == 0;
}

/* Appends the spans of every occurrence of term in the text's stems; 0 on no memory. */
static int find_spans(stance_explainer *ex, const char *term)
{
    const char *space = strchr(term, ' ');
    size_t n = space ? (size_t)(space - term) : strlen(term);
    for (size_t i = 0; i < ex->nstems; i++) {
        if (!stem_is(ex, i, term, n))
            continue;
        if (!space) {
            if (!add_span(ex, ex->src[2 * i], ex->src[2 * i + 1]))
                return 0;
        } else if (i + 1 < ex->nstems && stem_is(ex, i + 1, space + 1, strlen(space + 1)) &&
                   !add_span(ex, ex->src[2 * i], ex->src[2 * (i + 1) + 1])) {
            return 0;
        }
    }
    return 1;
}

/* Room for the vector's features in terms, listed, parts and span_at. */
static int reserve(stance_explainer *ex, size_t n)
{
    stance_explain_term *t = stance_grow(ex->terms, &ex->terms_cap, 0, n, sizeof *t);
    if (t)
        ex->terms = t;
    signed char *l = stance_grow(ex->listed, &ex->listed_cap, 0, n, 1);
    if (l)
        ex->listed = l;
    size_t *a = stance_grow(ex->span_at, &ex->span_at_cap, 0, n, sizeof *a);
    if (a)
        ex->span_at = a;
    double *p = stance_grow(ex->parts, &ex->parts_cap, 0, n, sizeof *p);
    if (p)
        ex->parts = p;
    return t && l && a && p;
}

/* Keeps the first k positive and the first k negative of the sorted terms, in that order;
 * returns how many are kept and sets *npositive. */
static size_t keep_top(stance_explain_term *t, size_t n, size_t k, size_t *npositive)
{
    size_t pos = 0, neg = 0;
    while (pos < n && t[pos].contribution > 0)
        pos++;
    while (pos + neg < n && t[pos + neg].contribution < 0)
        neg++;
    size_t kp = pos < k ? pos : k, kn = neg < k ? neg : k;
    memmove(t + kp, t + pos, kn * sizeof *t);
    *npositive = kp;
    return kp + kn;
}

/* Where feature is in v, which has it (a vector's features are in increasing order). */
static size_t vector_position(const stance_vector *v, int feature)
{
    size_t lo = 0, hi = v->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->items[mid].index <= feature)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The spans of the listed terms, into ex->spans, then pointed to; 0 on no memory. */
static int listed_spans(stance_explainer *ex, size_t nterms)
{
    ex->spans_len = 0;
    for (size_t t = 0; t < nterms; t++) {
        ex->span_at[t] = ex->spans_len;
        if (!find_spans(ex, ex->terms[t].term))
            return 0;
    }
    for (size_t t = 0; t < nterms; t++) {
        size_t end = t + 1 < nterms ? ex->span_at[t + 1] : ex->spans_len;
        ex->terms[t].spans = ex->spans ? ex->spans + ex->span_at[t] : NULL;
        ex->terms[t].nspans = (end - ex->span_at[t]) / 2;
    }
    return 1;
}

stance_status stance_explainer_label(stance_explainer *ex, size_t dim, long value, size_t k,
                                     stance_explanation *out, stance_error *err)
{
    memset(out, 0, sizeof *out);
    int negate;
    size_t u = find_unit(ex->m, dim, value, &negate);
    if (u == SIZE_MAX)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "no unit explains value %ld of "
                           "dimension %zu", value, dim);
    if (!stance_model_get_unit_linear(ex->m, u))
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "unit %zu is not trained", u);
    if (!reserve(ex, ex->vec.count))
        return stance_fail_nomem(err, NULL);
    const stance_vocab *vocab = stance_model_vocab(ex->m);
    double sign = negate ? -1 : 1, bias = stance_model_get_unit_bias(ex->m, u), f = bias;
    for (size_t j = 0; j < ex->vec.count; j++) { /* the sum as prediction makes it */
        int feature = ex->vec.items[j].index;
        double w = stance_model_get_unit_weight(ex->m, u, feature), x = ex->vec.items[j].value;
        f += w * x;
        ex->parts[j] = sign * (w * x);
        ex->terms[j] = (stance_explain_term){stance_vocab_get_term(vocab, feature), feature,
                                             sign * w, x, ex->parts[j], NULL, 0};
    }
    size_t n = ex->vec.count;
    qsort(ex->terms, n, sizeof *ex->terms, cmp_terms);
    out->nterms = keep_top(ex->terms, n, k, &out->npositive);
    memset(ex->listed, 0, n);
    for (size_t t = 0; t < out->nterms; t++)
        ex->listed[vector_position(&ex->vec, ex->terms[t].feature)] = 1;
    double rest = 0;
    for (size_t j = 0; j < n; j++)
        if (!ex->listed[j])
            rest += ex->parts[j];
    if (!listed_spans(ex, out->nterms))
        return stance_fail_nomem(err, NULL);
    out->decision = sign * f;
    out->bias = sign * bias;
    out->rest = rest;
    out->negated = negate;
    out->terms = ex->terms;
    return STANCE_OK;
}
