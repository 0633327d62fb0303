/* tag.h: labeling articles with a model: analyze, vectorize and predict each passage (or
 * each whole article) and build the output records.
 *
 * A passage record (meta passages carry no label fields):
 *   {"doc":"art1","passage":3,"start":78,"end":506,"kind":"body","text":"...",
 *    "topics":[{"label":"kosovo","score":0.9731}],"tone":{"label":"confrontational","score":0.8812}}
 * A single dimension declared optional in the codebook is null where the model finds that
 * none of its values applies (its applies unit's probability is below 0.5, model.h):
 *   {"doc":"art1","passage":4,...,"topics":[],"tone":null}
 * The score of a value, when one is given, is its probability if a value applies. A single
 * dimension is also null when its classifier was left untrained.
 * With the article unit, one record per article, labeled from its non-meta passages (its
 * "text" spans the first to the last of them):
 *   {"doc":"art1","start":0,"end":2206,"kind":"article","passages":6,"text":"...",...labels}
 * An article with no body or headline passage (empty, or metadata lines only) has nothing to
 * label: its article record carries no label fields, as a meta passage ("passages":0).
 * Fields of a JSON Lines article other than "text" follow unchanged, unless the record
 * already has them: all of them on the article's first record, and only its "id" on the
 * others, so that output grows with the text, not with passages times fields (join on "id"
 * to give every passage the article's fields).
 * After stance_tagger_set_explain(tg, K), each labeled record gets the exact explanation (explain.h) of each value
 * assigned, and for an optional dimension with a value assigned, of its applies unit (under
 * the key "(applies)"; left out if a value has that label):
 *   "explain":{"topics":{"kosovo":{"decision":1.72,"bias":-0.41,"rest":0.08,"terms":[
 *     {"term":"kfor","contribution":0.63,"weight":1.9,"value":0.33,"spans":[[812,816]]},...]}},
 *     "tone":{...}}
 * one object per dimension (empty when nothing is assigned), values in codebook order; spans
 * are byte offsets into the input, as start and end are (with the article unit too). The
 * second value of a two-valued single dimension is explained with its pair unit's signs
 * changed (explain.h). */
#ifndef STANCE_TAG_H
#define STANCE_TAG_H

#include <jansson.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/model.h"

typedef struct {
    int no_text;      /* leave out "text" */
    int article_unit; /* one record per article */
} stance_tag_options;

/* Per-thread state for tagging with a model (borrowed; it must outlive the tagger): one
 * tagger per thread, while any number of taggers may share one model (model.h). */
typedef struct stance_tagger stance_tagger;

stance_status stance_tagger_new(const stance_model *m, const stance_tag_options *opt,
                                stance_tagger **out, stance_error *err);
void stance_tagger_free(stance_tagger *tg);

/* From now on, explain the labels of each record with k terms of each sign (above; k = 0:
 * no more). STANCE_ERR_USAGE "explanations need a linear kernel" for a model with kernel
 * units, STANCE_ERR_NOMEM. */
stance_status stance_tagger_set_explain(stance_tagger *tg, size_t k, stance_error *err);

/* Receives records: text holds len bytes of whole records (lines), in order. A non-OK return
 * (err filled) stops the article. */
typedef stance_status (*stance_tag_sink_fn)(void *ctx, const char *text, size_t len,
                                            stance_error *err);

/* Tags one article (doc names it; extra holds a JSON Lines article's other fields, or NULL) and
 * hands its records to sink as they are made, one line per record as stance_jsonl_write writes
 * it, some 64 KB at a time, so that the records of an article are never all held at once. If it
 * fails midway, the records handed over stand and no more follow. */
stance_status stance_tagger_write(stance_tagger *tg, const stance_article *art,
                                  const char *doc, const json_t *extra,
                                  stance_tag_sink_fn sink, void *ctx, stance_error *err);

#endif
