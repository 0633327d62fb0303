/* prevalence_int.h: the two small formulas of prevalence.c, apart for the unit tests. */
#ifndef STANCE_PREVALENCE_INT_H
#define STANCE_PREVALENCE_INT_H

#include <stddef.h>

#include "stance/prevalence.h"

/* clip((observed - fpr) / (tpr - fpr), 0, 1), or NaN when tpr - fpr is not positive. With
 * score means for tpr and fpr it is the probabilistic adjustment. */
double stance_prevalence_adjust(double observed, double tpr, double fpr);

/* The pth quantile (0..1) of the n sorted values x: linear between the order statistics at
 * p (n - 1); NaN for n = 0. */
double stance_prevalence_quantile(const double *x, size_t n, double p);

#endif
