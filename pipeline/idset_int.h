/* idset_int.h: adding ids to the set, and a look into it for the tests (idset.c). */
#ifndef STANCE_IDSET_INT_H
#define STANCE_IDSET_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/idset.h"

/* Adds id, seen at where:line (line 0: a whole file). If the set already holds it, nothing is
 * added and the result is STANCE_ERR_DATA at where:line, naming the first place. */
stance_status stance_idset_add(stance_idset *s, const char *id, const char *where, long line,
                               stance_error *err);

/* The most slots a look-up of an id in s visits (0 for an empty set). */
size_t stance_idset_longest_probe(const stance_idset *s);

#endif
