/* jsonl.c: line-at-a-time JSON object reader and writer over jansson. */
#include "stance/jsonl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "stance/utf8.h"

struct stance_jsonl_reader {
    FILE *f;
    char *name;
    char *line;
    size_t cap;
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
    free(r->name);
    free(r);
}

long stance_jsonl_line(const stance_jsonl_reader *r)
{
    return r->lineno;
}

const char *stance_jsonl_name(const stance_jsonl_reader *r)
{
    return r->name;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Parses the current line (n bytes, starting at file offset `at`) as one object. */
static stance_status parse_line(stance_jsonl_reader *r, size_t n, size_t at, json_t **obj,
                                stance_error *err)
{
    const char *nul = memchr(r->line, '\0', n);
    if (nul)
        return stance_fail(err, STANCE_ERR_DATA, r->name, r->lineno, "NUL byte at byte %zu",
                           at + (size_t)(nul - r->line));
    size_t bad = stance_utf8_check((const unsigned char *)r->line, n);
    if (bad < n)
        return stance_fail(err, STANCE_ERR_DATA, r->name, r->lineno,
                           "invalid UTF-8 at byte %zu (0x%02x)", at + bad,
                           (unsigned char)r->line[bad]);
    json_error_t je;
    json_t *v = json_loadb(r->line, n, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, r->name, r->lineno, "invalid JSON at column %d: %s",
                           je.column, je.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return stance_fail(err, STANCE_ERR_DATA, r->name, r->lineno, "expected a JSON object");
    }
    *obj = v;
    return STANCE_OK;
}

stance_status stance_jsonl_read(stance_jsonl_reader *r, json_t **obj, stance_error *err)
{
    *obj = NULL;
    for (;;) {
        errno = 0;
        ssize_t n = getline(&r->line, &r->cap, r->f);
        if (n < 0) {
            if (ferror(r->f))
                return stance_fail_errno(err, errno ? errno : EIO, r->name, "read failed");
            return STANCE_OK;
        }
        r->lineno++;
        size_t at = r->offset;
        r->offset += (size_t)n;
        if (is_blank(r->line, (size_t)n))
            continue;
        return parse_line(r, (size_t)n, at, obj, err);
    }
}

stance_status stance_jsonl_write(FILE *f, const json_t *obj, const char *name, stance_error *err)
{
    if (json_dumpf(obj, f, JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0 || putc('\n', f) == EOF)
        return stance_fail_errno(err, errno ? errno : EIO, name, "write failed");
    return STANCE_OK;
}

stance_status stance_jsonl_write_all(FILE *f, const json_t *records, const char *name,
                                     stance_error *err)
{
    size_t i;
    const json_t *rec;
    json_array_foreach(records, i, rec) {
        stance_status st = stance_jsonl_write(f, rec, name, err);
        if (st != STANCE_OK)
            return st;
    }
    return STANCE_OK;
}

stance_status stance_json_load_file(const char *path, json_t **json, stance_error *err)
{
    *json = NULL;
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    json_error_t je;
    json_t *v = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    int read_failed = ferror(f);
    int e = errno;
    fclose(f);
    if (read_failed) {
        json_decref(v);
        return stance_fail_errno(err, e ? e : EIO, path, "read failed");
    }
    if (!v)
        return stance_fail(err, STANCE_ERR_DATA, path, je.line > 0 ? je.line : 0,
                           "invalid JSON at column %d: %s", je.column, je.text);
    *json = v;
    return STANCE_OK;
}

stance_status stance_stream_open(const char *path, const char *mode, FILE **f, stance_error *err)
{
    *f = fopen(path, mode);
    if (!*f)
        return stance_fail_errno(err, errno, path, "cannot open");
    return STANCE_OK;
}

stance_status stance_stream_close(FILE *f, const char *name, stance_error *err)
{
    int failed = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (failed)
        return stance_fail_errno(err, e ? e : EIO, name, "write failed");
    return STANCE_OK;
}

stance_status stance_json_get_string(const json_t *obj, const char *key, const char *where,
                                     long line, const char **s, size_t *len, stance_error *err)
{
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
