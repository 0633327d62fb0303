/* idset_int.h: a look into the id set for the tests (idset.c). */
#ifndef STANCE_IDSET_INT_H
#define STANCE_IDSET_INT_H

#include <stddef.h>

#include "stance/idset.h"

/* The most slots a look-up of an id in s visits (0 for an empty set). */
size_t stance_idset_longest_probe(const stance_idset *s);

#endif
