/* codebook.c: the codebook (dimensions, kinds, value labels) read from JSON and validated,
 * and the targets a labeled record gives each value. */
#include "stance/codebook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "jsonl_int.h"
#include "strmap_int.h"

/* A dimension and the storage its public view points into. pub comes first, so the view
 * stance_codebook_get_dimension hands out leads back to the store (stance_dimension_find). */
typedef struct {
    stance_dimension pub;
    char *name;
    char **labels;
    char **definitions;
    stance_strmap index; /* label -> value index (entry i is value i) */
} dim_store;

struct stance_codebook {
    dim_store *dims;
    size_t ndims;
    size_t nvalues;
    stance_strmap names; /* dimension name -> dimension index (entry i is dimension i) */
};

/* Fields of the records the stages read and write (record.h, tag.h, jsonl.h): a dimension so
 * named would overwrite one, or be read from one. */
static const char *const reserved_names[] = {
    "doc", "passage", "start", "end", "kind", "text", "passages", "id",
    "tokens", "offsets", "stems", "scores", "explain", "applies",
};

static void free_dim(dim_store *d)
{
    if (d->labels)
        for (size_t i = 0; i < d->pub.nvalues; i++)
            free(d->labels[i]);
    if (d->definitions)
        for (size_t i = 0; i < d->pub.nvalues; i++)
            free(d->definitions[i]);
    free(d->labels);
    free(d->definitions);
    free(d->name);
    stance_strmap_clear(&d->index);
}

void stance_codebook_free(stance_codebook *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->ndims; i++)
        free_dim(&cb->dims[i]);
    free(cb->dims);
    stance_strmap_clear(&cb->names);
    free(cb);
}

/* "a number", "an object", ...: the type of v for messages. */
static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* The text of v if it is a non-empty string without NUL bytes, else NULL. */
static const char *nonempty_string(const json_t *v)
{
    if (!json_is_string(v))
        return NULL;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    return n > 0 && strlen(s) == n ? s : NULL;
}

/* Whether the UTF-8 text s holds a control character (U+0001-U+001F, U+007F, U+0080-U+009F):
 * invisible or worse on a terminal, and not something to type as --label VALUE. */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
            return 1;
    return 0;
}

/* Validates and copies the values of dimension number k (1-based) into d. */
static stance_status read_values(dim_store *d, size_t k, const json_t *values, const char *where,
                                 stance_error *err)
{
    const char *name = d->name;
    if (!json_is_array(values))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): \"values\" must be an array, got %s", k, name,
                           values ? type_name(values) : "nothing");
    size_t n = json_array_size(values);
    if (n == 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "dimension %zu (\"%s\"): no values",
                           k, name);
    if (d->pub.kind == STANCE_DIM_SINGLE && n < 2)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): a single dimension needs at least two values",
                           k, name);
    d->labels = calloc(n, sizeof *d->labels);
    d->definitions = calloc(n, sizeof *d->definitions);
    if (!d->labels || !d->definitions)
        return stance_fail_nomem(err, where);
    d->pub.nvalues = n;
    for (size_t j = 0; j < n; j++) {
        const json_t *v = json_array_get(values, j);
        if (!json_is_object(v))
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"), value %zu: expected an object, got %s", k,
                               name, j + 1, type_name(v));
        const char *label = nonempty_string(json_object_get(v, "label"));
        if (!label)
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"), value %zu: \"label\" must be a non-empty "
                               "string",
                               k, name, j + 1);
        if (has_control(label))
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"), value %zu: \"label\" holds a control "
                               "character",
                               k, name, j + 1);
        if (strchr(label, ';')) /* it would be two labels in one table cell */
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"), value %zu (\"%s\"): \"label\" holds ';', "
                               "which joins a passage's labels in one column of stance-tag's "
                               "tables (--format csv or tsv); choose a label without it",
                               k, name, j + 1, label);
        long i = stance_strmap_put(&d->index, label, strlen(label), j);
        if (i < 0)
            return stance_fail_nomem(err, where);
        if ((size_t)i != j)
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"): duplicate label \"%s\" (values %ld "
                               "and %zu)",
                               k, name, label, i + 1, j + 1);
        const json_t *def = json_object_get(v, "definition");
        if (def && !json_is_string(def))
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"), value %zu (\"%s\"): \"definition\" must "
                               "be a string",
                               k, name, j + 1, label);
        if (!(d->labels[j] = strdup(label)) ||
            !(d->definitions[j] = strdup(def ? json_string_value(def) : "")))
            return stance_fail_nomem(err, where);
    }
    d->pub.labels = (const char *const *)d->labels;
    d->pub.definitions = (const char *const *)d->definitions;
    return STANCE_OK;
}

/* Reads the "optional" flag (v, NULL when absent) of dimension number k into d. */
static stance_status read_optional(dim_store *d, size_t k, const json_t *v, const char *where,
                                   stance_error *err)
{
    if (!v)
        return STANCE_OK;
    if (!json_is_boolean(v))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): \"optional\" must be true or false, got %s", k,
                           d->name, type_name(v));
    if (json_is_true(v) && d->pub.kind == STANCE_DIM_MULTI)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): only a single dimension can be optional (a "
                           "multi dimension takes [] for none)",
                           k, d->name);
    if (json_is_true(v) && stance_dimension_find(&d->pub, "(none)") >= 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): an optional dimension cannot have a value "
                           "labeled \"(none)\"",
                           k, d->name);
    d->pub.optional = json_is_true(v);
    return STANCE_OK;
}

/* Validates dimension number k (1-based) of the codebook and copies it into cb->dims[k-1]. */
static stance_status read_dimension(stance_codebook *cb, size_t k, const json_t *dim,
                                    const char *where, stance_error *err)
{
    if (!json_is_object(dim))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu: expected an object, got %s", k, type_name(dim));
    const char *name = nonempty_string(json_object_get(dim, "name"));
    if (!name)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu: \"name\" must be a non-empty string", k);
    if (has_control(name))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu: \"name\" holds a control character", k);
    for (size_t i = 0; i < sizeof reserved_names / sizeof reserved_names[0]; i++)
        if (strcmp(name, reserved_names[i]) == 0)
            return stance_fail(err, STANCE_ERR_DATA, where, 0,
                               "dimension %zu (\"%s\"): the name is taken by a field of the "
                               "records (doc, passage, start, end, kind, text, passages, id, "
                               "tokens, offsets, stems, scores, explain, applies)",
                               k, name);
    long i = stance_strmap_put(&cb->names, name, strlen(name), k - 1);
    if (i < 0)
        return stance_fail_nomem(err, where);
    if ((size_t)i != k - 1)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): duplicate name (also dimension %ld)", k, name,
                           i + 1);
    dim_store *d = &cb->dims[k - 1];
    stance_strmap_init_keyed(&d->index, &cb->names.key); /* one random key for the codebook */
    cb->ndims = k; /* from here on, stance_codebook_free releases d */
    if (!(d->name = strdup(name)))
        return stance_fail_nomem(err, where);
    d->pub.name = d->name;
    const char *kind = json_string_value(json_object_get(dim, "kind"));
    if (kind && strcmp(kind, "multi") == 0)
        d->pub.kind = STANCE_DIM_MULTI;
    else if (kind && strcmp(kind, "single") == 0)
        d->pub.kind = STANCE_DIM_SINGLE;
    else
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "dimension %zu (\"%s\"): kind must be \"multi\" or \"single\"", k, name);
    stance_status st = read_values(d, k, json_object_get(dim, "values"), where, err);
    if (st != STANCE_OK)
        return st;
    if ((st = read_optional(d, k, json_object_get(dim, "optional"), where, err)) != STANCE_OK)
        return st;
    d->pub.offset = cb->nvalues;
    cb->nvalues += d->pub.nvalues;
    return STANCE_OK;
}

stance_status stance_codebook_from_json(const json_t *json, const char *where,
                                        stance_codebook **out, stance_error *err)
{
    *out = NULL;
    if (!json_is_object(json))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "codebook: expected a JSON object");
    const json_t *dims = json_object_get(json, "dimensions");
    if (!dims)
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "codebook has no \"dimensions\"");
    if (!json_is_array(dims))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "\"dimensions\" must be an array, got %s", type_name(dims));
    size_t n = json_array_size(dims);
    if (n == 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "\"dimensions\" is empty");
    stance_codebook *cb = calloc(1, sizeof *cb);
    if (!cb || !(cb->dims = calloc(n, sizeof *cb->dims))) {
        free(cb);
        return stance_fail_nomem(err, where);
    }
    stance_strmap_init(&cb->names);
    for (size_t k = 1; k <= n; k++) {
        stance_status st = read_dimension(cb, k, json_array_get(dims, k - 1), where, err);
        if (st != STANCE_OK) {
            stance_codebook_free(cb);
            return st;
        }
    }
    *out = cb;
    return STANCE_OK;
}

stance_status stance_codebook_load(const char *path, stance_codebook **out, stance_error *err)
{
    *out = NULL;
    json_t *json;
    stance_status st = stance_json_load_file(path, &json, err);
    if (st != STANCE_OK)
        return st;
    st = stance_codebook_from_json(json, path, out, err);
    json_decref(json);
    return st;
}

json_t *stance_codebook_to_json(const stance_codebook *cb)
{
    json_t *dims = json_array();
    json_t *root = json_pack("{s:o}", "dimensions", dims);
    if (!root)
        return NULL;
    for (size_t i = 0; i < cb->ndims; i++) {
        const stance_dimension *d = &cb->dims[i].pub;
        json_t *values = json_array();
        json_t *dim = json_pack("{s:s, s:s, s:o}", "name", d->name, "kind",
                                d->kind == STANCE_DIM_MULTI ? "multi" : "single", "values", values);
        if (dim && d->optional && json_object_set_new(dim, "optional", json_true()) != 0) {
            json_decref(dim);
            dim = NULL;
        }
        if (json_array_append_new(dims, dim) != 0) {
            json_decref(root);
            return NULL;
        }
        for (size_t j = 0; j < d->nvalues; j++) {
            json_t *v = json_pack("{s:s}", "label", d->labels[j]);
            if (v && d->definitions[j][0] &&
                json_object_set_new(v, "definition", json_string(d->definitions[j])) != 0) {
                json_decref(v);
                v = NULL;
            }
            if (json_array_append_new(values, v) != 0) {
                json_decref(root);
                return NULL;
            }
        }
    }
    return root;
}

size_t stance_codebook_get_dimension_count(const stance_codebook *cb)
{
    return cb->ndims;
}

const stance_dimension *stance_codebook_get_dimension(const stance_codebook *cb, size_t i)
{
    return i < cb->ndims ? &cb->dims[i].pub : NULL;
}

size_t stance_codebook_get_value_count(const stance_codebook *cb)
{
    return cb->nvalues;
}

long stance_dimension_find(const stance_dimension *dim, const char *label)
{
    return stance_strmap_find(&((const dim_store *)dim)->index, label, strlen(label));
}

int stance_codebook_same(const stance_codebook *a, const stance_codebook *b)
{
    if (a->ndims != b->ndims)
        return 0;
    for (size_t i = 0; i < a->ndims; i++) {
        const stance_dimension *x = &a->dims[i].pub, *y = &b->dims[i].pub;
        if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->nvalues != y->nvalues ||
            x->optional != y->optional)
            return 0;
        for (size_t j = 0; j < x->nvalues; j++)
            if (strcmp(x->labels[j], y->labels[j]) != 0)
                return 0;
    }
    return 1;
}

/* Index within dim of one value as a record gives it: a string, or an object with a
 * "label" string (and, if any, a "score" from 0 to 1). Fails for another type or an unknown
 * label. */
static stance_status value_index(const stance_dimension *dim, const json_t *v, const char *where,
                                 long line, size_t *index, stance_error *err)
{
    const json_t *label = v;
    if (json_is_object(v)) {
        label = json_object_get(v, "label");
        if (!json_is_string(label))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "dimension \"%s\": value object has no \"label\" string",
                               dim->name);
        const json_t *score = json_object_get(v, "score");
        if (score && !(json_is_number(score) && json_number_value(score) >= 0 &&
                       json_number_value(score) <= 1))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "dimension \"%s\": \"score\" must be a number from 0 to 1",
                               dim->name);
    } else if (!json_is_string(v)) {
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "dimension \"%s\": a value must be a string or an object with "
                           "\"label\", got %s",
                           dim->name, type_name(v));
    }
    const char *s = json_string_value(label);
    long i = strlen(s) == json_string_length(label) ? stance_dimension_find(dim, s) : -1;
    if (i < 0)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "unknown value \"%s\" for dimension \"%s\"", s, dim->name);
    *index = (size_t)i;
    return STANCE_OK;
}

static stance_status multi_targets(const stance_dimension *dim, const json_t *v, const char *where,
                                   long line, signed char *t, stance_error *err)
{
    memset(t, STANCE_TARGET_NO, dim->nvalues);
    size_t n = json_is_array(v) ? json_array_size(v) : 1; /* a bare value stands for [value] */
    for (size_t i = 0; i < n; i++) {
        size_t k;
        const json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
        stance_status st = value_index(dim, item, where, line, &k, err);
        if (st != STANCE_OK)
            return st;
        t[k] = STANCE_TARGET_YES;
    }
    return STANCE_OK;
}

static stance_status single_targets(const stance_dimension *dim, const json_t *v,
                                    const char *where, long line, signed char *t, stance_error *err)
{
    if (json_is_array(v)) {
        if (json_array_size(v) == 0 && dim->optional) { /* labeled: no value applies */
            memset(t, STANCE_TARGET_NO, dim->nvalues);
            return STANCE_OK;
        }
        if (json_array_size(v) == 0)
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "dimension \"%s\" takes exactly one value, got 0 ([] for none "
                               "needs \"optional\": true in the codebook)",
                               dim->name);
        if (json_array_size(v) != 1)
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "dimension \"%s\" takes exactly one value, got %zu", dim->name,
                               json_array_size(v));
        v = json_array_get(v, 0);
    }
    size_t k;
    stance_status st = value_index(dim, v, where, line, &k, err);
    if (st != STANCE_OK)
        return st;
    memset(t, STANCE_TARGET_NO, dim->nvalues);
    t[k] = STANCE_TARGET_YES;
    return STANCE_OK;
}

stance_status stance_dimension_targets(const stance_dimension *dim, const json_t *v,
                                       const char *where, long line, signed char *t,
                                       stance_error *err)
{
    if (!v || json_is_null(v)) {
        memset(t, STANCE_TARGET_UNLABELED, dim->nvalues);
        return STANCE_OK;
    }
    if (!json_is_array(v) && !json_is_string(v) && !json_is_object(v))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "dimension \"%s\": expected %s, got %s", dim->name,
                           dim->kind == STANCE_DIM_MULTI ? "an array of labels" : "a label",
                           type_name(v));
    return dim->kind == STANCE_DIM_MULTI ? multi_targets(dim, v, where, line, t, err)
                                         : single_targets(dim, v, where, line, t, err);
}

stance_status stance_codebook_targets(const stance_codebook *cb, const json_t *rec,
                                      const char *where, long line, signed char *targets,
                                      stance_error *err)
{
    for (size_t i = 0; i < cb->ndims; i++) {
        const stance_dimension *dim = &cb->dims[i].pub;
        stance_status st = stance_dimension_targets(dim, json_object_get(rec, dim->name), where,
                                                    line, targets + dim->offset, err);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

int stance_codebook_is_record_field(const char *name)
{
    for (size_t i = 0; i < sizeof reserved_names / sizeof reserved_names[0]; i++)
        if (strcmp(name, reserved_names[i]) == 0)
            return 1;
    return 0;
}

long stance_codebook_find_dimension(const stance_codebook *cb, const char *name)
{
    return stance_strmap_find(&cb->names, name, strlen(name));
}

/* ---- label columns ---- */

struct stance_label_column {
    const stance_codebook *cb;
    const stance_dimension *dim;
    long value;          /* the index of VALUE in dim, or -1 for the value index column */
    signed char *targets; /* one record's targets, reused */
};

/* Appends each of n names to list (cap bytes), comma-separated, as far as it fits. */
static void list_names(char *list, size_t cap, const char *const *names, size_t n)
{
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, cap - used, "%s%s", i ? ", " : "", names[i]);
    }
}

static const stance_dimension *find_dimension(const stance_codebook *cb, const char *name,
                                              size_t len)
{
    long i = stance_strmap_find(&cb->names, name, len);
    return i < 0 ? NULL : &cb->dims[i].pub;
}

stance_status stance_label_column_new(const stance_codebook *cb, const char *spec,
                                      const char *where, stance_label_column **out,
                                      stance_error *err)
{
    *out = NULL;
    char names[STANCE_ERROR_MSG_MAX / 2];
    const char *colon = strchr(spec, ':');
    size_t dlen = colon ? (size_t)(colon - spec) : strlen(spec);
    const stance_dimension *dim = find_dimension(cb, spec, dlen);
    if (!dim) {
        names[0] = '\0';
        for (size_t i = 0; i < cb->ndims; i++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", cb->dims[i].pub.name);
        }
        return stance_fail(err, STANCE_ERR_USAGE, where, 0, "no dimension '%.*s' (dimensions: %s)",
                           (int)dlen, spec, names);
    }
    long value = -1;
    if (!colon && dim->kind == STANCE_DIM_MULTI)
        return stance_fail(err, STANCE_ERR_USAGE, where, 0,
                           "'%s' takes several values: give --label %s:VALUE", dim->name, dim->name);
    if (colon && (value = stance_dimension_find(dim, colon + 1)) < 0) {
        list_names(names, sizeof names, dim->labels, dim->nvalues);
        return stance_fail(err, STANCE_ERR_USAGE, where, 0,
                           "dimension '%s' has no value '%s' (values: %s)", dim->name, colon + 1,
                           names);
    }
    stance_label_column *lc = calloc(1, sizeof *lc);
    if (lc)
        lc->targets = malloc(cb->nvalues + 1);
    if (!lc || !lc->targets) {
        stance_label_column_free(lc);
        return stance_fail_nomem(err, where);
    }
    lc->cb = cb;
    lc->dim = dim;
    lc->value = value;
    *out = lc;
    return STANCE_OK;
}

void stance_label_column_free(stance_label_column *lc)
{
    if (!lc)
        return;
    free(lc->targets);
    free(lc);
}

stance_status stance_label_column_get(stance_label_column *lc, const json_t *rec,
                                      const char *where, long line, int *label,
                                      stance_error *err)
{
    *label = 0;
    stance_status st = stance_codebook_targets(lc->cb, rec, where, line, lc->targets, err);
    if (st != STANCE_OK)
        return st;
    const signed char *t = lc->targets + lc->dim->offset;
    if (lc->value >= 0) {
        *label = t[lc->value] == STANCE_TARGET_YES ? 1 : t[lc->value] == STANCE_TARGET_NO ? -1 : 0;
        return STANCE_OK;
    }
    if (t[0] != STANCE_TARGET_UNLABELED)
        *label = (int)lc->dim->nvalues + 1; /* stays so only when no value applies */
    for (size_t k = 0; k < lc->dim->nvalues; k++)
        if (t[k] == STANCE_TARGET_YES)
            *label = (int)k + 1;
    return STANCE_OK;
}

void stance_label_column_format(const stance_label_column *lc, int label, char *buf, size_t n)
{
    snprintf(buf, n, lc && lc->value >= 0 && label > 0 ? "+%d" : "%d", label);
}
