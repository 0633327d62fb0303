/* labelcheck.h: a labeled training file checked whole against its codebook, every problem kept
 * (stance-train --check, and every training run before it trains).
 *
 * Errors (the file is not trained on):
 * - a line that is not a record (invalid JSON, not an object, bad UTF-8), a record without a
 *   "text" string, an "id" of another type than string or integer, or an id seen before;
 * - a value a dimension does not have, or of the wrong shape (codebook.h), one per dimension;
 * - a field that is not a dimension but looks like one: the same name in other case, or within
 *   a small edit distance (1 for names of up to 4 bytes, else 2), reported once with the first
 *   line and the number of records ("`tone`: not a dimension of this codebook; did you mean
 *   `tone3`?"); and a "label" or "labels" field on a record that labels no dimension, the shape
 *   of an annotation tool's export (stance-import converts those).
 * Warnings: a text given again with other labels on a dimension both records label (several
 * annotators of one passage: stance-import --resolve makes one record of them; or a corpus that
 * files one text twice, as Reuters-21578 does); a value with fewer labeled passages than the
 * minimum (and, for an optional dimension or a multi one, the passages where none applies).
 * Counts: per dimension, its labeled passages; per value, those where it applies. */
#ifndef STANCE_LABELCHECK_H
#define STANCE_LABELCHECK_H

#include <jansson.h>
#include <stddef.h>

#include "stance/codebook.h"
#include "stance/error.h"

/* The minimum number of labeled passages per value below which a warning is given. */
#define STANCE_CHECK_MIN_EXAMPLES 10

typedef struct stance_label_check stance_label_check;

/* One problem found: an error, or a warning (the file is still trained on). */
typedef struct {
    int warning;
    stance_error error; /* where, line (0: the whole file) and message */
} stance_label_problem;

/* A new check against cb (borrowed: it must outlive the check), warning below min_examples
 * labeled passages per value. Caller frees *out with stance_label_check_free. */
stance_status stance_label_check_new(const stance_codebook *cb, long min_examples,
                                     stance_label_check **out, stance_error *err);

/* Frees the check; NULL is allowed. */
void stance_label_check_free(stance_label_check *c);

/* Checks rec, read at where:line, keeping the problems found, and fills targets (value count
 * slots, as stance_codebook_targets does). *usable is 1 when the record has no error of its own
 * (a later text conflict may still make it one). Only STANCE_ERR_NOMEM is returned. */
stance_status stance_label_check_add(stance_label_check *c, const json_t *rec, const char *where,
                                     long line, signed char *targets, int *usable,
                                     stance_error *err);

/* Ends the check of the file where: adds the problems seen over all records (look-alike fields,
 * values with few passages). Call once, after the last record. */
stance_status stance_label_check_finish(stance_label_check *c, const char *where,
                                        stance_error *err);

/* Reads the labeled file at path (whole, once: a pipe will do), checks every record and
 * finishes the check. STANCE_ERR_IO if it cannot be read, STANCE_ERR_NOMEM; problems in the
 * data are not failures (see the getters). */
stance_status stance_label_check_load(stance_label_check *c, const char *path,
                                      stance_error *err);

/* The problems kept, in the order found (borrowed, valid while c lives), and how many are
 * errors. */
size_t stance_label_check_get_problem_count(const stance_label_check *c);
const stance_label_problem *stance_label_check_get_problem(const stance_label_check *c, size_t i);
size_t stance_label_check_get_error_count(const stance_label_check *c);

/* Records read (lines that were records, with or without errors). */
size_t stance_label_check_get_record_count(const stance_label_check *c);

/* For dimension d of the codebook: the passages labeled on it, those where none of its values
 * applies ([]), and those where value v applies. */
size_t stance_label_check_get_labeled(const stance_label_check *c, size_t d);
size_t stance_label_check_get_none(const stance_label_check *c, size_t d);
size_t stance_label_check_get_value(const stance_label_check *c, size_t d, size_t v);

#endif
