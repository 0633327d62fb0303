/* suggest.c: the passages worth labeling next (uncertain, a random share, no near-duplicates),
 * and annotation-tool tasks with the model's labels as pre-annotations. */
#include "stance/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_int.h"
#include "article_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "jsonw_int.h"
#include "model_int.h"
#include "record_int.h"
#include "stance/jsonl.h"
#include "stance/vocab.h"
#include "suggest_int.h"

static const char *const format_names[] = {"jsonl", "doccano", "labelstudio", "prodigy"};

int stance_task_format_parse(const char *name, stance_task_format *fmt)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *fmt = (stance_task_format)i;
            return 0;
        }
    return -1;
}

void stance_suggest_options_default(stance_suggest_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->n = 50;
    opt->random_share = 0.2;
    opt->max_similarity = 0.9;
    opt->seed = 1;
}

/* ---- uncertainty ---- */

/* Keeps (distance, label) when it is smaller than the best so far. */
static void closer(double dist, size_t d, long v, double p, double *best, size_t *dim,
                   long *value, double *score)
{
    if (dist < *best) {
        *best = dist;
        *dim = d;
        *value = v;
        *score = p;
    }
}

double stance_suggest_uncertainty(const stance_codebook *cb, const double *probs,
                                  const double *applies, size_t *dim, long *value, double *score)
{
    double best = 1;
    *dim = 0, *value = -1, *score = 0;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dm = stance_codebook_get_dimension(cb, d);
        const double *p = probs + dm->offset;
        if (dm->kind == STANCE_DIM_MULTI) {
            for (size_t v = 0; v < dm->nvalues; v++)
                closer(fabs(p[v] - 0.5), d, (long)v, p[v], &best, dim, value, score);
            continue;
        }
        size_t top = 0, second = dm->nvalues > 1 ? 1 : 0;
        if (p[second] > p[top])
            top = 1, second = 0;
        for (size_t v = 2; v < dm->nvalues; v++) {
            if (p[v] > p[top])
                second = top, top = v;
            else if (p[v] > p[second])
                second = v;
        }
        if (p[top] > 0) /* else untrained */
            closer((p[top] - p[second]) / 2, d, (long)top, p[top], &best, dim, value, score);
        if (applies[d] >= 0)
            closer(fabs(applies[d] - 0.5), d, -1, applies[d], &best, dim, value, score);
    }
    return best;
}

/* ---- the pick ---- */

/* splitmix64, for the random share: a seeded generator of its own (no process-wide state). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double dot(const stance_vector *a, const stance_vector *b)
{
    double s = 0;
    for (size_t i = 0, j = 0; i < a->count && j < b->count;) {
        if (a->items[i].index < b->items[j].index)
            i++;
        else if (a->items[i].index > b->items[j].index)
            j++;
        else
            s += a->items[i++].value * b->items[j++].value;
    }
    return s;
}

typedef struct {
    const stance_vector *vecs;
    const double *norms;
    double max_similarity;
    size_t *picked;
    size_t npicked;
} batch;

/* 1 if candidate i is no near-duplicate of a passage already picked. A passage without
 * features is like none. */
static int distinct(const batch *b, size_t i)
{
    if (b->norms[i] == 0)
        return 1;
    for (size_t k = 0; k < b->npicked; k++) {
        size_t j = b->picked[k];
        if (b->norms[j] > 0 &&
            dot(&b->vecs[i], &b->vecs[j]) / (b->norms[i] * b->norms[j]) > b->max_similarity)
            return 0;
    }
    return 1;
}

typedef struct {
    double key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Candidate indices by uncertainty, least first, ties in index order, into order: a total
 * order, so the result does not depend on qsort's stability. 0 on no memory. */
static int uncertainty_order(const double *uncertainty, size_t count, size_t *order)
{
    keyed *k = malloc((count ? count : 1) * sizeof *k);
    if (!k)
        return 0;
    for (size_t i = 0; i < count; i++)
        k[i] = (keyed){uncertainty[i], i};
    qsort(k, count, sizeof *k, by_key);
    for (size_t i = 0; i < count; i++)
        order[i] = k[i].index;
    free(k);
    return 1;
}

/* Adds the least uncertain candidates (order: by uncertainty) to the batch, up to n in all,
 * passing over near-duplicates; marks them taken. */
static void pick_uncertain(batch *b, const size_t *order, size_t count, size_t n,
                           unsigned char *taken, unsigned char *random)
{
    for (size_t k = 0; k < count && b->npicked < n; k++)
        if (distinct(b, order[k])) {
            taken[order[k]] = 1;
            random[b->npicked] = 0;
            b->picked[b->npicked++] = order[k];
        }
}

/* Adds candidates not taken, in a seeded random order (Fisher-Yates, drawn as it goes; order
 * is scratch space), up to n in all, passing over near-duplicates. */
static void pick_random(batch *b, size_t *order, size_t count, size_t n, uint64_t seed,
                        const unsigned char *taken, unsigned char *random)
{
    size_t m = 0;
    for (size_t i = 0; i < count; i++)
        if (!taken[i])
            order[m++] = i;
    uint64_t state = seed;
    for (size_t k = 0; k < m && b->npicked < n; k++) {
        size_t j = k + (size_t)(next_random(&state) % (m - k));
        size_t t = order[k];
        order[k] = order[j];
        order[j] = t;
        if (distinct(b, order[k])) {
            random[b->npicked] = 1;
            b->picked[b->npicked++] = order[k];
        }
    }
}

stance_status stance_suggest_pick(const double *uncertainty, const stance_vector *vecs,
                                  size_t count, const stance_suggest_options *opt, size_t *picked,
                                  unsigned char *random, size_t *npicked, stance_error *err)
{
    *npicked = 0;
    size_t *order = malloc((count ? count : 1) * sizeof *order);
    double *norms = malloc((count ? count : 1) * sizeof *norms);
    unsigned char *taken = calloc(count ? count : 1, 1);
    if (!order || !norms || !taken || !uncertainty_order(uncertainty, count, order)) {
        free(order), free(norms), free(taken);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < count; i++)
        norms[i] = sqrt(dot(&vecs[i], &vecs[i]));
    batch b = {vecs, norms, opt->max_similarity, picked, 0};
    size_t nrandom = (size_t)floor((double)opt->n * opt->random_share + 0.5);
    pick_uncertain(&b, order, count, opt->n - nrandom, taken, random);
    pick_random(&b, order, count, opt->n, opt->seed, taken, random);
    *npicked = b.npicked;
    free(order), free(norms), free(taken);
    return STANCE_OK;
}

/* ---- the suggester ---- */

/* A scored passage, waiting for the pick; its vector is in the suggester's vecs. */
typedef struct {
    json_t *rec;        /* the record as stance-tag writes it */
    double uncertainty; /* stance_suggest_uncertainty */
    size_t dim;
    long value;
    double score;
} candidate;

struct stance_suggester {
    const stance_model *m;
    stance_suggest_options opt;
    stance_analyzer *an;
    double *probs, *applies;
    signed char *present;
    candidate *cands;
    stance_vector *vecs;
    size_t count, cands_cap, vecs_cap;
    char *buf; /* the article unit's text */
    size_t buf_cap;
    stance_jsonw_object rec;
    stance_jsonw line;
};

stance_status stance_suggester_new(const stance_model *m, const stance_suggest_options *opt,
                                   stance_suggester **out, stance_error *err)
{
    *out = NULL;
    if (opt->n == 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "the number of passages to pick must be at least 1");
    if (!(opt->random_share >= 0 && opt->random_share <= 1))
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "the random share must be from 0 to 1, not %g",
                           opt->random_share);
    if (!(opt->max_similarity >= 0 && opt->max_similarity <= 1))
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "the largest similarity must be from 0 to 1, not %g", opt->max_similarity);
    const stance_codebook *cb = stance_model_get_codebook(m);
    size_t nv = stance_codebook_get_value_count(cb), nd = stance_codebook_get_dimension_count(cb);
    stance_suggester *s = calloc(1, sizeof *s);
    if (!s || !(s->probs = calloc(nv + 1, sizeof *s->probs)) ||
        !(s->present = calloc(nv + 1, 1)) || !(s->applies = calloc(nd + 1, sizeof *s->applies))) {
        stance_suggester_free(s);
        return stance_fail_nomem(err, NULL);
    }
    s->m = m;
    s->opt = *opt;
    stance_jsonw_object_init(&s->rec);
    stance_jsonw_init(&s->line);
    stance_status st = stance_model_analyzer_new(m, &s->an, err);
    if (st != STANCE_OK) {
        stance_suggester_free(s);
        return st;
    }
    *out = s;
    return STANCE_OK;
}

void stance_suggester_free(stance_suggester *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        json_decref(s->cands[i].rec);
        stance_vector_clear(&s->vecs[i]);
    }
    free(s->cands);
    free(s->vecs);
    stance_analyzer_free(s->an);
    free(s->probs);
    free(s->present);
    free(s->applies);
    free(s->buf);
    stance_jsonw_object_clear(&s->rec);
    stance_jsonw_clear(&s->line);
    free(s);
}

size_t stance_suggester_get_count(const stance_suggester *s)
{
    return s->count;
}

/* Scores v into s->probs, s->present and s->applies as stance_suggest_uncertainty reads them:
 * an untrained value's probability 0, and applies -1 where a dimension has no trained applies
 * unit (stance_model_predict_full gives NaN for both). */
static void predict(stance_suggester *s, const stance_vector *v)
{
    const stance_codebook *cb = stance_model_get_codebook(s->m);
    stance_model_predict_full(s->m, v, NULL, s->probs, s->applies, s->present);
    for (size_t i = 0; i < stance_codebook_get_value_count(cb); i++)
        if (isnan(s->probs[i]))
            s->probs[i] = 0;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++)
        if (isnan(s->applies[d]))
            s->applies[d] = -1;
}

/* Scores text (the record in s->rec) and keeps it as the next candidate. */
static stance_status keep(stance_suggester *s, const char *text, size_t len, const char *doc,
                          const json_t *extra, stance_error *err)
{
    candidate *c = stance_grow(s->cands, &s->cands_cap, s->count, 1, sizeof *c);
    if (c)
        s->cands = c;
    stance_vector *v = stance_grow(s->vecs, &s->vecs_cap, s->count, 1, sizeof *v);
    if (v)
        s->vecs = v;
    if (!c || !v)
        return stance_fail_nomem(err, doc);
    c = &s->cands[s->count];
    v = &s->vecs[s->count];
    stance_vector_init(v);
    c->rec = NULL;
    const char *const *stems;
    const size_t *lens;
    size_t n;
    stance_status st = stance_analyzer_run(s->an, text, len, &stems, &lens, &n, err);
    if (st == STANCE_OK)
        st = stance_vocab_vectorize(stance_model_vocab(s->m), stems, lens, n, NULL, 0, v, err);
    if (st == STANCE_OK) {
        predict(s, v);
        c->uncertainty = stance_suggest_uncertainty(stance_model_get_codebook(s->m), s->probs,
                                                    s->applies, &c->dim, &c->value, &c->score);
        s->line.len = 0;
        s->line.failed = 0;
        if (!stance_record_write(&s->line, &s->rec, extra, 0))
            st = stance_fail_nomem(err, doc);
    }
    if (st == STANCE_OK) /* the line ends with its newline */
        st = stance_json_parse(s->line.buf, s->line.len - 1, doc, &c->rec, err);
    if (st == STANCE_OK)
        st = stance_model_set_labels(s->m, s->probs, s->present, c->rec, err);
    if (st != STANCE_OK) {
        json_decref(c->rec);
        stance_vector_clear(v);
        return st;
    }
    s->count++;
    return STANCE_OK;
}

/* The article unit: its non-meta passages joined by newlines, as stance-tag scores them. */
static stance_status add_article_unit(stance_suggester *s, const stance_article *art,
                                      const char *doc, const json_t *extra, stance_error *err)
{
    stance_joined j;
    stance_status st = stance_article_join(art, doc, &s->buf, &s->buf_cap, &j, NULL, NULL, err);
    if (st != STANCE_OK)
        return st;
    if (j.count == 0) /* nothing to label */
        return STANCE_OK;
    st = stance_record_init(&s->rec, art, doc, NULL, 0, j.first, j.last, "article", 1, err);
    if (st == STANCE_OK) {
        stance_jsonw_object_integer(&s->rec, "passages", (long long)j.count);
        st = keep(s, s->buf, j.used, doc, extra, err);
    }
    return st;
}

stance_status stance_suggester_add(stance_suggester *s, const stance_article *art, const char *doc,
                                   const json_t *extra, stance_error *err)
{
    if (s->opt.article_unit)
        return add_article_unit(s, art, doc, extra, err);
    const char *text = stance_article_get_text(art, NULL);
    for (size_t i = 0; i < stance_article_get_passage_count(art); i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        if (p->kind == STANCE_KIND_META)
            continue;
        stance_status st = stance_record_init(&s->rec, art, doc, NULL, p->number, p->start, p->end,
                                              stance_kind_name(p->kind), 1, err);
        if (st == STANCE_OK)
            st = keep(s, text + p->start, p->end - p->start, doc, extra, err);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

/* Adds why candidate c was picked to its record. 0 on no memory. */
static int add_reason(const stance_model *m, candidate *c, int random)
{
    json_t *r = c->rec;
    if (random)
        return json_object_set_new(r, "reason", json_string("random")) == 0;
    const stance_dimension *d = stance_codebook_get_dimension(stance_model_get_codebook(m), c->dim);
    json_t *label = c->value >= 0 ? json_string(d->labels[c->value]) : json_null();
    /* four decimals, as stance-tag's scores */
    json_t *score = json_real(round(c->score * 10000) / 10000);
    return json_object_set_new(r, "reason", json_string("uncertain")) == 0 &&
           json_object_set_new(r, "dimension", json_string(d->name)) == 0 &&
           json_object_set_new(r, "label", label) == 0 && json_object_set_new(r, "score", score) == 0;
}

stance_status stance_suggester_write(stance_suggester *s, stance_task_format fmt, FILE *f,
                                     const char *name, size_t *picked, stance_error *err)
{
    if (picked)
        *picked = 0;
    double *unc = malloc((s->count ? s->count : 1) * sizeof *unc);
    size_t *idx = malloc(s->opt.n * sizeof *idx), n = 0;
    unsigned char *random = malloc(s->opt.n);
    json_t **recs = malloc(s->opt.n * sizeof *recs);
    stance_status st = unc && idx && random && recs ? STANCE_OK : stance_fail_nomem(err, NULL);
    for (size_t i = 0; st == STANCE_OK && i < s->count; i++)
        unc[i] = s->cands[i].uncertainty;
    if (st == STANCE_OK)
        st = stance_suggest_pick(unc, s->vecs, s->count, &s->opt, idx, random, &n, err);
    for (size_t k = 0; st == STANCE_OK && k < n; k++) {
        if (!add_reason(s->m, &s->cands[idx[k]], random[k]))
            st = stance_fail_nomem(err, NULL);
        recs[k] = s->cands[idx[k]].rec;
    }
    if (st == STANCE_OK)
        st = stance_tasks_write(f, name, stance_model_get_codebook(s->m), fmt, recs, n, err);
    if (st == STANCE_OK && picked)
        *picked = n;
    free(unc), free(idx), free(random), free(recs);
    return st;
}

/* ---- annotation-tool tasks ---- */

/* The label names of a dimension's field (suggest.h: a list or one label, each a string or a
 * {"label": ...} object; null or missing: none), appended to list, prefixed "dim:" if prefix. */
static int add_labels(json_t *list, const json_t *field, const char *prefix)
{
    size_t n = json_is_array(field) ? json_array_size(field) : field && !json_is_null(field);
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_is_array(field) ? json_array_get(field, i) : field;
        if (json_is_object(v))
            v = json_object_get(v, "label");
        if (!json_is_string(v))
            continue;
        json_t *s = prefix ? json_sprintf("%s:%s", prefix, json_string_value(v))
                           : json_string(json_string_value(v));
        if (json_array_append_new(list, s) != 0)
            return 0;
    }
    return 1;
}

/* Sets "stance_<key>" to v in obj. 0 on no memory. */
static int set_prefixed(json_t *obj, const char *key, json_t *v)
{
    size_t n = strlen(key);
    char *name = malloc(n + sizeof "stance_");
    if (!name)
        return 0;
    memcpy(name, "stance_", 7);
    memcpy(name + 7, key, n + 1);
    int ok = json_object_set(obj, name, v) == 0;
    free(name);
    return ok;
}

/* A new object: the record's fields other than "text" and the dimensions, "id" as
 * "passage_id" (unless it has one), and a key the task uses itself (reserved) prefixed
 * "stance_". NULL on no memory. */
static json_t *metadata(const stance_codebook *cb, const json_t *rec, const char *reserved)
{
    json_t *meta = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)rec, key, v) {
        int skip = strcmp(key, "text") == 0;
        for (size_t d = 0; !skip && d < stance_codebook_get_dimension_count(cb); d++)
            skip = strcmp(key, stance_codebook_get_dimension(cb, d)->name) == 0;
        if (skip || !meta)
            continue;
        int ok;
        if (strcmp(key, "id") == 0 && !json_object_get(rec, "passage_id"))
            ok = json_object_set(meta, "passage_id", v) == 0;
        else if (reserved && strcmp(key, reserved) == 0)
            ok = set_prefixed(meta, key, v);
        else
            ok = json_object_set(meta, key, v) == 0;
        if (!ok) {
            json_decref(meta);
            meta = NULL;
        }
    }
    return meta;
}

static json_t *text_of(const json_t *rec)
{
    const json_t *t = json_object_get(rec, "text");
    return json_string(json_is_string(t) ? json_string_value(t) : "");
}

static json_t *doccano_task(const stance_codebook *cb, const json_t *rec)
{
    size_t nd = stance_codebook_get_dimension_count(cb);
    json_t *task = metadata(cb, rec, "label"), *labels = json_array();
    int ok = task && labels && json_object_set_new(task, "text", text_of(rec)) == 0;
    for (size_t d = 0; ok && d < nd; d++) {
        const char *name = stance_codebook_get_dimension(cb, d)->name;
        ok = add_labels(labels, json_object_get(rec, name), nd > 1 ? name : NULL);
    }
    ok = ok && json_object_set(task, "label", labels) == 0;
    json_decref(labels);
    if (!ok) {
        json_decref(task);
        return NULL;
    }
    return task;
}

static json_t *labelstudio_task(const stance_codebook *cb, const json_t *rec)
{
    json_t *data = metadata(cb, rec, NULL), *result = json_array();
    int ok = data && result && json_object_set_new(data, "text", text_of(rec)) == 0;
    for (size_t d = 0; ok && d < stance_codebook_get_dimension_count(cb); d++) {
        const char *name = stance_codebook_get_dimension(cb, d)->name;
        json_t *choices = json_array();
        ok = choices && add_labels(choices, json_object_get(rec, name), NULL);
        if (ok && json_array_size(choices) > 0)
            ok = json_array_append_new(result, json_pack("{s:s, s:s, s:s, s:{s:O}}", "from_name", name,
                                                         "to_name", "text", "type", "choices",
                                                         "value", "choices", choices)) == 0;
        json_decref(choices);
    }
    json_t *task = ok ? json_pack("{s:O, s:[{s:s, s:O}]}", "data", data, "predictions",
                                  "model_version", "stance", "result", result)
                      : NULL;
    json_decref(data);
    json_decref(result);
    return task;
}

/* Appends the Prodigy choice tasks of rec, one per dimension, to tasks. 0 on no memory. */
static int prodigy_tasks(const stance_codebook *cb, const json_t *rec, json_t *tasks)
{
    int ok = 1;
    for (size_t d = 0; ok && d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dm = stance_codebook_get_dimension(cb, d);
        json_t *meta = metadata(cb, rec, "dimension"), *options = json_array(), *accept = json_array();
        ok = meta && options && accept &&
             json_object_set_new(meta, "dimension", json_string(dm->name)) == 0 &&
             add_labels(accept, json_object_get(rec, dm->name), NULL);
        for (size_t v = 0; ok && v < dm->nvalues; v++)
            ok = json_array_append_new(options, json_pack("{s:s, s:s}", "id", dm->labels[v],
                                                          "text", dm->labels[v])) == 0;
        json_t *task = ok ? json_pack("{s:o, s:O, s:O, s:O, s:{s:s}}", "text", text_of(rec),
                                      "meta", meta, "options", options, "accept", accept,
                                      "config", "choice_style",
                                      dm->kind == STANCE_DIM_MULTI ? "multiple" : "single")
                          : NULL;
        ok = task && json_array_append_new(tasks, task) == 0;
        json_decref(meta);
        json_decref(options);
        json_decref(accept);
    }
    return ok;
}

stance_status stance_tasks_write(FILE *f, const char *name, const stance_codebook *cb,
                                 stance_task_format fmt, json_t *const *records, size_t n,
                                 stance_error *err)
{
    json_t *tasks = json_array();
    int ok = tasks != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (fmt == STANCE_TASKS_JSONL)
            ok = json_array_append(tasks, records[i]) == 0;
        else if (fmt == STANCE_TASKS_DOCCANO)
            ok = json_array_append_new(tasks, doccano_task(cb, records[i])) == 0;
        else if (fmt == STANCE_TASKS_LABELSTUDIO)
            ok = json_array_append_new(tasks, labelstudio_task(cb, records[i])) == 0;
        else
            ok = prodigy_tasks(cb, records[i], tasks);
    }
    stance_status st = ok ? STANCE_OK : stance_fail_nomem(err, name);
    if (st == STANCE_OK && fmt == STANCE_TASKS_LABELSTUDIO) /* one JSON array, on one line */
        st = stance_jsonl_write(f, tasks, name, err);
    for (size_t i = 0; st == STANCE_OK && fmt != STANCE_TASKS_LABELSTUDIO && i < json_array_size(tasks); i++)
        st = stance_jsonl_write(f, json_array_get(tasks, i), name, err);
    json_decref(tasks);
    return st;
}
