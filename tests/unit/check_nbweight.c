/* check_nbweight.c: NB log-count ratios worked out by hand (nbweight_int.h), training on scaled
 * features with the scale folded back (classifier_int.h stance_classifier_train_scaled), and
 * stance_train_run with nb_weight: the manifest entry, the kernel refusal, and ratios taken
 * from the training folds alone in cross-validation. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../pipeline/classifier_int.h"
#include "../../pipeline/engine_int.h"
#include "../../pipeline/model_int.h"
#include "../../pipeline/nbweight_int.h"
#include "../../pipeline/vector_int.h"
#include "stance/engine.h"
#include "stance/model.h"
#include "stance/train.h"
#include "suites.h"

/* Five examples over 3 features (feature 4 lies beyond them and is ignored); x̂ counts
 * presence, so a value of 0 or below is absent. */
#define NF 3
#define NROWS 5
static const struct {
    int y;
    size_t count;
    int index[3];
    double value[3];
} rows_data[NROWS] = {
    {1, 2, {1, 2}, {0.5, 0.8}},
    {1, 1, {1}, {1.0}},
    {-1, 2, {2, 3}, {0.3, 0.7}},
    {-1, 2, {3, 4}, {0.2, 0.9}},
    {1, 2, {1, 2}, {0.0, -0.4}},
};

static void make_rows(stance_vector *vecs, signed char *y)
{
    stance_error err;
    for (size_t i = 0; i < NROWS; i++) {
        stance_vector_init(&vecs[i]);
        for (size_t k = 0; k < rows_data[i].count; k++)
            ck_assert_int_eq(stance_vector_push(&vecs[i], rows_data[i].index[k], rows_data[i].value[k], &err),
                             STANCE_OK);
        y[i] = (signed char)rows_data[i].y;
    }
}

static void clear_rows(stance_vector *vecs)
{
    for (size_t i = 0; i < NROWS; i++)
        stance_vector_clear(&vecs[i]);
}

/* p = alpha + presence counts over the positives, q over the negatives,
 * r_j = ln((p_j / |p|) / (q_j / |q|)). */
static const struct {
    const char *name;
    size_t n;
    size_t idx[NROWS];
    double alpha;
    double r[NF];
} ratio_cases[] = {
    /* p = 1 + [2,1,0] = [3,2,1], q = 1 + [0,1,2] = [1,2,3]; both sum to 6. */
    {"rows 0-3", 4, {0, 1, 2, 3}, 1, {1.0986122886681098, 0, -1.0986122886681098}},
    /* p = 1 + [1,1,0] = [2,2,1], q = 1 + [0,1,1] = [1,2,2]; both sum to 5. */
    {"rows 0 and 2", 2, {0, 2}, 1, {0.6931471805599453, 0, -0.6931471805599453}},
    /* p = .5 + [2,1,0] = [2.5,1.5,.5], q = [.5,1.5,2.5]: r = [ln 5, 0, -ln 5]. */
    {"alpha 0.5", 4, {0, 1, 2, 3}, 0.5, {1.6094379124341003, 0, -1.6094379124341003}},
    /* p = [3,2,1] (sum 6), q = 1 + [0,1,1] = [1,2,2] (sum 5):
     * r = [ln((3/6)/(1/5)), ln((2/6)/(2/5)), ln((1/6)/(2/5))] = [ln 2.5, ln 5/6, ln 5/12]. */
    {"unequal sums", 3, {0, 1, 2}, 1, {0.9162907318741551, -0.1823215567939546, -0.8754687373538999}},
    /* Row 4's values are 0 and negative: p = [1,1,1] (sum 3); q = [1,2,2] (sum 5):
     * r = [ln 5/3, ln 5/6, ln 5/6]. */
    {"absent values", 2, {4, 2}, 1, {0.5108256237659907, -0.1823215567939546, -0.1823215567939546}},
};

START_TEST(test_ratios)
{
    stance_vector vecs[NROWS];
    signed char y[NROWS], ys[NROWS];
    make_rows(vecs, y);
    for (size_t k = 0; k < ratio_cases[_i].n; k++)
        ys[k] = y[ratio_cases[_i].idx[k]];
    double r[NF];
    stance_error err;
    ck_assert_int_eq(stance_nbweight_ratios(vecs, ratio_cases[_i].idx, ys, ratio_cases[_i].n, NF,
                                            ratio_cases[_i].alpha, r, &err), STANCE_OK);
    for (int j = 0; j < NF; j++)
        ck_assert_msg(fabs(r[j] - ratio_cases[_i].r[j]) < 1e-12, "%s: r[%d] = %.17g",
                      ratio_cases[_i].name, j, r[j]);
    clear_rows(vecs);
}
END_TEST

static const struct {
    double alpha;
    int nfeatures;
} bad_ratio_cases[] = {{0, NF}, {-1, NF}, {NAN, NF}, {1, 0}};

/* Feature 3 masked out: |p| and |q| over features 1-2 alone, r_3 = 0. Rows 0-3: p = [3,2],
 * q = [1,2], sums 5 and 3: r = [ln((3/5)/(1/3)), ln((2/5)/(2/3))] = [ln 1.8, ln 0.6]. */
START_TEST(test_ratios_masked)
{
    stance_vector vecs[NROWS];
    signed char y[NROWS], ys[4];
    make_rows(vecs, y);
    size_t idx[4] = {0, 1, 2, 3};
    for (size_t k = 0; k < 4; k++)
        ys[k] = y[idx[k]];
    const double keep[NF] = {1, 1, 0}, want[NF] = {0.5877866649021191, -0.5108256237659907, 0};
    double r[NF];
    stance_error err;
    ck_assert_int_eq(stance_nbweight_ratios_masked(vecs, idx, ys, 4, NF, 1, keep, r, &err), STANCE_OK);
    for (int j = 0; j < NF; j++)
        ck_assert_double_eq_tol(r[j], want[j], 1e-12);
    clear_rows(vecs);
}
END_TEST

START_TEST(test_ratios_bad)
{
    stance_vector vecs[NROWS];
    signed char y[NROWS];
    make_rows(vecs, y);
    size_t idx[] = {0, 2};
    double r[NF];
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_nbweight_ratios(vecs, idx, y, 2, bad_ratio_cases[_i].nfeatures,
                                            bad_ratio_cases[_i].alpha, r, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "alpha"));
    clear_rows(vecs);
}
END_TEST

/* Training on x∘r with r folded back, both engines and several interpolations: the decision on
 * x equals that of a plain classifier trained on explicitly scaled vectors (weights w, bias b),
 * with weights ((1 - beta) m + beta w_j) r_j, m = mean |w_j|. */
static const struct {
    stance_engine engine;
    double beta;
} fold_cases[] = {
    {STANCE_ENGINE_LIBLINEAR, 1},    {STANCE_ENGINE_LIBLINEAR, 0.25},
    {STANCE_ENGINE_LIBLINEAR, 0},    {STANCE_ENGINE_LIBSVM, 1},
    {STANCE_ENGINE_LIBSVM, 0.25},
};

START_TEST(test_scaled_fold)
{
    stance_vector vecs[NROWS], scaled[NROWS], unit;
    signed char y[NROWS];
    size_t idx[] = {0, 1, 2, 3};
    const size_t n = 4;
    make_rows(vecs, y);
    stance_error err;
    double r[NF];
    ck_assert_int_eq(stance_nbweight_ratios(vecs, idx, y, n, NF, 1, r, &err), STANCE_OK);
    r[1] = 0.5; /* r[1] is 0 here, which would hide feature 2: use a made-up scale */
    for (size_t i = 0; i < NROWS; i++) {
        stance_vector_init(&scaled[i]);
        for (size_t k = 0; k < vecs[i].count; k++) {
            int j = vecs[i].items[k].index;
            double s = j <= NF ? r[j - 1] : 1;
            ck_assert_int_eq(stance_vector_push(&scaled[i], j, vecs[i].items[k].value * s, &err), STANCE_OK);
        }
    }
    stance_svm_options opt;
    stance_svm_options_default(&opt);
    opt.engine = fold_cases[_i].engine;
    stance_rows *rows, *srows;
    ck_assert_int_eq(stance_rows_new(vecs, NROWS, NF, opt.engine, &rows, &err), STANCE_OK);
    ck_assert_int_eq(stance_rows_new(scaled, NROWS, NF, opt.engine, &srows, &err), STANCE_OK);
    stance_classifier *folded, *plain;
    double beta = fold_cases[_i].beta;
    ck_assert_int_eq(stance_classifier_train_scaled(rows, idx, y, n, &opt, 1, r, beta, &folded, &err), STANCE_OK);
    ck_assert_int_eq(stance_classifier_train(srows, idx, y, n, &opt, 1, &plain, &err), STANCE_OK);
    ck_assert(stance_classifier_is_linear(folded));
    /* The plain classifier's bias and weights, read off through unit vectors. */
    stance_vector_init(&unit);
    double b = stance_classifier_decision(plain, &unit), w[NF], m = 0;
    for (int j = 0; j < NF; j++) {
        unit.count = 0;
        ck_assert_int_eq(stance_vector_push(&unit, j + 1, 1.0, &err), STANCE_OK);
        w[j] = stance_classifier_decision(plain, &unit) - b;
        m += fabs(w[j]) / NF;
    }
    for (size_t i = 0; i < NROWS; i++) {
        double want = b;
        for (size_t k = 0; k < vecs[i].count; k++) {
            int j = vecs[i].items[k].index;
            if (j <= NF)
                want += ((1 - beta) * m + beta * w[j - 1]) * r[j - 1] * vecs[i].items[k].value;
        }
        double got = stance_classifier_decision(folded, &vecs[i]);
        ck_assert_msg(fabs(got - want) < 1e-9, "%s beta %g row %zu: %.17g, want %.17g",
                      stance_engine_name(opt.engine), beta, i, got, want);
        ck_assert_double_eq_tol(stance_classifier_decision_row(folded, rows, i), got, 1e-12);
    }
    stance_vector_clear(&unit);
    stance_classifier_free(folded);
    stance_classifier_free(plain);
    stance_rows_free(rows);
    stance_rows_free(srows);
    clear_rows(vecs);
    clear_rows(scaled);
}
END_TEST

START_TEST(test_scaled_refuses_kernels)
{
    stance_vector vecs[NROWS];
    signed char y[NROWS];
    size_t idx[] = {0, 1, 2, 3};
    make_rows(vecs, y);
    stance_error err;
    stance_rows *rows;
    ck_assert_int_eq(stance_rows_new(vecs, NROWS, NF, STANCE_ENGINE_LIBSVM, &rows, &err), STANCE_OK);
    stance_svm_options opt;
    stance_svm_options_default(&opt);
    opt.kernel = _i ? STANCE_KERNEL_POLY : STANCE_KERNEL_RBF;
    double r[NF] = {1, 1, 1};
    stance_classifier *cl = (stance_classifier *)&opt; /* must be reset to NULL */
    ck_assert_int_eq(stance_classifier_train_scaled(rows, idx, y, 4, &opt, 1, r, 1, &cl, &err),
                     STANCE_ERR_USAGE);
    ck_assert_ptr_null(cl);
    ck_assert_ptr_nonnull(strstr(err.message, "linear kernel"));
    stance_rows_free(rows);
    clear_rows(vecs);
}
END_TEST

/* ---- stance_train_run with nb_weight ---- */

#define CODEBOOK "data/codebook-project.json"

/* Removes the files of dir, then dir (a bundle is flat). */
static void rm_flat(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Trains on path with nb_weight (and min_df 1), saves and reloads the bundle; the caller frees
 * the loaded model. */
static stance_model *train_nb(const char *path, double beta)
{
    stance_error err;
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_load(CODEBOOK, &cb, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.nb_weight = 1;
    opt.nb_beta = beta;
    opt.vocab.min_df = 1;
    opt.folds = 5; /* test_train_no_leak: folds of two passages of each tone */
    stance_model *m, *loaded;
    stance_status st = stance_train_run(cb, path, &opt, &m, &err);
    ck_assert_msg(st == STANCE_OK, "training: %s", err.message);
    char dir[64], bundle[96];
    snprintf(dir, sizeof dir, "/tmp/stance-check-nbweight-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(bundle, sizeof bundle, "%s/model", dir);
    ck_assert_int_eq(stance_model_save(m, bundle, &err), STANCE_OK);
    st = stance_model_load(bundle, &loaded, &err);
    ck_assert_msg(st == STANCE_OK, "loading: %s", err.message);
    rm_flat(bundle);
    rmdir(dir);
    stance_model_free(m);
    stance_codebook_free(cb);
    return loaded;
}

/* The unit of the tone dimension in the manifest. */
static const json_t *tone_unit(const stance_model *m)
{
    size_t i;
    const json_t *u;
    json_array_foreach(json_object_get(stance_model_manifest(m), "units"), i, u)
        if (strcmp(json_string_value(json_object_get(u, "dimension")), "tone") == 0)
            return u;
    return NULL;
}

START_TEST(test_train_manifest)
{
    stance_model *m = train_nb("data/train-small.jsonl", 0.5);
    const json_t *nb = json_object_get(json_object_get(stance_model_manifest(m), "training"), "nb_weight");
    ck_assert(json_is_object(nb));
    ck_assert_double_eq(json_number_value(json_object_get(nb, "alpha")), STANCE_NB_ALPHA);
    ck_assert_double_eq(json_number_value(json_object_get(nb, "beta")), 0.5);
    ck_assert_int_eq(json_boolean_value(json_object_get(tone_unit(m), "trained")), 1);
    stance_model_free(m);
}
END_TEST

/* Every passage of data/nb-unique.jsonl is one word of its own plus "report", and tone
 * alternates: nothing generalises. With ratios from the training folds only, each held-out
 * word has the same ratio (p_j = q_j = alpha), every passage of a fold gets the same decision
 * value, and the folds (two of each tone) score exactly 0.5. Ratios that saw the held-out
 * passages would separate them and score 1. */
START_TEST(test_train_no_leak)
{
    stance_model *m = train_nb("data/nb-unique.jsonl", STANCE_NB_BETA);
    const json_t *cv = json_object_get(tone_unit(m), "cv");
    ck_assert_int_eq(json_integer_value(json_object_get(cv, "folds")), 5);
    ck_assert_double_eq_tol(json_number_value(json_object_get(cv, "accuracy")), 0.5, 1e-12);
    stance_model_free(m);
}
END_TEST

START_TEST(test_train_refuses_kernels)
{
    stance_error err;
    stance_codebook *cb;
    ck_assert_int_eq(stance_codebook_load(CODEBOOK, &cb, &err), STANCE_OK);
    stance_train_options opt;
    stance_train_options_default(&opt);
    opt.nb_weight = 1;
    opt.svm.kernel = STANCE_KERNEL_RBF;
    stance_model *m = (stance_model *)cb; /* must be reset to NULL */
    ck_assert_int_eq(stance_train_run(cb, "data/no-such-file.jsonl", &opt, &m, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err.message, "linear kernel"));
    stance_codebook_free(cb);
}
END_TEST

static void silence(void)
{
    stance_engine_silence();
}

Suite *nbweight_suite(void)
{
    Suite *s = suite_create("nbweight");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, silence, NULL);
    tcase_add_loop_test(tc, test_ratios, 0, (int)(sizeof ratio_cases / sizeof ratio_cases[0]));
    tcase_add_test(tc, test_ratios_masked);
    tcase_add_loop_test(tc, test_ratios_bad, 0, (int)(sizeof bad_ratio_cases / sizeof bad_ratio_cases[0]));
    tcase_add_loop_test(tc, test_scaled_fold, 0, (int)(sizeof fold_cases / sizeof fold_cases[0]));
    tcase_add_loop_test(tc, test_scaled_refuses_kernels, 0, 2);
    tcase_add_test(tc, test_train_manifest);
    tcase_add_test(tc, test_train_no_leak);
    tcase_add_test(tc, test_train_refuses_kernels);
    suite_add_tcase(s, tc);
    return s;
}
