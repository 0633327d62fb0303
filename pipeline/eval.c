/* eval.c: matching predicted records with gold ones, counting per value and dimension, and
 * the report as JSON and as a text table. */
#include "stance/eval.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "eval_int.h"
#include "grow_int.h"
#include "strmap_int.h"

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
    for (size_t i = 0; i < ev->ngold; i++)
        json_decref(ev->gold[i].ident);
    free(ev->gold);
    free(ev->gold_targets);
    free(ev->pred_targets);
    free(ev->pred_scores);
    free(ev->scratch_scores);
    stance_strmap_clear(&ev->articles);
    stance_strmap_clear(&ev->by_id);
    stance_strmap_clear(&ev->by_pos);
    stance_strmap_clear(&ev->by_num);
    free(ev->gold_where);
    free(ev->scratch);
    free(ev->by);
    stance_strmap_clear(&ev->group_index);
    for (size_t i = 0; i < ev->ngroups; i++)
        stance_eval_free(ev->groups[i]);
    free(ev->groups);
    free(ev);
}

stance_status stance_eval_new(const stance_codebook *cb, stance_eval **out, stance_error *err)
{
    *out = NULL;
    stance_eval *ev = calloc(1, sizeof *ev);
    if (!ev)
        return stance_fail_nomem(err, NULL);
    stance_strmap_init(&ev->by_id);
    stance_strmap_init(&ev->by_pos);
    stance_strmap_init(&ev->group_index);
    stance_strmap_init(&ev->by_num);
    stance_strmap_init(&ev->articles);
    ev->cb = cb;
    ev->last_gold = -1;
    ev->max_unmatched = 0.5;
    ev->bootstrap = STANCE_EVAL_BOOTSTRAP;
    ev->seed = STANCE_EVAL_SEED;
    ev->nvalues = stance_codebook_get_value_count(cb);
    ev->ndims = stance_codebook_get_dimension_count(cb);
    size_t nv = ev->nvalues ? ev->nvalues : 1, nd = ev->ndims ? ev->ndims : 1;
    int ok = (ev->tp = calloc(nv, sizeof *ev->tp)) && (ev->fp = calloc(nv, sizeof *ev->fp)) &&
             (ev->fn = calloc(nv, sizeof *ev->fn)) &&
             (ev->records = calloc(nd, sizeof *ev->records)) &&
             (ev->missing = calloc(nd, sizeof *ev->missing)) &&
             (ev->confusion = calloc(nd, sizeof *ev->confusion)) &&
             (ev->scratch = malloc(nv)) &&
             (ev->scratch_scores = malloc(nv * sizeof *ev->scratch_scores));
    for (size_t d = 0; ok && d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        size_t side = dim->nvalues + (dim->optional != 0);
        if (dim->kind == STANCE_DIM_SINGLE)
            ok = (ev->confusion[d] = calloc(side * side, sizeof(size_t))) != NULL;
    }
    if (!ok) {
        stance_eval_free(ev);
        return stance_fail_nomem(err, NULL);
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
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        const signed char *g = gold + dim->offset, *p = pred + dim->offset;
        size_t n = dim->nvalues, at = dim->offset;
        if (g[0] == STANCE_TARGET_UNLABELED)
            continue;
        if (p[0] == STANCE_TARGET_UNLABELED && !dim->optional) {
            ev->missing[d]++;
            continue;
        }
        if (dim->kind == STANCE_DIM_SINGLE) {
            /* index n: no value applies (optional only); an unlabeled prediction abstains */
            size_t gi = the_yes(g, n), pi = p[0] == STANCE_TARGET_UNLABELED ? n : the_yes(p, n);
            if (!dim->optional && (gi == n || pi == n)) /* not from stance_codebook_targets */
                continue;
            ev->records[d]++;
            ev->confusion[d][gi * (n + (dim->optional != 0)) + pi]++;
            if (gi != pi && gi < n)
                ev->fn[at + gi]++;
            if (gi != pi && pi < n)
                ev->fp[at + pi]++;
            if (gi == pi && gi < n)
                ev->tp[at + gi]++;
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

/* The keys of a record: its id (NULL if none), "doc NUL start" in pos and "doc NUL passage" in
 * num (NULL if the record lacks either part). Fails when the record has none of them. */
typedef struct {
    const char *id, *doc;
    size_t id_len, doc_len;
    char idbuf[32], docbuf[32];
    char *pos, *num;
    size_t pos_len, num_len;
} rec_keys;

static void keys_free(rec_keys *k)
{
    free(k->pos);
    free(k->num);
}

/* The non-negative integer field key of rec (NULL if absent). */
static stance_status count_field(const json_t *rec, const char *key, const char *where, long line,
                                 const json_t **v, stance_error *err)
{
    *v = json_object_get(rec, key);
    if (*v && !(json_is_integer(*v) && json_integer_value(*v) >= 0))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is not a non-negative integer", key);
    return STANCE_OK;
}

/* "doc NUL number" (NUL-terminated too, so messages can print both as strings) into *key. */
static stance_status doc_key(const char *doc, size_t doc_len, const json_t *number,
                             const char *where, char **key, size_t *len, stance_error *err)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(number));
    *len = doc_len + 1 + (size_t)n;
    if (!(*key = malloc(*len + 1)))
        return stance_fail_nomem(err, where);
    memcpy(*key, doc, doc_len);
    (*key)[doc_len] = '\0';
    memcpy(*key + doc_len + 1, num, (size_t)n + 1);
    return STANCE_OK;
}

static stance_status get_keys(const json_t *rec, const char *where, long line, rec_keys *k,
                              stance_error *err)
{
    k->pos = k->num = NULL;
    k->pos_len = k->num_len = 0;
    const json_t *start, *passage;
    stance_status st = key_text(rec, "id", where, line, k->idbuf, sizeof k->idbuf, &k->id,
                                &k->id_len, err);
    if (st == STANCE_OK)
        st = key_text(rec, "doc", where, line, k->docbuf, sizeof k->docbuf, &k->doc, &k->doc_len,
                      err);
    if (st == STANCE_OK)
        st = count_field(rec, "start", where, line, &start, err);
    if (st == STANCE_OK)
        st = count_field(rec, "passage", where, line, &passage, err);
    if (st == STANCE_OK && !passage) /* the seeds' gold numbers paragraphs so */
        st = count_field(rec, "paragraph", where, line, &passage, err);
    if (st == STANCE_OK && k->doc && start)
        st = doc_key(k->doc, k->doc_len, start, where, &k->pos, &k->pos_len, err);
    if (st == STANCE_OK && k->doc && passage)
        st = doc_key(k->doc, k->doc_len, passage, where, &k->num, &k->num_len, err);
    if (st == STANCE_OK && !k->id && !k->pos && !k->num)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "record has no \"id\", and no \"doc\" with \"start\" or \"passage\", "
                         "to match it by");
    if (st != STANCE_OK)
        keys_free(k);
    return st;
}

/* Room for one more gold record in gold, gold_targets, pred_targets and pred_scores (rows of
 * nvalues), which share gold_cap: each grows from it, and gold_cap becomes the least of their
 * new capacities (a failure leaves those grown so far larger, which is harmless). */
static stance_status grow_gold(stance_eval *ev, const char *where, stance_error *err)
{
    size_t nv = ev->nvalues ? ev->nvalues : 1, n = ev->ngold, have = ev->gold_cap;
    if (n < have)
        return STANCE_OK;
    size_t c1 = have, c2 = have, c3 = have, c4 = have;
    stance_gold_rec *g = stance_grow(ev->gold, &c1, n, 1, sizeof *g);
    if (g)
        ev->gold = g;
    signed char *t = g ? stance_grow(ev->gold_targets, &c2, n, 1, nv) : NULL;
    if (t)
        ev->gold_targets = t;
    signed char *p = t ? stance_grow(ev->pred_targets, &c3, n, 1, nv) : NULL;
    if (p)
        ev->pred_targets = p;
    double *sc = p ? stance_grow(ev->pred_scores, &c4, n, 1, nv * sizeof *sc) : NULL;
    if (!sc)
        return stance_fail_nomem(err, where);
    ev->pred_scores = sc;
    size_t cap = c1 < c2 ? c1 : c2;
    cap = cap < c3 ? cap : c3;
    ev->gold_cap = cap < c4 ? cap : c4;
    return STANCE_OK;
}

/* With null_means_none: an explicit null on an optional dimension of a gold record says that
 * none of its values applies, as [] does. */
static void null_as_none(const stance_eval *ev, const json_t *rec, signed char *t)
{
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        if (dim->optional && json_is_null(json_object_get(rec, dim->name)))
            memset(t + dim->offset, STANCE_TARGET_NO, dim->nvalues);
    }
}

/* The article a gold record belongs to, for the bootstrap: its "doc", else its "id" (the
 * passages of one JSON Lines article share it), else the record alone (a fresh key). */
static stance_status article_of(stance_eval *ev, const rec_keys *k, const char *where,
                                size_t *out, stance_error *err)
{
    char own[32];
    const char *name = k->doc ? k->doc : k->id;
    size_t len = k->doc ? k->doc_len : k->id_len;
    if (!name) {
        len = (size_t)snprintf(own, sizeof own, "#%zu", ev->ngold);
        name = own;
    }
    char *key = malloc(len + 2);
    if (!key)
        return stance_fail_nomem(err, where);
    key[0] = k->doc ? 'd' : k->id ? 'i' : 'r'; /* a doc "x" and an id "x" stay apart */
    memcpy(key + 1, name, len);
    key[len + 1] = '\0';
    long i = stance_strmap_put(&ev->articles, key, len + 1, ev->articles.count);
    free(key);
    if (i < 0)
        return stance_fail_nomem(err, where);
    *out = ev->articles.entries[i].value;
    return STANCE_OK;
}

/* The fields that name a record in --errors: those of id, doc, start, passage and paragraph
 * it has (NULL on no memory). */
static json_t *ident_of(const json_t *rec)
{
    static const char *const keys[] = {"id", "doc", "start", "passage", "paragraph"};
    json_t *o = json_object();
    for (size_t i = 0; o && i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(rec, keys[i]);
        if (v && json_object_set(o, keys[i], v) != 0) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
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
    if (st == STANCE_OK && ev->null_means_none)
        null_as_none(ev, rec, t);
    rec_keys k;
    if (st == STANCE_OK)
        st = get_keys(rec, where, line, &k, err);
    if (st != STANCE_OK)
        return st;
    int positioned = k.pos || k.num, new_id = k.id != NULL;
    long i;
    if (k.pos && (i = stance_strmap_find(&ev->by_pos, k.pos, k.pos_len)) >= 0)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "duplicate \"doc\" \"%s\" and \"start\" %s (also line %ld)", k.pos,
                         k.pos + strlen(k.pos) + 1, ev->gold[ev->by_pos.entries[i].value].line);
    else if (k.num && (i = stance_strmap_find(&ev->by_num, k.num, k.num_len)) >= 0)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "duplicate \"doc\" \"%s\" and \"passage\" %s (also line %ld)", k.num,
                         k.num + strlen(k.num) + 1, ev->gold[ev->by_num.entries[i].value].line);
    else if (k.id && (i = stance_strmap_find(&ev->by_id, k.id, k.id_len)) >= 0) {
        stance_gold_rec *other = &ev->gold[ev->by_id.entries[i].value];
        /* Passages of one article share its id; their positions tell them apart. */
        if (positioned && (other->has_start || other->has_passage))
            other->id_shared = 1;
        else
            st = stance_fail(err, STANCE_ERR_DATA, where, line,
                             "duplicate \"id\" \"%s\" (also line %ld)", k.id, other->line);
        new_id = 0;
    }
    if (st == STANCE_OK &&
        ((new_id && stance_strmap_put(&ev->by_id, k.id, k.id_len, ev->ngold) < 0) ||
         (k.pos && stance_strmap_put(&ev->by_pos, k.pos, k.pos_len, ev->ngold) < 0) ||
         (k.num && stance_strmap_put(&ev->by_num, k.num, k.num_len, ev->ngold) < 0)))
        st = stance_fail_nomem(err, where);
    size_t article = 0;
    json_t *ident = NULL;
    if (st == STANCE_OK)
        st = article_of(ev, &k, where, &article, err);
    if (st == STANCE_OK && !(ident = ident_of(rec)))
        st = stance_fail_nomem(err, where);
    if (st == STANCE_OK)
        ev->gold[ev->ngold++] =
            (stance_gold_rec){line, 0, k.pos != NULL, k.num != NULL, 0, 0, article, ident};
    keys_free(&k);
    return st;
}

/* The gold record the prediction with keys k matches (-1 if none), and by which key: the first
 * of doc and start, doc and passage, id, that both records have decides. */
static long find_gold(const stance_eval *ev, const rec_keys *k, stance_eval_key *by)
{
    long i;
    if (k->pos && (i = stance_strmap_find(&ev->by_pos, k->pos, k->pos_len)) >= 0) {
        *by = STANCE_MATCH_START;
        return (long)ev->by_pos.entries[i].value;
    }
    if (k->num && (i = stance_strmap_find(&ev->by_num, k->num, k->num_len)) >= 0) {
        long g = (long)ev->by_num.entries[i].value;
        *by = STANCE_MATCH_PASSAGE;
        return k->pos && ev->gold[g].has_start ? -1 : g; /* both have starts, and they differ */
    }
    if (k->id && (i = stance_strmap_find(&ev->by_id, k->id, k->id_len)) >= 0) {
        long g = (long)ev->by_id.entries[i].value;
        const stance_gold_rec *gr = &ev->gold[g];
        *by = STANCE_MATCH_ID;
        if (gr->id_shared || (k->pos && gr->has_start) || (k->num && gr->has_passage))
            return -1;
        return g;
    }
    return -1;
}

/* The group of a prediction: that of its ev->by field's value, made on first sight. */
static stance_status find_group(stance_eval *ev, const json_t *rec, const char *where, long line,
                                stance_eval **out, stance_error *err)
{
    const json_t *v = json_object_get(rec, ev->by);
    if (v && !json_is_null(v) && !json_is_string(v))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is not a string, and records are grouped by it", ev->by);
    const char *name = json_is_string(v) ? json_string_value(v) : STANCE_EVAL_NO_GROUP;
    size_t len = json_is_string(v) ? json_string_length(v) : strlen(name);
    long i = stance_strmap_find(&ev->group_index, name, len);
    if (i >= 0) {
        *out = ev->groups[ev->group_index.entries[i].value];
        return STANCE_OK;
    }
    stance_eval **g = stance_grow(ev->groups, &ev->groups_cap, ev->ngroups, 1, sizeof *g);
    if (!g)
        return stance_fail_nomem(err, where);
    ev->groups = g;
    stance_status st = stance_eval_new(ev->cb, &ev->groups[ev->ngroups], err);
    if (st != STANCE_OK)
        return st;
    if (stance_strmap_put(&ev->group_index, name, len, ev->ngroups) < 0) {
        stance_eval_free(ev->groups[ev->ngroups]);
        return stance_fail_nomem(err, where);
    }
    *out = ev->groups[ev->ngroups++];
    return STANCE_OK;
}

void stance_eval_set_null_means_none(stance_eval *ev, int on)
{
    ev->null_means_none = on != 0;
}

void stance_eval_set_preds_like_gold(stance_eval *ev, int on)
{
    ev->preds_too = on != 0;
}

void stance_eval_set_max_unmatched(stance_eval *ev, double share)
{
    ev->max_unmatched = share;
}

void stance_eval_set_bootstrap(stance_eval *ev, size_t replicates, uint64_t seed)
{
    ev->bootstrap = replicates;
    ev->seed = seed;
}

void stance_eval_set_detail(stance_eval *ev, int on)
{
    ev->detail = on != 0;
}

void stance_eval_restart(stance_eval *ev)
{
    size_t nv = ev->nvalues ? ev->nvalues : 1;
    memset(ev->tp, 0, nv * sizeof *ev->tp);
    memset(ev->fp, 0, nv * sizeof *ev->fp);
    memset(ev->fn, 0, nv * sizeof *ev->fn);
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        size_t side = dim->nvalues + (dim->optional != 0);
        ev->records[d] = ev->missing[d] = 0;
        if (ev->confusion[d])
            memset(ev->confusion[d], 0, side * side * sizeof(size_t));
    }
    for (size_t i = 0; i < ev->ngold; i++)
        ev->gold[i].matched = 0;
    ev->matched = ev->unmatched_pred = ev->gold_matched = 0;
    memset(ev->matched_by, 0, sizeof ev->matched_by);
}

int stance_eval_code(const stance_dimension *dim, const signed char *t, int abstain)
{
    if (t[0] == STANCE_TARGET_UNLABELED)
        return abstain && dim->optional ? (int)dim->nvalues : -1;
    return (int)the_yes(t, dim->nvalues); /* nvalues: none applies */
}

stance_status stance_eval_set_group_by(stance_eval *ev, const char *field, stance_error *err)
{
    char *by = strdup(field);
    if (!by)
        return stance_fail_nomem(err, NULL);
    free(ev->by);
    ev->by = by;
    return STANCE_OK;
}

size_t stance_eval_get_group_count(const stance_eval *ev)
{
    return ev->ngroups;
}

const char *stance_eval_get_group_value(const stance_eval *ev, size_t i)
{
    return stance_strmap_key(&ev->group_index, i); /* entry i is group i */
}

const stance_eval *stance_eval_get_group(const stance_eval *ev, size_t i)
{
    return ev->groups[i];
}

/* A score field v of a prediction: a number from 0 to 1 into *out; an error naming what. */
static stance_status score_value(const json_t *v, const char *what, const char *label,
                                 const char *where, long line, double *out, stance_error *err)
{
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" of \"%s\" must be a number from 0 to 1", what, label);
    *out = json_number_value(v);
    return STANCE_OK;
}

/* The assigned labels' own scores of dimension dim ({"label", "score"} objects), into out. */
static void assigned_scores(const stance_dimension *dim, const json_t *field, double *out)
{
    const json_t *one = field;
    for (size_t i = 0, n = json_is_array(field) ? json_array_size(field) : 1; i < n; i++) {
        if (json_is_array(field))
            one = json_array_get(field, i);
        const json_t *label = json_object_get(one, "label"), *score = json_object_get(one, "score");
        long at = json_is_string(label) ? stance_dimension_find(dim, json_string_value(label)) : -1;
        if (at >= 0 && json_is_number(score))
            out[at] = json_number_value(score);
    }
}

/* The scores of a prediction, one per value slot (NaN: unknown): from its "scores" object when
 * it has one (stance-tag --all-scores; for an optional single dimension each value's score
 * times "applies", the chance that any value applies, when given), else the assigned labels'
 * own scores (a value not assigned has none). */
static stance_status read_scores(const stance_eval *ev, const json_t *rec, const char *where,
                                 long line, double *out, stance_error *err)
{
    const json_t *scores = json_object_get(rec, "scores"), *applies = json_object_get(rec, "applies");
    if (scores && !json_is_object(scores))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"scores\" is not an object");
    if (applies && !json_is_null(applies) && !json_is_object(applies))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"applies\" is not an object");
    for (size_t v = 0; v < ev->nvalues; v++)
        out[v] = NAN;
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        const json_t *ds = json_object_get(scores, dim->name);
        double *o = out + dim->offset;
        if (!ds || json_is_null(ds)) {
            assigned_scores(dim, json_object_get(rec, dim->name), o);
            continue;
        }
        if (!json_is_object(ds))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"scores\" of \"%s\" is not an object", dim->name);
        for (size_t i = 0; i < dim->nvalues; i++) {
            const json_t *x = json_object_get(ds, dim->labels[i]);
            stance_status st = x ? score_value(x, "scores", dim->labels[i], where, line, &o[i], err)
                                 : STANCE_OK;
            if (st != STANCE_OK)
                return st;
        }
        const json_t *a = json_object_get(applies, dim->name);
        double p = 1;
        if (dim->optional && a) {
            stance_status st = score_value(a, "applies", dim->name, where, line, &p, err);
            if (st != STANCE_OK)
                return st;
            for (size_t i = 0; i < dim->nvalues; i++)
                o[i] *= p;
        }
    }
    return STANCE_OK;
}

stance_status stance_eval_add_pred(stance_eval *ev, const json_t *rec, const char *where,
                                   long line, stance_error *err)
{
    stance_status st = stance_codebook_targets(ev->cb, rec, where, line, ev->scratch, err);
    if (st == STANCE_OK && ev->preds_too && ev->null_means_none)
        null_as_none(ev, rec, ev->scratch);
    if (st == STANCE_OK)
        st = read_scores(ev, rec, where, line, ev->scratch_scores, err);
    stance_eval *group = NULL;
    if (st == STANCE_OK && ev->by)
        st = find_group(ev, rec, where, line, &group, err);
    rec_keys k;
    if (st == STANCE_OK)
        st = get_keys(rec, where, line, &k, err);
    if (st != STANCE_OK)
        return st;
    stance_eval_key by = STANCE_MATCH_START;
    long g = find_gold(ev, &k, &by);
    keys_free(&k);
    ev->last_gold = -1;
    if (g < 0) {
        ev->unmatched_pred++;
        if (group)
            group->unmatched_pred++;
        return STANCE_OK;
    }
    stance_gold_rec *gr = &ev->gold[g];
    if (gr->matched && ev->preds_too)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "second record for the unit at %s:%ld (first on line %ld)",
                           ev->gold_where, gr->line, gr->pred_line);
    if (gr->matched)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "second prediction for the gold record at %s:%ld (first on line %ld)%s",
                           ev->gold_where, gr->line, gr->pred_line,
                           by == STANCE_MATCH_ID ? "; passages of one text share its id: "
                                                   "tag with --unit document" : "");
    gr->matched = 1;
    ev->last_gold = g;
    gr->pred_line = line;
    memcpy(ev->pred_targets + (size_t)g * ev->nvalues, ev->scratch, ev->nvalues);
    memcpy(ev->pred_scores + (size_t)g * ev->nvalues, ev->scratch_scores,
           ev->nvalues * sizeof *ev->scratch_scores);
    ev->gold_matched++;
    ev->matched_by[by]++;
    stance_eval_add(ev, ev->gold_targets + (size_t)g * ev->nvalues, ev->scratch);
    if (group)
        stance_eval_add(group, ev->gold_targets + (size_t)g * ev->nvalues, ev->scratch);
    return STANCE_OK;
}

const signed char *stance_eval_get_last_gold(const stance_eval *ev)
{
    return ev->last_gold < 0 ? NULL : ev->gold_targets + (size_t)ev->last_gold * ev->nvalues;
}

stance_status stance_eval_check(const stance_eval *ev, stance_error *err)
{
    size_t unmatched = stance_eval_get_unmatched_gold(ev);
    if (unmatched == 0 ||
        (ev->gold_matched > 0 && (double)unmatched <= ev->max_unmatched * (double)ev->ngold))
        return STANCE_OK;
    size_t g = 0;
    while (ev->gold[g].matched)
        g++;
    if (ev->gold_matched == 0) {
        char others[64] = "";
        if (ev->ngold > 1)
            snprintf(others, sizeof others, ", nor any of the %zu others", ev->ngold - 1);
        return stance_fail(err, STANCE_ERR_DATA, ev->gold_where, ev->gold[g].line,
                           "no prediction matches this gold record%s: records match by \"doc\" "
                           "and \"start\", \"doc\" and \"passage\", or \"id\"", others);
    }
    char share[32] = "half"; /* the default */
    if (ev->max_unmatched != 0.5)
        snprintf(share, sizeof share, "%g%%", 100 * ev->max_unmatched);
    char more[64] = "";
    if (unmatched > 1)
        snprintf(more, sizeof more, ", nor %zu more", unmatched - 1);
    return stance_fail(err, STANCE_ERR_DATA, ev->gold_where, ev->gold[g].line,
                       "no prediction matches this gold record%s of the %zu "
                       "(more than %s of the gold records unmatched)", more, ev->ngold, share);
}

size_t stance_eval_get_matched_by(const stance_eval *ev, stance_eval_key key)
{
    return ev->matched_by[key];
}

size_t stance_eval_get_gold_count(const stance_eval *ev)
{
    return ev->ngold;
}

size_t stance_eval_get_matched(const stance_eval *ev)
{
    return ev->matched;
}

size_t stance_eval_get_unmatched_gold(const stance_eval *ev)
{
    return ev->ngold - ev->gold_matched;
}

size_t stance_eval_get_unmatched_pred(const stance_eval *ev)
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
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
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
    } else if (!dim->optional) {
        out->accuracy = ratio(tp, out->records); /* the diagonal is the sum of the tp */
        out->confusion = ev->confusion[d];
    } else {
        size_t n = dim->nvalues, side = n + 1, held = 0;
        const size_t *c = ev->confusion[d];
        out->optional = 1;
        out->confusion = c;
        for (size_t i = 0; i < n; i++) {
            out->none += c[n * side + i];
            held += c[i * side + n];
        }
        out->none += c[n * side + n];
        out->applies = out->records - out->none;
        out->accuracy = ratio(tp, out->applies); /* a null prediction there is wrong */
        fill_scores(c[n * side + n], held, out->none - c[n * side + n], &out->abstention);
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

/* The abstention figures of an optional dimension (eval.h). */
static json_t *abstention_json(const stance_eval_scores *a)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "rate", real_or_null(a->recall),
                     "precision", real_or_null(a->precision), "f1", real_or_null(a->f1), "gold",
                     count_json(a->support), "predicted", count_json(a->tp + a->fp), "correct",
                     count_json(a->tp));
}

/* The report of dimension d; st adds the intervals and the rest when not NULL. */
static json_t *dimension_json(const stance_eval *ev, size_t d, const stance_evalstat *st)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
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
        size_t side = dim->nvalues + (sum.optional != 0); /* row and column n: none applies */
        ok = set_new(o, "accuracy", real_or_null(sum.accuracy)) && set_new(o, "confusion", conf);
        for (size_t g = 0; ok && g < side; g++) {
            json_t *row = json_object();
            ok = set_new(conf, g < dim->nvalues ? dim->labels[g] : STANCE_EVAL_NONE, row);
            for (size_t p = 0; ok && p < side; p++)
                ok = set_new(row, p < dim->nvalues ? dim->labels[p] : STANCE_EVAL_NONE,
                             count_json(sum.confusion[g * side + p]));
        }
        if (ok && sum.optional)
            ok = set_new(o, "optional", json_true()) &&
                 set_new(o, "applies", count_json(sum.applies)) &&
                 set_new(o, "none", count_json(sum.none)) &&
                 set_new(o, "abstention", abstention_json(&sum.abstention));
    }
    ok = set_new(o, "values", values) && ok;
    if (ok && st)
        ok = stance_evalstat_dimension_json(st, ev, d, o);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The report of ev; of a group when group is set (no gold records of its own, no intervals). */
static json_t *report_json(const stance_eval *ev, int group)
{
    stance_evalstat st;
    if (!group && !stance_evalstat_init(&st, ev))
        return NULL;
    json_t *root = json_object(), *dims = json_object();
    if (!root)
        json_decref(dims);
    int ok = root && set_new(root, "dimensions", dims) &&
             set_new(root, "matched", count_json(ev->matched)) &&
             set_new(root, "matched_by",
                     json_pack("{s:o, s:o, s:o}", "doc_start", count_json(ev->matched_by[0]),
                               "doc_passage", count_json(ev->matched_by[1]), "id",
                               count_json(ev->matched_by[2]))) &&
             (group || set_new(root, "unmatched_gold", count_json(stance_eval_get_unmatched_gold(ev)))) &&
             set_new(root, "unmatched_pred", count_json(ev->unmatched_pred));
    for (size_t d = 0; ok && d < ev->ndims; d++)
        ok = set_new(dims, stance_codebook_get_dimension(ev->cb, d)->name,
                     dimension_json(ev, d, group ? NULL : &st));
    if (ok && !group)
        ok = set_new(root, "bootstrap", stance_evalstat_bootstrap_json(&st, ev)) &&
             set_new(root, "max_unmatched", json_real(ev->max_unmatched));
    if (!group)
        stance_evalstat_clear(&st);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

json_t *stance_eval_to_json(const stance_eval *ev)
{
    json_t *root = report_json(ev, 0);
    if (!root || !ev->by)
        return root;
    json_t *groups = json_array();
    int ok = set_new(root, "by", json_pack("{s:s, s:o}", "field", ev->by, "groups", groups));
    for (size_t i = 0; ok && i < ev->ngroups; i++) {
        json_t *g = report_json(ev->groups[i], 1);
        if (!g || json_object_set_new(g, "value", json_string(stance_eval_get_group_value(ev, i))) != 0) {
            json_decref(g);
            ok = 0;
        } else {
            ok = json_array_append_new(groups, g) == 0; /* takes g either way */
        }
    }
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

/* The end of a row: its interval when there is one (ci not NULL and defined). */
static void end_row(FILE *f, const stance_ci *ci)
{
    if (ci)
        stance_evalstat_put_ci(f, *ci);
    fputc('\n', f);
}

static void put_row(FILE *f, int w, const char *label, double p, double r, double f1,
                    size_t support, const stance_ci *ci)
{
    fprintf(f, "%-*s", w, label);
    put_ratio(f, p);
    put_ratio(f, r);
    put_ratio(f, f1);
    fprintf(f, "%*zu", NUM_W, support);
    end_row(f, ci);
}

/* A figure row like accuracy's: the ratio in the f1 column, its denominator under support. */
static void put_figure(FILE *f, int w, const char *label, double x, size_t count,
                       const stance_ci *ci)
{
    fprintf(f, "%-*s%*s%*s", w, label, NUM_W, "", NUM_W, "");
    put_ratio(f, x);
    fprintf(f, "%*zu", NUM_W, count);
    end_row(f, ci);
}

/* Width of the confusion column of label (at least 5). */
static int column_width(const char *label)
{
    int n = (int)strlen(label);
    return n < 5 ? 5 : n;
}

/* Label i of dim as the table shows it (controls escaped), in names[i]; 0 on no memory. */
static int escape_labels(const stance_dimension *dim, char **names)
{
    for (size_t i = 0; i < dim->nvalues; i++) {
        size_t size = 4 * strlen(dim->labels[i]) + 1;
        if (!(names[i] = malloc(size)))
            return 0;
        stance_error_escape(dim->labels[i], names[i], size);
    }
    return 1;
}

/* labels: the dimension's nvalues labels, escaped, and STANCE_EVAL_NONE after them. st adds
 * the intervals and model-gold alpha when not NULL. 0 on no memory. */
static int write_dimension(const stance_eval *ev, size_t d, char *const *labels,
                           const stance_evalstat *st, FILE *f)
{
    const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
    stance_eval_summary sum;
    stance_eval_get_summary(ev, d, &sum);
    int w = (int)strlen(sum.optional ? "abstention precision" : "accuracy");
    for (size_t i = 0; i < dim->nvalues; i++)
        if ((int)strlen(labels[i]) > w)
            w = (int)strlen(labels[i]);
    w += 2;
    char name[4 * 256];
    stance_error_escape(dim->name, name, sizeof name);
    fprintf(f, "%s (%s): %zu record%s", name,
            dim->kind == STANCE_DIM_MULTI ? "multi" : sum.optional ? "single, optional" : "single",
            sum.records, sum.records == 1 ? "" : "s");
    if (sum.optional)
        fprintf(f, ", %zu with a value, %zu with none", sum.applies, sum.none);
    if (sum.missing)
        fprintf(f, ", %zu more labeled in gold but not predicted", sum.missing);
    fprintf(f, "\n%-*s%*s%*s%*s%*s%s\n", w, "value", NUM_W, "precision", NUM_W, "recall", NUM_W,
            "f1", NUM_W, "support", st && st->replicates ? "    f1/accuracy 95% CI" : "");
    size_t support = 0;
    for (size_t i = 0; i < dim->nvalues; i++) {
        stance_eval_scores s;
        stance_eval_get_scores(ev, dim->offset + i, &s);
        put_row(f, w, labels[i], s.precision, s.recall, s.f1, s.support,
                st ? &st->f1[dim->offset + i] : NULL);
        support += s.support;
    }
    if (dim->kind == STANCE_DIM_MULTI)
        put_row(f, w, "micro", sum.micro.precision, sum.micro.recall, sum.micro.f1, support,
                st ? &st->micro_f1[d] : NULL);
    put_row(f, w, "macro", sum.macro_precision, sum.macro_recall, sum.macro_f1, support,
            st ? &st->macro_f1[d] : NULL);
    if (dim->kind == STANCE_DIM_SINGLE) {
        put_figure(f, w, "accuracy", sum.accuracy, sum.optional ? sum.applies : sum.records,
                   st ? &st->accuracy[d] : NULL);
        if (sum.optional) {
            put_figure(f, w, "abstention rate", sum.abstention.recall, sum.none, NULL);
            put_figure(f, w, "abstention precision", sum.abstention.precision,
                       sum.abstention.tp + sum.abstention.fp, NULL);
        }
        if (st) { /* its interval in the last column, its units under support */
            size_t j = stance_eval_item_of(ev->cb, d, 0);
            put_figure(f, w, "alpha", st->alpha[j], st->alpha_units[j], &st->alpha_ci[j]);
        }
    }
    if (st && ev->detail && !stance_evalstat_write_detail(st, ev, d, labels, f))
        return 0;
    if (dim->kind == STANCE_DIM_MULTI)
        return 1;
    size_t side = dim->nvalues + (sum.optional != 0); /* row and column n: none applies */
    fprintf(f, "confusion (rows gold, columns predicted%s)\n%-*s",
            sum.optional ? "; " STANCE_EVAL_NONE ": no value applies" : "", w, "");
    for (size_t p = 0; p < side; p++)
        fprintf(f, "  %*s", column_width(labels[p]), labels[p]);
    fputc('\n', f);
    for (size_t g = 0; g < side; g++) {
        fprintf(f, "%-*s", w, labels[g]);
        for (size_t p = 0; p < side; p++)
            fprintf(f, "  %*zu", column_width(labels[p]), sum.confusion[g * side + p]);
        fputc('\n', f);
    }
    return 1;
}

/* The report of every dimension of ev, each followed by a blank line (st: as write_dimension). */
static stance_status write_dimensions(const stance_eval *ev, const stance_evalstat *st, FILE *f,
                                      const char *name, stance_error *err)
{
    for (size_t d = 0; d < ev->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(ev->cb, d);
        char **labels = calloc(dim->nvalues + 1, sizeof *labels);
        int ok = labels && escape_labels(dim, labels);
        if (ok) {
            labels[dim->nvalues] = (char *)STANCE_EVAL_NONE; /* not freed below */
            ok = write_dimension(ev, d, labels, st, f);
            fputc('\n', f);
        }
        for (size_t i = 0; labels && i < dim->nvalues; i++)
            free(labels[i]);
        free(labels);
        if (!ok)
            return stance_fail_nomem(err, name);
    }
    return STANCE_OK;
}

/* "records: N matched" and, when prediction and gold had keys, which were used. */
static void write_matched(const stance_eval *ev, FILE *f)
{
    static const char *const by_name[] = {"by doc and start", "by doc and passage", "by id"};
    fprintf(f, "records: %zu matched", ev->matched);
    for (size_t b = 0, shown = 0; b < 3; b++)
        if (ev->matched_by[b])
            fprintf(f, "%s%zu %s", shown++ ? ", " : " (", ev->matched_by[b], by_name[b]);
    if (ev->matched_by[0] + ev->matched_by[1] + ev->matched_by[2])
        fputc(')', f);
}

stance_status stance_eval_write(const stance_eval *ev, FILE *f, const char *name,
                                stance_error *err)
{
    stance_evalstat stat;
    if (!stance_evalstat_init(&stat, ev))
        return stance_fail_nomem(err, name);
    stance_status st = write_dimensions(ev, &stat, f, name, err);
    stance_evalstat_clear(&stat);
    if (st != STANCE_OK)
        return st;
    write_matched(ev, f);
    fprintf(f, ", %zu gold unmatched, %zu predicted unmatched\n", stance_eval_get_unmatched_gold(ev),
            ev->unmatched_pred);
    for (size_t i = 0; ev->by && i < ev->ngroups; i++) {
        const stance_eval *g = ev->groups[i];
        char by[4 * 256], value[4 * 256];
        stance_error_escape(ev->by, by, sizeof by);
        stance_error_escape(stance_eval_get_group_value(ev, i), value, sizeof value);
        fprintf(f, "\n== %s: %s ==\n\n", by, value);
        /* A group of predictions only (metadata passages gold leaves out) has no tables. */
        if (g->matched && (st = write_dimensions(g, NULL, f, name, err)) != STANCE_OK)
            return st;
        write_matched(g, f);
        fprintf(f, ", %zu predicted unmatched\n", g->unmatched_pred);
    }
    if (ferror(f))
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}
