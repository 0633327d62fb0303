/* record.c: building passage records as JSON and adding stems to them. */
#include "stance/record.h"

#include <string.h>
#include <stdlib.h>

#include "error_int.h"
#include "stance/utf8.h"

/* json_object_set_new that reports failure as 0 (jansson frees value either way). */
static int set_new(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new(obj, key, value) == 0;
}

static json_t *token_array(const stance_tokens *toks)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < toks->count; i++) {
        if (json_array_append_new(arr, json_stringn(stance_tokens_text(toks, i),
                                                    toks->items[i].len)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *offset_array(const stance_article *art, const stance_tokens *toks)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < toks->count; i++) {
        json_t *pair = json_pack("[II]",
            (json_int_t)stance_article_source_offset(art, toks->items[i].start),
            (json_int_t)stance_article_source_offset(art, toks->items[i].end));
        if (json_array_append_new(arr, pair) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

stance_status stance_record_copy_extra(json_t *rec, const json_t *extra, int all,
                                       stance_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)extra, key, value) {
        if (strcmp(key, "text") == 0 || (!all && strcmp(key, "id") != 0) || json_object_get(rec, key))
            continue;
        if (json_object_set(rec, key, value) != 0)
            return stance_fail_nomem(err, NULL);
    }
    return STANCE_OK;
}

static json_t *passage_record(const stance_article *art, const stance_passage *p,
                              const char *doc, const json_t *extra, int with_offsets,
                              const stance_tokens *toks, int first)
{
    const char *text = stance_article_text(art, NULL);
    json_t *rec = json_object();
    int ok = rec && set_new(rec, "doc", json_string(doc)) &&
             set_new(rec, "passage", json_integer((json_int_t)p->number)) &&
             set_new(rec, "start", json_integer((json_int_t)stance_article_source_offset(art, p->start))) &&
             set_new(rec, "end", json_integer((json_int_t)stance_article_source_offset(art, p->end))) &&
             set_new(rec, "kind", json_string(stance_kind_name(p->kind))) &&
             set_new(rec, "text", json_stringn(text + p->start, p->end - p->start)) &&
             set_new(rec, "tokens", token_array(toks)) &&
             (!with_offsets || set_new(rec, "offsets", offset_array(art, toks))) &&
             (!extra || stance_record_copy_extra(rec, extra, first, NULL) == STANCE_OK);
    if (!ok) {
        json_decref(rec);
        return NULL;
    }
    return rec;
}

stance_status stance_article_record(const stance_article *art, size_t i, const char *doc,
                                    const json_t *extra, int with_offsets, stance_tokens *toks,
                                    json_t **record, stance_error *err)
{
    *record = NULL;
    const char *text = stance_article_text(art, NULL);
    const stance_passage *p = stance_article_passage(art, i);
    stance_status st = stance_tokenize(text + p->start, p->end - p->start, p->start, toks, err);
    if (st != STANCE_OK)
        return st;
    if (!(*record = passage_record(art, p, doc, extra, with_offsets, toks, i == 0)))
        return stance_fail_nomem(err, doc);
    return STANCE_OK;
}

stance_status stance_article_records(const stance_article *art, const char *doc,
                                     const json_t *extra, int with_offsets, stance_tokens *toks,
                                     json_t **records, stance_error *err)
{
    *records = NULL;
    json_t *arr = json_array();
    if (!arr)
        return stance_fail_nomem(err, doc);
    for (size_t i = 0; i < stance_article_passage_count(art); i++) {
        json_t *rec;
        stance_status st = stance_article_record(art, i, doc, extra, with_offsets, toks, &rec, err);
        if (st == STANCE_OK && json_array_append_new(arr, rec) != 0)
            st = stance_fail_nomem(err, doc);
        if (st != STANCE_OK) {
            json_decref(arr);
            return st;
        }
    }
    *records = arr;
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

stance_status stance_doc_name(const char *path, char **doc, stance_error *err)
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
