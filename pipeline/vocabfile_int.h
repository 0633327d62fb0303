/* vocabfile_int.h: a finished vocabulary as one binary image (vocabfile.c), the form vocab.c
 * vectorizes with: built in memory when a vocabulary is fitted or read from JSON, and written
 * as vocab.bin in a bundle of format 3 (model.c), where it is mapped read-only at load, so
 * start-up does no work per term.
 *
 * Layout, every number little-endian whatever the host, n terms, p stem codes:
 *   bytes 0-7     magic "STNCVOC\0"
 *   8-11          uint32 file version (3, the bundle format)
 *   12-15         uint32 header size (128)
 *   16-19         uint32 options: 1 bigrams, 2 sublinear tf, 4 idf, 8 l2
 *   20-23         uint32 log2 of the stem table's slots (1-31)
 *   24-27         uint32 the stem table's longest probe (at most STANCE_VOCABFILE_PROBE_MAX)
 *   28-31         uint32 log2 of the bigram table's slots (1-31)
 *   32-35         uint32 the bigram table's longest probe (at most STANCE_VOCABFILE_PROBE_MAX)
 *   36-39         0
 *   40-47         uint64 min_df
 *   48-55         uint64 documents
 *   56-63         uint64 n, the terms (features 1 .. n, in byte order)
 *   64-71         uint64 p, the stem codes
 *   72-79         uint64 the bytes of the term strings
 *   80-95         the stem table's hash key (SipHash-1-3, strmap_int.h): k0, k1
 *   96-119        the bigram table's hash key (stance_uhash_pair): a[0], a[1], b
 *   120-127       uint64 FNV-1a hash of bytes 0-119
 *   then, each starting on a multiple of 8 bytes:
 *     idf         n float64
 *     df          n uint64
 *     term ends   n uint64: term i is the strings' bytes from the end of term i - 1 (0 for
 *                 the first) up to its end, its last byte a NUL
 *     features    p uint32: the feature of stem code c alone, 0 if it is none
 *     stems       p x (uint32 offset, uint32 length) of code c's stem in the strings
 *     stem slots  2^bits x (uint32 code + 1 or 0 for empty, uint32 top 32 bits of the hash):
 *                 linear probing from the hash's low bits
 *     pair slots  2^bits x (uint32 code a + 1 or 0 for empty, uint32 code b + 1, uint32
 *                 feature): the bigram "a b", linear probing from stance_uhash_pair's top bits
 *     strings     the terms, each followed by a NUL
 *   and nothing after: the size is exactly what the header implies.
 *
 * Opening checks the header alone (its hash, and every count and size against the file's
 * length), so no offset can point outside the file. Each look-up then range-checks what it
 * reads before it uses it and probes no further than the header's longest probe, so a changed
 * body byte can make a wrong or missing feature, or a "damaged" error naming the byte, but never
 * a read outside the image or a long search. stance_vocabfile_check reads the whole body. */
#ifndef STANCE_VOCABFILE_INT_H
#define STANCE_VOCABFILE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stance/error.h"
#include "strmap_int.h"

#define STANCE_VOCAB_FILE "vocab.bin"
#define STANCE_VOCABFILE_PROBE_MAX 64 /* a longer probe in a header is refused */

enum {
    STANCE_VOCABFILE_BIGRAMS = 1,
    STANCE_VOCABFILE_SUBLINEAR_TF = 2,
    STANCE_VOCABFILE_IDF = 4,
    STANCE_VOCABFILE_L2 = 8
};

/* A checked image: its header's numbers and where its parts begin. */
typedef struct {
    const unsigned char *base;
    size_t len;
    unsigned options;
    uint64_t min_df, documents;
    size_t terms, parts, strings_len;
    size_t stem_mask, pair_mask;
    int pair_shift; /* 32 - log2(pair slots) */
    unsigned stem_probe, pair_probe;
    stance_hashkey stem_key;
    stance_ukey pair_key;
    const unsigned char *idf, *df, *term_end, *features, *stems, *stem_slots, *pair_slots,
        *strings;
} stance_vocabfile;

/* One term for the builder: its text (len bytes, no NUL inside) and df. */
typedef struct {
    const char *text;
    size_t len;
    size_t df;
} stance_vocabfile_entry;

/* Builds the image of n terms (sorted in byte order, unique) into *image (*len bytes, caller
 * frees). The hash keys are derived from the terms, so the same vocabulary gives the same bytes;
 * the tables are made large enough that no probe is longer than STANCE_VOCABFILE_PROBE_MAX / 2.
 * STANCE_ERR_DATA if the terms are too many or too long for the format; STANCE_ERR_NOMEM. */
stance_status stance_vocabfile_build(const stance_vocabfile_entry *terms, size_t n,
                                     uint64_t documents, uint64_t min_df, unsigned options,
                                     unsigned char **image, size_t *len, stance_error *err);

/* Checks the header of the len-byte image at p (see above) and fills vf. STANCE_ERR_DATA naming
 * path and the byte for anything wrong. */
stance_status stance_vocabfile_open(const void *p, size_t len, const char *path,
                                    stance_vocabfile *vf, stance_error *err);

/* Checks the whole body (every term, code, slot and string, and each idf finite), as far as
 * opening does not: STANCE_ERR_DATA naming path and the first byte that is wrong. */
stance_status stance_vocabfile_check(const stance_vocabfile *vf, const char *path,
                                     stance_error *err);

/* The code of the stem s (len bytes): >= 0, -1 when it is none, -2 when the table is damaged
 * (*at: the byte). */
long stance_vocabfile_stem(const stance_vocabfile *vf, const char *s, size_t len, size_t *at);

/* Term i's (0-based, < terms) text, NUL-terminated, and its length; NULL if damaged. */
const char *stance_vocabfile_term(const stance_vocabfile *vf, size_t i, size_t *len);

static inline uint32_t stance_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t stance_le64(const unsigned char *p)
{
    return stance_le32(p) | (uint64_t)stance_le32(p + 4) << 32;
}

/* Term i's df and idf. */
static inline uint64_t stance_vocabfile_df(const stance_vocabfile *vf, size_t i)
{
    return stance_le64(vf->df + 8 * i);
}

static inline double stance_vocabfile_idf(const stance_vocabfile *vf, size_t i)
{
    uint64_t bits = stance_le64(vf->idf + 8 * i);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* The feature of stem code c (< parts) alone: 0 for none, -1 when damaged (the byte:
 * features + 4 c). */
static inline long stance_vocabfile_feature(const stance_vocabfile *vf, size_t c)
{
    uint32_t f = stance_le32(vf->features + 4 * c);
    return f <= vf->terms ? (long)f : -1;
}

/* The slot where the bigram of codes a, b starts its probe. */
static inline size_t stance_vocabfile_pair_home(const stance_vocabfile *vf, long a, long b)
{
    return stance_uhash_pair(&vf->pair_key, (uint32_t)(a + 1), (uint32_t)(b + 1)) >>
           vf->pair_shift;
}

static inline const unsigned char *stance_vocabfile_pair_slot(const stance_vocabfile *vf,
                                                             size_t s)
{
    return vf->pair_slots + 12 * s;
}

/* The feature of the bigram of codes a, b, probing from slot at (stance_vocabfile_pair_home):
 * 0 when it is none, -1 - slot when that slot is damaged. */
static inline long stance_vocabfile_pair(const stance_vocabfile *vf, long a, long b, size_t at)
{
    uint32_t ka = (uint32_t)(a + 1), kb = (uint32_t)(b + 1);
    for (unsigned d = 0; d <= vf->pair_probe; d++, at = (at + 1) & vf->pair_mask) {
        const unsigned char *s = stance_vocabfile_pair_slot(vf, at);
        uint32_t sa = stance_le32(s);
        if (sa == 0)
            return 0;
        if (sa == ka && stance_le32(s + 4) == kb) {
            uint32_t f = stance_le32(s + 8);
            return f >= 1 && f <= vf->terms ? (long)f : -1 - (long)at;
        }
    }
    return 0;
}

#endif
