/* idset.c: duplicate-id detection over a stream of records (idset.h).
 *
 * A set that grows with the stream must stay small: ids are not kept, only a 128-bit
 * fingerprint of each and where it was first seen, 24 bytes a slot in an open-addressing
 * table (linear probing, at most 3/4 full). The fingerprint is two SipHash-1-3 values under two
 * random keys the set draws when it is made, so ids from outside can neither be chosen to
 * share a slot (one long probe chain, quadratic time) nor to share a fingerprint (a false
 * "duplicate id"): two different ids share one with probability about n^2 / 2^129 for n ids,
 * 1e-27 for a million. */
#include "stance/idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "idset_int.h"
#include "strmap_int.h"

#define LINE_BITS 40 /* a place packs the input name's number above the line */
#define PLACE_UNKNOWN UINT64_MAX

typedef struct {
    uint64_t lo, hi; /* the fingerprint; both 0: an empty slot */
    uint64_t place;  /* where << LINE_BITS | line, or PLACE_UNKNOWN */
} id_slot;

struct stance_idset {
    id_slot *slots;
    size_t mask, count; /* slots - 1 (a power of two minus one), ids held */
    char *wheres;       /* input names, each NUL-terminated; the last one is reused while it repeats */
    size_t wheres_len, wheres_cap;
    size_t *where_at; /* offset in wheres of input name k */
    size_t nwhere, where_cap;
    stance_hashkey key_lo, key_hi; /* of the fingerprint's halves */
};

stance_status stance_idset_new(stance_idset **out, stance_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return stance_fail_nomem(err, NULL);
    stance_hashkey_init(&(*out)->key_lo);
    stance_hashkey_init(&(*out)->key_hi);
    return STANCE_OK;
}

void stance_idset_free(stance_idset *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s->wheres);
    free(s->where_at);
    free(s);
}

static void fingerprint(const stance_idset *s, const char *id, size_t len, uint64_t *lo,
                        uint64_t *hi)
{
    *lo = stance_hash(&s->key_lo, id, len);
    *hi = stance_hash(&s->key_hi, id, len);
    if (*lo == 0 && *hi == 0)
        *lo = 1;
}

static id_slot *slot_of(const stance_idset *s, uint64_t lo, uint64_t hi)
{
    for (size_t i = (size_t)lo & s->mask;; i = (i + 1) & s->mask)
        if ((s->slots[i].lo == lo && s->slots[i].hi == hi) || (s->slots[i].lo == 0 && s->slots[i].hi == 0))
            return &s->slots[i];
}

/* Doubles the table (or makes the first one) and puts every slot back; 0 on no memory. */
static int rehash(stance_idset *s)
{
    size_t n = s->slots ? 2 * (s->mask + 1) : 1024;
    id_slot *old = s->slots;
    size_t old_n = old ? s->mask + 1 : 0;
    s->slots = stance_zeroed(n, sizeof *s->slots);
    if (!s->slots) {
        s->slots = old;
        return 0;
    }
    s->mask = n - 1;
    for (size_t i = 0; i < old_n; i++)
        if (old[i].lo != 0 || old[i].hi != 0)
            *slot_of(s, old[i].lo, old[i].hi) = old[i];
    free(old);
    return 1;
}

/* The number of input name where, adding it unless it is the last one added; -1: no memory. */
static long intern_where(stance_idset *s, const char *where)
{
    if (s->nwhere > 0 && strcmp(s->wheres + s->where_at[s->nwhere - 1], where) == 0)
        return (long)s->nwhere - 1;
    size_t *offs = stance_grow(s->where_at, &s->where_cap, s->nwhere, 1, sizeof *offs);
    if (!offs)
        return -1;
    s->where_at = offs;
    long at = stance_chars_append(&s->wheres, &s->wheres_len, &s->wheres_cap, where, strlen(where));
    if (at < 0)
        return -1;
    s->where_at[s->nwhere] = (size_t)at;
    return (long)s->nwhere++;
}

static uint64_t pack_place(long where, long line)
{
    if (line < 0 || (uint64_t)line >= (uint64_t)1 << LINE_BITS ||
        (uint64_t)where >= ((uint64_t)1 << (64 - LINE_BITS)) - 1)
        return PLACE_UNKNOWN;
    return (uint64_t)where << LINE_BITS | (uint64_t)line;
}

static stance_status duplicate(const stance_idset *s, const id_slot *first, const char *id,
                               const char *where, long line, stance_error *err)
{
    if (first->place == PLACE_UNKNOWN)
        return stance_fail(err, STANCE_ERR_DATA, where, line, "duplicate id \"%s\"", id);
    const char *fwhere = s->wheres + s->where_at[first->place >> LINE_BITS];
    long fline = (long)(first->place & (((uint64_t)1 << LINE_BITS) - 1));
    if (fline > 0)
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           "duplicate id \"%s\" (first at %s:%ld)", id, fwhere, fline);
    return stance_fail(err, STANCE_ERR_DATA, where, line, "duplicate id \"%s\" (first in %s)", id,
                       fwhere);
}

stance_status stance_idset_add(stance_idset *s, const char *id, const char *where, long line,
                               stance_error *err)
{
    uint64_t lo, hi;
    fingerprint(s, id, strlen(id), &lo, &hi);
    if (s->slots) {
        const id_slot *found = slot_of(s, lo, hi);
        if (found->lo != 0 || found->hi != 0)
            return duplicate(s, found, id, where, line, err);
    }
    if ((!s->slots || 4 * (s->count + 1) > 3 * (s->mask + 1)) && !rehash(s))
        return stance_fail_nomem(err, where);
    long w = intern_where(s, where);
    if (w < 0)
        return stance_fail_nomem(err, where);
    *slot_of(s, lo, hi) = (id_slot){lo, hi, pack_place(w, line)};
    s->count++;
    return STANCE_OK;
}

size_t stance_idset_longest_probe(const stance_idset *s)
{
    size_t most = 0;
    for (size_t i = 0; s->slots && i <= s->mask; i++) {
        if (s->slots[i].lo == 0 && s->slots[i].hi == 0)
            continue;
        size_t probes = ((i - ((size_t)s->slots[i].lo & s->mask)) & s->mask) + 1;
        if (probes > most)
            most = probes;
    }
    return most;
}
