/* idset.h: the record ids seen so far in a stream of records, to refuse a duplicate with a
 * message that names where the id was first seen. Used by stance-train (labeled passages) and
 * by the article walkers of stance-tokenize and stance-tag (across all their arguments), since a
 * repeated id would make the outputs of those stages ambiguous to join on. Ids are kept as
 * 128-bit fingerprints, 24 bytes a slot whatever their length (idset.c). A stage makes the set
 * and hands it to stance_input_walk (input.h), which adds each article's id. */
#ifndef STANCE_IDSET_H
#define STANCE_IDSET_H

#include "stance/error.h"

typedef struct stance_idset stance_idset;

/* A new, empty set; the caller frees it with stance_idset_free. */
stance_status stance_idset_new(stance_idset **out, stance_error *err);

/* Frees the set; NULL is allowed. */
void stance_idset_free(stance_idset *s);

#endif
