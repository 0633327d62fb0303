/* analyze_int.h: text to stems in one call (tokenize, drop stop words, stem), exactly as
 * stance-tokenize piped into stance-stem would give them; used by train and tag.
 * An analyzer holds a stemmer and scratch space: use one per thread. */
#ifndef STANCE_ANALYZE_INT_H
#define STANCE_ANALYZE_INT_H

#include <stddef.h>

#include "actors_int.h"
#include "stance/error.h"
#include "stance/stem.h"
#include "stance/tokenize.h"

typedef struct stance_analyzer stance_analyzer;

/* A new analyzer for a Snowball language, with the built-in stop words (change them through
 * stance_analyzer_stemmer). Caller frees with stance_analyzer_free. */
stance_status stance_analyzer_new(const char *language, stance_analyzer **out, stance_error *err);

/* Frees the analyzer; NULL is allowed. */
void stance_analyzer_free(stance_analyzer *an);

/* The analyzer's stemmer (borrowed), to set its stop words. */
stance_stemmer *stance_analyzer_stemmer(stance_analyzer *an);

/* Scoped copies of stems, for features that see clause structure (bit flags, 0 = none):
 * STANCE_SCOPE_CONTRAST  every stem after a contrast marker ("but", "however", "yet", "though",
 *                        "although", "despite", "nevertheless", "still") up to the end of its
 *                        sentence (".", "!", "?" or ";" between tokens) gets a second copy,
 *                        "c:" + stem;
 * STANCE_SCOPE_NEGATION  the STANCE_NEGATION_SPAN stems after a negation ("not", "no", "never",
 *                        "nor", "without", "cannot", a word ending in "n't"), up to any
 *                        punctuation between tokens, get a copy "n:" + stem;
 * STANCE_SCOPE_LAST      the stems of the passage's last sentence get a copy "l:" + stem, when
 *                        there is a sentence before it (a one-sentence passage gets none).
 * Markers are matched on the tokens before stop words are dropped, so a stop list does not hide
 * them; a marker is not copied into the scope it opens, but is into one already open ("but
 * not" gives "c:not"); the copies are of kept stems only. The copies follow all the passage's plain stems
 * in text order, so the plain unigrams and bigrams stay as they were (the vocabulary makes no
 * bigram across the end of one block and the start of the next: vocab.h); a copy's span is
 * its stem's. ":" never occurs in a token, so a copy cannot collide with a plain stem. */
#define STANCE_SCOPE_CONTRAST 1u
#define STANCE_SCOPE_NEGATION 2u
#define STANCE_SCOPE_LAST 4u
#define STANCE_SCOPE_ALL (STANCE_SCOPE_CONTRAST | STANCE_SCOPE_NEGATION | STANCE_SCOPE_LAST)
#define STANCE_NEGATION_SPAN 3

/* STANCE_SCOPE_ACTORS, set by stance_analyzer_set_actors rather than by name: with a lexicon of
 * the parties (actors_int.h), a token names the side its stem is listed on (stop words too), and
 * every kept stem of a sentence that names two different sides gets a copy "a:" + stem, after
 * the copies of the other scopes. Sentences end as for the contrast scope, except at a period
 * right after an abbreviation ("U.S. officials": a token of letters and periods), which ends
 * none. Last comes one indicator of the whole passage: "a:#both" (some sentence names two
 * sides), "a:#apart" (two sides named, never in one sentence), "a:#one" (one side named) or
 * "a:#none"; its span is the passage's tokens, first to last. */
#define STANCE_SCOPE_ACTORS 8u

/* Shared with stance-tag's word-by-word path for a lexicon without other scopes (tag.c), which
 * must give the same copies as stance_analyzer_run: */
/* The gap before token i (> 0) of toks, tokens of text[0..len), as the actor scope reads it: 2
 * when it ends a sentence (1 a clause, 0 neither; a token after 1 or 2 starts no name of two
 * words). */
int stance_analyzer_actor_break(const char *text, size_t len, const stance_tokens *toks, size_t i);

/* The side (a bit, or 0) of the name of two words whose stems are prev[0..plen) then
 * stem[0..slen), for two tokens in a row. */
unsigned stance_analyzer_pair_sides(const stance_actors *actors, const char *prev, size_t plen,
                                    const char *stem, size_t slen);

/* The indicator ("a:#both", ...) of a text where some sentence named two sides (both) and the
 * sides (bits) all were named. */
const char *stance_analyzer_actor_indicator(int both, unsigned all);

/* The analyzer's lexicon (borrowed; NULL: none) and STANCE_SCOPE_* scopes. */
const stance_actors *stance_analyzer_get_actors(const stance_analyzer *an);
unsigned stance_analyzer_get_scopes(const stance_analyzer *an);

/* Parses a list of scopes, "none" or names joined by commas ("contrast", "negation", "last"), into
 * STANCE_SCOPE_* flags: 0, or -1 for an empty list, an unknown or repeated name. */
int stance_analyzer_scopes_parse(const char *list, unsigned *scopes);

/* The name of one STANCE_SCOPE_* flag ("contrast", "negation", "last"), or NULL. */
const char *stance_analyzer_scope_name(unsigned scope);

/* Sets the scoped copies stance_analyzer_run adds (STANCE_SCOPE_* flags; default 0). */
void stance_analyzer_set_scopes(stance_analyzer *an, unsigned scopes);

/* Sets the lexicon of the parties (stemmed by stance_actors_stem; borrowed, it must outlive the
 * analyzer's runs), or NULL for none (the default): STANCE_SCOPE_ACTORS above. */
void stance_analyzer_set_actors(stance_analyzer *an, const stance_actors *actors);

/* 1 if a feature's term (a stem, or two joined by a space) holds a scoped copy, else 0: for
 * training that keeps scoped features to some units. */
int stance_analyzer_is_scoped(const char *term);

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
