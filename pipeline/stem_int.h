/* stem_int.h: a stemmer's stop words one by one (a model bundle lists them), stemming without
 * the stop-word test, and the cache size (stem.c). */
#ifndef STANCE_STEM_INT_H
#define STANCE_STEM_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/stem.h"

/* Adds one stop word (copied). STANCE_ERR_NOMEM on failure. */
stance_status stance_stemmer_add_stopword(stance_stemmer *st, const char *word, size_t len,
                                          stance_error *err);

/* Number of stop words, and stop word i (borrowed; in the order they were added). */
size_t stance_stemmer_stopword_count(const stance_stemmer *st);
const char *stance_stemmer_stopword(const stance_stemmer *st, size_t i);

/* Returns 1 if word (len bytes) is a stop word. */
int stance_stemmer_is_stopword(const stance_stemmer *st, const char *word, size_t len);

/* Caps the cache at words distinct words (0: no cache; STANCE_STEM_CACHE_MAX when the stemmer
 * is made); words already cached stay. For a caller with a cache of its own. */
void stance_stemmer_set_cache_max(stance_stemmer *st, size_t words);

/* Stems word (len bytes). Returns the stem (NUL-terminated, length in *stem_len), borrowed and
 * valid until the next call on st; NULL if memory runs out. */
const char *stance_stemmer_stem(stance_stemmer *st, const char *word, size_t len,
                                size_t *stem_len);

#endif
