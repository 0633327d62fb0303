/* vocab.c: fitting the stem unigram/bigram vocabulary, TF-IDF vectors, and the vocabulary file. */
#include "stance/vocab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "outpath_int.h"
#include "prefetch_int.h"
#include "sha256_int.h"
#include "strmap_int.h"
#include "vector_int.h"
#include "vocab_int.h"
#include "vocabfile_int.h"
#include "weightfile_int.h"

#define VOCAB_FORMAT "stance-vocab"
#define VOCAB_VERSION 1
#define TF_TABLE 32
#define PAIR_AHEAD 8 /* stems between fetching a bigram's slot and looking it up */

struct stance_vocab {
    stance_vocab_options opt;
    int finished;     /* fitting ended (or loaded): read-only from here on */
    int broken;       /* a fitting call failed partway; only free is valid */
    stance_strmap map; /* fitting: term -> unused; finished: term -> index, entry i = index i+1 */
    size_t *df;       /* per map entry: documents containing the term */
    size_t *last_doc; /* fitting, per map entry: the last document that counted it */
    size_t arrays_cap;
    size_t documents;
    double tf[TF_TABLE]; /* finished: the tf weight of counts below TF_TABLE, worked out once */
    /* finished: terms, df, idf, the stems that can be part of a feature by code
     * (stance_vocab_stem_code) and the bigrams by the codes of their stems, in one image
     * (vocabfile_int.h): image, built here, or a bundle's vocab.bin mapped at mapped */
    stance_vocabfile vf;
    unsigned char *image;
    void *mapped;
    size_t map_len;
    char *path;            /* the mapped file, for messages */
    atomic_size_t damage;  /* 1 + the byte of the first damaged entry a stem look-up met */
    unsigned char *second; /* NULL, or per feature: 1 if normalised in the second block */
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
    atomic_init(&vocab->damage, 0);
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
    free(vocab->image);
    if (vocab->mapped)
        munmap(vocab->mapped, vocab->map_len);
    free(vocab->path);
    free(vocab->second);
    free(vocab);
}

stance_status stance_vocab_set_blocks(stance_vocab *vocab, int (*second)(const char *term),
                                      stance_error *err)
{
    free(vocab->second);
    vocab->second = NULL;
    size_t n = stance_vocab_get_size(vocab);
    if (!second)
        return STANCE_OK;
    if (!(vocab->second = malloc(n ? n : 1)))
        return stance_fail_nomem(err, NULL);
    for (size_t j = 0; j < n; j++)
        vocab->second[j] = second(stance_vocab_term(vocab, (int)j + 1)) != 0;
    return STANCE_OK;
}

size_t stance_vocab_get_size(const stance_vocab *vocab)
{
    return vocab->finished ? vocab->vf.terms : 0;
}

const char *stance_vocab_term(const stance_vocab *vocab, int index)
{
    if (!vocab->finished || index < 1 || (size_t)index > vocab->vf.terms)
        return NULL;
    size_t len;
    const char *t = stance_vocabfile_term(&vocab->vf, (size_t)index - 1, &len);
    return t ? t : "(damaged term)"; /* stance_vocab_verify says where */
}

size_t stance_vocab_get_df(const stance_vocab *vocab, int index)
{
    if (!vocab->finished || index < 1 || (size_t)index > vocab->vf.terms)
        return 0;
    return (size_t)stance_vocabfile_df(&vocab->vf, (size_t)index - 1);
}

double stance_vocab_get_idf(const stance_vocab *vocab, int index)
{
    if (!vocab->finished || index < 1 || (size_t)index > vocab->vf.terms)
        return 0;
    return stance_vocabfile_idf(&vocab->vf, (size_t)index - 1);
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

/* Whether two neighbouring stems make a bigram: both plain, or both copies of one scope
 * (analyze_int.h: "a:x a:y"), neither an indicator ("a:#both"). A plain stem next to a copy,
 * copies of two scopes and an indicator are where one block of the stem list ends and the next
 * begins, not words next to each other. */
static int pairable(const char *s1, size_t n1, const char *s2, size_t n2)
{
    const char *c1 = memchr(s1, ':', n1), *c2 = memchr(s2, ':', n2);
    if (!c1 || !c2)
        return !c1 && !c2;
    size_t p1 = (size_t)(c1 - s1), p2 = (size_t)(c2 - s2);
    return p1 == p2 && memcmp(s1, s2, p1) == 0 && !memchr(s1, '#', n1) && !memchr(s2, '#', n2);
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
        if (ok && vocab->opt.bigrams && i + 1 < n &&
            pairable(stems[i], lens[i], stems[i + 1], lens[i + 1])) {
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

typedef stance_vocabfile_entry term_ref;

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

static unsigned options_bits(const stance_vocab_options *opt)
{
    return (opt->bigrams ? STANCE_VOCABFILE_BIGRAMS : 0) |
           (opt->sublinear_tf ? STANCE_VOCABFILE_SUBLINEAR_TF : 0) |
           (opt->idf ? STANCE_VOCABFILE_IDF : 0) | (opt->l2 ? STANCE_VOCABFILE_L2 : 0);
}

/* Makes vocab finished over its image (checked): the options, the tf table. */
static void finish_on_image(stance_vocab *vocab)
{
    unsigned o = vocab->vf.options;
    vocab->opt.bigrams = (o & STANCE_VOCABFILE_BIGRAMS) != 0;
    vocab->opt.sublinear_tf = (o & STANCE_VOCABFILE_SUBLINEAR_TF) != 0;
    vocab->opt.idf = (o & STANCE_VOCABFILE_IDF) != 0;
    vocab->opt.l2 = (o & STANCE_VOCABFILE_L2) != 0;
    vocab->opt.min_df = (long)vocab->vf.min_df;
    vocab->documents = (size_t)vocab->vf.documents;
    vocab->finished = 1;
    for (int k = 1; k < TF_TABLE; k++) /* the same expression as for larger counts */
        vocab->tf[k] = vocab->opt.sublinear_tf ? 1.0 + log((double)k) : (double)k;
}

/* Makes vocab finished over terms (sorted, unique): its image, built. The fitting state goes. */
static stance_status install_terms(stance_vocab *vocab, const term_ref *terms, size_t n,
                                   stance_error *err)
{
    unsigned char *image;
    size_t len;
    stance_status st = stance_vocabfile_build(terms, n, vocab->documents,
                                              (uint64_t)vocab->opt.min_df,
                                              options_bits(&vocab->opt), &image, &len, err);
    if (st == STANCE_OK)
        st = stance_vocabfile_open(image, len, "vocabulary", &vocab->vf, err);
    if (st != STANCE_OK) {
        free(image);
        return st;
    }
    vocab->image = image;
    stance_strmap_clear(&vocab->map);
    free(vocab->df);
    free(vocab->last_doc);
    vocab->df = vocab->last_doc = NULL;
    vocab->arrays_cap = 0;
    finish_on_image(vocab);
    return STANCE_OK;
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
    stance_status st = install_terms(vocab, terms, n, err);
    free(terms);
    return st;
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
    if (!vocab->finished)
        return -1;
    size_t at = 0;
    long code = stance_vocabfile_stem(&vocab->vf, stem, len, &at);
    if (code == -2) { /* told by the next vectorizing call; the first one found is kept */
        size_t none = 0;
        atomic_compare_exchange_strong(&((stance_vocab *)vocab)->damage, &none, at + 1);
        return -1;
    }
    return code;
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
    double norm[2] = {0, 0}; /* of the first block (all features, without blocks) and the second */
    size_t m = v->count;
    for (size_t i = 0; i < m; i++) {
        stance_feature *f = &v->items[i];
        double w = f->value < TF_TABLE ? vocab->tf[(int)f->value]
                   : vocab->opt.sublinear_tf ? 1.0 + log(f->value) : f->value;
        if (vocab->opt.idf)
            w *= stance_vocabfile_idf(&vocab->vf, (size_t)f->index - 1);
        f->value = w;
        norm[vocab->second && vocab->second[f->index - 1]] += w * w;
    }
    for (int b = 0; b < 2; b++)
        norm[b] = sqrt(norm[b]);
    for (size_t i = 0; vocab->opt.l2 && i < m; i++) {
        double by = norm[vocab->second && vocab->second[v->items[i].index - 1]];
        if (by > 0)
            v->items[i].value /= by;
    }
    return STANCE_OK;
}

/* STANCE_ERR_DATA for a damaged entry of a mapped vocab.bin at byte at. */
static stance_status damaged(const stance_vocab *vocab, size_t at, stance_error *err)
{
    return stance_fail(err, STANCE_ERR_DATA, vocab->path ? vocab->path : "vocabulary", 0,
                       "byte %zu: damaged (stance-info --verify checks the whole file)", at);
}

/* The feature occurrences of the document coded codes (checked) into idx; their number, or -1
 * with *at the byte of a damaged entry. cut, if not NULL, says per stem i that it makes no
 * bigram with stem i + 1. */
static long gather_features(const stance_vocab *vocab, const long *codes,
                            const unsigned char *cut, size_t n, int *idx, size_t *at_damage)
{
    const stance_vocabfile *vf = &vocab->vf;
    int bigrams = vocab->opt.bigrams && vf->parts > 0;
    size_t k = 0, ahead[PAIR_AHEAD]; /* the slots of later pairs, by i % PAIR_AHEAD */
    for (size_t i = 0; i < n; i++) {
        size_t at = 0;
        if (bigrams && i + 1 < n) {
            at = i >= PAIR_AHEAD ? ahead[i % PAIR_AHEAD]
                                 : stance_vocabfile_pair_home(vf, codes[i], codes[i + 1]);
            if (i + PAIR_AHEAD + 1 < n) { /* the table is big: fetch a later pair's slot now */
                size_t j = i + PAIR_AHEAD;
                ahead[i % PAIR_AHEAD] = stance_vocabfile_pair_home(vf, codes[j], codes[j + 1]);
                STANCE_PREFETCH(stance_vocabfile_pair_slot(vf, ahead[i % PAIR_AHEAD]));
            }
        }
        if (codes[i] < 0)
            continue;
        long f = stance_vocabfile_feature(vf, (size_t)codes[i]);
        if (f < 0) {
            *at_damage = (size_t)(vf->features - vf->base) + 4 * (size_t)codes[i];
            return -1;
        }
        if (f)
            idx[k++] = (int)f;
        if (bigrams && i + 1 < n && codes[i + 1] >= 0 && !(cut && cut[i]) &&
            (f = stance_vocabfile_pair(vf, codes[i], codes[i + 1], at)) != 0) {
            if (f < 0) {
                *at_damage = (size_t)(stance_vocabfile_pair_slot(vf, (size_t)(-1 - f)) - vf->base) + 8;
                return -1;
            }
            idx[k++] = (int)f;
        }
    }
    return (long)k;
}

/* stance_vocab_vectorize_codes, with cut as gather_features takes it. */
static stance_status vectorize_cut(const stance_vocab *vocab, const long *codes,
                                   const unsigned char *cut, size_t n, stance_vector *v,
                                   stance_error *err)
{
    v->count = 0;
    if (!vocab->finished)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "vocabulary is not finished");
    size_t seen = atomic_load_explicit(&((stance_vocab *)vocab)->damage, memory_order_relaxed);
    if (seen)
        return damaged(vocab, seen - 1, err);
    size_t nparts = vocab->vf.parts;
    for (size_t i = 0; i < n; i++)
        if (codes[i] < -1 || (codes[i] >= 0 && (size_t)codes[i] >= nparts))
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0, "stem code %ld is not this "
                               "vocabulary's", codes[i]);
    int bigrams = vocab->opt.bigrams && nparts > 0;
    size_t most = bigrams && n > 0 ? 2 * n - 1 : n; /* occurrences at most */
    int small[2 * 512], *idx = most <= 512 ? small : malloc(2 * most * sizeof *idx);
    if (!idx)
        return stance_fail_nomem(err, NULL);
    size_t at = 0;
    long k = gather_features(vocab, codes, cut, n, idx, &at);
    stance_status status;
    if (k < 0) {
        status = damaged(vocab, at, err);
    } else {
        const int *sorted = sort_indices(idx, idx + most, (size_t)k, (int)vocab->vf.terms);
        status = weigh(vocab, sorted, (size_t)k, v, err);
    }
    if (idx != small)
        free(idx);
    return status;
}

stance_status stance_vocab_vectorize_codes(const stance_vocab *vocab, const long *codes,
                                           size_t n, stance_vector *v, stance_error *err)
{
    return vectorize_cut(vocab, codes, NULL, n, v, err);
}

stance_status stance_vocab_vectorize_cut(const stance_vocab *vocab, const long *codes,
                                         const unsigned char *cut, size_t n, stance_vector *v,
                                         stance_error *err)
{
    return vectorize_cut(vocab, codes, cut, n, v, err);
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
    unsigned char small_cut[128], *cut = n <= 128 ? small_cut : malloc(n);
    if (!codes || !cut) {
        if (codes != small)
            free(codes);
        if (cut != small_cut)
            free(cut);
        return stance_fail_nomem(err, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        codes[i] = stance_vocab_stem_code(vocab, stems[i], lens[i]);
        cut[i] = i + 1 < n && !pairable(stems[i], lens[i], stems[i + 1], lens[i + 1]);
    }
    status = vectorize_cut(vocab, codes, cut, n, v, err);
    if (codes != small)
        free(codes);
    if (cut != small_cut)
        free(cut);
    return status;
}

static json_t *options_json(const stance_vocab_options *opt)
{
    return json_pack("{s:b, s:I, s:b, s:b, s:b}", "bigrams", opt->bigrams, "min_df",
                     (json_int_t)opt->min_df, "sublinear_tf", opt->sublinear_tf, "idf", opt->idf,
                     "l2", opt->l2);
}

/* Term i (0-based) as [text, df]; NULL for a damaged one or on no memory. */
static json_t *term_json(const stance_vocab *vocab, size_t i)
{
    size_t len;
    const char *t = stance_vocabfile_term(&vocab->vf, i, &len);
    return t ? json_pack("[s%, I]", t, len, (json_int_t)stance_vocabfile_df(&vocab->vf, i)) : NULL;
}

json_t *stance_vocab_to_json(const stance_vocab *vocab)
{
    if (!vocab->finished)
        return NULL;
    json_t *terms = json_array();
    for (size_t i = 0; terms && i < vocab->vf.terms; i++) {
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
        status = install_terms(vocab, terms, n, err);
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
    for (size_t i = 0; ok && i < vocab->vf.terms; i++) {
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

stance_status stance_vocab_map(int dirfd, const char *name, const char *path, size_t bytes,
                               stance_vocab **out, stance_error *err)
{
    *out = NULL;
    stance_vocab *vocab = calloc(1, sizeof *vocab);
    if (!vocab || !(vocab->path = strdup(path))) {
        free(vocab);
        return stance_fail_nomem(err, path);
    }
    stance_strmap_init(&vocab->map);
    atomic_init(&vocab->damage, 0);
    stance_status st = stance_weightfile_map_bytes(dirfd, name, path, bytes, &vocab->mapped, err);
    vocab->map_len = bytes;
    if (st == STANCE_OK)
        st = stance_vocabfile_open(vocab->mapped, vocab->mapped ? bytes : 0, path, &vocab->vf, err);
    if (st != STANCE_OK) {
        stance_vocab_free(vocab);
        return st;
    }
    finish_on_image(vocab);
    *out = vocab;
    return STANCE_OK;
}

stance_status stance_vocab_write_bin(const stance_vocab *vocab, const char *path, char sha[65],
                                     size_t *bytes, stance_error *err)
{
    if (!vocab->finished)
        return stance_fail(err, STANCE_ERR_USAGE, path, 0, "vocabulary is not finished");
    FILE *f = fopen(path, "wb");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot create");
    size_t n = fwrite(vocab->vf.base, 1, vocab->vf.len, f);
    int e = errno;
    if (fclose(f) != 0 && n == vocab->vf.len)
        n = 0, e = errno;
    if (n != vocab->vf.len)
        return stance_fail_errno(err, e ? e : EIO, path, "write failed");
    stance_sha256 h;
    stance_sha256_init(&h);
    stance_sha256_update(&h, vocab->vf.base, vocab->vf.len);
    stance_sha256_hex(&h, sha);
    *bytes = vocab->vf.len;
    return STANCE_OK;
}

stance_status stance_vocab_verify(const stance_vocab *vocab, const char *sha, stance_error *err)
{
    const char *path = vocab->path ? vocab->path : "vocabulary";
    if (sha) {
        char got[65];
        stance_sha256 h;
        stance_sha256_init(&h);
        stance_sha256_update(&h, vocab->vf.base, vocab->vf.len);
        stance_sha256_hex(&h, got);
        if (strcmp(got, sha) != 0)
            return stance_fail(err, STANCE_ERR_DATA, path, 0,
                               "checksum differs from the manifest's (file changed or damaged)");
    }
    return stance_vocabfile_check(&vocab->vf, path, err);
}
