/* record.c: writing passage records as JSON Lines (with jsonw) and adding stems to them. */
#include "stance/record.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>

#include "error_int.h"
#include "jsonl_int.h"
#include "record_int.h"
#include "utf8_int.h"

stance_status stance_record_init(stance_jsonw_object *rec, const stance_article *art,
                                 const char *doc, const char *path, size_t number, size_t start,
                                 size_t end, const char *kind, int with_text, stance_error *err)
{
    size_t n = strlen(doc);
    if (stance_utf8_check((const unsigned char *)doc, n) != n)
        return stance_fail(err, STANCE_ERR_DATA, doc, 0,
                           "the document name is not valid UTF-8, so it cannot be a JSON string");
    stance_jsonw_object_reset(rec);
    stance_jsonw_object_string(rec, "doc", doc, n);
    size_t plen = path ? strlen(path) : 0; /* a path that is no JSON string is left out */
    if (path && stance_utf8_check((const unsigned char *)path, plen) == plen)
        stance_jsonw_object_string(rec, "path", path, plen);
    if (number)
        stance_jsonw_object_integer(rec, "passage", (long long)number);
    stance_jsonw_object_integer(rec, "start", (long long)stance_article_get_source_offset(art, start));
    stance_jsonw_object_integer(rec, "end", (long long)stance_article_get_source_offset(art, end));
    stance_jsonw_object_string(rec, "kind", kind, strlen(kind));
    if (with_text)
        stance_jsonw_object_string(rec, "text", stance_article_get_text(art, NULL) + start, end - start);
    return STANCE_OK;
}

/* The fields of a JSON Lines article a record carries (record.h): all but "text" on the
 * article's first record (*all set), only "id" on the others. */
static int carried(const char *key, void *all)
{
    return strcmp(key, "text") != 0 && (*(const int *)all || strcmp(key, "id") == 0);
}

int stance_record_write(stance_jsonw *out, const stance_jsonw_object *rec, const json_t *extra,
                        int all)
{
    stance_jsonw_object_write(out, rec, extra, carried, &all);
    stance_jsonw_raw(out, "\n", 1);
    return !out->failed;
}

/* Adds "tokens", the tokens as strings, and with offsets "offsets", their [start,end] in the
 * input. */
static void add_tokens(stance_jsonw_object *rec, const stance_article *art,
                       const stance_tokens *toks, int with_offsets)
{
    stance_jsonw *w = &rec->values;
    size_t at = w->len;
    stance_jsonw_raw(w, "[", 1);
    for (size_t i = 0; i < toks->count; i++) {
        if (i)
            stance_jsonw_raw(w, ",", 1);
        stance_jsonw_string(w, stance_tokens_get_text(toks, i), toks->items[i].len);
    }
    stance_jsonw_raw(w, "]", 1);
    stance_jsonw_object_add(rec, "tokens", at);
    if (!with_offsets)
        return;
    at = w->len;
    stance_jsonw_raw(w, "[", 1);
    for (size_t i = 0; i < toks->count; i++) {
        stance_jsonw_raw(w, i ? ",[" : "[", i ? 2 : 1);
        stance_jsonw_integer(w, (long long)stance_article_get_source_offset(art, toks->items[i].start));
        stance_jsonw_raw(w, ",", 1);
        stance_jsonw_integer(w, (long long)stance_article_get_source_offset(art, toks->items[i].end));
        stance_jsonw_raw(w, "]", 1);
    }
    stance_jsonw_raw(w, "]", 1);
    stance_jsonw_object_add(rec, "offsets", at);
}

/* Tokenizes passage i of art and appends its record to out as one JSON Lines line; rec and
 * toks are scratch storage. */
static stance_status passage_line(const stance_article *art, size_t i, const char *doc,
                                  const json_t *extra, int with_offsets, stance_tokens *toks,
                                  stance_jsonw_object *rec, stance_jsonw *out, stance_error *err)
{
    const char *text = stance_article_get_text(art, NULL);
    const stance_passage *p = stance_article_get_passage(art, i);
    stance_status st = stance_tokenize_run(text + p->start, p->end - p->start, p->start, toks, err);
    if (st == STANCE_OK)
        st = stance_record_init(rec, art, doc, NULL, p->number, p->start, p->end,
                                stance_kind_name(p->kind), 1, err);
    if (st != STANCE_OK)
        return st;
    add_tokens(rec, art, toks, with_offsets);
    if (!stance_record_write(out, rec, extra, i == 0))
        return stance_fail_nomem(err, doc);
    return STANCE_OK;
}

/* Receives one record: len bytes of text, one JSON Lines line. */
typedef stance_status (*line_fn)(void *ctx, const char *text, size_t len, stance_error *err);

/* Makes the records of every passage of art, in order, and hands each to fn as it is made. */
static stance_status each_record(const stance_article *art, const char *doc, const json_t *extra,
                                 int with_offsets, stance_tokens *toks, line_fn fn, void *ctx,
                                 stance_error *err)
{
    stance_jsonw_object rec;
    stance_jsonw line;
    stance_jsonw_object_init(&rec);
    stance_jsonw_init(&line);
    stance_status st = STANCE_OK;
    for (size_t i = 0; st == STANCE_OK && i < stance_article_get_passage_count(art); i++) {
        line.len = 0;
        st = passage_line(art, i, doc, extra, with_offsets, toks, &rec, &line, err);
        if (st == STANCE_OK)
            st = fn(ctx, line.buf, line.len, err);
    }
    stance_jsonw_object_clear(&rec);
    stance_jsonw_clear(&line);
    return st;
}

typedef struct {
    FILE *f;
    const char *name;
} stream;

static stance_status write_line(void *ctx, const char *text, size_t len, stance_error *err)
{
    const stream *s = ctx;
    errno = 0;
    if (fwrite(text, 1, len, s->f) != len)
        return stance_fail_errno(err, errno ? errno : EIO, s->name, "write failed");
    return STANCE_OK;
}

stance_status stance_record_write_article(FILE *f, const char *name, const stance_article *art,
                                          const char *doc, const json_t *extra,
                                          int with_offsets, stance_tokens *toks,
                                          stance_error *err)
{
    stream s = {f, name};
    return each_record(art, doc, extra, with_offsets, toks, write_line, &s, err);
}

typedef struct {
    json_t *records;
    const char *doc;
} collected;

/* Reads the line back, so that the records are the ones written. */
static stance_status collect_line(void *ctx, const char *text, size_t len, stance_error *err)
{
    const collected *c = ctx;
    json_t *rec;
    stance_status st = stance_json_parse(text, len, c->doc, &rec, err);
    if (st == STANCE_OK && json_array_append_new(c->records, rec) != 0)
        st = stance_fail_nomem(err, c->doc);
    return st;
}

stance_status stance_record_from_article(const stance_article *art, const char *doc,
                                         const json_t *extra, int with_offsets, stance_tokens *toks,
                                         json_t **records, stance_error *err)
{
    *records = NULL;
    collected c = {json_array(), doc};
    if (!c.records)
        return stance_fail_nomem(err, doc);
    stance_status st = each_record(art, doc, extra, with_offsets, toks, collect_line, &c, err);
    if (st != STANCE_OK) {
        json_decref(c.records);
        return st;
    }
    *records = c.records;
    return STANCE_OK;
}

stance_status stance_record_add_stems(json_t *rec, stance_stemmer *st, const char *where,
                                      long line, stance_error *err)
{
    json_t *tokens = json_object_get(rec, "tokens");
    if (!json_is_array(tokens))
        return stance_fail(err, STANCE_ERR_DATA, where, line,
                           tokens ? "\"tokens\" is not an array"
                                  : "record has no \"tokens\" array (run stance-tokenize first)");
    json_t *stems = json_array();
    if (!stems)
        return stance_fail_nomem(err, where);
    size_t i;
    json_t *tok;
    json_array_foreach(tokens, i, tok) {
        if (!json_is_string(tok)) {
            json_decref(stems);
            return stance_fail(err, STANCE_ERR_DATA, where, line, "token %zu is not a string", i + 1);
        }
        const char *s;
        size_t slen;
        int got = stance_stemmer_stem_content(st, json_string_value(tok),
                                              json_string_length(tok), &s, &slen);
        if (got == 0)
            continue; /* a stop word */
        if (got < 0 || json_array_append_new(stems, json_stringn(s, slen)) != 0) {
            json_decref(stems);
            return stance_fail_nomem(err, where);
        }
    }
    if (json_object_set_new(rec, "stems", stems) != 0)
        return stance_fail_nomem(err, where);
    return STANCE_OK;
}

stance_status stance_record_doc_from_path(const char *path, char **doc, stance_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    *doc = NULL;
    if (stance_utf8_check((const unsigned char *)base, n) != n)
        return stance_fail(err, STANCE_ERR_DATA, path, 0,
                           "the file name is not valid UTF-8, so it cannot be the article's id "
                           "in JSON (rename the file, or give JSON Lines with an \"id\")");
    *doc = malloc(n + 1);
    if (!*doc)
        return stance_fail_nomem(err, path);
    memcpy(*doc, base, n);
    (*doc)[n] = '\0';
    return STANCE_OK;
}
