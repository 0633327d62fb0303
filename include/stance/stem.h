/* stem.h: Snowball stemming (libstemmer) with a cache of frequent words, and stop words.
 *
 * Most tokens in news text are a few thousand frequent words, so each distinct word is
 * stemmed once and remembered (up to STANCE_STEM_CACHE_MAX words; later new words are
 * stemmed every time). Tokens longer than STANCE_STEM_MAX_BYTES are passed through unstemmed.
 *
 * Stop words are compared with the token text (already lower-cased by the tokenizer). The
 * built-in English list holds function words only: articles, pronouns, auxiliaries,
 * prepositions and conjunctions. Negations and words such as "against" are kept on purpose,
 * because they carry tone. A stop word file has one word per line; blank lines and lines
 * starting with '#' are ignored. */
#ifndef STANCE_STEM_H
#define STANCE_STEM_H

#include <stddef.h>

#include "stance/error.h"

#define STANCE_STEM_CACHE_MAX 500000
#define STANCE_STEM_MAX_BYTES 256

typedef struct stance_stemmer stance_stemmer;

/* NULL-terminated list of the algorithms libstemmer provides (static storage). */
const char **stance_stem_get_languages(void);

/* Creates a stemmer for a libstemmer algorithm name ("english", "russian", ...), with the
 * built-in English stop words. STANCE_ERR_USAGE for an unknown language.
 * Caller frees *out with stance_stemmer_free. */
stance_status stance_stemmer_new(const char *language, stance_stemmer **out, stance_error *err);

/* Frees the stemmer; NULL is allowed. */
void stance_stemmer_free(stance_stemmer *st);

/* Replaces the stop words with those in the file at path (STANCE_ERR_IO if unreadable,
 * STANCE_ERR_DATA naming the line for invalid UTF-8 or NUL bytes). */
stance_status stance_stemmer_load_stopwords(stance_stemmer *st, const char *path,
                                            stance_error *err);

/* Removes all stop words. */
void stance_stemmer_clear_stopwords(stance_stemmer *st);

/* Stems word (len bytes) unless it is a stop word, hashing the word once. Returns 1 and sets
 * *stem (NUL-terminated, borrowed and valid until the next call on st) and *stem_len; 0 if word
 * is a stop word (*stem NULL, *stem_len 0); -1 if memory runs out. */
int stance_stemmer_stem_content(stance_stemmer *st, const char *word, size_t len,
                                const char **stem, size_t *stem_len);

#endif
