/* idset.c: duplicate-id detection over a stream of records (idset.h). */
#include "stance/idset.h"

#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "strmap_int.h"

typedef struct {
    size_t where; /* offset of the input name in wheres */
    long line;
} first_seen;

struct stance_idset {
    stance_strmap ids; /* id -> index into first */
    first_seen *first;
    size_t nfirst, cap;
    char *wheres; /* input names, each NUL-terminated; the last one is reused while it repeats */
    size_t wheres_len, wheres_cap;
    size_t last_where;
};

stance_status stance_idset_new(stance_idset **out, stance_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return stance_fail_nomem(err, "id set");
    stance_strmap_init(&(*out)->ids);
    return STANCE_OK;
}

void stance_idset_free(stance_idset *s)
{
    if (!s)
        return;
    stance_strmap_clear(&s->ids);
    free(s->first);
    free(s->wheres);
    free(s);
}

/* Offset of where in s->wheres, appending it unless it is the last one added; -1: no memory. */
static long intern_where(stance_idset *s, const char *where)
{
    if (s->wheres && strcmp(s->wheres + s->last_where, where) == 0)
        return (long)s->last_where;
    long at = stance_chars_append(&s->wheres, &s->wheres_len, &s->wheres_cap, where, strlen(where));
    if (at >= 0)
        s->last_where = (size_t)at;
    return at;
}

stance_status stance_idset_add(stance_idset *s, const char *id, const char *where, long line,
                               stance_error *err)
{
    size_t len = strlen(id);
    long found = stance_strmap_find(&s->ids, id, len);
    if (found >= 0) {
        const first_seen *f = &s->first[s->ids.entries[found].value];
        const char *fwhere = s->wheres + f->where;
        if (f->line > 0)
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "duplicate id \"%s\" (first at %s:%ld)", id, fwhere, f->line);
        return stance_fail(err, STANCE_ERR_DATA, where, line, "duplicate id \"%s\" (first in %s)",
                           id, fwhere);
    }
    if (s->nfirst == s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 64;
        first_seen *nf = realloc(s->first, ncap * sizeof *nf);
        if (!nf)
            return stance_fail_nomem(err, where);
        s->first = nf;
        s->cap = ncap;
    }
    long w = intern_where(s, where);
    if (w < 0 || stance_strmap_put(&s->ids, id, len, s->nfirst) < 0)
        return stance_fail_nomem(err, where);
    s->first[s->nfirst++] = (first_seen){(size_t)w, line};
    return STANCE_OK;
}
