/* tag_int.h: an article's records all at once, as JSON Lines text or as JSON values (tag.c). */
#ifndef STANCE_TAG_INT_H
#define STANCE_TAG_INT_H

#include <jansson.h>
#include <stddef.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/tag.h"

/* Tags one article and gives its records as JSON Lines: *text holds *len bytes, one line per
 * record, each as stance_jsonl_write writes it (borrowed, valid until the next call on tg).
 * On failure *text is NULL and *len 0 (an article's records are all or none). */
stance_status stance_tagger_article_jsonl(stance_tagger *tg, const stance_article *art,
                                          const char *doc, const json_t *extra,
                                          const char **text, size_t *len, stance_error *err);

/* The same records as a new JSON array the caller owns (*records). */
stance_status stance_tagger_article(stance_tagger *tg, const stance_article *art,
                                    const char *doc, const json_t *extra, json_t **records,
                                    stance_error *err);

#endif
