/* check_model.c: a model bundle (model.h): saving, loading and checking it, predictions and
 * label fields (training itself: check_train.c). The model is trained once for the test case
 * (data/train-small.jsonl, 3 folds) and saved under a private directory in /tmp. */
#define _GNU_SOURCE /* flock */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../pipeline/analyze_int.h"
#include "../../pipeline/codebook_int.h"
#include "../../pipeline/model_int.h"
#include "../../pipeline/sha256_int.h"
#include "../../pipeline/vocab_int.h"
#include "stance/model.h"
#include "stance/train.h"
#include "suites.h"

#define CODEBOOK "data/codebook-project.json"
#define TRAIN "data/train-small.jsonl"

static stance_codebook *cb;
static stance_model *trained, *loaded;
static char tmpdir[64];  /* /tmp/stance-check-model-XXXXXX, removed at the end */
static char bundle[128]; /* tmpdir/model */

static void train_options(stance_train_options *opt)
{
    stance_train_options_default(opt);
    opt->folds = 3;
}

/* Removes dir and everything below it. */
static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[512];
            struct stat sb;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
                rm_tree(path);
            else
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void setup(void)
{
    stance_error err;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load(CODEBOOK, &cb, &err), STANCE_OK);
    stance_train_options opt;
    train_options(&opt);
    stance_status st = stance_train_run(cb, TRAIN, &opt, &trained, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/stance-check-model-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(bundle, sizeof bundle, "%s/model", tmpdir);
    /* format 1 (a text file per unit), which the file-level cases below alter */
    ck_assert_int_eq(stance_model_set_format(trained, 1, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_save(trained, bundle, &err), STANCE_OK);
    st = stance_model_load(bundle, &loaded, &err);
    ck_assert_msg(st == STANCE_OK, "loading: %s", err.message);
}

static void teardown(void)
{
    stance_model_free(loaded);
    stance_model_free(trained);
    stance_codebook_free(cb);
    loaded = trained = NULL;
    cb = NULL;
    if (tmpdir[0])
        rm_tree(tmpdir);
}

/* ---- units ---- */

/* topics has 4 values, one unit each; tone has two values, so one pair unit (value NULL).
 * No training passage is labeled arms_sales. */
static const struct {
    const char *dimension, *value;
    int trained;
} units[] = {
    {"topics", "kosovo", 1}, {"topics", "enlargement", 1}, {"topics", "abm", 1},
    {"topics", "arms_sales", 0}, {"tone", NULL, 1},
};

START_TEST(test_units)
{
    const stance_model *models[] = {trained, loaded};
    for (size_t m = 0; m < 2; m++) {
        ck_assert_uint_eq(stance_model_get_unit_count(models[m]), sizeof units / sizeof units[0]);
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            const char *dim, *value, *why;
            int ok;
            stance_model_get_unit_info(models[m], i, &dim, &value, &ok, &why);
            ck_assert_str_eq(dim, units[i].dimension);
            if (units[i].value)
                ck_assert_str_eq(value, units[i].value);
            else
                ck_assert_ptr_null(value);
            ck_assert_int_eq(ok, units[i].trained);
            ck_assert_int_eq(stance_model_get_unit_applies(models[m], i), 0);
            if (!ok)
                ck_assert_str_eq(why, "no positive examples among 24 labeled passages");
        }
    }
    ck_assert(stance_codebook_same(stance_model_get_codebook(trained), cb));
    ck_assert(stance_codebook_same(stance_model_get_codebook(loaded), cb));
    ck_assert_uint_gt(stance_vocab_get_size(stance_model_vocab(trained)), 0);
    ck_assert_uint_eq(stance_vocab_get_size(stance_model_vocab(loaded)), stance_vocab_get_size(stance_model_vocab(trained)));
}
END_TEST

/* The bundle on disk: manifest fields and one file per trained unit. */
START_TEST(test_manifest)
{
    ck_assert_ptr_null(stance_model_manifest(trained));
    const json_t *man = stance_model_manifest(loaded);
    ck_assert_ptr_nonnull(man);
    ck_assert_str_eq(json_string_value(json_object_get(man, "format")), "stance-model");
    ck_assert_int_eq(json_integer_value(json_object_get(man, "version")), 1);
    const json_t *svm = json_object_get(man, "svm");
    ck_assert_str_eq(json_string_value(json_object_get(svm, "engine")), "liblinear");
    ck_assert_str_eq(json_string_value(json_object_get(svm, "kernel")), "linear");
    const json_t *training = json_object_get(man, "training");
    ck_assert_str_eq(json_string_value(json_object_get(training, "file")), "train-small.jsonl");
    ck_assert_str_eq(json_string_value(json_object_get(training, "sha256")),
                     "34b68b434dc49ddfe8ffbbf95ab06b522da7cb0c0f1f193bd0af4c7757746234"); /* sha256sum */
    ck_assert_int_eq(json_integer_value(json_object_get(training, "records")), 24);
    ck_assert_int_eq(json_integer_value(json_object_get(training, "folds")), 3);
    const json_t *list = json_object_get(man, "units");
    ck_assert_uint_eq(json_array_size(list), 5);
    for (size_t i = 0; i < 5; i++) {
        const json_t *u = json_array_get(list, i);
        char path[256];
        snprintf(path, sizeof path, "%s/unit-%zu.txt", bundle, i);
        ck_assert_int_eq(access(path, F_OK) == 0, units[i].trained);
        if (!units[i].trained) {
            ck_assert(json_is_false(json_object_get(u, "trained")));
            ck_assert_ptr_nonnull(json_string_value(json_object_get(u, "why_not")));
            continue;
        }
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(u, "cv"), "folds")), 3);
        const json_t *platt = json_object_get(u, "platt");
        ck_assert_double_lt(json_number_value(json_object_get(platt, "a")), 0);
        char sha[65];
        stance_error err;
        ck_assert_int_eq(stance_sha256_file(path, sha, &err), STANCE_OK);
        ck_assert_str_eq(sha, json_string_value(json_object_get(u, "sha256")));
        struct stat sb; /* and its size, which bounds what the loader reads */
        ck_assert_int_eq(stat(path, &sb), 0);
        ck_assert_int_eq(json_integer_value(json_object_get(u, "bytes")), sb.st_size);
    }
}
END_TEST

/* ---- prediction ---- */

#define NV 6 /* value slots of the project codebook: 4 topics + 2 tones */

/* Scores text with model m: probs and present over its value slots (shared with check_train.c
 * through suites.h). */
void check_predict_text(const stance_model *m, const char *text, double *probs, signed char *present)
{
    stance_error err;
    stance_analyzer *an;
    ck_assert_int_eq(stance_model_analyzer_new(m, &an, &err), STANCE_OK);
    const char *const *stems;
    const size_t *lens;
    size_t n;
    ck_assert_int_eq(stance_analyzer_run(an, text, strlen(text), &stems, &lens, &n, &err), STANCE_OK);
    stance_vector v;
    stance_vector_init(&v);
    ck_assert_int_eq(stance_vocab_vectorize(stance_model_vocab(m), stems, lens, n, NULL, 0, &v, &err), STANCE_OK);
    stance_model_predict(m, &v, probs, present);
    stance_vector_clear(&v);
    stance_analyzer_free(an);
}

/* Texts to score; topic is a value slot that must be predicted present (-1: none asked). */
static const struct {
    const char *text;
    int topic;
} texts[] = {
    {"Moscow warned that scrapping the ABM treaty would unravel arms control.", 2},
    {"The Kosovo peacekeepers reported calm in the Russian sector.", 0},
    {"The alliance and Moscow agreed to resume talks on missile defence and warhead cuts.", 2},
    {"Russian diplomats threatened countermeasures if the alliance admitted Estonia.", -1},
    {"Nothing here is in the vocabulary: zebras, quinces.", -1},
    {"", -1},
};

START_TEST(test_predict_loaded_equals_trained)
{
    double pa[NV], pb[NV];
    signed char ra[NV], rb[NV];
    check_predict_text(trained, texts[_i].text, pa, ra);
    check_predict_text(loaded, texts[_i].text, pb, rb);
    for (size_t v = 0; v < NV; v++) {
        ck_assert_double_eq_tol(pa[v], pb[v], 1e-6);
        ck_assert_int_eq(ra[v], rb[v]);
        ck_assert(pa[v] >= 0 && pa[v] <= 1);
    }
    /* topics (multi): present exactly when the score is at least 0.5; arms_sales untrained */
    for (size_t v = 0; v < 4; v++)
        ck_assert_int_eq(ra[v], pa[v] >= 0.5);
    ck_assert_double_eq(pa[3], 0);
    ck_assert_int_eq(ra[3], 0);
    if (texts[_i].topic >= 0)
        ck_assert_msg(ra[texts[_i].topic], "\"%s\": value %d not predicted", texts[_i].text, texts[_i].topic);
    /* tone (single): a distribution, and its most probable value is the one present */
    ck_assert_double_eq_tol(pa[4] + pa[5], 1, 1e-12);
    ck_assert_int_eq(ra[4] + ra[5], 1);
    ck_assert_int_eq(ra[4], pa[4] >= pa[5]);
}
END_TEST

/* The label fields from real predictions: multi an array of {label, score}, highest first,
 * every score >= 0.5; single one {label, score}. Other fields of the record are kept. */
START_TEST(test_set_labels_from_predictions)
{
    double p[NV];
    signed char r[NV];
    check_predict_text(loaded, texts[_i].text, p, r);
    json_t *rec = json_pack("{s:s, s:i}", "doc", "x", "passage", 1);
    stance_error err;
    ck_assert_int_eq(stance_model_set_labels(loaded, p, r, rec, &err), STANCE_OK);
    ck_assert_uint_eq(json_object_size(rec), 4);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "doc")), "x");
    const json_t *topics = json_object_get(rec, "topics");
    ck_assert(json_is_array(topics));
    ck_assert_uint_eq(json_array_size(topics), (size_t)(r[0] + r[1] + r[2] + r[3]));
    double last = 2;
    size_t i;
    const json_t *item;
    json_array_foreach(topics, i, item) {
        ck_assert_uint_eq(json_object_size(item), 2);
        ck_assert(json_is_string(json_object_get(item, "label")));
        double score = json_number_value(json_object_get(item, "score"));
        ck_assert_double_ge(score, 0.5);
        ck_assert_double_le(score, last);
        last = score;
    }
    const json_t *tone = json_object_get(rec, "tone");
    ck_assert(json_is_object(tone));
    ck_assert_uint_eq(json_object_size(tone), 2);
    ck_assert_str_eq(json_string_value(json_object_get(tone, "label")), r[4] ? "conciliatory" : "confrontational");
    ck_assert_double_ge(json_number_value(json_object_get(tone, "score")), 0.5);
    json_decref(rec);
}
END_TEST

/* The label fields from hand-made predictions (slots: kosovo enlargement abm arms_sales |
 * conciliatory confrontational). Scores are rounded to 4 decimals in the record. */
static const struct {
    double probs[NV];
    signed char present[NV];
    const char *topics; /* expected field, as compact JSON with sorted keys */
    const char *tone;
} label_cases[] = {
    {{0.7, 0.2, 0.9, 0.55, 0.3, 0.7}, {1, 0, 1, 1, 0, 1},
     "[{\"label\":\"abm\",\"score\":0.9},{\"label\":\"kosovo\",\"score\":0.7},{\"label\":\"arms_sales\",\"score\":0.55}]",
     "{\"label\":\"confrontational\",\"score\":0.7}"},
    {{0.1, 0.2, 0.3, 0, 0.6, 0.4}, {0, 0, 0, 0, 1, 0}, "[]", "{\"label\":\"conciliatory\",\"score\":0.6}"},
    {{0.5, 0.5, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0}, /* equal scores keep codebook order; untrained tone */
     "[{\"label\":\"kosovo\",\"score\":0.5},{\"label\":\"enlargement\",\"score\":0.5}]", "null"},
    {{0.612345, 0, 0, 0, 0.987654, 0.012346}, {1, 0, 0, 0, 1, 0},
     "[{\"label\":\"kosovo\",\"score\":0.6123}]", "{\"label\":\"conciliatory\",\"score\":0.9877}"},
};

START_TEST(test_set_labels_shape)
{
    json_t *rec = json_pack("{s:s, s:s}", "doc", "x", "topics", "replaced");
    stance_error err;
    ck_assert_int_eq(stance_model_set_labels(trained, label_cases[_i].probs, label_cases[_i].present, rec, &err),
                     STANCE_OK);
    char *topics = json_dumps(json_object_get(rec, "topics"), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
    char *tone = json_dumps(json_object_get(rec, "tone"), JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
    ck_assert_str_eq(topics, label_cases[_i].topics);
    ck_assert_str_eq(tone, label_cases[_i].tone);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "doc")), "x");
    free(topics);
    free(tone);
    json_decref(rec);
}
END_TEST

/* ---- checks ---- */

static const struct {
    const char *path;
    stance_status status;
    const char *message;
} codebook_cases[] = {
    {CODEBOOK, STANCE_OK, NULL},
    {"data/codebook-extra.json", STANCE_ERR_DATA, "another codebook"},
    {"data/vec-codebook.json", STANCE_ERR_DATA, "another codebook"},
    {"data/codebook-broken.json", STANCE_ERR_DATA, ""},
    {"data/no-such-codebook.json", STANCE_ERR_IO, "No such file"},
};

START_TEST(test_check_codebook)
{
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_model_check_codebook(loaded, codebook_cases[_i].path, &err), codebook_cases[_i].status);
    if (codebook_cases[_i].status != STANCE_OK) {
        ck_assert_str_eq(err.where, codebook_cases[_i].path);
        ck_assert_msg(strstr(err.message, codebook_cases[_i].message) != NULL, "%s", err.message);
    }
}
END_TEST

/* Targets for stance_model_save; "@" stands for the test's private directory. */
static const struct {
    const char *path;
    stance_status status;
} target_cases[] = {
    {"@/model", STANCE_OK},            /* an existing bundle may be replaced */
    {"@/model//", STANCE_OK},          /* trailing slashes name the same directory */
    {"@/empty/", STANCE_OK},
    {"@/absent/", STANCE_OK},
    {"@/absent", STANCE_OK},           /* a new directory */
    {"@/empty", STANCE_OK},            /* an empty directory (made by the test) */
    {"absent-in-cwd", STANCE_OK},      /* parent "." */
    {"@/not-bundle", STANCE_ERR_IO},   /* a directory with other files */
    {"@/file", STANCE_ERR_IO},         /* a plain file */
    {"@/no-such-dir/model", STANCE_ERR_IO},
    {"@/file/model", STANCE_ERR_IO},   /* parent is a file */
    {"data/articles", STANCE_ERR_IO},
    {"data/empty.txt", STANCE_ERR_IO},
    {"@/link", STANCE_ERR_IO},         /* a symbolic link to the bundle: not followed */
    {"@/foreign", STANCE_ERR_IO},      /* a directory with a manifest.json of its own */
    {"@/notes", STANCE_ERR_IO},        /* a bundle plus a user's file */
    {"", STANCE_ERR_USAGE},
    {".", STANCE_ERR_USAGE},
    {"..", STANCE_ERR_USAGE},
    {"/", STANCE_ERR_USAGE},
    {"@/.", STANCE_ERR_USAGE},
    {"@/..//", STANCE_ERR_USAGE},
};

static void at_tmp(char *out, size_t size, const char *path)
{
    if (path[0] == '@')
        snprintf(out, size, "%s%s", tmpdir, path + 1);
    else
        snprintf(out, size, "%s", path);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_check_target)
{
    char path[256];
    at_tmp(path, sizeof path, "@/empty");
    mkdir(path, 0755);
    at_tmp(path, sizeof path, "@/not-bundle");
    mkdir(path, 0755);
    at_tmp(path, sizeof path, "@/not-bundle/notes.txt");
    write_file(path, "mine\n");
    at_tmp(path, sizeof path, "@/file");
    write_file(path, "a file\n");
    at_tmp(path, sizeof path, "@/link");
    (void)symlink(bundle, path);
    at_tmp(path, sizeof path, "@/foreign");
    mkdir(path, 0755);
    at_tmp(path, sizeof path, "@/foreign/manifest.json");
    write_file(path, "{\"name\": \"app\"}\n");
    at_tmp(path, sizeof path, "@/notes/NOTES");
    if (access(path, F_OK) != 0) {
        char dir[256];
        stance_error err;
        at_tmp(dir, sizeof dir, "@/notes");
        ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
        write_file(path, "mine\n");
    }
    at_tmp(path, sizeof path, target_cases[_i].path);
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_model_check_target(path, &err), target_cases[_i].status);
    if (target_cases[_i].status != STANCE_OK)
        ck_assert_str_eq(err.where, path);
}
END_TEST

/* ---- loading bad bundles ---- */

/* Copies the flat directory src to dst. */
static void copy_dir(const char *src, const char *dst)
{
    ck_assert_int_eq(mkdir(dst, 0755), 0);
    DIR *d = opendir(src);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char from[512], to[512], buf[4096];
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
        ck_assert(in && out);
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
        fclose(in);
        ck_assert_int_eq(fclose(out), 0);
    }
    closedir(d);
}

/* Rewrites dir/manifest.json through edit. */
static void edit_manifest(const char *dir, void (*edit)(json_t *man))
{
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_error_t je;
    json_t *man = json_load_file(path, 0, &je);
    ck_assert_ptr_nonnull(man);
    edit(man);
    ck_assert_int_eq(json_dump_file(man, path, JSON_INDENT(1)), 0);
    json_decref(man);
}

static json_t *unit0(json_t *man)
{
    return json_array_get(json_object_get(man, "units"), 0);
}

static void other_version(json_t *man) { json_object_set_new(man, "version", json_integer(4)); }
static void other_format(json_t *man) { json_object_set_new(man, "format", json_string("stance-vocab")); }
static void no_vocabulary(json_t *man) { json_object_del(man, "vocabulary"); }
static void no_codebook(json_t *man) { json_object_del(man, "codebook"); }
static void bad_engine(json_t *man) { json_object_set_new(json_object_get(man, "svm"), "engine", json_string("svmlight")); }
static void no_gamma(json_t *man) { json_object_del(json_object_get(man, "svm"), "gamma"); }
static void stopword_number(json_t *man) { json_array_append_new(json_object_get(json_object_get(man, "analyzer"), "stopwords"), json_integer(7)); }
static void escaping_file(json_t *man) { json_object_set_new(unit0(man), "file", json_string("unit-../../etc")); }
static void other_file(json_t *man) { json_object_set_new(unit0(man), "file", json_string("manifest.json")); }
static void no_platt(json_t *man) { json_object_del(unit0(man), "platt"); }
static void wrong_value(json_t *man) { json_object_set_new(unit0(man), "value", json_string("abm")); }
static void one_unit_less(json_t *man) { json_array_remove(json_object_get(man, "units"), 4); }
static void other_sha(json_t *man) { json_object_set_new(unit0(man), "sha256", json_string("00")); }

static void append_to_unit0(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/unit-0.txt", dir);
    FILE *f = fopen(path, "a");
    ck_assert_ptr_nonnull(f);
    fputs("1 0.5\n", f);
    ck_assert_int_eq(fclose(f), 0);
}

static void truncate_unit1(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/unit-1.txt", dir);
    ck_assert_int_eq(truncate(path, 40), 0);
}

static void remove_unit2(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/unit-2.txt", dir);
    ck_assert_int_eq(unlink(path), 0);
}

static void manifest_not_json(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    ck_assert_int_eq(truncate(path, 100), 0);
}

static void remove_manifest(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    ck_assert_int_eq(unlink(path), 0);
}

/* One change to a copy of the bundle each: the status, the file named (a suffix of where),
 * and a piece of the message (NULL: not checked). */
static const struct {
    void (*edit)(json_t *man);
    void (*change)(const char *dir);
    stance_status status;
    const char *where;
    const char *message;
} bad_bundles[] = {
    {NULL, append_to_unit0, STANCE_ERR_DATA, "/unit-0.txt", "more than the 461 the manifest declares"},
    {NULL, truncate_unit1, STANCE_ERR_DATA, "/unit-1.txt", "40 bytes, fewer than the 456 the manifest declares"},
    {NULL, remove_unit2, STANCE_ERR_IO, "/unit-2.txt", "No such file"},
    {NULL, manifest_not_json, STANCE_ERR_DATA, "/manifest.json", "invalid JSON"},
    {NULL, remove_manifest, STANCE_ERR_IO, "/manifest.json", "No such file"},
    {other_version, NULL, STANCE_ERR_DATA, "/manifest.json", "version 4 is not supported"},
    {other_format, NULL, STANCE_ERR_DATA, "/manifest.json", "not a stance model manifest"},
    {no_vocabulary, NULL, STANCE_ERR_DATA, "/manifest.json", "vocabulary"},
    {no_codebook, NULL, STANCE_ERR_DATA, "/manifest.json", "codebook"},
    {bad_engine, NULL, STANCE_ERR_DATA, "/manifest.json", "unknown engine 'svmlight'"},
    {no_gamma, NULL, STANCE_ERR_DATA, "/manifest.json", "\"gamma\""},
    {stopword_number, NULL, STANCE_ERR_DATA, "/manifest.json", "stopwords"},
    {escaping_file, NULL, STANCE_ERR_DATA, "/manifest.json", "bad file name"},
    {other_file, NULL, STANCE_ERR_DATA, "/manifest.json", "bad file name"},
    {no_platt, NULL, STANCE_ERR_DATA, "/manifest.json", "\"platt\""},
    {wrong_value, NULL, STANCE_ERR_DATA, "/manifest.json", "does not match the codebook"},
    {one_unit_less, NULL, STANCE_ERR_DATA, "/manifest.json", "4 units listed, the codebook needs 5"},
    {other_sha, NULL, STANCE_ERR_DATA, "/unit-0.txt", "checksum"},
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

START_TEST(test_load_bad_bundle)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/bad-%d", tmpdir, _i);
    copy_dir(bundle, dir);
    if (bad_bundles[_i].edit)
        edit_manifest(dir, bad_bundles[_i].edit);
    if (bad_bundles[_i].change)
        bad_bundles[_i].change(dir);
    stance_model *m = (stance_model *)&m; /* not NULL: must be reset */
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_model_load(dir, &m, &err), bad_bundles[_i].status);
    ck_assert_ptr_null(m);
    ck_assert_msg(strncmp(err.where, dir, strlen(dir)) == 0 && ends_with(err.where, bad_bundles[_i].where),
                  "where: %s", err.where);
    if (bad_bundles[_i].message)
        ck_assert_msg(strstr(err.message, bad_bundles[_i].message) != NULL, "message: %s", err.message);
    m = (stance_model *)&m; /* and with no error record: the same status (error.h) */
    ck_assert_int_eq(stance_model_load(dir, &m, NULL), bad_bundles[_i].status);
    ck_assert_ptr_null(m);
}
END_TEST

/* The copy itself loads: the failures above come from the changes alone. */
START_TEST(test_load_copy)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/copy", tmpdir);
    copy_dir(bundle, dir);
    stance_model *m;
    stance_error err;
    ck_assert_int_eq(stance_model_load(dir, &m, &err), STANCE_OK);
    stance_model_free(m);
}
END_TEST

/* ---- bundle files that are not the bundle's own regular files ---- */

/* dir/name, removed, to be put back as something else. */
static void replace_path(char *path, size_t size, const char *dir, const char *name)
{
    snprintf(path, size, "%s/%s", dir, name);
    ck_assert_int_eq(unlink(path), 0);
}

/* Moves dir/name beside the bundle (dir-name) and leaves a link to it in its place: the very
 * file, checksum and size right, but outside the bundle. */
static void link_outside(const char *dir, const char *name)
{
    char from[512], to[600];
    snprintf(from, sizeof from, "%s/%s", dir, name);
    snprintf(to, sizeof to, "%s-%s", dir, name);
    ck_assert_int_eq(rename(from, to), 0);
    ck_assert_int_eq(symlink(to, from), 0);
}

static void unit0_dev_zero(const char *dir)
{
    char path[512];
    replace_path(path, sizeof path, dir, "unit-0.txt");
    ck_assert_int_eq(symlink("/dev/zero", path), 0);
}

static char passwd_sha[65];
static void declare_passwd(json_t *man)
{
    struct stat sb;
    ck_assert_int_eq(stat("/etc/passwd", &sb), 0);
    json_object_set_new(unit0(man), "sha256", json_string(passwd_sha));
    json_object_set_new(unit0(man), "bytes", json_integer((json_int_t)sb.st_size));
}

/* A link to /etc/passwd, whose checksum and size the manifest gives. */
static void unit0_etc_passwd(const char *dir)
{
    char path[512];
    stance_error err;
    ck_assert_int_eq(stance_sha256_file("/etc/passwd", passwd_sha, &err), STANCE_OK);
    edit_manifest(dir, declare_passwd);
    replace_path(path, sizeof path, dir, "unit-0.txt");
    ck_assert_int_eq(symlink("/etc/passwd", path), 0);
}

static void unit0_outside(const char *dir) { link_outside(dir, "unit-0.txt"); }
static void manifest_outside(const char *dir) { link_outside(dir, "manifest.json"); }

/* A link inside the bundle, to a file of the bundle with the same bytes. */
static void unit0_link_inside(const char *dir)
{
    char path[512], twin[512];
    snprintf(path, sizeof path, "%s/unit-0.txt", dir);
    snprintf(twin, sizeof twin, "%s/unit-0.copy", dir);
    ck_assert_int_eq(rename(path, twin), 0);
    ck_assert_int_eq(symlink("unit-0.copy", path), 0);
}

static void unit0_fifo(const char *dir)
{
    char path[512];
    replace_path(path, sizeof path, dir, "unit-0.txt");
    ck_assert_int_eq(mkfifo(path, 0644), 0);
}

static void manifest_fifo(const char *dir)
{
    char path[512];
    replace_path(path, sizeof path, dir, "manifest.json");
    ck_assert_int_eq(mkfifo(path, 0644), 0);
}

static void unit0_directory(const char *dir)
{
    char path[512];
    replace_path(path, sizeof path, dir, "unit-0.txt");
    ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void manifest_directory(const char *dir)
{
    char path[512];
    replace_path(path, sizeof path, dir, "manifest.json");
    ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* A listening socket's file: opening it fails (ENXIO), so it must be refused before. */
static void unit0_socket(const char *dir)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    replace_path(a.sun_path, sizeof a.sun_path, dir, "unit-0.txt");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    close(fd);
}

/* A bundle written before sizes were recorded: no "bytes" in its units. */
static void no_sizes(json_t *man)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(man, "units"), i, u)
        json_object_del(u, "bytes");
}

static void truncate_unit1_no_sizes(const char *dir)
{
    edit_manifest(dir, no_sizes);
    truncate_unit1(dir);
}

static void append_unit0_no_sizes(const char *dir)
{
    edit_manifest(dir, no_sizes);
    append_to_unit0(dir);
}

/* Each makes a copy of the bundle bad in one way; loading must end at once with a data error
 * naming the file (a suffix of where) and saying why (a substring of the message). */
static const struct {
    void (*change)(const char *dir);
    const char *where;
    const char *message;
} special_files[] = {
    {unit0_dev_zero, "/unit-0.txt", "is a symbolic link"},
    {unit0_etc_passwd, "/unit-0.txt", "is a symbolic link"},
    {unit0_outside, "/unit-0.txt", "is a symbolic link"},
    {unit0_link_inside, "/unit-0.txt", "is a symbolic link"},
    {unit0_fifo, "/unit-0.txt", "not a regular file"},
    {unit0_directory, "/unit-0.txt", "not a regular file"},
    {unit0_socket, "/unit-0.txt", "not a regular file"},
    {manifest_outside, "/manifest.json", "is a symbolic link"},
    {manifest_fifo, "/manifest.json", "not a regular file"},
    {manifest_directory, "/manifest.json", "not a regular file"},
    {truncate_unit1_no_sizes, "/unit-1.txt", "checksum differs"},
    {append_unit0_no_sizes, "/unit-0.txt", "checksum differs"},
};

START_TEST(test_load_special_file)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/special-%d", tmpdir, _i);
    copy_dir(bundle, dir);
    special_files[_i].change(dir);
    stance_model *m = (stance_model *)&m; /* not NULL: must be reset */
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_model_load(dir, &m, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(m);
    ck_assert_msg(strncmp(err.where, dir, strlen(dir)) == 0 && ends_with(err.where, special_files[_i].where),
                  "where: %s", err.where);
    ck_assert_msg(strstr(err.message, special_files[_i].message) != NULL, "message: %s", err.message);
}
END_TEST

/* A bundle without sizes (as written before they were recorded) loads and predicts as the same
 * bundle with them; so does the bundle through a link to its directory, which the user chose. */
START_TEST(test_load_old_and_linked)
{
    char dir[256], link[256];
    snprintf(dir, sizeof dir, "%s/no-sizes", tmpdir);
    copy_dir(bundle, dir);
    edit_manifest(dir, no_sizes);
    snprintf(link, sizeof link, "%s/link-to-bundle", tmpdir);
    ck_assert_int_eq(symlink(bundle, link), 0);
    const char *const paths[] = {dir, link};
    for (size_t k = 0; k < 2; k++) {
        stance_model *m;
        stance_error err;
        ck_assert_msg(stance_model_load(paths[k], &m, &err) == STANCE_OK, "%s: %s", paths[k], err.message);
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
            double pa[NV], pb[NV];
            signed char ra[NV], rb[NV];
            check_predict_text(m, texts[t].text, pa, ra);
            check_predict_text(loaded, texts[t].text, pb, rb);
            for (size_t v = 0; v < NV; v++)
                ck_assert_double_eq(pa[v], pb[v]);
        }
        stance_model_free(m);
    }
}
END_TEST

static const struct {
    const char *path;
    stance_status status;
    const char *message;
} load_cases[] = {
    {"@/no-such-model", STANCE_ERR_IO, "cannot open model"},
    {"data/empty.txt", STANCE_ERR_DATA, "not a model directory"},
    {"data/articles", STANCE_ERR_IO, "No such file"}, /* no manifest.json */
};

START_TEST(test_load_not_a_bundle)
{
    char path[256];
    at_tmp(path, sizeof path, load_cases[_i].path);
    stance_model *m;
    stance_error err;
    ck_assert_int_eq(stance_model_load(path, &m, &err), load_cases[_i].status);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.message, load_cases[_i].message) != NULL, "%s", err.message);
}
END_TEST

/* ---- saving ---- */

/* A format 2 bundle (weights.bin) gives the scores of the format 1 bundle of the same model, up
 * to float rounding, verifies, and keeps the weights of the classifiers as float32. */
START_TEST(test_format2_same_scores)
{
    char dir[256];
    stance_error err;
    snprintf(dir, sizeof dir, "%s/format2", tmpdir);
    ck_assert_int_eq(stance_model_set_format(trained, 9, &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_model_set_format(trained, 2, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_set_format(trained, 1, &err), STANCE_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/weights.bin", dir);
    ck_assert_int_eq(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/unit-0.txt", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    stance_model *m;
    ck_assert_int_eq(stance_model_load(dir, &m, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_verify(m, &err), STANCE_OK);
    for (size_t i = 0; i < stance_model_get_unit_count(m); i++) {
        ck_assert_int_eq(stance_model_get_unit_linear(m, i), stance_model_get_unit_linear(trained, i));
        if (!stance_model_get_unit_linear(m, i))
            continue;
        ck_assert_double_eq(stance_model_get_unit_bias(m, i), stance_model_get_unit_bias(trained, i));
        for (int f = 1; f <= 50; f++)
            ck_assert_double_eq(stance_model_get_unit_weight(m, i, f),
                                (float)stance_model_get_unit_weight(trained, i, f));
    }
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        double pa[NV], pb[NV];
        signed char ra[NV], rb[NV];
        check_predict_text(m, texts[t].text, pa, ra);
        check_predict_text(loaded, texts[t].text, pb, rb);
        for (size_t v = 0; v < NV; v++)
            ck_assert_double_eq_tol(pa[v], pb[v], 1e-6);
    }
    stance_model_free(m);
}
END_TEST

/* Saving over a bundle replaces it, leaving nothing beside it; a non-bundle is refused. */
START_TEST(test_save_replaces)
{
    char dir[256];
    stance_error err;
    snprintf(dir, sizeof dir, "%s/again", tmpdir);
    ck_assert_int_eq(stance_model_save(loaded, dir, &err), STANCE_OK);
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
    stance_model *m;
    ck_assert_int_eq(stance_model_load(dir, &m, &err), STANCE_OK);
    double pa[NV], pb[NV];
    signed char ra[NV], rb[NV];
    check_predict_text(m, texts[0].text, pa, ra);
    check_predict_text(trained, texts[0].text, pb, rb);
    for (size_t v = 0; v < NV; v++)
        ck_assert_double_eq_tol(pa[v], pb[v], 1e-6);
    stance_model_free(m);
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        ck_assert_msg(strncmp(e->d_name, "again.", 6) != 0, "left behind: %s", e->d_name);
    closedir(d);
    /* a directory holding other files is not replaced */
    snprintf(dir, sizeof dir, "%s/mine", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/keep.txt", dir);
    write_file(path, "keep\n");
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_ERR_IO);
    ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

/* 1 if dir holds exactly the entries names (NULL-terminated), in any order. */
static int holds_exactly(const char *dir, const char *const *names)
{
    size_t want = 0, found = 0;
    while (names[want])
        want++;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int known = 0;
        for (size_t i = 0; i < want; i++)
            known |= strcmp(e->d_name, names[i]) == 0;
        found += known ? 1 : 1000;
    }
    closedir(d);
    return found == want;
}

/* What is not the old bundle's is never touched: a user's file in it, a link to it, another
 * program's directory with a manifest.json; each is refused and left as it was, with nothing
 * beside it. An empty directory and a new one named with a trailing slash are written. */
START_TEST(test_save_refuses)
{
    char dir[256], path[300], link[256];
    stance_error err;
    snprintf(dir, sizeof dir, "%s/kept", tmpdir);
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
    snprintf(path, sizeof path, "%s/NOTES", dir);
    write_file(path, "mine\n");
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.where, dir);
    ck_assert_msg(strstr(err.message, "holds NOTES") != NULL, "%s", err.message);
    static const char *const kept[] = {"manifest.json", "unit-0.txt", "unit-1.txt", "unit-2.txt",
                                       "unit-4.txt", "NOTES", NULL};
    ck_assert(holds_exactly(dir, kept));

    snprintf(link, sizeof link, "%s/via-link", tmpdir);
    ck_assert_int_eq(symlink("kept", link), 0);
    ck_assert_int_eq(stance_model_save(trained, link, &err), STANCE_ERR_IO);
    ck_assert_msg(strstr(err.message, "symbolic link") != NULL, "%s", err.message);
    struct stat sb;
    ck_assert_int_eq(lstat(link, &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    ck_assert(holds_exactly(dir, kept));

    snprintf(dir, sizeof dir, "%s/app", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    write_file(path, "{\"format\": \"webapp\"}\n");
    snprintf(path, sizeof path, "%s/index.html", dir);
    write_file(path, "<p>\n");
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_ERR_IO);
    static const char *const app[] = {"manifest.json", "index.html", NULL};
    ck_assert(holds_exactly(dir, app));

    snprintf(dir, sizeof dir, "%s/empty-dir", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    snprintf(dir, sizeof dir, "%s/empty-dir/", tmpdir);
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
    snprintf(dir, sizeof dir, "%s/new-dir//", tmpdir);
    ck_assert_int_eq(stance_model_save(trained, dir, &err), STANCE_OK);
    static const char *const fresh[] = {"manifest.json", "unit-0.txt", "unit-1.txt",
                                        "unit-2.txt", "unit-4.txt", NULL};
    snprintf(dir, sizeof dir, "%s/new-dir", tmpdir);
    ck_assert(holds_exactly(dir, fresh));
    ck_assert_int_eq(stance_model_save(trained, ".", &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_model_save(trained, "", &err), STANCE_ERR_USAGE);

    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        ck_assert_msg(strstr(e->d_name, ".tmp.") == NULL && strstr(e->d_name, ".old.") == NULL,
                      "left behind: %s", e->d_name);
    closedir(d);
}
END_TEST

static void count_removed(void *ctx, const char *path)
{
    char *last = ctx;
    snprintf(last, 256, "%s", path);
    last[255]++; /* the count, in the last byte */
}

/* Stale temporaries: only ours (bundle files alone), old enough, not locked, are removed. */
START_TEST(test_remove_stale)
{
    char dir[256], path[300], target[256];
    snprintf(target, sizeof target, "%s/st", tmpdir);
    static const char *const names[] = {"st.tmp.AAAAAA", "st.old.BBBBBB", "st.tmp.CCCCCC",
                                        "st.tmp.DDDDDD", "st.tmp.toolong1", "elsewhere"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(dir, sizeof dir, "%s/%s", tmpdir, names[i]);
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        snprintf(path, sizeof path, "%s/%s", dir, i == 2 ? "NOTES" : "unit-0.txt");
        write_file(path, "x\n");
    }
    snprintf(path, sizeof path, "%s/st.tmp.FFFFFF", tmpdir); /* a link: not followed */
    ck_assert_int_eq(symlink("elsewhere", path), 0);
    snprintf(dir, sizeof dir, "%s/st.tmp.DDDDDD", tmpdir); /* a save in progress */
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(flock(fd, LOCK_EX), 0);
    char last[256] = "";
    stance_error err;
    struct timespec past = {1, 0}, later;
    ck_assert_int_eq(stance_model_remove_stale(target, &past, count_removed, last, &err), STANCE_OK);
    ck_assert_int_eq(last[255], 0); /* all newer than "since" */
    clock_gettime(CLOCK_REALTIME, &later);
    later.tv_sec++;
    ck_assert_int_eq(stance_model_remove_stale(target, &later, count_removed, last, &err), STANCE_OK);
    ck_assert_int_eq(last[255], 2);
    close(fd);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(dir, sizeof dir, "%s/%s", tmpdir, names[i]);
        ck_assert_msg((access(dir, F_OK) == 0) == (i >= 2), "%s", names[i]);
    }
    snprintf(path, sizeof path, "%s/elsewhere/unit-0.txt", tmpdir);
    ck_assert_int_eq(access(path, F_OK), 0);
    snprintf(dir, sizeof dir, "%s/st.tmp.AAAAAA", tmpdir); /* reported: one of the two */
    snprintf(path, sizeof path, "%s/st.old.BBBBBB", tmpdir);
    last[255] = '\0';
    ck_assert_msg(strcmp(last, dir) == 0 || strcmp(last, path) == 0, "%s", last);
}
END_TEST

/* ---- an optional dimension ---- */

/* The same codebook with tone optional, and passages of which ten say no tone applies. */
#define OPT_CODEBOOK "data/codebook-optional.json"
#define OPT_TRAIN "data/train-optional.jsonl"

static stance_codebook *opt_cb;
static stance_model *opt_trained, *opt_loaded;
static char opt_dir[64]; /* /tmp/stance-check-optional-XXXXXX, removed at the end */

static void setup_optional(void)
{
    stance_error err;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load(OPT_CODEBOOK, &opt_cb, &err), STANCE_OK);
    stance_train_options opt;
    train_options(&opt);
    stance_status st = stance_train_run(opt_cb, OPT_TRAIN, &opt, &opt_trained, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    snprintf(opt_dir, sizeof opt_dir, "/tmp/stance-check-optional-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(opt_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/model", opt_dir);
    ck_assert_int_eq(stance_model_save(opt_trained, path, &err), STANCE_OK);
    st = stance_model_load(path, &opt_loaded, &err);
    ck_assert_msg(st == STANCE_OK, "loading: %s", err.message);
}

static void teardown_optional(void)
{
    stance_model_free(opt_loaded);
    stance_model_free(opt_trained);
    stance_codebook_free(opt_cb);
    opt_loaded = opt_trained = NULL;
    opt_cb = NULL;
    if (opt_dir[0])
        rm_tree(opt_dir);
}

/* The units: those of the plain codebook, then tone's applies unit. The pair unit learns from
 * the 23 passages with a tone, the applies unit from those and the 10 with "tone": []. */
START_TEST(test_optional_units)
{
    const stance_model *models[] = {opt_trained, opt_loaded};
    for (size_t m = 0; m < 2; m++) {
        ck_assert_uint_eq(stance_model_get_unit_count(models[m]), 6);
        for (size_t i = 0; i < 6; i++) {
            const char *dim, *value, *why;
            int ok;
            stance_model_get_unit_info(models[m], i, &dim, &value, &ok, &why);
            ck_assert_str_eq(dim, i < 4 ? "topics" : "tone");
            ck_assert_int_eq(ok, i != 3); /* arms_sales: no examples */
            ck_assert_int_eq(stance_model_get_unit_applies(models[m], i), i == 5);
            if (i >= 4)
                ck_assert_ptr_null(value);
        }
    }
    const json_t *list = json_object_get(stance_model_manifest(opt_loaded), "units");
    for (size_t i = 0; i < 6; i++)
        if (i == 5)
            ck_assert(json_is_true(json_object_get(json_array_get(list, i), "applies")));
        else
            ck_assert_ptr_null(json_object_get(json_array_get(list, i), "applies"));
    const json_t *pair = json_object_get(json_array_get(list, 4), "cv");
    ck_assert_int_eq(json_integer_value(json_object_get(pair, "first")) +
                     json_integer_value(json_object_get(pair, "second")), 23);
    const json_t *applies = json_array_get(list, 5), *cv = json_object_get(applies, "cv");
    ck_assert_int_eq(json_integer_value(json_object_get(cv, "applies")), 23);
    ck_assert_int_eq(json_integer_value(json_object_get(cv, "none")), 10);
    ck_assert(json_is_object(json_object_get(cv, "abstention")));
    /* the decision is p >= 0.5: the threshold is where the sigmoid crosses 0.5 */
    const json_t *platt = json_object_get(applies, "platt");
    double a = json_number_value(json_object_get(platt, "a")), b = json_number_value(json_object_get(platt, "b"));
    ck_assert_double_eq_tol(json_number_value(json_object_get(applies, "threshold")), -b / a, 1e-9);
    ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(
        json_object_get(stance_model_manifest(opt_loaded), "codebook"), "dimensions"), 1), "optional")));
}
END_TEST

/* Texts and whether a tone applies to them. */
static const struct {
    const char *text;
    int applies;
} opt_texts[] = {
    {"The rouble slid and pensioners queued as the harvest failed and the governor blamed the coal bills.", 0},
    {"Moscow warned that scrapping the ABM treaty would unravel arms control.", 1},
    {"Russia and the alliance agreed to resume talks, and KFOR praised the Russian contingent.", 1},
};

START_TEST(test_optional_predict)
{
    double pa[NV], pb[NV];
    signed char ra[NV], rb[NV];
    check_predict_text(opt_trained, opt_texts[_i].text, pa, ra);
    check_predict_text(opt_loaded, opt_texts[_i].text, pb, rb);
    for (size_t v = 0; v < NV; v++) {
        ck_assert_double_eq_tol(pa[v], pb[v], 1e-6);
        ck_assert_int_eq(ra[v], rb[v]);
    }
    /* tone's probabilities are those of its values if one applies: still a distribution */
    ck_assert_double_eq_tol(pa[4] + pa[5], 1, 1e-12);
    ck_assert_int_eq(ra[4] + ra[5], opt_texts[_i].applies);
    json_t *rec = json_object();
    stance_error err;
    ck_assert_int_eq(stance_model_set_labels(opt_loaded, pb, rb, rec, &err), STANCE_OK);
    const json_t *tone = json_object_get(rec, "tone");
    if (opt_texts[_i].applies)
        ck_assert_str_eq(json_string_value(json_object_get(tone, "label")), ra[4] ? "conciliatory" : "confrontational");
    else
        ck_assert(json_is_null(tone));
    json_decref(rec);
}
END_TEST

static json_t *unit_at(json_t *man, size_t i)
{
    return json_array_get(json_object_get(man, "units"), i);
}

static void no_applies_unit(json_t *man) { json_array_remove(json_object_get(man, "units"), 5); }
static void applies_unmarked(json_t *man) { json_object_del(unit_at(man, 5), "applies"); }
static void applies_not_boolean(json_t *man) { json_object_set_new(unit_at(man, 5), "applies", json_string("yes")); }
static void pair_marked(json_t *man) { json_object_set_new(unit_at(man, 4), "applies", json_true()); }
static void pair_marked_false(json_t *man) { json_object_set_new(unit_at(man, 4), "applies", json_false()); }
static void tone_not_optional(json_t *man)
{
    json_object_del(json_array_get(json_object_get(json_object_get(man, "codebook"), "dimensions"), 1), "optional");
}

/* Manifest edits to the optional bundle, and a piece of the message (NULL: it loads). */
static const struct {
    void (*edit)(json_t *man);
    const char *message;
} opt_bundles[] = {
    {no_applies_unit, "5 units listed, the codebook needs 6"},
    {applies_unmarked, "unit 5 does not match the codebook (tone applies)"},
    {applies_not_boolean, "unit 5 does not match the codebook (tone applies)"},
    {pair_marked, "unit 4 does not match the codebook (tone)"},
    {tone_not_optional, "6 units listed, the codebook needs 5"},
    {pair_marked_false, NULL},
};

START_TEST(test_optional_bad_bundle)
{
    char src[128], dir[128];
    snprintf(src, sizeof src, "%s/model", opt_dir);
    snprintf(dir, sizeof dir, "%s/bad-%d", opt_dir, _i);
    copy_dir(src, dir);
    edit_manifest(dir, opt_bundles[_i].edit);
    stance_model *m = (stance_model *)&m;
    stance_error err;
    stance_error_clear(&err);
    stance_status st = stance_model_load(dir, &m, &err);
    if (!opt_bundles[_i].message) {
        ck_assert_msg(st == STANCE_OK, "%s", err.message);
        stance_model_free(m);
        return;
    }
    ck_assert_int_eq(st, STANCE_ERR_DATA);
    ck_assert_ptr_null(m);
    ck_assert(ends_with(err.where, "/manifest.json"));
    ck_assert_msg(strstr(err.message, opt_bundles[_i].message) != NULL, "message: %s", err.message);
}
END_TEST

Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("trained");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_units);
    tcase_add_test(tc, test_manifest);
    int ntexts = (int)(sizeof texts / sizeof texts[0]);
    tcase_add_loop_test(tc, test_predict_loaded_equals_trained, 0, ntexts);
    tcase_add_loop_test(tc, test_set_labels_from_predictions, 0, ntexts);
    tcase_add_loop_test(tc, test_set_labels_shape, 0, (int)(sizeof label_cases / sizeof label_cases[0]));
    tcase_add_loop_test(tc, test_check_codebook, 0, (int)(sizeof codebook_cases / sizeof codebook_cases[0]));
    tcase_add_loop_test(tc, test_check_target, 0, (int)(sizeof target_cases / sizeof target_cases[0]));
    tcase_add_loop_test(tc, test_load_bad_bundle, 0, (int)(sizeof bad_bundles / sizeof bad_bundles[0]));
    tcase_add_test(tc, test_load_copy);
    tcase_add_loop_test(tc, test_load_special_file, 0, (int)(sizeof special_files / sizeof special_files[0]));
    tcase_add_test(tc, test_load_old_and_linked);
    tcase_add_loop_test(tc, test_load_not_a_bundle, 0, (int)(sizeof load_cases / sizeof load_cases[0]));
    tcase_add_test(tc, test_format2_same_scores);
    tcase_add_test(tc, test_save_replaces);
    tcase_add_test(tc, test_save_refuses);
    tcase_add_test(tc, test_remove_stale);
    suite_add_tcase(s, tc);
    TCase *opt = tcase_create("optional");
    tcase_add_unchecked_fixture(opt, setup_optional, teardown_optional);
    tcase_set_timeout(opt, 30);
    tcase_add_test(opt, test_optional_units);
    tcase_add_loop_test(opt, test_optional_predict, 0, (int)(sizeof opt_texts / sizeof opt_texts[0]));
    tcase_add_loop_test(opt, test_optional_bad_bundle, 0, (int)(sizeof opt_bundles / sizeof opt_bundles[0]));
    suite_add_tcase(s, opt);
    return s;
}
