/* check_classifier.c: training with liblinear and libsvm on tiny problems, decision values, the
 * linear model file (round trip and every load error). */
#include <errno.h>
#include <libsvm/svm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../pipeline/classifier_int.h"
#include "../../pipeline/engine_int.h"
#include "../../pipeline/vector_int.h"
#include "stance/engine.h"
#include "suites.h"

/* A linearly separable problem over 3 features: positives lean on feature 1, negatives on
 * feature 2; feature 3 is noise. */
#define NF 3
#define NROWS 6
static const struct {
    int y;
    size_t count;
    int index[NF];
    double value[NF];
} rows_data[NROWS] = {
    {1, 1, {1}, {1.0}},
    {1, 2, {1, 3}, {0.8, 0.2}},
    {1, 2, {1, 2}, {0.9, 0.1}},
    {-1, 1, {2}, {1.0}},
    {-1, 2, {2, 3}, {0.7, 0.3}},
    {-1, 2, {1, 2}, {0.1, 0.9}},
};

/* XOR in two features, which no linear classifier separates: (1,0) and (0,1) positive,
 * (1,1) and (0,0) (the empty vector) negative. */
#define NXOR 4
static const struct {
    int y;
    size_t count;
    int index[2];
    double value[2];
} xor_data[NXOR] = {
    {1, 1, {1}, {1}},
    {1, 1, {2}, {1}},
    {-1, 2, {1, 2}, {1, 1}},
    {-1, 0, {0}, {0}},
};

static void make_vector(stance_vector *v, size_t count, const int *index, const double *value)
{
    stance_error err;
    stance_vector_init(v);
    for (size_t k = 0; k < count; k++)
        ck_assert_int_eq(stance_vector_push(v, index[k], value[k], &err), STANCE_OK);
}

/* A tiny training problem: vectors, labels, the identity index list. */
typedef struct {
    stance_vector vecs[NROWS];
    signed char y[NROWS];
    size_t idx[NROWS];
    size_t n;
    int nfeatures;
} problem;

static void separable(problem *p)
{
    p->n = NROWS;
    p->nfeatures = NF;
    for (size_t i = 0; i < NROWS; i++) {
        make_vector(&p->vecs[i], rows_data[i].count, rows_data[i].index, rows_data[i].value);
        p->y[i] = (signed char)rows_data[i].y;
        p->idx[i] = i;
    }
}

static void xor_problem(problem *p)
{
    p->n = NXOR;
    p->nfeatures = 2;
    for (size_t i = 0; i < NXOR; i++) {
        make_vector(&p->vecs[i], xor_data[i].count, xor_data[i].index, xor_data[i].value);
        p->y[i] = (signed char)xor_data[i].y;
        p->idx[i] = i;
    }
}

static void problem_clear(problem *p)
{
    for (size_t i = 0; i < p->n; i++)
        stance_vector_clear(&p->vecs[i]);
}

/* Trains on p and checks every training row is classified right, and that the decision on
 * each vector equals the decision on its row. Returns the classifier (caller frees). */
static stance_classifier *train_and_check(const problem *p, stance_engine engine,
                                          stance_kernel kernel, double gamma, double c)
{
    stance_error err;
    stance_rows *rows;
    ck_assert_int_eq(stance_rows_new(p->vecs, p->n, p->nfeatures, engine, &rows, &err), STANCE_OK);
    stance_svm_options opt;
    stance_svm_options_default(&opt);
    opt.engine = engine;
    opt.kernel = kernel;
    opt.gamma = gamma;
    stance_classifier *cl = NULL;
    stance_status st = stance_classifier_train(rows, p->idx, p->y, p->n, &opt, c, &cl, &err);
    ck_assert_msg(st == STANCE_OK, "%s/%s: %s", stance_engine_name(engine), stance_kernel_name(kernel),
                  err.message);
    ck_assert_int_eq(stance_classifier_is_linear(cl), kernel == STANCE_KERNEL_LINEAR);
    for (size_t i = 0; i < p->n; i++) {
        double f = stance_classifier_decision(cl, &p->vecs[i]);
        double fr = stance_classifier_decision_row(cl, rows, i);
        ck_assert_msg(isfinite(f) && (f > 0) == (p->y[i] > 0), "%s/%s row %zu: f = %g",
                      stance_engine_name(engine), stance_kernel_name(kernel), i, f);
        ck_assert_double_eq_tol(f, fr, 1e-12);
    }
    stance_rows_free(rows); /* the classifier keeps what it needs */
    return cl;
}

/* Linear classifiers, both engines, a few costs. */
static const struct {
    stance_engine engine;
    double c;
} linear_cases[] = {
    {STANCE_ENGINE_LIBLINEAR, 1},
    {STANCE_ENGINE_LIBLINEAR, 10},
    {STANCE_ENGINE_LIBSVM, 1},
    {STANCE_ENGINE_LIBSVM, 10},
};

START_TEST(test_linear_separable)
{
    problem p;
    separable(&p);
    stance_classifier *cl = train_and_check(&p, linear_cases[_i].engine, STANCE_KERNEL_LINEAR, 0,
                                            linear_cases[_i].c);
    /* Unseen points: feature 1 alone is positive, feature 2 alone negative; features beyond
     * the vocabulary are ignored. */
    stance_vector v;
    make_vector(&v, 2, (int[]){1, 9}, (double[]){0.5, 100});
    ck_assert_double_gt(stance_classifier_decision(cl, &v), 0);
    stance_vector_clear(&v);
    make_vector(&v, 1, (int[]){2}, (double[]){0.5});
    ck_assert_double_lt(stance_classifier_decision(cl, &v), 0);
    stance_vector_clear(&v);
    stance_classifier_free(cl);
    problem_clear(&p);
}
END_TEST

/* libsvm with the rbf kernel learns XOR; a linear classifier cannot. */
START_TEST(test_rbf_xor)
{
    problem p;
    xor_problem(&p);
    stance_classifier *cl = train_and_check(&p, STANCE_ENGINE_LIBSVM, STANCE_KERNEL_RBF, 2, 100);
    stance_classifier_free(cl);
    /* gamma 0 stands for 1 / features (0.5 here); a larger C still fits the four points. */
    cl = train_and_check(&p, STANCE_ENGINE_LIBSVM, STANCE_KERNEL_RBF, 0, 1000);
    stance_classifier_free(cl);
    problem_clear(&p);
}
END_TEST

/* A kernel model given a vector with more features than its 64-node stack buffer holds
 * (the heap path) decides as for the short vector. */
START_TEST(test_rbf_long_vector)
{
    problem p;
    separable(&p);
    stance_classifier *cl = train_and_check(&p, STANCE_ENGINE_LIBSVM, STANCE_KERNEL_RBF, 1, 10);
    stance_vector v;
    stance_vector_init(&v);
    stance_error err;
    for (int i = 1; i <= 100; i++) /* more than fits the 64-node stack buffer */
        ck_assert_int_eq(stance_vector_push(&v, i, i == 1 ? 1.0 : 0.0, &err), STANCE_OK);
    ck_assert_double_gt(stance_classifier_decision(cl, &v), 0);
    stance_vector_clear(&v);
    stance_classifier_free(cl);
    problem_clear(&p);
}
END_TEST

START_TEST(test_liblinear_refuses_kernels)
{
    problem p;
    separable(&p);
    stance_error err;
    stance_rows *rows;
    ck_assert_int_eq(stance_rows_new(p.vecs, p.n, NF, STANCE_ENGINE_LIBLINEAR, &rows, &err), STANCE_OK);
    stance_svm_options opt;
    stance_svm_options_default(&opt);
    opt.engine = STANCE_ENGINE_LIBLINEAR;
    const stance_kernel kernels[] = {STANCE_KERNEL_RBF, STANCE_KERNEL_POLY};
    for (size_t k = 0; k < 2; k++) {
        opt.kernel = kernels[k];
        stance_classifier *cl = (stance_classifier *)&opt; /* must be reset to NULL */
        stance_error_clear(&err);
        ck_assert_int_eq(stance_classifier_train(rows, p.idx, p.y, p.n, &opt, 1, &cl, &err),
                         STANCE_ERR_USAGE);
        ck_assert_ptr_null(cl);
        ck_assert_int_eq(err.status, STANCE_ERR_USAGE);
        ck_assert_ptr_nonnull(strstr(err.message, stance_kernel_name(kernels[k])));
    }
    stance_rows_free(rows);
    problem_clear(&p);
}
END_TEST

/* A bad parameter (C <= 0) comes back from the engine's own check as a usage error. */
START_TEST(test_bad_cost)
{
    problem p;
    separable(&p);
    const stance_engine engines[] = {STANCE_ENGINE_LIBLINEAR, STANCE_ENGINE_LIBSVM};
    for (size_t e = 0; e < 2; e++) {
        stance_error err;
        stance_rows *rows;
        ck_assert_int_eq(stance_rows_new(p.vecs, p.n, NF, engines[e], &rows, &err), STANCE_OK);
        stance_svm_options opt;
        stance_svm_options_default(&opt);
        stance_classifier *cl;
        ck_assert_int_eq(stance_classifier_train(rows, p.idx, p.y, p.n, &opt, 0, &cl, &err),
                         STANCE_ERR_USAGE);
        ck_assert_ptr_null(cl);
        stance_rows_free(rows);
    }
    problem_clear(&p);
}
END_TEST

/* A directory of its own under /tmp for model files; removed by rm_tmpdir. */
static void make_tmpdir(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/stance-check-engine-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_tmpdir(const char *dir, const char *const *files, size_t n)
{
    char path[256];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    ck_assert_int_eq(rmdir(dir), 0);
}

/* Saving and loading gives the same decisions, for each engine and kernel. */
static const struct {
    stance_engine engine;
    stance_kernel kernel;
    double gamma;
} save_cases[] = {
    {STANCE_ENGINE_LIBLINEAR, STANCE_KERNEL_LINEAR, 0},
    {STANCE_ENGINE_LIBSVM, STANCE_KERNEL_LINEAR, 0},
    {STANCE_ENGINE_LIBSVM, STANCE_KERNEL_RBF, 1},
    {STANCE_ENGINE_LIBSVM, STANCE_KERNEL_POLY, 1},
};

START_TEST(test_save_load)
{
    problem p;
    separable(&p);
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/unit", dir);
    stance_classifier *cl = train_and_check(&p, save_cases[_i].engine, save_cases[_i].kernel,
                                            save_cases[_i].gamma, 10);
    int linear = stance_classifier_is_linear(cl);
    stance_error err;
    ck_assert_int_eq(stance_classifier_save(cl, path, &err), STANCE_OK);
    stance_classifier *back;
    ck_assert_int_eq(stance_classifier_load(path, linear, NF, &back, &err), STANCE_OK);
    ck_assert_int_eq(stance_classifier_is_linear(back), linear);
    stance_vector extra;
    make_vector(&extra, 3, (int[]){1, 2, 3}, (double[]){0.3, 0.6, 0.2});
    for (size_t i = 0; i <= p.n; i++) {
        const stance_vector *v = i < p.n ? &p.vecs[i] : &extra;
        ck_assert_double_eq_tol(stance_classifier_decision(back, v), stance_classifier_decision(cl, v), 1e-6);
    }
    if (linear) { /* the file is the documented text format */
        FILE *f = fopen(path, "r");
        char line[64];
        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        ck_assert_str_eq(line, "stance-linear 1\n");
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        ck_assert_str_eq(line, "features 3\n");
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        ck_assert(strncmp(line, "bias ", 5) == 0);
        fclose(f);
    }
    stance_vector_clear(&extra);
    stance_classifier_free(back);
    stance_classifier_free(cl);
    rm_tmpdir(dir, (const char *const[]){"unit"}, 1);
    problem_clear(&p);
}
END_TEST

/* Malformed linear model files (loaded with 3 features). */
static const struct {
    const char *name;
    const char *text;
    long line;
    const char *message; /* a substring */
} bad_files[] = {
    {"wrong header", "stance-linear 2\nfeatures 3\nbias 0\n", 1, "not a stance linear model"},
    {"other format", "svm_type c_svc\nfeatures 3\nbias 0\n", 1, "not a stance linear model"},
    {"wrong feature count", "stance-linear 1\nfeatures 4\nbias 0\n", 2, "\"features 3\""},
    {"feature count not a number", "stance-linear 1\nfeatures three\nbias 0\n", 2, "\"features 3\""},
    {"bad bias", "stance-linear 1\nfeatures 3\nbias x\n", 3, "bias <number>"},
    {"infinite bias", "stance-linear 1\nfeatures 3\nbias inf\n", 3, "bias <number>"},
    {"non-increasing index", "stance-linear 1\nfeatures 3\nbias 0\n2 0.5\n2 0.25\n", 5, "increasing"},
    {"decreasing index", "stance-linear 1\nfeatures 3\nbias 0\n3 0.5\n1 0.25\n", 5, "increasing"},
    {"index 0", "stance-linear 1\nfeatures 3\nbias 0\n0 0.5\n", 4, "increasing"},
    {"index above features", "stance-linear 1\nfeatures 3\nbias 0\n4 0.5\n", 4, "from 1 to 3"},
    {"bad weight", "stance-linear 1\nfeatures 3\nbias 0\n1 0.5x\n", 4, "bad weight"},
    {"missing weight", "stance-linear 1\nfeatures 3\nbias 0\n1 \n", 4, "bad weight"},
    {"no separator", "stance-linear 1\nfeatures 3\nbias 0\n1\n", 4, "increasing"},
    {"nan weight", "stance-linear 1\nfeatures 3\nbias 0\n1 nan\n", 4, "bad weight"},
    {"truncated", "stance-linear 1\nfeatures 3\n", 3, "ends early"},
    {"empty", "", 1, "ends early"},
};

START_TEST(test_load_errors)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.txt", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(bad_files[_i].text, f);
    ck_assert_int_eq(fclose(f), 0);
    stance_error err;
    stance_error_clear(&err);
    stance_classifier *cl = (stance_classifier *)&err; /* must be reset to NULL */
    ck_assert_int_eq(stance_classifier_load(path, 1, NF, &cl, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(cl);
    ck_assert_str_eq(err.where, path);
    ck_assert_msg(err.line == bad_files[_i].line, "%s: line %ld", bad_files[_i].name, err.line);
    ck_assert_msg(strstr(err.message, bad_files[_i].message) != NULL, "%s: %s", bad_files[_i].name,
                  err.message);
    rm_tmpdir(dir, (const char *const[]){"bad.txt"}, 1);
}
END_TEST

/* A well-formed file with only some weights reads back exactly. */
START_TEST(test_load_sparse_file)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/good.txt", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("stance-linear 1\nfeatures 3\nbias -0.25\n1 2\n3 -0.5\n", f);
    ck_assert_int_eq(fclose(f), 0);
    stance_error err;
    stance_classifier *cl;
    ck_assert_int_eq(stance_classifier_load(path, 1, NF, &cl, &err), STANCE_OK);
    stance_vector v;
    make_vector(&v, 3, (int[]){1, 2, 3}, (double[]){1, 7, 2});
    /* -0.25 + 2 * 1 + 0 * 7 - 0.5 * 2 = 0.75 */
    ck_assert_double_eq_tol(stance_classifier_decision(cl, &v), 0.75, 1e-15);
    stance_vector_clear(&v);
    stance_vector_init(&v);
    ck_assert_double_eq(stance_classifier_decision(cl, &v), -0.25);
    stance_classifier_free(cl);
    rm_tmpdir(dir, (const char *const[]){"good.txt"}, 1);
}
END_TEST

/* Weight texts parsed from memory as strtod reads them: the common forms (the quick path),
 * and the forms only strtod takes or refuses; ok = 0 for "bad weight". */
static const struct {
    const char *text;
    int ok;
} weights[] = {
    {"0.5", 1}, {"-0.0123456789", 1}, {"1.23456789e-05", 1}, {"1e-05", 1}, {"12345.6789", 1},
    {"-0", 1}, {"7", 1}, {"0.000000000000000000001234", 1}, {"1E5", 1}, {"+3", 1}, {" 5", 1},
    {"1e+22", 1}, {"9e-23", 1}, {"123456789012345678", 1}, {"0.1000000000000000055511", 1},
    {"0x1p3", 1}, {"1.", 1}, {".5", 1}, {"-1.5e-300", 1}, {"1e-400", 0}, {"1e400", 0},
    {"1.5x", 0}, {"nan", 0}, {"inf", 0}, {"", 0}, {"--1", 0}, {"1e", 0},
};

START_TEST(test_linear_parse_weights)
{
    char text[160];
    size_t len = (size_t)snprintf(text, sizeof text, "stance-linear 1\nfeatures 3\nbias 0.25\n2 %s\n",
                                  weights[_i].text);
    double w[6] = {0}, bias = 0;
    stance_error err;
    stance_status st = stance_linear_parse(text, len, "w.txt", 3, w, 2, &bias, &err);
    ck_assert_msg(st == (weights[_i].ok ? STANCE_OK : STANCE_ERR_DATA), "%s: %s", weights[_i].text, err.message);
    if (st != STANCE_OK) {
        ck_assert_str_eq(err.message, "bad weight");
        ck_assert_int_eq(err.line, 4);
        return;
    }
    ck_assert(bias == 0.25);
    ck_assert(w[0] == 0 && w[1] == 0 && w[3] == 0 && w[4] == 0); /* only feature 2, at w[2] */
    double want = strtod(weights[_i].text, NULL);
    ck_assert_msg(memcmp(&w[2], &want, sizeof want) == 0, "%s: %.17g, strtod %.17g", weights[_i].text,
                  w[2], want);
}
END_TEST

/* A NUL byte ends a line's number, as it ended the string getline gave strtod. */
START_TEST(test_linear_parse_nul)
{
    static const char text[] = "stance-linear 1\nfeatures 3\nbias 0\n2 0.5\0junk\n3 1\n";
    double w[3] = {0}, bias;
    stance_error err;
    ck_assert_int_eq(stance_linear_parse(text, sizeof text - 1, "w.txt", 3, w, 1, &bias, &err), STANCE_OK);
    ck_assert(w[1] == 0.5 && w[2] == 1);
}
END_TEST

/* Every double printed as save prints it (%.9g), and with all its digits (%.17g), reads back as
 * strtod reads the same text, to the bit. */
START_TEST(test_linear_parse_exact)
{
    size_t nw = 20000, cap = nw * 40 + 64, len = 0;
    char *text = malloc(cap);
    double *w = calloc(nw, sizeof *w), bias;
    ck_assert(text && w);
    len += (size_t)snprintf(text, cap, "stance-linear 1\nfeatures %zu\nbias 0\n", nw);
    unsigned long x = 99;
    for (size_t i = 0; i < nw; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        double v = ((double)(x >> 11) / 9007199254740992.0 - 0.5) * pow(10, (int)(x % 13) - 8);
        len += (size_t)snprintf(text + len, cap - len, i % 2 ? "%zu %.17g\n" : "%zu %.9g\n", i + 1, v);
    }
    stance_error err;
    ck_assert_int_eq(stance_linear_parse(text, len, "w.txt", (int)nw, w, 1, &bias, &err), STANCE_OK);
    const char *line = strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n') + 1;
    for (size_t i = 0; i < nw; i++) {
        double want = strtod(strchr(line, ' ') + 1, NULL);
        ck_assert_msg(memcmp(&w[i], &want, sizeof want) == 0, "line %zu: %.17g, strtod %.17g",
                      i + 4, w[i], want);
        line = strchr(line, '\n') + 1;
    }
    free(text);
    free(w);
}
END_TEST

START_TEST(test_load_missing)
{
    stance_error err;
    stance_classifier *cl;
    ck_assert_int_eq(stance_classifier_load("data/no-such-model.txt", 1, NF, &cl, &err), STANCE_ERR_IO);
    ck_assert_ptr_null(cl);
    ck_assert_str_eq(err.where, "data/no-such-model.txt");
    ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
    /* A libsvm model that is not there is refused too. */
    ck_assert_int_ne(stance_classifier_load("data/no-such-model.svm", 0, NF, &cl, &err), STANCE_OK);
    ck_assert_ptr_null(cl);
    ck_assert_str_eq(err.where, "data/no-such-model.svm");
}
END_TEST

/* Malformed libsvm kernel models: refused before libsvm reads them (its loader trusts the
 * file: these made it read or write out of bounds, found by tests/fuzz/fuzz_model_unit). */
#define SVM_HEAD "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0.1\n"
#define SVM_TAIL "label 1 -1\nnr_sv 1 1\nSV\n1 1:0.5 2:0.7 \n-1 3:0.9 \n"
static const struct {
    const char *name;
    const char *text;
    long line;
    const char *message; /* a substring */
} bad_svm_files[] = {
    {"fuzz: rho before nr_class", "svm_type c_svc\nrho el_type poly9548\nlabel 1 -1\nnr_sv 2 2\n"
     "\nSV\n1 1:0.5 2:0.7 \n", 2, "out of order"},
    {"missing label", SVM_HEAD "nr_sv 1 1\nSV\n1 1:0.5 \n-1 3:0.9 \n", 7, "out of order"},
    {"missing nr_sv", SVM_HEAD "label 1 -1\nSV\n1 1:0.5 \n-1 3:0.9 \n", 8, "out of order"},
    {"fewer SVs than total_sv", SVM_HEAD "label 1 -1\nnr_sv 1 1\nSV\n1 1:0.5 2:0.7 \n", 11, "ends early"},
    {"more SVs than total_sv", SVM_HEAD SVM_TAIL "1 1:2 \n", 12, "more support vectors"},
    {"empty SV line", SVM_HEAD "label 1 -1\nnr_sv 1 1\nSV\n1 1:0.5 \n\n", 11, "malformed support vector"},
    {"SV index 0", SVM_HEAD "label 1 -1\nnr_sv 1 1\nSV\n1 0:0.5 \n-1 3:0.9 \n", 10, "malformed"},
    {"SV indices not increasing", SVM_HEAD "label 1 -1\nnr_sv 1 1\nSV\n1 2:0.5 2:1 \n-1 3:0.9 \n", 10, "malformed"},
    {"precomputed kernel", "svm_type c_svc\nkernel_type precomputed\nnr_class 2\ntotal_sv 1\nrho 0\n"
     "label 1 -1\nnr_sv 1 0\nSV\n1 0:1 \n", 2, "rbf or polynomial"},
    {"three classes", "svm_type c_svc\nkernel_type rbf\ngamma 1\nnr_class 3\n", 4, "two-class"},
    {"nu-SVC", "svm_type nu_svc\nkernel_type rbf\n", 1, "two-class"},
    {"nr_sv does not add up", SVM_HEAD "label 1 -1\nnr_sv 2 1\nSV\n1 1:0.5 \n-1 3:0.9 \n", 8, "inconsistent"},
    {"negative total_sv", "svm_type c_svc\nkernel_type rbf\ngamma 1\nnr_class 2\ntotal_sv -5\n", 5, "inconsistent"},
    {"same label twice", SVM_HEAD "label 1 1\nnr_sv 1 1\nSV\n1 1:0.5 \n-1 3:0.9 \n", 7, "inconsistent"},
    {"infinite rho", "svm_type c_svc\nkernel_type rbf\ngamma 1\nnr_class 2\ntotal_sv 1\nrho inf\n", 6, "two-class"},
    {"negative gamma", "svm_type c_svc\nkernel_type rbf\ngamma -0.5\n", 3, "gamma must be above 0"},
    {"zero gamma", "svm_type c_svc\nkernel_type rbf\ngamma 0\n", 3, "gamma must be above 0"},
    {"negative degree", "svm_type c_svc\nkernel_type polynomial\ndegree -2\n", 3, "degree at least 0"},
    {"header only", SVM_HEAD, 7, "ends early"},
    {"empty", "", 1, "ends early"},
};

START_TEST(test_load_bad_svm)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.svm", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(bad_svm_files[_i].text, f);
    ck_assert_int_eq(fclose(f), 0);
    stance_error err;
    stance_error_clear(&err);
    stance_classifier *cl = (stance_classifier *)&err; /* must be reset to NULL */
    ck_assert_int_eq(stance_classifier_load(path, 0, NF, &cl, &err), STANCE_ERR_DATA);
    ck_assert_ptr_null(cl);
    ck_assert_str_eq(err.where, path);
    ck_assert_msg(err.line == bad_svm_files[_i].line, "%s: line %ld", bad_svm_files[_i].name, err.line);
    ck_assert_msg(strstr(err.message, bad_svm_files[_i].message) != NULL, "%s: %s",
                  bad_svm_files[_i].name, err.message);
    rm_tmpdir(dir, (const char *const[]){"bad.svm"}, 1);
}
END_TEST

/* The shape svm_save_model writes, with the optional lines, loads. */
START_TEST(test_load_svm_file)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/good.svm", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("svm_type c_svc\nkernel_type polynomial\ndegree 2\ngamma 0.5\ncoef0 1\nnr_class 2\n"
          "total_sv 2\nrho 0.25\nlabel -1 1\nprobA -1\nprobB 0\nnr_sv 1 1\nSV\n"
          "-0.5 1:1 3:4.9406564584124654e-324 \n0.5 2:1\n", f);
    ck_assert_int_eq(fclose(f), 0);
    stance_error err;
    stance_classifier *cl;
    ck_assert_int_eq(stance_classifier_load(path, 0, NF, &cl, &err), STANCE_OK);
    ck_assert(!stance_classifier_is_linear(cl));
    stance_classifier_free(cl);
    rm_tmpdir(dir, (const char *const[]){"good.svm"}, 1);
}
END_TEST

/* Kernel unit files are parsed by stance, not by libsvm's svm_load_model: the model must be the
 * one libsvm reads, to the bit, so decisions are the same. */
static const char *const svm_texts[] = {
    "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 4\nrho 0.10782255232334137\n"
    "label 1 -1\nnr_sv 2 2\nSV\n1 1:0.5 2:0.7 \n1 2:0.6 5:0.3 \n-1 3:0.9 4:0.1 \n-1 3:0.4 4:0.8 \n",
    "svm_type c_svc\nkernel_type polynomial\ndegree 2\ngamma 0.5\ncoef0 1\nnr_class 2\n"
    "total_sv 3\nrho 0.25\nlabel -1 1\nprobA -1\nprobB 0\nnr_sv 2 1\nSV\n"
    "-0.5 1:1 3:4.9406564584124654e-324 \n-0.125 \n0.625 2:1 4:-3.5e-2 5:0.1234567890123456789",
};

START_TEST(test_parse_svm_as_libsvm)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/unit.svm", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(svm_texts[_i], f);
    ck_assert_int_eq(fclose(f), 0);
    struct svm_model *ref = svm_load_model(path);
    ck_assert_ptr_nonnull(ref);
    stance_error err;
    stance_classifier *cl;
    ck_assert_int_eq(stance_classifier_parse(svm_texts[_i], strlen(svm_texts[_i]), path, 0, 5, &cl, &err),
                     STANCE_OK);
    static const struct {
        size_t count;
        int index[3];
        double value[3];
    } xs[] = {{0, {0}, {0}}, {1, {1}, {1}}, {2, {2, 5}, {0.3, 0.9}}, {3, {1, 3, 4}, {0.2, 0.4, 0.6}}};
    for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
        stance_vector v;
        make_vector(&v, xs[k].count, xs[k].index, xs[k].value);
        struct svm_node nodes[4];
        for (size_t j = 0; j < xs[k].count; j++)
            nodes[j] = (struct svm_node){xs[k].index[j], xs[k].value[j]};
        nodes[xs[k].count] = (struct svm_node){-1, 0};
        double dec;
        svm_predict_values(ref, nodes, &dec);
        double want = ref->label[0] == 1 ? dec : -dec;
        double got = stance_classifier_decision(cl, &v);
        ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "vector %zu: %.17g, libsvm %.17g", k, got, want);
        stance_vector_clear(&v);
    }
    stance_classifier_free(cl);
    svm_free_and_destroy_model(&ref);
    rm_tmpdir(dir, (const char *const[]){"unit.svm"}, 1);
}
END_TEST

/* A model file that is not a regular file is refused at once, not waited on or read forever. */
START_TEST(test_load_not_regular)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/unit.txt", dir);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    const char *const paths[] = {path, "/dev/zero", "data"};
    for (size_t k = 0; k < 3; k++) {
        stance_error err;
        stance_classifier *cl = (stance_classifier *)&err;
        ck_assert_int_eq(stance_classifier_load(paths[k], k % 2, NF, &cl, &err), STANCE_ERR_DATA);
        ck_assert_ptr_null(cl);
        ck_assert_str_eq(err.where, paths[k]);
        ck_assert_str_eq(err.message, "not a regular file");
    }
    rm_tmpdir(dir, (const char *const[]){"unit.txt"}, 1);
}
END_TEST

/* stance computes kernel decision values itself (libsvm's svm_predict_values allocates
 * without checking): on models trained here, saved and loaded, the values are libsvm's exactly,
 * for the rbf and the polynomial kernel, on vectors that share some, all or none of the support
 * vectors' features. */
START_TEST(test_kernel_decision_is_libsvms)
{
    enum { N = 40, F = 12 };
    stance_vector vecs[N];
    signed char y[N];
    size_t idx[N];
    unsigned state = 12345;
    for (size_t i = 0; i < N; i++) {
        stance_vector_init(&vecs[i]);
        stance_error err;
        for (int j = 1; j <= F; j++) {
            state = state * 1103515245u + 12345u;
            if ((state >> 16) % 3 == 0) /* about a third of the features, each row its own */
                ck_assert_int_eq(stance_vector_push(&vecs[i], j, (double)((state >> 8) % 1000) / 997.0, &err),
                                 STANCE_OK);
        }
        y[i] = i % 2 ? 1 : -1;
        idx[i] = i;
    }
    const stance_kernel kernels[] = {STANCE_KERNEL_RBF, STANCE_KERNEL_POLY};
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/k.svm", dir);
    for (size_t k = 0; k < 2; k++) {
        stance_error err;
        stance_rows *rows;
        ck_assert_int_eq(stance_rows_new(vecs, N, F, STANCE_ENGINE_LIBSVM, &rows, &err), STANCE_OK);
        stance_svm_options opt;
        stance_svm_options_default(&opt);
        opt.kernel = kernels[k];
        opt.gamma = 0.7;
        opt.coef0 = 0.3;
        stance_classifier *cl, *loaded;
        ck_assert_int_eq(stance_classifier_train(rows, idx, y, N, &opt, 10, &cl, &err), STANCE_OK);
        ck_assert_int_eq(stance_classifier_save(cl, path, &err), STANCE_OK);
        ck_assert_int_eq(stance_classifier_load(path, 0, F, &loaded, &err), STANCE_OK);
        struct svm_model *m = svm_load_model(path);
        ck_assert_ptr_nonnull(m);
        double sign = m->label[0] == 1 ? 1 : -1;
        for (size_t i = 0; i < N; i++) {
            struct svm_node x[F + 1];
            size_t c = vecs[i].count;
            for (size_t j = 0; j < c; j++)
                x[j] = (struct svm_node){vecs[i].items[j].index, vecs[i].items[j].value};
            x[c] = (struct svm_node){-1, 0};
            double dec;
            svm_predict_values(m, x, &dec);
            ck_assert_msg(stance_classifier_decision(loaded, &vecs[i]) == sign * dec,
                          "%s row %zu: %.17g, libsvm %.17g", stance_kernel_name(kernels[k]), i,
                          stance_classifier_decision(loaded, &vecs[i]), sign * dec);
            ck_assert(stance_classifier_decision(cl, &vecs[i]) ==
                      stance_classifier_decision_row(cl, rows, i));
        }
        svm_free_and_destroy_model(&m);
        stance_classifier_free(loaded);
        stance_classifier_free(cl);
        stance_rows_free(rows);
    }
    rm_tmpdir(dir, (const char *const[]){"k.svm"}, 1);
    for (size_t i = 0; i < N; i++)
        stance_vector_clear(&vecs[i]);
}
END_TEST

/* Saving where no file can be created is an I/O error. */
START_TEST(test_save_unwritable)
{
    problem p;
    separable(&p);
    stance_classifier *cl = train_and_check(&p, STANCE_ENGINE_LIBLINEAR, STANCE_KERNEL_LINEAR, 0, 1);
    stance_error err;
    ck_assert_int_eq(stance_classifier_save(cl, "data/no-such-dir/unit.txt", &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.where, "data/no-such-dir/unit.txt");
    stance_classifier_free(cl);
    problem_clear(&p);
}
END_TEST

/* The engines print progress to stdout unless silenced; stdout carries data. */
static void silence(void)
{
    stance_engine_silence();
}

Suite *classifier_suite(void)
{
    Suite *s = suite_create("classifier");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, silence, NULL);
    tcase_add_loop_test(tc, test_linear_separable, 0, (int)(sizeof linear_cases / sizeof linear_cases[0]));
    tcase_add_test(tc, test_rbf_xor);
    tcase_add_test(tc, test_rbf_long_vector);
    tcase_add_test(tc, test_liblinear_refuses_kernels);
    tcase_add_test(tc, test_bad_cost);
    tcase_add_loop_test(tc, test_save_load, 0, (int)(sizeof save_cases / sizeof save_cases[0]));
    tcase_add_loop_test(tc, test_load_errors, 0, (int)(sizeof bad_files / sizeof bad_files[0]));
    tcase_add_test(tc, test_load_sparse_file);
    tcase_add_test(tc, test_load_missing);
    tcase_add_loop_test(tc, test_linear_parse_weights, 0, (int)(sizeof weights / sizeof weights[0]));
    tcase_add_test(tc, test_linear_parse_nul);
    tcase_add_test(tc, test_linear_parse_exact);
    tcase_add_loop_test(tc, test_load_bad_svm, 0, (int)(sizeof bad_svm_files / sizeof bad_svm_files[0]));
    tcase_add_test(tc, test_load_svm_file);
    tcase_add_loop_test(tc, test_parse_svm_as_libsvm, 0, (int)(sizeof svm_texts / sizeof svm_texts[0]));
    tcase_add_test(tc, test_load_not_regular);
    tcase_add_test(tc, test_kernel_decision_is_libsvms);
    tcase_add_test(tc, test_save_unwritable);
    suite_add_tcase(s, tc);
    return s;
}
