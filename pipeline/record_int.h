/* record_int.h: the passage and article records of stance-tokenize (record.c) and stance-tag
 * (tag.c) written by one hand: the fields every record starts with, then the record's own, then
 * the fields of its JSON Lines article (record.h and tag.h show the records); an article's
 * records as JSON values, and the doc name of a path (record.c). */
#ifndef STANCE_RECORD_INT_H
#define STANCE_RECORD_INT_H

#include <jansson.h>

#include "jsonw_int.h"
#include "stance/article.h"
#include "stance/error.h"
#include "stance/record.h"
#include "stance/tokenize.h"

/* Empties rec and adds the fields every record starts with: doc, path (the file the article
 * was read from, when path is not NULL and is valid UTF-8), passage (unless number is 0:
 * an article record), start and end (art's text offsets start and end, given as offsets in the
 * input), kind, and text (the text between them) if with_text. STANCE_ERR_DATA naming doc when
 * doc is not valid UTF-8, so it cannot be a JSON string. */
stance_status stance_record_init(stance_jsonw_object *rec, const stance_article *art,
                                 const char *doc, const char *path, size_t number, size_t start,
                                 size_t end, const char *kind, int with_text, stance_error *err);

/* Appends rec to out as one JSON Lines line, followed by the fields of its JSON Lines article
 * (extra, may be NULL) that records carry: not "text", nor a key rec has; all the others when
 * all (the article's first or only record), else only "id". Returns 0 on no memory. */
int stance_record_write(stance_jsonw *out, const stance_jsonw_object *rec, const json_t *extra,
                        int all);

/* The records stance_record_write_article writes, as a new JSON array the caller owns
 * (*records): each line as written, read back. */
stance_status stance_record_from_article(const stance_article *art, const char *doc,
                                         const json_t *extra, int with_offsets, stance_tokens *toks,
                                         json_t **records, stance_error *err);

/* Sets *doc to the document name for a path: its base name without the last extension
 * (a new string the caller frees). STANCE_ERR_DATA naming path when that name is not valid
 * UTF-8 (JSON strings must be). */
stance_status stance_record_doc_from_path(const char *path, char **doc, stance_error *err);

#endif
