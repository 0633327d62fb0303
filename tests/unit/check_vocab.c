/* check_vocab.c: fitting, TF-IDF vectors worked out by hand, the vocabulary file and its
 * validation. */
#define _GNU_SOURCE /* flock */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../pipeline/vocab_int.h"
#include "stance/vocab.h"
#include "suites.h"

/* The hand-worked example: three documents of stems.
 *   D1: nato expand east    D2: nato nato warn    D3: nato warn russia
 * Document frequencies (each feature counted once per document):
 *   nato 3, warn 2, expand 1, east 1, russia 1,
 *   "nato warn" 2 (D2, D3), "nato expand" 1, "expand east" 1, "nato nato" 1, "warn russia" 1.
 * With min_df 2 three features stay; in byte order (' ' sorts before letters):
 *   1 "nato" (df 3), 2 "nato warn" (df 2), 3 "warn" (df 2).
 * idf = ln((1 + N) / (1 + df)) + 1 with N = 3:
 *   nato: ln(4/4) + 1 = 1;  "nato warn", warn: ln(4/3) + 1 = 1.2876820724517808.
 * D2 counts: nato 2, "nato warn" 1, warn 1 ("nato nato" is not kept). Sublinear tf:
 *   nato 1 + ln 2 = 1.6931471805599454, the others 1 + ln 1 = 1. Times idf:
 *   1.6931471805599454, 1.2876820724517808, 1.2876820724517808.
 * L2 norm: sqrt(1.6931471805599454^2 + 2 * 1.2876820724517808^2)
 *   = sqrt(2.8667473750380923 + 2 * 1.6581251197137132) = sqrt(6.1829976144655187)
 *   = 2.4865634145272706, so D2's vector is
 *   1:0.680918560398684 2:0.5178561161676974 3:0.5178561161676974.
 * An unseen document "warn nato zebra": warn 1, nato 1 ("warn nato", zebra unknown):
 *   weights 1 (nato) and 1.2876820724517808 (warn), norm sqrt(1 + 1.6581251197137132)
 *   = 1.6303757602815718: 1:0.6133555370249717 3:0.7898069290660905. */
static const char *const d1[] = {"nato", "expand", "east"};
static const char *const d2[] = {"nato", "nato", "warn"};
static const char *const d3[] = {"nato", "warn", "russia"};
static const char *const unseen[] = {"warn", "nato", "zebra"};

static const char example_file[] =
    "{\"format\":\"stance-vocab\",\"version\":1,\n"
    "\"options\":{\"bigrams\":true,\"min_df\":2,\"sublinear_tf\":true,\"idf\":true,\"l2\":true},\n"
    "\"documents\":3,\n"
    "\"terms\":[\n"
    "[\"nato\",3],\n"
    "[\"nato warn\",2],\n"
    "[\"warn\",2]\n"
    "]}\n";

static void lens_of(const char *const *stems, size_t n, size_t *lens)
{
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(stems[i]);
}

static void add(stance_vocab *vocab, const char *const *stems, size_t n)
{
    size_t lens[8];
    lens_of(stems, n, lens);
    stance_error err;
    ck_assert_int_eq(stance_vocab_add(vocab, stems, lens, n, NULL, 0, &err), STANCE_OK);
}

static void vectorize(const stance_vocab *vocab, const char *const *stems, size_t n,
                      stance_vector *v)
{
    size_t lens[8];
    lens_of(stems, n, lens);
    stance_error err;
    ck_assert_int_eq(stance_vocab_vectorize(vocab, stems, lens, n, NULL, 0, v, &err), STANCE_OK);
}

static stance_vocab *fit_example(const stance_vocab_options *opt)
{
    stance_vocab *vocab;
    stance_error err;
    ck_assert_int_eq(stance_vocab_new(opt, &vocab, &err), STANCE_OK);
    add(vocab, d1, 3);
    add(vocab, d2, 3);
    add(vocab, d3, 3);
    ck_assert_int_eq(stance_vocab_finish(vocab, &err), STANCE_OK);
    return vocab;
}

static void expect(const stance_vector *v, size_t n, const int *index, const double *value)
{
    ck_assert_uint_eq(v->count, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(v->items[i].index, index[i]);
        ck_assert_double_eq_tol(v->items[i].value, value[i], 1e-12);
    }
}

START_TEST(test_example_defaults)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab = fit_example(&opt);
    ck_assert_uint_eq(stance_vocab_get_size(vocab), 3);
    ck_assert_str_eq(stance_vocab_term(vocab, 1), "nato");
    ck_assert_str_eq(stance_vocab_term(vocab, 2), "nato warn");
    ck_assert_str_eq(stance_vocab_term(vocab, 3), "warn");
    ck_assert_ptr_null(stance_vocab_term(vocab, 0));
    ck_assert_ptr_null(stance_vocab_term(vocab, 4));
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, d2, 3, &v);
    expect(&v, 3, (int[]){1, 2, 3},
           (double[]){0.680918560398684, 0.5178561161676974, 0.5178561161676974});
    vectorize(vocab, unseen, 3, &v);
    expect(&v, 2, (int[]){1, 3}, (double[]){0.6133555370249717, 0.7898069290660905});
    vectorize(vocab, unseen + 2, 1, &v); /* nothing known: an empty vector, no NaN */
    ck_assert_uint_eq(v.count, 0);
    vectorize(vocab, NULL, 0, &v);
    ck_assert_uint_eq(v.count, 0);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
}
END_TEST

/* A corpus for stance_vocab_fit: documents of 3 stems, document i from corpus.jsonl line
 * 10 * (i + 1); the callback fails on document fail_at. */
typedef struct {
    const char *const *docs[4];
    size_t lens[3];
    size_t fail_at;
} corpus;

static stance_status corpus_doc(void *ctx, size_t i, stance_vocab_doc *doc, stance_error *err)
{
    corpus *c = ctx;
    if (i == c->fail_at)
        return stance_error_set(err, STANCE_ERR_IO, "corpus.jsonl", 0, "read failed");
    lens_of(c->docs[i], 3, c->lens);
    *doc = (stance_vocab_doc){c->docs[i], c->lens, 3, "corpus.jsonl", 10 * ((long)i + 1)};
    return STANCE_OK;
}

static char *vocab_text(const stance_vocab *vocab)
{
    json_t *json = stance_vocab_to_json(vocab);
    ck_assert_ptr_nonnull(json);
    char *text = json_dumps(json, JSON_SORT_KEYS);
    json_decref(json);
    ck_assert_ptr_nonnull(text);
    return text;
}

/* stance_vocab_fit: the vocabulary that adding each document and finishing gives; a bad
 * document named by its place; the callback's failure passed on; nothing finished on failure. */
START_TEST(test_fit)
{
    static const char *const empty_stem[] = {"nato", "", "warn"};
    corpus c = {{d1, d2, d3, empty_stem}, {0}, SIZE_MAX};
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *added = fit_example(&opt), *fitted;
    stance_error err;
    ck_assert_int_eq(stance_vocab_new(&opt, &fitted, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocab_fit(fitted, 3, corpus_doc, &c, &err), STANCE_OK);
    char *a = vocab_text(added), *b = vocab_text(fitted);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    stance_vocab_free(added);
    stance_vocab_free(fitted);

    static const struct {
        size_t n, fail_at;
        stance_status status;
        const char *where;
        long line;
        const char *message;
    } cases[] = {
        {4, SIZE_MAX, STANCE_ERR_DATA, "corpus.jsonl", 40, "stem 2 is empty"},
        {4, 1, STANCE_ERR_IO, "corpus.jsonl", 0, "read failed"},
        {0, 0, STANCE_OK, NULL, 0, NULL}, /* no documents: finished, the callback not called */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        c.fail_at = cases[i].fail_at;
        ck_assert_int_eq(stance_vocab_new(&opt, &fitted, &err), STANCE_OK);
        ck_assert_int_eq(stance_vocab_fit(fitted, cases[i].n, corpus_doc, &c, &err),
                         cases[i].status);
        json_t *json = stance_vocab_to_json(fitted); /* NULL: not finished */
        if (cases[i].status == STANCE_OK) {
            ck_assert_ptr_nonnull(json);
            ck_assert_uint_eq(stance_vocab_get_size(fitted), 0);
        } else {
            ck_assert_ptr_null(json);
            ck_assert_str_eq(err.where, cases[i].where);
            ck_assert_int_eq(err.line, cases[i].line);
            ck_assert_str_eq(err.message, cases[i].message);
        }
        json_decref(json);
        stance_vocab_free(fitted);
    }
}
END_TEST

/* Stem codes: the same vector as the stems give; stems in no feature are -1. */
START_TEST(test_codes)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab = fit_example(&opt);
    const char *const stems[] = {"warn", "nato", "zebra", "nato", "warn", "nato", "nato"};
    long codes[7];
    for (size_t i = 0; i < 7; i++)
        codes[i] = stance_vocab_stem_code(vocab, stems[i], strlen(stems[i]));
    ck_assert_int_ge(codes[0], 0);
    ck_assert_int_ge(codes[1], 0);
    ck_assert_int_ne(codes[0], codes[1]);
    ck_assert_int_eq(codes[2], -1);
    ck_assert_int_eq(stance_vocab_stem_code(vocab, "expand", 6), -1); /* below min_df */
    stance_vector a, b;
    stance_vector_init(&a);
    stance_vector_init(&b);
    stance_error err;
    for (size_t n = 0; n <= 7; n++) {
        vectorize(vocab, stems, n, &a);
        ck_assert_int_eq(stance_vocab_vectorize_codes(vocab, codes, n, &b, &err), STANCE_OK);
        ck_assert_uint_eq(a.count, b.count);
        for (size_t i = 0; i < a.count; i++) {
            ck_assert_int_eq(a.items[i].index, b.items[i].index);
            ck_assert(a.items[i].value == b.items[i].value);
        }
    }
    long bad[] = {0, 99};
    ck_assert_int_eq(stance_vocab_vectorize_codes(vocab, bad, 2, &b, &err), STANCE_ERR_USAGE);
    ck_assert_uint_eq(b.count, 0);
    bad[1] = -2;
    ck_assert_int_eq(stance_vocab_vectorize_codes(vocab, bad, 2, &b, &err), STANCE_ERR_USAGE);
    stance_vocab_free(vocab);
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, &err), STANCE_OK); /* not finished */
    ck_assert_int_eq(stance_vocab_stem_code(vocab, "nato", 4), -1);
    ck_assert_int_eq(stance_vocab_vectorize_codes(vocab, NULL, 0, &b, &err), STANCE_ERR_USAGE);
    stance_vocab_free(vocab);
    stance_vector_clear(&a);
    stance_vector_clear(&b);
}
END_TEST

/* A vocabulary file may list a bigram without its stems as features (min_df 1 fits never
 * give one, but files are read as they are), and texts no pair of stems can form. Terms:
 * 1 "a b", 2 "c", 3 "c  d" (two spaces), 4 "d e f", 5 "e". Many occurrences also take the
 * sorting path that a few do not. */
START_TEST(test_codes_odd_terms)
{
    static const char file[] =
        "{\"format\":\"stance-vocab\",\"version\":1,\"options\":{\"bigrams\":true,\"min_df\":1,"
        "\"sublinear_tf\":false,\"idf\":false,\"l2\":false},\"documents\":2,\"terms\":["
        "[\"a b\",1],[\"c\",1],[\"c  d\",1],[\"d e f\",1],[\"e\",1]]}";
    json_error_t je;
    json_t *json = json_loads(file, 0, &je);
    ck_assert_ptr_nonnull(json);
    stance_vocab *vocab;
    stance_error err;
    ck_assert_int_eq(stance_vocab_from_json(json, "odd", &vocab, &err), STANCE_OK);
    json_decref(json);
    const char *stems[100];
    for (size_t i = 0; i < 100; i++)
        stems[i] = (const char *[]){"a", "b", "c", "d", "e"}[i % 5];
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, stems, 5, &v); /* a b c d e: "a b" 1, c 1, e 1 */
    expect(&v, 3, (int[]){1, 2, 5}, (double[]){1, 1, 1});
    size_t lens[100];
    lens_of(stems, 100, lens);
    ck_assert_int_eq(stance_vocab_vectorize(vocab, stems, lens, 100, NULL, 0, &v, &err), STANCE_OK);
    expect(&v, 3, (int[]){1, 2, 5}, (double[]){20, 20, 20});
    vectorize(vocab, (const char *[]){"b", "a"}, 2, &v);
    ck_assert_uint_eq(v.count, 0);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
}
END_TEST

/* The same documents with each weighting step switched off, one table row per setting.
 * Counts for D2 are nato 2, "nato warn" 1, warn 1; D1 has nato 1 only. */
static const struct {
    int sublinear_tf, idf, l2;
    double d2[3]; /* D2's weights for indices 1, 2, 3 */
    double d1;    /* D1's weight for index 1 */
} weighting_cases[] = {
    /* raw counts */
    {0, 0, 0, {2, 1, 1}, 1},
    /* counts times idf: 2 * 1, 1 * 1.2876820724517808 */
    {0, 1, 0, {2, 1.2876820724517808, 1.2876820724517808}, 1},
    /* counts, unit length: norm sqrt(4 + 1 + 1) = 2.449489742783178 */
    {0, 0, 1, {0.8164965809277261, 0.4082482904638631, 0.4082482904638631}, 1},
    /* sublinear only: 1 + ln 2, 1, 1 */
    {1, 0, 0, {1.6931471805599454, 1, 1}, 1},
};

START_TEST(test_weighting_switches)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.sublinear_tf = weighting_cases[_i].sublinear_tf;
    opt.idf = weighting_cases[_i].idf;
    opt.l2 = weighting_cases[_i].l2;
    stance_vocab *vocab = fit_example(&opt);
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, d2, 3, &v);
    expect(&v, 3, (int[]){1, 2, 3}, weighting_cases[_i].d2);
    vectorize(vocab, d1, 3, &v);
    expect(&v, 1, (int[]){1}, &weighting_cases[_i].d1);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
}
END_TEST

START_TEST(test_unigrams_min_df_1)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.bigrams = 0;
    opt.min_df = 1;
    stance_vocab *vocab = fit_example(&opt);
    static const char *const want[] = {"east", "expand", "nato", "russia", "warn"};
    ck_assert_uint_eq(stance_vocab_get_size(vocab), 5);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(stance_vocab_term(vocab, i + 1), want[i]);
    stance_vocab_free(vocab);
}
END_TEST

/* Stems longer than the stack buffer for bigrams: the heap takes over. */
START_TEST(test_long_stems)
{
    char a[300], b[200];
    memset(a, 'a', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memset(b, 'b', sizeof b - 1);
    b[sizeof b - 1] = '\0';
    const char *const doc[] = {a, b};
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.min_df = 1;
    stance_vocab *vocab;
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, NULL), STANCE_OK);
    add(vocab, doc, 2);
    ck_assert_int_eq(stance_vocab_finish(vocab, NULL), STANCE_OK);
    ck_assert_uint_eq(stance_vocab_get_size(vocab), 3);
    const char *joined = stance_vocab_term(vocab, 2); /* a... < "a... b..." < b... */
    ck_assert_uint_eq(strlen(joined), 299 + 1 + 199);
    ck_assert_int_eq(strncmp(joined, a, 299), 0);
    ck_assert_int_eq(joined[299], ' ');
    ck_assert_str_eq(joined + 300, b);
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, doc, 2, &v);
    ck_assert_uint_eq(v.count, 3);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
}
END_TEST

START_TEST(test_bad_calls)
{
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab;
    stance_error err;
    opt.min_df = 0;
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(vocab);
    opt.min_df = 1;
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, &err), STANCE_OK);
    static const struct {
        const char *stems[2];
        size_t lens[2];
        const char *message;
    } bad[] = {
        {{"nato", ""}, {4, 0}, "stem 2 is empty"},
        {{"nato warn", "x"}, {9, 1}, "stem 1 contains a space or a NUL byte"},
        {{"na\0o", "x"}, {4, 1}, "stem 1 contains a space or a NUL byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(stance_vocab_add(vocab, bad[i].stems, bad[i].lens, 2, "in.jsonl",
                                          (long)i + 1, &err),
                         STANCE_ERR_DATA);
        ck_assert_str_eq(err.message, bad[i].message);
        ck_assert_str_eq(err.where, "in.jsonl"); /* the document's place */
        ck_assert_int_eq(err.line, (long)i + 1);
    }
    stance_vector v;
    stance_vector_init(&v);
    size_t lens[3] = {4, 6, 4};
    ck_assert_int_eq(stance_vocab_vectorize(vocab, d1, lens, 3, NULL, 0, &v, &err),
                     STANCE_ERR_USAGE);
    ck_assert_ptr_null(stance_vocab_to_json(vocab));
    ck_assert_int_eq(stance_vocab_save(vocab, "/tmp/never-written.json", &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_vocab_finish(vocab, &err), STANCE_OK);
    ck_assert_uint_eq(stance_vocab_get_size(vocab), 0); /* the bad documents counted nothing */
    ck_assert_int_eq(stance_vocab_add(vocab, d1, lens, 3, NULL, 0, &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_vocab_finish(vocab, &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_vocab_vectorize(vocab, bad[0].stems, bad[0].lens, 2, "<stdin>", 7, &v,
                                            &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, "<stdin>");
    ck_assert_int_eq(err.line, 7);
    ck_assert_int_eq(stance_vocab_vectorize(vocab, bad[0].stems, bad[0].lens, 2, NULL, 0, &v, &err),
                     STANCE_ERR_DATA);
    ck_assert_str_eq(err.where, ""); /* no place given: none */
    ck_assert_int_eq(err.line, 0);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
    stance_vocab_free(NULL);
}
END_TEST

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

START_TEST(test_save_load_roundtrip)
{
    char dir[] = "/tmp/check_vocab.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/v.json", dir);
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab = fit_example(&opt), *back;
    stance_error err;
    ck_assert_int_eq(stance_vocab_save(vocab, path, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocab_save(vocab, path, &err), STANCE_OK); /* replaces it */
    ck_assert_str_eq(read_all(path), example_file);
    ck_assert_int_eq(count_entries(dir), 1); /* no temporary file left behind */
    ck_assert_int_eq(stance_vocab_load(path, &back, &err), STANCE_OK);
    stance_vector v, w;
    stance_vector_init(&v);
    stance_vector_init(&w);
    vectorize(vocab, d2, 3, &v);
    vectorize(back, d2, 3, &w);
    ck_assert_uint_eq(v.count, w.count);
    for (size_t i = 0; i < v.count; i++) {
        ck_assert_int_eq(v.items[i].index, w.items[i].index);
        ck_assert_double_eq(v.items[i].value, w.items[i].value);
    }
    json_t *a = stance_vocab_to_json(vocab), *b = stance_vocab_to_json(back);
    ck_assert(json_equal(a, b));
    char *text = json_dumps(a, JSON_COMPACT);
    ck_assert_str_eq(text, "{\"format\":\"stance-vocab\",\"version\":1,\"options\":{\"bigrams\":true,"
                           "\"min_df\":2,\"sublinear_tf\":true,\"idf\":true,\"l2\":true},"
                           "\"documents\":3,\"terms\":[[\"nato\",3],[\"nato warn\",2],[\"warn\",2]]}");
    free(text);
    json_decref(a);
    json_decref(b);
    stance_vocab_free(back);

    /* a truncated file names the line; a missing one is an I/O error */
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fwrite(example_file, 1, 120, f);
    fclose(f);
    ck_assert_int_eq(stance_vocab_load(path, &back, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(back);
    ck_assert_str_eq(err.where, path);
    ck_assert_int_eq(err.line, 3);
    unlink(path);
    ck_assert_int_eq(stance_vocab_load(path, &back, &err), STANCE_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.message, "No such file or directory"));

    /* a directory that does not exist: nothing is written */
    snprintf(path, sizeof path, "%s/no/v.json", dir);
    ck_assert_int_eq(stance_vocab_save(vocab, path, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.where, path);
    ck_assert_str_eq(err.message, "cannot create a temporary file next to it: No such file or directory");
    ck_assert_int_eq(count_entries(dir), 0);
    rmdir(dir);
    stance_vector_clear(&v);
    stance_vector_clear(&w);
    stance_vocab_free(vocab);
}
END_TEST

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Where a vocabulary may be saved: "@" is the test's directory; status and message piece. */
static const struct {
    const char *path;
    stance_status status;
    const char *message;
} target_cases[] = {
    {"@/new.json", STANCE_OK, ""},
    {"@/old.json", STANCE_OK, ""},         /* a vocabulary (reformatted) */
    {"@/empty.json", STANCE_OK, ""},       /* an empty file */
    {"@/notes.txt", STANCE_ERR_IO, "is not a stance vocabulary"},
    {"@/link.json", STANCE_ERR_IO, "symbolic link"},
    {"@/dir", STANCE_ERR_IO, "is a directory"},
    {"@/fifo", STANCE_ERR_IO, "not a regular file"},
    {"@/no/v.json", STANCE_ERR_IO, "cannot create: No such file"},
    {"@/notes.txt/v.json", STANCE_ERR_IO, "cannot create: Not a directory"},
    {"@/new.json/", STANCE_ERR_USAGE, "ends with '/'"},
    {"@/.", STANCE_ERR_USAGE, "names no file"},
    {"..", STANCE_ERR_USAGE, "names no file"},
    {"", STANCE_ERR_USAGE, "empty"},
};

/* check_target and save refuse the same paths, naming them, and touch nothing they refuse. */
START_TEST(test_save_targets)
{
    char dir[] = "/tmp/check_vocab.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_text(dir, "old.json", "{ \"format\" : \"stance-vocab\", \"version\": 1}\n");
    write_text(dir, "empty.json", "");
    write_text(dir, "notes.txt", "mine\n");
    char path[256], other[256];
    snprintf(path, sizeof path, "%s/link.json", dir);
    ck_assert_int_eq(symlink("old.json", path), 0);
    snprintf(path, sizeof path, "%s/dir", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    const char *p = target_cases[_i].path;
    if (p[0] == '@')
        snprintf(path, sizeof path, "%s%s", dir, p + 1);
    else
        snprintf(path, sizeof path, "%s", p);
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    stance_vocab *vocab = fit_example(&opt);
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_vocab_check_target(path, &err), target_cases[_i].status);
    ck_assert_msg(strstr(err.message, target_cases[_i].message) != NULL, "%s", err.message);
    ck_assert_int_eq(stance_vocab_save(vocab, path, &err), target_cases[_i].status);
    if (target_cases[_i].status != STANCE_OK) {
        ck_assert_str_eq(err.where, path);
        if (target_cases[_i].status == STANCE_ERR_USAGE)
            ck_assert_msg(strstr(err.message, target_cases[_i].message) != NULL, "%s", err.message);
    }
    ck_assert_str_eq(read_all(strcat(strcpy(other, dir), "/notes.txt")), "mine\n");
    struct stat sb;
    ck_assert_int_eq(lstat(strcat(strcpy(other, dir), "/link.json"), &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    ck_assert_int_eq(count_entries(dir), 6 + (_i == 0)); /* nothing beside them */
    stance_vocab_free(vocab);
    static const char *const made[] = {"old.json", "empty.json", "notes.txt", "link.json",
                                       "fifo", "new.json"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/dir", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

static void note_removed(void *ctx, const char *path)
{
    (void)path;
    ++*(int *)ctx;
}

/* Stale temporaries beside a vocabulary: only ours (empty or a vocabulary's beginning), old
 * enough and not locked by a save in progress, are removed and reported. */
START_TEST(test_remove_stale)
{
    char dir[] = "/tmp/check_vocab.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_text(dir, "v.json.tmp.AAAAAA", "{\"format\":\"stance-vocab\",\"version\":1,\n\"opt");
    write_text(dir, "v.json.tmp.BBBBBB", "");
    write_text(dir, "v.json.tmp.CCCCCC", "mine\n");   /* not ours */
    write_text(dir, "v.json.tmp.DDDDDD", "");          /* locked: being written */
    write_text(dir, "v.json.tmp.toolong1", "");        /* not our pattern */
    write_text(dir, "w.json.tmp.EEEEEE", "");          /* another target's */
    char path[256];
    snprintf(path, sizeof path, "%s/v.json.tmp.FFFFFF", dir); /* a link to an empty file */
    ck_assert_int_eq(symlink("w.json.tmp.EEEEEE", path), 0);
    snprintf(path, sizeof path, "%s/v.json.tmp.DDDDDD", dir);
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(flock(fd, LOCK_EX), 0);
    snprintf(path, sizeof path, "%s/v.json", dir);
    int removed = 0;
    stance_error err;
    struct timespec past = {1, 0}, later;
    ck_assert_int_eq(stance_vocab_remove_stale(path, &past, note_removed, &removed, &err), STANCE_OK);
    ck_assert_int_eq(removed, 0); /* all newer than "since" */
    clock_gettime(CLOCK_REALTIME, &later);
    later.tv_sec++;
    ck_assert_int_eq(stance_vocab_remove_stale(path, &later, note_removed, &removed, &err), STANCE_OK);
    ck_assert_int_eq(removed, 2);
    close(fd);
    ck_assert_int_eq(count_entries(dir), 5);
    static const char *const left[] = {"v.json.tmp.CCCCCC", "v.json.tmp.DDDDDD", "v.json.tmp.toolong1",
                                       "w.json.tmp.EEEEEE", "v.json.tmp.FFFFFF"};
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, left[i]);
        ck_assert_msg(unlink(path) == 0, "%s", left[i]);
    }
    rmdir(dir);
}
END_TEST

/* Malformed vocabularies: the JSON and the message. */
#define OPTS "\"options\":{\"bigrams\":true,\"min_df\":2,\"sublinear_tf\":true,\"idf\":true,\"l2\":true}"
#define HEAD "\"format\":\"stance-vocab\",\"version\":1," OPTS ",\"documents\":3,"
static const struct {
    const char *json, *message;
} bad_json_cases[] = {
    {"[]", "a vocabulary file holds a JSON object"},
    {"{\"format\":\"stance-model\"}", "not a vocabulary file (\"format\" is not \"stance-vocab\")"},
    {"{\"version\":1}", "not a vocabulary file (\"format\" is not \"stance-vocab\")"},
    {"{\"format\":\"stance-vocab\",\"version\":\"1\"}", "\"version\" is not an integer"},
    {"{\"format\":\"stance-vocab\",\"version\":2}", "unsupported version 2 (this program reads 1)"},
    {"{\"format\":\"stance-vocab\",\"version\":1,\"documents\":-1}",
     "\"documents\" is not a non-negative integer"},
    {"{\"format\":\"stance-vocab\",\"version\":1,\"documents\":3,\"terms\":[]}",
     "\"options\" is missing, not an object"},
    {"{\"format\":\"stance-vocab\",\"version\":1,\"documents\":3,\"options\":{\"bigrams\":1}}",
     "options.bigrams is of another type, not true or false"},
    {"{\"format\":\"stance-vocab\",\"version\":1,\"documents\":3,\"options\":{\"bigrams\":true}}",
     "options.sublinear_tf is missing, not true or false"},
    {"{\"format\":\"stance-vocab\",\"version\":1,\"documents\":3,\"options\":{\"bigrams\":true,"
     "\"sublinear_tf\":true,\"idf\":true,\"l2\":true,\"min_df\":0}}",
     "options.min_df is of another type or out of range, not an integer of at least 1"},
    {"{" HEAD "\"terms\":{}}", "\"terms\" is of another type, not an array"},
    {"{" HEAD "\"terms\":[[\"nato\"]]}", "term 1 is not a [text, df] pair"},
    {"{" HEAD "\"terms\":[[\"nato\",\"3\"]]}", "term 1 is not a [text, df] pair"},
    {"{" HEAD "\"terms\":[[\"a\",1],[\"\",1]]}", "term 2 is empty or contains a NUL byte"},
    {"{" HEAD "\"terms\":[[\"nato\",0]]}",
     "term 1 (\"nato\") has df 0, not between 1 and the 3 documents"},
    {"{" HEAD "\"terms\":[[\"nato\",4]]}",
     "term 1 (\"nato\") has df 4, not between 1 and the 3 documents"},
    {"{" HEAD "\"terms\":[[\"warn\",2],[\"nato\",3]]}",
     "term 2 (\"nato\") does not follow \"warn\" in byte order (terms must be sorted and unique)"},
    {"{" HEAD "\"terms\":[[\"nato\",2],[\"nato\",3]]}",
     "term 2 (\"nato\") does not follow \"nato\" in byte order (terms must be sorted and unique)"},
    {"{" HEAD "\"terms\":[[\"nato warn\",2],[\"nato\",3]]}",
     "term 2 (\"nato\") does not follow \"nato warn\" in byte order (terms must be sorted and unique)"},
};

START_TEST(test_from_json_bad)
{
    json_error_t je;
    json_t *json = json_loads(bad_json_cases[_i].json, 0, &je);
    ck_assert_msg(json != NULL, "case %d: %s", _i, je.text);
    stance_vocab *vocab = (stance_vocab *)1;
    stance_error err;
    ck_assert_int_eq(stance_vocab_from_json(json, "v.json", &vocab, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(vocab);
    ck_assert_str_eq(err.where, "v.json");
    ck_assert_str_eq(err.message, bad_json_cases[_i].message);
    json_decref(json);
}
END_TEST

START_TEST(test_from_json_empty)
{
    json_t *json = json_loads("{" HEAD "\"terms\":[], \"comment\": \"extra keys are ignored\"}", 0, NULL);
    ck_assert_ptr_nonnull(json);
    stance_vocab *vocab;
    ck_assert_int_eq(stance_vocab_from_json(json, "v.json", &vocab, NULL), STANCE_OK);
    ck_assert_uint_eq(stance_vocab_get_size(vocab), 0);
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, d1, 3, &v);
    ck_assert_uint_eq(v.count, 0);
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
    json_decref(json);
}
END_TEST

/* Two blocks (stance_vocab_set_blocks): a term holding ':' is in the second. */
static int colon_term(const char *term)
{
    return strchr(term, ':') != NULL;
}

/* With two blocks, a vector's first block is bit for bit the vector of a vocabulary fitted
 * without the second block's terms, and the second block has unit length of its own. */
START_TEST(test_blocks_apart)
{
    static const char *const p1[] = {"nato", "warn", "russia", "c:warn", "c:russia"};
    static const char *const p2[] = {"nato", "expand", "east", "c:east"};
    static const char *const p3[] = {"russia", "warn", "warn", "c:warn"};
    const char *const *docs[] = {p1, p2, p3};
    size_t ndoc[] = {5, 4, 4}, nplain[] = {3, 3, 3};
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.min_df = 1;
    stance_vocab *plain, *both;
    stance_error err;
    ck_assert_int_eq(stance_vocab_new(&opt, &plain, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocab_new(&opt, &both, &err), STANCE_OK);
    for (size_t d = 0; d < 3; d++) {
        add(plain, docs[d], nplain[d]);
        add(both, docs[d], ndoc[d]);
    }
    ck_assert_int_eq(stance_vocab_finish(plain, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocab_finish(both, &err), STANCE_OK);
    ck_assert_int_eq(stance_vocab_set_blocks(both, colon_term, &err), STANCE_OK);
    for (size_t d = 0; d < 3; d++) {
        stance_vector vp, vb;
        stance_vector_init(&vp);
        stance_vector_init(&vb);
        vectorize(plain, docs[d], nplain[d], &vp);
        vectorize(both, docs[d], ndoc[d], &vb);
        size_t k = 0;
        double second = 0;
        for (size_t i = 0; i < vb.count; i++) {
            const char *term = stance_vocab_get_term(both, vb.items[i].index);
            if (colon_term(term)) {
                second += vb.items[i].value * vb.items[i].value;
                continue;
            }
            ck_assert_uint_lt(k, vp.count);
            ck_assert_str_eq(term, stance_vocab_get_term(plain, vp.items[k].index));
            ck_assert(vb.items[i].value == vp.items[k].value); /* exactly */
            k++;
        }
        ck_assert_uint_eq(k, vp.count);
        ck_assert_double_eq_tol(second, 1, 1e-12);
        stance_vector_clear(&vp);
        stance_vector_clear(&vb);
    }
    /* one block again: a single norm over all features */
    ck_assert_int_eq(stance_vocab_set_blocks(both, NULL, &err), STANCE_OK);
    stance_vector v;
    stance_vector_init(&v);
    vectorize(both, p1, 5, &v);
    double all = 0;
    for (size_t i = 0; i < v.count; i++)
        all += v.items[i].value * v.items[i].value;
    ck_assert_double_eq_tol(all, 1, 1e-12);
    stance_vector_clear(&v);
    stance_vocab_free(plain);
    stance_vocab_free(both);
}
END_TEST

/* Bigrams are of neighbouring words only: none where the plain stems end and the scoped copies
 * begin, none between copies of two scopes, none with an indicator ("a:#both"); copies of one
 * scope pair as plain stems do. Fitting and vectorizing agree. */
START_TEST(test_bigrams_within_blocks)
{
    static const char *const doc[] = {"nato", "warn", "c:warn", "c:russia", "a:nato", "a:warn",
                                       "a:#both"};
    stance_vocab_options opt;
    stance_vocab_options_default(&opt);
    opt.min_df = 1;
    stance_vocab *vocab;
    stance_error err;
    ck_assert_int_eq(stance_vocab_new(&opt, &vocab, &err), STANCE_OK);
    add(vocab, doc, 7);
    ck_assert_int_eq(stance_vocab_finish(vocab, &err), STANCE_OK);
    static const char *const pairs[] = {"nato warn", "c:warn c:russia", "a:nato a:warn"};
    static const char *const across[] = {"warn c:warn", "c:russia a:nato", "a:warn a:#both"};
    char terms[16][32];
    size_t nterms = stance_vocab_get_size(vocab);
    ck_assert_uint_eq(nterms, 7 + 3); /* the seven stems and the three bigrams within blocks */
    for (size_t i = 0; i < nterms; i++)
        snprintf(terms[i], sizeof terms[i], "%s", stance_vocab_get_term(vocab, (int)i + 1));
    for (size_t j = 0; j < 3; j++) {
        int found_pair = 0, found_across = 0;
        for (size_t i = 0; i < nterms; i++) {
            found_pair |= strcmp(terms[i], pairs[j]) == 0;
            found_across |= strcmp(terms[i], across[j]) == 0;
        }
        ck_assert_msg(found_pair && !found_across, "%s / %s", pairs[j], across[j]);
    }
    stance_vector v;
    stance_vector_init(&v);
    vectorize(vocab, doc, 7, &v);
    ck_assert_uint_eq(v.count, 10); /* every term once: no bigram across blocks was looked up */
    stance_vector_clear(&v);
    stance_vocab_free(vocab);
}
END_TEST

Suite *vocab_suite(void)
{
    Suite *s = suite_create("vocab");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_example_defaults);
    tcase_add_test(tc, test_blocks_apart);
    tcase_add_test(tc, test_bigrams_within_blocks);
    tcase_add_test(tc, test_codes);
    tcase_add_test(tc, test_codes_odd_terms);
    tcase_add_loop_test(tc, test_weighting_switches, 0,
                        sizeof weighting_cases / sizeof weighting_cases[0]);
    tcase_add_test(tc, test_unigrams_min_df_1);
    tcase_add_test(tc, test_long_stems);
    tcase_add_test(tc, test_bad_calls);
    tcase_add_test(tc, test_fit);
    tcase_add_test(tc, test_save_load_roundtrip);
    tcase_add_loop_test(tc, test_save_targets, 0, (int)(sizeof target_cases / sizeof target_cases[0]));
    tcase_add_test(tc, test_remove_stale);
    tcase_add_loop_test(tc, test_from_json_bad, 0,
                        sizeof bad_json_cases / sizeof bad_json_cases[0]);
    tcase_add_test(tc, test_from_json_empty);
    suite_add_tcase(s, tc);
    return s;
}
