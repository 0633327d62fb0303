/* strmap.c: open-addressing hash map from strings to size_t, and its keyed hash (SipHash). */
#include "strmap_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "grow_int.h"

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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LE64(p) load64(p)
#define LE32(p) load32(p)
#else
static inline uint64_t le_bytes(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}
#define LE64(p) le_bytes(p, 8)
#define LE32(p) le_bytes(p, 4)
#endif

void stance_hashkey_init(stance_hashkey *key)
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, GRND_NONBLOCK);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got == sizeof b) {
        memcpy(&key->k0, b, 8);
        memcpy(&key->k1, b + 8, 8);
        return;
    }
    /* No kernel randomness (an old kernel, a sandbox, early boot): what varies between
     * processes and tables, mixed. Weaker, but no worse than a fixed key. */
    struct timespec rt = {0, 0}, mono = {0, 0};
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    uint64_t mix[6] = {(uint64_t)rt.tv_sec, (uint64_t)rt.tv_nsec, (uint64_t)mono.tv_nsec,
                       (uint64_t)getpid(), (uint64_t)(uintptr_t)key,
                       (uint64_t)(uintptr_t)&stance_hashkey_init};
    stance_hashkey fixed = {0x736f6d6570736575ULL ^ (uint64_t)mono.tv_sec, 0x646f72616e646f6dULL};
    key->k0 = stance_siphash(&fixed, mix, sizeof mix, 2, 4);
    fixed.k1 ^= key->k0;
    key->k1 = stance_siphash(&fixed, mix, sizeof mix, 2, 4);
}

/* One SipHash round over the state v[4]. */
static inline void sipround(uint64_t v[4])
{
    v[0] += v[1], v[1] = v[1] << 13 | v[1] >> 51, v[1] ^= v[0], v[0] = v[0] << 32 | v[0] >> 32;
    v[2] += v[3], v[3] = v[3] << 16 | v[3] >> 48, v[3] ^= v[2];
    v[0] += v[3], v[3] = v[3] << 21 | v[3] >> 43, v[3] ^= v[0];
    v[2] += v[1], v[1] = v[1] << 17 | v[1] >> 47, v[1] ^= v[2], v[2] = v[2] << 32 | v[2] >> 32;
}

/* SipHash as the paper defines it: the message in little-endian 8-byte words, then a last word
 * of the 0-7 bytes left and the length's low byte on top. c and d are constants at the calls
 * that matter, so the compiler unrolls the rounds. */
static inline uint64_t siphash(const stance_hashkey *key, const unsigned char *p, size_t len,
                               int c, int d)
{
    uint64_t v[4] = {key->k0 ^ 0x736f6d6570736575ULL, key->k1 ^ 0x646f72616e646f6dULL,
                     key->k0 ^ 0x6c7967656e657261ULL, key->k1 ^ 0x7465646279746573ULL};
    size_t n = len;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t m = LE64(p);
        v[3] ^= m;
        for (int r = 0; r < c; r++)
            sipround(v);
        v[0] ^= m;
    }
    uint64_t m = (uint64_t)len << 56;
    if (n >= 4) /* two loads that overlap inside the key: the shared bytes agree */
        m |= LE32(p) | LE32(p + n - 4) << (8 * (n - 4));
    else if (n > 0)
        m |= (uint64_t)p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) | (uint64_t)p[n - 1] << (8 * (n - 1));
    v[3] ^= m;
    for (int r = 0; r < c; r++)
        sipround(v);
    v[0] ^= m;
    v[2] ^= 0xff;
    for (int r = 0; r < d; r++)
        sipround(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void stance_ukey_init(stance_ukey *key)
{
    _Static_assert(sizeof(stance_ukey) == 3 * sizeof(stance_hashkey), "six 64-bit words");
    stance_hashkey k[3];
    for (int i = 0; i < 3; i++)
        stance_hashkey_init(&k[i]);
    memcpy(key, k, sizeof *key);
}

uint64_t stance_siphash(const stance_hashkey *key, const void *data, size_t len, int c, int d)
{
    return siphash(key, data, len, c, d);
}

uint64_t stance_hash(const stance_hashkey *key, const char *data, size_t len)
{
    return siphash(key, (const unsigned char *)data, len, 1, 3);
}

uint64_t stance_strmap_hash(const stance_strmap *m, const char *key, size_t len)
{
    return siphash(&m->key, (const unsigned char *)key, len, 1, 3);
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

void stance_strmap_init_keyed(stance_strmap *m, const stance_hashkey *key)
{
    memset(m, 0, sizeof *m);
    m->key = *key;
}

void stance_strmap_init(stance_strmap *m)
{
    stance_hashkey key;
    stance_hashkey_init(&key);
    stance_strmap_init_keyed(m, &key);
}

void stance_strmap_clear(stance_strmap *m)
{
    free(m->slots);
    free(m->entries);
    free(m->chars);
    stance_hashkey key = m->key;
    stance_strmap_init_keyed(m, &key);
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
    return stance_strmap_find_hashed(m, key, len, stance_strmap_hash(m, key, len));
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
    size_t *slots = stance_zeroed(nslots, sizeof *slots);
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
    if (n == SIZE_MAX)
        return -1;
    char *p = stance_grow(*buf, cap, *len, n + 1, 1);
    if (!p)
        return -1;
    *buf = p;
    size_t at = *len;
    memcpy(*buf + at, s, n);
    (*buf)[at + n] = '\0';
    *len += n + 1;
    return (long)at;
}

long stance_strmap_put(stance_strmap *m, const char *key, size_t len, size_t value)
{
    return stance_strmap_put_hashed(m, key, len, stance_strmap_hash(m, key, len), value);
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
    stance_strmap_entry *p = stance_grow(m->entries, &m->cap, m->count, 1, sizeof *p);
    if (!p)
        return -1;
    m->entries = p;
    long at = stance_chars_append(&m->chars, &m->chars_len, &m->chars_cap, key, len);
    if (at < 0)
        return -1;
    m->entries[m->count] = (stance_strmap_entry){(size_t)at, len, h, value};
    m->slots[slot] = m->count + 1;
    return (long)m->count++;
}
