/* tag.h: labeling articles with a model: analyze, vectorize and predict each passage (or
 * each whole article, or roll an article's passages up) and build the output records.
 *
 * A passage record (meta passages carry no label fields):
 *   {"doc":"art1","passage":3,"start":78,"end":506,"kind":"body","text":"...",
 *    "topics":[{"label":"kosovo","score":0.9731}],"tone":{"label":"confrontational","score":0.8812}}
 * An article read from a file (stance_tagger_set_path) has "path" after "doc" in each record:
 *   {"doc":"art1","path":"corpus/art1.txt","passage":3,...}
 * A single dimension declared optional in the codebook is null where the model finds that
 * none of its values applies (its applies unit's probability is below 0.5, model.h):
 *   {"doc":"art1","passage":4,...,"topics":[],"tone":null}
 * The score of a value, when one is given, is its probability if a value applies. A single
 * dimension is also null when its classifier was left untrained.
 * With the document unit (article_unit), one record per article, its non-meta passages
 * joined by newlines and labeled as one text (its "text" spans the first to the last of them):
 *   {"doc":"art1","start":0,"end":2206,"kind":"document","passages":6,"text":"...",...labels}
 * With the article unit (article_unit and rollup), one record per article rolled up from its
 * non-meta passages, each labeled as in a passage record; "text" is those passages joined by
 * newlines (no metadata line), start and end span them:
 *   {"doc":"art1","start":0,"end":2206,"kind":"article","text":"...","passages":6,
 *    "topics":[{"label":"kosovo","score":0.8327}],"tone":{"label":"conciliatory","score":0.6261},
 *    "counts":{"topics":{"kosovo":5,"enlargement":1,...},
 *              "tone":{"conciliatory":4,"confrontational":2,"(none)":0}},
 *    "shares":{"topics":{"kosovo":0.8333,"enlargement":0.1667,...},"tone":{...}}}
 * counts: per dimension, for every value in codebook order, how many passages carry it, and
 * for a single dimension "(none)", how many have no value (null); shares: each count over
 * "passages", to 4 decimals. A multi value is the article's when its share reaches
 * article_share (0: when any passage carries it), scored with the mean of its score over the
 * passages. A single dimension gives the value of highest mean score over the passages where
 * it has a value (thresholds moved decide the passages' values, not this), scored with that
 * mean; null when no passage has a value (or its classifier is untrained). With all_scores,
 * "scores" are those means (a multi value's over every passage, a single value's over the
 * passages with a value; null when there are none) and "applies" the mean applies
 * probability over every passage. A table row gives the labels and the mean scores, not the
 * counts. Explanations are not made for a roll-up (stance_tagger_set_explain).
 * An article with no body or headline passage (empty, or metadata lines only) has nothing to
 * label: its document or article record carries no label fields (nor counts), as a meta
 * passage ("passages":0).
 * Fields of a JSON Lines article other than "text" follow unchanged, unless the record
 * already has them: all of them on the article's first record, and only its "id" on the
 * others, so that output grows with the text, not with passages times fields (join on "id"
 * to give every passage the article's fields).
 * After stance_tagger_set_explain(tg, K), each labeled record gets the exact explanation
 * (explain.h) of each value assigned (with all_scores, of each value whose unit is trained),
 * and for an optional dimension with a value assigned (with all_scores, whenever its applies
 * unit is trained), of its applies unit (under the key "(applies)"; left out if a value has
 * that label):
 *   "explain":{"topics":{"kosovo":{"decision":1.72,"bias":-0.41,"rest":0.08,"terms":[
 *     {"term":"kfor","contribution":0.63,"weight":1.9,"value":0.33,"spans":[[812,816]]},...]}},
 *     "tone":{...}}
 * one object per dimension (empty when nothing is assigned), values in codebook order; spans
 * are byte offsets into the input, as start and end are (with the document unit too). The
 * second value of a two-valued single dimension is explained with its pair unit's signs
 * changed (explain.h).
 *
 * With all_scores, every labeled record also carries the score of every value of every
 * dimension, assigned or not, in codebook order (null for a value whose classifier is
 * untrained), and, when the codebook has optional single dimensions, the probability that
 * one of their values applies (null when untrained), both to 4 decimals:
 *   {...,"tone":null,"scores":{"topics":{"kosovo":0.9731,"enlargement":0.0213,...},
 *    "tone":{"conciliatory":0.1204,"confrontational":0.8796}},"applies":{"tone":0.4102}}
 * Thresholds moved (threshold.h) decide the labels instead of the model's own; scores are
 * the same either way.
 *
 * As a table (format CSV or TSV, table_int.h says how fields are quoted or escaped), one
 * line per record under the header stance_tag_get_header gives:
 *   doc,passage,start,end,kind,topics,tone,topics.kosovo,...,tone.confrontational,tone.applies
 * with an "id" column after doc (id_column: the JSON Lines article's "id", empty when it has
 * none), "passages" (how many were labeled) instead of "passage" for the document and article
 * units, the
 * labels given in each dimension's column (";"-joined in codebook order, empty for none), the
 * score of every value (and the applies probability of each optional single dimension, after
 * its values), and the text last unless no_text. A meta passage (and an article with nothing
 * to label) has a row with empty labels and scores; an untrained value's score is empty too.
 * The JSON Lines article's other fields are not carried. */
#ifndef STANCE_TAG_H
#define STANCE_TAG_H

#include <jansson.h>

#include "stance/article.h"
#include "stance/error.h"
#include "stance/model.h"
#include "stance/threshold.h"

typedef enum { STANCE_TAG_JSONL, STANCE_TAG_CSV, STANCE_TAG_TSV } stance_tag_format;

typedef struct {
    int no_text;      /* leave out "text" (the records' field, the table's last column) */
    int article_unit; /* one record per article: the document unit, or with rollup the article's */
    int rollup;       /* with article_unit: roll the article's passages up (above) instead of
                       * labeling its text as one document */
    double article_share; /* rollup: a multi value is the article's when at least this share
                           * of its passages carry it, in (0, 1]; 0: when any passage does */
    int all_scores;   /* every value's score and each applies probability on each record */
    stance_tag_format format; /* JSON Lines records (0) or a table's rows */
    int id_column;    /* a table has an "id" column (JSON Lines input) */
    const stance_thresholds *thresholds; /* moved for the model's codebook, or NULL: the
                                          * model's own (borrowed: they must outlive the tagger) */
} stance_tag_options;

/* The header line of a table (opt->format CSV or TSV), newline included, as a new string the
 * caller frees (*text, *len bytes). STANCE_ERR_NOMEM. */
stance_status stance_tag_get_header(const stance_model *m, const stance_tag_options *opt,
                                    char **text, size_t *len, stance_error *err);

/* Per-thread state for tagging with a model (borrowed; it must outlive the tagger): one
 * tagger per thread, while any number of taggers may share one model (model.h). */
typedef struct stance_tagger stance_tagger;

/* A tagger; caller frees with stance_tagger_free. STANCE_ERR_USAGE if opt->thresholds were
 * made for another codebook than the model's. */
stance_status stance_tagger_new(const stance_model *m, const stance_tag_options *opt,
                                stance_tagger **out, stance_error *err);
void stance_tagger_free(stance_tagger *tg);

/* From now on, explain the labels of each record with k terms of each sign (above; k = 0:
 * no more). STANCE_ERR_USAGE "explanations need a linear kernel" for a model with kernel
 * units, STANCE_ERR_USAGE for the article unit's roll-up, STANCE_ERR_NOMEM. */
stance_status stance_tagger_set_explain(stance_tagger *tg, size_t k, stance_error *err);

/* The path of the file the next articles come from (borrowed until the next call; NULL: none,
 * as for standard input and JSON Lines): JSON Lines records then carry it as "path", right
 * after "doc". Table rows have no path column. */
void stance_tagger_set_path(stance_tagger *tg, const char *path);

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
