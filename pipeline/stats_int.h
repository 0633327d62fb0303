/* stats_int.h: the interval arithmetic of evaluation and agreement (stats.c): Wilson score
 * intervals, a seeded random stream for the bootstrap, percentile intervals, and the two
 * agreement coefficients (Cohen's kappa, Krippendorff's nominal alpha). */
#ifndef STANCE_STATS_INT_H
#define STANCE_STATS_INT_H

#include <stddef.h>
#include <stdint.h>

/* The normal quantile of a two-sided 95% interval. */
#define STANCE_Z95 1.959963984540054

/* Wilson score 95% interval of k successes in n trials into *lo, *hi; NaN both when n is 0. */
void stance_wilson(size_t k, size_t n, double *lo, double *hi);

/* A seeded random stream (splitmix64): the same seed gives the same draws on every machine.
 * Plain state, no allocation; the library keeps no global one. */
typedef struct {
    uint64_t state;
} stance_rng;

void stance_rng_seed(stance_rng *r, uint64_t seed);
uint64_t stance_rng_next(stance_rng *r);
/* A uniform draw from 0 .. n-1 (n > 0), without modulo bias. */
size_t stance_rng_below(stance_rng *r, size_t n);

/* The 2.5% and 97.5% percentiles (linear interpolation between order statistics) of the
 * defined (not NaN) entries of xs, which it reorders. 0 and NaN both when none is defined. */
int stance_percentile_ci(double *xs, size_t n, double *lo, double *hi);

/* Krippendorff's coincidences of one unit, added into o (ncat * ncat): codes holds the m codes
 * (0 .. ncat-1) the coders gave it, missing ones left out; a unit with fewer than two adds
 * nothing. Returns 1 if the unit was pairable (m >= 2). */
int stance_alpha_add_unit(double *o, size_t ncat, const int *codes, size_t m);

/* Nominal alpha from summed coincidences: 1 - (n-1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k.
 * NaN when undefined: fewer than two pairable values, or every value the same code (no
 * expected disagreement). */
double stance_alpha_nominal(const double *o, size_t ncat);

/* Cohen's kappa of a ncat * ncat table of counts (row: coder a's code, column: coder b's):
 * (po - pe) / (1 - pe). NaN when the table is empty or pe is 1 (both coders used one and the
 * same code throughout). */
double stance_kappa(const size_t *table, size_t ncat);

#endif
