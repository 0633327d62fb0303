/* import.c: doccano, Label Studio and Prodigy exports read into passages and their annotators'
 * labels, joined across files, resolved and written as labeled JSON Lines (import.h). */
#include "stance/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codebook_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "labelcheck_int.h"
#include "outpath_int.h"
#include "stance/jsonl.h"
#include "stream_int.h"
#include "strmap_int.h"

static const char *const format_names[] = {"doccano", "labelstudio", "labelstudio-min", "prodigy"};
static const char *const resolve_names[] = {"none", "majority", "first", "drop"};

int stance_import_format_parse(const char *name, stance_import_format *format)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *format = (stance_import_format)i;
            return 0;
        }
    return -1;
}

int stance_resolve_parse(const char *name, stance_resolve *resolve)
{
    for (size_t i = 0; i < sizeof resolve_names / sizeof resolve_names[0]; i++)
        if (strcmp(name, resolve_names[i]) == 0) {
            *resolve = (stance_resolve)i;
            return 0;
        }
    return -1;
}

/* A passage: its text, the id written for it and where it was first seen. */
typedef struct {
    json_t *text;
    json_t *id; /* NULL: none known */
    char *origin; /* "file:line" or "file [i]" */
    size_t first, last; /* its first and last item (SIZE_MAX: none yet) */
} passage;

/* One annotator's labels of one passage. */
typedef struct {
    size_t passage;
    size_t next; /* the passage's next item, SIZE_MAX at the end */
    json_t *annotator;
    json_t *source;
    signed char *targets;   /* a value count of STANCE_TARGET_* */
    unsigned char *labeled; /* per dimension: labeled (NO for every value not YES) */
} item;

struct stance_importer {
    const stance_codebook *cb;
    stance_import_format format;
    size_t nvalues, ndims;
    char *text_field, *join_field;
    json_t *dim_map, *label_map; /* from the map: objects, or NULL */
    stance_strmap passage_keys;
    passage *passages;
    size_t npassages, passages_cap;
    stance_strmap item_keys;
    item *items;
    size_t nitems, items_cap;
    stance_error *errors;
    size_t nkept, errors_cap, nerrors;
    stance_import_counts counts;
};

/* The labels one record (or task, or annotation) gives, before they join its passage's. */
typedef struct {
    signed char *targets;
    unsigned char *labeled;
    int bad; /* an error was kept: the record is left out */
    const char *where;
    long line;  /* 0 for an array */
    char at[96]; /* where in an array: "[3].annotations[0]: ", or "" */
} pending;

static void free_item(item *it)
{
    json_decref(it->annotator);
    json_decref(it->source);
    free(it->targets);
    free(it->labeled);
}

void stance_importer_free(stance_importer *imp)
{
    if (!imp)
        return;
    for (size_t i = 0; i < imp->npassages; i++) {
        json_decref(imp->passages[i].text);
        json_decref(imp->passages[i].id);
        free(imp->passages[i].origin);
    }
    for (size_t i = 0; i < imp->nitems; i++)
        free_item(&imp->items[i]);
    free(imp->passages);
    free(imp->items);
    stance_strmap_clear(&imp->passage_keys);
    stance_strmap_clear(&imp->item_keys);
    json_decref(imp->dim_map);
    json_decref(imp->label_map);
    free(imp->text_field);
    free(imp->join_field);
    free(imp->errors);
    free(imp);
}

stance_status stance_importer_new(const stance_codebook *cb, stance_import_format format,
                                  stance_importer **out, stance_error *err)
{
    *out = NULL;
    stance_importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return stance_fail_nomem(err, NULL);
    imp->cb = cb;
    imp->format = format;
    imp->nvalues = stance_codebook_get_value_count(cb);
    imp->ndims = stance_codebook_get_dimension_count(cb);
    stance_strmap_init(&imp->passage_keys);
    stance_strmap_init(&imp->item_keys);
    imp->text_field = strdup("text");
    imp->join_field = strdup("passage_id");
    if (!imp->text_field || !imp->join_field) {
        stance_importer_free(imp);
        return stance_fail_nomem(err, NULL);
    }
    *out = imp;
    return STANCE_OK;
}

/* ---- errors ---- */

/* Keeps an error of the record p is reading (where, line, its array position, the message)
 * and marks it bad. Only running out of memory fails. */
static stance_status bad(stance_importer *imp, pending *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static stance_status bad(stance_importer *imp, pending *p, const char *fmt, ...)
{
    p->bad = 1;
    imp->nerrors++;
    if (imp->nkept >= STANCE_IMPORT_MAX_ERRORS)
        return STANCE_OK;
    stance_error *e = stance_grow(imp->errors, &imp->errors_cap, imp->nkept, 1, sizeof *e);
    if (!e)
        return stance_fail_nomem(NULL, NULL);
    imp->errors = e;
    e += imp->nkept++;
    char msg[STANCE_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    stance_error_set(e, STANCE_ERR_DATA, p->where, p->line, "%s%s", p->at, msg);
    return STANCE_OK;
}

size_t stance_importer_get_error_count(const stance_importer *imp)
{
    return imp->nerrors;
}

const stance_error *stance_importer_get_error(const stance_importer *imp, size_t i)
{
    return i < imp->nkept ? &imp->errors[i] : NULL;
}

const stance_import_counts *stance_importer_get_counts(const stance_importer *imp)
{
    return &imp->counts;
}

/* ---- the map ---- */

/* The codebook dimension a tool's dimension name stands for, or -1. */
static long tool_dimension(const stance_importer *imp, const char *name)
{
    const char *mapped = json_string_value(json_object_get(imp->dim_map, name));
    return stance_codebook_find_dimension(imp->cb, mapped ? mapped : name);
}

static stance_status set_field(char **field, const json_t *v, const char *key, const char *where,
                               stance_error *err)
{
    if (!v)
        return STANCE_OK;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "map: \"%s\" must be a field name",
                           key);
    char *copy = strdup(json_string_value(v));
    if (!copy)
        return stance_fail_nomem(err, where);
    free(*field);
    *field = copy;
    return STANCE_OK;
}

/* Whether a map's label target names the codebook's: "DIM:VALUE", "DIM:" or a value. */
static int map_target_known(const stance_importer *imp, const char *target)
{
    const char *colon = strchr(target, ':');
    char prefix[256];
    if (colon && (size_t)(colon - target) < sizeof prefix) {
        memcpy(prefix, target, (size_t)(colon - target));
        prefix[colon - target] = '\0';
        long d = tool_dimension(imp, prefix);
        if (d >= 0)
            return !colon[1] ||
                   stance_dimension_find(stance_codebook_get_dimension(imp->cb, (size_t)d),
                                         colon + 1) >= 0;
    }
    for (size_t d = 0; d < imp->ndims; d++)
        if (stance_dimension_find(stance_codebook_get_dimension(imp->cb, d), target) >= 0)
            return 1;
    return 0;
}

stance_status stance_importer_set_map(stance_importer *imp, const json_t *map, const char *where,
                                      stance_error *err)
{
    if (!json_is_object(map))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "map: expected a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)map, key, v) {
        if (strcmp(key, "text") && strcmp(key, "join") && strcmp(key, "dimensions") &&
            strcmp(key, "labels"))
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "map: unknown key \"%s\" (keys: text, join, dimensions, labels)",
                               key);
    }
    stance_status st = set_field(&imp->text_field, json_object_get(map, "text"), "text", where, err);
    if (st == STANCE_OK)
        st = set_field(&imp->join_field, json_object_get(map, "join"), "join", where, err);
    if (st != STANCE_OK)
        return st;
    const json_t *dims = json_object_get(map, "dimensions"), *labels = json_object_get(map, "labels");
    if ((dims && !json_is_object(dims)) || (labels && !json_is_object(labels)))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "map: \"dimensions\" and \"labels\" must be objects");
    json_object_foreach((json_t *)dims, key, v) {
        if (!json_is_string(v) || stance_codebook_find_dimension(imp->cb, json_string_value(v)) < 0)
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "map: dimensions: \"%s\" must name a dimension of the codebook",
                               key);
    }
    json_decref(imp->dim_map);
    imp->dim_map = dims ? json_deep_copy(dims) : NULL; /* the labels below may use it */
    json_object_foreach((json_t *)labels, key, v) {
        if (!json_is_null(v) && !(json_is_string(v) && map_target_known(imp, json_string_value(v))))
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "map: labels: \"%s\" must map to \"DIM:VALUE\", a value, \"DIM:\" "
                               "or null, of the codebook's",
                               key);
    }
    json_decref(imp->label_map);
    imp->label_map = labels ? json_deep_copy(labels) : NULL;
    if ((dims && !imp->dim_map) || (labels && !imp->label_map))
        return stance_fail_nomem(err, where);
    return STANCE_OK;
}

stance_status stance_importer_load_map(stance_importer *imp, const char *path, stance_error *err)
{
    json_t *map;
    stance_status st = stance_json_load_file(path, &map, err);
    if (st == STANCE_OK)
        st = stance_importer_set_map(imp, map, path, err);
    json_decref(map);
    return st;
}

/* ---- labels ---- */

/* The value of the codebook nearest to label (within a small edit distance), for the
 * message; in dimension only when only >= 0. 0 when none is near. */
static int nearest_value(const stance_codebook *cb, long only, const char *label, char *buf,
                         size_t n)
{
    size_t best = 3;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        for (size_t v = 0; (only < 0 || (size_t)only == d) && v < dim->nvalues; v++) {
            size_t limit = strlen(label) <= 4 ? 1 : 2;
            size_t dist = stance_edit_distance(label, dim->labels[v], limit);
            if (dist <= limit && dist < best) {
                best = dist;
                snprintf(buf, n, "%s:%s", dim->name, dim->labels[v]);
            }
        }
    }
    return best < 3;
}

static stance_status unknown_label(stance_importer *imp, pending *p, const char *label, long dim)
{
    char near[600];
    int has = nearest_value(imp->cb, dim, label, near, sizeof near);
    if (dim >= 0)
        return bad(imp, p, "unknown label \"%s\" for dimension \"%s\"%s%s%s", label,
                   stance_codebook_get_dimension(imp->cb, (size_t)dim)->name,
                   has ? " (did you mean \"" : "", has ? strchr(near, ':') + 1 : "",
                   has ? "\"?)" : "");
    return bad(imp, p, "unknown label \"%s\": no value of the codebook%s%s%s", label,
               has ? " (did you mean \"" : "", has ? near : "", has ? "\"?)" : "");
}

/* The codebook value a tool's label stands for (tooldim: the tool's dimension it was given
 * in, or NULL; ctx: the codebook dimension it must belong to, or -1). *dim and *value are set:
 * a value (both >= 0), "DIM:" (*value -1), or *dim -1 when the map ignores the label or an
 * error was kept. */
static stance_status resolve_label(stance_importer *imp, pending *p, const char *tooldim,
                                   const char *label, long ctx, long *dim, long *value)
{
    *dim = *value = -1;
    const json_t *m = NULL;
    if (imp->label_map && tooldim) {
        size_t n = strlen(tooldim) + strlen(label) + 2;
        char *key = malloc(n);
        if (!key)
            return stance_fail_nomem(NULL, NULL);
        snprintf(key, n, "%s:%s", tooldim, label);
        m = json_object_get(imp->label_map, key);
        free(key);
    }
    if (!m && imp->label_map)
        m = json_object_get(imp->label_map, label);
    if (json_is_null(m))
        return STANCE_OK;
    const char *target = m ? json_string_value(m) : label;
    const char *colon = strchr(target, ':');
    if (colon) {
        char prefix[256];
        size_t plen = (size_t)(colon - target);
        if (plen < sizeof prefix) {
            memcpy(prefix, target, plen);
            prefix[plen] = '\0';
            long d = tool_dimension(imp, prefix);
            if (d >= 0) {
                if (ctx >= 0 && d != ctx)
                    return bad(imp, p, "label \"%s\" is for dimension \"%s\", not \"%s\"", label,
                               stance_codebook_get_dimension(imp->cb, (size_t)d)->name,
                               stance_codebook_get_dimension(imp->cb, (size_t)ctx)->name);
                const stance_dimension *dd = stance_codebook_get_dimension(imp->cb, (size_t)d);
                long v = colon[1] ? stance_dimension_find(dd, colon + 1) : -1;
                if (colon[1] && v < 0)
                    return unknown_label(imp, p, colon + 1, d);
                *dim = d;
                *value = v;
                return STANCE_OK;
            }
        }
    }
    if (ctx >= 0) {
        long v = stance_dimension_find(stance_codebook_get_dimension(imp->cb, (size_t)ctx), target);
        if (v < 0)
            return unknown_label(imp, p, target, ctx);
        *dim = ctx;
        *value = v;
        return STANCE_OK;
    }
    long found = -1, also = -1, fv = -1;
    for (size_t d = 0; d < imp->ndims; d++) {
        long v = stance_dimension_find(stance_codebook_get_dimension(imp->cb, d), target);
        if (v >= 0 && found >= 0)
            also = (long)d;
        else if (v >= 0) {
            found = (long)d;
            fv = v;
        }
    }
    if (also >= 0)
        return bad(imp, p, "label \"%s\" is a value of both \"%s\" and \"%s\": prefix it "
                   "(\"%s:%s\") or map it (--map)",
                   target, stance_codebook_get_dimension(imp->cb, (size_t)found)->name,
                   stance_codebook_get_dimension(imp->cb, (size_t)also)->name,
                   stance_codebook_get_dimension(imp->cb, (size_t)found)->name, target);
    if (found < 0)
        return unknown_label(imp, p, target, -1);
    *dim = found;
    *value = fv;
    return STANCE_OK;
}

/* Value v of dimension d applies (single: no other value may). */
static stance_status give(stance_importer *imp, pending *p, long d, long v)
{
    const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, (size_t)d);
    signed char *t = p->targets + dim->offset;
    p->labeled[d] = 1;
    if (dim->kind == STANCE_DIM_SINGLE)
        for (size_t k = 0; k < dim->nvalues; k++)
            if (k != (size_t)v && t[k] == STANCE_TARGET_YES)
                return bad(imp, p, "\"%s\" takes one value, got \"%s\" and \"%s\"", dim->name,
                           dim->labels[k], dim->labels[v]);
    t[v] = STANCE_TARGET_YES;
    return STANCE_OK;
}

/* A tool's label resolved and given: value, "DIM:" (labeled, none applies) or ignored. */
static stance_status give_label(stance_importer *imp, pending *p, const char *tooldim,
                                const char *label, long ctx)
{
    long d, v;
    stance_status st = resolve_label(imp, p, tooldim, label, ctx, &d, &v);
    if (st != STANCE_OK || d < 0)
        return st;
    if (v < 0) {
        p->labeled[d] = 1;
        return STANCE_OK;
    }
    return give(imp, p, d, v);
}

/* Whether p labels any dimension. */
static int labels_some(const stance_importer *imp, const pending *p)
{
    for (size_t d = 0; d < imp->ndims; d++)
        if (p->labeled[d])
            return 1;
    return 0;
}

/* The checks once a record's labels are all given: a single dimension that is not optional
 * labeled with none of its values. */
static stance_status finish_labels(stance_importer *imp, pending *p)
{
    for (size_t d = 0; d < imp->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
        if (!p->labeled[d] || dim->kind != STANCE_DIM_SINGLE || dim->optional)
            continue;
        if (!memchr(p->targets + dim->offset, STANCE_TARGET_YES, dim->nvalues)) {
            stance_status st = bad(imp, p, "\"%s\" takes one value, got none (an optional "
                                   "dimension in the codebook may have none)", dim->name);
            if (st != STANCE_OK)
                return st;
        }
    }
    return STANCE_OK;
}

/* ---- passages and items ---- */

/* The key that joins records of one passage: the join field, a Prodigy input hash, the text. */
static char *passage_key(const json_t *join, const json_t *hash, const json_t *text)
{
    const json_t *v = join ? join : hash ? hash : text;
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!s)
        return NULL;
    size_t n = strlen(s) + 2;
    char *key = malloc(n);
    if (key)
        snprintf(key, n, "%c%s", join ? 'j' : hash ? 'h' : 't', s);
    free(s);
    return key;
}

/* The passage of key (made if new): its index in *out, or SIZE_MAX after an error kept. */
static stance_status find_passage(stance_importer *imp, pending *p, const char *key,
                                  const json_t *text, const json_t *id, size_t *out)
{
    *out = SIZE_MAX;
    size_t n = imp->npassages;
    long i = stance_strmap_put(&imp->passage_keys, key, strlen(key), n);
    if (i < 0)
        return stance_fail_nomem(NULL, NULL);
    if ((size_t)i < n) {
        if (!json_equal(imp->passages[i].text, (json_t *)text))
            return bad(imp, p, "the same passage (%.*s) has another text at %s",
                       (int)(strlen(key) > 80 ? 80 : strlen(key) - 1), key + 1,
                       imp->passages[i].origin);
        *out = (size_t)i;
        return STANCE_OK;
    }
    passage *ps = stance_grow(imp->passages, &imp->passages_cap, n, 1, sizeof *ps);
    if (!ps)
        return stance_fail_nomem(NULL, NULL);
    imp->passages = ps;
    char origin[STANCE_ERROR_NAME_MAX + 128];
    if (p->line > 0)
        snprintf(origin, sizeof origin, "%s:%ld", p->where, p->line);
    else
        snprintf(origin, sizeof origin, "%s %.*s", p->where,
                 (int)(strlen(p->at) > 2 ? strlen(p->at) - 2 : 0), p->at);
    ps[n] = (passage){json_incref((json_t *)text), id ? json_incref((json_t *)id) : NULL,
                      strdup(origin), SIZE_MAX, SIZE_MAX};
    imp->npassages++;
    if (!ps[n].origin)
        return stance_fail_nomem(NULL, NULL);
    *out = n;
    return STANCE_OK;
}

/* Adds the ids of src to the item's source: keys it lacks, and the entries of "ids" and
 * "task_hashes". */
static int merge_source(json_t *into, json_t *src)
{
    json_t *ids = json_object_get(into, "ids"), *hashes = json_object_get(into, "task_hashes");
    if (ids && json_object_update_missing(ids, json_object_get(src, "ids")) != 0)
        return 0;
    if (hashes && json_array_extend(hashes, json_object_get(src, "task_hashes")) != 0)
        return 0;
    return json_object_update_missing(into, src) == 0;
}

/* Joins p's labels to those of its passage and annotator. */
static stance_status merge_labels(stance_importer *imp, pending *p, item *it)
{
    for (size_t d = 0; d < imp->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
        signed char *t = it->targets + dim->offset;
        const signed char *u = p->targets + dim->offset;
        for (size_t k = 0; k < dim->nvalues; k++) {
            if (u[k] != STANCE_TARGET_YES) {
                if (u[k] == STANCE_TARGET_NO && t[k] == STANCE_TARGET_UNLABELED)
                    t[k] = STANCE_TARGET_NO;
                continue;
            }
            for (size_t j = 0; dim->kind == STANCE_DIM_SINGLE && j < dim->nvalues; j++)
                if (j != k && t[j] == STANCE_TARGET_YES)
                    return bad(imp, p, "\"%s\" takes one value, got \"%s\" here and \"%s\" "
                               "before for the same passage and annotator", dim->name,
                               dim->labels[k], dim->labels[j]);
            t[k] = STANCE_TARGET_YES;
        }
        it->labeled[d] |= p->labeled[d];
    }
    return STANCE_OK;
}

/* The pending record's labels, once read without error, joined to its passage (by join, else
 * hash, else text) and annotator. Takes the reference to source. */
static stance_status commit(stance_importer *imp, pending *p, const json_t *text,
                            const json_t *join, const json_t *hash, const json_t *tool_id,
                            const json_t *annotator, json_t *source)
{
    stance_status st = finish_labels(imp, p);
    if (st != STANCE_OK || p->bad) {
        json_decref(source);
        return st;
    }
    if (!source)
        return stance_fail_nomem(NULL, NULL);
    char *key = passage_key(join, hash, text);
    size_t pi = SIZE_MAX;
    st = key ? find_passage(imp, p, key, text, join ? join : tool_id, &pi)
             : stance_fail_nomem(NULL, NULL);
    free(key);
    char *who = st == STANCE_OK && pi != SIZE_MAX
                    ? json_dumps(annotator ? annotator : json_null(), JSON_ENCODE_ANY | JSON_COMPACT)
                    : NULL;
    if (st != STANCE_OK || pi == SIZE_MAX || !who) {
        json_decref(source);
        free(who);
        return st != STANCE_OK || pi == SIZE_MAX ? st : stance_fail_nomem(NULL, NULL);
    }
    char *ikey = malloc(strlen(who) + 32);
    long i = -1;
    if (ikey) {
        sprintf(ikey, "%zu:%s", pi, who);
        i = stance_strmap_put(&imp->item_keys, ikey, strlen(ikey), imp->nitems);
    }
    free(ikey);
    free(who);
    if (i < 0) {
        json_decref(source);
        return stance_fail_nomem(NULL, NULL);
    }
    if ((size_t)i < imp->nitems) {
        item *it = &imp->items[i];
        int ok = merge_source(it->source, source);
        json_decref(source);
        return ok ? merge_labels(imp, p, it) : stance_fail_nomem(NULL, NULL);
    }
    item *its = stance_grow(imp->items, &imp->items_cap, imp->nitems, 1, sizeof *its);
    if (!its) {
        json_decref(source);
        return stance_fail_nomem(NULL, NULL);
    }
    imp->items = its;
    item *it = &its[imp->nitems++];
    *it = (item){pi, SIZE_MAX, json_incref(annotator ? (json_t *)annotator : json_null()), source,
                 malloc(imp->nvalues ? imp->nvalues : 1), malloc(imp->ndims)};
    if (!it->targets || !it->labeled)
        return stance_fail_nomem(NULL, NULL);
    memcpy(it->targets, p->targets, imp->nvalues);
    memcpy(it->labeled, p->labeled, imp->ndims);
    passage *ps = &imp->passages[pi];
    if (ps->last == SIZE_MAX)
        ps->first = imp->nitems - 1;
    else
        imp->items[ps->last].next = imp->nitems - 1;
    ps->last = imp->nitems - 1;
    return STANCE_OK;
}

/* ---- the formats ---- */

/* The text of rec (its text field, a string), or NULL after an error kept. */
static const json_t *record_text(stance_importer *imp, pending *p, const json_t *rec,
                                 stance_status *st)
{
    const json_t *text = json_object_get(rec, imp->text_field);
    *st = STANCE_OK;
    if (json_is_string(text) && !memchr(json_string_value(text), '\0', json_string_length(text)))
        return text;
    *st = bad(imp, p, "%s has no \"%s\" string",
              imp->format == STANCE_IMPORT_LABELSTUDIO ? "the task's \"data\"" : "record",
              imp->text_field);
    return NULL;
}

/* A join value: a string or an integer field, else NULL. */
static const json_t *join_value(const json_t *v)
{
    return json_is_string(v) || json_is_integer(v) ? v : NULL;
}

/* A new source object {"tool": format}; NULL on no memory. */
static json_t *new_source(const stance_importer *imp)
{
    return json_pack("{s:s}", "tool", format_names[imp->format]);
}

/* Copies the fields of obj into source, but for the text field and the keys of skip
 * (NULL-terminated). */
static int copy_fields(const stance_importer *imp, json_t *source, const json_t *obj,
                       const char *const *skip)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        int skipped = strcmp(key, imp->text_field) == 0;
        for (size_t i = 0; skip[i] && !skipped; i++)
            skipped = strcmp(key, skip[i]) == 0;
        if (!skipped && !json_object_get(source, key) && json_object_set(source, key, v) != 0)
            return 0;
    }
    return 1;
}

static stance_status doccano_record(stance_importer *imp, pending *p, const json_t *rec,
                                    long project)
{
    stance_status st;
    const json_t *text = record_text(imp, p, rec, &st);
    const json_t *labels = json_object_get(rec, "label");
    if (st == STANCE_OK && !json_is_array(labels))
        st = bad(imp, p, "\"label\" must be a list of labels (a doccano text-classification "
                 "export)");
    if (st != STANCE_OK || p->bad)
        return st;
    if (json_array_size(labels) == 0) {
        imp->counts.unlabeled++;
        return STANCE_OK;
    }
    for (size_t i = 0; st == STANCE_OK && i < json_array_size(labels); i++) {
        const json_t *l = json_array_get(labels, i);
        st = json_is_string(l)
                 ? give_label(imp, p, NULL, json_string_value(l), project)
                 : bad(imp, p, "label %zu is not a string (only text-classification projects "
                       "are read)", i + 1);
    }
    if (st != STANCE_OK || p->bad)
        return st;
    if (!labels_some(imp, p)) {
        imp->counts.unlabeled++;
        return STANCE_OK;
    }
    for (size_t d = 0; project < 0 && d < imp->ndims; d++) { /* one project over them all */
        const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
        if (dim->kind == STANCE_DIM_MULTI || dim->optional)
            p->labeled[d] = 1;
    }
    const json_t *id = json_object_get(rec, "id");
    json_t *source = new_source(imp);
    static const char *const skip[] = {"label", "id", "Comments", NULL};
    int ok = source && copy_fields(imp, source, rec, skip);
    if (ok && id)
        ok = project >= 0
                 ? json_object_set_new(source, "ids",
                                       json_pack("{s:O}", stance_codebook_get_dimension(
                                                              imp->cb, (size_t)project)->name,
                                                 id)) == 0
                 : json_object_set(source, "id", (json_t *)id) == 0;
    if (!ok) {
        json_decref(source);
        return stance_fail_nomem(NULL, NULL);
    }
    return commit(imp, p, text, join_value(json_object_get(rec, imp->join_field)), NULL, id,
                  json_object_get(rec, "annotator"), source);
}

/* One Label Studio annotation of a task whose data is data. */
static stance_status ls_annotation(stance_importer *imp, pending *p, const json_t *task,
                                   const json_t *data, const json_t *text, const json_t *ann)
{
    if (!json_is_object(ann))
        return bad(imp, p, "an annotation must be an object");
    if (json_is_true(json_object_get(ann, "was_cancelled"))) {
        imp->counts.cancelled++;
        return STANCE_OK;
    }
    const json_t *result = json_object_get(ann, "result");
    stance_status st = STANCE_OK;
    for (size_t r = 0; st == STANCE_OK && r < json_array_size(result); r++) {
        const json_t *res = json_array_get(result, r);
        const json_t *choices = json_object_get(json_object_get(res, "value"), "choices");
        if (!choices)
            continue; /* another control: not a label of the codebook's */
        const char *from = json_string_value(json_object_get(res, "from_name"));
        long d = from ? tool_dimension(imp, from) : -1;
        if (d < 0) {
            st = bad(imp, p, "result %zu: from_name \"%s\" is no dimension of the codebook "
                     "(map it: {\"dimensions\": {\"%s\": DIMENSION}})",
                     r, from ? from : "", from ? from : "");
            continue;
        }
        if (!json_is_array(choices)) {
            st = bad(imp, p, "result %zu: \"choices\" must be a list", r);
            continue;
        }
        p->labeled[d] = 1;
        for (size_t i = 0; st == STANCE_OK && i < json_array_size(choices); i++) {
            const char *c = json_string_value(json_array_get(choices, i));
            st = c ? give_label(imp, p, from, c, d)
                   : bad(imp, p, "result %zu: choice %zu is not a string", r, i);
        }
    }
    if (st != STANCE_OK || p->bad)
        return st;
    if (!labels_some(imp, p)) {
        imp->counts.unlabeled++;
        return STANCE_OK;
    }
    const json_t *id = json_object_get(task, "id");
    json_t *source = new_source(imp);
    static const char *const skip[] = {NULL};
    int ok = source && (!id || json_object_set(source, "task", (json_t *)id) == 0) &&
             (!json_object_get(ann, "id") ||
              json_object_set(source, "annotation", json_object_get(ann, "id")) == 0) &&
             copy_fields(imp, source, data, skip);
    if (!ok) {
        json_decref(source);
        return stance_fail_nomem(NULL, NULL);
    }
    return commit(imp, p, text, join_value(json_object_get(data, imp->join_field)), NULL, id,
                  json_object_get(ann, "completed_by"), source);
}

static stance_status ls_task(stance_importer *imp, pending *p, size_t i, const json_t *task,
                             signed char *targets, unsigned char *labeled)
{
    const json_t *data = json_object_get(task, "data");
    if (!json_is_object(task) || !json_is_object(data))
        return bad(imp, p, "a task must be an object with a \"data\" object");
    stance_status st;
    const json_t *text = record_text(imp, p, data, &st);
    if (!text)
        return st;
    const json_t *anns = json_object_get(task, "annotations");
    if (json_array_size(anns) == 0)
        imp->counts.unlabeled++;
    for (size_t j = 0; st == STANCE_OK && j < json_array_size(anns); j++) {
        pending a = {targets, labeled, 0, p->where, 0, ""};
        memset(targets, STANCE_TARGET_UNLABELED, imp->nvalues);
        memset(labeled, 0, imp->ndims);
        snprintf(a.at, sizeof a.at, "[%zu].annotations[%zu]: ", i, j);
        st = ls_annotation(imp, &a, task, data, text, json_array_get(anns, j));
    }
    return st;
}

/* The choices of a JSON_MIN field: a string, {"choices": [...]}, or a list. */
static stance_status min_choices(stance_importer *imp, pending *p, const char *key,
                                 const json_t *v, long d)
{
    if (json_is_object(v))
        v = json_object_get(v, "choices");
    if (json_is_string(v))
        return give_label(imp, p, key, json_string_value(v), d);
    if (!json_is_array(v))
        return bad(imp, p, "\"%s\" must be a choice or {\"choices\": [...]}", key);
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < json_array_size(v); i++) {
        const char *c = json_string_value(json_array_get(v, i));
        st = c ? give_label(imp, p, key, c, d) : bad(imp, p, "\"%s\": a choice is not a string", key);
    }
    return st;
}

static stance_status min_record(stance_importer *imp, pending *p, const json_t *rec)
{
    stance_status st;
    const json_t *text = record_text(imp, p, rec, &st);
    if (!text)
        return st;
    json_t *source = new_source(imp);
    if (!source)
        return stance_fail_nomem(NULL, NULL);
    static const char *const tool[] = {"id", "annotator", "annotation_id", "created_at",
                                       "updated_at", "lead_time"};
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)rec, key, v) {
        int is_tool = strcmp(key, imp->text_field) == 0;
        for (size_t i = 0; i < sizeof tool / sizeof tool[0]; i++)
            is_tool |= strcmp(key, tool[i]) == 0;
        long d = is_tool ? -1 : tool_dimension(imp, key), like = -1;
        if (d >= 0) {
            p->labeled[d] = 1;
            st = min_choices(imp, p, key, v, d);
        } else if (!is_tool && (like = stance_codebook_looks_like(imp->cb, key)) >= 0) {
            st = bad(imp, p, "`%s`: not a dimension of this codebook; did you mean `%s`?", key,
                     stance_codebook_get_dimension(imp->cb, (size_t)like)->name);
        } else if (!is_tool && json_object_set(source, key, v) != 0) {
            st = stance_fail_nomem(NULL, NULL);
        }
        if (st != STANCE_OK)
            break;
    }
    const json_t *id = json_object_get(rec, "id"), *ann = json_object_get(rec, "annotation_id");
    if (st == STANCE_OK && ((id && json_object_set(source, "task", (json_t *)id) != 0) ||
                            (ann && json_object_set(source, "annotation", (json_t *)ann) != 0)))
        st = stance_fail_nomem(NULL, NULL);
    if (st != STANCE_OK || p->bad || !labels_some(imp, p)) {
        imp->counts.unlabeled += st == STANCE_OK && !p->bad;
        json_decref(source);
        return st;
    }
    return commit(imp, p, text, join_value(json_object_get(rec, imp->join_field)), NULL, id,
                  json_object_get(rec, "annotator"), source);
}

/* The label an option of a Prodigy choice task stands for: its id if a string, else its text. */
static const char *option_label(const json_t *opt)
{
    const json_t *id = json_object_get(opt, "id");
    return json_is_string(id) ? json_string_value(id)
                              : json_string_value(json_object_get(opt, "text"));
}

/* The label of an accepted id: the option with that id, else the id itself if a string. */
static const char *accepted_label(const json_t *options, const json_t *id)
{
    for (size_t i = 0; i < json_array_size(options); i++) {
        const json_t *opt = json_array_get(options, i);
        if (json_equal(json_object_get(opt, "id"), (json_t *)id))
            return option_label(opt);
    }
    return json_string_value(id);
}

static stance_status prodigy_choice(stance_importer *imp, pending *p, const json_t *rec,
                                    const json_t *options)
{
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < json_array_size(options); i++) {
        const char *label = option_label(json_array_get(options, i));
        long d, v;
        if (!label) {
            st = bad(imp, p, "option %zu has no string id or text", i + 1);
            continue;
        }
        st = resolve_label(imp, p, NULL, label, -1, &d, &v);
        if (st == STANCE_OK && d >= 0)
            p->labeled[d] = 1; /* what the task asked about is labeled, whatever was accepted */
    }
    const json_t *accept = json_object_get(rec, "accept");
    if (st == STANCE_OK && !json_is_array(accept))
        st = bad(imp, p, "an accepted choice task needs an \"accept\" list");
    for (size_t i = 0; st == STANCE_OK && !p->bad && i < json_array_size(accept); i++) {
        const char *label = accepted_label(options, json_array_get(accept, i));
        st = label ? give_label(imp, p, NULL, label, -1)
                   : bad(imp, p, "accepted id %zu is no option's", i + 1);
    }
    return st;
}

static stance_status prodigy_binary(stance_importer *imp, pending *p, const char *label,
                                    int accepted)
{
    long d, v;
    stance_status st = resolve_label(imp, p, NULL, label, -1, &d, &v);
    if (st != STANCE_OK || d < 0)
        return st;
    if (v < 0)
        return bad(imp, p, "a binary task's label must be a value, not \"%s\"", label);
    if (accepted)
        return give(imp, p, d, v);
    const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, (size_t)d);
    if (p->targets[dim->offset + (size_t)v] != STANCE_TARGET_YES)
        p->targets[dim->offset + (size_t)v] = STANCE_TARGET_NO;
    if (dim->kind == STANCE_DIM_MULTI) /* labeled: the values not accepted do not apply */
        p->labeled[d] = 1;
    return STANCE_OK;
}

static stance_status prodigy_record(stance_importer *imp, pending *p, const json_t *rec)
{
    const char *answer = json_string_value(json_object_get(rec, "answer"));
    if (!answer || (strcmp(answer, "accept") && strcmp(answer, "reject") && strcmp(answer, "ignore")))
        return bad(imp, p, "\"answer\" must be \"accept\", \"reject\" or \"ignore\"");
    stance_status st;
    const json_t *text = record_text(imp, p, rec, &st);
    if (!text)
        return st;
    const json_t *options = json_object_get(rec, "options");
    const char *label = json_string_value(json_object_get(rec, "label"));
    int accepted = strcmp(answer, "accept") == 0;
    if (strcmp(answer, "ignore") == 0 || (options && !accepted)) {
        if (strcmp(answer, "ignore") == 0)
            imp->counts.ignored++;
        else
            imp->counts.rejected++;
        return STANCE_OK;
    }
    if (json_is_array(options))
        st = prodigy_choice(imp, p, rec, options);
    else if (label)
        st = prodigy_binary(imp, p, label, accepted);
    else
        st = bad(imp, p, "neither \"options\" (a choice task) nor a \"label\" (a binary task)");
    if (st != STANCE_OK || p->bad)
        return st;
    if (!labels_some(imp, p) && !memchr(p->targets, STANCE_TARGET_NO, imp->nvalues)) {
        imp->counts.unlabeled++;
        return STANCE_OK;
    }
    const json_t *meta = json_object_get(rec, "meta"), *hash = json_object_get(rec, "_input_hash");
    const json_t *join = join_value(json_object_get(meta, imp->join_field));
    if (!join)
        join = join_value(json_object_get(rec, imp->join_field));
    const json_t *who = json_object_get(rec, "_annotator_id");
    if (!who)
        who = json_object_get(rec, "_session_id");
    json_t *source = new_source(imp);
    static const char *const skip[] = {NULL};
    int ok = source && (!hash || json_object_set(source, "input_hash", (json_t *)hash) == 0) &&
             json_object_set_new(source, "task_hashes", json_array()) == 0 &&
             (!json_object_get(rec, "_task_hash") ||
              json_array_append(json_object_get(source, "task_hashes"),
                                json_object_get(rec, "_task_hash")) == 0) &&
             (!json_is_object(meta) || copy_fields(imp, source, meta, skip));
    if (!ok) {
        json_decref(source);
        return stance_fail_nomem(NULL, NULL);
    }
    return commit(imp, p, text, json_is_integer(hash) || json_is_string(hash) ? NULL : join,
                  join_value(hash), join ? join : hash, who, source);
}

/* One record of a line or array element. */
static stance_status add_record(stance_importer *imp, pending *p, const json_t *rec, long project)
{
    if (!json_is_object(rec))
        return bad(imp, p, "expected a JSON object");
    switch (imp->format) {
    case STANCE_IMPORT_DOCCANO: return doccano_record(imp, p, rec, project);
    case STANCE_IMPORT_LABELSTUDIO_MIN: return min_record(imp, p, rec);
    case STANCE_IMPORT_PRODIGY: return prodigy_record(imp, p, rec);
    case STANCE_IMPORT_LABELSTUDIO: break;
    }
    return STANCE_OK;
}

/* A JSON parse error of the whole file or of one line, kept. */
static stance_status parse_error(stance_importer *imp, pending *p, const stance_error *e)
{
    if (e->status == STANCE_ERR_NOMEM)
        return STANCE_ERR_NOMEM;
    if (!p->line)
        p->line = e->line;
    return bad(imp, p, "%s", e->message);
}

/* The lines of a JSON Lines export, one record each (blank lines skipped). */
static stance_status add_lines(stance_importer *imp, const char *text, size_t n, const char *name,
                               long project, signed char *targets, unsigned char *labeled)
{
    stance_status st = STANCE_OK;
    long line = 0;
    for (size_t at = 0; st == STANCE_OK && at < n;) {
        const char *nl = memchr(text + at, '\n', n - at);
        size_t len = nl ? (size_t)(nl - (text + at)) : n - at;
        const char *s = text + at;
        at += len + 1;
        line++;
        size_t k = 0;
        while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == len)
            continue;
        pending p = {targets, labeled, 0, name, line, ""};
        memset(targets, STANCE_TARGET_UNLABELED, imp->nvalues);
        memset(labeled, 0, imp->ndims);
        json_t *rec;
        stance_error e;
        if (stance_json_parse(s, len, name, &rec, &e) != STANCE_OK) {
            st = parse_error(imp, &p, &e);
            continue;
        }
        st = add_record(imp, &p, rec, project);
        json_decref(rec);
    }
    return st;
}

/* A JSON array export, one record (or Label Studio task) per element. */
static stance_status add_array(stance_importer *imp, const json_t *all, const char *name,
                               signed char *targets, unsigned char *labeled)
{
    pending top = {targets, labeled, 0, name, 0, ""};
    if (!json_is_array(all))
        return bad(imp, &top, "expected a JSON array of %s",
                   imp->format == STANCE_IMPORT_LABELSTUDIO ? "tasks" : "records");
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < json_array_size(all); i++) {
        pending p = {targets, labeled, 0, name, 0, ""};
        snprintf(p.at, sizeof p.at, "[%zu]: ", i);
        memset(targets, STANCE_TARGET_UNLABELED, imp->nvalues);
        memset(labeled, 0, imp->ndims);
        const json_t *rec = json_array_get(all, i);
        st = imp->format == STANCE_IMPORT_LABELSTUDIO ? ls_task(imp, &p, i, rec, targets, labeled)
                                                      : add_record(imp, &p, rec, -1);
    }
    return st;
}

/* Whether text, after a byte-order mark and white space, starts a JSON array. */
static int starts_array(const char *text, size_t n)
{
    size_t i = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    return i < n && text[i] == '[';
}

stance_status stance_importer_add(stance_importer *imp, const char *text, size_t n,
                                  const char *name, const char *dimension, stance_error *err)
{
    long project = -1;
    if (dimension && imp->format != STANCE_IMPORT_DOCCANO)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "a project's dimension is for doccano exports only");
    if (dimension && (project = stance_codebook_find_dimension(imp->cb, dimension)) < 0)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "no dimension '%s' in the codebook",
                           dimension);
    size_t bom = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    signed char *targets = malloc(imp->nvalues ? imp->nvalues : 1);
    unsigned char *labeled = malloc(imp->ndims ? imp->ndims : 1);
    stance_status st = targets && labeled ? STANCE_OK : STANCE_ERR_NOMEM;
    int whole = imp->format == STANCE_IMPORT_LABELSTUDIO ||
                (imp->format == STANCE_IMPORT_LABELSTUDIO_MIN && starts_array(text, n));
    if (st == STANCE_OK && whole) {
        json_t *all;
        stance_error e;
        pending p = {targets, labeled, 0, name, 0, ""};
        if (stance_json_parse(text + bom, n - bom, name, &all, &e) != STANCE_OK)
            st = parse_error(imp, &p, &e);
        else
            st = add_array(imp, all, name, targets, labeled);
        json_decref(all);
    } else if (st == STANCE_OK) {
        st = add_lines(imp, text + bom, n - bom, name, project, targets, labeled);
    }
    free(targets);
    free(labeled);
    return st == STANCE_OK ? STANCE_OK : stance_fail_nomem(err, name);
}

stance_status stance_importer_load(stance_importer *imp, const char *path, const char *dimension,
                                   stance_error *err)
{
    char *text;
    size_t n;
    stance_status st = stance_stream_load(path, &text, &n, err);
    if (st == STANCE_OK)
        st = stance_importer_add(imp, text, n, path, dimension, err);
    free(text);
    return st;
}

stance_status stance_importer_read(stance_importer *imp, FILE *f, const char *name,
                                   const char *dimension, stance_error *err)
{
    char *text;
    size_t n;
    stance_status st = stance_stream_read(f, name, &text, &n, err);
    if (st == STANCE_OK)
        st = stance_importer_add(imp, text, n, name, dimension, err);
    free(text);
    return st;
}

/* ---- writing ---- */

/* The labels of one output record: a copy to combine several items into. */
typedef struct {
    signed char *targets;
    unsigned char *labeled;
} labels;

/* Most annotators' labels of the passage, dimension by dimension; a dimension without a
 * majority is left unlabeled (and counted). */
static void majority(stance_importer *imp, const passage *ps, labels *out, size_t *votes)
{
    for (size_t d = 0; d < imp->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
        size_t voters = 0, none = 0, best = 0, best_votes = 0;
        memset(votes, 0, (dim->nvalues + 1) * sizeof *votes);
        for (size_t i = ps->first; i != SIZE_MAX; i = imp->items[i].next) {
            const item *it = &imp->items[i];
            if (!it->labeled[d])
                continue;
            voters++;
            int some = 0;
            for (size_t k = 0; k < dim->nvalues; k++)
                if (it->targets[dim->offset + k] == STANCE_TARGET_YES) {
                    votes[k]++;
                    some = 1;
                }
            none += !some;
        }
        out->labeled[d] = 0;
        memset(out->targets + dim->offset, STANCE_TARGET_UNLABELED, dim->nvalues);
        if (voters == 0)
            continue;
        if (dim->kind == STANCE_DIM_MULTI) {
            out->labeled[d] = 1;
            for (size_t k = 0; k < dim->nvalues; k++)
                out->targets[dim->offset + k] = 2 * votes[k] > voters ? STANCE_TARGET_YES
                                                                      : STANCE_TARGET_NO;
            continue;
        }
        votes[dim->nvalues] = none; /* "none applies" votes as one more value */
        for (size_t k = 0; k <= dim->nvalues; k++)
            if (votes[k] > best_votes) {
                best = k;
                best_votes = votes[k];
            }
        if (2 * best_votes <= voters) {
            imp->counts.ties++;
            continue;
        }
        out->labeled[d] = 1;
        memset(out->targets + dim->offset, STANCE_TARGET_NO, dim->nvalues);
        if (best < dim->nvalues)
            out->targets[dim->offset + best] = STANCE_TARGET_YES;
    }
}

/* The passage's labels if every dimension is labeled alike by all who labeled it: 1, else 0. */
static int agreed(stance_importer *imp, const passage *ps, labels *out)
{
    memset(out->targets, STANCE_TARGET_UNLABELED, imp->nvalues);
    memset(out->labeled, 0, imp->ndims);
    for (size_t i = ps->first; i != SIZE_MAX; i = imp->items[i].next) {
        const item *it = &imp->items[i];
        for (size_t d = 0; d < imp->ndims; d++) {
            const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
            if (!it->labeled[d])
                continue;
            if (out->labeled[d] && memcmp(out->targets + dim->offset, it->targets + dim->offset,
                                          dim->nvalues) != 0)
                return 0;
            out->labeled[d] = 1;
            memcpy(out->targets + dim->offset, it->targets + dim->offset, dim->nvalues);
        }
    }
    return 1;
}

/* The label fields of a record: each labeled dimension in codebook order. 0 on no memory. */
static int set_labels(const stance_importer *imp, json_t *rec, const signed char *targets,
                      const unsigned char *lab)
{
    for (size_t d = 0; d < imp->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(imp->cb, d);
        if (!lab[d])
            continue;
        json_t *v = json_array();
        for (size_t k = 0; v && k < dim->nvalues; k++)
            if (targets[dim->offset + k] == STANCE_TARGET_YES &&
                json_array_append_new(v, json_string(dim->labels[k])) != 0) {
                json_decref(v);
                v = NULL;
            }
        if (v && dim->kind == STANCE_DIM_SINGLE && json_array_size(v) == 1) {
            json_t *one = json_incref(json_array_get(v, 0));
            json_decref(v);
            v = one;
        }
        if (json_object_set_new(rec, dim->name, v) != 0)
            return 0;
    }
    return 1;
}

/* Writes one record of passage ps; annotator and source borrowed. */
static stance_status write_record(const stance_importer *imp, const passage *ps,
                                  const signed char *targets, const unsigned char *lab,
                                  json_t *annotator, json_t *source, FILE *f, const char *name,
                                  stance_error *err)
{
    json_t *rec = json_object();
    int ok = rec && (!ps->id || json_object_set(rec, "id", ps->id) == 0) &&
             json_object_set(rec, "text", ps->text) == 0 && set_labels(imp, rec, targets, lab) &&
             json_object_set(rec, "annotator", annotator) == 0 &&
             json_object_set(rec, "source", source) == 0;
    stance_status st = ok ? stance_jsonl_write(f, rec, name, err) : stance_fail_nomem(err, NULL);
    json_decref(rec);
    return st;
}

/* The annotators of a passage's items, as a list. */
static json_t *all_annotators(const stance_importer *imp, const passage *ps)
{
    json_t *list = json_array();
    for (size_t i = ps->first; list && i != SIZE_MAX; i = imp->items[i].next)
        if (json_array_append(list, imp->items[i].annotator) != 0) {
            json_decref(list);
            list = NULL;
        }
    return list;
}

stance_status stance_importer_write(stance_importer *imp, stance_resolve resolve, FILE *f,
                                    const char *name, size_t *written, stance_error *err)
{
    *written = 0;
    if (imp->nerrors > 0)
        return stance_fail(err, STANCE_ERR_USAGE, name, 0, "the exports have errors");
    imp->counts.disagreed = imp->counts.ties = 0;
    labels out = {malloc(imp->nvalues ? imp->nvalues : 1), malloc(imp->ndims ? imp->ndims : 1)};
    size_t *votes = malloc((imp->nvalues + 1) * sizeof *votes); /* a dimension's, and none */
    stance_status st = out.targets && out.labeled && votes ? STANCE_OK
                                                           : stance_fail_nomem(err, NULL);
    for (size_t pi = 0; st == STANCE_OK && pi < imp->npassages; pi++) {
        const passage *ps = &imp->passages[pi];
        if (ps->first == SIZE_MAX)
            continue;
        if (resolve == STANCE_RESOLVE_NONE || resolve == STANCE_RESOLVE_FIRST) {
            for (size_t i = ps->first; st == STANCE_OK && i != SIZE_MAX; i = imp->items[i].next) {
                const item *it = &imp->items[i];
                st = write_record(imp, ps, it->targets, it->labeled, it->annotator, it->source, f,
                                  name, err);
                ++*written;
                if (resolve == STANCE_RESOLVE_FIRST)
                    break;
            }
            continue;
        }
        if (resolve == STANCE_RESOLVE_MAJORITY)
            majority(imp, ps, &out, votes);
        else if (!agreed(imp, ps, &out)) {
            imp->counts.disagreed++;
            continue;
        }
        json_t *who = all_annotators(imp, ps);
        st = who ? write_record(imp, ps, out.targets, out.labeled, who,
                                imp->items[ps->first].source, f, name, err)
                 : stance_fail_nomem(err, NULL);
        json_decref(who);
        ++*written;
    }
    free(out.targets);
    free(out.labeled);
    free(votes);
    if (st != STANCE_OK)
        *written = 0;
    return st;
}

/* -o: any regular file may be replaced (labeled passages have no signature to check). */
static const stance_outfile_kind labels_file = {"labeled passages", NULL};

typedef struct {
    stance_importer *imp;
    stance_resolve resolve;
    size_t *written;
} save_ctx;

/* stance_outfile_write_fn for the imported records (ctx: a save_ctx). */
static stance_status write_labels_file(FILE *f, void *ctx, const char *path, stance_error *err)
{
    save_ctx *c = ctx;
    return stance_importer_write(c->imp, c->resolve, f, path, c->written, err);
}

stance_status stance_importer_save(stance_importer *imp, stance_resolve resolve, const char *path,
                                   size_t *written, stance_error *err)
{
    *written = 0;
    save_ctx c = {imp, resolve, written};
    stance_status st = stance_outfile_check(path, &labels_file, err);
    if (st == STANCE_OK)
        st = stance_outfile_save(path, &labels_file, write_labels_file, &c, err);
    if (st != STANCE_OK)
        *written = 0;
    return st;
}

stance_status stance_importer_remove_stale(const char *path, const struct timespec *since,
                                           stance_removed_fn removed, void *ctx,
                                           stance_error *err)
{
    return stance_outfile_remove_stale(path, &labels_file, since, removed, ctx, err);
}
