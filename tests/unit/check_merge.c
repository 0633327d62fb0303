/* check_merge.c: shard outputs made through the tally (as stance-tag -o --shard makes them)
 * merged back into input order, equal to the unsharded output and its manifest; sets that
 * are not complete or outputs that do not match their manifests refused, the target kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stance/merge.h"
#include "stance/shard.h"
#include "suites.h"

/* The input: articles with 0 to 3 records each. */
#define ARTICLES 11
static const int records_of[ARTICLES] = {2, 0, 1, 3, 0, 0, 1, 2, 1, 0, 3};

typedef struct {
    stance_tally *t;
    int skip_last; /* write the last article's records short (an output that lies) */
} run_ctx;

static stance_status put(stance_tally *t, int fd, const char *text)
{
    size_t n = strlen(text);
    ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
    stance_tally_output(t, text, n);
    return STANCE_OK;
}

/* A tag run over the input: each article of the shard writes its records, or is empty. */
static stance_status fill_run(void *ctx, int fd, stance_error *err)
{
    run_ctx *c = ctx;
    for (int a = 0; a < ARTICLES; a++) {
        char doc[16], line[64];
        snprintf(doc, sizeof doc, "art%d", a);
        unsigned long long pos;
        if (!stance_tally_take(c->t, doc, &pos))
            continue;
        if (records_of[a] == 0 && stance_tally_empty(c->t, pos, err) != STANCE_OK)
            return err->status;
        for (int r = 0; r < records_of[a]; r++) {
            snprintf(line, sizeof line, "{\"doc\":\"%s\",\"passage\":%d}\n", doc, r + 1);
            put(c->t, fd, line);
        }
    }
    return STANCE_OK;
}

static char dir[] = "/tmp/stance-merge-XXXXXX";
static char model[64];

static void run_tag(const char *name, long index, long count)
{
    stance_shard s = {index, count};
    stance_tally *t;
    stance_error err;
    char path[96];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_int_eq(stance_tally_new(&s, &t, &err), STANCE_OK);
    run_ctx c = {t, 0};
    ck_assert_int_eq(stance_tally_save(t, path, "jsonl", model, fill_run, &c, &err), STANCE_OK);
    stance_tally_free(t);
}

static char *slurp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char *buf = calloc(1, 8192);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, 8191, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void expect_same(const char *a, const char *b)
{
    char *x = slurp(a), *y = slurp(b);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
}

static stance_status merge(const char *out, const char *const *names, size_t n, stance_error *err)
{
    char path[96], *paths[16];
    ck_assert_uint_le(n, 16);
    for (size_t i = 0; i < n; i++) {
        paths[i] = malloc(96);
        ck_assert_ptr_nonnull(paths[i]);
        snprintf(paths[i], 96, "%s/%s", dir, names[i]);
    }
    snprintf(path, sizeof path, "%s/%s", dir, out);
    stance_status st = stance_merge_save(path, (const char *const *)paths, n, err);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    return st;
}

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(model, sizeof model, "%s/model", dir);
    ck_assert_int_eq(mkdir(model, 0755), 0);
    char path[96];
    snprintf(path, sizeof path, "%s/manifest.json", model);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"format\": \"stance-model\"}\n", f);
    ck_assert_int_eq(fclose(f), 0);
    run_tag("one.jsonl", 0, 0);
}

static void teardown(void)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
    memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

/* N from 1 to more shards than articles, the outputs in reverse order: the one run's bytes. */
START_TEST(test_merge_equals_one_run)
{
    for (long n = 1; n <= 13; n += n < 4 ? 1 : 9) {
        char names[13][16];
        const char *list[13];
        for (long i = 1; i <= n; i++) {
            snprintf(names[i - 1], sizeof names[0], "p%ld.jsonl", i);
            run_tag(names[i - 1], i, n);
            list[n - i] = names[i - 1];
        }
        stance_error err;
        ck_assert_int_eq(merge("all.jsonl", list, (size_t)n, &err), STANCE_OK);
        expect_same("all.jsonl", "one.jsonl");
        expect_same("all.jsonl.manifest.json", "one.jsonl.manifest.json");
    }
}
END_TEST

START_TEST(test_merge_refuses)
{
    run_tag("a.jsonl", 1, 3);
    run_tag("b.jsonl", 2, 3);
    run_tag("c.jsonl", 3, 3);
    run_tag("h.jsonl", 2, 2);
    stance_error err;
    const char *missing[] = {"a.jsonl", "c.jsonl"};
    ck_assert_int_eq(merge("all.jsonl", missing, 2, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "shard 2/3 is missing"));
    const char *twice[] = {"a.jsonl", "b.jsonl", "c.jsonl", "a.jsonl"};
    ck_assert_int_eq(merge("all.jsonl", twice, 4, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "shard 1/3 given twice"));
    const char *mixed[] = {"a.jsonl", "h.jsonl", "c.jsonl"};
    ck_assert_int_eq(merge("all.jsonl", mixed, 3, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.where, "h.jsonl"));
    const char *whole[] = {"one.jsonl"};
    ck_assert_int_eq(merge("all.jsonl", whole, 1, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "is not a shard's output"));
    ck_assert_int_eq(merge("all.jsonl", NULL, 0, &err), STANCE_ERR_USAGE);
    /* a shard's output cut short: its hash no longer matches */
    char path[96];
    snprintf(path, sizeof path, "%s/b.jsonl", dir);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(truncate(path, sb.st_size - 3), 0);
    const char *cut[] = {"a.jsonl", "b.jsonl", "c.jsonl"};
    ck_assert_int_eq(merge("all.jsonl", cut, 3, &err), STANCE_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.where, "b.jsonl"));
    ck_assert_ptr_nonnull(strstr(err.message, "SHA-256"));
    /* its manifest gone */
    snprintf(path, sizeof path, "%s/b.jsonl.manifest.json", dir);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(merge("all.jsonl", cut, 3, &err), STANCE_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.where, "b.jsonl.manifest.json"));
    /* nothing was written */
    snprintf(path, sizeof path, "%s/all.jsonl", dir);
    ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

Suite *merge_suite(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_merge_equals_one_run);
    tcase_add_test(tc, test_merge_refuses);
    suite_add_tcase(s, tc);
    return s;
}
