/* model.h: a trained model bundle: loading, checking and saving it, and what it holds.
 *
 * A bundle is a directory:
 *   manifest.json    {"format": "stance-model", "version": 1, "codebook": {...},
 *                     "analyzer": {"tokenizer": 1, "language": "english", "stopwords": [...]},
 *                     "vocabulary": {...vocab.h format...}, "svm": {"engine": ..., "kernel": ...},
 *                     "units": [{"dimension": "topics", "value": "kosovo", "trained": true,
 *                                "file": "unit-0.txt", "sha256": "...", "bytes": 461, "c": 1, "threshold": -0.21,
 *                                "platt": {"a": -4.1, "b": -0.86}, "cv": {...}}, ...],
 *                     "training": {...}, "versions": {...}}
 *   unit-<k>.txt     a linear classifier (classifier_int.h), or unit-<k>.svm, a libsvm kernel model
 * That is format version 1. Version 2 keeps the weights of a bundle whose trained units are all
 * linear in one binary file instead:
 *   "weights": {"file": "weights.bin", "sha256": "...", "bytes": N, "features": F,
 *               "columns": C} in the manifest, and each trained unit {"column": k, "c": ...}
 *               in place of its "file", "sha256" and "bytes"
 *   weights.bin      the little-endian float32 matrix (layout: pipeline/weightfile_int.h),
 *                    mapped read-only at load, its size, header and biases checked then, its
 *                    SHA-256 by stance_model_verify
 * A version 2 bundle with a kernel unit has unit files as in version 1. Version 3, which
 * stance_model_save writes by default, is version 2 with the vocabulary in a binary file too:
 *   "vocabulary": {"file": "vocab.bin", "sha256": "...", "bytes": N, "terms": T}
 *   vocab.bin        terms, df, idf and the hash tables that vectorizing looks stems and bigrams
 *                    up in (layout: pipeline/vocabfile_int.h), mapped read-only at load with
 *                    only its size and header checked, so start-up does no work per term;
 *                    stance_model_verify checks its SHA-256 and every entry
 * The analyzer may also hold "scopes": ["contrast", "negation", "last"] (any; absent: none),
 * the scoped copies of stems stance-train --scopes added (pipeline/analyze_int.h), which
 * tagging then adds too; an unknown or repeated name is refused at load. It may hold
 * "actors": [{"side": "russia", "stems": ["russia", "moscow", ...]}, {"side": "west", ...}],
 * the stemmed lexicon of the parties of stance-train --actors (pipeline/actors_int.h: at least
 * two sides, none repeated, no stem on two sides), whose actor features tagging adds too; and
 * "scope_norm": "apart" (scoped features scaled to unit length apart from the plain ones,
 * what stance-train writes with scopes or actors) or "shared" (one norm; also when absent, as
 * bundles trained before it was recorded). Any other field of the analyzer is refused at load:
 * features this stance cannot make would give other scores.
 * One unit is one binary classifier: one per value of a multi dimension; one per single
 * dimension with two values (positive = its first value); one per value (one-vs-rest) of a
 * single dimension with more. An optional single dimension (codebook.h) has one more unit
 * after those, the applies unit, listed as {"dimension": "tone", "value": null,
 * "applies": true, ...}: positive where one of the dimension's values applies, negative where
 * none does; the others are trained on the passages where a value applies. Loading checks the
 * format and version, every field (the units must be those the codebook calls for, in order,
 * applies units included), and each unit file's SHA-256 and size ("bytes"; bundles written
 * before it was recorded still load, their unit files read up to 1 GiB), so a truncated or
 * altered bundle is refused with the file named. The directory is
 * opened once and every file is read from it, once, and only if it is a regular file in it
 * (not a symbolic link, FIFO, device, socket or directory): the bytes checked are the bytes
 * parsed. The directory itself may be a link. Bundles are written to a temporary directory
 * beside the target and renamed into place (stance_model_save says what may be replaced); a
 * load that overlaps such a replacement reads the old bundle or the new one, whole.
 *
 * Scores are calibrated probabilities (Platt scaling). A multi value is present when its score
 * is at least 0.5; a single dimension takes its most probable value, except that an optional
 * one takes none when its applies unit's probability is below 0.5. These thresholds can be
 * moved at tag time (threshold.h). */
#ifndef STANCE_MODEL_H
#define STANCE_MODEL_H

#include <stddef.h>

#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/vocab.h"

/* Threads: once loaded (or trained), a model is only read, by every function that takes it as
 * const, so any number of threads may use one model at once, with its codebook and vocabulary:
 * stance-tag -j gives each thread its own tagger (tag.h) over one shared model. It must
 * outlive them all, and is freed by one thread after the others are done with it. */
typedef struct stance_model stance_model;

/* Reads and checks the bundle in dir (see above). STANCE_ERR_IO if it cannot be read,
 * STANCE_ERR_DATA naming the file for anything malformed or not a regular file of the bundle.
 * If the bundle is replaced while being read (its old files removed), the new one is read, a
 * few times at most. Caller frees with stance_model_free. */
stance_status stance_model_load(const char *dir, stance_model **out, stance_error *err);

/* Writes the bundle to dir atomically: a temporary directory beside it ("<dir>.tmp.XXXXXX",
 * locked while written), renamed into place. Trailing slashes are ignored. dir may name
 * nothing yet, an empty directory or a stance bundle whose entries are all files its manifest
 * ("format": "stance-model") lists; it is swapped out and those files alone are removed.
 * Anything else -- a symbolic link (not followed), a file, a directory with another manifest
 * or with a file the manifest does not list -- is refused (STANCE_ERR_IO naming dir, nothing
 * touched), and so is "", "/", "." or ".." (STANCE_ERR_USAGE). */
stance_status stance_model_save(const stance_model *m, const char *dir, stance_error *err);

/* The bundle format stance_model_save writes: 3 (the default) keeps the vocabulary in
 * vocab.bin and the weights of linear units in weights.bin, binary files mapped at load
 * (start-up does not grow with the model); 2 only the weights (the vocabulary as JSON in the
 * manifest); 1 one text file per unit. STANCE_ERR_USAGE for another number. */
stance_status stance_model_set_format(stance_model *m, int version, stance_error *err);

/* Checks what loading checks only cheaply: the SHA-256 of a format 3 bundle's vocab.bin and
 * every entry in it (vocabfile_int.h), and the SHA-256 of a format 2 or 3 bundle's weights.bin
 * and that every weight in it is finite (STANCE_ERR_DATA naming the file). Loading checks their
 * sizes and headers; format 1 unit files are checked whole when read, so for them this
 * has nothing more to do. */
stance_status stance_model_verify(const stance_model *m, stance_error *err);

/* Checks, before any training, that stance_model_save could write dir: the same refusals,
 * and its parent is a directory where a temporary directory can be made (STANCE_ERR_IO). */
stance_status stance_model_check_target(const char *dir, stance_error *err);

/* Removes the temporaries a killed save left beside dir: directories "<dir>.tmp.XXXXXX" and
 * "<dir>.old.XXXXXX" last changed before since (the caller's start), that no save in
 * progress holds, and that hold only files a bundle has (manifest.json, unit-<k>.txt or
 * .svm), none changed since. Tells removed (may be NULL) each path. Only running out of memory
 * is an error. */
stance_status stance_model_remove_stale(const char *dir, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err);

/* Frees the model; NULL is allowed. */
void stance_model_free(stance_model *m);

/* Checks that the model was trained with the codebook in the file at path: STANCE_ERR_DATA
 * if it declares other dimensions or values. */
stance_status stance_model_check_codebook(const stance_model *m, const char *path,
                                          stance_error *err);

/* The model's codebook (borrowed, valid while the model lives). */
const stance_codebook *stance_model_get_codebook(const stance_model *m);

/* Number of units, and for unit i: its dimension, its value label (NULL for the pair model of
 * a two-valued single dimension and for an applies unit), whether it was trained, and why not
 * (borrowed strings). */
size_t stance_model_get_unit_count(const stance_model *m);
void stance_model_get_unit_info(const stance_model *m, size_t i, const char **dimension,
                                const char **value, int *trained, const char **why_not);

/* How many cross-validation folds unit i was calibrated with: 0 for none (untrained, --folds 0,
 * or too few examples of one class), else at most the folds asked for. */
int stance_model_get_unit_folds(const stance_model *m, size_t i);

/* 1 if unit i is the applies unit of an optional dimension, else 0. */
int stance_model_get_unit_applies(const stance_model *m, size_t i);

/* What cross-validation measured of unit i's decisions, for prevalence estimates
 * (prevalence.h). The manifest's "cv" object of a unit trained with cross-validation holds
 * "tpr" and "fpr" (the true- and false-positive rates of its out-of-fold decisions), and
 * "score_pos" and "score_neg" (its mean out-of-fold calibrated score over the positive and over
 * the negative examples), beside the example counts ("positives"/"negatives" for a multi
 * value, "first"/"second" for a single dimension's value unit, "applies"/"none" for an applies
 * unit). Bundles from before these fields still load: a multi value's tpr and fpr are then
 * derived from its cv precision and recall (derived = 1), and the scores are unknown. */
typedef struct {
    int rates;           /* tpr, fpr, positives and negatives are known */
    int derived;         /* tpr and fpr derived from precision and recall (older bundles) */
    int scores;          /* score_pos and score_neg are known */
    double tpr, fpr;     /* P(decided positive | positive), P(decided positive | negative) */
    double score_pos, score_neg; /* mean calibrated score of the positives, of the negatives */
    double positives, negatives; /* how many of each the figures come from */
} stance_unit_rates;

/* Fills *out for unit i (all unknown for an untrained unit, one without cross-validation, or
 * figures out of range). */
void stance_model_get_unit_rates(const stance_model *m, size_t i, stance_unit_rates *out);
/* The model's vocabulary (borrowed, valid while the model lives). */
const stance_vocab *stance_model_get_vocab(const stance_model *m);

/* 1 if unit i is trained and linear: its decision value is f(x) = bias + sum of weight(j) x_j
 * over the features j of x, with the bias and weights below, exactly (the same numbers, which
 * prediction adds in the order of x's features). 0 for an untrained unit or a kernel model. */
int stance_model_get_unit_linear(const stance_model *m, size_t i);

/* The bias of linear unit i, and its weight of feature (1-based, as in the vocabulary); 0 for
 * a unit that is not linear and for a feature out of range. A unit trained with --nb-weight
 * gives the weights it scores x with (the Naive Bayes ratios folded in). */
double stance_model_get_unit_bias(const stance_model *m, size_t i);
double stance_model_get_unit_weight(const stance_model *m, size_t i, int feature);

/* Trained unit i's C, decision threshold and Platt sigmoid (p = 1 / (1 + exp(a f + b))); all 0
 * for an untrained unit. */
void stance_model_get_unit_calibration(const stance_model *m, size_t i, double *c,
                                       double *threshold, double *platt_a, double *platt_b);

/* The probability trained unit i gives the positive class at decision value f (its Platt
 * sigmoid), as predictions compute it. */
double stance_model_get_unit_probability(const stance_model *m, size_t i, double f);

/* The manifest as loaded, without its "vocabulary" (which stance_model_get_vocab holds; a
 * format 3 manifest keeps its small "vocabulary" entry naming vocab.bin), for
 * what the accessors above do not give ("training", "svm", "analyzer", the units' "cv");
 * NULL for a model trained in this process (borrowed; valid while the model lives). */
const json_t *stance_model_get_manifest(const stance_model *m);

#endif
