/* record.h: the passage records stance-tokenize writes and stance-stem extends.
 *
 * A tokenize record, one per paragraph, keys in this order:
 *   {"doc":"000_8f88396771eb46c1","passage":3,"start":78,"end":506,"kind":"body",
 *    "text":"Tensions over ...","tokens":["tensions","over",...]}
 *   doc      file name without directory and extension, or the JSON Lines "id"
 *   passage  1-based paragraph number in the article (every paragraph counted)
 *   start,end byte offsets of the paragraph in the input (end exclusive); for --jsonl input
 *            they index the UTF-8 bytes of the "text" string
 *   kind     "body", "headline" or "meta" (see article.h)
 *   text     the paragraph's text (UTF-8; transcoded when an encoding was given)
 *   tokens   the tokens (see tokenize.h)
 *   offsets  with the offsets option: [[start,end],...], one pair per token, same frame as start
 * Other fields of a --jsonl article (besides "text") follow, unchanged, unless their key is one
 * of the above: all of them on the article's first record, and only "id" on the others (so
 * that output grows with the text and not with passages times fields; join on "id" for the
 * rest). stance-stem appends "stems": the tokens stemmed, stop words left out. */
#ifndef STANCE_RECORD_H
#define STANCE_RECORD_H

#include <jansson.h>
#include <stdio.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/stem.h"
#include "stance/tokenize.h"

/* Writes the records of every passage of art to f as JSON Lines, one line at a time as each is
 * made (so an article of many passages is never held whole as records). extra holds the
 * article's fields to pass through (may be NULL); toks is scratch storage. STANCE_ERR_DATA
 * naming doc if doc is not valid UTF-8; STANCE_ERR_IO naming name if a write fails. */
stance_status stance_record_write_article(FILE *f, const char *name, const stance_article *art,
                                          const char *doc, const json_t *extra,
                                          int with_offsets, stance_tokens *toks,
                                          stance_error *err);

/* Adds "stems" to a record from its "tokens" array. STANCE_ERR_DATA naming where/line when
 * the record has no "tokens" array of strings. */
stance_status stance_record_add_stems(json_t *rec, stance_stemmer *st, const char *where,
                                      long line, stance_error *err);

#endif
