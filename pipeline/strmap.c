/* strmap.c: open-addressing hash map from strings to size_t. */
#include "strmap_int.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t load32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Eight bytes at a time, multiply and xor-shift mixing. The last 1-8 bytes are read with two
 * overlapping loads that stay inside the key, so a key of up to 8 bytes costs one round. */
uint64_t stance_strmap_hash(const char *key, size_t len)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    const unsigned char *p = (const unsigned char *)key;
    size_t n = len;
    uint64_t h = (uint64_t)len * k1;
    for (; n > 8; p += 8, n -= 8) {
        h = (h ^ load64(p)) * k2;
        h ^= h >> 29;
    }
    uint64_t v = 0;
    if (n >= 4)
        v = load32(p) | load32(p + n - 4) << 32;
    else if (n > 0)
        v = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
    h = (h ^ v) * k2;
    h ^= h >> 32;
    h *= k1;
    return h ^ (h >> 29);
}

/* memcmp(a, b, n) == 0, inline for short keys (the common case): overlapping loads again. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    if (n >= 8 && n <= 16)
        return load64(x) == load64(y) && load64(x + n - 8) == load64(y + n - 8);
    if (n >= 4 && n < 8)
        return load32(x) == load32(y) && load32(x + n - 4) == load32(y + n - 4);
    if (n < 4)
        return n == 0 || (x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1]);
    return memcmp(a, b, n) == 0;
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
        if (e->hash == h && e->len == len && same_bytes(m->chars + e->key, key, len)) {
            *slot = i;
            return (long)(s - 1);
        }
    }
}

long stance_strmap_find(const stance_strmap *m, const char *key, size_t len)
{
    return stance_strmap_find_hashed(m, key, len, stance_strmap_hash(key, len));
}

long stance_strmap_find_hashed(const stance_strmap *m, const char *key, size_t len,
                               uint64_t hash)
{
    if (m->count == 0)
        return -1;
    size_t slot;
    return find_hashed(m, key, len, hash, &slot);
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
    return stance_strmap_put_hashed(m, key, len, stance_strmap_hash(key, len), value);
}

long stance_strmap_put_hashed(stance_strmap *m, const char *key, size_t len, uint64_t h,
                              size_t value)
{
    if ((m->count + 1) * 2 > m->nslots && !rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
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
