/* model_int.h: the model bundle's insides, shared by model.c (files, prediction), train.c
 * (which fills them) and tag.c (which writes labels as text). */
#ifndef STANCE_MODEL_INT_H
#define STANCE_MODEL_INT_H

#include <jansson.h>

#include "jsonw_int.h"
#include "stance/calibrate.h"
#include "stance/engine.h"
#include "stance/model.h"

/* One binary classifier of the bundle (see model.h for which units a codebook has). */
typedef struct {
    size_t dim;   /* dimension index in the codebook */
    long value;   /* value index, or -1 for the pair model of a two-valued single dimension */
    int applies;  /* the applies unit of an optional dimension (value -1): positive when one
                   * of its values applies, negative when none does */
    int trained;
    char why_not[160];
    stance_classifier *cl;
    double c, threshold;
    stance_platt platt;
    json_t *cv; /* cross-validation figures (owned), or NULL */
} stance_unit;

struct stance_model {
    stance_codebook *cb;
    stance_vocab *vocab;
    char *language;
    char **stopwords;
    size_t nstop;
    stance_svm_options svm;
    stance_unit *units;
    size_t nunits;
    json_t *training; /* what the model was trained from and how (owned) */
    json_t *manifest; /* as loaded, or NULL for a model trained in this process */
    /* A loaded bundle whose trained units are all linear keeps their weights here instead of
     * in classifiers, feature by feature, so prediction reads one row per feature of x:
     * weights[(i - 1) * stride + c] is feature i's weight in column c, the c-th trained unit
     * (units[col_unit[c]]); stride >= ncols, extra columns hold zeros. NULL otherwise.
     * Weights are kept as floats: the unit files hold 9 significant digits, a float keeps 7,
     * and the matrix takes half the memory and half the cache lines a row at a time; the sums
     * are still made in double. */
    float *weights;
    double *biases;
    size_t *col_unit;
    size_t ncols, stride, nrows;
};

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

/* A model with the units cb calls for, all untrained; takes ownership of cb. */
stance_status stance_model_new_for(stance_codebook *cb, stance_model **out, stance_error *err);

#endif
