/* suggest_int.h: the parts of suggest.c the unit tests call: a prediction's uncertainty, and
 * the pick of a batch from candidates' uncertainties and vectors. */
#ifndef STANCE_SUGGEST_INT_H
#define STANCE_SUGGEST_INT_H

#include <stddef.h>

#include "stance/codebook.h"
#include "stance/suggest.h"
#include "stance/vector.h"

/* The uncertainty of a prediction (suggest.h): the smallest distance to a decision over all
 * labels, from probs (stance_model_predict_full: a slot per value, 0 for an untrained one) and applies (a slot per
 * dimension, -1 where none). Tells which label: *dim, *value (-1 for an applies decision) and
 * *score, its probability. A single dimension whose probabilities are all 0 is untrained and
 * left out; with nothing scored the result is 1 (*dim = 0, *value = -1, *score = 0). */
double stance_suggest_uncertainty(const stance_codebook *cb, const double *probs,
                                  const double *applies, size_t *dim, long *value, double *score);

/* Picks a batch of opt->n (opt->random_share, max_similarity, seed as in suggest.h) from count
 * candidates: picked[0..*npicked) their indices, the uncertain ones first (least uncertainty
 * first, ties in index order), then the random ones; random[k] is 1 for a random pick. picked
 * and random have room for opt->n. STANCE_ERR_NOMEM. */
stance_status stance_suggest_pick(const double *uncertainty, const stance_vector *vecs,
                                  size_t count, const stance_suggest_options *opt, size_t *picked,
                                  unsigned char *random, size_t *npicked, stance_error *err);

/* Writes records as annotation-tool tasks (annotation-tools formats of doccano, Label Studio
 * and Prodigy). Each record holds "text", one field per dimension of cb with the labels to
 * pre-annotate (as stance-tag or a training file gives them: ["abm"], [{"label": "abm", ...}],
 * "confrontational", {"label": ...}, [] or null), and other fields, which go along as
 * metadata ("id" as "passage_id", the outside id the tools keep):
 * - jsonl: each record as it is;
 * - doccano: {"text", "label": [...], metadata...}, one JSON line each; with more than one
 *   dimension the labels are prefixed "dimension:value" (one multi-label project);
 * - labelstudio: one JSON array of tasks {"data": {"text", metadata...}, "predictions":
 *   [{"model_version": "stance", "result": [{"from_name": DIMENSION, "to_name": "text",
 *   "type": "choices", "value": {"choices": [...]}}]}]}, a result item per dimension labeled;
 * - prodigy: one choice task per record and dimension, {"text", "meta": {metadata...,
 *   "dimension"}, "options": [{"id", "text"}...], "accept": [...], "config":
 *   {"choice_style": "multiple" or "single"}}, one JSON line each.
 * STANCE_ERR_IO on a failed write, STANCE_ERR_NOMEM. */
stance_status stance_tasks_write(FILE *f, const char *name, const stance_codebook *cb,
                                 stance_task_format fmt, json_t *const *records, size_t n,
                                 stance_error *err);

#endif
