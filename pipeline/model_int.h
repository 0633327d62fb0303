/* model_int.h: the model bundle's insides, shared by model.c (files, prediction) and
 * train.c (which fills them). */
#ifndef STANCE_MODEL_INT_H
#define STANCE_MODEL_INT_H

#include <jansson.h>

#include "stance/calibrate.h"
#include "stance/engine.h"
#include "stance/model.h"

/* One binary classifier of the bundle (see model.h for which units a codebook has). */
typedef struct {
    size_t dim;   /* dimension index in the codebook */
    long value;   /* value index, or -1 for the pair model of a two-valued single dimension */
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
};

/* A model with the units cb calls for, all untrained; takes ownership of cb. */
stance_status stance_model_new_for(stance_codebook *cb, stance_model **out, stance_error *err);

#endif
