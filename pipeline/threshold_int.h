/* threshold_int.h: the thresholds moved, as prediction (model.c) reads them. */
#ifndef STANCE_THRESHOLD_INT_H
#define STANCE_THRESHOLD_INT_H

#include "stance/threshold.h"

struct stance_thresholds {
    const stance_codebook *cb;
    /* One per value slot of the codebook, then one per dimension (its applies unit): the
     * threshold moved, or NaN where the model's own holds. */
    double *at;
    int any; /* some threshold was moved */
};

/* The threshold of value slot v, or NaN if it was not moved (th may be NULL: none moved). */
double stance_thresholds_value(const stance_thresholds *th, size_t v);

/* The applies threshold of dimension d, or NaN if it was not moved (the model's own: 0.5). */
double stance_thresholds_applies(const stance_thresholds *th, size_t d);

/* 1 if some threshold was moved. */
int stance_thresholds_any(const stance_thresholds *th);

#endif
