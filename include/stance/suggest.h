/* suggest.h: which unlabeled passages to label next, and annotation-tool tasks to label them in.
 *
 * A suggester scores every passage it is given with a model (all calibrated scores, model.h)
 * and keeps it, with its TF-IDF vector, until the batch is picked:
 * - mostly the least certain passages: a passage's uncertainty is its distance to the nearest
 *   decision of the model over all labels: |p - 0.5| for a multi value (present at 0.5), half
 *   the margin between the two most probable values of a single dimension (|p - 0.5| for two),
 *   |a - 0.5| for the probability a that one of an optional dimension's values applies;
 * - a reserved random share (round(n * random_share) passages, drawn with the seed from those
 *   not picked as uncertain), so that a labeled batch also holds an unbiased sample;
 * - never two passages whose TF-IDF vectors have a cosine above max_similarity (a passage too
 *   close to one already picked is passed over).
 * Each picked record is the record stance-tag writes for the passage (tag.h; of the JSON Lines
 * article's fields only "id") plus why it was picked:
 *   {"doc":"a17","passage":4,...,"topics":[...],"tone":{...},"reason":"uncertain",
 *    "dimension":"topics","label":"abm","score":0.4871}
 *   {...,"reason":"random"}
 * where label is the value the model is least sure of (null for the applies decision of an
 * optional dimension) and score its probability (for null: the probability that a value
 * applies). Uncertain records come first, least certain first, then the random ones. Every
 * passage is held in memory (its record and vector) until the pick. */
#ifndef STANCE_SUGGEST_H
#define STANCE_SUGGEST_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "stance/article.h"
#include "stance/codebook.h"
#include "stance/error.h"
#include "stance/model.h"

/* How picked records are written: as JSON Lines records, or as tasks to import into an
 * annotation tool, the model's labels given as pre-annotations (stance_tasks_write). */
typedef enum {
    STANCE_TASKS_JSONL,
    STANCE_TASKS_DOCCANO,
    STANCE_TASKS_LABELSTUDIO,
    STANCE_TASKS_PRODIGY
} stance_task_format;

/* The format's name ("jsonl", "doccano", "labelstudio", "prodigy") into *fmt: 0, or -1 if
 * unknown. */
int stance_task_format_parse(const char *name, stance_task_format *fmt);

typedef struct {
    size_t n;              /* passages to pick (at least 1) */
    double random_share;   /* share of them picked at random, 0 to 1 (default 0.2) */
    double max_similarity; /* largest cosine allowed between two picked passages (default 0.9) */
    uint64_t seed;         /* of the random share (default 1) */
    int article_unit;      /* score whole articles, as stance-tag --unit document */
} stance_suggest_options;

void stance_suggest_options_default(stance_suggest_options *opt);

typedef struct stance_suggester stance_suggester;

/* A suggester over model m (borrowed; it must outlive the suggester). STANCE_ERR_USAGE for n of
 * 0, or a random_share or max_similarity outside 0 to 1. Caller frees with
 * stance_suggester_free. */
stance_status stance_suggester_new(const stance_model *m, const stance_suggest_options *opt,
                                   stance_suggester **out, stance_error *err);

/* Frees the suggester; NULL is allowed. */
void stance_suggester_free(stance_suggester *s);

/* Scores the article's passages (not meta ones), or the article as one unit, and keeps them as
 * candidates. doc and extra as for stance_tagger_write (tag.h). */
stance_status stance_suggester_add(stance_suggester *s, const stance_article *art, const char *doc,
                                   const json_t *extra, stance_error *err);

/* Candidates kept so far. */
size_t stance_suggester_get_count(const stance_suggester *s);

/* Picks the batch and writes it to f (name in messages) in the format. *picked (may be NULL)
 * gets how many were written: fewer than n when there are fewer candidates, or when the rest
 * are near-duplicates of those picked. STANCE_ERR_IO on a failed write. */
stance_status stance_suggester_write(stance_suggester *s, stance_task_format fmt, FILE *f,
                                     const char *name, size_t *picked, stance_error *err);

#endif
