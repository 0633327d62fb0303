/* stem.c: libstemmer behind a word cache, and the stop word set. */
#include "stance/stem.h"

#include <errno.h>
#include <limits.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "stem_int.h"
#include "strmap_int.h"
#include "utf8_int.h"

struct stance_stemmer {
    struct sb_stemmer *sb;
    /* word -> 2 * offset of its stem record in stems, + 1 if the word is a stop word, so one
     * look-up answers both questions. After the stop words change those bits are stale until
     * refresh_stop_bits runs (stop_stale). */
    stance_strmap cache;
    char *stems; /* stem records: the length (uint32_t, unaligned), the bytes, a NUL */
    size_t stems_len, stems_cap;
    size_t cache_max; /* words cached at most */
    stance_strmap stop;
    int stop_stale;
};

/* Function words only; see stem.h for what is left out and why. */
static const char *const english_stopwords[] = {
    "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "must", "my", "myself", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
    "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    "yourself", "yourselves", "also", "s", "t",
};

const char **stance_stem_get_languages(void)
{
    return sb_stemmer_list();
}

/* Every change to st->stop goes through here: the cache's stop bits need a refresh. */
static stance_strmap *changing_stopwords(stance_stemmer *st)
{
    st->stop_stale = 1;
    return &st->stop;
}

static int load_builtin_stopwords(stance_stemmer *st)
{
    size_t n = sizeof english_stopwords / sizeof english_stopwords[0];
    for (size_t i = 0; i < n; i++)
        if (stance_strmap_put(changing_stopwords(st), english_stopwords[i],
                              strlen(english_stopwords[i]), 0) < 0)
            return 0;
    return 1;
}

stance_status stance_stemmer_new(const char *language, stance_stemmer **out, stance_error *err)
{
    *out = NULL;
    stance_stemmer *st = calloc(1, sizeof *st);
    if (!st)
        return stance_fail_nomem(err, NULL);
    stance_strmap_init(&st->cache);
    st->cache_max = STANCE_STEM_CACHE_MAX;
    stance_strmap_init_keyed(&st->stop, &st->cache.key); /* one hash answers both maps */
    int known = 0;
    for (const char **l = sb_stemmer_list(); *l; l++)
        known |= strcmp(*l, language) == 0;
    st->sb = known ? sb_stemmer_new(language, NULL) : NULL;
    if (!st->sb) {
        stance_stemmer_free(st);
        if (!known)
            return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                               "unknown stemmer language '%s' (--list-languages shows them)",
                               language);
        return stance_fail_nomem(err, NULL);
    }
    if (!load_builtin_stopwords(st)) {
        stance_stemmer_free(st);
        return stance_fail_nomem(err, NULL);
    }
    *out = st;
    return STANCE_OK;
}

void stance_stemmer_free(stance_stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    stance_strmap_clear(&st->cache);
    stance_strmap_clear(&st->stop);
    free(st->stems);
    free(st);
}

void stance_stemmer_clear_stopwords(stance_stemmer *st)
{
    stance_strmap_clear(changing_stopwords(st));
}

stance_status stance_stemmer_add_stopword(stance_stemmer *st, const char *word, size_t len,
                                          stance_error *err)
{
    if (stance_strmap_put(changing_stopwords(st), word, len, 0) < 0)
        return stance_fail_nomem(err, NULL);
    return STANCE_OK;
}

size_t stance_stemmer_stopword_count(const stance_stemmer *st)
{
    return st->stop.count;
}

const char *stance_stemmer_stopword(const stance_stemmer *st, size_t i)
{
    return stance_strmap_key(&st->stop, i);
}

int stance_stemmer_is_stopword(const stance_stemmer *st, const char *word, size_t len)
{
    return stance_strmap_find(&st->stop, word, len) >= 0;
}

/* Takes one stop word line: trims blanks, skips comments, lower-cases ASCII. */
static stance_status add_stopword_line(stance_strmap *set, char *line, size_t n, const char *path,
                                       long lineno, stance_error *err)
{
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                     line[n - 1] == '\t'))
        n--;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == n || line[i] == '#')
        return STANCE_OK;
    if (memchr(line + i, '\0', n - i))
        return stance_fail(err, STANCE_ERR_DATA, path, lineno, "NUL byte in stop word");
    if (stance_utf8_check((unsigned char *)line + i, n - i) != n - i)
        return stance_fail(err, STANCE_ERR_DATA, path, lineno, "invalid UTF-8 in stop word");
    for (size_t k = i; k < n; k++)
        if (line[k] >= 'A' && line[k] <= 'Z')
            line[k] = (char)(line[k] + 32);
    if (stance_strmap_put(set, line + i, n - i, 0) < 0)
        return stance_fail_nomem(err, path);
    return STANCE_OK;
}

stance_status stance_stemmer_load_stopwords(stance_stemmer *st, const char *path,
                                            stance_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot open stop word file");
    stance_strmap set;
    stance_strmap_init_keyed(&set, &st->cache.key);
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t n;
    stance_status status = STANCE_OK;
    while (status == STANCE_OK && (errno = 0, n = getline(&line, &cap, f)) >= 0) {
        int bom = lineno == 0 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0;
        status = add_stopword_line(&set, line + 3 * bom, (size_t)n - 3 * (size_t)bom, path,
                                   ++lineno, err);
    }
    if (status == STANCE_OK) /* the end, a failed read, or a line too long for memory */
        status = stance_getline_end(f, errno, path, lineno + 1, err);
    free(line);
    fclose(f);
    if (status != STANCE_OK) {
        stance_strmap_clear(&set);
        return status;
    }
    stance_strmap_clear(changing_stopwords(st));
    st->stop = set;
    return STANCE_OK;
}

/* Appends a stem record to st->stems; returns its offset, or -1 on no memory. */
static long append_stem(stance_stemmer *st, const char *stem, size_t len)
{
    uint32_t n = (uint32_t)len;
    size_t need = sizeof n + len + 1;
    size_t limit = (size_t)LONG_MAX < SIZE_MAX / 2 ? (size_t)LONG_MAX : SIZE_MAX / 2;
    if (len > UINT32_MAX || st->stems_len > limit - need)
        return -1; /* the offset must fit a long, and twice it a size_t */
    char *p = stance_grow(st->stems, &st->stems_cap, st->stems_len, need, 1);
    if (!p)
        return -1;
    st->stems = p;
    char *rec = st->stems + st->stems_len;
    memcpy(rec, &n, sizeof n);
    memcpy(rec + sizeof n, stem, len);
    rec[sizeof n + len] = '\0';
    long at = (long)st->stems_len;
    st->stems_len += need;
    return at;
}

/* The stem in the record that cache value v points to. */
static inline const char *record_stem(const stance_stemmer *st, size_t v, size_t *stem_len)
{
    const char *rec = st->stems + v / 2;
    uint32_t n;
    memcpy(&n, rec, sizeof n);
    *stem_len = n;
    return rec + sizeof n;
}

/* Recomputes every cached word's stop bit after the stop words changed. */
static void refresh_stop_bits(stance_stemmer *st)
{
    for (size_t i = 0; i < st->cache.count; i++) {
        stance_strmap_entry *e = &st->cache.entries[i];
        int stop = stance_strmap_find_hashed(&st->stop, stance_strmap_key(&st->cache, i), e->len,
                                             e->hash) >= 0;
        e->value = (e->value & ~(size_t)1) | (size_t)stop;
    }
    st->stop_stale = 0;
}

/* Stems a word that is not in the cache (stop tells whether it is a stop word) and caches it
 * while there is room. */
static const char *stem_uncached(stance_stemmer *st, const char *word, size_t len,
                                 uint64_t hash, int stop, size_t *stem_len)
{
    if (len > STANCE_STEM_MAX_BYTES) {
        *stem_len = len;
        return word;
    }
    const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
    if (!s)
        return NULL;
    size_t slen = (size_t)sb_stemmer_length(st->sb);
    *stem_len = slen;
    if (st->cache.count >= st->cache_max)
        return (const char *)s; /* cache full: libstemmer's buffer is valid until the next call */
    long at = append_stem(st, (const char *)s, slen);
    if (at < 0 ||
        stance_strmap_put_hashed(&st->cache, word, len, hash, (size_t)at * 2 + (size_t)stop) < 0)
        return NULL;
    return st->stems + at + sizeof(uint32_t);
}

void stance_stemmer_set_cache_max(stance_stemmer *st, size_t words)
{
    st->cache_max = words;
}

const char *stance_stemmer_stem(stance_stemmer *st, const char *word, size_t len,
                                size_t *stem_len)
{
    uint64_t hash = stance_strmap_hash(&st->cache, word, len);
    long hit = stance_strmap_find_hashed(&st->cache, word, len, hash);
    if (hit >= 0)
        return record_stem(st, st->cache.entries[hit].value, stem_len);
    int stop = stance_strmap_find_hashed(&st->stop, word, len, hash) >= 0;
    return stem_uncached(st, word, len, hash, stop, stem_len);
}

int stance_stemmer_stem_content(stance_stemmer *st, const char *word, size_t len,
                                const char **stem, size_t *stem_len)
{
    if (st->stop_stale)
        refresh_stop_bits(st);
    uint64_t hash = stance_strmap_hash(&st->cache, word, len);
    long hit = stance_strmap_find_hashed(&st->cache, word, len, hash);
    *stem = NULL;
    *stem_len = 0;
    if (hit >= 0) {
        size_t v = st->cache.entries[hit].value;
        if (v & 1)
            return 0;
        *stem = record_stem(st, v, stem_len);
        return 1;
    }
    int stop = stance_strmap_find_hashed(&st->stop, word, len, hash) >= 0;
    if (stop && (len > STANCE_STEM_MAX_BYTES || st->cache.count >= st->cache_max))
        return 0; /* would not be cached: no need to stem it */
    size_t slen;
    const char *s = stem_uncached(st, word, len, hash, stop, &slen);
    if (!s)
        return -1;
    if (stop)
        return 0;
    *stem = s;
    *stem_len = slen;
    return 1;
}
