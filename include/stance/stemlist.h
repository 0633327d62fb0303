/* stemlist.h: the stems of passage records (the "stems" arrays stance-stem writes), as a
 * list for one record, borrowed from it, and as a store that keeps copies of many records'
 * stems in one buffer (to fit a vocabulary on all of them, then vectorize each). */
#ifndef STANCE_STEMLIST_H
#define STANCE_STEMLIST_H

#include <jansson.h>
#include <stddef.h>

#include "stance/error.h"

/* n stems: stems[i] (lens[i] bytes; NUL-terminated but may hold NULs), borrowed. */
typedef struct {
    const char **stems;
    size_t *lens;
    size_t n, cap;
} stance_stem_list;

void stance_stem_list_init(stance_stem_list *sl);
void stance_stem_list_clear(stance_stem_list *sl);

/* Points sl at rec's "stems" strings (borrowed: valid while rec lives). STANCE_ERR_DATA naming
 * where:line when there is no "stems" array or an element is not a string. */
stance_status stance_stem_list_from_record(stance_stem_list *sl, const json_t *rec,
                                           const char *where, long line, stance_error *err);

typedef struct stance_stem_store stance_stem_store;

stance_status stance_stem_store_new(stance_stem_store **out, stance_error *err);
void stance_stem_store_free(stance_stem_store *s);

/* Copies sl's stems in as the next record. */
stance_status stance_stem_store_add(stance_stem_store *s, const stance_stem_list *sl,
                                    stance_error *err);

/* Points sl at record i's stems (borrowed: valid until the next add). */
stance_status stance_stem_store_get(const stance_stem_store *s, size_t i, stance_stem_list *sl,
                                    stance_error *err);

#endif
