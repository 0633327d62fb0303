/* analyze.c: tokenizer and stemmer chained in process. */
#include "analyze_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    unsigned scopes;       /* STANCE_SCOPE_* */
    unsigned char *scoped; /* per plain stem: the STANCE_SCOPE_* scopes it lies in */
    size_t scoped_cap;
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
    free(an->scoped);
    free(an);
}

stance_stemmer *stance_analyzer_stemmer(stance_analyzer *an)
{
    return an->stemmer;
}

void stance_analyzer_set_scopes(stance_analyzer *an, unsigned scopes)
{
    an->scopes = scopes & STANCE_SCOPE_ALL;
}

static const char *const scope_names[] = {"contrast", "negation", "last"};

const char *stance_analyzer_scope_name(unsigned scope)
{
    for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
        if (scope == 1u << i)
            return scope_names[i];
    return NULL;
}

int stance_analyzer_scopes_parse(const char *list, unsigned *scopes)
{
    *scopes = 0;
    if (strcmp(list, "none") == 0)
        return 0;
    for (const char *p = list;; p++) {
        size_t n = strcspn(p, ",");
        unsigned flag = 0;
        for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
            if (strlen(scope_names[i]) == n && memcmp(scope_names[i], p, n) == 0)
                flag = 1u << i;
        if (!flag || (*scopes & flag))
            return -1;
        *scopes |= flag;
        p += n;
        if (!*p)
            return 0;
    }
}

int stance_analyzer_is_scoped(const char *term)
{
    return strchr(term, ':') != NULL;
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

static int is_word(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return 1;
    return 0;
}

static int is_contrast(const char *s, size_t n)
{
    static const char *const words[] = {"but", "however", "yet", "though", "although",
                                        "despite", "nevertheless", "still", NULL};
    return is_word(s, n, words);
}

static int is_negation(const char *s, size_t n)
{
    static const char *const words[] = {"not", "no", "never", "nor", "without", "cannot", NULL};
    return is_word(s, n, words) || (n > 3 && memcmp(s + n - 3, "n't", 3) == 0);
}

/* What the source bytes between two tokens end: 2 a sentence (. ! ? ;), 1 a clause (other
 * ASCII punctuation), 0 neither. Periods inside tokens ("u.s", "2.5") are not seen here. */
static int gap_break(const char *text, size_t from, size_t to)
{
    int brk = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '.' || c == '!' || c == '?' || c == ';')
            return 2;
        if (c < 0x80 && c != '\'' && c != '"' && c != '(' && c != ')' && c != '-' &&
            ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
             (c >= '{' && c <= '~')))
            brk = 1;
    }
    return brk;
}

/* Appends the scoped copies of the count plain stems: contrast ones first, then negation, then
 * last sentence. */
static stance_status add_scoped(stance_analyzer *an, size_t *count, stance_error *err)
{
    static const struct {
        unsigned scope;
        const char *prefix;
    } kinds[] = {{STANCE_SCOPE_CONTRAST, "c:"}, {STANCE_SCOPE_NEGATION, "n:"},
                 {STANCE_SCOPE_LAST, "l:"}};
    size_t plain = *count;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < plain; i++) {
            if (!(an->scoped[i] & kinds[k].scope))
                continue;
            size_t slen = an->lens[i];
            /* room first, so that the stem copied from chars does not move while appending */
            char *chars = slen < SIZE_MAX - 3 ? stance_grow(an->chars, &an->chars_cap,
                                                            an->chars_len, slen + 3, 1) : NULL;
            if (!chars || !reserve(an, *count + 1))
                return stance_fail_nomem(err, NULL);
            an->chars = chars;
            size_t at = an->chars_len;
            memcpy(chars + at, kinds[k].prefix, 2);
            memcpy(chars + at + 2, chars + an->offs[i], slen);
            chars[at + 2 + slen] = '\0';
            an->chars_len += slen + 3;
            an->offs[*count] = at;
            an->lens[*count] = slen + 2;
            an->spans[2 * *count] = an->spans[2 * i];
            an->spans[2 * *count + 1] = an->spans[2 * i + 1];
            ++*count;
        }
    return STANCE_OK;
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
    if (an->scopes) {
        unsigned char *scoped = stance_grow(an->scoped, &an->scoped_cap, 0, an->toks.count,
                                     sizeof *scoped);
        if (!scoped)
            return stance_fail_nomem(err, NULL);
        an->scoped = scoped;
    }
    size_t count = 0;
    an->chars_len = 0;
    unsigned contrast = 0; /* STANCE_SCOPE_CONTRAST after a contrast marker in this sentence */
    int negated = 0;       /* stems still to copy after a negation */
    size_t sentence = 0;   /* the first plain stem of the current sentence */
    for (size_t i = 0; i < an->toks.count; i++) {
        const char *s;
        size_t slen;
        const char *word = stance_tokens_get_text(&an->toks, i);
        size_t wlen = an->toks.items[i].len;
        unsigned in = 0, after = 0; /* scopes this token lies in; scopes it opens */
        if (an->scopes) {
            int brk = i ? gap_break(text, an->toks.items[i - 1].end, an->toks.items[i].start) : 2;
            contrast = brk == 2 ? 0 : contrast;
            sentence = brk == 2 ? count : sentence;
            negated = brk ? 0 : negated;
            in = contrast | (negated > 0 ? STANCE_SCOPE_NEGATION : 0);
            after = (is_contrast(word, wlen) ? STANCE_SCOPE_CONTRAST : 0) |
                    (is_negation(word, wlen) ? STANCE_SCOPE_NEGATION : 0);
            after &= an->scopes;
            in &= ~after; /* a marker is not copied into the scope it opens */
        }
        int kept = stance_stemmer_stem_content(an->stemmer, word, wlen, &s, &slen);
        if (after & STANCE_SCOPE_CONTRAST)
            contrast = STANCE_SCOPE_CONTRAST;
        if (after & STANCE_SCOPE_NEGATION)
            negated = STANCE_NEGATION_SPAN;
        if (kept == 0)
            continue; /* a stop word */
        long at = kept > 0 ? stance_chars_append(&an->chars, &an->chars_len, &an->chars_cap, s, slen) : -1;
        if (at < 0)
            return stance_fail_nomem(err, NULL);
        if (an->scopes) {
            an->scoped[count] = in;
            negated -= (in & STANCE_SCOPE_NEGATION) != 0;
        }
        an->offs[count] = (size_t)at;
        an->spans[2 * count] = an->toks.items[i].start;
        an->spans[2 * count + 1] = an->toks.items[i].end;
        an->lens[count++] = slen;
    }
    for (size_t i = sentence; (an->scopes & STANCE_SCOPE_LAST) && sentence > 0 && i < count; i++)
        an->scoped[i] |= STANCE_SCOPE_LAST;
    if (an->scopes && (st = add_scoped(an, &count, err)) != STANCE_OK)
        return st;
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
