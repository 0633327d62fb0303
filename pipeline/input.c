/* input.c: command-line arguments to articles: files, directories, stdin, JSON Lines. */
#include "stance/input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error_int.h"
#include "grow_int.h"
#include "idset_int.h"
#include "input_int.h"
#include "jsonl_int.h"
#include "record_int.h"
#include "stance/jsonl.h"
#include "stance/record.h"
#include "stance/stream.h"

static size_t max_bytes(const stance_input_options *opt)
{
    return opt->max_bytes ? opt->max_bytes : STANCE_ARTICLE_MAX_BYTES;
}

static stance_status walk_text(FILE *f, const char *name, const char *doc,
                               const stance_input_options *opt, stance_article_fn fn, void *ctx,
                               stance_error *err)
{
    stance_article *art = NULL;
    stance_status st = stance_input_add_id(opt, doc, name, 0, err);
    if (st == STANCE_OK)
        st = stance_article_read(f, name, opt->enc, max_bytes(opt), &art, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, NULL, name, 0, err);
    stance_article_free(art);
    return st;
}

/* A JSON Lines record's article (the object of line `line` of where): its "text", with every
 * check stance_input_walk makes of it. */
static stance_status jsonl_article(const json_t *obj, const char *where, long line,
                                   const stance_input_options *opt, stance_article **art,
                                   stance_error *err)
{
    const char *text;
    size_t len;
    *art = NULL;
    stance_status st = stance_json_get_string(obj, "text", where, line, &text, &len, err);
    if (st == STANCE_OK && len > max_bytes(opt))
        st = stance_fail(err, STANCE_ERR_DATA, where, line, "\"text\" is larger than the limit of "
                         "%zu bytes for an article (--max-article-bytes raises it)", max_bytes(opt));
    if (st == STANCE_OK)
        st = stance_article_from_bytes(text, len, where, line, STANCE_ENC_UTF8, art, err);
    return st;
}

static stance_status walk_jsonl_record(const json_t *obj, const char *name, long line,
                                       const stance_input_options *opt, stance_article_fn fn,
                                       void *ctx, stance_error *err)
{
    const char *doc;
    char idbuf[32];
    stance_status st = stance_json_get_id(obj, name, line, idbuf, sizeof idbuf, &doc, err);
    if (st == STANCE_OK)
        st = stance_input_add_id(opt, doc, name, line, err);
    if (st != STANCE_OK)
        return st;
    stance_article *art;
    st = jsonl_article(obj, name, line, opt, &art, err);
    if (st == STANCE_OK)
        st = fn(ctx, art, doc, obj, name, line, err);
    stance_article_free(art);
    return st;
}

/* stance_input_walk_lines's callback, in the ctx of a walk whose fn is NULL. */
typedef struct {
    stance_line_fn fn;
    void *ctx;
} line_walk;

/* Each line handed over as it is, for the caller to parse. */
static stance_status walk_jsonl_lines(stance_jsonl_reader *r, const char *name,
                                      const line_walk *lw, stance_error *err)
{
    const char *text;
    size_t n, at;
    stance_status st;
    while ((st = stance_jsonl_read_line(r, &text, &n, &at, err)) == STANCE_OK && n)
        if ((st = lw->fn(lw->ctx, text, n, at, name, stance_jsonl_get_line(r), err)) != STANCE_OK)
            break;
    return st;
}

static stance_status walk_jsonl(FILE *f, const char *name, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    stance_jsonl_reader *r;
    stance_status st = stance_jsonl_reader_new(f, name, &r, err);
    if (st == STANCE_OK && !fn) { /* from stance_input_walk_lines */
        st = walk_jsonl_lines(r, name, ctx, err);
        stance_jsonl_reader_free(r);
        return st;
    }
    json_t *obj = NULL;
    while (st == STANCE_OK && (st = stance_jsonl_read(r, &obj, err)) == STANCE_OK && obj) {
        st = walk_jsonl_record(obj, name, stance_jsonl_get_line(r), opt, fn, ctx, err);
        json_decref(obj);
    }
    stance_jsonl_reader_free(r);
    return st;
}

static stance_status walk_stream(FILE *f, const char *path, const stance_input_options *opt,
                                 stance_article_fn fn, void *ctx, stance_error *err)
{
    if (opt->jsonl)
        return walk_jsonl(f, path, opt, fn, ctx, err);
    char *doc = NULL;
    stance_status st = stance_record_doc_from_path(path, &doc, err);
    if (st == STANCE_OK)
        st = walk_text(f, path, doc, opt, fn, ctx, err);
    free(doc);
    return st;
}

static stance_status walk_path(const char *path, const stance_input_options *opt,
                               stance_article_fn fn, void *ctx, stance_error *err)
{
    FILE *f;
    stance_status st = stance_stream_open(path, "rb", &f, err);
    if (st != STANCE_OK)
        return st;
    st = walk_stream(f, path, opt, fn, ctx, err);
    fclose(f);
    return st;
}

/* Opens a file found in a directory, if it is a regular file (*f NULL if not). A FIFO is not
 * waited for, nor a device opened: stat first, then open without blocking and check again
 * what was opened, in case the entry changed meanwhile. */
static stance_status open_member(const char *path, FILE **f, stance_error *err)
{
    *f = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    if (!S_ISREG(sb.st_mode))
        return STANCE_OK;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return stance_fail_errno(err, errno, path, "cannot open");
    int flags;
    if (fstat(fd, &sb) != 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int e = errno;
        close(fd);
        return stance_fail_errno(err, e, path, "cannot open");
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return STANCE_OK;
    }
    if (!(*f = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return stance_fail_errno(err, e, path, "cannot open");
    }
    return STANCE_OK;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_txt_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

void stance_input_paths_free(char **paths, size_t count)
{
    if (!paths)
        return;
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    int slash = a > 0 && dir[a - 1] != '/';
    char *p = malloc(a + (size_t)slash + b + 1);
    if (p) {
        memcpy(p, dir, a);
        if (slash)
            p[a] = '/';
        memcpy(p + a + (size_t)slash, name, b + 1);
    }
    return p;
}

stance_status stance_input_list_texts(const char *dir, char ***paths, size_t *count, stance_error *err)
{
    *paths = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return stance_fail_errno(err, errno, dir, "cannot open directory");
    char **list = NULL;
    size_t n = 0, cap = 0;
    stance_status st = STANCE_OK;
    struct dirent *e;
    while (st == STANCE_OK && (e = readdir(d)) != NULL) {
        if (!has_txt_suffix(e->d_name))
            continue;
        char **grown = stance_grow(list, &cap, n, 1, sizeof *grown);
        if (!grown) {
            st = stance_fail_nomem(err, dir);
            break;
        }
        list = grown;
        if (!(list[n] = join_path(dir, e->d_name)))
            st = stance_fail_nomem(err, dir);
        else
            n++;
    }
    closedir(d);
    if (st == STANCE_OK && n == 0)
        st = stance_fail(err, STANCE_ERR_DATA, dir, 0, "directory has no .txt files");
    if (st != STANCE_OK) {
        stance_input_paths_free(list, n);
        return st;
    }
    qsort(list, n, sizeof *list, compare_paths);
    *paths = list;
    *count = n;
    return STANCE_OK;
}

/* The *.txt files of a directory in order; entries that are not regular files are skipped
 * (and reported through opt->skipped). */
static stance_status walk_dir(const char *dir, const stance_input_options *opt,
                              stance_article_fn fn, void *ctx, stance_error *err)
{
    char **paths;
    size_t n, read = 0;
    stance_status st = stance_input_list_texts(dir, &paths, &n, err);
    for (size_t i = 0; st == STANCE_OK && i < n; i++) {
        FILE *f;
        st = open_member(paths[i], &f, err);
        if (st == STANCE_OK && !f) {
            if (opt->skipped)
                opt->skipped(paths[i], "not a regular file");
            continue;
        }
        if (st == STANCE_OK) {
            read++;
            st = walk_stream(f, paths[i], opt, fn, ctx, err);
            fclose(f);
        }
    }
    stance_input_paths_free(paths, n);
    if (st == STANCE_OK && read == 0)
        st = stance_fail(err, STANCE_ERR_DATA, dir, 0, "directory has no .txt files that are "
                         "regular files");
    return st;
}

stance_status stance_input_walk(const char *arg, const stance_input_options *opt,
                                stance_article_fn fn, void *ctx, stance_error *err)
{
    if (strcmp(arg, "-") == 0)
        return opt->jsonl ? walk_jsonl(stdin, "<stdin>", opt, fn, ctx, err)
                          : walk_text(stdin, "<stdin>", "stdin", opt, fn, ctx, err);
    struct stat sb;
    if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
        return walk_dir(arg, opt, fn, ctx, err);
    return walk_path(arg, opt, fn, ctx, err); /* a FIFO named here is read, as standard input is */
}

stance_status stance_input_walk_lines(const char *arg, const stance_input_options *opt,
                                      stance_line_fn fn, void *ctx, stance_error *err)
{
    if (!opt->jsonl)
        return stance_fail(err, STANCE_ERR_USAGE, arg, 0, "lines are walked in JSON Lines only");
    line_walk lw = {fn, ctx};
    return stance_input_walk(arg, opt, NULL, &lw, err);
}

stance_status stance_input_parse_line(const char *text, size_t n, size_t at, const char *where,
                                      long line, const stance_input_options *opt, char *idbuf,
                                      size_t idsize, json_t **obj, const char **doc,
                                      stance_article **art, stance_error *err)
{
    char *scratch = NULL;
    size_t cap = 0;
    *doc = NULL;
    *art = NULL;
    stance_status st = stance_jsonl_parse_line(where, line, text, n, at, &scratch, &cap, obj, err);
    free(scratch);
    if (st == STANCE_OK)
        st = stance_json_get_id(*obj, where, line, idbuf, idsize, doc, err);
    if (st == STANCE_OK)
        st = jsonl_article(*obj, where, line, opt, art, err);
    return st;
}

stance_status stance_input_add_id(const stance_input_options *opt, const char *doc,
                                  const char *where, long line, stance_error *err)
{
    return opt->seen ? stance_idset_add(opt->seen, doc, where, line, err) : STANCE_OK;
}
