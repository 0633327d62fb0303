/* vocab_int.h: the two steps of stance_vocab_fit, a vocabulary's size and terms, vectorizing by
 * stem codes (what stance-tag's per-thread cache keeps), and the vocabulary as JSON inside a
 * model bundle (vocab.c). */
#ifndef STANCE_VOCAB_INT_H
#define STANCE_VOCAB_INT_H

#include <jansson.h>
#include <stddef.h>

#include "stance/error.h"
#include "stance/vector.h"
#include "stance/vocab.h"

/* Counts one training document's features (stems[i] of lens[i] bytes; the document comes from
 * input where, line: may be NULL and 0). STANCE_ERR_DATA naming where:line for an empty stem or
 * one holding a space or NUL byte, which would blur unigrams and bigrams; STANCE_ERR_USAGE after
 * finish; after STANCE_ERR_NOMEM only stance_vocab_free is valid. */
stance_status stance_vocab_add(stance_vocab *vocab, const char *const *stems,
                               const size_t *lens, size_t n, const char *where, long line,
                               stance_error *err);

/* Ends fitting: applies min_df, numbers the features, computes idf. Afterwards the vocabulary
 * is read-only and can vectorize. */
stance_status stance_vocab_finish(stance_vocab *vocab, stance_error *err);

/* Splits a finished vocabulary's features in two blocks, each scaled to unit L2 norm on its
 * own when vectorizing (with the l2 option): those whose term second says 1 for, and the
 * others; so the first block of a vector is exactly what it would be without the second's
 * features. second NULL: one block, the default. Asks second once per feature, here. Not saved
 * with the vocabulary: whoever loads it sets it again. */
stance_status stance_vocab_set_blocks(stance_vocab *vocab, int (*second)(const char *term),
                                      stance_error *err);

/* Borrowed text of feature index (1-based), valid while vocab lives; NULL if out of range,
 * "(damaged term)" if a mapped vocab.bin's entry for it is out of range. */
const char *stance_vocab_term(const stance_vocab *vocab, int index);

/* Stem codes, for a caller that maps each distinct word once and keeps the result: the code
 * of a stem (>= 0) when it is part of some feature (alone or in a bigram), -1 when it is not
 * (or the vocabulary is not finished). Reads vocab only, so threads may share it. */
long stance_vocab_stem_code(const stance_vocab *vocab, const char *stem, size_t len);

/* stance_vocab_vectorize for a document given as the codes of its stems (-1 allowed), which
 * must be this vocabulary's (STANCE_ERR_USAGE otherwise); the same vector for the same stems. */
stance_status stance_vocab_vectorize_codes(const stance_vocab *vocab, const long *codes,
                                           size_t n, stance_vector *v, stance_error *err);

/* The same, with cut[i] 1 when stem i makes no bigram with stem i + 1 (stance_vocab_vectorize
 * cuts where one block of stems ends: a plain stem and a scoped copy, two scopes' copies, an
 * indicator; analyze_int.h); cut NULL: none. */
stance_status stance_vocab_vectorize_cut(const stance_vocab *vocab, const long *codes,
                                         const unsigned char *cut, size_t n, stance_vector *v,
                                         stance_error *err);

/* The vocabulary as JSON (the file format of vocab.h; new reference, NULL on no memory). */
json_t *stance_vocab_to_json(const stance_vocab *vocab);

/* Rebuilds a finished vocabulary from that JSON; STANCE_ERR_DATA naming where if malformed. */
stance_status stance_vocab_from_json(const json_t *json, const char *where, stance_vocab **out,
                                     stance_error *err);

/* A finished vocabulary from a bundle's vocab.bin (vocabfile_int.h): the file name in the
 * directory open at dirfd (path names it in messages), a regular file, not a link, of exactly
 * bytes bytes, mapped read-only; only its header is checked. STANCE_ERR_DATA naming path and the
 * byte; STANCE_ERR_IO if it cannot be opened or mapped. Look-ups that meet a damaged entry
 * later make the next vectorizing call fail with STANCE_ERR_DATA naming path and the byte. */
stance_status stance_vocab_map(int dirfd, const char *name, const char *path, size_t bytes,
                               stance_vocab **out, stance_error *err);

/* Writes the finished vocabulary as vocab.bin to path (a new file); sha gets its SHA-256 in
 * hex and *bytes its size. */
stance_status stance_vocab_write_bin(const stance_vocab *vocab, const char *path, char sha[65],
                                     size_t *bytes, stance_error *err);

/* Checks the whole binary form: its SHA-256 against sha (unless NULL), then every entry
 * (stance_vocabfile_check). STANCE_ERR_DATA naming the file and byte. */
stance_status stance_vocab_verify(const stance_vocab *vocab, const char *sha, stance_error *err);

#endif
