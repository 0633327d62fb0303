/* analyze.c: tokenizer and stemmer chained in process. */
#include "analyze_int.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "stance/tokenize.h"
#include "stem_int.h"
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
    const stance_actors *actors; /* borrowed; NULL: no STANCE_SCOPE_ACTORS */
    char pair[2 * STANCE_ACTORS_WORD_MAX + 2]; /* the previous token's stem, then a space */
    size_t prev_len;                           /* its length with the space; 0: none */
};

/* What the actor scope keeps track of while a text is analyzed. */
typedef struct {
    size_t first;    /* the first plain stem of the current sentence */
    unsigned named;  /* the sides (bits) the current sentence names */
    unsigned all;    /* the sides the whole text names */
    int both;        /* some sentence named two sides */
} actor_state;

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

void stance_analyzer_set_actors(stance_analyzer *an, const stance_actors *actors)
{
    an->actors = actors;
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

/* Appends a stem: prefix (2 bytes) then the n bytes at chars offset from, or, with from
 * SIZE_MAX, the n bytes of text; its span is [start, end). */
static stance_status append_stem(stance_analyzer *an, size_t *count, const char *prefix,
                                 size_t from, const char *text, size_t n, size_t start,
                                 size_t end, stance_error *err)
{
    /* room first, so that a stem copied from chars does not move while appending */
    char *chars = n < SIZE_MAX - 3 ? stance_grow(an->chars, &an->chars_cap, an->chars_len, n + 3, 1)
                                   : NULL;
    if (!chars || !reserve(an, *count + 1))
        return stance_fail_nomem(err, NULL);
    an->chars = chars;
    size_t at = an->chars_len;
    memcpy(chars + at, prefix, 2);
    memcpy(chars + at + 2, from == SIZE_MAX ? text : chars + from, n);
    chars[at + 2 + n] = '\0';
    an->chars_len += n + 3;
    an->offs[*count] = at;
    an->lens[*count] = n + 2;
    an->spans[2 * *count] = start;
    an->spans[2 * *count + 1] = end;
    ++*count;
    return STANCE_OK;
}

/* Appends the scoped copies of the count plain stems: contrast ones first, then negation, then
 * last sentence, then actors. */
static stance_status add_scoped(stance_analyzer *an, size_t *count, stance_error *err)
{
    static const struct {
        unsigned scope;
        const char *prefix;
    } kinds[] = {{STANCE_SCOPE_CONTRAST, "c:"}, {STANCE_SCOPE_NEGATION, "n:"},
                 {STANCE_SCOPE_LAST, "l:"}, {STANCE_SCOPE_ACTORS, "a:"}};
    size_t plain = *count;
    stance_status st = STANCE_OK;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; st == STANCE_OK && i < plain; i++)
            if (an->scoped[i] & kinds[k].scope)
                st = append_stem(an, count, kinds[k].prefix, an->offs[i], NULL, an->lens[i],
                                 an->spans[2 * i], an->spans[2 * i + 1], err);
    return st;
}

/* 1 if the token is an abbreviation of letters and periods ("u.s", "e.u") whose source is
 * followed by a period: that period ends no sentence. */
static int abbreviation_period(const char *text, const stance_tokens *toks, size_t i)
{
    const char *w = stance_tokens_get_text(toks, i);
    size_t n = toks->items[i].len;
    if (!memchr(w, '.', n) || text[toks->items[i].end] != '.')
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!((w[k] >= 'a' && w[k] <= 'z') || w[k] == '.' || (unsigned char)w[k] >= 0x80))
            return 0;
    return 1;
}

const stance_actors *stance_analyzer_get_actors(const stance_analyzer *an)
{
    return an->actors;
}

unsigned stance_analyzer_get_scopes(const stance_analyzer *an)
{
    return an->scopes;
}

int stance_analyzer_actor_break(const char *text, size_t len, const stance_tokens *toks, size_t i)
{
    size_t from = toks->items[i - 1].end, to = toks->items[i].start;
    if (from < len && from < to && abbreviation_period(text, toks, i - 1))
        from++;
    return gap_break(text, from, to);
}

/* Ends the actor scope's current sentence at plain stem count: its stems are copied when it
 * names two sides or more. */
static void actor_sentence_end(stance_analyzer *an, actor_state *as, size_t count)
{
    if (as->named & (as->named - 1)) {
        for (size_t i = as->first; i < count; i++)
            an->scoped[i] |= STANCE_SCOPE_ACTORS;
        as->both = 1;
    }
    as->all |= as->named;
    as->named = 0;
    as->first = count;
}

unsigned stance_analyzer_pair_sides(const stance_actors *actors, const char *prev, size_t plen,
                                    const char *stem, size_t slen)
{
    char pair[2 * STANCE_ACTORS_WORD_MAX + 2];
    if (plen > STANCE_ACTORS_WORD_MAX * 2 || slen >= sizeof pair - (plen + 1))
        return 0;
    memcpy(pair, prev, plen);
    pair[plen] = ' ';
    memcpy(pair + plen + 1, stem, slen);
    int side = stance_actors_side_of(actors, pair, plen + 1 + slen);
    return side >= 0 ? 1u << side : 0;
}

/* The sides (bits) a token names: its stem looked up (a stop word's too), and with the previous
 * token's stem when the lexicon has names of two words (after a break, none before it);
 * UINT_MAX on no memory. */
static unsigned token_sides(stance_analyzer *an, const char *word, size_t wlen, int kept,
                            const char *stem, size_t slen, int brk)
{
    if (kept == 0 && !(stem = stance_stemmer_stem(an->stemmer, word, wlen, &slen)))
        return UINT_MAX;
    int side = stance_actors_side_of(an->actors, stem, slen);
    unsigned sides = side >= 0 ? 1u << side : 0;
    if (!stance_actors_has_pairs(an->actors))
        return sides;
    if (brk)
        an->prev_len = 0;
    if (an->prev_len)
        sides |= stance_analyzer_pair_sides(an->actors, an->pair, an->prev_len - 1, stem, slen);
    an->prev_len = slen <= STANCE_ACTORS_WORD_MAX * 2 ? slen + 1 : 0;
    if (an->prev_len) {
        memcpy(an->pair, stem, slen);
        an->pair[slen] = ' ';
    }
    return sides;
}

const char *stance_analyzer_actor_indicator(int both, unsigned all)
{
    return both ? "a:#both" : (all & (all - 1)) ? "a:#apart" : all ? "a:#one" : "a:#none";
}

/* Appends the actor scope's indicator of the whole text (analyze_int.h). */
static stance_status add_actor_indicator(stance_analyzer *an, const actor_state *as,
                                         size_t *count, stance_error *err)
{
    const char *what = stance_analyzer_actor_indicator(as->both, as->all);
    size_t ntok = an->toks.count;
    size_t start = ntok ? an->toks.items[0].start : 0, end = ntok ? an->toks.items[ntok - 1].end : 0;
    return append_stem(an, count, "a:", SIZE_MAX, what + 2, strlen(what + 2), start, end, err);
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
    int scoping = an->scopes || an->actors;
    if (scoping) {
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
    actor_state as = {0, 0, 0, 0};
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
        int abrk = an->actors && i ? stance_analyzer_actor_break(text, len, &an->toks, i) : 0;
        if (abrk == 2)
            actor_sentence_end(an, &as, count);
        int kept = stance_stemmer_stem_content(an->stemmer, word, wlen, &s, &slen);
        if (kept < 0)
            return stance_fail_nomem(err, NULL);
        if (after & STANCE_SCOPE_CONTRAST)
            contrast = STANCE_SCOPE_CONTRAST;
        if (after & STANCE_SCOPE_NEGATION)
            negated = STANCE_NEGATION_SPAN;
        unsigned sides = an->actors ? token_sides(an, word, wlen, kept, s, slen, i == 0 || abrk) : 0;
        if (sides == UINT_MAX)
            return stance_fail_nomem(err, NULL);
        as.named |= sides;
        if (kept == 0)
            continue; /* a stop word */
        long at = stance_chars_append(&an->chars, &an->chars_len, &an->chars_cap, s, slen);
        if (at < 0)
            return stance_fail_nomem(err, NULL);
        if (scoping) {
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
    if (an->actors)
        actor_sentence_end(an, &as, count);
    if (scoping && (st = add_scoped(an, &count, err)) != STANCE_OK)
        return st;
    if (an->actors && (st = add_actor_indicator(an, &as, &count, err)) != STANCE_OK)
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
