/* calibrate_int.h: turning SVM decision values into calibrated probabilities and decisions.
 *
 * Platt scaling: p(f) = 1 / (1 + exp(a f + b)), fitted by Newton's method with backtracking
 * on the cross-entropy against Platt's smoothed targets (n+ + 1) / (n+ + 2) for positives
 * and 1 / (n- + 2) for negatives (Platt 1999; the safeguards of Lin, Lin & Weng 2007).
 *
 * For a label of a multi dimension, the decision threshold t is chosen first, on the
 * decision values, to maximise F1; the sigmoid is then fitted with its midpoint fixed at t
 * (b = -a t). So p >= 0.5 exactly when f >= t: a label is predicted present exactly when its
 * score is at least 0.5, and the score never disagrees with the label. When the decision
 * values do not separate the classes (the fitted slope would be flat or rising), the slope
 * falls back to a = -1, one unit of probability log-odds per unit of margin. */
#ifndef STANCE_CALIBRATE_INT_H
#define STANCE_CALIBRATE_INT_H

#include <stddef.h>

#include "stance/error.h"

/* A fitted sigmoid. */
typedef struct {
    double a, b;
} stance_platt;

/* Probability of the positive class for decision value f. */
double stance_platt_prob(stance_platt s, double f);

/* Fits a and b to decision values f[i] with labels y[i] = +1/-1. */
stance_platt stance_platt_fit(const double *f, const signed char *y, size_t n);

/* Fits a with the midpoint fixed at t (b = -a t). */
stance_platt stance_platt_fit_at(const double *f, const signed char *y, size_t n, double t);

/* Counts at a threshold, and F1 = 2 tp / (2 tp + fp + fn) (0 when there are no positives
 * either way). */
typedef struct {
    double threshold;
    size_t tp, fp, fn;
    double precision, recall, f1;
} stance_threshold;

/* The threshold on f maximising F1 (midway between the two decision values where the best
 * cut falls; ties go to the higher threshold) into *best; for n = 0, the counts at 0.
 * STANCE_ERR_NOMEM if the values cannot be sorted for want of memory. */
stance_status stance_threshold_best_f1(const double *f, const signed char *y, size_t n,
                                       stance_threshold *best, stance_error *err);

/* The middle of the plateau of near-best cuts: among the cuts stance_threshold_best_f1 sweeps,
 * those whose F1 is at least the best minus tol; the threshold returned is midway between the
 * lowest and the highest of them (on the decision values), so it does not follow the single
 * cut that happens to score best in cross-validation. tol 0 gives the middle of the cuts that
 * tie for the best. STANCE_ERR_NOMEM if the values cannot be sorted for want of memory. */
stance_status stance_threshold_plateau_f1(const double *f, const signed char *y, size_t n,
                                          double tol, stance_threshold *out, stance_error *err);

/* The counts at a given threshold (f >= t predicts positive). */
stance_threshold stance_threshold_at(const double *f, const signed char *y, size_t n, double t);

#endif
