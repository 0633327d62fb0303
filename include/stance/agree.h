/* agree.h: agreement between coders (people or models) who labeled the same records: Cohen's
 * kappa for each pair of coders and Krippendorff's nominal alpha over all of them, for each
 * single dimension and for each value of a multi dimension (as a yes/no decision), with a
 * bootstrap intervals for both that resample articles.
 *
 * Each coder's records are labeled records as codebook.h describes (a missing field or null:
 * not coded, a missing code for alpha; [] on an optional dimension: "no value applies", one more
 * code). The first coder's records are the units; every other coder's are joined to them as
 * stance-eval joins predictions to gold records (eval.h: by "doc" and "start", "doc" and
 * "passage", or "id"), and no join at all, or more than the allowed share of units left
 * unjoined, is an error naming the first unit no record joined. A unit's article is its "doc",
 * else its "id", else the unit alone.
 *
 * Alpha counts every unit two or more coders coded; kappa a pair's units both coded. Either is
 * undefined when the coders used one and the same code throughout (no disagreement expected):
 * NaN here, null in JSON, "-" in the table.
 *
 * JSON report (keys sorted when dumped with JSON_SORT_KEYS):
 *   {"agreement": {"tone": {"alpha": 0.81, "alpha_ci": [0.74, 0.87], "units": 315,
 *                           "pairs": [{"a": "A.jsonl", "b": "B.jsonl", "kappa": 0.80, "n": 315}]},
 *                  "topics": {"kosovo": {"alpha": ..., "alpha_ci": [...], "units": ...,
 *                                        "pairs": [...]}, ...}},
 *    "coders": ["A.jsonl", "B.jsonl"], "records": 320, "articles": 40,
 *    "bootstrap": {"replicates": 1000, "seed": 1}}
 * Each pair also has "kappa_ci", its bootstrap interval from the same article draws as
 * alpha's. An interval is null without replicates or when no replicate defines the figure. */
#ifndef STANCE_AGREE_H
#define STANCE_AGREE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stance/codebook.h"
#include "stance/error.h"

typedef struct stance_agree stance_agree;

/* A new agreement with no coders. It keeps a pointer to cb, which must outlive it. Caller
 * frees with stance_agree_free. STANCE_ERR_NOMEM. */
stance_status stance_agree_new(const stance_codebook *cb, stance_agree **out, stance_error *err);

/* Frees ag; NULL is allowed. */
void stance_agree_free(stance_agree *ag);

/* Options (set them before the first coder): a null on an optional dimension means that no
 * value applies (as eval.h's); the share of units a coder may leave unjoined (0.5 unless set);
 * the bootstrap's replicates (0: no interval) and seed. */
void stance_agree_set_null_means_none(stance_agree *ag, int on);
void stance_agree_set_max_unmatched(stance_agree *ag, double share);
void stance_agree_set_bootstrap(stance_agree *ag, size_t replicates, uint64_t seed);

/* Starts the next coder, named name (copied; the name the report gives it). STANCE_ERR_NOMEM. */
stance_status stance_agree_begin_coder(stance_agree *ag, const char *name, stance_error *err);

/* Adds a record of the current coder. STANCE_ERR_DATA naming where/line for bad labels, no key,
 * a key an earlier record of the first coder has, or a second record for one unit. */
stance_status stance_agree_add(stance_agree *ag, const json_t *rec, const char *where, long line,
                               stance_error *err);

/* Ends the current coder. For the first: STANCE_ERR_DATA naming where when it had no record;
 * for the others: STANCE_ERR_DATA when its records join no unit, or leave more than the allowed
 * share unjoined (naming the first such unit). */
stance_status stance_agree_end_coder(stance_agree *ag, const char *where, stance_error *err);

/* The report as JSON (format above; new reference, NULL on no memory). At least two coders. */
json_t *stance_agree_to_json(const stance_agree *ag);

/* Writes the report as a text table: per item alpha, its interval and units, then each pair's
 * kappa. STANCE_ERR_IO naming name if the write fails, STANCE_ERR_NOMEM. */
stance_status stance_agree_write(const stance_agree *ag, FILE *f, const char *name,
                                 stance_error *err);

#endif
