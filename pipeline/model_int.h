/* model_int.h: what tag.c, train.c and the tests need of model.c beyond model.h: the model's
 * vocabulary, analyzer and manifest, prediction (with or without the absent values), and labels
 * as JSON values or as text. (How a model is filled: modelbuild_int.h.) */
#ifndef STANCE_MODEL_INT_H
#define STANCE_MODEL_INT_H

#include <jansson.h>

#include "analyze_int.h"
#include "jsonw_int.h"
#include "stance/model.h"
#include "stance/threshold.h"
#include "stance/vector.h"

/* The model's vocabulary (borrowed, valid while the model lives). */
const stance_vocab *stance_model_vocab(const stance_model *m);

/* 1 if the model's analyzer adds scoped copies (scopes or a lexicon of the parties), so a text
 * must go through stance_model_analyzer_new's analyzer whole, not word by word. */
int stance_model_has_scoped(const stance_model *m);

/* A new analyzer configured as the model was trained (language, stop words); one per thread.
 * Caller frees with stance_analyzer_free. */
stance_status stance_model_analyzer_new(const stance_model *m, stance_analyzer **out,
                                        stance_error *err);

/* Scores x: probs[v] for every value slot of the codebook (0 for untrained values; for a single
 * dimension, the probability of each value if one applies), and present[v] = 1 for the values
 * predicted (none for an optional dimension whose values do not apply). Both arrays have
 * stance_codebook_get_value_count slots. */
void stance_model_predict(const stance_model *m, const stance_vector *x, double *probs,
                          signed char *present);

/* stance_model_predict, except that the probabilities of values of multi dimensions that are
 * not present stay 0 (they are not written, and need no exp): what labels need. */
void stance_model_predict_present(const stance_model *m, const stance_vector *x, double *probs,
                                  signed char *present);

/* stance_model_predict for every value and applies unit, with thresholds: probs[v] as there, but
 * NaN for a value whose unit is untrained; applies[d] (one slot per dimension) the probability
 * that a value of optional single dimension d applies, NaN for other dimensions and an
 * untrained applies unit; present decided with the thresholds th moved (threshold.h; NULL or
 * none moved: the model's own, as stance_model_predict decides). */
void stance_model_predict_full(const stance_model *m, const stance_vector *x,
                               const stance_thresholds *th, double *probs, double *applies,
                               signed char *present);

/* Adds one field per dimension to rec from a prediction: for a multi dimension an array of
 * {"label", "score"} for the values present, highest score first; for a single dimension
 * {"label", "score"}, or null if its classifier is untrained or (optional dimension) no value
 * applies. STANCE_ERR_NOMEM on failure. */
stance_status stance_model_set_labels(const stance_model *m, const double *probs,
                                      const signed char *present, json_t *rec, stance_error *err);

/* Appends the value of dimension dim's field in a record (stance_model_set_labels: an array,
 * an object or null) to w as JSON text: the one writer of labels, which
 * stance_model_set_labels reads back. Returns 0 for a score that is not a number, or on no
 * memory. */
int stance_model_write_label(const stance_model *m, size_t dim, const double *probs,
                             const signed char *present, stance_jsonw *w);

/* The manifest as loaded, without "vocabulary" (stance_model_vocab has it); NULL for a model
 * trained in this process (borrowed; valid while the model lives). */
const json_t *stance_model_manifest(const stance_model *m);

#endif
