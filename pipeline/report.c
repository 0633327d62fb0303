/* report.c: the HTML report of tagged records (report.h): reading and checking the records,
 * the codebook read off them, texts from the articles, gold scoring through eval.c, the
 * statistics, and the page. */
#include "stance/report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codebook_int.h"
#include "error_int.h"
#include "eval_int.h"
#include "grow_int.h"
#include "outpath_int.h"
#include "report_int.h"
#include "strmap_int.h"
#include "utf8_int.h"

/* The first bytes of every page: what a file must begin with to be replaced by a save. */
#define PAGE_SIGNATURE "<!DOCTYPE html>\n<!-- stance-report -->\n"

/* Record fields that are never dimensions (codebook.h's reserved names, and "applies"). */
static const char *const record_fields[] = {
    "doc", "passage", "start", "end", "kind", "text", "passages", "id",
    "tokens", "offsets", "stems", "scores", "explain", "applies",
};

/* What the records show of one field, while the codebook is read off them. */
typedef enum { SHAPE_NONE, SHAPE_MULTI, SHAPE_SINGLE, SHAPE_OTHER } field_shape;

typedef struct {
    field_shape shape;
    long shape_line;     /* the line that settled the shape */
    int null_seen;       /* a record gave it null */
    int empty_seen;      /* a record gave it [] */
    int applies_seen;    /* "applies" names it */
    stance_strmap values; /* labels in order of first appearance */
} seen_field;

typedef struct {
    char *text; /* UTF-8 text of the article (the bytes after a byte-order mark) */
    size_t len;
    size_t shift; /* source offset of text[0]: the byte-order mark skipped */
    char *where;
} article_text;

typedef struct {
    json_t *rec; /* owned reference */
    long line;
    size_t doc;                /* index in docs */
    long long passage, start, end; /* -1 when absent */
    const char *kind;          /* borrowed from rec, NULL when absent */
    const char *text;          /* borrowed (article or rec), NULL when none */
    size_t text_len;
    long long base;            /* source offset of text[0], -1 when spans cannot be placed */
} tagged_rec;

typedef struct {
    json_t *rec;
    long line;
} gold_rec;

struct stance_report {
    char *title;
    char *where;                 /* the name of the tagged input (first seen) */
    char *gold_where;
    const stance_codebook *cb;   /* in use after finish: given or owned_cb */
    stance_codebook *owned_cb;   /* read off the records */
    stance_strmap fields;        /* field name -> index in seen */
    seen_field *seen;
    size_t nseen, seen_cap;
    tagged_rec *recs;
    size_t nrecs, recs_cap;
    stance_strmap docs;          /* doc -> index (entry i is doc i) */
    stance_strmap articles;      /* doc -> index in arts */
    article_text *arts;
    size_t narts, arts_cap;
    gold_rec *gold;
    size_t ngold, gold_cap;
    int null_means_none;
    /* After finish: per record, nvalues slots each, or ndims for applies. */
    size_t nvalues, ndims;
    signed char *assigned;       /* STANCE_TARGET_* per slot */
    double *score;               /* "scores" value, else the assigned label's score, else NaN */
    double *applies;             /* "applies" per dimension, NaN when absent */
    signed char *gold_targets;   /* the matched gold record's targets, UNLABELED when none */
    stance_eval *ev;
    size_t *order;               /* records grouped by doc, docs in order of first appearance */
    size_t *doc_first;           /* ndocs + 1 offsets into order */
    int finished;
};

stance_status stance_report_new(const char *title, stance_report **out, stance_error *err)
{
    *out = NULL;
    stance_report *r = calloc(1, sizeof *r);
    if (!r || !(r->title = strdup(title))) {
        free(r);
        return stance_fail_nomem(err, NULL);
    }
    stance_strmap_init(&r->fields);
    stance_strmap_init(&r->docs);
    stance_strmap_init(&r->articles);
    *out = r;
    return STANCE_OK;
}

void stance_report_free(stance_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nseen; i++)
        stance_strmap_clear(&r->seen[i].values);
    free(r->seen);
    stance_strmap_clear(&r->fields);
    for (size_t i = 0; i < r->nrecs; i++)
        json_decref(r->recs[i].rec);
    free(r->recs);
    stance_strmap_clear(&r->docs);
    stance_strmap_clear(&r->articles);
    for (size_t i = 0; i < r->narts; i++) {
        free(r->arts[i].text);
        free(r->arts[i].where);
    }
    free(r->arts);
    for (size_t i = 0; i < r->ngold; i++)
        json_decref(r->gold[i].rec);
    free(r->gold);
    free(r->assigned);
    free(r->score);
    free(r->applies);
    free(r->gold_targets);
    stance_eval_free(r->ev);
    free(r->order);
    free(r->doc_first);
    stance_codebook_free(r->owned_cb);
    free(r->title);
    free(r->where);
    free(r->gold_where);
    free(r);
}

void stance_report_set_codebook(stance_report *r, const stance_codebook *cb)
{
    r->cb = cb;
}

void stance_report_set_null_means_none(stance_report *r, int on)
{
    r->null_means_none = on != 0;
}

/* ---- checking a tagged record ---- */

static int is_record_field(const char *key)
{
    for (size_t i = 0; i < sizeof record_fields / sizeof record_fields[0]; i++)
        if (strcmp(key, record_fields[i]) == 0)
            return 1;
    return 0;
}

static int is_probability(const json_t *v)
{
    return json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 1;
}

/* A non-negative integer field, -1 when absent. */
static stance_status offset_field(const json_t *rec, const char *key, const char *where, long line,
                                  long long *out, stance_error *err)
{
    const json_t *v = json_object_get(rec, key);
    *out = -1;
    if (!v)
        return STANCE_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" is not a non-negative integer", key);
    *out = (long long)json_integer_value(v);
    return STANCE_OK;
}

/* "scores": {dimension: {value: probability}}; "applies": {dimension: probability or null}. */
static stance_status check_scores(const json_t *rec, const char *where, long line,
                                  stance_error *err)
{
    const json_t *scores = json_object_get(rec, "scores");
    const json_t *applies = json_object_get(rec, "applies");
    const char *dim, *value;
    const json_t *values, *p;
    if (scores && !json_is_object(scores))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"scores\" is not an object");
    json_object_foreach((json_t *)scores, dim, values) {
        if (!json_is_object(values))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"scores\".\"%s\" is not an object", dim);
        json_object_foreach((json_t *)values, value, p)
            if (!is_probability(p))
                return stance_fail(err, STANCE_ERR_DATA, where, line,
                                   "\"scores\".\"%s\".\"%s\" is not a number from 0 to 1", dim,
                                   value);
    }
    if (applies && !json_is_object(applies))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"applies\" is not an object");
    json_object_foreach((json_t *)applies, dim, p)
        if (!json_is_null(p) && !is_probability(p))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"applies\".\"%s\" is not a number from 0 to 1", dim);
    return STANCE_OK;
}

/* One term of an explanation: {"term": s, "contribution": x, "spans": [[a, b], ...]}. */
static stance_status check_term(const json_t *term, const char *what, const char *where,
                                long line, stance_error *err)
{
    const json_t *spans = json_object_get(term, "spans");
    if (!json_is_object(term) || !json_is_string(json_object_get(term, "term")) ||
        !json_is_number(json_object_get(term, "contribution")))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "%s: a term is not {\"term\": string, \"contribution\": number, ...}",
                           what);
    if (spans && !json_is_array(spans))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "%s: \"spans\" is not an array",
                           what);
    size_t i;
    const json_t *s;
    json_array_foreach(spans, i, s) {
        const json_t *a = json_array_get(s, 0), *b = json_array_get(s, 1);
        if (json_array_size(s) != 2 || !json_is_integer(a) || !json_is_integer(b) ||
            json_integer_value(a) < 0 || json_integer_value(b) < json_integer_value(a))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "%s: a span is not [start, end] with 0 <= start <= end", what);
    }
    return STANCE_OK;
}

/* "explain": {dimension: {label: {"decision": x, "bias": x, "rest": x, "terms": [...]}}}. */
static stance_status check_explain(const json_t *rec, const char *where, long line,
                                   stance_error *err)
{
    const json_t *explain = json_object_get(rec, "explain"), *labels, *e;
    const char *dim, *label;
    if (explain && !json_is_object(explain))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"explain\" is not an object");
    json_object_foreach((json_t *)explain, dim, labels) {
        if (!json_is_object(labels))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "\"explain\".\"%s\" is not an object", dim);
        json_object_foreach((json_t *)labels, label, e) {
            char what[128];
            snprintf(what, sizeof what, "\"explain\".\"%.40s\".\"%.40s\"", dim, label);
            const json_t *terms = json_object_get(e, "terms");
            if (!json_is_object(e) || !json_is_number(json_object_get(e, "decision")) ||
                !json_is_number(json_object_get(e, "bias")) ||
                !json_is_number(json_object_get(e, "rest")) || !json_is_array(terms))
                return stance_fail(err, STANCE_ERR_DATA, where, line,
                                   "%s is not {\"decision\", \"bias\", \"rest\": numbers, "
                                   "\"terms\": [...]}", what);
            size_t i;
            const json_t *t;
            json_array_foreach(terms, i, t) {
                stance_status st = check_term(t, what, where, line, err);
                if (st != STANCE_OK)
                    return st;
            }
        }
    }
    return STANCE_OK;
}

/* ---- the codebook read off the records ---- */

static stance_status field_entry(stance_report *r, const char *key, const char *where,
                                 seen_field **out, stance_error *err)
{
    size_t len = strlen(key);
    long i = stance_strmap_find(&r->fields, key, len);
    if (i >= 0) {
        *out = &r->seen[r->fields.entries[i].value];
        return STANCE_OK;
    }
    seen_field *s = stance_grow(r->seen, &r->seen_cap, r->nseen, 1, sizeof *s);
    if (!s)
        return stance_fail_nomem(err, where);
    r->seen = s;
    if (stance_strmap_put(&r->fields, key, len, r->nseen) < 0)
        return stance_fail_nomem(err, where);
    s = &r->seen[r->nseen++];
    memset(s, 0, sizeof *s);
    stance_strmap_init(&s->values);
    *out = s;
    return STANCE_OK;
}

static stance_status add_value(seen_field *s, const char *label, const char *where,
                               stance_error *err)
{
    if (stance_strmap_put(&s->values, label, strlen(label), s->values.count) < 0)
        return stance_fail_nomem(err, where);
    return STANCE_OK;
}

static const char *label_of(const json_t *v)
{
    return json_string_value(json_object_get(v, "label"));
}

/* The shape a value gives its field: an array of {"label"} objects, one such object, or other;
 * SHAPE_NONE for null and []. */
static field_shape shape_of(const json_t *v)
{
    if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
        return SHAPE_NONE;
    if (json_is_object(v))
        return label_of(v) ? SHAPE_SINGLE : SHAPE_OTHER;
    if (!json_is_array(v))
        return SHAPE_OTHER;
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e)
        if (!label_of(e))
            return SHAPE_OTHER;
    return SHAPE_MULTI;
}

static const char *shape_name(field_shape s)
{
    return s == SHAPE_MULTI ? "an array of labels" : s == SHAPE_SINGLE ? "one label" : "no label";
}

/* What one field of a tagged record tells of the codebook. */
static stance_status observe_field(stance_report *r, const char *key, const json_t *v,
                                   const char *where, long line, stance_error *err)
{
    seen_field *s;
    stance_status st = field_entry(r, key, where, &s, err);
    if (st != STANCE_OK)
        return st;
    field_shape shape = shape_of(v);
    s->null_seen |= json_is_null(v);
    s->empty_seen |= json_is_array(v) && json_array_size(v) == 0;
    if (shape == SHAPE_NONE)
        return STANCE_OK;
    if (s->shape != SHAPE_NONE && s->shape != shape)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "\"%s\" holds %s here and %s on line %ld: give --codebook", key,
                           shape_name(shape), shape_name(s->shape), s->shape_line);
    if (s->shape == SHAPE_NONE) {
        s->shape = shape;
        s->shape_line = line;
    }
    if (shape == SHAPE_SINGLE)
        return add_value(s, label_of(v), where, err);
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e)
        if (shape == SHAPE_MULTI && (st = add_value(s, label_of(e), where, err)) != STANCE_OK)
            return st;
    return STANCE_OK;
}

/* The dimensions and values "scores" and "applies" name (values in codebook order). */
static stance_status observe_scores(stance_report *r, const json_t *rec, const char *where,
                                    stance_error *err)
{
    const char *dim, *value;
    const json_t *values, *p;
    seen_field *s;
    stance_status st = STANCE_OK;
    json_object_foreach(json_object_get(rec, "scores"), dim, values) {
        if ((st = field_entry(r, dim, where, &s, err)) != STANCE_OK)
            return st;
        json_object_foreach((json_t *)values, value, p)
            if ((st = add_value(s, value, where, err)) != STANCE_OK)
                return st;
    }
    json_object_foreach(json_object_get(rec, "applies"), dim, p) {
        if ((st = field_entry(r, dim, where, &s, err)) != STANCE_OK)
            return st;
        s->applies_seen = 1;
    }
    return st;
}

static stance_status observe(stance_report *r, const json_t *rec, const char *where, long line,
                             stance_error *err)
{
    stance_status st = observe_scores(r, rec, where, err);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)rec, key, v)
        if (st == STANCE_OK && !is_record_field(key))
            st = observe_field(r, key, v, where, line, err);
    return st;
}

/* The values a gold record gives the fields seen as dimensions: strings, {"label"} objects, or
 * arrays of them; [] on a single one makes it optional. */
static stance_status observe_gold(stance_report *r, const json_t *rec, const char *where)
{
    for (size_t i = 0; i < r->nseen; i++) {
        seen_field *s = &r->seen[i];
        const json_t *v = json_object_get(rec, stance_strmap_key(&r->fields, i));
        if (s->shape != SHAPE_MULTI && s->shape != SHAPE_SINGLE)
            continue;
        if (json_is_array(v) && json_array_size(v) == 0)
            s->empty_seen = 1;
        size_t n = json_is_array(v) ? json_array_size(v) : 1;
        for (size_t k = 0; k < n; k++) {
            const json_t *e = json_is_array(v) ? json_array_get(v, k) : v;
            const char *label = json_is_string(e) ? json_string_value(e) : label_of(e);
            if (label && add_value(s, label, where, NULL) != STANCE_OK)
                return STANCE_ERR_NOMEM;
        }
    }
    return STANCE_OK;
}

/* The kind a field seen in the records takes as a dimension: multi, single, or none (not a
 * dimension: no label in any record, nor anything that says what it would be). */
static field_shape dimension_kind(const seen_field *s)
{
    if (s->shape == SHAPE_MULTI || s->shape == SHAPE_SINGLE)
        return s->shape;
    if (s->shape == SHAPE_OTHER || s->values.count == 0)
        return SHAPE_NONE;
    if (s->applies_seen || (s->null_seen && !s->empty_seen))
        return SHAPE_SINGLE; /* scores only, and null where no value applies */
    return SHAPE_MULTI;
}

/* The codebook of the dimensions seen, as codebook.h's JSON. */
static json_t *seen_codebook_json(const stance_report *r)
{
    json_t *dims = json_array(), *root = json_pack("{s:o}", "dimensions", dims);
    for (size_t i = 0; root && i < r->nseen; i++) {
        const seen_field *s = &r->seen[i];
        field_shape kind = dimension_kind(s);
        if (kind == SHAPE_NONE)
            continue;
        json_t *values = json_array();
        json_t *dim = json_pack("{s:s, s:s, s:o, s:b}", "name", stance_strmap_key(&r->fields, i),
                                "kind", kind == SHAPE_MULTI ? "multi" : "single", "values",
                                values, "optional",
                                kind == SHAPE_SINGLE && (s->null_seen || s->applies_seen ||
                                                         s->empty_seen));
        for (size_t k = 0; dim && k < s->values.count; k++)
            if (json_array_append_new(values, json_pack("{s:s}", "label",
                                                         stance_strmap_key(&s->values, k))) != 0) {
                json_decref(dim);
                dim = NULL;
            }
        if (json_array_append_new(dims, dim) != 0) {
            json_decref(root);
            return NULL;
        }
    }
    return root;
}

static stance_status settle_codebook(stance_report *r, stance_error *err)
{
    if (r->cb)
        return STANCE_OK;
    for (size_t g = 0; g < r->ngold; g++)
        if (observe_gold(r, r->gold[g].rec, r->gold_where) != STANCE_OK)
            return stance_fail_nomem(err, r->gold_where);
    json_t *json = seen_codebook_json(r);
    if (!json)
        return stance_fail_nomem(err, r->where);
    stance_error cb_err;
    stance_status st = stance_codebook_from_json(json, r->where, &r->owned_cb, &cb_err);
    json_decref(json);
    if (st == STANCE_ERR_NOMEM)
        return stance_fail_nomem(err, r->where);
    if (st != STANCE_OK)
        return stance_fail(err, STANCE_ERR_DATA, r->where, 0,
                           "cannot tell the codebook from the records (%s): give --codebook",
                           cb_err.message);
    r->cb = r->owned_cb;
    return STANCE_OK;
}

/* ---- adding records and articles ---- */

static stance_status remember_where(char **slot, const char *where, stance_error *err)
{
    if (!*slot && !(*slot = strdup(where)))
        return stance_fail_nomem(err, where);
    return STANCE_OK;
}

/* The doc of a record as text (a string, or an integer written into buf). */
static const char *doc_text(const json_t *rec, char *buf, size_t size)
{
    const json_t *doc = json_object_get(rec, "doc");
    if (json_is_string(doc))
        return json_string_value(doc);
    if (!json_is_integer(doc))
        return NULL;
    snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(doc));
    return buf;
}

stance_status stance_report_add_tagged(stance_report *r, json_t *rec, const char *where,
                                       long line, stance_error *err)
{
    char buf[32];
    const char *doc = doc_text(rec, buf, sizeof buf);
    tagged_rec t = {.rec = rec, .line = line, .base = -1};
    const json_t *kind = json_object_get(rec, "kind"), *text = json_object_get(rec, "text");
    stance_status st = remember_where(&r->where, where, err);
    if (st == STANCE_OK && !doc)
        st = stance_fail(err, STANCE_ERR_DATA, where, line,
                         "record has no \"doc\" (a string or an integer)");
    if (st == STANCE_OK)
        st = offset_field(rec, "passage", where, line, &t.passage, err);
    if (st == STANCE_OK)
        st = offset_field(rec, "start", where, line, &t.start, err);
    if (st == STANCE_OK)
        st = offset_field(rec, "end", where, line, &t.end, err);
    if (st == STANCE_OK && t.start >= 0 && t.end >= 0 && t.end < t.start)
        st = stance_fail(err, STANCE_ERR_DATA, where, line, "\"end\" %lld is before \"start\" %lld",
                         t.end, t.start);
    if (st == STANCE_OK && ((kind && !json_is_string(kind)) || (text && !json_is_string(text))))
        st = stance_fail(err, STANCE_ERR_DATA, where, line, "\"%s\" is not a string",
                         kind && !json_is_string(kind) ? "kind" : "text");
    if (st == STANCE_OK)
        st = check_scores(rec, where, line, err);
    if (st == STANCE_OK)
        st = check_explain(rec, where, line, err);
    if (st == STANCE_OK && !r->cb)
        st = observe(r, rec, where, line, err);
    if (st != STANCE_OK)
        return st;
    tagged_rec *recs = stance_grow(r->recs, &r->recs_cap, r->nrecs, 1, sizeof *recs);
    long d = stance_strmap_put(&r->docs, doc, strlen(doc), r->docs.count);
    if (!recs || d < 0) {
        if (recs)
            r->recs = recs;
        return stance_fail_nomem(err, where);
    }
    r->recs = recs;
    t.doc = r->docs.entries[d].value;
    t.kind = json_string_value(kind);
    recs[r->nrecs++] = t;
    json_incref(rec);
    return STANCE_OK;
}

stance_status stance_report_add_article(stance_report *r, const stance_article *art,
                                        const char *doc, const char *where, stance_error *err)
{
    size_t len;
    const char *text = stance_article_get_text(art, &len);
    long i = stance_strmap_find(&r->articles, doc, strlen(doc));
    if (i >= 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "a second article named \"%s\" (the first from %s)", doc,
                           r->arts[r->articles.entries[i].value].where);
    article_text *arts = stance_grow(r->arts, &r->arts_cap, r->narts, 1, sizeof *arts);
    if (!arts)
        return stance_fail_nomem(err, where);
    r->arts = arts;
    article_text a = {malloc(len + 1), len, stance_article_get_source_offset(art, 0),
                      strdup(where)};
    if (!a.text || !a.where ||
        stance_strmap_put(&r->articles, doc, strlen(doc), r->narts) < 0) {
        free(a.text);
        free(a.where);
        return stance_fail_nomem(err, where);
    }
    memcpy(a.text, text, len + 1);
    arts[r->narts++] = a;
    return STANCE_OK;
}

stance_status stance_report_add_gold(stance_report *r, json_t *rec, const char *where, long line,
                                     stance_error *err)
{
    stance_status st = remember_where(&r->gold_where, where, err);
    if (st != STANCE_OK)
        return st;
    gold_rec *g = stance_grow(r->gold, &r->gold_cap, r->ngold, 1, sizeof *g);
    if (!g)
        return stance_fail_nomem(err, where);
    r->gold = g;
    g[r->ngold++] = (gold_rec){rec, line};
    json_incref(rec);
    return STANCE_OK;
}

/* ---- finish: labels, texts, gold ---- */

static stance_status unknown_value(const tagged_rec *t, const char *where,
                                   const stance_dimension *dim, const char *label,
                                   stance_error *err)
{
    return stance_fail(err, STANCE_ERR_DATA, where, t->line, "unknown %s value \"%s\"",
                       dim->name, label);
}

/* The assigned labels of dimension dim, and their scores, into the record's slots. */
static stance_status read_labels(stance_report *r, size_t i, const stance_dimension *dim,
                                 stance_error *err)
{
    const tagged_rec *t = &r->recs[i];
    const json_t *v = json_object_get(t->rec, dim->name);
    signed char *a = r->assigned + i * r->nvalues + dim->offset;
    double *sc = r->score + i * r->nvalues + dim->offset;
    int labeled = v && !(json_is_null(v) && (dim->kind == STANCE_DIM_MULTI || !dim->optional));
    memset(a, labeled ? STANCE_TARGET_NO : STANCE_TARGET_UNLABELED, dim->nvalues);
    if (!labeled || json_is_null(v))
        return STANCE_OK;
    if (dim->kind == STANCE_DIM_MULTI ? !json_is_array(v) : json_is_array(v))
        return stance_fail(err, STANCE_ERR_DATA, r->where, t->line, "\"%s\" is not %s", dim->name,
                           dim->kind == STANCE_DIM_MULTI ? "an array" : "one label");
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t k = 0; k < n; k++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, k) : v;
        const char *label = json_is_string(e) ? json_string_value(e) : label_of(e);
        const json_t *score = json_object_get(e, "score");
        if (!label || (score && !is_probability(score)))
            return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                               "\"%s\": a label is not a string or {\"label\": string, "
                               "\"score\": number from 0 to 1}", dim->name);
        long at = stance_dimension_find(dim, label);
        if (at < 0)
            return unknown_value(t, r->where, dim, label, err);
        a[at] = STANCE_TARGET_YES;
        if (score)
            sc[at] = json_number_value(score);
    }
    return STANCE_OK;
}

/* The codebook's dimension named name, or NULL. */
static const stance_dimension *dimension_named(const stance_report *r, const char *name)
{
    long d = stance_codebook_find_dimension(r->cb, name);
    return d < 0 ? NULL : stance_codebook_get_dimension(r->cb, (size_t)d);
}

/* "scores" and "applies" of record i into its slots (they override the assigned scores). */
static stance_status read_scores(stance_report *r, size_t i, stance_error *err)
{
    const tagged_rec *t = &r->recs[i];
    const char *name, *value;
    const json_t *values, *p;
    json_object_foreach(json_object_get(t->rec, "scores"), name, values) {
        const stance_dimension *dim = dimension_named(r, name);
        if (!dim)
            return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                               "\"scores\" names \"%s\", not a dimension of the codebook", name);
        json_object_foreach((json_t *)values, value, p) {
            long at = stance_dimension_find(dim, value);
            if (at < 0)
                return unknown_value(t, r->where, dim, value, err);
            r->score[i * r->nvalues + dim->offset + (size_t)at] = json_number_value(p);
        }
    }
    for (size_t d = 0; d < r->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
        const json_t *a = json_object_get(json_object_get(t->rec, "applies"), dim->name);
        r->applies[i * r->ndims + d] = json_is_number(a) ? json_number_value(a) : NAN;
    }
    return STANCE_OK;
}

/* The text of record i: its bytes in its article, else its own "text". */
static stance_status place_text(stance_report *r, size_t i, stance_error *err)
{
    tagged_rec *t = &r->recs[i];
    const char *doc = stance_strmap_key(&r->docs, t->doc);
    const json_t *text = json_object_get(t->rec, "text");
    if (r->narts == 0) {
        t->text = json_string_value(text);
        t->text_len = json_string_length(text);
        if (t->text && t->start >= 0 && t->end - t->start == (long long)t->text_len)
            t->base = t->start;
        return STANCE_OK;
    }
    long a = stance_strmap_find(&r->articles, doc, strlen(doc));
    if (a < 0)
        return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                           "no article named \"%s\" among the %zu given", doc, r->narts);
    const article_text *art = &r->arts[r->articles.entries[a].value];
    if (t->start < 0 || t->end < 0)
        return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                           "record has no \"start\" and \"end\" to find its text by");
    if ((size_t)t->start < art->shift || (size_t)t->end - art->shift > art->len)
        return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                           "bytes %lld-%lld are outside article %s (%zu bytes)", t->start, t->end,
                           art->where, art->len + art->shift);
    t->text = art->text + (size_t)t->start - art->shift;
    t->text_len = (size_t)(t->end - t->start);
    t->base = t->start;
    return STANCE_OK;
}

/* Every explained label is the codebook's, and every span lies in the record's passage. */
static stance_status check_spans(const stance_report *r, const tagged_rec *t, stance_error *err)
{
    const char *name, *label;
    const json_t *labels, *e;
    json_object_foreach(json_object_get(t->rec, "explain"), name, labels) {
        const stance_dimension *dim = dimension_named(r, name);
        if (!dim)
            return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                               "\"explain\" names \"%s\", not a dimension of the codebook", name);
        json_object_foreach((json_t *)labels, label, e) {
            if (stance_dimension_find(dim, label) < 0)
                return unknown_value(t, r->where, dim, label, err);
            size_t k, j;
            const json_t *term, *span;
            json_array_foreach(json_object_get(e, "terms"), k, term)
                json_array_foreach(json_object_get(term, "spans"), j, span) {
                    json_int_t a = json_integer_value(json_array_get(span, 0));
                    json_int_t b = json_integer_value(json_array_get(span, 1));
                    if ((t->start >= 0 && a < t->start) || (t->end >= 0 && b > t->end))
                        return stance_fail(err, STANCE_ERR_DATA, r->where, t->line,
                                           "span [%" JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT
                                           "] of term \"%s\" is outside the passage (%lld-%lld)",
                                           a, b, json_string_value(json_object_get(term, "term")),
                                           t->start, t->end);
                }
        }
    }
    return STANCE_OK;
}

/* Records grouped by doc, in order of first appearance, each group in input order. */
static stance_status group_by_doc(stance_report *r, stance_error *err)
{
    size_t ndocs = r->docs.count;
    r->order = malloc(r->nrecs * sizeof *r->order);
    r->doc_first = calloc(ndocs + 1, sizeof *r->doc_first);
    if (!r->order || !r->doc_first)
        return stance_fail_nomem(err, NULL);
    for (size_t i = 0; i < r->nrecs; i++)
        r->doc_first[r->recs[i].doc + 1]++;
    for (size_t d = 0; d < ndocs; d++)
        r->doc_first[d + 1] += r->doc_first[d];
    size_t *fill = calloc(ndocs ? ndocs : 1, sizeof *fill);
    if (!fill)
        return stance_fail_nomem(err, NULL);
    for (size_t i = 0; i < r->nrecs; i++) {
        size_t d = r->recs[i].doc;
        r->order[r->doc_first[d] + fill[d]++] = i;
    }
    free(fill);
    return STANCE_OK;
}

static stance_status score_gold(stance_report *r, stance_error *err)
{
    stance_status st = stance_eval_new(r->cb, &r->ev, err);
    if (st != STANCE_OK)
        return st;
    stance_eval_set_null_means_none(r->ev, r->null_means_none);
    for (size_t g = 0; st == STANCE_OK && g < r->ngold; g++)
        st = stance_eval_add_gold(r->ev, r->gold[g].rec, r->gold_where, r->gold[g].line, err);
    for (size_t i = 0; st == STANCE_OK && i < r->nrecs; i++) {
        st = stance_eval_add_pred(r->ev, r->recs[i].rec, r->where, r->recs[i].line, err);
        const signed char *g = st == STANCE_OK ? stance_eval_get_last_gold(r->ev) : NULL;
        if (g)
            memcpy(r->gold_targets + i * r->nvalues, g, r->nvalues);
    }
    return st == STANCE_OK ? stance_eval_check(r->ev, err) : st;
}

/* Room for the per-record slots. */
static stance_status alloc_slots(stance_report *r, stance_error *err)
{
    size_t n = r->nrecs * r->nvalues, nd = r->nrecs * r->ndims;
    r->assigned = malloc(n ? n : 1);
    r->gold_targets = malloc(n ? n : 1);
    r->score = malloc((n ? n : 1) * sizeof *r->score);
    r->applies = malloc((nd ? nd : 1) * sizeof *r->applies);
    if (!r->assigned || !r->gold_targets || !r->score || !r->applies)
        return stance_fail_nomem(err, NULL);
    memset(r->gold_targets, STANCE_TARGET_UNLABELED, n);
    for (size_t i = 0; i < n; i++)
        r->score[i] = NAN;
    return STANCE_OK;
}

stance_status stance_report_finish(stance_report *r, stance_error *err)
{
    if (r->finished)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "report already finished");
    if (r->nrecs == 0)
        return stance_fail(err, STANCE_ERR_DATA, r->where, 0, "no records");
    stance_status st = settle_codebook(r, err);
    if (st != STANCE_OK)
        return st;
    r->nvalues = stance_codebook_get_value_count(r->cb);
    r->ndims = stance_codebook_get_dimension_count(r->cb);
    if ((st = alloc_slots(r, err)) != STANCE_OK)
        return st;
    for (size_t i = 0; st == STANCE_OK && i < r->nrecs; i++) {
        for (size_t d = 0; st == STANCE_OK && d < r->ndims; d++)
            st = read_labels(r, i, stance_codebook_get_dimension(r->cb, d), err);
        if (st == STANCE_OK)
            st = read_scores(r, i, err);
        if (st == STANCE_OK)
            st = place_text(r, i, err);
        if (st == STANCE_OK)
            st = check_spans(r, &r->recs[i], err);
    }
    if (st == STANCE_OK)
        st = group_by_doc(r, err);
    if (st == STANCE_OK && r->ngold)
        st = score_gold(r, err);
    r->finished = st == STANCE_OK;
    return st;
}

/* ---- statistics ---- */

size_t stance_report_get_record_count(const stance_report *r)
{
    return r->nrecs;
}

size_t stance_report_get_article_count(const stance_report *r)
{
    return r->docs.count;
}

size_t stance_report_get_matched(const stance_report *r)
{
    return r->ev ? stance_eval_get_matched(r->ev) : 0;
}

const stance_codebook *stance_report_get_codebook(const stance_report *r)
{
    return r->cb;
}

void stance_report_wilson(size_t k, size_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = fmax(0.0, centre - half);
    *hi = fmin(1.0, centre + half);
}

void stance_report_get_share(const stance_report *r, size_t d, size_t slot, size_t *k,
                             size_t *n)
{
    const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
    *k = *n = 0;
    for (size_t i = 0; i < r->nrecs; i++) {
        const signed char *a = r->assigned + i * r->nvalues + dim->offset;
        if (a[0] == STANCE_TARGET_UNLABELED)
            continue;
        (*n)++;
        if (slot != SIZE_MAX)
            *k += a[slot - dim->offset] == STANCE_TARGET_YES;
        else
            *k += memchr(a, STANCE_TARGET_YES, dim->nvalues) == NULL;
    }
}

static void bin_add(stance_report_bin *bins, double score, int outcome)
{
    size_t b = score >= 1 ? STANCE_REPORT_BINS - 1 : (size_t)(score * STANCE_REPORT_BINS);
    bins[b].n++;
    bins[b].score += score;
    bins[b].observed += outcome;
}

void stance_report_get_reliability(const stance_report *r, size_t d, int applies,
                                   stance_report_bin *bins)
{
    const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
    memset(bins, 0, STANCE_REPORT_BINS * sizeof *bins);
    for (size_t i = 0; i < r->nrecs; i++) {
        const signed char *g = r->gold_targets + i * r->nvalues + dim->offset;
        if (g[0] == STANCE_TARGET_UNLABELED)
            continue;
        int gold_applies = memchr(g, STANCE_TARGET_YES, dim->nvalues) != NULL;
        if (applies) {
            double p = r->applies[i * r->ndims + d];
            if (!isnan(p))
                bin_add(bins, p, gold_applies);
            continue;
        }
        if (dim->kind == STANCE_DIM_SINGLE && !gold_applies)
            continue; /* a single dimension's scores are given that a value applies */
        for (size_t v = 0; v < dim->nvalues; v++) {
            double s = r->score[i * r->nvalues + dim->offset + v];
            if (!isnan(s))
                bin_add(bins, s, g[v] == STANCE_TARGET_YES);
        }
    }
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++) {
        double n = (double)bins[b].n;
        bins[b].score = bins[b].n ? bins[b].score / n : NAN;
        bins[b].observed = bins[b].n ? bins[b].observed / n : NAN;
    }
}

/* ---- the page ---- */

/* Writes s[0..n) as HTML text, fit for element content and quoted attribute values: markup
 * characters as entities, bytes that are not UTF-8 and control characters (but tab, line feed
 * and carriage return, which CRLF text has) as U+FFFD. */
static void put_text(FILE *f, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = stance_utf8_decode(u + i, n - i, &cp);
        if (len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
            (cp >= 0x7f && cp < 0xa0)) {
            fputs("\xef\xbf\xbd", f);
            i += len ? len : 1;
            continue;
        }
        switch (cp) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fwrite(u + i, 1, len, f);
        }
        i += len;
    }
}

static void put_str(FILE *f, const char *s)
{
    put_text(f, s, strlen(s));
}

/* A share as a percentage with one decimal, "-" when undefined. */
static void put_pct(FILE *f, double x)
{
    if (isnan(x))
        fputs("-", f);
    else
        fprintf(f, "%.1f%%", 100 * x);
}

static void put_ratio(FILE *f, double x)
{
    if (isnan(x))
        fputs("<td>-", f);
    else
        fprintf(f, "<td>%.3f", x);
}

static const char page_css[] =
    "body{font:14px/1.45 'DejaVu Sans',system-ui,sans-serif;margin:0 auto;max-width:1100px;"
    "padding:12px 20px;color:#1d1d1d;background:#fff}"
    "h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;border-bottom:1px solid #ccc;"
    "margin-top:1.4em}h3{font-size:1em;margin:1em 0 .3em}"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums}"
    "td,th{padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
    "th{border-bottom:1px solid #bbb}.note{color:#666;font-size:.9em}"
    ".charts{display:flex;flex-wrap:wrap;gap:16px}svg text{font:11px 'DejaVu Sans',sans-serif}"
    "details.art{border:1px solid #d6d6d6;border-radius:4px;margin:5px 0;padding:3px 10px}"
    "details.art>summary{cursor:pointer}details.art>summary b{margin-right:.6em}"
    ".card{border-top:1px solid #eee;padding:6px 0}.pos{color:#666;font-size:.85em}"
    ".lab{display:inline-block;border-radius:3px;padding:0 6px;margin:1px 2px;"
    "background:#dde7f7;font-size:.85em}.lab.none{background:#eee;color:#555}"
    ".lab.gold{background:#f4ead0}"
    "table.sc td{padding:0 6px;font-size:.8em}table.sc .on{font-weight:bold}"
    ".bar{display:inline-block;width:140px;height:8px;background:#eee;vertical-align:middle}"
    ".bar i{display:block;height:8px;background:#8aa7dc}.on .bar i{background:#2456b3}"
    ".t{white-space:pre-wrap;margin:4px 0;max-width:80ch}"
    "input.x{position:absolute;opacity:0;width:1px;height:1px}"
    "label.x{display:inline-block;border:1px solid #bbb;border-radius:10px;padding:0 7px;"
    "margin:2px 2px 0 0;font-size:.8em;cursor:pointer}"
    "input.x:checked+label.x{background:#333;color:#fff;border-color:#333}"
    ".legend .p{background:#b9e2b9}.legend .n{background:#f2bdbd}";

static void put_head(const stance_report *r, FILE *f)
{
    fputs(PAGE_SIGNATURE "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"stance-report\">\n<title>",
          f);
    put_str(f, r->title);
    fprintf(f, "</title>\n<style>%s", page_css);
    /* The highlights of the label picked above a passage: one rule per codebook value. */
    for (size_t v = 0; v < r->nvalues; v++)
        fprintf(f, ".k%zu:checked~.t .p%zu{background:#b9e2b9}"
                   ".k%zu:checked~.t .n%zu{background:#f2bdbd}",
                v, v, v, v);
    fputs("</style></head><body>\n<h1>", f);
    put_str(f, r->title);
    fputs("</h1>\n", f);
}

/* Counts of records by kind, in order of first appearance. */
static void put_kinds(const stance_report *r, FILE *f)
{
    const char *seen[16];
    size_t counts[16], n = 0, other = 0;
    for (size_t i = 0; i < r->nrecs; i++) {
        const char *k = r->recs[i].kind ? r->recs[i].kind : "(no kind)";
        size_t j = 0;
        while (j < n && strcmp(seen[j], k) != 0)
            j++;
        if (j == n && n == sizeof seen / sizeof seen[0]) {
            other++;
            continue;
        }
        if (j == n) {
            seen[n] = k;
            counts[n++] = 0;
        }
        counts[j]++;
    }
    for (size_t j = 0; j < n; j++) {
        fprintf(f, "%s%zu ", j ? ", " : " (", counts[j]);
        put_str(f, seen[j]);
    }
    if (other)
        fprintf(f, ", %zu of other kinds", other);
    fputs(n ? ")" : "", f);
}

/* One bar chart row of a share with its interval; y is the row's top. */
static void put_share_bar(FILE *f, const char *label, size_t k, size_t n, int y)
{
    double lo, hi, p = n ? (double)k / (double)n : 0;
    stance_report_wilson(k, n, STANCE_REPORT_Z95, &lo, &hi);
    if (n == 0)
        lo = hi = 0;
    fputs("<g><title>", f);
    put_str(f, label);
    fprintf(f, ": %zu of %zu, ", k, n);
    put_pct(f, p);
    fputs(" (95% interval ", f);
    put_pct(f, lo);
    fputs(" to ", f);
    put_pct(f, hi);
    fputs(")</title>", f);
    fprintf(f, "<text x=\"146\" y=\"%d\" text-anchor=\"end\">", y + 12);
    put_str(f, label);
    fprintf(f, "</text><rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#5b84cf\"/>"
               "<path d=\"M%.1f %dH%.1fM%.1f %dv8M%.1f %dv8\" stroke=\"#222\"/>"
               "<text x=\"%.1f\" y=\"%d\">",
            y + 2, 260 * p, 150 + 260 * lo, y + 8, 150 + 260 * hi, 150 + 260 * lo, y + 4,
            150 + 260 * hi, y + 4, 150 + 260 * hi + 6, y + 12);
    put_pct(f, p);
    fputs("</text></g>", f);
}

/* The shares of one dimension's values (and of "none" on an optional one): a chart and a table. */
static void put_dimension_shares(const stance_report *r, FILE *f, size_t d)
{
    const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
    size_t rows = dim->nvalues + (dim->optional != 0), k, n;
    fputs("<div><h3>", f);
    put_str(f, dim->name);
    stance_report_get_share(r, d, dim->offset, &k, &n);
    fprintf(f, " <span class=\"note\">(%s, %zu passages labeled)</span></h3>\n",
            dim->kind == STANCE_DIM_MULTI ? "several or none per passage"
            : dim->optional             ? "one or none per passage"
                                        : "one per passage",
            n);
    fprintf(f, "<svg width=\"480\" height=\"%zu\" role=\"img\" aria-label=\"shares\">",
            rows * 20 + 4);
    for (size_t v = 0; v < rows; v++) {
        int none = v == dim->nvalues;
        stance_report_get_share(r, d, none ? SIZE_MAX : dim->offset + v, &k, &n);
        put_share_bar(f, none ? "(none)" : dim->labels[v], k, n, (int)(v * 20));
    }
    fputs("</svg>\n<table><tr><th>value<th>passages<th>share<th>95% interval</tr>\n", f);
    for (size_t v = 0; v < rows; v++) {
        int none = v == dim->nvalues;
        double lo, hi;
        stance_report_get_share(r, d, none ? SIZE_MAX : dim->offset + v, &k, &n);
        stance_report_wilson(k, n, STANCE_REPORT_Z95, &lo, &hi);
        fputs("<tr><td>", f);
        put_str(f, none ? "(none)" : dim->labels[v]);
        fprintf(f, "<td>%zu<td>", k);
        put_pct(f, n ? (double)k / (double)n : NAN);
        fputs("<td>", f);
        put_pct(f, lo);
        fputs(" &ndash; ", f);
        put_pct(f, hi);
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
}

static void put_summary(const stance_report *r, FILE *f)
{
    fprintf(f, "<h2>Collection</h2>\n<p>%zu article%s, %zu passage%s", r->docs.count,
            r->docs.count == 1 ? "" : "s", r->nrecs, r->nrecs == 1 ? "" : "s");
    put_kinds(r, f);
    fputs(". Shares are of the passages labeled on each dimension (metadata passages carry no "
          "labels), with 95% Wilson intervals.</p>\n<div class=\"charts\">\n", f);
    for (size_t d = 0; d < r->ndims; d++)
        put_dimension_shares(r, f, d);
    fputs("</div>\n", f);
}

/* Per-value precision, recall, F1 and support of dimension d, and its averages. */
static void put_scores_table(const stance_report *r, FILE *f, size_t d,
                             const stance_eval_summary *s)
{
    const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
    fputs("<table><tr><th>value<th>precision<th>recall<th>F1<th>support</tr>\n", f);
    for (size_t v = 0; v < dim->nvalues; v++) {
        stance_eval_scores sc;
        stance_eval_get_scores(r->ev, dim->offset + v, &sc);
        fputs("<tr><td>", f);
        put_str(f, dim->labels[v]);
        put_ratio(f, sc.precision);
        put_ratio(f, sc.recall);
        put_ratio(f, sc.f1);
        fprintf(f, "<td>%zu</tr>\n", sc.support);
    }
    if (dim->kind == STANCE_DIM_MULTI) {
        fputs("<tr><td>micro", f);
        put_ratio(f, s->micro.precision);
        put_ratio(f, s->micro.recall);
        put_ratio(f, s->micro.f1);
        fprintf(f, "<td>%zu</tr>\n", s->micro.support);
    }
    fputs("<tr><td>macro", f);
    put_ratio(f, s->macro_precision);
    put_ratio(f, s->macro_recall);
    put_ratio(f, s->macro_f1);
    fputs("<td></tr>\n</table>\n", f);
    if (dim->kind == STANCE_DIM_SINGLE) {
        fputs("<p>accuracy ", f);
        put_pct(f, s->accuracy);
        fprintf(f, " over %zu passages", dim->optional ? s->applies : s->records);
        if (dim->optional) {
            fputs(" gold gives a value; abstention rate ", f);
            put_pct(f, s->abstention.recall);
            fprintf(f, " of %zu with none, abstention precision ", s->none);
            put_pct(f, s->abstention.precision);
        }
        fputs("</p>\n", f);
    }
}

/* The confusion matrix of a single dimension as a heat map (gold rows, predicted columns). */
static void put_confusion(const stance_report *r, FILE *f, size_t d,
                          const stance_eval_summary *s)
{
    const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
    size_t side = dim->nvalues + (dim->optional != 0), max = 0;
    for (size_t c = 0; c < side * side; c++)
        max = s->confusion[c] > max ? s->confusion[c] : max;
    fputs("<table class=\"cm\"><tr><th>gold \\ predicted", f);
    for (size_t c = 0; c < side; c++) {
        fputs("<th>", f);
        put_str(f, c < dim->nvalues ? dim->labels[c] : STANCE_EVAL_NONE);
    }
    fputs("</tr>\n", f);
    for (size_t g = 0; g < side; g++) {
        fputs("<tr><th>", f);
        put_str(f, g < dim->nvalues ? dim->labels[g] : STANCE_EVAL_NONE);
        for (size_t c = 0; c < side; c++) {
            size_t n = s->confusion[g * side + c];
            double a = max ? (double)n / (double)max : 0;
            fprintf(f, "<td style=\"background:rgba(36,86,179,%.2f);color:%s;min-width:4em\">%zu",
                    a, a > 0.55 ? "#fff" : "#111", n);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A reliability diagram: bin means against observed shares, the diagonal, and the expected
 * calibration error (the bins' gaps weighted by their counts). */
static void put_reliability(FILE *f, const char *name, const stance_report_bin *bins)
{
    size_t total = 0;
    double ece = 0;
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++)
        total += bins[b].n;
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++)
        if (bins[b].n)
            ece += (double)bins[b].n / (double)total * fabs(bins[b].score - bins[b].observed);
    fputs("<div><h3>", f);
    put_str(f, name);
    if (total == 0) {
        fputs("</h3><p class=\"note\">no scores of matched passages</p></div>\n", f);
        return;
    }
    fprintf(f, " <span class=\"note\">(%zu scores; calibration error %.3f)</span></h3>\n", total,
            ece);
    fputs("<svg width=\"260\" height=\"250\" role=\"img\" aria-label=\"reliability\">"
          "<rect x=\"40\" y=\"10\" width=\"200\" height=\"200\" fill=\"none\" stroke=\"#999\"/>"
          "<path d=\"M40 210L240 10\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
          "<text x=\"140\" y=\"240\" text-anchor=\"middle\">predicted score</text>"
          "<text x=\"12\" y=\"110\" transform=\"rotate(-90 12 110)\" text-anchor=\"middle\">"
          "observed share</text><text x=\"40\" y=\"224\" text-anchor=\"middle\">0</text>"
          "<text x=\"240\" y=\"224\" text-anchor=\"middle\">1</text>"
          "<text x=\"34\" y=\"14\" text-anchor=\"end\">1</text>",
          f);
    fputs("<polyline fill=\"none\" stroke=\"#2456b3\" points=\"", f);
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++)
        if (bins[b].n)
            fprintf(f, "%.1f,%.1f ", 40 + 200 * bins[b].score, 210 - 200 * bins[b].observed);
    fputs("\"/>", f);
    for (size_t b = 0; b < STANCE_REPORT_BINS; b++)
        if (bins[b].n)
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#2456b3\">"
                       "<title>scores %.1f-%.1f: %zu, mean %.3f, observed %.3f</title></circle>",
                    40 + 200 * bins[b].score, 210 - 200 * bins[b].observed,
                    2 + 6 * sqrt((double)bins[b].n / (double)total), 0.1 * (double)b,
                    0.1 * (double)(b + 1), bins[b].n, bins[b].score, bins[b].observed);
    fputs("</svg></div>\n", f);
}

/* Whether any record carries "applies" for dimension d. */
static int has_applies(const stance_report *r, size_t d)
{
    for (size_t i = 0; i < r->nrecs; i++)
        if (!isnan(r->applies[i * r->ndims + d]))
            return 1;
    return 0;
}

static void put_gold(const stance_report *r, FILE *f)
{
    const stance_eval *ev = r->ev;
    fprintf(f, "<h2>Against gold labels</h2>\n<p>%zu gold records; %zu matched (%zu by doc and "
               "start, %zu by doc and passage, %zu by id), %zu gold records and %zu passages "
               "unmatched.</p>\n",
            stance_eval_get_gold_count(ev), stance_eval_get_matched(ev),
            stance_eval_get_matched_by(ev, STANCE_MATCH_START),
            stance_eval_get_matched_by(ev, STANCE_MATCH_PASSAGE),
            stance_eval_get_matched_by(ev, STANCE_MATCH_ID), stance_eval_get_unmatched_gold(ev),
            stance_eval_get_unmatched_pred(ev));
    for (size_t d = 0; d < r->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
        stance_eval_summary s;
        stance_eval_get_summary(ev, d, &s);
        fputs("<h3>", f);
        put_str(f, dim->name);
        fprintf(f, " <span class=\"note\">(%zu passages labeled in both)</span></h3>\n"
                   "<div class=\"charts\"><div>",
                s.records);
        put_scores_table(r, f, d, &s);
        if (dim->kind == STANCE_DIM_SINGLE)
            put_confusion(r, f, d, &s);
        fputs("</div>\n", f);
        stance_report_bin bins[STANCE_REPORT_BINS];
        stance_report_get_reliability(r, d, 0, bins);
        put_reliability(f, "reliability", bins);
        if (dim->optional && has_applies(r, d)) {
            stance_report_get_reliability(r, d, 1, bins);
            put_reliability(f, "reliability of \"a value applies\"", bins);
        }
        fputs("</div>\n", f);
    }
}

/* One explained term's span in a passage's text. */
typedef struct {
    size_t a, b;  /* bytes of the passage's text */
    size_t slot;  /* the codebook value it explains */
    const char *label, *term;
    double contribution;
} mark;

/* Scratch space of the page writer. */
typedef struct {
    mark *marks;
    size_t nmarks, marks_cap;
    size_t *cuts;
    size_t cuts_cap;
    double *sums; /* per value slot */
    int nomem;
} page_scratch;

/* The marks of record t's explanation that fall in its text. */
static void collect_marks(const stance_report *r, const tagged_rec *t, page_scratch *ps)
{
    const char *name, *label;
    const json_t *labels, *e;
    ps->nmarks = 0;
    if (!t->text || t->base < 0)
        return;
    json_object_foreach(json_object_get(t->rec, "explain"), name, labels) {
        const stance_dimension *dim = dimension_named(r, name);
        json_object_foreach((json_t *)labels, label, e) {
            size_t slot = dim->offset + (size_t)stance_dimension_find(dim, label), k, j;
            const json_t *term, *span;
            json_array_foreach(json_object_get(e, "terms"), k, term)
                json_array_foreach(json_object_get(term, "spans"), j, span) {
                    long long a = json_integer_value(json_array_get(span, 0)) - t->base;
                    long long b = json_integer_value(json_array_get(span, 1)) - t->base;
                    if (a < 0 || b <= a || b > (long long)t->text_len)
                        continue;
                    mark *m = stance_grow(ps->marks, &ps->marks_cap, ps->nmarks, 1, sizeof *m);
                    if (!m) {
                        ps->nomem = 1;
                        return;
                    }
                    ps->marks = m;
                    const json_t *c = json_object_get(term, "contribution");
                    m[ps->nmarks++] = (mark){(size_t)a, (size_t)b, slot, label,
                                             json_string_value(json_object_get(term, "term")),
                                             json_number_value(c)};
                }
        }
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* One piece of text that the same marks cover: classes by the sign of each label's summed
 * contribution, and a title listing the terms. */
static void put_segment(const stance_report *r, FILE *f, const tagged_rec *t, size_t x, size_t y,
                        page_scratch *ps)
{
    size_t covering = 0;
    for (size_t m = 0; m < ps->nmarks; m++)
        if (ps->marks[m].a <= x && y <= ps->marks[m].b) {
            ps->sums[ps->marks[m].slot] = 0;
            covering++;
        }
    if (covering == 0) {
        put_text(f, t->text + x, y - x);
        return;
    }
    for (size_t m = 0; m < ps->nmarks; m++)
        if (ps->marks[m].a <= x && y <= ps->marks[m].b)
            ps->sums[ps->marks[m].slot] += ps->marks[m].contribution;
    fputs("<span class=\"", f);
    const char *gap = "";
    for (size_t v = 0; v < r->nvalues; v++)
        for (size_t m = 0; m < ps->nmarks; m++)
            if (ps->marks[m].slot == v && ps->marks[m].a <= x && y <= ps->marks[m].b) {
                fprintf(f, "%s%s%zu", gap, ps->sums[v] >= 0 ? "p" : "n", v);
                gap = " ";
                break;
            }
    fputs("\" title=\"", f);
    const char *sep = "";
    for (size_t m = 0; m < ps->nmarks; m++)
        if (ps->marks[m].a <= x && y <= ps->marks[m].b) {
            fputs(sep, f);
            put_str(f, ps->marks[m].term);
            fputs(" \xe2\x86\x92 ", f); /* an arrow */
            put_str(f, ps->marks[m].label);
            fprintf(f, " %+.3f", ps->marks[m].contribution);
            sep = "&#10;";
        }
    fputs("\">", f);
    put_text(f, t->text + x, y - x);
    fputs("</span>", f);
}

/* The passage text, cut where marks begin and end. */
static void put_marked_text(const stance_report *r, FILE *f, const tagged_rec *t,
                            page_scratch *ps)
{
    size_t *cuts = stance_grow(ps->cuts, &ps->cuts_cap, 0, 2 * ps->nmarks + 2, sizeof *cuts);
    if (!cuts) {
        ps->nomem = 1;
        return;
    }
    ps->cuts = cuts;
    size_t n = 0;
    cuts[n++] = 0;
    cuts[n++] = t->text_len;
    for (size_t m = 0; m < ps->nmarks; m++) {
        cuts[n++] = ps->marks[m].a;
        cuts[n++] = ps->marks[m].b;
    }
    qsort(cuts, n, sizeof *cuts, cmp_size);
    for (size_t k = 0; k + 1 < n; k++)
        if (cuts[k] < cuts[k + 1])
            put_segment(r, f, t, cuts[k], cuts[k + 1], ps);
}

/* The chips that pick which label's terms are highlighted (CSS :checked, no script). */
static void put_explain_picks(const stance_report *r, FILE *f, size_t i)
{
    const char *name, *label;
    const json_t *labels, *e;
    int first = 1;
    json_object_foreach(json_object_get(r->recs[i].rec, "explain"), name, labels) {
        const stance_dimension *dim = dimension_named(r, name);
        json_object_foreach((json_t *)labels, label, e) {
            size_t slot = dim->offset + (size_t)stance_dimension_find(dim, label), k;
            const json_t *term;
            double terms = 0;
            json_array_foreach(json_object_get(e, "terms"), k, term)
                terms += json_number_value(json_object_get(term, "contribution"));
            fprintf(f, "<input type=\"radio\" class=\"x k%zu\" name=\"e%zu\" id=\"e%zu_%zu\"%s>"
                       "<label class=\"x\" for=\"e%zu_%zu\" title=\"decision %.3f = bias %.3f + "
                       "terms listed %.3f + rest %.3f\">",
                    slot, i, i, slot, first ? " checked" : "", i, slot,
                    json_number_value(json_object_get(e, "decision")),
                    json_number_value(json_object_get(e, "bias")), terms,
                    json_number_value(json_object_get(e, "rest")));
            put_str(f, label);
            fputs("</label>", f);
            first = 0;
        }
    }
    if (!first)
        fputs(" <span class=\"note legend\">terms for <span class=\"p\">+</span> and "
              "<span class=\"n\">&minus;</span>; hover for contributions</span>",
              f);
}

/* The labels of record i (assigned, or gold), as chips. */
static void put_label_chips(const stance_report *r, FILE *f, const signed char *targets,
                            const double *scores, const char *cls)
{
    for (size_t d = 0; d < r->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
        const signed char *a = targets + dim->offset;
        if (a[0] == STANCE_TARGET_UNLABELED)
            continue;
        int any = 0;
        for (size_t v = 0; v < dim->nvalues; v++)
            if (a[v] == STANCE_TARGET_YES) {
                fprintf(f, "<span class=\"lab%s\">", cls);
                put_str(f, dim->labels[v]);
                if (scores && !isnan(scores[dim->offset + v]))
                    fprintf(f, " %.2f", scores[dim->offset + v]);
                fputs("</span>", f);
                any = 1;
            }
        if (!any) {
            fprintf(f, "<span class=\"lab none%s\">", cls);
            put_str(f, dim->name);
            fputs(": none</span>", f);
        }
    }
}

/* Score bars of every value record i has a score for, the assigned ones in bold. */
static void put_score_bars(const stance_report *r, FILE *f, size_t i)
{
    const double *sc = r->score + i * r->nvalues;
    const signed char *a = r->assigned + i * r->nvalues;
    int any = 0;
    for (size_t d = 0; d < r->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(r->cb, d);
        for (size_t v = 0; v < dim->nvalues; v++) {
            size_t s = dim->offset + v;
            if (isnan(sc[s]))
                continue;
            fprintf(f, "%s<tr%s><td>", any ? "" : "<table class=\"sc\">",
                    a[s] == STANCE_TARGET_YES ? " class=\"on\"" : "");
            put_str(f, dim->name);
            fputs(".", f);
            put_str(f, dim->labels[v]);
            fprintf(f, "<td><span class=\"bar\"><i style=\"width:%.1f%%\"></i></span><td>%.3f",
                    100 * sc[s], sc[s]);
            any = 1;
        }
        double ap = r->applies[i * r->ndims + d];
        if (!isnan(ap)) {
            fprintf(f, "%s<tr><td>", any ? "" : "<table class=\"sc\">");
            put_str(f, dim->name);
            fprintf(f, " applies<td><span class=\"bar\"><i style=\"width:%.1f%%\"></i></span>"
                       "<td>%.3f", 100 * ap, ap);
            any = 1;
        }
    }
    if (any)
        fputs("</table>", f);
}

static void put_card(const stance_report *r, FILE *f, size_t i, page_scratch *ps)
{
    const tagged_rec *t = &r->recs[i];
    fprintf(f, "<div class=\"card\" id=\"r%zu\" data-line=\"%ld\"><div class=\"pos\">", i,
            t->line);
    if (t->passage >= 0)
        fprintf(f, "passage %lld &middot; ", t->passage);
    if (t->kind) {
        put_str(f, t->kind);
        fputs(" &middot; ", f);
    }
    if (t->start >= 0 && t->end >= 0)
        fprintf(f, "bytes %lld&ndash;%lld", t->start, t->end);
    fputs("</div><div>", f);
    put_label_chips(r, f, r->assigned + i * r->nvalues, r->score + i * r->nvalues, "");
    const signed char *g = r->gold_targets + i * r->nvalues;
    if (r->ev && memchr(g, STANCE_TARGET_NO, r->nvalues) == NULL &&
        memchr(g, STANCE_TARGET_YES, r->nvalues) == NULL)
        fputs(" <span class=\"note\">(no gold)</span>", f);
    else if (r->ev) {
        fputs(" <span class=\"note\">gold:</span> ", f);
        put_label_chips(r, f, g, NULL, " gold");
    }
    fputs("</div>", f);
    put_score_bars(r, f, i);
    put_explain_picks(r, f, i);
    if (!t->text) {
        fputs("<p class=\"t note\">(no text: give the article files, or tag without "
              "--no-text)</p></div>\n", f);
        return;
    }
    fputs("<p class=\"t\">", f);
    collect_marks(r, t, ps);
    put_marked_text(r, f, t, ps);
    fputs("</p></div>\n", f);
}

/* The summary line of an article: how many passages and how often each value was given. */
static void put_article_summary(const stance_report *r, FILE *f, size_t d)
{
    size_t from = r->doc_first[d], to = r->doc_first[d + 1];
    fputs("<summary><b>", f);
    put_str(f, stance_strmap_key(&r->docs, d));
    fprintf(f, "</b><span class=\"note\">%zu passage%s", to - from, to - from == 1 ? "" : "s");
    for (size_t v = 0; v < r->nvalues; v++) {
        size_t n = 0;
        for (size_t k = from; k < to; k++)
            n += r->assigned[r->order[k] * r->nvalues + v] == STANCE_TARGET_YES;
        if (n == 0)
            continue;
        for (size_t dd = 0; dd < r->ndims; dd++) {
            const stance_dimension *dim = stance_codebook_get_dimension(r->cb, dd);
            if (v >= dim->offset && v < dim->offset + dim->nvalues) {
                fputs(" &middot; ", f);
                put_str(f, dim->labels[v - dim->offset]);
            }
        }
        fprintf(f, " %zu", n);
    }
    fputs("</span></summary>\n", f);
}

static int any_explained(const stance_report *r)
{
    for (size_t i = 0; i < r->nrecs; i++)
        if (json_object_get(r->recs[i].rec, "explain"))
            return 1;
    return 0;
}

static void put_articles(const stance_report *r, FILE *f, page_scratch *ps)
{
    fprintf(f, "<h2>Articles</h2>\n<p class=\"note\">%zu article%s; open one to read its "
               "passages with their labels and scores%s.</p>\n",
            r->docs.count, r->docs.count == 1 ? "" : "s",
            any_explained(r) ? " and the terms behind them" : "");
    for (size_t d = 0; d < r->docs.count && !ps->nomem; d++) {
        /* the first one open, as an example of a card */
        fprintf(f, "<details class=\"art\" id=\"a%zu\"%s>", d, d == 0 ? " open" : "");
        put_article_summary(r, f, d);
        for (size_t k = r->doc_first[d]; k < r->doc_first[d + 1]; k++)
            put_card(r, f, r->order[k], ps);
        fputs("</details>\n", f);
    }
}

stance_status stance_report_write(const stance_report *r, FILE *f, const char *name,
                                  stance_error *err)
{
    if (!r->finished)
        return stance_fail(err, STANCE_ERR_USAGE, name, 0, "report not finished");
    page_scratch ps = {0};
    if (!(ps.sums = calloc(r->nvalues ? r->nvalues : 1, sizeof *ps.sums)))
        return stance_fail_nomem(err, name);
    put_head(r, f);
    put_summary(r, f);
    if (r->ev)
        put_gold(r, f);
    put_articles(r, f, &ps);
    fputs("</body></html>\n", f);
    int nomem = ps.nomem;
    free(ps.marks);
    free(ps.cuts);
    free(ps.sums);
    if (nomem)
        return stance_fail_nomem(err, name);
    if (fflush(f) != 0 || ferror(f))
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}

/* ---- the output file ---- */

/* 1 if the file open on fd is empty or begins as a page does. */
static int page_or_empty(int fd)
{
    char buf[sizeof PAGE_SIGNATURE - 1];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    return n == 0 || (n == (ssize_t)sizeof buf && memcmp(buf, PAGE_SIGNATURE, sizeof buf) == 0);
}

static const stance_outfile_kind page_file = {"report", page_or_empty};

stance_status stance_report_check_target(const char *path, stance_error *err)
{
    return stance_outfile_check(path, &page_file, err);
}

/* stance_outfile_write_fn for a report (ctx). */
static stance_status write_page_file(FILE *f, void *ctx, const char *path, stance_error *err)
{
    return stance_report_write(ctx, f, path, err);
}

stance_status stance_report_save(const stance_report *r, const char *path, stance_error *err)
{
    return stance_outfile_save(path, &page_file, write_page_file, (void *)r, err);
}

stance_status stance_report_remove_stale(const char *path, const struct timespec *since,
                                         stance_removed_fn removed, void *ctx,
                                         stance_error *err)
{
    return stance_outfile_remove_stale(path, &page_file, since, removed, ctx, err);
}
