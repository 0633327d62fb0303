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

/* Krippendorff coincidences kept per article for several items (a single dimension, or one
 * value of a multi dimension as a yes/no decision), so that alpha can be bootstrapped over
 * articles: item j has ncat[j] codes and a ncat[j]^2 matrix in each article's row. */
typedef struct {
    size_t nitems, narticles, row; /* row: doubles per article */
    size_t *ncat, *off;            /* per item: codes, offset of its matrix in a row */
    size_t *units;                 /* per item: pairable units */
    double *o;                     /* narticles * row */
} stance_alpha_set;

/* Sets up s for nitems items of ncat codes each over narticles articles. 0 on no memory (s
 * then needs no clear). */
int stance_alpha_set_init(stance_alpha_set *s, size_t nitems, const size_t *ncat,
                          size_t narticles);
void stance_alpha_set_clear(stance_alpha_set *s);

/* Adds one unit of item j in article a: its m codes (missing ones left out). */
void stance_alpha_set_add(stance_alpha_set *s, size_t a, size_t j, const int *codes, size_t m);

/* Alpha of item j over all articles, and its 95% bootstrap interval from replicates draws of
 * as many articles with replacement, seeded (NaN when undefined; with no replicates, lo and hi
 * NaN). 0 on no memory. */
int stance_alpha_set_get(const stance_alpha_set *s, size_t j, size_t replicates, uint64_t seed,
                         double *alpha, double *lo, double *hi);

#endif
