/* tag_int.h: an article's records all at once, as JSON Lines text or as JSON values (tag.c). */
#ifndef STANCE_TAG_INT_H
#define STANCE_TAG_INT_H

#include <jansson.h>
#include <stddef.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/tag.h"
#include "stance/vector.h"

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

/* slow 1: every text goes through the analyzer whole (stance_analyzer_run, then
 * stance_vocab_vectorize), as a model with scopes other than the actors' always does; 0 (the
 * default): word by word through the tagger's cache when the model allows it. Both give the
 * same vectors: for the tests that check so. */
void stance_tagger_set_slow_path(stance_tagger *tg, int slow);

/* The feature vector of the last text the tagger labeled (borrowed, valid until its next call). */
const stance_vector *stance_tagger_get_vector(const stance_tagger *tg);

#endif
