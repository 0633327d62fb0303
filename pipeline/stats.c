/* stats.c: Wilson intervals, the bootstrap's random stream and percentiles, Cohen's kappa and
 * Krippendorff's nominal alpha. */
#include "stats_int.h"

#include <math.h>
#include <stdlib.h>

void stance_wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double z2 = STANCE_Z95 * STANCE_Z95, nn = (double)n, p = (double)k / nn;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = STANCE_Z95 / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

void stance_rng_seed(stance_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t stance_rng_next(stance_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

size_t stance_rng_below(stance_rng *r, size_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n; /* draws at or above it would favour low values */
    uint64_t x;
    do
        x = stance_rng_next(r);
    while (x >= limit);
    return (size_t)(x % n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of the n sorted xs (n > 0), interpolating between neighbours. */
static double quantile(const double *xs, size_t n, double q)
{
    double at = q * (double)(n - 1);
    size_t i = (size_t)at;
    if (i + 1 >= n)
        return xs[n - 1];
    return xs[i] + (at - (double)i) * (xs[i + 1] - xs[i]);
}

int stance_percentile_ci(double *xs, size_t n, double *lo, double *hi)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(xs[i]))
            xs[m++] = xs[i];
    if (m == 0) {
        *lo = *hi = NAN;
        return 0;
    }
    qsort(xs, m, sizeof *xs, cmp_double);
    *lo = quantile(xs, m, 0.025);
    *hi = quantile(xs, m, 0.975);
    return 1;
}

int stance_alpha_add_unit(double *o, size_t ncat, const int *codes, size_t m)
{
    if (m < 2)
        return 0;
    double w = 1.0 / (double)(m - 1);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            if (i != j)
                o[(size_t)codes[i] * ncat + (size_t)codes[j]] += w;
    return 1;
}

double stance_alpha_nominal(const double *o, size_t ncat)
{
    double n = 0, observed = 0, expected = 0;
    for (size_t c = 0; c < ncat; c++)
        for (size_t k = 0; k < ncat; k++) {
            n += o[c * ncat + k];
            if (c != k)
                observed += o[c * ncat + k];
        }
    for (size_t c = 0; c < ncat; c++) {
        double nc = 0;
        for (size_t k = 0; k < ncat; k++)
            nc += o[c * ncat + k];
        expected += nc * (n - nc); /* sum over k != c of n_c n_k */
    }
    if (n < 2 || expected <= 0)
        return NAN;
    return 1 - (n - 1) * observed / expected;
}

double stance_kappa(const size_t *table, size_t ncat)
{
    double n = 0, agree = 0, chance = 0;
    for (size_t i = 0; i < ncat * ncat; i++)
        n += (double)table[i];
    if (n == 0)
        return NAN;
    for (size_t c = 0; c < ncat; c++) {
        double row = 0, col = 0;
        for (size_t k = 0; k < ncat; k++) {
            row += (double)table[c * ncat + k];
            col += (double)table[k * ncat + c];
        }
        agree += (double)table[c * ncat + c];
        chance += row * col;
    }
    double po = agree / n, pe = chance / (n * n);
    if (pe >= 1)
        return NAN;
    return (po - pe) / (1 - pe);
}

int stance_alpha_set_init(stance_alpha_set *s, size_t nitems, const size_t *ncat,
                          size_t narticles)
{
    *s = (stance_alpha_set){0};
    s->nitems = nitems;
    s->narticles = narticles;
    s->ncat = malloc((nitems ? nitems : 1) * sizeof *s->ncat);
    s->off = malloc((nitems ? nitems : 1) * sizeof *s->off);
    s->units = calloc(nitems ? nitems : 1, sizeof *s->units);
    if (!s->ncat || !s->off || !s->units) {
        stance_alpha_set_clear(s);
        return 0;
    }
    for (size_t j = 0; j < nitems; j++) {
        s->ncat[j] = ncat[j];
        s->off[j] = s->row;
        s->row += ncat[j] * ncat[j];
    }
    if (narticles && s->row && narticles > SIZE_MAX / sizeof(double) / s->row) {
        stance_alpha_set_clear(s);
        return 0;
    }
    size_t cells = narticles * s->row;
    if (!(s->o = calloc(cells ? cells : 1, sizeof *s->o))) {
        stance_alpha_set_clear(s);
        return 0;
    }
    return 1;
}

void stance_alpha_set_clear(stance_alpha_set *s)
{
    free(s->ncat);
    free(s->off);
    free(s->units);
    free(s->o);
    *s = (stance_alpha_set){0};
}

void stance_alpha_set_add(stance_alpha_set *s, size_t a, size_t j, const int *codes, size_t m)
{
    s->units[j] += (size_t)stance_alpha_add_unit(s->o + a * s->row + s->off[j], s->ncat[j],
                                                 codes, m);
}

int stance_alpha_set_get(const stance_alpha_set *s, size_t j, size_t replicates, uint64_t seed,
                         double *alpha, double *lo, double *hi)
{
    size_t side = s->ncat[j], cells = side * side;
    double *sum = calloc(cells, sizeof *sum);
    double *draws = replicates ? malloc(replicates * sizeof *draws) : NULL;
    if (!sum || (replicates && !draws)) {
        free(sum);
        free(draws);
        return 0;
    }
    for (size_t a = 0; a < s->narticles; a++)
        for (size_t c = 0; c < cells; c++)
            sum[c] += s->o[a * s->row + s->off[j] + c];
    *alpha = stance_alpha_nominal(sum, side);
    *lo = *hi = NAN;
    stance_rng rng;
    stance_rng_seed(&rng, seed);
    for (size_t b = 0; b < replicates && s->narticles; b++) {
        for (size_t c = 0; c < cells; c++)
            sum[c] = 0;
        for (size_t k = 0; k < s->narticles; k++) {
            const double *o = s->o + stance_rng_below(&rng, s->narticles) * s->row + s->off[j];
            for (size_t c = 0; c < cells; c++)
                sum[c] += o[c];
        }
        draws[b] = stance_alpha_nominal(sum, side);
    }
    if (replicates && s->narticles)
        stance_percentile_ci(draws, replicates, lo, hi);
    free(sum);
    free(draws);
    return 1;
}
