/* calibrate.c: Platt sigmoid fitting and F1-optimal thresholds. */
#include "stance/calibrate.h"

#include <math.h>
#include <stdlib.h>

double stance_platt_prob(stance_platt s, double f)
{
    double z = s.a * f + s.b; /* written so exp never overflows */
    return z >= 0 ? exp(-z) / (1.0 + exp(-z)) : 1.0 / (1.0 + exp(z));
}

/* Cross-entropy of the sigmoid (a, b) against targets t[i] at the points z[i]. */
static double platt_loss(const double *z, const double *t, size_t n, double a, double b)
{
    double loss = 0;
    for (size_t i = 0; i < n; i++) {
        double u = a * z[i] + b; /* p = 1/(1+e^u): -log p = log(1+e^u), -log(1-p) = log(1+e^-u) */
        double log1pexp = u >= 0 ? u + log1p(exp(-u)) : log1p(exp(u));
        loss += t[i] * log1pexp + (1 - t[i]) * (log1pexp - u);
    }
    return loss;
}

static void smoothed_targets(const signed char *y, size_t n, double *t)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] > 0;
    double hi = ((double)pos + 1) / ((double)pos + 2), lo = 1 / ((double)(n - pos) + 2);
    for (size_t i = 0; i < n; i++)
        t[i] = y[i] > 0 ? hi : lo;
}

/* Newton's method with backtracking line search; fit_b = 0 keeps b at 0. */
static stance_platt newton(const double *z, const double *t, size_t n, int fit_b, stance_platt s)
{
    const double sigma = 1e-12; /* keeps the Hessian positive definite */
    double loss = platt_loss(z, t, n, s.a, s.b);
    for (int iter = 0; iter < 100; iter++) {
        double g1 = 0, g2 = 0, h11 = sigma, h22 = sigma, h21 = 0;
        for (size_t i = 0; i < n; i++) {
            double p = stance_platt_prob(s, z[i]), d2 = p * (1 - p), d1 = t[i] - p;
            h11 += z[i] * z[i] * d2;
            h22 += d2;
            h21 += z[i] * d2;
            g1 += z[i] * d1;
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
            double nl = platt_loss(z, t, n, na, nb);
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
    stance_platt s = {0, 0};
    double *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return s;
    smoothed_targets(y, n, t);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i] > 0;
    s.b = log(((double)(n - pos) + 1) / ((double)pos + 1)); /* Platt's starting point */
    s = newton(f, t, n, 1, s);
    free(t);
    return s;
}

stance_platt stance_platt_fit_at(const double *f, const signed char *y, size_t n, double thr)
{
    stance_platt s = {0, 0};
    double *t = malloc((n ? n : 1) * sizeof *t), *z = malloc((n ? n : 1) * sizeof *z);
    if (t && z) {
        smoothed_targets(y, n, t);
        for (size_t i = 0; i < n; i++)
            z[i] = f[i] - thr;
        s = newton(z, t, n, 0, s);
        if (s.a > -1e-3) /* decision values that do not separate the classes */
            s.a = -1;
        s.b = -s.a * thr;
    }
    free(t);
    free(z);
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

stance_threshold stance_threshold_best_f1(const double *f, const signed char *y, size_t n)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    if (!s || n == 0) {
        free(s);
        return stance_threshold_at(f, y, n, 0);
    }
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = (scored){f[i], y[i]};
        pos += y[i] > 0;
    }
    qsort(s, n, sizeof *s, by_decision_desc);
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
    return stance_threshold_at(f, y, n, t);
}

stance_threshold stance_threshold_plateau_f1(const double *f, const signed char *y, size_t n,
                                             double tol)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    double *f1s = malloc((n ? n : 1) * sizeof *f1s);
    if (!s || !f1s || n == 0) {
        free(s);
        free(f1s);
        return stance_threshold_at(f, y, n, 0);
    }
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = (scored){f[i], y[i]};
        pos += y[i] > 0;
    }
    qsort(s, n, sizeof *s, by_decision_desc);
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
    return stance_threshold_at(f, y, n, any ? (hi + lo) / 2 : 0);
}
