/* prevalence.h: each label's share of a collection of tagged records, by four estimators,
 * with bootstrap intervals (stance-prevalence).
 *
 * Records are stance-tag's (tag.h), read as JSON Lines: one per passage, or one per article
 * with stance-tag --unit article or document. A record's labels are its dimension fields ("topics":
 * [{"label": "kosovo", "score": 0.91}], "tone": {"label": ..., "score": ...} or null: no tone
 * applies); with stance-tag --all-scores it also carries every value's calibrated score,
 *   "scores": {"topics": {"kosovo": 0.91, "enlargement": 0.02, ...},
 *              "tone": {"conciliatory": 0.12, "confrontational": 0.88}},
 *   "applies": {"tone": 0.64}
 * (a single dimension's scores given that one of its values applies; "applies" for each
 * optional single dimension). Records without any dimension field (meta passages) are
 * skipped; a record with some but not all, a label not in the model's codebook, a score
 * missing, unknown or outside 0..1, or records with and without "scores" mixed, is an error.
 *
 * The share of label l among the N units (passages, or articles) by:
 *   cc    classify and count: the share of units assigned l;
 *   pcc   probabilistic classify and count: the mean of P(l) (multi value: its score; value v
 *         of an optional single dimension: applies * scores[v]; of another: scores[v]);
 *   acc   adjusted classify and count: clip((cc - fpr) / (tpr - fpr), 0, 1), with the tpr and
 *         fpr cross-validation measured for l's unit when the model was trained (model.h);
 *   pacc  probabilistic adjusted: clip((pcc - s-) / (s+ - s-), 0, 1), with s+ and s- the mean
 *         out-of-fold scores of l's positives and negatives.
 * For an optional single dimension (tone), the adjusted estimates are a product: the share of
 * units where a value applies, adjusted with the applies unit's rates, times the share of v
 * among the units where one applies (the assigned ones for acc, applies-weighted scores for
 * pacc), adjusted with v's own unit's rates (measured on the passages with a value). For the
 * second value of a two-valued dimension the pair unit's rates are turned round (tpr = 1 -
 * fpr of the first, s+ = 1 - s- of the first). A denominator that is not positive makes the
 * adjusted estimate unavailable. acc and pacc assume the records were tagged at the model's
 * own thresholds (no stance-tag --threshold).
 *
 * Unavailable: pcc and pacc when the records carry no "scores"; acc without rates (a unit
 * trained without cross-validation, or untrained), pacc without the mean scores. A model
 * trained before the rates were stored has a multi value's tpr and fpr derived from its cv
 * precision and recall; its other units and every pacc are then unavailable.
 *
 * Articles (unit article): an article has l when any of its passages has it (cc), and its
 * P(l) is the largest of its passages' (pcc: the chance that the likeliest passage has it, a
 * lower bound of any passage having it). The cross-validated rates are passages' rates, so acc
 * and pacc are unavailable for articles. An article is the records sharing "id" (else "doc").
 *
 * Groups (by a field): a record's group is its own value of the field (a string or a number;
 * null counts as absent), else the value on the first record of its article: stance-tag
 * --jsonl puts an article's fields on its first record only, and its id on every one. An
 * article's group in unit article is its first record's. Records without a value form the
 * group null. Groups keep the order of their first appearance.
 *
 * Intervals: 95% percentile bootstrap, resampling the group's articles (the passages of one
 * article are not independent) B times (default 1000) with a seeded generator; in each
 * resample the cross-validated figures are also redrawn from their own sampling distribution
 * (normal: a rate p measured on n examples with variance p'(1 - p')/n, p' = (pn + 0.5)/(n + 1);
 * a mean score m with m(1 - m)/n, the largest variance a mean of scores in 0..1 can have), so
 * that the adjusted intervals carry the uncertainty of the rates as well as the collection's.
 *
 * Preferred estimate, per label: for passages, pacc when it is available and its denominators
 * (s+ - s-, and for an optional dimension the applies unit's too) are at least 0.2; else acc
 * on the same terms; else pcc; else cc. Adjusted estimates are the ones that stay unbiased
 * when the collection's shares differ from the training data's (CC and PCC lean towards the
 * training shares), and the probabilistic ones vary less; a small denominator magnifies every
 * error of the rates. For articles: pcc when the records carry scores, else cc.
 *
 * JSON report (stance_prevalence_to_json; "ci" null and "bootstrap" 0 without resampling):
 *   {"unit": "passage", "n": 4210, "bootstrap": 1000, "seed": 1, "by": "source",
 *    "groups": [{"group": "monitor", "n": 4210, "labels": {
 *      "topics": {"kosovo": {"cc": {"estimate": 0.21, "ci": [0.19, 0.23]}, "pcc": {...},
 *                            "acc": {...}, "pacc": null, "preferred": "acc",
 *                            "why": "..."}, ...}, "tone": {...}}}, ...]}
 * ("by" only with a grouping, "group" null without one). An unavailable estimate is null. */
#ifndef STANCE_PREVALENCE_H
#define STANCE_PREVALENCE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "stance/error.h"
#include "stance/model.h"

typedef struct stance_prevalence stance_prevalence;

typedef enum { STANCE_PREV_CC, STANCE_PREV_PCC, STANCE_PREV_ACC, STANCE_PREV_PACC } stance_prev_method;
#define STANCE_PREV_METHODS 4

/* What to estimate. */
typedef struct {
    int articles;    /* 1: the units are articles; 0: records (passages) */
    const char *by;  /* field to group by, or NULL (borrowed: must outlive the estimator) */
    long bootstrap;  /* resamples for the intervals (0: none) */
    uint64_t seed;   /* of the resampling */
} stance_prevalence_options;

/* Defaults: passages, no grouping, 1000 resamples, seed 1. */
void stance_prevalence_options_default(stance_prevalence_options *opt);

/* A new estimator for records tagged with m (m must outlive it). STANCE_ERR_USAGE for a
 * negative bootstrap count. Caller frees with stance_prevalence_free. */
stance_status stance_prevalence_new(const stance_model *m, const stance_prevalence_options *opt,
                                    stance_prevalence **out, stance_error *err);

/* Frees the estimator; NULL is allowed. */
void stance_prevalence_free(stance_prevalence *p);

/* Adds one record (see above). STANCE_ERR_DATA naming where and line for a malformed record. */
stance_status stance_prevalence_add(stance_prevalence *p, const json_t *rec, const char *where,
                                    long line, stance_error *err);

/* Reads every record of the JSON Lines stream f (borrowed; name is used in messages) into p. */
stance_status stance_prevalence_read(stance_prevalence *p, FILE *f, const char *name,
                                     stance_error *err);

/* Computes the estimates and intervals of every group. STANCE_ERR_DATA naming where if no
 * record was counted. */
stance_status stance_prevalence_run(stance_prevalence *p, const char *where, stance_error *err);

/* 1 if the records carried "scores", 0 if not (pcc and pacc unavailable); after a run. */
int stance_prevalence_get_scores(const stance_prevalence *p);

/* 1 if some acc used rates derived from precision and recall (a model trained before the
 * rates were stored). */
int stance_prevalence_get_derived(const stance_prevalence *p);

/* The report as JSON (above; new reference, NULL on no memory), after a run. */
json_t *stance_prevalence_to_json(const stance_prevalence *p);

/* Writes the report as a TSV table with a header line, one line per group and label:
 *   group dimension value n cc cc_low cc_high pcc ... pacc_high preferred why
 * ("-" for what is unavailable; group "(all)" without a grouping, "(none)" for records
 * without the field; text escaped as in messages). STANCE_ERR_IO naming name if a write
 * fails. */
stance_status stance_prevalence_write_tsv(const stance_prevalence *p, FILE *f, const char *name,
                                          stance_error *err);

/* The estimators on their own, for the tests and other callers. */

#endif
