/* strmap_int.h: a string-keyed hash map with size_t values, shared by library modules
 * (stem cache, stop words, vocabulary), and the keyed hash it uses. Keys are copied; open
 * addressing, linear probing; entries stay in insertion order, so walking them (entry 0, 1, ...)
 * never depends on the hash.
 *
 * Keys may come from outside (a vocabulary, training text, ids), so the hash is SipHash-1-3
 * under a random 128-bit key that each map draws when it is made: without that key nobody can
 * choose strings that collide, which would make every look-up walk one long chain. */
#ifndef STANCE_STRMAP_INT_H
#define STANCE_STRMAP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A hash key: 128 random bits. */
typedef struct {
    uint64_t k0, k1;
} stance_hashkey;

/* Fills key with random bits from the kernel (getrandom), or, if that fails, from the clocks,
 * the process id and addresses. Changes no process-wide state. */
void stance_hashkey_init(stance_hashkey *key);

/* SipHash-c-d (Aumasson and Bernstein) of len bytes under key: c rounds per 8-byte word, d to
 * finish. The maps use 1-3 (stance_hash); other round counts are for the tests' reference
 * vectors (SipHash-2-4). */
uint64_t stance_siphash(const stance_hashkey *key, const void *data, size_t len, int c, int d);

/* SipHash-1-3 of len bytes under key. */
uint64_t stance_hash(const stance_hashkey *key, const char *data, size_t len);

/* A strongly universal hash for short keys on hot paths (vector multiply-shift: Dietzfelbinger
 * 1996; Thorup, "High Speed Hashing for Integers and Strings", 2015): the key cut into 32-bit
 * pieces x_i, h(x) = ((b + sum of a_i x_i) mod 2^64) >> 32, with random 64-bit a_i and b. Two
 * different keys chosen without knowing a and b get independent, uniform 32-bit values, so
 * collisions cannot be planned; at a few multiplies, against SipHash's rounds. */
typedef struct {
    uint64_t a[5], b;
} stance_ukey;

/* Fills key with random bits (as stance_hashkey_init). */
void stance_ukey_init(stance_ukey *key);

/* The hash of the pair of numbers (x, y); a table of 2^k slots takes its top k bits. */
static inline uint32_t stance_uhash_pair(const stance_ukey *key, uint32_t x, uint32_t y)
{
    return (uint32_t)((key->b + key->a[0] * x + key->a[1] * y) >> 32);
}

static inline uint64_t stance_load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t stance_load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The hash of the n bytes at s, n at most 16: the bytes zero-padded to 16 (read without going
 * past s + n, by loads that overlap), in four pieces, and n; a table of 2^k slots takes its
 * top k bits. */
static inline uint32_t stance_uhash_short(const stance_ukey *key, const char *s, size_t n)
{
    uint64_t lo = 0, hi = 0;
    if (n >= 8) {
        lo = stance_load64(s);
        if (n > 8) /* bytes 8 .. n-1 at the bottom */
            hi = stance_load64(s + n - 8) >> (8 * (16 - n));
    } else if (n >= 4) { /* the two loads agree where they overlap */
        lo = stance_load32(s) | stance_load32(s + n - 4) << (8 * (n - 4));
    } else if (n > 0) {
        const unsigned char *u = (const unsigned char *)s;
        lo = (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) | (uint64_t)u[n - 1] << (8 * (n - 1));
    }
    return (uint32_t)((key->b + key->a[0] * (uint32_t)lo + key->a[1] * (lo >> 32) +
                       key->a[2] * (uint32_t)hi + key->a[3] * (hi >> 32) + key->a[4] * n) >> 32);
}

typedef struct {
    size_t key;   /* offset of the key's bytes in chars */
    size_t len;   /* key length */
    uint64_t hash;
    size_t value;
} stance_strmap_entry;

typedef struct {
    size_t *slots; /* 0 = empty, else 1 + entry index */
    size_t nslots; /* a power of two */
    stance_strmap_entry *entries;
    size_t count, cap;
    char *chars; /* keys, each NUL-terminated */
    size_t chars_len, chars_cap;
    stance_hashkey key; /* of the hash */
} stance_strmap;

/* An empty map with a fresh random hash key (no allocation). */
void stance_strmap_init(stance_strmap *m);

/* An empty map whose hash key is key, so that several maps can share one hash per string
 * (stance_strmap_hash and the *_hashed calls). */
void stance_strmap_init_keyed(stance_strmap *m, const stance_hashkey *key);

/* Frees the map's storage; it is empty and reusable afterwards, with the same hash key. */
void stance_strmap_clear(stance_strmap *m);

/* Returns the entry index of key, or -1 when absent. */
long stance_strmap_find(const stance_strmap *m, const char *key, size_t len);

/* Adds key with value if absent; returns its entry index (existing or new), -1 on no memory. */
long stance_strmap_put(stance_strmap *m, const char *key, size_t len, size_t value);

/* The hash m uses for key, so a caller can hash a key once and look it up in several maps of
 * the same hash key (stance_strmap_init_keyed) with the *_hashed calls below. */
uint64_t stance_strmap_hash(const stance_strmap *m, const char *key, size_t len);

/* stance_strmap_find and stance_strmap_put for a key whose stance_strmap_hash is hash. */
long stance_strmap_find_hashed(const stance_strmap *m, const char *key, size_t len,
                               uint64_t hash);
long stance_strmap_put_hashed(stance_strmap *m, const char *key, size_t len, uint64_t hash,
                              size_t value);

/* Borrowed key of entry i, valid until the map changes. */
const char *stance_strmap_key(const stance_strmap *m, size_t i);

/* Appends bytes (plus a NUL) to a growing buffer; returns the offset written or -1 on no memory.
 * Shared by modules that keep strings by offset. */
long stance_chars_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n);

#endif
