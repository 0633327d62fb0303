/* model_int.h: what tag.c needs of model.c beyond model.h: prediction without the absent
 * values, and labels written as text. (How a model is filled: modelbuild_int.h.) */
#ifndef STANCE_MODEL_INT_H
#define STANCE_MODEL_INT_H

#include "jsonw_int.h"
#include "stance/model.h"

/* stance_model_predict, except that the probabilities of values of multi dimensions that are
 * not present stay 0 (they are not written, and need no exp): what labels need. */
void stance_model_predict_present(const stance_model *m, const stance_vector *x, double *probs,
                                  signed char *present);

/* Appends the value of dimension dim's field in a record (model.h, stance_model_set_labels:
 * an array, an object or null) to w as JSON text: the one writer of labels, which
 * stance_model_set_labels reads back. Returns 0 for a score that is not a number, or on no
 * memory. */
int stance_model_write_label(const stance_model *m, size_t dim, const double *probs,
                             const signed char *present, stance_jsonw *w);

#endif
