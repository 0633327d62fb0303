/* eval_int.h: the evaluation's state, shared by eval.c (matching and counting), evalstat.c
 * (intervals, calibration, coverage, errors) and agree.c (coders joined as predictions are),
 * and the gold record a prediction matched (stance-report). */
#ifndef STANCE_EVAL_INT_H
#define STANCE_EVAL_INT_H

#include <stdint.h>

#include "stance/eval.h"
#include "strmap_int.h"

/* A gold record: where its targets are, which keys it has and whether a prediction matched it. */
typedef struct {
    long line;
    long pred_line; /* line of the matching prediction, valid when matched */
    unsigned char has_start, has_passage;
    unsigned char id_shared; /* its id is another positioned gold record's too: no key */
    unsigned char matched;
    size_t article;  /* index of its article (its "doc", else its "id", else itself) */
    json_t *ident;   /* {"id", "doc", "start", "passage"}: those the record has (owned) */
} stance_gold_rec;

struct stance_eval {
    const stance_codebook *cb;
    size_t nvalues, ndims;
    size_t *tp, *fp, *fn;    /* per value slot */
    size_t *records, *missing; /* per dimension */
    size_t **confusion;      /* per dimension: nvalues^2 counts for single ones ((nvalues + 1)^2
                              * for optional ones, "no value applies" last), else NULL */
    size_t matched, unmatched_pred, gold_matched;
    size_t matched_by[3];    /* pairs matched per stance_eval_key */
    stance_gold_rec *gold;
    signed char *gold_targets; /* nvalues per gold record */
    signed char *pred_targets; /* nvalues per gold record: its prediction's, when matched */
    double *pred_scores;       /* nvalues per gold record: its prediction's scores (NaN: none) */
    size_t ngold, gold_cap;
    stance_strmap by_id;  /* id -> gold index */
    stance_strmap by_pos; /* doc NUL start -> gold index */
    stance_strmap by_num; /* doc NUL passage -> gold index */
    stance_strmap articles; /* article key -> index */
    char *gold_where;     /* name of the gold input, for messages about predictions */
    signed char *scratch; /* targets of the prediction being added */
    double *scratch_scores; /* its scores */
    int null_means_none;  /* gold null on an optional dimension: no value applies */
    int preds_too;        /* ... and in predictions too (coders of an agreement) */
    double max_unmatched; /* the share of gold records that may go unmatched */
    size_t bootstrap;     /* replicates (0: no bootstrap intervals) */
    uint64_t seed;
    int detail;           /* the text table's details (stance_eval_set_detail) */
    char *by;             /* the prediction field records are grouped by, or NULL */
    stance_strmap group_index; /* its value -> index in groups */
    stance_eval **groups;      /* one evaluation per value, in order of first appearance */
    size_t ngroups, groups_cap;
    long last_gold;            /* gold index the last prediction matched, -1 for none */
};

/* Scores one matched pair of target arrays (stance_codebook_get_value_count entries each) directly
 * (an unlabeled prediction on an optional dimension abstains). */
void stance_eval_add(stance_eval *ev, const signed char *gold, const signed char *pred);

/* The targets of the gold record the prediction last added matched (value_count entries;
 * borrowed, valid until the next gold record is added), or NULL if it matched none. */
const signed char *stance_eval_get_last_gold(const stance_eval *ev);

/* Forgets the predictions (matches, counts, groups) but keeps the gold records: the next
 * predictions are matched afresh (the next coder of an agreement). */
void stance_eval_restart(stance_eval *ev);

/* With on, --null-means-none applies to predictions too (coders' files of an agreement). */
void stance_eval_set_preds_like_gold(stance_eval *ev, int on);

/* The code of dimension d in a target row t: the index of its value, nvalues for "no value
 * applies" (an optional dimension; or an unlabeled prediction there when abstain is set), -1
 * when unlabeled. For a multi dimension use the value's own slot: 1 yes, 0 no, -1 unlabeled. */
int stance_eval_code(const stance_dimension *dim, const signed char *t, int abstain);

/* The agreement items of a codebook: one per single dimension (its values and "none": nvalues
 * + 1 codes) and one per value of a multi dimension (no, yes). Returns their number; fills
 * ncat (room for stance_codebook_get_value_count + dimensions entries) when not NULL. */
size_t stance_eval_items(const stance_codebook *cb, size_t *ncat);

/* Item of dimension d (value i of a multi dimension; i ignored for a single one). */
size_t stance_eval_item_of(const stance_codebook *cb, size_t d, size_t i);

/* The code of item j in the target row t (every value of the codebook): -1 when unlabeled
 * (or, with abstain, an unlabeled optional dimension counts as "none"). */
int stance_eval_item_code(const stance_codebook *cb, size_t j, const signed char *t, int abstain);

/* A 95% interval; NaN both when undefined or not computed. */
typedef struct {
    double lo, hi;
} stance_ci;

/* What the whole evaluation adds to the counts (evalstat.c): bootstrap intervals over
 * articles, and model-gold alpha per item. */
typedef struct {
    size_t replicates, narticles;
    stance_ci *f1;                             /* per value slot */
    stance_ci *micro_f1, *macro_f1, *accuracy; /* per dimension */
    double *alpha;                             /* per item (NaN: undefined) */
    stance_ci *alpha_ci;
    size_t *alpha_units;
} stance_evalstat;

/* Computes them for ev's matched records. 0 on no memory (st then needs no clear). */
int stance_evalstat_init(stance_evalstat *st, const stance_eval *ev);
void stance_evalstat_clear(stance_evalstat *st);

/* Adds the intervals, alpha, calibration and coverage of dimension d to its JSON report dj. 0
 * on no memory. */
int stance_evalstat_dimension_json(const stance_evalstat *st, const stance_eval *ev, size_t d,
                                   json_t *dj);

/* {"replicates", "seed", "articles"}: how the intervals were made (NULL on no memory). */
json_t *stance_evalstat_bootstrap_json(const stance_evalstat *st, const stance_eval *ev);

/* "[lo, hi]" of ci in a column after a table row; nothing when undefined. */
void stance_evalstat_put_ci(FILE *f, stance_ci ci);

/* The --detail lines of dimension d: per value the Wilson intervals, alpha (multi), Brier
 * score, ECE, coverage at 95% precision, and the reliability and coverage tables. labels:
 * the dimension's labels, escaped. 0 on no memory. */
int stance_evalstat_write_detail(const stance_evalstat *st, const stance_eval *ev, size_t d,
                                 char *const *labels, FILE *f);

#endif
