/* eval.h: scores predicted labels against gold labels, per codebook value and dimension.
 *
 * Gold and predicted records carry labels as codebook.h describes, e.g.
 *   gold: {"doc":"000_8f88","start":78,"end":506,"topics":["kosovo"],"tone":null}
 *   pred: {"doc":"000_8f88","passage":3,"start":78,"end":506,"kind":"body",
 *          "topics":[{"label":"kosovo","score":0.91}],"tone":{"label":"confrontational","score":0.8}}
 * A predicted record matches a gold record by the first of these keys that both have: "doc"
 * and "start"; "doc" and "passage" (or, for the seeds' gold format, "paragraph"); "id" (ids and
 * docs are strings or integers). Positions come first because stance-tag's passage records of
 * a JSON Lines article all carry its "id". Gold records sharing an id must have positions (and
 * are then not matched by id). Other fields are ignored.
 *
 * A dimension is scored over the matched records it labels in gold and in the prediction;
 * "missing" counts matched records gold labels but the prediction does not. Per value, with
 * tp/fp/fn counted one-vs-rest: precision = tp/(tp+fp), recall = tp/(tp+fn),
 * f1 = 2tp/(2tp+fp+fn), support = tp+fn (gold count). A ratio with a zero denominator is
 * undefined: NaN here, null in JSON, "-" in the table. Micro scores use tp/fp/fn summed over
 * the values (multi dimensions only: for a single one they equal the accuracy); macro scores
 * average the defined per-value scores. Single dimensions also give the accuracy (correct /
 * records) and the confusion matrix, gold rows by predicted columns.
 *
 * An optional single dimension (codebook.h) is scored on "no value applies" too. Gold [] says
 * so, gold null does not label the record (with stance_eval_set_null_means_none, gold null says
 * so too); a prediction without a value (null, [] or no field) abstains, so "missing" stays 0.
 * Records are those gold labels, either way. A value's tp/fp/fn count the records with a value
 * on either side (gold none predicted v: fp of v; gold v predicted null: fn of v). The
 * accuracy is over the records gold gives a value ("applies"), an abstention there counting
 * as wrong; the abstention figures treat "none" as one more value: its rate = the share of
 * gold-none records predicted null (recall), its precision = the share of null predictions
 * that gold says are none, f1 theirs. The confusion matrix has a last row and column,
 * STANCE_EVAL_NONE.
 *
 * Records may also be grouped by a string field of the prediction (stance_eval_set_group_by,
 * e.g. "kind": headline and body passages apart); each group is scored as its own evaluation.
 *
 * JSON report (keys sorted when dumped with JSON_SORT_KEYS):
 *   {"matched": 17, "matched_by": {"doc_start": 17, "doc_passage": 0, "id": 0},
 *    "unmatched_gold": 0, "unmatched_pred": 3,
 *    "dimensions": {
 *     "topics": {"kind": "multi", "records": 17, "missing": 0,
 *       "values": {"kosovo": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 9,
 *                             "tp": 9, "fp": 0, "fn": 0}, ...},
 *       "micro": {"precision": ..., "recall": ..., "f1": ...}, "macro": {...}},
 *     "tone": {"kind": "single", "records": 10, "missing": 0, "values": {...}, "macro": {...},
 *       "accuracy": 0.9, "confusion": {"conciliatory": {"conciliatory": 3, ...}, ...}}}}
 * An optional dimension adds
 *       "optional": true, "applies": 14, "none": 6,
 *       "abstention": {"rate": 0.5, "precision": 0.75, "f1": 0.6, "gold": 6, "predicted": 4,
 *                      "correct": 3},
 * and its confusion matrix a "(none)" row and column. With a grouping, the report ends with
 *   "by": {"field": "kind", "groups": [{"value": "headline", "matched": 6, "unmatched_pred": 0,
 *          "dimensions": {...}}, ...]}
 * groups in order of first appearance, each a report of its own (without "unmatched_gold").
 *
 * The whole report (not a group's) adds what evalstat.c computes from the matched pairs:
 *   "bootstrap": {"replicates": 1000, "seed": 1, "articles": 12}, "max_unmatched": 0.5,
 * per value "f1_ci" (bootstrap), "precision_ci" and "recall_ci" (Wilson), each [lo, hi] or
 * null, "calibration": {"scored", "brier", "ece", "bins": [{"from", "to", "count",
 * "mean_score", "observed"} x 10]}, "coverage": {"scored", "at": [{"p", "decided",
 * "coverage", "precision"} for p = 0.5 0.6 0.7 0.8 0.9 0.95 0.99], "at_precision_95":
 * {"share", "confidence"}}, and for a multi dimension's value "alpha", "alpha_ci",
 * "alpha_units" (model against gold, nominal, yes/no); per dimension "micro"/"macro" get an
 * "f1_ci", and a single dimension "accuracy_ci", "alpha", "alpha_ci", "alpha_units".
 * Bootstrap intervals are percentiles of replicates that draw as many articles as there are,
 * with replacement (an article: a gold record's "doc", else its "id", else the record); a
 * replicate leaving a figure undefined is left out of its interval. Scores come from a
 * prediction's "scores" object (stance-tag --all-scores; an optional dimension's values times
 * its "applies" when given), else from its assigned labels' "score" (others unknown); a
 * record is calibrated on a value when gold codes the dimension and the value has a score.
 *
 * Misclassified records (stance_eval_errors_json): for each matched record, in gold order, and
 * each dimension gold codes on which the prediction differs (an unlabeled prediction on an
 * optional dimension abstains):
 *   {"doc": "b", "start": 30, "line": 6, "pred_line": 6, "dimension": "tone",
 *    "gold": "confrontational", "predicted": "conciliatory",
 *    "scores": {"conciliatory": 0.6, "confrontational": null}}
 * with those of "id", "doc", "start", "passage", "paragraph" the gold record has; "gold" and
 * "predicted" a label, STANCE_EVAL_NONE ("does not apply") or, for a multi dimension, an
 * array of labels; "scores" the prediction's scores of the values they disagree on. */
#ifndef STANCE_EVAL_H
#define STANCE_EVAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stance/codebook.h"
#include "stance/error.h"

typedef struct stance_eval stance_eval;

/* The name of "no value applies" in reports, and of the group of records without the field. */
#define STANCE_EVAL_NONE "(none)"
#define STANCE_EVAL_NO_GROUP "(none)"
/* The key a prediction was matched to its gold record by. */
typedef enum { STANCE_MATCH_START, STANCE_MATCH_PASSAGE, STANCE_MATCH_ID } stance_eval_key;

/* Scores of one value (undefined ratios are NaN). */
typedef struct {
    size_t tp, fp, fn;
    size_t support; /* gold count: tp + fn */
    double precision, recall, f1;
} stance_eval_scores;

/* Summary of one dimension. */
typedef struct {
    size_t records;          /* matched records labeled in gold and in the prediction */
    size_t missing;          /* matched records labeled in gold only */
    stance_eval_scores micro; /* counts and ratios summed over values; multi only (else zero) */
    double macro_precision, macro_recall, macro_f1; /* means of the defined value scores */
    double accuracy;         /* single only: diagonal / records (NaN when no records) */
    const size_t *confusion; /* single only: nvalues * nvalues counts, row gold, column
                              * predicted ((nvalues + 1)^2 when optional, "none" last;
                              * borrowed, valid while ev lives); else NULL */
    int optional;            /* an optional single dimension: the figures below are set */
    size_t applies;          /* records gold gives a value (the accuracy's denominator) */
    size_t none;             /* records gold says no value applies to */
    stance_eval_scores abstention; /* "none" as a value: recall = the abstention rate */
} stance_eval_summary;

/* A new, empty evaluation. It keeps a pointer to cb, which must outlive it.
 * Caller frees with stance_eval_free. */
stance_status stance_eval_new(const stance_codebook *cb, stance_eval **out, stance_error *err);

/* Frees ev (not its codebook); NULL is allowed. */
void stance_eval_free(stance_eval *ev);

/* Options; set them before adding records. With null_means_none, a gold null on an optional
 * dimension means that no value applies (as in files coded that way) instead of "not labeled". */
void stance_eval_set_null_means_none(stance_eval *ev, int on);

/* The share of gold records that may go unmatched before stance_eval_check fails (0.5 unless
 * set; 0 to 1). */
void stance_eval_set_max_unmatched(stance_eval *ev, double share);

/* Bootstrap replicates of the intervals (0: none) and their seed; the defaults below. */
#define STANCE_EVAL_BOOTSTRAP 1000
#define STANCE_EVAL_SEED 1
void stance_eval_set_bootstrap(stance_eval *ev, size_t replicates, uint64_t seed);

/* With on, the text table adds each value's Wilson intervals, model-gold alpha, calibration
 * and coverage (the JSON report always has them). */
void stance_eval_set_detail(stance_eval *ev, int on);

/* Groups predictions by the string value of their field (copied); records without it (or with
 * null) form the group STANCE_EVAL_NO_GROUP. A prediction whose field holds another type is a
 * data error. STANCE_ERR_NOMEM on failure. */
stance_status stance_eval_set_group_by(stance_eval *ev, const char *field, stance_error *err);

/* Number of groups so far, and group i: its field value and its evaluation (both borrowed,
 * valid while ev lives; read the evaluation with the getters below). */
size_t stance_eval_get_group_count(const stance_eval *ev);
const char *stance_eval_get_group_value(const stance_eval *ev, size_t i);
const stance_eval *stance_eval_get_group(const stance_eval *ev, size_t i);

/* Adds a gold record (add them all before the predictions). STANCE_ERR_DATA naming where/line
 * for bad labels, no key to match it by, or a key an earlier gold record has. */
stance_status stance_eval_add_gold(stance_eval *ev, const json_t *rec, const char *where,
                                   long line, stance_error *err);

/* Adds a predicted record, scoring it against its gold record if one matches. STANCE_ERR_DATA
 * naming where/line for bad labels, no key, or a second prediction for the same gold record. */
stance_status stance_eval_add_pred(stance_eval *ev, const json_t *rec, const char *where,
                                   long line, stance_error *err);

/* Record counts: pairs scored, gold records no prediction matched, predictions no gold matched,
 * pairs matched by one key, gold records. */
size_t stance_eval_get_matched(const stance_eval *ev);
size_t stance_eval_get_matched_by(const stance_eval *ev, stance_eval_key key);
size_t stance_eval_get_gold_count(const stance_eval *ev);
size_t stance_eval_get_unmatched_gold(const stance_eval *ev);
size_t stance_eval_get_unmatched_pred(const stance_eval *ev);

/* Checks that the predictions cover the gold records: STANCE_ERR_DATA naming the first gold
 * record no prediction matched when none was matched or more than the allowed share were not
 * (stance_eval_set_max_unmatched: wrong files, or keys that do not meet). Fewer unmatched are
 * only counted. */
stance_status stance_eval_check(const stance_eval *ev, stance_error *err);

/* Scores of the value in slot (codebook numbering) so far. */
void stance_eval_get_scores(const stance_eval *ev, size_t slot, stance_eval_scores *out);

/* Summary of dimension d so far. */
void stance_eval_get_summary(const stance_eval *ev, size_t d, stance_eval_summary *out);

/* The report as JSON (format above; new reference, NULL on no memory). */
json_t *stance_eval_to_json(const stance_eval *ev);

/* The misclassified records (format above), in gold order, one JSON object each, appended to
 * the array out. 0 on no memory. */
int stance_eval_errors_json(const stance_eval *ev, json_t *out);

/* Writes them as a tab-separated table with a header line. STANCE_ERR_IO naming name if the
 * write fails, STANCE_ERR_NOMEM. */
stance_status stance_eval_write_errors(const stance_eval *ev, FILE *f, const char *name,
                                       stance_error *err);

/* Writes the report as a plain text table, then one per group under a line "== FIELD: VALUE ==".
 * An optional dimension adds the rows "abstention rate" (over the gold-none records) and
 * "abstention precision" (over the null predictions). STANCE_ERR_IO naming name if the write
 * fails. */
stance_status stance_eval_write(const stance_eval *ev, FILE *f, const char *name,
                                stance_error *err);

#endif
