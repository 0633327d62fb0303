/* tag.c: passages to labeled records with a model, written straight as JSON Lines text or as
 * CSV/TSV rows. */
#include "stance/tag.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_int.h"
#include "article_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "jsonw_int.h"
#include "model_int.h"
#include "prefetch_int.h"
#include "record_int.h"
#include "stance/explain.h"
#include "stance/tokenize.h"
#include "stance/vocab.h"
#include "stem_int.h"
#include "strmap_int.h"
#include "table_int.h"
#include "tag_int.h"
#include "threshold_int.h"
#include "utf8_int.h"
#include "vocab_int.h"

/* Values in the word cache: a stop word, a word whose stem no feature could use (empty, or
 * with a space: the analyzer's path reports it), else WORD_CODE + 1 + the stem's vocabulary code. */
enum { WORD_STOP, WORD_ODD, WORD_CODE };
/* A cached word's flag, with a lexicon of the parties: its stem is the first of a name of two
 * words. */
enum { WORD_PAIR_FIRST = 1 };
#define NOT_COPIED LONG_MIN /* a plain stem's copy code when its sentence names one side or none */
#define WORD_CACHE_MAX 500000 /* distinct words remembered; later new ones are looked up each time */
#define WORD_INLINE 15        /* longer words are not remembered, but stemmed each time */
#define TAG_FLUSH_BYTES (64 * 1024) /* records held before they go to a sink */

/* A word cache slot, 32 bytes with the word inline, so a look-up reads one cache line. */
typedef struct {
    uint32_t hash;  /* the word's stance_uhash_short */
    uint32_t value; /* WORD_* */
    uint32_t copy;  /* with a lexicon: the vocabulary code of "a:" + its stem, + 1 */
    uint16_t sides; /* with a lexicon: the sides (bits) its stem names, a stop word's too */
    unsigned char flags; /* WORD_PAIR_FIRST */
    unsigned char len; /* 0 for an empty slot (tokens are never empty) */
    char word[WORD_INLINE];
} word_slot;

struct stance_tagger {
    const stance_model *m;
    stance_tag_options opt;
    stance_analyzer *an;
    stance_stemmer *stemmer; /* the analyzer's */
    stance_tokens toks;
    word_slot *words;    /* token -> WORD_* value, stemming and vocabulary look-up in one: */
    size_t words_mask, nwords; /* open addressing, linear probing, at most 3/4 full */
    int words_shift;           /* 32 - log2(slots): a word's first slot is its hash's top bits */
    stance_ukey words_key;     /* of its hash, random (strmap_int.h says why) */
    long *codes;         /* a passage's stem codes */
    uint32_t *hashes;    /* and its tokens' hashes (0 for words too long for the cache) */
    size_t codes_cap, hashes_cap;
    int fast;            /* 1: label() goes word by word (no scopes but the actors') */
    const stance_actors *actors; /* the model's lexicon of the parties, or NULL */
    char **pair_firsts;  /* the first stems of its names of two words */
    size_t npair_firsts;
    long indicators[4];  /* the codes of "a:#both", "a:#apart", "a:#one", "a:#none" */
    long *copies;        /* per plain stem, its copy's code or NOT_COPIED */
    unsigned char *cut;  /* per code, 1 where a block ends (vocab_int.h) */
    size_t copies_cap, cut_cap;
    char *scratch;       /* "a:" + a stem, or a previous token's stem */
    size_t scratch_cap;
    stance_vector vec;
    double *probs;
    double *applies; /* per dimension, with full */
    signed char *present;
    int full; /* every value scored, thresholds moved (stance_model_predict_full) */
    stance_jsonw cell; /* a table cell being made */
    char *buf; /* the document unit's (and a roll-up's) text */
    size_t buf_cap;
    stance_jsonw_object rec; /* the record being made */
    stance_jsonw out;        /* the article's records */
    stance_explainer *ex;    /* with stance_tagger_set_explain */
    const stance_article *art; /* the article being tagged: spans become its source offsets */
    const char *path;          /* its file's path (stance_tagger_set_path), or NULL */
    size_t explain_k;
    size_t *pieces;          /* the document unit's text: per passage, its offset there, in */
    size_t npieces, pieces_cap; /* the article's text and its length (three numbers) */
    /* the roll-up of an article's passages (opt.rollup), per value: */
    size_t *carried;  /* how many passages carry it; then per dimension, how many carry none */
    double *sum;      /* the sum of its scores, over */
    size_t *scored;   /* this many passages (a single dimension's: those with a value) */
    double *applies_sum; /* per dimension, the sum of its applies probability, over */
    size_t *applies_n;   /* this many passages */
};

/* "a:" + s[0..n) in tg->scratch; NULL on no memory. */
static const char *copy_term(stance_tagger *tg, const char *s, size_t n)
{
    char *p = n < SIZE_MAX - 3 ? stance_grow(tg->scratch, &tg->scratch_cap, 0, n + 3, 1) : NULL;
    if (!p)
        return NULL;
    tg->scratch = p;
    memcpy(p, "a:", 2);
    memcpy(p + 2, s, n);
    p[n + 2] = '\0';
    return p;
}

/* Adds the first stem of the lexicon's name of two words stem (if new); 0 on no memory. */
static int add_pair_first(stance_tagger *tg, const char *stem)
{
    size_t n = strcspn(stem, " ");
    for (size_t i = 0; i < tg->npair_firsts; i++)
        if (strlen(tg->pair_firsts[i]) == n && memcmp(tg->pair_firsts[i], stem, n) == 0)
            return 1;
    char **p = realloc(tg->pair_firsts, (tg->npair_firsts + 1) * sizeof *p);
    if (!p)
        return 0;
    tg->pair_firsts = p;
    if (!(p[tg->npair_firsts] = malloc(n + 1)))
        return 0;
    memcpy(p[tg->npair_firsts], stem, n);
    p[tg->npair_firsts++][n] = '\0';
    return 1;
}

/* For the word-by-word path with a lexicon: the indicators' codes, and the first stems of its
 * names of two words (read from its JSON form, the only list of its entries). */
static stance_status actor_setup(stance_tagger *tg, stance_error *err)
{
    static const struct {
        int both;
        unsigned all;
    } kinds[4] = {{1, 3}, {0, 3}, {0, 1}, {0, 0}};
    const stance_vocab *vocab = stance_model_vocab(tg->m);
    for (size_t k = 0; k < 4; k++) {
        const char *t = stance_analyzer_actor_indicator(kinds[k].both, kinds[k].all);
        tg->indicators[k] = stance_vocab_stem_code(vocab, t, strlen(t));
    }
    if (!stance_actors_has_pairs(tg->actors))
        return STANCE_OK;
    json_t *sides = stance_actors_to_json(tg->actors);
    int ok = sides != NULL;
    size_t i, j;
    json_t *side, *stem;
    json_array_foreach(sides, i, side) {
        json_array_foreach(json_object_get(side, "stems"), j, stem) {
            const char *t = json_string_value(stem);
            if (ok && t && strchr(t, ' '))
                ok = add_pair_first(tg, t);
        }
    }
    json_decref(sides);
    return ok ? STANCE_OK : stance_fail_nomem(err, NULL);
}

stance_status stance_tagger_new(const stance_model *m, const stance_tag_options *opt,
                                stance_tagger **out, stance_error *err)
{
    *out = NULL;
    stance_tagger *tg = calloc(1, sizeof *tg);
    const stance_codebook *cb = stance_model_get_codebook(m);
    size_t nv = stance_codebook_get_value_count(cb);
    size_t nd = stance_codebook_get_dimension_count(cb);
    if (!tg || !(tg->probs = calloc(nv + 1, sizeof *tg->probs)) || !(tg->present = calloc(nv + 1, 1)) ||
        !(tg->applies = calloc(nd + 1, sizeof *tg->applies)) ||
        !(tg->carried = calloc(nv + nd + 1, sizeof *tg->carried)) ||
        !(tg->sum = calloc(nv + 1, sizeof *tg->sum)) ||
        !(tg->scored = calloc(nv + 1, sizeof *tg->scored)) ||
        !(tg->applies_sum = calloc(nd + 1, sizeof *tg->applies_sum)) ||
        !(tg->applies_n = calloc(nd + 1, sizeof *tg->applies_n))) {
        stance_tagger_free(tg);
        return stance_fail_nomem(err, NULL);
    }
    stance_ukey_init(&tg->words_key);
    tg->m = m;
    tg->opt = *opt;
    tg->full = opt->all_scores || opt->format != STANCE_TAG_JSONL || opt->rollup ||
               stance_thresholds_any(opt->thresholds);
    stance_jsonw_init(&tg->cell);
    if (opt->thresholds && opt->thresholds->cb != cb) {
        stance_tagger_free(tg);
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "the thresholds were made for another codebook than the model's");
    }
    stance_vector_init(&tg->vec);
    stance_tokens_init(&tg->toks);
    stance_jsonw_object_init(&tg->rec);
    stance_jsonw_init(&tg->out);
    stance_status st = stance_model_analyzer_new(m, &tg->an, err);
    if (st != STANCE_OK) {
        stance_tagger_free(tg);
        return st;
    }
    tg->stemmer = stance_analyzer_stemmer(tg->an);
    tg->fast = stance_analyzer_get_scopes(tg->an) == 0;
    tg->actors = stance_analyzer_get_actors(tg->an);
    if (tg->fast && tg->actors && (st = actor_setup(tg, err)) != STANCE_OK) {
        stance_tagger_free(tg);
        return st;
    }
    /* The word cache below asks the stemmer once per distinct word of up to WORD_INLINE
     * bytes; a second cache of the same words in the stemmer would only take memory. A model
     * with other scopes has every passage analyzed whole, which the stemmer's cache speeds. */
    if (tg->fast)
        stance_stemmer_set_cache_max(tg->stemmer, 0);
    *out = tg;
    return STANCE_OK;
}

void stance_tagger_free(stance_tagger *tg)
{
    if (!tg)
        return;
    stance_analyzer_free(tg->an);
    stance_tokens_clear(&tg->toks);
    free(tg->words);
    free(tg->codes);
    free(tg->hashes);
    for (size_t i = 0; i < tg->npair_firsts; i++)
        free(tg->pair_firsts[i]);
    free(tg->pair_firsts);
    free(tg->copies);
    free(tg->cut);
    free(tg->scratch);
    stance_vector_clear(&tg->vec);
    free(tg->probs);
    free(tg->applies);
    free(tg->present);
    stance_jsonw_clear(&tg->cell);
    free(tg->buf);
    stance_jsonw_object_clear(&tg->rec);
    stance_jsonw_clear(&tg->out);
    stance_explainer_free(tg->ex);
    free(tg->pieces);
    free(tg->carried);
    free(tg->sum);
    free(tg->scored);
    free(tg->applies_sum);
    free(tg->applies_n);
    free(tg);
}

stance_status stance_tagger_set_explain(stance_tagger *tg, size_t k, stance_error *err)
{
    if (k && tg->opt.article_unit && tg->opt.rollup)
        return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                           "explanations are of passages or whole documents, not of an "
                           "article's roll-up");
    if (k && !tg->ex) {
        stance_status st = stance_explainer_new(tg->m, &tg->ex, err);
        if (st != STANCE_OK)
            return st;
    }
    tg->explain_k = k;
    return STANCE_OK;
}

/* 1 when the records are a table's rows (the record object then only checks the doc name). */
static int table(const stance_tagger *tg)
{
    return tg->opt.format != STANCE_TAG_JSONL;
}

/* ---- labels ---- */

/* Appends a score, or null for an untrained unit's (NaN). */
static void score_json(stance_jsonw *w, double p)
{
    if (!stance_jsonw_score(w, p))
        stance_jsonw_raw(w, "null", 4);
}

static int is_applies_dim(const stance_dimension *d)
{
    return d->kind == STANCE_DIM_SINGLE && d->optional;
}

/* Adds "scores", and "applies" if the codebook has optional single dimensions (tag.h). */
static void add_scores(stance_tagger *tg)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    stance_jsonw *w = &tg->rec.values;
    size_t at = w->len, napplies = 0;
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        stance_jsonw_raw(w, d ? "," : "{", 1);
        stance_jsonw_string(w, dim->name, strlen(dim->name));
        for (size_t v = 0; v < dim->nvalues; v++) {
            stance_jsonw_raw(w, v ? "," : ":{", v ? 1 : 2);
            stance_jsonw_string(w, dim->labels[v], strlen(dim->labels[v]));
            stance_jsonw_raw(w, ":", 1);
            score_json(w, tg->probs[dim->offset + v]);
        }
        stance_jsonw_raw(w, "}", 1);
        napplies += is_applies_dim(dim);
    }
    stance_jsonw_raw(w, at == w->len ? "{}" : "}", at == w->len ? 2 : 1);
    stance_jsonw_object_add(&tg->rec, "scores", at);
    if (!napplies)
        return;
    at = w->len;
    for (size_t d = 0, k = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        if (!is_applies_dim(dim))
            continue;
        stance_jsonw_raw(w, k++ ? "," : "{", 1);
        stance_jsonw_string(w, dim->name, strlen(dim->name));
        stance_jsonw_raw(w, ":", 1);
        score_json(w, tg->applies[d]);
    }
    stance_jsonw_raw(w, "}", 1);
    stance_jsonw_object_add(&tg->rec, "applies", at);
}

/* Predicts from tg->vec into tg->probs, tg->present (and with full, tg->applies). */
static void predict(stance_tagger *tg)
{
    if (tg->full)
        stance_model_predict_full(tg->m, &tg->vec, tg->opt.thresholds, tg->probs, tg->applies,
                                  tg->present);
    else
        stance_model_predict_present(tg->m, &tg->vec, tg->probs, tg->present);
}

/* For a JSON record, adds the label fields of the prediction in tg->probs, tg->present and
 * tg->applies to it (a table's row is written from them). */
static stance_status add_labels(stance_tagger *tg, stance_error *err)
{
    if (tg->opt.format != STANCE_TAG_JSONL)
        return STANCE_OK;
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        size_t at = tg->rec.values.len;
        if (!stance_model_write_label(tg->m, d, tg->probs, tg->present, &tg->rec.values))
            return stance_fail_nomem(err, NULL);
        /* the codebook keeps dimension names apart from the record's own fields */
        stance_jsonw_object_add(&tg->rec, stance_codebook_get_dimension(cb, d)->name, at);
    }
    if (tg->opt.all_scores)
        add_scores(tg);
    return STANCE_OK;
}

/* ---- explanations ---- */

#define APPLIES_KEY "(applies)" /* the applies unit's explanation, beside the values' */
#define NONE_KEY "(none)" /* a roll-up's passages where a single dimension has no value */

/* Where byte off of the document unit's text (tg->buf) was in the article's text; end: off
 * ends a span. */
static size_t article_offset(const stance_tagger *tg, size_t off, int end)
{
    for (size_t i = 0; i < tg->npieces; i++) {
        const size_t *p = tg->pieces + 3 * i; /* offset in buf, in the article's text, length */
        if (off >= p[0] && (end ? off <= p[0] + p[2] : off < p[0] + p[2]))
            return p[1] + (off - p[0]);
    }
    return off; /* not reached: the newlines between pieces start or end no token */
}

static void write_key(stance_jsonw *w, const char *key)
{
    stance_jsonw_string(w, key, strlen(key));
    stance_jsonw_raw(w, ":", 1);
}

/* Writes "key":number; 0 for a number JSON cannot hold. */
static int write_real(stance_jsonw *w, const char *key, double v)
{
    write_key(w, key);
    return stance_jsonw_real(w, v);
}

/* Appends one explanation as JSON (tag.h); 0 for a number JSON cannot hold. */
static int write_explanation(const stance_tagger *tg, const stance_explanation *e, stance_jsonw *w)
{
    stance_jsonw_raw(w, "{", 1);
    int ok = write_real(w, "decision", e->decision);
    stance_jsonw_raw(w, ",", 1);
    ok &= write_real(w, "bias", e->bias);
    stance_jsonw_raw(w, ",", 1);
    ok &= write_real(w, "rest", e->rest);
    stance_jsonw_raw(w, ",\"terms\":[", 10);
    for (size_t t = 0; t < e->nterms; t++) {
        const stance_explain_term *term = &e->terms[t];
        stance_jsonw_raw(w, t ? ",{" : "{", t ? 2 : 1);
        write_key(w, "term");
        stance_jsonw_string(w, term->term, strlen(term->term));
        stance_jsonw_raw(w, ",", 1);
        ok &= write_real(w, "contribution", term->contribution);
        stance_jsonw_raw(w, ",", 1);
        ok &= write_real(w, "weight", term->weight);
        stance_jsonw_raw(w, ",", 1);
        ok &= write_real(w, "value", term->value);
        stance_jsonw_raw(w, ",\"spans\":[", 10);
        for (size_t s = 0; s < term->nspans; s++) {
            size_t start = term->spans[2 * s], end = term->spans[2 * s + 1];
            if (tg->opt.article_unit)
                start = article_offset(tg, start, 0), end = article_offset(tg, end, 1);
            start = stance_article_get_source_offset(tg->art, start);
            end = stance_article_get_source_offset(tg->art, end);
            stance_jsonw_raw(w, s ? ",[" : "[", s ? 2 : 1);
            stance_jsonw_integer(w, (long long)start);
            stance_jsonw_raw(w, ",", 1);
            stance_jsonw_integer(w, (long long)end);
            stance_jsonw_raw(w, "]", 1);
        }
        stance_jsonw_raw(w, "]}", 2);
    }
    stance_jsonw_raw(w, "]}", 2);
    return ok;
}

/* Appends "key":explanation of value (or -1, the applies unit) of dimension dim, after a
 * comma unless first. */
static stance_status explain_value(stance_tagger *tg, size_t dim, long value, const char *key,
                                   int first, stance_error *err)
{
    stance_explanation e;
    stance_status st = stance_explainer_label(tg->ex, dim, value, tg->explain_k, &e, err);
    if (st != STANCE_OK)
        return st;
    stance_jsonw *w = &tg->rec.values;
    if (!first)
        stance_jsonw_raw(w, ",", 1);
    write_key(w, key);
    if (!write_explanation(tg, &e, w))
        return stance_fail(err, STANCE_ERR_DATA, NULL, 0, "an explanation of %s is not a number",
                           key);
    return STANCE_OK;
}

/* 1 if value v of dimension d (v -1: its applies unit) is explained: assigned, or with
 * all_scores any value whose unit is trained (its score not NaN). */
static int explained(const stance_tagger *tg, size_t d, long v)
{
    const stance_dimension *dim = stance_codebook_get_dimension(stance_model_get_codebook(tg->m), d);
    if (v < 0)
        return tg->opt.all_scores && !isnan(tg->applies[d]);
    return tg->present[dim->offset + (size_t)v] ||
           (tg->opt.all_scores && !isnan(tg->probs[dim->offset + (size_t)v]));
}

/* Adds the "explain" field (tag.h) for the values predict() assigned (every trained one with
 * all_scores), from text[0..len), which starts at offset base of the article's text (or is the
 * document unit's, base 0). */
static stance_status explain(stance_tagger *tg, const char *text, size_t len, size_t base,
                             stance_error *err)
{
    stance_status st = stance_explainer_set_text(tg->ex, text, len, base, err);
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    stance_jsonw *w = &tg->rec.values;
    size_t at = w->len;
    stance_jsonw_raw(w, "{", 1);
    for (size_t d = 0; st == STANCE_OK && d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        if (d)
            stance_jsonw_raw(w, ",", 1);
        write_key(w, dim->name);
        stance_jsonw_raw(w, "{", 1);
        int first = 1;
        for (size_t v = 0; st == STANCE_OK && v < dim->nvalues; v++)
            if (explained(tg, d, (long)v)) {
                st = explain_value(tg, d, (long)v, dim->labels[v], first, err);
                first = 0;
            }
        if (st == STANCE_OK && dim->optional && (!first || explained(tg, d, -1)) &&
            stance_dimension_find(dim, APPLIES_KEY) < 0)
            st = explain_value(tg, d, -1, APPLIES_KEY, first, err);
        stance_jsonw_raw(w, "}", 1);
    }
    stance_jsonw_raw(w, "}", 1);
    if (st == STANCE_OK)
        stance_jsonw_object_add(&tg->rec, "explain", at);
    return st;
}

/* The analyzer's way: stems as strings, then the vocabulary. */
static stance_status label_by_stems(stance_tagger *tg, const char *text, size_t len,
                                    stance_error *err)
{
    const char *const *stems;
    const size_t *lens;
    size_t n;
    stance_status st = stance_analyzer_run(tg->an, text, len, &stems, &lens, &n, err);
    if (st == STANCE_OK)
        st = stance_vocab_vectorize(stance_model_vocab(tg->m), stems, lens, n, NULL, 0, &tg->vec,
                                    err);
    if (st == STANCE_OK)
        predict(tg);
    return st;
}

/* A token's stem as the analyzer matches it with the lexicon (a stop word's too), borrowed
 * from the stemmer: *kept 1 for a kept stem, 0 for a stop word's; NULL on no memory. */
static const char *token_stem(stance_tagger *tg, const char *word, size_t len, int *kept,
                              size_t *slen)
{
    const char *stem;
    *kept = stance_stemmer_stem_content(tg->stemmer, word, len, &stem, slen);
    if (*kept < 0)
        return NULL;
    return *kept ? stem : stance_stemmer_stem(tg->stemmer, word, len, slen);
}

/* The lexicon's part of a word's slot: sides, copy code and flags of its stem; 0 on no
 * memory. */
static int actor_info(stance_tagger *tg, word_slot *info, const char *stem, size_t slen)
{
    int side = stance_actors_side_of(tg->actors, stem, slen);
    info->sides = side >= 0 ? (uint16_t)(1u << side) : 0;
    for (size_t i = 0; i < tg->npair_firsts; i++)
        if (strlen(tg->pair_firsts[i]) == slen && memcmp(tg->pair_firsts[i], stem, slen) == 0)
            info->flags |= WORD_PAIR_FIRST;
    if (info->value == WORD_STOP)
        return 1;
    const char *copy = copy_term(tg, stem, slen);
    if (!copy)
        return 0;
    info->copy = (uint32_t)(stance_vocab_stem_code(stance_model_vocab(tg->m), copy, slen + 2) + 1);
    return 1;
}

/* Fills the value, and with a lexicon the rest, of the slot of a word not in the cache; 0 on
 * no memory. */
static int word_info(stance_tagger *tg, const char *word, size_t len, word_slot *info)
{
    memset(info, 0, sizeof *info);
    int kept;
    size_t slen;
    const char *stem;
    if (tg->actors)
        stem = token_stem(tg, word, len, &kept, &slen);
    else
        kept = stance_stemmer_stem_content(tg->stemmer, word, len, &stem, &slen);
    if (kept < 0 || (tg->actors && !stem))
        return 0;
    if (kept == 0) {
        info->value = WORD_STOP;
    } else if (slen == 0 || memchr(stem, ' ', slen) || memchr(stem, '\0', slen)) {
        info->value = WORD_ODD;
        return 1; /* the analyzer's path takes the passage */
    } else {
        info->value = (uint32_t)(WORD_CODE + 1 +
                                 stance_vocab_stem_code(stance_model_vocab(tg->m), stem, slen));
    }
    return !tg->actors || actor_info(tg, info, stem, slen);
}

static uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t load4(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* memcmp(a, b, n) == 0 for 1 <= n <= 16, with overlapping loads (no call). */
static int same_word(const char *a, const char *b, size_t n)
{
    if (n < 4)
        return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
    if (n < 8)
        return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
    return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
}

/* The slot of word (len bytes, hash h): where it is, or the empty slot where it would go. */
/* The first slot to look in for hash h: the top bits, where multiply-shift hashing is
 * universal (its low bits are not). */
static size_t word_home(const stance_tagger *tg, uint32_t h)
{
    return (size_t)(h >> tg->words_shift);
}

static word_slot *word_find(const stance_tagger *tg, const char *word, size_t len, uint32_t h)
{
    for (size_t i = word_home(tg, h);; i = (i + 1) & tg->words_mask) {
        word_slot *s = &tg->words[i];
        if (s->len == 0 || (s->hash == h && s->len == len && same_word(s->word, word, len)))
            return s;
    }
}

/* Remembers a word (at most WORD_INLINE bytes) not in the cache, with what word_info filled
 * in info; 0 on no memory. */
static int word_add(stance_tagger *tg, const char *word, size_t len, uint32_t h,
                    const word_slot *info)
{
    if (tg->nwords >= WORD_CACHE_MAX)
        return 1;
    if (!tg->words || 4 * (tg->nwords + 1) > 3 * (tg->words_mask + 1)) {
        size_t n = tg->words ? 2 * (tg->words_mask + 1) : 1024;
        word_slot *old = tg->words;
        size_t old_n = old ? tg->words_mask + 1 : 0;
        if (!(tg->words = stance_zeroed(n, sizeof *tg->words))) {
            tg->words = old;
            return 0;
        }
        tg->words_mask = n - 1;
        tg->words_shift = 32;
        while ((size_t)1 << (32 - tg->words_shift) < n)
            tg->words_shift--;
        for (size_t i = 0; i < old_n; i++)
            if (old[i].len)
                *word_find(tg, old[i].word, old[i].len, old[i].hash) = old[i];
        free(old);
    }
    word_slot *s = word_find(tg, word, len, h);
    *s = *info;
    s->hash = h;
    s->len = (unsigned char)len;
    memcpy(s->word, word, len);
    tg->nwords++;
    return 1;
}

/* Room for the codes of a passage of n tokens (with a lexicon: and their copies, an indicator
 * and the cut between blocks); 0 on no memory. */
static int reserve_codes(stance_tagger *tg, size_t n)
{
    size_t all = tg->actors ? 2 * n + 1 : n; /* n <= SIZE_MAX / 2: the tokens' bytes take more */
    long *c = stance_grow(tg->codes, &tg->codes_cap, 0, all, sizeof *c);
    if (c)
        tg->codes = c;
    uint32_t *h = stance_grow(tg->hashes, &tg->hashes_cap, 0, n, sizeof *h);
    if (h)
        tg->hashes = h;
    if (!c || !h)
        return 0;
    if (!tg->actors)
        return 1;
    long *cp = stance_grow(tg->copies, &tg->copies_cap, 0, n, sizeof *cp);
    if (cp)
        tg->copies = cp;
    unsigned char *cut = stance_grow(tg->cut, &tg->cut_cap, 0, all, 1);
    if (cut)
        tg->cut = cut;
    return cp && cut;
}

/* The actor scope as the analyzer keeps it (analyze.c), over plain stem numbers. */
typedef struct {
    size_t first;   /* the first plain stem of the current sentence */
    unsigned named; /* the sides the current sentence names */
    unsigned all;   /* the sides the whole text names */
    int both;       /* some sentence named two sides */
    int pair_first; /* the previous token may start a name of two words (none after a break) */
} actor_walk;

/* Ends the current sentence at plain stem n: unless it names two sides, its stems get no
 * copy. */
static void actor_sentence_end(stance_tagger *tg, actor_walk *aw, size_t n)
{
    if (aw->named & (aw->named - 1))
        aw->both = 1;
    else
        for (size_t i = aw->first; i < n; i++)
            tg->copies[i] = NOT_COPIED;
    aw->all |= aw->named;
    aw->named = 0;
    aw->first = n;
}

/* The side of the name of two words that tokens i - 1 and i may make; UINT_MAX on no memory. */
static unsigned pair_sides(stance_tagger *tg, size_t i)
{
    int kept;
    size_t plen, slen;
    const char *s = token_stem(tg, stance_tokens_get_text(&tg->toks, i - 1),
                               tg->toks.items[i - 1].len, &kept, &plen);
    char *prev = s ? stance_grow(tg->scratch, &tg->scratch_cap, 0, plen + 1, 1) : NULL;
    if (!prev)
        return UINT_MAX;
    tg->scratch = prev;
    memcpy(prev, s, plen);
    if (!(s = token_stem(tg, stance_tokens_get_text(&tg->toks, i), tg->toks.items[i].len, &kept,
                         &slen)))
        return UINT_MAX;
    return stance_analyzer_pair_sides(tg->actors, prev, plen, s, slen);
}

/* Token i (whose slot is info) in the actor scope, before its plain stem number n is taken;
 * 0 on no memory. */
static int actor_token(stance_tagger *tg, actor_walk *aw, const char *text, size_t len,
                       size_t i, const word_slot *info, size_t n)
{
    int brk = i ? stance_analyzer_actor_break(text, len, &tg->toks, i) : 0;
    if (brk == 2)
        actor_sentence_end(tg, aw, n);
    unsigned sides = info->sides;
    if (aw->pair_first && i && !brk) {
        unsigned pair = pair_sides(tg, i);
        if (pair == UINT_MAX)
            return 0;
        sides |= pair;
    }
    aw->pair_first = (info->flags & WORD_PAIR_FIRST) != 0;
    aw->named |= sides;
    if (info->value != WORD_STOP)
        tg->copies[n] = (long)info->copy - 1;
    return 1;
}

/* After the n plain codes: the copies of the stems of the sentences that named two sides,
 * then the indicator, as the analyzer orders them, with the cut where these blocks meet; the
 * number of codes in all. Tokens hold no ASCII punctuation (tokenize.h), so no stem has the
 * ':' or '#' that vocab.c's pairable looks for: plain stems pair, and so do copies. */
static size_t actor_finish(stance_tagger *tg, actor_walk *aw, size_t n)
{
    actor_sentence_end(tg, aw, n);
    size_t k = n;
    for (size_t i = 0; i < n; i++)
        if (tg->copies[i] != NOT_COPIED)
            tg->codes[k++] = tg->copies[i];
    memset(tg->cut, 0, k + 1);
    if (n)
        tg->cut[n - 1] = 1; /* the last plain stem, before the copies or the indicator */
    if (k > n)
        tg->cut[k - 1] = 1; /* the last copy, before the indicator */
    int kind = aw->both ? 0 : (aw->all & (aw->all - 1)) ? 1 : aw->all ? 2 : 3;
    tg->codes[k] = tg->indicators[kind];
    return k + 1;
}

/* Analyzes, vectorizes and predicts text, then adds the label fields to the record. The same as
 * label_by_stems, with each distinct word stemmed and looked up in the vocabulary once, and
 * with a lexicon of the parties its sides, copy and flags too. */
static stance_status label(stance_tagger *tg, const char *text, size_t len, stance_error *err)
{
    if (!tg->fast) /* other scoped copies: the analyzer's path */
        return label_by_stems(tg, text, len, err);
    stance_status st = stance_tokenize_run(text, len, 0, &tg->toks, err);
    if (st != STANCE_OK)
        return st;
    if (!reserve_codes(tg, tg->toks.count))
        return stance_fail_nomem(err, NULL);
    for (size_t i = 0; i < tg->toks.count; i++) { /* hashes first, so the slots can be fetched early */
        size_t wlen = tg->toks.items[i].len;
        tg->hashes[i] = wlen <= WORD_INLINE ? stance_uhash_short(&tg->words_key, tg->toks.chars +
                                                                 tg->toks.items[i].text, wlen) : 0;
        if (tg->words)
            STANCE_PREFETCH(&tg->words[word_home(tg, tg->hashes[i])]);
    }
    size_t n = 0;
    actor_walk aw = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < tg->toks.count; i++) {
        const char *word = tg->toks.chars + tg->toks.items[i].text;
        size_t wlen = tg->toks.items[i].len;
        uint32_t hash = tg->hashes[i];
        word_slot *slot = wlen <= WORD_INLINE && tg->words ? word_find(tg, word, wlen, hash) : NULL;
        word_slot fresh;
        const word_slot *info = slot;
        if (!slot || !slot->len) {
            if (!word_info(tg, word, wlen, &fresh) ||
                (wlen <= WORD_INLINE && !word_add(tg, word, wlen, hash, &fresh)))
                return stance_fail_nomem(err, NULL);
            info = &fresh;
        }
        if (info->value == WORD_ODD)
            return label_by_stems(tg, text, len, err);
        if (tg->actors && !actor_token(tg, &aw, text, len, i, info, n))
            return stance_fail_nomem(err, NULL);
        if (info->value != WORD_STOP)
            tg->codes[n++] = (long)(info->value - WORD_CODE) - 1;
    }
    if (tg->actors)
        n = actor_finish(tg, &aw, n);
    st = stance_vocab_vectorize_cut(stance_model_vocab(tg->m), tg->codes, tg->actors ? tg->cut : NULL,
                                    n, &tg->vec, err);
    if (st == STANCE_OK)
        predict(tg);
    return st;
}

void stance_tagger_set_slow_path(stance_tagger *tg, int slow)
{
    tg->fast = !slow && stance_analyzer_get_scopes(tg->an) == 0;
}

const stance_vector *stance_tagger_get_vector(const stance_tagger *tg)
{
    return &tg->vec;
}

/* ---- tables ---- */

static int is_tsv(const stance_tag_options *opt)
{
    return opt->format == STANCE_TAG_TSV;
}

/* Appends a column break, then the n bytes at s as a field. */
static void next_field(stance_jsonw *w, const stance_tag_options *opt, const char *s, size_t n)
{
    stance_jsonw_raw(w, is_tsv(opt) ? "\t" : ",", 1);
    stance_table_field(w, is_tsv(opt), s, n);
}

/* Appends a column break, then a field of what cell holds. */
static void next_cell(stance_jsonw *w, const stance_tag_options *opt, const stance_jsonw *cell)
{
    next_field(w, opt, cell->len ? cell->buf : "", cell->len);
}

/* Appends the column name "a.b" (a column break first unless first). */
static void column_name(stance_jsonw *w, const stance_tag_options *opt, stance_jsonw *name,
                        const char *a, const char *b)
{
    name->len = 0;
    stance_jsonw_raw(name, a, strlen(a));
    if (b) {
        stance_jsonw_raw(name, ".", 1);
        stance_jsonw_raw(name, b, strlen(b));
    }
    next_cell(w, opt, name);
}

stance_status stance_tag_get_header(const stance_model *m, const stance_tag_options *opt,
                                    char **text, size_t *len, stance_error *err)
{
    const stance_codebook *cb = stance_model_get_codebook(m);
    size_t nd = stance_codebook_get_dimension_count(cb);
    stance_jsonw w, name;
    stance_jsonw_init(&w);
    stance_jsonw_init(&name);
    *text = NULL;
    *len = 0;
    stance_jsonw_raw(&w, "doc", 3);
    if (opt->id_column)
        column_name(&w, opt, &name, "id", NULL);
    column_name(&w, opt, &name, opt->article_unit ? "passages" : "passage", NULL);
    column_name(&w, opt, &name, "start", NULL);
    column_name(&w, opt, &name, "end", NULL);
    column_name(&w, opt, &name, "kind", NULL);
    for (size_t d = 0; d < nd; d++)
        column_name(&w, opt, &name, stance_codebook_get_dimension(cb, d)->name, NULL);
    for (size_t d = 0; d < nd; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        for (size_t v = 0; v < dim->nvalues; v++)
            column_name(&w, opt, &name, dim->name, dim->labels[v]);
        if (is_applies_dim(dim))
            column_name(&w, opt, &name, dim->name, "applies");
    }
    if (!opt->no_text)
        column_name(&w, opt, &name, "text", NULL);
    stance_jsonw_raw(&w, "\n", 2); /* a NUL after the newline, for a C string */
    stance_jsonw_clear(&name);
    if (w.failed) {
        stance_jsonw_clear(&w);
        return stance_fail_nomem(err, NULL);
    }
    *text = w.buf;
    *len = w.len - 1;
    return STANCE_OK;
}

/* The id column of a row: a JSON Lines article's "id" as a string, or as JSON text when it is
 * a number; empty when there is none. */
static void id_cell(stance_tagger *tg, const json_t *extra)
{
    const json_t *id = extra ? json_object_get(extra, "id") : NULL;
    tg->cell.len = 0;
    if (json_is_string(id))
        stance_jsonw_raw(&tg->cell, json_string_value(id), json_string_length(id));
    else if (id)
        stance_jsonw_value(&tg->cell, id);
    next_cell(&tg->out, &tg->opt, &tg->cell);
}

/* The labels column of dimension d: the values given, ";"-joined in codebook order. */
static void labels_cell(stance_tagger *tg, const stance_dimension *d)
{
    tg->cell.len = 0;
    for (size_t v = 0; v < d->nvalues; v++) {
        if (!tg->present[d->offset + v])
            continue;
        if (tg->cell.len)
            stance_jsonw_raw(&tg->cell, ";", 1);
        stance_jsonw_raw(&tg->cell, d->labels[v], strlen(d->labels[v]));
    }
    next_cell(&tg->out, &tg->opt, &tg->cell);
}

/* A score column: empty when not labeled or untrained (NaN). */
static void score_cell(stance_tagger *tg, int labeled, double p)
{
    stance_jsonw_raw(&tg->out, is_tsv(&tg->opt) ? "\t" : ",", 1);
    if (labeled)
        stance_jsonw_score(&tg->out, p);
}

/* A record's text (its table row's last column): n bytes at s. */
typedef struct {
    const char *s;
    size_t n;
} rec_text;

/* Appends a table row (tag.h) for the record of art's text [start, end), whose text is t:
 * number is the passage's (the document and article units: how many passages were
 * labeled); labeled says whether tg->probs and tg->present hold its prediction. 0 on no
 * memory. */
static int write_row(stance_tagger *tg, const stance_article *art, const char *doc,
                     const json_t *extra, size_t number, size_t start, size_t end,
                     const char *kind, int labeled, rec_text t)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    size_t nd = stance_codebook_get_dimension_count(cb);
    stance_jsonw *w = &tg->out;
    const char *sep = is_tsv(&tg->opt) ? "\t" : ",";
    stance_table_field(w, is_tsv(&tg->opt), doc, strlen(doc));
    if (tg->opt.id_column)
        id_cell(tg, extra);
    size_t nums[3] = {number, stance_article_get_source_offset(art, start),
                      stance_article_get_source_offset(art, end)};
    for (size_t i = 0; i < 3; i++) {
        stance_jsonw_raw(w, sep, 1);
        stance_jsonw_integer(w, (long long)nums[i]);
    }
    next_field(w, &tg->opt, kind, strlen(kind));
    for (size_t d = 0; d < nd; d++) {
        if (labeled)
            labels_cell(tg, stance_codebook_get_dimension(cb, d));
        else
            stance_jsonw_raw(w, sep, 1);
    }
    for (size_t d = 0; d < nd; d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        for (size_t v = 0; v < dim->nvalues; v++)
            score_cell(tg, labeled, tg->probs[dim->offset + v]);
        if (is_applies_dim(dim))
            score_cell(tg, labeled, tg->applies[d]);
    }
    if (!tg->opt.no_text)
        next_field(w, &tg->opt, t.s, t.n);
    stance_jsonw_raw(w, "\n", 1);
    return !w->failed && !tg->cell.failed;
}

/* Appends the record made (tg->rec, or a table row with text t) to tg->out; 0 on no memory.
 * first: the article's first record, which carries all its JSON Lines fields. */
static int write_record(stance_tagger *tg, const stance_article *art, const char *doc,
                        const json_t *extra, size_t number, size_t start, size_t end,
                        const char *kind, int labeled, int first, rec_text t)
{
    if (tg->opt.format == STANCE_TAG_JSONL)
        return stance_record_write(&tg->out, &tg->rec, extra, first);
    return write_row(tg, art, doc, extra, number, start, end, kind, labeled, t);
}

/* Hands the records in tg->out to sink, if there is one and they fill TAG_FLUSH_BYTES (or at
 * the end, with last), and empties tg->out. */
static stance_status hand_over(stance_tagger *tg, stance_tag_sink_fn sink, void *ctx, int last,
                               stance_error *err)
{
    if (!sink || (!last && tg->out.len < TAG_FLUSH_BYTES) || tg->out.len == 0)
        return STANCE_OK;
    size_t len = tg->out.len;
    tg->out.len = 0;
    return sink(ctx, tg->out.buf, len, err);
}

static stance_status tag_passages(stance_tagger *tg, const stance_article *art, const char *doc,
                                  const json_t *extra, stance_tag_sink_fn sink, void *ctx,
                                  stance_error *err)
{
    const char *text = stance_article_get_text(art, NULL);
    for (size_t i = 0; i < stance_article_get_passage_count(art); i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        const char *kind = stance_kind_name(p->kind);
        stance_status st = stance_record_init(&tg->rec, art, doc, tg->path, p->number, p->start, p->end,
                                              kind, !tg->opt.no_text && !table(tg), err);
        if (st == STANCE_OK && p->kind != STANCE_KIND_META)
            st = label(tg, text + p->start, p->end - p->start, err);
        if (st == STANCE_OK && p->kind != STANCE_KIND_META)
            st = add_labels(tg, err);
        if (st == STANCE_OK && p->kind != STANCE_KIND_META && tg->explain_k)
            st = explain(tg, text + p->start, p->end - p->start, p->start, err);
        /* the article's fields on its first record, its id on each */
        rec_text t = {text + p->start, p->end - p->start};
        if (st == STANCE_OK && !write_record(tg, art, doc, extra, p->number, p->start, p->end,
                                             kind, p->kind != STANCE_KIND_META, i == 0, t))
            st = stance_fail_nomem(err, NULL);
        if (st == STANCE_OK)
            st = hand_over(tg, sink, ctx, 0, err);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

/* Records that the document unit's text holds len bytes of the article's text from in at
 * offset at (a stance_joined_fn over the tagger); 0 on no memory. */
static int add_piece(void *ctx, size_t at, size_t in, size_t len)
{
    stance_tagger *tg = ctx;
    size_t *p = stance_grow(tg->pieces, &tg->pieces_cap, 3 * tg->npieces, 3, sizeof *p);
    if (!p)
        return 0;
    tg->pieces = p;
    p += 3 * tg->npieces++;
    p[0] = at, p[1] = in, p[2] = len;
    return 1;
}

/* The article's non-meta passages joined by newlines into tg->buf (stance_article_join: *used
 * bytes; with explanations, tg->pieces says where each came from): how many there are in
 * *count, and the start of the first and the end of the last in *first and *last (0 when
 * there are none). */
static stance_status join_passages(stance_tagger *tg, const stance_article *art, const char *doc,
                                   size_t *used, size_t *count, size_t *first, size_t *last,
                                   stance_error *err)
{
    stance_joined j;
    tg->npieces = 0;
    stance_status st = stance_article_join(art, doc, &tg->buf, &tg->buf_cap, &j,
                                           tg->explain_k ? add_piece : NULL, tg, err);
    *used = j.used, *count = j.count, *first = j.first, *last = j.last;
    return st;
}

/* The document unit: the non-meta passages, joined by newlines, analyzed as one text. */
static stance_status tag_document(stance_tagger *tg, const stance_article *art, const char *doc,
                                  const json_t *extra, stance_error *err)
{
    size_t used, count, first, last;
    const char *text = stance_article_get_text(art, NULL);
    stance_status st = join_passages(tg, art, doc, &used, &count, &first, &last, err);
    if (st == STANCE_OK)
        st = stance_record_init(&tg->rec, art, doc, tg->path, 0, first, last, "document",
                                !tg->opt.no_text && !table(tg), err);
    if (st == STANCE_OK) {
        stance_jsonw_object_integer(&tg->rec, "passages", (long long)count);
        if (count) /* no body or headline: nothing to label, as a meta passage */
            st = label(tg, tg->buf, used, err);
        if (st == STANCE_OK && count)
            st = add_labels(tg, err);
        if (st == STANCE_OK && count && tg->explain_k)
            st = explain(tg, tg->buf, used, 0, err);
    }
    rec_text t = {text + first, last - first};
    if (st == STANCE_OK && !write_record(tg, art, doc, extra, count, first, last, "document",
                                         count > 0, 1, t))
        st = stance_fail_nomem(err, NULL);
    return st;
}

/* ---- the article unit: a roll-up of its passages ---- */

static void rollup_clear(stance_tagger *tg)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    size_t nv = stance_codebook_get_value_count(cb), nd = stance_codebook_get_dimension_count(cb);
    memset(tg->carried, 0, (nv + nd) * sizeof *tg->carried);
    memset(tg->sum, 0, nv * sizeof *tg->sum);
    memset(tg->scored, 0, nv * sizeof *tg->scored);
    memset(tg->applies_sum, 0, nd * sizeof *tg->applies_sum);
    memset(tg->applies_n, 0, nd * sizeof *tg->applies_n);
}

/* 1 if some value of dimension dim is present in the prediction. */
static int has_value(const stance_tagger *tg, const stance_dimension *dim)
{
    for (size_t v = 0; v < dim->nvalues; v++)
        if (tg->present[dim->offset + v])
            return 1;
    return 0;
}

/* Adds the passage prediction in tg->probs, tg->present and tg->applies to the roll-up: the
 * values it carries, and the scores that count (a single dimension's only where it has a
 * value; untrained ones, NaN, never). */
static void rollup_add(stance_tagger *tg)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    size_t nv = stance_codebook_get_value_count(cb);
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        int scored = dim->kind != STANCE_DIM_SINGLE || has_value(tg, dim);
        if (!has_value(tg, dim))
            tg->carried[nv + d]++;
        for (size_t v = dim->offset; v < dim->offset + dim->nvalues; v++) {
            tg->carried[v] += tg->present[v] != 0;
            if (scored && !isnan(tg->probs[v]))
                tg->sum[v] += tg->probs[v], tg->scored[v]++;
        }
        if (!isnan(tg->applies[d]))
            tg->applies_sum[d] += tg->applies[d], tg->applies_n[d]++;
    }
}

/* Whether a multi value carried by carried of n passages is the article's (tag.h). */
static int rule_holds(const stance_tagger *tg, size_t carried, size_t n)
{
    if (tg->opt.article_share <= 0)
        return carried > 0;
    return n > 0 && (double)carried >= tg->opt.article_share * (double)n;
}

/* The article's prediction from the roll-up, into tg->probs (the mean scores), tg->present
 * (the article rule; a single dimension's value of highest mean) and tg->applies (n passages
 * labeled). */
static void rollup_finish(stance_tagger *tg, size_t n)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        long best = -1;
        for (size_t v = dim->offset; v < dim->offset + dim->nvalues; v++) {
            tg->probs[v] = tg->scored[v] ? tg->sum[v] / (double)tg->scored[v] : NAN;
            tg->present[v] = dim->kind != STANCE_DIM_SINGLE && rule_holds(tg, tg->carried[v], n);
            if (!isnan(tg->probs[v]) && (best < 0 || tg->probs[v] > tg->probs[best]))
                best = (long)v;
        }
        if (dim->kind == STANCE_DIM_SINGLE && best >= 0)
            tg->present[best] = 1;
        tg->applies[d] = tg->applies_n[d] ? tg->applies_sum[d] / (double)tg->applies_n[d] : NAN;
    }
}

/* Adds "counts" (carried, 1) or "shares" (0) of the n passages (tag.h). */
static void add_counts(stance_tagger *tg, const char *key, size_t n, int counts)
{
    const stance_codebook *cb = stance_model_get_codebook(tg->m);
    size_t nv = stance_codebook_get_value_count(cb);
    stance_jsonw *w = &tg->rec.values;
    size_t at = w->len;
    stance_jsonw_raw(w, "{", 1);
    for (size_t d = 0; d < stance_codebook_get_dimension_count(cb); d++) {
        const stance_dimension *dim = stance_codebook_get_dimension(cb, d);
        if (d)
            stance_jsonw_raw(w, ",", 1);
        write_key(w, dim->name);
        /* the values, then for a single dimension the passages without one */
        size_t nkeys = dim->nvalues + (dim->kind == STANCE_DIM_SINGLE);
        stance_jsonw_raw(w, "{", 1);
        for (size_t v = 0; v < nkeys; v++) {
            size_t c = v < dim->nvalues ? tg->carried[dim->offset + v] : tg->carried[nv + d];
            if (v)
                stance_jsonw_raw(w, ",", 1);
            write_key(w, v < dim->nvalues ? dim->labels[v] : NONE_KEY);
            if (counts)
                stance_jsonw_integer(w, (long long)c);
            else
                stance_jsonw_score(w, (double)c / (double)n);
        }
        stance_jsonw_raw(w, "}", 1);
    }
    stance_jsonw_raw(w, "}", 1);
    stance_jsonw_object_add(&tg->rec, key, at);
}

/* The article unit: each non-meta passage labeled, then rolled up into one record (tag.h). */
static stance_status tag_rollup(stance_tagger *tg, const stance_article *art, const char *doc,
                                const json_t *extra, stance_error *err)
{
    size_t used, count, first, last;
    const char *text = stance_article_get_text(art, NULL);
    stance_status st = join_passages(tg, art, doc, &used, &count, &first, &last, err);
    rollup_clear(tg);
    for (size_t i = 0; st == STANCE_OK && i < stance_article_get_passage_count(art); i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        if (p->kind == STANCE_KIND_META)
            continue;
        st = label(tg, text + p->start, p->end - p->start, err);
        if (st == STANCE_OK)
            rollup_add(tg);
    }
    if (st == STANCE_OK)
        st = stance_record_init(&tg->rec, art, doc, tg->path, 0, first, last, "article", 0, err);
    if (st != STANCE_OK)
        return st;
    if (!tg->opt.no_text && !table(tg)) { /* the labeled passages, not what lies between */
        size_t at = tg->rec.values.len;
        stance_jsonw_string(&tg->rec.values, tg->buf, used);
        stance_jsonw_object_add(&tg->rec, "text", at);
    }
    stance_jsonw_object_integer(&tg->rec, "passages", (long long)count);
    if (count) { /* no body or headline: nothing to label, as a meta passage */
        rollup_finish(tg, count);
        st = add_labels(tg, err);
        if (st == STANCE_OK && !table(tg)) {
            add_counts(tg, "counts", count, 1);
            add_counts(tg, "shares", count, 0);
        }
    }
    rec_text t = {tg->buf, used};
    if (st == STANCE_OK && !write_record(tg, art, doc, extra, count, first, last, "article",
                                         count > 0, 1, t))
        st = stance_fail_nomem(err, NULL);
    return st;
}

/* Tags the article into tg->out, handing the records to sink as they are made if there is one. */
static stance_status tag_any(stance_tagger *tg, const stance_article *art, const char *doc,
                             const json_t *extra, stance_tag_sink_fn sink, void *ctx,
                             stance_error *err)
{
    tg->out.len = 0;
    tg->out.failed = 0;
    tg->art = art;
    tg->cell.failed = 0;
    stance_status st;
    if (!tg->opt.article_unit)
        st = tag_passages(tg, art, doc, extra, sink, ctx, err);
    else if (tg->opt.rollup)
        st = tag_rollup(tg, art, doc, extra, err);
    else
        st = tag_document(tg, art, doc, extra, err);
    if (st != STANCE_OK)
        tg->out.len = 0;
    return st;
}

void stance_tagger_set_path(stance_tagger *tg, const char *path)
{
    tg->path = path;
}

stance_status stance_tagger_write(stance_tagger *tg, const stance_article *art,
                                  const char *doc, const json_t *extra,
                                  stance_tag_sink_fn sink, void *ctx, stance_error *err)
{
    stance_status st = tag_any(tg, art, doc, extra, sink, ctx, err);
    return st == STANCE_OK ? hand_over(tg, sink, ctx, 1, err) : st;
}

stance_status stance_tagger_article_jsonl(stance_tagger *tg, const stance_article *art,
                                          const char *doc, const json_t *extra,
                                          const char **text, size_t *len, stance_error *err)
{
    *text = NULL;
    *len = 0;
    stance_status st = tag_any(tg, art, doc, extra, NULL, NULL, err);
    if (st == STANCE_OK) {
        *text = tg->out.len ? tg->out.buf : "";
        *len = tg->out.len;
    }
    return st;
}

stance_status stance_tagger_article(stance_tagger *tg, const stance_article *art,
                                    const char *doc, const json_t *extra, json_t **records,
                                    stance_error *err)
{
    const char *text;
    size_t len;
    *records = NULL;
    stance_status st = stance_tagger_article_jsonl(tg, art, doc, extra, &text, &len, err);
    json_t *arr = st == STANCE_OK ? json_array() : NULL;
    if (st == STANCE_OK && !arr)
        st = stance_fail_nomem(err, doc);
    for (size_t at = 0; st == STANCE_OK && at < len;) {
        const char *nl = memchr(text + at, '\n', len - at); /* every record ends a line */
        json_t *rec; /* not json_loadb: out of memory, it can write past its buffers */
        st = stance_json_parse(text + at, (size_t)(nl - text) - at, doc, &rec, err);
        if (st == STANCE_OK && json_array_append_new(arr, rec) != 0)
            st = stance_fail_nomem(err, doc);
        at = (size_t)(nl - text) + 1;
    }
    if (st != STANCE_OK) {
        json_decref(arr);
        return st;
    }
    *records = arr;
    return STANCE_OK;
}
