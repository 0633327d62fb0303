/* check_strmap.c: the keyed hashes (SipHash against the reference vectors, the universal hash)
 * and the map: look-ups that miss (an empty map, keys that differ in one byte, in length or
 * after a NUL), keys put twice, growth, reuse after clearing, a failed allocation, and keys
 * built to collide under the unkeyed hash it used to have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../pipeline/strmap_int.h"
#include "suites.h"

#define FLOOD 100000 /* keys in the flooding tests */

/* SipHash-2-4 of the bytes 00 01 ... n-1 under the key 00 01 ... 0f: the reference vectors of
 * the SipHash paper (appendix A) and its reference implementation. */
static const struct {
    size_t n;
    uint64_t want;
} sip24[] = {
    {0, 0x726fdb47dd0e0e31ULL}, {1, 0x74f839c593dc67fdULL},  {8, 0x93f5f5799a932462ULL},
    {15, 0xa129ca6149be45e5ULL}, {16, 0x3f2acc7f57c29bdbULL},
};

static const stance_hashkey ref_key = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};

START_TEST(test_siphash_vectors)
{
    unsigned char msg[64];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)i;
    ck_assert_msg(stance_siphash(&ref_key, msg, sip24[_i].n, 2, 4) == sip24[_i].want,
                  "SipHash-2-4 of %zu bytes", sip24[_i].n);
}
END_TEST

/* stance_hash is SipHash-1-3, over every tail length, and the map hashes with its own key. */
START_TEST(test_hash_is_siphash13)
{
    char msg[40];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (char)(0x41 + 7 * i);
    for (size_t n = 0; n <= sizeof msg; n++)
        ck_assert(stance_hash(&ref_key, msg, n) == stance_siphash(&ref_key, msg, n, 1, 3));
    stance_strmap m;
    stance_strmap_init_keyed(&m, &ref_key);
    ck_assert(stance_strmap_hash(&m, msg, 11) == stance_hash(&ref_key, msg, 11));
    stance_strmap_clear(&m); /* keeps the key */
    ck_assert(m.key.k0 == ref_key.k0 && m.key.k1 == ref_key.k1);
}
END_TEST

/* Two maps draw different keys, so the same string hashes differently (equal by chance with
 * probability 2^-64). */
START_TEST(test_maps_draw_keys)
{
    stance_strmap a, b;
    stance_strmap_init(&a);
    stance_strmap_init(&b);
    ck_assert(a.key.k0 != b.key.k0 || a.key.k1 != b.key.k1);
    ck_assert(stance_strmap_hash(&a, "kosovo", 6) != stance_strmap_hash(&b, "kosovo", 6));
    stance_ukey u, v;
    stance_ukey_init(&u);
    stance_ukey_init(&v);
    ck_assert(memcmp(&u, &v, sizeof u) != 0);
}
END_TEST

/* The map's hash until it was keyed: unseeded, and each step invertible. */
static uint64_t old_hash(const unsigned char *p, size_t len)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t h = (uint64_t)len * k1, v;
    size_t n = len;
    for (; n > 8; p += 8, n -= 8) {
        memcpy(&v, p, 8);
        h = (h ^ v) * k2;
        h ^= h >> 29;
    }
    uint32_t a, b;
    memcpy(&a, p, 4);
    memcpy(&b, p + n - 4, 4);
    v = a | (uint64_t)b << 32; /* n is 8 for the keys below */
    h = (h ^ v) * k2;
    h ^= h >> 32;
    h *= k1;
    return h ^ (h >> 29);
}

/* Key i of FLOOD 16-byte keys that all have the same old_hash: the first 8 bytes are i, the
 * state after them is known, and the last 8 bytes cancel it to the same value. */
static void colliding_key(size_t i, unsigned char key[16])
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t w0 = 0x6b65792d00000000ULL | i, h = (16 * k1 ^ w0) * k2;
    h ^= h >> 29;
    uint64_t w1 = h ^ 0x5eed5eed5eed5eedULL;
    memcpy(key, &w0, 8);
    memcpy(key + 8, &w1, 8);
}

/* The longest look-up in m: the most slots a present key's search visits. */
static size_t longest_probe(const stance_strmap *m)
{
    size_t most = 0, mask = m->nslots - 1;
    for (size_t s = 0; s < m->nslots; s++) {
        if (!m->slots[s])
            continue;
        size_t home = (size_t)m->entries[m->slots[s] - 1].hash & mask;
        size_t probes = ((s - home) & mask) + 1;
        if (probes > most)
            most = probes;
    }
    return most;
}

/* 100k keys that all share one old hash (so they made one chain of 100k slots, and loading them
 * quadratic) spread under the keyed hash: the longest look-up stays short. At the map's load
 * (at most 1/2) a random hash gives a longest probe of about 20 for this many keys. */
START_TEST(test_flooding_keys_spread)
{
    unsigned char key[16], first[16];
    colliding_key(0, first);
    uint64_t h0 = old_hash(first, 16);
    stance_strmap m;
    stance_strmap_init(&m);
    for (size_t i = 0; i < FLOOD; i++) {
        colliding_key(i, key);
        ck_assert(old_hash(key, 16) == h0); /* the keys do collide under the old hash */
        ck_assert_int_eq(stance_strmap_put(&m, (const char *)key, 16, i), (long)i);
    }
    ck_assert_uint_eq(m.count, FLOOD);
    size_t most = longest_probe(&m);
    ck_assert_msg(most <= 100, "longest probe %zu", most);
    for (size_t i = 0; i < FLOOD; i += 997) {
        colliding_key(i, key);
        ck_assert_int_eq(stance_strmap_find(&m, (const char *)key, 16), (long)i);
    }
    stance_strmap_clear(&m);
}
END_TEST

/* The largest number of n hashes that share one of 2^bits buckets. */
static size_t fullest_bucket(const uint32_t *h, size_t n, int bits)
{
    size_t *count = calloc((size_t)1 << bits, sizeof *count), most = 0;
    ck_assert_ptr_nonnull(count);
    for (size_t i = 0; i < n; i++) {
        size_t c = ++count[h[i] & (((uint32_t)1 << bits) - 1)];
        if (c > most)
            most = c;
    }
    free(count);
    return most;
}

/* The short-key hash (the tagger's word cache) over the same keys, and over keys of 1 to 16
 * bytes that differ in one byte: 100k keys in 2^17 buckets fill none with more than a few
 * (about 8 for a random hash). */
START_TEST(test_short_hash_spreads)
{
    stance_ukey k;
    stance_ukey_init(&k);
    uint32_t *h = malloc(FLOOD * sizeof *h);
    ck_assert_ptr_nonnull(h);
    unsigned char key[16];
    for (size_t i = 0; i < FLOOD; i++) {
        colliding_key(i, key);
        h[i] = stance_uhash_short(&k, (const char *)key, 16) >> 15; /* top 17 bits, as tag */
    }
    size_t most = fullest_bucket(h, FLOOD, 17);
    ck_assert_msg(most <= 24, "%zu keys in one bucket", most);
    size_t n = 0;
    for (size_t len = 1; len <= 16; len++)
        for (size_t at = 0; at < len; at++)
            for (unsigned b = 0; b < 256 && n < FLOOD; b++) {
                if (b == 'a')
                    continue; /* the same key for every place */
                memset(key, 'a', sizeof key);
                key[at] = (unsigned char)b;
                h[n++] = stance_uhash_short(&k, (const char *)key, len) >> 15;
            }
    most = fullest_bucket(h, n, 17);
    ck_assert_msg(most <= 24, "%zu keys in one bucket", most);
    /* bytes past n do not count */
    memcpy(key, "kosovoXXXXXXXXXX", 16);
    char other[16];
    memcpy(other, "kosovoYYYYYYYYYY", 16);
    for (size_t len = 1; len <= 6; len++)
        ck_assert_uint_eq(stance_uhash_short(&k, (const char *)key, len),
                          stance_uhash_short(&k, other, len));
    free(h);
}
END_TEST

/* The pair hash (the vocabulary's bigram table) over a grid of stem codes, the shape a crafted
 * vocabulary would have. */
START_TEST(test_pair_hash_spreads)
{
    stance_ukey k;
    stance_ukey_init(&k);
    uint32_t *h = malloc(FLOOD * sizeof *h);
    ck_assert_ptr_nonnull(h);
    size_t n = 0;
    for (uint32_t a = 1; a <= 1000; a++)
        for (uint32_t b = 1; b <= 100; b++)
            h[n++] = stance_uhash_pair(&k, a << 12, b << 20) >> 15; /* top 17 bits, as vocab */
    size_t most = fullest_bucket(h, n, 17);
    ck_assert_msg(most <= 24, "%zu keys in one bucket", most);
    free(h);
}
END_TEST

/* ---- the map ---- */

/* Keys that differ from one another only a little: in one byte at the start, middle or end,
 * in length, after a NUL byte; lengths on each side of the 4-, 8- and 16-byte compares. */
static const struct {
    const char *key;
    size_t len;
} near_keys[] = {
    {"", 0},
    {"\0", 1},
    {"a", 1},
    {"b", 1},
    {"ab", 2},
    {"a\0b", 3},
    {"a\0c", 3},
    {"abc", 3},
    {"abcd", 4},
    {"xbcd", 4},
    {"abcdefg", 7},
    {"abcdefh", 7},
    {"abcdefgh", 8},
    {"abcdefghijklmnop", 16},
    {"abcdefghijklmnoq", 16},
    {"Abcdefghijklmnop", 16},
    {"abcdefghXjklmnop", 16},
    {"abcdefghijklmnopq", 17},
    {"abcdefghijklmnopqrstuvwxyz0123456789", 36},
    {"abcdefghijklmnopqrstuvwxyz0123456788", 36},
    {"caf\xC3\xA9", 5},
    {"caf\xC3\xA8", 5},
};

#define NNEAR (sizeof near_keys / sizeof near_keys[0])

/* Each key gets its own entry, in the order put; putting it again gives its entry back and
 * keeps the first value; stance_strmap_key is the key's bytes, NUL-terminated. */
START_TEST(test_near_keys_apart)
{
    stance_strmap m;
    stance_strmap_init(&m);
    for (size_t i = 0; i < NNEAR; i++) {
        ck_assert_int_eq(stance_strmap_find(&m, near_keys[i].key, near_keys[i].len), -1);
        ck_assert_int_eq(stance_strmap_put(&m, near_keys[i].key, near_keys[i].len, 100 + i), (long)i);
    }
    ck_assert_uint_eq(m.count, NNEAR);
    for (size_t i = 0; i < NNEAR; i++) {
        ck_assert_int_eq(stance_strmap_find(&m, near_keys[i].key, near_keys[i].len), (long)i);
        ck_assert_int_eq(stance_strmap_put(&m, near_keys[i].key, near_keys[i].len, 7), (long)i);
        ck_assert_uint_eq(m.entries[i].value, 100 + i);
        ck_assert(memcmp(stance_strmap_key(&m, i), near_keys[i].key, near_keys[i].len) == 0);
        ck_assert_int_eq(stance_strmap_key(&m, i)[near_keys[i].len], '\0');
    }
    ck_assert_uint_eq(m.count, NNEAR);
    /* the same bytes at another length are another key */
    ck_assert_int_eq(stance_strmap_find(&m, "abcdefghijklmnopq", 15), -1);
    ck_assert_int_eq(stance_strmap_find(&m, "abcd", 3), (long)7);
    stance_strmap_clear(&m);
}
END_TEST

/* An empty map (no slots yet, and again after clearing) finds nothing, and takes keys again. */
START_TEST(test_empty_and_cleared)
{
    stance_strmap m;
    stance_strmap_init(&m);
    ck_assert_ptr_null(m.slots);
    ck_assert_int_eq(stance_strmap_find(&m, "kosovo", 6), -1);
    ck_assert_int_eq(stance_strmap_find(&m, "", 0), -1);
    ck_assert_int_eq(stance_strmap_put(&m, "kosovo", 6, 1), 0);
    stance_strmap_clear(&m);
    ck_assert_uint_eq(m.count, 0);
    ck_assert_int_eq(stance_strmap_find(&m, "kosovo", 6), -1);
    ck_assert_int_eq(stance_strmap_put(&m, "abm", 3, 2), 0);
    ck_assert_int_eq(stance_strmap_put(&m, "kosovo", 6, 3), 1);
    ck_assert_int_eq(stance_strmap_find(&m, "kosovo", 6), 1);
    stance_strmap_clear(&m);
    stance_strmap_clear(&m); /* clearing a cleared map is fine */
}
END_TEST

/* Many keys: the slots and the key bytes grow (the bytes past their first 4 KB), entries stay
 * in the order put, and two maps of one hash key answer for a hash made once. */
START_TEST(test_growth_and_shared_key)
{
    stance_hashkey key;
    stance_hashkey_init(&key);
    stance_strmap a, b;
    stance_strmap_init_keyed(&a, &key);
    stance_strmap_init_keyed(&b, &key);
    char k[64];
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(k, sizeof k, "key-%zu-%s", i, i % 3 ? "short" : "a little longer than that");
        uint64_t h = stance_strmap_hash(&a, k, (size_t)n);
        ck_assert(h == stance_strmap_hash(&b, k, (size_t)n));
        ck_assert_int_eq(stance_strmap_put_hashed(&a, k, (size_t)n, h, i), (long)i);
        if (i % 2 == 0)
            ck_assert_int_eq(stance_strmap_put_hashed(&b, k, (size_t)n, h, i), (long)(i / 2));
    }
    ck_assert_uint_ge(a.nslots, 2 * a.count);
    ck_assert_uint_gt(a.chars_cap, 4096);
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(k, sizeof k, "key-%zu-%s", i, i % 3 ? "short" : "a little longer than that");
        uint64_t h = stance_strmap_hash(&a, k, (size_t)n);
        ck_assert_int_eq(stance_strmap_find_hashed(&a, k, (size_t)n, h), (long)i);
        ck_assert_int_eq(stance_strmap_find_hashed(&b, k, (size_t)n, h), i % 2 ? -1 : (long)(i / 2));
        ck_assert_str_eq(stance_strmap_key(&a, i), k);
    }
    stance_strmap_clear(&a);
    stance_strmap_clear(&b);
}
END_TEST

/* stance_chars_append: each string at the offset returned, NUL-terminated, across growth. */
START_TEST(test_chars_append)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char s[300];
    memset(s, 'x', sizeof s);
    long at[100];
    for (size_t i = 0; i < 100; i++) {
        s[0] = (char)('a' + i % 26);
        at[i] = stance_chars_append(&buf, &len, &cap, s, i * 3);
        ck_assert_int_eq(at[i], i ? at[i - 1] + (long)(i - 1) * 3 + 1 : 0);
    }
    ck_assert_uint_gt(cap, 4096);
    ck_assert_uint_eq(len, (size_t)at[99] + 99 * 3 + 1);
    for (size_t i = 1; i < 100; i++) {
        ck_assert_int_eq(buf[at[i]], 'a' + (int)(i % 26));
        ck_assert_uint_eq(strlen(buf + at[i]), i * 3);
    }
    ck_assert_int_eq(buf[at[0]], '\0');
    free(buf);
}
END_TEST

#ifndef STANCE_TEST_ASAN /* see suites.h */
/* The process's address space in bytes, from /proc (0 if unknown). */
static size_t address_space(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%lu", &pages) != 1)
        pages = 0;
    fclose(f);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Out of memory (in a child under an address-space limit): a put that cannot allocate returns
 * -1 and the map keeps every key it had, each with its value. Exit status 0 when so, else the
 * number of the check that failed. */
static int fill_until_full(void)
{
    size_t now = address_space();
    struct rlimit lim = {now + 64 * 1024 * 1024, now + 64 * 1024 * 1024};
    if (now == 0 || setrlimit(RLIMIT_AS, &lim) != 0)
        return 1;
    static char key[4096];
    stance_strmap m;
    stance_strmap_init(&m);
    long got = 0;
    size_t n = 0;
    while (n < 1000000) {
        memset(key, 'k', sizeof key);
        memcpy(key, &n, sizeof n);
        if ((got = stance_strmap_put(&m, key, sizeof key, n)) < 0)
            break;
        if ((size_t)got != n++)
            return 2;
    }
    if (got != -1 || m.count != n)
        return 3; /* never ran out, or the failed put left an entry */
    for (size_t i = 0; i < n; i++) {
        memset(key, 'k', sizeof key);
        memcpy(key, &i, sizeof i);
        long e = stance_strmap_find(&m, key, sizeof key);
        if (e != (long)i || m.entries[e].value != i)
            return 4;
    }
    return 0; /* the map's memory goes with the child */
}

START_TEST(test_put_out_of_memory)
{
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(fill_until_full());
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
}
END_TEST
#endif

Suite *strmap_suite(void)
{
    Suite *s = suite_create("strmap");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60); /* the flooding tests under valgrind */
    tcase_add_loop_test(tc, test_siphash_vectors, 0, sizeof sip24 / sizeof sip24[0]);
    tcase_add_test(tc, test_hash_is_siphash13);
    tcase_add_test(tc, test_maps_draw_keys);
    tcase_add_test(tc, test_flooding_keys_spread);
    tcase_add_test(tc, test_short_hash_spreads);
    tcase_add_test(tc, test_pair_hash_spreads);
    tcase_add_test(tc, test_near_keys_apart);
    tcase_add_test(tc, test_empty_and_cleared);
    tcase_add_test(tc, test_growth_and_shared_key);
    tcase_add_test(tc, test_chars_append);
#ifndef STANCE_TEST_ASAN
    tcase_add_test(tc, test_put_out_of_memory);
#endif
    suite_add_tcase(s, tc);
    return s;
}
