/* stemlist.c: stem lists of records, and a store of many (stemlist.h). */
#include "stance/stemlist.h"

#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "stemlist_int.h"

void stance_stem_list_init(stance_stem_list *sl)
{
    *sl = (stance_stem_list){NULL, NULL, 0, 0};
}

void stance_stem_list_clear(stance_stem_list *sl)
{
    free(sl->stems);
    free(sl->lens);
    stance_stem_list_init(sl);
}

/* Makes room for n stems in sl (stems and lens share one capacity). */
static stance_status reserve(stance_stem_list *sl, size_t n, stance_error *err)
{
    size_t cap = sl->cap;
    const char **s = stance_grow(sl->stems, &cap, 0, n, sizeof *s);
    if (!s)
        return stance_fail_nomem(err, NULL);
    sl->stems = s;
    cap = sl->cap;
    size_t *l = stance_grow(sl->lens, &cap, 0, n, sizeof *l);
    if (!l)
        return stance_fail_nomem(err, NULL);
    sl->lens = l;
    sl->cap = cap;
    return STANCE_OK;
}

stance_status stance_stem_list_from_record(stance_stem_list *sl, const json_t *rec,
                                           const char *where, long line, stance_error *err)
{
    sl->n = 0;
    json_t *arr = json_object_get(rec, "stems");
    if (!json_is_array(arr))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "%s",
                           arr ? "\"stems\" is not an array"
                               : "record has no \"stems\" array (run stance-stem first)");
    size_t n = json_array_size(arr);
    stance_status st = reserve(sl, n, err);
    if (st != STANCE_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(arr, i);
        if (!json_is_string(s))
            return stance_fail(err, STANCE_ERR_DATA, where, line, "stem %zu is not a string", i + 1);
        sl->stems[i] = json_string_value(s);
        sl->lens[i] = json_string_length(s);
    }
    sl->n = n;
    return STANCE_OK;
}

typedef struct {
    size_t off, len; /* a stem's bytes in chars */
} stem_ref;

struct stance_stem_store {
    char *chars; /* every stem, each followed by a NUL */
    size_t chars_len, chars_cap;
    stem_ref *refs;
    size_t nrefs, refs_cap;
    size_t *first; /* record i's stems: refs[first[i] .. first[i + 1]) */
    size_t nrecords, first_cap;
};

stance_status stance_stem_store_new(stance_stem_store **out, stance_error *err)
{
    *out = calloc(1, sizeof **out);
    size_t *first = *out ? stance_grow(NULL, &(*out)->first_cap, 0, 1, sizeof *first) : NULL;
    if (!first) {
        free(*out);
        *out = NULL;
        return stance_fail_nomem(err, NULL);
    }
    first[0] = 0;
    (*out)->first = first;
    return STANCE_OK;
}

void stance_stem_store_free(stance_stem_store *s)
{
    if (!s)
        return;
    free(s->chars);
    free(s->refs);
    free(s->first);
    free(s);
}

stance_status stance_stem_store_add_stems(stance_stem_store *s, const char *const *stems,
                                          const size_t *lens, size_t n, stance_error *err)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += lens[i] + 1;
    char *chars = stance_grow(s->chars, &s->chars_cap, s->chars_len, bytes, 1);
    if (chars)
        s->chars = chars;
    stem_ref *refs = chars ? stance_grow(s->refs, &s->refs_cap, s->nrefs, n, sizeof *refs)
                           : NULL;
    if (refs)
        s->refs = refs;
    size_t *first = refs ? stance_grow(s->first, &s->first_cap, s->nrecords, 2, sizeof *first)
                         : NULL; /* first[0 .. nrecords] in use */
    if (!first)
        return stance_fail_nomem(err, NULL);
    s->first = first;
    for (size_t i = 0; i < n; i++) {
        memcpy(s->chars + s->chars_len, stems[i], lens[i]);
        s->chars[s->chars_len + lens[i]] = '\0';
        s->refs[s->nrefs++] = (stem_ref){s->chars_len, lens[i]};
        s->chars_len += lens[i] + 1;
    }
    s->first[++s->nrecords] = s->nrefs;
    return STANCE_OK;
}

stance_status stance_stem_store_add(stance_stem_store *s, const stance_stem_list *sl,
                                    stance_error *err)
{
    return stance_stem_store_add_stems(s, sl->stems, sl->lens, sl->n, err);
}

size_t stance_stem_store_count(const stance_stem_store *s)
{
    return s->nrecords;
}

stance_status stance_stem_store_get(const stance_stem_store *s, size_t i, stance_stem_list *sl,
                                    stance_error *err)
{
    sl->n = 0;
    if (i >= s->nrecords)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "no record %zu in the store", i);
    size_t from = s->first[i], n = s->first[i + 1] - from;
    stance_status st = reserve(sl, n, err);
    for (size_t k = 0; st == STANCE_OK && k < n; k++) {
        sl->stems[k] = s->chars + s->refs[from + k].off;
        sl->lens[k] = s->refs[from + k].len;
    }
    if (st == STANCE_OK)
        sl->n = n;
    return st;
}
