/* eval.c: matching predicted records with gold ones, counting per value and dimension, and
 * the report as JSON and as a text table. */
#include "stance/eval.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "strmap_int.h"

/* A gold record: where its targets are and whether a prediction matched it. */
typedef struct {
    long line;
    long pred_line; /* line of the matching prediction, valid when matched */
    unsigned char has_id, matched;
} gold_rec;

struct stance_eval {
    const stance_codebook *cb;
    size_t nvalues, ndims;
    size_t *tp, *fp, *fn;    /* per value slot */
    size_t *records, *missing; /* per dimension */
    size_t **confusion;      /* per dimension: nvalues^2 counts for single ones, else NULL */
    size_t matched, unmatched_pred, gold_matched;
    gold_rec *gold;
    signed char *gold_targets; /* nvalues per gold record */
    size_t ngold, gold_cap;
    stance_strmap by_id;  /* id -> gold index */
    stance_strmap by_pos; /* doc NUL start -> gold index */
    char *gold_where;     /* name of the gold input, for messages about predictions */
    signed char *scratch; /* targets of the prediction being added */
};

void stance_eval_free(stance_eval *ev)
{
    if (!ev)
        return;
    free(ev->tp);
    free(ev->fp);
    free(ev->fn);
    free(ev->records);
    free(ev->missing);
    if (ev->confusion)
        for (size_t d = 0; d < ev->ndims; d++)
            free(ev->confusion[d]);
    free(ev->confusion);
    free(ev->gold);
    free(ev->gold_targets);
    stance_strmap_clear(&ev->by_id);
    stance_strmap_clear(&ev->by_pos);
    free(ev->gold_where);
    free(ev->scratch);
    free(ev);
}

stance_status stance_eval_new(const stance_codebook *cb, stance_eval **out, stance_error *err)
{
    *out = NULL;
    stance_eval *ev = calloc(1, sizeof *ev);
    if (!ev)
        return stance_fail_nomem(err, "evaluation");
    stance_strmap_init(&ev->by_id);
    stance_strmap_init(&ev->by_pos);
    ev->cb = cb;
    ev->nvalues = stance_codebook_value_count(cb);
    ev->ndims = stance_codebook_dimension_count(cb);
    size_t nv = ev->nvalues ? ev->nvalues : 1, nd = ev->ndims ? ev->ndims : 1;
    int ok = (ev->tp = calloc(nv, sizeof *ev->tp)) && (ev->fp = calloc(nv, sizeof *ev->fp)) &&
             (ev->fn = calloc(nv, sizeof *ev->fn)) &&
             (ev->records = calloc(nd, sizeof *ev->records)) &&
             (ev->missing = calloc(nd, sizeof *ev->missing)) &&
             (ev->confusion = calloc(nd, sizeof *ev->confusion)) &&
             (ev->scratch = malloc(nv));
    for (size_t d = 0; ok && d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_dimension(cb, d);
        if (dim->kind == STANCE_DIM_SINGLE)
            ok = (ev->confusion[d] = calloc(dim->nvalues * dim->nvalues, sizeof(size_t))) != NULL;
    }
    if (!ok) {
        stance_eval_free(ev);
        return stance_fail_nomem(err, "evaluation");
    }
    *out = ev;
    return STANCE_OK;
}

/* Index of the one YES among n targets (a single dimension's), or n if none. */
static size_t the_yes(const signed char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] == STANCE_TARGET_YES)
            return i;
    return n;
}

void stance_eval_add(stance_eval *ev, const signed char *gold, const signed char *pred)
{
    ev->matched++;
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_dimension(ev->cb, d);
        const signed char *g = gold + dim->offset, *p = pred + dim->offset;
        size_t n = dim->nvalues, at = dim->offset;
        if (g[0] == STANCE_TARGET_UNLABELED)
            continue;
        if (p[0] == STANCE_TARGET_UNLABELED) {
            ev->missing[d]++;
            continue;
        }
        if (dim->kind == STANCE_DIM_SINGLE) {
            size_t gi = the_yes(g, n), pi = the_yes(p, n);
            if (gi == n || pi == n) /* not from stance_codebook_targets: nothing to count */
                continue;
            ev->records[d]++;
            ev->confusion[d][gi * n + pi]++;
            if (gi == pi) {
                ev->tp[at + gi]++;
            } else {
                ev->fn[at + gi]++;
                ev->fp[at + pi]++;
            }
            continue;
        }
        ev->records[d]++;
        for (size_t i = 0; i < n; i++) {
            int gy = g[i] == STANCE_TARGET_YES, py = p[i] == STANCE_TARGET_YES;
            ev->tp[at + i] += gy && py;
            ev->fn[at + i] += gy && !py;
            ev->fp[at + i] += !gy && py;
        }
    }
}

/* The text of an "id" or "doc" field: a string or an integer (written into buf). Sets *s to
 * NULL when the field is absent. */
static stance_status key_text(const json_t *rec, const char *key, const char *where, long line,
                              char *buf, size_t size, const char **s, size_t *len,
                              stance_error *err)
{
    const json_t *v = json_object_get(rec, key);
    *s = NULL;
    if (!v)
        return STANCE_OK;
    if (json_is_string(v)) {
        *s = json_string_value(v);
        *len = json_string_length(v);
    } else if (json_is_integer(v)) {
        int n = snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *s = buf;
        *len = (size_t)n;
    } else {
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is not a string or an integer", key);
    }
    return STANCE_OK;
}

/* The keys of a record: its id (NULL if none) and "doc NUL start" in pos (pos_len 0 if none).
 * Fails when the record has neither. */
typedef struct {
    const char *id;
    size_t id_len;
    char idbuf[32];
    char *pos;
    size_t pos_len;
} rec_keys;

static stance_status get_keys(const json_t *rec, const char *where, long line, rec_keys *k,
                              stance_error *err)
{
    k->pos = NULL;
    k->pos_len = 0;
    char docbuf[32];
    const char *doc;
    size_t doc_len;
    stance_status st = key_text(rec, "id", where, line, k->idbuf, sizeof k->idbuf, &k->id,
                                &k->id_len, err);
    if (st == STANCE_OK)
        st = key_text(rec, "doc", where, line, docbuf, sizeof docbuf, &doc, &doc_len, err);
    if (st != STANCE_OK)
        return st;
    const json_t *start = json_object_get(rec, "start");
    if (start && !(json_is_integer(start) && json_integer_value(start) >= 0))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"start\" is not a non-negative integer");
    if (doc && start) {
        char num[32];
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(start));
        k->pos_len = doc_len + 1 + (size_t)n;
        if (!(k->pos = malloc(k->pos_len + 1)))
            return stance_fail_nomem(err, where);
        memcpy(k->pos, doc, doc_len);
        k->pos[doc_len] = '\0'; /* so messages can print doc and start as two strings */
        memcpy(k->pos + doc_len + 1, num, (size_t)n + 1);
    } else if (!k->id) {
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "record has no \"id\" and no \"doc\" and \"start\" to match it by");
    }
    return STANCE_OK;
}

static stance_status grow_gold(stance_eval *ev, const char *where, stance_error *err)
{
    if (ev->ngold < ev->gold_cap)
        return STANCE_OK;
    size_t cap = ev->gold_cap ? ev->gold_cap * 2 : 256;
    gold_rec *g = realloc(ev->gold, cap * sizeof *g);
    if (!g)
        return stance_fail_nomem(err, where);
    ev->gold = g;
    size_t nv = ev->nvalues ? ev->nvalues : 1;
    signed char *t = realloc(ev->gold_targets, cap * nv);
    if (!t)
        return stance_fail_nomem(err, where);
    ev->gold_targets = t;
    ev->gold_cap = cap;
    return STANCE_OK;
}

stance_status stance_eval_add_gold(stance_eval *ev, const json_t *rec, const char *where,
                                   long line, stance_error *err)
{
    stance_status st = grow_gold(ev, where, err);
    if (st != STANCE_OK)
        return st;
    if (!ev->gold_where && !(ev->gold_where = strdup(where)))
        return stance_fail_nomem(err, where);
    signed char *t = ev->gold_targets + ev->ngold * ev->nvalues;
    st = stance_codebook_targets(ev->cb, rec, where, line, t, err);
    rec_keys k;
    if (st == STANCE_OK)
        st = get_keys(rec, where, line, &k, err);
    if (st != STANCE_OK)
        return st;
    long i;
    if (k.id && (i = stance_strmap_find(&ev->by_id, k.id, k.id_len)) >= 0)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "duplicate \"id\" \"%s\" (also line %ld)", k.id,
                         ev->gold[ev->by_id.entries[i].value].line);
    else if (k.pos && (i = stance_strmap_find(&ev->by_pos, k.pos, k.pos_len)) >= 0)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "duplicate \"doc\" \"%s\" and \"start\" %s (also line %ld)", k.pos,
                         k.pos + strlen(k.pos) + 1, ev->gold[ev->by_pos.entries[i].value].line);
    else if ((k.id && stance_strmap_put(&ev->by_id, k.id, k.id_len, ev->ngold) < 0) ||
             (k.pos && stance_strmap_put(&ev->by_pos, k.pos, k.pos_len, ev->ngold) < 0))
        st = stance_fail_nomem(err, where);
    free(k.pos);
    if (st != STANCE_OK)
        return st;
    ev->gold[ev->ngold++] = (gold_rec){line, 0, k.id != NULL, 0};
    return STANCE_OK;
}

stance_status stance_eval_add_pred(stance_eval *ev, const json_t *rec, const char *where,
                                   long line, stance_error *err)
{
    stance_status st = stance_codebook_targets(ev->cb, rec, where, line, ev->scratch, err);
    rec_keys k;
    if (st == STANCE_OK)
        st = get_keys(rec, where, line, &k, err);
    if (st != STANCE_OK)
        return st;
    long g = k.id ? stance_strmap_find(&ev->by_id, k.id, k.id_len) : -1;
    if (g >= 0) {
        g = (long)ev->by_id.entries[g].value;
    } else if (k.pos && (g = stance_strmap_find(&ev->by_pos, k.pos, k.pos_len)) >= 0) {
        g = (long)ev->by_pos.entries[g].value;
        if (k.id && ev->gold[g].has_id) /* both have ids, and they differ */
            g = -1;
    }
    free(k.pos);
    if (g < 0) {
        ev->unmatched_pred++;
        return STANCE_OK;
    }
    gold_rec *gr = &ev->gold[g];
    if (gr->matched)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "second prediction for the gold record at %s:%ld (first on line %ld)",
                           ev->gold_where, gr->line, gr->pred_line);
    gr->matched = 1;
    gr->pred_line = line;
    ev->gold_matched++;
    stance_eval_add(ev, ev->gold_targets + (size_t)g * ev->nvalues, ev->scratch);
    return STANCE_OK;
}

size_t stance_eval_matched(const stance_eval *ev)
{
    return ev->matched;
}

size_t stance_eval_unmatched_gold(const stance_eval *ev)
{
    return ev->ngold - ev->gold_matched;
}

size_t stance_eval_unmatched_pred(const stance_eval *ev)
{
    return ev->unmatched_pred;
}

static double ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : NAN;
}

static void fill_scores(size_t tp, size_t fp, size_t fn, stance_eval_scores *s)
{
    s->tp = tp;
    s->fp = fp;
    s->fn = fn;
    s->support = tp + fn;
    s->precision = ratio(tp, tp + fp);
    s->recall = ratio(tp, tp + fn);
    s->f1 = ratio(2 * tp, 2 * tp + fp + fn);
}

void stance_eval_get_scores(const stance_eval *ev, size_t slot, stance_eval_scores *out)
{
    fill_scores(ev->tp[slot], ev->fp[slot], ev->fn[slot], out);
}

/* Mean of the defined (not NaN) entries, NaN if none. */
typedef struct {
    double sum;
    size_t n;
} mean_acc;

static void mean_add(mean_acc *m, double x)
{
    if (!isnan(x)) {
        m->sum += x;
        m->n++;
    }
}

static double mean_get(const mean_acc *m)
{
    return m->n ? m->sum / (double)m->n : NAN;
}

void stance_eval_get_summary(const stance_eval *ev, size_t d, stance_eval_summary *out)
{
    const stance_dimension *dim = stance_codebook_dimension(ev->cb, d);
    memset(out, 0, sizeof *out);
    out->records = ev->records[d];
    out->missing = ev->missing[d];
    mean_acc p = {0, 0}, r = {0, 0}, f = {0, 0};
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < dim->nvalues; i++) {
        stance_eval_scores s;
        stance_eval_get_scores(ev, dim->offset + i, &s);
        mean_add(&p, s.precision);
        mean_add(&r, s.recall);
        mean_add(&f, s.f1);
        tp += s.tp;
        fp += s.fp;
        fn += s.fn;
    }
    out->macro_precision = mean_get(&p);
    out->macro_recall = mean_get(&r);
    out->macro_f1 = mean_get(&f);
    out->accuracy = NAN;
    if (dim->kind == STANCE_DIM_MULTI) {
        fill_scores(tp, fp, fn, &out->micro);
    } else {
        out->accuracy = ratio(tp, out->records); /* the diagonal is the sum of the tp */
        out->confusion = ev->confusion[d];
    }
}

/* ---- JSON report ---- */

static json_t *real_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

/* {"precision", "recall", "f1"}. */
static json_t *prf_json(double p, double r, double f)
{
    return json_pack("{s:o, s:o, s:o}", "precision", real_or_null(p), "recall", real_or_null(r),
                     "f1", real_or_null(f));
}

/* Sets key of obj to v (stolen); 0 on failure, including v == NULL. */
static int set_new(json_t *obj, const char *key, json_t *v)
{
    return v && json_object_set_new(obj, key, v) == 0;
}

static json_t *count_json(size_t n)
{
    return json_integer((json_int_t)n);
}

static json_t *dimension_json(const stance_eval *ev, size_t d)
{
    const stance_dimension *dim = stance_codebook_dimension(ev->cb, d);
    stance_eval_summary sum;
    stance_eval_get_summary(ev, d, &sum);
    json_t *o = json_object(), *values = json_object();
    int ok = o && values &&
             set_new(o, "kind", json_string(dim->kind == STANCE_DIM_MULTI ? "multi" : "single")) &&
             set_new(o, "records", count_json(sum.records)) &&
             set_new(o, "missing", count_json(sum.missing)) &&
             set_new(o, "macro", prf_json(sum.macro_precision, sum.macro_recall, sum.macro_f1));
    for (size_t i = 0; ok && i < dim->nvalues; i++) {
        stance_eval_scores s;
        stance_eval_get_scores(ev, dim->offset + i, &s);
        json_t *v = prf_json(s.precision, s.recall, s.f1);
        ok = v && set_new(v, "support", count_json(s.support)) &&
             set_new(v, "tp", count_json(s.tp)) && set_new(v, "fp", count_json(s.fp)) &&
             set_new(v, "fn", count_json(s.fn));
        ok = set_new(values, dim->labels[i], v) && ok;
    }
    if (ok && dim->kind == STANCE_DIM_MULTI) {
        ok = set_new(o, "micro", prf_json(sum.micro.precision, sum.micro.recall, sum.micro.f1));
    } else if (ok) {
        json_t *conf = json_object();
        ok = set_new(o, "accuracy", real_or_null(sum.accuracy)) && set_new(o, "confusion", conf);
        for (size_t g = 0; ok && g < dim->nvalues; g++) {
            json_t *row = json_object();
            ok = set_new(conf, dim->labels[g], row);
            for (size_t p = 0; ok && p < dim->nvalues; p++)
                ok = set_new(row, dim->labels[p], count_json(sum.confusion[g * dim->nvalues + p]));
        }
    }
    ok = set_new(o, "values", values) && ok;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *stance_eval_to_json(const stance_eval *ev)
{
    json_t *root = json_object(), *dims = json_object();
    if (!root)
        json_decref(dims);
    int ok = root && set_new(root, "dimensions", dims) &&
             set_new(root, "matched", count_json(ev->matched)) &&
             set_new(root, "unmatched_gold", count_json(stance_eval_unmatched_gold(ev))) &&
             set_new(root, "unmatched_pred", count_json(ev->unmatched_pred));
    for (size_t d = 0; ok && d < ev->ndims; d++)
        ok = set_new(dims, stance_codebook_dimension(ev->cb, d)->name, dimension_json(ev, d));
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- text table ---- */

#define NUM_W 10 /* width of each number column */

static void put_ratio(FILE *f, double x)
{
    if (isnan(x))
        fprintf(f, "%*s", NUM_W, "-");
    else
        fprintf(f, "%*.3f", NUM_W, x);
}

static void put_row(FILE *f, int w, const char *label, double p, double r, double f1,
                    size_t support)
{
    fprintf(f, "%-*s", w, label);
    put_ratio(f, p);
    put_ratio(f, r);
    put_ratio(f, f1);
    fprintf(f, "%*zu\n", NUM_W, support);
}

static void write_dimension(const stance_eval *ev, size_t d, FILE *f)
{
    const stance_dimension *dim = stance_codebook_dimension(ev->cb, d);
    stance_eval_summary sum;
    stance_eval_get_summary(ev, d, &sum);
    int w = (int)strlen("accuracy");
    for (size_t i = 0; i < dim->nvalues; i++)
        if ((int)strlen(dim->labels[i]) > w)
            w = (int)strlen(dim->labels[i]);
    w += 2;
    fprintf(f, "%s (%s): %zu record%s", dim->name,
            dim->kind == STANCE_DIM_MULTI ? "multi" : "single", sum.records,
            sum.records == 1 ? "" : "s");
    if (sum.missing)
        fprintf(f, ", %zu more labeled in gold but not predicted", sum.missing);
    fprintf(f, "\n%-*s%*s%*s%*s%*s\n", w, "value", NUM_W, "precision", NUM_W, "recall", NUM_W,
            "f1", NUM_W, "support");
    size_t support = 0;
    for (size_t i = 0; i < dim->nvalues; i++) {
        stance_eval_scores s;
        stance_eval_get_scores(ev, dim->offset + i, &s);
        put_row(f, w, dim->labels[i], s.precision, s.recall, s.f1, s.support);
        support += s.support;
    }
    if (dim->kind == STANCE_DIM_MULTI)
        put_row(f, w, "micro", sum.micro.precision, sum.micro.recall, sum.micro.f1, support);
    put_row(f, w, "macro", sum.macro_precision, sum.macro_recall, sum.macro_f1, support);
    if (dim->kind == STANCE_DIM_MULTI)
        return;
    fprintf(f, "%-*s%*s%*s", w, "accuracy", NUM_W, "", NUM_W, "");
    put_ratio(f, sum.accuracy);
    fprintf(f, "%*zu\n", NUM_W, sum.records);
    fprintf(f, "confusion (rows gold, columns predicted)\n%-*s", w, "");
    for (size_t p = 0; p < dim->nvalues; p++)
        fprintf(f, "  %*s", (int)strlen(dim->labels[p]) < 5 ? 5 : (int)strlen(dim->labels[p]),
                dim->labels[p]);
    fputc('\n', f);
    for (size_t g = 0; g < dim->nvalues; g++) {
        fprintf(f, "%-*s", w, dim->labels[g]);
        for (size_t p = 0; p < dim->nvalues; p++)
            fprintf(f, "  %*zu", (int)strlen(dim->labels[p]) < 5 ? 5 : (int)strlen(dim->labels[p]),
                    sum.confusion[g * dim->nvalues + p]);
        fputc('\n', f);
    }
}

stance_status stance_eval_write(const stance_eval *ev, FILE *f, const char *name,
                                stance_error *err)
{
    for (size_t d = 0; d < ev->ndims; d++) {
        write_dimension(ev, d, f);
        fputc('\n', f);
    }
    fprintf(f, "records: %zu matched, %zu gold unmatched, %zu predicted unmatched\n", ev->matched,
            stance_eval_unmatched_gold(ev), ev->unmatched_pred);
    if (ferror(f))
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}
