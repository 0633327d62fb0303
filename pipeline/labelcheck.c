/* labelcheck.c: a labeled file checked whole against the codebook: every problem kept, the
 * passages counted per value. */
#include "stance/labelcheck.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "idset_int.h"
#include "jsonl_int.h"
#include "labelcheck_int.h"
#include "stance/idset.h"
#include "stance/jsonl.h"
#include "stance/stream.h"
#include "strmap_int.h"

/* A field that is not a dimension but looks like one: where first seen, how often, and the
 * dimension it looks like (-1: an annotation tool's "label" list). */
typedef struct {
    long first_line;
    size_t records;
    long dim;
} lookalike;

struct stance_label_check {
    const stance_codebook *cb;
    long min_examples;
    size_t nvalues, ndims;
    stance_idset *ids;
    stance_strmap texts;    /* text -> entry i: first seen at text_lines[i], labels text_targets */
    long *text_lines;
    size_t text_lines_cap;
    signed char *text_targets; /* nvalues per text */
    size_t text_targets_cap;
    stance_strmap fields;   /* look-alike field name -> entry i of looks */
    lookalike *looks;
    size_t looks_cap;
    size_t *labeled, *none, *yes; /* per dimension, per dimension, per value */
    size_t records;
    stance_label_problem *problems;
    size_t nproblems, problems_cap, nerrors;
};

void stance_label_check_free(stance_label_check *c)
{
    if (!c)
        return;
    stance_idset_free(c->ids);
    stance_strmap_clear(&c->texts);
    stance_strmap_clear(&c->fields);
    free(c->text_lines);
    free(c->text_targets);
    free(c->looks);
    free(c->labeled);
    free(c->none);
    free(c->yes);
    free(c->problems);
    free(c);
}

stance_status stance_label_check_new(const stance_codebook *cb, long min_examples,
                                     stance_label_check **out, stance_error *err)
{
    *out = NULL;
    stance_label_check *c = calloc(1, sizeof *c);
    if (!c)
        return stance_fail_nomem(err, NULL);
    c->cb = cb;
    c->min_examples = min_examples;
    c->nvalues = stance_codebook_get_value_count(cb);
    c->ndims = stance_codebook_get_dimension_count(cb);
    stance_strmap_init(&c->texts);
    stance_strmap_init(&c->fields);
    c->labeled = calloc(c->ndims, sizeof *c->labeled);
    c->none = calloc(c->ndims, sizeof *c->none);
    c->yes = calloc(c->nvalues, sizeof *c->yes);
    stance_status st = c->labeled && c->none && c->yes ? stance_idset_new(&c->ids, err)
                                                       : stance_fail_nomem(err, NULL);
    if (st != STANCE_OK) {
        stance_label_check_free(c);
        return st;
    }
    *out = c;
    return STANCE_OK;
}

/* Keeps e as a problem (a copy). */
static stance_status keep(stance_label_check *c, int warning, const stance_error *e,
                          stance_error *err)
{
    stance_label_problem *p = stance_grow(c->problems, &c->problems_cap, c->nproblems, 1,
                                          sizeof *p);
    if (!p)
        return stance_fail_nomem(err, NULL);
    c->problems = p;
    p[c->nproblems].warning = warning;
    p[c->nproblems++].error = *e;
    c->nerrors += !warning;
    return STANCE_OK;
}

/* Keeps a problem made from a printf-style message. */
static stance_status keepf(stance_label_check *c, int warning, const char *where, long line,
                           stance_error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static stance_status keepf(stance_label_check *c, int warning, const char *where, long line,
                           stance_error *err, const char *fmt, ...)
{
    stance_error e;
    stance_error_set(&e, warning ? STANCE_OK : STANCE_ERR_DATA, where, line, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    return keep(c, warning, &e, err);
}

stance_status stance_label_check_add_error(stance_label_check *c, const stance_error *e,
                                           stance_error *err)
{
    return keep(c, 0, e, err);
}

int stance_label_check_can_go_on(const stance_error *e, long line)
{
    return e->status == STANCE_ERR_DATA && e->line == line && line > 0 &&
           strncmp(e->message, "NUL byte", 8) != 0;
}

size_t stance_edit_distance(const char *a, const char *b, size_t limit)
{
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > limit || m > 64)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t best = diag + !same;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m] > limit ? limit + 1 : row[m];
}

long stance_codebook_looks_like(const stance_codebook *cb, const char *name)
{
    long best = -1;
    size_t best_d = 3;
    for (size_t i = 0; i < stance_codebook_get_dimension_count(cb); i++) {
        const char *dim = stance_codebook_get_dimension(cb, i)->name;
        size_t shorter = strlen(name) < strlen(dim) ? strlen(name) : strlen(dim);
        size_t limit = shorter <= 4 ? 1 : 2, d = stance_edit_distance(name, dim, limit);
        if (d <= limit && d < shorter && d < best_d) {
            best = (long)i;
            best_d = d;
        }
    }
    return best;
}

/* Fields every labeled record may have besides the dimensions. */
static int known_field(const char *name)
{
    return stance_codebook_is_record_field(name) || strcmp(name, "annotator") == 0 ||
           strcmp(name, "source") == 0;
}

/* Counts rec's fields that look like a dimension (dim, or -1 for an export's label list when
 * the record labels no dimension). */
static stance_status note_lookalikes(stance_label_check *c, const json_t *rec, long line,
                                     int labels_some, stance_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)rec, key, v) {
        if (known_field(key) || stance_codebook_find_dimension(c->cb, key) >= 0)
            continue;
        long dim = stance_codebook_looks_like(c->cb, key);
        if (dim < 0 && !(!labels_some && (strcmp(key, "label") == 0 || strcmp(key, "labels") == 0)))
            continue;
        size_t n = c->fields.count;
        long i = stance_strmap_put(&c->fields, key, strlen(key), n);
        if (i < 0)
            return stance_fail_nomem(err, NULL);
        if ((size_t)i == n) {
            lookalike *grown = stance_grow(c->looks, &c->looks_cap, n, 1, sizeof *grown);
            if (!grown)
                return stance_fail_nomem(err, NULL);
            c->looks = grown;
            grown[n] = (lookalike){line, 0, dim};
        }
        lookalike *l = &c->looks[i];
        l->records++;
    }
    return STANCE_OK;
}

/* Compares the labels of a text seen before (at entry i) with t; keeps a warning naming the
 * first dimension where both label it differently: several annotators' records, or a corpus
 * that files one text twice with other labels (Reuters-21578 has dozens), which training
 * still learns from. */
static stance_status compare_text(stance_label_check *c, size_t i, const signed char *t,
                                  const char *where, long line, stance_error *err)
{
    const signed char *first = c->text_targets + i * c->nvalues;
    for (size_t d = 0; d < c->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(c->cb, d);
        const signed char *a = first + dim->offset, *b = t + dim->offset;
        if (a[0] == STANCE_TARGET_UNLABELED || b[0] == STANCE_TARGET_UNLABELED ||
            memcmp(a, b, dim->nvalues) == 0)
            continue;
        return keepf(c, 1, where, line, err,
                     "same text as line %ld with other labels on \"%s\" (several annotators? "
                     "stance-import --resolve makes one record per passage)",
                     c->text_lines[i], dim->name);
    }
    return STANCE_OK;
}

/* Remembers the text's labels, or compares them with those it had before. */
static stance_status note_text(stance_label_check *c, const char *text, size_t len,
                               const signed char *t, const char *where, long line,
                               stance_error *err)
{
    size_t n = c->texts.count;
    long i = stance_strmap_put(&c->texts, text, len, n);
    if (i < 0)
        return stance_fail_nomem(err, NULL);
    if ((size_t)i < n)
        return compare_text(c, (size_t)i, t, where, line, err);
    long *lines = stance_grow(c->text_lines, &c->text_lines_cap, n, 1, sizeof *lines);
    if (lines)
        c->text_lines = lines;
    signed char *tg = stance_grow(c->text_targets, &c->text_targets_cap, n * c->nvalues,
                                  c->nvalues + 1, 1);
    if (tg)
        c->text_targets = tg;
    if (!lines || !tg)
        return stance_fail_nomem(err, NULL);
    lines[n] = line;
    memcpy(tg + n * c->nvalues, t, c->nvalues);
    return STANCE_OK;
}

/* Adds the record's labels to the counts. */
static void count(stance_label_check *c, const signed char *t)
{
    for (size_t d = 0; d < c->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(c->cb, d);
        const signed char *v = t + dim->offset;
        if (v[0] == STANCE_TARGET_UNLABELED)
            continue;
        c->labeled[d]++;
        int some = 0;
        for (size_t k = 0; k < dim->nvalues; k++)
            if (v[k] == STANCE_TARGET_YES) {
                c->yes[dim->offset + k]++;
                some = 1;
            }
        c->none[d] += !some;
    }
}

/* The id check of stance-train: a string or an integer, not seen before. */
static stance_status check_id(stance_label_check *c, const json_t *rec, const char *where,
                              long line, int *usable, stance_error *err)
{
    if (!json_object_get(rec, "id"))
        return STANCE_OK;
    char buf[32];
    const char *id;
    stance_error e;
    stance_status st = stance_json_get_id(rec, where, line, buf, sizeof buf, &id, &e);
    if (st == STANCE_OK)
        st = stance_idset_add(c->ids, id, where, line, &e);
    if (st == STANCE_ERR_NOMEM)
        return stance_fail_nomem(err, NULL);
    if (st != STANCE_OK) {
        *usable = 0;
        const json_t *who = json_object_get(rec, "annotator");
        size_t used = strlen(e.message);
        if (who && !json_is_null(who)) /* stance-import's records of several annotators */
            snprintf(e.message + used, sizeof e.message - used,
                     "; several annotators? stance-import --resolve makes one record per "
                     "passage");
        return keep(c, 0, &e, err);
    }
    return STANCE_OK;
}

stance_status stance_label_check_add(stance_label_check *c, const json_t *rec, const char *where,
                                     long line, signed char *targets, int *usable,
                                     stance_error *err)
{
    *usable = 1;
    c->records++;
    stance_error e;
    const char *text;
    size_t len;
    stance_status st = stance_json_get_string(rec, "text", where, line, &text, &len, &e);
    if (st == STANCE_OK && memchr(text, '\0', len))
        st = stance_fail(&e, STANCE_ERR_DATA, where, line, "\"text\" holds a NUL character");
    if (st != STANCE_OK) {
        *usable = 0;
        text = NULL;
        if ((st = keep(c, 0, &e, err)) != STANCE_OK)
            return st;
    }
    if ((st = check_id(c, rec, where, line, usable, err)) != STANCE_OK)
        return st;
    int labels_some = 0;
    for (size_t d = 0; d < c->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(c->cb, d);
        signed char *t = targets + dim->offset;
        if (stance_dimension_targets(dim, json_object_get(rec, dim->name), where, line, t, &e) !=
            STANCE_OK) {
            *usable = 0;
            memset(t, STANCE_TARGET_UNLABELED, dim->nvalues);
            if ((st = keep(c, 0, &e, err)) != STANCE_OK)
                return st;
        }
        labels_some |= t[0] != STANCE_TARGET_UNLABELED;
    }
    if ((st = note_lookalikes(c, rec, line, labels_some, err)) != STANCE_OK)
        return st;
    if (!*usable)
        return STANCE_OK;
    count(c, targets);
    return note_text(c, text, len, targets, where, line, err);
}

/* "line 4" or "line 4 and 11 more records". */
static void first_and_more(const lookalike *l, char *buf, size_t n)
{
    if (l->records > 1)
        snprintf(buf, n, "line %ld and %zu more record%s", l->first_line, l->records - 1,
                 l->records > 2 ? "s" : "");
    else
        snprintf(buf, n, "line %ld", l->first_line);
}

static stance_status report_lookalikes(stance_label_check *c, const char *where,
                                       stance_error *err)
{
    for (size_t i = 0; i < c->fields.count; i++) {
        const lookalike *l = &c->looks[i];
        const char *name = stance_strmap_key(&c->fields, i);
        char at[64];
        first_and_more(l, at, sizeof at);
        stance_status st =
            l->dim >= 0
                ? keepf(c, 0, where, 0, err,
                        "`%s`: not a dimension of this codebook; did you mean `%s`? (%s)", name,
                        stance_codebook_get_dimension(c->cb, (size_t)l->dim)->name, at)
                : keepf(c, 0, where, 0, err,
                        "`%s`: not a dimension of this codebook, and the records label none of "
                        "its dimensions: an annotation tool's export? stance-import converts "
                        "it (%s)",
                        name, at);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

static stance_status report_few(stance_label_check *c, const char *where, stance_error *err)
{
    for (size_t d = 0; d < c->ndims; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(c->cb, d);
        stance_status st = STANCE_OK;
        for (size_t k = 0; st == STANCE_OK && k < dim->nvalues; k++)
            if (c->yes[dim->offset + k] < (size_t)c->min_examples)
                st = keepf(c, 1, where, 0, err,
                           "%s=%s: %zu labeled passages, fewer than %ld", dim->name,
                           dim->labels[k], c->yes[dim->offset + k], c->min_examples);
        if (st == STANCE_OK && dim->optional && c->none[d] < (size_t)c->min_examples)
            st = keepf(c, 1, where, 0, err,
                       "%s: %zu labeled passages where no value applies ([]), fewer than %ld",
                       dim->name, c->none[d], c->min_examples);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

stance_status stance_label_check_finish(stance_label_check *c, const char *where,
                                        stance_error *err)
{
    stance_status st = report_lookalikes(c, where, err);
    return st == STANCE_OK ? report_few(c, where, err) : st;
}

stance_status stance_label_check_load(stance_label_check *c, const char *path,
                                      stance_error *err)
{
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    stance_jsonl_reader *r = NULL;
    signed char *targets = malloc(c->nvalues ? c->nvalues : 1);
    st = targets ? stance_jsonl_reader_new(f, path, &r, err) : stance_fail_nomem(err, path);
    while (st == STANCE_OK) {
        json_t *rec = NULL;
        stance_error e;
        st = stance_jsonl_read(r, &rec, &e);
        if (st == STANCE_ERR_DATA) {
            st = stance_label_check_add_error(c, &e, err);
            if (st == STANCE_OK && stance_label_check_can_go_on(&e, stance_jsonl_get_line(r)))
                continue;
            break;
        }
        if (st != STANCE_OK && err)
            *err = e;
        if (st != STANCE_OK || !rec)
            break;
        int usable;
        st = stance_label_check_add(c, rec, path, stance_jsonl_get_line(r), targets, &usable,
                                    err);
        json_decref(rec);
    }
    stance_jsonl_reader_free(r);
    fclose(f);
    free(targets);
    return st == STANCE_OK ? stance_label_check_finish(c, path, err) : st;
}

size_t stance_label_check_get_problem_count(const stance_label_check *c)
{
    return c->nproblems;
}

const stance_label_problem *stance_label_check_get_problem(const stance_label_check *c, size_t i)
{
    return i < c->nproblems ? &c->problems[i] : NULL;
}

size_t stance_label_check_get_error_count(const stance_label_check *c)
{
    return c->nerrors;
}

size_t stance_label_check_get_record_count(const stance_label_check *c)
{
    return c->records;
}

size_t stance_label_check_get_labeled(const stance_label_check *c, size_t d)
{
    return d < c->ndims ? c->labeled[d] : 0;
}

size_t stance_label_check_get_none(const stance_label_check *c, size_t d)
{
    return d < c->ndims ? c->none[d] : 0;
}

size_t stance_label_check_get_value(const stance_label_check *c, size_t d, size_t v)
{
    const stance_dimension *dim = stance_codebook_get_dimension(c->cb, d);
    return dim && v < dim->nvalues ? c->yes[dim->offset + v] : 0;
}
