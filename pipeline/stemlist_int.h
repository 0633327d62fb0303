/* stemlist_int.h: filling a stem store (stemlist.h) straight from an analyzer's output, for
 * train.c, which keeps the stems of its training passages in one, and the size of a store
 * (stemlist.c). */
#ifndef STANCE_STEMLIST_INT_H
#define STANCE_STEMLIST_INT_H

#include <stddef.h>

#include "stance/stemlist.h"

/* Copies the n stems stems[i] (lens[i] bytes each) in as the next record. */
stance_status stance_stem_store_add_stems(stance_stem_store *s, const char *const *stems,
                                          const size_t *lens, size_t n, stance_error *err);

/* Number of records added. */
size_t stance_stem_store_count(const stance_stem_store *s);

#endif
