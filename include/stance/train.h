/* train.h: from labeled passages to a model bundle, in process.
 *
 * Labeled passages are JSON Lines, one training unit per record (its text is not split):
 *   {"id": "kos-001", "text": "...", "topics": ["kosovo"], "tone": "confrontational"}
 * with one field per codebook dimension (codebook.h says how missing and null are read).
 *
 * For every unit (model.h) the records labeled on its dimension are its examples. C is fixed,
 * or chosen from a grid by stratified k-fold cross-validation (F1 for multi values, accuracy
 * for single dimensions). The out-of-fold decision values then give the decision threshold
 * (multi: the F1-optimal one) and the Platt sigmoid (calibrate_int.h); the final classifier is
 * trained on all examples. When no cut reaches a cross-validated F1 of STANCE_MIN_TUNED_F1
 * (a value with a handful of examples), a threshold below 0 is not trusted and the
 * classifier's own boundary, 0, is kept: otherwise such a value can fire on a large share of
 * all passages. A value without positive (or negative) examples is left untrained
 * and reported in the unit list.
 *
 * A single dimension's value units learn only from the passages where one of its values
 * applies. An optional dimension's applies unit learns from all the passages labeled on it
 * (positive: a value applies; negative: "[]", none does); its C is chosen by accuracy, its
 * sigmoid is fitted freely as for a pair of values, and it decides "applies" where the
 * sigmoid gives at least 0.5 (the threshold it records is that point, -b/a): with calibrated
 * probabilities that is the cut with the fewest expected errors, and the two errors, a value
 * named where none applies and one withheld where one does, weigh alike. Its cross-validation
 * report adds the abstention figures at that cut: "recall", the share of "none" passages held
 * back, and "precision", the share of held-back passages that were "none". Folds are drawn from a generator seeded with the seed and
 * the unit's number, so results do not depend on the number of threads. */
#ifndef STANCE_TRAIN_H
#define STANCE_TRAIN_H

#include <stddef.h>

#include "stance/codebook.h"
#include "stance/engine.h"
#include "stance/error.h"
#include "stance/labelcheck.h"
#include "stance/model.h"
#include "stance/vocab.h"

#define STANCE_MIN_TUNED_F1 0.05

/* How a multi value's decision threshold is drawn from its cross-validated decision values:
 * BEST_F1 (the default), the cut with the best F1; PLATEAU, the middle of the cuts whose F1 is
 * within STANCE_PLATEAU_TOL of the best (calibrate_int.h stance_threshold_plateau_f1); PLATT, where
 * a sigmoid fitted freely crosses 0.5, as for the applies unit; ZERO, the classifier's own
 * boundary. The sigmoid is then fitted with its midpoint at that threshold (except PLATT, whose
 * sigmoid is the one fitted), and the cross-validation report gives F1 at it. */
typedef enum {
    STANCE_THRESHOLD_BEST_F1 = 0,
    STANCE_THRESHOLD_PLATEAU,
    STANCE_THRESHOLD_PLATT,
    STANCE_THRESHOLD_ZERO
} stance_threshold_rule;

#define STANCE_PLATEAU_TOL 0.01

/* The default nb_beta: the interpolation of Wang and Manning's paper (nbweight_int.h). */
#define STANCE_NB_BETA 0.25

/* Most threads stance_train_run starts by default (threads 0): past a handful of cores the
 * engines' memory grows faster than the gain. */
#define STANCE_TRAIN_AUTO_THREADS 8

/* vocab.min_df 0 (the default) keeps features seen in at least STANCE_TRAIN_LARGE_MIN_DF
 * passages when there are STANCE_TRAIN_LARGE_SET passages or more, else in at least
 * STANCE_TRAIN_SMALL_MIN_DF. */
#define STANCE_TRAIN_LARGE_SET 2000
#define STANCE_TRAIN_LARGE_MIN_DF 5
#define STANCE_TRAIN_SMALL_MIN_DF 2

/* The rule's name ("best-f1", "plateau", "platt", "zero"), and back (0, or -1 if unknown). */
const char *stance_threshold_rule_name(stance_threshold_rule rule);
int stance_threshold_rule_parse(const char *name, stance_threshold_rule *rule);

/* Training settings; stance_train_options_default fills the documented defaults. */
typedef struct {
    stance_svm_options svm;
    double c;             /* default 1 */
    const double *c_grid; /* when not NULL, choose C among these by cross-validation */
    size_t n_c_grid;
    int folds;            /* default 3; 0: no cross-validation (threshold 0, Platt in-sample);
                           * a unit with fewer examples of one class gets that many (under 2:
                           * none; stance_model_get_unit_folds tells); 1 or below 0 is refused */
    unsigned long seed;   /* default 1 */
    int threads;          /* default 0: one per online core (sysconf), at most
                           * STANCE_TRAIN_AUTO_THREADS; results do not depend on it */
    int nb_weight;        /* scale features by NB log-count ratios (nbweight_int.h), computed per
                           * unit from its training examples (per fold in cross-validation) and
                           * folded into the saved weights; linear kernel only (default 0) */
    double nb_beta;       /* with nb_weight: interpolation of the weights with their mean
                           * magnitude (classifier_int.h stance_classifier_train_scaled); default
                           * STANCE_NB_BETA */
    stance_threshold_rule threshold_rule; /* default STANCE_THRESHOLD_BEST_F1 */
    stance_vocab_options vocab; /* vocab.h's defaults, but min_df 0: by the set's size */
    const char *language;  /* Snowball language, default "english" */
    const char *stopwords; /* NULL: built-in list; "none"; or a file path */
    /* NULL or "none": the plain stems only; else scoped copies of the stems for the units of
     * single dimensions (tone), named and joined by commas: "contrast" (the words after "but",
     * "however", ... to the end of the sentence), "negation" (the three words after "not",
     * "no", ...) and "last" (the last sentence): see the README's stance-train --scopes. Saved in the model's analyzer, so that
     * stance-tag makes the same copies; the units of multi dimensions (topics) give them no
     * weight. An unknown name is STANCE_ERR_USAGE. */
    const char *scopes;
    /* NULL: none; else the path of a lexicon of the parties (the README's stance-train --actors
     * gives the file format): copies "a:" + stem of the stems of every sentence that names two
     * of its sides, and one indicator of the passage ("a:#both", "a:#apart", "a:#one",
     * "a:#none"), for the units of single dimensions as the scopes' copies are. The stemmed
     * lexicon is saved in the model's analyzer. With scopes or actors, the scoped features are
     * scaled to unit length apart from the plain ones ("scope_norm": "apart" in the manifest),
     * so the units of multi dimensions see the vectors of a model without them. A file that
     * cannot be read is STANCE_ERR_IO, a bad one STANCE_ERR_DATA naming its line. */
    const char *actors;
    /* With actors: only the applies units of optional single dimensions (does a tone apply)
     * weigh the actor features; the value units (which tone) train with them masked out.
     * Recorded in the manifest's "training" as "actors_units": "applies". Without actors:
     * STANCE_ERR_USAGE. Default 0: every unit of a single dimension weighs them. */
    int actors_applies;
    /* When not NULL: filled with the out-of-fold scores of the training passages
     * (stance_train_cross_scores). */
    struct stance_cross_scores *cross_scores;
    /* When not NULL, every record is checked into it (labelcheck.h) and reading goes on past
     * bad records, so that all the file's problems are kept there; the check is finished
     * after the last record, and any error in it fails the run (STANCE_ERR_DATA) before
     * anything is trained. NULL: the first bad record fails the run. */
    stance_label_check *check;
    /* Called (serialised) with a line of progress, when not NULL. */
    void (*progress)(void *ctx, const char *message);
    void *progress_ctx;
} stance_train_options;

void stance_train_options_default(stance_train_options *opt);

/* Out-of-fold scores: for every record of a training file, in order, the calibrated scores
 * (model.h) that classifiers trained without it give. A unit's examples get the scores of its
 * cross-validation folds, through its sigmoid; a passage it did not learn from (a passage with
 * no value of a single dimension, for the dimension's value units) gets the final classifier's.
 * probs holds n * nvalues scores, the codebook's value slots of each record (a single
 * dimension's values: their probabilities if a value applies); applies holds n * ndims, the
 * probability that a value of an optional dimension applies. A score no cross-validated unit
 * gives (untrained, not labeled on the dimension, or a unit with fewer than two folds) is NaN;
 * applies is -1 for a dimension without an applies unit. */
typedef struct stance_cross_scores {
    size_t n, nvalues, ndims;
    double *probs;
    double *applies;
} stance_cross_scores;

/* Frees what stance_train_cross_scores filled in cs; a cleared cs (all zero) is allowed. */
void stance_cross_scores_clear(stance_cross_scores *cs);

/* Trains as stance_train_run does (the same settings and errors; opt->folds at least 2, else
 * STANCE_ERR_USAGE) and fills *cs with the out-of-fold scores of the records at path
 * (caller clears it with stance_cross_scores_clear). The model is not kept. */
stance_status stance_train_cross_scores(const stance_codebook *cb, const char *path,
                                        const stance_train_options *opt, stance_cross_scores *cs,
                                        stance_error *err);

/* Reads the labeled passages at path (name used in messages; read once, from start to end, so
 * a pipe will do), checks every label against cb, trains, and returns the model in *out
 * (caller frees with stance_model_free). STANCE_ERR_DATA for bad records (naming the line), an
 * empty training set or an empty vocabulary (min_df too high); STANCE_ERR_USAGE, before
 * reading anything, for nb_weight with a kernel other than linear, folds of 1 or below 0, a C
 * or a C of the grid that is not a positive finite number, or an empty grid. */
stance_status stance_train_run(const stance_codebook *cb, const char *path,
                               const stance_train_options *opt, stance_model **out,
                               stance_error *err);

#endif
