/* strmap_int.h: a string-keyed hash map with size_t values, shared by library modules
 * (stem cache, stop words, vocabulary). Keys are copied; open addressing, linear probing. */
#ifndef STANCE_STRMAP_INT_H
#define STANCE_STRMAP_INT_H

#include <stddef.h>
#include <stdint.h>

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
} stance_strmap;

void stance_strmap_init(stance_strmap *m);
void stance_strmap_clear(stance_strmap *m);

/* Returns the entry index of key, or -1 when absent. */
long stance_strmap_find(const stance_strmap *m, const char *key, size_t len);

/* Adds key with value if absent; returns its entry index (existing or new), -1 on no memory. */
long stance_strmap_put(stance_strmap *m, const char *key, size_t len, size_t value);

/* The hash the map uses for key (the same function for every map), so a caller can hash a key
 * once and look it up in several maps with the *_hashed calls below. */
uint64_t stance_strmap_hash(const char *key, size_t len);

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
