/* actors.c: the lexicon of the parties (actors_int.h): parsing, stemming, the bundle's JSON. */
#include "actors_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "regfile_int.h"
#include "stance/tokenize.h"
#include "stem_int.h"
#include "strmap_int.h"
#include "utf8_int.h"

struct stance_actors {
    char *where;
    char *names[STANCE_ACTORS_SIDES_MAX];
    size_t nsides;
    size_t counts[STANCE_ACTORS_SIDES_MAX]; /* words (or stems) per side */
    stance_strmap words;                    /* word, or stem once stemmed -> its side */
    long *lines;                            /* per entry of words: the line it came from */
    size_t lines_cap;
    int pairs;                              /* some entry is two words ("a b") */
};

void stance_actors_free(stance_actors *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nsides; i++)
        free(a->names[i]);
    stance_strmap_clear(&a->words);
    free(a->lines);
    free(a->where);
    free(a);
}

static stance_actors *actors_new(const char *where)
{
    stance_actors *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    stance_strmap_init(&a->words);
    if (!(a->where = strdup(where ? where : ""))) {
        free(a);
        return NULL;
    }
    return a;
}

size_t stance_actors_get_side_count(const stance_actors *a)
{
    return a->nsides;
}

const char *stance_actors_get_side_name(const stance_actors *a, size_t i)
{
    return i < a->nsides ? a->names[i] : NULL;
}

int stance_actors_has_pairs(const stance_actors *a)
{
    return a->pairs;
}

int stance_actors_side_of(const stance_actors *a, const char *s, size_t len)
{
    long e = stance_strmap_find(&a->words, s, len);
    return e < 0 ? -1 : (int)a->words.entries[e].value;
}

static int name_ok(const char *s, size_t n)
{
    if (n == 0 || n > STANCE_ACTORS_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return 0;
    return 1;
}

/* The side named s[0..n), added if new; -1 on no memory, -2 when there are too many. */
static long side_index(stance_actors *a, const char *s, size_t n)
{
    for (size_t i = 0; i < a->nsides; i++)
        if (strlen(a->names[i]) == n && memcmp(a->names[i], s, n) == 0)
            return (long)i;
    if (a->nsides == STANCE_ACTORS_SIDES_MAX)
        return -2;
    char *name = malloc(n + 1);
    if (!name)
        return -1;
    memcpy(name, s, n);
    name[n] = '\0';
    a->names[a->nsides] = name;
    return (long)a->nsides++;
}

/* Adds word w to side (listed on line); a word already on it is left as it is. */
static stance_status add_word(stance_actors *a, const char *w, size_t n, size_t side, long line,
                              stance_error *err)
{
    long e = stance_strmap_find(&a->words, w, n);
    if (e >= 0 && a->words.entries[e].value == side)
        return STANCE_OK;
    if (e >= 0)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line,
                           "\"%.*s\" is on side \"%s\" already (line %ld): a word names one side",
                           (int)n, w, a->names[a->words.entries[e].value], a->lines[e]);
    if (a->words.count == STANCE_ACTORS_WORDS_MAX)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line, "more than %d words",
                           STANCE_ACTORS_WORDS_MAX);
    long *lines = stance_grow(a->lines, &a->lines_cap, a->words.count, 1, sizeof *lines);
    if (!lines)
        return stance_fail_nomem(err, a->where);
    a->lines = lines;
    e = stance_strmap_put(&a->words, w, n, side);
    if (e < 0)
        return stance_fail_nomem(err, a->where);
    a->lines[e] = line;
    a->counts[side]++;
    a->pairs |= memchr(w, ' ', n) != NULL;
    return STANCE_OK;
}

/* One token's text of w[0..n) appended to key (at most 2 * STANCE_ACTORS_WORD_MAX + 2 bytes);
 * -1 if w is not one token. */
static int one_token(stance_tokens *toks, const char *w, size_t n, char *key, size_t *klen,
                     stance_status *st, stance_error *err)
{
    *st = stance_tokenize_run(w, n, 0, toks, err);
    if (*st != STANCE_OK || toks->count != 1 ||
        toks->items[0].len > 2 * STANCE_ACTORS_WORD_MAX + 1 - *klen)
        return -1;
    memcpy(key + *klen, stance_tokens_get_text(toks, 0), toks->items[0].len);
    *klen += toks->items[0].len;
    return 0;
}

/* One word of a line: one token, or two joined by '_' (a name of two words), whose text is
 * kept (two: joined by a space, as a bigram is). */
static stance_status parse_word(stance_actors *a, stance_tokens *toks, const char *w, size_t n,
                                size_t side, long line, stance_error *err)
{
    if (n > STANCE_ACTORS_WORD_MAX)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line,
                           "a word of more than %d bytes", STANCE_ACTORS_WORD_MAX);
    char key[2 * STANCE_ACTORS_WORD_MAX + 2]; /* a token's text may be longer than its source */
    size_t klen = 0;
    const char *join = memchr(w, '_', n);
    size_t first = join ? (size_t)(join - w) : n;
    stance_status st = STANCE_OK;
    int bad = one_token(toks, w, first, key, &klen, &st, err);
    if (!bad && join) {
        key[klen++] = ' ';
        bad = one_token(toks, join + 1, n - first - 1, key, &klen, &st, err);
    }
    if (st != STANCE_OK)
        return st == STANCE_ERR_NOMEM ? stance_fail_nomem(err, a->where) : st;
    if (bad)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line,
                           "\"%.*s\" is not one word to the tokenizer, nor two joined by '_'",
                           (int)n, w);
    return add_word(a, key, klen, side, line, err);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One line (without its end), comments already cut off. */
static stance_status parse_line(stance_actors *a, stance_tokens *toks, const char *s, size_t n,
                                long line, stance_error *err)
{
    while (n > 0 && is_blank(s[0]))
        s++, n--;
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    if (n == 0)
        return STANCE_OK;
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line,
                           "expected \"SIDE: WORD ...\" (a side's name, a colon, its words)");
    size_t nlen = (size_t)(colon - s);
    while (nlen > 0 && is_blank(s[nlen - 1]))
        nlen--;
    if (!name_ok(s, nlen))
        return stance_fail(err, STANCE_ERR_DATA, a->where, line,
                           "a side's name is 1 to %d of a-z, 0-9, '_' and '-', not \"%.*s\"",
                           STANCE_ACTORS_NAME_MAX, (int)nlen, s);
    long side = side_index(a, s, nlen);
    if (side == -1)
        return stance_fail_nomem(err, a->where);
    if (side == -2)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line, "more than %d sides",
                           STANCE_ACTORS_SIDES_MAX);
    const char *p = colon + 1, *end = s + n;
    int words = 0;
    while (p < end) {
        while (p < end && is_blank(*p))
            p++;
        const char *w = p;
        while (p < end && !is_blank(*p))
            p++;
        if (p == w)
            break;
        stance_status st = parse_word(a, toks, w, (size_t)(p - w), (size_t)side, line, err);
        if (st != STANCE_OK)
            return st;
        words++;
    }
    if (!words)
        return stance_fail(err, STANCE_ERR_DATA, a->where, line, "side \"%s\" lists no words",
                           a->names[side]);
    return STANCE_OK;
}

/* After the last line: at least two sides. */
static stance_status check_sides(const stance_actors *a, stance_error *err)
{
    if (a->nsides < 2)
        return stance_fail(err, STANCE_ERR_DATA, a->where, 0,
                           "%zu side%s: a lexicon of the parties needs at least two", a->nsides,
                           a->nsides == 1 ? "" : "s");
    return STANCE_OK;
}

static stance_status parse_text(stance_actors *a, const char *text, size_t len,
                                stance_error *err)
{
    size_t at = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    stance_tokens toks;
    stance_tokens_init(&toks);
    stance_status st = STANCE_OK;
    for (long line = 1; st == STANCE_OK && at < len; line++) {
        const char *s = text + at, *nl = memchr(s, '\n', len - at);
        size_t n = nl ? (size_t)(nl - s) : len - at;
        size_t bad = stance_utf8_check((const unsigned char *)s, n);
        const char *nul = memchr(s, '\0', n);
        if (nul && (size_t)(nul - s) <= bad) {
            st = stance_fail(err, STANCE_ERR_DATA, a->where, line, "a NUL byte at byte %zu",
                             at + (size_t)(nul - s));
            break;
        }
        if (bad < n) {
            st = stance_fail(err, STANCE_ERR_DATA, a->where, line, "invalid UTF-8 at byte %zu",
                             at + bad);
            break;
        }
        if (n > STANCE_ACTORS_LINE_MAX) {
            st = stance_fail(err, STANCE_ERR_DATA, a->where, line, "a line of more than %d bytes",
                             STANCE_ACTORS_LINE_MAX);
            break;
        }
        const char *hash = memchr(s, '#', n);
        st = parse_line(a, &toks, s, hash ? (size_t)(hash - s) : n, line, err);
        at += n + 1;
    }
    stance_tokens_clear(&toks);
    return st == STANCE_OK ? check_sides(a, err) : st;
}

stance_status stance_actors_parse(const char *text, size_t len, const char *where,
                                  stance_actors **out, stance_error *err)
{
    *out = NULL;
    stance_actors *a = actors_new(where);
    if (!a)
        return stance_fail_nomem(err, where);
    stance_status st = parse_text(a, text, len, err);
    if (st != STANCE_OK) {
        stance_actors_free(a);
        return st;
    }
    *out = a;
    return STANCE_OK;
}

stance_status stance_actors_load(const char *path, stance_actors **out, stance_error *err)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    stance_status st = stance_regfile_read(AT_FDCWD, path, path, 0, STANCE_ACTORS_FILE_MAX,
                                           "bytes a lexicon of the parties may have", &buf, &len,
                                           err);
    if (st == STANCE_OK)
        st = stance_actors_parse(buf, len, path, out, err);
    free(buf);
    return st;
}

/* The stem of an entry of n bytes: one word's, or two words' joined by a space (into two); NULL
 * on no memory. */
static const char *stem_entry(stance_stemmer *st, const char *w, size_t n, char *two,
                              size_t *slen)
{
    const char *space = memchr(w, ' ', n);
    if (!space)
        return stance_stemmer_stem(st, w, n, slen);
    size_t first = (size_t)(space - w), len;
    const char *s = stance_stemmer_stem(st, w, first, &len);
    if (!s)
        return NULL;
    memcpy(two, s, len); /* a stem is never longer than its word, nor than STANCE_STEM_MAX_BYTES */
    two[len] = ' ';
    *slen = len + 1;
    if (!(s = stance_stemmer_stem(st, space + 1, n - first - 1, &len)))
        return NULL;
    memcpy(two + *slen, s, len);
    *slen += len;
    two[*slen] = '\0';
    return two;
}

stance_status stance_actors_stem(stance_actors *a, stance_stemmer *st, stance_error *err)
{
    stance_actors *s = actors_new(a->where);
    if (!s)
        return stance_fail_nomem(err, a->where);
    stance_status status = STANCE_OK;
    for (size_t i = 0; status == STANCE_OK && i < a->words.count; i++) {
        size_t slen;
        const char *w = stance_strmap_key(&a->words, i);
        char two[2 * STANCE_STEM_MAX_BYTES + 2];
        const char *stem = stem_entry(st, w, a->words.entries[i].len, two, &slen);
        if (!stem)
            status = stance_fail_nomem(err, a->where);
        long e = stem ? stance_strmap_find(&s->words, stem, slen) : -1;
        if (e >= 0 && s->words.entries[e].value != a->words.entries[i].value)
            status = stance_fail(err, STANCE_ERR_DATA, a->where, a->lines[i],
                                 "\"%s\" has the stem \"%s\", as a word of side \"%s\" has "
                                 "(line %ld): a stem names one side",
                                 w, stem, a->names[s->words.entries[e].value], s->lines[e]);
        else if (status == STANCE_OK)
            status = add_word(s, stem, slen, a->words.entries[i].value, a->lines[i], err);
    }
    if (status != STANCE_OK) {
        stance_actors_free(s);
        return status;
    }
    stance_strmap_clear(&a->words);
    free(a->lines);
    a->words = s->words;
    a->lines = s->lines;
    a->lines_cap = s->lines_cap;
    memcpy(a->counts, s->counts, sizeof a->counts);
    stance_strmap_init(&s->words);
    s->lines = NULL;
    stance_actors_free(s);
    return STANCE_OK;
}

json_t *stance_actors_to_json(const stance_actors *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < a->nsides; i++) {
        json_t *stems = json_array();
        for (size_t e = 0; stems && e < a->words.count; e++)
            if (a->words.entries[e].value == i &&
                json_array_append_new(stems, json_stringn(stance_strmap_key(&a->words, e),
                                                          a->words.entries[e].len)) != 0) {
                json_decref(stems);
                stems = NULL;
            }
        json_t *side = stems ? json_pack("{s:s, s:o}", "side", a->names[i], "stems", stems) : NULL;
        if (!side || json_array_append_new(arr, side) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

/* One side of the JSON form: {"side": NAME, "stems": [...]} and nothing else. */
static stance_status side_from_json(stance_actors *a, const json_t *o, stance_error *err)
{
    const json_t *name = json_object_get(o, "side"), *stems = json_object_get(o, "stems");
    if (!json_is_object(o) || json_object_size(o) != 2 || !json_is_string(name) ||
        !json_is_array(stems) || json_array_size(stems) == 0)
        return stance_fail(err, STANCE_ERR_DATA, a->where, 0,
                           "analyzer \"actors\": a side is not {\"side\": NAME, \"stems\": [...]}");
    const char *s = json_string_value(name);
    long side = name_ok(s, json_string_length(name)) ? side_index(a, s, json_string_length(name)) : -3;
    if (side == -1)
        return stance_fail_nomem(err, a->where);
    if (side < 0 || (size_t)side != a->nsides - 1 || a->counts[side] != 0)
        return stance_fail(err, STANCE_ERR_DATA, a->where, 0,
                           "analyzer \"actors\": a side's name is bad, repeated, or one too many");
    size_t i;
    const json_t *w;
    json_array_foreach(stems, i, w) {
        size_t n = json_is_string(w) ? json_string_length(w) : 0;
        const char *t = json_is_string(w) ? json_string_value(w) : "";
        if (n == 0 || n > 2 * STANCE_ACTORS_WORD_MAX + 1 || memchr(t, '\0', n) ||
            stance_strmap_find(&a->words, t, n) >= 0)
            return stance_fail(err, STANCE_ERR_DATA, a->where, 0,
                               "analyzer \"actors\": side \"%s\" holds a stem that is empty, too "
                               "long, not a string, or listed twice", s);
        stance_status st = add_word(a, t, n, (size_t)side, 0, err);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

stance_status stance_actors_from_json(const json_t *json, const char *where, stance_actors **out,
                                      stance_error *err)
{
    *out = NULL;
    stance_actors *a = actors_new(where);
    if (!a)
        return stance_fail_nomem(err, where);
    stance_status st = STANCE_OK;
    if (!json_is_array(json) || json_array_size(json) > STANCE_ACTORS_SIDES_MAX)
        st = stance_fail(err, STANCE_ERR_DATA, where, 0,
                         "analyzer \"actors\" is not an array of at most %d sides",
                         STANCE_ACTORS_SIDES_MAX);
    for (size_t i = 0; st == STANCE_OK && i < json_array_size(json); i++)
        st = side_from_json(a, json_array_get(json, i), err);
    if (st == STANCE_OK)
        st = check_sides(a, err);
    if (st != STANCE_OK) {
        stance_actors_free(a);
        return st;
    }
    *out = a;
    return STANCE_OK;
}
