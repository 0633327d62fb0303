/* threshold.c: thresholds moved at tag time, named by label and parsed from "LABEL=P". */
#include "threshold_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"

#define CANDIDATES_MAX 8 /* an ambiguous label lists at most this many readings */
#define LIST_MAX 300     /* bytes of labels an unknown label's message lists */

stance_status stance_thresholds_new(const stance_codebook *cb, stance_thresholds **out,
                                    stance_error *err)
{
    *out = NULL;
    size_t n = stance_codebook_get_value_count(cb) + stance_codebook_get_dimension_count(cb);
    stance_thresholds *th = calloc(1, sizeof *th);
    if (!th || !(th->at = malloc((n ? n : 1) * sizeof *th->at))) {
        free(th);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < n; i++)
        th->at[i] = NAN;
    th->cb = cb;
    *out = th;
    return STANCE_OK;
}

void stance_thresholds_free(stance_thresholds *th)
{
    if (!th)
        return;
    free(th->at);
    free(th);
}

int stance_thresholds_any(const stance_thresholds *th)
{
    return th && th->any;
}

double stance_thresholds_value(const stance_thresholds *th, size_t v)
{
    return th ? th->at[v] : NAN;
}

double stance_thresholds_applies(const stance_thresholds *th, size_t d)
{
    return th ? th->at[stance_codebook_get_value_count(th->cb) + d] : NAN;
}

static int is_applies_dim(const stance_dimension *d)
{
    return d->kind == STANCE_DIM_SINGLE && d->optional;
}

/* The slot (value slot, or value count + dimension for an applies unit) and the dimension of
 * each reading of a label. */
typedef struct {
    size_t slot[CANDIDATES_MAX];
    size_t dim[CANDIDATES_MAX];
    size_t n;
} readings;

static void add_reading(readings *r, size_t slot, size_t dim)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->slot[i] == slot)
            return;
    if (r->n < CANDIDATES_MAX) {
        r->slot[r->n] = slot;
        r->dim[r->n++] = dim;
    }
}

/* The dimension named by the n bytes at name, or NULL. */
static const stance_dimension *dimension_named(const stance_codebook *cb, const char *name,
                                               size_t n, size_t *index)
{
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        if (strlen(dim->name) == n && memcmp(dim->name, name, n) == 0) {
            *index = d;
            return dim;
        }
    }
    return NULL;
}

/* Every reading of label: a value label, DIMENSION.VALUE, DIMENSION.applies or DIMENSION. */
static void read_label(const stance_codebook *cb, const char *label, readings *r)
{
    size_t nv = stance_codebook_get_value_count(cb), d;
    r->n = 0;
    for (d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        long v = stance_dimension_find(dim, label);
        if (v >= 0)
            add_reading(r, dim->offset + (size_t)v, d);
    }
    for (const char *dot = strchr(label, '.'); dot; dot = strchr(dot + 1, '.')) {
        const stance_dimension *dim = dimension_named(cb, label, (size_t)(dot - label), &d);
        if (!dim)
            continue;
        long v = stance_dimension_find(dim, dot + 1);
        if (v >= 0)
            add_reading(r, dim->offset + (size_t)v, d);
        if (strcmp(dot + 1, "applies") == 0 && is_applies_dim(dim))
            add_reading(r, nv + d, d);
    }
    const stance_dimension *dim = dimension_named(cb, label, strlen(label), &d);
    if (dim && is_applies_dim(dim))
        add_reading(r, nv + d, d);
}

/* Appends to buf (size bytes, NUL-terminated) the name of slot in dimension d:
 * DIMENSION.VALUE or DIMENSION.applies. */
static void slot_name(const stance_codebook *cb, size_t slot, size_t d, char *buf, size_t size)
{
    const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    int in_dim = slot >= dim->offset && slot < dim->offset + dim->nvalues;
    snprintf(buf + used, size - used, "%s.%s", dim->name,
             in_dim ? dim->labels[slot - dim->offset] : "applies");
}

/* The labels one may name, for the message about an unknown one: every value's, as
 * DIMENSION.VALUE, and the applies units', cut short with "..." past LIST_MAX bytes. */
static void list_labels(const stance_codebook *cb, char *buf, size_t size)
{
    size_t nv = stance_codebook_get_value_count(cb);
    buf[0] = '\0';
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        for (size_t v = 0; v <= dim->nvalues; v++) {
            if (v == dim->nvalues && !is_applies_dim(dim))
                break;
            if (strlen(buf) > LIST_MAX) {
                snprintf(buf + strlen(buf), size - strlen(buf), ", ...");
                return;
            }
            if (buf[0])
                snprintf(buf + strlen(buf), size - strlen(buf), ", ");
            slot_name(cb, v < dim->nvalues ? dim->offset + v : nv + d, d, buf, size);
        }
    }
}

/* Parses a probability from 0 to 1: the whole of s, a finite number. */
static int parse_probability(const char *s, double *p)
{
    if (!*s || isspace((unsigned char)*s))
        return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v) || v < 0 || v > 1)
        return 0;
    *p = v;
    return 1;
}

stance_status stance_thresholds_set(stance_thresholds *th, const char *spec, stance_error *err)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "'%s' is not LABEL=P (a value label, DIMENSION.VALUE or "
                           "DIMENSION.applies, then '=' and a probability from 0 to 1)", spec);
    char label[STANCE_ERROR_MSG_MAX];
    size_t n = (size_t)(eq - spec);
    if (n >= sizeof label)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "'%s': unknown label", spec);
    memcpy(label, spec, n);
    label[n] = '\0';
    readings r;
    read_label(th->cb, label, &r);
    char names[LIST_MAX + 2 * STANCE_ERROR_NAME_MAX];
    names[0] = '\0';
    if (r.n == 0) {
        list_labels(th->cb, names, sizeof names);
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "'%s': unknown label '%s' (labels: %s)",
                           spec, label, names);
    }
    if (r.n > 1) {
        for (size_t i = 0; i < r.n; i++) {
            if (i)
                snprintf(names + strlen(names), sizeof names - strlen(names), " or ");
            slot_name(th->cb, r.slot[i], r.dim[i], names, sizeof names);
        }
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "'%s': label '%s' is ambiguous: %s",
                           spec, label, names);
    }
    double p;
    if (!parse_probability(eq + 1, &p))
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "'%s': '%s' is not a probability from 0 to 1", spec, eq + 1);
    slot_name(th->cb, r.slot[0], r.dim[0], names, sizeof names);
    if (!isnan(th->at[r.slot[0]]))
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "'%s': the threshold of %s is given twice", spec, names);
    th->at[r.slot[0]] = p;
    th->any = 1;
    return STANCE_OK;
}
