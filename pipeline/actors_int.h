/* actors_int.h: a lexicon of the parties of a relation (stance-train --actors), for the
 * analyzer's actor features (analyze_int.h, STANCE_SCOPE_ACTORS).
 *
 * Lexicon file (UTF-8 text), one side per line, a side's words after its name and a colon:
 *
 *     # the parties of the tone
 *     russia: russia russian moscow kremlin yeltsin putin
 *     west: nato west western u.s washington clinton
 *     west: britain london       # a side may go on over several lines
 *
 * '#' starts a comment that runs to the line's end; blank lines are skipped; a UTF-8 byte order
 * mark may open the file. A side's name is 1 to STANCE_ACTORS_NAME_MAX of a-z, 0-9, '_' and
 * '-'. A word is anything between spaces or tabs that the tokenizer (tokenize.h) reads as one
 * token, or two such joined by '_' (a name of two words: "united_states", matched by two tokens
 * in a row); the token's text (lower-cased; "U.S." gives "u.s", "Russia's" "russia") is what
 * is kept, and once the analyzer's stemmer has stemmed it (stance_actors_stem), its stem is what
 * a text's tokens are matched with, stop words included. A word may be listed twice on one side
 * but never on two sides, nor may two words of two sides have the same stem. A lexicon has at
 * least two sides, each with a word, at most STANCE_ACTORS_SIDES_MAX sides,
 * STANCE_ACTORS_WORDS_MAX words, lines of STANCE_ACTORS_LINE_MAX bytes and words of
 * STANCE_ACTORS_WORD_MAX bytes. Every error names the file and line (line 0: the whole file). */
#ifndef STANCE_ACTORS_INT_H
#define STANCE_ACTORS_INT_H

#include <jansson.h>
#include <stddef.h>

#include "stance/error.h"
#include "stance/stem.h"

#define STANCE_ACTORS_NAME_MAX 32
#define STANCE_ACTORS_SIDES_MAX 16
#define STANCE_ACTORS_WORDS_MAX 10000
#define STANCE_ACTORS_LINE_MAX 4096
#define STANCE_ACTORS_WORD_MAX 64
#define STANCE_ACTORS_FILE_MAX (1u << 20)

typedef struct stance_actors stance_actors;

/* Parses a lexicon from text[0..len); where names it in messages. STANCE_ERR_DATA naming
 * where:line for anything the format above refuses. Caller frees with stance_actors_free. */
stance_status stance_actors_parse(const char *text, size_t len, const char *where,
                                  stance_actors **out, stance_error *err);

/* Reads and parses the lexicon file at path (a regular file of at most STANCE_ACTORS_FILE_MAX
 * bytes): STANCE_ERR_IO if it cannot be read, STANCE_ERR_DATA as stance_actors_parse. */
stance_status stance_actors_load(const char *path, stance_actors **out, stance_error *err);

/* Frees the lexicon; NULL is allowed. */
void stance_actors_free(stance_actors *a);

/* Replaces every word by its stem (stance_stemmer_stem: no stop-word test), merging the words
 * of one side that share a stem; STANCE_ERR_DATA naming the file and line when two sides'
 * words share one. Done once, before the lexicon is given to an analyzer. */
stance_status stance_actors_stem(stance_actors *a, stance_stemmer *st, stance_error *err);

/* The number of sides, and side i's name (borrowed). */
size_t stance_actors_get_side_count(const stance_actors *a);
const char *stance_actors_get_side_name(const stance_actors *a, size_t i);

/* 1 if some entry is two words, kept as "a b" (stance_actors_side_of then takes two stems
 * joined by a space), else 0. */
int stance_actors_has_pairs(const stance_actors *a);

/* The side whose word (or stem) is s[0..len), or -1. Reads a only, so threads may share it. */
int stance_actors_side_of(const stance_actors *a, const char *s, size_t len);

/* The lexicon as a bundle keeps it: [{"side": NAME, "stems": [STEM, ...]}, ...] in file order
 * (new reference; NULL on no memory). */
json_t *stance_actors_to_json(const stance_actors *a);

/* Rebuilds a stemmed lexicon from that JSON, with the same checks as the file (at least two
 * sides, names, no stem on two sides, the limits); STANCE_ERR_DATA naming where otherwise. */
stance_status stance_actors_from_json(const json_t *json, const char *where, stance_actors **out,
                                      stance_error *err);

#endif
