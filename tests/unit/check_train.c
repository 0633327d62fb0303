/* check_train.c: training a model from labeled passages (train.h): the threshold rules' names,
 * the default options, stance_train_run on the small corpora of data/ under each setting, and
 * every error it returns. Cases whose training file is written here get it in a private
 * directory under /tmp, removed at the end. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../pipeline/codebook_int.h"
#include "../../pipeline/model_int.h"
#include "../../pipeline/nbweight_int.h"
#include "../../pipeline/vocab_int.h"
#include "stance/train.h"
#include "suites.h"

#define CODEBOOK "data/codebook-project.json"      /* topics (4 values), tone (2) */
#define OPT_CODEBOOK "data/codebook-optional.json" /* the same, tone optional */
#define SMALL "data/train-small.jsonl"             /* 24 passages, none on arms_sales */
#define OPTIONAL "data/train-optional.jsonl"       /* those, and 10 with "tone": [] */
#define NV 6                                       /* value slots of both codebooks */
#define ABM 2                                      /* the slot of topics=abm */

static stance_codebook *cb, *opt_cb;
static stance_model *plain; /* SMALL, with the base options */
static char dir[64];        /* /tmp/stance-check-train-XXXXXX: the written training files */

/* The options every case starts from: the defaults, with 3 folds (the corpora are small). */
static void base_options(stance_train_options *opt)
{
    stance_train_options_default(opt);
    opt->folds = 3;
}

static void setup(void)
{
    stance_error err;
    stance_engine_silence();
    ck_assert_int_eq(stance_codebook_load(CODEBOOK, &cb, &err), STANCE_OK);
    ck_assert_int_eq(stance_codebook_load(OPT_CODEBOOK, &opt_cb, &err), STANCE_OK);
    stance_train_options opt;
    base_options(&opt);
    stance_status st = stance_train_run(cb, SMALL, &opt, &plain, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    snprintf(dir, sizeof dir, "/tmp/stance-check-train-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    stance_model_free(plain);
    stance_codebook_free(cb);
    stance_codebook_free(opt_cb);
    plain = NULL;
    cb = opt_cb = NULL;
    DIR *d = dir[0] ? opendir(dir) : NULL; /* it holds files only */
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[sizeof dir + sizeof e->d_name];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(path);
    }
    if (d)
        closedir(d);
    if (dir[0])
        rmdir(dir);
}

static const char *const texts[] = {
    "Moscow warned that scrapping the ABM treaty would unravel arms control.", /* abm */
    "The Kosovo peacekeepers reported calm in the Russian sector.",
    "Russian diplomats threatened countermeasures if the alliance admitted Estonia.",
    "Nothing here is in the vocabulary: zebras, quinces.",
};

/* ---- names and defaults ---- */

static const struct {
    stance_threshold_rule rule;
    const char *name;
} rules[] = {
    {STANCE_THRESHOLD_BEST_F1, "best-f1"},
    {STANCE_THRESHOLD_PLATEAU, "plateau"},
    {STANCE_THRESHOLD_PLATT, "platt"},
    {STANCE_THRESHOLD_ZERO, "zero"},
};

START_TEST(test_threshold_rule_names)
{
    stance_threshold_rule rule = STANCE_THRESHOLD_ZERO;
    ck_assert_str_eq(stance_threshold_rule_name(rules[_i].rule), rules[_i].name);
    ck_assert_int_eq(stance_threshold_rule_parse(rules[_i].name, &rule), 0);
    ck_assert_int_eq(rule, rules[_i].rule);
}
END_TEST

/* An unknown name is refused and leaves the rule alone; a value out of range has no name. */
START_TEST(test_threshold_rule_unknown)
{
    static const char *const unknown[] = {"best_f1", "Plateau", "", "zero "};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        stance_threshold_rule rule = STANCE_THRESHOLD_PLATT;
        ck_assert_int_eq(stance_threshold_rule_parse(unknown[i], &rule), -1);
        ck_assert_int_eq(rule, STANCE_THRESHOLD_PLATT);
    }
    ck_assert_str_eq(stance_threshold_rule_name((stance_threshold_rule)99), "?");
}
END_TEST

/* The defaults train.h documents. */
START_TEST(test_options_default)
{
    stance_train_options opt;
    memset(&opt, 0x5a, sizeof opt);
    stance_train_options_default(&opt);
    ck_assert_double_eq(opt.c, 1);
    ck_assert_ptr_null(opt.c_grid);
    ck_assert_uint_eq(opt.n_c_grid, 0);
    ck_assert_int_eq(opt.folds, 3);
    ck_assert_uint_eq(opt.seed, 1);
    ck_assert_int_eq(opt.threads, 0);
    ck_assert_int_eq(opt.vocab.min_df, 0); /* by the size of the set */
    ck_assert_int_eq(opt.nb_weight, 0);
    ck_assert_double_eq(opt.nb_beta, STANCE_NB_BETA);
    ck_assert_int_eq(opt.threshold_rule, STANCE_THRESHOLD_BEST_F1);
    ck_assert_str_eq(opt.language, "english");
    ck_assert_ptr_null(opt.stopwords);
    ck_assert_ptr_null(opt.progress);
    ck_assert_int_eq(opt.svm.engine, STANCE_ENGINE_AUTO);
    ck_assert_int_eq(opt.svm.kernel, STANCE_KERNEL_LINEAR);
    stance_vocab_options vocab; /* the vocabulary's defaults, min_df aside */
    stance_vocab_options_default(&vocab);
    ck_assert_int_eq(opt.vocab.bigrams, vocab.bigrams);
    ck_assert_int_eq(opt.vocab.sublinear_tf, vocab.sublinear_tf);
}
END_TEST

/* ---- training ---- */

static void same(stance_train_options *opt) { (void)opt; }
static void no_cv(stance_train_options *opt) { opt->folds = 0; }
static void more_folds(stance_train_options *opt) { opt->folds = 100; } /* than examples */
static void libsvm(stance_train_options *opt) { opt->svm.engine = STANCE_ENGINE_LIBSVM; }
static void rbf(stance_train_options *opt) { opt->svm.kernel = STANCE_KERNEL_RBF; }
static void nb_weight(stance_train_options *opt) { opt->nb_weight = 1; }
static void plateau(stance_train_options *opt) { opt->threshold_rule = STANCE_THRESHOLD_PLATEAU; }
static void platt(stance_train_options *opt) { opt->threshold_rule = STANCE_THRESHOLD_PLATT; }
static void zero(stance_train_options *opt) { opt->threshold_rule = STANCE_THRESHOLD_ZERO; }
static void no_stopwords(stance_train_options *opt) { opt->stopwords = "none"; }
static void stopword_file(stance_train_options *opt) { opt->stopwords = "data/stopwords.txt"; }

static const double grid[] = {0.1, 1, 10};
static void c_grid(stance_train_options *opt) { opt->c_grid = grid, opt->n_c_grid = 3; }

#define WHY_SMALL "no positive examples among 24 labeled passages" /* arms_sales */
#define WHY_OPTIONAL "no positive examples among 34 labeled passages"

/* Corpora and settings that train: per unit, '1' trained, '0' not (why_not says why), 'a' the
 * trained applies unit; and the folds each trained unit was calibrated with (-1: fewer than
 * asked, at least 2). Every model gives the ABM text topics=abm. */
static const struct {
    const char *codebook, *path;
    void (*options)(stance_train_options *opt);
    const char *units, *why_not;
    int folds;
} trains[] = {
    {CODEBOOK, SMALL, same, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, no_cv, "11101", WHY_SMALL, 0},
    {CODEBOOK, SMALL, more_folds, "11101", WHY_SMALL, -1},
    {CODEBOOK, SMALL, c_grid, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, libsvm, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, rbf, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, nb_weight, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, plateau, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, platt, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, zero, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, no_stopwords, "11101", WHY_SMALL, 3},
    {CODEBOOK, SMALL, stopword_file, "11101", WHY_SMALL, 3},
    /* an optional tone: "tone": [] is "no value applies", learnt by the applies unit */
    {OPT_CODEBOOK, OPTIONAL, same, "11101a", WHY_OPTIONAL, 3},
};

static void count_line(void *ctx, const char *message)
{
    ck_assert_ptr_nonnull(message);
    ++*(size_t *)ctx;
}

START_TEST(test_train)
{
    const stance_codebook *book = strcmp(trains[_i].codebook, CODEBOOK) == 0 ? cb : opt_cb;
    stance_train_options opt;
    base_options(&opt);
    trains[_i].options(&opt);
    size_t lines = 0;
    opt.progress = count_line;
    opt.progress_ctx = &lines;
    stance_model *m = NULL;
    stance_error err;
    stance_status st = stance_train_run(book, trains[_i].path, &opt, &m, &err);
    ck_assert_msg(st == STANCE_OK, "%s", err.message);
    size_t n = strlen(trains[_i].units);
    ck_assert_uint_eq(stance_model_get_unit_count(m), n);
    ck_assert_uint_eq(lines, n); /* one line of progress per unit */
    for (size_t i = 0; i < n; i++) {
        const char *dim, *value, *why;
        int trained, k = stance_model_get_unit_folds(m, i);
        char want = trains[_i].units[i];
        stance_model_get_unit_info(m, i, &dim, &value, &trained, &why);
        ck_assert_int_eq(trained, want != '0');
        ck_assert_int_eq(stance_model_get_unit_applies(m, i), want == 'a');
        if (!trained) {
            ck_assert_str_eq(why, trains[_i].why_not);
            ck_assert_int_eq(k, 0);
        } else if (trains[_i].folds < 0) {
            ck_assert_msg(k >= 2 && k < opt.folds, "unit %zu: %d folds", i, k);
        } else {
            ck_assert_int_eq(k, trains[_i].folds);
        }
    }
    ck_assert(stance_codebook_same(stance_model_get_codebook(m), book));
    ck_assert_uint_gt(stance_vocab_get_size(stance_model_vocab(m)), 0);
    ck_assert_ptr_null(stance_model_manifest(m)); /* trained here, not loaded */
    double p[NV];
    signed char present[NV];
    check_predict_text(m, texts[0], p, present);
    ck_assert_int_eq(present[ABM], 1);
    stance_model_free(m);
}
END_TEST

/* More threads give the same model, exactly: folds are drawn per unit, not per thread. */
START_TEST(test_threads_same)
{
    stance_train_options opt;
    base_options(&opt);
    opt.threads = 4;
    stance_model *m;
    stance_error err;
    ck_assert_int_eq(stance_train_run(cb, SMALL, &opt, &m, &err), STANCE_OK);
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        double pa[NV], pb[NV];
        signed char ra[NV], rb[NV];
        check_predict_text(m, texts[t], pa, ra);
        check_predict_text(plain, texts[t], pb, rb);
        for (size_t v = 0; v < NV; v++) {
            ck_assert_double_eq(pa[v], pb[v]);
            ck_assert_int_eq(ra[v], rb[v]);
        }
    }
    stance_model_free(m);
}
END_TEST

/* One thread gives the model the default (a thread per core) gives. */
START_TEST(test_one_thread_same)
{
    stance_train_options opt;
    base_options(&opt);
    opt.threads = 1;
    stance_model *m;
    stance_error err;
    ck_assert_int_eq(stance_train_run(cb, SMALL, &opt, &m, &err), STANCE_OK);
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        double pa[NV], pb[NV];
        signed char ra[NV], rb[NV];
        check_predict_text(m, texts[t], pa, ra);
        check_predict_text(plain, texts[t], pb, rb);
        for (size_t v = 0; v < NV; v++)
            ck_assert_double_eq(pa[v], pb[v]);
    }
    stance_model_free(m);
}
END_TEST

/* The min_df a model's vocabulary was fitted with. */
static long model_min_df(const stance_model *m)
{
    stance_vocab_options vo;
    stance_vocab_get_options(stance_model_get_vocab(m), &vo);
    return vo.min_df;
}

/* min_df 0 is chosen by the number of passages: SMALL's 24 get the small-set value; a set of
 * STANCE_TRAIN_LARGE_SET passages the large-set one; a min_df given is kept. */
START_TEST(test_min_df_by_size)
{
    ck_assert_int_eq(model_min_df(plain), STANCE_TRAIN_SMALL_MIN_DF);
    char path[128];
    snprintf(path, sizeof path, "%s/large.jsonl", dir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < STANCE_TRAIN_LARGE_SET; i++)
        fprintf(f, "{\"id\": \"p%d\", \"text\": \"%s talks number %d\", \"topics\": [\"%s\"]}\n", i,
                i % 2 ? "Kosovo peace" : "missile defence", i, i % 2 ? "kosovo" : "abm");
    ck_assert_int_eq(fclose(f), 0);
    stance_train_options opt;
    base_options(&opt);
    opt.folds = 0;
    stance_model *m;
    stance_error err;
    ck_assert_msg(stance_train_run(cb, path, &opt, &m, &err) == STANCE_OK, "%s", err.message);
    ck_assert_int_eq(model_min_df(m), STANCE_TRAIN_LARGE_MIN_DF);
    stance_model_free(m);
    opt.vocab.min_df = 3;
    ck_assert_msg(stance_train_run(cb, path, &opt, &m, &err) == STANCE_OK, "%s", err.message);
    ck_assert_int_eq(model_min_df(m), 3);
    stance_model_free(m);
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* ---- errors ---- */

static void one_fold(stance_train_options *opt) { opt->folds = 1; }
static void negative_folds(stance_train_options *opt) { opt->folds = -3; }
static void zero_c(stance_train_options *opt) { opt->c = 0; }
static void negative_c(stance_train_options *opt) { opt->c = -1; }
static void nan_c(stance_train_options *opt) { opt->c = NAN; }
static void infinite_c(stance_train_options *opt) { opt->c = INFINITY; }
static const double negative_grid[] = {1, -0.5}, nan_grid[] = {2, NAN, -1};
static void negative_in_grid(stance_train_options *opt) { opt->c_grid = negative_grid, opt->n_c_grid = 2; }
static void nan_in_grid(stance_train_options *opt) { opt->c_grid = nan_grid, opt->n_c_grid = 3; }
static void empty_grid(stance_train_options *opt) { opt->c_grid = grid, opt->n_c_grid = 0; }
static void nb_rbf(stance_train_options *opt) { opt->nb_weight = 1, opt->svm.kernel = STANCE_KERNEL_RBF; }
static void liblinear_rbf(stance_train_options *opt)
{
    opt->svm.engine = STANCE_ENGINE_LIBLINEAR, opt->svm.kernel = STANCE_KERNEL_RBF;
}
static void klingon(stance_train_options *opt) { opt->language = "klingon"; }
static void missing_stopwords(stance_train_options *opt) { opt->stopwords = "data/no-such-stopwords.txt"; }
static void high_min_df(stance_train_options *opt) { opt->vocab.min_df = 1000000; }
static void min_df_1(stance_train_options *opt) { opt->vocab.min_df = 1; }

#define KOSOVO "\"text\": \"Peacekeepers patrolled Kosovo.\", \"topics\": [\"kosovo\"]"
#define AT(path) path, NULL, 0
#define WRITTEN(content) NULL, content, sizeof content - 1 /* may hold NULs */

/* Training that fails: the training file (a path, or content written to a file for the case),
 * the options, and what the error holds: status, where (NULL: none; "@": the training file),
 * line (-1: not checked) and a piece of the message. */
static const struct {
    const char *codebook, *path, *content;
    size_t size;
    void (*options)(stance_train_options *opt);
    stance_status status;
    const char *where;
    long line;
    const char *message;
} errors[] = {
    /* the training file */
    {CODEBOOK, AT("data/train-empty.jsonl"), same, STANCE_ERR_DATA, "@", 0, "no labeled passages"},
    {CODEBOOK, AT("/dev/null"), same, STANCE_ERR_DATA, "@", 0, "no labeled passages"},
    {CODEBOOK, AT("data/train-unknown-value.jsonl"), same, STANCE_ERR_DATA, "@", 4,
     "unknown value \"kosovoo\""},
    {CODEBOOK, AT("data/train-no-text.jsonl"), same, STANCE_ERR_DATA, "@", 3, "no \"text\""},
    {CODEBOOK, AT("data/bad-json.jsonl"), same, STANCE_ERR_DATA, "@", 2, "invalid JSON"},
    {CODEBOOK, AT("data/no-such-file.jsonl"), same, STANCE_ERR_IO, "@", 0, "No such file"},
    {CODEBOOK, AT("data"), same, STANCE_ERR_IO, "@", 0, "read failed: Is a directory"},
    /* "tone": [] (no value applies) needs an optional tone; this codebook's is not */
    {CODEBOOK, AT(OPTIONAL), same, STANCE_ERR_DATA, "@", 19, "[] for none needs \"optional\": true"},
    {OPT_CODEBOOK, WRITTEN("{" KOSOVO ", \"tone\": [\"conciliatory\", \"confrontational\"]}\n"), same,
     STANCE_ERR_DATA, "@", 1, "\"tone\" takes exactly one value, got 2"},
    {CODEBOOK, WRITTEN("{\"id\": \"a\", " KOSOVO "}\n{\"id\": \"a\", " KOSOVO "}\n"), same,
     STANCE_ERR_DATA, "@", 2, "duplicate id \"a\""},
    {CODEBOOK, WRITTEN("{\"id\": [1], " KOSOVO "}\n"), same, STANCE_ERR_DATA, "@", 1,
     "\"id\" is not a string or an integer"},
    {CODEBOOK, WRITTEN("{\"text\": \"a\\u0000b\", \"topics\": [\"kosovo\"]}\n"), same, STANCE_ERR_DATA,
     "@", 1, "\\u0000 is not allowed"},
    {CODEBOOK, WRITTEN("{" KOSOVO "}\n{\"text\": \"\0\"}\n"), same, STANCE_ERR_DATA, "@", 2, "NUL byte"},
    /* labels that leave nothing to learn: every unit has one class only, or none */
    {CODEBOOK, WRITTEN("{" KOSOVO ", \"tone\": \"conciliatory\"}\n"
                       "{" KOSOVO ", \"tone\": \"conciliatory\"}\n"), same, STANCE_ERR_DATA, "@", 0,
     "nothing to train"},
    {CODEBOOK, WRITTEN("{\"text\": \"unlabeled\"}\n"), same, STANCE_ERR_DATA, "@", 0, "nothing to train"},
    /* no features */
    {CODEBOOK, WRITTEN("{\"text\": \"The and of.\", \"topics\": [\"kosovo\"]}\n"
                       "{\"text\": \"It is.\", \"topics\": []}\n"), min_df_1, STANCE_ERR_DATA, "@", 0,
     "the passages have no stems"},
    {CODEBOOK, AT(SMALL), high_min_df, STANCE_ERR_DATA, "@", 0, "lower --min-df"},
    /* options refused before the training file is read */
    {CODEBOOK, AT(SMALL), one_fold, STANCE_ERR_USAGE, NULL, 0, "folds must be 0"},
    {CODEBOOK, AT(SMALL), negative_folds, STANCE_ERR_USAGE, NULL, 0, "not -3"},
    {CODEBOOK, AT("data/no-such-file.jsonl"), one_fold, STANCE_ERR_USAGE, NULL, 0, "folds"},
    {CODEBOOK, AT(SMALL), nb_rbf, STANCE_ERR_USAGE, NULL, 0, "NB weighting needs the linear kernel, not rbf"},
    {CODEBOOK, AT(SMALL), klingon, STANCE_ERR_USAGE, NULL, 0, "unknown stemmer language 'klingon'"},
    {CODEBOOK, AT(SMALL), missing_stopwords, STANCE_ERR_IO, "data/no-such-stopwords.txt", 0, "No such file"},
    {CODEBOOK, AT(SMALL), zero_c, STANCE_ERR_USAGE, NULL, 0, "C must be a positive finite number, not 0"},
    {CODEBOOK, AT(SMALL), negative_c, STANCE_ERR_USAGE, NULL, 0, "not -1"},
    {CODEBOOK, AT(SMALL), nan_c, STANCE_ERR_USAGE, NULL, 0, "not nan"},
    {CODEBOOK, AT("data/no-such-file.jsonl"), infinite_c, STANCE_ERR_USAGE, NULL, 0, "not inf"},
    {CODEBOOK, AT(SMALL), negative_in_grid, STANCE_ERR_USAGE, NULL, 0, "not -0.5"},
    {CODEBOOK, AT(SMALL), nan_in_grid, STANCE_ERR_USAGE, NULL, 0, "not nan"}, /* the first */
    {CODEBOOK, AT(SMALL), empty_grid, STANCE_ERR_USAGE, NULL, 0, "the C grid is empty"},
    /* liblinear has no kernels */
    {CODEBOOK, AT(SMALL), liblinear_rbf, STANCE_ERR_USAGE, NULL, 0, "liblinear trains linear models only"},
};

/* The path of the training file of error case i: its own, or one written in dir. */
static const char *error_file(int i, char *path, size_t size)
{
    if (errors[i].path)
        return errors[i].path;
    snprintf(path, size, "%s/case-%d.jsonl", dir, i);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(errors[i].content, 1, errors[i].size, f), errors[i].size);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

START_TEST(test_train_errors)
{
    const stance_codebook *book = strcmp(errors[_i].codebook, CODEBOOK) == 0 ? cb : opt_cb;
    char buf[128];
    const char *path = error_file(_i, buf, sizeof buf);
    stance_train_options opt;
    base_options(&opt);
    errors[_i].options(&opt);
    stance_model *m = (stance_model *)&m; /* not NULL: must be reset */
    stance_error err;
    stance_error_clear(&err);
    stance_status st = stance_train_run(book, path, &opt, &m, &err);
    ck_assert_msg(st == errors[_i].status, "status %d: %s", st, err.message);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.status, errors[_i].status);
    const char *where = errors[_i].where && strcmp(errors[_i].where, "@") == 0 ? path : errors[_i].where;
    if (where)
        ck_assert_str_eq(err.where, where);
    else
        ck_assert_msg(err.where[0] == '\0', "where: %s", err.where);
    if (errors[_i].line >= 0)
        ck_assert_int_eq(err.line, errors[_i].line);
    ck_assert_msg(strstr(err.message, errors[_i].message) != NULL, "%s", err.message);
}
END_TEST

Suite *train_suite(void)
{
    Suite *s = suite_create("train");
    TCase *names = tcase_create("names");
    tcase_add_loop_test(names, test_threshold_rule_names, 0, (int)(sizeof rules / sizeof rules[0]));
    tcase_add_test(names, test_threshold_rule_unknown);
    tcase_add_test(names, test_options_default);
    suite_add_tcase(s, names);
    TCase *tc = tcase_create("train");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_train, 0, (int)(sizeof trains / sizeof trains[0]));
    tcase_add_test(tc, test_threads_same);
    tcase_add_test(tc, test_one_thread_same);
    tcase_add_test(tc, test_min_df_by_size);
    tcase_add_loop_test(tc, test_train_errors, 0, (int)(sizeof errors / sizeof errors[0]));
    suite_add_tcase(s, tc);
    return s;
}
