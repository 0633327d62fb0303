/* nbweight_int.h: Naive Bayes log-count ratios, to weight the features of a linear SVM (the
 * NBSVM idea of Wang and Manning, "Baselines and Bigrams", ACL 2012).
 *
 * For one binary problem, with x̂ = 1{x > 0} (a feature's presence in an example),
 *   p = alpha + sum of x̂ over the positive examples,  q = alpha + sum over the negatives,
 *   r_j = ln((p_j / |p|_1) / (q_j / |q|_1))
 * so r_j > 0 for features more frequent among positives. An SVM trained on x∘r (element-wise
 * product) has weights w in that space; w'_j = w_j r_j scores x itself, so a model trained
 * this way is an ordinary linear model (classifier.c folds r in). Counting presence, not TF-IDF
 * weights, keeps alpha = 1 an add-one smoothing whatever the vector weighting. */
#ifndef STANCE_NBWEIGHT_INT_H
#define STANCE_NBWEIGHT_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/vector.h"

#define STANCE_NB_ALPHA 1.0 /* the paper's smoothing */

/* Fills r[0..nfeatures) (r[j - 1] for feature j) from the examples vecs[idx[k]] with labels
 * y[k] = +1 or -1, k < n; features above nfeatures are ignored. alpha must be > 0.
 * STANCE_ERR_USAGE for alpha <= 0 or nfeatures < 1, STANCE_ERR_NOMEM on no memory. */
stance_status stance_nbweight_ratios(const stance_vector *vecs, const size_t *idx,
                                     const signed char *y, size_t n, int nfeatures, double alpha,
                                     double *r, stance_error *err);

/* stance_nbweight_ratios over the features whose keep[j - 1] is not 0 alone (keep NULL: all):
 * |p|_1 and |q|_1 sum those, and the others get r_j = 0, so the ratios of the kept features are
 * those of a problem without the others. */
stance_status stance_nbweight_ratios_masked(const stance_vector *vecs, const size_t *idx,
                                            const signed char *y, size_t n, int nfeatures,
                                            double alpha, const double *keep, double *r,
                                            stance_error *err);

#endif
