/* vector_int.h: building a vector feature by feature, and parsing the libsvm line format of
 * vector.h (vector.c). Parsing accepts any non-space label token, pairs separated by spaces or
 * tabs, and values strtod reads that are finite (a value too small for a double reads as 0 or a
 * subnormal). */
#ifndef STANCE_VECTOR_INT_H
#define STANCE_VECTOR_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/vector.h"

/* Appends a feature (no order check). STANCE_ERR_NOMEM on failure. */
stance_status stance_vector_push(stance_vector *v, int index, double value, stance_error *err);

/* Parses one line of the format (len bytes, a trailing newline allowed) into *label (a new
 * string the caller frees) and v (its contents replaced). STANCE_ERR_DATA naming where/line
 * and the column for an empty line, a malformed pair, an index below 1, above INT_MAX or not
 * increasing, or a value that is not a finite number; *label is NULL and v empty then. */
stance_status stance_vector_parse(const char *line, size_t len, const char *where, long lineno,
                                  char **label, stance_vector *v, stance_error *err);

#endif
