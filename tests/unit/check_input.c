/* check_input.c: walking command-line arguments: a directory's *.txt files in order, a plain
 * file, JSON Lines articles with their extra fields, a callback that stops the walk, errors,
 * entries that are not regular files, the size limit; the list of a command line's inputs
 * (subdirectories, the glob, ids that would collide, keep going) and lists of paths; lines
 * walked unparsed, then parsed and their ids checked, as the walk does it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stance/input.h"
#include "suites.h"

#define MAXSEEN 8

/* What the callback saw, one entry per article. */
typedef struct {
    size_t n;
    char doc[MAXSEEN][64];
    char text[MAXSEEN][128];
    char where[MAXSEEN][64];
    long line[MAXSEEN];
    size_t passages[MAXSEEN];
    json_t *extra[MAXSEEN]; /* copies (owned), or NULL */
    size_t stop_after;      /* return an error after this many calls (0: never) */
} seen;

static stance_status collect(void *ctx, const stance_article *art, const char *doc,
                             const json_t *extra, const char *where, long line, stance_error *err)
{
    seen *s = ctx;
    ck_assert_uint_lt(s->n, MAXSEEN);
    size_t i = s->n++;
    snprintf(s->doc[i], sizeof s->doc[i], "%s", doc);
    snprintf(s->text[i], sizeof s->text[i], "%s", stance_article_get_text(art, NULL));
    snprintf(s->where[i], sizeof s->where[i], "%s", where);
    s->line[i] = line;
    s->passages[i] = stance_article_get_passage_count(art);
    s->extra[i] = extra ? json_deep_copy(extra) : NULL;
    if (s->stop_after && s->n >= s->stop_after) {
        snprintf(err->message, sizeof err->message, "stopped by the callback");
        err->status = STANCE_ERR_DATA;
        return STANCE_ERR_DATA;
    }
    return STANCE_OK;
}

static void seen_clear(seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->extra[i]);
}

static stance_status walk(const char *arg, int jsonl, seen *s, stance_error *err)
{
    stance_input_options opt = {.jsonl = jsonl, .enc = STANCE_ENC_UTF8};
    stance_error_clear(err);
    return stance_input_walk(arg, &opt, collect, s, err);
}

/* Plain-text arguments: the documents seen, in order. */
static const struct {
    const char *arg;
    size_t n;
    const char *doc[3];
    const char *where[3];
    const char *text[3];
} text_cases[] = {
    {"data/articles", 2, {"a", "b"}, {"data/articles/a.txt", "data/articles/b.txt"},
     {"Alpha article.\n", "Beta article.\n"}},
    {"data/articles/", 2, {"a", "b"}, {"data/articles/a.txt", "data/articles/b.txt"},
     {"Alpha article.\n", "Beta article.\n"}},
    {"data/articles/b.txt", 1, {"b"}, {"data/articles/b.txt"}, {"Beta article.\n"}},
    {"data/articles/c.md", 1, {"c"}, {"data/articles/c.md"}, {"skip me\n"}}, /* named: read */
    {"data/empty.txt", 1, {"empty"}, {"data/empty.txt"}, {""}},
};

START_TEST(test_text_walk)
{
    seen s = {0};
    stance_error err;
    ck_assert_int_eq(walk(text_cases[_i].arg, 0, &s, &err), STANCE_OK);
    ck_assert_uint_eq(s.n, text_cases[_i].n);
    for (size_t i = 0; i < s.n; i++) {
        ck_assert_str_eq(s.doc[i], text_cases[_i].doc[i]);
        ck_assert_str_eq(s.where[i], text_cases[_i].where[i]);
        ck_assert_str_eq(s.text[i], text_cases[_i].text[i]);
        ck_assert_int_eq(s.line[i], 0);
        ck_assert_ptr_null(s.extra[i]);
    }
    seen_clear(&s);
}
END_TEST

/* data/articles.jsonl:
 *   {"id": "a-1", "text": "NATO TALKS RESUME.\n\nEnvoys met in Brussels.", "source": "test", "year": 2001}
 *   {"id": 42, "text": "One paragraph only."} */
START_TEST(test_jsonl_walk)
{
    seen s = {0};
    stance_error err;
    ck_assert_int_eq(walk("data/articles.jsonl", 1, &s, &err), STANCE_OK);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_str_eq(s.doc[0], "a-1");
    ck_assert_str_eq(s.doc[1], "42"); /* an integer id, as text */
    ck_assert_str_eq(s.text[0], "NATO TALKS RESUME.\n\nEnvoys met in Brussels.");
    ck_assert_str_eq(s.text[1], "One paragraph only.");
    ck_assert_uint_eq(s.passages[0], 2);
    ck_assert_uint_eq(s.passages[1], 1);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_str_eq(s.where[i], "data/articles.jsonl");
        ck_assert_int_eq(s.line[i], (long)i + 1);
        ck_assert_ptr_nonnull(s.extra[i]);
    }
    /* extra is the whole object: the caller decides which fields to pass on */
    ck_assert_str_eq(json_string_value(json_object_get(s.extra[0], "source")), "test");
    ck_assert_int_eq(json_integer_value(json_object_get(s.extra[0], "year")), 2001);
    ck_assert_str_eq(json_string_value(json_object_get(s.extra[0], "id")), "a-1");
    ck_assert_int_eq(json_object_size(s.extra[1]), 2);
    seen_clear(&s);
}
END_TEST

/* A non-OK return from the callback stops the walk, and its error comes back unchanged. */
static const struct {
    const char *arg;
    int jsonl;
} stop_cases[] = {
    {"data/articles", 0},
    {"data/articles.jsonl", 1},
};

START_TEST(test_callback_stops_walk)
{
    seen s = {0};
    s.stop_after = 1;
    stance_error err;
    ck_assert_int_eq(walk(stop_cases[_i].arg, stop_cases[_i].jsonl, &s, &err), STANCE_ERR_DATA);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_str_eq(err.message, "stopped by the callback");
    seen_clear(&s);
}
END_TEST

/* Errors: status, where, line, and a piece of the message; nothing reaches the callback
 * except the records before a bad JSON Lines record. */
static const struct {
    const char *arg;
    int jsonl;
    stance_status status;
    const char *where;
    long line;
    const char *message;
    size_t calls;
} error_cases[] = {
    {"data/no-such-file.txt", 0, STANCE_ERR_IO, "data/no-such-file.txt", 0, "No such file", 0},
    {"data/no-such-file.jsonl", 1, STANCE_ERR_IO, "data/no-such-file.jsonl", 0, "No such file", 0},
    {"data/empty-dir", 0, STANCE_ERR_DATA, "data/empty-dir", 0, ".txt", 0},
    {"data/nul.txt", 0, STANCE_ERR_DATA, "data/nul.txt", -1, "NUL", 0},
    {"data/latin1.txt", 0, STANCE_ERR_DATA, "data/latin1.txt", 3, "invalid UTF-8", 0},
    {"data/no-text.jsonl", 1, STANCE_ERR_DATA, "data/no-text.jsonl", -1, "text", 0},
    {"data/bad-json.jsonl", 1, STANCE_ERR_DATA, "data/bad-json.jsonl", -1, "", 0},
};

START_TEST(test_errors)
{
    seen s = {0};
    stance_error err;
    ck_assert_int_eq(walk(error_cases[_i].arg, error_cases[_i].jsonl, &s, &err), error_cases[_i].status);
    ck_assert_int_eq(err.status, error_cases[_i].status);
    ck_assert_str_eq(err.where, error_cases[_i].where);
    if (error_cases[_i].line >= 0)
        ck_assert_int_eq(err.line, error_cases[_i].line);
    else
        ck_assert_int_gt(err.line, 0);
    ck_assert_msg(strstr(err.message, error_cases[_i].message) != NULL, "%s: %s", error_cases[_i].arg,
                  err.message);
    seen_clear(&s);
}
END_TEST

/* A JSON Lines record whose id is neither a string nor an integer is refused with its line. */
START_TEST(test_jsonl_bad_id)
{
    char path[] = "/tmp/stance-check-input-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"id\": \"ok\", \"text\": \"Fine.\"}\n{\"id\": 1.5, \"text\": \"Bad id.\"}\n", f);
    ck_assert_int_eq(fclose(f), 0);
    seen s = {0};
    stance_error err;
    stance_status st = walk(path, 1, &s, &err);
    remove(path);
    ck_assert_int_eq(st, STANCE_ERR_DATA);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_int_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "\"id\""));
    seen_clear(&s);
}
END_TEST

/* With an id set, a repeated id stops the walk at the second article, across arguments too,
 * after the callback has seen only the first. */
START_TEST(test_duplicate_ids)
{
    static const struct {
        const char *first, *second;
        int jsonl;
        const char *where, *message;
    } cases[] = {
        {"data/articles", "data/articles/b.txt", 0, "data/articles/b.txt",
         "duplicate id \"b\" (first in data/articles/b.txt)"},
        {"data/articles.jsonl", "data/articles.jsonl", 1, "data/articles.jsonl",
         "duplicate id \"a-1\" (first at data/articles.jsonl:1)"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        seen s = {0};
        stance_error err;
        stance_input_options opt = {.jsonl = cases[c].jsonl, .enc = STANCE_ENC_UTF8};
        ck_assert_int_eq(stance_idset_new(&opt.seen, &err), STANCE_OK);
        ck_assert_int_eq(stance_input_walk(cases[c].first, &opt, collect, &s, &err), STANCE_OK);
        ck_assert_int_eq(stance_input_walk(cases[c].second, &opt, collect, &s, &err), STANCE_ERR_DATA);
        ck_assert_uint_eq(s.n, 2);
        ck_assert_str_eq(err.where, cases[c].where);
        ck_assert_str_eq(err.message, cases[c].message);
        stance_idset_free(opt.seen);
        seen_clear(&s);
    }
}
END_TEST

/* stance_input_walk_lines, each line parsed by stance_input_parse_line and its id checked by
 * stance_input_add_id, as a caller on threads does: the same articles, the same error. */
static stance_status parse_collect(void *ctx, const char *text, size_t n, size_t at,
                                   const char *where, long line, stance_error *err)
{
    const stance_input_options *opt = ((void **)ctx)[0];
    seen *s = ((void **)ctx)[1];
    char idbuf[32];
    const char *doc;
    json_t *obj = NULL;
    stance_article *art = NULL;
    stance_status st = stance_input_parse_line(text, n, at, where, line, opt, idbuf,
                                               sizeof idbuf, &obj, &doc, &art, err);
    if (doc) { /* the duplicate comes first, as in the walk */
        stance_error dup;
        if (stance_input_add_id(opt, doc, where, line, &dup) != STANCE_OK) {
            *err = dup;
            st = dup.status;
        }
    }
    if (st == STANCE_OK)
        st = collect(s, art, doc, obj, where, line, err);
    stance_article_free(art);
    json_decref(obj);
    return st;
}

START_TEST(test_walk_lines_as_walk)
{
    static const char *const inputs[] = {
        "\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"One.\\n\\nTwo.\", \"x\": 1}\n\n  \n{\"id\": 7, \"text\": \"B.\"}\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n{\"id\": \"a\", \"text\": 5}\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n{\"id\": \"b\", \"text\": \"caf\xE9\"}\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n[1]\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n{\"id\": \"b\", \"text\": \"much too long\"}\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n{\"text\": \"no id\"}\n",
        "{\"id\": \"a\", \"text\": \"A.\"}\n{\"id\": \"b\", \"text\": \"B.\"\n",
    };
    char path[] = "/tmp/stance-check-input-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(inputs[_i], f);
    ck_assert_int_eq(fclose(f), 0);
    seen one = {0}, many = {0};
    stance_error err1, err2;
    stance_input_options opt = {.jsonl = 1, .enc = STANCE_ENC_UTF8, .max_bytes = 12};
    ck_assert_int_eq(stance_idset_new(&opt.seen, &err1), STANCE_OK);
    stance_error_clear(&err1);
    stance_status st1 = stance_input_walk(path, &opt, collect, &one, &err1);
    stance_idset_free(opt.seen);
    ck_assert_int_eq(stance_idset_new(&opt.seen, &err2), STANCE_OK);
    stance_error_clear(&err2);
    void *ctx[2] = {&opt, &many};
    stance_status st2 = stance_input_walk_lines(path, &opt, parse_collect, ctx, &err2);
    stance_idset_free(opt.seen);
    remove(path);
    ck_assert_int_eq(st1, st2);
    ck_assert_int_eq(err1.line, err2.line);
    ck_assert_str_eq(err1.message, err2.message);
    ck_assert_uint_eq(one.n, many.n);
    ck_assert_uint_ge(one.n, 1);
    for (size_t i = 0; i < one.n; i++) {
        ck_assert_str_eq(one.doc[i], many.doc[i]);
        ck_assert_str_eq(one.text[i], many.text[i]);
        ck_assert_int_eq(one.line[i], many.line[i]);
        ck_assert_uint_eq(one.passages[i], many.passages[i]);
        ck_assert(json_equal(one.extra[i], many.extra[i]));
    }
    if (_i == 0)
        ck_assert_int_eq(one.line[1], 4); /* blank lines counted, not handed over */
    else
        ck_assert_int_eq(st1, STANCE_ERR_DATA);
    seen_clear(&one);
    seen_clear(&many);
}
END_TEST

/* Lines are walked in JSON Lines only. */
START_TEST(test_walk_lines_needs_jsonl)
{
    stance_input_options opt = {.enc = STANCE_ENC_UTF8};
    stance_error err;
    ck_assert_int_eq(stance_input_walk_lines("data/articles", &opt, parse_collect, NULL, &err),
                     STANCE_ERR_USAGE);
}
END_TEST

/* What the skipped callback was told (it has no context: the walk's tests run one by one). */
static char skipped_paths[4][256];
static size_t nskipped;

static void note_skipped(const char *path, const char *why)
{
    ck_assert(strcmp(why, "not a regular file") == 0 ||
              strcmp(why, "a symbolic link to a directory, not followed") == 0);
    ck_assert_uint_lt(nskipped, 4);
    snprintf(skipped_paths[nskipped++], sizeof skipped_paths[0], "%s", path);
}

/* A directory's FIFO and subdirectory named *.txt are skipped, not waited for or read; a
 * directory of nothing else has nothing to read. */
START_TEST(test_dir_skips_special_files)
{
    char dir[] = "/tmp/stance-check-input-XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/b.txt", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    snprintf(path, sizeof path, "%s/c.txt", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    stance_input_options opt = {.enc = STANCE_ENC_UTF8, .skipped = note_skipped};
    seen s = {0};
    stance_error err;
    nskipped = 0;
    ck_assert_int_eq(stance_input_walk(dir, &opt, collect, &s, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "directory has no .txt files that are regular files");
    ck_assert_uint_eq(nskipped, 2);
    snprintf(path, sizeof path, "%s/a.txt", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("Kosovo talks.\n", f);
    ck_assert_int_eq(fclose(f), 0);
    nskipped = 0;
    ck_assert_int_eq(stance_input_walk(dir, &opt, collect, &s, &err), STANCE_OK);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_str_eq(s.doc[0], "a");
    ck_assert_uint_eq(nskipped, 2);
    snprintf(path, sizeof path, "%s/b.txt", dir);
    ck_assert_str_eq(skipped_paths[0], path);
    snprintf(path, sizeof path, "%s/c.txt", dir);
    ck_assert_str_eq(skipped_paths[1], path);
    for (const char *name = "a.txt\0b.txt\0"; *name; name += strlen(name) + 1) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        ck_assert_int_eq(unlink(path), 0);
    }
    snprintf(path, sizeof path, "%s/c.txt", dir);
    ck_assert_int_eq(rmdir(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    seen_clear(&s);
}
END_TEST

/* The size limit applies to plain-text files and to a JSON Lines "text", naming the line. */
START_TEST(test_size_limit)
{
    stance_input_options opt = {.enc = STANCE_ENC_UTF8, .max_bytes = 14};
    seen s = {0};
    stance_error err;
    ck_assert_int_eq(stance_input_walk("data/articles/b.txt", &opt, collect, &s, &err), STANCE_OK);
    ck_assert_int_eq(stance_input_walk("data/articles/a.txt", &opt, collect, &s, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "data/articles/a.txt");
    ck_assert_str_eq(err.message, "article larger than the limit of 14 bytes (--max-article-bytes raises it)");
    opt.jsonl = 1;
    opt.max_bytes = 19; /* data/articles.jsonl: 43 bytes of text on line 1, 19 on line 2 */
    ck_assert_int_eq(stance_input_walk("data/articles.jsonl", &opt, collect, &s, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "data/articles.jsonl");
    ck_assert_int_eq(err.line, 1);
    ck_assert_str_eq(err.message, "\"text\" is larger than the limit of 19 bytes for an article "
                                  "(--max-article-bytes raises it)");
    ck_assert_uint_eq(s.n, 1);
    seen_clear(&s);
}
END_TEST

/* A directory's texts: its *.txt files in byte order, and none is an error. */
START_TEST(test_list_texts)
{
    stance_error err;
    stance_input_list *l;
    stance_input_options opt = {.enc = STANCE_ENC_UTF8};
    char *empty[] = {"data/empty-dir"}, *articles[] = {"data/articles"};
    ck_assert_int_eq(stance_input_list_new(empty, 1, &opt, &l, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "directory has no .txt files");
    ck_assert_ptr_null(l);
    ck_assert_int_eq(stance_input_list_new(articles, 1, &opt, &l, &err), STANCE_OK);
    ck_assert_uint_eq(stance_input_list_get_count(l), 2);
    unsigned long long bytes;
    ck_assert_int_eq(stance_input_list_get_bytes(l, &bytes), 1);
    ck_assert_uint_eq(bytes, strlen("Alpha article.\n") + strlen("Beta article.\n"));
    stance_input_list_free(l);
    opt.glob = "*.md";
    ck_assert_int_eq(stance_input_list_new(articles, 1, &opt, &l, &err), STANCE_OK);
    ck_assert_uint_eq(stance_input_list_get_count(l), 1);
    stance_input_list_free(l);
    opt.glob = "*.none";
    ck_assert_int_eq(stance_input_list_new(articles, 1, &opt, &l, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "directory has no files matching '*.none'");
    ck_assert_int_eq(stance_input_list_new(NULL, 0, &opt, &l, &err), STANCE_OK); /* stdin */
    ck_assert_uint_eq(stance_input_list_get_count(l), 1);
    ck_assert_int_eq(stance_input_list_get_bytes(l, &bytes), 0);
    stance_input_list_free(l);
}
END_TEST

/* A small tree under a new temporary directory: the files and directories named in order
 * (a name ending in '/' is a directory), and a symbolic link "loop" to the top. */
static const char *tree[] = {"2000/", "2000/a.txt", "2001/", "2001/a.txt", "x/", "x/2000/",
                             "x/2000/a.txt", "a-b.txt", "b.txt", "sub/", "sub/c.md"};

static void make_tree(char *dir)
{
    char path[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, tree[i]);
        size_t n = strlen(path);
        if (path[n - 1] == '/') {
            path[n - 1] = '\0';
            ck_assert_int_eq(mkdir(path, 0700), 0);
            continue;
        }
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "Text of %s.\n", tree[i]);
        ck_assert_int_eq(fclose(f), 0);
    }
    snprintf(path, sizeof path, "%s/sub/loop", dir);
    ck_assert_int_eq(symlink(dir, path), 0);
}

static void remove_tree(const char *dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/sub/loop", dir);
    ck_assert_int_eq(unlink(path), 0);
    for (size_t i = sizeof tree / sizeof tree[0]; i-- > 0;) {
        snprintf(path, sizeof path, "%s/%s", dir, tree[i]);
        size_t n = strlen(path);
        if (path[n - 1] == '/')
            path[n - 1] = '\0';
        ck_assert_int_eq(remove(path), 0);
    }
    ck_assert_int_eq(rmdir(dir), 0);
}

/* -r: every *.txt file of the tree in the byte order of the paths, the link to the top not
 * followed; the three a.txt files get the shortest path suffixes that tell them apart. */
START_TEST(test_list_recursive)
{
    char dir[] = "/tmp/stance-check-input-XXXXXX", want[128];
    make_tree(dir);
    stance_input_options opt = {.enc = STANCE_ENC_UTF8, .recursive = 1, .skipped = note_skipped};
    seen s = {0};
    stance_error err;
    char *args[] = {dir};
    nskipped = 0;
    ck_assert_int_eq(stance_input_walk_all(args, 1, &opt, collect, &s, &err), STANCE_OK);
    static const char *docs[] = {"2000/a", "2001/a", "a-b", "b", "x/2000/a"};
    static const char *paths[] = {"2000/a.txt", "2001/a.txt", "a-b.txt", "b.txt", "x/2000/a.txt"};
    ck_assert_uint_eq(s.n, 5);
    for (size_t i = 0; i < 5; i++) {
        snprintf(want, sizeof want, "%s/%s", dir + 5, docs[i]); /* dir without "/tmp/" */
        ck_assert_str_eq(s.doc[i], i < 2 ? want : docs[i]); /* x/2000/a: "2000/a" repeats */
        snprintf(want, sizeof want, "%s/%s", dir, paths[i]);
        ck_assert_str_eq(s.where[i], want);
    }
    ck_assert_uint_eq(nskipped, 1);
    snprintf(want, sizeof want, "%s/sub/loop", dir);
    ck_assert_str_eq(skipped_paths[0], want);
    seen_clear(&s);
    /* the two directories named: one more component tells them apart, in either order */
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/2001", dir);
    snprintf(b, sizeof b, "%s/2000", dir);
    char *two[] = {a, b};
    opt.recursive = 0;
    seen t = {0};
    ck_assert_int_eq(stance_input_walk_all(two, 2, &opt, collect, &t, &err), STANCE_OK);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.doc[0], "2001/a");
    ck_assert_str_eq(t.doc[1], "2000/a");
    seen_clear(&t);
    /* the same file twice cannot be told apart: a repeated id, as before */
    char *same[] = {b, b};
    stance_idset *ids;
    ck_assert_int_eq(stance_idset_new(&ids, &err), STANCE_OK);
    opt.seen = ids;
    seen u = {0};
    ck_assert_int_eq(stance_input_walk_all(same, 2, &opt, collect, &u, &err), STANCE_ERR_DATA);
    ck_assert_uint_eq(u.n, 1);
    stance_idset_free(ids);
    seen_clear(&u);
    remove_tree(dir);
}
END_TEST

static size_t nfailed;

static void count_failed(void *ctx, const stance_error *err)
{
    (void)err;
    (*(size_t *)ctx)++;
}

/* Keep going: an entry that vanished (a dangling link) and a file over the limit are
 * reported and skipped; the others are read. Without it the first stops the walk. */
START_TEST(test_keep_going)
{
    char dir[] = "/tmp/stance-check-input-XXXXXX", path[128];
    make_tree(dir);
    snprintf(path, sizeof path, "%s/2000/gone.txt", dir);
    ck_assert_int_eq(symlink("/nonexistent/stance", path), 0);
    stance_input_options opt = {.enc = STANCE_ENC_UTF8, .recursive = 1, .max_bytes = 20};
    seen s = {0};
    stance_error err;
    char *args[] = {dir};
    ck_assert_int_eq(stance_input_walk_all(args, 1, &opt, collect, &s, &err), STANCE_ERR_IO);
    ck_assert_uint_eq(s.n, 1); /* 2000/a.txt, then gone.txt */
    seen_clear(&s);
    nfailed = 0;
    opt.failed = count_failed;
    opt.failed_ctx = &nfailed;
    seen t = {0};
    ck_assert_int_eq(stance_input_walk_all(args, 1, &opt, collect, &t, &err), STANCE_OK);
    ck_assert_uint_eq(nfailed, 2); /* gone.txt, and x/2000/a.txt: 22 bytes */
    ck_assert_uint_eq(t.n, 4);
    seen_clear(&t);
    ck_assert_int_eq(unlink(path), 0);
    remove_tree(dir);
}
END_TEST

/* Lists of paths: lines or NUL-separated entries, empty ones skipped, and the mistakes. */
static const struct {
    const char *text;
    size_t len;
    int nul;
    stance_status status;
    size_t n;
    const char *names[2];
    long line;
} name_cases[] = {
    {"a.txt\n\ndir/b.txt\n", 17, 0, STANCE_OK, 2, {"a.txt", "dir/b.txt"}, 0},
    {"a.txt\nb", 7, 0, STANCE_OK, 2, {"a.txt", "b"}, 0},
    {"a\0b\nc\0", 7, 1, STANCE_OK, 2, {"a", "b\nc"}, 0},
    {"a\0\0b", 4, 1, STANCE_OK, 2, {"a", "b"}, 0},
    {"a\nb\0c\n", 6, 0, STANCE_ERR_DATA, 0, {NULL, NULL}, 2},
    {"a\n-\n", 4, 0, STANCE_ERR_DATA, 0, {NULL, NULL}, 2},
    {"\n\n", 2, 0, STANCE_ERR_DATA, 0, {NULL, NULL}, 0},
    {"", 0, 1, STANCE_ERR_DATA, 0, {NULL, NULL}, 0},
};

START_TEST(test_read_names)
{
    char buf[32];
    memcpy(buf, name_cases[_i].text, name_cases[_i].len);
    FILE *f = fmemopen(buf, name_cases[_i].len ? name_cases[_i].len : 1, "rb");
    ck_assert_ptr_nonnull(f);
    if (!name_cases[_i].len)
        fgetc(f); /* an empty stream */
    char **names;
    size_t n;
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_input_read_names(f, "list", name_cases[_i].nul, &names, &n, &err),
                     name_cases[_i].status);
    fclose(f);
    ck_assert_uint_eq(n, name_cases[_i].n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(names[i], name_cases[_i].names[i]);
    if (name_cases[_i].status != STANCE_OK) {
        ck_assert_str_eq(err.where, "list");
        ck_assert_int_eq(err.line, name_cases[_i].line);
    }
    stance_input_names_free(names, n);
}
END_TEST

Suite *input_suite(void)
{
    Suite *s = suite_create("input");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_text_walk, 0, (int)(sizeof text_cases / sizeof text_cases[0]));
    tcase_add_test(tc, test_jsonl_walk);
    tcase_add_loop_test(tc, test_callback_stops_walk, 0, (int)(sizeof stop_cases / sizeof stop_cases[0]));
    tcase_add_loop_test(tc, test_errors, 0, (int)(sizeof error_cases / sizeof error_cases[0]));
    tcase_add_test(tc, test_jsonl_bad_id);
    tcase_add_test(tc, test_duplicate_ids);
    tcase_add_loop_test(tc, test_walk_lines_as_walk, 0, 7);
    tcase_add_test(tc, test_walk_lines_needs_jsonl);
    tcase_add_test(tc, test_dir_skips_special_files);
    tcase_add_test(tc, test_size_limit);
    tcase_add_test(tc, test_list_texts);
    tcase_add_test(tc, test_list_recursive);
    tcase_add_test(tc, test_keep_going);
    tcase_add_loop_test(tc, test_read_names, 0, (int)(sizeof name_cases / sizeof name_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}
