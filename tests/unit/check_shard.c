/* check_shard.c: shard specs (I/N and Slurm array tasks), the tally of a run, and the manifest
 * of a tagged output: written, read back, and refused when a field is wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../pipeline/sha256_int.h"
#include "../../pipeline/shard_int.h"
#include "stance/shard.h"
#include "suites.h"

START_TEST(test_parse_spec)
{
    stance_shard s;
    stance_error err;
    ck_assert_int_eq(stance_shard_parse("1/1", &s, &err), STANCE_OK);
    ck_assert_int_eq(s.index, 1);
    ck_assert_int_eq(s.count, 1);
    ck_assert_int_eq(stance_shard_parse("7/12", &s, &err), STANCE_OK);
    ck_assert_int_eq(s.index, 7);
    ck_assert_int_eq(s.count, 12);
    static const char *const bad[] = {"0/3",   "4/3",  "3",    "/3",        "3/",   "1/0",
                                      "-1/3",  "a/3",  "1/b",  "1.5/3",     " 1/3", "1/3 ",
                                      "\n1/3", "1/\t3", "1//3", "1/1000001", "",
                                      "99999999999999999999/3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(stance_shard_parse(bad[i], &s, &err) == STANCE_ERR_USAGE, "%s", bad[i]);
        ck_assert_ptr_nonnull(strstr(err.message, "--shard is I/N"));
    }
}
END_TEST

START_TEST(test_slurm)
{
    stance_shard s;
    stance_error err;
    /* ids from 10 to 14: task 12 is shard 3/5 */
    ck_assert_int_eq(stance_shard_from_slurm("12", "10", "14", NULL, NULL, &s, &err), STANCE_OK);
    ck_assert_int_eq(s.index, 3);
    ck_assert_int_eq(s.count, 5);
    ck_assert_int_eq(stance_shard_from_slurm("0", "0", NULL, "4", "1", &s, &err), STANCE_OK);
    ck_assert_int_eq(s.index, 1);
    ck_assert_int_eq(s.count, 4);
    ck_assert_int_eq(stance_shard_from_slurm("4", "1", "4", "4", "1", &s, &err), STANCE_OK);
    ck_assert_int_eq(s.index, 4);
    ck_assert_int_eq(s.count, 4);
    struct {
        const char *id, *min, *max, *count, *step, *says;
    } bad[] = {
        {NULL, "0", "3", NULL, NULL, "SLURM_ARRAY_TASK_ID is not set"},
        {"1", NULL, "3", NULL, NULL, "SLURM_ARRAY_TASK_MIN is not set"},
        {"1", "0", NULL, NULL, NULL, "SLURM_ARRAY_TASK_MAX is not set"},
        {"x", "0", "3", NULL, NULL, "SLURM_ARRAY_TASK_ID is not a number"},
        {"1", "0", "3", "", NULL, "SLURM_ARRAY_TASK_COUNT is not a number"},
        {"-1", "0", "3", NULL, NULL, "SLURM_ARRAY_TASK_ID is not a number >= 0"},
        {"2", "0", "4", NULL, "2", "SLURM_ARRAY_TASK_STEP is 2"},
        {"1", "0", "3", "3", NULL, "SLURM_ARRAY_TASK_COUNT is 3 but"},
        {"1", "3", "1", NULL, NULL, "is below _MIN"},
        {"4", "0", "3", NULL, NULL, "SLURM_ARRAY_TASK_ID 4 is not one of 4"},
        {"2", "3", "5", NULL, NULL, "SLURM_ARRAY_TASK_ID 2 is not one of 3"},
        {"0", "0", NULL, "0", NULL, "is not one of 0"},
        {"0", "0", "1000000", NULL, NULL, "at most 1000000"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(stance_shard_from_slurm(bad[i].id, bad[i].min, bad[i].max, bad[i].count,
                                                 bad[i].step, &s, &err),
                         STANCE_ERR_USAGE);
        ck_assert_msg(strstr(err.message, bad[i].says), "%zu: %s", i, err.message);
    }
}
END_TEST

/* Round robin: every position in exactly one shard, the sizes adding up. */
START_TEST(test_round_robin)
{
    for (long n = 1; n <= 7; n++)
        for (unsigned long long articles = 0; articles < 20; articles++) {
            unsigned long long total = 0;
            for (long i = 1; i <= n; i++) {
                stance_shard s = {i, n};
                unsigned long long held = 0;
                for (unsigned long long k = 0; k < articles; k++)
                    held += (unsigned long long)stance_shard_holds(&s, k);
                ck_assert_uint_eq(held, stance_shard_size(&s, articles));
                total += held;
            }
            ck_assert_uint_eq(total, articles);
        }
    stance_shard whole = {0, 0};
    ck_assert_uint_eq(stance_shard_size(&whole, 9), 9);
    ck_assert_int_eq(stance_shard_holds(&whole, 5), 1);
}
END_TEST

/* Makes dir/model/manifest.json, the file whose hash names the model. */
static void make_model(const char *dir, char *model, size_t size)
{
    snprintf(model, size, "%s/model", dir);
    ck_assert_int_eq(mkdir(model, 0755), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/manifest.json", model);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"format\": \"stance-model\"}\n", f);
    ck_assert_int_eq(fclose(f), 0);
}

typedef struct {
    stance_tally *t;
    const char *text;
    int fail;
} fill_ctx;

static stance_status fill_text(void *ctx, int fd, stance_error *err)
{
    fill_ctx *c = ctx;
    size_t n = strlen(c->text);
    ck_assert_int_eq(write(fd, c->text, n), (ssize_t)n);
    stance_tally_output(c->t, c->text, n);
    return c->fail ? stance_error_set(err, STANCE_ERR_DATA, "in", 3, "made to fail") : STANCE_OK;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Positions count every article read; one of the shard without passages is empty. */
START_TEST(test_tally_positions)
{
    char dir[] = "/tmp/stance-shard-XXXXXX", model[64], out[64], mpath[96], p[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    make_model(dir, model, sizeof model);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    snprintf(mpath, sizeof mpath, "%s.manifest.json", out);
    stance_shard s = {2, 3};
    stance_tally *t;
    stance_error err;
    ck_assert_int_eq(stance_tally_new(&s, &t, &err), STANCE_OK);
    static const char *const ids[] = {"a", "bb", "c", "d", "e"};
    static const int want[] = {0, 1, 0, 0, 1};
    unsigned long long pos;
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(stance_tally_take(t, ids[i], &pos), want[i]);
        ck_assert_uint_eq(pos, (unsigned long long)i);
    }
    ck_assert_int_eq(stance_tally_take(t, "f", &pos), 0); /* position 5: shard 3 */
    ck_assert_int_eq(stance_tally_take(t, "g", &pos), 0); /* position 6: shard 1 */
    ck_assert_int_eq(stance_tally_take(t, "h", &pos), 1); /* position 7: shard 2, no passage */
    ck_assert_uint_eq(pos, 7);
    ck_assert_int_eq(stance_tally_empty(t, pos, &err), STANCE_OK);
    fill_ctx c = {t, "{\"doc\":\"bb\"}\n{\"doc\":\"e\"}\n", 0};
    ck_assert_int_eq(stance_tally_save(t, out, "jsonl", model, fill_text, &c, &err), STANCE_OK);
    stance_tally_free(t);
    stance_manifest m;
    ck_assert_int_eq(stance_manifest_load(out, &m, &err), STANCE_OK);
    ck_assert_uint_eq(m.articles, 8);
    ck_assert_uint_eq(m.shard_articles, 3);
    ck_assert_uint_eq(m.skipped, 0);
    ck_assert_uint_eq(m.nempty, 1);
    ck_assert_uint_eq(m.empty[0], 7);
    stance_manifest_clear(&m);
    unlink(out);
    unlink(mpath);
    snprintf(p, sizeof p, "%s/manifest.json", model);
    unlink(p);
    rmdir(model);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_save_and_load)
{
    char dir[] = "/tmp/stance-shard-XXXXXX", model[64], out[64], mpath[96];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    make_model(dir, model, sizeof model);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    snprintf(mpath, sizeof mpath, "%s.manifest.json", out);
    stance_shard s = {1, 2};
    stance_tally *t;
    stance_error err;
    ck_assert_int_eq(stance_tally_new(&s, &t, &err), STANCE_OK);
    unsigned long long pos;
    static const char *const ids[] = {"x", "y", "z", "w", "v"};
    for (int i = 0; i < 5; i++)
        if (stance_tally_take(t, ids[i], &pos) && pos == 2)
            ck_assert_int_eq(stance_tally_empty(t, pos, &err), STANCE_OK);
    ck_assert_int_eq(stance_tally_check(out, &err), STANCE_OK);
    /* a fill that fails: nothing written */
    fill_ctx c = {t, "{\"doc\":\"x\"}\n", 1};
    ck_assert_int_eq(stance_tally_save(t, out, "jsonl", model, fill_text, &c, &err),
                     STANCE_ERR_DATA);
    ck_assert_int_eq(access(out, F_OK), -1);
    ck_assert_int_eq(access(mpath, F_OK), -1);
    stance_tally_free(t);
    /* again, whole */
    ck_assert_int_eq(stance_tally_new(&s, &t, &err), STANCE_OK);
    for (int i = 0; i < 5; i++)
        if (stance_tally_take(t, ids[i], &pos) && pos == 2)
            ck_assert_int_eq(stance_tally_empty(t, pos, &err), STANCE_OK);
    c.t = t;
    c.text = "{\"doc\":\"x\"}\n{\"doc\":\"v\"}\n";
    c.fail = 0;
    ck_assert_int_eq(stance_tally_save(t, out, "jsonl", model, fill_text, &c, &err), STANCE_OK);
    stance_tally_free(t);
    ck_assert_str_eq(read_all(out), c.text);
    stance_manifest m;
    ck_assert_int_eq(stance_manifest_load(out, &m, &err), STANCE_OK);
    ck_assert_int_eq(m.shard.index, 1);
    ck_assert_int_eq(m.shard.count, 2);
    ck_assert_uint_eq(m.articles, 5);
    ck_assert_uint_eq(m.shard_articles, 3);
    ck_assert_uint_eq(m.records, 2);
    ck_assert_uint_eq(m.bytes, strlen(c.text));
    ck_assert_uint_eq(m.nempty, 1);
    ck_assert_uint_eq(m.empty[0], 2);
    ck_assert_str_eq(m.output, "jsonl");
    char hex[65];
    ck_assert_int_eq(stance_sha256_file(out, hex, &err), STANCE_OK);
    ck_assert_str_eq(m.sha256, hex);
    stance_sha256 h;
    stance_sha256_init(&h);
    stance_sha256_update(&h, "1:x1:y1:z1:w1:v", 15);
    stance_sha256_hex(&h, hex);
    ck_assert_str_eq(m.input_sha256, hex);
    stance_manifest_clear(&m);
    unlink(out);
    unlink(mpath);
    char p[96];
    snprintf(p, sizeof p, "%s/manifest.json", model);
    unlink(p);
    rmdir(model);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A good manifest with one field replaced by sed-like surgery: field text swapped for with. */
static stance_status parse_with(const char *field, const char *with, stance_error *err)
{
    char good[1024];
    snprintf(good, sizeof good,
             "{\"format\":\"stance-tag-output\",\"version\":1,\"stance\":\"0.1.0\","
             "\"output\":\"jsonl\",\"options\":\"--unit passage\","
             "\"shard\":{\"index\":2,\"count\":3},\"articles\":7,"
             "\"shard_articles\":2,\"skipped\":1,\"records\":4,\"bytes\":80,"
             "\"sha256\":\"%s\",\"model_sha256\":\"%s\",\"input_sha256\":\"%s\","
             "\"empty\":[4]}\n", H64, H64, H64);
    char text[1100];
    const char *at = field ? strstr(good, field) : NULL;
    if (at)
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, with, at + strlen(field));
    else
        snprintf(text, sizeof text, "%s", good);
    stance_manifest m;
    stance_status st = stance_manifest_parse(text, strlen(text), "m.json", &m, err);
    stance_manifest_clear(&m);
    return st;
}

START_TEST(test_parse_manifest)
{
    stance_error err;
    ck_assert_int_eq(parse_with(NULL, NULL, &err), STANCE_OK);
    /* skipped 1, but no empty article */
    ck_assert_int_eq(parse_with("\"empty\":[4]", "\"empty\":[]", &err), STANCE_ERR_DATA);
    struct {
        const char *field, *with, *says;
    } bad[] = {
        {"stance-tag-output", "stance-model", "not a stance-tag output manifest"},
        {"\"version\":1", "\"version\":2", "\"version\" is not 1"},
        {"\"options\":\"--unit passage\"", "\"options\":[]", "\"options\" is not a string"},
        {"\"options\":\"--unit passage\",", "", "\"options\" is not a string"},
        {"\"stance\":\"0.1.0\"", "\"stance\":7", "\"stance\" is not a version string"},
        {"\"output\":\"jsonl\"", "\"output\":\"xml\"", "\"output\" is not"},
        {"\"index\":2", "\"index\":4", "\"shard\" is not null or"},
        {"\"index\":2", "\"index\":0", "\"shard\" is not null or"},
        {"\"articles\":7", "\"articles\":-7", "must be counts"},
        {"\"shard_articles\":2", "\"shard_articles\":3", "not the shard's share"},
        {"\"records\":4", "\"records\":null", "\"records\" must be a count"},
        {"\"output\":\"jsonl\"", "\"output\":\"csv\"", "\"records\" must be a count"},
        {"\"sha256\":\"0", "\"sha256\":\"X", "must be 64 hex digits"},
        {"\"empty\":[4]", "\"empty\":[3]", "not the shard's"},
        {"\"empty\":[4]", "\"empty\":[7]", "not the shard's"},
        {"\"empty\":[4]", "\"empty\":[4,1]", "not the shard's, or out of order"},
        {"\"empty\":[4]", "\"empty\":[4,4]", "out of order"},
        {"\"empty\":[4]", "\"empty\":4", "\"empty\" is not an array"},
        {"\"empty\":[4]", "\"empty\":[\"4\"]", "not a position"},
        {"\"skipped\":1", "\"skipped\":2", "\"skipped\" is more than"},
        {"\"bytes\":80,", "", "must be counts"},
        {"{\"format\"", "[{\"format\"", "not a manifest"},
        {"\"version\":1", "\"version\":1,\"version\":1", "not a manifest"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(parse_with(bad[i].field, bad[i].with, &err), STANCE_ERR_DATA);
        ck_assert_msg(strstr(err.message, bad[i].says), "%zu: %s", i, err.message);
        ck_assert_str_eq(err.where, "m.json");
    }
}
END_TEST

Suite *shard_suite(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_spec);
    tcase_add_test(tc, test_slurm);
    tcase_add_test(tc, test_round_robin);
    tcase_add_test(tc, test_tally_positions);
    tcase_add_test(tc, test_save_and_load);
    tcase_add_test(tc, test_parse_manifest);
    suite_add_tcase(s, tc);
    return s;
}
