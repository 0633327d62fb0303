/* strmap.c: open-addressing hash map from strings to size_t. */
#include "strmap_int.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a: short keys, good enough spread */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void stance_strmap_init(stance_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void stance_strmap_clear(stance_strmap *m)
{
    free(m->slots);
    free(m->entries);
    free(m->chars);
    stance_strmap_init(m);
}

const char *stance_strmap_key(const stance_strmap *m, size_t i)
{
    return m->chars + m->entries[i].key;
}

static long find_hashed(const stance_strmap *m, const char *key, size_t len, uint64_t h,
                        size_t *slot)
{
    size_t mask = m->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        size_t s = m->slots[i];
        if (s == 0) {
            *slot = i;
            return -1;
        }
        const stance_strmap_entry *e = &m->entries[s - 1];
        if (e->hash == h && e->len == len && memcmp(m->chars + e->key, key, len) == 0) {
            *slot = i;
            return (long)(s - 1);
        }
    }
}

long stance_strmap_find(const stance_strmap *m, const char *key, size_t len)
{
    if (m->count == 0)
        return -1;
    size_t slot;
    return find_hashed(m, key, len, hash_bytes(key, len), &slot);
}

static int rehash(stance_strmap *m, size_t nslots)
{
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return 0;
    for (size_t k = 0; k < m->count; k++) {
        size_t i = (size_t)m->entries[k].hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = k + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 1;
}

long stance_chars_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 4096;
        while (*len + n + 1 > ncap)
            ncap *= 2;
        char *p = realloc(*buf, ncap);
        if (!p)
            return -1;
        *buf = p;
        *cap = ncap;
    }
    size_t at = *len;
    memcpy(*buf + at, s, n);
    (*buf)[at + n] = '\0';
    *len += n + 1;
    return (long)at;
}

long stance_strmap_put(stance_strmap *m, const char *key, size_t len, size_t value)
{
    if ((m->count + 1) * 2 > m->nslots && !rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
    uint64_t h = hash_bytes(key, len);
    size_t slot;
    long found = find_hashed(m, key, len, h, &slot);
    if (found >= 0)
        return found;
    if (m->count == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        stance_strmap_entry *p = realloc(m->entries, ncap * sizeof *p);
        if (!p)
            return -1;
        m->entries = p;
        m->cap = ncap;
    }
    long at = stance_chars_append(&m->chars, &m->chars_len, &m->chars_cap, key, len);
    if (at < 0)
        return -1;
    m->entries[m->count] = (stance_strmap_entry){(size_t)at, len, h, value};
    m->slots[slot] = m->count + 1;
    return (long)m->count++;
}
