/* fuzz_jsonl.c: JSON Lines input (jsonl.h, input.h) as stance-tokenize and stance-stem read it.
 * Input: a JSON Lines file. It is walked as --jsonl articles {"id", "text", ...} (ids unique)
 * into passage records (record.h, with offsets and pass-through fields), and read again as
 * records that stance-stem extends with "stems". Checks offsets against the article text, and
 * that the walk of unparsed lines (stance-tag -j) gives the same articles and error. */
#include <jansson.h>

#include "../../pipeline/record_int.h"
#include "fuzz_common.h"
#include "stance/idset.h"
#include "stance/input.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/stem.h"
#include "stance/tokenize.h"

typedef struct {
    stance_tokens toks;
    stance_stemmer *stemmer;
    size_t articles;
} walk_ctx;

static stance_status on_article(void *arg, const stance_article *art, const char *doc,
                                const json_t *extra, const char *where, long line,
                                stance_error *err)
{
    walk_ctx *ctx = arg;
    FUZZ_CHECK(doc != NULL && extra != NULL && line > 0);
    const json_t *text = json_object_get(extra, "text");
    FUZZ_CHECK(json_is_string(text));
    json_t *records = NULL;
    stance_status st = stance_record_from_article(art, doc, extra, 1, &ctx->toks, &records, err);
    FUZZ_CHECK(st == STANCE_OK);
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec) {
        /* Offsets index the bytes of the "text" string. */
        json_int_t start = json_integer_value(json_object_get(rec, "start"));
        json_int_t end = json_integer_value(json_object_get(rec, "end"));
        FUZZ_CHECK(0 <= start && start < end && (size_t)end <= json_string_length(text));
        const json_t *ptext = json_object_get(rec, "text");
        FUZZ_CHECK(json_string_length(ptext) == (size_t)(end - start));
        FUZZ_CHECK(memcmp(json_string_value(ptext), json_string_value(text) + start,
                          (size_t)(end - start)) == 0);
        FUZZ_CHECK(json_array_size(json_object_get(rec, "tokens")) ==
                   json_array_size(json_object_get(rec, "offsets")));
        st = stance_record_add_stems(rec, ctx->stemmer, where, line, err);
        FUZZ_CHECK(st == STANCE_OK);
    }
    json_decref(records);
    ctx->articles++;
    return STANCE_OK;
}

/* The walk as stance-tag -j does it: lines walked unparsed, parsed and their ids checked. */
typedef struct {
    const stance_input_options *opt;
    size_t articles;
} lines_ctx;

static stance_status on_line(void *arg, const char *text, size_t n, size_t at, const char *where,
                             long line, stance_error *err)
{
    lines_ctx *ctx = arg;
    char idbuf[32];
    const char *doc;
    json_t *obj = NULL;
    stance_article *art = NULL;
    stance_status st = stance_input_parse_line(text, n, at, where, line, ctx->opt, idbuf,
                                               sizeof idbuf, &obj, &doc, &art, err);
    if (doc) {
        stance_error dup;
        if (stance_input_add_id(ctx->opt, doc, where, line, &dup) != STANCE_OK) {
            *err = dup;
            st = dup.status;
        }
    }
    FUZZ_CHECK(st != STANCE_OK || (art != NULL && obj != NULL && doc != NULL));
    ctx->articles += st == STANCE_OK;
    stance_article_free(art);
    json_decref(obj);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stance_stemmer *stemmer;
    stance_error err;
    if (!stemmer)
        FUZZ_SETUP(stance_stemmer_new("english", &stemmer, &err) == STANCE_OK);

    /* Articles, through the same walk the stages use (it opens a path). */
    const char *path = fuzz_write_file("articles.jsonl", data, size);
    walk_ctx ctx = {.stemmer = stemmer};
    stance_tokens_init(&ctx.toks);
    stance_input_options opt = {.jsonl = 1, .enc = STANCE_ENC_UTF8, .seen = NULL};
    FUZZ_SETUP(stance_idset_new(&opt.seen, &err) == STANCE_OK); /* duplicate ids refused */
    stance_status st = stance_input_walk(path, &opt, on_article, &ctx, &err);
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    if (st != STANCE_OK)
        FUZZ_CHECK(err.message[0] != '\0' && err.line > 0);
    stance_idset_free(opt.seen);
    stance_tokens_clear(&ctx.toks);

    /* The same walk with the lines parsed by the caller: the same articles, the same error. */
    stance_error lerr;
    lines_ctx lctx = {&opt, 0};
    FUZZ_SETUP(stance_idset_new(&opt.seen, &lerr) == STANCE_OK);
    stance_error_clear(&lerr);
    stance_status lst = stance_input_walk_lines(path, &opt, on_line, &lctx, &lerr);
    stance_idset_free(opt.seen);
    FUZZ_CHECK(lst == st && lctx.articles == ctx.articles);
    if (st != STANCE_OK)
        FUZZ_CHECK(lerr.line == err.line && strcmp(lerr.message, err.message) == 0);

    /* The same lines as tokenize records for the stem stage. */
    FILE *f = fmemopen((void *)(size ? (const char *)data : "\n"), size ? size : 1, "rb");
    FUZZ_SETUP(f != NULL);
    stance_jsonl_reader *r = NULL;
    FUZZ_CHECK(stance_jsonl_reader_new(f, "fuzz", &r, &err) == STANCE_OK);
    json_t *obj = NULL;
    long last = 0;
    while ((st = stance_jsonl_read(r, &obj, &err)) == STANCE_OK && obj) {
        FUZZ_CHECK(json_is_object(obj) && stance_jsonl_get_line(r) > last);
        last = stance_jsonl_get_line(r);
        st = stance_record_add_stems(obj, stemmer, "fuzz", last, &err);
        FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
        if (st == STANCE_OK)
            FUZZ_CHECK(json_array_size(json_object_get(obj, "stems")) <=
                       json_array_size(json_object_get(obj, "tokens")));
        json_decref(obj);
    }
    FUZZ_CHECK(st == STANCE_OK || st == STANCE_ERR_DATA);
    stance_jsonl_reader_free(r);
    fclose(f);
    return 0;
}
