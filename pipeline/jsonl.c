/* jsonl.c: line-at-a-time JSON object reader and writer over jansson. */
#include "stance/jsonl.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "grow_int.h"
#include "jsonl_int.h"
#include "stream_int.h"
#include "utf8_int.h"

struct stance_jsonl_reader {
    FILE *f;
    char *name;
    char *line;
    size_t cap;
    size_t hint; /* bytes the next line is first read with: about twice the last line */
    int eof;     /* a NUL byte was read: nothing more is */
    char *scratch; /* strings being decoded by the quick parser */
    size_t scratch_cap;
    long lineno;
    size_t offset; /* bytes read before the current line */
};

stance_status stance_jsonl_reader_new(FILE *f, const char *name, stance_jsonl_reader **out,
                                      stance_error *err)
{
    *out = NULL;
    stance_jsonl_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(name))) {
        free(r);
        return stance_fail_nomem(err, name);
    }
    r->f = f;
    *out = r;
    return STANCE_OK;
}

void stance_jsonl_reader_free(stance_jsonl_reader *r)
{
    if (!r)
        return;
    free(r->line);
    free(r->scratch);
    free(r->name);
    free(r);
}

long stance_jsonl_get_line(const stance_jsonl_reader *r)
{
    return r->lineno;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* ---- the quick parser ----
 * json_loadb reads a byte at a time through its stream layer, which makes long strings (whole
 * articles) slow. This parser builds the same values as json_loadb(JSON_REJECT_DUPLICATES)
 * for the lines it understands and gives up (NULL) on anything unusual: an error, a duplicate
 * key, \u0000, an integer out of range, a real that overflows, deep nesting. json_loadb then
 * parses the line or reports the error exactly as before. Lines are valid UTF-8 by now.
 * An allocation that fails sets nomem: that is out of memory, never a reason to try jansson
 * (which would crawl and then call the line invalid). */

#define QUICK_MAX_DEPTH 64

typedef struct {
    const char *p, *end;
    char *buf; /* a string's decoded bytes */
    size_t cap;
    int depth;
    int nomem; /* an allocation failed */
} quick;

static json_t *quick_value(quick *q);

static void quick_space(quick *q)
{
    while (q->p < q->end && (*q->p == ' ' || *q->p == '\t' || *q->p == '\n' || *q->p == '\r'))
        q->p++;
}

/* Room for more bytes after the len in use in q->buf; 0 (and nomem set) on no memory. */
static int quick_room(quick *q, size_t len, size_t more)
{
    char *b = stance_grow(q->buf, &q->cap, len, more, 1);
    if (!b) {
        q->nomem = 1;
        return 0;
    }
    q->buf = b;
    return 1;
}

/* A byte a string holds as it is: not '"', '\\' or a control character. */
static int plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\';
}

static int hex4(const char *p, const char *end, uint32_t *cp)
{
    if (end - p < 4)
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        v = v << 4 | (uint32_t)d;
    }
    *cp = v;
    return 1;
}

/* Decodes the string at q->p (its opening quote) into q->buf; its length in *len. */
static int quick_string(quick *q, size_t *len)
{
    const char *p = q->p + 1, *end = q->end;
    size_t n = 0;
    for (;;) {
        const char *run = p;
        for (uint64_t x; end - p >= 8; p += 8) { /* 8 bytes at a time while all are plain */
            const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
            memcpy(&x, p, 8);
            uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
            if (((quote - ones) & ~quote & highs) | ((backslash - ones) & ~backslash & highs) |
                ((x - ones * 0x20) & ~x & highs)) /* some byte is '"', '\\' or below 0x20 */
                break;
        }
        while (p < end && plain((unsigned char)*p))
            p++;
        size_t k = (size_t)(p - run);
        if (!quick_room(q, n, k + 4))
            return 0;
        memcpy(q->buf + n, run, k);
        n += k;
        if (p >= end || *p != '\\') {
            if (p >= end || *p != '"')
                return 0; /* unterminated, or a raw control character */
            q->p = p + 1;
            *len = n;
            return 1;
        }
        if (++p >= end)
            return 0;
        char c = *p++;
        uint32_t cp, lo;
        switch (c) {
        case '"': case '\\': case '/': q->buf[n++] = c; break;
        case 'b': q->buf[n++] = '\b'; break;
        case 'f': q->buf[n++] = '\f'; break;
        case 'n': q->buf[n++] = '\n'; break;
        case 'r': q->buf[n++] = '\r'; break;
        case 't': q->buf[n++] = '\t'; break;
        case 'u':
            if (!hex4(p, end, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
                return 0;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            n += stance_utf8_encode(cp, (unsigned char *)q->buf + n);
            break;
        default: return 0;
        }
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number as jansson reads it: an integer (strtoll) unless it has a fraction or exponent. */
static json_t *quick_number(quick *q)
{
    const char *s = q->p, *p = s, *end = q->end;
    p += p < end && *p == '-';
    if (p >= end || !is_digit(*p) || (*p == '0' && p + 1 < end && is_digit(p[1])))
        return NULL;
    while (p < end && is_digit(*p))
        p++;
    int real = 0;
    if (p < end && *p == '.') {
        real = 1;
        if (++p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = 1;
        p++;
        p += p < end && (*p == '+' || *p == '-');
        if (p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
    }
    char text[64];
    size_t n = (size_t)(p - s);
    if (n >= sizeof text)
        return NULL;
    memcpy(text, s, n);
    text[n] = '\0';
    errno = 0;
    json_t *v;
    if (real) {
        double x = strtod(text, NULL);
        if (errno == ERANGE && (x == HUGE_VAL || x == -HUGE_VAL))
            return NULL; /* json_loadb reports the overflow */
        v = json_real(x);
    } else {
        long long x = strtoll(text, NULL, 10);
        if (errno == ERANGE)
            return NULL;
        v = json_integer((json_int_t)x);
    }
    q->nomem |= !v;
    q->p = p;
    return v;
}

static json_t *quick_literal(quick *q, const char *word, json_t *v)
{
    size_t n = strlen(word);
    if ((size_t)(q->end - q->p) < n || memcmp(q->p, word, n) != 0)
        return NULL;
    q->p += n;
    return v;
}

/* An object or array at q->p; for an object each member is "key": value. */
static json_t *quick_container(quick *q, int object)
{
    if (++q->depth > QUICK_MAX_DEPTH)
        return NULL;
    q->p++;
    json_t *c = object ? json_object() : json_array();
    char small[64], *key = small;
    q->nomem |= !c;
    quick_space(q);
    if (c && q->p < q->end && *q->p == (object ? '}' : ']')) {
        q->p++;
        q->depth--;
        return c;
    }
    while (c) {
        size_t n = 0;
        quick_space(q);
        if (object) {
            if (q->p >= q->end || *q->p != '"' || !quick_string(q, &n))
                break;
            if (key != small)
                free(key);
            key = n < sizeof small ? small : malloc(n + 1);
            if (!key) {
                q->nomem = 1;
                break;
            }
            memcpy(key, q->buf, n);
            key[n] = '\0';
            quick_space(q);
            if (json_object_get(c, key) || q->p >= q->end || *q->p != ':')
                break; /* a duplicate key is json_loadb's to report */
            q->p++;
        }
        json_t *v = quick_value(q);
        if (!v)
            break;
        if ((object ? json_object_set_new_nocheck(c, key, v) : json_array_append_new(c, v)) != 0) {
            q->nomem = 1; /* the call has freed v */
            break;
        }
        quick_space(q);
        if (q->p < q->end && *q->p == ',') {
            q->p++;
            continue;
        }
        if (q->p >= q->end || *q->p != (object ? '}' : ']'))
            break;
        q->p++;
        if (key != small)
            free(key);
        q->depth--;
        return c;
    }
    if (key != small)
        free(key);
    json_decref(c);
    return NULL;
}

static json_t *quick_value(quick *q)
{
    quick_space(q);
    if (q->p >= q->end)
        return NULL;
    size_t n;
    json_t *s;
    switch (*q->p) {
    case '"':
        if (!quick_string(q, &n))
            return NULL;
        s = json_stringn_nocheck(q->buf, n);
        q->nomem |= !s;
        return s;
    case '{': return quick_container(q, 1);
    case '[': return quick_container(q, 0);
    case 't': return quick_literal(q, "true", json_true());
    case 'f': return quick_literal(q, "false", json_false());
    case 'n': return quick_literal(q, "null", json_null());
    default: return quick_number(q);
    }
}

/* The object in text (n bytes), or NULL to leave the text to json_loadb (*nomem set if that
 * is because memory ran out). *scratch (capacity *cap) is kept for the next call. */
static json_t *quick_parse(const char *text, size_t n, char **scratch, size_t *cap, int *nomem)
{
    quick q = {text, text + n, *scratch, *cap, 0, 0};
    json_t *v = NULL;
    quick_space(&q);
    if (quick_room(&q, 0, 1) && q.p < q.end && *q.p == '{' && (v = quick_container(&q, 1)) != NULL) {
        quick_space(&q);
        if (q.p != q.end) {
            json_decref(v);
            v = NULL;
        }
    }
    *scratch = q.buf;
    *cap = q.cap;
    *nomem = q.nomem;
    return v;
}

/* jansson 2.14 goes on when it cannot grow the buffer it collects a token in, and then reads
 * and writes past the buffers of that token (a crash on a long string near the memory limit).
 * So before json_loadb gets n bytes, room for its copies of the longest token (at most three
 * times its length while a buffer doubles) must be there. */
static int jansson_has_room(size_t n)
{
    size_t need = n < (SIZE_MAX - 65536) / 4 ? 4 * n + 65536 : SIZE_MAX;
    void *volatile probe = need < SIZE_MAX ? malloc(need) : NULL; /* volatile: not optimised away */
    int ok = probe != NULL;
    free(probe);
    return ok;
}

/* The JSON value in text (n bytes), parsed as json_loadb(JSON_REJECT_DUPLICATES) does: by the
 * quick parser when fast is set (text is valid UTF-8 without NUL bytes) and it can, else by
 * json_loadb. STANCE_ERR_NOMEM if memory runs out, never a fallback then; otherwise STANCE_OK
 * with *v the value, or NULL with *je saying why text is not JSON. */
static stance_status parse_text(const char *text, size_t n, int fast, char **scratch,
                                size_t *cap, json_t **v, json_error_t *je)
{
    int nomem = 0;
    *v = fast ? quick_parse(text, n, scratch, cap, &nomem) : NULL;
    if (*v)
        return STANCE_OK;
    if (nomem || !jansson_has_room(n))
        return STANCE_ERR_NOMEM;
    errno = 0;
    *v = json_loadb(text, n, JSON_REJECT_DUPLICATES, je);
    /* jansson reports most failed allocations as invalid JSON (or not at all), but malloc
     * says ENOMEM */
    if (errno == ENOMEM || (!*v && json_error_code(je) == json_error_out_of_memory)) {
        json_decref(*v);
        *v = NULL;
        return STANCE_ERR_NOMEM;
    }
    return STANCE_OK;
}

stance_status stance_jsonl_parse_line(const char *name, long line, const char *text, size_t n,
                                      size_t at, char **scratch, size_t *cap, json_t **obj,
                                      stance_error *err)
{
    *obj = NULL;
    const char *nul = memchr(text, '\0', n);
    if (nul)
        return stance_fail(err, STANCE_ERR_DATA, name, line, "NUL byte at byte %zu",
                           at + (size_t)(nul - text));
    size_t bad = stance_utf8_check((const unsigned char *)text, n);
    if (bad < n)
        return stance_fail(err, STANCE_ERR_DATA, name, line,
                           "invalid UTF-8 at byte %zu (0x%02x)", at + bad,
                           (unsigned char)text[bad]);
    json_error_t je;
    json_t *v;
    if (parse_text(text, n, 1, scratch, cap, &v, &je) != STANCE_OK)
        return stance_fail(err, STANCE_ERR_NOMEM, name, line, "out of memory");
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, name, line, "invalid JSON at column %d: %s",
                           je.column, je.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return stance_fail(err, STANCE_ERR_DATA, name, line, "expected a JSON object");
    }
    *obj = v;
    return STANCE_OK;
}

#define READ_STEP_MIN 256
#define READ_STEP_MAX 65536

/* Reads up to size - 1 more bytes of the current line into buf with fgets, and returns how
 * many: fgets stops after a newline and says nothing of a NUL byte read, so buf is filled with
 * newlines first and its terminator is the last NUL in buf. -1 at the end or on a failed read. */
static long read_some(FILE *f, char *buf, size_t size)
{
    memset(buf, '\n', size);
    if (!fgets(buf, (int)size, f))
        return -1;
    const char *end = buf + size - 1;
    while (end - buf >= 8) { /* eight bytes at a time back to the word with the last NUL */
        uint64_t v;
        memcpy(&v, end - 7, sizeof v);
        if ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL)
            break; /* a zero byte among them */
        end -= 8;
    }
    while (*end != '\0')
        end--;
    return (long)(end - buf);
}

/* The next line (its newline included, if it has one) in *text, *n bytes; *n = 0 at the end.
 * Unlike getline this stops: at STANCE_JSONL_LINE_MAX bytes (a data error), and at a NUL byte,
 * which parse_line then reports (/dev/zero given as JSON Lines is refused at once instead of
 * read until memory runs out). Returns as soon as a line is there, as getline does on a pipe. */
static stance_status next_line(stance_jsonl_reader *r, const char **text, size_t *n,
                               stance_error *err)
{
    size_t len = 0;
    *n = 0;
    while (!r->eof) {
        if (len >= STANCE_JSONL_LINE_MAX)
            return stance_fail(err, STANCE_ERR_DATA, r->name, r->lineno + 1,
                               "line longer than %zu bytes", (size_t)STANCE_JSONL_LINE_MAX);
        /* the first read as long as the hint (its bytes are all set first, so not much more
         * than a line), then geometric for a long line */
        size_t step = len == 0 ? (r->hint ? r->hint : READ_STEP_MIN) : len;
        if (step > INT_MAX - 1) /* fgets takes an int */
            step = INT_MAX - 1;
        char *p = stance_grow(r->line, &r->cap, len, step + 1, 1);
        if (!p)
            return stance_fail(err, STANCE_ERR_NOMEM, r->name, r->lineno + 1, "out of memory");
        r->line = p;
        errno = 0;
        long got = read_some(r->f, r->line + len, step + 1);
        if (got < 0) {
            if (ferror(r->f))
                return errno == ENOMEM
                           ? stance_fail(err, STANCE_ERR_NOMEM, r->name, r->lineno + 1, "out of memory")
                           : stance_fail_errno(err, errno ? errno : EIO, r->name, "read failed");
            break; /* the end: the line so far, if any, is the last */
        }
        r->eof = memchr(r->line + len, '\0', (size_t)got) != NULL;
        len += (size_t)got;
        if (r->eof || (got > 0 && r->line[len - 1] == '\n'))
            break;
    }
    size_t hint = READ_STEP_MIN;
    while (hint < 2 * len && hint < READ_STEP_MAX)
        hint *= 2;
    r->hint = hint;
    *text = r->line;
    *n = len;
    return STANCE_OK;
}

stance_status stance_jsonl_read_line(stance_jsonl_reader *r, const char **text, size_t *n,
                                     size_t *at, stance_error *err)
{
    for (;;) {
        errno = 0;
        stance_status st = next_line(r, text, n, err);
        if (st != STANCE_OK || *n == 0)
            return st;
        r->lineno++;
        *at = r->offset;
        r->offset += *n;
        if (*at == 0 && *n >= 3 && memcmp(*text, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark */
            *text += 3;
            *n -= 3;
            *at = 3;
        }
        if (!is_blank(*text, *n))
            return STANCE_OK;
    }
}

stance_status stance_jsonl_read(stance_jsonl_reader *r, json_t **obj, stance_error *err)
{
    *obj = NULL;
    const char *text;
    size_t n, at;
    stance_status st = stance_jsonl_read_line(r, &text, &n, &at, err);
    if (st != STANCE_OK || n == 0)
        return st;
    return stance_jsonl_parse_line(r->name, r->lineno, text, n, at, &r->scratch,
                                   &r->scratch_cap, obj, err);
}

stance_status stance_jsonl_write(FILE *f, const json_t *obj, const char *name, stance_error *err)
{
    errno = 0;
    if (json_dumpf(obj, f, JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0 || putc('\n', f) == EOF)
        return errno == ENOMEM ? stance_fail_nomem(err, name) /* jansson's, while dumping */
                               : stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}

stance_status stance_json_parse(const char *text, size_t n, const char *name, json_t **json,
                                stance_error *err)
{
    *json = NULL;
    char *scratch = NULL;
    size_t cap = 0;
    int fast = !memchr(text, '\0', n) && stance_utf8_check((const unsigned char *)text, n) == n;
    json_error_t je;
    json_t *v;
    stance_status st = parse_text(text, n, fast, &scratch, &cap, &v, &je);
    free(scratch);
    if (st != STANCE_OK)
        return stance_fail_nomem(err, name);
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, name, je.line > 0 ? je.line : 0,
                           "invalid JSON at column %d: %s", je.column, je.text);
    *json = v;
    return STANCE_OK;
}

stance_status stance_json_load_file(const char *path, json_t **json, stance_error *err)
{
    *json = NULL;
    char *text;
    size_t n;
    stance_status st = stance_stream_load(path, &text, &n, err);
    if (st == STANCE_OK)
        st = stance_json_parse(text, n, path, json, err);
    free(text);
    return st;
}

stance_status stance_json_get_string(const json_t *obj, const char *key, const char *where,
                                     long line, const char **s, size_t *len, stance_error *err)
{
    *s = NULL;
    *len = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, where, line, "record has no \"%s\" field", key);
    if (!json_is_string(v))
        return stance_fail(err, STANCE_ERR_DATA, where, line, "\"%s\" is not a string", key);
    *s = json_string_value(v);
    *len = json_string_length(v);
    return STANCE_OK;
}

stance_status stance_json_get_id(const json_t *obj, const char *where, long line, char *buf,
                                 size_t size, const char **id, stance_error *err)
{
    *id = NULL;
    json_t *v = json_object_get(obj, "id");
    if (json_is_string(v)) {
        *id = json_string_value(v);
        return STANCE_OK;
    }
    if (json_is_integer(v)) {
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *id = buf;
        return STANCE_OK;
    }
    return stance_fail(err, STANCE_ERR_DATA, where, line,
                       v ? "\"id\" is not a string or an integer" : "record has no \"id\" field");
}
