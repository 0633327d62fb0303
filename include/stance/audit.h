/* audit.h: the labels of a training file that look wrong, by confident learning on
 * out-of-fold scores (Northcutt, Jiang and Chuang 2021).
 *
 * Every labeled passage is scored by classifiers that did not learn from it
 * (stance_train_cross_scores, with the training settings). Each label is then a small
 * classification task with its classes: a multi value (present, absent); a single dimension
 * (its values, and "none" when it is optional). A class's threshold is the mean out-of-fold
 * score of the passages given that class. A passage's given class is contradicted when, of
 * the classes whose score reaches their threshold, the one with the highest score is another:
 * that one is suggested, and the margin (its score minus the given class's) ranks the
 * passages, most confident first, over all labels. One record per contradicted label:
 *   {"id":"kos-001","line":12,"dimension":"topics","given":["kosovo"],
 *    "suggested":["kosovo","abm"],"score":0.9312,"rank":1,"text":"..."}
 * given and suggested are the dimension's labels as a training file gives them (a list for a
 * multi dimension, a value or [] for a single one); score is the out-of-fold score of what is
 * suggested (for a value dropped: the probability that it is absent); id is null when the
 * record has none, line is its line in the file. */
#ifndef STANCE_AUDIT_H
#define STANCE_AUDIT_H

#include <stddef.h>
#include <stdio.h>

#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/suggest.h"
#include "stance/train.h"

/* One contradicted label. */
typedef struct {
    size_t record;    /* 0-based record of the training file */
    size_t dim;       /* dimension */
    long value;       /* multi: the value added or dropped; single: -1 */
    size_t given;     /* the given class: multi 0 absent, 1 present; single: a value, or
                       * nvalues for none */
    size_t suggested; /* the suggested class, as given */
    double score;     /* out-of-fold score of the suggested class */
    double margin;    /* score minus the given class's */
} stance_audit_flag;

/* Confident learning on out-of-fold scores (cs, from stance_train_cross_scores) and the
 * targets of the same records (cs->n * cs->nvalues, stance_codebook_targets). *flags (caller
 * frees with free) gets the *n contradicted labels, highest margin first (ties in record,
 * dimension and value order). A label without a score (NaN) or not labeled takes no part.
 * STANCE_ERR_NOMEM. */
stance_status stance_audit_find(const stance_codebook *cb, const signed char *targets,
                                const stance_cross_scores *cs, stance_audit_flag **flags,
                                size_t *n, stance_error *err);

typedef struct {
    stance_train_options train; /* the cross-validation's settings (folds at least 2) */
    size_t max;                 /* records written, the best ranked (0: all) */
    stance_task_format format;  /* as for stance-suggest; the pre-annotations are the
                                 * passage's labels with the suggestion applied */
} stance_audit_options;

/* Audits the training file at path (read twice: a regular file) against cb and writes the
 * records (above) to f (name in messages). *written (may be NULL) gets how many. Errors as
 * stance_train_cross_scores; STANCE_ERR_DATA if the file changed between the two reads. */
stance_status stance_audit_run(const stance_codebook *cb, const char *path,
                               const stance_audit_options *opt, FILE *f, const char *name,
                               size_t *written, stance_error *err);

#endif
