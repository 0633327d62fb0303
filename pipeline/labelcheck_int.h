/* labelcheck_int.h: the near-miss tests of labelcheck.c, shared with import.c (a name that
 * looks like a dimension, a label that looks like a value), and the reader errors a training
 * run hands its check (train.c). */
#ifndef STANCE_LABELCHECK_INT_H
#define STANCE_LABELCHECK_INT_H

#include <stddef.h>

#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/labelcheck.h"

/* Levenshtein distance of a and b, ASCII letters compared without case; limit + 1 when it is
 * more than limit (or b is longer than 64 bytes: not worth measuring). */
size_t stance_edit_distance(const char *a, const char *b, size_t limit);

/* The dimension of cb that name looks like but is not (same name in other case, or within an
 * edit distance of 1 for names of up to 4 bytes, else 2), or -1. */
long stance_codebook_looks_like(const stance_codebook *cb, const char *name);

/* Keeps a reader's error for a line that was not a record (problem: a copy of *e). */
stance_status stance_label_check_add_error(stance_label_check *c, const stance_error *e,
                                           stance_error *err);

/* Whether a reader that failed with e can go on with the next line: a data error on a line it
 * has read whole (line), not a NUL byte or a line too long. */
int stance_label_check_can_go_on(const stance_error *e, long line);

#endif
