/* audit.c: likely label errors of a training file, by confident learning on out-of-fold
 * scores (audit.h). */
#include "stance/audit.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "suggest_int.h"
#include "stance/jsonl.h"

/* ---- the labels and their classes ----
 * A multi value is a label of two classes (0 absent, 1 present). A single dimension is a label
 * over its values, among the passages given one (their scores: the probabilities if a value
 * applies); an optional one is also a label of two classes, none (0) or some value (1), over
 * all its passages, scored by its applies unit. The model decides in the same two steps. */

typedef enum { LABEL_MULTI, LABEL_VALUES, LABEL_APPLIES } label_kind;

typedef struct {
    const stance_dimension *d;
    size_t di;
    long value; /* LABEL_MULTI: the value */
    label_kind kind;
    const stance_cross_scores *cs;
} label;

static size_t class_count(const label *l)
{
    return l->kind == LABEL_VALUES ? l->d->nvalues : 2;
}

/* The out-of-fold score of class c of label l for record row; NaN if none. */
static double class_score(const label *l, size_t row, size_t c)
{
    const double *p = l->cs->probs + row * l->cs->nvalues + l->d->offset;
    if (l->kind == LABEL_MULTI)
        return c == 1 ? p[l->value] : 1 - p[l->value];
    if (l->kind == LABEL_VALUES)
        return p[c];
    double a = l->cs->applies[row * l->cs->ndims + l->di];
    return a < 0 ? NAN : c == 1 ? a : 1 - a;
}

/* The value given to single dimension d in targets t (one record's): its index, nvalues for
 * none ([]), -1 if not labeled. */
static long given_value(const stance_dimension *d, const signed char *t)
{
    t += d->offset;
    if (t[0] == STANCE_TARGET_UNLABELED)
        return -1;
    for (size_t v = 0; v < d->nvalues; v++)
        if (t[v] == STANCE_TARGET_YES)
            return (long)v;
    return (long)d->nvalues;
}

/* The given class of label l in targets t (one record's); -1 if it takes no part. */
static long given_class(const label *l, const signed char *t)
{
    if (l->kind == LABEL_MULTI)
        return t[l->d->offset] == STANCE_TARGET_UNLABELED ? -1 : t[l->d->offset + l->value] == STANCE_TARGET_YES;
    long v = given_value(l->d, t);
    if (l->kind == LABEL_APPLIES)
        return v < 0 ? -1 : v < (long)l->d->nvalues;
    return v < (long)l->d->nvalues ? v : -1;
}

/* A class of label l as the dimension's class for the flag (stance_audit_flag): a multi
 * value's and a single dimension's value as they are; the applies label's none as nvalues, its
 * "some value" as the value the record's scores rank first. */
static size_t flag_class(const label *l, size_t row, size_t c)
{
    if (l->kind != LABEL_APPLIES)
        return c;
    if (c == 0)
        return l->d->nvalues;
    const double *p = l->cs->probs + row * l->cs->nvalues + l->d->offset;
    size_t best = 0;
    for (size_t v = 1; v < l->d->nvalues; v++)
        if (p[v] > p[best])
            best = v;
    return best;
}

typedef struct {
    stance_audit_flag *items;
    size_t n, cap;
} flag_list;

/* Confident learning on one label: thresholds from each class's own passages, then the
 * passages whose best class above its threshold is not the given one. 0 on no memory. */
static int audit_label(const label *l, const signed char *targets, double *sum, size_t *count,
                       flag_list *out)
{
    const stance_cross_scores *cs = l->cs;
    size_t ncls = class_count(l);
    for (size_t c = 0; c < ncls; c++)
        sum[c] = 0, count[c] = 0;
    for (size_t row = 0; row < cs->n; row++) {
        long g = given_class(l, targets + row * cs->nvalues);
        double q = g >= 0 ? class_score(l, row, (size_t)g) : NAN;
        if (!isnan(q))
            sum[g] += q, count[g]++;
    }
    for (size_t c = 0; c < ncls; c++) /* the thresholds, in place; NaN: no passage given c */
        sum[c] = count[c] ? sum[c] / (double)count[c] : NAN;
    for (size_t row = 0; row < cs->n; row++) {
        long g = given_class(l, targets + row * cs->nvalues);
        double qg = g >= 0 ? class_score(l, row, (size_t)g) : NAN;
        if (isnan(qg))
            continue;
        long best = -1;
        double qbest = 0;
        for (size_t c = 0; c < ncls; c++) {
            double q = class_score(l, row, c);
            if (!isnan(q) && !isnan(sum[c]) && q >= sum[c] && (best < 0 || q > qbest))
                best = (long)c, qbest = q;
        }
        if (best < 0 || best == g)
            continue;
        stance_audit_flag *f = stance_grow(out->items, &out->cap, out->n, 1, sizeof *f);
        if (!f)
            return 0;
        out->items = f;
        out->items[out->n++] = (stance_audit_flag){row, l->di, l->kind == LABEL_MULTI ? l->value : -1,
                                                   flag_class(l, row, (size_t)g),
                                                   flag_class(l, row, (size_t)best), qbest, qbest - qg};
    }
    return 1;
}

static int by_margin(const void *a, const void *b)
{
    const stance_audit_flag *x = a, *y = b;
    if (x->margin != y->margin)
        return x->margin > y->margin ? -1 : 1;
    if (x->record != y->record)
        return x->record < y->record ? -1 : 1;
    if (x->dim != y->dim)
        return x->dim < y->dim ? -1 : 1;
    return (x->value > y->value) - (x->value < y->value);
}

stance_status stance_audit_find(const stance_codebook *cb, const signed char *targets,
                                const stance_cross_scores *cs, stance_audit_flag **flags,
                                size_t *n, stance_error *err)
{
    *flags = NULL;
    *n = 0;
    size_t most = 2;
    for (size_t di = 0; di < stance_codebook_get_dimension_count(cb); di++) {
        size_t k = stance_codebook_get_dimension(cb, di)->nvalues;
        most = k > most ? k : most;
    }
    double *sum = malloc(most * sizeof *sum);
    size_t *count = malloc(most * sizeof *count);
    flag_list out = {NULL, 0, 0};
    int ok = sum && count;
    for (size_t di = 0; ok && di < stance_codebook_get_dimension_count(cb); di++) {
        label l = {stance_codebook_get_dimension(cb, di), di, 0, LABEL_MULTI, cs};
        if (l.d->kind == STANCE_DIM_MULTI) {
            for (size_t v = 0; ok && v < l.d->nvalues; v++) {
                l.value = (long)v;
                ok = audit_label(&l, targets, sum, count, &out);
            }
            continue;
        }
        l.kind = LABEL_VALUES;
        ok = audit_label(&l, targets, sum, count, &out);
        l.kind = LABEL_APPLIES;
        if (ok && l.d->optional)
            ok = audit_label(&l, targets, sum, count, &out);
    }
    free(sum);
    free(count);
    if (!ok) {
        free(out.items);
        return stance_fail_nomem(err, NULL);
    }
    if (out.n > 1)
        qsort(out.items, out.n, sizeof *out.items, by_margin);
    *flags = out.items;
    *n = out.n;
    return STANCE_OK;
}

/* ---- the records ---- */

/* The training file's records and their targets, read again after the scoring. */
typedef struct {
    json_t **recs;
    long *lines;
    signed char *targets;
    size_t n, cap, lines_cap, targets_cap;
} trainfile;

static void trainfile_clear(trainfile *tf)
{
    for (size_t i = 0; i < tf->n; i++)
        json_decref(tf->recs[i]);
    free(tf->recs);
    free(tf->lines);
    free(tf->targets);
}

static stance_status read_records(const stance_codebook *cb, const char *path, trainfile *tf,
                                  stance_error *err)
{
    size_t nv = stance_codebook_get_value_count(cb);
    FILE *f = fopen(path, "r");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot open");
    stance_jsonl_reader *r = NULL;
    stance_status st = stance_jsonl_reader_new(f, path, &r, err);
    json_t *rec = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &rec, err)) == STANCE_OK && rec) {
        json_t **rs = stance_grow(tf->recs, &tf->cap, tf->n, 1, sizeof *rs);
        if (rs)
            tf->recs = rs;
        long *ls = stance_grow(tf->lines, &tf->lines_cap, tf->n, 1, sizeof *ls);
        if (ls)
            tf->lines = ls;
        signed char *ts = stance_grow(tf->targets, &tf->targets_cap, tf->n * nv, nv + 1, 1);
        if (ts)
            tf->targets = ts;
        if (!rs || !ls || !ts) {
            json_decref(rec);
            st = stance_fail_nomem(err, path);
            break;
        }
        tf->lines[tf->n] = stance_jsonl_get_line(r);
        st = stance_codebook_targets(cb, rec, path, tf->lines[tf->n], tf->targets + tf->n * nv, err);
        tf->recs[tf->n++] = rec;
    }
    stance_jsonl_reader_free(r);
    fclose(f);
    return st;
}

/* Dimension d's labels in targets t (one record's), with flag f applied when it is on d: a
 * list for a multi dimension, a value or [] for a single one, null if not labeled. */
static json_t *labels_json(const stance_dimension *d, size_t di, const signed char *t,
                           const stance_audit_flag *f)
{
    t += d->offset;
    if (t[0] == STANCE_TARGET_UNLABELED)
        return json_null();
    int flagged = f && f->dim == di;
    if (d->kind == STANCE_DIM_SINGLE) {
        size_t cls = d->nvalues;
        for (size_t v = 0; v < d->nvalues; v++)
            if (t[v] == STANCE_TARGET_YES)
                cls = v;
        if (flagged)
            cls = f->suggested;
        return cls < d->nvalues ? json_string(d->labels[cls]) : json_array();
    }
    json_t *list = json_array();
    for (size_t v = 0; list && v < d->nvalues; v++) {
        int yes = t[v] == STANCE_TARGET_YES;
        if (flagged && (long)v == f->value)
            yes = f->suggested == 1;
        if (yes && json_array_append_new(list, json_string(d->labels[v])) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* The record of flag f, ranked rank; with labels, also a field per dimension with the
 * passage's labels, the suggestion applied (the pre-annotations of a task). */
static json_t *flag_record(const stance_codebook *cb, const trainfile *tf,
                           const stance_audit_flag *f, size_t rank, int labels)
{
    size_t nv = stance_codebook_get_value_count(cb);
    const signed char *t = tf->targets + f->record * nv;
    const stance_dimension *d = stance_codebook_get_dimension(cb, f->dim);
    json_t *id = json_object_get(tf->recs[f->record], "id");
    json_t *text = json_object_get(tf->recs[f->record], "text");
    json_t *rec = json_pack("{s:O, s:I, s:s, s:o, s:o, s:f, s:I, s:O}", "id", id ? id : json_null(),
                            "line", (json_int_t)tf->lines[f->record], "dimension", d->name,
                            "given", labels_json(d, f->dim, t, NULL), "suggested",
                            labels_json(d, f->dim, t, f), "score", round(f->score * 10000) / 10000,
                            "rank", (json_int_t)rank, "text", text);
    for (size_t di = 0; rec && labels && di < stance_codebook_get_dimension_count(cb); di++) {
        const stance_dimension *dd = stance_codebook_get_dimension(cb, di);
        if (json_object_set_new(rec, dd->name, labels_json(dd, di, t, f)) != 0) {
            json_decref(rec);
            rec = NULL;
        }
    }
    return rec;
}

stance_status stance_audit_run(const stance_codebook *cb, const char *path,
                               const stance_audit_options *opt, FILE *f, const char *name,
                               size_t *written, stance_error *err)
{
    if (written)
        *written = 0;
    stance_cross_scores cs;
    trainfile tf = {0};
    stance_audit_flag *flags = NULL;
    json_t **out = NULL;
    size_t nflags = 0, n = 0;
    stance_status st = stance_train_cross_scores(cb, path, &opt->train, &cs, err);
    if (st == STANCE_OK)
        st = read_records(cb, path, &tf, err);
    if (st == STANCE_OK && tf.n != cs.n)
        st = stance_fail(err, STANCE_ERR_DATA, path, 0,
                         "changed while it was read: %zu records, then %zu", cs.n, tf.n);
    if (st == STANCE_OK)
        st = stance_audit_find(cb, tf.targets, &cs, &flags, &nflags, err);
    n = opt->max && opt->max < nflags ? opt->max : nflags;
    if (st == STANCE_OK && !(out = calloc(n ? n : 1, sizeof *out)))
        st = stance_fail_nomem(err, NULL);
    for (size_t k = 0; st == STANCE_OK && k < n; k++)
        if (!(out[k] = flag_record(cb, &tf, &flags[k], k + 1, opt->format != STANCE_TASKS_JSONL)))
            st = stance_fail_nomem(err, NULL);
    if (st == STANCE_OK)
        st = stance_tasks_write(f, name, cb, opt->format, out, n, err);
    if (st == STANCE_OK && written)
        *written = n;
    for (size_t k = 0; out && k < n; k++)
        json_decref(out[k]);
    free(out);
    free(flags);
    trainfile_clear(&tf);
    stance_cross_scores_clear(&cs);
    return st;
}
