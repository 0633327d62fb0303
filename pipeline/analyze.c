/* analyze.c: tokenizer and stemmer chained in process. */
#include "analyze_int.h"

#include <stdint.h>
#include <stdlib.h>

#include "error_int.h"
#include "grow_int.h"
#include "stance/tokenize.h"
#include "strmap_int.h"

struct stance_analyzer {
    stance_stemmer *stemmer;
    stance_tokens toks;
    char *chars; /* the stems, NUL-separated */
    size_t chars_len, chars_cap;
    size_t *offs, *lens; /* per stem: offset in chars, length */
    size_t *spans;       /* per stem: its token's source bytes, start then end */
    size_t spans_cap;
    const char **ptrs;
    size_t cap;
};

stance_status stance_analyzer_new(const char *language, stance_analyzer **out, stance_error *err)
{
    *out = NULL;
    stance_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return stance_fail_nomem(err, NULL);
    stance_tokens_init(&an->toks);
    stance_status st = stance_stemmer_new(language, &an->stemmer, err);
    if (st != STANCE_OK) {
        free(an);
        return st;
    }
    *out = an;
    return STANCE_OK;
}

void stance_analyzer_free(stance_analyzer *an)
{
    if (!an)
        return;
    stance_stemmer_free(an->stemmer);
    stance_tokens_clear(&an->toks);
    free(an->chars);
    free(an->offs);
    free(an->lens);
    free(an->spans);
    free(an->ptrs);
    free(an);
}

stance_stemmer *stance_analyzer_stemmer(stance_analyzer *an)
{
    return an->stemmer;
}

/* Room for n stems in offs, lens and ptrs, which share one capacity, and in spans. */
static int reserve(stance_analyzer *an, size_t n)
{
    size_t cap = an->cap, lens_cap = an->cap, ptrs_cap = an->cap;
    size_t *offs = stance_grow(an->offs, &cap, 0, n, sizeof *offs);
    if (offs)
        an->offs = offs;
    size_t *lens = stance_grow(an->lens, &lens_cap, 0, n, sizeof *lens);
    if (lens)
        an->lens = lens;
    const char **ptrs = stance_grow(an->ptrs, &ptrs_cap, 0, n, sizeof *ptrs);
    if (ptrs)
        an->ptrs = ptrs;
    size_t *spans = n <= SIZE_MAX / 2 ? stance_grow(an->spans, &an->spans_cap, 0, 2 * n, sizeof *spans) : NULL;
    if (spans)
        an->spans = spans;
    if (!offs || !lens || !ptrs || !spans)
        return 0;
    an->cap = cap;
    return 1;
}

stance_status stance_analyzer_run(stance_analyzer *an, const char *text, size_t len,
                                  const char *const **stems, const size_t **lens, size_t *n,
                                  stance_error *err)
{
    *stems = NULL;
    *lens = NULL;
    *n = 0;
    stance_status st = stance_tokenize_run(text, len, 0, &an->toks, err);
    if (st != STANCE_OK)
        return st;
    if (!reserve(an, an->toks.count))
        return stance_fail_nomem(err, NULL);
    size_t count = 0;
    an->chars_len = 0;
    for (size_t i = 0; i < an->toks.count; i++) {
        const char *s;
        size_t slen;
        int kept = stance_stemmer_stem_content(an->stemmer, stance_tokens_get_text(&an->toks, i),
                                               an->toks.items[i].len, &s, &slen);
        if (kept == 0)
            continue; /* a stop word */
        long at = kept > 0 ? stance_chars_append(&an->chars, &an->chars_len, &an->chars_cap, s, slen) : -1;
        if (at < 0)
            return stance_fail_nomem(err, NULL);
        an->offs[count] = (size_t)at;
        an->spans[2 * count] = an->toks.items[i].start;
        an->spans[2 * count + 1] = an->toks.items[i].end;
        an->lens[count++] = slen;
    }
    for (size_t i = 0; i < count; i++) /* pointers only now: chars may have moved while growing */
        an->ptrs[i] = an->chars + an->offs[i];
    *stems = an->ptrs;
    *lens = an->lens;
    *n = count;
    return STANCE_OK;
}

const size_t *stance_analyzer_get_spans(const stance_analyzer *an)
{
    return an->spans;
}
