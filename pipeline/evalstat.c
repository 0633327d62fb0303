/* evalstat.c: what the whole evaluation adds to its counts: bootstrap intervals resampling
 * articles, Wilson intervals, model-gold alpha, calibration and coverage per value, and the
 * list of misclassified records. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "eval_int.h"
#include "stats_int.h"

/* ---- items of agreement ---- */

size_t stance_eval_items(const stance_codebook *cb, size_t *ncat)
{
    size_t n = 0;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        size_t k = dim->kind == STANCE_DIM_SINGLE ? 1 : dim->nvalues;
        for (size_t i = 0; ncat && i < k; i++)
            ncat[n + i] = dim->kind == STANCE_DIM_SINGLE ? dim->nvalues + 1 : 2;
        n += k;
    }
    return n;
}

size_t stance_eval_item_of(const stance_codebook *cb, size_t d, size_t i)
{
    size_t n = 0;
    for (size_t e = 0; e < d; e++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, e);
        n += dim->kind == STANCE_DIM_SINGLE ? 1 : dim->nvalues;
    }
    return stance_codebook_get_dimension(cb, d)->kind == STANCE_DIM_SINGLE ? n : n + i;
}

int stance_eval_item_code(const stance_codebook *cb, size_t j, const signed char *t, int abstain)
{
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        size_t k = dim->kind == STANCE_DIM_SINGLE ? 1 : dim->nvalues;
        if (j >= k) {
            j -= k;
            continue;
        }
        if (dim->kind == STANCE_DIM_SINGLE)
            return stance_eval_code(dim, t + dim->offset, abstain);
        signed char v = t[dim->offset + j];
        return v == STANCE_TARGET_UNLABELED ? -1 : v == STANCE_TARGET_YES;
    }
    return -1;
}

/* ---- bootstrap over articles ---- */

/* Figures a replicate gives, in this order in a row of nvalues + 3 * ndims: the F1 of each
 * value, then per dimension micro-F1, macro-F1 and accuracy. */
static void replicate_figures(const stance_eval *ev, const size_t *tot, const size_t *acc,
                              double *out)
{
    for (size_t v = 0; v < ev->nvalues; v++) {
        size_t tp = tot[3 * v], fp = tot[3 * v + 1], fn = tot[3 * v + 2];
        out[v] = 2 * tp + fp + fn ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : NAN;
    }
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        double *o = out + ev->nvalues + 3 * d, sum = 0;
        size_t tp = 0, fp = 0, fn = 0, defined = 0;
        for (size_t i = 0; i < dim->nvalues; i++) {
            size_t v = dim->offset + i;
            tp += tot[3 * v];
            fp += tot[3 * v + 1];
            fn += tot[3 * v + 2];
            if (!isnan(out[v])) {
                sum += out[v];
                defined++;
            }
        }
        o[0] = dim->kind == STANCE_DIM_MULTI && 2 * tp + fp + fn
                   ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : NAN;
        o[1] = defined ? sum / (double)defined : NAN;
        o[2] = dim->kind == STANCE_DIM_SINGLE && acc[2 * d + 1]
                   ? (double)acc[2 * d] / (double)acc[2 * d + 1] : NAN;
    }
}

/* Per article: tp, fp, fn of each value (counts, 3 * nvalues) and per single dimension the
 * accuracy's numerator and denominator (acc, 2 * ndims), counted by a scratch evaluation fed
 * the article's pairs. 0 on no memory. */
static int article_counts(const stance_eval *ev, const size_t *first, const size_t *order,
                          size_t *counts, size_t *acc)
{
    stance_eval *one = NULL;
    stance_error err;
    if (stance_eval_new(ev->cb, &one, &err) != STANCE_OK)
        return 0;
    size_t nv = ev->nvalues, nd = ev->ndims;
    for (size_t a = 0; a < ev->articles.count; a++) {
        stance_eval_restart(one);
        for (size_t k = first[a]; k < first[a + 1]; k++) {
            size_t g = order[k];
            if (ev->gold[g].matched)
                stance_eval_add(one, ev->gold_targets + g * nv, ev->pred_targets + g * nv);
        }
        for (size_t v = 0; v < nv; v++) {
            counts[(a * nv + v) * 3] = one->tp[v];
            counts[(a * nv + v) * 3 + 1] = one->fp[v];
            counts[(a * nv + v) * 3 + 2] = one->fn[v];
        }
        for (size_t d = 0; d < nd; d++) {
            stance_eval_summary sum;
            stance_eval_get_summary(one, d, &sum);
            size_t den = sum.optional ? sum.applies : sum.records, right = 0;
            const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
            for (size_t i = 0; i < dim->nvalues; i++)
                right += one->tp[dim->offset + i];
            acc[(a * nd + d) * 2] = right;
            acc[(a * nd + d) * 2 + 1] = den;
        }
    }
    stance_eval_free(one);
    return 1;
}

/* The gold records of each article: order lists them grouped, article a's from first[a] to
 * first[a + 1]. */
static int group_by_article(const stance_eval *ev, size_t *first, size_t *order)
{
    size_t na = ev->articles.count;
    memset(first, 0, (na + 1) * sizeof *first);
    for (size_t g = 0; g < ev->ngold; g++)
        first[ev->gold[g].article + 1]++;
    for (size_t a = 0; a < na; a++)
        first[a + 1] += first[a];
    size_t *at = malloc((na ? na : 1) * sizeof *at);
    if (!at)
        return 0;
    memcpy(at, first, na * sizeof *at);
    for (size_t g = 0; g < ev->ngold; g++)
        order[at[ev->gold[g].article]++] = g;
    free(at);
    return 1;
}

static int bootstrap(stance_evalstat *st, const stance_eval *ev, const size_t *first,
                     const size_t *order)
{
    size_t na = ev->articles.count, nv = ev->nvalues, nd = ev->ndims, B = ev->bootstrap;
    size_t k = nv + 3 * nd;
    size_t *counts = calloc(na * nv * 3 + 1, sizeof *counts);
    size_t *acc = calloc(na * nd * 2 + 1, sizeof *acc);
    size_t *tot = malloc((nv * 3 + 1) * sizeof *tot), *tacc = malloc((nd * 2 + 1) * sizeof *tacc);
    double *row = malloc((k + 1) * sizeof *row), *draws = malloc((k * B + 1) * sizeof *draws);
    int ok = counts && acc && tot && tacc && row && draws &&
             article_counts(ev, first, order, counts, acc);
    stance_rng rng;
    stance_rng_seed(&rng, ev->seed);
    for (size_t b = 0; ok && b < B; b++) {
        memset(tot, 0, nv * 3 * sizeof *tot);
        memset(tacc, 0, nd * 2 * sizeof *tacc);
        for (size_t n = 0; n < na; n++) {
            size_t a = stance_rng_below(&rng, na);
            for (size_t i = 0; i < nv * 3; i++)
                tot[i] += counts[a * nv * 3 + i];
            for (size_t i = 0; i < nd * 2; i++)
                tacc[i] += acc[a * nd * 2 + i];
        }
        replicate_figures(ev, tot, tacc, row);
        for (size_t i = 0; i < k; i++)
            draws[i * B + b] = row[i];
    }
    for (size_t i = 0; ok && i < k; i++) {
        stance_ci *ci = i < nv ? &st->f1[i]
                        : (i - nv) % 3 == 0 ? &st->micro_f1[(i - nv) / 3]
                        : (i - nv) % 3 == 1 ? &st->macro_f1[(i - nv) / 3]
                                            : &st->accuracy[(i - nv) / 3];
        stance_percentile_ci(draws + i * B, B, &ci->lo, &ci->hi);
    }
    free(counts);
    free(acc);
    free(tot);
    free(tacc);
    free(row);
    free(draws);
    return ok;
}

/* Model against gold: each item's alpha over the matched records, two coders per unit (an
 * unlabeled prediction on an optional dimension abstains, as in the counts). */
static int model_alpha(stance_evalstat *st, const stance_eval *ev)
{
    size_t nitems = stance_eval_items(ev->cb, NULL);
    size_t *ncat = malloc((nitems + 1) * sizeof *ncat);
    stance_alpha_set set;
    if (!ncat)
        return 0;
    stance_eval_items(ev->cb, ncat);
    int ok = stance_alpha_set_init(&set, nitems, ncat, ev->articles.count);
    free(ncat);
    if (!ok)
        return 0;
    for (size_t g = 0; g < ev->ngold; g++) {
        if (!ev->gold[g].matched)
            continue;
        const signed char *gt = ev->gold_targets + g * ev->nvalues;
        const signed char *pt = ev->pred_targets + g * ev->nvalues;
        for (size_t j = 0; j < nitems; j++) {
            int codes[2], m = 0, c;
            if ((c = stance_eval_item_code(ev->cb, j, gt, 0)) >= 0)
                codes[m++] = c;
            if ((c = stance_eval_item_code(ev->cb, j, pt, 1)) >= 0)
                codes[m++] = c;
            stance_alpha_set_add(&set, ev->gold[g].article, j, codes, (size_t)m);
        }
    }
    for (size_t j = 0; ok && j < nitems; j++) {
        ok = stance_alpha_set_get(&set, j, ev->bootstrap, ev->seed, &st->alpha[j],
                                  &st->alpha_ci[j].lo, &st->alpha_ci[j].hi);
        st->alpha_units[j] = set.units[j];
    }
    stance_alpha_set_clear(&set);
    return ok;
}

void stance_evalstat_clear(stance_evalstat *st)
{
    free(st->f1);
    free(st->micro_f1);
    free(st->macro_f1);
    free(st->accuracy);
    free(st->alpha);
    free(st->alpha_ci);
    free(st->alpha_units);
    memset(st, 0, sizeof *st);
}

int stance_evalstat_init(stance_evalstat *st, const stance_eval *ev)
{
    memset(st, 0, sizeof *st);
    size_t nv = ev->nvalues + 1, nd = ev->ndims + 1, ni = stance_eval_items(ev->cb, NULL) + 1;
    size_t na = ev->articles.count;
    st->replicates = ev->bootstrap;
    st->narticles = na;
    size_t *first = malloc((na + 1) * sizeof *first);
    size_t *order = malloc((ev->ngold + 1) * sizeof *order);
    int ok = first && order && (st->f1 = malloc(nv * sizeof *st->f1)) &&
             (st->micro_f1 = malloc(nd * sizeof *st->micro_f1)) &&
             (st->macro_f1 = malloc(nd * sizeof *st->macro_f1)) &&
             (st->accuracy = malloc(nd * sizeof *st->accuracy)) &&
             (st->alpha = malloc(ni * sizeof *st->alpha)) &&
             (st->alpha_ci = malloc(ni * sizeof *st->alpha_ci)) &&
             (st->alpha_units = calloc(ni, sizeof *st->alpha_units));
    for (size_t i = 0; ok && i < nv; i++)
        st->f1[i] = (stance_ci){NAN, NAN};
    for (size_t i = 0; ok && i < nd; i++)
        st->micro_f1[i] = st->macro_f1[i] = st->accuracy[i] = (stance_ci){NAN, NAN};
    ok = ok && group_by_article(ev, first, order);
    if (ok && ev->bootstrap && na)
        ok = bootstrap(st, ev, first, order);
    ok = ok && model_alpha(st, ev);
    free(first);
    free(order);
    if (!ok)
        stance_evalstat_clear(st);
    return ok;
}

/* ---- calibration and coverage ---- */

#define NBINS 10
static const double cover_p[] = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
#define NCOVER (sizeof cover_p / sizeof cover_p[0])

/* One value's scored records: its score and whether gold gives it. */
typedef struct {
    double score;
    int yes;
} scored;

/* The matched records gold labels on the value in slot and the prediction scores it, into a
 * new array (*n of them; NULL with *n 0 when none, or on no memory: *nomem set). */
static scored *scored_records(const stance_eval *ev, size_t d, size_t slot, size_t *n,
                              int *nomem)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    scored *out = malloc((ev->ngold ? ev->ngold : 1) * sizeof *out);
    *n = 0;
    *nomem = out == NULL;
    for (size_t g = 0; out && g < ev->ngold; g++) {
        const signed char *gt = ev->gold_targets + g * ev->nvalues;
        double s = ev->pred_scores[g * ev->nvalues + slot];
        if (ev->gold[g].matched && gt[dim->offset] != STANCE_TARGET_UNLABELED && !isnan(s))
            out[(*n)++] = (scored){s, gt[slot] == STANCE_TARGET_YES};
    }
    return out;
}

static json_t *real_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

static json_t *ci_json(stance_ci ci)
{
    if (isnan(ci.lo) || isnan(ci.hi))
        return json_null();
    return json_pack("[f, f]", ci.lo, ci.hi);
}

static int set_new(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

typedef struct {
    size_t count[NBINS];
    double score[NBINS], yes[NBINS];
    double brier, ece;
} calibration;

static void calibrate(const scored *r, size_t n, calibration *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(r[i].score * NBINS);
        b = b >= NBINS ? NBINS - 1 : b;
        c->count[b]++;
        c->score[b] += r[i].score;
        c->yes[b] += r[i].yes;
        c->brier += (r[i].score - r[i].yes) * (r[i].score - r[i].yes);
    }
    for (size_t b = 0; b < NBINS; b++)
        if (c->count[b])
            c->ece += fabs(c->score[b] - c->yes[b]) / (double)n; /* n_b/n * |mean - freq| */
    c->brier = n ? c->brier / (double)n : NAN;
    c->ece = n ? c->ece : NAN;
}

/* Decisions at confidence p: scores >= p say yes, <= 1 - p say no. */
static void decide_at(const scored *r, size_t n, double p, size_t *decided, size_t *right)
{
    *decided = *right = 0;
    for (size_t i = 0; i < n; i++) {
        int says = r[i].score >= p ? 1 : r[i].score <= 1 - p ? 0 : -1;
        if (says >= 0) {
            (*decided)++;
            *right += says == r[i].yes;
        }
    }
}

static int by_confidence(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    double cx = fmax(x->score, 1 - x->score), cy = fmax(y->score, 1 - y->score);
    return (cx < cy) - (cx > cy);
}

/* The largest share of the n records decided (most confident first, ties together) at 95%
 * precision or better, and the least confidence decided then (NaN if none). Reorders r. */
static double share_at_95(scored *r, size_t n, double *confidence)
{
    qsort(r, n, sizeof *r, by_confidence);
    size_t right = 0, best = 0;
    *confidence = NAN;
    for (size_t i = 0; i < n; i++) {
        right += (r[i].score >= 0.5) == r[i].yes;
        double c = fmax(r[i].score, 1 - r[i].score);
        int last_of_tie = i + 1 == n || fmax(r[i + 1].score, 1 - r[i + 1].score) != c;
        if (last_of_tie && (double)right >= 0.95 * (double)(i + 1)) {
            best = i + 1;
            *confidence = c;
        }
    }
    return n ? (double)best / (double)n : NAN;
}

static json_t *calibration_json(const scored *r, size_t n)
{
    calibration c;
    calibrate(r, n, &c);
    json_t *bins = json_array();
    json_t *o = json_pack("{s:I, s:o, s:o, s:o}", "scored", (json_int_t)n, "brier",
                          real_or_null(c.brier), "ece", real_or_null(c.ece), "bins", bins);
    for (size_t b = 0; o && b < NBINS; b++) {
        size_t k = c.count[b];
        json_t *bin = json_pack("{s:f, s:f, s:I, s:o, s:o}", "from", (double)b / NBINS, "to",
                                (double)(b + 1) / NBINS, "count", (json_int_t)k, "mean_score",
                                real_or_null(k ? c.score[b] / (double)k : NAN), "observed",
                                real_or_null(k ? c.yes[b] / (double)k : NAN));
        if (!bin || json_array_append_new(bins, bin) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

static json_t *coverage_json(scored *r, size_t n)
{
    json_t *at = json_array();
    for (size_t i = 0; at && i < NCOVER; i++) {
        size_t decided, right;
        decide_at(r, n, cover_p[i], &decided, &right);
        json_t *one = json_pack("{s:f, s:I, s:o, s:o}", "p", cover_p[i], "decided",
                                (json_int_t)decided, "coverage",
                                real_or_null(n ? (double)decided / (double)n : NAN), "precision",
                                real_or_null(decided ? (double)right / (double)decided : NAN));
        if (!one || json_array_append_new(at, one) != 0) {
            json_decref(at);
            at = NULL;
        }
    }
    double confidence, share = share_at_95(r, n, &confidence);
    return json_pack("{s:I, s:o, s:{s:o, s:o}}", "scored", (json_int_t)n, "at", at,
                     "at_precision_95", "share", real_or_null(share), "confidence",
                     real_or_null(confidence));
}

/* Wilson intervals, bootstrap F1 interval, calibration and coverage of value i of dim d. */
static int value_json(const stance_evalstat *st, const stance_eval *ev, size_t d, size_t i,
                      json_t *v)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    size_t slot = dim->offset + i, tp = ev->tp[slot], fp = ev->fp[slot], fn = ev->fn[slot], n;
    stance_ci p, r;
    stance_wilson(tp, tp + fp, &p.lo, &p.hi);
    stance_wilson(tp, tp + fn, &r.lo, &r.hi);
    int nomem;
    scored *rec = scored_records(ev, d, slot, &n, &nomem);
    int ok = !nomem && set_new(v, "precision_ci", ci_json(p)) &&
             set_new(v, "recall_ci", ci_json(r)) && set_new(v, "f1_ci", ci_json(st->f1[slot])) &&
             set_new(v, "calibration", calibration_json(rec, n)) &&
             set_new(v, "coverage", coverage_json(rec, n));
    free(rec);
    if (ok && dim->kind == STANCE_DIM_MULTI) {
        size_t j = stance_eval_item_of(ev->cb, d, i);
        ok = set_new(v, "alpha", real_or_null(st->alpha[j])) &&
             set_new(v, "alpha_ci", ci_json(st->alpha_ci[j])) &&
             set_new(v, "alpha_units", json_integer((json_int_t)st->alpha_units[j]));
    }
    return ok;
}

int stance_evalstat_dimension_json(const stance_evalstat *st, const stance_eval *ev, size_t d,
                                   json_t *dj)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    json_t *values = json_object_get(dj, "values");
    int ok = values && set_new(json_object_get(dj, "macro"), "f1_ci", ci_json(st->macro_f1[d]));
    for (size_t i = 0; ok && i < dim->nvalues; i++)
        ok = value_json(st, ev, d, i, json_object_get(values, dim->labels[i]));
    if (ok && dim->kind == STANCE_DIM_MULTI)
        return set_new(json_object_get(dj, "micro"), "f1_ci", ci_json(st->micro_f1[d]));
    size_t j = stance_eval_item_of(ev->cb, d, 0);
    return ok && set_new(dj, "accuracy_ci", ci_json(st->accuracy[d])) &&
           set_new(dj, "alpha", real_or_null(st->alpha[j])) &&
           set_new(dj, "alpha_ci", ci_json(st->alpha_ci[j])) &&
           set_new(dj, "alpha_units", json_integer((json_int_t)st->alpha_units[j]));
}

json_t *stance_evalstat_bootstrap_json(const stance_evalstat *st, const stance_eval *ev)
{
    return json_pack("{s:I, s:I, s:I}", "replicates", (json_int_t)st->replicates, "seed",
                     (json_int_t)ev->seed, "articles", (json_int_t)st->narticles);
}

/* ---- text ---- */

void stance_evalstat_put_ci(FILE *f, stance_ci ci)
{
    if (!isnan(ci.lo) && !isnan(ci.hi))
        fprintf(f, "    [%.3f, %.3f]", ci.lo, ci.hi);
}

static void put_ratio(FILE *f, double x)
{
    if (isnan(x))
        fputs("-", f);
    else
        fprintf(f, "%.3f", x);
}

static void put_bracket(FILE *f, stance_ci ci)
{
    if (!isnan(ci.lo) && !isnan(ci.hi))
        fprintf(f, " [%.3f, %.3f]", ci.lo, ci.hi);
}

int stance_evalstat_write_detail(const stance_evalstat *st, const stance_eval *ev, size_t d,
                                 char *const *labels, FILE *f)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    for (size_t i = 0; i < dim->nvalues; i++) {
        size_t slot = dim->offset + i, tp = ev->tp[slot], n;
        stance_ci p, r;
        stance_wilson(tp, tp + ev->fp[slot], &p.lo, &p.hi);
        stance_wilson(tp, tp + ev->fn[slot], &r.lo, &r.hi);
        fprintf(f, "%s: precision", labels[i]);
        put_bracket(f, p);
        fputs(isnan(p.lo) ? " -" : "", f);
        fputs(", recall", f);
        put_bracket(f, r);
        fputs(isnan(r.lo) ? " -" : "", f);
        if (dim->kind == STANCE_DIM_MULTI) {
            size_t j = stance_eval_item_of(ev->cb, d, i);
            fputs(", alpha ", f);
            put_ratio(f, st->alpha[j]);
            put_bracket(f, st->alpha_ci[j]);
        }
        fputc('\n', f);
        int nomem;
        scored *rec = scored_records(ev, d, slot, &n, &nomem);
        if (nomem)
            return 0;
        calibration c;
        calibrate(rec, n, &c);
        fprintf(f, "  %zu scored, Brier ", n);
        put_ratio(f, c.brier);
        fputs(", ECE ", f);
        put_ratio(f, c.ece);
        double confidence, share = share_at_95(rec, n, &confidence);
        fputs(", decided at 95% precision ", f);
        put_ratio(f, share);
        fputs("\n  reliability (bin: count mean observed):", f);
        for (size_t b = 0; b < NBINS; b++)
            if (c.count[b])
                fprintf(f, " %.1f-%.1f: %zu %.2f %.2f;", (double)b / NBINS,
                        (double)(b + 1) / NBINS, c.count[b], c.score[b] / (double)c.count[b],
                        c.yes[b] / (double)c.count[b]);
        fputs("\n  coverage (p: share precision):", f);
        for (size_t k = 0; k < NCOVER; k++) {
            size_t decided, right;
            decide_at(rec, n, cover_p[k], &decided, &right);
            fprintf(f, " %.2f: ", cover_p[k]);
            put_ratio(f, n ? (double)decided / (double)n : NAN);
            fputc(' ', f);
            put_ratio(f, decided ? (double)right / (double)decided : NAN);
            fputc(';', f);
        }
        fputc('\n', f);
        free(rec);
    }
    return 1;
}

/* ---- misclassified records ---- */

/* The labels of dimension dim in the target row t as JSON: a single dimension's label,
 * STANCE_EVAL_NONE for none; a multi dimension's array of labels; null when not labeled (a
 * prediction without the dimension). */
static json_t *labels_json(const stance_dimension *dim, const signed char *t, int abstain)
{
    int c = stance_eval_code(dim, t, abstain);
    if (c < 0)
        return json_null();
    if (dim->kind == STANCE_DIM_SINGLE)
        return json_string((size_t)c < dim->nvalues ? dim->labels[c] : STANCE_EVAL_NONE);
    json_t *a = json_array();
    for (size_t i = 0; a && i < dim->nvalues; i++)
        if (t[i] == STANCE_TARGET_YES && json_array_append_new(a, json_string(dim->labels[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Whether gold row g and prediction row p differ on dim (gold labeling it). */
static int differs(const stance_dimension *dim, const signed char *g, const signed char *p)
{
    if (g[0] == STANCE_TARGET_UNLABELED)
        return 0;
    if (dim->kind == STANCE_DIM_SINGLE)
        return stance_eval_code(dim, g, 0) != stance_eval_code(dim, p, 1);
    if (p[0] == STANCE_TARGET_UNLABELED)
        return 1;
    for (size_t i = 0; i < dim->nvalues; i++)
        if ((g[i] == STANCE_TARGET_YES) != (p[i] == STANCE_TARGET_YES))
            return 1;
    return 0;
}

/* {label: score} for the values gold and prediction disagree on (a single dimension: gold's
 * and the prediction's values), null for a score the prediction did not give. */
static json_t *error_scores(const stance_dimension *dim, const signed char *g,
                            const signed char *p, const double *s)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < dim->nvalues; i++) {
        int gy = g[i] == STANCE_TARGET_YES, py = p[i] == STANCE_TARGET_YES;
        if (gy != py && !set_new(o, dim->labels[i], real_or_null(s[i]))) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

/* One misclassified record: its naming fields, gold line, dimension, gold, predicted, scores. */
static json_t *error_json(const stance_eval *ev, size_t g, size_t d)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    size_t at = g * ev->nvalues + dim->offset;
    const signed char *gt = ev->gold_targets + at, *pt = ev->pred_targets + at;
    json_t *o = json_deep_copy(ev->gold[g].ident);
    if (o && set_new(o, "line", json_integer(ev->gold[g].line)) &&
        set_new(o, "pred_line", json_integer(ev->gold[g].pred_line)) &&
        set_new(o, "dimension", json_string(dim->name)) &&
        set_new(o, "gold", labels_json(dim, gt, 0)) &&
        set_new(o, "predicted", labels_json(dim, pt, 1)) &&
        set_new(o, "scores", error_scores(dim, gt, pt, ev->pred_scores + at)))
        return o;
    json_decref(o);
    return NULL;
}

int stance_eval_errors_json(const stance_eval *ev, json_t *out)
{
    for (size_t g = 0; g < ev->ngold; g++) {
        if (!ev->gold[g].matched)
            continue;
        for (size_t d = 0; d < ev->ndims; d++) {
            const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
            size_t at = g * ev->nvalues + dim->offset;
            if (!differs(dim, ev->gold_targets + at, ev->pred_targets + at))
                continue;
            json_t *e = error_json(ev, g, d);
            if (!e || json_array_append_new(out, e) != 0)
                return 0;
        }
    }
    return 1;
}

/* One naming field as text into buf: a string escaped, or an integer. */
static const char *field_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v))
        stance_error_escape(json_string_value(v), buf, size);
    else
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return buf;
}

/* A record's name in the table: its id, else doc@start, else doc#passage (or paragraph). */
static void put_record_name(FILE *f, const json_t *ident)
{
    char a[4 * 256], b[32];
    const json_t *id = json_object_get(ident, "id"), *doc = json_object_get(ident, "doc");
    const json_t *start = json_object_get(ident, "start"), *num = json_object_get(ident, "passage");
    if (!num)
        num = json_object_get(ident, "paragraph");
    if (id)
        fputs(field_text(id, a, sizeof a), f);
    else if (doc && start)
        fprintf(f, "%s@%s", field_text(doc, a, sizeof a), field_text(start, b, sizeof b));
    else if (doc && num)
        fprintf(f, "%s#%s", field_text(doc, a, sizeof a), field_text(num, b, sizeof b));
    else
        fputs("-", f);
}

/* A JSON label or array of labels as text: "a;b", "[]" for none of them, "-" for null. */
static void put_labels(FILE *f, const json_t *v)
{
    char buf[4 * 256];
    if (json_is_null(v)) {
        fputs("-", f);
        return;
    }
    if (json_is_string(v)) {
        stance_error_escape(json_string_value(v), buf, sizeof buf);
        fputs(buf, f);
        return;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        stance_error_escape(json_string_value(json_array_get(v, i)), buf, sizeof buf);
        fprintf(f, "%s%s", i ? ";" : "", buf);
    }
    if (json_array_size(v) == 0)
        fputs("[]", f);
}

stance_status stance_eval_write_errors(const stance_eval *ev, FILE *f, const char *name,
                                       stance_error *err)
{
    json_t *all = json_array();
    if (!all || !stance_eval_errors_json(ev, all)) {
        json_decref(all);
        return stance_fail_nomem(err, name);
    }
    fputs("record\tline\tdimension\tgold\tpredicted\tscores\n", f);
    for (size_t i = 0; i < json_array_size(all); i++) {
        const json_t *e = json_array_get(all, i), *scores = json_object_get(e, "scores");
        put_record_name(f, e);
        fprintf(f, "\t%" JSON_INTEGER_FORMAT "\t%s\t", json_integer_value(json_object_get(e, "line")),
                json_string_value(json_object_get(e, "dimension")));
        put_labels(f, json_object_get(e, "gold"));
        fputc('\t', f);
        put_labels(f, json_object_get(e, "predicted"));
        fputc('\t', f);
        const char *label;
        const json_t *v;
        int first = 1;
        json_object_foreach((json_t *)scores, label, v) {
            char buf[4 * 256];
            stance_error_escape(label, buf, sizeof buf);
            fprintf(f, "%s%s=", first ? "" : " ", buf);
            put_ratio(f, json_is_number(v) ? json_number_value(v) : NAN);
            first = 0;
        }
        fputc('\n', f);
    }
    json_decref(all);
    if (ferror(f))
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}
