/* vocab.h: the vocabulary of stem features and the TF-IDF weighting of passages.
 *
 * Features are stem unigrams and, optionally, bigrams of adjacent stems (written "a b"). A
 * scoped copy ("a:warn", pipeline/analyze_int.h) pairs only with a copy of the same scope next
 * to it, never with a plain stem, another scope's copy or an indicator ("a:#both").
 * Fitting counts each feature's document frequency (df) over the training documents, keeps
 * those with df >= min_df, and numbers them from 1 in byte order of their text. A document's
 * vector: for each kept feature, tf (count in the document, or 1 + ln(count) with sublinear
 * tf) times idf = ln((1 + N) / (1 + df)) + 1 (N documents), then scaled to unit L2 norm.
 *
 * Vocabulary file (JSON, one object):
 *   {"format": "stance-vocab", "version": 1,
 *    "options": {"bigrams": true, "min_df": 2, "sublinear_tf": true, "idf": true, "l2": true},
 *    "documents": 790, "terms": [["abm", 61], ["abm treati", 23], ...]}
 * terms are [text, df] pairs in index order (index = position + 1). */
#ifndef STANCE_VOCAB_H
#define STANCE_VOCAB_H

#include <stddef.h>
#include <time.h>

#include "stance/error.h"
#include "stance/vector.h"

/* Feature settings; stance_vocab_options_default gives the documented defaults. */
typedef struct {
    int bigrams;      /* add bigrams of adjacent stems (default 1) */
    long min_df;      /* keep features in at least this many documents (default 2) */
    int sublinear_tf; /* 1 + ln(tf) instead of tf (default 1) */
    int idf;          /* multiply by idf (default 1) */
    int l2;           /* scale each vector to unit length (default 1) */
} stance_vocab_options;

void stance_vocab_options_default(stance_vocab_options *opt);

typedef struct stance_vocab stance_vocab;

/* A new vocabulary being fitted with opt. Caller frees with stance_vocab_free. */
stance_status stance_vocab_new(const stance_vocab_options *opt, stance_vocab **out,
                               stance_error *err);

/* Frees the vocabulary; NULL is allowed. */
void stance_vocab_free(stance_vocab *vocab);

/* One document of a corpus to fit on: its stems (stems[i] of lens[i] bytes) and the input and
 * line it came from (NULL and 0 when none applies), for messages. */
typedef struct {
    const char *const *stems;
    const size_t *lens;
    size_t n;
    const char *where;
    long line;
} stance_vocab_doc;

/* Fills *doc with document i (0-based) of the caller's corpus; what it points to is borrowed
 * until the next call. */
typedef stance_status (*stance_vocab_doc_fn)(void *ctx, size_t i, stance_vocab_doc *doc,
                                             stance_error *err);

/* Fits vocab (from stance_vocab_new) on documents 0 .. n-1 in order, as doc hands them out:
 * counts each document's features, then applies min_df, numbers the features and computes idf;
 * afterwards the vocabulary is read-only and can vectorize. STANCE_ERR_DATA naming a document's
 * where:line for an empty stem or one holding a space or NUL byte, which would blur unigrams
 * and bigrams; STANCE_ERR_USAGE for a vocabulary fitted already. The first failure, doc's or
 * the vocabulary's, is returned and leaves vocab unfinished; after STANCE_ERR_NOMEM only
 * stance_vocab_free is valid. */
stance_status stance_vocab_fit(stance_vocab *vocab, size_t n, stance_vocab_doc_fn doc, void *ctx,
                               stance_error *err);

/* The number of features (after stance_vocab_fit or stance_vocab_load). */
size_t stance_vocab_get_size(const stance_vocab *vocab);

/* The text of feature index (1-based): a stem, or two joined by a space for a bigram
 * (borrowed, valid while vocab lives); NULL if out of range or not fitted. */
const char *stance_vocab_get_term(const stance_vocab *vocab, int index);

/* The number of training documents holding feature index (1-based), and its idf weight; 0 if
 * out of range or not fitted. */
size_t stance_vocab_get_df(const stance_vocab *vocab, int index);
double stance_vocab_get_idf(const stance_vocab *vocab, int index);

/* The settings the vocabulary was fitted with, and the number of documents it was fitted on
 * (0 before fitting). */
void stance_vocab_get_options(const stance_vocab *vocab, stance_vocab_options *opt);
size_t stance_vocab_get_documents(const stance_vocab *vocab);

/* Replaces v's contents with the document's weighted vector (features not in the vocabulary
 * are ignored; an empty result is allowed). Reads vocab only, so threads may share it.
 * Stems are checked, and where, line name the document, as in stance_vocab_fit. */
stance_status stance_vocab_vectorize(const stance_vocab *vocab, const char *const *stems,
                                     const size_t *lens, size_t n, const char *where, long line,
                                     stance_vector *v, stance_error *err);

/* Writes the vocabulary file atomically: a temporary file beside it ("<path>.tmp.XXXXXX",
 * locked while written), then renamed over path. path may name nothing yet, an empty file or a
 * vocabulary file; a symbolic link, a directory, any other file is refused (STANCE_ERR_IO
 * naming path, nothing written), and so is "" or a path ending in '/' (STANCE_ERR_USAGE). */
stance_status stance_vocab_save(const stance_vocab *vocab, const char *path, stance_error *err);

/* Checks, before any work, that stance_vocab_save could write path: the same refusals, its
 * directory exists and a temporary file can be made there. */
stance_status stance_vocab_check_target(const char *path, stance_error *err);

/* Told the path of each stale temporary that a remove_stale call removes. */
typedef void (*stance_removed_fn)(void *ctx, const char *path);

/* Removes the temporaries a killed save left beside path: regular files "<path>.tmp.XXXXXX"
 * last changed before since (the caller's start), that no save in progress holds, and that
 * are empty or begin as a vocabulary file does. Tells removed (may be NULL) each path. Only
 * running out of memory is an error. */
stance_status stance_vocab_remove_stale(const char *path, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err);

/* Reads a vocabulary file. */
stance_status stance_vocab_load(const char *path, stance_vocab **out, stance_error *err);

#endif
