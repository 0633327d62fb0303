/* modelbuild_int.h: building a model in process. model.c alone fills a stance_model; the
 * trainer (train.c) gets the units the codebook calls for, trains its own copies of them and
 * hands them back, with the vocabulary and the settings, through the calls below. */
#ifndef STANCE_MODELBUILD_INT_H
#define STANCE_MODELBUILD_INT_H

#include <jansson.h>

#include "actors_int.h"
#include "calibrate_int.h"
#include "classifier_int.h"
#include "stance/engine.h"
#include "stance/model.h"
#include "stance/stem.h"

/* One binary classifier of the bundle (see model.h for which units a codebook has): a plain
 * record, which model.c keeps one of per unit and a trainer fills one of per unit. */
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

/* A model with the units cb calls for, all untrained; takes ownership of cb. */
stance_status stance_model_new_for(stance_codebook *cb, stance_model **out, stance_error *err);

/* Sets u up as unit i of m, untrained: its dimension, value and applies mark, nothing else.
 * The caller owns what it then puts in u (classifier, cv) until stance_model_set_unit. */
void stance_unit_init(stance_unit *u, const stance_model *m, size_t i);

/* Makes u, unit i as stance_unit_init set it up and since trained, m's unit i: its classifier
 * and cv become m's (u's pointers are set to NULL); what m's unit i held is freed. */
void stance_model_set_unit(stance_model *m, size_t i, stance_unit *u);

/* Gives m its vocabulary (m frees it; what it had is freed). */
void stance_model_set_vocab(stance_model *m, stance_vocab *vocab);

/* The SVM settings the units were trained with (copied). */
void stance_model_set_svm(stance_model *m, const stance_svm_options *svm);

/* Copies the analyzer settings the units were trained with: the Snowball language and st's
 * stop words. STANCE_ERR_NOMEM ("model") on failure, m then keeping what it had. */
stance_status stance_model_set_analyzer(stance_model *m, const char *language,
                                        const stance_stemmer *st, stance_error *err);

/* The analyzer's scoped copies the units were trained with (STANCE_SCOPE_* of analyze_int.h). */
void stance_model_set_scopes(stance_model *m, unsigned scopes);

/* Gives m the analyzer's lexicon of the parties (stemmed; m frees it; NULL: none). */
void stance_model_set_actors(stance_model *m, stance_actors *actors);

/* 1: the scoped features (scopes, actors) were normalised apart from the plain ones
 * (stance_vocab_set_blocks), recorded as the analyzer's "scope_norm": "apart"; 0: one shared
 * norm, as bundles from before it was recorded. (Training sets the vocabulary's blocks.) */
void stance_model_set_norm_apart(stance_model *m, int apart);

/* Gives m the manifest's "training" section (m releases it; what it had is released). */
void stance_model_set_training(stance_model *m, json_t *training);

#endif
