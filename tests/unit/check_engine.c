/* check_engine.c: engine and kernel names, the engine AUTO stands for, and the default
 * options. */
#include <string.h>

#include "../../pipeline/engine_int.h"
#include "stance/engine.h"
#include "suites.h"

/* Names: parse is the inverse of the name functions; anything else is a usage error. */
static const struct {
    const char *name;
    stance_status status;
    stance_engine engine;
} engine_names[] = {
    {"auto", STANCE_OK, STANCE_ENGINE_AUTO},
    {"libsvm", STANCE_OK, STANCE_ENGINE_LIBSVM},
    {"liblinear", STANCE_OK, STANCE_ENGINE_LIBLINEAR},
    {"LIBSVM", STANCE_ERR_USAGE, 0},
    {"svm", STANCE_ERR_USAGE, 0},
    {"liblinear ", STANCE_ERR_USAGE, 0},
    {"", STANCE_ERR_USAGE, 0},
};

START_TEST(test_engine_names)
{
    stance_engine e = STANCE_ENGINE_LIBSVM;
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_engine_parse(engine_names[_i].name, &e, &err), engine_names[_i].status);
    if (engine_names[_i].status == STANCE_OK) {
        ck_assert_int_eq(e, engine_names[_i].engine);
        ck_assert_str_eq(stance_engine_name(e), engine_names[_i].name);
    } else {
        ck_assert_int_eq(err.status, STANCE_ERR_USAGE);
        ck_assert_ptr_nonnull(strstr(err.message, "unknown engine"));
    }
}
END_TEST

static const struct {
    const char *name;
    stance_status status;
    stance_kernel kernel;
} kernel_names[] = {
    {"linear", STANCE_OK, STANCE_KERNEL_LINEAR},
    {"rbf", STANCE_OK, STANCE_KERNEL_RBF},
    {"poly", STANCE_OK, STANCE_KERNEL_POLY},
    {"RBF", STANCE_ERR_USAGE, 0},
    {"sigmoid", STANCE_ERR_USAGE, 0},
    {"", STANCE_ERR_USAGE, 0},
};

START_TEST(test_kernel_names)
{
    stance_kernel k = STANCE_KERNEL_POLY;
    stance_error err;
    stance_error_clear(&err);
    ck_assert_int_eq(stance_kernel_parse(kernel_names[_i].name, &k, &err), kernel_names[_i].status);
    if (kernel_names[_i].status == STANCE_OK) {
        ck_assert_int_eq(k, kernel_names[_i].kernel);
        ck_assert_str_eq(stance_kernel_name(k), kernel_names[_i].name);
    } else {
        ck_assert_int_eq(err.status, STANCE_ERR_USAGE);
        ck_assert_ptr_nonnull(strstr(err.message, "unknown kernel"));
    }
}
END_TEST

START_TEST(test_resolve_and_defaults)
{
    ck_assert_int_eq(stance_engine_resolve(STANCE_ENGINE_AUTO, STANCE_KERNEL_LINEAR), STANCE_ENGINE_LIBLINEAR);
    ck_assert_int_eq(stance_engine_resolve(STANCE_ENGINE_AUTO, STANCE_KERNEL_RBF), STANCE_ENGINE_LIBSVM);
    ck_assert_int_eq(stance_engine_resolve(STANCE_ENGINE_AUTO, STANCE_KERNEL_POLY), STANCE_ENGINE_LIBSVM);
    ck_assert_int_eq(stance_engine_resolve(STANCE_ENGINE_LIBSVM, STANCE_KERNEL_LINEAR), STANCE_ENGINE_LIBSVM);
    ck_assert_int_eq(stance_engine_resolve(STANCE_ENGINE_LIBLINEAR, STANCE_KERNEL_RBF), STANCE_ENGINE_LIBLINEAR);
    stance_svm_options opt;
    stance_svm_options_default(&opt);
    ck_assert_int_eq(opt.engine, STANCE_ENGINE_AUTO);
    ck_assert_int_eq(opt.kernel, STANCE_KERNEL_LINEAR);
    ck_assert_double_eq(opt.gamma, 0);
    ck_assert_int_eq(opt.degree, 3);
    ck_assert_double_eq(opt.coef0, 0);
    ck_assert_int_eq(opt.balanced, 0);
}
END_TEST

Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_engine_names, 0, (int)(sizeof engine_names / sizeof engine_names[0]));
    tcase_add_loop_test(tc, test_kernel_names, 0, (int)(sizeof kernel_names / sizeof kernel_names[0]));
    tcase_add_test(tc, test_resolve_and_defaults);
    suite_add_tcase(s, tc);
    return s;
}
