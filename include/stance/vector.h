/* vector.h: sparse feature vectors and libsvm's text format for them.
 *
 * One vector per line: a label, then index:value pairs, indices from 1 and strictly
 * increasing, so libsvm's and liblinear's own tools read the files too:
 *   1 4:0.2673 17:0.5345 230:0.8018
 * stance-vectorize writes the label 0 when a record has no label to give.
 * Writing prints values with "%.6g" (six significant digits: compact, and ample for the
 * weights of unit-length vectors). */
#ifndef STANCE_VECTOR_H
#define STANCE_VECTOR_H

#include <stddef.h>
#include <stdio.h>

#include "stance/error.h"

/* One non-zero feature. */
typedef struct {
    int index;    /* 1-based feature index */
    double value; /* its weight */
} stance_feature;

/* A sparse vector; storage the caller provides (init/clear). */
typedef struct {
    stance_feature *items; /* count features, indices strictly increasing */
    size_t count, cap;
} stance_vector;

/* Prepares an empty vector (no allocation). */
void stance_vector_init(stance_vector *v);

/* Frees the vector's storage; it is empty and reusable afterwards. */
void stance_vector_clear(stance_vector *v);

/* Writes "label index:value ..." and a newline. STANCE_ERR_IO if the write fails. */
stance_status stance_vector_write(FILE *f, const char *label, const stance_vector *v,
                                  const char *name, stance_error *err);

#endif
