/* jsonw.c: JSON text the way jansson's compact dump writes it, into a growing buffer. */
#include "jsonw_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow_int.h"

void stance_jsonw_init(stance_jsonw *w)
{
    w->buf = NULL;
    w->len = w->cap = 0;
    w->failed = 0;
}

void stance_jsonw_clear(stance_jsonw *w)
{
    free(w->buf);
    stance_jsonw_init(w);
}

/* Room for n more bytes; 0 (and failed set) on no memory. */
static int reserve(stance_jsonw *w, size_t n)
{
    if (w->failed)
        return 0;
    char *b = stance_grow(w->buf, &w->cap, w->len, n, 1);
    if (!b) {
        w->failed = 1;
        return 0;
    }
    w->buf = b;
    return 1;
}

void stance_jsonw_raw(stance_jsonw *w, const char *s, size_t n)
{
    if (n && reserve(w, n)) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    }
}

/* What a byte becomes in a JSON string: 0 itself, 1 a two-character escape, 2 \u00XX. */
static const unsigned char escape_kind[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, /* \b \t \n \f \r */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* " */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* backslash */
};

void stance_jsonw_string(stance_jsonw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF"; /* jansson writes \u001F, upper case */
    if (!reserve(w, n + 2))
        return;
    w->buf[w->len++] = '"';
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!escape_kind[c])
            continue;
        stance_jsonw_raw(w, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', (char)c, '0', '0', hex[c >> 4], hex[c & 15]};
        switch (c) {
        case '\b': esc[1] = 'b'; break;
        case '\t': esc[1] = 't'; break;
        case '\n': esc[1] = 'n'; break;
        case '\f': esc[1] = 'f'; break;
        case '\r': esc[1] = 'r'; break;
        case '"': case '\\': break;
        default: esc[1] = 'u'; break;
        }
        stance_jsonw_raw(w, esc, escape_kind[c] == 1 ? 2 : 6);
    }
    stance_jsonw_raw(w, s + run, n - run);
    stance_jsonw_raw(w, "\"", 1);
}

void stance_jsonw_integer(stance_jsonw *w, long long v)
{
    char b[24], *p = b + sizeof b; /* digits from the last, without snprintf: records have many */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    stance_jsonw_raw(w, p, (size_t)(b + sizeof b - p));
}

int stance_jsonw_real(stance_jsonw *w, double v)
{
    if (!isfinite(v))
        return 0;
    char b[40];
    int n = snprintf(b, sizeof b, "%.15g", v);
    if (!strchr(b, '.') && !strchr(b, 'e')) { /* so it reads back as a real */
        memcpy(b + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(b, 'e');
    if (e) { /* "1e-05" -> "1e-5", "1e+17" -> "1e17" */
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            *to++ = *from++;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        memmove(to, from, strlen(from) + 1);
        n = (int)strlen(b);
    }
    stance_jsonw_raw(w, b, (size_t)n);
    return 1;
}

static int append(const char *buffer, size_t size, void *data)
{
    stance_jsonw *w = data;
    stance_jsonw_raw(w, buffer, size);
    return w->failed ? -1 : 0;
}

void stance_jsonw_value(stance_jsonw *w, const json_t *v)
{
    if (!w->failed &&
        json_dump_callback(v, append, w, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY) != 0)
        w->failed = 1;
}

double stance_jsonw_score_round(double score)
{
    return round(score * 10000) / 10000;
}

int stance_jsonw_score(stance_jsonw *w, double score)
{
    double r = stance_jsonw_score_round(score);
    if (!(r > 0 && r < 1)) /* 0, 1, NaN and the rest: the general way */
        return stance_jsonw_real(w, r);
    /* k / 10000 for k in 1..9999: what "%.15g" writes, "0." and four decimals less their
     * trailing zeros, without snprintf (a record with --all-scores has one per value) */
    long k = lround(r * 10000);
    char b[6] = {'0', '.'};
    size_t n = 2;
    for (long div = 1000; div > 0 && k > 0; div /= 10) {
        b[n++] = (char)('0' + k / div);
        k %= div;
    }
    stance_jsonw_raw(w, b, n);
    return 1;
}

int stance_jsonw_label(stance_jsonw *w, const char *label, double score)
{
    stance_jsonw_raw(w, "{\"label\":", 9);
    stance_jsonw_string(w, label, strlen(label));
    stance_jsonw_raw(w, ",\"score\":", 9);
    int ok = stance_jsonw_score(w, score);
    stance_jsonw_raw(w, "}", 1);
    return ok;
}

/* ---- objects ---- */

void stance_jsonw_object_init(stance_jsonw_object *o)
{
    stance_jsonw_init(&o->values);
    o->fields = NULL;
    o->nfields = o->cap = 0;
}

void stance_jsonw_object_clear(stance_jsonw_object *o)
{
    stance_jsonw_clear(&o->values);
    free(o->fields);
    stance_jsonw_object_init(o);
}

void stance_jsonw_object_reset(stance_jsonw_object *o)
{
    o->values.len = 0;
    o->values.failed = 0;
    o->nfields = 0;
}

void stance_jsonw_object_add(stance_jsonw_object *o, const char *key, size_t at)
{
    if (o->nfields == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 16;
        stance_jsonw_field *f = realloc(o->fields, cap * sizeof *f);
        if (!f) {
            o->values.failed = 1;
            return;
        }
        o->fields = f;
        o->cap = cap;
    }
    o->fields[o->nfields++] = (stance_jsonw_field){key, at, o->values.len - at};
}

void stance_jsonw_object_integer(stance_jsonw_object *o, const char *key, long long v)
{
    size_t at = o->values.len;
    stance_jsonw_integer(&o->values, v);
    stance_jsonw_object_add(o, key, at);
}

void stance_jsonw_object_string(stance_jsonw_object *o, const char *key, const char *s, size_t n)
{
    size_t at = o->values.len;
    stance_jsonw_string(&o->values, s, n);
    stance_jsonw_object_add(o, key, at);
}

static int object_has(const stance_jsonw_object *o, const char *key)
{
    for (size_t i = 0; i < o->nfields; i++)
        if (strcmp(o->fields[i].key, key) == 0)
            return 1;
    return 0;
}

/* Appends "{" before an object's first member and "," before the others, then "key":. */
static void member_key(stance_jsonw *w, const char *key, size_t *n)
{
    stance_jsonw_raw(w, (*n)++ ? "," : "{", 1);
    stance_jsonw_string(w, key, strlen(key));
    stance_jsonw_raw(w, ":", 1);
}

void stance_jsonw_object_write(stance_jsonw *w, const stance_jsonw_object *o, const json_t *more,
                               int (*keep)(const char *key, void *arg), void *arg)
{
    if (o->values.failed) {
        w->failed = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < o->nfields; i++) {
        member_key(w, o->fields[i].key, &n);
        stance_jsonw_raw(w, o->values.buf + o->fields[i].at, o->fields[i].len);
    }
    const char *key;
    json_t *value;
    if (more) {
        json_object_foreach((json_t *)more, key, value) {
            if ((keep && !keep(key, arg)) || object_has(o, key))
                continue;
            member_key(w, key, &n);
            stance_jsonw_value(w, value);
        }
    }
    stance_jsonw_raw(w, n ? "}" : "{}", n ? 1 : 2);
}
