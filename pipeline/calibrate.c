/* calibrate.c: Platt sigmoid fitting and F1-optimal thresholds. */
#include "calibrate_int.h"

#include <math.h>
#include <stdlib.h>

#include "error_int.h"

double stance_platt_prob(stance_platt s, double f)
{
    double z = s.a * f + s.b; /* written so exp never overflows */
    return z >= 0 ? exp(-z) / (1.0 + exp(-z)) : 1.0 / (1.0 + exp(z));
}

/* The points a sigmoid is fitted to: z = f[i] - shift with Platt's smoothed target hi for a
 * positive y[i], lo for a negative one. Computed as needed, so fitting allocates nothing. */
typedef struct {
    const double *f;
    const signed char *y;
    size_t n, pos;
    double shift, hi, lo;
} points;

static points make_points(const double *f, const signed char *y, size_t n, double shift)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] > 0;
    return (points){f, y, n, pos, shift, ((double)pos + 1) / ((double)pos + 2),
                    1 / ((double)(n - pos) + 2)};
}

/* Cross-entropy of the sigmoid (a, b) against the targets at the points. */
static double platt_loss(const points *d, double a, double b)
{
    double loss = 0;
    for (size_t i = 0; i < d->n; i++) {
        double z = d->f[i] - d->shift, t = d->y[i] > 0 ? d->hi : d->lo;
        double u = a * z + b; /* p = 1/(1+e^u): -log p = log(1+e^u), -log(1-p) = log(1+e^-u) */
        double log1pexp = u >= 0 ? u + log1p(exp(-u)) : log1p(exp(u));
        loss += t * log1pexp + (1 - t) * (log1pexp - u);
    }
    return loss;
}

/* Newton's method with backtracking line search; fit_b = 0 keeps b at 0. */
static stance_platt newton(const points *d, int fit_b, stance_platt s)
{
    const double sigma = 1e-12; /* keeps the Hessian positive definite */
    double loss = platt_loss(d, s.a, s.b);
    for (int iter = 0; iter < 100; iter++) {
        double g1 = 0, g2 = 0, h11 = sigma, h22 = sigma, h21 = 0;
        for (size_t i = 0; i < d->n; i++) {
            double z = d->f[i] - d->shift, t = d->y[i] > 0 ? d->hi : d->lo;
            double p = stance_platt_prob(s, z), d2 = p * (1 - p), d1 = t - p;
            h11 += z * z * d2;
            h22 += d2;
            h21 += z * d2;
            g1 += z * d1;
            g2 += d1;
        }
        if (fabs(g1) < 1e-5 && (!fit_b || fabs(g2) < 1e-5))
            break;
        double da, db;
        if (fit_b) {
            double det = h11 * h22 - h21 * h21;
            da = -(h22 * g1 - h21 * g2) / det;
            db = -(-h21 * g1 + h11 * g2) / det;
        } else {
            da = -g1 / h11;
            db = 0;
        }
        double gd = g1 * da + g2 * db, step = 1;
        while (step >= 1e-10) {
            double na = s.a + step * da, nb = s.b + step * db;
            double nl = platt_loss(d, na, nb);
            if (nl < loss + 1e-4 * step * gd) {
                s.a = na, s.b = nb, loss = nl;
                break;
            }
            step /= 2;
        }
        if (step < 1e-10)
            break;
    }
    return s;
}

stance_platt stance_platt_fit(const double *f, const signed char *y, size_t n)
{
    points d = make_points(f, y, n, 0);
    stance_platt s = {0, log(((double)(n - d.pos) + 1) / ((double)d.pos + 1))}; /* Platt's start */
    return newton(&d, 1, s);
}

stance_platt stance_platt_fit_at(const double *f, const signed char *y, size_t n, double thr)
{
    points d = make_points(f, y, n, thr);
    stance_platt s = newton(&d, 0, (stance_platt){0, 0});
    if (s.a > -1e-3) /* decision values that do not separate the classes */
        s.a = -1;
    s.b = -s.a * thr;
    return s;
}

static void finish(stance_threshold *r)
{
    double tp = (double)r->tp;
    r->precision = r->tp + r->fp ? tp / (tp + (double)r->fp) : 0;
    r->recall = r->tp + r->fn ? tp / (tp + (double)r->fn) : 0;
    r->f1 = r->tp ? 2 * tp / (2 * tp + (double)r->fp + (double)r->fn) : 0;
}

stance_threshold stance_threshold_at(const double *f, const signed char *y, size_t n, double t)
{
    stance_threshold r = {t, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int pred = f[i] >= t, pos = y[i] > 0;
        r.tp += pred && pos;
        r.fp += pred && !pos;
        r.fn += !pred && pos;
    }
    finish(&r);
    return r;
}

typedef struct {
    double f;
    signed char y;
} scored;

static int by_decision_desc(const void *a, const void *b)
{
    double fa = ((const scored *)a)->f, fb = ((const scored *)b)->f;
    return (fa < fb) - (fa > fb);
}

/* The n decision values with their labels, highest first, and *pos the positives among them;
 * NULL if out of memory (n >= 1). */
static scored *sorted_desc(const double *f, const signed char *y, size_t n, size_t *pos)
{
    scored *s = malloc(n * sizeof *s);
    if (!s)
        return NULL;
    *pos = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = (scored){f[i], y[i]};
        *pos += y[i] > 0;
    }
    qsort(s, n, sizeof *s, by_decision_desc);
    return s;
}

stance_status stance_threshold_best_f1(const double *f, const signed char *y, size_t n,
                                       stance_threshold *best, stance_error *err)
{
    if (n == 0) {
        *best = stance_threshold_at(f, y, n, 0);
        return STANCE_OK;
    }
    size_t pos;
    scored *s = sorted_desc(f, y, n, &pos);
    if (!s)
        return stance_fail_nomem(err, NULL);
    /* Cutting after k items (predict the top k positive): sweep k, only between distinct values. */
    size_t tp = 0, best_k = 0;
    double best_f1 = -1;
    for (size_t k = 1; k <= n; k++) {
        tp += s[k - 1].y > 0;
        if (k < n && s[k].f == s[k - 1].f)
            continue;
        double f1 = tp ? 2.0 * (double)tp / ((double)k + (double)pos) : 0;
        if (f1 > best_f1) {
            best_f1 = f1;
            best_k = k;
        }
    }
    double t = best_k < n ? (s[best_k - 1].f + s[best_k].f) / 2 : s[n - 1].f - 1e-6;
    free(s);
    *best = stance_threshold_at(f, y, n, t);
    return STANCE_OK;
}

stance_status stance_threshold_plateau_f1(const double *f, const signed char *y, size_t n,
                                          double tol, stance_threshold *out, stance_error *err)
{
    if (n == 0) {
        *out = stance_threshold_at(f, y, n, 0);
        return STANCE_OK;
    }
    size_t pos;
    scored *s = sorted_desc(f, y, n, &pos);
    double *f1s = malloc(n * sizeof *f1s);
    if (!s || !f1s) {
        free(s);
        free(f1s);
        return stance_fail_nomem(err, NULL);
    }
    /* F1 of every cut after k items (-1 where the cut falls between equal values). */
    size_t tp = 0;
    double best_f1 = -1;
    for (size_t k = 1; k <= n; k++) {
        tp += s[k - 1].y > 0;
        f1s[k - 1] = -1;
        if (k < n && s[k].f == s[k - 1].f)
            continue;
        f1s[k - 1] = tp ? 2.0 * (double)tp / ((double)k + (double)pos) : 0;
        if (f1s[k - 1] > best_f1)
            best_f1 = f1s[k - 1];
    }
    double hi = 0, lo = 0;
    int any = 0;
    for (size_t k = 1; k <= n; k++) {
        if (f1s[k - 1] < 0 || f1s[k - 1] < best_f1 - tol)
            continue;
        double t = k < n ? (s[k - 1].f + s[k].f) / 2 : s[n - 1].f - 1e-6;
        if (!any)
            hi = t; /* k rises as the cut falls: the first near-best cut is the highest */
        lo = t;
        any = 1;
    }
    free(s);
    free(f1s);
    *out = stance_threshold_at(f, y, n, any ? (hi + lo) / 2 : 0);
    return STANCE_OK;
}
