/* analyze_int.h: text to stems in one call (tokenize, drop stop words, stem), exactly as
 * stance-tokenize piped into stance-stem would give them; used by train and tag.
 * An analyzer holds a stemmer and scratch space: use one per thread. */
#ifndef STANCE_ANALYZE_INT_H
#define STANCE_ANALYZE_INT_H

#include <stddef.h>

#include "stance/error.h"
#include "stance/stem.h"

typedef struct stance_analyzer stance_analyzer;

/* A new analyzer for a Snowball language, with the built-in stop words (change them through
 * stance_analyzer_stemmer). Caller frees with stance_analyzer_free. */
stance_status stance_analyzer_new(const char *language, stance_analyzer **out, stance_error *err);

/* Frees the analyzer; NULL is allowed. */
void stance_analyzer_free(stance_analyzer *an);

/* The analyzer's stemmer (borrowed), to set its stop words. */
stance_stemmer *stance_analyzer_stemmer(stance_analyzer *an);

/* Analyzes text[0..len) (UTF-8). Afterwards *stems and *lens (borrowed, valid until the next
 * call) hold the *n stems. */
stance_status stance_analyzer_run(stance_analyzer *an, const char *text, size_t len,
                                  const char *const **stems, const size_t **lens, size_t *n,
                                  stance_error *err);

/* Where each stem of the last stance_analyzer_run came from: stem i is the token of source
 * bytes [spans[2i], spans[2i + 1]) of its text (borrowed, valid until the next run; NULL
 * before the first). */
const size_t *stance_analyzer_get_spans(const stance_analyzer *an);

#endif
