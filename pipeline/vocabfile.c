/* vocabfile.c: a finished vocabulary as one binary image, built in memory or mapped from a
 * bundle's vocab.bin (layout: vocabfile_int.h). */
#include "vocabfile_int.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"

#define MAGIC "STNCVOC"   /* and its NUL: 8 bytes */
#define FILE_VERSION 3    /* the bundle format the file belongs to */
#define HEADER_SIZE 128
#define HASHED 120        /* header bytes the hash covers */
#define BUILD_PROBE (STANCE_VOCABFILE_PROBE_MAX / 2) /* the builder's longest probe */
#define MAX_BITS 31

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

static uint64_t round8(uint64_t n)
{
    return (n + 7) / 8 * 8;
}

/* Where each part of an image begins, from its counts; the total is its size. */
typedef struct {
    uint64_t idf, df, term_end, features, stems, stem_slots, pair_slots, strings, total;
} layout;

/* All counts are small enough (terms < 2^31, parts < 2^32, 2^31 slots, strings < 2^32) for
 * these sums to stay far below 2^64. */
static layout layout_of(uint64_t terms, uint64_t parts, int stem_bits, int pair_bits,
                        uint64_t strings)
{
    layout l;
    l.idf = HEADER_SIZE;
    l.df = l.idf + 8 * terms;
    l.term_end = l.df + 8 * terms;
    l.features = l.term_end + 8 * terms;
    l.stems = l.features + round8(4 * parts);
    l.stem_slots = l.stems + 8 * parts;
    l.pair_slots = l.stem_slots + 8 * ((uint64_t)1 << stem_bits);
    l.strings = l.pair_slots + round8(12 * ((uint64_t)1 << pair_bits));
    l.total = l.strings + strings;
    return l;
}

/* ---- building ---- */

/* What the builder knows of the stems: code c's offset and length in the strings. */
typedef struct {
    uint32_t *off, *len, *feature;
    size_t n;
    uint32_t (*pairs)[3]; /* a + 1, b + 1, feature */
    size_t npairs;
} parts_of;

/* The code of the stem at strings + off (len bytes), numbered in order of first sight. */
static long code_of(stance_strmap *map, parts_of *p, const char *strings, size_t off, size_t len)
{
    size_t before = map->count;
    long c = stance_strmap_put(map, strings + off, len, 0);
    if (c >= 0 && map->count > before) {
        p->off[c] = (uint32_t)off;
        p->len[c] = (uint32_t)len;
        p->n = map->count;
    }
    return c;
}

/* Codes the stems of the features: a unigram "a" is one stem, a bigram "a b" (one space,
 * stems on both sides) a pair of them. Other texts, which no stems could form, get no code.
 * 0 on no memory. */
static int collect_parts(const char *strings, const uint64_t *start, const stance_vocabfile_entry *t,
                         size_t n, parts_of *p)
{
    size_t most = 2 * n + 1;
    p->off = malloc(most * sizeof *p->off);
    p->len = malloc(most * sizeof *p->len);
    p->feature = calloc(most, sizeof *p->feature);
    p->pairs = malloc((n ? n : 1) * sizeof *p->pairs);
    if (!p->off || !p->len || !p->feature || !p->pairs)
        return 0;
    stance_strmap map;
    stance_strmap_init(&map);
    int ok = 1;
    for (size_t i = 0; ok && i < n; i++) {
        const char *sp = memchr(t[i].text, ' ', t[i].len);
        if (!sp) {
            long c = code_of(&map, p, strings, start[i], t[i].len);
            ok = c >= 0;
            if (ok)
                p->feature[c] = (uint32_t)i + 1;
            continue;
        }
        size_t left = (size_t)(sp - t[i].text), right = t[i].len - left - 1;
        if (left == 0 || right == 0 || memchr(sp + 1, ' ', right))
            continue;
        long a = code_of(&map, p, strings, start[i], left);
        long b = a < 0 ? -1 : code_of(&map, p, strings, start[i] + left + 1, right);
        ok = b >= 0;
        if (ok) {
            p->pairs[p->npairs][0] = (uint32_t)a + 1;
            p->pairs[p->npairs][1] = (uint32_t)b + 1;
            p->pairs[p->npairs][2] = (uint32_t)i + 1;
            p->npairs++;
        }
    }
    stance_strmap_clear(&map);
    return ok;
}

static void free_parts(parts_of *p)
{
    free(p->off);
    free(p->len);
    free(p->feature);
    free(p->pairs);
}

/* Step of the splitmix64 generator: the hash keys, from a seed. */
static uint64_t next_key(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* log2 of the slots for count keys at most half full, plus grow. */
static int table_bits(size_t count, int grow)
{
    int bits = 1;
    while (bits < MAX_BITS && ((uint64_t)1 << bits) < 2 * (uint64_t)count)
        bits++;
    return bits + grow > MAX_BITS ? MAX_BITS : bits + grow;
}

static double idf_of(uint64_t documents, uint64_t df)
{
    return log((1.0 + (double)documents) / (1.0 + (double)df)) + 1.0;
}

/* Fills the stem slots (2^bits x 8 bytes, zeroed) at s under key; returns the longest probe. */
static unsigned fill_stem_slots(unsigned char *s, int bits, const stance_hashkey *key,
                                const char *strings, const parts_of *p)
{
    size_t mask = ((size_t)1 << bits) - 1;
    unsigned longest = 0;
    for (size_t c = 0; c < p->n; c++) {
        uint64_t h = stance_hash(key, strings + p->off[c], p->len[c]);
        unsigned d = 0;
        size_t at = (size_t)h & mask;
        while (stance_le32(s + 8 * at) != 0)
            at = (at + 1) & mask, d++;
        put_u32(s + 8 * at, (uint32_t)c + 1);
        put_u32(s + 8 * at + 4, (uint32_t)(h >> 32));
        if (d > longest)
            longest = d;
    }
    return longest;
}

/* Fills the pair slots (2^bits x 12 bytes, zeroed) at s under key; returns the longest probe. */
static unsigned fill_pair_slots(unsigned char *s, int bits, const stance_ukey *key,
                                const parts_of *p)
{
    size_t mask = ((size_t)1 << bits) - 1;
    unsigned longest = 0;
    for (size_t i = 0; i < p->npairs; i++) {
        unsigned d = 0;
        size_t at = stance_uhash_pair(key, p->pairs[i][0], p->pairs[i][1]) >> (32 - bits);
        while (stance_le32(s + 12 * at) != 0)
            at = (at + 1) & mask, d++;
        for (int k = 0; k < 3; k++)
            put_u32(s + 12 * at + 4 * k, p->pairs[i][k]);
        if (d > longest)
            longest = d;
    }
    return longest;
}

/* The header and every part but the tables into img (zeroed, l.total bytes). */
static void fill_body(unsigned char *img, const layout *l, const stance_vocabfile_entry *t,
                      size_t n, uint64_t documents, const char *strings, const uint64_t *start,
                      const parts_of *p)
{
    for (size_t i = 0; i < n; i++) {
        double idf = idf_of(documents, t[i].df);
        uint64_t bits;
        memcpy(&bits, &idf, sizeof bits);
        put_u64(img + l->idf + 8 * i, bits);
        put_u64(img + l->df + 8 * i, t[i].df);
        put_u64(img + l->term_end + 8 * i, start[i] + t[i].len + 1);
    }
    for (size_t c = 0; c < p->n; c++) {
        put_u32(img + l->features + 4 * c, p->feature[c]);
        put_u32(img + l->stems + 8 * c, p->off[c]);
        put_u32(img + l->stems + 8 * c + 4, p->len[c]);
    }
    memcpy(img + l->strings, strings, l->total - l->strings);
}

/* Tries the tables at attempt (keys and sizes); 1 when both probe short enough. img holds
 * the rest already; on success its header is written too. */
static int try_tables(unsigned char *img, size_t n, const parts_of *p, const char *strings,
                      int stem_bits, int pair_bits, uint64_t seed, uint64_t documents,
                      uint64_t min_df, unsigned options)
{
    layout l = layout_of(n, p->n, stem_bits, pair_bits, 0);
    uint64_t state = seed;
    stance_hashkey sk = {next_key(&state), next_key(&state)};
    stance_ukey pk = {{next_key(&state), next_key(&state), 0, 0, 0}, next_key(&state)};
    memset(img + l.stem_slots, 0, l.strings - l.stem_slots);
    unsigned sp = fill_stem_slots(img + l.stem_slots, stem_bits, &sk, strings, p);
    unsigned pp = fill_pair_slots(img + l.pair_slots, pair_bits, &pk, p);
    if (sp > BUILD_PROBE || pp > BUILD_PROBE)
        return 0;
    unsigned char *h = img;
    memcpy(h, MAGIC, 8);
    put_u32(h + 8, FILE_VERSION);
    put_u32(h + 12, HEADER_SIZE);
    put_u32(h + 16, options);
    put_u32(h + 20, (uint32_t)stem_bits);
    put_u32(h + 24, sp);
    put_u32(h + 28, (uint32_t)pair_bits);
    put_u32(h + 32, pp);
    put_u32(h + 36, 0);
    put_u64(h + 40, min_df);
    put_u64(h + 48, documents);
    put_u64(h + 56, n);
    put_u64(h + 64, p->n);
    put_u64(h + 72, 0); /* set by the caller */
    put_u64(h + 80, sk.k0);
    put_u64(h + 88, sk.k1);
    put_u64(h + 96, pk.a[0]);
    put_u64(h + 104, pk.a[1]);
    put_u64(h + 112, pk.b);
    return 1;
}

/* The terms one after the other, each with its NUL, into *out (offsets into start). */
static int join_terms(const stance_vocabfile_entry *t, size_t n, uint64_t total, char **out,
                      uint64_t **start)
{
    *out = malloc(total ? total : 1);
    *start = malloc((n ? n : 1) * sizeof **start);
    if (!*out || !*start)
        return 0;
    uint64_t at = 0;
    for (size_t i = 0; i < n; i++) {
        (*start)[i] = at;
        memcpy(*out + at, t[i].text, t[i].len);
        (*out)[at + t[i].len] = '\0';
        at += t[i].len + 1;
    }
    return 1;
}

/* Builds the image with tables that probe short enough: other keys, then larger tables. */
static unsigned char *build_image(const stance_vocabfile_entry *t, size_t n, uint64_t documents,
                                  uint64_t min_df, unsigned options, const char *strings,
                                  uint64_t strings_len, const uint64_t *start,
                                  const parts_of *p, size_t *len)
{
    uint64_t seed = stance_siphash(&(stance_hashkey){n, strings_len}, strings,
                                   (size_t)strings_len, 2, 4);
    for (int attempt = 0; attempt < 64; attempt++) {
        int grow = attempt / 4; /* four keys at each size */
        int sb = table_bits(p->n, grow), pb = table_bits(p->npairs, grow);
        layout l = layout_of(n, p->n, sb, pb, strings_len);
        if (l.total > SIZE_MAX)
            return NULL;
        unsigned char *img = calloc(1, (size_t)l.total);
        if (!img)
            return NULL;
        fill_body(img, &l, t, n, documents, strings, start, p);
        if (try_tables(img, n, p, strings, sb, pb, seed + (uint64_t)attempt, documents, min_df,
                       options)) {
            put_u64(img + 72, strings_len);
            put_u64(img + HASHED, fnv1a(img, HASHED));
            *len = (size_t)l.total;
            return img;
        }
        free(img);
    }
    return NULL; /* not reached: a table 2^16 times the keys probes short with any key */
}

stance_status stance_vocabfile_build(const stance_vocabfile_entry *terms, size_t n,
                                     uint64_t documents, uint64_t min_df, unsigned options,
                                     unsigned char **image, size_t *len, stance_error *err)
{
    *image = NULL;
    *len = 0;
    uint64_t strings_len = 0;
    for (size_t i = 0; i < n; i++)
        strings_len += terms[i].len + 1;
    if (n >= INT_MAX || strings_len > UINT32_MAX)
        return stance_fail(err, STANCE_ERR_DATA, NULL, 0, "%zu terms of %" PRIu64 " bytes: "
                           "more than a vocabulary holds (2^31 terms, 4 GiB of text)", n,
                           strings_len);
    char *strings = NULL;
    uint64_t *start = NULL;
    parts_of p = {0};
    int ok = join_terms(terms, n, strings_len, &strings, &start) &&
             collect_parts(strings, start, terms, n, &p);
    if (ok)
        *image = build_image(terms, n, documents, min_df, options, strings, strings_len, start,
                             &p, len);
    free(strings);
    free(start);
    free_parts(&p);
    return *image ? STANCE_OK : stance_fail_nomem(err, NULL);
}

/* ---- opening and checking ---- */

static stance_status damaged(stance_error *err, const char *path, uint64_t at, const char *what)
{
    return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %" PRIu64 ": %s", at, what);
}

static stance_status bad_field(stance_error *err, const char *path, size_t at, const char *what,
                               uint64_t got)
{
    return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %zu: %s is %" PRIu64 ", out of "
                       "range (header damaged)", at, what, got);
}

stance_status stance_vocabfile_open(const void *data, size_t len, const char *path,
                                    stance_vocabfile *vf, stance_error *err)
{
    const unsigned char *p = data;
    *vf = (stance_vocabfile){0};
    if (len < HEADER_SIZE)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu bytes, shorter than the %d of "
                           "a header (file truncated?)", len, HEADER_SIZE);
    if (memcmp(p, MAGIC, 8) != 0)
        return damaged(err, path, 0, "not a stance vocabulary file (no \"STNCVOC\" magic)");
    if (fnv1a(p, HASHED) != stance_le64(p + HASHED))
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte %d: the header's hash does not "
                           "match its bytes 0-%d (header changed or damaged)", HASHED, HASHED - 1);
    if (stance_le32(p + 8) != FILE_VERSION)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "byte 8: vocabulary file version %"
                           PRIu32 " is not supported (this stance reads %d)", stance_le32(p + 8),
                           FILE_VERSION);
    uint32_t stem_bits = stance_le32(p + 20), pair_bits = stance_le32(p + 28);
    uint64_t terms = stance_le64(p + 56), parts = stance_le64(p + 64);
    uint64_t strings = stance_le64(p + 72), min_df = stance_le64(p + 40);
    const struct {
        size_t at;
        const char *what;
        uint64_t got, lo, hi;
    } fields[] = {
        {12, "the header size", stance_le32(p + 12), HEADER_SIZE, HEADER_SIZE},
        {16, "the options", stance_le32(p + 16), 0, 15},
        {20, "the stem table's log2 size", stem_bits, 1, MAX_BITS},
        {24, "the stem table's longest probe", stance_le32(p + 24), 0, STANCE_VOCABFILE_PROBE_MAX},
        {28, "the bigram table's log2 size", pair_bits, 1, MAX_BITS},
        {32, "the bigram table's longest probe", stance_le32(p + 32), 0, STANCE_VOCABFILE_PROBE_MAX},
        {36, "the reserved field", stance_le32(p + 36), 0, 0},
        {40, "min_df", min_df, 1, LONG_MAX},
        {56, "the number of terms", terms, 0, INT_MAX - 1},
        {64, "the number of stem codes", parts, 0, 2 * terms + 1},
        {72, "the size of the strings", strings, 0, UINT32_MAX},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].got < fields[i].lo || fields[i].got > fields[i].hi)
            return bad_field(err, path, fields[i].at, fields[i].what, fields[i].got);
    if (parts >= (uint64_t)1 << stem_bits)
        return bad_field(err, path, 64, "the number of stem codes (more than its table holds)",
                         parts);
    layout l = layout_of(terms, parts, (int)stem_bits, (int)pair_bits, strings);
    if (l.total != len)
        return stance_fail(err, STANCE_ERR_DATA, path, 0, "%zu bytes, not the %" PRIu64 " its "
                           "header implies (file truncated or extended?)", len, l.total);
    vf->base = p;
    vf->len = len;
    vf->options = stance_le32(p + 16);
    vf->min_df = min_df;
    vf->documents = stance_le64(p + 48);
    vf->terms = (size_t)terms;
    vf->parts = (size_t)parts;
    vf->strings_len = (size_t)strings;
    vf->stem_mask = ((size_t)1 << stem_bits) - 1;
    vf->pair_mask = ((size_t)1 << pair_bits) - 1;
    vf->pair_shift = 32 - (int)pair_bits;
    vf->stem_probe = stance_le32(p + 24);
    vf->pair_probe = stance_le32(p + 32);
    vf->stem_key = (stance_hashkey){stance_le64(p + 80), stance_le64(p + 88)};
    vf->pair_key = (stance_ukey){{stance_le64(p + 96), stance_le64(p + 104), 0, 0, 0},
                                 stance_le64(p + 112)};
    vf->idf = p + l.idf;
    vf->df = p + l.df;
    vf->term_end = p + l.term_end;
    vf->features = p + l.features;
    vf->stems = p + l.stems;
    vf->stem_slots = p + l.stem_slots;
    vf->pair_slots = p + l.pair_slots;
    vf->strings = p + l.strings;
    return STANCE_OK;
}

static size_t offset(const stance_vocabfile *vf, const unsigned char *q)
{
    return (size_t)(q - vf->base);
}

/* Code c's stem (c < parts) in *s, *len; 0 if its offset or length is out of range. */
static int stem_of(const stance_vocabfile *vf, size_t c, const char **s, size_t *len)
{
    uint32_t off = stance_le32(vf->stems + 8 * c), n = stance_le32(vf->stems + 8 * c + 4);
    if (off > vf->strings_len || n > vf->strings_len - off)
        return 0;
    *s = (const char *)vf->strings + off;
    *len = n;
    return 1;
}

long stance_vocabfile_stem(const stance_vocabfile *vf, const char *s, size_t len, size_t *at)
{
    uint64_t h = stance_hash(&vf->stem_key, s, len);
    size_t i = (size_t)h & vf->stem_mask;
    for (unsigned d = 0; d <= vf->stem_probe; d++, i = (i + 1) & vf->stem_mask) {
        const unsigned char *slot = vf->stem_slots + 8 * i;
        uint32_t c1 = stance_le32(slot);
        if (c1 == 0)
            return -1;
        if (stance_le32(slot + 4) != (uint32_t)(h >> 32))
            continue;
        const char *stem;
        size_t n;
        if (c1 > vf->parts) {
            *at = offset(vf, slot);
            return -2;
        }
        if (!stem_of(vf, c1 - 1, &stem, &n)) {
            *at = offset(vf, vf->stems + 8 * (c1 - 1));
            return -2;
        }
        if (n == len && memcmp(stem, s, len) == 0)
            return (long)c1 - 1;
    }
    return -1;
}

const char *stance_vocabfile_term(const stance_vocabfile *vf, size_t i, size_t *len)
{
    uint64_t begin = i ? stance_le64(vf->term_end + 8 * (i - 1)) : 0;
    uint64_t end = stance_le64(vf->term_end + 8 * i);
    if (begin >= end || end > vf->strings_len || vf->strings[end - 1] != '\0')
        return NULL;
    *len = (size_t)(end - begin - 1);
    return (const char *)vf->strings + begin;
}

/* The terms: each in range, NUL-terminated with no NUL inside, after the one before in byte
 * order; df between 1 and the documents, idf what df gives (to rounding). */
static stance_status check_terms(const stance_vocabfile *vf, const char *path, stance_error *err)
{
    const char *prev = NULL;
    size_t prev_len = 0;
    for (size_t i = 0; i < vf->terms; i++) {
        size_t len;
        const char *t = stance_vocabfile_term(vf, i, &len);
        if (!t || len == 0 || memchr(t, '\0', len))
            return damaged(err, path, offset(vf, vf->term_end + 8 * i), "a term's end is out of "
                           "range, or the term is empty or holds a NUL byte");
        if (prev) {
            int c = memcmp(prev, t, prev_len < len ? prev_len : len);
            if (c > 0 || (c == 0 && prev_len >= len))
                return damaged(err, path, offset(vf, (const unsigned char *)t),
                               "a term out of byte order");
        }
        uint64_t df = stance_vocabfile_df(vf, i);
        if (df < 1 || df > vf->documents)
            return damaged(err, path, offset(vf, vf->df + 8 * i), "a df out of range");
        double idf = stance_vocabfile_idf(vf, i), want = idf_of(vf->documents, df);
        if (!isfinite(idf) || fabs(idf - want) > 1e-9 * want)
            return damaged(err, path, offset(vf, vf->idf + 8 * i), "an idf that is not the "
                           "one its df gives");
        prev = t;
        prev_len = len;
    }
    return STANCE_OK;
}

/* The codes: each feature in range, each stem in range, and found by a look-up. */
static stance_status check_codes(const stance_vocabfile *vf, const char *path, stance_error *err)
{
    for (size_t c = 0; c < vf->parts; c++) {
        const char *s;
        size_t n, at = 0;
        if (stance_vocabfile_feature(vf, c) < 0)
            return damaged(err, path, offset(vf, vf->features + 4 * c), "a feature out of range");
        if (!stem_of(vf, c, &s, &n) || n == 0)
            return damaged(err, path, offset(vf, vf->stems + 8 * c), "a stem out of range");
        long got = stance_vocabfile_stem(vf, s, n, &at);
        if (got == -2)
            return damaged(err, path, at, "a stem table slot out of range");
        if (got != (long)c)
            return damaged(err, path, offset(vf, vf->stems + 8 * c), "a stem its table does "
                           "not find (a slot or probe changed)");
        long f = stance_vocabfile_feature(vf, c);
        size_t tlen;
        const char *t = f ? stance_vocabfile_term(vf, (size_t)f - 1, &tlen) : NULL;
        if (f && (tlen != n || memcmp(t, s, n) != 0))
            return damaged(err, path, offset(vf, vf->features + 4 * c), "a stem's feature is "
                           "another term");
    }
    return STANCE_OK;
}

/* 1 if the len bytes at t are stems a and b joined by a space. */
static int is_pair(const stance_vocabfile *vf, const char *t, size_t len, uint32_t a, uint32_t b)
{
    const char *sa, *sb;
    size_t na, nb;
    return stem_of(vf, a, &sa, &na) && stem_of(vf, b, &sb, &nb) && len == na + 1 + nb &&
           memcmp(t, sa, na) == 0 && t[na] == ' ' && memcmp(t + na + 1, sb, nb) == 0;
}

/* Every term found from its stems: a unigram by its code's feature, a bigram by its pair. */
static stance_status check_found(const stance_vocabfile *vf, const char *path, stance_error *err)
{
    for (size_t i = 0; i < vf->terms; i++) {
        size_t len, at = 0;
        const char *t = stance_vocabfile_term(vf, i, &len);
        const char *sp = memchr(t, ' ', len);
        long found;
        if (!sp) {
            long c = stance_vocabfile_stem(vf, t, len, &at);
            found = c >= 0 ? stance_vocabfile_feature(vf, (size_t)c) : 0;
        } else {
            size_t left = (size_t)(sp - t), right = len - left - 1;
            if (left == 0 || right == 0 || memchr(sp + 1, ' ', right))
                continue; /* no stems form it */
            long a = stance_vocabfile_stem(vf, t, left, &at);
            long b = a < 0 ? -1 : stance_vocabfile_stem(vf, sp + 1, right, &at);
            found = b < 0 ? 0 : stance_vocabfile_pair(vf, a, b, stance_vocabfile_pair_home(vf, a, b));
        }
        if (found != (long)i + 1)
            return damaged(err, path, offset(vf, vf->term_end + 8 * i), "a term its stems do "
                           "not find");
    }
    return STANCE_OK;
}

/* The bigram slots: codes and feature in range, each found within the longest probe. */
static stance_status check_pairs(const stance_vocabfile *vf, const char *path, stance_error *err)
{
    for (size_t s = 0; s <= vf->pair_mask; s++) {
        const unsigned char *slot = stance_vocabfile_pair_slot(vf, s);
        uint32_t a = stance_le32(slot), b = stance_le32(slot + 4);
        if (a == 0)
            continue;
        if (a > vf->parts || b == 0 || b > vf->parts)
            return damaged(err, path, offset(vf, slot), "a bigram's stem code out of range");
        long f = stance_vocabfile_pair(vf, (long)a - 1, (long)b - 1,
                                       stance_vocabfile_pair_home(vf, (long)a - 1, (long)b - 1));
        if (f < 0)
            return damaged(err, path, offset(vf, slot + 8), "a bigram's feature out of range");
        if (f == 0)
            return damaged(err, path, offset(vf, slot), "a bigram its table does not find (a "
                           "slot or probe changed)");
        size_t tlen;
        const char *t = stance_vocabfile_term(vf, (size_t)f - 1, &tlen);
        if (!is_pair(vf, t, tlen, a - 1, b - 1))
            return damaged(err, path, offset(vf, slot + 8), "a bigram's feature is another "
                           "term");
    }
    return STANCE_OK;
}

stance_status stance_vocabfile_check(const stance_vocabfile *vf, const char *path,
                                     stance_error *err)
{
    stance_status st = check_terms(vf, path, err);
    if (st == STANCE_OK)
        st = check_codes(vf, path, err);
    if (st == STANCE_OK)
        st = check_pairs(vf, path, err);
    if (st == STANCE_OK)
        st = check_found(vf, path, err);
    return st;
}
