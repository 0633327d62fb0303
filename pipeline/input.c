/* input.c: command-line arguments to articles: files, directories, stdin, JSON Lines. */
#include "stance/input.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stance/jsonl.h"
#include "stance/record.h"

static stance_status walk_text(FILE *f, const char *name, const char *doc,
                               const stance_input_options *opt, stance_article_fn fn, void *ctx,
                               stance_error *err)
{
    stance_article *art = NULL;
    stance_status st = opt->seen ? stance_idset_add(opt->seen, doc, name, 0, err) : STANCE_OK;
    if (st == STANCE_OK)
        st = stance_article_read(f, name, opt->enc, &art, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, NULL, name, 0, err);
    stance_article_free(art);
    return st;
}

static stance_status walk_jsonl_record(const json_t *obj, const char *name, long line,
                                       stance_idset *seen, stance_article_fn fn, void *ctx,
                                       stance_error *err)
{
    const char *text, *doc;
    size_t len;
    char idbuf[32];
    stance_status st = stance_json_get_id(obj, name, line, idbuf, sizeof idbuf, &doc, err);
    if (st == STANCE_OK && seen)
        st = stance_idset_add(seen, doc, name, line, err);
    if (st == STANCE_OK)
        st = stance_json_get_string(obj, "text", name, line, &text, &len, err);
    if (st != STANCE_OK)
        return st;
    stance_article *art;
    st = stance_article_from_bytes(text, len, name, line, STANCE_ENC_UTF8, &art, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, obj, name, line, err);
    stance_article_free(art);
    return st;
}

static stance_status walk_jsonl(FILE *f, const char *name, stance_idset *seen,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    stance_jsonl_reader *r;
    stance_status st = stance_jsonl_reader_new(f, name, &r, err);
    json_t *obj = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &obj, err)) == STANCE_OK && obj) {
        st = walk_jsonl_record(obj, name, stance_jsonl_line(r), seen, fn, ctx, err);
        json_decref(obj);
    }
    stance_jsonl_reader_free(r);
    return st;
}

static stance_status walk_path(const char *path, const stance_input_options *opt,
                               stance_article_fn fn, void *ctx, stance_error *err)
{
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    if (opt->jsonl) {
        st = walk_jsonl(f, path, opt->seen, fn, ctx, err);
    } else {
        char *doc = NULL;
        st = stance_doc_name(path, &doc, err);
        if (st == STANCE_OK)
            st = walk_text(f, path, doc, opt, fn, ctx, err);
        free(doc);
    }
    fclose(f);
    return st;
}

stance_status stance_input_walk(const char *arg, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return opt->jsonl ? walk_jsonl(stdin, "<stdin>", opt->seen, fn, ctx, err)
                          : walk_text(stdin, "<stdin>", "stdin", opt, fn, ctx, err);
    struct stat sb;
    if (stat(arg, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return walk_path(arg, opt, fn, ctx, err);
    char **paths;
    size_t n;
    stance_status st = stance_list_texts(arg, &paths, &n, err);
    for (size_t i = 0; st == STANCE_OK && i < n; i++)
        st = walk_path(paths[i], opt, fn, ctx, err);
    stance_paths_free(paths, n);
    return st;
}
