/* codebook_int.h: a codebook to and from JSON (a model bundle carries its codebook), compared,
 * and the targets of a labeled record (codebook.c). */
#ifndef STANCE_CODEBOOK_INT_H
#define STANCE_CODEBOOK_INT_H

#include <jansson.h>

#include "stance/codebook.h"
#include "stance/error.h"

/* Builds a codebook from parsed JSON; where names the source in messages (NULL: none). */
stance_status stance_codebook_from_json(const json_t *json, const char *where,
                                        stance_codebook **out, stance_error *err);

/* The codebook as JSON in the format of codebook.h (new reference; NULL on no memory). */
json_t *stance_codebook_to_json(const stance_codebook *cb);

/* 1 if a and b declare the same dimensions, kinds, optional flags and labels in the same
 * order. */
int stance_codebook_same(const stance_codebook *a, const stance_codebook *b);

/* Fills targets[value_count] from the label fields of rec: YES/NO per value, UNLABELED for
 * every value of a dimension the record does not label. STANCE_ERR_DATA naming where, line,
 * the dimension and the value for an unknown value, a wrong type, a "score" outside 0..1,
 * or a single dimension with other than one value ([] is allowed on an optional one). */
stance_status stance_codebook_targets(const stance_codebook *cb, const json_t *rec,
                                      const char *where, long line, signed char *targets,
                                      stance_error *err);

/* The targets t[dim->nvalues] that v, a record's field for dim (NULL when absent), gives: as
 * stance_codebook_targets does for one dimension. */
stance_status stance_dimension_targets(const stance_dimension *dim, const json_t *v,
                                       const char *where, long line, signed char *t,
                                       stance_error *err);

/* 1 if name is one of the record fields no dimension may be named after (codebook.h). */
int stance_codebook_is_record_field(const char *name);

/* Index of the dimension named name, or -1. */
long stance_codebook_find_dimension(const stance_codebook *cb, const char *name);

#endif
