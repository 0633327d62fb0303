/* vocab.c: fitting the stem unigram/bigram vocabulary, TF-IDF vectors, and the vocabulary file. */
#include "stance/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "outpath_int.h"
#include "prefetch_int.h"
#include "strmap_int.h"
#include "vector_int.h"
#include "vocab_int.h"

#define VOCAB_FORMAT "stance-vocab"
#define VOCAB_VERSION 1
#define TF_TABLE 32
#define PAIR_AHEAD 8 /* stems between fetching a bigram's slot and looking it up */

/* A bigram feature: the codes a, b of its stems as (a + 1) << 32 | (b + 1) (0: an empty slot),
 * and its feature index. */
typedef struct {
    uint64_t key;
    int feature;
} pair_slot;

struct stance_vocab {
    stance_vocab_options opt;
    int finished;     /* fitting ended (or loaded): read-only from here on */
    int broken;       /* a fitting call failed partway; only free is valid */
    stance_strmap map; /* fitting: term -> unused; finished: term -> index, entry i = index i+1 */
    size_t *df;       /* per map entry: documents containing the term */
    size_t *last_doc; /* fitting, per map entry: the last document that counted it */
    size_t arrays_cap;
    size_t documents;
    double *idf; /* finished, per term */
    double tf[TF_TABLE]; /* finished: the tf weight of counts below TF_TABLE, worked out once */
    /* finished: the stems that can be part of a feature, by code (stance_vocab_stem_code) */
    stance_strmap parts;   /* stem -> code, the entry index */
    int *part_feature;     /* per code: the stem's own feature index, 0 when it is none */
    pair_slot *pairs;      /* bigram features by the codes of their stems: open addressing */
    size_t pair_mask;      /* slots - 1 */
    int pair_shift;        /* 32 - log2(slots): a slot is its hash's top bits */
    stance_ukey pair_key;  /* of their hash, random: a vocabulary file could hold bigrams
                            * chosen to share a slot otherwise (strmap_int.h) */
};

void stance_vocab_options_default(stance_vocab_options *opt)
{
    opt->bigrams = 1;
    opt->min_df = 2;
    opt->sublinear_tf = 1;
    opt->idf = 1;
    opt->l2 = 1;
}

stance_status stance_vocab_new(const stance_vocab_options *opt, stance_vocab **out,
                               stance_error *err)
{
    *out = NULL;
    if (opt->min_df < 1)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "min_df must be at least 1, not %ld",
                           opt->min_df);
    stance_vocab *vocab = calloc(1, sizeof *vocab);
    if (!vocab)
        return stance_fail_nomem(err, NULL);
    vocab->opt.bigrams = opt->bigrams != 0;
    vocab->opt.min_df = opt->min_df;
    vocab->opt.sublinear_tf = opt->sublinear_tf != 0;
    vocab->opt.idf = opt->idf != 0;
    vocab->opt.l2 = opt->l2 != 0;
    stance_strmap_init(&vocab->map);
    stance_strmap_init(&vocab->parts);
    stance_ukey_init(&vocab->pair_key);
    *out = vocab;
    return STANCE_OK;
}

void stance_vocab_free(stance_vocab *vocab)
{
    if (!vocab)
        return;
    stance_strmap_clear(&vocab->map);
    free(vocab->df);
    free(vocab->last_doc);
    free(vocab->idf);
    stance_strmap_clear(&vocab->parts);
    free(vocab->part_feature);
    free(vocab->pairs);
    free(vocab);
}

size_t stance_vocab_get_size(const stance_vocab *vocab)
{
    return vocab->finished ? vocab->map.count : 0;
}

const char *stance_vocab_term(const stance_vocab *vocab, int index)
{
    if (!vocab->finished || index < 1 || (size_t)index > vocab->map.count)
        return NULL;
    return stance_strmap_key(&vocab->map, (size_t)index - 1);
}

const char *stance_vocab_get_term(const stance_vocab *vocab, int index)
{
    return stance_vocab_term(vocab, index);
}

void stance_vocab_get_options(const stance_vocab *vocab, stance_vocab_options *opt)
{
    *opt = vocab->opt;
}

size_t stance_vocab_get_documents(const stance_vocab *vocab)
{
    return vocab->finished ? vocab->documents : 0;
}

/* A stem must be non-empty and free of spaces (the bigram joiner) and NUL bytes. */
static stance_status check_stems(const char *const *stems, const size_t *lens, size_t n,
                                 const char *where, long line, stance_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (lens[i] == 0)
            return stance_fail(err, STANCE_ERR_DATA, where, line, "stem %zu is empty", i + 1);
        if (memchr(stems[i], ' ', lens[i]) || memchr(stems[i], '\0', lens[i]))
            return stance_fail(err, STANCE_ERR_DATA, where, line,
                               "stem %zu contains a space or a NUL byte", i + 1);
    }
    return STANCE_OK;
}

/* Scratch for building "a b": a stack buffer, or the heap for long stems. */
typedef struct {
    char small[128];
    char *heap;
    size_t heap_cap;
} bigram_buf;

/* Points *out at stems a and b joined by one space; 0 on no memory. */
static int bigram(bigram_buf *b, const char *s1, size_t n1, const char *s2, size_t n2,
                  const char **out, size_t *len)
{
    size_t n = n1 + 1 + n2;
    char *p = b->small;
    if (n > sizeof b->small) {
        if (!(p = stance_grow(b->heap, &b->heap_cap, 0, n, 1)))
            return 0;
        b->heap = p;
    }
    memcpy(p, s1, n1);
    p[n1] = ' ';
    memcpy(p + n1 + 1, s2, n2);
    *out = p;
    *len = n;
    return 1;
}

/* Counts term once for the current document. */
static int count_term(stance_vocab *vocab, const char *s, size_t len)
{
    long id = stance_strmap_put(&vocab->map, s, len, 0);
    if (id < 0)
        return 0;
    size_t old = vocab->arrays_cap, cap = old, last_cap = old; /* df and last_doc share it */
    size_t *df = stance_grow(vocab->df, &cap, (size_t)id, 1, sizeof *df);
    if (!df)
        return 0;
    vocab->df = df;
    size_t *last = stance_grow(vocab->last_doc, &last_cap, (size_t)id, 1, sizeof *last);
    if (!last)
        return 0;
    vocab->last_doc = last;
    if (cap > old) { /* new terms start at 0 */
        memset(df + old, 0, (cap - old) * sizeof *df);
        memset(last + old, 0, (cap - old) * sizeof *last);
        vocab->arrays_cap = cap;
    }
    if (vocab->last_doc[id] != vocab->documents) { /* documents is this document's 1-based id */
        vocab->last_doc[id] = vocab->documents;
        vocab->df[id]++;
    }
    return 1;
}

stance_status stance_vocab_add(stance_vocab *vocab, const char *const *stems,
                               const size_t *lens, size_t n, const char *where, long line,
                               stance_error *err)
{
    if (vocab->finished || vocab->broken)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           vocab->broken ? "vocabulary is unusable after a failed call"
                                         : "vocabulary is already finished");
    stance_status status = check_stems(stems, lens, n, where, line, err);
    if (status != STANCE_OK)
        return status;
    vocab->documents++;
    bigram_buf b = {.heap = NULL, .heap_cap = 0};
    int ok = 1;
    for (size_t i = 0; ok && i < n; i++) {
        ok = count_term(vocab, stems[i], lens[i]);
        if (ok && vocab->opt.bigrams && i + 1 < n) {
            const char *s;
            size_t len;
            ok = bigram(&b, stems[i], lens[i], stems[i + 1], lens[i + 1], &s, &len) &&
                 count_term(vocab, s, len);
        }
    }
    free(b.heap);
    if (!ok) {
        vocab->broken = 1;
        return stance_fail_nomem(err, NULL);
    }
    return STANCE_OK;
}

typedef struct {
    const char *text;
    size_t len;
    size_t df;
} term_ref;

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return (alen > blen) - (alen < blen);
}

static int cmp_term_ref(const void *pa, const void *pb)
{
    const term_ref *a = pa, *b = pb;
    return cmp_bytes(a->text, a->len, b->text, b->len);
}

static double idf_of(size_t documents, size_t df)
{
    return log((1.0 + (double)documents) / (1.0 + (double)df)) + 1.0;
}

static uint64_t pair_key(long a, long b)
{
    return (uint64_t)(a + 1) << 32 | (uint32_t)(b + 1);
}

static size_t pair_index(const stance_vocab *vocab, uint64_t key)
{
    /* the top bits: multiply-shift hashing is universal in its high bits, not its low ones */
    return stance_uhash_pair(&vocab->pair_key, (uint32_t)(key >> 32), (uint32_t)key) >>
           vocab->pair_shift;
}

/* The feature index of the bigram of the stems coded a and b, whose slot is at (pair_index),
 * 0 if it is not a feature. */
static int pair_find(const stance_vocab *vocab, long a, long b, size_t at)
{
    uint64_t key = pair_key(a, b);
    for (size_t s = at;; s = (s + 1) & vocab->pair_mask) {
        if (vocab->pairs[s].key == key)
            return vocab->pairs[s].feature;
        if (vocab->pairs[s].key == 0)
            return 0;
    }
}

/* Codes the stems of the finished vocabulary's features: a unigram "a" is one stem, a bigram
 * "a b" (one space, stems on both sides) a pair of them. Other texts, which no stems could
 * form, get no code. 0 on no memory. */
static int install_parts(stance_vocab *vocab)
{
    size_t n = vocab->map.count, npairs = 0;
    for (size_t i = 0; i < n; i++)
        npairs += memchr(stance_strmap_key(&vocab->map, i), ' ', vocab->map.entries[i].len) != NULL;
    size_t slots = 2;
    int bits = 1;
    while (slots < 2 * npairs)
        slots *= 2, bits++;
    vocab->part_feature = calloc(n + 2 * npairs + 1, sizeof *vocab->part_feature);
    vocab->pairs = calloc(slots, sizeof *vocab->pairs);
    if (!vocab->part_feature || !vocab->pairs)
        return 0;
    vocab->pair_mask = slots - 1;
    vocab->pair_shift = 32 - bits;
    for (size_t i = 0; i < n; i++) {
        const char *t = stance_strmap_key(&vocab->map, i);
        size_t len = vocab->map.entries[i].len;
        const char *sp = memchr(t, ' ', len);
        if (!sp) {
            long code = stance_strmap_put(&vocab->parts, t, len, 0);
            if (code < 0)
                return 0;
            vocab->part_feature[code] = (int)i + 1;
            continue;
        }
        size_t left = (size_t)(sp - t), right = len - left - 1;
        if (left == 0 || right == 0 || memchr(sp + 1, ' ', right))
            continue;
        long a = stance_strmap_put(&vocab->parts, t, left, 0);
        long b = a < 0 ? -1 : stance_strmap_put(&vocab->parts, sp + 1, right, 0);
        if (b < 0)
            return 0;
        uint64_t key = pair_key(a, b);
        size_t s = pair_index(vocab, key);
        while (vocab->pairs[s].key) /* terms are unique, so their pairs are */
            s = (s + 1) & vocab->pair_mask;
        vocab->pairs[s].key = key;
        vocab->pairs[s].feature = (int)i + 1;
    }
    return 1;
}

/* Makes vocab finished over terms (sorted, unique): a fresh map numbering them, df, idf. */
static int install_terms(stance_vocab *vocab, const term_ref *terms, size_t n)
{
    stance_strmap map;
    stance_strmap_init(&map);
    size_t *df = malloc((n ? n : 1) * sizeof *df);
    double *idf = malloc((n ? n : 1) * sizeof *idf);
    int ok = df && idf;
    for (size_t i = 0; ok && i < n; i++) {
        ok = stance_strmap_put(&map, terms[i].text, terms[i].len, i + 1) == (long)i;
        df[i] = terms[i].df;
        idf[i] = idf_of(vocab->documents, terms[i].df);
    }
    if (!ok) {
        stance_strmap_clear(&map);
        free(df);
        free(idf);
        return 0;
    }
    stance_strmap_clear(&vocab->map);
    vocab->map = map;
    free(vocab->df);
    free(vocab->last_doc);
    free(vocab->idf);
    vocab->df = df;
    vocab->last_doc = NULL;
    vocab->arrays_cap = 0;
    vocab->idf = idf;
    vocab->finished = 1;
    for (int k = 1; k < TF_TABLE; k++) /* the same expression as for larger counts */
        vocab->tf[k] = vocab->opt.sublinear_tf ? 1.0 + log((double)k) : (double)k;
    return install_parts(vocab);
}

stance_status stance_vocab_finish(stance_vocab *vocab, stance_error *err)
{
    if (vocab->finished || vocab->broken)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           vocab->broken ? "vocabulary is unusable after a failed call"
                                         : "vocabulary is already finished");
    size_t n = 0;
    for (size_t i = 0; i < vocab->map.count; i++)
        n += vocab->df[i] >= (size_t)vocab->opt.min_df;
    if (n >= INT_MAX) /* liblinear numbers a bias feature after the last */
        return stance_fail(err, STANCE_ERR_DATA, NULL, 0,
                           "%zu features are more than a libsvm index can number", n);
    term_ref *terms = malloc((n ? n : 1) * sizeof *terms);
    if (!terms)
        return stance_fail_nomem(err, NULL);
    n = 0;
    for (size_t i = 0; i < vocab->map.count; i++)
        if (vocab->df[i] >= (size_t)vocab->opt.min_df)
            terms[n++] = (term_ref){stance_strmap_key(&vocab->map, i), vocab->map.entries[i].len,
                                    vocab->df[i]};
    qsort(terms, n, sizeof *terms, cmp_term_ref);
    int ok = install_terms(vocab, terms, n);
    free(terms);
    return ok ? STANCE_OK : stance_fail_nomem(err, NULL);
}

stance_status stance_vocab_fit(stance_vocab *vocab, size_t n, stance_vocab_doc_fn doc, void *ctx,
                               stance_error *err)
{
    stance_status status = STANCE_OK;
    for (size_t i = 0; status == STANCE_OK && i < n; i++) {
        stance_vocab_doc d;
        status = doc(ctx, i, &d, err);
        if (status == STANCE_OK)
            status = stance_vocab_add(vocab, d.stems, d.lens, d.n, d.where, d.line, err);
    }
    return status == STANCE_OK ? stance_vocab_finish(vocab, err) : status;
}

long stance_vocab_stem_code(const stance_vocab *vocab, const char *stem, size_t len)
{
    return vocab->finished ? stance_strmap_find(&vocab->parts, stem, len) : -1;
}

/* Sorts n feature indices (1 .. max) into order: insertion sort for a few, else a least
 * significant digit radix sort, a byte at a time between a and tmp (n slots), with no
 * comparisons to mispredict and no input that makes it slow. Returns the buffer holding the
 * result (a or tmp). */
static int *sort_indices(int *a, int *tmp, size_t n, int max)
{
    if (n <= 32) {
        for (size_t i = 1; i < n; i++) {
            int x = a[i];
            size_t k = i;
            for (; k > 0 && a[k - 1] > x; k--)
                a[k] = a[k - 1];
            a[k] = x;
        }
        return a;
    }
    for (int shift = 0; shift < 31 && (max >> shift) > 0; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((unsigned)a[i] >> shift & 255) + 1]++;
        for (size_t b = 1; b < 257; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[(unsigned)a[i] >> shift & 255]++] = a[i];
        int *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

/* Turns n feature occurrences (idx, sorted) into v: (index, count) weighted as vocab.h says. */
static stance_status weigh(const stance_vocab *vocab, const int *idx, size_t n, stance_vector *v,
                           stance_error *err)
{
    stance_status status = STANCE_OK;
    for (size_t i = 0; status == STANCE_OK && i < n; i++) {
        if (v->count > 0 && v->items[v->count - 1].index == idx[i])
            v->items[v->count - 1].value += 1.0;
        else
            status = stance_vector_push(v, idx[i], 1.0, err);
    }
    if (status != STANCE_OK) {
        v->count = 0;
        return status;
    }
    double norm = 0;
    size_t m = v->count;
    for (size_t i = 0; i < m; i++) {
        stance_feature *f = &v->items[i];
        double w = f->value < TF_TABLE ? vocab->tf[(int)f->value]
                   : vocab->opt.sublinear_tf ? 1.0 + log(f->value) : f->value;
        if (vocab->opt.idf)
            w *= vocab->idf[f->index - 1];
        f->value = w;
        norm += w * w;
    }
    if (vocab->opt.l2 && norm > 0) {
        norm = sqrt(norm);
        for (size_t i = 0; i < m; i++)
            v->items[i].value /= norm;
    }
    return STANCE_OK;
}

stance_status stance_vocab_vectorize_codes(const stance_vocab *vocab, const long *codes,
                                           size_t n, stance_vector *v, stance_error *err)
{
    v->count = 0;
    if (!vocab->finished)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "vocabulary is not finished");
    size_t nparts = vocab->parts.count;
    for (size_t i = 0; i < n; i++)
        if (codes[i] < -1 || (codes[i] >= 0 && (size_t)codes[i] >= nparts))
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "stem code %ld is not this "
                               "vocabulary's", codes[i]);
    int bigrams = vocab->opt.bigrams && nparts > 0;
    size_t most = bigrams && n > 0 ? 2 * n - 1 : n; /* occurrences at most */
    int small[2 * 512], *idx = most <= 512 ? small : malloc(2 * most * sizeof *idx);
    if (!idx)
        return stance_fail_nomem(err, NULL);
    size_t k = 0, ahead[PAIR_AHEAD]; /* the slots of later pairs, by i % PAIR_AHEAD */
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        if (bigrams && i + 1 < n) {
            at = i >= PAIR_AHEAD ? ahead[i % PAIR_AHEAD]
                                 : pair_index(vocab, pair_key(codes[i], codes[i + 1]));
            if (i + PAIR_AHEAD + 1 < n) { /* the table is big: fetch a later pair's slot now */
                size_t j = i + PAIR_AHEAD;
                ahead[i % PAIR_AHEAD] = pair_index(vocab, pair_key(codes[j], codes[j + 1]));
                STANCE_PREFETCH(&vocab->pairs[ahead[i % PAIR_AHEAD]]);
            }
        }
        if (codes[i] < 0)
            continue;
        int f = vocab->part_feature[codes[i]];
        if (f)
            idx[k++] = f;
        if (bigrams && i + 1 < n && codes[i + 1] >= 0 &&
            (f = pair_find(vocab, codes[i], codes[i + 1], at)) != 0)
            idx[k++] = f;
    }
    const int *sorted = sort_indices(idx, idx + most, k, (int)vocab->map.count);
    stance_status status = weigh(vocab, sorted, k, v, err);
    if (idx != small)
        free(idx);
    return status;
}

stance_status stance_vocab_vectorize(const stance_vocab *vocab, const char *const *stems,
                                     const size_t *lens, size_t n, const char *where, long line,
                                     stance_vector *v, stance_error *err)
{
    v->count = 0;
    if (!vocab->finished)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "vocabulary is not finished");
    stance_status status = check_stems(stems, lens, n, where, line, err);
    if (status != STANCE_OK)
        return status;
    long small[128] = {0}, *codes = n <= 128 ? small : malloc(n * sizeof *codes);
    if (!codes)
        return stance_fail_nomem(err, NULL);
    for (size_t i = 0; i < n; i++)
        codes[i] = stance_strmap_find(&vocab->parts, stems[i], lens[i]);
    status = stance_vocab_vectorize_codes(vocab, codes, n, v, err);
    if (codes != small)
        free(codes);
    return status;
}

static json_t *options_json(const stance_vocab_options *opt)
{
    return json_pack("{s:b, s:I, s:b, s:b, s:b}", "bigrams", opt->bigrams, "min_df",
                     (json_int_t)opt->min_df, "sublinear_tf", opt->sublinear_tf, "idf", opt->idf,
                     "l2", opt->l2);
}

static json_t *term_json(const stance_vocab *vocab, size_t i)
{
    return json_pack("[s%, I]", stance_strmap_key(&vocab->map, i), vocab->map.entries[i].len,
                     (json_int_t)vocab->df[i]);
}

json_t *stance_vocab_to_json(const stance_vocab *vocab)
{
    if (!vocab->finished)
        return NULL;
    json_t *terms = json_array();
    for (size_t i = 0; terms && i < vocab->map.count; i++) {
        if (json_array_append_new(terms, term_json(vocab, i)) != 0) {
            json_decref(terms);
            terms = NULL;
        }
    }
    json_t *opt = options_json(&vocab->opt);
    if (!terms || !opt) {
        json_decref(terms);
        json_decref(opt);
        return NULL;
    }
    return json_pack("{s:s, s:i, s:o, s:I, s:o}", "format", VOCAB_FORMAT, "version",
                     VOCAB_VERSION, "options", opt, "documents", (json_int_t)vocab->documents,
                     "terms", terms);
}

/* Gets a boolean option; "options.NAME is not true or false" otherwise. */
static stance_status get_bool(const json_t *opts, const char *name, const char *where, int *out,
                              stance_error *err)
{
    json_t *v = json_object_get(opts, name);
    if (!json_is_boolean(v))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "options.%s is %s, not true or false",
                           name, v ? "of another type" : "missing");
    *out = json_is_true(v);
    return STANCE_OK;
}

static stance_status get_options(const json_t *json, const char *where, stance_vocab_options *opt,
                                 stance_error *err)
{
    json_t *opts = json_object_get(json, "options");
    if (!json_is_object(opts))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "\"options\" is %s, not an object",
                           opts ? "of another type" : "missing");
    stance_status status = get_bool(opts, "bigrams", where, &opt->bigrams, err);
    if (status == STANCE_OK)
        status = get_bool(opts, "sublinear_tf", where, &opt->sublinear_tf, err);
    if (status == STANCE_OK)
        status = get_bool(opts, "idf", where, &opt->idf, err);
    if (status == STANCE_OK)
        status = get_bool(opts, "l2", where, &opt->l2, err);
    if (status != STANCE_OK)
        return status;
    json_t *min_df = json_object_get(opts, "min_df");
    if (!json_is_integer(min_df) || json_integer_value(min_df) < 1 ||
        json_integer_value(min_df) > LONG_MAX)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "options.min_df is %s, not an integer of at least 1",
                           min_df ? "of another type or out of range" : "missing");
    opt->min_df = (long)json_integer_value(min_df);
    return STANCE_OK;
}

/* Checks the header fields: format, version, documents. */
static stance_status check_header(const json_t *json, const char *where, size_t *documents,
                                  stance_error *err)
{
    if (!json_is_object(json))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "a vocabulary file holds a JSON object");
    json_t *format = json_object_get(json, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), VOCAB_FORMAT) != 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "not a vocabulary file (\"format\" is not \"" VOCAB_FORMAT "\")");
    json_t *version = json_object_get(json, "version");
    if (!json_is_integer(version))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "\"version\" is not an integer");
    if (json_integer_value(version) != VOCAB_VERSION)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "unsupported version %" JSON_INTEGER_FORMAT " (this program reads %d)",
                           json_integer_value(version), VOCAB_VERSION);
    json_t *docs = json_object_get(json, "documents");
    if (!json_is_integer(docs) || json_integer_value(docs) < 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "\"documents\" is not a non-negative integer");
    *documents = (size_t)json_integer_value(docs);
    return STANCE_OK;
}

/* Checks term i ([text, df]) and fills *t; prev is term i-1 (NULL for the first). */
static stance_status check_term(const json_t *pair, size_t i, const term_ref *prev,
                                size_t documents, const char *where, term_ref *t,
                                stance_error *err)
{
    json_t *text = json_array_get(pair, 0), *df = json_array_get(pair, 1);
    if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_string(text) ||
        !json_is_integer(df))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "term %zu is not a [text, df] pair",
                           i + 1);
    t->text = json_string_value(text);
    t->len = json_string_length(text);
    if (t->len == 0 || memchr(t->text, '\0', t->len))
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "term %zu is empty or contains a NUL byte", i + 1);
    json_int_t d = json_integer_value(df);
    if (d < 1 || (json_int_t)documents < d)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "term %zu (\"%s\") has df %" JSON_INTEGER_FORMAT
                           ", not between 1 and the %zu documents",
                           i + 1, t->text, d, documents);
    t->df = (size_t)d;
    if (prev && cmp_bytes(prev->text, prev->len, t->text, t->len) >= 0)
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "term %zu (\"%s\") does not follow \"%s\" in byte order "
                           "(terms must be sorted and unique)",
                           i + 1, t->text, prev->text);
    return STANCE_OK;
}

stance_status stance_vocab_from_json(const json_t *json, const char *where, stance_vocab **out,
                                     stance_error *err)
{
    *out = NULL;
    size_t documents = 0;
    stance_vocab_options opt;
    stance_status status = check_header(json, where, &documents, err);
    if (status == STANCE_OK)
        status = get_options(json, where, &opt, err);
    if (status != STANCE_OK)
        return status;
    json_t *arr = json_object_get(json, "terms");
    if (!json_is_array(arr))
        return stance_fail(err, STANCE_ERR_DATA, where, 0, "\"terms\" is %s, not an array",
                           arr ? "of another type" : "missing");
    size_t n = json_array_size(arr);
    if (n >= INT_MAX) /* liblinear numbers a bias feature after the last */
        return stance_fail(err, STANCE_ERR_DATA, where, 0,
                           "%zu terms are more than a libsvm index can number", n);
    term_ref *terms = malloc((n ? n : 1) * sizeof *terms);
    if (!terms)
        return stance_fail_nomem(err, where);
    for (size_t i = 0; status == STANCE_OK && i < n; i++)
        status = check_term(json_array_get(arr, i), i, i ? &terms[i - 1] : NULL, documents,
                            where, &terms[i], err);
    stance_vocab *vocab = NULL;
    if (status == STANCE_OK)
        status = stance_vocab_new(&opt, &vocab, err);
    if (status == STANCE_OK) {
        vocab->documents = documents;
        if (!install_terms(vocab, terms, n))
            status = stance_fail_nomem(err, where);
    }
    free(terms);
    if (status != STANCE_OK) {
        stance_vocab_free(vocab);
        return status;
    }
    *out = vocab;
    return STANCE_OK;
}

/* Writes the file body: header fields on the first lines, then one term per line. */
static int write_vocab(FILE *f, const stance_vocab *vocab)
{
    json_t *opt = options_json(&vocab->opt);
    if (!opt)
        return 0;
    int ok = fprintf(f, "{\"format\":\"%s\",\"version\":%d,\n\"options\":", VOCAB_FORMAT,
                     VOCAB_VERSION) >= 0 &&
             json_dumpf(opt, f, JSON_COMPACT) == 0 &&
             fprintf(f, ",\n\"documents\":%zu,\n\"terms\":[", vocab->documents) >= 0;
    json_decref(opt);
    for (size_t i = 0; ok && i < vocab->map.count; i++) {
        json_t *t = term_json(vocab, i);
        ok = t && fputs(i ? ",\n" : "\n", f) != EOF && json_dumpf(t, f, JSON_COMPACT) == 0;
        json_decref(t);
    }
    return ok && fputs("\n]}\n", f) != EOF;
}

/* 1 if the len bytes at p begin as a vocabulary file does: {"format": "stance-vocab" (with
 * any white space between). */
static int looks_like_vocab(const char *p, size_t len)
{
    static const char *const parts[] = {"{", "\"format\"", ":", "\"" VOCAB_FORMAT "\""};
    const char *end = p + len;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        size_t n = strlen(parts[i]);
        if ((size_t)(end - p) < n || memcmp(p, parts[i], n) != 0)
            return 0;
        p += n;
    }
    return 1;
}

/* 1 if the file open on fd is empty or begins as a vocabulary file does. */
static int vocab_or_empty(int fd)
{
    char buf[256];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    return n == 0 || (n > 0 && looks_like_vocab(buf, (size_t)n));
}

static const stance_outfile_kind vocab_file = {"vocabulary", vocab_or_empty};

stance_status stance_vocab_check_target(const char *path, stance_error *err)
{
    return stance_outfile_check(path, &vocab_file, err);
}

/* stance_outfile_write_fn for a vocabulary (ctx): a failed write reported with its errno, a
 * JSON value that could not be made as no memory. */
static stance_status write_vocab_file(FILE *f, void *ctx, const char *path, stance_error *err)
{
    errno = 0;
    if (write_vocab(f, ctx))
        return STANCE_OK;
    return errno == 0 || errno == ENOMEM ? stance_fail_nomem(err, path)
                                         : stance_fail_errno(err, errno, path, "cannot write");
}

stance_status stance_vocab_save(const stance_vocab *vocab, const char *path, stance_error *err)
{
    if (!vocab->finished)
        return stance_fail(err, STANCE_ERR_USAGE, path, 0, "vocabulary is not finished");
    return stance_outfile_save(path, &vocab_file, write_vocab_file, (void *)vocab, err);
}

stance_status stance_vocab_remove_stale(const char *path, const struct timespec *since,
                                        stance_removed_fn removed, void *ctx, stance_error *err)
{
    return stance_outfile_remove_stale(path, &vocab_file, since, removed, ctx, err);
}

stance_status stance_vocab_load(const char *path, stance_vocab **out, stance_error *err)
{
    *out = NULL;
    json_t *json;
    stance_status status = stance_json_load_file(path, &json, err);
    if (status != STANCE_OK)
        return status;
    status = stance_vocab_from_json(json, path, out, err);
    json_decref(json);
    return status;
}
