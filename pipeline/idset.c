/* idset.c: duplicate-id detection over a stream of records (idset.h).
 *
 * A set that grows with the stream must stay small: ids are not kept, only a 128-bit
 * fingerprint of each and where it was first seen, 24 bytes a slot in an open-addressing
 * table (linear probing, at most 3/4 full). Two different ids share a fingerprint with
 * probability about n^2 / 2^129 for n ids: 1e-27 for a million. */
#include "stance/idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
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
};

stance_status stance_idset_new(stance_idset **out, stance_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return stance_fail_nomem(err, "id set");
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

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 33);
}

/* Two 64-bit lanes over the id's 8-byte words (the last one zero-padded), each step a
 * bijection of the word for a given state, so ids that differ in one word differ in both. */
static void fingerprint(const char *id, size_t len, uint64_t *lo, uint64_t *hi)
{
    uint64_t a = 0x9E3779B97F4A7C15ULL ^ len, b = 0xC2B2AE3D27D4EB4FULL + len;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = 0;
        memcpy(&w, id + i, len - i < 8 ? len - i : 8);
        a = (a ^ w) * 0x87C37B91114253D5ULL;
        a ^= a >> 31;
        b = (b + w) * 0x4CF5AD432745937FULL;
        b ^= b >> 29;
    }
    *lo = mix64(a);
    *hi = mix64(b ^ *lo);
    if (*lo == 0 && *hi == 0)
        *lo = 1;
}

static id_slot *slot_of(const stance_idset *s, uint64_t lo, uint64_t hi)
{
    for (size_t i = (size_t)lo & s->mask;; i = (i + 1) & s->mask)
        if ((s->slots[i].lo == lo && s->slots[i].hi == hi) || (s->slots[i].lo == 0 && s->slots[i].hi == 0))
            return &s->slots[i];
}

/* Doubles the table (or makes the first one); 0 on no memory. */
static int grow(stance_idset *s)
{
    size_t n = s->slots ? 2 * (s->mask + 1) : 1024;
    id_slot *old = s->slots;
    size_t old_n = old ? s->mask + 1 : 0;
    s->slots = calloc(n, sizeof *s->slots);
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
    if (s->nwhere == s->where_cap) {
        size_t ncap = s->where_cap ? 2 * s->where_cap : 8;
        size_t *na = realloc(s->where_at, ncap * sizeof *na);
        if (!na)
            return -1;
        s->where_at = na;
        s->where_cap = ncap;
    }
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
    fingerprint(id, strlen(id), &lo, &hi);
    if (s->slots) {
        const id_slot *found = slot_of(s, lo, hi);
        if (found->lo != 0 || found->hi != 0)
            return duplicate(s, found, id, where, line, err);
    }
    if ((!s->slots || 4 * (s->count + 1) > 3 * (s->mask + 1)) && !grow(s))
        return stance_fail_nomem(err, where);
    long w = intern_where(s, where);
    if (w < 0)
        return stance_fail_nomem(err, where);
    *slot_of(s, lo, hi) = (id_slot){lo, hi, pack_place(w, line)};
    s->count++;
    return STANCE_OK;
}
