/* article.c: reading an article, checking or transcoding its bytes, and finding its paragraphs. */
#include "stance/article.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article_int.h"
#include "error_int.h"
#include "grow_int.h"
#include "stream_int.h"
#include "utf8_int.h"

struct stance_article {
    char *text; /* UTF-8, NUL-terminated */
    size_t len;
    size_t bom; /* bytes of byte-order mark skipped before text[0] */
    /* After transcoding, text offset shift_at[k] and beyond lie shift_by[k] bytes further
     * than the source offset they came from (sorted by shift_at). */
    size_t *shift_at, *shift_by;
    size_t nshift;
    stance_passage *passages;
    size_t npassages;
};

/* Windows-1252 bytes 0x80-0x9F; the five bytes it leaves undefined map to C1 controls. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

stance_status stance_encoding_parse(const char *name, stance_encoding *enc, stance_error *err)
{
    static const struct {
        const char *name;
        stance_encoding enc;
    } names[] = {
        {"utf-8", STANCE_ENC_UTF8},          {"utf8", STANCE_ENC_UTF8},
        {"latin1", STANCE_ENC_LATIN1},       {"latin-1", STANCE_ENC_LATIN1},
        {"iso-8859-1", STANCE_ENC_LATIN1},   {"cp1252", STANCE_ENC_CP1252},
        {"windows-1252", STANCE_ENC_CP1252},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *enc = names[i].enc;
            return STANCE_OK;
        }
    }
    return stance_fail(err, STANCE_ERR_USAGE, NULL, 0,
                       "unknown encoding '%s' (expected utf-8, latin1 or cp1252)", name);
}

const char *stance_kind_name(stance_kind kind)
{
    switch (kind) {
    case STANCE_KIND_HEADLINE: return "headline";
    case STANCE_KIND_META: return "meta";
    case STANCE_KIND_BODY: break;
    }
    return "body";
}

void stance_article_free(stance_article *art)
{
    if (!art)
        return;
    free(art->text);
    free(art->shift_at);
    free(art->shift_by);
    free(art->passages);
    free(art);
}

/* A new copy of the n elements of a (n may be 0): NULL only on no memory. */
static void *copy_array(const void *a, size_t n, size_t size)
{
    void *c = malloc(n ? n * size : 1);
    if (c && n)
        memcpy(c, a, n * size);
    return c;
}

stance_status stance_article_copy(const stance_article *art, stance_article **out,
                                  stance_error *err)
{
    *out = NULL;
    stance_article *c = calloc(1, sizeof *c);
    if (!c)
        return stance_fail_nomem(err, NULL);
    *c = *art;
    c->text = copy_array(art->text, art->len + 1, 1);
    c->shift_at = copy_array(art->shift_at, art->nshift, sizeof *art->shift_at);
    c->shift_by = copy_array(art->shift_by, art->nshift, sizeof *art->shift_by);
    c->passages = copy_array(art->passages, art->npassages, sizeof *art->passages);
    if (!c->text || !c->shift_at || !c->shift_by || !c->passages) {
        stance_article_free(c);
        return stance_fail_nomem(err, NULL);
    }
    *out = c;
    return STANCE_OK;
}

const char *stance_article_get_text(const stance_article *art, size_t *len)
{
    if (len)
        *len = art->len;
    return art->text;
}

size_t stance_article_get_passage_count(const stance_article *art)
{
    return art->npassages;
}

const stance_passage *stance_article_get_passage(const stance_article *art, size_t i)
{
    return &art->passages[i];
}

size_t stance_article_get_source_offset(const stance_article *art, size_t off)
{
    size_t lo = 0, hi = art->nshift; /* find the last shift_at <= off */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (art->shift_at[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t shift = lo ? art->shift_by[lo - 1] : 0;
    return off - shift + art->bom;
}

static long line_of(const char *bytes, size_t off)
{
    long line = 1;
    for (const char *p = bytes; (p = memchr(p, '\n', (size_t)(bytes + off - p))) != NULL; p++)
        line++;
    return line;
}

/* Rejects NUL bytes and, for UTF-8 input, malformed sequences; offsets count from the file start. */
static stance_status check_bytes(const char *b, size_t n, size_t base, stance_encoding enc,
                                 const char *name, long first_line, stance_error *err)
{
    const char *nul = memchr(b, '\0', n);
    size_t bad = enc == STANCE_ENC_UTF8 ? stance_utf8_check((const unsigned char *)b, n) : n;
    if (nul && (size_t)(nul - b) < bad) {
        size_t at = (size_t)(nul - b);
        return stance_fail(err, STANCE_ERR_DATA, name, first_line + line_of(b, at) - 1,
                           "NUL byte at byte %zu", base + at);
    }
    if (bad < n)
        return stance_fail(err, STANCE_ERR_DATA, name, first_line + line_of(b, bad) - 1,
                           "invalid UTF-8 at byte %zu (0x%02x); for Latin-1 or Windows-1252 "
                           "text give the encoding (--encoding latin1|cp1252)",
                           base + bad, (unsigned char)b[bad]);
    return STANCE_OK;
}

/* Makes buf (n bytes of checked UTF-8 at buf + skip, room for n + skip + 1 bytes) the text. */
static void adopt_utf8(stance_article *art, char *buf, size_t skip, size_t n)
{
    if (skip)
        memmove(buf, buf + skip, n);
    buf[n] = '\0';
    art->text = buf;
    art->len = n;
}

static stance_status transcode(stance_article *art, const char *b, size_t n, stance_encoding enc)
{
    size_t high = 0;
    for (size_t i = 0; i < n; i++)
        high += (unsigned char)b[i] >= 0x80;
    art->text = malloc(n + 2 * high + 1); /* each high byte becomes at most 3 bytes */
    art->shift_at = malloc((high ? high : 1) * sizeof(size_t));
    art->shift_by = malloc((high ? high : 1) * sizeof(size_t));
    if (!art->text || !art->shift_at || !art->shift_by)
        return STANCE_ERR_NOMEM;
    unsigned char *out = (unsigned char *)art->text;
    size_t o = 0, extra = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c < 0x80) {
            out[o++] = c;
            continue;
        }
        uint32_t cp = (enc == STANCE_ENC_CP1252 && c < 0xA0) ? cp1252_high[c - 0x80] : c;
        size_t k = stance_utf8_encode(cp, out + o);
        o += k;
        extra += k - 1;
        art->shift_at[art->nshift] = o;
        art->shift_by[art->nshift++] = extra;
    }
    out[o] = '\0';
    art->len = o;
    return STANCE_OK;
}

static int is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Keys that open a metadata line; matched case-insensitively, followed by ':'. */
static int opens_with_meta_key(const char *s, size_t n)
{
    static const char *const keys[] = {
        "publication", "volume", "issue", "date", "source", "author", "authors", "by",
        "byline", "section", "dateline", "url", "copyright", "language", "keywords", "length",
        "page", "edition", "published", "posted", "updated",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t k = strlen(keys[i]);
        if (n > k && s[k] == ':' && strncasecmp(s, keys[i], k) == 0)
            return 1;
    }
    return 0;
}

/* Lower-case letters of the cased scripts (Latin, Greek, Cyrillic). */
static int is_lower_letter(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    int cased = (cp >= 0xDF && cp <= 0x24F && cp != 0xF7) || (cp >= 0x370 && cp <= 0x3FF) ||
                (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1FFF);
    return cased && stance_utf8_lower(cp) == cp;
}

static stance_kind classify(const char *s, size_t n)
{
    if (n <= 300 && !memchr(s, '\n', n) && opens_with_meta_key(s, n))
        return STANCE_KIND_META;
    if (n > 200)
        return STANCE_KIND_BODY;
    size_t upper = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = stance_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0)
            return STANCE_KIND_BODY;
        if (is_lower_letter(cp))
            return STANCE_KIND_BODY;
        upper += stance_utf8_lower(cp) != cp;
        i += k;
    }
    return upper >= 2 ? STANCE_KIND_HEADLINE : STANCE_KIND_BODY;
}

static stance_status add_passage(stance_article *art, size_t *cap, size_t start, size_t end)
{
    while (start < end && is_blank_byte(art->text[start]))
        start++;
    while (end > start && is_blank_byte(art->text[end - 1]))
        end--;
    stance_passage *grown = stance_grow(art->passages, cap, art->npassages, 1, sizeof *grown);
    if (!grown)
        return STANCE_ERR_NOMEM;
    art->passages = grown;
    stance_passage *p = &art->passages[art->npassages++];
    p->number = art->npassages;
    p->start = start;
    p->end = end;
    p->kind = classify(art->text + start, end - start);
    return STANCE_OK;
}

static int line_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank_byte(s[i]))
            return 0;
    return 1;
}

static stance_status split_passages(stance_article *art)
{
    size_t cap = 0, para_start = 0, para_end = 0;
    int in_para = 0;
    for (size_t pos = 0; pos < art->len;) {
        const char *nl = memchr(art->text + pos, '\n', art->len - pos);
        size_t eol = nl ? (size_t)(nl - art->text) : art->len;
        if (line_is_blank(art->text + pos, eol - pos)) {
            if (in_para && add_passage(art, &cap, para_start, para_end) != STANCE_OK)
                return STANCE_ERR_NOMEM;
            in_para = 0;
        } else {
            if (!in_para)
                para_start = pos;
            in_para = 1;
            para_end = eol;
        }
        pos = eol + 1;
    }
    if (in_para)
        return add_passage(art, &cap, para_start, para_end);
    return STANCE_OK;
}

/* stance_article_from_bytes for a heap buffer with room for len + 1 bytes, which the article
 * takes over (it is freed on failure too), so UTF-8 text is not copied again. */
static stance_status from_buffer(char *buf, size_t len, const char *name, long line,
                                 stance_encoding enc, stance_article **out, stance_error *err)
{
    *out = NULL;
    stance_article *art = calloc(1, sizeof *art);
    if (!art) {
        free(buf);
        return stance_fail_nomem(err, name);
    }
    if (enc == STANCE_ENC_UTF8 && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        art->bom = 3;
    const char *b = buf + art->bom;
    size_t n = len - art->bom;
    stance_status st = check_bytes(b, n, art->bom, enc, name, line, err);
    if (st == STANCE_OK) {
        if (enc == STANCE_ENC_UTF8) {
            adopt_utf8(art, buf, art->bom, n);
            buf = NULL;
        } else {
            st = transcode(art, b, n, enc);
        }
        if (st == STANCE_OK)
            st = split_passages(art);
        if (st != STANCE_OK)
            stance_fail_nomem(err, name);
    }
    free(buf);
    if (st != STANCE_OK) {
        stance_article_free(art);
        return st;
    }
    *out = art;
    return STANCE_OK;
}

stance_status stance_article_from_bytes(const char *bytes, size_t len, const char *name,
                                        long line, stance_encoding enc, stance_article **out,
                                        stance_error *err)
{
    *out = NULL;
    char *buf = len < SIZE_MAX ? malloc(len + 1) : NULL;
    if (!buf)
        return stance_fail_nomem(err, name);
    if (len)
        memcpy(buf, bytes, len);
    return from_buffer(buf, len, name, line, enc, out, err);
}

stance_status stance_article_read(FILE *f, const char *name, stance_encoding enc, size_t max,
                                  stance_article **out, stance_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    if (max == 0)
        max = STANCE_ARTICLE_MAX_BYTES;
    stance_status st = stance_stream_read_max(f, name, max, &buf, &len, err);
    if (st == STANCE_ERR_DATA) /* the only data error of a read: too long */
        return stance_fail(err, STANCE_ERR_DATA, name, 0, "article larger than the limit of %zu "
                           "bytes (--max-article-bytes raises it)", max);
    if (st != STANCE_OK)
        return st;
    return from_buffer(buf, len, name, 1, enc, out, err);
}

stance_status stance_article_load(const char *path, stance_encoding enc, stance_article **out,
                                  stance_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return stance_fail_errno(err, errno, path, "cannot open");
    stance_status st = stance_article_read(f, path, enc, 0, out, err);
    fclose(f);
    return st;
}

stance_status stance_article_join(const stance_article *art, const char *doc, char **buf,
                                  size_t *cap, stance_joined *j, stance_joined_fn each, void *ctx,
                                  stance_error *err)
{
    size_t len;
    const char *text = stance_article_get_text(art, &len);
    memset(j, 0, sizeof *j);
    char *b = stance_grow(*buf, cap, 0, len + 1, 1); /* the passages and a newline between each */
    if (!b)
        return stance_fail_nomem(err, doc);
    *buf = b;
    for (size_t i = 0; i < stance_article_get_passage_count(art); i++) {
        const stance_passage *p = stance_article_get_passage(art, i);
        if (p->kind == STANCE_KIND_META)
            continue;
        if (j->count++ == 0)
            j->first = p->start;
        else
            b[j->used++] = '\n';
        j->last = p->end;
        if (each && !each(ctx, j->used, p->start, p->end - p->start))
            return stance_fail_nomem(err, doc);
        memcpy(b + j->used, text + p->start, p->end - p->start);
        j->used += p->end - p->start;
    }
    return STANCE_OK;
}
