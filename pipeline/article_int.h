/* article_int.h: the text of an article as one unit, shared by tag.c (stance-tag --unit
 * document) and suggest.c (stance-suggest's article unit), so that both score the same text. */
#ifndef STANCE_ARTICLE_INT_H
#define STANCE_ARTICLE_INT_H

#include <stddef.h>

#include "stance/article.h"

/* Where the joined text came from: its length, the passages in it, the start of the first and
 * the end of the last in the article's text (all 0 when there are none). */
typedef struct {
    size_t used;
    size_t count;
    size_t first;
    size_t last;
} stance_joined;

/* Told of each passage joined: at its offset in the buffer, from start (len bytes) in the
 * article's text. 0 stops the join with STANCE_ERR_NOMEM. */
typedef int (*stance_joined_fn)(void *ctx, size_t at, size_t start, size_t len);

/* Joins the article's passages other than meta ones by newlines into *buf (grown with
 * stance_grow, *cap its size in bytes; on failure both stay valid for the caller to free),
 * and fills *j. each (may be NULL) is told of every passage. STANCE_ERR_NOMEM naming doc. */
stance_status stance_article_join(const stance_article *art, const char *doc, char **buf,
                                  size_t *cap, stance_joined *j, stance_joined_fn each, void *ctx,
                                  stance_error *err);

#endif
